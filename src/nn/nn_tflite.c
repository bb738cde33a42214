/* nn_tflite.c - read a .tflite file (a FlatBuffer of TFLite's schema.fbs) into an nn_graph.
 *
 * The file is untrusted: every table, vtable, field, vector and string is checked against the
 * buffer size before it is read (no FlatBuffers library, which would trust the verifier). Field
 * ids follow tensorflow/lite/schema/schema.fbs (schema version 3c):
 *   Model{version, operator_codes, subgraphs, description, buffers, ...}
 *   SubGraph{tensors, inputs, outputs, operators, name}
 *   Tensor{shape, type, buffer, name, quantization, is_variable, sparsity, shape_signature}
 *   Operator{opcode_index, inputs, outputs, builtin_options_type, builtin_options, ...}
 *   OperatorCode{deprecated_builtin_code:byte, custom_code, version, builtin_code:int}
 *   Buffer{data, offset, size}
 * Weight folding happens here, once: DENSIFY of sparse constants and DEQUANTIZE of fp16
 * constants produce plain fp32 constants, so the graph holds compute ops only. */
#include "nn/nn_graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- bounds-checked FlatBuffer access ------------------------------------------------------ */

struct fb {
    const uint8_t *b;
    size_t n;
    int bad;        /* sticky: set by the first out-of-bounds access */
    char why[96];
};

struct tbl {
    size_t pos;     /* absolute offset of the table */
    size_t vt;      /* absolute offset of its vtable */
    unsigned vtsize, tblsize;
};

struct vec {
    size_t pos;     /* absolute offset of the first element */
    uint32_t len;
};

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static int fb_fail(struct fb *f, const char *why, size_t at)
{
    if (!f->bad) {
        f->bad = 1;
        snprintf(f->why, sizeof f->why, "%s at byte %zu", why, at);
    }
    return 0;
}

/* Is [pos, pos+len) inside the buffer? */
static int fb_in(const struct fb *f, size_t pos, size_t len)
{
    return pos <= f->n && len <= f->n - pos;
}

static int fb_table_at(struct fb *f, size_t pos, struct tbl *t)
{
    memset(t, 0, sizeof *t);
    if (f->bad)
        return 0;
    if (!fb_in(f, pos, 4) || (pos & 3))
        return fb_fail(f, "table offset outside the file", pos);
    const int64_t vt = (int64_t)pos - (int32_t)rd32(f->b + pos);
    if (vt < 0 || !fb_in(f, (size_t)vt, 4) || (vt & 1))
        return fb_fail(f, "vtable outside the file", pos);
    t->pos = pos;
    t->vt = (size_t)vt;
    t->vtsize = rd16(f->b + t->vt);
    t->tblsize = rd16(f->b + t->vt + 2);
    if (t->vtsize < 4 || (t->vtsize & 1) || !fb_in(f, t->vt, t->vtsize) || t->tblsize < 4 ||
        !fb_in(f, pos, t->tblsize))
        return fb_fail(f, "malformed vtable", pos);
    return 1;
}

/* Absolute offset of field `id` of size `size`, or 0 when absent (or on error). */
static size_t fb_field(struct fb *f, const struct tbl *t, int id, size_t size)
{
    if (f->bad || !t->tblsize)
        return 0;
    const size_t slot = 4 + 2 * (size_t)id;
    if (slot + 2 > t->vtsize)
        return 0;
    const unsigned off = rd16(f->b + t->vt + slot);
    if (off == 0)
        return 0;
    if (off < 4 || off + size > t->tblsize)
        return fb_fail(f, "field outside its table", t->pos);
    return t->pos + off;
}

static int32_t fb_i32(struct fb *f, const struct tbl *t, int id, int32_t def)
{
    const size_t p = fb_field(f, t, id, 4);
    return p ? (int32_t)rd32(f->b + p) : def;
}

static uint32_t fb_u32(struct fb *f, const struct tbl *t, int id, uint32_t def)
{
    const size_t p = fb_field(f, t, id, 4);
    return p ? rd32(f->b + p) : def;
}

static uint64_t fb_u64(struct fb *f, const struct tbl *t, int id, uint64_t def)
{
    const size_t p = fb_field(f, t, id, 8);
    return p ? rd64(f->b + p) : def;
}

static int fb_i8(struct fb *f, const struct tbl *t, int id, int def)
{
    const size_t p = fb_field(f, t, id, 1);
    return p ? (int)(int8_t)f->b[p] : def;
}

static int fb_u8(struct fb *f, const struct tbl *t, int id, int def)
{
    const size_t p = fb_field(f, t, id, 1);
    return p ? (int)f->b[p] : def;
}

/* Follow the uoffset stored at absolute `p`; the target must leave room for 4 bytes. */
static size_t fb_deref(struct fb *f, size_t p)
{
    if (f->bad)
        return 0;
    if (!fb_in(f, p, 4))
        return fb_fail(f, "offset outside the file", p);
    const uint64_t target = (uint64_t)p + rd32(f->b + p);
    if (target > f->n || !fb_in(f, (size_t)target, 4))
        return fb_fail(f, "offset points outside the file", p);
    return (size_t)target;
}

/* Sub-table in field `id`; 0 when absent. */
static int fb_sub(struct fb *f, const struct tbl *t, int id, struct tbl *out)
{
    memset(out, 0, sizeof *out);
    const size_t p = fb_field(f, t, id, 4);
    if (!p)
        return 0;
    const size_t target = fb_deref(f, p);
    return target ? fb_table_at(f, target, out) : 0;
}

/* Vector in field `id` with `elem` bytes per element; an absent vector has len 0. The length is
 * checked against the bytes left in the file, so 2^31 or 2^32-1 cannot overflow anything. */
static int fb_vec(struct fb *f, const struct tbl *t, int id, size_t elem, struct vec *v)
{
    v->pos = 0;
    v->len = 0;
    const size_t p = fb_field(f, t, id, 4);
    if (!p)
        return 0;
    const size_t target = fb_deref(f, p);
    if (!target)
        return 0;
    const uint32_t len = rd32(f->b + target);
    if ((uint64_t)len > (f->n - target - 4) / elem)
        return fb_fail(f, "vector longer than the file", target);
    v->pos = target + 4;
    v->len = len;
    return 1;
}

/* Element i of a vector of tables. */
static int fb_vec_table(struct fb *f, const struct vec *v, uint32_t i, struct tbl *out)
{
    memset(out, 0, sizeof *out);
    if (i >= v->len)
        return fb_fail(f, "vector index out of range", v->pos);
    const size_t target = fb_deref(f, v->pos + 4 * (size_t)i);
    return target ? fb_table_at(f, target, out) : 0;
}

static int32_t fb_vec_i32(const struct fb *f, const struct vec *v, uint32_t i)
{
    return (int32_t)rd32(f->b + v->pos + 4 * (size_t)i);
}

/* ---- schema constants (tensorflow/lite/schema/schema.fbs) ------------------------------------ */

enum { TT_FLOAT32 = 0, TT_FLOAT16 = 1, TT_INT32 = 2 };

enum {
    OP_ADD = 0, OP_CONCATENATION = 2, OP_CONV_2D = 3, OP_DEPTHWISE_CONV_2D = 4,
    OP_DEPTH_TO_SPACE = 5, OP_DEQUANTIZE = 6, OP_LOGISTIC = 14, OP_MAX_POOL_2D = 17,
    OP_RESHAPE = 22, OP_RESIZE_BILINEAR = 23, OP_CUSTOM = 32, OP_PAD = 34, OP_DENSIFY = 124,
};

/* BuiltinOptions union: 1-based position of each table in the union. */
enum {
    BO_CONV_2D = 1, BO_DEPTHWISE_CONV_2D = 2, BO_POOL_2D = 5, BO_CONCATENATION = 10, BO_ADD = 11,
    BO_RESIZE_BILINEAR = 15, BO_RESHAPE = 17, BO_PAD = 22, BO_DEQUANTIZE = 38,
    BO_DEPTH_TO_SPACE = 94, BO_DENSIFY = 99,
};

static const char *const builtin_names[] = {
    "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE",
    "DEQUANTIZE", "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION", "L2_POOL_2D", "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC",
    "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1", "RELU6", "RESHAPE",
    "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH", "CONCAT_EMBEDDINGS",
    "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND",
    "TRANSPOSE", "MEAN", "SUB", "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN", "EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX",
    "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM", "ARG_MAX", "MINIMUM",
    "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE", "SIN",
    "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG",
    "SUM", "SQRT", "RSQRT", "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD",
    "REDUCE_MAX", "PACK", "LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK",
    "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD",
    "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS",
    "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK",
    "ELU", "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND",
    "HARD_SWISH", "IF", "WHILE", "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5",
    "SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM", "BATCH_MATMUL",
};

static const char *const type_names[] = {"FLOAT32", "FLOAT16", "INT32",  "UINT8",  "INT64",
                                         "STRING",  "BOOL",    "INT16",  "COMPLEX64", "INT8"};

static const char *type_name(int t)
{
    return t >= 0 && t < (int)HC_ARRAY_LEN(type_names) ? type_names[t] : "(other type)";
}

/* Largest element count of any tensor (see nn_graph.c, NN_MAX_TENSOR_ELEMS). */
#define MAX_ELEMS ((size_t)1 << 26)

/* ---- parse state ----------------------------------------------------------------------------- */

struct ptensor {
    int type;
    int rank;
    int32_t shape[NN_MAX_RANK];
    size_t n_elems;
    size_t name_pos;          /* string bytes in the file, or 0 */
    uint32_t name_len;
    const uint8_t *raw;       /* constant bytes (file, or a densified copy), or NULL */
    size_t raw_len;
    int sparse;               /* raw holds sparse values described by `sparsity` */
    struct tbl sparsity;
    float *f32;               /* fp32 constant in graph storage, made on first use */
    int produced;             /* written by an operator or a graph input */
    int new_id;               /* index in the output graph, or -1 */
};

struct parser {
    struct fb f;
    const char *name;
    struct nn_graph *g;       /* being built: nodes and storage */
    struct ptensor *t;
    uint32_t n_t;
    void **temps;             /* densified buffers, freed at the end */
    int n_temps;
    int cap_nodes;
};

#define PBAD(P, ...) hc_fail(HC_ERR_MODEL, __VA_ARGS__)

static enum hc_status corrupt(struct parser *p, const char *what)
{
    return hc_fail(HC_ERR_MODEL, "%s: corrupt model (%s%s%s); fetch it again with "
                   "models/fetch-models.sh", p->name, what, p->f.bad ? ": " : "",
                   p->f.bad ? p->f.why : "");
}

/* IEEE 754 half to single, including subnormals, infinities and NaN. */
static float half_to_float(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h >> 15) << 31;
    const int e = (h >> 10) & 0x1f;
    const uint32_t m = h & 0x3ff;
    uint32_t bits;
    if (e == 0) {
        if (m == 0) {
            bits = sign;
        } else {
            const float v = ldexpf((float)m, -24);
            memcpy(&bits, &v, 4);
            bits |= sign;
        }
    } else if (e == 31) {
        bits = sign | 0x7f800000u | (m << 13);
    } else {
        bits = sign | ((uint32_t)(e - 15 + 127) << 23) | (m << 13);
    }
    float out;
    memcpy(&out, &bits, 4);
    return out;
}

/* An INT32 constant read back from its float copy, clamped so the cast is always defined. */
static int f2i(float v)
{
    return v > 1e9f ? 1000000000 : v < -1e9f ? -1000000000 : (int)v;
}

/* The fp32 data of a constant tensor (FLOAT32 copied, INT32 converted), or NULL with a message. */
static float *const_f32(struct parser *p, uint32_t ti, int op_index, const char *op)
{
    struct ptensor *t = &p->t[ti];
    if (t->f32)
        return t->f32;
    if (!t->raw || t->sparse) {
        PBAD(p, "%s: %s (operator %d) needs tensor %u to be a dense constant; unsupported model",
             p->name, op, op_index, ti);
        return NULL;
    }
    size_t esz = t->type == TT_FLOAT32 || t->type == TT_INT32 ? 4 : 0;
    if (!esz) {
        PBAD(p, "%s: %s (operator %d) reads a %s constant directly (no DEQUANTIZE); unsupported "
             "model", p->name, op, op_index, type_name(t->type));
        return NULL;
    }
    if (t->raw_len != t->n_elems * esz) {
        PBAD(p, "%s: constant tensor %u holds %zu bytes, its shape needs %zu; corrupt model",
             p->name, ti, t->raw_len, t->n_elems * esz);
        return NULL;
    }
    float *d = nn_graph_alloc(p->g, t->n_elems * sizeof(float));
    if (!d) {
        hc_fail(HC_ERR_NOMEM, "%s: out of memory for weights", p->name);
        return NULL;
    }
    if (t->type == TT_FLOAT32)
        memcpy(d, t->raw, t->n_elems * 4);
    else
        for (size_t i = 0; i < t->n_elems; i++)
            d[i] = (float)(int32_t)rd32(t->raw + 4 * i);
    t->f32 = d;
    return d;
}

/* ---- DENSIFY: TFLite's sparse format (TACO-like), see schema.fbs SparsityParameters -------- */

struct sp_level {
    int dim;                  /* expanded dimension traversed at this level */
    int sparse;
    int size;                 /* dense size (DENSE levels) */
    struct vec seg, idx;      /* SPARSE_CSR segments and indices */
    int seg_w, idx_w;         /* element widths: 4, 2, 1 */
};

struct densify {
    struct parser *p;
    int n, k;                 /* original rank, block rank */
    int block_map[NN_MAX_RANK];
    int exp_size[2 * NN_MAX_RANK];
    int coord[2 * NN_MAX_RANK];
    struct sp_level lv[2 * NN_MAX_RANK];
    const int32_t *dims;
    size_t esz, n_values;
    const uint8_t *values;
    uint8_t *dense;
    size_t budget;            /* visits left: bounds the work a hostile index set can cause */
    int bad;
};

static uint32_t sp_get(const struct fb *f, const struct vec *v, int w, size_t i)
{
    const uint8_t *q = f->b + v->pos + (size_t)w * i;
    return w == 4 ? rd32(q) : w == 2 ? rd16(q) : q[0];
}

static void densify_rec(struct densify *d, int level, size_t pos)
{
    if (d->bad)
        return;
    if (d->budget-- == 0) {
        d->bad = 1;
        return;
    }
    if (level == d->n + d->k) {
        if (pos >= d->n_values) {
            d->bad = 1;
            return;
        }
        size_t lin = 0;
        for (int i = 0; i < d->n; i++) {
            long c = d->coord[i];
            for (int j = 0; j < d->k; j++)
                if (d->block_map[j] == i)
                    c = c * d->exp_size[d->n + j] + d->coord[d->n + j];
            if (c < 0 || c >= d->dims[i]) {
                d->bad = 1;
                return;
            }
            lin = lin * (size_t)d->dims[i] + (size_t)c;
        }
        memcpy(d->dense + lin * d->esz, d->values + pos * d->esz, d->esz);
        return;
    }
    const struct sp_level *L = &d->lv[level];
    if (!L->sparse) {
        for (int i = 0; i < L->size && !d->bad; i++) {
            d->coord[L->dim] = i;
            densify_rec(d, level + 1, pos * (size_t)L->size + (size_t)i);
        }
        return;
    }
    if (pos + 1 >= (size_t)L->seg.len) {
        d->bad = 1;
        return;
    }
    const uint32_t a = sp_get(&d->p->f, &L->seg, L->seg_w, pos);
    const uint32_t b = sp_get(&d->p->f, &L->seg, L->seg_w, pos + 1);
    if (a > b || b > L->idx.len) {
        d->bad = 1;
        return;
    }
    for (uint32_t q = a; q < b && !d->bad; q++) {
        const uint32_t c = sp_get(&d->p->f, &L->idx, L->idx_w, q);
        if (c >= (uint32_t)d->exp_size[L->dim]) {
            d->bad = 1;
            return;
        }
        d->coord[L->dim] = (int)c;
        densify_rec(d, level + 1, q);
    }
}

static int sp_index_vec(struct fb *f, const struct tbl *dm, int type_id, struct vec *v, int *w)
{
    const int type = fb_u8(f, dm, type_id, 0);
    struct tbl iv;
    static const int widths[] = {0, 4, 2, 1}; /* SparseIndexVector: Int32, Uint16, Uint8 */
    if (type < 1 || type > 3 || !fb_sub(f, dm, type_id + 1, &iv))
        return 0;
    *w = widths[type];
    return fb_vec(f, &iv, 0, (size_t)*w, v) || v->len == 0;
}

/* Expand the sparse constant `in` into a dense buffer of its shape (same element type). */
static enum hc_status densify_tensor(struct parser *p, uint32_t ti, int op_index,
                                     const uint8_t **out_raw, size_t *out_len)
{
    struct ptensor *t = &p->t[ti];
    struct fb *f = &p->f;
    struct densify d;
    memset(&d, 0, sizeof d);
    d.p = p;
    d.esz = t->type == TT_FLOAT32 ? 4 : t->type == TT_FLOAT16 ? 2 : 0;
    if (!t->sparse || !d.esz || t->rank < 1)
        return PBAD(p, "%s: DENSIFY (operator %d) of tensor %u, which is not a sparse FLOAT32 or "
                    "FLOAT16 constant; unsupported model", p->name, op_index, ti);
    struct vec order, bmap, dims;
    fb_vec(f, &t->sparsity, 0, 4, &order);
    fb_vec(f, &t->sparsity, 1, 4, &bmap);
    fb_vec(f, &t->sparsity, 2, 4, &dims);
    d.n = t->rank;
    d.k = (int)bmap.len;
    if (f->bad || d.k > d.n || order.len != (uint32_t)(d.n + d.k) || dims.len != order.len)
        return corrupt(p, "sparsity parameters do not match the tensor rank");
    d.dims = t->shape;
    for (int j = 0; j < d.k; j++) {
        d.block_map[j] = fb_vec_i32(f, &bmap, (uint32_t)j);
        if (d.block_map[j] < 0 || d.block_map[j] >= d.n)
            return corrupt(p, "sparsity block map out of range");
    }
    int seen[2 * NN_MAX_RANK] = {0};
    for (int l = 0; l < d.n + d.k; l++) {
        struct sp_level *L = &d.lv[l];
        L->dim = fb_vec_i32(f, &order, (uint32_t)l);
        if (L->dim < 0 || L->dim >= d.n + d.k || seen[L->dim]++)
            return corrupt(p, "sparsity traversal order is not a permutation");
        struct tbl dm;
        if (!fb_vec_table(f, &dims, (uint32_t)l, &dm))
            return corrupt(p, "sparsity dimension metadata");
        L->sparse = fb_i8(f, &dm, 0, 0);
        L->size = fb_i32(f, &dm, 1, 0);
        if (L->sparse == 1) {
            if (!sp_index_vec(f, &dm, 2, &L->seg, &L->seg_w) ||
                !sp_index_vec(f, &dm, 4, &L->idx, &L->idx_w))
                return corrupt(p, "sparse dimension without segments or indices");
        } else if (L->sparse != 0 || L->size < 1 || L->size > (1 << 24)) {
            return corrupt(p, "sparsity dimension type or size");
        }
        if (f->bad)
            return corrupt(p, "sparsity dimension metadata");
    }
    /* Sizes of the expanded dimensions: block dims from their DENSE level, the blocked original
     * dims divided by their block size. */
    for (int i = 0; i < d.n + d.k; i++)
        d.exp_size[i] = i < d.n ? t->shape[i] : 0;
    for (int l = 0; l < d.n + d.k; l++)
        if (d.lv[l].dim >= d.n) {
            if (d.lv[l].sparse)
                return PBAD(p, "%s: DENSIFY (operator %d): sparse block dimensions are not "
                            "supported", p->name, op_index);
            d.exp_size[d.lv[l].dim] = d.lv[l].size;
        }
    for (int j = 0; j < d.k; j++) {
        const int bs = d.exp_size[d.n + j], od = d.block_map[j];
        if (bs < 1 || d.exp_size[od] % bs != 0)
            return corrupt(p, "sparsity block size does not divide the dimension");
        d.exp_size[od] /= bs;
    }
    for (int l = 0; l < d.n + d.k; l++)
        if (!d.lv[l].sparse && d.lv[l].size != d.exp_size[d.lv[l].dim])
            return corrupt(p, "dense sparsity dimension does not match the shape");
    d.values = t->raw;
    d.n_values = t->raw_len / d.esz;
    d.dense = calloc(t->n_elems, d.esz);
    if (!d.dense)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory densifying weights", p->name);
    void **nt = realloc(p->temps, (size_t)(p->n_temps + 1) * sizeof *nt);
    if (!nt) {
        free(d.dense);
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory densifying weights", p->name);
    }
    p->temps = nt;
    p->temps[p->n_temps++] = d.dense;
    /* A well-formed tensor visits each stored value once per level: allow that, with slack. */
    d.budget = 4 * (t->n_elems + d.n_values) * (size_t)(d.n + d.k) + 1024;
    densify_rec(&d, 0, 0);
    if (d.bad)
        return corrupt(p, "sparse tensor indices out of range");
    *out_raw = d.dense;
    *out_len = t->n_elems * d.esz;
    return HC_OK;
}

/* ---- operators --------------------------------------------------------------------------- */

static enum hc_status act_of(struct parser *p, int code, int op_index, const char *op,
                             enum nn_activation *out)
{
    switch (code) {
    case 0: *out = NN_ACT_NONE; return HC_OK;
    case 1: *out = NN_ACT_RELU; return HC_OK;
    case 2: *out = NN_ACT_RELU_N1_TO_1; return HC_OK;
    case 3: *out = NN_ACT_RELU6; return HC_OK;
    default:
        return PBAD(p, "%s: %s (operator %d) uses fused activation %d (TANH/SIGN_BIT), which is "
                    "not supported", p->name, op, op_index, code);
    }
}

static enum hc_status padding_of(struct parser *p, int code, int op_index, const char *op,
                                 enum nn_padding *out)
{
    if (code != 0 && code != 1)
        return PBAD(p, "%s: %s (operator %d) has unknown padding %d; corrupt model", p->name, op,
                    op_index, code);
    *out = code == 0 ? NN_PADDING_SAME : NN_PADDING_VALID;
    return HC_OK;
}

static struct nn_node *new_node(struct parser *p)
{
    struct nn_graph *g = p->g;
    if (g->n_nodes == p->cap_nodes) {
        const int cap = p->cap_nodes ? 2 * p->cap_nodes : 64;
        struct nn_node *nn = realloc(g->nodes, (size_t)cap * sizeof *nn);
        if (!nn)
            return NULL;
        g->nodes = nn;
        p->cap_nodes = cap;
    }
    struct nn_node *n = &g->nodes[g->n_nodes++];
    memset(n, 0, sizeof *n);
    return n;
}

/* A tensor an operator reads as data: must exist, be float32, and be produced or constant. */
static enum hc_status want_tensor(struct parser *p, int32_t ti, int op_index, const char *op)
{
    if (ti < 0 || (uint32_t)ti >= p->n_t)
        return PBAD(p, "%s: %s (operator %d) refers to tensor %d of %u; corrupt model", p->name,
                    op, op_index, ti, p->n_t);
    return HC_OK;
}

static enum hc_status parse_operator(struct parser *p, const struct tbl *op, int idx,
                                     const int32_t *codes, uint32_t n_codes)
{
    struct fb *f = &p->f;
    const uint32_t oc = fb_u32(f, op, 0, 0);
    struct vec vin, vout;
    fb_vec(f, op, 1, 4, &vin);
    fb_vec(f, op, 2, 4, &vout);
    const int bo_type = fb_u8(f, op, 3, 0);
    struct tbl bo;
    fb_sub(f, op, 4, &bo);
    if (f->bad)
        return corrupt(p, "operator table");
    if (oc >= n_codes)
        return corrupt(p, "operator code index out of range");
    const int code = codes[oc];
    char opbuf[48];
    const char *opn = opbuf;
    if (code >= 0 && code < (int)HC_ARRAY_LEN(builtin_names))
        opn = builtin_names[code];
    else
        snprintf(opbuf, sizeof opbuf, "builtin op %d", code);

    int32_t in[NN_MAX_NODE_INPUTS];
    if (vin.len > NN_MAX_NODE_INPUTS || vout.len != 1)
        return PBAD(p, "%s: %s (operator %d) has %u inputs and %u outputs; not supported",
                    p->name, opn, idx, vin.len, vout.len);
    for (uint32_t i = 0; i < vin.len; i++)
        in[i] = fb_vec_i32(f, &vin, i);
    const int32_t out = fb_vec_i32(f, &vout, 0);
    enum hc_status st = want_tensor(p, out, idx, opn);
    if (st != HC_OK)
        return st;
    for (uint32_t i = 0; i < vin.len; i++)
        if (in[i] != -1 && (st = want_tensor(p, in[i], idx, opn)) != HC_OK)
            return st;
    if (vin.len < 1 || in[0] < 0)
        return PBAD(p, "%s: %s (operator %d) has no data input; corrupt model", p->name, opn, idx);
    struct ptensor *to = &p->t[out];
    if (to->raw || to->produced)
        return PBAD(p, "%s: %s (operator %d) writes tensor %d, which is constant or already "
                    "written; corrupt model", p->name, opn, idx, out);

    int expect_bo = -1;
    switch (code) {
    case OP_CONV_2D: expect_bo = BO_CONV_2D; break;
    case OP_DEPTHWISE_CONV_2D: expect_bo = BO_DEPTHWISE_CONV_2D; break;
    case OP_MAX_POOL_2D: expect_bo = BO_POOL_2D; break;
    case OP_CONCATENATION: expect_bo = BO_CONCATENATION; break;
    case OP_ADD: expect_bo = BO_ADD; break;
    case OP_RESIZE_BILINEAR: expect_bo = BO_RESIZE_BILINEAR; break;
    case OP_RESHAPE: expect_bo = BO_RESHAPE; break;
    case OP_PAD: expect_bo = BO_PAD; break;
    case OP_DEQUANTIZE: expect_bo = BO_DEQUANTIZE; break;
    case OP_DEPTH_TO_SPACE: expect_bo = BO_DEPTH_TO_SPACE; break;
    case OP_DENSIFY: expect_bo = BO_DENSIFY; break;
    case OP_LOGISTIC: expect_bo = 0; break;
    default:
        if (code == OP_CUSTOM)
            return PBAD(p, "%s: custom op (operator %d) is not supported; use a model with "
                        "builtin ops only", p->name, idx);
        return PBAD(p, "%s: op %s (operator %d) is not supported by hingecheck's runtime; use the "
                    "models from models/fetch-models.sh", p->name, opn, idx);
    }
    if (bo_type != 0 && bo_type != expect_bo)
        return corrupt(p, "operator options of the wrong type");
    const int nin = (int)vin.len;

    /* Folded ops: their output becomes a constant. */
    if (code == OP_DENSIFY || code == OP_DEQUANTIZE) {
        if (nin != 1 || in[0] < 0)
            return PBAD(p, "%s: %s (operator %d) needs one input", p->name, opn, idx);
        struct ptensor *ti = &p->t[in[0]];
        if (ti->n_elems != to->n_elems || ti->rank != to->rank ||
            memcmp(ti->shape, to->shape, sizeof ti->shape) != 0)
            return corrupt(p, "folded operator changes the shape");
        if (code == OP_DENSIFY) {
            if (to->type != ti->type)
                return corrupt(p, "DENSIFY changes the element type");
            st = densify_tensor(p, (uint32_t)in[0], idx, &to->raw, &to->raw_len);
            return st;
        }
        if (!ti->raw || ti->sparse || ti->type != TT_FLOAT16 || to->type != TT_FLOAT32)
            return PBAD(p, "%s: DEQUANTIZE (operator %d) of a non-constant or non-FLOAT16 tensor "
                        "(%s) is not supported; use a float model", p->name, idx,
                        type_name(ti->type));
        if (ti->raw_len != ti->n_elems * 2)
            return corrupt(p, "FLOAT16 constant size does not match its shape");
        float *d = nn_graph_alloc(p->g, ti->n_elems * sizeof(float));
        if (!d)
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory for weights", p->name);
        for (size_t i = 0; i < ti->n_elems; i++)
            d[i] = half_to_float(rd16(ti->raw + 2 * i));
        to->f32 = d;
        to->raw = (const uint8_t *)d;
        to->raw_len = ti->n_elems * 4;
        return HC_OK;
    }

    struct nn_node *n = new_node(p);
    if (!n)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", p->name);
    n->tflite_index = idx;
    n->output = out;
    int n_data = 1; /* inputs kept in the node; the rest must be constants parsed here */
    switch (code) {
    case OP_CONV_2D:
    case OP_DEPTHWISE_CONV_2D: {
        const int dw = code == OP_DEPTHWISE_CONV_2D;
        n->op = dw ? NN_OP_DEPTHWISE_CONV_2D : NN_OP_CONV_2D;
        if (nin != 2 && nin != 3)
            return PBAD(p, "%s: %s (operator %d) needs 2 or 3 inputs", p->name, opn, idx);
        if ((st = padding_of(p, fb_i8(f, &bo, 0, 0), idx, opn, &n->p.conv.padding)) != HC_OK)
            return st;
        n->p.conv.stride_w = fb_i32(f, &bo, 1, 0);
        n->p.conv.stride_h = fb_i32(f, &bo, 2, 0);
        if (dw) {
            st = act_of(p, fb_i8(f, &bo, 4, 0), idx, opn, &n->act);
            n->p.conv.dilation_w = fb_i32(f, &bo, 5, 1);
            n->p.conv.dilation_h = fb_i32(f, &bo, 6, 1);
            /* The option is redundant (and 0 in newer converters): take it from the shapes. */
            const struct ptensor *ti = &p->t[in[0]];
            n->p.conv.depth_multiplier =
                ti->rank == 4 && ti->shape[3] > 0 && to->rank == 4 ? to->shape[3] / ti->shape[3]
                                                                   : 0;
        } else {
            st = act_of(p, fb_i8(f, &bo, 3, 0), idx, opn, &n->act);
            n->p.conv.dilation_w = fb_i32(f, &bo, 4, 1);
            n->p.conv.dilation_h = fb_i32(f, &bo, 5, 1);
            n->p.conv.depth_multiplier = 1;
        }
        if (st != HC_OK)
            return st;
        n->n_inputs = 3;
        n->inputs[0] = in[0];
        n->inputs[1] = in[1];
        n->inputs[2] = nin == 3 ? in[2] : -1;
        if (in[1] < 0 || !const_f32(p, (uint32_t)in[1], idx, opn))
            return in[1] < 0 ? PBAD(p, "%s: %s (operator %d) has no filter", p->name, opn, idx)
                             : HC_ERR_MODEL;
        if (n->inputs[2] >= 0 && !const_f32(p, (uint32_t)n->inputs[2], idx, opn))
            return HC_ERR_MODEL;
        n_data = 3;
        break;
    }
    case OP_ADD:
        n->op = NN_OP_ADD;
        if (nin != 2 || in[0] < 0 || in[1] < 0)
            return PBAD(p, "%s: ADD (operator %d) needs 2 inputs", p->name, idx);
        if ((st = act_of(p, fb_i8(f, &bo, 0, 0), idx, opn, &n->act)) != HC_OK)
            return st;
        n->n_inputs = 2;
        n->inputs[0] = in[0];
        n->inputs[1] = in[1];
        for (int i = 0; i < 2; i++)
            if (p->t[in[i]].raw && !const_f32(p, (uint32_t)in[i], idx, opn))
                return HC_ERR_MODEL;
        n_data = 2;
        break;
    case OP_PAD: {
        n->op = NN_OP_PAD;
        if (nin != 2 || in[0] < 0 || in[1] < 0)
            return PBAD(p, "%s: PAD (operator %d) needs 2 inputs", p->name, idx);
        const struct ptensor *pt = &p->t[in[1]];
        const struct ptensor *ti = &p->t[in[0]];
        if (pt->type != TT_INT32 || pt->rank != 2 || pt->shape[1] != 2 ||
            pt->shape[0] != ti->rank)
            return PBAD(p, "%s: PAD (operator %d) needs constant INT32 paddings of shape [%d,2]",
                        p->name, idx, ti->rank);
        const float *pd = const_f32(p, (uint32_t)in[1], idx, opn);
        if (!pd)
            return HC_ERR_MODEL;
        for (int d = 0; d < ti->rank; d++) {
            n->p.pad.pads[d][0] = f2i(pd[2 * d]);
            n->p.pad.pads[d][1] = f2i(pd[2 * d + 1]);
        }
        n->n_inputs = 1;
        n->inputs[0] = in[0];
        break;
    }
    case OP_MAX_POOL_2D:
        n->op = NN_OP_MAX_POOL_2D;
        if (nin != 1)
            return PBAD(p, "%s: MAX_POOL_2D (operator %d) needs 1 input", p->name, idx);
        if ((st = padding_of(p, fb_i8(f, &bo, 0, 0), idx, opn, &n->p.pool.padding)) != HC_OK ||
            (st = act_of(p, fb_i8(f, &bo, 5, 0), idx, opn, &n->act)) != HC_OK)
            return st;
        n->p.pool.stride_w = fb_i32(f, &bo, 1, 0);
        n->p.pool.stride_h = fb_i32(f, &bo, 2, 0);
        n->p.pool.filter_w = fb_i32(f, &bo, 3, 0);
        n->p.pool.filter_h = fb_i32(f, &bo, 4, 0);
        n->n_inputs = 1;
        n->inputs[0] = in[0];
        break;
    case OP_RESIZE_BILINEAR: {
        n->op = NN_OP_RESIZE_BILINEAR;
        if (nin != 2 || in[1] < 0)
            return PBAD(p, "%s: RESIZE_BILINEAR (operator %d) needs 2 inputs", p->name, idx);
        n->p.resize.align_corners = fb_u8(f, &bo, 2, 0) != 0;
        n->p.resize.half_pixel_centers = fb_u8(f, &bo, 3, 0) != 0;
        const struct ptensor *sz = &p->t[in[1]];
        const float *s = sz->type == TT_INT32 && sz->n_elems == 2
                             ? const_f32(p, (uint32_t)in[1], idx, opn)
                             : NULL;
        if (!s || to->rank != 4 || f2i(s[0]) != to->shape[1] || f2i(s[1]) != to->shape[2])
            return PBAD(p, "%s: RESIZE_BILINEAR (operator %d) needs a constant INT32 size equal "
                        "to its output size", p->name, idx);
        n->n_inputs = 1;
        n->inputs[0] = in[0];
        break;
    }
    case OP_RESHAPE:
        n->op = NN_OP_RESHAPE;
        if (nin < 1 || nin > 2)
            return PBAD(p, "%s: RESHAPE (operator %d) needs 1 or 2 inputs", p->name, idx);
        if (nin == 2 && in[1] >= 0 && !p->t[in[1]].raw)
            return PBAD(p, "%s: RESHAPE (operator %d) to a computed shape is not supported",
                        p->name, idx);
        n->n_inputs = 1;
        n->inputs[0] = in[0];
        break;
    case OP_LOGISTIC:
        n->op = NN_OP_LOGISTIC;
        if (nin != 1)
            return PBAD(p, "%s: LOGISTIC (operator %d) needs 1 input", p->name, idx);
        n->n_inputs = 1;
        n->inputs[0] = in[0];
        break;
    case OP_DEPTH_TO_SPACE:
        n->op = NN_OP_DEPTH_TO_SPACE;
        if (nin != 1)
            return PBAD(p, "%s: DEPTH_TO_SPACE (operator %d) needs 1 input", p->name, idx);
        n->p.d2s.block_size = fb_i32(f, &bo, 0, 0);
        n->n_inputs = 1;
        n->inputs[0] = in[0];
        break;
    case OP_CONCATENATION: {
        n->op = NN_OP_CONCATENATION;
        if (nin < 1)
            return PBAD(p, "%s: CONCATENATION (operator %d) needs inputs", p->name, idx);
        int axis = fb_i32(f, &bo, 0, 0);
        if ((st = act_of(p, fb_i8(f, &bo, 1, 0), idx, opn, &n->act)) != HC_OK)
            return st;
        if (n->act != NN_ACT_NONE)
            return PBAD(p, "%s: CONCATENATION (operator %d) with a fused activation is not "
                        "supported", p->name, idx);
        if (axis < 0)
            axis += to->rank;
        if (axis < 0 || axis >= to->rank)
            return PBAD(p, "%s: CONCATENATION (operator %d) has axis %d outside rank %d", p->name,
                        idx, fb_i32(f, &bo, 0, 0), to->rank);
        n->p.concat.axis = axis;
        n->n_inputs = nin;
        for (int i = 0; i < nin; i++) {
            n->inputs[i] = in[i];
            if (in[i] < 0)
                return PBAD(p, "%s: CONCATENATION (operator %d) lacks an input", p->name, idx);
            if (p->t[in[i]].raw && !const_f32(p, (uint32_t)in[i], idx, opn))
                return HC_ERR_MODEL;
        }
        n_data = nin;
        break;
    }
    }
    if (f->bad)
        return corrupt(p, "operator options");
    /* Data inputs must be float32 and already available; weights were converted above. */
    for (int i = 0; i < n_data; i++) {
        const int32_t ti = n->inputs[i];
        if (ti < 0)
            continue;
        const struct ptensor *t = &p->t[ti];
        if (!t->f32 && !t->produced)
            return PBAD(p, "%s: %s (operator %d) reads tensor %d before it is written; corrupt "
                        "or unsupported model", p->name, opn, idx, ti);
        if (!t->f32 && t->type != TT_FLOAT32)
            return PBAD(p, "%s: %s (operator %d) reads a %s tensor; only float models are "
                        "supported", p->name, opn, idx, type_name(t->type));
    }
    if (to->type != TT_FLOAT32)
        return PBAD(p, "%s: %s (operator %d) writes a %s tensor; only float models are supported",
                    p->name, opn, idx, type_name(to->type));
    to->produced = 1;
    return HC_OK;
}

/* ---- tensors, buffers, top level --------------------------------------------------------- */

static enum hc_status parse_tensor(struct parser *p, const struct tbl *tt, uint32_t i,
                                   const struct vec *buffers)
{
    struct fb *f = &p->f;
    struct ptensor *t = &p->t[i];
    struct vec shape, name;
    fb_vec(f, tt, 0, 4, &shape);
    t->type = fb_i8(f, tt, 1, 0);
    const uint32_t bi = fb_u32(f, tt, 2, 0);
    fb_vec(f, tt, 3, 1, &name);
    t->sparse = fb_sub(f, tt, 6, &t->sparsity);
    if (f->bad)
        return corrupt(p, "tensor table");
    t->name_pos = name.pos;
    t->name_len = name.len;
    if (shape.len > NN_MAX_RANK)
        return PBAD(p, "%s: tensor %u has rank %u (at most %d supported)", p->name, i, shape.len,
                    NN_MAX_RANK);
    t->rank = (int)shape.len;
    t->n_elems = 1;
    for (int d = 0; d < t->rank; d++) {
        t->shape[d] = fb_vec_i32(f, &shape, (uint32_t)d);
        if (t->shape[d] < 1 || hc_mul_size(t->n_elems, (size_t)t->shape[d], &t->n_elems) ||
            t->n_elems > MAX_ELEMS)
            return PBAD(p, "%s: tensor %u has shape dimension %d = %d (or too many elements); "
                        "dynamic or corrupt model", p->name, i, d, t->shape[d]);
    }
    if (bi >= buffers->len)
        return corrupt(p, "tensor buffer index out of range");
    t->new_id = -1;
    if (bi == 0)
        return HC_OK;
    struct tbl bt;
    if (!fb_vec_table(f, buffers, bi, &bt))
        return corrupt(p, "buffer table");
    struct vec data;
    fb_vec(f, &bt, 0, 1, &data);
    const uint64_t off = fb_u64(f, &bt, 1, 0), size = fb_u64(f, &bt, 2, 0);
    if (f->bad)
        return corrupt(p, "buffer table");
    if (data.len > 0) {
        t->raw = f->b + data.pos;
        t->raw_len = data.len;
    } else if (off > 1 && size > 0) {
        /* Schema 3c: data stored after the FlatBuffer at an absolute file offset. */
        if (off > f->n || size > f->n - off)
            return corrupt(p, "buffer data outside the file");
        t->raw = f->b + off;
        t->raw_len = (size_t)size;
    }
    return HC_OK;
}

static char *copy_name(const struct parser *p, const struct ptensor *t)
{
    size_t len = t->name_len;
    if (len > 255)
        len = 255;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    if (len)
        memcpy(s, p->f.b + t->name_pos, len);
    s[len] = '\0';
    for (size_t i = 0; i < len; i++) /* names end up in messages and JSON: printable only */
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            s[i] = '?';
    return s;
}

/* Keep only the tensors the graph uses, renumbered densely. */
static enum hc_status build_tensors(struct parser *p, const struct vec *gin,
                                    const struct vec *gout)
{
    struct nn_graph *g = p->g;
    int n = 0;
#define USE(T)                                                                                 \
    do {                                                                                       \
        if (p->t[T].new_id < 0)                                                                \
            p->t[T].new_id = n++;                                                              \
    } while (0)
    for (uint32_t i = 0; i < gin->len; i++)
        USE(fb_vec_i32(&p->f, gin, i));
    for (int k = 0; k < g->n_nodes; k++) {
        for (int j = 0; j < g->nodes[k].n_inputs; j++)
            if (g->nodes[k].inputs[j] >= 0)
                USE(g->nodes[k].inputs[j]);
        USE(g->nodes[k].output);
    }
    for (uint32_t i = 0; i < gout->len; i++)
        USE(fb_vec_i32(&p->f, gout, i));
#undef USE
    g->tensors = calloc((size_t)n, sizeof *g->tensors);
    g->inputs = calloc(gin->len, sizeof *g->inputs);
    g->outputs = calloc(gout->len, sizeof *g->outputs);
    if (!g->tensors || !g->inputs || !g->outputs)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", p->name);
    g->n_tensors = n;
    for (uint32_t i = 0; i < p->n_t; i++) {
        const struct ptensor *t = &p->t[i];
        if (t->new_id < 0)
            continue;
        struct nn_tensor *o = &g->tensors[t->new_id];
        o->rank = t->rank;
        memcpy(o->shape, t->shape, sizeof o->shape);
        o->n_elems = t->n_elems;
        o->data = t->f32;
        if (!(o->name = copy_name(p, t)))
            return hc_fail(HC_ERR_NOMEM, "%s: out of memory", p->name);
    }
    g->n_inputs = (int)gin->len;
    g->n_outputs = (int)gout->len;
    for (uint32_t i = 0; i < gin->len; i++) {
        const struct ptensor *t = &p->t[fb_vec_i32(&p->f, gin, i)];
        if (t->type != TT_FLOAT32 || t->raw)
            return PBAD(p, "%s: model input %u is %s%s; only float32 inputs are supported",
                        p->name, i, t->raw ? "a constant " : "", type_name(t->type));
        g->inputs[i] = t->new_id;
    }
    for (uint32_t i = 0; i < gout->len; i++)
        g->outputs[i] = p->t[fb_vec_i32(&p->f, gout, i)].new_id;
    for (int k = 0; k < g->n_nodes; k++) {
        struct nn_node *nd = &g->nodes[k];
        for (int j = 0; j < nd->n_inputs; j++)
            if (nd->inputs[j] >= 0)
                nd->inputs[j] = p->t[nd->inputs[j]].new_id;
        nd->output = p->t[nd->output].new_id;
    }
    return HC_OK;
}

static enum hc_status parse_model(struct parser *p)
{
    struct fb *f = &p->f;
    if (f->n < 8 || f->n > UINT32_MAX)
        return corrupt(p, "file too small or too large to be a .tflite model");
    if (memcmp(f->b + 4, "TFL3", 4) != 0)
        return hc_fail(HC_ERR_MODEL, "%s: not a TensorFlow Lite model (no TFL3 identifier); "
                       "check the path or fetch it again with models/fetch-models.sh", p->name);
    struct tbl model;
    const size_t root = fb_deref(f, 0);
    if (!root || !fb_table_at(f, root, &model))
        return corrupt(p, "root table");
    const uint32_t version = fb_u32(f, &model, 0, 0);
    struct vec codes_v, subgraphs, buffers;
    fb_vec(f, &model, 1, 4, &codes_v);
    fb_vec(f, &model, 2, 4, &subgraphs);
    fb_vec(f, &model, 4, 4, &buffers);
    if (f->bad)
        return corrupt(p, "model table");
    if (version != 3)
        return PBAD(p, "%s: TFLite schema version %u (expected 3); unsupported model", p->name,
                    version);
    if (subgraphs.len < 1 || buffers.len < 1)
        return corrupt(p, "no subgraph or no buffers");

    /* Operator codes: the builtin code is the larger of the deprecated int8 field and the int32
     * field (schema.fbs: readers must take the max, writers fill both). */
    int32_t *codes = calloc(codes_v.len ? codes_v.len : 1, sizeof *codes);
    if (!codes)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", p->name);
    for (uint32_t i = 0; i < codes_v.len; i++) {
        struct tbl ct;
        if (!fb_vec_table(f, &codes_v, i, &ct))
            break;
        const int dep = fb_i8(f, &ct, 0, 0);
        const int32_t bc = fb_i32(f, &ct, 3, 0);
        codes[i] = bc > dep ? bc : dep;
    }
    if (f->bad) {
        free(codes);
        return corrupt(p, "operator codes");
    }

    struct tbl sg;
    struct vec tensors, gin, gout, ops;
    fb_vec_table(f, &subgraphs, 0, &sg);
    fb_vec(f, &sg, 0, 4, &tensors);
    fb_vec(f, &sg, 1, 4, &gin);
    fb_vec(f, &sg, 2, 4, &gout);
    fb_vec(f, &sg, 3, 4, &ops);
    enum hc_status st = HC_OK;
    if (f->bad || tensors.len == 0 || gin.len == 0 || gout.len == 0) {
        st = corrupt(p, "subgraph without tensors, inputs or outputs");
        goto done;
    }
    p->n_t = tensors.len;
    p->t = calloc(tensors.len, sizeof *p->t);
    if (!p->t) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", p->name);
        goto done;
    }
    for (uint32_t i = 0; i < tensors.len && st == HC_OK; i++) {
        struct tbl tt;
        if (!fb_vec_table(f, &tensors, i, &tt))
            st = corrupt(p, "tensor table");
        else
            st = parse_tensor(p, &tt, i, &buffers);
    }
    for (uint32_t i = 0; i < gin.len && st == HC_OK; i++) {
        const int32_t ti = fb_vec_i32(f, &gin, i);
        if (ti < 0 || (uint32_t)ti >= p->n_t || p->t[ti].produced)
            st = corrupt(p, "subgraph input index");
        else
            p->t[ti].produced = 1;
    }
    for (uint32_t i = 0; i < gout.len && st == HC_OK; i++) {
        const int32_t ti = fb_vec_i32(f, &gout, i);
        if (ti < 0 || (uint32_t)ti >= p->n_t)
            st = corrupt(p, "subgraph output index");
    }
    for (uint32_t i = 0; i < ops.len && st == HC_OK; i++) {
        struct tbl ot;
        if (!fb_vec_table(f, &ops, i, &ot))
            st = corrupt(p, "operator table");
        else
            st = parse_operator(p, &ot, (int)i, codes, codes_v.len);
    }
    for (uint32_t i = 0; i < gout.len && st == HC_OK; i++)
        if (!p->t[fb_vec_i32(f, &gout, i)].produced || p->t[fb_vec_i32(f, &gout, i)].f32)
            st = PBAD(p, "%s: model output %u is not computed by any operator; corrupt model",
                      p->name, i);
    /* The runtime does CONCATENATION on the graph's edge only (this XNNPACK has no concatenate
     * node): refuse a file that needs more at load, not at the first session. */
    for (int k = 0; k < p->g->n_nodes && st == HC_OK; k++) {
        const struct nn_node *c = &p->g->nodes[k];
        if (c->op != NN_OP_CONCATENATION)
            continue;
        for (int q = k + 1; q < p->g->n_nodes && st == HC_OK; q++)
            for (int j = 0; j < p->g->nodes[q].n_inputs; j++)
                if (p->g->nodes[q].inputs[j] == c->output) {
                    st = PBAD(p, "%s: CONCATENATION (operator %d) feeding other operators is not "
                              "supported (only as a model output); use the models from "
                              "models/fetch-models.sh", p->name, c->tflite_index);
                    break;
                }
    }
    if (st == HC_OK)
        st = build_tensors(p, &gin, &gout);
done:
    free(codes);
    return st;
}

enum hc_status nn_graph_parse(const uint8_t *buf, size_t len, const char *name,
                              struct nn_graph **out)
{
    if (out)
        *out = NULL;
    if (!buf || !name || !out)
        return hc_fail(HC_ERR_INVALID_ARG, "nn_graph_parse: NULL argument");
    struct parser p;
    memset(&p, 0, sizeof p);
    p.f.b = buf;
    p.f.n = len;
    p.name = name;
    p.g = calloc(1, sizeof *p.g);
    if (!p.g)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
    enum hc_status st = parse_model(&p);
    for (int i = 0; i < p.n_temps; i++)
        free(p.temps[i]);
    free(p.temps);
    free(p.t);
    if (st != HC_OK) {
        nn_graph_free(p.g);
        return st;
    }
    *out = p.g;
    return HC_OK;
}
