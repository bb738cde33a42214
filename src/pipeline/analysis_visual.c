/* analysis_visual.c - the public entry points of the visual reports (hc_analysis_write_html,
 * hc_analysis_write_overlay): they hand an analysis result to the writers of
 * src/report/report_visual.h. Part of the driver library because only the driver sees inside a
 * result (src/analysis.h). */
#define _POSIX_C_SOURCE 200809L /* access */
#include "analysis.h"
#include "report/report_visual.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* The rule table the result was scored with, for the charts' expected ranges. The result keeps
 * only its name, so it is loaded again: the built-in table, or the same file. A file that has
 * gone since is not an error (the charts then lack the ranges). */
static struct rules_set *load_rules(const struct report_input *in)
{
    struct rules_set *rs = NULL;
    if (rules_load_default(&rs) != HC_OK)
        return NULL;
    /* the built-in table names itself (rules_load_default's source_name) */
    if (!in->rules_name || (rs->source_name && strcmp(in->rules_name, rs->source_name) == 0) ||
        strcmp(in->rules_name, "built-in") == 0)
        return rs;
    rules_set_free(rs);
    rs = NULL;
    if (rules_load_file(in->rules_name, &rs) != HC_OK)
        hc_log(HC_LOG_WARN, "%s: cannot read it again; the charts show no expected ranges",
               in->rules_name);
    return rs;
}

/* The video to draw on: the one asked for, else the analysed video, else a track's source when
 * the file is there. NULL when none. */
static const char *video_of(const struct report_input *in, const char *asked)
{
    if (asked)
        return asked;
    if (!in->from_track)
        return in->path;
    if (in->source && in->source[0] && access(in->source, R_OK) == 0)
        return in->source;
    return NULL;
}

static void clip_of(const struct hc_analysis *a, const char *video, struct rules_set *rs,
                    struct visual_clip *c)
{
    const struct report_input *in = analysis_report_input(a);
    size_t n = 0;
    const struct hc_pose_frame *frames = analysis_frames(a, &n);
    memset(c, 0, sizeof *c);
    c->source = in->path;
    c->video_path = video;
    c->width_px = in->width_px;
    c->height_px = in->height_px;
    c->fps = in->fps;
    c->frames = frames;
    c->n_frames = n;
    c->ks = in->ks;
    c->rr = in->rr;
    c->res = in->res;
    c->rs = rs;
    c->model = in->model;
    c->note = in->status != HC_OK ? in->reason : NULL;
    /* The analysed range (--start/--end) as decoder times: half a frame of margin either side.
     * A whole-clip analysis starts at its first frame: decode from 0 then. */
    const double half = in->fps > 0 ? 0.5 / in->fps : 0.02;
    if (n && frames[0].t_s > half)
        c->start_s = frames[0].t_s - half;
    if (n && in->duration_s > 0 && frames[n - 1].t_s + 3 * half < in->duration_s)
        c->end_s = frames[n - 1].t_s + half;
}

enum hc_status hc_analysis_write_html(const struct hc_analysis *a, const char *path)
{
    if (!a || !path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write_html: no result or path");
    const struct report_input *in = analysis_report_input(a);
    struct rules_set *rs = load_rules(in);
    struct visual_clip c;
    clip_of(a, video_of(in, NULL), rs, &c);
    const struct visual_html_params hp = visual_html_default_params();
    const enum hc_status st = visual_write_html(&c, &hp, path);
    rules_set_free(rs);
    return st;
}

enum hc_status hc_analysis_write_overlay(const struct hc_analysis *a, const char *video_path,
                                         const char *path)
{
    if (!a || !path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write_overlay: no result or path");
    const struct report_input *in = analysis_report_input(a);
    const char *video = video_of(in, video_path);
    if (!video)
        return hc_fail(HC_ERR_IO,
                       "%s: the overlay is drawn on the video, and the "
                       "track's source '%s' is not there; run `hingecheck analyse VIDEO "
                       "--overlay %s` on the clip",
                       path, in->source ? in->source : "", path);
    struct visual_clip c;
    clip_of(a, video, NULL, &c);
    const struct visual_overlay_params op = visual_overlay_default_params();
    return visual_write_overlay(&c, &op, path);
}
