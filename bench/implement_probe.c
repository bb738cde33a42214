/* implement_probe.c - the implement stage (src/implement) over one clip and its pose track:
 *
 *     hingecheck pose CLIP -o track.jsonl
 *     implement_probe CLIP track.jsonl [--plate-cm 45] [--png DIR] [--png-every 30] [--frames]
 *
 * prints one tab-separated line: clip, implement, confidence, share of frames with a lifter where
 * it was found, median diameter in px and in cm by the body's scale, px per cm, ms per frame,
 * frames, frames with a lifter, share of found frames that came from tracking, evidence.
 * --png writes every Nth frame with the found outline drawn (green plate, orange bell, blue
 * dumbbell; white cross: the hands' centre) as DIR/NNNNN.png; --frames prints each frame's finding.
 * A dev tool: not a test. */
#include "core/core.h"
#include "cv/cv_draw.h"
#include "implement/implement.h"
#include "track/track.h"
#include "video/video.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a PNG writer with stored (uncompressed) deflate blocks: no image library needed ---- */

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc_update(uint32_t c, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void chunk(FILE *f, const char *type, const uint8_t *data, uint32_t n)
{
    uint8_t hdr[8];
    put32(hdr, n);
    memcpy(hdr + 4, type, 4);
    fwrite(hdr, 1, 8, f);
    if (n)
        fwrite(data, 1, n, f);
    uint32_t c = crc_update(0xffffffffu, (const uint8_t *)type, 4);
    c = crc_update(c, data, n) ^ 0xffffffffu;
    uint8_t t[4];
    put32(t, c);
    fwrite(t, 1, 4, f);
}

static int write_png(const char *path, const uint8_t *rgb, int w, int h, int stride)
{
    const size_t raw_n = (size_t)h * (1 + 3 * (size_t)w);
    const size_t n_blocks = (raw_n + 65534) / 65535;
    const size_t z_n = 2 + raw_n + 5 * n_blocks + 4;
    uint8_t *raw = malloc(raw_n), *z = malloc(z_n);
    FILE *f = fopen(path, "wb");
    if (!raw || !z || !f) {
        free(raw);
        free(z);
        if (f)
            fclose(f);
        return -1;
    }
    for (int y = 0; y < h; y++) {
        raw[(size_t)y * (1 + 3 * (size_t)w)] = 0;
        memcpy(raw + (size_t)y * (1 + 3 * (size_t)w) + 1, rgb + (size_t)y * stride, 3 * (size_t)w);
    }
    size_t o = 0;
    z[o++] = 0x78;
    z[o++] = 0x01;
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < raw_n; i += 65535) {
        const size_t n = raw_n - i < 65535 ? raw_n - i : 65535;
        z[o++] = i + n == raw_n;
        z[o++] = (uint8_t)n;
        z[o++] = (uint8_t)(n >> 8);
        z[o++] = (uint8_t)~n;
        z[o++] = (uint8_t)(~n >> 8);
        memcpy(z + o, raw + i, n);
        o += n;
        for (size_t j = 0; j < n; j++) {
            a = (a + raw[i + j]) % 65521;
            b = (b + a) % 65521;
        }
    }
    put32(z + o, (b << 16) | a);
    o += 4;
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    fwrite(sig, 1, 8, f);
    uint8_t ihdr[13];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;
    ihdr[9] = 2;
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    chunk(f, "IHDR", ihdr, 13);
    chunk(f, "IDAT", z, (uint32_t)o);
    chunk(f, "IEND", NULL, 0);
    free(raw);
    free(z);
    return fclose(f) == 0 ? 0 : -1;
}

/* ---- the probe ---------------------------------------------------------------------------- */

static void draw(uint8_t *rgb, int w, int h, int stride, const struct implement_frame *f)
{
    const struct cv_canvas c = {rgb, w, h, stride};
    const struct cv_rgb white = {255, 255, 255};
    if (f->kind != IMPLEMENT_UNKNOWN) {
        cv_draw_line(&c, f->hand_x_px - 8, f->hand_y_px, f->hand_x_px + 8, f->hand_y_px, white, 2);
        cv_draw_line(&c, f->hand_x_px, f->hand_y_px - 8, f->hand_x_px, f->hand_y_px + 8, white, 2);
    }
    if (f->kind < IMPLEMENT_BARBELL)
        return;
    const struct cv_rgb col = f->kind == IMPLEMENT_BARBELL      ? (struct cv_rgb){40, 230, 40}
                              : f->kind == IMPLEMENT_KETTLEBELL ? (struct cv_rgb){255, 150, 0}
                                                                : (struct cv_rgb){60, 120, 255};
    cv_draw_circle(&c, f->cx_px, f->cy_px, f->r_px, col, 2);
    cv_draw_circle(&c, f->cx_px, f->cy_px, 3, col, -1);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: implement_probe CLIP TRACK.jsonl [--plate-cm CM] [--png DIR] "
                        "[--png-every N] [--frames]\n");
        return 1;
    }
    struct implement_params p = implement_default_params();
    const char *png_dir = NULL;
    int png_every = 30, print_frames = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--plate-cm") && i + 1 < argc)
            p.plate_cm = atof(argv[++i]);
        else if (!strcmp(argv[i], "--png") && i + 1 < argc)
            png_dir = argv[++i];
        else if (!strcmp(argv[i], "--png-every") && i + 1 < argc)
            png_every = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--frames"))
            print_frames = 1;
        else {
            fprintf(stderr, "implement_probe: unknown option %s\n", argv[i]);
            return 1;
        }
    }
    crc_init();
    struct hc_track *tr = NULL;
    struct video_decoder *dec = NULL;
    struct implement_detector *det = NULL;
    uint8_t *copy = NULL;
    int rc = 2;
    if (hc_track_read(argv[2], &tr) != HC_OK)
        goto fail;
    p.n_frames_hint = tr->n_frames;
    const struct video_open_params vp = video_default_open_params();
    if (video_decoder_open(argv[1], &vp, &dec) != HC_OK)
        goto fail;
    if (implement_detector_create(&p, &det) != HC_OK)
        goto fail;
    struct video_frame vf;
    enum hc_status st;
    int64_t ti = 0;
    while ((st = video_decoder_next(dec, &vf)) == HC_OK) {
        while (ti < tr->n_frames && tr->frames[ti].index < vf.index)
            ti++;
        if (ti >= tr->n_frames)
            break;
        if (tr->frames[ti].index != vf.index)
            continue;
        struct implement_frame f;
        if (implement_detector_feed(det, vf.rgb, vf.width_px, vf.height_px, vf.stride,
                                    &tr->frames[ti], &f) != HC_OK)
            goto fail;
        if (print_frames)
            printf("frame %lld %s q=%.2f gap=%.2f c=(%.1f,%.1f) r=%.1f hand=(%.1f,%.1f) shin=%.1f "
                   "tracked=%d %.2f ms\n",
                   (long long)f.index, implement_kind_name(f.kind), f.quality, f.gap, f.cx_px, f.cy_px,
                   f.r_px, f.hand_x_px, f.hand_y_px, f.shin_px, f.tracked, f.ms);
        if (png_dir && png_every > 0 && vf.index % png_every == 0) {
            if (!copy)
                copy = malloc((size_t)vf.height_px * (size_t)vf.stride);
            if (!copy)
                goto fail;
            memcpy(copy, vf.rgb, (size_t)vf.height_px * (size_t)vf.stride);
            draw(copy, vf.width_px, vf.height_px, vf.stride, &f);
            char path[4096];
            snprintf(path, sizeof path, "%s/%05lld.png", png_dir, (long long)vf.index);
            /* a square of 3.2 shins around the hands: what the search sees, small enough to view */
            int x0 = 0, y0 = 0, cw = vf.width_px, ch = vf.height_px;
            if (f.kind != IMPLEMENT_UNKNOWN && f.shin_px > 0) {
                const int side = (int)fmin(fmin(vf.width_px, vf.height_px), 3.2 * f.shin_px);
                x0 = (int)fmax(0, fmin(vf.width_px - side, f.hand_x_px - side / 2));
                y0 = (int)fmax(0, fmin(vf.height_px - side, f.hand_y_px - side / 2));
                cw = ch = side;
            }
            if (write_png(path, copy + (size_t)y0 * vf.stride + 3 * (size_t)x0, cw, ch,
                          vf.stride) != 0) {
                fprintf(stderr, "implement_probe: cannot write %s\n", path);
                goto fail;
            }
        }
    }
    if (st != HC_OK && st != HC_ERR_EMPTY)
        goto fail;
    struct implement_verdict v;
    if (implement_detector_verdict(det, &v) != HC_OK)
        goto fail;
    int64_t n_tracked = 0, n_found = 0;
    const struct implement_frame *fr = implement_detector_frames(det, &ti);
    for (int64_t i = 0; i < ti; i++)
        if (fr[i].kind >= IMPLEMENT_BARBELL) {
            n_found++;
            n_tracked += fr[i].tracked;
        }
    const char *base = strrchr(argv[1], '/');
    printf("%s\t%s\t%.2f\t%.2f\t%.0f\t%.1f\t%.2f\t%.2f\t%lld\t%lld\t%.2f\t%s\n",
           base ? base + 1 : argv[1], implement_kind_name(v.kind), v.confidence, v.share_found,
           v.diameter_px, v.diameter_cm_body, v.px_per_cm, v.ms_per_frame, (long long)v.n_frames,
           (long long)v.n_analysed, n_found ? (double)n_tracked / (double)n_found : 0.0,
           v.evidence);
    rc = 0;
fail:
    if (rc)
        fprintf(stderr, "implement_probe: %s\n", hc_last_error());
    free(copy);
    implement_detector_free(det);
    video_decoder_free(dec);
    hc_track_free(tr);
    return rc;
}
