/*
 * pose_models.h - the loaded BlazePose models (internal; public API: hc_pose_models_* in
 * hingecheck.h). A tracker either borrows a shared set (hc_pose_params.models) or loads its own.
 *
 *     struct hc_pose_models *m = NULL;
 *     if (hc_pose_models_load(&p, &m) != HC_OK) ...;   // detector + landmark model of p.model
 *     p.models = m;                                    // every tracker made from p borrows them
 *     ... trackers on any thread ...
 *     hc_pose_models_free(m);                          // after the last tracker is freed
 */
#ifndef HC_POSE_MODELS_H
#define HC_POSE_MODELS_H

#include "pose/pose.h"

struct nn_model;

struct hc_pose_models {
    enum hc_pose_model model;          /* which landmark model `lm` is */
    char det_path[1024], lm_path[1024];
    struct nn_model *det, *lm;         /* immutable once loaded (src/nn/nn.h): shareable */
};

#endif /* HC_POSE_MODELS_H */
