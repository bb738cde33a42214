/*
 * pipeline.h - the pipeline room's internals (src/pipeline): the driver (pipeline.c), one file
 * per pass over the video (pass_pose.c, pass_mask.c), the ring of frames between a decoder
 * thread and its consumer (frame_ring.c), batch (batch.c) and the public API of an analysis
 * (analysis.c, analysis_visual.c). The only module of the library that owns threads, rings and
 * decoders; the others work on what it hands them. Model: FFmpeg's fftools scheduler, one owner
 * of the threads and queues, kept small.
 */
#ifndef HC_PIPELINE_H
#define HC_PIPELINE_H

#include "implement/implement.h"
#include "kin/kin.h"
#include "pose/pose_tracker.h"
#include "report/report.h"
#include "reps/reps.h"
#include "reps/reps_lifts.h"
#include "rules/rules.h"
#include "track/track.h"
#include "video/video.h"

#include <pthread.h>

/* Where a pose pass's time went (for the benchmark: on a machine shared with other work the wall
 * clock says little, the threads' CPU times and waits say which stage bounds the run). */
struct pass_pose_stats {
    int concurrent;         /* the arrangement used: 1 decoder thread + tracker, 0 one thread */
    int split;              /* 1: the clip was tracked as two halves (pass_pose.c) */
    double second_cpu_s;    /* CPU time of the second half's thread (0: none of its own) */
    int n_slots;            /* frame buffers in the ring (concurrent) */
    int64_t n_decoded;      /* frames decoded (analysed ones: the summary's n_frames) */
    double decoder_cpu_s;   /* CPU time of the decoder thread (concurrent; 0 when sequential) */
    double tracker_cpu_s;   /* CPU time of the calling thread during the run (inference; two
                               halves: the first, or both when they ran one after the other) */
    double wait_frame_s;    /* the calling thread waited for a decoded frame: decode-bound */
    double wait_space_s;    /* the decoder thread waited for a free slot: inference-bound */
    double implement_cpu_s; /* CPU time of the implement detector (part of tracker_cpu_s) */
};

/* ---- the result of an analysis (struct hc_analysis of hingecheck.h) ------------------------- */

struct hc_analysis {
    struct report_input in;
    char *path, *source;           /* shown name; a video: the file decoded, a track: its video */
    char model[32];
    char reason[384];              /* why status is not HC_OK; a damaged clip adds its count */
    struct hc_pose_frame *frames;
    size_t n_frames, cap_frames;
    struct rules_set *rs;          /* kept: findings borrow their message/fix/source strings */
    struct kin_series *ks;
    struct reps_result *rr;
    struct rules_result *res;
    double elapsed_s;
    int (*on_frame)(int64_t, int64_t, void *); /* hc_analysis_params.on_frame, during the run */
    void *on_frame_user;
    hc_progress_fn progress;       /* hc_analysis_params.progress, during the run */
    void *progress_user;
    double progress_t0;            /* the current stage's start (analysis_progress) */
    int64_t progress_total;        /* frames the pose stage expects (0: not known) */
    /* person masks for the spine (pass_mask.c): the clip's pose parameters during a video
     * run without no_spine_masks (NULL otherwise), and what the second look did */
    const struct hc_pose_clip_params *mask_clip;
    int64_t n_mask_wanted, n_masked, n_mask_tracked;
    int n_mask_stretches;
    double mask_s;
    struct pass_pose_stats pose_stats; /* where the pose pass's time went (the benchmark) */
    int implement;                 /* enum kin_implement from hc_analysis_params.implement */
    /* the implement found in the image by the pose pass (videos; has_image 0 for tracks) */
    int has_image;
    struct implement_verdict image;
    double plate_cm;               /* hc_analysis_params.plate_cm (the detector's plate_cm) */
    /* per pose frame (videos; NULL for tracks): the outline of the implement the clip verdict
     * names, for kin_params.implement_frames (analysis_implement_params) */
    struct kin_implement_frame *imp_frames;
    size_t n_imp_frames;
    /* per pose frame (n_imp_raw == n_frames), what the detector found: written into an
     * analysis' track (hc_analysis_write_track) and read back from one; NULL otherwise */
    struct implement_frame *imp_raw;
    size_t n_imp_raw;
    /* per pose frame, the spine read from the person mask (NaN where none): from the mask pass,
     * or from a track an analysis wrote (spine_given: used instead of the pass); NULL: none */
    struct kin_spine_sample *spine;
    int spine_given;
    int rotation_deg;              /* the clip's display rotation, for the track's header */
    int64_t n_frames_estimate;     /* the clip's frame count estimate, likewise */
    struct report_implement imp;   /* what the reports say of it (in.implement points here) */
    struct hc_damage damage;       /* what the decoder skipped (videos; in.damage points here) */
    char imp_evidence[512];
    /* two cameras (pair.c): the front clip's analysis joined to this side clip's, and what the
     * pairing found (in.pair points here); NULL / zero for one clip */
    struct hc_analysis *front;
    struct report_pair pair;
};


/* Tells a->progress (when set) how far `stage` has come: n_done of n_total frames, timed from
 * a->progress_t0 (set it when the stage starts). */
void analysis_progress(const struct hc_analysis *a, const char *stage, int64_t n_done,
                       int64_t n_total);

/* hc_analyse_file with the pose pass on the calling thread alone when one_thread (pass_pose_run):
 * batch workers that each own a core ask for it, so N workers keep N busy threads. */
enum hc_status analysis_file_mode(const char *video_path, const struct hc_analysis_params *p,
                                  int one_thread, struct hc_analysis **out);
/* The analysis of a track of poses (hc_analyse_track): the stages after the pose pass. */
enum hc_status analysis_track(const struct hc_track *t, const char *name,
                              const struct hc_analysis_params *p, struct hc_analysis **out);

/* The implement (analysis_implement.c): kin's implement parameters from --implement and the
 * image verdict (a->has_image, a->image); after the kinematics, what the reports say of the
 * implement chosen (a->imp, pointed at by a->in.implement). */
void analysis_implement_params(const struct hc_analysis *a, struct kin_params *kp);
void analysis_implement_report(struct hc_analysis *a, const struct kin_params *kp);
/* The per-frame outlines kin reads (kin_params.implement_frames) from the detector's frames and
 * the clip's verdict: one entry per frame in *out (calloc'd; NULL when the verdict names no
 * implement kin has an outline for). HC_ERR_NOMEM. */
enum hc_status analysis_outlines(const struct implement_verdict *v,
                                 const struct implement_frame *f, size_t n,
                                 struct kin_implement_frame **out);
/* A track read with an analysis' measurements (t->extra): the implement's frames, its verdict
 * and outlines (a->has_image), and the mask spine samples (a->spine_given), as the analysis
 * that wrote it had them. a->frames must hold the track's frames. HC_ERR_NOMEM. */
enum hc_status analysis_from_track_extra(struct hc_analysis *a, const struct hc_track *t);

/* ---- a ring of decoded frames between a decoder thread and the thread that uses them ---------
 *
 * A bounded queue of frame buffers, each decoded into straight (video_decoder_next_into: no copy),
 * with one producer thread (decoding) and one consumer (tracking); memory stays flat with clip
 * length. The pose pass and the mask pass both run on it (frame_ring.c).
 *
 *     frame_ring_init(&r, n_slots);
 *     // producer thread:
 *     while ((s = frame_ring_acquire(&r)) != NULL) {       // NULL: the consumer stopped
 *         if ((st = frame_ring_decode(s, dec)) != HC_OK) break;
 *         frame_ring_publish(&r);                         // or not: the slot is used again
 *     }
 *     frame_ring_finish(&r, s ? st : HC_ERR_EMPTY);
 *     // consumer:
 *     while ((s = frame_ring_peek(&r)) != NULL) { ...s->vf...; frame_ring_release(&r); }
 *     st = frame_ring_end_status(&r);                     // the producer's status and message
 *     // on an error of its own the consumer calls frame_ring_stop; then join, frame_ring_destroy
 */
#define FRAME_RING_MAX_SLOTS 8
struct frame_ring_slot {
    uint8_t *rgb; /* the slot's buffer (grown on demand, freed by frame_ring_destroy) */
    size_t cap;
    struct video_frame vf; /* the frame decoded into rgb */
    size_t note[2];        /* the producer's notes for the consumer (mask pass: frame, stretch) */
};
struct frame_ring {
    pthread_mutex_t mu;
    pthread_cond_t cv_frame; /* a frame was published, or the producer finished */
    pthread_cond_t cv_space; /* a slot was released, or stop was set */
    struct frame_ring_slot slots[FRAME_RING_MAX_SLOTS];
    int n_slots, head, count;
    int stop;     /* the consumer gave up: acquire returns NULL */
    int finished; /* the producer is done; end_st / end_msg say why */
    enum hc_status end_st;
    char end_msg[512];
    /* figures for the benchmark and the info log: the producer's CPU time (at finish) and waits
     * for a free slot, the consumer's waits for a frame */
    double producer_cpu_s, wait_space_s, wait_frame_s;
};
/* n_slots in [1, FRAME_RING_MAX_SLOTS]. HC_ERR_INTERNAL when a mutex or condition variable cannot
 * be made (nothing to undo). */
enum hc_status frame_ring_init(struct frame_ring *r, int n_slots);
/* Frees the slots' buffers and the synchronisation (the producer thread joined). */
void frame_ring_destroy(struct frame_ring *r);
/* Producer: the free slot after the queued ones, once there is one (it stays the producer's
 * until published); NULL once the consumer has stopped. */
struct frame_ring_slot *frame_ring_acquire(struct frame_ring *r);
/* Producer: decodes dec's next frame into the slot's buffer (grown to video_decoder_frame_bytes
 * on first use). Statuses of video_decoder_next; HC_ERR_NOMEM. */
enum hc_status frame_ring_decode(struct frame_ring_slot *s, struct video_decoder *dec);
/* Producer: hands the acquired slot to the consumer. */
void frame_ring_publish(struct frame_ring *r);
/* Producer, last: its end status (HC_OK, HC_ERR_EMPTY at the clip's end, or an error whose
 * message is this thread's hc_last_error) and its CPU time. */
void frame_ring_finish(struct frame_ring *r, enum hc_status st);
/* Consumer: the oldest published slot not yet released, waiting for it; NULL when the producer
 * has finished without one. */
struct frame_ring_slot *frame_ring_peek(struct frame_ring *r);
/* Consumer: frees the oldest slot. */
void frame_ring_release(struct frame_ring *r);
/* Consumer, after peek returned NULL: the producer's end status, with its message set again on
 * this thread (hc_last_error is per thread). */
enum hc_status frame_ring_end_status(const struct frame_ring *r);
/* Consumer: gives up (an error of its own); a producer waiting for a slot wakes with NULL. */
void frame_ring_stop(struct frame_ring *r);

/* ---- the pose pass (pass_pose.c): the whole clip through the tracker ------------------------ */

/* hc_pose_run_file with the room's choice of arrangement: one_thread = 0 (the default) runs a
 * decoder thread beside the tracking with one inference thread, and decodes then tracks on the
 * calling thread with two or more; one_thread = 1 always decodes then tracks on the calling
 * thread (batch workers, one per core). Same results either way. `stats` may be NULL.
 * image (may be NULL): the implement found in the image (src/implement): a detector made for
 * the clip (plate_cm from image->plate_cm) is fed every analysed frame, on the tracking thread
 * right after its pose; its verdict and, per frame handed to fn, the outline of the kind the
 * verdict names are written there (verdict.kind IMPLEMENT_UNKNOWN and no frames when the pass
 * failed). The caller frees image->frames and image->raw. */
struct pass_pose_image {
    double plate_cm;                    /* in: the plates' diameter, cm (0: the default 45) */
    struct implement_verdict verdict;   /* out */
    struct kin_implement_frame *frames; /* out: n_frames entries, in the order fn saw them */
    size_t n_frames;
    struct implement_frame *raw;        /* out: the detector's finding per frame (n_raw) */
    size_t n_raw;
};
enum hc_status pass_pose_run(const char *path, const struct hc_pose_clip_params *p,
                             hc_pose_frame_fn fn, void *user, struct hc_pose_clip_summary *summary,
                             int one_thread, struct pass_pose_stats *stats,
                             struct pass_pose_image *image);
/* Is g the same lifter as f, as tracked: both with a pose, mid-hip and mid-shoulder within frac of
 * f's trunk (hip-shoulder) length? The pose pass's halves and the mask pass check with it. */
int pass_pose_same_lifter(const struct hc_pose_frame *f, const struct hc_pose_frame *g,
                          double frac);
/* Where the pose pass cuts a clip with these facts into two halves tracked apart (the second
 * half's first frame is the first at or after it), or 0 when it tracks it as one stretch. */
double pass_pose_split_point(const struct hc_video_info *info,
                             const struct hc_pose_clip_params *p);

/* ---- the mask pass (pass_mask.c): spine masks at the frames the rules read ------------------ */

/* Plans the frames from the first segmentation (ks0 without masks, its reps rr), tracks them again
 * with masks and fills *out with one spine sample per frame of ks0 (NaN where none), or leaves it
 * NULL when the clip gets none (side views only; no reps; a->mask_clip NULL: masks turned off). */
enum hc_status pass_mask_run(struct hc_analysis *a, const struct kin_series *ks0,
                             const struct reps_result *rr, struct kin_spine_sample **out);

/* ---- the render pass (the overlay video and the HTML thumbnails) belongs here too ---------- */

#endif /* HC_PIPELINE_H */
