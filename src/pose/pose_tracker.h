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

/* ---- one frame in two halves (the pipelined arrangement of pose_run.c) ----------------------
 *
 *     struct pose_job j;
 *     pose_tracker_begin(t, rgb, w, h, stride, t_s, index, want_mask, lag, &j); // ROI, lifter
 *     pose_tracker_run_job(t, worker, &j);    // the models: any thread, one job per worker
 *     pose_tracker_end(t, &j, &frame);        // smoothing, next ROI: in frame order
 *
 * hc_pose_tracker_process is exactly these three on worker 0. begin copies what the frame's
 * models need from the state the frames ended so far left (the ROI to track, or none: detect;
 * where the lifter was); end applies the result to that state. So a frame begun before the
 * previous frame has ended tracks from the ROI of the frame before that: the results depend on
 * how many frames are in flight, never on which finishes first. */
#define POSE_MAX_WORKERS 2
struct pose_job {
    /* in (pose_tracker_begin) */
    const uint8_t *rgb; /* borrowed until pose_tracker_run_job returns */
    int width_px, height_px, stride;
    double t_s;
    int64_t index;
    int want_mask;
    int64_t n_ended;      /* frames the tracker had ended at begin */
    int have_roi;
    struct pose_rect roi; /* landmark ROI (tracked, or detected by run_job) */
    int locked;
    float lifter_x, lifter_y, lifter_size_px;
    /* out (pose_tracker_run_job) */
    int worker;           /* whose buffers and sessions ran it */
    enum hc_status st;
    char err[512];        /* hc_last_error of the thread that ran the job */
    int found;            /* a pose: lm and world hold it, unsmoothed */
    struct pose_lm lm[POSE_LM_N_ALL];
    float world[POSE_LM_N_POSE][3];
    const float *mask;    /* the worker's buffer (want_mask and a pose): until its next job */
    const float *mask_lazy; /* POSE_MASK_LAZY: the worker's mask tensor, not warped */
    double mask_inv[6];     /* ... and the map of frame pixels into it (cv_warp_float's m) */
};
/* want_mask = POSE_MASK_LAZY: the frame's mask stays the model's 256 x 256 tensor (after the
 * sigmoid) with the map that would warp it into the frame (pose_tracker_mask_lazy), instead of a
 * frame-sized warp (8 MB at 1080p, about 5 ms): for a reader of a few pixels (the spine, through
 * kin_mask.warp and cv_warp_float_at, which gives the warp's pixels bit for bit). */
#define POSE_MASK_LAZY 2
const float *pose_tracker_mask_lazy(const struct hc_pose_tracker *t, int *src_w, int *src_h,
                                    double inv[6]);
/* Worker 0 always exists; pose_tracker_add_workers makes the others (one thread each, worker 0
 * moves to its one-thread sessions), with their mask sessions when want_mask (sessions are never
 * made on a worker thread). */
enum hc_status pose_tracker_add_workers(struct hc_pose_tracker *t, int want_mask);
/* lag: frames begun and not ended yet (0 or 1); with 1 the ROI is moved on by the lifter's
 * velocity over the last two ended frames, to where the frame in flight will about have it. */
void pose_tracker_begin(const struct hc_pose_tracker *t, const uint8_t *rgb, int width_px,
                        int height_px, int stride, double t_s, int64_t index, int want_mask,
                        int lag, struct pose_job *j);
/* Reads only the tracker's immutable parts and the worker's own buffers: two workers may run at
 * once, beside pose_tracker_begin/end on another thread. */
void pose_tracker_run_job(const struct hc_pose_tracker *t, int worker, struct pose_job *j);
/* Fills *out (smoothed) and moves the tracker's state on; returns the job's error (with its
 * message) if it had one. hc_pose_tracker_mask then gives the job's mask. A job tracked from a
 * stale ROI (frames ended since it began) that found no pose runs again on this thread (with
 * its worker's sessions) from the state now, as the sequential tracker would have run it. */
enum hc_status pose_tracker_end(struct hc_pose_tracker *t, struct pose_job *j,
                                struct hc_pose_frame *out);

#endif /* HC_POSE_TRACKER_H */
