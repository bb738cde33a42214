/*
 * rules.h - the hinge rules engine: rule table (data), per-rep metrics, findings, scores
 * (internal, pure; cJSON only to load rule files).
 *
 * Usage:
 *
 *     struct rules_set *rs = NULL;
 *     if (rules_load_default(&rs) != HC_OK) ...;          // or rules_load_file("my.json", &rs)
 *     struct reps_params rp = reps_default_params();
 *     struct reps_result *rr = NULL;
 *     struct rules_result *res = NULL;
 *     enum hc_status st = rules_run(rs, ks, REPS_LIFT_AUTO, &rp, &rr, &res);
 *     for (size_t r = 0; r < res->n_reps; r++) {
 *         const struct rules_rep_result *rep = &res->reps[r];
 *         for (size_t k = 0; k < rep->n_findings; k++)
 *             puts(res->findings[rep->first_finding + k].message);
 *     }
 *     rules_result_free(res); reps_result_free(rr); rules_set_free(rs);
 *
 * The result mirrors the JSON report contract (docs/RULES.md, docs/REPORT.md):
 * set {n_reps, score, consistency, fatigue_trend}, reps [{index, partial, t_start, t_bottom,
 * t_end, score, metrics {...}, findings [...]}], and set-level findings (rep == 0).
 */
#ifndef HC_RULES_H
#define HC_RULES_H

#include "kin/kin.h"
#include "reps/reps.h"
#include "reps/reps_lifts.h"

#include <stddef.h>
#include <stdint.h>

/* The lifts are the rows of the lift table (reps/reps_lifts.h, enum reps_lift); these read it. */
const char *rules_lift_name(enum reps_lift l); /* "auto", "rdl", "deadlift", "good-morning", ... */
int rules_lift_from_name(const char *name);    /* enum value (ids and aliases), or -1 */
/* How reps of a lift start (its row's start); auto decides from the holds. */
enum reps_start rules_lift_start(enum reps_lift l);

enum rules_severity { RULES_INFO = 0, RULES_WARNING = 1, RULES_ERROR = 2 };
const char *rules_severity_name(enum rules_severity s); /* "info", "warning", "error" */

/* Per-rep metrics the rules test (names: rules_metric_name, the keys of rules files and of the
 * report's per-rep "metrics"). docs/RULES.md defines each one and its phase. */
enum rules_metric {
    RM_HIP_ANGLE_BOTTOM = 0,    /* hip_angle_bottom_deg */
    RM_KNEE_FLEXION_BOTTOM,     /* knee_flexion_bottom_deg */
    RM_KNEE_FLEXION_RANGE,      /* knee_flexion_range_deg */
    RM_KNEE_FORWARD_EARLY,      /* knee_forward_early_deg */
    RM_SHIN_ANGLE_BOTTOM,       /* shin_angle_bottom_deg */
    RM_TORSO_INCLINATION_BOTTOM,/* torso_inclination_bottom_deg */
    RM_SPINE_CURVATURE_MAX,     /* spine_curvature_max */
    RM_SPINE_CURVATURE_MIN,     /* spine_curvature_min */
    RM_SPINE_CURVATURE_LOCKOUT, /* spine_curvature_lockout */
    RM_BAR_DISTANCE_MAX,        /* bar_distance_max_cm */
    RM_BAR_LEG_MAX,             /* bar_leg_max_cm */
    RM_HEEL_LIFT_MAX,           /* heel_lift_max_cm */
    RM_NECK_ANGLE_MAX,          /* neck_angle_max_deg */
    RM_LOWERING_S,              /* lowering_s */
    RM_BOTTOM_S,                /* bottom_s */
    RM_RISING_S,                /* rising_s */
    RM_LOWERING_PEAK_DPS,       /* lowering_peak_dps */
    RM_BOTTOM_DWELL_RATIO,      /* bottom_dwell_ratio */
    RM_HIP_ANGLE_LOCKOUT,       /* hip_angle_lockout_deg */
    RM_TORSO_INCLINATION_LOCKOUT, /* torso_inclination_lockout_deg */
    RM_TORSO_DROP_RISING,       /* torso_drop_rising_deg */
    RM_HIP_TRAVEL,              /* hip_travel_cm */
    RM_BAR_DRIFT,               /* bar_drift_cm: the bar away from the body, over the moving
                                   part of the rep: per frame the smaller of its distance ahead
                                   of mid-foot and ahead of the front of the legs; the largest
                                   held for 0.15 s */
    RM_BOTTOM_ARRIVAL_RATIO,    /* bottom_arrival_ratio: hip flexion speed on reaching the
                                   bottom (the last 0.1 s of the lowering, which ends at 90% of
                                   the descent) / the lowering's mean speed: ~0.7 braked, > 1.2
                                   no braking; 0 when the hips do not rebound (come back up)
                                   within 0.5 s; the `bounce` rule's metric */
    RM_KNEE_FLEXION_MID,        /* knee_flexion_mid_deg: median knee flexion while the hips
                                   are between 30% and 60% of the rep's excursion (lowering and
                                   rising; top-start lifts): the bend held as the hips go back,
                                   read before the hands and bar reach the knees (docs/RULES.md);
                                   the `knee-locked` rule's metric */
    RM_BAR_SPEED_RISING,        /* bar_speed_rising_mps: the bar's mean upward speed while rising
                                   (m/s; its height gained over the rising time, from the bar
                                   height's derivative): velocity-based training's mean
                                   concentric velocity; no rule judges it */
    /* frontal (front, rear and oblique views; docs/RULES.md, "Front-view checks"); NaN
     * side-on. Over the moving part of the rep (floor lifts: rising and lowering) */
    RM_KNEE_VALGUS_MAX,         /* knee_valgus_max_deg: the larger of the two knees' frontal
                                   angle held for 0.15 s, + = caving in */
    RM_FOOT_ANGLE_MAX,          /* foot_angle_max_deg: the larger of the two feet's mean
                                   angle, + = toes out */
    RM_STANCE_HIP,              /* stance_hip_ratio: mean ankle gap / hip joints' distance */
    RM_STANCE_SHOULDER,         /* stance_shoulder_ratio: ... / shoulder joints' distance */
    RM_HIP_SHIFT_MAX,           /* hip_shift_max_cm: the pelvis's largest sideways shift over
                                   the feet held for 0.15 s, from its standing place */
    RM_TRUNK_TWIST_MAX,         /* trunk_twist_max_deg: the largest twist of the shoulders
                                   against the hips held for 0.15 s, from standing */
    /* single-leg sets (kin_series.single_leg; docs/RULES.md, "Single-leg RDL"); NaN on
     * two-legged sets */
    RM_STANCE_KNEE_VALGUS_MAX,  /* stance_knee_valgus_max_deg: the standing knee's frontal angle
                                   held for 0.15 s, + = inside the hip-ankle line (frontal) */
    RM_PELVIS_OPEN_MAX,         /* pelvis_open_max_deg: the free side's hip rise (the hip line
                                   against the floor) held for 0.15 s (frontal) */
    RM_FREE_LEG_LINE_BOTTOM,    /* free_leg_line_bottom_deg: the free leg's line with the trunk
                                   at the bottom, mean; 180 = in one line */
    RM_N_METRICS
};
const char *rules_metric_name(enum rules_metric m);
const char *rules_metric_unit(enum rules_metric m);   /* "deg", "cm", "s", "deg/s", "" */
const char *rules_metric_phase(enum rules_metric m);  /* phase the metric is read in */
int rules_metric_from_name(const char *name);         /* enum value, or -1 */

/* ---- the rule table -------------------------------------------------------------------- */

/* Largest magnitude a rule's limit or a consistency tolerance may have: every metric is an angle,
 * a distance in cm, a time or a ratio, all far below it; beyond it (or not finite, "-1e999") a
 * rules file is refused. */
#define RULES_MAX_ABS_LIMIT 1e6

struct rules_rule {
    char id[40];                 /* kebab-case, stable (docs/RULES.md) */
    uint32_t lifts;              /* bit (1 << enum reps_lift) per lift it applies to */
    enum rules_metric metric;
    char phase[16];
    double min, max;             /* expected range; NaN = open end */
    double error_min, error_max; /* beyond these the finding is an error; NaN = none */
    enum rules_severity severity;/* severity when outside [min, max] */
    char *message, *fix, *source;
    int line;                    /* line of the rule in its file (for messages) */
    /* "measured_by" (optional, spine_curvature_* metrics only): the row judges only reps whose
     * spine metric came from the person mask (KIN_SPINE_MASK) or from the keypoint proxy
     * (KIN_SPINE_PROXY); KIN_SPINE_NONE = any. The two read on different scales. */
    enum kin_spine_source measured_by;
    /* "implements" (optional): bit (1 << enum kin_implement) per implement the row judges;
     * 0 = any. A clip whose implement is unknown is judged by the barbell rows. */
    uint32_t implements;
    /* "core" (optional, default false): a check without which a hinge cannot be judged (hip
     * depth, spine, bar path, lockout; docs/RULES.md, "Scores"). A rep is scored only when at
     * least rules_set.core_min_share of the core checks that apply to it were assessed. */
    int core;
};

struct rules_set {
    size_t n;
    struct rules_rule *rules;
    double min_confidence;       /* below it a rule is "not assessable" */
    double penalty[3];           /* score points lost per finding of each severity */
    double core_min_share;       /* "scoring.core_min_share": least share of a rep's core checks
                                    assessed for it to be scored (0 = every rep is scored) */
    /* "consistency": the set's consistency tolerance per key metric (one "noticeable"
     * difference), in the document's order; a file without it takes the built-in's */
    size_t n_consistency;
    struct {
        enum rules_metric metric;
        double tol;
    } consistency[8];
    char *source_name;           /* file name, or "built-in" */
};

/* The built-in rules document (JSON text, compiled in from src/rules/default_rules.json). */
const char *rules_default_json(void);
enum hc_status rules_load_default(struct rules_set **out);
/* Parses a rules document. `name` names it in errors ("rules.json:12: rule 3 \"metric\": ...").
 * HC_ERR_FORMAT for malformed JSON or a bad field (the message names the line and the field). */
enum hc_status rules_load_text(const char *text, size_t len, const char *name,
                               struct rules_set **out);
/* Reading the file is I/O, but it is the loader's only one: HC_ERR_IO when unreadable. */
enum hc_status rules_load_file(const char *path, struct rules_set **out);
void rules_set_free(struct rules_set *rs);

/* ---- evaluation ------------------------------------------------------------------------ */

struct rules_finding {
    const char *rule;            /* rule id, or "not-assessable", "view-oblique", ... */
    const char *about;           /* not-assessable: the rule that could not be judged; else NULL */
    int rep;                     /* rep index from 1; 0 = the set */
    double t_start_s, t_end_s;
    double value;                /* measured; NaN when not assessable */
    double min, max;             /* expected range (NaN = open) */
    const char *metric, *unit;   /* metric name and unit (NULL for set notes) */
    enum rules_severity severity;
    double confidence;
    double uncertainty;          /* of value, same unit (rules_metric_unc); NaN when none */
    int borderline;              /* 1: value within `uncertainty` of a limit (severity info, no
                                    score points; docs/RULES.md, "Uncertainty and decision
                                    bands") */
    double limit;                /* borderline: the limit it is near (min, max, or an error
                                    limit); NaN otherwise */
    const char *message, *fix, *source; /* borrowed from the rule set (or static) */
    /* not-assessable: why, in words, when the joints the rule reads were doubted on its phase
     * (kin_series.doubt): "knee hidden by the plate", "wrist jumping further between frames
     * than a body can" (the most frequent doubt); NULL when not known. Kept in the result. */
    const char *reason;
    /* a rep's warning, error or borderline finding: the analysed frame (index into the series)
     * of its worst moment, where the metric's per-frame value lies furthest past the limit it
     * broke over the frames the metric is read in (rules_worst_frame); the rep's bottom for a
     * metric without a per-frame value (the phase times); -1 for the others */
    long worst_i;
};

struct rules_rep_result {
    int index;
    int partial;
    double t_start_s, t_bottom_s, t_end_s;
    double score;                 /* 0-100; NaN: not scored (too few core checks assessed) */
    double confidence;            /* 0-1: sum of the assessed core checks' metric confidences /
                                     the core checks that apply; NaN when none applies */
    int n_core, n_core_assessed;  /* core checks (rule ids) that apply; of them assessed */
    int in_set_score;             /* 1 when its score is part of the set score */
    double metrics[RM_N_METRICS]; /* NaN when not measurable */
    double metric_conf[RM_N_METRICS];
    double metric_unc[RM_N_METRICS]; /* uncertainty of each metric, its unit (NaN: none) */
    size_t first_finding, n_findings; /* its findings in rules_result.findings */
    /* the leg it stood on (a single-leg set: the most frames of the rep; KIN_SIDE_UNKNOWN on
     * two-legged sets) */
    enum kin_side stand;
    /* per metric: the spine measurement it came from (enum kin_spine_source; spine_curvature_*
     * only, KIN_SPINE_NONE for the others). A rep with person masks on at least 3 frames of a
     * metric's span is judged on the mask frames alone. */
    uint8_t metric_source[RM_N_METRICS];
};

struct rules_result {
    enum reps_lift requested, detected;
    char detect_reason[256];     /* features that decided `detected` */
    enum kin_view view;
    double view_angle_deg;
    size_t n_reps, n_full;
    /* a single-leg set: the reps stood on the left and on the right leg (0 and 0 otherwise) */
    size_t n_stand_left, n_stand_right;
    struct rules_rep_result *reps;
    size_t n_findings;
    struct rules_finding *findings; /* per rep in rep order, then set-level (rep == 0) */
    size_t first_set_finding, n_set_findings;
    double set_score;            /* mean of the scored reps' scores; NaN when no rep was scored */
    size_t n_scored;             /* reps with a score */
    double confidence;           /* 0-1: mean of the reps' confidences; NaN when none has one */
    /* why the set has no score although it has reps (the view, or the core checks hidden):
     * a sentence for the verdict; "" when scored or when there is no rep */
    char unscored_reason[160];
    double consistency;          /* 0-100: 100 = identical reps (docs/RULES.md) */
    double fatigue_trend;        /* score points per rep over the set (least squares); - = worse */
    /* bar speed over the set (velocity-based training): the fastest full rep's and the last full
     * rep's bar_speed_rising_mps, and the loss from the one to the other in % of the fastest
     * (NaN with fewer than two full reps with a bar speed) */
    double bar_speed_best_mps, bar_speed_last_mps, velocity_loss_pct;
    enum kin_implement implement;/* the implement whose rows judged the set (never UNKNOWN:
                                    unknown is judged as a barbell; kb-swing is a kettlebell) */
    /* the store of rules_finding.reason: per joint and doubt, "" until used */
    char reason_text[KIN_N_JOINTS][KIN_N_DOUBTS][64];
};

/* Measures every rules metric of one rep, with each metric's spine source (see
 * rules_rep_result.metric_source). */
void rules_measure_rep_src(const struct kin_series *ks, const struct reps_rep *rep,
                           double v[RM_N_METRICS], double conf[RM_N_METRICS],
                           uint8_t src[RM_N_METRICS]);

/* 1 for the frontal metrics (RM_KNEE_VALGUS_MAX ... RM_TRUNK_TWIST_MAX): measured from a
 * front, rear or oblique camera only, and core only on front views (docs/RULES.md, "Scores"). */
int rules_metric_frontal(enum rules_metric m);

/* The uncertainty of a rules metric of one rep (rules_unc.c; docs/RULES.md, "Uncertainty and
 * decision bands"): one standard uncertainty in the metric's unit, the root-sum-square of
 * landmark noise, frame rate, the lifter's size in pixels and the view, widened for a
 * confidence below 1. NaN when v is NaN. `parts` (may be NULL) gets the components. */
struct rules_unc_parts {
    double noise, rate, size, view; /* the components, the metric's unit */
    double level;                   /* angles against the image's vertical: the camera's roll */
    double conf_factor;             /* >= 1: the widening for a confidence below 1 */
    double total;
};
double rules_metric_unc(const struct kin_series *ks, const struct reps_rep *rep,
                        enum rules_metric m, double v, double conf, struct rules_unc_parts *parts);
/* rules_metric_unc for every metric of a rep (v and conf from rules_measure_rep_src). */
void rules_measure_unc(const struct kin_series *ks, const struct reps_rep *rep,
                       const double v[RM_N_METRICS], const double conf[RM_N_METRICS],
                       double unc[RM_N_METRICS]);

/* Where value v with uncertainty u lies against the range [lo, hi] (NaN = open end): past a
 * limit by more than u, within u of one (*limit gets it; else NaN), or inside by more than u. */
enum rules_band { RULES_BAND_QUIET = 0, RULES_BAND_NEAR = 1, RULES_BAND_PAST = 2 };
enum rules_band rules_band(double v, double u, double lo, double hi, double *limit);

/* Recognises a lift from the movement: the lift table's rows with recognition cues, tried by
 * rank (docs/RULES.md, "Lifts"); writes a one-line reason into why (may be NULL). */
enum reps_lift rules_detect_lift(const struct kin_series *ks, const struct reps_result *rr,
                                  char *why, size_t why_len);

/* Applies the rules for `lift` (REPS_LIFT_AUTO: detected here) to every rep. */
enum hc_status rules_evaluate(const struct rules_set *rs, const struct kin_series *ks,
                              const struct reps_result *rr, enum reps_lift lift,
                              struct rules_result **out);
void rules_result_free(struct rules_result *res);

/* The frame of rep `rep` where rules metric m was at its worst against the range [lo, hi]
 * (NaN = open) it was judged by, for value v: over the frames m is read in (trusted frames
 * only), the per-frame value furthest above hi when v lies above it (or nearer hi than lo),
 * else furthest below lo. The rep's bottom frame for a metric without a per-frame value; -1
 * when no frame of its phase has a value. */
long rules_worst_frame(const struct kin_series *ks, const struct reps_rep *rep,
                       enum rules_metric m, double v, double lo, double hi);

/* Two cameras of one set: the front (or rear) clip's kinematics and reps, and per rep of the
 * side clip the index of its matched front rep (match[r], -1: none; n_match entries). */
struct rules_front {
    const struct kin_series *ks;
    const struct reps_result *rr;
    const int *match;
    size_t n_match;
};
/* rules_evaluate on the side clip (ks, rr) with the frontal checks of each rep measured on its
 * matched front rep (fr; NULL: rules_evaluate): the side checks from the side camera, the
 * frontal ones from the front camera, judged by the front clip's view as a single front clip
 * would be (an oblique second camera leaves them out, one set note says so); a rep without a
 * matched front rep has its frontal checks not assessable, with that reason. The frontal
 * metrics of each rep are the front rep's. */
enum hc_status rules_evaluate_pair(const struct rules_set *rs, const struct kin_series *ks,
                                   const struct reps_result *rr, enum reps_lift lift,
                                   const struct rules_front *fr, struct rules_result **out);

/* The two halves of rules_run, for a driver that measures more between them (the spine masks
 * are planned from the reps): rules_segment cuts the reps with rules_lift_start(lift) and, for
 * auto, recognises the lift (*lift_out, the reason in why) and cuts again when the lift starts
 * differently; rules_judge evaluates `lift` on those reps and reports `requested` and why as
 * rules_run does. */
enum hc_status rules_segment(const struct kin_series *ks, enum reps_lift lift,
                             const struct reps_params *rp, struct reps_result **rr_out,
                             enum reps_lift *lift_out, char *why, size_t why_len);
enum hc_status rules_judge(const struct rules_set *rs, const struct kin_series *ks,
                           const struct reps_result *rr, enum reps_lift requested,
                           enum reps_lift lift, const char *why, struct rules_result **out);

/* Segments and evaluates in one go: segments with rules_lift_start(lift); for auto, detects the
 * lift and segments again when the lift starts differently. *rr_out gets the reps used. */
enum hc_status rules_run(const struct rules_set *rs, const struct kin_series *ks,
                         enum reps_lift lift, const struct reps_params *rp,
                         struct reps_result **rr_out, struct rules_result **out);

#endif /* HC_RULES_H */
