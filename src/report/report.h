/*
 * report.h - the analysis report formats (text, JSON, CSV, HTML, overlay video) and what they are
 * written from (internal).
 *
 * Usage (the driver, src/pipeline/pipeline.c, fills a report_input and picks a format by name):
 *
 *     const struct report_format *fmt = report_format_find("json");
 *     if (!fmt || !fmt->write) return HC_ERR_INVALID_ARG;
 *     enum hc_status st = fmt->write(&in, &opts, stdout);
 *
 * Adding a format = one report_<name>.c file ending in its descriptor (const struct report_format
 * report_format_<name> = {...}) + one row in report_formats[] (report_common.c). That table drives
 * the analysis command's output options and their --help lines, batch's per-clip outputs,
 * hc_report_formats() and docs/REPORT.md's list (a test checks the list). Writers take results
 * only: they never decode or encode video; the driver's render pass (src/pipeline/pass_render.c)
 * decodes the clip for the formats that show it and hands them frames or encoded key frames.
 * Writers never change the input, so several may run on the same result from different threads.
 * Field meanings and the JSON contract: docs/REPORT.md.
 */
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include "core/core.h"
#include "rules/rules.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* JSON schema version of the --json report: bumped when a key is removed or changes meaning
 * (adding keys does not bump it). docs/report.schema.json carries the same number. */
#define REPORT_SCHEMA_VERSION 1

struct hc_pose_frame;

/* A rep's key frame for the HTML page: the bottom of the rep cut from the clip with the skeleton
 * drawn on (report_keyframe_draw), encoded as JPEG by the render pass. */
struct report_keyframe {
    const uint8_t *jpeg; /* NULL: none (that rep's frame never came) */
    size_t len;
    int width_px, height_px;
};

/* Everything a report shows about one clip. Pointers are borrowed from the analysis result. */
/* The implement the clip was judged with and where it came from (docs/REPORT.md, "implement"). */
struct report_implement {
    enum kin_implement kind;      /* the clip's implement (kin_series.implement) */
    enum kin_implement_source source;
    double confidence;            /* 0-1; NaN when there is none to give (the hands, none) */
    const char *evidence;         /* in words; "" when none */
    const char *image_kind;       /* what the image showed (src/implement's verdict: "none",
                                     "unknown", "barbell", ...); NULL: no image (a pose track) */
    double image_confidence;      /* that verdict's confidence; NaN without an image */
    double share_found;           /* share of analysed frames with the image's kind found; NaN */
    double plate_diameter_px;     /* the image saw a barbell: median plate diameter; else NaN */
    double px_per_cm;             /* ... and the image scale from the plate; else NaN */
};

/* Two cameras of one set (src/pipeline/pair.c): the front clip, the time offset between the
 * clips and how sure it is, and which front rep each rep of the side clip was matched to. */
struct report_pair {
    const char *front_path;        /* the front (rear, oblique) clip */
    double front_fps;
    int64_t front_n_frames;
    enum kin_view front_view;
    double front_view_angle_deg;
    enum hc_status front_status;   /* HC_OK, HC_ERR_NO_POSE, HC_ERR_NO_REPS */
    const char *front_reason;      /* why front_status is not HC_OK ("" when it is) */
    int offset_given;              /* 1: --offset; 0: measured */
    int not_aligned;               /* 1: a clip without a lifter or a rep: offset_s 0, not
                                      measured */
    double offset_s;               /* the front clip's time minus the side clip's, s */
    double offset_frames;          /* offset_s in frames of the side clip */
    double peak_corr;              /* measured: the correlation at the offset; else NaN */
    double second_corr;            /* ... at the next best lag (most often one rep off); NaN */
    double second_ratio;           /* second_corr / peak_corr; NaN */
    int sure;                      /* a clear peak (>= 0.6) and a lower second (<= 0.97 of it) */
    size_t n_side_reps, n_front_reps, n_matched;
    int *match;                    /* per side rep: its front rep's index (0-based), -1 none */
    const struct reps_result *front_rr; /* the front clip's reps (times on its own clock) */
};

struct report_input {
    const char *path;              /* what was analysed: the video, or the track file */
    const char *source;            /* the video a track came from ("" unknown); = path for video */
    int from_track;                /* 1: re-scored from a saved pose track */
    const char *video;             /* video: the file decoded when not path (a copy of stdin) */
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
    const struct rules_set *rs;    /* the rule table used (the charts' expected ranges); may be
                                      NULL */
    double start_s, end_s;         /* the analysed range of the video (0, 0: whole clip) */
    double pose_s, analysis_s;     /* timings (wall s): pose stage (NaN for tracks), kin..rules */
    /* The tracked poses, n_frames of them: entry i is entry i of ks and of rr's per-frame arrays.
     * May be NULL when n_frames is 0. */
    const struct hc_pose_frame *frames;
    /* One per rep of rr, filled by the render pass for formats with REPORT_KEYFRAMES; NULL:
     * none (the page then has no key frames section). */
    const struct report_keyframe *keyframes;
    /* One per finding of res (res->n_findings), filled by the render pass like keyframes: the
     * frame of a rep finding's worst moment with the fault drawn (report_fault_draw); jpeg NULL
     * for a finding without one. NULL: none. */
    const struct report_keyframe *fault_frames;
    /* The video the HTML page plays beside its charts, as a URL relative to the page (the
     * overlay written with it, else the clip); NULL: none. video_is_overlay: 1 for the
     * overlay. */
    const char *video_href;
    int video_is_overlay;
    /* The implement (NULL: the reports say only what kin's series say). */
    const struct report_implement *implement;
    /* What of the video could not be decoded and was skipped (NULL, or no frame skipped: an
     * intact clip; tracks carry none). */
    const struct hc_damage *damage;
    /* Two cameras: the front clip paired with this side clip (NULL: one clip). */
    const struct report_pair *pair;
};

struct report_options {
    int color;          /* text: ANSI colours */
    int series;         /* json: per-frame series */
    int deterministic;  /* drop timings and versions */
    int overlay_size_px; /* the overlay's shorter side at most (hc_report_options; 0: default) */
};

/* What a format needs beyond the results (report_format.flags). */
enum {
    REPORT_STDOUT = 1,    /* "-" as the path writes it to stdout, in place of the text summary */
    REPORT_KEYFRAMES = 2, /* write() shows in->keyframes, cut from the clip by the render pass */
};

/* One output format. Exactly one of write and draw_frame is set. */
struct report_format {
    const char *name;    /* "json": what hc_analysis_write and hc_report_formats() call it */
    const char *ext;     /* file name extension: "json" (batch names its outputs <clip>.<ext>) */
    const char *flag;    /* the analysis command's option: "json" is --json FILE; NULL: none (the
                            text summary, printed on stdout) */
    const char *metavar; /* the option's value in --help: "FILE" */
    const char *help;    /* the option's --help line */
    unsigned flags;      /* REPORT_STDOUT | REPORT_KEYFRAMES */
    int batch;           /* batch mode: 1 written for every clip (its record: resume and the
                            summary read it), 2 written when asked (batch --html), 0 never */
    /* A document: the whole report into an open stream. HC_ERR_IO when the stream fails,
     * HC_ERR_NOMEM. */
    enum hc_status (*write)(const struct report_input *in, const struct report_options *o,
                            FILE *f);
    /* A video: draws the annotations of analysed frame i (REPORT_NO_FRAME: a frame the analysis
     * has not seen) on one decoded RGB24 frame of the clip; the render pass decodes, calls this
     * for every frame in order and encodes the result. */
    void (*draw_frame)(const struct report_input *in, size_t i, uint8_t *rgb, int width_px,
                       int height_px, int stride);
};
#define REPORT_NO_FRAME ((size_t)-1)

/* The formats (one per file) and their table, NULL-terminated. */
extern const struct report_format report_format_text, report_format_json, report_format_csv,
    report_format_html, report_format_overlay;
extern const struct report_format *const report_formats[];
/* The format called `name`, or NULL. */
const struct report_format *report_format_find(const char *name);
/* The formats' names joined by '|' ("text|json|csv|html|overlay"), in table order. */
const char *report_format_names(void);

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
/* The set's verdict: report_verdict of its score; "no reps" without a rep; "not assessable"
 * when it has reps but none was scored (rules_result.unscored_reason says why). */
const char *report_set_verdict(const struct rules_result *res);
/* Why a rep has no score ("not scored: 1 of 4 core checks assessed"), written into buf; NULL
 * when the rep is scored. */
const char *report_rep_unscored(const struct rules_rep_result *rp, char *buf, size_t n);

/* The clip's damage in one line ("19 of 1262 frames could not be decoded and were skipped:
 * frames 411-429 (6.85-7.15 s)") into buf; returns 0 (buf "") for an intact clip. */
int report_damage_note(const struct report_input *in, char *buf, size_t n);
/* The damaged stretches rep r (0-based into res->reps) overlaps or touches, in words ("frames
 * 411-429 (6.85-7.15 s) could not be decoded") into buf; returns how many (0: buf ""). The
 * rep's measures near them are made without those frames. */
int report_rep_damage(const struct report_input *in, size_t r, char *buf, size_t n);

/* Human-readable expected range, e.g. "70-110 deg", "<= 5 cm", ">= 1.2 s". */
void report_format_expected(double min, double max, const char *unit, char *buf, size_t n);
/* A borderline finding's measurement in a coach's words, e.g. "neck extension 26 +- 3 deg
 * against 25 (band 22 to 28)": the value, its uncertainty and the limit it is within the
 * uncertainty of. */
void report_format_borderline(const struct rules_finding *f, char *buf, size_t n);
/* The coach's name of a rule ("bar away from the body" for bar-drift); a rule without one (a
 * --rules file's own) is named by its id. Ids stay in the JSON and CSV reports. */
const char *report_rule_title(const char *id);
/* The coach's name of a per-rep metric ("hip angle at lockout"), and how to show it: the value
 * times *scale in *unit (the spine's curvature fraction as "% of trunk"). Either out pointer may
 * be NULL; an unknown metric is named by itself, scale 1. */
const char *report_metric_title(const char *metric, double *scale, const char **unit);
/* 1 when rules row r judged this set: a row of its lift (any, for a lift not recognised) and of
 * its implement where the row names one. */
int report_rule_applies(const struct report_input *in, const struct rules_rule *r);
/* The metric rule `rule_id` judges on this set (its row for the set's lift and implement: the
 * bar-drift rule reads bar_drift_cm with a barbell, bar_distance_max_cm with a kettlebell), so a
 * report shows the value that was judged; fallback when no row applies. */
enum rules_metric report_judged_metric(const struct report_input *in, const char *rule_id,
                                      enum rules_metric fallback);

/* `hingecheck compare`: two JSON reports of one athlete (before A, after B) side by side in
 * text: per rep, the set, and what improved and what got worse in words (report_compare.c).
 * HC_ERR_IO (a file unreadable or the output failing), HC_ERR_FORMAT (not a JSON report), each
 * with a message naming the file. */
enum hc_status report_compare_write(const char *path_a, const char *path_b, FILE *f);

/* The facts of a probed video (hingecheck probe): text, or one JSON object per file (docs/REPORT.md
 * names the fields); the JSON error object of a file that could not be probed. */
enum hc_status report_probe_write(FILE *f, const char *path, const struct hc_video_info *info,
                                  int json);
enum hc_status report_probe_write_json_error(FILE *f, const char *path, enum hc_status st,
                                             const char *message);

#endif /* HC_REPORT_H */
