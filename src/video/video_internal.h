/*
 * video_internal.h - helpers shared by the files of src/video (not for other modules).
 */
#ifndef HC_VIDEO_INTERNAL_H
#define HC_VIDEO_INTERNAL_H

#include "video/video.h"

#include <pthread.h>

/* Route FFmpeg's av_log into hc_log (debug level) once per process: the library never prints. */
void video_install_av_log(void);

#endif /* HC_VIDEO_INTERNAL_H */
