#define _POSIX_C_SOURCE 200809L
/*
 * test_implement_shared.c - the implement found in the image on a real clip, through the whole
 * analysis: the side-view kettlebell deadlift of HC_SHARED_DIR/clips (picked by its INDEX.tsv
 * description: exercise "kettlebell deadlift", camera "side"), analysed without --implement,
 * is judged as a kettlebell lift from the image and gets no bar-drift finding (the barbell's
 * bar-drift fired on 9 of its 10 reps when the implement was not known). Exits 77 (CTest:
 * skipped) when the shared folder or the models are absent.
 */
#include "hc_check.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char clip[1024];
static char report[512];

/* The first INDEX.tsv row whose exercise (column 5) contains `exercise` and whose camera view
 * (column 6) is `view`; 0 when found. */
static int find_clip(const char *exercise, const char *view)
{
    char index[1024], line[4096];
    snprintf(index, sizeof index, "%s/clips/INDEX.tsv", HC_SHARED_DIR);
    FILE *f = fopen(index, "r");
    if (!f)
        return -1;
    int found = -1;
    while (found != 0 && fgets(line, sizeof line, f)) {
        char *cols[7] = {0}, *save = NULL, *tok = strtok_r(line, "\t", &save);
        int n = 0;
        while (tok && n < 7) {
            cols[n++] = tok;
            tok = strtok_r(NULL, "\t", &save);
        }
        if (n >= 6 && strstr(cols[4], exercise) && strcmp(cols[5], view) == 0) {
            snprintf(clip, sizeof clip, "%s/clips/%s", HC_SHARED_DIR, cols[0]);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[4 << 20];
    const size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return cJSON_Parse(buf);
}

START_TEST(side_kettlebell_deadlift_is_a_kettlebell_lift)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' '%s' --deterministic --json '%s' -q > /dev/null 2>&1",
             HC_CLI_PATH, clip, report);
    const int code = system(cmd);
    ck_assert_msg(code == 0, "%s exited %d", cmd, code);
    cJSON *doc = load_json(report);
    ck_assert_ptr_nonnull(doc);
    const cJSON *imp = cJSON_GetObjectItem(doc, "implement");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(imp, "kind")), "kettlebell");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(imp, "source")), "image");
    ck_assert(cJSON_GetNumberValue(cJSON_GetObjectItem(imp, "confidence")) >= 0.5);
    int n_reps = 0, n_drift = 0;
    const cJSON *rep, *fd;
    cJSON_ArrayForEach(rep, cJSON_GetObjectItem(doc, "reps"))
    {
        n_reps++;
        cJSON_ArrayForEach(fd, cJSON_GetObjectItem(rep, "findings"))
        n_drift += strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(fd, "rule")), "bar-drift") == 0;
    }
    ck_assert_int_ge(n_reps, 8);
    ck_assert_msg(n_drift == 0, "bar-drift on %d of %d reps", n_drift, n_reps);
    cJSON_Delete(doc);
}
END_TEST

int main(void)
{
    if (access(HC_MODEL_DIR "/pose_landmark_full.tflite", R_OK) != 0) {
        printf("test_implement_shared: skipped: no models\n");
        return 77;
    }
    if (find_clip("kettlebell deadlift", "side") != 0) {
        printf("test_implement_shared: skipped: no side-view kettlebell deadlift in %s/clips\n",
               HC_SHARED_DIR);
        return 77;
    }
    snprintf(report, sizeof report, "%s/test_implement_shared.%ld.json",
             getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
    Suite *s = suite_create("implement_shared");
    TCase *tc = tcase_create("real");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, side_kettlebell_deadlift_is_a_kettlebell_lift);
    suite_add_tcase(s, tc);
    const int rc = hc_check_run(s);
    remove(report);
    return rc;
}
