/* kin_trust.c - which joints of the near side to trust on each frame (kin_series.doubt): the
 * unseen ones, the ones off the lifter's own segment lengths, the ones that jump.
 *
 * BlazePose's visibility alone is not enough: from a side camera it reports a joint hidden
 * behind a barbell's plate at visibility 1.0 and slides it onto the plate or the hands. A body
 * keeps its proportions and its joints move no faster than a body can, which the pose model
 * does not know: these checks catch a guessed joint by what it does to the skeleton. */
#include "kin/kin.h"

#include <math.h>
#include <stdlib.h>

/* The points the checks read: the kin joints, and the elbow (P_ELBOW), which no metric reads
 * but which ends the two arm segments. */
enum { P_ELBOW = KIN_N_JOINTS, N_POINTS };

static int point_lm(int pt, int right)
{
    static const int left_lm[N_POINTS] = {
        HC_LM_LEFT_SHOULDER, HC_LM_LEFT_HIP,  HC_LM_LEFT_KNEE,       HC_LM_LEFT_ANKLE,
        HC_LM_LEFT_WRIST,    HC_LM_LEFT_EAR,  HC_LM_LEFT_HEEL,       HC_LM_LEFT_FOOT_INDEX,
        HC_LM_LEFT_ELBOW};
    static const int right_lm[N_POINTS] = {
        HC_LM_RIGHT_SHOULDER, HC_LM_RIGHT_HIP, HC_LM_RIGHT_KNEE,       HC_LM_RIGHT_ANKLE,
        HC_LM_RIGHT_WRIST,    HC_LM_RIGHT_EAR, HC_LM_RIGHT_HEEL,       HC_LM_RIGHT_FOOT_INDEX,
        HC_LM_RIGHT_ELBOW};
    return right ? right_lm[pt] : left_lm[pt];
}

/* The segments checked, proximal end first (the hip is the root of the chains). */
enum { SEG_TRUNK, SEG_THIGH, SEG_SHIN, SEG_UPPER_ARM, SEG_FOREARM, N_SEGS };
static const int seg_end[N_SEGS][2] = {
    {KIN_J_HIP, KIN_J_SHOULDER}, {KIN_J_HIP, KIN_J_KNEE},   {KIN_J_KNEE, KIN_J_ANKLE},
    {KIN_J_SHOULDER, P_ELBOW},   {P_ELBOW, KIN_J_WRIST}};

/* Segment lengths. A sagittal segment of length L turned by an angle a out of the image plane
 * looks L cos(a) long: it can look shorter than itself, never longer. Longer only by
 * perspective (a limb 0.3 m nearer a camera 3 m away than the trunk: +10%) and by the
 * landmarks' own scatter (a few cm on a 40 cm thigh: about +10%), so a segment over 1.25x its
 * standing length is a misplaced joint (a knee slid onto the plate or the hands). Shorter: a
 * hinge keeps its limbs near the sagittal plane (a wide stance turns the thighs out by up to
 * ~45 deg, cos 45 = 0.71), so below 0.6x (turned by over 53 deg) is implausible in a side view
 * too. A frame whose segments read longer on the median (at least 3 measured) came nearer
 * the camera or was zoomed: its lengths are divided by that median, so such a frame does not
 * doubt every joint. One whose segments read shorter is not rescaled: shorter is what turning
 * does (at the bottom of real side-view deadlifts the trunk and shin read 0.83-0.86 of their
 * standing lengths while the thigh read 1.10, which a rescale would have made 1.28). */
static const double seg_long = 1.25, seg_short = 0.6;
/* A joint inside the plate's outline (KIN_DOUBT_PLATE) is hidden, but the pose model places it
 * from the body around the plate, often well: it counts again when every measured segment
 * through it keeps the lifter's own standing length within these bounds (the shortening a
 * hinge's turned limbs show, 0.8 of the thigh, trunk or shin at a real deadlift's bottom, down to
 * a tenth of the long limit): the skeleton confirms the guess. Doubting every covered joint cost
 * the real side-view barbell deadlifts their lockout and knee checks on almost every rep
 * (docs/ACCURACY.md, "The plate seen in the image"). */
static const double confirm_long = 1.15, confirm_short = 0.8;
/* standing frames needed for the reference lengths; fewer: every posed frame's median */
static const size_t min_standing = 5;

/* Joint speed. The fastest a hinge lift moves a joint is a kettlebell swing's hands, about
 * 4-5 m/s at the bottom of the arc; a barbell moves at 1-2 m/s. Limit: 3.5 body heights per
 * second (6.1 m/s for a 1.75 m lifter), plus 3% of the height (about 5 cm) for the landmarks'
 * frame-to-frame scatter, per frame interval. The body height in image px: shoulder to ankle is
 * 0.78 of it (shoulder 0.818, ankle 0.039 of height: Winter, Biomechanics and Motor Control of
 * Human Movement), from the standing trunk, thigh and shin; else the clip's image scale and a
 * 1.75 m lifter. When most of the joints jump together (6 of the 8) the camera cut or moved, not
 * the body: the tracks restart there. */
static const double speed_h_per_s = 3.5, scatter_h = 0.03, shoulder_ankle_h = 0.78;
static const int cut_joints = 6;

static double seg_len(const struct hc_landmark *lm, int right, int s)
{
    const struct hc_landmark *a = &lm[point_lm(seg_end[s][0], right)];
    const struct hc_landmark *b = &lm[point_lm(seg_end[s][1], right)];
    return hypot((double)a->x_px - b->x_px, (double)a->y_px - b->y_px);
}

static int seen(const struct hc_landmark *lm, int right, int pt, const struct kin_params *p)
{
    return lm[point_lm(pt, right)].visibility >= p->min_visibility;
}

static void mark(struct kin_series *s, int pt, size_t i, enum kin_doubt d)
{
    if (pt < KIN_N_JOINTS && s->doubt[pt][i] == KIN_DOUBT_NONE)
        s->doubt[pt][i] = (uint8_t)d;
}

/* The reference length of each segment (NaN when never measured). */
static void reference_lengths(const struct kin_series *s, const struct hc_pose_frame *frames,
                              const struct kin_params *p, double *tmp, double ref[N_SEGS])
{
    const int right = s->side == KIN_SIDE_RIGHT;
    for (int g = 0; g < N_SEGS; g++) {
        ref[g] = NAN;
        for (int pass = 0; pass < 2 && !isfinite(ref[g]); pass++) {
            size_t m = 0;
            for (size_t i = 0; i < s->n; i++) {
                const struct hc_landmark *lm = frames[i].lm;
                if (!frames[i].has_pose || !seen(lm, right, seg_end[g][0], p) ||
                    !seen(lm, right, seg_end[g][1], p) || (pass == 0 && !kin_frame_standing(s, i)))
                    continue;
                tmp[m++] = seg_len(lm, right, g);
            }
            if (m >= (pass == 0 ? min_standing : 1))
                ref[g] = hc_median_finite(tmp, m);
        }
    }
}

/* Segment doubts on frame i: each segment far off its reference marks the end whose other
 * segment is off too (the shared joint moved: both of its segments changed); both ends when
 * both qualify; neither: the distal end (a joint swung about its parent keeps the parent's
 * other segment, and the distal joints - knee, wrist - are the ones the plate and the hands
 * cover). The elbow is not a kin joint: a doubt on it is dropped. */
static void segment_doubts(struct kin_series *s, const struct hc_pose_frame *f, size_t i,
                           const struct kin_params *p, const double ref[N_SEGS])
{
    const int right = s->side == KIN_SIDE_RIGHT;
    double r[N_SEGS], sorted[N_SEGS];
    int n_r = 0;
    for (int g = 0; g < N_SEGS; g++) {
        r[g] = NAN;
        if (isfinite(ref[g]) && ref[g] > 0.0 && seen(f->lm, right, seg_end[g][0], p) &&
            seen(f->lm, right, seg_end[g][1], p))
            sorted[n_r++] = r[g] = seg_len(f->lm, right, g) / ref[g];
    }
    if (n_r == 0)
        return;
    const double med = n_r >= 3 ? hc_median_finite(sorted, (size_t)n_r) : 1.0;
    const double scale = med > 1.0 ? med : 1.0;
    int off[N_SEGS], n_off[N_POINTS] = {0};
    for (int g = 0; g < N_SEGS; g++) {
        const double q = r[g] / scale;
        off[g] = isfinite(q) && (q > seg_long || q < seg_short);
        if (off[g]) {
            n_off[seg_end[g][0]]++;
            n_off[seg_end[g][1]]++;
        }
    }
    /* a joint under the plate that the skeleton confirms is trusted again (confirm_long) */
    for (int j = 0; j < KIN_N_JOINTS; j++) {
        if (s->doubt[j][i] != KIN_DOUBT_PLATE)
            continue;
        int n_seg = 0, fits = 1;
        for (int g = 0; g < N_SEGS; g++) {
            if (seg_end[g][0] != j && seg_end[g][1] != j)
                continue;
            const double q = r[g] / scale;
            if (!isfinite(q)) {
                fits = 0;
                break;
            }
            n_seg++;
            fits &= q >= confirm_short && q <= confirm_long;
        }
        if (fits && n_seg > 0)
            s->doubt[j][i] = KIN_DOUBT_NONE;
    }
    for (int g = 0; g < N_SEGS; g++) {
        if (!off[g])
            continue;
        const int a = seg_end[g][0], b = seg_end[g][1];
        const int qa = n_off[a] >= 2, qb = n_off[b] >= 2;
        if (qa)
            mark(s, a, i, KIN_DOUBT_SEGMENT);
        if (qb || !qa)
            mark(s, b, i, KIN_DOUBT_SEGMENT);
    }
}

/* Jump doubts: each joint is followed from its last trusted place; a frame whose joint is
 * further from it than the speed limit allows for the time since is doubted and the track
 * stays where it was, so the frames after a jump stay doubted until the joint comes back near
 * its track (or the time since grows enough to allow the new place). Frames already doubted
 * for another reason neither count nor move the track. */
static void jump_doubts(struct kin_series *s, const struct hc_pose_frame *frames,
                        double height_px)
{
    const int right = s->side == KIN_SIDE_RIGHT;
    double tx[KIN_N_JOINTS], ty[KIN_N_JOINTS], tt[KIN_N_JOINTS];
    int has[KIN_N_JOINTS] = {0};
    for (size_t i = 0; i < s->n; i++) {
        if (!frames[i].has_pose)
            continue;
        const struct hc_landmark *lm = frames[i].lm;
        int jumped[KIN_N_JOINTS] = {0}, n_jumped = 0;
        for (int j = 0; j < KIN_N_JOINTS; j++) {
            if (s->doubt[j][i] != KIN_DOUBT_NONE || !has[j])
                continue;
            const struct hc_landmark *q = &lm[point_lm(j, right)];
            const double dt = fabs(s->t_s[i] - tt[j]);
            const double lim = (speed_h_per_s * dt + scatter_h) * height_px;
            jumped[j] = hypot(q->x_px - tx[j], q->y_px - ty[j]) > lim;
            n_jumped += jumped[j];
        }
        const int cut = n_jumped >= cut_joints;
        for (int j = 0; j < KIN_N_JOINTS; j++) {
            if (s->doubt[j][i] != KIN_DOUBT_NONE)
                continue;
            if (jumped[j] && !cut) {
                s->doubt[j][i] = KIN_DOUBT_JUMP;
                continue;
            }
            const struct hc_landmark *q = &lm[point_lm(j, right)];
            tx[j] = q->x_px;
            ty[j] = q->y_px;
            tt[j] = s->t_s[i];
            has[j] = 1;
        }
    }
}

enum hc_status kin_series_trust(struct kin_series *s, const struct hc_pose_frame *frames,
                                const struct kin_params *p)
{
    if (!s || (s->n > 0 && !frames) || !p)
        return hc_fail(HC_ERR_INVALID_ARG, "kin_series_trust: missing series, frames or params");
    const int right = s->side == KIN_SIDE_RIGHT;
    for (size_t i = 0; i < s->n; i++)
        for (int j = 0; j < KIN_N_JOINTS && frames[i].has_pose; j++)
            if (!seen(frames[i].lm, right, j, p))
                mark(s, j, i, KIN_DOUBT_UNSEEN);
    /* the image checks: side views only (oblique and front views measure on world landmarks,
     * whose segments the camera sees foreshortened by the view itself) */
    if (s->use_world || s->n == 0)
        return HC_OK;
    double *tmp = malloc(s->n * sizeof *tmp);
    if (!tmp)
        return hc_fail(HC_ERR_NOMEM, "kin_series_trust: out of memory for %zu frames", s->n);
    double ref[N_SEGS];
    reference_lengths(s, frames, p, tmp, ref);
    free(tmp);
    for (size_t i = 0; i < s->n; i++)
        if (frames[i].has_pose)
            segment_doubts(s, &frames[i], i, p, ref);
    double height_px = (ref[SEG_TRUNK] + ref[SEG_THIGH] + ref[SEG_SHIN]) / shoulder_ankle_h;
    if (!isfinite(height_px) && isfinite(s->cm_per_px) && s->cm_per_px > 0.0)
        height_px = 175.0 / s->cm_per_px;
    if (isfinite(height_px) && height_px > 0.0)
        jump_doubts(s, frames, height_px);
    return HC_OK;
}
