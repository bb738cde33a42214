/*
 * track.h - reading and writing track JSONL files (docs/TRACK.md). The public functions
 * (hc_track_writer_*, hc_track_read, hc_track_compare) are the HC_SHARED_TRACK blocks of
 * include/hingecheck.h, included here through their generated copy (src/core/core.h says why);
 * below are the internal helpers.
 *
 *     track_write_frame(stdout, &frame);   // one line, newline included
 */
#ifndef HC_TRACK_TRACK_H
#define HC_TRACK_TRACK_H

#include "core/core.h"
#include "track/hc_public_track.h"

#include <stdio.h>

/* Format version written in the header ("hingecheck_track": 1). */
#define TRACK_FORMAT_VERSION 1

/* Limits of the reader (docs/TRACK.md, "Limits"): a line holds at most this many bytes (a frame
 * line is about 2.5 KB, so 64 KiB leaves room for any writer's number format); a track holds at
 * most this many frames (an hour at 60 fps, far beyond a set; ~1 KB of memory each); the header's
 * frame size and rate stay within the video decoder's limits. Beyond them: HC_ERR_TOO_LARGE or
 * HC_ERR_FORMAT, never a huge allocation. */
#define TRACK_MAX_LINE_BYTES 65536
#define TRACK_MAX_FRAMES 216000
#define TRACK_MAX_DIM_PX 8192
#define TRACK_MAX_FPS 1000.0

/* Reads a track from an open stream; `name` is the file name for messages. No .meta.json lookup
 * (hc_track_read does that). The fuzz target reads memory through it. */
enum hc_status track_read_stream(FILE *f, const char *name, struct hc_track **out);

/* Writes one frame line; returns 0, or -1 when the stream failed. */
int track_write_frame(FILE *f, const struct hc_pose_frame *fr);
/* The same with an analysis' measurements on the frame (x may be NULL); exact: every number
 * written so that reading it back gives the same float or double (9 and 17 significant digits),
 * for a track `hingecheck score` re-judges as the analysis judged it. */
int track_write_frame_extra(FILE *f, const struct hc_pose_frame *fr,
                            const struct hc_track_extra *x, int exact);
/* Writes the header line; returns 0 or -1. */
int track_write_header(FILE *f, const struct hc_track_header *h);

#endif /* HC_TRACK_TRACK_H */
