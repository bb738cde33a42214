/* report_csv.c - the --csv report: a header line, then one row per rep (RFC 4180 quoting).
 *
 * Columns: clip, exercise, rep, partial, t_start, t_bottom, t_end, score, every per-rep metric
 * (rules_metric_name order; empty when not measurable), n_warnings, n_errors, worst (rule id of
 * the worst finding), findings (rule ids, ';'-separated), borderline (rule ids of the borderline
 * notes: values within their uncertainty of a limit, ';'-separated), damaged (1: the rep overlaps
 * frames of a damaged file that could not be decoded), damage (those frames in words); with two
 * cameras (--front) also front_rep, front_t_start, front_t_end (the front clip's rep matched to
 * the row's rep, on the front clip's clock; empty when none). A clip
 * without reps writes the header only, so row count = reps (docs/REPORT.md). */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A text cell (hc_csv_cell: RFC 4180 quoting, formulas neutralised); numbers use put_num. */
static void put_field(FILE *f, const char *s)
{
    char *cell = hc_csv_cell(s);
    if (!cell) {
        fputs("?", f); /* out of memory: a cell that cannot be mistaken for the text */
        return;
    }
    fputs(cell, f);
    free(cell);
}

static void put_num(FILE *f, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, ",%.*f", decimals, v);
    else
        fputc(',', f);
}

static enum hc_status csv_write(const struct report_input *in, const struct report_options *o,
                               FILE *f)
{
    (void)o;
    const struct rules_result *res = in->res;
    fputs("clip,exercise,rep,partial,t_start,t_bottom,t_end,score", f);
    for (int k = 0; k < RM_N_METRICS; k++)
        fprintf(f, ",%s", rules_metric_name((enum rules_metric)k));
    fputs(",n_warnings,n_errors,worst,findings,borderline,damaged,damage", f);
    /* two cameras: the front clip's rep matched to each row's rep, and its times */
    const struct report_pair *pr = in->pair;
    fputs(pr ? ",front_rep,front_t_start,front_t_end\n" : "\n", f);
    for (size_t r = 0; res && r < res->n_reps; r++) {
        const struct rules_rep_result *rp = &res->reps[r];
        put_field(f, in->path);
        fputc(',', f);
        put_field(f, rules_lift_name(res->detected));
        fprintf(f, ",%d,%d", rp->index, rp->partial ? 1 : 0);
        put_num(f, rp->t_start_s, 3);
        put_num(f, rp->t_bottom_s, 3);
        put_num(f, rp->t_end_s, 3);
        put_num(f, rp->score, 1);
        for (int k = 0; k < RM_N_METRICS; k++)
            put_num(f, rp->metrics[k], 3);
        int n_sev[3] = {0, 0, 0};
        for (size_t k = 0; k < rp->n_findings; k++)
            n_sev[res->findings[rp->first_finding + k].severity]++;
        fprintf(f, ",%d,%d,", n_sev[RULES_WARNING], n_sev[RULES_ERROR]);
        const size_t w = report_rep_worst(res, r);
        put_field(f, w == (size_t)-1 ? "" : res->findings[w].rule);
        fputc(',', f);
        /* rule ids without notes; ';' never appears in an id */
        int first = 1;
        for (size_t k = 0; k < rp->n_findings; k++) {
            const struct rules_finding *fd = &res->findings[rp->first_finding + k];
            if (fd->severity == RULES_INFO)
                continue;
            fprintf(f, "%s%s", first ? "" : ";", fd->rule);
            first = 0;
        }
        fputc(',', f);
        first = 1;
        for (size_t k = 0; k < rp->n_findings; k++) {
            const struct rules_finding *fd = &res->findings[rp->first_finding + k];
            if (!fd->borderline)
                continue;
            fprintf(f, "%s%s", first ? "" : ";", fd->rule);
            first = 0;
        }
        char dmg[512];
        fprintf(f, ",%d,", report_rep_damage(in, r, dmg, sizeof dmg) > 0);
        put_field(f, dmg);
        if (pr) {
            const int k = pr->match && r < pr->n_side_reps ? pr->match[r] : -1;
            const struct reps_rep *b = k >= 0 && pr->front_rr && (size_t)k < pr->front_rr->n_reps
                                           ? &pr->front_rr->reps[k]
                                           : NULL;
            if (b)
                fprintf(f, ",%d", b->index);
            else
                fputc(',', f);
            put_num(f, b ? b->t_start_s : NAN, 3);
            put_num(f, b ? b->t_end_s : NAN, 3);
        }
        fputc('\n', f);
    }
    if (ferror(f))
        return hc_fail(HC_ERR_IO, "%s: cannot write the CSV report; check the disk", in->path);
    return HC_OK;
}

const struct report_format report_format_csv = {
    .name = "csv",
    .ext = "csv",
    .flag = "csv",
    .metavar = "FILE",
    .help = "also write one CSV row per rep to FILE (- for stdout: replaces the text)",
    .flags = REPORT_STDOUT,
    .write = csv_write,
};
