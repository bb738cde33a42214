/*
 * pose_tracker.h - internal extras of the tracker (public API: hc_pose_tracker_* in hingecheck.h)
 * for the benchmark and the pipeline room (src/pipeline), which hands it the frames.
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

/* want_mask = POSE_MASK_LAZY (hc_pose_tracker_process): the frame's mask stays the model's
 * 256 x 256 tensor (after the sigmoid) with the map that would warp it into the frame
 * (pose_tracker_mask_lazy), instead of a frame-sized warp (8 MB at 1080p, about 5 ms): for a
 * reader of a few pixels (the spine, through kin_mask.warp and cv_warp_float_at, which gives the
 * warp's pixels bit for bit). */
#define POSE_MASK_LAZY 2
const float *pose_tracker_mask_lazy(const struct hc_pose_tracker *t, int *src_w, int *src_h,
                                    double inv[6]);

#endif /* HC_POSE_TRACKER_H */
