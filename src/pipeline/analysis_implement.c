/* analysis_implement.c - the implement an analysis is judged with: the pose pass's image verdict
 * (src/implement) handed to the kinematics, which choose between --implement, the image (side
 * views, confident verdicts) and the hand gap (kin_series.c, series_implement), and what the
 * reports say of the choice (struct report_implement; docs/REPORT.md, "implement"). */
#include "pipeline/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The image's kinds the rules have rows for: plates are a barbell, a bell a kettlebell. A
 * dumbbell head, none or unknown leave the choice to the hands. */
static enum kin_implement kin_kind(enum implement_kind k)
{
    return k == IMPLEMENT_BARBELL      ? KIN_IMPLEMENT_BARBELL
           : k == IMPLEMENT_KETTLEBELL ? KIN_IMPLEMENT_KETTLEBELL
                                       : KIN_IMPLEMENT_UNKNOWN;
}

void analysis_implement_params(const struct hc_analysis *a, struct kin_params *kp)
{
    kp->implement = (enum kin_implement)a->implement; /* --implement (UNKNOWN: auto) */
    kp->implement_image = a->has_image ? kin_kind(a->image.kind) : KIN_IMPLEMENT_UNKNOWN;
    kp->implement_image_conf = a->has_image ? a->image.confidence : 0.0;
    /* The outlines of the image's implement, one per pose frame, unless --implement names
     * another one (then they are not the implement's). kin reads them on side views only, when
     * its implement is theirs (series_outlines). */
    const enum kin_implement seen = kp->implement_image;
    if (a->imp_frames && a->n_imp_frames == a->n_frames && seen != KIN_IMPLEMENT_UNKNOWN &&
        (kp->implement == KIN_IMPLEMENT_UNKNOWN || kp->implement == seen)) {
        kp->implement_frames = a->imp_frames;
        kp->n_implement_frames = a->n_imp_frames;
    }
    /* the plate's scale: plate_cm over the median plate diameter (the verdict's px_per_cm is
     * the body's when the plates look small, so it is not read here) */
    if (a->has_image && a->image.kind == IMPLEMENT_BARBELL && a->image.diameter_px > 0.0) {
        kp->plate_cm_per_px = a->plate_cm / a->image.diameter_px;
        kp->plates_small = a->image.plates_small;
    }
}

void analysis_implement_report(struct hc_analysis *a, const struct kin_params *kp)
{
    struct report_implement *r = &a->imp;
    const struct kin_series *ks = a->ks;
    const struct implement_verdict *v = &a->image;
    memset(r, 0, sizeof *r);
    r->kind = ks ? ks->implement : KIN_IMPLEMENT_UNKNOWN;
    r->source = ks ? ks->implement_source : KIN_IMPLEMENT_FROM_NONE;
    r->confidence = NAN;
    r->image_confidence = r->share_found = r->plate_diameter_px = r->px_per_cm = NAN;
    if (a->has_image) {
        r->image_kind = implement_kind_name(v->kind);
        r->image_confidence = v->confidence;
        r->share_found = v->share_found;
        if (v->kind == IMPLEMENT_BARBELL) {
            r->plate_diameter_px = v->diameter_px;
            r->px_per_cm = v->px_per_cm;
        }
    }
    char *e = a->imp_evidence;
    const size_t ne = sizeof a->imp_evidence;
    e[0] = '\0';
    switch (r->source) {
    case KIN_IMPLEMENT_FROM_GIVEN:
        r->confidence = 1.0;
        snprintf(e, ne, "given with --implement");
        break;
    case KIN_IMPLEMENT_FROM_IMAGE:
        r->confidence = v->confidence;
        snprintf(e, ne, "%s", v->evidence);
        break;
    case KIN_IMPLEMENT_FROM_HANDS:
        snprintf(e, ne, "hand gap / shoulder width %.2f (%s view)", ks->hand_gap_ratio,
                 kin_view_name(ks->view));
        break;
    default:
        if (!a->has_image) {
            snprintf(e, ne, "not seen: a pose track has no image, and the hands did not say");
        } else if (kin_kind(v->kind) == KIN_IMPLEMENT_UNKNOWN) {
            snprintf(e, ne, "image: %s", v->evidence);
        } else if (!ks || ks->view != KIN_VIEW_SIDE) {
            snprintf(e, ne, "image: %s; not used on a %s view (rings on the thighs pass for "
                     "plates or bells)", v->evidence, kin_view_name(ks ? ks->view : 0));
        } else {
            snprintf(e, ne, "image: %s; not used: confidence %.2f under %.2f", v->evidence,
                     v->confidence, kp->implement_image_min_conf);
        }
        break;
    }
    r->evidence = e;
    a->in.implement = r;
}

/* Those of the kind the clip verdict names (plates for a barbell, a bell for a kettlebell); a
 * frame where the detector saw another kind, or nothing, has none (a lone circle of another kind
 * is a ring on the thigh or the seat more often than the implement). One small struct a frame. */
enum hc_status analysis_outlines(const struct implement_verdict *v,
                                 const struct implement_frame *f, size_t n,
                                 struct kin_implement_frame **out)
{
    *out = NULL;
    const enum implement_kind k = v->kind;
    const enum kin_outline o = k == IMPLEMENT_BARBELL      ? KIN_OUTLINE_PLATE
                               : k == IMPLEMENT_KETTLEBELL ? KIN_OUTLINE_BELL
                                                           : KIN_OUTLINE_NONE;
    if (o == KIN_OUTLINE_NONE || n == 0)
        return HC_OK;
    struct kin_implement_frame *kf = calloc(n, sizeof *kf);
    if (!kf)
        return hc_fail(HC_ERR_NOMEM, "implement outlines: out of memory for %zu frames", n);
    for (size_t i = 0; i < n; i++)
        if (f[i].kind == k && f[i].r_px > 0.0f)
            kf[i] = (struct kin_implement_frame){o, f[i].cx_px, f[i].cy_px, f[i].r_px};
    *out = kf;
    return HC_OK;
}

enum hc_status analysis_from_track_extra(struct hc_analysis *a, const struct hc_track *t)
{
    const size_t n = a->n_frames;
    if (!t->extra || n == 0 || (size_t)t->n_frames != n)
        return HC_OK;
    int any_imp = 0, any_spine = 0;
    for (size_t i = 0; i < n; i++) {
        any_imp |= t->extra[i].has_implement;
        any_spine |= t->extra[i].has_spine_mask;
    }
    if (any_spine) {
        if (!(a->spine = malloc(n * sizeof *a->spine)))
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory", a->path);
        for (size_t i = 0; i < n; i++) {
            const struct hc_track_extra *x = &t->extra[i];
            a->spine[i] = x->has_spine_mask
                              ? (struct kin_spine_sample){x->spine_mask, x->spine_mask_conf}
                              : (struct kin_spine_sample){NAN, 0.0f};
        }
        a->spine_given = 1;
    }
    if (!any_imp)
        return HC_OK;
    if (!(a->imp_raw = calloc(n, sizeof *a->imp_raw)))
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", a->path);
    a->n_imp_raw = n;
    for (size_t i = 0; i < n; i++) {
        const struct hc_track_extra *x = &t->extra[i];
        struct implement_frame *f = &a->imp_raw[i];
        f->index = a->frames[i].index;
        f->t_s = a->frames[i].t_s;
        const int k = x->has_implement ? implement_kind_from_name(x->implement_kind) : -1;
        f->kind = k >= 0 ? (enum implement_kind)k : IMPLEMENT_UNKNOWN;
        f->cx_px = x->implement_cx_px;
        f->cy_px = x->implement_cy_px;
        f->r_px = x->implement_r_px;
        f->quality = x->implement_quality;
        f->shin_px = x->implement_shin_px;
    }
    struct implement_params ip = implement_default_params();
    ip.plate_cm = a->plate_cm;
    enum hc_status st = implement_verdict_of(&ip, a->imp_raw, (int64_t)n, 0.0, &a->image);
    if (st == HC_OK)
        st = analysis_outlines(&a->image, a->imp_raw, n, &a->imp_frames);
    a->n_imp_frames = a->imp_frames ? n : 0;
    a->has_image = st == HC_OK;
    return st;
}
