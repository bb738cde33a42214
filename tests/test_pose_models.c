#define _POSIX_C_SOURCE 200809L
/*
 * test_pose_models.c - models loaded once and shared (hc_pose_models_load, what the batch
 * workers use): a clip tracked with shared models gives exactly the poses of a tracker that
 * loaded its own, also on two threads at once from the same models; a mismatched model kind and
 * a missing model folder fail with the right status and no object.
 */
#include "hingecheck.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[256];
static char clip[512];

#define MAX_FRAMES 400

struct track {
    struct hc_pose_frame f[MAX_FRAMES];
    int64_t n;
    enum hc_status st;
    const struct hc_pose_models *models;
};

static enum hc_status on_frame(const struct hc_video_info *info, const struct hc_pose_frame *f,
                               const float *mask, void *user)
{
    (void)info;
    (void)mask;
    struct track *t = user;
    if (t->n < MAX_FRAMES)
        t->f[t->n++] = *f;
    return HC_OK;
}

static void *run_track(void *arg)
{
    struct track *t = arg;
    struct hc_pose_clip_params p = hc_pose_clip_default_params();
    p.pose.model = HC_POSE_MODEL_LITE;
    p.pose.models = t->models;
    struct hc_pose_clip_summary s;
    t->n = 0;
    t->st = hc_pose_run_file(clip, &p, on_frame, t, &s);
    return NULL;
}

static void assert_same(const struct track *a, const struct track *b)
{
    ck_assert_int_eq(a->st, HC_OK);
    ck_assert_int_eq(b->st, HC_OK);
    ck_assert_int_gt(a->n, 20);
    ck_assert_int_eq(a->n, b->n);
    int64_t n_pose = 0;
    for (int64_t i = 0; i < a->n; i++) {
        ck_assert_int_eq(a->f[i].has_pose, b->f[i].has_pose);
        n_pose += a->f[i].has_pose != 0;
        if (a->f[i].has_pose)
            ck_assert_msg(memcmp(a->f[i].lm, b->f[i].lm, sizeof a->f[i].lm) == 0,
                          "frame %lld: landmarks differ", (long long)i);
    }
    ck_assert_int_gt(n_pose, a->n / 2); /* the synthetic lifter is found */
}

static struct track own, shared1, shared2;

START_TEST(test_shared_equals_own)
{
    own.models = NULL;
    run_track(&own);
    struct hc_pose_params pp = hc_pose_default_params();
    pp.model = HC_POSE_MODEL_LITE;
    struct hc_pose_models *m = NULL;
    ck_assert_int_eq(hc_pose_models_load(&pp, &m), HC_OK);
    ck_assert_ptr_nonnull(m);
    shared1.models = shared2.models = m;
    /* two trackers on two threads at once, from the same loaded models */
    pthread_t t1, t2;
    ck_assert_int_eq(pthread_create(&t1, NULL, run_track, &shared1), 0);
    ck_assert_int_eq(pthread_create(&t2, NULL, run_track, &shared2), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    hc_pose_models_free(m);
    assert_same(&own, &shared1);
    assert_same(&own, &shared2);
}
END_TEST

START_TEST(test_mismatch_and_missing)
{
    struct hc_pose_params pp = hc_pose_default_params();
    pp.model = HC_POSE_MODEL_LITE;
    struct hc_pose_models *m = NULL;
    ck_assert_int_eq(hc_pose_models_load(&pp, &m), HC_OK);
    pp.models = m;
    pp.model = HC_POSE_MODEL_FULL; /* the shared set is lite */
    struct hc_pose_tracker *t = (struct hc_pose_tracker *)&pp; /* must be reset to NULL */
    ck_assert_int_eq(hc_pose_tracker_create(&pp, &t), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "lite"));
    pp.model = HC_POSE_MODEL_LITE;
    ck_assert_int_eq(hc_pose_tracker_create(&pp, &t), HC_OK);
    hc_pose_tracker_free(t);
    hc_pose_models_free(m);
    hc_pose_models_free(NULL);

    struct hc_pose_params bad = hc_pose_default_params();
    char dir[600];
    snprintf(dir, sizeof dir, "%s/no-models-here", tmpdir);
    bad.model_dir = dir;
    m = (struct hc_pose_models *)&bad;
    ck_assert_int_eq(hc_pose_models_load(&bad, &m), HC_ERR_MODEL);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "pose_detection.tflite"));
}
END_TEST

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_pose_models.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    setenv("HINGECHECK_MODEL_DIR", HC_MODEL_DIR, 0);
    snprintf(clip, sizeof clip, "%s/set.mp4", tmpdir);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "'%s' --width 320 --height 240 --fps 15 --reps 1 --lead-in-s 0.5 "
             "--lead-out-s 0.5 --out '%s'", HC_SYNTH_PATH, clip);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_pose_models: cannot make %s\n", clip);
        return 1;
    }
    Suite *s = suite_create("pose_models");
    TCase *tc = tcase_create("pose_models");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_shared_equals_own);
    tcase_add_test(tc, test_mismatch_and_missing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "test_pose_models: could not remove %s\n", tmpdir);
    return failed ? 1 : 0;
}
