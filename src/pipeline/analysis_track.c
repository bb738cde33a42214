#define _POSIX_C_SOURCE 200809L
/* analysis_track.c - an analysis written as a track file (hc_analysis_write_track): the poses it
 * judged, frame by frame, with what it measured beyond them (the implement the image showed, the
 * spine from the person's outline), which hc_analyse_track reads back
 * (analysis_from_track_extra) to judge the set again without the video. */
#include "analysis.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void extra_of(const struct hc_analysis *a, size_t i, struct hc_track_extra *x)
{
    memset(x, 0, sizeof *x);
    if (a->imp_raw && a->n_imp_raw == a->n_frames) {
        const struct implement_frame *f = &a->imp_raw[i];
        x->has_implement = 1;
        snprintf(x->implement_kind, sizeof x->implement_kind, "%s", implement_kind_name(f->kind));
        x->implement_cx_px = f->cx_px;
        x->implement_cy_px = f->cy_px;
        x->implement_r_px = f->r_px;
        x->implement_quality = f->quality;
        x->implement_shin_px = f->shin_px;
    }
    if (a->spine && isfinite(a->spine[i].value)) {
        x->has_spine_mask = 1;
        x->spine_mask = a->spine[i].value;
        x->spine_mask_conf = a->spine[i].conf;
    }
}

struct track_out {
    const struct hc_analysis *a;
    const char *path;
};

static enum hc_status write_to(FILE *f, void *user)
{
    const struct track_out *o = user;
    const struct hc_analysis *a = o->a;
    const char *path = o->path;
    const struct report_input *in = &a->in;
    struct hc_track_header h;
    memset(&h, 0, sizeof h);
    snprintf(h.source, sizeof h.source, "%s", a->source ? a->source : in->path);
    h.width_px = in->width_px;
    h.height_px = in->height_px;
    h.fps = in->fps;
    h.duration_s = in->duration_s;
    h.rotation_deg = a->rotation_deg;
    h.n_frames_estimate = a->n_frames_estimate > 0 ? a->n_frames_estimate : (int64_t)a->n_frames;
    snprintf(h.model, sizeof h.model, "%.15s", a->model);
    h.smooth = in->smooth;
    if (track_write_header(f, &h) != 0)
        return hc_fail(HC_ERR_IO, "%s: cannot write the track (%s)", path, strerror(errno));
    for (size_t i = 0; i < a->n_frames; i++) {
        struct hc_track_extra x;
        extra_of(a, i, &x);
        if (track_write_frame_extra(f, &a->frames[i], &x, 1) != 0)
            return hc_fail(HC_ERR_IO, "%s: cannot write the track (%s)", path, strerror(errno));
    }
    return HC_OK;
}

enum hc_status hc_analysis_write_track(const struct hc_analysis *a, const char *path)
{
    if (!a || !path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write_track: no result or path");
    const char *inputs[2] = {a->in.path, a->in.video};
    enum hc_status st = hc_outputs_clash(inputs, 2, &path, 1);
    if (st != HC_OK)
        return st;
    struct track_out o = {a, path};
    return hc_write_output(path, 1, write_to, &o);
}
