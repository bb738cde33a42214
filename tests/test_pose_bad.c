#define _POSIX_C_SOURCE 200809L
/* test_pose_bad.c - the tracker on awkward clips it makes itself: nobody in view, one frame, a
 * lifter who leaves and comes back, 160 px and 4K frames, a phone clip stored sideways with a
 * rotation flag. Always a valid result, null frames where nobody is, a warning, never a crash.
 * The clips with a person are cut from ../shared/clips (skipped when absent). */
#include "core/core.h"
#include "hingecheck.h"
#include "video/video.h"

#include <check.h>
#include "hc_check.h"
#include "hc_shared_clips.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The real clip the cases with a person are cut from (hc_shared_clips.h): 360x640 at 60 fps. */
#define SRC_CLIP "kettlebell deadlift | side"

static char warnings[4096];

static void sink(enum hc_log_level level, const char *msg, void *user)
{
    (void)user;
    if (level <= HC_LOG_WARN && strlen(warnings) + strlen(msg) + 2 < sizeof warnings) {
        strcat(warnings, msg);
        strcat(warnings, "\n");
    }
}

struct run {
    int64_t n;
    int has_pose[512];
    float hip_x[512], hip_y[512]; /* mean of the hips, pixels */
    int w, h;
};

static enum hc_status collect(const struct hc_video_info *info, const struct hc_pose_frame *f,
                              const float *mask, void *user)
{
    struct run *r = user;
    (void)mask;
    r->w = info->width_px;
    r->h = info->height_px;
    if (r->n < 512) {
        r->has_pose[r->n] = f->has_pose;
        r->hip_x[r->n] = (f->lm[HC_LM_LEFT_HIP].x_px + f->lm[HC_LM_RIGHT_HIP].x_px) / 2;
        r->hip_y[r->n] = (f->lm[HC_LM_LEFT_HIP].y_px + f->lm[HC_LM_RIGHT_HIP].y_px) / 2;
    }
    r->n++;
    return HC_OK;
}

static enum hc_status run_clip(const char *path, struct run *r, double end_s)
{
    memset(r, 0, sizeof *r);
    warnings[0] = '\0';
    hc_set_log_sink(sink, NULL);
    hc_set_log_level(HC_LOG_WARN);
    struct hc_pose_clip_summary sum;
    struct hc_pose_clip_params p = hc_pose_clip_default_params();
    p.end_s = end_s;
    enum hc_status st = hc_pose_run_file(path, &p, collect, r, &sum);
    hc_set_log_sink(NULL, NULL);
    if (st == HC_OK)
        ck_assert_int_eq((int)sum.n_frames, (int)r->n);
    return st;
}

static char tmp_path[512];

static struct video_writer *open_writer(const char *name, int w, int h, int rotation)
{
    snprintf(tmp_path, sizeof tmp_path, "%s/test_pose_bad_%s.mp4", HC_BUILD_DIR, name);
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = w;
    wp.height_px = h;
    wp.fps = 30;
    wp.rotation_deg = rotation;
    struct video_writer *vw;
    ck_assert_msg(video_writer_open(tmp_path, &wp, &vw) == HC_OK, "%s", hc_last_error());
    return vw;
}

/* A textured empty scene: a wall gradient and some boxes, nobody in it. */
static void empty_scene(uint8_t *rgb, int w, int h, int t)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            const int box = ((x / 40 + y / 40 + t / 10) % 5) == 0;
            p[0] = (uint8_t)(box ? 180 : 60 + y * 100 / h);
            p[1] = (uint8_t)(box ? 120 : 70 + x * 80 / w);
            p[2] = (uint8_t)(box ? 40 : 90);
        }
}

START_TEST(nobody_in_view)
{
    const int w = 320, h = 240;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    struct video_writer *vw = open_writer("nobody", w, h, 0);
    for (int t = 0; t < 45; t++) {
        empty_scene(rgb, w, h, t);
        ck_assert_int_eq(video_writer_write_rgb(vw, rgb, w * 3, -1.0), HC_OK);
    }
    ck_assert_int_eq(video_writer_close(vw), HC_OK);
    free(rgb);
    static struct run r;
    ck_assert_int_eq(run_clip(tmp_path, &r, 0.0), HC_OK);
    ck_assert_int_eq((int)r.n, 45);
    for (int i = 0; i < 45; i++)
        ck_assert_int_eq(r.has_pose[i], 0);
    ck_assert_ptr_nonnull(strstr(warnings, "no person found"));
    unlink(tmp_path);
}
END_TEST

START_TEST(one_frame_clip)
{
    const int w = 200, h = 160;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    struct video_writer *vw = open_writer("oneframe", w, h, 0);
    empty_scene(rgb, w, h, 0);
    ck_assert_int_eq(video_writer_write_rgb(vw, rgb, w * 3, -1.0), HC_OK);
    ck_assert_int_eq(video_writer_close(vw), HC_OK);
    free(rgb);
    static struct run r;
    ck_assert_int_eq(run_clip(tmp_path, &r, 0.0), HC_OK);
    ck_assert_int_eq((int)r.n, 1);
    ck_assert_ptr_nonnull(strstr(warnings, "1 frame"));
    unlink(tmp_path);
}
END_TEST

/* Frames of the source clip, transformed: kind 0 copies, 1 blanks frames [20, 40) (the lifter
 * leaves), 2 scales to 160 px high, 3 scales to 3840 x 2160 (4K) centred, 4 stores the frame
 * rotated 90 degrees counter-clockwise with a 90-degree display rotation (a phone clip). */
static const struct {
    const char *name;
    int kind, n_frames;
} cut_cases[] = {
    {"copy", 0, 30}, {"leave", 1, 60}, {"small", 2, 30}, {"uhd", 3, 8}, {"rotated", 4, 30},
};

static void transform(int kind, const struct video_frame *f, uint8_t *dst, int dw, int dh,
                      int64_t i)
{
    const int sw = f->width_px, sh = f->height_px;
    if (kind == 1 && i >= 20 && i < 40) {
        empty_scene(dst, dw, dh, (int)i);
        return;
    }
    for (int y = 0; y < dh; y++)
        for (int x = 0; x < dw; x++) {
            int sx, sy;
            if (kind == 4) { /* stored pixel (x, y) shows upright pixel (sw-1-y, x)... */
                sx = sw - 1 - y;
                sy = x;
            } else if (kind == 2 || kind == 3) { /* nearest-neighbour scaling, centred */
                const double s = (double)dh / sh;
                const double ox = (dw - sw * s) / 2.0;
                sx = (int)floor((x - ox) / s);
                sy = (int)floor(y / s);
            } else {
                sx = x;
                sy = y;
            }
            uint8_t *p = dst + ((size_t)y * dw + x) * 3;
            if (sx < 0 || sx >= sw || sy < 0 || sy >= sh) {
                p[0] = p[1] = p[2] = 0;
                continue;
            }
            memcpy(p, f->rgb + (size_t)sy * f->stride + (size_t)sx * 3, 3);
        }
}

START_TEST(cut_from_real_clip)
{
    struct hc_shared_clip c;
    if (!hc_shared_clip_check(SRC_CLIP, &c))
        return;
    char src[1024];
    snprintf(src, sizeof src, "%s/clips/%s.mp4", HC_SHARED_DIR, c.stem);
    if (access(src, R_OK) != 0) {
        printf("test_pose_bad: skipped %s: %s not found\n", cut_cases[_i].name, src);
        return;
    }
    const int kind = cut_cases[_i].kind, n = cut_cases[_i].n_frames;
    struct video_decoder *d;
    struct video_open_params vp = video_default_open_params();
    ck_assert_int_eq(video_decoder_open(src, &vp, &d), HC_OK);
    const struct hc_video_info info = *video_decoder_info(d); /* outlives the decoder */
    const struct hc_video_info *in = &info;
    int dw = in->width_px, dh = in->height_px, rot = 0;
    if (kind == 2) {
        dh = 160;
        dw = 90;
    } else if (kind == 3) {
        dw = 3840;
        dh = 2160;
    } else if (kind == 4) {
        dw = in->height_px;
        dh = in->width_px;
        rot = 90;
    }
    uint8_t *rgb = malloc((size_t)dw * dh * 3);
    struct video_writer *vw = open_writer(cut_cases[_i].name, dw, dh, rot);
    char made[512];
    snprintf(made, sizeof made, "%s", tmp_path);
    struct video_frame f;
    for (int64_t i = 0; i < n && video_decoder_next(d, &f) == HC_OK; i++) {
        transform(kind, &f, rgb, dw, dh, i);
        ck_assert_int_eq(video_writer_write_rgb(vw, rgb, dw * 3, -1.0), HC_OK);
    }
    ck_assert_int_eq(video_writer_close(vw), HC_OK);
    video_decoder_free(d);
    free(rgb);

    static struct run r, ref;
    ck_assert_msg(run_clip(made, &r, 0.0) == HC_OK, "%s", hc_last_error());
    ck_assert_int_eq((int)r.n, n);
    if (kind == 4) { /* shown upright: the original size, the hips where they were */
        ck_assert_int_eq(r.w, in->width_px);
        ck_assert_int_eq(r.h, in->height_px);
    }
    int n_pose = 0;
    for (int i = 0; i < n; i++)
        n_pose += r.has_pose[i];
    if (kind == 1) {
        for (int i = 0; i < 20; i++)
            ck_assert_msg(r.has_pose[i], "frame %d: the lifter is there", i);
        for (int i = 22; i < 40; i++) /* allow a frame or two of lag at the cut */
            ck_assert_msg(!r.has_pose[i], "frame %d: nobody is there", i);
        for (int i = 42; i < 60; i++)
            ck_assert_msg(r.has_pose[i], "frame %d: the lifter is back", i);
        ck_assert_ptr_null(strstr(warnings, "no person found"));
    } else {
        ck_assert_int_ge(n_pose, n - 1);
    }
    if (kind == 3 || kind == 4) {
        /* Same hips as the plain copy, in that clip's pixels. */
        ck_assert_int_eq(run_clip(src, &ref, (n + 0.5) / in->fps), HC_OK);
        const double s = kind == 3 ? 2160.0 / in->height_px : 1.0;
        const double ox = kind == 3 ? (3840.0 - in->width_px * s) / 2.0 : 0.0;
        for (int i = 0; i < n; i++) {
            if (!r.has_pose[i] || !ref.has_pose[i])
                continue;
            const double dx = (r.hip_x[i] - ox) / s - ref.hip_x[i];
            const double dy = r.hip_y[i] / s - ref.hip_y[i];
            ck_assert_msg(sqrt(dx * dx + dy * dy) < 0.03 * in->height_px,
                          "frame %d: hips %.1f px from the original's", i, sqrt(dx * dx + dy * dy));
        }
    }
    unlink(made);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pose_bad");
    TCase *tc = tcase_create("clips");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, nobody_in_view);
    tcase_add_test(tc, one_frame_clip);
    tcase_add_loop_test(tc, cut_from_real_clip, 0, (int)(sizeof cut_cases / sizeof cut_cases[0]));
    suite_add_tcase(s, tc);
    return hc_check_run(s);
}
