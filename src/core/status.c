/* status.c - status strings, exit codes and the per-thread last error. */
#include "core/core.h"
#include "hingecheck.h" /* defines public functions */

#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[1024];

const char *hc_strerror(enum hc_status st)
{
    switch (st) {
    case HC_OK: return "success";
    case HC_ERR_INVALID_ARG: return "invalid argument";
    case HC_ERR_NOMEM: return "out of memory";
    case HC_ERR_IO: return "file cannot be read or written";
    case HC_ERR_DECODE: return "media file is corrupt or truncated";
    case HC_ERR_MODEL: return "model file is missing, corrupt or unsupported";
    case HC_ERR_FORMAT: return "not a file of the expected format";
    case HC_ERR_NO_VIDEO: return "no video stream";
    case HC_ERR_TOO_LARGE: return "dimensions or size too large";
    case HC_ERR_EMPTY: return "no frames";
    case HC_ERR_NO_POSE: return "no lifter found";
    case HC_ERR_NO_REPS: return "no repetition found";
    case HC_ERR_UNSUPPORTED: return "unsupported input";
    case HC_ERR_CANCELLED: return "cancelled";
    case HC_ERR_INTERNAL: return "internal error";
    case HC_ERR_PAIR: return "the two clips are not one set's side and front views";
    }
    return "unknown status";
}

int hc_status_exit_code(enum hc_status st)
{
    switch (st) {
    case HC_OK: return 0;
    case HC_ERR_INVALID_ARG: return 1;
    case HC_ERR_NO_POSE:
    case HC_ERR_NO_REPS: return 3;
    case HC_ERR_CANCELLED: return 130;
    case HC_ERR_PAIR: return 5;
    default: return 2;
    }
}

const char *hc_last_error(void)
{
    return last_error;
}

void hc_clear_error(void)
{
    last_error[0] = '\0';
}

enum hc_status hc_fail(enum hc_status st, const char *fmt, ...)
{
    char raw[sizeof last_error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* messages quote file names and file contents: no raw control bytes reach a terminal */
    hc_escape_ctl(last_error, sizeof last_error, raw);
    hc_log(HC_LOG_DEBUG, "%s", last_error);
    return st;
}

int hc_mul_size(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > (size_t)-1 / a)
        return -1;
    *out = a * b;
    return 0;
}

int hc_add_size(size_t a, size_t b, size_t *out)
{
    if (b > (size_t)-1 - a)
        return -1;
    *out = a + b;
    return 0;
}

const char *hc_version(void)
{
    return HC_VERSION_STRING;
}
