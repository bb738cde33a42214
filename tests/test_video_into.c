/* test_video_into.c - video_decoder_next_into (decoding straight into the caller's buffer, as
 * the pipeline's frame ring does) gives the same pixels, times and statuses as video_decoder_next,
 * upright and rotated, at the stride video_decoder_frame_bytes asks for and at a wider one; a
 * stride under it is refused. The mask pass's reader (src/pipeline): video_decoder_peek,
 * decoding without converting (dst NULL), video_decoder_seek inside an open decoder and
 * video_decoder_skip_before give the frames a decoder opened at that time gives, bit for bit, on
 * an H.264 clip with B-frames. Clips are generated here (video_writer). */
#define _POSIX_C_SOURCE 200809L
#include "video/video.h"

#include <check.h>
#include "hc_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct into_case {
    int w, h, rotation_deg, extra_stride;
};

/* Odd sizes (a row that is no multiple of swscale's 8-byte stores) and every orientation path. */
static const struct into_case cases[] = {
    {98, 62, 0, 0}, {98, 62, 0, 64}, {98, 62, 90, 0}, {64, 48, 180, 32}, {64, 48, 270, 0},
};

static void clip_path(char *buf, size_t n, int i)
{
    snprintf(buf, n, "/tmp/test_video_into_%d_%d.mp4", (int)getpid(), i);
}

/* A moving gradient with a marker, so that a wrong row, stride or orientation shows. */
static void write_clip(const char *path, const struct into_case *c, int n)
{
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = c->w;
    wp.height_px = c->h;
    wp.rotation_deg = c->rotation_deg;
    wp.codec = "mpeg4";
    struct video_writer *vw = NULL;
    ck_assert_msg(video_writer_open(path, &wp, &vw) == HC_OK, "%s", hc_last_error());
    uint8_t *img = malloc((size_t)c->w * (size_t)c->h * 3);
    ck_assert_ptr_nonnull(img);
    for (int f = 0; f < n; f++) {
        for (int y = 0; y < c->h; y++)
            for (int x = 0; x < c->w; x++) {
                uint8_t *p = img + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
                p[0] = (uint8_t)(x * 2 + f * 9);
                p[1] = (uint8_t)(y * 3);
                p[2] = x < 10 && y < 6 ? 255 : (uint8_t)(f * 20);
            }
        ck_assert_int_eq(video_writer_write_rgb(vw, img, c->w * 3, -1.0), HC_OK);
    }
    free(img);
    ck_assert_int_eq(video_writer_close(vw), HC_OK);
}

START_TEST(test_same_as_next)
{
    const struct into_case *c = &cases[_i];
    char path[256];
    clip_path(path, sizeof path, _i);
    const int n_frames = 6;
    write_clip(path, c, n_frames);
    const struct video_open_params vp = video_default_open_params();
    struct video_decoder *a = NULL, *b = NULL;
    ck_assert_msg(video_decoder_open(path, &vp, &a) == HC_OK, "%s", hc_last_error());
    ck_assert_msg(video_decoder_open(path, &vp, &b) == HC_OK, "%s", hc_last_error());
    int stride = 0;
    const size_t bytes = video_decoder_frame_bytes(b, &stride);
    const int swap = c->rotation_deg == 90 || c->rotation_deg == 270;
    const int up_w = swap ? c->h : c->w;
    ck_assert_int_ge(stride, up_w * 3);
    const int use_stride = stride + c->extra_stride;
    const size_t rows = bytes / (size_t)stride + 1;
    uint8_t *buf = malloc(rows * (size_t)use_stride);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(video_decoder_next_into(b, buf, stride - 1, &(struct video_frame){0}),
                     HC_ERR_INVALID_ARG);
    struct video_frame fa, fb;
    enum hc_status sa, sb;
    int n = 0;
    for (;;) {
        sa = video_decoder_next(a, &fa);
        sb = video_decoder_next_into(b, buf, use_stride, &fb);
        ck_assert_int_eq(sa, sb);
        if (sa != HC_OK)
            break;
        ck_assert_ptr_eq(fb.rgb, buf);
        ck_assert_int_eq(fb.stride, use_stride);
        ck_assert_int_eq(fa.width_px, up_w);
        ck_assert_int_eq(fb.width_px, fa.width_px);
        ck_assert_int_eq(fb.height_px, fa.height_px);
        ck_assert(fb.t_s == fa.t_s);
        ck_assert_int_eq(fb.index, fa.index);
        for (int y = 0; y < fa.height_px; y++)
            ck_assert_msg(memcmp(fa.rgb + (size_t)y * (size_t)fa.stride,
                                 fb.rgb + (size_t)y * (size_t)fb.stride,
                                 (size_t)fa.width_px * 3) == 0,
                          "frame %d row %d differs", n, y);
        n++;
    }
    ck_assert_int_eq(sa, HC_ERR_EMPTY);
    ck_assert_int_eq(n, n_frames);
    free(buf);
    video_decoder_free(a);
    video_decoder_free(b);
    unlink(path);
}
END_TEST

/* H.264 (libx264 veryfast: B-frames, a keyframe every 2 s) of textured motion: 150 frames. */
enum { SK_W = 160, SK_H = 120, SK_N = 150 };
static void write_h264_clip(const char *path)
{
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = SK_W;
    wp.height_px = SK_H;
    struct video_writer *vw = NULL;
    ck_assert_msg(video_writer_open(path, &wp, &vw) == HC_OK, "%s", hc_last_error());
    static uint8_t img[SK_W * SK_H * 3];
    for (int f = 0; f < SK_N; f++) {
        for (int y = 0; y < SK_H; y++)
            for (int x = 0; x < SK_W; x++) {
                uint8_t *p = img + ((size_t)y * SK_W + (size_t)x) * 3;
                /* a checkerboard panning 2 px a frame over a gradient: motion x264 predicts
                 * from both sides (B-frames) */
                const int u = x + 2 * f, v = y + f / 3;
                p[0] = (uint8_t)(((u / 16 + v / 16) & 1) ? 190 : 50);
                p[1] = (uint8_t)(u + v);
                p[2] = (uint8_t)(x * 255 / SK_W);
            }
        ck_assert_int_eq(video_writer_write_rgb(vw, img, SK_W * 3, -1.0), HC_OK);
    }
    ck_assert_int_eq(video_writer_close(vw), HC_OK);
}

/* The first k frames of a decoder opened at start_s: pixels and times. */
struct sk_frames {
    int n;
    double t[8];
    uint8_t *rgb[8];
};

static void read_frames(struct video_decoder *d, int k, struct sk_frames *out)
{
    out->n = 0;
    struct video_frame f;
    while (out->n < k && video_decoder_next(d, &f) == HC_OK) {
        out->t[out->n] = f.t_s;
        out->rgb[out->n] = malloc((size_t)f.width_px * (size_t)f.height_px * 3);
        for (int y = 0; y < f.height_px; y++)
            memcpy(out->rgb[out->n] + (size_t)y * (size_t)f.width_px * 3,
                   f.rgb + (size_t)y * (size_t)f.stride, (size_t)f.width_px * 3);
        out->n++;
    }
}

static void same_frames(const struct sk_frames *a, const struct sk_frames *b, double at)
{
    ck_assert_int_eq(a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        ck_assert_msg(a->t[i] == b->t[i], "at %.2f s: frame %d at %.4f s, not %.4f s", at, i,
                      b->t[i], a->t[i]);
        ck_assert_msg(memcmp(a->rgb[i], b->rgb[i], (size_t)SK_W * SK_H * 3) == 0,
                      "at %.2f s: frame %d differs", at, i);
    }
}

static void free_frames(struct sk_frames *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->rgb[i]);
    a->n = 0;
}

/* Forward, backward, on a keyframe and between: one decoder moved by video_decoder_seek gives
 * what a decoder opened at each time gives. */
START_TEST(test_seek_same_as_open)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/test_video_seek_%d.mp4", (int)getpid());
    write_h264_clip(path);
    static const double at[] = {0.9, 2.5, 4.1, 1.3, 2.0, 4.9, 0.2};
    struct video_open_params vp = video_default_open_params();
    vp.n_threads = 1;
    struct video_decoder *moved = NULL;
    ck_assert_msg(video_decoder_open(path, &vp, &moved) == HC_OK, "%s", hc_last_error());
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        vp.start_s = at[i];
        struct video_decoder *fresh = NULL;
        ck_assert_msg(video_decoder_open(path, &vp, &fresh) == HC_OK, "%s", hc_last_error());
        struct sk_frames a, b;
        read_frames(fresh, 5, &a);
        ck_assert_int_ge(a.n, 3);
        ck_assert_int_eq(video_decoder_seek(moved, at[i]), HC_OK);
        read_frames(moved, 5, &b);
        same_frames(&a, &b, at[i]);
        printf("seek to %.2f s: first frame %.4f s, %d frames the same\n", at[i], a.t[0], a.n);
        free_frames(&a);
        free_frames(&b);
        video_decoder_free(fresh);
    }
    ck_assert_int_eq(video_decoder_seek(moved, 0.0), HC_ERR_INVALID_ARG);
    video_decoder_free(moved);
    unlink(path);
}
END_TEST

/* peek, then the frame without RGB (dst NULL), then the rest; and skip_before: the frames from
 * its time on are those of a full decode, and frames before it that nothing reads were left
 * undecoded (fewer come out than the clip has there: x264 makes non-reference B-frames). */
START_TEST(test_peek_and_skip_before)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/test_video_skip_%d.mp4", (int)getpid());
    write_h264_clip(path);
    struct video_open_params vp = video_default_open_params();
    vp.n_threads = 1;
    struct video_decoder *full = NULL, *d = NULL;
    ck_assert_int_eq(video_decoder_open(path, &vp, &full), HC_OK);
    ck_assert_int_eq(video_decoder_open(path, &vp, &d), HC_OK);
    double t = -1.0, t2 = -1.0;
    ck_assert_int_eq(video_decoder_peek(d, &t), HC_OK);
    ck_assert_int_eq(video_decoder_peek(d, &t2), HC_OK); /* the same frame, not the next */
    ck_assert(t == t2);
    struct video_frame f;
    ck_assert_int_eq(video_decoder_next_into(d, NULL, 0, &f), HC_OK);
    ck_assert_ptr_null(f.rgb);
    ck_assert(f.t_s == t);
    ck_assert_int_eq(f.index, 0);
    struct video_frame g;
    ck_assert_int_eq(video_decoder_next(full, &g), HC_OK);
    ck_assert(g.t_s == t);
    /* skip up to 3 s, then read on: the same frames as the full decode from 3 s */
    const double skip_to = 3.0;
    video_decoder_skip_before(d, skip_to);
    int before_full = 0, before_skip = 0;
    double tn = 0.0;
    while (video_decoder_peek(d, &tn) == HC_OK && tn < skip_to - 0.02) {
        ck_assert_int_eq(video_decoder_next_into(d, NULL, 0, &f), HC_OK);
        before_skip++;
    }
    while (video_decoder_next(full, &g) == HC_OK && g.t_s < tn - 1e-6)
        before_full++;
    ck_assert(g.t_s == tn);
    printf("skip_before %.1f s: %d of %d earlier frames decoded\n", skip_to, before_skip,
           before_full);
    ck_assert_int_lt(before_skip, before_full);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(video_decoder_next(d, &f), HC_OK);
        ck_assert(f.t_s == g.t_s);
        for (int y = 0; y < f.height_px; y++)
            ck_assert(memcmp(f.rgb + (size_t)y * (size_t)f.stride,
                             g.rgb + (size_t)y * (size_t)g.stride, (size_t)f.width_px * 3) == 0);
        ck_assert_int_eq(video_decoder_next(full, &g), HC_OK);
    }
    video_decoder_free(full);
    video_decoder_free(d);
    unlink(path);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("video_into");
    TCase *tc = tcase_create("into");
    tcase_add_loop_test(tc, test_same_as_next, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_seek_same_as_open);
    tcase_add_test(tc, test_peek_and_skip_before);
    suite_add_tcase(su, tc);
    return hc_check_run(su);
}
