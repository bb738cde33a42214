#define _POSIX_C_SOURCE 200809L
/* test_pose_track.c - the track JSONL format: write/read round trip, null frames, broken files,
 * and the comparison statistics on hand-made tracks with known answers. */
#include "core/core.h"
#include "track/track.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/test_pose_track_XXXXXX", HC_BUILD_DIR);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static struct hc_track_header header(int w, int h)
{
    struct hc_track_header hd;
    memset(&hd, 0, sizeof hd);
    snprintf(hd.source, sizeof hd.source, "clip \"quoted\".mp4");
    hd.width_px = w;
    hd.height_px = h;
    hd.fps = 30.0;
    hd.duration_s = 1.0;
    snprintf(hd.model, sizeof hd.model, "full");
    hd.smooth = 1;
    return hd;
}

/* Frame i: a pose on even frames, none on odd ones; landmark k at (10 i + k, 20 k). */
static void fill_frame(struct hc_pose_frame *f, int i, float dx)
{
    memset(f, 0, sizeof *f);
    f->index = i;
    f->t_s = i / 30.0;
    f->has_pose = (i % 2) == 0;
    for (int k = 0; k < HC_N_LANDMARKS; k++) {
        f->lm[k].x_px = 10.0f * (float)i + (float)k + dx;
        f->lm[k].y_px = 20.0f * (float)k;
        f->lm[k].z = -0.01f * (float)k;
        f->lm[k].visibility = k < 30 ? 0.9f : 0.2f; /* the feet are not "visible" */
        f->world_m[k][0] = 0.01f * (float)k;
        f->world_m[k][1] = -0.02f * (float)k;
        f->world_m[k][2] = 0.001f * (float)i;
    }
}

static void write_track(const char *path, int n, float dx, int w, int h)
{
    struct hc_track_header hd = header(w, h);
    struct hc_track_writer *wr;
    ck_assert_int_eq(hc_track_writer_open(path, &hd, &wr), HC_OK);
    for (int i = 0; i < n; i++) {
        struct hc_pose_frame f;
        fill_frame(&f, i, dx);
        ck_assert_int_eq(hc_track_writer_write(wr, &f), HC_OK);
    }
    ck_assert_int_eq(hc_track_writer_close(wr), HC_OK);
}

START_TEST(roundtrip)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/a.jsonl", tmpdir);
    write_track(path, 7, 0.0f, 640, 480);
    struct hc_track *t;
    ck_assert_int_eq(hc_track_read(path, &t), HC_OK);
    ck_assert_int_eq(t->has_header, 1);
    ck_assert_int_eq(t->header.width_px, 640);
    ck_assert_int_eq(t->header.height_px, 480);
    ck_assert_str_eq(t->header.source, "clip \"quoted\".mp4");
    ck_assert_str_eq(t->header.model, "full");
    ck_assert_int_eq(t->header.smooth, 1);
    ck_assert_int_eq((int)t->n_frames, 7);
    for (int i = 0; i < 7; i++) {
        struct hc_pose_frame want;
        fill_frame(&want, i, 0.0f);
        const struct hc_pose_frame *got = &t->frames[i];
        ck_assert_int_eq((int)got->index, i);
        ck_assert_double_eq_tol(got->t_s, want.t_s, 1e-6);
        ck_assert_int_eq(got->has_pose, want.has_pose);
        if (!want.has_pose)
            continue;
        for (int k = 0; k < HC_N_LANDMARKS; k++) {
            ck_assert_float_eq_tol(got->lm[k].x_px, want.lm[k].x_px, 1e-3f);
            ck_assert_float_eq_tol(got->lm[k].y_px, want.lm[k].y_px, 1e-3f);
            ck_assert_float_eq_tol(got->lm[k].z, want.lm[k].z, 1e-5f);
            ck_assert_float_eq_tol(got->lm[k].visibility, want.lm[k].visibility, 1e-4f);
            ck_assert_float_eq_tol(got->world_m[k][1], want.world_m[k][1], 1e-5f);
        }
    }
    hc_track_free(t);
    unlink(path);
    rmdir(tmpdir);
}
END_TEST

START_TEST(compare_known_offsets)
{
    make_tmpdir();
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/a.jsonl", tmpdir);
    snprintf(pb, sizeof pb, "%s/b.jsonl", tmpdir);
    write_track(pa, 9, 0.0f, 640, 480);
    write_track(pb, 6, 4.8f, 640, 480); /* 4.8 px = 1% of the height, fewer frames */
    struct hc_track *a, *b;
    ck_assert_int_eq(hc_track_read(pa, &a), HC_OK);
    ck_assert_int_eq(hc_track_read(pb, &b), HC_OK);
    struct hc_track_diff d;
    ck_assert_int_eq(hc_track_compare(a, a, 0.5, &d), HC_OK);
    ck_assert_int_eq((int)d.n_frames, 9);
    ck_assert_int_eq((int)d.n_both, 5);
    ck_assert_int_eq((int)d.n_points, 5 * 30);
    ck_assert_double_eq_tol(d.median_frac, 0.0, 1e-9);
    ck_assert_int_eq(hc_track_compare(a, b, 0.5, &d), HC_OK);
    ck_assert_int_eq((int)d.n_frames, 6);
    ck_assert_int_eq((int)d.n_both, 3);
    ck_assert_int_eq((int)d.n_only_a + (int)d.n_only_b, 0);
    ck_assert_double_eq_tol(d.median_frac, 0.01, 1e-5);
    ck_assert_double_eq_tol(d.p95_frac, 0.01, 1e-5);
    /* a pose dropped from one frame of b shows up as "only in a" */
    b->frames[2].has_pose = 0;
    ck_assert_int_eq(hc_track_compare(a, b, 0.5, &d), HC_OK);
    ck_assert_int_eq((int)d.n_only_a, 1);
    ck_assert_int_eq((int)d.n_both, 2);
    /* one landmark far off moves the 95th percentile, not the median */
    for (int i = 0; i < b->n_frames; i++)
        for (int k = 0; k < 4; k++)
            b->frames[i].lm[k].y_px += 48.0f;
    ck_assert_int_eq(hc_track_compare(a, b, 0.5, &d), HC_OK);
    ck_assert_double_eq_tol(d.median_frac, 0.01, 1e-5);
    ck_assert(d.p95_frac > 0.09);
    hc_track_free(a);
    hc_track_free(b);
    unlink(pa);
    unlink(pb);
    rmdir(tmpdir);
}
END_TEST

static const struct {
    const char *text;
    enum hc_status st;
    size_t len; /* 0: strlen(text) */
} broken[] = {
    {"not json\n", HC_ERR_FORMAT, 0},
    {"{\"frame\":0,\"t\":0,\"landmarks\":[[1,2,3,4]],\"world\":null}\n", HC_ERR_FORMAT, 0},
    {"{\"t\":0,\"landmarks\":null}\n", HC_ERR_FORMAT, 0},
    {"[1,2,3]\n", HC_ERR_FORMAT, 0},
    /* header checks: format version, frame rate, frame size */
    {"{\"hingecheck_track\":99,\"width\":640,\"height\":480,\"fps\":30}\n", HC_ERR_FORMAT, 0},
    {"{\"hingecheck_track\":1,\"width\":640,\"height\":480,\"fps\":0}\n", HC_ERR_FORMAT, 0},
    {"{\"hingecheck_track\":1,\"width\":640,\"height\":480,\"fps\":-30}\n", HC_ERR_FORMAT, 0},
    {"{\"hingecheck_track\":1,\"width\":1e300,\"height\":480,\"fps\":30}\n", HC_ERR_FORMAT, 0},
    /* two values on a line, a NUL byte, a frame number past any clip */
    {"{\"frame\":0,\"t\":0,\"landmarks\":null}{\"frame\":1}\n", HC_ERR_FORMAT, 0},
    {"{\"frame\":0,\"t\":0,\"landmarks\":null}\0\n", HC_ERR_FORMAT, 36},
    {"{\"frame\":1e300,\"t\":0,\"landmarks\":null}\n", HC_ERR_FORMAT, 0},
    {"{\"frame\":0,\"t\":0,\"landmarks\":null,\"world\":null}\n\n", HC_OK, 0},
    {"", HC_OK, 0},
};

START_TEST(broken_files)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/broken.jsonl", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    const size_t len = broken[_i].len ? broken[_i].len : strlen(broken[_i].text);
    ck_assert_uint_eq(fwrite(broken[_i].text, 1, len, f), len);
    fclose(f);
    struct hc_track *t = (struct hc_track *)1;
    enum hc_status st = hc_track_read(path, &t);
    ck_assert_int_eq(st, broken[_i].st);
    if (st != HC_OK) {
        ck_assert_ptr_null(t);
        ck_assert_ptr_nonnull(strstr(hc_last_error(), "broken.jsonl:1"));
    } else {
        /* no header and no .meta.json: compare cannot scale the distances */
        struct hc_track_diff d;
        ck_assert_int_eq(t->has_header, 0);
        ck_assert_int_eq(hc_track_compare(t, t, 0.5, &d), HC_ERR_INVALID_ARG);
    }
    hc_track_free(t);
    unlink(path);
    rmdir(tmpdir);
    struct hc_track *none;
    ck_assert_int_eq(hc_track_read("/nonexistent/track.jsonl", &none), HC_ERR_IO);
    ck_assert_ptr_null(none);
}
END_TEST

/* Writes `text` to DIR/name and reads it back: the status, the message in hc_last_error(). */
static enum hc_status read_text(const char *name, const char *head, const char *line, long n_lines)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(head, f);
    for (long i = 0; i < n_lines; i++)
        fprintf(f, line, i, (double)i / 30.0);
    fclose(f);
    struct hc_track *t = NULL;
    enum hc_status st = hc_track_read(path, &t);
    hc_track_free(t);
    unlink(path);
    rmdir(tmpdir);
    return st;
}

/* Limits: a line without end (/dev/zero), more frames than an hour at 60 fps, a repeated frame. */
START_TEST(limits)
{
    struct hc_track *t = NULL;
    ck_assert_int_eq(hc_track_read("/dev/zero", &t), HC_ERR_TOO_LARGE);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "/dev/zero:1: line longer than"));

    static const char head[] = "{\"hingecheck_track\":1,\"width\":640,\"height\":480,"
                               "\"fps\":30}\n";
    static const char null_frame[] = "{\"frame\":%ld,\"t\":%.6f,\"landmarks\":null}\n";
    ck_assert_int_eq(read_text("long.jsonl", head, null_frame, TRACK_MAX_FRAMES), HC_OK);
    ck_assert_int_eq(read_text("long.jsonl", head, null_frame, TRACK_MAX_FRAMES + 1),
                     HC_ERR_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "long.jsonl:216002: more than 216000 frames"));

    static const char twice[] = "{\"frame\":%ld,\"t\":%.6f,\"landmarks\":null}\n"
                                "{\"frame\":0,\"t\":0,\"landmarks\":null}\n";
    ck_assert_int_eq(read_text("twice.jsonl", head, twice, 1), HC_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "twice.jsonl:3: frame 0 after frame 0"));
    ck_assert_int_eq(read_text("twohead.jsonl", head, head, 1), HC_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "twohead.jsonl:2: bad header"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pose_track");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, roundtrip);
    tcase_add_test(tc, compare_known_offsets);
    tcase_add_test(tc, limits);
    tcase_add_loop_test(tc, broken_files, 0, (int)(sizeof broken / sizeof broken[0]));
    suite_add_tcase(s, tc);
    return hc_check_run(s);
}
