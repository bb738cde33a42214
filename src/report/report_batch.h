/*
 * report_batch.h - the batch's per-clip rows (internal; src/pipeline/batch.c): read a clip's JSON report
 * back into a summary row, write the report of a clip that failed, write summary.csv and
 * summary.jsonl. Here because cJSON's includers are the report and rules modules (STYLE.md).
 *
 *     struct report_batch_row row;
 *     if (report_batch_read("out/set1.mp4.json", &row) == HC_OK) ...;   // row.status "ok", ...
 *     report_batch_write_summary(rows, n, "out/summary.csv", "out/summary.jsonl");
 */
#ifndef HC_REPORT_BATCH_H
#define HC_REPORT_BATCH_H

#include "core/core.h"

#include <stddef.h>

/* One clip of the summary. Columns and keys: docs/BATCH.md. */
struct report_batch_row {
    char clip[1024];     /* the report name ("day1/set2.mp4"); set by the caller */
    char file[4096];     /* the clip as analysed (status.clip.path of the report) */
    char status[16];     /* "ok" | "no-pose" | "no-reps" | "failed" */
    int exit_code;       /* what `hingecheck analyse` exits with for this clip */
    char exercise[32];   /* detected lift; "" when none */
    int n_reps;
    double score;        /* set score 0-100; NaN without reps */
    int worst;           /* worst finding: -1 none, 0 info, 1 warning, 2 error */
    char cues[3][64];    /* top cue rule ids; "" when fewer */
    char message[1024];  /* why not ok ("" when ok) */
    long long frames_skipped; /* frames of a damaged file that could not be decoded (0: intact) */
    char damage[640];    /* those frames in words ("" when intact) */
};

/* Reads the summary fields of a per-clip report (a JSON report, or a failure report). Leaves
 * row->clip alone. HC_ERR_IO (missing, unreadable), HC_ERR_FORMAT (not a hingecheck report). */
enum hc_status report_batch_read(const char *report_path, struct report_batch_row *row);

/* Writes the report of a clip that could not be analysed (temporary name + rename):
 * {"schema_version", "status": {"code": "failed", "exit_code", "message", "error"},
 *  "clip": {"path"}}. HC_ERR_IO. */
enum hc_status report_batch_write_failure(const char *report_path, const char *clip_path,
                                          enum hc_status st, const char *message);

/* Replaces csv_path and jsonl_path (each written to a temporary name and renamed) with one
 * row / line per entry of rows. HC_ERR_IO, HC_ERR_NOMEM. */
enum hc_status report_batch_write_summary(const struct report_batch_row *rows, size_t n,
                                          const char *csv_path, const char *jsonl_path);

#endif /* HC_REPORT_BATCH_H */
