/* rules.c - per-rep metrics, lift recognition, rule evaluation and scores. */
#include "rules/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *unit, *phase;
} rm_info[RM_N_METRICS] = {
    [RM_HIP_ANGLE_BOTTOM] = {"hip_angle_bottom_deg", "deg", "bottom"},
    [RM_KNEE_FLEXION_BOTTOM] = {"knee_flexion_bottom_deg", "deg", "bottom"},
    [RM_KNEE_FLEXION_RANGE] = {"knee_flexion_range_deg", "deg", "rep"},
    [RM_KNEE_FORWARD_EARLY] = {"knee_forward_early_deg", "deg", "lowering"},
    [RM_SHIN_ANGLE_BOTTOM] = {"shin_angle_bottom_deg", "deg", "bottom"},
    [RM_TORSO_INCLINATION_BOTTOM] = {"torso_inclination_bottom_deg", "deg", "bottom"},
    [RM_SPINE_CURVATURE_MAX] = {"spine_curvature_max", "", "rep"},
    [RM_SPINE_CURVATURE_MIN] = {"spine_curvature_min", "", "rep"},
    [RM_SPINE_CURVATURE_LOCKOUT] = {"spine_curvature_lockout", "", "lockout"},
    [RM_BAR_DISTANCE_MAX] = {"bar_distance_max_cm", "cm", "rep"},
    [RM_BAR_LEG_MAX] = {"bar_leg_max_cm", "cm", "rep"},
    [RM_HEEL_LIFT_MAX] = {"heel_lift_max_cm", "cm", "rep"},
    [RM_NECK_ANGLE_MAX] = {"neck_angle_max_deg", "deg", "rep"},
    [RM_LOWERING_S] = {"lowering_s", "s", "lowering"},
    [RM_BOTTOM_S] = {"bottom_s", "s", "bottom"},
    [RM_RISING_S] = {"rising_s", "s", "rising"},
    [RM_LOWERING_PEAK_DPS] = {"lowering_peak_dps", "deg/s", "lowering"},
    [RM_BOTTOM_DWELL_RATIO] = {"bottom_dwell_ratio", "", "bottom"},
    [RM_HIP_ANGLE_LOCKOUT] = {"hip_angle_lockout_deg", "deg", "lockout"},
    [RM_TORSO_INCLINATION_LOCKOUT] = {"torso_inclination_lockout_deg", "deg", "lockout"},
    [RM_TORSO_DROP_RISING] = {"torso_drop_rising_deg", "deg", "rising"},
    [RM_HIP_TRAVEL] = {"hip_travel_cm", "cm", "lowering"},
    [RM_BAR_DRIFT] = {"bar_drift_cm", "cm", "rep"},
    [RM_BOTTOM_ARRIVAL_RATIO] = {"bottom_arrival_ratio", "", "bottom"},
    [RM_KNEE_FLEXION_MID] = {"knee_flexion_mid_deg", "deg", "rep"},
    [RM_BAR_SPEED_RISING] = {"bar_speed_rising_mps", "m/s", "rising"},
    [RM_KNEE_VALGUS_MAX] = {"knee_valgus_max_deg", "deg", "rep"},
    [RM_FOOT_ANGLE_MAX] = {"foot_angle_max_deg", "deg", "rep"},
    [RM_STANCE_HIP] = {"stance_hip_ratio", "", "rep"},
    [RM_STANCE_SHOULDER] = {"stance_shoulder_ratio", "", "rep"},
    [RM_HIP_SHIFT_MAX] = {"hip_shift_max_cm", "cm", "rep"},
    [RM_TRUNK_TWIST_MAX] = {"trunk_twist_max_deg", "deg", "rep"},
    [RM_STANCE_KNEE_VALGUS_MAX] = {"stance_knee_valgus_max_deg", "deg", "rep"},
    [RM_PELVIS_OPEN_MAX] = {"pelvis_open_max_deg", "deg", "rep"},
    [RM_FREE_LEG_LINE_BOTTOM] = {"free_leg_line_bottom_deg", "deg", "bottom"},
};

int rules_metric_frontal(enum rules_metric m)
{
    return (m >= RM_KNEE_VALGUS_MAX && m <= RM_TRUNK_TWIST_MAX) ||
           m == RM_STANCE_KNEE_VALGUS_MAX || m == RM_PELVIS_OPEN_MAX;
}

const char *rules_metric_name(enum rules_metric m)
{
    return (unsigned)m < RM_N_METRICS ? rm_info[m].name : NULL;
}

const char *rules_metric_unit(enum rules_metric m)
{
    return (unsigned)m < RM_N_METRICS ? rm_info[m].unit : NULL;
}

const char *rules_metric_phase(enum rules_metric m)
{
    return (unsigned)m < RM_N_METRICS ? rm_info[m].phase : NULL;
}

int rules_metric_from_name(const char *name)
{
    for (int i = 0; name && i < RM_N_METRICS; i++)
        if (strcmp(name, rm_info[i].name) == 0)
            return i;
    return -1;
}

enum reps_start rules_lift_start(enum reps_lift l)
{
    const struct reps_lift_row *row = reps_lift_row(l);
    return row ? row->start : REPS_START_AUTO;
}

/* ---- per-rep metrics -------------------------------------------------------------------- */

/* ST_HELD: the largest value the metric keeps for HELD_S seconds (the largest minimum over the
 * windows of consecutive frames spanning that time): a peak on a frame or two is a landmark's
 * glitch, not a heel off the floor or a bar off the legs. In seconds, not frames, so that which
 * frames a peak falls on matters as little at 15 fps as at 60 (at half the rate a one-frame peak
 * of a real barbell deadlift's heel lift and bar drift moved 4-7 cm). 0.15 s is a fifth to a
 * tenth of a lift's pull or lowering (0.7-1.5 s): a bar drifting off the legs or heels rising
 * stay there for a good part of it, while a loaded bar cannot leave the legs by 10 cm and come
 * back within 0.15 s (a horizontal reversal of over 5 g). */
enum stat { ST_MIN, ST_MAX, ST_MEAN, ST_HELD };
#define HELD_S 0.15
/* frames kept for the window: 0.15 s at up to 240 fps */
#define HELD_RING 40

/* The running state of an ST_HELD statistic: feed it the values of frames i in order. */
struct held {
    double v[HELD_RING], t[HELD_RING]; /* the current run of consecutive frames, oldest first */
    int n;                             /* its length in the ring (at most HELD_RING) */
    long last_i;                       /* its last frame */
    double run_t0;                     /* the time of its first frame */
    double best;                       /* the largest value held so far (-inf: none yet) */
};
#define HELD_INIT {{0}, {0}, 0, -2, NAN, -INFINITY}

static void held_feed(struct held *h, long i, double t, double v)
{
    if (h->last_i != i - 1) {
        h->n = 0;
        h->run_t0 = t;
    }
    h->last_i = i;
    if (h->n == HELD_RING) {
        memmove(h->v, h->v + 1, (HELD_RING - 1) * sizeof *h->v);
        memmove(h->t, h->t + 1, (HELD_RING - 1) * sizeof *h->t);
        h->n--;
    }
    h->v[h->n] = v;
    h->t[h->n] = t;
    h->n++;
    /* a window spanning HELD_S (a quarter-frame of slack for rounded timestamps): its smallest
     * value is held that long */
    const double slack = h->n > 1 ? 0.25 * (t - h->t[h->n - 2]) : 0.0;
    if (h->n < 2 || t - h->run_t0 < HELD_S - slack)
        return;
    double m = INFINITY;
    for (int k = h->n - 1; k >= 0 && t - h->t[k] <= HELD_S + slack; k--) {
        m = h->v[k] < m ? h->v[k] : m;
        if (t - h->t[k] >= HELD_S - slack)
            break;
    }
    h->best = m > h->best ? m : h->best;
}

/* ---- which joints to trust ---------------------------------------------------------------- */

#define JB(j) (1u << (j))
/* in a joint set: kin's knee gate (kin_series.knee_hidden) counts too (frame_doubt) */
#define KNEE_GATE JB(KIN_N_JOINTS)
/* in a joint set: the bar's metrics, which a plate doubt does not stop (frame_doubt) */
#define BAR_SET JB(KIN_N_JOINTS + 1)
/* in a joint set: an unseen joint counts too (frame_doubt) */
#define WITH_UNSEEN JB(KIN_N_JOINTS + 2)
/* The near-side joints (bits of enum kin_joint) kin metric m is measured from (src/kin/kin.c):
 * a frame where one of them is doubted (kin_series.doubt) is left out of the metric. The
 * knee-based angles also leave out the frames of kin's knee gate (KNEE_GATE). The bar's
 * metrics (BAR_SET) leave out neither those nor a joint inside the plate's outline: the plate
 * is at the bar, so a leg joint it covers says the bar is at the legs (the drift is small
 * there, whatever the guessed joint), and leaving such frames out made the bar path of real
 * side-view barbell deadlifts not assessable, a bar that drifts on a faulty one included.
 * Their leg line reads the ankle only while the bar is below the knee (the start of a floor
 * pull, where the plate stands over the feet and the ankle landmark slides under it: a doubted
 * ankle there left the whole pull's bar path unassessed); the drift is also bounded by the
 * bar's distance ahead of mid-foot, which a guessed ankle does not move. */
static unsigned metric_joints(enum kin_metric m)
{
    const unsigned sh = JB(KIN_J_SHOULDER), hip = JB(KIN_J_HIP), kn = JB(KIN_J_KNEE),
                   an = JB(KIN_J_ANKLE), wr = JB(KIN_J_WRIST), ear = JB(KIN_J_EAR),
                   foot = JB(KIN_J_HEEL) | JB(KIN_J_TOE);
    switch (m) {
    case KIN_HIP_ANGLE: return sh | hip | kn | KNEE_GATE;
    case KIN_HIP_VELOCITY: return sh | hip | kn;
    case KIN_KNEE_FLEXION: return hip | kn | an | KNEE_GATE;
    case KIN_TORSO_INCLINATION:
    case KIN_SPINE_CURVATURE: return hip | sh;
    case KIN_SHIN_ANGLE: return kn | an | KNEE_GATE;
    case KIN_NECK_ANGLE: return sh | ear | hip; /* shoulder->ear against hip->shoulder */
    case KIN_BAR_MIDFOOT: return wr | foot | BAR_SET;
    case KIN_BAR_LEG:
    case KIN_BAR_FRONT: return wr | hip | kn | BAR_SET;
    case KIN_BAR_HEIGHT:
    case KIN_BAR_VELOCITY: return wr | BAR_SET;
    case KIN_HEEL_LIFT: return foot | an;
    case KIN_HIP_MIDFOOT: return hip | foot;
    case KIN_HIP_HEIGHT: return hip;
    default: return 0;
    }
}

/* The doubt of the first doubted joint of `joints` on frame i (KIN_DOUBT_NONE: all trusted),
 * its joint in *joint (may be NULL). With KNEE_GATE in `joints`, a knee kin's plate gate
 * marked (kin_series.knee_hidden) counts as hidden by the plate; with BAR_SET a plate doubt
 * does not count (metric_joints). An unseen joint counts only with WITH_UNSEEN, and never the
 * wrist: kin already leaves a metric out where a landmark it read was unseen (its
 * confidence), and reads some landmarks on some frames only (the leg line at the bar's
 * height; the bar from whichever hand is seen), so unseen tells why a metric had no value,
 * it does not remove a value kin measured. */
static enum kin_doubt frame_doubt(const struct kin_series *ks, unsigned joints, long i,
                                  enum kin_joint *joint)
{
    if ((joints & KNEE_GATE) && ks->knee_hidden && ks->knee_hidden[i]) {
        if (joint)
            *joint = KIN_J_KNEE;
        return KIN_DOUBT_PLATE;
    }
    for (int j = 0; j < KIN_N_JOINTS; j++) {
        if (!(joints & JB(j)) || !ks->doubt[j] || ks->doubt[j][i] == KIN_DOUBT_NONE)
            continue;
        const enum kin_doubt d = (enum kin_doubt)ks->doubt[j][i];
        if ((d == KIN_DOUBT_PLATE && (joints & BAR_SET)) ||
            (d == KIN_DOUBT_UNSEEN && (!(joints & WITH_UNSEEN) || j == KIN_J_WRIST)))
            continue;
        if (joint)
            *joint = (enum kin_joint)j;
        return d;
    }
    return KIN_DOUBT_NONE;
}

/* A statistic of kin metric m over frames [i0, i1], leaving out the frames where one of
 * `joints` is doubted (frame_doubt). Confidence: mean confidence of the frames used times the
 * fraction of frames that had a value (a half-hidden phase is half-trusted). */
static double stat_gated(const struct kin_series *ks, enum kin_metric m, long i0, long i1,
                         enum stat st, double *conf, unsigned joints)
{
    *conf = 0.0;
    if (i0 < 0 || i1 < i0 || (size_t)i1 >= ks->n)
        return NAN;
    double acc = st == ST_MIN ? INFINITY : st == ST_MAX ? -INFINITY : 0.0, csum = 0.0;
    struct held h = HELD_INIT;
    long used = 0;
    for (long i = i0; i <= i1; i++) {
        double v = ks->value[m][i];
        if (!isfinite(v) || ks->conf[m][i] <= 0.0f || frame_doubt(ks, joints, i, NULL))
            continue;
        used++;
        csum += ks->conf[m][i];
        if (st == ST_HELD)
            held_feed(&h, i, ks->t_s[i], v);
        else if (st == ST_MIN)
            acc = v < acc ? v : acc;
        else if (st == ST_MAX)
            acc = v > acc ? v : acc;
        else
            acc += v;
    }
    if (st == ST_HELD)
        acc = h.best;
    if (used == 0 || !isfinite(acc))
        return NAN;
    *conf = (csum / used) * ((double)used / (double)(i1 - i0 + 1));
    return st == ST_MEAN ? acc / used : acc;
}

/* stat_gated without the frames where a joint the metric reads is doubted (kin: hidden by a
 * plate, off the lifter's own proportions, jumping, unseen): the rules' measurements. */
static double stat_over(const struct kin_series *ks, enum kin_metric m, long i0, long i1,
                        enum stat st, double *conf)
{
    return stat_gated(ks, m, i0, i1, st, conf, metric_joints(m));
}

/* stat_gated for recognising the lift: only kin's knee gate leaves frames out of the
 * knee-based angles. The cues are coarse (knees bent over 40 deg at the bottom, hands above
 * or below the hips) and a feature left unmeasured falls back to the RDL, which cuts a floor
 * pull's reps as top-start reps: on real side-view barbell deadlifts the doubted bottoms turned
 * two of them into RDLs with split reps. */
static double stat_seen(const struct kin_series *ks, enum kin_metric m, long i0, long i1,
                        enum stat st, double *conf)
{
    const unsigned gate = m == KIN_HIP_ANGLE || m == KIN_KNEE_FLEXION || m == KIN_SHIN_ANGLE
                              ? KNEE_GATE : 0u;
    return stat_gated(ks, m, i0, i1, st, conf, gate);
}

/* The largest value of metric m over the two moving phases of a floor-start rep (rising and
 * lowering; the bottom hold is the set-up), with the lower confidence of the two; one phase
 * alone when the other has none. */
static double max_while_moving(const struct kin_series *ks, enum kin_metric m,
                               const struct reps_span *ris, const struct reps_span *low,
                               double *conf)
{
    double c1, c2;
    const double a = stat_over(ks, m, ris->i0, ris->i1, ST_HELD, &c1);
    const double b = stat_over(ks, m, low->i0, low->i1, ST_HELD, &c2);
    *conf = isfinite(a) && isfinite(b) ? fmin(c1, c2) : isfinite(a) ? c1 : c2;
    return isfinite(a) && isfinite(b) ? fmax(a, b) : isfinite(a) ? a : b;
}

/* Bounce: how fast the hips arrive at the bottom. The lowering phase (src/reps) runs from 10%
 * to 90% of the descent, so its last frames are the arrival at the bottom; a controlled hinge
 * brakes into the bottom, a bounce (or a drop) arrives at full speed and turns around on the
 * rebound. Ratio: mean hip-flexion speed over the last `arrive_s` of the lowering / the
 * lowering's mean speed (angle change over time from 20% of the phase's change to its end:
 * end points, so landmark jitter does not inflate it the way it does a peak). A braked
 * (cosine) descent arrives at 90% at 0.67 of that mean speed; the synth bounce (flexion
 * 0.5 (u + u^2): no braking) at 1.29 (tools/synth, synth_kin.c; closed forms). */
static double arrival_ratio(const struct kin_series *ks, const struct reps_span *low,
                            double *conf)
{
    /* 0.1 s: the last ~3 frames at 30 fps; half the smoother's window (kin: 0.2 s), so the
     * frames are still on the descent's side of a turnaround */
    const double arrive_s = 0.1;
    *conf = 0.0;
    if (low->i0 < 0 || low->i1 <= low->i0)
        return NAN;
    const double *vel = ks->value[KIN_HIP_VELOCITY], *hip = ks->value[KIN_HIP_ANGLE];
    /* mean speed from 20% of the phase's angle change on: a lowering that starts from a
     * lean-back (the phase is cut at 10% of the excursion from the peak behind vertical) would
     * otherwise include the standing pause before it */
    long s0 = low->i0;
    const double a0 = hip[low->i0], a1 = hip[low->i1];
    while (s0 < low->i1 && !(hip[s0] <= a0 - 0.2 * (a0 - a1)))
        s0++;
    const double dt = ks->t_s[low->i1] - ks->t_s[s0];
    const double mean = dt > 0.0 ? (hip[s0] - a1) / dt : NAN;
    double acc = 0.0, csum = 0.0;
    long used = 0;
    for (long i = low->i0; i <= low->i1; i++) {
        if (!isfinite(vel[i]) || ks->conf[KIN_HIP_VELOCITY][i] <= 0.0f ||
            ks->t_s[low->i1] - ks->t_s[i] > arrive_s + 1e-9)
            continue;
        acc += -vel[i]; /* flexing = hip angle falling */
        csum += ks->conf[KIN_HIP_VELOCITY][i];
        used++;
    }
    if (used == 0 || !(mean > 1.0)) /* under 1 deg/s: no lowering to speak of */
        return NAN;
    *conf = csum / used;
    /* a bounce rebounds: the hips come back up by 10% of the descent (above landmark jitter)
     * within 0.5 s (the synthetic bounce rebounds 20% within 0.2 s). Without it the fast
     * arrival ended in a hold or in setting the weight down at the end of the set (a deadlift's
     * last rep): not a bounce, the ratio reads 0 */
    const double rise = 0.125 * (a0 - a1); /* the phase spans 80% of the descent */
    double deepest = a1;
    int rebound = 0;
    for (long i = low->i1 + 1; (size_t)i < ks->n && ks->t_s[i] - ks->t_s[low->i1] <= 0.5; i++) {
        if (!isfinite(hip[i]))
            continue;
        deepest = hip[i] < deepest ? hip[i] : deepest;
        rebound |= hip[i] - deepest >= rise;
    }
    return rebound ? acc / used / mean : 0.0;
}

/* The union of the lowering, bottom and rising phases: the part of the rep under load. */
static void loaded_span(const struct reps_rep *rep, long *i0, long *i1)
{
    *i0 = -1;
    *i1 = -1;
    const int ph[3] = {REPS_LOWERING, REPS_BOTTOM, REPS_RISING};
    for (int k = 0; k < 3; k++) {
        const struct reps_span *s = &rep->phase[ph[k]];
        if (s->i0 < 0)
            continue;
        if (*i0 < 0 || s->i0 < *i0)
            *i0 = s->i0;
        if (s->i1 > *i1)
            *i1 = s->i1;
    }
}

/* A spine statistic over the frames of up to n spans. The person mask and the keypoint proxy
 * read on different scales (docs/RULES.md), so one source is used: the mask frames when at
 * least 3 of them have a value there (the driver may ask for masks around the bottoms only),
 * else the proxy frames. Confidence: the mask frames' mean (masks are sparse by design); the
 * proxy's as stat_over (mean x fraction of the span's frames with a value). */
static double spine_over(const struct kin_series *ks, const struct reps_span *sp, int n,
                         enum stat st, double *conf, uint8_t *src)
{
    const double *val = ks->value[KIN_SPINE_CURVATURE];
    const float *cf = ks->conf[KIN_SPINE_CURVATURE];
    long n_mask = 0, tot = 0;
    *conf = 0.0;
    *src = KIN_SPINE_NONE;
    for (int k = 0; k < n; k++)
        for (long i = sp[k].i0; i >= 0 && i <= sp[k].i1 && (size_t)i < ks->n; i++) {
            tot++;
            n_mask += ks->spine_src && ks->spine_src[i] == KIN_SPINE_MASK && isfinite(val[i]) &&
                      cf[i] > 0.0f;
        }
    const uint8_t want = n_mask >= 3 ? KIN_SPINE_MASK : KIN_SPINE_PROXY;
    double acc = st == ST_MIN ? INFINITY : st == ST_MAX ? -INFINITY : 0.0, csum = 0.0;
    long used = 0;
    for (int k = 0; k < n; k++)
        for (long i = sp[k].i0; i >= 0 && i <= sp[k].i1 && (size_t)i < ks->n; i++) {
            if (!isfinite(val[i]) || cf[i] <= 0.0f ||
                frame_doubt(ks, metric_joints(KIN_SPINE_CURVATURE), i, NULL))
                continue;
            if (ks->spine_src && ks->spine_src[i] != want)
                continue;
            used++;
            csum += cf[i];
            acc = st == ST_MIN   ? (val[i] < acc ? val[i] : acc)
                  : st == ST_MAX ? (val[i] > acc ? val[i] : acc)
                                 : acc + val[i];
        }
    if (used == 0)
        return NAN;
    *src = want;
    *conf = want == KIN_SPINE_MASK ? csum / used : csum / used * ((double)used / (double)tot);
    return st == ST_MEAN ? acc / used : acc;
}

/* Quantile q (0..1) of n sorted values, linear between neighbours. */
static double quantile_sorted(const double *v, size_t n, double q)
{
    const double x = q * (double)(n - 1);
    const size_t a = (size_t)x, b = a + 1 < n ? a + 1 : a;
    return v[a] + (v[b] - v[a]) * (x - (double)a);
}

/* The knee flexion of the frames in [L0, L1] whose hip angle lies in [hip_lo, hip_hi] and whose
 * hip, knee and ankle were trusted (frame_doubt), sorted into kv (room for L1 - L0 + 1). Returns how many; *conf:
 * their mean confidence times the share of the band's frames they cover. */
static long knee_in_hip_band(const struct kin_series *ks, long L0, long L1, double hip_lo,
                             double hip_hi, double *kv, double *conf)
{
    double cs = 0.0;
    long used = 0, tot = 0;
    for (long i = L0; i <= L1; i++) {
        const double h = ks->value[KIN_HIP_ANGLE][i];
        if (!isfinite(h) || h > hip_hi || h < hip_lo)
            continue;
        tot++;
        const double k = ks->value[KIN_KNEE_FLEXION][i];
        if (!isfinite(k) || ks->conf[KIN_KNEE_FLEXION][i] <= 0 ||
            frame_doubt(ks, metric_joints(KIN_KNEE_FLEXION), i, NULL))
            continue;
        kv[used++] = k;
        cs += ks->conf[KIN_KNEE_FLEXION][i];
    }
    *conf = 0.0;
    if (used > 0) {
        qsort(kv, (size_t)used, sizeof *kv, hc_cmp_double);
        *conf = cs / used * (double)used / (double)tot;
    }
    return used;
}

/* The median of kin metric m over the clip's standing frames (kin_frame_standing), where the
 * lifter's own stance sets the frontal reference (a foot a little ahead of the other turns the
 * hip and shoulder lines alike); 0 when no frame stands. */
static double standing_median(const struct kin_series *ks, enum kin_metric m)
{
    double *v = ks->n ? malloc(ks->n * sizeof *v) : NULL;
    size_t k = 0;
    for (size_t i = 0; v && i < ks->n; i++)
        if (kin_frame_standing(ks, i) && ks->conf[m][i] > 0.0f && isfinite(ks->value[m][i]))
            v[k++] = ks->value[m][i];
    const double med = k ? hc_median_finite(v, k) : 0.0;
    free(v);
    return med;
}

/* The largest |value - base| of kin metric m held for HELD_S over the spans
 * (ST_HELD), with stat_over's confidence (mean over the frames used x their share). */
static double held_abs_dev(const struct kin_series *ks, enum kin_metric m,
                           const struct reps_span *sp, int n_sp, double base, double *conf)
{
    struct held h = HELD_INIT;
    double csum = 0.0;
    long used = 0, tot = 0;
    *conf = 0.0;
    for (int k = 0; k < n_sp; k++)
        for (long i = sp[k].i0; i >= 0 && i <= sp[k].i1 && (size_t)i < ks->n; i++) {
            tot++;
            const double x = ks->value[m][i];
            if (!isfinite(x) || ks->conf[m][i] <= 0.0f)
                continue;
            held_feed(&h, i, ks->t_s[i], fabs(x - base));
            csum += ks->conf[m][i];
            used++;
        }
    if (used == 0 || !isfinite(h.best))
        return NAN;
    *conf = csum / used * (double)used / (double)tot;
    return h.best;
}

/* The frontal metrics of one rep (front, rear and oblique views: kin_series.frontal) over its
 * moving part, `sp` (floor lifts: rising and lowering; others: lowering to rising). Each pair of
 * sides gives the larger value with the lower confidence: both knees and both feet must be seen
 * to call them fine. */
static void measure_frontal(const struct kin_series *ks, const struct reps_span *sp,
                            double v[RM_N_METRICS], double conf[RM_N_METRICS])
{
    if (!ks->frontal)
        return;
    const enum kin_metric knee[2] = {KIN_KNEE_VALGUS_L, KIN_KNEE_VALGUS_R},
                          foot[2] = {KIN_FOOT_ANGLE_L, KIN_FOOT_ANGLE_R};
    double kv[2], kc[2], fv[2], fc[2];
    for (int k = 0; k < 2; k++) {
        double c0, c1;
        const double a = stat_over(ks, knee[k], sp[0].i0, sp[0].i1, ST_HELD, &c0);
        const double b = stat_over(ks, knee[k], sp[1].i0, sp[1].i1, ST_HELD, &c1);
        kv[k] = isfinite(a) && isfinite(b) ? fmax(a, b) : isfinite(a) ? a : b;
        kc[k] = isfinite(a) && isfinite(b) ? fmin(c0, c1) : isfinite(a) ? c0 : c1;
        /* the feet are planted: their mean over the rep's loaded part */
        fv[k] = stat_over(ks, foot[k], sp[0].i0, sp[1].i1 >= 0 ? sp[1].i1 : sp[0].i1, ST_MEAN,
                          &fc[k]);
    }
    if (isfinite(kv[0]) && isfinite(kv[1])) {
        v[RM_KNEE_VALGUS_MAX] = fmax(kv[0], kv[1]);
        conf[RM_KNEE_VALGUS_MAX] = fmin(kc[0], kc[1]);
    }
    if (isfinite(fv[0]) && isfinite(fv[1])) {
        v[RM_FOOT_ANGLE_MAX] = fmax(fv[0], fv[1]);
        conf[RM_FOOT_ANGLE_MAX] = fmin(fc[0], fc[1]);
    }
    const long a0 = sp[0].i0, a1 = sp[1].i1 >= 0 ? sp[1].i1 : sp[0].i1;
    v[RM_STANCE_HIP] = stat_over(ks, KIN_STANCE_HIP, a0, a1, ST_MEAN, &conf[RM_STANCE_HIP]);
    v[RM_STANCE_SHOULDER] =
        stat_over(ks, KIN_STANCE_SHOULDER, a0, a1, ST_MEAN, &conf[RM_STANCE_SHOULDER]);
    const int n_sp = sp[1].i0 >= 0 ? 2 : 1;
    v[RM_HIP_SHIFT_MAX] = held_abs_dev(ks, KIN_HIP_SHIFT, sp, n_sp,
                                       standing_median(ks, KIN_HIP_SHIFT), &conf[RM_HIP_SHIFT_MAX]);
    v[RM_TRUNK_TWIST_MAX] = held_abs_dev(ks, KIN_TRUNK_TWIST, sp, n_sp,
                                         standing_median(ks, KIN_TRUNK_TWIST),
                                         &conf[RM_TRUNK_TWIST_MAX]);
}

/* The single-leg metrics of one rep (a single-leg set only) over its moving part `sp` (one
 * span: a single-leg lift starts standing): the standing knee's frontal angle (each frame's
 * standing leg) and the pelvis's rise towards the free side, each the largest held for HELD_S,
 * and the free leg's line with the trunk at the bottom. */
static void measure_single_leg(const struct kin_series *ks, const struct reps_rep *rep,
                               const struct reps_span *sp, double v[RM_N_METRICS],
                               double conf[RM_N_METRICS])
{
    if (!ks->single_leg || !ks->stand)
        return;
    for (int k = 0; k < 2; k++) {
        const enum rules_metric rm = k == 0 ? RM_STANCE_KNEE_VALGUS_MAX : RM_PELVIS_OPEN_MAX;
        struct held h = HELD_INIT;
        double csum = 0.0;
        long used = 0, tot = 0;
        for (long i = sp->i0; i >= 0 && i <= sp->i1 && (size_t)i < ks->n; i++) {
            tot++;
            const enum kin_metric m = k == 1                            ? KIN_PELVIS_OPEN
                                      : ks->stand[i] == KIN_SIDE_RIGHT ? KIN_KNEE_VALGUS_R
                                                                        : KIN_KNEE_VALGUS_L;
            const double x = ks->value[m][i];
            if (!isfinite(x) || ks->conf[m][i] <= 0.0f)
                continue;
            held_feed(&h, i, ks->t_s[i], x);
            csum += ks->conf[m][i];
            used++;
        }
        if (used > 0 && isfinite(h.best)) {
            v[rm] = h.best;
            conf[rm] = csum / used * (double)used / (double)tot;
        }
    }
    const struct reps_span *bot = &rep->phase[REPS_BOTTOM];
    double c = 0.0;
    v[RM_FREE_LEG_LINE_BOTTOM] = stat_over(ks, KIN_FREE_LEG_LINE, bot->i0, bot->i1, ST_MEAN, &c);
    conf[RM_FREE_LEG_LINE_BOTTOM] = c;
}

void rules_measure_rep_src(const struct kin_series *ks, const struct reps_rep *rep,
                           double v[RM_N_METRICS], double conf[RM_N_METRICS],
                           uint8_t src[RM_N_METRICS])
{
    for (int m = 0; m < RM_N_METRICS; m++) {
        v[m] = NAN;
        conf[m] = 0.0;
        src[m] = KIN_SPINE_NONE;
    }
    const struct reps_span *bot = &rep->phase[REPS_BOTTOM], *low = &rep->phase[REPS_LOWERING],
                           *ris = &rep->phase[REPS_RISING], *lock = &rep->phase[REPS_LOCKOUT];
    long L0, L1;
    loaded_span(rep, &L0, &L1);
    double c;

    v[RM_HIP_ANGLE_BOTTOM] = stat_over(ks, KIN_HIP_ANGLE, bot->i0, bot->i1, ST_MIN, &c);
    conf[RM_HIP_ANGLE_BOTTOM] = c;
    v[RM_KNEE_FLEXION_BOTTOM] = stat_over(ks, KIN_KNEE_FLEXION, bot->i0, bot->i1, ST_MEAN, &c);
    conf[RM_KNEE_FLEXION_BOTTOM] = c;
    v[RM_SHIN_ANGLE_BOTTOM] = stat_over(ks, KIN_SHIN_ANGLE, bot->i0, bot->i1, ST_MAX, &c);
    conf[RM_SHIN_ANGLE_BOTTOM] = c;
    v[RM_TORSO_INCLINATION_BOTTOM] =
        stat_over(ks, KIN_TORSO_INCLINATION, bot->i0, bot->i1, ST_MIN, &c);
    conf[RM_TORSO_INCLINATION_BOTTOM] = c;

    /* knee bend held? range over the deep part of the rep (hip flexion beyond 30% of the
     * excursion), which leaves out the unlocking of the knees at the top. A robust range, the
     * 90th minus the 10th percentile, not max - min: where the hands and the bar pass the knee
     * the pose's knee landmark is pulled off the joint for a few frames. On the clean demo clip
     * (data/demo/demo_rdl.mp4, true knee 15-18 deg over this span) our pose reads 13-26 deg with
     * a 31 deg spike as the bar passes the knee on the way up: max - min 18-20 deg (the
     * knee-unstable warning on every rep of a clean set), p90 - p10 12.2-12.4 deg. A knee that
     * really bends or straightens during the rep moves for most of the span, which the robust
     * range keeps (tests/test_rules.c). */
    /* room for the knee samples of the two knee metrics below (top-start lifts) */
    double *kv = L0 >= 0 && !rep->floor_start ? malloc((size_t)(L1 - L0 + 1) * sizeof *kv)
                                               : NULL;
    if (kv) {
        const double thr = 180.0 - (rep->top_flexion_deg + 0.3 * rep->amplitude_deg);
        const long used = knee_in_hip_band(ks, L0, L1, -INFINITY, thr, kv, &c);
        if (used > 0) {
            v[RM_KNEE_FLEXION_RANGE] = quantile_sorted(kv, (size_t)used, 0.9) -
                                       quantile_sorted(kv, (size_t)used, 0.1);
            conf[RM_KNEE_FLEXION_RANGE] = c;
        }
    }
    /* locked knees? the bend held as the hips go back: the median knee flexion over the frames
     * where the hips are between 30% and 60% of the rep's excursion, on the way down and up.
     * Not at the bottom: there the hands and the bar hang at the knees and the pose's knee
     * landmark leaves the joint, forward and up, reading a bend into a straight leg. Through
     * our pose stage (synthetic RDL, 640x360, docs/SYNTH.md) the knee reads within 2-4 deg of
     * the truth up to ~60% of the excursion, then jumps as the hands arrive: a straight leg
     * (true 1 deg) reads 15 at the bottom but 1 here, soft knees (true 18) 24 at the bottom and
     * 14 here, a good morning (no hands at the knees; true 15) 14-15 and 11. Below 30% the
     * knees are still unlocking from standing. */
    if (kv) {
        const double lo = 180.0 - (rep->top_flexion_deg + 0.6 * rep->amplitude_deg),
                     hi = 180.0 - (rep->top_flexion_deg + 0.3 * rep->amplitude_deg);
        const long used = knee_in_hip_band(ks, L0, L1, lo, hi, kv, &c);
        if (used > 0) {
            v[RM_KNEE_FLEXION_MID] = quantile_sorted(kv, (size_t)used, 0.5);
            conf[RM_KNEE_FLEXION_MID] = c;
        }
    }
    free(kv);
    /* knees forward before hips back: shin tilt gained by the time the hips have covered a third
     * of the descent */
    if (low->i0 >= 0 && !rep->floor_start) {
        double c0, c1;
        double s0 = stat_over(ks, KIN_SHIN_ANGLE, low->i0, low->i0, ST_MEAN, &c0);
        double target = 180.0 - (rep->top_flexion_deg + rep->amplitude_deg / 3.0);
        long j = -1;
        for (long i = low->i0; i <= low->i1; i++)
            if (isfinite(ks->value[KIN_HIP_ANGLE][i]) && ks->value[KIN_HIP_ANGLE][i] <= target) {
                j = i;
                break;
            }
        if (j >= 0) {
            double s1 = stat_over(ks, KIN_SHIN_ANGLE, j, j, ST_MEAN, &c1);
            if (isfinite(s0) && isfinite(s1)) {
                v[RM_KNEE_FORWARD_EARLY] = s1 - s0;
                conf[RM_KNEE_FORWARD_EARLY] = c0 < c1 ? c0 : c1;
            }
        }
    }
    {
        /* spine: under load (floor lifts: while the weight moves; the hold before the pull ends
         * the previous rep, see the bar below), the whole rep (most arched), the lockout */
        const struct reps_span load[2] = {
            rep->floor_start ? *ris : (struct reps_span){L0, L1},
            rep->floor_start ? *low : (struct reps_span){-1, -1}};
        const struct reps_span whole = {(long)rep->i_start, (long)rep->i_end};
        v[RM_SPINE_CURVATURE_MAX] = spine_over(ks, load, 2, ST_MAX, &conf[RM_SPINE_CURVATURE_MAX],
                                               &src[RM_SPINE_CURVATURE_MAX]);
        v[RM_SPINE_CURVATURE_MIN] = spine_over(ks, &whole, 1, ST_MIN, &conf[RM_SPINE_CURVATURE_MIN],
                                               &src[RM_SPINE_CURVATURE_MIN]);
        v[RM_SPINE_CURVATURE_LOCKOUT] = spine_over(ks, lock, 1, ST_MEAN,
                                                   &conf[RM_SPINE_CURVATURE_LOCKOUT],
                                                   &src[RM_SPINE_CURVATURE_LOCKOUT]);
    }
    /* drift is the bar moving away from the body: its largest distance ahead of mid-foot
     * (a bar behind mid-foot is against the legs, not drifting) */
    v[RM_BAR_DISTANCE_MAX] = stat_over(ks, KIN_BAR_MIDFOOT, L0, L1, ST_HELD, &c);
    conf[RM_BAR_DISTANCE_MAX] = c;
    if (rep->floor_start) {
        /* from the floor, where the weight rests at the bottom is the set-up, not drift (a
         * correct real kettlebell deadlift parks the bell at the toes): judge the bar path
         * while it moves, in the rising and lowering phases */
        v[RM_BAR_DISTANCE_MAX] =
            max_while_moving(ks, KIN_BAR_MIDFOOT, ris, low, &conf[RM_BAR_DISTANCE_MAX]);
    }
    if (v[RM_BAR_DISTANCE_MAX] < 0.0)
        v[RM_BAR_DISTANCE_MAX] = 0.0;
    /* drift: the bar is away from the body only when it is both ahead of mid-foot (balance,
     * Rippetoe's vertical bar path over mid-foot) and off the legs. Either alone is no fault:
     * a bar brushing knees that are forward of mid-foot is close to the body (it is ahead of
     * mid-foot on the synthetic deadlift's clean reps); a kettlebell parked ahead of the toes
     * hangs one bell radius off the shins (a correct real kettlebell deadlift, side-on).
     * Floor lifts: while the weight moves (rising, lowering); others: under load. */
    {
        const struct reps_span sp[2] = {
            rep->floor_start ? *ris : (struct reps_span){L0, L1},
            rep->floor_start ? *low : (struct reps_span){-1, -1}};
        struct held h = HELD_INIT;
        double csum = 0.0;
        long used = 0, tot = 0;
        for (int k = 0; k < 2; k++)
            for (long i = sp[k].i0; i >= 0 && i <= sp[k].i1; i++) {
                tot++;
                double a = ks->value[KIN_BAR_MIDFOOT][i], b = ks->value[KIN_BAR_FRONT][i];
                float ca = ks->conf[KIN_BAR_MIDFOOT][i], cb = ks->conf[KIN_BAR_FRONT][i];
                if (!isfinite(a) || !isfinite(b) || ca <= 0.0f || cb <= 0.0f ||
                    frame_doubt(ks, metric_joints(KIN_BAR_MIDFOOT) | metric_joints(KIN_BAR_FRONT),
                                i, NULL))
                    continue;
                held_feed(&h, i, ks->t_s[i], a < b ? a : b); /* held for HELD_S */
                csum += ca < cb ? ca : cb;
                used++;
            }
        if (used > 0 && isfinite(h.best)) {
            v[RM_BAR_DRIFT] = h.best > 0.0 ? h.best : 0.0;
            conf[RM_BAR_DRIFT] = csum / used * (double)used / (double)tot;
        }
    }
    v[RM_BAR_LEG_MAX] = stat_over(ks, KIN_BAR_LEG, L0, L1, ST_MAX, &c);
    conf[RM_BAR_LEG_MAX] = c;
    v[RM_HEEL_LIFT_MAX] = stat_over(ks, KIN_HEEL_LIFT, L0, L1, ST_HELD, &c);
    conf[RM_HEEL_LIFT_MAX] = c;
    if (rep->floor_start) {
        /* from the floor the bottom hold before the pull is where the previous rep ended: judge
         * the heels while the weight moves (rising, lowering), as for the bar */
        v[RM_HEEL_LIFT_MAX] =
            max_while_moving(ks, KIN_HEEL_LIFT, ris, low, &conf[RM_HEEL_LIFT_MAX]);
    }
    v[RM_NECK_ANGLE_MAX] = stat_over(ks, KIN_NECK_ANGLE, L0, L1, ST_MAX, &c);
    conf[RM_NECK_ANGLE_MAX] = c;

    /* tempo: phases present in full only (a partial rep's cut phase says nothing) */
    double hc;
    stat_over(ks, KIN_HIP_ANGLE, (long)rep->i_start, (long)rep->i_end, ST_MEAN, &hc);
    int low_full = low->i0 >= 0 && bot->i0 >= 0 && (rep->floor_start || rep->phase[REPS_TOP].i0 >= 0);
    int ris_full = ris->i0 >= 0 && lock->i0 >= 0 && (!rep->floor_start || bot->i0 >= 0);
    if (low_full) {
        v[RM_LOWERING_S] = rep->phase_s[REPS_LOWERING];
        conf[RM_LOWERING_S] = hc;
        double pk = stat_over(ks, KIN_HIP_VELOCITY, low->i0, low->i1, ST_MIN, &c);
        v[RM_LOWERING_PEAK_DPS] = -pk;
        conf[RM_LOWERING_PEAK_DPS] = c;
    }
    if (bot->i0 >= 0 && (low_full || rep->floor_start) && ris->i0 >= 0) {
        v[RM_BOTTOM_S] = rep->phase_s[REPS_BOTTOM];
        conf[RM_BOTTOM_S] = hc;
        if (low_full && rep->phase_s[REPS_LOWERING] > 0) {
            v[RM_BOTTOM_DWELL_RATIO] = rep->phase_s[REPS_BOTTOM] / rep->phase_s[REPS_LOWERING];
            conf[RM_BOTTOM_DWELL_RATIO] = hc;
        }
    }
    if (low_full)
        v[RM_BOTTOM_ARRIVAL_RATIO] =
            arrival_ratio(ks, low, &conf[RM_BOTTOM_ARRIVAL_RATIO]);
    if (ris_full) {
        v[RM_RISING_S] = rep->phase_s[REPS_RISING];
        conf[RM_RISING_S] = hc;
        /* mean concentric velocity: the mean of the bar height's derivative over the rise, its
         * height gained over the rising time (cm/s to m/s) */
        v[RM_BAR_SPEED_RISING] =
            stat_over(ks, KIN_BAR_VELOCITY, ris->i0, ris->i1, ST_MEAN, &c) / 100.0;
        conf[RM_BAR_SPEED_RISING] = c;
    }
    v[RM_HIP_ANGLE_LOCKOUT] = stat_over(ks, KIN_HIP_ANGLE, lock->i0, lock->i1, ST_MAX, &c);
    conf[RM_HIP_ANGLE_LOCKOUT] = c;
    v[RM_TORSO_INCLINATION_LOCKOUT] =
        stat_over(ks, KIN_TORSO_INCLINATION, lock->i0, lock->i1, ST_MAX, &c);
    conf[RM_TORSO_INCLINATION_LOCKOUT] = c;
    /* hips rising first: the knees straighten while the hips stay folded, so the torso gets
     * flatter (inclination drops) after the hips first reached full depth. Reference: the
     * torso at the first frame within 1 deg of the deepest hip angle (before that, the last of
     * the descent flattens the torso legitimately); window: up to the middle of the rise. */
    if (ris->i0 >= 0 && bot->i0 >= 0 && isfinite(v[RM_HIP_ANGLE_BOTTOM])) {
        long first = -1;
        for (long i = bot->i0; i <= bot->i1 && first < 0; i++)
            if (isfinite(ks->value[KIN_HIP_ANGLE][i]) &&
                ks->value[KIN_HIP_ANGLE][i] <= v[RM_HIP_ANGLE_BOTTOM] + 1.0)
                first = i;
        long half = ris->i0 + (ris->i1 - ris->i0) / 2;
        double c0, c1;
        double a = stat_over(ks, KIN_TORSO_INCLINATION, first, first, ST_MEAN, &c0);
        double b = stat_over(ks, KIN_TORSO_INCLINATION, first, half, ST_MIN, &c1);
        if (isfinite(a) && isfinite(b)) {
            v[RM_TORSO_DROP_RISING] = a - b > 0 ? a - b : 0.0;
            conf[RM_TORSO_DROP_RISING] = c0 < c1 ? c0 : c1;
        }
    }
    if (low->i0 >= 0 && bot->i0 >= 0) {
        double c0, c1;
        double a = stat_over(ks, KIN_HIP_MIDFOOT, low->i0, low->i0, ST_MEAN, &c0);
        double b = stat_over(ks, KIN_HIP_MIDFOOT, bot->i0, bot->i1, ST_MIN, &c1);
        if (isfinite(a) && isfinite(b)) {
            v[RM_HIP_TRAVEL] = a - b;
            conf[RM_HIP_TRAVEL] = c0 < c1 ? c0 : c1;
        }
    }
    {
        /* floor lifts: while the weight moves (rising, lowering); others: under load */
        const struct reps_span sp[2] = {
            rep->floor_start ? *ris : (struct reps_span){L0, L1},
            rep->floor_start ? *low : (struct reps_span){-1, -1}};
        measure_frontal(ks, sp, v, conf);
        measure_single_leg(ks, rep, &sp[0], v, conf);
    }
    for (int m = 0; m < RM_N_METRICS; m++)
        if (!isfinite(v[m]))
            conf[m] = 0.0;
}

/* ---- lift recognition ------------------------------------------------------------------- */

static int cue_count(const struct reps_lift_cues *c)
{
    return isfinite(c->hands_top_min_cm) + isfinite(c->rep_max_s) +
           isfinite(c->hands_bottom_min_cm) + isfinite(c->knee_bottom_min_deg) +
           isfinite(c->free_foot_min_cm) + isfinite(c->free_leg_line_min_deg);
}

/* 1 when every cue of a row holds on the set's medians: rep duration md, knee flexion at the
 * bottom mk, hands vs hips at lockout mu and at the bottom mb, the hip angle at clip-edge
 * bottoms mh (only when no bottom is whole: mk NaN) (NaN holds none). */
/* 1 when no bottom was whole (mk NaN) and the hips folded below the row's edge limit at the
 * bottoms the clip cuts (mh): the stand-in for the knee cue. */
static int edge_hip_holds(const struct reps_lift_cues *c, double mk, double mh)
{
    return !isfinite(mk) && isfinite(c->edge_hip_max_deg) && mh < c->edge_hip_max_deg;
}

/* The set's medians the cues are read on. */
struct lift_features {
    double md, mk, mu, mb, mh; /* see cues_hold */
    double mf, ml;             /* the free foot's rise (cm) and the free leg's line (deg) at the
                                  bottom */
};

static int cues_hold(const struct reps_lift_cues *c, const struct lift_features *x)
{
    const double md = x->md, mk = x->mk, mu = x->mu, mb = x->mb, mh = x->mh;
    const int knee_stand_in = edge_hip_holds(c, mk, mh);
    return (!isfinite(c->free_foot_min_cm) || x->mf > c->free_foot_min_cm) &&
           (!isfinite(c->free_leg_line_min_deg) || x->ml > c->free_leg_line_min_deg) &&
           (!isfinite(c->hands_top_min_cm) || mu > c->hands_top_min_cm) &&
           (!isfinite(c->rep_max_s) || md < c->rep_max_s) &&
           (!isfinite(c->hands_bottom_min_cm) || mb > c->hands_bottom_min_cm) &&
           (!isfinite(c->knee_bottom_min_deg) || mk > c->knee_bottom_min_deg || knee_stand_in);
}

enum reps_lift rules_detect_lift(const struct kin_series *ks, const struct reps_result *rr,
                                  char *why, size_t why_len)
{
    enum { MAXR = 64 };
    double dur[MAXR], knee[MAXR], hands_up[MAXR], hands_sh[MAXR], edge_hip[MAXR], foot[MAXR],
        line[MAXR];
    size_t n = 0;
    for (size_t r = 0; r < rr->n_reps && n < MAXR; r++) {
        const struct reps_rep *rep = &rr->reps[r];
        double c;
        dur[n] = rep->partial ? NAN : rep->t_end_s - rep->t_start_s;
        knee[n] = stat_seen(ks, KIN_KNEE_FLEXION, rep->phase[REPS_BOTTOM].i0,
                            rep->phase[REPS_BOTTOM].i1, ST_MEAN, &c);
        /* a bottom at the clip's first or last frame is where the clip was cut, not where the
         * rep turned: its knee bend says nothing about the lift (a real side-view barbell RDL
         * that starts mid-rise with the plate hiding the knees: MediaPipe guessed 93 deg) */
        edge_hip[n] = NAN;
        if (rep->phase[REPS_BOTTOM].i0 <= 0 || (size_t)rep->phase[REPS_BOTTOM].i1 + 1 >= ks->n) {
            knee[n] = NAN;
            /* ... but how far the hips folded there still tells a floor pull from an RDL */
            edge_hip[n] = stat_over(ks, KIN_HIP_ANGLE, rep->phase[REPS_BOTTOM].i0,
                                    rep->phase[REPS_BOTTOM].i1, ST_MIN, &c);
        }
        /* hands at lockout: height relative to the hips (a swung bell rises to chest height,
         * hanging hands stay below the hips) */
        double bh = stat_seen(ks, KIN_BAR_HEIGHT, rep->phase[REPS_LOCKOUT].i0,
                              rep->phase[REPS_LOCKOUT].i1, ST_MAX, &c);
        double hh = stat_seen(ks, KIN_HIP_HEIGHT, rep->phase[REPS_LOCKOUT].i0,
                              rep->phase[REPS_LOCKOUT].i1, ST_MEAN, &c);
        hands_up[n] = bh - hh;
        /* hands at the bottom: height above the hips (good morning: the bar is on the back) */
        double bb = stat_seen(ks, KIN_BAR_HEIGHT, rep->phase[REPS_BOTTOM].i0,
                              rep->phase[REPS_BOTTOM].i1, ST_MEAN, &c);
        double hb = stat_seen(ks, KIN_HIP_HEIGHT, rep->phase[REPS_BOTTOM].i0,
                              rep->phase[REPS_BOTTOM].i1, ST_MEAN, &c);
        hands_sh[n] = bb - hb;
        /* one foot off the floor at the bottom: how far above the other, and the raised leg's
         * line with the trunk (on a single-leg set only: kin found the stance) */
        foot[n] = line[n] = NAN;
        if (ks->single_leg) {
            const double fr = stat_seen(ks, KIN_FOOT_RISE, rep->phase[REPS_BOTTOM].i0,
                                        rep->phase[REPS_BOTTOM].i1, ST_MEAN, &c);
            foot[n] = fabs(fr);
            line[n] = stat_seen(ks, KIN_FREE_LEG_LINE, rep->phase[REPS_BOTTOM].i0,
                                rep->phase[REPS_BOTTOM].i1, ST_MEAN, &c);
        }
        n++;
    }
    double md = hc_median_finite(dur, n), mk = hc_median_finite(knee, n),
           mu = hc_median_finite(hands_up, n), mb = hc_median_finite(hands_sh, n);
    /* no whole bottom: the hip fold at the clip-edge bottoms stands in for the knee cue */
    const double mh = isfinite(mk) ? NAN : hc_median_finite(edge_hip, n);
    const struct lift_features feat = {md, mk, mu, mb, mh, hc_median_finite(foot, n),
                                       hc_median_finite(line, n)};
    /* the lift table's rows with recognition cues, by rank; the top-start row without cues is
     * the lift assumed when nothing else fits. A feature that was not measured holds no cue. */
    enum reps_lift l = REPS_LIFT_AUTO, fallback = REPS_LIFT_RDL;
    char reason[96] = "";
    for (int rank = 1; rank < REPS_N_LIFTS && l == REPS_LIFT_AUTO; rank++)
        for (int k = REPS_LIFT_AUTO + 1; k < REPS_N_LIFTS && l == REPS_LIFT_AUTO; k++) {
            const struct reps_lift_row *row = reps_lift_row((enum reps_lift)k);
            const struct reps_lift_cues *c = &row->cues;
            if (c->rank != rank)
                continue;
            const int has = cue_count(c) > 0, floor = row->start == REPS_START_FLOOR;
            if (!has && !floor) {
                fallback = (enum reps_lift)k;
                continue;
            }
            if (n == 0 || !((floor && rr->floor_start) || (has && cues_hold(c, &feat))))
                continue;
            l = (enum reps_lift)k;
            if (floor && rr->floor_start)
                snprintf(reason, sizeof reason, "reps start from a hold at the bottom (floor)");
            else if (c->reason)
                snprintf(reason, sizeof reason, "%s", c->reason);
            else if (edge_hip_holds(c, mk, mh))
                snprintf(reason, sizeof reason,
                         "hips at %.0f deg where the clip cuts the bottom: a floor pull", mh);
            else
                reps_lift_cues_text(row, 0, reason, sizeof reason);
        }
    if (l == REPS_LIFT_AUTO) {
        l = fallback;
        if (n == 0)
            snprintf(reason, sizeof reason, "no rep: assumed %s", rules_lift_name(l));
        else if (!isfinite(mk))
            snprintf(reason, sizeof reason, "no whole rep bottom in the clip: assumed %s",
                     rules_lift_name(l));
        else
            snprintf(reason, sizeof reason, "%s", reps_lift_row(l)->cues.reason);
    }
    if (why && why_len) {
        /* never "nan" in front of a user: an unmeasured feature says so */
        char f[4][32];
        const double fv[4] = {md, mk, mu, mb};
        const char *const fmt[4] = {"%.1f s", "%.0f deg", "%+.0f cm", "%+.0f cm"};
        for (int k = 0; k < 4; k++) {
            if (isfinite(fv[k]))
                snprintf(f[k], sizeof f[k], fmt[k], fv[k]);
            else
                snprintf(f[k], sizeof f[k], "not measured");
        }
        snprintf(why, why_len,
                 "%s (median rep %s, knee %s at bottom, hands %s vs hips at top, %s at bottom)",
                 reason, f[0], f[1], f[2], f[3]);
    }
    return l;
}

/* ---- evaluation -------------------------------------------------------------------------- */

void rules_result_free(struct rules_result *res)
{
    if (!res)
        return;
    free(res->reps);
    free(res->findings);
    free(res);
}

/* What rules metric m reads: the joints (bits of enum kin_joint) and up to two spans of the
 * rep, as rules_measure_rep_src measures it. Tempo metrics (phase times from the rep cut) read
 * no joint here. */
static unsigned metric_reads(const struct reps_rep *rep, enum rules_metric m,
                             struct reps_span sp[2])
{
    const struct reps_span *ph = rep->phase, none = {-1, -1};
    long L0, L1;
    loaded_span(rep, &L0, &L1);
    const struct reps_span load = {L0, L1};
    /* floor lifts: while the weight moves (rising, lowering); others: under load */
    const struct reps_span mv0 = rep->floor_start ? ph[REPS_RISING] : load,
                           mv1 = rep->floor_start ? ph[REPS_LOWERING] : none;
    sp[0] = sp[1] = none;
    switch (m) {
    case RM_HIP_ANGLE_BOTTOM: sp[0] = ph[REPS_BOTTOM]; return metric_joints(KIN_HIP_ANGLE);
    case RM_KNEE_FLEXION_BOTTOM: sp[0] = ph[REPS_BOTTOM]; return metric_joints(KIN_KNEE_FLEXION);
    case RM_KNEE_FLEXION_RANGE:
    case RM_KNEE_FLEXION_MID:
        sp[0] = rep->floor_start ? none : load;
        return metric_joints(KIN_KNEE_FLEXION);
    case RM_BAR_SPEED_RISING: sp[0] = ph[REPS_RISING]; return metric_joints(KIN_BAR_VELOCITY);
    case RM_KNEE_FORWARD_EARLY: sp[0] = ph[REPS_LOWERING]; return metric_joints(KIN_SHIN_ANGLE);
    case RM_SHIN_ANGLE_BOTTOM: sp[0] = ph[REPS_BOTTOM]; return metric_joints(KIN_SHIN_ANGLE);
    case RM_TORSO_INCLINATION_BOTTOM:
        sp[0] = ph[REPS_BOTTOM];
        return metric_joints(KIN_TORSO_INCLINATION);
    case RM_SPINE_CURVATURE_MAX: sp[0] = mv0, sp[1] = mv1; return metric_joints(KIN_SPINE_CURVATURE);
    case RM_SPINE_CURVATURE_MIN:
        sp[0] = (struct reps_span){(long)rep->i_start, (long)rep->i_end};
        return metric_joints(KIN_SPINE_CURVATURE);
    case RM_SPINE_CURVATURE_LOCKOUT:
        sp[0] = ph[REPS_LOCKOUT];
        return metric_joints(KIN_SPINE_CURVATURE);
    case RM_BAR_DISTANCE_MAX: sp[0] = mv0, sp[1] = mv1; return metric_joints(KIN_BAR_MIDFOOT);
    case RM_BAR_DRIFT:
        sp[0] = mv0, sp[1] = mv1;
        return metric_joints(KIN_BAR_MIDFOOT) | metric_joints(KIN_BAR_FRONT);
    case RM_BAR_LEG_MAX: sp[0] = load; return metric_joints(KIN_BAR_LEG);
    case RM_HEEL_LIFT_MAX: sp[0] = mv0, sp[1] = mv1; return metric_joints(KIN_HEEL_LIFT);
    case RM_NECK_ANGLE_MAX: sp[0] = load; return metric_joints(KIN_NECK_ANGLE);
    case RM_LOWERING_PEAK_DPS:
        sp[0] = ph[REPS_LOWERING];
        return metric_joints(KIN_HIP_VELOCITY);
    case RM_HIP_ANGLE_LOCKOUT: sp[0] = ph[REPS_LOCKOUT]; return metric_joints(KIN_HIP_ANGLE);
    case RM_TORSO_INCLINATION_LOCKOUT:
        sp[0] = ph[REPS_LOCKOUT];
        return metric_joints(KIN_TORSO_INCLINATION);
    case RM_TORSO_DROP_RISING:
        sp[0] = ph[REPS_BOTTOM], sp[1] = ph[REPS_RISING];
        return metric_joints(KIN_TORSO_INCLINATION);
    case RM_HIP_TRAVEL:
        sp[0] = ph[REPS_LOWERING], sp[1] = ph[REPS_BOTTOM];
        return metric_joints(KIN_HIP_MIDFOOT);
    default: return 0;
    }
}

/* A metric whose phase is doubted on more than this share of its frames is not assessable, with
 * the doubt as the reason: its statistic (the deepest frame, the most extended, the largest
 * drift) would come from the minority of frames that were trusted, which misses the extreme
 * as often as it finds it; the rule set's min_confidence (0.5, on the mean visibility times
 * the share of frames used) draws the same line for frames without a value. */
static const double doubt_share_max = 0.5;

/* The share of the frames of metric m's spans in `rep` where a joint it reads is doubted (the
 * frames the metric left out), and the most frequent doubt there (*joint, *doubt); with none,
 * the most frequent unseen joint (why a metric may have no value); KIN_DOUBT_NONE when
 * neither. 0 when the metric reads no joint or its phase is not in the rep. */
static double metric_doubt(const struct kin_series *ks, const struct reps_rep *rep,
                           enum rules_metric m, enum kin_joint *joint, enum kin_doubt *doubt)
{
    struct reps_span sp[2];
    const unsigned joints = metric_reads(rep, m, sp);
    unsigned count[KIN_N_JOINTS][KIN_N_DOUBTS] = {{0}};
    long tot = 0, doubted = 0;
    *joint = KIN_J_KNEE;
    *doubt = KIN_DOUBT_NONE;
    for (int k = 0; k < 2 && joints; k++)
        for (long i = sp[k].i0; i >= 0 && i <= sp[k].i1 && (size_t)i < ks->n; i++) {
            tot++;
            enum kin_joint j = KIN_J_KNEE;
            enum kin_doubt d = frame_doubt(ks, joints, i, &j);
            doubted += d != KIN_DOUBT_NONE;
            if (d == KIN_DOUBT_NONE)
                d = frame_doubt(ks, joints | WITH_UNSEEN, i, &j);
            if (d == KIN_DOUBT_NONE)
                continue;
            /* a doubt that left frames out beats an unseen joint */
            const int cur_unseen = *doubt == KIN_DOUBT_UNSEEN, unseen = d == KIN_DOUBT_UNSEEN;
            ++count[j][d];
            if (*doubt == KIN_DOUBT_NONE || (cur_unseen && !unseen) ||
                (cur_unseen == unseen && count[j][d] > count[*joint][*doubt])) {
                *joint = j;
                *doubt = d;
            }
        }
    return tot ? (double)doubted / (double)tot : 0.0;
}

/* The per-frame value rules metric m is a statistic of, on frame i, in the metric's sense
 * (larger per-frame value, larger metric; *sense -1 where the metric grows as it falls: the
 * torso's drop while rising, the hips' travel back); NaN where there is none. base: the
 * standing reference of the frontal shifts (standing_median). */
static double frame_value(const struct kin_series *ks, enum rules_metric m, size_t i,
                          double base)
{
    double *const *v = ks->value;
    switch (m) {
    case RM_HIP_ANGLE_BOTTOM:
    case RM_HIP_ANGLE_LOCKOUT: return v[KIN_HIP_ANGLE][i];
    case RM_KNEE_FLEXION_BOTTOM:
    case RM_KNEE_FLEXION_RANGE:
    case RM_KNEE_FLEXION_MID: return v[KIN_KNEE_FLEXION][i];
    case RM_KNEE_FORWARD_EARLY:
    case RM_SHIN_ANGLE_BOTTOM: return v[KIN_SHIN_ANGLE][i];
    case RM_TORSO_INCLINATION_BOTTOM:
    case RM_TORSO_INCLINATION_LOCKOUT:
    case RM_TORSO_DROP_RISING: return v[KIN_TORSO_INCLINATION][i];
    case RM_SPINE_CURVATURE_MAX:
    case RM_SPINE_CURVATURE_MIN:
    case RM_SPINE_CURVATURE_LOCKOUT: return v[KIN_SPINE_CURVATURE][i];
    case RM_BAR_DISTANCE_MAX: return v[KIN_BAR_MIDFOOT][i];
    case RM_BAR_DRIFT: return fmin(v[KIN_BAR_MIDFOOT][i], v[KIN_BAR_FRONT][i]);
    case RM_BAR_LEG_MAX: return v[KIN_BAR_LEG][i];
    case RM_HEEL_LIFT_MAX: return v[KIN_HEEL_LIFT][i];
    case RM_NECK_ANGLE_MAX: return v[KIN_NECK_ANGLE][i];
    case RM_LOWERING_PEAK_DPS: return -v[KIN_HIP_VELOCITY][i];
    case RM_HIP_TRAVEL: return v[KIN_HIP_MIDFOOT][i];
    case RM_BAR_SPEED_RISING: return v[KIN_BAR_VELOCITY][i] / 100.0;
    case RM_KNEE_VALGUS_MAX: return fmax(v[KIN_KNEE_VALGUS_L][i], v[KIN_KNEE_VALGUS_R][i]);
    case RM_FOOT_ANGLE_MAX: return fmax(v[KIN_FOOT_ANGLE_L][i], v[KIN_FOOT_ANGLE_R][i]);
    case RM_STANCE_HIP: return v[KIN_STANCE_HIP][i];
    case RM_STANCE_SHOULDER: return v[KIN_STANCE_SHOULDER][i];
    case RM_HIP_SHIFT_MAX: return fabs(v[KIN_HIP_SHIFT][i] - base);
    case RM_TRUNK_TWIST_MAX: return fabs(v[KIN_TRUNK_TWIST][i] - base);
    default: return NAN;
    }
}

long rules_worst_frame(const struct kin_series *ks, const struct reps_rep *rep,
                       enum rules_metric m, double v, double lo, double hi)
{
    if (!ks || !rep || (unsigned)m >= RM_N_METRICS)
        return -1;
    struct reps_span sp[2];
    unsigned joints = metric_reads(rep, m, sp);
    if (rules_metric_frontal(m)) {
        /* measure_frontal's spans: the moving part of the rep */
        long L0, L1;
        loaded_span(rep, &L0, &L1);
        sp[0] = rep->floor_start ? rep->phase[REPS_RISING] : (struct reps_span){L0, L1};
        sp[1] = rep->floor_start ? rep->phase[REPS_LOWERING] : (struct reps_span){-1, -1};
        joints = 0;
    }
    /* the phase times and ratios read no frame: the rep's bottom */
    if (sp[0].i0 < 0 && sp[1].i0 < 0)
        return rep->i_bottom < ks->n ? (long)rep->i_bottom : -1;
    /* the limit it broke: above the range (or nearer its top), else below */
    int up = isfinite(hi) && (!isfinite(lo) || v >= hi || fabs(v - hi) < fabs(v - lo));
    /* metrics that grow as their per-frame value falls */
    if (m == RM_TORSO_DROP_RISING || m == RM_HIP_TRAVEL)
        up = !up;
    const double base = m == RM_HIP_SHIFT_MAX    ? standing_median(ks, KIN_HIP_SHIFT)
                        : m == RM_TRUNK_TWIST_MAX ? standing_median(ks, KIN_TRUNK_TWIST)
                                                  : 0.0;
    long best = -1;
    double bv = 0.0;
    for (int k = 0; k < 2; k++)
        for (long i = sp[k].i0; i >= 0 && i <= sp[k].i1 && (size_t)i < ks->n; i++) {
            const double x = frame_value(ks, m, (size_t)i, base);
            if (!isfinite(x) || (joints && frame_doubt(ks, joints, i, NULL)))
                continue;
            if (best < 0 || (up ? x > bv : x < bv)) {
                best = i;
                bv = x;
            }
        }
    return best;
}

/* "knee hidden by the plate": the reason in words, kept in the result (it outlives findings) */
static const char *doubt_reason(struct rules_result *res, enum kin_joint j, enum kin_doubt d)
{
    if (d == KIN_DOUBT_NONE || (unsigned)j >= KIN_N_JOINTS || (unsigned)d >= KIN_N_DOUBTS)
        return NULL;
    char *r = res->reason_text[j][d];
    if (!r[0])
        snprintf(r, sizeof res->reason_text[j][d], "%s %s", kin_joint_name(j),
                 kin_doubt_phrase(d));
    return r;
}

static const char *const na_message =
    "Not assessable: the joints this rule needs were hidden or unclear in this rep.";
static const char *const na_fix =
    "Film side-on with the whole body in frame, good light and nothing in front of the lifter.";

static int push_finding(struct rules_result *res, size_t *cap, const struct rules_finding *f)
{
    if (res->n_findings == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        struct rules_finding *nf = realloc(res->findings, nc * sizeof *nf);
        if (!nf)
            return -1;
        res->findings = nf;
        *cap = nc;
    }
    res->findings[res->n_findings++] = *f;
    return 0;
}

/* One core check of a rep (a rule id; its rows for other lifts, implements or spine
 * measurements are the same check). */
#define RULES_MAX_CORE 16
struct core_check {
    const char *id;
    int assessed;
    double conf; /* the metric confidence it was judged with (the best of its rows) */
};

/* The slot of core check `id` in the rep's list, added when new; NULL when the list is full
 * (more core ids than RULES_MAX_CORE: the extra ones do not count). */
static struct core_check *core_slot(struct core_check *cc, int *n, const char *id)
{
    for (int k = 0; k < *n; k++)
        if (strcmp(cc[k].id, id) == 0)
            return &cc[k];
    if (*n >= RULES_MAX_CORE)
        return NULL;
    cc[*n] = (struct core_check){.id = id, .assessed = 0, .conf = 0.0};
    return &cc[(*n)++];
}

/* A rep's confidence and whether it keeps its score: scored when at least core_min_share of
 * its core checks were assessed (every rep when none applies); the confidence is the assessed
 * checks' metric confidences summed over all the core checks that apply. */
static void score_by_core(const struct rules_set *rs, const struct core_check *cc, int n,
                          struct rules_rep_result *rp)
{
    double csum = 0.0;
    int m = 0;
    for (int k = 0; k < n; k++)
        if (cc[k].assessed) {
            m++;
            csum += cc[k].conf;
        }
    rp->n_core = n;
    rp->n_core_assessed = m;
    rp->confidence = n ? csum / n : NAN;
    /* the small allowance keeps a share written as 0.66 or 0.667 meaning two of three */
    if (n && (double)m < rs->core_min_share * n - 0.02)
        rp->score = NAN;
}

enum hc_status rules_evaluate(const struct rules_set *rs, const struct kin_series *ks,
                              const struct reps_result *rr, enum reps_lift lift,
                              struct rules_result **out)
{
    return rules_evaluate_pair(rs, ks, rr, lift, NULL, out);
}

/* The front clip's rep matched to side rep r, or NULL (no front clip, no match). */
static const struct reps_rep *front_rep(const struct rules_front *fr, size_t r)
{
    if (!fr || !fr->match || r >= fr->n_match || fr->match[r] < 0 ||
        (size_t)fr->match[r] >= fr->rr->n_reps)
        return NULL;
    return &fr->rr->reps[fr->match[r]];
}

enum hc_status rules_evaluate_pair(const struct rules_set *rs, const struct kin_series *ks,
                                   const struct reps_result *rr, enum reps_lift lift,
                                   const struct rules_front *fr, struct rules_result **out)
{
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_evaluate: no output pointer");
    *out = NULL;
    if (!rs || !ks || !rr || (unsigned)lift >= REPS_N_LIFTS)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_evaluate: missing rules, kinematics or reps");
    if (fr && (!fr->ks || !fr->rr))
        return hc_fail(HC_ERR_INVALID_ARG, "rules_evaluate: a front clip without its "
                                           "kinematics or reps");
    struct rules_result *res = calloc(1, sizeof *res);
    size_t cap = 0;
    if (!res)
        goto nomem;
    res->requested = lift;
    res->detected = lift;
    if (lift == REPS_LIFT_AUTO)
        res->detected = rules_detect_lift(ks, rr, res->detect_reason, sizeof res->detect_reason);
    else
        snprintf(res->detect_reason, sizeof res->detect_reason, "requested");
    res->view = ks->view;
    res->view_angle_deg = ks->view_angle_deg;
    res->n_reps = rr->n_reps;
    res->reps = calloc(rr->n_reps ? rr->n_reps : 1, sizeof *res->reps);
    if (!res->reps)
        goto nomem;
    const uint32_t bit = 1u << res->detected;
    /* the implement's rows: a lift whose row names its implement (a swing: a kettlebell) is
     * judged with it; an unknown implement (side views, not told) is judged as the barbell,
     * the default implement of the other lifts */
    const struct reps_lift_row *row = reps_lift_row(res->detected);
    const int fixed = row && row->implement != KIN_IMPLEMENT_UNKNOWN;
    res->implement = fixed                                    ? row->implement
                     : ks->implement == KIN_IMPLEMENT_UNKNOWN ? KIN_IMPLEMENT_BARBELL
                                                              : ks->implement;
    const uint32_t ibit = 1u << res->implement;
    int side_skipped_frontal = 0; /* a frontal check applied, the camera not in front */
    /* the frontal checks' camera: the front clip's when one is paired (two cameras of one
     * set), else this clip's own */
    const struct kin_series *fks = fr ? fr->ks : ks;

    for (size_t r = 0; r < rr->n_reps; r++) {
        const struct reps_rep *rep = &rr->reps[r];
        struct rules_rep_result *rp = &res->reps[r];
        rp->index = rep->index;
        rp->partial = rep->partial;
        rp->t_start_s = rep->t_start_s;
        rp->t_bottom_s = rep->t_bottom_s;
        rp->t_end_s = rep->t_end_s;
        res->n_full += !rep->partial;
        /* the leg the rep stood on: the most of its frames */
        rp->stand = KIN_SIDE_UNKNOWN;
        if (ks->single_leg && ks->stand) {
            size_t cnt[3] = {0, 0, 0};
            for (size_t i = rep->i_start; i <= rep->i_end && i < ks->n; i++)
                cnt[ks->stand[i] < 3 ? ks->stand[i] : 0]++;
            rp->stand = cnt[KIN_SIDE_LEFT] >= cnt[KIN_SIDE_RIGHT] ? KIN_SIDE_LEFT : KIN_SIDE_RIGHT;
            res->n_stand_left += rp->stand == KIN_SIDE_LEFT;
            res->n_stand_right += rp->stand == KIN_SIDE_RIGHT;
        }
        rules_measure_rep_src(ks, rep, rp->metrics, rp->metric_conf, rp->metric_source);
        rules_measure_unc(ks, rep, rp->metrics, rp->metric_conf, rp->metric_unc);
        /* two cameras: the frontal metrics of this rep are its matched front rep's, measured
         * on the front clip; a rep no front rep matched has none */
        const struct reps_rep *frep = front_rep(fr, r);
        if (fr) {
            double fv[RM_N_METRICS], fc[RM_N_METRICS], fu[RM_N_METRICS];
            uint8_t fs[RM_N_METRICS];
            if (frep) {
                rules_measure_rep_src(fks, frep, fv, fc, fs);
                rules_measure_unc(fks, frep, fv, fc, fu);
            }
            for (int m = 0; m < RM_N_METRICS; m++)
                if (rules_metric_frontal((enum rules_metric)m)) {
                    rp->metrics[m] = frep ? fv[m] : NAN;
                    rp->metric_conf[m] = frep ? fc[m] : 0.0;
                    rp->metric_unc[m] = frep ? fu[m] : NAN;
                }
        }
        rp->first_finding = res->n_findings;
        double penalty = 0.0;
        /* the core checks (rule ids) that apply to this rep: assessed or not, and the metric
         * confidence of the assessed ones (docs/RULES.md, "Scores") */
        struct core_check core[RULES_MAX_CORE];
        int n_core = 0;
        for (size_t k = 0; k < rs->n; k++) {
            const struct rules_rule *ru = &rs->rules[k];
            if (!(ru->lifts & bit) || (ru->implements && !(ru->implements & ibit)))
                continue;
            /* a row for one spine measurement: judge only reps measured that way (the row of
             * the other measurement judges the rest; unmeasured: the first row says so) */
            if (ru->measured_by != KIN_SPINE_NONE && rp->metric_source[ru->metric] != KIN_SPINE_NONE &&
                rp->metric_source[ru->metric] != ru->measured_by)
                continue;
            /* the frontal checks need a camera in front of or behind the lifter: from the side
             * and from an oblique camera they are left out of the reps (one set note says so,
             * below). Oblique views measure them (kin), but on world landmarks whose depth
             * carries half the lateral axis: correct real oblique sets read 15-19 deg of knee
             * valgus and 30 deg of toe-out on one foot (docs/RULES.md, "Front-view checks") */
            const int frontal = rules_metric_frontal(ru->metric);
            if (frontal && fks->view != KIN_VIEW_FRONT) {
                side_skipped_frontal = 1;
                continue;
            }
            /* the camera that measured this check, and the rep it saw */
            const struct kin_series *mks = frontal ? fks : ks;
            const struct reps_rep *mrep = frontal && fr ? frep : rep;
            double v = rp->metrics[ru->metric], c = rp->metric_conf[ru->metric];
            /* a core check counts in its own view: the frontal ones from the front (or
             * behind), the hinge's own from every other view, so a score never rests on
             * checks the camera could not make (docs/RULES.md, "Scores"); with two cameras
             * both kinds count, each from its own camera, the frontal ones on a rep a front
             * rep was matched to (else the rep is scored on its side checks) */
            const int core_here =
                ru->core && frontal == (mks->view == KIN_VIEW_FRONT) && (!fr || !frontal || frep);
            struct core_check *cc = core_here ? core_slot(core, &n_core, ru->id) : NULL;
            /* a rep cut by the clip: a metric of a missing phase is simply absent, not a
             * visibility problem; one whose phase is there but whose joints were doubted (a
             * knee a plate hid) is not assessable (a real barbell deadlift clip cut to its
             * pull) */
            enum kin_joint dj = KIN_J_KNEE;
            enum kin_doubt dd = KIN_DOUBT_NONE;
            const double dshare = mrep ? metric_doubt(mks, mrep, ru->metric, &dj, &dd) : 0.0;
            if (rep->partial && !isfinite(v) && dshare <= 0.0)
                continue;
            struct rules_finding f = {
                .rule = ru->id, .about = NULL, .rep = rep->index, .worst_i = -1,
                .t_start_s = rep->t_start_s, .t_end_s = rep->t_end_s,
                .value = v, .min = ru->min, .max = ru->max,
                .metric = rules_metric_name(ru->metric), .unit = rules_metric_unit(ru->metric),
                .severity = ru->severity, .confidence = c,
                .uncertainty = rp->metric_unc[ru->metric], .limit = NAN,
                .message = ru->message, .fix = ru->fix, .source = ru->source,
            };
            if (!isfinite(v) || c < rs->min_confidence || dshare > doubt_share_max) {
                /* one not-assessable note per rule id and rep */
                int dup = 0;
                for (size_t q = rp->first_finding; q < res->n_findings; q++)
                    dup |= res->findings[q].about && strcmp(res->findings[q].about, ru->id) == 0;
                if (dup)
                    continue;
                f.rule = "not-assessable";
                f.about = ru->id;
                /* no value: the rule could not be judged, and a number beside "not assessable"
                 * reads as a measurement (the rep's metrics keep it, with its confidence) */
                f.value = NAN;
                f.uncertainty = NAN;
                f.severity = RULES_INFO;
                f.message = na_message;
                f.fix = na_fix;
                f.reason = !mrep ? "no rep of the front clip matched this rep"
                                 : doubt_reason(res, dj, dd);
                if (push_finding(res, &cap, &f) != 0)
                    goto nomem;
                continue;
            }
            if (cc) {
                const double cv = isfinite(c) ? (c > 1.0 ? 1.0 : c) : 0.0;
                cc->conf = cc->assessed && cc->conf > cv ? cc->conf : cv;
                cc->assessed = 1;
            }
            /* past a limit by more than the metric's uncertainty: a finding; within it of a
             * limit: borderline, an info note that costs no points (rules_band) */
            const double u = isfinite(f.uncertainty) ? f.uncertainty : 0.0;
            const enum rules_band band = rules_band(v, u, ru->min, ru->max, &f.limit);
            if (band == RULES_BAND_QUIET)
                continue;
            /* two cameras: a frontal value was read on the front clip, whose frames the side
             * clip's pictures cannot show */
            f.worst_i = fr && frontal ? -1
                                      : rules_worst_frame(ks, rep, ru->metric, v, ru->min, ru->max);
            if (band == RULES_BAND_NEAR) {
                f.severity = RULES_INFO;
                f.borderline = 1;
                if (push_finding(res, &cap, &f) != 0)
                    goto nomem;
                continue;
            }
            f.limit = NAN;
            /* the keypoint spine proxy sees the back only through shoulder, hip and ear: it
             * may warn, never err (the mask-based measurement decides errors) */
            int proxy = rp->metric_source[ru->metric] != KIN_SPINE_MASK &&
                        (ru->metric == RM_SPINE_CURVATURE_MAX || ru->metric == RM_SPINE_CURVATURE_MIN ||
                         ru->metric == RM_SPINE_CURVATURE_LOCKOUT);
            /* Oblique and front views measure on MediaPipe's world landmarks, a model's 3-D
             * guess (its depth axis is the least accurate, MediaPipe Pose docs): one correct
             * real kettlebell deadlift set reads bar_drift_cm 12-18.6 filmed side-on and
             * 19.7-24 from a front-oblique camera, every rep past the error limit. So findings
             * from such views may warn, never err (the view-oblique note says why). */
            double el;
            if (rules_band(v, u, ru->error_min, ru->error_max, &el) == RULES_BAND_PAST && !proxy &&
                (!mks->use_world || (frontal && mks->view == KIN_VIEW_FRONT)))
                f.severity = RULES_ERROR;
            penalty += rs->penalty[f.severity];
            if (push_finding(res, &cap, &f) != 0)
                goto nomem;
        }
        rp->n_findings = res->n_findings - rp->first_finding;
        rp->score = penalty >= 100.0 ? 0.0 : 100.0 - penalty;
        score_by_core(rs, core, n_core, rp);
        /* from the front only the frontal checks can score a rep: none that applies, no score */
        if (ks->view == KIN_VIEW_FRONT && n_core == 0)
            rp->score = NAN;
        res->n_scored += isfinite(rp->score);
    }

    /* set-level notes */
    res->first_set_finding = res->n_findings;
    if (ks->view == KIN_VIEW_OBLIQUE || ks->view == KIN_VIEW_FRONT) {
        static const char msg_ob[] = "Camera is not side-on: angles were estimated from 3-D "
                                     "landmarks and are less reliable.";
        static const char msg_fr[] = "Judged from the front: knees, feet, stance, hip shift "
                                     "and trunk twist; the hinge angles cannot be judged from "
                                     "the front and are not assessable.";
        static const char msg_re[] = "Judged from behind: knees, feet, stance, hip shift and "
                                     "trunk twist; the hinge angles cannot be judged from behind "
                                     "and are not assessable.";
        struct rules_finding f = {
            .rule = "view-oblique", .rep = 0, .worst_i = -1,
            .t_start_s = ks->n ? ks->t_s[0] : 0.0, .t_end_s = ks->n ? ks->t_s[ks->n - 1] : 0.0,
            .value = ks->view_angle_deg, .min = 0.0, .max = 30.0,
            .metric = "view_angle_deg", .unit = "deg",
            .severity = RULES_WARNING, .confidence = 1.0, .uncertainty = NAN, .limit = NAN,
            /* the lifter's left (kin_series.lateral_x) on the image's right: facing it */
            .message = ks->view != KIN_VIEW_FRONT ? msg_ob
                       : ks->frontal && ks->lateral_x < 0.0 ? msg_re
                                                             : msg_fr,
            .fix = ks->view == KIN_VIEW_FRONT
                       ? "For the hinge itself (depth, back, bar path, lockout) film from the "
                         "side, level with the hips, 3-4 m away, whole body in frame."
                       : "Film from the side, level with the hips, 3-4 m away, whole body in "
                         "frame.",
            .source = "The hinge cues are seen from the side (\"The Hip Hinge Handbook\"; "
                      "\"Mastering the Hip Hinge\" (George Barker)). Past 30 deg off side-on the "
                      "angles come from 3-D landmarks and findings only warn: the project's own "
                      "limit, checked against real side-view and oblique clips",
        };
        if (push_finding(res, &cap, &f) != 0)
            goto nomem;
    }
    /* side-on or oblique: the frontal checks were left out, once for the set */
    if (side_skipped_frontal && res->n_reps > 0) {
        static const char msg_side[] = "Not assessable from the side: knees caving in, feet "
                                       "flared, stance width, hip shift and trunk twist need a "
                                       "camera in front of or behind the lifter.";
        static const char msg_obl[] = "Not assessable from an oblique camera: knees caving in, "
                                      "feet flared, stance width, hip shift and trunk twist need "
                                      "a camera in front of or behind the lifter.";
        /* a single-leg lift's frontal checks are its own two */
        static const char msg_side_sl[] = "Not assessable from the side: the standing knee over "
                                          "the foot and the pelvis level and square (an open "
                                          "hip) need a camera in front of or behind the lifter.";
        static const char msg_obl_sl[] = "Not assessable from an oblique camera: the standing "
                                         "knee over the foot and the pelvis level and square (an "
                                         "open hip) need a camera in front of or behind the "
                                         "lifter.";
        const int sl = res->detected == REPS_LIFT_SL_RDL;
        static const char msg_pair[] = "Not assessable from the second camera, which is "
                                       "oblique, not in front: knees caving in, feet flared, "
                                       "stance width, hip shift and trunk twist need a camera "
                                       "in front of or behind the lifter.";
        struct rules_finding f = {
            .rule = "front-view-checks", .rep = 0, .worst_i = -1,
            .t_start_s = ks->n ? ks->t_s[0] : 0.0, .t_end_s = ks->n ? ks->t_s[ks->n - 1] : 0.0,
            .value = NAN, .min = NAN, .max = NAN,
            .severity = RULES_INFO, .confidence = 1.0, .uncertainty = NAN, .limit = NAN,
            .message = fr                             ? msg_pair
                       : ks->view == KIN_VIEW_OBLIQUE ? (sl ? msg_obl_sl : msg_obl)
                       : sl                           ? msg_side_sl
                                                      : msg_side,
            .fix = fr   ? "Place the second camera square in front of (or behind) the lifter."
                   : sl ? "Film from the front to check the standing knee and the hips."
                        : "Film from the front to check knees and feet.",
            .source = "Knees out, feet and stance are seen from the front (\"The Hip Hinge "
                      "Handbook\"; \"Hip Hinge Coaching Points\" (Trey Thornton)); "
                      "docs/RULES.md, \"Front-view checks\"",
        };
        if (push_finding(res, &cap, &f) != 0)
            goto nomem;
    }
    /* say when the kettlebell rows judged a lift whose row does not fix its implement (they
     * differ from the barbell's: bar-drift), and whether the user said so or the hands did */
    if (res->implement == KIN_IMPLEMENT_KETTLEBELL && !fixed && res->n_reps > 0) {
        static const char msg_told[] = "Judged as a kettlebell lift (--implement kettlebell): "
                                       "the bell's place is checked against the feet, not the "
                                       "legs.";
        static const char msg_seen[] = "Judged as a kettlebell lift: both hands were together "
                                       "on one handle (hand gap / shoulder width below 0.6).";
        static const char msg_img[] = "Judged as a kettlebell lift: a bell was seen hanging "
                                      "below the hands (the implement found in the image).";
        struct rules_finding f = {
            .rule = "implement", .rep = 0, .worst_i = -1,
            .t_start_s = ks->n ? ks->t_s[0] : 0.0, .t_end_s = ks->n ? ks->t_s[ks->n - 1] : 0.0,
            .value = ks->hand_gap_ratio, .min = NAN, .max = NAN,
            .metric = "hand_gap_ratio", .unit = "",
            .severity = RULES_INFO, .confidence = 1.0, .uncertainty = NAN, .limit = NAN,
            .message = ks->implement_given                               ? msg_told
                       : ks->implement_source == KIN_IMPLEMENT_FROM_IMAGE ? msg_img
                                                                           : msg_seen,
            .fix = "If that is wrong, say --implement barbell (or kettlebell).",
            .source = "docs/RULES.md, \"Implement\"",
        };
        if (push_finding(res, &cap, &f) != 0)
            goto nomem;
    }
    /* the image's plates look smaller than --plate-cm for this body: the cm figures kept the
     * body's scale (kin_series.c, series_scale) */
    if (ks->plates_small && ks->outlines && ks->implement == KIN_IMPLEMENT_BARBELL &&
        res->n_reps > 0) {
        struct rules_finding f = {
            .rule = "plate-scale", .rep = 0, .worst_i = -1,
            .t_start_s = ks->n ? ks->t_s[0] : 0.0, .t_end_s = ks->n ? ks->t_s[ks->n - 1] : 0.0,
            .value = ks->plate_cm_per_px / ks->body_cm_per_px, .min = NAN, .max = NAN,
            .metric = "plate_scale_agreement", .unit = "",
            .severity = RULES_INFO, .confidence = 1.0,
            .message = "The plates look smaller than --plate-cm (45 cm unless given) for this "
                       "body (bumper or technique plates?): cm figures use the body's scale.",
            .fix = "Give the plates' diameter with --plate-cm CM.",
            .source = "docs/RULES.md, \"The bar and the image's scale\"",
        };
        if (push_finding(res, &cap, &f) != 0)
            goto nomem;
    }
    res->n_set_findings = res->n_findings - res->first_set_finding;

    /* set score: mean over the scored reps that were judged whole: full reps, and partial ones
     * whose cut left every core check assessed (a rep cut before its first frames but seen
     * through its bottom and lockout); when there is none, every scored rep (docs/RULES.md,
     * "Set scores"). The set's confidence: the mean of its reps'. */
    double sum = 0.0, csum = 0.0;
    size_t cnt = 0, ccnt = 0;
    for (int pass = 0; pass < 2 && cnt == 0; pass++)
        for (size_t r = 0; r < res->n_reps; r++) {
            struct rules_rep_result *rp = &res->reps[r];
            if (isfinite(rp->score) &&
                (pass == 1 || !rp->partial || rp->n_core_assessed == rp->n_core)) {
                sum += rp->score;
                cnt++;
                rp->in_set_score = 1;
            }
        }
    for (size_t r = 0; r < res->n_reps; r++) {
        if (isfinite(res->reps[r].confidence)) {
            csum += res->reps[r].confidence;
            ccnt++;
        }
    }
    res->set_score = cnt ? sum / cnt : NAN;
    res->confidence = ccnt ? csum / ccnt : NAN;
    if (res->n_reps > 0 && cnt == 0) {
        const int side = ks->view == KIN_VIEW_SIDE || ks->view == KIN_VIEW_OBLIQUE;
        snprintf(res->unscored_reason, sizeof res->unscored_reason, "%s",
                 side ? "not assessable: too few core checks (hip depth, back, bar path, "
                        "lockout) were seen in any rep; film side-on, whole body in frame"
                 : ks->view == KIN_VIEW_FRONT
                     ? "not assessable from this view: too few front-view checks (knees, "
                       "feet, hip shift) were seen in any rep; film the whole body, or from the "
                       "side"
                     : "not assessable from this view: film from the side");
    }
    /* consistency: 100 * exp(-mean(SD_i / tol_i)) over the key metrics of full reps, with the
     * rules document's tolerances (one "noticeable" difference each) */
    {
        double acc = 0.0;
        int used = 0;
        for (size_t k = 0; k < rs->n_consistency; k++) {
            const enum rules_metric km = rs->consistency[k].metric;
            double s1 = 0, s2 = 0;
            int m = 0;
            for (size_t r = 0; r < res->n_reps; r++) {
                double v = res->reps[r].metrics[km];
                if (res->reps[r].partial || !isfinite(v) ||
                    res->reps[r].metric_conf[km] < rs->min_confidence)
                    continue;
                s1 += v;
                s2 += v * v;
                m++;
            }
            if (m >= 2) {
                double var = (s2 - s1 * s1 / m) / (m - 1);
                acc += sqrt(var > 0 ? var : 0) / rs->consistency[k].tol;
                used++;
            }
        }
        res->consistency = used ? 100.0 * exp(-acc / used) : NAN;
    }
    /* fatigue trend: least-squares slope of the score over full reps, points per rep */
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int m = 0;
        for (size_t r = 0; r < res->n_reps; r++) {
            if (res->reps[r].partial || !isfinite(res->reps[r].score))
                continue;
            double x = res->reps[r].index, y = res->reps[r].score;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            m++;
        }
        double den = m * sxx - sx * sx;
        res->fatigue_trend = m >= 3 && den > 0 ? (m * sxy - sx * sy) / den : 0.0;
    }
    /* velocity loss: from the fastest full rep to the last one, the figure velocity-based
     * training stops a set at (typically 20-30%) */
    {
        double best = NAN, last = NAN;
        int m = 0;
        for (size_t r = 0; r < res->n_reps; r++) {
            const double v = res->reps[r].metrics[RM_BAR_SPEED_RISING];
            if (res->reps[r].partial || !isfinite(v) || v <= 0.0)
                continue;
            best = isfinite(best) && best >= v ? best : v;
            last = v;
            m++;
        }
        res->bar_speed_best_mps = m >= 2 ? best : NAN;
        res->bar_speed_last_mps = m >= 2 ? last : NAN;
        res->velocity_loss_pct = m >= 2 ? 100.0 * (best - last) / best : NAN;
    }
    *out = res;
    return HC_OK;
nomem:
    rules_result_free(res);
    return hc_fail(HC_ERR_NOMEM, "rules_evaluate: out of memory");
}

enum hc_status rules_segment(const struct kin_series *ks, enum reps_lift lift,
                             const struct reps_params *rp, struct reps_result **rr_out,
                             enum reps_lift *lift_out, char *why, size_t why_len)
{
    if (!rr_out || !lift_out)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_segment: no output pointer");
    *rr_out = NULL;
    if (why && why_len)
        why[0] = '\0';
    if (!ks)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_segment: no kinematics");
    struct reps_params p = rp ? *rp : reps_default_params();
    p.start = rules_lift_start(lift);
    struct reps_result *rr = NULL;
    enum hc_status st = reps_segment(ks->t_s, ks->value[KIN_HIP_ANGLE], ks->n, &p, &rr);
    if (st != HC_OK)
        return st;
    enum reps_lift use = lift;
    if (lift == REPS_LIFT_AUTO) {
        use = rules_detect_lift(ks, rr, why, why_len);
        enum reps_start want = rules_lift_start(use);
        if ((want == REPS_START_FLOOR) != (rr->floor_start != 0)) {
            reps_result_free(rr);
            rr = NULL;
            p.start = want;
            if ((st = reps_segment(ks->t_s, ks->value[KIN_HIP_ANGLE], ks->n, &p, &rr)) != HC_OK)
                return st;
        }
    }
    /* a ballistic set (a swing) starts by hiking the bell from the floor and ends by parking
     * it: set-up, not reps (the hike's upswing is kept as a partial rep, reps_drop_setup; the
     * ratio and its measurement are in the lift's row). A slow swing in the middle of a set is
     * never dropped. */
    const struct reps_lift_row *row = reps_lift_row(use);
    if (row && isfinite(row->setup_ratio))
        reps_drop_setup(rr, row->setup_ratio);
    *rr_out = rr;
    *lift_out = use;
    return HC_OK;
}

enum hc_status rules_judge(const struct rules_set *rs, const struct kin_series *ks,
                           const struct reps_result *rr, enum reps_lift requested,
                           enum reps_lift lift, const char *why, struct rules_result **out)
{
    enum hc_status st = rules_evaluate(rs, ks, rr, lift, out); /* lift != auto: no detection */
    if (st == HC_OK && requested == REPS_LIFT_AUTO) {
        (*out)->requested = REPS_LIFT_AUTO;
        snprintf((*out)->detect_reason, sizeof (*out)->detect_reason, "%s", why ? why : "");
    }
    return st;
}

enum hc_status rules_run(const struct rules_set *rs, const struct kin_series *ks,
                         enum reps_lift lift, const struct reps_params *rp,
                         struct reps_result **rr_out, struct rules_result **out)
{
    if (!rr_out || !out)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_run: no output pointer");
    *rr_out = NULL;
    *out = NULL;
    if (!ks || !rs)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_run: missing rules or kinematics");
    struct reps_result *rr = NULL;
    enum reps_lift use = lift;
    char why[sizeof((struct rules_result *)0)->detect_reason] = "";
    enum hc_status st = rules_segment(ks, lift, rp, &rr, &use, why, sizeof why);
    if (st != HC_OK)
        return st;
    if ((st = rules_judge(rs, ks, rr, lift, use, why, out)) != HC_OK) {
        reps_result_free(rr);
        return st;
    }
    *rr_out = rr;
    return HC_OK;
}
