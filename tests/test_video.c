#define _POSIX_C_SOURCE 200809L
/*
 * test_video.c - the decoder and writer on clips generated at test time: frame counts, rates,
 * timestamps (constant and variable frame rate), rotation metadata undone, GIF, trimming,
 * threads, and every error path (missing, empty, text, audio-only, too large, truncated,
 * corrupt, zero frames) with its exact status and a message naming the file.
 */
#include "hingecheck.h"
#include "video/video.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

/* The base clip: 3 s at 30 fps, a keyframe every 2 s (writer GOP), textured so that every frame
 * costs bytes and cutting the file at 40% lands among the frames. */
#define BASE_W 320
#define BASE_H 240
#define BASE_FPS 30.0
#define BASE_N 90
/* Rotation clips: a red block in the stored top-left corner. */
#define ROT_W 160
#define ROT_H 96
#define ROT_N 6
#define BLOCK_W 40
#define BLOCK_H 24

static void tmp_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 24;
}

/* Grey background, a moving white bar, a noisy lower quarter, optional red top-left block. */
static void paint(uint8_t *img, int w, int h, int i, int block)
{
    uint32_t seed = 12345u + (uint32_t)i * 7919u;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t *p = img + ((size_t)y * (size_t)w + (size_t)x) * 3;
            int v = 128;
            if (abs(x - (i * 4) % w) < 6)
                v = 240;
            if (y >= h * 3 / 4)
                v = 64 + (int)lcg(&seed) / 2;
            p[0] = p[1] = p[2] = (uint8_t)v;
            if (block && x < BLOCK_W && y < BLOCK_H) {
                p[0] = 255;
                p[1] = 0;
                p[2] = 0;
            }
        }
    }
}

/* Writes n frames; times NULL: constant rate. Returns the writer status. */
static enum hc_status write_clip(const char *name, int w, int h, double fps, int n, int rotation,
                                 const char *codec, int faststart, const double *times, int block)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = w;
    wp.height_px = h;
    wp.fps = fps;
    wp.rotation_deg = rotation;
    wp.codec = codec;
    wp.faststart = faststart;
    struct video_writer *vw = NULL;
    enum hc_status st = video_writer_open(path, &wp, &vw);
    if (st != HC_OK)
        return st;
    uint8_t *img = malloc((size_t)w * (size_t)h * 3);
    for (int i = 0; i < n && st == HC_OK; i++) {
        paint(img, w, h, i, block);
        st = video_writer_write_rgb(vw, img, w * 3, times ? times[i] : -1.0);
    }
    free(img);
    enum hc_status cst = video_writer_close(vw);
    return st != HC_OK ? st : cst;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static unsigned char *read_all(const char *path, long *n)
{
    *n = file_size(path);
    FILE *f = fopen(path, "rb");
    unsigned char *b = malloc((size_t)(*n > 0 ? *n : 1));
    if (!f || fread(b, 1, (size_t)*n, f) != (size_t)*n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    return b;
}

static void write_all(const char *name, const unsigned char *b, long n)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

/* Offset of a top-level MP4 box of the given type, or -1. */
static long find_box(const unsigned char *b, long n, const char *type)
{
    long off = 0;
    while (off + 8 <= n) {
        unsigned long size = ((unsigned long)b[off] << 24) | ((unsigned long)b[off + 1] << 16) |
                             ((unsigned long)b[off + 2] << 8) | b[off + 3];
        if (memcmp(b + off + 4, type, 4) == 0)
            return off;
        if (size < 8)
            return -1;
        off += (long)size;
    }
    return -1;
}

static void put_le(unsigned char *p, unsigned v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A 1 s mono 8 kHz 16-bit PCM WAV written by hand: a media file with no video. */
static void make_wav(const char *name)
{
    const unsigned n_samples = 8000, data = n_samples * 2;
    unsigned char *b = calloc(1, 44 + data);
    memcpy(b, "RIFF", 4);
    put_le(b + 4, 36 + data, 4);
    memcpy(b + 8, "WAVEfmt ", 8);
    put_le(b + 16, 16, 4);
    put_le(b + 20, 1, 2);     /* PCM */
    put_le(b + 22, 1, 2);     /* mono */
    put_le(b + 24, 8000, 4);  /* sample rate */
    put_le(b + 28, 16000, 4); /* byte rate */
    put_le(b + 32, 2, 2);
    put_le(b + 34, 16, 2);
    memcpy(b + 36, "data", 4);
    put_le(b + 40, data, 4);
    for (unsigned i = 0; i < n_samples; i++)
        put_le(b + 44 + 2 * i, (unsigned)(int)(8000.0 * sin(i * 0.05)) & 0xffffu, 2);
    write_all(name, b, 44 + data);
    free(b);
}

/* A GIF whose header claims 9000x16 pixels: must be refused before anything is allocated. */
static void make_huge_gif(const char *name)
{
    unsigned char b[64];
    size_t n = 0;
    memcpy(b, "GIF89a", 6);
    n = 6;
    put_le(b + n, 9000, 2);
    put_le(b + n + 2, 16, 2);
    n += 4;
    b[n++] = 0x80; /* global colour table, 2 entries */
    b[n++] = 0;
    b[n++] = 0;
    const unsigned char pal[6] = {0, 0, 0, 255, 255, 255};
    memcpy(b + n, pal, 6);
    n += 6;
    b[n++] = 0x2c;
    put_le(b + n, 0, 4);
    put_le(b + n + 4, 9000, 2);
    put_le(b + n + 6, 16, 2);
    n += 8;
    b[n++] = 0; /* no local table */
    b[n++] = 2; /* LZW minimum code size */
    b[n++] = 2; /* one sub-block of 2 bytes */
    b[n++] = 0x4c;
    b[n++] = 0x01;
    b[n++] = 0;
    b[n++] = 0x3b;
    write_all(name, b, (long)n);
}

/* Decode a whole clip: returns frames, checks t_s strictly increasing and stores per-frame
 * checksums and times (up to cap). */
static int decode_all(const char *path, const struct video_open_params *p, uint64_t *sums,
                      double *times, int cap, enum hc_status *end_st, int *damaged)
{
    struct video_decoder *d = NULL;
    enum hc_status st = video_decoder_open(path, p, &d);
    ck_assert_msg(st == HC_OK, "open %s: %s", path, hc_last_error());
    struct video_frame f;
    int n = 0;
    double prev = -1e9;
    while ((st = video_decoder_next(d, &f)) == HC_OK) {
        ck_assert_msg(f.t_s > prev, "frame %d: t %.6f not after %.6f", n, f.t_s, prev);
        ck_assert_int_eq(f.index, n);
        prev = f.t_s;
        if (n < cap) {
            uint64_t s = 0;
            for (int y = 0; y < f.height_px; y++)
                for (int x = 0; x < f.width_px * 3; x++)
                    s = s * 31u + f.rgb[(size_t)y * (size_t)f.stride + (size_t)x];
            if (sums)
                sums[n] = s;
            if (times)
                times[n] = f.t_s;
        }
        n++;
    }
    if (end_st)
        *end_st = st;
    if (damaged)
        *damaged = video_decoder_damaged(d);
    video_decoder_free(d);
    return n;
}

/* ---- constant rate: counts, rate, times; threads give identical pixels -------------------- */

START_TEST(base_clip_counts_and_times)
{
    char path[512];
    tmp_path(path, sizeof path, "base.mp4");
    struct hc_video_info info;
    ck_assert_msg(hc_probe_file(path, &info) == HC_OK, "%s", hc_last_error());
    ck_assert_int_eq(info.width_px, BASE_W);
    ck_assert_int_eq(info.height_px, BASE_H);
    ck_assert_int_eq(info.rotation_deg, 0);
    ck_assert_double_eq_tol(info.fps, BASE_FPS, 1e-3);
    ck_assert_double_eq_tol(info.duration_s, BASE_N / BASE_FPS, 0.05);
    ck_assert_int_eq(info.n_frames_estimate, BASE_N);
    ck_assert_str_eq(info.codec, "h264");
    ck_assert_int_eq(info.has_audio, 0);

    static uint64_t s1[BASE_N], s2[BASE_N];
    static double t1[BASE_N];
    enum hc_status end;
    int dmg;
    struct video_open_params p = video_default_open_params();
    p.n_threads = 1;
    int n = decode_all(path, &p, s1, t1, BASE_N, &end, &dmg);
    ck_assert_int_eq(n, BASE_N);
    ck_assert_int_eq(end, HC_ERR_EMPTY);
    ck_assert_int_eq(dmg, 0);
    for (int i = 0; i < n; i++)
        ck_assert_msg(fabs(t1[i] - i / BASE_FPS) < 1e-3, "frame %d at %.6f s", i, t1[i]);
    p.n_threads = 2;
    ck_assert_int_eq(decode_all(path, &p, s2, NULL, BASE_N, NULL, NULL), BASE_N);
    for (int i = 0; i < n; i++)
        ck_assert_msg(s1[i] == s2[i], "frame %d differs between 1 and 2 threads", i);
    /* frames really differ (the checksum is not constant) */
    ck_assert(s1[0] != s1[1]);
}
END_TEST

/* ---- rotation metadata: stored sideways, decoded upright ---------------------------------- */

static const struct {
    int rotation;
    int corner; /* where the stored top-left block must appear: 0 TL, 1 TR, 2 BR, 3 BL */
} rot_cases[] = {{0, 0}, {90, 1}, {180, 2}, {270, 3}};

START_TEST(rotation_applied)
{
    char name[64], path[512];
    snprintf(name, sizeof name, "rot%d.mp4", rot_cases[_i].rotation);
    tmp_path(path, sizeof path, name);
    struct video_decoder *d = NULL;
    ck_assert_msg(video_decoder_open(path, NULL, &d) == HC_OK, "%s", hc_last_error());
    const struct hc_video_info *in = video_decoder_info(d);
    const int swap = rot_cases[_i].rotation % 180 != 0;
    ck_assert_int_eq(in->rotation_deg, rot_cases[_i].rotation);
    ck_assert_int_eq(in->coded_width_px, ROT_W);
    ck_assert_int_eq(in->width_px, swap ? ROT_H : ROT_W);
    ck_assert_int_eq(in->height_px, swap ? ROT_W : ROT_H);
    struct video_frame f;
    ck_assert_msg(video_decoder_next(d, &f) == HC_OK, "%s", hc_last_error());
    ck_assert_int_eq(f.width_px, in->width_px);
    ck_assert_int_eq(f.height_px, in->height_px);
    /* 8 px in from each corner: inside the 40x24 block whichever way it is turned. */
    const int xs[4] = {8, f.width_px - 9, f.width_px - 9, 8};
    const int ys[4] = {8, 8, f.height_px - 9, f.height_px - 9};
    for (int c = 0; c < 4; c++) {
        const uint8_t *p = f.rgb + (size_t)ys[c] * (size_t)f.stride + (size_t)xs[c] * 3;
        if (c == rot_cases[_i].corner)
            ck_assert_msg(p[0] > 200 && p[1] < 60 && p[2] < 60,
                          "rot %d corner %d: %d,%d,%d not red", rot_cases[_i].rotation, c, p[0],
                          p[1], p[2]);
        else
            ck_assert_msg(abs(p[0] - p[1]) < 40, "rot %d corner %d: %d,%d,%d is red",
                          rot_cases[_i].rotation, c, p[0], p[1], p[2]);
    }
    int n = 1;
    while (video_decoder_next(d, &f) == HC_OK)
        n++;
    ck_assert_int_eq(n, ROT_N);
    video_decoder_free(d);
}
END_TEST

/* Display matrices (16.16 fixed point) as FFmpeg 5.1 builds them: av_display_rotation_set(m, a)
 * is {cos a, sin a, -sin a, cos a}; av_display_matrix_flip negates column 0 (h) or 1 (v).
 * Expected orientation: what FFmpeg's own ffmpeg tool applies for that matrix. */
#define ONE 65536
static const struct {
    int32_t m0, m1, m3, m4;
    int rot, hflip, vflip;
} matrix_cases[] = {
    {ONE, 0, 0, ONE, 0, 0, 0},    {0, ONE, -ONE, 0, 90, 0, 0},   {-ONE, 0, 0, -ONE, 180, 0, 0},
    {0, -ONE, ONE, 0, 270, 0, 0}, {-ONE, 0, 0, ONE, 0, 1, 0},    {ONE, 0, 0, -ONE, 0, 0, 1},
    {0, ONE, ONE, 0, 90, 1, 0},   {0, -ONE, -ONE, 0, 270, 1, 0},
};

START_TEST(orientation_from_matrix)
{
    int32_t m[9] = {0};
    m[0] = matrix_cases[_i].m0;
    m[1] = matrix_cases[_i].m1;
    m[3] = matrix_cases[_i].m3;
    m[4] = matrix_cases[_i].m4;
    m[8] = 1 << 30;
    int rot = -1, h = -1, v = -1;
    video_orientation_from_matrix(m, &rot, &h, &v);
    ck_assert_int_eq(rot, matrix_cases[_i].rot);
    ck_assert_int_eq(h, matrix_cases[_i].hflip);
    ck_assert_int_eq(v, matrix_cases[_i].vflip);
    video_orientation_from_matrix(NULL, &rot, &h, &v);
    ck_assert_int_eq(rot + h + v, 0);
}
END_TEST

/* Reference: turn clockwise 90 degrees `rot/90` times, one step at a time, then mirror. */
static void ref_orient(const uint32_t *src, int w, int h, int rot, int hf, int vf, uint32_t *dst,
                       int *ow, int *oh)
{
    uint32_t a[64], b[64];
    memcpy(a, src, sizeof(uint32_t) * (size_t)(w * h));
    for (int k = 0; k < rot / 90; k++) {
        /* clockwise: new[r][c] = old[h-1-c][r], new size h x w */
        for (int r = 0; r < w; r++)
            for (int c = 0; c < h; c++)
                b[r * h + c] = a[(h - 1 - c) * w + r];
        int t = w;
        w = h;
        h = t;
        memcpy(a, b, sizeof(uint32_t) * (size_t)(w * h));
    }
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
            dst[r * w + c] = a[(vf ? h - 1 - r : r) * w + (hf ? w - 1 - c : c)];
    *ow = w;
    *oh = h;
}

START_TEST(orient_rgb_all_cases)
{
    const int rot = (_i / 4) * 90, hf = (_i / 2) % 2, vf = _i % 2;
    const int w = 5, h = 3; /* odd sizes: no symmetry hides a wrong index */
    uint8_t src[5 * 3 * 3 + 7], dst[5 * 3 * 3 + 7];
    uint32_t ids[15], want[15];
    for (int i = 0; i < w * h; i++) {
        ids[i] = (uint32_t)i;
        src[i * 3] = (uint8_t)i;
        src[i * 3 + 1] = (uint8_t)(100 + i);
        src[i * 3 + 2] = (uint8_t)(200 + i);
    }
    int ow, oh;
    ref_orient(ids, w, h, rot, hf, vf, want, &ow, &oh);
    memset(dst, 0xee, sizeof dst);
    video_orient_rgb(src, w * 3, w, h, rot, hf, vf, dst, ow * 3);
    for (int i = 0; i < ow * oh; i++) {
        ck_assert_msg(dst[i * 3] == want[i] && dst[i * 3 + 1] == 100 + want[i] &&
                          dst[i * 3 + 2] == 200 + want[i],
                      "rot %d h %d v %d: pixel %d is %d, want %u", rot, hf, vf, i, dst[i * 3],
                      want[i]);
    }
    ck_assert_int_eq(dst[ow * oh * 3], 0xee); /* nothing written past the image */
}
END_TEST

/* ---- variable frame rate --------------------------------------------------------------------- */

static const double vfr_times[] = {0.0,   0.040, 0.055, 0.120, 0.130, 0.200,
                                   0.333, 0.350, 0.500, 0.510, 0.700, 1.000};
#define VFR_N ((int)(sizeof vfr_times / sizeof vfr_times[0]))

START_TEST(vfr_times_kept)
{
    char path[512];
    tmp_path(path, sizeof path, "vfr.mp4");
    double t[VFR_N + 4];
    int n = decode_all(path, NULL, NULL, t, VFR_N + 4, NULL, NULL);
    ck_assert_int_eq(n, VFR_N);
    for (int i = 0; i < n; i++)
        ck_assert_msg(fabs(t[i] - vfr_times[i]) < 1e-3, "frame %d at %.6f s, written at %.6f s", i,
                      t[i], vfr_times[i]);
}
END_TEST

/* ---- GIF --------------------------------------------------------------------------------------
 */

START_TEST(gif_round_trip)
{
    char path[512];
    tmp_path(path, sizeof path, "anim.gif");
    struct video_decoder *d = NULL;
    ck_assert_msg(video_decoder_open(path, NULL, &d) == HC_OK, "%s", hc_last_error());
    ck_assert_str_eq(video_decoder_info(d)->codec, "gif");
    ck_assert_int_eq(video_decoder_info(d)->width_px, ROT_W);
    ck_assert_int_eq(video_decoder_info(d)->height_px, ROT_H);
    struct video_frame f;
    int n = 0;
    while (video_decoder_next(d, &f) == HC_OK) {
        ck_assert_msg(fabs(f.t_s - n * 0.04) < 1e-3, "gif frame %d at %.4f s", n, f.t_s);
        const uint8_t *p = f.rgb + 8 * (size_t)f.stride + 8 * 3;
        ck_assert_msg(p[0] > 190 && p[1] < 70 && p[2] < 70, "gif block %d,%d,%d", p[0], p[1], p[2]);
        const uint8_t *q = f.rgb + 8 * (size_t)f.stride + (size_t)(f.width_px - 9) * 3;
        ck_assert_msg(abs(q[0] - q[1]) < 40, "gif background %d,%d,%d", q[0], q[1], q[2]);
        n++;
    }
    ck_assert_int_eq(n, 12);
    ck_assert_int_eq(video_decoder_damaged(d), 0);
    video_decoder_free(d);
}
END_TEST

/* ---- trimming ------------------------------------------------------------------------------- */

static const struct {
    double start_s, end_s;
    int first_index; /* index in the untrimmed clip of the first frame out */
    int n;
} trim_cases[] = {
    {0.5, 1.0, 15, 16}, /* frames 15..30 inclusive */
    {2.1, 0.0, 63, 27}, /* after the 2 s keyframe: 63..89 */
    {0.0, 1.0, 0, 31},  /* end only */
    {1.0, 0.0, 30, 60}, /* seek lands on the keyframe at 0: decode and drop 30 */
    {2.95, 0.0, 89, 1}, /* the last frame only */
};

START_TEST(trim_start_end)
{
    char path[512];
    tmp_path(path, sizeof path, "base.mp4");
    static uint64_t full[BASE_N], part[BASE_N];
    static double tp[BASE_N];
    ck_assert_int_eq(decode_all(path, NULL, full, NULL, BASE_N, NULL, NULL), BASE_N);
    struct video_open_params p = video_default_open_params();
    p.start_s = trim_cases[_i].start_s;
    p.end_s = trim_cases[_i].end_s;
    int n = decode_all(path, &p, part, tp, BASE_N, NULL, NULL);
    ck_assert_int_eq(n, trim_cases[_i].n);
    for (int i = 0; i < n; i++) {
        const int k = trim_cases[_i].first_index + i;
        ck_assert_msg(fabs(tp[i] - k / BASE_FPS) < 1e-3, "frame %d at %.4f s, want %.4f", i, tp[i],
                      k / BASE_FPS);
        ck_assert_msg(part[i] == full[k], "trimmed frame %d differs from frame %d", i, k);
    }
}
END_TEST

START_TEST(trim_out_of_range)
{
    char path[512];
    tmp_path(path, sizeof path, "base.mp4");
    struct video_open_params p = video_default_open_params();
    struct video_decoder *d = NULL;
    p.start_s = 2.0;
    p.end_s = 1.0;
    ck_assert_int_eq(video_decoder_open(path, &p, &d), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(d);
    p.start_s = 5.0;
    p.end_s = 0.0;
    ck_assert_int_eq(video_decoder_open(path, &p, &d), HC_OK);
    struct video_frame f;
    ck_assert_int_eq(video_decoder_next(d, &f), HC_ERR_EMPTY);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "base.mp4"));
    video_decoder_free(d);
}
END_TEST

/* ---- other containers: no false damage; a stream without timestamps gets 1/fps steps ------- */

#define CONT_N 20
static const struct {
    const char *name;
    const char *codec; /* writer codec (NULL: default) */
    const char *want_codec;
    int has_pts; /* 0: raw stream, times are made up from the frame rate */
} container_cases[] = {
    {"clip.mkv", NULL, "h264", 1},     {"clip.mov", NULL, "h264", 1},
    {"clip.avi", "mpeg4", "mpeg4", 1}, {"clip-mpeg4.mp4", "mpeg4", "mpeg4", 1},
    {"raw.h264", NULL, "h264", 0},
};

START_TEST(container_round_trip)
{
    char path[512];
    tmp_path(path, sizeof path, container_cases[_i].name);
    struct video_decoder *d = NULL;
    ck_assert_msg(video_decoder_open(path, NULL, &d) == HC_OK, "%s", hc_last_error());
    const struct hc_video_info *in = video_decoder_info(d);
    ck_assert_str_eq(in->codec, container_cases[_i].want_codec);
    ck_assert_int_eq(in->width_px, ROT_W);
    if (container_cases[_i].has_pts)
        ck_assert_double_eq_tol(in->fps, 25.0, 1e-3);
    struct video_frame f;
    int n = 0;
    double prev = -1.0;
    while (video_decoder_next(d, &f) == HC_OK) {
        const double want = container_cases[_i].has_pts ? n * 0.04 : n / in->fps;
        ck_assert_msg(fabs(f.t_s - want) < 1e-3, "%s frame %d at %.6f s, want %.6f",
                      container_cases[_i].name, n, f.t_s, want);
        ck_assert(f.t_s > prev);
        prev = f.t_s;
        n++;
    }
    ck_assert_int_eq(n, CONT_N);
    ck_assert_msg(!video_decoder_damaged(d), "%s: reported damaged", container_cases[_i].name);
    video_decoder_free(d);
}
END_TEST

/* ---- errors: refused at open (or at the first frame), with status and file name ------------- */

static const struct {
    const char *name; /* in the temp dir, or "data:" + name in tests/data */
    enum hc_status st;
    int at_next; /* 1: open succeeds, the first next() fails */
} error_cases[] = {
    {"missing.mp4", HC_ERR_IO, 0},
    {"data:empty.mp4", HC_ERR_FORMAT, 0},
    {"data:not-a-video.mp4", HC_ERR_FORMAT, 0},
    {"audio.wav", HC_ERR_NO_VIDEO, 0},
    {"huge.gif", HC_ERR_TOO_LARGE, 0},
    {"cut-nofaststart.mp4", HC_ERR_DECODE, 0}, /* 40% of a clip whose index is at the end */
    {"cut-after-index.mp4", HC_ERR_DECODE, 1}, /* index intact, no frame data */
    {"noframes.mp4", HC_ERR_NO_VIDEO, 0},      /* FFmpeg drops an MP4 track with no samples */
    {"subdir", HC_ERR_IO, 0},
};

START_TEST(error_paths)
{
    char path[512];
    const char *name = error_cases[_i].name;
    if (strncmp(name, "data:", 5) == 0) {
        name += 5;
        snprintf(path, sizeof path, "%s/tests/data/%s", HC_SOURCE_DIR, name);
    } else {
        tmp_path(path, sizeof path, name);
    }
    struct video_decoder *d = (struct video_decoder *)&path; /* must be reset to NULL on error */
    hc_clear_error();
    enum hc_status st = video_decoder_open(path, NULL, &d);
    if (error_cases[_i].at_next) {
        ck_assert_msg(st == HC_OK, "%s: %s", name, hc_last_error());
        struct video_frame f;
        st = video_decoder_next(d, &f);
        video_decoder_free(d);
    } else {
        ck_assert_ptr_null(d);
    }
    ck_assert_msg(st == error_cases[_i].st, "%s: status %d (%s), want %d", name, st,
                  hc_last_error(), error_cases[_i].st);
    ck_assert_msg(strstr(hc_last_error(), name) != NULL, "message does not name %s: %s", name,
                  hc_last_error());
    ck_assert_msg(strchr(hc_last_error(), '\n') == NULL, "message is not one line");
    /* hc_probe_file reports the same */
    struct hc_video_info info;
    ck_assert_int_eq(hc_probe_file(path, &info), error_cases[_i].st);
}
END_TEST

/* An image 16000 px wide (a 1-bit palette PNG: 18 KB on disk, 144 MB once decoded) is refused
 * from its header, before a frame of it is allocated. */
START_TEST(oversize_refused_before_decoding)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/wide-16000x9000.png", HC_SOURCE_DIR);
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    struct hc_video_info info;
    const enum hc_status st = hc_probe_file(path, &info);
    getrusage(RUSAGE_SELF, &ru1);
    ck_assert_msg(st == HC_ERR_TOO_LARGE || st == HC_ERR_DECODE, "status %d", st);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "wide-16000x9000.png"));
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "8192 px"));
    ck_assert_msg(ru1.ru_maxrss - ru0.ru_maxrss < 64 * 1024, "peak memory grew by %ld KB",
                  ru1.ru_maxrss - ru0.ru_maxrss);
}
END_TEST

static int n_rotation_warnings;
static char rotation_warning[1024];

static void count_rotation_warnings(enum hc_log_level level, const char *msg, void *user)
{
    (void)user;
    if (level == HC_LOG_WARN && strstr(msg, "rotation")) {
        n_rotation_warnings++;
        snprintf(rotation_warning, sizeof rotation_warning, "%s", msg);
    }
}

static int32_t be32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static void put_be32(unsigned char *p, int32_t v)
{
    const uint32_t u = (uint32_t)v;
    p[0] = (unsigned char)(u >> 24);
    p[1] = (unsigned char)(u >> 16);
    p[2] = (unsigned char)(u >> 8);
    p[3] = (unsigned char)u;
}

/* A display rotation of 45 degrees (rot90.mp4 with its track matrix turned by 45) is ignored with
 * one warning naming the file, however often the file is opened. */
START_TEST(odd_rotation_warned_once)
{
    char path[512];
    long n;
    tmp_path(path, sizeof path, "rot90.mp4");
    unsigned char *b = read_all(path, &n);
    long at = -1;
    for (long i = 0; i + 36 <= n && at < 0; i++)
        if (be32(b + i) == 0 && abs(be32(b + i + 4)) == 65536 && be32(b + i + 12) == -be32(b + i + 4)
            && be32(b + i + 16) == 0 && be32(b + i + 32) == 0x40000000)
            at = i;
    ck_assert_msg(at >= 0, "no 90-degree matrix in rot90.mp4");
    const int sb = be32(b + at + 4) > 0 ? 1 : -1;
    put_be32(b + at, 46341); /* cos 45 deg, 16.16 */
    put_be32(b + at + 4, sb * 46341);
    put_be32(b + at + 12, -sb * 46341);
    put_be32(b + at + 16, 46341);
    write_all("rot45.mp4", b, n);
    free(b);
    tmp_path(path, sizeof path, "rot45.mp4");
    hc_set_log_sink(count_rotation_warnings, NULL);
    n_rotation_warnings = 0;
    struct hc_video_info info;
    ck_assert_int_eq(hc_probe_file(path, &info), HC_OK);
    ck_assert_int_eq(info.rotation_deg, 0);
    for (int k = 0; k < 2; k++) {
        struct video_decoder *d = NULL;
        ck_assert_int_eq(video_decoder_open(path, NULL, &d), HC_OK);
        video_decoder_free(d);
    }
    hc_set_log_sink(NULL, NULL);
    unlink(path);
    ck_assert_int_eq(n_rotation_warnings, 1);
    ck_assert_msg(strstr(rotation_warning, "rot45.mp4: display rotation of") != NULL, "%s",
                  rotation_warning);
}
END_TEST

/* ---- damage: skipped up to the next good frame, counted, and reported ----------------------- */

/* Whether what is left is usable (mostly damaged or not) is the pose pass's call
 * (test_pose_pipeline); the decoder counts and places. */
static const struct {
    const char *name;
    int mostly; /* more frames skipped than decoded */
    int to_end; /* the damage runs to the clip's end (a cut file) */
} damaged_cases[] = {
    {"garbage.mp4", 0, 0}, /* random bytes over 10% of the file, mid-stream */
    {"cut85.mp4", 0, 1},
    {"cut85.mkv", 0, 1},   /* no frame count: the stream's duration says */
    {"cut30.mp4", 1, 1},
    {"cut30.mkv", 1, 1},
};

START_TEST(damaged_mid_stream)
{
    char path[512];
    const char *name = damaged_cases[_i].name;
    tmp_path(path, sizeof path, name);
    struct video_open_params p = video_default_open_params();
    p.n_threads = 1; /* FFmpeg's frame threads do not always pass the concealment flags on */
    struct video_decoder *d = NULL;
    ck_assert_int_eq(video_decoder_open(path, &p, &d), HC_OK);
    /* which frame numbers come out: every other one must lie in a reported stretch */
    static unsigned char seen[BASE_N];
    memset(seen, 0, sizeof seen);
    struct video_frame f;
    enum hc_status st;
    int n = 0;
    int64_t prev = -1;
    while ((st = video_decoder_next(d, &f)) == HC_OK) {
        ck_assert_msg(f.index > prev && f.index < BASE_N, "%s: frame number %lld after %lld", name,
                      (long long)f.index, (long long)prev);
        seen[f.index] = 1;
        prev = f.index;
        n++;
    }
    const struct hc_damage *dm = video_decoder_damage(d);
    ck_assert_msg(st == HC_ERR_EMPTY, "%s: end %d: %s", name, st, hc_last_error());
    ck_assert_int_ne(video_decoder_damaged(d), 0);
    /* frames decoded + skipped = the clip's frames, and the stretches hold just the others */
    ck_assert_msg(n + dm->n_frames_skipped == BASE_N, "%s: %d decoded + %lld skipped", name, n,
                  (long long)dm->n_frames_skipped);
    ck_assert_int_eq((int)dm->n_frames, BASE_N);
    ck_assert_int_gt(dm->n_ranges, 0);
    int64_t in_ranges = 0;
    for (int k = 0; k < dm->n_ranges; k++) {
        const struct hc_damage_range *g = &dm->range[k];
        ck_assert(g->first_frame <= g->last_frame && g->t_start_s <= g->t_end_s);
        for (int64_t i = g->first_frame; i <= g->last_frame; i++)
            ck_assert_msg(!seen[i], "%s: frame %lld decoded and reported skipped", name,
                          (long long)i);
        in_ranges += g->last_frame - g->first_frame + 1;
    }
    ck_assert_int_eq((int)in_ranges, (int)dm->n_frames_skipped);
    const struct hc_damage_range *last = &dm->range[dm->n_ranges - 1];
    if (damaged_cases[_i].to_end) {
        ck_assert_int_eq((int)last->last_frame, BASE_N - 1);
    } else {
        /* decoding went on after the damage: the clip's last frame came */
        ck_assert_msg(seen[BASE_N - 1], "%s: stopped at the damage", name);
        ck_assert_int_lt((int)last->last_frame, BASE_N - 1);
    }
    ck_assert_msg((dm->n_frames_skipped > n) == damaged_cases[_i].mostly, "%s: %d decoded, %lld "
                  "skipped", name, n, (long long)dm->n_frames_skipped);
    video_decoder_free(d);
}
END_TEST

/* ---- writer argument checks ----------------------------------------------------------------- */

START_TEST(writer_refuses_bad_params)
{
    char path[512];
    tmp_path(path, sizeof path, "bad.mp4");
    struct video_writer_params wp = video_default_writer_params();
    struct video_writer *w = (struct video_writer *)&wp;
    wp.width_px = 0;
    wp.height_px = 10;
    ck_assert_int_eq(video_writer_open(path, &wp, &w), HC_ERR_INVALID_ARG);
    ck_assert_ptr_null(w);
    wp.width_px = 64;
    wp.height_px = 64;
    wp.rotation_deg = 45;
    ck_assert_int_eq(video_writer_open(path, &wp, &w), HC_ERR_INVALID_ARG);
    wp.rotation_deg = 0;
    wp.codec = "vp9000";
    ck_assert_int_eq(video_writer_open(path, &wp, &w), HC_ERR_INVALID_ARG);
    wp.codec = NULL;
    ck_assert_int_eq(video_writer_open(path, &wp, &w), HC_OK);
    uint8_t img[64 * 64 * 3] = {0};
    ck_assert_int_eq(video_writer_write_rgb(w, img, 64 * 3, 0.5), HC_OK);
    ck_assert_int_eq(video_writer_write_rgb(w, img, 64 * 3, 0.5), HC_ERR_INVALID_ARG);
    ck_assert_int_eq(video_writer_close(w), HC_OK);
    ck_assert_int_eq(video_writer_close(NULL), HC_OK);
    video_decoder_free(NULL);
}
END_TEST

/* ---- fixtures: generated once, before the forked tests ----------------------------------- */

static void make_fixtures(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hc_test_video_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
    enum hc_status st =
        write_clip("base.mp4", BASE_W, BASE_H, BASE_FPS, BASE_N, 0, NULL, 1, NULL, 0);
    st = st ? st
            : write_clip("base-nofs.mp4", BASE_W, BASE_H, BASE_FPS, BASE_N, 0, NULL, 0, NULL, 0);
    for (int r = 0; r < 4 && st == HC_OK; r++) {
        char name[32];
        snprintf(name, sizeof name, "rot%d.mp4", r * 90);
        st = write_clip(name, ROT_W, ROT_H, 25.0, ROT_N, r * 90, NULL, 1, NULL, 1);
    }
    st = st ? st : write_clip("vfr.mp4", ROT_W, ROT_H, 25.0, VFR_N, 0, NULL, 1, vfr_times, 0);
    st = st ? st : write_clip("anim.gif", ROT_W, ROT_H, 25.0, 12, 0, "gif", 0, NULL, 1);
    st = st ? st : write_clip("noframes.mp4", ROT_W, ROT_H, 25.0, 0, 0, NULL, 1, NULL, 0);
    st = st ? st : write_clip("base.mkv", BASE_W, BASE_H, BASE_FPS, BASE_N, 0, NULL, 0, NULL, 0);
    for (size_t i = 0; i < sizeof container_cases / sizeof container_cases[0] && st == HC_OK; i++)
        st = write_clip(container_cases[i].name, ROT_W, ROT_H, 25.0, CONT_N, 0,
                        container_cases[i].codec, 1, NULL, 1);
    if (st != HC_OK) {
        fprintf(stderr, "cannot generate test clips: %s\n", hc_last_error());
        exit(1);
    }
    char path[512];
    long n;
    tmp_path(path, sizeof path, "base.mp4");
    unsigned char *b = read_all(path, &n);
    write_all("cut85.mp4", b, n * 85 / 100);
    write_all("cut30.mp4", b, n * 30 / 100);
    uint32_t seed = 99;
    unsigned char *g = malloc((size_t)n);
    memcpy(g, b, (size_t)n);
    for (long i = n * 45 / 100; i < n * 55 / 100; i++)
        g[i] = (unsigned char)lcg(&seed);
    write_all("garbage.mp4", g, n);
    long mdat = find_box(b, n, "mdat");
    if (mdat < 0) {
        fprintf(stderr, "base.mp4 has no mdat box\n");
        exit(1);
    }
    write_all("cut-after-index.mp4", b, mdat + 8 + 16);
    free(g);
    free(b);
    tmp_path(path, sizeof path, "base-nofs.mp4");
    b = read_all(path, &n);
    write_all("cut-nofaststart.mp4", b, n * 4 / 10);
    free(b);
    tmp_path(path, sizeof path, "base.mkv");
    b = read_all(path, &n);
    write_all("cut85.mkv", b, n * 85 / 100);
    write_all("cut30.mkv", b, n * 30 / 100);
    free(b);
    make_wav("audio.wav");
    make_huge_gif("huge.gif");
    tmp_path(path, sizeof path, "subdir");
    mkdir(path, 0700);
}

static void remove_fixtures(void)
{
    static const char *const names[] = {"base.mp4",
                                        "base-nofs.mp4",
                                        "rot0.mp4",
                                        "rot90.mp4",
                                        "rot180.mp4",
                                        "rot270.mp4",
                                        "vfr.mp4",
                                        "anim.gif",
                                        "noframes.mp4",
                                        "cut85.mp4",
                                        "cut30.mp4",
                                        "garbage.mp4",
                                        "cut-after-index.mp4",
                                        "cut-nofaststart.mp4",
                                        "audio.wav",
                                        "huge.gif",
                                        "bad.mp4",
                                        "base.mkv",
                                        "cut85.mkv",
                                        "cut30.mkv",
                                        "clip.mkv",
                                        "clip.mov",
                                        "clip.avi",
                                        "clip-mpeg4.mp4",
                                        "raw.h264"};
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        tmp_path(path, sizeof path, names[i]);
        unlink(path);
    }
    tmp_path(path, sizeof path, "subdir");
    rmdir(path);
    rmdir(tmpdir);
}

int main(void)
{
    make_fixtures();
    Suite *s = suite_create("video");
    TCase *tc = tcase_create("decode");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, base_clip_counts_and_times);
    tcase_add_loop_test(tc, rotation_applied, 0, (int)(sizeof rot_cases / sizeof rot_cases[0]));
    tcase_add_loop_test(tc, orientation_from_matrix, 0,
                        (int)(sizeof matrix_cases / sizeof matrix_cases[0]));
    tcase_add_loop_test(tc, orient_rgb_all_cases, 0, 16);
    tcase_add_test(tc, vfr_times_kept);
    tcase_add_test(tc, gif_round_trip);
    tcase_add_loop_test(tc, container_round_trip, 0,
                        (int)(sizeof container_cases / sizeof container_cases[0]));
    tcase_add_loop_test(tc, trim_start_end, 0, (int)(sizeof trim_cases / sizeof trim_cases[0]));
    tcase_add_test(tc, trim_out_of_range);
    tcase_add_loop_test(tc, error_paths, 0, (int)(sizeof error_cases / sizeof error_cases[0]));
    tcase_add_loop_test(tc, damaged_mid_stream, 0,
                        (int)(sizeof damaged_cases / sizeof damaged_cases[0]));
    tcase_add_test(tc, writer_refuses_bad_params);
    tcase_add_test(tc, oversize_refused_before_decoding);
    tcase_add_test(tc, odd_rotation_warned_once);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    remove_fixtures();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
