/* kin_frontal.c - the frontal measures of a clip (knees, feet, stance, pelvis, trunk) from a
 * front, rear or oblique camera.
 *
 * They are read on MediaPipe's world landmarks (metres, hip-centred, camera-aligned: x image
 * right, y down, z away), projected onto the lifter's frontal plane: lateral = the unit vector
 * towards the lifter's left along the clip's hip line in the horizontal (x, z) plane, up = -y,
 * forward = lateral x up. From the front the lateral axis is nearly the image's x, which the
 * pose model places well; from an oblique camera part of it is its depth guess, hence the lower
 * confidence there (kin_params.frontal_oblique_conf_factor). Side-on the lateral axis is the
 * depth axis: nothing is measured. The world landmarks are in metres of a body the model sizes
 * from the image (the scale the side-view cm figures use too, from the world leg length). */
#include "kin/kin.h"

#include <math.h>
#include <string.h>

#define DEG (180.0 / 3.14159265358979323846)

/* The lifter's frontal frame of one clip. */
struct ffr {
    double lx, lz; /* lateral (towards the left), horizontal */
};

static double lat_of(const struct ffr *fr, const float *w)
{
    return fr->lx * w[0] + fr->lz * w[2];
}

static double fwd_of(const struct ffr *fr, const float *w)
{
    /* forward = lateral x up, up = (0, -1, 0): (lz, 0, -lx) */
    return fr->lz * w[0] - fr->lx * w[2];
}

static double dist3(const float *a, const float *b)
{
    const double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return sqrt(dx * dx + dy * dy + dz * dz);
}

static int finite3(const float *w)
{
    return isfinite(w[0]) && isfinite(w[1]) && isfinite(w[2]);
}

static float vis(const struct hc_pose_frame *f, int i)
{
    const float v = f->lm[i].visibility;
    return isfinite(v) ? v : 0.0f;
}

float kin_world_conf(const struct hc_pose_frame *f, const struct kin_params *p, double factor,
                     int n, const int *idx)
{
    float c = 1.0f;
    for (int k = 0; k < n; k++) {
        const float v = vis(f, idx[k]);
        if (!finite3(f->world_m[idx[k]]) || v < p->min_visibility)
            return 0.0f;
        c = v < c ? v : c;
    }
    return (float)(c * factor);
}

void kin_series_put(struct kin_series *s, enum kin_metric m, size_t i, double v, float c)
{
    if (c > 0.0f && isfinite(v)) {
        s->raw[m][i] = v;
        s->conf[m][i] = c;
    } else {
        s->raw[m][i] = NAN;
        s->conf[m][i] = 0.0f;
    }
}

/* One leg: the frontal knee angle and the knee's distance inside the hip-ankle line (at the
 * knee's height), + towards the midline; the foot's angle against forward, + toes out. */
static void leg(struct kin_series *s, const struct hc_pose_frame *f, const struct kin_params *p,
                const struct ffr *fr, size_t i, int left)
{
    const int hip = left ? HC_LM_LEFT_HIP : HC_LM_RIGHT_HIP,
              kn = left ? HC_LM_LEFT_KNEE : HC_LM_RIGHT_KNEE,
              an = left ? HC_LM_LEFT_ANKLE : HC_LM_RIGHT_ANKLE,
              heel = left ? HC_LM_LEFT_HEEL : HC_LM_RIGHT_HEEL,
              toe = left ? HC_LM_LEFT_FOOT_INDEX : HC_LM_RIGHT_FOOT_INDEX;
    const double med = left ? -1.0 : 1.0; /* the midline, in lateral units */
    const float(*w)[3] = f->world_m;
    const double hl = lat_of(fr, w[hip]), hu = -w[hip][1], kl = lat_of(fr, w[kn]), ku = -w[kn][1],
                 al = lat_of(fr, w[an]), au = -w[an][1];
    double in = NAN, valgus = NAN;
    if (hu - au > 1e-3) {
        const double line = al + (hl - al) * (ku - au) / (hu - au);
        in = (kl - line) * med;
        const double a1 = atan2(hu - ku, hl - kl), a2 = atan2(au - ku, al - kl);
        double d = fabs(a1 - a2) * DEG;
        if (d > 180.0)
            d = 360.0 - d;
        valgus = (in >= 0.0 ? 1.0 : -1.0) * (180.0 - d);
    }
    /* the frontal angle of a knee is read on its thigh and shin as the frontal plane shows them:
     * a thigh turned towards the camera (a deep knee bend seen from the front) shows a short
     * stub whose direction a centimetre of landmark error turns by tens of degrees. Frames where
     * the thigh or the shin shows less than 0.6 of its length (about 53 deg out of the plane)
     * are not measured; the synthetic deadlift's start (knees 62 deg) shows its thighs at 0.78 */
    const double thigh = dist3(w[hip], w[kn]), shin = dist3(w[kn], w[an]);
    const int stub = !(hypot(hl - kl, hu - ku) >= 0.6 * thigh) ||
                     !(hypot(al - kl, au - ku) >= 0.6 * shin);
    const float c =
        stub ? 0.0f : kin_world_conf(f, p, s->frontal_conf_factor, 3, (const int[]){hip, kn, an});
    kin_series_put(s, left ? KIN_KNEE_VALGUS_L : KIN_KNEE_VALGUS_R, i, valgus, c);
    kin_series_put(s, left ? KIN_KNEE_IN_L : KIN_KNEE_IN_R, i, 100.0 * in, c);
    const double tl = lat_of(fr, w[toe]) - lat_of(fr, w[heel]),
                 tf = fwd_of(fr, w[toe]) - fwd_of(fr, w[heel]);
    const double foot = hypot(tl, tf) > 0.02 ? atan2(-med * tl, tf) * DEG : NAN;
    kin_series_put(s, left ? KIN_FOOT_ANGLE_L : KIN_FOOT_ANGLE_R, i, foot,
                   kin_world_conf(f, p, s->frontal_conf_factor, 2, (const int[]){heel, toe}));
}

/* The trunk's twist: the shoulder line against the hip line, both projected onto the plane
 * across the trunk axis (hips' midpoint -> shoulders' midpoint), + when the right shoulder is
 * turned towards the chest. e1: the hip line (left - right), e2 = e1 x axis, the chest's side
 * (standing: forward); the twist is the angle from e1 to the shoulder line, read about the
 * axis. */
static double twist(const float (*w)[3])
{
    double u[3], h[3], sl[3];
    for (int k = 0; k < 3; k++) {
        u[k] = 0.5 * ((double)w[HC_LM_LEFT_SHOULDER][k] + w[HC_LM_RIGHT_SHOULDER][k] -
                      w[HC_LM_LEFT_HIP][k] - w[HC_LM_RIGHT_HIP][k]);
        h[k] = (double)w[HC_LM_LEFT_HIP][k] - w[HC_LM_RIGHT_HIP][k];
        sl[k] = (double)w[HC_LM_LEFT_SHOULDER][k] - w[HC_LM_RIGHT_SHOULDER][k];
    }
    const double ul = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
    if (!(ul > 0.05))
        return NAN;
    for (int k = 0; k < 3; k++)
        u[k] /= ul;
    const double hu = h[0] * u[0] + h[1] * u[1] + h[2] * u[2],
                 su = sl[0] * u[0] + sl[1] * u[1] + sl[2] * u[2];
    for (int k = 0; k < 3; k++) {
        h[k] -= hu * u[k];
        sl[k] -= su * u[k];
    }
    const double hl = sqrt(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
    if (!(hl > 0.02))
        return NAN;
    for (int k = 0; k < 3; k++)
        h[k] /= hl;
    const double e2[3] = {h[1] * u[2] - h[2] * u[1], h[2] * u[0] - h[0] * u[2],
                          h[0] * u[1] - h[1] * u[0]};
    const double x = sl[0] * h[0] + sl[1] * h[1] + sl[2] * h[2],
                 y = sl[0] * e2[0] + sl[1] * e2[1] + sl[2] * e2[2];
    return atan2(-y, x) * DEG;
}

void kin_series_frontal(struct kin_series *s, const struct hc_pose_frame *frames,
                        const struct kin_params *p, double *tmp_x, double *tmp_z)
{
    static const enum kin_metric fm[] = {
        KIN_KNEE_VALGUS_L, KIN_KNEE_VALGUS_R, KIN_KNEE_IN_L,   KIN_KNEE_IN_R,
        KIN_FOOT_ANGLE_L,  KIN_FOOT_ANGLE_R,  KIN_STANCE_HIP,  KIN_STANCE_SHOULDER,
        KIN_PELVIS_TILT,   KIN_SHOULDER_TILT, KIN_HIP_SHIFT,   KIN_TRUNK_TWIST};
    for (size_t k = 0; k < sizeof fm / sizeof fm[0]; k++)
        for (size_t i = 0; i < s->n; i++) {
            s->raw[fm[k]][i] = NAN;
            s->conf[fm[k]][i] = 0.0f;
        }
    s->frontal = 0;
    s->frontal_conf_factor = 0.0;
    s->lateral_x = s->lateral_z = NAN;
    if (s->view != KIN_VIEW_FRONT && s->view != KIN_VIEW_OBLIQUE)
        return;
    s->frontal_conf_factor = s->view == KIN_VIEW_FRONT ? 1.0 : p->frontal_oblique_conf_factor;
    /* the lateral axis: the median direction of the hip line (left - right) over the posed
     * frames, as the median of each component, normalised */
    double *cx = tmp_x, *cz = tmp_z;
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!frames[i].has_pose)
            continue;
        const float *a = frames[i].world_m[HC_LM_LEFT_HIP], *b = frames[i].world_m[HC_LM_RIGHT_HIP];
        const double dx = (double)a[0] - b[0], dz = (double)a[2] - b[2], l = hypot(dx, dz);
        if (!finite3(a) || !finite3(b) || !(l > 1e-3))
            continue;
        cx[m] = dx / l;
        cz[m] = dz / l;
        m++;
    }
    if (m == 0)
        return;
    const double mx = hc_median_finite(cx, m), mz = hc_median_finite(cz, m), ml = hypot(mx, mz);
    if (!(ml > 1e-6))
        return;
    const struct ffr fr = {mx / ml, mz / ml};
    s->lateral_x = fr.lx;
    s->lateral_z = fr.lz;
    s->frontal = 1;
    const double fac = s->frontal_conf_factor;
    for (size_t i = 0; i < s->n; i++) {
        const struct hc_pose_frame *f = &frames[i];
        if (!f->has_pose)
            continue;
        const float(*w)[3] = f->world_m;
        leg(s, f, p, &fr, i, 1);
        leg(s, f, p, &fr, i, 0);
        const double gap =
            fabs(lat_of(&fr, w[HC_LM_LEFT_ANKLE]) - lat_of(&fr, w[HC_LM_RIGHT_ANKLE]));
        const double hips = dist3(w[HC_LM_LEFT_HIP], w[HC_LM_RIGHT_HIP]),
                     shs = dist3(w[HC_LM_LEFT_SHOULDER], w[HC_LM_RIGHT_SHOULDER]);
        kin_series_put(s, KIN_STANCE_HIP, i, hips > 0.05 ? gap / hips : NAN,
                       kin_world_conf(f, p, fac, 4,
                                      (const int[]){HC_LM_LEFT_ANKLE, HC_LM_RIGHT_ANKLE,
                                                    HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP}));
        kin_series_put(s, KIN_STANCE_SHOULDER, i, shs > 0.1 ? gap / shs : NAN,
                       kin_world_conf(f, p, fac, 4,
                                      (const int[]){HC_LM_LEFT_ANKLE, HC_LM_RIGHT_ANKLE,
                                                    HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER}));
        const int hp[2] = {HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP},
                  sp[2] = {HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER};
        kin_series_put(s, KIN_PELVIS_TILT, i,
                       atan2(-(double)w[hp[0]][1] + w[hp[1]][1],
                             lat_of(&fr, w[hp[0]]) - lat_of(&fr, w[hp[1]])) *
                           DEG,
                       kin_world_conf(f, p, fac, 2, hp));
        kin_series_put(s, KIN_SHOULDER_TILT, i,
                       atan2(-(double)w[sp[0]][1] + w[sp[1]][1],
                             lat_of(&fr, w[sp[0]]) - lat_of(&fr, w[sp[1]])) *
                           DEG,
                       kin_world_conf(f, p, fac, 2, sp));
        const double shift =
            0.5 * (lat_of(&fr, w[hp[0]]) + lat_of(&fr, w[hp[1]])) -
            0.5 * (lat_of(&fr, w[HC_LM_LEFT_ANKLE]) + lat_of(&fr, w[HC_LM_RIGHT_ANKLE]));
        kin_series_put(s, KIN_HIP_SHIFT, i, 100.0 * shift,
                       kin_world_conf(f, p, fac, 4,
                                      (const int[]){HC_LM_LEFT_ANKLE, HC_LM_RIGHT_ANKLE,
                                                    HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP}));
        kin_series_put(s, KIN_TRUNK_TWIST, i, twist(w),
                       kin_world_conf(f, p, fac, 4,
                                      (const int[]){HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER,
                                                    HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP}));
    }
}
