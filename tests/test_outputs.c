#define _DEFAULT_SOURCE /* setgroups */
/*
 * test_outputs.c - what hingecheck writes, and when, as a user runs it (a subprocess), on hc_synth
 * clips made at test time:
 * - an output that is the input (the same name, another spelling, a symbolic or hard link, or
 *   standard output appended to the clip) or another output is refused with exit 1 before any
 *   work, and the clip is left byte for byte as it was;
 * - an output folder that is missing or not writable is refused with exit 2 before any work
 *   (nothing on stdout: no analysis ran), for analyse and batch; run as the unprivileged user
 *   "nobody" when the tests run as root (root writes into read-only folders), skipped with a
 *   message when that is not possible;
 * - batch refuses report paths taken by folders (a.mp4.json/, an input folder called
 *   summary.csv or index.html) or by an input clip, before analysing anything;
 * - a model file that is there but unreadable is reported as a permission problem;
 * - SIGINT and SIGTERM during the analysis or during the drawn reports of a single clip, and
 *   SIGTERM during a batch: exit 130 / 143, what was finished written, no temporary file left,
 *   the batch's summary written with a not-run row for each clip left.
 */
#include "hc_test_util.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[256];
static char clip[512];      /* a short set: about a second of analysis with the lite model */
static char long_clip[512]; /* a longer, larger one: its drawn reports take seconds to write */

#define NOBODY_UID 65534

struct run {
    int code;   /* exit code; -1 when killed by a signal */
    char out[8192];
    char err[8192];
};

/* The file's text into buf[n] ("" when it cannot be read). */
static void slurp(const char *path, char *buf, size_t n)
{
    char *t = hc_test_slurp(path, NULL);
    snprintf(buf, n, "%s", t ? t : "");
    free(t);
}

/* How a child runs: stdout into a file (appended when `append`), as "nobody" when `nobody`. */
struct how {
    const char *stdout_path; /* NULL: DIR/out.txt */
    int append;
    int nobody;
};

/* Starts HC_CLI_PATH with args (NULL-terminated); stderr into DIR/err.txt. The child gets the
 * default action for SIGINT and SIGTERM whatever this process inherited (a background job of a
 * shell ignores SIGINT, and hingecheck keeps an ignored signal ignored). */
static pid_t start_cli(const char *const *args, const struct how *how)
{
    char out_path[512], err_path[512];
    snprintf(out_path, sizeof out_path, "%s/out.txt", tmpdir);
    snprintf(err_path, sizeof err_path, "%s/err.txt", tmpdir);
    const char *argv[40];
    int n = 0;
    argv[n++] = HC_CLI_PATH;
    for (; args[n - 1] && n < 39; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        const char *op = how && how->stdout_path ? how->stdout_path : out_path;
        const int fo = open(op, O_WRONLY | O_CREAT | (how && how->append ? O_APPEND : O_TRUNC),
                            0644);
        const int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(127);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (how && how->nobody && geteuid() == 0 &&
            (setgroups(0, NULL) != 0 || setgid(NOBODY_UID) != 0 || setuid(NOBODY_UID) != 0))
            _exit(126);
        execv(HC_CLI_PATH, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static void finish(pid_t pid, struct run *r)
{
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    r->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    char p[512];
    snprintf(p, sizeof p, "%s/out.txt", tmpdir);
    slurp(p, r->out, sizeof r->out);
    snprintf(p, sizeof p, "%s/err.txt", tmpdir);
    slurp(p, r->err, sizeof r->err);
}

static void run_cli(const char *const *args, const struct how *how, struct run *r)
{
    finish(start_cli(args, how), r);
}

/* path holds the same bytes as the reference copy ref. */
static void assert_same_bytes(const char *path, const char *ref)
{
    size_t na = 0, nb = 0;
    char *a = hc_test_slurp(path, &na), *b = hc_test_slurp(ref, &nb);
    ck_assert_msg(a && b, "cannot read %s or %s", path, ref);
    ck_assert_msg(na == nb && memcmp(a, b, na) == 0, "%s was changed (%zu bytes, was %zu)", path,
                  na, nb);
    free(a);
    free(b);
}

static void path_in(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Files in dir (recursively) whose name has ".tmp." in it: a writer's temporary file. */
static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    const struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[1024];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (strstr(e->d_name, ".tmp."))
            n++;
        else if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            n += count_tmp(p);
    }
    if (d)
        closedir(d);
    return n;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Runs args (case i of a table) and checks it was refused as a usage error: exit 1 and one
 * line on stderr holding err_has. */
static void run_refused(const char *const *args, int i, const char *err_has, struct run *res)
{
    run_cli(args, NULL, res);
    ck_assert_msg(res->code == 1, "case %d: exit %d, want 1; stderr: %s", i, res->code, res->err);
    ck_assert_msg(strstr(res->err, err_has) != NULL, "case %d: stderr lacks '%s': %s", i, err_has,
                  res->err);
    ck_assert_msg(count_lines(res->err) == 1, "case %d: not one line: %s", i, res->err);
}

/* ---- an output is the input or another output: exit 1, the input untouched -------------- */

/* Outputs named against the clip "C" (its path), its symbolic link "L", its hard link "H",
 * another output "R" (r.json in the test folder) spelt "./"-style as "R2". */
static const struct clash_case {
    const char *args[6];
    const char *err_has;
} clash_cases[] = {
    {{"--overlay", "C"}, "is the input"},
    {{"--json", "C"}, "is the input"},
    {{"--html", "C2"}, "the same file by another name"},
    {{"--csv", "L"}, "the same file by another name"},
    {{"--json", "H"}, "the same file by another name"},
    {{"--json", "R", "--csv", "R"}, "is given for two outputs"},
    {{"--json", "R", "--html", "R2"}, "are the same file"},
    {{"--json", "DIR"}, "is a folder"},
};

START_TEST(output_clash_refused)
{
    const struct clash_case *c = &clash_cases[_i];
    char work[512], in[600], ref[600], lnk[600], hard[600], in2[700], r[600], r2[700];
    snprintf(work, sizeof work, "%s/clash%d", tmpdir, _i);
    ck_assert_int_eq(mkdir(work, 0755), 0);
    snprintf(in, sizeof in, "%s/set.mp4", work);
    snprintf(ref, sizeof ref, "%s/set.ref", work);
    snprintf(lnk, sizeof lnk, "%s/link.mp4", work);
    snprintf(hard, sizeof hard, "%s/hard.mp4", work);
    snprintf(in2, sizeof in2, "%s/./set.mp4", work);
    snprintf(r, sizeof r, "%s/r.json", work);
    snprintf(r2, sizeof r2, "%s/./r.json", work);
    ck_assert_int_eq(hc_test_sh("cp '%s' '%s' && cp '%s' '%s' && ln -s set.mp4 '%s' && "
                                "ln '%s' '%s'", clip, in, clip, ref, lnk, in, hard), 0);
    const char *args[12] = {"analyse", in, "--model", "lite"};
    int n = 4;
    for (int k = 0; c->args[k]; k++) {
        const char *a = c->args[k];
        args[n++] = strcmp(a, "C") == 0    ? in
                    : strcmp(a, "C2") == 0 ? in2
                    : strcmp(a, "L") == 0  ? lnk
                    : strcmp(a, "H") == 0  ? hard
                    : strcmp(a, "R") == 0  ? r
                    : strcmp(a, "R2") == 0 ? r2
                    : strcmp(a, "DIR") == 0 ? work
                                            : a;
    }
    args[n] = NULL;
    struct run res;
    run_refused(args, _i, c->err_has, &res);
    ck_assert_msg(res.out[0] == '\0', "case %d: something was analysed: %s", _i, res.out);
    assert_same_bytes(in, ref);
    ck_assert_msg(!exists(r), "case %d: %s written", _i, r);
    ck_assert_int_eq(count_tmp(work), 0);
}
END_TEST

/* `hingecheck clip.mp4 >> clip.mp4`: the text summary would be appended to the clip. */
START_TEST(stdout_onto_the_input_refused)
{
    char in[600], ref[600];
    path_in("stdout-set.mp4", in, sizeof in);
    path_in("stdout-set.ref", ref, sizeof ref);
    ck_assert_int_eq(hc_test_sh("cp '%s' '%s' && cp '%s' '%s'", clip, in, clip, ref), 0);
    const char *args[] = {in, "--model", "lite", NULL};
    const struct how how = {in, 1, 0};
    struct run res;
    run_cli(args, &how, &res);
    ck_assert_msg(res.code == 1, "exit %d, want 1; stderr: %s", res.code, res.err);
    ck_assert_ptr_nonnull(strstr(res.err, "standard output is the input"));
    assert_same_bytes(in, ref);
}
END_TEST

/* ---- a folder that is missing or not writable: exit 2 before any work --------------------- */

START_TEST(missing_folder_refused_first)
{
    char r[600];
    path_in("no-such-folder/deeper/r.json", r, sizeof r);
    const char *args[] = {clip, "--model", "lite", "--json", r, NULL};
    struct run res;
    run_cli(args, NULL, &res);
    ck_assert_msg(res.code == 2, "exit %d, want 2; stderr: %s", res.code, res.err);
    ck_assert_ptr_nonnull(strstr(res.err, "does not exist"));
    ck_assert_ptr_nonnull(strstr(res.err, "no-such-folder/deeper"));
    ck_assert_msg(res.out[0] == '\0', "the clip was analysed first: %s", res.out);
    ck_assert_int_eq(count_lines(res.err), 1);
}
END_TEST

/* Can a child run as "nobody" here, so that a read-only folder stops it? Root ignores folder
 * modes; an ordinary user is stopped by them as is. */
static int can_be_denied(void)
{
    if (geteuid() != 0)
        return 1;
    const char *args[] = {"--version", NULL};
    const struct how how = {NULL, 0, 1};
    struct run res;
    run_cli(args, &how, &res);
    return res.code == 0;
}

START_TEST(read_only_folder_refused_first)
{
    if (!can_be_denied()) {
        printf("test_outputs: SKIPPED the read-only folder checks: running as root and cannot "
               "run hingecheck as nobody (uid %d) here\n", NOBODY_UID);
        fflush(stdout);
        return;
    }
    char ro[600], in[600], r[700];
    path_in("ro", ro, sizeof ro);
    path_in("ro-in", in, sizeof in);
    snprintf(r, sizeof r, "%s/r.json", ro);
    ck_assert_int_eq(hc_test_sh("mkdir -p '%s' '%s' && cp '%s' '%s/a.mp4' && cp '%s' '%s/b.mp4' && "
                                "chmod 0555 '%s' && chmod 0755 '%s' && chmod 0644 '%s'/*.mp4", ro,
                                in, clip, in, clip, in, ro, in, in), 0);
    const struct how how = {NULL, 0, 1};
    struct run res;
    const char *one[] = {clip, "--model", "lite", "--json", r, NULL};
    run_cli(one, &how, &res);
    ck_assert_msg(res.code == 2, "analyse: exit %d, want 2; stderr: %s", res.code, res.err);
    ck_assert_ptr_nonnull(strstr(res.err, "cannot write in the folder"));
    ck_assert_msg(res.out[0] == '\0', "the clip was analysed first: %s", res.out);
    /* batch: one line, no clip analysed, nothing written */
    const char *batch[] = {"batch", in, "--out", ro, "--model", "lite", NULL};
    run_cli(batch, &how, &res);
    ck_assert_msg(res.code == 2, "batch: exit %d, want 2; stderr: %s", res.code, res.err);
    ck_assert_ptr_nonnull(strstr(res.err, "cannot write in the folder"));
    ck_assert_msg(count_lines(res.err) == 1, "batch: more than one line: %s", res.err);
    DIR *d = opendir(ro);
    int n = 0;
    for (const struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    ck_assert_int_eq(n, 0);
}
END_TEST

/* A model file that is there but unreadable: named as a permission problem, not as missing. */
START_TEST(unreadable_model_named)
{
    if (!can_be_denied()) {
        printf("test_outputs: SKIPPED the unreadable model check: running as root and cannot "
               "run hingecheck as nobody here\n");
        fflush(stdout);
        return;
    }
    char md[600];
    path_in("models-0600", md, sizeof md);
    ck_assert_int_eq(hc_test_sh("mkdir -p '%s' && chmod 0755 '%s' && echo x > "
                                "'%s/pose_detection.tflite' && chmod 0600 "
                                "'%s/pose_detection.tflite'", md, md, md, md), 0);
    const char *args[] = {clip, "--model", "lite", "--model-dir", md, NULL};
    const struct how how = {"/dev/null", 0, 1};
    struct run res;
    run_cli(args, &how, &res);
    ck_assert_msg(res.code == 2, "exit %d, want 2; stderr: %s", res.code, res.err);
    ck_assert_msg(strstr(res.err, "permission denied") && strstr(res.err, "chmod a+r") &&
                      strstr(res.err, "pose_detection.tflite") && !strstr(res.err, "not found"),
                  "not named as a permission problem: %s", res.err);
}
END_TEST

/* ---- batch: report paths taken on disk ---------------------------------------------------- */

/* Input folder layouts (made under IN) and the --out folder's (under OUT); "=" names the out
 * folder as the input folder. */
static const struct batch_case {
    const char *in_sh;  /* shell lines run in IN (the clip is at $C) */
    const char *out_sh; /* ... in OUT */
    int html;
    int same_out;       /* --out is IN */
    const char *err_has;
} batch_cases[] = {
    {"cp \"$C\" a.mp4 && cp \"$C\" b.mp4", "mkdir a.mp4.json", 0, 0, "a.mp4.json is a folder"},
    {"cp \"$C\" a.mp4 && mkdir a.mp4.json && cp \"$C\" a.mp4.json/x.mp4", "", 0, 0,
     "needs a folder of that name"},
    {"mkdir summary.csv && cp \"$C\" summary.csv/x.mp4", "", 0, 0, "summary"},
    {"mkdir index.html && cp \"$C\" index.html/x.mp4", "", 1, 0, "index page"},
    {"cp \"$C\" a.mp4", "mkdir summary.jsonl", 0, 0, "summary.jsonl is a folder"},
    {"cp \"$C\" a.mp4 && cp \"$C\" a.mp4.json", "", 0, 1, "is an input of the batch"},
};

START_TEST(batch_collision_refused)
{
    const struct batch_case *c = &batch_cases[_i];
    char in[600], out[600], ref[700];
    snprintf(in, sizeof in, "%s/bin%d", tmpdir, _i);
    snprintf(out, sizeof out, "%s/bout%d", tmpdir, _i);
    ck_assert_int_eq(hc_test_sh("mkdir -p '%s' '%s' && cd '%s' && C='%s' && %s && cd '%s' && %s",
                                in, out, in, clip, c->in_sh, out,
                                c->out_sh[0] ? c->out_sh : "true"), 0);
    const char *o = c->same_out ? in : out;
    const char *args[16] = {"batch", in, "--out", o, "--model", "lite"};
    int n = 6;
    if (c->same_out) { /* the files named one by one: a file named directly is a clip */
        static char a[700], b[700];
        snprintf(a, sizeof a, "%s/a.mp4", in);
        snprintf(b, sizeof b, "%s/a.mp4.json", in);
        args[1] = a;
        args[n++] = b;
    }
    if (c->html)
        args[n++] = "--html";
    args[n] = NULL;
    snprintf(ref, sizeof ref, "%s/a.mp4.json", in);
    struct run res;
    run_refused(args, _i, c->err_has, &res);
    if (c->same_out) {
        assert_same_bytes(ref, clip);
    } else {
        /* nothing analysed, nothing written */
        char p[700];
        snprintf(p, sizeof p, "%s/summary.csv", out);
        struct stat sb;
        ck_assert_msg(stat(p, &sb) != 0 || S_ISDIR(sb.st_mode), "case %d: summary written", _i);
        snprintf(p, sizeof p, "%s/a.mp4.json", out);
        ck_assert_msg(stat(p, &sb) != 0 || S_ISDIR(sb.st_mode), "case %d: report written", _i);
    }
}
END_TEST

/* ---- SIGINT and SIGTERM ------------------------------------------------------------------ */

/* Waits until process pid is hingecheck (exec'd: the forked child has this test's handlers
 * until then) and catches signal sig (its handler is installed: /proc/PID/status SigCgt), so the
 * signal tests a handled stop, not the default action at start-up. */
static void wait_caught(pid_t pid, int sig)
{
    char p[64], line[256], exe[4096];
    snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
    snprintf(line, sizeof line, "/proc/%d/exe", (int)pid);
    char *want = realpath(HC_CLI_PATH, NULL);
    for (int k = 0; k < 2000 && want; k++) {
        const ssize_t n = readlink(line, exe, sizeof exe - 1);
        if (n > 0 && (exe[n] = '\0', strcmp(exe, want) == 0))
            break;
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
    free(want);
    for (int k = 0; k < 2000; k++) {
        FILE *f = fopen(p, "r");
        if (!f) { /* no /proc: give it a moment */
            sleep(1);
            return;
        }
        unsigned long long mask = 0;
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "SigCgt:", 7) == 0)
                mask = strtoull(line + 7, NULL, 16);
        fclose(f);
        if (mask & (1ull << (sig - 1)))
            return;
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
    ck_abort_msg("hingecheck never installed a handler for signal %d", sig);
}

static void wait_for_file(const char *path, pid_t pid)
{
    for (int k = 0; k < 12000 && !exists(path); k++) {
        int status;
        ck_assert_msg(waitpid(pid, &status, WNOHANG) == 0, "hingecheck ended before %s", path);
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    ck_assert_msg(exists(path), "%s never came", path);
}

/* The signal of loop test i, and a fresh folder for its reports r.json, r.html and o.mp4. */
struct sig_case {
    int sig;
    char work[600], r[700], h[700], o[700];
};

static void sig_case_make(const char *name, int i, struct sig_case *c)
{
    c->sig = i == 0 ? SIGTERM : SIGINT;
    snprintf(c->work, sizeof c->work, "%s/%s%d", tmpdir, name, i);
    ck_assert_int_eq(mkdir(c->work, 0755), 0);
    snprintf(c->r, sizeof c->r, "%s/r.json", c->work);
    snprintf(c->h, sizeof c->h, "%s/r.html", c->work);
    snprintf(c->o, sizeof c->o, "%s/o.mp4", c->work);
}

/* A stop during the analysis: exit 128 + sig, nothing written, no temporary file. */
START_TEST(signal_during_analysis)
{
    struct sig_case c;
    sig_case_make("sig-analysis", _i, &c);
    const int sig = c.sig;
    const char *r = c.r, *h = c.h, *o = c.o, *work = c.work;
    const char *args[] = {long_clip, "--model", "lite", "--json", r, "--html", h,
                          "--overlay", o, NULL};
    const pid_t pid = start_cli(args, NULL);
    wait_caught(pid, sig);
    ck_assert_int_eq(kill(pid, sig), 0);
    struct run res;
    finish(pid, &res);
    ck_assert_msg(res.code == 128 + sig, "exit %d, want %d; stderr: %s", res.code, 128 + sig,
                  res.err);
    ck_assert_ptr_nonnull(strstr(res.err, "stopped by"));
    ck_assert(!exists(r) && !exists(h) && !exists(o));
    ck_assert_int_eq(count_tmp(work), 0);
}
END_TEST

/* A stop while the drawn reports are written: the JSON report (written first) is there and
 * whole, the HTML page and the overlay are abandoned, their temporary files removed. */
START_TEST(signal_during_writing)
{
    struct sig_case c;
    sig_case_make("sig-writing", _i, &c);
    const int sig = c.sig;
    const char *r = c.r, *h = c.h, *o = c.o, *work = c.work;
    const char *args[] = {long_clip, "--model", "lite", "--no-spine-mask", "--json", r, "--html",
                          h, "--overlay", o, NULL};
    const pid_t pid = start_cli(args, NULL);
    wait_for_file(r, pid); /* the documents come first, then the pass drawing on the clip */
    ck_assert_int_eq(kill(pid, sig), 0);
    struct run res;
    finish(pid, &res);
    ck_assert_msg(res.code == 128 + sig, "exit %d, want %d; stderr: %s", res.code, 128 + sig,
                  res.err);
    ck_assert_msg(strstr(res.err, "not written") != NULL, "%s", res.err);
    size_t n = 0;
    char *json = hc_test_slurp(r, &n);
    ck_assert_msg(json && n > 100 && json[n - 2] == '}', "%s is not a whole report", r);
    free(json);
    ck_assert(!exists(h) && !exists(o));
    ck_assert_msg(count_tmp(work) == 0, "a temporary file was left in %s", work);
}
END_TEST

/* SIGTERM mid-batch (a Slurm time limit, docker stop): exit 143, the summary of the clips done
 * with a not-run row for each clip left, no temporary file; a rerun finishes the set. */
START_TEST(batch_sigterm_writes_the_summary)
{
    char in[600], out[600], p[700];
    path_in("term-in", in, sizeof in);
    path_in("term-out", out, sizeof out);
    ck_assert_int_eq(hc_test_sh("mkdir -p '%s' && for i in 1 2 3 4; do cp '%s' '%s'/c$i.mp4; done",
                                in, clip, in), 0);
    const char *args[] = {"batch", in, "--out", out, "--model", "lite", "--jobs", "1",
                          "--deterministic", NULL};
    snprintf(p, sizeof p, "%s/c1.mp4.json", out);
    const pid_t pid = start_cli(args, NULL);
    wait_for_file(p, pid);
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    struct run res;
    finish(pid, &res);
    ck_assert_msg(res.code == 143, "exit %d, want 143; stderr: %s", res.code, res.err);
    ck_assert_ptr_nonnull(strstr(res.err, "SIGTERM"));
    char csv[8192];
    snprintf(p, sizeof p, "%s/summary.csv", out);
    slurp(p, csv, sizeof csv);
    ck_assert_msg(count_lines(csv) == 1 + 4, "summary.csv: %s", csv);
    int n_done = 0, n_not_run = 0;
    for (int i = 1; i <= 4; i++) {
        snprintf(p, sizeof p, "%s/c%d.mp4.json", out, i);
        n_done += exists(p);
    }
    for (const char *s = csv; (s = strstr(s, ",not-run,")) != NULL; s++)
        n_not_run++;
    ck_assert_int_ge(n_done, 1);
    ck_assert_int_eq(n_not_run, 4 - n_done);
    ck_assert_int_eq(count_tmp(out), 0);
    /* the rerun analyses the rest: every row ok */
    run_cli(args, NULL, &res);
    ck_assert_msg(res.code == 0, "rerun: exit %d; stderr: %s", res.code, res.err);
    snprintf(p, sizeof p, "%s/summary.csv", out);
    slurp(p, csv, sizeof csv);
    ck_assert_ptr_null(strstr(csv, "not-run"));
}
END_TEST

/* ---- the clips ---------------------------------------------------------------------------- */

static void make_clips(void)
{
    if (hc_test_tmpdir(tmpdir, sizeof tmpdir, "test_outputs") != 0)
        exit(1);
    chmod(tmpdir, 0755); /* "nobody" reads the clips and the models' folder in it */
    snprintf(clip, sizeof clip, "%s/set.mp4", tmpdir);
    snprintf(long_clip, sizeof long_clip, "%s/long.mp4", tmpdir);
    if (hc_test_sh("'%s' --width 320 --height 240 --fps 15 --reps 2 --lowering-s 1.0 --pause-s 0.2 "
                   "--rising-s 0.8 --pause-top-s 0.4 --lead-in-s 0.5 --lead-out-s 0.5 --out '%s' "
                   ">/dev/null && '%s' --width 640 --height 480 --fps 30 --reps 5 --out '%s' "
                   ">/dev/null && chmod 0644 '%s' '%s'",
                   HC_SYNTH_PATH, clip, HC_SYNTH_PATH, long_clip, clip, long_clip) != 0) {
        fprintf(stderr, "test_outputs: cannot make the clips with %s\n", HC_SYNTH_PATH);
        exit(1);
    }
}

int main(void)
{
    struct stat sb;
    if (stat(HC_CLI_PATH, &sb) != 0) {
        fprintf(stderr, "test_outputs: %s not built\n", HC_CLI_PATH);
        return EXIT_FAILURE;
    }
    setenv("HINGECHECK_MODEL_DIR", HC_MODEL_DIR, 0);
    make_clips();
    Suite *s = suite_create("outputs");
    TCase *tc = tcase_create("outputs");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, output_clash_refused, 0,
                        (int)(sizeof clash_cases / sizeof clash_cases[0]));
    tcase_add_test(tc, stdout_onto_the_input_refused);
    tcase_add_test(tc, missing_folder_refused_first);
    tcase_add_test(tc, read_only_folder_refused_first);
    tcase_add_test(tc, unreadable_model_named);
    tcase_add_loop_test(tc, batch_collision_refused, 0,
                        (int)(sizeof batch_cases / sizeof batch_cases[0]));
    tcase_add_loop_test(tc, signal_during_analysis, 0, 2);
    tcase_add_loop_test(tc, signal_during_writing, 0, 2);
    tcase_add_test(tc, batch_sigterm_writes_the_summary);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed == 0) {
        if (hc_test_sh("chmod -R u+w '%s' && rm -rf '%s'", tmpdir, tmpdir) != 0)
            fprintf(stderr, "test_outputs: could not remove %s\n", tmpdir);
    } else {
        fprintf(stderr, "test_outputs: outputs kept in %s\n", tmpdir);
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
