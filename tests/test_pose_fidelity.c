/* test_pose_fidelity.c - our tracker against Google's own MediaPipe runtime on every clip of
 * ../shared/clips (first 300 frames, full model; mpref/README.md), smoothing on and off.
 *
 * The bar, per clip and mode: median landmark distance <= 1% of the frame height, 95th
 * percentile <= 3%, over landmarks with visibility > 0.5 in both; a pose on at least as many
 * frames as the reference. */
#include "core/core.h"
#include "hingecheck.h"
#include "track/track.h"

#include <check.h>
#include "hc_check.h"
#include "hc_shared_clips.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every clip with a reference track, described as INDEX.tsv describes it (hc_shared_clips.h). */
static const char *const clips[] = {
    "kettlebell deadlift | side",
    "kettlebell deadlift | diagonal",
    "kettlebell swing | diagonal",
    "kettlebell swing | side",
    "conventional barbell deadlift | side | 600x600",
    "Romanian deadlift | side",
    "conventional barbell deadlift | side | 24fps | studio",
    "conventional barbell deadlift | side | 1920x1080 | label=Bad",
    "conventional barbell deadlift | side | 1920x1080 | label=Good",
};
#define N_CLIPS ((int)(sizeof clips / sizeof clips[0]))

static enum hc_status collect(const struct hc_video_info *info, const struct hc_pose_frame *f,
                              const float *mask, void *user)
{
    struct hc_track *t = user;
    (void)mask;
    if (!t->has_header) {
        t->has_header = 1;
        t->header.width_px = info->width_px;
        t->header.height_px = info->height_px;
    }
    t->frames = realloc(t->frames, (size_t)(t->n_frames + 1) * sizeof *t->frames);
    ck_assert_ptr_nonnull(t->frames);
    t->frames[t->n_frames++] = *f;
    return HC_OK;
}

static int64_t count_poses(const struct hc_track *t, const struct hc_track *limit)
{
    int64_t n = 0;
    for (int64_t i = 0; i < t->n_frames; i++)
        if (t->frames[i].has_pose && t->frames[i].index < limit->n_frames)
            n++;
    return n;
}

START_TEST(against_mediapipe)
{
    const char *clip = clips[_i / 2];
    const int smooth = _i % 2 == 0;
    struct hc_shared_clip c;
    if (!hc_shared_clip_check(clip, &c))
        return;
    char ref_path[1024], video[1024];
    snprintf(ref_path, sizeof ref_path, "%s/mpref/%s.%s.jsonl", HC_SHARED_DIR, c.stem,
             smooth ? "smooth" : "raw");
    snprintf(video, sizeof video, "%s/clips/%s.mp4", HC_SHARED_DIR, c.stem);
    if (access(ref_path, R_OK) != 0 || access(video, R_OK) != 0) {
        printf("test_pose_fidelity: skipped %s: %s not found\n", clip, ref_path);
        return;
    }
    struct hc_track *ref;
    ck_assert_int_eq(hc_track_read(ref_path, &ref), HC_OK);
    ck_assert_int_gt((int)ref->n_frames, 0);
    ck_assert(ref->header.fps > 0);
    struct hc_pose_clip_params p = hc_pose_clip_default_params();
    p.pose.model = HC_POSE_MODEL_FULL; /* the reference's modelComplexity 1 */
    p.pose.smooth = smooth;
    p.end_s = ((double)ref->n_frames + 2.0) / ref->header.fps;
    struct hc_track ours;
    memset(&ours, 0, sizeof ours);
    struct hc_pose_clip_summary sum;
    enum hc_status st = hc_pose_run_file(video, &p, collect, &ours, &sum);
    ck_assert_msg(st == HC_OK, "%s: %s", clip, hc_last_error());
    struct hc_track_diff d;
    ck_assert_int_eq(hc_track_compare(&ours, ref, 0.5, &d), HC_OK);
    const int64_t n_ours = count_poses(&ours, ref), n_ref = count_poses(ref, ref);
    printf("test_pose_fidelity: %-62s %-6s frames %4lld both %4lld only-us %3lld only-mp %3lld "
           "median %.3f%% p95 %.3f%%\n", clip, smooth ? "smooth" : "raw", (long long)d.n_frames,
           (long long)d.n_both, (long long)d.n_only_a, (long long)d.n_only_b,
           100.0 * d.median_frac, 100.0 * d.p95_frac);
    ck_assert_int_eq((int)d.n_frames, (int)ref->n_frames);
    ck_assert_int_gt((int)d.n_points, 0);
    ck_assert_msg(d.median_frac <= 0.01, "%s: median %.4f", clip, d.median_frac);
    ck_assert_msg(d.p95_frac <= 0.03, "%s: p95 %.4f", clip, d.p95_frac);
    ck_assert_msg(n_ours >= n_ref, "%s: a pose on %lld frames, MediaPipe %lld", clip,
                  (long long)n_ours, (long long)n_ref);
    free(ours.frames);
    hc_track_free(ref);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pose_fidelity");
    TCase *tc = tcase_create("mpref");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, against_mediapipe, 0, 2 * N_CLIPS);
    suite_add_tcase(s, tc);
    return hc_check_run(s);
}
