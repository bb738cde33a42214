/*
 * video.h - decode any file libavformat opens into upright RGB24 frames, and encode RGB24 frames
 * into a video file. The only module that includes libav* headers.
 *
 * Decoding:
 *
 *     struct video_decoder *dec;
 *     struct video_open_params p = video_default_open_params();
 *     if (video_decoder_open(path, &p, &dec) != HC_OK) { ...hc_last_error()... }
 *     struct video_frame f;
 *     enum hc_status st;
 *     while ((st = video_decoder_next(dec, &f)) == HC_OK) {
 *         // f.rgb is valid until the next call; rotation/flip already applied
 *     }
 *     // st == HC_ERR_EMPTY at the clean end of the stream; anything else is an error
 *     video_decoder_free(dec);
 *
 * Encoding:
 *
 *     struct video_writer_params wp = video_default_writer_params();
 *     wp.width_px = 1280; wp.height_px = 720; wp.fps = 30;
 *     video_writer_open("out.mp4", &wp, &w);
 *     video_writer_write_rgb(w, rgb, stride, -1.0);   // -1: next frame at 1/fps
 *     video_writer_close(w);                           // flushes, writes trailer, frees
 */
#ifndef HC_VIDEO_H
#define HC_VIDEO_H

#include "core/core.h"

#include <stdint.h>

/* Frames bigger than this in either dimension are refused with HC_ERR_TOO_LARGE (8K is plenty for
 * phone clips; a corrupt header claiming 65535x65535 must not make us allocate 12 GB). */
#define VIDEO_MAX_DIM_PX 8192

struct video_open_params {
    double start_s;   /* seek here before decoding (0: from the start) */
    double end_s;     /* stop after this time (<= 0: to the end) */
    int n_threads;    /* decoder threads (0: libavcodec chooses) */
};
struct video_open_params video_default_open_params(void);

struct video_frame {
    const uint8_t *rgb; /* RGB24, upright; owned by the decoder, valid until the next call */
    int width_px;
    int height_px;
    int stride;         /* bytes per row */
    double t_s;         /* seconds from the first frame of the stream, strictly increasing */
    int64_t index;      /* 0, 1, 2 ... in output order */
};

struct video_decoder;

enum hc_status video_decoder_open(const char *path, const struct video_open_params *p,
                                  struct video_decoder **out);
/* Stream facts (valid for the decoder's lifetime). */
const struct hc_video_info *video_decoder_info(const struct video_decoder *d);
/* HC_OK with a frame; HC_ERR_EMPTY at the end; another error when decoding cannot go on. A clip
 * damaged mid-stream ends early with HC_ERR_EMPTY after a warning (see video_decoder_damaged). */
enum hc_status video_decoder_next(struct video_decoder *d, struct video_frame *frame);
/* Non-zero when the decoder met damaged data and skipped or stopped (a warning was logged). */
int video_decoder_damaged(const struct video_decoder *d);
void video_decoder_free(struct video_decoder *d);

struct video_writer_params {
    int width_px;
    int height_px;
    double fps;
    int rotation_deg;   /* display-matrix metadata to store (0, 90, 180, 270); pixels untouched */
    const char *codec;  /* "h264", "mpeg4", "gif" or NULL: h264 (libx264) if available, else mpeg4 */
    int crf;            /* quality for libx264 (0: default 23) */
    int bitrate_kbps;   /* for mpeg4 (0: default) */
    int faststart;      /* MP4: moov atom first so browsers can play while loading */
};
struct video_writer_params video_default_writer_params(void);

struct video_writer;

enum hc_status video_writer_open(const char *path, const struct video_writer_params *p,
                                 struct video_writer **out);
/* t_s < 0: the frame follows the previous one at 1/fps; otherwise its presentation time (for
 * variable-frame-rate test clips), which must increase. */
enum hc_status video_writer_write_rgb(struct video_writer *w, const uint8_t *rgb, int stride,
                                      double t_s);
/* Flushes the encoder, writes the trailer and frees the writer (NULL-safe). A failure here means
 * the file is incomplete. */
enum hc_status video_writer_close(struct video_writer *w);

#endif /* HC_VIDEO_H */
