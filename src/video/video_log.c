#define _POSIX_C_SOURCE 200809L
/*
 * video_log.c - FFmpeg's own log (av_log) into ours, at FFmpeg's own levels, so the library never
 * prints and a user sees FFmpeg only when asking: its errors and warnings at info (hingecheck
 * -v), its info, verbose and debug lines at debug (-vv), its trace never. What matters to the
 * analysis (damaged data, frames dropped) the decoder says itself, as a warning in words.
 *
 * A line repeated back to back is logged once, then "repeated N more times" when another line
 * comes: FFmpeg's own printer does the same (AV_LOG_SKIP_REPEATED), and some warnings come once a
 * frame (swscale's "deprecated pixel format used" on every full-range JPEG-style frame).
 */
#include "video/video_internal.h"

#include "core/core.h"

#include <libavutil/log.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The last line logged and its repeats, per level of ours (0: info, 1: debug): FFmpeg's debug
 * lines, hidden without -vv, come between the repeats of a warning and must not break its run. */
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char last_line[2][512];
static long n_repeats[2];

static enum hc_log_level level_of(int av_level)
{
    return av_level <= AV_LOG_WARNING ? HC_LOG_INFO : HC_LOG_DEBUG;
}

/* The repeats of the last line at level slot k, said once (call with log_mu held). */
static void say_repeats(int k)
{
    if (n_repeats[k] > 0)
        hc_log(k ? HC_LOG_DEBUG : HC_LOG_INFO, "ffmpeg: the line above repeated %ld more time%s",
               n_repeats[k], n_repeats[k] == 1 ? "" : "s");
    n_repeats[k] = 0;
}

void video_log_ffmpeg(void *avcl, int av_level, const char *fmt, va_list vl)
{
    if (av_level > AV_LOG_DEBUG) /* trace: per-bit detail of the bitstream readers */
        return;
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, vl);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (n == 0)
        return;
    /* the component that spoke, as FFmpeg's printer names it ("h264", "swscaler") */
    const AVClass *cls = avcl ? *(const AVClass *const *)avcl : NULL;
    const char *who = cls && cls->item_name ? cls->item_name(avcl) : NULL;
    char line[sizeof last_line[0]];
    snprintf(line, sizeof line, "%s%s%s", who ? who : "", who ? ": " : "", msg);
    const enum hc_log_level level = level_of(av_level);
    const int k = level == HC_LOG_DEBUG;
    pthread_mutex_lock(&log_mu);
    if (strcmp(line, last_line[k]) == 0) {
        n_repeats[k]++;
    } else {
        say_repeats(k);
        snprintf(last_line[k], sizeof last_line[k], "%s", line);
        hc_log(level, "ffmpeg: %s", line);
    }
    pthread_mutex_unlock(&log_mu);
}

void video_log_flush(void)
{
    pthread_mutex_lock(&log_mu);
    for (int k = 0; k < 2; k++) {
        say_repeats(k);
        last_line[k][0] = '\0';
    }
    pthread_mutex_unlock(&log_mu);
}
