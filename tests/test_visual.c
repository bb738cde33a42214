/* test_visual.c - the visual outputs on synthetic clips with known landmarks (tools/synth):
 *
 *   overlay (VISUAL_SUITE_OVERLAY, label media): the overlay video decoded with the project's
 *     decoder has the input's frame count, size and rate; the skeleton changed the pixels at the
 *     landmarks and left pixels far from the lifter and the HUD alone; frames without a pose
 *     carry no skeleton.
 *   html (VISUAL_SUITE_HTML, label media): the report is well formed (tag balance of everything
 *     it emits), self-contained, has its five charts, one thumbnail per rep (valid JPEG), one
 *     table row per rep and every rule that fired among the cues.
 *   browser (VISUAL_SUITE_BROWSER, label browser): headless Chromium renders the report; the
 *     page's self-check (data attributes on <body>) counts rendered charts and decoded
 *     thumbnails and records script errors; a screenshot is taken. Skips without chromium.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, popen */
#include "pipeline/pass_render.h"
#include "hingecheck.h"
#include "report/report_visual.h"
#include "track/track.h"
#include "video/video.h"

#include "synth_kin.h"
#include "synth_render.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a synthetic clip with its true landmarks and the analysis of them ------------------- */

struct fixture {
    char dir[256];
    char video[320];
    struct hc_video_info info;
    struct hc_pose_frame *truth; /* every video frame's true pose (has_pose 1) */
    size_t n_video;
    struct hc_pose_frame *frames; /* what the "analysis" saw: every analyse_every-th frame */
    size_t n;
    struct kin_series *ks;
    struct reps_result *rr;
    struct rules_result *res;
    struct rules_set *rs;
    struct report_input in; /* what the writers see, as the analysis fills it */
};

struct clip_case {
    int facing;        /* +1 right, -1 left */
    int rotate;        /* display rotation stored in the file */
    int width, height; /* upright */
    int fault;         /* synth fault on rep 2, or -1 */
    int drop_every;    /* pose dropped on every k-th frame (tracking lost), 0: never */
    int analyse_every; /* the analysis saw every k-th frame (hc_pose_clip_params.max_fps) */
};

static const struct clip_case cases[] = {
    {+1, 0, 480, 360, SYNTH_FAULT_TOO_DEEP, 0, 1},
    {-1, 90, 360, 480, SYNTH_FAULT_BAR_DRIFT, 7, 1},
    {+1, 0, 480, 360, -1, 0, 3},
};

static void make_fixture(const struct clip_case *cc, struct fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "%s/visual-XXXXXX", HC_BUILD_DIR);
    ck_assert_ptr_nonnull(mkdtemp(fx->dir));
    snprintf(fx->video, sizeof fx->video, "%s/clip.mp4", fx->dir);

    struct synth_params sp = synth_default_params(SYNTH_LIFT_RDL);
    sp.n_reps = 2;
    sp.width_px = cc->width;
    sp.height_px = cc->height;
    sp.fps = 15.0; /* few frames keep the test short; the overlay code is rate-independent */
    sp.facing = cc->facing;
    sp.lead_in_s = 0.8;
    sp.lead_out_s = 2.4; /* the last rep's banner shows before the clip ends */
    if (cc->fault >= 0)
        ck_assert_int_eq(synth_params_add_fault(&sp, (enum synth_fault)cc->fault, 2), HC_OK);
    struct synth_script sc;
    ck_assert_int_eq(synth_script_init(&sp, &sc), HC_OK);
    const int64_t n = synth_script_n_frames(&sc);
    ck_assert_int_gt(n, 30);
    const int w = cc->width, h = cc->height;
    const int rot = cc->rotate == 90 || cc->rotate == 270;
    const int sw = rot ? h : w, sh = rot ? w : h;
    uint8_t *rgb = malloc((size_t)w * h * 3), *stored = malloc((size_t)w * h * 3);
    fx->truth = calloc((size_t)n, sizeof *fx->truth);
    fx->frames = calloc((size_t)n, sizeof *fx->frames);
    ck_assert(rgb && stored && fx->truth && fx->frames);
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = sw;
    wp.height_px = sh;
    wp.fps = sp.fps;
    wp.rotation_deg = cc->rotate;
    wp.crf = 18;
    struct video_writer *vw = NULL;
    ck_assert_int_eq(video_writer_open(fx->video, &wp, &vw), HC_OK);
    struct synth_style style;
    synth_style_default(&style, 0);
    static struct synth_pose pose;
    for (int64_t i = 0; i < n; i++) {
        const double t = (double)i / sp.fps;
        synth_pose_at(&sc, t, &pose);
        synth_render(&sc, &pose, &style, rgb, w * 3);
        fx->truth[i] = pose.lm;
        fx->truth[i].index = i;
        fx->truth[i].t_s = t;
        if (i % cc->analyse_every == 0) {
            struct hc_pose_frame *pf = &fx->frames[fx->n++];
            *pf = fx->truth[i];
            if (cc->drop_every && i % cc->drop_every == 3)
                pf->has_pose = 0;
        }
        const uint8_t *out = rgb;
        if (cc->rotate) {
            synth_rotate_ccw(rgb, w, h, w * 3, cc->rotate, stored, sw * 3);
            out = stored;
        }
        ck_assert_int_eq(video_writer_write_rgb(vw, out, sw * 3, -1.0), HC_OK);
    }
    ck_assert_int_eq(video_writer_close(vw), HC_OK);
    free(rgb);
    free(stored);
    fx->n_video = (size_t)n;
    ck_assert_int_eq(hc_probe_file(fx->video, &fx->info), HC_OK);
    ck_assert_int_eq(fx->info.width_px, w);
    ck_assert_int_eq(fx->info.height_px, h);

    struct kin_params kp = reps_lift_kin_params();
    ck_assert_int_eq(kin_series_compute(fx->frames, fx->n, w, h, NULL, &kp, &fx->ks), HC_OK);
    ck_assert_int_eq(rules_load_default(&fx->rs), HC_OK);
    struct reps_params rp = reps_default_params();
    ck_assert_int_eq(rules_run(fx->rs, fx->ks, REPS_LIFT_AUTO, &rp, &fx->rr, &fx->res), HC_OK);
    ck_assert_msg(fx->rr->n_reps >= 2, "the analysis found %zu reps in a 2-rep clip",
                  fx->rr->n_reps);
    fx->in = (struct report_input){.path = "clip.mp4",
                                   .source = "clip.mp4",
                                   .width_px = fx->info.width_px,
                                   .height_px = fx->info.height_px,
                                   .fps = fx->info.fps,
                                   .duration_s = fx->info.duration_s,
                                   .n_frames = (int64_t)fx->n,
                                   .frames = fx->frames,
                                   .ks = fx->ks,
                                   .rr = fx->rr,
                                   .res = fx->res,
                                   .rs = fx->rs,
                                   .model = "synthetic truth",
                                   .reason = ""};
}

/* Writes outputs of the fixture's analysis through the driver's render pass (one decode of
 * `video` for all of them), as hc_analysis_write does; formats[k] goes to paths[k]; the overlay
 * at overlay_size_px lines (0: the default). */
static enum hc_status write_outputs_sized(const struct fixture *fx, const char *video, size_t n,
                                          const char *const *formats, const char *const *paths,
                                          int overlay_size_px)
{
    struct analysis_output out[4];
    ck_assert_uint_le(n, 4);
    for (size_t k = 0; k < n; k++) {
        out[k] = (struct analysis_output){.format = report_format_find(formats[k]),
                                        .path = paths[k]};
        ck_assert_ptr_nonnull(out[k].format);
    }
    const struct analysis_source src = {.video_path = video};
    const struct report_options o = {0, 0, 0, overlay_size_px};
    return analysis_render(&fx->in, &o, &src, out, n);
}

static enum hc_status write_outputs(const struct fixture *fx, const char *video, size_t n,
                                    const char *const *formats, const char *const *paths)
{
    return write_outputs_sized(fx, video, n, formats, paths, 0);
}

#if defined(VISUAL_SUITE_OVERLAY) || defined(VISUAL_SUITE_HTML)
static enum hc_status write_output(const struct fixture *fx, const char *video,
                                   const char *format, const char *path)
{
    return write_outputs(fx, video, 1, &format, &path);
}
#endif

static void free_fixture(struct fixture *fx)
{
    rules_result_free(fx->res);
    reps_result_free(fx->rr);
    rules_set_free(fx->rs);
    kin_series_free(fx->ks);
    free(fx->frames);
    free(fx->truth);
    /* HC_KEEP_TEST_FILES=1 keeps the clip, overlay, report and screenshot for a look */
    if (!getenv("HC_KEEP_TEST_FILES")) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
        ck_assert_int_eq(system(cmd), 0);
    }
}

#ifdef VISUAL_SUITE_OVERLAY
/* ---- overlay ------------------------------------------------------------------------------ */

/* Largest channel difference of the 3x3 patches' means around (x, y). */
static double patch_diff(const struct video_frame *a, const struct video_frame *b, int x, int y)
{
    double s[3] = {0, 0, 0};
    int k = 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            const int xx = x + dx, yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= a->width_px || yy >= a->height_px)
                continue;
            const uint8_t *p = a->rgb + (size_t)yy * a->stride + (size_t)xx * 3;
            const uint8_t *q = b->rgb + (size_t)yy * b->stride + (size_t)xx * 3;
            for (int c = 0; c < 3; c++)
                s[c] += (double)q[c] - p[c];
            k++;
        }
    double m = 0;
    for (int c = 0; c < 3; c++)
        m = fmax(m, fabs(s[c] / (k ? k : 1)));
    return m;
}

/* Near-side joints the overlay marks with a dot. */
static const int near_joints[] = {HC_LM_LEFT_SHOULDER, HC_LM_LEFT_HIP, HC_LM_LEFT_KNEE,
                                  HC_LM_LEFT_ANKLE, HC_LM_LEFT_ELBOW};

START_TEST(overlay_matches_input_and_draws_skeleton)
{
    struct fixture fx;
    make_fixture(&cases[_i], &fx);
    char out[400];
    snprintf(out, sizeof out, "%s/overlay.mp4", fx.dir);
    ck_assert_int_eq(write_output(&fx, fx.video, "overlay", out), HC_OK);

    struct hc_video_info oi;
    ck_assert_int_eq(hc_probe_file(out, &oi), HC_OK);
    ck_assert_str_eq(oi.codec, "h264");
    ck_assert_int_eq(oi.width_px, fx.info.width_px);
    ck_assert_int_eq(oi.height_px, fx.info.height_px);
    ck_assert_int_eq(oi.rotation_deg, 0); /* the pixels are upright now */
    ck_assert_double_eq_tol(oi.fps, fx.info.fps, 0.01);
    ck_assert_double_eq_tol(oi.duration_s, fx.info.duration_s, 1.5 / fx.info.fps);

    struct video_open_params vp = video_default_open_params();
    struct video_decoder *ds = NULL, *dov = NULL;
    ck_assert_int_eq(video_decoder_open(fx.video, &vp, &ds), HC_OK);
    ck_assert_int_eq(video_decoder_open(out, &vp, &dov), HC_OK);
    const int side_off = fx.ks->side == KIN_SIDE_RIGHT ? 1 : 0;
    const int w = fx.info.width_px, h = fx.info.height_px;
    const double u = (w < h ? w : h) / 100.0; /* the overlay's size unit */
    size_t n_frames = 0, joints = 0, joints_changed = 0, far_px = 0, far_changed = 0;
    size_t nopose_joints = 0, nopose_changed = 0;
    struct video_frame a, b;
    double ta0 = 0, tb0 = 0;
    for (;;) {
        /* two decoders: a stays valid while b is read */
        const enum hc_status sa = video_decoder_next(ds, &a);
        const enum hc_status sb = video_decoder_next(dov, &b);
        ck_assert_int_eq(sa, sb); /* same frame count */
        if (sa != HC_OK)
            break;
        ck_assert_int_eq(a.width_px, b.width_px);
        ck_assert_int_eq(a.height_px, b.height_px);
        if (!n_frames) {
            ta0 = a.t_s;
            tb0 = b.t_s;
        }
        ck_assert_double_eq_tol(a.t_s - ta0, b.t_s - tb0, 2e-3); /* same frame times */
        ck_assert_uint_lt(n_frames, fx.n_video);
        /* the true pose of this frame, and the analysed frame nearest to it, which the overlay
         * draws (no skeleton where that one has no pose) */
        const struct hc_pose_frame *truth = &fx.truth[n_frames];
        const size_t k_an = (size_t)cases[_i].analyse_every;
        size_t near = (n_frames + k_an / 2) / k_an;
        if (near >= fx.n)
            near = fx.n - 1;
        const struct hc_pose_frame *pf = &fx.frames[near];
        /* where the skeleton is drawn: the analysed pose; where it would be: the truth */
        const struct hc_pose_frame *at = pf->has_pose ? pf : truth;
        for (size_t k = 0; k < HC_ARRAY_LEN(near_joints); k++) {
            const struct hc_landmark *l = &at->lm[near_joints[k] + side_off];
            const int x = (int)l->x_px, y = (int)l->y_px;
            if (l->visibility < 0.5f || x < 30 * u || y < 2 || x >= w - 2 || y >= h - 8 * u)
                continue; /* off-frame, or under the HUD / banner */
            const double d = patch_diff(&a, &b, x, y);
            if (pf->has_pose) {
                joints++;
                joints_changed += d > 40.0;
            } else {
                nopose_joints++;
                nopose_changed += d > 40.0;
            }
        }
        /* pixels far from every landmark, outside the HUD (top left) and the banner (bottom) */
        for (int y = 0; y < h; y += 3)
            for (int x = 0; x < w; x += 3) {
                if ((x < 40 * u && y < 16 * u) || y > h - 8 * u)
                    continue;
                double dmin = 1e9;
                for (int k = 0; k < HC_N_LANDMARKS; k++) {
                    dmin = fmin(dmin, hypot(truth->lm[k].x_px - x, truth->lm[k].y_px - y));
                    dmin = fmin(dmin, hypot(pf->lm[k].x_px - x, pf->lm[k].y_px - y));
                }
                if (dmin < 18 * u)
                    continue;
                far_px++;
                far_changed += patch_diff(&a, &b, x, y) > 24.0;
            }
        n_frames++;
    }
    ck_assert_uint_eq(n_frames, fx.n_video);
    ck_assert_uint_gt(joints, n_frames);
    ck_assert_msg(joints_changed >= joints * 9 / 10, "only %zu of %zu joints marked",
                  joints_changed, joints);
    ck_assert_uint_gt(far_px, 1000);
    ck_assert_msg(far_changed * 200 <= far_px, "%zu of %zu far pixels changed", far_changed,
                  far_px);
    if (cases[_i].drop_every) {
        ck_assert_uint_gt(nopose_joints, 10);
        ck_assert_msg(nopose_changed * 10 <= nopose_joints,
                      "%zu of %zu joints drawn on frames without a pose", nopose_changed,
                      nopose_joints);
    }
    video_decoder_free(ds);
    video_decoder_free(dov);
    free_fixture(&fx);
}
END_TEST

/* The fixture's analysed poses as a track whose source is the fixture's clip. */
static void write_track(const struct fixture *fx, const char *track)
{
    struct hc_track_header th;
    memset(&th, 0, sizeof th);
    ck_assert_uint_lt(strlen(fx->video), sizeof th.source);
    memcpy(th.source, fx->video, strlen(fx->video) + 1);
    th.width_px = fx->info.width_px;
    th.height_px = fx->info.height_px;
    th.fps = fx->info.fps;
    th.duration_s = fx->info.duration_s;
    th.n_frames_estimate = (int64_t)fx->n_video;
    snprintf(th.model, sizeof th.model, "truth");
    struct hc_track_writer *tw = NULL;
    ck_assert_int_eq(hc_track_writer_open(track, &th, &tw), HC_OK);
    for (size_t i = 0; i < fx->n; i++)
        ck_assert_int_eq(hc_track_writer_write(tw, &fx->frames[i]), HC_OK);
    ck_assert_int_eq(hc_track_writer_close(tw), HC_OK);
}

/* Frames in a video, decoded (every frame the decoder hands out); their size in *w, *h. */
static size_t count_frames(const char *path, int *w, int *h)
{
    struct video_open_params vp = video_default_open_params();
    struct video_decoder *d = NULL;
    ck_assert_int_eq(video_decoder_open(path, &vp, &d), HC_OK);
    struct video_frame f;
    size_t n = 0;
    while (video_decoder_next(d, &f) == HC_OK) {
        *w = f.width_px;
        *h = f.height_px;
        n++;
    }
    ck_assert(!video_decoder_damaged(d));
    video_decoder_free(d);
    return n;
}

/* The CLI wiring: `hingecheck score TRACK --html --overlay` draws on the track's source video. */
START_TEST(cli_score_writes_html_and_overlay)
{
    struct fixture fx;
    make_fixture(&cases[1], &fx);
    char track[400], html[400], ov[400], cmd[1600];
    snprintf(track, sizeof track, "%s/clip.jsonl", fx.dir);
    snprintf(html, sizeof html, "%s/cli.html", fx.dir);
    snprintf(ov, sizeof ov, "%s/cli overlay.mp4", fx.dir); /* a space: quoting is the CLI's */
    write_track(&fx, track);
    snprintf(cmd, sizeof cmd, "'%s' score '%s' --html '%s' --overlay '%s' -q", HC_CLI_PATH, track,
             html, ov);
    const int rc = system(cmd);
    ck_assert_msg(rc == 0, "%s: exit %d", cmd, rc);
    struct hc_video_info oi;
    ck_assert_int_eq(hc_probe_file(ov, &oi), HC_OK);
    ck_assert_int_eq(oi.width_px, fx.info.width_px);
    ck_assert_int_eq(oi.height_px, fx.info.height_px);
    ck_assert_int_eq(oi.n_frames_estimate, fx.info.n_frames_estimate);
    struct stat st;
    ck_assert_int_eq(stat(html, &st), 0);
    ck_assert_int_gt(st.st_size, 10000);
    /* no temporary file is left beside the outputs */
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q '\\.tmp\\.'", fx.dir);
    ck_assert_int_ne(system(cmd), 0);
    free_fixture(&fx);
}
END_TEST

/* The overlay's size: 720 lines by default on a clip larger than that, --overlay-size N lines
 * (CLI), aspect kept, even sides; every frame of the clip in it. */
START_TEST(overlay_size_default_and_option)
{
    static const struct clip_case big = {+1, 0, 1296, 736, -1, 0, 2};
    struct fixture fx;
    make_fixture(&big, &fx);
    char track[400], o1[400], o2[400], cmd[1600];
    snprintf(track, sizeof track, "%s/clip.jsonl", fx.dir);
    snprintf(o1, sizeof o1, "%s/default.mp4", fx.dir);
    snprintf(o2, sizeof o2, "%s/small.mp4", fx.dir);
    write_track(&fx, track);
    snprintf(cmd, sizeof cmd, "'%s' score '%s' --overlay '%s' -q", HC_CLI_PATH, track, o1);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
    snprintf(cmd, sizeof cmd, "'%s' score '%s' --overlay '%s' --overlay-size 360 -q",
             HC_CLI_PATH, track, o2);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
    /* 1296 x 720/736 = 1267.8; 1296 x 360/736 = 633.9 */
    int w = 0, h = 0;
    ck_assert_uint_eq(count_frames(o1, &w, &h), fx.n_video);
    ck_assert_int_eq(w, 1268);
    ck_assert_int_eq(h, 720);
    ck_assert_uint_eq(count_frames(o2, &w, &h), fx.n_video);
    ck_assert_int_eq(w, 634);
    ck_assert_int_eq(h, 360);
    free_fixture(&fx);
}
END_TEST

/* A portrait clip stored rotated, drawn at 240 lines: its width (the shorter side) is 240, the
 * pixels upright, every frame there at the clip's rate; the skeleton is drawn where the
 * landmarks are, scaled (the joints' pixels differ from the clip's scaled the same way). */
START_TEST(overlay_scaled_portrait_clip)
{
    struct fixture fx;
    make_fixture(&cases[1], &fx);
    char out[400];
    snprintf(out, sizeof out, "%s/overlay240.mp4", fx.dir);
    const char *format = "overlay";
    const char *path = out;
    ck_assert_int_eq(write_outputs_sized(&fx, fx.video, 1, &format, &path, 240), HC_OK);
    struct hc_video_info oi;
    ck_assert_int_eq(hc_probe_file(out, &oi), HC_OK);
    ck_assert_int_eq(oi.rotation_deg, 0);
    ck_assert_double_eq_tol(oi.fps, fx.info.fps, 0.01);
    int w = 0, h = 0;
    ck_assert_uint_eq(count_frames(out, &w, &h), fx.n_video);
    ck_assert_int_eq(w, 240); /* 360x480 -> 240x320 */
    ck_assert_int_eq(h, 320);
    /* the near-side joints of the analysed frames are marked: compare with the clip's frame
     * shrunk to the same size */
    struct video_open_params vp = video_default_open_params();
    struct video_decoder *ds = NULL, *dov = NULL;
    ck_assert_int_eq(video_decoder_open(fx.video, &vp, &ds), HC_OK);
    ck_assert_int_eq(video_decoder_set_size(ds, w, h), HC_OK);
    ck_assert_int_eq(video_decoder_open(out, &vp, &dov), HC_OK);
    const int side_off = fx.ks->side == KIN_SIDE_RIGHT ? 1 : 0;
    const double sx = (double)w / fx.info.width_px, sy = (double)h / fx.info.height_px;
    size_t joints = 0, changed = 0;
    struct video_frame a, b;
    for (size_t i = 0; video_decoder_next(ds, &a) == HC_OK; i++) {
        ck_assert_int_eq(video_decoder_next(dov, &b), HC_OK);
        ck_assert_int_eq(a.width_px, b.width_px);
        const struct hc_pose_frame *pf = &fx.frames[i < fx.n ? i : fx.n - 1];
        if (!pf->has_pose)
            continue;
        for (size_t k = 0; k < HC_ARRAY_LEN(near_joints); k++) {
            const struct hc_landmark *l = &pf->lm[near_joints[k] + side_off];
            const int x = (int)(l->x_px * sx), y = (int)(l->y_px * sy);
            if (l->visibility < 0.5f || x < 80 || y < 2 || x >= w - 2 || y >= h - 24)
                continue; /* off-frame, or under the HUD / banner */
            joints++;
            changed += patch_diff(&a, &b, x, y) > 40.0;
        }
    }
    ck_assert_uint_gt(joints, fx.n_video);
    ck_assert_msg(changed >= joints * 8 / 10, "only %zu of %zu joints marked", changed, joints);
    video_decoder_free(ds);
    video_decoder_free(dov);
    free_fixture(&fx);
}
END_TEST

START_TEST(overlay_bad_paths_fail_with_a_message)
{
    struct fixture fx;
    make_fixture(&cases[0], &fx);
    char out[400];
    snprintf(out, sizeof out, "%s/no-such-dir/overlay.mp4", fx.dir);
    ck_assert_int_eq(write_output(&fx, fx.video, "overlay", out), HC_ERR_IO);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "no-such-dir"));
    snprintf(out, sizeof out, "%s/overlay.mp4", fx.dir);
    ck_assert_int_eq(write_output(&fx, NULL, "overlay", out), HC_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "no video to draw on"));
    free_fixture(&fx);
}
END_TEST
#endif

#if defined(VISUAL_SUITE_HTML) || defined(VISUAL_SUITE_BROWSER)
/* ---- html ----------------------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: cannot open", path);
    fseek(f, 0, SEEK_END);
    const long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert(s && fread(s, 1, (size_t)n, f) == (size_t)n);
    s[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return s;
}

#endif

#ifdef VISUAL_SUITE_HTML
static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}
#endif

#ifdef VISUAL_SUITE_HTML
/* Tag balance of the report: every element opened is closed in order, void elements and
 * self-closed SVG shapes excepted; text inside <style> and <script> is skipped. Returns NULL
 * when balanced, else a static message. */
static const char *check_tags(const char *s)
{
    static char msg[256];
    static const char *const voids[] = {"meta", "img", "br", "hr", "link", "input"};
    char stack[256][16];
    int depth = 0;
    for (const char *p = s; (p = strchr(p, '<'));) {
        if (strncmp(p, "<!DOCTYPE", 9) == 0) {
            p = strchr(p, '>');
            continue;
        }
        const int closing = p[1] == '/';
        const char *q = p + 1 + closing;
        char name[16];
        size_t k = 0;
        while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
            if (k + 1 < sizeof name)
                name[k++] = *q++;
            else
                q++;
        name[k] = '\0';
        if (!k) {
            snprintf(msg, sizeof msg, "stray '<' at offset %ld", (long)(p - s));
            return msg;
        }
        const char *end = strchr(q, '>');
        if (!end)
            return "unterminated tag";
        /* attribute values may not contain '<' (escaped) */
        for (const char *r = q; r < end; r++)
            if (*r == '<')
                return "'<' inside a tag";
        const int self = end[-1] == '/';
        int is_void = 0;
        for (size_t v = 0; v < HC_ARRAY_LEN(voids); v++)
            is_void |= strcmp(name, voids[v]) == 0;
        if (closing) {
            if (!depth || strcmp(stack[depth - 1], name) != 0) {
                snprintf(msg, sizeof msg, "</%s> closes <%s> at offset %ld", name,
                         depth ? stack[depth - 1] : "(nothing)", (long)(p - s));
                return msg;
            }
            depth--;
        } else if (!self && !is_void) {
            if (depth == 256)
                return "nesting too deep";
            snprintf(stack[depth++], 16, "%s", name);
            if (strcmp(name, "style") == 0 || strcmp(name, "script") == 0) {
                char close[24];
                snprintf(close, sizeof close, "</%s>", name);
                const char *c = strstr(end, close);
                if (!c)
                    return "unclosed style/script";
                p = c;
                continue;
            }
        }
        p = end + 1;
    }
    if (depth) {
        snprintf(msg, sizeof msg, "<%s> never closed", stack[depth - 1]);
        return msg;
    }
    return NULL;
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes the base64 text at s (up to the closing quote) and checks JPEG start/end markers. */
static int jpeg_ok(const char *s, size_t *bytes)
{
    const char *e = strchr(s, '"');
    const size_t n = (size_t)(e - s);
    if (n % 4 || n < 8)
        return 0;
    uint8_t first[2] = {0, 0}, last[2] = {0, 0};
    size_t out = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++)
            v[k] = s[i + k] == '=' ? 0 : b64val(s[i + k]);
        if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
            return 0;
        const uint32_t x =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        const int nb = s[i + 2] == '=' ? 1 : s[i + 3] == '=' ? 2 : 3;
        const uint8_t b3[3] = {(uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x};
        for (int k = 0; k < nb; k++, out++) {
            if (out < 2)
                first[out] = b3[k];
            last[0] = last[1];
            last[1] = b3[k];
        }
    }
    *bytes = out;
    return first[0] == 0xFF && first[1] == 0xD8 && last[0] == 0xFF && last[1] == 0xD9;
}

START_TEST(html_report_is_complete_and_well_formed)
{
    struct fixture fx;
    make_fixture(&cases[_i], &fx);
    char out[400];
    snprintf(out, sizeof out, "%s/report.html", fx.dir);
    ck_assert_int_eq(write_output(&fx, fx.video, "html", out), HC_OK);
    size_t len = 0;
    char *s = slurp(out, &len);
    const char *bad = check_tags(s);
    ck_assert_msg(bad == NULL, "%s", bad ? bad : "");
    /* self-contained: nothing is fetched */
    ck_assert_ptr_null(strstr(s, "http:"));
    ck_assert_ptr_null(strstr(s, "https:"));
    ck_assert_ptr_null(strstr(s, "<link"));
    ck_assert_ptr_null(strstr(s, "src=\"/"));
    /* five charts, each with a series of at least 80% of the frames */
    ck_assert_uint_eq(count(s, "<svg class=\"chart\""), 5);
    const char *p = s;
    for (int k = 0; k < 5; k++) {
        p = strstr(p, "<svg class=\"chart\"");
        const char *pts = strstr(p, "data-points=\"");
        ck_assert_ptr_nonnull(pts);
        const long n_pts = strtol(pts + 13, NULL, 10);
        const char *d = strstr(p, "<path class=\"series\" d=\"");
        ck_assert_ptr_nonnull(d);
        const char *de = strchr(d + 24, '"');
        size_t n_cmd = 0;
        for (const char *q = d + 24; q < de; q++)
            n_cmd += *q == 'M' || *q == 'L';
        ck_assert_uint_eq(n_cmd, (size_t)n_pts);
        p++;
    }
    /* the hip-angle chart has a point for every posed frame */
    const char *hip = strstr(s, "data-metric=\"hip_angle_deg\" data-points=\"");
    ck_assert_ptr_nonnull(hip);
    ck_assert_int_ge(strtol(hip + 41, NULL, 10), (long)fx.ks->n_posed * 8 / 10);
    /* rep bands on every chart and target bands of the rules */
    ck_assert_uint_eq(count(s, "class=\"rep-band"), 5 * fx.rr->n_reps);
    ck_assert_uint_gt(count(s, "<rect class=\"target\""), fx.rr->n_reps);
    /* one thumbnail per rep, each a complete JPEG */
    ck_assert_uint_eq(count(s, "<img class=\"thumb\""), fx.rr->n_reps);
    p = s;
    for (size_t r = 0; r < fx.rr->n_reps; r++) {
        p = strstr(p, "src=\"data:image/jpeg;base64,");
        ck_assert_ptr_nonnull(p);
        size_t bytes = 0;
        ck_assert_msg(jpeg_ok(p + 28, &bytes), "thumbnail %zu is not a JPEG", r + 1);
        ck_assert_uint_gt(bytes, 2000);
        p++;
    }
    /* a bar path per rep; a cursor on every chart */
    ck_assert_uint_eq(count(s, "<svg class=\"barpath\""), fx.rr->n_reps);
    ck_assert_uint_eq(count(s, "<line class=\"cursor\""), 5);
    /* the worst moment of every rep finding, a JPEG each, at the frame where the measure lay
     * furthest past the limit: a statistic that is the extreme of its frames (the deepest hip
     * angle) is that frame's value; a held one (the bar's drift) at most it */
    size_t n_faults = 0;
    for (size_t k = 0; k < fx.res->n_findings; k++) {
        const struct rules_finding *f = &fx.res->findings[k];
        const long wi = report_fault_frame(&fx.in, k);
        if (f->rep > 0 && !f->about && f->severity > RULES_INFO)
            ck_assert_msg(wi >= 0, "finding %zu (%s) has no worst moment", k, f->rule);
        if (wi < 0)
            continue;
        n_faults++;
        const struct reps_rep *rep = &fx.rr->reps[f->rep - 1];
        ck_assert_int_ge(wi, (long)rep->i_start);
        ck_assert_int_le(wi, (long)rep->i_end);
        if (f->metric && strcmp(f->metric, "hip_angle_bottom_deg") == 0)
            ck_assert_double_eq_tol(fx.ks->value[KIN_HIP_ANGLE][wi], f->value, 1e-9);
        if (f->metric && strcmp(f->metric, "bar_drift_cm") == 0 && f->value > f->max)
            ck_assert_double_ge(fmin(fx.ks->value[KIN_BAR_MIDFOOT][wi],
                                     fx.ks->value[KIN_BAR_FRONT][wi]), f->value - 1e-9);
    }
    ck_assert_uint_eq(count(s, "<img class=\"fault\""), n_faults);
    if (cases[_i].fault >= 0)
        ck_assert_uint_gt(n_faults, 0);
    p = strstr(s, "<section id=\"faults\">");
    for (size_t k = 0; k < n_faults; k++) {
        p = strstr(p, "<img class=\"fault\"");
        p = strstr(p, "src=\"data:image/jpeg;base64,");
        size_t bytes = 0;
        ck_assert_msg(jpeg_ok(p + 28, &bytes), "fault frame %zu is not a JPEG", k + 1);
        p++;
    }
    /* one table row per rep; every rule that fired (above info) is among the cues or beyond
     * the five shown */
    ck_assert_uint_eq(count(s, "<tr data-rep="), fx.res->n_reps);
    size_t n_groups = 0, n_listed = 0;
    for (size_t k = 0; k < fx.res->n_findings; k++) {
        const struct rules_finding *f = &fx.res->findings[k];
        if (f->rep <= 0 || f->severity <= RULES_INFO)
            continue;
        int first = 1;
        for (size_t q = 0; q < k; q++)
            if (fx.res->findings[q].rep > 0 && fx.res->findings[q].severity > RULES_INFO &&
                strcmp(fx.res->findings[q].rule, f->rule) == 0)
                first = 0;
        if (!first)
            continue;
        n_groups++;
        char want[80];
        snprintf(want, sizeof want, "<li data-rule=\"%s\">", f->rule);
        n_listed += strstr(s, want) != NULL;
    }
    /* every rule that fired is a cue, up to the five shown */
    ck_assert_uint_eq(n_listed, n_groups < 5 ? n_groups : 5);
    ck_assert_uint_eq(count(s, "<li data-rule="), n_groups < 5 ? n_groups : 5);
    ck_assert_ptr_nonnull(strstr(s, report_verdict(fx.res->set_score)));
    free(s);
    free_fixture(&fx);
}
END_TEST

/* No lifter anywhere: the report still opens, says why, draws empty charts, and the overlay
 * tags every frame. */
START_TEST(no_pose_clip_reports_why)
{
    struct fixture fx;
    make_fixture(&cases[0], &fx);
    for (size_t i = 0; i < fx.n; i++)
        fx.frames[i].has_pose = 0;
    struct kin_series *ks = NULL;
    struct kin_params kp = reps_lift_kin_params();
    ck_assert_int_eq(
        kin_series_compute(fx.frames, fx.n, fx.info.width_px, fx.info.height_px, NULL, &kp, &ks),
        HC_OK);
    fx.in.ks = ks;
    fx.in.rr = NULL;
    fx.in.res = NULL;
    fx.in.status = HC_ERR_NO_POSE;
    fx.in.reason = "no lifter on any of the frames";
    char out[400];
    snprintf(out, sizeof out, "%s/nopose.html", fx.dir);
    ck_assert_int_eq(write_output(&fx, fx.video, "html", out), HC_OK);
    char *s = slurp(out, NULL);
    ck_assert_ptr_null(check_tags(s));
    ck_assert_ptr_nonnull(strstr(s, "no lifter on any of the frames"));
    ck_assert_uint_eq(count(s, "<svg class=\"chart\""), 5);
    ck_assert_uint_eq(count(s, "not measured in this clip"), 5);
    ck_assert_uint_eq(count(s, "<img class=\"thumb\""), 0);
    ck_assert_ptr_nonnull(strstr(s, "No rep was found"));
    free(s);
    kin_series_free(ks);
    free_fixture(&fx);
}
END_TEST

/* Without the video (re-scoring a saved track) the key frames show the skeleton alone. */
START_TEST(html_report_without_video)
{
    struct fixture fx;
    make_fixture(&cases[0], &fx);
    char out[400];
    snprintf(out, sizeof out, "%s/report-track.html", fx.dir);
    ck_assert_int_eq(write_output(&fx, NULL, "html", out), HC_OK);
    char *s = slurp(out, NULL);
    ck_assert_ptr_null(check_tags(s));
    ck_assert_uint_eq(count(s, "<img class=\"thumb\""), fx.rr->n_reps);
    free(s);
    snprintf(out, sizeof out, "%s/nope/report.html", fx.dir);
    ck_assert_int_eq(write_output(&fx, NULL, "html", out), HC_ERR_IO);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "nope/report.html"));

    /* the batch index page */
    const struct visual_index_entry e[2] = {{.clip = "a <b>.mp4",
                                             .href = "a.html",
                                             .lift = "rdl",
                                             .n_reps = 2,
                                             .score = 80,
                                             .cues = {"bar-drift", "hip-depth-excessive"}},
                                            {.clip = "bad.mp4", .error = "bad.mp4: corrupt"}};
    snprintf(out, sizeof out, "%s/index.html", fx.dir);
    ck_assert_int_eq(visual_write_html_index(e, 2, "set & co", out), HC_OK);
    s = slurp(out, NULL);
    ck_assert_ptr_null(check_tags(s));
    ck_assert_ptr_nonnull(strstr(s, "a &lt;b&gt;.mp4"));
    ck_assert_ptr_nonnull(strstr(s, "set &amp; co"));
    ck_assert_uint_eq(count(s, "<tr>"), 3);
    /* the cues in words, never their ids; a verdict per clip; sortable headers */
    ck_assert_ptr_nonnull(strstr(s, report_rule_title("bar-drift")));
    ck_assert_ptr_nonnull(strstr(s, report_rule_title("hip-depth-excessive")));
    ck_assert_ptr_null(strstr(s, "bar-drift"));
    ck_assert_ptr_nonnull(strstr(s, ">good</span>"));
    ck_assert_ptr_nonnull(strstr(s, ">failed</span>"));
    ck_assert_uint_eq(count(s, "<th data-num>"), 3);
    free(s);
    free_fixture(&fx);
}
END_TEST
/* Decodes a video into one buffer of all its frames (RGB, tightly packed). */
static uint8_t *decode_all(const char *path, size_t *n_frames, size_t *frame_bytes)
{
    struct video_decoder *dec = NULL;
    struct video_open_params op = video_default_open_params();
    ck_assert_int_eq(video_decoder_open(path, &op, &dec), HC_OK);
    uint8_t *all = NULL;
    size_t n = 0, fb = 0;
    struct video_frame f;
    while (video_decoder_next(dec, &f) == HC_OK) {
        fb = (size_t)f.width_px * 3 * (size_t)f.height_px;
        all = realloc(all, (n + 1) * fb);
        ck_assert_ptr_nonnull(all);
        for (int y = 0; y < f.height_px; y++)
            memcpy(all + n * fb + (size_t)y * f.width_px * 3, f.rgb + (size_t)y * f.stride,
                   (size_t)f.width_px * 3);
        n++;
    }
    video_decoder_free(dec);
    *n_frames = n;
    *frame_bytes = fb;
    return all;
}

/* The HTML page and the overlay from one shared decode are those each writes alone. */
START_TEST(html_and_overlay_share_one_decode)
{
    struct fixture fx;
    make_fixture(&cases[2], &fx);
    char h1[400], h2[400], o1[400], o2[400];
    snprintf(h1, sizeof h1, "%s/alone.html", fx.dir);
    snprintf(o1, sizeof o1, "%s/alone.mp4", fx.dir);
    snprintf(h2, sizeof h2, "%s/both.html", fx.dir);
    snprintf(o2, sizeof o2, "%s/both.mp4", fx.dir);
    ck_assert_int_eq(write_output(&fx, fx.video, "html", h1), HC_OK);
    ck_assert_int_eq(write_output(&fx, fx.video, "overlay", o1), HC_OK);
    const char *const formats[2] = {"overlay", "html"}, *const paths[2] = {o2, h2};
    ck_assert_int_eq(write_outputs(&fx, fx.video, 2, formats, paths), HC_OK);
    size_t n1 = 0, n2 = 0;
    char *a = slurp(h1, &n1), *b = slurp(h2, &n2);
    /* the page written with the overlay plays it; alone, the clip (both beside the page) */
    ck_assert_ptr_nonnull(strstr(a, "<video id=\"hc-video\""));
    ck_assert_ptr_nonnull(strstr(a, "data-offset=\"0.000\" src=\"clip.mp4\""));
    ck_assert_ptr_nonnull(strstr(b, "src=\"both.mp4\""));
    ck_assert_ptr_null(strstr(b, "src=\"clip.mp4\""));
    /* everything else is the same */
    char *va = strstr(a, "<section id=\"video\">"), *vb = strstr(b, "<section id=\"video\">");
    char *ea = strstr(va, "</section>"), *eb = strstr(vb, "</section>");
    ck_assert(va - a == vb - b);
    ck_assert(memcmp(a, b, (size_t)(va - a)) == 0);
    ck_assert_uint_eq(n1 - (size_t)(ea - a), n2 - (size_t)(eb - b));
    ck_assert(memcmp(ea, eb, n1 - (size_t)(ea - a)) == 0);
    ck_assert_uint_eq(count(a, "<img class=\"thumb\""), fx.rr->n_reps);
    free(a);
    free(b);
    size_t f1 = 0, f2 = 0, b1 = 0, b2 = 0;
    uint8_t *v1 = decode_all(o1, &f1, &b1), *v2 = decode_all(o2, &f2, &b2);
    ck_assert_uint_eq(f1, fx.n_video);
    ck_assert_uint_eq(f2, f1);
    ck_assert_uint_eq(b2, b1);
    ck_assert_msg(memcmp(v1, v2, f1 * b1) == 0, "the shared pass drew other pixels");
    free(v1);
    free(v2);
    free_fixture(&fx);
}
END_TEST

#endif

#ifdef VISUAL_SUITE_BROWSER
/* ---- browser ------------------------------------------------------------------------------ */

static const char *find_chromium(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                                        "/usr/bin/google-chrome"};
    for (size_t k = 0; k < HC_ARRAY_LEN(names); k++)
        if (access(names[k], X_OK) == 0)
            return names[k];
    return NULL;
}

/* Value of attribute `name` on <body ...> in the dumped DOM, or NULL. */
static char *body_attr(const char *dom, const char *name, char *buf, size_t n)
{
    const char *b = strstr(dom, "<body");
    if (!b)
        return NULL;
    const char *e = strchr(b, '>');
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(b, key);
    if (!a || a > e)
        return NULL;
    a += strlen(key);
    const char *q = strchr(a, '"');
    snprintf(buf, n, "%.*s", (int)(q - a), a);
    return buf;
}

/* No network: a blackhole proxy and every host resolving to nothing, so a stray fetch fails
 * instead of leaving the machine. */
#define CHROMIUM_FLAGS                                                                             \
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "                         \
    "--disable-background-networking --disable-component-update --disable-sync "                   \
    "--disable-dev-shm-usage --proxy-server=127.0.0.1:9 "                                          \
    "--host-resolver-rules=\"MAP * ~NOTFOUND\" --virtual-time-budget=5000 "                        \
    "--hide-scrollbars"

START_TEST(browser_renders_report)
{
    const char *chrome = find_chromium();
    if (!chrome) {
        printf("SKIP browser_renders_report: chromium not installed (apt-get install chromium)\n");
        return;
    }
    struct fixture fx;
    make_fixture(&cases[0], &fx);
    char html[400], cmd[2048], profile[400], shot[400], dom_path[400];
    snprintf(html, sizeof html, "%s/report.html", fx.dir);
    /* the page with the overlay beside it, as `analyse --html --overlay` writes them */
    char overlay[400];
    snprintf(overlay, sizeof overlay, "%s/overlay.mp4", fx.dir);
    const char *const formats[2] = {"html", "overlay"}, *const paths[2] = {html, overlay};
    ck_assert_int_eq(write_outputs(&fx, fx.video, 2, formats, paths), HC_OK);
    size_t n_faults = 0;
    for (size_t k = 0; k < fx.res->n_findings; k++)
        n_faults += report_fault_frame(&fx.in, k) >= 0;
    ck_assert_uint_gt(n_faults, 0); /* the clip has a fault on rep 2 */
    snprintf(profile, sizeof profile, "%s/profile-XXXXXX", fx.dir);
    ck_assert_ptr_nonnull(mkdtemp(profile));
    snprintf(dom_path, sizeof dom_path, "%s/dom.html", fx.dir);
    /* a phone (390 px) and a desktop (1280 px): every value on screen, nothing to scroll
     * sideways (the page's check counts elements past the viewport's edges) */
    static const int widths[] = {390, 1280};
    for (size_t k = 0; k < HC_ARRAY_LEN(widths); k++) {
        snprintf(cmd, sizeof cmd,
                 "'%s' " CHROMIUM_FLAGS " --user-data-dir='%s' --window-size=%d,2400 --dump-dom "
                 "'file://%s' > '%s' 2>/dev/null",
                 chrome, profile, widths[k], html, dom_path);
        /* the page is ready once its video has loaded and a seek was seen: a busy machine may
         * dump the page before the decoder answered (headless virtual time does not wait for
         * media), so up to three loads */
        char *dom = NULL;
        char v[512];
        for (int attempt = 0; attempt < 3; attempt++) {
            free(dom);
            ck_assert_msg(system(cmd) == 0, "chromium failed: %s", cmd);
            dom = slurp(dom_path, NULL);
            if (body_attr(dom, "data-hc-ready", v, sizeof v) && strcmp(v, "1") == 0)
                break;
        }
        ck_assert_msg(body_attr(dom, "data-hc-ready", v, sizeof v) && strcmp(v, "1") == 0,
                      "the page's check did not run");
        ck_assert_str_eq(body_attr(dom, "data-hc-charts", v, sizeof v), "5");
        char want[32];
        snprintf(want, sizeof want, "%zu", fx.rr->n_reps);
        ck_assert_str_eq(body_attr(dom, "data-hc-thumbs", v, sizeof v), want);
        ck_assert_str_eq(body_attr(dom, "data-hc-thumbs-broken", v, sizeof v), "0");
        /* the video on screen, playable (its metadata read), and a seek moved the charts'
         * cursor to its time */
        ck_assert_msg(body_attr(dom, "data-hc-video", v, sizeof v) && strcmp(v, "1") == 0,
                      "no video on screen at %d px", widths[k]);
        ck_assert_msg(body_attr(dom, "data-hc-video-ready", v, sizeof v) && strcmp(v, "1") == 0,
                      "the overlay video did not load at %d px", widths[k]);
        ck_assert_msg(body_attr(dom, "data-hc-cursor", v, sizeof v) && strcmp(v, "1") == 0,
                      "the charts' cursor did not follow the video at %d px", widths[k]);
        /* a bar path per rep, the worst moment of every finding decoded */
        ck_assert_str_eq(body_attr(dom, "data-hc-barpaths", v, sizeof v), want);
        char nf[32];
        snprintf(nf, sizeof nf, "%zu", n_faults);
        ck_assert_str_eq(body_attr(dom, "data-hc-faults", v, sizeof v), nf);
        ck_assert_str_eq(body_attr(dom, "data-hc-faults-broken", v, sizeof v), "0");
        ck_assert_msg(body_attr(dom, "data-hc-errors", v, sizeof v) && v[0] == '\0',
                      "script errors: %s", v);
        ck_assert_msg(body_attr(dom, "data-hc-offscreen", v, sizeof v) && strcmp(v, "0") == 0,
                      "%s elements past the edges at %d px", v, widths[k]);
        ck_assert_msg(body_attr(dom, "data-hc-scroll-x", v, sizeof v) && strcmp(v, "0") == 0,
                      "%s px to scroll sideways at %d px", v, widths[k]);
        free(dom);
        snprintf(shot, sizeof shot, "%s/report-%d.png", fx.dir, widths[k]);
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && '%s' " CHROMIUM_FLAGS " --user-data-dir='%s' "
                 "--window-size=%d,2400 --screenshot='%s' 'file://%s' >/dev/null 2>&1",
                 fx.dir, chrome, profile, widths[k], shot, html);
        ck_assert_msg(system(cmd) == 0, "chromium screenshot failed: %s", cmd);
        struct stat sst;
        ck_assert_int_eq(stat(shot, &sst), 0);
        ck_assert_int_gt(sst.st_size, 20000); /* a blank page is a few KB */
    }

    /* the batch index sorted by its score column, descending, as a click on the header twice
     * does (the page honours #sort=COLUMN- in its address): the best clip first, the failed
     * one last, at a phone's width without sideways scrolling */
    const struct visual_index_entry ix[3] = {
        {.clip = "mid.mp4", .lift = "rdl", .n_reps = 3, .score = 50, .cues = {"bar-drift"}},
        {.clip = "bad.mp4", .error = "bad.mp4: corrupt", .score = NAN},
        {.clip = "best.mp4", .lift = "rdl", .n_reps = 4, .score = 90}};
    char index[400];
    snprintf(index, sizeof index, "%s/index.html", fx.dir);
    ck_assert_int_eq(visual_write_html_index(ix, 3, "set", index), HC_OK);
    snprintf(cmd, sizeof cmd,
             "'%s' " CHROMIUM_FLAGS " --user-data-dir='%s' --window-size=390,1200 --dump-dom "
             "'file://%s#sort=3-' > '%s' 2>/dev/null",
             chrome, profile, index, dom_path);
    ck_assert_msg(system(cmd) == 0, "chromium failed: %s", cmd);
    char *dom = slurp(dom_path, NULL);
    char v[64];
    ck_assert_msg(body_attr(dom, "data-hc-sorted", v, sizeof v) && strcmp(v, "3-") == 0,
                  "the index was not sorted");
    const char *best = strstr(dom, ">best.mp4<"), *mid = strstr(dom, ">mid.mp4<"),
               *bad = strstr(dom, ">bad.mp4<");
    ck_assert(best && mid && bad);
    ck_assert_msg(best < mid && mid < bad, "the rows are not by score, best first");
    free(dom);

    FILE *f = fopen(shot, "rb");
    unsigned char sig[8];
    ck_assert(f && fread(sig, 1, 8, f) == 8);
    fclose(f);
    ck_assert(memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0);
    if (getenv("HC_KEEP_TEST_FILES"))
        printf("browser_renders_report: screenshots %s/report-390.png, -1280.png\n", fx.dir);
    free_fixture(&fx);
}
END_TEST
#endif

static Suite *visual_suite(void)
{
    Suite *s = suite_create("visual");
    TCase *tc = tcase_create("visual");
    tcase_set_timeout(tc, 300);
#ifdef VISUAL_SUITE_OVERLAY
    tcase_add_loop_test(tc, overlay_matches_input_and_draws_skeleton, 0, (int)HC_ARRAY_LEN(cases));
    tcase_add_test(tc, overlay_bad_paths_fail_with_a_message);
    tcase_add_test(tc, cli_score_writes_html_and_overlay);
    tcase_add_test(tc, overlay_size_default_and_option);
    tcase_add_test(tc, overlay_scaled_portrait_clip);
#endif
#ifdef VISUAL_SUITE_HTML
    tcase_add_loop_test(tc, html_report_is_complete_and_well_formed, 0, (int)HC_ARRAY_LEN(cases));
    tcase_add_test(tc, html_report_without_video);
    tcase_add_test(tc, no_pose_clip_reports_why);
    tcase_add_test(tc, html_and_overlay_share_one_decode);
#endif
#ifdef VISUAL_SUITE_BROWSER
    tcase_add_test(tc, browser_renders_report);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return hc_check_run(visual_suite());
}
