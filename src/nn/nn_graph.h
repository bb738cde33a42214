/*
 * nn_graph.h - the model as a plain float32 graph: what the .tflite reader produces and what both
 * the XNNPACK runtime (nn_xnn.c) and the reference interpreter (tests) consume. Internal to src/nn
 * and the tests.
 *
 * At load, DEQUANTIZE of fp16 constants and DENSIFY of sparse constants are folded: the graph has
 * only fp32 constant tensors and the compute ops below. Layout is NHWC as in TFLite; conv filters
 * keep TFLite's layouts (CONV_2D [O,H,W,I], DEPTHWISE_CONV_2D [1,H,W,O]).
 */
#ifndef HC_NN_GRAPH_H
#define HC_NN_GRAPH_H

#include "nn/nn.h"

enum nn_op {
    NN_OP_CONV_2D,
    NN_OP_DEPTHWISE_CONV_2D,
    NN_OP_ADD,
    NN_OP_PAD,            /* constant zero padding, any axis (including channels) */
    NN_OP_MAX_POOL_2D,
    NN_OP_RESIZE_BILINEAR,
    NN_OP_RESHAPE,
    NN_OP_LOGISTIC,
    NN_OP_DEPTH_TO_SPACE,
    NN_OP_CONCATENATION,
    NN_OP_COUNT_
};

enum nn_activation { NN_ACT_NONE, NN_ACT_RELU, NN_ACT_RELU6, NN_ACT_RELU_N1_TO_1 };
enum nn_padding { NN_PADDING_SAME, NN_PADDING_VALID };

struct nn_tensor {
    char *name;
    int rank;
    int32_t shape[NN_MAX_RANK];
    size_t n_elems;
    const float *data;   /* constant data (weights, pads, shapes), or NULL for activations */
};

#define NN_MAX_NODE_INPUTS 8

/* Node conventions (what nn_graph_parse produces and nn_graph_check enforces):
 *   CONV_2D, DEPTHWISE_CONV_2D  inputs {data, filter, bias or -1}; filter and bias constant;
 *                               depth_multiplier = output channels / input channels (from shapes)
 *   ADD                         inputs {a, b}, numpy broadcasting; at most one constant
 *   CONCATENATION               1..NN_MAX_NODE_INPUTS inputs, fused activation NONE
 *   PAD, RESIZE_BILINEAR, RESHAPE, MAX_POOL_2D, LOGISTIC, DEPTH_TO_SPACE  one input: the
 *                               paddings are in p.pad, the new size/shape is the output tensor's
 *   fused activations only on CONV_2D, DEPTHWISE_CONV_2D, ADD, MAX_POOL_2D. */

struct nn_node {
    enum nn_op op;
    int tflite_index;    /* operator index in the file, for messages */
    int n_inputs;
    int inputs[NN_MAX_NODE_INPUTS];  /* tensor ids; -1 for an optional input left out (bias) */
    int output;          /* every supported op has one output */
    enum nn_activation act;
    union {
        struct { enum nn_padding padding; int stride_h, stride_w, dilation_h, dilation_w,
                 depth_multiplier; } conv;   /* CONV_2D and DEPTHWISE_CONV_2D */
        struct { enum nn_padding padding; int stride_h, stride_w, filter_h, filter_w; } pool;
        struct { int align_corners, half_pixel_centers; } resize; /* output size: output tensor */
        struct { int pads[NN_MAX_RANK][2]; } pad;  /* before/after per axis, from the const input */
        struct { int block_size; } d2s;
        struct { int axis; } concat;               /* normalised to 0..rank-1 */
    } p;
};

struct nn_graph {
    struct nn_tensor *tensors;
    int n_tensors;
    struct nn_node *nodes;   /* in execution order (as stored in the file) */
    int n_nodes;
    int *inputs;             /* tensor ids */
    int n_inputs;
    int *outputs;
    int n_outputs;
    void *storage;           /* blocks from nn_graph_alloc (freed with the graph); NULL if none */
};

/* Memory owned by the graph and freed by nn_graph_free: use it for constant data of hand-built
 * graphs (zeroed, 16-byte aligned, with NN_EXTRA_BYTES of readable slack after `bytes`). NULL when
 * out of memory. */
#define NN_EXTRA_BYTES 16
void *nn_graph_alloc(struct nn_graph *g, size_t bytes);

/* Check a graph for consistency: tensor ids in range, shapes and element counts, every node's
 * output shape equal to what its inputs and parameters give, nodes in execution order, weights
 * constant. nn_model_from_graph runs it; HC_ERR_MODEL with a message naming `name` otherwise. */
enum hc_status nn_graph_check(const struct nn_graph *g, const char *name);

/* Parse a .tflite flatbuffer (untrusted: every access is bounds-checked) into a graph whose
 * constant tensors point into storage owned by the graph. */
enum hc_status nn_graph_parse(const uint8_t *buf, size_t len, const char *name,
                              struct nn_graph **out);
/* Frees the arrays, tensor names, `storage` and `g` itself (all from malloc); constant data not
 * from nn_graph_alloc belongs to the caller. NULL-safe. */
void nn_graph_free(struct nn_graph *g);

/* Make a model from a graph built in memory (tests build small graphs by hand); takes ownership
 * of `g` (freed with the model, or on failure). Constant data pointed to by the graph's tensors
 * must stay valid for the model's lifetime. */
enum hc_status nn_model_from_graph(struct nn_graph *g, const char *name, struct nn_model **out);

/* The graph of a loaded model (borrowed), weights included. On a lazy model (below) this keeps
 * the weights for the model's lifetime; NULL if they cannot be read again. */
const struct nn_graph *nn_model_graph(const struct nn_model *m);

/* Lazy weights: XNNPACK copies a session's weights when the session is created, so a lazy model
 * drops its graph once no session is being built and parses it again from its file (kept open)
 * for the next one; HC_ERR_MODEL if the file changed meanwhile. nn_model_load picks AUTO. */
enum nn_lazy {
    NN_LAZY_AUTO,   /* lazy when the fp32 constants exceed 32 MB (the heavy landmark model) */
    NN_LAZY_NEVER,
    NN_LAZY_ALWAYS
};
enum hc_status nn_model_load_lazy(const char *path, enum nn_lazy lazy, struct nn_model **out);
/* For the runtime: the graph with its weights, held until the matching release (thread-safe;
 * the model stays const to its users). */
enum hc_status nn_model_acquire_graph(const struct nn_model *m, const struct nn_graph **out);
void nn_model_release_graph(const struct nn_model *m);
/* Non-zero while the model holds its weights in memory (tests). */
int nn_model_weights_resident(const struct nn_model *m);
/* The name the model was loaded under (path or buffer name; borrowed). */
const char *nn_model_name(const struct nn_model *m);
/* "CONV_2D", "ADD", ... for messages. */
const char *nn_op_name(enum nn_op op);

#endif /* HC_NN_GRAPH_H */
