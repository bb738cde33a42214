// cv_warp.cpp - affine warps for model inputs (RGB24 -> float tensor) and for masks (float ->
// float), behind the C interface of cv.h.
//
// The RGB warp is written out rather than done with cv::warpAffine: OpenCV would warp the 8-bit
// image into an 8-bit result (rounding every sample to a whole level, as MediaPipe's CPU
// converter does) and quantises sub-pixel positions to 1/32; sampling straight into floats is
// what MediaPipe's GPU converter - the one the reference runtime used - computes, and at 256 x 256
// it is no slower. The mask warp, which can be as large as the frame (4K), uses cv::warpAffine.
// core.h declares C functions without extern "C" of its own.
extern "C" {
#include "core/core.h"
}
#include "cv/cv.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace {

inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

#if defined(__SSE2__)
// Four bytes (one RGB pixel and the next pixel's R) as four floats.
inline __m128 load4(const uint8_t *p)
{
    int32_t v;
    std::memcpy(&v, p, 4);
    const __m128i z = _mm_setzero_si128();
    const __m128i b = _mm_unpacklo_epi8(_mm_cvtsi32_si128(v), z);
    return _mm_cvtepi32_ps(_mm_unpacklo_epi16(b, z));
}
#endif

// OpenCV samples dst pixel (x, y) at M (x, y) in index coordinates: the half-pixel shifts of
// cv.h's convention folded into the translation (cv_warp_float and cv_warp_float_at must agree
// to the bit).
inline void cv_index_matrix(const double m[6], double M[6])
{
    M[0] = m[0];
    M[1] = m[1];
    M[2] = m[2] + 0.5 * (m[0] + m[1]) - 0.5;
    M[3] = m[3];
    M[4] = m[4];
    M[5] = m[5] + 0.5 * (m[3] + m[4]) - 0.5;
}

}  // namespace

// The RGB warp prefetches its source rows this many rows ahead: the fastest distance measured
// (docs/PERFORMANCE.md, "Decoder and warps").
enum { PREFETCH_ROWS = 8 };

extern "C" enum hc_status cv_warp_rgb_to_float(const uint8_t *src, int src_w, int src_h,
                                               int stride, const double m[6], float *dst,
                                               int dst_w, int dst_h, enum cv_border border,
                                               float scale, float offset)
{
    if (!src || !dst || !m || src_w <= 0 || src_h <= 0 || dst_w <= 0 || dst_h <= 0 ||
        stride < src_w * 3)
        return hc_fail(HC_ERR_INVALID_ARG, "cv_warp_rgb_to_float: bad image sizes");
    const bool zero = border == CV_BORDER_ZERO;
    for (int y = 0; y < dst_h; y++) {
        // The source rows PREFETCH_ROWS destination rows ahead, a prefetch per 4 samples (4
        // samples step under a cache line at the scales a region of interest takes): the warp
        // reads a frame the decoder thread wrote on the other core, and a rotated region walks
        // across its rows where the hardware prefetcher does not follow.
        if (y + PREFETCH_ROWS < dst_h) {
            const double vp = y + PREFETCH_ROWS + 0.5;
            double px = m[0] * 0.5 + m[1] * vp + m[2] - 0.5;
            double py = m[3] * 0.5 + m[4] * vp + m[5] - 0.5;
            for (int x = 0; x < dst_w; x += 4, px += 4 * m[0], py += 4 * m[3]) {
                const int ix = (int)px, iy = (int)py;
                if (ix >= 0 && iy >= 0 && ix + 1 < src_w && iy + 1 < src_h) {
                    const uint8_t *q = src + (size_t)iy * stride + (size_t)ix * 3;
                    __builtin_prefetch(q);
                    __builtin_prefetch(q + stride);
                }
            }
        }
        const double v = y + 0.5;
        // Source position of the destination pixel centre, in index coordinates (centre of
        // pixel j at j), hence the -0.5.
        double sx = m[0] * 0.5 + m[1] * v + m[2] - 0.5;
        double sy = m[3] * 0.5 + m[4] * v + m[5] - 0.5;
        float *out = dst + (size_t)y * dst_w * 3;
        for (int x = 0; x < dst_w; x++, sx += m[0], sy += m[3]) {
            // floor() by truncation and a correction: the same integers, and no libm-style
            // rounding sequence per sample.
            const int tx = (int)sx, ty = (int)sy;
            const int x0 = tx - (sx < (double)tx), y0 = ty - (sy < (double)ty);
            const double fx0 = (double)x0, fy0 = (double)y0;
            const float ax = (float)(sx - fx0), ay = (float)(sy - fy0);
            if (x0 >= 0 && y0 >= 0 && x0 + 1 < src_w && y0 + 1 < src_h) {
                // All four taps inside: the common case, without per-tap border tests.
                const uint8_t *p0 = src + (size_t)y0 * stride + (size_t)x0 * 3;
                const uint8_t *p1 = p0 + stride;
                const float w00 = (1.0f - ax) * (1.0f - ay), w01 = ax * (1.0f - ay);
                const float w10 = (1.0f - ax) * ay, w11 = ax * ay;
#if defined(__SSE2__)
                // The three channels at once, with the scalar loop's operations in its order
                // (each lane is IEEE single precision as the scalar code is: same bits), about
                // twice as fast. The 4-byte loads read one byte past the right tap and the
                // 4-float store one float past the pixel: only where both stay inside.
                if (x0 + 2 < src_w && (x + 1 < dst_w || y + 1 < dst_h)) {
                    __m128 acc = _mm_add_ps(_mm_mul_ps(_mm_set1_ps(w00), load4(p0)),
                                            _mm_mul_ps(_mm_set1_ps(w01), load4(p0 + 3)));
                    acc = _mm_add_ps(acc, _mm_mul_ps(_mm_set1_ps(w10), load4(p1)));
                    acc = _mm_add_ps(acc, _mm_mul_ps(_mm_set1_ps(w11), load4(p1 + 3)));
                    acc = _mm_add_ps(_mm_mul_ps(acc, _mm_set1_ps(scale)), _mm_set1_ps(offset));
                    _mm_storeu_ps(out + x * 3, acc);
                    continue;
                }
#endif
                for (int c = 0; c < 3; c++)
                    out[x * 3 + c] = (w00 * p0[c] + w01 * p0[3 + c] + w10 * p1[c] +
                                      w11 * p1[3 + c]) * scale + offset;
                continue;
            }
            float acc[3] = {0.0f, 0.0f, 0.0f};
            const int xs[2] = {x0, x0 + 1}, ys[2] = {y0, y0 + 1};
            const float wx[2] = {1.0f - ax, ax}, wy[2] = {1.0f - ay, ay};
            for (int j = 0; j < 2; j++) {
                int yy = ys[j];
                if (yy < 0 || yy >= src_h) {
                    if (zero)
                        continue;
                    yy = clampi(yy, 0, src_h - 1);
                }
                const uint8_t *row = src + (size_t)yy * stride;
                for (int i = 0; i < 2; i++) {
                    int xx = xs[i];
                    if (xx < 0 || xx >= src_w) {
                        if (zero)
                            continue;
                        xx = clampi(xx, 0, src_w - 1);
                    }
                    const float w = wx[i] * wy[j];
                    const uint8_t *p = row + (size_t)xx * 3;
                    acc[0] += w * p[0];
                    acc[1] += w * p[1];
                    acc[2] += w * p[2];
                }
            }
            out[x * 3 + 0] = acc[0] * scale + offset;
            out[x * 3 + 1] = acc[1] * scale + offset;
            out[x * 3 + 2] = acc[2] * scale + offset;
        }
    }
    return HC_OK;
}

extern "C" enum hc_status cv_warp_float(const float *src, int src_w, int src_h, const double m[6],
                                        float *dst, int dst_w, int dst_h, enum cv_border border)
{
    if (!src || !dst || !m || src_w <= 0 || src_h <= 0 || dst_w <= 0 || dst_h <= 0)
        return hc_fail(HC_ERR_INVALID_ARG, "cv_warp_float: bad image sizes");
    try {
        const cv::Mat in(src_h, src_w, CV_32FC1, const_cast<float *>(src));
        cv::Mat out(dst_h, dst_w, CV_32FC1, dst);
        double q[6];
        cv_index_matrix(m, q);
        const cv::Matx23d M(q[0], q[1], q[2], q[3], q[4], q[5]);
        cv::warpAffine(in, out, M, out.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                       border == CV_BORDER_ZERO ? cv::BORDER_CONSTANT : cv::BORDER_REPLICATE,
                       cv::Scalar(0));
    } catch (const cv::Exception &e) {
        return hc_fail(HC_ERR_INTERNAL, "cv_warp_float: OpenCV failed (%s); please report it",
                       e.what());
    }
    return HC_OK;
}

// OpenCV 4.6's warpAffine for one float channel, INTER_LINEAR, BORDER_CONSTANT 0 (imgwarp.cpp:
// hal::warpAffine, WarpAffineInvoker, warpAffineBlockline, remapBilinear), for one pixel: the
// source position in fixed point (AB_BITS = 10, then INTER_BITS = 5 fractional bits, rounded
// with cvRound = lrint), the float weight table of 1/32 steps, taps outside the source read 0,
// and the four products summed left to right in float.
extern "C" float cv_warp_float_at(const float *src, int src_w, int src_h, const double m[6], int x,
                                  int y)
{
    enum { AB_BITS = 10, AB_SCALE = 1 << AB_BITS, INTER_BITS = 5, TAB = 1 << INTER_BITS };
    const int round_delta = AB_SCALE / TAB / 2;
    double M[6];
    cv_index_matrix(m, M);
    const int adelta = (int)std::lrint(M[0] * x * AB_SCALE);
    const int bdelta = (int)std::lrint(M[3] * x * AB_SCALE);
    const int X0 = (int)std::lrint((M[1] * y + M[2]) * AB_SCALE) + round_delta;
    const int Y0 = (int)std::lrint((M[4] * y + M[5]) * AB_SCALE) + round_delta;
    const int X = (X0 + adelta) >> (AB_BITS - INTER_BITS);
    const int Y = (Y0 + bdelta) >> (AB_BITS - INTER_BITS);
    // saturate_cast<short> of the integer position, as the 16SC2 map holds it
    const int sx = clampi(X >> INTER_BITS, -32768, 32767);
    const int sy = clampi(Y >> INTER_BITS, -32768, 32767);
    const float fx = (float)(X & (TAB - 1)) * 1.f / TAB, fy = (float)(Y & (TAB - 1)) * 1.f / TAB;
    const float vx[2] = {1.f - fx, fx}, vy[2] = {1.f - fy, fy};
    float v[4];
    for (int k = 0; k < 4; k++) {
        const int xx = sx + (k & 1), yy = sy + (k >> 1);
        v[k] = xx >= 0 && yy >= 0 && xx < src_w && yy < src_h
                   ? src[(size_t)yy * (size_t)src_w + (size_t)xx]
                   : 0.f;
    }
    const float w0 = vy[0] * vx[0], w1 = vy[0] * vx[1], w2 = vy[1] * vx[0], w3 = vy[1] * vx[1];
    // OpenCV's expression, v0 w0 + v1 w1 + v2 w2 + v3 w3, in float; its library is built for the
    // x86-64 baseline (no fused multiply-add): the volatile products keep a build of this file
    // with -march=native from fusing them.
    volatile float p[4] = {v[0] * w0, v[1] * w1, v[2] * w2, v[3] * w3};
    const float acc = p[0] + p[1] + p[2] + p[3];
    return acc;
}

extern "C" int cv_affine_invert(const double m[6], double inv[6])
{
    const double det = m[0] * m[4] - m[1] * m[3];
    if (!(std::fabs(det) > 1e-12))
        return -1;
    inv[0] = m[4] / det;
    inv[1] = -m[1] / det;
    inv[3] = -m[3] / det;
    inv[4] = m[0] / det;
    inv[2] = -(inv[0] * m[2] + inv[1] * m[5]);
    inv[5] = -(inv[3] * m[2] + inv[4] * m[5]);
    return 0;
}
