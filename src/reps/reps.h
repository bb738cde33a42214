/*
 * reps.h - rep segmentation of a hinge set from the hip angle series (internal, pure).
 *
 * Usage:
 *
 *     struct reps_params rp = reps_default_params();
 *     rp.start = REPS_START_AUTO;              // or REPS_START_FLOOR for a deadlift
 *     struct reps_result *rr = NULL;
 *     if (reps_segment(ks->t_s, ks->value[KIN_HIP_ANGLE], ks->n, &rp, &rr) != HC_OK) ...;
 *     for (size_t r = 0; r < rr->n_reps; r++)
 *         printf("rep %d%s lowering %.2f s\n", rr->reps[r].index,
 *                rr->reps[r].partial ? " (partial)" : "", rr->reps[r].phase_s[REPS_LOWERING]);
 *     reps_result_free(rr);
 *
 * How: hip flexion (180 - hip angle) is turned into alternating turning points by a zig-zag with
 * hysteresis: a turn only counts once the signal has come back by the hysteresis amplitude,
 * which is the larger of an absolute minimum and a fraction of the set's typical excursion, so
 * walking in, setting up, grip adjustments and partial movements never make a turn. Each deep
 * turning point with tops on both sides is a rep (lifts from the top: RDL, good morning, swing);
 * for lifts from the floor each top with bottoms on both sides is one (deadlift: the rep starts
 * at the bottom). A rep cut by the clip's start or end is kept and marked partial. Gaps in the
 * series (no pose) up to max_gap_s are bridged linearly; longer ones split the set.
 */
#ifndef HC_REPS_H
#define HC_REPS_H

#include "core/core.h"

#include <stddef.h>
#include <stdint.h>

enum reps_phase {
    REPS_TOP = 0,   /* standing before the lowering (RDL) / the set-up hold (floor lifts: none) */
    REPS_LOWERING,
    REPS_BOTTOM,    /* floor lifts: the start position before the pull */
    REPS_RISING,
    REPS_LOCKOUT,   /* hips extended after the rising, until the next lowering (<= lockout_s) */
    REPS_N_PHASES,
    REPS_NONE = 255 /* per-frame phase outside any rep */
};
const char *reps_phase_name(enum reps_phase ph); /* "top", "lowering", ...; "none" */

enum reps_start {
    REPS_START_AUTO = 0, /* decide from the dwell times: long holds at the bottom = floor lift */
    REPS_START_TOP,      /* reps start standing: RDL, good morning, swing, pull-through */
    REPS_START_FLOOR     /* reps start at the bottom: conventional / kettlebell deadlift */
};

struct reps_params {
    double min_amplitude_deg; /* absolute hysteresis on hip flexion (30) */
    double rel_amplitude;     /* ... and this fraction of the set's typical excursion (0.35) */
    double min_rep_s;         /* shorter top-bottom-top cycles are not reps (0.5) */
    double zone_frac;         /* top/bottom zones: within this fraction of the excursion (0.1) */
    double max_gap_s;         /* bridge pose gaps up to this long (0.5) */
    double pause_s;           /* a hold at the bottom or top this long is a pause (0.5) */
    double lockout_s;         /* the lockout phase lasts at most this long (1.0) */
    /* the clip's edges (excursion fractions are of the set's median top-bottom excursion) */
    double edge_frac;         /* a turning point at the clip's edge, or the clip's first frame,
                                 farther than this fraction from the set's level is a frame
                                 caught mid-way, not a top or bottom (0.3) */
    double edge_flex_deg;     /* ... or, for a last top, more hip flexion than this (30) */
    double setup_depth_frac;  /* top-start lifts: a bottom at the clip's edge deeper than the
                                 set's bottoms by this fraction (0.25) ... */
    double setup_band_frac;   /* ... held within this fraction of it (0.1) ... */
    double setup_hold_s;      /* ... for this long is the pick-up / put-down, no rep (1.0) */
    double partial_top_frac;  /* floor lifts: a top this fraction short of the lockouts is a
                                 partial movement, not a rep (0.5) */
    double start_depth_frac;  /* floor lifts: a standing start is a rep when the lowering
                                 reaches this fraction of its depth (0.5) ... */
    double start_within_s;    /* ... within this long of the clip's start (1.5) */
    double standup_s;         /* a last lockout this long before the clip ends is standing up
                                 after the set, not a rep cut by the clip (1.0) */
    double partial_min_frac;  /* a partial rep shorter than this x min_rep_s is dropped (0.5) */
    enum reps_start start;
};
/* The defaults (with the lift table, src/reps/reps_lifts.c, where every number that segments
 * lives). */
struct reps_params reps_default_params(void);

/* An inclusive frame range; i0 < 0 when the phase is absent (cut by the clip). */
struct reps_span {
    long i0, i1;
};

struct reps_rep {
    int index;                          /* from 1 */
    int partial;                        /* cut by the start or end of the clip (or a long gap) */
    int floor_start;                    /* 1: starts at the bottom (deadlift) */
    size_t i_start, i_bottom, i_end;    /* first frame, deepest frame, last frame */
    double t_start_s, t_bottom_s, t_end_s;
    struct reps_span phase[REPS_N_PHASES];
    double phase_s[REPS_N_PHASES];      /* tempo: duration of each phase, s (0 when absent) */
    double top_flexion_deg;             /* hip flexion at the top (standing) level */
    double bottom_flexion_deg;          /* hip flexion at the deepest frame */
    double amplitude_deg;               /* bottom - top */
    int paused_bottom, paused_top;      /* holds of at least pause_s */
};

struct reps_result {
    size_t n;                /* frames */
    size_t n_reps;           /* all reps, partial ones included */
    size_t n_full;           /* reps not partial */
    int floor_start;         /* the set's verdict (see reps_params.start) */
    double hysteresis_deg;   /* the amplitude threshold used */
    double round_trip_deg;   /* the largest movement of hip flexion out and back (down and up,
                                or up and down) within one stretch of pose: a rep needs one of
                                at least hysteresis_deg */
    struct reps_rep *reps;
    double *t_s;             /* per frame: the time given to reps_segment (a copy) */
    uint8_t *phase;          /* per frame: enum reps_phase or REPS_NONE */
    int16_t *rep_of;         /* per frame: rep index from 1, 0 = none */
};

/* Segments a set. `hip_angle_deg` is the (smoothed) hip angle per frame, NaN where missing.
 * No rep at all is not an error: n_reps = 0 (the caller decides: HC_ERR_NO_REPS).
 * Errors: HC_ERR_INVALID_ARG, HC_ERR_NOMEM. */
enum hc_status reps_segment(const double *t_s, const double *hip_angle_deg, size_t n,
                            const struct reps_params *p, struct reps_result **out);
void reps_result_free(struct reps_result *r);

/* Ballistic sets (kettlebell swing): the hike of the bell from the floor into the first swing
 * and the park at the end are set-up, yet they make a top-bottom-top cycle like a swing. A first
 * or last rep whose cycle (lowering + bottom + rising) lasts more than `max_ratio` times the
 * median of the inner reps' (the lift's setup_ratio, reps_lifts.c) is set-up: the last
 * (the park) is dropped; the first (the hike) keeps its upswing to the first float, a swing, as
 * a partial rep without lowering and bottom (dropped when it has no rising and lockout; its
 * bottom_flexion_deg and amplitude_deg stay the hike's, t_bottom_s = t_start_s). The
 * rest are renumbered (reps, n_full, phase, rep_of). Needs at least 4 reps. Returns how many
 * set-up cycles were found. */
size_t reps_drop_setup(struct reps_result *r, double max_ratio);

#endif /* HC_REPS_H */
