/* test_video_into.c - video_decoder_next_into (decoding straight into the caller's buffer, as
 * pose_run.c's frame ring does) gives the same pixels, times and statuses as video_decoder_next,
 * upright and rotated, at the stride video_decoder_frame_bytes asks for and at a wider one; a
 * stride under it is refused. Clips are generated here (video_writer). */
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

int main(void)
{
    Suite *su = suite_create("video_into");
    TCase *tc = tcase_create("into");
    tcase_add_loop_test(tc, test_same_as_next, 0, (int)(sizeof cases / sizeof cases[0]));
    suite_add_tcase(su, tc);
    return hc_check_run(su);
}
