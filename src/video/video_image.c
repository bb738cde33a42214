/* video_image.c - still images through libavcodec: RGB24 -> baseline JPEG (report thumbnails).
 *
 * libavcodec's mjpeg encoder writes a baseline JFIF image from full-range YUV 4:2:0, which every
 * browser decodes; going through it keeps libav* the only media library (OpenCV's imgcodecs is
 * not linked, see docs/ARCHITECTURE.md). One codec context per image: thumbnails are a handful
 * per report, not a per-frame path. */
#include "video/video_internal.h"

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include <stdlib.h>
#include <string.h>

enum hc_status video_encode_jpeg(const uint8_t *rgb, int width_px, int height_px, int stride,
                                 int quality, uint8_t **out, size_t *out_len)
{
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!rgb || !out || !out_len || width_px <= 0 || height_px <= 0 ||
        width_px > VIDEO_MAX_DIM_PX || height_px > VIDEO_MAX_DIM_PX || stride < width_px * 3 ||
        quality < 1 || quality > 100)
        return hc_fail(HC_ERR_INVALID_ARG,
                       "video_encode_jpeg: bad image (%dx%d, stride %d, "
                       "quality %d)",
                       width_px, height_px, stride, quality);
    video_install_av_log();
    enum hc_status st = HC_OK;
    AVCodecContext *enc = NULL;
    AVFrame *frame = NULL;
    AVPacket *pkt = NULL;
    struct SwsContext *sws = NULL;

    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec)
        return hc_fail(HC_ERR_UNSUPPORTED, "JPEG: this FFmpeg build has no mjpeg encoder; install "
                                           "Debian's libavcodec");
    enc = avcodec_alloc_context3(codec);
    frame = av_frame_alloc();
    pkt = av_packet_alloc();
    if (!enc || !frame || !pkt) {
        st = hc_fail(HC_ERR_NOMEM, "JPEG: out of memory");
        goto fail;
    }
    enc->width = width_px;
    enc->height = height_px;
    enc->pix_fmt = AV_PIX_FMT_YUVJ420P; /* full range: JFIF's YCbCr */
    enc->time_base = (AVRational){1, 25};
    /* quality 100 -> qscale 2, quality 1 -> qscale 31: the mjpeg encoder's whole range (its
     * quantiser is qscale x the standard tables of ITU-T T.81 Annex K). */
    const int qscale = 2 + (100 - quality) * 29 / 99;
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * qscale;
    enc->qmin = enc->qmax = qscale;
    int err = avcodec_open2(enc, codec, NULL);
    if (err < 0) {
        st = hc_fail(HC_ERR_UNSUPPORTED, "JPEG: cannot open the mjpeg encoder (%s)",
                     av_err2str(err));
        goto fail;
    }
    frame->format = enc->pix_fmt;
    frame->width = width_px;
    frame->height = height_px;
    frame->quality = enc->global_quality;
    frame->pts = 0;
    if (av_frame_get_buffer(frame, 0) < 0) {
        st = hc_fail(HC_ERR_NOMEM, "JPEG: out of memory for a %dx%d image", width_px, height_px);
        goto fail;
    }
    sws = sws_getContext(width_px, height_px, AV_PIX_FMT_RGB24, width_px, height_px,
                         AV_PIX_FMT_YUVJ420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!sws) {
        st = hc_fail(HC_ERR_UNSUPPORTED, "JPEG: no RGB to YUV conversion");
        goto fail;
    }
    const uint8_t *src[4] = {rgb, NULL, NULL, NULL};
    const int src_stride[4] = {stride, 0, 0, 0};
    sws_scale(sws, src, src_stride, 0, height_px, frame->data, frame->linesize);

    err = avcodec_send_frame(enc, frame);
    if (err >= 0)
        err = avcodec_send_frame(enc, NULL);
    if (err >= 0)
        err = avcodec_receive_packet(enc, pkt);
    if (err < 0) {
        st = hc_fail(HC_ERR_INTERNAL, "JPEG: encoding failed (%s)", av_err2str(err));
        goto fail;
    }
    *out = malloc((size_t)pkt->size);
    if (!*out) {
        st = hc_fail(HC_ERR_NOMEM, "JPEG: out of memory");
        goto fail;
    }
    memcpy(*out, pkt->data, (size_t)pkt->size);
    *out_len = (size_t)pkt->size;

fail:
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_frame_free(&frame);
    avcodec_free_context(&enc);
    return st;
}
