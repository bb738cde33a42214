/*
 * test_nn_ops.c - one table-driven test per graph op: small hand-built one-node graphs whose
 * outputs were worked out by hand (the arithmetic is in the comments), checked against the
 * reference interpreter (tests/nn_ref.c) and, when src/nn is built, against the XNNPACK runtime
 * running the very same graph.
 *
 * Inputs are mostly ramps (1, 2, 3, ... in NHWC order) so a window sum or a sampled coordinate can
 * be checked with pencil and paper: in a 5x5 ramp, in[r][c] = 5r + c + 1.
 */
#include "core/core.h"
#include "nn/nn_graph.h"
#include "nn_ref.h"

#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- hand-built graphs ------------------------------------------------------------------- */

struct tdesc {
    int rank;
    int32_t shape[4];
    const float *data;
};

struct op_case {
    const char *name;
    enum nn_op op;
    enum nn_activation act;
    int n_in;               /* graph inputs, fed at run time */
    struct tdesc in[3];
    int n_const;            /* constant inputs after the graph inputs (filter, bias, addend) */
    struct tdesc cst[2];    /* a constant with data == NULL is an absent optional input (-1) */
    struct tdesc out;       /* expected shape and values */
    enum nn_padding pad;
    int sh, sw, dh, dw, dm; /* conv / pool strides, dilations, depth multiplier */
    int fh, fw;             /* pool window */
    int align, half;        /* resize */
    int pads[4][2];         /* pad */
    int bs;                 /* depth_to_space */
    int axis;               /* concatenation */
};

#define F(...) ((const float[]){__VA_ARGS__})

static const float seq9[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
static const float seq16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const float seq25[25] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                                14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
static const float ones9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
/* Pre-activation values -5, 0, 2, 15 cross every clamp bound: x*2 + 1 for the conv cases,
 * a + b for the add cases. */
static const float act_x[4] = {-3.0f, -0.5f, 0.5f, 7.0f};
static const float act_b[4] = {-2.0f, 0.5f, 1.5f, 8.0f};

static size_t td_elems(const struct tdesc *t)
{
    size_t n = 1;
    for (int i = 0; i < t->rank; i++)
        n *= (size_t)t->shape[i];
    return n;
}

static int add_tensor(struct nn_graph *g, const char *name, const struct tdesc *t, int is_const)
{
    struct nn_tensor *x = &g->tensors[g->n_tensors];
    x->name = hc_strdup(name);
    x->rank = t->rank;
    for (int i = 0; i < t->rank; i++)
        x->shape[i] = t->shape[i];
    x->n_elems = td_elems(t);
    x->data = is_const ? t->data : NULL;
    return g->n_tensors++;
}

/* Frees a graph built by build_graph (the layout nn_graph_free is expected to free too: every
 * array and name malloc'ed, constant data borrowed). */
static void free_graph(struct nn_graph *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->n_tensors; i++)
        free(g->tensors[i].name);
    free(g->tensors);
    free(g->nodes);
    free(g->inputs);
    free(g->outputs);
    free(g);
}

static struct nn_graph *build_graph(const struct op_case *c)
{
    struct nn_graph *g = calloc(1, sizeof(*g));
    ck_assert_ptr_nonnull(g);
    g->tensors = calloc(8, sizeof(*g->tensors));
    g->nodes = calloc(1, sizeof(*g->nodes));
    g->inputs = calloc(3, sizeof(*g->inputs));
    g->outputs = calloc(1, sizeof(*g->outputs));
    ck_assert(g->tensors && g->nodes && g->inputs && g->outputs);

    struct nn_node *n = &g->nodes[0];
    memset(n, 0, sizeof(*n));
    n->op = c->op;
    n->act = c->act;
    n->tflite_index = 0;
    for (int i = 0; i < c->n_in; i++) {
        char name[16];
        snprintf(name, sizeof(name), "in%d", i);
        g->inputs[g->n_inputs++] = add_tensor(g, name, &c->in[i], 0);
        n->inputs[n->n_inputs++] = g->inputs[i];
    }
    for (int i = 0; i < c->n_const; i++)
        n->inputs[n->n_inputs++] = c->cst[i].data ? add_tensor(g, "const", &c->cst[i], 1) : -1;
    n->output = add_tensor(g, "out", &c->out, 0);
    g->outputs[g->n_outputs++] = n->output;
    g->n_nodes = 1;

    switch (c->op) {
    case NN_OP_CONV_2D:
    case NN_OP_DEPTHWISE_CONV_2D:
        n->p.conv.padding = c->pad;
        n->p.conv.stride_h = c->sh;
        n->p.conv.stride_w = c->sw;
        n->p.conv.dilation_h = c->dh ? c->dh : 1;
        n->p.conv.dilation_w = c->dw ? c->dw : 1;
        n->p.conv.depth_multiplier = c->dm ? c->dm : 1;
        break;
    case NN_OP_MAX_POOL_2D:
        n->p.pool.padding = c->pad;
        n->p.pool.stride_h = c->sh;
        n->p.pool.stride_w = c->sw;
        n->p.pool.filter_h = c->fh;
        n->p.pool.filter_w = c->fw;
        break;
    case NN_OP_RESIZE_BILINEAR:
        n->p.resize.align_corners = c->align;
        n->p.resize.half_pixel_centers = c->half;
        break;
    case NN_OP_PAD:
        memcpy(n->p.pad.pads, c->pads, sizeof(c->pads));
        break;
    case NN_OP_DEPTH_TO_SPACE: n->p.d2s.block_size = c->bs; break;
    case NN_OP_CONCATENATION: n->p.concat.axis = c->axis; break;
    default: break;
    }
    return g;
}

/* ---- the cases --------------------------------------------------------------------------- */

#define T4(a, b, c, d, ...) {4, {a, b, c, d}, F(__VA_ARGS__)}
#define S4(a, b, c, d) {4, {a, b, c, d}, NULL}

static const struct op_case conv_cases[] = {
    /* 3x3 ramp, 2x2 box filter, VALID: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9; no bias input. */
    {.name = "valid k2 no-bias", .op = NN_OP_CONV_2D, .n_in = 1, .in = {{4, {1, 3, 3, 1}, seq9}},
     .n_const = 2, .cst = {{4, {1, 2, 2, 1}, ones9}, {1, {1}, NULL}},
     .out = T4(1, 2, 2, 1, 12, 16, 24, 28), .pad = NN_PADDING_VALID, .sh = 1, .sw = 1},
    /* SAME, 3x3 in, 2x2 filter, stride 1: total padding 1 goes after (TFLite floor(total/2)
     * before), so the last row/column sums only what is inside: 3+6=9, 7+8=15, 8+9=17, 9. */
    {.name = "same k2 s1 pad-after", .op = NN_OP_CONV_2D, .n_in = 1,
     .in = {{4, {1, 3, 3, 1}, seq9}}, .n_const = 2,
     .cst = {{4, {1, 2, 2, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 3, 3, 1, 12, 16, 9, 24, 28, 15, 15, 17, 9), .pad = NN_PADDING_SAME, .sh = 1,
     .sw = 1},
    /* SAME, even 4x4 ramp, 3x3 box, stride 2: out 2x2, total pad 1 -> 0 before, 1 after.
     * (0,0) rows/cols 0..2 = 54; (0,1) cols 2..3 = 3+4+7+8+11+12 = 45; (1,0) rows 2..3 = 72;
     * (1,1) = 11+12+15+16 = 54. */
    {.name = "same k3 s2 even", .op = NN_OP_CONV_2D, .n_in = 1, .in = {{4, {1, 4, 4, 1}, seq16}},
     .n_const = 2, .cst = {{4, {1, 3, 3, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 2, 2, 1, 54, 45, 72, 54), .pad = NN_PADDING_SAME, .sh = 2, .sw = 2},
    /* SAME, odd 5x5 ramp, 3x3 box, stride 2: out 3x3, total pad 2 -> 1 before, 1 after.
     * (0,0) = 1+2+6+7 = 16, (1,1) = rows 1..3 x cols 1..3 = 117, (2,2) = 19+20+24+25 = 88. */
    {.name = "same k3 s2 odd", .op = NN_OP_CONV_2D, .n_in = 1, .in = {{4, {1, 5, 5, 1}, seq25}},
     .n_const = 2, .cst = {{4, {1, 3, 3, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 3, 3, 1, 16, 33, 28, 69, 117, 87, 76, 123, 88), .pad = NN_PADDING_SAME,
     .sh = 2, .sw = 2},
    /* VALID, 5x5 ramp, 3x3 box, stride 2: out 2x2 = 63, 81, 153, 171. */
    {.name = "valid k3 s2 odd", .op = NN_OP_CONV_2D, .n_in = 1, .in = {{4, {1, 5, 5, 1}, seq25}},
     .n_const = 2, .cst = {{4, {1, 3, 3, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 2, 2, 1, 63, 81, 153, 171), .pad = NN_PADDING_VALID, .sh = 2, .sw = 2},
    /* Different strides per axis: 3x3 ramp, 2x2 box, VALID, stride_h 1, stride_w 2: out 2x1 =
     * 12, 24. A swapped stride would give 1x2. */
    {.name = "valid sh1 sw2", .op = NN_OP_CONV_2D, .n_in = 1, .in = {{4, {1, 3, 3, 1}, seq9}},
     .n_const = 2, .cst = {{4, {1, 2, 2, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 2, 1, 1, 12, 24), .pad = NN_PADDING_VALID, .sh = 1, .sw = 2},
    /* Dilation 2, VALID: out[y][x] = in[y][x] + in[y][x+2] + in[y+2][x] + in[y+2][x+2]
     * = 20y + 4x + 28 on the 5x5 ramp. */
    {.name = "valid dilation2", .op = NN_OP_CONV_2D, .n_in = 1, .in = {{4, {1, 5, 5, 1}, seq25}},
     .n_const = 2, .cst = {{4, {1, 2, 2, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 3, 3, 1, 28, 32, 36, 48, 52, 56, 68, 72, 76), .pad = NN_PADDING_VALID,
     .sh = 1, .sw = 1, .dh = 2, .dw = 2},
    /* Dilation 2, SAME: effective filter 3, pad 1 before; taps at (y-1, y+1) x (x-1, x+1) inside
     * the image, e.g. (0,0) = in[1][1] = 7, (1,1) = 1+3+11+13 = 28, (4,4) = in[3][3] = 19. */
    {.name = "same dilation2", .op = NN_OP_CONV_2D, .n_in = 1, .in = {{4, {1, 5, 5, 1}, seq25}},
     .n_const = 2, .cst = {{4, {1, 2, 2, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 5, 5, 1, 7, 14, 16, 18, 9, 14, 28, 32, 36, 18, 24, 48, 52, 56, 28, 34, 68, 72,
               76, 38, 17, 34, 36, 38, 19),
     .pad = NN_PADDING_SAME, .sh = 1, .sw = 1, .dh = 2, .dw = 2},
    /* Filter layout [O, H, W, I]: 2x2x2 input (c0 = 1,3,5,7; c1 = 2,4,6,8). Output 0 sums c0 =
     * 16; output 1 weights c1 by position 1..4: 2 + 8 + 18 + 32 = 60, bias 1 -> 61. */
    {.name = "OHWI layout + bias", .op = NN_OP_CONV_2D, .n_in = 1,
     .in = {T4(1, 2, 2, 2, 1, 2, 3, 4, 5, 6, 7, 8)}, .n_const = 2,
     .cst = {T4(2, 2, 2, 2, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 2, 0, 3, 0, 4), {1, {2}, F(0, 1)}},
     .out = T4(1, 1, 1, 2, 16, 61), .pad = NN_PADDING_VALID, .sh = 1, .sw = 1},
    /* Fused activations on 2x + 1 = -5, 0, 2, 15. */
    {.name = "act NONE", .op = NN_OP_CONV_2D, .act = NN_ACT_NONE, .n_in = 1,
     .in = {{4, {1, 1, 4, 1}, act_x}}, .n_const = 2, .cst = {T4(1, 1, 1, 1, 2), {1, {1}, F(1)}},
     .out = T4(1, 1, 4, 1, -5, 0, 2, 15), .pad = NN_PADDING_VALID, .sh = 1, .sw = 1},
    {.name = "act RELU", .op = NN_OP_CONV_2D, .act = NN_ACT_RELU, .n_in = 1,
     .in = {{4, {1, 1, 4, 1}, act_x}}, .n_const = 2, .cst = {T4(1, 1, 1, 1, 2), {1, {1}, F(1)}},
     .out = T4(1, 1, 4, 1, 0, 0, 2, 15), .pad = NN_PADDING_VALID, .sh = 1, .sw = 1},
    {.name = "act RELU6", .op = NN_OP_CONV_2D, .act = NN_ACT_RELU6, .n_in = 1,
     .in = {{4, {1, 1, 4, 1}, act_x}}, .n_const = 2, .cst = {T4(1, 1, 1, 1, 2), {1, {1}, F(1)}},
     .out = T4(1, 1, 4, 1, 0, 0, 2, 6), .pad = NN_PADDING_SAME, .sh = 1, .sw = 1},
    {.name = "act RELU_N1_TO_1", .op = NN_OP_CONV_2D, .act = NN_ACT_RELU_N1_TO_1, .n_in = 1,
     .in = {{4, {1, 1, 4, 1}, act_x}}, .n_const = 2, .cst = {T4(1, 1, 1, 1, 2), {1, {1}, F(1)}},
     .out = T4(1, 1, 4, 1, -1, 0, 1, 1), .pad = NN_PADDING_VALID, .sh = 1, .sw = 1},
};

static const struct op_case dwconv_cases[] = {
    /* Two channels, multiplier 1, VALID 2x2: c0 box sum (12, 16, 24, 28); c1 = 10 * ramp with
     * taps +1 at (0,0) and -1 at (1,1): 10 * (v - (v + 4)) = -40, bias 1 -> -39. */
    {.name = "valid dm1 two channels", .op = NN_OP_DEPTHWISE_CONV_2D, .n_in = 1,
     .in = {T4(1, 3, 3, 2, 1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90)},
     .n_const = 2, .cst = {T4(1, 2, 2, 2, 1, 1, 1, 0, 1, 0, 1, -1), {1, {2}, F(0, 1)}},
     .out = T4(1, 2, 2, 2, 12, -39, 16, -39, 24, -39, 28, -39), .pad = NN_PADDING_VALID,
     .sh = 1, .sw = 1},
    /* Depth multiplier 2: output channel ic*2 + m reads input channel ic; 1x1 filter SAME stride
     * 2 on 2x2 keeps pixel (0,0) = (2, 3): 2*1, 2*10, 3*100, 3*1000 + 1. */
    {.name = "same dm2 s2", .op = NN_OP_DEPTHWISE_CONV_2D, .n_in = 1,
     .in = {T4(1, 2, 2, 2, 2, 3, 100, 100, 100, 100, 100, 100)}, .n_const = 2,
     .cst = {T4(1, 1, 1, 4, 1, 10, 100, 1000), {1, {4}, F(0, 0, 0, 1)}},
     .out = T4(1, 1, 1, 4, 2, 20, 300, 3001), .pad = NN_PADDING_SAME, .sh = 2, .sw = 2, .dm = 2},
    /* Same numbers as the conv case "same k3 s2 odd". */
    {.name = "same k3 s2 odd", .op = NN_OP_DEPTHWISE_CONV_2D, .n_in = 1,
     .in = {{4, {1, 5, 5, 1}, seq25}}, .n_const = 2,
     .cst = {{4, {1, 3, 3, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 3, 3, 1, 16, 33, 28, 69, 117, 87, 76, 123, 88), .pad = NN_PADDING_SAME,
     .sh = 2, .sw = 2},
    /* Same numbers as the conv case "valid dilation2". */
    {.name = "valid dilation2", .op = NN_OP_DEPTHWISE_CONV_2D, .n_in = 1,
     .in = {{4, {1, 5, 5, 1}, seq25}}, .n_const = 2,
     .cst = {{4, {1, 2, 2, 1}, ones9}, {1, {1}, F(0)}},
     .out = T4(1, 3, 3, 1, 28, 32, 36, 48, 52, 56, 68, 72, 76), .pad = NN_PADDING_VALID,
     .sh = 1, .sw = 1, .dh = 2, .dw = 2},
    /* An asymmetric 2x2 filter (1 2 / 3 4), VALID on the 3x3 ramp 1..9: 1a + 2b + 3c + 4d over
     * each 2x2 window = 37, 47, 67, 77; a transposed filter or a swapped tap order gives 35, ... */
    {.name = "valid asymmetric taps", .op = NN_OP_DEPTHWISE_CONV_2D, .n_in = 1,
     .in = {T4(1, 3, 3, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9)}, .n_const = 2,
     .cst = {T4(1, 2, 2, 1, 1, 2, 3, 4), {1, {1}, F(0)}},
     .out = T4(1, 2, 2, 1, 37, 47, 67, 77), .pad = NN_PADDING_VALID, .sh = 1, .sw = 1},
    /* RELU6 on 2x + 1 = -5, 0, 2, 15. */
    {.name = "act RELU6", .op = NN_OP_DEPTHWISE_CONV_2D, .act = NN_ACT_RELU6, .n_in = 1,
     .in = {{4, {1, 1, 4, 1}, act_x}}, .n_const = 2, .cst = {T4(1, 1, 1, 1, 2), {1, {1}, F(1)}},
     .out = T4(1, 1, 4, 1, 0, 0, 2, 6), .pad = NN_PADDING_VALID, .sh = 1, .sw = 1},
};

static const struct op_case add_cases[] = {
    {.name = "same shape", .op = NN_OP_ADD, .n_in = 2,
     .in = {T4(1, 2, 2, 1, 1, 2, 3, 4), T4(1, 2, 2, 1, 10, 20, 30, 40)},
     .out = T4(1, 2, 2, 1, 11, 22, 33, 44)},
    /* Rank-1 per-channel addend broadcast over N, H, W. */
    {.name = "broadcast channel vector", .op = NN_OP_ADD, .n_in = 2,
     .in = {T4(1, 2, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), {1, {3}, F(100, 200, 300)}},
     .out = T4(1, 2, 2, 3, 100, 201, 302, 103, 204, 305, 106, 207, 308, 109, 210, 311)},
    /* Per-row addend [1,2,1,1]: row 0 + 10, row 1 + 20. */
    {.name = "broadcast per row", .op = NN_OP_ADD, .n_in = 2,
     .in = {T4(1, 2, 2, 2, 0, 1, 2, 3, 4, 5, 6, 7), T4(1, 2, 1, 1, 10, 20)},
     .out = T4(1, 2, 2, 2, 10, 11, 12, 13, 24, 25, 26, 27)},
    /* Both inputs broadcast: [1,2,1,1] + [1,1,3,1] -> [1,2,3,1]. */
    {.name = "broadcast both", .op = NN_OP_ADD, .n_in = 2,
     .in = {T4(1, 2, 1, 1, 1, 2), T4(1, 1, 3, 1, 10, 20, 30)},
     .out = T4(1, 2, 3, 1, 11, 21, 31, 12, 22, 32)},
    /* A constant addend (weights), broadcast per channel. */
    {.name = "const channel vector", .op = NN_OP_ADD, .n_in = 1,
     .in = {T4(1, 2, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)}, .n_const = 1,
     .cst = {{1, {3}, F(100, 200, 300)}},
     .out = T4(1, 2, 2, 3, 100, 201, 302, 103, 204, 305, 106, 207, 308, 109, 210, 311)},
    {.name = "const scalar", .op = NN_OP_ADD, .n_in = 1, .in = {T4(1, 2, 2, 1, 1, 2, 3, 4)},
     .n_const = 1, .cst = {{1, {1}, F(0.5f)}}, .out = T4(1, 2, 2, 1, 1.5f, 2.5f, 3.5f, 4.5f)},
    /* a + b = -5, 0, 2, 15 through each fused activation. */
    {.name = "act NONE", .op = NN_OP_ADD, .act = NN_ACT_NONE, .n_in = 2,
     .in = {{4, {1, 1, 4, 1}, act_x}, {4, {1, 1, 4, 1}, act_b}},
     .out = T4(1, 1, 4, 1, -5, 0, 2, 15)},
    {.name = "act RELU", .op = NN_OP_ADD, .act = NN_ACT_RELU, .n_in = 2,
     .in = {{4, {1, 1, 4, 1}, act_x}, {4, {1, 1, 4, 1}, act_b}},
     .out = T4(1, 1, 4, 1, 0, 0, 2, 15)},
    {.name = "act RELU6", .op = NN_OP_ADD, .act = NN_ACT_RELU6, .n_in = 2,
     .in = {{4, {1, 1, 4, 1}, act_x}, {4, {1, 1, 4, 1}, act_b}},
     .out = T4(1, 1, 4, 1, 0, 0, 2, 6)},
    {.name = "act RELU_N1_TO_1", .op = NN_OP_ADD, .act = NN_ACT_RELU_N1_TO_1, .n_in = 2,
     .in = {{4, {1, 1, 4, 1}, act_x}, {4, {1, 1, 4, 1}, act_b}},
     .out = T4(1, 1, 4, 1, -1, 0, 1, 1)},
};

static const struct op_case pad_cases[] = {
    /* One row before (H), one column after (W). */
    {.name = "spatial", .op = NN_OP_PAD, .n_in = 1, .in = {T4(1, 2, 2, 1, 1, 2, 3, 4)},
     .pads = {{0, 0}, {1, 0}, {0, 1}, {0, 0}}, .out = T4(1, 3, 3, 1, 0, 0, 0, 1, 2, 0, 3, 4, 0)},
    /* Channel axis: 1 zero channel before, 2 after, per pixel. */
    {.name = "channels", .op = NN_OP_PAD, .n_in = 1, .in = {T4(1, 1, 2, 2, 1, 2, 3, 4)},
     .pads = {{0, 0}, {0, 0}, {0, 0}, {1, 2}},
     .out = T4(1, 1, 2, 5, 0, 1, 2, 0, 0, 0, 3, 4, 0, 0)},
    {.name = "H and channels", .op = NN_OP_PAD, .n_in = 1, .in = {T4(1, 1, 1, 1, 5)},
     .pads = {{0, 0}, {1, 1}, {0, 0}, {0, 1}}, .out = T4(1, 3, 1, 2, 0, 0, 5, 0, 0, 0)},
    {.name = "W both sides", .op = NN_OP_PAD, .n_in = 1, .in = {T4(1, 1, 2, 2, 1, 2, 3, 4)},
     .pads = {{0, 0}, {0, 0}, {2, 1}, {0, 0}},
     .out = T4(1, 1, 5, 2, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0)},
};

static const struct op_case pool_cases[] = {
    {.name = "valid 2x2 s2", .op = NN_OP_MAX_POOL_2D, .n_in = 1,
     .in = {T4(1, 4, 4, 1, 1, 5, 2, 0, 3, 4, 8, 7, -1, -2, -3, -4, 0, 9, -5, 1)},
     .out = T4(1, 2, 2, 1, 5, 8, 9, 1), .pad = NN_PADDING_VALID, .sh = 2, .sw = 2, .fh = 2,
     .fw = 2},
    /* SAME 3x3 s2 on the 5x5 ramp: pad 1 each side; the max is the window's bottom-right pixel
     * inside the image. */
    {.name = "same 3x3 s2 odd", .op = NN_OP_MAX_POOL_2D, .n_in = 1,
     .in = {{4, {1, 5, 5, 1}, seq25}}, .out = T4(1, 3, 3, 1, 7, 9, 10, 17, 19, 20, 22, 24, 25),
     .pad = NN_PADDING_SAME, .sh = 2, .sw = 2, .fh = 3, .fw = 3},
    {.name = "same 3x3 s1", .op = NN_OP_MAX_POOL_2D, .n_in = 1, .in = {{4, {1, 3, 3, 1}, seq9}},
     .out = T4(1, 3, 3, 1, 5, 6, 6, 8, 9, 9, 8, 9, 9), .pad = NN_PADDING_SAME, .sh = 1, .sw = 1,
     .fh = 3, .fw = 3},
    /* All negative: padding must never win (zero padding would give 0s). */
    {.name = "same negative", .op = NN_OP_MAX_POOL_2D, .n_in = 1,
     .in = {T4(1, 2, 2, 1, -4, -3, -2, -10)}, .out = T4(1, 2, 2, 1, -2, -3, -2, -10),
     .pad = NN_PADDING_SAME, .sh = 1, .sw = 1, .fh = 2, .fw = 2},
    /* Two channels, then RELU: maxima 3 and -1 -> 3, 0. */
    {.name = "relu two channels", .op = NN_OP_MAX_POOL_2D, .act = NN_ACT_RELU, .n_in = 1,
     .in = {T4(1, 2, 2, 2, 1, -1, -2, -2, 3, -3, -4, -4)}, .out = T4(1, 1, 1, 2, 3, 0),
     .pad = NN_PADDING_VALID, .sh = 2, .sw = 2, .fh = 2, .fw = 2},
};

/* Input 2x2 with in[y][x] = 2y + x: bilinear interpolation of a linear function is exact, so
 * out = 2 * sy + sx at the source coordinates each mode gives. */
static const struct op_case resize_cases[] = {
    /* Legacy (neither flag): src = dst * 0.5 -> 0, .5, 1, 1.5 (clamped to 1). */
    {.name = "legacy 2->4", .op = NN_OP_RESIZE_BILINEAR, .n_in = 1,
     .in = {T4(1, 2, 2, 1, 0, 1, 2, 3)},
     .out = T4(1, 4, 4, 1, 0, 0.5f, 1, 1, 1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 2, 2.5f, 3, 3)},
    /* align_corners: src = dst * (2-1)/(4-1) -> 0, 1/3, 2/3, 1. */
    {.name = "align_corners 2->4", .op = NN_OP_RESIZE_BILINEAR, .n_in = 1, .align = 1,
     .in = {T4(1, 2, 2, 1, 0, 1, 2, 3)},
     .out = T4(1, 4, 4, 1, 0, 1 / 3.0f, 2 / 3.0f, 1, 2 / 3.0f, 1, 4 / 3.0f, 5 / 3.0f, 4 / 3.0f,
               5 / 3.0f, 2, 7 / 3.0f, 2, 7 / 3.0f, 8 / 3.0f, 3)},
    /* half_pixel_centers: src = (dst + .5) * .5 - .5 -> -.25 (acts as 0), .25, .75, 1.25 (as 1). */
    {.name = "half_pixel 2->4", .op = NN_OP_RESIZE_BILINEAR, .n_in = 1, .half = 1,
     .in = {T4(1, 2, 2, 1, 0, 1, 2, 3)},
     .out = T4(1, 4, 4, 1, 0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f,
               2.5f, 2, 2.25f, 2.75f, 3)},
    /* Downscale 3x3 (in = 3y + x) -> 2x2, half-pixel: src = (dst + .5) * 1.5 - .5 = .25, 1.75. */
    {.name = "half_pixel 3->2", .op = NN_OP_RESIZE_BILINEAR, .n_in = 1, .half = 1,
     .in = {T4(1, 3, 3, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8)}, .out = T4(1, 2, 2, 1, 1, 2.5f, 5.5f, 7)},
    /* Legacy downscale 3->2: src = dst * 1.5 = 0, 1.5. */
    {.name = "legacy 3->2", .op = NN_OP_RESIZE_BILINEAR, .n_in = 1,
     .in = {T4(1, 3, 3, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8)}, .out = T4(1, 2, 2, 1, 0, 1.5f, 4.5f, 6)},
    /* Non-square 2x1 -> 4x2 (catches swapped H/W): rows at 0, .25, .75, 1 of (0, 10). */
    {.name = "half_pixel 2x1->4x2", .op = NN_OP_RESIZE_BILINEAR, .n_in = 1, .half = 1,
     .in = {T4(1, 2, 1, 1, 0, 10)}, .out = T4(1, 4, 2, 1, 0, 0, 2.5f, 2.5f, 7.5f, 7.5f, 10, 10)},
    /* Two channels along W, 1x2 -> 1x4 half-pixel: x at 0, .25, .75, 1. */
    {.name = "half_pixel two channels", .op = NN_OP_RESIZE_BILINEAR, .n_in = 1, .half = 1,
     .in = {T4(1, 1, 2, 2, 0, 10, 1, 20)},
     .out = T4(1, 1, 4, 2, 0, 10, 0.25f, 12.5f, 0.75f, 17.5f, 1, 20)},
};

static const struct op_case misc_cases[] = {
    {.name = "reshape 4d->2d", .op = NN_OP_RESHAPE, .n_in = 1, .in = {T4(1, 2, 3, 1, 1, 2, 3, 4, 5, 6)},
     .out = {2, {1, 6}, F(1, 2, 3, 4, 5, 6)}},
    {.name = "reshape 4d->3d", .op = NN_OP_RESHAPE, .n_in = 1, .in = {T4(1, 2, 3, 1, 1, 2, 3, 4, 5, 6)},
     .out = {3, {1, 3, 2}, F(1, 2, 3, 4, 5, 6)}},
    /* 1 / (1 + e^-x) for 0, 2, -2, 20, -20. */
    {.name = "logistic", .op = NN_OP_LOGISTIC, .n_in = 1, .in = {{2, {1, 5}, F(0, 2, -2, 20, -20)}},
     .out = {2, {1, 5}, F(0.5f, 0.8807970779778823f, 0.11920292202211755f, 0.9999999979388463f,
                        2.0611536181902037e-09f)}},
};

/* DCR order: out[y][x][c] = in[y/2][x/2][((y%2)*2 + x%2) * C_out + c]. */
static const struct op_case d2s_cases[] = {
    /* 1x2 pixels of 8 channels (0..7, 10..17) -> 2x4 pixels of 2 channels. */
    {.name = "bs2 two channels", .op = NN_OP_DEPTH_TO_SPACE, .n_in = 1, .bs = 2,
     .in = {T4(1, 1, 2, 8, 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17)},
     .out = T4(1, 2, 4, 2, 0, 1, 2, 3, 10, 11, 12, 13, 4, 5, 6, 7, 14, 15, 16, 17)},
    /* 2x2 pixels, value 100*y + 10*x + k -> 4x4 of 1 channel. */
    {.name = "bs2 one channel", .op = NN_OP_DEPTH_TO_SPACE, .n_in = 1, .bs = 2,
     .in = {T4(1, 2, 2, 4, 0, 1, 2, 3, 10, 11, 12, 13, 100, 101, 102, 103, 110, 111, 112, 113)},
     .out = T4(1, 4, 4, 1, 0, 1, 10, 11, 2, 3, 12, 13, 100, 101, 110, 111, 102, 103, 112, 113)},
};

static const struct op_case concat_cases[] = {
    {.name = "axis 3", .op = NN_OP_CONCATENATION, .n_in = 2, .axis = 3,
     .in = {T4(1, 1, 2, 1, 1, 2), T4(1, 1, 2, 2, 3, 4, 5, 6)},
     .out = T4(1, 1, 2, 3, 1, 3, 4, 2, 5, 6)},
    {.name = "axis 1", .op = NN_OP_CONCATENATION, .n_in = 2, .axis = 1,
     .in = {T4(1, 1, 2, 1, 1, 2), T4(1, 2, 2, 1, 3, 4, 5, 6)},
     .out = T4(1, 3, 2, 1, 1, 2, 3, 4, 5, 6)},
    {.name = "axis 2", .op = NN_OP_CONCATENATION, .n_in = 2, .axis = 2,
     .in = {T4(1, 2, 1, 1, 1, 2), T4(1, 2, 2, 1, 3, 4, 5, 6)},
     .out = T4(1, 2, 3, 1, 1, 3, 4, 2, 5, 6)},
    {.name = "rank3 axis 1", .op = NN_OP_CONCATENATION, .n_in = 2, .axis = 1,
     .in = {{3, {1, 2, 2}, F(1, 2, 3, 4)}, {3, {1, 1, 2}, F(5, 6)}},
     .out = {3, {1, 3, 2}, F(1, 2, 3, 4, 5, 6)}},
    {.name = "rank3 axis 2", .op = NN_OP_CONCATENATION, .n_in = 2, .axis = 2,
     .in = {{3, {1, 2, 1}, F(1, 2)}, {3, {1, 2, 2}, F(3, 4, 5, 6)}},
     .out = {3, {1, 2, 3}, F(1, 3, 4, 2, 5, 6)}},
    {.name = "three inputs", .op = NN_OP_CONCATENATION, .n_in = 3, .axis = 3,
     .in = {T4(1, 1, 1, 1, 1), T4(1, 1, 1, 2, 2, 3), T4(1, 1, 1, 1, 4)},
     .out = T4(1, 1, 1, 4, 1, 2, 3, 4)},
};

/* ---- checking ---------------------------------------------------------------------------- */

/* Hand-computed values are exact or rounded once to float: a relative 1e-6 covers float
 * rounding in the kernels. */
static void expect_close(const char *what, const struct op_case *c, const float *got,
                         const float *want, size_t n, double tol)
{
    for (size_t i = 0; i < n; i++) {
        const double d = fabs((double)got[i] - (double)want[i]);
        ck_assert_msg(d <= tol * fmax(1.0, fabs((double)want[i])),
                      "%s %s/%s: element %zu is %.9g, expected %.9g", what, nn_ref_op_name(c->op),
                      c->name, i, (double)got[i], (double)want[i]);
    }
}

static void run_case(const struct op_case *c)
{
    const size_t n_out = td_elems(&c->out);
    float *ref = calloc(n_out, sizeof(float));
    ck_assert_ptr_nonnull(ref);
    const float *ins[3] = {c->in[0].data, c->in[1].data, c->in[2].data};

    struct nn_graph *g = build_graph(c);
    enum hc_status st = nn_ref_run(g, ins, &ref);
    ck_assert_msg(st == HC_OK, "reference %s/%s: %s", nn_ref_op_name(c->op), c->name,
                  hc_last_error());
    expect_close("reference", c, ref, c->out.data, n_out, 1e-6);
    /* The float32 variants of the reference (test_nn_agree compares XNNPACK with the fma one)
     * must give the same hand-computed numbers; then the double result again for XNNPACK. */
    for (int prec = NN_REF_FLOAT; prec <= NN_REF_FLOAT_FMA; prec++) {
        st = nn_ref_run_prec(g, ins, &ref, (enum nn_ref_precision)prec);
        ck_assert_msg(st == HC_OK, "reference %s/%s: %s", nn_ref_op_name(c->op), c->name,
                      hc_last_error());
        expect_close(prec == NN_REF_FLOAT ? "reference (float)" : "reference (float, fma)", c,
                     ref, c->out.data, n_out, 1e-6);
    }
    st = nn_ref_run(g, ins, &ref);
    ck_assert_int_eq(st, HC_OK);
    free_graph(g);

#ifdef HC_TEST_NN_RUNTIME
    /* The same graph through XNNPACK must match the reference within 1e-5 (relative to the value,
     * absolute below 1): float kernels that sum in another order differ by a few ulps. */
    struct nn_model *m = NULL;
    struct nn_session *s = NULL;
    float *xnn = calloc(n_out, sizeof(float));
    ck_assert_ptr_nonnull(xnn);
    st = nn_model_from_graph(build_graph(c), c->name, &m);
    ck_assert_msg(st == HC_OK, "nn_model_from_graph %s/%s: %s", nn_ref_op_name(c->op), c->name,
                  hc_last_error());
    st = nn_session_create(m, 1, NULL, 0, &s);
    ck_assert_msg(st == HC_OK, "nn_session_create %s/%s: %s", nn_ref_op_name(c->op), c->name,
                  hc_last_error());
    st = nn_session_run(s, ins, &xnn);
    ck_assert_msg(st == HC_OK, "nn_session_run %s/%s: %s", nn_ref_op_name(c->op), c->name,
                  hc_last_error());
    expect_close("xnnpack vs reference", c, xnn, ref, n_out, 1e-5);
    nn_session_free(s);
    nn_model_free(m);
    free(xnn);
#endif
    free(ref);
}

#define CASE_TEST(fn, table)                                                                   \
    START_TEST(fn) { run_case(&table[_i]); }                                                   \
    END_TEST

CASE_TEST(test_conv, conv_cases)
CASE_TEST(test_dwconv, dwconv_cases)
CASE_TEST(test_add, add_cases)
CASE_TEST(test_pad, pad_cases)
CASE_TEST(test_maxpool, pool_cases)
CASE_TEST(test_resize, resize_cases)
CASE_TEST(test_misc, misc_cases)
CASE_TEST(test_d2s, d2s_cases)
CASE_TEST(test_concat, concat_cases)

/* The reference refuses a graph whose shapes the op cannot produce (it checks the reader). */
START_TEST(test_ref_rejects_bad_shape)
{
    struct op_case c = conv_cases[0];
    c.out.shape[1] = 3; /* VALID 3x3 with a 2x2 filter gives 2 rows, not 3 */
    struct nn_graph *g = build_graph(&c);
    float out[6];
    float *outs[1] = {out};
    const float *ins[1] = {seq9};
    ck_assert_int_eq(nn_ref_run(g, ins, outs), HC_ERR_MODEL);
    ck_assert_msg(strstr(hc_last_error(), "CONV_2D") != NULL, "message: %s", hc_last_error());
    free_graph(g);
}
END_TEST

static Suite *nn_ops_suite(void)
{
    Suite *s = suite_create("nn_ops");
    struct {
        const char *name;
        const TTest *fn;
        int n;
    } const t[] = {
        {"conv_2d", test_conv, (int)HC_ARRAY_LEN(conv_cases)},
        {"depthwise_conv_2d", test_dwconv, (int)HC_ARRAY_LEN(dwconv_cases)},
        {"add", test_add, (int)HC_ARRAY_LEN(add_cases)},
        {"pad", test_pad, (int)HC_ARRAY_LEN(pad_cases)},
        {"max_pool_2d", test_maxpool, (int)HC_ARRAY_LEN(pool_cases)},
        {"resize_bilinear", test_resize, (int)HC_ARRAY_LEN(resize_cases)},
        {"reshape_logistic", test_misc, (int)HC_ARRAY_LEN(misc_cases)},
        {"depth_to_space", test_d2s, (int)HC_ARRAY_LEN(d2s_cases)},
        {"concatenation", test_concat, (int)HC_ARRAY_LEN(concat_cases)},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(t); i++) {
        TCase *tc = tcase_create(t[i].name);
        tcase_add_loop_test(tc, t[i].fn, 0, t[i].n);
        suite_add_tcase(s, tc);
    }
    TCase *tc = tcase_create("reference_checks");
    tcase_add_test(tc, test_ref_rejects_bad_shape);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return hc_check_run(nn_ops_suite());
}
