/* log.c - the log sink. The library never prints on its own; the CLI installs a sink. */
#define _POSIX_C_SOURCE 200809L
#include "core/core.h"
#include "hingecheck.h" /* defines public functions */

#include <stdio.h>
#include <time.h>

static void default_sink(enum hc_log_level level, const char *msg, void *user)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    (void)user;
    fprintf(stderr, "hingecheck: %s: %s\n", names[level], msg);
}

static hc_log_sink_fn sink = default_sink;
static void *sink_user;
static enum hc_log_level max_level = HC_LOG_WARN;

void hc_set_log_sink(hc_log_sink_fn fn, void *user)
{
    sink = fn ? fn : default_sink;
    sink_user = user;
}

void hc_set_log_level(enum hc_log_level level)
{
    max_level = level;
}

void hc_vlog(enum hc_log_level level, const char *fmt, va_list ap)
{
    char raw[1024], buf[1024];
    if (level > max_level)
        return;
    vsnprintf(raw, sizeof raw, fmt, ap);
    /* file names and file-derived text escaped: no raw control bytes reach a terminal */
    hc_escape_ctl(buf, sizeof buf, raw);
    sink(level, buf, sink_user);
}

void hc_log(enum hc_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hc_vlog(level, fmt, ap);
    va_end(ap);
}

double hc_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double hc_thread_cpu_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
