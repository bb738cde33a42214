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

/* Arithmetic of the interpreter.
 *   NN_REF_DOUBLE (what nn_ref_run uses): dot products (CONV_2D, DEPTHWISE_CONV_2D) summed in
 *     double, LOGISTIC in double: as close to exact as float weights allow.
 *   NN_REF_FLOAT: dot products summed in float32 (a multiply and an add per term), as a plain
 *     float implementation would.
 *   NN_REF_FLOAT_FMA: float32 with the rounding conventions of XNNPACK's kernels, still written
 *     from the TFLite op definitions: accumulator = bias, one fmaf() per term; CONV_2D terms in
 *     the order (ky, kx) outer, input channel inner; DEPTHWISE_CONV_2D taps in the order kx
 *     outer, ky inner; RESIZE_BILINEAR with clamped source coordinates and two horizontal lerps
 *     then a vertical one (a - b, * alpha, + b, each rounded); LOGISTIC rounded from double.
 *     Two correct float32 implementations that round alike agree to a few ulp even where a
 *     model amplifies rounding (the landmark models' segmentation head does, by ~1e3).
 * The gap between NN_REF_DOUBLE and a float32 variant measures how much float32 rounding a model
 * amplifies: the yardstick for what a float32 runtime can be asked to match. */
enum nn_ref_precision { NN_REF_DOUBLE, NN_REF_FLOAT, NN_REF_FLOAT_FMA };
enum hc_status nn_ref_run_prec(const struct nn_graph *g, const float *const *inputs,
                               float *const *outputs, enum nn_ref_precision prec);

/* Name of an op ("CONV_2D"), for messages. */
const char *nn_ref_op_name(enum nn_op op);

#endif /* HC_TESTS_NN_REF_H */
