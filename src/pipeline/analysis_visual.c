/* analysis_visual.c - the public entry points of the reports (hc_analysis_write and friends,
 * hc_report_format_get): they hand an analysis result to the format table of src/report and,
 * for the formats drawn on the clip, to the render pass (pass_render.c). Part of the driver
 * library because only the driver sees inside a result (src/pipeline/analysis.h). */
#define _POSIX_C_SOURCE 200809L /* access */
#include "analysis.h"
#include "pipeline/pass_render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct hc_report_options hc_report_default_options(void)
{
    struct hc_report_options o;
    memset(&o, 0, sizeof o);
    return o;
}

const char *hc_report_formats(void)
{
    return report_format_names();
}

size_t hc_report_format_count(void)
{
    size_t n = 0;
    while (report_formats[n])
        n++;
    return n;
}

enum hc_status hc_report_format_get(size_t i, struct hc_report_format_info *out)
{
    if (!out || i >= hc_report_format_count())
        return hc_fail(HC_ERR_INVALID_ARG, "hc_report_format_get: no format %zu", i);
    const struct report_format *f = report_formats[i];
    *out = (struct hc_report_format_info){
        .name = f->name,
        .ext = f->ext,
        .flag = f->flag,
        .metavar = f->metavar,
        .help = f->help,
        .to_stdout = (f->flags & REPORT_STDOUT) != 0,
        .needs_video = f->draw_frame || (f->flags & REPORT_KEYFRAMES),
    };
    return HC_OK;
}

enum hc_status hc_report_compare(const char *report_a, const char *report_b, FILE *f)
{
    return report_compare_write(report_a, report_b, f);
}

static const struct report_format *find_format(const char *name)
{
    const struct report_format *f = report_format_find(name);
    if (!f)
        hc_fail(HC_ERR_INVALID_ARG, "unknown report format '%s'; use one of %s",
                name ? name : "(null)", report_format_names());
    return f;
}

static struct report_options options_of(const struct hc_report_options *o)
{
    const struct hc_report_options def = hc_report_default_options();
    if (!o)
        o = &def;
    return (struct report_options){o->color, o->series, o->deterministic, o->overlay_size_px};
}

enum hc_status hc_analysis_write_stream(const struct hc_analysis *a, const char *format, FILE *f,
                                        const struct hc_report_options *o)
{
    if (!a || !f)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write_stream: no result or stream");
    const struct report_format *fmt = find_format(format);
    if (!fmt)
        return HC_ERR_INVALID_ARG;
    if (!fmt->write || (fmt->flags & REPORT_KEYFRAMES))
        return hc_fail(HC_ERR_INVALID_ARG,
                       "the %s report is drawn on the clip: write it to a file (hc_analysis_write)",
                       fmt->name);
    const struct report_options ro = options_of(o);
    return fmt->write(analysis_report_input(a), &ro, f);
}

/* The video to draw on: the analysed video, else a track's source when the file is there. NULL
 * when none. */
static const char *video_of(const struct report_input *in)
{
    if (!in->from_track) /* the file decoded: the path, or the copy a shown name stands for */
        return in->video ? in->video : in->path;
    if (in->source && in->source[0] && access(in->source, R_OK) == 0)
        return in->source;
    return NULL;
}

/* What the render pass decodes: the analysed range (--start/--end) as decoder times, half a frame
 * of margin either side. A whole-clip analysis starts at its first frame: decode from 0 then.
 * An analysis of fewer frames than the clip has (hc_pose_clip_params.max_fps) covers the frames
 * up to its next sample after the last: the range ends half a frame before that one. */
static struct analysis_source source_of(const struct report_input *in)
{
    struct analysis_source s = {.video_path = video_of(in)};
    const size_t n = (size_t)in->n_frames;
    const double half = in->fps > 0 ? 0.5 / in->fps : 0.02;
    double tail = half;
    if (n >= 2)
        tail = fmax(half, in->frames[n - 1].t_s - in->frames[n - 2].t_s - half);
    if (n && in->frames[0].t_s > half)
        s.start_s = in->frames[0].t_s - half;
    if (n && in->duration_s > 0 && in->frames[n - 1].t_s + tail + 2 * half < in->duration_s)
        s.end_s = in->frames[n - 1].t_s + tail;
    return s;
}

enum hc_status hc_analysis_write_reports(const struct hc_analysis *a, struct hc_report_request *r,
                                         size_t n, const struct hc_report_options *o)
{
    if (!a || (n && !r))
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write_reports: no result or reports");
    const struct report_input *in = analysis_report_input(a);
    struct analysis_source src = source_of(in);
    if (o) {
        src.cancel = o->cancel;
        src.cancel_user = o->cancel_user;
        src.progress = o->progress;
        src.progress_user = o->progress_user;
    }
    struct analysis_output *out = calloc(n ? n : 1, sizeof *out);
    if (!out)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory writing the reports", in->path);
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        r[k].status = HC_OK;
        r[k].error[0] = '\0';
        const struct report_format *fmt = find_format(r[k].format);
        const char *inputs[2] = {in->path, src.video_path};
        if (!fmt || !r[k].path) {
            r[k].status = fmt ? hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write: no path")
                              : HC_ERR_INVALID_ARG;
        } else if ((r[k].status = hc_outputs_clash(inputs, 2, &r[k].path, 1)) != HC_OK) {
            /* never over the analysed file or the clip it is drawn from (a track's source) */
        } else if (fmt->draw_frame && !src.video_path) {
            r[k].status = hc_fail(HC_ERR_IO,
                                  "%s: the %s is drawn on the video, and the track's source '%s' "
                                  "is not there; run `hingecheck analyse VIDEO --%s %s` on the "
                                  "clip",
                                  r[k].path, fmt->name, in->source ? in->source : "", fmt->flag,
                                  r[k].path);
        } else {
            out[m++] = (struct analysis_output){.format = fmt, .path = r[k].path};
            continue;
        }
        snprintf(r[k].error, sizeof r[k].error, "%s", hc_last_error());
    }
    const struct report_options ro = options_of(o);
    analysis_render(in, &ro, &src, out, m);
    for (size_t k = 0, j = 0; k < n; k++) {
        if (r[k].status != HC_OK || j >= m)
            continue;
        r[k].status = out[j].status;
        snprintf(r[k].error, sizeof r[k].error, "%s", out[j].error);
        j++;
    }
    free(out);
    for (size_t k = 0; k < n; k++)
        if (r[k].status != HC_OK) {
            hc_fail(r[k].status, "%s", r[k].error);
            return r[k].status;
        }
    return HC_OK;
}

enum hc_status hc_analysis_write(const struct hc_analysis *a, const char *format,
                                 const char *path, const struct hc_report_options *o)
{
    struct hc_report_request r = {.format = format, .path = path};
    return hc_analysis_write_reports(a, &r, 1, o);
}
