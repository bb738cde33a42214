/* report_compare.c - `hingecheck compare A.json B.json`: two JSON reports of one athlete (two
 * sessions, or two sets of one session) side by side, read back from the files (docs/REPORT.md's
 * contract), and what improved and what got worse in words.
 *
 * What counts as a change: a rule that fired on fewer or more reps; the set score, the velocity
 * loss and the consistency moved by more than a tolerance; a per-rep measure whose mean over the
 * full reps moved by more than the two means' combined uncertainty (the reports' own
 * metric_uncertainty, over the square root of the number of reps) and a floor. Measures with no
 * better direction of their own (depth, tempo) are shown side by side and judged only through
 * the rules that fired on them. */
#include "report/report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMP_MAX_REPS 64
#define CMP_MAX_RULES 48

/* The measures compared rep by rep: id in the report, coach's words (report_metric_title's
 * scale and unit), which way is better (+1 higher, -1 lower, 0 neither), the floor of a
 * noticeable change in the report's unit, and the words of a change for the better and for the
 * worse. */
struct cmp_metric {
    const char *id;
    const char *col; /* the column's header */
    const char *fmt; /* its numbers, in the shown unit */
    int better;
    double floor;
    const char *up, *down; /* the change in words when the mean rose / fell */
};

static const struct cmp_metric METRICS[] = {
    {"hip_angle_bottom_deg", "depth", "%.0f", 0, 3.0,
     "less deep at the bottom", "deeper at the bottom"},
    {"knee_flexion_bottom_deg", "knee", "%.0f", 0, 3.0, "more knee bend", "less knee bend"},
    {"spine_curvature_max", "spine", "%+.0f", -1, 0.01, "more back rounding", "less back rounding"},
    {"bar_drift_cm", "bar", "%.1f", -1, 1.0,
     "the bar further from the body", "the bar closer to the body"},
    {"bar_distance_max_cm", "bar", "%.1f", -1, 1.0, "the weight further ahead of mid-foot",
     "the weight closer to mid-foot"},
    {"bar_speed_rising_mps", "speed", "%.2f", 1, 0.02,
     "a faster bar on the way up", "a slower bar on the way up"},
    {"lowering_s", "lower", "%.1f", 0, 0.2, "a slower lowering", "a faster lowering"},
    {"rising_s", "rise", "%.1f", 0, 0.2, "a slower rise", "a faster rise"},
};

struct cmp_rep {
    int index, partial;
    double score;
    double m[HC_ARRAY_LEN(METRICS)], u[HC_ARRAY_LEN(METRICS)];
};

struct cmp_side {
    const char *path;
    cJSON *doc;
    const char *clip, *lift, *verdict, *judged_as;
    double score, consistency, speed_best, speed_last, loss;
    size_t n_reps;
    struct cmp_rep rep[CMP_MAX_REPS];
    /* rules that fired (warning or error) and on how many reps */
    size_t n_rules;
    const char *rule[CMP_MAX_RULES];
    int rule_reps[CMP_MAX_RULES];
};

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
    return s ? s : "";
}

static void count_rule(struct cmp_side *s, const char *rule, int rep, int *seen_rep)
{
    for (size_t k = 0; k < s->n_rules; k++)
        if (strcmp(s->rule[k], rule) == 0) {
            if (seen_rep[k] != rep) {
                s->rule_reps[k]++;
                seen_rep[k] = rep;
            }
            return;
        }
    if (s->n_rules < CMP_MAX_RULES) {
        seen_rep[s->n_rules] = rep;
        s->rule_reps[s->n_rules] = 1;
        s->rule[s->n_rules++] = rule;
    }
}

/* Reads one report. HC_ERR_IO (unreadable), HC_ERR_FORMAT (not a hingecheck JSON report, or a
 * clip that failed), each with a message naming the file and what to do. */
static enum hc_status side_load(struct cmp_side *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return hc_fail(HC_ERR_IO, "%s: cannot read the report (%s); give the --json report of "
                       "an analysis", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            char *t = realloc(text, cap = len + 65536 + cap);
            if (!t) {
                free(text);
                fclose(f);
                return hc_fail(HC_ERR_NOMEM, "%s: out of memory reading the report", path);
            }
            text = t;
        }
        const size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    const int bad_read = ferror(f);
    fclose(f);
    text[len] = '\0';
    if (!bad_read)
        s->doc = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(s->doc, "set");
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(s->doc, "reps");
    if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(s->doc, "schema_version")) ||
        !cJSON_IsObject(set) || !cJSON_IsArray(reps))
        return hc_fail(HC_ERR_FORMAT, "%s: not a hingecheck JSON report (a clip that failed has "
                       "no reps); write one with `hingecheck VIDEO --json FILE`", path);
    const cJSON *clip = cJSON_GetObjectItemCaseSensitive(s->doc, "clip");
    s->clip = str(clip, "path");
    s->lift = str(cJSON_GetObjectItemCaseSensitive(s->doc, "exercise"), "detected");
    s->judged_as = str(cJSON_GetObjectItemCaseSensitive(s->doc, "implement"), "judged_as");
    s->verdict = str(set, "verdict");
    s->score = num(set, "score");
    s->consistency = num(set, "consistency");
    s->speed_best = num(set, "bar_speed_best_mps");
    s->speed_last = num(set, "bar_speed_last_mps");
    s->loss = num(set, "velocity_loss_pct");
    int seen_rep[CMP_MAX_RULES];
    const cJSON *r;
    cJSON_ArrayForEach(r, reps)
    {
        if (s->n_reps == CMP_MAX_REPS)
            break;
        struct cmp_rep *rp = &s->rep[s->n_reps++];
        rp->index = (int)num(r, "index");
        rp->partial = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "partial"));
        rp->score = num(r, "score");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "metrics"),
                    *u = cJSON_GetObjectItemCaseSensitive(r, "metric_uncertainty");
        for (size_t k = 0; k < HC_ARRAY_LEN(METRICS); k++) {
            rp->m[k] = num(m, METRICS[k].id);
            rp->u[k] = num(u, METRICS[k].id);
        }
        const cJSON *fd;
        cJSON_ArrayForEach(fd, cJSON_GetObjectItemCaseSensitive(r, "findings"))
        {
            const char *sev = str(fd, "severity");
            if (strcmp(sev, "warning") == 0 || strcmp(sev, "error") == 0)
                count_rule(s, str(fd, "rule"), rp->index, seen_rep);
        }
    }
    return HC_OK;
}

/* The mean of measure k over the full reps (all reps when none is full) and its uncertainty:
 * the reps' uncertainties' root mean square over the square root of their number. */
static double side_mean(const struct cmp_side *s, size_t k, double *unc)
{
    double sum = 0.0, uu = 0.0;
    size_t n = 0, nu = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++)
        for (size_t r = 0; r < s->n_reps; r++) {
            if ((pass == 0 && s->rep[r].partial) || !isfinite(s->rep[r].m[k]))
                continue;
            sum += s->rep[r].m[k];
            n++;
            if (isfinite(s->rep[r].u[k])) {
                uu += s->rep[r].u[k] * s->rep[r].u[k];
                nu++;
            }
        }
    *unc = nu ? sqrt(uu / (double)nu) / sqrt((double)n) : 0.0;
    return n ? sum / (double)n : NAN;
}

/* The measure judged as the bar's distance (the bar-drift rule's: with a kettlebell the
 * weight's distance ahead of mid-foot), so the other is left out. */
static int shown(const struct cmp_side *a, size_t k)
{
    const int kb = strcmp(a->judged_as, "kettlebell") == 0;
    if (strcmp(METRICS[k].id, "bar_drift_cm") == 0)
        return !kb;
    if (strcmp(METRICS[k].id, "bar_distance_max_cm") == 0)
        return kb;
    return 1;
}

static void put_val(FILE *f, double v, double scale, const char *fmt)
{
    char b[32];
    if (isfinite(v))
        snprintf(b, sizeof b, fmt, v * scale);
    else
        snprintf(b, sizeof b, "-");
    fprintf(f, "%7s", b);
}

/* One line of what changed: into the improved or the worse list. */
struct cmp_lines {
    char text[2][24][160];
    int n[2];
};

static void add_line(struct cmp_lines *l, int worse, const char *fmt, ...)
{
    if (l->n[worse] >= 24)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text[worse][l->n[worse]++], sizeof l->text[0][0], fmt, ap);
    va_end(ap);
}

/* A set figure: better when it moved by more than tol in its better direction. */
static void set_change(struct cmp_lines *l, const char *what, double a, double b, double tol,
                       int better, const char *fmt_a_b)
{
    if (!isfinite(a) || !isfinite(b) || fabs(b - a) <= tol)
        return;
    char t[120];
    snprintf(t, sizeof t, fmt_a_b, a, b);
    add_line(l, (b - a) * better < 0, "%s %s", what, t);
}

enum hc_status report_compare_write(const char *path_a, const char *path_b, FILE *f)
{
    if (!path_a || !path_b || !f)
        return hc_fail(HC_ERR_INVALID_ARG, "compare: two reports and an output are needed");
    struct cmp_side *s = calloc(2, sizeof *s);
    if (!s)
        return hc_fail(HC_ERR_NOMEM, "compare: out of memory");
    enum hc_status st = side_load(&s[0], path_a);
    if (st == HC_OK)
        st = side_load(&s[1], path_b);
    if (st != HC_OK)
        goto done;
    const struct cmp_side *a = &s[0], *b = &s[1];

    fprintf(f, "hingecheck compare (A: before, B: after)\n");
    for (int k = 0; k < 2; k++) {
        const struct cmp_side *x = &s[k];
        fprintf(f, "  %c: %s (clip %s, %s, %zu rep%s, ", k ? 'B' : 'A', x->path, x->clip,
                x->lift[0] ? x->lift : "no lift", x->n_reps, x->n_reps == 1 ? "" : "s");
        if (isfinite(x->score))
            fprintf(f, "score %.0f/100 %s)\n", x->score, x->verdict);
        else
            fprintf(f, "%s)\n", x->verdict[0] ? x->verdict : "not scored");
    }
    if (strcmp(a->lift, b->lift) != 0)
        fprintf(f, "  note: A is %s and B is %s; the measures compare, the rules judged each "
                   "lift by its own limits\n", a->lift[0] ? a->lift : "no lift",
                b->lift[0] ? b->lift : "no lift");

    /* per rep, side by side */
    fprintf(f, "\nPer rep (A | B)\nrep         score");
    for (size_t k = 0; k < HC_ARRAY_LEN(METRICS); k++)
        if (shown(a, k))
            fprintf(f, "  %16s", METRICS[k].col);
    fputc('\n', f);
    const size_t n = a->n_reps > b->n_reps ? a->n_reps : b->n_reps;
    for (size_t r = 0; r < n; r++) {
        const struct cmp_rep *ra = r < a->n_reps ? &a->rep[r] : NULL,
                             *rb = r < b->n_reps ? &b->rep[r] : NULL;
        fprintf(f, "%3zu%s ", r + 1, (ra && ra->partial) || (rb && rb->partial) ? "*" : " ");
        put_val(f, ra ? ra->score : NAN, 1.0, "%.0f");
        fputs(" |", f);
        put_val(f, rb ? rb->score : NAN, 1.0, "%.0f");
        for (size_t k = 0; k < HC_ARRAY_LEN(METRICS); k++) {
            if (!shown(a, k))
                continue;
            double sc = 1.0;
            report_metric_title(METRICS[k].id, &sc, NULL);
            fputs("  ", f);
            put_val(f, ra ? ra->m[k] : NAN, sc, METRICS[k].fmt);
            fputs(" |", f);
            put_val(f, rb ? rb->m[k] : NAN, sc, METRICS[k].fmt);
        }
        fputc('\n', f);
    }
    fprintf(f, "  * a partial rep (cut by the clip)\n");
    for (size_t k = 0; k < HC_ARRAY_LEN(METRICS); k++)
        if (shown(a, k)) {
            const char *u = NULL;
            const char *t = report_metric_title(METRICS[k].id, NULL, &u);
            fprintf(f, "  %s: %s%s%s%s\n", METRICS[k].col, t, u && *u ? " (" : "", u ? u : "",
                    u && *u ? ")" : "");
        }

    /* the set */
    fprintf(f, "\nSet (A -> B)\n");
    const struct {
        const char *name, *fmt;
        double a, b;
    } rows[] = {
        {"score", "%.0f", a->score, b->score},
        {"consistency", "%.0f", a->consistency, b->consistency},
        {"bar speed up, fastest rep (m/s)", "%.2f", a->speed_best, b->speed_best},
        {"bar speed up, last rep (m/s)", "%.2f", a->speed_last, b->speed_last},
        {"velocity loss (%)", "%.0f", a->loss, b->loss},
    };
    for (size_t k = 0; k < HC_ARRAY_LEN(rows); k++) {
        fprintf(f, "  %-32s", rows[k].name);
        put_val(f, rows[k].a, 1.0, rows[k].fmt);
        fputs(" ->", f);
        put_val(f, rows[k].b, 1.0, rows[k].fmt);
        fputc('\n', f);
    }

    struct cmp_lines *l = calloc(1, sizeof *l);
    if (!l) {
        st = hc_fail(HC_ERR_NOMEM, "compare: out of memory");
        goto done;
    }
    /* the set's figures: half a warning's points of score (a warning costs 10), 5 points of
     * velocity loss and of consistency are the smallest changes a coach would act on (project
     * choice); the bar speed as its measures below */
    set_change(l, "set score", a->score, b->score, 5.0, 1, "%.0f -> %.0f");
    set_change(l, "velocity loss over the set", a->loss, b->loss, 5.0, -1, "%.0f%% -> %.0f%%");
    set_change(l, "consistency", a->consistency, b->consistency, 5.0, 1, "%.0f -> %.0f");
    /* the rules that fired: on fewer reps is better */
    for (int k = 0; k < 2; k++) {
        const struct cmp_side *x = &s[k], *y = &s[1 - k];
        for (size_t q = 0; q < x->n_rules; q++) {
            int ny = 0, in_y = 0;
            for (size_t p = 0; p < y->n_rules; p++)
                if (strcmp(y->rule[p], x->rule[q]) == 0) {
                    ny = y->rule_reps[p];
                    in_y = 1;
                }
            if (k == 1 && in_y)
                continue; /* counted from A's side */
            const int na = k ? ny : x->rule_reps[q], nb = k ? x->rule_reps[q] : ny;
            if (na != nb)
                add_line(l, nb > na, "%s: on %d of %zu reps -> %d of %zu",
                         report_rule_title(x->rule[q]), na, a->n_reps, nb, b->n_reps);
        }
    }
    /* the measures, past their uncertainty: better or worse where they have a better way,
     * else only changed */
    char changed[HC_ARRAY_LEN(METRICS)][160];
    size_t n_changed = 0;
    for (size_t k = 0; k < HC_ARRAY_LEN(METRICS); k++) {
        if (!shown(a, k))
            continue;
        double ua, ub;
        const double ma = side_mean(a, k, &ua), mb = side_mean(b, k, &ub);
        const double tol = fmax(METRICS[k].floor, sqrt(ua * ua + ub * ub));
        if (!isfinite(ma) || !isfinite(mb) || fabs(mb - ma) <= tol)
            continue;
        double sc = 1.0;
        const char *u = NULL;
        report_metric_title(METRICS[k].id, &sc, &u);
        char t[160], va[24], vb[24];
        snprintf(va, sizeof va, METRICS[k].fmt, ma * sc);
        snprintf(vb, sizeof vb, METRICS[k].fmt, mb * sc);
        snprintf(t, sizeof t, "%s: %s -> %s %s on average",
                 mb > ma ? METRICS[k].up : METRICS[k].down, va, vb, u ? u : "");
        if (METRICS[k].better)
            add_line(l, (mb - ma) * METRICS[k].better < 0, "%s", t);
        else
            snprintf(changed[n_changed++], sizeof changed[0], "%s", t);
    }
    static const char *const heads[2] = {"What improved", "What got worse"};
    for (int w = 0; w < 2; w++) {
        fprintf(f, "\n%s\n", heads[w]);
        if (!l->n[w])
            fprintf(f, "  nothing noticeable\n");
        for (int k = 0; k < l->n[w]; k++)
            fprintf(f, "  - %s\n", l->text[w][k]);
    }
    if (n_changed) {
        fprintf(f, "\nChanged (the rules above judge whether for the better)\n");
        for (size_t k = 0; k < n_changed; k++)
            fprintf(f, "  - %s\n", changed[k]);
    }
    fprintf(f, "\nA change counts when it is larger than the measures' uncertainty (the reports' "
               "own), or 5 points of score, consistency or velocity loss.\n");
    free(l);
    if (fflush(f) != 0 || ferror(f))
        st = hc_fail(HC_ERR_IO, "compare: cannot write the comparison (%s)", strerror(errno));
done:
    if (s[0].doc)
        cJSON_Delete(s[0].doc);
    if (s[1].doc)
        cJSON_Delete(s[1].doc);
    free(s);
    return st;
}
