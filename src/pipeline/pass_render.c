/* pass_render.c - the render pass (decode the clip once, let the formats draw, encode) and
 * the writing of report files; see pass_render.h.
 *
 * Why one pass: a 1080p clip takes longer to decode than to draw on, so the overlay video and
 * the HTML page's key frames share one decoder. Why at the overlay's size: the decoder scales
 * each picture to it before converting to RGB (video_decoder_set_size), so the drawing, the
 * conversion back to YUV and the encoding cost what they cost at 720 lines, not at the clip's
 * size. Why three threads: decoding (and scaling), drawing (and converting to the encoder's YUV)
 * and encoding take similar times, so a decoder thread feeds the calling thread, which draws,
 * through a ring of frames, and an encoder thread per video takes the converted pictures from a
 * second ring; both rings keep frame order and the encoder runs on one thread, so the file is
 * the same whatever the timing. Memory stays flat with the clip's length and size: a few frames
 * at the overlay's size in each ring, and a key frame is kept as its JPEG only. */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include "pipeline/pass_render.h"

#include "pipeline/pipeline.h"
#include "report/report_visual.h"
#include "video/video.h"

#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The key frames' JPEG quality: 85 keeps each at ~15 KB with no visible blocking. */
#define KEYFRAME_JPEG_QUALITY 85
/* Decoded frames queued for the drawing thread: enough to ride out one slow frame (a key frame's
 * JPEG, a scheduling hiccup) without holding much memory (2.7 MB each at 720p). */
#define RENDER_RING_SLOTS 4
/* libx264's preset for the overlay: "superfast" encodes 720p in about 7 ms a frame on one core
 * of this class of machine (veryfast 9 ms with files a third the size, ultrafast 4 ms with files
 * twice the size; docs/PERFORMANCE.md); with the encoder on its own thread it keeps pace with
 * the decoding and the drawing. */
#define OVERLAY_X264_PRESET "superfast"

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

/* One video being written: each decoded frame (at the overlay's size) is copied into buf (the
 * decoder's frame stays undrawn for the key frames and the other videos), drawn on and converted
 * into one of the writer's pictures, which the sink's encoder thread encodes (ring: the slot
 * index is the picture's). */
struct sink {
    struct analysis_output *out;
    struct video_writer *w;
    uint8_t *buf;  /* width_px x height_px: the overlay's size */
    int width_px, height_px;
    size_t stride;
    double half;   /* half the output's frame spacing: which analysed frame a frame shows */
    size_t j;      /* cursor into the analysed frames: both run in time order */
    char tmp[HC_TEMP_PATH_MAX];
    struct frame_ring ring; /* drawing thread -> encoder thread */
    pthread_t thread;
    int ring_ok, running;
    enum hc_status enc_st;  /* the encoder thread's end (read after the join) */
    char enc_msg[512];
    double enc_cpu_s;
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

/* Encodes the pictures the drawing thread hands over until it finishes, or until one fails (the
 * ring is then stopped, so the drawing thread hears of it at its next frame). */
static void *encoder_main(void *arg)
{
    struct sink *s = arg;
    struct frame_ring_slot *fs;
    enum hc_status st = HC_OK;
    while ((fs = frame_ring_peek(&s->ring)) != NULL) {
        if ((st = video_writer_encode_slot(s->w, (int)(fs - s->ring.slots))) != HC_OK) {
            snprintf(s->enc_msg, sizeof s->enc_msg, "%s", hc_last_error());
            frame_ring_stop(&s->ring);
            break;
        }
        frame_ring_release(&s->ring);
    }
    s->enc_st = st;
    s->enc_cpu_s = hc_thread_cpu_s();
    return NULL;
}

/* Opens the encoder of one video output (H.264 yuv420p MP4 with faststart at the clip's frame
 * rate, written to a temporary name beside the target) at the decoded frames' size, and starts
 * its thread. */
static enum hc_status sink_open(struct sink *s, const struct report_input *in,
                                const struct hc_video_info *info, int width_px, int height_px)
{
    const char *path = s->out->path;
    s->width_px = width_px;
    s->height_px = height_px;
    s->stride = (size_t)width_px * 3;
    if (!(s->buf = malloc(s->stride * (size_t)height_px)))
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory for a %dx%d frame", path, width_px,
                       height_px);
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = width_px;
    wp.height_px = height_px;
    wp.fps = info->fps > 0 ? info->fps : (in->fps > 0 ? in->fps : 30.0);
    wp.codec = "h264";
    wp.preset = OVERLAY_X264_PRESET;
    wp.fast_rgb = 1;
    wp.faststart = 1;
    s->half = 0.5 / wp.fps;
    /* same extension: the container follows the name; renamed when complete, so a killed run
     * never leaves a truncated video under the asked name */
    enum hc_status st = hc_replace_temp_path(path, 1, s->tmp, sizeof s->tmp);
    if (st != HC_OK) {
        s->tmp[0] = '\0';
        return st;
    }
    st = video_writer_open(s->tmp, &wp, &s->w);
    if (st == HC_ERR_IO)
        return hc_fail(HC_ERR_IO, "%s: cannot create the overlay video; check the folder exists "
                       "and is writable", path);
    if (st != HC_OK)
        return st;
    if ((st = frame_ring_init(&s->ring, VIDEO_WRITER_SLOTS)) != HC_OK)
        return st;
    s->ring_ok = 1;
    if (pthread_create(&s->thread, NULL, encoder_main, s) != 0)
        return hc_fail(HC_ERR_INTERNAL, "%s: cannot start the encoder thread", path);
    s->running = 1;
    return HC_OK;
}

/* Draws the analysed frame nearest to decoded frame f on a copy of it and hands the picture to
 * the encoder thread. */
static enum hc_status sink_frame(struct sink *s, const struct report_input *in,
                                 const struct video_frame *f, double t0)
{
    struct frame_ring_slot *fs = frame_ring_acquire(&s->ring);
    if (!fs)
        return HC_ERR_CANCELLED; /* the encoder failed: sink_end says why */
    report_overlay_fit(f->rgb, f->width_px, f->height_px, f->stride, s->buf, s->width_px,
                       s->height_px, (int)s->stride);
    const size_t n = (size_t)in->n_frames;
    while (s->j + 1 < n && in->frames[s->j + 1].t_s <= f->t_s + s->half)
        s->j++;
    const size_t i = nearest_pose(in, s->j, f->t_s, s->half);
    s->out->format->draw_frame(in, i, s->buf, s->width_px, s->height_px, (int)s->stride);
    const enum hc_status st = video_writer_convert_rgb(s->w, (int)(fs - s->ring.slots), s->buf,
                                                       (int)s->stride, f->t_s - t0);
    if (st == HC_OK)
        frame_ring_publish(&s->ring);
    return st;
}

/* Ends a video output: st HC_OK finishes and renames it, else it is dropped. The encoder thread
 * is joined first; its failure, when it had one, is the output's. */
static void sink_end(struct sink *s, enum hc_status st)
{
    if (s->running) {
        frame_ring_finish(&s->ring, HC_ERR_EMPTY);
        pthread_join(s->thread, NULL);
        s->running = 0;
        if (s->enc_st != HC_OK)
            st = hc_fail(s->enc_st, "%s", s->enc_msg);
    }
    if (s->ring_ok) {
        frame_ring_destroy(&s->ring);
        s->ring_ok = 0;
    }
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

/* Slot r's picture of analysed frame i, cut from `f` (NULL: the skeleton alone). */
static enum hc_status key_make(struct keys *ks, const struct report_input *in, size_t r, size_t i,
                               const struct video_frame *f)
{
    int w = 0, h = 0;
    const uint8_t *rgb = f ? f->rgb : NULL;
    const int fw = f ? f->width_px : 0, fh = f ? f->height_px : 0, stride = f ? f->stride : 0;
    if (ks->fault)
        report_fault_draw(in, r, i, rgb, fw, fh, stride, ks->buf, &w, &h);
    else
        report_keyframe_draw(in, i, rgb, fw, fh, stride, ks->buf, &w, &h);
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
    const size_t n = (size_t)in->n_frames;
    while (ks->j + 1 < n && in->frames[ks->j + 1].t_s <= f->t_s + ks->half)
        ks->j++;
    while (ks->r < ks->n && ks->order[ks->r].at < (long)ks->j)
        ks->r++; /* that frame was skipped: drawn without the video below */
    while (ks->r < ks->n && ks->order[ks->r].at == (long)ks->j &&
           fabs(in->frames[ks->j].t_s - f->t_s) <= ks->half) {
        const enum hc_status st = key_make(ks, in, ks->order[ks->r].slot, ks->j, f);
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
        const struct key_slot *sl = &ks->order[q];
        if (sl->at < 0 || ks->k[sl->slot].jpeg)
            continue;
        const enum hc_status st = key_make(ks, in, sl->slot, (size_t)sl->at, NULL);
        if (st != HC_OK)
            return st;
    }
    return HC_OK;
}

/* ---- the decoder thread --------------------------------------------------------------------- */

struct feed {
    struct video_decoder *dec;
    struct frame_ring ring; /* decoder thread -> drawing thread */
    pthread_t thread;
    int running;
    double cpu_s; /* the decoder thread's CPU time (after feed_end) */
};

static void *feed_main(void *arg)
{
    struct feed *fd = arg;
    enum hc_status st = HC_ERR_EMPTY; /* the drawing thread stopped */
    struct frame_ring_slot *s;
    while ((s = frame_ring_acquire(&fd->ring)) != NULL) {
        if ((st = frame_ring_decode(s, fd->dec)) != HC_OK)
            break;
        frame_ring_publish(&fd->ring);
    }
    frame_ring_finish(&fd->ring, st);
    return NULL;
}

static enum hc_status feed_start(struct feed *fd)
{
    enum hc_status st = frame_ring_init(&fd->ring, RENDER_RING_SLOTS);
    if (st != HC_OK)
        return st;
    if (pthread_create(&fd->thread, NULL, feed_main, fd) != 0) {
        frame_ring_destroy(&fd->ring);
        return hc_fail(HC_ERR_INTERNAL, "cannot start the decoder thread of the drawn reports");
    }
    fd->running = 1;
    return HC_OK;
}

/* Stops the decoder thread (it may be waiting for a free slot) and joins it. */
static void feed_end(struct feed *fd)
{
    if (!fd->running)
        return;
    frame_ring_stop(&fd->ring);
    pthread_join(fd->thread, NULL);
    fd->cpu_s = fd->ring.producer_cpu_s;
    frame_ring_destroy(&fd->ring);
    fd->running = 0;
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
    /* the overlay's size; the decoded frames': the overlay's, at least the default's when key
     * frames are cut from them too (a smaller overlay is shrunk from them) */
    const int size_px = o && o->overlay_size_px ? o->overlay_size_px : HC_OVERLAY_SIZE_DEFAULT_PX;
    if (n_video && (size_px < HC_OVERLAY_SIZE_MIN_PX || size_px > HC_OVERLAY_SIZE_MAX_PX)) {
        st = hc_fail(HC_ERR_INVALID_ARG, "overlay size %d: give %d to %d lines", size_px,
                     HC_OVERLAY_SIZE_MIN_PX, HC_OVERLAY_SIZE_MAX_PX);
        for (size_t v = 0; v < n_video; v++)
            if (sinks[v].out)
                fail_output(sinks[v].out, st);
        n_video = 0;
    }
    /* open the decoder (one thread: the pass owns its threads) and the encoders */
    if (src->video_path && (n_video || n_cuts)) {
        struct video_open_params op = video_default_open_params();
        op.start_s = src->start_s;
        op.end_s = src->end_s;
        op.n_threads = 1;
        st = video_decoder_open(src->video_path, &op, &dec);
        if (st == HC_OK) {
            const struct hc_video_info *info = video_decoder_info(dec);
            int dw, dh;
            report_overlay_size(info->width_px, info->height_px,
                                n_cuts && size_px < HC_OVERLAY_SIZE_DEFAULT_PX
                                    ? HC_OVERLAY_SIZE_DEFAULT_PX
                                    : size_px,
                                &dw, &dh);
            if (dw < 2 || dh < 2)
                st = hc_fail(HC_ERR_UNSUPPORTED, "%s: %dx%d is too small to draw on",
                             src->video_path, info->width_px, info->height_px);
            else
                st = video_decoder_set_size(dec, dw, dh);
            if (st != HC_OK) {
                video_decoder_free(dec);
                dec = NULL;
            }
        }
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
    int ow = 0, oh = 0;
    if (dec) {
        const struct hc_video_info *info = video_decoder_info(dec);
        report_overlay_size(info->width_px, info->height_px, size_px, &ow, &oh);
        for (size_t v = 0; v < n_video; v++) {
            if (!sinks[v].out)
                continue;
            if ((st = sink_open(&sinks[v], in, info, ow, oh)) != HC_OK)
                sink_end(&sinks[v], st);
            else
                n_live++;
        }
        /* landmarks in the pixels of another size (a track's source that is not the clip it
         * was made from): the key frames show the skeleton alone */
        const int same = info->width_px == in->width_px && info->height_px == in->height_px;
        for (int q = 0; q < 2; q++) {
            ks[q].live = same && ks[q].r < ks[q].n;
            ks[q].half = 0.5 / (info->fps > 0 ? info->fps : 30.0);
        }
    }
    struct feed fd;
    memset(&fd, 0, sizeof fd);
    fd.dec = dec;
    if (dec && (n_live || ks[0].live || ks[1].live) && (st = feed_start(&fd)) != HC_OK) {
        for (size_t v = 0; v < n_video; v++)
            if (sinks[v].w)
                sink_end(&sinks[v], st);
        n_live = 0;
        ks[0].live = ks[1].live = 0;
    }

    /* the pass: every frame to every live video, until the key frames are cut and no video is
     * left to write */
    double t0 = NAN;
    st = HC_OK;
    int stopped = 0;
    struct hc_progress pr = {"drawing", 0, in->n_frames > 0 ? in->n_frames : 0, 0.0};
    const double wall0 = hc_now_s(), cpu0 = hc_thread_cpu_s();
    if (fd.running && src->progress)
        src->progress(&pr, src->progress_user);
    struct frame_ring_slot *fs = NULL;
    while (fd.running &&
           (n_live || (ks[0].live && ks[0].r < ks[0].n) || (ks[1].live && ks[1].r < ks[1].n)) &&
           !(stopped = cancelled(src)) && (fs = frame_ring_peek(&fd.ring)) != NULL) {
        const struct video_frame *f = &fs->vf;
        if (!isfinite(t0))
            t0 = f->t_s;
        pr.n_done++;
        if (src->progress) {
            pr.n_total = pr.n_total > pr.n_done ? pr.n_total : pr.n_done;
            pr.elapsed_s = hc_now_s() - wall0;
            src->progress(&pr, src->progress_user);
        }
        for (int q = 0; q < 2; q++) {
            if (!ks[q].live || ks[q].r >= ks[q].n)
                continue;
            const enum hc_status kst = key_frame(&ks[q], in, f);
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
            const enum hc_status vst = sink_frame(&sinks[v], in, f, t0);
            if (vst != HC_OK) {
                sink_end(&sinks[v], vst);
                n_live--;
            }
        }
        frame_ring_release(&fd.ring);
    }
    /* the decoder's end: HC_ERR_EMPTY at the clip's end, or its error */
    if (fd.running && !fs && !stopped)
        st = frame_ring_end_status(&fd.ring);
    const double draw_cpu_s = hc_thread_cpu_s() - cpu0;
    feed_end(&fd);
    /* the videos end at the clip's end (not an empty clip) or with the decoder's error; when
     * stopped on request they and the pages with key frames are abandoned, their temporary
     * files removed */
    if (st == HC_ERR_EMPTY && isfinite(t0))
        st = HC_OK;
    if (stopped)
        st = abandon(in, out, n, 0);
    double enc_cpu_s = 0.0;
    for (size_t v = 0; v < n_video; v++)
        if (sinks[v].w) {
            sink_end(&sinks[v], st);
            enc_cpu_s += sinks[v].enc_cpu_s;
        }
    if (isfinite(t0))
        hc_log(HC_LOG_INFO, "%s: drawn at %dx%d: %lld frames in %.2f s; CPU s: decoder thread "
               "%.2f, drawing %.2f, encoder %.2f", src->video_path, ow, oh,
               (long long)pr.n_done, hc_now_s() - wall0, fd.cpu_s, draw_cpu_s, enc_cpu_s);

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
