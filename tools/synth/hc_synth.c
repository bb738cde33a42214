/* hc_synth.c - renders a synthetic hip-hinge clip with known truth (docs/SYNTH.md).
 *
 *   hc_synth --reps 5 --out demo.mp4 --truth demo.truth.json [--track demo.jsonl]
 *
 * Frames come from the pure kinematics (synth_kin) and renderer (synth_render); encoding goes
 * through the project's video writer (src/video). Options are one table that drives parsing,
 * defaults and --help. */
#include "synth_kin.h"
#include "track/track.h"
#include "synth_render.h"

#ifdef HC_SYNTH_HAVE_VIDEO
#include "video/video.h"
#endif

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct args {
    struct synth_params p;
    const char *lift, *facing, *stand_leg, *out, *truth, *track, *frames_dir, *codec;
    int rotate, seed, crf, help;
};

enum opt_type { O_DOUBLE, O_INT, O_STRING, O_FAULT, O_FLAG };
struct opt {
    const char *name;
    enum opt_type type;
    size_t off;    /* into struct args */
    double lo, hi; /* ints only; doubles are range-checked by synth_script_init */
    const char *arg, *help;
};

#define PO(f) offsetof(struct args, p) + offsetof(struct synth_params, f)
#define AO(f) offsetof(struct args, f)
static const struct opt opts[] = {
    {"lift", O_STRING, AO(lift), 0, 0, "NAME",
     "rdl|deadlift|kb-swing|good-morning|sl-rdl (sets defaults)"},
    {"reps", O_INT, PO(n_reps), 1, SYNTH_MAX_REPS, "N", "number of reps"},
    {"lowering-s", O_DOUBLE, PO(lowering_s), 0, 0, "SEC", "lowering time"},
    {"pause-s", O_DOUBLE, PO(pause_bottom_s), 0, 0, "SEC", "pause at the bottom"},
    {"rising-s", O_DOUBLE, PO(rising_s), 0, 0, "SEC", "rising time"},
    {"pause-top-s", O_DOUBLE, PO(pause_top_s), 0, 0, "SEC", "pause at lockout between reps"},
    {"lead-in-s", O_DOUBLE, PO(lead_in_s), 0, 0, "SEC", "standing before the first rep"},
    {"lead-out-s", O_DOUBLE, PO(lead_out_s), 0, 0, "SEC", "standing after the last rep"},
    {"depth-deg", O_DOUBLE, PO(depth_deg), 0, 0, "DEG",
     "hip angle (shoulder-hip-knee) at the bottom"},
    {"knee-deg", O_DOUBLE, PO(knee_deg), 0, 0, "DEG", "knee flexion at the bottom"},
    {"knee-var-deg", O_DOUBLE, PO(knee_var_deg), 0, 0, "DEG",
     "knee flexion change over the held descent"},
    {"knee-top-deg", O_DOUBLE, PO(knee_top_deg), 0, 0, "DEG", "knee flexion standing"},
    {"shin-ratio", O_DOUBLE, PO(shin_ratio), 0, 0, "R", "shin angle = R x knee flexion"},
    {"round", O_DOUBLE, PO(round), 0, 0, "FRAC",
     "spine rounding at the bottom (fraction of the chord)"},
    {"bar-offset-cm", O_DOUBLE, PO(bar_offset_cm), 0, 0, "CM",
     "bar ahead of the front of the legs"},
    {"heel-lift-cm", O_DOUBLE, PO(heel_lift_cm), 0, 0, "CM", "heel lift at the bottom"},
    {"neck-deg", O_DOUBLE, PO(neck_deg), 0, 0, "DEG", "neck extension (looking up)"},
    {"protraction", O_DOUBLE, PO(protraction), 0, 0, "FRAC",
     "shoulder joint towards the chest: FRAC x height x sin(arm-trunk angle)"},
    {"yaw-deg", O_DOUBLE, PO(yaw_deg), 0, 0, "DEG",
     "camera angle off side-on (+ shows the front; 90: a front view, -90: from behind)"},
    {"stance-cm", O_DOUBLE, PO(stance_cm), 0, 0, "CM", "ankle centres apart (0: 0.124 x height)"},
    {"toe-out-deg", O_DOUBLE, PO(toe_out_deg), 0, 0, "DEG", "each foot turned out"},
    {"valgus-cm", O_DOUBLE, PO(valgus_cm), 0, 0, "CM", "knees towards the midline at the bottom"},
    {"hip-shift-cm", O_DOUBLE, PO(hip_shift_cm), 0, 0, "CM",
     "pelvis towards the lifter's left at the bottom"},
    {"twist-deg", O_DOUBLE, PO(twist_deg), 0, 0, "DEG",
     "shoulders turned about the trunk at the bottom (+ right shoulder forward)"},
    {"stand-leg", O_STRING, AO(stand_leg), 0, 0, "SIDE",
     "sl-rdl: left|right, the leg the first rep stands on"},
    {"switch-every", O_INT, PO(sl_switch_every), 0, SYNTH_MAX_REPS, "N",
     "sl-rdl: switch the standing leg after every N reps (0: never)"},
    {"body-height-m", O_DOUBLE, PO(height_m), 0, 0, "M", "body height"},
    {"camera-dist-m", O_DOUBLE, PO(camera_dist_m), 0, 0, "M", "camera distance"},
    {"plate-cm", O_DOUBLE, PO(plate_cm), 0, 0, "CM", "plate diameter (0: bar only)"},
    {"near-plate", O_FLAG, PO(near_plate), 0, 0, NULL,
     "draw the near plate in side views too (in front of the near leg and arm)"},
    {"facing", O_STRING, AO(facing), 0, 0, "DIR", "right|left: which way the lifter faces"},
    {"width", O_INT, PO(width_px), 64, 4096, "PX", "upright frame width (even)"},
    {"height", O_INT, PO(height_px), 64, 4096, "PX", "upright frame height (even)"},
    {"fps", O_DOUBLE, PO(fps), 0, 0, "FPS", "frame rate"},
    {"rotate", O_INT, AO(rotate), 0, 270, "DEG",
     "0|90|180|270: store this display rotation; pixels are stored turned the other way"},
    {"fault", O_FAULT, 0, 0, 0, "NAME[@R,..]",
     "inject a fault on every rep or on reps R (repeatable)"},
    {"seed", O_INT, AO(seed), 0, 1000000, "N", "colour variation (0: default look)"},
    {"crf", O_INT, AO(crf), 0, 51, "N", "H.264 quality (0: the writer's default)"},
    {"codec", O_STRING, AO(codec), 0, 0, "NAME", "h264|mpeg4 (default: h264 when available)"},
    {"out", O_STRING, AO(out), 0, 0, "FILE", "write the clip (.mp4)"},
    {"truth", O_STRING, AO(truth), 0, 0, "FILE", "write the truth JSON"},
    {"track", O_STRING, AO(track), 0, 0, "FILE", "write the true landmarks as a track (.jsonl)"},
    {"frames-dir", O_STRING, AO(frames_dir), 0, 0, "DIR",
     "also write every frame as DIR/NNNNNN.ppm"},
    {"help", O_FLAG, AO(help), 0, 0, NULL, "show this help"},
};

static void print_help(FILE *fp, const struct args *a)
{
    fprintf(fp, "usage: hc_synth [options] --out CLIP.mp4 [--truth T.json] [--track T.jsonl]\n"
                "Renders a side-view mannequin doing hip-hinge reps, with known truth.\n\n");
    for (size_t i = 0; i < HC_ARRAY_LEN(opts); i++) {
        const struct opt *o = &opts[i];
        char lhs[64], def[48] = "";
        snprintf(lhs, sizeof lhs, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        const char *base = (const char *)a;
        if (o->type == O_DOUBLE) {
            double v;
            memcpy(&v, base + o->off, sizeof v);
            snprintf(def, sizeof def, " [%g]", v);
        } else if (o->type == O_INT) {
            int v;
            memcpy(&v, base + o->off, sizeof v);
            snprintf(def, sizeof def, " [%d]", v);
        } else if (o->type == O_STRING) {
            const char *v;
            memcpy(&v, base + o->off, sizeof v);
            if (v)
                snprintf(def, sizeof def, " [%s]", v);
        }
        fprintf(fp, "  %-26s %s%s\n", lhs, o->help, def);
    }
    fprintf(fp, "\nfaults (rule the analysis should raise):\n");
    for (int f = 0; f < SYNTH_N_FAULTS; f++)
        fprintf(fp, "  %-15s %-20s %s\n", synth_fault_name(f), synth_fault_rule(f),
                synth_fault_describe(f));
}

static int parse_fault(struct synth_params *p, const char *v)
{
    char name[64];
    const char *at = strchr(v, '@');
    size_t n = at ? (size_t)(at - v) : strlen(v);
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, v, n);
    name[n] = 0;
    int f = synth_fault_from_name(name);
    if (f < 0) {
        fprintf(stderr, "hc_synth: unknown fault '%s'; see hc_synth --help\n", name);
        return -1;
    }
    if (!at)
        return synth_params_add_fault(p, f, 0) == HC_OK ? 0 : -1;
    const char *s = at + 1;
    while (*s) {
        char *end;
        long r = strtol(s, &end, 10);
        if (end == s || r < 1 || r > SYNTH_MAX_REPS || (*end && *end != ',')) {
            fprintf(stderr, "hc_synth: --fault %s: reps must be a list like @2,4 (1..%d)\n", v,
                    SYNTH_MAX_REPS);
            return -1;
        }
        synth_params_add_fault(p, f, (int)r);
        s = *end ? end + 1 : end;
    }
    return 0;
}

/* Two passes: --lift first (it sets the defaults), then every option in order. */
static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->lift = "rdl";
    a->facing = "right";
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--lift") == 0)
            a->lift = argv[i + 1];
    int lift = synth_lift_from_name(a->lift);
    if (lift < 0) {
        fprintf(stderr,
                "hc_synth: unknown lift '%s'; use rdl|deadlift|kb-swing|good-morning|sl-rdl\n",
                a->lift);
        return -1;
    }
    a->p = synth_default_params(lift);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const struct opt *o = NULL;
        if (strncmp(s, "--", 2) == 0)
            for (size_t k = 0; k < HC_ARRAY_LEN(opts); k++)
                if (strcmp(s + 2, opts[k].name) == 0)
                    o = &opts[k];
        if (!o) {
            fprintf(stderr, "hc_synth: unknown option '%s'; see hc_synth --help\n", s);
            return -1;
        }
        char *base = (char *)a;
        if (o->type == O_FLAG) {
            int one = 1;
            memcpy(base + o->off, &one, sizeof one);
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "hc_synth: --%s needs a value (%s)\n", o->name, o->arg);
            return -1;
        }
        const char *v = argv[++i];
        char *end = NULL;
        errno = 0;
        if (o->type == O_DOUBLE) {
            double d = strtod(v, &end);
            if (end == v || *end || errno) {
                fprintf(stderr, "hc_synth: --%s '%s' is not a number\n", o->name, v);
                return -1;
            }
            memcpy(base + o->off, &d, sizeof d);
        } else if (o->type == O_INT) {
            long l = strtol(v, &end, 10);
            if (end == v || *end || errno || l < o->lo || l > o->hi) {
                fprintf(stderr, "hc_synth: --%s '%s': use an integer %g..%g\n", o->name, v, o->lo,
                        o->hi);
                return -1;
            }
            int iv = (int)l;
            memcpy(base + o->off, &iv, sizeof iv);
        } else if (o->type == O_STRING) {
            memcpy(base + o->off, &v, sizeof v);
        } else if (o->type == O_FAULT) {
            if (parse_fault(&a->p, v) != 0)
                return -1;
        }
    }
    if (strcmp(a->facing, "right") == 0)
        a->p.facing = 1;
    else if (strcmp(a->facing, "left") == 0)
        a->p.facing = -1;
    else {
        fprintf(stderr, "hc_synth: --facing '%s': use right|left\n", a->facing);
        return -1;
    }
    if (a->stand_leg && strcmp(a->stand_leg, "left") == 0)
        a->p.sl_stand_left = 1;
    else if (a->stand_leg && strcmp(a->stand_leg, "right") == 0)
        a->p.sl_stand_left = 0;
    else if (a->stand_leg) {
        fprintf(stderr, "hc_synth: --stand-leg '%s': use left|right\n", a->stand_leg);
        return -1;
    }
    if (a->rotate % 90 != 0) {
        fprintf(stderr, "hc_synth: --rotate %d: use 0|90|180|270\n", a->rotate);
        return -1;
    }
    return 0;
}

/* ---- truth file ----------------------------------------------------------------------------- */

static double r1(double v) /* one decimal keeps the committed truth file small */
{
    return isnan(v) ? v : round(v * 10.0) / 10.0;
}

static double r3(double v)
{
    return isnan(v) ? v : round(v * 1000.0) / 1000.0;
}

enum {
    S_T,
    S_HIP,
    S_HIPFLEX,
    S_KNEE,
    S_TORSO,
    S_SHIN,
    S_NECK,
    S_SPINE,
    S_BAR_MF,
    S_BAR_LEG,
    S_BAR_FRONT,
    S_BAR_H,
    S_HEEL,
    S_HIP_MF,
    S_BAR_X,
    S_BAR_Y,
    S_BAR_PPCM,
    /* frontal truth: written for front and rear cameras only (|yaw| >= 60) */
    S_KNEE_VALGUS_L,
    S_KNEE_VALGUS_R,
    S_KNEE_IN_L,
    S_KNEE_IN_R,
    S_FOOT_L,
    S_FOOT_R,
    S_STANCE_HIP,
    S_STANCE_SH,
    S_PELVIS_TILT,
    S_SHOULDER_TILT,
    S_HIP_SHIFT,
    S_TWIST,
    S_N
};
#define S_FRONTAL0 S_KNEE_VALGUS_L
struct series {
    double *v[S_N];
    int *phase, *rep;
};
static const char *const series_names[S_N] = {"t_s",
                                              "hip_angle_deg",
                                              "hip_flexion_deg",
                                              "knee_flexion_deg",
                                              "torso_inclination_deg",
                                              "shin_angle_deg",
                                              "neck_angle_deg",
                                              "spine_curvature",
                                              "bar_midfoot_cm",
                                              "bar_leg_cm",
                                              "bar_leg_front_cm",
                                              "bar_height_cm",
                                              "heel_lift_cm",
                                              "hip_midfoot_cm",
                                              "bar_x_px",
                                              "bar_y_px",
                                              "bar_px_per_cm",
                                              "knee_valgus_left_deg",
                                              "knee_valgus_right_deg",
                                              "knee_in_left_cm",
                                              "knee_in_right_cm",
                                              "foot_angle_left_deg",
                                              "foot_angle_right_deg",
                                              "stance_hip_ratio",
                                              "stance_shoulder_ratio",
                                              "pelvis_tilt_deg",
                                              "shoulder_tilt_deg",
                                              "hip_shift_cm",
                                              "trunk_twist_deg"};

/* The truth of one frame. The bar's image position is the near plate's centre (the bar axis at
 * the plate's depth, where a plate detector finds the bar's end) and bar_px_per_cm the
 * renderer's scale at that depth, so a measured bar path in pixels converts to cm; both null
 * for a kettlebell. */
static void series_put(struct series *s, int64_t i, double t, const struct synth_script *sc,
                       const struct synth_pose *pose)
{
    const struct synth_truth *tr = &pose->truth;
    const int barbell = sc->p.lift != SYNTH_LIFT_KB_SWING;
    const double v[S_N] = {t,
                           tr->hip_angle_deg,
                           tr->hip_flexion_deg,
                           tr->knee_flexion_deg,
                           tr->torso_inclination_deg,
                           tr->shin_angle_deg,
                           tr->neck_angle_deg,
                           tr->spine_curvature,
                           tr->bar_midfoot_cm,
                           tr->bar_leg_cm,
                           tr->bar_leg_front_cm,
                           tr->bar_height_cm,
                           tr->heel_lift_cm,
                           tr->hip_midfoot_cm,
                           barbell ? pose->pt2[SP_PLATE_NEAR][0] : NAN,
                           barbell ? pose->pt2[SP_PLATE_NEAR][1] : NAN,
                           barbell ? pose->px_per_m[SP_PLATE_NEAR] / 100.0 : NAN,
                           tr->knee_valgus_left_deg,
                           tr->knee_valgus_right_deg,
                           tr->knee_in_left_cm,
                           tr->knee_in_right_cm,
                           tr->foot_angle_left_deg,
                           tr->foot_angle_right_deg,
                           tr->stance_hip_ratio,
                           tr->stance_shoulder_ratio,
                           tr->pelvis_tilt_deg,
                           tr->shoulder_tilt_deg,
                           tr->hip_shift_cm,
                           tr->trunk_twist_deg};
    for (int k = 0; k < S_N; k++)
        s->v[k][i] = v[k];
    s->phase[i] = tr->phase;
    s->rep[i] = tr->rep;
}

static cJSON *num_array(const double *v, int64_t n, double (*rnd)(double))
{
    cJSON *a = cJSON_CreateArray();
    for (int64_t i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(rnd(v[i])));
    return a;
}

static double max_in(const struct series *s, int k, int64_t n, double t0, double t1)
{
    double m = NAN;
    for (int64_t i = 0; i < n; i++)
        if (s->v[S_T][i] >= t0 - 1e-9 && s->v[S_T][i] <= t1 + 1e-9 && !isnan(s->v[k][i]))
            m = isnan(m) || s->v[k][i] > m ? s->v[k][i] : m;
    return m;
}

static int write_truth(const char *path, const struct synth_script *sc, const struct args *a,
                       const struct series *s, int64_t n, int argc, char **argv)
{
    const struct synth_params *p = &sc->p;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "hingecheck-synth-truth");
    cJSON_AddNumberToObject(root, "version", 1);
    char cmd[2048] = "hc_synth";
    for (int i = 1; i < argc; i++) {
        strncat(cmd, " ", sizeof cmd - strlen(cmd) - 1);
        strncat(cmd, argv[i], sizeof cmd - strlen(cmd) - 1);
    }
    cJSON_AddStringToObject(root, "command", cmd);

    cJSON *pp = cJSON_AddObjectToObject(root, "params");
    cJSON_AddStringToObject(pp, "lift", synth_lift_name(p->lift));
    cJSON_AddNumberToObject(pp, "n_reps", p->n_reps);
    struct {
        const char *k;
        double v;
    } nums[] = {
        {"lowering_s", p->lowering_s},
        {"pause_bottom_s", p->pause_bottom_s},
        {"rising_s", p->rising_s},
        {"pause_top_s", p->pause_top_s},
        {"lead_in_s", p->lead_in_s},
        {"lead_out_s", p->lead_out_s},
        {"depth_deg", p->depth_deg},
        {"knee_deg", p->knee_deg},
        {"knee_var_deg", p->knee_var_deg},
        {"knee_top_deg", p->knee_top_deg},
        {"shin_ratio", p->shin_ratio},
        {"round", p->round},
        {"bar_offset_cm", p->bar_offset_cm},
        {"heel_lift_cm", p->heel_lift_cm},
        {"neck_deg", p->neck_deg},
        {"protraction", p->protraction},
        {"yaw_deg", p->yaw_deg},

        {"height_m", p->height_m},
        {"camera_dist_m", p->camera_dist_m},
        {"fps", p->fps},
        {"plate_cm", p->plate_cm},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(nums); i++)
        cJSON_AddNumberToObject(pp, nums[i].k, nums[i].v);
    /* the frontal script, for front and rear cameras (side-view truth files stay as they were) */
    if (fabs(p->yaw_deg) >= 60.0) {
        cJSON_AddNumberToObject(pp, "stance_cm", p->stance_cm);
        cJSON_AddNumberToObject(pp, "toe_out_deg", p->toe_out_deg);
        cJSON_AddNumberToObject(pp, "valgus_cm", p->valgus_cm);
        cJSON_AddNumberToObject(pp, "hip_shift_cm", p->hip_shift_cm);
        cJSON_AddNumberToObject(pp, "twist_deg", p->twist_deg);
    }
    cJSON_AddStringToObject(pp, "facing", p->facing > 0 ? "right" : "left");
    cJSON_AddStringToObject(pp, "near_side", p->facing > 0 ? "right" : "left");
    cJSON_AddBoolToObject(pp, "near_plate", p->near_plate);
    cJSON_AddNumberToObject(pp, "seed", a->seed);

    cJSON *clip = cJSON_AddObjectToObject(root, "clip");
    cJSON_AddNumberToObject(clip, "width", p->width_px);
    cJSON_AddNumberToObject(clip, "height", p->height_px);
    cJSON_AddNumberToObject(clip, "rotation_deg", a->rotate);
    cJSON_AddNumberToObject(clip, "fps", p->fps);
    cJSON_AddNumberToObject(clip, "n_frames", (double)n);
    cJSON_AddNumberToObject(clip, "duration_s", r3(sc->duration_s));
    cJSON_AddNumberToObject(clip, "scale_px_per_m", r3(sc->scale_px_per_m));
    cJSON_AddNumberToObject(clip, "floor_y_px", r1(sc->floor_y_px));
    cJSON_AddNumberToObject(clip, "plate_diameter_cm",
                            r1(p->lift == SYNTH_LIFT_KB_SWING ? 0.0 : 200.0 * sc->plate_radius_m));

    cJSON *faults = cJSON_AddArrayToObject(root, "faults");
    for (int f = 0; f < SYNTH_N_FAULTS; f++) {
        if (!p->fault_reps[f])
            continue;
        cJSON *fo = cJSON_CreateObject();
        cJSON_AddStringToObject(fo, "name", synth_fault_name(f));
        cJSON_AddStringToObject(fo, "rule", synth_fault_rule(f));
        cJSON *reps = cJSON_AddArrayToObject(fo, "reps");
        for (int r = 1; r <= p->n_reps; r++)
            if (synth_params_has_fault(p, f, r))
                cJSON_AddItemToArray(reps, cJSON_CreateNumber(r));
        cJSON_AddItemToArray(faults, fo);
    }

    cJSON *reps = cJSON_AddArrayToObject(root, "reps");
    for (int r = 1; r <= p->n_reps; r++) {
        const struct synth_rep *rp = &sc->rep[r - 1];
        struct synth_pose bottom;
        synth_pose_at(sc, rp->t_bottom_s, &bottom);
        cJSON *ro = cJSON_CreateObject();
        cJSON_AddNumberToObject(ro, "index", r);
        cJSON_AddBoolToObject(ro, "partial", 0);
        cJSON_AddNumberToObject(ro, "t_start", r3(rp->t_start_s));
        cJSON_AddNumberToObject(ro, "t_bottom", r3(rp->t_bottom_s));
        cJSON_AddNumberToObject(ro, "t_lockout", r3(rp->t_lockout_s));
        cJSON_AddNumberToObject(ro, "t_end", r3(rp->t_end_s));
        cJSON_AddNumberToObject(ro, "lowering_s", r3(rp->lowering_s));
        cJSON_AddNumberToObject(ro, "pause_bottom_s", r3(rp->pause_bottom_s));
        cJSON_AddNumberToObject(ro, "rising_s", r3(rp->rising_s));
        cJSON_AddNumberToObject(ro, "hip_angle_bottom_deg", r1(bottom.truth.hip_angle_deg));
        cJSON_AddNumberToObject(ro, "knee_flexion_bottom_deg", r1(bottom.truth.knee_flexion_deg));
        cJSON_AddNumberToObject(ro, "torso_inclination_bottom_deg",
                                r1(bottom.truth.torso_inclination_deg));
        cJSON_AddNumberToObject(ro, "shin_angle_bottom_deg", r1(bottom.truth.shin_angle_deg));
        double t0 = rp->t_start_s, t1 = rp->t_end_s + (p->lift == SYNTH_LIFT_DEADLIFT ? 0 : 0.6);
        cJSON_AddNumberToObject(ro, "spine_curvature_max", r3(max_in(s, S_SPINE, n, t0, t1)));
        cJSON_AddNumberToObject(ro, "bar_leg_front_max_cm", r1(max_in(s, S_BAR_FRONT, n, t0, t1)));
        cJSON_AddNumberToObject(ro, "bar_midfoot_max_cm", r1(max_in(s, S_BAR_MF, n, t0, t1)));
        cJSON_AddNumberToObject(ro, "heel_lift_max_cm", r1(max_in(s, S_HEEL, n, t0, t1)));
        cJSON_AddNumberToObject(ro, "neck_angle_max_deg", r1(max_in(s, S_NECK, n, t0, t1)));
        cJSON_AddNumberToObject(ro, "torso_inclination_max_deg", r1(max_in(s, S_TORSO, n, t0, t1)));
        if (p->lift == SYNTH_LIFT_SL_RDL)
            cJSON_AddStringToObject(ro, "standing_leg", rp->stand_left ? "left" : "right");
        cJSON *rf = cJSON_AddArrayToObject(ro, "faults");
        for (int f = 0; f < SYNTH_N_FAULTS; f++)
            if (synth_params_has_fault(p, f, r))
                cJSON_AddItemToArray(rf, cJSON_CreateString(synth_fault_name(f)));
        cJSON_AddItemToArray(reps, ro);
    }

    cJSON *se = cJSON_AddObjectToObject(root, "series");
    const int frontal = fabs(p->yaw_deg) >= 60.0;
    for (int k = 0; k < (frontal ? S_N : S_FRONTAL0); k++)
        cJSON_AddItemToObject(se, series_names[k],
                              num_array(s->v[k], n,
                                        k == S_T || k == S_SPINE || k == S_BAR_PPCM ||
                                                k == S_STANCE_HIP || k == S_STANCE_SH
                                            ? r3
                                            : r1));
    cJSON *ph = cJSON_AddArrayToObject(se, "phase");
    cJSON *rp = cJSON_AddArrayToObject(se, "rep");
    for (int64_t i = 0; i < n; i++) {
        cJSON_AddItemToArray(ph, cJSON_CreateString(synth_phase_name(s->phase[i])));
        cJSON_AddItemToArray(rp, cJSON_CreateNumber(s->rep[i]));
    }

    char *txt = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!txt) {
        fprintf(stderr, "hc_synth: %s: out of memory building the truth JSON\n", path);
        return -1;
    }
    FILE *fp = fopen(path, "w");
    int ok = fp && fputs(txt, fp) >= 0 && fputc('\n', fp) != EOF;
    if (fp && fclose(fp) != 0)
        ok = 0;
    free(txt);
    if (!ok) {
        fprintf(stderr, "hc_synth: %s: cannot write the truth file (%s); check the path\n", path,
                strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- track ---------------------------------------------------------------------------------- */

/* The true landmarks in the project's own track format (docs/TRACK.md), through its writer. */
static enum hc_status track_open(const char *path, const struct synth_script *sc, const char *src,
                                 int rotate, struct hc_track_writer **out)
{
    const struct synth_params *p = &sc->p;
    struct hc_track_header h;
    memset(&h, 0, sizeof h);
    snprintf(h.source, sizeof h.source, "%s", src ? src : "");
    h.width_px = p->width_px;
    h.height_px = p->height_px;
    h.fps = p->fps;
    h.duration_s = sc->duration_s;
    h.rotation_deg = rotate;
    h.n_frames_estimate = synth_script_n_frames(sc);
    snprintf(h.model, sizeof h.model, "%s", "synthetic-truth");
    h.smooth = 0;
    return hc_track_writer_open(path, &h, out);
}

static int write_ppm(const char *dir, int64_t i, const uint8_t *rgb, int w, int h)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%06lld.ppm", dir, (long long)i);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        fprintf(stderr, "hc_synth: %s: cannot write (%s); does the directory exist?\n", path,
                strerror(errno));
        return -1;
    }
    fprintf(fp, "P6\n%d %d\n255\n", w, h);
    size_t ok = fwrite(rgb, (size_t)w * 3, (size_t)h, fp);
    return (fclose(fp) == 0 && ok == (size_t)h) ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct args a;
    if (parse_args(argc, argv, &a) != 0)
        return 1;
    if (a.help) {
        print_help(stdout, &a);
        return 0;
    }
    if (!a.out && !a.truth && !a.track && !a.frames_dir) {
        fprintf(stderr, "hc_synth: nothing to write; give --out, --truth, --track or "
                        "--frames-dir (see --help)\n");
        return 1;
    }
    struct synth_script *sc = malloc(sizeof *sc);
    if (!sc)
        return 2;
    if (synth_script_init(&a.p, sc) != HC_OK) {
        fprintf(stderr, "hc_synth: %s\n", hc_last_error());
        free(sc);
        return 1;
    }
    const int w = a.p.width_px, h = a.p.height_px;
    const int sw = (a.rotate == 90 || a.rotate == 270) ? h : w;
    const int shh = (a.rotate == 90 || a.rotate == 270) ? w : h;
    const int64_t n = synth_script_n_frames(sc);
    int rc = 2;
    uint8_t *rgb = malloc((size_t)w * h * 3), *rot = malloc((size_t)w * h * 3);
    struct series s;
    memset(&s, 0, sizeof s);
    for (int k = 0; k < S_N; k++)
        s.v[k] = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    s.phase = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    s.rep = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    struct hc_track_writer *tw = NULL;
#ifdef HC_SYNTH_HAVE_VIDEO
    struct video_writer *vw = NULL;
#endif
    int ok_alloc = rgb && rot && s.phase && s.rep;
    for (int k = 0; k < S_N; k++)
        ok_alloc = ok_alloc && s.v[k];
    if (!ok_alloc) {
        fprintf(stderr, "hc_synth: out of memory for %dx%d frames\n", w, h);
        goto done;
    }
    if (a.out) {
#ifdef HC_SYNTH_HAVE_VIDEO
        struct video_writer_params wp = video_default_writer_params();
        wp.width_px = sw;
        wp.height_px = shh;
        wp.fps = a.p.fps;
        wp.rotation_deg = a.rotate;
        wp.codec = a.codec;
        wp.crf = a.crf;
        wp.faststart = 1;
        if (video_writer_open(a.out, &wp, &vw) != HC_OK) {
            fprintf(stderr, "hc_synth: %s\n", hc_last_error());
            goto done;
        }
#else
        fprintf(stderr,
                "hc_synth: %s: built without the video writer (src/video); use "
                "--frames-dir\n",
                a.out);
        goto done;
#endif
    }
    if (a.track && track_open(a.track, sc, a.out, a.rotate, &tw) != HC_OK) {
        fprintf(stderr, "hc_synth: %s\n", hc_last_error());
        goto done;
    }
    struct synth_style st;
    synth_style_default(&st, (uint32_t)a.seed);
    const int need_pixels = a.out || a.frames_dir;
    for (int64_t i = 0; i < n; i++) {
        double t = (double)i / a.p.fps;
        struct synth_pose pose;
        synth_pose_at(sc, t, &pose);
        series_put(&s, i, t, sc, &pose);
        if (tw) {
            pose.lm.index = i;
            pose.lm.t_s = t;
            pose.lm.has_pose = 1;
            if (hc_track_writer_write(tw, &pose.lm) != HC_OK) {
                fprintf(stderr, "hc_synth: %s\n", hc_last_error());
                goto done;
            }
        }
        if (!need_pixels)
            continue;
        synth_render(sc, &pose, &st, rgb, w * 3);
        const uint8_t *frame = rgb;
        if (a.rotate) {
            synth_rotate_ccw(rgb, w, h, w * 3, a.rotate, rot, sw * 3);
            frame = rot;
        }
        if (a.frames_dir && write_ppm(a.frames_dir, i, frame, sw, shh) != 0)
            goto done;
#ifdef HC_SYNTH_HAVE_VIDEO
        if (vw && video_writer_write_rgb(vw, frame, sw * 3, -1.0) != HC_OK) {
            fprintf(stderr, "hc_synth: %s\n", hc_last_error());
            goto done;
        }
#endif
    }
#ifdef HC_SYNTH_HAVE_VIDEO
    if (vw) {
        enum hc_status cst = video_writer_close(vw);
        vw = NULL;
        if (cst != HC_OK) {
            fprintf(stderr, "hc_synth: %s\n", hc_last_error());
            goto done;
        }
    }
#endif
    if (tw) {
        enum hc_status tst = hc_track_writer_close(tw);
        tw = NULL;
        if (tst != HC_OK) {
            fprintf(stderr, "hc_synth: %s\n", hc_last_error());
            goto done;
        }
    }
    if (a.truth && write_truth(a.truth, sc, &a, &s, n, argc, argv) != 0)
        goto done;
    rc = 0;
done:
#ifdef HC_SYNTH_HAVE_VIDEO
    video_writer_close(vw);
#endif
    hc_track_writer_close(tw); /* after an error: the partial track is reported above */
    for (int k = 0; k < S_N; k++)
        free(s.v[k]);
    free(s.phase);
    free(s.rep);
    free(rgb);
    free(rot);
    free(sc);
    return rc;
}
