#define _POSIX_C_SOURCE 200809L
/*
 * test_nn_agree.c - the XNNPACK runtime and the reference interpreter (tests/nn_ref.c), two
 * independent implementations of the same graph, must agree on every output of all four BlazePose
 * models: within 1e-4 of the output's range (max - min of the reference output).
 *
 * The reference held against XNNPACK is its float32 variant NN_REF_FLOAT_FMA, which rounds in
 * the order XNNPACK's x86-64 FMA kernels do (see nn_ref.h); the double reference is run too and
 * both float32 implementations' distance from it is printed. Why: the landmark models amplify
 * float32 rounding. Against the double reference, XNNPACK misses 1e-4 on the segmentation logits
 * (Identity_2: up to 7.9e-4 of the range, heavy, smooth input) and, on noise input, on three
 * outputs of pose_landmark_full (Identity 6.2e-4, Identity_2 3.7e-4, Identity_4 1.06e-3); a
 * float32 reference summing with a multiply and an add per term, or summing depthwise taps row
 * by row, misses by as much. Measured (nnref, 2026-11, AMD Zen 4, libxnnpack0
 * 0.0~git20220216): with the rounding order matched, every output of every model on every input
 * (noise, smooth, generated frame, three real clip frames) agrees bit for bit, except the
 * landmark models' pose flag (Identity_1, a LOGISTIC output), which differs by <= 6e-8 (XNNPACK's
 * sigmoid is an approximation within a few ulp). Max|d|/range of the float32 reference vs
 * double: <= 1.06e-3 (noise), <= 7.9e-4 (smooth), <= 2.3e-4 (generated), <= 8.6e-5 (clips).
 * A wrong kernel fails by far: the odd SAME pixel padded before instead of after, 1..4 of the
 * range; depthwise taps transposed in the float32 reference only, 0.8..2.5.
 * The match holds where XNNPACK picks single-chain FMA kernels (x86-64 with AVX-512 measured;
 * AVX2+FMA3 uses the same scheme). On a CPU without FMA its kernels round each product, the
 * rounding order no longer matches and the ill-conditioned outputs may miss 1e-4 there.
 *
 * Inputs, in each model's input range (MediaPipe's ImageToTensorCalculator options:
 * pose_landmark_by_roi_cpu.pbtxt [0, 1], pose_detection_cpu.pbtxt [-1, 1]):
 *   - uniform noise and smooth random images (deterministic seeds);
 *   - a generated frame: the synthetic lifter of tools/synth when built, else a simple figure
 *     drawn here;
 *   - (built with NNREF_CLIPS, label "shared") real frames from ../shared/clips, decoded with
 *     src/video, cropped and resized with plain bilinear code here.
 * Pruned sessions (a subset of outputs, as src/pose uses them) must agree too.
 */
#include "nn/nn_graph.h"
#include "nn_ref.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef NNREF_HAVE_SYNTH
#include "synth_render.h"
#endif
#ifdef NNREF_CLIPS
#include "video/video.h"
#include <dirent.h>
#endif

/* The agreement src/nn is held to ("within 1e-4 of the output's range"): XNNPACK vs the float32
 * reference (NN_REF_FLOAT_FMA). */
#define AGREE_REL_TOL 1e-4
/* The float32 reference vs the double one: how far float32 rounding alone moves an output. Measured
 * worst 1.06e-3 (pose_landmark_full, noise, Identity_4); the limit only keeps the float32 variant
 * of the reference from drifting from the op definitions unnoticed. */
#define AGREE_COND_TOL 5e-3

struct model_case {
    const char *file;
    float lo, hi;           /* input value range */
    int is_landmark;        /* outputs: landmarks, flag, segmentation, heatmap, world */
};

static const struct model_case models[] = {
    {"pose_landmark_lite.tflite", 0.0f, 1.0f, 1},
    {"pose_landmark_full.tflite", 0.0f, 1.0f, 1},
    {"pose_landmark_heavy.tflite", 0.0f, 1.0f, 1},
    {"pose_detection.tflite", -1.0f, 1.0f, 0},
};

static inline uint32_t rng_next(uint32_t *s)
{
    /* xorshift32 (Marsaglia 2003) */
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static inline float rng_unit(uint32_t *s)
{
    return (float)(rng_next(s) >> 8) / 16777216.0f;
}

/* ---- inputs ------------------------------------------------------------------------------ */

struct image {
    int w, h;        /* RGB24, stride w*3 */
    uint8_t *rgb;
};

#ifndef NNREF_CLIPS
static void fill_uniform(float *x, size_t n, float lo, float hi, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * rng_unit(&seed);
}

/* Sum of a few random plane waves per channel: image-like low frequencies over the full range. */
static void fill_smooth(float *x, int w, int h, float lo, float hi, uint32_t seed)
{
    float fx[3][4], fy[3][4], ph[3][4];
    for (int c = 0; c < 3; c++)
        for (int k = 0; k < 4; k++) {
            fx[c][k] = (rng_unit(&seed) - 0.5f) * 0.3f;
            fy[c][k] = (rng_unit(&seed) - 0.5f) * 0.3f;
            ph[c][k] = rng_unit(&seed) * 6.2831853f;
        }
    for (int y = 0; y < h; y++)
        for (int xx = 0; xx < w; xx++)
            for (int c = 0; c < 3; c++) {
                float v = 0;
                for (int k = 0; k < 4; k++)
                    v += sinf(fx[c][k] * (float)xx + fy[c][k] * (float)y + ph[c][k]);
                x[((size_t)y * w + xx) * 3 + c] = lo + (hi - lo) * (0.5f + v / 8.0f);
            }
}

static void fill_rect(struct image *im, double x0, double y0, double x1, double y1,
                      const uint8_t col[3])
{
    for (int y = (int)fmax(0, y0); y < (int)fmin(im->h, y1); y++)
        for (int x = (int)fmax(0, x0); x < (int)fmin(im->w, x1); x++)
            memcpy(im->rgb + ((size_t)y * im->w + x) * 3, col, 3);
}

static void fill_ellipse(struct image *im, double cx, double cy, double rx, double ry,
                         const uint8_t col[3])
{
    for (int y = (int)fmax(0, cy - ry); y < (int)fmin(im->h, cy + ry + 1); y++)
        for (int x = (int)fmax(0, cx - rx); x < (int)fmin(im->w, cx + rx + 1); x++) {
            const double u = (x - cx) / rx, v = (y - cy) / ry;
            if (u * u + v * v <= 1.0)
                memcpy(im->rgb + ((size_t)y * im->w + x) * 3, col, 3);
        }
}

/* A generated frame: tools/synth's renderer when it is built, else a plain standing figure
 * (head, torso, legs, arms) on a gradient background. */
static struct image generated_frame(void)
{
    struct image im = {0};
#ifdef NNREF_HAVE_SYNTH
    struct synth_params p = synth_default_params(SYNTH_LIFT_RDL);
    struct synth_script sc;
    if (synth_script_init(&p, &sc) == HC_OK) {
        struct synth_pose pose;
        struct synth_style st;
        synth_style_default(&st, 0);
        synth_pose_at(&sc, sc.duration_s * 0.3, &pose);
        im.w = sc.p.width_px;
        im.h = sc.p.height_px;
        im.rgb = malloc((size_t)im.w * im.h * 3);
        ck_assert_ptr_nonnull(im.rgb);
        synth_render(&sc, &pose, &st, im.rgb, im.w * 3);
        printf("test_nn_agree: generated frame: tools/synth RDL at 30%%, %dx%d\n", im.w, im.h);
        return im;
    }
    printf("test_nn_agree: synth_script_init failed (%s); drawing a plain figure\n",
           hc_last_error());
#endif
    printf("test_nn_agree: generated frame: plain figure drawn by the test, 480x640\n");
    im.w = 480;
    im.h = 640;
    im.rgb = malloc((size_t)im.w * im.h * 3);
    ck_assert_ptr_nonnull(im.rgb);
    for (int y = 0; y < im.h; y++)
        for (int x = 0; x < im.w; x++) {
            uint8_t *px = im.rgb + ((size_t)y * im.w + x) * 3;
            px[0] = (uint8_t)(200 - y / 8);
            px[1] = (uint8_t)(190 - y / 10);
            px[2] = (uint8_t)(170 + x / 12);
        }
    const uint8_t skin[3] = {224, 172, 140}, shirt[3] = {40, 80, 180}, legs[3] = {50, 50, 60};
    fill_rect(&im, 0, 560, im.w, im.h, (const uint8_t[3]){110, 100, 90});
    fill_ellipse(&im, 240, 130, 34, 42, skin);
    fill_rect(&im, 190, 175, 290, 360, shirt);
    fill_rect(&im, 160, 180, 188, 340, skin);
    fill_rect(&im, 292, 180, 320, 340, skin);
    fill_rect(&im, 196, 360, 236, 560, legs);
    fill_rect(&im, 244, 360, 284, 560, legs);
    return im;
}

#endif /* !NNREF_CLIPS */

/* Bilinear sample of channel c at (x, y); outside the image: 0 (black, like MediaPipe's
 * BORDER_ZERO). */
static float sample(const uint8_t *rgb, int w, int h, int stride, float x, float y, int c)
{
    const int x0 = (int)floorf(x), y0 = (int)floorf(y);
    const float fx = x - (float)x0, fy = y - (float)y0;
    float v = 0;
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 2; i++) {
            const int xx = x0 + i, yy = y0 + j;
            const float wgt = (i ? fx : 1 - fx) * (j ? fy : 1 - fy);
            if (xx >= 0 && xx < w && yy >= 0 && yy < h)
                v += wgt * rgb[(size_t)yy * stride + (size_t)xx * 3 + c];
        }
    return v;
}

/* The square of side `side` px centred on (cx, cy), resized to out_w x out_h and mapped from
 * [0, 255] to [lo, hi]. */
static void crop_to_input(const uint8_t *rgb, int w, int h, int stride, float cx, float cy,
                          float side, int out_w, int out_h, float lo, float hi, float *dst)
{
    for (int y = 0; y < out_h; y++)
        for (int x = 0; x < out_w; x++) {
            const float sx = cx + ((float)x + 0.5f) / (float)out_w * side - side / 2 - 0.5f;
            const float sy = cy + ((float)y + 0.5f) / (float)out_h * side - side / 2 - 0.5f;
            for (int c = 0; c < 3; c++)
                dst[((size_t)y * out_w + x) * 3 + c] =
                    lo + (hi - lo) * sample(rgb, w, h, stride, sx, sy, c) / 255.0f;
        }
}

/* Landmark models see a square crop around the middle of the frame (where the lifter is in our
 * clips); the detector sees the whole frame letterboxed, as MediaPipe feeds it. */
static void frame_to_input(const struct model_case *mc, const struct nn_tensor_desc *d,
                           const uint8_t *rgb, int w, int h, int stride, float *dst)
{
    const float side = mc->is_landmark ? 0.9f * (float)(w < h ? w : h) : (float)(w > h ? w : h);
    crop_to_input(rgb, w, h, stride, (float)w / 2, (float)h / 2, side, d->shape[2], d->shape[1],
                  mc->lo, mc->hi, dst);
}

/* ---- comparison -------------------------------------------------------------------------- */

struct loaded {
    struct nn_model *m;
    const struct nn_graph *g;
    int n_out;
    float *ref[8];
    float *reff[8];   /* reference in float32 with XNNPACK's rounding order (NN_REF_FLOAT_FMA) */
    float *xnn[8];
};

static int load_model(int idx, struct loaded *L)
{
    memset(L, 0, sizeof(*L));
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", HC_MODEL_DIR, models[idx].file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("test_nn_agree: %s absent, skipping (run models/fetch-models.sh)\n", path);
        return 0;
    }
    fclose(f);
    ck_assert_msg(nn_model_load(path, &L->m) == HC_OK, "%s", hc_last_error());
    L->g = nn_model_graph(L->m);
    L->n_out = nn_model_n_outputs(L->m);
    ck_assert_int_le(L->n_out, 8);
    ck_assert_int_eq(nn_model_n_inputs(L->m), 1);
    for (int j = 0; j < L->n_out; j++) {
        L->ref[j] = malloc(nn_model_output(L->m, j)->n_elems * sizeof(float));
        L->reff[j] = malloc(nn_model_output(L->m, j)->n_elems * sizeof(float));
        L->xnn[j] = malloc(nn_model_output(L->m, j)->n_elems * sizeof(float));
        ck_assert(L->ref[j] && L->reff[j] && L->xnn[j]);
    }
    return 1;
}

static void free_model(struct loaded *L)
{
    for (int j = 0; j < L->n_out; j++) {
        free(L->ref[j]);
        free(L->reff[j]);
        free(L->xnn[j]);
    }
    nn_model_free(L->m);
}

/* Worst |xnn - ref| over the output, relative to the reference output's range. A one-element
 * output (the landmark models' pose flag, a probability) has no range: its scale is 1. */
static double rel_err(const float *ref, const float *xnn, size_t n, double *range_out)
{
    float mn = ref[0], mx = ref[0];
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        mn = fminf(mn, ref[i]);
        mx = fmaxf(mx, ref[i]);
        const double d = fabs((double)xnn[i] - (double)ref[i]);
        if (!(d <= worst)) /* NaN counts as the worst */
            worst = isnan(d) ? INFINITY : d;
    }
    double range = n == 1 ? 1.0 : (double)mx - (double)mn;
    if (range <= 0)
        range = 1e-30;
    *range_out = range;
    return worst / range;
}

/* The references (double; float32 rounding as XNNPACK does) and a full session on `in`; then
 * each pruned session. XNNPACK is held to the float32 reference; the distance of both float32
 * implementations from the double one is printed (how much the model amplifies rounding). */
static void check_input(int idx, struct loaded *L, struct nn_session *full,
                        struct nn_session *const *pruned, const int *const *pruned_ids,
                        const int *n_pruned_ids, int n_pruned, const float *in, const char *label)
{
    const float *ins[1] = {in};
    const double t0 = hc_now_s();
    ck_assert_msg(nn_ref_run(L->g, ins, L->ref) == HC_OK, "%s: %s", models[idx].file,
                  hc_last_error());
    const double t1 = hc_now_s();
    ck_assert_msg(nn_ref_run_prec(L->g, ins, L->reff, NN_REF_FLOAT_FMA) == HC_OK, "%s: %s",
                  models[idx].file, hc_last_error());
    const double t2 = hc_now_s();
    ck_assert_msg(nn_session_run(full, ins, L->xnn) == HC_OK, "%s", hc_last_error());
    double worst = 0, worst_cond = 0;
    int worst_j = 0, worst_cond_j = 0;
    for (int j = 0; j < L->n_out; j++) {
        const struct nn_tensor_desc *d = nn_model_output(L->m, j);
        double range, range_d, range_d2;
        const double e = rel_err(L->reff[j], L->xnn[j], d->n_elems, &range);
        const double e_xd = rel_err(L->ref[j], L->xnn[j], d->n_elems, &range_d);
        const double e_fd = rel_err(L->ref[j], L->reff[j], d->n_elems, &range_d2);
        printf("agree %-27s %-11s out %d %-11s n=%-6zu range %-9.4g max|d|/range: "
               "xnn-vs-f32ref %.2e%s | vs double: xnn %.2e, f32ref %.2e\n",
               models[idx].file, label, j, d->name, d->n_elems, range, e,
               e > AGREE_REL_TOL ? " OVER" : "", e_xd, e_fd);
        if (!(e <= worst)) {
            worst = e;
            worst_j = j;
        }
        if (!(e_fd <= worst_cond)) {
            worst_cond = e_fd;
            worst_cond_j = j;
        }
    }
    printf("agree %-27s %-11s reference %.2f s (double), %.2f s (float32)\n", models[idx].file,
           label, t1 - t0, t2 - t1);
    ck_assert_msg(worst <= AGREE_REL_TOL, "%s input %s output %d (%s): XNNPACK differs from the "
                  "float32 reference by %.3g of the output's range (limit %.0e)",
                  models[idx].file, label, worst_j, nn_model_output(L->m, worst_j)->name, worst,
                  AGREE_REL_TOL);
    ck_assert_msg(worst_cond <= AGREE_COND_TOL, "%s input %s output %d (%s): the float32 reference "
                  "differs from the double one by %.3g of the output's range (limit %.0e)",
                  models[idx].file, label, worst_cond_j, nn_model_output(L->m, worst_cond_j)->name,
                  worst_cond, AGREE_COND_TOL);
    for (int k = 0; k < n_pruned; k++) {
        float *outs[8];
        for (int j = 0; j < n_pruned_ids[k]; j++) {
            outs[j] = L->xnn[j];
            memset(outs[j], 0xff, nn_model_output(L->m, pruned_ids[k][j])->n_elems * 4);
        }
        ck_assert_msg(nn_session_run(pruned[k], ins, outs) == HC_OK, "%s", hc_last_error());
        for (int j = 0; j < n_pruned_ids[k]; j++) {
            const int o = pruned_ids[k][j];
            double range;
            const double e = rel_err(L->reff[o], outs[j], nn_model_output(L->m, o)->n_elems,
                                     &range);
            ck_assert_msg(e <= AGREE_REL_TOL, "%s input %s, session pruned to %d outputs: "
                          "output %d differs from the reference by %.3g of its range",
                          models[idx].file, label, n_pruned_ids[k], o, e);
        }
    }
}

/* The output subsets src/pose asks for: landmarks only; landmarks + flag + world. */
static const int ids_lm[] = {0};
static const int ids_lm_flag_world[] = {0, 1, 4};

struct sessions {
    struct nn_session *full;
    struct nn_session *pruned[2];
    const int *ids[2];
    int n_ids[2];
    int n_pruned;
};

static void open_sessions(int idx, const struct loaded *L, int n_threads, struct sessions *S)
{
    memset(S, 0, sizeof(*S));
    ck_assert_msg(nn_session_create(L->m, n_threads, NULL, 0, &S->full) == HC_OK, "%s",
                  hc_last_error());
    if (models[idx].is_landmark && L->n_out == 5) {
        S->ids[0] = ids_lm;
        S->n_ids[0] = 1;
        S->ids[1] = ids_lm_flag_world;
        S->n_ids[1] = 3;
        S->n_pruned = 2;
        for (int k = 0; k < 2; k++)
            ck_assert_msg(nn_session_create(L->m, n_threads, S->ids[k], S->n_ids[k],
                                            &S->pruned[k]) == HC_OK,
                          "%s", hc_last_error());
    }
}

static void close_sessions(struct sessions *S)
{
    nn_session_free(S->full);
    for (int k = 0; k < S->n_pruned; k++)
        nn_session_free(S->pruned[k]);
}

#ifndef NNREF_CLIPS
/* Noise, smooth noise and a generated frame, on every model; 2 threads for the smooth input. */
START_TEST(test_agree_synthetic)
{
    struct loaded L;
    if (!load_model(_i, &L))
        return;
    const struct nn_tensor_desc *d = nn_model_input(L.m, 0);
    ck_assert_int_eq(d->rank, 4);
    ck_assert_int_eq(d->shape[3], 3);
    float *in = malloc(d->n_elems * sizeof(float));
    ck_assert_ptr_nonnull(in);
    struct sessions S, S2;
    open_sessions(_i, &L, 1, &S);

    fill_uniform(in, d->n_elems, models[_i].lo, models[_i].hi, 0x1234567u + (uint32_t)_i);
    check_input(_i, &L, S.full, S.pruned, S.ids, S.n_ids, S.n_pruned, in, "noise");

    fill_smooth(in, d->shape[2], d->shape[1], models[_i].lo, models[_i].hi, 0xabcdefu);
    open_sessions(_i, &L, 2, &S2);
    check_input(_i, &L, S2.full, S2.pruned, S2.ids, S2.n_ids, S2.n_pruned, in, "smooth/2thr");
    close_sessions(&S2);

    struct image im = generated_frame();
    frame_to_input(&models[_i], d, im.rgb, im.w, im.h, im.w * 3, in);
    check_input(_i, &L, S.full, S.pruned, S.ids, S.n_ids, S.n_pruned, in, "generated");
    free(im.rgb);

    close_sessions(&S);
    free(in);
    free_model(&L);
}
END_TEST
#else
/* Frames from ../shared/clips: one frame 1 s into each of the first few clips (in byte order of
 * their names) that differ in frame size, so the crop and resize see different shapes. */
#define AGREE_N_CLIPS 3

static int is_mp4(const struct dirent *e)
{
    const size_t n = strlen(e->d_name);
    return n > 4 && strcmp(e->d_name + n - 4, ".mp4") == 0;
}

START_TEST(test_agree_clips)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/clips", HC_SHARED_DIR);
    DIR *dp = opendir(dir);
    if (!dp) {
        printf("test_nn_agree_clips: %s absent, skipping\n", dir);
        return;
    }
    closedir(dp);
    struct loaded L;
    if (!load_model(_i, &L))
        return;
    const struct nn_tensor_desc *d = nn_model_input(L.m, 0);
    float *in = malloc(d->n_elems * sizeof(float));
    ck_assert_ptr_nonnull(in);
    struct sessions S;
    open_sessions(_i, &L, 1, &S);
    struct dirent **names = NULL;
    const int n_names = scandir(dir, &names, is_mp4, alphasort);
    int n_done = 0, sizes[AGREE_N_CLIPS][2];
    for (int c = 0; c < n_names; c++) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, names[c]->d_name);
        struct video_open_params p = video_default_open_params();
        p.start_s = 1.0;
        struct video_decoder *dec = NULL;
        struct video_frame fr;
        int seen = n_done >= AGREE_N_CLIPS;
        /* a clip shorter than 1 s has no such frame: the next one */
        if (!seen && video_decoder_open(path, &p, &dec) == HC_OK &&
            video_decoder_next(dec, &fr) == HC_OK) {
            for (int k = 0; k < n_done; k++)
                seen |= sizes[k][0] == fr.width_px && sizes[k][1] == fr.height_px;
            if (!seen) {
                frame_to_input(&models[_i], d, fr.rgb, fr.width_px, fr.height_px, fr.stride, in);
                char label[16];
                snprintf(label, sizeof(label), "clip%d", n_done);
                printf("test_nn_agree_clips: %s is %s (%dx%d)\n", label, names[c]->d_name,
                       fr.width_px, fr.height_px);
                check_input(_i, &L, S.full, S.pruned, S.ids, S.n_ids, S.n_pruned, in, label);
                sizes[n_done][0] = fr.width_px;
                sizes[n_done][1] = fr.height_px;
                n_done++;
            }
        }
        video_decoder_free(dec);
        free(names[c]);
    }
    free(names);
    ck_assert_msg(n_done > 0, "no clip could be decoded in %s", dir);
    close_sessions(&S);
    free(in);
    free_model(&L);
}
END_TEST
#endif

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* keep the per-output lines of a failing forked case */
    Suite *s = suite_create("nn_agree");
    TCase *tc = tcase_create("models");
    tcase_set_timeout(tc, 600); /* the heavy model's reference runs take seconds */
#ifndef NNREF_CLIPS
    tcase_add_loop_test(tc, test_agree_synthetic, 0, (int)HC_ARRAY_LEN(models));
#else
    tcase_add_loop_test(tc, test_agree_clips, 0, (int)HC_ARRAY_LEN(models));
#endif
    suite_add_tcase(s, tc);
    return hc_check_run(s);
}
