/*
 * test_nn_bad.c - the .tflite reader and the session API on bad input: truncated files, flipped
 * bits, offsets pointing outside the file, 2^31-element vectors, unsupported ops and options,
 * bad arguments to run. Each must give HC_ERR_MODEL or HC_ERR_INVALID_ARG (HC_ERR_IO for a missing
 * file) with a message, never a crash; the suite also runs under ASan+UBSan (-DHC_SANITIZE=ON).
 *
 * The positive control is a tiny model written byte by byte (nn_tiny_model.c): it must load and
 * compute sigmoid(2x + 0.5), so a patched copy that fails does so because of the patch.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */

#include "nn/nn_graph.h"
#include "nn_ref.h"
#include "nn_tiny_model.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TINY_NAME "tiny.tflite"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static struct nn_tiny_model tiny(const struct nn_tiny_params *p)
{
    struct nn_tiny_model t;
    struct nn_tiny_params d = nn_tiny_default_params();
    ck_assert_int_eq(nn_tiny_model_build(p ? p : &d, &t), 0);
    return t;
}

/* A refusal: the expected status and a message naming the buffer. */
static void expect_refused(enum hc_status st, const char *what, const char *name)
{
    ck_assert_msg(st == HC_ERR_MODEL || st == HC_ERR_INVALID_ARG,
                  "%s: status %d (%s), expected HC_ERR_MODEL", what, (int)st, hc_strerror(st));
    const char *msg = hc_last_error();
    ck_assert_msg(msg && msg[0], "%s: refused without a message", what);
    if (name)
        ck_assert_msg(strstr(msg, name) != NULL, "%s: message does not name %s: %s", what, name,
                      msg);
}

/* Load from memory; both entry points (graph parser and model loader) must agree. Returns the
 * status of nn_model_load_buffer; *out gets the model when it loaded (else NULL). */
static enum hc_status load_both(const uint8_t *buf, size_t len, const char *name,
                                struct nn_model **out)
{
    struct nn_graph *g = NULL;
    const enum hc_status sg = nn_graph_parse(buf, len, name, &g);
    if (sg == HC_OK)
        ck_assert_ptr_nonnull(g);
    else
        ck_assert_ptr_null(g);
    nn_graph_free(g);
    struct nn_model *m = NULL;
    const enum hc_status sm = nn_model_load_buffer(buf, len, name, &m);
    if (sm == HC_OK)
        ck_assert_ptr_nonnull(m);
    else
        ck_assert_ptr_null(m);
    /* The model loader may refuse more (checks the graph), never less. */
    ck_assert_msg(!(sg != HC_OK && sm == HC_OK), "graph parse failed (%d) but model loaded",
                  (int)sg);
    if (out)
        *out = m;
    else
        nn_model_free(m);
    return sm;
}

/* Run a model that loaded (perhaps from damaged bytes): through the reference and XNNPACK, on a
 * small input, when its shapes are small enough to be cheap. Only "no crash" is asked. */
static void exercise(struct nn_model *m)
{
    const struct nn_graph *g = nn_model_graph(m);
    size_t total = 0;
    for (int i = 0; i < g->n_tensors; i++)
        total += g->tensors[i].n_elems;
    if (total > ((size_t)1 << 20))
        return;
    float *in[NN_MAX_NODE_INPUTS] = {0}, *out[16] = {0};
    if (g->n_inputs > NN_MAX_NODE_INPUTS || g->n_outputs > 16)
        return;
    for (int i = 0; i < g->n_inputs; i++) {
        const size_t n = g->tensors[g->inputs[i]].n_elems;
        in[i] = calloc(n ? n : 1, sizeof(float));
        ck_assert_ptr_nonnull(in[i]);
    }
    for (int i = 0; i < g->n_outputs; i++) {
        const size_t n = g->tensors[g->outputs[i]].n_elems;
        out[i] = calloc(n ? n : 1, sizeof(float));
        ck_assert_ptr_nonnull(out[i]);
    }
    (void)nn_ref_run(g, (const float *const *)in, out);
    struct nn_session *s = NULL;
    if (nn_session_create(m, 1, NULL, 0, &s) == HC_OK)
        (void)nn_session_run(s, (const float *const *)in, out);
    nn_session_free(s);
    for (int i = 0; i < g->n_inputs; i++)
        free(in[i]);
    for (int i = 0; i < g->n_outputs; i++)
        free(out[i]);
}

static uint32_t rng_next(uint32_t *s)
{
    /* xorshift32 (Marsaglia 2003): deterministic, seeded per test */
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static uint8_t *read_model(const char *file, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", HC_MODEL_DIR, file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    const long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* ---- positive control -------------------------------------------------------------------- */

START_TEST(test_tiny_loads_and_runs)
{
    struct nn_tiny_model t = tiny(NULL);
    struct nn_model *m = NULL;
    enum hc_status st = load_both(t.data, t.len, TINY_NAME, &m);
    ck_assert_msg(st == HC_OK, "tiny model refused: %s", hc_last_error());
    ck_assert_int_eq(nn_model_n_inputs(m), 1);
    ck_assert_int_eq(nn_model_n_outputs(m), 1);
    ck_assert_int_eq(nn_model_input(m, 0)->n_elems, 4);
    ck_assert_str_eq(nn_model_output(m, 0)->name, "output");

    const float x[4] = {-1.0f, 0.0f, 0.5f, 3.0f};
    const float *in[1] = {x};
    float ref[4], xnn[4];
    float *o_ref[1] = {ref}, *o_xnn[1] = {xnn};
    ck_assert_int_eq(nn_ref_run(nn_model_graph(m), in, o_ref), HC_OK);
    struct nn_session *s = NULL;
    ck_assert_int_eq(nn_session_create(m, 1, NULL, 0, &s), HC_OK);
    ck_assert_int_eq(nn_session_run(s, in, o_xnn), HC_OK);
    for (int i = 0; i < 4; i++) {
        const double want = 1.0 / (1.0 + exp(-(2.0 * x[i] + 0.5)));
        ck_assert_double_eq_tol(ref[i], want, 1e-6);
        ck_assert_double_eq_tol(xnn[i], want, 1e-5);
    }
    nn_session_free(s);
    nn_model_free(m);
    nn_tiny_model_free(&t);
}
END_TEST

/* ---- truncation ---------------------------------------------------------------------------- */

/* Every prefix of the tiny model: the file ends in the filter weights, so each cut loses bytes the
 * model needs. */
START_TEST(test_tiny_truncated)
{
    struct nn_tiny_model t = tiny(NULL);
    for (size_t n = 0; n < t.len; n++) {
        uint8_t *cut = malloc(n ? n : 1); /* exact-size copy: ASan sees any read past the end */
        ck_assert_ptr_nonnull(cut);
        memcpy(cut, t.data, n);
        char what[64];
        snprintf(what, sizeof(what), "tiny model cut to %zu of %zu bytes", n, t.len);
        expect_refused(load_both(cut, n, TINY_NAME, NULL), what, n ? TINY_NAME : NULL);
        free(cut);
    }
    nn_tiny_model_free(&t);
}
END_TEST

static const char *const real_models[] = {"pose_landmark_lite.tflite", "pose_detection.tflite",
                                          "pose_landmark_full.tflite",
                                          "pose_landmark_heavy.tflite"};

START_TEST(test_real_truncated)
{
    size_t len;
    uint8_t *b = read_model(real_models[_i], &len);
    if (!b) {
        printf("test_nn_bad: %s/%s absent, skipping (run models/fetch-models.sh)\n", HC_MODEL_DIR,
               real_models[_i]);
        return;
    }
    const size_t cuts[] = {0, 1, 4, 7, 8, 12, 16, 31, 64, 1000, 4096, len / 4, len / 2,
                           len - len / 4, len - 4096, len - 100, len - 9};
    for (size_t k = 0; k < HC_ARRAY_LEN(cuts); k++) {
        const size_t n = cuts[k];
        uint8_t *cut = malloc(n ? n : 1);
        ck_assert_ptr_nonnull(cut);
        memcpy(cut, b, n);
        char what[96];
        snprintf(what, sizeof(what), "%s cut to %zu of %zu bytes", real_models[_i], n, len);
        expect_refused(load_both(cut, n, real_models[_i], NULL), what,
                       n ? real_models[_i] : NULL);
        free(cut);
    }
    free(b);
}
END_TEST

/* ---- flipped bits ------------------------------------------------------------------------ */

/* Every single-bit flip of the tiny model: refused with a message, or loaded and then runnable
 * without a crash (a flipped weight still makes a valid model). */
START_TEST(test_tiny_bitflips)
{
    struct nn_tiny_model t = tiny(NULL);
    uint8_t *c = malloc(t.len);
    ck_assert_ptr_nonnull(c);
    int n_ok = 0, n_refused = 0;
    for (size_t bit = 0; bit < t.len * 8; bit++) {
        memcpy(c, t.data, t.len);
        c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        struct nn_model *m = NULL;
        const enum hc_status st = load_both(c, t.len, TINY_NAME, &m);
        if (st == HC_OK) {
            exercise(m);
            n_ok++;
        } else {
            char what[64];
            snprintf(what, sizeof(what), "tiny model, bit %zu flipped", bit);
            expect_refused(st, what, NULL);
            n_refused++;
        }
        nn_model_free(m);
    }
    printf("test_nn_bad: tiny model %zu single-bit flips: %d loaded, %d refused\n", t.len * 8,
           n_ok, n_refused);
    ck_assert_int_gt(n_refused, 0);
    free(c);
    nn_tiny_model_free(&t);
}
END_TEST

/* Random flips in a real model: a third in the first 4 KB, a third in the last 64 KB (where the
 * converter put the subgraph, tensor and operator tables), a third anywhere. */
START_TEST(test_real_bitflips)
{
    size_t len;
    uint8_t *b = read_model("pose_landmark_lite.tflite", &len);
    if (!b) {
        printf("test_nn_bad: pose_landmark_lite.tflite absent, skipping\n");
        return;
    }
    uint8_t *c = malloc(len);
    ck_assert_ptr_nonnull(c);
    memcpy(c, b, len);
    uint32_t seed = 0x5eed1234u;
    const int n_trials = 150;
    int n_ok = 0, n_refused = 0;
    for (int k = 0; k < n_trials; k++) {
        size_t pos[4];
        const int n_flips = 1 + (int)(rng_next(&seed) % 4);
        for (int j = 0; j < n_flips; j++) {
            const uint32_t r = rng_next(&seed);
            const size_t span = k % 3 == 0 ? 4096 : k % 3 == 1 ? 65536 : len;
            pos[j] = k % 3 == 1 ? len - 1 - r % span : r % span;
            c[pos[j]] ^= (uint8_t)(1u << (rng_next(&seed) % 8));
        }
        struct nn_model *m = NULL;
        const enum hc_status st = load_both(c, len, "lite-flipped", &m);
        if (st == HC_OK) {
            n_ok++;
        } else {
            expect_refused(st, "flipped lite model", NULL);
            n_refused++;
        }
        nn_model_free(m);
        memcpy(c, b, len); /* restore the whole copy (flips may repeat a position) */
    }
    printf("test_nn_bad: lite model %d random flip trials: %d loaded, %d refused\n", n_trials,
           n_ok, n_refused);
    ck_assert_int_gt(n_refused, 0);
    free(c);
    free(b);
}
END_TEST

/* ---- patched fields ---------------------------------------------------------------------- */

enum patch_field {
    P_ROOT,
    P_SUBGRAPHS,
    P_BUFFERS,
    P_TENSORS_LEN,
    P_WEIGHTS_LEN,
    P_SHAPE_LEN,
    P_FILTER_BUF,
    P_INPUT_INDEX
};

struct patch_case {
    const char *what;
    enum patch_field field;
    int relative_to_end; /* value is (file length - field position) + value */
    uint32_t value;
};

static const struct patch_case patch_cases[] = {
    {"root offset past the end", P_ROOT, 1, 100},
    {"root offset just past the end", P_ROOT, 1, 0},
    {"root offset 0xfffffff0", P_ROOT, 0, 0xfffffff0u},
    {"subgraphs offset past the end", P_SUBGRAPHS, 1, 4},
    {"subgraphs offset 2^31", P_SUBGRAPHS, 0, 0x80000000u},
    {"buffers offset 0xffffffff", P_BUFFERS, 0, 0xffffffffu},
    {"buffers offset on the last byte", P_BUFFERS, 1, (uint32_t)-1},
    {"tensors vector length 2^31", P_TENSORS_LEN, 0, 0x80000000u},
    {"tensors vector length 0xffffffff", P_TENSORS_LEN, 0, 0xffffffffu},
    {"weights length 2^31", P_WEIGHTS_LEN, 0, 0x80000000u},
    {"weights length 0 (filter without data)", P_WEIGHTS_LEN, 0, 0},
    {"weights length 5 (not the filter's size)", P_WEIGHTS_LEN, 0, 5},
    {"shape length 2^31", P_SHAPE_LEN, 0, 0x80000000u},
    {"shape rank 7", P_SHAPE_LEN, 0, 7},
    {"filter buffer index 99", P_FILTER_BUF, 0, 99},
    {"filter buffer index 2^31", P_FILTER_BUF, 0, 0x80000000u},
    {"input tensor index 99", P_INPUT_INDEX, 0, 99},
    {"input tensor index -1", P_INPUT_INDEX, 0, 0xffffffffu},
};

START_TEST(test_patched)
{
    const struct patch_case *pc = &patch_cases[_i];
    struct nn_tiny_model t = tiny(NULL);
    const size_t at[] = {[P_ROOT] = t.at_root,
                         [P_SUBGRAPHS] = t.at_subgraphs,
                         [P_BUFFERS] = t.at_buffers,
                         [P_TENSORS_LEN] = t.at_tensors_len,
                         [P_WEIGHTS_LEN] = t.at_weights_len,
                         [P_SHAPE_LEN] = t.at_shape_len,
                         [P_FILTER_BUF] = t.at_filter_buf,
                         [P_INPUT_INDEX] = t.at_in_index};
    const size_t pos = at[pc->field];
    ck_assert_uint_lt(pos + 4, t.len + 1);
    const uint32_t v = pc->relative_to_end ? (uint32_t)(t.len - pos) + pc->value : pc->value;
    put32(t.data + pos, v);
    expect_refused(load_both(t.data, t.len, TINY_NAME, NULL), pc->what, TINY_NAME);
    nn_tiny_model_free(&t);
}
END_TEST

/* ---- unsupported ops and options --------------------------------------------------------- */

struct unsup_case {
    const char *what;
    int second_op;
    int conv_act;
    int conv_padding;
    const char *custom;
    int op_index;             /* the operator at fault */
    const char *must_mention; /* the op (or option) name the message must contain */
    const char *or_mention;   /* ... or this */
};

static const struct unsup_case unsup_cases[] = {
    {"SOFTMAX", 25, 0, 1, NULL, 1, "SOFTMAX", NULL},
    {"TANH op", 28, 0, 1, NULL, 1, "TANH", NULL},
    {"MUL", 18, 0, 1, NULL, 1, "MUL", NULL},
    {"code 200", 200, 0, 1, NULL, 1, "200", NULL},
    {"custom op", 32, 0, 1, "NnrefMysteryOp", 1, "NnrefMysteryOp", "custom"},
    {"fused TANH on conv", 14, 4, 1, NULL, 0, "CONV_2D", NULL},
    {"fused SIGN_BIT on conv", 14, 5, 1, NULL, 0, "CONV_2D", NULL},
    {"padding 7 on conv", 14, 0, 7, NULL, 0, "CONV_2D", NULL},
};

START_TEST(test_unsupported)
{
    const struct unsup_case *uc = &unsup_cases[_i];
    struct nn_tiny_params p = nn_tiny_default_params();
    p.second_op = uc->second_op;
    p.conv_act = uc->conv_act;
    p.conv_padding = uc->conv_padding;
    p.custom = uc->custom;
    struct nn_tiny_model t = tiny(&p);
    struct nn_model *m = NULL;
    const enum hc_status st = nn_model_load_buffer(t.data, t.len, TINY_NAME, &m);
    ck_assert_ptr_null(m);
    ck_assert_msg(st == HC_ERR_MODEL, "%s: status %d, expected HC_ERR_MODEL", uc->what, (int)st);
    const char *msg = hc_last_error();
    ck_assert_msg(strstr(msg, uc->must_mention) != NULL ||
                      (uc->or_mention && strstr(msg, uc->or_mention) != NULL),
                  "%s: message does not name %s: %s", uc->what, uc->must_mention, msg);
    char idx[32];
    snprintf(idx, sizeof(idx), "operator %d", uc->op_index);
    ck_assert_msg(strstr(msg, idx) != NULL, "%s: message does not say \"%s\": %s", uc->what, idx,
                  msg);
    ck_assert_msg(strstr(msg, TINY_NAME) != NULL, "%s: message does not name the file: %s",
                  uc->what, msg);
    nn_tiny_model_free(&t);
}
END_TEST

/* ---- files and arguments ----------------------------------------------------------------- */

START_TEST(test_files)
{
    struct nn_model *m = (struct nn_model *)1;
    /* nn.h documents HC_ERR_IO; hc_model_path (hingecheck.h) uses HC_ERR_MODEL for a missing model
     * file: either is a clean refusal. */
    enum hc_status st = nn_model_load("/nonexistent/nnref/model.tflite", &m);
    ck_assert_msg(st == HC_ERR_IO || st == HC_ERR_MODEL, "missing file: status %d", (int)st);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "/nonexistent/nnref/model.tflite"));

    char path[] = "/tmp/nnref-empty-XXXXXX";
    const int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    m = (struct nn_model *)1;
    expect_refused(nn_model_load(path, &m), "empty file", path);
    ck_assert_ptr_null(m);
    unlink(path);

    /* A directory is not a model either. */
    m = (struct nn_model *)1;
    st = nn_model_load("/tmp", &m);
    ck_assert_msg(st == HC_ERR_IO || st == HC_ERR_MODEL, "directory: status %d", (int)st);
    ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_bad_args)
{
    struct nn_model *m = (struct nn_model *)1;
    ck_assert_int_eq(nn_model_load(NULL, &m), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(nn_model_load("x", NULL), HC_ERR_INVALID_ARG);
    m = (struct nn_model *)1;
    ck_assert_int_eq(nn_model_load_buffer(NULL, 100, "null", &m), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(m);
    struct nn_graph *g = (struct nn_graph *)1;
    ck_assert_int_eq(nn_graph_parse(NULL, 100, "null", &g), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(g);
    nn_model_free(NULL);
    nn_session_free(NULL);
    nn_graph_free(NULL);

    struct nn_tiny_model t = tiny(NULL);
    ck_assert_int_eq(nn_model_load_buffer(t.data, t.len, TINY_NAME, &m), HC_OK);
    ck_assert_ptr_null(nn_model_input(m, 1));
    ck_assert_ptr_null(nn_model_input(m, -1));
    ck_assert_ptr_null(nn_model_output(m, 1));

    /* Sessions: output ids out of range, no model. */
    struct nn_session *s = (struct nn_session *)1;
    const int bad_ids[] = {1, -1};
    for (size_t i = 0; i < HC_ARRAY_LEN(bad_ids); i++) {
        s = (struct nn_session *)1;
        ck_assert_int_eq(nn_session_create(m, 1, &bad_ids[i], 1, &s), HC_ERR_INVALID_ARG);
        ck_assert_ptr_null(s);
        ck_assert_str_ne(hc_last_error(), "");
    }
    s = (struct nn_session *)1;
    ck_assert_int_eq(nn_session_create(NULL, 1, NULL, 0, &s), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(s);

    ck_assert_int_eq(nn_session_create(m, 1, NULL, 0, &s), HC_OK);
    float x[4] = {0}, y[4];
    const float *in[1] = {x};
    const float *in_null[1] = {NULL};
    float *out[1] = {y};
    float *out_null[1] = {NULL};
    ck_assert_int_eq(nn_session_run(NULL, in, out), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(nn_session_run(s, NULL, out), HC_ERR_INVALID_ARG);
    ck_assert_str_ne(hc_last_error(), "");
    ck_assert_int_eq(nn_session_run(s, in, NULL), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(nn_session_run(s, in_null, out), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(nn_session_run(s, in, out_null), HC_ERR_INVALID_ARG);

    /* Wrong sizes, where the caller states them. */
    const size_t in_ok[1] = {4}, in_bad[1] = {3}, out_ok[1] = {4}, out_bad[1] = {5};
    ck_assert_int_eq(nn_session_run_sized(s, in, in_ok, out, out_ok), HC_OK);
    ck_assert_int_eq(nn_session_run_sized(s, in, in_bad, out, out_ok), HC_ERR_INVALID_ARG);
    ck_assert_str_ne(hc_last_error(), "");
    ck_assert_int_eq(nn_session_run_sized(s, in, in_ok, out, out_bad), HC_ERR_INVALID_ARG);
    /* Still usable after refusals. */
    ck_assert_int_eq(nn_session_run(s, in, out), HC_OK);
    ck_assert_double_eq_tol(y[0], 1.0 / (1.0 + exp(-0.5)), 1e-5);

    nn_session_free(s);
    nn_model_free(m);
    nn_tiny_model_free(&t);
}
END_TEST

static Suite *nn_bad_suite(void)
{
    Suite *s = suite_create("nn_bad");
    TCase *tc = tcase_create("tiny");
    tcase_add_test(tc, test_tiny_loads_and_runs);
    tcase_add_test(tc, test_tiny_truncated);
    tcase_add_test(tc, test_tiny_bitflips);
    tcase_add_loop_test(tc, test_patched, 0, (int)HC_ARRAY_LEN(patch_cases));
    tcase_add_loop_test(tc, test_unsupported, 0, (int)HC_ARRAY_LEN(unsup_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("real");
    tcase_add_loop_test(tc, test_real_truncated, 0, (int)HC_ARRAY_LEN(real_models));
    tcase_add_test(tc, test_real_bitflips);
    suite_add_tcase(s, tc);

    tc = tcase_create("api");
    tcase_add_test(tc, test_files);
    tcase_add_test(tc, test_bad_args);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return hc_check_run(nn_bad_suite());
}
