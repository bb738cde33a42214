/* pose_tracker.c - one lifter through a clip, frame by frame, the way MediaPipe's
 * pose_landmark_cpu.pbtxt does it: detect only when there is no ROI from the previous frame's
 * landmarks; take the landmark ROI from the (always smoothed) auxiliary landmarks; drop the pose
 * and detect again when the pose-presence score falls below threshold.
 *
 * Where we differ from MediaPipe, on purpose:
 * - MediaPipe takes the detector's best-scoring person. In a gym that may be someone in the
 *   background, so the first lifter is the largest and most central detection, and later
 *   re-detections prefer the person nearest to where the lifter was last seen.
 * - The segmentation head (about 5 ms of the 14 ms of the full model on these machines,
 *   ../shared/PERF-NOTES.md) runs only on frames that ask for a mask: two sessions of the same
 *   model, one pruned of that output. The mask is not smoothed over time. */
#include "pose/pose_tracker.h"

#include "pose/pose_models.h"

#include "cv/cv.h"
#include "nn/nn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pose_detection_cpu.pbtxt NonMaxSuppressionCalculator min_suppression_threshold. */
#define DET_NMS_IOU 0.3f
/* tensors_to_pose_landmarks_and_segmentation.pbtxt RefineLandmarksFromHeatmapCalculator
 * kernel_size, and min_confidence_to_refine's proto default. */
#define HEATMAP_KERNEL 7
#define HEATMAP_MIN_CONFIDENCE 0.5f

enum { LM_OUT_LANDMARKS, LM_OUT_FLAG, LM_OUT_SEGMENTATION, LM_OUT_HEATMAP, LM_OUT_WORLD, LM_N_OUT };

/* Output sizes of pose_landmark_{lite,full,heavy}.tflite, in the order of
 * tensors_to_pose_landmarks_and_segmentation.pbtxt: 39 x 5 landmarks, the pose flag, the
 * 256 x 256 segmentation logits, the 64 x 64 x 39 heatmap, 39 x 3 world landmarks. The outputs
 * are found by size, not by name or position, which the three models do not share. */
static const size_t lm_out_elems[LM_N_OUT] = {
    POSE_LM_N_ALL * 5, 1, POSE_LM_SEG_PX * POSE_LM_SEG_PX,
    POSE_LM_HEATMAP_PX * POSE_LM_HEATMAP_PX * POSE_LM_N_ALL, POSE_LM_N_ALL * 3};

static const char *const model_names[] = {"lite", "full", "heavy"};

/* One frame's work: what it starts from (the tracker's state after the frame before) and what
 * the models found on it, before it is applied to the tracker's state (job_end). */
struct pose_job {
    const uint8_t *rgb;
    int width_px, height_px, stride;
    double t_s;
    int64_t index;
    int want_mask;
    int have_roi;
    struct pose_rect roi; /* landmark ROI (tracked, or detected by worker_run) */
    int locked;
    float lifter_x, lifter_y, lifter_size_px;
    int found;            /* a pose: lm and world hold it, unsmoothed */
    struct pose_lm lm[POSE_LM_N_ALL];
    float world[POSE_LM_N_POSE][3];
    const float *mask;      /* the worker's buffer (want_mask and a pose) */
    const float *mask_lazy; /* POSE_MASK_LAZY: the worker's mask tensor, not warped */
    double mask_inv[6];     /* ... and the map of frame pixels into it (cv_warp_float's m) */
};

/* The sessions and scratch buffers one frame's models need (worker_run). */
struct pose_worker {
    int n_threads;
    struct nn_session *det_sess;
    struct nn_session *lm_sess;      /* landmarks, flag, heatmap, world */
    struct nn_session *lm_sess_mask; /* the same plus segmentation; created on first use */
    struct pose_detection *cand;        /* POSE_DET_N_ANCHORS decoded candidates */
    struct pose_detection dets[POSE_DET_MAX];
    float *det_in, *det_boxes, *det_scores;
    float *lm_in, *lm_raw, *lm_flag, *lm_seg, *lm_heatmap, *lm_world;
    float *mask;
    size_t mask_cap;
    struct pose_timing timing;          /* detect, warp, landmark, the worker's share of post */
};

struct hc_pose_tracker {
    struct hc_pose_params p;
    char det_path[1024], lm_path[1024];
    struct nn_model *det_model, *lm_model; /* borrowed from models */
    struct hc_pose_models *own_models;       /* loaded here when hc_pose_params.models is NULL */
    int det_out[2];                  /* model output index of boxes, scores */
    int lm_out[LM_N_OUT];
    struct pose_anchor anchors[POSE_DET_N_ANCHORS];
    struct pose_worker *wk;
    /* The state carried from frame to frame, changed only by job_end. */
    struct pose_smoother smoother;
    int have_roi;
    struct pose_rect roi;
    /* the lifter: where it was last seen (frame-normalized hip centre, ROI side in pixels) */
    int locked;
    float lifter_x, lifter_y, lifter_size_px;
    /* the last frame's mask (the worker's buffer) */
    const float *mask;
    int mask_w, mask_h;
    /* ... or its unwarped tensor (POSE_MASK_LAZY) and map */
    const float *mask_lazy;
    double mask_inv[6];
    double end_s;                    /* post_s spent in job_end */
    int64_t n_frames;
};

struct hc_pose_params hc_pose_default_params(void)
{
    struct hc_pose_params p;
    memset(&p, 0, sizeof p);
    p.model = HC_POSE_MODEL_FULL;
    p.n_threads = 1;
    p.smooth = 1;
    p.min_detection_score = 0.5f; /* @mediapipe/pose minDetectionConfidence default */
    p.min_presence_score = 0.5f;  /* minTrackingConfidence default (ThresholdingCalculator) */
    return p;
}

int hc_pose_model_from_name(const char *name, enum hc_pose_model *out)
{
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, model_names[i]) == 0) {
            *out = (enum hc_pose_model)i;
            return 0;
        }
    return -1;
}

const char *hc_pose_model_name(enum hc_pose_model m)
{
    return (unsigned)m < 3 ? model_names[m] : "unknown";
}

static float *alloc_floats(size_t n)
{
    return malloc(n * sizeof(float));
}

/* Finds each wanted output by its element count. */
static enum hc_status find_outputs(const struct nn_model *m, const char *path, const size_t *elems,
                                   int n, int *idx)
{
    for (int j = 0; j < n; j++) {
        idx[j] = -1;
        for (int i = 0; i < nn_model_n_outputs(m); i++)
            if (nn_model_output(m, i)->n_elems == elems[j])
                idx[j] = i;
        if (idx[j] < 0)
            return hc_fail(HC_ERR_MODEL, "%s: not a BlazePose model (no output of %zu values); "
                           "fetch the models again with models/fetch-models.sh", path, elems[j]);
    }
    return HC_OK;
}

static enum hc_status check_input(const struct nn_model *m, const char *path, int px)
{
    const struct nn_tensor_desc *in = nn_model_n_inputs(m) == 1 ? nn_model_input(m, 0) : NULL;
    if (!in || in->n_elems != (size_t)px * px * 3)
        return hc_fail(HC_ERR_MODEL, "%s: expected one %dx%dx3 input; fetch the models again "
                       "with models/fetch-models.sh", path, px, px);
    return HC_OK;
}

static void worker_free(struct pose_worker *wk)
{
    if (!wk)
        return;
    nn_session_free(wk->det_sess);
    nn_session_free(wk->lm_sess);
    nn_session_free(wk->lm_sess_mask);
    free(wk->cand);
    free(wk->det_in);
    free(wk->det_boxes);
    free(wk->det_scores);
    free(wk->lm_in);
    free(wk->lm_raw);
    free(wk->lm_flag);
    free(wk->lm_seg);
    free(wk->lm_heatmap);
    free(wk->lm_world);
    free(wk->mask);
    free(wk);
}

static void lm_outputs(const struct hc_pose_tracker *t, int with_mask, int sel[5])
{
    sel[0] = t->lm_out[LM_OUT_LANDMARKS];
    sel[1] = t->lm_out[LM_OUT_FLAG];
    sel[2] = t->lm_out[LM_OUT_HEATMAP];
    sel[3] = t->lm_out[LM_OUT_WORLD];
    sel[4] = with_mask ? t->lm_out[LM_OUT_SEGMENTATION] : -1;
}

static enum hc_status worker_create(const struct hc_pose_tracker *t, int n_threads,
                                    struct pose_worker **out)
{
    *out = NULL;
    struct pose_worker *wk = calloc(1, sizeof *wk);
    if (!wk)
        return hc_fail(HC_ERR_NOMEM, "pose: out of memory");
    wk->n_threads = n_threads;
    int sel[5];
    lm_outputs(t, 0, sel);
    enum hc_status st;
    if ((st = nn_session_create(t->det_model, n_threads, t->det_out, 2, &wk->det_sess)) !=
            HC_OK ||
        (st = nn_session_create(t->lm_model, n_threads, sel, 4, &wk->lm_sess)) != HC_OK)
        goto fail;
    wk->cand = malloc(POSE_DET_N_ANCHORS * sizeof *wk->cand);
    wk->det_in = alloc_floats((size_t)POSE_DET_INPUT_PX * POSE_DET_INPUT_PX * 3);
    wk->det_boxes = alloc_floats((size_t)POSE_DET_N_ANCHORS * POSE_DET_N_COORDS);
    wk->det_scores = alloc_floats(POSE_DET_N_ANCHORS);
    wk->lm_in = alloc_floats((size_t)POSE_LM_INPUT_PX * POSE_LM_INPUT_PX * 3);
    wk->lm_raw = alloc_floats(lm_out_elems[LM_OUT_LANDMARKS]);
    wk->lm_flag = alloc_floats(lm_out_elems[LM_OUT_FLAG]);
    wk->lm_seg = alloc_floats(lm_out_elems[LM_OUT_SEGMENTATION]);
    wk->lm_heatmap = alloc_floats(lm_out_elems[LM_OUT_HEATMAP]);
    wk->lm_world = alloc_floats(lm_out_elems[LM_OUT_WORLD]);
    if (!wk->cand || !wk->det_in || !wk->det_boxes || !wk->det_scores || !wk->lm_in ||
        !wk->lm_raw || !wk->lm_flag || !wk->lm_seg || !wk->lm_heatmap || !wk->lm_world) {
        st = hc_fail(HC_ERR_NOMEM, "pose: out of memory");
        goto fail;
    }
    *out = wk;
    return HC_OK;
fail:
    worker_free(wk);
    return st;
}

enum hc_status hc_pose_tracker_create(const struct hc_pose_params *p, struct hc_pose_tracker **out)
{
    *out = NULL;
    const struct hc_pose_params def = hc_pose_default_params();
    if (!p)
        p = &def;
    if ((unsigned)p->model > HC_POSE_MODEL_HEAVY || p->n_threads < 1 || p->n_threads > 64)
        return hc_fail(HC_ERR_INVALID_ARG, "pose: invalid model (%d) or thread count (%d)",
                       (int)p->model, p->n_threads);
    struct hc_pose_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return hc_fail(HC_ERR_NOMEM, "pose: out of memory");
    t->p = *p;
    t->p.model_dir = NULL; /* not kept: the caller's string may not outlive us */
    enum hc_status st;
    const struct hc_pose_models *models = p->models;
    if (models && models->model != p->model) {
        st = hc_fail(HC_ERR_INVALID_ARG, "pose: the shared models are %s, the tracker wants %s",
                     hc_pose_model_name(models->model), hc_pose_model_name(p->model));
        goto fail;
    }
    if (!models) {
        if ((st = hc_pose_models_load(p, &t->own_models)) != HC_OK)
            goto fail;
        models = t->own_models;
    }
    snprintf(t->det_path, sizeof t->det_path, "%s", models->det_path);
    snprintf(t->lm_path, sizeof t->lm_path, "%s", models->lm_path);
    t->det_model = models->det;
    t->lm_model = models->lm;
    if ((st = check_input(t->det_model, t->det_path, POSE_DET_INPUT_PX)) != HC_OK ||
        (st = check_input(t->lm_model, t->lm_path, POSE_LM_INPUT_PX)) != HC_OK)
        goto fail;
    const size_t det_elems[2] = {(size_t)POSE_DET_N_ANCHORS * POSE_DET_N_COORDS,
                                 POSE_DET_N_ANCHORS};
    if ((st = find_outputs(t->det_model, t->det_path, det_elems, 2, t->det_out)) != HC_OK ||
        (st = find_outputs(t->lm_model, t->lm_path, lm_out_elems, LM_N_OUT, t->lm_out)) != HC_OK)
        goto fail;
    pose_ssd_anchors(t->anchors, POSE_DET_N_ANCHORS);
    if ((st = worker_create(t, p->n_threads, &t->wk)) != HC_OK)
        goto fail;
    pose_smoother_init(&t->smoother, p->smooth);
    *out = t;
    return HC_OK;
fail:
    hc_pose_tracker_free(t);
    return st;
}

void hc_pose_tracker_free(struct hc_pose_tracker *t)
{
    if (!t)
        return;
    worker_free(t->wk);
    hc_pose_models_free(t->own_models); /* shared models stay with their owner */
    free(t);
}

/* Lifter choice among this frame's detections (already in frame-normalized coordinates), from
 * where the job says the lifter was. */
static int choose_lifter(const struct pose_job *j, const struct pose_detection *dets, int n,
                         int img_w, int img_h)
{
    int best = -1;
    double best_v = 0.0;
    const double diag = sqrt((double)img_w * img_w + (double)img_h * img_h);
    for (int i = 0; i < n; i++) {
        struct pose_rect r;
        pose_rect_from_detection(&dets[i], img_w, img_h, &r);
        const double side = (double)r.width * img_w;
        const double dx = ((double)r.x_center - 0.5) * img_w;
        const double dy = ((double)r.y_center - 0.5) * img_h;
        double v;
        if (!j->locked) {
            /* Largest and most central: ROI side times closeness to the frame centre (1 at the
             * centre, 0.5 in a corner). */
            v = side * (1.0 - sqrt(dx * dx + dy * dy) / diag);
        } else {
            /* Nearest to where the lifter was, in units of the lifter's size; size similarity
             * breaks ties between people at the same spot in depth. */
            const double lx = ((double)r.x_center - j->lifter_x) * img_w;
            const double ly = ((double)r.y_center - j->lifter_y) * img_h;
            const double dist = sqrt(lx * lx + ly * ly) / (j->lifter_size_px + 1.0);
            const double size_ratio = side > j->lifter_size_px ? j->lifter_size_px / side
                                                               : side / (j->lifter_size_px + 1.0);
            v = size_ratio / (1.0 + dist);
        }
        if (best < 0 || v > best_v) {
            best = i;
            best_v = v;
        }
    }
    return best;
}

/* Detects the lifter in the job's frame; *found: j->roi holds its landmark ROI. */
static enum hc_status detect(const struct hc_pose_tracker *t, struct pose_worker *wk,
                             struct pose_job *j, int *found)
{
    double t0 = hc_now_s();
    const int w = j->width_px, h = j->height_px;
    struct pose_rect roi;
    struct pose_padding pad;
    double m[6];
    *found = 0;
    pose_letterbox_roi(w, h, POSE_DET_INPUT_PX, POSE_DET_INPUT_PX, &roi, &pad);
    pose_rect_to_affine(&roi, w, h, POSE_DET_INPUT_PX, POSE_DET_INPUT_PX, m);
    /* pose_detection_cpu.pbtxt: BORDER_ZERO, output_tensor_float_range [-1, 1]. */
    enum hc_status st = cv_warp_rgb_to_float(j->rgb, w, h, j->stride, m, wk->det_in,
                                             POSE_DET_INPUT_PX, POSE_DET_INPUT_PX, CV_BORDER_ZERO,
                                             2.0f / 255.0f, -1.0f);
    if (st != HC_OK)
        return st;
    const float *in[1] = {wk->det_in};
    float *outs[2] = {wk->det_boxes, wk->det_scores};
    if ((st = nn_session_run(wk->det_sess, in, outs)) != HC_OK)
        return st;
    const int n_cand = pose_decode_detections(wk->det_boxes, wk->det_scores, t->anchors,
                                              POSE_DET_N_ANCHORS, t->p.min_detection_score,
                                              wk->cand, POSE_DET_N_ANCHORS);
    const int n = pose_weighted_nms(wk->cand, n_cand, DET_NMS_IOU, wk->dets, POSE_DET_MAX);
    for (int i = 0; i < n; i++)
        pose_detection_remove_letterbox(&wk->dets[i], &pad);
    const int pick = choose_lifter(j, wk->dets, n, w, h);
    if (pick >= 0) {
        pose_rect_from_detection(&wk->dets[pick], w, h, &j->roi);
        /* AlignmentPointsRects on a degenerate detection gives a zero-size ROI: nothing. */
        if (j->roi.width > 0.0f && j->roi.height > 0.0f)
            *found = 1;
    }
    wk->timing.detect_s += hc_now_s() - t0;
    wk->timing.n_detect++;
    return HC_OK;
}

static enum hc_status ensure_mask_session(const struct hc_pose_tracker *t, struct pose_worker *wk)
{
    if (wk->lm_sess_mask)
        return HC_OK;
    int sel[5];
    lm_outputs(t, 1, sel);
    return nn_session_create(t->lm_model, wk->n_threads, sel, 5, &wk->lm_sess_mask);
}

static enum hc_status make_mask(struct pose_worker *wk, struct pose_job *j, const double m[6])
{
    const int w = j->width_px, h = j->height_px;
    /* TensorsToSegmentationCalculator (activation SIGMOID) then the inverse warp of the ROI into
     * the frame with BORDER_ZERO (pose_landmarks_and_segmentation_inverse_projection). */
    const size_t n_seg = lm_out_elems[LM_OUT_SEGMENTATION];
    for (size_t i = 0; i < n_seg; i++)
        wk->lm_seg[i] = 1.0f / (1.0f + expf(-wk->lm_seg[i]));
    /* m maps the 256 x 256 landmark tensor to the frame; the mask tensor has the same size. */
    double inv[6];
    if (cv_affine_invert(m, inv) != 0)
        return HC_OK;
    if (j->want_mask == POSE_MASK_LAZY) {
        j->mask_lazy = wk->lm_seg;
        memcpy(j->mask_inv, inv, sizeof inv);
        return HC_OK;
    }
    size_t need;
    if (hc_mul_size((size_t)w, (size_t)h, &need))
        return hc_fail(HC_ERR_TOO_LARGE, "pose: frame too large for a mask");
    if (need > wk->mask_cap) {
        float *nm = realloc(wk->mask, need * sizeof *nm);
        if (!nm)
            return hc_fail(HC_ERR_NOMEM, "pose: out of memory for a %dx%d mask", w, h);
        wk->mask = nm;
        wk->mask_cap = need;
    }
    enum hc_status st = cv_warp_float(wk->lm_seg, POSE_LM_SEG_PX, POSE_LM_SEG_PX, inv, wk->mask, w,
                                      h, CV_BORDER_ZERO);
    if (st != HC_OK)
        return st;
    j->mask = wk->mask;
    return HC_OK;
}

/* The models of one frame: detection when the job has no ROI, the landmark model, and what
 * depends on this frame alone (decoding, heatmap refinement, projection into the frame, mask). */
static enum hc_status worker_run(const struct hc_pose_tracker *t, struct pose_worker *wk,
                                 struct pose_job *j)
{
    const int w = j->width_px, h = j->height_px;
    enum hc_status st;
    if (!j->have_roi) {
        int found;
        if ((st = detect(t, wk, j, &found)) != HC_OK || !found)
            return st;
    }
    /* The landmark ROI, padded to the tensor's aspect (square already: no padding). */
    double t0 = hc_now_s();
    struct pose_rect padded = j->roi;
    struct pose_padding pad;
    double m[6];
    pose_pad_roi(w, h, POSE_LM_INPUT_PX, POSE_LM_INPUT_PX, &padded, &pad);
    pose_rect_to_affine(&padded, w, h, POSE_LM_INPUT_PX, POSE_LM_INPUT_PX, m);
    /* pose_landmark_by_roi_cpu.pbtxt: range [0, 1], border mode unspecified = REPLICATE. */
    if ((st = cv_warp_rgb_to_float(j->rgb, w, h, j->stride, m, wk->lm_in, POSE_LM_INPUT_PX,
                                   POSE_LM_INPUT_PX, CV_BORDER_REPLICATE, 1.0f / 255.0f, 0.0f)) !=
        HC_OK)
        return st;
    double t1 = hc_now_s();
    wk->timing.warp_s += t1 - t0;
    const float *in[1] = {wk->lm_in};
    float *outs[5] = {wk->lm_raw, wk->lm_flag, wk->lm_heatmap, wk->lm_world, wk->lm_seg};
    if (j->want_mask) {
        if ((st = ensure_mask_session(t, wk)) != HC_OK ||
            (st = nn_session_run(wk->lm_sess_mask, in, outs)) != HC_OK)
            return st;
    } else if ((st = nn_session_run(wk->lm_sess, in, outs)) != HC_OK) {
        return st;
    }
    double t2 = hc_now_s();
    wk->timing.landmark_s += t2 - t1;
    wk->timing.n_landmark++;
    /* ThresholdingCalculator on the raw pose flag (TensorsToFloatsCalculator applies no
     * activation). */
    if (wk->lm_flag[0] >= t->p.min_presence_score) {
        j->found = 1;
        pose_decode_landmarks(wk->lm_raw, POSE_LM_N_ALL, POSE_LM_INPUT_PX, POSE_LM_INPUT_PX,
                              j->lm);
        pose_refine_landmarks_from_heatmap(j->lm, POSE_LM_N_ALL, wk->lm_heatmap,
                                           POSE_LM_HEATMAP_PX, POSE_LM_HEATMAP_PX, HEATMAP_KERNEL,
                                           HEATMAP_MIN_CONFIDENCE);
        pose_project_landmarks(&j->roi, &pad, j->lm, POSE_LM_N_POSE + POSE_LM_N_AUX);
        pose_project_world(&j->roi, wk->lm_world, POSE_LM_N_POSE, j->world);
        if (j->want_mask)
            st = make_mask(wk, j, m);
    }
    wk->timing.post_s += hc_now_s() - t2;
    return st;
}

/* The frame's job, from the state the frame before left: the ROI to track (or none: detect)
 * and where the lifter was. */
static void job_begin(const struct hc_pose_tracker *t, const uint8_t *rgb, int width_px,
                      int height_px, int stride, double t_s, int64_t index, int want_mask,
                      struct pose_job *j)
{
    memset(j, 0, sizeof *j);
    j->rgb = rgb;
    j->width_px = width_px;
    j->height_px = height_px;
    j->stride = stride;
    j->t_s = t_s;
    j->index = index;
    j->want_mask = want_mask;
    j->have_roi = t->have_roi;
    j->roi = t->roi;
    j->locked = t->locked;
    j->lifter_x = t->lifter_x;
    j->lifter_y = t->lifter_y;
    j->lifter_size_px = t->lifter_size_px;
}

/* Applies the job's result to the tracker's state (smoothing, next ROI, the lifter) and fills
 * *out. */
static void job_end(struct hc_pose_tracker *t, struct pose_job *j, struct hc_pose_frame *out)
{
    memset(out, 0, sizeof *out);
    out->index = j->index;
    out->t_s = j->t_s;
    if (!j->found) {
        /* no lifter detected, or the landmark model says the pose is gone: detect again */
        t->have_roi = 0;
        pose_smoother_reset(&t->smoother);
        return;
    }
    const double t0 = hc_now_s();
    const int w = j->width_px, h = j->height_px;
    struct pose_lm *lm = j->lm, *aux = j->lm + POSE_LM_N_POSE;
    pose_smoother_apply(&t->smoother, pose_time_ns(j->t_s), w, h, lm, aux, j->world);
    /* The next frame's ROI from the smoothed aux landmarks (pose_landmarks_to_roi.pbtxt). */
    const float aux_xy[2][2] = {{aux[0].x, aux[0].y}, {aux[1].x, aux[1].y}};
    pose_rect_from_aux_landmarks(aux_xy, w, h, &t->roi);
    t->have_roi = t->roi.width > 0.0f && t->roi.height > 0.0f;
    if (!t->have_roi)
        pose_smoother_reset(&t->smoother);
    t->locked = 1;
    t->lifter_x = aux[0].x;
    t->lifter_y = aux[0].y;
    t->lifter_size_px = t->roi.width * (float)w;
    out->has_pose = 1;
    for (int i = 0; i < HC_N_LANDMARKS; i++) {
        out->lm[i].x_px = lm[i].x * (float)w;
        out->lm[i].y_px = lm[i].y * (float)h;
        out->lm[i].z = lm[i].z;
        out->lm[i].visibility = lm[i].visibility;
        memcpy(out->world_m[i], j->world[i], sizeof j->world[i]);
    }
    if (j->mask || j->mask_lazy) {
        t->mask = j->mask;
        t->mask_lazy = j->mask_lazy;
        memcpy(t->mask_inv, j->mask_inv, sizeof t->mask_inv);
        t->mask_w = w;
        t->mask_h = h;
    }
    t->end_s += hc_now_s() - t0;
}

enum hc_status hc_pose_tracker_process(struct hc_pose_tracker *t, const uint8_t *rgb,
                                       int width_px, int height_px, int stride, double t_s,
                                       int64_t index, int want_mask, struct hc_pose_frame *out)
{
    if (!t || !rgb || !out || width_px <= 0 || height_px <= 0 || stride < width_px * 3)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_pose_tracker_process: bad frame");
    struct pose_job j;
    job_begin(t, rgb, width_px, height_px, stride, t_s, index, want_mask, &j);
    const enum hc_status st = worker_run(t, t->wk, &j);
    t->mask = NULL;
    t->mask_lazy = NULL;
    t->n_frames++;
    if (st != HC_OK)
        return st;
    job_end(t, &j, out);
    return HC_OK;
}

const float *pose_tracker_mask_lazy(const struct hc_pose_tracker *t, int *src_w, int *src_h,
                                    double inv[6])
{
    if (!t || !t->mask_lazy)
        return NULL;
    *src_w = POSE_LM_SEG_PX;
    *src_h = POSE_LM_SEG_PX;
    memcpy(inv, t->mask_inv, sizeof t->mask_inv);
    return t->mask_lazy;
}

const float *hc_pose_tracker_mask(const struct hc_pose_tracker *t, int *width_px, int *height_px)
{
    if (!t || !t->mask)
        return NULL;
    if (width_px)
        *width_px = t->mask_w;
    if (height_px)
        *height_px = t->mask_h;
    return t->mask;
}

void pose_tracker_timing(const struct hc_pose_tracker *t, struct pose_timing *out)
{
    memset(out, 0, sizeof *out);
    const struct pose_worker *wk = t->wk;
    out->detect_s = wk->timing.detect_s;
    out->warp_s = wk->timing.warp_s;
    out->landmark_s = wk->timing.landmark_s;
    out->post_s = wk->timing.post_s;
    out->n_detect = wk->timing.n_detect;
    out->n_landmark = wk->timing.n_landmark;
    out->post_s += t->end_s;
    out->n_frames = t->n_frames;
}

void pose_tracker_reset(struct hc_pose_tracker *t)
{
    t->have_roi = 0;
    pose_smoother_reset(&t->smoother);
    t->locked = 0;
}
