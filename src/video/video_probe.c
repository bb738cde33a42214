/*
 * video_probe.c - hc_probe_file (public) and the FFmpeg version line.
 *
 * The probe opens the decoder and decodes the first frame: a file whose headers parse but whose
 * frames do not decode (truncated right after the index, wrong codec data) is reported here,
 * before anyone starts an analysis on it. One frame costs milliseconds.
 */
#define _POSIX_C_SOURCE 200809L
#include "video/video_internal.h"
#include "hingecheck.h" /* defines hc_probe_file, hc_video_library_versions */

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswscale/swscale.h>

#include <stdio.h>
#include <string.h>

enum hc_status hc_probe_file(const char *path, struct hc_video_info *info)
{
    if (!path || !info)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_probe_file: no path or info given");
    memset(info, 0, sizeof *info);
    struct video_decoder *d = NULL;
    struct video_open_params p = video_default_open_params();
    p.n_threads = 1; /* one frame: threads would only cost start-up time */
    enum hc_status st = video_decoder_open(path, &p, &d);
    if (st != HC_OK)
        return st;
    struct video_frame f;
    st = video_decoder_next(d, &f);
    if (st == HC_OK)
        *info = *video_decoder_info(d);
    video_decoder_free(d);
    return st;
}

enum hc_status video_check_header_size(const char *path, const AVFormatContext *fmt)
{
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *vs = fmt->streams[i];
        const AVCodecParameters *par = vs->codecpar;
        if (par->codec_type != AVMEDIA_TYPE_VIDEO || (vs->disposition & AV_DISPOSITION_ATTACHED_PIC))
            continue;
        if (par->width > VIDEO_MAX_DIM_PX || par->height > VIDEO_MAX_DIM_PX)
            return hc_fail(HC_ERR_TOO_LARGE,
                           "%s: frames of %dx%d are larger than the %d px this tool accepts; "
                           "scale the clip down (e.g. to 1920 px)",
                           path, par->width, par->height, VIDEO_MAX_DIM_PX);
    }
    return HC_OK;
}

AVDictionary **video_size_options(const AVFormatContext *fmt)
{
    if (fmt->nb_streams == 0)
        return NULL;
    AVDictionary **opts = av_calloc(fmt->nb_streams, sizeof *opts);
    if (!opts)
        return NULL; /* the stream info is then read without the cap; the size check follows */
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        av_dict_set_int(&opts[i], "max_pixels", VIDEO_MAX_PIXELS, 0);
    return opts;
}

void video_free_size_options(unsigned n_streams, AVDictionary **opts)
{
    if (!opts)
        return;
    for (unsigned i = 0; i < n_streams; i++)
        av_dict_free(&opts[i]);
    av_free(opts);
}

/* The files warned about lately: a clip is opened a few times in a row (probe, poses, render); a
 * batch moves from clip to clip, so a short memory is enough. */
#define WARNED_N 8
static char warned[WARNED_N][512];
static unsigned warned_next;
static pthread_mutex_t warned_lock = PTHREAD_MUTEX_INITIALIZER;

void video_warn_rotation(const char *path, double rotation_deg)
{
    pthread_mutex_lock(&warned_lock);
    int seen = 0;
    for (unsigned k = 0; k < WARNED_N && !seen; k++)
        seen = strncmp(warned[k], path, sizeof warned[k] - 1) == 0 && warned[k][0];
    if (!seen)
        snprintf(warned[warned_next++ % WARNED_N], sizeof warned[0], "%s", path);
    pthread_mutex_unlock(&warned_lock);
    if (!seen)
        hc_log(HC_LOG_WARN, "%s: display rotation of %.0f degrees is not a multiple of 90; "
               "ignored (the frames are analysed as stored)", path, rotation_deg);
}

static char versions[256];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void make_versions(void)
{
    const unsigned f = avformat_version(), c = avcodec_version(), s = swscale_version(),
                   u = avutil_version();
    snprintf(versions, sizeof versions,
             "FFmpeg %s (libavformat %u.%u.%u, libavcodec %u.%u.%u, libswscale %u.%u.%u, "
             "libavutil %u.%u.%u)",
             av_version_info(), AV_VERSION_MAJOR(f), AV_VERSION_MINOR(f), AV_VERSION_MICRO(f),
             AV_VERSION_MAJOR(c), AV_VERSION_MINOR(c), AV_VERSION_MICRO(c), AV_VERSION_MAJOR(s),
             AV_VERSION_MINOR(s), AV_VERSION_MICRO(s), AV_VERSION_MAJOR(u), AV_VERSION_MINOR(u),
             AV_VERSION_MICRO(u));
}

const char *hc_video_library_versions(void)
{
    pthread_once(&versions_once, make_versions);
    return versions;
}
