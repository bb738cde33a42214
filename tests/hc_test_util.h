/* hc_test_util.h - what suites that run the CLI as a subprocess share: a private temporary
 * folder, a shell command line with its exit code, a whole file read back. Include it after
 * defining _POSIX_C_SOURCE 200809L (mkdtemp). */
#ifndef HC_TEST_UTIL_H
#define HC_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Makes $TMPDIR/<prefix>_XXXXXX (/tmp without TMPDIR) into buf; 0, or -1 after saying why. */
static inline int hc_test_tmpdir(char *buf, size_t n, const char *prefix)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, n, "%s/%s_XXXXXX", base && base[0] ? base : "/tmp", prefix);
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        return -1;
    }
    return 0;
}

/* Runs a shell command line; returns the exit code (-1 if it did not exit normally). */
static inline int hc_test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int hc_test_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    const int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The whole file, NUL-terminated and malloc'd (*len_out its length, may be NULL); NULL when it
 * cannot be read. */
static inline char *hc_test_slurp(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

#endif /* HC_TEST_UTIL_H */
