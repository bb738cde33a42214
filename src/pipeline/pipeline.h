/*
 * pipeline.h - the pipeline room's internals: the only module that owns threads, rings of frames
 * and decoders; every pass over the video runs here (the pose pass, the spine masks' pass).
 */
#ifndef HC_PIPELINE_H
#define HC_PIPELINE_H

#include "pose/pose_tracker.h"
#include "video/video.h"

#include <pthread.h>

/* ---- a ring of decoded frames between a decoder thread and the thread that uses them ---------
 *
 * A bounded queue of frame buffers, each decoded into straight (video_decoder_next_into: no copy),
 * with one producer thread (decoding) and one consumer (tracking); memory stays flat with clip
 * length. pose_run.c's first look and analysis.c's spine masks' second look both run on it.
 *
 *     video_ring_init(&r, n_slots, -1);
 *     // producer thread:
 *     while ((s = video_ring_acquire(&r)) != NULL) {       // NULL: the consumer stopped
 *         if ((st = video_ring_decode(s, dec)) != HC_OK) break;
 *         video_ring_publish(&r);                         // or not: the slot is used again
 *     }
 *     video_ring_finish(&r, s ? st : HC_ERR_EMPTY);
 *     // consumer:
 *     while ((s = video_ring_peek(&r, 0, NULL)) != NULL) { ...s->vf...; video_ring_release(&r); }
 *     st = video_ring_end_status(&r);                     // the producer's status and message
 *     // on an error of its own the consumer calls video_ring_stop; then join, video_ring_destroy
 */
#define VIDEO_RING_MAX_SLOTS 8
struct video_ring_slot {
    uint8_t *rgb; /* the slot's buffer (grown on demand, freed by video_ring_destroy) */
    size_t cap;
    struct video_frame vf; /* the frame decoded into rgb */
    size_t note[2];        /* the producer's notes for the consumer (analysis.c: frame, stretch) */
};
struct video_ring {
    pthread_mutex_t mu;
    pthread_cond_t cv_frame; /* a frame was published, or the producer finished */
    pthread_cond_t cv_space; /* a slot was released, or stop was set */
    struct video_ring_slot slots[VIDEO_RING_MAX_SLOTS];
    int n_slots, head, count;
    int park_low_water; /* >= 0: a producer that found the ring full sleeps until the consumer has
                         * drained it to this many frames (pose_run.c's alternating
                         * arrangement); -1: it wakes at every free slot */
    int parked;
    int stop;     /* the consumer gave up: acquire returns NULL */
    int finished; /* the producer is done; end_st / end_msg say why */
    enum hc_status end_st;
    char end_msg[512];
    /* figures for the benchmark and the info log: the producer's CPU time (at finish) and waits
     * for a free slot, the consumer's waits for a frame */
    double producer_cpu_s, wait_space_s, wait_frame_s;
};
/* n_slots in [1, VIDEO_RING_MAX_SLOTS]. HC_ERR_INTERNAL when a mutex or condition variable cannot
 * be made (nothing to undo). */
enum hc_status video_ring_init(struct video_ring *r, int n_slots, int park_low_water);
/* Frees the slots' buffers and the synchronisation (the producer thread joined). */
void video_ring_destroy(struct video_ring *r);
/* Producer: the free slot after the queued ones, once there is one (it stays the producer's
 * until published); NULL once the consumer has stopped. */
struct video_ring_slot *video_ring_acquire(struct video_ring *r);
/* Producer: decodes dec's next frame into the slot's buffer (grown to video_decoder_frame_bytes
 * on first use). Statuses of video_decoder_next; HC_ERR_NOMEM. */
enum hc_status video_ring_decode(struct video_ring_slot *s, struct video_decoder *dec);
/* Producer: hands the acquired slot to the consumer. */
void video_ring_publish(struct video_ring *r);
/* Producer, last: its end status (HC_OK, HC_ERR_EMPTY at the clip's end, or an error whose
 * message is this thread's hc_last_error) and its CPU time. */
void video_ring_finish(struct video_ring *r, enum hc_status st);
/* Consumer: the k-th published slot not yet released (k = 0: the oldest), waiting for it; NULL
 * when the producer has finished without it. *producer_idle (may be NULL): the producer is
 * parked or finished, so the other core is free. */
struct video_ring_slot *video_ring_peek(struct video_ring *r, int k, int *producer_idle);
/* Consumer: frees the oldest slot. */
void video_ring_release(struct video_ring *r);
/* Consumer, after peek returned NULL with nothing left to release: the producer's end status,
 * with its message set again on this thread (hc_last_error is per thread). */
enum hc_status video_ring_end_status(const struct video_ring *r);
/* Consumer: gives up (an error of its own); a producer waiting for a slot wakes with NULL. */
void video_ring_stop(struct video_ring *r);

/* How hc_pose_run_file arranges decoding and tracking (pose_run.c says why). AUTO: CONCURRENT
 * with one inference thread, SEQUENTIAL with more. ALTERNATE (n_threads > 1): a decoder thread
 * that parks when the ring is full; the models run on n_threads while it is parked, on one thread
 * while it decodes. The results are the same in these four. PIPELINED (opt-in; one-thread sessions
 * whatever n_threads): two worker threads beside the decoder thread take alternate frames, and
 * frame n tracks from the ROI of frame n-2 (pose_job above): deterministic, but not the same bits
 * as the others. */
enum pose_run_mode {
    POSE_RUN_AUTO,
    POSE_RUN_SEQUENTIAL,
    POSE_RUN_CONCURRENT,
    POSE_RUN_ALTERNATE,
    POSE_RUN_PIPELINED
};
/* Where a run's time went (for the benchmark: on a machine shared with other work the wall
 * clock says little, the threads' CPU times and waits say which stage bounds the run). */
struct pose_run_stats {
    int concurrent;         /* the arrangement used: 1 concurrent, 0 sequential */
    int n_workers;          /* inference threads beside the calling one (pipelined: 2; else 0) */
    int n_slots;            /* frame buffers in the ring (concurrent) */
    int64_t n_decoded;      /* frames decoded (analysed ones: the summary's n_frames) */
    double decoder_cpu_s;   /* CPU time of the decoder thread (concurrent; 0 when sequential) */
    double tracker_cpu_s;   /* CPU time of the calling thread during the run (inference) */
    double worker_cpu_s[POSE_MAX_WORKERS]; /* CPU time of each worker thread (pipelined) */
    double wait_frame_s;    /* the calling thread waited for a decoded frame: decode-bound */
    double wait_space_s;    /* the decoder thread waited for a free slot: inference-bound */
};
/* hc_pose_run_file with the arrangement chosen (tests and the benchmark compare them); `stats`
 * may be NULL. */
enum hc_status pose_run_file_mode(const char *path, const struct hc_pose_clip_params *p,
                                  hc_pose_frame_fn fn, void *user,
                                  struct hc_pose_clip_summary *summary, enum pose_run_mode mode,
                                  struct pose_run_stats *stats);

#endif /* HC_PIPELINE_H */
