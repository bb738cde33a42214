/* kin_series.c - a whole clip of kinematics: clip-level side, facing and view, the floor line,
 * heel-lift baseline, smoothing and velocities. */
#include "kin/kin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Median of the finite values of v[0..n) using `tmp` (n entries) as scratch; NaN if none. */
static double median_finite(const double *v, size_t n, double *tmp)
{
    if (n)
        memcpy(tmp, v, n * sizeof *tmp);
    return hc_median_finite(tmp, n);
}

void kin_series_free(struct kin_series *s)
{
    if (!s)
        return;
    free(s->t_s);
    for (int m = 0; m < KIN_N_METRICS; m++) {
        free(s->value[m]);
        free(s->raw[m]);
        free(s->conf[m]);
    }
    free(s->has_pose);
    free(s->spine_src);
    free(s->knee_hidden);
    free(s->bar_src);
    free(s->stand);
    for (int j = 0; j < KIN_N_JOINTS; j++)
        free(s->doubt[j]);
    free(s);
}

/* A frame is "standing" when the hips and knees are extended: hip angle above 160 deg and knee
 * flexion below 20 deg (the top of every hinge lift; the soft-knee cue allows 15-20 deg). */
static int standing(const double *hip, const double *knee, size_t i)
{
    return isfinite(hip[i]) && isfinite(knee[i]) && hip[i] > 160.0 && knee[i] < 20.0;
}

int kin_frame_standing(const struct kin_series *s, size_t i)
{
    return s && i < s->n && standing(s->raw[KIN_HIP_ANGLE], s->raw[KIN_KNEE_FLEXION], i);
}

/* The parameters a series measures its frames with: the clip's view verdict, not each frame's
 * jitter, picks the path and the confidence factor. */
static void series_frame_params(const struct kin_series *s, const struct kin_params *p,
                                struct kin_params *pc)
{
    *pc = *p;
    pc->plate_cm_per_px = s->scale_plate ? p->plate_cm_per_px : 0.0;
    if (s->view == KIN_VIEW_SIDE) {
        pc->oblique_deg = pc->front_deg = 1e9; /* the clip verdict decides, not frame jitter */
    } else if (s->view == KIN_VIEW_OBLIQUE) {
        pc->oblique_conf_factor = p->oblique_conf_factor;
        pc->front_deg = 1e9;
        pc->oblique_deg = -1.0;
    } else if (s->view == KIN_VIEW_FRONT) {
        pc->oblique_deg = pc->front_deg = -1.0;
    }
}

void kin_series_measure_frame(const struct kin_series *s, const struct hc_pose_frame *f,
                              int width_px, int height_px, const struct kin_params *p,
                              const struct kin_mask *mask, struct kin_frame *out)
{
    struct kin_params defp = kin_default_params(), pc;
    series_frame_params(s, p ? p : &defp, &pc);
    kin_frame_measure(f, width_px, height_px, &pc, s->side, s->facing, s->use_world, mask, out);
}

/* The implement. Told (kin_params.implement) or recognised from how far apart the hands are:
 * both hands on a kettlebell's one handle touch (wrists about a hand breadth apart, 8-9 cm,
 * against a shoulder width of about 40 cm: ratio 0.2-0.35), a barbell's conventional grip is
 * just outside the legs, about shoulder width or wider (Rippetoe, Starting Strength 3rd ed.:
 * ratio 1 or more). Only where the camera sees the body's width: in oblique and front views
 * (over 30 deg from side-on, the lateral axis shows at sin 30 = 0.5 or more) the ratio of the
 * image wrist gap to the image shoulder gap is the true ratio (both project alike). Side-on
 * the hands overlap in the image and MediaPipe's world depth of the far wrist is a guess: on
 * its landmarks for real side-view clips the world wrist gap / shoulder gap read 0.54-0.71
 * for the barbell clips and 0.53-0.87 for the kettlebell clips (medians over the frames with
 * the hands below the hips), no separation, so side views stay unknown. Measured image ratio
 * (oblique, MediaPipe's landmarks, hands below the hips): 0.42 on a real front-oblique
 * kettlebell deadlift, 0.38 on a real oblique kettlebell swing; kettlebell below
 * kin_params.kettlebell_gap_max (0.6), barbell above barbell_gap_min (0.85: a grip at shoulder
 * width, less 15% for a bar not square to the camera), between: unknown; the caller gives both
 * (the lift table's), none: the implement is not recognised. Frames: the hands below the hips
 * (holding the weight, not walking in with it), both wrists and shoulders visible; at least 10
 * frames, else unknown. Side views: what the image shows (kin_params.implement_image, the
 * plates or the bell found near the hands) when its confidence is at least
 * implement_image_min_conf; not in other views, where rings on the thighs pass for plates or
 * bells (docs/IMPLEMENT.md, "Weak"). */
static void series_implement(struct kin_series *s, const struct hc_pose_frame *frames, size_t n,
                             const struct kin_params *p, double *tmp, double *scratch)
{
    const double kb_max = p->kettlebell_gap_max, bar_min = p->barbell_gap_min;
    const double hands_low_m = 0.05;
    const size_t min_frames = 10;
    s->hand_gap_ratio = NAN;
    s->implement_given = p->implement != KIN_IMPLEMENT_UNKNOWN;
    s->implement = p->implement;
    s->implement_source = s->implement_given ? KIN_IMPLEMENT_FROM_GIVEN : KIN_IMPLEMENT_FROM_NONE;
    if (!s->implement_given && s->view == KIN_VIEW_SIDE &&
        p->implement_image != KIN_IMPLEMENT_UNKNOWN &&
        p->implement_image_conf >= p->implement_image_min_conf) {
        s->implement = p->implement_image;
        s->implement_source = KIN_IMPLEMENT_FROM_IMAGE;
    }
    if (s->view != KIN_VIEW_OBLIQUE && s->view != KIN_VIEW_FRONT)
        return;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        tmp[i] = NAN;
        if (!frames[i].has_pose)
            continue;
        const struct hc_landmark *lm = frames[i].lm;
        const float(*w)[3] = frames[i].world_m;
        const int need[4] = {HC_LM_LEFT_WRIST, HC_LM_RIGHT_WRIST, HC_LM_LEFT_SHOULDER,
                             HC_LM_RIGHT_SHOULDER};
        int ok = 1;
        for (int k = 0; k < 4; k++)
            ok &= lm[need[k]].visibility >= p->min_visibility;
        /* world y points down from the hips' midpoint */
        if (!ok || !(w[HC_LM_LEFT_WRIST][1] > hands_low_m && w[HC_LM_RIGHT_WRIST][1] > hands_low_m))
            continue;
        double gs = hypot(lm[HC_LM_LEFT_SHOULDER].x_px - lm[HC_LM_RIGHT_SHOULDER].x_px,
                         lm[HC_LM_LEFT_SHOULDER].y_px - lm[HC_LM_RIGHT_SHOULDER].y_px);
        double gw = hypot(lm[HC_LM_LEFT_WRIST].x_px - lm[HC_LM_RIGHT_WRIST].x_px,
                          lm[HC_LM_LEFT_WRIST].y_px - lm[HC_LM_RIGHT_WRIST].y_px);
        if (gs > 1.0) {
            tmp[i] = gw / gs;
            m++;
        }
    }
    if (m < min_frames)
        return;
    s->hand_gap_ratio = median_finite(tmp, n, scratch);
    if (!s->implement_given && kb_max > 0.0 && bar_min > 0.0) {
        s->implement = s->hand_gap_ratio < kb_max    ? KIN_IMPLEMENT_KETTLEBELL
                       : s->hand_gap_ratio > bar_min ? KIN_IMPLEMENT_BARBELL
                                                     : KIN_IMPLEMENT_UNKNOWN;
        s->implement_source = s->implement != KIN_IMPLEMENT_UNKNOWN ? KIN_IMPLEMENT_FROM_HANDS
                                                                    : KIN_IMPLEMENT_FROM_NONE;
    }
}

/* The implement's outlines (kin_params.implement_frames) are read on side views measured in the
 * image, when they are outlines of the clip's implement (plates for a barbell, a bell for a
 * kettlebell: the driver passes those of the image's verdict, and --implement may say
 * otherwise). A frame's outline is used (ok[i] = 1) when it is of that kind and, for a plate,
 * the hands as kin reads them (the visible wrists) lie within one radius of the stretch from
 * the plate's centre up to a hand length (19 cm) above it: the bar lies in the fingers, the
 * wrist landmark up to a hand above it (16 cm on a real side-view barbell deadlift), and a hand
 * hidden behind the plate is put anywhere on its face. The detector places its search at the
 * mean of both hands, and on that deadlift the far hand, put on the chest at lockout, pulled it
 * to a circle on the torso 26 cm above the near wrist, smaller than the plate: the near hand
 * lies below such a circle, not on it. Returns the number of frames used. */
static size_t series_outlines(const struct kin_series *s, const struct hc_pose_frame *frames,
                              const struct kin_params *p, uint8_t *ok)
{
    const double hand_cm = 19.0;
    const enum kin_outline want = s->implement == KIN_IMPLEMENT_BARBELL      ? KIN_OUTLINE_PLATE
                                  : s->implement == KIN_IMPLEMENT_KETTLEBELL ? KIN_OUTLINE_BELL
                                                                              : KIN_OUTLINE_NONE;
    memset(ok, 0, s->n ? s->n : 1);
    if (!p->implement_frames || p->n_implement_frames != s->n || s->use_world ||
        s->view != KIN_VIEW_SIDE || want == KIN_OUTLINE_NONE || !isfinite(s->cm_per_px))
        return 0;
    const struct kin_implement_frame *of = p->implement_frames;
    size_t used = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (of[i].kind != want || !frames[i].has_pose || !(of[i].r_px > 0.0f))
            continue;
        if (want == KIN_OUTLINE_PLATE) {
            const struct hc_landmark *lm = frames[i].lm;
            const float vl = lm[HC_LM_LEFT_WRIST].visibility, vr = lm[HC_LM_RIGHT_WRIST].visibility;
            double hx, hy;
            if (vl >= p->min_visibility && vr >= p->min_visibility) {
                hx = 0.5 * (lm[HC_LM_LEFT_WRIST].x_px + lm[HC_LM_RIGHT_WRIST].x_px);
                hy = 0.5 * (lm[HC_LM_LEFT_WRIST].y_px + lm[HC_LM_RIGHT_WRIST].y_px);
            } else {
                const int w = vl >= vr ? HC_LM_LEFT_WRIST : HC_LM_RIGHT_WRIST;
                hx = lm[w].x_px;
                hy = lm[w].y_px;
            }
            /* image up = -y: the stretch from the centre up a hand length */
            const double up = of[i].cy_px - hy, hand_px = hand_cm / s->cm_per_px;
            const double along = up < 0.0 ? 0.0 : up > hand_px ? hand_px : up;
            if (!(hypot(hx - of[i].cx_px, up - along) <= of[i].r_px))
                continue;
        }
        ok[i] = 1;
        used++;
    }
    return used;
}

/* The two scales (kin_series.body_cm_per_px, plate_cm_per_px) and the one the cm figures use.
 * The plate's when the series reads a barbell's plate outlines, the image's verdict was
 * confident (implement_image_min_conf) and the plates look standard-sized (not plates_small):
 * a plate's diameter is fixed (45 cm for 20-25 kg plates and bumpers), whereas the body's scale
 * rests on MediaPipe's world leg length, a guess from a body of typical proportions. The near
 * plate stands about half a metre nearer the camera than the near leg, so its scale reads the
 * leg's plane short by about that share of the camera's distance (docs/RULES.md, "The bar and
 * the image's scale"): plate / body at most 1 when both are right. Past max_agreement (1.15, the
 * body's scale's own spread) one of them is wrong (a smaller plate than --plate-cm says, a
 * circle that is not the plate, a body of unusual proportions) and the body's scale, the one the
 * rules' cm limits were set with, is kept. */
static void series_scale(struct kin_series *s, const struct kin_params *p)
{
    const double max_agreement = 1.15;
    s->body_cm_per_px = s->cm_per_px;
    s->plate_cm_per_px = p->plate_cm_per_px > 0.0 ? p->plate_cm_per_px : NAN;
    s->plates_small = p->plates_small;
    s->scale_plate = s->outlines && s->implement == KIN_IMPLEMENT_BARBELL &&
                     p->plate_cm_per_px > 0.0 && !p->plates_small &&
                     p->implement_image == KIN_IMPLEMENT_BARBELL &&
                     p->implement_image_conf >= p->implement_image_min_conf &&
                     p->plate_cm_per_px <= max_agreement * s->body_cm_per_px;
    if (s->scale_plate)
        s->cm_per_px = p->plate_cm_per_px;
}

/* The bar point of each frame (bx, by: frame px; NaN: the hands) and kin_series.bar_src. On a
 * side view with a barbell's plate outlines the bar is the near plate's centre, the bar's end:
 * the hands' midpoint is wrong there whenever the plate hides the hands (the pose model then puts
 * the wrists anywhere on the plate's face) or the model slides a wrist onto the plate's rim. A
 * frame without a plate between two frames with one at most bar_gap_s apart takes the centre
 * interpolated in time (0.2 s: the smoothing window; the bar moves at most about 1 m/s in a
 * deadlift, so a straight line over 0.2 s is off by a few cm at a turnaround at worst); a frame
 * in a longer gap falls back to the hands, and its bar metrics' confidence is lowered by
 * hands_conf_factor (0.8): on a clip whose plates are seen, a frame that lost them is one where
 * the plate was blurred or hidden, or the hands were far off the bar. */
static void series_bar_points(struct kin_series *s, const struct kin_params *p,
                              const uint8_t *ok, double *bx, double *by)
{
    const double bar_gap_s = 0.2;
    const struct kin_implement_frame *of = p->implement_frames;
    /* only circles whose size confirms them as the plates (series_scale: the plate's scale
     * taken): on real side-view barbell clips whose circles read 1.38-1.44 x the body's scale
     * (a hub, a smaller plate, another ring) their centres moved bar drift by up to 9 cm */
    const int plates = s->scale_plate; /* implies a barbell's plate outlines */
    size_t n_posed = 0, n_plate = 0;
    long prev = -1; /* the last frame with a plate */
    for (size_t i = 0; i < s->n; i++) {
        bx[i] = by[i] = NAN;
        s->bar_src[i] = s->has_pose[i] ? KIN_BAR_SRC_HANDS : KIN_BAR_SRC_NONE;
        if (!plates || !ok[i] || of[i].kind != KIN_OUTLINE_PLATE)
            continue;
        bx[i] = of[i].cx_px;
        by[i] = of[i].cy_px;
        if (s->has_pose[i])
            s->bar_src[i] = KIN_BAR_SRC_PLATE;
        if (prev >= 0 && (size_t)prev + 1 < i && s->t_s[i] - s->t_s[prev] <= bar_gap_s + 1e-9) {
            const double t0 = s->t_s[prev], dt = s->t_s[i] - t0;
            for (size_t j = (size_t)prev + 1; j < i; j++) {
                const double w = dt > 0.0 ? (s->t_s[j] - t0) / dt : 0.5;
                bx[j] = bx[prev] + w * (bx[i] - bx[prev]);
                by[j] = by[prev] + w * (by[i] - by[prev]);
                if (s->has_pose[j])
                    s->bar_src[j] = KIN_BAR_SRC_GAP;
            }
        }
        prev = (long)i;
    }
    for (size_t i = 0; i < s->n; i++) {
        n_posed += s->has_pose[i] != 0;
        n_plate += s->bar_src[i] == KIN_BAR_SRC_PLATE || s->bar_src[i] == KIN_BAR_SRC_GAP;
    }
    s->bar_plate_share = n_posed ? (double)n_plate / (double)n_posed : 0.0;
}

/* Near-side landmark of each enum kin_joint. */
static int joint_landmark(enum kin_side side, int j)
{
    static const int left[KIN_N_JOINTS] = {
        HC_LM_LEFT_SHOULDER, HC_LM_LEFT_HIP,   HC_LM_LEFT_KNEE, HC_LM_LEFT_ANKLE,
        HC_LM_LEFT_WRIST,    HC_LM_LEFT_EAR,   HC_LM_LEFT_HEEL, HC_LM_LEFT_FOOT_INDEX};
    static const int right[KIN_N_JOINTS] = {
        HC_LM_RIGHT_SHOULDER, HC_LM_RIGHT_HIP, HC_LM_RIGHT_KNEE, HC_LM_RIGHT_ANKLE,
        HC_LM_RIGHT_WRIST,    HC_LM_RIGHT_EAR, HC_LM_RIGHT_HEEL, HC_LM_RIGHT_FOOT_INDEX};
    return side == KIN_SIDE_RIGHT ? right[j] : left[j];
}

/* KIN_DOUBT_PLATE: a near-side joint inside the near plate's outline on that frame. Side-on the
 * near plate stands between the camera and the near leg, so whatever lies inside its outline is
 * hidden, and the pose model still reports it at high visibility (it guesses the joint on the
 * plate or where the body usually is). The outline is grown by outline_margin (5% of the
 * radius): the detector fits a circle to the outermost luma step, and a plate a little off
 * side-on is an ellipse whose long axis exceeds the fitted radius by a few percent; a joint
 * centre that close to the rim has half the joint behind the plate anyway. Plates only: a
 * kettlebell hangs between the legs, behind the near leg, and hides none of its joints. */
static void series_outline_doubt(struct kin_series *s, const struct hc_pose_frame *frames,
                                 const struct kin_params *p, const uint8_t *ok)
{
    const double outline_margin = 0.05;
    if (!s->outlines || s->implement != KIN_IMPLEMENT_BARBELL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        const struct kin_implement_frame *o = &p->implement_frames[i];
        if (!frames[i].has_pose || !ok[i] || o->kind != KIN_OUTLINE_PLATE)
            continue;
        const double r = o->r_px * (1.0 + outline_margin);
        for (int j = 0; j < KIN_N_JOINTS; j++) {
            const struct hc_landmark *l = &frames[i].lm[joint_landmark(s->side, j)];
            if (hypot(l->x_px - o->cx_px, l->y_px - o->cy_px) <= r && !s->doubt[j][i])
                s->doubt[j][i] = KIN_DOUBT_PLATE;
        }
    }
}

/* Knee occlusion. From a side camera a barbell's near plate (kin_params.plate_radius_cm, x 1.2
 * for its perspective, as for the heel-lift and spine-mask gates) covers the knee when the bar
 * is near it, and MediaPipe then often puts the knee on the plate while still reporting it
 * visible: on a good real side-view barbell deadlift the near knee sits on the plate with
 * visibility 0.83 through the whole floor phase and the hip angle reads 30-38 deg (a 15/100
 * set). The plate reaches the knee at the bottom of every real barbell deadlift we checked
 * (plate-knee distance under 22.5 cm on 23-96% of the deep frames), where MediaPipe mostly
 * places the knee well, so the plate alone does not condemn a knee: a frame's knee is a guess
 * when the plate covers it AND the leg does not confirm it: the knee or the ankle below it
 * unseen (visibility under min_visibility: on that good deadlift the ankle reads 0.36-0.43 at
 * the floor), or the shin more than 40 deg from vertical (a conventional deadlift starts with
 * the shins about 10-25 deg forward: the synthetic deadlift reads 23.6-25.5, a real kettlebell
 * deadlift 20-30; the 'deadlift' rows err at 40; two real cropped barbell clips read 46-50
 * with the plate in
 * front of the knees and a knee guessed ahead of the toes). Frames within half the smoothing
 * window of such a frame are marked too: the smoothed angles mix them in. Image path only
 * (side views; the world path has no image plate), and not with a kettlebell (a bell between
 * the legs, 21 cm across, hides no knee from the side). The bar is anywhere from the wrist
 * landmark to a hand length below it: on that good deadlift the wrist landmark sits 16 cm above the
 * bar, not the 8 cm (half a hand) the heel gate assumes, and its guessed knee lies 29 cm from
 * that gate's plate centre, on the plate's rim. Where the image showed the plate on a frame
 * (kin_series.outlines), a knee inside its outline (KIN_DOUBT_PLATE) is covered too, and the
 * disc stays besides it: on real side-view barbell clips the pose model misplaced knees just
 * outside the outline (the disc alone, on four clips with the plates seen, kept 8 knee errors
 * from guessed knees that the outline alone let through: knee-squat, shin-forward). Series
 * without outlines (a pose track without its video) use the disc alone. */
static void series_knee_gate(struct kin_series *s, const struct hc_pose_frame *frames,
                             const struct kin_params *p, const uint8_t *ok)
{
    const double plate_r_cm = p->plate_radius_cm * 1.2, hand_cm = 19.0, shin_max_deg = 40.0;
    if (s->use_world || !isfinite(s->cm_per_px) || s->implement == KIN_IMPLEMENT_KETTLEBELL)
        return;
    const int right = s->side == KIN_SIDE_RIGHT;
    const int kn = right ? HC_LM_RIGHT_KNEE : HC_LM_LEFT_KNEE;
    const int an = right ? HC_LM_RIGHT_ANKLE : HC_LM_LEFT_ANKLE;
    size_t n_hidden = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!frames[i].has_pose)
            continue;
        const struct hc_landmark *lm = frames[i].lm;
        int covered = s->outlines && ok[i] && s->doubt[KIN_J_KNEE][i] == KIN_DOUBT_PLATE;
        if (!covered) {
            const int wl = lm[HC_LM_LEFT_WRIST].visibility >= lm[HC_LM_RIGHT_WRIST].visibility
                               ? HC_LM_LEFT_WRIST : HC_LM_RIGHT_WRIST;
            /* the bar: 0 to a hand length (19 cm: 0.108 of 1.75 m, Winter) below the wrist
             * landmark (image down = +y); the plate's disc around any point of that segment */
            const double unit = s->cm_per_px, dx = lm[kn].x_px - lm[wl].x_px;
            const double dy = lm[kn].y_px - lm[wl].y_px, seg = hand_cm / unit;
            const double along = dy < 0.0 ? 0.0 : dy > seg ? seg : dy;
            covered = hypot(dx, dy - along) * unit < plate_r_cm;
        }
        if (!covered)
            continue;
        const double shin = s->raw[KIN_SHIN_ANGLE][i];
        if (!(lm[kn].visibility >= p->min_visibility) || !(lm[an].visibility >= p->min_visibility) ||
            (isfinite(shin) && shin > shin_max_deg)) {
            s->knee_hidden[i] = 2; /* 2: judged here; 1: a neighbour (below) */
            n_hidden++;
        }
    }
    if (n_hidden == 0)
        return;
    const double half = 0.5 * p->smooth_window_s;
    for (size_t i = 0; i < s->n; i++) {
        if (s->knee_hidden[i] != 2)
            continue;
        for (size_t j = i; j-- > 0 && s->t_s[i] - s->t_s[j] <= half;)
            if (!s->knee_hidden[j])
                s->knee_hidden[j] = 1;
        for (size_t j = i + 1; j < s->n && s->t_s[j] - s->t_s[i] <= half; j++)
            if (!s->knee_hidden[j])
                s->knee_hidden[j] = 1;
    }
}

static enum hc_status series_compute(const struct hc_pose_frame *frames, size_t n, int width_px,
                                     int height_px, const struct kin_mask *masks,
                                     const struct kin_spine_sample *samples,
                                     const struct kin_params *p, struct kin_series **out)
{
    enum hc_status st = HC_ERR_NOMEM;
    struct kin_params defp = kin_default_params();
    struct kin_series *s = NULL;
    double *tmp = NULL, *tmp2 = NULL, *bar_xy = NULL;
    uint8_t *outline_ok = NULL;
    struct kin_frame kf;
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "kin_series_compute: no output pointer");
    *out = NULL;
    if ((n > 0 && !frames) || width_px <= 0 || height_px <= 0)
        return hc_fail(HC_ERR_INVALID_ARG,
                       "kin_series_compute: %zu frames of %dx%d px; need frames and a frame size",
                       n, width_px, height_px);
    if (!p)
        p = &defp;
    size_t cnt = n ? n : 1, bytes;
    if (hc_mul_size(cnt, sizeof(double), &bytes) != 0)
        return hc_fail(HC_ERR_TOO_LARGE, "kin_series_compute: %zu frames is too many", n);
    s = calloc(1, sizeof *s);
    if (!s)
        goto fail;
    s->n = n;
    s->t_s = malloc(bytes);
    s->has_pose = calloc(cnt, 1);
    s->spine_src = calloc(cnt, 1);
    s->knee_hidden = calloc(cnt, 1);
    s->bar_src = calloc(cnt, 1);
    s->stand = calloc(cnt, 1);
    tmp = malloc(bytes);
    tmp2 = malloc(bytes);
    bar_xy = malloc(2 * bytes);
    outline_ok = calloc(cnt, 1);
    if (!s->t_s || !s->has_pose || !s->spine_src || !s->knee_hidden || !s->bar_src ||
        !s->stand || !tmp || !tmp2 || !bar_xy || !outline_ok)
        goto fail;
    for (int j = 0; j < KIN_N_JOINTS; j++)
        if (!(s->doubt[j] = calloc(cnt, 1)))
            goto fail;
    for (int m = 0; m < KIN_N_METRICS; m++) {
        s->value[m] = malloc(bytes);
        s->raw[m] = malloc(bytes);
        s->conf[m] = calloc(cnt, sizeof(float));
        if (!s->value[m] || !s->raw[m] || !s->conf[m])
            goto fail;
    }

    /* pass 1: per-frame side, facing, view and scale, voted over the clip */
    double side_vote = 0.0, face_vote = 0.0;
    for (size_t i = 0; i < n; i++) {
        s->t_s[i] = frames[i].t_s;
        s->has_pose[i] = frames[i].has_pose != 0;
        tmp[i] = tmp2[i] = NAN;
        if (!frames[i].has_pose)
            continue;
        s->n_posed++;
        kin_frame_measure(&frames[i], width_px, height_px, p, KIN_SIDE_UNKNOWN, 0, 0, NULL, &kf);
        tmp[i] = kf.view_angle_deg;
        tmp2[i] = kf.cm_per_px;
        side_vote += kf.side == KIN_SIDE_LEFT ? 1 : kf.side == KIN_SIDE_RIGHT ? -1 : 0;
        face_vote += kf.facing;
    }
    s->side = side_vote > 0 ? KIN_SIDE_LEFT : side_vote < 0 ? KIN_SIDE_RIGHT : KIN_SIDE_UNKNOWN;
    s->facing = face_vote > 0 ? 1 : face_vote < 0 ? -1 : 0;
    double *scratch = s->raw[0]; /* free until pass 2 */
    s->view_angle_deg = median_finite(tmp, n, scratch);
    s->cm_per_px = median_finite(tmp2, n, scratch);
    s->view = !isfinite(s->view_angle_deg)         ? KIN_VIEW_UNKNOWN
              : s->view_angle_deg > p->front_deg   ? KIN_VIEW_FRONT
              : s->view_angle_deg > p->oblique_deg ? KIN_VIEW_OBLIQUE
                                                   : KIN_VIEW_SIDE;
    s->use_world = s->view == KIN_VIEW_OBLIQUE || s->view == KIN_VIEW_FRONT;
    s->spine_source = KIN_SPINE_NONE;
    series_implement(s, frames, n, p, tmp, scratch);
    s->outlines = series_outlines(s, frames, p, outline_ok) > 0;
    series_scale(s, p);
    double *bar_x = bar_xy, *bar_y = bar_xy + cnt;
    series_bar_points(s, p, outline_ok, bar_x, bar_y);

    /* a single-leg set: each frame's standing leg (kin_single_leg.c) */
    kin_series_stance(s, frames, p, tmp);

    /* pass 2: measure every frame with the clip's side (a single-leg set: the frame's standing
     * leg) and facing, one view factor per clip */
    struct kin_params pc;
    series_frame_params(s, p, &pc);
    const float gap_vis = 0.9f, hands_conf_factor = 0.8f; /* series_bar_points */
    /* both feet down: the ankles within a tenth of the leg's length in height (a single-leg
     * stance lifts the free ankle past 0.3 of it) */
    const double both_feet_rise = 0.1;
    const int bar_metrics[4] = {KIN_BAR_MIDFOOT, KIN_BAR_LEG, KIN_BAR_HEIGHT, KIN_BAR_FRONT};
    for (size_t i = 0; i < n; i++) {
        const struct kin_mask *mk = masks && masks[i].data ? &masks[i] : NULL;
        const double bp[2] = {p->bar_plate_forward ? bar_x[i] : NAN, bar_y[i]};
        const int plate_bar =
            s->bar_src[i] == KIN_BAR_SRC_PLATE || s->bar_src[i] == KIN_BAR_SRC_GAP;
        const enum kin_side fs = kin_series_frame_side(s, i);
        kin_frame_measure_bar(&frames[i], width_px, height_px, &pc, fs, s->facing, s->use_world,
                              mk, plate_bar ? bp : NULL,
                              s->bar_src[i] == KIN_BAR_SRC_GAP ? gap_vis : 1.0f, &kf);
        /* a single-leg set with both feet down: a standing leg on the far side that the camera
         * does not see is measured on the near one (both legs stand alike there; side-on the
         * far leg hides behind the near one between reps) */
        if (fs != s->side && s->side != KIN_SIDE_UNKNOWN && !(kf.conf[KIN_HIP_ANGLE] > 0.0f) &&
            frames[i].has_pose && fabs(kin_frame_foot_rise(&frames[i])) < both_feet_rise)
            kin_frame_measure_bar(&frames[i], width_px, height_px, &pc, s->side, s->facing,
                                  s->use_world, mk, plate_bar ? bp : NULL,
                                  s->bar_src[i] == KIN_BAR_SRC_GAP ? gap_vis : 1.0f, &kf);
        for (int m = 0; m < KIN_N_METRICS; m++) {
            s->raw[m][i] = kf.value[m];
            s->conf[m][i] = kf.conf[m];
        }
        if (s->scale_plate && s->bar_src[i] == KIN_BAR_SRC_HANDS)
            for (int k = 0; k < 4; k++)
                s->conf[bar_metrics[k]][i] *= hands_conf_factor;
        /* a spine value the driver measured from a mask earlier (kin_series_measure_frame) */
        if (samples && !s->use_world && frames[i].has_pose && isfinite(samples[i].value) &&
            samples[i].conf > 0.0f) {
            kf.spine_src = KIN_SPINE_MASK;
            s->raw[KIN_SPINE_CURVATURE][i] = samples[i].value;
            s->conf[KIN_SPINE_CURVATURE][i] = samples[i].conf;
            kf.conf[KIN_SPINE_CURVATURE] = samples[i].conf;
        }
        s->spine_src[i] = (uint8_t)kf.spine_src;
        if (kf.conf[KIN_SPINE_CURVATURE] > 0)
            s->spine_source = kf.spine_src == KIN_SPINE_MASK ? KIN_SPINE_MASK
                              : s->spine_source == KIN_SPINE_MASK ? KIN_SPINE_MASK
                                                                  : KIN_SPINE_PROXY;
    }

    series_outline_doubt(s, frames, p, outline_ok);
    /* the frontal measures (front, rear and oblique views) */
    kin_series_frontal(s, frames, p, tmp, tmp2);
    /* the single-leg measures (the pelvis's one reads the frontal confidence factor) */
    kin_series_single_leg(s, frames, p);

    /* floor line (image path): least squares y = a + b x through the heel and toe landmarks of
     * standing frames; heights are then measured above it (cm via the clip's image scale). */
    s->floor_a = s->floor_b = NAN;
    if (!s->use_world && isfinite(s->cm_per_px)) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        size_t np = 0;
        const int feet[4] = {HC_LM_LEFT_HEEL, HC_LM_RIGHT_HEEL, HC_LM_LEFT_FOOT_INDEX,
                             HC_LM_RIGHT_FOOT_INDEX};
        for (size_t i = 0; i < n; i++) {
            if (!frames[i].has_pose || !standing(s->raw[KIN_HIP_ANGLE], s->raw[KIN_KNEE_FLEXION], i))
                continue;
            for (int k = 0; k < 4; k++) {
                const struct hc_landmark *l = &frames[i].lm[feet[k]];
                if (!(l->visibility >= p->min_visibility))
                    continue;
                sx += l->x_px;
                sy += l->y_px;
                sxx += (double)l->x_px * l->x_px;
                sxy += (double)l->x_px * l->y_px;
                np++;
            }
        }
        if (np >= 8) {
            /* The feet of one lifter span a single foot length in x, so a fitted slope is the
             * slope of the foot (heel above toe), not of the floor: on MediaPipe's landmarks
             * for the real clips it tilted the line enough to read 15-50 cm of "heel lift".
             * Keep the floor level unless the foot points spread over 3x the image scale of a
             * 25 cm foot (a lifter who moved along the floor). */
            double den = np * sxx - sx * sx;
            double spread_px = np > 1 && den > 0 ? sqrt(den) / np : 0.0;
            double b = spread_px * s->cm_per_px > 75.0 ? (np * sxy - sx * sy) / den : 0.0;
            if (fabs(b) > 0.2) /* > 11 deg of tilt is not a floor; level it */
                b = 0.0;
            s->floor_a = (sy - b * sx) / np;
            s->floor_b = b;
        }
    }
    if (isfinite(s->floor_a)) {
        const int side_hip = s->side == KIN_SIDE_RIGHT ? HC_LM_RIGHT_HIP : HC_LM_LEFT_HIP;
        for (size_t i = 0; i < n; i++) {
            if (!frames[i].has_pose)
                continue;
            const struct hc_landmark *lm = frames[i].lm;
            double bx, by;
            float vl = lm[HC_LM_LEFT_WRIST].visibility, vr = lm[HC_LM_RIGHT_WRIST].visibility;
            if (s->bar_src[i] == KIN_BAR_SRC_PLATE || s->bar_src[i] == KIN_BAR_SRC_GAP) {
                bx = bar_x[i]; /* the near plate's centre (series_bar_points) */
                by = bar_y[i];
            } else if (vl >= p->min_visibility && vr >= p->min_visibility) {
                bx = 0.5 * (lm[15].x_px + lm[16].x_px);
                by = 0.5 * (lm[15].y_px + lm[16].y_px);
            } else {
                int w = vl >= vr ? 15 : 16;
                bx = lm[w].x_px;
                by = lm[w].y_px;
            }
            if (s->conf[KIN_BAR_HEIGHT][i] > 0)
                s->raw[KIN_BAR_HEIGHT][i] = (s->floor_a + s->floor_b * bx - by) * s->cm_per_px;
            if (s->conf[KIN_HIP_HEIGHT][i] > 0)
                s->raw[KIN_HIP_HEIGHT][i] =
                    (s->floor_a + s->floor_b * lm[side_hip].x_px - lm[side_hip].y_px) *
                    s->cm_per_px;
        }
    }
    /* heel lift. MediaPipe's heel landmark rides up the back of the foot as the shin tilts
     * forward: on its landmarks for real deep deadlift clips the heel rose 8 cm
     * against the toe while the heels were visibly flat. A real heel raise pivots the foot about
     * the ball, which lifts the ankle joint too, by 0.65 of the heel's rise (ball-ankle /
     * ball-heel distance, 12.5 / 19 cm on Winter's foot proportions, as in the synth mannequin).
     * So the lift is the smallest of the estimates a real raise moves alike, each relative to its
     * standing median: the heel's rise above the toe (foot index), the ankle's rise above the
     * toe / 0.65 and, with a floor line (image path), the heel's and the ankle's (/ 0.65) height
     * above it. The foot-local pair ignores camera cuts and zooms (one real clip has them),
     * the floor pair ignores the foot index riding up with the heel.
     * Where the hands are within a plate radius (kin_params.plate_radius_cm) of the
     * heel or ankle, a barbell's plate hides the foot from a side camera and MediaPipe guesses
     * it (still reporting high visibility): those frames count as missing, so a rep whose feet
     * were hidden throughout gets "not assessable" rather than a guess. */
    {
        /* plate: kin_params.plate_radius_cm x 1.2 for the near plate's perspective (it
         * stands about 0.5 m nearer a camera 2.5-3 m away than the lifter's midline), centred
         * 8 cm below the wrist landmark (the bar sits in the palm, half a hand length below
         * the wrist: hand 0.108 of height, Winter). Without the two corrections the plate that
         * hides both feet at the bottom of a real side-view barbell deadlift was missed and
         * its guessed heels read 5.8-6.4 cm of lift. */
        const double ankle_ratio = 0.65, plate_r_cm = p->plate_radius_cm * 1.2, grip_cm = 8.0;
        /* the foot of the side each frame is measured on (a single-leg set's standing foot),
         * index 0 left, 1 right */
        const int foot_lms[2][3] = {{HC_LM_LEFT_HEEL, HC_LM_LEFT_ANKLE, HC_LM_LEFT_FOOT_INDEX},
                                    {HC_LM_RIGHT_HEEL, HC_LM_RIGHT_ANKLE,
                                     HC_LM_RIGHT_FOOT_INDEX}};
        /* scratch: the value arrays are filled by the smoothing below */
        double *heel = tmp, *ank = tmp2, *work = s->value[KIN_HEEL_LIFT];
        double *fheel = s->value[KIN_HIP_VELOCITY], *fank = s->value[KIN_BAR_VELOCITY];
        const int fl = isfinite(s->floor_a);
        /* Feet are planted through a hinge set: where MediaPipe's foot landmarks wander from
         * their place in the set, or jump between frames, it is guessing a hidden foot (a
         * plate in front of it, the frame's edge, a camera cut). On a faulty real side-view
         * barbell deadlift the heel and toe landmarks moved 40-100 px
         * between frames at the bottom and 250 px (about 60 cm) up at lockout while the feet
         * stayed put, which read as 15-17 cm of "heel lift". A frame whose heel, ankle or toe
         * is more than 10 cm from its median place over the clip (a real heel raise moves the
         * heel 2-5 cm, the synthetic fault 4 cm) or moved more than 5 cm since the previous
         * frame (1.5 m/s at 30 fps; planted feet do not) is missing for the heel lift: a rep
         * whose feet were unreliable gets "not assessable" instead of a guess. Image
         * positions for both paths (world landmarks are hip-centred and move with the hinge). */
        const double foot_far_cm = 10.0, foot_jump_cm = 5.0;
        double foot_med[2][3][2];
        for (int sd = 0; sd < 2; sd++)
            for (int k = 0; k < 3; k++)
                for (int d = 0; d < 2; d++) {
                    size_t m = 0;
                    for (size_t i = 0; i < n && isfinite(s->cm_per_px); i++)
                        if (frames[i].has_pose &&
                            (kin_series_frame_side(s, i) == KIN_SIDE_RIGHT) == sd)
                            s->value[KIN_HEEL_LIFT][m++] =
                                d ? frames[i].lm[foot_lms[sd][k]].y_px
                                  : frames[i].lm[foot_lms[sd][k]].x_px;
                    foot_med[sd][k][d] =
                        m ? median_finite(s->value[KIN_HEEL_LIFT], m, s->value[KIN_HIP_HEIGHT])
                          : NAN;
                }
        for (size_t i = 0; i < n; i++) {
            heel[i] = s->raw[KIN_HEEL_LIFT][i];
            ank[i] = fheel[i] = fank[i] = NAN;
            if (!frames[i].has_pose || !isfinite(heel[i]))
                continue;
            const struct hc_landmark *lm = frames[i].lm;
            const float(*w)[3] = frames[i].world_m;
            const int fs = kin_series_frame_side(s, i) == KIN_SIDE_RIGHT;
            const int *foot_lm = foot_lms[fs];
            const int sh = foot_lm[0], sa = foot_lm[1], st_ = foot_lm[2];
            double unit = s->use_world ? 100.0 : s->cm_per_px;
            if (!(lm[sa].visibility >= p->min_visibility) || !isfinite(unit))
                continue;
            ank[i] = (s->use_world ? (double)w[st_][1] - w[sa][1]
                                   : (double)lm[st_].y_px - lm[sa].y_px) * unit;
            if (fl) {
                fheel[i] = (s->floor_a + s->floor_b * lm[sh].x_px - lm[sh].y_px) * unit;
                fank[i] = (s->floor_a + s->floor_b * lm[sa].x_px - lm[sa].y_px) * unit;
            }
            /* hands near the foot: a plate would hide it */
            int wl = lm[HC_LM_LEFT_WRIST].visibility >= lm[HC_LM_RIGHT_WRIST].visibility
                         ? HC_LM_LEFT_WRIST : HC_LM_RIGHT_WRIST;
            double d_heel, d_ank; /* cm from the hand to the heel and to the ankle */
            if (s->use_world) { /* world y points down, metres */
                const double by = w[wl][1] + grip_cm / 100.0;
                d_heel = hypot(w[wl][0] - w[sh][0], by - w[sh][1]) * unit;
                d_ank = hypot(w[wl][0] - w[sa][0], by - w[sa][1]) * unit;
            } else {
                const double by = lm[wl].y_px + grip_cm / unit;
                d_heel = hypot(lm[wl].x_px - lm[sh].x_px, by - lm[sh].y_px) * unit;
                d_ank = hypot(lm[wl].x_px - lm[sa].x_px, by - lm[sa].y_px) * unit;
            }
            /* ... or the heel or ankle inside the plate's outline seen on this frame */
            if (fmin(d_heel, d_ank) < plate_r_cm || s->doubt[KIN_J_HEEL][i] == KIN_DOUBT_PLATE ||
                s->doubt[KIN_J_ANKLE][i] == KIN_DOUBT_PLATE)
                heel[i] = ank[i] = fheel[i] = fank[i] = NAN; /* missing: lowers the rep's conf */
            /* feet off their place or jumping: a guessed foot (see foot_far_cm) */
            long prev = -1;
            for (long j = (long)i - 1; j >= 0 && prev < 0; j--)
                prev = frames[j].has_pose ? j : -1;
            for (int k = 0; k < 3 && isfinite(s->cm_per_px); k++) {
                const struct hc_landmark *q = &lm[foot_lm[k]];
                double off = hypot(q->x_px - foot_med[fs][k][0], q->y_px - foot_med[fs][k][1]);
                double jump = prev >= 0 ? hypot(q->x_px - frames[prev].lm[foot_lm[k]].x_px,
                                                q->y_px - frames[prev].lm[foot_lm[k]].y_px)
                                        : 0.0;
                if (off * s->cm_per_px > foot_far_cm || jump * s->cm_per_px > foot_jump_cm)
                    heel[i] = ank[i] = fheel[i] = fank[i] = NAN;
            }
        }
        /* a reliable stretch is at least 3 frames long: a lone frame between guessed ones is a
         * guess that happened to stay in place (on MediaPipe's landmarks for a cropped real
         * barbell deadlift one such frame read 7.3 cm, its neighbours nothing) */
        for (size_t i = 0; i < n;) {
            if (!isfinite(heel[i])) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < n && isfinite(heel[j]))
                j++;
            if (j - i < 3)
                for (size_t k = i; k < j; k++)
                    heel[k] = ank[k] = fheel[k] = fank[k] = NAN;
            i = j;
        }
        /* standing medians (never standing: the lowest tenth) */
        double base[4];
        double *src[4] = {heel, ank, fheel, fank};
        for (int k = 0; k < 4; k++) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (isfinite(src[k][i]) &&
                    standing(s->raw[KIN_HIP_ANGLE], s->raw[KIN_KNEE_FLEXION], i))
                    work[m++] = src[k][i];
            base[k] = NAN;
            if (m) {
                base[k] = hc_median_sort(work, m);
            } else {
                for (size_t i = 0; i < n; i++)
                    if (isfinite(src[k][i]))
                        work[m++] = src[k][i];
                if (m) {
                    qsort(work, m, sizeof *work, hc_cmp_double);
                    base[k] = work[m / 10];
                }
            }
        }
        for (size_t i = 0; i < n; i++) {
            double v = heel[i] - base[0];
            const double e[3] = {(ank[i] - base[1]) / ankle_ratio, fheel[i] - base[2],
                                 (fank[i] - base[3]) / ankle_ratio};
            for (int k = 0; k < 3; k++)
                if (isfinite(e[k]) && e[k] < v)
                    v = e[k];
            s->raw[KIN_HEEL_LIFT][i] = v;
            if (!isfinite(v))
                s->conf[KIN_HEEL_LIFT][i] = 0.0f;
        }
    }

    series_knee_gate(s, frames, p, outline_ok);
    /* which joints to trust (kin_trust.c), from the unsmoothed series; the plate's doubts,
     * set above, stay */
    if (kin_series_trust(s, frames, p) != HC_OK)
        goto fail; /* out of memory: its only failure with these arguments */

    /* smoothing and velocities. The window holds at least order + 2.5 frame intervals: below
     * 24 fps a 0.2 s window holds 3 samples, too few for the quadratic fit, and the smoother
     * would pass the raw samples through (peaks read on them move with every landmark's noise) */
    double win = p->smooth_window_s;
    {
        double dts = 0.0;
        size_t nd = 0;
        for (size_t i = 1; i < n; i++)
            if (s->t_s[i] > s->t_s[i - 1]) {
                dts += s->t_s[i] - s->t_s[i - 1];
                nd++;
            }
        const double need = nd ? (p->smooth_order + 2.5) * dts / (double)nd : 0.0;
        win = need > win ? need : win;
    }
    for (int m = 0; m < KIN_N_METRICS; m++) {
        if (m == KIN_HIP_VELOCITY || m == KIN_BAR_VELOCITY)
            continue;
        double *deriv = m == KIN_HIP_ANGLE ? s->raw[KIN_HIP_VELOCITY]
                        : m == KIN_BAR_HEIGHT ? s->raw[KIN_BAR_VELOCITY]
                                              : NULL;
        kin_smooth_sg(s->t_s, s->raw[m], n, win, p->smooth_order, s->value[m], deriv);
    }
    /* spine: mask and proxy frames are smoothed apart (different scales, docs/RULES.md); a mask
     * frame too isolated to smooth (the driver may ask for a few masks only) keeps its raw value */
    {
        double *sm = s->value[KIN_HIP_VELOCITY]; /* scratch: filled from raw just below */
        const double *raw = s->raw[KIN_SPINE_CURVATURE];
        for (int src = KIN_SPINE_PROXY; src <= KIN_SPINE_MASK; src++) {
            size_t cnt_src = 0;
            for (size_t i = 0; i < n; i++) {
                const int mine = s->spine_src[i] == src;
                tmp[i] = mine ? raw[i] : NAN;
                cnt_src += mine;
            }
            if (cnt_src == 0)
                continue;
            kin_smooth_sg(s->t_s, tmp, n, win, p->smooth_order, sm, NULL);
            for (size_t i = 0; i < n; i++)
                if (s->spine_src[i] == src)
                    s->value[KIN_SPINE_CURVATURE][i] = isfinite(sm[i]) ? sm[i] : raw[i];
        }
    }
    for (size_t i = 0; i < n; i++) {
        s->value[KIN_HIP_VELOCITY][i] = s->raw[KIN_HIP_VELOCITY][i];
        s->conf[KIN_HIP_VELOCITY][i] =
            isfinite(s->raw[KIN_HIP_VELOCITY][i]) ? s->conf[KIN_HIP_ANGLE][i] : 0.0f;
        s->value[KIN_BAR_VELOCITY][i] = s->raw[KIN_BAR_VELOCITY][i];
        s->conf[KIN_BAR_VELOCITY][i] =
            isfinite(s->raw[KIN_BAR_VELOCITY][i]) ? s->conf[KIN_BAR_HEIGHT][i] : 0.0f;
        for (int m = 0; m < KIN_N_METRICS; m++)
            if (!isfinite(s->value[m][i]))
                s->conf[m][i] = 0.0f;
    }
    free(tmp);
    free(tmp2);
    free(bar_xy);
    free(outline_ok);
    *out = s;
    return HC_OK;
fail:
    free(tmp);
    free(tmp2);
    free(bar_xy);
    free(outline_ok);
    kin_series_free(s);
    return hc_fail(st, "kin_series_compute: out of memory for %zu frames; analyse a shorter clip",
                   n);
}

enum hc_status kin_series_compute(const struct hc_pose_frame *frames, size_t n, int width_px,
                                  int height_px, const struct kin_mask *masks,
                                  const struct kin_params *p, struct kin_series **out)
{
    return series_compute(frames, n, width_px, height_px, masks, NULL, p, out);
}

enum hc_status kin_series_compute_spine(const struct hc_pose_frame *frames, size_t n,
                                        int width_px, int height_px,
                                        const struct kin_spine_sample *samples,
                                        const struct kin_params *p, struct kin_series **out)
{
    return series_compute(frames, n, width_px, height_px, NULL, samples, p, out);
}
