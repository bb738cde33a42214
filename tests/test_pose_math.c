/* test_pose_math.c - BlazePose post-processing without a model: anchors, detection decoding,
 * weighted NMS, ROI geometry, landmark decoding/refinement/projection, smoothing filters. */
#include "pose/pose.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI_F 3.14159265358979f

/* ---- anchors ---------------------------------------------------------------------------- */

static struct pose_anchor anchors[POSE_DET_N_ANCHORS + 8];

START_TEST(anchors_count_and_layout)
{
    int n = pose_ssd_anchors(anchors, POSE_DET_N_ANCHORS + 8);
    ck_assert_int_eq(n, POSE_DET_N_ANCHORS);
    /* stride 8: 28 x 28 cells x 2 anchors, then stride 16: 14 x 14 x 2, then 3 layers of stride
     * 32 merged: 7 x 7 x 6. */
    ck_assert_float_eq_tol(anchors[0].x_center, 0.5f / 28.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[0].y_center, 0.5f / 28.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[1].x_center, 0.5f / 28.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[2].x_center, 1.5f / 28.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[1567].x_center, 27.5f / 28.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[1567].y_center, 27.5f / 28.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[1568].x_center, 0.5f / 14.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[1960].x_center, 0.5f / 7.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[1965].x_center, 0.5f / 7.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[1966].x_center, 1.5f / 7.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[2253].x_center, 6.5f / 7.0f, 1e-6f);
    ck_assert_float_eq_tol(anchors[2253].y_center, 6.5f / 7.0f, 1e-6f);
    for (int i = 0; i < n; i++) {
        ck_assert_float_eq(anchors[i].w, 1.0f);
        ck_assert_float_eq(anchors[i].h, 1.0f);
    }
    /* a short buffer is not overrun but the count stays right */
    struct pose_anchor few[4];
    ck_assert_int_eq(pose_ssd_anchors(few, 4), POSE_DET_N_ANCHORS);
}
END_TEST

/* ---- decoding --------------------------------------------------------------------------- */

static float raw_boxes[POSE_DET_N_ANCHORS * POSE_DET_N_COORDS];
static float raw_scores[POSE_DET_N_ANCHORS];

START_TEST(decode_hand_made_tensor)
{
    pose_ssd_anchors(anchors, POSE_DET_N_ANCHORS);
    for (int i = 0; i < POSE_DET_N_ANCHORS; i++)
        raw_scores[i] = -10.0f;
    memset(raw_boxes, 0, sizeof raw_boxes);
    /* anchor 1000 (stride 8, cell (24, 17)): centre offset (+22.4, -11.2) px of 224, size 44.8 x
     * 89.6 px, keypoint 0 at +0 and keypoint 1 at (0, -44.8) px. Score logit 2 -> 0.8808. */
    const int a = 1000;
    float *r = raw_boxes + a * POSE_DET_N_COORDS;
    r[0] = 22.4f;
    r[1] = -11.2f;
    r[2] = 44.8f;
    r[3] = 89.6f;
    r[4] = 0.0f;
    r[5] = 0.0f;
    r[6] = 0.0f;
    r[7] = -44.8f;
    raw_scores[a] = 2.0f;
    raw_scores[5] = 1000.0f;  /* clipped to 100 -> sigmoid 1 */
    raw_scores[6] = 0.0f;     /* 0.5: kept at min 0.5 (>=) */
    raw_scores[7] = -0.01f;   /* just below */
    struct pose_detection d[8];
    int n = pose_decode_detections(raw_boxes, raw_scores, anchors, POSE_DET_N_ANCHORS, 0.5f, d, 8);
    ck_assert_int_eq(n, 3);
    ck_assert_float_eq_tol(d[0].score, 1.0f, 1e-6f);
    ck_assert_float_eq_tol(d[1].score, 0.5f, 1e-6f);
    const struct pose_detection *x = &d[2];
    ck_assert_float_eq_tol(x->score, 1.0f / (1.0f + expf(-2.0f)), 1e-6f);
    const float cx = anchors[a].x_center + 0.1f, cy = anchors[a].y_center - 0.05f;
    ck_assert_float_eq_tol(x->xmin, cx - 0.1f, 1e-5f);
    ck_assert_float_eq_tol(x->xmax, cx + 0.1f, 1e-5f);
    ck_assert_float_eq_tol(x->ymin, cy - 0.2f, 1e-5f);
    ck_assert_float_eq_tol(x->ymax, cy + 0.2f, 1e-5f);
    ck_assert_float_eq_tol(x->kp[0][0], anchors[a].x_center, 1e-6f);
    ck_assert_float_eq_tol(x->kp[0][1], anchors[a].y_center, 1e-6f);
    ck_assert_float_eq_tol(x->kp[1][1], anchors[a].y_center - 0.2f, 1e-6f);
    /* the cap holds */
    ck_assert_int_eq(pose_decode_detections(raw_boxes, raw_scores, anchors, POSE_DET_N_ANCHORS,
                                            0.5f, d, 1), 1);
}
END_TEST

static struct pose_detection box(float score, float x0, float y0, float x1, float y1, float kx)
{
    struct pose_detection d;
    memset(&d, 0, sizeof d);
    d.score = score;
    d.xmin = x0;
    d.ymin = y0;
    d.xmax = x1;
    d.ymax = y1;
    for (int k = 0; k < POSE_DET_N_KEYPOINTS; k++) {
        d.kp[k][0] = kx;
        d.kp[k][1] = 0.5f;
    }
    return d;
}

START_TEST(weighted_nms_merges_overlaps)
{
    struct pose_detection in[4] = {
        box(0.6f, 0.12f, 0.1f, 0.52f, 0.5f, 0.4f), /* overlaps the best: merged */
        box(0.9f, 0.1f, 0.1f, 0.5f, 0.5f, 0.3f),   /* the best */
        box(0.7f, 0.6f, 0.6f, 0.9f, 0.9f, 0.8f),   /* separate person */
        box(0.55f, 0.4f, 0.4f, 0.8f, 0.8f, 0.6f),  /* IoU 0.03 with the best, 0.19 with the 2nd */
    };
    struct pose_detection out[4];
    int n = pose_weighted_nms(in, 4, 0.3f, out, 4);
    ck_assert_int_eq(n, 3);
    ck_assert_float_eq_tol(out[0].score, 0.9f, 1e-6f);
    ck_assert_float_eq_tol(out[0].xmin, (0.9f * 0.1f + 0.6f * 0.12f) / 1.5f, 1e-6f);
    ck_assert_float_eq_tol(out[0].xmax, (0.9f * 0.5f + 0.6f * 0.52f) / 1.5f, 1e-6f);
    ck_assert_float_eq_tol(out[0].kp[2][0], (0.9f * 0.3f + 0.6f * 0.4f) / 1.5f, 1e-6f);
    ck_assert_float_eq_tol(out[1].score, 0.7f, 1e-6f);
    ck_assert_float_eq_tol(out[1].xmin, 0.6f, 1e-6f);
    ck_assert_float_eq_tol(out[2].score, 0.55f, 1e-6f);
    /* cap */
    struct pose_detection again[4] = {in[0], in[1], in[2], in[3]};
    ck_assert_int_eq(pose_weighted_nms(again, 4, 0.3f, out, 1), 1);
    ck_assert_int_eq(pose_weighted_nms(again, 0, 0.3f, out, 4), 0);
}
END_TEST

/* ---- ROI geometry ----------------------------------------------------------------------- */

/* Hip centre at (0.5, 0.5) of a 1280 x 720 frame; the scale point 100 px away in a direction. */
static const struct {
    float dx_px, dy_px; /* scale point - hip centre */
    float rotation;     /* expected, radians */
} roi_cases[] = {
    {0.0f, -100.0f, 0.0f},           /* upright */
    {100.0f, 0.0f, PI_F / 2.0f},     /* head to the right: rotate clockwise 90 deg */
    {-100.0f, 0.0f, -PI_F / 2.0f},   /* head to the left */
    {0.0f, 100.0f, -PI_F},           /* upside down: normalized to [-pi, pi) */
    {70.7107f, -70.7107f, PI_F / 4.0f},
};

START_TEST(roi_from_alignment_points)
{
    const int w = 1280, h = 720;
    struct pose_detection d;
    memset(&d, 0, sizeof d);
    d.kp[0][0] = 0.5f;
    d.kp[0][1] = 0.5f;
    d.kp[1][0] = 0.5f + roi_cases[_i].dx_px / (float)w;
    d.kp[1][1] = 0.5f + roi_cases[_i].dy_px / (float)h;
    struct pose_rect r;
    pose_rect_from_detection(&d, w, h, &r);
    ck_assert_float_eq_tol(r.rotation, roi_cases[_i].rotation, 1e-4f);
    ck_assert_float_eq_tol(r.x_center, 0.5f, 1e-6f);
    ck_assert_float_eq_tol(r.y_center, 0.5f, 1e-6f);
    /* side = 2 x 100 px x 1.25, square in pixels */
    ck_assert_float_eq_tol(r.width * (float)w, 250.0f, 1e-2f);
    ck_assert_float_eq_tol(r.height * (float)h, 250.0f, 1e-2f);

    /* The warp and the projection are inverses: a tensor point taken through the affine map
     * lands where pose_project_landmarks puts the same point. */
    double m[6];
    pose_rect_to_affine(&r, w, h, 256, 256, m);
    const float pts[3][2] = {{0.0f, 0.0f}, {256.0f, 0.0f}, {40.0f, 200.0f}};
    for (int k = 0; k < 3; k++) {
        struct pose_lm lm = {pts[k][0] / 256.0f, pts[k][1] / 256.0f, 0.0f, 1.0f, 1.0f};
        const struct pose_padding nopad = {0, 0, 0, 0};
        pose_project_landmarks(&r, &nopad, &lm, 1);
        const double sx = m[0] * pts[k][0] + m[1] * pts[k][1] + m[2];
        const double sy = m[3] * pts[k][0] + m[4] * pts[k][1] + m[5];
        ck_assert_float_eq_tol(lm.x * (float)w, (float)sx, 1e-2f);
        ck_assert_float_eq_tol(lm.y * (float)h, (float)sy, 1e-2f);
    }
    /* The tensor's "up" (v decreasing) points from the hip centre to the scale point. */
    const double ux = -m[1], uy = -m[4];
    const double dot = ux * roi_cases[_i].dx_px + uy * roi_cases[_i].dy_px;
    ck_assert(dot > 0.0);
}
END_TEST

START_TEST(letterbox_roundtrip)
{
    struct pose_rect roi;
    struct pose_padding pad;
    pose_letterbox_roi(1920, 1080, 224, 224, &roi, &pad);
    ck_assert_float_eq_tol(pad.top, (1.0f - 1080.0f / 1920.0f) / 2.0f, 1e-6f);
    ck_assert_float_eq_tol(pad.left, 0.0f, 1e-6f);
    ck_assert_float_eq_tol(roi.width * 1920.0f, 1920.0f, 1e-3f);
    ck_assert_float_eq_tol(roi.height * 1080.0f, 1920.0f, 1e-3f);
    /* portrait */
    pose_letterbox_roi(360, 640, 224, 224, &roi, &pad);
    ck_assert_float_eq_tol(pad.left, (1.0f - 360.0f / 640.0f) / 2.0f, 1e-6f);
    ck_assert_float_eq_tol(pad.top, 0.0f, 1e-6f);
    /* a detection at the tensor's centre column, at the left edge of the picture */
    struct pose_detection d = box(0.9f, pad.left, 0.25f, 0.5f, 0.75f, 0.5f);
    pose_detection_remove_letterbox(&d, &pad);
    ck_assert_float_eq_tol(d.xmin, 0.0f, 1e-6f);
    ck_assert_float_eq_tol(d.xmax, 0.5f, 1e-6f);
    ck_assert_float_eq_tol(d.kp[0][0], 0.5f, 1e-6f);
    ck_assert_float_eq_tol(d.ymin, 0.25f, 1e-6f);
    /* the letterbox warp maps tensor corners to the padded square around the frame */
    double m[6];
    pose_letterbox_roi(1920, 1080, 224, 224, &roi, &pad);
    pose_rect_to_affine(&roi, 1920, 1080, 224, 224, m);
    ck_assert_float_eq_tol((float)m[2], 0.0f, 1e-3f);
    ck_assert_float_eq_tol((float)m[5], -420.0f, 1e-3f);
    ck_assert_float_eq_tol((float)(m[0] * 224.0), 1920.0f, 1e-3f);
}
END_TEST

/* ---- landmarks -------------------------------------------------------------------------- */

START_TEST(landmark_decode_and_world_rotation)
{
    float raw[2 * 5] = {128.0f, 64.0f, -25.6f, 0.0f, 2.0f, 0.0f, 256.0f, 12.8f, -3.0f, 10.0f};
    struct pose_lm lm[2];
    pose_decode_landmarks(raw, 2, 256, 256, lm);
    ck_assert_float_eq_tol(lm[0].x, 0.5f, 1e-6f);
    ck_assert_float_eq_tol(lm[0].y, 0.25f, 1e-6f);
    ck_assert_float_eq_tol(lm[0].z, -0.1f, 1e-6f);
    ck_assert_float_eq_tol(lm[0].visibility, 0.5f, 1e-6f);
    ck_assert_float_eq_tol(lm[0].presence, 1.0f / (1.0f + expf(-2.0f)), 1e-6f);
    ck_assert_float_eq_tol(lm[1].visibility, 1.0f / (1.0f + expf(3.0f)), 1e-6f);
    /* projection: an ROI rotated 90 deg on a square frame; z scales with the ROI width */
    struct pose_rect r = {0.5f, 0.5f, 0.5f, 0.5f, PI_F / 2.0f};
    const struct pose_padding nopad = {0, 0, 0, 0};
    pose_project_landmarks(&r, &nopad, lm, 2);
    /* (0.5, 0.25) is 0.25 above the centre; rotated clockwise 90 deg it is 0.25 to the right,
     * scaled by 0.5 -> x = 0.625 */
    ck_assert_float_eq_tol(lm[0].x, 0.625f, 1e-6f);
    ck_assert_float_eq_tol(lm[0].y, 0.5f, 1e-6f);
    ck_assert_float_eq_tol(lm[0].z, -0.05f, 1e-6f);
    float world_raw[3] = {0.1f, -0.5f, 0.2f};
    float world[1][3];
    pose_project_world(&r, world_raw, 1, world);
    ck_assert_float_eq_tol(world[0][0], 0.5f, 1e-6f);
    ck_assert_float_eq_tol(world[0][1], 0.1f, 1e-6f);
    ck_assert_float_eq_tol(world[0][2], 0.2f, 1e-6f);
}
END_TEST

START_TEST(heatmap_refinement)
{
    enum { H = 64, W = 64, C = 2 };
    static float hm[H * W * C];
    /* channel 0: a symmetric blob centred between cells 20 and 21 (x) and on row 30 (y);
     * channel 1: all low confidence (sigmoid(-5) < 0.5): left alone. */
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++) {
            const float dx = (float)c - 20.5f, dy = (float)r - 30.0f;
            hm[(r * W + c) * C + 0] = 6.0f - (dx * dx + dy * dy);
            hm[(r * W + c) * C + 1] = -5.0f;
        }
    struct pose_lm lm[2] = {{20.7f / 64.0f, 30.2f / 64.0f, 0, 1, 1}, {0.3f, 0.6f, 0, 1, 1}};
    pose_refine_landmarks_from_heatmap(lm, C, hm, H, W, 7, 0.5f);
    ck_assert_float_eq_tol(lm[0].x, 20.5f / 64.0f, 2e-3f);
    ck_assert_float_eq_tol(lm[0].y, 30.0f / 64.0f, 2e-3f);
    ck_assert_float_eq(lm[1].x, 0.3f);
    ck_assert_float_eq(lm[1].y, 0.6f);
    /* out of the heatmap: untouched */
    struct pose_lm out[2] = {{1.2f, 0.5f, 0, 1, 1}, {-1.5f, 0.5f, 0, 1, 1}};
    pose_refine_landmarks_from_heatmap(out, C, hm, H, W, 7, 0.5f);
    ck_assert_float_eq(out[0].x, 1.2f);
    ck_assert_float_eq(out[1].x, -1.5f);
}
END_TEST

/* ---- filters ---------------------------------------------------------------------------- */

START_TEST(lowpass_visibility)
{
    struct pose_lowpass f = {0.1f, 0, 0, 0};
    ck_assert_float_eq(pose_lowpass_apply(&f, 0.0f), 0.0f);
    ck_assert_float_eq_tol(pose_lowpass_apply(&f, 1.0f), 0.1f, 1e-6f);
    ck_assert_float_eq_tol(pose_lowpass_apply(&f, 1.0f), 0.19f, 1e-6f);
}
END_TEST

START_TEST(one_euro_behaviour)
{
    const struct pose_one_euro_params p = {0.05, 80.0, 1.0, 0};
    struct pose_one_euro f;
    pose_one_euro_init(&f, &p);
    /* t = 0 is passed through without touching the state, like MediaPipe */
    ck_assert_float_eq_tol((float)pose_one_euro_apply(&f, 0, 0.01, 5.0), 5.0f, 1e-6f);
    ck_assert_int_eq(f.x.initialized, 0);
    /* a constant stays constant */
    for (int i = 1; i <= 10; i++)
        ck_assert_float_eq_tol((float)pose_one_euro_apply(&f, i * 33333000LL, 0.01, 100.0),
                               100.0f, 1e-4f);
    /* a 1 px jitter on a 100 px object is damped hard (alpha ~0.01 at rest) */
    double y = pose_one_euro_apply(&f, 11 * 33333000LL, 0.01, 101.0);
    ck_assert(y > 100.0 && y < 100.5);
    /* a fast move (30 px per frame) is followed closely */
    double v = 100.0;
    for (int i = 12; i < 22; i++)
        v = pose_one_euro_apply(&f, i * 33333000LL, 0.01, 100.0 + 30.0 * (i - 11));
    ck_assert(v > 100.0 + 30.0 * 10 - 60.0);
    /* an equal timestamp returns the input */
    ck_assert_float_eq_tol((float)pose_one_euro_apply(&f, 21 * 33333000LL, 0.01, -7.0), -7.0f,
                           1e-6f);
}
END_TEST

START_TEST(smoother_switch)
{
    /* smoothing off: landmarks and world untouched, aux still filtered (not behind ENABLE).
     * Frame 1 initialises the filters (returned as is); frame 2 is the first filtered one. */
    struct pose_smoother s;
    pose_smoother_init(&s, 0);
    struct pose_lm lm[POSE_LM_N_POSE], aux[POSE_LM_N_AUX];
    float world[POSE_LM_N_POSE][3];
    for (int f = 1; f <= 3; f++) {
        const float jitter = (f % 2) ? 0.01f : 0.0f;
        for (int i = 0; i < POSE_LM_N_POSE; i++) {
            lm[i] = (struct pose_lm){0.3f + jitter, 0.5f, 0.0f, 0.9f, 1.0f};
            world[i][0] = 0.1f + jitter;
            world[i][1] = world[i][2] = 0.0f;
        }
        aux[0] = (struct pose_lm){0.5f + jitter, 0.5f, 0.0f, 1.0f, 1.0f};
        aux[1] = (struct pose_lm){0.5f + jitter, 0.3f, 0.0f, 1.0f, 1.0f};
        pose_smoother_apply(&s, pose_time_ns(f / 30.0), 640, 480, lm, aux, world);
        ck_assert_float_eq(lm[5].x, 0.3f + jitter);
        ck_assert_float_eq(world[5][0], 0.1f + jitter);
        if (f == 1)
            ck_assert_float_eq(aux[0].x, 0.51f);
        if (f == 2)
            ck_assert(aux[0].x > 0.5f + 0.005f);
    }
    /* smoothing on: the same jitter is damped on the landmarks too */
    pose_smoother_init(&s, 1);
    for (int f = 1; f <= 3; f++) {
        const float jitter = (f % 2) ? 0.01f : 0.0f;
        for (int i = 0; i < POSE_LM_N_POSE; i++)
            lm[i] = (struct pose_lm){0.3f + jitter, 0.5f, 0.0f, f == 1 ? 0.0f : 1.0f, 1.0f};
        aux[0] = (struct pose_lm){0.5f, 0.5f, 0.0f, 1.0f, 1.0f};
        aux[1] = (struct pose_lm){0.5f, 0.3f, 0.0f, 1.0f, 1.0f};
        pose_smoother_apply(&s, pose_time_ns(f / 30.0), 640, 480, lm, aux, world);
        if (f == 2) {
            ck_assert(lm[5].x > 0.3f + 0.001f);
            ck_assert(lm[5].x < 0.3f + 0.005f);
            ck_assert_float_eq_tol(lm[5].visibility, 0.1f, 1e-6f);
        }
    }
    /* after a reset the next frame passes through again */
    pose_smoother_reset(&s);
    for (int i = 0; i < POSE_LM_N_POSE; i++)
        lm[i] = (struct pose_lm){0.9f, 0.5f, 0.0f, 1.0f, 1.0f};
    pose_smoother_apply(&s, pose_time_ns(4 / 30.0), 640, 480, lm, aux, world);
    ck_assert_float_eq(lm[0].x, 0.9f);
}
END_TEST

static Suite *pose_math_suite(void)
{
    Suite *s = suite_create("pose_math");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, anchors_count_and_layout);
    tcase_add_test(tc, decode_hand_made_tensor);
    tcase_add_test(tc, weighted_nms_merges_overlaps);
    tcase_add_loop_test(tc, roi_from_alignment_points, 0,
                        (int)(sizeof roi_cases / sizeof roi_cases[0]));
    tcase_add_test(tc, letterbox_roundtrip);
    tcase_add_test(tc, landmark_decode_and_world_rotation);
    tcase_add_test(tc, heatmap_refinement);
    tcase_add_test(tc, lowpass_visibility);
    tcase_add_test(tc, one_euro_behaviour);
    tcase_add_test(tc, smoother_switch);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return hc_check_run(pose_math_suite());
}
