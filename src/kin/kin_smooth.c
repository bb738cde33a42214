/* kin_smooth.c - zero-phase Savitzky-Golay smoothing and the mask spine contour.
 *
 * Analysis is offline, so the smoother is centred: a local polynomial fitted on both sides of
 * each sample has no lag, and a quadratic follows the turnaround at the bottom of a rep instead
 * of flattening it as a moving average or a causal filter would (Savitzky & Golay 1964). Fitting
 * on real timestamps copes with variable frame rates and skipped frames. */
#include "kin/kin.h"

#include "cv/cv.h"

#include <math.h>

/* Solves the (order+1)^2 normal equations by Gaussian elimination with partial pivoting.
 * Returns 0 when singular. */
static int solve(double a[4][5], int n, double *x)
{
    for (int c = 0; c < n; c++) {
        int piv = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c]))
                piv = r;
        if (fabs(a[piv][c]) < 1e-12)
            return 0;
        if (piv != c)
            for (int k = 0; k <= n; k++) {
                double tmp = a[c][k];
                a[c][k] = a[piv][k];
                a[piv][k] = tmp;
            }
        for (int r = c + 1; r < n; r++) {
            double m = a[r][c] / a[c][c];
            for (int k = c; k <= n; k++)
                a[r][k] -= m * a[c][k];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        double s = a[r][n];
        for (int k = r + 1; k < n; k++)
            s -= a[r][k] * x[k];
        x[r] = s / a[r][r];
    }
    return 1;
}

void kin_smooth_sg(const double *t_s, const double *y, size_t n, double window_s, int order,
                   double *y_out, double *deriv)
{
    if (order < 1)
        order = 1;
    if (order > 3)
        order = 3;
    const int m = order + 1;
    const double half = 0.5 * window_s;
    size_t lo = 0;
    for (size_t i = 0; i < n; i++) {
        y_out[i] = NAN;
        if (deriv)
            deriv[i] = NAN;
        if (!isfinite(y[i]) || !isfinite(t_s[i]))
            continue;
        while (lo < i && t_s[lo] < t_s[i] - half)
            lo++;
        /* normal equations of sum_j (sum_k c_k dt^k - y_j)^2, dt scaled to the window */
        double a[4][5] = {{0}};
        double scale = half > 0 ? half : 1.0;
        int cnt = 0;
        for (size_t j = lo; j < n && t_s[j] <= t_s[i] + half; j++) {
            if (!isfinite(y[j]))
                continue;
            double dt = (t_s[j] - t_s[i]) / scale, pw[7];
            pw[0] = 1.0;
            for (int k = 1; k < 7; k++)
                pw[k] = pw[k - 1] * dt;
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < m; c++)
                    a[r][c] += pw[r + c];
                a[r][m] += pw[r] * y[j];
            }
            cnt++;
        }
        double coef[4];
        if (cnt >= m + 1 && solve(a, m, coef)) {
            y_out[i] = coef[0];
            if (deriv)
                deriv[i] = coef[1] / scale;
        } else if (cnt >= 1) {
            y_out[i] = y[i]; /* too few neighbours to fit: keep the sample, slope unknown */
        }
    }
}

/* Is mask pixel (x, y) (mask coordinates) the person? Outside the mask = background. */
static int inside(const struct kin_mask *m, double x, double y)
{
    long xi = lround(x), yi = lround(y);
    if (xi < 0 || yi < 0 || xi >= m->width_px || yi >= m->height_px)
        return 0;
    if (m->warp)
        return cv_warp_float_at(m->data, m->src_w, m->src_h, m->warp, (int)xi, (int)yi) >= 0.5f;
    size_t stride = m->stride ? m->stride : (size_t)m->width_px;
    size_t k = (size_t)yi * stride + (size_t)xi;
    if (m->is_float)
        return ((const float *)m->data)[k] >= 0.5f;
    return ((const uint8_t *)m->data)[k] >= 128;
}

double kin_spine_from_mask(const struct kin_mask *mask, int width_px, int height_px, double hip_x,
                           double hip_y, double sh_x, double sh_y, double back_x, double back_y)
{
    if (!mask || !mask->data || mask->width_px <= 0 || mask->height_px <= 0 || width_px <= 0 ||
        height_px <= 0)
        return NAN;
    const double sx = (double)mask->width_px / width_px, sy = (double)mask->height_px / height_px;
    const double chord = hypot(sh_x - hip_x, sh_y - hip_y);
    if (!(chord > 4.0))
        return NAN;
    /* Sample the back surface at 20 stations from 20% to 90% of the way hip -> shoulder: below
     * 20% the glutes bulge behind the hip, above 90% the neck starts. */
    enum { K = 20 };
    double d[K + 1];
    int valid = 0;
    const double step = 0.5; /* px in frame coordinates */
    const double max_d = 0.6 * chord; /* a trunk is never thicker than 60% of its length */
    for (int k = 0; k <= K; k++) {
        double t = 0.2 + 0.7 * k / K;
        double cx = hip_x + (sh_x - hip_x) * t, cy = hip_y + (sh_y - hip_y) * t;
        d[k] = NAN;
        if (!inside(mask, cx * sx, cy * sy))
            continue;
        for (double s = step; s <= max_d; s += step) {
            if (!inside(mask, (cx + back_x * s) * sx, (cy + back_y * s) * sy)) {
                d[k] = s;
                break;
            }
        }
        valid += isfinite(d[k]) != 0;
    }
    if (valid < (K + 1) * 6 / 10 || !isfinite(d[0]) || !isfinite(d[K]))
        return NAN;
    /* The back surface lies 0.2-0.45 of the hip-shoulder chord behind it: 0.2 on anatomy
     * (sacrum and scapulae 8-12 cm behind the joint centres on a 50 cm trunk, Winter), up to
     * 0.45 on MediaPipe's masks and landmarks of the 'Bad' barbell deadlift in ../shared (a
     * soft mask edge, clothing, landmarks inside the body). Beyond 0.55 the mask has something
     * on the back (a bar and plates, an arm, a bag): not a back contour, unmeasurable. */
    for (int k = 0; k <= K; k++)
        if (isfinite(d[k]) && d[k] > 0.55 * chord)
            return NAN;
    /* deviation from the straight line between the contour's two ends */
    double best = 0.0;
    for (int k = 1; k < K; k++) {
        if (!isfinite(d[k]))
            continue;
        double dev = d[k] - (d[0] + (d[K] - d[0]) * k / K);
        if (fabs(dev) > fabs(best))
            best = dev;
    }
    return best / chord;
}
