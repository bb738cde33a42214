/* reps_lifts.c - the lift table (reps_lifts.h says who reads it and how to add a lift). */
#include "reps/reps_lifts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A lift that is not recognised from the movement: used only when requested. */
#define NOT_RECOGNISED {0, NAN, NAN, NAN, NAN, NULL, NAN, NAN, NAN, NAN, NAN, NAN, NAN}

/* Recognition: the numbers are the project's own, checked against the synthetic sets of each
 * recognised lift (tools/synth, tests/test_accept_synth.c) and real side-view and oblique clips
 * (tests/test_mpref.c): a swing lasts about 0.7-1.3 s per rep (a kettlebell deadlift 2 s) and
 * floats the bell to chest height, a good morning keeps the bar on the upper back, a deadlift
 * starts each rep from the floor with the knees bent well past an RDL's soft 15-20 deg. */
static const char cue_source[] =
    "cues from the Hip Hinge Handbook (soft knees 15-20 deg in an RDL) and the lifts' "
    "descriptions; numbers are the project's own, checked against the synthetic sets and real "
    "side-view and oblique clips";

static const struct reps_lift_row rows[REPS_N_LIFTS] = {
    [REPS_LIFT_RDL] = {
        .id = "rdl", .name = "Romanian deadlift", .aliases = "romanian-deadlift",
        .start = REPS_START_TOP, .implements = "barbell, dumbbells, kettlebell",
        .implement = KIN_IMPLEMENT_UNKNOWN, .setup_ratio = NAN,
        /* the last resort: standing starts, soft knees, hands hanging */
        .cues = {5, NAN, NAN, NAN, NAN, "reps start standing, soft knees, hands hang",
                 NAN, NAN, NAN, NAN, NAN, NAN, NAN},
        .cue_source = cue_source,
    },
    [REPS_LIFT_DEADLIFT] = {
        .id = "deadlift", .name = "Conventional deadlift",
        .aliases = "conventional-deadlift|kettlebell-deadlift",
        .start = REPS_START_FLOOR, .implements = "barbell, kettlebell",
        .implement = KIN_IMPLEMENT_UNKNOWN, .setup_ratio = NAN,
        /* knees: a deadlift's start is 50-90 deg of knee flexion against an RDL's 15-20.
         * Floor start: holds timed within 15% of the excursion of the turning point; a floor
         * lift rests at the bottom between reps (or sets up there first: over 1.5 s and twice
         * the top holds), a top-start lift at the top. A bottom only seen at the clip's edge,
         * with the hips folded below 55 deg (past the RDL's own error limit for excessive
         * depth, docs/RULES.md) is a floor pull's start: an RDL stops with the hips higher. */
        .cues = {4, NAN, NAN, NAN, 40.0, NULL,
                 0.15, 0.2, 1.5, 2.0, 55.0, NAN, NAN},
        .cue_source = cue_source,
    },
    [REPS_LIFT_GOOD_MORNING] = {
        .id = "good-morning", .name = "Good morning", .aliases = "",
        .start = REPS_START_TOP, .implements = "barbell on the upper back",
        .implement = KIN_IMPLEMENT_UNKNOWN, .setup_ratio = NAN,
        /* the bar rides on the upper back: the hands stay above the hips even at the bottom */
        .cues = {3, NAN, NAN, 0.0, NAN,
                 "hands stay above the hips at the bottom (bar on the back)", NAN, NAN, NAN, NAN,
                 NAN, NAN, NAN},
        .cue_source = cue_source,
    },
    [REPS_LIFT_KB_SWING] = {
        .id = "kb-swing", .name = "Kettlebell swing", .aliases = "swing|kettlebell-swing",
        .start = REPS_START_TOP, .implements = "kettlebell",
        .implement = KIN_IMPLEMENT_KETTLEBELL,
        /* the hike from the floor and the park at the end are cycles like a swing but slow:
         * on real swing sets they last 1.57-2.10 s against 0.53-0.72 s per swing (2.6x the
         * median and more); the synthetic swing sets' first and last reps read at most 1.16x
         * (0.5% landmark jitter included). 1.8 lies between. */
        .setup_ratio = 1.8,
        /* the bell floats to chest height (hands above the hips at the top) and a swing is
         * fast: about 0.7-1.3 s per rep, a kettlebell deadlift about 2 s */
        .cues = {2, 10.0, 1.6, NAN, NAN, "hands rise above the hips at the top, fast reps",
                 NAN, NAN, NAN, NAN, NAN, NAN, NAN},
        .cue_source = cue_source,
    },
    [REPS_LIFT_SL_RDL] = {
        .id = "sl-rdl", .name = "Single-leg RDL", .aliases = "single-leg-rdl",
        .start = REPS_START_TOP, .implements = "dumbbell, kettlebell, bodyweight",
        .implement = KIN_IMPLEMENT_UNKNOWN, .setup_ratio = NAN,
        /* one foot leaves the floor and travels back as the trunk goes forward: first, since
         * no two-legged lift lifts a foot. At the bottom the free ankle of a single-leg RDL is
         * 0.5-1 leg length (40-90 cm) above the standing one, the free leg about in line with
         * the trunk (150-180 deg); 25 cm and 120 deg leave room for a shallow rep and a leg
         * that lags, and stay far from a two-legged hinge (0-5 cm; a knee raised forward
         * reads under 90 deg) */
        .cues = {1, NAN, NAN, NAN, NAN,
                 "one foot off the floor and back in line with the trunk at the bottom", NAN,
                 NAN, NAN, NAN, NAN, 25.0, 120.0},
        .cue_source = cue_source,
    },
    [REPS_LIFT_PULL_THROUGH] = {
        .id = "pull-through", .name = "Cable pull-through", .aliases = "cable-pull-through",
        .start = REPS_START_TOP, .implements = "cable with a rope between the legs",
        .implement = KIN_IMPLEMENT_UNKNOWN, .setup_ratio = NAN, .cues = NOT_RECOGNISED,
        .cue_source = cue_source,
    },
    [REPS_LIFT_HINGE_DRILL] = {
        .id = "hinge-drill", .name = "Hip-hinge drill (wall or dowel)",
        .aliases = "wall-hinge|dowel-hinge",
        .start = REPS_START_TOP, .implements = "dowel along the back, or none",
        .implement = KIN_IMPLEMENT_UNKNOWN, .setup_ratio = NAN, .cues = NOT_RECOGNISED,
        .cue_source = cue_source,
    },
};

/* Segmentation of every lift's sets: the same for all rows (reps.h says what each does). */
struct reps_params reps_default_params(void)
{
    struct reps_params p = {
        /* 30 deg: at the top of the hip flexion range of walking (about 25-30 deg at normal
         * gait, Perry & Burnfield, Gait Analysis 2010) and below the shallowest hinge we must
         * still judge (a 140 deg hip angle at the bottom is 35-40 deg of flexion from the top:
         * "hip-depth-shallow" needs that rep counted). */
        .min_amplitude_deg = 30.0,
        /* a movement reaching less than about a third of the set's usual depth is a partial
         * movement or an adjustment, not a rep (a shallow rep still reaches 40%) */
        .rel_amplitude = 0.35,
        /* the fastest hinge, a kettlebell swing, takes about 1 s per rep; 0.5 s leaves margin */
        .min_rep_s = 0.5,
        .zone_frac = 0.1,
        .max_gap_s = 0.5,
        .pause_s = 0.5,
        .lockout_s = 1.0,
        /* the clip's edges, shaped on real clips (reps.c says which): 30% of the excursion or
         * 30 deg of hip flexion (a hip angle under 150 deg, where lockout-incomplete errs) is
         * far from a lockout; a pick-up from the floor before an RDL set is held like a set-up
         * at the bar (>= 1 s) and a quarter of the excursion deeper than the set's bottoms; a
         * floor lift's top more than half the excursion short of its lockouts is letting go of
         * the weight and half rising after the set; a lockout in the middle of a set lasts up
         * to lockout_s and half a lowering adds about 0.3 s, so half depth within 1.5 s */
        .edge_frac = 0.3,
        .edge_flex_deg = 30.0,
        .setup_depth_frac = 0.25,
        .setup_band_frac = 0.1,
        .setup_hold_s = 1.0,
        .partial_top_frac = 0.5,
        .start_depth_frac = 0.5,
        .start_within_s = 1.5,
        .standup_s = 1.0,
        .partial_min_frac = 0.5,
        .start = REPS_START_AUTO,
    };
    return p;
}

const struct reps_lift_row *reps_lift_row(enum reps_lift l)
{
    return l > REPS_LIFT_AUTO && l < REPS_N_LIFTS ? &rows[l] : NULL;
}

const char *reps_lift_id(enum reps_lift l)
{
    if (l == REPS_LIFT_AUTO)
        return "auto";
    return l > REPS_LIFT_AUTO && l < REPS_N_LIFTS ? rows[l].id : "unknown";
}

/* 1 when `name` is one of the '|'-separated names in `list`. */
static int in_list(const char *list, const char *name)
{
    const size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *bar = strchr(p, '|');
        const size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

int reps_lift_from_name(const char *name)
{
    if (!name || !name[0])
        return -1;
    if (strcmp(name, "auto") == 0)
        return REPS_LIFT_AUTO;
    for (int l = REPS_LIFT_AUTO + 1; l < REPS_N_LIFTS; l++)
        if (strcmp(name, rows[l].id) == 0 || in_list(rows[l].aliases, name))
            return l;
    return -1;
}

const char *reps_lift_phases(enum reps_start start)
{
    /* reps_segment's spans: top-start reps run top..lockout; floor reps start at the bottom
     * (the set-up hold), and the stand after the lockout and the lowering back end them */
    switch (start) {
    case REPS_START_TOP: return "top, lowering, bottom, rising, lockout";
    case REPS_START_FLOOR: return "bottom, rising, lockout, top, lowering";
    default: return "from the recognised lift";
    }
}

const struct reps_lift_row *reps_lift_floor_row(void)
{
    for (int l = REPS_LIFT_AUTO + 1; l < REPS_N_LIFTS; l++)
        if (rows[l].start == REPS_START_FLOOR)
            return &rows[l];
    return &rows[REPS_LIFT_DEADLIFT];
}

void reps_lift_cues_text(const struct reps_lift_row *row, int listing, char *buf, size_t n)
{
    if (!buf || n == 0)
        return;
    buf[0] = '\0';
    if (!row || row->cues.rank == 0) {
        snprintf(buf, n, "only when requested");
        return;
    }
    const struct reps_lift_cues *c = &row->cues;
    /* the listing starts with the order rows are tried in */
    const int k0 = listing ? snprintf(buf, n, "%d. ", c->rank) : 0;
    size_t len = k0 > 0 && (size_t)k0 < n ? (size_t)k0 : 0;
    const size_t start = len;
    const char *sep = "";
#define CUE(...)                                                                                  \
    do {                                                                                           \
        int k_ = snprintf(buf + len, n - len, "%s", sep);                                          \
        len += k_ > 0 && (size_t)k_ < n - len ? (size_t)k_ : 0;                                    \
        k_ = snprintf(buf + len, n - len, __VA_ARGS__);                                            \
        len += k_ > 0 && (size_t)k_ < n - len ? (size_t)k_ : 0;                                    \
        sep = " and ";                                                                             \
    } while (0)
    if (isfinite(c->hands_top_min_cm))
        CUE("hands over %g cm above the hips at lockout", c->hands_top_min_cm);
    if (isfinite(c->rep_max_s))
        CUE("median rep under %g s", c->rep_max_s);
    if (isfinite(c->hands_bottom_min_cm))
        CUE("hands over %g cm above the hips at the bottom", c->hands_bottom_min_cm);
    if (isfinite(c->knee_bottom_min_deg) && isfinite(c->edge_hip_max_deg))
        CUE("knees bent over %g deg at the bottom (when only the clip's edge shows a bottom: "
            "hips folded below %g deg there)", c->knee_bottom_min_deg, c->edge_hip_max_deg);
    else if (isfinite(c->knee_bottom_min_deg))
        CUE("knees bent over %g deg at the bottom", c->knee_bottom_min_deg);
    if (isfinite(c->free_foot_min_cm))
        CUE("one ankle over %g cm above the other at the bottom", c->free_foot_min_cm);
    if (isfinite(c->free_leg_line_min_deg))
        CUE("the raised leg over %g deg from the trunk (gone back)", c->free_leg_line_min_deg);
    if (listing && row->start == REPS_START_FLOOR) {
        sep = len > start ? ", or " : "";
        CUE("reps start from a hold at the bottom (median bottom hold over %g s longer than "
            "the top's, or a first hold over %g s and %gx the top's)",
            c->hold_margin_s, c->first_hold_min_s, c->first_hold_ratio);
    }
    if (len == start)
        snprintf(buf + len, n - len, "none of the others");
#undef CUE
}

double reps_lift_plate_radius_cm(void)
{
    /* IWF standard plates are 45 cm across: from a side camera the near plate hides what lies
     * within its radius of the bar */
    return 22.5;
}

struct kin_params reps_lift_kin_params(void)
{
    struct kin_params p = kin_default_params();
    p.plate_radius_cm = reps_lift_plate_radius_cm();
    /* the implements the lifts are done with, told apart by the hands: both on a kettlebell's
     * one handle sit a hand breadth apart (0.2-0.35 of the shoulder width; real oblique
     * kettlebell sets read 0.38-0.42), a barbell's grip about shoulder width or wider (less
     * 15% for a bar not square to the camera); between: unknown (kin_series.c) */
    p.kettlebell_gap_max = 0.6;
    p.barbell_gap_min = 0.85;
    return p;
}
