/*
 * reps_lifts.h - the lift table: one row per lift hingecheck knows (internal, pure data).
 *
 * Everything the code knows about a lift that is not a rule row lives in its row: its id (the
 * --exercise value, the "lifts" of a rules file, the report's exercise), its display name, the
 * other names --exercise accepts, where its reps start (reps_segment), what it is done with,
 * and the cues that recognise it from the movement (rules_detect_lift). The rule rows pick
 * lifts by id (docs/RULES.md). Readers: reps (start position, the floor-start cues), rules
 * (names, recognition, implement, the swing's set-up ratio), the driver (--exercise, the plate
 * radius it gives kin), and through include/hingecheck.h the CLI (`hingecheck rules --lifts`),
 * docs/RULES.md and docs/report.schema.json (kept equal to the table by tests).
 *
 * Adding a lift: a value in enum reps_lift, a row in reps_lifts.c, its rule rows in
 * src/rules/default_rules.json; then `hingecheck rules --lifts` gives the table for
 * docs/RULES.md and the ids for docs/report.schema.json (tests/test_cli.c checks both).
 */
#ifndef HC_REPS_LIFTS_H
#define HC_REPS_LIFTS_H

#include "kin/kin.h"
#include "reps/reps.h"

#include <stddef.h>

/* The table's rows, in table order; REPS_LIFT_AUTO is no lift: "recognise it". */
enum reps_lift {
    REPS_LIFT_AUTO = 0,
    REPS_LIFT_RDL,
    REPS_LIFT_DEADLIFT,
    REPS_LIFT_GOOD_MORNING,
    REPS_LIFT_KB_SWING,
    REPS_LIFT_SL_RDL,
    REPS_LIFT_PULL_THROUGH,
    REPS_LIFT_HINGE_DRILL,
    REPS_N_LIFTS
};

/* How a lift is recognised from the movement (rules_detect_lift; features measured over the
 * set's reps, medians). A cue that is NaN is not one of the lift's cues; every cue the row has
 * must hold (an unmeasured feature holds none). Rows are tried by rank, 1 first. */
struct reps_lift_cues {
    int rank;                   /* 0: never recognised (used only when requested) */
    double hands_top_min_cm;    /* hands higher above the hips than this at lockout */
    double rep_max_s;           /* median rep shorter than this */
    double hands_bottom_min_cm; /* hands higher above the hips than this at the bottom */
    double knee_bottom_min_deg; /* knees bent more than this at the bottom (floor lifts: or
                                   the reps start from the floor) */
    const char *reason;         /* what the report says when the cues hold (NULL: the cues in
                                   words, reps_lift_cues_text) */
    /* Floor lifts: when the reps start from the floor (reps_segment, REPS_START_AUTO). Holds
     * at the turning points are timed within dwell_band of the set's excursion; the reps start
     * from the floor when the median bottom hold outlasts the median top hold by more than
     * hold_margin_s, or when the first bottom hold (the set-up at the bar) lasts over
     * first_hold_min_s and first_hold_ratio times the top holds (NaN on top-start lifts). */
    double dwell_band, hold_margin_s, first_hold_min_s, first_hold_ratio;
    /* When no bottom of the set is whole (the clip cuts each rep's bottom, where a plate often
     * hides the knees and their bend is a guess): hips folded below this hip angle at such a
     * bottom stand in for the knee cue (NaN: no stand-in) */
    double edge_hip_max_deg;
    /* single-leg lifts: at the bottom one foot off the floor, its ankle higher than the standing
     * one by more than free_foot_min_cm, and gone back: the free leg's line with the trunk
     * (kin's free_leg_line_deg) opened past free_leg_line_min_deg (NaN: not a cue) */
    double free_foot_min_cm, free_leg_line_min_deg;
};

struct reps_lift_row {
    const char *id;             /* "rdl" */
    const char *name;           /* "Romanian deadlift" */
    const char *aliases;        /* other names --exercise accepts, '|'-separated; "" none */
    enum reps_start start;      /* where its reps start: standing (top) or from the floor */
    const char *implements;     /* what it is done with (for people) */
    /* the implement whose rule rows judge it whatever the hands show (KIN_IMPLEMENT_UNKNOWN:
     * told or recognised; a swing is always a kettlebell lift) */
    enum kin_implement implement;
    /* ballistic sets: a first or last rep whose cycle lasts more than this times the inner
     * reps' median is the set-up (reps_drop_setup); NaN: not a ballistic lift */
    double setup_ratio;
    struct reps_lift_cues cues;
    const char *cue_source;     /* where the recognition numbers come from (docs/RULES.md) */
};

/* Row of lift l (REPS_LIFT_AUTO and out of range: NULL). */
const struct reps_lift_row *reps_lift_row(enum reps_lift l);
/* "auto", "rdl", ...; "unknown" out of range. */
const char *reps_lift_id(enum reps_lift l);
/* The lift an id or alias names ("auto" is REPS_LIFT_AUTO); -1 when none. */
int reps_lift_from_name(const char *name);
/* The phases of a rep of a lift starting at `start`, in order ("top, lowering, ..."). */
const char *reps_lift_phases(enum reps_start start);
/* The row whose floor-start cues decide REPS_START_AUTO (the first floor lift); never NULL. */
const struct reps_lift_row *reps_lift_floor_row(void);
/* Writes the recognition cues of a row in words ("hands over 10 cm above the hips at lockout
 * and median rep under 1.6 s"), or "only when requested". listing: for the lift table's
 * listing, also the row's rank ("1. ...") and a floor lift's floor-start cue. */
void reps_lift_cues_text(const struct reps_lift_row *row, int listing, char *buf, size_t n);

/* The radius of a barbell's plate (IWF 45 cm plates), for kin's plate gates
 * (kin_params.plate_radius_cm). */
double reps_lift_plate_radius_cm(void);
/* kin's parameters for analysing a lift: kin_default_params() with the plate radius above and
 * the hand-gap limits that tell a kettlebell from a barbell. */
struct kin_params reps_lift_kin_params(void);

#endif /* HC_REPS_LIFTS_H */
