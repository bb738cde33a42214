/*
 * fuzz_tflite.c - libFuzzer target for the .tflite reader: nn_graph_parse and
 * nn_model_load_buffer on arbitrary bytes must return a status, never crash, leak or read out of
 * bounds. A model that loads and is small is also built into an XNNPACK session and run once, so
 * graphs the reader accepts cannot crash the runtime either. Build notes: tests/fuzz/CMakeLists.txt.
 */
#include "nn/nn_graph.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sessions only for graphs this small (elements over all tensors): keeps executions fast. */
#define FUZZ_MAX_ELEMS 65536

static void run_once(const struct nn_model *m)
{
    const struct nn_graph *g = nn_model_graph(m);
    size_t total = 0;
    for (int i = 0; i < g->n_tensors; i++)
        total += g->tensors[i].n_elems;
    if (total > FUZZ_MAX_ELEMS || g->n_inputs > 8 || g->n_outputs > 8)
        return;
    float *in[8] = {0}, *out[8] = {0};
    int ok = 1;
    for (int i = 0; i < g->n_inputs; i++)
        ok &= (in[i] = calloc(g->tensors[g->inputs[i]].n_elems + 1, sizeof(float))) != NULL;
    for (int i = 0; i < g->n_outputs; i++)
        ok &= (out[i] = calloc(g->tensors[g->outputs[i]].n_elems + 1, sizeof(float))) != NULL;
    struct nn_session *s = NULL;
    if (ok && nn_session_create(m, 1, NULL, 0, &s) == HC_OK)
        (void)nn_session_run(s, (const float *const *)in, out);
    nn_session_free(s);
    for (int i = 0; i < 8; i++) {
        free(in[i]);
        free(out[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nn_graph *g = NULL;
    (void)nn_graph_parse(data, size, "fuzz.tflite", &g);
    nn_graph_free(g);

    struct nn_model *m = NULL;
    if (nn_model_load_buffer(data, size, "fuzz.tflite", &m) == HC_OK)
        run_once(m);
    nn_model_free(m);
    return 0;
}
