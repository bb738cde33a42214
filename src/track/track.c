/*
 * track.c - the track JSONL format: writer (plain stdio: one short line per frame, no DOM),
 * reader (cJSON, one line at a time), and the comparison of two tracks of the same clip.
 *
 * Precision written: pixels to 1/1000 px, z and world coordinates to 1e-5, visibility to 1e-4 -
 * far below what the models resolve (MediaPipe itself differs by ~0.16% of the frame height between
 * two renderers, ../shared/mpref/README.md), and it keeps a 1080p60 minute under 20 MB.
 */
#define _POSIX_C_SOURCE 200809L
#include "track/track.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct hc_track_writer {
    FILE *f;
    int owned;
    char path[512];
};

static void copy_str(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static void write_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

int track_write_header(FILE *f, const struct hc_track_header *h)
{
    fprintf(f, "{\"hingecheck_track\":%d,\"version\":", TRACK_FORMAT_VERSION);
    write_json_string(f, h->version[0] ? h->version : hc_version());
    fputs(",\"source\":", f);
    write_json_string(f, h->source);
    fprintf(f, ",\"width\":%d,\"height\":%d,\"fps\":%.6g,\"duration_s\":%.6f,\"rotation_deg\":%d,"
               "\"n_frames_estimate\":%lld,\"model\":",
            h->width_px, h->height_px, h->fps, h->duration_s, h->rotation_deg,
            (long long)h->n_frames_estimate);
    write_json_string(f, h->model);
    fprintf(f, ",\"smooth\":%s,\"landmark_format\":\"[x_px, y_px, z, visibility]; world [x_m, "
               "y_m, z_m]\"}\n",
            h->smooth ? "true" : "false");
    return ferror(f) ? -1 : 0;
}

/* Non-finite numbers are not JSON: write 0 (the model never produces them on real input). */
static double fin(float v)
{
    return isfinite(v) ? (double)v : 0.0;
}

int track_write_frame(FILE *f, const struct hc_pose_frame *fr)
{
    fprintf(f, "{\"frame\":%lld,\"t\":%.6f,\"landmarks\":", (long long)fr->index, fr->t_s);
    if (!fr->has_pose) {
        fputs("null,\"world\":null}\n", f);
        return ferror(f) ? -1 : 0;
    }
    fputc('[', f);
    for (int i = 0; i < HC_N_LANDMARKS; i++) {
        const struct hc_landmark *l = &fr->lm[i];
        fprintf(f, "%s[%.3f,%.3f,%.5f,%.4f]", i ? "," : "", fin(l->x_px), fin(l->y_px), fin(l->z),
                fin(l->visibility));
    }
    fputs("],\"world\":[", f);
    for (int i = 0; i < HC_N_LANDMARKS; i++)
        fprintf(f, "%s[%.5f,%.5f,%.5f]", i ? "," : "", fin(fr->world_m[i][0]),
                fin(fr->world_m[i][1]), fin(fr->world_m[i][2]));
    fputs("]}\n", f);
    return ferror(f) ? -1 : 0;
}

enum hc_status hc_track_writer_open(const char *path, const struct hc_track_header *h,
                                    struct hc_track_writer **out)
{
    *out = NULL;
    if (!path || !h)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_track_writer_open: no path or header");
    struct hc_track_writer *w = calloc(1, sizeof *w);
    if (!w)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
    copy_str(w->path, sizeof w->path, path);
    if (strcmp(path, "-") == 0) {
        w->f = stdout;
    } else {
        w->f = fopen(path, "w");
        w->owned = 1;
        if (!w->f) {
            enum hc_status st = hc_fail(HC_ERR_IO, "%s: cannot create the track file (%s); check "
                                        "the directory exists and is writable", path,
                                        strerror(errno));
            free(w);
            return st;
        }
    }
    if (track_write_header(w->f, h) != 0) {
        hc_track_writer_close(w);
        return hc_fail(HC_ERR_IO, "%s: cannot write the track file; check free disk space", path);
    }
    *out = w;
    return HC_OK;
}

enum hc_status hc_track_writer_write(struct hc_track_writer *w, const struct hc_pose_frame *f)
{
    if (!w || !f)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_track_writer_write: no writer or frame");
    if (track_write_frame(w->f, f) != 0)
        return hc_fail(HC_ERR_IO, "%s: cannot write the track file; check free disk space",
                       w->path);
    return HC_OK;
}

enum hc_status hc_track_writer_close(struct hc_track_writer *w)
{
    if (!w)
        return HC_OK;
    int bad = fflush(w->f) != 0 || ferror(w->f);
    if (w->owned && fclose(w->f) != 0)
        bad = 1;
    enum hc_status st = HC_OK;
    if (bad)
        st = hc_fail(HC_ERR_IO, "%s: the track file is incomplete (write failed); check free "
                     "disk space", w->path);
    free(w);
    return st;
}

/* ---- reading ---------------------------------------------------------------------------- */

static double num(const cJSON *o, const char *key, double def)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(it) ? it->valuedouble : def;
}

static void str(const cJSON *o, const char *key, char *dst, size_t n)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(it))
        copy_str(dst, n, it->valuestring);
}

static void read_header(const cJSON *o, struct hc_track_header *h)
{
    str(o, "source", h->source, sizeof h->source);
    str(o, "version", h->version, sizeof h->version);
    str(o, "model", h->model, sizeof h->model);
    h->width_px = (int)num(o, "width", 0);
    h->height_px = (int)num(o, "height", 0);
    h->fps = num(o, "fps", 0);
    h->duration_s = num(o, "duration_s", 0);
    h->rotation_deg = (int)num(o, "rotation_deg", 0);
    h->n_frames_estimate = (int64_t)num(o, "n_frames_estimate", 0);
    h->smooth = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "smooth"));
}

/* ../shared/mpref writes its facts beside the track: {"source": {"width", "height", "file",
 * "native_fps", "rotation"}, "options": {"modelComplexity", "smoothLandmarks"}}. */
static void read_meta(const char *path, struct hc_track *t)
{
    char meta[1024];
    snprintf(meta, sizeof meta, "%s.meta.json", path);
    FILE *f = fopen(meta, "rb");
    if (!f)
        return;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && len < (1u << 20)) {
        char *nb = realloc(buf, cap = len + got + 1);
        if (!nb)
            break;
        buf = nb;
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf)
        return;
    buf[len] = '\0';
    cJSON *o = cJSON_Parse(buf);
    free(buf);
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
    const cJSON *opt = cJSON_GetObjectItemCaseSensitive(o, "options");
    if (cJSON_IsObject(src) && num(src, "height", 0) > 0) {
        t->has_header = 1;
        t->header.width_px = (int)num(src, "width", 0);
        t->header.height_px = (int)num(src, "height", 0);
        t->header.fps = num(src, "native_fps", 0);
        t->header.rotation_deg = (int)num(src, "rotation", 0);
        str(src, "file", t->header.source, sizeof t->header.source);
        static const char *const names[] = {"lite", "full", "heavy"};
        const int mc = (int)num(opt, "modelComplexity", 1);
        copy_str(t->header.model, sizeof t->header.model, names[mc >= 0 && mc <= 2 ? mc : 1]);
        t->header.smooth = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opt, "smoothLandmarks"));
        copy_str(t->header.version, sizeof t->header.version, "mediapipe");
    }
    cJSON_Delete(o);
}

/* Reads `n` rows of `width` numbers from array `a` into dst (row-major). */
static int read_rows(const cJSON *a, int n, int width, float *dst)
{
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return -1;
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, a) {
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) < width)
            return -1;
        int k = 0;
        const cJSON *v;
        cJSON_ArrayForEach(v, row) {
            if (k >= width)
                break;
            if (!cJSON_IsNumber(v))
                return -1;
            dst[i * width + k++] = (float)v->valuedouble;
        }
        i++;
    }
    return 0;
}

static int parse_frame(const cJSON *o, struct hc_pose_frame *fr)
{
    memset(fr, 0, sizeof *fr);
    const cJSON *idx = cJSON_GetObjectItemCaseSensitive(o, "frame");
    if (!cJSON_IsNumber(idx) || idx->valuedouble < 0)
        return -1;
    fr->index = (int64_t)idx->valuedouble;
    fr->t_s = num(o, "t", 0);
    const cJSON *lm = cJSON_GetObjectItemCaseSensitive(o, "landmarks");
    if (cJSON_IsNull(lm) || !lm)
        return 0;
    float rows[HC_N_LANDMARKS * 4];
    if (read_rows(lm, HC_N_LANDMARKS, 4, rows) != 0)
        return -1;
    for (int i = 0; i < HC_N_LANDMARKS; i++) {
        fr->lm[i].x_px = rows[i * 4 + 0];
        fr->lm[i].y_px = rows[i * 4 + 1];
        fr->lm[i].z = rows[i * 4 + 2];
        fr->lm[i].visibility = rows[i * 4 + 3];
    }
    const cJSON *wd = cJSON_GetObjectItemCaseSensitive(o, "world");
    if (wd && !cJSON_IsNull(wd) && read_rows(wd, HC_N_LANDMARKS, 3, &fr->world_m[0][0]) != 0)
        return -1;
    fr->has_pose = 1;
    return 0;
}

enum hc_status hc_track_read(const char *path, struct hc_track **out)
{
    *out = NULL;
    if (!path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_track_read: no path");
    FILE *f = fopen(path, "rb");
    if (!f)
        return hc_fail(HC_ERR_IO, "%s: cannot open the track file (%s); check the path", path,
                       strerror(errno));
    enum hc_status st = HC_OK;
    struct hc_track *t = calloc(1, sizeof *t);
    char *line = NULL;
    size_t line_cap = 0;
    int64_t cap = 0;
    long lineno = 0;
    ssize_t len;
    if (!t) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        if (!cJSON_IsObject(o)) {
            cJSON_Delete(o);
            st = hc_fail(HC_ERR_FORMAT, "%s:%ld: not a JSON object; is this a track file "
                         "(hingecheck pose -o)?", path, lineno);
            goto fail;
        }
        if (cJSON_GetObjectItemCaseSensitive(o, "hingecheck_track")) {
            read_header(o, &t->header);
            t->has_header = 1;
            cJSON_Delete(o);
            continue;
        }
        if (t->n_frames == cap) {
            int64_t ncap = cap ? cap * 2 : 256;
            struct hc_pose_frame *nf = realloc(t->frames, (size_t)ncap * sizeof *nf);
            if (!nf) {
                cJSON_Delete(o);
                st = hc_fail(HC_ERR_NOMEM, "%s: out of memory reading %lld frames", path,
                             (long long)t->n_frames);
                goto fail;
            }
            t->frames = nf;
            cap = ncap;
        }
        int bad = parse_frame(o, &t->frames[t->n_frames]);
        cJSON_Delete(o);
        if (bad) {
            st = hc_fail(HC_ERR_FORMAT, "%s:%ld: malformed frame (needs \"frame\", and "
                         "\"landmarks\" as null or 33 [x, y, z, visibility]); regenerate it with "
                         "hingecheck pose", path, lineno);
            goto fail;
        }
        t->n_frames++;
    }
    if (ferror(f)) {
        st = hc_fail(HC_ERR_IO, "%s: read error (%s)", path, strerror(errno));
        goto fail;
    }
    if (!t->has_header)
        read_meta(path, t);
    free(line);
    fclose(f);
    *out = t;
    return HC_OK;
fail:
    free(line);
    fclose(f);
    hc_track_free(t);
    return st;
}

void hc_track_free(struct hc_track *t)
{
    if (!t)
        return;
    free(t->frames);
    free(t);
}

/* ---- comparison ------------------------------------------------------------------------- */

/* The q-quantile by linear interpolation between order statistics (numpy's default). */
static double quantile(const double *sorted, int64_t n, double q)
{
    if (n <= 0)
        return 0.0;
    const double pos = q * (double)(n - 1);
    const int64_t i = (int64_t)floor(pos);
    const double frac = pos - (double)i;
    return i + 1 < n ? sorted[i] * (1.0 - frac) + sorted[i + 1] * frac : sorted[n - 1];
}

static const struct hc_pose_frame *find_frame(const struct hc_track *t, int64_t index,
                                              int64_t *hint)
{
    /* Frames are written in order; the hint makes the usual case O(1). */
    if (*hint < t->n_frames && t->frames[*hint].index == index)
        return &t->frames[(*hint)++];
    for (int64_t i = 0; i < t->n_frames; i++)
        if (t->frames[i].index == index) {
            *hint = i + 1;
            return &t->frames[i];
        }
    return NULL;
}

enum hc_status hc_track_compare(const struct hc_track *a, const struct hc_track *b,
                                double min_visibility, struct hc_track_diff *out)
{
    memset(out, 0, sizeof *out);
    const double h = a->has_header && a->header.height_px > 0   ? a->header.height_px
                     : b->has_header && b->header.height_px > 0 ? b->header.height_px
                                                                 : 0.0;
    if (h <= 0)
        return hc_fail(HC_ERR_INVALID_ARG, "neither track gives the frame height (no header "
                       "line, no .meta.json); write tracks with hingecheck pose");
    out->height_px = h;
    size_t n_max = 0;
    if (hc_mul_size((size_t)(a->n_frames > 0 ? a->n_frames : 0), HC_N_LANDMARKS, &n_max))
        return hc_fail(HC_ERR_TOO_LARGE, "track too long to compare");
    double *d = malloc((n_max ? n_max : 1) * sizeof *d);
    if (!d)
        return hc_fail(HC_ERR_NOMEM, "out of memory comparing tracks");
    int64_t hint = 0, n = 0;
    for (int64_t i = 0; i < a->n_frames; i++) {
        const struct hc_pose_frame *fa = &a->frames[i];
        const struct hc_pose_frame *fb = find_frame(b, fa->index, &hint);
        if (!fb)
            continue;
        out->n_frames++;
        if (fa->has_pose && fb->has_pose) {
            out->n_both++;
            for (int k = 0; k < HC_N_LANDMARKS; k++) {
                if (!(fa->lm[k].visibility > min_visibility && fb->lm[k].visibility > min_visibility))
                    continue;
                const double dx = (double)fa->lm[k].x_px - fb->lm[k].x_px;
                const double dy = (double)fa->lm[k].y_px - fb->lm[k].y_px;
                d[n++] = sqrt(dx * dx + dy * dy) / h;
            }
        } else if (fa->has_pose) {
            out->n_only_a++;
        } else if (fb->has_pose) {
            out->n_only_b++;
        }
    }
    qsort(d, (size_t)n, sizeof *d, hc_cmp_double);
    out->n_points = n;
    out->median_frac = quantile(d, n, 0.5);
    out->p95_frac = quantile(d, n, 0.95);
    free(d);
    return HC_OK;
}
