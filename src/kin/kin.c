/* kin.c - per-frame hinge kinematics from BlazePose landmarks.
 *
 * Every metric is computed in a 2-D sagittal frame (forward, up) so that one set of formulas
 * serves both sources: image pixels (side-on clips, where the sagittal plane is the image plane)
 * and MediaPipe world landmarks projected onto the lifter's sagittal plane (oblique clips, where
 * image-plane angles are foreshortened). */
#include "kin/kin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG (180.0 / 3.14159265358979323846)

static const char *const metric_names[KIN_N_METRICS] = {
    [KIN_HIP_ANGLE] = "hip_angle_deg",
    [KIN_KNEE_FLEXION] = "knee_flexion_deg",
    [KIN_TORSO_INCLINATION] = "torso_inclination_deg",
    [KIN_SHIN_ANGLE] = "shin_angle_deg",
    [KIN_NECK_ANGLE] = "neck_angle_deg",
    [KIN_SPINE_CURVATURE] = "spine_curvature",
    [KIN_BAR_MIDFOOT] = "bar_midfoot_cm",
    [KIN_BAR_LEG] = "bar_leg_cm",
    [KIN_BAR_HEIGHT] = "bar_height_cm",
    [KIN_HEEL_LIFT] = "heel_lift_cm",
    [KIN_HIP_MIDFOOT] = "hip_midfoot_cm",
    [KIN_HIP_HEIGHT] = "hip_height_cm",
    [KIN_HIP_VELOCITY] = "hip_angle_velocity_dps",
    [KIN_BAR_VELOCITY] = "bar_velocity_cps",
    [KIN_BAR_FRONT] = "bar_front_cm",
    [KIN_KNEE_VALGUS_L] = "knee_valgus_left_deg",
    [KIN_KNEE_VALGUS_R] = "knee_valgus_right_deg",
    [KIN_KNEE_IN_L] = "knee_in_left_cm",
    [KIN_KNEE_IN_R] = "knee_in_right_cm",
    [KIN_FOOT_ANGLE_L] = "foot_angle_left_deg",
    [KIN_FOOT_ANGLE_R] = "foot_angle_right_deg",
    [KIN_STANCE_HIP] = "stance_hip_ratio",
    [KIN_STANCE_SHOULDER] = "stance_shoulder_ratio",
    [KIN_PELVIS_TILT] = "pelvis_tilt_deg",
    [KIN_SHOULDER_TILT] = "shoulder_tilt_deg",
    [KIN_HIP_SHIFT] = "hip_shift_cm",
    [KIN_TRUNK_TWIST] = "trunk_twist_deg",
    [KIN_FOOT_RISE] = "foot_rise_cm",
    [KIN_PELVIS_OPEN] = "pelvis_open_deg",
    [KIN_FREE_LEG_LINE] = "free_leg_line_deg",
};

const char *kin_metric_name(enum kin_metric m)
{
    return (unsigned)m < KIN_N_METRICS ? metric_names[m] : NULL;
}

const char *kin_side_name(enum kin_side s)
{
    return s == KIN_SIDE_LEFT ? "left" : s == KIN_SIDE_RIGHT ? "right" : "unknown";
}

const char *kin_view_name(enum kin_view v)
{
    switch (v) {
    case KIN_VIEW_SIDE: return "side";
    case KIN_VIEW_OBLIQUE: return "oblique";
    case KIN_VIEW_FRONT: return "front";
    default: return "unknown";
    }
}

const char *kin_implement_name(enum kin_implement i)
{
    switch (i) {
    case KIN_IMPLEMENT_BARBELL: return "barbell";
    case KIN_IMPLEMENT_KETTLEBELL: return "kettlebell";
    default: return "unknown";
    }
}

const char *kin_implement_source_name(enum kin_implement_source s)
{
    switch (s) {
    case KIN_IMPLEMENT_FROM_GIVEN: return "--implement";
    case KIN_IMPLEMENT_FROM_IMAGE: return "image";
    case KIN_IMPLEMENT_FROM_HANDS: return "hands";
    default: return "none";
    }
}

int kin_implement_from_name(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "auto") == 0)
        return KIN_IMPLEMENT_UNKNOWN;
    if (strcmp(name, "barbell") == 0)
        return KIN_IMPLEMENT_BARBELL;
    if (strcmp(name, "kettlebell") == 0)
        return KIN_IMPLEMENT_KETTLEBELL;
    return -1;
}

const char *kin_joint_name(enum kin_joint j)
{
    static const char *const names[KIN_N_JOINTS] = {"shoulder", "hip",   "knee", "ankle",
                                                    "wrist",    "ear",   "heel", "toe"};
    return (unsigned)j < KIN_N_JOINTS ? names[j] : "joint";
}

const char *kin_doubt_phrase(enum kin_doubt d)
{
    static const char *const phrases[KIN_N_DOUBTS] = {
        "", "hidden by the plate", "off the lifter's own segment lengths",
        "jumping further between frames than a body can", "not seen"};
    return (unsigned)d < KIN_N_DOUBTS ? phrases[d] : "";
}

struct kin_params kin_default_params(void)
{
    struct kin_params p = {
        .min_visibility = 0.5f,
        .oblique_deg = 30.0, /* past ~30 deg from side-on the sagittal angles foreshorten:
                                a view warning (docs/RULES.md) */
        .front_deg = 60.0,   /* halfway between oblique and front-on */
        .oblique_conf_factor = 0.8,
        .front_conf_factor = 0.3,
        /* oblique views see the lateral axis at sin(view angle), about 0.5-0.85 of it, and the
         * rest is the pose model's depth guess, its least accurate axis (the rules leave the
         * frontal checks to front and rear views: docs/RULES.md, "Front-view checks") */
        .frontal_oblique_conf_factor = 0.3,
        .proxy_conf_factor = 0.7,
        /* a single-leg RDL's free foot rises with the hinge: the leg in line with a trunk 45 deg
         * forward lifts the ankle 0.3 of the leg's length, at the usual bottom (trunk near
         * horizontal) 0.7-1. 0.3 held 0.3 s is past a walking step's swing (the ankle rises
         * about 0.15-0.25 of the leg for 0.4 s) and a quarter of the set's time excludes a step
         * into place; the project's own numbers, checked against the synthetic single-leg sets
         * and the real two-legged clips (none reads a single-leg stretch) */
        .single_leg_rise = 0.3,
        .single_leg_hold_s = 0.3,
        .single_leg_share = 0.25,
        /* 0.2 s: about a quarter of the fastest phase we must resolve (a kettlebell swing's
         * backswing lasts ~0.4-0.5 s); a centred quadratic over it keeps turnaround peaks. */
        .smooth_window_s = 0.2,
        .smooth_order = 2,
        /* the image verdict's confidence is the share of frames with the implement found,
         * scaled by how well its outline fits: the real kettlebell clips read 0.62-0.77 */
        .implement_image_min_conf = 0.5,
    };
    return p;
}

/* ---- small geometry -------------------------------------------------------------------- */

struct v2 {
    double f, u; /* forward, up */
};

static struct v2 v2_sub(struct v2 a, struct v2 b)
{
    return (struct v2){a.f - b.f, a.u - b.u};
}

static double v2_len(struct v2 a)
{
    return hypot(a.f, a.u);
}

/* Unsigned angle at b between b->a and b->c, degrees. */
static double angle3(struct v2 a, struct v2 b, struct v2 c)
{
    struct v2 x = v2_sub(a, b), y = v2_sub(c, b);
    double d = atan2(fabs(x.f * y.u - x.u * y.f), x.f * y.f + x.u * y.u);
    return d * DEG;
}

/* Direction of a->b from horizontal forward, degrees in (-180, 180]: 90 = straight up. */
static double heading(struct v2 a, struct v2 b)
{
    return atan2(b.u - a.u, b.f - a.f) * DEG;
}

static double wrap180(double a)
{
    while (a > 180.0)
        a -= 360.0;
    while (a <= -180.0)
        a += 360.0;
    return a;
}

/* Landmark indices of one body side. */
struct side_idx {
    int ear, sh, elbow, wrist, hip, knee, ankle, heel, toe;
};
static const struct side_idx side_left = {HC_LM_LEFT_EAR,   HC_LM_LEFT_SHOULDER, HC_LM_LEFT_ELBOW,
                                          HC_LM_LEFT_WRIST, HC_LM_LEFT_HIP,      HC_LM_LEFT_KNEE,
                                          HC_LM_LEFT_ANKLE, HC_LM_LEFT_HEEL,     HC_LM_LEFT_FOOT_INDEX};
static const struct side_idx side_right = {
    HC_LM_RIGHT_EAR,   HC_LM_RIGHT_SHOULDER, HC_LM_RIGHT_ELBOW,
    HC_LM_RIGHT_WRIST, HC_LM_RIGHT_HIP,      HC_LM_RIGHT_KNEE,
    HC_LM_RIGHT_ANKLE, HC_LM_RIGHT_HEEL,     HC_LM_RIGHT_FOOT_INDEX};

static float vis(const struct hc_pose_frame *f, int i)
{
    float v = f->lm[i].visibility;
    return isfinite(v) ? v : 0.0f;
}

static int finite3(const float *w)
{
    return isfinite(w[0]) && isfinite(w[1]) && isfinite(w[2]);
}

/* ---- view, side and facing --------------------------------------------------------------- */

/* How far from side-on the camera looks at the lifter, degrees (0 side-on, 90 front-on):
 * the mean of (a) the yaw of the shoulder and hip lines in world landmarks and (b) the image
 * widths of shoulders and hips against the torso length, relative to the same ratio in metres. */
static double view_angle(const struct hc_pose_frame *f)
{
    const float(*w)[3] = f->world_m;
    double sum = 0.0;
    int n = 0;
    const int pairs[2][2] = {{HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER},
                             {HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP}};
    double wide_w = 0.0, wide_px = 0.0;
    int ok = 1;
    for (int k = 0; k < 2; k++) {
        const float *a = w[pairs[k][0]], *b = w[pairs[k][1]];
        if (!finite3(a) || !finite3(b)) {
            ok = 0;
            continue;
        }
        double dx = b[0] - a[0], dz = b[2] - a[2];
        if (hypot(dx, dz) > 1e-4) {
            sum += atan2(fabs(dx), fabs(dz)) * DEG;
            n++;
        }
        wide_w += sqrt(dx * dx + (double)(b[1] - a[1]) * (b[1] - a[1]) + dz * dz);
        wide_px += fabs((double)f->lm[pairs[k][1]].x_px - f->lm[pairs[k][0]].x_px);
    }
    double world_yaw = n ? sum / n : NAN;
    /* image estimate: apparent width / (true width scaled by torso length) = sin(yaw) */
    double img_yaw = NAN;
    if (ok) {
        double msx = 0.5 * (w[11][0] + w[12][0]), msy = 0.5 * (w[11][1] + w[12][1]),
               msz = 0.5 * (w[11][2] + w[12][2]);
        double mhx = 0.5 * (w[23][0] + w[24][0]), mhy = 0.5 * (w[23][1] + w[24][1]),
               mhz = 0.5 * (w[23][2] + w[24][2]);
        double torso_w = sqrt((msx - mhx) * (msx - mhx) + (msy - mhy) * (msy - mhy) +
                              (msz - mhz) * (msz - mhz));
        double torso_px = hypot(0.5 * (f->lm[11].x_px + f->lm[12].x_px - f->lm[23].x_px -
                                       f->lm[24].x_px),
                                0.5 * (f->lm[11].y_px + f->lm[12].y_px - f->lm[23].y_px -
                                       f->lm[24].y_px));
        if (torso_w > 1e-3 && torso_px > 1.0 && wide_w > 1e-3) {
            double s = (wide_px / torso_px) / (wide_w / torso_w);
            img_yaw = asin(s > 1.0 ? 1.0 : s) * DEG;
        }
    }
    if (isfinite(world_yaw) && isfinite(img_yaw))
        return 0.5 * (world_yaw + img_yaw);
    return isfinite(world_yaw) ? world_yaw : img_yaw;
}

/* The body side nearer the camera: world z (negative = nearer, MediaPipe) when it separates
 * the sides by more than 3 cm on average, else the summed visibility. */
static enum kin_side near_side(const struct hc_pose_frame *f)
{
    const struct side_idx *l = &side_left, *r = &side_right;
    const int li[] = {l->sh, l->hip, l->knee, l->ankle}, ri[] = {r->sh, r->hip, r->knee, r->ankle};
    double dz = 0.0, dv = 0.0;
    for (int k = 0; k < 4; k++) {
        dz += (double)f->world_m[li[k]][2] - f->world_m[ri[k]][2];
        dv += (double)vis(f, li[k]) - vis(f, ri[k]);
    }
    dz /= 4.0;
    if (isfinite(dz) && fabs(dz) > 0.03)
        return dz < 0 ? KIN_SIDE_LEFT : KIN_SIDE_RIGHT;
    if (fabs(dv) > 1e-3)
        return dv > 0 ? KIN_SIDE_LEFT : KIN_SIDE_RIGHT;
    return KIN_SIDE_UNKNOWN;
}

/* Image direction the toes point: sign of (toe - heel) x over both feet, weighted by
 * visibility; falls back to nose against the ears. */
static int image_facing(const struct hc_pose_frame *f)
{
    double s = 0.0, wsum = 0.0;
    const struct side_idx *sides[2] = {&side_left, &side_right};
    for (int k = 0; k < 2; k++) {
        double w = fmin(vis(f, sides[k]->heel), vis(f, sides[k]->toe));
        s += w * ((double)f->lm[sides[k]->toe].x_px - f->lm[sides[k]->heel].x_px);
        wsum += w;
    }
    double foot = hypot(f->lm[31].x_px - f->lm[29].x_px, f->lm[31].y_px - f->lm[29].y_px);
    if (wsum > 0.0 && fabs(s / wsum) > 0.25 * foot && fabs(s) > 1e-6)
        return s > 0 ? 1 : -1;
    double ears = 0.5 * (f->lm[HC_LM_LEFT_EAR].x_px + f->lm[HC_LM_RIGHT_EAR].x_px);
    double d = f->lm[HC_LM_NOSE].x_px - ears;
    if (fabs(d) > 1.0)
        return d > 0 ? 1 : -1;
    return 0;
}

/* World forward unit vector in the horizontal (x, z) plane: heel -> toe of both feet; falls
 * back to the normal of the hip line pointing towards the nose. */
static int world_forward(const struct hc_pose_frame *f, double *fx, double *fz)
{
    const float(*w)[3] = f->world_m;
    double x = w[31][0] - w[29][0] + w[32][0] - w[30][0];
    double z = w[31][2] - w[29][2] + w[32][2] - w[30][2];
    double len = hypot(x, z);
    if (!(len > 0.04)) { /* feet foreshortened (camera behind / in front): use the hip normal */
        double hx = w[24][0] - w[23][0], hz = w[24][2] - w[23][2];
        x = -hz;
        z = hx;
        double nx = w[0][0] - 0.5 * (w[23][0] + w[24][0]), nz = w[0][2] - 0.5 * (w[23][2] + w[24][2]);
        if (x * nx + z * nz < 0) {
            x = -x;
            z = -z;
        }
        len = hypot(x, z);
    }
    if (!(len > 1e-6) || !isfinite(len))
        return 0;
    *fx = x / len;
    *fz = z / len;
    return 1;
}

/* ---- frame measurement ------------------------------------------------------------------- */

struct pts {
    struct v2 ear, sh, hip, knee, ankle, heel, toe, bar, hands, heel2, toe2;
    float v_ear, v_sh, v_hip, v_knee, v_ankle, v_heel, v_toe, v_bar;
    int have_bar;
};

static void set_nan(struct kin_frame *out)
{
    for (int m = 0; m < KIN_N_METRICS; m++) {
        out->value[m] = NAN;
        out->conf[m] = 0.0f;
    }
}

/* Confidence of a metric: lowest visibility of its landmarks (0 when any is below the
 * threshold), times the view factor. */
static float conf_of(const struct kin_params *p, double factor, int n, const float *v)
{
    float c = 1.0f;
    for (int i = 0; i < n; i++)
        c = v[i] < c ? v[i] : c;
    if (c < p->min_visibility)
        return 0.0f;
    return (float)(c * factor);
}

static void put(struct kin_frame *out, enum kin_metric m, double v, float c)
{
    if (c > 0.0f && isfinite(v)) {
        out->value[m] = v;
        out->conf[m] = c;
    } else {
        out->value[m] = NAN;
        out->conf[m] = 0.0f;
    }
}

void kin_frame_measure(const struct hc_pose_frame *f, int width_px, int height_px,
                       const struct kin_params *p, enum kin_side side, int facing, int use_world,
                       const struct kin_mask *mask, struct kin_frame *out)
{
    kin_frame_measure_bar(f, width_px, height_px, p, side, facing, use_world, mask, NULL, 0.0f,
                          out);
}

void kin_frame_measure_bar(const struct hc_pose_frame *f, int width_px, int height_px,
                           const struct kin_params *p, enum kin_side side, int facing,
                           int use_world, const struct kin_mask *mask, const double *bar_px,
                           float bar_vis, struct kin_frame *out)
{
    struct kin_params defp;
    if (!p) {
        defp = kin_default_params();
        p = &defp;
    }
    set_nan(out);
    out->side = KIN_SIDE_UNKNOWN;
    out->facing = 0;
    out->view_angle_deg = NAN;
    out->view_conf = 0.0f;
    out->cm_per_px = NAN;
    out->spine_src = KIN_SPINE_NONE;
    out->mask_refused = 0;
    if (!f || !f->has_pose)
        return;

    out->view_angle_deg = view_angle(f);
    out->view_conf = 0.5f * (vis(f, 11) + vis(f, 12) + vis(f, 23) + vis(f, 24)) / 2.0f;
    out->side = side != KIN_SIDE_UNKNOWN ? side : near_side(f);
    out->facing = facing != 0 ? facing : image_facing(f);
    const struct side_idx *s = out->side == KIN_SIDE_RIGHT ? &side_right : &side_left;
    const struct side_idx *o = out->side == KIN_SIDE_RIGHT ? &side_left : &side_right;

    double va = out->view_angle_deg;
    if (use_world < 0)
        use_world = isfinite(va) && va > p->oblique_deg;
    double factor = !isfinite(va)          ? p->oblique_conf_factor
                    : va > p->front_deg    ? p->front_conf_factor
                    : va > p->oblique_deg  ? p->oblique_conf_factor
                                           : 1.0;

    /* image scale from world segment lengths of the legs (hip-knee, knee-ankle): they move in
     * the sagittal plane, where a side-on image sees them at full length, whereas the
     * shoulder-hip segment also spans the shoulders' extra width */
    double leg_m = NAN; /* hip-knee + knee-ankle, metres */
    {
        const int seg[2][2] = {{s->hip, s->knee}, {s->knee, s->ankle}};
        double lw = 0.0, lp = 0.0;
        for (int k = 0; k < 2; k++) {
            const float *a = f->world_m[seg[k][0]], *b = f->world_m[seg[k][1]];
            lw += sqrt((double)(a[0] - b[0]) * (a[0] - b[0]) + (double)(a[1] - b[1]) * (a[1] - b[1]) +
                       (double)(a[2] - b[2]) * (a[2] - b[2]));
            lp += hypot(f->lm[seg[k][0]].x_px - f->lm[seg[k][1]].x_px,
                        f->lm[seg[k][0]].y_px - f->lm[seg[k][1]].y_px);
        }
        if (lp > 1.0 && lw > 0.05 && isfinite(lw))
            out->cm_per_px = 100.0 * lw / lp;
        if (lw > 0.3 && isfinite(lw))
            leg_m = lw;
    }

    /* project the landmarks we need into (forward, up); unit: cm */
    struct pts P;
    double fx = 0, fz = 0;
    double unit; /* cm per coordinate unit */
    int dir = out->facing;
    if (use_world) {
        if (!world_forward(f, &fx, &fz))
            return;
        unit = 100.0;
    } else {
        if (dir == 0)
            return; /* cannot tell forward from back: sagittal metrics are unknowable */
        /* the plate's scale when the series chose it (kin_params.plate_cm_per_px) */
        unit = p->plate_cm_per_px > 0.0 ? p->plate_cm_per_px
               : isfinite(out->cm_per_px) ? out->cm_per_px
                                          : NAN;
    }
#define PROJ(idx)                                                                                  \
    (use_world ? (struct v2){f->world_m[idx][0] * fx + f->world_m[idx][2] * fz,                    \
                             -(double)f->world_m[idx][1]}                                          \
               : (struct v2){(double)f->lm[idx].x_px * dir, -(double)f->lm[idx].y_px})
    P.ear = PROJ(s->ear);
    P.sh = PROJ(s->sh);
    P.hip = PROJ(s->hip);
    P.knee = PROJ(s->knee);
    P.ankle = PROJ(s->ankle);
    P.heel = PROJ(s->heel);
    P.toe = PROJ(s->toe);
    P.heel2 = PROJ(o->heel);
    P.toe2 = PROJ(o->toe);
    P.v_ear = vis(f, s->ear);
    P.v_sh = vis(f, s->sh);
    P.v_hip = vis(f, s->hip);
    P.v_knee = vis(f, s->knee);
    P.v_ankle = vis(f, s->ankle);
    P.v_heel = vis(f, s->heel);
    P.v_toe = vis(f, s->toe);
    /* bar / bell: midpoint of the wrists that are visible (the hands hold it together), or the
     * point the caller found (the near plate's centre, the bar's end) */
    {
        struct v2 a = PROJ(HC_LM_LEFT_WRIST), b = PROJ(HC_LM_RIGHT_WRIST);
        float va_ = vis(f, HC_LM_LEFT_WRIST), vb = vis(f, HC_LM_RIGHT_WRIST);
        P.have_bar = 1;
        if (va_ >= p->min_visibility && vb >= p->min_visibility) {
            P.bar = (struct v2){0.5 * (a.f + b.f), 0.5 * (a.u + b.u)};
            P.v_bar = va_ < vb ? va_ : vb;
        } else if (va_ >= vb) {
            P.bar = a;
            P.v_bar = va_;
        } else {
            P.bar = b;
            P.v_bar = vb;
        }
        P.hands = P.bar;
        /* either coordinate may be NaN: the hands' there */
        if (bar_px && !use_world && (isfinite(bar_px[0]) || isfinite(bar_px[1]))) {
            if (isfinite(bar_px[0]))
                P.bar.f = bar_px[0] * dir;
            if (isfinite(bar_px[1]))
                P.bar.u = -bar_px[1];
            P.v_bar = bar_vis;
        }
    }
#undef PROJ

    float c;
    /* hip angle: shoulder-hip-knee, signed in the sagittal plane so that leaning back past
     * the thigh line reads above 180 (hyperextension) instead of folding back below it */
    c = conf_of(p, factor, 3, (float[]){P.v_sh, P.v_hip, P.v_knee});
    put(out, KIN_HIP_ANGLE, 180.0 - wrap180(heading(P.knee, P.hip) - heading(P.hip, P.sh)), c);
    /* knee flexion: 180 - hip-knee-ankle */
    c = conf_of(p, factor, 3, (float[]){P.v_hip, P.v_knee, P.v_ankle});
    put(out, KIN_KNEE_FLEXION, 180.0 - angle3(P.hip, P.knee, P.ankle), c);
    /* torso inclination: heading of hip->shoulder from horizontal forward (90 upright) */
    double trunk = heading(P.hip, P.sh);
    c = conf_of(p, factor, 2, (float[]){P.v_hip, P.v_sh});
    put(out, KIN_TORSO_INCLINATION, trunk < -90.0 ? trunk + 360.0 : trunk, c);
    /* shin: ankle->knee from vertical, + when the knee is ahead of the ankle */
    {
        struct v2 d = v2_sub(P.knee, P.ankle);
        c = conf_of(p, factor, 2, (float[]){P.v_ankle, P.v_knee});
        put(out, KIN_SHIN_ANGLE, atan2(d.f, d.u) * DEG, c);
    }
    /* neck: shoulder->ear against hip->shoulder; + = the head tipped back (extension) */
    double neck = wrap180(heading(P.sh, P.ear) - trunk);
    c = conf_of(p, factor, 3, (float[]){P.v_hip, P.v_sh, P.v_ear});
    put(out, KIN_NECK_ANGLE, neck, c);
    /* spine: mask contour when given, else the keypoint proxy (see below) */
    {
        double spine = NAN;
        enum kin_spine_source src = KIN_SPINE_MASK;
        float cs = conf_of(p, factor, 2, (float[]){P.v_hip, P.v_sh});
        if (mask && mask->data && !use_world && cs > 0.0f) {
            struct v2 t = v2_sub(P.sh, P.hip);
            double L = v2_len(t);
            /* an elbow behind the trunk line over the back, past 0.1 of the chord (half way to
             * the back surface, see kin_spine_from_mask; a bar held on the back: good
             * morning) puts the arm on the back's outline: the mask cannot see the spine there
             * (the synthetic good morning read 0.09-0.17 of "rounding" that way) */
            int arm_on_back = 0;
            for (int k = 0; k < 2 && L > 1.0; k++) {
                const int el = k ? HC_LM_RIGHT_ELBOW : HC_LM_LEFT_ELBOW;
                struct v2 e = v2_sub((struct v2){(double)f->lm[el].x_px * dir,
                                                 -(double)f->lm[el].y_px},
                                     P.hip);
                double along = (e.f * t.f + e.u * t.u) / (L * L);
                double behind = (e.f * -t.u + e.u * t.f) / L; /* + towards the back */
                arm_on_back |= along > 0.15 && along < 1.1 && behind > 0.1 * L;
            }
            /* the hands (the bar) within half the chord of the shoulder: a bar on the back
             * or racked; its plates overlap the upper back's outline. Hanging arms hold the
             * hands about 1.15 chords away (arm 0.33 of height over a 0.29 trunk, Winter) */
            if (hypot(P.hands.f - P.sh.f, P.hands.u - P.sh.u) < 0.5 * L)
                arm_on_back = 1;
            /* a barbell's plate around the hands reaching the hip joint covers the glutes and
             * lower back in a side view (lockout, top of the pull): on a real side-view barbell
             * deadlift the plate's rim read -0.18 ("hyperextended") at lockout. Plate as for
             * the heel lift (kin_series.c): kin_params.plate_radius_cm x 1.2 perspective,
             * centred 8 cm below the wrists. Kettlebells are treated alike (kin cannot tell them
             * apart): their lockout falls back to the proxy, their bottom keeps the mask. */
            if (isfinite(out->cm_per_px) && out->cm_per_px > 0.0) {
                const double plate_px = p->plate_radius_cm * 1.2 / out->cm_per_px,
                             grip_px = 8.0 / out->cm_per_px;
                if (hypot(P.hands.f - P.hip.f, P.hands.u - grip_px - P.hip.u) < plate_px)
                    arm_on_back = 1;
            }
            out->mask_refused = arm_on_back;
            if (L > 1.0 && !arm_on_back) {
                /* back normal in (f, u) is (-t.u, t.f)/L; to image: x = f * dir, y = -u */
                double bx = -t.u / L * dir, by = -t.f / L;
                spine = kin_spine_from_mask(mask, width_px, height_px, f->lm[s->hip].x_px,
                                            f->lm[s->hip].y_px, f->lm[s->sh].x_px,
                                            f->lm[s->sh].y_px, bx, by);
            }
        }
        if (!isfinite(spine)) {
            src = KIN_SPINE_PROXY;
            /* Keypoint proxy: the mid-back bend seen from hip, shoulder and ear. A rounded upper
             * back carries the shoulder towards the back of the hip-ear chord; an arched one
             * towards the front. Deviation of the shoulder from the chord / chord length. It
             * also moves with head posture, hence its lower confidence (proxy_conf_factor). */
            struct v2 chord = v2_sub(P.ear, P.hip);
            double L = v2_len(chord);
            /* head posture moves the ear, hence the proxy: trust it fully with the head within
             * 15 deg of the trunk line (a neutral neck, the coaching cue), not at all beyond
             * 40 deg (looking up or tucked); a rule then says "not assessable" instead of
             * reading a raised head as an arched back */
            double head = isfinite(neck) ? fabs(neck) : 40.0;
            double gate = head <= 15.0 ? 1.0 : head >= 40.0 ? 0.0 : (40.0 - head) / 25.0;
            cs = conf_of(p, factor * p->proxy_conf_factor * gate, 3,
                         (float[]){P.v_hip, P.v_sh, P.v_ear});
            if (L > 1e-6) {
                struct v2 back = {-chord.u / L, chord.f / L};
                struct v2 d = v2_sub(P.sh, P.hip);
                spine = (d.f * back.f + d.u * back.u) / L;
            }
        }
        put(out, KIN_SPINE_CURVATURE, spine, cs);
        out->spine_src = out->conf[KIN_SPINE_CURVATURE] > 0.0f ? src : KIN_SPINE_NONE;
    }
    /* bar and hips against mid-foot (between heel and toe) */
    struct v2 mid = {0.5 * (P.heel.f + P.toe.f), 0.5 * (P.heel.u + P.toe.u)};
    float v_mid = P.v_heel < P.v_toe ? P.v_heel : P.v_toe;
    c = conf_of(p, factor, 2, (float[]){P.v_bar, v_mid});
    put(out, KIN_BAR_MIDFOOT, (P.bar.f - mid.f) * unit, c);
    c = conf_of(p, factor, 2, (float[]){P.v_hip, v_mid});
    put(out, KIN_HIP_MIDFOOT, (P.hip.f - mid.f) * unit, c);
    /* bar against the leg's joint line at the bar's height (thigh above the knee, shin below) */
    {
        struct v2 a, b;
        float vv[3] = {P.v_bar, P.v_knee, 0};
        if (P.bar.u >= P.knee.u) {
            a = P.knee;
            b = P.hip;
            vv[2] = P.v_hip;
        } else {
            a = P.ankle;
            b = P.knee;
            vv[2] = P.v_ankle;
        }
        double du = b.u - a.u;
        double legf = fabs(du) > 1e-9 ? a.f + (b.f - a.f) * (P.bar.u - a.u) / du : a.f;
        /* above the hip or below the ankle: clamp to the segment end */
        if (P.bar.u > P.hip.u)
            legf = P.hip.f;
        if (P.bar.u < P.ankle.u)
            legf = P.ankle.f;
        put(out, KIN_BAR_LEG, (P.bar.f - legf) * unit, conf_of(p, factor, 3, vv));
        /* the front of the leg: the joint line plus the limb's half-depth. Body height from the
         * leg (thigh + shank = 0.491 of height, Winter fig. 4.1); half-depths 0.045 (thigh) and
         * 0.030 (shin) of height: ANSUR II (2012) median mid-thigh and calf circumferences,
         * about 55 and 38 cm at 1.75 m, i.e. radii of 8.8 and 6 cm around the joint line
         * (rounded down: the bone sits behind the limb's centre). A barbell touching the legs
         * then reads its own radius plus clothing, about 2-3 cm. */
        double height_cm = 100.0 * leg_m / 0.491;
        double half = (P.bar.u >= P.knee.u ? 0.045 : 0.030) * height_cm;
        put(out, KIN_BAR_FRONT, (P.bar.f - legf) * unit - half, conf_of(p, factor, 3, vv));
    }
    /* heights above the lowest foot landmark of this frame (the series refits a floor line) */
    {
        double low = fmin(fmin(P.heel.u, P.toe.u), fmin(P.heel2.u, P.toe2.u));
        float vf = v_mid;
        put(out, KIN_BAR_HEIGHT, (P.bar.u - low) * unit, conf_of(p, factor, 2, (float[]){P.v_bar, vf}));
        put(out, KIN_HIP_HEIGHT, (P.hip.u - low) * unit, conf_of(p, factor, 2, (float[]){P.v_hip, vf}));
        put(out, KIN_HEEL_LIFT, (P.heel.u - P.toe.u) * unit, conf_of(p, factor, 1, &vf));
    }
}
