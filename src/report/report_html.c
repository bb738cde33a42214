/* report_html.c - the self-contained HTML report: one file with inline CSS, SVG charts, base64
 * JPEG key frames and a few lines of JS, nothing fetched, so it opens offline and can be mailed.
 *
 * Layout: verdict and score, clip facts, top cues with fixes, set notes, per-rep table, key
 * frames (the bottom of each rep with the skeleton), and charts over time of the metrics the
 * rules judge, with rep bands shaded and each applicable rule's expected range drawn over the
 * phase it is read in. The inline script only checks itself: it counts the charts and images
 * that rendered and records script errors in data attributes of <body> (data-hc-charts,
 * data-hc-thumbs, data-hc-errors, data-hc-ready) for the browser test and for anyone debugging. */
#include "report/report_visual.h"

#include "cv/cv_draw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ---- text helpers -------------------------------------------------------------------------- */

static void put_esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void put_base64(FILE *f, const uint8_t *d, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        const uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) |
                           (i + 2 < n ? d[i + 2] : 0);
        q[0] = tab[v >> 18 & 63];
        q[1] = tab[v >> 12 & 63];
        q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        fwrite(q, 1, 4, f);
    }
}

/* A number or an en dash when missing. */
static void put_num(FILE *f, double v, const char *fmt)
{
    if (isfinite(v))
        fprintf(f, fmt, v);
    else
        fputs("&ndash;", f);
}

static const char *sev_class(enum rules_severity s)
{
    return s >= RULES_ERROR ? "err" : s >= RULES_WARNING ? "warn" : "info";
}

/* Colour of a score: the bands of report_verdict (excellent/good green, needs work amber,
 * poor red). */
static const char *score_class(double s)
{
    return !isfinite(s) ? "info" : s >= 75.0 ? "ok" : s >= 50.0 ? "warn" : "err";
}

/* ---- key frames ----------------------------------------------------------------------------- */

/* The crop a thumbnail shows (integer clip pixels {x0, y0, w, h}) and its size: the box of the
 * lifter's landmarks with a margin of 40% of its larger side (the head, buttocks, back and bar
 * reach that far beyond the joints), kept between 3:4 and 4:3 so the key frames have similar
 * shapes; the whole frame when there is no pose. */
static void thumb_view(const struct report_input *c, size_t i, int max_h, double view[4], int *tw,
                       int *th)
{
    const int w = c->width_px, h = c->height_px;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    if (i < (size_t)c->n_frames && c->frames[i].has_pose)
        for (int k = 0; k < HC_N_LANDMARKS; k++) {
            const struct hc_landmark *l = &c->frames[i].lm[k];
            /* every landmark, seen or not: the model still places hidden ones (the far side,
             * the face turned away) about right, and they bound the body better */
            if (!isfinite(l->x_px) || !isfinite(l->y_px))
                continue;
            x0 = fmin(x0, l->x_px);
            x1 = fmax(x1, l->x_px);
            y0 = fmin(y0, l->y_px);
            y1 = fmax(y1, l->y_px);
        }
    double vw = w, vh = h, cx = w / 2.0, cy = h / 2.0;
    if (x1 > x0 && y1 > y0) {
        const double m = 0.4 * fmax(x1 - x0, y1 - y0);
        vw = x1 - x0 + 2 * m;
        vh = y1 - y0 + 2 * m;
        vw = fmax(vw, 0.75 * vh);
        vh = fmax(vh, 0.75 * vw);
        cx = (x0 + x1) / 2;
        cy = (y0 + y1) / 2;
    }
    vw = fmin(fmax(vw, 16.0), w);
    vh = fmin(fmax(vh, 16.0), h);
    /* the frame's edges may have cut one side: trim the other back to at most 4:3 */
    vw = fmin(vw, vh * 4.0 / 3.0);
    vh = fmin(vh, vw * 4.0 / 3.0);
    view[0] = floor(fmin(fmax(cx - vw / 2, 0.0), w - vw));
    view[1] = floor(fmin(fmax(cy - vh / 2, 0.0), h - vh));
    view[2] = floor(vw);
    view[3] = floor(vh);
    *th = max_h & ~1;
    *tw = (int)lround(max_h * view[2] / view[3]) & ~1;
    if (*tw < 2)
        *tw = 2;
}

/* Cuts the crop of analysed frame i at max_h pixels (thumb_view) from a decoded frame `rgb`
 * (NULL: a plain dark background) into out; its size into *tw, *th and its view. */
static void cut_frame(const struct report_input *c, size_t i, const uint8_t *rgb,
                      int rgb_width_px, int rgb_height_px, int stride, int max_h, uint8_t *out,
                      double view[4], int *tw, int *th)
{
    thumb_view(c, i, max_h, view, tw, th);
    if (rgb && rgb_width_px > 0 && rgb_height_px > 0 && c->width_px > 0 && c->height_px > 0) {
        /* the view in the image's pixels (the clip's frame scaled to the image) */
        const double sx = (double)rgb_width_px / c->width_px;
        const double sy = (double)rgb_height_px / c->height_px;
        const int x0 = (int)floor(view[0] * sx), y0 = (int)floor(view[1] * sy);
        const int vw = (int)fmin(fmax(1.0, lround(view[2] * sx)), rgb_width_px - x0);
        const int vh = (int)fmin(fmax(1.0, lround(view[3] * sy)), rgb_height_px - y0);
        cv_resize_rgb(rgb + (size_t)y0 * stride + (size_t)x0 * 3, vw, vh, stride, out, *tw, *th,
                      *tw * 3);
    } else
        for (size_t k = 0; k < (size_t)*tw * *th; k++) {
            out[3 * k] = 30;
            out[3 * k + 1] = 34;
            out[3 * k + 2] = 40;
        }
}

void report_keyframe_draw(const struct report_input *c, size_t i, const uint8_t *rgb,
                          int rgb_width_px, int rgb_height_px, int stride, uint8_t *out,
                          int *width_px, int *height_px)
{
    double view[4];
    int tw, th;
    cut_frame(c, i, rgb, rgb_width_px, rgb_height_px, stride, REPORT_KEYFRAME_HEIGHT, out, view,
              &tw, &th);
    visual_draw_frame(c, i, out, tw, th, tw * 3, view, 0);
    *width_px = tw;
    *height_px = th;
}

long report_fault_frame(const struct report_input *c, size_t k)
{
    if (!c || !c->res || k >= c->res->n_findings)
        return -1;
    const struct rules_finding *f = &c->res->findings[k];
    if (f->rep <= 0 || f->about || (f->severity <= RULES_INFO && !f->borderline) ||
        f->worst_i < 0 || f->worst_i >= c->n_frames)
        return -1;
    return f->worst_i;
}

void report_fault_draw(const struct report_input *c, size_t k, size_t i, const uint8_t *rgb,
                       int rgb_width_px, int rgb_height_px, int stride, uint8_t *out,
                       int *width_px, int *height_px)
{
    double view[4];
    int tw, th;
    cut_frame(c, i, rgb, rgb_width_px, rgb_height_px, stride, REPORT_FAULT_HEIGHT, out, view, &tw,
              &th);
    visual_draw_frame(c, i, out, tw, th, tw * 3, view, 0);
    visual_draw_fault(c, k, i, out, tw, th, tw * 3, view);
    *width_px = tw;
    *height_px = th;
}

/* ---- charts -------------------------------------------------------------------------------- */

struct chart_def {
    enum kin_metric metric;
    const char *title;
    const char *unit;
    double scale;    /* value x scale is plotted (spine curvature as %) */
    double min_span; /* the y axis spans at least this much (keeps noise flat) */
    enum rules_metric rules[3];
    int n_rules;
    int bar_drift; /* 1: plot the bar-drift rule's per-frame measure instead of `metric` */
};

/* The per-frame series behind the rules' per-rep metrics (docs/RULES.md). */
static const struct chart_def CHARTS[] = {
    {KIN_HIP_ANGLE, "Hip angle", "deg", 1.0, 60.0, {RM_HIP_ANGLE_BOTTOM, RM_HIP_ANGLE_LOCKOUT}, 2, 0},
    {KIN_KNEE_FLEXION, "Knee flexion", "deg", 1.0, 30.0, {RM_KNEE_FLEXION_BOTTOM}, 1, 0},
    {KIN_TORSO_INCLINATION,
     "Torso inclination",
     "deg",
     1.0,
     60.0,
     {RM_TORSO_INCLINATION_BOTTOM, RM_TORSO_INCLINATION_LOCKOUT},
     2,
     0},
    {KIN_SPINE_CURVATURE,
     "Spine curvature (+ rounded, - arched)",
     "%",
     100.0,
     10.0,
     {RM_SPINE_CURVATURE_MAX, RM_SPINE_CURVATURE_MIN, RM_SPINE_CURVATURE_LOCKOUT},
     3,
     0},
    /* the value the bar-drift rule judges, per frame: the smaller of the bar's distance ahead of
     * mid-foot and ahead of the legs (the rule's phases: docs/RULES.md) */
    {KIN_BAR_MIDFOOT, "Bar away from the body", "cm", 1.0, 10.0, {RM_BAR_DRIFT}, 1, 1},
};

/* Chart geometry in SVG user units (the SVG scales to the page width). */
enum { CH_W = 900, CH_H = 210, CH_L = 56, CH_R = 12, CH_T = 12, CH_B = 30 };

/* The frames a rules metric of a rep is read in: its phase's span ("rep": lowering to rising). */
static int rule_span(const struct reps_rep *rep, enum rules_metric m, long *i0, long *i1)
{
    const char *ph = rules_metric_phase(m);
    if (!ph || strcmp(ph, "rep") == 0) {
        const enum reps_phase a[3] = {REPS_LOWERING, REPS_BOTTOM, REPS_RISING};
        *i0 = -1;
        *i1 = -1;
        for (int k = 0; k < 3; k++) {
            const struct reps_span *s = &rep->phase[a[k]];
            if (s->i0 < 0)
                continue;
            if (*i0 < 0 || s->i0 < *i0)
                *i0 = s->i0;
            if (s->i1 > *i1)
                *i1 = s->i1;
        }
        return *i0 >= 0;
    }
    for (int k = 0; k < REPS_N_PHASES; k++)
        if (strcmp(ph, reps_phase_name((enum reps_phase)k)) == 0 && rep->phase[k].i0 >= 0) {
            *i0 = rep->phase[k].i0;
            *i1 = rep->phase[k].i1;
            return 1;
        }
    return 0;
}

/* a row the set was judged by (report_rule_applies) that reads metric m */
static int rule_applies(const struct report_input *c, const struct rules_rule *r,
                        enum rules_metric m)
{
    return r->metric == m && report_rule_applies(c, r);
}

static void write_chart(FILE *f, const struct report_input *c, const struct chart_def *cd)
{
    const struct kin_series *ks = c->ks;
    const size_t n = ks ? ks->n : 0;
    const double *v = n ? ks->value[cd->metric] : NULL;
    double *drift = NULL;
    if (n && cd->bar_drift) {
        drift = malloc(n * sizeof *drift);
        if (!drift)
            return;
        const double *a = ks->value[KIN_BAR_MIDFOOT], *b = ks->value[KIN_BAR_FRONT];
        for (size_t i = 0; i < n; i++)
            drift[i] = isfinite(a[i]) && isfinite(b[i]) ? fmin(a[i], b[i]) : NAN;
        v = drift;
    }
    double t0 = n ? ks->t_s[0] : 0.0, t1 = n ? ks->t_s[n - 1] : 1.0;
    if (!(t1 > t0))
        t1 = t0 + 1.0;
    double lo = INFINITY, hi = -INFINITY;
    size_t n_valid = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            lo = fmin(lo, v[i] * cd->scale);
            hi = fmax(hi, v[i] * cd->scale);
            n_valid++;
        }
    /* the axis includes the finite ends of the expected ranges, so the bands show */
    for (size_t k = 0; c->rs && k < c->rs->n; k++)
        for (int m = 0; m < cd->n_rules; m++)
            if (rule_applies(c, &c->rs->rules[k], cd->rules[m])) {
                const struct rules_rule *r = &c->rs->rules[k];
                if (isfinite(r->min)) {
                    lo = fmin(lo, r->min * cd->scale);
                    hi = fmax(hi, r->min * cd->scale);
                }
                if (isfinite(r->max)) {
                    lo = fmin(lo, r->max * cd->scale);
                    hi = fmax(hi, r->max * cd->scale);
                }
            }
    if (!isfinite(lo)) {
        lo = 0.0;
        hi = cd->min_span;
    }
    if (hi - lo < cd->min_span) {
        const double mid = (hi + lo) / 2;
        lo = mid - cd->min_span / 2;
        hi = mid + cd->min_span / 2;
    }
    const double pad = (hi - lo) * 0.06;
    lo -= pad;
    hi += pad;
    const double pw = CH_W - CH_L - CH_R, ph = CH_H - CH_T - CH_B;
#define XS(t) (CH_L + ((t)-t0) / (t1 - t0) * pw)
#define YS(y) (CH_T + (hi - (y)) / (hi - lo) * ph)

    fprintf(f, "<figure class=\"chart-box\"><figcaption>");
    put_esc(f, cd->title);
    fprintf(f, " <span class=\"unit\">(%s)</span></figcaption>\n", cd->unit);
    /* data-t0/t1/x0/pw: the time axis, for the cursor that follows the video and for
     * click-to-seek (the page's script) */
    fprintf(f,
            "<svg class=\"chart\" data-metric=\"%s\" data-points=\"%zu\" data-t0=\"%.3f\" "
            "data-t1=\"%.3f\" data-x0=\"%d\" data-pw=\"%d\" viewBox=\"0 0 %d %d\" "
            "role=\"img\" aria-label=\"",
            cd->bar_drift ? rules_metric_name(RM_BAR_DRIFT) : kin_metric_name(cd->metric), n_valid,
            t0, t1, CH_L, CH_W - CH_L - CH_R, CH_W, CH_H);
    put_esc(f, cd->title);
    fprintf(f, " over time\">\n");
    /* rep bands */
    for (size_t r = 0; c->rr && r < c->rr->n_reps; r++) {
        const struct reps_rep *rep = &c->rr->reps[r];
        const double x0 = XS(rep->t_start_s), x1 = XS(rep->t_end_s);
        fprintf(f,
                "<rect class=\"rep-band%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.0f\">"
                "<title>rep %d%s</title></rect>",
                r % 2 ? " odd" : "", x0, CH_T, fmax(0.5, x1 - x0), ph, rep->index,
                rep->partial ? " (partial)" : "");
        fprintf(f, "<text class=\"rep-label\" x=\"%.1f\" y=\"%d\">%d</text>\n", (x0 + x1) / 2,
                CH_T + 12, rep->index);
    }
    /* grid and y labels: 5 steps on a round number */
    const double raw = (hi - lo) / 5.0, mag = pow(10.0, floor(log10(raw)));
    const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
    for (double y = ceil(lo / step) * step; y <= hi; y += step) {
        fprintf(f,
                "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"ylab\" x=\"%d\" y=\"%.1f\">%g</text>\n",
                CH_L, CH_W - CH_R, YS(y), YS(y), CH_L - 6, YS(y) + 4, fabs(y) < 1e-9 ? 0.0 : y);
    }
    /* x labels: whole seconds, at most ~10 */
    const double span = t1 - t0;
    const double xstep = span <= 10 ? 1 : span <= 20 ? 2 : span <= 50 ? 5 : span <= 100 ? 10 : 30;
    for (double t = ceil(t0 / xstep) * xstep; t <= t1 + 1e-9; t += xstep)
        fprintf(f, "<text class=\"xlab\" x=\"%.1f\" y=\"%d\">%gs</text>", XS(t), CH_H - 10, t);
    fputc('\n', f);
    /* expected range of each rules metric read from this series, over the phase it is read
     * in: the intersection of the applicable rules' ranges (e.g. hip-depth-excessive gives the
     * floor, hip-depth-shallow the ceiling), which is where a rep passes them all */
    for (int q = 0; c->rs && c->rr && q < cd->n_rules; q++) {
        const enum rules_metric m = cd->rules[q];
        double rmin = -INFINITY, rmax = INFINITY;
        char ids[160] = "";
        size_t used = 0;
        for (size_t k = 0; k < c->rs->n; k++) {
            const struct rules_rule *rule = &c->rs->rules[k];
            if (!rule_applies(c, rule, m) || (!isfinite(rule->min) && !isfinite(rule->max)))
                continue;
            if (isfinite(rule->min))
                rmin = fmax(rmin, rule->min);
            if (isfinite(rule->max))
                rmax = fmin(rmax, rule->max);
            if (!strstr(ids, rule->id) && used + strlen(rule->id) + 3 < sizeof ids)
                used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%s", used ? ", " : "",
                                         rule->id);
        }
        if (!used)
            continue;
        const double ymax = isfinite(rmax) ? fmin(hi, rmax * cd->scale) : hi;
        const double ymin = isfinite(rmin) ? fmax(lo, rmin * cd->scale) : lo;
        if (!(ymax > ymin))
            continue;
        for (size_t r = 0; r < c->rr->n_reps; r++) {
            long i0, i1;
            if (!rule_span(&c->rr->reps[r], m, &i0, &i1) || (size_t)i1 >= n)
                continue;
            const double x0 = XS(ks->t_s[i0]), x1 = XS(ks->t_s[i1]);
            fprintf(f,
                    "<rect class=\"target\" data-metric=\"%s\" x=\"%.1f\" y=\"%.1f\" "
                    "width=\"%.1f\" height=\"%.1f\"><title>",
                    rules_metric_name(m), x0, YS(ymax), fmax(1.0, x1 - x0), YS(ymin) - YS(ymax));
            put_esc(f, rules_metric_name(m));
            fprintf(f, " expected");
            if (isfinite(rmin))
                fprintf(f, " from %g", rmin * cd->scale);
            if (isfinite(rmax))
                fprintf(f, " up to %g", rmax * cd->scale);
            fprintf(f, " %s in the %s phase (rules: ", cd->unit, rules_metric_phase(m));
            put_esc(f, ids);
            fprintf(f, ")</title></rect>\n");
        }
    }
    /* the series: one path, broken where the metric is missing */
    fprintf(f, "<path class=\"series\" d=\"");
    int pen = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            pen = 0;
            continue;
        }
        fprintf(f, "%c%.1f %.1f", pen ? 'L' : 'M', XS(ks->t_s[i]), YS(v[i] * cd->scale));
        pen = 1;
    }
    fprintf(f, "\"/>\n");
    /* bottom markers */
    for (size_t r = 0; c->rr && r < c->rr->n_reps; r++) {
        const size_t ib = c->rr->reps[r].i_bottom;
        if (ib < n && isfinite(v[ib]))
            fprintf(f,
                    "<circle class=\"bottom\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>rep %d "
                    "bottom: %.1f %s</title></circle>",
                    XS(ks->t_s[ib]), YS(v[ib] * cd->scale), c->rr->reps[r].index, v[ib] * cd->scale,
                    cd->unit);
    }
    fprintf(f, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\"/>\n", CH_L,
            CH_T, pw, ph);
    /* the video's current time (hidden until the video plays or is sought) */
    fprintf(f, "<line class=\"cursor\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%.0f\" "
               "visibility=\"hidden\"/>\n", CH_L, CH_L, CH_T, CH_T + ph);
    if (!n_valid)
        fprintf(f, "<text class=\"empty\" x=\"%d\" y=\"%d\">not measured in this clip</text>\n",
                CH_W / 2, CH_H / 2);
    fprintf(f, "</svg></figure>\n");
    free(drift);
#undef XS
#undef YS
}

/* ---- sections ------------------------------------------------------------------------------ */

static const char CSS[] =
    ":root{--ok:#1f9d55;--warn:#c77c00;--err:#d0312d;--info:#6b7280;--ink:#1f2933;"
    "--muted:#616e7c;--line:#e4e7eb;--band:#eef2f7;--accent:#0b7fab}"
    "*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
    "Roboto,'DejaVu Sans',sans-serif;color:var(--ink);background:#f7f8fa}"
    "main{max-width:1000px;margin:0 auto;padding:20px}"
    "header h1{margin:0;font-size:22px}header .src{color:var(--muted);margin:2px 0 0;"
    "word-break:break-all}a{color:var(--accent)}"
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;"
    "margin:14px 0}h2{font-size:17px;margin:0 0 10px}"
    ".verdict{display:flex;gap:22px;align-items:center;flex-wrap:wrap}"
    ".score{font-size:44px;font-weight:700;line-height:1;min-width:110px;text-align:center;"
    "padding:10px;border-radius:8px;color:#fff}.score small{display:block;font-size:12px;"
    "font-weight:400;opacity:.9}"
    ".bg-ok{background:var(--ok)}.bg-warn{background:var(--warn)}.bg-err{background:var(--err)}"
    ".bg-info{background:var(--info)}.verdict .words{font-size:20px;font-weight:600}"
    ".kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}"
    ".kv dt{color:var(--muted)}.kv dd{margin:0}"
    ".badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;"
    "padding:1px 6px;border-radius:4px;color:#fff;margin-right:6px;vertical-align:1px}"
    ".badge.err{background:var(--err)}.badge.warn{background:var(--warn)}"
    ".badge.info{background:var(--info)}.badge.ok{background:var(--ok)}"
    ".badge.borderline{background:transparent;color:var(--info);border:1px dashed var(--info)}"
    "ol.cues{margin:0;padding-left:22px}ol.cues li{margin:0 0 10px}.fix{color:var(--muted)}"
    ".fix b{color:var(--ink)}.note{margin-top:6px}"
    "table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;"
    "padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}"
    "th{color:var(--muted);font-weight:600;white-space:nowrap}td.num{text-align:right;"
    "white-space:nowrap;font-variant-numeric:tabular-nums}td.findings{font-size:13px}"
    "td.findings div{margin:0 0 2px}"
    ".thumbs{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}.thumbs figure{margin:0;"
    "background:#111;border-radius:6px;overflow:hidden;width:min-content}.thumbs img{display:block}"
    ".thumbs figcaption{color:#eee;font-size:13px;padding:4px 8px}"
    ".chart-box{margin:0 0 12px}.chart-box figcaption{font-weight:600;margin:0 0 2px}"
    ".unit{color:var(--muted);font-weight:400}svg.chart{width:100%;height:auto;display:block}"
    ".rep-band{fill:var(--band)}.rep-band.odd{fill:#e5ebf3}.rep-label{font-size:11px;"
    "fill:var(--muted);text-anchor:middle}.grid{stroke:#d9dee5;stroke-width:1}"
    ".ylab{font-size:11px;fill:var(--muted);text-anchor:end}.xlab{font-size:11px;"
    "fill:var(--muted);text-anchor:middle}"
    ".target{fill:rgba(31,157,85,.16);stroke:rgba(31,157,85,.75);stroke-width:1;"
    "stroke-dasharray:4 3}.series{fill:none;stroke:var(--accent);stroke-width:2;"
    "stroke-linejoin:round}.bottom{fill:#fff;stroke:var(--ink);stroke-width:1.5}"
    ".frame{fill:none;stroke:#c3cad3}.empty{font-size:14px;fill:var(--muted);"
    "text-anchor:middle}.legend{font-size:13px;color:var(--muted)}"
    ".legend i{display:inline-block;width:14px;height:10px;margin:0 4px 0 12px;"
    "vertical-align:0}footer{color:var(--muted);font-size:12px;margin:20px 0}"
    ".thumbs img{max-width:100%;height:auto}"
    /* a phone (390 px): the rep table becomes one card per rep, each value labelled */
    "@media (max-width:640px){main{padding:8px}section{padding:10px}"
    "table.reps thead{display:none}table.reps,table.reps tbody,table.reps tr,table.reps td{"
    "display:block;width:100%}table.reps tr{border-bottom:2px solid var(--line);padding:6px 0}"
    "table.reps td{border:0;padding:2px 4px;text-align:left;white-space:normal}"
    "table.reps td[data-label]::before{content:attr(data-label) ': ';color:var(--muted);"
    "font-weight:600}.kv{grid-template-columns:1fr}.kv dd{margin:0 0 4px}"
    ".thumbs figure{width:auto;max-width:100%}.verdict{gap:12px}}"
    "@media print{section{break-inside:avoid}}";

/* The video, the worst moments and the bar paths (the report page only). */
static const char CSS_PLAYER[] =
    "video{display:block;width:100%;max-height:60vh;background:#000;border-radius:6px}"
    ".cursor{stroke:var(--err);stroke-width:2}svg.chart{cursor:crosshair}[data-t]{cursor:pointer}"
    ".faults figure{max-width:100%}.faults figcaption{font-size:13px}"
    ".faults figcaption .fix{color:#ccc}"
    ".barpaths{display:flex;flex-wrap:wrap;gap:12px}.barpaths figure{margin:0;width:220px;"
    "max-width:100%}.barpaths figcaption{font-size:13px;color:var(--muted)}"
    "svg.barpath{width:100%;height:auto;display:block;background:#fff}"
    "svg.barpath .down{fill:none;stroke:#c77c00;stroke-width:2;stroke-linejoin:round}"
    "svg.barpath .up{fill:none;stroke:var(--accent);stroke-width:2;stroke-linejoin:round}"
    ".midfoot{stroke:var(--muted);stroke-width:1;stroke-dasharray:4 3}";

/* The self-check (see the file comment). The error hook sits in <head> so it sees errors of
 * every later script; the check runs after load, when the images have decoded. */
static const char JS_HEAD[] =
    "window.hcErrors=[];window.addEventListener('error',function(e){"
    "window.hcErrors.push(String(e.message||e));if(document.body)document.body.setAttribute("
    "'data-hc-errors',window.hcErrors.join(' | '));});";
static const char JS_PLAYER[] =
    "(function(){"
    /* the player: the charts' cursor follows the video, a click on a chart or on anything with
     * data-t (a rep, a fault, a bar path) seeks it */
    "var v=document.getElementById('hc-video'),off=v?(+v.getAttribute('data-offset')||0):0;"
    "function cur(t){document.querySelectorAll('svg.chart').forEach(function(s){"
    "var t0=+s.getAttribute('data-t0'),t1=+s.getAttribute('data-t1'),x0=+s.getAttribute("
    "'data-x0'),pw=+s.getAttribute('data-pw'),l=s.querySelector('line.cursor');"
    "if(!l||!(t1>t0))return;var x=(x0+Math.min(1,Math.max(0,(t-t0)/(t1-t0)))*pw).toFixed(1);"
    "l.setAttribute('x1',x);l.setAttribute('x2',x);l.setAttribute('visibility','visible');});}"
    "function seek(t){cur(t);if(v&&isFinite(t))v.currentTime=Math.max(0,t-off);}"
    "if(v){var tick=function(){cur(v.currentTime+off);if(!v.paused)"
    "requestAnimationFrame(tick);};v.addEventListener('play',tick);"
    "v.addEventListener('timeupdate',tick);v.addEventListener('seeked',tick);}"
    "document.querySelectorAll('svg.chart').forEach(function(s){s.addEventListener('click',"
    "function(e){var r=s.getBoundingClientRect(),x=(e.clientX-r.left)/r.width*"
    "s.viewBox.baseVal.width,t0=+s.getAttribute('data-t0'),t1=+s.getAttribute('data-t1');"
    "seek(t0+(x-s.getAttribute('data-x0'))/s.getAttribute('data-pw')*(t1-t0));});});"
    "document.querySelectorAll('[data-t]').forEach(function(e){e.addEventListener('click',"
    "function(){seek(+e.getAttribute('data-t'));});});"
    "window.hcSeek=seek;window.hcCursor=cur;})();";
static const char JS[] =
    "(function(){var v=document.getElementById('hc-video'),seek=window.hcSeek;"
    /* the self-check (file comment) */
    "function count(sel,ok){var n=0,bad=0;document.querySelectorAll(sel).forEach(function(e){"
    "if(ok(e))n++;else bad++;});return [n,bad];}"
    "function drawn(p){var r=p.getBoundingClientRect();return r.width>0&&r.height>0&&"
    "(p.getAttribute('d')||'').length>0&&p.getTotalLength()>0;}"
    "function img(i){return i.complete&&i.naturalWidth>0;}"
    "function check(){var b=document.body;"
    "var charts=count('svg.chart',function(s){var p=s.querySelector('path.series');"
    "return p&&drawn(p);})[0];var th=count('img.thumb',img),fa=count('img.fault',img);"
    "var bp=count('svg.barpath',function(s){var ok=0;s.querySelectorAll('path').forEach("
    "function(p){ok|=drawn(p)?1:0;});return ok;})[0];"
    "b.setAttribute('data-hc-charts',charts);b.setAttribute('data-hc-thumbs',th[0]);"
    "b.setAttribute('data-hc-thumbs-broken',th[1]);b.setAttribute('data-hc-faults',fa[0]);"
    "b.setAttribute('data-hc-faults-broken',fa[1]);b.setAttribute('data-hc-barpaths',bp);"
    "var vw=document.documentElement.clientWidth,off=0;"
    "document.querySelectorAll('section *').forEach(function(e){var r=e.getBoundingClientRect();"
    "if(r.width>0&&(r.right>vw+1||r.left<-1))off++;});"
    "b.setAttribute('data-hc-offscreen',off);"
    "b.setAttribute('data-hc-scroll-x',Math.max(0,document.documentElement.scrollWidth-vw));"
    "if(v){var r=v.getBoundingClientRect();b.setAttribute('data-hc-video',r.width>0&&"
    "r.height>0?1:0);}"
    "b.setAttribute('data-hc-errors',window.hcErrors.join(' | '));}"
    /* the video: its metadata (a decodable file beside the page); then, seeking it to the
     * middle of the charts with the cursor put back at their start, the video's own time
     * update must bring the cursor to the middle */
    "function video(done){if(!v)return done();var fin=0,end=function(){if(!fin){fin=1;done();}};"
    "var seekTest=function(){var s=document.querySelector('svg.chart');"
    "document.body.setAttribute('data-hc-video-ready',v.videoWidth>0?1:0);if(!s)return end();"
    "var t0=+s.getAttribute('data-t0'),x0=+s.getAttribute('data-x0'),"
    "pw=+s.getAttribute('data-pw'),t=(t0+ +s.getAttribute('data-t1'))/2;"
    "seek(t);window.hcCursor(t0);v.dispatchEvent(new Event('timeupdate'));"
    "var l=s.querySelector('line.cursor');document.body.setAttribute('data-hc-cursor',"
    "Math.abs(+l.getAttribute('x1')-(x0+pw/2))<pw*0.05&&l.getAttribute('visibility')==="
    "'visible'?1:0);end();};"
    "if(v.readyState>=1)seekTest();else{v.addEventListener('loadedmetadata',seekTest,"
    "{once:true});v.addEventListener('error',function(){document.body.setAttribute("
    "'data-hc-video-ready',0);end();},{once:true});}}"
    "function run(){check();video(function(){check();"
    "document.body.setAttribute('data-hc-ready','1');});}"
    "if(document.readyState==='complete')run();else window.addEventListener('load',run);"
    "})();";

static void write_finding_line(FILE *f, const struct rules_finding *fd, int with_fix)
{
    if (fd->about) {
        /* a rule that could not be judged: its name, not a measurement that was not trusted */
        fprintf(f, "<span class=\"fix\">not assessable: ");
        put_esc(f, report_rule_title(fd->about));
        if (fd->reason) {
            fprintf(f, " (");
            put_esc(f, fd->reason);
            fprintf(f, ")");
        }
        fprintf(f, "</span>");
        return;
    }
    if (fd->borderline) {
        /* within the measurement's uncertainty of a limit: marked, not a fault */
        char v[160];
        report_format_borderline(fd, v, sizeof v);
        fprintf(f, "<span class=\"badge borderline\">borderline</span>");
        put_esc(f, report_rule_title(fd->rule));
        fprintf(f, " <span class=\"fix\">(");
        put_esc(f, v);
        fprintf(f, ")</span>");
        return;
    }
    fprintf(f, "<span class=\"badge %s\">%s</span>", sev_class(fd->severity),
            rules_severity_name(fd->severity));
    put_esc(f, fd->message ? fd->message : fd->rule);
    if (fd->metric && isfinite(fd->value)) {
        double k = 1.0;
        const char *u = NULL;
        const char *title = report_metric_title(fd->metric, &k, &u);
        u = u ? u : "";
        fprintf(f, " <span class=\"fix\">(");
        put_esc(f, title);
        fprintf(f, " %.3g%s", k * fd->value, *u && *u != '%' ? " " : "");
        put_esc(f, u);
        if (isfinite(fd->min) || isfinite(fd->max)) {
            char ex[64];
            report_format_expected(k * fd->min, k * fd->max, u, ex, sizeof ex);
            fprintf(f, "; expected ");
            put_esc(f, ex);
        }
        fprintf(f, ")</span>");
    }
    if (with_fix && fd->fix && *fd->fix) {
        fprintf(f, "<div class=\"fix\"><b>Fix:</b> ");
        put_esc(f, fd->fix);
        fprintf(f, "</div>");
    }
}

/* Top cues: the same ranking as the text report (report_top_cues), with their fixes. */
static void write_cues(FILE *f, const struct rules_result *res)
{
    fprintf(f, "<section id=\"cues\"><h2>Top cues</h2>\n");
    size_t idx[5];
    int n_reps[5];
    const size_t n = report_top_cues(res, idx, n_reps, HC_ARRAY_LEN(idx));
    if (!n) {
        fprintf(f, "<p><span class=\"badge ok\">ok</span>No form faults found in the assessed "
                   "reps. Keep the same set-up and tempo.</p>\n");
    } else {
        fprintf(f, "<ol class=\"cues\">\n");
        for (size_t g = 0; g < n; g++) {
            const struct rules_finding *fd = &res->findings[idx[g]];
            fprintf(f, "<li data-rule=\"");
            put_esc(f, fd->rule);
            fprintf(f, "\">");
            write_finding_line(f, fd, 1);
            fprintf(f, "<div class=\"fix\">In %d of %zu reps (rep", n_reps[g], res->n_reps);
            const char *sep = n_reps[g] > 1 ? "s " : " ";
            for (size_t k = 0; k < res->first_set_finding && k < res->n_findings; k++)
                if (res->findings[k].rep > 0 && res->findings[k].severity > RULES_INFO &&
                    strcmp(res->findings[k].rule, fd->rule) == 0) {
                    fprintf(f, "%s%d", sep, res->findings[k].rep);
                    sep = ", ";
                }
            fprintf(f, ")</div></li>\n");
        }
        fprintf(f, "</ol>\n");
    }
    fprintf(f, "</section>\n");
}

static void write_facts(FILE *f, const struct report_input *c)
{
    const int w = c->width_px, h = c->height_px;
    fprintf(f, "<section id=\"facts\"><h2>Clip</h2><dl class=\"kv\">\n<dt>file</dt><dd>");
    put_esc(f, c->path ? c->path : "(unnamed)");
    fprintf(f, "</dd><dt>frame size</dt><dd>%d &times; %d px</dd>", w, h);
    if (c->fps > 0)
        fprintf(f, "<dt>frame rate</dt><dd>%.2f fps</dd>", c->fps);
    const size_t n = (size_t)c->n_frames;
    if (n)
        fprintf(f, "<dt>analysed</dt><dd>%zu frames, %.1f s (%.1f&ndash;%.1f s)</dd>", n,
                c->frames[n - 1].t_s - c->frames[0].t_s, c->frames[0].t_s, c->frames[n - 1].t_s);
    if (c->ks) {
        fprintf(f, "<dt>lifter found</dt><dd>%zu of %zu frames</dd>", c->ks->n_posed, c->ks->n);
        fprintf(f, "<dt>camera view</dt><dd>%s", kin_view_name(c->ks->view));
        if (isfinite(c->ks->view_angle_deg))
            fprintf(f, " (%.0f&deg; from side-on)", c->ks->view_angle_deg);
        fprintf(f, ", %s side nearer the camera</dd>", kin_side_name(c->ks->side));
        fprintf(f, "<dt>spine measured by</dt><dd>%s</dd>",
                c->ks->spine_source == KIN_SPINE_MASK ? "body outline (segmentation mask)"
                : c->ks->spine_source == KIN_SPINE_PROXY
                    ? "keypoint proxy (shoulder vs hip-ear line)"
                    : "not measured");
    }
    const struct report_pair *pr = c->pair;
    if (pr) {
        /* two cameras: the second clip, its view, the offset and how sure it is */
        fprintf(f, "<dt>second camera</dt><dd>");
        put_esc(f, pr->front_path);
        fprintf(f, ", %s", kin_view_name(pr->front_view));
        if (isfinite(pr->front_view_angle_deg))
            fprintf(f, " (%.0f&deg; from side-on)", pr->front_view_angle_deg);
        fprintf(f, "%s</dd>", pr->front_view == KIN_VIEW_FRONT
                                  ? ": knees, feet, stance, hip shift and trunk twist judged "
                                    "from it"
                                  : ": neither side nor front, front-view checks not assessable");
        fprintf(f, "<dt>time offset</dt><dd>%+.3f s (%+.1f frames)", pr->offset_s,
                pr->offset_frames);
        if (pr->offset_given)
            fprintf(f, ", as given");
        else if (pr->not_aligned)
            fprintf(f, ", not measured: a clip without a lifter or a rep");
        else
            fprintf(f, ", from the movement: correlation %.2f%s", pr->peak_corr,
                    pr->sure ? " (sure)" : " (unsure)");
        fprintf(f, "; %zu of %zu reps matched</dd>", pr->n_matched, pr->n_side_reps);
    }
    if (c->res) {
        fprintf(f, "<dt>lift</dt><dd>%s", rules_lift_name(c->res->detected));
        if (c->res->requested == REPS_LIFT_AUTO && c->res->detect_reason[0]) {
            fprintf(f, " <span class=\"fix\">(recognised: ");
            put_esc(f, c->res->detect_reason);
            fprintf(f, ")</span>");
        }
        fprintf(f, "</dd>");
    }
    if (c->model) {
        fprintf(f, "<dt>pose model</dt><dd>");
        put_esc(f, c->model);
        fprintf(f, "</dd>");
    }
    if (c->rs && c->rs->source_name) {
        fprintf(f, "<dt>rules</dt><dd>");
        put_esc(f, c->rs->source_name);
        fprintf(f, "</dd>");
    }
    fprintf(f, "\n</dl></section>\n");
}

static void write_verdict(FILE *f, const struct report_input *c)
{
    const struct rules_result *res = c->res;
    const double score = res ? res->set_score : NAN;
    fprintf(f, "<section id=\"verdict\" class=\"verdict\"><div class=\"score bg-%s\">",
            score_class(score));
    if (isfinite(score) || !res || !res->n_reps)
        put_num(f, score, "%.0f");
    else
        fputs("not scored", f);
    fprintf(f, "<small>set score / 100</small></div><div><div class=\"words\">%s</div>",
            report_set_verdict(res));
    if (res) {
        fprintf(f, "<div>%zu rep%s (%zu full)", res->n_reps, res->n_reps == 1 ? "" : "s",
                res->n_full);
        if (isfinite(res->consistency))
            fprintf(f, " &middot; consistency %.0f/100", res->consistency);
        if (isfinite(res->fatigue_trend) && res->n_full >= 3)
            fprintf(f, " &middot; trend %+.1f points per rep", res->fatigue_trend);
        if (isfinite(res->velocity_loss_pct))
            fprintf(f, " &middot; bar speed rising %.2f &rarr; %.2f m/s (%.0f%% lost)",
                    res->bar_speed_best_mps, res->bar_speed_last_mps, res->velocity_loss_pct);
        fprintf(f, "</div>");
    }
    /* why the reps found were not scored (the view, the core checks hidden) */
    if (res && res->unscored_reason[0]) {
        fprintf(f, "<div class=\"note\"><span class=\"badge warn\">note</span>");
        put_esc(f, res->unscored_reason);
        fprintf(f, "</div>");
    }
    /* why there is no verdict (no lifter, no rep), under the score */
    if (c->status != HC_OK && c->reason && c->reason[0]) {
        fprintf(f, "<div class=\"note\"><span class=\"badge warn\">note</span>");
        put_esc(f, c->reason);
        fprintf(f, "</div>");
    }
    /* a damaged file: what was skipped, under the score, where the verdict is read */
    char dmg[640];
    if (report_damage_note(c, dmg, sizeof dmg)) {
        fprintf(f, "<div class=\"note\" id=\"damage\"><span class=\"badge warn\">damaged file"
                   "</span>");
        put_esc(f, dmg);
        fprintf(f, "; the reps they touch are marked</div>");
    }
    fprintf(f, "</div></section>\n");
}

static void write_set_notes(FILE *f, const struct rules_result *res)
{
    if (!res || !res->n_set_findings)
        return;
    fprintf(f, "<section id=\"notes\"><h2>Set notes</h2>\n");
    for (size_t k = 0; k < res->n_set_findings; k++) {
        const struct rules_finding *fd = &res->findings[res->first_set_finding + k];
        fprintf(f, "<p>");
        write_finding_line(f, fd, 1);
        fprintf(f, "</p>\n");
    }
    fprintf(f, "</section>\n");
}

static void write_rep_table(FILE *f, const struct report_input *c)
{
    const struct rules_result *res = c->res;
    const enum rules_metric bar = report_judged_metric(c, "bar-drift", RM_BAR_DRIFT);
    fprintf(f, "<section id=\"reps\"><h2>Reps</h2>\n");
    if (!res || !res->n_reps) {
        fprintf(f, "<p>No rep was found in this clip.</p></section>\n");
        return;
    }
    fprintf(f, "<table class=\"reps\"><thead><tr><th>rep</th><th>time</th><th>score</th>"
               "<th title=\"hip angle at the bottom (180 = standing tall)\">depth</th><th title=\"knee flexion at the "
               "bottom (0 = straight)\">knee bend</th><th title=\"largest back rounding under "
               "load, %% of the hip-shoulder length (+ rounded, - arched)\">spine</th><th "
               "title=\"how far the bar got from the body: ahead of mid-foot and off the legs\">"
               "bar from body</th>"
               "<th title=\"lowering / bottom / rising\">tempo</th><th>findings</th></tr>"
               "</thead><tbody>\n");
    for (size_t r = 0; r < res->n_reps; r++) {
        const struct rules_rep_result *rp = &res->reps[r];
        const double *m = rp->metrics;
        fprintf(f,
                "<tr data-rep=\"%d\" data-t=\"%.3f\"><td data-label=\"rep\">%d%s</td><td "
                "class=\"num\" data-label=\"time\">%.1f&ndash;%.1f s</td>"
                "<td class=\"num\" data-label=\"score\"><span class=\"badge %s\">",
                rp->index, rp->t_start_s, rp->index,
                rp->partial ? " <span class=\"fix\">(partial)</span>" : "",
                rp->t_start_s, rp->t_end_s, score_class(rp->score));
        char why[96];
        if (report_rep_unscored(rp, why, sizeof why)) {
            fputs("not scored</span><br><span class=\"fix\">", f);
            put_esc(f, why + strlen("not scored: "));
            fputs("</span>", f);
        } else {
            put_num(f, rp->score, "%.0f");
            fputs("</span>", f);
        }
        fprintf(f, "</td><td class=\"num\" data-label=\"depth\">");
        put_num(f, m[RM_HIP_ANGLE_BOTTOM], "%.0f&deg;");
        fprintf(f, "</td><td class=\"num\" data-label=\"knee bend\">");
        put_num(f, m[RM_KNEE_FLEXION_BOTTOM], "%.0f&deg;");
        fprintf(f, "</td><td class=\"num\" data-label=\"spine\">");
        put_num(f, 100.0 * m[RM_SPINE_CURVATURE_MAX], "%+.0f%%");
        fprintf(f, "</td><td class=\"num\" data-label=\"bar from body\">");
        put_num(f, m[bar], "%.1f cm");
        fprintf(f, "</td><td class=\"num\" data-label=\"tempo\">");
        put_num(f, m[RM_LOWERING_S], "%.1f");
        fputs(" / ", f);
        put_num(f, m[RM_BOTTOM_S], "%.1f");
        fputs(" / ", f);
        put_num(f, m[RM_RISING_S], "%.1f s");
        fprintf(f, "</td><td class=\"findings\" data-label=\"findings\">");
        size_t shown = 0;
        for (size_t k = 0; k < rp->n_findings; k++) {
            const struct rules_finding *fd = &res->findings[rp->first_finding + k];
            fprintf(f, "<div title=\"");
            put_esc(f, report_rule_title(fd->about ? fd->about : fd->rule));
            fprintf(f, "\">");
            write_finding_line(f, fd, 0);
            fprintf(f, "</div>");
            shown++;
        }
        char dmg[512];
        if (report_rep_damage(c, r, dmg, sizeof dmg)) {
            fprintf(f, "<div class=\"damaged\"><span class=\"badge warn\">damaged</span>");
            put_esc(f, dmg);
            fprintf(f, "</div>");
            shown++;
        }
        if (!shown)
            fprintf(f, "<span class=\"badge ok\">ok</span>");
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody></table></section>\n");
}

static void write_thumbs(FILE *f, const struct report_input *c)
{
    const size_t n_reps = c->rr ? c->rr->n_reps : 0;
    const struct report_keyframe *thumbs = c->keyframes;
    if (!n_reps || !thumbs)
        return;
    fprintf(f, "<section id=\"keyframes\"><h2>Bottom of each rep</h2><div class=\"thumbs\">\n");
    for (size_t r = 0; r < n_reps; r++) {
        if (!thumbs[r].jpeg)
            continue;
        const struct reps_rep *rep = &c->rr->reps[r];
        const double hip =
            c->ks && rep->i_bottom < c->ks->n ? c->ks->value[KIN_HIP_ANGLE][rep->i_bottom] : NAN;
        fprintf(f,
                "<figure><img class=\"thumb\" width=\"%d\" height=\"%d\" alt=\"rep %d at the "
                "bottom\" src=\"data:image/jpeg;base64,",
                thumbs[r].width_px, thumbs[r].height_px, rep->index);
        put_base64(f, thumbs[r].jpeg, thumbs[r].len);
        fprintf(f, "\"><figcaption>Rep %d at %.1f s", rep->index, rep->t_bottom_s);
        if (isfinite(hip))
            fprintf(f, " &middot; hip %.0f&deg;", hip);
        if (c->res && r < c->res->n_reps && isfinite(c->res->reps[r].score))
            fprintf(f, " &middot; score %.0f", c->res->reps[r].score);
        fprintf(f, "</figcaption></figure>\n");
    }
    fprintf(f, "</div></section>\n");
}

/* The video beside the charts: the overlay written with the page, else the clip, linked by its
 * path from the page (a sibling file: keep them together). Its time 0 is the first decoded
 * frame: the overlay starts at the analysed range's start, the clip at its own start. */
static void write_video(FILE *f, const struct report_input *c)
{
    if (!c->video_href || !c->video_href[0])
        return;
    const double offset = c->video_is_overlay && c->n_frames > 0 ? c->frames[0].t_s : 0.0;
    fprintf(f, "<section id=\"video\"><h2>%s</h2><video id=\"hc-video\" controls muted "
               "playsinline preload=\"metadata\" data-offset=\"%.3f\" src=\"",
            c->video_is_overlay ? "The set, with the skeleton drawn on" : "The set", offset);
    put_esc(f, c->video_href);
    fprintf(f, "\"></video><p class=\"legend\">The charts' cursor follows the video; click a "
               "chart, a rep or a picture of a fault to go to that moment. The video is the file "
               "<a href=\"");
    put_esc(f, c->video_href);
    fprintf(f, "\">");
    put_esc(f, c->video_href);
    fprintf(f, "</a> beside this page: keep the two together.</p></section>\n");
}

/* The bar seen from the side, per rep: its distance ahead of mid-foot (x, + the way the lifter
 * faces) against its height above the floor (y), the lowering and the rising in two colours,
 * on the same cm scale for every rep and both axes. */
enum { BP_W = 220, BP_H = 260, BP_L = 34, BP_R = 8, BP_T = 8, BP_B = 24 };

static void write_bar_paths(FILE *f, const struct report_input *c)
{
    const struct kin_series *ks = c->ks;
    if (!ks || !c->rr || !c->rr->n_reps)
        return;
    const double *bx = ks->value[KIN_BAR_MIDFOOT], *by = ks->value[KIN_BAR_HEIGHT];
    double x0 = 0.0, x1 = 0.0, y0 = INFINITY, y1 = -INFINITY; /* mid-foot always in view */
    size_t n_plate = 0, n_hands = 0;
    for (size_t r = 0; r < c->rr->n_reps; r++) {
        const struct reps_rep *rep = &c->rr->reps[r];
        for (size_t i = rep->i_start; i <= rep->i_end && i < ks->n; i++) {
            if (!isfinite(bx[i]) || !isfinite(by[i]))
                continue;
            x0 = fmin(x0, bx[i]);
            x1 = fmax(x1, bx[i]);
            y0 = fmin(y0, by[i]);
            y1 = fmax(y1, by[i]);
            const int src = ks->bar_src ? ks->bar_src[i] : KIN_BAR_SRC_HANDS;
            n_plate += src == KIN_BAR_SRC_PLATE || src == KIN_BAR_SRC_GAP;
            n_hands += src == KIN_BAR_SRC_HANDS;
        }
    }
    if (!isfinite(y0))
        return;
    /* at least 20 cm each way, a margin of 8%, then one scale for both axes */
    if (x1 - x0 < 20.0) {
        const double m = (x0 + x1) / 2;
        x0 = m - 10.0;
        x1 = m + 10.0;
    }
    if (y1 - y0 < 20.0)
        y1 = y0 + 20.0;
    const double mx = 0.08 * (x1 - x0), my = 0.08 * (y1 - y0);
    x0 -= mx;
    x1 += mx;
    y0 -= my;
    y1 += my;
    const double pw = BP_W - BP_L - BP_R, ph = BP_H - BP_T - BP_B;
    const double k = fmin(pw / (x1 - x0), ph / (y1 - y0));
    const double cx = BP_L + (pw - k * (x1 - x0)) / 2, cy = BP_T + (ph - k * (y1 - y0)) / 2;
#define BX(v) (cx + ((v)-x0) * k)
#define BY(v) (cy + (y1 - (v)) * k)
    const size_t n_src = n_plate + n_hands;
    fprintf(f, "<section id=\"barpath\"><h2>Bar path</h2><p class=\"legend\">The bar seen from "
               "the side in each rep: its distance ahead of mid-foot (cm, to the right = the way "
               "the lifter faces) against its height above the floor (cm), one scale for both. "
               "<i style=\"background:#c77c00\"></i>lowering <i style=\"background:var(--accent)"
               "\"></i>rising; dashed: mid-foot. The bar point: ");
    if (n_plate && n_src)
        fprintf(f, "the near plate's centre where it was seen (%.0f%% of the frames), the hands "
                   "otherwise.", 100.0 * (double)n_plate / (double)n_src);
    else
        fprintf(f, "the hands (no plate was seen).");
    fprintf(f, "</p><div class=\"barpaths\">\n");
    for (size_t r = 0; r < c->rr->n_reps; r++) {
        const struct reps_rep *rep = &c->rr->reps[r];
        size_t n_pts = 0;
        fprintf(f, "<figure data-t=\"%.3f\"><svg class=\"barpath\" data-rep=\"%d\" viewBox=\"0 0 "
                   "%d %d\" role=\"img\" aria-label=\"bar path of rep %d\">",
                rep->t_start_s, rep->index, BP_W, BP_H, rep->index);
        fprintf(f, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\"/>",
                BP_L, BP_T, pw, ph);
        fprintf(f, "<line class=\"midfoot\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.0f\"/>",
                BX(0.0), BX(0.0), BP_T, BP_T + ph);
        /* height labels: the floor side and the top, on a round number */
        const double step = (y1 - y0) > 100 ? 50.0 : (y1 - y0) > 40 ? 20.0 : 10.0;
        for (double y = ceil(y0 / step) * step; y <= y1; y += step)
            fprintf(f, "<text class=\"ylab\" x=\"%d\" y=\"%.1f\">%g</text>", BP_L - 4, BY(y) + 4,
                    y);
        fprintf(f, "<text class=\"xlab\" x=\"%.1f\" y=\"%d\">mid-foot</text>", BX(0.0),
                BP_H - 8);
        for (int part = 0; part < 2; part++) {
            const size_t a = part ? rep->i_bottom : rep->i_start;
            const size_t b = part ? rep->i_end : rep->i_bottom;
            fprintf(f, "<path class=\"%s\" d=\"", part ? "up" : "down");
            int pen = 0;
            for (size_t i = a; i <= b && i < ks->n; i++) {
                if (!isfinite(bx[i]) || !isfinite(by[i])) {
                    pen = 0;
                    continue;
                }
                fprintf(f, "%c%.1f %.1f", pen ? 'L' : 'M', BX(bx[i]), BY(by[i]));
                pen = 1;
                n_pts++;
            }
            fprintf(f, "\"/>");
        }
        if (!n_pts)
            fprintf(f, "<text class=\"empty\" x=\"%d\" y=\"%d\">not measured</text>", BP_W / 2,
                    BP_H / 2);
        fprintf(f, "</svg><figcaption>Rep %d", rep->index);
        const struct rules_rep_result *rp =
            c->res && r < c->res->n_reps ? &c->res->reps[r] : NULL;
        if (rp) {
            const enum rules_metric bar = report_judged_metric(c, "bar-drift", RM_BAR_DRIFT);
            if (isfinite(rp->metrics[bar]))
                fprintf(f, " &middot; %.1f cm from the body", rp->metrics[bar]);
            if (isfinite(rp->metrics[RM_BAR_SPEED_RISING]))
                fprintf(f, " &middot; %.2f m/s up", rp->metrics[RM_BAR_SPEED_RISING]);
        }
        fprintf(f, "</figcaption></figure>\n");
    }
    fprintf(f, "</div></section>\n");
#undef BX
#undef BY
}

/* The worst moment of each rep finding (warning, error, borderline): its frame with the fault
 * drawn by the render pass (report_fault_draw), the value and the limit beside it in words. */
static void write_faults(FILE *f, const struct report_input *c)
{
    const struct rules_result *res = c->res;
    if (!res || !c->fault_frames)
        return;
    size_t n = 0;
    for (size_t k = 0; k < res->n_findings; k++)
        n += c->fault_frames[k].jpeg != NULL;
    if (!n)
        return;
    fprintf(f, "<section id=\"faults\"><h2>The worst moment of each finding</h2><p "
               "class=\"legend\">The frame where the measure was furthest past its limit, with the "
               "joints it is read from and the angle or distance drawn in the finding's colour; "
               "click one to see it in the video.</p><div class=\"thumbs faults\">\n");
    for (size_t k = 0; k < res->n_findings; k++) {
        const struct report_keyframe *kf = &c->fault_frames[k];
        if (!kf->jpeg)
            continue;
        const struct rules_finding *fd = &res->findings[k];
        const long i = fd->worst_i;
        const double t = i >= 0 && i < c->n_frames ? c->frames[i].t_s : fd->t_start_s;
        fprintf(f, "<figure style=\"width:%dpx\" data-t=\"%.3f\" data-rule=\"", kf->width_px,
                t);
        put_esc(f, fd->rule);
        fprintf(f, "\"><img class=\"fault\" width=\"%d\" height=\"%d\" alt=\"rep %d: ",
                kf->width_px, kf->height_px, fd->rep);
        put_esc(f, report_rule_title(fd->rule));
        fprintf(f, " at %.1f s\" src=\"data:image/jpeg;base64,", t);
        put_base64(f, kf->jpeg, kf->len);
        fprintf(f, "\"><figcaption>Rep %d at %.1f s: ", fd->rep, t);
        write_finding_line(f, fd, 0);
        fprintf(f, "</figcaption></figure>\n");
    }
    fprintf(f, "</div></section>\n");
}

static void write_charts(FILE *f, const struct report_input *c)
{
    fprintf(f, "<section id=\"charts\"><h2>Over time</h2><p class=\"legend\">"
               "<i style=\"background:var(--band)\"></i>rep"
               "<i style=\"background:rgba(31,157,85,.3);border:1px dashed #1f9d55\"></i>expected "
               "range of a rule, over the phase it is judged in"
               "<i style=\"background:var(--accent);height:3px;vertical-align:3px\"></i>measured"
               "</p>\n");
    for (size_t k = 0; k < HC_ARRAY_LEN(CHARTS); k++) {
        struct chart_def cd = CHARTS[k];
        /* the bar chart plots what the set's bar-drift row judges: with a kettlebell, the
         * weight's distance ahead of mid-foot */
        if (cd.bar_drift && report_judged_metric(c, "bar-drift", RM_BAR_DRIFT) != RM_BAR_DRIFT) {
            cd.bar_drift = 0;
            cd.title = "Weight ahead of mid-foot";
            cd.rules[0] = RM_BAR_DISTANCE_MAX;
        }
        write_chart(f, c, &cd);
    }
    fprintf(f, "</section>\n");
}

static enum hc_status html_write(const struct report_input *c, const struct report_options *o,
                                FILE *f)
{
    (void)o;
    if (!c || !f || (c->n_frames && !c->frames))
        return hc_fail(HC_ERR_INVALID_ARG, "HTML report: nothing to write");
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<meta name=\"generator\" content=\"hingecheck %s\"><title>hingecheck: ",
            hc_version());
    put_esc(f, c->path ? c->path : "report");
    fprintf(f,
            "</title><style>%s%s</style><script>%s</script></head>\n"
            "<body data-hc-report=\"1\"><main>\n",
            CSS, CSS_PLAYER, JS_HEAD);
    fprintf(f, "<header><h1>hingecheck report</h1><p class=\"src\">");
    put_esc(f, c->path ? c->path : "");
    fprintf(f, "</p></header>\n");
    write_verdict(f, c);
    write_cues(f, c->res);
    write_set_notes(f, c->res);
    write_rep_table(f, c);
    write_faults(f, c);
    write_video(f, c);
    write_charts(f, c);
    write_bar_paths(f, c);
    write_thumbs(f, c);
    write_facts(f, c);
    fprintf(f,
            "<footer>hingecheck %s &middot; angles in degrees, distances in cm; scores "
            "start at 100 and lose points per finding (warning, error)</footer>\n"
            "</main><script>%s%s</script></body></html>\n",
            hc_version(), JS_PLAYER, JS);
    if (fflush(f) != 0 || ferror(f))
        return hc_fail(HC_ERR_IO, "%s: cannot write the HTML report (%s); check the disk and the "
                       "path", c->path ? c->path : "HTML report", strerror(errno));
    return HC_OK;
}

/* The index's sorting: a click on a header sorts the rows by that column (numbers by value,
 * text alphabetically; a second click reverses), each cell's data-v holding what it sorts by. */
static const char JS_SORT[] =
    "(function(){var t=document.querySelector('table.index');if(!t)return;"
    "t.querySelectorAll('th').forEach(function(th,c){th.addEventListener('click',function(){"
    "var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;"
    "t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',dir>0?'ascending':'descending');"
    "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),num=th.hasAttribute('data-num');"
    "function key(r){var d=r.cells[c];var v=d?d.getAttribute('data-v'):'';"
    "return num?(v===''||v===null?-Infinity:+v):(v||'').toLowerCase();}"
    "rows.sort(function(x,y){var a=key(x),z=key(y);return a<z?-dir:a>z?dir:0;});"
    "rows.forEach(function(r){b.appendChild(r);});"
    "document.body.setAttribute('data-hc-sorted',c+(dir>0?'+':'-'));});});"
    /* a link may ask for a sorted view: index.html#sort=3 (ascending), #sort=3- (descending) */
    "var m=/^#sort=(\\d+)(-?)$/.exec(location.hash),h=t.querySelectorAll('th');"
    "if(m&&h[+m[1]]){h[+m[1]].click();if(m[2])h[+m[1]].click();}"
    "document.body.setAttribute('data-hc-ready','1');})();";

static const char CSS_INDEX[] =
    "table.index th{cursor:pointer;user-select:none}table.index th::after{content:' \\2195';"
    "color:#c3cad3}table.index th[aria-sort=ascending]::after{content:' \\2191';"
    "color:var(--ink)}table.index th[aria-sort=descending]::after{content:' \\2193';"
    "color:var(--ink)}table.index ul{margin:0;padding-left:18px}"
    "@media (max-width:640px){table.index{font-size:13px}table.index th,table.index td{"
    "padding:4px}}";

/* The clip's verdict in the index: the set's words, or why it has none. */
static const char *index_verdict(const struct visual_index_entry *e)
{
    if (e->error)
        return "failed";
    if (!e->n_reps)
        return "no reps";
    return isfinite(e->score) ? report_verdict(e->score) : "not scored";
}

enum hc_status visual_write_html_index(const struct visual_index_entry *e, size_t n,
                                       const char *title, const char *out_path)
{
    if ((!e && n) || !out_path)
        return hc_fail(HC_ERR_INVALID_ARG, "HTML index: nothing to write");
    FILE *f = fopen(out_path, "wb");
    if (!f)
        return hc_fail(HC_ERR_IO,
                       "%s: cannot create the index (%s); check the folder exists "
                       "and is writable",
                       out_path, strerror(errno));
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
               "<title>");
    put_esc(f, title ? title : "hingecheck batch");
    fprintf(f, "</title><style>%s%s</style></head>\n<body data-hc-index=\"1\"><main>\n"
               "<header><h1>", CSS, CSS_INDEX);
    put_esc(f, title ? title : "hingecheck batch");
    fprintf(f,
            "</h1><p class=\"src\">%zu clip%s; click a column's header to sort by it</p></header>"
            "\n<section><table class=\"index\"><thead><tr><th>clip</th><th>lift</th>"
            "<th data-num>reps</th><th data-num>score</th><th data-num>verdict</th>"
            "<th>top cues</th></tr></thead><tbody>\n",
            n, n == 1 ? "" : "s");
    for (size_t k = 0; k < n; k++) {
        fprintf(f, "<tr><td data-v=\"");
        put_esc(f, e[k].clip);
        fprintf(f, "\">");
        if (e[k].href) {
            /* a file name is a path, not a URL: '#', '?', '%', spaces and the like encoded */
            char href[2048];
            if (hc_url_encode(href, sizeof href, e[k].href) >= sizeof href)
                href[0] = '\0';
            fprintf(f, "<a href=\"");
            put_esc(f, href);
            fprintf(f, "\">");
            put_esc(f, e[k].clip);
            fprintf(f, "</a>");
        } else {
            put_esc(f, e[k].clip);
        }
        /* the verdict sorts by the score (no score below every score, a failure below all) */
        const double sv = e[k].error ? -2.0 : isfinite(e[k].score) ? e[k].score : -1.0;
        const char *cls = e[k].error ? "err" : score_class(e[k].score);
        fprintf(f, "</td><td data-v=\"");
        put_esc(f, e[k].lift ? e[k].lift : "");
        fprintf(f, "\">");
        put_esc(f, e[k].lift ? e[k].lift : "");
        fprintf(f, "</td><td class=\"num\" data-v=\"%zu\">%zu</td><td class=\"num\" data-v=\"",
                e[k].error ? 0 : e[k].n_reps, e[k].error ? 0 : e[k].n_reps);
        if (isfinite(e[k].score) && !e[k].error)
            fprintf(f, "%.1f", e[k].score);
        fprintf(f, "\">");
        if (!e[k].error)
            put_num(f, e[k].score, "%.0f");
        fprintf(f, "</td><td data-v=\"%.1f\"><span class=\"badge %s\">%s</span></td><td data-v=\"",
                sv, cls, index_verdict(&e[k]));
        if (e[k].error) {
            put_esc(f, e[k].error);
            fprintf(f, "\">");
            put_esc(f, e[k].error);
            fprintf(f, "</td></tr>\n");
            continue;
        }
        put_esc(f, e[k].cues[0] ? report_rule_title(e[k].cues[0]) : "");
        fprintf(f, "\">");
        if (e[k].cues[0]) {
            fprintf(f, "<ul>");
            for (int q = 0; q < 3 && e[k].cues[q]; q++) {
                fprintf(f, "<li>");
                put_esc(f, report_rule_title(e[k].cues[q]));
                fprintf(f, "</li>");
            }
            fprintf(f, "</ul>");
        } else if (e[k].n_reps) {
            fprintf(f, "no fault found");
        }
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody></table></section>\n<footer>hingecheck %s</footer></main><script>%s"
               "</script></body></html>\n", hc_version(), JS_SORT);
    enum hc_status st = HC_OK;
    if (ferror(f))
        st = hc_fail(HC_ERR_IO, "%s: cannot write the index (%s)", out_path, strerror(errno));
    if (fclose(f) != 0 && st == HC_OK)
        st = hc_fail(HC_ERR_IO, "%s: cannot finish the index (%s)", out_path, strerror(errno));
    return st;
}

const struct report_format report_format_html = {
    .name = "html",
    .ext = "html",
    .flag = "html",
    .metavar = "FILE",
    .help = "also write an HTML report to FILE: charts, a bar path per rep, the worst moment "
            "of each finding drawn, and the --overlay video (else the clip) played beside it",
    .flags = REPORT_KEYFRAMES,
    .batch = 2,
    .write = html_write,
};
