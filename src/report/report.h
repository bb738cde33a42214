/*
 * report.h - the analysis report writers (text, JSON, CSV; later HTML) and what they are written
 * from (internal).
 *
 * Usage (the driver, src/analysis.c, fills a report_input and picks a writer by name):
 *
 *     const struct report_writer *w = report_writer_find("json");
 *     if (!w) return HC_ERR_INVALID_ARG;
 *     enum hc_status st = w->write(&in, &opts, stdout);
 *
 * Adding a format = one report_<name>.c file with its write function + one row in the table in
 * report_common.c (STYLE.md section 6). Writers never change the input, so several may run on
 * the same result from different threads. Field meanings and the JSON contract: docs/REPORT.md.
 */
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include "core/core.h"
#include "rules/rules.h"

#include <stdio.h>

/* JSON schema version of the --json report: bumped when a key is removed or changes meaning
 * (adding keys does not bump it). docs/report.schema.json carries the same number. */
#define REPORT_SCHEMA_VERSION 1

/* Everything a report shows about one clip. Pointers are borrowed from the analysis result. */
struct report_input {
    const char *path;              /* what was analysed: the video, or the track file */
    const char *source;            /* the video a track came from ("" unknown); = path for video */
    int from_track;                /* 1: re-scored from a saved pose track */
    int width_px, height_px;
    double fps, duration_s;
    int64_t n_frames, n_with_pose;
    const char *model;             /* landmark model: "lite"|"full"|"heavy"|what the track says */
    int smooth;                    /* landmark smoothing was on */
    const char *rules_name;        /* "built-in" or the rules file */
    enum reps_lift requested;
    enum hc_status status;         /* HC_OK, HC_ERR_NO_POSE, HC_ERR_NO_REPS */
    const char *reason;            /* why status is not HC_OK ("" when it is) */
    const struct kin_series *ks;   /* may be NULL (then no series) */
    const struct reps_result *rr;  /* may be NULL */
    const struct rules_result *res;/* may be NULL (no lifter: nothing was evaluated) */
    const struct rules_set *rs;    /* the rule table used (target bands for charts) */
    double start_s, end_s;         /* the analysed range of the video (0, 0: whole clip) */
    double pose_s, analysis_s;     /* timings (wall s): pose stage (NaN for tracks), kin..rules */
};

struct report_options {
    int color;          /* text: ANSI colours */
    int series;         /* json: per-frame series */
    int deterministic;  /* drop timings and versions */
};

struct report_writer {
    const char *name;   /* "text", "json", "csv" */
    const char *ext;    /* file name extension: "txt", "json", "csv" */
    enum hc_status (*write)(const struct report_input *in, const struct report_options *o,
                            FILE *f);
};

/* The writer table, NULL-terminated by name == NULL. */
extern const struct report_writer report_writers[];
/* The writers' names joined by '|' ("text|json|csv"); a test checks it matches the table. */
extern const char report_format_names[];
const struct report_writer *report_writer_find(const char *name);

/* The writers (one per file). HC_ERR_IO when the stream fails, HC_ERR_NOMEM. */
enum hc_status report_write_text(const struct report_input *in, const struct report_options *o,
                                 FILE *f);
enum hc_status report_write_json(const struct report_input *in, const struct report_options *o,
                                 FILE *f);
enum hc_status report_write_csv(const struct report_input *in, const struct report_options *o,
                                FILE *f);

/* The JSON report as a cJSON tree (for writers that embed it, e.g. HTML); NULL when out of
 * memory. Free with cJSON_Delete. */
struct cJSON;
struct cJSON *report_json_build(const struct report_input *in, const struct report_options *o);

/* ---- helpers shared by the writers ------------------------------------------------------- */

/* The top coaching cues: distinct rule ids of warning/error findings of reps, ranked by worst
 * severity, then by how many reps have them, then by first appearance. Fills up to max entries
 * of out with an index into res->findings of a representative finding (the worst, earliest);
 * returns how many. *n_reps_out[k] (may be NULL) gets the number of reps with cue k. */
size_t report_top_cues(const struct rules_result *res, size_t *out, int *n_reps_out, size_t max);

/* The worst finding of rep r (0-based into res->reps) that is not a note: index into
 * res->findings, or (size_t)-1 when the rep has none. */
size_t report_rep_worst(const struct rules_result *res, size_t r);

/* The worst severity over all findings (rep and set); -1 when there is none. */
int report_worst_severity(const struct rules_result *res);

/* "excellent" / "good" / "needs work" / "poor" for a set score; "no reps" for NaN. Score bands
 * are a project choice (docs/REPORT.md). */
const char *report_verdict(double score);

/* Human-readable expected range, e.g. "70-110 deg", "<= 5 cm", ">= 1.2 s". */
void report_format_expected(double min, double max, const char *unit, char *buf, size_t n);

#endif /* HC_REPORT_H */
