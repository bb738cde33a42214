/*
 * core.h - status, logging and small helpers shared by every module (internal).
 *
 * Every module reports failures as: `return hc_fail(HC_ERR_IO, "%s: cannot open (%s); check the
 * path", path, strerror(errno));` which logs the message, stores it for hc_last_error() and returns
 * the status. Messages name the file and what to do about it.
 */
#ifndef HC_CORE_H
#define HC_CORE_H

#include "hingecheck.h"

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define HC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HC_PRINTF(a, b)
#endif

#define HC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Log a message at `level` through the installed sink. */
void hc_log(enum hc_log_level level, const char *fmt, ...) HC_PRINTF(2, 3);
void hc_vlog(enum hc_log_level level, const char *fmt, va_list ap);

/* Record `fmt` as this thread's last error (see hc_last_error), log it at HC_LOG_DEBUG (the caller
 * decides whether the user sees it) and return `st`. */
enum hc_status hc_fail(enum hc_status st, const char *fmt, ...) HC_PRINTF(2, 3);

/* Clear this thread's last error. */
void hc_clear_error(void);

/* Overflow-checked size arithmetic: return 0 and set *out on success, -1 on overflow. */
int hc_mul_size(size_t a, size_t b, size_t *out);
int hc_add_size(size_t a, size_t b, size_t *out);

/* Monotonic clock in seconds, for timings in benchmarks and progress. */
double hc_now_s(void);
/* CPU time the calling thread has used, in seconds (0 where the clock is missing): which stage of
 * a threaded run bounds it (bench/). */
double hc_thread_cpu_s(void);

#endif /* HC_CORE_H */
