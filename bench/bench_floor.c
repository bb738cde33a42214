/* bench_floor.c - decoding alone and the bare landmark model (bench_floor.h). */
#include "bench_floor.h"
#include "nn/nn.h"
#include "video/video.h"

#include <stdio.h>
#include <stdlib.h>

#define MODEL_WARMUP 10
#define MODEL_RUNS 50

static int die(const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, hc_last_error());
    return 1;
}

int bench_floor_decode(const char *clip, double end_s, double *s_out, int64_t *n_out,
                       double *fps)
{
    struct video_open_params vp = video_default_open_params();
    vp.n_threads = 1;
    vp.end_s = end_s;
    struct video_decoder *d;
    if (video_decoder_open(clip, &vp, &d) != HC_OK)
        return die(clip);
    *fps = video_decoder_info(d)->fps;
    struct video_frame f;
    int64_t n = 0;
    const double t0 = hc_now_s();
    while (video_decoder_next(d, &f) == HC_OK)
        n++;
    *s_out = hc_now_s() - t0;
    *n_out = n;
    video_decoder_free(d);
    return 0;
}

int bench_floor_model(enum hc_pose_model model, int threads, double *ms)
{
    char file[64], path[1024];
    snprintf(file, sizeof file, "pose_landmark_%s.tflite", hc_pose_model_name(model));
    if (hc_model_path(NULL, file, path, sizeof path) != HC_OK)
        return die(file);
    struct nn_model *m;
    if (nn_model_load(path, &m) != HC_OK)
        return die(path);
    /* Landmarks 39 x 5, pose flag, world 39 x 3 (pose_tracker.c's output table). */
    const size_t want[3] = {39 * 5, 1, 39 * 3};
    int sel[3], n_sel = 0;
    float *outs[3];
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < nn_model_n_outputs(m); i++)
            if (nn_model_output(m, i)->n_elems == want[j]) {
                sel[n_sel] = i;
                outs[n_sel++] = calloc(want[j], sizeof(float));
                break;
            }
    struct nn_session *s;
    if (n_sel != 3 || nn_session_create(m, threads, sel, n_sel, &s) != HC_OK)
        return die(path);
    float *in = calloc(256 * 256 * 3, sizeof *in);
    for (int i = 0; i < 256 * 256 * 3; i++)
        in[i] = (float)(i % 251) / 251.0f;
    const float *ins[1] = {in};
    double t[MODEL_RUNS];
    for (int i = 0; i < MODEL_WARMUP + MODEL_RUNS; i++) {
        const double t0 = hc_now_s();
        nn_session_run(s, ins, outs);
        if (i >= MODEL_WARMUP)
            t[i - MODEL_WARMUP] = (hc_now_s() - t0) * 1e3;
    }
    *ms = hc_median_sort(t, MODEL_RUNS);
    nn_session_free(s);
    nn_model_free(m);
    free(in);
    for (int j = 0; j < n_sel; j++)
        free(outs[j]);
    return 0;
}
