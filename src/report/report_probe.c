/*
 * report_probe.c - the `hingecheck probe` output: aligned text or one JSON object per file.
 *
 * JSON numbers are rounded (fps to 1/1000, seconds to 1/1000 000) so output is stable and
 * readable: 29.97002997002997 says no more than 29.97 does about a clip.
 */
#include "report/report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double round_to(double v, double step)
{
    return round(v / step) * step;
}

static const char *mirror_name(const struct hc_video_info *in)
{
    if (in->hflip && in->vflip)
        return "both";
    if (in->hflip)
        return "horizontal";
    return in->vflip ? "vertical" : "no";
}

static enum hc_status write_text(FILE *f, const char *path, const struct hc_video_info *in)
{
    /* 14 columns: the longest key ("pixel aspect:") plus one space. */
    int n = fprintf(f,
                    "%-14s%s\n"
                    "%-14s%dx%d\n"
                    "%-14s%dx%d\n"
                    "%-14s%d\n"
                    "%-14s%s\n"
                    "%-14s%.3f\n"
                    "%-14s%.3f s\n"
                    "%-14s%lld (estimate)\n"
                    "%-14s%s\n"
                    "%-14s%s\n"
                    "%-14s%d:%d\n"
                    "%-14s%s\n\n",
                    "file:", path, "size:", in->width_px, in->height_px,
                    "coded size:", in->coded_width_px, in->coded_height_px,
                    "rotation:", in->rotation_deg, "mirrored:", mirror_name(in), "fps:", in->fps,
                    "duration:", in->duration_s, "frames:", (long long)in->n_frames_estimate,
                    "codec:", in->codec, "container:", in->container, "pixel aspect:", in->sar_num,
                    in->sar_den, "audio:", in->has_audio ? "yes" : "no");
    return n < 0 ? hc_fail(HC_ERR_IO, "%s: cannot write the probe output", path) : HC_OK;
}

static enum hc_status print_json(FILE *f, const char *path, cJSON *o)
{
    char *raw = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    char *text = raw ? hc_utf8_sanitize(raw) : NULL; /* JSON is UTF-8, file names may not be */
    cJSON_free(raw);
    if (!text)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory for the JSON output", path);
    int n = fputs(text, f);
    free(text);
    return n < 0 ? hc_fail(HC_ERR_IO, "%s: cannot write the probe output", path) : HC_OK;
}

enum hc_status report_probe_write(FILE *f, const char *path, const struct hc_video_info *info, int json)
{
    if (!f || !path || !info)
        return hc_fail(HC_ERR_INVALID_ARG, "probe: no stream, path or info given");
    if (!json)
        return write_text(f, path, info);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory for the JSON output", path);
    char sar[32];
    snprintf(sar, sizeof sar, "%d:%d", info->sar_num, info->sar_den);
    cJSON_AddStringToObject(o, "file", path);
    cJSON_AddNumberToObject(o, "width_px", info->width_px);
    cJSON_AddNumberToObject(o, "height_px", info->height_px);
    cJSON_AddNumberToObject(o, "coded_width_px", info->coded_width_px);
    cJSON_AddNumberToObject(o, "coded_height_px", info->coded_height_px);
    cJSON_AddNumberToObject(o, "fps", round_to(info->fps, 1e-3));
    cJSON_AddNumberToObject(o, "duration_s", round_to(info->duration_s, 1e-6));
    cJSON_AddNumberToObject(o, "n_frames_estimate", (double)info->n_frames_estimate);
    cJSON_AddNumberToObject(o, "rotation_deg", info->rotation_deg);
    cJSON_AddBoolToObject(o, "hflip", info->hflip != 0);
    cJSON_AddBoolToObject(o, "vflip", info->vflip != 0);
    cJSON_AddStringToObject(o, "sample_aspect", sar);
    cJSON_AddStringToObject(o, "codec", info->codec);
    cJSON_AddStringToObject(o, "container", info->container);
    cJSON_AddBoolToObject(o, "has_audio", info->has_audio != 0);
    return print_json(f, path, o);
}

enum hc_status report_probe_write_json_error(FILE *f, const char *path, enum hc_status st,
                                             const char *message)
{
    if (!f || !path)
        return hc_fail(HC_ERR_INVALID_ARG, "probe: no stream or path given");
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory for the JSON output", path);
    cJSON_AddStringToObject(o, "file", path);
    cJSON_AddStringToObject(o, "error", message && message[0] ? message : hc_strerror(st));
    cJSON_AddStringToObject(o, "status", hc_strerror(st));
    cJSON_AddNumberToObject(o, "exit_code", hc_status_exit_code(st));
    return print_json(f, path, o);
}
