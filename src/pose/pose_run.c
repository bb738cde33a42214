/* pose_run.c - a whole clip through the tracker: decode, track, hand each frame to the caller,
 * and say what went wrong with the clip as a whole (no person, short clip, damaged stream). */
#include "pose/pose_tracker.h"

#include "video/video.h"

#include <string.h>

/* A clip shorter than this cannot hold a whole hinge rep (the fastest, a kettlebell swing, takes
 * about 1 s): still tracked, with a warning (issue 4, "bad input"). */
#define SHORT_CLIP_S 1.0

struct hc_pose_clip_params hc_pose_clip_default_params(void)
{
    struct hc_pose_clip_params p;
    memset(&p, 0, sizeof p);
    p.pose = hc_pose_default_params();
    return p;
}

enum hc_status hc_pose_run_file(const char *path, const struct hc_pose_clip_params *p,
                                hc_pose_frame_fn fn, void *user,
                                struct hc_pose_clip_summary *summary)
{
    const struct hc_pose_clip_params def = hc_pose_clip_default_params();
    if (!p)
        p = &def;
    if (summary)
        memset(summary, 0, sizeof *summary);
    if (!path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_pose_run_file: no path");
    struct video_open_params vp = video_default_open_params();
    vp.start_s = p->start_s;
    vp.end_s = p->end_s;
    /* One decoder thread beside the inference thread(s): two busy threads per core made one
     * inference take over a second (../shared/PERF-NOTES.md, "oversubscription is fatal"). */
    vp.n_threads = 1;
    struct video_decoder *dec = NULL;
    struct hc_pose_tracker *tr = NULL;
    enum hc_status st = video_decoder_open(path, &vp, &dec);
    if (st != HC_OK)
        return st;
    const struct hc_video_info *info = video_decoder_info(dec);
    if ((st = hc_pose_tracker_create(&p->pose, &tr)) != HC_OK)
        goto done;
    int64_t n = 0, n_pose = 0;
    double last_t = 0.0;
    struct video_frame vf;
    struct hc_pose_frame pf;
    while ((st = video_decoder_next(dec, &vf)) == HC_OK) {
        st = hc_pose_tracker_process(tr, vf.rgb, vf.width_px, vf.height_px, vf.stride, vf.t_s,
                                     vf.index, p->mask_every_frame, &pf);
        if (st != HC_OK)
            goto done;
        n++;
        n_pose += pf.has_pose;
        last_t = vf.t_s;
        if (fn) {
            const float *mask = p->mask_every_frame ? hc_pose_tracker_mask(tr, NULL, NULL) : NULL;
            if ((st = fn(info, &pf, mask, user)) != HC_OK)
                goto done;
        }
    }
    if (st != HC_ERR_EMPTY)
        goto done;
    st = HC_OK;
    if (n == 0) {
        st = hc_fail(HC_ERR_EMPTY, "%s: no frame could be decoded%s; check the file plays in a "
                     "video player", path, p->start_s > 0 ? " after --start" : "");
        goto done;
    }
    const double span = info->fps > 0 ? last_t + 1.0 / info->fps : last_t;
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
