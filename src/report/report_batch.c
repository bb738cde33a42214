#define _POSIX_C_SOURCE 200809L
/* report_batch.c - the batch's per-clip rows. The summary is rebuilt from the per-clip reports
 * on disk at the end of every run (not kept in memory), so a run killed at any point and
 * resumed, or shards run on other machines into the same folder, give the same summary as one
 * uninterrupted run: the reports are the only state. */
#include "report/report_batch.h"

#include "report/report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A per-clip report is a few KB to a few hundred (with --series); anything much larger is not
 * one of ours. */
#define REPORT_MAX_BYTES (64L * 1024 * 1024)

static const char *const severity_names[] = {"info", "warning", "error"};

static void copy_str(char *dst, size_t n, const cJSON *item)
{
    const char *s = cJSON_IsString(item) ? item->valuestring : "";
    snprintf(dst, n, "%s", s ? s : "");
}

static char *read_all(const char *path, enum hc_status *st)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *st = hc_fail(HC_ERR_IO, "%s: cannot open the report (%s)", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && len <= REPORT_MAX_BYTES &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL &&
        fread(buf, 1, (size_t)len, f) == (size_t)len) {
        buf[len] = '\0';
        *st = HC_OK;
    } else {
        free(buf);
        buf = NULL;
        *st = len > REPORT_MAX_BYTES
                  ? hc_fail(HC_ERR_FORMAT, "%s: too large for a report", path)
                  : hc_fail(HC_ERR_IO, "%s: cannot read the report (%s)", path, strerror(errno));
    }
    fclose(f);
    return buf;
}

enum hc_status report_batch_read(const char *report_path, struct report_batch_row *row)
{
    char clip[sizeof row->clip];
    memcpy(clip, row->clip, sizeof clip);
    memset(row, 0, sizeof *row);
    memcpy(row->clip, clip, sizeof clip);
    row->score = NAN;
    row->worst = -1;
    enum hc_status st;
    char *text = read_all(report_path, &st);
    if (!text)
        return st;
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(status, "code");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
    if (!cJSON_IsNumber(version) || !cJSON_IsString(code)) {
        cJSON_Delete(root);
        return hc_fail(HC_ERR_FORMAT, "%s: not a hingecheck report; delete it or run the batch "
                       "with --force", report_path);
    }
    copy_str(row->status, sizeof row->status, code);
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(status, "exit_code");
    row->exit_code = cJSON_IsNumber(ec) ? ec->valueint : 0;
    copy_str(row->message, sizeof row->message,
             cJSON_GetObjectItemCaseSensitive(status, "message"));
    copy_str(row->file, sizeof row->file,
             cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "clip"),
                                              "path"));
    copy_str(row->exercise, sizeof row->exercise,
             cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "exercise"),
                                              "detected"));
    const cJSON *clip_o = cJSON_GetObjectItemCaseSensitive(root, "clip");
    const cJSON *skipped = cJSON_GetObjectItemCaseSensitive(clip_o, "frames_skipped");
    row->frames_skipped = cJSON_IsNumber(skipped) ? (long long)skipped->valuedouble : 0;
    copy_str(row->damage, sizeof row->damage,
             cJSON_GetObjectItemCaseSensitive(clip_o, "damage_note"));
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(root, "set");
    const cJSON *nr = cJSON_GetObjectItemCaseSensitive(set, "n_reps");
    row->n_reps = cJSON_IsNumber(nr) ? nr->valueint : 0;
    const cJSON *score = cJSON_GetObjectItemCaseSensitive(set, "score");
    if (cJSON_IsNumber(score))
        row->score = score->valuedouble;
    const cJSON *worst = cJSON_GetObjectItemCaseSensitive(set, "worst_severity");
    for (int k = 0; k < 3; k++)
        if (cJSON_IsString(worst) && strcmp(worst->valuestring, severity_names[k]) == 0)
            row->worst = k;
    const cJSON *cues = cJSON_GetObjectItemCaseSensitive(set, "top_cues");
    for (int k = 0; k < 3 && k < cJSON_GetArraySize(cues); k++)
        copy_str(row->cues[k], sizeof row->cues[k],
                 cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cues, k), "rule"));
    cJSON_Delete(root);
    return HC_OK;
}

/* Writes text to path through a temporary file beside it and a rename: a reader (or a killed
 * run) never sees half a file. */
static enum hc_status write_atomic(const char *path, const char *text, size_t len)
{
    char tmp[HC_TEMP_PATH_MAX];
    FILE *f;
    enum hc_status st = hc_replace_open(path, tmp, sizeof tmp, &f);
    if (st != HC_OK)
        return st;
    if (fwrite(text, 1, len, f) != len)
        st = hc_fail(HC_ERR_IO, "%s: cannot write (%s); check free disk space", path,
                     strerror(errno));
    return hc_replace_close(f, tmp, path, st);
}

enum hc_status report_batch_write_failure(const char *report_path, const char *clip_path,
                                          enum hc_status st, const char *message)
{
    cJSON *root = cJSON_CreateObject();
    const int v = root && cJSON_AddNumberToObject(root, "schema_version", REPORT_SCHEMA_VERSION);
    cJSON *status = v ? cJSON_AddObjectToObject(root, "status") : NULL;
    cJSON *clip = status ? cJSON_AddObjectToObject(root, "clip") : NULL;
    char *text = NULL;
    if (clip && cJSON_AddStringToObject(status, "code", "failed") &&
        cJSON_AddNumberToObject(status, "exit_code", hc_status_exit_code(st)) &&
        cJSON_AddStringToObject(status, "message", message ? message : hc_strerror(st)) &&
        cJSON_AddStringToObject(status, "error", hc_strerror(st)) &&
        cJSON_AddStringToObject(clip, "path", clip_path))
        text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", report_path);
    /* ends with a newline, as the JSON report does */
    const size_t len = strlen(text);
    char *nl = realloc(text, len + 2);
    if (!nl) {
        free(text);
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", report_path);
    }
    text = nl;
    memcpy(text + len, "\n", 2);
    const enum hc_status ws = write_atomic(report_path, text, len + 1);
    free(text);
    return ws;
}

/* A growing text buffer for the summary files. */
struct text {
    char *s;
    size_t len, cap;
    int bad;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->bad)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 4096;
        while (nc < t->len + n + 1)
            nc *= 2;
        char *ns = realloc(t->s, nc);
        if (!ns) {
            t->bad = 1;
            return;
        }
        t->s = ns;
        t->cap = nc;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void puts_(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* A text cell (hc_csv_cell: RFC 4180 quoting, formulas neutralised). */
static void put_csv(struct text *t, const char *s)
{
    char *cell = hc_csv_cell(s);
    if (!cell) {
        t->bad = 1;
        return;
    }
    puts_(t, cell);
    free(cell);
}

static const char *worst_name(int w)
{
    return w >= 0 && w < 3 ? severity_names[w] : "none";
}

enum hc_status report_batch_write_summary(const struct report_batch_row *rows, size_t n,
                                          const char *csv_path, const char *jsonl_path)
{
    struct text csv = {0}, jl = {0};
    char num[64];
    puts_(&csv, "clip,file,status,exit_code,exercise,reps,set_score,worst,top_cues,message,"
                "frames_skipped,damage\n");
    for (size_t i = 0; i < n; i++) {
        const struct report_batch_row *r = &rows[i];
        char cues[3 * 64 + 3] = "";
        for (int k = 0; k < 3 && r->cues[k][0]; k++)
            snprintf(cues + strlen(cues), sizeof cues - strlen(cues), "%s%s", k ? ";" : "",
                     r->cues[k]);
        put_csv(&csv, r->clip);
        puts_(&csv, ",");
        put_csv(&csv, r->file);
        snprintf(num, sizeof num, ",%s,%d,", r->status, r->exit_code);
        puts_(&csv, num);
        put_csv(&csv, r->exercise);
        snprintf(num, sizeof num, ",%d,", r->n_reps);
        puts_(&csv, num);
        if (isfinite(r->score)) {
            snprintf(num, sizeof num, "%.1f", r->score);
            puts_(&csv, num);
        }
        puts_(&csv, ",");
        puts_(&csv, worst_name(r->worst));
        puts_(&csv, ",");
        put_csv(&csv, cues);
        puts_(&csv, ",");
        put_csv(&csv, r->message);
        snprintf(num, sizeof num, ",%lld,", r->frames_skipped);
        puts_(&csv, num);
        put_csv(&csv, r->damage);
        puts_(&csv, "\n");

        cJSON *o = cJSON_CreateObject();
        cJSON *arr = o ? cJSON_AddArrayToObject(o, "top_cues") : NULL;
        int bad = !arr || !cJSON_AddStringToObject(o, "clip", r->clip) ||
                  !cJSON_AddStringToObject(o, "file", r->file) ||
                  !cJSON_AddStringToObject(o, "status", r->status) ||
                  !cJSON_AddNumberToObject(o, "exit_code", r->exit_code) ||
                  !(r->exercise[0] ? cJSON_AddStringToObject(o, "exercise", r->exercise)
                                   : cJSON_AddNullToObject(o, "exercise")) ||
                  !cJSON_AddNumberToObject(o, "reps", r->n_reps) ||
                  !(isfinite(r->score) ? cJSON_AddNumberToObject(o, "set_score", r->score)
                                       : cJSON_AddNullToObject(o, "set_score")) ||
                  !cJSON_AddStringToObject(o, "worst", worst_name(r->worst)) ||
                  !cJSON_AddStringToObject(o, "message", r->message) ||
                  !cJSON_AddNumberToObject(o, "frames_skipped", (double)r->frames_skipped) ||
                  !cJSON_AddStringToObject(o, "damage", r->damage);
        for (int k = 0; !bad && k < 3 && r->cues[k][0]; k++) {
            cJSON *c = cJSON_CreateString(r->cues[k]);
            bad |= !c;
            if (c)
                cJSON_AddItemToArray(arr, c);
        }
        /* key order: top_cues was added first to get the array; move it to the end */
        if (!bad) {
            cJSON *moved = cJSON_DetachItemFromObjectCaseSensitive(o, "top_cues");
            cJSON_AddItemToObject(o, "top_cues", moved);
        }
        char *raw = bad ? NULL : cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        char *line = raw ? hc_utf8_sanitize(raw) : NULL; /* JSON is UTF-8, names may not be */
        cJSON_free(raw);
        if (!line) {
            jl.bad = 1;
            break;
        }
        puts_(&jl, line);
        puts_(&jl, "\n");
        free(line);
    }
    enum hc_status st = HC_OK;
    if (csv.bad || jl.bad)
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory writing the summary", csv_path);
    if (st == HC_OK)
        st = write_atomic(csv_path, csv.s ? csv.s : "", csv.len);
    if (st == HC_OK)
        st = write_atomic(jsonl_path, jl.s ? jl.s : "", jl.len);
    free(csv.s);
    free(jl.s);
    return st;
}
