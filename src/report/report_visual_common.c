/* report_visual_common.c - small helpers the overlay and HTML writers share. */
#include "report/report_visual.h"

#include <math.h>

void visual_clip_size(const struct visual_clip *c, int *w, int *h)
{
    *w = c->info ? c->info->width_px : c->width_px;
    *h = c->info ? c->info->height_px : c->height_px;
}

const struct rules_finding *visual_top_finding(const struct rules_result *res, int rep)
{
    if (!res)
        return NULL;
    const struct rules_finding *best = NULL;
    for (size_t k = 0; k < res->n_findings; k++) {
        const struct rules_finding *f = &res->findings[k];
        /* info findings are notes (not assessable, view warnings), never a cue */
        if (f->rep != rep || f->severity <= RULES_INFO)
            continue;
        if (!best || f->severity > best->severity)
            best = f;
    }
    return best;
}

/* The bands follow the rules' scoring (docs/RULES.md, default penalties warning 10, error 25):
 * 90+ means at most one warning per rep on average, under 70 an error or three warnings per rep. */
const char *visual_verdict(double score)
{
    if (!isfinite(score))
        return "not scored";
    if (score >= 90.0)
        return "good form";
    if (score >= 70.0)
        return "needs attention";
    return "fix before adding load";
}
