#define _POSIX_C_SOURCE 200809L
/*
 * test_cli.c - the hingecheck executable as a user runs it (a subprocess): help, usage errors,
 * exit codes, --version, and `probe` text/JSON output parsed back with cJSON and checked against
 * the parameters the clip was written with.
 */
#include "hingecheck.h"
#include "video/video.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char tmpdir[256];
static char clip_path[512];

/* The probe clip: stored 320x240, rotation metadata 90 (so upright 240x320), 25 fps, 50 frames. */
#define CLIP_W 320
#define CLIP_H 240
#define CLIP_FPS 25.0
#define CLIP_N 50
#define CLIP_ROT 90

struct run {
    int code;
    char out[65536]; /* `hingecheck rules` prints about 33 KB */
    char err[8192];
};

static void slurp(const char *path, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = '\0';
    fclose(f);
}

/* Run HC_CLI_PATH with args (NULL-terminated), capturing stdout and stderr. */
static void run_cli(const char *const *args, struct run *r)
{
    char out_path[512], err_path[512];
    snprintf(out_path, sizeof out_path, "%s/out.txt", tmpdir);
    snprintf(err_path, sizeof err_path, "%s/err.txt", tmpdir);
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)HC_CLI_PATH;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int rc = posix_spawn(&pid, HC_CLI_PATH, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    ck_assert_msg(rc == 0, "cannot run %s", HC_CLI_PATH);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status), "hingecheck died (signal %d)",
                  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    r->code = WEXITSTATUS(status);
    slurp(out_path, r->out, sizeof r->out);
    slurp(err_path, r->err, sizeof r->err);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* ---- usage, help, exit codes ---------------------------------------------------------------- */

static const struct {
    const char *args[6];
    int code;
    const char *out_has; /* NULL: stdout must be empty */
    const char *err_has; /* NULL: stderr must be empty */
} usage_cases[] = {
    {{"--help"}, 0, "probe", NULL},
    {{"-h"}, 0, "exit codes", NULL},
    {{"probe", "--help"}, 0, "--json", NULL},
    {{"probe", "--bogus", "x.mp4"}, 1, NULL, "--bogus"},
    {{"probe", "--bogus", "x.mp4"}, 1, NULL, "usage: hingecheck probe"},
    {{"frobnicate"}, 1, NULL, "frobnicate"},
    {{"probe"}, 1, NULL, "usage"},
    {{"probe", "--no-smooth", "x.mp4"}, 1, NULL, "does not apply"},
    {{NULL}, 1, NULL, "usage"},
    /* --exercise: an id or another name of a lift (the lift table), checked before any file */
    {{"score", "--exercise", "bogus-lift", "x.jsonl"}, 1, NULL, "auto|rdl|deadlift|"},
    {{"score", "--exercise", "romanian-deadlift", "no-such-track.jsonl"}, 2, NULL,
     "no-such-track.jsonl"},
    {{"score", "--exercise", "swing", "no-such-track.jsonl"}, 2, NULL, "no-such-track.jsonl"},
    {{"score", "--help"}, 0, "[auto|rdl|deadlift|good-morning|kb-swing|", NULL},
    {{"rules", "--lifts", "--rules", "x.json"}, 1, NULL, "not both"},
    {{"probe", "--lifts", "x.mp4"}, 1, NULL, "does not apply"},
    /* --plate-cm: 10-60 cm, checked before any file; analyse and batch only */
    {{"analyse", "--plate-cm", "5", "x.mp4"}, 1, NULL, "--plate-cm takes a number from 10 to 60"},
    {{"analyse", "--plate-cm", "61", "x.mp4"}, 1, NULL, "not '61'"},
    {{"analyse", "--plate-cm", "45cm", "x.mp4"}, 1, NULL, "not '45cm'"},
    {{"batch", "--plate-cm", "0", "x.mp4"}, 1, NULL, "--plate-cm takes"},
    {{"score", "--plate-cm", "45", "x.jsonl"}, 1, NULL, "does not apply"},
    {{"analyse", "--help"}, 0, "--plate-cm CM", NULL},
    {{"batch", "--help"}, 0, "(default: 45)", NULL},
    {{"analyse", "--plate-cm", "30", "no-such-clip.mp4"}, 2, NULL, "no-such-clip.mp4"},
    /* --overlay-size: 240-1080 lines, checked before any file; analyse and score only */
    {{"analyse", "--overlay-size", "1081", "x.mp4"}, 1, NULL,
     "--overlay-size takes a whole number from 240 to 1080, not '1081'"},
    {{"score", "--overlay-size", "239", "x.jsonl"}, 1, NULL, "not '239'"},
    {{"analyse", "--overlay-size", "720p", "x.mp4"}, 1, NULL, "not '720p'"},
    {{"batch", "--overlay-size", "720", "x.mp4"}, 1, NULL, "does not apply"},
    {{"analyse", "--help"}, 0, "--overlay-size N", NULL},
    {{"analyse", "--overlay-size", "480", "no-such-clip.mp4"}, 2, NULL, "no-such-clip.mp4"},
};

START_TEST(usage_and_help)
{
    struct run r;
    run_cli(usage_cases[_i].args, &r);
    ck_assert_msg(r.code == usage_cases[_i].code, "case %d: exit %d, want %d; stderr: %s", _i,
                  r.code, usage_cases[_i].code, r.err);
    if (usage_cases[_i].out_has)
        ck_assert_msg(strstr(r.out, usage_cases[_i].out_has) != NULL, "stdout lacks '%s': %s",
                      usage_cases[_i].out_has, r.out);
    else
        ck_assert_msg(r.out[0] == '\0', "stdout not empty: %s", r.out);
    if (usage_cases[_i].err_has)
        ck_assert_msg(strstr(r.err, usage_cases[_i].err_has) != NULL, "stderr lacks '%s': %s",
                      usage_cases[_i].err_has, r.err);
    else
        ck_assert_msg(r.err[0] == '\0', "stderr not empty: %s", r.err);
}
END_TEST

START_TEST(version_names_ffmpeg)
{
    struct run r;
    const char *args[] = {"--version", NULL};
    run_cli(args, &r);
    ck_assert_int_eq(r.code, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "hingecheck " HC_VERSION_STRING));
    ck_assert_ptr_nonnull(strstr(r.out, "FFmpeg "));
    ck_assert_msg(strstr(r.out, hc_video_library_versions()) != NULL, "%s", r.out);
}
END_TEST

/* ---- the lift table: `rules --lifts`, docs/RULES.md, docs/report.schema.json ---------------- */

/* The ids of `hingecheck rules --lifts` (the first column, between backquotes), in order. */
static int lift_ids(char ids[][32], int max, char *table, size_t n)
{
    struct run r;
    const char *args[] = {"rules", "--lifts", NULL};
    run_cli(args, &r);
    ck_assert_msg(r.code == 0 && r.err[0] == '\0', "rules --lifts: exit %d, %s", r.code, r.err);
    ck_assert(strlen(r.out) < n);
    memcpy(table, r.out, strlen(r.out) + 1);
    int k = 0;
    for (const char *line = r.out; line && *line; line = strchr(line, '\n'), line += !!line) {
        if (strncmp(line, "| `", 3) != 0)
            continue;
        const char *e = strchr(line + 3, '`');
        ck_assert(e && e - line - 3 < 32 && k < max);
        memcpy(ids[k], line + 3, (size_t)(e - line - 3));
        ids[k++][e - line - 3] = '\0';
    }
    return k;
}

/* docs/RULES.md holds the lift table as `hingecheck rules --lifts` prints it, byte for byte. */
START_TEST(rules_md_lift_table_is_the_table)
{
    char ids[32][32], table[16384];
    static char doc[262144];
    const int n = lift_ids(ids, 32, table, sizeof table);
    ck_assert_int_ge(n, 7);
    slurp(HC_SOURCE_DIR "/docs/RULES.md", doc, sizeof doc);
    ck_assert_msg(strlen(doc) < sizeof doc - 1, "docs/RULES.md grew past the test's buffer");
    ck_assert_msg(strstr(doc, table) != NULL,
                  "docs/RULES.md (\"Lifts\") differs from `hingecheck rules --lifts`:\n%s", table);
    /* and --help lists the same ids */
    struct run r;
    const char *args[] = {"analyse", "--help", NULL};
    run_cli(args, &r);
    char want[32 * 33 + 8] = "[auto";
    for (int i = 0; i < n; i++) {
        strcat(want, "|");
        strcat(want, ids[i]);
    }
    strcat(want, "]");
    ck_assert_msg(strstr(r.out, want) != NULL, "--help lacks %s", want);
}
END_TEST

/* "min .. max" of a {"min", "max"} object, "-" for an open end or a missing object. */
static void range_text(const cJSON *o, char *buf, size_t n)
{
    const cJSON *a = cJSON_GetObjectItem(o, "min"), *b = cJSON_GetObjectItem(o, "max");
    char lo[32] = "-", hi[32] = "-";
    if (a)
        snprintf(lo, sizeof lo, "%g", a->valuedouble);
    if (b)
        snprintf(hi, sizeof hi, "%g", b->valuedouble);
    if (!o)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%s .. %s", lo, hi);
}

/* docs/RULES.md's "Default rules" table has one row per rule of `hingecheck rules`, with its
 * lifts, metric, ranges and source as the built-in rules say. */
START_TEST(rules_md_rule_table_is_the_rules)
{
    static char doc[262144];
    struct run r;
    const char *args[] = {"rules", NULL};
    run_cli(args, &r);
    ck_assert_int_eq(r.code, 0);
    ck_assert_msg(strlen(r.out) < sizeof r.out - 1, "rules output grew past the test's buffer");
    slurp(HC_SOURCE_DIR "/docs/RULES.md", doc, sizeof doc);
    cJSON *root = cJSON_Parse(r.out);
    ck_assert_ptr_nonnull(root);
    const cJSON *rule;
    int n = 0;
    cJSON_ArrayForEach(rule, cJSON_GetObjectItem(root, "rules")) {
        char row[4096], lifts[256] = "", metric[128], ex[64], er[64];
        const cJSON *l;
        cJSON_ArrayForEach(l, cJSON_GetObjectItem(rule, "lifts")) {
            if (lifts[0])
                strcat(lifts, ", ");
            strcat(lifts, l->valuestring);
        }
        snprintf(metric, sizeof metric, "`%s`",
                 cJSON_GetObjectItem(rule, "metric")->valuestring);
        const cJSON *mb = cJSON_GetObjectItem(rule, "measured_by");
        if (mb)
            snprintf(metric + strlen(metric), sizeof metric - strlen(metric), " (%s)",
                     mb->valuestring);
        const cJSON *im = cJSON_GetObjectItem(rule, "implements");
        if (im)
            snprintf(metric + strlen(metric), sizeof metric - strlen(metric), " [%s]",
                     cJSON_GetArrayItem(im, 0)->valuestring);
        range_text(cJSON_GetObjectItem(rule, "expected"), ex, sizeof ex);
        range_text(cJSON_GetObjectItem(rule, "error_outside"), er, sizeof er);
        snprintf(row, sizeof row, "| `%s` | %s | %s | %s | %s | %s | %s |\n",
                 cJSON_GetObjectItem(rule, "id")->valuestring, lifts, metric,
                 cJSON_GetObjectItem(rule, "phase")->valuestring, ex, er,
                 cJSON_GetObjectItem(rule, "source")->valuestring);
        ck_assert_msg(strstr(doc, row) != NULL, "docs/RULES.md lacks the row\n%s", row);
        n++;
    }
    ck_assert_int_ge(n, 20);
    cJSON_Delete(root);
}
END_TEST

/* The report schema's exercise enums are the table's ids ("requested": auto first; "detected":
 * null last). */
START_TEST(schema_exercise_enum_is_the_table)
{
    char ids[32][32], table[16384], doc[65536];
    const int n = lift_ids(ids, 32, table, sizeof table);
    slurp(HC_SOURCE_DIR "/docs/report.schema.json", doc, sizeof doc);
    cJSON *root = cJSON_Parse(doc);
    ck_assert_ptr_nonnull(root);
    const cJSON *ex = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "properties"), "exercise");
    const cJSON *props = cJSON_GetObjectItem(ex, "properties");
    const cJSON *req = cJSON_GetObjectItem(cJSON_GetObjectItem(props, "requested"), "enum");
    const cJSON *det = cJSON_GetObjectItem(cJSON_GetObjectItem(props, "detected"), "enum");
    ck_assert_msg(cJSON_GetArraySize(req) == n + 1 && cJSON_GetArraySize(det) == n + 1,
                  "schema enums: %d and %d entries, table %d lifts", cJSON_GetArraySize(req),
                  cJSON_GetArraySize(det), n);
    ck_assert_str_eq(cJSON_GetArrayItem(req, 0)->valuestring, "auto");
    ck_assert(cJSON_IsNull(cJSON_GetArrayItem(det, n)));
    for (int i = 0; i < n; i++) {
        ck_assert_str_eq(cJSON_GetArrayItem(req, i + 1)->valuestring, ids[i]);
        ck_assert_str_eq(cJSON_GetArrayItem(det, i)->valuestring, ids[i]);
    }
    cJSON_Delete(root);
}
END_TEST

/* ---- probe ---------------------------------------------------------------------------------- */

static void check_clip_object(const cJSON *o)
{
    ck_assert(cJSON_IsObject(o));
    ck_assert_str_eq(cJSON_GetObjectItem(o, "file")->valuestring, clip_path);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "width_px")->valueint, CLIP_H);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "height_px")->valueint, CLIP_W);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "coded_width_px")->valueint, CLIP_W);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "coded_height_px")->valueint, CLIP_H);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "rotation_deg")->valueint, CLIP_ROT);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(o, "hflip")));
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(o, "vflip")));
    ck_assert_double_eq_tol(cJSON_GetObjectItem(o, "fps")->valuedouble, CLIP_FPS, 1e-3);
    ck_assert_double_eq_tol(cJSON_GetObjectItem(o, "duration_s")->valuedouble, CLIP_N / CLIP_FPS,
                            0.05);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "n_frames_estimate")->valueint, CLIP_N);
    ck_assert_str_eq(cJSON_GetObjectItem(o, "codec")->valuestring, "h264");
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(o, "container")->valuestring, "mp4"));
    ck_assert_str_eq(cJSON_GetObjectItem(o, "sample_aspect")->valuestring, "1:1");
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(o, "has_audio")));
}

START_TEST(probe_json_matches_writer)
{
    struct run r;
    const char *args[] = {"probe", "--json", clip_path, NULL};
    run_cli(args, &r);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    cJSON *doc = cJSON_Parse(r.out);
    ck_assert_msg(doc != NULL, "not JSON: %s", r.out);
    ck_assert(cJSON_IsArray(doc));
    ck_assert_int_eq(cJSON_GetArraySize(doc), 1);
    check_clip_object(cJSON_GetArrayItem(doc, 0));
    cJSON_Delete(doc);
}
END_TEST

START_TEST(probe_json_with_a_bad_file)
{
    char missing[512];
    snprintf(missing, sizeof missing, "%s/no-such-clip.mp4", tmpdir);
    struct run r;
    const char *args[] = {"probe", "--json", missing, clip_path, NULL};
    run_cli(args, &r);
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "no-such-clip.mp4") != NULL, "%s", r.err);
    ck_assert_int_eq(count_lines(r.err), 1);
    cJSON *doc = cJSON_Parse(r.out);
    ck_assert_msg(doc != NULL, "not JSON: %s", r.out);
    ck_assert_int_eq(cJSON_GetArraySize(doc), 2);
    const cJSON *bad = cJSON_GetArrayItem(doc, 0);
    ck_assert_str_eq(cJSON_GetObjectItem(bad, "file")->valuestring, missing);
    ck_assert_ptr_nonnull(
        strstr(cJSON_GetObjectItem(bad, "error")->valuestring, "no-such-clip.mp4"));
    ck_assert_int_eq(cJSON_GetObjectItem(bad, "exit_code")->valueint, 2);
    check_clip_object(cJSON_GetArrayItem(doc, 1));
    cJSON_Delete(doc);
}
END_TEST

START_TEST(probe_text_and_missing_file)
{
    char missing[512], text[512];
    snprintf(missing, sizeof missing, "%s/gone.mp4", tmpdir);
    snprintf(text, sizeof text, "%s/tests/data/not-a-video.mp4", HC_SOURCE_DIR);
    struct run r;
    const char *args1[] = {"probe", missing, NULL};
    run_cli(args1, &r);
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "gone.mp4") != NULL, "%s", r.err);
    ck_assert_int_eq(count_lines(r.err), 1);
    ck_assert_str_eq(r.out, "");

    /* good file between two bad ones: its facts still print; the first failure sets the code */
    const char *args2[] = {"probe", text, clip_path, missing, NULL};
    run_cli(args2, &r);
    ck_assert_int_eq(r.code, 2);
    ck_assert_int_eq(count_lines(r.err), 2);
    ck_assert_ptr_nonnull(strstr(r.err, "not-a-video.mp4"));
    ck_assert_ptr_nonnull(strstr(r.err, "gone.mp4"));
    char want[64];
    snprintf(want, sizeof want, "%dx%d\n", CLIP_H, CLIP_W);
    ck_assert_msg(strstr(r.out, want) != NULL, "no upright size in: %s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "rotation:     90\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "codec:        h264\n"));
    ck_assert_ptr_nonnull(strstr(r.out, clip_path));
}
END_TEST

static void make_clip(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hc_test_cli_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(clip_path, sizeof clip_path, "%s/probe-me.mp4", tmpdir);
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = CLIP_W;
    wp.height_px = CLIP_H;
    wp.fps = CLIP_FPS;
    wp.rotation_deg = CLIP_ROT;
    struct video_writer *w = NULL;
    enum hc_status st = video_writer_open(clip_path, &wp, &w);
    uint8_t *img = calloc((size_t)CLIP_W * CLIP_H, 3);
    for (int i = 0; i < CLIP_N && st == HC_OK; i++) {
        for (int k = 0; k < CLIP_W * CLIP_H * 3; k++)
            img[k] = (uint8_t)(k / 3 % CLIP_W + i * 3);
        st = video_writer_write_rgb(w, img, CLIP_W * 3, -1.0);
    }
    free(img);
    enum hc_status cst = video_writer_close(w);
    if (st != HC_OK || cst != HC_OK) {
        fprintf(stderr, "cannot write %s: %s\n", clip_path, hc_last_error());
        exit(1);
    }
}

static void remove_clip(void)
{
    char p[600];
    unlink(clip_path);
    snprintf(p, sizeof p, "%s/out.txt", tmpdir);
    unlink(p);
    snprintf(p, sizeof p, "%s/err.txt", tmpdir);
    unlink(p);
    rmdir(tmpdir);
}

int main(void)
{
    struct stat sb;
    if (stat(HC_CLI_PATH, &sb) != 0) {
        fprintf(stderr, "test_cli: %s not built\n", HC_CLI_PATH);
        return EXIT_FAILURE;
    }
    make_clip();
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, usage_and_help, 0, (int)(sizeof usage_cases / sizeof usage_cases[0]));
    tcase_add_test(tc, version_names_ffmpeg);
    tcase_add_test(tc, rules_md_lift_table_is_the_table);
    tcase_add_test(tc, schema_exercise_enum_is_the_table);
    tcase_add_test(tc, rules_md_rule_table_is_the_rules);
    tcase_add_test(tc, probe_json_matches_writer);
    tcase_add_test(tc, probe_json_with_a_bad_file);
    tcase_add_test(tc, probe_text_and_missing_file);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    /* The forked children share out.txt/err.txt; Check runs them one after another. */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    remove_clip();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
