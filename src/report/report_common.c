/* report_common.c - the format table and what several writers share (top cues, verdicts). */
#include "report/report.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The one list of output formats, in the order the CLI's --help lists their options. */
const struct report_format *const report_formats[] = {
    &report_format_text, &report_format_json,    &report_format_csv,
    &report_format_html, &report_format_overlay, NULL,
};

const struct report_format *report_format_find(const char *name)
{
    if (!name)
        return NULL;
    for (const struct report_format *const *f = report_formats; *f; f++)
        if (strcmp((*f)->name, name) == 0)
            return *f;
    return NULL;
}

static char format_names[128];
static pthread_once_t format_names_once = PTHREAD_ONCE_INIT;

static void join_format_names(void)
{
    size_t n = 0;
    for (const struct report_format *const *f = report_formats; *f; f++) {
        const int k = snprintf(format_names + n, sizeof format_names - n, "%s%s",
                               f == report_formats ? "" : "|", (*f)->name);
        if (k < 0 || (size_t)k >= sizeof format_names - n)
            break; /* a test checks every name is in the list */
        n += (size_t)k;
    }
}

const char *report_format_names(void)
{
    pthread_once(&format_names_once, join_format_names);
    return format_names;
}

static int is_note(const struct rules_finding *f)
{
    return f->severity == RULES_INFO;
}

size_t report_rep_worst(const struct rules_result *res, size_t r)
{
    size_t best = (size_t)-1;
    if (!res || r >= res->n_reps)
        return best;
    const struct rules_rep_result *rp = &res->reps[r];
    for (size_t k = 0; k < rp->n_findings; k++) {
        const size_t i = rp->first_finding + k;
        if (is_note(&res->findings[i]))
            continue;
        if (best == (size_t)-1 || res->findings[i].severity > res->findings[best].severity)
            best = i;
    }
    return best;
}

int report_worst_severity(const struct rules_result *res)
{
    int worst = -1;
    for (size_t i = 0; res && i < res->n_findings; i++)
        if ((int)res->findings[i].severity > worst)
            worst = (int)res->findings[i].severity;
    return worst;
}

size_t report_top_cues(const struct rules_result *res, size_t *out, int *n_reps_out, size_t max)
{
    if (!res || max == 0)
        return 0;
    /* Candidates: one per distinct rule id, in order of first appearance. At most one finding
     * per rule per rep exists, so counting findings counts reps. */
    size_t n = 0;
    struct cand {
        size_t rep_finding; /* representative: worst, then earliest */
        int count;
        int worst;
    } cands[64];
    for (size_t i = 0; i < res->first_set_finding && i < res->n_findings; i++) {
        const struct rules_finding *f = &res->findings[i];
        if (is_note(f) || f->rep == 0)
            continue;
        size_t c = 0;
        while (c < n && strcmp(res->findings[cands[c].rep_finding].rule, f->rule) != 0)
            c++;
        if (c == n) {
            if (n == HC_ARRAY_LEN(cands))
                continue;
            cands[n].rep_finding = i;
            cands[n].count = 0;
            cands[n].worst = (int)f->severity;
            n++;
        }
        cands[c].count++;
        if ((int)f->severity > cands[c].worst) {
            cands[c].worst = (int)f->severity;
            cands[c].rep_finding = i;
        }
    }
    /* stable selection sort by (worst desc, count desc); ties keep first appearance */
    size_t m = 0;
    for (; m < max && m < n; m++) {
        size_t b = m;
        for (size_t c = m + 1; c < n; c++)
            if (cands[c].worst > cands[b].worst ||
                (cands[c].worst == cands[b].worst && cands[c].count > cands[b].count))
                b = c;
        const struct cand t = cands[b];
        memmove(&cands[m + 1], &cands[m], (b - m) * sizeof cands[0]);
        cands[m] = t;
        out[m] = cands[m].rep_finding;
        if (n_reps_out)
            n_reps_out[m] = cands[m].count;
    }
    return m;
}

const char *report_verdict(double score)
{
    /* Bands (project choice, docs/REPORT.md): with the default penalties (warning 10, error 25)
     * 90+ means at most one warning per rep, 75+ about two warnings or one error. */
    if (!isfinite(score))
        return "no reps";
    if (score >= 90.0)
        return "excellent";
    if (score >= 75.0)
        return "good";
    if (score >= 50.0)
        return "needs work";
    return "poor";
}

const char *report_set_verdict(const struct rules_result *res)
{
    if (!res || res->n_reps == 0)
        return "no reps";
    if (!isfinite(res->set_score))
        return "not assessable";
    return report_verdict(res->set_score);
}

const char *report_rep_unscored(const struct rules_rep_result *rp, char *buf, size_t n)
{
    if (!rp || isfinite(rp->score) || !buf || n == 0)
        return NULL;
    snprintf(buf, n, "not scored: %d of %d core checks assessed", rp->n_core_assessed,
             rp->n_core);
    return buf;
}

void report_format_expected(double min, double max, const char *unit, char *buf, size_t n)
{
    const char *u = unit && *unit ? unit : "";
    const char *sp = *u ? " " : "";
    if (isfinite(min) && isfinite(max))
        snprintf(buf, n, "%g-%g%s%s", min, max, sp, u);
    else if (isfinite(min))
        snprintf(buf, n, ">= %g%s%s", min, sp, u);
    else if (isfinite(max))
        snprintf(buf, n, "<= %g%s%s", max, sp, u);
    else
        snprintf(buf, n, "any");
}

/* Coach names of the built-in rules: what a coach reads in the text, HTML and overlay. The ids
 * stay in the JSON and CSV (and --rules files); a rule a --rules file adds shows its id. */
static const struct {
    const char *id, *title;
} rule_titles[] = {
    {"hip-depth-shallow", "shallow hinge"},
    {"hip-depth-excessive", "hips too low at the bottom"},
    {"knee-locked", "locked knees"},
    {"knee-squat", "squatting the hinge"},
    {"knee-unstable", "knee bend changing"},
    {"spine-rounded", "rounded back"},
    {"spine-hyperextended", "over-arched back"},
    {"lockout-slumped", "slumped lockout"},
    {"bar-drift", "bar away from the body"},
    {"hips-back-late", "knees forward first"},
    {"shin-forward", "shins forward"},
    {"heel-lift", "heels lifting"},
    {"neck-extended", "neck cranked back"},
    {"lowering-fast", "lowering too fast"},
    {"bounce", "bounce at the bottom"},
    {"lockout-incomplete", "incomplete lockout"},
    {"lockout-lean-back", "leaning back at lockout"},
    {"hips-rise-early", "hips rising first"},
    {"view-oblique", "camera not side-on"},
    {"implement", "implement"},
    {"plate-scale", "plate size"},
    {"knees-caving", "knees caving in"},
    {"feet-flared", "feet turned out"},
    {"stance-width", "stance width"},
    {"hip-shift", "hips shifting sideways"},
    {"trunk-twist", "trunk twisting"},
    {"sl-knee-over-foot", "standing knee caving in"},
    {"sl-hip-open", "hip opening (pelvis not square)"},
    {"sl-leg-line", "free leg out of line with the trunk"},
    {"front-view-checks", "front-view checks"},
};

const char *report_rule_title(const char *id)
{
    for (size_t k = 0; id && k < HC_ARRAY_LEN(rule_titles); k++)
        if (strcmp(id, rule_titles[k].id) == 0)
            return rule_titles[k].title;
    return id ? id : "";
}

/* Coach names of the per-rep metrics, and how a coach reads them: the spine's curvature (a
 * fraction of the hip-shoulder chord in the JSON and CSV) as a percentage of that length. */
static const struct {
    enum rules_metric m;
    const char *title;
    double scale;
    const char *unit; /* NULL: the metric's own */
} metric_shown[] = {
    {RM_HIP_ANGLE_BOTTOM, "hip angle at the bottom", 1.0, NULL},
    {RM_KNEE_FLEXION_BOTTOM, "knee bend at the bottom", 1.0, NULL},
    {RM_KNEE_FLEXION_RANGE, "change of knee bend", 1.0, NULL},
    {RM_KNEE_FORWARD_EARLY, "shin tilt gained before the hips moved back", 1.0, NULL},
    {RM_SHIN_ANGLE_BOTTOM, "shin tilt at the bottom", 1.0, NULL},
    {RM_TORSO_INCLINATION_BOTTOM, "trunk above horizontal at the bottom", 1.0, NULL},
    {RM_SPINE_CURVATURE_MAX, "largest back rounding", 100.0, "% of trunk"},
    {RM_SPINE_CURVATURE_MIN, "largest back arch", 100.0, "% of trunk"},
    {RM_SPINE_CURVATURE_LOCKOUT, "back rounding at lockout", 100.0, "% of trunk"},
    {RM_BAR_DISTANCE_MAX, "bar ahead of mid-foot", 1.0, NULL},
    {RM_BAR_LEG_MAX, "bar off the legs", 1.0, NULL},
    {RM_HEEL_LIFT_MAX, "heel lift", 1.0, NULL},
    {RM_NECK_ANGLE_MAX, "neck extension", 1.0, NULL},
    {RM_LOWERING_S, "lowering time", 1.0, NULL},
    {RM_BOTTOM_S, "time at the bottom", 1.0, NULL},
    {RM_RISING_S, "rising time", 1.0, NULL},
    {RM_LOWERING_PEAK_DPS, "fastest hip fold while lowering", 1.0, NULL},
    {RM_BOTTOM_DWELL_RATIO, "time at the bottom / lowering time", 1.0, NULL},
    {RM_HIP_ANGLE_LOCKOUT, "hip angle at lockout", 1.0, NULL},
    {RM_TORSO_INCLINATION_LOCKOUT, "trunk above horizontal at lockout", 1.0, NULL},
    {RM_TORSO_DROP_RISING, "trunk dropped as the hips rose", 1.0, NULL},
    {RM_HIP_TRAVEL, "hips back", 1.0, NULL},
    {RM_BAR_DRIFT, "bar away from the body", 1.0, NULL},
    {RM_BOTTOM_ARRIVAL_RATIO, "speed into the bottom / mean lowering speed", 1.0, NULL},
    {RM_KNEE_FLEXION_MID, "knee bend mid-hinge", 1.0, NULL},
    {RM_BAR_SPEED_RISING, "bar speed rising", 1.0, NULL},
    {RM_KNEE_VALGUS_MAX, "knee caving in (frontal angle)", 1.0, NULL},
    {RM_FOOT_ANGLE_MAX, "toe-out angle", 1.0, NULL},
    {RM_STANCE_HIP, "stance / hip width", 1.0, NULL},
    {RM_STANCE_SHOULDER, "stance / shoulder width", 1.0, NULL},
    {RM_HIP_SHIFT_MAX, "hip shift sideways", 1.0, NULL},
    {RM_TRUNK_TWIST_MAX, "trunk twist", 1.0, NULL},
    {RM_STANCE_KNEE_VALGUS_MAX, "standing knee caving in (frontal angle)", 1.0, NULL},
    {RM_PELVIS_OPEN_MAX, "free-side hip raised (pelvis opening)", 1.0, NULL},
    {RM_FREE_LEG_LINE_BOTTOM, "free leg's line with the trunk at the bottom", 1.0, NULL},
};

const char *report_metric_title(const char *metric, double *scale, const char **unit)
{
    const int m = rules_metric_from_name(metric);
    if (scale)
        *scale = 1.0;
    if (unit)
        *unit = m >= 0 ? rules_metric_unit((enum rules_metric)m) : "";
    for (size_t k = 0; m >= 0 && k < HC_ARRAY_LEN(metric_shown); k++)
        if ((int)metric_shown[k].m == m) {
            if (scale)
                *scale = metric_shown[k].scale;
            if (unit && metric_shown[k].unit)
                *unit = metric_shown[k].unit;
            return metric_shown[k].title;
        }
    return metric ? metric : "";
}

int report_rule_applies(const struct report_input *in, const struct rules_rule *r)
{
    if (!in || !in->res || !r)
        return 0;
    const enum reps_lift lift = in->res->detected;
    return (lift == REPS_LIFT_AUTO || (r->lifts & (1u << lift)) != 0) &&
           (!r->implements || (r->implements & (1u << in->res->implement)) != 0);
}

enum rules_metric report_judged_metric(const struct report_input *in, const char *rule_id,
                                      enum rules_metric fallback)
{
    if (!in || !in->rs || !rule_id)
        return fallback;
    for (size_t k = 0; k < in->rs->n; k++) {
        const struct rules_rule *r = &in->rs->rules[k];
        if (strcmp(r->id, rule_id) == 0 && report_rule_applies(in, r))
            return r->metric;
    }
    return fallback;
}

/* %g keeps whole numbers short; metric values get at most 3 significant digits here, like the
 * HTML report's findings. Coach names and units (report_metric_title). */
void report_format_borderline(const struct rules_finding *f, char *buf, size_t n)
{
    double k = 1.0;
    const char *u = NULL;
    const char *title = f->metric ? report_metric_title(f->metric, &k, &u) : "";
    /* the metric's name when it says more than the rule's ("largest back rounding" of "rounded
     * back"; not "bar away from the body" twice) */
    const int named = *title && strcmp(title, report_rule_title(f->rule)) != 0;
    u = u && *u ? u : f->unit && *f->unit ? f->unit : "";
    const char *sp = *u && *u != '%' ? " " : "";
    snprintf(buf, n, "%s%s%.3g +- %.2g%s%s against %.3g%s%s (band %.3g to %.3g)", named ? title : "",
             named ? " " : "", k * f->value, k * f->uncertainty, sp, u, k * f->limit, sp, u,
             k * (f->limit - f->uncertainty), k * (f->limit + f->uncertainty));
}

int report_damage_note(const struct report_input *in, char *buf, size_t n)
{
    if (n)
        buf[0] = '\0';
    const struct hc_damage *d = in->damage;
    if (!d || d->n_frames_skipped <= 0 || n == 0)
        return 0;
    char where[512];
    hc_damage_text(d, where, sizeof where);
    snprintf(buf, n, "%lld of %lld frames could not be decoded and were skipped: %s",
             (long long)d->n_frames_skipped, (long long)d->n_frames, where);
    return 1;
}

int report_rep_damage(const struct report_input *in, size_t r, char *buf, size_t n)
{
    if (n)
        buf[0] = '\0';
    const struct hc_damage *d = in->damage;
    if (!d || d->n_frames_skipped <= 0 || !in->res || r >= in->res->n_reps || n == 0)
        return 0;
    const struct rules_rep_result *rp = &in->res->reps[r];
    /* A stretch next to the rep's first or last frame counts: the rep may really begin or end
     * inside it (its edge is the last good frame before the gap). 1.5 frames of slack. */
    const double slack = 1.5 / (in->fps > 0.0 ? in->fps : 30.0);
    int k_hit = 0;
    size_t len = 0;
    for (int k = 0; k < d->n_ranges; k++) {
        const struct hc_damage_range *g = &d->range[k];
        if (!(g->t_start_s <= rp->t_end_s + slack && g->t_end_s >= rp->t_start_s - slack))
            continue;
        char one[96];
        hc_damage_range_text(g, one, sizeof one);
        if (len + strlen(one) + 2 < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", k_hit ? ", " : "", one);
        k_hit++;
    }
    if (k_hit && len + 24 < n)
        snprintf(buf + len, n - len, " could not be decoded");
    return k_hit;
}
