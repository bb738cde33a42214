/* pose_tracker.c - one lifter through a clip, frame by frame, the way MediaPipe's
 * pose_landmark_cpu.pbtxt does it: detect only when there is no ROI from the previous frame's
 * landmarks; take the landmark ROI from the (always smoothed) auxiliary landmarks; drop the pose
 * and detect again when the pose-presence score falls below threshold.
 *
 * Where we differ from MediaPipe, on purpose:
 * - MediaPipe takes the detector's best-scoring person. In a gym that may be someone in the
 *   background, so the first lifter is the largest and most central detection, and later
 *   re-detections prefer the person nearest to where the lifter was last seen (issue 4).
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

struct hc_pose_tracker {
    struct hc_pose_params p;
    char det_path[1024], lm_path[1024];
    struct nn_model *det_model, *lm_model; /* borrowed from models */
    struct hc_pose_models *own_models;       /* loaded here when hc_pose_params.models is NULL */
    /* Sessions on p.n_threads threads ([0]) and on one thread ([1], only when n_threads > 1 and
     * pose_tracker_set_one_thread asked for them; created on first use). */
    struct nn_session *det_sess[2];
    struct nn_session *lm_sess[2];      /* landmarks, flag, heatmap, world */
    struct nn_session *lm_sess_mask[2]; /* the same plus segmentation; created on first use */
    int one;                            /* which of the two the next frame uses */
    int det_out[2];                  /* model output index of boxes, scores */
    int lm_out[LM_N_OUT];
    struct pose_anchor anchors[POSE_DET_N_ANCHORS];
    struct pose_detection *cand;     /* POSE_DET_N_ANCHORS decoded candidates */
    struct pose_detection dets[POSE_DET_MAX];
    float *det_in, *det_boxes, *det_scores;
    float *lm_in, *lm_raw, *lm_flag, *lm_seg, *lm_heatmap, *lm_world;
    struct pose_smoother smoother;
    int have_roi;
    struct pose_rect roi;
    /* the lifter: where it was last seen (frame-normalized hip centre, ROI side in pixels) */
    int locked;
    float lifter_x, lifter_y, lifter_size_px;
    float *mask;
    size_t mask_cap;
    int mask_w, mask_h, mask_valid;
    struct pose_timing timing;
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
    const int lm_sel[4] = {t->lm_out[LM_OUT_LANDMARKS], t->lm_out[LM_OUT_FLAG],
                           t->lm_out[LM_OUT_HEATMAP], t->lm_out[LM_OUT_WORLD]};
    if ((st = nn_session_create(t->det_model, p->n_threads, t->det_out, 2, &t->det_sess[0])) !=
            HC_OK ||
        (st = nn_session_create(t->lm_model, p->n_threads, lm_sel, 4, &t->lm_sess[0])) != HC_OK)
        goto fail;
    pose_ssd_anchors(t->anchors, POSE_DET_N_ANCHORS);
    t->cand = malloc(POSE_DET_N_ANCHORS * sizeof *t->cand);
    t->det_in = alloc_floats((size_t)POSE_DET_INPUT_PX * POSE_DET_INPUT_PX * 3);
    t->det_boxes = alloc_floats(det_elems[0]);
    t->det_scores = alloc_floats(det_elems[1]);
    t->lm_in = alloc_floats((size_t)POSE_LM_INPUT_PX * POSE_LM_INPUT_PX * 3);
    t->lm_raw = alloc_floats(lm_out_elems[LM_OUT_LANDMARKS]);
    t->lm_flag = alloc_floats(lm_out_elems[LM_OUT_FLAG]);
    t->lm_seg = alloc_floats(lm_out_elems[LM_OUT_SEGMENTATION]);
    t->lm_heatmap = alloc_floats(lm_out_elems[LM_OUT_HEATMAP]);
    t->lm_world = alloc_floats(lm_out_elems[LM_OUT_WORLD]);
    if (!t->cand || !t->det_in || !t->det_boxes || !t->det_scores || !t->lm_in || !t->lm_raw ||
        !t->lm_flag || !t->lm_seg || !t->lm_heatmap || !t->lm_world) {
        st = hc_fail(HC_ERR_NOMEM, "pose: out of memory");
        goto fail;
    }
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
    for (int i = 0; i < 2; i++) {
        nn_session_free(t->det_sess[i]);
        nn_session_free(t->lm_sess[i]);
        nn_session_free(t->lm_sess_mask[i]);
    }
    hc_pose_models_free(t->own_models); /* shared models stay with their owner */
    free(t->cand);
    free(t->det_in);
    free(t->det_boxes);
    free(t->det_scores);
    free(t->lm_in);
    free(t->lm_raw);
    free(t->lm_flag);
    free(t->lm_seg);
    free(t->lm_heatmap);
    free(t->lm_world);
    free(t->mask);
    free(t);
}

/* Lifter choice among this frame's detections (already in frame-normalized coordinates). */
static int choose_lifter(const struct hc_pose_tracker *t, int n, int img_w, int img_h)
{
    int best = -1;
    double best_v = 0.0;
    const double diag = sqrt((double)img_w * img_w + (double)img_h * img_h);
    for (int i = 0; i < n; i++) {
        struct pose_rect r;
        pose_rect_from_detection(&t->dets[i], img_w, img_h, &r);
        const double side = (double)r.width * img_w;
        const double dx = ((double)r.x_center - 0.5) * img_w, dy = ((double)r.y_center - 0.5) * img_h;
        double v;
        if (!t->locked) {
            /* Largest and most central: ROI side times closeness to the frame centre (1 at the
             * centre, 0.5 in a corner). */
            v = side * (1.0 - sqrt(dx * dx + dy * dy) / diag);
        } else {
            /* Nearest to where the lifter was, in units of the lifter's size; size similarity
             * breaks ties between people at the same spot in depth. */
            const double lx = ((double)r.x_center - t->lifter_x) * img_w;
            const double ly = ((double)r.y_center - t->lifter_y) * img_h;
            const double dist = sqrt(lx * lx + ly * ly) / (t->lifter_size_px + 1.0);
            const double size_ratio = side > t->lifter_size_px ? t->lifter_size_px / side
                                                               : side / (t->lifter_size_px + 1.0);
            v = size_ratio / (1.0 + dist);
        }
        if (best < 0 || v > best_v) {
            best = i;
            best_v = v;
        }
    }
    return best;
}

static enum hc_status detect(struct hc_pose_tracker *t, const uint8_t *rgb, int w, int h,
                             int stride, int *found)
{
    double t0 = hc_now_s();
    struct pose_rect roi;
    struct pose_padding pad;
    double m[6];
    *found = 0;
    pose_letterbox_roi(w, h, POSE_DET_INPUT_PX, POSE_DET_INPUT_PX, &roi, &pad);
    pose_rect_to_affine(&roi, w, h, POSE_DET_INPUT_PX, POSE_DET_INPUT_PX, m);
    /* pose_detection_cpu.pbtxt: BORDER_ZERO, output_tensor_float_range [-1, 1]. */
    enum hc_status st = cv_warp_rgb_to_float(rgb, w, h, stride, m, t->det_in, POSE_DET_INPUT_PX,
                                             POSE_DET_INPUT_PX, CV_BORDER_ZERO, 2.0f / 255.0f,
                                             -1.0f);
    if (st != HC_OK)
        return st;
    const float *in[1] = {t->det_in};
    float *outs[2] = {t->det_boxes, t->det_scores};
    if ((st = nn_session_run(t->det_sess[t->one], in, outs)) != HC_OK)
        return st;
    const int n_cand = pose_decode_detections(t->det_boxes, t->det_scores, t->anchors,
                                              POSE_DET_N_ANCHORS, t->p.min_detection_score,
                                              t->cand, POSE_DET_N_ANCHORS);
    const int n = pose_weighted_nms(t->cand, n_cand, DET_NMS_IOU, t->dets, POSE_DET_MAX);
    for (int i = 0; i < n; i++)
        pose_detection_remove_letterbox(&t->dets[i], &pad);
    const int pick = choose_lifter(t, n, w, h);
    if (pick >= 0) {
        pose_rect_from_detection(&t->dets[pick], w, h, &t->roi);
        /* AlignmentPointsRects on a degenerate detection gives a zero-size ROI: nothing. */
        if (t->roi.width > 0.0f && t->roi.height > 0.0f)
            *found = 1;
    }
    t->timing.detect_s += hc_now_s() - t0;
    t->timing.n_detect++;
    return HC_OK;
}

static void reset_track(struct hc_pose_tracker *t)
{
    t->have_roi = 0;
    pose_smoother_reset(&t->smoother);
}

static enum hc_status ensure_mask_session(struct hc_pose_tracker *t)
{
    if (t->lm_sess_mask[t->one])
        return HC_OK;
    const int sel[5] = {t->lm_out[LM_OUT_LANDMARKS], t->lm_out[LM_OUT_FLAG],
                        t->lm_out[LM_OUT_HEATMAP], t->lm_out[LM_OUT_WORLD],
                        t->lm_out[LM_OUT_SEGMENTATION]};
    return nn_session_create(t->lm_model, t->one ? 1 : t->p.n_threads, sel, 5,
                             &t->lm_sess_mask[t->one]);
}

static enum hc_status make_mask(struct hc_pose_tracker *t, const double m[6], int w, int h)
{
    /* TensorsToSegmentationCalculator (activation SIGMOID) then the inverse warp of the ROI into
     * the frame with BORDER_ZERO (pose_landmarks_and_segmentation_inverse_projection). */
    const size_t n_seg = lm_out_elems[LM_OUT_SEGMENTATION];
    for (size_t i = 0; i < n_seg; i++)
        t->lm_seg[i] = 1.0f / (1.0f + expf(-t->lm_seg[i]));
    size_t need;
    if (hc_mul_size((size_t)w, (size_t)h, &need))
        return hc_fail(HC_ERR_TOO_LARGE, "pose: frame too large for a mask");
    if (need > t->mask_cap) {
        float *nm = realloc(t->mask, need * sizeof *nm);
        if (!nm)
            return hc_fail(HC_ERR_NOMEM, "pose: out of memory for a %dx%d mask", w, h);
        t->mask = nm;
        t->mask_cap = need;
    }
    /* m maps the 256 x 256 landmark tensor to the frame; the mask tensor has the same size. */
    double inv[6];
    if (cv_affine_invert(m, inv) != 0)
        return HC_OK;
    enum hc_status st = cv_warp_float(t->lm_seg, POSE_LM_SEG_PX, POSE_LM_SEG_PX, inv, t->mask, w,
                                      h, CV_BORDER_ZERO);
    if (st != HC_OK)
        return st;
    t->mask_w = w;
    t->mask_h = h;
    t->mask_valid = 1;
    return HC_OK;
}

enum hc_status hc_pose_tracker_process(struct hc_pose_tracker *t, const uint8_t *rgb,
                                       int width_px, int height_px, int stride, double t_s,
                                       int64_t index, int want_mask, struct hc_pose_frame *out)
{
    if (!t || !rgb || !out || width_px <= 0 || height_px <= 0 || stride < width_px * 3)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_pose_tracker_process: bad frame");
    const int w = width_px, h = height_px;
    memset(out, 0, sizeof *out);
    out->index = index;
    out->t_s = t_s;
    t->mask_valid = 0;
    t->timing.n_frames++;
    enum hc_status st;
    if (!t->have_roi) {
        int found;
        if ((st = detect(t, rgb, w, h, stride, &found)) != HC_OK)
            return st;
        if (!found) {
            reset_track(t);
            return HC_OK;
        }
    }
    /* The landmark ROI, padded to the tensor's aspect (square already: no padding). */
    double t0 = hc_now_s();
    struct pose_rect roi = t->roi, padded = t->roi;
    struct pose_padding pad;
    double m[6];
    pose_pad_roi(w, h, POSE_LM_INPUT_PX, POSE_LM_INPUT_PX, &padded, &pad);
    pose_rect_to_affine(&padded, w, h, POSE_LM_INPUT_PX, POSE_LM_INPUT_PX, m);
    /* pose_landmark_by_roi_cpu.pbtxt: range [0, 1], border mode unspecified = REPLICATE. */
    if ((st = cv_warp_rgb_to_float(rgb, w, h, stride, m, t->lm_in, POSE_LM_INPUT_PX,
                                   POSE_LM_INPUT_PX, CV_BORDER_REPLICATE, 1.0f / 255.0f, 0.0f)) !=
        HC_OK)
        return st;
    double t1 = hc_now_s();
    t->timing.warp_s += t1 - t0;
    const float *in[1] = {t->lm_in};
    float *outs[5] = {t->lm_raw, t->lm_flag, t->lm_heatmap, t->lm_world, t->lm_seg};
    if (want_mask) {
        if ((st = ensure_mask_session(t)) != HC_OK ||
            (st = nn_session_run(t->lm_sess_mask[t->one], in, outs)) != HC_OK)
            return st;
    } else if ((st = nn_session_run(t->lm_sess[t->one], in, outs)) != HC_OK) {
        return st;
    }
    double t2 = hc_now_s();
    t->timing.landmark_s += t2 - t1;
    t->timing.n_landmark++;
    /* ThresholdingCalculator on the raw pose flag (TensorsToFloatsCalculator applies no
     * activation). */
    if (!(t->lm_flag[0] >= t->p.min_presence_score)) {
        reset_track(t);
        t->timing.post_s += hc_now_s() - t2;
        return HC_OK;
    }
    struct pose_lm lm[POSE_LM_N_ALL];
    pose_decode_landmarks(t->lm_raw, POSE_LM_N_ALL, POSE_LM_INPUT_PX, POSE_LM_INPUT_PX, lm);
    pose_refine_landmarks_from_heatmap(lm, POSE_LM_N_ALL, t->lm_heatmap, POSE_LM_HEATMAP_PX,
                                       POSE_LM_HEATMAP_PX, HEATMAP_KERNEL,
                                       HEATMAP_MIN_CONFIDENCE);
    pose_project_landmarks(&roi, &pad, lm, POSE_LM_N_POSE + POSE_LM_N_AUX);
    float world[POSE_LM_N_POSE][3];
    pose_project_world(&roi, t->lm_world, POSE_LM_N_POSE, world);
    struct pose_lm *aux = lm + POSE_LM_N_POSE;
    pose_smoother_apply(&t->smoother, pose_time_ns(t_s), w, h, lm, aux, world);
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
        memcpy(out->world_m[i], world[i], sizeof world[i]);
    }
    if (want_mask && (st = make_mask(t, m, w, h)) != HC_OK)
        return st;
    t->timing.post_s += hc_now_s() - t2;
    return HC_OK;
}

const float *hc_pose_tracker_mask(const struct hc_pose_tracker *t, int *width_px, int *height_px)
{
    if (!t || !t->mask_valid)
        return NULL;
    if (width_px)
        *width_px = t->mask_w;
    if (height_px)
        *height_px = t->mask_h;
    return t->mask;
}

void pose_tracker_timing(const struct hc_pose_tracker *t, struct pose_timing *out)
{
    *out = t->timing;
}

enum hc_status pose_tracker_set_one_thread(struct hc_pose_tracker *t, int one)
{
    if (t->p.n_threads == 1 || !one) {
        t->one = 0;
        return HC_OK;
    }
    if (!t->det_sess[1]) {
        const int lm_sel[4] = {t->lm_out[LM_OUT_LANDMARKS], t->lm_out[LM_OUT_FLAG],
                               t->lm_out[LM_OUT_HEATMAP], t->lm_out[LM_OUT_WORLD]};
        enum hc_status st;
        if ((st = nn_session_create(t->det_model, 1, t->det_out, 2, &t->det_sess[1])) != HC_OK)
            return st;
        if ((st = nn_session_create(t->lm_model, 1, lm_sel, 4, &t->lm_sess[1])) != HC_OK) {
            nn_session_free(t->det_sess[1]);
            t->det_sess[1] = NULL;
            return st;
        }
    }
    t->one = 1;
    return HC_OK;
}

void pose_tracker_reset(struct hc_pose_tracker *t)
{
    reset_track(t);
    t->locked = 0;
}
