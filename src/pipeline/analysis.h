/*
 * analysis.h - the pipeline driver's internals for other writers and drivers (batch, HTML,
 * overlay video). The public API is the analysis section of include/hingecheck.h; this header
 * hands out the pieces a writer needs beyond it.
 *
 * Usage:
 *
 *     struct hc_analysis *an = NULL;
 *     if (hc_analyse_file(path, &p, &an) != HC_OK) ...;
 *     const struct report_input *in = analysis_report_input(an); // poses, kin, reps, rules
 *     ... write a report from in ...
 *     hc_analysis_free(an);
 */
#ifndef HC_ANALYSIS_H
#define HC_ANALYSIS_H

#include "hingecheck.h"
#include "pipeline/pipeline.h"
#include "report/report.h"

/* What every report is written from; borrowed until hc_analysis_free. */
const struct report_input *analysis_report_input(const struct hc_analysis *a);


#endif /* HC_ANALYSIS_H */
