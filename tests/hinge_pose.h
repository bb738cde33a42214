/* hinge_pose.h - test helper: builds BlazePose frames of a stick-figure lifter from joint angles.
 *
 * The figure stands in its sagittal plane (forward f, up u, metres, floor at u = 0, mid-foot
 * near f = 0.05); the camera looks at it from `yaw_deg` off side-on (0 = pure side view, 90 =
 * front) with an orthographic projection at 300 px/m. Image landmarks and world landmarks
 * (hip-centred, y down, z away from the camera) are mutually consistent, so every kinematic
 * quantity has a known true value. Header-only (static functions) for the unit tests. */
#ifndef HC_TEST_HINGE_POSE_H
#define HC_TEST_HINGE_POSE_H

#include "hingecheck.h"

#include <math.h>
#include <string.h>

struct hinge_pose {
    double hip_deg;        /* shoulder-hip-knee angle */
    double knee_deg;       /* knee flexion */
    double shin_deg;       /* shin from vertical, + knee forward */
    double neck_deg;       /* neck extension (+) against the trunk */
    double bar_dx_m;       /* hands ahead (+) of the shoulder's vertical */
    double heel_lift_m;    /* heel (and ankle) raised off the floor */
    double yaw_deg;        /* camera off side-on */
    int facing;            /* +1 faces image +x, -1 faces -x */
    int near_left;         /* 1: the left side is nearer the camera */
    float vis_near, vis_far;
};

static struct hinge_pose hinge_pose_default(void)
{
    struct hinge_pose p = {180.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1, 1, 0.95f, 0.6f};
    return p;
}

#define HP_RAD (3.14159265358979323846 / 180.0)

/* sagittal joint positions of one side (both sides share them; only the lateral offset
 * differs) */
struct hp_sag {
    double f[33], u[33];
};

static void hp_segment(double f0, double u0, double len, double phi_deg, double *f, double *u)
{
    *f = f0 + len * sin(phi_deg * HP_RAD);
    *u = u0 + len * cos(phi_deg * HP_RAD);
}

static void hinge_pose_build(const struct hinge_pose *p, double t_s, int64_t index,
                             struct hc_pose_frame *out)
{
    double af = 0.0, au = 0.08 + p->heel_lift_m;
    double kf, ku, hf, hu, sf, su, ef, eu;
    double phi_s = p->shin_deg, phi_t = p->shin_deg - p->knee_deg;
    double phi_tr = phi_t + (180.0 - p->hip_deg), phi_n = phi_tr - p->neck_deg;
    hp_segment(af, au, 0.43, phi_s, &kf, &ku);
    hp_segment(kf, ku, 0.45, phi_t, &hf, &hu);
    hp_segment(hf, hu, 0.50, phi_tr, &sf, &su);
    hp_segment(sf, su, 0.18, phi_n, &ef, &eu);
    double wf = sf + p->bar_dx_m, wu = su - 0.60;
    /* sagittal position, lateral offset (+ = towards the near side) per landmark */
    double F[33], U[33], L[33];
    for (int i = 0; i < 33; i++) {
        F[i] = sf;
        U[i] = su;
        L[i] = 0.0;
    }
    /* head */
    F[HC_LM_NOSE] = ef + 0.10 * sin((phi_n + 90.0) * HP_RAD);
    U[HC_LM_NOSE] = eu + 0.10 * cos((phi_n + 90.0) * HP_RAD);
    for (int i = 1; i <= 10; i++) {
        F[i] = 0.5 * (ef + F[HC_LM_NOSE]);
        U[i] = 0.5 * (eu + U[HC_LM_NOSE]);
    }
    const double half_w[2] = {0.18, 0.10}; /* shoulders, hips */
    for (int s = 0; s < 2; s++) {
        double lat = s == 0 ? 1.0 : -1.0; /* s = 0: left side */
        int o = s;                        /* left landmarks are the odd/lower index of a pair */
        F[HC_LM_LEFT_EAR + o] = ef;
        U[HC_LM_LEFT_EAR + o] = eu;
        L[HC_LM_LEFT_EAR + o] = 0.07 * lat;
        F[HC_LM_LEFT_SHOULDER + o] = sf;
        U[HC_LM_LEFT_SHOULDER + o] = su;
        L[HC_LM_LEFT_SHOULDER + o] = half_w[0] * lat;
        F[HC_LM_LEFT_ELBOW + o] = 0.5 * (sf + wf);
        U[HC_LM_LEFT_ELBOW + o] = 0.5 * (su + wu);
        L[HC_LM_LEFT_ELBOW + o] = 0.2 * lat;
        for (int k = HC_LM_LEFT_WRIST; k <= HC_LM_LEFT_THUMB; k += 2) {
            F[k + o] = wf;
            U[k + o] = wu;
            L[k + o] = 0.2 * lat;
        }
        F[HC_LM_LEFT_HIP + o] = hf;
        U[HC_LM_LEFT_HIP + o] = hu;
        L[HC_LM_LEFT_HIP + o] = half_w[1] * lat;
        F[HC_LM_LEFT_KNEE + o] = kf;
        U[HC_LM_LEFT_KNEE + o] = ku;
        L[HC_LM_LEFT_KNEE + o] = 0.1 * lat;
        F[HC_LM_LEFT_ANKLE + o] = af;
        U[HC_LM_LEFT_ANKLE + o] = au;
        L[HC_LM_LEFT_ANKLE + o] = 0.1 * lat;
        F[HC_LM_LEFT_HEEL + o] = af - 0.05;
        U[HC_LM_LEFT_HEEL + o] = 0.02 + p->heel_lift_m;
        L[HC_LM_LEFT_HEEL + o] = 0.1 * lat;
        F[HC_LM_LEFT_FOOT_INDEX + o] = af + 0.15;
        U[HC_LM_LEFT_FOOT_INDEX + o] = 0.01;
        L[HC_LM_LEFT_FOOT_INDEX + o] = 0.1 * lat;
    }
    /* camera-world axes: forward F, up = -y, near-side lateral towards the camera (-z) */
    double Fx = p->facing * cos(p->yaw_deg * HP_RAD), Fz = sin(p->yaw_deg * HP_RAD);
    double Nx = Fz, Nz = -Fx; /* horizontal normal of F */
    if (Nz > 0) {
        Nx = -Nx;
        Nz = -Nz;
    }
    if (!p->near_left) { /* lateral + means left; flip so the right side is near */
        Nx = -Nx;
        Nz = -Nz;
    }
    memset(out, 0, sizeof *out);
    out->index = index;
    out->t_s = t_s;
    out->has_pose = 1;
    double hx = 0, hy = 0, hz = 0, X[33], Y[33], Z[33];
    for (int i = 0; i < 33; i++) {
        X[i] = F[i] * Fx + L[i] * Nx;
        Y[i] = -U[i];
        Z[i] = F[i] * Fz + L[i] * Nz;
    }
    hx = 0.5 * (X[23] + X[24]);
    hy = 0.5 * (Y[23] + Y[24]);
    hz = 0.5 * (Z[23] + Z[24]);
    for (int i = 0; i < 33; i++) {
        int left = i == 0 ? -1 : (i % 2 == 1 ? 1 : 0); /* odd indices >= 1 are left */
        int is_near = left < 0 ? 1 : (left == 1) == (p->near_left != 0);
        out->world_m[i][0] = (float)(X[i] - hx);
        out->world_m[i][1] = (float)(Y[i] - hy);
        out->world_m[i][2] = (float)(Z[i] - hz);
        out->lm[i].x_px = (float)(640.0 + 300.0 * X[i]);
        out->lm[i].y_px = (float)(650.0 + 300.0 * Y[i]);
        out->lm[i].z = (float)(Z[i] * 0.3);
        out->lm[i].visibility = is_near ? p->vis_near : p->vis_far;
    }
}

#endif /* HC_TEST_HINGE_POSE_H */
