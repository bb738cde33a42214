/*
 * kin.h - per-frame kinematics of a hip hinge from BlazePose landmarks (internal, pure math).
 *
 * Usage:
 *
 *     struct kin_params kp = kin_default_params();
 *     struct kin_series *ks = NULL;
 *     enum hc_status st = kin_series_compute(frames, n, width_px, height_px, NULL, &kp, &ks);
 *     if (st != HC_OK) return st;                 // hc_last_error() says why
 *     for (size_t i = 0; i < ks->n; i++)
 *         if (ks->conf[KIN_HIP_ANGLE][i] > 0)       // 0 = missing (value is NaN), never guessed
 *             use(ks->t_s[i], ks->value[KIN_HIP_ANGLE][i]);
 *     kin_series_free(ks);
 *
 * Conventions. Angles in degrees, distances in cm. The sagittal plane is described by two axes:
 * "forward" (the way the lifter's toes point) and "up". Every metric comes with a confidence in
 * [0, 1]: the lowest visibility of the landmarks it uses, times a view factor (1 side-on, lower
 * when the camera is oblique or in front). A metric whose landmarks are not visible enough, or a
 * frame without a pose, has value NaN and confidence 0.
 *
 * Side-on clips (view angle below kin_params.oblique_deg) measure in the image plane with the
 * landmarks of the body side nearer the camera; oblique and front clips measure on MediaPipe's
 * world landmarks (metres) projected onto the lifter's sagittal plane.
 */
#ifndef HC_KIN_H
#define HC_KIN_H

#include "core/core.h"

#include <stddef.h>
#include <stdint.h>

/* Per-frame metrics. Names (kin_metric_name) are the keys used in rules files and reports. */
enum kin_metric {
    KIN_HIP_ANGLE = 0,      /* "hip_angle_deg": shoulder-hip-knee, 180 standing, ~90 at a hinge
                               bottom; signed: > 180 when the trunk is behind the thigh line */
    KIN_KNEE_FLEXION,       /* "knee_flexion_deg": 180 - hip-knee-ankle, 0 = straight */
    KIN_TORSO_INCLINATION,  /* "torso_inclination_deg": hip->shoulder vs horizontal forward; 90
                               upright, 0 horizontal, > 90 leaning back */
    KIN_SHIN_ANGLE,         /* "shin_angle_deg": ankle->knee vs vertical, + knee ahead of ankle */
    KIN_NECK_ANGLE,         /* "neck_angle_deg": shoulder->ear vs hip->shoulder, + = extension */
    KIN_SPINE_CURVATURE,    /* "spine_curvature": back bend as a fraction of the hip-shoulder
                               chord, + = rounded (flexed), - = arched (extended) */
    /* the bar: the near plate's centre where the image shows the plates (kin_series.bar_src),
     * else the hands' midpoint */
    KIN_BAR_MIDFOOT,        /* "bar_midfoot_cm": the bar ahead (+) of mid-foot */
    KIN_BAR_LEG,            /* "bar_leg_cm": the bar ahead (+) of the leg's joint line
                               (hip-knee-ankle) at the bar's height */
    KIN_BAR_HEIGHT,         /* "bar_height_cm": the bar above the floor line */
    KIN_HEEL_LIFT,          /* "heel_lift_cm": heel above its standing height over the floor */
    KIN_HIP_MIDFOOT,        /* "hip_midfoot_cm": hip joint ahead (+) of mid-foot (- = hips back) */
    KIN_HIP_HEIGHT,         /* "hip_height_cm": hip joint above the floor line */
    KIN_HIP_VELOCITY,       /* "hip_angle_velocity_dps": d(hip angle)/dt, - = flexing (lowering) */
    KIN_BAR_VELOCITY,       /* "bar_velocity_cps": d(bar height)/dt, cm/s, + = rising */
    KIN_BAR_FRONT,          /* "bar_front_cm": the bar ahead (+) of the front (skin) of
                               the legs at the bar's height: bar_leg_cm minus the limb's
                               half-depth (thigh above the knee, shin below) */
    /* Frontal measures (front, rear and oblique views; NaN on side views): world landmarks in
     * the lifter's frontal plane, lateral = towards the lifter's left along the clip's hip line
     * (kin_series.lateral_x/z), up; forward = lateral x up. Left and right are the lifter's. */
    KIN_KNEE_VALGUS_L,      /* "knee_valgus_left_deg": frontal knee angle, 180 - hip-knee-ankle
                               on the frontal plane, + = knee inside the hip-ankle line; NaN
                               where the thigh or shin shows under 0.6 of its length there */
    KIN_KNEE_VALGUS_R,      /* "knee_valgus_right_deg" */
    KIN_KNEE_IN_L,          /* "knee_in_left_cm": the knee inside (+, towards the midline) the
                               hip-ankle line at the knee's height */
    KIN_KNEE_IN_R,          /* "knee_in_right_cm" */
    KIN_FOOT_ANGLE_L,       /* "foot_angle_left_deg": heel->foot index against forward on the
                               floor plane, + = toes out */
    KIN_FOOT_ANGLE_R,       /* "foot_angle_right_deg" */
    KIN_STANCE_HIP,         /* "stance_hip_ratio": the ankles' lateral gap / the hip joints'
                               distance */
    KIN_STANCE_SHOULDER,    /* "stance_shoulder_ratio": ... / the shoulder joints' distance */
    KIN_PELVIS_TILT,        /* "pelvis_tilt_deg": hip line against the floor, + = left higher */
    KIN_SHOULDER_TILT,      /* "shoulder_tilt_deg": shoulder line, + = left higher */
    KIN_HIP_SHIFT,          /* "hip_shift_cm": the hip joints' midpoint to the left (+) of the
                               ankles' midpoint */
    KIN_TRUNK_TWIST,        /* "trunk_twist_deg": shoulder line against hip line about the
                               trunk axis, + = the right shoulder forward (towards the chest) */
    /* Single-leg measures (kin_single_leg.c; world landmarks, every view) */
    KIN_FOOT_RISE,          /* "foot_rise_cm": the left ankle above (+) the right one */
    KIN_PELVIS_OPEN,        /* "pelvis_open_deg": on single-leg frames (kin_series.stand), the
                               hip line's rise towards the free leg's side against the floor
                               plane, + = the free side's hip higher (the pelvis opening);
                               confidence as the frontal measures (none side-on) */
    KIN_FREE_LEG_LINE,      /* "free_leg_line_deg": on single-leg frames, the angle at the free
                               leg's hip between the shoulders' midpoint and the free ankle, 180
                               = trunk and free leg in one line; sagittal view factor */
    KIN_N_METRICS
};

enum kin_side { KIN_SIDE_UNKNOWN = 0, KIN_SIDE_LEFT = 1, KIN_SIDE_RIGHT = 2 };
enum kin_view { KIN_VIEW_UNKNOWN = 0, KIN_VIEW_SIDE = 1, KIN_VIEW_OBLIQUE = 2, KIN_VIEW_FRONT = 3 };
/* What the lifter holds (docs/RULES.md, "Implement"): a barbell's grip is about shoulder width,
 * both hands on a kettlebell's (or a dumbbell's) one handle are together. */
enum kin_implement {
    KIN_IMPLEMENT_UNKNOWN = 0,   /* not told and not seen (side views): rules use barbell rows */
    KIN_IMPLEMENT_BARBELL = 1,
    KIN_IMPLEMENT_KETTLEBELL = 2 /* also a dumbbell held by one end / one handle */
};
const char *kin_implement_name(enum kin_implement i); /* "unknown", "barbell", "kettlebell" */
/* "barbell" / "kettlebell" -> the value, "auto" -> KIN_IMPLEMENT_UNKNOWN, else -1. */
int kin_implement_from_name(const char *name);
/* Where the clip's implement came from (kin_series.implement_source). */
enum kin_implement_source {
    KIN_IMPLEMENT_FROM_NONE = 0,  /* not told, not seen: unknown (rules use the barbell rows) */
    KIN_IMPLEMENT_FROM_GIVEN = 1, /* kin_params.implement (--implement) */
    KIN_IMPLEMENT_FROM_IMAGE = 2, /* kin_params.implement_image (the driver's image verdict) */
    KIN_IMPLEMENT_FROM_HANDS = 3  /* the hand gap (oblique and front views) */
};
/* "none", "--implement", "image", "hands" */
const char *kin_implement_source_name(enum kin_implement_source s);
/* Which spine measurement produced KIN_SPINE_CURVATURE. */
enum kin_spine_source { KIN_SPINE_NONE = 0, KIN_SPINE_PROXY = 1, KIN_SPINE_MASK = 2 };

const char *kin_metric_name(enum kin_metric m);  /* "hip_angle_deg"; NULL when out of range */
const char *kin_side_name(enum kin_side s);      /* "left", "right", "unknown" */
const char *kin_view_name(enum kin_view v);      /* "side", "oblique", "front", "unknown" */

/* Joints whose trust the series keeps per frame (the body side nearer the camera; side views). */
enum kin_joint {
    KIN_J_SHOULDER = 0,
    KIN_J_HIP,
    KIN_J_KNEE,
    KIN_J_ANKLE,
    KIN_J_WRIST,
    KIN_J_EAR,
    KIN_J_HEEL,
    KIN_J_TOE,
    KIN_N_JOINTS
};
/* Why a joint is not trusted on a frame (kin_series.doubt): BlazePose's visibility alone is not
 * enough, it reports a joint behind a plate at visibility 1.0, on the plate or on the hands. */
enum kin_doubt {
    KIN_DOUBT_NONE = 0,     /* trusted */
    KIN_DOUBT_PLATE = 1,    /* inside the implement's outline in the image (a plate, a bell) */
    KIN_DOUBT_SEGMENT = 2,  /* a segment through it (thigh, shin, trunk, upper arm) is far off the
                               lifter's own length on the standing frames */
    KIN_DOUBT_JUMP = 3,     /* it moved further between frames than a body can */
    KIN_DOUBT_UNSEEN = 4,   /* the pose model's visibility is below kin_params.min_visibility */
    KIN_N_DOUBTS
};
const char *kin_joint_name(enum kin_joint j);  /* "shoulder", "hip", "knee", ... */
/* The reason in words, after the joint's name: "hidden by the plate", ... ("" for NONE) */
const char *kin_doubt_phrase(enum kin_doubt d);

/* One frame of the implement found in the image (src/implement, handed over by the driver):
 * where its outline is, in frame pixels. */
enum kin_outline { KIN_OUTLINE_NONE = 0, KIN_OUTLINE_PLATE = 1, KIN_OUTLINE_BELL = 2 };
struct kin_implement_frame {
    enum kin_outline kind;   /* NONE: nothing found on this frame */
    float cx_px, cy_px;      /* circle centre: for a plate, the bar's end, i.e. the bar */
    float r_px;              /* circle radius */
};

/* An optional per-frame person mask (segmentation), one byte or float per pixel, row-major.
 * The mask may have its own size: it is mapped onto the frame by scaling. data == NULL = none. */
struct kin_mask {
    const void *data;
    int is_float;         /* 0: uint8 (person >= 128), 1: float (person >= 0.5) */
    int width_px, height_px;
    size_t stride;        /* elements per row; 0 = width_px */
    /* NULL, or a frame-sized float mask not yet warped into the frame: data is then the model's
     * src_w x src_h mask tensor, and the mask's pixel (x, y) is what cv_warp_float(data, src_w,
     * src_h, warp, ..., CV_BORDER_ZERO) would write there (cv_warp_float_at), computed only
     * where it is read: the spine reads a few thousand of a frame's millions of pixels. */
    const double *warp;
    int src_w, src_h;
};

struct kin_params {
    float min_visibility;      /* below it a landmark counts as unseen (0.5: MediaPipe's own
                                  drawing/visibility threshold, drawing_utils.py) */
    double oblique_deg;        /* view angle from side-on above which the view is oblique (30) */
    double front_deg;          /* ... and above which it is a front view (60) */
    double oblique_conf_factor;/* confidence factor for oblique views (0.8) */
    double front_conf_factor;  /* ... for front views (0.3: sagittal angles are guesses there) */
    double frontal_oblique_conf_factor; /* the frontal measures' factor on oblique views (0.3;
                                  1 on front and rear views, none side-on) */
    /* single-leg stance (kin_series.stand, kin_single_leg.c): a frame stands on one leg when
     * one ankle is higher than the other by more than single_leg_rise of the leg's length
     * (hip-knee-ankle), held for single_leg_hold_s; a clip is a single-leg set when such
     * stretches cover at least single_leg_share of its posed time */
    double single_leg_rise, single_leg_hold_s, single_leg_share;
    double proxy_conf_factor;  /* confidence factor of the keypoint spine proxy (0.7) */
    double smooth_window_s;    /* Savitzky-Golay window, whole width in seconds (0.2) */
    int smooth_order;          /* polynomial order of the smoother (2) */
    /* a barbell plate's radius: from a side camera the near plate hides what lies within it
     * of the bar (knee and heel gates, the spine mask's refusal at lockout). The caller gives
     * it (the lift table's, reps_lift_plate_radius_cm); 0 (default): no plate gates */
    double plate_radius_cm;
    /* recognising the implement from the hands (oblique and front views): wrist gap / shoulder
     * gap below kettlebell_gap_max is a kettlebell (one handle), above barbell_gap_min a
     * barbell. The caller gives them (reps_lift_kin_params); 0 (default): not recognised */
    double kettlebell_gap_max, barbell_gap_min;
    enum kin_implement implement; /* what the user said the lifter holds (--implement);
                                     KIN_IMPLEMENT_UNKNOWN (default): recognised from the
                                     hands where the camera sees them apart (oblique/front) */
    /* what the image shows (src/implement's clip verdict, found by the driver) and how sure it
     * is: used when implement is not given, on side views only (in front and oblique views the
     * plates sit beside the hands and rings on the thighs read as plates or bells; the hand gap
     * judges those views), and only with implement_image_conf >= implement_image_min_conf.
     * KIN_IMPLEMENT_UNKNOWN (default): no image verdict */
    enum kin_implement implement_image;
    double implement_image_conf;
    double implement_image_min_conf; /* 0.5 (docs/IMPLEMENT.md, "How the driver calls it") */
    /* per frame (NULL, or n_implement_frames entries, one per pose frame in order): the
     * implement's outline found in the image; the caller keeps it alive through the compute */
    const struct kin_implement_frame *implement_frames;
    size_t n_implement_frames;
    /* the plate's image scale, cm per pixel (plate_cm / the median plate diameter in px), given
     * by the driver when the image saw a barbell's plates. A side-view series judged as a
     * barbell from that image (implement_image_conf >= implement_image_min_conf, or given)
     * measures its cm figures with it instead of the body's scale (kin_series.cm_per_px),
     * unless plates_small. 0 (default): none */
    double plate_cm_per_px;
    /* 1: the bar's forward place (bar_midfoot_cm, bar_leg_cm, bar_front_cm) is the plate's
     * centre too; 0 (default): the plate gives the bar's height, the hands its forward place.
     * The near plate hangs about 0.55 m further out along the bar than the near foot, so a
     * camera turned by a few degrees from side-on shifts its centre forward or back against the
     * feet by 0.55 m x sin(turn) (10 cm at 10 deg); on the shared real side-view barbell clips
     * that moved bar-drift onto three clips labelled good and off one labelled with it
     * (docs/RULES.md, "The bar and the image's scale"). */
    int bar_plate_forward;
    /* the image saw plates that look smaller than plate_cm for this body (bumper or technique
     * plates?): reported (kin_series.plates_small), the body's scale is kept */
    int plates_small;
};
struct kin_params kin_default_params(void);

/* One frame's measurements. */
struct kin_frame {
    double value[KIN_N_METRICS];
    float conf[KIN_N_METRICS];
    enum kin_side side;        /* body side nearer the camera */
    int facing;                /* +1: toes point to +x (right) in the image, -1: to -x, 0 unknown */
    double view_angle_deg;     /* 0 side-on .. 90 front-on; NaN when unknown */
    float view_conf;
    double cm_per_px;          /* image scale from world landmarks (NaN when unknown) */
    enum kin_spine_source spine_src; /* which measurement gave value[KIN_SPINE_CURVATURE] */
    int mask_refused;          /* a mask was given but kin would not read it here (an arm or the
                                  bar over the back's outline, a plate at the hips: see
                                  docs/RULES.md); a driver can test this with any non-NULL mask
                                  before paying for a real one */
};

/* Measures one frame by itself (tests, overlays). `side` / `facing` force the body side and
 * direction (KIN_SIDE_UNKNOWN / 0: decide from this frame); `use_world` < 0 decides from the
 * frame's view angle, 0 forces the image plane, 1 the world landmarks. Without a series there is
 * no floor line: heights are taken above the frame's lowest foot landmark and heel_lift_cm is the
 * heel's height above the toe (foot index) landmark, not yet minus its standing value.
 * Velocities are NaN here (they need the series). `mask` may be NULL. */
void kin_frame_measure(const struct hc_pose_frame *f, int width_px, int height_px,
                       const struct kin_params *p, enum kin_side side, int facing, int use_world,
                       const struct kin_mask *mask, struct kin_frame *out);
/* The same with the bar placed by the caller (image path only): bar_px (x, y frame pixels; NULL:
 * the hands' midpoint as above; a NaN coordinate: the hands' one) with visibility bar_vis for
 * its confidence. The series passes the near plate's centre here (kin_series.bar_src). */
void kin_frame_measure_bar(const struct hc_pose_frame *f, int width_px, int height_px,
                           const struct kin_params *p, enum kin_side side, int facing,
                           int use_world, const struct kin_mask *mask, const double *bar_px,
                           float bar_vis, struct kin_frame *out);

/* Where a frame's bar point came from (kin_series.bar_src). */
enum kin_bar_source {
    KIN_BAR_SRC_NONE = 0,   /* no pose */
    KIN_BAR_SRC_HANDS = 1,  /* the hands' midpoint (no plate outline, or none used) */
    KIN_BAR_SRC_PLATE = 2,  /* the near plate's centre found on this frame */
    KIN_BAR_SRC_GAP = 3     /* between two plate centres at most bar_gap_s apart: interpolated */
};

/* A whole clip, smoothed, structure of arrays (each array has n entries). */
struct kin_series {
    size_t n;
    double *t_s;
    double *value[KIN_N_METRICS];     /* smoothed (zero-phase Savitzky-Golay); NaN = missing */
    double *raw[KIN_N_METRICS];       /* unsmoothed per-frame values */
    float *conf[KIN_N_METRICS];
    uint8_t *has_pose;
    /* clip-level facts */
    enum kin_side side;                /* body side nearer the camera (majority over frames) */
    int facing;                        /* +1 / -1 / 0 (majority) */
    enum kin_view view;
    double view_angle_deg;             /* median over posed frames; NaN when unknown */
    int use_world;                     /* 1: angles came from world landmarks (oblique/front) */
    enum kin_spine_source spine_source;
    double cm_per_px;                  /* median image scale; NaN unknown */
    double floor_a, floor_b;           /* fitted image floor line y = a + b x (px); NaN if none */
    size_t n_posed;                    /* frames with a pose */
    /* per frame: enum kin_spine_source of value[KIN_SPINE_CURVATURE] (NONE when missing). The
     * mask and the keypoint proxy read on different scales (docs/RULES.md), so each is smoothed
     * among its own frames only and the rules judge each with its own thresholds; a clip may
     * have masks on some frames only (the driver asks for them around rep bottoms). */
    uint8_t *spine_src;
    /* the implement: given (kin_params.implement) or recognised; see enum kin_implement */
    enum kin_implement implement;
    int implement_given;               /* 1: from kin_params.implement, 0: recognised */
    enum kin_implement_source implement_source;
    double hand_gap_ratio;             /* median image wrist gap / shoulder gap over frames with
                                          the hands below the hips (oblique/front views); NaN
                                          when not measured (side views, no such frames) */
    /* per frame: 1 where the knee landmark is probably a guess (a barbell plate over the knee:
     * the plate's disc around the hands or, with outlines, inside the plate's outline; and the
     * leg not confirmed: docs/RULES.md, "Knee occlusion"). The series keep their values
     * (rep segmentation reads the hip angle as is); the rules leave these frames out of the
     * knee-based metrics (hip angle, knee flexion, shin angle), so a rep whose knee was hidden
     * gets "not assessable" instead of a guess. */
    uint8_t *knee_hidden;
    /* per joint, per frame: enum kin_doubt, why the joint is not trusted there (0: trusted).
     * Each array has n entries (all zero when nothing is doubted). KIN_DOUBT_PLATE: inside the
     * near plate's outline (+5% of its radius) on a frame where it was seen (outlines). */
    uint8_t *doubt[KIN_N_JOINTS];
    /* the implement's outline (kin_params.implement_frames) was used: side view, image path,
     * outlines of the clip's implement (plates for a barbell, a bell for a kettlebell) */
    int outlines;
    /* per frame: enum kin_bar_source of the bar metrics' bar point; and the share of posed
     * frames whose bar came from a plate (found or interpolated); 0 without outlines */
    uint8_t *bar_src;
    double bar_plate_share;
    /* the image's scales, cm per pixel (NaN unknown): the body's (median over frames, from the
     * world landmarks' leg length) and the plate's (kin_params.plate_cm_per_px); cm_per_px above
     * is the one used, scale_plate = 1 when it is the plate's */
    double body_cm_per_px, plate_cm_per_px;
    int scale_plate;
    int plates_small;                  /* kin_params.plates_small, kept for the reports */
    /* the frontal measures (KIN_KNEE_VALGUS_L ...): measured (front, rear and oblique views),
     * their confidence factor, and the lateral axis they read along: the unit vector towards the
     * lifter's left in the world landmarks' horizontal (x, z) plane, the median of the hip
     * line over the posed frames */
    int frontal;
    double frontal_conf_factor;
    double lateral_x, lateral_z;
    /* single-leg sets (a single-leg RDL): per frame the standing leg (enum kin_side; 0 on a
     * two-legged set), and 1 when the clip is one. Every frame of a single-leg set has a
     * standing leg: where both feet are down, the one of the nearest single-leg stretch (a
     * switch of legs between two stretches falls halfway). The sagittal measures of those
     * frames are read on the standing leg, not on the leg nearer the camera. */
    uint8_t *stand;
    int single_leg;
};

/* The lowest visibility of n landmarks (indices idx) times factor; 0 when one is below
 * p->min_visibility or its world point is missing (kin_frontal.c). */
float kin_world_conf(const struct hc_pose_frame *f, const struct kin_params *p, double factor,
                     int n, const int *idx);
/* Stores a raw value and its confidence at frame i of metric m: NaN and 0 unless both are
 * usable (c > 0, v finite). */
void kin_series_put(struct kin_series *s, enum kin_metric m, size_t i, double v, float c);

/* Fills the frontal measures of a series (kin_frontal.c; called by kin_series_compute before
 * smoothing, after the view verdict): raw values and confidences, none on side views. tmp_x and
 * tmp_z: scratch of s->n doubles each. */
void kin_series_frontal(struct kin_series *s, const struct hc_pose_frame *frames,
                        const struct kin_params *p, double *tmp_x, double *tmp_z);

/* Finds the single-leg stretches of a clip (kin_single_leg.c; called by kin_series_compute after
 * its first pass): fills s->stand and s->single_leg from the world landmarks. tmp: scratch of
 * s->n doubles. */
void kin_series_stance(struct kin_series *s, const struct hc_pose_frame *frames,
                       const struct kin_params *p, double *tmp);
/* Fills the single-leg measures (KIN_FOOT_RISE, KIN_PELVIS_OPEN, KIN_FREE_LEG_LINE; raw values
 * and confidences) after the frontal ones. */
void kin_series_single_leg(struct kin_series *s, const struct hc_pose_frame *frames,
                           const struct kin_params *p);
/* The left ankle's height above the right one over the leg's length (hip-knee-ankle, the mean
 * of both legs), world landmarks; NaN when a landmark is missing. */
double kin_frame_foot_rise(const struct hc_pose_frame *f);
/* The body side frame i is measured on: its standing leg on a single-leg set, else the clip's
 * side nearer the camera. */
enum kin_side kin_series_frame_side(const struct kin_series *s, size_t i);

/* 1 when frame i of the series is a standing frame (hips and knees extended: hip angle above
 * 160 deg, knee flexion below 20 deg, unsmoothed), the reference of the lifter's own
 * proportions. */
int kin_frame_standing(const struct kin_series *s, size_t i);

/* Fills kin_series.doubt for the checks of src/kin/kin_trust.c (called by kin_series_compute,
 * after the unsmoothed series): UNSEEN (visibility below p->min_visibility; every view), and
 * on side views (image landmarks) SEGMENT (thigh, shin, trunk, upper arm or forearm far off the
 * lifter's own length on the standing frames) and JUMP (a joint further from its track than
 * a body moves in the time). A joint already doubted on a frame keeps its first doubt. */
enum hc_status kin_series_trust(struct kin_series *s, const struct hc_pose_frame *frames,
                                const struct kin_params *p);

/* Computes every metric for every frame. `masks` is NULL or an array of n masks (entries with
 * data == NULL have none). Errors: HC_ERR_INVALID_ARG (NULL frames with n > 0, bad size),
 * HC_ERR_NOMEM. A clip with no pose at all is not an error: every metric is missing. */
enum hc_status kin_series_compute(const struct hc_pose_frame *frames, size_t n, int width_px,
                                  int height_px, const struct kin_mask *masks,
                                  const struct kin_params *p, struct kin_series **out);
void kin_series_free(struct kin_series *s);

/* Person masks are frame-sized: a driver that gets them one at a time (a second look at the
 * frames near rep bottoms) measures each at once and keeps only the number:
 *
 *     struct kin_frame kf;
 *     kin_series_measure_frame(ks0, &frames[i], w, h, &kp, &mask, &kf);   // ks0: series w/o masks
 *     if (kf.spine_src == KIN_SPINE_MASK)
 *         samples[i] = (struct kin_spine_sample){kf.value[KIN_SPINE_CURVATURE],
 *                                                kf.conf[KIN_SPINE_CURVATURE]};
 *     ...
 *     kin_series_compute_spine(frames, n, w, h, samples, &kp, &ks);      // the final series
 *
 * kin_series_measure_frame measures one frame the way kin_series_compute measured the series
 * `s` (its side, facing, view and the view's confidence factor). */
void kin_series_measure_frame(const struct kin_series *s, const struct hc_pose_frame *f,
                              int width_px, int height_px, const struct kin_params *p,
                              const struct kin_mask *mask, struct kin_frame *out);

/* A spine value measured from a person mask earlier; value NaN (or conf 0) = none. */
struct kin_spine_sample {
    double value;
    float conf;
};

/* kin_series_compute with mask-measured spine values (NULL or n entries) instead of masks: a
 * frame with a sample takes it as its KIN_SPINE_CURVATURE (source KIN_SPINE_MASK); the others
 * use the keypoint proxy. Only meaningful for the image path (side views): the mask path is
 * not used on world landmarks, so samples are ignored when the series uses them. */
enum hc_status kin_series_compute_spine(const struct hc_pose_frame *frames, size_t n,
                                        int width_px, int height_px,
                                        const struct kin_spine_sample *samples,
                                        const struct kin_params *p, struct kin_series **out);

/* Zero-phase Savitzky-Golay smoothing on irregular samples: a least-squares polynomial of
 * `order` (1..3) fitted over the samples within +-window_s/2 of each point, evaluated at the
 * point (no lag, peaks kept). NaN samples are skipped; a point with fewer than order+2 valid
 * neighbours, or itself NaN, stays NaN. `deriv` (may be NULL) gets the fitted slope per second.
 * `y_out` may not alias `y`. */
void kin_smooth_sg(const double *t_s, const double *y, size_t n, double window_s, int order,
                   double *y_out, double *deriv);

/* Spine curvature from a person mask: the back contour between hip and shoulder (image px),
 * largest deviation from the hip-shoulder chord as a fraction of the chord, + rounded (bulging
 * towards the back), - arched. `back_x/back_y` is a unit vector pointing from the chord towards
 * the lifter's back in image coordinates. Returns NaN when the contour cannot be followed, or
 * when something sticks out of the back (the back surface further than 0.55 of the chord from
 * it: a bar and plates on the back, an arm, a bag): the caller then falls back to the proxy. */
double kin_spine_from_mask(const struct kin_mask *mask, int width_px, int height_px, double hip_x,
                           double hip_y, double sh_x, double sh_y, double back_x, double back_y);

#endif /* HC_KIN_H */
