/* paths.c - where model files are found: --model-dir, then $HINGECHECK_MODEL_DIR, then the build
 * tree, then the install prefix (brief: "The binary finds models via --model-dir, then
 * $HINGECHECK_MODEL_DIR, then the build/install location"). */
#define _POSIX_C_SOURCE 200809L
#include "core/core.h"
#include "hingecheck.h" /* defines public functions */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef HC_MODEL_DIR_BUILD
#define HC_MODEL_DIR_BUILD "models"
#endif
#ifndef HC_MODEL_DIR_INSTALL
#define HC_MODEL_DIR_INSTALL "/usr/local/share/hingecheck/models"
#endif

static int try_dir(const char *dir, const char *file, char *out, size_t n)
{
    int len = snprintf(out, n, "%s/%s", dir, file);
    return len > 0 && (size_t)len < n && access(out, R_OK) == 0;
}

enum hc_status hc_model_path(const char *model_dir, const char *file, char *out, size_t n)
{
    if (!file || !out || n == 0)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_model_path: no file or buffer given");
    out[0] = '\0';
    if (model_dir) {
        if (try_dir(model_dir, file, out, n))
            return HC_OK;
        return hc_fail(HC_ERR_MODEL,
                       "%s/%s: model not found or unreadable; fetch the models with "
                       "models/fetch-models.sh %s",
                       model_dir, file, model_dir);
    }
    const char *env = getenv("HINGECHECK_MODEL_DIR");
    if (env && env[0]) {
        if (try_dir(env, file, out, n))
            return HC_OK;
        return hc_fail(HC_ERR_MODEL,
                       "%s/%s ($HINGECHECK_MODEL_DIR): model not found or unreadable; fetch the "
                       "models with models/fetch-models.sh \"$HINGECHECK_MODEL_DIR\"",
                       env, file);
    }
    if (try_dir(HC_MODEL_DIR_BUILD, file, out, n) || try_dir(HC_MODEL_DIR_INSTALL, file, out, n))
        return HC_OK;
    out[0] = '\0';
    return hc_fail(HC_ERR_MODEL,
                   "%s: model not found in %s or %s; fetch the models with "
                   "models/fetch-models.sh (or point --model-dir / $HINGECHECK_MODEL_DIR at them)",
                   file, HC_MODEL_DIR_BUILD, HC_MODEL_DIR_INSTALL);
}
