/* nn_graph.c - graph ownership, the consistency check every graph passes before it runs, and the
 * model object (load from file or buffer, descriptors of inputs and outputs).
 *
 * The check is what makes the XNNPACK runtime safe on untrusted files: XNNPACK allocates each
 * value from its declared shape and writes what the operator computes, so a declared output shape
 * that disagrees with the computed one would be a heap overflow. Every op's output shape is
 * therefore recomputed here from its inputs and parameters and must match exactly. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, pread, O_CLOEXEC, st_mtim */
#include "nn/nn_graph.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest tensor we accept: 2^26 elements (256 MiB of float32). The biggest tensor of the four
 * BlazePose models is the 256x256x16 activation of the heavy model (about 2^20): this leaves
 * ample room and keeps a hostile file from making us allocate gigabytes. */
#define NN_MAX_TENSOR_ELEMS ((size_t)1 << 26)

struct nn_block {
    struct nn_block *next;
    size_t mapped; /* bytes of the block's own mapping, 0 when from calloc; keeps the payload
                    * 16-byte aligned */
};

/* Blocks from this size up get a mapping of their own, so freeing them gives the memory back to
 * the system at once: a lazy model (below) frees and remakes its 55 MB of weights, which from
 * malloc's heap stayed in the process's RSS (measured: +119 MB instead of +64 MB for a second
 * heavy session). 64 KiB: well above a page, below every weight tensor that matters. */
#define NN_BLOCK_MMAP_MIN ((size_t)64 << 10)

void *nn_graph_alloc(struct nn_graph *g, size_t bytes)
{
    size_t total;
    if (!g || hc_add_size(bytes, sizeof(struct nn_block) + NN_EXTRA_BYTES, &total))
        return NULL;
    struct nn_block *b;
    if (total >= NN_BLOCK_MMAP_MIN) {
        void *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
        b = p; /* zeroed by the kernel */
        b->mapped = total;
    } else if (!(b = calloc(1, total))) {
        return NULL;
    }
    b->next = g->storage;
    g->storage = b;
    return b + 1;
}

void nn_graph_free(struct nn_graph *g)
{
    if (!g)
        return;
    if (g->tensors)
        for (int i = 0; i < g->n_tensors; i++)
            free(g->tensors[i].name);
    free(g->tensors);
    free(g->nodes);
    free(g->inputs);
    free(g->outputs);
    struct nn_block *b = g->storage;
    while (b) {
        struct nn_block *next = b->next;
        if (b->mapped)
            munmap(b, b->mapped);
        else
            free(b);
        b = next;
    }
    free(g);
}

/* ---- check ----------------------------------------------------------------------------- */

static const char *const op_names[NN_OP_COUNT_] = {
    "CONV_2D",  "DEPTHWISE_CONV_2D", "ADD",     "PAD",            "MAX_POOL_2D",
    "RESIZE_BILINEAR", "RESHAPE",    "LOGISTIC", "DEPTH_TO_SPACE", "CONCATENATION",
};

const char *nn_op_name(enum nn_op op)
{
    return (unsigned)op < NN_OP_COUNT_ ? op_names[op] : "(unknown op)";
}

#define BAD(...) hc_fail(HC_ERR_MODEL, __VA_ARGS__)

/* TFLite's output size for SAME / VALID padding (tensorflow/lite/kernels/padding.h). */
static int conv_out_size(enum nn_padding pad, int in, int k, int stride, int dil)
{
    const long eff = (long)(k - 1) * dil + 1;
    if (pad == NN_PADDING_SAME)
        return (int)((in + (long)stride - 1) / stride);
    if (eff > in)
        return -1;
    return (int)((in - eff) / stride + 1);
}

static int same_shape(const struct nn_tensor *a, const struct nn_tensor *b)
{
    if (a->rank != b->rank)
        return 0;
    for (int d = 0; d < a->rank; d++)
        if (a->shape[d] != b->shape[d])
            return 0;
    return 1;
}

static enum hc_status check_node(const struct nn_graph *g, int k, const char *name)
{
    const struct nn_node *n = &g->nodes[k];
    const char *opn = nn_op_name(n->op);
    const int idx = n->tflite_index;
    const struct nn_tensor *out = &g->tensors[n->output];
    const struct nn_tensor *in = n->n_inputs > 0 && n->inputs[0] >= 0 ? &g->tensors[n->inputs[0]]
                                                                      : NULL;
    if (!in)
        return BAD("%s: %s (operator %d) has no data input; the model file is corrupt", name, opn,
                   idx);
    if (in->data && n->op != NN_OP_ADD && n->op != NN_OP_CONCATENATION)
        return BAD("%s: %s (operator %d) on a constant input is not supported; re-export the "
                   "model with constant folding", name, opn, idx);
    if ((unsigned)n->act > NN_ACT_RELU_N1_TO_1)
        return BAD("%s: %s (operator %d) has an unknown fused activation", name, opn, idx);
    if (n->act != NN_ACT_NONE && n->op != NN_OP_CONV_2D && n->op != NN_OP_DEPTHWISE_CONV_2D &&
        n->op != NN_OP_ADD && n->op != NN_OP_MAX_POOL_2D)
        return BAD("%s: fused activation on %s (operator %d) is not supported", name, opn, idx);

    switch (n->op) {
    case NN_OP_CONV_2D:
    case NN_OP_DEPTHWISE_CONV_2D: {
        const int dw = n->op == NN_OP_DEPTHWISE_CONV_2D;
        if (n->n_inputs != 3 || n->inputs[1] < 0)
            return BAD("%s: %s (operator %d) needs input, filter and bias", name, opn, idx);
        const struct nn_tensor *f = &g->tensors[n->inputs[1]];
        const struct nn_tensor *b = n->inputs[2] >= 0 ? &g->tensors[n->inputs[2]] : NULL;
        if (in->rank != 4 || f->rank != 4 || out->rank != 4)
            return BAD("%s: %s (operator %d) needs 4-D input, filter and output", name, opn, idx);
        if (!f->data || (b && !b->data))
            return BAD("%s: %s (operator %d) with non-constant weights is not supported", name,
                       opn, idx);
        const int oc = out->shape[3];
        if (dw) {
            if (f->shape[0] != 1 || f->shape[3] != oc || oc % in->shape[3] != 0 ||
                n->p.conv.depth_multiplier != oc / in->shape[3])
                return BAD("%s: %s (operator %d): filter %dx%dx%dx%d does not fit %d input and %d "
                           "output channels", name, opn, idx, f->shape[0], f->shape[1],
                           f->shape[2], f->shape[3], in->shape[3], oc);
        } else if (f->shape[0] != oc || f->shape[3] != in->shape[3]) {
            return BAD("%s: %s (operator %d): filter %dx%dx%dx%d does not fit %d input and %d "
                       "output channels", name, opn, idx, f->shape[0], f->shape[1], f->shape[2],
                       f->shape[3], in->shape[3], oc);
        }
        if (b && (b->rank != 1 || b->shape[0] != oc))
            return BAD("%s: %s (operator %d): bias size is not the output channel count", name,
                       opn, idx);
        const int sh = n->p.conv.stride_h, sw = n->p.conv.stride_w;
        const int dh = n->p.conv.dilation_h, dwl = n->p.conv.dilation_w;
        if (sh < 1 || sw < 1 || dh < 1 || dwl < 1 || sh > 64 || sw > 64 || dh > 64 || dwl > 64 ||
            (unsigned)n->p.conv.padding > NN_PADDING_VALID)
            return BAD("%s: %s (operator %d) has an invalid stride, dilation or padding", name,
                       opn, idx);
        const int oh = conv_out_size(n->p.conv.padding, in->shape[1], f->shape[1], sh, dh);
        const int ow = conv_out_size(n->p.conv.padding, in->shape[2], f->shape[2], sw, dwl);
        if (out->shape[0] != in->shape[0] || out->shape[1] != oh || out->shape[2] != ow)
            return BAD("%s: %s (operator %d): output shape does not follow from the input", name,
                       opn, idx);
        return HC_OK;
    }
    case NN_OP_ADD: {
        if (n->n_inputs != 2 || n->inputs[1] < 0)
            return BAD("%s: ADD (operator %d) needs two inputs", name, idx);
        const struct nn_tensor *b = &g->tensors[n->inputs[1]];
        if (in->data && b->data)
            return BAD("%s: ADD (operator %d) of two constants is not supported", name, idx);
        const int r = in->rank > b->rank ? in->rank : b->rank;
        if (out->rank != r)
            return BAD("%s: ADD (operator %d): output rank does not follow from the inputs", name,
                       idx);
        for (int d = 0; d < r; d++) {
            const int da = d - (r - in->rank) >= 0 ? in->shape[d - (r - in->rank)] : 1;
            const int db = d - (r - b->rank) >= 0 ? b->shape[d - (r - b->rank)] : 1;
            if (da != db && da != 1 && db != 1)
                return BAD("%s: ADD (operator %d): input shapes do not broadcast", name, idx);
            if (out->shape[d] != (da > db ? da : db))
                return BAD("%s: ADD (operator %d): output shape does not follow from the inputs",
                           name, idx);
        }
        return HC_OK;
    }
    case NN_OP_PAD:
        if (in->rank != out->rank)
            return BAD("%s: PAD (operator %d): output rank differs from input", name, idx);
        for (int d = 0; d < in->rank; d++) {
            const int pre = n->p.pad.pads[d][0], post = n->p.pad.pads[d][1];
            if (pre < 0 || post < 0 || pre > (1 << 20) || post > (1 << 20) ||
                (long)in->shape[d] + pre + post != out->shape[d])
                return BAD("%s: PAD (operator %d): paddings do not match the output shape", name,
                           idx);
        }
        return HC_OK;
    case NN_OP_MAX_POOL_2D: {
        const int sh = n->p.pool.stride_h, sw = n->p.pool.stride_w;
        const int fh = n->p.pool.filter_h, fw = n->p.pool.filter_w;
        if (in->rank != 4 || out->rank != 4 || sh < 1 || sw < 1 || fh < 1 || fw < 1 ||
            sh > 64 || sw > 64 || fh > 64 || fw > 64 || fh * fw < 2 ||
            (unsigned)n->p.pool.padding > NN_PADDING_VALID)
            return BAD("%s: MAX_POOL_2D (operator %d) has invalid shapes or parameters", name,
                       idx);
        const int oh = conv_out_size(n->p.pool.padding, in->shape[1], fh, sh, 1);
        const int ow = conv_out_size(n->p.pool.padding, in->shape[2], fw, sw, 1);
        if (out->shape[0] != in->shape[0] || out->shape[1] != oh || out->shape[2] != ow ||
            out->shape[3] != in->shape[3])
            return BAD("%s: MAX_POOL_2D (operator %d): output shape does not follow from the "
                       "input", name, idx);
        return HC_OK;
    }
    case NN_OP_RESIZE_BILINEAR:
        if (in->rank != 4 || out->rank != 4 || out->shape[0] != in->shape[0] ||
            out->shape[3] != in->shape[3])
            return BAD("%s: RESIZE_BILINEAR (operator %d) has inconsistent shapes", name, idx);
        if (n->p.resize.align_corners && n->p.resize.half_pixel_centers)
            return BAD("%s: RESIZE_BILINEAR (operator %d) with both align_corners and "
                       "half_pixel_centers is not supported", name, idx);
        return HC_OK;
    case NN_OP_RESHAPE:
        if (in->n_elems != out->n_elems)
            return BAD("%s: RESHAPE (operator %d) changes the element count", name, idx);
        return HC_OK;
    case NN_OP_LOGISTIC:
        if (!same_shape(in, out))
            return BAD("%s: LOGISTIC (operator %d): output shape differs from input", name, idx);
        return HC_OK;
    case NN_OP_DEPTH_TO_SPACE: {
        const int bs = n->p.d2s.block_size;
        if (in->rank != 4 || out->rank != 4 || bs < 2 || bs > 64 ||
            in->shape[3] % (bs * bs) != 0 || out->shape[0] != in->shape[0] ||
            out->shape[1] != in->shape[1] * bs || out->shape[2] != in->shape[2] * bs ||
            out->shape[3] != in->shape[3] / (bs * bs))
            return BAD("%s: DEPTH_TO_SPACE (operator %d) has inconsistent shapes or block size",
                       name, idx);
        return HC_OK;
    }
    case NN_OP_CONCATENATION: {
        const int ax = n->p.concat.axis;
        if (n->n_inputs < 1 || ax < 0 || ax >= out->rank)
            return BAD("%s: CONCATENATION (operator %d) has an invalid axis", name, idx);
        long sum = 0;
        for (int i = 0; i < n->n_inputs; i++) {
            if (n->inputs[i] < 0)
                return BAD("%s: CONCATENATION (operator %d) lacks an input", name, idx);
            const struct nn_tensor *t = &g->tensors[n->inputs[i]];
            if (t->rank != out->rank)
                return BAD("%s: CONCATENATION (operator %d): input ranks differ", name, idx);
            for (int d = 0; d < out->rank; d++)
                if (d != ax && t->shape[d] != out->shape[d])
                    return BAD("%s: CONCATENATION (operator %d): input shapes differ off the "
                               "axis", name, idx);
            sum += t->shape[ax];
        }
        if (sum != out->shape[ax])
            return BAD("%s: CONCATENATION (operator %d): output size along the axis is not the "
                       "sum of the inputs", name, idx);
        return HC_OK;
    }
    case NN_OP_COUNT_:
        break;
    }
    return BAD("%s: unknown op %d at operator %d", name, (int)n->op, idx);
}

enum hc_status nn_graph_check(const struct nn_graph *g, const char *name)
{
    if (!g || !name)
        return hc_fail(HC_ERR_INVALID_ARG, "nn_graph_check: NULL argument");
    if (g->n_tensors <= 0 || !g->tensors || g->n_inputs <= 0 || g->n_outputs <= 0 ||
        g->n_nodes < 0 || (g->n_nodes > 0 && !g->nodes) || !g->inputs || !g->outputs)
        return BAD("%s: the model has no tensors, inputs, outputs or operators; the file is "
                   "corrupt", name);
    for (int i = 0; i < g->n_tensors; i++) {
        const struct nn_tensor *t = &g->tensors[i];
        size_t n = 1;
        if (t->rank < 0 || t->rank > NN_MAX_RANK)
            return BAD("%s: tensor %d has rank %d (at most %d supported)", name, i, t->rank,
                       NN_MAX_RANK);
        for (int d = 0; d < t->rank; d++)
            if (t->shape[d] < 1 || hc_mul_size(n, (size_t)t->shape[d], &n))
                return BAD("%s: tensor %d has an invalid shape", name, i);
        if (n != t->n_elems || n > NN_MAX_TENSOR_ELEMS)
            return BAD("%s: tensor %d has %zu elements (shape gives %zu, at most %zu)", name, i,
                       t->n_elems, n, NN_MAX_TENSOR_ELEMS);
    }
    /* 0: not yet available, 1: available (input, constant or already produced) */
    unsigned char *ready = calloc((size_t)g->n_tensors, 1);
    if (!ready)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory checking the graph", name);
    enum hc_status st = HC_OK;
    for (int i = 0; i < g->n_tensors; i++)
        ready[i] = g->tensors[i].data != NULL;
    for (int i = 0; i < g->n_inputs && st == HC_OK; i++) {
        const int t = g->inputs[i];
        if (t < 0 || t >= g->n_tensors || g->tensors[t].data || ready[t])
            st = BAD("%s: model input %d is not a distinct non-constant tensor", name, i);
        else
            ready[t] = 1;
    }
    for (int k = 0; k < g->n_nodes && st == HC_OK; k++) {
        const struct nn_node *n = &g->nodes[k];
        if (n->n_inputs < 0 || n->n_inputs > NN_MAX_NODE_INPUTS) {
            st = BAD("%s: operator %d has %d inputs", name, n->tflite_index, n->n_inputs);
            break;
        }
        for (int j = 0; j < n->n_inputs && st == HC_OK; j++) {
            const int t = n->inputs[j];
            if (t < -1 || t >= g->n_tensors || (t == -1 && !(j == 2 && n->n_inputs == 3 &&
                                                             (n->op == NN_OP_CONV_2D ||
                                                              n->op == NN_OP_DEPTHWISE_CONV_2D))))
                st = BAD("%s: operator %d reads tensor %d, which does not exist", name,
                         n->tflite_index, t);
            else if (t >= 0 && !ready[t])
                st = BAD("%s: operator %d reads tensor %d before any operator writes it; the "
                         "file is corrupt", name, n->tflite_index, t);
        }
        if (st != HC_OK)
            break;
        if (n->output < 0 || n->output >= g->n_tensors || ready[n->output])
            st = BAD("%s: operator %d writes tensor %d, which is missing, constant, an input or "
                     "written twice", name, n->tflite_index, n->output);
        else
            st = check_node(g, k, name);
        if (st == HC_OK)
            ready[n->output] = 1;
    }
    for (int i = 0; i < g->n_outputs && st == HC_OK; i++) {
        const int t = g->outputs[i];
        if (t < 0 || t >= g->n_tensors || !ready[t] || g->tensors[t].data)
            st = BAD("%s: model output %d is not computed by any operator", name, i);
        for (int j = 0; j < i && st == HC_OK; j++)
            if (g->outputs[j] == t)
                st = BAD("%s: model outputs %d and %d are the same tensor", name, j, i);
        for (int j = 0; j < g->n_inputs && st == HC_OK; j++)
            if (g->inputs[j] == t)
                st = BAD("%s: model output %d is also an input", name, i);
    }
    free(ready);
    return st;
}

/* ---- model ----------------------------------------------------------------------------- */

/* Weights on demand. XNNPACK packs a session's weights into memory of its own when the session
 * is created, so the model's fp32 copy of them is only read then. For a model loaded from a file
 * with lazy weights, the graph (weights included) is dropped once no session is being built and
 * parsed again from the file, kept open, for the next session: the heavy landmark model's fp32
 * weights are 55 MB (its file stores fp16), against the project's 200 MB peak-RSS target. The
 * model stays immutable to its users: the file is the same bytes (its identity and size are
 * checked), the parse is deterministic, and the graph is rebuilt under the model's lock. */
struct nn_model {
    struct nn_graph *g;       /* NULL while the weights are dropped (lazy models only) */
    char *name;
    struct nn_tensor_desc *in;
    struct nn_tensor_desc *out;
    char **io_names;          /* the descriptors' names: own copies, g may come and go */
    int n_inputs, n_outputs, n_tensors;
    pthread_mutex_t mu;
    int lazy;                 /* g is dropped when n_building drops to 0 (unless pinned) */
    int pinned;               /* nn_model_graph handed g out: kept for the model's lifetime */
    int n_building;
    int fd;                   /* lazy: the file, open (a replaced file keeps its old inode) */
    struct stat st;           /* ... and its identity at load */
};

static void fill_desc(struct nn_tensor_desc *d, const struct nn_tensor *t, char **name_copy)
{
    const char *n = t->name ? t->name : "";
    const size_t len = strlen(n);
    *name_copy = malloc(len + 1);
    if (*name_copy)
        memcpy(*name_copy, n, len + 1);
    d->name = *name_copy ? *name_copy : "";
    d->rank = t->rank;
    memcpy(d->shape, t->shape, sizeof d->shape);
    d->n_elems = t->n_elems;
}

void nn_model_free(struct nn_model *m)
{
    if (!m)
        return;
    nn_graph_free(m->g);
    if (m->io_names)
        for (int i = 0; i < m->n_inputs + m->n_outputs; i++)
            free(m->io_names[i]);
    free(m->io_names);
    if (m->fd >= 0)
        close(m->fd);
    pthread_mutex_destroy(&m->mu);
    free(m->name);
    free(m->in);
    free(m->out);
    free(m);
}

enum hc_status nn_model_from_graph(struct nn_graph *g, const char *name, struct nn_model **out)
{
    if (out)
        *out = NULL;
    if (!g || !name || !out) {
        nn_graph_free(g);
        return hc_fail(HC_ERR_INVALID_ARG, "nn_model_from_graph: NULL argument");
    }
    enum hc_status st = nn_graph_check(g, name);
    if (st != HC_OK) {
        nn_graph_free(g);
        return st;
    }
    struct nn_model *m = calloc(1, sizeof *m);
    if (!m) {
        nn_graph_free(g);
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
    }
    m->fd = -1;
    if (pthread_mutex_init(&m->mu, NULL) != 0) {
        free(m);
        nn_graph_free(g);
        return hc_fail(HC_ERR_INTERNAL, "%s: cannot create a mutex", name);
    }
    m->g = g;
    m->n_inputs = g->n_inputs;
    m->n_outputs = g->n_outputs;
    m->n_tensors = g->n_tensors;
    const size_t nl = strlen(name);
    m->name = malloc(nl + 1);
    m->in = calloc((size_t)g->n_inputs, sizeof *m->in);
    m->out = calloc((size_t)g->n_outputs, sizeof *m->out);
    m->io_names = calloc((size_t)(g->n_inputs + g->n_outputs), sizeof *m->io_names);
    if (!m->name || !m->in || !m->out || !m->io_names) {
        nn_model_free(m);
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
    }
    memcpy(m->name, name, nl + 1);
    for (int i = 0; i < g->n_inputs; i++)
        fill_desc(&m->in[i], &g->tensors[g->inputs[i]], &m->io_names[i]);
    for (int i = 0; i < g->n_outputs; i++)
        fill_desc(&m->out[i], &g->tensors[g->outputs[i]], &m->io_names[g->n_inputs + i]);
    for (int i = 0; i < g->n_inputs + g->n_outputs; i++)
        if (!m->io_names[i]) {
            nn_model_free(m);
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        }
    *out = m;
    return HC_OK;
}

enum hc_status nn_model_load_buffer(const void *buf, size_t len, const char *name,
                                    struct nn_model **out)
{
    if (out)
        *out = NULL;
    if (!buf || !name || !out)
        return hc_fail(HC_ERR_INVALID_ARG, "nn_model_load_buffer: NULL argument");
    struct nn_graph *g = NULL;
    const enum hc_status st = nn_graph_parse(buf, len, name, &g);
    if (st != HC_OK)
        return st;
    return nn_model_from_graph(g, name, out);
}

/* Model files larger than this are refused before reading: the heavy model is 27.7 MB. */
#define NN_MAX_FILE_BYTES ((long)1 << 30)

/* NN_LAZY_AUTO makes a model lazy when its fp32 constants exceed this: the heavy landmark
 * model's 55 MB (measured: RSS 55 MB after loading it), not the full model's (below 16 MB), whose
 * sessions are created more often (each tracker) and whose parse is not worth saving. */
#define NN_LAZY_MIN_BYTES ((size_t)32 << 20)

/* Reads the whole file at fd into an anonymous mapping (unmapped with munmap(buf, len), so the
 * pages go back to the system at once, not to malloc's heap). */
static enum hc_status read_fd(int fd, const char *path, size_t len, uint8_t **out)
{
    *out = NULL;
    void *p = mmap(NULL, len > 0 ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory reading the model", path);
    size_t got = 0;
    while (got < len) {
        const ssize_t r = pread(fd, (uint8_t *)p + got, len - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            const int e = errno;
            munmap(p, len > 0 ? len : 1);
            return hc_fail(HC_ERR_IO, "%s: cannot read model (%s); check the file", path,
                           r < 0 ? strerror(e) : "short read");
        }
        got += (size_t)r;
    }
    *out = p;
    return HC_OK;
}

static size_t const_bytes(const struct nn_graph *g)
{
    size_t n = 0;
    for (int i = 0; i < g->n_tensors; i++)
        if (g->tensors[i].data)
            n += g->tensors[i].n_elems * sizeof(float);
    return n;
}

enum hc_status nn_model_load_lazy(const char *path, enum nn_lazy lazy, struct nn_model **out)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return hc_fail(HC_ERR_INVALID_ARG, "nn_model_load: NULL argument");
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hc_fail(errno == ENOENT ? HC_ERR_MODEL : HC_ERR_IO,
                       "%s: cannot open model (%s); run models/fetch-models.sh or pass "
                       "--model-dir", path, strerror(errno));
    uint8_t *buf = NULL;
    enum hc_status st = HC_OK;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = hc_fail(HC_ERR_IO, "%s: cannot read model (%s); check the file", path,
                     strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = hc_fail(HC_ERR_IO, "%s: cannot read model (not a regular file); check the path",
                     path);
        goto done;
    }
    if (sb.st_size > NN_MAX_FILE_BYTES) {
        st = hc_fail(HC_ERR_MODEL, "%s: %lld bytes is too large for a model file; check the path",
                     path, (long long)sb.st_size);
        goto done;
    }
    const size_t len = (size_t)sb.st_size;
    if ((st = read_fd(fd, path, len, &buf)) != HC_OK)
        goto done;
    st = nn_model_load_buffer(buf, len, path, out);
    munmap(buf, len > 0 ? len : 1);
    if (st == HC_OK) {
        struct nn_model *m = *out;
        m->lazy = lazy == NN_LAZY_ALWAYS ||
                  (lazy == NN_LAZY_AUTO && const_bytes(m->g) > NN_LAZY_MIN_BYTES);
        if (m->lazy) {
            m->fd = fd;
            m->st = sb;
            return HC_OK;
        }
    }
done:
    close(fd);
    return st;
}

enum hc_status nn_model_load(const char *path, struct nn_model **out)
{
    return nn_model_load_lazy(path, NN_LAZY_AUTO, out);
}

/* Under m->mu: the graph again from the file (lazy models). */
static enum hc_status reload_graph(struct nn_model *m)
{
    struct stat sb;
    if (fstat(m->fd, &sb) != 0 || sb.st_size != m->st.st_size ||
        sb.st_mtim.tv_sec != m->st.st_mtim.tv_sec || sb.st_mtim.tv_nsec != m->st.st_mtim.tv_nsec)
        return hc_fail(HC_ERR_MODEL, "%s: the model file changed while in use; run again once "
                       "it is complete", m->name);
    uint8_t *buf = NULL;
    const size_t len = (size_t)sb.st_size;
    enum hc_status st = read_fd(m->fd, m->name, len, &buf);
    if (st != HC_OK)
        return st;
    struct nn_graph *g = NULL;
    st = nn_graph_parse(buf, len, m->name, &g);
    munmap(buf, len > 0 ? len : 1);
    if (st == HC_OK && (g->n_tensors != m->n_tensors || g->n_inputs != m->n_inputs ||
                        g->n_outputs != m->n_outputs))
        st = hc_fail(HC_ERR_MODEL, "%s: the model file changed while in use; run again once it "
                     "is complete", m->name);
    if (st == HC_OK)
        st = nn_graph_check(g, m->name);
    if (st != HC_OK) {
        nn_graph_free(g);
        return st;
    }
    m->g = g;
    return HC_OK;
}

enum hc_status nn_model_acquire_graph(const struct nn_model *cm, const struct nn_graph **out)
{
    /* The lock and the graph are the model's private cache: its users see no change. */
    struct nn_model *m = (struct nn_model *)cm;
    *out = NULL;
    pthread_mutex_lock(&m->mu);
    enum hc_status st = m->g ? HC_OK : reload_graph(m);
    if (st == HC_OK) {
        m->n_building++;
        *out = m->g;
    }
    pthread_mutex_unlock(&m->mu);
    return st;
}

void nn_model_release_graph(const struct nn_model *cm)
{
    struct nn_model *m = (struct nn_model *)cm;
    pthread_mutex_lock(&m->mu);
    if (m->n_building > 0 && --m->n_building == 0 && m->lazy && !m->pinned) {
        nn_graph_free(m->g);
        m->g = NULL;
    }
    pthread_mutex_unlock(&m->mu);
}

int nn_model_weights_resident(const struct nn_model *cm)
{
    struct nn_model *m = (struct nn_model *)cm;
    if (!m)
        return 0;
    pthread_mutex_lock(&m->mu);
    const int r = m->g != NULL;
    pthread_mutex_unlock(&m->mu);
    return r;
}

int nn_model_n_inputs(const struct nn_model *m)
{
    return m ? m->n_inputs : 0;
}

int nn_model_n_outputs(const struct nn_model *m)
{
    return m ? m->n_outputs : 0;
}

const struct nn_tensor_desc *nn_model_input(const struct nn_model *m, int i)
{
    return m && i >= 0 && i < m->n_inputs ? &m->in[i] : NULL;
}

const struct nn_tensor_desc *nn_model_output(const struct nn_model *m, int i)
{
    return m && i >= 0 && i < m->n_outputs ? &m->out[i] : NULL;
}

const struct nn_graph *nn_model_graph(const struct nn_model *m)
{
    if (!m)
        return NULL;
    /* Handed out for good (tests, the reference interpreter, the benchmark): pinned. */
    struct nn_model *mm = (struct nn_model *)m;
    pthread_mutex_lock(&mm->mu);
    if (!mm->g && reload_graph(mm) != HC_OK)
        mm->g = NULL;
    mm->pinned = 1;
    const struct nn_graph *g = mm->g;
    pthread_mutex_unlock(&mm->mu);
    return g;
}

const char *nn_model_name(const struct nn_model *m)
{
    return m ? m->name : "";
}
