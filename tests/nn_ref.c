/*
 * nn_ref.c - reference interpreter for struct nn_graph: see nn_ref.h.
 *
 * Why it looks the way it does: it is the yardstick for the XNNPACK runtime, so every kernel is
 * the most literal transcription we could write of TensorFlow Lite's reference kernel
 * (tensorflow/lite/kernels/internal/reference/ and kernels/padding.h), with the TFLite code it
 * follows named above each function. The only liberty taken is accumulating dot products in
 * double, which makes the reference closer to exact than any float implementation, never further
 * (NN_REF_FLOAT sums in float, to measure how much float rounding a model amplifies).
 * NN_REF_FLOAT_FMA computes the same definitions in float32 with the rounding order of XNNPACK's
 * kernels (0.0~git20220216 on x86-64, found by disassembling the microkernels a run spends its
 * time in): f32 igemm/gemm 7x16 avx512f "broadcast" (one fma chain per output, bias first, taps
 * (ky, kx) outer, channels inner); f32 dwconv up16x9/up16x25 avx512f (one fma chain, bias first,
 * taps in the indirection buffer's order kx outer, ky inner; no "acc2" split); f32 ibilinear
 * sse_c8 (separate multiply and add, no fma) with the weights of
 * xnn_indirection_init_resize_bilinear2d_hwc_f32. Only the order of float operations is chosen to
 * match; the code is still plain loops over the TFLite definitions. nnref.cmake builds this file
 * with -ffp-contract=off so that a * b + c means two roundings here, as it does in those kernels.
 * Loop orders put the contiguous axis innermost so the heavy landmark model runs in seconds.
 */
#include "nn_ref.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *nn_ref_op_name(enum nn_op op)
{
    static const char *const names[NN_OP_COUNT_] = {
        [NN_OP_CONV_2D] = "CONV_2D",
        [NN_OP_DEPTHWISE_CONV_2D] = "DEPTHWISE_CONV_2D",
        [NN_OP_ADD] = "ADD",
        [NN_OP_PAD] = "PAD",
        [NN_OP_MAX_POOL_2D] = "MAX_POOL_2D",
        [NN_OP_RESIZE_BILINEAR] = "RESIZE_BILINEAR",
        [NN_OP_RESHAPE] = "RESHAPE",
        [NN_OP_LOGISTIC] = "LOGISTIC",
        [NN_OP_DEPTH_TO_SPACE] = "DEPTH_TO_SPACE",
        [NN_OP_CONCATENATION] = "CONCATENATION",
    };
    if ((int)op < 0 || op >= NN_OP_COUNT_)
        return "?";
    return names[op];
}

/* ---- shape helpers ----------------------------------------------------------------------- */

/* Product of the dims, or (size_t)-1 for a negative dim or overflow. */
static size_t shape_elems(const struct nn_tensor *t)
{
    size_t n = 1;
    if (t->rank < 0 || t->rank > NN_MAX_RANK)
        return (size_t)-1;
    for (int i = 0; i < t->rank; i++) {
        if (t->shape[i] < 0 || hc_mul_size(n, (size_t)t->shape[i], &n) != 0)
            return (size_t)-1;
    }
    return n;
}

/* kernels/padding.h ComputeOutSize: SAME ceil(in / stride), VALID ceil((in - eff + 1) / stride). */
static int out_size(enum nn_padding pad, int in, int filter, int stride, int dilation)
{
    const int eff = (filter - 1) * dilation + 1;
    if (pad == NN_PADDING_SAME)
        return (in + stride - 1) / stride;
    return (in + stride - eff) / stride;
}

/* kernels/padding.h ComputePaddingWithOffset: the padding before is total / 2 (floor); the odd
 * pixel goes after. */
static int pad_before(int in, int filter, int stride, int dilation, int out)
{
    const int eff = (filter - 1) * dilation + 1;
    int total = (out - 1) * stride + eff - in;
    if (total < 0)
        total = 0;
    return total / 2;
}

/* kernels/internal/common.h ActivationFunctionWithMinMax with the ranges CalculateActivationRange
 * gives each fused activation. */
static void apply_act(enum nn_activation act, float *x, size_t n)
{
    float lo, hi;
    switch (act) {
    case NN_ACT_NONE: return;
    case NN_ACT_RELU: lo = 0.0f; hi = INFINITY; break;
    case NN_ACT_RELU6: lo = 0.0f; hi = 6.0f; break;
    case NN_ACT_RELU_N1_TO_1: lo = -1.0f; hi = 1.0f; break;
    default: return; /* rejected in run_node */
    }
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] < lo ? lo : (x[i] > hi ? hi : x[i]);
}

/* ---- interpreter state ------------------------------------------------------------------- */

struct ref_run {
    const struct nn_graph *g;
    enum nn_ref_precision prec;
    const float **val;   /* per tensor: its values once known */
    float **owned;       /* per tensor: buffer we allocated (freed after its last reader) */
    int *last_use;       /* per tensor: last node reading it; n_nodes for graph outputs */
};

static enum hc_status node_fail(const struct nn_node *n, int idx, const char *what)
{
    return hc_fail(HC_ERR_MODEL, "nn_ref: node %d (%s, operator %d in the file): %s", idx,
                   nn_ref_op_name(n->op), n->tflite_index, what);
}

/* Tensor ids a node reads as data (constant parameter tensors of PAD/RESIZE/RESHAPE are read from
 * the node's parameters and output shape, not from their data). */
static int n_data_inputs(const struct nn_node *n)
{
    switch (n->op) {
    case NN_OP_PAD:
    case NN_OP_RESIZE_BILINEAR:
    case NN_OP_RESHAPE:
    case NN_OP_LOGISTIC:
    case NN_OP_DEPTH_TO_SPACE:
    case NN_OP_MAX_POOL_2D: return 1;
    case NN_OP_ADD: return 2;
    case NN_OP_CONV_2D:
    case NN_OP_DEPTHWISE_CONV_2D: return 3;
    default: return n->n_inputs;
    }
}

/* ---- kernels ----------------------------------------------------------------------------- */

/* reference/conv.h Conv (float): out[b,y,x,oc] = bias[oc] + sum over (fy, fx, ic) of
 * in[b, y*sh - pt + fy*dh, x*sw - pl + fx*dw, ic] * filter[oc, fy, fx, ic], out-of-image taps
 * skipped (zero padding). Filter layout [O, H, W, I]. */
static enum hc_status k_conv(const struct nn_node *n, int idx, const struct nn_tensor *ti,
                             const float *in, const struct nn_tensor *tf, const float *w,
                             const struct nn_tensor *tb, const float *bias,
                             const struct nn_tensor *to, float *out, enum nn_ref_precision prec)
{
    if (ti->rank != 4 || tf->rank != 4 || to->rank != 4)
        return node_fail(n, idx, "input, filter and output must be 4-D");
    const int nb = ti->shape[0], ih = ti->shape[1], iw = ti->shape[2], ic = ti->shape[3];
    const int oc = tf->shape[0], fh = tf->shape[1], fw = tf->shape[2];
    const int sh = n->p.conv.stride_h, sw = n->p.conv.stride_w;
    const int dh = n->p.conv.dilation_h, dw = n->p.conv.dilation_w;
    if (sh < 1 || sw < 1 || dh < 1 || dw < 1)
        return node_fail(n, idx, "stride and dilation must be >= 1");
    if (tf->shape[3] != ic)
        return node_fail(n, idx, "filter input channels differ from the input's channels");
    if (tb && (tb->rank != 1 || tb->shape[0] != oc))
        return node_fail(n, idx, "bias must be 1-D with one value per output channel");
    const int oh = out_size(n->p.conv.padding, ih, fh, sh, dh);
    const int ow = out_size(n->p.conv.padding, iw, fw, sw, dw);
    if (to->shape[0] != nb || to->shape[1] != oh || to->shape[2] != ow || to->shape[3] != oc)
        return node_fail(n, idx, "output shape differs from what padding/stride/dilation give");
    const int pt = pad_before(ih, fh, sh, dh, oh), pl = pad_before(iw, fw, sw, dw, ow);

    for (int b = 0; b < nb; b++)
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++) {
                float *o = out + (((size_t)b * oh + y) * ow + x) * oc;
                for (int c = 0; c < oc; c++) {
                    double acc = bias ? bias[c] : 0.0;
                    float facc = bias ? bias[c] : 0.0f;
                    for (int fy = 0; fy < fh; fy++) {
                        const int yy = y * sh - pt + fy * dh;
                        if (yy < 0 || yy >= ih)
                            continue;
                        for (int fx = 0; fx < fw; fx++) {
                            const int xx = x * sw - pl + fx * dw;
                            if (xx < 0 || xx >= iw)
                                continue;
                            const float *ip = in + (((size_t)b * ih + yy) * iw + xx) * ic;
                            const float *wp = w + (((size_t)c * fh + fy) * fw + fx) * ic;
                            if (prec == NN_REF_FLOAT_FMA)
                                for (int k = 0; k < ic; k++)
                                    facc = fmaf(ip[k], wp[k], facc);
                            else if (prec == NN_REF_FLOAT)
                                for (int k = 0; k < ic; k++)
                                    facc += ip[k] * wp[k];
                            else
                                for (int k = 0; k < ic; k++)
                                    acc += (double)ip[k] * wp[k];
                        }
                    }
                    o[c] = prec == NN_REF_DOUBLE ? (float)acc : facc;
                }
            }
    return HC_OK;
}

/* reference/depthwiseconv_float.h DepthwiseConv: output channel oc = ic * depth_multiplier + m
 * reads input channel ic; filter layout [1, H, W, O]. Taps are summed (fy, fx) row by row, except
 * in NN_REF_FLOAT_FMA: column by column (fx outer), the order of XNNPACK's dwconv indirection. */
static enum hc_status k_dwconv(const struct nn_node *n, int idx, const struct nn_tensor *ti,
                               const float *in, const struct nn_tensor *tf, const float *w,
                               const struct nn_tensor *tb, const float *bias,
                               const struct nn_tensor *to, float *out,
                               enum nn_ref_precision prec)
{
    if (ti->rank != 4 || tf->rank != 4 || to->rank != 4)
        return node_fail(n, idx, "input, filter and output must be 4-D");
    const int nb = ti->shape[0], ih = ti->shape[1], iw = ti->shape[2], ic = ti->shape[3];
    const int fh = tf->shape[1], fw = tf->shape[2], oc = tf->shape[3];
    const int dm = n->p.conv.depth_multiplier;
    const int sh = n->p.conv.stride_h, sw = n->p.conv.stride_w;
    const int dh = n->p.conv.dilation_h, dw = n->p.conv.dilation_w;
    if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || dm < 1)
        return node_fail(n, idx, "stride, dilation and depth multiplier must be >= 1");
    if (tf->shape[0] != 1 || (long long)ic * dm != oc)
        return node_fail(n, idx, "filter must be [1, H, W, input channels * depth_multiplier]");
    if (tb && (tb->rank != 1 || tb->shape[0] != oc))
        return node_fail(n, idx, "bias must be 1-D with one value per output channel");
    const int oh = out_size(n->p.conv.padding, ih, fh, sh, dh);
    const int ow = out_size(n->p.conv.padding, iw, fw, sw, dw);
    if (to->shape[0] != nb || to->shape[1] != oh || to->shape[2] != ow || to->shape[3] != oc)
        return node_fail(n, idx, "output shape differs from what padding/stride/dilation give");
    const int pt = pad_before(ih, fh, sh, dh, oh), pl = pad_before(iw, fw, sw, dw, ow);

    for (int b = 0; b < nb; b++)
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++) {
                float *o = out + (((size_t)b * oh + y) * ow + x) * oc;
                for (int c = 0; c < oc; c++) {
                    const int cin = c / dm;
                    double acc = bias ? bias[c] : 0.0;
                    float facc = bias ? bias[c] : 0.0f;
                    const int col_major = prec == NN_REF_FLOAT_FMA;
                    const int n_outer = col_major ? fw : fh, n_inner = col_major ? fh : fw;
                    for (int t0 = 0; t0 < n_outer; t0++)
                        for (int t1 = 0; t1 < n_inner; t1++) {
                            const int fy = col_major ? t1 : t0, fx = col_major ? t0 : t1;
                            const int yy = y * sh - pt + fy * dh;
                            const int xx = x * sw - pl + fx * dw;
                            if (yy < 0 || yy >= ih || xx < 0 || xx >= iw)
                                continue;
                            const float v = in[(((size_t)b * ih + yy) * iw + xx) * ic + cin];
                            const float wt = w[((size_t)fy * fw + fx) * oc + c];
                            if (prec == NN_REF_FLOAT_FMA)
                                facc = fmaf(v, wt, facc);
                            else if (prec == NN_REF_FLOAT)
                                facc += v * wt;
                            else
                                acc += (double)v * wt;
                        }
                    o[c] = prec == NN_REF_DOUBLE ? (float)acc : facc;
                }
            }
    return HC_OK;
}

/* reference/add.h BroadcastAdd6DSlow: numpy broadcasting, shapes aligned on the last axis, a dim
 * of 1 repeats. The output rank must cover both inputs' ranks. */
static enum hc_status k_add(const struct nn_node *n, int idx, const struct nn_tensor *ta,
                            const float *a, const struct nn_tensor *tb, const float *b,
                            const struct nn_tensor *to, float *out)
{
    const int r = to->rank;
    if (ta->rank > r || tb->rank > r)
        return node_fail(n, idx, "output rank is lower than an input's rank");
    size_t sa[NN_MAX_RANK], sb[NN_MAX_RANK];   /* element strides, 0 on broadcast axes */
    size_t stride_a = 1, stride_b = 1;
    for (int d = r - 1; d >= 0; d--) {
        const int da = d - (r - ta->rank), db = d - (r - tb->rank);
        const int na = da >= 0 ? ta->shape[da] : 1, nbb = db >= 0 ? tb->shape[db] : 1;
        const int no = to->shape[d];
        if ((na != no && na != 1) || (nbb != no && nbb != 1) || (na != no && nbb != no))
            return node_fail(n, idx, "input shapes do not broadcast to the output shape");
        sa[d] = na == 1 ? 0 : stride_a;
        sb[d] = nbb == 1 ? 0 : stride_b;
        stride_a *= (size_t)na;
        stride_b *= (size_t)nbb;
    }
    int pos[NN_MAX_RANK] = {0};
    const size_t total = shape_elems(to);
    for (size_t i = 0; i < total; i++) {
        size_t ia = 0, ib = 0;
        for (int d = 0; d < r; d++) {
            ia += (size_t)pos[d] * sa[d];
            ib += (size_t)pos[d] * sb[d];
        }
        out[i] = a[ia] + b[ib];
        for (int d = r - 1; d >= 0; d--) {
            if (++pos[d] < to->shape[d])
                break;
            pos[d] = 0;
        }
    }
    return HC_OK;
}

/* reference/pad.h PadImpl with pad value 0 (PAD without a constant: TFLite pads floats with
 * zeros): out = zeros, then each input element lands at its index + pad_before per axis. */
static enum hc_status k_pad(const struct nn_node *n, int idx, const struct nn_tensor *ti,
                            const float *in, const struct nn_tensor *to, float *out)
{
    const int r = ti->rank;
    if (to->rank != r)
        return node_fail(n, idx, "output rank differs from the input rank");
    for (int d = 0; d < r; d++) {
        const int lo = n->p.pad.pads[d][0], hi = n->p.pad.pads[d][1];
        if (lo < 0 || hi < 0 || (long long)ti->shape[d] + lo + hi != to->shape[d])
            return node_fail(n, idx, "output shape differs from input shape + paddings");
    }
    const size_t total_out = shape_elems(to), total_in = shape_elems(ti);
    for (size_t i = 0; i < total_out; i++)
        out[i] = 0.0f;
    int pos[NN_MAX_RANK] = {0};
    for (size_t i = 0; i < total_in; i++) {
        size_t o = 0;
        for (int d = 0; d < r; d++)
            o = o * (size_t)to->shape[d] + (size_t)(pos[d] + n->p.pad.pads[d][0]);
        out[o] = in[i];
        for (int d = r - 1; d >= 0; d--) {
            if (++pos[d] < ti->shape[d])
                break;
            pos[d] = 0;
        }
    }
    return HC_OK;
}

/* reference/pooling.h MaxPool: max over the window's taps inside the image (padding never wins);
 * same output size and padding rules as convolution with dilation 1. */
static enum hc_status k_maxpool(const struct nn_node *n, int idx, const struct nn_tensor *ti,
                                const float *in, const struct nn_tensor *to, float *out)
{
    if (ti->rank != 4 || to->rank != 4)
        return node_fail(n, idx, "input and output must be 4-D");
    const int nb = ti->shape[0], ih = ti->shape[1], iw = ti->shape[2], c = ti->shape[3];
    const int sh = n->p.pool.stride_h, sw = n->p.pool.stride_w;
    const int fh = n->p.pool.filter_h, fw = n->p.pool.filter_w;
    if (sh < 1 || sw < 1 || fh < 1 || fw < 1)
        return node_fail(n, idx, "stride and filter size must be >= 1");
    const int oh = out_size(n->p.pool.padding, ih, fh, sh, 1);
    const int ow = out_size(n->p.pool.padding, iw, fw, sw, 1);
    if (to->shape[0] != nb || to->shape[1] != oh || to->shape[2] != ow || to->shape[3] != c)
        return node_fail(n, idx, "output shape differs from what padding/stride give");
    const int pt = pad_before(ih, fh, sh, 1, oh), pl = pad_before(iw, fw, sw, 1, ow);
    for (int b = 0; b < nb; b++)
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                for (int ch = 0; ch < c; ch++) {
                    float m = -INFINITY;
                    for (int fy = 0; fy < fh; fy++) {
                        const int yy = y * sh - pt + fy;
                        if (yy < 0 || yy >= ih)
                            continue;
                        for (int fx = 0; fx < fw; fx++) {
                            const int xx = x * sw - pl + fx;
                            if (xx < 0 || xx >= iw)
                                continue;
                            const float v = in[(((size_t)b * ih + yy) * iw + xx) * c + ch];
                            if (v > m)
                                m = v;
                        }
                    }
                    out[(((size_t)b * oh + y) * ow + x) * c + ch] = m;
                }
    return HC_OK;
}

/* reference/resize_bilinear.h ComputeInterpolationValues, in float exactly as TFLite does it. */
static void interp(int value, float scale, int half_pixel, int in_size, float *scaled, int *lo,
                   int *hi)
{
    if (half_pixel)
        *scaled = ((float)value + 0.5f) * scale - 0.5f;
    else
        *scaled = (float)value * scale;
    const int f = (int)floorf(*scaled), c = (int)ceilf(*scaled);
    *lo = f > 0 ? f : 0;
    *hi = c < in_size - 1 ? c : in_size - 1;
}

/* The same interpolation in the float arithmetic of XNNPACK's resize: the source coordinate is
 * y * scale + (0.5 * scale - 0.5) with half-pixel centres (y * scale otherwise), clamped to
 * [0, size - 1]; lo = its integer part, hi = min(lo + 1, size - 1), alpha = coordinate - lo; the
 * result is top = tl + (tr - tl) * ax, bottom likewise, top + (bottom - top) * ay, every
 * operation rounded. Mathematically the blend of ResizeBilinear below: the clamp only moves
 * weight between two taps that are the same pixel. */
static float src_coord(int v, float scale, int half_pixel, int in_size, int *lo, int *hi)
{
    float s = (float)v * scale;
    if (half_pixel)
        s = s + (0.5f * scale - 0.5f);
    s = fminf(fmaxf(s, 0.0f), (float)(in_size - 1));
    *lo = (int)s;
    *hi = *lo + 1 < in_size - 1 ? *lo + 1 : in_size - 1;
    return s - (float)*lo;
}

static enum hc_status resize_lerp(const struct nn_tensor *ti, const float *in,
                                  const struct nn_tensor *to, float *out, float hs, float ws,
                                  int hp)
{
    const int nb = ti->shape[0], ih = ti->shape[1], iw = ti->shape[2], c = ti->shape[3];
    const int oh = to->shape[1], ow = to->shape[2];
    for (int b = 0; b < nb; b++)
        for (int y = 0; y < oh; y++) {
            int y0, y1;
            const float ay = src_coord(y, hs, hp, ih, &y0, &y1);
            for (int x = 0; x < ow; x++) {
                int x0, x1;
                const float ax = src_coord(x, ws, hp, iw, &x0, &x1);
                const float *tl = in + (((size_t)b * ih + y0) * iw + x0) * c;
                const float *tr = in + (((size_t)b * ih + y0) * iw + x1) * c;
                const float *bl = in + (((size_t)b * ih + y1) * iw + x0) * c;
                const float *br = in + (((size_t)b * ih + y1) * iw + x1) * c;
                float *o = out + (((size_t)b * oh + y) * ow + x) * c;
                for (int ch = 0; ch < c; ch++) {
                    const float top = tl[ch] + (tr[ch] - tl[ch]) * ax;
                    const float bot = bl[ch] + (br[ch] - bl[ch]) * ax;
                    o[ch] = top + (bot - top) * ay;
                }
            }
        }
    return HC_OK;
}

/* reference/resize_bilinear.h ResizeBilinear (float): scale in/out, or (in-1)/(out-1) with
 * align_corners; four-tap blend with weights from the unclamped source coordinate. */
static enum hc_status k_resize(const struct nn_node *n, int idx, const struct nn_tensor *ti,
                               const float *in, const struct nn_tensor *to, float *out,
                               enum nn_ref_precision prec)
{
    if (ti->rank != 4 || to->rank != 4)
        return node_fail(n, idx, "input and output must be 4-D");
    if (n->p.resize.align_corners && n->p.resize.half_pixel_centers)
        return node_fail(n, idx, "align_corners and half_pixel_centers cannot both be set");
    const int nb = ti->shape[0], ih = ti->shape[1], iw = ti->shape[2], c = ti->shape[3];
    const int oh = to->shape[1], ow = to->shape[2];
    if (to->shape[0] != nb || to->shape[3] != c || oh < 1 || ow < 1 || ih < 1 || iw < 1)
        return node_fail(n, idx, "output batch/channels differ from the input's");
    float hs = (float)ih / (float)oh, ws = (float)iw / (float)ow;
    if (n->p.resize.align_corners && oh > 1)
        hs = (float)(ih - 1) / (float)(oh - 1);
    if (n->p.resize.align_corners && ow > 1)
        ws = (float)(iw - 1) / (float)(ow - 1);
    const int hp = n->p.resize.half_pixel_centers;
    if (prec == NN_REF_FLOAT_FMA)
        return resize_lerp(ti, in, to, out, hs, ws, hp);
    for (int b = 0; b < nb; b++)
        for (int y = 0; y < oh; y++) {
            float fy;
            int y0, y1;
            interp(y, hs, hp, ih, &fy, &y0, &y1);
            for (int x = 0; x < ow; x++) {
                float fx;
                int x0, x1;
                interp(x, ws, hp, iw, &fx, &x0, &x1);
                const float *p00 = in + (((size_t)b * ih + y0) * iw + x0) * c;
                const float *p10 = in + (((size_t)b * ih + y1) * iw + x0) * c;
                const float *p01 = in + (((size_t)b * ih + y0) * iw + x1) * c;
                const float *p11 = in + (((size_t)b * ih + y1) * iw + x1) * c;
                const float dy = fy - (float)y0, dx = fx - (float)x0;
                float *o = out + (((size_t)b * oh + y) * ow + x) * c;
                for (int ch = 0; ch < c; ch++)
                    o[ch] = p00[ch] * (1 - dy) * (1 - dx) + p10[ch] * dy * (1 - dx) +
                            p01[ch] * (1 - dy) * dx + p11[ch] * dy * dx;
            }
        }
    return HC_OK;
}

/* reference/depth_to_space.h DepthToSpace (DCR order): out[b, y, x, c] =
 * in[b, y / bs, x / bs, ((y % bs) * bs + x % bs) * out_depth + c]. */
static enum hc_status k_d2s(const struct nn_node *n, int idx, const struct nn_tensor *ti,
                            const float *in, const struct nn_tensor *to, float *out)
{
    if (ti->rank != 4 || to->rank != 4)
        return node_fail(n, idx, "input and output must be 4-D");
    const int bs = n->p.d2s.block_size;
    const int nb = ti->shape[0], ih = ti->shape[1], iw = ti->shape[2], ic = ti->shape[3];
    if (bs < 1 || ic % (bs * bs) != 0)
        return node_fail(n, idx, "input channels must be a multiple of block_size^2");
    const int oh = ih * bs, ow = iw * bs, oc = ic / (bs * bs);
    if (to->shape[0] != nb || to->shape[1] != oh || to->shape[2] != ow || to->shape[3] != oc)
        return node_fail(n, idx, "output shape differs from [N, H*bs, W*bs, C/bs^2]");
    for (int b = 0; b < nb; b++)
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                for (int c = 0; c < oc; c++) {
                    const int d = ((y % bs) * bs + x % bs) * oc + c;
                    out[(((size_t)b * oh + y) * ow + x) * oc + c] =
                        in[(((size_t)b * ih + y / bs) * iw + x / bs) * ic + d];
                }
    return HC_OK;
}

struct concat_in {
    const struct nn_tensor *t;
    const float *v;
};

/* reference/concatenation.h Concatenation: for each index before the axis, the inputs' slices
 * one after the other. */
static enum hc_status k_concat_impl(const struct nn_node *n, int idx, const struct concat_in *ins,
                                    int n_in, const struct nn_tensor *to, float *out)
{
    const int axis = n->p.concat.axis, r = to->rank;
    if (axis < 0 || axis >= r || n_in < 1)
        return node_fail(n, idx, "axis out of range");
    long long sum = 0;
    for (int i = 0; i < n_in; i++) {
        if (ins[i].t->rank != r)
            return node_fail(n, idx, "inputs must have the output's rank");
        for (int d = 0; d < r; d++)
            if (d != axis && ins[i].t->shape[d] != to->shape[d])
                return node_fail(n, idx, "inputs differ from the output off the concat axis");
        sum += ins[i].t->shape[axis];
    }
    if (sum != to->shape[axis])
        return node_fail(n, idx, "output axis size is not the sum of the inputs'");
    size_t outer = 1, inner = 1;
    for (int d = 0; d < axis; d++)
        outer *= (size_t)to->shape[d];
    for (int d = axis + 1; d < r; d++)
        inner *= (size_t)to->shape[d];
    float *o = out;
    for (size_t k = 0; k < outer; k++)
        for (int i = 0; i < n_in; i++) {
            const size_t len = (size_t)ins[i].t->shape[axis] * inner;
            memcpy(o, ins[i].v + k * len, len * sizeof(float));
            o += len;
        }
    return HC_OK;
}

static enum hc_status run_node(struct ref_run *R, int idx, float *out)
{
    const struct nn_graph *g = R->g;
    const struct nn_node *n = &g->nodes[idx];
    const struct nn_tensor *to = &g->tensors[n->output];
    const struct nn_tensor *t[NN_MAX_NODE_INPUTS] = {0};
    const float *v[NN_MAX_NODE_INPUTS] = {0};
    const int nd = n_data_inputs(n) < n->n_inputs ? n_data_inputs(n) : n->n_inputs;
    for (int i = 0; i < nd; i++) {
        if (n->inputs[i] < 0)
            continue;
        t[i] = &g->tensors[n->inputs[i]];
        v[i] = R->val[n->inputs[i]];
    }
    const size_t n_out = shape_elems(to);
    enum hc_status st;

    switch (n->op) {
    case NN_OP_CONV_2D:
    case NN_OP_DEPTHWISE_CONV_2D:
        if (nd < 2 || !t[0] || !t[1])
            return node_fail(n, idx, "needs an input and a filter");
        st = (n->op == NN_OP_CONV_2D ? k_conv : k_dwconv)(n, idx, t[0], v[0], t[1], v[1], t[2],
                                                           v[2], to, out, R->prec);
        break;
    case NN_OP_ADD:
        if (nd < 2 || !t[0] || !t[1])
            return node_fail(n, idx, "needs two inputs");
        st = k_add(n, idx, t[0], v[0], t[1], v[1], to, out);
        break;
    case NN_OP_PAD:
        st = t[0] ? k_pad(n, idx, t[0], v[0], to, out) : node_fail(n, idx, "needs an input");
        break;
    case NN_OP_MAX_POOL_2D:
        st = t[0] ? k_maxpool(n, idx, t[0], v[0], to, out) : node_fail(n, idx, "needs an input");
        break;
    case NN_OP_RESIZE_BILINEAR:
        st = t[0] ? k_resize(n, idx, t[0], v[0], to, out, R->prec)
                  : node_fail(n, idx, "needs an input");
        break;
    case NN_OP_RESHAPE:
        if (!t[0] || shape_elems(t[0]) != n_out)
            return node_fail(n, idx, "input and output element counts differ");
        memcpy(out, v[0], n_out * sizeof(float));
        st = HC_OK;
        break;
    case NN_OP_LOGISTIC:
        /* reference/logistic.h: 1 / (1 + exp(-x)), here in double. */
        if (!t[0] || shape_elems(t[0]) != n_out)
            return node_fail(n, idx, "input and output element counts differ");
        for (size_t i = 0; i < n_out; i++)
            out[i] = (float)(1.0 / (1.0 + exp(-(double)v[0][i])));
        st = HC_OK;
        break;
    case NN_OP_DEPTH_TO_SPACE:
        st = t[0] ? k_d2s(n, idx, t[0], v[0], to, out) : node_fail(n, idx, "needs an input");
        break;
    case NN_OP_CONCATENATION: {
        struct concat_in ins[NN_MAX_NODE_INPUTS];
        for (int i = 0; i < nd; i++) {
            if (!t[i])
                return node_fail(n, idx, "missing input");
            ins[i].t = t[i];
            ins[i].v = v[i];
        }
        st = k_concat_impl(n, idx, ins, nd, to, out);
        break;
    }
    default:
        return node_fail(n, idx, "op not known to the reference interpreter");
    }
    if (st != HC_OK)
        return st;
    if ((int)n->act < NN_ACT_NONE || n->act > NN_ACT_RELU_N1_TO_1)
        return node_fail(n, idx, "unknown fused activation");
    apply_act(n->act, out, n_out);
    return HC_OK;
}

static enum hc_status check_graph(const struct nn_graph *g)
{
    if (!g || g->n_tensors < 0 || g->n_nodes < 0 || g->n_inputs < 0 || g->n_outputs < 0 ||
        (g->n_tensors && !g->tensors) || (g->n_nodes && !g->nodes) ||
        (g->n_inputs && !g->inputs) || (g->n_outputs && !g->outputs))
        return hc_fail(HC_ERR_INVALID_ARG, "nn_ref: malformed graph");
    for (int i = 0; i < g->n_tensors; i++) {
        const struct nn_tensor *t = &g->tensors[i];
        const size_t n = shape_elems(t);
        if (n == (size_t)-1 || n != t->n_elems)
            return hc_fail(HC_ERR_MODEL, "nn_ref: tensor %d (%s): n_elems %zu does not match its "
                           "shape", i, t->name ? t->name : "?", t->n_elems);
    }
    for (int i = 0; i < g->n_inputs; i++)
        if (g->inputs[i] < 0 || g->inputs[i] >= g->n_tensors)
            return hc_fail(HC_ERR_MODEL, "nn_ref: graph input %d is not a tensor id", i);
    for (int i = 0; i < g->n_outputs; i++)
        if (g->outputs[i] < 0 || g->outputs[i] >= g->n_tensors)
            return hc_fail(HC_ERR_MODEL, "nn_ref: graph output %d is not a tensor id", i);
    for (int i = 0; i < g->n_nodes; i++) {
        const struct nn_node *n = &g->nodes[i];
        if (n->n_inputs < 1 || n->n_inputs > NN_MAX_NODE_INPUTS || n->output < 0 ||
            n->output >= g->n_tensors)
            return node_fail(n, i, "bad input count or output id");
        for (int k = 0; k < n->n_inputs; k++)
            if (n->inputs[k] < -1 || n->inputs[k] >= g->n_tensors)
                return node_fail(n, i, "input id out of range");
        if (g->tensors[n->output].data)
            return node_fail(n, i, "writes a constant tensor");
    }
    return HC_OK;
}

enum hc_status nn_ref_run(const struct nn_graph *g, const float *const *inputs,
                          float *const *outputs)
{
    return nn_ref_run_prec(g, inputs, outputs, NN_REF_DOUBLE);
}

enum hc_status nn_ref_run_prec(const struct nn_graph *g, const float *const *inputs,
                               float *const *outputs, enum nn_ref_precision prec)
{
    enum hc_status st = check_graph(g);
    if (st != HC_OK)
        return st;
    if ((g->n_inputs && !inputs) || (g->n_outputs && !outputs))
        return hc_fail(HC_ERR_INVALID_ARG, "nn_ref_run: inputs/outputs array is NULL");

    if (prec != NN_REF_DOUBLE && prec != NN_REF_FLOAT && prec != NN_REF_FLOAT_FMA)
        return hc_fail(HC_ERR_INVALID_ARG, "nn_ref_run: unknown precision %d", (int)prec);
    struct ref_run R = {.g = g, .prec = prec};
    R.val = calloc((size_t)g->n_tensors + 1, sizeof(*R.val));
    R.owned = calloc((size_t)g->n_tensors + 1, sizeof(*R.owned));
    R.last_use = calloc((size_t)g->n_tensors + 1, sizeof(*R.last_use));
    if (!R.val || !R.owned || !R.last_use) {
        st = hc_fail(HC_ERR_NOMEM, "nn_ref_run: out of memory");
        goto fail;
    }
    for (int i = 0; i < g->n_tensors; i++) {
        R.val[i] = g->tensors[i].data;
        R.last_use[i] = -1;
    }
    for (int i = 0; i < g->n_inputs; i++) {
        if (!inputs[i]) {
            st = hc_fail(HC_ERR_INVALID_ARG, "nn_ref_run: input %d is NULL", i);
            goto fail;
        }
        R.val[g->inputs[i]] = inputs[i];
    }
    for (int i = 0; i < g->n_nodes; i++)
        for (int k = 0; k < g->nodes[i].n_inputs; k++)
            if (g->nodes[i].inputs[k] >= 0)
                R.last_use[g->nodes[i].inputs[k]] = i;
    for (int i = 0; i < g->n_outputs; i++)
        R.last_use[g->outputs[i]] = g->n_nodes;

    for (int i = 0; i < g->n_nodes; i++) {
        const struct nn_node *n = &g->nodes[i];
        const int nd = n_data_inputs(n) < n->n_inputs ? n_data_inputs(n) : n->n_inputs;
        for (int k = 0; k < nd; k++)
            if (n->inputs[k] >= 0 && !R.val[n->inputs[k]]) {
                st = node_fail(n, i, "reads a tensor no earlier node wrote");
                goto fail;
            }
        if (R.val[n->output]) {
            st = node_fail(n, i, "writes a tensor that already has a value");
            goto fail;
        }
        const size_t n_out = g->tensors[n->output].n_elems;
        float *out = malloc((n_out ? n_out : 1) * sizeof(float));
        if (!out) {
            st = hc_fail(HC_ERR_NOMEM, "nn_ref_run: out of memory");
            goto fail;
        }
        R.owned[n->output] = out;
        R.val[n->output] = out;
        st = run_node(&R, i, out);
        if (st != HC_OK)
            goto fail;
        /* Free what no later node reads: keeps the heavy model's peak memory small. */
        for (int k = 0; k < n->n_inputs; k++) {
            const int id = n->inputs[k];
            if (id >= 0 && R.last_use[id] == i && R.owned[id]) {
                free(R.owned[id]);
                R.owned[id] = NULL;
                R.val[id] = NULL;
            }
        }
        if (R.last_use[n->output] < 0) { /* dead output */
            free(R.owned[n->output]);
            R.owned[n->output] = NULL;
            R.val[n->output] = NULL;
        }
    }
    for (int j = 0; j < g->n_outputs; j++) {
        const int id = g->outputs[j];
        if (!R.val[id]) {
            st = hc_fail(HC_ERR_MODEL, "nn_ref_run: graph output %d is never computed", j);
            goto fail;
        }
        if (!outputs[j]) {
            st = hc_fail(HC_ERR_INVALID_ARG, "nn_ref_run: output %d is NULL", j);
            goto fail;
        }
        memcpy(outputs[j], R.val[id], g->tensors[id].n_elems * sizeof(float));
    }
    st = HC_OK;
fail:
    if (R.owned)
        for (int i = 0; i < g->n_tensors; i++)
            free(R.owned[i]);
    free(R.owned);
    free(R.val);
    free(R.last_use);
    return st;
}
