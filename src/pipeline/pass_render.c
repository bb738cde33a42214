/* pass_render.c - the render pass (decode the clip once, let the formats draw, encode) and
 * the writing of report files; see pass_render.h.
 *
 * Why one pass: a 1080p clip takes longer to decode than to draw on, so the overlay video and
 * the HTML page's key frames share one decoder. Memory stays flat with the clip's length: each
 * decoded frame is drawn on and handed to the encoder before the next is read, and a key frame
 * is kept as its JPEG only. */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include "pipeline/pass_render.h"

#include "report/report_visual.h"
#include "video/video.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The key frames' JPEG quality: 85 keeps each at ~15 KB with no visible blocking. */
#define KEYFRAME_JPEG_QUALITY 85

static void fail_output(struct analysis_output *o, enum hc_status st)
{
    o->status = st;
    snprintf(o->error, sizeof o->error, "%s", hc_last_error());
}

struct document_out {
    const struct report_format *fmt;
    const struct report_input *in;
    const struct report_options *o;
};

static enum hc_status write_document(FILE *f, void *user)
{
    const struct document_out *d = user;
    return d->fmt->write(d->in, d->o, f);
}

enum hc_status analysis_write_file(const struct report_format *fmt,
                                   const struct report_input *in, const struct report_options *o,
                                   const char *path)
{
    if (!fmt || !fmt->write || !in || !path)
        return hc_fail(HC_ERR_INVALID_ARG, "analysis_write_file: no format, result or path");
    /* "-" for the formats that may take stdout; a device in place; else temp file + rename: a
     * killed run never leaves half a report */
    struct document_out d = {fmt, in, o};
    return hc_write_output(path, (fmt->flags & REPORT_STDOUT) != 0, write_document, &d);
}

/* ---- video formats -------------------------------------------------------------------------- */

/* One video being written: the decoded frame is copied into buf (the decoder owns its frame, and
 * the key frames are cut from it undrawn), scaled to at most 1080p, drawn on and encoded. */
struct sink {
    struct analysis_output *out;
    struct video_writer *w;
    uint8_t *buf;  /* width_px x height_px: the overlay's size, at most 1080p */
    int width_px, height_px;
    size_t stride;
    double half;   /* half the output's frame spacing: which analysed frame a frame shows */
    size_t j;      /* cursor into the analysed frames: both run in time order */
    char tmp[HC_TEMP_PATH_MAX];
};

/* The analysed frame shown on a video frame at t_s: the nearer of j and j + 1, when it lies
 * within half the analysis' frame spacing. The analysis may sample fewer frames than the video
 * has (hc_pose_clip_params.max_fps): the frames between then show the nearest pose instead of
 * flickering between skeleton and "no pose". REPORT_NO_FRAME outside the analysed range. */
static size_t nearest_pose(const struct report_input *in, size_t j, double t_s, double half)
{
    const size_t n = (size_t)in->n_frames;
    if (j >= n)
        return REPORT_NO_FRAME;
    size_t b = j;
    if (j + 1 < n && fabs(in->frames[j + 1].t_s - t_s) < fabs(in->frames[j].t_s - t_s))
        b = j + 1;
    double gap = 2.0 * half;
    if (b + 1 < n)
        gap = fmax(gap, in->frames[b + 1].t_s - in->frames[b].t_s);
    if (b > 0)
        gap = fmax(gap, in->frames[b].t_s - in->frames[b - 1].t_s);
    return fabs(in->frames[b].t_s - t_s) <= gap / 2.0 + 1e-6 ? b : REPORT_NO_FRAME;
}

/* Opens the encoder of one video output: H.264 yuv420p MP4 with faststart at the clip's frame
 * rate, written to a temporary name beside the target. */
static enum hc_status sink_open(struct sink *s, const struct report_input *in,
                                const struct hc_video_info *info, const char *video_path)
{
    const char *path = s->out->path;
    /* at most 1080p, even sides (report_overlay_size) */
    int ow, oh;
    report_overlay_size(info->width_px, info->height_px, &ow, &oh);
    if (ow < 2 || oh < 2)
        return hc_fail(HC_ERR_UNSUPPORTED, "%s: %dx%d is too small for an overlay video",
                       video_path, info->width_px, info->height_px);
    s->width_px = ow;
    s->height_px = oh;
    s->stride = (size_t)ow * 3;
    if (!(s->buf = malloc(s->stride * (size_t)oh)))
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory for a %dx%d frame", path, ow, oh);
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = ow;
    wp.height_px = oh;
    wp.fps = info->fps > 0 ? info->fps : (in->fps > 0 ? in->fps : 30.0);
    wp.codec = "h264";
    wp.faststart = 1;
    s->half = 0.5 / wp.fps;
    /* same extension: the container follows the name; renamed when complete, so a killed run
     * never leaves a truncated video under the asked name */
    const enum hc_status ts = hc_replace_temp_path(path, 1, s->tmp, sizeof s->tmp);
    if (ts != HC_OK) {
        s->tmp[0] = '\0';
        return ts;
    }
    const enum hc_status st = video_writer_open(s->tmp, &wp, &s->w);
    if (st == HC_ERR_IO)
        return hc_fail(HC_ERR_IO, "%s: cannot create the overlay video; check the folder exists "
                       "and is writable", path);
    return st;
}

static enum hc_status sink_frame(struct sink *s, const struct report_input *in,
                                 const struct video_frame *f, double t0)
{
    report_overlay_fit(f->rgb, f->width_px, f->height_px, f->stride, s->buf, s->width_px,
                       s->height_px, (int)s->stride);
    const size_t n = (size_t)in->n_frames;
    while (s->j + 1 < n && in->frames[s->j + 1].t_s <= f->t_s + s->half)
        s->j++;
    const size_t i = nearest_pose(in, s->j, f->t_s, s->half);
    s->out->format->draw_frame(in, i, s->buf, s->width_px, s->height_px, (int)s->stride);
    return video_writer_write_rgb(s->w, s->buf, (int)s->stride, f->t_s - t0);
}

/* Ends a video output: st HC_OK finishes and renames it, else it is dropped. */
static void sink_end(struct sink *s, enum hc_status st)
{
    if (s->w) {
        const enum hc_status cs = video_writer_close(s->w);
        s->w = NULL;
        if (st == HC_OK)
            st = cs;
        st = hc_replace_finish(s->tmp, s->out->path, st);
    } else if (st != HC_OK && s->tmp[0]) {
        remove(s->tmp); /* opening the writer failed: it may have left the file */
    }
    if (st != HC_OK) {
        if (s->out->status == HC_OK)
            fail_output(s->out, st);
    }
    free(s->buf);
    s->buf = NULL;
}

/* ---- key frames ----------------------------------------------------------------------------- */

/* The frames the HTML page shows, cut from the decoded clip in frame order: the bottom of each
 * rep (report_keyframe_draw), or the worst moment of each finding with its fault drawn
 * (report_fault_draw). One slot per rep or per finding; a slot whose frame is -1 has none. */
struct key_slot {
    long at;     /* the analysed frame it shows */
    size_t slot; /* index into keys.k */
};

struct keys {
    struct report_keyframe *k; /* one per slot */
    size_t n;                  /* slots: reps, or findings (fault) */
    struct key_slot *order;    /* the slots by frame */
    int fault;                 /* 1: the findings' worst moments */
    uint8_t *buf;              /* the largest frame drawn, RGB */
    int live;                  /* still cutting from the decoded frames */
    size_t r, j;               /* next of order to cut; cursor into the analysed frames */
    double half;
};

static int slot_cmp(const void *a, const void *b)
{
    const struct key_slot *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at ? 1 : x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* Sets up the slots: the reps' bottoms, or (fault) the findings' worst moments. 0, or -1 when
 * out of memory. */
static int keys_init(struct keys *ks, const struct report_input *in, int fault)
{
    memset(ks, 0, sizeof *ks);
    ks->fault = fault;
    ks->n = fault ? (in->res ? in->res->n_findings : 0) : (in->rr ? in->rr->n_reps : 0);
    if (!ks->n)
        return 0;
    const size_t bytes = fault ? (size_t)REPORT_FAULT_MAX_WIDTH * REPORT_FAULT_HEIGHT * 3
                               : (size_t)REPORT_KEYFRAME_MAX_WIDTH * REPORT_KEYFRAME_HEIGHT * 3;
    if (!(ks->k = calloc(ks->n, sizeof *ks->k)) ||
        !(ks->order = calloc(ks->n, sizeof *ks->order)) || !(ks->buf = malloc(bytes)))
        return -1;
    for (size_t k = 0; k < ks->n; k++) {
        long at = fault ? report_fault_frame(in, k) : (long)in->rr->reps[k].i_bottom;
        if (at >= in->n_frames)
            at = -1;
        ks->order[k] = (struct key_slot){at, k};
    }
    qsort(ks->order, ks->n, sizeof *ks->order, slot_cmp);
    while (ks->r < ks->n && ks->order[ks->r].at < 0)
        ks->r++; /* slots without a frame */
    return 0;
}

static void keys_free(struct keys *ks)
{
    for (size_t r = 0; ks->k && r < ks->n; r++)
        free((void *)ks->k[r].jpeg);
    free(ks->k);
    free(ks->order);
    free(ks->buf);
}

static enum hc_status key_make(struct keys *ks, const struct report_input *in, size_t r, size_t i,
                               const uint8_t *rgb, int stride)
{
    int w = 0, h = 0;
    if (ks->fault)
        report_fault_draw(in, r, i, rgb, stride, ks->buf, &w, &h);
    else
        report_keyframe_draw(in, i, rgb, stride, ks->buf, &w, &h);
    uint8_t *jpeg = NULL;
    size_t len = 0;
    const enum hc_status st =
        video_encode_jpeg(ks->buf, w, h, w * 3, KEYFRAME_JPEG_QUALITY, &jpeg, &len);
    ks->k[r] = (struct report_keyframe){jpeg, len, w, h};
    return st;
}

/* Cuts the slots whose frame this video frame shows. */
static enum hc_status key_frame(struct keys *ks, const struct report_input *in,
                                const struct video_frame *f)
{
    if (f->width_px != in->width_px || f->height_px != in->height_px) {
        ks->live = 0; /* the landmarks are in another pixel space: skeleton only */
        return HC_OK;
    }
    const size_t n = (size_t)in->n_frames;
    while (ks->j + 1 < n && in->frames[ks->j + 1].t_s <= f->t_s + ks->half)
        ks->j++;
    while (ks->r < ks->n && ks->order[ks->r].at < (long)ks->j)
        ks->r++; /* that frame was skipped: drawn without the video below */
    while (ks->r < ks->n && ks->order[ks->r].at == (long)ks->j &&
           fabs(in->frames[ks->j].t_s - f->t_s) <= ks->half) {
        const enum hc_status st = key_make(ks, in, ks->order[ks->r].slot, ks->j, f->rgb, f->stride);
        ks->r++;
        if (st != HC_OK)
            return st;
    }
    return HC_OK;
}

/* Slots never seen on the video: the skeleton on a plain background. */
static enum hc_status keys_finish(struct keys *ks, const struct report_input *in)
{
    for (size_t q = 0; q < ks->n; q++) {
        const struct key_slot *s = &ks->order[q];
        if (s->at < 0 || ks->k[s->slot].jpeg)
            continue;
        const enum hc_status st = key_make(ks, in, s->slot, (size_t)s->at, NULL, 0);
        if (st != HC_OK)
            return st;
    }
    return HC_OK;
}

/* ---- the pass ------------------------------------------------------------------------------- */

static int shows_clip(const struct report_format *f)
{
    return f->draw_frame || (f->flags & REPORT_KEYFRAMES);
}

static int cancelled(const struct analysis_source *src)
{
    return src->cancel && src->cancel(src->cancel_user) != 0;
}

/* Stopped on request: the outputs that show the clip and are still going fail with
 * HC_ERR_CANCELLED; the videos too when `videos` (else sink_end drops them). */
static enum hc_status abandon(const struct report_input *in, struct analysis_output *out,
                              size_t n, int videos)
{
    const enum hc_status st = hc_fail(HC_ERR_CANCELLED, "%s: stopped on request before it "
                                      "was written", in->path ? in->path : "report");
    for (size_t k = 0; k < n; k++)
        if (out[k].status == HC_OK && shows_clip(out[k].format) &&
            (videos || !out[k].format->draw_frame))
            fail_output(&out[k], st);
    return st;
}

enum hc_status analysis_render(const struct report_input *in, const struct report_options *o,
                               const struct analysis_source *src, struct analysis_output *out,
                               size_t n)
{
    if (!in || !src || (n && !out))
        return hc_fail(HC_ERR_INVALID_ARG, "analysis_render: no result or outputs");
    size_t n_video = 0, n_keyed = 0;
    for (size_t k = 0; k < n; k++) {
        out[k].status = HC_OK;
        out[k].error[0] = '\0';
        if (!out[k].format || !out[k].path) {
            out[k].status = hc_fail(HC_ERR_INVALID_ARG, "analysis_render: no format or path");
            fail_output(&out[k], out[k].status);
        } else if (out[k].format->draw_frame) {
            n_video++;
        } else if (out[k].format->flags & REPORT_KEYFRAMES) {
            n_keyed++;
        } else if (out[k].format->write) {
            const enum hc_status st = analysis_write_file(out[k].format, in, o, out[k].path);
            if (st != HC_OK)
                fail_output(&out[k], st);
        }
    }
    /* the rep bottoms and the findings' worst moments (ks[1]) */
    struct keys ks[2];
    memset(ks, 0, sizeof ks);
    struct sink *sinks = n_video ? calloc(n_video, sizeof *sinks) : NULL;
    struct video_decoder *dec = NULL;
    enum hc_status st = HC_OK;
    if (n_keyed && (keys_init(&ks[0], in, 0) != 0 || keys_init(&ks[1], in, 1) != 0))
        st = hc_fail(HC_ERR_NOMEM, "HTML report: out of memory for key frames");
    const size_t n_cuts = ks[0].n + ks[1].n; /* frames to cut */
    if (n_video && !sinks)
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", in->path ? in->path : "report");
    if (st != HC_OK) {
        for (size_t k = 0; k < n; k++)
            if (out[k].status == HC_OK && out[k].format && shows_clip(out[k].format))
                fail_output(&out[k], st);
        goto fail;
    }
    for (size_t k = 0, v = 0; k < n; k++)
        if (out[k].status == HC_OK && out[k].format->draw_frame)
            sinks[v++].out = &out[k];

    /* stopped before the pass: nothing of it is begun */
    if ((n_video || n_keyed) && cancelled(src)) {
        abandon(in, out, n, 1);
        goto fail;
    }
    /* open the decoder and the encoders */
    if (src->video_path && (n_video || n_cuts)) {
        struct video_open_params op = video_default_open_params();
        op.start_s = src->start_s;
        op.end_s = src->end_s;
        st = video_decoder_open(src->video_path, &op, &dec);
        if (st != HC_OK) {
            if (n_cuts)
                hc_log(HC_LOG_WARN,
                       "%s: cannot decode it again for the report's key frames (%s); "
                       "showing the skeleton only",
                       src->video_path, hc_last_error());
            for (size_t v = 0; v < n_video; v++)
                if (sinks[v].out)
                    fail_output(sinks[v].out, st);
        }
    } else if (n_video) {
        st = hc_fail(HC_ERR_INVALID_ARG, "%s: there is no video to draw on",
                     in->path ? in->path : "overlay");
        for (size_t v = 0; v < n_video; v++)
            if (sinks[v].out)
                fail_output(sinks[v].out, st);
    }
    size_t n_live = 0;
    if (dec) {
        const struct hc_video_info *info = video_decoder_info(dec);
        for (size_t v = 0; v < n_video; v++) {
            if (!sinks[v].out)
                continue;
            if ((st = sink_open(&sinks[v], in, info, src->video_path)) != HC_OK)
                sink_end(&sinks[v], st);
            else
                n_live++;
        }
        for (int q = 0; q < 2; q++) {
            ks[q].live = ks[q].r < ks[q].n;
            ks[q].half = 0.5 / (info->fps > 0 ? info->fps : 30.0);
        }
    }

    /* the pass: every frame to every live video, until the key frames are cut and no video is
     * left to write */
    struct video_frame f;
    double t0 = NAN;
    st = HC_OK;
    int stopped = 0;
    struct hc_progress pr = {"drawing", 0, in->n_frames > 0 ? in->n_frames : 0, 0.0};
    const double wall0 = hc_now_s();
    if (dec && src->progress)
        src->progress(&pr, src->progress_user);
    while (dec &&
           (n_live || (ks[0].live && ks[0].r < ks[0].n) || (ks[1].live && ks[1].r < ks[1].n)) &&
           !(stopped = cancelled(src)) && (st = video_decoder_next(dec, &f)) == HC_OK) {
        if (!isfinite(t0))
            t0 = f.t_s;
        if (src->progress) {
            pr.n_done++;
            pr.n_total = pr.n_total > pr.n_done ? pr.n_total : pr.n_done;
            pr.elapsed_s = hc_now_s() - wall0;
            src->progress(&pr, src->progress_user);
        }
        for (int q = 0; q < 2; q++) {
            if (!ks[q].live || ks[q].r >= ks[q].n)
                continue;
            const enum hc_status kst = key_frame(&ks[q], in, &f);
            if (kst != HC_OK) {
                for (size_t k = 0; k < n; k++)
                    if (out[k].status == HC_OK && (out[k].format->flags & REPORT_KEYFRAMES))
                        fail_output(&out[k], kst);
                ks[q].live = 0;
            }
        }
        for (size_t v = 0; v < n_video; v++) {
            if (!sinks[v].w)
                continue;
            const enum hc_status vst = sink_frame(&sinks[v], in, &f, t0);
            if (vst != HC_OK) {
                sink_end(&sinks[v], vst);
                n_live--;
            }
        }
    }
    /* the videos end at the clip's end (not an empty clip) or with the decoder's error; when
     * stopped on request they and the pages with key frames are abandoned, their temporary
     * files removed */
    if (st == HC_ERR_EMPTY && isfinite(t0))
        st = HC_OK;
    if (stopped)
        st = abandon(in, out, n, 0);
    for (size_t v = 0; v < n_video; v++)
        if (sinks[v].w)
            sink_end(&sinks[v], st);

    /* key frames never seen on the video: the skeleton on a plain background */
    for (int q = 0; q < 2 && n_keyed; q++) {
        const enum hc_status kst = keys_finish(&ks[q], in);
        if (kst != HC_OK) {
            for (size_t k = 0; k < n; k++)
                if (out[k].status == HC_OK && (out[k].format->flags & REPORT_KEYFRAMES))
                    fail_output(&out[k], kst);
            break;
        }
    }
    /* the documents that show them, with the video linked by its path from the page: the
     * overlay just written, else the clip itself (not a copy of stdin, which is removed) */
    struct report_input with_keys = *in;
    with_keys.keyframes = ks[0].n ? ks[0].k : NULL;
    with_keys.fault_frames = ks[1].n ? ks[1].k : NULL;
    const char *video = in->video ? NULL : src->video_path;
    for (size_t k = 0; k < n; k++)
        if (out[k].status == HC_OK && out[k].format->draw_frame)
            video = out[k].path; /* the overlay just written */
    char href[4096];
    for (size_t k = 0; k < n; k++) {
        if (out[k].status != HC_OK || !(out[k].format->flags & REPORT_KEYFRAMES))
            continue;
        with_keys.video_href =
            video && hc_path_href(out[k].path, video, href, sizeof href) ? href : NULL;
        with_keys.video_is_overlay = video && video != src->video_path;
        const enum hc_status wst =
            analysis_write_file(out[k].format, &with_keys, o, out[k].path);
        if (wst != HC_OK)
            fail_output(&out[k], wst);
    }

fail:
    video_decoder_free(dec);
    free(sinks);
    keys_free(&ks[0]);
    keys_free(&ks[1]);
    for (size_t k = 0; k < n; k++)
        if (out[k].status != HC_OK) {
            hc_fail(out[k].status, "%s", out[k].error);
            return out[k].status;
        }
    return HC_OK;
}
