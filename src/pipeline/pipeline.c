#define _POSIX_C_SOURCE 200809L
/* pipeline.c - the driver: every stage of an analysis, once, in order (docs/ARCHITECTURE.md):
 *
 *   pose pass (pass_pose.c) -> kinematics -> reps + the lift (the first segmentation) ->
 *   mask pass (pass_mask.c: spine masks at the frames the reps say the rules read) -> judge
 *   track.jsonl (hc_track_read) -> the same stages without the passes over the video
 *
 * Poses are kept for the whole clip (about 1 KB a frame: 2 MB for a minute at 30 fps) because
 * the kinematics smooth with a centred window and reps are found over the whole set; the buffer
 * grows by doubling, so there is no per-frame malloc.
 *
 * "No lifter" and "no rep" are outcomes, not failures: the result is still made so the reports
 * can say so (a --json report is never lost); hc_analysis_summarise carries the status. */
#include "pipeline/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Common start of both inputs: the result, the exercise and the rules (so a bad --rules file or
 * exercise fails before minutes of pose tracking). */
static enum hc_status analysis_begin(const char *path, const struct hc_analysis_params *p,
                                     enum reps_lift *lift, struct hc_analysis **out)
{
    *out = NULL;
    const char *ex = p->exercise ? p->exercise : "auto";
    const int l = rules_lift_from_name(ex);
    if (l < 0)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown exercise '%s'; use one of %s", ex,
                       hc_exercise_names());
    *lift = (enum reps_lift)l;
    const int imp = kin_implement_from_name(p->implement ? p->implement : "auto");
    if (imp < 0)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown implement '%s'; use auto, barbell or kettlebell",
                       p->implement);
    if (!(p->plate_cm == 0.0 || (p->plate_cm >= 10.0 && p->plate_cm <= 60.0)))
        return hc_fail(HC_ERR_INVALID_ARG, "plate diameter %g cm: give 10 to 60 cm (standard "
                       "plates are 45)", p->plate_cm);
    struct hc_analysis *a = calloc(1, sizeof *a);
    if (!a || !(a->path = hc_strdup(path))) {
        free(a);
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
    }
    a->implement = imp;
    /* 0: a caller's zeroed params, the default */
    a->plate_cm = p->plate_cm > 0.0 ? p->plate_cm : 45.0;
    const enum hc_status st =
        p->rules_path ? rules_load_file(p->rules_path, &a->rs) : rules_load_default(&a->rs);
    if (st != HC_OK) {
        hc_analysis_free(a);
        return st;
    }
    *out = a;
    return HC_OK;
}

/* Frames whose lifter has the head (nose) below the feet (the ankles' mean) in the image: no
 * hinge does that (a deadlift's floor start and a good morning's bottom keep the head well above
 * the ankles). A clip filmed upside down without rotation metadata does it on every frame, and
 * the pose model finds the lifter either way, so without this check the angles against gravity
 * (torso inclination, bar path, shins) would be judged upside down with full confidence. A model
 * that loses a small or hidden lifter flips some frames only: on the labelled real clips, all
 * filmed upright, at most 70% of one short clip's frames (a small lifter at a floor start). */
static int64_t head_below_feet(const struct hc_pose_frame *frames, size_t n)
{
    int64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct hc_landmark *lm = frames[i].lm;
        if (frames[i].has_pose &&
            lm[HC_LM_NOSE].y_px > 0.5f * (lm[HC_LM_LEFT_ANKLE].y_px + lm[HC_LM_RIGHT_ANKLE].y_px))
            k++;
    }
    return k;
}

/* Upside down: an error when (nearly) every frame has it, the mark of a camera turned over
 * (UPSIDE_DOWN_SHARE); a warning when most frames do, which a clip turned over or a lifter the
 * model could not follow can cause (the rules then mostly find too little to judge). */
#define UPSIDE_DOWN_SHARE 0.9

static enum hc_status check_upside_down(const struct hc_analysis *a, int64_t n_pose)
{
    const int64_t n_up = head_below_feet(a->frames, a->n_frames);
    if (n_pose > 0 && (double)n_up >= UPSIDE_DOWN_SHARE * (double)n_pose)
        return hc_fail(HC_ERR_UNSUPPORTED,
                       "%s: the lifter's head is below the feet on %lld of the %lld frames with "
                       "the lifter: the clip is upside down (its file does not say it was "
                       "filmed that way); turn it by 180 degrees (e.g. ffmpeg -i IN -vf "
                       "hflip,vflip OUT.mp4) and analyse that",
                       a->path, (long long)n_up, (long long)n_pose);
    if (n_pose > 0 && 2 * n_up > n_pose)
        hc_log(HC_LOG_WARN,
               "%s: the lifter's head is below the feet on %lld of the %lld frames with the "
               "lifter: if the clip plays upside down, turn it by 180 degrees (e.g. ffmpeg -i IN "
               "-vf hflip,vflip OUT.mp4); else the lifter was not followed: film closer, the "
               "whole body in view",
               a->path, (long long)n_up, (long long)n_pose);
    return HC_OK;
}

/* A "no lifter" or "no rep" on a damaged clip says so: the frames skipped may be why. */
static void damage_reason(struct hc_analysis *a)
{
    const struct hc_damage *d = a->in.damage;
    if (a->in.status == HC_OK || !d || d->n_frames_skipped <= 0)
        return;
    const size_t len = strlen(a->reason);
    snprintf(a->reason + len, sizeof a->reason - len,
             "; %lld of %lld frames could not be decoded (a damaged file)",
             (long long)d->n_frames_skipped, (long long)d->n_frames);
}

/* The stages after the poses, once each: kinematics, the reps and the lift (rules_segment), the
 * mask pass planned from the reps (videos only), the judgement (rules_judge). The reps and the
 * lift do not read the spine (reps the hip angle, the lift the knees, hands and hips), so the
 * masks cannot change them. a->frames and the clip facts in a->in are filled. */
static enum hc_status analysis_stages(struct hc_analysis *a, enum reps_lift lift, double t0)
{
    const double t1 = hc_now_s();
    struct report_input *in = &a->in;
    int64_t n_pose = 0;
    for (size_t i = 0; i < a->n_frames; i++)
        n_pose += a->frames[i].has_pose != 0;
    in->n_frames = (int64_t)a->n_frames;
    in->n_with_pose = n_pose;
    in->requested = lift;
    in->rules_name = a->rs->source_name ? a->rs->source_name : "built-in";
    in->rs = a->rs;
    in->frames = a->frames;
    enum hc_status st = check_upside_down(a, n_pose);
    if (st != HC_OK)
        return st;

    struct kin_params kp = reps_lift_kin_params();
    analysis_implement_params(a, &kp); /* --implement, else the image's verdict (videos) */
    st = kin_series_compute(a->frames, a->n_frames, in->width_px, in->height_px, NULL, &kp,
                            &a->ks);
    if (st != HC_OK)
        return st;
    analysis_implement_report(a, &kp);
    if (n_pose == 0) {
        in->ks = a->ks;
        in->status = HC_ERR_NO_POSE;
        snprintf(a->reason, sizeof a->reason,
                 "no lifter on any of the %zu frames; film the whole body from the side, "
                 "2-3 m away, in good light",
                 a->n_frames);
        damage_reason(a);
        in->reason = a->reason;
        in->analysis_s = hc_now_s() - t1;
        a->elapsed_s = hc_now_s() - t0;
        return HC_OK;
    }
    const struct reps_params rp = reps_default_params();
    enum reps_lift use = lift;
    char why[sizeof a->res->detect_reason] = "";
    if ((st = rules_segment(a->ks, lift, &rp, &a->rr, &use, why, sizeof why)) != HC_OK)
        return st;
    if (a->mask_clip && !a->spine_given &&
        (st = pass_mask_run(a, a->ks, a->rr, &a->spine)) != HC_OK)
        return st;
    if (a->spine) {
        /* kin smooths the spine over the whole clip, so the masks move it beyond their frames:
         * the series is computed again with them (the others come out the same) */
        struct kin_series *ks_masked = NULL;
        st = kin_series_compute_spine(a->frames, a->n_frames, in->width_px, in->height_px,
                                      a->spine, &kp, &ks_masked);
        if (st != HC_OK)
            return st;
        kin_series_free(a->ks);
        a->ks = ks_masked;
    }
    if ((st = rules_judge(a->rs, a->ks, a->rr, lift, use, why, &a->res)) != HC_OK)
        return st;
    in->ks = a->ks;
    in->rr = a->rr;
    in->res = a->res;
    if (a->res->n_reps == 0) {
        /* quote the movement the segmentation tests (out and back within one stretch of pose),
         * not the hip angle's overall range: a clip that only bends down, or a range made of
         * two halves split by a gap, has a large range and still no rep */
        in->status = HC_ERR_NO_REPS;
        const double trip = a->rr->round_trip_deg, need = a->rr->hysteresis_deg;
        if (trip < need)
            snprintf(a->reason, sizeof a->reason,
                     "the lifter was found on %lld of %zu frames but no hinge rep: the hip angle "
                     "went out and back by at most %.0f deg; a rep needs at least %.0f deg down "
                     "and back up, seen without a break of over %.1f s",
                     (long long)n_pose, a->n_frames, floor(trip), ceil(need),
                     reps_default_params().max_gap_s);
        else
            snprintf(a->reason, sizeof a->reason,
                     "the lifter was found on %lld of %zu frames but no hinge rep: the hip angle "
                     "went out and back by %.0f deg (a rep needs %.0f), but not as a rep: "
                     "too quick, or the pick-up or put-down at the clip's start or end",
                     (long long)n_pose, a->n_frames, ceil(trip), floor(need));
    }
    damage_reason(a);
    in->reason = a->reason;
    in->analysis_s = hc_now_s() - t1;
    a->elapsed_s = hc_now_s() - t0;
    return HC_OK;
}

static enum hc_status push_frame(struct hc_analysis *a, const struct hc_pose_frame *f)
{
    if (a->n_frames == a->cap_frames) {
        const size_t nc = a->cap_frames ? a->cap_frames * 2 : 512;
        struct hc_pose_frame *nf = realloc(a->frames, nc * sizeof *nf);
        if (!nf)
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory keeping %zu frames of poses",
                           a->path, a->n_frames);
        a->frames = nf;
        a->cap_frames = nc;
    }
    a->frames[a->n_frames++] = *f;
    return HC_OK;
}

void analysis_progress(const struct hc_analysis *a, const char *stage, int64_t n_done,
                       int64_t n_total)
{
    if (!a->progress)
        return;
    const struct hc_progress pr = {stage, n_done, n_total, hc_now_s() - a->progress_t0};
    a->progress(&pr, a->progress_user);
}

/* The frames the pose pass will hand over: the clip's estimate, cut to --start/--end. */
static int64_t pose_frames_expected(const struct hc_video_info *info,
                                    const struct hc_pose_clip_params *cp)
{
    if (!info || !(info->fps > 0) || !(info->duration_s > 0))
        return info && info->n_frames_estimate > 0 ? info->n_frames_estimate : 0;
    double t1 = info->duration_s;
    if (cp->end_s > 0 && cp->end_s < t1)
        t1 = cp->end_s;
    const double span = t1 - (cp->start_s > 0 ? cp->start_s : 0.0);
    if (!(span > 0))
        return 0;
    int64_t n = (int64_t)(span * info->fps + 0.5);
    if (cp->max_fps > 0 && cp->max_fps < info->fps)
        n = (int64_t)(span * cp->max_fps + 0.5);
    return n > 0 ? n : 1;
}

static enum hc_status on_pose_frame(const struct hc_video_info *info,
                                    const struct hc_pose_frame *frame, const float *mask,
                                    void *user)
{
    (void)mask; /* none asked for: the mask pass takes them at a few stretches */
    struct hc_analysis *a = user;
    const enum hc_status st = push_frame(a, frame);
    if (st == HC_OK && a->progress) {
        /* the estimate may fall short of the frames really there: never show more than 100% */
        int64_t total = a->progress_total;
        if (total > 0 && (int64_t)a->n_frames > total)
            total = (int64_t)a->n_frames;
        analysis_progress(a, "pose", (int64_t)a->n_frames, total);
    }
    if (st == HC_OK && a->on_frame &&
        a->on_frame(frame->index, info ? info->n_frames_estimate : 0, a->on_frame_user) != 0)
        return hc_fail(HC_ERR_CANCELLED, "%s: stopped on request", a->path);
    return st;
}
enum hc_status analysis_file_mode(const char *video_path, const struct hc_analysis_params *p,
                                  int one_thread, struct hc_analysis **out)
{
    const struct hc_analysis_params def = hc_analysis_default_params();
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_file: no output pointer");
    *out = NULL;
    if (!video_path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_file: no path");
    if (!p)
        p = &def;
    const double t0 = hc_now_s();
    enum reps_lift lift;
    struct hc_analysis *a = NULL;
    enum hc_status st = analysis_begin(p->name ? p->name : video_path, p, &lift, &a);
    if (st != HC_OK)
        return st;
    struct hc_pose_clip_params cp = p->clip;
    cp.mask_every_frame = 0; /* masks come from the mask pass at a few stretches */
    /* the mask pass's tracker borrows the pose pass's models: loaded once, not twice (after a
     * probe, so a bad video is still reported before a model problem) */
    struct hc_pose_models *own_models = NULL;
    if (!p->no_spine_masks && !cp.pose.models) {
        struct hc_video_info vi;
        if ((st = hc_probe_file(video_path, &vi)) != HC_OK ||
            (st = hc_pose_models_load(&cp.pose, &own_models)) != HC_OK)
            goto fail;
        cp.pose.models = own_models;
    }
    a->progress = p->progress;
    a->progress_user = p->progress_user;
    if (a->progress) {
        struct hc_video_info vi;
        a->progress_total = hc_probe_file(video_path, &vi) == HC_OK
                                ? pose_frames_expected(&vi, &cp) : 0;
        a->progress_t0 = hc_now_s();
        analysis_progress(a, "pose", 0, a->progress_total);
    }
    struct hc_pose_clip_summary sum;
    a->on_frame = p->on_frame;
    a->on_frame_user = p->on_frame_user;
    struct pass_pose_image img = {.plate_cm = a->plate_cm};
    st = pass_pose_run(video_path, &cp, on_pose_frame, a, &sum, one_thread, &a->pose_stats,
                       &img);
    a->image = img.verdict;
    a->imp_frames = img.frames;
    a->n_imp_frames = img.frames ? img.n_frames : 0;
    a->imp_raw = img.raw;
    a->n_imp_raw = img.raw ? img.n_raw : 0;
    a->has_image = st == HC_OK;
    if (a->has_image)
        hc_log(HC_LOG_INFO, "%s: implement in the image: %s (confidence %.2f), %.2f ms a frame",
               video_path, implement_kind_name(a->image.kind), a->image.confidence,
               a->image.ms_per_frame);
    if (st != HC_OK)
        goto fail;
    analysis_progress(a, "pose", (int64_t)a->n_frames, (int64_t)a->n_frames);
    struct report_input *in = &a->in;
    a->source = hc_strdup(video_path);
    if (!a->source) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", video_path);
        goto fail;
    }
    in->path = a->path;
    in->source = a->path; /* a video is its own source: the name shown */
    in->video = a->source;
    in->from_track = 0;
    a->damage = sum.damage;
    in->damage = &a->damage;
    in->width_px = sum.info.width_px;
    in->height_px = sum.info.height_px;
    a->rotation_deg = sum.info.rotation_deg;
    a->n_frames_estimate = sum.info.n_frames_estimate;
    in->fps = sum.info.fps;
    in->duration_s = sum.info.duration_s;
    snprintf(a->model, sizeof a->model, "%s", hc_pose_model_name(cp.pose.model));
    in->model = a->model;
    in->smooth = cp.pose.smooth;
    in->start_s = cp.start_s;
    in->end_s = cp.end_s;
    in->pose_s = hc_now_s() - t0;
    a->mask_clip = p->no_spine_masks ? NULL : &cp;
    st = analysis_stages(a, lift, t0); /* the mask pass polls on_frame too: a stop is prompt */
    a->mask_clip = NULL;
    a->on_frame = NULL;
    a->progress = NULL; /* the callback is the caller's for this call only */
    if (st != HC_OK)
        goto fail;
    hc_pose_models_free(own_models);
    *out = a;
    return HC_OK;
fail:
    hc_pose_models_free(own_models);
    hc_analysis_free(a);
    return st;
}

enum hc_status analysis_track(const struct hc_track *t, const char *name,
                              const struct hc_analysis_params *p, struct hc_analysis **out)
{
    const struct hc_analysis_params def = hc_analysis_default_params();
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_track: no output pointer");
    *out = NULL;
    if (!t)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_track: no track");
    if (!p)
        p = &def;
    if (!name)
        name = t->header.source[0] ? t->header.source : "track";
    const double t0 = hc_now_s();
    if (t->header.width_px <= 0 || t->header.height_px <= 0)
        return hc_fail(HC_ERR_FORMAT, "%s: the track does not give the frame size (no header "
                       "line, no .meta.json beside it); write tracks with hingecheck pose", name);
    enum reps_lift lift;
    struct hc_analysis *a = NULL;
    enum hc_status st = analysis_begin(name, p, &lift, &a);
    if (st != HC_OK)
        return st;
    if (t->n_frames > 0) {
        a->frames = malloc((size_t)t->n_frames * sizeof *a->frames);
        if (!a->frames) {
            st = hc_fail(HC_ERR_NOMEM, "%s: out of memory for %lld frames", name,
                         (long long)t->n_frames);
            goto fail;
        }
        memcpy(a->frames, t->frames, (size_t)t->n_frames * sizeof *a->frames);
        a->n_frames = a->cap_frames = (size_t)t->n_frames;
    }
    if (!(a->source = hc_strdup(t->header.source))) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto fail;
    }
    struct report_input *in = &a->in;
    in->path = a->path;
    in->source = a->source;
    in->from_track = 1;
    in->width_px = t->header.width_px;
    in->height_px = t->header.height_px;
    in->fps = t->header.fps;
    in->duration_s = t->header.duration_s;
    if (!(in->duration_s > 0) && a->n_frames > 0) {
        /* tracks without a duration: last frame time plus one frame */
        const double dt = in->fps > 0 ? 1.0 / in->fps : 0.0;
        in->duration_s = a->frames[a->n_frames - 1].t_s - a->frames[0].t_s + dt;
    }
    snprintf(a->model, sizeof a->model, "%s", t->header.model[0] ? t->header.model : "unknown");
    in->model = a->model;
    in->smooth = t->header.smooth;
    in->pose_s = NAN; /* no pose stage: the report shows null */
    a->rotation_deg = t->header.rotation_deg;
    a->n_frames_estimate = t->header.n_frames_estimate;
    /* a track an analysis wrote: its implement and spine masks, as that analysis had them */
    if ((st = analysis_from_track_extra(a, t)) != HC_OK ||
        (st = analysis_stages(a, lift, t0)) != HC_OK)
        goto fail;
    *out = a;
    return HC_OK;
fail:
    hc_analysis_free(a);
    return st;
}
