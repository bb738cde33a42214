/*
 * synth_kin.h - scripted kinematics of a side-view mannequin doing hip-hinge reps, its camera
 * projection and the per-frame truth (pure math: links hc_core and libm only).
 *
 * Usage:
 *
 *     struct synth_params p = synth_default_params(SYNTH_LIFT_RDL);
 *     p.n_reps = 5;
 *     synth_params_add_fault(&p, SYNTH_FAULT_HEEL_LIFT, 3);   // rep 3 only (0: every rep)
 *     struct synth_script sc;
 *     if (synth_script_init(&p, &sc) != HC_OK) { ...hc_last_error()... }
 *     for (int64_t i = 0; i < synth_script_n_frames(&sc); i++) {
 *         struct synth_pose pose;
 *         synth_pose_at(&sc, i / p.fps, &pose);       // pose.truth, pose.pt2[], pose.lm
 *     }
 *
 * Conventions (docs/SYNTH.md has the full list):
 * - Body frame (metres): X forward (the way the toes point), Y up, Z lateral towards the camera
 *   (the near side at yaw 0; the lifter's right side when facing = +1, left when -1).
 *   Origin: on the floor below the ankles' midpoint.
 * - Camera: pinhole at distance camera_dist_m on +Z, at hip height, looking along -Z; display
 *   (upright) pixels, y down. facing = +1 draws the lifter facing image right (near side = the
 *   lifter's right), -1 facing left (near side = left; the image is mirrored).
 * - Landmarks (struct hc_pose_frame) follow MediaPipe: x_px, y_px in display pixels; z = depth
 *   relative to the hip midpoint, scaled like x / width, SMALLER = NEARER the camera; world_m in
 *   metres, hip-centred, camera-aligned axes: x image-right, y down, z away from the camera.
 * - Reps are numbered from 1 everywhere (faults, truth); rep 0 means "not in a rep".
 */
#ifndef HC_SYNTH_KIN_H
#define HC_SYNTH_KIN_H

#include "core/core.h"

#include <stdint.h>

#define SYNTH_MAX_REPS 64

enum synth_lift {
    SYNTH_LIFT_RDL = 0,      /* Romanian deadlift: from standing, bar hangs in the hands */
    SYNTH_LIFT_DEADLIFT,     /* conventional deadlift: every rep starts with the bar on the floor */
    SYNTH_LIFT_KB_SWING,     /* kettlebell swing: ballistic, bell swung to chest height */
    SYNTH_LIFT_GOOD_MORNING, /* good morning: bar on the upper back */
    SYNTH_LIFT_SL_RDL,       /* single-leg RDL: one leg stands, the free leg travels back in line
                                with the trunk (the standing leg per rep: sl_stand_left,
                                sl_switch_every) */
    SYNTH_N_LIFTS
};

enum synth_fault {
    SYNTH_FAULT_TOO_DEEP = 0,  /* hip angle at the bottom 55 deg (rule hip-depth-excessive) */
    SYNTH_FAULT_TOO_SHALLOW,   /* hip angle at the bottom 140 deg (hip-depth-shallow) */
    SYNTH_FAULT_STIFF_KNEES,   /* knees locked: flexion 1 deg (knee-locked) */
    SYNTH_FAULT_SQUAT,         /* squatting the hinge: knee 70 deg, shins forward (knee-squat) */
    SYNTH_FAULT_ROUNDED_SPINE, /* spine rounding 0.16 of the chord at the bottom (spine-rounded) */
    SYNTH_FAULT_BAR_DRIFT,     /* bar 18 cm in front of the legs at the bottom (bar-drift) */
    SYNTH_FAULT_HEEL_LIFT,     /* heels 8 cm off the floor at the bottom (heel-lift) */
    SYNTH_FAULT_FAST_LOWERING, /* lowering in 0.35 s, accelerating like a fall (lowering-fast) */
    SYNTH_FAULT_BOUNCE,        /* no pause, rebound at the bottom (bounce) */
    SYNTH_FAULT_HIPS_EARLY, /* knees (50 deg) extend first, shoulders stay down (hips-rise-early) */
    SYNTH_FAULT_LEAN_BACK,  /* trunk 15 deg behind vertical at lockout (lockout-lean-back) */
    SYNTH_FAULT_LOOKING_UP, /* neck extended 35 deg (neck-extended) */
    /* frontal faults (seen from a front or rear camera, --yaw-deg 90 / -90) */
    SYNTH_FAULT_KNEE_VALGUS, /* knees 8 cm towards the midline at the bottom (knees-caving) */
    SYNTH_FAULT_TOE_OUT,     /* feet turned out 35 deg through the rep (feet-flared) */
    SYNTH_FAULT_HIP_SHIFT,   /* pelvis 8 cm sideways over the feet at the bottom (hip-shift) */
    SYNTH_FAULT_TRUNK_TWIST, /* shoulders turned 25 deg about the trunk at the bottom
                                (trunk-twist) */
    SYNTH_FAULT_OPEN_HIP,    /* single-leg RDL: the pelvis and the free leg rotated 25 deg about
                                the trunk axis at the bottom, the free side up (sl-hip-open) */
    SYNTH_N_FAULTS
};

const char *synth_lift_name(enum synth_lift l);   /* "rdl", "deadlift", "kb-swing", ... */
int synth_lift_from_name(const char *name);       /* enum value or -1 */
const char *synth_fault_name(enum synth_fault f); /* "too-deep", ... (CLI --fault names) */
const char *synth_fault_rule(enum synth_fault f); /* the analysis rule id it should trigger */
const char *synth_fault_describe(enum synth_fault f);
int synth_fault_from_name(const char *name); /* enum value or -1 */

struct synth_params {
    enum synth_lift lift;
    int n_reps;        /* 1..SYNTH_MAX_REPS */
    double lowering_s; /* tempo: lowering, pause at the bottom, rising, pause at the top */
    double pause_bottom_s;
    double rising_s;
    double pause_top_s;
    double lead_in_s;     /* standing (deadlift: set up at the bar) before the first rep */
    double lead_out_s;    /* ... and after the last */
    double depth_deg;     /* hip angle (shoulder-hip-knee) at the bottom */
    double knee_deg;      /* knee flexion at the bottom */
    double knee_var_deg;  /* knee flexion rises by this much over the held part of the descent */
    double knee_top_deg;  /* knee flexion standing at lockout */
    double shin_ratio;    /* shin angle to vertical = shin_ratio * knee flexion */
    double round;         /* spine rounding at the bottom, fraction of the hip-shoulder chord */
    double bar_offset_cm; /* bar axis ahead of the front of the legs (RDL, deadlift) */
    double heel_lift_cm;  /* heel height at the bottom */
    double neck_deg;      /* neck extension (looking up), + = head back */
    double protraction;   /* scapular protraction: the shoulder joint moves towards the chest by
                             protraction x height x sin(arm-trunk angle); 0..0.05 */
    double yaw_deg;       /* camera angle off side-on; + turns the lifter's front to the camera:
                             90 films the lifter from the front, -90 from behind */
    /* frontal geometry (metres and degrees; the faults above set them per rep, these are the
     * whole set's): stance half-width of the ankles, toe-out of each foot, knees towards the
     * midline at the bottom, pelvis shift to the lifter's left at the bottom, shoulders turned
     * about the trunk axis at the bottom (+ the lifter's right shoulder forward) */
    double stance_cm;     /* ankle centres apart (21.7 = 0.124 H: the default mannequin) */
    double toe_out_deg;
    double valgus_cm;
    double hip_shift_cm;
    double twist_deg;
    /* single-leg RDL: the standing leg of the first rep (1 left, 0 right) and after how many
     * reps the lifter switches legs (0: never) */
    int sl_stand_left;
    int sl_switch_every;
    double height_m;      /* body height */
    double camera_dist_m; /* camera distance from the lifter's sagittal plane */
    double plate_cm;      /* barbell plate diameter (45: bumper plates; 0: bar only) */
    int near_plate;       /* 1: draw the near plate in side views too, in front of the near leg
                             and arm, as a camera sees it (0: only at yaw >= 15 deg) */
    int facing;           /* +1 facing image right, -1 facing left */
    int width_px, height_px; /* display (upright) frame size */
    double fps;
    uint64_t fault_reps[SYNTH_N_FAULTS]; /* bit r-1 set: fault applied on rep r */
};

/* Defaults for a lift (tempo, depth, knee bend differ per lift); 1280x720 at 30 fps, 5 reps. */
struct synth_params synth_default_params(enum synth_lift lift);

/* Adds a fault on rep `rep` (1-based), or on every rep when rep == 0. HC_ERR_INVALID_ARG for an
 * unknown fault or a rep outside 0..SYNTH_MAX_REPS. */
enum hc_status synth_params_add_fault(struct synth_params *p, enum synth_fault f, int rep);
/* Non-zero when fault f is applied on rep (1-based). */
int synth_params_has_fault(const struct synth_params *p, enum synth_fault f, int rep);

enum synth_phase {
    SYNTH_PHASE_STANDING = 0, /* lead-in / lead-out (deadlift: set up at the bar) */
    SYNTH_PHASE_LOWERING,
    SYNTH_PHASE_BOTTOM,
    SYNTH_PHASE_RISING,
    SYNTH_PHASE_TOP, /* pause at lockout between reps */
    SYNTH_N_PHASES
};
const char *synth_phase_name(enum synth_phase ph); /* "standing", "lowering", ... */

/* One rep's effective numbers (base parameters with its faults applied). */
struct synth_rep {
    double t_start_s;   /* RDL/GM/swing: lowering starts; deadlift: bar leaves the floor */
    double t_bottom_s;  /* deepest hip flexion (deadlift: = t_start_s) */
    double t_lockout_s; /* hips fully extended (end of rising) */
    double t_end_s;     /* RDL/GM/swing: = t_lockout_s; deadlift: bar back on the floor */
    double depth_deg, knee_deg, knee_var_deg, round, bar_offset_cm, heel_lift_cm, neck_deg;
    double lowering_s, pause_bottom_s, rising_s, pause_top_s;
    double lean_deg; /* trunk behind vertical at lockout (lean-back fault) */
    double toe_out_deg, valgus_cm, hip_shift_cm, twist_deg; /* frontal, at the bottom */
    double open_hip_deg; /* single-leg RDL: the pelvis's rotation about the trunk at the bottom */
    int stand_left;      /* single-leg RDL: 1 the left leg stands, 0 the right one */
    int free_fall, bounce, hips_early;
};

enum synth_seg_kind {
    SYNTH_SEG_STAND,
    SYNTH_SEG_LOWER,
    SYNTH_SEG_BOTTOM,
    SYNTH_SEG_RISE,
    SYNTH_SEG_TOP
};
struct synth_seg {
    double t0_s, t1_s;
    enum synth_seg_kind kind;
    int rep; /* 1-based rep whose numbers apply */
};

#define SYNTH_MAX_SEGS (4 * SYNTH_MAX_REPS + 4)

/* The whole clip's script, built once from the parameters (no allocation). */
struct synth_script {
    struct synth_params p;
    struct synth_rep rep[SYNTH_MAX_REPS];
    struct synth_seg seg[SYNTH_MAX_SEGS];
    int n_segs;
    double duration_s;
    double plate_radius_m; /* barbell plates (deadlift: sized to rest on the floor) */
    double scale_px_per_m; /* display px per metre at the sagittal plane */
    double floor_y_px;     /* display y of the floor line below the ankles */
};

/* Validates `p` (ranges in docs/SYNTH.md) and builds the script. HC_ERR_INVALID_ARG names the
 * offending parameter. */
enum hc_status synth_script_init(const struct synth_params *p, struct synth_script *out);
int64_t synth_script_n_frames(const struct synth_script *sc);

/* Ground truth of one frame. Angles in degrees, lengths in cm; NaN where undefined (e.g. bar
 * relative to the legs when the bar is above the hips). */
struct synth_truth {
    double hip_angle_deg;    /* shoulder-hip-knee, geometric 0..180 (near side, sagittal) */
    double hip_flexion_deg;  /* signed: 180 - hip angle when flexed, negative when leaning back */
    double knee_flexion_deg; /* 180 - hip-knee-ankle */
    double torso_inclination_deg; /* hip->shoulder vs forward horizontal: 90 upright, >90 leaning
                                     back */
    double shin_angle_deg;        /* ankle->knee vs vertical, + knee ahead of the ankle */
    double neck_angle_deg;        /* shoulder->ear vs hip->shoulder, + extension (looking up);
                                     the shoulder point is the thorax's top (no protraction) */
    double spine_curvature;  /* spine's largest deviation from the hip-shoulder chord / chord */
    double bar_midfoot_cm;   /* bar (hands' midpoint) ahead of mid-foot (heel..foot index) */
    double bar_leg_cm;       /* bar ahead of the leg's joint line hip-knee-ankle at bar height */
    double bar_leg_front_cm; /* bar ahead of the front (skin) of the legs at bar height */
    double bar_height_cm;    /* bar above the floor */
    double heel_lift_cm;     /* heel above the floor */
    double hip_midfoot_cm;   /* hip joint ahead of mid-foot (- = hips back) */
    double hip_height_cm;    /* hip joint above the floor */
    /* frontal truth (the frontal plane: lateral and up; left and right are the lifter's):
     * knee_valgus_*_deg the frontal knee angle, 180 - hip-knee-ankle projected on the frontal
     * plane, + = the knee inside the hip-ankle line (valgus); knee_in_*_cm the knee's distance
     * inside that line; foot_angle_*_deg heel->toe against the forward axis in the floor plane,
     * + = toes out; stance_hip_ratio / stance_shoulder_ratio the ankles' lateral gap over the
     * hip joints' and the shoulder joints'; pelvis_tilt_deg / shoulder_tilt_deg the hip and
     * shoulder lines against the floor in the frontal plane, + = the left side higher;
     * hip_shift_cm the hip joints' midpoint to the left (+) of the ankles' midpoint;
     * trunk_twist_deg the shoulder line against the hip line about the trunk axis, + = the
     * right shoulder forward */
    double knee_valgus_left_deg, knee_valgus_right_deg, knee_in_left_cm, knee_in_right_cm;
    double foot_angle_left_deg, foot_angle_right_deg;
    double stance_hip_ratio, stance_shoulder_ratio, pelvis_tilt_deg, shoulder_tilt_deg;
    double hip_shift_cm, trunk_twist_deg;
    /* single-leg RDL (NaN on other lifts): pelvis_open_deg the hip line's rise towards the free
     * leg's side against the floor plane, + = the free side higher; free_leg_line_deg the angle
     * at the free hip between the shoulders' midpoint and the free ankle (180: in one line);
     * stand_left 1 when the left leg stands (-1 on other lifts) */
    double pelvis_open_deg, free_leg_line_deg;
    int stand_left;
    enum synth_phase phase;
    int rep;     /* 1-based rep this frame belongs to (0: none) */
    double flex; /* 0 standing .. 1 at the bottom: the script's progress variable */
};

/* Anchor points of the body (near side N, far side F), in the body frame and projected. */
enum synth_pt {
    SP_HIP_N,
    SP_HIP_F,
    SP_KNEE_N,
    SP_KNEE_F,
    SP_ANKLE_N,
    SP_ANKLE_F,
    SP_HEEL_N,
    SP_HEEL_F,
    SP_BALL_N,
    SP_BALL_F,
    SP_TOE_N,
    SP_TOE_F,
    SP_SHOULDER_N,
    SP_SHOULDER_F,
    SP_ELBOW_N,
    SP_ELBOW_F,
    SP_WRIST_N,
    SP_WRIST_F,
    SP_GRIP_N,
    SP_GRIP_F, /* centre of each fist */
    SP_HEAD,   /* head frame origin: ear level, mid-plane */
    SP_HEAD_FWD,
    SP_HEAD_UP,   /* head origin + 10 cm forward / up (gives the 2-D head frame) */
    SP_NECK_BASE, /* neck root, mid-plane */
    SP_BAR,       /* bar axis (mid-plane) or kettlebell handle */
    SP_BAR_NEAR,
    SP_PLATE_FAR,  /* near bar end, far plate centre */
    SP_PLATE_NEAR, /* near plate centre: on the bar axis, mirroring the far plate */
    SP_BELL,       /* kettlebell body centre */
    SP_SPINE0,     /* SYNTH_N_SPINE samples hip -> shoulder on the spine curve */
    SP_N = SP_SPINE0 + 12
};
#define SYNTH_N_SPINE 12

struct synth_pose {
    struct synth_truth truth;
    double pt3[SP_N][3];                  /* body frame, metres (before yaw) */
    double pt2[SP_N][2];                  /* display pixels */
    double px_per_m[SP_N];                /* projection scale at each point's depth */
    double spine_back2[SYNTH_N_SPINE][2]; /* unit image vector from the spine towards the back */
    double yaw_cos, yaw_sin; /* the torso's apparent thickness mixes depth and width by these */
    double lean_deg;
    struct hc_pose_frame lm; /* the 33 BlazePose landmarks (index and t_s filled by caller) */
};

/* Projects a body-frame point (metres) to display pixels; *px_per_m gets the scale there. */
void synth_project(const struct synth_script *sc, const double pt3[3], double img[2],
                   double *px_per_m);

/* Pose, projection, landmarks and truth at time t_s (clamped to the clip). */
void synth_pose_at(const struct synth_script *sc, double t_s, struct synth_pose *out);

/* Segment lengths as fractions of body height (Winter, Biomechanics and Motor Control of Human
 * Movement, 4th ed., fig. 4.1). Exposed for tests and the renderer. */
#define SYNTH_THIGH_FRAC 0.245
#define SYNTH_SHANK_FRAC 0.246
#define SYNTH_ANKLE_H_FRAC 0.039
#define SYNTH_TRUNK_FRAC 0.288 /* shoulder 0.818 - hip 0.530 */
#define SYNTH_UPPER_ARM_FRAC 0.186
#define SYNTH_FOREARM_FRAC 0.146
#define SYNTH_HAND_FRAC 0.108
#define SYNTH_FOOT_FRAC 0.152

#endif /* HC_SYNTH_KIN_H */
