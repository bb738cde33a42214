/*
 * pose_tracker.h - internal extras of the tracker (public API: hc_pose_tracker_* in hingecheck.h)
 * for the benchmark and the analysis driver.
 *
 *     struct pose_timing tm;
 *     pose_tracker_timing(tracker, &tm);   // cumulative seconds per stage since creation
 */
#ifndef HC_POSE_TRACKER_H
#define HC_POSE_TRACKER_H

#include "pose/pose.h"

/* Cumulative wall time per stage (seconds) and counts since the tracker was created. */
struct pose_timing {
    double detect_s;    /* letterbox warp + detector model + decoding + NMS */
    double warp_s;      /* ROI warp into the landmark tensor */
    double landmark_s;  /* landmark model */
    double post_s;      /* decoding, heatmap refinement, projection, smoothing, mask */
    int64_t n_frames, n_detect, n_landmark;
};

void pose_tracker_timing(const struct hc_pose_tracker *t, struct pose_timing *out);
/* Forget the ROI, the filters and the lifter (a new clip). */
void pose_tracker_reset(struct hc_pose_tracker *t);
/* one != 0: run the next frames' models on one thread instead of hc_pose_params.n_threads
 * (sessions made on first use; same results); 0: back to n_threads. No-op with one thread. */
enum hc_status pose_tracker_set_one_thread(struct hc_pose_tracker *t, int one);

/* How hc_pose_run_file arranges decoding and tracking (pose_run.c says why). AUTO: CONCURRENT
 * with one inference thread, SEQUENTIAL with more. ALTERNATE (n_threads > 1): a decoder thread
 * that parks when the ring is full; the models run on n_threads while it is parked, on one thread
 * while it decodes. The results are the same in every mode. */
enum pose_run_mode { POSE_RUN_AUTO, POSE_RUN_SEQUENTIAL, POSE_RUN_CONCURRENT, POSE_RUN_ALTERNATE };
/* Where a run's time went (for the benchmark: on a machine shared with other work the wall
 * clock says little, the threads' CPU times and waits say which stage bounds the run). */
struct pose_run_stats {
    int concurrent;         /* the arrangement used: 1 concurrent, 0 sequential */
    int n_slots;            /* frame buffers in the ring (concurrent) */
    int64_t n_decoded;      /* frames decoded (analysed ones: the summary's n_frames) */
    double decoder_cpu_s;   /* CPU time of the decoder thread (concurrent; 0 when sequential) */
    double tracker_cpu_s;   /* CPU time of the calling thread during the run (inference) */
    double wait_frame_s;    /* the calling thread waited for a decoded frame: decode-bound */
    double wait_space_s;    /* the decoder thread waited for a free slot: inference-bound */
};
/* hc_pose_run_file with the arrangement chosen (tests and the benchmark compare them); `stats`
 * may be NULL. */
enum hc_status pose_run_file_mode(const char *path, const struct hc_pose_clip_params *p,
                                  hc_pose_frame_fn fn, void *user,
                                  struct hc_pose_clip_summary *summary, enum pose_run_mode mode,
                                  struct pose_run_stats *stats);

#endif /* HC_POSE_TRACKER_H */
