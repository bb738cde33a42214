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

/* Writes one frame line; returns 0, or -1 when the stream failed. */
int track_write_frame(FILE *f, const struct hc_pose_frame *fr);
/* Writes the header line; returns 0 or -1. */
int track_write_header(FILE *f, const struct hc_track_header *h);

#endif /* HC_TRACK_TRACK_H */
