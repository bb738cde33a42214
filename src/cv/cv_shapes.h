/*
 * cv_shapes.h - finding round shapes in a small grey crop (the implement stage, src/implement),
 * behind a C interface over OpenCV imgproc.
 *
 *     uint8_t g[120 * 120];
 *     cv_grey_crop(rgb, w, h, stride, x0, y0, 720, 720, 1.0, g, 120, 120);  // 6x smaller
 *     double e[5];
 *     cv_fit_ellipse(xy, n, e);             // points on an outline -> centre, semi-axes, angle
 *
 * Coordinates are continuous pixels: pixel j covers [j, j + 1), its centre is j + 0.5.
 */
#ifndef HC_CV_SHAPES_H
#define HC_CV_SHAPES_H

#include "core/core.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The source rectangle [x0, x0 + src_w) x [y0, y0 + src_h) of an RGB24 frame (it may reach past
 * the frame: outside pixels repeat the nearest edge), converted to grey (BT.601 luma), shrunk to
 * dst_w x dst_h by area averaging and smoothed with a Gaussian of blur_sigma crop pixels (0: none).
 * dst rows are dst_w bytes apart. HC_ERR_INVALID_ARG on bad sizes or a rectangle wholly outside
 * the frame. */
enum hc_status cv_grey_crop(const uint8_t *rgb, int w, int h, int stride, int x0, int y0,
                            int src_w, int src_h, double blur_sigma, uint8_t *dst, int dst_w,
                            int dst_h);

/* Least-squares ellipse through n >= 5 points xy[2 i], xy[2 i + 1] (OpenCV's fitEllipse):
 * out = {centre x, centre y, semi-axis along angle, other semi-axis, angle in degrees}. Returns 0,
 * or -1 when there are too few points or the fit fails. */
int cv_fit_ellipse(const float *xy, int n, double out[5]);

#ifdef __cplusplus
}
#endif
#endif /* HC_CV_SHAPES_H */
