/*
 * video_decoder.c - demux + decode any file libavformat opens into upright RGB24 frames.
 *
 * Why it is built this way:
 * - Timestamps come from best_effort_timestamp (pts when the container has it, guessed from dts
 *   otherwise), so variable-frame-rate phone clips keep their real times; a frame whose time is
 *   missing or not after the previous one gets previous + 1/fps, which keeps t_s strictly
 *   increasing as the kinematics (velocities) need.
 * - Rotation is applied after sws_scale with a plain gather copy into a second buffer, because
 *   swscale cannot rotate and libavfilter would be a whole new dependency for four cases.
 * - Damage policy: a damaged stretch is skipped and decoding goes on at the next good frame; the
 *   skipped frames are counted and their stretches kept (struct hc_damage) for the reports, and
 *   one warning goes through hc_log at the end. A frame is skipped when
 *     - its packet is flagged corrupt (cut short) or the decoder refuses it (AVERROR_INVALIDDATA
 *       from send_packet): it never comes out;
 *     - the decoder flags it (AV_FRAME_FLAG_CORRUPT, decode_error_flags: concealed errors);
 *     - it never comes out at all: every packet sent is booked by its pts, and a booked pts that
 *       the decoder passes over is a frame lost (a keyframe zeroed out takes the whole group of
 *       pictures after it with it, silently);
 *     - it is predicted from such a frame: sent after it (decode order) and before the next
 *       keyframe. FFmpeg flags only the frame it concealed, but the frames after it copy the
 *       concealed blocks on (measured on generated clips: 1 to 6% of the pixels off by more than
 *       24 grey levels until the next keyframe), and poses made from them would be made up;
 *     - the file ends before its index (MP4) or duration says it should: the frames missing at
 *       the end.
 *   B-frames shown before a damaged frame they refer to come out before the damage is known and
 *   are kept. Errors in a row without a good frame are bounded (DAMAGE_MAX_ERRORS): past it the
 *   rest of the clip counts as damaged, so a file of garbage cannot keep the decoder busy. Whether
 *   a clip is usable (not mostly damaged) is the caller's call: it alone knows which range it
 *   reads (src/pipeline/pass_pose.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "video/video_internal.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Frames whose time is within this of --start/--end count as inside the range: half a frame at
 * 1000 fps, far below any real frame interval, but above pts rounding (1/90000 s). */
#define TRIM_EPS_S 5e-4

/* A clip whose demuxer delivers fewer packets than its index promises is called truncated only
 * when more than this many are missing: some muxers count a trailing empty sample. */
#define TRUNCATION_SLACK_FRAMES 1
/* Containers without a trustworthy sample count (MKV, AVI, ...) are called truncated when their
 * packets stop this much before the video stream's own duration: 3 frames or 0.15 s, whichever
 * is longer, so rounding and a short last frame never trigger it while a file cut by half a
 * second (15 frames at 30 fps, which a longer slack let through) does. */
#define TRUNCATION_SLACK_S 0.15
#define TRUNCATION_SLACK_TIME_FRAMES 3

/* Decoder or demuxer errors in a row (no good frame between them) after which the rest of the
 * clip is given up as damaged: a minute of back-to-back undecodable frames at 50 fps. Each error
 * consumes a packet, so a damaged file ends anyway; this bounds one that would not (a decoder
 * repeating an error, a demuxer failing in place). */
#define DAMAGE_MAX_ERRORS 3000

/* A packet sent to the decoder, booked until its frame comes out (or is known lost). */
struct sent_frame {
    int64_t pts;
    int64_t seq;     /* its place in decode order */
    int64_t key_seq; /* the place of the keyframe it is predicted from (-1: none seen) */
    int failed;      /* refused by the decoder or cut short: damaged whatever comes out */
};

struct video_decoder {
    char path[1024];
    AVFormatContext *fmt;
    AVCodecContext *cc;
    AVPacket *pkt;
    AVFrame *frame;
    struct SwsContext *sws;
    int stream_index;
    AVRational tb;  /* stream time base */
    int64_t t0_pts; /* stream start in tb units, AV_NOPTS_VALUE until known */

    struct hc_video_info info;
    struct video_open_params params;

    uint8_t *conv; /* RGB24 at coded size, or scaled (sws output) */
    int conv_stride;
    int conv_w, conv_h; /* its size: the coded size, or the scaled one (video_decoder_set_size) */
    uint8_t *out; /* RGB24 upright; == conv when no rotation/flip */
    int out_stride;
    int out_w, out_h; /* the frames handed out: the clip's upright size, or the one set */
    /* scaled frames (video_decoder_set_size): the decoded picture is first scaled as planar
     * YUV into `mid`, then converted to RGB24 at its size (see convert_frame) */
    struct SwsContext *sws_mid;
    AVFrame *mid;

    double frame_dur_s; /* 1/fps, used when a frame has no usable time */
    double last_t_s;
    int64_t n_out;     /* frames handed out */
    int64_t n_packets; /* video packets read */
    double pkt_end_s;  /* latest packet end seen, seconds from the stream start */
    int mov;           /* MP4/MOV: the index counts every sample */
    int have_last;
    int flushing; /* sent the NULL packet */
    int done;
    int damaged;
    int warned;
    char damage[128]; /* what the first damage was, for the message at the end */
    int stop;         /* too many errors in a row: hand out nothing more */
    /* damage bookkeeping (see the policy above) */
    struct sent_frame *sent; /* booked packets, by pts */
    size_t n_sent, cap_sent;
    int no_book;             /* a packet came without a pts: no booking (fallback: tainted) */
    int64_t settled_pts;     /* frames up to this pts are accounted for (AV_NOPTS_VALUE: none) */
    int64_t seq;             /* packets sent */
    int64_t key_seq;         /* the last keyframe packet sent (-1: none) */
    int64_t *bad_seq;        /* decode places of damaged frames, ascending */
    size_t n_bad, cap_bad;
    int tainted;             /* without booking: damage since the last keyframe came out */
    int64_t n_skipped;       /* frames skipped (frame numbers are n_out + n_skipped) */
    int64_t n_errors;        /* errors since the last good frame (DAMAGE_MAX_ERRORS) */
    int run_open;            /* a damaged stretch is open: the frames since the last good one */
    int64_t run_first;
    double run_t0, run_t1;
    double seen_t;           /* time of the last frame handed out or skipped */
    int finished;            /* the end's damage is counted (finish_damage) */
    struct hc_damage dmg;
    int trimmed_end;  /* stopped at --end (so a short packet count is not damage) */
    int pending;      /* d->frame holds the next frame, received (video_decoder_peek) */
    double pending_t;
    double skip_before_s; /* non-reference frames ending before this are not decoded (feed) */
};

/* ---- FFmpeg's own log: routed into ours at its own levels (video_log.c) ------------------- */

static void av_log_to_hc(void *avcl, int level, const char *fmt, va_list vl)
{
    video_log_ffmpeg(avcl, level, fmt, vl);
}

static pthread_once_t av_log_sink_once = PTHREAD_ONCE_INIT;
static void install_av_log(void)
{
    av_log_set_callback(av_log_to_hc);
}

void video_install_av_log(void)
{
    pthread_once(&av_log_sink_once, install_av_log);
}

/* ---- orientation ------------------------------------------------------------------------ */

double video_orientation_from_matrix(const int32_t m[9], int *rotation_deg, int *hflip,
                                     int *vflip)
{
    *rotation_deg = 0;
    *hflip = 0;
    *vflip = 0;
    if (!m)
        return NAN;
    /* Same reading as FFmpeg 5.1's ffmpeg tool (fftools get_rotation + the autorotate filter
     * choice), so our upright frames match what `ffmpeg -i clip out.png` shows. */
    double r = av_display_rotation_get(m);
    if (isnan(r))
        return NAN;
    double theta = -round(r);
    theta -= 360.0 * floor(theta / 360.0 + 0.9 / 360.0);
    if (fabs(theta - 90.0) < 1.0) {
        *rotation_deg = 90;
        *hflip = m[3] > 0; /* FFmpeg: transpose=cclock_flip == rotate 90 cw + mirror */
    } else if (fabs(theta - 180.0) < 1.0) {
        int h = m[0] < 0, v = m[4] < 0;
        if (h && v)
            *rotation_deg = 180;
        else {
            *hflip = h;
            *vflip = v;
        }
    } else if (fabs(theta - 270.0) < 1.0) {
        *rotation_deg = 270;
        *hflip = m[3] < 0; /* FFmpeg: transpose=clock_flip == rotate 270 cw + mirror */
    } else if (fabs(theta) < 1.0) {
        *vflip = m[4] < 0;
    } else {
        return theta;
    }
    return NAN;
}

/* Source pixel (row, col) in the stored image for output pixel (r, c): rotate clockwise by
 * rot, then mirror (see video.h). w, h: stored size; ow, oh: output size. */
static void source_of(int rot, int hflip, int vflip, int w, int h, int ow, int oh, int r, int c,
                      int *sr, int *sc)
{
    int rr = vflip ? oh - 1 - r : r;
    int cc = hflip ? ow - 1 - c : c;
    switch (rot) {
    case 90:
        *sr = h - 1 - cc;
        *sc = rr;
        break;
    case 180:
        *sr = h - 1 - rr;
        *sc = w - 1 - cc;
        break;
    case 270:
        *sr = cc;
        *sc = w - 1 - rr;
        break;
    default:
        *sr = rr;
        *sc = cc;
        break;
    }
}

static void copy_px_row(uint8_t *restrict q, const uint8_t *restrict p, ptrdiff_t step, int n)
{
    for (int c = 0; c < n; c++, p += step, q += 3) {
        q[0] = p[0];
        q[1] = p[1];
        q[2] = p[2];
    }
}

void video_orient_rgb(const uint8_t *src, int src_stride, int w, int h, int rotation_deg, int hflip,
                      int vflip, uint8_t *dst, int dst_stride)
{
    const int swap = rotation_deg == 90 || rotation_deg == 270;
    const int ow = swap ? h : w, oh = swap ? w : h;
    /* The source pixel is affine in the output (r, c): find its origin and the byte steps for
     * one output column and one output row once, then every case is a strided row copy. */
    int sr0, sc0, sr1, sc1, sr2, sc2;
    source_of(rotation_deg, hflip, vflip, w, h, ow, oh, 0, 0, &sr0, &sc0);
    source_of(rotation_deg, hflip, vflip, w, h, ow, oh, 0, ow > 1, &sr1, &sc1);
    source_of(rotation_deg, hflip, vflip, w, h, ow, oh, oh > 1, 0, &sr2, &sc2);
    const ptrdiff_t cstep = (ptrdiff_t)(sr1 - sr0) * src_stride + (ptrdiff_t)(sc1 - sc0) * 3;
    const ptrdiff_t rstep = (ptrdiff_t)(sr2 - sr0) * src_stride + (ptrdiff_t)(sc2 - sc0) * 3;
    const uint8_t *base = src + (ptrdiff_t)sr0 * src_stride + (ptrdiff_t)sc0 * 3;
    if (!swap) {
        for (int r = 0; r < oh; r++) {
            const uint8_t *p = base + r * rstep;
            uint8_t *q = dst + (ptrdiff_t)r * dst_stride;
            if (cstep == 3)
                memcpy(q, p, (size_t)ow * 3);
            else if (cstep == -3)
                copy_px_row(q, p, -3, ow); /* constant step: the compiler unrolls it */
            else
                copy_px_row(q, p, cstep, ow);
        }
        return;
    }
    /* Transposing: each output row walks a source column. 32x32-pixel tiles keep the 32 source
     * rows a tile touches in L1 (32 x 96 bytes), instead of one cache miss per pixel (timings in
     * docs/PERFORMANCE.md, "Decoder and warps"). */
    enum { TILE = 32 };
    for (int r0 = 0; r0 < oh; r0 += TILE) {
        const int r1 = r0 + TILE < oh ? r0 + TILE : oh;
        for (int c0 = 0; c0 < ow; c0 += TILE) {
            const int n = c0 + TILE < ow ? TILE : ow - c0;
            for (int r = r0; r < r1; r++)
                copy_px_row(dst + (ptrdiff_t)r * dst_stride + (ptrdiff_t)c0 * 3,
                            base + r * rstep + c0 * cstep, cstep, n);
        }
    }
}

/* ---- open ------------------------------------------------------------------------------- */

struct video_open_params video_default_open_params(void)
{
    struct video_open_params p = {0.0, 0.0, 0};
    return p;
}

static void copy_name(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "unknown");
}

static const char *av_err(int err, char *buf, size_t n)
{
    av_strerror(err, buf, n);
    return buf;
}

/* Why avformat_open_input failed, told apart by what the first bytes look like: a file that a
 * demuxer recognises confidently but cannot open is damaged media; anything else is not media. */
static enum hc_status open_failure(const char *path, int err)
{
    char eb[128];
    if (err == AVERROR(ENOENT))
        return hc_fail(HC_ERR_IO, "%s: no such file; check the path", path);
    if (err == AVERROR(EACCES) || err == AVERROR(EPERM))
        return hc_fail(HC_ERR_IO, "%s: permission denied; check the file's permissions", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return hc_fail(HC_ERR_IO, "%s: cannot open (%s); check the path", path,
                       av_err(err, eb, sizeof eb));
    uint8_t buf[4096 + AV_INPUT_BUFFER_PADDING_SIZE];
    memset(buf, 0, sizeof buf);
    size_t n = fread(buf, 1, 4096, f);
    fclose(f);
    if (n == 0)
        return hc_fail(HC_ERR_FORMAT,
                       "%s: the file is empty (0 bytes); it is not a video, "
                       "copy or export the clip again",
                       path);
    AVProbeData pd = {path, buf, (int)n, NULL};
    int score = 0;
    const AVInputFormat *guess = av_probe_input_format3(&pd, 1, &score);
    /* Above "extension matches" the guess came from the content (e.g. an MP4 'ftyp' box). */
    if (guess && score > AVPROBE_SCORE_EXTENSION)
        return hc_fail(HC_ERR_DECODE,
                       "%s: looks like %s but cannot be read (%s); the file is "
                       "probably truncated or corrupt, copy or export it again",
                       path, guess->name, av_err(err, eb, sizeof eb));
    return hc_fail(HC_ERR_FORMAT,
                   "%s: not a video file FFmpeg can read (%s); give a video clip "
                   "(MP4, MOV, MKV, WebM, AVI, GIF ...)",
                   path, av_err(err, eb, sizeof eb));
}

/* The video stream to decode: the best one that is not a cover picture. */
static int pick_video_stream(AVFormatContext *fmt)
{
    int best = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (best >= 0 && !(fmt->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        return best;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            return (int)i;
    }
    return -1;
}

static double q2d_or(AVRational q, double fallback)
{
    return q.num > 0 && q.den > 0 ? av_q2d(q) : fallback;
}

static void fill_info(struct video_decoder *d, const AVStream *st)
{
    struct hc_video_info *in = &d->info;
    const AVCodecParameters *par = st->codecpar;
    in->coded_width_px = par->width;
    in->coded_height_px = par->height;

    size_t sd_size = 0;
    const uint8_t *sd = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &sd_size);
    const double odd = video_orientation_from_matrix(
        sd && sd_size >= 9 * sizeof(int32_t) ? (const int32_t *)sd : NULL, &in->rotation_deg,
        &in->hflip, &in->vflip);
    if (!isnan(odd))
        video_warn_rotation(d->path, odd);
    const int swap = in->rotation_deg == 90 || in->rotation_deg == 270;
    in->width_px = swap ? par->height : par->width;
    in->height_px = swap ? par->width : par->height;

    /* avg_frame_rate is measured over the stream; r_frame_rate is the base rate guessed from the
     * timestamps. Prefer the average (right for VFR), fall back to the base, then to 30 (the
     * common phone rate) so that a time can always be made up for a frame without one. */
    double fps = q2d_or(st->avg_frame_rate, 0.0);
    if (!(fps > 0.0 && fps < 1000.0))
        fps = q2d_or(st->r_frame_rate, 0.0);
    if (!(fps > 0.0 && fps < 1000.0))
        fps = 30.0;
    in->fps = fps;

    double dur = 0.0;
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
        dur = (double)st->duration * av_q2d(st->time_base);
    else if (d->fmt->duration != AV_NOPTS_VALUE && d->fmt->duration > 0)
        dur = (double)d->fmt->duration / AV_TIME_BASE;
    in->duration_s = dur;
    in->n_frames_estimate = st->nb_frames > 0 ? st->nb_frames : (int64_t)llround(dur * fps);

    AVRational sar =
        st->sample_aspect_ratio.num > 0 ? st->sample_aspect_ratio : par->sample_aspect_ratio;
    if (sar.num > 0 && sar.den > 0) {
        av_reduce(&in->sar_num, &in->sar_den, sar.num, sar.den, 1 << 30);
    } else {
        in->sar_num = 1;
        in->sar_den = 1;
    }
    copy_name(in->codec, sizeof in->codec, avcodec_get_name(par->codec_id));
    copy_name(in->container, sizeof in->container, d->fmt->iformat->name);
    in->has_audio = av_find_best_stream(d->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0) >= 0;
}

static int64_t seconds_to_pts(double s, AVRational tb)
{
    return (int64_t)llround(s / av_q2d(tb));
}

/* Backward to the keyframe at or before start_s (the frames before it are then decoded and
 * dropped, their non-reference ones not even decoded: feed). */
static void seek_to(struct video_decoder *d, double start_s)
{
    char eb[128];
    d->params.start_s = start_s;
    d->skip_before_s = start_s;
    int64_t target = seconds_to_pts(start_s, d->tb);
    if (d->t0_pts != AV_NOPTS_VALUE)
        target += d->t0_pts;
    const int err = av_seek_frame(d->fmt, d->stream_index, target, AVSEEK_FLAG_BACKWARD);
    if (err < 0) {
        /* Not seekable (pipes, some GIFs): decoding from the start and dropping is slower but
         * gives the same frames. */
        hc_log(HC_LOG_DEBUG, "%s: cannot seek to %.3f s (%s); decoding from the start", d->path,
               start_s, av_err(err, eb, sizeof eb));
    }
    avcodec_flush_buffers(d->cc);
}

static void free_rgb(struct video_decoder *d)
{
    if (d->out && d->out != d->conv)
        av_free(d->out);
    av_free(d->conv);
    d->out = d->conv = NULL;
}

/* The RGB24 buffers of frames converted at cw x ch (the stored orientation; handed out upright,
 * rotated when the clip says so). 0, or -1 when out of memory. */
static int alloc_rgb(struct video_decoder *d, int cw, int ch)
{
    free_rgb(d);
    d->conv_w = cw;
    d->conv_h = ch;
    /* swscale's x86 YUV-to-RGB converters write whole groups of 8 pixels, and when the width
     * rounded up to 8 does not fit in the stride they convert 8 pixels fewer: the last width % 8
     * pixels of every row were never written and kept whatever the buffer held before (another
     * clip's frame in a batch), so a 404-pixel-wide clip's results depended on the clips before
     * it. A stride with room for the width rounded up to 16 lets them convert every pixel. */
    d->conv_stride = FFALIGN(FFALIGN(cw, 16) * 3, 32);
    /* swscale's SIMD RGB24 writers store 8 bytes at a time and run past the end of the last row
     * (valgrind: "invalid write of size 8, 0 bytes after" a 360x640 buffer): one spare row plus
     * libavcodec's input padding keeps those stores inside the block. */
    d->conv = av_malloc((size_t)d->conv_stride * (size_t)(ch + 1) + AV_INPUT_BUFFER_PADDING_SIZE);
    const int swap = d->info.rotation_deg == 90 || d->info.rotation_deg == 270;
    const int oriented = d->info.rotation_deg != 0 || d->info.hflip || d->info.vflip;
    d->out_w = swap ? ch : cw;
    d->out_h = swap ? cw : ch;
    if (oriented) {
        d->out_stride = FFALIGN(d->out_w * 3, 32);
        d->out = av_malloc((size_t)d->out_stride * (size_t)d->out_h);
    } else {
        d->out_stride = d->conv_stride;
        d->out = d->conv;
    }
    return d->conv && d->out ? 0 : -1;
}

enum hc_status video_decoder_open(const char *path, const struct video_open_params *p,
                                  struct video_decoder **out)
{
    enum hc_status st = HC_OK;
    char eb[128];
    if (out)
        *out = NULL;
    if (!path || !out)
        return hc_fail(HC_ERR_INVALID_ARG, "video_decoder_open: no path or output given");
    struct video_open_params params = p ? *p : video_default_open_params();
    if (!(params.start_s >= 0.0) || params.end_s != params.end_s ||
        (params.end_s > 0.0 && params.end_s <= params.start_s) || params.n_threads < 0)
        return hc_fail(HC_ERR_INVALID_ARG,
                       "%s: bad range --start %.3f --end %.3f; the end must "
                       "come after the start",
                       path, params.start_s, params.end_s);
    video_install_av_log();

    /* A directory opens "successfully" with the file protocol on some systems: refuse early. */
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? hc_fail(HC_ERR_IO, "%s: no such file; check the path", path)
                               : hc_fail(HC_ERR_IO, "%s: cannot open (%s); check the path", path,
                                         strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return hc_fail(HC_ERR_IO, "%s: is a directory; give a video file", path);
    if (S_ISREG(sb.st_mode) && sb.st_size == 0)
        return hc_fail(HC_ERR_FORMAT,
                       "%s: the file is empty (0 bytes); it is not a video, copy "
                       "or export the clip again",
                       path);

    struct video_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
    snprintf(d->path, sizeof d->path, "%s", path);
    d->params = params;
    d->stream_index = -1;
    d->t0_pts = AV_NOPTS_VALUE;
    d->key_seq = -1;
    d->settled_pts = AV_NOPTS_VALUE;

    int err = avformat_open_input(&d->fmt, path, NULL, NULL);
    if (err < 0) {
        st = open_failure(path, err);
        goto fail;
    }
    if ((st = video_check_header_size(path, d->fmt)) != HC_OK)
        goto fail;
    const unsigned n_opts = d->fmt->nb_streams; /* find_stream_info may add streams */
    AVDictionary **size_opts = video_size_options(d->fmt);
    err = avformat_find_stream_info(d->fmt, size_opts);
    video_free_size_options(n_opts, size_opts);
    if (err < 0) {
        st = hc_fail(HC_ERR_DECODE,
                     "%s: cannot read the stream headers (%s); the file is "
                     "probably truncated or corrupt",
                     path, av_err(err, eb, sizeof eb));
        goto fail;
    }
    d->stream_index = pick_video_stream(d->fmt);
    if (d->stream_index < 0) {
        int audio = av_find_best_stream(d->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0) >= 0;
        st = hc_fail(HC_ERR_NO_VIDEO, "%s: %s; give a video clip", path,
                     audio ? "audio only, no video stream" : "no video stream");
        goto fail;
    }
    AVStream *vst = d->fmt->streams[d->stream_index];
    d->tb = vst->time_base;
    fill_info(d, vst);
    if (vst->codecpar->width <= 0 || vst->codecpar->height <= 0) {
        st = hc_fail(HC_ERR_DECODE,
                     "%s: the video stream has no frame size; the file is "
                     "probably corrupt, or its frames are larger than the %d px this tool accepts",
                     path, VIDEO_MAX_DIM_PX);
        goto fail;
    }
    if (vst->codecpar->width > VIDEO_MAX_DIM_PX || vst->codecpar->height > VIDEO_MAX_DIM_PX) {
        st = hc_fail(HC_ERR_TOO_LARGE,
                     "%s: frames of %dx%d are larger than the %d px this tool "
                     "accepts; scale the clip down (e.g. to 1920 px)",
                     path, vst->codecpar->width, vst->codecpar->height, VIDEO_MAX_DIM_PX);
        goto fail;
    }
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != d->stream_index)
            d->fmt->streams[i]->discard = AVDISCARD_ALL;

    const AVCodec *codec = avcodec_find_decoder(vst->codecpar->codec_id);
    if (!codec) {
        st = hc_fail(HC_ERR_UNSUPPORTED,
                     "%s: no decoder for the %s video codec in this FFmpeg; "
                     "convert the clip to H.264",
                     path, d->info.codec);
        goto fail;
    }
    d->cc = avcodec_alloc_context3(codec);
    if (!d->cc) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    err = avcodec_parameters_to_context(d->cc, vst->codecpar);
    if (err < 0) {
        st = hc_fail(HC_ERR_DECODE, "%s: bad codec parameters (%s)", path,
                     av_err(err, eb, sizeof eb));
        goto fail;
    }
    d->cc->pkt_timebase = vst->time_base;
    d->cc->thread_count = params.n_threads; /* 0: one per core */
    d->cc->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    err = avcodec_open2(d->cc, codec, NULL);
    if (err < 0) {
        st = hc_fail(HC_ERR_DECODE,
                     "%s: cannot start the %s decoder (%s); the stream is "
                     "probably corrupt",
                     path, d->info.codec, av_err(err, eb, sizeof eb));
        goto fail;
    }

    const int cw = vst->codecpar->width, ch = vst->codecpar->height;
    d->pkt = av_packet_alloc();
    d->frame = av_frame_alloc();
    if (!d->pkt || !d->frame || alloc_rgb(d, cw, ch) != 0) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory for %dx%d frames", path, cw, ch);
        goto fail;
    }
    d->frame_dur_s = 1.0 / d->info.fps;
    d->mov = strstr(d->fmt->iformat->name, "mov") != NULL;

    if (vst->start_time != AV_NOPTS_VALUE)
        d->t0_pts = vst->start_time;
    if (params.start_s > 0.0)
        seek_to(d, params.start_s);
    *out = d;
    return HC_OK;
fail:
    video_decoder_free(d);
    return st;
}

const struct hc_video_info *video_decoder_info(const struct video_decoder *d)
{
    return d ? &d->info : NULL;
}

int video_decoder_damaged(const struct video_decoder *d)
{
    return d ? d->n_skipped > 0 : 0;
}

const struct hc_damage *video_decoder_damage(const struct video_decoder *d)
{
    return d ? &d->dmg : NULL;
}

void video_decoder_free(struct video_decoder *d)
{
    if (!d)
        return;
    free_rgb(d);
    sws_freeContext(d->sws);
    sws_freeContext(d->sws_mid);
    av_frame_free(&d->mid);
    av_frame_free(&d->frame);
    av_packet_free(&d->pkt);
    avcodec_free_context(&d->cc);
    avformat_close_input(&d->fmt);
    free(d->sent);
    free(d->bad_seq);
    free(d);
    video_log_flush(); /* the count of a repeated FFmpeg line, before the next clip's lines */
}

/* ---- decode ----------------------------------------------------------------------------- */

static void mark_damaged(struct video_decoder *d, const char *what)
{
    if (d->damaged)
        return;
    d->damaged = 1;
    snprintf(d->damage, sizeof d->damage, "%s", what);
}

/* Seconds from the stream start of a pts (the packets' clock, as frame_time's). */
static double pts_time(const struct video_decoder *d, int64_t pts)
{
    return (double)(pts - (d->t0_pts != AV_NOPTS_VALUE ? d->t0_pts : 0)) * av_q2d(d->tb);
}

/* Inside --start/--end: a frame outside is dropped, damaged or not, and never counted. */
static int in_range(const struct video_decoder *d, double t)
{
    return t + TRIM_EPS_S >= d->params.start_s &&
           !(d->params.end_s > 0.0 && t > d->params.end_s + TRIM_EPS_S);
}

/* Keeps one stretch; past HC_DAMAGE_MAX_RANGES the last one grows to cover it. */
static void add_range(struct hc_damage *dm, int64_t first, int64_t last, double t0, double t1)
{
    if (dm->n_ranges == HC_DAMAGE_MAX_RANGES) {
        struct hc_damage_range *r = &dm->range[dm->n_ranges - 1];
        r->last_frame = last;
        r->t_end_s = t1;
        return;
    }
    dm->range[dm->n_ranges++] = (struct hc_damage_range){first, last, t0, t1};
}

/* n frames skipped, the first at t0 and the last at t1: part of the open stretch. */
static void skip_frames(struct video_decoder *d, int64_t n, double t0, double t1, const char *what)
{
    if (n <= 0)
        return;
    mark_damaged(d, what);
    if (!d->run_open) {
        d->run_open = 1;
        d->run_first = d->n_out + d->n_skipped;
        d->run_t0 = t0;
    }
    d->run_t1 = fmax(d->run_t1, t1);
    d->n_skipped += n;
    d->seen_t = fmax(d->seen_t, t1);
}

/* A good frame comes (or the end): the open stretch is complete. */
static void close_run(struct video_decoder *d)
{
    if (!d->run_open)
        return;
    d->run_open = 0;
    add_range(&d->dmg, d->run_first, d->n_out + d->n_skipped - 1, d->run_t0, d->run_t1);
}

/* A damaged frame at decode place seq: the frames predicted from it are damaged too. */
static void note_bad(struct video_decoder *d, int64_t seq)
{
    d->tainted = 1;
    if (seq < 0)
        return;
    if (d->n_bad == d->cap_bad) {
        const size_t nc = d->cap_bad ? d->cap_bad * 2 : 64;
        int64_t *nb = realloc(d->bad_seq, nc * sizeof *nb);
        if (!nb) {
            d->stop = 1; /* cannot keep track: the rest counts as damaged */
            return;
        }
        d->bad_seq = nb;
        d->cap_bad = nc;
    }
    size_t k = d->n_bad++;
    while (k > 0 && d->bad_seq[k - 1] > seq) {
        d->bad_seq[k] = d->bad_seq[k - 1];
        k--;
    }
    d->bad_seq[k] = seq;
}

/* Is the frame at decode place seq, predicted from the keyframe at key_seq, built on damage? */
static int predicted_from_bad(const struct video_decoder *d, int64_t key_seq, int64_t seq)
{
    for (size_t k = d->n_bad; k-- > 0;) {
        if (d->bad_seq[k] <= seq)
            return d->bad_seq[k] >= key_seq;
    }
    return 0;
}

/* Books a packet about to be sent; returns its entry, or NULL when not booked. */
static struct sent_frame *book(struct video_decoder *d, int64_t pts, int failed)
{
    if (d->no_book)
        return NULL;
    if (pts == AV_NOPTS_VALUE) {
        d->no_book = 1; /* frames cannot be matched to packets: the fallback from here on */
        d->n_sent = 0;
        return NULL;
    }
    if (d->n_sent == d->cap_sent) {
        const size_t nc = d->cap_sent ? d->cap_sent * 2 : 32;
        struct sent_frame *ns = realloc(d->sent, nc * sizeof *ns);
        if (!ns) {
            d->no_book = 1;
            d->n_sent = 0;
            return NULL;
        }
        d->sent = ns;
        d->cap_sent = nc;
    }
    size_t k = d->n_sent++;
    while (k > 0 && d->sent[k - 1].pts > pts) {
        d->sent[k] = d->sent[k - 1];
        k--;
    }
    d->sent[k] = (struct sent_frame){pts, d->seq, d->key_seq, failed};
    return &d->sent[k];
}

/* The booked packets before pts whose frame never came out: frames lost, in the order they would
 * have been shown. */
static void settle_before(struct video_decoder *d, int64_t pts)
{
    size_t k = 0;
    for (; k < d->n_sent && d->sent[k].pts < pts; k++) {
        const double t = pts_time(d, d->sent[k].pts);
        note_bad(d, d->sent[k].seq);
        if (in_range(d, t))
            skip_frames(d, 1, t, t, d->sent[k].failed ? "undecodable data" : "frames lost");
    }
    if (k > 0) {
        memmove(d->sent, d->sent + k, (d->n_sent - k) * sizeof *d->sent);
        d->n_sent -= k;
    }
}

/* An error of the decoder or the demuxer; past DAMAGE_MAX_ERRORS in a row, the end. */
static void count_error(struct video_decoder *d, const char *what)
{
    mark_damaged(d, what);
    d->tainted = 1;
    if (++d->n_errors > DAMAGE_MAX_ERRORS)
        d->stop = 1;
}

/* Frames the file should hold after the last one seen (handed out or skipped), from the MP4
 * index's sample count, else from the stream's duration; 0 when it holds them all. */
static void count_missing_end(struct video_decoder *d)
{
    if (d->trimmed_end)
        return;
    const AVStream *st = d->fmt->streams[d->stream_index];
    const int64_t seen = d->n_out + d->n_skipped;
    double dur = 0.0;
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
        dur = (double)st->duration * av_q2d(st->time_base);
    else if (d->fmt->nb_streams == 1 && d->fmt->duration != AV_NOPTS_VALUE)
        dur = (double)d->fmt->duration / AV_TIME_BASE; /* audio may outlast the video */
    const double end_t = d->params.end_s > 0.0 && d->params.end_s < dur ? d->params.end_s : dur;
    const double t0 = d->seen_t + d->frame_dur_s;
    const double t1 = end_t - d->frame_dur_s > t0 ? end_t - d->frame_dur_s : t0;
    if (d->mov && d->params.start_s <= 0.0 && d->params.end_s <= 0.0 && st->nb_frames > 0) {
        /* the index counts packets, among them those an edit list discards: compare packets */
        if (d->n_packets + TRUNCATION_SLACK_FRAMES < st->nb_frames) {
            char what[128];
            snprintf(what, sizeof what, "the file ends after %lld of %lld frames",
                     (long long)d->n_packets, (long long)st->nb_frames);
            skip_frames(d, st->nb_frames - d->n_packets, t0, t1, what);
        }
        return;
    }
    if (d->mov && !d->stop)
        return; /* an MP4 read to the end, within a range: its index says nothing more */
    const double slack = fmax(TRUNCATION_SLACK_S, TRUNCATION_SLACK_TIME_FRAMES * d->frame_dur_s);
    const double last = fmax(d->seen_t, d->stop ? 0.0 : d->pkt_end_s - d->frame_dur_s);
    if (dur > 0.0 && seen > 0 && last + d->frame_dur_s < end_t - slack) {
        char what[128];
        snprintf(what, sizeof what, "the file ends at %.2f s of %.2f s", last + d->frame_dur_s,
                 dur);
        const double t_first = last + d->frame_dur_s;
        skip_frames(d, llround((end_t - t_first) / d->frame_dur_s), t_first,
                    fmax(t_first, end_t - d->frame_dur_s), what);
    }
}

/* At the end of the stream, once: the booked frames that never came, the frames missing at the
 * end, the last stretch closed. */
static void finish_damage(struct video_decoder *d)
{
    if (d->finished)
        return;
    d->finished = 1;
    if (!d->trimmed_end)
        settle_before(d, INT64_MAX);
    d->n_sent = 0;
    count_missing_end(d);
    close_run(d);
    d->dmg.n_frames_skipped = d->n_skipped;
    d->dmg.n_frames = d->n_out + d->n_skipped;
}

/* What was skipped, once, at the end of the stream when the counts are known: at info level, for
 * --verbose; the user's warning (or the mostly-damaged error) is the pose pass's, which reads the
 * whole range once (the mask and render passes decode parts of it again). */
static void log_damaged(struct video_decoder *d)
{
    if (d->n_skipped == 0 || d->warned || d->n_out == 0)
        return;
    d->warned = 1;
    char where[512];
    hc_damage_text(&d->dmg, where, sizeof where);
    hc_log(HC_LOG_INFO,
           "%s: %lld of %lld frames could not be decoded and were skipped, %s (first damage: "
           "%s); the file is damaged, copy or export it again for a complete analysis",
           d->path, (long long)d->n_skipped, (long long)d->dmg.n_frames, where, d->damage);
}

/* Convert d->frame into dst (d->out, or the caller's buffer of video_decoder_next_into); returns
 * 0 or a negative AVERROR. */
static int convert_frame(struct video_decoder *d, uint8_t *dst_rgb, int dst_rgb_stride)
{
    const AVFrame *f = d->frame;
    const int cw = d->conv_w, ch = d->conv_h;
    const uint8_t *const *src = (const uint8_t *const *)f->data;
    const int *src_stride = f->linesize;
    int src_w = f->width, src_h = f->height;
    enum AVPixelFormat src_fmt = (enum AVPixelFormat)f->format;
    if (d->mid) {
        /* Scaled: swscale scales planar YUV with SIMD code but scales into RGB24 with a generic
         * one (measured on 1080p H.264 to 720p: 2 ms per frame this way, 5.5 ms in one step). An
         * 8-bit 4:2:0 picture keeps its format (and range); any other becomes YUV 4:2:0. */
        const enum AVPixelFormat mf = (enum AVPixelFormat)d->mid->format;
        d->sws_mid = sws_getCachedContext(d->sws_mid, f->width, f->height, src_fmt, cw, ch, mf,
                                          SWS_BILINEAR, NULL, NULL, NULL);
        if (!d->sws_mid || av_frame_make_writable(d->mid) < 0)
            return AVERROR(EINVAL);
        if (sws_scale(d->sws_mid, src, src_stride, 0, f->height, d->mid->data,
                      d->mid->linesize) <= 0)
            return AVERROR(EINVAL);
        src = (const uint8_t *const *)d->mid->data;
        src_stride = d->mid->linesize;
        src_w = cw;
        src_h = ch;
        src_fmt = mf;
    }
    /* A mid-stream size change is scaled back to the first size, so buffers and every frame the
     * caller sees keep one size. */
    d->sws = sws_getCachedContext(d->sws, src_w, src_h, src_fmt, cw, ch, AV_PIX_FMT_RGB24,
                                  SWS_BILINEAR, NULL, NULL, NULL);
    if (!d->sws)
        return AVERROR(EINVAL);
    /* Upright already: swscale writes straight into the destination (no copy after it). */
    const int direct = d->out == d->conv;
    uint8_t *dst[4] = {direct ? dst_rgb : d->conv, NULL, NULL, NULL};
    int dst_stride[4] = {direct ? dst_rgb_stride : d->conv_stride, 0, 0, 0};
    int h = sws_scale(d->sws, src, src_stride, 0, src_h, dst, dst_stride);
    if (h <= 0)
        return AVERROR(EINVAL);
    if (!direct)
        video_orient_rgb(d->conv, d->conv_stride, cw, ch, d->info.rotation_deg, d->info.hflip,
                         d->info.vflip, dst_rgb, dst_rgb_stride);
    return 0;
}

/* Time of the decoded frame in seconds from the stream start, made strictly increasing. */
static double frame_time(struct video_decoder *d)
{
    int64_t ts = d->frame->best_effort_timestamp;
    if (ts == AV_NOPTS_VALUE)
        ts = d->frame->pts;
    if (ts != AV_NOPTS_VALUE && d->t0_pts == AV_NOPTS_VALUE)
        d->t0_pts = ts;
    double t;
    if (ts == AV_NOPTS_VALUE)
        t = d->have_last ? d->last_t_s + d->frame_dur_s : d->params.start_s;
    else
        t = (double)(ts - d->t0_pts) * av_q2d(d->tb);
    if (d->have_last && !(t > d->last_t_s))
        t = d->last_t_s + d->frame_dur_s;
    return t;
}

/* Feed one packet (or the flush) to the decoder. Returns 0, or 1 when the stream is over. */
static int feed(struct video_decoder *d)
{
    char eb[128];
    for (;;) {
        if (d->flushing)
            return 1;
        int err = d->stop ? AVERROR_EOF : av_read_frame(d->fmt, d->pkt);
        if (err < 0 && err != AVERROR_EOF && err != AVERROR(EAGAIN) && err != AVERROR(ENOMEM) &&
            (!d->fmt->pb || !avio_feof(d->fmt->pb))) {
            /* a damaged stretch of the container: the demuxer moves on past it */
            count_error(d, av_err(err, eb, sizeof eb));
            if (!d->stop)
                continue;
        }
        if (err < 0) {
            if (err != AVERROR_EOF && err != AVERROR(EAGAIN))
                mark_damaged(d, av_err(err, eb, sizeof eb));
            d->flushing = 1;
            avcodec_send_packet(d->cc, NULL);
            return 0;
        }
        if (d->pkt->stream_index != d->stream_index) {
            av_packet_unref(d->pkt);
            continue;
        }
        d->n_packets++;
        const int64_t pts = d->pkt->pts != AV_NOPTS_VALUE ? d->pkt->pts : d->pkt->dts;
        if (pts != AV_NOPTS_VALUE) {
            const double end =
                (double)(pts + d->pkt->duration - (d->t0_pts != AV_NOPTS_VALUE ? d->t0_pts : 0)) *
                av_q2d(d->tb);
            if (end > d->pkt_end_s)
                d->pkt_end_s = end;
        }
        if (d->pkt->flags & AV_PKT_FLAG_KEY)
            d->key_seq = d->seq;
        if (d->pkt->flags & AV_PKT_FLAG_CORRUPT) {
            /* cut short or flagged by the demuxer: not decoded, its frame is damaged */
            const int64_t pts_c = d->pkt->pts;
            av_packet_unref(d->pkt);
            count_error(d, "a damaged packet");
            if (!book(d, pts_c, 1) && d->no_book && in_range(d, d->seen_t + d->frame_dur_s))
                skip_frames(d, 1, d->seen_t + d->frame_dur_s, d->seen_t + d->frame_dur_s,
                            "a damaged packet");
            note_bad(d, d->seq++);
            continue;
        }
        /* The run-up after a seek (the frames from the keyframe before start_s, decoded and
         * dropped), or frames the caller will not read (video_decoder_skip_before): a frame no
         * other frame refers to (a non-reference B-frame) that ends before skip_before_s is not
         * decoded at all. The frames after it come out the same, bit for bit (they never read
         * it). One-thread decoders only: a frame-threaded one takes the setting at its own
         * pace. */
        if (d->skip_before_s > 0.0 && !d->cc->active_thread_type) {
            /* a packet without a duration (some muxers) lasts a frame at the stream's rate */
            const double dur_s = d->pkt->duration > 0
                                     ? (double)d->pkt->duration * av_q2d(d->tb)
                                     : d->frame_dur_s;
            const int runup = pts != AV_NOPTS_VALUE && d->t0_pts != AV_NOPTS_VALUE &&
                              (double)(pts - d->t0_pts) * av_q2d(d->tb) + dur_s <
                                  d->skip_before_s - TRIM_EPS_S;
            d->cc->skip_frame = runup ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
        }
        /* Booked unless its frame may rightly never come: dropped by the run-up's skip_frame, or
         * by the container's edit list (a discard packet). */
        struct sent_frame *b = d->cc->skip_frame == AVDISCARD_DEFAULT &&
                                       !(d->pkt->flags & AV_PKT_FLAG_DISCARD)
                                   ? book(d, d->pkt->pts, 0)
                                   : NULL;
        const int64_t seq = d->seq++;
        err = avcodec_send_packet(d->cc, d->pkt);
        av_packet_unref(d->pkt);
        if (err == AVERROR(ENOMEM)) {
            mark_damaged(d, "out of memory");
            d->stop = 1;
            return 1;
        }
        if (err < 0 && err != AVERROR(EAGAIN)) {
            /* AVERROR_INVALIDDATA and kin: this packet's frame is damaged, the next may not be */
            count_error(d, av_err(err, eb, sizeof eb));
            note_bad(d, seq);
            if (b)
                b->failed = 1;
            else if (d->no_book && d->cc->skip_frame == AVDISCARD_DEFAULT &&
                     in_range(d, d->seen_t + d->frame_dur_s))
                skip_frames(d, 1, d->seen_t + d->frame_dur_s, d->seen_t + d->frame_dur_s,
                            av_err(err, eb, sizeof eb));
            continue;
        }
        return 0;
    }
}

size_t video_decoder_frame_bytes(const struct video_decoder *d, int *stride_out)
{
    if (!d)
        return 0;
    if (stride_out)
        *stride_out = d->out_stride;
    /* The rows of the upright frame, plus the spare row and padding swscale's SIMD writers may
     * touch (see video_decoder_open). */
    const int rows = d->out == d->conv ? d->conv_h : d->out_h;
    return (size_t)d->out_stride * (size_t)(rows + 1) + AV_INPUT_BUFFER_PADDING_SIZE;
}

/* Receives the next frame to hand out into d->frame (d->pending, its time d->pending_t), or says
 * why there is none. */
static enum hc_status decoder_receive(struct video_decoder *d)
{
    char eb[128];
    if (d->pending)
        return HC_OK;
    while (!d->done) {
        int err = avcodec_receive_frame(d->cc, d->frame);
        if (err == AVERROR(EAGAIN)) {
            if (d->stop || feed(d) == 1)
                d->done = 1;
            continue;
        }
        if (err == AVERROR_EOF) {
            d->done = 1;
            break;
        }
        if (err < 0) {
            /* a frame the decoder could not make: the booking finds which one was lost */
            count_error(d, av_err(err, eb, sizeof eb));
            if (d->no_book && in_range(d, d->seen_t + d->frame_dur_s))
                skip_frames(d, 1, d->seen_t + d->frame_dur_s, d->seen_t + d->frame_dur_s,
                            av_err(err, eb, sizeof eb));
            if (d->stop)
                d->done = 1;
            continue;
        }
        if (d->stop) {
            /* past the bound: nothing more is handed out (count_missing_end counts the rest) */
            av_frame_unref(d->frame);
            d->done = 1;
            break;
        }
        /* Which packet it came from (booked by pts): the frames booked before it that never
         * came out are lost. */
        int64_t seq = -1, key_seq = -1;
        int failed = 0;
        const int64_t pts = d->frame->pts;
        if (!d->no_book && pts != AV_NOPTS_VALUE) {
            if (d->settled_pts != AV_NOPTS_VALUE && pts <= d->settled_pts &&
                !(d->n_sent > 0 && d->sent[0].pts == pts)) {
                /* a second picture for a time already accounted for: made up from damaged data
                 * (a broken field pair), not a frame of the clip */
                av_frame_unref(d->frame);
                continue;
            }
            settle_before(d, pts);
            d->settled_pts = pts;
            if (d->n_sent > 0 && d->sent[0].pts == pts) {
                seq = d->sent[0].seq;
                key_seq = d->sent[0].key_seq;
                failed = d->sent[0].failed;
                memmove(d->sent, d->sent + 1, (d->n_sent - 1) * sizeof *d->sent);
                d->n_sent--;
            }
        }
        const double t = frame_time(d);
        if (t + TRIM_EPS_S < d->params.start_s) {
            /* Decoded from the keyframe before --start: drop, whatever its state (after a seek
             * to an open-GOP keyframe the leading frames lack references, which is no damage). */
            av_frame_unref(d->frame);
            continue;
        }
        if (d->params.end_s > 0.0 && t > d->params.end_s + TRIM_EPS_S) {
            av_frame_unref(d->frame);
            d->trimmed_end = 1;
            d->done = 1;
            break;
        }
        const int flagged = failed || (d->frame->flags & AV_FRAME_FLAG_CORRUPT) ||
                            d->frame->decode_error_flags;
        const int key = d->frame->key_frame;
        const int predicted = seq >= 0 ? predicted_from_bad(d, key_seq, seq)
                                       : d->no_book && d->tainted && !key;
        if (flagged || predicted) {
            if (flagged)
                note_bad(d, seq);
            skip_frames(d, 1, t, t, flagged ? "a damaged frame" : "frames predicted from damage");
            av_frame_unref(d->frame);
            continue;
        }
        if (key)
            d->tainted = 0;
        close_run(d);
        d->n_errors = 0;
        d->pending = 1;
        d->pending_t = t;
        return HC_OK;
    }
    finish_damage(d);
    if (d->n_out == 0) {
        if (d->damaged)
            return hc_fail(HC_ERR_DECODE,
                           "%s: no frame could be decoded (%s); the file is "
                           "corrupt or truncated, copy or export it again",
                           d->path, d->damage);
        if (d->params.start_s > 0.0 || d->params.end_s > 0.0)
            return hc_fail(HC_ERR_EMPTY,
                           "%s: no frames between %.3f s and %s; the clip is %.3f s "
                           "long, pick a range inside it",
                           d->path, d->params.start_s, d->params.end_s > 0.0 ? "--end" : "the end",
                           d->info.duration_s);
        return hc_fail(HC_ERR_EMPTY,
                       "%s: the video stream has no frames; give a clip with "
                       "video",
                       d->path);
    }
    log_damaged(d);
    return HC_ERR_EMPTY;
}

/* The next frame, converted into dst (NULL: not converted, frame->rgb NULL). */
static enum hc_status decoder_next(struct video_decoder *d, uint8_t *dst, int dst_stride,
                                   struct video_frame *frame)
{
    const enum hc_status st = decoder_receive(d);
    if (st != HC_OK)
        return st;
    d->pending = 0;
    const int err = dst ? convert_frame(d, dst, dst_stride) : 0;
    av_frame_unref(d->frame);
    if (err < 0)
        return hc_fail(HC_ERR_DECODE, "%s: cannot convert frame %lld to RGB", d->path,
                       (long long)d->n_out);
    d->last_t_s = d->pending_t;
    d->seen_t = d->pending_t;
    d->have_last = 1;
    frame->rgb = dst;
    frame->width_px = d->out_w;
    frame->height_px = d->out_h;
    frame->stride = dst ? dst_stride : 0;
    frame->t_s = d->pending_t;
    frame->index = d->n_out + d->n_skipped; /* the frame number: skipped frames count */
    d->n_out++;
    return HC_OK;
}

enum hc_status video_decoder_peek(struct video_decoder *d, double *t_s)
{
    if (!d || !t_s)
        return hc_fail(HC_ERR_INVALID_ARG, "video_decoder_peek: no decoder or time given");
    const enum hc_status st = decoder_receive(d);
    if (st == HC_OK)
        *t_s = d->pending_t;
    return st;
}

enum hc_status video_decoder_seek(struct video_decoder *d, double start_s)
{
    if (!d || !(start_s > 0.0))
        return hc_fail(HC_ERR_INVALID_ARG, "video_decoder_seek: no decoder, or a time <= 0");
    if (d->stop)
        return hc_fail(HC_ERR_DECODE, "%s: damaged (%s); open it again", d->path, d->damage);
    /* the booking starts again from the seek's keyframe; the counts and stretches go on */
    d->n_sent = 0;
    d->settled_pts = AV_NOPTS_VALUE;
    d->run_open = 0;
    if (d->pending) {
        av_frame_unref(d->frame);
        d->pending = 0;
    }
    /* as a decoder opened with start_s: no frame handed out since, decoding not ended */
    d->have_last = 0;
    d->last_t_s = 0.0;
    d->done = 0;
    d->flushing = 0;
    d->trimmed_end = 0;
    seek_to(d, start_s);
    return HC_OK;
}

void video_decoder_skip_before(struct video_decoder *d, double t_s)
{
    if (d)
        d->skip_before_s = t_s;
}

enum hc_status video_decoder_next(struct video_decoder *d, struct video_frame *frame)
{
    if (!d || !frame)
        return hc_fail(HC_ERR_INVALID_ARG, "video_decoder_next: no decoder or frame given");
    return decoder_next(d, d->out, d->out_stride, frame);
}

enum hc_status video_decoder_next_into(struct video_decoder *d, uint8_t *dst, int stride,
                                       struct video_frame *frame)
{
    if (!d || !frame || (dst && stride < d->out_stride))
        return hc_fail(HC_ERR_INVALID_ARG, "video_decoder_next_into: no decoder or frame given, "
                       "or a stride under video_decoder_frame_bytes'");
    return decoder_next(d, dst, stride, frame);
}

enum hc_status video_decoder_set_size(struct video_decoder *d, int width_px, int height_px)
{
    if (!d || width_px < 2 || height_px < 2 || width_px > d->info.width_px ||
        height_px > d->info.height_px)
        return hc_fail(HC_ERR_INVALID_ARG, "video_decoder_set_size: no decoder, or %dx%d is not "
                       "within 2x2 and the clip's size", width_px, height_px);
    if (d->n_out > 0 || d->pending)
        return hc_fail(HC_ERR_INVALID_ARG, "%s: the frame size is set before the first frame",
                       d->path);
    const int swap = d->info.rotation_deg == 90 || d->info.rotation_deg == 270;
    const int cw = swap ? height_px : width_px, ch = swap ? width_px : height_px;
    av_frame_free(&d->mid);
    if (width_px != d->info.width_px || height_px != d->info.height_px) {
        const enum AVPixelFormat pf = d->cc->pix_fmt;
        d->mid = av_frame_alloc();
        if (!d->mid)
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory", d->path);
        d->mid->format = pf == AV_PIX_FMT_YUVJ420P ? pf : AV_PIX_FMT_YUV420P;
        d->mid->width = cw;
        d->mid->height = ch;
        if (av_frame_get_buffer(d->mid, 0) < 0) {
            av_frame_free(&d->mid);
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory for %dx%d frames", d->path, cw, ch);
        }
    }
    if (alloc_rgb(d, cw, ch) != 0)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory for %dx%d frames", d->path, cw, ch);
    return HC_OK;
}
