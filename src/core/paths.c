/* paths.c - where model files are found (--model-dir, then $HINGECHECK_MODEL_DIR, then the build
 * tree, then the install prefix), and whether output files may be written before a run starts:
 * no output over an input or over another output, every output's folder writable. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "core/core.h"
#include "hingecheck.h" /* defines public functions */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef HC_MODEL_DIR_BUILD
#define HC_MODEL_DIR_BUILD "models"
#endif
#ifndef HC_MODEL_DIR_INSTALL
#define HC_MODEL_DIR_INSTALL "/usr/local/share/hingecheck/models"
#endif

/* 1 when dir/file is readable; 0 when it is not there (or the path does not fit); -1 when it is
 * there but this user may not read it (its mode, or a folder on the way without a+x). */
static int try_dir(const char *dir, const char *file, char *out, size_t n)
{
    int len = snprintf(out, n, "%s/%s", dir, file);
    if (len <= 0 || (size_t)len >= n)
        return 0;
    if (access(out, R_OK) == 0)
        return 1;
    return errno == EACCES ? -1 : 0;
}

/* A model file that is there but unreadable is named as such: "not found" would send the user
 * fetching files that are already in place (a tarball extracted with its 0750 modes, read by
 * another user). */
static enum hc_status unreadable(const char *path)
{
    return hc_fail(HC_ERR_MODEL,
                   "cannot read model %s: permission denied; make it readable (chmod a+r %s, and "
                   "a+x on its folders)",
                   path, path);
}

enum hc_status hc_model_path(const char *model_dir, const char *file, char *out, size_t n)
{
    if (!file || !out || n == 0)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_model_path: no file or buffer given");
    out[0] = '\0';
    int r;
    if (model_dir) {
        if ((r = try_dir(model_dir, file, out, n)) > 0)
            return HC_OK;
        if (r < 0)
            return unreadable(out);
        return hc_fail(HC_ERR_MODEL,
                       "%s/%s: model not found; fetch the models with "
                       "models/fetch-models.sh %s",
                       model_dir, file, model_dir);
    }
    const char *env = getenv("HINGECHECK_MODEL_DIR");
    if (env && env[0]) {
        if ((r = try_dir(env, file, out, n)) > 0)
            return HC_OK;
        if (r < 0)
            return unreadable(out);
        return hc_fail(HC_ERR_MODEL,
                       "%s/%s ($HINGECHECK_MODEL_DIR): model not found; fetch the "
                       "models with models/fetch-models.sh \"$HINGECHECK_MODEL_DIR\"",
                       env, file);
    }
    const char *const dirs[] = {HC_MODEL_DIR_BUILD, HC_MODEL_DIR_INSTALL};
    for (size_t i = 0; i < HC_ARRAY_LEN(dirs); i++) {
        if ((r = try_dir(dirs[i], file, out, n)) > 0)
            return HC_OK;
        if (r < 0)
            return unreadable(out);
    }
    out[0] = '\0';
    return hc_fail(HC_ERR_MODEL,
                   "%s: model not found in %s or %s; fetch the models with "
                   "models/fetch-models.sh (or point --model-dir / $HINGECHECK_MODEL_DIR at them)",
                   file, HC_MODEL_DIR_BUILD, HC_MODEL_DIR_INSTALL);
}

/* ---- output paths ------------------------------------------------------------------------- */

/* What a path names, for telling whether two paths are one file: an existing file by device and
 * inode (so a symbolic or hard link to a file is that file); a file not there yet by the real
 * path of its folder plus its name (so "r.json" and "./r.json" are one output). */
struct file_key {
    int exists;
    mode_t mode;
    dev_t dev;
    ino_t ino;
    char canon[4096 + 256];
};

/* The folder part of path ("." when none) into dir[n]; returns the name part. */
static const char *split_dir(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
    return slash ? slash + 1 : path;
}

static void key_of(const char *path, struct file_key *k)
{
    struct stat sb;
    memset(k, 0, sizeof *k);
    if (strcmp(path, "-") == 0 ? fstat(STDOUT_FILENO, &sb) == 0 : stat(path, &sb) == 0) {
        k->exists = 1;
        k->mode = sb.st_mode;
        k->dev = sb.st_dev;
        k->ino = sb.st_ino;
    }
    char dir[4096];
    const char *name = split_dir(path, dir, sizeof dir);
    char *real = realpath(dir, NULL);
    snprintf(k->canon, sizeof k->canon, "%s/%s", real ? real : dir, name);
    free(real);
}

/* Two regular files (or names of files not there yet) that are one file. Devices and FIFOs
 * (/dev/null twice) are written in place and never replaced: they never clash. */
static int same_file(const struct file_key *a, const struct file_key *b)
{
    if (a->exists && b->exists)
        return S_ISREG(a->mode) && a->dev == b->dev && a->ino == b->ino;
    return !a->exists && !b->exists && strcmp(a->canon, b->canon) == 0;
}

enum hc_status hc_dir_check_writable(const char *dir, const char *what)
{
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return hc_fail(HC_ERR_IO, "%s: the folder %s does not exist; create it (mkdir -p '%s') "
                       "or choose another path", what, dir, dir);
    char probe[4096 + 64];
    if (snprintf(probe, sizeof probe, "%s/.hingecheck-probe-XXXXXX", dir) >= (int)sizeof probe)
        return hc_fail(HC_ERR_IO, "%s: path too long", what);
    const int fd = mkstemp(probe);
    if (fd < 0)
        return hc_fail(HC_ERR_IO, "%s: cannot write in the folder %s (%s); choose a writable "
                       "folder or fix its permissions", what, dir, strerror(errno));
    close(fd);
    unlink(probe);
    return HC_OK;
}

static enum hc_status check_outputs(const char *const *inputs, size_t n_in,
                                    const char *const *outputs, size_t n_out, int probe)
{
    if ((n_in && !inputs) || (n_out && !outputs))
        return hc_fail(HC_ERR_INVALID_ARG, "hc_outputs_check: no inputs or outputs");
    struct file_key *in = calloc(n_in ? n_in : 1, sizeof *in);
    struct file_key *out = calloc(n_out ? n_out : 1, sizeof *out);
    enum hc_status st = HC_OK;
    if (!in || !out) {
        st = hc_fail(HC_ERR_NOMEM, "out of memory checking the output paths");
        goto done;
    }
    for (size_t i = 0; i < n_in; i++)
        if (inputs[i])
            key_of(inputs[i], &in[i]);
    /* clashes first (a usage error), then what the file system allows (an I/O error) */
    for (size_t k = 0; k < n_out && st == HC_OK; k++) {
        const char *o = outputs[k];
        if (!o)
            continue;
        const int is_stdout = strcmp(o, "-") == 0;
        key_of(o, &out[k]);
        if (out[k].exists && S_ISDIR(out[k].mode) && !is_stdout) {
            st = hc_fail(HC_ERR_INVALID_ARG, "%s is a folder; give the output a file name (e.g. "
                         "inside it)", o);
            break;
        }
        for (size_t i = 0; i < n_in && st == HC_OK; i++) {
            if (!inputs[i] || !in[i].exists || !same_file(&in[i], &out[k]))
                continue;
            if (is_stdout)
                st = hc_fail(HC_ERR_INVALID_ARG, "standard output is the input %s; writing to "
                             "it would destroy the input: redirect it to another file",
                             inputs[i]);
            else
                st = hc_fail(HC_ERR_INVALID_ARG, "%s is the input %s%s; writing there would "
                             "destroy the input: give the output another name", o, inputs[i],
                             strcmp(o, inputs[i]) ? " (the same file by another name)" : "");
        }
        for (size_t j = 0; j < k && st == HC_OK; j++) {
            if (!outputs[j] || is_stdout || strcmp(outputs[j], "-") == 0 ||
                !same_file(&out[j], &out[k]))
                continue;
            if (strcmp(outputs[j], o) == 0)
                st = hc_fail(HC_ERR_INVALID_ARG, "%s is given for two outputs; give each its "
                             "own file", o);
            else
                st = hc_fail(HC_ERR_INVALID_ARG, "%s and %s are the same file; give each output "
                             "its own file", outputs[j], o);
        }
    }
    for (size_t k = 0; probe && k < n_out && st == HC_OK; k++) {
        if (!outputs[k] || strcmp(outputs[k], "-") == 0 ||
            (out[k].exists && !S_ISREG(out[k].mode)))
            continue; /* a device or FIFO is written in place */
        char dir[4096];
        split_dir(outputs[k], dir, sizeof dir);
        st = hc_dir_check_writable(dir, outputs[k]);
    }
done:
    free(in);
    free(out);
    return st;
}

enum hc_status hc_outputs_check(const char *const *inputs, size_t n_in,
                                const char *const *outputs, size_t n_out)
{
    return check_outputs(inputs, n_in, outputs, n_out, 1);
}

enum hc_status hc_outputs_clash(const char *const *inputs, size_t n_in,
                                const char *const *outputs, size_t n_out)
{
    return check_outputs(inputs, n_in, outputs, n_out, 0);
}

int hc_path_href(const char *from, const char *to, char *buf, size_t n)
{
    char fd[4096], td[4096], *fr = NULL, *tr = NULL;
    split_dir(from, fd, sizeof fd);
    const char *name = split_dir(to, td, sizeof td);
    int ok = 0;
    if (!*name || !(fr = realpath(fd, NULL)) || !(tr = realpath(td, NULL)))
        goto done;
    /* the common leading folders, whole components only: c is at a '/' or the end of both */
    size_t k = 0;
    while (fr[k] && fr[k] == tr[k])
        k++;
    size_t c = k;
    if (!((fr[k] == '\0' || fr[k] == '/') && (tr[k] == '\0' || tr[k] == '/')))
        while (c > 0 && fr[c] != '/')
            c--;
    char rel[8192];
    size_t o = 0;
    /* one ".." per folder of from's below the common part, then to's folders below it */
    for (const char *p = fr + c; *p && o + 4 < sizeof rel; p++)
        if (*p != '/' && (p == fr + c || p[-1] == '/'))
            o += (size_t)snprintf(rel + o, sizeof rel - o, "../");
    const char *rest = tr + c;
    while (*rest == '/')
        rest++;
    if (*rest && o + strlen(rest) + 2 < sizeof rel)
        o += (size_t)snprintf(rel + o, sizeof rel - o, "%s/", rest);
    if (o + strlen(name) + 1 > sizeof rel)
        goto done;
    snprintf(rel + o, sizeof rel - o, "%s", name);
    ok = hc_url_encode(buf, n, rel) < n;
done:
    free(fr);
    free(tr);
    if (!ok && n)
        buf[0] = '\0';
    return ok;
}
