/* pose_detect.c - BlazePose detector post-processing: SSD anchors, box and keypoint decoding,
 * sigmoid scores, MediaPipe's weighted non-max suppression, letterbox removal.
 *
 * Sources (MediaPipe v0.9): mediapipe/modules/pose_detection/pose_detection_cpu.pbtxt (options),
 * mediapipe/calculators/tflite/ssd_anchors_calculator.cc,
 * mediapipe/calculators/tensor/tensors_to_detections_calculator.cc,
 * mediapipe/calculators/util/non_max_suppression_calculator.cc,
 * mediapipe/calculators/util/detection_letterbox_removal_calculator.cc. */
#include "pose/pose.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* SsdAnchorsCalculatorOptions of pose_detection_cpu.pbtxt: num_layers 5, strides 8 16 32 32 32,
 * anchor_offset 0.5, aspect_ratios 1.0, fixed_anchor_size true; interpolated_scale_aspect_ratio
 * keeps its proto default 1.0. min_scale / max_scale (0.1484375 / 0.75) only size the anchors,
 * and fixed_anchor_size makes every anchor 1 x 1, so they do not appear here. */
#define ANCHOR_N_LAYERS 5
static const int anchor_strides[ANCHOR_N_LAYERS] = {8, 16, 32, 32, 32};
static const float anchor_offset = 0.5f;
static const float anchor_interpolated_aspect = 1.0f;

int pose_ssd_anchors(struct pose_anchor *out, int cap)
{
    int n = 0;
    int layer = 0;
    while (layer < ANCHOR_N_LAYERS) {
        /* Layers with the same stride share one feature map; each contributes one anchor per
         * aspect ratio (just 1.0) plus one interpolated-scale anchor. With fixed_anchor_size
         * every anchor is 1x1, so only the count per cell matters. */
        int per_cell = 0;
        int last = layer;
        while (last < ANCHOR_N_LAYERS && anchor_strides[last] == anchor_strides[layer]) {
            per_cell += 1;                       /* aspect_ratios: 1.0 */
            if (anchor_interpolated_aspect > 0.0f)
                per_cell += 1;                   /* sqrt(scale * scale_next) at aspect 1.0 */
            last++;
        }
        const int stride = anchor_strides[layer];
        const int fm_h = (int)ceilf((float)POSE_DET_INPUT_PX / (float)stride);
        const int fm_w = (int)ceilf((float)POSE_DET_INPUT_PX / (float)stride);
        for (int y = 0; y < fm_h; y++) {
            for (int x = 0; x < fm_w; x++) {
                for (int a = 0; a < per_cell; a++) {
                    if (n < cap) {
                        out[n].x_center = ((float)x + anchor_offset) / (float)fm_w;
                        out[n].y_center = ((float)y + anchor_offset) / (float)fm_h;
                        out[n].w = 1.0f; /* fixed_anchor_size: true */
                        out[n].h = 1.0f;
                    }
                    n++;
                }
            }
        }
        layer = last;
    }
    return n;
}

/* TensorsToDetectionsCalculatorOptions of pose_detection_cpu.pbtxt. */
static const float det_scale = 224.0f;         /* x_scale = y_scale = w_scale = h_scale */
static const float det_score_clip = 100.0f;    /* score_clipping_thresh */
static const int det_box_offset = 0;           /* box_coord_offset */
static const int det_kp_offset = 4;            /* keypoint_coord_offset */
static const int det_values_per_kp = 2;        /* num_values_per_keypoint */

int pose_decode_detections(const float *raw_boxes, const float *raw_scores,
                           const struct pose_anchor *anchors, int n_anchors, float min_score,
                           struct pose_detection *out, int cap)
{
    int n = 0;
    for (int i = 0; i < n_anchors && n < cap; i++) {
        float s = raw_scores[i]; /* num_classes: 1 */
        if (s < -det_score_clip)
            s = -det_score_clip;
        if (s > det_score_clip)
            s = det_score_clip;
        s = 1.0f / (1.0f + expf(-s)); /* sigmoid_score: true */
        if (!(s >= min_score))
            continue;
        const float *r = raw_boxes + (size_t)i * POSE_DET_N_COORDS;
        const struct pose_anchor *a = &anchors[i];
        /* reverse_output_order: true -> x, y, w, h. */
        const float xc = r[det_box_offset + 0] / det_scale * a->w + a->x_center;
        const float yc = r[det_box_offset + 1] / det_scale * a->h + a->y_center;
        const float w = r[det_box_offset + 2] / det_scale * a->w;
        const float h = r[det_box_offset + 3] / det_scale * a->h;
        struct pose_detection *d = &out[n++];
        d->score = s;
        d->xmin = xc - w / 2.0f;
        d->ymin = yc - h / 2.0f;
        d->xmax = xc + w / 2.0f;
        d->ymax = yc + h / 2.0f;
        for (int k = 0; k < POSE_DET_N_KEYPOINTS; k++) {
            const float *kp = r + det_kp_offset + k * det_values_per_kp;
            d->kp[k][0] = kp[0] / det_scale * a->w + a->x_center;
            d->kp[k][1] = kp[1] / det_scale * a->h + a->y_center;
        }
    }
    return n;
}

static int cmp_score_desc(const void *a, const void *b)
{
    const struct pose_detection *x = a, *y = b;
    return (x->score < y->score) - (x->score > y->score);
}

/* OverlapSimilarity(INTERSECTION_OVER_UNION) on the relative bounding boxes. */
static float iou(const struct pose_detection *a, const struct pose_detection *b)
{
    const float ix0 = fmaxf(a->xmin, b->xmin), iy0 = fmaxf(a->ymin, b->ymin);
    const float ix1 = fminf(a->xmax, b->xmax), iy1 = fminf(a->ymax, b->ymax);
    if (ix1 <= ix0 || iy1 <= iy0)
        return 0.0f;
    const float inter = (ix1 - ix0) * (iy1 - iy0);
    const float ua = (a->xmax - a->xmin) * (a->ymax - a->ymin) +
                     (b->xmax - b->xmin) * (b->ymax - b->ymin) - inter;
    return ua > 0.0f ? inter / ua : 0.0f;
}

int pose_weighted_nms(struct pose_detection *dets, int n, float min_iou,
                      struct pose_detection *out, int cap)
{
    /* WeightedNonMaxSuppression(): take the best remaining detection, average it with every
     * remaining detection overlapping it by more than min_iou (weights = scores, the best one
     * included), keep the best one's score; repeat on the rest. `dets` doubles as the list of
     * remaining detections, compacted in place. */
    qsort(dets, (size_t)n, sizeof *dets, cmp_score_desc);
    int n_out = 0;
    int n_rem = n;
    while (n_rem > 0 && n_out < cap) {
        const struct pose_detection best = dets[0];
        struct pose_detection w = best;
        float total = 0.0f, xmin = 0.0f, ymin = 0.0f, xmax = 0.0f, ymax = 0.0f;
        float kp[POSE_DET_N_KEYPOINTS][2];
        memset(kp, 0, sizeof kp);
        int kept = 0;
        for (int i = 0; i < n_rem; i++) {
            const struct pose_detection *d = &dets[i];
            if (iou(d, &best) > min_iou) {
                total += d->score;
                xmin += d->xmin * d->score;
                ymin += d->ymin * d->score;
                xmax += d->xmax * d->score;
                ymax += d->ymax * d->score;
                for (int k = 0; k < POSE_DET_N_KEYPOINTS; k++) {
                    kp[k][0] += d->kp[k][0] * d->score;
                    kp[k][1] += d->kp[k][1] * d->score;
                }
            } else {
                dets[kept++] = *d;
            }
        }
        if (total > 0.0f) {
            w.xmin = xmin / total;
            w.ymin = ymin / total;
            w.xmax = xmax / total;
            w.ymax = ymax / total;
            for (int k = 0; k < POSE_DET_N_KEYPOINTS; k++) {
                w.kp[k][0] = kp[k][0] / total;
                w.kp[k][1] = kp[k][1] / total;
            }
        }
        out[n_out++] = w;
        /* A degenerate box overlaps nothing, not even itself: MediaPipe stops there. */
        if (kept == n_rem)
            break;
        n_rem = kept;
    }
    return n_out;
}

void pose_detection_remove_letterbox(struct pose_detection *d, const struct pose_padding *pad)
{
    const float sx = 1.0f - pad->left - pad->right;
    const float sy = 1.0f - pad->top - pad->bottom;
    d->xmin = (d->xmin - pad->left) / sx;
    d->xmax = (d->xmax - pad->left) / sx;
    d->ymin = (d->ymin - pad->top) / sy;
    d->ymax = (d->ymax - pad->top) / sy;
    for (int k = 0; k < POSE_DET_N_KEYPOINTS; k++) {
        d->kp[k][0] = (d->kp[k][0] - pad->left) / sx;
        d->kp[k][1] = (d->kp[k][1] - pad->top) / sy;
    }
}
