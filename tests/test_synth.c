/* test_synth.c - the synthetic clip generator reproduces its own parameters.
 *
 * Built twice (tests/synth.cmake): test_synth (label unit: kinematics, projection, renderer;
 * pure, no FFmpeg) and, with SYNTH_MEDIA defined, test_synth_media (label media: hc_synth encodes
 * a clip that the project's decoder reads back with the requested frame count, upright). */
#include "synth_kin.h"
#include "synth_render.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#ifdef SYNTH_MEDIA
#include "video/video.h"
#include <cjson/cJSON.h>
#endif

static int near_col(const uint8_t *px, const float *col, double lo, int tol)
{
    /* shading scales colours by 0.8..1.0 */
    for (int i = 0; i < 3; i++)
        if (px[i] < col[i] * lo - tol || px[i] > col[i] + tol)
            return 0;
    return 1;
}

#ifndef SYNTH_MEDIA
static struct synth_script *make_script(const struct synth_params *p)
{
    struct synth_script *sc = malloc(sizeof *sc);
    ck_assert_ptr_nonnull(sc);
    ck_assert_msg(synth_script_init(p, sc) == HC_OK, "script: %s", hc_last_error());
    return sc;
}

/* ---- bottom of each rep: depth and knee exactly as asked ------------------------------------ */

struct bottom_case {
    enum synth_lift lift;
    double depth, knee; /* parameters (NAN: lift default) */
    int fault;          /* -1 none */
    double want_depth, want_knee;
};
static const struct bottom_case bottom_cases[] = {
    {SYNTH_LIFT_RDL, NAN, NAN, -1, 90, 18},
    {SYNTH_LIFT_RDL, 100, 25, -1, 100, 25},
    {SYNTH_LIFT_RDL, 75, 10, -1, 75, 10},
    {SYNTH_LIFT_DEADLIFT, NAN, NAN, -1, 62, 62},
    {SYNTH_LIFT_KB_SWING, NAN, NAN, -1, 105, 22},
    {SYNTH_LIFT_GOOD_MORNING, 85, 12, -1, 85, 12},
    {SYNTH_LIFT_RDL, NAN, NAN, SYNTH_FAULT_TOO_DEEP, 55, 18},
    {SYNTH_LIFT_RDL, NAN, NAN, SYNTH_FAULT_TOO_SHALLOW, 140, 18},
    {SYNTH_LIFT_RDL, NAN, NAN, SYNTH_FAULT_STIFF_KNEES, 90, 1},
    {SYNTH_LIFT_RDL, NAN, NAN, SYNTH_FAULT_SQUAT, 90, 70},
    {SYNTH_LIFT_RDL, NAN, NAN, SYNTH_FAULT_HIPS_EARLY, 90, 50},
};

START_TEST(test_bottom_reproduces_params)
{
    const struct bottom_case *c = &bottom_cases[_i];
    struct synth_params p = synth_default_params(c->lift);
    p.n_reps = 3;
    if (!isnan(c->depth))
        p.depth_deg = c->depth;
    if (!isnan(c->knee))
        p.knee_deg = c->knee;
    if (c->fault >= 0)
        ck_assert_int_eq(synth_params_add_fault(&p, c->fault, 0), HC_OK);
    struct synth_script *sc = make_script(&p);
    for (int r = 0; r < p.n_reps; r++) {
        struct synth_pose pose;
        synth_pose_at(sc, sc->rep[r].t_bottom_s, &pose);
        ck_assert_msg(fabs(pose.truth.hip_angle_deg - c->want_depth) < 0.5,
                      "case %d rep %d: hip angle %.2f, want %.1f", _i, r + 1,
                      pose.truth.hip_angle_deg, c->want_depth);
        ck_assert_msg(fabs(pose.truth.knee_flexion_deg - c->want_knee) < 0.5,
                      "case %d rep %d: knee %.2f, want %.1f", _i, r + 1,
                      pose.truth.knee_flexion_deg, c->want_knee);
        /* barbell plates stay on or above the floor */
        if (c->lift == SYNTH_LIFT_RDL || c->lift == SYNTH_LIFT_DEADLIFT)
            ck_assert_msg(pose.truth.bar_height_cm / 100 >= sc->plate_radius_m - 1e-9,
                          "case %d: bar %.1f cm, plates %.3f m", _i, pose.truth.bar_height_cm,
                          sc->plate_radius_m);
        /* Truth is measured on the generated landmarks too: near-side image angle at yaw 0. */
        const struct hc_landmark *lm = pose.lm.lm;
        int s = p.facing > 0 ? HC_LM_RIGHT_SHOULDER : HC_LM_LEFT_SHOULDER;
        int h = s + (HC_LM_LEFT_HIP - HC_LM_LEFT_SHOULDER),
            k = s + (HC_LM_LEFT_KNEE - HC_LM_LEFT_SHOULDER);
        double ux = lm[s].x_px - lm[h].x_px, uy = lm[s].y_px - lm[h].y_px;
        double vx = lm[k].x_px - lm[h].x_px, vy = lm[k].y_px - lm[h].y_px;
        double img = atan2(fabs(ux * vy - uy * vx), ux * vx + uy * vy) * 180 / M_PI;
        ck_assert_msg(fabs(img - c->want_depth) < 2.0, "case %d: image hip angle %.2f vs %.1f", _i,
                      img, c->want_depth);
    }
    free(sc);
}
END_TEST

/* ---- rep timeline -----------------------------------------------------------------------------
 */

START_TEST(test_rep_boundaries)
{
    static const enum synth_lift lifts[] = {SYNTH_LIFT_RDL, SYNTH_LIFT_DEADLIFT,
                                            SYNTH_LIFT_KB_SWING, SYNTH_LIFT_GOOD_MORNING,
                                            SYNTH_LIFT_SL_RDL};
    struct synth_params p = synth_default_params(lifts[_i]);
    p.n_reps = 4;
    struct synth_script *sc = make_script(&p);
    int seen[SYNTH_MAX_REPS + 1] = {0};
    double prev_end = -1;
    for (int r = 0; r < p.n_reps; r++) {
        const struct synth_rep *rp = &sc->rep[r];
        ck_assert(rp->t_start_s > prev_end);
        ck_assert(rp->t_start_s <= rp->t_bottom_s && rp->t_bottom_s < rp->t_lockout_s);
        ck_assert(rp->t_lockout_s <= rp->t_end_s && rp->t_end_s <= sc->duration_s);
        /* one rep lasts lowering + pause + rising (+ top pause in a deadlift) */
        double want = p.lowering_s +
                      (lifts[_i] == SYNTH_LIFT_DEADLIFT ? p.pause_top_s : p.pause_bottom_s) +
                      p.rising_s;
        ck_assert_msg(fabs(rp->t_end_s - rp->t_start_s - want) < 1e-9,
                      "rep %d lasts %.3f, want %.3f", r + 1, rp->t_end_s - rp->t_start_s, want);
        prev_end = rp->t_end_s;
    }
    int64_t n = synth_script_n_frames(sc);
    ck_assert_int_eq(n, (int64_t)floor(sc->duration_s * p.fps + 1e-9));
    double hip_min = 999;
    for (int64_t i = 0; i < n; i++) {
        struct synth_pose pose;
        double t = i / p.fps;
        synth_pose_at(sc, t, &pose);
        int r = pose.truth.rep;
        ck_assert(r >= 0 && r <= p.n_reps);
        if (r > 0) {
            seen[r]++;
            ck_assert(t >= sc->rep[r - 1].t_start_s - 1e-9 && t <= sc->rep[r - 1].t_end_s + 1e-9);
        } else {
            ck_assert_msg(pose.truth.hip_angle_deg > 170 || lifts[_i] == SYNTH_LIFT_DEADLIFT,
                          "outside reps the lifter stands (t %.2f hip %.1f)", t,
                          pose.truth.hip_angle_deg);
        }
        if (pose.truth.hip_angle_deg < hip_min)
            hip_min = pose.truth.hip_angle_deg;
    }
    for (int r = 1; r <= p.n_reps; r++)
        ck_assert_msg(seen[r] > (int)(p.fps * 0.9), "rep %d has %d frames", r, seen[r]);
    ck_assert(fabs(hip_min - p.depth_deg) < 1.5);
    free(sc);
}
END_TEST

/* ---- single-leg RDL: the standing leg per rep, the free foot up and back at the bottom ------- */

START_TEST(test_sl_rdl_legs)
{
    struct synth_params p = synth_default_params(SYNTH_LIFT_SL_RDL);
    p.n_reps = 4;
    p.sl_switch_every = 2;
    p.sl_stand_left = _i == 0;
    p.facing = _i == 0 ? 1 : -1;
    struct synth_script *sc = make_script(&p);
    for (int r = 1; r <= p.n_reps; r++) {
        const int want_left = (r <= 2) == (_i == 0);
        ck_assert_int_eq(sc->rep[r - 1].stand_left, want_left);
        struct synth_pose b;
        synth_pose_at(sc, sc->rep[r - 1].t_bottom_s, &b);
        ck_assert_int_eq(b.truth.stand_left, want_left);
        /* the lifter's left ankle: the far one (F) when facing +1 */
        const int left_pt = p.facing > 0 ? SP_ANKLE_F : SP_ANKLE_N;
        const double yl = b.pt3[left_pt][1], yr = b.pt3[left_pt == SP_ANKLE_F ? SP_ANKLE_N
                                                                             : SP_ANKLE_F][1];
        const double rise = want_left ? yr - yl : yl - yr;
        ck_assert_msg(rise > 0.4, "rep %d: free ankle %.2f m above the standing one", r, rise);
        ck_assert_msg(b.truth.free_leg_line_deg > 165.0, "rep %d: free leg line %.1f deg", r,
                      b.truth.free_leg_line_deg);
        ck_assert_msg(fabs(b.truth.pelvis_open_deg) < 0.5, "rep %d: clean pelvis %.2f deg", r,
                      b.truth.pelvis_open_deg);
        ck_assert_msg(fabs(b.truth.hip_angle_deg - p.depth_deg) < 1.5, "rep %d: hip %.1f", r,
                      b.truth.hip_angle_deg);
        /* standing between reps, both feet down */
        struct synth_pose t;
        synth_pose_at(sc, sc->rep[r - 1].t_start_s, &t);
        ck_assert(fabs(t.pt3[SP_ANKLE_N][1] - t.pt3[SP_ANKLE_F][1]) < 0.02);
    }
    free(sc);
}
END_TEST

/* ---- faults change the right quantity, on the right rep only --------------------------------- */

struct rep_stats {
    double hip_min, hip_max_bottom_seg, knee_max, shin_max, spine_max, bar_front_max, heel_max,
        neck_max, torso_max, hip_vel_max;
    double hip_rise_first40_cm, shoulder_rise_first40_cm;
    /* frontal truth: the largest of either leg or foot, and the largest magnitude */
    double valgus_max, knee_in_max, foot_max, shift_max, twist_max;
    double pelvis_open_max; /* single-leg RDL: the free side's hip rise, deg */
};

static void stats_of(const struct synth_script *sc, int r, struct rep_stats *s)
{
    const struct synth_rep *rp = &sc->rep[r - 1];
    memset(s, 0, sizeof *s);
    s->hip_min = 999;
    s->hip_max_bottom_seg = -999;
    double t1 = rp->t_end_s + 0.5 * sc->p.pause_top_s, dt = 0.005, prev_hip = NAN;
    for (double t = rp->t_start_s; t <= t1; t += dt) {
        struct synth_pose ps;
        synth_pose_at(sc, t, &ps);
        const struct synth_truth *tr = &ps.truth;
        s->hip_min = fmin(s->hip_min, tr->hip_angle_deg);
        double b0 = rp->bounce ? rp->t_bottom_s : rp->t_bottom_s - 0.5 * rp->pause_bottom_s;
        if (t >= b0 && t <= b0 + rp->pause_bottom_s)
            s->hip_max_bottom_seg = fmax(s->hip_max_bottom_seg, tr->hip_angle_deg);
        s->knee_max = fmax(s->knee_max, tr->knee_flexion_deg);
        s->shin_max = fmax(s->shin_max, tr->shin_angle_deg);
        s->spine_max = fmax(s->spine_max, tr->spine_curvature);
        if (!isnan(tr->bar_leg_front_cm))
            s->bar_front_max = fmax(s->bar_front_max, tr->bar_leg_front_cm);
        s->heel_max = fmax(s->heel_max, tr->heel_lift_cm);
        s->neck_max = fmax(s->neck_max, tr->neck_angle_deg);
        s->torso_max = fmax(s->torso_max, tr->torso_inclination_deg);
        s->valgus_max =
            fmax(s->valgus_max, fmax(tr->knee_valgus_left_deg, tr->knee_valgus_right_deg));
        s->knee_in_max = fmax(s->knee_in_max, fmax(tr->knee_in_left_cm, tr->knee_in_right_cm));
        s->foot_max = fmax(s->foot_max, fmax(tr->foot_angle_left_deg, tr->foot_angle_right_deg));
        s->shift_max = fmax(s->shift_max, fabs(tr->hip_shift_cm));
        s->twist_max = fmax(s->twist_max, fabs(tr->trunk_twist_deg));
        if (isfinite(tr->pelvis_open_deg))
            s->pelvis_open_max = fmax(s->pelvis_open_max, tr->pelvis_open_deg);
        if (!isnan(prev_hip) && t < rp->t_bottom_s)
            s->hip_vel_max = fmax(s->hip_vel_max, (prev_hip - tr->hip_angle_deg) / dt);
        prev_hip = tr->hip_angle_deg;
    }
    /* Rising: how far the hips rise and the trunk turns in the first 40% */
    double tr0 = rp->t_bottom_s + (rp->bounce ? rp->pause_bottom_s : 0.5 * rp->pause_bottom_s);
    struct synth_pose a, b;
    synth_pose_at(sc, tr0, &a);
    synth_pose_at(sc, tr0 + 0.4 * rp->rising_s, &b);
    s->hip_rise_first40_cm = b.truth.hip_height_cm - a.truth.hip_height_cm;
    s->shoulder_rise_first40_cm = 100 * (b.pt3[SP_SHOULDER_N][1] - a.pt3[SP_SHOULDER_N][1]);
}

/* Returns non-zero when `f` is visible in the faulted rep `bad` and absent in the clean rep `ok`.
 */
static int fault_shows(enum synth_fault f, const struct rep_stats *bad, const struct rep_stats *ok,
                       char *why, size_t n)
{
    switch (f) {
    case SYNTH_FAULT_TOO_DEEP:
        snprintf(why, n, "hip min %.1f vs %.1f", bad->hip_min, ok->hip_min);
        return bad->hip_min < 60 && ok->hip_min > 85;
    case SYNTH_FAULT_TOO_SHALLOW:
        snprintf(why, n, "hip min %.1f vs %.1f", bad->hip_min, ok->hip_min);
        return bad->hip_min > 135 && ok->hip_min < 95;
    case SYNTH_FAULT_STIFF_KNEES:
        snprintf(why, n, "knee max %.1f vs %.1f", bad->knee_max, ok->knee_max);
        return bad->knee_max < 3.5 && ok->knee_max > 15;
    case SYNTH_FAULT_SQUAT:
        snprintf(why, n, "knee max %.1f shin %.1f vs %.1f", bad->knee_max, bad->shin_max,
                 ok->knee_max);
        return bad->knee_max > 65 && bad->shin_max > 20 && ok->knee_max < 25;
    case SYNTH_FAULT_ROUNDED_SPINE:
        snprintf(why, n, "spine %.3f vs %.3f", bad->spine_max, ok->spine_max);
        return bad->spine_max > 0.1 && ok->spine_max < 1e-9;
    case SYNTH_FAULT_BAR_DRIFT:
        snprintf(why, n, "bar %.1f vs %.1f cm", bad->bar_front_max, ok->bar_front_max);
        return bad->bar_front_max > 15 && ok->bar_front_max < 4;
    case SYNTH_FAULT_HEEL_LIFT:
        snprintf(why, n, "heel %.2f vs %.2f cm", bad->heel_max, ok->heel_max);
        return bad->heel_max > 7.5 && ok->heel_max == 0;
    case SYNTH_FAULT_FAST_LOWERING:
        snprintf(why, n, "hip speed %.0f vs %.0f deg/s", bad->hip_vel_max, ok->hip_vel_max);
        return bad->hip_vel_max > 3 * ok->hip_vel_max;
    case SYNTH_FAULT_BOUNCE:
        snprintf(why, n, "rebound to %.1f vs %.1f", bad->hip_max_bottom_seg,
                 ok->hip_max_bottom_seg);
        return bad->hip_max_bottom_seg > bad->hip_min + 10 &&
               ok->hip_max_bottom_seg < ok->hip_min + 0.5;
    case SYNTH_FAULT_HIPS_EARLY:
        snprintf(why, n, "first 40%% of the rise: hips +%.1f cm, shoulders +%.1f cm (clean +%.1f)",
                 bad->hip_rise_first40_cm, bad->shoulder_rise_first40_cm,
                 ok->shoulder_rise_first40_cm);
        return bad->hip_rise_first40_cm > 4 && fabs(bad->shoulder_rise_first40_cm) < 0.5 &&
               ok->shoulder_rise_first40_cm > 10;
    case SYNTH_FAULT_LEAN_BACK:
        snprintf(why, n, "torso max %.1f vs %.1f", bad->torso_max, ok->torso_max);
        return bad->torso_max > 100 && ok->torso_max < 93;
    case SYNTH_FAULT_LOOKING_UP:
        snprintf(why, n, "neck %.1f vs %.1f", bad->neck_max, ok->neck_max);
        return bad->neck_max > 30 && fabs(ok->neck_max) < 1e-9;
    case SYNTH_FAULT_KNEE_VALGUS:
        snprintf(why, n, "knee in %.1f cm, %.1f deg vs %.1f cm", bad->knee_in_max, bad->valgus_max,
                 ok->knee_in_max);
        return bad->knee_in_max > 7.5 && bad->valgus_max > 15 && ok->knee_in_max < 0.5;
    case SYNTH_FAULT_TOE_OUT:
        /* the toe landmark sits 1.75 cm outside the heel's line: 3.8 deg with the foot straight */
        snprintf(why, n, "foot %.1f vs %.1f deg", bad->foot_max, ok->foot_max);
        return bad->foot_max > 35 && ok->foot_max < 5;
    case SYNTH_FAULT_HIP_SHIFT:
        snprintf(why, n, "hip shift %.1f vs %.1f cm", bad->shift_max, ok->shift_max);
        return bad->shift_max > 7.9 && ok->shift_max < 1e-9;
    case SYNTH_FAULT_TRUNK_TWIST:
        snprintf(why, n, "twist %.1f vs %.1f deg", bad->twist_max, ok->twist_max);
        return bad->twist_max > 24.9 && ok->twist_max < 1e-9;
    case SYNTH_FAULT_OPEN_HIP:
        /* 25 deg about the trunk axis shows as the hip line's rise by 25 x the trunk's lean
         * (about 0.9 at the single-leg RDL's bottom) */
        snprintf(why, n, "pelvis open %.1f vs %.1f deg", bad->pelvis_open_max,
                 ok->pelvis_open_max);
        return bad->pelvis_open_max > 20 && ok->pelvis_open_max < 1;
    default:
        return 0;
    }
}

START_TEST(test_fault_changes_its_quantity)
{
    const enum synth_fault f = (enum synth_fault)_i;
    /* the open hip is a single-leg fault: its own lift */
    struct synth_params p = synth_default_params(f == SYNTH_FAULT_OPEN_HIP ? SYNTH_LIFT_SL_RDL
                                                                            : SYNTH_LIFT_RDL);
    p.n_reps = 3;
    ck_assert_int_eq(synth_params_add_fault(&p, f, 2), HC_OK);
    ck_assert(synth_params_has_fault(&p, f, 2) && !synth_params_has_fault(&p, f, 1));
    struct synth_script *sc = make_script(&p);
    struct rep_stats s1, s2, s3;
    stats_of(sc, 1, &s1);
    stats_of(sc, 2, &s2);
    stats_of(sc, 3, &s3);
    char why[160];
    ck_assert_msg(fault_shows(f, &s2, &s1, why, sizeof why), "%s on rep 2: %s", synth_fault_name(f),
                  why);
    ck_assert_msg(!fault_shows(f, &s3, &s1, why, sizeof why), "%s leaked into rep 3: %s",
                  synth_fault_name(f), why);
    /* the clean quantities of other faults stay clean on rep 2 */
    if (f != SYNTH_FAULT_HEEL_LIFT)
        ck_assert_msg(s2.heel_max == 0, "%s lifts the heel", synth_fault_name(f));
    if (f != SYNTH_FAULT_ROUNDED_SPINE)
        ck_assert(s2.spine_max == 0);
    if (f != SYNTH_FAULT_LOOKING_UP)
        ck_assert(fabs(s2.neck_max) < 1e-9);
    ck_assert_str_eq(synth_fault_name(synth_fault_from_name(synth_fault_name(f))),
                     synth_fault_name(f));
    free(sc);
}
END_TEST

/* ---- projection -------------------------------------------------------------------------------
 */

static double pair_dx(const struct synth_pose *ps, int left)
{
    return fabs(ps->lm.lm[left].x_px - ps->lm.lm[left + 1].x_px);
}

START_TEST(test_projection_side_and_yaw)
{
    struct synth_params p = synth_default_params(SYNTH_LIFT_RDL);
    p.n_reps = 1;
    struct synth_script *sc = make_script(&p);
    static const int pairs[] = {HC_LM_LEFT_SHOULDER, HC_LM_LEFT_HIP, HC_LM_LEFT_KNEE,
                                HC_LM_LEFT_ANKLE, HC_LM_LEFT_EAR};
    for (double t = 0; t < sc->duration_s; t += 0.25) {
        struct synth_pose ps;
        synth_pose_at(sc, t, &ps);
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
            ck_assert_msg(pair_dx(&ps, pairs[k]) < 0.015 * p.width_px,
                          "yaw 0: landmark pair %d %.1f px apart at t %.2f", pairs[k],
                          pair_dx(&ps, pairs[k]), t);
        /* near side (right, facing right) is visible, far side partly hidden */
        ck_assert(ps.lm.lm[HC_LM_RIGHT_KNEE].visibility > ps.lm.lm[HC_LM_LEFT_KNEE].visibility);
        /* world landmarks are hip-centred, in metres, y down */
        float hx = ps.lm.world_m[HC_LM_LEFT_HIP][0] + ps.lm.world_m[HC_LM_RIGHT_HIP][0];
        ck_assert(fabsf(hx) < 1e-4f);
        ck_assert(ps.lm.world_m[HC_LM_RIGHT_ANKLE][1] > 0.6f);
        ck_assert(ps.lm.world_m[HC_LM_RIGHT_HIP][2] < 0); /* near = smaller z */
        ck_assert(ps.lm.lm[HC_LM_RIGHT_HIP].z < ps.lm.lm[HC_LM_LEFT_HIP].z);
    }
    free(sc);
    p.yaw_deg = 30;
    sc = make_script(&p);
    struct synth_pose ps;
    synth_pose_at(sc, 0, &ps);
    double shoulder_m = 0.2 * p.height_m * sin(30 * M_PI / 180);
    ck_assert_msg(pair_dx(&ps, HC_LM_LEFT_SHOULDER) > 0.8 * shoulder_m * sc->scale_px_per_m,
                  "yaw 30: shoulders only %.1f px apart", pair_dx(&ps, HC_LM_LEFT_SHOULDER));
    free(sc);
    /* facing left mirrors: the nose is left of the ear and the near side is the left */
    p.yaw_deg = 0;
    p.facing = -1;
    sc = make_script(&p);
    synth_pose_at(sc, 0, &ps);
    ck_assert(ps.lm.lm[HC_LM_NOSE].x_px < ps.lm.lm[HC_LM_LEFT_EAR].x_px);
    ck_assert(ps.lm.lm[HC_LM_LEFT_KNEE].visibility > ps.lm.lm[HC_LM_RIGHT_KNEE].visibility);
    free(sc);
}
END_TEST

START_TEST(test_params_rejected)
{
    struct synth_params p = synth_default_params(SYNTH_LIFT_RDL);
    struct synth_script *sc = malloc(sizeof *sc);
    p.depth_deg = 10;
    ck_assert_int_eq(synth_script_init(&p, sc), HC_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "depth_deg"));
    p = synth_default_params(SYNTH_LIFT_RDL);
    p.width_px = 641;
    ck_assert_int_eq(synth_script_init(&p, sc), HC_ERR_INVALID_ARG);
    p = synth_default_params(SYNTH_LIFT_RDL);
    p.n_reps = 0;
    ck_assert_int_eq(synth_script_init(&p, sc), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(synth_params_add_fault(&p, SYNTH_FAULT_BOUNCE, SYNTH_MAX_REPS + 1),
                     HC_ERR_INVALID_ARG);
    ck_assert_int_eq(synth_fault_from_name("no-such-fault"), -1);
    ck_assert_int_eq(synth_lift_from_name("kb-swing"), SYNTH_LIFT_KB_SWING);
    free(sc);
}
END_TEST

/* ---- renderer ---------------------------------------------------------------------------------
 */

START_TEST(test_render_skin_at_head)
{
    static const enum synth_lift lifts[] = {SYNTH_LIFT_RDL, SYNTH_LIFT_KB_SWING,
                                            SYNTH_LIFT_GOOD_MORNING, SYNTH_LIFT_DEADLIFT};
    struct synth_params p = synth_default_params(lifts[_i % 4]);
    p.width_px = 640;
    p.height_px = 360;
    p.n_reps = 1;
    struct synth_script *sc = make_script(&p);
    struct synth_style st;
    synth_style_default(&st, (uint32_t)_i);
    uint8_t *rgb = malloc((size_t)p.width_px * p.height_px * 3);
    int times = 0;
    for (double t = 0; t < sc->duration_s; t += 0.5, times++) {
        struct synth_pose ps;
        synth_pose_at(sc, t, &ps);
        synth_render(sc, &ps, &st, rgb, p.width_px * 3);
        /* the cheek: between the near ear and the near mouth corner */
        const struct hc_landmark *ear = &ps.lm.lm[HC_LM_RIGHT_EAR],
                                 *mo = &ps.lm.lm[HC_LM_MOUTH_RIGHT];
        int cx = (int)(0.45 * ear->x_px + 0.55 * mo->x_px),
            cy = (int)(0.45 * ear->y_px + 0.55 * mo->y_px);
        const uint8_t *px = rgb + ((size_t)cy * p.width_px + cx) * 3;
        ck_assert_msg(near_col(px, st.skin, 0.78, 6), "t %.1f: cheek (%d,%d) is %d,%d,%d not skin",
                      t, cx, cy, px[0], px[1], px[2]);
        /* background far from the lifter: the top corners are the plain background */
        const uint8_t *bg = rgb + 3 * 2;
        ck_assert(near_col(bg, st.bg_top, 0.99, 3));
        bg = rgb + ((size_t)2 * p.width_px + p.width_px - 3) * 3;
        ck_assert(near_col(bg, st.bg_top, 0.99, 3));
        /* the shirt is there: a good number of shirt-coloured pixels */
        int shirt = 0;
        for (int i = 0; i < p.width_px * p.height_px; i++)
            shirt += near_col(rgb + 3 * i, st.shirt, 0.78, 4);
        ck_assert_msg(shirt > 400, "only %d shirt pixels", shirt);
    }
    ck_assert(times > 4);
    free(rgb);
    free(sc);
}
END_TEST

/* --near-plate: in a side view the near plate is drawn over the near leg and arm, centred on the
 * truth's bar position (the near plate's centre), at the scale there (nearer the camera than the
 * body, so bigger than the sagittal scale); without it the same spot shows no plate. */
START_TEST(test_render_near_plate)
{
    struct synth_params p = synth_default_params(SYNTH_LIFT_RDL);
    p.width_px = 640;
    p.height_px = 360;
    p.n_reps = 1;
    p.plate_cm = 45;
    struct synth_style st;
    synth_style_default(&st, 0);
    uint8_t *rgb = malloc((size_t)p.width_px * p.height_px * 3);
    for (int on = 0; on < 2; on++) {
        p.near_plate = on;
        struct synth_script *sc = make_script(&p);
        int times = 0;
        for (double t = 0; t < sc->duration_s; t += 0.5, times++) {
            struct synth_pose ps;
            synth_pose_at(sc, t, &ps);
            synth_render(sc, &ps, &st, rgb, p.width_px * 3);
            const double *c = ps.pt2[SP_PLATE_NEAR];
            const double r = sc->plate_radius_m * ps.px_per_m[SP_PLATE_NEAR];
            ck_assert(ps.px_per_m[SP_PLATE_NEAR] > 1.1 * sc->scale_px_per_m);
            /* behind the bar's end: the knuckles or the thigh; the plate's face 0.5 r out */
            const int fx = (int)(c[0] - 0.5 * r), fy = (int)c[1];
            const uint8_t *face = rgb + ((size_t)fy * p.width_px + fx) * 3;
            ck_assert_msg(near_col(face, st.plate_face, 1.0, 3) == on,
                          "near plate %s, t %.1f: (%d,%d) is %d,%d,%d", on ? "on" : "off", t, fx,
                          fy, face[0], face[1], face[2]);
            if (on) {
                /* the lighter lip at the rim, above the centre */
                const uint8_t *lip =
                    rgb + ((size_t)(int)(c[1] - 0.975 * r) * p.width_px + (int)c[0]) * 3;
                ck_assert(near_col(lip, st.plate_lip, 1.0, 3));
            }
        }
        ck_assert(times > 4);
        free(sc);
    }
    free(rgb);
}
END_TEST

START_TEST(test_rotate_ccw)
{
    /* 3x2 image with distinct pixels; after a 90 deg CCW turn the top-right comes to top-left */
    uint8_t src[2 * 3 * 3], dst[3 * 2 * 3];
    for (int i = 0; i < 6; i++)
        src[3 * i] = src[3 * i + 1] = src[3 * i + 2] = (uint8_t)(10 * (i + 1));
    synth_rotate_ccw(src, 3, 2, 9, 90, dst, 6);
    ck_assert_int_eq(dst[0], 30);         /* src (2,0) */
    ck_assert_int_eq(dst[2 * 6 + 0], 10); /* src (0,0) -> bottom-left */
    ck_assert_int_eq(dst[2 * 6 + 3], 40); /* src (0,1) -> bottom-right */
    synth_rotate_ccw(src, 3, 2, 9, 270, dst, 6);
    ck_assert_int_eq(dst[0], 40); /* src (0,1) -> top-left */
    synth_rotate_ccw(src, 3, 2, 9, 180, dst, 9);
    ck_assert_int_eq(dst[0], 60);
}
END_TEST

#else
/* ---- encode + decode through hc_synth ---------------------------------------------------------
 */

static cJSON *read_json(const char *path)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "%s missing", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = 0;
    fclose(fp);
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    ck_assert_ptr_nonnull(j);
    return j;
}

static int decode_count(const char *path, int *w, int *h, int *skin_ok_at, const float *skin,
                        double px, double py)
{
    struct video_decoder *d = NULL;
    struct video_open_params op = video_default_open_params();
    ck_assert_msg(video_decoder_open(path, &op, &d) == HC_OK, "%s", hc_last_error());
    struct video_frame fr;
    int n = 0;
    enum hc_status st;
    while ((st = video_decoder_next(d, &fr)) == HC_OK) {
        if (n == 0) {
            *w = fr.width_px;
            *h = fr.height_px;
            if (skin_ok_at) {
                const uint8_t *q = fr.rgb + (size_t)(int)py * fr.stride + 3 * (int)px;
                *skin_ok_at = near_col(q, skin, 0.7, 18);
            }
        }
        n++;
    }
    ck_assert_int_eq(st, HC_ERR_EMPTY);
    video_decoder_free(d);
    return n;
}

struct media_case {
    int rotate;
    const char *lift;
};
static const struct media_case media_cases[] = {{0, "rdl"}, {90, "kb-swing"}, {270, "deadlift"}};

START_TEST(test_encode_decodes_to_frame_count)
{
    const struct media_case *c = &media_cases[_i];
    char clip[512], truth[512], track[512], cmd[2048];
    snprintf(clip, sizeof clip, "%s/synth_media_%d.mp4", HC_BUILD_DIR, _i);
    snprintf(truth, sizeof truth, "%s/synth_media_%d.truth.json", HC_BUILD_DIR, _i);
    snprintf(track, sizeof track, "%s/synth_media_%d.jsonl", HC_BUILD_DIR, _i);
    snprintf(cmd, sizeof cmd,
             "'%s' --lift %s --reps 1 --lead-in-s 0.3 --lead-out-s 0.3 --width 320 --height 240 "
             "--fps 15 --rotate %d --out '%s' --truth '%s' --track '%s'",
             HC_SYNTH_PATH, c->lift, c->rotate, clip, truth, track);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
    cJSON *j = read_json(truth);
    int want = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "clip"), "n_frames")->valueint;
    ck_assert(want > 20);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "reps")), 1);
    ck_assert_int_eq(
        cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "series"), "hip_angle_deg")),
        want);
    cJSON_Delete(j);
    /* The track's first frame: where the cheek is in the upright picture. */
    FILE *fp = fopen(track, "r");
    ck_assert_ptr_nonnull(fp);
    static char line[65536];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    cJSON *hdr = cJSON_Parse(line);
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(hdr, "hingecheck_track")); /* docs/TRACK.md */
    ck_assert_int_eq(cJSON_GetObjectItem(hdr, "hingecheck_track")->valueint, 1);
    ck_assert_int_eq(cJSON_GetObjectItem(hdr, "width")->valueint, 320);
    cJSON_Delete(hdr);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    int lines = 1;
    cJSON *f0 = cJSON_Parse(line);
    while (fgets(line, sizeof line, fp))
        lines++;
    fclose(fp);
    ck_assert_int_eq(lines, want);
    cJSON *lms = cJSON_GetObjectItem(f0, "landmarks");
    ck_assert_int_eq(cJSON_GetArraySize(lms), HC_N_LANDMARKS);
    cJSON *ear = cJSON_GetArrayItem(lms, HC_LM_RIGHT_EAR),
          *mo = cJSON_GetArrayItem(lms, HC_LM_MOUTH_RIGHT);
    double px = 0.45 * cJSON_GetArrayItem(ear, 0)->valuedouble +
                0.55 * cJSON_GetArrayItem(mo, 0)->valuedouble;
    double py = 0.45 * cJSON_GetArrayItem(ear, 1)->valuedouble +
                0.55 * cJSON_GetArrayItem(mo, 1)->valuedouble;
    cJSON_Delete(f0);

    struct synth_style st;
    synth_style_default(&st, 0);
    int w = 0, h = 0, skin_ok = 0;
    int got = decode_count(clip, &w, &h, &skin_ok, st.skin, px, py);
    ck_assert_int_eq(got, want);
    ck_assert_int_eq(w, 320); /* upright after the decoder applies the rotation */
    ck_assert_int_eq(h, 240);
    ck_assert_msg(skin_ok, "rotation %d: no skin at the cheek (%.0f,%.0f) of the upright frame",
                  c->rotate, px, py);
    remove(clip);
    remove(truth);
    remove(track);
}
END_TEST

START_TEST(test_demo_clip)
{
    const char *clip = HC_SOURCE_DIR "/data/demo/demo_rdl.mp4";
    const char *truth = HC_SOURCE_DIR "/data/demo/demo_rdl.truth.json";
    FILE *fp = fopen(clip, "rb");
    ck_assert_msg(fp != NULL, "%s missing; see data/demo/README.md", clip);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fclose(fp);
    ck_assert_msg(size < 2L * 1024 * 1024, "demo clip is %ld bytes (limit 2 MB)", size);
    cJSON *j = read_json(truth);
    int want = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "clip"), "n_frames")->valueint;
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "reps")), 5);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "faults")), 0);
    cJSON_Delete(j);
    int w = 0, h = 0;
    ck_assert_int_eq(decode_count(clip, &w, &h, NULL, NULL, 0, 0), want);
    ck_assert_int_eq(w, 1280);
    ck_assert_int_eq(h, 720);
}
END_TEST
#endif

static Suite *synth_suite(void)
{
    Suite *s = suite_create("synth");
    TCase *tc = tcase_create("kin");
    tcase_set_timeout(tc, 120);
#ifndef SYNTH_MEDIA
    tcase_add_loop_test(tc, test_bottom_reproduces_params, 0,
                        (int)(sizeof bottom_cases / sizeof bottom_cases[0]));
    tcase_add_loop_test(tc, test_rep_boundaries, 0, 5);
    tcase_add_loop_test(tc, test_sl_rdl_legs, 0, 2);
    tcase_add_loop_test(tc, test_fault_changes_its_quantity, 0, SYNTH_N_FAULTS);
    tcase_add_test(tc, test_projection_side_and_yaw);
    tcase_add_test(tc, test_params_rejected);
    tcase_add_loop_test(tc, test_render_skin_at_head, 0, 4);
    tcase_add_test(tc, test_render_near_plate);
    tcase_add_test(tc, test_rotate_ccw);
#else
    tcase_add_loop_test(tc, test_encode_decodes_to_frame_count, 0,
                        (int)(sizeof media_cases / sizeof media_cases[0]));
    tcase_add_test(tc, test_demo_clip);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return hc_check_run(synth_suite());
}
