/* pose_roi.c - the rotated square regions of interest of MediaPipe's pose graph.
 *
 * Sources (MediaPipe v0.9): mediapipe/calculators/util/alignment_points_to_rects_calculator.cc and
 * detections_to_rects_calculator.cc (centre, size, rotation), rect_transformation_calculator.cc
 * (square_long, scale), mediapipe/calculators/tensor/image_to_tensor_utils.cc (GetRoi, PadRoi),
 * mediapipe/modules/pose_landmark/pose_detection_to_roi.pbtxt and pose_landmarks_to_roi.pbtxt
 * (which points, scale 1.25). */
#include "pose/pose.h"

#include <math.h>

/* pose_detection_to_roi.pbtxt / pose_landmarks_to_roi.pbtxt (v0.8.4 and later, full body):
 * rotation_vector_start_keypoint_index 0 (hip centre), end 1 (the point that encodes size and
 * rotation), rotation_vector_target_angle_degrees 90, then RectTransformationCalculator scale_x =
 * scale_y = 1.25 with square_long: true. */
#define ROI_TARGET_ANGLE_RAD 1.5707963267948966f
#define ROI_SCALE 1.25f

float pose_normalize_radians(float a)
{
    /* NormalizeRadians() of detections_to_rects_calculator.cc: into [-pi, pi). */
    const double pi = 3.14159265358979323846;
    return (float)(a - 2.0 * pi * floor((a - (-pi)) / (2.0 * pi)));
}

void pose_pad_roi(int img_w, int img_h, int tensor_w, int tensor_h, struct pose_rect *roi,
                  struct pose_padding *pad)
{
    /* PadRoi(): grow the ROI (in pixels) to the tensor's aspect ratio and report the padding as
     * fractions of the tensor on each side. */
    const float w_px = roi->width * (float)img_w, h_px = roi->height * (float)img_h;
    const float tensor_aspect = (float)tensor_h / (float)tensor_w;
    const float roi_aspect = h_px / w_px;
    float new_w, new_h;
    pad->left = pad->right = pad->top = pad->bottom = 0.0f;
    if (tensor_aspect > roi_aspect) {
        new_w = w_px;
        new_h = w_px * tensor_aspect;
        pad->top = pad->bottom = (1.0f - roi_aspect / tensor_aspect) / 2.0f;
    } else {
        new_w = h_px / tensor_aspect;
        new_h = h_px;
        pad->left = pad->right = (1.0f - tensor_aspect / roi_aspect) / 2.0f;
    }
    roi->width = new_w / (float)img_w;
    roi->height = new_h / (float)img_h;
}

void pose_letterbox_roi(int img_w, int img_h, int tensor_w, int tensor_h, struct pose_rect *roi,
                        struct pose_padding *pad)
{
    /* No NORM_RECT input: the ROI is the whole image (GetRoi with an absent rect). */
    roi->x_center = 0.5f;
    roi->y_center = 0.5f;
    roi->width = 1.0f;
    roi->height = 1.0f;
    roi->rotation = 0.0f;
    pose_pad_roi(img_w, img_h, tensor_w, tensor_h, roi, pad);
}

void pose_rect_from_alignment(float x0, float y0, float x1, float y1, int img_w, int img_h,
                              struct pose_rect *r)
{
    const float w = (float)img_w, h = (float)img_h;
    const float xc = x0 * w, yc = y0 * h;
    const float xs = x1 * w, ys = y1 * h;
    const float box = sqrtf((xs - xc) * (xs - xc) + (ys - yc) * (ys - yc)) * 2.0f;
    r->x_center = xc / w;
    r->y_center = yc / h;
    r->width = box / w;
    r->height = box / h;
    /* ComputeRotation(): target - atan2(-(y1 - y0), x1 - x0), in pixels. */
    r->rotation = pose_normalize_radians(ROI_TARGET_ANGLE_RAD - atan2f(-(ys - yc), xs - xc));
}

void pose_rect_square_long(struct pose_rect *r, int img_w, int img_h, float scale)
{
    /* TransformNormalizedRect() with shift 0: the long side in pixels, both sides scaled. */
    const float long_side = fmaxf(r->width * (float)img_w, r->height * (float)img_h);
    r->width = long_side / (float)img_w * scale;
    r->height = long_side / (float)img_h * scale;
}

void pose_rect_from_detection(const struct pose_detection *d, int img_w, int img_h,
                              struct pose_rect *r)
{
    pose_rect_from_alignment(d->kp[0][0], d->kp[0][1], d->kp[1][0], d->kp[1][1], img_w, img_h, r);
    pose_rect_square_long(r, img_w, img_h, ROI_SCALE);
}

void pose_rect_from_aux_landmarks(const float aux[2][2], int img_w, int img_h, struct pose_rect *r)
{
    pose_rect_from_alignment(aux[0][0], aux[0][1], aux[1][0], aux[1][1], img_w, img_h, r);
    pose_rect_square_long(r, img_w, img_h, ROI_SCALE);
}

void pose_rect_to_affine(const struct pose_rect *r, int img_w, int img_h, int tensor_w,
                         int tensor_h, double m[6])
{
    /* Tensor point (u, v) in [0, W] x [0, H] sits at ROI-local (u / W - 0.5, v / H - 0.5) of
     * the rectangle, which is rotated by `rotation` about its centre - the same convention
     * LandmarkProjectionCalculator inverts (x' = cos x - sin y, y' = sin x + cos y). */
    const double cx = (double)r->x_center * img_w, cy = (double)r->y_center * img_h;
    const double w = (double)r->width * img_w, h = (double)r->height * img_h;
    const double c = cos((double)r->rotation), s = sin((double)r->rotation);
    m[0] = c * w / tensor_w;
    m[1] = -s * h / tensor_h;
    m[2] = cx - 0.5 * c * w + 0.5 * s * h;
    m[3] = s * w / tensor_w;
    m[4] = c * h / tensor_h;
    m[5] = cy - 0.5 * s * w - 0.5 * c * h;
}
