/* rules_unc.c - the uncertainty of every per-rep rules metric (docs/RULES.md, "Uncertainty and
 * decision bands").
 *
 * A metric is read from a kin series over a phase of the rep; its uncertainty (one standard
 * uncertainty, in the metric's unit) is the root-sum-square of four components, then widened
 * for a metric seen on part of its frames:
 *
 *   noise  landmark noise over the frames read: the raw series' frame-to-frame scatter, as much
 *          of it as survives the smoother at the frame rate of the clip;
 *   rate   the frame rate: how much the smoothed series changes over one frame interval at the
 *          frame the statistic was read at (a peak sampled at 15 fps can fall between frames);
 *   size   the lifter's size in pixels: a fixed landmark pixel error converted to degrees
 *          through the segment lengths in pixels, or to cm through the image scale;
 *   view   a camera off side-on foreshortens the sagittal plane; world landmarks (oblique and
 *          front views) are a model's 3-D guess and take a larger share;
 *   level  an angle read against the image's vertical (the trunk's and the shin's inclination)
 *          moves with the camera's roll, which the image does not show.
 *
 * The rules decide with it (rules.c): a finding needs the value past its limit by more than the
 * uncertainty, a value within it of a limit is borderline. */
#include "rules/rules.h"

#include <math.h>
#include <stdlib.h>

#define UNC_PI 3.14159265358979323846
#define UNC_SQRT2 1.41421356237309504880

/* The landmark pixel error of the size component. On the demo clip's track (1280x720, MediaPipe
 * smoothing on) the frame-to-frame scatter of the shoulder, hip, knee and ankle landmarks is
 * 0.1-1.5 px RMS (the ankle the most); a landmark also sits off the joint centre by an amount
 * that drifts as the limb turns. 1.5 px takes the top of that scatter as the error of one
 * landmark: three times the +-0.5 px perturbation of the stability check
 * (bench/run-stability-check.sh), and ~1 deg on a 720p side view. */
#define UNC_LANDMARK_PX 1.5

/* Segment lengths of an adult of 1.75 m (Winter, "Biomechanics and Motor Control of Human
 * Movement", segment lengths as fractions of stature: thigh 0.245, leg 0.246, greater
 * trochanter to shoulder 0.288, shoulder to ear ~0.11), cm. Divided by the clip's image scale
 * (kin: cm per px from the world leg length) they give the segments' lengths in pixels. */
#define SEG_THIGH_CM 43.0
#define SEG_SHANK_CM 43.0
#define SEG_TRUNK_CM 50.0
#define SEG_NECK_CM 19.0
/* frontal widths (Winter's breadths, joint centres): hip joints 0.1 H apart, shoulder joints
 * 0.2 H; the foot 0.152 H long */
#define SEG_HIPS_CM 17.5
#define SEG_SHOULDERS_CM 35.0
#define SEG_FOOT_CM 26.6

/* The kin smoother's window (kin_default_params: Savitzky-Golay, 0.2 s, order 2, widened to
 * order + 2.5 frame intervals at low frame rates): how many frames it averages decides how much
 * of the per-frame noise a smoothed value keeps. */
#define SMOOTH_WINDOW_S 0.2
#define SMOOTH_ORDER 2

/* The smoother's window at frame interval dt (kin_series.c). */
static double smooth_window(double dt)
{
    const double need = (SMOOTH_ORDER + 2.5) * dt;
    return need > SMOOTH_WINDOW_S ? need : SMOOTH_WINDOW_S;
}

/* World landmarks' share of the metric's excursion (one sigma). A correct real kettlebell
 * deadlift set reads its bar distance about a third larger from a front-oblique camera (world
 * landmarks) than side-on (rules_evaluate, on oblique views): 15% of the excursion as one
 * sigma. */
#define UNC_WORLD_SHARE 0.15

/* The camera's roll, one sigma (deg): a phone propped on a bench or held by hand is rarely
 * levelled better than a couple of degrees, and an angle against the image's vertical moves by
 * all of it (relative angles, hip and knee, not at all). The standing trunk of lifters labelled
 * good reads 90-101 deg at lockout across real side-view deadlift clips; part of that spread is
 * the cameras' roll. */
#define UNC_LEVEL_DEG 2.0

/* Below this metric confidence the widening stops growing (at most x2). */
#define UNC_CONF_FLOOR 0.25

enum unc_kind { K_ANGLE, K_CM, K_CM_VERTICAL, K_FRACTION, K_TIME, K_OTHER, K_RATIO };
enum unc_read { R_PEAK, R_MEAN, R_DIFF };
enum unc_span { S_BOTTOM, S_LOWERING, S_RISING, S_LOCKOUT, S_LOADED, S_MOVING, S_WHOLE };

/* What each rules metric reads (rules.c, rules_measure_rep_src): its kin series (km2 >= 0: the
 * smaller of two, per frame), the frames, how the frames make the value, the segments whose
 * pixel length turns landmark pixels into degrees, and the pose the view's foreshortening is
 * measured from (NaN: the metric's own value is its excursion). */
static const struct {
    int km, km2;
    enum unc_span span;
    enum unc_read read;
    enum unc_kind kind;
    double seg1_cm, seg2_cm;
    double neutral;
    int frontal; /* a frontal measure: the view component is the camera's turn off front-on */
} spec[RM_N_METRICS] = {
    [RM_HIP_ANGLE_BOTTOM] = {KIN_HIP_ANGLE, -1, S_BOTTOM, R_PEAK, K_ANGLE, SEG_TRUNK_CM,
                             SEG_THIGH_CM, 180.0},
    [RM_KNEE_FLEXION_BOTTOM] = {KIN_KNEE_FLEXION, -1, S_BOTTOM, R_MEAN, K_ANGLE, SEG_THIGH_CM,
                                SEG_SHANK_CM, 0.0},
    [RM_KNEE_FLEXION_RANGE] = {KIN_KNEE_FLEXION, -1, S_LOADED, R_DIFF, K_ANGLE, SEG_THIGH_CM,
                               SEG_SHANK_CM, NAN},
    [RM_KNEE_FORWARD_EARLY] = {KIN_SHIN_ANGLE, -1, S_LOWERING, R_DIFF, K_ANGLE, SEG_SHANK_CM, 0.0,
                               NAN},
    [RM_SHIN_ANGLE_BOTTOM] = {KIN_SHIN_ANGLE, -1, S_BOTTOM, R_PEAK, K_ANGLE, SEG_SHANK_CM, 0.0,
                              0.0},
    [RM_TORSO_INCLINATION_BOTTOM] = {KIN_TORSO_INCLINATION, -1, S_BOTTOM, R_PEAK, K_ANGLE,
                                     SEG_TRUNK_CM, 0.0, 90.0},
    [RM_SPINE_CURVATURE_MAX] = {KIN_SPINE_CURVATURE, -1, S_MOVING, R_PEAK, K_FRACTION, 0, 0, NAN},
    [RM_SPINE_CURVATURE_MIN] = {KIN_SPINE_CURVATURE, -1, S_WHOLE, R_PEAK, K_FRACTION, 0, 0, NAN},
    [RM_SPINE_CURVATURE_LOCKOUT] = {KIN_SPINE_CURVATURE, -1, S_LOCKOUT, R_MEAN, K_FRACTION, 0, 0,
                                    NAN},
    [RM_BAR_DISTANCE_MAX] = {KIN_BAR_MIDFOOT, -1, S_MOVING, R_PEAK, K_CM, 0, 0, NAN},
    [RM_BAR_LEG_MAX] = {KIN_BAR_LEG, -1, S_LOADED, R_PEAK, K_CM, 0, 0, NAN},
    [RM_HEEL_LIFT_MAX] = {KIN_HEEL_LIFT, -1, S_MOVING, R_PEAK, K_CM_VERTICAL, 0, 0, NAN},
    [RM_NECK_ANGLE_MAX] = {KIN_NECK_ANGLE, -1, S_LOADED, R_PEAK, K_ANGLE, SEG_TRUNK_CM,
                           SEG_NECK_CM, 0.0},
    [RM_LOWERING_S] = {KIN_HIP_ANGLE, -1, S_LOWERING, R_PEAK, K_TIME, 0, 0, NAN},
    [RM_BOTTOM_S] = {KIN_HIP_ANGLE, -1, S_BOTTOM, R_PEAK, K_TIME, 0, 0, NAN},
    [RM_RISING_S] = {KIN_HIP_ANGLE, -1, S_RISING, R_PEAK, K_TIME, 0, 0, NAN},
    [RM_LOWERING_PEAK_DPS] = {KIN_HIP_VELOCITY, -1, S_LOWERING, R_PEAK, K_OTHER, 0, 0, NAN},
    [RM_BOTTOM_DWELL_RATIO] = {KIN_HIP_ANGLE, -1, S_BOTTOM, R_PEAK, K_OTHER, 0, 0, NAN},
    [RM_HIP_ANGLE_LOCKOUT] = {KIN_HIP_ANGLE, -1, S_LOCKOUT, R_PEAK, K_ANGLE, SEG_TRUNK_CM,
                              SEG_THIGH_CM, 180.0},
    [RM_TORSO_INCLINATION_LOCKOUT] = {KIN_TORSO_INCLINATION, -1, S_LOCKOUT, R_PEAK, K_ANGLE,
                                      SEG_TRUNK_CM, 0.0, 90.0},
    [RM_TORSO_DROP_RISING] = {KIN_TORSO_INCLINATION, -1, S_RISING, R_DIFF, K_ANGLE, SEG_TRUNK_CM,
                              0.0, NAN},
    [RM_HIP_TRAVEL] = {KIN_HIP_MIDFOOT, -1, S_LOWERING, R_DIFF, K_CM, 0, 0, NAN},
    [RM_BAR_DRIFT] = {KIN_BAR_MIDFOOT, KIN_BAR_FRONT, S_MOVING, R_PEAK, K_CM, 0, 0, NAN},
    [RM_BOTTOM_ARRIVAL_RATIO] = {KIN_HIP_VELOCITY, -1, S_LOWERING, R_PEAK, K_OTHER, 0, 0, NAN},
    [RM_KNEE_FLEXION_MID] = {KIN_KNEE_FLEXION, -1, S_LOADED, R_MEAN, K_ANGLE, SEG_THIGH_CM,
                             SEG_SHANK_CM, 0.0},
    [RM_BAR_SPEED_RISING] = {KIN_BAR_VELOCITY, -1, S_RISING, R_MEAN, K_OTHER, 0, 0, NAN, 0},
    /* frontal: one side's series stands for both (the noise of the left knee, foot) */
    [RM_KNEE_VALGUS_MAX] = {KIN_KNEE_VALGUS_L, -1, S_MOVING, R_PEAK, K_ANGLE, SEG_THIGH_CM,
                            SEG_SHANK_CM, 0.0, 1},
    [RM_FOOT_ANGLE_MAX] = {KIN_FOOT_ANGLE_L, -1, S_LOADED, R_MEAN, K_ANGLE, SEG_FOOT_CM, 0.0, 0.0,
                           1},
    /* a ratio of two widths: both foreshorten alike, so the view moves it by its distance
     * from 1 */
    [RM_STANCE_HIP] = {KIN_STANCE_HIP, -1, S_LOADED, R_MEAN, K_RATIO, SEG_HIPS_CM, 0.0, 1.0, 1},
    [RM_STANCE_SHOULDER] = {KIN_STANCE_SHOULDER, -1, S_LOADED, R_MEAN, K_RATIO, SEG_SHOULDERS_CM,
                            0.0, 1.0, 1},
    [RM_HIP_SHIFT_MAX] = {KIN_HIP_SHIFT, -1, S_MOVING, R_PEAK, K_CM, 0, 0, NAN, 1},
    [RM_TRUNK_TWIST_MAX] = {KIN_TRUNK_TWIST, -1, S_MOVING, R_PEAK, K_ANGLE, SEG_SHOULDERS_CM, 0.0,
                            0.0, 1},
    /* single-leg: the standing knee as either knee; the pelvis's rise on the hip line; the free
     * leg's line on the trunk and the thigh */
    [RM_STANCE_KNEE_VALGUS_MAX] = {KIN_KNEE_VALGUS_L, -1, S_MOVING, R_PEAK, K_ANGLE, SEG_THIGH_CM,
                                   SEG_SHANK_CM, 0.0, 1},
    [RM_PELVIS_OPEN_MAX] = {KIN_PELVIS_OPEN, -1, S_MOVING, R_PEAK, K_ANGLE, SEG_HIPS_CM, 0.0, 0.0,
                            1},
    [RM_FREE_LEG_LINE_BOTTOM] = {KIN_FREE_LEG_LINE, -1, S_BOTTOM, R_MEAN, K_ANGLE, SEG_TRUNK_CM,
                                 SEG_THIGH_CM, 180.0},
};

/* Up to three frame spans of a rep (a floor-start rep's moving part is its rising and its
 * lowering, with the lockout between them). */
struct spans {
    int n;
    struct reps_span s[3];
};

static struct spans rep_spans(const struct reps_rep *rep, enum unc_span which)
{
    struct spans sp = {0};
    int ph[3] = {-1, -1, -1};
    switch (which) {
    case S_BOTTOM: ph[0] = REPS_BOTTOM; break;
    case S_LOWERING: ph[0] = REPS_LOWERING; break;
    case S_RISING: ph[0] = REPS_RISING; break;
    case S_LOCKOUT: ph[0] = REPS_LOCKOUT; break;
    case S_MOVING:
    case S_LOADED:
        /* a top-start rep moves over its whole loaded part */
        if (which == S_MOVING && rep->floor_start) {
            ph[0] = REPS_RISING;
            ph[1] = REPS_LOWERING;
            break;
        }
        ph[0] = REPS_LOWERING;
        ph[1] = REPS_BOTTOM;
        ph[2] = REPS_RISING;
        break;
    case S_WHOLE:
        sp.s[sp.n++] = (struct reps_span){(long)rep->i_start, (long)rep->i_end};
        return sp;
    }
    for (int k = 0; k < 3 && ph[k] >= 0; k++)
        if (rep->phase[ph[k]].i0 >= 0 && rep->phase[ph[k]].i1 >= rep->phase[ph[k]].i0)
            sp.s[sp.n++] = rep->phase[ph[k]];
    return sp;
}

/* The value of the metric's series at frame i, smoothed or raw (the smaller of two series for
 * the bar's drift); NaN when missing, not trusted, or the knee is a guess for a knee metric. */
static double series_at(const struct kin_series *ks, int km, int km2, long i, int raw)
{
    if (i < 0 || (size_t)i >= ks->n || ks->conf[km][i] <= 0.0f)
        return NAN;
    /* the spine: km2 = -2 - the source the metric was read from (mask or proxy: two scales,
     * docs/RULES.md); frames of the other source are not its neighbours */
    if (km2 <= -2) {
        if (ks->spine_src && ks->spine_src[i] != (uint8_t)(-2 - km2))
            return NAN;
        km2 = -1;
    }
    if (ks->knee_hidden && ks->knee_hidden[i] &&
        (km == KIN_HIP_ANGLE || km == KIN_KNEE_FLEXION || km == KIN_SHIN_ANGLE))
        return NAN;
    double v = raw ? ks->raw[km][i] : ks->value[km][i];
    if (km2 >= 0) {
        if (ks->conf[km2][i] <= 0.0f)
            return NAN;
        const double w = raw ? ks->raw[km2][i] : ks->value[km2][i];
        v = w < v ? w : v;
    }
    return v;
}

/* Share of the raw per-frame variance a smoothed value keeps: the variance gain at the centre
 * of a least-squares quadratic over n equally spaced samples, 3 (3n^2 - 7) / (4n (n^2 - 4))
 * (0.33 for 7 samples: 30 fps and a 0.2 s window; 0.49 for the 5 samples of 15 fps). The
 * smoother keeps a raw sample whose window holds fewer than order + 2 samples (kin_smooth_sg):
 * then all of it. */
static double smooth_gain(double dt)
{
    const double nw = dt > 0.0 ? floor(smooth_window(dt) / dt + 1e-9) + 1.0 : 1.0;
    if (nw < SMOOTH_ORDER + 2)
        return 1.0;
    const double g = 3.0 * (3.0 * nw * nw - 7.0) / (4.0 * nw * (nw * nw - 4.0));
    return g < 1.0 ? g : 1.0;
}

/* The median frame interval over the spans (s); NaN when fewer than two frames. */
static double span_dt(const struct kin_series *ks, const struct spans *sp)
{
    double d[64];
    size_t n = 0;
    for (int k = 0; k < sp->n; k++)
        for (long i = sp->s[k].i0 + 1; i <= sp->s[k].i1 && (size_t)i < ks->n && n < 64; i++)
            if (ks->t_s[i] > ks->t_s[i - 1])
                d[n++] = ks->t_s[i] - ks->t_s[i - 1];
    if (n == 0) {
        /* a span of one frame: the clip's frame interval around it */
        const long i = sp->n ? sp->s[0].i0 : -1;
        if (i >= 0 && (size_t)i + 1 < ks->n)
            return ks->t_s[i + 1] - ks->t_s[i];
        if (i > 0 && (size_t)i < ks->n)
            return ks->t_s[i] - ks->t_s[i - 1];
        return NAN;
    }
    return hc_median_finite(d, n);
}

/* Landmark noise of one raw frame, in the series' unit: the larger of two estimates.
 * - Over the frames read: the RMS of raw minus smoothed over the spans, / sqrt(1 - g) (the
 *   smoother follows a share g of the noise, smooth_gain, so the residual keeps 1 - g of its
 *   variance). It sees the noise of the phase itself: a wrist landmark that jumps as the bar
 *   passes the knees.
 * - Over the whole clip: 1.4826 x the median absolute second difference of the raw series /
 *   sqrt(6) (white noise of sigma s gives second differences of variance 6 s^2; a steadily
 *   moving joint gives none; the median keeps the held and slow frames, where the scatter is
 *   noise). A floor: a phase of a few frames can leave the first estimate near zero.
 * *used: frames of the spans with a value. NaN when neither can be estimated. */
static double raw_noise(const struct kin_series *ks, int km, int km2, const struct spans *sp,
                        double gain, long *used)
{
    double acc = 0.0;
    long nr = 0;
    *used = 0;
    for (int k = 0; k < sp->n; k++)
        for (long i = sp->s[k].i0; i <= sp->s[k].i1 && (size_t)i < ks->n; i++) {
            const double r = series_at(ks, km, km2, i, 1), v = series_at(ks, km, km2, i, 0);
            *used += isfinite(r);
            if (isfinite(r) && isfinite(v)) {
                acc += (r - v) * (r - v);
                nr++;
            }
        }
    const double span = nr >= 3 && gain < 1.0 ? sqrt(acc / (double)nr / (1.0 - gain)) : NAN;
    double *d = ks->n >= 3 ? malloc((ks->n - 2) * sizeof *d) : NULL;
    size_t n = 0;
    for (long i = 1; d && (size_t)i + 1 < ks->n; i++) {
        const double a = series_at(ks, km, km2, i - 1, 1), b = series_at(ks, km, km2, i, 1),
                     c = series_at(ks, km, km2, i + 1, 1);
        if (isfinite(a) && isfinite(b) && isfinite(c))
            d[n++] = fabs(a - 2.0 * b + c);
    }
    const double clip = n >= 5 ? 1.4826 * hc_median_finite(d, n) / sqrt(6.0) : NAN;
    free(d);
    return !isfinite(span) ? clip : !isfinite(clip) ? span : span > clip ? span : clip;
}

/* The frame of the spans whose smoothed value is nearest v (where a peak was read); -1 none. */
static long read_frame(const struct kin_series *ks, int km, int km2, const struct spans *sp,
                       double v)
{
    long best = -1;
    double bd = INFINITY;
    for (int k = 0; k < sp->n; k++)
        for (long i = sp->s[k].i0; i <= sp->s[k].i1 && (size_t)i < ks->n; i++) {
            const double x = series_at(ks, km, km2, i, 0);
            if (isfinite(x) && fabs(x - v) < bd) {
                bd = fabs(x - v);
                best = i;
            }
        }
    return best;
}

/* A quarter of the larger change of the smoothed series over one frame on either side of frame
 * i: a peak sampled there lies at most that far from the true peak between the frames (a
 * parabola through the frame and its neighbours tops out at most a quarter of the neighbour
 * step higher), and a phase edge rounded to the nearer frame is on average a quarter frame off,
 * moving a value read at it by a quarter of the step. */
static double step_at(const struct kin_series *ks, int km, int km2, long i)
{
    const double x = series_at(ks, km, km2, i, 0);
    double s = 0.0;
    for (int d = -1; d <= 1; d += 2) {
        const double y = series_at(ks, km, km2, i + d, 0);
        if (isfinite(x) && isfinite(y) && fabs(y - x) > s)
            s = fabs(y - x);
    }
    return 0.25 * s;
}

/* The median of step_at over the spans (for values made from several reads). */
static double median_step(const struct kin_series *ks, int km, int km2, const struct spans *sp)
{
    double d[256];
    size_t n = 0;
    for (int k = 0; k < sp->n; k++)
        for (long i = sp->s[k].i0; i <= sp->s[k].i1 && (size_t)i < ks->n && n < 256; i++)
            if (isfinite(series_at(ks, km, km2, i, 0)))
                d[n++] = step_at(ks, km, km2, i);
    return n ? hc_median_finite(d, n) : 0.0;
}

double rules_metric_unc(const struct kin_series *ks, const struct reps_rep *rep,
                        enum rules_metric m, double v, double conf, struct rules_unc_parts *parts)
{
    struct rules_unc_parts p = {.conf_factor = 1.0, .total = NAN};
    if (parts)
        *parts = p;
    if (!ks || !rep || (unsigned)m >= RM_N_METRICS || !isfinite(v))
        return NAN;
    const int km = spec[m].km;
    const struct spans sp = rep_spans(rep, spec[m].span);
    int km2 = spec[m].km2;
    if (km == KIN_SPINE_CURVATURE && ks->spine_src) {
        /* the source rules_measure_rep_src read it from: the mask with 3 frames of the span */
        long n_mask = 0;
        for (int k = 0; k < sp.n; k++)
            for (long i = sp.s[k].i0; i <= sp.s[k].i1 && (size_t)i < ks->n; i++)
                n_mask += ks->spine_src[i] == KIN_SPINE_MASK && isfinite(ks->value[km][i]) &&
                          ks->conf[km][i] > 0.0f;
        km2 = -2 - (n_mask >= 3 ? KIN_SPINE_MASK : KIN_SPINE_PROXY);
    }
    const double dt = span_dt(ks, &sp);
    const double gain = smooth_gain(dt);
    long used = 0;
    const double sig = raw_noise(ks, km, km2, &sp, gain, &used);
    const double cmpx = ks->cm_per_px > 0.0 ? ks->cm_per_px : NAN;

    switch (spec[m].kind) {
    case K_TIME:
        /* a phase's two ends each fall on a frame: up to half a frame off each */
        p.rate = isfinite(dt) ? dt * UNC_SQRT2 / 2.0 : 0.0;
        break;
    case K_OTHER:
        if (m == RM_BOTTOM_DWELL_RATIO && isfinite(dt) && rep->phase_s[REPS_BOTTOM] > 0.0 &&
            rep->phase_s[REPS_LOWERING] > 0.0) {
            /* bottom_s / lowering_s: the two durations' frame rounding, relative */
            const double rb = dt / rep->phase_s[REPS_BOTTOM],
                         rl = dt / rep->phase_s[REPS_LOWERING];
            p.rate = fabs(v) * (1.0 / UNC_SQRT2) * sqrt(rb * rb + rl * rl);
        } else if (m == RM_BOTTOM_ARRIVAL_RATIO && isfinite(dt)) {
            /* the arrival speed is the mean hip speed over the lowering's last 0.1 s: its end
             * rounded to a frame (a quarter frame off on average) moves that mean by a quarter
             * of the speed's change over the last frame, relative to the speed itself */
            const long i1 = rep->phase[REPS_LOWERING].i1;
            const double a = series_at(ks, KIN_HIP_VELOCITY, -1, i1, 0),
                         b = series_at(ks, KIN_HIP_VELOCITY, -1, i1 - 1, 0);
            if (isfinite(a) && isfinite(b) && fabs(a) > 1.0)
                p.rate = fabs(v) * 0.25 * fabs(a - b) / fabs(a);
        } else if (m == RM_LOWERING_PEAK_DPS) {
            const long i = read_frame(ks, km, km2, &sp, -v);
            p.rate = i >= 0 ? step_at(ks, km, km2, i) : 0.0;
        }
        break;
    default: {
        /* noise: the raw frame noise that survives the smoother; a mean over used frames
         * averages the windows' independent parts; a difference reads two frames */
        double noise = isfinite(sig) ? sig * sqrt(gain) : 0.0;
        const double nw = isfinite(dt) && dt > 0.0 ? smooth_window(dt) / dt + 1.0 : 1.0;
        if (spec[m].read == R_MEAN && used > nw)
            noise /= sqrt((double)used / nw);
        if (spec[m].read == R_DIFF)
            noise *= UNC_SQRT2;
        p.noise = noise;
        /* rate: the step at the frame a peak was read at; a difference or a mean: the median
         * step over its frames (twice, or over the used frames' windows) */
        if (spec[m].read == R_PEAK) {
            const long i = read_frame(ks, km, km2, &sp, v);
            p.rate = i >= 0 ? step_at(ks, km, km2, i) : 0.0;
        } else {
            const double st = median_step(ks, km, km2, &sp);
            p.rate = spec[m].read == R_DIFF ? st * UNC_SQRT2
                                            : st / sqrt(used > nw ? (double)used / nw : 1.0);
        }
        /* size: UNC_LANDMARK_PX on each end of each segment (an angle) or of the distance */
        if (isfinite(cmpx)) {
            const double px = UNC_LANDMARK_PX;
            if (spec[m].kind == K_ANGLE) {
                double s2 = 0.0;
                const double seg[2] = {spec[m].seg1_cm, spec[m].seg2_cm};
                for (int k = 0; k < 2; k++)
                    if (seg[k] > 0.0) {
                        const double lpx = seg[k] / cmpx;
                        s2 += 2.0 * (px / lpx) * (px / lpx);
                    }
                p.size = sqrt(s2) * 180.0 / UNC_PI;
            } else if (spec[m].kind == K_FRACTION) {
                /* a bend as a fraction of the hip-shoulder chord. On the person mask it is the
                 * back contour's deviation from the line between the contour's own two ends
                 * (kin_spine_from_mask): the landmarks only place the stations, and the error
                 * is the mask edge's, half a pixel (the edge's pixel and the 0.5 px search
                 * step) at the deepest station and at the mean of the two ends. The keypoint
                 * proxy: one of its points (ear, shoulder, hip) off by px against the others. */
                const int mask = km2 == -2 - KIN_SPINE_MASK;
                const double dev = mask ? 0.5 * sqrt(1.5) : UNC_SQRT2 * px;
                p.size = dev / (SEG_TRUNK_CM / cmpx);
            } else if (spec[m].kind == K_RATIO) {
                /* a gap over a body width: the gap's two ends against the width */
                p.size = v * UNC_SQRT2 * px * cmpx / spec[m].seg1_cm;
            } else {
                p.size = UNC_SQRT2 * px * cmpx;
            }
            if (spec[m].read == R_DIFF)
                p.size *= UNC_SQRT2;
        }
        /* view: a camera phi off side-on shortens the horizontal part of the sagittal plane by
         * e = 1 - cos(phi): a distance across by e of itself (heights not at all); a segment at
         * a from vertical reads atan(tan a cos phi), at most e / 2 rad off (at 45 deg), and an
         * angle changes by at most e of its excursion (from standing, or the value itself).
         * World landmarks: at least UNC_WORLD_SHARE in place of e. */
        const double ex = isfinite(spec[m].neutral) ? fabs(v - spec[m].neutral) : fabs(v);
        /* frontal measures: the camera's turn off front-on; from an oblique camera the lateral
         * axis is partly the world landmarks' depth, which the turn's share carries */
        const double va = isfinite(ks->view_angle_deg) ? ks->view_angle_deg : 30.0;
        const double phi = spec[m].frontal ? 90.0 - va : va;
        double e = spec[m].kind == K_CM_VERTICAL ? 0.0 : 1.0 - cos(phi * UNC_PI / 180.0);
        if (ks->use_world && e < UNC_WORLD_SHARE)
            e = UNC_WORLD_SHARE;
        p.view = e * ex;
        if (spec[m].kind == K_ANGLE) {
            const double nseg = (spec[m].seg1_cm > 0.0) + (spec[m].seg2_cm > 0.0);
            const double cap = e * 0.5 * 180.0 / UNC_PI * sqrt(nseg);
            p.view = p.view < cap ? p.view : cap;
        }
        break;
    }
    }
    /* confidence: a metric seen on a share c of its frames (or with half-trusted joints) rests
     * on about c times the samples: its standard error grows by 1 / sqrt(c) */
    const double c = isfinite(conf) ? conf : 0.0;
    p.conf_factor = c >= 1.0 ? 1.0 : 1.0 / sqrt(c > UNC_CONF_FLOOR ? c : UNC_CONF_FLOOR);
    /* level: inclinations against the image's vertical (not their differences within a rep) */
    if ((spec[m].km == KIN_TORSO_INCLINATION || spec[m].km == KIN_SHIN_ANGLE) &&
        spec[m].read != R_DIFF && !ks->use_world)
        p.level = UNC_LEVEL_DEG;
    p.total = sqrt(p.noise * p.noise + p.rate * p.rate + p.size * p.size + p.view * p.view +
                   p.level * p.level) *
              p.conf_factor;
    if (parts)
        *parts = p;
    return p.total;
}

void rules_measure_unc(const struct kin_series *ks, const struct reps_rep *rep,
                       const double v[RM_N_METRICS], const double conf[RM_N_METRICS],
                       double unc[RM_N_METRICS])
{
    for (int m = 0; m < RM_N_METRICS; m++)
        unc[m] = rules_metric_unc(ks, rep, (enum rules_metric)m, v[m], conf[m], NULL);
}

enum rules_band rules_band(double v, double u, double lo, double hi, double *limit)
{
    *limit = NAN;
    if (!isfinite(v))
        return RULES_BAND_QUIET;
    if (!(u >= 0.0))
        u = 0.0;
    if ((isfinite(lo) && v < lo - u) || (isfinite(hi) && v > hi + u))
        return RULES_BAND_PAST;
    /* the nearer limit whose band holds v */
    const double dl = isfinite(lo) ? fabs(v - lo) : INFINITY,
                 dh = isfinite(hi) ? fabs(v - hi) : INFINITY;
    if (dl <= u || dh <= u) {
        *limit = dl <= dh ? lo : hi;
        return RULES_BAND_NEAR;
    }
    return RULES_BAND_QUIET;
}
