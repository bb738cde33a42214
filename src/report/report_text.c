/* report_text.c - the coaching summary on stdout: set verdict, top 3 cues with their fixes, a
 * per-rep table with the key numbers, the view verdict and what could not be assessed.
 *
 * Plain ASCII (no degree signs) so it reads the same in any terminal, log or e-mail; ANSI colour
 * only when the caller asks (the CLI: a TTY without NO_COLOR, or --color always). */
#include "report/report.h"

#include <math.h>
#include <string.h>

struct pen {
    FILE *f;
    int color;
};

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"

static void on(const struct pen *p, const char *code)
{
    if (p->color)
        fputs(code, p->f);
}

static void off(const struct pen *p)
{
    if (p->color)
        fputs(C_RESET, p->f);
}

static const char *severity_color(enum rules_severity s)
{
    return s == RULES_ERROR ? C_RED : s == RULES_WARNING ? C_YELLOW : C_DIM;
}

static const char *score_color(double score)
{
    return !isfinite(score) ? C_DIM : score >= 90 ? C_GREEN : score >= 50 ? C_YELLOW : C_RED;
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "";
}

/* A number into a fixed-width cell, "-" when not measurable. */
static void cell(FILE *f, int width, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, " %*.*f", width, decimals, v);
    else
        fprintf(f, " %*s", width, "-");
}

/* "  implement: kettlebell (from the image, confidence 0.71: ...)": the kind and, in short, why
 * (the JSON report has the whole evidence). */
static void print_implement(const struct pen *p, const struct report_input *in)
{
    const struct report_implement *im = in->implement;
    if (!im)
        return;
    const struct rules_result *res = in->res;
    fprintf(p->f, "  implement: %s", kin_implement_name(im->kind));
    switch (im->source) {
    case KIN_IMPLEMENT_FROM_GIVEN:
        fputs(" (--implement)", p->f);
        break;
    case KIN_IMPLEMENT_FROM_IMAGE:
        fprintf(p->f, " (from the image, confidence %.2f: %s on %.0f%% of frames)",
                im->confidence, im->kind == KIN_IMPLEMENT_BARBELL ? "plates at the hands"
                                                                   : "a bell below the hands",
                100.0 * im->share_found);
        break;
    case KIN_IMPLEMENT_FROM_HANDS:
        fputs(" (from the hands: ", p->f);
        fputs(im->kind == KIN_IMPLEMENT_KETTLEBELL ? "together on one handle)"
                                                   : "a grip about shoulder width)", p->f);
        break;
    default:
        if (!im->image_kind)
            fputs(" (not seen)", p->f);
        else if (strcmp(im->image_kind, "barbell") && strcmp(im->image_kind, "kettlebell"))
            fprintf(p->f, " (not seen: the image shows %s)", im->image_kind);
        else
            fprintf(p->f, " (the image's %s, confidence %.2f, is not used: see the JSON report)",
                    im->image_kind, isfinite(im->image_confidence) ? im->image_confidence : 0.0);
        break;
    }
    if (res && res->implement != im->kind)
        fprintf(p->f, "; judged with the %s rules", kin_implement_name(res->implement));
    fputc('\n', p->f);
}

/* Two cameras: the second clip, its view, the offset and how sure it is, the reps matched. */
static void print_pair(const struct pen *p, const struct report_input *in)
{
    const struct report_pair *pr = in->pair;
    if (!pr)
        return;
    char name[1024];
    hc_escape_ctl(name, sizeof name, base_name(pr->front_path));
    fprintf(p->f, "  second camera: %s, %s", name, kin_view_name(pr->front_view));
    if (isfinite(pr->front_view_angle_deg))
        fprintf(p->f, " (%.0f deg from side-on)", pr->front_view_angle_deg);
    if (pr->front_view == KIN_VIEW_OBLIQUE || pr->front_view == KIN_VIEW_UNKNOWN)
        fputs(": neither side nor front, so the front-view checks are not assessable", p->f);
    else
        fputs(": knees, feet, stance, hip shift and trunk twist judged from it", p->f);
    fputc('\n', p->f);
    if (pr->front_status != HC_OK)
        fprintf(p->f, "  second camera: %s\n", pr->front_reason);
    fprintf(p->f, "  time offset: %+.3f s (%+.1f frames)", pr->offset_s, pr->offset_frames);
    if (pr->offset_given)
        fputs(", as given", p->f);
    else if (pr->not_aligned)
        fputs(", not measured: a clip without a lifter or a rep", p->f);
    else {
        fprintf(p->f, ", from the movement: correlation %.2f", pr->peak_corr);
        if (isfinite(pr->second_corr))
            fprintf(p->f, ", next best %.2f", pr->second_corr);
        if (!pr->sure)
            on(p, C_YELLOW);
        fputs(pr->sure ? " (sure)" : " (unsure: check it, or give --offset SEC)", p->f);
        if (!pr->sure)
            off(p);
    }
    fprintf(p->f, "; %zu of %zu reps matched (%zu in the second clip)\n", pr->n_matched,
            pr->n_side_reps, pr->n_front_reps);
}

static void print_header(const struct pen *p, const struct report_input *in)
{
    const struct rules_result *res = in->res;
    const struct kin_series *ks = in->ks;
    /* file names as they are, but with control bytes escaped (hc_escape_ctl) */
    char name[1024], source[1024];
    hc_escape_ctl(name, sizeof name, base_name(in->path));
    hc_escape_ctl(source, sizeof source, base_name(in->source));
    on(p, C_BOLD);
    fprintf(p->f, "hingecheck: %s", name);
    off(p);
    if (in->from_track)
        fprintf(p->f, " (re-scored pose track%s%s)", in->source[0] ? " of " : "", source);
    fputc('\n', p->f);
    if (res) {
        fprintf(p->f, "  exercise: %s", rules_lift_name(res->detected));
        if (in->requested == REPS_LIFT_AUTO && res->n_reps > 0)
            fprintf(p->f, " (recognised: %s)", res->detect_reason);
        else if (in->requested == REPS_LIFT_AUTO)
            fputs(" (assumed: nothing to recognise it from)", p->f);
        fputc('\n', p->f);
    }
    fprintf(p->f, "  view: %s", kin_view_name(ks ? ks->view : KIN_VIEW_UNKNOWN));
    if (ks && isfinite(ks->view_angle_deg))
        fprintf(p->f, " (%.0f deg from side-on)", ks->view_angle_deg);
    if (ks && ks->side != KIN_SIDE_UNKNOWN)
        fprintf(p->f, ", %s side towards the camera", kin_side_name(ks->side));
    fprintf(p->f, "; %lld of %lld frames with the lifter found\n", (long long)in->n_with_pose,
            (long long)in->n_frames);
    print_pair(p, in);
    print_implement(p, in);
    char note[640];
    if (report_damage_note(in, note, sizeof note)) {
        on(p, C_YELLOW);
        fprintf(p->f, "  damaged file: %s", note);
        off(p);
        fputs("; reps marked ! overlap them\n", p->f);
    }
}

static void print_set(const struct pen *p, const struct rules_result *res)
{
    fputc('\n', p->f);
    on(p, C_BOLD);
    fputs("Set: ", p->f);
    off(p);
    on(p, score_color(res->set_score));
    if (isfinite(res->set_score))
        fprintf(p->f, "%.0f/100 %s", res->set_score, report_verdict(res->set_score));
    else if (res->unscored_reason[0])
        fprintf(p->f, "not scored, %s", res->unscored_reason);
    else
        fputs("not scored", p->f); /* never "nan" in front of a user */
    off(p);
    fprintf(p->f, " - %zu rep%s", res->n_reps, res->n_reps == 1 ? "" : "s");
    if (res->n_full != res->n_reps)
        fprintf(p->f, " (%zu partial)", res->n_reps - res->n_full);
    if (res->n_scored != res->n_reps)
        fprintf(p->f, ", %zu scored", res->n_scored);
    if (isfinite(res->consistency))
        fprintf(p->f, ", consistency %.0f/100", res->consistency);
    if (isfinite(res->fatigue_trend) && res->n_full >= 3)
        fprintf(p->f, ", trend %+.1f points/rep%s", res->fatigue_trend,
                res->fatigue_trend <= -3.0 ? " (form breaking down)" : "");
    fputc('\n', p->f);
    /* a single-leg set: the reps per standing leg, and which reps */
    if (res->n_stand_left + res->n_stand_right > 0) {
        fputs("  standing leg:", p->f);
        for (int sd = KIN_SIDE_LEFT; sd <= KIN_SIDE_RIGHT; sd++) {
            const size_t cnt = sd == KIN_SIDE_LEFT ? res->n_stand_left : res->n_stand_right;
            fprintf(p->f, "%s %s %zu rep%s", sd == KIN_SIDE_LEFT ? "" : ";", kin_side_name(sd),
                    cnt, cnt == 1 ? "" : "s");
            const char *sep = " (";
            for (size_t r = 0; r < res->n_reps; r++)
                if ((int)res->reps[r].stand == sd) {
                    fprintf(p->f, "%s%d", sep, res->reps[r].index);
                    sep = ", ";
                }
            if (cnt)
                fputc(')', p->f);
        }
        fputc('\n', p->f);
    }
    if (isfinite(res->velocity_loss_pct))
        fprintf(p->f, "  bar speed rising: fastest rep %.2f m/s, last rep %.2f m/s (%.0f%% lost)\n",
                res->bar_speed_best_mps, res->bar_speed_last_mps, res->velocity_loss_pct);
    /* a verdict reads for the whole clip: say when a rep outside the score has faults */
    size_t n_out = 0;
    for (size_t r = 0; r < res->n_reps; r++) {
        if (res->reps[r].in_set_score)
            continue;
        const size_t w = report_rep_worst(res, r);
        n_out += w != (size_t)-1 && res->findings[w].severity >= RULES_WARNING;
    }
    if (n_out)
        fprintf(p->f, "  %zu rep%s outside the set score (partial or not scored) ha%s warnings "
                      "or errors: see the rep table\n",
                n_out, n_out == 1 ? "" : "s", n_out == 1 ? "s" : "ve");
}

static void print_cues(const struct pen *p, const struct rules_result *res)
{
    size_t idx[3];
    int cnt[3];
    const size_t n = report_top_cues(res, idx, cnt, 3);
    fputc('\n', p->f);
    on(p, C_BOLD);
    fputs(n ? "Top cues" : "Top cues: none - every assessed rule was within range", p->f);
    off(p);
    fputc('\n', p->f);
    for (size_t k = 0; k < n; k++) {
        const struct rules_finding *f = &res->findings[idx[k]];
        /* The label is the severity most of the cue's reps got (ties: the worse), the others
         * named after the count: "warning bar-drift (9 of 10 reps; error on rep 9)". Labelling
         * the cue with its worst finding alone called nine warnings and one error "error". */
        int n_sev[3] = {0, 0, 0};
        for (size_t i = 0; i < res->first_set_finding && i < res->n_findings; i++) {
            const struct rules_finding *g = &res->findings[i];
            if (g->rep != 0 && !g->about && strcmp(g->rule, f->rule) == 0 &&
                (unsigned)g->severity < 3)
                n_sev[g->severity]++;
        }
        const enum rules_severity label =
            n_sev[RULES_ERROR] >= n_sev[RULES_WARNING] && n_sev[RULES_ERROR] > 0 ? RULES_ERROR
            : n_sev[RULES_WARNING] > 0                                           ? RULES_WARNING
                                                                                 : f->severity;
        fprintf(p->f, "  %zu. ", k + 1);
        on(p, severity_color(label));
        fprintf(p->f, "%s: %s", rules_severity_name(label), report_rule_title(f->rule));
        off(p);
        fprintf(p->f, " (%d of %zu rep%s", cnt[k], res->n_reps, res->n_reps == 1 ? "" : "s");
        for (int sv = RULES_ERROR; sv >= RULES_WARNING; sv--) {
            if (sv == (int)label || n_sev[sv] == 0)
                continue;
            fprintf(p->f, "; %s on rep%s", rules_severity_name((enum rules_severity)sv),
                    n_sev[sv] == 1 ? "" : "s");
            int shown = 0;
            for (size_t i = 0; i < res->first_set_finding && i < res->n_findings; i++) {
                const struct rules_finding *g = &res->findings[i];
                if (g->rep == 0 || g->about || (int)g->severity != sv ||
                    strcmp(g->rule, f->rule) != 0)
                    continue;
                if (shown < 5)
                    fprintf(p->f, shown ? ", %d" : " %d", g->rep);
                else if (shown == 5)
                    fputs(", ...", p->f);
                shown++;
            }
        }
        fprintf(p->f, ")\n     %s\n     Fix: %s\n", f->message, f->fix);
    }
}

/* The rep table's legend: what each column is, in the units and conventions shown. The values
 * are the ones the rules judge (the bar column is the bar-drift rule's measure). */
static void print_legend(const struct pen *p, const struct report_input *in)
{
    const struct rules_result *res = in->res;
    const enum kin_spine_source sp = in->ks ? in->ks->spine_source : KIN_SPINE_NONE;
    on(p, C_DIM);
    fputs("  depth: hip angle at the bottom, between trunk and thigh (180 = standing tall)\n"
          "  knee: knee bend at the bottom (0 = straight leg)\n", p->f);
    fprintf(p->f, "  spine: largest back rounding under load, %% of the hip-shoulder length "
                  "(+ rounded, - arched)%s\n",
            sp == KIN_SPINE_MASK    ? "; read from the body's outline"
            : sp == KIN_SPINE_PROXY ? "; read from the landmarks (no outline)"
                                    : "");
    fputs(report_judged_metric(in, "bar-drift", RM_BAR_DRIFT) == RM_BAR_DRIFT
              ? "  bar: how far the bar got from the body (ahead of mid-foot and off the legs), cm\n"
              : "  bar: how far the weight got ahead of mid-foot, cm\n",
          p->f);
    fputs("  lower, rise: seconds lowering and rising; score: 100 less each finding's points\n"
          "  (+N): N more findings on the rep\n", p->f);
    const int cons = isfinite(res->consistency), trend = isfinite(res->fatigue_trend) &&
                                                            res->n_full >= 3;
    if (cons)
        fputs("  consistency: how alike the reps are (100 = the same every rep)", p->f);
    if (trend)
        fputs(cons ? "; trend: score change per rep" : "  trend: score change per rep", p->f);
    if (cons || trend)
        fputc('\n', p->f);
    off(p);
}

static void print_reps(const struct pen *p, const struct report_input *in)
{
    const struct rules_result *res = in->res;
    const enum rules_metric bar = report_judged_metric(in, "bar-drift", RM_BAR_DRIFT);
    FILE *f = p->f;
    int n_damaged = 0;
    fputc('\n', f);
    on(p, C_BOLD);
    fputs("rep   depth  knee  spine   bar  lower  rise  score  worst finding", f);
    off(p);
    on(p, C_DIM);
    fputs("\n        deg   deg      %    cm      s     s", f);
    off(p);
    fputc('\n', f);
    for (size_t r = 0; r < res->n_reps; r++) {
        const struct rules_rep_result *rp = &res->reps[r];
        char dmg[512];
        const int damaged = report_rep_damage(in, r, dmg, sizeof dmg) > 0;
        n_damaged += damaged;
        fprintf(f, "%3d%s", rp->index, damaged ? "!" : rp->partial ? "*" : " ");
        cell(f, 6, rp->metrics[RM_HIP_ANGLE_BOTTOM], 0);
        cell(f, 5, rp->metrics[RM_KNEE_FLEXION_BOTTOM], 0);
        const double spine = 100.0 * rp->metrics[RM_SPINE_CURVATURE_MAX];
        if (isfinite(spine))
            fprintf(f, " %+6.0f", spine);
        else
            fprintf(f, " %6s", "-");
        cell(f, 5, rp->metrics[bar], 1);
        cell(f, 6, rp->metrics[RM_LOWERING_S], 1);
        cell(f, 5, rp->metrics[RM_RISING_S], 1);
        fputs("  ", f);
        on(p, score_color(rp->score));
        if (isfinite(rp->score))
            fprintf(f, "%5.0f", rp->score);
        else
            fprintf(f, "%5s", "-");
        off(p);
        fputs("  ", f);
        const size_t w = report_rep_worst(res, r);
        if (w == (size_t)-1) {
            fputs("-", f);
        } else {
            const struct rules_finding *fd = &res->findings[w];
            on(p, severity_color(fd->severity));
            fprintf(f, "%s: %s", rules_severity_name(fd->severity), report_rule_title(fd->rule));
            off(p);
            size_t more = 0;
            for (size_t k = 0; k < rp->n_findings; k++)
                more += res->findings[rp->first_finding + k].severity != RULES_INFO;
            if (more > 1)
                fprintf(f, " (+%zu)", more - 1);
        }
        char why[96];
        if (report_rep_unscored(rp, why, sizeof why))
            fprintf(f, "; %s", why);
        if (damaged)
            fprintf(f, "; %s", dmg);
        fputc('\n', f);
    }
    if (n_damaged)
        fputs("  ! damaged: the rep overlaps frames that could not be decoded; its measures "
              "are made without them\n", f);
    if (res->n_full != res->n_reps)
        fputs("  * partial rep: cut by the start or end of the clip, or a swing's first upswing "
              "out of the hike\n", f);
}

/* The "Notes" heading, before the first note only. */
static void notes_header(const struct pen *p, int *header)
{
    if ((*header)++)
        return;
    fputc('\n', p->f);
    on(p, C_BOLD);
    fputs("Notes", p->f);
    off(p);
    fputc('\n', p->f);
}

static void print_notes(const struct pen *p, const struct rules_result *res)
{
    int header = 0;
    for (size_t k = 0; k < res->n_set_findings; k++) {
        const struct rules_finding *f = &res->findings[res->first_set_finding + k];
        notes_header(p, &header);
        on(p, severity_color(f->severity));
        fprintf(p->f, "  %s: %s", rules_severity_name(f->severity), report_rule_title(f->rule));
        off(p);
        fprintf(p->f, ": %s\n     Fix: %s\n", f->message, f->fix);
    }
    /* not assessable: one line per rule, with the reps */
    int n_na = 0; /* not-assessable lines: the legend below explains them */
    for (size_t i = 0; i < res->first_set_finding; i++) {
        const struct rules_finding *f = &res->findings[i];
        if (!f->about)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = res->findings[j].about && strcmp(res->findings[j].about, f->about) == 0;
        if (seen)
            continue;
        notes_header(p, &header);
        n_na++;
        on(p, C_DIM);
        fprintf(p->f, "  not assessable: %s (reps", report_rule_title(f->about));
        int n = 0;
        for (size_t j = i; j < res->first_set_finding; j++)
            if (res->findings[j].about && strcmp(res->findings[j].about, f->about) == 0)
                fprintf(p->f, n++ ? ", %d" : " %d", res->findings[j].rep);
        fputs(")", p->f);
        /* why, in words: each distinct reason of the rule's reps once */
        int nr = 0;
        for (size_t j = i; j < res->first_set_finding; j++) {
            const struct rules_finding *g = &res->findings[j];
            if (!g->about || !g->reason || strcmp(g->about, f->about) != 0)
                continue;
            int dup = 0;
            for (size_t q = i; q < j && !dup; q++)
                dup = res->findings[q].about && res->findings[q].reason &&
                      strcmp(res->findings[q].about, f->about) == 0 &&
                      strcmp(res->findings[q].reason, g->reason) == 0;
            if (!dup)
                fprintf(p->f, "%s%s", nr++ ? ", " : ": ", g->reason);
        }
        off(p);
        fputc('\n', p->f);
    }
    /* borderline: a value within its uncertainty of a limit, one line per finding */
    int n_border = 0;
    for (size_t i = 0; i < res->first_set_finding; i++) {
        const struct rules_finding *f = &res->findings[i];
        if (!f->borderline)
            continue;
        n_border++;
        notes_header(p, &header);
        on(p, C_DIM);
        char v[160];
        report_format_borderline(f, v, sizeof v);
        fprintf(p->f, "  borderline: rep %d %s: %s\n", f->rep, report_rule_title(f->rule), v);
        off(p);
    }
    if (n_na)
        fprintf(p->f, "  %s\n", "Not assessable = the joints a rule needs were hidden or unclear; "
                                "film side-on, whole body in view.");
    if (n_border)
        fprintf(p->f, "  %s\n", "Borderline = the value is within its measurement uncertainty of "
                                "the limit: no points lost, no fault claimed.");
}

static enum hc_status text_write(const struct report_input *in, const struct report_options *o,
                                FILE *f)
{
    const struct pen p = {f, o->color};
    print_header(&p, in);
    if (in->status != HC_OK || !in->res) {
        fputc('\n', f);
        on(&p, C_RED);
        fputs(in->status == HC_ERR_NO_POSE ? "No lifter found" : "No rep found", f);
        off(&p);
        fprintf(f, ": %s\n", in->reason && in->reason[0] ? in->reason : hc_strerror(in->status));
        if (in->res)
            print_notes(&p, in->res);
    } else {
        print_set(&p, in->res);
        print_cues(&p, in->res);
        print_reps(&p, in);
        print_legend(&p, in);
        print_notes(&p, in->res);
    }
    if (ferror(f))
        return hc_fail(HC_ERR_IO, "%s: cannot write the text report", in->path);
    return HC_OK;
}

const struct report_format report_format_text = {
    .name = "text",
    .ext = "txt",
    .flag = NULL, /* printed on stdout unless another format takes it or --quiet */
    .help = "the coaching summary: set verdict, top cues with fixes, per-rep table, notes",
    .flags = REPORT_STDOUT,
    .write = text_write,
};
