#define _POSIX_C_SOURCE 200809L
/*
 * test_pair.c - two cameras of one set (`hingecheck SIDE --front FRONT`, src/pipeline/pair.c).
 *
 * Synthetic (tracks from hc_synth, no model): one scripted set rendered twice, side-on and from
 * the front, the same script and faults; the front one starting later by a known time (a longer
 * lead-in). The offset must be found within one frame, every rep matched, the frontal fault
 * found on its rep from the front clip and the side fault on its rep from the side clip, each
 * on no other rep. Errors: the same file twice, two side views, the clips swapped (exit 5), a
 * missing front clip (exit 2), --offset without --front (exit 1), each with one line naming
 * the file.
 *
 * With an argument `batch` (needs the pose model): `hingecheck batch` on a folder of small
 * hc_synth clips, set_side.mp4 with set_FRONT.mp4 (one job, one report under the side clip's
 * name, the front clip without a report of its own) and lone_front.mp4 (no side clip: a clip
 * like any other); a rerun skips the pair, a newer front clip makes it analysed again.
 *
 * With an argument `shared`: the real side-view kettlebell deadlift of ../shared and its
 * frame-synchronised front-oblique companion, chosen from clips/INDEX.tsv by what they show,
 * analysed from the videos: one report, 10 of 10 reps matched, the offset within one frame of
 * zero. Exits 77 (skipped) when ../shared is absent.
 */
#include "hc_shared_clips.h"
#include "hc_test_util.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmp[256];

static cJSON *read_json(const char *path)
{
    char *text = hc_test_slurp(path, NULL);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    return j;
}

static double num(const cJSON *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && cur;
         k = strtok_r(NULL, ".", &save))
        cur = cJSON_GetObjectItemCaseSensitive(cur, k);
    return cJSON_IsNumber(cur) ? cur->valuedouble : NAN;
}

/* Rep rep (from 1) of a report has a finding of rule (not a note about it). */
static int rep_has(const cJSON *doc, int rep, const char *rule)
{
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(doc, "reps");
    const cJSON *r = cJSON_GetArrayItem(reps, rep - 1);
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(r, "findings"), *f;
    cJSON_ArrayForEach(f, fs)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(f, "rule");
        if (cJSON_IsString(id) && strcmp(id->valuestring, rule) == 0)
            return 1;
    }
    return 0;
}

/* hc_synth's set, side-on (yaw 0) or from the front (yaw 90), as a landmark track; lead is the
 * standing time before the first rep. */
static void synth(const char *name, int yaw, double lead)
{
    ck_assert_int_eq(hc_test_sh("'%s' --reps 4 --fault knee-valgus@2 --fault bar-drift@3 "
                                "--yaw-deg %d --lead-in-s %g --track '%s/%s.jsonl' > /dev/null",
                                HC_SYNTH_PATH, yaw, lead, tmp, name),
                     0);
}

static void setup(void)
{
    ck_assert_int_eq(hc_test_tmpdir(tmp, sizeof tmp, "hc_pair"), 0);
    synth("side", 0, 1.0);
    synth("front", 90, 1.0);
    synth("front_late", 90, 1.5); /* the front camera started 0.5 s before the set's start */
    synth("side_late", 0, 1.5);
}

static void teardown(void)
{
    hc_test_sh("rm -rf '%s'", tmp);
}

/* Scores side + front with extra options into out.json; returns the parsed report. */
static cJSON *pair_report(const char *side, const char *front, const char *extra)
{
    const int rc = hc_test_sh("'%s' score '%s/%s.jsonl' --front '%s/%s.jsonl' %s --json "
                              "'%s/out.json' -q 2> '%s/err.txt'",
                              HC_CLI_PATH, tmp, side, tmp, front, extra, tmp, tmp);
    ck_assert_msg(rc == 0, "exit %d", rc);
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", tmp);
    cJSON *doc = read_json(path);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

START_TEST(test_offset_in_sync)
{
    cJSON *doc = pair_report("side", "front", "");
    /* 30 fps: one frame is 1/30 s */
    ck_assert_double_le(fabs(num(doc, "pair.offset.s")), 1.0 / 30.0);
    ck_assert_double_eq(num(doc, "pair.n_matched"), 4);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(test_offset_known_and_faults)
{
    cJSON *doc = pair_report("side", "front_late", "");
    const double off = num(doc, "pair.offset.s");
    ck_assert_msg(fabs(off - 0.5) <= 1.0 / 30.0, "offset %.4f s, expected 0.5", off);
    ck_assert_double_eq(num(doc, "pair.n_matched"), 4);
    ck_assert_double_eq(num(doc, "pair.n_side_reps"), 4);
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "pair"), "reps");
    for (int r = 0; r < 4; r++)
        ck_assert_double_eq(num(cJSON_GetArrayItem(reps, r), "front_rep"), r + 1);
    /* the frontal fault from the front clip, on its rep only */
    for (int r = 1; r <= 4; r++)
        ck_assert_msg(rep_has(doc, r, "knees-caving") == (r == 2), "rep %d knees-caving", r);
    /* the side fault from the side clip, on its rep only: the front clip cannot judge it */
    for (int r = 1; r <= 4; r++)
        ck_assert_msg(rep_has(doc, r, "bar-drift") == (r == 3), "rep %d bar-drift", r);
    /* the hinge's own checks measured side-on: the side clip's hip angle (90 deg scripted) */
    const cJSON *rep1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "reps"), 0);
    ck_assert_double_le(fabs(num(rep1, "metrics.hip_angle_bottom_deg") - 90.0), 3.0);
    ck_assert_double_gt(num(rep1, "metrics.knee_valgus_max_deg"), -90.0); /* measured */
    cJSON_Delete(doc);
}
END_TEST

START_TEST(test_offset_late_side)
{
    /* the side camera started first this time: a negative offset */
    cJSON *doc = pair_report("side_late", "front", "");
    const double off = num(doc, "pair.offset.s");
    ck_assert_msg(fabs(off + 0.5) <= 1.0 / 30.0, "offset %.4f s, expected -0.5", off);
    ck_assert_double_eq(num(doc, "pair.n_matched"), 4);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(test_offset_given)
{
    cJSON *doc = pair_report("side", "front_late", "--offset 0.5");
    ck_assert_double_eq_tol(num(doc, "pair.offset.s"), 0.5, 1e-9);
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "pair"),
                                         "offset"),
        "source");
    ck_assert_str_eq(cJSON_GetStringValue(src), "given");
    ck_assert(rep_has(doc, 2, "knees-caving"));
    cJSON_Delete(doc);
    /* a wrong offset by a whole rep and more matches no rep: frontal checks not assessable */
    doc = pair_report("side", "front_late", "--offset 60");
    ck_assert_double_eq(num(doc, "pair.n_matched"), 0);
    ck_assert(!rep_has(doc, 2, "knees-caving"));
    cJSON_Delete(doc);
}
END_TEST

/* Runs score with args; the exit code, and stderr's text in err (one line expected). */
static int run_err(const char *args, char *err, size_t n)
{
    const int rc = hc_test_sh("cd '%s' && '%s' score %s -q > /dev/null 2> err.txt", tmp,
                              HC_CLI_PATH, args);
    char path[512];
    snprintf(path, sizeof path, "%s/err.txt", tmp);
    char *text = hc_test_slurp(path, NULL);
    snprintf(err, n, "%s", text ? text : "");
    free(text);
    return rc;
}

static void one_line_naming(const char *err, const char *file)
{
    ck_assert_msg(strstr(err, file) != NULL, "'%s' does not name %s", err, file);
    const char *nl = strchr(err, '\n');
    ck_assert_msg(nl && nl[1] == '\0', "not one line: '%s'", err);
}

START_TEST(test_errors)
{
    char err[2048];
    ck_assert_int_eq(run_err("side.jsonl --front side.jsonl", err, sizeof err), 5);
    one_line_naming(err, "side.jsonl");
    ck_assert_int_eq(hc_test_sh("ln -s side.jsonl '%s/link.jsonl'", tmp), 0);
    ck_assert_int_eq(run_err("side.jsonl --front link.jsonl", err, sizeof err), 5);
    one_line_naming(err, "link.jsonl");
    ck_assert_int_eq(run_err("side.jsonl --front side_late.jsonl", err, sizeof err), 5);
    one_line_naming(err, "side_late.jsonl");
    ck_assert(strstr(err, "two side views") != NULL);
    ck_assert_int_eq(run_err("front.jsonl --front side.jsonl", err, sizeof err), 5);
    one_line_naming(err, "front.jsonl");
    ck_assert(strstr(err, "swapped") != NULL);
    ck_assert_int_eq(run_err("front.jsonl --front front_late.jsonl", err, sizeof err), 5);
    one_line_naming(err, "front.jsonl");
    ck_assert_int_eq(run_err("side.jsonl --front missing.jsonl", err, sizeof err), 2);
    one_line_naming(err, "missing.jsonl");
    ck_assert_int_eq(run_err("side.jsonl --offset 1", err, sizeof err), 1);
    ck_assert(strstr(err, "--front") != NULL);
    ck_assert_int_eq(run_err("side.jsonl --front front.jsonl --offset x", err, sizeof err), 1);
    ck_assert(strstr(err, "--offset") != NULL);
}
END_TEST

/* The real pair: a side-view kettlebell deadlift and its frame-synchronised front-oblique
 * companion (../shared/clips/INDEX.tsv). Returns 77 when ../shared is absent. */
static int run_shared(void)
{
    struct hc_shared_clip side, front;
    const int a = hc_shared_clip_find("kettlebell deadlift | side", &side);
    const int b = hc_shared_clip_find("kettlebell deadlift | diagonal | synchronized", &front);
    if (a == 0 || b == 0) {
        printf("test_pair shared: skipped: no %s/clips/INDEX.tsv on this machine\n",
               HC_SHARED_DIR);
        return 77;
    }
    if (a < 0 || b < 0) {
        printf("test_pair shared: %s\n", a < 0 ? side.why : front.why);
        return 1;
    }
    if (hc_test_tmpdir(tmp, sizeof tmp, "hc_pair_shared") != 0)
        return 1;
    const int rc = hc_test_sh("'%s' '%s/clips/%s.mp4' --front '%s/clips/%s.mp4' --json "
                              "'%s/out.json' --deterministic -q",
                              HC_CLI_PATH, HC_SHARED_DIR, side.stem, HC_SHARED_DIR, front.stem,
                              tmp);
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", tmp);
    cJSON *doc = read_json(path);
    int fail = rc != 0 || !doc;
    const double frames = num(doc, "pair.offset.frames"), s = num(doc, "pair.offset.s");
    const double matched = num(doc, "pair.n_matched"), n_side = num(doc, "pair.n_side_reps");
    const double n_front = num(doc, "pair.front.n_reps");
    printf("test_pair shared: exit %d, offset %.4f s (%.2f frames), peak correlation %.3f, "
           "second peak ratio %.3f, %g of %g reps matched (%g in the front clip)\n",
           rc, s, frames, num(doc, "pair.offset.peak_correlation"),
           num(doc, "pair.offset.second_peak_ratio"), matched, n_side, n_front);
    fail |= !(fabs(frames) <= 1.0) || matched != 10 || n_side != 10;
    cJSON_Delete(doc);
    hc_test_sh("rm -rf '%s'", tmp);
    return fail;
}

/* The modification time of a file (ns), or -1. */
static long long mtime_ns(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -1;
    return (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
}

static int run_batch(void)
{
    if (hc_test_tmpdir(tmp, sizeof tmp, "hc_pair_batch") != 0)
        return 1;
    setenv("HINGECHECK_MODEL_DIR", HC_MODEL_DIR, 0);
    const char *small = "--reps 2 --width 480 --height 270 --fps 20 --fault knee-valgus@2";
    int fail = hc_test_sh("mkdir '%s/in' && cd '%s/in' && '%s' %s --out set_side.mp4 > /dev/null"
                          " && '%s' %s --yaw-deg 90 --lead-in-s 1.5 --out set_FRONT.mp4 > "
                          "/dev/null && '%s' %s --yaw-deg 90 --out lone_front.mp4 > /dev/null",
                          tmp, tmp, HC_SYNTH_PATH, small, HC_SYNTH_PATH, small, HC_SYNTH_PATH,
                          small) != 0;
    const char *run = "cd '%s' && '%s' batch in --out out --model lite --no-spine-mask "
                      "--deterministic -q 2> batch.log";
    int rc = hc_test_sh(run, tmp, HC_CLI_PATH);
    char path[512];
    snprintf(path, sizeof path, "%s/out/set_side.mp4.json", tmp);
    cJSON *doc = read_json(path);
    const cJSON *pair = cJSON_GetObjectItemCaseSensitive(doc, "pair");
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(pair, "front"), "path");
    const char *front = cJSON_GetStringValue(fp);
    const double off = num(doc, "pair.offset.s");
    printf("test_pair batch: exit %d, pair front %s, offset %.4f s\n", rc,
           front ? front : "(none)", off);
    fail |= rc != 0 || !front || !strstr(front, "set_FRONT.mp4");
    /* the side and front clips of one script, the front one 0.5 s later: within a frame */
    fail |= !(fabs(off - 0.5) <= 1.0 / 20.0);
    cJSON_Delete(doc);
    snprintf(path, sizeof path, "%s/out/set_FRONT.mp4.json", tmp);
    fail |= access(path, F_OK) == 0; /* taken by the pair: no report of its own */
    snprintf(path, sizeof path, "%s/out/lone_front.mp4.json", tmp);
    doc = read_json(path);
    fail |= !doc || cJSON_GetObjectItemCaseSensitive(doc, "pair") != NULL;
    cJSON_Delete(doc);
    snprintf(path, sizeof path, "%s/out/summary.csv", tmp);
    char *csv = hc_test_slurp(path, NULL);
    int lines = 0;
    for (const char *c = csv; c && *c; c++)
        lines += *c == '\n';
    fail |= lines != 3; /* the header, the pair, the lone clip */
    free(csv);
    /* resume: nothing newer, nothing redone; a newer front clip redoes the pair */
    snprintf(path, sizeof path, "%s/out/set_side.mp4.json", tmp);
    const long long t1 = mtime_ns(path);
    rc = hc_test_sh(run, tmp, HC_CLI_PATH);
    const long long t2 = mtime_ns(path);
    fail |= rc != 0 || t1 < 0 || t2 != t1;
    rc = hc_test_sh("sleep 0.05 && touch '%s/in/set_FRONT.mp4'", tmp);
    rc |= hc_test_sh(run, tmp, HC_CLI_PATH);
    const long long t3 = mtime_ns(path);
    fail |= rc != 0 || t3 <= t2;
    printf("test_pair batch: summary %d lines; report kept on resume: %s; redone after the "
           "front clip changed: %s\n", lines, t2 == t1 ? "yes" : "no", t3 > t2 ? "yes" : "no");
    if (!fail)
        hc_test_sh("rm -rf '%s'", tmp);
    else
        printf("test_pair batch: outputs kept in %s\n", tmp);
    return fail;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "shared") == 0)
        return run_shared();
    if (argc > 1 && strcmp(argv[1], "batch") == 0)
        return run_batch();
    Suite *s = suite_create("pair");
    TCase *tc = tcase_create("synth");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_offset_in_sync);
    tcase_add_test(tc, test_offset_known_and_faults);
    tcase_add_test(tc, test_offset_late_side);
    tcase_add_test(tc, test_offset_given);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
