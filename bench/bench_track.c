/* bench_track.c - `hingecheck pose VIDEO -o TRACK` with a cap on the analysis rate, for the
 * frame-selection comparison (the CLI has no option for it yet):
 *
 *     bench_track VIDEO TRACK.jsonl [MAX_FPS]
 *
 * then `hingecheck score TRACK.jsonl --json -` on the tracks with and without the cap. */
#include "core/core.h"
#include "hingecheck.h"
#include "track/track.h"

#include <stdio.h>
#include <stdlib.h>

struct ctx {
    const char *video, *out;
    struct hc_track_writer *w;
};

static enum hc_status on_frame(const struct hc_video_info *info, const struct hc_pose_frame *f,
                               const float *mask, void *user)
{
    struct ctx *c = user;
    (void)mask;
    if (!c->w) {
        struct hc_track_header h = {0};
        snprintf(h.source, sizeof h.source, "%s", c->video);
        h.width_px = info->width_px;
        h.height_px = info->height_px;
        h.fps = info->fps;
        h.duration_s = info->duration_s;
        h.rotation_deg = info->rotation_deg;
        h.n_frames_estimate = info->n_frames_estimate;
        snprintf(h.model, sizeof h.model, "full");
        h.smooth = 1;
        enum hc_status st = hc_track_writer_open(c->out, &h, &c->w);
        if (st != HC_OK)
            return st;
    }
    return hc_track_writer_write(c->w, f);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_track VIDEO TRACK.jsonl [MAX_FPS]\n");
        return 1;
    }
    struct hc_pose_clip_params p = hc_pose_clip_default_params();
    p.max_fps = argc > 3 ? atof(argv[3]) : 0.0;
    struct ctx c = {argv[1], argv[2], NULL};
    struct hc_pose_clip_summary sum;
    enum hc_status st = hc_pose_run_file(argv[1], &p, on_frame, &c, &sum);
    const enum hc_status cst = hc_track_writer_close(c.w);
    if (st != HC_OK || cst != HC_OK) {
        fprintf(stderr, "bench_track: %s\n", hc_last_error());
        return 2;
    }
    printf("%s: %lld frames analysed, a pose on %lld\n", argv[2], (long long)sum.n_frames,
           (long long)sum.n_with_pose);
    return 0;
}
