/* test_pose_mpref.c - the comparison tool on MediaPipe's own reference tracks (../shared/mpref):
 * smoothing on vs off must differ by what mpref/README.md reports (~0.16% median, ~0.4% p95 of
 * the frame height), on every clip, and a track compared with itself by exactly nothing. */
#include "core/core.h"
#include "track/track.h"

#include <check.h>
#include "hc_check.h"
#include "hc_shared_clips.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Every clip with a reference track, described as INDEX.tsv describes it (hc_shared_clips.h). */
static const struct {
    const char *clip; /* the description */
    int n_frames;
} clips[] = {
    {"kettlebell deadlift | side", 300}, /* 360x640 portrait at 60 fps */
    {"kettlebell deadlift | diagonal", 300},
    {"kettlebell swing | diagonal", 300},
    {"kettlebell swing | side", 300},
    {"conventional barbell deadlift | side | 600x600", 62},
    {"Romanian deadlift | side", 54},
    {"conventional barbell deadlift | side | 24fps | studio", 279},
    {"conventional barbell deadlift | side | 1920x1080 | label=Bad", 140},
    {"conventional barbell deadlift | side | 1920x1080 | label=Good", 145},
};

START_TEST(smooth_vs_raw)
{
    struct hc_shared_clip c;
    if (!hc_shared_clip_check(clips[_i].clip, &c))
        return;
    char ps[1024], pr[1024];
    snprintf(ps, sizeof ps, "%s/mpref/%s.smooth.jsonl", HC_SHARED_DIR, c.stem);
    snprintf(pr, sizeof pr, "%s/mpref/%s.raw.jsonl", HC_SHARED_DIR, c.stem);
    if (access(ps, R_OK) != 0 || access(pr, R_OK) != 0) {
        printf("test_pose_mpref: skipped %s: %s not found\n", clips[_i].clip, ps);
        return;
    }
    struct hc_track *s, *r;
    ck_assert_int_eq(hc_track_read(ps, &s), HC_OK);
    ck_assert_int_eq(hc_track_read(pr, &r), HC_OK);
    ck_assert_int_eq(s->has_header, 1); /* from the .meta.json */
    ck_assert_int_gt(s->header.height_px, 100);
    ck_assert_int_eq((int)s->n_frames, clips[_i].n_frames);
    struct hc_track_diff d;
    ck_assert_int_eq(hc_track_compare(s, r, 0.5, &d), HC_OK);
    printf("test_pose_mpref: %-64s smooth vs raw: median %.3f%% p95 %.3f%% (%lld points)\n",
           clips[_i].clip, 100.0 * d.median_frac, 100.0 * d.p95_frac, (long long)d.n_points);
    ck_assert_int_eq((int)d.n_frames, clips[_i].n_frames);
    ck_assert_int_eq((int)(d.n_only_a + d.n_only_b), 0);
    ck_assert_int_gt((int)d.n_points, 20 * clips[_i].n_frames);
    /* the README's ballpark, with room for the clips' different motion */
    ck_assert(d.median_frac > 0.0008 && d.median_frac < 0.004);
    ck_assert(d.p95_frac > 0.003 && d.p95_frac < 0.015);
    ck_assert(d.p95_frac > d.median_frac);
    ck_assert_int_eq(hc_track_compare(s, s, 0.5, &d), HC_OK);
    ck_assert_double_eq(d.median_frac, 0.0);
    ck_assert_double_eq(d.p95_frac, 0.0);
    hc_track_free(s);
    hc_track_free(r);
}
END_TEST

START_TEST(readme_numbers)
{
    /* "smoothing on vs off differs by 0.16% / 0.4%" (mpref/README.md): the 360x640 clip. */
    struct hc_shared_clip c;
    if (!hc_shared_clip_check(clips[0].clip, &c))
        return;
    char ps[1024], pr[1024];
    snprintf(ps, sizeof ps, "%s/mpref/%s.smooth.jsonl", HC_SHARED_DIR, c.stem);
    snprintf(pr, sizeof pr, "%s/mpref/%s.raw.jsonl", HC_SHARED_DIR, c.stem);
    if (access(ps, R_OK) != 0) {
        printf("test_pose_mpref: skipped: %s not found\n", ps);
        return;
    }
    struct hc_track *s, *r;
    ck_assert_int_eq(hc_track_read(ps, &s), HC_OK);
    ck_assert_int_eq(hc_track_read(pr, &r), HC_OK);
    struct hc_track_diff d;
    ck_assert_int_eq(hc_track_compare(s, r, 0.5, &d), HC_OK);
    ck_assert_double_eq_tol(d.median_frac, 0.0016, 0.0003);
    ck_assert_double_eq_tol(d.p95_frac, 0.0040, 0.0010);
    hc_track_free(s);
    hc_track_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pose_mpref");
    TCase *tc = tcase_create("shared");
    tcase_add_loop_test(tc, smooth_vs_raw, 0, (int)(sizeof clips / sizeof clips[0]));
    tcase_add_test(tc, readme_numbers);
    suite_add_tcase(s, tc);
    return hc_check_run(s);
}
