#define _POSIX_C_SOURCE 200809L
/* analysis.c - the public API of an analysis (include/hingecheck.h): the entry points hand the
 * work to the driver (pipeline.c), the rest reads, summarises and writes a result. */
#include "analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct hc_analysis_params hc_analysis_default_params(void)
{
    struct hc_analysis_params p;
    memset(&p, 0, sizeof p);
    p.clip = hc_pose_clip_default_params();
    p.exercise = "auto";
    p.rules_path = NULL;
    p.plate_cm = 45.0;
    return p;
}

int hc_severity_from_name(const char *name, enum hc_severity *out)
{
    static const char *const names[] = {"info", "warning", "error"};
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            if (out)
                *out = (enum hc_severity)i;
            return 0;
        }
    return -1;
}

const char *hc_rules_default_json(void)
{
    return rules_default_json();
}

enum hc_status hc_rules_check_file(const char *path, int *n_rules)
{
    struct rules_set *rs = NULL;
    const enum hc_status st = rules_load_file(path, &rs);
    if (n_rules)
        *n_rules = rs ? (int)rs->n : 0;
    rules_set_free(rs);
    return st;
}

void hc_analysis_free(struct hc_analysis *a)
{
    if (!a)
        return;
    hc_analysis_free(a->front);
    free(a->pair.match);
    rules_result_free(a->res);
    reps_result_free(a->rr);
    kin_series_free(a->ks);
    rules_set_free(a->rs);
    free(a->frames);
    free(a->imp_frames);
    free(a->imp_raw);
    free(a->spine);
    free(a->path);
    free(a->source);
    free(a);
}
enum hc_status hc_analyse_file(const char *video_path, const struct hc_analysis_params *p,
                               struct hc_analysis **out)
{
    return analysis_file_mode(video_path, p, 0, out);
}

enum hc_status hc_analyse_track(const struct hc_track *t, const char *name,
                                const struct hc_analysis_params *p, struct hc_analysis **out)
{
    return analysis_track(t, name, p, out);
}

enum hc_status hc_analyse_track_file(const char *track_path, const struct hc_analysis_params *p,
                                     struct hc_analysis **out)
{
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analyse_track_file: no output pointer");
    *out = NULL;
    /* check the rules and exercise before reading a possibly long track */
    const struct hc_analysis_params def = hc_analysis_default_params();
    if (!p)
        p = &def;
    if (p->exercise && rules_lift_from_name(p->exercise) < 0)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown exercise '%s'; use one of %s", p->exercise,
                       hc_exercise_names());
    struct hc_track *t = NULL;
    enum hc_status st = hc_track_read(track_path, &t);
    if (st != HC_OK)
        return st;
    st = analysis_track(t, track_path, p, out);
    hc_track_free(t);
    return st;
}

void hc_analysis_summarise(const struct hc_analysis *a, struct hc_analysis_summary *out)
{
    memset(out, 0, sizeof *out);
    out->set_score = NAN;
    out->worst = HC_SEVERITY_NONE;
    out->reason = "";
    out->view = "unknown";
    out->offset_s = NAN;
    if (!a)
        return;
    const struct report_input *in = &a->in;
    out->status = in->status;
    out->reason = a->reason;
    out->n_frames = in->n_frames;
    out->n_with_pose = in->n_with_pose;
    out->elapsed_s = a->elapsed_s;
    out->view = kin_view_name(a->ks ? a->ks->view : KIN_VIEW_UNKNOWN);
    if (a->front) {
        out->paired = 1;
        out->offset_s = a->pair.offset_s;
        out->n_matched = (int)a->pair.n_matched;
        out->front_view = kin_view_name(a->pair.front_view);
    }
    out->exercise = rules_lift_name(in->requested);
    const struct rules_result *res = a->res;
    if (!res)
        return;
    out->exercise = rules_lift_name(res->detected);
    out->n_reps = (int)res->n_reps;
    out->n_full = (int)res->n_full;
    out->set_score = res->n_reps ? res->set_score : NAN;
    out->worst = (enum hc_severity)report_worst_severity(res);
    for (size_t i = 0; i < res->n_findings; i++)
        out->n_findings[res->findings[i].severity]++;
    size_t idx[3];
    const size_t n = report_top_cues(res, idx, NULL, 3);
    for (size_t k = 0; k < n; k++)
        out->top_cues[k] = res->findings[idx[k]].rule;
}

const struct report_input *analysis_report_input(const struct hc_analysis *a)
{
    return a ? &a->in : NULL;
}

/* ---- the lift table (src/reps/reps_lifts.c) as the public API sees it ------------------- */

static char names[REPS_N_LIFTS * 32];
static once_flag names_once = ONCE_FLAG_INIT;

static void names_make(void)
{
    size_t len = 0;
    for (int l = REPS_LIFT_AUTO; l < REPS_N_LIFTS && len < sizeof names; l++) {
        const int k = snprintf(names + len, sizeof names - len, "%s%s", l ? "|" : "",
                               reps_lift_id((enum reps_lift)l));
        len += k > 0 ? (size_t)k : 0;
    }
}

const char *hc_exercise_names(void)
{
    call_once(&names_once, names_make);
    return names;
}

const char *hc_exercise_id(const char *name)
{
    const int l = reps_lift_from_name(name);
    return l >= 0 ? reps_lift_id((enum reps_lift)l) : NULL;
}

int hc_lift_at(size_t i, struct hc_lift_info *out)
{
    const struct reps_lift_row *row = reps_lift_row((enum reps_lift)(i + 1));
    if (!out || i + 1 >= REPS_N_LIFTS || !row)
        return -1;
    out->id = row->id;
    out->name = row->name;
    out->aliases = row->aliases;
    out->start = row->start == REPS_START_FLOOR ? "floor" : "standing";
    out->phases = reps_lift_phases(row->start);
    out->implements = row->implements;
    reps_lift_cues_text(row, 1, out->recognition, sizeof out->recognition);
    return 0;
}

/* ---- probe output (src/report/report_probe.c) ------------------------------------------- */

enum hc_status hc_probe_write(FILE *f, const char *path, const struct hc_video_info *info, int json)
{
    return report_probe_write(f, path, info, json);
}

enum hc_status hc_probe_write_json_error(FILE *f, const char *path, enum hc_status st,
                                         const char *message)
{
    return report_probe_write_json_error(f, path, st, message);
}
