/* pose_filter.c - MediaPipe's landmark smoothing: one-euro filters on coordinates, a low-pass on
 * visibility, with the settings of the pose graph.
 *
 * Sources (MediaPipe v0.9): mediapipe/modules/pose_landmark/pose_landmark_filtering.pbtxt
 * (settings, which streams are switchable), mediapipe/util/filtering/one_euro_filter.cc,
 * low_pass_filter.cc, mediapipe/calculators/util/landmarks_smoothing_calculator(_utils).cc
 * (pixel space, object scale, reset on a frame without landmarks),
 * visibility_smoothing_calculator.cc. */
#include "pose/pose.h"

#include <math.h>
#include <string.h>

/* OneEuroFilter proto defaults: frequency 30 (used until two timestamps are seen),
 * min_allowed_object_scale 1e-6. */
#define ONE_EURO_DEFAULT_FREQUENCY 30.0
#define MIN_ALLOWED_OBJECT_SCALE 1e-6f
/* VisibilitySmoothingCalculator low_pass_filter alpha in pose_landmark_filtering.pbtxt. */
#define VISIBILITY_ALPHA 0.1f

/* pose_landmark_filtering.pbtxt one_euro_filter settings. */
static const struct pose_one_euro_params lm_params = {0.05, 80.0, 1.0, 0};
static const struct pose_one_euro_params world_params = {0.1, 40.0, 1.0, 1};
static const struct pose_one_euro_params aux_params = {0.01, 10.0, 1.0, 0};

int64_t pose_time_ns(double t_s)
{
    /* MediaPipe timestamps are whole microseconds; the filter works in nanoseconds. */
    return (int64_t)llround(t_s * 1e6) * 1000;
}

float pose_lowpass_apply(struct pose_lowpass *f, float value)
{
    float result;
    if (f->initialized) {
        result = f->alpha * value + (1.0f - f->alpha) * f->stored;
    } else {
        result = value;
        f->initialized = 1;
    }
    f->raw = value;
    f->stored = result;
    return result;
}

void pose_one_euro_init(struct pose_one_euro *f, const struct pose_one_euro_params *p)
{
    memset(f, 0, sizeof *f);
    f->frequency = ONE_EURO_DEFAULT_FREQUENCY;
    f->min_cutoff = p->min_cutoff;
    f->beta = p->beta;
    f->derivate_cutoff = p->derivate_cutoff;
}

static double one_euro_alpha(const struct pose_one_euro *f, double cutoff)
{
    const double te = 1.0 / f->frequency;
    const double tau = 1.0 / (2.0 * 3.14159265358979323846 * cutoff);
    return 1.0 / (1.0 + tau / te);
}

double pose_one_euro_apply(struct pose_one_euro *f, int64_t t_ns, double value_scale,
                           double value)
{
    /* OneEuroFilter::Apply(). A timestamp not after the last one returns the value untouched -
     * which is also what happens to a first frame at t = 0. */
    if (f->last_time_ns >= t_ns)
        return value;
    if (f->last_time_ns != 0 && t_ns != 0)
        f->frequency = 1.0 / ((double)(t_ns - f->last_time_ns) * 1e-9);
    f->last_time_ns = t_ns;
    const double dvalue =
        f->x.initialized ? (value - (double)f->x.raw) * value_scale * f->frequency : 0.0;
    f->dx.alpha = (float)one_euro_alpha(f, f->derivate_cutoff);
    const double edvalue = pose_lowpass_apply(&f->dx, (float)dvalue);
    const double cutoff = f->min_cutoff + f->beta * fabs(edvalue);
    f->x.alpha = (float)one_euro_alpha(f, cutoff);
    return pose_lowpass_apply(&f->x, (float)value);
}

void pose_point_filter_init(struct pose_point_filter *pf, int n,
                            const struct pose_one_euro_params *p)
{
    memset(pf, 0, sizeof *pf);
    pf->p = *p;
    pf->n = n < POSE_SMOOTH_MAX_POINTS ? n : POSE_SMOOTH_MAX_POINTS;
}

void pose_point_filter_reset(struct pose_point_filter *pf)
{
    pf->active = 0;
}

void pose_point_filter_apply(struct pose_point_filter *pf, int64_t t_ns, float object_scale_px,
                             float (*xyz)[3], float *vis)
{
    if (!pf->active) {
        /* Filters are created on the first frame after a reset (InitializeFiltersIfEmpty). */
        for (int i = 0; i < pf->n; i++) {
            for (int a = 0; a < 3; a++)
                pose_one_euro_init(&pf->f[i][a], &pf->p);
            memset(&pf->vis[i], 0, sizeof pf->vis[i]);
            pf->vis[i].alpha = VISIBILITY_ALPHA;
        }
        pf->active = 1;
    }
    if (vis)
        for (int i = 0; i < pf->n; i++)
            vis[i] = pose_lowpass_apply(&pf->vis[i], vis[i]);
    double value_scale = 1.0;
    if (!pf->p.disable_value_scaling) {
        if (!(object_scale_px >= MIN_ALLOWED_OBJECT_SCALE))
            return;
        value_scale = 1.0f / object_scale_px;
    }
    for (int i = 0; i < pf->n; i++)
        for (int a = 0; a < 3; a++)
            xyz[i][a] = (float)pose_one_euro_apply(&pf->f[i][a], t_ns, value_scale, xyz[i][a]);
}

void pose_smoother_init(struct pose_smoother *s, int enabled)
{
    s->enabled = enabled;
    pose_point_filter_init(&s->lm, POSE_LM_N_POSE, &lm_params);
    pose_point_filter_init(&s->world, POSE_LM_N_POSE, &world_params);
    pose_point_filter_init(&s->aux, POSE_LM_N_AUX, &aux_params);
}

void pose_smoother_reset(struct pose_smoother *s)
{
    pose_point_filter_reset(&s->lm);
    pose_point_filter_reset(&s->world);
    pose_point_filter_reset(&s->aux);
}

/* Normalized landmarks to pixels and back (NormalizedLandmarksToLandmarks: z scaled like x). */
static void to_px(const struct pose_lm *lm, int n, int w, int h, float (*xyz)[3], float *vis)
{
    for (int i = 0; i < n; i++) {
        xyz[i][0] = lm[i].x * (float)w;
        xyz[i][1] = lm[i].y * (float)h;
        xyz[i][2] = lm[i].z * (float)w;
        vis[i] = lm[i].visibility;
    }
}

static void from_px(struct pose_lm *lm, int n, int w, int h, float (*xyz)[3], const float *vis)
{
    for (int i = 0; i < n; i++) {
        lm[i].x = xyz[i][0] / (float)w;
        lm[i].y = xyz[i][1] / (float)h;
        lm[i].z = xyz[i][2] / (float)w;
        lm[i].visibility = vis[i];
    }
}

void pose_smoother_apply(struct pose_smoother *s, int64_t t_ns, int img_w, int img_h,
                         struct pose_lm *lm, struct pose_lm *aux, float (*world)[3])
{
    /* Object scale: the alignment rectangle of the unfiltered aux landmarks (no 1.25 scaling),
     * (width + height) / 2 in pixels - GetObjectScale(roi, w, h). */
    struct pose_rect r;
    pose_rect_from_alignment(aux[0].x, aux[0].y, aux[1].x, aux[1].y, img_w, img_h, &r);
    const float scale = (r.width * (float)img_w + r.height * (float)img_h) / 2.0f;
    float xyz[POSE_LM_N_POSE][3], vis[POSE_LM_N_POSE];
    if (s->enabled) {
        to_px(lm, POSE_LM_N_POSE, img_w, img_h, xyz, vis);
        pose_point_filter_apply(&s->lm, t_ns, scale, xyz, vis);
        from_px(lm, POSE_LM_N_POSE, img_w, img_h, xyz, vis);
        pose_point_filter_apply(&s->world, t_ns, 1.0f, world, NULL);
    }
    /* The aux filters are not behind the ENABLE switch: the ROI track is always smoothed. */
    to_px(aux, POSE_LM_N_AUX, img_w, img_h, xyz, vis);
    pose_point_filter_apply(&s->aux, t_ns, scale, xyz, vis);
    from_px(aux, POSE_LM_N_AUX, img_w, img_h, xyz, vis);
}
