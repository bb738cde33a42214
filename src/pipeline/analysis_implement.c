/* analysis_implement.c - the implement an analysis is judged with: the pose pass's image verdict
 * (src/implement) handed to the kinematics, which choose between --implement, the image (side
 * views, confident verdicts) and the hand gap (kin_series.c, series_implement), and what the
 * reports say of the choice (struct report_implement; docs/REPORT.md, "implement"). */
#include "pipeline/pipeline.h"

#include <math.h>
#include <stdio.h>
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
