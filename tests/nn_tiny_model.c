/*
 * nn_tiny_model.c - writes a tiny .tflite flatbuffer by hand: see nn_tiny_model.h.
 *
 * FlatBuffers layout rules followed (flatbuffers.dev "Internals"): little-endian; the file starts
 * with a uoffset to the root table and the 4-byte identifier ("TFL3"); a uoffset is an unsigned
 * forward distance from where it is stored; a table starts with an soffset to its vtable
 * (vtable = table - soffset); a vtable is [vtable bytes, table bytes, field offsets...] in uint16;
 * a vector or string is a uint32 length followed by its elements (strings add a NUL). Like the
 * real builder this one writes back to front, children before parents, so every uoffset points
 * forward. Every scalar field gets a 4-byte slot (the reader reads only the field's size from its
 * start, and little-endian makes the low byte come first). Field ids follow
 * tensorflow/lite/schema/schema.fbs.
 */
#include "nn_tiny_model.h"

#include <stdlib.h>
#include <string.h>

#define CAP 4096

struct fbb {
    uint8_t buf[CAP];
    size_t head; /* data lives in buf[head, CAP) */
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* Pad so that after `n` more bytes the head is `align`-aligned relative to the end (the final
 * size is padded to 16 at the end, so end-relative alignment is file alignment). */
static void pre_align(struct fbb *b, size_t n, size_t align)
{
    while ((CAP - b->head + n) % align)
        b->buf[--b->head] = 0;
}

/* A vector of `n` elements of `elem` bytes, elements aligned to `align`; returns the position of
 * its length word. */
static size_t vec(struct fbb *b, const void *elems, uint32_t n, size_t elem, size_t align)
{
    pre_align(b, (size_t)n * elem, align < 4 ? 4 : align);
    b->head -= (size_t)n * elem;
    if (n)
        memcpy(b->buf + b->head, elems, (size_t)n * elem);
    pre_align(b, 4, 4);
    b->head -= 4;
    put32(b->buf + b->head, n);
    return b->head;
}

static size_t vec_i32(struct fbb *b, const int32_t *v, uint32_t n)
{
    uint8_t tmp[64];
    for (uint32_t i = 0; i < n; i++)
        put32(tmp + 4 * i, (uint32_t)v[i]);
    return vec(b, tmp, n, 4, 4);
}

static size_t str(struct fbb *b, const char *s)
{
    const uint32_t n = (uint32_t)strlen(s);
    pre_align(b, n + 1, 4);
    b->buf[--b->head] = 0;
    b->head -= n;
    memcpy(b->buf + b->head, s, n);
    b->head -= 4;
    put32(b->buf + b->head, n);
    return b->head;
}

/* A vector of uoffsets to `n` objects written earlier. */
static size_t vec_ref(struct fbb *b, const size_t *refs, uint32_t n)
{
    pre_align(b, 4 * (size_t)n, 4);
    b->head -= 4 * (size_t)n;
    for (uint32_t i = 0; i < n; i++) {
        const size_t at = b->head + 4 * i;
        put32(b->buf + at, (uint32_t)(refs[i] - at));
    }
    b->head -= 4;
    put32(b->buf + b->head, n);
    return b->head;
}

enum { K_SCALAR, K_REF };
struct field {
    int id;
    int kind;
    size_t v;     /* scalar value, or absolute position of the referenced object */
    size_t *at;   /* if non-NULL: receives the field's absolute position */
};

/* A table with the given fields (ids may be sparse); returns its position. */
static size_t table(struct fbb *b, const struct field *f, int nf)
{
    int max_id = -1;
    for (int i = 0; i < nf; i++)
        if (f[i].id > max_id)
            max_id = f[i].id;
    pre_align(b, 4 * (size_t)nf, 4);
    b->head -= 4 * (size_t)nf;
    const size_t fields = b->head;
    b->head -= 4;
    const size_t tpos = b->head;
    for (int i = 0; i < nf; i++) {
        const size_t at = fields + 4 * (size_t)i;
        put32(b->buf + at, f[i].kind == K_REF ? (uint32_t)(f[i].v - at) : (uint32_t)f[i].v);
        if (f[i].at)
            *f[i].at = at;
    }
    const size_t vt_size = 4 + 2 * (size_t)(max_id + 1);
    b->head -= vt_size;
    const size_t vt = b->head;
    put16(b->buf + vt, (uint16_t)vt_size);
    put16(b->buf + vt + 2, (uint16_t)(4 + 4 * nf));
    for (int id = 0; id <= max_id; id++)
        put16(b->buf + vt + 4 + 2 * id, 0);
    for (int i = 0; i < nf; i++)
        put16(b->buf + vt + 4 + 2 * f[i].id, (uint16_t)(4 + 4 * i));
    put32(b->buf + tpos, (uint32_t)(tpos - vt));
    return tpos;
}

struct nn_tiny_params nn_tiny_default_params(void)
{
    struct nn_tiny_params p = {.second_op = 14, .conv_act = 0, .conv_padding = 1, .custom = NULL};
    return p;
}

int nn_tiny_model_build(const struct nn_tiny_params *p, struct nn_tiny_model *out)
{
    memset(out, 0, sizeof(*out));
    struct fbb *b = calloc(1, sizeof(*b));
    if (!b)
        return -1;
    b->head = CAP;
    size_t at_weights_len, at_shape_len = 0, at_tensors_len, at_subgraphs, at_buffers, at_filter_buf;
    size_t at_in_vec;

    /* Buffers (schema: Buffer.data id 0). Written first so the file ends in the filter weights:
     * any truncation cuts bytes the model needs. */
    const float w = 2.0f, bias = 0.5f;
    /* [ubyte]: the length counts bytes. Aligned to 4 only, so that no padding follows the filter's
     * bytes at the very end of the file (TFLite itself aligns buffers to 16; readers must not rely
     * on it). */
    at_weights_len = vec(b, &w, 4, 1, 4);
    const size_t bias_data = vec(b, &bias, 4, 1, 4);
    size_t bufs[3];
    bufs[2] = table(b, (struct field[]){{0, K_REF, bias_data, NULL}}, 1);
    bufs[1] = table(b, (struct field[]){{0, K_REF, at_weights_len, NULL}}, 1);
    bufs[0] = table(b, NULL, 0);
    const size_t buffers = vec_ref(b, bufs, 3);

    /* Tensors (shape 0, type 1, buffer 2, name 3). */
    static const char *const names[5] = {"input", "filter", "bias", "conv", "output"};
    static const int32_t shp4[4] = {1, 2, 2, 1}, shp_f[4] = {1, 1, 1, 1}, shp_b[1] = {1};
    const uint32_t tbuf[5] = {0, 1, 2, 0, 0};
    size_t tens[5];
    for (int i = 4; i >= 0; i--) {
        const size_t name = str(b, names[i]);
        const size_t shape = i == 1 ? vec_i32(b, shp_f, 4) : i == 2 ? vec_i32(b, shp_b, 1)
                                                                     : vec_i32(b, shp4, 4);
        if (i == 0)
            at_shape_len = shape;
        tens[i] = table(b,
                        (struct field[]){{0, K_REF, shape, NULL},
                                         {1, K_SCALAR, 0 /* FLOAT32 */, NULL},
                                         {2, K_SCALAR, tbuf[i], i == 1 ? &at_filter_buf : NULL},
                                         {3, K_REF, name, NULL}},
                        4);
    }
    at_tensors_len = vec_ref(b, tens, 5);

    /* Operators (opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4,
     * custom_options 5). Conv2DOptions: padding 0, stride_w 1, stride_h 2, act 3. */
    const size_t conv_opts = table(b,
                                   (struct field[]){{0, K_SCALAR, (size_t)p->conv_padding, NULL},
                                                    {1, K_SCALAR, 1, NULL},
                                                    {2, K_SCALAR, 1, NULL},
                                                    {3, K_SCALAR, (size_t)p->conv_act, NULL}},
                                   4);
    const size_t op1_in = vec_i32(b, (const int32_t[]){3}, 1);
    const size_t op1_out = vec_i32(b, (const int32_t[]){4}, 1);
    const size_t op0_in = vec_i32(b, (const int32_t[]){0, 1, 2}, 3);
    const size_t op0_out = vec_i32(b, (const int32_t[]){3}, 1);
    size_t ops[2];
    ops[1] = table(b,
                   (struct field[]){{0, K_SCALAR, 1, NULL},
                                    {1, K_REF, op1_in, NULL},
                                    {2, K_REF, op1_out, NULL}},
                   3);
    ops[0] = table(b,
                   (struct field[]){{0, K_SCALAR, 0, NULL},
                                    {1, K_REF, op0_in, NULL},
                                    {2, K_REF, op0_out, NULL},
                                    {3, K_SCALAR, 1 /* Conv2DOptions */, NULL},
                                    {4, K_REF, conv_opts, NULL}},
                   5);
    const size_t ops_v = vec_ref(b, ops, 2);

    /* SubGraph (tensors 0, inputs 1, outputs 2, operators 3, name 4). */
    at_in_vec = vec_i32(b, (const int32_t[]){0}, 1);
    const size_t sg_out = vec_i32(b, (const int32_t[]){4}, 1);
    const size_t sg_name = str(b, "main");
    size_t sg = table(b,
                      (struct field[]){{0, K_REF, at_tensors_len, NULL},
                                       {1, K_REF, at_in_vec, NULL},
                                       {2, K_REF, sg_out, NULL},
                                       {3, K_REF, ops_v, NULL},
                                       {4, K_REF, sg_name, NULL}},
                      5);
    const size_t subgraphs = vec_ref(b, &sg, 1);

    /* OperatorCodes (deprecated_builtin_code int8 0, custom_code 1, version 2, builtin_code 3):
     * both code fields filled as the schema asks of writers. */
    size_t codes[2];
    if (p->custom) {
        const size_t cc = str(b, p->custom);
        codes[1] = table(b,
                         (struct field[]){{0, K_SCALAR, 32, NULL},
                                          {1, K_REF, cc, NULL},
                                          {2, K_SCALAR, 1, NULL},
                                          {3, K_SCALAR, 32, NULL}},
                         4);
    } else {
        const size_t dep = p->second_op < 127 ? (size_t)p->second_op : 127;
        codes[1] = table(b,
                         (struct field[]){{0, K_SCALAR, dep, NULL},
                                          {2, K_SCALAR, 1, NULL},
                                          {3, K_SCALAR, (size_t)p->second_op, NULL}},
                         3);
    }
    codes[0] = table(b,
                     (struct field[]){{0, K_SCALAR, 3, NULL},
                                      {2, K_SCALAR, 1, NULL},
                                      {3, K_SCALAR, 3 /* CONV_2D */, NULL}},
                     3);
    const size_t codes_v = vec_ref(b, codes, 2);
    const size_t desc = str(b, "nnref tiny model");

    /* Model (version 0, operator_codes 1, subgraphs 2, description 3, buffers 4). */
    const size_t model = table(b,
                               (struct field[]){{0, K_SCALAR, 3, NULL},
                                                {1, K_REF, codes_v, NULL},
                                                {2, K_REF, subgraphs, &at_subgraphs},
                                                {3, K_REF, desc, NULL},
                                                {4, K_REF, buffers, &at_buffers}},
                               5);
    pre_align(b, 8, 16);
    b->head -= 4;
    memcpy(b->buf + b->head, "TFL3", 4);
    b->head -= 4;
    put32(b->buf + b->head, (uint32_t)(model - b->head));

    out->len = CAP - b->head;
    out->data = malloc(out->len);
    if (!out->data) {
        free(b);
        return -1;
    }
    memcpy(out->data, b->buf + b->head, out->len);
    out->at_root = 0;
    out->at_subgraphs = at_subgraphs - b->head;
    out->at_buffers = at_buffers - b->head;
    out->at_tensors_len = at_tensors_len - b->head;
    out->at_weights_len = at_weights_len - b->head;
    out->at_shape_len = at_shape_len - b->head;
    out->at_filter_buf = at_filter_buf - b->head;
    out->at_in_index = at_in_vec + 4 - b->head;
    free(b);
    return 0;
}

void nn_tiny_model_free(struct nn_tiny_model *m)
{
    if (!m)
        return;
    free(m->data);
    m->data = NULL;
    m->len = 0;
}
