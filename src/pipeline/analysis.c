#define _POSIX_C_SOURCE 200809L
/* analysis.c - the pipeline driver: the one file that sees every module.
 *
 *   video --hc_pose_run_file--> poses --kin_series_compute--> kinematics --rules_run--> reps,
 *   findings, scores --report_writers--> text / JSON / CSV
 *   track.jsonl --hc_track_read--> poses --> (the same)
 *
 * Poses are kept for the whole clip (about 1 KB a frame: 2 MB for a minute at 30 fps) because
 * the kinematics smooth with a centred window and reps are found over the whole set; the buffer
 * grows by doubling, so there is no per-frame malloc.
 *
 * "No lifter" and "no rep" are outcomes, not failures: the result is still made so the reports
 * can say so (a --json report is never lost); hc_analysis_summarise carries the status. */
#include "analysis.h"

#include "core/core.h"
#include "kin/kin.h"
#include "pipeline/pipeline.h"
#include "report/report.h"
#include "reps/reps.h"
#include "rules/rules.h"
#include "video/video.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct hc_analysis {
    struct report_input in;
    char *path, *source;
    char model[32];
    char reason[256];
    struct hc_pose_frame *frames;
    size_t n_frames, cap_frames;
    struct rules_set *rs;          /* kept: findings borrow their message/fix/source strings */
    struct kin_series *ks;
    struct reps_result *rr;
    struct rules_result *res;
    double elapsed_s;
    int (*on_frame)(int64_t, int64_t, void *); /* hc_analysis_params.on_frame, during the run */
    void *on_frame_user;
    /* person masks for the spine (analysis_masks): the clip's pose parameters during a video
     * run without no_spine_masks (NULL otherwise), and what the second look did */
    const struct hc_pose_clip_params *mask_clip;
    int64_t n_mask_wanted, n_masked, n_mask_tracked;
    int n_mask_stretches;
    double mask_s;
    int implement;                 /* enum kin_implement from hc_analysis_params.implement */
};

struct hc_analysis_params hc_analysis_default_params(void)
{
    struct hc_analysis_params p;
    memset(&p, 0, sizeof p);
    p.clip = hc_pose_clip_default_params();
    p.exercise = "auto";
    p.rules_path = NULL;
    return p;
}

const char *hc_exercise_names(void)
{
    return "auto|rdl|deadlift|good-morning|kb-swing|sl-rdl|pull-through|hinge-drill";
}

int hc_severity_from_name(const char *name, enum hc_severity *out)
{
    static const char *const names[] = {"info", "warning", "error"};
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            if (out)
                *out = (enum hc_severity)i;
            return 0;
        }
    return -1;
}

const char *hc_rules_default_json(void)
{
    return rules_default_json();
}

enum hc_status hc_rules_check_file(const char *path, int *n_rules)
{
    struct rules_set *rs = NULL;
    const enum hc_status st = rules_load_file(path, &rs);
    if (n_rules)
        *n_rules = rs ? (int)rs->n : 0;
    rules_set_free(rs);
    return st;
}

void hc_analysis_free(struct hc_analysis *a)
{
    if (!a)
        return;
    rules_result_free(a->res);
    reps_result_free(a->rr);
    kin_series_free(a->ks);
    rules_set_free(a->rs);
    free(a->frames);
    free(a->path);
    free(a->source);
    free(a);
}

static char *dup_str(const char *s)
{
    const size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

/* Common start of both inputs: the result, the exercise and the rules (so a bad --rules file or
 * exercise fails before minutes of pose tracking). */
static enum hc_status analysis_begin(const char *path, const struct hc_analysis_params *p,
                                     enum rules_lift *lift, struct hc_analysis **out)
{
    *out = NULL;
    const char *ex = p->exercise ? p->exercise : "auto";
    const int l = rules_lift_from_name(ex);
    if (l < 0)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown exercise '%s'; use one of %s", ex,
                       hc_exercise_names());
    *lift = (enum rules_lift)l;
    const int imp = kin_implement_from_name(p->implement ? p->implement : "auto");
    if (imp < 0)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown implement '%s'; use auto, barbell or kettlebell",
                       p->implement);
    struct hc_analysis *a = calloc(1, sizeof *a);
    if (!a || !(a->path = dup_str(path))) {
        free(a);
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
    }
    a->implement = imp;
    const enum hc_status st =
        p->rules_path ? rules_load_file(p->rules_path, &a->rs) : rules_load_default(&a->rs);
    if (st != HC_OK) {
        hc_analysis_free(a);
        return st;
    }
    *out = a;
    return HC_OK;
}

/* ---- person masks for the spine (docs/RULES.md, "Person masks for the spine") ---------------
 *
 * The mask path of the spine measure (src/kin) needs the pose stage's segmentation mask, a
 * frame-sized float image (8 MB at 1080p) that costs about 5 ms a frame, and the rules read the
 * spine only under load. So the first look tracks the clip without masks; kinematics and reps
 * then say where the loaded moments are, and a second look decodes only those stretches (the
 * decoder seeks to each), tracks them again with masks, measures the spine from each mask at
 * once and keeps the number (struct kin_spine_sample): memory stays flat, nothing is decoded
 * twice in full. The frames asked for follow docs/RULES.md: top-start lifts +-0.2 s around each
 * rep's bottom (where rounding under load shows); floor lifts the first 0.4 s of each rising and
 * the last 0.2 s of each lowering (the pull off the floor and the set-down); every lift the
 * first 0.2 s of each lockout (lockout-slumped). A spine metric then needs >= 3 masked frames in
 * its span (rules.c) or falls back to the keypoint proxy. */
#define MASK_BOTTOM_HALF_S 0.2
#define MASK_FLOOR_RISE_S 0.4
#define MASK_FLOOR_LOWER_S 0.2
#define MASK_LOCKOUT_S 0.2
/* A seek restarts decoding at the keyframe before the target (phone clips: one every 1-2 s), so
 * stretches closer than this are decoded through (the frames between them are decoded, not
 * tracked) instead of seeking again. Project choice. */
#define MASK_MERGE_GAP_S 0.5
/* ... and a stretch starting at most this long after the previous one's last frame is reached
 * by decoding on (about 4 ms a 1080p frame) rather than by opening the file again and seeking
 * (an open, then the frames from the keyframe before the target: ~1 s of them on average with
 * a keyframe every 2 s). Measured on 34 s of 1080p30 (bench/): see docs/ARCHITECTURE.md. */
#define MASK_FORWARD_S 1.5
/* Tracked frames before each wanted stretch, so the tracker's region of interest has caught up
 * with the lifter's posture (MediaPipe's tracker follows the ROI of the previous frame; a
 * standing lifter's ROI applied to a bent-over one cuts off the head or the feet). Project
 * choice: 3 frames at 30 fps. */
#define MASK_PREROLL_S 0.1
/* Masks more often than this add nothing: the spine changes slowly and a metric needs 3 frames
 * of a 0.2-0.4 s span; a 60 fps clip is tracked on every other frame of its stretches. */
#define MASK_MAX_FPS 30.0
/* The second look's pose must be the first look's lifter: mid-hip and mid-shoulder within this
 * fraction of the trunk (hip-shoulder) length of the first look's, else the mask may be someone
 * else's outline (multi-person clips) and the frame keeps the proxy. Project choice: tracking
 * the same frame twice agrees to a few per cent of the trunk. */
#define MASK_AGREE_FRAC 0.2

enum { WANT_NONE = 0, WANT_TRACK = 1, WANT_MASK = 2 };

/* Marks the frames with t_s in [t0, t1] as wanted for a mask. */
static void want_span(const struct kin_series *ks, uint8_t *want, double t0, double t1)
{
    for (size_t i = 0; i < ks->n; i++)
        if (ks->t_s[i] >= t0 - 1e-6 && ks->t_s[i] <= t1 + 1e-6 && ks->has_pose[i])
            want[i] = WANT_MASK;
}

static double span_t(const struct kin_series *ks, long i)
{
    return ks->t_s[i < 0 ? 0 : (size_t)i >= ks->n ? ks->n - 1 : (size_t)i];
}

/* The frames the rules read the spine on, thinned to MASK_MAX_FPS, plus a short tracked
 * pre-roll before each stretch. Returns the number of frames wanted for a mask. */
static size_t mask_plan(const struct hc_analysis *a, const struct kin_series *ks,
                        const struct reps_result *rr, uint8_t *want)
{
    memset(want, WANT_NONE, ks->n);
    for (size_t r = 0; r < rr->n_reps; r++) {
        const struct reps_rep *rep = &rr->reps[r];
        if (rep->floor_start) {
            const struct reps_span *ri = &rep->phase[REPS_RISING], *lo = &rep->phase[REPS_LOWERING];
            if (ri->i0 >= 0)
                want_span(ks, want, span_t(ks, ri->i0), span_t(ks, ri->i0) + MASK_FLOOR_RISE_S);
            if (lo->i0 >= 0)
                want_span(ks, want, span_t(ks, lo->i1) - MASK_FLOOR_LOWER_S, span_t(ks, lo->i1));
        } else {
            want_span(ks, want, rep->t_bottom_s - MASK_BOTTOM_HALF_S,
                      rep->t_bottom_s + MASK_BOTTOM_HALF_S);
        }
        const struct reps_span *lk = &rep->phase[REPS_LOCKOUT];
        if (lk->i0 >= 0)
            want_span(ks, want, span_t(ks, lk->i0), span_t(ks, lk->i0) + MASK_LOCKOUT_S);
    }
    /* frames where kin would refuse any mask (the hands and a plate or bell at the hips at
     * lockout, an arm over the back: docs/RULES.md) are not worth one; a 1-pixel stand-in mask
     * asks kin without paying for a real one */
    const float stand_in = 0.0f;
    const struct kin_mask dummy = {&stand_in, 1, 1, 1, 0, NULL, 0, 0};
    const struct kin_params kp = kin_default_params();
    for (size_t i = 0; i < ks->n; i++) {
        struct kin_frame kf;
        if (want[i] != WANT_MASK)
            continue;
        kin_series_measure_frame(ks, &a->frames[i], a->in.width_px, a->in.height_px, &kp, &dummy,
                                 &kf);
        if (kf.mask_refused)
            want[i] = WANT_NONE;
    }
    /* pre-roll: track (no mask) the frames within MASK_PREROLL_S before each stretch */
    for (size_t i = 1; i < ks->n; i++) {
        if (want[i] != WANT_MASK || want[i - 1] != WANT_NONE)
            continue;
        for (size_t j = i; j-- > 0 && ks->t_s[j] >= ks->t_s[i] - MASK_PREROLL_S;)
            if (want[j] == WANT_NONE && ks->has_pose[j])
                want[j] = WANT_TRACK;
    }
    /* thin to MASK_MAX_FPS (half a clip frame of slack: 29.97 fps keeps every frame) */
    double last = -INFINITY;
    size_t n_want = 0;
    for (size_t i = 0; i < ks->n; i++) {
        if (want[i] == WANT_NONE)
            continue;
        const double dt = i > 0 ? ks->t_s[i] - ks->t_s[i - 1] : 0.0;
        if (ks->t_s[i] - last < 1.0 / MASK_MAX_FPS - 0.5 * dt) {
            want[i] = WANT_NONE;
            continue;
        }
        last = ks->t_s[i];
        n_want += want[i] == WANT_MASK;
    }
    return n_want;
}

/* Mid-point of two landmarks. */
static void lm_mid(const struct hc_pose_frame *f, int a, int b, double *x, double *y)
{
    *x = 0.5 * ((double)f->lm[a].x_px + f->lm[b].x_px);
    *y = 0.5 * ((double)f->lm[a].y_px + f->lm[b].y_px);
}

/* Is the second look's pose `g` the first look's lifter `f` (MASK_AGREE_FRAC)? */
static int same_lifter(const struct hc_pose_frame *f, const struct hc_pose_frame *g)
{
    if (!f->has_pose || !g->has_pose)
        return 0;
    double fhx, fhy, fsx, fsy, ghx, ghy, gsx, gsy;
    lm_mid(f, HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP, &fhx, &fhy);
    lm_mid(f, HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER, &fsx, &fsy);
    lm_mid(g, HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP, &ghx, &ghy);
    lm_mid(g, HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER, &gsx, &gsy);
    const double trunk = hypot(fsx - fhx, fsy - fhy);
    return trunk > 1.0 && hypot(ghx - fhx, ghy - fhy) <= MASK_AGREE_FRAC * trunk &&
           hypot(gsx - fsx, gsy - fsy) <= MASK_AGREE_FRAC * trunk;
}

/* The second look decodes on a thread of its own while the calling thread tracks (as pose_run.c
 * does for the first look): a bounded ring of frame buffers between them (video.h, video_ring),
 * filled straight by the decoder. The feeder walks the stretches in order and hands over
 * only the frames the plan wants; the tracker takes them in the same order, so the results are
 * those of decoding and tracking one after the other, in about the time of the slower of the
 * two (on 34 s of 1080p30: decoding ~2.3 s, tracking ~3.0 s, 5.8 s one after the other). */
/* The ring (at most VIDEO_RING_MAX_SLOTS slots) stays under this many bytes (1080p RGB24 frames:
 * 3 slots), for issue 6's
 * 200 MB peak RSS: 8 slots at 1080p took the analysis from 203 to 236 MB (and the second look
 * from 4.7 to 3.7 s against 5.9 s without the thread). */
#define MASK_RING_MAX_BYTES ((size_t)24 << 20)

/* The feeder's notes on each slot (video_ring_slot.note): the first-look frame it is, and which
 * stretch (the tracker is reset at each new one). */
enum { NOTE_FRAME = 0, NOTE_STRETCH = 1 };

struct mask_feed {
    /* in: set before the thread starts, read only */
    const struct hc_analysis *a;
    const struct kin_series *ks0;
    const uint8_t *want;
    const size_t *s0, *s1; /* stretches [s0[k], s1[k]] of first-look frames */
    size_t n_stretches;
    struct video_ring ring;
    int64_t n_decoded; /* the feeder's frames, for the info log (read after the join) */
};

/* Readies the decoder for stretch k: the decoder of the previous stretch decodes on to it when
 * it starts at most MASK_FORWARD_S after its last frame, else seeks (opened once: a seek inside
 * the open file saves opening it again, ~16 ms at 1080p). Either way the stretch gets the same
 * pictures (decoding from a keyframe gives the same frames), and the frames before it are
 * decoded only as far as later frames need them (video_decoder_skip_before). */
static enum hc_status feed_decoder_for(struct mask_feed *f, size_t k, struct video_decoder **dec,
                                       double last_t, double half)
{
    const double t_first = f->ks0->t_s[f->s0[k]];
    const double start = f->s0[k] == 0 ? 0.0 : fmax(0.0, t_first - half);
    if (*dec && (t_first <= last_t + half || t_first - last_t > MASK_FORWARD_S)) {
        /* behind the decoder, or far ahead of it: seek (the clip's first frame: open again,
         * so times count from the same first frame as the first look's) */
        if (start > 0.0 && video_decoder_seek(*dec, start) == HC_OK)
            return HC_OK;
        video_decoder_free(*dec);
        *dec = NULL;
    }
    if (*dec) {
        video_decoder_skip_before(*dec, start);
        return HC_OK;
    }
    struct video_open_params vp = video_default_open_params();
    vp.start_s = start;
    vp.end_s = 0.0; /* to the end: later stretches may decode on */
    vp.n_threads = 1; /* one decoder thread beside the one inference thread */
    return video_decoder_open(f->a->path, &vp, dec);
}

static void *mask_feed_main(void *arg)
{
    struct mask_feed *f = arg;
    const struct hc_analysis *a = f->a;
    const double half = a->in.fps > 0 ? 0.5 / a->in.fps : 0.017;
    struct video_decoder *dec = NULL;
    double last_t = 0.0;
    enum hc_status st = HC_OK;
    for (size_t k = 0; k < f->n_stretches && st == HC_OK; k++) {
        if ((st = feed_decoder_for(f, k, &dec, last_t, half)) != HC_OK)
            break;
        size_t j = f->s0[k];
        const size_t i1 = f->s1[k];
        for (;;) {
            /* the next frame's time first: a frame not wanted is decoded (later frames may
             * need it) but never converted to RGB, and needs no slot */
            double t_next = 0.0;
            if ((st = video_decoder_peek(dec, &t_next)) != HC_OK)
                break;
            while (j <= i1 && a->frames[j].t_s < t_next - half)
                j++;
            if (j > i1 || fabs(a->frames[j].t_s - t_next) > half || f->want[j] == WANT_NONE) {
                struct video_frame skipped;
                if ((st = video_decoder_next_into(dec, NULL, 0, &skipped)) != HC_OK)
                    break;
                f->n_decoded++;
                last_t = skipped.t_s;
                if (j > i1)
                    break; /* the frame after the stretch: the next one starts >= 0.5 s later */
                continue;
            }
            struct video_ring_slot *sl = video_ring_acquire(&f->ring);
            if (!sl)
                goto out; /* the tracker gave up */
            if ((st = video_ring_decode(sl, dec)) != HC_OK)
                break;
            f->n_decoded++;
            last_t = sl->vf.t_s;
            sl->note[NOTE_FRAME] = j;
            sl->note[NOTE_STRETCH] = k;
            video_ring_publish(&f->ring);
        }
        if (st == HC_ERR_EMPTY) { /* the clip's end: the next stretch opens its own decoder */
            video_decoder_free(dec);
            dec = NULL;
            st = HC_OK;
        }
    }
out:
    video_decoder_free(dec);
    video_ring_finish(&f->ring, st);
    return NULL;
}

/* Tracks the frames the feeder hands over and measures the spine from each mask into
 * samples[]. */
static enum hc_status mask_track(struct hc_analysis *a, const struct kin_series *ks0,
                                 const uint8_t *want, struct mask_feed *f,
                                 struct hc_pose_tracker *tr, struct kin_spine_sample *samples)
{
    const struct kin_params kp = kin_default_params();
    size_t stretch = (size_t)-1;
    enum hc_status st = HC_OK;
    for (;;) {
        const struct video_ring_slot *sl = video_ring_peek(&f->ring, 0, NULL);
        if (!sl) /* the feeder finished and every frame it handed over is tracked */
            return video_ring_end_status(&f->ring);
        const size_t j = sl->note[NOTE_FRAME];
        if (sl->note[NOTE_STRETCH] != stretch) {
            pose_tracker_reset(tr);
            stretch = sl->note[NOTE_STRETCH];
            a->n_mask_stretches++;
        }
        const int mask_it = want[j] == WANT_MASK;
        struct hc_pose_frame pf;
        /* the mask stays the model's tensor: the spine reads a few thousand of its pixels in
         * the frame, each computed as the frame-sized warp would have it (cv_warp_float_at) */
        st = hc_pose_tracker_process(tr, sl->vf.rgb, sl->vf.width_px, sl->vf.height_px,
                                     sl->vf.stride, sl->vf.t_s, a->frames[j].index,
                                     mask_it ? POSE_MASK_LAZY : 0, &pf);
        if (st == HC_OK) {
            a->n_mask_tracked++;
            int sw = 0, sh = 0;
            double inv[6];
            const float *m = mask_it ? pose_tracker_mask_lazy(tr, &sw, &sh, inv) : NULL;
            if (m && same_lifter(&a->frames[j], &pf)) {
                const struct kin_mask km = {m,   1,  sl->vf.width_px, sl->vf.height_px, 0,
                                            inv, sw, sh};
                struct kin_frame kf;
                kin_series_measure_frame(ks0, &a->frames[j], a->in.width_px, a->in.height_px,
                                         &kp, &km, &kf);
                if (kf.spine_src == KIN_SPINE_MASK && kf.conf[KIN_SPINE_CURVATURE] > 0.0f) {
                    samples[j].value = kf.value[KIN_SPINE_CURVATURE];
                    samples[j].conf = kf.conf[KIN_SPINE_CURVATURE];
                    a->n_masked++;
                }
            }
        }
        video_ring_release(&f->ring);
        if (st != HC_OK)
            return st;
    }
}

/* The second look (see above): fills *out with one sample per first-look frame (NaN where no
 * mask), or leaves it NULL when the clip gets none (side views only: the mask path reads the
 * image; no reps; masks turned off). */
static enum hc_status analysis_masks(struct hc_analysis *a, const struct kin_series *ks0,
                                     const struct reps_result *rr,
                                     struct kin_spine_sample **out)
{
    *out = NULL;
    if (!a->mask_clip || ks0->use_world || !rr || rr->n_reps == 0 || ks0->n == 0)
        return HC_OK;
    const double t0 = hc_now_s();
    uint8_t *want = malloc(ks0->n);
    struct kin_spine_sample *samples = malloc(ks0->n * sizeof *samples);
    struct hc_pose_tracker *tr = NULL;
    size_t *s0 = NULL, *s1 = NULL;
    enum hc_status st = HC_OK;
    if (!want || !samples) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory planning the spine masks", a->path);
        goto done;
    }
    for (size_t i = 0; i < ks0->n; i++)
        samples[i] = (struct kin_spine_sample){NAN, 0.0f};
    a->n_mask_wanted = (int64_t)mask_plan(a, ks0, rr, want);
    if (a->n_mask_wanted == 0)
        goto done;
    /* one inference thread beside the feeder's decoder thread, whatever --threads says: two
     * XNNPACK threads beside a busy decoder on 2 cores stall (pose_run.c); XNNPACK gives the
     * same bits on one thread as on two */
    struct hc_pose_params pp = a->mask_clip->pose;
    pp.n_threads = 1;
    if ((st = hc_pose_tracker_create(&pp, &tr)) != HC_OK)
        goto done;
    /* the stretches: wanted frames with gaps under MASK_MERGE_GAP_S */
    s0 = malloc(ks0->n * sizeof *s0);
    s1 = malloc(ks0->n * sizeof *s1);
    if (!s0 || !s1) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory planning the spine masks", a->path);
        goto done;
    }
    size_t n_st = 0;
    for (size_t i = 0; i < ks0->n;) {
        if (want[i] == WANT_NONE) {
            i++;
            continue;
        }
        size_t i1 = i;
        for (size_t k = i + 1; k < ks0->n && ks0->t_s[k] - ks0->t_s[i1] < MASK_MERGE_GAP_S; k++)
            if (want[k] != WANT_NONE)
                i1 = k;
        s0[n_st] = i;
        s1[n_st++] = i1;
        i = i1 + 1;
    }
    struct mask_feed *f = calloc(1, sizeof *f);
    if (!f) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory planning the spine masks", a->path);
        goto done;
    }
    const size_t frame_bytes = (size_t)a->in.width_px * (size_t)a->in.height_px * 3 + 1;
    size_t n_slots = MASK_RING_MAX_BYTES / frame_bytes;
    n_slots = n_slots < 2 ? 2 : n_slots; /* video_ring_init caps it */
    *f = (struct mask_feed){.a = a, .ks0 = ks0, .want = want, .s0 = s0, .s1 = s1,
                            .n_stretches = n_st};
    if ((st = video_ring_init(&f->ring, (int)n_slots, -1)) != HC_OK) {
        free(f);
        goto done;
    }
    pthread_t th;
    if (pthread_create(&th, NULL, mask_feed_main, f) != 0) {
        st = hc_fail(HC_ERR_NOMEM, "%s: cannot start the decoder thread for the spine masks",
                     a->path);
    } else {
        st = mask_track(a, ks0, want, f, tr, samples);
        video_ring_stop(&f->ring); /* an error of the tracker: the feeder must not wait */
        pthread_join(th, NULL);
        hc_log(HC_LOG_INFO,
               "%s: spine masks' second look: %lld frames decoded (%.2f s CPU, %.2f s waiting "
               "for a slot), the tracker waited %.2f s for frames",
               a->path, (long long)f->n_decoded, f->ring.producer_cpu_s, f->ring.wait_space_s,
               f->ring.wait_frame_s);
    }
    video_ring_destroy(&f->ring);
    free(f);
    if (st != HC_OK)
        goto done;
    *out = samples;
    samples = NULL;
done:
    a->mask_s = hc_now_s() - t0;
    if (st == HC_OK && a->n_mask_wanted > 0)
        hc_log(HC_LOG_INFO,
               "%s: spine masks on %lld of %zu frames (%.0f%%; %lld asked for, %lld tracked "
               "again in %d stretches) in %.2f s",
               a->path, (long long)a->n_masked, ks0->n,
               100.0 * (double)a->n_masked / (double)ks0->n, (long long)a->n_mask_wanted,
               (long long)a->n_mask_tracked, a->n_mask_stretches, a->mask_s);
    hc_pose_tracker_free(tr);
    free(s0);
    free(s1);
    free(want);
    free(samples);
    return st;
}

/* Hip flexion range seen over the clip, for the "no rep" reason. */
static double hip_range_deg(const struct kin_series *ks)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < ks->n; i++) {
        const double v = ks->value[KIN_HIP_ANGLE][i];
        if (isfinite(v)) {
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    }
    return hi >= lo ? hi - lo : 0.0;
}

/* Common end: kinematics, reps, rules, status. a->frames, a->in clip facts are filled. */
static enum hc_status analysis_finish(struct hc_analysis *a, enum rules_lift lift, double t0)
{
    const double t1 = hc_now_s();
    struct report_input *in = &a->in;
    int64_t n_pose = 0;
    for (size_t i = 0; i < a->n_frames; i++)
        n_pose += a->frames[i].has_pose != 0;
    in->n_frames = (int64_t)a->n_frames;
    in->n_with_pose = n_pose;
    in->requested = lift;
    in->rules_name = a->rs->source_name ? a->rs->source_name : "built-in";
    in->rs = a->rs;

    struct kin_params kp = kin_default_params();
    kp.implement = (enum kin_implement)a->implement; /* --implement (KIN_IMPLEMENT_UNKNOWN: auto) */
    enum hc_status st = kin_series_compute(a->frames, a->n_frames, in->width_px, in->height_px,
                                           NULL, &kp, &a->ks);
    if (st != HC_OK)
        return st;
    if (n_pose > 0 && a->mask_clip) {
        /* first look without masks, then masks where the reps need them, then again */
        const struct reps_params rp = reps_default_params();
        struct kin_spine_sample *samples = NULL;
        if ((st = rules_run(a->rs, a->ks, lift, &rp, &a->rr, &a->res)) != HC_OK ||
            (st = analysis_masks(a, a->ks, a->rr, &samples)) != HC_OK)
            return st;
        rules_result_free(a->res);
        reps_result_free(a->rr);
        a->res = NULL;
        a->rr = NULL;
        if (samples) {
            kin_series_free(a->ks);
            a->ks = NULL;
            st = kin_series_compute_spine(a->frames, a->n_frames, in->width_px, in->height_px,
                                          samples, &kp, &a->ks);
            free(samples);
            if (st != HC_OK)
                return st;
        }
    }
    in->ks = a->ks;
    if (n_pose == 0) {
        in->status = HC_ERR_NO_POSE;
        snprintf(a->reason, sizeof a->reason,
                 "no lifter on any of the %zu frames; film the whole body from the side, "
                 "2-3 m away, in good light",
                 a->n_frames);
    } else {
        const struct reps_params rp = reps_default_params();
        if ((st = rules_run(a->rs, a->ks, lift, &rp, &a->rr, &a->res)) != HC_OK)
            return st;
        in->rr = a->rr;
        in->res = a->res;
        if (a->res->n_reps == 0) {
            in->status = HC_ERR_NO_REPS;
            snprintf(a->reason, sizeof a->reason,
                     "the lifter was found on %lld of %zu frames but no hinge rep: the hip angle "
                     "moved through %.0f deg, a rep needs at least %.0f deg down and back up",
                     (long long)n_pose, a->n_frames, hip_range_deg(a->ks),
                     a->rr->hysteresis_deg);
        }
    }
    in->reason = a->reason;
    in->analysis_s = hc_now_s() - t1;
    a->elapsed_s = hc_now_s() - t0;
    return HC_OK;
}

static enum hc_status push_frame(struct hc_analysis *a, const struct hc_pose_frame *f)
{
    if (a->n_frames == a->cap_frames) {
        const size_t nc = a->cap_frames ? a->cap_frames * 2 : 512;
        struct hc_pose_frame *nf = realloc(a->frames, nc * sizeof *nf);
        if (!nf)
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory keeping %zu frames of poses",
                           a->path, a->n_frames);
        a->frames = nf;
        a->cap_frames = nc;
    }
    a->frames[a->n_frames++] = *f;
    return HC_OK;
}

static enum hc_status on_pose_frame(const struct hc_video_info *info,
                                    const struct hc_pose_frame *frame, const float *mask,
                                    void *user)
{
    (void)mask; /* none asked for: see analysis_masks */
    struct hc_analysis *a = user;
    const enum hc_status st = push_frame(a, frame);
    if (st == HC_OK && a->on_frame &&
        a->on_frame(frame->index, info ? info->n_frames_estimate : 0, a->on_frame_user) != 0)
        return hc_fail(HC_ERR_CANCELLED, "%s: stopped on request", a->path);
    return st;
}

enum hc_status hc_analyse_file(const char *video_path, const struct hc_analysis_params *p,
                               struct hc_analysis **out)
{
    return analysis_file_mode(video_path, p, POSE_RUN_AUTO, out);
}

enum hc_status analysis_file_mode(const char *video_path, const struct hc_analysis_params *p,
                                  enum pose_run_mode mode, struct hc_analysis **out)
{
    const struct hc_analysis_params def = hc_analysis_default_params();
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_file: no output pointer");
    *out = NULL;
    if (!video_path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_file: no path");
    if (!p)
        p = &def;
    const double t0 = hc_now_s();
    enum rules_lift lift;
    struct hc_analysis *a = NULL;
    enum hc_status st = analysis_begin(video_path, p, &lift, &a);
    if (st != HC_OK)
        return st;
    struct hc_pose_clip_params cp = p->clip;
    cp.mask_every_frame = 0; /* masks come from a second look at a few stretches: analysis_masks */
    /* the second look's tracker borrows the first look's models: loaded once, not twice (after
     * a probe, so a bad video is still reported before a model problem) */
    struct hc_pose_models *own_models = NULL;
    if (!p->no_spine_masks && !cp.pose.models) {
        struct hc_video_info vi;
        if ((st = hc_probe_file(video_path, &vi)) != HC_OK ||
            (st = hc_pose_models_load(&cp.pose, &own_models)) != HC_OK)
            goto fail;
        cp.pose.models = own_models;
    }
    struct hc_pose_clip_summary sum;
    a->on_frame = p->on_frame;
    a->on_frame_user = p->on_frame_user;
    st = pose_run_file_mode(video_path, &cp, on_pose_frame, a, &sum, mode, NULL);
    a->on_frame = NULL;
    if (st != HC_OK)
        goto fail;
    struct report_input *in = &a->in;
    a->source = dup_str(video_path);
    if (!a->source) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", video_path);
        goto fail;
    }
    in->path = a->path;
    in->source = a->source;
    in->from_track = 0;
    in->width_px = sum.info.width_px;
    in->height_px = sum.info.height_px;
    in->fps = sum.info.fps;
    in->duration_s = sum.info.duration_s;
    snprintf(a->model, sizeof a->model, "%s", hc_pose_model_name(cp.pose.model));
    in->model = a->model;
    in->smooth = cp.pose.smooth;
    in->start_s = cp.start_s;
    in->end_s = cp.end_s;
    in->pose_s = hc_now_s() - t0;
    a->mask_clip = p->no_spine_masks ? NULL : &cp;
    st = analysis_finish(a, lift, t0);
    a->mask_clip = NULL;
    if (st != HC_OK)
        goto fail;
    hc_pose_models_free(own_models);
    *out = a;
    return HC_OK;
fail:
    hc_pose_models_free(own_models);
    hc_analysis_free(a);
    return st;
}

enum hc_status hc_analyse_track(const struct hc_track *t, const char *name,
                                const struct hc_analysis_params *p, struct hc_analysis **out)
{
    const struct hc_analysis_params def = hc_analysis_default_params();
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_track: no output pointer");
    *out = NULL;
    if (!t)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_track: no track");
    if (!p)
        p = &def;
    if (!name)
        name = t->header.source[0] ? t->header.source : "track";
    const double t0 = hc_now_s();
    if (t->header.width_px <= 0 || t->header.height_px <= 0)
        return hc_fail(HC_ERR_FORMAT, "%s: the track does not give the frame size (no header "
                       "line, no .meta.json beside it); write tracks with hingecheck pose", name);
    enum rules_lift lift;
    struct hc_analysis *a = NULL;
    enum hc_status st = analysis_begin(name, p, &lift, &a);
    if (st != HC_OK)
        return st;
    if (t->n_frames > 0) {
        a->frames = malloc((size_t)t->n_frames * sizeof *a->frames);
        if (!a->frames) {
            st = hc_fail(HC_ERR_NOMEM, "%s: out of memory for %lld frames", name,
                         (long long)t->n_frames);
            goto fail;
        }
        memcpy(a->frames, t->frames, (size_t)t->n_frames * sizeof *a->frames);
        a->n_frames = a->cap_frames = (size_t)t->n_frames;
    }
    if (!(a->source = dup_str(t->header.source))) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto fail;
    }
    struct report_input *in = &a->in;
    in->path = a->path;
    in->source = a->source;
    in->from_track = 1;
    in->width_px = t->header.width_px;
    in->height_px = t->header.height_px;
    in->fps = t->header.fps;
    in->duration_s = t->header.duration_s;
    if (!(in->duration_s > 0) && a->n_frames > 0) {
        /* tracks without a duration: last frame time plus one frame */
        const double dt = in->fps > 0 ? 1.0 / in->fps : 0.0;
        in->duration_s = a->frames[a->n_frames - 1].t_s - a->frames[0].t_s + dt;
    }
    snprintf(a->model, sizeof a->model, "%s", t->header.model[0] ? t->header.model : "unknown");
    in->model = a->model;
    in->smooth = t->header.smooth;
    in->pose_s = NAN; /* no pose stage: the report shows null */
    if ((st = analysis_finish(a, lift, t0)) != HC_OK)
        goto fail;
    *out = a;
    return HC_OK;
fail:
    hc_analysis_free(a);
    return st;
}

enum hc_status hc_analyse_track_file(const char *track_path, const struct hc_analysis_params *p,
                                     struct hc_analysis **out)
{
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_track_file: no output pointer");
    *out = NULL;
    /* check the rules and exercise before reading a possibly long track */
    const struct hc_analysis_params def = hc_analysis_default_params();
    if (!p)
        p = &def;
    if (p->exercise && rules_lift_from_name(p->exercise) < 0)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown exercise '%s'; use one of %s", p->exercise,
                       hc_exercise_names());
    struct hc_track *t = NULL;
    enum hc_status st = hc_track_read(track_path, &t);
    if (st != HC_OK)
        return st;
    st = hc_analyse_track(t, track_path, p, out);
    hc_track_free(t);
    return st;
}

void hc_analysis_summarise(const struct hc_analysis *a, struct hc_analysis_summary *out)
{
    memset(out, 0, sizeof *out);
    out->set_score = NAN;
    out->worst = HC_SEVERITY_NONE;
    out->reason = "";
    out->view = "unknown";
    if (!a)
        return;
    const struct report_input *in = &a->in;
    out->status = in->status;
    out->reason = a->reason;
    out->n_frames = in->n_frames;
    out->n_with_pose = in->n_with_pose;
    out->elapsed_s = a->elapsed_s;
    out->view = kin_view_name(a->ks ? a->ks->view : KIN_VIEW_UNKNOWN);
    out->exercise = rules_lift_name(in->requested);
    const struct rules_result *res = a->res;
    if (!res)
        return;
    out->exercise = rules_lift_name(res->detected);
    out->n_reps = (int)res->n_reps;
    out->n_full = (int)res->n_full;
    out->set_score = res->n_reps ? res->set_score : NAN;
    out->worst = (enum hc_severity)report_worst_severity(res);
    for (size_t i = 0; i < res->n_findings; i++)
        out->n_findings[res->findings[i].severity]++;
    size_t idx[3];
    const size_t n = report_top_cues(res, idx, NULL, 3);
    for (size_t k = 0; k < n; k++)
        out->top_cues[k] = res->findings[idx[k]].rule;
}

struct hc_report_options hc_report_default_options(void)
{
    struct hc_report_options o;
    memset(&o, 0, sizeof o);
    return o;
}

const char *hc_report_formats(void)
{
    return report_format_names;
}

enum hc_status hc_analysis_write_stream(const struct hc_analysis *a, const char *format, FILE *f,
                                        const struct hc_report_options *o)
{
    if (!a || !f)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write_stream: no result or stream");
    const struct report_writer *w = report_writer_find(format);
    if (!w)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown report format '%s'; use one of %s",
                       format ? format : "(null)", report_format_names);
    const struct hc_report_options def = hc_report_default_options();
    if (!o)
        o = &def;
    const struct report_options ro = {o->color, o->series, o->deterministic};
    return w->write(&a->in, &ro, f);
}

enum hc_status hc_analysis_write(const struct hc_analysis *a, const char *format,
                                 const char *path, const struct hc_report_options *o)
{
    if (!path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write: no path");
    if (strcmp(path, "-") == 0) {
        enum hc_status st = hc_analysis_write_stream(a, format, stdout, o);
        if (st == HC_OK && fflush(stdout) != 0)
            st = hc_fail(HC_ERR_IO, "cannot write the %s report to standard output", format);
        return st;
    }
    if (!report_writer_find(format))
        return hc_analysis_write_stream(a, format, NULL, o); /* the error message */
    /* Something that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is
     * written in place: renaming a temporary file over it would replace the device. */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return hc_fail(HC_ERR_IO, "%s: cannot open for writing (%s)", path, strerror(errno));
        enum hc_status st = hc_analysis_write_stream(a, format, f, o);
        if (fclose(f) != 0 && st == HC_OK)
            st = hc_fail(HC_ERR_IO, "%s: cannot write the report (%s)", path, strerror(errno));
        return st;
    }
    /* temp file beside the target + rename: a killed run never leaves half a report */
    char tmp[4096];
    const int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp)
        return hc_fail(HC_ERR_INVALID_ARG, "%s: path too long", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return hc_fail(HC_ERR_IO, "%s: cannot create the report (%s); check the folder exists "
                       "and is writable", path, strerror(errno));
    enum hc_status st = hc_analysis_write_stream(a, format, f, o);
    if (fclose(f) != 0 && st == HC_OK)
        st = hc_fail(HC_ERR_IO, "%s: cannot write the report (%s); check free disk space", path,
                     strerror(errno));
    if (st == HC_OK && rename(tmp, path) != 0)
        st = hc_fail(HC_ERR_IO, "%s: cannot move the report into place (%s)", path,
                     strerror(errno));
    if (st != HC_OK)
        remove(tmp);
    return st;
}

const struct report_input *analysis_report_input(const struct hc_analysis *a)
{
    return a ? &a->in : NULL;
}

const struct hc_pose_frame *analysis_frames(const struct hc_analysis *a, size_t *n)
{
    if (n)
        *n = a ? a->n_frames : 0;
    return a ? a->frames : NULL;
}
