/* test_nn_load.c - the four BlazePose models load with the expected inputs and outputs, run on
 * XNNPACK to finite values, and give the same numbers whether the session computes all outputs or
 * a pruned subset, in any output order, on 1 or 2 threads, and with moved output buffers.
 * Skips (with a message) when models/ lacks the files: run models/fetch-models.sh. */
#include "hingecheck.h"
#include "nn/nn_graph.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct expect_io {
    const char *name;
    int rank;
    int32_t shape[4];
};

struct expect_model {
    const char *file;
    int n_out;
    struct expect_io in;
    struct expect_io out[5];
    int landmark_ids[3];      /* outputs kept in a pruned session; -1: none */
};

/* Shapes as published by MediaPipe for @mediapipe/pose 0.5.1675469404 (see models/README.md). */
static const struct expect_model models[] = {
    {"pose_landmark_lite.tflite", 5, {"input_1", 4, {1, 256, 256, 3}},
     {{"Identity", 2, {1, 195}}, {"Identity_1", 2, {1, 1}}, {"Identity_2", 4, {1, 256, 256, 1}},
      {"Identity_3", 4, {1, 64, 64, 39}}, {"Identity_4", 2, {1, 117}}},
     {0, 1, 4}},
    {"pose_landmark_full.tflite", 5, {"input_1", 4, {1, 256, 256, 3}},
     {{"Identity", 2, {1, 195}}, {"Identity_1", 2, {1, 1}}, {"Identity_2", 4, {1, 256, 256, 1}},
      {"Identity_3", 4, {1, 64, 64, 39}}, {"Identity_4", 2, {1, 117}}},
     {0, 1, 4}},
    {"pose_landmark_heavy.tflite", 5, {"input_1", 4, {1, 256, 256, 3}},
     {{"Identity", 2, {1, 195}}, {"Identity_1", 2, {1, 1}}, {"Identity_2", 4, {1, 256, 256, 1}},
      {"Identity_3", 4, {1, 64, 64, 39}}, {"Identity_4", 2, {1, 117}}},
     {0, 1, 4}},
    {"pose_detection.tflite", 2, {"input_1", 4, {1, 224, 224, 3}},
     {{"Identity", 3, {1, 2254, 12}}, {"Identity_1", 3, {1, 2254, 1}}},
     {1, -1, -1}},
};

static int model_path(const char *file, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", HC_MODEL_DIR, file);
    if (access(buf, R_OK) != 0) {
        printf("test_nn_load: %s absent, skipping (run models/fetch-models.sh)\n", buf);
        return 0;
    }
    return 1;
}

static struct nn_model *load(int i)
{
    char path[4096];
    if (!model_path(models[i].file, path, sizeof path))
        return NULL;
    struct nn_model *m = NULL;
    const enum hc_status st = nn_model_load(path, &m);
    ck_assert_msg(st == HC_OK, "%s: %s", path, hc_last_error());
    ck_assert_ptr_nonnull(m);
    return m;
}

/* A fixed synthetic image in [0,1]: smooth gradients plus a bright disc, so every layer sees
 * structure (a constant input would hide layout bugs). */
static float *test_image(const struct nn_tensor_desc *d)
{
    float *img = malloc(d->n_elems * sizeof *img);
    ck_assert_ptr_nonnull(img);
    const int h = d->shape[1], w = d->shape[2], c = d->shape[3];
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const float dx = (float)x - 0.5f * w, dy = (float)y - 0.4f * h;
            const float disc = dx * dx + dy * dy < 0.04f * w * h ? 0.6f : 0.0f;
            for (int k = 0; k < c; k++)
                img[((size_t)y * w + x) * c + k] =
                    fminf(1.0f, 0.3f * x / w + 0.3f * (float)y / h + 0.1f * k + disc);
        }
    return img;
}

static float **alloc_outputs(const struct nn_model *m, const int *ids, int n)
{
    float **o = calloc((size_t)n, sizeof *o);
    ck_assert_ptr_nonnull(o);
    for (int j = 0; j < n; j++) {
        o[j] = calloc(nn_model_output(m, ids ? ids[j] : j)->n_elems, sizeof(float));
        ck_assert_ptr_nonnull(o[j]);
    }
    return o;
}

static void free_outputs(float **o, int n)
{
    for (int j = 0; j < n; j++)
        free(o[j]);
    free(o);
}

/* Run a session for outputs `ids` (NULL: all) on `threads` threads. */
static float **run(const struct nn_model *m, int threads, const int *ids, int n, const float *img)
{
    struct nn_session *s = NULL;
    const enum hc_status st = nn_session_create(m, threads, ids, ids ? n : 0, &s);
    ck_assert_msg(st == HC_OK, "session: %s", hc_last_error());
    ck_assert_int_eq(nn_session_n_outputs(s), n);
    float **o = alloc_outputs(m, ids, n);
    const float *in[1] = {img};
    ck_assert_msg(nn_session_run(s, in, o) == HC_OK, "run: %s", hc_last_error());
    nn_session_free(s);
    return o;
}

/* Largest |a-b| relative to max(1, range of a). */
static double rel_diff(const float *a, const float *b, size_t n)
{
    float lo = a[0], hi = a[0];
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        lo = fminf(lo, a[i]);
        hi = fmaxf(hi, a[i]);
        worst = fmax(worst, fabs((double)a[i] - b[i]));
    }
    return worst / fmax(1.0, (double)hi - lo);
}

START_TEST(test_load_shapes)
{
    const struct expect_model *e = &models[_i];
    struct nn_model *m = load(_i);
    if (!m)
        return;
    ck_assert_int_eq(nn_model_n_inputs(m), 1);
    ck_assert_int_eq(nn_model_n_outputs(m), e->n_out);
    const struct nn_tensor_desc *in = nn_model_input(m, 0);
    ck_assert_str_eq(in->name, e->in.name);
    ck_assert_int_eq(in->rank, e->in.rank);
    for (int d = 0; d < in->rank; d++)
        ck_assert_int_eq(in->shape[d], e->in.shape[d]);
    for (int j = 0; j < e->n_out; j++) {
        const struct nn_tensor_desc *o = nn_model_output(m, j);
        size_t n = 1;
        ck_assert_str_eq(o->name, e->out[j].name);
        ck_assert_int_eq(o->rank, e->out[j].rank);
        for (int d = 0; d < o->rank; d++) {
            ck_assert_int_eq(o->shape[d], e->out[j].shape[d]);
            n *= (size_t)o->shape[d];
        }
        ck_assert_uint_eq(o->n_elems, n);
    }
    ck_assert_ptr_null(nn_model_output(m, e->n_out));
    /* Folding left compute ops only, all with fp32 constants. */
    const struct nn_graph *g = nn_model_graph(m);
    ck_assert_int_gt(g->n_nodes, 50);
    for (int k = 0; k < g->n_nodes; k++)
        ck_assert_int_lt((int)g->nodes[k].op, (int)NN_OP_COUNT_);
    nn_model_free(m);
}
END_TEST

START_TEST(test_run_finite)
{
    struct nn_model *m = load(_i);
    if (!m)
        return;
    const int n = nn_model_n_outputs(m);
    float *img = test_image(nn_model_input(m, 0));
    float **o = run(m, 1, NULL, n, img);
    for (int j = 0; j < n; j++) {
        const size_t ne = nn_model_output(m, j)->n_elems;
        float lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < ne; i++) {
            ck_assert_msg(isfinite(o[j][i]), "%s output %d[%zu] = %f", models[_i].file, j, i,
                          (double)o[j][i]);
            lo = fminf(lo, o[j][i]);
            hi = fmaxf(hi, o[j][i]);
        }
        /* Every multi-value output varies: a zeroed or constant output means a broken graph. */
        if (ne > 1)
            ck_assert_msg(hi > lo, "%s output %d is constant %f", models[_i].file, j, (double)lo);
    }
    free_outputs(o, n);
    free(img);
    nn_model_free(m);
}
END_TEST

START_TEST(test_pruned_equals_full)
{
    const struct expect_model *e = &models[_i];
    struct nn_model *m = load(_i);
    if (!m)
        return;
    int ids[3], n_ids = 0;
    for (int k = 0; k < 3; k++)
        if (e->landmark_ids[k] >= 0)
            ids[n_ids++] = e->landmark_ids[k];
    float *img = test_image(nn_model_input(m, 0));
    const int n = nn_model_n_outputs(m);
    float **full = run(m, 1, NULL, n, img);
    float **pruned = run(m, 1, ids, n_ids, img);
    for (int j = 0; j < n_ids; j++) {
        const size_t ne = nn_model_output(m, ids[j])->n_elems;
        ck_assert_msg(rel_diff(full[ids[j]], pruned[j], ne) <= 1e-6,
                      "%s output %d differs between full and pruned sessions", e->file, ids[j]);
    }
    /* Reversed order: outputs[] follows output_ids. */
    int rev[8];
    for (int j = 0; j < n; j++)
        rev[j] = n - 1 - j;
    float **r = run(m, 1, rev, n, img);
    for (int j = 0; j < n; j++)
        ck_assert_msg(rel_diff(full[rev[j]], r[j], nn_model_output(m, rev[j])->n_elems) <= 1e-6,
                      "%s output %d differs in a reordered session", e->file, rev[j]);
    free_outputs(r, n);
    free_outputs(pruned, n_ids);
    free_outputs(full, n);
    free(img);
    nn_model_free(m);
}
END_TEST

START_TEST(test_threads_agree)
{
    struct nn_model *m = load(_i);
    if (!m)
        return;
    float *img = test_image(nn_model_input(m, 0));
    const int n = nn_model_n_outputs(m);
    float **one = run(m, 1, NULL, n, img);
    float **two = run(m, 2, NULL, n, img);
    for (int j = 0; j < n; j++)
        ck_assert_msg(rel_diff(one[j], two[j], nn_model_output(m, j)->n_elems) <= 1e-5,
                      "%s output %d: 1 and 2 threads differ", models[_i].file, j);
    free_outputs(one, n);
    free_outputs(two, n);
    free(img);
    nn_model_free(m);
}
END_TEST

/* Runs with moved output buffers (XNNPACK set up again) and with the same ones (set up skipped)
 * give the same numbers; a changed input changes them. */
START_TEST(test_rerun_buffers)
{
    struct nn_model *m = load(3); /* detector: the edge-concatenation path */
    if (!m)
        return;
    float *img = test_image(nn_model_input(m, 0));
    struct nn_session *s = NULL;
    ck_assert_int_eq(nn_session_create(m, 1, NULL, 0, &s), HC_OK);
    float **a = alloc_outputs(m, NULL, 2), **b = alloc_outputs(m, NULL, 2);
    const float *in[1] = {img};
    const size_t in_n[1] = {nn_model_input(m, 0)->n_elems};
    const size_t out_n[2] = {nn_model_output(m, 0)->n_elems, nn_model_output(m, 1)->n_elems};
    ck_assert_int_eq(nn_session_run_sized(s, in, in_n, a, out_n), HC_OK);
    ck_assert_int_eq(nn_session_run_sized(s, in, in_n, b, out_n), HC_OK);
    for (int j = 0; j < 2; j++)
        ck_assert(rel_diff(a[j], b[j], out_n[j]) == 0);
    img[1000] += 0.5f;
    ck_assert_int_eq(nn_session_run(s, in, b), HC_OK);
    ck_assert_msg(rel_diff(a[0], b[0], out_n[0]) > 0, "input change did not reach the output");
    img[1000] -= 0.5f;
    ck_assert_int_eq(nn_session_run(s, in, b), HC_OK);
    ck_assert(rel_diff(a[0], b[0], out_n[0]) == 0);
    /* The concatenated output equals the one a session for that output alone computes. */
    const int only1[1] = {1};
    float **c = run(m, 1, only1, 1, img);
    ck_assert(rel_diff(a[1], c[0], out_n[1]) == 0);
    free_outputs(c, 1);
    free_outputs(a, 2);
    free_outputs(b, 2);
    nn_session_free(s);
    free(img);
    nn_model_free(m);
}
END_TEST

/* One loaded model shared by two threads, each with its own session, as the pipeline does. */
struct shared_run {
    const struct nn_model *m;
    const float *img;
    float **out;
    enum hc_status st;
};

static void *shared_thread(void *arg)
{
    struct shared_run *r = arg;
    struct nn_session *s = NULL;
    r->st = nn_session_create(r->m, 1, NULL, 0, &s);
    const float *in[1] = {r->img};
    for (int i = 0; i < 3 && r->st == HC_OK; i++)
        r->st = nn_session_run(s, in, r->out);
    nn_session_free(s);
    return NULL;
}

START_TEST(test_shared_model)
{
    struct nn_model *m = load(0);
    if (!m)
        return;
    const int n = nn_model_n_outputs(m);
    float *img = test_image(nn_model_input(m, 0));
    float **want = run(m, 1, NULL, n, img);
    struct shared_run r[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        r[i] = (struct shared_run){m, img, alloc_outputs(m, NULL, n), HC_ERR_INTERNAL};
        ck_assert_int_eq(pthread_create(&th[i], NULL, shared_thread, &r[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(r[i].st, HC_OK);
        for (int j = 0; j < n; j++)
            ck_assert(rel_diff(want[j], r[i].out[j], nn_model_output(m, j)->n_elems) == 0);
        free_outputs(r[i].out, n);
    }
    free_outputs(want, n);
    free(img);
    nn_model_free(m);
}
END_TEST

/* CONCATENATION on the graph's edge, all three ways the runtime does it: XNNPACK writing pieces
 * straight into their slices (axis 1, nothing before it), copies of strided pieces (axis 2), and a
 * piece that is also a selected output (written to a session buffer, then copied twice). */
static void set_tensor(struct nn_graph *g, int i, int rank, int d0, int d1, int d2)
{
    struct nn_tensor *t = &g->tensors[i];
    t->rank = rank;
    t->shape[0] = d0;
    t->shape[1] = d1;
    t->shape[2] = d2;
    t->n_elems = (size_t)d0 * (size_t)d1 * (size_t)d2;
}

static void set_node(struct nn_graph *g, int k, enum nn_op op, int out, int n_in, int a, int b,
                     int c, int axis)
{
    struct nn_node *n = &g->nodes[k];
    n->op = op;
    n->tflite_index = k;
    n->output = out;
    n->n_inputs = n_in;
    n->inputs[0] = a;
    n->inputs[1] = b;
    n->inputs[2] = c;
    n->p.concat.axis = axis;
}

static struct nn_model *edge_concat_model(void)
{
    struct nn_graph *g = calloc(1, sizeof *g);
    ck_assert_ptr_nonnull(g);
    g->n_tensors = 10;
    g->n_nodes = 8;
    g->tensors = calloc(10, sizeof *g->tensors);
    g->nodes = calloc(8, sizeof *g->nodes);
    g->n_inputs = 1;
    g->inputs = calloc(1, sizeof(int));
    g->n_outputs = 4;
    g->outputs = calloc(4, sizeof(int));
    ck_assert(g->tensors && g->nodes && g->inputs && g->outputs);
    for (int i = 0; i < 10; i++)
        set_tensor(g, i, 3, 1, 3, 2); /* X, A, B, -, E, F, -, G, - */
    set_tensor(g, 3, 3, 1, 6, 2);     /* C1 = [A; B] on axis 1 */
    set_tensor(g, 6, 3, 1, 3, 6);     /* C2 = [E, F, X] on axis 2 */
    set_tensor(g, 8, 3, 1, 6, 2);     /* C3 = [G; X] on axis 1 */
    set_tensor(g, 9, 2, 1, 6, 1);     /* unused tensor */
    set_node(g, 0, NN_OP_LOGISTIC, 1, 1, 0, -1, -1, 0);
    set_node(g, 1, NN_OP_RESHAPE, 2, 1, 0, -1, -1, 0);
    set_node(g, 2, NN_OP_CONCATENATION, 3, 2, 1, 2, -1, 1);
    set_node(g, 3, NN_OP_RESHAPE, 4, 1, 0, -1, -1, 0);
    set_node(g, 4, NN_OP_LOGISTIC, 5, 1, 0, -1, -1, 0);
    set_node(g, 5, NN_OP_CONCATENATION, 6, 3, 4, 5, 0, 2);
    set_node(g, 6, NN_OP_LOGISTIC, 7, 1, 0, -1, -1, 0);
    set_node(g, 7, NN_OP_CONCATENATION, 8, 2, 7, 0, -1, 1);
    g->inputs[0] = 0;
    g->outputs[0] = 3;
    g->outputs[1] = 6;
    g->outputs[2] = 7;
    g->outputs[3] = 8;
    struct nn_model *m = NULL;
    ck_assert_msg(nn_model_from_graph(g, "edge-concat", &m) == HC_OK, "%s", hc_last_error());
    return m;
}

static float sigm(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

START_TEST(test_edge_concat)
{
    struct nn_model *m = edge_concat_model();
    const float x[6] = {-2.0f, -0.5f, 0.0f, 0.25f, 1.0f, 3.0f};
    float want[4][18];
    for (int i = 0; i < 6; i++) {
        want[0][i] = sigm(x[i]);     /* C1: A then B (rows 0-2, rows 3-5) */
        want[0][6 + i] = x[i];
        want[2][i] = sigm(x[i]);     /* G */
        want[3][i] = sigm(x[i]);     /* C3: G then X */
        want[3][6 + i] = x[i];
    }
    for (int r = 0; r < 3; r++)      /* C2: per row, E (2) | F (2) | X (2) */
        for (int c = 0; c < 2; c++) {
            want[1][r * 6 + c] = x[r * 2 + c];
            want[1][r * 6 + 2 + c] = sigm(x[r * 2 + c]);
            want[1][r * 6 + 4 + c] = x[r * 2 + c];
        }
    const size_t n_out[4] = {12, 18, 6, 12};
    /* all outputs; then C3 alone, where G is only a piece and is written in place */
    const int all[4] = {0, 1, 2, 3}, only_c3[1] = {3};
    const int *sets[2] = {all, only_c3};
    const int n_sets[2] = {4, 1};
    for (int k = 0; k < 2; k++) {
        struct nn_session *s = NULL;
        ck_assert_msg(nn_session_create(m, 1, sets[k], n_sets[k], &s) == HC_OK, "%s",
                      hc_last_error());
        float out[4][18];
        float *o[4] = {out[0], out[1], out[2], out[3]};
        memset(out, 0xff, sizeof out);
        const float *in[1] = {x};
        ck_assert_int_eq(nn_session_run(s, in, o), HC_OK);
        for (int j = 0; j < n_sets[k]; j++) {
            const int oi = sets[k][j];
            for (size_t i = 0; i < n_out[oi]; i++)
                ck_assert_msg(fabsf(out[j][i] - want[oi][i]) < 1e-5f,
                              "set %d output %d [%zu]: %f, want %f", k, oi, i,
                              (double)out[j][i], (double)want[oi][i]);
        }
        nn_session_free(s);
    }
    nn_model_free(m);
}
END_TEST

/* X -> A = LOGISTIC(X) -> B = RESHAPE(A) -> C = CONCAT(B, B) -> D = LOGISTIC(C): A is both an
 * output and read inside the graph (session buffer, then copied); a session needing D has a
 * concatenation feeding another op, which this runtime refuses with a message. */
static struct nn_model *inner_model(void)
{
    struct nn_graph *g = calloc(1, sizeof *g);
    ck_assert_ptr_nonnull(g);
    g->n_tensors = 5;
    g->n_nodes = 4;
    g->tensors = calloc(5, sizeof *g->tensors);
    g->nodes = calloc(4, sizeof *g->nodes);
    g->n_inputs = 1;
    g->inputs = calloc(1, sizeof(int));
    g->n_outputs = 3;
    g->outputs = calloc(3, sizeof(int));
    ck_assert(g->tensors && g->nodes && g->inputs && g->outputs);
    set_tensor(g, 0, 3, 1, 3, 2);
    set_tensor(g, 1, 3, 1, 3, 2);
    set_tensor(g, 2, 3, 1, 6, 1);
    set_tensor(g, 3, 3, 1, 12, 1);
    set_tensor(g, 4, 3, 1, 12, 1);
    set_node(g, 0, NN_OP_LOGISTIC, 1, 1, 0, -1, -1, 0);
    set_node(g, 1, NN_OP_RESHAPE, 2, 1, 1, -1, -1, 0);
    set_node(g, 2, NN_OP_CONCATENATION, 3, 2, 2, 2, -1, 1);
    set_node(g, 3, NN_OP_LOGISTIC, 4, 1, 3, -1, -1, 0);
    g->outputs[0] = 1;
    g->outputs[1] = 2;
    g->outputs[2] = 4;
    struct nn_model *m = NULL;
    ck_assert_msg(nn_model_from_graph(g, "inner", &m) == HC_OK, "%s", hc_last_error());
    return m;
}

START_TEST(test_inner_uses)
{
    struct nn_model *m = inner_model();
    const float x[6] = {-3.0f, -1.0f, 0.0f, 0.5f, 2.0f, 4.0f};
    struct nn_session *s = NULL;
    const int ab[2] = {0, 1};
    ck_assert_msg(nn_session_create(m, 1, ab, 2, &s) == HC_OK, "%s", hc_last_error());
    float a[6], b[6];
    float *o[2] = {a, b};
    const float *in[1] = {x};
    ck_assert_int_eq(nn_session_run(s, in, o), HC_OK);
    for (int i = 0; i < 6; i++) {
        ck_assert_float_eq_tol(a[i], sigm(x[i]), 1e-5f);
        ck_assert_float_eq_tol(b[i], sigm(x[i]), 1e-5f);
    }
    nn_session_free(s);
    s = NULL;
    ck_assert_int_eq(nn_session_create(m, 1, NULL, 0, &s), HC_ERR_UNSUPPORTED);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(hc_last_error(), "CONCATENATION (operator 2)") != NULL, "message: %s",
                  hc_last_error());
    nn_model_free(m);
}
END_TEST

START_TEST(test_bad_args)
{
    struct nn_model *m = NULL;
    ck_assert_int_eq(nn_model_load(HC_MODEL_DIR "/no_such_model.tflite", &m), HC_ERR_MODEL);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "no_such_model.tflite"));
    nn_model_free(NULL);
    nn_session_free(NULL);
    if (!(m = load(0)))
        return;
    struct nn_session *s = NULL;
    const int bad_ids[2] = {0, 9}, dup_ids[2] = {1, 1};
    ck_assert_int_eq(nn_session_create(m, 1, bad_ids, 2, &s), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(nn_session_create(m, 1, dup_ids, 2, &s), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(nn_session_create(m, 0, NULL, 0, &s), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(nn_session_create(m, 1, NULL, 0, &s), HC_OK);
    float *img = test_image(nn_model_input(m, 0));
    float **o = alloc_outputs(m, NULL, 5);
    const float *in[1] = {img};
    const size_t wrong_in[1] = {224 * 224 * 3};
    ck_assert_int_eq(nn_session_run_sized(s, in, wrong_in, o, NULL), HC_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "pose_landmark_lite.tflite"));
    const size_t right_in[1] = {256 * 256 * 3}, wrong_out[5] = {195, 1, 10, 64 * 64 * 39, 117};
    ck_assert_int_eq(nn_session_run_sized(s, in, right_in, o, wrong_out), HC_ERR_INVALID_ARG);
    const float *null_in[1] = {NULL};
    ck_assert_int_eq(nn_session_run(s, null_in, o), HC_ERR_INVALID_ARG);
    free_outputs(o, 5);
    free(img);
    nn_session_free(s);
    nn_model_free(m);
}
END_TEST

START_TEST(test_version)
{
    ck_assert_ptr_nonnull(strstr(hc_nn_library_versions(), "XNNPACK"));
}
END_TEST

static Suite *nn_load_suite(void)
{
    Suite *s = suite_create("nn_load");
    TCase *tc = tcase_create("models");
    const int n = (int)HC_ARRAY_LEN(models);
    tcase_add_loop_test(tc, test_load_shapes, 0, n);
    tcase_add_loop_test(tc, test_run_finite, 0, n);
    tcase_add_loop_test(tc, test_pruned_equals_full, 0, n);
    tcase_add_loop_test(tc, test_threads_agree, 0, n);
    tcase_add_test(tc, test_rerun_buffers);
    tcase_add_test(tc, test_shared_model);
    tcase_add_test(tc, test_edge_concat);
    tcase_add_test(tc, test_inner_uses);
    tcase_add_test(tc, test_bad_args);
    tcase_add_test(tc, test_version);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return hc_check_run(nn_load_suite());
}
