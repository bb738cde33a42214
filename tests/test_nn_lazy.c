/* test_nn_lazy.c - lazy weights (nn_graph.h, enum nn_lazy): a lazy model drops its graph once a
 * session is built and parses it again from its file for the next one. Sessions made before and
 * after the drop, and from a model that keeps its weights, must give the same bits; a model file
 * changed meanwhile must be refused with a message, not read. Skips (with a message) when
 * models/ lacks the files: run models/fetch-models.sh. */
#define _DEFAULT_SOURCE /* mkstemp, utimensat */
#include "nn/nn_graph.h"

#include <check.h>
#include "hc_check.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct lazy_case {
    const char *file;
    enum nn_lazy mode;
    int lazy;            /* expected: weights dropped after a session is built */
};

/* The heavy model is lazy by default (its fp32 weights are 55 MB); the others only when asked. */
static const struct lazy_case cases[] = {
    {"pose_landmark_full.tflite", NN_LAZY_ALWAYS, 1},
    {"pose_detection.tflite", NN_LAZY_ALWAYS, 1},
    {"pose_landmark_heavy.tflite", NN_LAZY_AUTO, 1},
    {"pose_landmark_full.tflite", NN_LAZY_AUTO, 0},
};

static int model_path(const char *file, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", HC_MODEL_DIR, file);
    if (access(buf, R_OK) != 0) {
        printf("test_nn_lazy: %s absent, skipping (run models/fetch-models.sh)\n", buf);
        return 0;
    }
    return 1;
}

/* Runs a session on a fixed ramp input; returns malloc'd outputs, one block per output. */
static float **run_all(struct nn_session *s, const struct nn_model *m, const int *ids, int n)
{
    const struct nn_tensor_desc *d = nn_model_input(m, 0);
    float *in = malloc(d->n_elems * sizeof *in);
    ck_assert_ptr_nonnull(in);
    for (size_t i = 0; i < d->n_elems; i++)
        in[i] = (float)(i % 251) / 250.0f;
    float **out = calloc((size_t)n, sizeof *out);
    ck_assert_ptr_nonnull(out);
    for (int j = 0; j < n; j++) {
        out[j] = malloc(nn_model_output(m, ids[j])->n_elems * sizeof(float));
        ck_assert_ptr_nonnull(out[j]);
    }
    const float *ins[1] = {in};
    ck_assert_msg(nn_session_run(s, ins, out) == HC_OK, "%s", hc_last_error());
    free(in);
    return out;
}

static void free_outs(float **o, int n)
{
    for (int j = 0; j < n; j++)
        free(o[j]);
    free(o);
}

START_TEST(test_same_bits)
{
    const struct lazy_case *c = &cases[_i];
    char path[4096];
    if (!model_path(c->file, path, sizeof path))
        return;
    struct nn_model *m = NULL, *ref = NULL;
    ck_assert_msg(nn_model_load_lazy(path, c->mode, &m) == HC_OK, "%s", hc_last_error());
    ck_assert_msg(nn_model_load_lazy(path, NN_LAZY_NEVER, &ref) == HC_OK, "%s", hc_last_error());
    ck_assert_int_ne(nn_model_weights_resident(m), 0); /* kept until the first session */
    const int n_out = nn_model_n_outputs(m);
    int all[8], first[1] = {0};
    ck_assert_int_le(n_out, 8);
    for (int j = 0; j < n_out; j++)
        all[j] = j;
    /* a pruned session, then one with every output: the second one re-reads the file */
    struct nn_session *s1 = NULL, *s2 = NULL, *sr = NULL;
    ck_assert_msg(nn_session_create(m, 1, first, 1, &s1) == HC_OK, "%s", hc_last_error());
    ck_assert_int_eq(nn_model_weights_resident(m), !c->lazy);
    ck_assert_msg(nn_session_create(m, 1, all, n_out, &s2) == HC_OK, "%s", hc_last_error());
    ck_assert_int_eq(nn_model_weights_resident(m), !c->lazy);
    ck_assert_msg(nn_session_create(ref, 1, all, n_out, &sr) == HC_OK, "%s", hc_last_error());
    ck_assert_int_ne(nn_model_weights_resident(ref), 0);
    float **o1 = run_all(s1, m, first, 1), **o2 = run_all(s2, m, all, n_out);
    float **orf = run_all(sr, ref, all, n_out);
    for (int j = 0; j < n_out; j++) {
        const size_t n = nn_model_output(m, j)->n_elems;
        ck_assert_msg(memcmp(o2[j], orf[j], n * sizeof(float)) == 0,
                      "%s: output %d differs between lazy and resident weights", c->file, j);
    }
    ck_assert_msg(memcmp(o1[0], orf[0], nn_model_output(m, 0)->n_elems * sizeof(float)) == 0,
                  "%s: the pruned session differs", c->file);
    free_outs(o1, 1);
    free_outs(o2, n_out);
    free_outs(orf, n_out);
    /* nn_model_graph hands the graph out for good: the weights stay from then on */
    const struct nn_graph *g = nn_model_graph(m);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(g->n_outputs, n_out);
    nn_session_free(s1);
    ck_assert_msg(nn_session_create(m, 1, first, 1, &s1) == HC_OK, "%s", hc_last_error());
    ck_assert_int_ne(nn_model_weights_resident(m), 0);
    nn_session_free(s1);
    nn_session_free(s2);
    nn_session_free(sr);
    nn_model_free(m);
    nn_model_free(ref);
}
END_TEST

/* A lazy model whose file is rewritten (new size, or same size and a new time) refuses new
 * sessions with a message naming the file; sessions already made keep working. */
START_TEST(test_file_changed)
{
    char src[4096];
    if (!model_path("pose_detection.tflite", src, sizeof src))
        return;
    char tmp[] = "/tmp/test_nn_lazy_XXXXXX";
    const int fd = mkstemp(tmp);
    ck_assert_int_ge(fd, 0);
    FILE *in = fopen(src, "rb");
    ck_assert_ptr_nonnull(in);
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_int_eq(write(fd, buf, k), (ssize_t)k);
    fclose(in);
    struct nn_model *m = NULL;
    ck_assert_msg(nn_model_load_lazy(tmp, NN_LAZY_ALWAYS, &m) == HC_OK, "%s", hc_last_error());
    const int ids[1] = {0};
    struct nn_session *s = NULL, *s2 = NULL;
    ck_assert_msg(nn_session_create(m, 1, ids, 1, &s) == HC_OK, "%s", hc_last_error());
    ck_assert_int_eq(nn_model_weights_resident(m), 0);
    if (_i == 0) {
        ck_assert_int_eq(write(fd, "x", 1), 1); /* one byte longer */
    } else {
        const struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
        ck_assert_int_eq(utimensat(AT_FDCWD, tmp, ts, 0), 0);
    }
    close(fd);
    ck_assert_int_eq(nn_session_create(m, 1, ids, 1, &s2), HC_ERR_MODEL);
    ck_assert_ptr_null(s2);
    ck_assert_msg(strstr(hc_last_error(), tmp) && strstr(hc_last_error(), "changed"), "%s",
                  hc_last_error());
    float **o = run_all(s, m, ids, 1);
    free_outs(o, 1);
    nn_session_free(s);
    nn_model_free(m);
    unlink(tmp);
}
END_TEST

static Suite *suite(void)
{
    Suite *su = suite_create("nn_lazy");
    TCase *tc = tcase_create("lazy");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_same_bits, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_loop_test(tc, test_file_changed, 0, 2);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    return hc_check_run(suite());
}
