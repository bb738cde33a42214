/* kin_single_leg.c - single-leg sets (a single-leg RDL): which leg stands on each frame, and the
 * measures of the free leg and the pelvis.
 *
 * Read on MediaPipe's world landmarks (metres, hip-centred, camera-aligned: y down), which every
 * view has: the ankles' heights tell the standing leg from the free one whatever the camera's
 * angle (side-on the far ankle is the pose model's estimate behind the near leg, but its height
 * comes from the image). A frame stands on one leg when one ankle is higher than the other by
 * more than kin_params.single_leg_rise of the leg's length; stretches shorter than
 * single_leg_hold_s (a step) do not count, and a clip whose stretches cover less than
 * single_leg_share of its posed time is a two-legged set (stand stays 0 everywhere, nothing
 * changes for it). On a single-leg set every frame gets a standing leg, the one of the nearest
 * stretch, so that a rep's sagittal series (hip angle, knee flexion) are read on one leg from
 * its first frame to its last. */
#include "kin/kin.h"

#include <math.h>

#define DEG (180.0 / 3.14159265358979323846)

static int finite3(const float *w)
{
    return isfinite(w[0]) && isfinite(w[1]) && isfinite(w[2]);
}

static double dist3(const float *a, const float *b)
{
    const double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return sqrt(dx * dx + dy * dy + dz * dz);
}

/* The left ankle's height above the right one over the mean leg length (hip-knee-ankle of both
 * legs), NaN when a landmark is missing. */
double kin_frame_foot_rise(const struct hc_pose_frame *f)
{
    const float(*w)[3] = f->world_m;
    static const int need[6] = {HC_LM_LEFT_HIP,  HC_LM_LEFT_KNEE,  HC_LM_LEFT_ANKLE,
                                HC_LM_RIGHT_HIP, HC_LM_RIGHT_KNEE, HC_LM_RIGHT_ANKLE};
    for (int k = 0; k < 6; k++)
        if (!finite3(w[need[k]]))
            return NAN;
    const double leg = 0.5 * (dist3(w[HC_LM_LEFT_HIP], w[HC_LM_LEFT_KNEE]) +
                              dist3(w[HC_LM_LEFT_KNEE], w[HC_LM_LEFT_ANKLE]) +
                              dist3(w[HC_LM_RIGHT_HIP], w[HC_LM_RIGHT_KNEE]) +
                              dist3(w[HC_LM_RIGHT_KNEE], w[HC_LM_RIGHT_ANKLE]));
    if (!(leg > 0.2))
        return NAN;
    /* y down: the left ankle higher has the smaller y */
    return ((double)w[HC_LM_RIGHT_ANKLE][1] - w[HC_LM_LEFT_ANKLE][1]) / leg;
}

enum kin_side kin_series_frame_side(const struct kin_series *s, size_t i)
{
    if (s && s->stand && i < s->n && s->stand[i] != KIN_SIDE_UNKNOWN)
        return (enum kin_side)s->stand[i];
    return s ? s->side : KIN_SIDE_UNKNOWN;
}

void kin_series_stance(struct kin_series *s, const struct hc_pose_frame *frames,
                       const struct kin_params *p, double *tmp)
{
    s->single_leg = 0;
    if (!s->stand || s->n == 0 || !(p->single_leg_rise > 0.0))
        return;
    /* per frame: +1 the left ankle raised (standing on the right), -1 the right raised, 0 */
    for (size_t i = 0; i < s->n; i++) {
        s->stand[i] = KIN_SIDE_UNKNOWN;
        const double r = frames[i].has_pose ? kin_frame_foot_rise(&frames[i]) : NAN;
        tmp[i] = r > p->single_leg_rise ? 1.0 : r < -p->single_leg_rise ? -1.0 : 0.0;
    }
    /* runs of one sign held long enough; their time against the posed time */
    double held = 0.0, posed = 0.0;
    for (size_t i = 1; i < s->n; i++)
        if (frames[i].has_pose && frames[i - 1].has_pose)
            posed += s->t_s[i] - s->t_s[i - 1];
    for (size_t i = 0; i < s->n;) {
        if (tmp[i] == 0.0) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < s->n && tmp[j + 1] == tmp[i])
            j++;
        const double dur = s->t_s[j] - s->t_s[i];
        if (dur >= p->single_leg_hold_s) {
            held += dur;
            for (size_t k = i; k <= j; k++)
                s->stand[k] = tmp[i] > 0.0 ? KIN_SIDE_RIGHT : KIN_SIDE_LEFT;
        }
        i = j + 1;
    }
    if (!(posed > 0.0) || held < p->single_leg_share * posed) {
        for (size_t i = 0; i < s->n; i++)
            s->stand[i] = KIN_SIDE_UNKNOWN;
        return;
    }
    s->single_leg = 1;
    /* the frames between stretches: the nearest stretch's leg (by time; a tie keeps the
     * earlier one). prev/next: the last stretch frame before i and the first after it. */
    long prev = -1;
    for (size_t i = 0; i < s->n; i++) {
        if (s->stand[i] != KIN_SIDE_UNKNOWN) {
            prev = (long)i;
            continue;
        }
        size_t nx = i + 1;
        while (nx < s->n && s->stand[nx] == KIN_SIDE_UNKNOWN)
            nx++;
        for (size_t k = i; k < nx; k++) {
            const double dp = prev >= 0 ? s->t_s[k] - s->t_s[prev] : INFINITY,
                         dn = nx < s->n ? s->t_s[nx] - s->t_s[k] : INFINITY;
            s->stand[k] = dp <= dn ? s->stand[prev >= 0 ? (size_t)prev : nx] : s->stand[nx];
        }
        i = nx - 1;
    }
}

void kin_series_single_leg(struct kin_series *s, const struct hc_pose_frame *frames,
                           const struct kin_params *p)
{
    /* the sagittal view factor (the free leg's line lies in the sagittal plane) and the frontal
     * one (the pelvis's rise towards the free side lies across it; none side-on) */
    const double sag = s->view == KIN_VIEW_FRONT     ? p->front_conf_factor
                       : s->view == KIN_VIEW_OBLIQUE ? p->oblique_conf_factor
                                                     : 1.0;
    const double fr = s->frontal ? s->frontal_conf_factor : 0.0;
    for (size_t i = 0; i < s->n; i++) {
        kin_series_put(s, KIN_FOOT_RISE, i, NAN, 0.0f);
        kin_series_put(s, KIN_PELVIS_OPEN, i, NAN, 0.0f);
        kin_series_put(s, KIN_FREE_LEG_LINE, i, NAN, 0.0f);
        const struct hc_pose_frame *f = &frames[i];
        if (!f->has_pose)
            continue;
        const float(*w)[3] = f->world_m;
        const int ank[2] = {HC_LM_LEFT_ANKLE, HC_LM_RIGHT_ANKLE};
        kin_series_put(s, KIN_FOOT_RISE, i, 100.0 * ((double)w[ank[1]][1] - w[ank[0]][1]),
                       kin_world_conf(f, p, 1.0, 2, ank));
        if (!s->stand || s->stand[i] == KIN_SIDE_UNKNOWN)
            continue;
        const int left_free = s->stand[i] == KIN_SIDE_RIGHT;
        const int fh = left_free ? HC_LM_LEFT_HIP : HC_LM_RIGHT_HIP,
                  sh = left_free ? HC_LM_RIGHT_HIP : HC_LM_LEFT_HIP,
                  fa = left_free ? HC_LM_LEFT_ANKLE : HC_LM_RIGHT_ANKLE;
        /* the pelvis: the hip line's rise towards the free side, against its length */
        const double hl = dist3(w[fh], w[sh]);
        if (hl > 0.05) {
            const double up = (double)w[sh][1] - w[fh][1];
            kin_series_put(s, KIN_PELVIS_OPEN, i, asin(fmax(-1.0, fmin(1.0, up / hl))) * DEG,
                           (float)(fr * kin_world_conf(f, p, 1.0, 2, (const int[]){fh, sh})));
        }
        /* the free leg's line with the trunk: shoulders' midpoint - free hip - free ankle */
        double a[3], b[3];
        for (int k = 0; k < 3; k++) {
            const double shm =
                0.5 * ((double)w[HC_LM_LEFT_SHOULDER][k] + w[HC_LM_RIGHT_SHOULDER][k]);
            a[k] = shm - w[fh][k];
            b[k] = (double)w[fa][k] - w[fh][k];
        }
        const double la = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]),
                     lb = sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
        if (la > 0.05 && lb > 0.05) {
            const double c = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (la * lb);
            kin_series_put(
                s, KIN_FREE_LEG_LINE, i, acos(fmax(-1.0, fmin(1.0, c))) * DEG,
                (float)(sag * kin_world_conf(f, p, 1.0, 4,
                                             (const int[]){HC_LM_LEFT_SHOULDER,
                                                           HC_LM_RIGHT_SHOULDER, fh, fa})));
        }
    }
}
