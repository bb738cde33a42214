/* bench_floor.h - the two halves of a clip's speed floor, shared by the benchmarks that compare a
 * run with it (bench_pipeline.c, bench_whole.c): decoding the clip alone and the bare landmark
 * model. floor = decode + model x frames analysed. */
#ifndef HC_BENCH_FLOOR_H
#define HC_BENCH_FLOOR_H

#include "hingecheck.h"

#include <stdint.h>

/* Decodes `clip` (up to end_s; 0: the whole clip) alone, 1 decoder thread, RGB24 (what the
 * pipeline does): *s_out its wall time, *n_out the frames, *fps the stream's rate. 0, or 1 with
 * the reason printed. */
int bench_floor_decode(const char *clip, double end_s, double *s_out, int64_t *n_out,
                       double *fps);
/* The bare landmark model, pruned to landmarks + flag + world (no heatmap, no segmentation), on
 * `threads` threads: *ms the median of 50 runs after 10 warm-ups. 0, or 1 with the reason
 * printed. */
int bench_floor_model(enum hc_pose_model model, int threads, double *ms);

#endif /* HC_BENCH_FLOOR_H */
