/*
 * fuzz_track.c - libFuzzer target for the track JSONL reader: track_read_stream on arbitrary
 * bytes (read through fmemopen, as from a file) must return a status, never crash, leak, read out
 * of bounds or hit undefined behaviour; a track it accepts has increasing frame numbers and
 * finite landmarks, and compares with itself. Build notes: tests/fuzz/CMakeLists.txt.
 */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include "track/track.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0; /* fmemopen refuses an empty buffer */
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    struct hc_track *t = NULL;
    if (track_read_stream(f, "fuzz.jsonl", &t) == HC_OK) {
        for (int64_t i = 0; i < t->n_frames; i++) {
            const struct hc_pose_frame *fr = &t->frames[i];
            if ((i > 0 && fr->index <= fr[-1].index) || !isfinite(fr->t_s))
                abort();
            for (int k = 0; fr->has_pose && k < HC_N_LANDMARKS; k++)
                if (!isfinite(fr->lm[k].x_px) || !isfinite(fr->lm[k].visibility))
                    abort();
        }
        if (t->has_header && t->header.height_px > 0) {
            struct hc_track_diff d;
            (void)hc_track_compare(t, t, 0.5, &d);
        }
    }
    hc_track_free(t);
    fclose(f);
    return 0;
}
