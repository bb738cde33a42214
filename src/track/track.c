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
    fprintf(f, ",\"width\":%d,\"height\":%d,\"fps\":%.17g,\"duration_s\":%.17g,\"rotation_deg\":%d,"
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

/* An analysis' measurements on the frame, as keys after "world" (docs/TRACK.md, "What an
 * analysis adds"). Floats to 9 significant digits and the spine to 17: read back, they are the
 * same numbers, so a re-scored track judges as the analysis did. */
static void write_extra(FILE *f, const struct hc_track_extra *x)
{
    if (!x)
        return;
    if (x->has_implement) {
        fputs(",\"implement\":[", f);
        write_json_string(f, x->implement_kind);
        fprintf(f, ",%.9g,%.9g,%.9g,%.9g,%.9g]", fin(x->implement_cx_px), fin(x->implement_cy_px),
                fin(x->implement_r_px), fin(x->implement_quality), fin(x->implement_shin_px));
    }
    if (x->has_spine_mask && isfinite(x->spine_mask))
        fprintf(f, ",\"spine_mask\":[%.17g,%.9g]", x->spine_mask, fin(x->spine_mask_conf));
}

int track_write_frame_extra(FILE *f, const struct hc_pose_frame *fr,
                            const struct hc_track_extra *x, int exact)
{
    fprintf(f, exact ? "{\"frame\":%lld,\"t\":%.17g,\"landmarks\":"
                     : "{\"frame\":%lld,\"t\":%.6f,\"landmarks\":",
            (long long)fr->index, fr->t_s);
    if (!fr->has_pose) {
        fputs("null,\"world\":null", f);
        write_extra(f, x);
        fputs("}\n", f);
        return ferror(f) ? -1 : 0;
    }
    fputc('[', f);
    for (int i = 0; i < HC_N_LANDMARKS; i++) {
        const struct hc_landmark *l = &fr->lm[i];
        fprintf(f, exact ? "%s[%.9g,%.9g,%.9g,%.9g]" : "%s[%.3f,%.3f,%.5f,%.4f]", i ? "," : "",
                fin(l->x_px), fin(l->y_px), fin(l->z), fin(l->visibility));
    }
    fputs("],\"world\":[", f);
    for (int i = 0; i < HC_N_LANDMARKS; i++)
        fprintf(f, exact ? "%s[%.9g,%.9g,%.9g]" : "%s[%.5f,%.5f,%.5f]", i ? "," : "",
                fin(fr->world_m[i][0]), fin(fr->world_m[i][1]), fin(fr->world_m[i][2]));
    fputc(']', f);
    write_extra(f, x);
    fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}

int track_write_frame(FILE *f, const struct hc_pose_frame *fr)
{
    return track_write_frame_extra(f, fr, NULL, 0);
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
    return hc_track_writer_write_extra(w, f, NULL);
}

enum hc_status hc_track_writer_write_extra(struct hc_track_writer *w,
                                           const struct hc_pose_frame *f,
                                           const struct hc_track_extra *x)
{
    if (!w || !f)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_track_writer_write: no writer or frame");
    if (track_write_frame_extra(w->f, f, x, 0) != 0)
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

/* A number field: absent gives `def`; present, it must be a finite number in [lo, hi]. Returns -1
 * when present and not such a number (a cast of 1e300 to int would be undefined). */
static int num_in(const cJSON *o, const char *key, double lo, double hi, double def, double *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = def;
    if (!it)
        return 0;
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < lo ||
        it->valuedouble > hi)
        return -1;
    *out = it->valuedouble;
    return 0;
}

/* The same for the optional facts of a .meta.json: out of range reads as absent. */
static double num(const cJSON *o, const char *key, double lo, double hi, double def)
{
    double v;
    return num_in(o, key, lo, hi, def, &v) == 0 ? v : def;
}

static void str(const cJSON *o, const char *key, char *dst, size_t n)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(it))
        copy_str(dst, n, it->valuestring);
}

/* Checks and reads the header line; returns NULL or what is wrong with it. */
static const char *read_header(const cJSON *o, struct hc_track_header *h)
{
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(o, "hingecheck_track");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != TRACK_FORMAT_VERSION)
        return "\"hingecheck_track\" must be 1 (the only format version this reader knows)";
    double w, hh, fps, dur, rot, nfe;
    if (num_in(o, "width", 1, TRACK_MAX_DIM_PX, 0, &w) || num_in(o, "height", 1,
                                                                   TRACK_MAX_DIM_PX, 0, &hh))
        return "\"width\" and \"height\" must be 1 .. 8192 px";
    if (num_in(o, "fps", 1e-3, TRACK_MAX_FPS, 0, &fps))
        return "\"fps\" must be a positive number up to 1000";
    if (num_in(o, "duration_s", 0, 1e7, 0, &dur) || num_in(o, "rotation_deg", 0, 270, 0, &rot) ||
        ((int)rot % 90) != 0 || num_in(o, "n_frames_estimate", 0, 1e12, 0, &nfe))
        return "\"duration_s\", \"rotation_deg\" (0, 90, 180, 270) or \"n_frames_estimate\" out "
               "of range";
    str(o, "source", h->source, sizeof h->source);
    str(o, "version", h->version, sizeof h->version);
    str(o, "model", h->model, sizeof h->model);
    h->width_px = (int)w;
    h->height_px = (int)hh;
    h->fps = fps;
    h->duration_s = dur;
    h->rotation_deg = (int)rot;
    h->n_frames_estimate = (int64_t)nfe;
    h->smooth = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "smooth"));
    return NULL;
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
    if (cJSON_IsObject(src) && num(src, "height", 1, TRACK_MAX_DIM_PX, 0) > 0) {
        t->has_header = 1;
        t->header.width_px = (int)num(src, "width", 1, TRACK_MAX_DIM_PX, 0);
        t->header.height_px = (int)num(src, "height", 1, TRACK_MAX_DIM_PX, 0);
        t->header.fps = num(src, "native_fps", 1e-3, TRACK_MAX_FPS, 0);
        t->header.rotation_deg = (int)num(src, "rotation", 0, 270, 0);
        str(src, "file", t->header.source, sizeof t->header.source);
        static const char *const names[] = {"lite", "full", "heavy"};
        const int mc = (int)num(opt, "modelComplexity", 0, 2, 1);
        copy_str(t->header.model, sizeof t->header.model, names[mc]);
        t->header.smooth = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opt, "smoothLandmarks"));
        copy_str(t->header.version, sizeof t->header.version, "mediapipe");
    }
    cJSON_Delete(o);
}

/* Reads `n` rows of `width` finite numbers from array `a` into dst (row-major). */
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
            /* beyond float range (or not finite) is no pixel, depth or visibility */
            if (!cJSON_IsNumber(v) || !(fabs(v->valuedouble) <= 1e30))
                return -1;
            dst[i * width + k++] = (float)v->valuedouble;
        }
        i++;
    }
    return 0;
}

/* The keys an analysis adds (write_extra). Returns 0 (x filled, maybe with nothing), -1 when a
 * key is there but malformed. */
static int parse_extra(const cJSON *o, struct hc_track_extra *x)
{
    memset(x, 0, sizeof *x);
    const cJSON *im = cJSON_GetObjectItemCaseSensitive(o, "implement");
    if (im && !cJSON_IsNull(im)) {
        if (!cJSON_IsArray(im) || cJSON_GetArraySize(im) != 6)
            return -1;
        const cJSON *k = cJSON_GetArrayItem(im, 0);
        if (!cJSON_IsString(k) || strlen(k->valuestring) >= sizeof x->implement_kind)
            return -1;
        copy_str(x->implement_kind, sizeof x->implement_kind, k->valuestring);
        float v[5];
        for (int i = 0; i < 5; i++) {
            const cJSON *e = cJSON_GetArrayItem(im, i + 1);
            if (!cJSON_IsNumber(e) || !(fabs(e->valuedouble) <= 1e6))
                return -1;
            v[i] = (float)e->valuedouble;
        }
        x->implement_cx_px = v[0];
        x->implement_cy_px = v[1];
        x->implement_r_px = v[2];
        x->implement_quality = v[3];
        x->implement_shin_px = v[4];
        x->has_implement = 1;
    }
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(o, "spine_mask");
    if (sp && !cJSON_IsNull(sp)) {
        const cJSON *v = cJSON_GetArrayItem(sp, 0), *c = cJSON_GetArrayItem(sp, 1);
        if (!cJSON_IsArray(sp) || cJSON_GetArraySize(sp) != 2 || !cJSON_IsNumber(v) ||
            !cJSON_IsNumber(c) || !(fabs(v->valuedouble) <= 1e3) ||
            !(c->valuedouble >= 0 && c->valuedouble <= 1))
            return -1;
        x->spine_mask = v->valuedouble;
        x->spine_mask_conf = (float)c->valuedouble;
        x->has_spine_mask = 1;
    }
    return 0;
}

static int parse_frame(const cJSON *o, struct hc_pose_frame *fr)
{
    memset(fr, 0, sizeof *fr);
    const cJSON *idx = cJSON_GetObjectItemCaseSensitive(o, "frame");
    double t;
    if (!cJSON_IsNumber(idx) || !(idx->valuedouble >= 0 && idx->valuedouble <= 1e15) ||
        num_in(o, "t", -1e7, 1e7, 0, &t))
        return -1;
    fr->index = (int64_t)idx->valuedouble;
    fr->t_s = t;
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

/* Reads one line into buf (at most TRACK_MAX_LINE_BYTES, then a '\0'), without its line end.
 * Returns its length, -1 at the end of the file, -2 when the line is longer than the limit, -3
 * when it holds a NUL byte (text files have none). Lines are bounded before anything is kept, so
 * /dev/zero or a file without line ends costs one buffer, not the file's size. */
static long read_line(FILE *f, char *buf)
{
    long n = 0;
    int c, nul = 0;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (n == TRACK_MAX_LINE_BYTES)
            return -2;
        nul |= c == 0;
        buf[n++] = (char)c;
    }
    if (c == EOF && n == 0)
        return -1;
    while (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return nul ? -3 : n;
}

enum hc_status track_read_stream(FILE *f, const char *name, struct hc_track **out)
{
    *out = NULL;
    enum hc_status st = HC_OK;
    struct hc_track *t = calloc(1, sizeof *t);
    char *line = malloc(TRACK_MAX_LINE_BYTES + 1);
    int64_t cap = 0;
    long lineno = 0, len;
    if (!t || !line) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto fail;
    }
    while ((len = read_line(f, line)) != -1) {
        lineno++;
        if (len == -2) {
            st = hc_fail(HC_ERR_TOO_LARGE, "%s:%ld: line longer than %d bytes (a frame line is "
                         "about 2.5 KB); is this a track file (hingecheck pose -o)?", name,
                         lineno, TRACK_MAX_LINE_BYTES);
            goto fail;
        }
        if (len == -3) {
            st = hc_fail(HC_ERR_FORMAT, "%s:%ld: NUL byte in the line; is this a track file "
                         "(hingecheck pose -o)?", name, lineno);
            goto fail;
        }
        if (len == 0)
            continue;
        const char *end = NULL;
        cJSON *o = cJSON_ParseWithLengthOpts(line, (size_t)len, &end, 0);
        /* one object per line: anything after it but blanks is a second value or garbage */
        while (o && end && end < line + len && (*end == ' ' || *end == '\t'))
            end++;
        if (!cJSON_IsObject(o) || end != line + len) {
            cJSON_Delete(o);
            st = hc_fail(HC_ERR_FORMAT, "%s:%ld: not one JSON object; is this a track file "
                         "(hingecheck pose -o)?", name, lineno);
            goto fail;
        }
        if (cJSON_GetObjectItemCaseSensitive(o, "hingecheck_track")) {
            const char *bad = t->has_header || t->n_frames ? "a second header line, or a header "
                                                             "after frames"
                                                           : read_header(o, &t->header);
            cJSON_Delete(o);
            if (bad) {
                st = hc_fail(HC_ERR_FORMAT, "%s:%ld: bad header: %s; regenerate it with "
                             "hingecheck pose", name, lineno, bad);
                goto fail;
            }
            t->has_header = 1;
            continue;
        }
        if (t->n_frames == cap) {
            if (cap == TRACK_MAX_FRAMES) {
                cJSON_Delete(o);
                st = hc_fail(HC_ERR_TOO_LARGE, "%s:%ld: more than %d frames (an hour at 60 fps); "
                             "split the track", name, lineno, TRACK_MAX_FRAMES);
                goto fail;
            }
            int64_t ncap = cap ? cap * 2 : 256;
            if (ncap > TRACK_MAX_FRAMES)
                ncap = TRACK_MAX_FRAMES;
            struct hc_pose_frame *nf = realloc(t->frames, (size_t)ncap * sizeof *nf);
            if (!nf) {
                cJSON_Delete(o);
                st = hc_fail(HC_ERR_NOMEM, "%s: out of memory reading %lld frames", name,
                             (long long)t->n_frames);
                goto fail;
            }
            t->frames = nf;
            if (t->extra) {
                struct hc_track_extra *nx = realloc(t->extra, (size_t)ncap * sizeof *nx);
                if (!nx) {
                    cJSON_Delete(o);
                    st = hc_fail(HC_ERR_NOMEM, "%s: out of memory reading %lld frames", name,
                                 (long long)t->n_frames);
                    goto fail;
                }
                t->extra = nx;
            }
            cap = ncap;
        }
        struct hc_pose_frame *fr = &t->frames[t->n_frames];
        struct hc_track_extra x;
        int bad = parse_frame(o, fr);
        const int bad_extra = !bad && parse_extra(o, &x);
        cJSON_Delete(o);
        if (bad) {
            st = hc_fail(HC_ERR_FORMAT, "%s:%ld: malformed frame (needs \"frame\", and "
                         "\"landmarks\" as null or 33 [x, y, z, visibility] of finite numbers); "
                         "regenerate it with hingecheck pose", name, lineno);
            goto fail;
        }
        if (bad_extra) {
            st = hc_fail(HC_ERR_FORMAT, "%s:%ld: malformed \"implement\" (a kind and 5 numbers) "
                         "or \"spine_mask\" (a value and a confidence 0-1); regenerate it with "
                         "hingecheck VIDEO --track", name, lineno);
            goto fail;
        }
        if ((x.has_implement || x.has_spine_mask) && !t->extra) {
            /* the first frame with an analysis' measurements: every frame gets an entry */
            t->extra = calloc((size_t)cap, sizeof *t->extra);
            if (!t->extra) {
                st = hc_fail(HC_ERR_NOMEM, "%s: out of memory reading %lld frames", name,
                             (long long)t->n_frames);
                goto fail;
            }
        }
        if (t->extra)
            t->extra[t->n_frames] = x;
        if (t->n_frames > 0 && fr->index <= fr[-1].index) {
            st = hc_fail(HC_ERR_FORMAT, "%s:%ld: frame %lld after frame %lld (frame numbers must "
                         "increase: a duplicated or reordered line); regenerate it with "
                         "hingecheck pose", name, lineno, (long long)fr->index,
                         (long long)fr[-1].index);
            goto fail;
        }
        t->n_frames++;
    }
    if (ferror(f)) {
        st = hc_fail(HC_ERR_IO, "%s: read error (%s)", name, strerror(errno));
        goto fail;
    }
    free(line);
    *out = t;
    return HC_OK;
fail:
    free(line);
    hc_track_free(t);
    return st;
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
    enum hc_status st = track_read_stream(f, path, out);
    fclose(f);
    if (st == HC_OK && !(*out)->has_header)
        read_meta(path, *out);
    return st;
}

void hc_track_free(struct hc_track *t)
{
    if (!t)
        return;
    free(t->frames);
    free(t->extra);
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
