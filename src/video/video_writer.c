/*
 * video_writer.c - encode RGB24 frames into a video file (generator clips, overlay videos, test
 * media).
 *
 * Why it is built this way:
 * - H.264 through libx264 when this FFmpeg has it (Debian's does): small files every browser and
 *   phone plays; MPEG-4 part 2 otherwise, since every FFmpeg build has that encoder.
 * - Explicit timestamps on a fine time base (1/90000, the MPEG clock) so that variable-frame-rate
 *   test clips keep their times to 11 us; MPEG-4 part 2 caps the time base denominator at 65535
 *   (16-bit vop_time_increment_resolution), so it gets 1/60000 (17 us).
 * - Rotation is stored as display-matrix side data, not applied to the pixels: that is how phones
 *   store portrait clips, and it is what the decoder must undo.
 */
#define _POSIX_C_SOURCE 200809L
#include "video/video_internal.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libx264: "veryfast" encodes 720p at several times real time on one core with files about 20%
 * larger than "medium" at the same CRF (x264 preset table); CRF 23 is x264's own default. */
#define X264_DEFAULT_PRESET "veryfast"
#define X264_DEFAULT_CRF 23
/* A keyframe at least every 2 s keeps --start seeks cheap (decode at most 2 s to drop). */
#define GOP_SECONDS 2.0
/* MPEG-4 part 2 default bitrate when none is given: ~4 bits per pixel per second at 720p30 is
 * visually clean for flat-shaded generator content. */
#define MPEG4_DEFAULT_KBPS 4000

struct video_writer {
    char path[1024];
    AVFormatContext *oc;
    AVCodecContext *enc;
    AVStream *st;
    AVFrame *slot[VIDEO_WRITER_SLOTS]; /* pictures in the encoder's format, made on first use */
    AVPacket *pkt;
    struct SwsContext *sws;
    int width, height;
    double fps;
    int64_t last_pts;
    double last_t_s;
    int64_t n_frames;
    int header_written;
    int failed; /* encoding or writing failed (read and set by the encoding half only) */
};

struct video_writer_params video_default_writer_params(void)
{
    struct video_writer_params p;
    memset(&p, 0, sizeof p);
    p.fps = 30.0;
    p.crf = X264_DEFAULT_CRF;
    p.faststart = 1;
    p.preset = X264_DEFAULT_PRESET;
    return p;
}

static const char *av_err(int err, char *buf, size_t n)
{
    av_strerror(err, buf, n);
    return buf;
}

static void writer_free(struct video_writer *w)
{
    if (!w)
        return;
    sws_freeContext(w->sws);
    for (int k = 0; k < VIDEO_WRITER_SLOTS; k++)
        av_frame_free(&w->slot[k]);
    av_packet_free(&w->pkt);
    avcodec_free_context(&w->enc);
    if (w->oc) {
        if (!(w->oc->oformat->flags & AVFMT_NOFILE))
            avio_closep(&w->oc->pb);
        avformat_free_context(w->oc);
    }
    free(w);
}

static int is_mov_family(const AVOutputFormat *of)
{
    return strstr(of->name, "mp4") || strstr(of->name, "mov") || strstr(of->name, "ipod");
}

enum hc_status video_writer_open(const char *path, const struct video_writer_params *p,
                                 struct video_writer **out)
{
    enum hc_status st = HC_OK;
    char eb[128];
    if (out)
        *out = NULL;
    if (!path || !p || !out)
        return hc_fail(HC_ERR_INVALID_ARG, "video_writer_open: no path, params or output given");
    if (p->width_px < 2 || p->height_px < 2 || p->width_px > VIDEO_MAX_DIM_PX ||
        p->height_px > VIDEO_MAX_DIM_PX || !(p->fps > 0.0 && p->fps <= 1000.0))
        return hc_fail(HC_ERR_INVALID_ARG,
                       "%s: cannot write %dx%d at %g fps; give a size from 2 "
                       "to %d px and a rate up to 1000 fps",
                       path, p->width_px, p->height_px, p->fps, VIDEO_MAX_DIM_PX);
    if (p->rotation_deg % 90 != 0)
        return hc_fail(HC_ERR_INVALID_ARG, "%s: rotation %d is not a multiple of 90", path,
                       p->rotation_deg);
    video_install_av_log();

    struct video_writer *w = calloc(1, sizeof *w);
    if (!w)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
    snprintf(w->path, sizeof w->path, "%s", path);
    w->width = p->width_px;
    w->height = p->height_px;
    w->fps = p->fps;
    w->last_pts = INT64_MIN;

    const int gif = p->codec && strcmp(p->codec, "gif") == 0;
    int err = avformat_alloc_output_context2(&w->oc, NULL, gif ? "gif" : NULL, path);
    if (err < 0 || !w->oc) {
        st = hc_fail(HC_ERR_INVALID_ARG,
                     "%s: cannot tell the container from the file name; "
                     "end it in .mp4, .mkv, .mov or .gif",
                     path);
        goto fail;
    }

    const AVCodec *codec = NULL;
    if (gif) {
        codec = avcodec_find_encoder(AV_CODEC_ID_GIF);
    } else if (!p->codec || strcmp(p->codec, "h264") == 0) {
        codec = avcodec_find_encoder_by_name("libx264");
        if (!codec && !p->codec)
            codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    } else if (strcmp(p->codec, "mpeg4") == 0) {
        codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    } else {
        st = hc_fail(HC_ERR_INVALID_ARG, "%s: unknown codec '%s'; use h264, mpeg4 or gif", path,
                     p->codec);
        goto fail;
    }
    if (!codec) {
        st = hc_fail(HC_ERR_UNSUPPORTED,
                     "%s: this FFmpeg has no %s encoder; install one or pick "
                     "another codec",
                     path, p->codec ? p->codec : "h264/mpeg4");
        goto fail;
    }

    w->st = avformat_new_stream(w->oc, NULL);
    w->enc = avcodec_alloc_context3(codec);
    w->pkt = av_packet_alloc();
    if (!w->st || !w->enc || !w->pkt) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    AVCodecContext *enc = w->enc;
    enc->width = p->width_px;
    enc->height = p->height_px;
    enc->framerate = av_d2q(p->fps, 100000);
    enc->sample_aspect_ratio = (AVRational){1, 1};
    if (codec->id == AV_CODEC_ID_GIF) {
        enc->pix_fmt = AV_PIX_FMT_RGB8;
        enc->time_base = (AVRational){1, 100}; /* GIF delays are in 1/100 s */
    } else if (codec->id == AV_CODEC_ID_MPEG4) {
        enc->pix_fmt = AV_PIX_FMT_YUV420P;
        enc->time_base = (AVRational){1, 60000};
        enc->bit_rate =
            (int64_t)(p->bitrate_kbps > 0 ? p->bitrate_kbps : MPEG4_DEFAULT_KBPS) * 1000;
        enc->gop_size = (int)lround(fmax(1.0, p->fps * GOP_SECONDS));
    } else {
        enc->pix_fmt = AV_PIX_FMT_YUV420P;
        enc->time_base = (AVRational){1, 90000};
        enc->gop_size = (int)lround(fmax(1.0, p->fps * GOP_SECONDS));
        /* one encoder thread: x264's output depends on its thread count, and the count it
         * would choose follows the machine's cores */
        enc->thread_count = 1;
        if (av_opt_set(enc->priv_data, "preset", p->preset ? p->preset : X264_DEFAULT_PRESET,
                       0) < 0) {
            st = hc_fail(HC_ERR_INVALID_ARG, "%s: libx264 has no preset '%s'", path, p->preset);
            goto fail;
        }
        av_opt_set_double(enc->priv_data, "crf", p->crf > 0 ? p->crf : X264_DEFAULT_CRF, 0);
    }
    /* AVI stores one tick per frame (constant rate): a fine time base would read back as a
     * 60000 fps stream of mostly dropped frames. */
    if (strcmp(w->oc->oformat->name, "avi") == 0)
        enc->time_base = av_inv_q(enc->framerate);
    if ((enc->pix_fmt == AV_PIX_FMT_YUV420P) && ((p->width_px | p->height_px) & 1)) {
        st = hc_fail(HC_ERR_INVALID_ARG, "%s: %dx%d: H.264/MPEG-4 need even sizes", path,
                     p->width_px, p->height_px);
        goto fail;
    }
    if (w->oc->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    err = avcodec_open2(enc, codec, NULL);
    if (err < 0) {
        st = hc_fail(HC_ERR_UNSUPPORTED, "%s: cannot start the %s encoder (%s)", path, codec->name,
                     av_err(err, eb, sizeof eb));
        goto fail;
    }
    err = avcodec_parameters_from_context(w->st->codecpar, enc);
    if (err < 0) {
        st = hc_fail(HC_ERR_INTERNAL, "%s: cannot copy encoder parameters", path);
        goto fail;
    }
    w->st->time_base = enc->time_base;
    w->st->avg_frame_rate = enc->framerate;

    if (p->rotation_deg % 360 != 0) {
        uint8_t *sd =
            av_stream_new_side_data(w->st, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t));
        if (!sd) {
            st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
            goto fail;
        }
        /* In FFmpeg 5.1, av_display_rotation_get(set(m, a)) == -a, and readers (ffmpeg's
         * autorotate, ours) take -get() as the clockwise display rotation: so set(m, a) stores
         * "turn a degrees clockwise to display". The decoder test checks the round trip. */
        av_display_rotation_set((int32_t *)sd, (double)p->rotation_deg);
    }

    /* swscale converts RGB24 with SIMD code when it reads the chroma at full width
     * (SWS_FULL_CHR_H_INP) and with C code when it halves it first: 1.2 against 2.2 ms a 720p
     * frame, the area filter then averaging each pair (round trip to RGB: 45.7 against 45.4 dB
     * on an overlay frame). fast_rgb asks for it; the default stays the conversion the test
     * clips were made with. */
    const int sws_flags = p->fast_rgb ? SWS_AREA | SWS_FULL_CHR_H_INP : SWS_BILINEAR;
    w->sws = sws_getContext(w->width, w->height, AV_PIX_FMT_RGB24, w->width, w->height,
                            enc->pix_fmt, sws_flags, NULL, NULL, NULL);
    if (!w->sws) {
        st = hc_fail(HC_ERR_UNSUPPORTED, "%s: no RGB to %s conversion", path,
                     av_get_pix_fmt_name(enc->pix_fmt));
        goto fail;
    }

    if (!(w->oc->oformat->flags & AVFMT_NOFILE)) {
        err = avio_open(&w->oc->pb, path, AVIO_FLAG_WRITE);
        if (err < 0) {
            st = hc_fail(HC_ERR_IO,
                         "%s: cannot create (%s); check the folder exists and is "
                         "writable",
                         path, av_err(err, eb, sizeof eb));
            goto fail;
        }
    }
    AVDictionary *opts = NULL;
    if (p->faststart && is_mov_family(w->oc->oformat))
        av_dict_set(&opts, "movflags", "+faststart", 0);
    err = avformat_write_header(w->oc, &opts);
    av_dict_free(&opts);
    if (err < 0) {
        st = hc_fail(HC_ERR_IO, "%s: cannot write the header (%s)", path,
                     av_err(err, eb, sizeof eb));
        goto fail;
    }
    w->header_written = 1;
    *out = w;
    return HC_OK;
fail:
    writer_free(w);
    return st;
}

/* Send `f` (NULL: flush) and write every packet the encoder hands back. */
static enum hc_status encode(struct video_writer *w, AVFrame *f)
{
    char eb[128];
    int err = avcodec_send_frame(w->enc, f);
    if (err < 0)
        return hc_fail(HC_ERR_INTERNAL, "%s: encoder refused a frame (%s)", w->path,
                       av_err(err, eb, sizeof eb));
    for (;;) {
        err = avcodec_receive_packet(w->enc, w->pkt);
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return HC_OK;
        if (err < 0)
            return hc_fail(HC_ERR_INTERNAL, "%s: encoding failed (%s)", w->path,
                           av_err(err, eb, sizeof eb));
        if (w->pkt->duration <= 0)
            w->pkt->duration = av_rescale_q(1, av_inv_q(w->enc->framerate), w->enc->time_base);
        av_packet_rescale_ts(w->pkt, w->enc->time_base, w->st->time_base);
        w->pkt->stream_index = w->st->index;
        err = av_interleaved_write_frame(w->oc, w->pkt);
        if (err < 0)
            return hc_fail(HC_ERR_IO, "%s: cannot write (%s); check the free disk space", w->path,
                           av_err(err, eb, sizeof eb));
    }
}

enum hc_status video_writer_convert_rgb(struct video_writer *w, int slot, const uint8_t *rgb,
                                        int stride, double t_s)
{
    if (!w || !rgb || stride < w->width * 3 || slot < 0 || slot >= VIDEO_WRITER_SLOTS)
        return hc_fail(HC_ERR_INVALID_ARG, "video_writer_convert_rgb: no writer, image or slot");
    const AVRational tb = w->enc->time_base;
    int64_t pts;
    /* Times in double, rounded once per frame, so 29.97 fps in 1/100 s GIF ticks does not drift */
    const double t = t_s >= 0.0 ? t_s : w->n_frames == 0 ? 0.0 : w->last_t_s + 1.0 / w->fps;
    pts = (int64_t)llround(t * tb.den / tb.num);
    if (w->n_frames > 0 && pts <= w->last_pts)
        return hc_fail(HC_ERR_INVALID_ARG,
                       "%s: frame time %.6f s is not after the previous "
                       "frame; times must increase",
                       w->path, t_s);
    AVFrame *f = w->slot[slot];
    if (!f) {
        if (!(f = w->slot[slot] = av_frame_alloc()))
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory", w->path);
        f->format = w->enc->pix_fmt;
        f->width = w->width;
        f->height = w->height;
        if (av_frame_get_buffer(f, 0) < 0)
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory for frames", w->path);
    }
    /* the encoder may still hold a reference to this picture's buffers: then they are copied */
    if (av_frame_make_writable(f) < 0)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", w->path);
    const uint8_t *src[4] = {rgb, NULL, NULL, NULL};
    const int src_stride[4] = {stride, 0, 0, 0};
    sws_scale(w->sws, src, src_stride, 0, w->height, f->data, f->linesize);
    f->pts = pts;
    w->last_pts = pts;
    w->last_t_s = t;
    w->n_frames++;
    return HC_OK;
}

enum hc_status video_writer_encode_slot(struct video_writer *w, int slot)
{
    if (!w || slot < 0 || slot >= VIDEO_WRITER_SLOTS || !w->slot[slot])
        return hc_fail(HC_ERR_INVALID_ARG, "video_writer_encode_slot: no writer or picture");
    if (w->failed)
        return hc_fail(HC_ERR_IO, "%s: an earlier write failed; the file is incomplete", w->path);
    const enum hc_status st = encode(w, w->slot[slot]);
    if (st != HC_OK)
        w->failed = 1;
    return st;
}

enum hc_status video_writer_write_rgb(struct video_writer *w, const uint8_t *rgb, int stride,
                                      double t_s)
{
    if (!w || !rgb || stride < w->width * 3)
        return hc_fail(HC_ERR_INVALID_ARG, "video_writer_write_rgb: no writer or image given");
    enum hc_status st = video_writer_convert_rgb(w, 0, rgb, stride, t_s);
    return st == HC_OK ? video_writer_encode_slot(w, 0) : st;
}

enum hc_status video_writer_close(struct video_writer *w)
{
    if (!w)
        return HC_OK;
    enum hc_status st = HC_OK;
    char eb[128];
    if (w->header_written) {
        if (!w->failed)
            st = encode(w, NULL);
        int err = av_write_trailer(w->oc);
        if (err < 0 && st == HC_OK)
            st = hc_fail(HC_ERR_IO, "%s: cannot finish the file (%s)", w->path,
                         av_err(err, eb, sizeof eb));
        if (w->failed && st == HC_OK)
            st = hc_fail(HC_ERR_IO, "%s: incomplete: an earlier write failed", w->path);
    }
    writer_free(w);
    return st;
}
