/*
 * cv_draw.h - drawing on RGB24 images in place (overlay video, report thumbnails), behind a C
 * interface over OpenCV imgproc. No GUI, no image codecs: text uses OpenCV's built-in Hershey
 * vector font.
 *
 *     struct cv_canvas c = {rgb, width_px, height_px, stride};
 *     const struct cv_rgb red = {230, 40, 40};
 *     cv_draw_line(&c, 10, 10, 200, 120, red, 3);
 *     cv_draw_circle(&c, 200, 120, 6, red, -1);             // -1: filled
 *     cv_draw_rect_blend(&c, 0, 0, 300, 40, (struct cv_rgb){0, 0, 0}, 0.5);
 *     cv_draw_text(&c, "rep 2", 8, 30, 24, (struct cv_rgb){255, 255, 255}, 2);
 *
 * Coordinates are pixels with sub-pixel precision (x right, y down; pixel j covers [j, j+1)).
 * Everything is clipped to the image; lines and circles are antialiased. Nothing allocates per
 * call beyond what OpenCV's rasteriser needs internally.
 */
#ifndef HC_CV_DRAW_H
#define HC_CV_DRAW_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cv_canvas {
    uint8_t *rgb; /* RGB24, rows `stride` bytes apart */
    int width_px, height_px;
    int stride;
};

struct cv_rgb {
    uint8_t r, g, b;
};

/* thickness in pixels (>= 1). */
void cv_draw_line(const struct cv_canvas *c, double x0, double y0, double x1, double y1,
                  struct cv_rgb col, int thickness);
/* thickness < 0 fills the disc. */
void cv_draw_circle(const struct cv_canvas *c, double cx, double cy, double radius,
                    struct cv_rgb col, int thickness);
/* n points xy[2 * i], xy[2 * i + 1] (at most CV_DRAW_MAX_POINTS; more are ignored). */
#define CV_DRAW_MAX_POINTS 512
void cv_draw_polyline(const struct cv_canvas *c, const float *xy, int n, int closed,
                      struct cv_rgb col, int thickness);
/* The filled rectangle [x0, x1) x [y0, y1) blended with alpha (0..1). */
void cv_draw_rect_blend(const struct cv_canvas *c, int x0, int y0, int x1, int y1,
                        struct cv_rgb col, double alpha);
/* Text with its baseline's left end at (x, y); height_px = cap height of the font. Only ASCII is
 * drawn (other bytes show as '?'). */
void cv_draw_text(const struct cv_canvas *c, const char *text, double x, double y, double height_px,
                  struct cv_rgb col, int thickness);
/* Size of cv_draw_text's output: width and height above the baseline, and the depth below it. */
void cv_text_size(const char *text, double height_px, int thickness, int *width_px,
                  int *height_above_px, int *baseline_px);

/* Resize an RGB24 image (thumbnails): area average when shrinking, else bilinear. dst must hold
 * dst_h rows of dst_stride bytes. */
void cv_resize_rgb(const uint8_t *src, int src_w, int src_h, int src_stride, uint8_t *dst,
                   int dst_w, int dst_h, int dst_stride);

#ifdef __cplusplus
}
#endif
#endif /* HC_CV_DRAW_H */
