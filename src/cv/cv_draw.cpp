// cv_draw.cpp - drawing primitives for the overlay video and report thumbnails (cv_draw.h).
//
// The caller's RGB24 buffer is wrapped in a cv::Mat header (no copy). OpenCV draws in whatever
// channel order the buffer has, so colours are passed as (r, g, b). Sub-pixel coordinates use
// OpenCV's fixed-point `shift` argument (4 bits = 1/16 px), which keeps slow joint motion from
// snapping between whole pixels in the video.
extern "C" {
#include "core/core.h"
}
#include "cv/cv_draw.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace
{

constexpr int kShift = 4;
constexpr double kOne = 1 << kShift;

inline cv::Mat wrap(const cv_canvas *c)
{
    return cv::Mat(c->height_px, c->width_px, CV_8UC3, c->rgb, (size_t)c->stride);
}

inline bool ok(const cv_canvas *c)
{
    return c && c->rgb && c->width_px > 0 && c->height_px > 0 && c->stride >= c->width_px * 3;
}

inline cv::Scalar colour(cv_rgb col)
{
    return cv::Scalar(col.r, col.g, col.b);
}

inline bool finite2(double x, double y)
{
    // Coordinates far outside the image would overflow the fixed-point rasteriser.
    return std::isfinite(x) && std::isfinite(y) && std::fabs(x) < 1e6 && std::fabs(y) < 1e6;
}

inline cv::Point fix(double x, double y)
{
    return cv::Point((int)std::lround(x * kOne), (int)std::lround(y * kOne));
}

// Copies up to CV_DRAW_MAX_POINTS finite points into pts; returns the count.
int gather(const float *xy, int n, cv::Point *pts)
{
    int k = 0;
    for (int i = 0; i < n && i < CV_DRAW_MAX_POINTS; i++)
        if (finite2(xy[2 * i], xy[2 * i + 1]))
            pts[k++] = fix(xy[2 * i], xy[2 * i + 1]);
    return k;
}

// Hershey simplex: the font OpenCV always has, legible down to ~10 px.
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

double font_scale(double height_px, int thickness)
{
    const double s = cv::getFontScaleFromHeight(kFont, (int)std::lround(height_px), thickness);
    return s > 0.05 ? s : 0.05;
}

// Text limited to printable ASCII (the Hershey font has nothing else), in a fixed buffer.
void ascii(const char *text, char *buf, size_t n)
{
    size_t i = 0;
    for (; text && text[i] && i + 1 < n; i++) {
        const unsigned char ch = (unsigned char)text[i];
        buf[i] = ch >= 32 && ch < 127 ? (char)ch : '?';
    }
    buf[i] = '\0';
}

} // namespace

extern "C" void cv_draw_line(const struct cv_canvas *c, double x0, double y0, double x1, double y1,
                             struct cv_rgb col, int thickness)
{
    if (!ok(c) || !finite2(x0, y0) || !finite2(x1, y1))
        return;
    cv::Mat m = wrap(c);
    cv::line(m, fix(x0, y0), fix(x1, y1), colour(col), thickness < 1 ? 1 : thickness, cv::LINE_AA,
             kShift);
}

extern "C" void cv_draw_circle(const struct cv_canvas *c, double cx, double cy, double radius,
                               struct cv_rgb col, int thickness)
{
    if (!ok(c) || !finite2(cx, cy) || !(radius > 0) || radius > 1e5)
        return;
    cv::Mat m = wrap(c);
    cv::circle(m, fix(cx, cy), (int)std::lround(radius * kOne), colour(col),
               thickness < 0 ? cv::FILLED : thickness, cv::LINE_AA, kShift);
}

extern "C" void cv_draw_polyline(const struct cv_canvas *c, const float *xy, int n, int closed,
                                 struct cv_rgb col, int thickness)
{
    if (!ok(c) || !xy || n < 2)
        return;
    cv::Point pts[CV_DRAW_MAX_POINTS];
    const int k = gather(xy, n, pts);
    if (k < 2)
        return;
    const cv::Point *pp = pts;
    cv::Mat m = wrap(c);
    cv::polylines(m, &pp, &k, 1, closed != 0, colour(col), thickness < 1 ? 1 : thickness,
                  cv::LINE_AA, kShift);
}

extern "C" void cv_draw_rect_blend(const struct cv_canvas *c, int x0, int y0, int x1, int y1,
                                   struct cv_rgb col, double alpha)
{
    if (!ok(c) || !(alpha > 0))
        return;
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > c->width_px)
        x1 = c->width_px;
    if (y1 > c->height_px)
        y1 = c->height_px;
    if (x1 <= x0 || y1 <= y0)
        return;
    const int w = alpha >= 1.0 ? 256 : (int)std::lround(alpha * 256.0);
    for (int y = y0; y < y1; y++) {
        uint8_t *p = c->rgb + (size_t)y * c->stride + (size_t)x0 * 3;
        for (int x = x0; x < x1; x++, p += 3) {
            p[0] = (uint8_t)((p[0] * (256 - w) + col.r * w) >> 8);
            p[1] = (uint8_t)((p[1] * (256 - w) + col.g * w) >> 8);
            p[2] = (uint8_t)((p[2] * (256 - w) + col.b * w) >> 8);
        }
    }
}

extern "C" void cv_draw_text(const struct cv_canvas *c, const char *text, double x, double y,
                             double height_px, struct cv_rgb col, int thickness)
{
    if (!ok(c) || !text || !finite2(x, y) || !(height_px > 1))
        return;
    char buf[256];
    ascii(text, buf, sizeof buf);
    const int th = thickness < 1 ? 1 : thickness;
    cv::Mat m = wrap(c);
    cv::putText(m, buf, cv::Point((int)std::lround(x), (int)std::lround(y)), kFont,
                font_scale(height_px, th), colour(col), th, cv::LINE_AA);
}

extern "C" void cv_text_size(const char *text, double height_px, int thickness, int *width_px,
                             int *height_above_px, int *baseline_px)
{
    char buf[256];
    ascii(text ? text : "", buf, sizeof buf);
    const int th = thickness < 1 ? 1 : thickness;
    int base = 0;
    const cv::Size s =
        cv::getTextSize(buf, kFont, font_scale(height_px > 1 ? height_px : 2, th), th, &base);
    if (width_px)
        *width_px = s.width;
    if (height_above_px)
        *height_above_px = s.height;
    if (baseline_px)
        *baseline_px = base;
}

extern "C" void cv_resize_rgb(const uint8_t *src, int src_w, int src_h, int src_stride,
                              uint8_t *dst, int dst_w, int dst_h, int dst_stride)
{
    if (!src || !dst || src_w <= 0 || src_h <= 0 || dst_w <= 0 || dst_h <= 0)
        return;
    const cv::Mat s(src_h, src_w, CV_8UC3, const_cast<uint8_t *>(src), (size_t)src_stride);
    cv::Mat d(dst_h, dst_w, CV_8UC3, dst, (size_t)dst_stride);
    // INTER_AREA when shrinking: averages the covered pixels, no aliasing in thumbnails.
    cv::resize(s, d, d.size(), 0, 0,
               dst_w < src_w && dst_h < src_h ? cv::INTER_AREA : cv::INTER_LINEAR);
}
