/*
 * pose.h - BlazePose as MediaPipe's CPU pose graph runs it (internal to src/pose, its tests and
 * src/pipeline). The public face is the pose section of hingecheck.h.
 *
 * The pieces, in the order one frame goes through them:
 *
 *     detector:  pose_letterbox_roi -> (warp 224x224, [-1,1]) -> model -> pose_decode_detections
 *                -> pose_weighted_nms -> pose_detection_remove_letterbox -> pose_rect_from_detection
 *     landmarks: pose_rect_to_affine -> (warp 256x256, [0,1]) -> model -> pose_decode_landmarks
 *                -> pose_refine_landmarks_from_heatmap -> pose_project_landmarks / _world
 *     smoothing: pose_smoother_apply (one-euro on coordinates, low-pass on visibility)
 *     tracking:  pose_rect_from_aux_landmarks -> next frame's ROI
 *
 * Coordinates follow MediaPipe: "normalized" means x / image width and y / image height; a
 * struct pose_rect is a NormalizedRect (centre, size as fractions of the image, rotation in
 * radians, clockwise on screen). Every constant cites the MediaPipe file it comes from; the
 * version is the one of @mediapipe/pose@0.5.1675469404 (MediaPipe v0.9.x graphs).
 */
#ifndef HC_POSE_POSE_H
#define HC_POSE_POSE_H

#include "core/core.h"
#include "hingecheck.h" /* pose implements the hc_pose_* part of the public API */

#include <stdint.h>

/* ---- detector: mediapipe/modules/pose_detection/pose_detection_cpu.pbtxt ---------------- */

#define POSE_DET_INPUT_PX 224   /* ImageToTensorCalculator output_tensor_width/height */
#define POSE_DET_N_ANCHORS 2254 /* TensorsToDetectionsCalculator num_boxes */
#define POSE_DET_N_COORDS 12    /* num_coords: 4 box + 4 keypoints x 2 */
#define POSE_DET_N_KEYPOINTS 4  /* num_keypoints: hip centre, full-body scale point, 2 upper body */
#define POSE_DET_MAX 32         /* detections kept after NMS (a gym has a handful of people) */

struct pose_anchor {
    float x_center, y_center, w, h;
};

/* One detection, normalized to the detector input (or, after letterbox removal, to the frame). */
struct pose_detection {
    float score;
    float xmin, ymin, xmax, ymax;
    float kp[POSE_DET_N_KEYPOINTS][2];
};

/* Fills `out` (room for POSE_DET_N_ANCHORS) with the SSD anchors of pose_detection_cpu.pbtxt;
 * returns the count (2254). */
int pose_ssd_anchors(struct pose_anchor *out, int cap);

/* Decodes raw boxes [n_anchors x 12] and scores [n_anchors] into detections with a sigmoid score
 * >= min_score; returns how many were written (at most cap). */
int pose_decode_detections(const float *raw_boxes, const float *raw_scores,
                           const struct pose_anchor *anchors, int n_anchors, float min_score,
                           struct pose_detection *out, int cap);

/* MediaPipe's WEIGHTED non-max suppression (IoU threshold min_iou). Sorts `dets` by score in
 * place; writes the merged detections, best first, to `out`; returns how many. */
int pose_weighted_nms(struct pose_detection *dets, int n, float min_iou,
                      struct pose_detection *out, int cap);

/* ---- ROI geometry ----------------------------------------------------------------------- */

struct pose_rect {
    float x_center, y_center, width, height, rotation;
};

/* Letterbox padding as fractions of the tensor: left, top, right, bottom. */
struct pose_padding {
    float left, top, right, bottom;
};

/* The whole frame as ImageToTensorCalculator sees it without a NORM_RECT, padded to the tensor's
 * aspect ratio (keep_aspect_ratio: true). `roi` comes back normalized (may exceed [0,1]). */
void pose_letterbox_roi(int img_w, int img_h, int tensor_w, int tensor_h, struct pose_rect *roi,
                        struct pose_padding *pad);
/* Pads a normalized ROI to the tensor's aspect ratio in pixels (ImageToTensor PadRoi). */
void pose_pad_roi(int img_w, int img_h, int tensor_w, int tensor_h, struct pose_rect *roi,
                  struct pose_padding *pad);

/* DetectionLetterboxRemovalCalculator: tensor-normalized -> frame-normalized. */
void pose_detection_remove_letterbox(struct pose_detection *d, const struct pose_padding *pad);

float pose_normalize_radians(float a);

/* AlignmentPointsRectsCalculator: centre at (x0,y0), side = 2 x distance to (x1,y1) in pixels,
 * rotation so that the centre->scale vector points up (target angle 90 deg). Normalized points. */
void pose_rect_from_alignment(float x0, float y0, float x1, float y1, int img_w, int img_h,
                              struct pose_rect *r);
/* RectTransformationCalculator with square_long: true and scale_x = scale_y = scale. */
void pose_rect_square_long(struct pose_rect *r, int img_w, int img_h, float scale);

/* Detection -> landmark ROI (pose_detection_to_roi.pbtxt) and aux landmarks -> next ROI
 * (pose_landmarks_to_roi.pbtxt). `aux` holds 2 normalized (x, y) points. */
void pose_rect_from_detection(const struct pose_detection *d, int img_w, int img_h,
                              struct pose_rect *r);
void pose_rect_from_aux_landmarks(const float aux[2][2], int img_w, int img_h, struct pose_rect *r);

/* The affine map from tensor pixel-centre coordinates (u + 0.5, v + 0.5) to frame coordinates
 * (pixel j covers [j, j+1)): src = (m[0] u + m[1] v + m[2], m[3] u + m[4] v + m[5]). */
void pose_rect_to_affine(const struct pose_rect *r, int img_w, int img_h, int tensor_w,
                         int tensor_h, double m[6]);

/* ---- landmarks: tensors_to_pose_landmarks_and_segmentation.pbtxt ------------------------ */

#define POSE_LM_INPUT_PX 256 /* pose_landmark_by_roi_cpu.pbtxt: output_tensor_width/height */
#define POSE_LM_N_ALL 39     /* TensorsToLandmarksCalculator num_landmarks */
#define POSE_LM_N_POSE 33    /* SplitNormalizedLandmarkListCalculator 0..33 */
#define POSE_LM_N_AUX 2      /* and 33..35: the ROI alignment points */
#define POSE_LM_HEATMAP_PX 64
#define POSE_LM_SEG_PX 256

struct pose_lm {
    float x, y, z, visibility, presence;
};

/* raw: n x 5 floats (x, y, z in tensor pixels, visibility and presence logits). */
void pose_decode_landmarks(const float *raw, int n, int tensor_w, int tensor_h,
                           struct pose_lm *out);
/* RefineLandmarksFromHeatmapCalculator (kernel_size 7, min_confidence_to_refine 0.5 in the
 * graph). hm: H x W x C, C == n. */
void pose_refine_landmarks_from_heatmap(struct pose_lm *lm, int n, const float *hm, int hm_h,
                                        int hm_w, int kernel_size, float min_confidence);
/* LandmarkLetterboxRemovalCalculator then LandmarkProjectionCalculator with the ROI:
 * tensor-normalized -> frame-normalized; z scaled by the ROI width like x. */
void pose_project_landmarks(const struct pose_rect *roi, const struct pose_padding *pad,
                            struct pose_lm *lm, int n);
/* WorldLandmarkProjectionCalculator: rotate the (metres) world landmarks by the ROI rotation. */
void pose_project_world(const struct pose_rect *roi, const float *raw, int n, float (*out)[3]);

/* ---- smoothing: pose_landmark_filtering.pbtxt ------------------------------------------- */

struct pose_lowpass {
    float alpha, raw, stored;
    int initialized;
};

struct pose_one_euro {
    double frequency, min_cutoff, beta, derivate_cutoff;
    int64_t last_time_ns;
    struct pose_lowpass x, dx;
};

struct pose_one_euro_params {
    double min_cutoff, beta, derivate_cutoff;
    int disable_value_scaling;
};

/* A LandmarksSmoothingCalculator (one-euro) plus a VisibilitySmoothingCalculator for n points. */
#define POSE_SMOOTH_MAX_POINTS 33
struct pose_point_filter {
    struct pose_one_euro_params p;
    int n;
    int active;           /* 0 after a reset: the next frame re-initialises */
    struct pose_one_euro f[POSE_SMOOTH_MAX_POINTS][3];
    struct pose_lowpass vis[POSE_SMOOTH_MAX_POINTS];
};

float pose_lowpass_apply(struct pose_lowpass *f, float value);
void pose_one_euro_init(struct pose_one_euro *f, const struct pose_one_euro_params *p);
double pose_one_euro_apply(struct pose_one_euro *f, int64_t t_ns, double value_scale,
                           double value);

void pose_point_filter_init(struct pose_point_filter *pf, int n,
                            const struct pose_one_euro_params *p);
void pose_point_filter_reset(struct pose_point_filter *pf);
/* Filters n points in place: xyz[i] in pixels (x * W, y * H, z * W) or metres, vis[i] (may be
 * NULL). object_scale_px: the scale that divides velocities (ignored when value scaling is off);
 * below 1e-6 the points pass unfiltered (min_allowed_object_scale). */
void pose_point_filter_apply(struct pose_point_filter *pf, int64_t t_ns, float object_scale_px,
                             float (*xyz)[3], float *vis);

/* The three filters of pose_landmark_filtering.pbtxt with their settings. */
struct pose_smoother {
    int enabled;                    /* landmarks and world; aux landmarks are always filtered */
    struct pose_point_filter lm;    /* one_euro 0.05 / 80 / 1, visibility low-pass 0.1 */
    struct pose_point_filter world; /* one_euro 0.1 / 40 / 1, no value scaling */
    struct pose_point_filter aux;   /* one_euro 0.01 / 10 / 1, visibility low-pass 0.1 */
};

void pose_smoother_init(struct pose_smoother *s, int enabled);
void pose_smoother_reset(struct pose_smoother *s);
/* One frame with a pose. lm: 33 frame-normalized landmarks (x, y, z, visibility), aux: 2, world:
 * 33 x 3 metres; all filtered in place. */
void pose_smoother_apply(struct pose_smoother *s, int64_t t_ns, int img_w, int img_h,
                         struct pose_lm *lm, struct pose_lm *aux, float (*world)[3]);

/* Timestamp in nanoseconds from seconds, through whole microseconds as MediaPipe's Timestamp. */
int64_t pose_time_ns(double t_s);

#endif /* HC_POSE_POSE_H */
