/* test_reps.c - rep segmentation on synthetic hip-angle series. */
#include "reps/reps.h"
#include "reps/reps_lifts.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdlib.h>

#define FPS 30.0
#define MAXN 4000

/* A scripted hip flexion track: cosine-eased moves between levels, plus deterministic jitter. */
struct track {
    double t[MAXN], hip[MAXN];
    size_t n;
    double level; /* current hip flexion */
    unsigned seed;
};

static double jitter(struct track *tr, double amp)
{
    tr->seed = tr->seed * 1103515245u + 12345u;
    return amp * (((tr->seed >> 16) & 0x7fff) / 16383.5 - 1.0);
}

/* move hip flexion to `to` over `secs` (cosine ease); secs with to == level: a hold */
static void move(struct track *tr, double to, double secs)
{
    int k = (int)lround(secs * FPS);
    double from = tr->level;
    for (int i = 1; i <= k && tr->n < MAXN; i++) {
        double u = 0.5 - 0.5 * cos(3.14159265358979 * i / k);
        double flex = from + (to - from) * u;
        tr->t[tr->n] = tr->n / FPS;
        tr->hip[tr->n] = 180.0 - flex + jitter(tr, 1.0);
        tr->n++;
    }
    tr->level = to;
}

static void rdl_rep(struct track *tr, double depth)
{
    move(tr, depth, 1.5);
    move(tr, depth, 0.3);
    move(tr, 5.0, 1.2);
    move(tr, 5.0, 0.8);
}

static struct reps_result *segment(const struct track *tr, enum reps_start start)
{
    struct reps_params p = reps_default_params();
    p.start = start;
    struct reps_result *r = NULL;
    ck_assert_int_eq(reps_segment(tr->t, tr->hip, tr->n, &p, &r), HC_OK);
    ck_assert_ptr_nonnull(r);
    return r;
}

static const int clean_counts[] = {1, 3, 5, 8};

START_TEST(clean_reps_exact)
{
    static struct track tr;
    tr.n = 0;
    tr.level = 5.0;
    tr.seed = 7u + (unsigned)_i;
    move(&tr, 5.0, 1.0);
    for (int k = 0; k < clean_counts[_i]; k++)
        rdl_rep(&tr, 90.0);
    move(&tr, 5.0, 1.0);
    struct reps_result *r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, clean_counts[_i]);
    ck_assert_int_eq((int)r->n_full, clean_counts[_i]);
    ck_assert_int_eq(r->floor_start, 0);
    /* a cosine move spends (acos(-0.8) - acos(0.8)) / pi = 59% of its time between 10% and
     * 90% of the way: the lowering phase is 0.59 * 1.5 s, the rising 0.59 * 1.2 s */
    for (size_t k = 0; k < r->n_reps; k++) {
        const struct reps_rep *rp = &r->reps[k];
        ck_assert_int_eq(rp->partial, 0);
        ck_assert_int_eq(rp->index, (int)k + 1);
        ck_assert_double_eq_tol(rp->phase_s[REPS_LOWERING], 0.59 * 1.5, 0.12);
        ck_assert_double_eq_tol(rp->phase_s[REPS_RISING], 0.59 * 1.2, 0.12);
        ck_assert_double_eq_tol(rp->bottom_flexion_deg, 90.0, 1.5);
        ck_assert_double_eq_tol(rp->amplitude_deg, 85.0, 3.0);
        /* bottom at the middle of the 0.3 s hold after 1 s + k * 3.8 s + 1.5 s */
        ck_assert_double_eq_tol(rp->t_bottom_s, 1.0 + k * 3.8 + 1.5 + 0.15, 0.25);
        ck_assert(rp->phase[REPS_LOCKOUT].i0 > rp->phase[REPS_RISING].i1);
        ck_assert(rp->phase[REPS_RISING].i0 > rp->phase[REPS_BOTTOM].i1);
        ck_assert_int_eq(r->phase[rp->i_bottom], REPS_BOTTOM);
        ck_assert_int_eq(r->rep_of[rp->i_bottom], rp->index);
    }
    reps_result_free(r);
}
END_TEST

START_TEST(walking_in_not_counted)
{
    static struct track tr;
    tr.n = 0;
    tr.level = 5.0;
    tr.seed = 99;
    /* 4 s of gait: hip flexion swinging 0..28 deg at about 1 Hz, then a grip adjustment */
    for (int k = 0; k < 4; k++) {
        move(&tr, 28.0, 0.5);
        move(&tr, 2.0, 0.5);
    }
    move(&tr, 30.0, 0.6);
    move(&tr, 5.0, 0.6);
    move(&tr, 5.0, 1.0);
    for (int k = 0; k < 3; k++)
        rdl_rep(&tr, 95.0);
    move(&tr, 22.0, 0.5); /* walking out */
    move(&tr, 3.0, 0.5);
    struct reps_result *r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, 3);
    ck_assert_int_eq((int)r->n_full, 3);
    ck_assert(r->reps[0].t_start_s > 5.0);
    reps_result_free(r);
}
END_TEST

START_TEST(partial_first_and_last)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 5;
    tr.level = 60.0; /* the clip starts with the lifter on the way down */
    move(&tr, 90.0, 0.6);
    move(&tr, 5.0, 1.2);
    move(&tr, 5.0, 0.8);
    for (int k = 0; k < 3; k++)
        rdl_rep(&tr, 90.0);
    move(&tr, 90.0, 1.5); /* last rep cut on the way up */
    move(&tr, 50.0, 0.5);
    struct reps_result *r = segment(&tr, REPS_START_TOP);
    ck_assert_int_eq((int)r->n_reps, 5);
    ck_assert_int_eq((int)r->n_full, 3);
    ck_assert_int_eq(r->reps[0].partial, 1);
    ck_assert_int_eq(r->reps[4].partial, 1);
    for (int k = 1; k < 4; k++)
        ck_assert_int_eq(r->reps[k].partial, 0);
    reps_result_free(r);
}
END_TEST

/* an RDL set that starts by deadlifting the bar off the floor (set-up hold at 120 deg of hip
 * flexion) and ends by putting it down: the pick-up and put-down are not reps */
START_TEST(rdl_pickup_not_counted)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 11;
    tr.level = 120.0;
    move(&tr, 120.0, 1.5); /* set up at the bar on the floor */
    move(&tr, 5.0, 1.3);   /* deadlift it up */
    move(&tr, 5.0, 1.0);
    for (int k = 0; k < 3; k++)
        rdl_rep(&tr, 90.0);
    move(&tr, 120.0, 1.3); /* put it down and stay there */
    move(&tr, 120.0, 1.5);
    struct reps_result *r = segment(&tr, REPS_START_TOP);
    ck_assert_int_eq((int)r->n_reps, 3);
    ck_assert_int_eq((int)r->n_full, 3);
    for (size_t k = 0; k < r->n_reps; k++)
        ck_assert(fabs(r->reps[k].bottom_flexion_deg - 90.0) < 5.0);
    reps_result_free(r);
}
END_TEST

static const int floor_modes[] = {REPS_START_AUTO, REPS_START_FLOOR};

START_TEST(floor_start_deadlift)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 11;
    tr.level = 5.0;
    move(&tr, 5.0, 1.5);  /* walk in, stand */
    move(&tr, 100.0, 1.0); /* set up at the bar */
    move(&tr, 100.0, 2.5); /* hold: grip, brace */
    for (int k = 0; k < 4; k++) {
        move(&tr, 3.0, 1.0);   /* pull */
        move(&tr, 3.0, 0.4);   /* lockout */
        move(&tr, 100.0, 1.0); /* lower */
        move(&tr, 100.0, 1.0); /* reset on the floor */
    }
    move(&tr, 5.0, 1.0); /* stand and walk away */
    move(&tr, 5.0, 1.0);
    struct reps_result *r = segment(&tr, (enum reps_start)floor_modes[_i]);
    ck_assert_int_eq(r->floor_start, 1);
    ck_assert_int_eq((int)r->n_reps, 4);
    ck_assert_int_eq((int)r->n_full, 4);
    /* the first rep starts at the bottom: the pull begins after the 2.5 s hold (t = 5 s) */
    const struct reps_rep *r1 = &r->reps[0];
    ck_assert(r1->phase[REPS_BOTTOM].i0 >= 0);
    ck_assert(r1->phase[REPS_RISING].i0 >= 0);
    ck_assert_double_eq_tol(tr.t[r1->phase[REPS_RISING].i0], 5.0, 0.35);
    for (size_t k = 0; k < r->n_reps; k++) {
        ck_assert(r->reps[k].phase[REPS_LOWERING].i0 > r->reps[k].phase[REPS_LOCKOUT].i1);
        ck_assert_double_eq_tol(r->reps[k].phase_s[REPS_RISING], 0.59 * 1.0, 0.12);
        ck_assert_double_eq_tol(r->reps[k].bottom_flexion_deg, 100.0, 1.5);
    }
    reps_result_free(r);
}
END_TEST

/* Floor lifts at the clip's edges, shaped on real clips' hip tracks (hingecheck pose):
 * 0: walk in, stand swaying 1.7 s, bend to the bell and pull at once (no hold), touch-and-go
 *    reps, then set the bell down and half rise (a front-oblique kettlebell deadlift): 4 full
 *    reps, no partial;
 * 1: the clip starts while the lifter bends to the bar, holds, pulls once, lowers and holds
 *    (a side-view barbell deadlift): 1 full rep;
 * 2: the clip starts at a lockout mid-set (0.3 s standing, then the lowering): a partial rep,
 *    then 3 full ones. */
static const struct {
    int script, n_reps, n_full, first_partial;
} floor_edge_cases[] = {{0, 4, 4, 0}, {1, 1, 1, 0}, {2, 4, 3, 1}};

START_TEST(floor_set_edges)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 5;
    const int sc = floor_edge_cases[_i].script;
    if (sc == 0) {
        tr.level = -3.0; /* standing tall on the first frame */
        tr.hip[0] = 183.0;
        tr.t[0] = 0.0;
        tr.n = 1;
        for (int k = 0; k < 2; k++) { /* walking in: the hips sway */
            move(&tr, 13.0, 0.4);
            move(&tr, 3.0, 0.45);
        }
        move(&tr, 113.0, 1.1); /* down to the bell, straight into the first pull */
        for (int k = 0; k < 4; k++) {
            move(&tr, 12.0, 0.6);  /* pull */
            move(&tr, 12.0, 0.3);  /* lockout */
            move(&tr, 113.0, 0.6); /* lower, touch and go */
        }
        move(&tr, 113.0, 0.2);
        move(&tr, 72.0, 0.25); /* let go of the bell and half rise */
        move(&tr, 128.0, 0.3);
        move(&tr, 128.0, 0.3);
    } else if (sc == 1) {
        tr.level = 61.0;
        tr.hip[0] = 180.0 - 61.0;
        tr.t[0] = 0.0;
        tr.n = 1;
        move(&tr, 147.0, 0.7); /* bending to the bar as the clip starts */
        move(&tr, 147.0, 1.1); /* set-up hold */
        move(&tr, -15.0, 0.8); /* pull to a lockout (a little past straight) */
        move(&tr, -15.0, 0.9);
        move(&tr, 142.0, 0.9); /* lower */
        move(&tr, 142.0, 0.4);
    } else {
        tr.level = 4.0;
        move(&tr, 4.0, 0.3); /* lockout of a rep before the clip */
        for (int k = 0; k < 3; k++) {
            move(&tr, 100.0, 0.8);
            move(&tr, 100.0, 0.6);
            move(&tr, 4.0, 0.8);
            move(&tr, 4.0, 0.4);
        }
        move(&tr, 100.0, 0.8);
        move(&tr, 100.0, 1.5); /* set down, let go */
    }
    struct reps_result *r = segment(&tr, REPS_START_FLOOR);
    ck_assert_int_eq((int)r->n_reps, floor_edge_cases[_i].n_reps);
    ck_assert_int_eq((int)r->n_full, floor_edge_cases[_i].n_full);
    ck_assert_int_eq(r->reps[0].partial, floor_edge_cases[_i].first_partial);
    for (size_t k = 0; k < r->n_reps; k++)
        ck_assert_double_ge(r->reps[k].t_end_s - r->reps[k].t_start_s, 0.9);
    reps_result_free(r);
}
END_TEST

/* A floor set that starts and ends with the lifter set at the bar, shaped on the hip track of a
 * real CrossFit demo deadlift (counted "2 (+partial)" by hand): set at the bar `setup_s`
 * (sinking to 132 deg of hip flexion first, then setting the hips at 126 before the pull, as on
 * another real side-view barbell deadlift), pull with a hitch at the knees, lockout 1 s, lower,
 * reset `reset_s` at the bar, the same again, then the clip stops `end_hold_s` after the second
 * lowering, the lifter still at the bar. No pull and no lowering is cut: two full reps and no
 * partial, whatever the hold at the end (the synthetic deadlifts end the same way: 1 s at the
 * bar after the set, lead_out_s); a set-up with no movement is no rep. Each rep's bottom frame
 * lies inside the rep (a set-up longer than lockout_s read its deepest frame before the rep's
 * start). reset 0.1: touch and go (kettlebell deadlift). */
static const struct {
    double setup_s, reset_s, end_hold_s;
} floor_atbar_cases[] = {{1.0, 1.2, 0.6}, {1.0, 1.2, 2.5}, {1.6, 0.1, 0.9}, {2.0, 1.2, 0.0}};

START_TEST(floor_set_at_the_bar)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 31;
    tr.level = 132.0;
    move(&tr, 132.0, 0.5 * floor_atbar_cases[_i].setup_s); /* set at the bar as the clip starts */
    move(&tr, 126.0, 0.5 * floor_atbar_cases[_i].setup_s); /* hips set for the pull */
    for (int k = 0; k < 2; k++) {
        if (k > 0)
            move(&tr, 128.0, floor_atbar_cases[_i].reset_s); /* reset at the bar */
        move(&tr, 90.0, 0.5); /* the bar leaves the floor, passes the knees */
        move(&tr, 82.0, 0.3);
        move(&tr, -2.0, 0.6); /* hips through to lockout */
        move(&tr, -2.0, 1.0);
        move(&tr, 128.0, 1.7); /* lower to the floor */
    }
    move(&tr, 128.0, floor_atbar_cases[_i].end_hold_s);
    struct reps_result *r = segment(&tr, REPS_START_FLOOR);
    ck_assert_int_eq((int)r->n_reps, 2);
    ck_assert_int_eq((int)r->n_full, 2);
    for (size_t k = 0; k < r->n_reps; k++) {
        const struct reps_rep *rp = &r->reps[k];
        ck_assert_int_eq(rp->partial, 0);
        ck_assert(rp->phase[REPS_BOTTOM].i0 >= 0 && rp->phase[REPS_RISING].i0 >= 0 &&
                  rp->phase[REPS_LOCKOUT].i0 >= 0 && rp->phase[REPS_LOWERING].i0 >= 0);
        ck_assert_msg(rp->i_start <= rp->i_bottom && rp->i_bottom <= rp->i_end,
                      "rep %d: bottom at %.2f s outside %.2f-%.2f s", rp->index, rp->t_bottom_s,
                      rp->t_start_s, rp->t_end_s);
        ck_assert_int_eq(r->rep_of[rp->i_bottom], rp->index);
        ck_assert_double_ge(rp->bottom_flexion_deg, 124.0);
        ck_assert_double_le(rp->bottom_flexion_deg, 135.0);
    }
    reps_result_free(r);
}
END_TEST

START_TEST(ballistic_swings)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 3;
    tr.level = 5.0;
    move(&tr, 5.0, 1.0);
    for (int k = 0; k < 8; k++) {
        move(&tr, 75.0, 0.55); /* backswing */
        move(&tr, 0.0, 0.55);  /* hip snap to the float */
    }
    move(&tr, 5.0, 1.0);
    struct reps_result *r = segment(&tr, REPS_START_TOP);
    ck_assert_int_eq((int)r->n_reps, 8);
    ck_assert_int_eq((int)r->n_full, 8);
    ck_assert_int_eq(r->reps[3].paused_bottom, 0);
    /* phases do not overlap between swings: each top starts where the previous swing's lockout
     * ends (a top reaching back a whole lockout_s would take in most of the previous swing) */
    for (size_t k = 1; k < r->n_reps; k++) {
        const struct reps_rep *a = &r->reps[k - 1], *b = &r->reps[k];
        ck_assert(b->phase[REPS_TOP].i0 >= 0);
        ck_assert_msg(b->phase[REPS_TOP].i0 >= a->phase[REPS_LOCKOUT].i1,
                      "swing %zu: top from frame %ld, the previous lockout ends at %ld", k,
                      (long)b->phase[REPS_TOP].i0, (long)a->phase[REPS_LOCKOUT].i1);
        ck_assert(b->phase[REPS_TOP].i0 > a->phase[REPS_RISING].i1);
    }
    reps_result_free(r);
}
END_TEST

/* A swing set with the bell hiked from the floor first and parked at the end (both slow and
 * deep, as on real swing sets): reps_drop_setup finds exactly those; it drops the park and
 * keeps of the hike only its upswing to the first float, a partial rep (a real swing demo
 * floats the bell six times, counted "~6 (+hike/park)" by hand); a set without them, or with a
 * slow swing in the middle, keeps every rep. index: 0 hike+park, 1 hike only, 2 none, 3 a slow
 * swing in the middle. */
static const struct {
    int hike, park, slow_mid;
    int dropped;
} setup_cases[] = {{1, 1, 0, 2}, {1, 0, 0, 1}, {0, 0, 0, 0}, {0, 0, 1, 0}};

START_TEST(swing_setup_dropped)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 5;
    tr.level = 5.0;
    move(&tr, 5.0, 1.0);
    if (setup_cases[_i].hike) { /* bend to the bell, grip, hike it back and swing up */
        move(&tr, 100.0, 0.8);
        move(&tr, 100.0, 0.6);
        move(&tr, 0.0, 0.6);
    }
    for (int k = 0; k < 6; k++) {
        const double secs = setup_cases[_i].slow_mid && k == 3 ? 0.9 : 0.35;
        move(&tr, 75.0, secs);
        move(&tr, 0.0, secs);
    }
    if (setup_cases[_i].park) { /* swing back, set the bell down, stand up */
        move(&tr, 100.0, 0.7);
        move(&tr, 100.0, 0.8);
        move(&tr, 5.0, 0.8);
    }
    move(&tr, 5.0, 1.0);
    struct reps_result *r = segment(&tr, REPS_START_TOP);
    const size_t before = r->n_reps;
    ck_assert_uint_eq(before, 6u + (size_t)setup_cases[_i].hike + (size_t)setup_cases[_i].park);
    /* the swing's set-up ratio, from the lift table */
    const double ratio = reps_lift_row(REPS_LIFT_KB_SWING)->setup_ratio;
    ck_assert_uint_eq(reps_drop_setup(r, ratio), (size_t)setup_cases[_i].dropped);
    const size_t hike = (size_t)setup_cases[_i].hike;
    ck_assert_uint_eq(r->n_reps, 6u + hike);
    ck_assert_uint_eq(r->n_full, 6u);
    for (size_t k = hike; k < r->n_reps; k++)
        ck_assert_int_eq(r->reps[k].partial, 0);
    if (hike) {
        /* the hike's upswing: rising and lockout only, from about 2.4 s (1 s standing, 0.8 s
         * down to the bell, 0.6 s at it) */
        const struct reps_rep *h = &r->reps[0];
        ck_assert_int_eq(h->partial, 1);
        ck_assert(h->phase[REPS_TOP].i0 < 0 && h->phase[REPS_LOWERING].i0 < 0 &&
                  h->phase[REPS_BOTTOM].i0 < 0);
        ck_assert(h->phase[REPS_RISING].i0 >= 0 && h->phase[REPS_LOCKOUT].i0 >= 0);
        ck_assert_uint_eq(h->i_start, (size_t)h->phase[REPS_RISING].i0);
        ck_assert_double_eq_tol(h->t_start_s, tr.t[h->i_start], 1e-9);
        ck_assert_double_eq_tol(h->t_start_s, 2.4 + 0.2 * 0.6, 0.15);
        ck_assert_double_eq(h->phase_s[REPS_LOWERING], 0.0);
    }
    /* renumbered, and the per-frame arrays agree */
    for (size_t k = 0; k < r->n_reps; k++)
        ck_assert_int_eq(r->reps[k].index, (int)k + 1);
    int max_of = 0;
    for (size_t i = 0; i < r->n; i++)
        max_of = r->rep_of[i] > max_of ? r->rep_of[i] : max_of;
    ck_assert_int_eq(max_of, (int)r->n_reps);
    reps_result_free(r);
}
END_TEST

START_TEST(small_partials_ignored)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 17;
    tr.level = 5.0;
    move(&tr, 5.0, 1.0);
    rdl_rep(&tr, 95.0);
    rdl_rep(&tr, 95.0);
    move(&tr, 30.0, 0.8); /* a half-hearted dip: under 30% of the depth */
    move(&tr, 5.0, 0.8);
    rdl_rep(&tr, 95.0);
    move(&tr, 25.0, 0.6); /* a grip adjustment */
    move(&tr, 5.0, 0.6);
    rdl_rep(&tr, 95.0);
    struct reps_result *r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, 4);
    ck_assert_int_eq((int)r->n_full, 4);
    ck_assert_double_eq_tol(r->hysteresis_deg, 0.35 * 90.0, 2.0);
    reps_result_free(r);
}
END_TEST

START_TEST(gaps_and_empty)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 23;
    tr.level = 5.0;
    move(&tr, 5.0, 1.0);
    for (int k = 0; k < 3; k++)
        rdl_rep(&tr, 90.0);
    /* a 0.2 s pose dropout in the middle of rep 2's lowering: bridged */
    size_t g = (size_t)((1.0 + 3.8 + 0.7) * FPS);
    for (size_t i = g; i < g + 6; i++)
        tr.hip[i] = NAN;
    struct reps_result *r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, 3);
    reps_result_free(r);
    /* standing only: no rep, not an error */
    tr.n = 0;
    tr.level = 5.0;
    move(&tr, 8.0, 3.0);
    r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, 0);
    reps_result_free(r);
    /* bad arguments */
    struct reps_result *bad = (struct reps_result *)1;
    ck_assert_int_eq(reps_segment(NULL, NULL, 10, NULL, &bad), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(bad);
}
END_TEST

/* round_trip_deg is the movement the hysteresis tests (out and back), not the overall range: a
 * two-frame glitch of 80 deg is a round trip of 80 (too quick for a rep); a slow one-way drift of
 * 8 deg is none; a clean rep's is its depth. The no-rep reason quotes it. */
START_TEST(round_trip_is_what_is_tested)
{
    static struct track tr;
    tr.n = 0;
    tr.seed = 29;
    tr.level = 5.0;
    move(&tr, 5.0, 2.0);
    tr.hip[30] -= 80.0;
    tr.hip[31] -= 80.0;
    struct reps_result *r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, 0);
    ck_assert_double_ge(r->round_trip_deg, 75.0);
    ck_assert_double_ge(r->round_trip_deg, r->hysteresis_deg);
    reps_result_free(r);

    tr.n = 0;
    tr.level = 5.0;
    move(&tr, 13.0, 3.0);
    r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, 0);
    ck_assert_double_lt(r->round_trip_deg, 4.0); /* the jitter only, not the 8 deg drift */
    ck_assert_double_lt(r->round_trip_deg, r->hysteresis_deg);
    reps_result_free(r);

    tr.n = 0;
    tr.level = 5.0;
    move(&tr, 5.0, 1.0);
    rdl_rep(&tr, 90.0);
    r = segment(&tr, REPS_START_AUTO);
    ck_assert_int_eq((int)r->n_reps, 1);
    ck_assert_double_eq_tol(r->round_trip_deg, 85.0, 3.0);
    reps_result_free(r);
}
END_TEST

static Suite *reps_suite(void)
{
    Suite *s = suite_create("reps");
    TCase *tc = tcase_create("segment");
    tcase_add_loop_test(tc, clean_reps_exact, 0, (int)HC_ARRAY_LEN(clean_counts));
    tcase_add_test(tc, walking_in_not_counted);
    tcase_add_test(tc, partial_first_and_last);
    tcase_add_test(tc, rdl_pickup_not_counted);
    tcase_add_loop_test(tc, floor_start_deadlift, 0, (int)HC_ARRAY_LEN(floor_modes));
    tcase_add_loop_test(tc, floor_set_edges, 0, (int)HC_ARRAY_LEN(floor_edge_cases));
    tcase_add_loop_test(tc, floor_set_at_the_bar, 0, (int)HC_ARRAY_LEN(floor_atbar_cases));
    tcase_add_test(tc, ballistic_swings);
    tcase_add_loop_test(tc, swing_setup_dropped, 0, (int)HC_ARRAY_LEN(setup_cases));
    tcase_add_test(tc, small_partials_ignored);
    tcase_add_test(tc, gaps_and_empty);
    tcase_add_test(tc, round_trip_is_what_is_tested);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return hc_check_run(reps_suite());
}
