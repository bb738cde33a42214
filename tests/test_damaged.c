#define _POSIX_C_SOURCE 200809L
/*
 * test_damaged.c - damaged media as a user meets it (the hingecheck executable, a subprocess):
 * a clip from hc_synth with bytes flipped mid-stream, a range zeroed, or its end cut off is
 * analysed past the damage with the skipped frames and their stretches in the report (exit 0,
 * the reps they touch marked), and a clip that is mostly damage is an input error (exit 2, one
 * line naming the file), never "no lifter" or "no rep". The batch summary carries the count. A
 * side-view clip of ../shared with one byte flipped is checked the same way when it is there.
 */
#include "hc_shared_clips.h"
#include "hc_test_util.h"

#include <check.h>
#include <math.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char tmpdir[256];

struct run {
    int code;
    char err[8192];
};

/* A fixture that cannot be made ends the suite with a message (not a test's assertion: the
 * fixtures are made before the tests, in the parent process). */
#define NEED(cond, ...)                                                                          \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "test_damaged: " __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                                 \
            exit(EXIT_FAILURE);                                                                  \
        }                                                                                        \
    } while (0)

static void tmp_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    NEED(f != NULL, "cannot write %s", path);
    const int ok = fwrite(b, 1, n, f) == n;
    NEED(fclose(f) == 0 && ok, "cannot write %s", path);
}

/* Runs argv (argv[0] the program) with stdout to /dev/null and stderr captured. */
static void run_argv(char *const *argv, struct run *r)
{
    char err_path[512];
    tmp_path(err_path, sizeof err_path, "stderr.txt");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    const int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    NEED(rc == 0, "cannot run %s", argv[0]);
    int status = 0;
    NEED(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "%s died", argv[0]);
    r->code = WEXITSTATUS(status);
    char *e = hc_test_slurp(err_path, NULL);
    snprintf(r->err, sizeof r->err, "%s", e ? e : "");
    free(e);
}

/* hingecheck CLIP --model lite --no-spine-mask --json JSON; returns the parsed report (NULL when
 * none was written). */
static cJSON *analyse(const char *clip, struct run *r)
{
    char json[600];
    snprintf(json, sizeof json, "%s.json", clip);
    unlink(json);
    char *argv[] = {(char *)HC_CLI_PATH, (char *)clip, "--model",      "lite",
                    "--no-spine-mask",   "--json",     json,           NULL};
    run_argv(argv, r);
    char *text = hc_test_slurp(json, NULL);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    return root;
}

static const cJSON *get(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    return b ? cJSON_GetObjectItemCaseSensitive(x, b) : x;
}

/* The number at o.a(.b); NaN when there is none (a check on it then fails). */
static double num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = get(o, a, b);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* ---- fixtures: one clip from hc_synth and its damaged copies ------------------------------- */

/* 3 RDL reps, 640x360 at 30 fps (about 14 s, 414 frames, a keyframe every 2 s). */
#define CLEAN "clean.mp4"

static unsigned char *clean_bytes;
static size_t clean_len, mdat_at; /* the frame data start after the 'mdat' box header */
static int64_t clean_frames;     /* frames of the clean clip, from its own report */

/* Damaged copies: offsets and lengths in per cent of the frame data (mdat). */
enum op { FLIP, ZERO, CUT };
static const struct mutation {
    const char *name;
    enum op op;
    int at_pct, len_pct; /* FLIP: 8 bytes 97 apart from at_pct; ZERO: len_pct zeroed; CUT: kept */
    int exit_code;       /* 0: analysed with the damage noted; 2: mostly damaged */
    int marked;          /* a rep overlaps the damage: at least one rep is marked */
} mutations[] = {
    {"flip50.mp4", FLIP, 50, 0, 0, 1}, /* mid-rep: the second rep's rise */
    {"zero2at40.mp4", ZERO, 40, 2, 0, 0},
    {"cut85.mp4", CUT, 85, 0, 0, 0},
    {"cut30.mp4", CUT, 30, 0, 2, 0},
    {"zero60at20.mp4", ZERO, 20, 60, 2, 0},
};

static void make_mutation(const struct mutation *m)
{
    unsigned char *b = malloc(clean_len);
    NEED(b != NULL, "out of memory");
    memcpy(b, clean_bytes, clean_len);
    const size_t data = clean_len - mdat_at;
    const size_t at = mdat_at + data * (size_t)m->at_pct / 100;
    size_t n = clean_len;
    if (m->op == FLIP)
        for (size_t k = 0; k < 8; k++)
            b[at + 97 * k] ^= 0xff;
    else if (m->op == ZERO)
        memset(b + at, 0, data * (size_t)m->len_pct / 100);
    else
        n = at;
    char path[512];
    tmp_path(path, sizeof path, m->name);
    write_file(path, b, n);
    free(b);
}

static void make_fixtures(void)
{
    NEED(hc_test_tmpdir(tmpdir, sizeof tmpdir, "hc_test_damaged") == 0,
         "cannot make a temporary folder");
    char clean[512], cmd[2048];
    tmp_path(clean, sizeof clean, CLEAN);
    snprintf(cmd, sizeof cmd,
             "'%s' --lift rdl --reps 3 --width 640 --height 360 --fps 30 --out '%s' >/dev/null",
             HC_SYNTH_PATH, clean);
    NEED(system(cmd) == 0, "hc_synth failed: %s", cmd);
    clean_bytes = (unsigned char *)hc_test_slurp(clean, &clean_len);
    NEED(clean_bytes != NULL, "cannot read %s", clean);
    for (size_t i = 4; i + 8 < clean_len && !mdat_at; i++)
        if (memcmp(clean_bytes + i, "mdat", 4) == 0)
            mdat_at = i + 4;
    NEED(mdat_at > 0, "no mdat box in %s", clean);
    struct run r;
    cJSON *rep = analyse(clean, &r);
    NEED(r.code == 0 && rep, "the clean clip: exit %d: %s", r.code, r.err);
    clean_frames = (int64_t)num(rep, "clip", "n_frames");
    /* an intact clip: nothing skipped, said so */
    NEED(num(rep, "clip", "frames_skipped") == 0.0 && cJSON_IsFalse(get(rep, "status", "damaged")),
         "the clean clip is reported damaged");
    NEED(clean_frames > 300, "the clean clip has %lld frames", (long long)clean_frames);
    cJSON_Delete(rep);
}

/* ---- analysed past the damage, the damage in the report ------------------------------------ */

/* The report of a clip analysed with damage: frames decoded + skipped = the clip's frames, the
 * stretches inside the clip, in words, and the reps that touch them marked. */
static void check_damage_report(const cJSON *rep, const char *name, int marked)
{
    const int64_t n = (int64_t)num(rep, "clip", "n_frames");
    const int64_t skipped = (int64_t)num(rep, "clip", "frames_skipped");
    ck_assert_msg(skipped > 0, "%s: no frame reported skipped", name);
    ck_assert_msg(n + skipped == clean_frames, "%s: %lld decoded + %lld skipped != %lld frames",
                  name, (long long)n, (long long)skipped, (long long)clean_frames);
    ck_assert_msg(skipped * 2 <= clean_frames, "%s: mostly damaged yet analysed", name);
    ck_assert(cJSON_IsTrue(get(rep, "status", "damaged")));
    ck_assert_str_eq(get(rep, "status", "code")->valuestring, "ok");
    const cJSON *ranges = get(rep, "clip", "damage");
    ck_assert_int_gt(cJSON_GetArraySize(ranges), 0);
    int64_t in_ranges = 0, prev_last = -1;
    const cJSON *g;
    cJSON_ArrayForEach(g, ranges)
    {
        const int64_t first = (int64_t)num(g, "first_frame", NULL);
        const int64_t last = (int64_t)num(g, "last_frame", NULL);
        ck_assert_msg(first > prev_last && last >= first && last < clean_frames,
                      "%s: range %lld-%lld", name, (long long)first, (long long)last);
        ck_assert(num(g, "t_start", NULL) <= num(g, "t_end", NULL));
        in_ranges += last - first + 1;
        prev_last = last;
    }
    ck_assert_int_eq((int)in_ranges, (int)skipped);
    const cJSON *note = get(rep, "clip", "damage_note");
    ck_assert_msg(cJSON_IsString(note) && strstr(note->valuestring, "could not be decoded"),
                  "%s: no damage note", name);
    /* the reps: some found, the ones a stretch overlaps marked, with the frames in words */
    int n_reps = 0, n_marked = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, get(rep, "reps", NULL))
    {
        n_reps++;
        const cJSON *d = get(r, "damaged", NULL);
        ck_assert(cJSON_IsBool(d));
        if (cJSON_IsTrue(d)) {
            n_marked++;
            ck_assert(strstr(get(r, "damage", NULL)->valuestring, "could not be decoded"));
        } else {
            ck_assert(cJSON_IsNull(get(r, "damage", NULL)));
        }
    }
    ck_assert_msg(n_reps >= 1, "%s: no rep found", name);
    ck_assert_msg(!marked || n_marked > 0, "%s: no rep marked", name);
    printf("test_damaged: %s: %lld of %lld frames skipped, %d reps, %d marked: %s\n", name,
           (long long)skipped, (long long)clean_frames, n_reps, n_marked, note->valuestring);
}

START_TEST(damaged_clip_exit_code)
{
    const struct mutation *m = &mutations[_i];
    make_mutation(m);
    char path[512];
    tmp_path(path, sizeof path, m->name);
    struct run r;
    cJSON *rep = analyse(path, &r);
    ck_assert_msg(r.code == m->exit_code, "%s: exit %d, want %d: %s", m->name, r.code,
                  m->exit_code, r.err);
    if (m->exit_code == 0) {
        ck_assert_ptr_nonnull(rep);
        check_damage_report(rep, m->name, m->marked);
        /* the warning on stderr names the file */
        ck_assert_msg(strstr(r.err, path) && strstr(r.err, "could not be decoded"), "%s",
                      r.err);
    } else {
        /* an input error: one line naming the file and what to do, no "no lifter" */
        ck_assert_ptr_null(rep);
        ck_assert_msg(strstr(r.err, path) != NULL, "the message does not name the file: %s",
                      r.err);
        ck_assert_msg(strstr(r.err, "mostly damaged") && strstr(r.err, "export it again"),
                      "%s", r.err);
        ck_assert_msg(strstr(r.err, "no lifter") == NULL && strstr(r.err, "no rep") == NULL,
                      "%s", r.err);
        int lines = 0;
        for (const char *p = r.err; *p; p++)
            lines += *p == '\n';
        ck_assert_msg(lines == 1, "%d lines on stderr: %s", lines, r.err);
    }
    cJSON_Delete(rep);
}
END_TEST

/* The batch summary (csv and jsonl) carries the frames skipped and the stretches. */
START_TEST(batch_summary_counts_skipped_frames)
{
    char dir[512], out[512], clip[600];
    tmp_path(dir, sizeof dir, "batch-in");
    tmp_path(out, sizeof out, "batch-out");
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    make_mutation(&mutations[0]);
    char src[512];
    tmp_path(src, sizeof src, mutations[0].name);
    snprintf(clip, sizeof clip, "%s/%s", dir, mutations[0].name);
    ck_assert_int_eq(rename(src, clip), 0);
    char *argv[] = {(char *)HC_CLI_PATH, "batch", "--model", "lite", "--no-spine-mask",
                    "--out", out, "--jobs", "1", dir, NULL};
    struct run r;
    run_argv(argv, &r);
    ck_assert_msg(r.code == 0, "batch: exit %d: %s", r.code, r.err);
    char csv_path[600];
    snprintf(csv_path, sizeof csv_path, "%s/summary.csv", out);
    char *csv = hc_test_slurp(csv_path, NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_msg(strstr(csv, ",message,frames_skipped,damage\n") != NULL, "%s", csv);
    ck_assert_msg(strstr(csv, "could not be decoded") != NULL, "%s", csv);
    free(csv);
    snprintf(csv_path, sizeof csv_path, "%s/summary.jsonl", out);
    char *jl = hc_test_slurp(csv_path, NULL);
    ck_assert_ptr_nonnull(jl);
    cJSON *row = cJSON_Parse(jl);
    free(jl);
    ck_assert_ptr_nonnull(row);
    ck_assert_int_gt((int)num(row, "frames_skipped", NULL), 0);
    cJSON_Delete(row);
}
END_TEST

/* ---- a real clip: one byte flipped mid-stream ---------------------------------------------- */

START_TEST(shared_side_view_clip_flipped_byte)
{
    struct hc_shared_clip c;
    const int found = hc_shared_clip_find("kettlebell deadlift | side", &c);
    if (found == 0) {
        printf("test_damaged: skipped: no %s/clips/INDEX.tsv\n", HC_SHARED_DIR);
        return;
    }
    ck_assert_msg(found == 1, "%s", c.why);
    char src[1024], path[512];
    snprintf(src, sizeof src, "%s/clips/%s.mp4", HC_SHARED_DIR, c.stem);
    size_t n = 0;
    unsigned char *b = (unsigned char *)hc_test_slurp(src, &n);
    ck_assert_ptr_nonnull(b);
    struct run r;
    tmp_path(path, sizeof path, "shared-clean.mp4");
    write_file(path, b, n);
    cJSON *clean = analyse(path, &r);
    ck_assert_msg(r.code == 0 && clean, "exit %d: %s", r.code, r.err);
    const int64_t frames = (int64_t)num(clean, "clip", "n_frames");
    const int clean_reps = cJSON_GetArraySize(get(clean, "reps", NULL));
    cJSON_Delete(clean);
    /* one byte in the middle of the frame data (a third of the way into the file: after the
     * moov of a faststart MP4, inside the frames of one at the end) */
    b[n / 3] ^= 0xff;
    tmp_path(path, sizeof path, "shared-flipped.mp4");
    write_file(path, b, n);
    free(b);
    cJSON *rep = analyse(path, &r);
    ck_assert_msg(r.code == 0 && rep, "exit %d: %s", r.code, r.err);
    const int64_t decoded = (int64_t)num(rep, "clip", "n_frames");
    const int64_t skipped = (int64_t)num(rep, "clip", "frames_skipped");
    ck_assert_int_eq((int)(decoded + skipped), (int)frames);
    /* the reps after the damage are still found: most of the set */
    const int reps = cJSON_GetArraySize(get(rep, "reps", NULL));
    ck_assert_msg(reps * 2 > clean_reps, "%d of %d reps", reps, clean_reps);
    printf("test_damaged: shared clip, one byte flipped: %lld of %lld frames skipped, %d of %d "
           "reps\n",
           (long long)skipped, (long long)frames, reps, clean_reps);
    cJSON_Delete(rep);
}
END_TEST

static void remove_fixtures(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    free(clean_bytes);
}

int main(void)
{
#ifdef DAMAGED_SHARED
    NEED(hc_test_tmpdir(tmpdir, sizeof tmpdir, "hc_test_damaged") == 0,
         "cannot make a temporary folder");
    (void)make_fixtures;
#else
    make_fixtures();
#endif
    Suite *s = suite_create("damaged");
    TCase *tc = tcase_create("damaged");
    tcase_set_timeout(tc, 600);
#ifdef DAMAGED_SHARED
    tcase_add_test(tc, shared_side_view_clip_flipped_byte);
    (void)damaged_clip_exit_code;
    (void)batch_summary_counts_skipped_frames;
#else
    tcase_add_loop_test(tc, damaged_clip_exit_code, 0,
                        (int)(sizeof mutations / sizeof mutations[0]));
    tcase_add_test(tc, batch_summary_counts_skipped_frames);
    (void)shared_side_view_clip_flipped_byte;
#endif
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    remove_fixtures();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
