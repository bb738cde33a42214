/* pose_run.c - a whole clip through the tracker: decode, track, hand each frame to the caller,
 * and say what went wrong with the clip as a whole (no person, short clip, damaged stream).
 *
 * Four arrangements of the same work (pose_tracker.h, enum pose_run_mode), same results, and a
 * fifth with nearly the same:
 *
 * - concurrent (default with one inference thread): a decoder thread decodes and converts
 *   straight into a small ring of frame buffers (no copy); the calling thread tracks each frame
 *   and calls fn, in order. Decode (about 5 ms per 1080p frame) and inference (about 9 ms with the full model)
 *   then run on one core each, and the clip costs max(decode, inference) per frame instead of
 *   their sum. ../shared/PERF-NOTES.md measured that a decoder thread and a single-threaded
 *   inference thread do not slow each other (14.41 vs 14.47 ms). Never more than two busy
 *   threads, so it also holds up on a machine shared with other work: measured at load 6-7 on 2
 *   cores, the full model ran at 0.9-1.8x real time this way and at 0.1-0.2x with two XNNPACK
 *   threads (bench/run-bench-pipeline.sh; one 2-thread inference took up to 1 s).
 * - sequential (default with two or more inference threads): decode then track on the calling
 *   thread. Two XNNPACK threads beside a busy decoder thread on 2 cores made one inference take
 *   over a second (PERF-NOTES, "oversubscription is fatal": pthreadpool's workers meet at a
 *   barrier after every operator, and a preempted one stalls the others), so with --threads 2
 *   nothing runs beside the inference. On a quiet machine (load 3) it ran at 2.6-2.7x real time,
 *   against an estimated 2.9-3.0x for the concurrent arrangement.
 * - alternate (opt-in, n_threads > 1; not the default yet): the decoder thread parks when the
 *   ring is full and sleeps until the tracker has drained it; the models run on n_threads while
 *   it sleeps and on one thread while it decodes, so both cores stay busy without a third busy
 *   thread. Measured on 10 s of 1080p30 (full model, load ~3, interleaved runs): 3.1x real time
 *   when the machine was quiet against 2.8-2.9x sequential and 2.8x concurrent, but 0.5-1.4x
 *   when other work took a core (sequential 2-thread: 0.14x; concurrent: 2.3x at worst), and
 *   180 MB peak RSS (6 slots, a second set of sessions). Two obstacles: XNNPACK's pool workers
 *   spin for several ms after each run (4-14 ms of CPU in the 100 ms after a 2-thread
 *   inference), stealing the decoder's core at every switch (src/nn now creates its multi-thread
 *   runtimes with XNN_FLAG_YIELD_WORKERS; measured again at load ~2 it changed nothing clear:
 *   3.2x either way, and one collapse to 1.4x with it); and any 2-thread inference collapses on
 *   a loaded machine as above.
 * - pipelined (opt-in, POSE_RUN_PIPELINED; HINGECHECK_POSE_RUN=pipelined for the runs that leave
 *   the choice to the library): the decoder thread and two worker threads, each with its own
 *   one-thread sessions of the shared models, taking alternate frames; this thread begins each
 *   frame's job once the frame two before it has ended (so it tracks from that frame's ROI,
 *   moved on by the lifter's velocity), ends the jobs in frame order (smoothing, next ROI) and
 *   calls fn. One-thread XNNPACK runtimes meet at no barrier, so three busy threads on 2 cores
 *   only share them. Deterministic (the results depend on the fixed depth of two, never on which
 *   worker finishes first; tests/test_pose_pipeline.c stalls the caller and compares bits), but
 *   not the same bits as the other three. Measured (bench_pipeline, full model, 34 s of
 *   1080p30, interleaved runs, load 1.4-1.6 from other work): 3.70-3.72x real time against
 *   3.00-3.14x concurrent (1.2x), wall/floor 0.72; CPU per frame decoder 4.7 + inference 11.2
 *   ms, an idle-machine estimate of 4.2x (concurrent: 3.1x); peak RSS 185 MB (a second set of
 *   sessions, 5 ring slots) vs 138, flat on a 4x longer clip; lite 6.3x and heavy 1.4x
 *   estimated (heavy: 244 MB peak RSS, over issue 6's 200). With 4 ring slots and at load ~2 it
 *   fell to 2.2-2.4x when other work took a core. Landmarks: within issue 4's bar against MediaPipe
 *   on every shared clip (test_pose_fidelity), but 1.2-2.7x further from it than the default
 *   (median 0.03-0.25% of the frame height vs 0.01-0.20%), and the analysis of 8 of the 9 shared
 *   clips changes (findings near their thresholds; one clip 2 reps instead of 1:
 *   bench/run-pipelined-check.sh). So not the default.
 *
 * The ring (video.h, video_ring; the spine masks' second look in src/analysis.c runs on it too)
 * holds decoded frames, never more: memory stays flat with clip length. Errors travel both
 * ways: the decoder's end status (with its message: hc_last_error is per thread) reaches the
 * caller once the frames before it are tracked; an error of the tracker or of fn stops the ring,
 * which wakes the decoder thread out of its wait for a free slot, and it is joined before
 * returning (at most one frame's decode later). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/pipeline.h"

#include "video/video.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A clip shorter than this cannot hold a whole hinge rep (the fastest, a kettlebell swing, takes
 * about 1 s): still tracked, with a warning (issue 4, "bad input"). */
#define SHORT_CLIP_S 1.0

/* Frames in flight between the decoder and the tracker: one being tracked, one being decoded,
 * and spare ones to absorb the jitter of a shared machine (a detection frame costs twice a
 * tracking frame). More slots only cost memory: the slower stage sets the pace. */
#define RING_MAX_SLOTS 4
/* The alternating arrangement (below) drains the ring on two threads before the decoder wakes:
 * more slots make fewer switches between the two session sets. */
#define RING_MAX_SLOTS_ALT 6
#define RING_SLOTS_CAP 6
/* ... and wakes the decoder when this many frames are left, so that it stays ahead of the
 * one-thread inference (decode ~5 ms < inference ~9 ms per 1080p frame, PERF-NOTES). */
#define ALT_LOW_WATER 1
/* ... but the ring stays under this many bytes (4 slots of 1080p RGB24 are 25 MB; a 4K clip gets
 * 2 slots), for the 200 MB peak-RSS target of issue 6. */
#define RING_MAX_BYTES ((size_t)32 << 20)

struct hc_pose_clip_params hc_pose_clip_default_params(void)
{
    struct hc_pose_clip_params p;
    memset(&p, 0, sizeof p);
    p.pose = hc_pose_default_params();
    return p;
}

/* ---- frame selection (max_fps) -------------------------------------------------------------- */

struct frame_select {
    double min_gap_s; /* 1 / max_fps; 0 keeps every frame */
    double slack_s;   /* half the clip's frame interval: timestamps jitter by less */
    double next_t_s;
    int started;
};

static void frame_select_init(struct frame_select *s, double max_fps, double clip_fps)
{
    memset(s, 0, sizeof *s);
    if (max_fps > 0.0) {
        s->min_gap_s = 1.0 / max_fps;
        s->slack_s = clip_fps > 0.0 ? 0.5 / clip_fps : 0.0;
    }
}

/* Keep a frame when at least 1 / max_fps has passed since the last kept one (less half a frame
 * of the clip, so a 29.97 fps clip under max_fps 30 keeps every frame and a 60 fps one every
 * other frame). */
static int frame_select_keep(struct frame_select *s, double t_s)
{
    if (s->min_gap_s <= 0.0)
        return 1;
    if (s->started && t_s < s->next_t_s - s->slack_s)
        return 0;
    s->started = 1;
    s->next_t_s = t_s + s->min_gap_s;
    return 1;
}

/* ---- the decoder thread, on a ring of frames (video.h, video_ring) ------------------------- */

struct decoder_thread {
    struct video_ring ring;
    struct video_decoder *dec;
    struct frame_select sel;
    int64_t n_decoded; /* written by the decoder thread, read after the join */
    pthread_t thread;
};

/* A frame left out by max_fps is decoded into its slot too, and the slot is used again. */
static void *decoder_main(void *arg)
{
    struct decoder_thread *d = arg;
    enum hc_status st = HC_ERR_EMPTY; /* the consumer stopped */
    struct video_ring_slot *s;
    while ((s = video_ring_acquire(&d->ring)) != NULL) {
        if ((st = video_ring_decode(s, d->dec)) != HC_OK)
            break;
        d->n_decoded++;
        if (frame_select_keep(&d->sel, s->vf.t_s))
            video_ring_publish(&d->ring);
    }
    video_ring_finish(&d->ring, st);
    return NULL;
}

/* ---- the run -------------------------------------------------------------------------------- */

struct run_state {
    const char *path;
    const struct hc_pose_clip_params *p;
    const struct hc_video_info *info;
    struct pose_run_stats *stats;
    struct hc_pose_tracker *tr;
    hc_pose_frame_fn fn;
    void *user;
    int64_t n, n_pose;
    double last_t;
};

/* Tracks one frame and hands it to fn. */
static enum hc_status track_one(struct run_state *rs, const uint8_t *rgb, int w, int h, int stride,
                                double t_s, int64_t index, struct hc_pose_frame *pf)
{
    enum hc_status st = hc_pose_tracker_process(rs->tr, rgb, w, h, stride, t_s, index,
                                                rs->p->mask_every_frame, pf);
    if (st != HC_OK)
        return st;
    rs->n++;
    rs->n_pose += pf->has_pose;
    rs->last_t = t_s;
    return HC_OK;
}

static enum hc_status deliver(struct run_state *rs, const struct hc_pose_frame *pf)
{
    if (!rs->fn)
        return HC_OK;
    const float *mask = rs->p->mask_every_frame ? hc_pose_tracker_mask(rs->tr, NULL, NULL) : NULL;
    return rs->fn(rs->info, pf, mask, rs->user);
}

static enum hc_status run_sequential(struct run_state *rs, struct video_decoder *dec)
{
    struct frame_select sel;
    frame_select_init(&sel, rs->p->max_fps, rs->info->fps);
    struct video_frame vf;
    struct hc_pose_frame pf;
    enum hc_status st;
    while ((st = video_decoder_next(dec, &vf)) == HC_OK) {
        rs->stats->n_decoded++;
        if (!frame_select_keep(&sel, vf.t_s))
            continue;
        if ((st = track_one(rs, vf.rgb, vf.width_px, vf.height_px, vf.stride, vf.t_s, vf.index,
                            &pf)) != HC_OK ||
            (st = deliver(rs, &pf)) != HC_OK)
            return st;
    }
    return st;
}

/* Starts the decoder thread on a ring of n_slots (fewer for large frames, never under
 * min_slots). HC_ERR_EMPTY: no thread to be had (a process at its limit): nothing to undo. */
static enum hc_status decoder_start(struct decoder_thread *d, struct run_state *rs,
                                    struct video_decoder *dec, int n_slots, int min_slots,
                                    int alternate)
{
    const size_t frame_bytes = (size_t)rs->info->width_px * (size_t)rs->info->height_px * 3;
    while (n_slots > min_slots && (size_t)n_slots * frame_bytes > RING_MAX_BYTES)
        n_slots--;
    enum hc_status st = video_ring_init(&d->ring, n_slots, alternate ? ALT_LOW_WATER : -1);
    if (st != HC_OK)
        return st;
    d->dec = dec;
    d->n_decoded = 0;
    frame_select_init(&d->sel, rs->p->max_fps, rs->info->fps);
    if (pthread_create(&d->thread, NULL, decoder_main, d) != 0) {
        video_ring_destroy(&d->ring);
        return HC_ERR_EMPTY;
    }
    return HC_OK;
}

/* Stops and joins the decoder thread (it may be waiting for a slot), keeps its figures in
 * rs->stats, frees the ring. */
static void decoder_finish(struct decoder_thread *d, struct run_state *rs)
{
    video_ring_stop(&d->ring);
    pthread_join(d->thread, NULL);
    rs->stats->concurrent = 1;
    rs->stats->n_slots = d->ring.n_slots;
    rs->stats->n_decoded = d->n_decoded;
    rs->stats->decoder_cpu_s = d->ring.producer_cpu_s;
    rs->stats->wait_space_s = d->ring.wait_space_s;
    rs->stats->wait_frame_s = d->ring.wait_frame_s;
    video_ring_destroy(&d->ring);
}

static enum hc_status run_concurrent(struct run_state *rs, struct video_decoder *dec,
                                     int alternate)
{
    struct decoder_thread d;
    alternate = alternate && rs->p->pose.n_threads > 1;
    enum hc_status st = decoder_start(&d, rs, dec, alternate ? RING_MAX_SLOTS_ALT : RING_MAX_SLOTS,
                                      2, alternate);
    if (st == HC_ERR_EMPTY)
        return run_sequential(rs, dec); /* no thread: the same work without one */
    if (st != HC_OK)
        return st;
    struct hc_pose_frame pf;
    for (;;) {
        /* Alternating: two inference threads only while the decoder sleeps (parked or done);
         * only this thread wakes it, after the frame. */
        int idle = 0;
        const struct video_ring_slot *s = video_ring_peek(&d.ring, 0, &idle);
        if (!s) {
            /* The decoder ended and every frame before its end is tracked. */
            st = video_ring_end_status(&d.ring);
            break;
        }
        if (alternate && (st = pose_tracker_set_one_thread(rs->tr, !idle)) != HC_OK)
            break;
        st = track_one(rs, s->vf.rgb, s->vf.width_px, s->vf.height_px, s->vf.stride, s->vf.t_s,
                       s->vf.index, &pf);
        /* The slot is free once tracked: fn sees only landmarks. */
        video_ring_release(&d.ring);
        if (st != HC_OK || (st = deliver(rs, &pf)) != HC_OK)
            break;
    }
    decoder_finish(&d, rs);
    return st;
}

/* ---- the pipelined arrangement: two workers on alternate frames ---------------------------- */

/* Frames in flight at the workers: frame n begins (ROI, detect-or-track) once frame n - 2 has
 * ended, so it tracks from that frame's ROI (pose_tracker.h, struct pose_job). Fixed, whatever
 * the timing: the results depend on it. */
#define PIPE_DEPTH POSE_MAX_WORKERS

struct pipe_worker {
    pthread_t thread;
    struct pose_job job;
    int queued; /* job is waiting for this worker */
    int done;   /* job has run; the caller reads it */
    double cpu_s;
};

struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv_job;  /* a job was queued, or quit was set */
    pthread_cond_t cv_done; /* a job has run */
    const struct hc_pose_tracker *tr;
    struct pipe_worker w[PIPE_DEPTH];
    int quit;
};

struct pipe_arg {
    struct pipeline *pl;
    int i;
};

static void *pipe_worker_main(void *arg)
{
    const struct pipe_arg *a = arg;
    struct pipeline *pl = a->pl;
    struct pipe_worker *w = &pl->w[a->i];
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (!w->queued && !pl->quit)
            pthread_cond_wait(&pl->cv_job, &pl->mu);
        if (pl->quit)
            break;
        w->queued = 0;
        pthread_mutex_unlock(&pl->mu);
        /* Only this thread touches the job (and worker a->i's buffers) until done is set. */
        pose_tracker_run_job(pl->tr, a->i, &w->job);
        pthread_mutex_lock(&pl->mu);
        w->done = 1;
        pthread_cond_broadcast(&pl->cv_done);
    }
    pthread_mutex_unlock(&pl->mu);
    w->cpu_s = hc_thread_cpu_s();
    return NULL;
}

/* Decoder thread -> ring -> two worker threads on alternate frames (each running the models on
 * one thread) -> this thread, which begins each frame's job, ends the jobs in frame order
 * (smoothing, next ROI) and calls fn. Single-threaded XNNPACK runtimes meet at no barrier, so
 * three busy threads on two cores only share them, unlike two-thread pools (PERF-NOTES). */
static enum hc_status run_pipelined(struct run_state *rs, struct video_decoder *dec)
{
    enum hc_status st = pose_tracker_add_workers(rs->tr, rs->p->mask_every_frame);
    if (st != HC_OK)
        return st;
    struct pipeline pl;
    memset(&pl, 0, sizeof pl);
    pl.tr = rs->tr;
    if (pthread_mutex_init(&pl.mu, NULL) != 0)
        return hc_fail(HC_ERR_INTERNAL, "pose: cannot create a mutex");
    if (pthread_cond_init(&pl.cv_job, NULL) != 0) {
        pthread_mutex_destroy(&pl.mu);
        return hc_fail(HC_ERR_INTERNAL, "pose: cannot create a condition variable");
    }
    if (pthread_cond_init(&pl.cv_done, NULL) != 0) {
        pthread_cond_destroy(&pl.cv_job);
        pthread_mutex_destroy(&pl.mu);
        return hc_fail(HC_ERR_INTERNAL, "pose: cannot create a condition variable");
    }
    struct pipe_arg args[PIPE_DEPTH];
    int n_started = 0;
    for (; n_started < PIPE_DEPTH; n_started++) {
        args[n_started].pl = &pl;
        args[n_started].i = n_started;
        if (pthread_create(&pl.w[n_started].thread, NULL, pipe_worker_main, &args[n_started]) != 0)
            break;
    }
    struct decoder_thread d;
    int have_ring = 0;
    if (n_started < PIPE_DEPTH) {
        st = hc_fail(HC_ERR_INTERNAL, "pose: cannot start the pipeline's worker threads");
        goto out;
    }
    /* PIPE_DEPTH frames in flight, one being decoded, and as many spare as RING_MAX_BYTES
     * allows (5 slots at 1080p): with 4, the workers waited for frames for 23 of 40 s at load 2
     * (three busy threads time-share the cores and the decoder falls behind in bursts); with 5,
     * 0.3 of 9 s. */
    st = decoder_start(&d, rs, dec, RING_SLOTS_CAP, PIPE_DEPTH + 1, 0);
    if (st == HC_ERR_EMPTY)
        st = hc_fail(HC_ERR_INTERNAL, "pose: cannot start the decoder thread");
    if (st != HC_OK)
        goto out;
    have_ring = 1;
    int64_t n_begun = 0, n_ended = 0;
    struct hc_pose_frame pf;
    for (;;) {
        /* Begin frames up to PIPE_DEPTH in flight: the one at ring position head + in_flight. */
        int in_flight = (int)(n_begun - n_ended), ended = 0;
        while (in_flight < PIPE_DEPTH) {
            const struct video_ring_slot *s = video_ring_peek(&d.ring, in_flight, NULL);
            if (!s) {
                if (in_flight == 0) /* every frame before the decoder's end has ended */
                    st = video_ring_end_status(&d.ring);
                ended = in_flight == 0;
                break;
            }
            /* The slot stays the workers' until its frame has ended (head moves past it). */
            struct pipe_worker *w = &pl.w[n_begun % PIPE_DEPTH];
            pose_tracker_begin(rs->tr, s->vf.rgb, s->vf.width_px, s->vf.height_px, s->vf.stride,
                               s->vf.t_s, s->vf.index, rs->p->mask_every_frame, in_flight,
                               &w->job);
            pthread_mutex_lock(&pl.mu);
            w->queued = 1;
            w->done = 0;
            pthread_cond_broadcast(&pl.cv_job);
            pthread_mutex_unlock(&pl.mu);
            n_begun++;
            in_flight++;
        }
        if (ended)
            break;
        /* End the oldest frame in flight. */
        struct pipe_worker *w = &pl.w[n_ended % PIPE_DEPTH];
        pthread_mutex_lock(&pl.mu);
        while (!w->done)
            pthread_cond_wait(&pl.cv_done, &pl.mu);
        pthread_mutex_unlock(&pl.mu);
        st = pose_tracker_end(rs->tr, &w->job, &pf);
        n_ended++;
        video_ring_release(&d.ring);
        if (st != HC_OK)
            break;
        rs->n++;
        rs->n_pose += pf.has_pose;
        rs->last_t = pf.t_s;
        /* Before the worker's next job: the mask fn may see is that worker's buffer. */
        if ((st = deliver(rs, &pf)) != HC_OK)
            break;
    }
out:
    pthread_mutex_lock(&pl.mu);
    pl.quit = 1; /* a worker still running a job finishes it first: joined before the ring goes */
    pthread_cond_broadcast(&pl.cv_job);
    pthread_mutex_unlock(&pl.mu);
    for (int i = 0; i < n_started; i++) {
        pthread_join(pl.w[i].thread, NULL);
        rs->stats->worker_cpu_s[i] = pl.w[i].cpu_s;
    }
    rs->stats->n_workers = n_started;
    if (have_ring)
        decoder_finish(&d, rs);
    pthread_cond_destroy(&pl.cv_done);
    pthread_cond_destroy(&pl.cv_job);
    pthread_mutex_destroy(&pl.mu);
    return st;
}

/* HINGECHECK_POSE_RUN=sequential|concurrent|alternate|pipelined picks the arrangement of runs
 * that leave it to the library (hc_pose_run_file, hc_analyse_file): a knob for comparing them
 * on whole analyses and test suites (bench/), not a user setting. */
static enum pose_run_mode mode_from_env(enum pose_run_mode mode)
{
    static const char *const names[] = {"auto", "sequential", "concurrent", "alternate",
                                        "pipelined"};
    const char *e = getenv("HINGECHECK_POSE_RUN");
    for (int i = 0; e && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(e, names[i]) == 0)
            return (enum pose_run_mode)i;
    return mode;
}

enum hc_status pose_run_file_mode(const char *path, const struct hc_pose_clip_params *p,
                                  hc_pose_frame_fn fn, void *user,
                                  struct hc_pose_clip_summary *summary, enum pose_run_mode mode,
                                  struct pose_run_stats *stats)
{
    struct pose_run_stats unused;
    if (!stats)
        stats = &unused;
    memset(stats, 0, sizeof *stats);
    const struct hc_pose_clip_params def = hc_pose_clip_default_params();
    if (!p)
        p = &def;
    if (summary)
        memset(summary, 0, sizeof *summary);
    if (!path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_pose_run_file: no path");
    if (!(p->max_fps >= 0.0))
        return hc_fail(HC_ERR_INVALID_ARG, "hc_pose_run_file: max_fps must be 0 (every frame) "
                       "or positive");
    struct video_open_params vp = video_default_open_params();
    vp.start_s = p->start_s;
    vp.end_s = p->end_s;
    /* One decoder thread: in the concurrent arrangement the other core runs the inference; in
     * the sequential one libavcodec's frame threads would decode ahead beside the inference
     * threads (PERF-NOTES, "never run more busy threads than cores"). */
    vp.n_threads = 1;
    struct video_decoder *dec = NULL;
    struct hc_pose_tracker *tr = NULL;
    enum hc_status st = video_decoder_open(path, &vp, &dec);
    if (st != HC_OK)
        return st;
    const struct hc_video_info *info = video_decoder_info(dec);
    if ((st = hc_pose_tracker_create(&p->pose, &tr)) != HC_OK)
        goto done;
    struct run_state rs = {path, p, info, stats, tr, fn, user, 0, 0, 0.0};
    if (mode == POSE_RUN_AUTO)
        mode = mode_from_env(mode);
    if (mode == POSE_RUN_AUTO)
        mode = p->pose.n_threads > 1 ? POSE_RUN_SEQUENTIAL : POSE_RUN_CONCURRENT;
    const double cpu0 = hc_thread_cpu_s();
    st = mode == POSE_RUN_SEQUENTIAL  ? run_sequential(&rs, dec)
         : mode == POSE_RUN_PIPELINED ? run_pipelined(&rs, dec)
                                      : run_concurrent(&rs, dec, mode == POSE_RUN_ALTERNATE);
    stats->tracker_cpu_s = hc_thread_cpu_s() - cpu0;
    if (st != HC_ERR_EMPTY)
        goto done;
    st = HC_OK;
    const int64_t n = rs.n, n_pose = rs.n_pose;
    if (n == 0) {
        st = hc_fail(HC_ERR_EMPTY, "%s: no frame could be decoded%s; check the file plays in a "
                     "video player", path, p->start_s > 0 ? " after --start" : "");
        goto done;
    }
    const double span = info->fps > 0 ? rs.last_t + 1.0 / info->fps : rs.last_t;
    if (n_pose == 0)
        hc_log(HC_LOG_WARN, "%s: no person found in any of the %lld frames; film the whole "
               "body from the side", path, (long long)n);
    else if (n_pose < n)
        hc_log(HC_LOG_INFO, "%s: no lifter in %lld of %lld frames", path,
               (long long)(n - n_pose), (long long)n);
    if (span < SHORT_CLIP_S)
        hc_log(HC_LOG_WARN, "%s: the clip is only %.2f s (%lld frame%s) long; a rep needs more",
               path, span, (long long)n, n == 1 ? "" : "s");
    if (summary) {
        summary->n_frames = n;
        summary->n_with_pose = n_pose;
    }
done:
    if (summary && info) {
        summary->info = *info;
        summary->damaged = video_decoder_damaged(dec);
    }
    hc_pose_tracker_free(tr);
    video_decoder_free(dec);
    return st;
}

enum hc_status hc_pose_run_file(const char *path, const struct hc_pose_clip_params *p,
                                hc_pose_frame_fn fn, void *user,
                                struct hc_pose_clip_summary *summary)
{
    return pose_run_file_mode(path, p, fn, user, summary, POSE_RUN_AUTO, NULL);
}
