// cv_shapes.cpp - grey crops and ellipse fits for the implement stage
// (cv_shapes.h).
//
// Buffers are wrapped in cv::Mat headers; the only copies are the crop's grey conversion (the
// part of the rectangle inside the frame) and its border.
extern "C" {
#include "core/core.h"
}
#include "cv/cv_shapes.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

extern "C" enum hc_status cv_grey_crop(const uint8_t *rgb, int w, int h, int stride, int x0,
                                       int y0, int src_w, int src_h, double blur_sigma,
                                       uint8_t *dst, int dst_w, int dst_h)
{
    if (!rgb || !dst || w <= 0 || h <= 0 || stride < 3 * w || src_w <= 0 || src_h <= 0 ||
        dst_w <= 0 || dst_h <= 0)
        return HC_ERR_INVALID_ARG;
    const int ix0 = std::max(x0, 0), iy0 = std::max(y0, 0);
    const int ix1 = std::min(x0 + src_w, w), iy1 = std::min(y0 + src_h, h);
    if (ix1 <= ix0 || iy1 <= iy0)
        return HC_ERR_INVALID_ARG;
    try {
        const cv::Mat frame(h, w, CV_8UC3, const_cast<uint8_t *>(rgb), (size_t)stride);
        cv::Mat inside;
        cv::cvtColor(frame(cv::Rect(ix0, iy0, ix1 - ix0, iy1 - iy0)), inside, cv::COLOR_RGB2GRAY);
        cv::Mat whole;
        cv::copyMakeBorder(inside, whole, iy0 - y0, y0 + src_h - iy1, ix0 - x0, x0 + src_w - ix1,
                           cv::BORDER_REPLICATE);
        cv::Mat out(dst_h, dst_w, CV_8UC1, dst, (size_t)dst_w);
        cv::resize(whole, out, cv::Size(dst_w, dst_h), 0, 0, cv::INTER_AREA);
        if (blur_sigma > 0)
            cv::GaussianBlur(out, out, cv::Size(0, 0), blur_sigma, blur_sigma,
                             cv::BORDER_REPLICATE);
    } catch (const cv::Exception &) {
        return HC_ERR_INTERNAL;
    }
    return HC_OK;
}

extern "C" int cv_fit_ellipse(const float *xy, int n, double out[5])
{
    if (!xy || !out || n < 5)
        return -1;
    std::vector<cv::Point2f> pts;
    pts.reserve((size_t)n);
    for (int i = 0; i < n; i++) {
        if (!std::isfinite(xy[2 * i]) || !std::isfinite(xy[2 * i + 1]))
            return -1;
        pts.emplace_back(xy[2 * i], xy[2 * i + 1]);
    }
    try {
        const cv::RotatedRect e = cv::fitEllipse(pts);
        if (!std::isfinite(e.size.width) || !std::isfinite(e.size.height))
            return -1;
        out[0] = e.center.x;
        out[1] = e.center.y;
        out[2] = e.size.width / 2.0;
        out[3] = e.size.height / 2.0;
        out[4] = e.angle;
    } catch (const cv::Exception &) {
        return -1;
    }
    return 0;
}
