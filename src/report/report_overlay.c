/* report_overlay.c - the overlay video's drawing: on each frame of the clip, the tracked
 * lifter's skeleton, joint angles, back curve, bar path, rep counter, phase and per-rep banner.
 *
 * The render pass (src/pipeline/pass_render.c) decodes the clip, hands each frame to
 * report_format_overlay.draw_frame with the analysed frame it shows, and encodes the result, one
 * frame at a time: memory is one frame copy plus the codecs' own buffers, whatever the clip's
 * length. */
#include "report/report_visual.h"

#include "cv/cv_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Landmarks below MediaPipe's drawing threshold are not drawn (drawing_utils.py uses 0.5; the
 * same value as kin_params.min_visibility). */
#define VIS_MIN 0.5f

/* Colours (sRGB). Near side bright cyan, far side grey so the side facing the camera stands out;
 * warning amber and error red as in the HTML report. */
static const struct cv_rgb COL_NEAR = {40, 220, 255};
static const struct cv_rgb COL_FAR = {150, 150, 150};
static const struct cv_rgb COL_CENTRE = {200, 200, 200};
static const struct cv_rgb COL_WARN = {255, 176, 0};
static const struct cv_rgb COL_ERR = {240, 50, 50};
static const struct cv_rgb COL_OK = {70, 210, 100};
static const struct cv_rgb COL_BAR = {255, 230, 40};
static const struct cv_rgb COL_SPINE = {255, 120, 220};
static const struct cv_rgb COL_WHITE = {255, 255, 255};
static const struct cv_rgb COL_BLACK = {0, 0, 0};

/* How long a rep's end banner stays up: long enough to read a one-line cue at a glance, short
 * enough to clear before the next rep's bottom at usual tempos (2-4 s per rep). */
#define BANNER_S 2.0

/* Joint groups a finding can point at. */
enum {
    J_SHOULDER = 1 << 0,
    J_HIP = 1 << 1,
    J_KNEE = 1 << 2,
    J_ANKLE = 1 << 3,
    J_HEEL = 1 << 4,
    J_WRIST = 1 << 5,
    J_EAR = 1 << 6,
    J_SPINE = 1 << 7
};

/* Which joints each rules metric is measured on (docs/RULES.md definitions). Matched on the
 * metric name's prefix so a new metric of an existing family is coloured too. */
static const struct {
    const char *prefix;
    unsigned joints;
} METRIC_JOINTS[] = {
    {"hip_angle", J_SHOULDER | J_HIP | J_KNEE},
    {"knee_", J_HIP | J_KNEE | J_ANKLE},
    {"shin_", J_KNEE | J_ANKLE},
    {"torso_", J_SHOULDER | J_HIP},
    {"spine_", J_SPINE | J_SHOULDER | J_HIP},
    {"bar_", J_WRIST},
    {"heel_", J_HEEL | J_ANKLE},
    {"neck_", J_EAR | J_SHOULDER},
    {"lowering_", J_HIP},
    {"bottom_", J_HIP},
    {"rising_", J_HIP},
    {"hip_travel", J_HIP},
};

static unsigned metric_joints(const char *metric)
{
    if (!metric)
        return 0;
    for (size_t k = 0; k < HC_ARRAY_LEN(METRIC_JOINTS); k++)
        if (strncmp(metric, METRIC_JOINTS[k].prefix, strlen(METRIC_JOINTS[k].prefix)) == 0)
            return METRIC_JOINTS[k].joints;
    return 0;
}

/* Does a finding on `metric` concern frame phase `ph`? The metric's phase is where it is read
 * (rules_metric_phase); "rep" means the part under load: lowering, bottom, rising. */
static int metric_in_phase(const char *metric, unsigned ph)
{
    const int m = rules_metric_from_name(metric);
    const char *mp = m >= 0 ? rules_metric_phase((enum rules_metric)m) : "rep";
    if (!mp || strcmp(mp, "rep") == 0)
        return ph == REPS_LOWERING || ph == REPS_BOTTOM || ph == REPS_RISING;
    return ph < REPS_N_PHASES && strcmp(mp, reps_phase_name((enum reps_phase)ph)) == 0;
}

struct draw_ctx {
    const struct cv_canvas *cv;
    double ox, oy; /* clip pixel shown at the canvas origin */
    double sx, sy; /* clip pixels -> canvas pixels */
    double u;      /* size unit: canvas height / 100 */
    const struct hc_pose_frame *f;
};

static int seen(const struct draw_ctx *d, int k)
{
    return d->f->has_pose && d->f->lm[k].visibility >= VIS_MIN && isfinite(d->f->lm[k].x_px) &&
           isfinite(d->f->lm[k].y_px);
}

static double px(const struct draw_ctx *d, int k)
{
    return (d->f->lm[k].x_px - d->ox) * d->sx;
}

static double py(const struct draw_ctx *d, int k)
{
    return (d->f->lm[k].y_px - d->oy) * d->sy;
}

static int thick(const struct draw_ctx *d, double units)
{
    const int t = (int)lround(units * d->u);
    return t < 1 ? 1 : t;
}

static void bone(const struct draw_ctx *d, int a, int b, struct cv_rgb col, int t)
{
    if (seen(d, a) && seen(d, b))
        cv_draw_line(d->cv, px(d, a), py(d, a), px(d, b), py(d, b), col, t);
}

/* Stroke width of text of cap height h: 2 px from 16 px up, where 1 px strokes look faint. Text is
 * measured with the same width it is drawn with (the font scale depends on it). */
static int text_th(double h)
{
    return h >= 16 ? 2 : 1;
}

/* Text on a translucent dark plate: legible over any background, and cleaner than an outlined
 * Hershey stroke at video sizes. (x, y) is the baseline's left end. */
static void label(const struct draw_ctx *d, const char *s, double x, double y, double h,
                  struct cv_rgb col)
{
    const int t = text_th(h);
    int w = 0, above = 0, below = 0;
    cv_text_size(s, h, t, &w, &above, &below);
    const int pad = (int)lround(fmax(2.0, 0.25 * h));
    cv_draw_rect_blend(d->cv, (int)lround(x) - pad, (int)lround(y) - above - pad,
                       (int)lround(x) + w + pad, (int)lround(y) + below / 2 + pad, COL_BLACK, 0.55);
    cv_draw_text(d->cv, s, x, y, h, col, t);
}

/* Plain text (inside a panel that is already dark). */
static void text(const struct draw_ctx *d, const char *s, double x, double y, double h,
                 struct cv_rgb col)
{
    cv_draw_text(d->cv, s, x, y, h, col, text_th(h));
}

/* A reading like "hip 92°" with (x, y) the baseline's left end: the name, the number and a
 * small ring as the degree sign (the Hershey font has none). right_align: (x, y) is the right
 * end instead. */
static void angle_label(const struct draw_ctx *d, const char *name, double v, double x, double y,
                        int right_align, struct cv_rgb col)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s %.0f ", name, v); /* the space leaves room for the ring */
    const double h = 2.8 * d->u;
    int w = 0;
    cv_text_size(buf, h, text_th(h), &w, NULL, NULL);
    if (right_align)
        x -= w;
    label(d, buf, x, y, h, col);
    const double r = fmax(1.5, h * 0.16);
    cv_draw_circle(d->cv, x + w - r * 1.6, y - h + r, r, col, text_th(h));
}

static struct cv_rgb severity_colour(int sev, struct cv_rgb normal)
{
    return sev >= RULES_ERROR ? COL_ERR : sev >= RULES_WARNING ? COL_WARN : normal;
}

/* Severity of the findings touching each joint group in frame i (0 = none). */
static void joint_severity(const struct report_input *c, size_t i, int sev[8])
{
    memset(sev, 0, 8 * sizeof *sev);
    if (!c->rr || !c->res || i >= c->rr->n)
        return;
    const int rep = c->rr->rep_of[i];
    const unsigned ph = c->rr->phase[i];
    if (rep <= 0)
        return;
    for (size_t k = 0; k < c->res->n_findings; k++) {
        const struct rules_finding *f = &c->res->findings[k];
        if (f->rep != rep || f->severity <= RULES_INFO || !metric_in_phase(f->metric, ph))
            continue;
        const unsigned j = metric_joints(f->metric);
        for (int b = 0; b < 8; b++)
            if ((j & (1u << b)) && (int)f->severity > sev[b])
                sev[b] = (int)f->severity;
    }
}

static int bit_index(unsigned bit)
{
    int k = 0;
    while (bit > 1) {
        bit >>= 1;
        k++;
    }
    return k;
}

/* The unit vector from the hip-shoulder chord towards the lifter's back (see kin.h): for a lifter
 * facing +x, the chord direction turned a quarter turn counter-clockwise on screen. */
static int back_dir(double dx, double dy, int facing, double *bx, double *by)
{
    const double len = hypot(dx, dy);
    if (!(len > 1e-6) || facing == 0)
        return 0;
    *bx = (facing > 0 ? dy : -dy) / len;
    *by = (facing > 0 ? -dx : dx) / len;
    return 1;
}

static void draw_skeleton(const struct report_input *c, const struct draw_ctx *d, const int sev[8])
{
    const int left_near = !c->ks || c->ks->side != KIN_SIDE_RIGHT;
    const int both = !c->ks || c->ks->side == KIN_SIDE_UNKNOWN;
    /* Left landmarks are odd from 11 on, right ones even (BlazePose topology). */
    const int near_off = left_near ? 0 : 1, far_off = left_near ? 1 : 0;
    static const int chain[][2] = {
        {HC_LM_LEFT_SHOULDER, HC_LM_LEFT_ELBOW},  {HC_LM_LEFT_ELBOW, HC_LM_LEFT_WRIST},
        {HC_LM_LEFT_SHOULDER, HC_LM_LEFT_HIP},    {HC_LM_LEFT_HIP, HC_LM_LEFT_KNEE},
        {HC_LM_LEFT_KNEE, HC_LM_LEFT_ANKLE},      {HC_LM_LEFT_ANKLE, HC_LM_LEFT_HEEL},
        {HC_LM_LEFT_HEEL, HC_LM_LEFT_FOOT_INDEX}, {HC_LM_LEFT_ANKLE, HC_LM_LEFT_FOOT_INDEX},
        {HC_LM_LEFT_EAR, HC_LM_LEFT_SHOULDER}};
    const size_t n_chain = HC_ARRAY_LEN(chain);
    const int t_near = thick(d, 0.7), t_far = thick(d, 0.35);
    /* far side first, so the near side is drawn over it */
    for (size_t k = 0; k < n_chain; k++)
        bone(d, chain[k][0] + far_off, chain[k][1] + far_off, both ? COL_NEAR : COL_FAR,
             both ? t_near : t_far);
    bone(d, HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER, COL_CENTRE, t_far);
    bone(d, HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP, COL_CENTRE, t_far);

    /* near-side bones take the colour of the worse finding at either end */
    /* {0, 0}: never flagged (the upper arm says nothing about a torso finding) */
    static const unsigned bone_joints[][2] = {
        {0, 0},          {J_WRIST, 0},      {J_SHOULDER, J_HIP},
        {J_HIP, J_KNEE}, {J_KNEE, J_ANKLE}, {J_ANKLE, J_HEEL},
        {J_HEEL, 0},     {J_HEEL, 0},       {J_EAR, J_SHOULDER}};
    for (size_t k = 0; k < n_chain; k++) {
        int s = 0;
        for (int e = 0; e < 2; e++)
            if (bone_joints[k][e]) {
                const int v = sev[bit_index(bone_joints[k][e])];
                s = v > s ? v : s;
            }
        /* a bone is flagged only when both of its joints are involved, or it is a limb end */
        const int both_ends = bone_joints[k][0] != 0 &&
                              (bone_joints[k][1] == 0 || (sev[bit_index(bone_joints[k][0])] &&
                                                          sev[bit_index(bone_joints[k][1])]));
        bone(d, chain[k][0] + near_off, chain[k][1] + near_off,
             both_ends ? severity_colour(s, COL_NEAR) : COL_NEAR, t_near);
    }
    /* joints of the near side: a dot each, ringed in the finding's colour */
    static const struct {
        int lm;
        unsigned j;
    } joints[] = {
        {HC_LM_LEFT_SHOULDER, J_SHOULDER}, {HC_LM_LEFT_ELBOW, 0},      {HC_LM_LEFT_WRIST, J_WRIST},
        {HC_LM_LEFT_HIP, J_HIP},           {HC_LM_LEFT_KNEE, J_KNEE},  {HC_LM_LEFT_ANKLE, J_ANKLE},
        {HC_LM_LEFT_HEEL, J_HEEL},         {HC_LM_LEFT_FOOT_INDEX, 0}, {HC_LM_LEFT_EAR, J_EAR}};
    for (size_t k = 0; k < HC_ARRAY_LEN(joints); k++) {
        const int lm = joints[k].lm + near_off;
        if (!seen(d, lm))
            continue;
        const int s = joints[k].j ? sev[bit_index(joints[k].j)] : 0;
        const double r = (s ? 1.5 : 0.9) * d->u;
        cv_draw_circle(d->cv, px(d, lm), py(d, lm), r, severity_colour(s, COL_WHITE), -1);
        cv_draw_circle(d->cv, px(d, lm), py(d, lm), r, COL_BLACK, thick(d, 0.15));
    }
}

/* The back as a curve between hip and shoulder: a quadratic Bezier whose deepest point is the
 * measured curvature x chord away from the chord (the Bezier midpoint lies halfway to its
 * control point, hence the factor 2). */
static void draw_spine(const struct report_input *c, const struct draw_ctx *d, size_t i,
                       const int sev[8])
{
    if (!c->ks || i >= c->ks->n)
        return;
    const double curv = c->ks->value[KIN_SPINE_CURVATURE][i];
    const int off = c->ks->side == KIN_SIDE_RIGHT ? 1 : 0;
    const int sh = HC_LM_LEFT_SHOULDER + off, hp = HC_LM_LEFT_HIP + off;
    if (!isfinite(curv) || !seen(d, sh) || !seen(d, hp))
        return;
    const double x0 = px(d, hp), y0 = py(d, hp), x1 = px(d, sh), y1 = py(d, sh);
    double bx, by;
    if (!back_dir(x1 - x0, y1 - y0, c->ks->facing, &bx, &by))
        return;
    const double chord = hypot(x1 - x0, y1 - y0);
    const double cx = (x0 + x1) / 2 + 2.0 * curv * chord * bx;
    const double cy = (y0 + y1) / 2 + 2.0 * curv * chord * by;
    float pts[2 * 17];
    for (int k = 0; k <= 16; k++) {
        const double t = k / 16.0, a = (1 - t) * (1 - t), b = 2 * t * (1 - t), e = t * t;
        pts[2 * k] = (float)(a * x0 + b * cx + e * x1);
        pts[2 * k + 1] = (float)(a * y0 + b * cy + e * y1);
    }
    /* drawn a little behind the skeleton's trunk line so both stay visible */
    for (int k = 0; k <= 16; k++) {
        pts[2 * k] += (float)(bx * 1.2 * d->u);
        pts[2 * k + 1] += (float)(by * 1.2 * d->u);
    }
    /* a spine finding in this phase turns the curve (and its reading) to the finding's colour */
    const int s = sev[bit_index(J_SPINE)];
    const struct cv_rgb col = severity_colour(s, COL_SPINE);
    cv_draw_polyline(d->cv, pts, 17, 0, COL_BLACK, thick(d, s ? 1.0 : 0.6) + 2);
    cv_draw_polyline(d->cv, pts, 17, 0, col, thick(d, s ? 1.0 : 0.6));
    char buf[32];
    snprintf(buf, sizeof buf, "spine %+.0f%%", 100.0 * curv);
    label(d, buf, pts[16] + bx * 2.0 * d->u, pts[17] + by * 2.0 * d->u, 2.4 * d->u, col);
}

static int hands(const struct draw_ctx *d, double *x, double *y)
{
    const int l = seen(d, HC_LM_LEFT_WRIST), r = seen(d, HC_LM_RIGHT_WRIST);
    if (l && r) {
        *x = (px(d, HC_LM_LEFT_WRIST) + px(d, HC_LM_RIGHT_WRIST)) / 2;
        *y = (py(d, HC_LM_LEFT_WRIST) + py(d, HC_LM_RIGHT_WRIST)) / 2;
    } else if (l || r) {
        const int k = l ? HC_LM_LEFT_WRIST : HC_LM_RIGHT_WRIST;
        *x = px(d, k);
        *y = py(d, k);
    } else {
        return 0;
    }
    return 1;
}

/* The hands' path from the start of the current rep up to this frame (the bar path: kin's bar
 * position is the hands' midpoint). */
static void draw_bar_path(const struct report_input *c, const struct draw_ctx *d, size_t i)
{
    if (!c->rr || i >= c->rr->n || c->rr->rep_of[i] <= 0)
        return;
    const struct reps_rep *rep = &c->rr->reps[c->rr->rep_of[i] - 1];
    size_t i0 = rep->i_start;
    if (i0 > i || i0 >= (size_t)c->n_frames)
        return;
    /* at most CV_DRAW_MAX_POINTS points: long reps are sampled every `step` frames */
    const size_t span = i - i0 + 1;
    const size_t step = span / CV_DRAW_MAX_POINTS + 1;
    float pts[2 * CV_DRAW_MAX_POINTS];
    int n = 0;
    for (size_t k = i0; k <= i && n < CV_DRAW_MAX_POINTS; k += step) {
        struct draw_ctx dk = *d;
        dk.f = &c->frames[k];
        double x, y;
        if (hands(&dk, &x, &y)) {
            pts[2 * n] = (float)x;
            pts[2 * n + 1] = (float)y;
            n++;
        }
    }
    cv_draw_polyline(d->cv, pts, n, 0, COL_BLACK, thick(d, 0.5) + 2);
    cv_draw_polyline(d->cv, pts, n, 0, COL_BAR, thick(d, 0.5));
    double x, y;
    if (hands(d, &x, &y))
        cv_draw_circle(d->cv, x, y, 1.2 * d->u, COL_BAR, thick(d, 0.4));
}

static void draw_angles(const struct report_input *c, const struct draw_ctx *d, size_t i)
{
    if (!c->ks || i >= c->ks->n)
        return;
    const int off = c->ks->side == KIN_SIDE_RIGHT ? 1 : 0;
    const int hp = HC_LM_LEFT_HIP + off, kn = HC_LM_LEFT_KNEE + off;
    const int facing = c->ks->facing ? c->ks->facing : 1;
    const double hip = c->ks->value[KIN_HIP_ANGLE][i], knee = c->ks->value[KIN_KNEE_FLEXION][i];
    /* both readings behind the joint (the buttocks and calf side), away from the arms, the bar
     * and the bar path, which hang in front */
    const double gap = 2.5 * d->u;
    if (isfinite(hip) && seen(d, hp))
        angle_label(d, "hip", hip, px(d, hp) - facing * gap, py(d, hp) + 1.0 * d->u, facing > 0,
                    COL_WHITE);
    if (isfinite(knee) && seen(d, kn))
        angle_label(d, "knee", knee, px(d, kn) - facing * gap, py(d, kn) + 1.0 * d->u, facing > 0,
                    COL_WHITE);
}

/* Cuts s to fit max_w pixels at height h, ending in "..." when cut. */
static void fit_text(const char *s, double h, int max_w, char *out, size_t n)
{
    snprintf(out, n, "%s", s);
    size_t len = strlen(out);
    int w = 0;
    cv_text_size(out, h, text_th(h), &w, NULL, NULL);
    /* shortening from the end only overwrites characters already given up */
    while (w > max_w && len > 0) {
        len--;
        if (len + 4 > n)
            continue;
        memcpy(out + len, "...", 4);
        cv_text_size(out, h, text_th(h), &w, NULL, NULL);
    }
}

static void draw_hud(const struct report_input *c, const struct draw_ctx *d, size_t i, double t_s)
{
    const struct cv_canvas *cv = d->cv;
    const double h1 = 3.6 * d->u, h2 = 2.8 * d->u;
    const int pad = (int)lround(1.2 * d->u);
    char line1[64], line2[64];
    const size_t n_reps = c->rr ? c->rr->n_reps : 0;
    int rep_now = 0, done = 0;
    if (c->rr && i < c->rr->n)
        rep_now = c->rr->rep_of[i];
    for (size_t r = 0; r < n_reps; r++)
        if (c->rr->reps[r].t_end_s <= t_s)
            done = (int)(r + 1);
    if (rep_now > 0)
        snprintf(line1, sizeof line1, "REP %d / %zu", rep_now, n_reps);
    else
        snprintf(line1, sizeof line1, "REPS %d / %zu", done, n_reps);
    const unsigned ph = c->rr && i < c->rr->n ? c->rr->phase[i] : REPS_NONE;
    snprintf(line2, sizeof line2, "%s", rep_now > 0 ? reps_phase_name((enum reps_phase)ph) : "");
    const int has_pose = i != REPORT_NO_FRAME && c->frames[i].has_pose;
    if (!has_pose)
        snprintf(line2, sizeof line2, "no pose");
    /* the angle conventions of the joint readings, on every frame */
    static const char line3[] = "hip: 180 = standing tall";
    static const char line4[] = "knee bend: 0 = straight";
    const double h3 = 2.0 * d->u;
    int w1 = 0, w2 = 0, w3 = 0, w4 = 0;
    cv_text_size(line1, h1, text_th(h1), &w1, NULL, NULL);
    cv_text_size(line2, h2, text_th(h2), &w2, NULL, NULL);
    cv_text_size(line3, h3, text_th(h3), &w3, NULL, NULL);
    cv_text_size(line4, h3, text_th(h3), &w4, NULL, NULL);
    int wmax = w1 > w2 ? w1 : w2;
    wmax = wmax > w3 ? wmax : w3;
    wmax = wmax > w4 ? wmax : w4;
    const int bw = wmax + 2 * pad;
    const int bh = (int)lround(h1 + h2 + 2.0 * h3 + 4.0 * pad);
    cv_draw_rect_blend(cv, pad, pad, pad + bw, pad + bh, COL_BLACK, 0.55);
    text(d, line1, 2 * pad, pad + pad + h1, h1, COL_WHITE);
    text(d, line2, 2 * pad, pad + 2 * pad + h1 + h2, h2, has_pose ? COL_NEAR : COL_WARN);
    text(d, line3, 2 * pad, pad + 2.5 * pad + h1 + h2 + h3, h3, COL_WHITE);
    text(d, line4, 2 * pad, pad + 3 * pad + h1 + h2 + 2.0 * h3, h3, COL_WHITE);

    /* the banner of the rep that ended within the last BANNER_S seconds */
    for (size_t r = n_reps; r-- > 0;) {
        const struct rules_rep_result *rp = c->res && r < c->res->n_reps ? &c->res->reps[r] : NULL;
        const struct reps_rep *rep = &c->rr->reps[r];
        /* up for BANNER_S, but gone when the next rep starts moving up (a deadlift's next pull
         * follows its rep end at once), after at least half a second to read it */
        double t_off = rep->t_end_s + BANNER_S;
        if (r + 1 < n_reps) {
            const struct reps_rep *nx = &c->rr->reps[r + 1];
            const long ir = nx->phase[REPS_RISING].i0;
            if (ir >= 0 && (size_t)ir < (size_t)c->n_frames && c->frames[ir].t_s < t_off)
                t_off = fmax(c->frames[ir].t_s, rep->t_end_s + 0.5);
        }
        if (!(t_s >= rep->t_end_s && t_s < t_off))
            continue;
        const double score = rp ? rp->score : NAN;
        const size_t wi = c->res && r < c->res->n_reps ? report_rep_worst(c->res, r) : (size_t)-1;
        const struct rules_finding *top = wi != (size_t)-1 ? &c->res->findings[wi] : NULL;
        char msg[256], fitted[256];
        if (isfinite(score))
            snprintf(msg, sizeof msg, "Rep %d: %.0f/100  %s", rep->index, score,
                     top ? top->message : "good rep");
        else
            snprintf(msg, sizeof msg, "Rep %d: %s", rep->index,
                     rep->partial ? "partial rep, not scored" : "not scored");
        const double hb = 2.8 * d->u;
        fit_text(msg, hb, cv->width_px - 4 * pad, fitted, sizeof fitted);
        const int y0 = cv->height_px - (int)lround(hb + 3 * pad);
        const struct cv_rgb col = !isfinite(score)                      ? COL_FAR
                                  : top && top->severity >= RULES_ERROR ? COL_ERR
                                  : top                                 ? COL_WARN
                                                                        : COL_OK;
        cv_draw_rect_blend(cv, 0, y0, cv->width_px, cv->height_px, COL_BLACK, 0.6);
        cv_draw_rect_blend(cv, 0, y0, (int)lround(0.8 * d->u) + 1, cv->height_px, col, 1.0);
        text(d, fitted, 2 * pad, cv->height_px - 1.5 * pad, hb, col);
        break;
    }
}

void visual_draw_frame(const struct report_input *c, size_t i, uint8_t *rgb, int width_px,
                       int height_px, int stride, const double *view, unsigned flags)
{
    if (!c || !rgb || width_px <= 0 || height_px <= 0)
        return;
    const int cw = c->width_px, ch = c->height_px;
    if (cw <= 0 || ch <= 0)
        return;
    const double whole[4] = {0.0, 0.0, cw, ch};
    if (!view || !(view[2] > 0) || !(view[3] > 0))
        view = whole;
    const struct cv_canvas cv = {rgb, width_px, height_px, stride};
    struct draw_ctx d = {&cv, view[0], view[1], width_px / view[2], height_px / view[3],
                         /* sizes follow the shorter side so portrait phone clips get readable
                          * text; 1 unit = 1% of it, at least 1 px */
                         fmax(1.0, (width_px < height_px ? width_px : height_px) / 100.0), NULL};
    if (i != REPORT_NO_FRAME && i >= (size_t)c->n_frames)
        i = REPORT_NO_FRAME;
    const double t_s = i != REPORT_NO_FRAME ? c->frames[i].t_s : -1.0;
    if (i != REPORT_NO_FRAME && c->frames[i].has_pose) {
        d.f = &c->frames[i];
        if (flags & VISUAL_DRAW_BAR_PATH)
            draw_bar_path(c, &d, i);
        int sev[8];
        joint_severity(c, i, sev);
        draw_spine(c, &d, i, sev);
        draw_skeleton(c, &d, sev);
        draw_angles(c, &d, i);
    }
    if (flags & VISUAL_DRAW_HUD)
        draw_hud(c, &d, i, t_s);
}

/* ---- a finding's worst moment (the HTML page) ------------------------------------------- */

/* The segment a-b in the fault's colour over a dark outline. */
static void fault_bone(const struct draw_ctx *d, int a, int b, struct cv_rgb col)
{
    if (!seen(d, a) || !seen(d, b))
        return;
    cv_draw_line(d->cv, px(d, a), py(d, a), px(d, b), py(d, b), COL_BLACK, thick(d, 1.1) + 2);
    cv_draw_line(d->cv, px(d, a), py(d, a), px(d, b), py(d, b), col, thick(d, 1.1));
}

/* A ring around the point (x, y): the joint the angle or distance is read at. */
static void fault_ring(const struct draw_ctx *d, double x, double y, struct cv_rgb col)
{
    cv_draw_circle(d->cv, x, y, 2.6 * d->u, COL_BLACK, thick(d, 0.5) + 2);
    cv_draw_circle(d->cv, x, y, 2.6 * d->u, col, thick(d, 0.5));
}

static void fault_ring_at(const struct draw_ctx *d, int k, struct cv_rgb col)
{
    if (seen(d, k))
        fault_ring(d, px(d, k), py(d, k), col);
}

/* A thin reference line (the vertical, the horizontal, mid-foot) from (x0, y0) to (x1, y1). */
static void fault_ref(const struct draw_ctx *d, double x0, double y0, double x1, double y1)
{
    cv_draw_line(d->cv, x0, y0, x1, y1, COL_BLACK, thick(d, 0.4) + 2);
    cv_draw_line(d->cv, x0, y0, x1, y1, COL_WHITE, thick(d, 0.4));
}

/* An angle at joint v between the segments to a and b. */
static void fault_angle(const struct draw_ctx *d, int v, int a, int b, struct cv_rgb col)
{
    fault_bone(d, v, a, col);
    fault_bone(d, v, b, col);
    fault_ring_at(d, v, col);
}

/* The geometry of metric m on the frame: the joints it is read from, the angle's two sides or
 * the distance, against its reference line. */
static void draw_fault_geometry(const struct report_input *c, const struct draw_ctx *d,
                                enum rules_metric m, struct cv_rgb col)
{
    const int off = c->ks && c->ks->side == KIN_SIDE_RIGHT ? 1 : 0;
    const int facing = c->ks && c->ks->facing ? c->ks->facing : 1;
    const int sh = HC_LM_LEFT_SHOULDER + off, hp = HC_LM_LEFT_HIP + off,
              kn = HC_LM_LEFT_KNEE + off, an = HC_LM_LEFT_ANKLE + off,
              he = HC_LM_LEFT_HEEL + off, to = HC_LM_LEFT_FOOT_INDEX + off,
              ear = HC_LM_LEFT_EAR + off;
    switch (m) {
    case RM_HIP_ANGLE_BOTTOM:
    case RM_HIP_ANGLE_LOCKOUT:
    case RM_LOWERING_PEAK_DPS:
        fault_angle(d, hp, sh, kn, col);
        break;
    case RM_KNEE_FLEXION_BOTTOM:
    case RM_KNEE_FLEXION_RANGE:
    case RM_KNEE_FLEXION_MID:
        fault_angle(d, kn, hp, an, col);
        break;
    case RM_SHIN_ANGLE_BOTTOM:
    case RM_KNEE_FORWARD_EARLY:
        /* the shin against the vertical through the ankle */
        if (seen(d, kn) && seen(d, an))
            fault_ref(d, px(d, an), py(d, an), px(d, an), py(d, kn));
        fault_bone(d, an, kn, col);
        fault_ring_at(d, kn, col);
        break;
    case RM_TORSO_INCLINATION_BOTTOM:
    case RM_TORSO_INCLINATION_LOCKOUT:
    case RM_TORSO_DROP_RISING:
        /* the trunk against the horizontal forward from the hip */
        if (seen(d, hp) && seen(d, sh))
            fault_ref(d, px(d, hp), py(d, hp),
                      px(d, hp) + facing * hypot(px(d, sh) - px(d, hp), py(d, sh) - py(d, hp)),
                      py(d, hp));
        fault_bone(d, hp, sh, col);
        fault_ring_at(d, hp, col);
        break;
    case RM_SPINE_CURVATURE_MAX:
    case RM_SPINE_CURVATURE_MIN:
    case RM_SPINE_CURVATURE_LOCKOUT:
        /* the back's chord; the curve itself is drawn by the skeleton pass in the fault's
         * colour */
        fault_bone(d, hp, sh, col);
        if (seen(d, hp) && seen(d, sh))
            fault_ring(d, (px(d, hp) + px(d, sh)) / 2, (py(d, hp) + py(d, sh)) / 2, col);
        break;
    case RM_BAR_DISTANCE_MAX:
    case RM_BAR_DRIFT:
    case RM_BAR_LEG_MAX:
    case RM_BAR_SPEED_RISING: {
        /* the bar (the hands) and its distance ahead of mid-foot, at its height */
        double bx, by;
        if (!hands(d, &bx, &by))
            break;
        if (seen(d, he) && seen(d, to)) {
            const double mx = (px(d, he) + px(d, to)) / 2, my = (py(d, he) + py(d, to)) / 2;
            fault_ref(d, mx, my, mx, by);
            cv_draw_line(d->cv, mx, by, bx, by, COL_BLACK, thick(d, 1.1) + 2);
            cv_draw_line(d->cv, mx, by, bx, by, col, thick(d, 1.1));
        }
        fault_ring(d, bx, by, col);
        break;
    }
    case RM_HEEL_LIFT_MAX:
        fault_bone(d, he, to, col);
        fault_ring_at(d, he, col);
        break;
    case RM_NECK_ANGLE_MAX:
        fault_angle(d, sh, ear, hp, col);
        break;
    case RM_HIP_TRAVEL:
        fault_ring_at(d, hp, col);
        break;
    case RM_KNEE_VALGUS_MAX:
        for (int s = 0; s < 2; s++)
            fault_angle(d, HC_LM_LEFT_KNEE + s, HC_LM_LEFT_HIP + s, HC_LM_LEFT_ANKLE + s, col);
        break;
    case RM_FOOT_ANGLE_MAX:
        for (int s = 0; s < 2; s++)
            fault_bone(d, HC_LM_LEFT_HEEL + s, HC_LM_LEFT_FOOT_INDEX + s, col);
        break;
    case RM_STANCE_HIP:
    case RM_STANCE_SHOULDER:
        fault_bone(d, HC_LM_LEFT_ANKLE, HC_LM_RIGHT_ANKLE, col);
        fault_bone(d, m == RM_STANCE_HIP ? HC_LM_LEFT_HIP : HC_LM_LEFT_SHOULDER,
                   m == RM_STANCE_HIP ? HC_LM_RIGHT_HIP : HC_LM_RIGHT_SHOULDER, col);
        break;
    case RM_HIP_SHIFT_MAX:
        fault_bone(d, HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP, col);
        fault_ring_at(d, hp, col);
        break;
    case RM_TRUNK_TWIST_MAX:
        fault_bone(d, HC_LM_LEFT_SHOULDER, HC_LM_RIGHT_SHOULDER, col);
        fault_bone(d, HC_LM_LEFT_HIP, HC_LM_RIGHT_HIP, col);
        break;
    default: /* the phase times: no joint, the panel says it */
        break;
    }
}

void visual_draw_fault(const struct report_input *c, size_t k, size_t i, uint8_t *rgb,
                       int width_px, int height_px, int stride, const double *view)
{
    if (!c || !c->res || k >= c->res->n_findings || !rgb || width_px <= 0 || height_px <= 0 ||
        c->width_px <= 0 || c->height_px <= 0)
        return;
    const struct rules_finding *fd = &c->res->findings[k];
    const double whole[4] = {0.0, 0.0, c->width_px, c->height_px};
    if (!view || !(view[2] > 0) || !(view[3] > 0))
        view = whole;
    const struct cv_canvas cv = {rgb, width_px, height_px, stride};
    struct draw_ctx d = {&cv, view[0], view[1], width_px / view[2], height_px / view[3],
                         fmax(1.0, (width_px < height_px ? width_px : height_px) / 100.0), NULL};
    const struct cv_rgb col = fd->borderline ? COL_CENTRE : severity_colour(fd->severity, COL_WARN);
    const int m = fd->metric ? rules_metric_from_name(fd->metric) : -1;
    if (m >= 0 && i < (size_t)c->n_frames && c->frames[i].has_pose) {
        d.f = &c->frames[i];
        draw_fault_geometry(c, &d, (enum rules_metric)m, col);
    }
    /* the panel: what broke and by how much, in the report's words (ASCII: the Hershey font
     * has no degree sign) */
    double scale = 1.0;
    const char *unit = NULL;
    const char *title = report_metric_title(fd->metric ? fd->metric : fd->rule, &scale, &unit);
    unit = unit ? unit : "";
    char l1[160], l2[160], ex[64], fit1[160], fit2[160];
    snprintf(l1, sizeof l1, "rep %d: %s", fd->rep, title);
    report_format_expected(scale * fd->min, scale * fd->max, unit, ex, sizeof ex);
    snprintf(l2, sizeof l2, "%.3g%s%s, %s %s", scale * fd->value, *unit && *unit != '%' ? " " : "",
             unit, fd->borderline ? "near the limit:" : "expected", ex);
    const double h1 = 3.6 * d.u, h2 = 3.6 * d.u;
    const int pad = (int)lround(1.2 * d.u);
    fit_text(l1, h1, width_px - 2 * pad, fit1, sizeof fit1);
    fit_text(l2, h2, width_px - 2 * pad, fit2, sizeof fit2);
    const int bh = (int)lround(h1 + h2 + 4.0 * pad);
    cv_draw_rect_blend(&cv, 0, 0, width_px, bh, COL_BLACK, 0.65);
    cv_draw_rect_blend(&cv, 0, 0, (int)lround(0.8 * d.u) + 1, bh, col, 1.0);
    text(&d, fit1, 2 * pad, pad + h1, h1, col);
    text(&d, fit2, 2 * pad, 2.5 * pad + h1 + h2, h2, COL_WHITE);
}

static void draw_overlay_frame(const struct report_input *in, size_t i, uint8_t *rgb,
                               int width_px, int height_px, int stride)
{
    visual_draw_frame(in, i, rgb, width_px, height_px, stride, NULL,
                      VISUAL_DRAW_HUD | VISUAL_DRAW_BAR_PATH);
}

void report_overlay_size(int width_px, int height_px, int size_px, int *out_w, int *out_h)
{
    if (size_px <= 0)
        size_px = HC_OVERLAY_SIZE_DEFAULT_PX;
    const int portrait = height_px > width_px;
    const double s_short = (double)size_px / (portrait ? width_px : height_px);
    const double s_long = size_px * 16.0 / 9.0 / (portrait ? height_px : width_px);
    const double s = fmin(1.0, fmin(s_short, s_long));
    int w = width_px, h = height_px;
    if (s < 1.0) {
        w = (int)lround(width_px * s);
        h = (int)lround(height_px * s);
    }
    *out_w = w & ~1;
    *out_h = h & ~1;
}

void report_overlay_fit(const uint8_t *src, int width_px, int height_px, int stride, uint8_t *dst,
                        int out_w, int out_h, int out_stride)
{
    if (width_px == out_w && height_px == out_h) {
        for (int y = 0; y < out_h; y++)
            memcpy(dst + (size_t)y * out_stride, src + (size_t)y * stride, (size_t)out_w * 3);
        return;
    }
    /* the clip's odd last column or row (even sides only) is cut, not squeezed in */
    int w = width_px, h = height_px;
    if (w == out_w + 1 && h <= out_h + 1)
        w = out_w;
    if (h == out_h + 1 && w == out_w)
        h = out_h;
    cv_resize_rgb(src, w, h, stride, dst, out_w, out_h, out_stride);
}

const struct report_format report_format_overlay = {
    .name = "overlay",
    .ext = "mp4",
    .flag = "overlay",
    .metavar = "FILE.mp4",
    .help = "also write the clip with skeleton, angles, bar path and rep scores drawn on (H.264 "
            "MP4)",
    .draw_frame = draw_overlay_frame,
};
