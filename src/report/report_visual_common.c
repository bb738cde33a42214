/* report_visual_common.c - small helpers the overlay and HTML writers share. */
#include "report/report_visual.h"

void visual_clip_size(const struct visual_clip *c, int *w, int *h)
{
    *w = c->info ? c->info->width_px : c->width_px;
    *h = c->info ? c->info->height_px : c->height_px;
}
