#define _POSIX_C_SOURCE 200809L
/* pass_mask.c - the mask pass: a second look at the few stretches of the clip the spine rules read,
 * planned from the first segmentation's reps (docs/RULES.md, "Person masks for the spine"); a
 * feeder thread decodes them into a frame ring while the calling thread tracks them with masks. */
#include "pipeline/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- person masks for the spine ------------------------------------------------------------
 *
 * The mask path of the spine measure (src/kin) needs the pose stage's segmentation mask, a
 * frame-sized float image (8 MB at 1080p) that costs about 5 ms a frame, and the rules read the
 * spine only under load. So the pose pass tracks the clip without masks; kinematics and reps
 * then say where the loaded moments are, and the mask pass decodes only those stretches (the
 * decoder seeks to each), tracks them again with masks, measures the spine from each mask at
 * once and keeps the number (struct kin_spine_sample): memory stays flat, nothing is decoded
 * twice in full. The frames asked for follow docs/RULES.md: top-start lifts +-0.2 s around each
 * rep's bottom (where rounding under load shows); floor lifts the first 0.4 s of each rising and
 * the last 0.2 s of each lowering (the pull off the floor and the set-down); every lift the
 * first 0.2 s of each lockout (lockout-slumped). A spine metric then needs >= 3 masked frames in
 * its span (rules.c) or falls back to the keypoint proxy. */
#define MASK_BOTTOM_HALF_S 0.2
#define MASK_FLOOR_RISE_S 0.4
#define MASK_FLOOR_LOWER_S 0.2
#define MASK_LOCKOUT_S 0.2
/* A seek restarts decoding at the keyframe before the target (phone clips: one every 1-2 s), so
 * stretches closer than this are decoded through (the frames between them are decoded, not
 * tracked) instead of seeking again. Project choice. */
#define MASK_MERGE_GAP_S 0.5
/* ... and a stretch starting at most this long after the previous one's last frame is reached
 * by decoding on (about 4 ms a 1080p frame) rather than by opening the file again and seeking
 * (an open, then the frames from the keyframe before the target: ~1 s of them on average with
 * a keyframe every 2 s). Measured: docs/PERFORMANCE.md. */
#define MASK_FORWARD_S 1.5
/* Tracked frames before each wanted stretch, so the tracker's region of interest has caught up
 * with the lifter's posture (MediaPipe's tracker follows the ROI of the previous frame; a
 * standing lifter's ROI applied to a bent-over one cuts off the head or the feet). Project
 * choice: 3 frames at 30 fps. */
#define MASK_PREROLL_S 0.1
/* Masks more often than this add nothing: the spine changes slowly and a metric needs 3 frames
 * of a 0.2-0.4 s span; a 60 fps clip is tracked on every other frame of its stretches. */
#define MASK_MAX_FPS 30.0
/* The mask pass's pose must be the pose pass's lifter: mid-hip and mid-shoulder within this
 * fraction of the trunk (hip-shoulder) length of the pose pass's, else the mask may be someone
 * else's outline (multi-person clips) and the frame keeps the proxy. Project choice: tracking
 * the same frame twice agrees to a few per cent of the trunk. */
#define MASK_AGREE_FRAC 0.2

enum { WANT_NONE = 0, WANT_TRACK = 1, WANT_MASK = 2 };

/* Marks the frames with t_s in [t0, t1] as wanted for a mask. */
static void want_span(const struct kin_series *ks, uint8_t *want, double t0, double t1)
{
    for (size_t i = 0; i < ks->n; i++)
        if (ks->t_s[i] >= t0 - 1e-6 && ks->t_s[i] <= t1 + 1e-6 && ks->has_pose[i])
            want[i] = WANT_MASK;
}

static double span_t(const struct kin_series *ks, long i)
{
    return ks->t_s[i < 0 ? 0 : (size_t)i >= ks->n ? ks->n - 1 : (size_t)i];
}

/* The frames the rules read the spine on, thinned to MASK_MAX_FPS, plus a short tracked
 * pre-roll before each stretch. Returns the number of frames wanted for a mask. */
static size_t mask_plan(const struct hc_analysis *a, const struct kin_series *ks,
                        const struct reps_result *rr, uint8_t *want)
{
    memset(want, WANT_NONE, ks->n);
    for (size_t r = 0; r < rr->n_reps; r++) {
        const struct reps_rep *rep = &rr->reps[r];
        if (rep->floor_start) {
            const struct reps_span *ri = &rep->phase[REPS_RISING], *lo = &rep->phase[REPS_LOWERING];
            if (ri->i0 >= 0)
                want_span(ks, want, span_t(ks, ri->i0), span_t(ks, ri->i0) + MASK_FLOOR_RISE_S);
            if (lo->i0 >= 0)
                want_span(ks, want, span_t(ks, lo->i1) - MASK_FLOOR_LOWER_S, span_t(ks, lo->i1));
        } else {
            want_span(ks, want, rep->t_bottom_s - MASK_BOTTOM_HALF_S,
                      rep->t_bottom_s + MASK_BOTTOM_HALF_S);
        }
        const struct reps_span *lk = &rep->phase[REPS_LOCKOUT];
        if (lk->i0 >= 0)
            want_span(ks, want, span_t(ks, lk->i0), span_t(ks, lk->i0) + MASK_LOCKOUT_S);
    }
    /* frames where kin would refuse any mask (the hands and a plate or bell at the hips at
     * lockout, an arm over the back: docs/RULES.md) are not worth one; a 1-pixel stand-in mask
     * asks kin without paying for a real one */
    const float stand_in = 0.0f;
    const struct kin_mask dummy = {&stand_in, 1, 1, 1, 0, NULL, 0, 0};
    const struct kin_params kp = reps_lift_kin_params();
    for (size_t i = 0; i < ks->n; i++) {
        struct kin_frame kf;
        if (want[i] != WANT_MASK)
            continue;
        kin_series_measure_frame(ks, &a->frames[i], a->in.width_px, a->in.height_px, &kp, &dummy,
                                 &kf);
        if (kf.mask_refused)
            want[i] = WANT_NONE;
    }
    /* pre-roll: track (no mask) the frames within MASK_PREROLL_S before each stretch */
    for (size_t i = 1; i < ks->n; i++) {
        if (want[i] != WANT_MASK || want[i - 1] != WANT_NONE)
            continue;
        for (size_t j = i; j-- > 0 && ks->t_s[j] >= ks->t_s[i] - MASK_PREROLL_S;)
            if (want[j] == WANT_NONE && ks->has_pose[j])
                want[j] = WANT_TRACK;
    }
    /* thin to MASK_MAX_FPS (half a clip frame of slack: 29.97 fps keeps every frame) */
    double last = -INFINITY;
    size_t n_want = 0;
    for (size_t i = 0; i < ks->n; i++) {
        if (want[i] == WANT_NONE)
            continue;
        const double dt = i > 0 ? ks->t_s[i] - ks->t_s[i - 1] : 0.0;
        if (ks->t_s[i] - last < 1.0 / MASK_MAX_FPS - 0.5 * dt) {
            want[i] = WANT_NONE;
            continue;
        }
        last = ks->t_s[i];
        n_want += want[i] == WANT_MASK;
    }
    return n_want;
}

/* The mask pass decodes on a thread of its own while the calling thread tracks (as the pose pass
 * does): a bounded ring of frame buffers between them (frame_ring.c), filled straight by the
 * decoder. The feeder walks the stretches in order and hands over only the frames the plan
 * wants; the tracker takes them in the same order, so the results are those of decoding and
 * tracking one after the other, in about the time of the slower of the two. */
/* The ring (at most FRAME_RING_MAX_SLOTS slots) stays under this many bytes (1080p RGB24 frames:
 * 3 slots), for a 200 MB peak RSS (docs/PERFORMANCE.md). */
#define MASK_RING_MAX_BYTES ((size_t)24 << 20)

/* The feeder's notes on each slot (frame_ring_slot.note): the pose pass's frame it is, and which
 * stretch (the tracker is reset at each new one). */
enum { NOTE_FRAME = 0, NOTE_STRETCH = 1 };

struct mask_feed {
    /* in: set before the thread starts, read only */
    const struct hc_analysis *a;
    const struct kin_series *ks0;
    const uint8_t *want;
    const size_t *s0, *s1; /* stretches [s0[k], s1[k]] of pose-pass frames */
    size_t n_stretches;
    struct frame_ring ring;
    int64_t n_decoded; /* the feeder's frames, for the info log (read after the join) */
};

/* Readies the decoder for stretch k: the decoder of the previous stretch decodes on to it when
 * it starts at most MASK_FORWARD_S after its last frame, else seeks (opened once: a seek inside
 * the open file saves opening it again, ~16 ms at 1080p). Either way the stretch gets the same
 * pictures (decoding from a keyframe gives the same frames), and the frames before it are
 * decoded only as far as later frames need them (video_decoder_skip_before). */
static enum hc_status feed_decoder_for(struct mask_feed *f, size_t k, struct video_decoder **dec,
                                       double last_t, double half)
{
    const double t_first = f->ks0->t_s[f->s0[k]];
    const double start = f->s0[k] == 0 ? 0.0 : fmax(0.0, t_first - half);
    if (*dec && (t_first <= last_t + half || t_first - last_t > MASK_FORWARD_S)) {
        /* behind the decoder, or far ahead of it: seek (the clip's first frame: open again,
         * so times count from the same first frame as the pose pass's) */
        if (start > 0.0 && video_decoder_seek(*dec, start) == HC_OK)
            return HC_OK;
        video_decoder_free(*dec);
        *dec = NULL;
    }
    if (*dec) {
        video_decoder_skip_before(*dec, start);
        return HC_OK;
    }
    struct video_open_params vp = video_default_open_params();
    vp.start_s = start;
    vp.end_s = 0.0; /* to the end: later stretches may decode on */
    vp.n_threads = 1; /* one decoder thread beside the one inference thread */
    /* the file decoded (a->source), which a shown name (a->path) may stand for */
    return video_decoder_open(f->a->source ? f->a->source : f->a->path, &vp, dec);
}

static void *mask_feed_main(void *arg)
{
    struct mask_feed *f = arg;
    const struct hc_analysis *a = f->a;
    const double half = a->in.fps > 0 ? 0.5 / a->in.fps : 0.017;
    struct video_decoder *dec = NULL;
    double last_t = 0.0;
    enum hc_status st = HC_OK;
    for (size_t k = 0; k < f->n_stretches && st == HC_OK; k++) {
        if ((st = feed_decoder_for(f, k, &dec, last_t, half)) != HC_OK)
            break;
        size_t j = f->s0[k];
        const size_t i1 = f->s1[k];
        for (;;) {
            /* the next frame's time first: a frame not wanted is decoded (later frames may
             * need it) but never converted to RGB, and needs no slot */
            double t_next = 0.0;
            if ((st = video_decoder_peek(dec, &t_next)) != HC_OK)
                break;
            while (j <= i1 && a->frames[j].t_s < t_next - half)
                j++;
            if (j > i1 || fabs(a->frames[j].t_s - t_next) > half || f->want[j] == WANT_NONE) {
                struct video_frame skipped;
                if ((st = video_decoder_next_into(dec, NULL, 0, &skipped)) != HC_OK)
                    break;
                f->n_decoded++;
                last_t = skipped.t_s;
                if (j > i1)
                    break; /* the frame after the stretch: the next one starts >= 0.5 s later */
                continue;
            }
            struct frame_ring_slot *sl = frame_ring_acquire(&f->ring);
            if (!sl)
                goto out; /* the tracker gave up */
            if ((st = frame_ring_decode(sl, dec)) != HC_OK)
                break;
            f->n_decoded++;
            last_t = sl->vf.t_s;
            sl->note[NOTE_FRAME] = j;
            sl->note[NOTE_STRETCH] = k;
            frame_ring_publish(&f->ring);
        }
        if (st == HC_ERR_EMPTY) { /* the clip's end: the next stretch opens its own decoder */
            video_decoder_free(dec);
            dec = NULL;
            st = HC_OK;
        }
    }
out:
    video_decoder_free(dec);
    frame_ring_finish(&f->ring, st);
    return NULL;
}

/* Tracks the frames the feeder hands over and measures the spine from each mask into
 * samples[]. */
static enum hc_status mask_track(struct hc_analysis *a, const struct kin_series *ks0,
                                 const uint8_t *want, struct mask_feed *f,
                                 struct hc_pose_tracker *tr, struct kin_spine_sample *samples)
{
    const struct kin_params kp = reps_lift_kin_params();
    size_t stretch = (size_t)-1;
    enum hc_status st = HC_OK;
    int64_t n_total = 0, n_done = 0;
    for (size_t k = 0; k < f->n_stretches; k++)
        n_total += (int64_t)(f->s1[k] - f->s0[k] + 1);
    analysis_progress(a, "masks", 0, n_total);
    for (;;) {
        const struct frame_ring_slot *sl = frame_ring_peek(&f->ring);
        if (!sl) { /* the feeder finished and every frame it handed over is tracked */
            analysis_progress(a, "masks", n_total, n_total);
            return frame_ring_end_status(&f->ring);
        }
        const size_t j = sl->note[NOTE_FRAME];
        if (sl->note[NOTE_STRETCH] != stretch) {
            pose_tracker_reset(tr);
            stretch = sl->note[NOTE_STRETCH];
            a->n_mask_stretches++;
        }
        const int mask_it = want[j] == WANT_MASK;
        struct hc_pose_frame pf;
        /* the mask stays the model's tensor: the spine reads a few thousand of its pixels in
         * the frame, each computed as the frame-sized warp would have it (cv_warp_float_at) */
        st = hc_pose_tracker_process(tr, sl->vf.rgb, sl->vf.width_px, sl->vf.height_px,
                                     sl->vf.stride, sl->vf.t_s, a->frames[j].index,
                                     mask_it ? POSE_MASK_LAZY : 0, &pf);
        if (st == HC_OK) {
            a->n_mask_tracked++;
            int sw = 0, sh = 0;
            double inv[6];
            const float *m = mask_it ? pose_tracker_mask_lazy(tr, &sw, &sh, inv) : NULL;
            if (m && pass_pose_same_lifter(&a->frames[j], &pf, MASK_AGREE_FRAC)) {
                const struct kin_mask km = {m,   1,  sl->vf.width_px, sl->vf.height_px, 0,
                                            inv, sw, sh};
                struct kin_frame kf;
                kin_series_measure_frame(ks0, &a->frames[j], a->in.width_px, a->in.height_px,
                                         &kp, &km, &kf);
                if (kf.spine_src == KIN_SPINE_MASK && kf.conf[KIN_SPINE_CURVATURE] > 0.0f) {
                    samples[j].value = kf.value[KIN_SPINE_CURVATURE];
                    samples[j].conf = kf.conf[KIN_SPINE_CURVATURE];
                    a->n_masked++;
                }
            }
        }
        frame_ring_release(&f->ring);
        /* a stop asked for (Ctrl-C, SIGTERM) ends the second look too: a frame count of 0
         * tells a progress display this is no step of the clip's frames */
        if (st == HC_OK && a->on_frame && a->on_frame(a->frames[j].index, 0, a->on_frame_user))
            st = hc_fail(HC_ERR_CANCELLED, "%s: stopped on request", a->path);
        if (st != HC_OK)
            return st;
        analysis_progress(a, "masks", ++n_done < n_total ? n_done : n_total, n_total);
    }
}

/* pipeline.h; side views only: the mask path reads the image. */
enum hc_status pass_mask_run(struct hc_analysis *a, const struct kin_series *ks0,
                             const struct reps_result *rr, struct kin_spine_sample **out)
{
    *out = NULL;
    if (!a->mask_clip || ks0->use_world || !rr || rr->n_reps == 0 || ks0->n == 0)
        return HC_OK;
    const double t0 = hc_now_s();
    a->progress_t0 = t0;
    uint8_t *want = malloc(ks0->n);
    struct kin_spine_sample *samples = malloc(ks0->n * sizeof *samples);
    struct hc_pose_tracker *tr = NULL;
    size_t *s0 = NULL, *s1 = NULL;
    enum hc_status st = HC_OK;
    if (!want || !samples) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory planning the spine masks", a->path);
        goto done;
    }
    for (size_t i = 0; i < ks0->n; i++)
        samples[i] = (struct kin_spine_sample){NAN, 0.0f};
    a->n_mask_wanted = (int64_t)mask_plan(a, ks0, rr, want);
    if (a->n_mask_wanted == 0)
        goto done;
    /* one inference thread beside the feeder's decoder thread, whatever --threads says: two
     * XNNPACK threads beside a busy decoder on 2 cores stall (pass_pose.c); XNNPACK gives the
     * same bits on one thread as on two */
    struct hc_pose_params pp = a->mask_clip->pose;
    pp.n_threads = 1;
    if ((st = hc_pose_tracker_create(&pp, &tr)) != HC_OK)
        goto done;
    /* the stretches: wanted frames with gaps under MASK_MERGE_GAP_S */
    s0 = malloc(ks0->n * sizeof *s0);
    s1 = malloc(ks0->n * sizeof *s1);
    if (!s0 || !s1) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory planning the spine masks", a->path);
        goto done;
    }
    size_t n_st = 0;
    for (size_t i = 0; i < ks0->n;) {
        if (want[i] == WANT_NONE) {
            i++;
            continue;
        }
        size_t i1 = i;
        for (size_t k = i + 1; k < ks0->n && ks0->t_s[k] - ks0->t_s[i1] < MASK_MERGE_GAP_S; k++)
            if (want[k] != WANT_NONE)
                i1 = k;
        s0[n_st] = i;
        s1[n_st++] = i1;
        i = i1 + 1;
    }
    struct mask_feed *f = calloc(1, sizeof *f);
    if (!f) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory planning the spine masks", a->path);
        goto done;
    }
    const size_t frame_bytes = (size_t)a->in.width_px * (size_t)a->in.height_px * 3 + 1;
    size_t n_slots = MASK_RING_MAX_BYTES / frame_bytes;
    n_slots = n_slots < 2 ? 2 : n_slots; /* frame_ring_init caps it */
    *f = (struct mask_feed){.a = a, .ks0 = ks0, .want = want, .s0 = s0, .s1 = s1,
                            .n_stretches = n_st};
    if ((st = frame_ring_init(&f->ring, (int)n_slots)) != HC_OK) {
        free(f);
        goto done;
    }
    pthread_t th;
    if (pthread_create(&th, NULL, mask_feed_main, f) != 0) {
        st = hc_fail(HC_ERR_NOMEM, "%s: cannot start the decoder thread for the spine masks",
                     a->path);
    } else {
        st = mask_track(a, ks0, want, f, tr, samples);
        frame_ring_stop(&f->ring); /* an error of the tracker: the feeder must not wait */
        pthread_join(th, NULL);
        hc_log(HC_LOG_INFO,
               "%s: spine masks' second look: %lld frames decoded (%.2f s CPU, %.2f s waiting "
               "for a slot), the tracker waited %.2f s for frames",
               a->path, (long long)f->n_decoded, f->ring.producer_cpu_s, f->ring.wait_space_s,
               f->ring.wait_frame_s);
    }
    frame_ring_destroy(&f->ring);
    free(f);
    if (st != HC_OK)
        goto done;
    *out = samples;
    samples = NULL;
done:
    a->mask_s = hc_now_s() - t0;
    if (st == HC_OK && a->n_mask_wanted > 0)
        hc_log(HC_LOG_INFO,
               "%s: spine masks on %lld of %zu frames (%.0f%%; %lld asked for, %lld tracked "
               "again in %d stretches) in %.2f s",
               a->path, (long long)a->n_masked, ks0->n,
               100.0 * (double)a->n_masked / (double)ks0->n, (long long)a->n_mask_wanted,
               (long long)a->n_mask_tracked, a->n_mask_stretches, a->mask_s);
    hc_pose_tracker_free(tr);
    free(s0);
    free(s1);
    free(want);
    free(samples);
    return st;
}
