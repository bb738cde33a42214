/* pose_landmarks.c - landmark model post-processing: decoding, heatmap refinement, projection of
 * image and world landmarks back to the frame.
 *
 * Sources (MediaPipe v0.9): mediapipe/modules/pose_landmark/
 * tensors_to_pose_landmarks_and_segmentation.pbtxt (options),
 * mediapipe/calculators/tensor/tensors_to_landmarks_calculator.cc,
 * mediapipe/calculators/util/refine_landmarks_from_heatmap_calculator.cc,
 * landmark_letterbox_removal_calculator.cc, landmark_projection_calculator.cc,
 * world_landmark_projection_calculator.cc. */
#include "pose/pose.h"

#include <math.h>

static float sigmoid(float v)
{
    return 1.0f / (1.0f + expf(-v));
}

void pose_decode_landmarks(const float *raw, int n, int tensor_w, int tensor_h,
                           struct pose_lm *out)
{
    /* TensorsToLandmarksCalculator: 5 values per landmark; x, y divided by the input size, z by
     * the input width (normalize_z 1.0); visibility_activation and presence_activation SIGMOID. */
    for (int i = 0; i < n; i++) {
        const float *r = raw + (size_t)i * 5;
        out[i].x = r[0] / (float)tensor_w;
        out[i].y = r[1] / (float)tensor_h;
        out[i].z = r[2] / (float)tensor_w;
        out[i].visibility = sigmoid(r[3]);
        out[i].presence = sigmoid(r[4]);
    }
}

void pose_refine_landmarks_from_heatmap(struct pose_lm *lm, int n, const float *hm, int hm_h,
                                        int hm_w, int kernel_size, float min_confidence)
{
    /* RefineLandmarksFromHeatMap(): the sigmoid-weighted centroid of the heatmap in a
     * kernel_size window around the landmark replaces x, y when the window's peak reaches
     * min_confidence. Kept exactly as MediaPipe does it, including truncation toward zero of the
     * centre cell and its row bound test (which checks the column against the height). */
    const int offset = (kernel_size - 1) / 2;
    for (int k = 0; k < n; k++) {
        const int center_col = (int)(lm[k].x * (float)hm_w);
        const int center_row = (int)(lm[k].y * (float)hm_h);
        if (center_col < 0 || center_col >= hm_w || center_row < 0 || center_col >= hm_h)
            continue;
        const int c0 = center_col - offset > 0 ? center_col - offset : 0;
        const int c1 = center_col + offset + 1 < hm_w ? center_col + offset + 1 : hm_w;
        const int r0 = center_row - offset > 0 ? center_row - offset : 0;
        const int r1 = center_row + offset + 1 < hm_h ? center_row + offset + 1 : hm_h;
        float sum = 0.0f, wcol = 0.0f, wrow = 0.0f, peak = 0.0f;
        for (int row = r0; row < r1; row++) {
            for (int col = c0; col < c1; col++) {
                const float conf = sigmoid(hm[((size_t)row * hm_w + col) * n + k]);
                sum += conf;
                peak = fmaxf(peak, conf);
                wcol += (float)col * conf;
                wrow += (float)row * conf;
            }
        }
        if (peak >= min_confidence && sum > 0.0f) {
            lm[k].x = wcol / (float)hm_w / sum;
            lm[k].y = wrow / (float)hm_h / sum;
        }
    }
}

void pose_project_landmarks(const struct pose_rect *roi, const struct pose_padding *pad,
                            struct pose_lm *lm, int n)
{
    const float lr = pad->left + pad->right, tb = pad->top + pad->bottom;
    const float c = cosf(roi->rotation), s = sinf(roi->rotation);
    for (int i = 0; i < n; i++) {
        /* LandmarkLetterboxRemovalCalculator (z scaled like x). */
        const float x = (lm[i].x - pad->left) / (1.0f - lr) - 0.5f;
        const float y = (lm[i].y - pad->top) / (1.0f - tb) - 0.5f;
        const float z = lm[i].z / (1.0f - lr);
        /* LandmarkProjectionCalculator with NORM_RECT: rotate about the centre, scale by the
         * ROI, shift to its centre; z scaled by the ROI width like x. */
        lm[i].x = (c * x - s * y) * roi->width + roi->x_center;
        lm[i].y = (s * x + c * y) * roi->height + roi->y_center;
        lm[i].z = z * roi->width;
    }
}

void pose_project_world(const struct pose_rect *roi, const float *raw, int n, float (*out)[3])
{
    /* The world tensor holds 3 values per landmark (TensorsToLandmarksCalculator without an
     * input size: metres as is). WorldLandmarkProjectionCalculator rotates x, y by the ROI
     * rotation and leaves z. */
    const float c = cosf(roi->rotation), s = sinf(roi->rotation);
    for (int i = 0; i < n; i++) {
        const float x = raw[i * 3 + 0], y = raw[i * 3 + 1];
        out[i][0] = c * x - s * y;
        out[i][1] = s * x + c * y;
        out[i][2] = raw[i * 3 + 2];
    }
}
