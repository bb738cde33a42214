#define _POSIX_C_SOURCE 200809L
/*
 * test_batch.c - `hingecheck batch` as a user runs it (a subprocess) on a folder made at test
 * time: three hc_synth clips with known rep counts (one in a sub-folder, one with an upper-case
 * extension), a truncated MP4, a text file named .mp4, a clip with nobody in it, and a .txt file
 * that must be ignored. Checks the per-clip reports and summary rows, that failures are recorded
 * and the rest goes on, the exit code, resume (mtimes unchanged) and --force, kill -9 and Ctrl-C
 * mid-batch then a rerun giving the same summary, --jobs 2 = --jobs 1, --shard 1/2 + 2/2 = a full
 * run, and the same split run by GNU parallel (skipped when `parallel` is not installed).
 * Every run uses --deterministic so reports compare byte for byte.
 */
#include "video/video.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char tmpdir[256];
static char indir[512];
static char refdir[512];
static int ref_code = -1;

#define N_CLIPS 6

/* The clips of the folder and what the batch must say about each. */
static const struct expect {
    const char *name;   /* report name: path inside the folder */
    const char *status; /* summary status */
    int exit_code;      /* the clip's own exit code (analyse's) */
    int n_reps;         /* as made by hc_synth (failed clips: 0) */
    const char *top_cue; /* the first top cue; NULL: not checked */
} expects[N_CLIPS] = {
    {"B.MP4", "ok", 0, 2, "bar-drift"}, /* made with --fault bar-drift */
    {"a.mp4", "ok", 0, 2, NULL},
    {"blank.mp4", "no-pose", 3, 0, NULL},
    {"corrupt.mp4", "failed", 2, 0, NULL},
    {"notvideo.mp4", "failed", 2, 0, NULL},
    {"sub/c.mov", "ok", 0, 3, NULL},
};
#define N_FAILED 3

static void sh(const char *cmd)
{
    const int rc = system(cmd);
    if (rc != 0) {
        fprintf(stderr, "test_batch: '%s' failed (%d)\n", cmd, rc);
        exit(1);
    }
}

static pid_t spawn_cli(const char *const *args, const char *log)
{
    char *argv[40];
    int n = 0;
    argv[n++] = (char *)HC_CLI_PATH;
    for (; args[n - 1] && n < 39; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, HC_CLI_PATH, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    ck_assert_msg(rc == 0, "cannot run %s", HC_CLI_PATH);
    return pid;
}

static int wait_code(pid_t pid)
{
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status), "hingecheck died (signal %d)",
                  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return WEXITSTATUS(status);
}

/* hingecheck batch INDIR --out out --model lite --deterministic [extra...]; returns the exit
 * code; stderr goes to out.log beside out. */
static int run_batch(const char *out, const char *const *extra)
{
    const char *args[32] = {"batch", indir, "--out", out, "--model", "lite", "--deterministic"};
    int n = 7;
    for (; extra && *extra && n < 31; extra++)
        args[n++] = *extra;
    args[n] = NULL;
    char log[700];
    snprintf(log, sizeof log, "%s.log", out);
    return wait_code(spawn_cli(args, log));
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    size_t k = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[k] = '\0';
    return buf;
}

static void assert_same_file(const char *a, const char *b)
{
    char *ta = slurp(a), *tb = slurp(b);
    ck_assert_msg(ta && tb, "missing %s or %s", a, b);
    ck_assert_msg(strcmp(ta, tb) == 0, "%s and %s differ", a, b);
    free(ta);
    free(tb);
}

/* Every clip's report and the summary of dir are the same as the reference run's. */
static void assert_same_as_ref(const char *dir)
{
    char a[700], b[700];
    for (int i = 0; i < N_CLIPS; i++) {
        snprintf(a, sizeof a, "%s/%s.json", dir, expects[i].name);
        snprintf(b, sizeof b, "%s/%s.json", refdir, expects[i].name);
        assert_same_file(a, b);
    }
    snprintf(a, sizeof a, "%s/summary.csv", dir);
    snprintf(b, sizeof b, "%s/summary.csv", refdir);
    assert_same_file(a, b);
    snprintf(a, sizeof a, "%s/summary.jsonl", dir);
    snprintf(b, sizeof b, "%s/summary.jsonl", refdir);
    assert_same_file(a, b);
}

static int count_lines(const char *path)
{
    char *t = slurp(path);
    int n = 0;
    for (const char *p = t; p && *p; p++)
        n += *p == '\n';
    free(t);
    return n;
}

static int count_reports(const char *dir)
{
    int n = 0;
    char p[700];
    for (int i = 0; i < N_CLIPS; i++) {
        snprintf(p, sizeof p, "%s/%s.json", dir, expects[i].name);
        n += access(p, F_OK) == 0;
    }
    return n;
}

static void out_dir(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

/* ---- the reference run: reports and summary rows ------------------------------------------ */

START_TEST(test_clip_rows)
{
    const struct expect *e = &expects[_i];
    ck_assert_int_eq(ref_code, 10 + N_FAILED);
    char path[700];
    snprintf(path, sizeof path, "%s/summary.jsonl", refdir);
    char *text = slurp(path);
    ck_assert_ptr_nonnull(text);
    int found = 0, line = 0;
    for (char *s = text, *nl; s && *s; s = nl ? nl + 1 : NULL, line++) {
        nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        cJSON *o = cJSON_Parse(s);
        ck_assert_msg(o != NULL, "summary.jsonl line %d is not JSON", line + 1);
        const cJSON *clip = cJSON_GetObjectItem(o, "clip");
        if (cJSON_IsString(clip) && strcmp(clip->valuestring, e->name) == 0) {
            found = 1;
            ck_assert_int_eq(line, _i); /* sorted by report name */
            ck_assert_str_eq(cJSON_GetObjectItem(o, "status")->valuestring, e->status);
            ck_assert_int_eq(cJSON_GetObjectItem(o, "exit_code")->valueint, e->exit_code);
            ck_assert_int_eq(cJSON_GetObjectItem(o, "reps")->valueint, e->n_reps);
            const cJSON *score = cJSON_GetObjectItem(o, "set_score");
            const cJSON *msg = cJSON_GetObjectItem(o, "message");
            if (strcmp(e->status, "ok") == 0) {
                ck_assert(cJSON_IsNumber(score) && score->valuedouble >= 0 &&
                          score->valuedouble <= 100);
                ck_assert_str_eq(msg->valuestring, "");
                const cJSON *cues = cJSON_GetObjectItem(o, "top_cues");
                if (e->top_cue)
                    ck_assert_str_eq(cJSON_GetArrayItem(cues, 0)->valuestring, e->top_cue);
            } else {
                ck_assert(cJSON_IsNull(score));
                ck_assert_msg(strlen(msg->valuestring) > 10, "no error message for %s", e->name);
            }
        }
        cJSON_Delete(o);
    }
    free(text);
    ck_assert_msg(found, "%s has no summary row", e->name);
    /* its report: a JSON report, or a failure report, with the same status */
    snprintf(path, sizeof path, "%s/%s.json", refdir, e->name);
    text = slurp(path);
    ck_assert_msg(text != NULL, "%s missing", path);
    cJSON *r = cJSON_Parse(text);
    free(text);
    ck_assert_ptr_nonnull(r);
    const cJSON *st = cJSON_GetObjectItem(r, "status");
    ck_assert_str_eq(cJSON_GetObjectItem(st, "code")->valuestring, e->status);
    ck_assert_int_eq(cJSON_GetObjectItem(st, "exit_code")->valueint, e->exit_code);
    if (strcmp(e->status, "ok") == 0)
        ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "reps")), e->n_reps);
    cJSON_Delete(r);
}
END_TEST

START_TEST(test_summary_shape)
{
    char path[700];
    snprintf(path, sizeof path, "%s/summary.csv", refdir);
    ck_assert_int_eq(count_lines(path), N_CLIPS + 1); /* header + one row per clip */
    char *csv = slurp(path);
    ck_assert(strncmp(csv, "clip,file,status,exit_code,exercise,reps,set_score,worst,top_cues,"
                           "message\n", 70) == 0);
    ck_assert_ptr_null(strstr(csv, "readme.txt")); /* not a video: not a clip */
    free(csv);
    snprintf(path, sizeof path, "%s/readme.txt.json", refdir);
    ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

/* ---- resume and --force ------------------------------------------------------------------- */

static void mtimes(const char *dir, struct timespec *t)
{
    char p[700];
    struct stat sb;
    for (int i = 0; i < N_CLIPS; i++) {
        snprintf(p, sizeof p, "%s/%s.json", dir, expects[i].name);
        ck_assert_int_eq(stat(p, &sb), 0);
        t[i] = sb.st_mtim;
    }
}

START_TEST(test_resume_and_force)
{
    char d[600], cmd[1400];
    out_dir("resume", d, sizeof d);
    snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", refdir, d); /* keeps the mtimes */
    ck_assert_int_eq(system(cmd), 0);
    struct timespec t0[N_CLIPS], t1[N_CLIPS];
    mtimes(d, t0);
    ck_assert_int_eq(run_batch(d, NULL), 10 + N_FAILED);
    mtimes(d, t1);
    for (int i = 0; i < N_CLIPS; i++)
        ck_assert_msg(t0[i].tv_sec == t1[i].tv_sec && t0[i].tv_nsec == t1[i].tv_nsec,
                      "%s was analysed again on resume", expects[i].name);
    assert_same_as_ref(d);
    char log[700];
    snprintf(log, sizeof log, "%s.log", d);
    char *err = slurp(log);
    ck_assert_ptr_nonnull(strstr(err, "0 analysed now, 6 already done"));
    free(err);
    /* a clip touched after its report is analysed again, only it */
    char clip[700];
    snprintf(clip, sizeof clip, "%s/a.mp4", indir);
    struct timespec later[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    ck_assert_int_eq(utimensat(AT_FDCWD, clip, later, 0), 0);
    ck_assert_int_eq(run_batch(d, NULL), 10 + N_FAILED);
    mtimes(d, t1);
    for (int i = 0; i < N_CLIPS; i++) {
        const int same = t0[i].tv_sec == t1[i].tv_sec && t0[i].tv_nsec == t1[i].tv_nsec;
        ck_assert_msg(same == (strcmp(expects[i].name, "a.mp4") != 0), "%s: %s",
                      expects[i].name, same ? "not redone after the clip changed" : "redone");
    }
    /* --force redoes every clip, with the same results */
    const char *force[] = {"--force", NULL};
    mtimes(d, t0);
    ck_assert_int_eq(run_batch(d, force), 10 + N_FAILED);
    mtimes(d, t1);
    for (int i = 0; i < N_CLIPS; i++)
        ck_assert_msg(t0[i].tv_sec != t1[i].tv_sec || t0[i].tv_nsec != t1[i].tv_nsec,
                      "%s not redone with --force", expects[i].name);
    assert_same_as_ref(d);
}
END_TEST

/* ---- kill -9 and Ctrl-C mid-batch, then a rerun ------------------------------------------ */

START_TEST(test_interrupted)
{
    static const int sigs[2] = {SIGKILL, SIGINT};
    const int sig = sigs[_i];
    char d[600], log[700];
    out_dir(sig == SIGKILL ? "killed" : "interrupted", d, sizeof d);
    snprintf(log, sizeof log, "%s.log", d);
    const char *args[] = {"batch", indir, "--out", d, "--model", "lite", "--deterministic",
                          "--jobs", "1", NULL};
    pid_t pid = spawn_cli(args, log);
    /* wait for the first report, then stop it in the middle of the next clips */
    for (int k = 0; k < 1200 && count_reports(d) == 0; k++)
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    ck_assert_int_gt(count_reports(d), 0);
    kill(pid, sig);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    const int done = count_reports(d);
    ck_assert_msg(done < N_CLIPS, "the batch finished before it could be stopped");
    char sum[700];
    snprintf(sum, sizeof sum, "%s/summary.csv", d);
    if (sig == SIGKILL) {
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    } else {
        /* Ctrl-C: a clean stop, exit 130, the summary of the clips done and a not-run row for
         * each of the others */
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d", status);
        ck_assert_int_eq(count_lines(sum), 1 + N_CLIPS);
        char *csv = slurp(sum);
        int n_not_run = 0;
        for (const char *s = csv; s && (s = strstr(s, ",not-run,")) != NULL; s++)
            n_not_run++;
        free(csv);
        ck_assert_int_eq(n_not_run, N_CLIPS - count_reports(d));
    }
    ck_assert_int_eq(run_batch(d, NULL), 10 + N_FAILED);
    assert_same_as_ref(d);
    char *err = slurp(log);
    char want[64];
    snprintf(want, sizeof want, "already done");
    ck_assert_ptr_nonnull(strstr(err, want));
    free(err);
}
END_TEST

/* ---- --jobs 2, --shard, GNU parallel ------------------------------------------------------ */

/* Two workers give the same reports and summary as one; with --html, a page per analysed clip
 * (none for clips that could not be read) and an index linking them. */
START_TEST(test_jobs2)
{
    char d[600];
    out_dir("jobs2", d, sizeof d);
    const char *extra[] = {"--jobs", "2", "--html", NULL};
    ck_assert_int_eq(run_batch(d, extra), 10 + N_FAILED);
    assert_same_as_ref(d);
    char p[700];
    snprintf(p, sizeof p, "%s/index.html", d);
    char *index = slurp(p);
    ck_assert_msg(index != NULL, "no index.html");
    for (int i = 0; i < N_CLIPS; i++) {
        const int page = strcmp(expects[i].status, "failed") != 0;
        char href[128];
        snprintf(href, sizeof href, "href=\"%s.html\"", expects[i].name);
        snprintf(p, sizeof p, "%s/%s.html", d, expects[i].name);
        ck_assert_msg((access(p, F_OK) == 0) == page, "%s: HTML page %s", expects[i].name,
                      page ? "missing" : "written for a failed clip");
        ck_assert_msg((strstr(index, href) != NULL) == page, "%s: index link %s",
                      expects[i].name, page ? "missing" : "to a page that does not exist");
        const char *slash = strrchr(expects[i].name, '/');
        ck_assert_msg(strstr(index, slash ? slash + 1 : expects[i].name) != NULL,
                      "%s not in the index", expects[i].name);
    }
    free(index);
}
END_TEST

START_TEST(test_shards)
{
    char d1[600], d2[600], d[600];
    out_dir("shard1", d1, sizeof d1);
    out_dir("shard2", d2, sizeof d2);
    out_dir("shards", d, sizeof d);
    const char *s1[] = {"--shard", "1/2", NULL}, *s2[] = {"--shard", "2/2", NULL};
    /* 6 clips: shard 1 has sorted clips 0, 2, 4 (B.MP4 ok, blank no-pose, notvideo failed),
     * shard 2 clips 1, 3, 5 (a.mp4 ok, corrupt failed, sub/c.mov ok) */
    ck_assert_int_eq(run_batch(d1, s1), 10 + 2);
    ck_assert_int_eq(run_batch(d2, s2), 10 + 1);
    /* a shard's summary is named after it, so shards into one folder do not clash */
    char p[700];
    snprintf(p, sizeof p, "%s/summary.shard-1-of-2.csv", d1);
    ck_assert_int_eq(count_lines(p), 1 + 3);
    snprintf(p, sizeof p, "%s/summary.shard-2-of-2.jsonl", d2);
    ck_assert_int_eq(count_lines(p), 3);
    snprintf(p, sizeof p, "%s/summary.csv", d1);
    ck_assert_int_ne(access(p, F_OK), 0);
    /* disjoint, and the union is the full run: copy both into one folder and rebuild the
     * summary there (every report current: nothing analysed) */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp -a '%s'/. '%s'/ && cp -an '%s'/. '%s'/", d, d1,
             d, d2, d);
    ck_assert_int_eq(system(cmd), 0);
    for (int i = 0; i < N_CLIPS; i++) {
        char a[700], b[700];
        snprintf(a, sizeof a, "%s/%s.json", d1, expects[i].name);
        snprintf(b, sizeof b, "%s/%s.json", d2, expects[i].name);
        ck_assert_msg((access(a, F_OK) == 0) != (access(b, F_OK) == 0),
                      "%s: in both shards or in none", expects[i].name);
    }
    ck_assert_int_eq(run_batch(d, NULL), 10 + N_FAILED);
    assert_same_as_ref(d);
    char log[700];
    snprintf(log, sizeof log, "%s.log", d);
    char *err = slurp(log);
    ck_assert_ptr_nonnull(strstr(err, "0 analysed now"));
    free(err);
}
END_TEST

START_TEST(test_gnu_parallel)
{
    /* moreutils has a `parallel` too, with another syntax */
    if (system("parallel --version 2>/dev/null | grep -q 'GNU parallel'") != 0) {
        printf("test_batch: SKIPPED the GNU parallel split: GNU parallel is not installed "
               "(Debian package parallel)\n");
        fflush(stdout);
        return;
    }
    char d[600], cmd[2400];
    out_dir("parallel", d, sizeof d);
    /* the recipe of docs/BATCH.md, on this machine: both shards into one folder, then the
     * summary of the whole set */
    snprintf(cmd, sizeof cmd,
             "parallel --will-cite --halt never -j2 '%s' batch '%s' --out '%s' --model lite "
             "--deterministic --jobs 1 --quiet --shard {}/2 ::: 1 2 >'%s.plog' 2>&1",
             HC_CLI_PATH, indir, d, d);
    const int rc = system(cmd);
    /* parallel exits with the number of failed jobs: both shards have failed clips */
    ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 2, "parallel exit %d", rc);
    ck_assert_int_eq(count_reports(d), N_CLIPS);
    char p[700];
    snprintf(p, sizeof p, "%s/summary.shard-1-of-2.csv", d);
    ck_assert_int_eq(count_lines(p), 1 + 3);
    snprintf(p, sizeof p, "%s/summary.shard-2-of-2.csv", d);
    ck_assert_int_eq(count_lines(p), 1 + 3);
    ck_assert_int_eq(run_batch(d, NULL), 10 + N_FAILED);
    assert_same_as_ref(d);
}
END_TEST

/* ---- usage and setup errors --------------------------------------------------------------- */

static const struct usage_case {
    const char *args[8];
    int code;
} usage_cases[] = {
    {{"batch", "IN", NULL}, 1},                                  /* no --out */
    {{"batch", "--out", "OUT", NULL}, 1},                        /* no input */
    {{"batch", "IN", "--out", "OUT", "--shard", "3/2", NULL}, 1},
    {{"batch", "IN", "--out", "OUT", "--shard", "x", NULL}, 1},
    {{"batch", "IN", "--out", "OUT", "--jobs", "-1", NULL}, 1},
    {{"batch", "MISSING", "--out", "OUT", NULL}, 2},             /* no such folder */
    {{"batch", "EMPTY", "--out", "OUT", NULL}, 2},               /* no clip in it */
};

START_TEST(test_usage)
{
    const struct usage_case *u = &usage_cases[_i];
    char empty[600], missing[600], out[600], log[700];
    out_dir("empty", empty, sizeof empty);
    out_dir("missing", missing, sizeof missing);
    out_dir("usage-out", out, sizeof out);
    mkdir(empty, 0700);
    const char *args[8];
    for (int k = 0; k < 8; k++) {
        const char *a = u->args[k];
        args[k] = !a                         ? NULL
                  : strcmp(a, "IN") == 0      ? indir
                  : strcmp(a, "OUT") == 0     ? out
                  : strcmp(a, "EMPTY") == 0   ? empty
                  : strcmp(a, "MISSING") == 0 ? missing
                                              : a;
        if (!a)
            break;
    }
    snprintf(log, sizeof log, "%s/usage%d.log", tmpdir, _i);
    ck_assert_int_eq(wait_code(spawn_cli(args, log)), u->code);
    char *err = slurp(log);
    ck_assert_msg(err && strlen(err) > 10, "no message on stderr");
    free(err);
}
END_TEST

/* ---- the folder ------------------------------------------------------------------------- */

/* 2 s of a plain grey room: nobody to find. */
static void write_blank(const char *path)
{
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = 320;
    wp.height_px = 240;
    wp.fps = 15;
    struct video_writer *w = NULL;
    if (video_writer_open(path, &wp, &w) != HC_OK) {
        fprintf(stderr, "test_batch: cannot write %s\n", path);
        exit(1);
    }
    static uint8_t rgb[320 * 240 * 3];
    memset(rgb, 128, sizeof rgb);
    for (int i = 0; i < 30; i++)
        video_writer_write_rgb(w, rgb, 320 * 3, -1.0);
    if (video_writer_close(w) != HC_OK)
        exit(1);
}

static void make_folder(void)
{
    char cmd[8192];
    /* short sets at 320x240, 15 fps: about a second of analysis each with the lite model */
    const char *synth = HC_SYNTH_PATH " --width 320 --height 240 --fps 15 --lowering-s 1.0 "
                        "--pause-s 0.2 --rising-s 0.8 --pause-top-s 0.4 --lead-in-s 0.5 "
                        "--lead-out-s 0.5";
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/sub' && %s --reps 2 --out '%s/a.mp4' && "
             "%s --reps 2 --fault bar-drift --out '%s/B.MP4' && "
             "%s --reps 3 --lift deadlift --out '%s/sub/c.mov' && "
             "head -c 3000 '%s/a.mp4' > '%s/corrupt.mp4' && "
             "echo 'not a video' > '%s/notvideo.mp4' && echo 'notes' > '%s/readme.txt'",
             indir, synth, indir, synth, indir, synth, indir, indir, indir, indir, indir);
    sh(cmd);
    char blank[600];
    snprintf(blank, sizeof blank, "%s/blank.mp4", indir);
    write_blank(blank);
    /* the clips' mtimes must be older than any report (resume compares them) */
    sleep(1);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_batch.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(indir, sizeof indir, "%s/clips", tmpdir);
    snprintf(refdir, sizeof refdir, "%s/ref", tmpdir);
    setenv("HINGECHECK_MODEL_DIR", HC_MODEL_DIR, 0);
    make_folder();
    /* the reference run (outside a test: no ck_assert here) */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' batch '%s' --out '%s' --model lite --deterministic --jobs 1 "
             "2>'%s.log'", HC_CLI_PATH, indir, refdir, refdir);
    const int rc = system(cmd);
    ref_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;

    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("batch");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_clip_rows, 0, N_CLIPS);
    tcase_add_test(tc, test_summary_shape);
    tcase_add_loop_test(tc, test_usage, 0, (int)(sizeof usage_cases / sizeof usage_cases[0]));
    tcase_add_test(tc, test_jobs2);
    tcase_add_test(tc, test_shards);
    tcase_add_test(tc, test_gnu_parallel);
    tcase_add_loop_test(tc, test_interrupted, 0, 2);
    tcase_add_test(tc, test_resume_and_force); /* last: it touches a.mp4 */
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "test_batch: could not remove %s\n", tmpdir);
    } else {
        fprintf(stderr, "test_batch: outputs kept in %s\n", tmpdir);
    }
    return failed ? 1 : 0;
}
