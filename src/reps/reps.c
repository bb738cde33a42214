/* reps.c - rep segmentation: zig-zag turning points with hysteresis, then phases per rep. */
#include "reps/reps.h"
#include "reps/reps_lifts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *reps_phase_name(enum reps_phase ph)
{
    static const char *names[REPS_N_PHASES] = {"top", "lowering", "bottom", "rising", "lockout"};
    return (unsigned)ph < REPS_N_PHASES ? names[ph] : "none";
}

void reps_result_free(struct reps_result *r)
{
    if (!r)
        return;
    free(r->reps);
    free(r->t_s);
    free(r->phase);
    free(r->rep_of);
    free(r);
}

struct ext {
    long i;
    double v;
    int peak;        /* 1: a bottom (max flexion), 0: a top */
    int confirmed;   /* the signal came back by the hysteresis after it */
    long seg0, seg1; /* its segment of valid samples */
};

/* Zig-zag over one segment [s0, s1] of x; appends to e[*ne] (capacity cap). */
static void zigzag(const double *x, long s0, long s1, double A, struct ext *e, size_t *ne,
                   size_t cap)
{
    int mode = 0; /* 0 unknown, 1 rising (tracking a peak), -1 falling (tracking a valley) */
    long hi = s0, lo = s0;
#define PUSH(idx, pk, conf)                                                                       \
    do {                                                                                           \
        if (*ne < cap)                                                                             \
            e[(*ne)++] = (struct ext){(idx), x[idx], (pk), (conf), s0, s1};                        \
    } while (0)
    for (long i = s0; i <= s1; i++) {
        if (mode == 0) {
            if (x[i] > x[hi])
                hi = i;
            if (x[i] < x[lo])
                lo = i;
            if (x[i] - x[lo] >= A) {
                PUSH(lo, 0, 1);
                mode = 1;
                hi = i;
            } else if (x[hi] - x[i] >= A) {
                PUSH(hi, 1, 1);
                mode = -1;
                lo = i;
            }
        } else if (mode == 1) {
            if (x[i] >= x[hi])
                hi = i;
            else if (x[hi] - x[i] >= A) {
                PUSH(hi, 1, 1);
                mode = -1;
                lo = i;
            }
        } else {
            if (x[i] <= x[lo])
                lo = i;
            else if (x[i] - x[lo] >= A) {
                PUSH(lo, 0, 1);
                mode = 1;
                hi = i;
            }
        }
    }
    if (mode == 1)
        PUSH(hi, 1, 0);
    else if (mode == -1)
        PUSH(lo, 0, 0);
#undef PUSH
}

/* Runs the zig-zag over every valid segment of x. */
static size_t zigzag_all(const double *x, size_t n, double A, struct ext *e, size_t cap)
{
    size_t ne = 0;
    long i = 0;
    while ((size_t)i < n) {
        while ((size_t)i < n && !isfinite(x[i]))
            i++;
        long s0 = i;
        while ((size_t)i < n && isfinite(x[i]))
            i++;
        if (i > s0)
            zigzag(x, s0, i - 1, A, e, &ne, cap);
    }
    return ne;
}

/* The largest movement out and back of x within one valid segment: over frames j, the smaller of
 * how far x[j] lies beyond the lowest (dir 1: highest) value before it and beyond the lowest
 * after it. A rep needs one of at least the hysteresis in hip flexion (down and back up) or, for
 * floor lifts, the other way (up and back down): what the no-rep reason quotes. suf: n doubles. */
static double round_trip(const double *x, size_t n, int dir, double *suf)
{
    double best = 0.0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !isfinite(x[i]))
            i++;
        const size_t s0 = i;
        while (i < n && isfinite(x[i]))
            i++;
        if (i == s0)
            continue;
        const double sg = dir ? -1.0 : 1.0; /* dir 1: mirror, so the same code finds troughs */
        suf[i - 1] = sg * x[i - 1];
        for (size_t k = i - 1; k > s0; k--)
            suf[k - 1] = fmin(suf[k], sg * x[k - 1]);
        double pre = sg * x[s0];
        for (size_t j = s0; j < i; j++) {
            const double v = sg * x[j];
            pre = fmin(pre, v);
            best = fmax(best, fmin(v - pre, v - suf[j]));
        }
    }
    return best;
}

/* Frames around extreme k whose value stays within `band` of it: dwell time in seconds. */
static double dwell(const double *t, const double *x, const struct ext *k, double band)
{
    long a = k->i, b = k->i;
    int peak = k->peak;
    while (a > k->seg0 && (peak ? x[a - 1] >= k->v - band : x[a - 1] <= k->v + band))
        a--;
    while (b < k->seg1 && (peak ? x[b + 1] >= k->v - band : x[b + 1] <= k->v + band))
        b++;
    return t[b] - t[a];
}

static struct reps_span span(long a, long b)
{
    return a <= b && a >= 0 ? (struct reps_span){a, b} : (struct reps_span){-1, -1};
}

/* Index of the first frame in [from, to] (step dir) satisfying the predicate on x, or -1. */
static long scan(const double *x, long from, long to, int dir, int below, double level)
{
    for (long i = from; dir > 0 ? i <= to : i >= to; i += dir)
        if (below ? x[i] <= level : x[i] >= level)
            return i;
    return -1;
}

static long frames_for(const double *t, long i, long lim, double secs, int dir)
{
    long j = i;
    while (dir > 0 ? j + 1 <= lim : j - 1 >= lim) {
        if (fabs(t[j + dir] - t[i]) > secs)
            break;
        j += dir;
    }
    return j;
}

static void finish_rep(struct reps_rep *r, const double *t)
{
    for (int ph = 0; ph < REPS_N_PHASES; ph++) {
        const struct reps_span *s = &r->phase[ph];
        r->phase_s[ph] = s->i0 >= 0 ? t[s->i1] - t[s->i0] : 0.0;
    }
}

enum hc_status reps_segment(const double *t_s, const double *hip_angle_deg, size_t n,
                            const struct reps_params *p, struct reps_result **out)
{
    struct reps_params defp = reps_default_params();
    struct reps_result *r = NULL;
    double *x = NULL, *tmp = NULL;
    struct ext *e = NULL;
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "reps_segment: no output pointer");
    *out = NULL;
    if (n > 0 && (!t_s || !hip_angle_deg))
        return hc_fail(HC_ERR_INVALID_ARG, "reps_segment: no series given");
    if (!p)
        p = &defp;
    size_t cnt = n ? n : 1;
    r = calloc(1, sizeof *r);
    x = malloc(cnt * sizeof *x);
    tmp = malloc(cnt * sizeof *tmp);
    e = malloc(cnt * sizeof *e);
    if (!r || !x || !tmp || !e)
        goto nomem;
    r->n = n;
    r->t_s = malloc(cnt * sizeof *r->t_s);
    r->phase = malloc(cnt);
    r->rep_of = calloc(cnt, sizeof *r->rep_of);
    if (!r->t_s || !r->phase || !r->rep_of)
        goto nomem;
    memset(r->phase, REPS_NONE, cnt);
    if (n > 0)
        memcpy(r->t_s, t_s, n * sizeof *t_s);

    /* hip flexion, short gaps bridged */
    for (size_t i = 0; i < n; i++)
        x[i] = isfinite(hip_angle_deg[i]) ? 180.0 - hip_angle_deg[i] : NAN;
    for (size_t i = 1; i < n; i++) {
        if (isfinite(x[i]) || !isfinite(x[i - 1]))
            continue;
        size_t j = i;
        while (j < n && !isfinite(x[j]))
            j++;
        if (j < n && t_s[j] - t_s[i - 1] <= p->max_gap_s)
            for (size_t k = i; k < j; k++)
                x[k] = x[i - 1] + (x[j] - x[i - 1]) * (t_s[k] - t_s[i - 1]) / (t_s[j] - t_s[i - 1]);
        i = j;
    }

    r->round_trip_deg = fmax(round_trip(x, n, 0, tmp), round_trip(x, n, 1, tmp));

    /* pass 1 at the absolute hysteresis; the set's typical excursion sets pass 2's */
    size_t ne = zigzag_all(x, n, p->min_amplitude_deg, e, cnt);
    size_t m = 0;
    for (size_t k = 1; k < ne; k++)
        if (e[k].seg0 == e[k - 1].seg0)
            tmp[m++] = fabs(e[k].v - e[k - 1].v);
    double A = p->min_amplitude_deg;
    if (m > 0) {
        qsort(tmp, m, sizeof *tmp, hc_cmp_double);
        double ref = tmp[(3 * m) / 4 < m ? (3 * m) / 4 : m - 1];
        if (p->rel_amplitude * ref > A)
            A = p->rel_amplitude * ref;
        ne = zigzag_all(x, n, A, e, cnt);
    }
    r->hysteresis_deg = A;

    /* set levels: median top and bottom */
    m = 0;
    for (size_t k = 0; k < ne; k++)
        if (!e[k].peak)
            tmp[m++] = e[k].v;
    double top_level = hc_median_sort(tmp, m);
    m = 0;
    for (size_t k = 0; k < ne; k++)
        if (e[k].peak)
            tmp[m++] = e[k].v;
    double bot_level = hc_median_sort(tmp, m);
    const size_t n_bottoms = m;
    /* the lockouts: tops inside the clip (a top at its first or last frame may be a frame caught
     * mid-way); the set's top level when there is none */
    m = 0;
    for (size_t k = 0; k < ne; k++)
        if (!e[k].peak && e[k].i > e[k].seg0 && e[k].i < e[k].seg1)
            tmp[m++] = e[k].v;
    const double lock_level = m ? hc_median_sort(tmp, m) : top_level;
    if (!isfinite(top_level) || !isfinite(bot_level)) {
        /* fewer than two turning points: no rep */
        free(x);
        free(tmp);
        free(e);
        r->reps = NULL;
        *out = r;
        return HC_OK;
    }
    const double ampl = bot_level - top_level;

    /* floor start? interior dwell times at the bottom against the top; or a long first hold at
     * the bottom (the set-up at the bar): the floor lift's cues in the lift table */
    int floor = p->start == REPS_START_FLOOR;
    if (p->start == REPS_START_AUTO) {
        const struct reps_lift_cues *fc = &reps_lift_floor_row()->cues;
        double band = fc->dwell_band * ampl, db[64], dt[64];
        size_t nb = 0, nt = 0;
        double first_bottom = NAN;
        for (size_t k = 0; k < ne; k++) {
            int interior = e[k].confirmed && e[k].i > e[k].seg0 && e[k].i < e[k].seg1;
            if (!interior)
                continue;
            double d = dwell(t_s, x, &e[k], band);
            if (e[k].peak && nb < 64) {
                if (!isfinite(first_bottom))
                    first_bottom = d;
                db[nb++] = d;
            } else if (!e[k].peak && nt < 64) {
                dt[nt++] = d;
            }
        }
        double mb = hc_median_sort(db, nb), mt = hc_median_sort(dt, nt);
        if (isfinite(mb) && isfinite(mt))
            floor = mb > mt + fc->hold_margin_s ||
                    (first_bottom > fc->first_hold_min_s &&
                     first_bottom > fc->first_hold_ratio * mt && mb > mt);
        else if (isfinite(mb) && !isfinite(mt))
            floor = 1;
    }
    r->floor_start = floor;

    /* reps */
    r->reps = calloc(ne ? ne : 1, sizeof *r->reps);
    if (!r->reps)
        goto nomem;
    const double z = p->zone_frac;
    for (size_t k = 0; k < ne; k++) {
        if (e[k].peak != !floor)
            continue; /* centre: a bottom (top-start lifts) or a top (floor lifts) */
        const struct ext *c = &e[k];
        const struct ext *prev = k > 0 && e[k - 1].seg0 == c->seg0 ? &e[k - 1] : NULL;
        const struct ext *next = k + 1 < ne && e[k + 1].seg0 == c->seg0 ? &e[k + 1] : NULL;
        long s0 = c->seg0, s1 = c->seg1;
        struct reps_rep rep;
        memset(&rep, 0, sizeof rep);
        for (int ph = 0; ph < REPS_N_PHASES; ph++)
            rep.phase[ph] = span(-1, -1);
        rep.floor_start = floor;
        if (!floor) {
            /* a top-start set (RDL) that begins by deadlifting the bar off the floor, or ends by
             * putting it down: a bottom at the clip's edge with no top on that side, held like
             * a set-up (>= 1 s at the bar) and deeper than the set's bottoms by a quarter of
             * the excursion, is the pick-up / put-down, not a rep */
            if ((!prev || !next) && n_bottoms >= 2 &&
                c->v > bot_level + p->setup_depth_frac * ampl &&
                dwell(t_s, x, c, p->setup_band_frac * ampl) >= p->setup_hold_s)
                continue;
            /* top -> bottom -> top around the bottom c */
            double v0 = prev ? prev->v : top_level, v1 = next ? next->v : top_level, P = c->v;
            double a0 = P - v0, a1 = P - v1;
            long j = prev ? scan(x, c->i, prev->i, -1, 1, v0 + z * a0) : -1; /* last top frame */
            long b0 = scan(x, j >= 0 ? j : s0, c->i, 1, 0, P - z * a0);
            long b1e = scan(x, c->i, next ? next->i : s1, 1, 1, P - z * a1);
            long b1 = b1e >= 0 ? b1e - 1 : (next ? next->i : s1);
            /* a clip that stops mid-rise ends on an unconfirmed "top" far from the set's lockouts:
             * the rep has no lockout (a real barbell RDL clip stops at a hip angle of 119 deg,
             * which read as an incomplete lockout). Far: beyond 30% of the excursion
             * from the set's tops or, when the clip holds no other top, more than 30 deg of hip
             * flexion (a hip angle under 150 deg, where lockout-incomplete errs). */
            const int next_cut = next && !next->confirmed &&
                                 (next->v > top_level + p->edge_frac * ampl ||
                                  next->v > p->edge_flex_deg);
            long L = next && !next_cut ? scan(x, b1 + 1, next->i, 1, 1, v1 + z * a1) : -1;
            /* cut: no top before or after, or a top that is only the clip's first / last
             * frame caught mid-way (not within 30% of the set's top level) */
            rep.partial = !prev || !next || L < 0 || j < 0 ||
                          (prev->i == s0 && prev->v > top_level + p->edge_frac * ampl) ||
                          (!next->confirmed && next->v > top_level + p->edge_frac * ampl);
            if (j >= 0) {
                long tstart = frames_for(t_s, j, s0, p->lockout_s, -1);
                /* after a rep, the top starts where that rep's lockout ends (at the top between
                 * them, prev): a swing's top is short, and reaching back lockout_s would label
                 * most of the previous swing as this one's top */
                if (k >= 2 && e[k - 2].seg0 == c->seg0 && tstart < prev->i)
                    tstart = prev->i;
                rep.phase[REPS_TOP] = span(tstart, j);
            }
            rep.phase[REPS_LOWERING] = span(j >= 0 ? j + 1 : s0, b0 - 1);
            rep.phase[REPS_BOTTOM] = span(b0, b1);
            if (L >= 0) {
                rep.phase[REPS_RISING] = span(b1 + 1, L - 1);
                long le = next->i > L ? next->i : L;
                long lim = frames_for(t_s, L, s1, p->lockout_s, 1);
                rep.phase[REPS_LOCKOUT] = span(L, le < lim ? le : lim);
            } else {
                rep.phase[REPS_RISING] = span(b1 + 1, next ? next->i : s1);
            }
            rep.i_start = (size_t)(j >= 0 ? j + 1 : s0);
            rep.i_bottom = (size_t)c->i;
            rep.top_flexion_deg = prev ? v0 : next ? v1 : top_level;
        } else {
            /* bottom -> top -> bottom around the top c */
            double P0 = prev ? prev->v : bot_level, P1 = next ? next->v : bot_level, V = c->v;
            double a0 = P0 - V, a1 = P1 - V;
            /* a "top" that stays more than half the set's excursion short of its lockouts is a
             * partial movement, not a rep: on a real front-oblique kettlebell deadlift the
             * lifter lets go of the bell after the set and half rises
             * (hip 67 -> 94 -> 52 deg), which counted as a 0.6 s rep. A rep with an incomplete
             * lockout (the lockout-incomplete rule: hip under 150-165 deg) still reaches far
             * past half way. */
            if (V > lock_level + p->partial_top_frac * ampl)
                continue;
            long be = -1, bs = -1;
            if (prev) {
                long e1 = scan(x, prev->i, c->i, 1, 1, P0 - z * a0);
                be = e1 > prev->i ? e1 - 1 : prev->i;
                long e0 = prev->i;
                while (e0 > s0 && x[e0 - 1] >= P0 - z * a0)
                    e0--;
                long lim = frames_for(t_s, be, s0, p->lockout_s, -1);
                bs = e0 > lim ? e0 : lim;
            } else {
                /* standing at the start of the clip: a rep only when it is a lockout in the
                 * middle of a set (the lowering begins within 1 s) or the clip starts mid-pull */
                /* The lowering is timed at half its depth: standing still reads as a lowering
                 * from its first 10% (landmark jitter, shifting feet). A lockout in the middle
                 * of a set lasts up to lockout_s (1 s) and half a lowering adds about 0.3 s
                 * (0.5 s lowerings on a real side-view kettlebell deadlift), so 1.5 s; filmed
                 * front-oblique, the same set has the lifter walk in, stand and reach half
                 * depth 2.1 s into the clip: the set-up, not a rep. A top that is only the
                 * clip's first frame caught mid-descent (not within 30% of the set's lockouts:
                 * a real side-view barbell deadlift starts while the lifter bends to the bar)
                 * is the set-up as well. */
                long d = next ? scan(x, c->i, next->i, 1, 0, V + p->start_depth_frac * a1) : -1;
                int mid_pull = x[s0] > V + p->edge_frac * ampl;
                int caught_descending = c->i == s0 && V > lock_level + p->edge_frac * ampl;
                if (!mid_pull &&
                    (d < 0 || t_s[d] - t_s[s0] > p->start_within_s || caught_descending))
                    continue;
            }
            long L = scan(x, be >= 0 ? be + 1 : s0, c->i, 1, 1, V + z * a0);
            if (L < 0)
                L = c->i;
            /* the clip stops mid-pull: its last frame is no lockout (see next_cut above) */
            const int top_cut =
                !c->confirmed && c->i == s1 &&
                (V > lock_level + p->edge_frac * ampl || V > p->edge_flex_deg);
            long D = next ? scan(x, next->i, c->i, -1, 1, V + z * a1) : -1;
            long E = next ? scan(x, D >= 0 ? D : c->i, next->i, 1, 0, P1 - z * a1) : -1;
            /* standing up at the end with nothing after it: a partial rep only when the
             * clip stops within 1 s of the lockout (cut mid-set); else the lifter let go of
             * the bar and stood up after the set */
            if (!next && t_s[s1] - t_s[L] > p->standup_s)
                continue;
            rep.partial = !prev || !next ||
                          (prev->i == s0 && prev->v < bot_level - p->edge_frac * ampl) ||
                          (!next->confirmed && next->v < bot_level - p->edge_frac * ampl);
            if (!next && !prev)
                continue;
            if (prev)
                rep.phase[REPS_BOTTOM] = span(bs, be);
            rep.partial |= top_cut;
            rep.phase[REPS_RISING] = span(be >= 0 ? be + 1 : s0, top_cut ? s1 : L - 1);
            long lockend = D >= 0 ? D : (next ? next->i : s1);
            long lim = frames_for(t_s, L, s1, p->lockout_s, 1);
            if (!top_cut)
                rep.phase[REPS_LOCKOUT] = span(L, lockend < lim ? lockend : lim);
            if (!top_cut && lockend > lim)
                rep.phase[REPS_TOP] = span(lim + 1, lockend);
            if (next)
                rep.phase[REPS_LOWERING] = span(lockend + 1, E >= 0 ? E : next->i);
            rep.i_start = (size_t)(bs >= 0 ? bs : s0);
            rep.i_bottom = (size_t)(prev ? prev->i : next->i);
            rep.top_flexion_deg = V;
        }
        /* last frame: the end of the last phase present */
        long last = (long)rep.i_start;
        for (int ph = 0; ph < REPS_N_PHASES; ph++)
            if (rep.phase[ph].i1 > last)
                last = rep.phase[ph].i1;
        rep.i_end = (size_t)last;
        /* the deepest frame inside the rep: a floor rep's bottom turn can lie before its bottom
         * phase (capped at lockout_s before the pull: a real side-view barbell deadlift sets
         * up at the bar for 1.5 s and read t_bottom 0 s against a
         * t_start of 1.5 s) or, cut at the clip's start, be the next rep's bottom */
        if (rep.i_bottom < rep.i_start || rep.i_bottom > rep.i_end) {
            const struct reps_span *bs = &rep.phase[REPS_BOTTOM];
            long a = bs->i0 >= 0 ? bs->i0 : (long)rep.i_start;
            long b = bs->i0 >= 0 ? bs->i1 : (long)rep.i_end;
            rep.i_bottom = (size_t)a;
            for (long i = a + 1; i <= b; i++)
                if (x[i] > x[rep.i_bottom])
                    rep.i_bottom = (size_t)i;
        }
        rep.bottom_flexion_deg = x[rep.i_bottom];
        rep.amplitude_deg = rep.bottom_flexion_deg - rep.top_flexion_deg;
        rep.t_start_s = t_s[rep.i_start];
        rep.t_bottom_s = t_s[rep.i_bottom];
        rep.t_end_s = t_s[rep.i_end];
        finish_rep(&rep, t_s);
        double dur = rep.t_end_s - rep.t_start_s;
        if (!rep.partial && dur < p->min_rep_s)
            continue;
        if (rep.partial && dur < p->partial_min_frac * p->min_rep_s)
            continue;
        rep.paused_bottom = rep.phase_s[REPS_BOTTOM] >= p->pause_s;
        /* the hold at the top before this rep: its top phase and, right before it, the
         * previous rep's lockout (the two halves of one stand between reps) */
        double top_hold = rep.phase_s[REPS_TOP];
        if (r->n_reps > 0 && rep.phase[REPS_TOP].i0 >= 0) {
            const struct reps_rep *pv = &r->reps[r->n_reps - 1];
            if (pv->phase[REPS_LOCKOUT].i1 >= rep.phase[REPS_TOP].i0 - 1)
                top_hold += pv->phase_s[REPS_LOCKOUT];
        }
        rep.paused_top = top_hold >= p->pause_s;
        r->reps[r->n_reps++] = rep;
    }
    for (size_t q = 0; q < r->n_reps; q++) {
        struct reps_rep *rp = &r->reps[q];
        rp->index = (int)q + 1;
        r->n_full += !rp->partial;
        /* phases of a rep: earlier reps' spans never overlap later ones (later wins) */
        for (int ph = 0; ph < REPS_N_PHASES; ph++)
            for (long i = rp->phase[ph].i0; i >= 0 && i <= rp->phase[ph].i1; i++) {
                r->phase[i] = (uint8_t)ph;
                r->rep_of[i] = (int16_t)rp->index;
            }
    }
    free(x);
    free(tmp);
    free(e);
    *out = r;
    return HC_OK;
nomem:
    free(x);
    free(tmp);
    free(e);
    reps_result_free(r);
    return hc_fail(HC_ERR_NOMEM, "reps_segment: out of memory for %zu frames", n);
}

size_t reps_drop_setup(struct reps_result *r, double max_ratio)
{
    enum { MAXR = 256 };
    double d[MAXR];
    if (!r || r->n_reps < 4 || r->n_reps > MAXR)
        return 0;
    /* the cycle: lowering to the end of the rising (the lockout of the set's last rep runs on
     * for up to lockout_s, the others' end at the next lowering) */
    for (size_t k = 0; k < r->n_reps; k++)
        d[k] = r->reps[k].phase_s[REPS_LOWERING] + r->reps[k].phase_s[REPS_BOTTOM] +
               r->reps[k].phase_s[REPS_RISING];
    const double first = d[0], last = d[r->n_reps - 1];
    /* median of the inner reps: the set-up itself must not pull it up */
    const double med = hc_median_sort(d + 1, r->n_reps - 2);
    const int drop_first = first > max_ratio * med, drop_last = last > max_ratio * med;
    if (!drop_first && !drop_last)
        return 0;
    /* The hike ends in a swing: the bell driven from between the legs to the first float is the
     * set's first upswing (a coach counts it: a real side-view swing demo floats the bell to
     * chest height six times, counted as about 6 plus the hike and park, and five follow a
     * backswing from a float). Its lowering and bottom are the set-up, so it stays a partial rep:
     * the upswing and the lockout. Nothing after the park's lowering is a swing: dropped. */
    struct reps_rep *h = &r->reps[0];
    const int trim_first = drop_first && r->t_s && h->phase[REPS_RISING].i0 >= 0 &&
                           h->phase[REPS_LOCKOUT].i0 >= 0;
    if (trim_first) {
        static const int setup[] = {REPS_TOP, REPS_LOWERING, REPS_BOTTOM};
        for (size_t k = 0; k < sizeof setup / sizeof setup[0]; k++) {
            struct reps_span *sp = &h->phase[setup[k]];
            for (long i = sp->i0; i >= 0 && i <= sp->i1; i++)
                if (r->rep_of[i] == h->index) {
                    r->rep_of[i] = 0;
                    r->phase[i] = REPS_NONE;
                }
            *sp = span(-1, -1);
        }
        h->partial = 1;
        h->i_start = h->i_bottom = (size_t)h->phase[REPS_RISING].i0;
        h->t_start_s = h->t_bottom_s = r->t_s[h->i_start];
        h->paused_bottom = h->paused_top = 0;
        finish_rep(h, r->t_s);
    }
    const size_t lo = drop_first && !trim_first ? 1 : 0, hi = r->n_reps - (drop_last ? 1 : 0);
    /* clear the dropped reps' frames, renumber the others' */
    for (size_t i = 0; i < r->n; i++) {
        const int q = r->rep_of[i];
        if (q == 0)
            continue;
        if ((size_t)q - 1 < lo || (size_t)q - 1 >= hi) {
            r->rep_of[i] = 0;
            r->phase[i] = REPS_NONE;
        } else {
            r->rep_of[i] = (int16_t)(q - (int)lo);
        }
    }
    memmove(r->reps, r->reps + lo, (hi - lo) * sizeof *r->reps);
    r->n_reps = hi - lo;
    r->n_full = 0;
    for (size_t k = 0; k < r->n_reps; k++) {
        r->reps[k].index = (int)k + 1;
        r->n_full += !r->reps[k].partial;
    }
    return (size_t)drop_first + (size_t)drop_last;
}
