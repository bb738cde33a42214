#define _POSIX_C_SOURCE 200809L
/* pair.c - two cameras of one set (hc_analysis_pair): a side clip and a front (or rear, or
 * oblique) clip analysed each on its own, checked for their views, aligned in time, their reps
 * matched, and the set judged again with the side checks from the side clip and the frontal
 * checks from the front clip (rules_evaluate_pair). The result is the side clip's analysis with
 * the front one kept beside it (hc_analysis.front) and what the pairing found (report_pair).
 *
 * The time offset is found by cross-correlating one motion signal both cameras see alike: the
 * height in the image of the upper body (the mean of the shoulders, wrists and hips). Every
 * hinge lowers the shoulders as the trunk tips forward and the hands with them, whatever the
 * camera's angle around the lifter; heights are read the same from the side and from the front,
 * where forward and sideways positions are not. Each clip's signal is standardised (mean 0,
 * standard deviation 1), so the lifter's size in each image does not matter, and sampled on
 * one grid; the Pearson correlation over the overlap is taken at every lag that leaves at least
 * PAIR_MIN_OVERLAP of the shorter clip in both, the peak refined to a fraction of a sample by a
 * parabola through its neighbours. Reps repeat, so the next best lag (the highest other local
 * peak, at least PAIR_PEAK_SEP_S away) is most often one rep off: its score against the peak's
 * says how sure the offset is. A lag's score is its correlation times the share of the shorter
 * clip it overlaps: identical reps one rep apart correlate as well as the right lag, but lay
 * less of the clips over each other. */
#include "pipeline/pipeline.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAIR_MIN_OVERLAP 0.5  /* share of the shorter clip both must cover at a lag */
#define PAIR_PEAK_SEP_S 0.3   /* the second peak: at least this far from the first */
#define PAIR_MAX_STEP_S 0.02  /* the grid: the finer clip's frame time, at most this */
#define PAIR_MATCH_MIN 0.5    /* two reps match when they overlap by this share of the shorter */
/* sure: a clear peak, and the next best lag clearly lower (a set of identical reps has its
 * second peak one rep away, a little lower because one rep fewer overlaps) */
#define PAIR_SURE_PEAK 0.6
#define PAIR_SURE_RATIO 0.97

/* The upper body's height in the image, px (NaN without a pose or with a landmark unseen). */
static double upper_body_y(const struct hc_pose_frame *f)
{
    static const int lms[] = {HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER, HC_LM_LEFT_WRIST,
                              HC_LM_RIGHT_WRIST,   HC_LM_LEFT_HIP,       HC_LM_RIGHT_HIP};
    if (!f->has_pose)
        return NAN;
    double s = 0.0;
    for (size_t k = 0; k < sizeof lms / sizeof lms[0]; k++) {
        const float y = f->lm[lms[k]].y_px;
        if (!isfinite(y))
            return NAN;
        s += y;
    }
    return s / (double)(sizeof lms / sizeof lms[0]);
}

/* The clip's signal on the grid t0 + i * dt (i < n), linear between the frames around each
 * point (NaN over a gap of more than 0.25 s or outside the clip), then standardised. Returns
 * the number of finite samples. */
static size_t pair_signal(const struct hc_analysis *a, double t0, double dt, size_t n,
                          double *out)
{
    size_t j = 0, m = 0;
    double s1 = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double t = t0 + (double)i * dt;
        out[i] = NAN;
        while (j + 1 < a->n_frames && a->frames[j + 1].t_s <= t)
            j++;
        if (j + 1 >= a->n_frames || a->frames[j].t_s > t)
            continue;
        const struct hc_pose_frame *f0 = &a->frames[j], *f1 = &a->frames[j + 1];
        const double y0 = upper_body_y(f0), y1 = upper_body_y(f1), span = f1->t_s - f0->t_s;
        if (!isfinite(y0) || !isfinite(y1) || !(span > 0.0) || span > 0.25)
            continue;
        out[i] = y0 + (y1 - y0) * (t - f0->t_s) / span;
        s1 += out[i];
        s2 += out[i] * out[i];
        m++;
    }
    if (m < 2)
        return 0;
    const double mean = s1 / (double)m, var = s2 / (double)m - mean * mean;
    const double sd = var > 1e-12 ? sqrt(var) : 1.0;
    for (size_t i = 0; i < n; i++)
        out[i] = (out[i] - mean) / sd;
    return m;
}

/* Pearson correlation of s[i] and f[i + lag] over the indices where both are finite (*m_out:
 * how many); NaN with fewer than min_n pairs. */
static double lag_corr(const double *s, size_t ns, const double *f, size_t nf, long lag,
                       size_t min_n, size_t *m_out)
{
    double a1 = 0, a2 = 0, b1 = 0, b2 = 0, ab = 0;
    size_t m = 0;
    const long i0 = lag < 0 ? -lag : 0;
    for (long i = i0; i < (long)ns && i + lag < (long)nf; i++) {
        const double x = s[i], y = f[i + lag];
        if (!isfinite(x) || !isfinite(y))
            continue;
        a1 += x;
        a2 += x * x;
        b1 += y;
        b2 += y * y;
        ab += x * y;
        m++;
    }
    *m_out = m;
    if (m < min_n || m < 3)
        return NAN;
    const double vx = a2 - a1 * a1 / (double)m, vy = b2 - b1 * b1 / (double)m;
    if (!(vx > 0.0) || !(vy > 0.0))
        return NAN;
    return (ab - a1 * b1 / (double)m) / sqrt(vx * vy);
}

/* Finds the front clip's time offset against the side clip (front time = side time +
 * offset_s) into *pr; HC_ERR_PAIR when the clips share too little movement to align. */
static enum hc_status pair_align(const struct hc_analysis *side, const struct hc_analysis *front,
                                 struct report_pair *pr)
{
    const double fs = side->in.fps > 0 ? side->in.fps : 30.0;
    const double ff = front->in.fps > 0 ? front->in.fps : 30.0;
    double dt = 1.0 / (fs > ff ? fs : ff);
    if (dt > PAIR_MAX_STEP_S)
        dt = PAIR_MAX_STEP_S;
    if (!side->n_frames || !front->n_frames)
        return hc_fail(HC_ERR_PAIR, "%s and %s: no frames to align", side->path, front->path);
    const double ts0 = side->frames[0].t_s, tf0 = front->frames[0].t_s;
    const double ds = side->frames[side->n_frames - 1].t_s - ts0;
    const double df = front->frames[front->n_frames - 1].t_s - tf0;
    const size_t ns = (size_t)(ds / dt) + 1, nf = (size_t)(df / dt) + 1;
    double *s = malloc(ns * sizeof *s), *f = malloc(nf * sizeof *f);
    const long min_lag = -(long)ns + 1, max_lag = (long)nf - 1;
    const size_t n_lags = (size_t)(max_lag - min_lag + 1);
    double *r = malloc(n_lags * sizeof *r);
    enum hc_status st = HC_OK;
    if (!s || !f || !r) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory aligning the two clips", side->path);
        goto done;
    }
    const size_t ms = pair_signal(side, ts0, dt, ns, s), mf = pair_signal(front, tf0, dt, nf, f);
    const size_t m_min = ms < mf ? ms : mf;
    const size_t min_n = (size_t)(PAIR_MIN_OVERLAP * (double)m_min);
    long best = 0;
    double rbest = -2.0;
    for (size_t k = 0; k < n_lags; k++) {
        size_t m = 0;
        const double c = ms && mf ? lag_corr(s, ns, f, nf, min_lag + (long)k, min_n, &m) : NAN;
        /* the score of a lag: its correlation times the share of the shorter clip it overlaps,
         * so of two lags that fit alike (identical reps one rep apart) the one that lays more
         * of the clips over each other wins */
        r[k] = isfinite(c) ? c * (double)m / (double)m_min : NAN;
        if (isfinite(r[k]) && r[k] > rbest) {
            rbest = r[k];
            best = (long)k;
        }
    }
    if (!(rbest > -2.0)) {
        st = hc_fail(HC_ERR_PAIR,
                     "%s and %s: the lifter was not seen moving long enough in both clips to "
                     "align them (half of the shorter clip must overlap); give the offset with "
                     "--offset SEC",
                     side->path, front->path);
        goto done;
    }
    /* a parabola through the peak and its neighbours: the offset to a fraction of a sample */
    double frac = 0.0;
    if (best > 0 && (size_t)best + 1 < n_lags && isfinite(r[best - 1]) &&
        isfinite(r[best + 1])) {
        const double den = r[best - 1] - 2.0 * r[best] + r[best + 1];
        if (den < 0.0)
            frac = 0.5 * (r[best - 1] - r[best + 1]) / den;
        if (frac > 0.5 || frac < -0.5)
            frac = 0.0;
    }
    /* the second peak: the highest other local maximum far enough from the first */
    double second = NAN;
    long second_k = -1;
    const long sep = (long)ceil(PAIR_PEAK_SEP_S / dt);
    for (long k = 1; k + 1 < (long)n_lags; k++) {
        if (!isfinite(r[k]) || labs(k - best) < sep || !(r[k] >= r[k - 1]) ||
            !(r[k] >= r[k + 1]))
            continue;
        if (!isfinite(second) || r[k] > second) {
            second = r[k];
            second_k = k;
        }
    }
    /* lag L pairs side sample i (time ts0 + i dt) with front sample i + L (tf0 + (i + L) dt) */
    pr->offset_s = tf0 - ts0 + ((double)(min_lag + best) + frac) * dt;
    size_t m = 0;
    pr->peak_corr = lag_corr(s, ns, f, nf, min_lag + best, min_n, &m);
    pr->second_corr = second_k >= 0 ? lag_corr(s, ns, f, nf, min_lag + second_k, min_n, &m) : NAN;
    pr->second_ratio = isfinite(second) && rbest > 0.0 ? second / rbest : NAN;
    pr->sure = pr->peak_corr >= PAIR_SURE_PEAK && (!isfinite(pr->second_ratio) ||
                                                   pr->second_ratio <= PAIR_SURE_RATIO);
done:
    free(s);
    free(f);
    free(r);
    return st;
}

/* Matches each side rep to the front rep it overlaps most on the side clip's clock (front times
 * less the offset), one front rep at most once; pr->match gets the front rep's index or -1. */
static enum hc_status pair_match(const struct reps_result *rs, const struct reps_result *rf,
                                 struct report_pair *pr)
{
    const size_t n = rs ? rs->n_reps : 0;
    pr->n_side_reps = n;
    pr->n_front_reps = rf ? rf->n_reps : 0;
    pr->n_matched = 0;
    pr->match = calloc(n ? n : 1, sizeof *pr->match);
    unsigned char *used = calloc(pr->n_front_reps ? pr->n_front_reps : 1, 1);
    if (!pr->match || !used) {
        free(used);
        return hc_fail(HC_ERR_NOMEM, "out of memory matching the reps of two clips");
    }
    for (size_t i = 0; i < n; i++) {
        const struct reps_rep *a = &rs->reps[i];
        int best = -1;
        double best_ov = 0.0;
        for (size_t k = 0; k < pr->n_front_reps; k++) {
            if (used[k])
                continue;
            const struct reps_rep *b = &rf->reps[k];
            const double b0 = b->t_start_s - pr->offset_s, b1 = b->t_end_s - pr->offset_s;
            const double lo = a->t_start_s > b0 ? a->t_start_s : b0;
            const double hi = a->t_end_s < b1 ? a->t_end_s : b1;
            const double la = a->t_end_s - a->t_start_s, lb = b1 - b0;
            const double shorter = la < lb ? la : lb;
            const double ov = shorter > 0.0 ? (hi - lo) / shorter : 0.0;
            if (ov >= PAIR_MATCH_MIN && ov > best_ov) {
                best_ov = ov;
                best = (int)k;
            }
        }
        pr->match[i] = best;
        if (best >= 0) {
            used[best] = 1;
            pr->n_matched++;
        }
    }
    free(used);
    return HC_OK;
}

/* 1 when the two paths name one file (also through a link). */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return strcmp(a, b) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

enum hc_status hc_pair_check_files(const char *side_path, const char *front_path, int tracks)
{
    if (!side_path || !front_path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_pair_check_files: a clip is missing");
    if (same_file(side_path, front_path))
        return hc_fail(HC_ERR_PAIR,
                       "%s: given as both the side and the front clip; --front takes the "
                       "second camera's clip of the same set",
                       front_path);
    if (!tracks) {
        struct hc_video_info vi;
        return hc_probe_file(front_path, &vi); /* its message names the file */
    }
    FILE *f = fopen(front_path, "rb");
    if (!f)
        return hc_fail(HC_ERR_IO, "%s: cannot read the front clip's track: %s", front_path,
                       strerror(errno));
    fclose(f);
    return HC_OK;
}

/* The views of the two clips: the side clip filmed from the side (or obliquely), the front
 * clip from the front, behind or obliquely; two side views, two front views or the two
 * swapped are refused, naming the clip at fault. */
static enum hc_status pair_check_views(const struct hc_analysis *side,
                                       const struct hc_analysis *front)
{
    const enum kin_view vs = side->ks ? side->ks->view : KIN_VIEW_UNKNOWN;
    const enum kin_view vf = front->ks ? front->ks->view : KIN_VIEW_UNKNOWN;
    const double as = side->ks ? side->ks->view_angle_deg : NAN;
    const double af = front->ks ? front->ks->view_angle_deg : NAN;
    if (vs == KIN_VIEW_FRONT && vf == KIN_VIEW_SIDE)
        return hc_fail(HC_ERR_PAIR,
                       "%s: filmed from the front (%.0f deg from side-on) and %s from the side: "
                       "the clips are swapped; give the side clip first and the front one "
                       "with --front",
                       side->path, as, front->path);
    if (vf == KIN_VIEW_SIDE)
        return hc_fail(HC_ERR_PAIR,
                       "%s: filmed from the side (%.0f deg from side-on), as %s is: two side "
                       "views; --front takes a clip filmed from the front or behind",
                       front->path, af, side->path);
    if (vs == KIN_VIEW_FRONT)
        return hc_fail(HC_ERR_PAIR,
                       "%s: filmed from the front (%.0f deg from side-on)%s: the first clip "
                       "must be the side view",
                       side->path, as, vf == KIN_VIEW_FRONT ? ", as the --front clip is" : "");
    return HC_OK;
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "";
}

enum hc_status hc_analysis_pair(struct hc_analysis *side, struct hc_analysis *front,
                                const struct hc_pair_params *pp, struct hc_analysis **out)
{
    enum hc_status st = HC_OK;
    if (!out) {
        st = hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_pair: no output pointer");
        goto fail;
    }
    *out = NULL;
    if (!side || !front || side->front || front->front) {
        st = hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_pair: two single-clip analyses needed");
        goto fail;
    }
    const struct hc_pair_params def = hc_pair_default_params();
    if (!pp)
        pp = &def;
    struct report_pair *pr = &side->pair;
    memset(pr, 0, sizeof *pr);
    pr->front_path = front->path;
    pr->front_fps = front->in.fps;
    pr->front_view = front->ks ? front->ks->view : KIN_VIEW_UNKNOWN;
    pr->front_view_angle_deg = front->ks ? front->ks->view_angle_deg : NAN;
    pr->front_n_frames = front->in.n_frames;
    pr->front_rr = front->rr;
    pr->front_status = front->in.status;
    pr->front_reason = front->in.reason ? front->in.reason : "";
    pr->peak_corr = pr->second_corr = pr->second_ratio = NAN;
    if ((st = pair_check_views(side, front)) != HC_OK)
        goto fail;
    if (isfinite(pp->offset_s)) {
        pr->offset_given = 1;
        pr->offset_s = pp->offset_s;
        pr->sure = 1;
    } else if (side->in.status != HC_OK || front->in.status != HC_OK) {
        /* a clip without a lifter or a rep: nothing to align by, and nothing to match; the
         * report says why (the side clip's status, the front clip's in the pair block) */
        pr->not_aligned = 1;
    } else if ((st = pair_align(side, front, pr)) != HC_OK) {
        goto fail;
    }
    pr->offset_frames = pr->offset_s * (side->in.fps > 0 ? side->in.fps : 30.0);
    if ((st = pair_match(side->rr, front->rr, pr)) != HC_OK)
        goto fail;
    side->front = front;
    side->in.pair = pr;
    if (side->rr && side->res && side->ks && front->ks && front->rr) {
        const struct rules_front fr = {front->ks, front->rr, pr->match, pr->n_side_reps};
        struct rules_result *res = NULL;
        st = rules_evaluate_pair(side->rs, side->ks, side->rr, side->res->detected, &fr, &res);
        if (st != HC_OK)
            goto fail_owned;
        res->requested = side->res->requested;
        memcpy(res->detect_reason, side->res->detect_reason, sizeof res->detect_reason);
        rules_result_free(side->res);
        side->res = res;
        side->in.res = res;
    }
    if (front->in.status != HC_OK && side->in.status == HC_OK)
        hc_log(HC_LOG_WARN, "%s: %s", base_name(front->path),
               front->in.reason ? front->in.reason : hc_strerror(front->in.status));
    *out = side;
    return HC_OK;
fail:
    hc_analysis_free(front);
fail_owned:
    hc_analysis_free(side);
    return st;
}

struct hc_pair_params hc_pair_default_params(void)
{
    struct hc_pair_params p;
    memset(&p, 0, sizeof p);
    p.offset_s = NAN;
    return p;
}

enum hc_status hc_analyse_pair(const char *side_path, const char *front_path,
                               const struct hc_analysis_params *p,
                               const struct hc_pair_params *pp, struct hc_analysis **out)
{
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_pair: no output pointer");
    *out = NULL;
    enum hc_status st = hc_pair_check_files(side_path, front_path, 0);
    if (st != HC_OK)
        return st;
    const struct hc_analysis_params def = hc_analysis_default_params();
    if (!p)
        p = &def;
    struct hc_analysis *side = NULL, *front = NULL;
    if ((st = analysis_file_mode(side_path, p, 0, &side)) != HC_OK)
        return st;
    struct hc_analysis_params fp = *p;
    fp.name = NULL;
    if ((st = analysis_file_mode(front_path, &fp, 0, &front)) != HC_OK) {
        hc_analysis_free(side);
        return st;
    }
    return hc_analysis_pair(side, front, pp, out);
}
