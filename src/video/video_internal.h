/*
 * video_internal.h - helpers shared by the files of src/video (not for other modules).
 */
#ifndef HC_VIDEO_INTERNAL_H
#define HC_VIDEO_INTERNAL_H

#include "video/video.h"

#include <pthread.h>
#include <stdarg.h>

/* Route FFmpeg's av_log into hc_log (video_log_ffmpeg) once per process: the library never prints. */
void video_install_av_log(void);

/* The av_log callback's body (video_log.c): FFmpeg's errors and warnings at HC_LOG_INFO, its
 * info to debug lines at HC_LOG_DEBUG, trace dropped; a line repeated back to back logged once
 * and its count when another comes. video_log_flush says the count of the last one now. */
void video_log_ffmpeg(void *avcl, int av_level, const char *fmt, va_list vl);
void video_log_flush(void);
/* Warns that the display rotation of `path` (not a multiple of 90) is ignored: once per file
 * per process, however often the file is opened (probe, pose pass, render pass). */
void video_warn_rotation(const char *path, double rotation_deg);

struct AVFormatContext;
struct AVDictionary;

/* The frame-size limit (VIDEO_MAX_DIM_PX) applied before any frame is decoded (video_probe.c).
 * video_check_header_size refuses a video stream whose container header already gives a larger
 * size; video_size_options gives avformat_find_stream_info per-stream decoder options that make
 * the decoders refuse such a frame before allocating it (for formats whose size only the first
 * frame tells, such as images); free them with video_free_size_options, giving the number of
 * streams they were made for. */
enum hc_status video_check_header_size(const char *path, const struct AVFormatContext *fmt);
struct AVDictionary **video_size_options(const struct AVFormatContext *fmt);
void video_free_size_options(unsigned n_streams, struct AVDictionary **opts);
/* The pixel count a decoder may allocate for one frame ("max_pixels"): the square of the limit. */
#define VIDEO_MAX_PIXELS ((int64_t)VIDEO_MAX_DIM_PX * VIDEO_MAX_DIM_PX)

#endif /* HC_VIDEO_INTERNAL_H */
