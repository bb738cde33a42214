/* pass_pose.c - the pose pass: the whole clip through the tracker (decode, track, hand each frame
 * to the caller) and what went wrong with the clip as a whole (no person, short clip, damaged
 * stream). Two arrangements of the same work, same results (docs/PERFORMANCE.md has the
 * measurements):
 *
 * - concurrent (one inference thread, the default): a decoder thread decodes straight into a
 *   small ring of frame buffers (frame_ring.c) while the calling thread tracks each frame and
 *   calls fn, in order: a clip costs max(decode, inference) per frame instead of their sum.
 * - sequential (two or more inference threads, or a batch worker): decode then track on the
 *   calling thread, because two XNNPACK threads beside a busy decoder on 2 cores stall.
 *
 * When asked, the implement detector (src/implement) sees each analysed frame on the tracking
 * thread right after its pose, while the frame is still in its slot (about 2 ms a frame).
 *
 * The ring holds decoded frames, never more: memory stays flat with clip length. An error of the
 * tracker or of fn stops the ring and the decoder thread is joined before returning; the
 * decoder's end status and message reach the caller after the frames before it. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/pipeline.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A clip shorter than this cannot hold a whole hinge rep (the fastest, a kettlebell swing, takes
 * about 1 s): still tracked, with a warning. */
#define SHORT_CLIP_S 1.0

/* Frames in flight between the decoder and the tracker: one being tracked, one being decoded,
 * and spare ones to absorb the jitter of a shared machine (a detection frame costs twice a
 * tracking frame). More slots only cost memory: the slower stage sets the pace. */
#define RING_MAX_SLOTS 4
/* ... but the ring stays under this many bytes (4 slots of 1080p RGB24 are 25 MB; a 4K clip gets
 * 2 slots), for a 200 MB peak RSS. */
#define RING_MAX_BYTES ((size_t)32 << 20)

/* Two halves (run_split below): frames compared at most at the junction. */
#define SPLIT_OVERLAP_MAX 64

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

/* ---- the decoder thread, on a ring of frames (frame_ring.c) -------------------------------- */

struct decoder_thread {
    struct frame_ring ring;
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
    struct frame_ring_slot *s;
    while ((s = frame_ring_acquire(&d->ring)) != NULL) {
        if ((st = frame_ring_decode(s, d->dec)) != HC_OK)
            break;
        d->n_decoded++;
        if (frame_select_keep(&d->sel, s->vf.t_s))
            frame_ring_publish(&d->ring);
    }
    frame_ring_finish(&d->ring, st);
    return NULL;
}

/* ---- the run -------------------------------------------------------------------------------- */

struct run_state {
    const char *path;
    const struct hc_pose_clip_params *p;
    const struct hc_video_info *info;
    struct pass_pose_stats *stats;
    struct hc_pose_tracker *tr;
    struct implement_detector *imp; /* NULL: no implement search */
    hc_pose_frame_fn fn;
    void *user;
    int64_t n, n_pose;
    double last_t;
    struct frame_select sel;  /* the sequential arrangement's frame selection */
    struct video_frame held;  /* run_sequential stopped at this frame (have_held): decoded, not */
    int have_held;            /* tracked, still in the decoder's buffer */
    double t_overlap;         /* > 0: the frames tracked from this time on are kept in overlap */
    struct hc_pose_frame *overlap; /* (n_overlap of SPLIT_OVERLAP_MAX, run_split's) */
    int n_overlap;
};

/* Tracks one frame (deliver hands it to fn). */
static enum hc_status track_one(struct run_state *rs, const uint8_t *rgb, int w, int h, int stride,
                                double t_s, int64_t index, struct hc_pose_frame *pf)
{
    enum hc_status st = hc_pose_tracker_process(rs->tr, rgb, w, h, stride, t_s, index,
                                                rs->p->mask_every_frame, pf);
    if (st != HC_OK)
        return st;
    if (rs->imp) {
        const double c0 = hc_thread_cpu_s();
        st = implement_detector_feed(rs->imp, rgb, w, h, stride, pf, NULL);
        rs->stats->implement_cpu_s += hc_thread_cpu_s() - c0;
        if (st != HC_OK)
            return st;
    }
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

/* Decodes and tracks on the calling thread to the clip's end (HC_ERR_EMPTY), or, with t_stop > 0,
 * up to the first frame at or after t_stop: HC_OK with that frame held in rs->held, where the
 * next call goes on from; t_stop < 0 tracks the held frame alone (HC_OK). */
static enum hc_status run_sequential(struct run_state *rs, struct video_decoder *dec, double t_stop)
{
    struct video_frame vf;
    struct hc_pose_frame pf;
    enum hc_status st = HC_OK;
    for (;;) {
        if (rs->have_held) {
            vf = rs->held;
            rs->have_held = 0;
        } else if (t_stop < 0.0) {
            return HC_OK;
        } else if ((st = video_decoder_next(dec, &vf)) != HC_OK) {
            break;
        }
        if (t_stop > 0.0 && vf.t_s >= t_stop) {
            rs->held = vf;
            rs->have_held = 1;
            return HC_OK;
        }
        rs->stats->n_decoded++;
        if (!frame_select_keep(&rs->sel, vf.t_s))
            continue;
        if ((st = track_one(rs, vf.rgb, vf.width_px, vf.height_px, vf.stride, vf.t_s, vf.index,
                            &pf)) != HC_OK)
            return st;
        if (rs->t_overlap > 0.0 && pf.t_s >= rs->t_overlap && rs->n_overlap < SPLIT_OVERLAP_MAX)
            rs->overlap[rs->n_overlap++] = pf;
        if ((st = deliver(rs, &pf)) != HC_OK)
            return st;
    }
    return st;
}

/* Starts the decoder thread on a ring of RING_MAX_SLOTS (fewer for large frames, never under 2).
 * HC_ERR_EMPTY: no thread to be had (a process at its limit): nothing to undo. */
static enum hc_status decoder_start(struct decoder_thread *d, struct run_state *rs,
                                    struct video_decoder *dec)
{
    const size_t frame_bytes = (size_t)rs->info->width_px * (size_t)rs->info->height_px * 3;
    int n_slots = RING_MAX_SLOTS;
    while (n_slots > 2 && (size_t)n_slots * frame_bytes > RING_MAX_BYTES)
        n_slots--;
    enum hc_status st = frame_ring_init(&d->ring, n_slots);
    if (st != HC_OK)
        return st;
    d->dec = dec;
    d->n_decoded = 0;
    d->sel = rs->sel; /* a continuation keeps the frames selected so far in step */
    if (pthread_create(&d->thread, NULL, decoder_main, d) != 0) {
        frame_ring_destroy(&d->ring);
        return HC_ERR_EMPTY;
    }
    return HC_OK;
}

/* Stops and joins the decoder thread (it may be waiting for a slot), keeps its figures in
 * rs->stats, frees the ring. */
static void decoder_finish(struct decoder_thread *d, struct run_state *rs)
{
    frame_ring_stop(&d->ring);
    pthread_join(d->thread, NULL);
    rs->stats->concurrent = 1;
    rs->stats->n_slots = d->ring.n_slots;
    rs->stats->n_decoded += d->n_decoded;
    rs->stats->decoder_cpu_s = d->ring.producer_cpu_s;
    rs->stats->wait_space_s = d->ring.wait_space_s;
    rs->stats->wait_frame_s = d->ring.wait_frame_s;
    frame_ring_destroy(&d->ring);
}

static enum hc_status run_concurrent(struct run_state *rs, struct video_decoder *dec)
{
    struct decoder_thread d;
    enum hc_status st = decoder_start(&d, rs, dec);
    if (st == HC_ERR_EMPTY)
        return run_sequential(rs, dec, 0.0); /* no thread: the same work without one */
    if (st != HC_OK)
        return st;
    struct hc_pose_frame pf;
    for (;;) {
        const struct frame_ring_slot *s = frame_ring_peek(&d.ring);
        if (!s) {
            /* The decoder ended and every frame before its end is tracked. */
            st = frame_ring_end_status(&d.ring);
            break;
        }
        st = track_one(rs, s->vf.rgb, s->vf.width_px, s->vf.height_px, s->vf.stride, s->vf.t_s,
                       s->vf.index, &pf);
        /* The slot is free once tracked: fn sees only landmarks. */
        frame_ring_release(&d.ring);
        if (st != HC_OK || (st = deliver(rs, &pf)) != HC_OK)
            break;
    }
    decoder_finish(&d, rs);
    return st;
}

/* ---- a clip in two halves ----------------------------------------------------------------------
 *
 * Tracking is sequential (each frame's region of interest comes from the last frame's landmarks),
 * so one tracker keeps one core busy. Asked for (hc_pose_clip_params.two_halves: not the default,
 * docs/PERFORMANCE.md says why), a clip at least SPLIT_MIN_S long is cut in time into two
 * halves, each with its own decoder, tracker (the models shared, read-only) and implement
 * detector: the first half on the calling thread, the second on a thread of its own (one busy
 * thread per core: each half decodes and tracks on its thread), or after the first on the
 * calling thread in the sequential arrangement (batch workers, --threads 2), so the result is
 * the same however it is run. The second half starts SPLIT_RUNUP_S before its share (the decoder
 * seeks to the keyframe before that) and throws those frames away: its tracker has found the
 * lifter, its region of interest and landmark filters have settled by the junction. The split
 * point depends on the clip's duration and the range asked for, never on timing.
 *
 * A tracker started again on the same pixels does not come back bit for bit (the region of
 * interest follows the landmarks, which follow the region), and one started where several people
 * are in view may follow someone else or settle on another reading of a hidden limb. So the last
 * SPLIT_CHECK_S of the run-up, which the first half tracks too, is compared: the second half is
 * used only when, on every frame of it, both found the lifter or neither did, and every body
 * landmark seen by both (shoulders to feet) agrees within SPLIT_AGREE_FRAC of the trunk.
 *
 * When they disagree, or the second half's decoder skipped damaged data, saw its first frame
 * elsewhere than the first half's junction frame, or failed, its frames are dropped and the
 * first half goes on alone to the end (the one-stretch result); likewise when the first half saw
 * damage, so a damaged clip's counts come from one decoder that read it all. Project choices:
 * 4 s (a shorter clip saves under a second), a 1 s run-up, 0.2 s compared, a twentieth of the
 * trunk (a few pixels on a phone clip: about what the landmarks move between two frames of a
 * still lifter). */
#define SPLIT_MIN_S 4.0
#define SPLIT_RUNUP_S 1.0
#define SPLIT_CHECK_S 0.2
#define SPLIT_AGREE_FRAC 0.05

struct second_half {
    const char *path;
    const struct hc_pose_clip_params *p;
    double t_split, t_start;     /* its share starts at t_split; its frames at t_start */
    double t_check;              /* its frames from here to t_split are kept in check[] */
    struct hc_pose_frame check[SPLIT_OVERLAP_MAX];
    int n_check;
    const struct implement_params *ip; /* NULL: no implement search */
    struct hc_pose_frame *frames; /* its share's frames, tracked (n of cap) */
    size_t n, cap;
    int have_first;
    double t_first;              /* the first frame at or after t_split: time, decoder number */
    int64_t index_first;
    int64_t n_decoded;           /* frames decoded from t_split on */
    int64_t n_fed;               /* frames fed to imp ... */
    int64_t imp_first;           /* ... before its share's first */
    struct implement_detector *imp;
    enum hc_status st;           /* HC_ERR_EMPTY: tracked to the end */
    int damaged;
    double cpu_s;                /* its thread's CPU time (when on a thread of its own) */
    atomic_int stop;             /* the first half does not need it any more */
};

static enum hc_status second_half_keep(struct second_half *h, const struct hc_pose_frame *pf)
{
    if (h->n == h->cap) {
        const size_t nc = h->cap ? h->cap * 2 : 256;
        struct hc_pose_frame *nf = realloc(h->frames, nc * sizeof *nf);
        if (!nf)
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory keeping %zu frames of poses", h->path,
                           h->n);
        h->frames = nf;
        h->cap = nc;
    }
    h->frames[h->n++] = *pf;
    return HC_OK;
}

static enum hc_status second_half_track(struct second_half *h)
{
    struct video_open_params vp = video_default_open_params();
    vp.start_s = h->t_start;
    vp.end_s = h->p->end_s;
    vp.n_threads = 1;
    struct video_decoder *dec = NULL;
    struct hc_pose_tracker *tr = NULL;
    enum hc_status st = video_decoder_open(h->path, &vp, &dec);
    if (st != HC_OK)
        return st;
    if ((st = hc_pose_tracker_create(&h->p->pose, &tr)) != HC_OK ||
        (h->ip && (st = implement_detector_create(h->ip, &h->imp)) != HC_OK))
        goto done;
    struct frame_select sel;
    frame_select_init(&sel, h->p->max_fps, video_decoder_info(dec)->fps);
    struct video_frame vf;
    struct hc_pose_frame pf;
    while ((st = video_decoder_next(dec, &vf)) == HC_OK) {
        if (atomic_load(&h->stop)) {
            st = HC_ERR_CANCELLED;
            break;
        }
        const int share = vf.t_s >= h->t_split;
        if (share && !h->have_first) {
            h->have_first = 1;
            h->t_first = vf.t_s;
            h->index_first = vf.index;
            h->imp_first = h->n_fed;
        }
        h->n_decoded += share;
        if (!frame_select_keep(&sel, vf.t_s))
            continue;
        if ((st = hc_pose_tracker_process(tr, vf.rgb, vf.width_px, vf.height_px, vf.stride,
                                          vf.t_s, vf.index, 0, &pf)) != HC_OK)
            break;
        if (h->imp) {
            if ((st = implement_detector_feed(h->imp, vf.rgb, vf.width_px, vf.height_px,
                                              vf.stride, &pf, NULL)) != HC_OK)
                break;
            h->n_fed++;
        }
        if (share && (st = second_half_keep(h, &pf)) != HC_OK)
            break;
        if (!share && pf.t_s >= h->t_check && h->n_check < SPLIT_OVERLAP_MAX)
            h->check[h->n_check++] = pf;
    }
    h->damaged = video_decoder_damaged(dec);
done:
    hc_pose_tracker_free(tr);
    video_decoder_free(dec);
    return st;
}

static void *second_half_main(void *arg)
{
    struct second_half *h = arg;
    const double c0 = hc_thread_cpu_s();
    h->st = second_half_track(h);
    h->cpu_s = hc_thread_cpu_s() - c0;
    return NULL;
}

/* Past the middle of the analysed range by half the run-up, so both halves track about as many
 * frames. */
double pass_pose_split_point(const struct hc_video_info *info, const struct hc_pose_clip_params *p)
{
    if (!p->two_halves || p->mask_every_frame || !(info->duration_s > 0.0))
        return 0.0;
    const double t0 = p->start_s > 0.0 ? p->start_s : 0.0;
    const double t1 = p->end_s > 0.0 && p->end_s < info->duration_s ? p->end_s : info->duration_s;
    if (!(t1 - t0 >= SPLIT_MIN_S))
        return 0.0;
    return 0.5 * (t0 + t1 + SPLIT_RUNUP_S);
}

/* Hands the second half's frames to fn after the first half's, numbered on from the first
 * half's junction frame, and its implement findings to the first half's detector. HC_ERR_EMPTY
 * (the clip's end) or fn's error. */
static enum hc_status second_half_deliver(struct run_state *rs, const struct second_half *h)
{
    const int64_t shift = rs->held.index - h->index_first;
    rs->have_held = 0;
    rs->stats->n_decoded += h->n_decoded;
    enum hc_status st;
    if (rs->imp && (st = implement_detector_append(rs->imp, h->imp, h->imp_first, shift)) != HC_OK)
        return st;
    for (size_t i = 0; i < h->n; i++) {
        struct hc_pose_frame pf = h->frames[i];
        pf.index += shift;
        rs->n++;
        rs->n_pose += pf.has_pose;
        rs->last_t = pf.t_s;
        if ((st = deliver(rs, &pf)) != HC_OK)
            return st;
    }
    return HC_ERR_EMPTY;
}

int pass_pose_same_lifter(const struct hc_pose_frame *f, const struct hc_pose_frame *g,
                          double frac)
{
    if (!f->has_pose || !g->has_pose)
        return 0;
    const struct hc_landmark *a = f->lm, *b = g->lm;
    const double fhx = 0.5 * ((double)a[HC_LM_LEFT_HIP].x_px + a[HC_LM_RIGHT_HIP].x_px);
    const double fhy = 0.5 * ((double)a[HC_LM_LEFT_HIP].y_px + a[HC_LM_RIGHT_HIP].y_px);
    const double fsx = 0.5 * ((double)a[HC_LM_LEFT_SHOULDER].x_px + a[HC_LM_RIGHT_SHOULDER].x_px);
    const double fsy = 0.5 * ((double)a[HC_LM_LEFT_SHOULDER].y_px + a[HC_LM_RIGHT_SHOULDER].y_px);
    const double ghx = 0.5 * ((double)b[HC_LM_LEFT_HIP].x_px + b[HC_LM_RIGHT_HIP].x_px);
    const double ghy = 0.5 * ((double)b[HC_LM_LEFT_HIP].y_px + b[HC_LM_RIGHT_HIP].y_px);
    const double gsx = 0.5 * ((double)b[HC_LM_LEFT_SHOULDER].x_px + b[HC_LM_RIGHT_SHOULDER].x_px);
    const double gsy = 0.5 * ((double)b[HC_LM_LEFT_SHOULDER].y_px + b[HC_LM_RIGHT_SHOULDER].y_px);
    const double trunk = hypot(fsx - fhx, fsy - fhy);
    return trunk > 1.0 && hypot(ghx - fhx, ghy - fhy) <= frac * trunk &&
           hypot(gsx - fsx, gsy - fsy) <= frac * trunk;
}

/* Is every body landmark (shoulders to feet) seen on both frames (visibility >= 0.5) within frac
 * of f's trunk length of f's? */
static int body_agrees(const struct hc_pose_frame *f, const struct hc_pose_frame *g, double frac)
{
    if (!pass_pose_same_lifter(f, g, frac))
        return 0;
    const struct hc_landmark *a = f->lm, *b = g->lm;
    const double trunk =
        hypot(0.5 * ((double)a[HC_LM_LEFT_SHOULDER].x_px + a[HC_LM_RIGHT_SHOULDER].x_px -
                     a[HC_LM_LEFT_HIP].x_px - a[HC_LM_RIGHT_HIP].x_px),
              0.5 * ((double)a[HC_LM_LEFT_SHOULDER].y_px + a[HC_LM_RIGHT_SHOULDER].y_px -
                     a[HC_LM_LEFT_HIP].y_px - a[HC_LM_RIGHT_HIP].y_px));
    for (int k = HC_LM_LEFT_SHOULDER; k < HC_N_LANDMARKS; k++)
        if (a[k].visibility >= 0.5f && b[k].visibility >= 0.5f &&
            hypot((double)a[k].x_px - b[k].x_px, (double)a[k].y_px - b[k].y_px) > frac * trunk)
            return 0;
    return 1;
}

/* Do the two halves agree on the frames both tracked before the junction (SPLIT_AGREE_FRAC)?
 * Frames are matched by time; at least one must be. */
static int halves_agree(const struct hc_pose_frame *a, int n_a, const struct hc_pose_frame *b,
                        int n_b)
{
    int n_matched = 0;
    for (int i = 0, j = 0; i < n_a; i++) {
        while (j < n_b && b[j].t_s < a[i].t_s)
            j++;
        if (j == n_b || b[j].t_s != a[i].t_s)
            continue;
        n_matched++;
        if (a[i].has_pose != b[j].has_pose ||
            (a[i].has_pose && !body_agrees(&a[i], &b[j], SPLIT_AGREE_FRAC)))
            return 0;
    }
    return n_matched > 0;
}

/* The clip as two halves (concurrent: the second on a thread of its own). Statuses of
 * run_sequential at the clip's end. */
static enum hc_status run_split(struct run_state *rs, struct video_decoder *dec, double t_split,
                                int concurrent, const struct implement_params *ip)
{
    struct second_half h;
    memset(&h, 0, sizeof h);
    h.path = rs->path;
    h.p = rs->p;
    h.t_split = t_split;
    h.t_start = t_split - SPLIT_RUNUP_S;
    h.t_check = t_split - SPLIT_CHECK_S;
    struct hc_pose_frame overlap[SPLIT_OVERLAP_MAX];
    rs->overlap = overlap;
    rs->n_overlap = 0;
    rs->t_overlap = h.t_check;
    h.ip = rs->imp ? ip : NULL;
    h.st = HC_ERR_CANCELLED;
    atomic_init(&h.stop, 0);
    pthread_t th;
    int running = concurrent && pthread_create(&th, NULL, second_half_main, &h) == 0;
    enum hc_status st = run_sequential(rs, dec, t_split);
    if (st == HC_OK && !video_decoder_damaged(dec)) {
        if (running)
            pthread_join(th, NULL);
        else
            second_half_main(&h);
        rs->stats->second_cpu_s = running ? h.cpu_s : 0.0;
        running = 0;
        const int agree = halves_agree(overlap, rs->n_overlap, h.check, h.n_check);
        if (h.st == HC_ERR_EMPTY && !h.damaged && h.have_first && h.t_first == rs->held.t_s &&
            agree) {
            rs->stats->split = 1;
            st = second_half_deliver(rs, &h);
        } else {
            hc_log(HC_LOG_INFO, "%s: the second half from %.3f s is not used (%s): the first "
                   "goes on alone", rs->path, t_split,
                   h.st != HC_ERR_EMPTY ? hc_strerror(h.st)
                   : h.damaged          ? "damaged"
                   : !h.have_first      ? "no frame"
                   : !agree             ? "the halves disagree on the pose before it"
                                        : "another junction frame");
        }
    } else if (st == HC_OK) {
        hc_log(HC_LOG_INFO, "%s: damaged before %.3f s: tracked as one stretch", rs->path,
               t_split);
    }
    if (running) {
        atomic_store(&h.stop, 1);
        pthread_join(th, NULL);
    }
    rs->t_overlap = 0.0;
    rs->overlap = NULL;
    free(h.frames);
    implement_detector_free(h.imp);
    if (st != HC_OK)
        return st;
    /* the first half alone to the end: its junction frame, then as a clip tracked as one stretch
     * would be from there (with a decoder thread beside the tracking when concurrent) */
    if ((st = run_sequential(rs, dec, -1.0)) != HC_OK)
        return st;
    return concurrent ? run_concurrent(rs, dec) : run_sequential(rs, dec, 0.0);
}

/* The damage of the whole analysed range: the user's one warning, or HC_ERR_DECODE when the file
 * is mostly damaged (more frames skipped than decoded: what is left is no fair sample of the
 * set, and "no lifter" or "no rep" would blame the filming for a broken file). */
static enum hc_status damage_verdict(const char *path, const struct hc_damage *dm)
{
    if (!dm || dm->n_frames_skipped <= 0)
        return HC_OK;
    char where[512];
    hc_damage_text(dm, where, sizeof where);
    if (dm->n_frames_skipped * 2 > dm->n_frames)
        return hc_fail(HC_ERR_DECODE,
                       "%s: mostly damaged: %lld of %lld frames could not be decoded, %s; the "
                       "file is corrupt or truncated, copy or export it again",
                       path, (long long)dm->n_frames_skipped, (long long)dm->n_frames, where);
    hc_log(HC_LOG_WARN,
           "%s: %lld of %lld frames could not be decoded and were skipped, %s; the reports mark "
           "the reps they touch: copy or export the file again for a complete analysis",
           path, (long long)dm->n_frames_skipped, (long long)dm->n_frames, where);
    return HC_OK;
}

enum hc_status pass_pose_run(const char *path, const struct hc_pose_clip_params *p,
                             hc_pose_frame_fn fn, void *user, struct hc_pose_clip_summary *summary,
                             int one_thread, struct pass_pose_stats *stats,
                             struct pass_pose_image *image)
{
    struct pass_pose_stats unused;
    if (!stats)
        stats = &unused;
    memset(stats, 0, sizeof *stats);
    const struct hc_pose_clip_params def = hc_pose_clip_default_params();
    if (!p)
        p = &def;
    if (summary)
        memset(summary, 0, sizeof *summary);
    const double plate_cm = image ? image->plate_cm : 0.0;
    if (image)
        memset(image, 0, sizeof *image);
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
     * threads (never more busy threads than cores). */
    vp.n_threads = 1;
    struct video_decoder *dec = NULL;
    struct hc_pose_tracker *tr = NULL;
    struct implement_detector *imp = NULL;
    struct hc_pose_models *own_models = NULL;
    enum hc_status st = video_decoder_open(path, &vp, &dec);
    if (st != HC_OK)
        return st;
    struct hc_damage damage;
    memset(&damage, 0, sizeof damage);
    const struct hc_video_info *info = video_decoder_info(dec);
    const double t_split = pass_pose_split_point(info, p);
    struct hc_pose_clip_params shared = *p; /* two halves: both trackers share the models */
    if (t_split > 0.0 && !p->pose.models) {
        if ((st = hc_pose_models_load(&p->pose, &own_models)) != HC_OK)
            goto done;
        shared.pose.models = own_models;
        p = &shared;
    }
    if ((st = hc_pose_tracker_create(&p->pose, &tr)) != HC_OK)
        goto done;
    struct implement_params ip = implement_default_params();
    if (image) {
        ip.n_frames_hint = info->n_frames_estimate > 0 ? info->n_frames_estimate : 0;
        if (plate_cm > 0.0)
            ip.plate_cm = plate_cm;
        if ((st = implement_detector_create(&ip, &imp)) != HC_OK)
            goto done;
    }
    struct run_state rs;
    memset(&rs, 0, sizeof rs);
    rs.path = path;
    rs.p = p;
    rs.info = info;
    rs.stats = stats;
    rs.tr = tr;
    rs.imp = imp;
    rs.fn = fn;
    rs.user = user;
    frame_select_init(&rs.sel, p->max_fps, info->fps);
    const int sequential = one_thread || p->pose.n_threads > 1;
    const double cpu0 = hc_thread_cpu_s();
    st = t_split > 0.0  ? run_split(&rs, dec, t_split, !sequential, &ip)
         : sequential ? run_sequential(&rs, dec, 0.0)
                      : run_concurrent(&rs, dec);
    stats->tracker_cpu_s = hc_thread_cpu_s() - cpu0;
    if (st != HC_ERR_EMPTY)
        goto done;
    st = HC_OK;
    const int64_t n = rs.n, n_pose = rs.n_pose;
    /* two halves are used only on an undamaged clip (run_split): nothing skipped, and the first
     * half's decoder stopped at the junction, so the count of the range is the frames decoded */
    damage = *video_decoder_damage(dec);
    if (stats->split)
        damage.n_frames = stats->n_decoded;
    if ((st = damage_verdict(path, &damage)) != HC_OK)
        goto done;
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
    if (imp && (st = implement_detector_verdict(imp, &image->verdict)) == HC_OK) {
        int64_t n_raw = 0;
        const struct implement_frame *raw = implement_detector_frames(imp, &n_raw);
        st = analysis_outlines(&image->verdict, raw, (size_t)n_raw, &image->frames);
        image->n_frames = image->frames ? (size_t)n_raw : 0;
        if (st == HC_OK && n_raw > 0) {
            image->raw = malloc((size_t)n_raw * sizeof *image->raw);
            if (!image->raw)
                st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
            else
                memcpy(image->raw, raw, (size_t)n_raw * sizeof *image->raw);
            image->n_raw = image->raw ? (size_t)n_raw : 0;
        }
    }
done:
    if (summary && info) {
        summary->info = *info;
        summary->damaged = video_decoder_damaged(dec);
        summary->damage = stats->split ? damage : *video_decoder_damage(dec);
    }
    implement_detector_free(imp);
    hc_pose_tracker_free(tr);
    hc_pose_models_free(own_models);
    video_decoder_free(dec);
    return st;
}

enum hc_status hc_pose_run_file(const char *path, const struct hc_pose_clip_params *p,
                                hc_pose_frame_fn fn, void *user,
                                struct hc_pose_clip_summary *summary)
{
    return pass_pose_run(path, p, fn, user, summary, 0, NULL, NULL);
}
