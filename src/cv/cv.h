/*
 * cv.h - the thin C interface to the image operations hingecheck needs (src/cv is the only C++
 * in the tree and the only includer of OpenCV headers).
 *
 * Warping a rotated region of an RGB24 frame into a model's float input tensor:
 *
 *     double m[6];   // tensor pixel-centre coordinates -> frame coordinates (see below)
 *     cv_warp_rgb_to_float(rgb, w, h, stride, m, tensor, 256, 256, CV_BORDER_REPLICATE,
 *                          1.0f / 255.0f, 0.0f);
 *
 * Coordinates: pixel j of an image covers [j, j+1); its centre is j + 0.5. The affine map m takes
 * a destination point (u, v) in those coordinates to the source point
 * (m[0] u + m[1] v + m[2], m[3] u + m[4] v + m[5]); each destination pixel samples the source at
 * the image of its centre, bilinearly (the convention of GPU texture sampling, which MediaPipe's
 * web runtime uses for ImageToTensorCalculator).
 */
#ifndef HC_CV_H
#define HC_CV_H

#include "core/core.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a sample outside the source reads: 0 (then scaled: MediaPipe's BORDER_ZERO) or the
 * nearest edge pixel (BORDER_REPLICATE, ImageToTensorCalculator's default). */
enum cv_border { CV_BORDER_ZERO = 0, CV_BORDER_REPLICATE = 1 };

/* dst[(y * dst_w + x) * 3 + c] = scale * bilinear(src, m * (x + 0.5, y + 0.5))_c + offset.
 * src: RGB24, rows `stride` bytes apart. Returns HC_ERR_INVALID_ARG on bad sizes. */
enum hc_status cv_warp_rgb_to_float(const uint8_t *src, int src_w, int src_h, int stride,
                                    const double m[6], float *dst, int dst_w, int dst_h,
                                    enum cv_border border, float scale, float offset);

/* The same for one float channel (masks): dst = bilinear(src, m * (x + 0.5, y + 0.5)). */
enum hc_status cv_warp_float(const float *src, int src_w, int src_h, const double m[6],
                             float *dst, int dst_w, int dst_h, enum cv_border border);

/* The value cv_warp_float(src, src_w, src_h, m, dst, ..., CV_BORDER_ZERO) writes at dst pixel
 * (x, y), bit for bit, computed alone (OpenCV's fixed-point sample positions, 1/32 pixel, and
 * its bilinear weight table): a caller that reads a few thousand pixels of a frame-sized warp
 * samples them here instead of warping millions (the spine's person mask, src/kin).
 * tests/test_kin.c compares it with cv_warp_float on every pixel. */
float cv_warp_float_at(const float *src, int src_w, int src_h, const double m[6], int x, int y);

/* Inverts an affine map; returns 0, or -1 when it is singular. */
int cv_affine_invert(const double m[6], double inv[6]);

#ifdef __cplusplus
}
#endif
#endif /* HC_CV_H */
