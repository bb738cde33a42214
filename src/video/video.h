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

#include <stddef.h>
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
/* Frames handed out at width_px x height_px (upright, at most the clip's size) instead of the
 * clip's size: scaled from the decoded picture in YUV before the conversion to RGB, which is
 * cheaper than converting at full size and shrinking the RGB (the overlay video, src/pipeline/
 * pass_render.c). Before the first frame only; frame->width_px/height_px and
 * video_decoder_frame_bytes follow it, video_decoder_info keeps the clip's size.
 * HC_ERR_INVALID_ARG, HC_ERR_NOMEM. */
enum hc_status video_decoder_set_size(struct video_decoder *d, int width_px, int height_px);
/* HC_OK with a frame; HC_ERR_EMPTY at the end; another error when decoding cannot go on. Damaged
 * stretches of a clip are skipped (the frames after them keep coming; frame->index counts the
 * skipped frames, so it jumps over them); video_decoder_damage says what was skipped (an info
 * message is logged at the end; warning the user is the caller's part).
 * When not a single frame comes out, the FIRST call says why, with hc_last_error() set:
 * HC_ERR_DECODE (damaged before the first good frame: corrupt/truncated file) or HC_ERR_EMPTY
 * (a stream without frames, or no frame inside --start/--end); treat both as errors there.
 * Times: t_s counts from the stream start (so with start_s = 2 the first t_s is about 2). */
enum hc_status video_decoder_next(struct video_decoder *d, struct video_frame *frame);
/* What a buffer for video_decoder_next_into needs: returns its size in bytes (rows plus the slack
 * swscale's SIMD writers need past the last row) and sets *stride_out (may be NULL) to the least
 * row stride in bytes. 0 for a NULL decoder. */
size_t video_decoder_frame_bytes(const struct video_decoder *d, int *stride_out);
/* video_decoder_next, converting the frame straight into the caller's `dst` (at least
 * video_decoder_frame_bytes bytes when `stride` is the stride it gave; a larger stride needs
 * proportionally more) instead of the decoder's own buffer: frame->rgb == dst and
 * frame->stride == stride. Saves a whole-frame copy when the caller keeps frames in a queue of
 * its own buffers (src/pipeline/frame_ring.c). Same statuses as video_decoder_next. */
enum hc_status video_decoder_next_into(struct video_decoder *d, uint8_t *dst, int stride,
                                       struct video_frame *frame);
/* A reader of some frames only (the mask pass, src/pipeline/pass_mask.c): dst == NULL above
 * decodes the next frame (later frames may need it) without converting it to RGB
 * (frame->rgb == NULL, about 1 ms saved per 1080p frame); video_decoder_peek says the next
 * frame's time first (decoding it; the next video_decoder_next* hands that frame out). Same
 * statuses as video_decoder_next. */
enum hc_status video_decoder_peek(struct video_decoder *d, double *t_s);
/* Moves an open decoder to start_s (> 0): the next frames are those of a decoder opened with
 * start_s, bit for bit and with the same times, without opening the file again (about 16 ms
 * per 1080p H.264 clip). HC_ERR_DECODE after damage: open it again. */
enum hc_status video_decoder_seek(struct video_decoder *d, double start_s);
/* Frames that end before t_s will not be read: the non-reference ones among them are not decoded
 * at all (the others are: later frames need them). One-thread decoders; a seek sets it to its
 * start_s. */
void video_decoder_skip_before(struct video_decoder *d, double t_s);
/* Non-zero when the decoder skipped damaged frames. */
int video_decoder_damaged(const struct video_decoder *d);
/* What was skipped: counts and stretches, complete once the end has been reached (frame numbers
 * count from the first frame after start_s). Borrowed until video_decoder_free; NULL for NULL. */
const struct hc_damage *video_decoder_damage(const struct video_decoder *d);
void video_decoder_free(struct video_decoder *d);

/* Orientation helpers (used by the decoder; public so they can be tested on their own).
 * Upright = stored image rotated clockwise by rotation_deg (0/90/180/270), then mirrored
 * left-right if hflip, top-bottom if vflip; the same reading FFmpeg 5.1's ffmpeg tool applies.
 * `m` is the 3x3 display matrix (16.16 fixed point, row-major, as in AV_PKT_DATA_DISPLAYMATRIX);
 * NULL gives 0/0/0. Returns the rotation in degrees when it is not a multiple of 90 (then
 * ignored: the frames are taken as stored), NaN otherwise. */
double video_orientation_from_matrix(const int32_t m[9], int *rotation_deg, int *hflip,
                                     int *vflip);
/* Copy a w x h RGB24 image into dst upright (dst is h x w when rotation_deg is 90 or 270). */
void video_orient_rgb(const uint8_t *src, int src_stride, int w, int h, int rotation_deg,
                      int hflip, int vflip, uint8_t *dst, int dst_stride);

struct video_writer_params {
    int width_px;
    int height_px;
    double fps;
    int rotation_deg;   /* display-matrix metadata to store (0, 90, 180, 270); pixels untouched */
    const char *codec;  /* "h264", "mpeg4", "gif" or NULL: h264 (libx264) if available, else mpeg4 */
    int crf;            /* quality for libx264 (0: default 23) */
    int bitrate_kbps;   /* for mpeg4 (0: default) */
    int faststart;      /* MP4: moov atom first so browsers can play while loading */
    const char *preset; /* libx264's speed preset ("ultrafast" .. "veryslow"; default
                           "veryfast"); the encoder runs on one thread whatever it is */
    int fast_rgb;       /* 1: the RGB-to-YUV conversion in half the time, as close to the
                           image (the overlay); 0 (default): the one test clips are made with */
};
/* Defaults: 30 fps, codec NULL (libx264 "veryfast" if present, else mpeg4), crf 23, faststart on,
 * rotation 0; keyframe every 2 s. Rotation metadata survives in MP4/MOV only (FFmpeg 5.1's
 * Matroska muxer drops it). GIF ("gif", path *.gif) uses the 3-3-2 RGB8 palette, 1/100 s ticks. */
struct video_writer_params video_default_writer_params(void);

struct video_writer;

enum hc_status video_writer_open(const char *path, const struct video_writer_params *p,
                                 struct video_writer **out);
/* t_s < 0: the frame follows the previous one at 1/fps; otherwise its presentation time (for
 * variable-frame-rate test clips), which must increase. */
enum hc_status video_writer_write_rgb(struct video_writer *w, const uint8_t *rgb, int stride,
                                      double t_s);
/* video_writer_write_rgb in two halves, for a caller that draws on one thread while another
 * encodes (src/pipeline/pass_render.c): video_writer_convert_rgb checks the frame's time and
 * converts the image into the writer's picture `slot` (0 .. VIDEO_WRITER_SLOTS - 1) in the
 * encoder's pixel format; video_writer_encode_slot encodes that picture and writes its packets.
 * Each half is called from one thread (they share only the pictures), the pictures handed between
 * them through a queue of the caller's, and encoded in the order they were converted; a slot is
 * converted again only once it is encoded. The file is then video_writer_write_rgb's, bit for
 * bit. Close after both threads are done with the writer. */
#define VIDEO_WRITER_SLOTS 4
enum hc_status video_writer_convert_rgb(struct video_writer *w, int slot, const uint8_t *rgb,
                                        int stride, double t_s);
enum hc_status video_writer_encode_slot(struct video_writer *w, int slot);
/* Flushes the encoder, writes the trailer and frees the writer (NULL-safe). A failure here means
 * the file is incomplete. */
enum hc_status video_writer_close(struct video_writer *w);

/* Encodes an RGB24 image as a baseline JPEG (libavcodec's mjpeg encoder; JFIF, 4:2:0) for
 * embedding in reports. quality 1..100 (90 = visually lossless for thumbnails). *out is malloc'd
 * (the caller frees it) and *out_len its size. HC_ERR_INVALID_ARG, HC_ERR_NOMEM,
 * HC_ERR_UNSUPPORTED (no mjpeg encoder in this FFmpeg build). */
enum hc_status video_encode_jpeg(const uint8_t *rgb, int width_px, int height_px, int stride,
                                 int quality, uint8_t **out, size_t *out_len);

#endif /* HC_VIDEO_H */
