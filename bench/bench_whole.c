/* bench_whole.c - the whole-process speed of hingecheck's commands on one clip, against the
 * clip's floor, in one run:
 *
 *     bench_whole CLIP [--runs R] [--model lite|full|heavy] [--hingecheck PATH] [--keep DIR]
 *     bench_whole --exec PROGRAM [ARGS...]   (one command's line of figures: run-bench-batch.sh)
 *
 * Blocks, run in turn R times (default 5; interleaved, so a change of load hits every block
 * alike), the load average printed before each:
 *   floor     decoding the clip alone (1 decoder thread, RGB24) and the bare landmark model
 *             (landmarks + flag + world, 1 thread, median of 50): bench_floor.h
 *   pose      hingecheck pose --model M -o /dev/null CLIP
 *   analysis  hingecheck CLIP --model M --json J                (the default analysis)
 *   outputs   hingecheck CLIP --model M --json J --html H --overlay O
 * For each command: wall time, CPU time (user + sys) and peak RSS of the process (wait4), the
 * frames it analysed (its -v line), its floor = decode + model x those frames, wall / floor, the
 * real-time factor (clip seconds / wall), and each thread's CPU time, read from
 * /proc/PID/task/TID/stat every 10 ms (so a thread's last 10 ms may be missed), largest first.
 * On a machine shared with other work the wall time measures the others' load too: the threads'
 * CPU times do not, and "cpu est" = max(busiest thread, CPU / cores) is what the run would take
 * on an idle machine if its threads overlapped perfectly. The outputs block adds the render pass's
 * own line (-v): the CPU time of its decoder, drawing and encoder threads. Medians at the end.
 * The outputs go to a temporary folder, removed at the end (--keep DIR: kept there). */
#define _GNU_SOURCE /* mkdtemp, wait4 */
#include "bench_floor.h"
#include "core/core.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 21
#define MAX_THREADS 64
#define SAMPLE_NS 10000000L /* /proc sampling period: 10 ms */

enum { B_POSE, B_ANALYSIS, B_OUTPUTS, N_BLOCKS };
static const char *const block_name[N_BLOCKS] = {"pose", "analysis", "outputs"};

struct cmd_result {
    double wall_s, cpu_s, rss_mb;
    long long n_frames;          /* frames analysed (-v line), -1 when not found */
    int n_threads;
    double thread_s[MAX_THREADS]; /* CPU time per thread, largest first */
    char render[256];            /* the render pass's -v line ("" when none) */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double median(const double *v, int n)
{
    double s[MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof *s);
    return hc_median_sort(s, (size_t)n);
}

static void print_load(const char *what, int run)
{
    char l[64] = "?";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (!fgets(l, sizeof l, f))
            snprintf(l, sizeof l, "?");
        fclose(f);
    }
    char *sp = strchr(l, ' ');
    for (int k = 0; sp && k < 2; k++)
        sp = strchr(sp + 1, ' ');
    if (sp)
        *sp = '\0'; /* the three averages */
    printf("run %d %-8s load before: %s\n", run, what, l);
}

/* Per thread of `pid`: the largest utime + stime seen (clock ticks), by thread id. */
struct threads {
    int tid[MAX_THREADS];
    long long ticks[MAX_THREADS];
    int n;
};

static void sample_threads(pid_t pid, struct threads *t)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const int tid = atoi(e->d_name);
        if (tid <= 0)
            continue;
        char path[128], buf[1024];
        snprintf(path, sizeof path, "%s/%d/stat", dir, tid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        const size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        /* after the command name in parentheses: state is field 3, utime 14, stime 15 */
        const char *p = strrchr(buf, ')');
        unsigned long long ut = 0, st = 0;
        if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
                         &st) != 2)
            continue;
        int k = 0;
        while (k < t->n && t->tid[k] != tid)
            k++;
        if (k == t->n) {
            if (t->n == MAX_THREADS)
                continue;
            t->tid[t->n] = tid;
            t->ticks[t->n++] = 0;
        }
        if ((long long)(ut + st) > t->ticks[k])
            t->ticks[k] = (long long)(ut + st);
    }
    closedir(d);
}

static int by_size_desc(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The frames analysed, from the -v summary line; -1 when none. The render pass's line into
 * render. */
static long long parse_err(const char *path, char *render, size_t n_render)
{
    long long frames = -1;
    render[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        const char *d = strstr(line, ": drawn at ");
        if (d) {
            snprintf(render, n_render, "%s", d + 2);
            render[strcspn(render, "\n")] = '\0';
            continue;
        }
        /* the summary line ("hingecheck: NAME: N frames, a pose on M" / "N frames (M with the
         * lifter)"), not an info or warning line that counts frames too */
        if (strncmp(line, "hingecheck: ", 12) != 0 || strncmp(line + 12, "info: ", 6) == 0 ||
            strncmp(line + 12, "warning: ", 9) == 0)
            continue;
        for (const char *p = strstr(line, ": "); p; p = strstr(p + 1, ": ")) {
            char *end = NULL;
            const long long v = strtoll(p + 2, &end, 10);
            if (end != p + 2 && (strncmp(end, " frames, ", 9) == 0 ||
                                 strncmp(end, " frames (", 9) == 0)) {
                frames = v;
                break;
            }
        }
    }
    fclose(f);
    return frames;
}

/* Runs argv (stdout to /dev/null, stderr to err_path) and measures it. 0, or 1 when it could not
 * run or failed. */
static int run_cmd(char *const *argv, const char *err_path, struct cmd_result *r)
{
    memset(r, 0, sizeof *r);
    fflush(stdout);
    const double t0 = now_s();
    const pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        const int out = open("/dev/null", O_WRONLY);
        const int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    struct threads th;
    memset(&th, 0, sizeof th);
    struct rusage ru;
    int wst = 0;
    for (;;) {
        sample_threads(pid, &th);
        const pid_t w = wait4(pid, &wst, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return 1;
        const struct timespec ts = {0, SAMPLE_NS};
        nanosleep(&ts, NULL);
    }
    r->wall_s = now_s() - t0;
    r->cpu_s = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
               (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    r->rss_mb = (double)ru.ru_maxrss / 1024.0;
    const double tick = 1.0 / (double)sysconf(_SC_CLK_TCK);
    r->n_threads = th.n;
    for (int k = 0; k < th.n; k++)
        r->thread_s[k] = (double)th.ticks[k] * tick;
    qsort(r->thread_s, (size_t)th.n, sizeof *r->thread_s, by_size_desc);
    r->n_frames = parse_err(err_path, r->render, sizeof r->render);
    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        fprintf(stderr, "bench_whole: %s exited with %d (%s)\n", argv[0],
                WIFEXITED(wst) ? WEXITSTATUS(wst) : -1, err_path);
        return 1;
    }
    return 0;
}

/* --exec: one command, measured and printed on one line. */
static int exec_one(char *const *argv)
{
    char err[] = "/tmp/bench_whole_err.XXXXXX";
    const int fd = mkstemp(err);
    if (fd < 0) {
        perror("bench_whole: mkstemp");
        return 1;
    }
    close(fd);
    struct cmd_result res;
    const int rc = run_cmd(argv, err, &res);
    printf("wall %.2f s, CPU %.2f s, peak RSS %.0f MB, threads' CPU s:", res.wall_s, res.cpu_s,
           res.rss_mb);
    for (int k = 0; k < res.n_threads && k < 8; k++)
        printf(" %.2f", res.thread_s[k]);
    printf("%s\n", res.n_threads > 8 ? " ..." : "");
    remove(err);
    return rc ? 2 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--exec") == 0)
        return exec_one(argv + 2);
    const char *clip = NULL, *model = "full", *keep = NULL;
    char hc[1024] = "";
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "--hingecheck") == 0 && i + 1 < argc)
            snprintf(hc, sizeof hc, "%s", argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else if (argv[i][0] != '-' && !clip)
            clip = argv[i];
        else
            runs = 0;
    }
    enum hc_pose_model m;
    if (!clip || runs < 1 || runs > MAX_RUNS || hc_pose_model_from_name(model, &m) != 0) {
        fprintf(stderr, "usage: bench_whole CLIP [--runs R (1..%d)] [--model lite|full|heavy] "
                        "[--hingecheck PATH] [--keep DIR]\n",
                MAX_RUNS);
        return 1;
    }
    if (!hc[0]) {
        /* the build's: BUILD/bench/bench_whole -> BUILD/hingecheck */
        char self[900];
        const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = '\0';
            char *s = strrchr(self, '/');
            if (s) {
                *s = '\0';
                s = strrchr(self, '/');
                if (s)
                    *s = '\0';
            }
            snprintf(hc, sizeof hc, "%s/hingecheck", self);
        }
    }
    if (access(hc, X_OK) != 0) {
        fprintf(stderr, "bench_whole: no hingecheck at '%s'; give --hingecheck PATH\n", hc);
        return 1;
    }
    char dir[512];
    if (keep) {
        snprintf(dir, sizeof dir, "%s", keep);
        mkdir(dir, 0755);
    } else {
        snprintf(dir, sizeof dir, "/tmp/bench_whole.XXXXXX");
        if (!mkdtemp(dir)) {
            perror("bench_whole: mkdtemp");
            return 1;
        }
    }
    char json[600], html[600], ov[600], err[600];
    snprintf(json, sizeof json, "%s/report.json", dir);
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(ov, sizeof ov, "%s/overlay.mp4", dir);
    snprintf(err, sizeof err, "%s/stderr.txt", dir);
    char *mm = (char *)model, *cl = (char *)clip;
    char *const cmd_pose[] = {hc, "pose", "-v", "--model", mm, "-o", "/dev/null", cl, NULL};
    char *const cmd_an[] = {hc, cl, "-v", "--model", mm, "--json", json, NULL};
    char *const cmd_out[] = {hc, cl, "-v", "--model", mm, "--json", json, "--html", html,
                             "--overlay", ov, NULL};
    char *const *cmds[N_BLOCKS] = {cmd_pose, cmd_an, cmd_out};

    hc_set_log_level(HC_LOG_ERROR);
    const long n_cores = sysconf(_SC_NPROCESSORS_ONLN);
    printf("# %s, model %s, %ld cores, %d runs; hingecheck %s\n", clip, model, n_cores, runs, hc);
    double dec_ms[MAX_RUNS], mdl_ms[MAX_RUNS], clip_s = 0.0;
    double wall[N_BLOCKS][MAX_RUNS], cpu[N_BLOCKS][MAX_RUNS], floor_s[N_BLOCKS][MAX_RUNS],
        top[N_BLOCKS][MAX_RUNS], rss[N_BLOCKS] = {0};
    long long frames[N_BLOCKS] = {0};
    int64_t n_dec = 0;
    int rc = 0;
    for (int r = 0; r < runs && !rc; r++) {
        print_load("floor", r + 1);
        double dec_s = 0.0, fps = 0.0, ms = 0.0;
        if (bench_floor_decode(clip, 0.0, &dec_s, &n_dec, &fps) != 0 ||
            bench_floor_model(m, 1, &ms) != 0 || n_dec < 1) {
            rc = 2;
            break;
        }
        clip_s = fps > 0 ? (double)n_dec / fps : 0.0;
        dec_ms[r] = dec_s * 1e3 / (double)n_dec;
        mdl_ms[r] = ms;
        printf("  decode %.2f s (%lld frames, %.2f ms/frame), model %.2f ms\n", dec_s,
               (long long)n_dec, dec_ms[r], ms);
        for (int b = 0; b < N_BLOCKS; b++) {
            print_load(block_name[b], r + 1);
            struct cmd_result res;
            if (run_cmd(cmds[b], err, &res) != 0) {
                rc = 2;
                break;
            }
            const long long nf = res.n_frames > 0 ? res.n_frames : (long long)n_dec;
            frames[b] = nf;
            wall[b][r] = res.wall_s;
            cpu[b][r] = res.cpu_s;
            floor_s[b][r] = dec_s + ms * 1e-3 * (double)nf;
            top[b][r] = res.n_threads ? res.thread_s[0] : 0.0;
            if (res.rss_mb > rss[b])
                rss[b] = res.rss_mb;
            printf("  wall %.2f s, RTF %.2f, floor %.2f s (%lld frames analysed), wall/floor "
                   "%.2f, CPU %.2f s, peak RSS %.0f MB\n  threads' CPU s:",
                   res.wall_s, clip_s / res.wall_s, floor_s[b][r], nf,
                   res.wall_s / floor_s[b][r], res.cpu_s, res.rss_mb);
            for (int k = 0; k < res.n_threads && k < 8; k++)
                printf(" %.2f", res.thread_s[k]);
            printf("%s\n", res.n_threads > 8 ? " ..." : "");
            if (res.render[0])
                printf("  render pass: %s\n", res.render);
        }
    }
    if (!rc) {
        const int n = runs;
        printf("\nmedian of %d runs: clip %.1f s, %lld frames; floor = decode %.2f ms/frame + "
               "model %.2f ms x frames analysed\n",
               n, clip_s, (long long)n_dec, median(dec_ms, n), median(mdl_ms, n));
        printf("| command | wall s | RTF | floor s | wall/floor | CPU s | busiest thread CPU s | "
               "cpu est s (RTF) | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int b = 0; b < N_BLOCKS; b++) {
            const double w = median(wall[b], n), c = median(cpu[b], n), t = median(top[b], n);
            const double est = c / (double)(n_cores > 0 ? n_cores : 1) > t
                                   ? c / (double)(n_cores > 0 ? n_cores : 1)
                                   : t;
            printf("| %s (%lld frames) | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f (%.2f) | "
                   "%.0f |\n",
                   block_name[b], frames[b], w, clip_s / w, median(floor_s[b], n),
                   median(floor_s[b], n) > 0 ? w / median(floor_s[b], n) : 0.0, c, t, est,
                   clip_s / est, rss[b]);
        }
        printf("drawn reports (outputs - analysis): %.2f s wall, %.2f s CPU\n",
               median(wall[B_OUTPUTS], n) - median(wall[B_ANALYSIS], n),
               median(cpu[B_OUTPUTS], n) - median(cpu[B_ANALYSIS], n));
    }
    if (!keep) {
        remove(json);
        remove(html);
        remove(ov);
        remove(err);
        rmdir(dir);
    }
    return rc;
}
