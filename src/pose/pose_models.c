/* pose_models.c - load the detector and one landmark model once, so that many trackers (batch
 * workers, one per thread) share them: the weights are read, checked and held in memory once
 * (about 30 MB for the heavy model), and a worker's start costs only its sessions. nn.h makes a
 * loaded model immutable; each tracker makes its own sessions from it. */
#include "pose/pose_models.h"

#include "nn/nn.h"

#include <stdlib.h>
#include <string.h>

static const char *const model_files[] = {"pose_landmark_lite.tflite",
                                          "pose_landmark_full.tflite",
                                          "pose_landmark_heavy.tflite"};

enum hc_status hc_pose_models_load(const struct hc_pose_params *p, struct hc_pose_models **out)
{
    const struct hc_pose_params def = hc_pose_default_params();
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_pose_models_load: no output pointer");
    *out = NULL;
    if (!p)
        p = &def;
    if ((unsigned)p->model > HC_POSE_MODEL_HEAVY)
        return hc_fail(HC_ERR_INVALID_ARG, "pose: invalid model (%d)", (int)p->model);
    struct hc_pose_models *m = calloc(1, sizeof *m);
    if (!m)
        return hc_fail(HC_ERR_NOMEM, "pose: out of memory");
    m->model = p->model;
    enum hc_status st;
    if ((st = hc_model_path(p->model_dir, "pose_detection.tflite", m->det_path,
                            sizeof m->det_path)) != HC_OK ||
        (st = hc_model_path(p->model_dir, model_files[p->model], m->lm_path,
                            sizeof m->lm_path)) != HC_OK ||
        (st = nn_model_load(m->det_path, &m->det)) != HC_OK ||
        (st = nn_model_load(m->lm_path, &m->lm)) != HC_OK) {
        hc_pose_models_free(m);
        return st;
    }
    *out = m;
    return HC_OK;
}

void hc_pose_models_free(struct hc_pose_models *m)
{
    if (!m)
        return;
    nn_model_free(m->det);
    nn_model_free(m->lm);
    free(m);
}
