/* test_implement.c - the implement stage on images drawn here: a plate (dark disc with a light rim)
 * at the end of a bar held in the hands, a kettlebell hanging below them, a dumbbell head, and
 * frames without an implement (blank, noise, a bar drawn as a line only). */
#include "implement/implement.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W 360
#define H 360
#define N_FRAMES 12
#define SHIN 80.0

static uint8_t img[H * W * 3];

static void fill(uint8_t v)
{
    memset(img, v, sizeof img);
}

static void put(int x, int y, uint8_t v)
{
    if (x >= 0 && y >= 0 && x < W && y < H)
        memset(&img[(y * W + x) * 3], v, 3);
}

/* A disc of radius r about (cx, cy) in continuous pixels: pixels whose centre lies inside. */
static void disc(double cx, double cy, double r, uint8_t v)
{
    for (int y = (int)(cy - r) - 1; y <= (int)(cy + r) + 1; y++)
        for (int x = (int)(cx - r) - 1; x <= (int)(cx + r) + 1; x++)
            if (hypot(x + 0.5 - cx, y + 0.5 - cy) <= r)
                put(x, y, v);
}

static void thick_line(double x0, double y0, double x1, double y1, double half, uint8_t v)
{
    const double len = hypot(x1 - x0, y1 - y0);
    for (double t = 0; t <= len; t += 0.5)
        disc(x0 + (x1 - x0) * t / len, y0 + (y1 - y0) * t / len, half, v);
}

/* A lifter seen from the side, hinged, arms hanging: shin and thigh SHIN px long, hands'
 * centre at (hx, hy). */
static void pose_at(struct hc_pose_frame *f, int64_t i, double hx, double hy)
{
    memset(f, 0, sizeof(*f));
    f->index = i;
    f->t_s = i / 30.0;
    f->has_pose = 1;
    for (int k = 0; k < HC_N_LANDMARKS; k++)
        f->lm[k] = (struct hc_landmark){(float)hx - 60, (float)hy - 60, 0, 1};
    const struct {
        int k;
        double x, y;
    } pts[] = {
        {HC_LM_LEFT_SHOULDER, hx - 10, hy - 130}, {HC_LM_RIGHT_SHOULDER, hx - 10, hy - 130},
        {HC_LM_LEFT_WRIST, hx, hy - 6},           {HC_LM_RIGHT_WRIST, hx, hy - 6},
        {HC_LM_LEFT_INDEX, hx + 3, hy + 3},       {HC_LM_RIGHT_INDEX, hx + 3, hy + 3},
        {HC_LM_LEFT_PINKY, hx - 3, hy + 3},       {HC_LM_RIGHT_PINKY, hx - 3, hy + 3},
        {HC_LM_LEFT_HIP, hx - 100, hy - 60},      {HC_LM_RIGHT_HIP, hx - 100, hy - 60},
        {HC_LM_LEFT_KNEE, hx - 60, hy + 10},      {HC_LM_RIGHT_KNEE, hx - 60, hy + 10},
        {HC_LM_LEFT_ANKLE, hx - 60, hy + 10 + SHIN}, {HC_LM_RIGHT_ANKLE, hx - 60, hy + 10 + SHIN},
    };
    for (size_t j = 0; j < sizeof pts / sizeof pts[0]; j++) {
        f->lm[pts[j].k].x_px = (float)pts[j].x;
        f->lm[pts[j].k].y_px = (float)pts[j].y;
    }
}

/* The hands move 1 px right and down per frame so the tracker has to follow. */
static double hand_x(int i)
{
    return 180.0 + i;
}
static double hand_y(int i)
{
    return 150.0 + 0.5 * i;
}

enum scene { PLATE, BELL, DUMBBELL, BLANK, NOISE, BAR_LINE };

/* Draws frame i of a scene; returns the implement's true centre and radius. */
static void draw(enum scene s, int i, double *cx, double *cy, double *r)
{
    const double hx = hand_x(i), hy = hand_y(i);
    *cx = *cy = *r = 0;
    fill(190);
    switch (s) {
    case PLATE: /* 45 cm on a 43 cm shin: r = 0.52 shin; centred on the bar in the fingers */
        *cx = hx + 0.3;
        *cy = hy + 8.7;
        *r = 0.523 * SHIN;
        disc(*cx, *cy, *r, 110); /* a rim the plate's face steps down from */
        disc(*cx, *cy, *r - 3, 40);
        disc(*cx, *cy, 6, 150);
        thick_line(*cx, *cy, *cx + 150, *cy, 2, 120);
        break;
    case BELL: /* 22 cm bell hanging below the hands, its handle (a 9 cm window) in them */
        *r = 0.26 * SHIN;
        *cx = hx + 1.5;
        *cy = hy + 8 + 16.4 + *r;
        thick_line(hx - 8, hy, hx + 8, hy, 2.5, 30);
        thick_line(hx - 8, hy, hx - 12, *cy - 4, 2.5, 30);
        thick_line(hx + 8, hy, hx + 12, *cy - 4, 2.5, 30);
        disc(*cx, *cy, *r, 30);
        break;
    case DUMBBELL: /* 20 cm head centred on the hands (seen end-on) */
        *cx = hx - 0.4;
        *cy = hy + 8.2;
        *r = 0.23 * SHIN;
        disc(*cx, *cy, *r, 45);
        break;
    case BLANK:
        break;
    case NOISE: {
        uint32_t st = 12345u + (uint32_t)i;
        for (int k = 0; k < W * H; k++) {
            st = st * 1664525u + 1013904223u;
            memset(&img[k * 3], 150 + (int)(st >> 26), 3); /* 150..213 */
        }
        break;
    }
    case BAR_LINE:
        thick_line(hx - 120, hy + 8, hx + 120, hy + 8, 2, 60);
        break;
    }
}

static const struct {
    enum scene scene;
    enum implement_kind want;
} cases[] = {
    {PLATE, IMPLEMENT_BARBELL}, {BELL, IMPLEMENT_KETTLEBELL}, {DUMBBELL, IMPLEMENT_DUMBBELL},
    {BLANK, IMPLEMENT_NONE},    {NOISE, IMPLEMENT_NONE},      {BAR_LINE, IMPLEMENT_NONE},
};

START_TEST(finds_the_implement)
{
    struct implement_detector *d = NULL;
    ck_assert_int_eq(implement_detector_create(NULL, &d), HC_OK);
    const enum implement_kind want = cases[_i].want;
    for (int i = 0; i < N_FRAMES; i++) {
        double cx, cy, r;
        draw(cases[_i].scene, i, &cx, &cy, &r);
        struct hc_pose_frame pf;
        pose_at(&pf, i, hand_x(i), hand_y(i));
        struct implement_frame f;
        ck_assert_int_eq(implement_detector_feed(d, img, W, H, W * 3, &pf, &f), HC_OK);
        ck_assert_msg(f.kind == want, "frame %d: found %s (%.1f, %.1f) r %.1f q %.2f, want %s", i,
                      implement_kind_name(f.kind), f.cx_px, f.cy_px, f.r_px, f.quality,
                      implement_kind_name(want));
        if (want >= IMPLEMENT_BARBELL) {
            ck_assert_msg(hypot(f.cx_px - cx, f.cy_px - cy) <= 1.5,
                          "frame %d: centre (%.2f, %.2f), drawn at (%.2f, %.2f)", i, f.cx_px,
                          f.cy_px, cx, cy);
            ck_assert_msg(fabs(f.r_px - r) <= 0.05 * r + 0.5, "frame %d: radius %.2f, drawn %.2f",
                          i, f.r_px, r);
            ck_assert(f.quality >= 0.55f && f.quality <= 1.0f);
            ck_assert(implement_frame_covers(&f, cx, cy, 0));
            ck_assert(!implement_frame_covers(&f, cx + 1.3 * r, cy, 0));
        }
    }
    struct implement_verdict v;
    ck_assert_int_eq(implement_detector_verdict(d, &v), HC_OK);
    ck_assert_msg(v.kind == want, "verdict %s (%s)", implement_kind_name(v.kind), v.evidence);
    ck_assert_int_eq(v.n_frames, N_FRAMES);
    ck_assert_int_eq(v.n_analysed, N_FRAMES);
    ck_assert(v.confidence > 0.5 && v.confidence <= 1.0);
    ck_assert(strlen(v.evidence) > 20);
    if (want == IMPLEMENT_BARBELL) {
        /* drawn at 45 cm on a 43 cm shin: a standard plate, and the plate's own scale */
        ck_assert_msg(fabs(v.diameter_cm_body - 45.0) < 2.5, "%.1f cm", v.diameter_cm_body);
        ck_assert(!v.plates_small);
        ck_assert(fabs(v.px_per_cm - 2 * 0.523 * SHIN / 45.0) < 0.05);
    }
    if (want == IMPLEMENT_KETTLEBELL)
        ck_assert_msg(fabs(v.diameter_cm_body - 0.52 * 43.0) < 2.5, "%.1f cm",
                      v.diameter_cm_body);
    implement_detector_free(d);
}
END_TEST

/* Plates of 0.6 shin (26 cm for a 43 cm shin) read as smaller than standard. */
START_TEST(small_plates_are_said)
{
    struct implement_detector *d = NULL;
    ck_assert_int_eq(implement_detector_create(NULL, &d), HC_OK);
    for (int i = 0; i < N_FRAMES; i++) {
        const double hx = hand_x(i), hy = hand_y(i), r = 0.32 * SHIN;
        fill(190);
        disc(hx, hy + 8, r, 230);
        disc(hx, hy + 8, r - 3, 40);
        struct hc_pose_frame pf;
        pose_at(&pf, i, hx, hy);
        ck_assert_int_eq(implement_detector_feed(d, img, W, H, W * 3, &pf, NULL), HC_OK);
    }
    struct implement_verdict v;
    ck_assert_int_eq(implement_detector_verdict(d, &v), HC_OK);
    ck_assert_msg(v.kind == IMPLEMENT_BARBELL, "%s", v.evidence);
    ck_assert(v.plates_small);
    ck_assert(strstr(v.evidence, "smaller than standard") != NULL);
    implement_detector_free(d);
}
END_TEST

/* No lifter, or too few frames with one: unknown, not none. */
START_TEST(no_pose_is_unknown)
{
    struct implement_detector *d = NULL;
    ck_assert_int_eq(implement_detector_create(NULL, &d), HC_OK);
    fill(190);
    struct hc_pose_frame pf;
    memset(&pf, 0, sizeof pf);
    for (int i = 0; i < N_FRAMES; i++) {
        pf.index = i;
        struct implement_frame f;
        ck_assert_int_eq(implement_detector_feed(d, img, W, H, W * 3, &pf, &f), HC_OK);
        ck_assert_int_eq(f.kind, IMPLEMENT_UNKNOWN);
    }
    struct implement_verdict v;
    ck_assert_int_eq(implement_detector_verdict(d, &v), HC_OK);
    ck_assert_int_eq(v.kind, IMPLEMENT_UNKNOWN);
    ck_assert_int_eq(v.n_analysed, 0);
    int64_t n = 0;
    ck_assert_ptr_nonnull(implement_detector_frames(d, &n));
    ck_assert_int_eq(n, N_FRAMES);
    implement_detector_free(d);
}
END_TEST

START_TEST(bad_arguments)
{
    struct implement_detector *d = (struct implement_detector *)1;
    struct implement_params p = implement_default_params();
    p.min_quality = 1.5;
    ck_assert_int_eq(implement_detector_create(&p, &d), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(implement_detector_create(NULL, &d), HC_OK);
    struct hc_pose_frame pf;
    pose_at(&pf, 0, 100, 100);
    ck_assert_int_eq(implement_detector_feed(d, img, W, H, W, &pf, NULL), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(implement_detector_feed(d, img, W, H, W * 3, NULL, NULL),
                     HC_ERR_INVALID_ARG);
    implement_detector_free(d);
    implement_detector_free(NULL);
    ck_assert_str_eq(implement_kind_name(IMPLEMENT_KETTLEBELL), "kettlebell");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("implement");
    TCase *tc = tcase_create("synthetic");
    tcase_add_loop_test(tc, finds_the_implement, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, small_plates_are_said);
    tcase_add_test(tc, no_pose_is_unknown);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return hc_check_run(s);
}
