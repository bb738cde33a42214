/*
 * nn_tiny_model.h - a tiny, valid .tflite file written byte by byte by the tests (no TFLite
 * library involved): input [1,2,2,1] -> CONV_2D (1x1 filter 2.0, bias 0.5, VALID) -> LOGISTIC,
 * so output = 1 / (1 + exp(-(2x + 0.5))). Used by test_nn_bad (positive control, truncations,
 * patched offsets and lengths) and as a seed for the libFuzzer target.
 *
 *     struct nn_tiny_model t;
 *     struct nn_tiny_params p = nn_tiny_default_params();
 *     p.second_op = 25;                       // SOFTMAX instead of LOGISTIC: unsupported
 *     if (nn_tiny_model_build(&p, &t) == 0) { ...t.data, t.len...; nn_tiny_model_free(&t); }
 *
 * The byte positions recorded in the struct let a test patch one field of an otherwise valid file.
 */
#ifndef HC_TESTS_NN_TINY_MODEL_H
#define HC_TESTS_NN_TINY_MODEL_H

#include <stddef.h>
#include <stdint.h>

struct nn_tiny_params {
    int second_op;      /* BuiltinOperator code of the second op (14 = LOGISTIC) */
    int conv_act;       /* ActivationFunctionType of the conv (0 NONE; 4 TANH is unsupported) */
    int conv_padding;   /* Padding of the conv (0 SAME, 1 VALID) */
    const char *custom; /* non-NULL: the second op is a CUSTOM op with this custom_code */
};
struct nn_tiny_params nn_tiny_default_params(void);

struct nn_tiny_model {
    uint8_t *data;          /* malloc'ed file bytes */
    size_t len;
    /* byte offsets into data */
    size_t at_root;         /* the root uoffset (bytes 0..3) */
    size_t at_subgraphs;    /* Model.subgraphs uoffset field */
    size_t at_buffers;      /* Model.buffers uoffset field */
    size_t at_tensors_len;  /* length word of SubGraph.tensors */
    size_t at_weights_len;  /* length word of the filter's Buffer.data */
    size_t at_shape_len;    /* length word of tensor 0's shape */
    size_t at_filter_buf;   /* Tensor.buffer (uint) field of the filter tensor */
    size_t at_in_index;     /* SubGraph.inputs[0] */
};

/* 0 on success, -1 when out of memory. */
int nn_tiny_model_build(const struct nn_tiny_params *p, struct nn_tiny_model *out);
void nn_tiny_model_free(struct nn_tiny_model *m);

#endif /* HC_TESTS_NN_TINY_MODEL_H */
