/*
 * nn_ref.h - a plain-C reference interpreter for struct nn_graph (tests only).
 *
 * The independent second implementation the XNNPACK runtime is checked against: simple loops
 * written straight from the semantics of TensorFlow Lite's reference kernels
 * (tensorflow/lite/kernels/internal/reference/), no XNNPACK, no tricks.
 *
 *     const struct nn_graph *g = nn_model_graph(model);
 *     const float *in[1] = {image};
 *     float *out[5] = {...};     // g->tensors[g->outputs[i]].n_elems floats each
 *     if (nn_ref_run(g, in, out) != HC_OK) { ...hc_last_error()... }
 *
 * Every node's shapes are checked against what the op computes from its inputs (output size from
 * padding/stride/dilation, broadcast, pad amounts, ...), so a graph the reader got wrong is refused
 * with HC_ERR_MODEL and a message naming the node instead of being run.
 */
#ifndef HC_TESTS_NN_REF_H
#define HC_TESTS_NN_REF_H

#include "nn/nn_graph.h"

/* Run the whole graph. inputs[i] holds g->tensors[g->inputs[i]].n_elems floats; outputs[j] gets
 * g->tensors[g->outputs[j]].n_elems floats. Intermediate buffers are allocated per call. */
enum hc_status nn_ref_run(const struct nn_graph *g, const float *const *inputs,
                          float *const *outputs);

/* Accumulation of dot products (CONV_2D, DEPTHWISE_CONV_2D). NN_REF_DOUBLE (what nn_ref_run uses)
 * is as close to exact as float weights allow; NN_REF_FLOAT sums in float32 as a plain float
 * implementation would. The gap between the two measures how much float32 rounding a model
 * amplifies: the yardstick for what any float32 runtime can be asked to match. */
enum nn_ref_precision { NN_REF_DOUBLE, NN_REF_FLOAT };
enum hc_status nn_ref_run_prec(const struct nn_graph *g, const float *const *inputs,
                               float *const *outputs, enum nn_ref_precision prec);

/* Name of an op ("CONV_2D"), for messages. */
const char *nn_ref_op_name(enum nn_op op);

#endif /* HC_TESTS_NN_REF_H */
