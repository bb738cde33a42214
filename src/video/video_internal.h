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

#endif /* HC_VIDEO_INTERNAL_H */
