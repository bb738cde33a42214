/*
 * nn.h - run TensorFlow Lite models on the CPU with XNNPACK, in C. Knows nothing about poses.
 *
 *     struct nn_model *m;
 *     if (nn_model_load("models/pose_landmark_full.tflite", &m) != HC_OK) { ...hc_last_error()... }
 *     struct nn_session *s;
 *     nn_session_create(m, 1, NULL, 0, &s);        // all outputs, 1 thread
 *     const float *in[1] = {rgb_256x256x3_0_to_1};
 *     float *out[5] = {...};                       // buffers of nn_model_output(m, i)->n_elems
 *     nn_session_run(s, in, out);
 *     nn_session_free(s);
 *     nn_model_free(m);
 *
 * A loaded model is immutable and may be shared by threads; a session is per thread.
 */
#ifndef HC_NN_H
#define HC_NN_H

#include "core/core.h"

#include <stddef.h>
#include <stdint.h>

#define NN_MAX_RANK 6

struct nn_model;
struct nn_session;

/* Shape of a model input or output (float32, NHWC for images). */
struct nn_tensor_desc {
    const char *name;
    int rank;
    int32_t shape[NN_MAX_RANK];
    size_t n_elems;
};

/* Reads and validates a .tflite file (untrusted input: every offset is checked). HC_ERR_MODEL when
 * missing, malformed or using an op or option we do not support (the message names the op and its
 * index), HC_ERR_IO when unreadable. A model with over 32 MB of fp32 weights (the heavy landmark
 * model) keeps its file open and holds the weights only while a session is being created
 * (XNNPACK keeps its own packed copy): each later nn_session_create reads the file again
 * (nn_graph.h, enum nn_lazy), and fails with HC_ERR_MODEL if the file changed meanwhile. */
enum hc_status nn_model_load(const char *path, struct nn_model **out);
/* Same from memory; `buf` is not kept (weights are copied out). `name` is used in messages. */
enum hc_status nn_model_load_buffer(const void *buf, size_t len, const char *name,
                                    struct nn_model **out);
void nn_model_free(struct nn_model *m);

int nn_model_n_inputs(const struct nn_model *m);
int nn_model_n_outputs(const struct nn_model *m);
const struct nn_tensor_desc *nn_model_input(const struct nn_model *m, int i);
const struct nn_tensor_desc *nn_model_output(const struct nn_model *m, int i);

/* A runnable instance of the model on `n_threads` threads (pthreadpool; 1 = no pool).
 * `output_ids`/`n_output_ids` select the outputs to compute (NULL/0: all); nodes that feed none
 * of them are left out of the XNNPACK graph. nn_session_run's `outputs` array is then indexed like
 * `output_ids`. */
enum hc_status nn_session_create(const struct nn_model *m, int n_threads, const int *output_ids,
                                 int n_output_ids, struct nn_session **out);
/* inputs[i]: n_elems floats of input i; outputs[j]: room for the j-th selected output. */
enum hc_status nn_session_run(struct nn_session *s, const float *const *inputs,
                              float *const *outputs);
/* Same, checking the caller's buffer sizes (element counts per input / selected output) against
 * the model: HC_ERR_INVALID_ARG with a message when one differs. NULL size arrays skip the check.
 * Inputs are copied into the session; outputs are written in place (buffers need no padding).
 * Keeping the same output buffers from run to run saves XNNPACK's setup step. */
enum hc_status nn_session_run_sized(struct nn_session *s, const float *const *inputs,
                                    const size_t *input_elems, float *const *outputs,
                                    const size_t *output_elems);
/* Number of outputs the session computes (n_output_ids, or all). */
int nn_session_n_outputs(const struct nn_session *s);
void nn_session_free(struct nn_session *s);

#endif /* HC_NN_H */
