/* bench_pose.c - where the time of `hingecheck pose` goes on one clip, next to decoding alone and
 * the bare landmark model.
 *
 *     bench_pose [CLIP | --like DESC] [--model lite|full|heavy] [--threads N] [--mask] [--frames N]
 *
 * CLIP is a video file; --like picks the clip of ../shared/clips that INDEX.tsv describes so
 * (tests/hc_shared_clips.h: "EXERCISE | VIEW | MORE ..."); by default the 1080p30 barbell
 * deadlift labelled Good. Prints ms per frame for decode, detection, warp, landmark model and
 * post-processing, the whole-clip frames per second, and the pipeline's speed against decoding
 * alone and the bare model. Timings are wall clock on a shared machine: run it on an idle one. */
#define _POSIX_C_SOURCE 200809L
#include "nn/nn.h"
#include "pose/pose_tracker.h"
#include "video/video.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HC_SHARED_DIR
#define HC_SHARED_DIR "../shared"
#endif

#include "../tests/hc_shared_clips.h"

#define DEFAULT_LIKE "conventional barbell deadlift | side | 1920x1080 | label=Good"

static int die(const char *what)
{
    fprintf(stderr, "bench_pose: %s: %s\n", what, hc_last_error());
    return 1;
}

/* Decoding alone, the way the tracker's run decodes (1 thread, RGB24). */
static int bench_decode(const char *clip, int64_t max_frames, double *ms, int64_t *n_out)
{
    struct video_open_params vp = video_default_open_params();
    vp.n_threads = 1;
    struct video_decoder *d;
    if (video_decoder_open(clip, &vp, &d) != HC_OK)
        return die(clip);
    struct video_frame f;
    int64_t n = 0;
    const double t0 = hc_now_s();
    while (n < max_frames && video_decoder_next(d, &f) == HC_OK)
        n++;
    *ms = n ? (hc_now_s() - t0) * 1e3 / (double)n : 0.0;
    *n_out = n;
    video_decoder_free(d);
    return 0;
}

/* The landmark model alone, landmarks + flag + heatmap + world (what the tracker runs). */
static int bench_model(const char *model_file, int threads, int runs, double *ms)
{
    char path[1024];
    if (hc_model_path(NULL, model_file, path, sizeof path) != HC_OK)
        return die(model_file);
    struct nn_model *m;
    if (nn_model_load(path, &m) != HC_OK)
        return die(path);
    int sel[4], n_sel = 0;
    float *outs[4];
    const size_t want[4] = {195, 1, 64 * 64 * 39, 117};
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < nn_model_n_outputs(m); i++)
            if (nn_model_output(m, i)->n_elems == want[j]) {
                sel[n_sel] = i;
                outs[n_sel++] = calloc(want[j], sizeof(float));
            }
    struct nn_session *s;
    if (n_sel != 4 || nn_session_create(m, threads, sel, n_sel, &s) != HC_OK)
        return die(path);
    float *in = calloc(256 * 256 * 3, sizeof *in);
    for (int i = 0; i < 256 * 256 * 3; i++)
        in[i] = (float)(i % 251) / 251.0f;
    const float *ins[1] = {in};
    for (int i = 0; i < 10; i++)
        nn_session_run(s, ins, outs);
    const double t0 = hc_now_s();
    for (int i = 0; i < runs; i++)
        nn_session_run(s, ins, outs);
    *ms = (hc_now_s() - t0) * 1e3 / runs;
    nn_session_free(s);
    nn_model_free(m);
    free(in);
    for (int j = 0; j < n_sel; j++)
        free(outs[j]);
    return 0;
}

int main(int argc, char **argv)
{
    const char *clip = NULL, *like = DEFAULT_LIKE;
    const char *model = "full";
    int threads = 1, mask = 0;
    int64_t max_frames = INT64_MAX;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc)
            max_frames = atoll(argv[++i]);
        else if (strcmp(argv[i], "--like") == 0 && i + 1 < argc)
            like = argv[++i];
        else if (strcmp(argv[i], "--mask") == 0)
            mask = 1;
        else if (argv[i][0] != '-')
            clip = argv[i];
        else {
            fprintf(stderr, "usage: bench_pose [CLIP | --like DESC] [--model lite|full|heavy] "
                            "[--threads N] [--mask] [--frames N]\n");
            return 1;
        }
    }
    char shared_clip[1024];
    if (!clip) {
        struct hc_shared_clip c;
        if (hc_shared_clip_find(like, &c) != 1) {
            fprintf(stderr, "bench_pose: %s\n", c.why);
            return 1;
        }
        snprintf(shared_clip, sizeof shared_clip, "%s/clips/%s.mp4", HC_SHARED_DIR, c.stem);
        clip = shared_clip;
    }
    struct hc_pose_params pp = hc_pose_default_params();
    if (hc_pose_model_from_name(model, &pp.model) != 0) {
        fprintf(stderr, "bench_pose: unknown model '%s'\n", model);
        return 1;
    }
    pp.n_threads = threads;
    char model_file[64];
    snprintf(model_file, sizeof model_file, "pose_landmark_%s.tflite", model);

    double decode_ms = 0.0, model_ms = 0.0;
    int64_t n_decoded = 0;
    if (bench_decode(clip, max_frames, &decode_ms, &n_decoded) != 0 ||
        bench_model(model_file, threads, 100, &model_ms) != 0)
        return 1;

    /* The whole pipeline, decode included, timed per stage. */
    struct video_open_params vp = video_default_open_params();
    vp.n_threads = 1;
    struct video_decoder *d;
    struct hc_pose_tracker *t;
    if (video_decoder_open(clip, &vp, &d) != HC_OK)
        return die(clip);
    if (hc_pose_tracker_create(&pp, &t) != HC_OK)
        return die("tracker");
    const struct hc_video_info *info = video_decoder_info(d);
    struct video_frame f;
    struct hc_pose_frame pf;
    double dec_s = 0.0;
    int64_t n = 0, n_pose = 0;
    const double t0 = hc_now_s();
    for (;;) {
        const double a = hc_now_s();
        if (n >= max_frames || video_decoder_next(d, &f) != HC_OK)
            break;
        dec_s += hc_now_s() - a;
        if (hc_pose_tracker_process(t, f.rgb, f.width_px, f.height_px, f.stride, f.t_s, f.index,
                                    mask, &pf) != HC_OK)
            return die("track");
        n++;
        n_pose += pf.has_pose;
    }
    const double total_s = hc_now_s() - t0;
    struct pose_timing tm;
    pose_tracker_timing(t, &tm);
    const double per = n ? 1e3 / (double)n : 0.0;
    printf("clip          %s\n", clip);
    printf("frames        %lld at %dx%d, a pose on %lld; model %s, %d thread(s)%s\n",
           (long long)n, info->width_px, info->height_px, (long long)n_pose, model, threads,
           mask ? ", mask every frame" : "");
    printf("per frame (ms, averaged over all frames):\n");
    printf("  decode      %7.2f\n", dec_s * per);
    printf("  detection   %7.2f  (%lld runs, %.2f ms each)\n", tm.detect_s * per,
           (long long)tm.n_detect, tm.n_detect ? tm.detect_s * 1e3 / (double)tm.n_detect : 0.0);
    printf("  warp        %7.2f\n", tm.warp_s * per);
    printf("  landmarks   %7.2f  (model)\n", tm.landmark_s * per);
    printf("  post        %7.2f  (decode, refine, project, smooth%s)\n", tm.post_s * per,
           mask ? ", mask" : "");
    printf("  total       %7.2f  -> %.1f fps (%.2fx real time at %.2f fps)\n", total_s * per,
           n / total_s, info->fps > 0 ? (n / total_s) / info->fps : 0.0, info->fps);
    printf("reference points:\n");
    printf("  decode alone        %7.2f ms/frame -> %.1f fps (%lld frames)\n", decode_ms,
           1e3 / decode_ms, (long long)n_decoded);
    printf("  bare landmark model %7.2f ms/run   -> %.1f fps (no segmentation output)\n", model_ms,
           1e3 / model_ms);
    printf("ratios:\n");
    printf("  pipeline fps / decode-alone fps   %.2f\n", (n / total_s) / (1e3 / decode_ms));
    printf("  pipeline fps / bare-model fps     %.2f\n", (n / total_s) / (1e3 / model_ms));
    printf("  pipeline time / (decode + model)  %.2f\n", total_s * per / (decode_ms + model_ms));
    hc_pose_tracker_free(t);
    video_decoder_free(d);
    return 0;
}
