/* replace.c - atomic replace of an output file: write under a temporary name beside it, then
 * rename over it, so a reader or a killed run never sees half a file. The temporary file sits
 * in the target's folder so the rename never crosses file systems. */
#define _POSIX_C_SOURCE 200809L
#include "core/core.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum hc_status hc_replace_temp_path(const char *path, int keep_ext, char *tmp, size_t n)
{
    if (!path || !tmp || n == 0)
        return hc_fail(HC_ERR_INVALID_ARG, "temporary file: no path");
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    const char *ext = keep_ext && dot && (!slash || dot > slash) ? dot : "";
    const int len = snprintf(tmp, n, "%.*s.tmp.%ld%s", (int)(strlen(path) - strlen(ext)), path,
                             (long)getpid(), ext);
    if (len < 0 || (size_t)len >= n) {
        tmp[0] = '\0';
        return hc_fail(HC_ERR_INVALID_ARG, "%s: path too long", path);
    }
    return HC_OK;
}

enum hc_status hc_replace_open(const char *path, char *tmp, size_t n, FILE **out)
{
    *out = NULL;
    enum hc_status st = hc_replace_temp_path(path, 0, tmp, n);
    if (st != HC_OK)
        return st;
    *out = fopen(tmp, "wb");
    if (!*out)
        return hc_fail(HC_ERR_IO, "%s: cannot create (%s); check the folder exists and is writable",
                       path, strerror(errno));
    return HC_OK;
}

enum hc_status hc_replace_finish(const char *tmp, const char *path, enum hc_status st)
{
    if (st == HC_OK && rename(tmp, path) != 0)
        st = hc_fail(HC_ERR_IO, "%s: cannot move into place (%s)", path, strerror(errno));
    if (st != HC_OK)
        remove(tmp);
    return st;
}

enum hc_status hc_replace_close(FILE *f, const char *tmp, const char *path, enum hc_status st)
{
    if (f && fclose(f) != 0 && st == HC_OK)
        st = hc_fail(HC_ERR_IO, "%s: cannot write (%s); check free disk space", path,
                     strerror(errno));
    return hc_replace_finish(tmp, path, st);
}

enum hc_status hc_write_output(const char *path, int stdout_ok,
                               enum hc_status (*write)(FILE *f, void *user), void *user)
{
    if (stdout_ok && strcmp(path, "-") == 0) {
        enum hc_status st = write(stdout, user);
        if (st == HC_OK && fflush(stdout) != 0)
            st = hc_fail(HC_ERR_IO, "cannot write to standard output (%s)", strerror(errno));
        return st;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return hc_fail(HC_ERR_IO, "%s: cannot open for writing (%s)", path, strerror(errno));
        enum hc_status st = write(f, user);
        if (fclose(f) != 0 && st == HC_OK)
            st = hc_fail(HC_ERR_IO, "%s: cannot write (%s)", path, strerror(errno));
        return st;
    }
    char tmp[HC_TEMP_PATH_MAX];
    FILE *f;
    enum hc_status st = hc_replace_open(path, tmp, sizeof tmp, &f);
    if (st != HC_OK)
        return st;
    st = write(f, user);
    return hc_replace_close(f, tmp, path, st);
}
