#define _POSIX_C_SOURCE 200809L
/*
 * cli_clip.c - what the commands that read one clip share: "-" as the clip (stdin, saved to a
 * temporary file the analysis can read more than once), the check of --start / --end against
 * the clip's length, the progress line on a terminal and the closing list of files written.
 *
 * The progress line follows batch's (cmd_batch.c): one line on stderr redrawn in place at most
 * every PROGRESS_PERIOD_S, only when stderr is a terminal and not with --quiet, so a pipe or a
 * log file never gets carriage returns. Messages logged while it is up clear it first.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Progress lines at most this often (s): enough to look alive, cheap on a slow terminal. */
#define PROGRESS_PERIOD_S 0.25

void cli_fmt_duration(double s, char *buf, size_t n)
{
    const long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

/* ---- stdin as the clip ------------------------------------------------------------------- */

int cli_stdin_to_file(const char *what, char *path, size_t n, int *fd_out)
{
    *fd_out = -1;
    if (isatty(STDIN_FILENO)) {
        fprintf(stderr, "hingecheck: '-' reads the %s from stdin, and stdin is a terminal; pipe "
                        "one in (e.g. cat set1.mp4 | hingecheck -) or give its file name\n",
                what);
        return CLI_EXIT_USAGE;
    }
    const char *dir = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/hingecheck-stdin-XXXXXX", dir && dir[0] ? dir : "/tmp");
    const int fd = mkstemp(tmpl);
    if (fd < 0) {
        fprintf(stderr, "hingecheck: error: %s: cannot make a temporary file for the %s read from "
                        "stdin (%s); set TMPDIR to a writable folder\n",
                tmpl, what, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    /* unlinked at once: the open descriptor keeps the data, and nothing is left behind when the
     * run is killed; the analysis opens it again as /dev/fd/N */
    unlink(tmpl);
    static char buf[1 << 16];
    long long total = 0;
    for (;;) {
        const ssize_t k = read(STDIN_FILENO, buf, sizeof buf);
        if (k == 0)
            break;
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 || write(fd, buf, (size_t)k) != k) {
            fprintf(stderr, "hingecheck: error: cannot copy the %s from stdin to %s (%s); check "
                            "the free space there (TMPDIR)\n",
                    what, tmpl, strerror(errno));
            close(fd);
            return CLI_EXIT_INPUT;
        }
        total += k;
    }
    if (total == 0) {
        fprintf(stderr, "hingecheck: error: stdin was empty: no %s to read; pipe one in (e.g. cat "
                        "set1.mp4 | hingecheck -)\n", what);
        close(fd);
        return CLI_EXIT_INPUT;
    }
    snprintf(path, n, "/dev/fd/%d", fd);
    *fd_out = fd;
    return 0;
}

/* ---- --start / --end against the clip ----------------------------------------------------- */

int cli_check_range(const char *path, const char *name, double start_s, double end_s)
{
    if (end_s > 0 && end_s <= start_s) {
        fprintf(stderr, "hingecheck: --end %g must come after --start %g\n", end_s, start_s);
        return CLI_EXIT_USAGE;
    }
    if (!(start_s > 0))
        return 0;
    struct hc_video_info info;
    if (hc_probe_file(path, &info) != HC_OK || !(info.duration_s > 0))
        return 0; /* the analysis reports the file's own problem */
    if (start_s >= info.duration_s) {
        fprintf(stderr, "hingecheck: --start %g is past the end of %s, which is %.2f s long; give "
                        "a time from 0 to %.2f\n",
                start_s, name, info.duration_s, info.duration_s);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* ---- the progress line -------------------------------------------------------------------- */

static int line_up; /* a progress line is on the terminal */

void cli_progress_clear(void)
{
    if (line_up) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        line_up = 0;
    }
}

void cli_progress_init(struct cli_progress *p, const char *name, int enabled)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->enabled = enabled;
    p->last_s = -1.0;
}

/* "pose 120/630 frames (19%), 28.4 fps, ETA 0:18  set1.mp4", within 80 columns */
void cli_progress_show(const struct hc_progress *pr, void *user)
{
    struct cli_progress *p = user;
    if (!p->enabled)
        return;
    const int new_stage = !p->stage || strcmp(p->stage, pr->stage) != 0;
    const int last = pr->n_total > 0 && pr->n_done >= pr->n_total;
    if (!new_stage && !last && pr->elapsed_s - p->last_s < PROGRESS_PERIOD_S)
        return;
    p->stage = pr->stage;
    p->last_s = pr->elapsed_s;
    char count[64], rate[32] = "", eta[48] = "";
    /* the speed once a second has passed: the first frames include loading the models */
    const double fps = pr->elapsed_s >= 1.0 ? (double)pr->n_done / pr->elapsed_s : 0.0;
    if (pr->n_total > 0)
        snprintf(count, sizeof count, "%lld/%lld frames (%d%%)", (long long)pr->n_done,
                 (long long)pr->n_total, (int)(100.0 * (double)pr->n_done / (double)pr->n_total));
    else
        snprintf(count, sizeof count, "%lld frames", (long long)pr->n_done);
    if (fps > 0) {
        snprintf(rate, sizeof rate, ", %.1f fps", fps);
        if (pr->n_total > pr->n_done) {
            char d[32];
            cli_fmt_duration((double)(pr->n_total - pr->n_done) / fps, d, sizeof d);
            snprintf(eta, sizeof eta, ", ETA %s", d);
        }
    }
    const char *nm = p->name ? p->name : "";
    const size_t len = strlen(nm);
    fprintf(stderr, "\r\033[K%s %s%s%s  %s%s", pr->stage, count, rate, eta, len > 30 ? "..." : "",
            len > 30 ? nm + len - 30 : nm);
    fflush(stderr);
    line_up = 1;
}

/* While the progress line is up, a message first clears it (else it would be glued to the
 * line's end); the next progress call draws the line again below it. */
void cli_progress_log_sink(enum hc_log_level level, const char *msg, void *user)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    (void)user;
    cli_progress_clear();
    fprintf(stderr, "hingecheck: %s: %s\n", names[level], msg);
}

/* ---- the files written -------------------------------------------------------------------- */

void cli_print_written(const char *const *paths, size_t n)
{
    size_t shown = 0;
    for (size_t k = 0; k < n; k++) {
        if (!paths[k] || strcmp(paths[k], "-") == 0)
            continue;
        fprintf(stderr, "%s%s", shown ? ", " : "hingecheck: wrote: ", paths[k]);
        shown++;
    }
    if (shown)
        fputc('\n', stderr);
}

FILE *cli_open_output(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "hingecheck: error: %s: cannot create the output file; check the "
                        "directory exists and is writable\n", path);
    return f;
}

int cli_close_output(FILE *f, const char *path, int rc)
{
    if (f && f != stdout && fclose(f) != 0 && rc == CLI_EXIT_OK) {
        fprintf(stderr, "hingecheck: error: %s: write failed\n", path);
        rc = CLI_EXIT_INPUT;
    }
    return rc;
}
