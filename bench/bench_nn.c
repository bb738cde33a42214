/* bench_nn.c - inference speed of the four BlazePose models on hingecheck's XNNPACK runtime.
 *
 *   bench_nn [--runs N] [--warmup N] [--threads 1,2] [--model NAME] [--dump] [MODEL_DIR]
 *
 * Per model, thread count and output set (all outputs; landmarks only, i.e. without the
 * segmentation mask and heatmap): median ms per inference over N runs after the warm-up,
 * achieved GMAC/s, and the ratio to the yardstick in ../shared/PERF-NOTES.md (same graphs built
 * directly on this XNNPACK, 1 thread, idle machine). --dump prints each model's graph instead. */
#define _POSIX_C_SOURCE 200809L
#include "hingecheck.h"
#include "nn/nn_graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#ifndef HC_MODEL_DIR
#define HC_MODEL_DIR "models"
#endif

struct bench_model {
    const char *key, *file;
    double gmac;              /* per inference, all outputs */
    double ref_ms_all;        /* PERF-NOTES yardstick, 1 thread */
    double ref_ms_lm;         /* landmarks + flag + world only; 0: not applicable */
};

static const struct bench_model models[] = {
    {"lite", "pose_landmark_lite.tflite", 0.198, 10.1, 4.4},
    {"full", "pose_landmark_full.tflite", 0.386, 14.4, 8.5},
    {"heavy", "pose_landmark_heavy.tflite", 1.927, 48.0, 43.0},
    {"detector", "pose_detection.tflite", 0.430, 10.2, 0.0},
};

/* CPU time of this thread: on a shared machine it does not count the time other processes hold
 * the core, so 1-thread figures stay comparable when the wall clock does not. */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0)
            v = strtol(line + strlen(field), NULL, 10);
    fclose(f);
    return v;
}

static void dump(const struct nn_model *m)
{
    const struct nn_graph *g = nn_model_graph(m);
    static const char *const acts[] = {"", " relu", " relu6", " relu_n1_to_1"};
    int count[NN_OP_COUNT_] = {0};
    for (int i = 0; i < g->n_inputs; i++) {
        const struct nn_tensor_desc *d = nn_model_input(m, i);
        printf("  input %d %-24s [", i, d->name);
        for (int k = 0; k < d->rank; k++)
            printf("%s%d", k ? "," : "", (int)d->shape[k]);
        printf("]\n");
    }
    for (int i = 0; i < g->n_outputs; i++) {
        const struct nn_tensor_desc *d = nn_model_output(m, i);
        printf("  output %d %-23s [", i, d->name);
        for (int k = 0; k < d->rank; k++)
            printf("%s%d", k ? "," : "", (int)d->shape[k]);
        printf("]\n");
    }
    for (int k = 0; k < g->n_nodes; k++) {
        const struct nn_node *n = &g->nodes[k];
        const struct nn_tensor *o = &g->tensors[n->output];
        count[n->op]++;
        printf("  %4d %-18s out [", n->tflite_index, nn_op_name(n->op));
        for (int d = 0; d < o->rank; d++)
            printf("%s%d", d ? "," : "", (int)o->shape[d]);
        printf("]%s", acts[n->act]);
        switch (n->op) {
        case NN_OP_CONV_2D:
        case NN_OP_DEPTHWISE_CONV_2D: {
            const struct nn_tensor *f = &g->tensors[n->inputs[1]];
            printf(" k%dx%d s%d,%d d%d,%d %s%s", (int)f->shape[1], (int)f->shape[2],
                   n->p.conv.stride_h, n->p.conv.stride_w, n->p.conv.dilation_h,
                   n->p.conv.dilation_w, n->p.conv.padding == NN_PADDING_SAME ? "SAME" : "VALID",
                   n->inputs[2] < 0 ? " nobias" : "");
            break;
        }
        case NN_OP_MAX_POOL_2D:
            printf(" k%dx%d s%d,%d %s", n->p.pool.filter_h, n->p.pool.filter_w,
                   n->p.pool.stride_h, n->p.pool.stride_w,
                   n->p.pool.padding == NN_PADDING_SAME ? "SAME" : "VALID");
            break;
        case NN_OP_PAD:
            printf(" pads");
            for (int d = 0; d < g->tensors[n->inputs[0]].rank; d++)
                printf(" %d/%d", n->p.pad.pads[d][0], n->p.pad.pads[d][1]);
            break;
        case NN_OP_RESIZE_BILINEAR:
            printf(" align_corners=%d half_pixel=%d", n->p.resize.align_corners,
                   n->p.resize.half_pixel_centers);
            break;
        case NN_OP_DEPTH_TO_SPACE:
            printf(" block %d", n->p.d2s.block_size);
            break;
        case NN_OP_CONCATENATION:
            printf(" axis %d, %d inputs", n->p.concat.axis, n->n_inputs);
            break;
        case NN_OP_ADD:
            printf("%s%s", g->tensors[n->inputs[0]].data ? " const-a" : "",
                   g->tensors[n->inputs[1]].data ? " const-b" : "");
            break;
        default:
            break;
        }
        printf("\n");
    }
    printf("  op counts:");
    for (int i = 0; i < NN_OP_COUNT_; i++)
        if (count[i])
            printf(" %s=%d", nn_op_name((enum nn_op)i), count[i]);
    printf("\n");
}

/* The landmark set: every output except the segmentation mask and the heatmap (the two largest,
 * rank-4 outputs with more than 64x64 values or named for them). */
static int landmark_outputs(const struct nn_model *m, int *ids)
{
    int n = 0;
    for (int i = 0; i < nn_model_n_outputs(m); i++) {
        const struct nn_tensor_desc *d = nn_model_output(m, i);
        if (d->rank == 4 && d->shape[1] >= 64)
            continue; /* segmentation [1,256,256,1] and heatmap [1,64,64,39] */
        ids[n++] = i;
    }
    return n;
}

static int bench_one(const struct bench_model *bm, const struct nn_model *m, int threads,
                     const int *ids, int n_ids, int warmup, int runs, double ref_ms,
                     const char *label)
{
    struct nn_session *s = NULL;
    double t0 = hc_now_s();
    if (nn_session_create(m, threads, ids, n_ids, &s) != HC_OK) {
        fprintf(stderr, "bench_nn: %s\n", hc_last_error());
        return -1;
    }
    const double create_ms = (hc_now_s() - t0) * 1e3;
    const struct nn_tensor_desc *in = nn_model_input(m, 0);
    float *input = malloc(in->n_elems * sizeof(float));
    const int n_out = nn_session_n_outputs(s);
    float **outs = calloc((size_t)n_out, sizeof *outs);
    double *ms = calloc((size_t)runs, sizeof *ms), *cpu = calloc((size_t)runs, sizeof *cpu);
    if (!input || !outs || !ms || !cpu)
        return -1;
    unsigned r = 12345;
    for (size_t i = 0; i < in->n_elems; i++) {
        r = r * 1103515245u + 12345u;
        input[i] = (float)((r >> 8) & 0xffff) / 65535.0f;
    }
    for (int j = 0; j < n_out; j++) {
        const int oi = ids ? ids[j] : j;
        outs[j] = malloc(nn_model_output(m, oi)->n_elems * sizeof(float));
    }
    const float *ins[1] = {input};
    for (int i = 0; i < warmup; i++)
        nn_session_run(s, ins, outs);
    for (int i = 0; i < runs; i++) {
        const double c0 = thread_cpu_s();
        t0 = hc_now_s();
        nn_session_run(s, ins, outs);
        ms[i] = (hc_now_s() - t0) * 1e3;
        cpu[i] = (thread_cpu_s() - c0) * 1e3;
    }
    qsort(ms, (size_t)runs, sizeof *ms, hc_cmp_double);
    qsort(cpu, (size_t)runs, sizeof *cpu, hc_cmp_double);
    const double med = ms[runs / 2];
    printf("%-9s %-10s %dT  median %7.2f ms  (min %6.2f, p90 %6.2f)  %5.1f GMAC/s", bm->key,
           label, threads, med, ms[0], ms[runs * 9 / 10], bm->gmac / (med * 1e-3));
    if (threads == 1)
        printf("  cpu %6.2f ms", cpu[runs / 2]);
    if (ref_ms > 0 && threads == 1)
        printf("  yardstick %5.1f ms  ratio %.2f (cpu %.2f)", ref_ms, med / ref_ms,
               cpu[runs / 2] / ref_ms);
    printf("  create %.0f ms  RSS %ld MB\n", create_ms, rss_kb("VmRSS:") / 1024);
    fflush(stdout);
    for (int j = 0; j < n_out; j++)
        free(outs[j]);
    free(outs);
    free(ms);
    free(cpu);
    free(input);
    nn_session_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = HC_MODEL_DIR, *only = NULL;
    int runs = 50, warmup = 10, do_dump = 0;
    int threads[4] = {1, 2}, n_threads = 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc)
            warmup = atoi(argv[++i]);
        else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            n_threads = sscanf(argv[++i], "%d,%d,%d,%d", &threads[0], &threads[1], &threads[2],
                               &threads[3]);
        } else if (strcmp(argv[i], "--dump") == 0)
            do_dump = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench_nn [--runs N] [--warmup N] [--threads 1,2] "
                            "[--model lite|full|heavy|detector] [--dump] [MODEL_DIR]\n");
            return 1;
        } else
            dir = argv[i];
    }
    if (runs < 1 || warmup < 0 || n_threads < 1)
        return 1;
    printf("# %s; %d runs after %d warm-up\n", hc_nn_library_versions(), runs, warmup);
    for (size_t k = 0; k < HC_ARRAY_LEN(models); k++) {
        const struct bench_model *bm = &models[k];
        if (only && strcmp(only, bm->key) != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, bm->file);
        struct nn_model *m = NULL;
        const double t0 = hc_now_s();
        if (nn_model_load(path, &m) != HC_OK) {
            fprintf(stderr, "bench_nn: %s\n", hc_last_error());
            return 2;
        }
        printf("# %s: %s loaded in %.0f ms\n", bm->key, bm->file, (hc_now_s() - t0) * 1e3);
        if (do_dump) {
            dump(m);
            nn_model_free(m);
            continue;
        }
        int ids[16];
        const int n_lm = landmark_outputs(m, ids);
        for (int t = 0; t < n_threads; t++) {
            if (bench_one(bm, m, threads[t], NULL, 0, warmup, runs, bm->ref_ms_all, "all") != 0)
                return 2;
            if (bm->ref_ms_lm > 0 && n_lm < nn_model_n_outputs(m) &&
                bench_one(bm, m, threads[t], ids, n_lm, warmup, runs, bm->ref_ms_lm,
                          "landmarks") != 0)
                return 2;
        }
        nn_model_free(m);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("# peak RSS %ld MB\n", ru.ru_maxrss / 1024);
    return 0;
}
