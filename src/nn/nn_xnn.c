/* nn_xnn.c - run an nn_graph on XNNPACK (Debian's 0.0~git20220216 snapshot; the API is the one in
 * /usr/include/xnnpack.h, which differs from upstream's current one).
 *
 * A session builds one XNNPACK subgraph from the nodes that feed its selected outputs, the way
 * TFLite's XNNPACK delegate does. This XNNPACK has no concatenate node, so CONCATENATION is done
 * on the graph's edge: when a concatenation is a selected output and everything before its axis
 * has size 1 (the detector's two outputs), each piece is an external output of the subgraph whose
 * memory is its slice of the caller's output buffer, so XNNPACK writes the pieces in place and no
 * copy is made (../shared/PERF-NOTES.md). Other cases copy from session buffers after the run. A
 * concatenation feeding further operators would need the graph split; no model we ship has one,
 * and the session refuses it with a message. */
#include "nn/nn_graph.h"
#include "hingecheck.h" /* defines hc_nn_library_versions */

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <pthreadpool.h>
#include <xnnpack.h>

#ifndef HC_XNNPACK_VERSION
#define HC_XNNPACK_VERSION "XNNPACK (version unknown)"
#endif

const char *hc_nn_library_versions(void)
{
    return HC_XNNPACK_VERSION;
}

static pthread_once_t xnn_once = PTHREAD_ONCE_INIT;
static enum xnn_status xnn_init_status = xnn_status_uninitialized;

static void xnn_init_once(void)
{
    xnn_init_status = xnn_initialize(NULL);
}

/* Where an external value's memory comes from at run time. */
enum bind_kind { BIND_INPUT, BIND_SCRATCH, BIND_USER };

struct bind {
    uint32_t id;          /* XNNPACK value id (= tensor id) */
    enum bind_kind kind;
    float *buf;           /* INPUT, SCRATCH: session memory */
    int user_j;           /* USER: index into the caller's outputs, element offset */
    size_t user_off;
    int graph_input;      /* INPUT: index into the caller's inputs */
    size_t n_elems;
};

/* A copy done after the run: a selected output from a scratch buffer, or one piece of an edge
 * concatenation (outer x inner block copied into its slice). */
struct post_copy {
    const float *src;     /* scratch, constant data, or NULL = caller's input `src_input` */
    int src_input;
    int dst_j;
    size_t outer, piece_inner, out_inner, dst_off;
};

struct nn_session {
    const struct nn_model *m;
    const struct nn_graph *g; /* the model's graph while the session is built, then NULL (a
                               * lazy model drops it): runs use the sizes below */
    int n_in;
    size_t *in_elems;         /* per model input */
    size_t *sel_elems;        /* per selected output */
    xnn_runtime_t rt;
    pthreadpool_t pool;
    int n_sel;
    int *sel;             /* tensor id of each selected output */
    struct bind *binds;
    int n_binds;
    struct xnn_external_value *ext;
    struct post_copy *post;
    int n_post;
    float **last_user;    /* caller's output pointers at the last setup */
    int set_up;
    void **allocs;        /* session memory: buffers, zero biases, padded constants */
    int n_allocs;
};

static float *sess_alloc(struct nn_session *s, size_t n_floats)
{
    void **na = realloc(s->allocs, (size_t)(s->n_allocs + 1) * sizeof *na);
    if (!na)
        return NULL;
    s->allocs = na;
    size_t bytes;
    if (hc_mul_size(n_floats, sizeof(float), &bytes) || hc_add_size(bytes, XNN_EXTRA_BYTES, &bytes))
        return NULL;
    float *p = calloc(1, bytes);
    if (p)
        s->allocs[s->n_allocs++] = p;
    return p;
}

void nn_session_free(struct nn_session *s)
{
    if (!s)
        return;
    if (s->rt)
        xnn_delete_runtime(s->rt);
    if (s->pool)
        pthreadpool_destroy(s->pool);
    for (int i = 0; i < s->n_allocs; i++)
        free(s->allocs[i]);
    free(s->allocs);
    free(s->sel);
    free(s->in_elems);
    free(s->sel_elems);
    free(s->binds);
    free(s->ext);
    free(s->post);
    free(s->last_user);
    free(s);
}

static void act_range(enum nn_activation a, float *lo, float *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    switch (a) {
    case NN_ACT_NONE: break;
    case NN_ACT_RELU: *lo = 0.0f; break;
    case NN_ACT_RELU6: *lo = 0.0f; *hi = 6.0f; break;
    case NN_ACT_RELU_N1_TO_1: *lo = -1.0f; *hi = 1.0f; break;
    }
}

/* TFLite SAME padding: the total goes half before, the odd one after
 * (tensorflow/lite/kernels/padding.h). VALID: none. */
static void tf_pads(enum nn_padding pad, int in, int out, int k, int stride, int dil,
                    uint32_t *before, uint32_t *after)
{
    *before = *after = 0;
    if (pad != NN_PADDING_SAME)
        return;
    const long eff = (long)(k - 1) * dil + 1;
    long total = (long)(out - 1) * stride + eff - in;
    if (total < 0)
        total = 0;
    *before = (uint32_t)(total / 2);
    *after = (uint32_t)(total - total / 2);
}

#define XFAIL(xst, what)                                                                       \
    hc_fail(HC_ERR_MODEL, "%s: XNNPACK refused %s (status %d); the model is not supported",   \
            nn_model_name(s->m), what, (int)(xst))

static enum hc_status define_node(struct nn_session *s, xnn_subgraph_t sg, const struct nn_node *n)
{
    const struct nn_graph *g = s->g;
    const struct nn_tensor *in = &g->tensors[n->inputs[0]];
    const struct nn_tensor *out = &g->tensors[n->output];
    const uint32_t iid = (uint32_t)n->inputs[0], oid = (uint32_t)n->output;
    float lo, hi;
    act_range(n->act, &lo, &hi);
    enum xnn_status xs = xnn_status_success;
    char what[64];
    snprintf(what, sizeof what, "%s (operator %d)", nn_op_name(n->op), n->tflite_index);
    switch (n->op) {
    case NN_OP_CONV_2D:
    case NN_OP_DEPTHWISE_CONV_2D: {
        const struct nn_tensor *f = &g->tensors[n->inputs[1]];
        uint32_t bid = (uint32_t)n->inputs[2];
        if (n->inputs[2] < 0) {
            /* This XNNPACK's convolution needs a bias value: give it zeros. */
            const size_t oc = (size_t)out->shape[3];
            float *zero = sess_alloc(s, oc);
            if (!zero)
                return hc_fail(HC_ERR_NOMEM, "%s: out of memory", nn_model_name(s->m));
            xs = xnn_define_tensor_value(sg, xnn_datatype_fp32, 1, &oc, zero,
                                         XNN_INVALID_VALUE_ID, 0, &bid);
            if (xs != xnn_status_success)
                return XFAIL(xs, what);
        }
        uint32_t pt, pb, pl, pr;
        tf_pads(n->p.conv.padding, in->shape[1], out->shape[1], f->shape[1], n->p.conv.stride_h,
                n->p.conv.dilation_h, &pt, &pb);
        tf_pads(n->p.conv.padding, in->shape[2], out->shape[2], f->shape[2], n->p.conv.stride_w,
                n->p.conv.dilation_w, &pl, &pr);
        if (n->op == NN_OP_CONV_2D)
            xs = xnn_define_convolution_2d(
                sg, pt, pr, pb, pl, (uint32_t)f->shape[1], (uint32_t)f->shape[2],
                (uint32_t)n->p.conv.stride_h, (uint32_t)n->p.conv.stride_w,
                (uint32_t)n->p.conv.dilation_h, (uint32_t)n->p.conv.dilation_w, 1,
                (size_t)in->shape[3], (size_t)out->shape[3], lo, hi, iid,
                (uint32_t)n->inputs[1], bid, oid, 0);
        else
            xs = xnn_define_depthwise_convolution_2d(
                sg, pt, pr, pb, pl, (uint32_t)f->shape[1], (uint32_t)f->shape[2],
                (uint32_t)n->p.conv.stride_h, (uint32_t)n->p.conv.stride_w,
                (uint32_t)n->p.conv.dilation_h, (uint32_t)n->p.conv.dilation_w,
                (uint32_t)n->p.conv.depth_multiplier, (size_t)in->shape[3], lo, hi, iid,
                (uint32_t)n->inputs[1], bid, oid, 0);
        break;
    }
    case NN_OP_ADD:
        xs = xnn_define_add2(sg, lo, hi, iid, (uint32_t)n->inputs[1], oid, 0);
        break;
    case NN_OP_PAD: {
        size_t pre[XNN_MAX_TENSOR_DIMS], post[XNN_MAX_TENSOR_DIMS];
        for (int d = 0; d < in->rank; d++) {
            pre[d] = (size_t)n->p.pad.pads[d][0];
            post[d] = (size_t)n->p.pad.pads[d][1];
        }
        xs = xnn_define_static_constant_pad(sg, pre, post, 0.0f, iid, oid, 0);
        break;
    }
    case NN_OP_MAX_POOL_2D: {
        uint32_t pt, pb, pl, pr;
        tf_pads(n->p.pool.padding, in->shape[1], out->shape[1], n->p.pool.filter_h,
                n->p.pool.stride_h, 1, &pt, &pb);
        tf_pads(n->p.pool.padding, in->shape[2], out->shape[2], n->p.pool.filter_w,
                n->p.pool.stride_w, 1, &pl, &pr);
        xs = xnn_define_max_pooling_2d(sg, pt, pr, pb, pl, (uint32_t)n->p.pool.filter_h,
                                       (uint32_t)n->p.pool.filter_w, (uint32_t)n->p.pool.stride_h,
                                       (uint32_t)n->p.pool.stride_w, 1, 1, lo, hi, iid, oid, 0);
        break;
    }
    case NN_OP_RESIZE_BILINEAR: {
        /* As TFLite's XNNPACK delegate maps it: XNNPACK's default is half-pixel centres; TF1's
         * legacy mode is neither half-pixel nor aligned corners. */
        uint32_t flags = 0;
        if (n->p.resize.align_corners)
            flags = XNN_FLAG_ALIGN_CORNERS;
        else if (!n->p.resize.half_pixel_centers)
            flags = XNN_FLAG_TENSORFLOW_LEGACY_MODE;
        xs = xnn_define_static_resize_bilinear_2d(sg, (size_t)out->shape[1],
                                                  (size_t)out->shape[2], iid, oid, flags);
        break;
    }
    case NN_OP_RESHAPE: {
        size_t dims[XNN_MAX_TENSOR_DIMS];
        for (int d = 0; d < out->rank; d++)
            dims[d] = (size_t)out->shape[d];
        xs = xnn_define_static_reshape(sg, (size_t)out->rank, dims, iid, oid, 0);
        break;
    }
    case NN_OP_LOGISTIC:
        xs = xnn_define_sigmoid(sg, iid, oid, 0);
        break;
    case NN_OP_DEPTH_TO_SPACE:
        xs = xnn_define_depth_to_space(sg, iid, oid, (uint32_t)n->p.d2s.block_size, 0);
        break;
    case NN_OP_CONCATENATION:
    case NN_OP_COUNT_:
        return hc_fail(HC_ERR_INTERNAL, "%s: %s reached the XNNPACK builder", nn_model_name(s->m),
                       what);
    }
    return xs == xnn_status_success ? HC_OK : XFAIL(xs, what);
}

/* Product of dims [from, to). */
static size_t dims_prod(const struct nn_tensor *t, int from, int to)
{
    size_t p = 1;
    for (int d = from; d < to; d++)
        p *= (size_t)t->shape[d];
    return p;
}

static int find_bind(const struct nn_session *s, int tensor)
{
    for (int i = 0; i < s->n_binds; i++)
        if (s->binds[i].id == (uint32_t)tensor)
            return i;
    return -1;
}

static enum hc_status build(struct nn_session *s, const int *sel_outputs)
{
    const struct nn_graph *g = s->g;
    const char *name = nn_model_name(s->m);
    const int nt = g->n_tensors;
    enum hc_status st = HC_OK;
    xnn_subgraph_t sg = NULL;
    /* per tensor: needed, read by an XNNPACK node, sinks (selected outputs + concat pieces),
     * producer node */
    unsigned char *needed = calloc((size_t)nt, 1), *xread = calloc((size_t)nt, 1);
    unsigned char *node_on = calloc((size_t)g->n_nodes + 1, 1);
    int *sinks = calloc((size_t)nt, sizeof *sinks), *producer = malloc((size_t)nt * sizeof(int));
    if (!needed || !xread || !node_on || !sinks || !producer) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto done;
    }
    for (int i = 0; i < nt; i++)
        producer[i] = -1;
    for (int k = 0; k < g->n_nodes; k++)
        producer[g->nodes[k].output] = k;
    for (int j = 0; j < s->n_sel; j++) {
        s->sel[j] = g->outputs[sel_outputs ? sel_outputs[j] : j];
        needed[s->sel[j]] = 1;
        sinks[s->sel[j]]++;
    }
    /* Output pruning: walk back from the selected outputs; nodes feeding none are left out. */
    for (int k = g->n_nodes - 1; k >= 0; k--) {
        const struct nn_node *n = &g->nodes[k];
        if (!needed[n->output])
            continue;
        node_on[k] = 1;
        for (int i = 0; i < n->n_inputs; i++)
            if (n->inputs[i] >= 0) {
                needed[n->inputs[i]] = 1;
                if (n->op == NN_OP_CONCATENATION)
                    sinks[n->inputs[i]]++;
                else
                    xread[n->inputs[i]] = 1;
            }
    }
    for (int k = 0; k < g->n_nodes; k++) {
        const struct nn_node *n = &g->nodes[k];
        if (!node_on[k] || n->op != NN_OP_CONCATENATION)
            continue;
        int selected = 0;
        for (int j = 0; j < s->n_sel; j++)
            selected |= s->sel[j] == n->output;
        if (!selected || xread[n->output]) {
            st = hc_fail(HC_ERR_UNSUPPORTED, "%s: CONCATENATION (operator %d) feeds other "
                         "operators, which this runtime does not support; use the models from "
                         "models/fetch-models.sh", name, n->tflite_index);
            goto done;
        }
    }

    enum xnn_status xs = xnn_create_subgraph((uint32_t)nt, 0, &sg);
    if (xs != xnn_status_success) {
        st = XFAIL(xs, "the subgraph");
        goto done;
    }
    s->binds = calloc((size_t)nt, sizeof *s->binds);
    if (!s->binds) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto done;
    }
    /* Values: every tensor an XNNPACK node reads or writes. */
    for (int t = 0; t < nt && st == HC_OK; t++) {
        const struct nn_tensor *tt = &g->tensors[t];
        const int p = producer[t];
        const int by_xnn = p >= 0 && node_on[p] && g->nodes[p].op != NN_OP_CONCATENATION;
        if (!xread[t] && !by_xnn)
            continue;
        size_t dims[XNN_MAX_TENSOR_DIMS];
        for (int d = 0; d < tt->rank; d++)
            dims[d] = (size_t)tt->shape[d];
        const void *data = NULL;
        uint32_t flags = 0;
        if (tt->data) {
            data = tt->data;
            /* Constants read as activations (an ADD operand) may be read 16 bytes past their
             * end (XNN_EXTRA_BYTES): give them padded session copies. Weights are packed at
             * creation and need none. */
            int as_weight = 0;
            for (int k = 0; k < g->n_nodes; k++)
                if (node_on[k] && (g->nodes[k].op == NN_OP_CONV_2D ||
                                   g->nodes[k].op == NN_OP_DEPTHWISE_CONV_2D) &&
                    (g->nodes[k].inputs[1] == t || g->nodes[k].inputs[2] == t))
                    as_weight = 1;
            if (!as_weight) {
                float *copy = sess_alloc(s, tt->n_elems);
                if (!copy) {
                    st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
                    break;
                }
                memcpy(copy, tt->data, tt->n_elems * sizeof(float));
                data = copy;
            }
        } else if (p < 0) {
            struct bind *b = &s->binds[s->n_binds++];
            b->id = (uint32_t)t;
            b->kind = BIND_INPUT;
            b->n_elems = tt->n_elems;
            for (int i = 0; i < g->n_inputs; i++)
                if (g->inputs[i] == t)
                    b->graph_input = i;
            if (!(b->buf = sess_alloc(s, tt->n_elems))) {
                st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
                break;
            }
            flags = XNN_VALUE_FLAG_EXTERNAL_INPUT;
        } else if (sinks[t] > 0) {
            struct bind *b = &s->binds[s->n_binds++];
            b->id = (uint32_t)t;
            b->n_elems = tt->n_elems;
            b->kind = BIND_SCRATCH;
            flags = XNN_VALUE_FLAG_EXTERNAL_OUTPUT;
            /* Direct into the caller's buffer when it is the tensor's only use: XNNPACK never
             * writes out of bounds, but it may read past the end of what it reads. */
            if (sinks[t] == 1 && !xread[t]) {
                for (int j = 0; j < s->n_sel; j++)
                    if (s->sel[j] == t) {
                        b->kind = BIND_USER;
                        b->user_j = j;
                        b->user_off = 0;
                    }
                for (int j = 0; j < s->n_sel && b->kind == BIND_SCRATCH; j++) {
                    const int c = producer[s->sel[j]];
                    if (c < 0 || g->nodes[c].op != NN_OP_CONCATENATION)
                        continue;
                    const struct nn_node *cn = &g->nodes[c];
                    const struct nn_tensor *ot = &g->tensors[cn->output];
                    if (dims_prod(ot, 0, cn->p.concat.axis) != 1)
                        continue;
                    size_t off = 0;
                    for (int i = 0; i < cn->n_inputs; i++) {
                        if (cn->inputs[i] == t) {
                            b->kind = BIND_USER;
                            b->user_j = j;
                            b->user_off = off;
                            break;
                        }
                        off += g->tensors[cn->inputs[i]].n_elems;
                    }
                }
            }
            if (b->kind == BIND_SCRATCH && !(b->buf = sess_alloc(s, tt->n_elems))) {
                st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
                break;
            }
        }
        uint32_t id = 0;
        xs = xnn_define_tensor_value(sg, xnn_datatype_fp32, (size_t)tt->rank, dims, data,
                                     (uint32_t)t, flags, &id);
        if (xs != xnn_status_success)
            st = XFAIL(xs, "a tensor");
    }
    for (int k = 0; k < g->n_nodes && st == HC_OK; k++)
        if (node_on[k] && g->nodes[k].op != NN_OP_CONCATENATION)
            st = define_node(s, sg, &g->nodes[k]);
    if (st != HC_OK)
        goto done;

    /* Copies after the run. */
    s->post = calloc((size_t)s->n_sel * NN_MAX_NODE_INPUTS, sizeof *s->post);
    if (!s->post) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto done;
    }
    for (int j = 0; j < s->n_sel; j++) {
        const int t = s->sel[j];
        const struct nn_node *cn = &g->nodes[producer[t]];
        if (cn->op != NN_OP_CONCATENATION) {
            const int bi = find_bind(s, t);
            if (bi >= 0 && s->binds[bi].kind == BIND_SCRATCH) {
                struct post_copy *pc = &s->post[s->n_post++];
                pc->src = s->binds[bi].buf;
                pc->dst_j = j;
                pc->outer = 1;
                pc->piece_inner = pc->out_inner = g->tensors[t].n_elems;
            }
            continue;
        }
        const struct nn_tensor *ot = &g->tensors[t];
        const int ax = cn->p.concat.axis;
        const size_t outer = dims_prod(ot, 0, ax), inner = dims_prod(ot, ax + 1, ot->rank);
        size_t off = 0;
        for (int i = 0; i < cn->n_inputs; i++) {
            const int pt = cn->inputs[i];
            const struct nn_tensor *ptt = &g->tensors[pt];
            const size_t piece_inner = (size_t)ptt->shape[ax] * inner;
            const int bi = find_bind(s, pt);
            const int direct = bi >= 0 && s->binds[bi].kind == BIND_USER &&
                               s->binds[bi].user_j == j;
            if (!direct) {
                struct post_copy *pc = &s->post[s->n_post++];
                pc->src_input = -1;
                if (ptt->data) {
                    /* a session copy: a lazy model frees its constants after the build */
                    float *copy = sess_alloc(s, ptt->n_elems);
                    if (!copy) {
                        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
                        goto done;
                    }
                    memcpy(copy, ptt->data, ptt->n_elems * sizeof(float));
                    pc->src = copy;
                } else if (bi >= 0 && s->binds[bi].kind != BIND_INPUT)
                    pc->src = s->binds[bi].buf;
                else
                    for (int q = 0; q < g->n_inputs; q++)
                        if (g->inputs[q] == pt)
                            pc->src_input = q;
                if (!pc->src && pc->src_input < 0) {
                    st = hc_fail(HC_ERR_INTERNAL, "%s: no source for CONCATENATION (operator "
                                 "%d) input %d", name, cn->tflite_index, i);
                    goto done;
                }
                pc->dst_j = j;
                pc->outer = outer;
                pc->piece_inner = piece_inner;
                pc->out_inner = (size_t)ot->shape[ax] * inner;
                pc->dst_off = off;
            }
            off += piece_inner;
        }
    }

    s->ext = calloc((size_t)s->n_binds + 1, sizeof *s->ext);
    s->last_user = calloc((size_t)s->n_sel, sizeof *s->last_user);
    s->n_in = g->n_inputs;
    s->in_elems = calloc((size_t)g->n_inputs + 1, sizeof *s->in_elems);
    s->sel_elems = calloc((size_t)s->n_sel, sizeof *s->sel_elems);
    if (!s->ext || !s->last_user || !s->in_elems || !s->sel_elems) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto done;
    }
    for (int i = 0; i < g->n_inputs; i++)
        s->in_elems[i] = g->tensors[g->inputs[i]].n_elems;
    for (int j = 0; j < s->n_sel; j++)
        s->sel_elems[j] = g->tensors[s->sel[j]].n_elems;
    for (int i = 0; i < s->n_binds; i++) {
        s->ext[i].id = s->binds[i].id;
        s->ext[i].data = s->binds[i].buf;
    }
    if (s->n_binds > 0) {
        /* With a pool, the workers otherwise spin after the last operator waiting for more work,
         * taking CPU from any other busy thread; YIELD_WORKERS asks them to sleep at once (the
         * flag of xnn_create_runtime_v2 in /usr/include/xnnpack.h; docs/PERFORMANCE.md). */
        const uint32_t rt_flags = s->pool ? XNN_FLAG_YIELD_WORKERS : 0;
        xs = xnn_create_runtime_v2(sg, s->pool, rt_flags, &s->rt);
        if (xs != xnn_status_success)
            st = XFAIL(xs, "the runtime");
    }
done:
    if (sg)
        xnn_delete_subgraph(sg);
    free(needed);
    free(xread);
    free(node_on);
    free(sinks);
    free(producer);
    return st;
}

/* Most threads a session may use: more than the machine's cores only oversubscribes
 * (../shared/PERF-NOTES.md). */
#define NN_MAX_THREADS 64

enum hc_status nn_session_create(const struct nn_model *m, int n_threads, const int *output_ids,
                                 int n_output_ids, struct nn_session **out)
{
    if (out)
        *out = NULL;
    if (!m || !out || n_threads < 1 || n_threads > NN_MAX_THREADS || n_output_ids < 0 ||
        (n_output_ids > 0 && !output_ids))
        return hc_fail(HC_ERR_INVALID_ARG, "nn_session_create: invalid argument (threads %d, "
                       "%d outputs)", n_threads, n_output_ids);
    const int n_out = nn_model_n_outputs(m);
    for (int j = 0; j < n_output_ids; j++) {
        if (output_ids[j] < 0 || output_ids[j] >= n_out)
            return hc_fail(HC_ERR_INVALID_ARG, "%s: output %d requested, the model has %d",
                           nn_model_name(m), output_ids[j], n_out);
        for (int i = 0; i < j; i++)
            if (output_ids[i] == output_ids[j])
                return hc_fail(HC_ERR_INVALID_ARG, "%s: output %d requested twice",
                               nn_model_name(m), output_ids[j]);
    }
    pthread_once(&xnn_once, xnn_init_once);
    if (xnn_init_status != xnn_status_success)
        return hc_fail(HC_ERR_UNSUPPORTED, "XNNPACK cannot start on this CPU (status %d); "
                       "hingecheck needs an x86-64 CPU with SSE2 or an ARM CPU with NEON",
                       (int)xnn_init_status);
    struct nn_session *s = calloc(1, sizeof *s);
    if (!s)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", nn_model_name(m));
    s->m = m;
    s->n_sel = n_output_ids > 0 ? n_output_ids : n_out;
    s->sel = calloc((size_t)s->n_sel, sizeof *s->sel);
    if (!s->sel) {
        nn_session_free(s);
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", nn_model_name(m));
    }
    if (n_threads > 1 && !(s->pool = pthreadpool_create((size_t)n_threads))) {
        nn_session_free(s);
        return hc_fail(HC_ERR_NOMEM, "%s: cannot start %d threads", nn_model_name(m), n_threads);
    }
    enum hc_status st = nn_model_acquire_graph(m, &s->g);
    if (st == HC_OK) {
        st = build(s, n_output_ids > 0 ? output_ids : NULL);
        nn_model_release_graph(m);
        s->g = NULL;
    }
    if (st != HC_OK) {
        nn_session_free(s);
        return st;
    }
    *out = s;
    return HC_OK;
}

enum hc_status nn_session_run_sized(struct nn_session *s, const float *const *inputs,
                                    const size_t *input_elems, float *const *outputs,
                                    const size_t *output_elems)
{
    if (!s || !inputs || !outputs)
        return hc_fail(HC_ERR_INVALID_ARG, "nn_session_run: NULL argument");
    const char *name = nn_model_name(s->m);
    for (int i = 0; i < s->n_in; i++) {
        const size_t want = s->in_elems[i];
        if (!inputs[i])
            return hc_fail(HC_ERR_INVALID_ARG, "%s: input %d is NULL", name, i);
        if (input_elems && input_elems[i] != want)
            return hc_fail(HC_ERR_INVALID_ARG, "%s: input %d has %zu values, the model takes %zu",
                           name, i, input_elems[i], want);
    }
    int changed = !s->set_up;
    for (int j = 0; j < s->n_sel; j++) {
        const size_t want = s->sel_elems[j];
        if (!outputs[j])
            return hc_fail(HC_ERR_INVALID_ARG, "%s: output buffer %d is NULL", name, j);
        if (output_elems && output_elems[j] != want)
            return hc_fail(HC_ERR_INVALID_ARG, "%s: output buffer %d has room for %zu values, "
                           "the output has %zu", name, j, output_elems[j], want);
        changed |= outputs[j] != s->last_user[j];
    }
    for (int i = 0; i < s->n_binds; i++) {
        const struct bind *b = &s->binds[i];
        if (b->kind == BIND_INPUT)
            memcpy(b->buf, inputs[b->graph_input], b->n_elems * sizeof(float));
        else if (b->kind == BIND_USER)
            s->ext[i].data = outputs[b->user_j] + b->user_off;
    }
    if (s->rt) {
        /* Setup rebuilds every operator's indirection data: only when the caller's output
         * buffers moved (callers normally reuse theirs). */
        if (changed) {
            const enum xnn_status xs = xnn_setup_runtime(s->rt, (size_t)s->n_binds, s->ext);
            if (xs != xnn_status_success)
                return hc_fail(HC_ERR_INTERNAL, "%s: XNNPACK setup failed (status %d)", name,
                               (int)xs);
            for (int j = 0; j < s->n_sel; j++)
                s->last_user[j] = outputs[j];
            s->set_up = 1;
        }
        const enum xnn_status xs = xnn_invoke_runtime(s->rt);
        if (xs != xnn_status_success)
            return hc_fail(HC_ERR_INTERNAL, "%s: XNNPACK run failed (status %d)", name, (int)xs);
    }
    for (int i = 0; i < s->n_post; i++) {
        const struct post_copy *pc = &s->post[i];
        const float *src = pc->src ? pc->src : inputs[pc->src_input];
        float *dst = outputs[pc->dst_j] + pc->dst_off;
        for (size_t o = 0; o < pc->outer; o++)
            memcpy(dst + o * pc->out_inner, src + o * pc->piece_inner,
                   pc->piece_inner * sizeof(float));
    }
    return HC_OK;
}

enum hc_status nn_session_run(struct nn_session *s, const float *const *inputs,
                              float *const *outputs)
{
    return nn_session_run_sized(s, inputs, NULL, outputs, NULL);
}

int nn_session_n_outputs(const struct nn_session *s)
{
    return s ? s->n_sel : 0;
}
