#define _POSIX_C_SOURCE 200809L
/* analysis.c - the public API of an analysis (include/hingecheck.h): the entry points hand the
 * work to the driver (pipeline.c), the rest reads, summarises and writes a result. */
#include "analysis.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct hc_analysis_params hc_analysis_default_params(void)
{
    struct hc_analysis_params p;
    memset(&p, 0, sizeof p);
    p.clip = hc_pose_clip_default_params();
    p.exercise = "auto";
    p.rules_path = NULL;
    return p;
}

const char *hc_exercise_names(void)
{
    return "auto|rdl|deadlift|good-morning|kb-swing|sl-rdl|pull-through|hinge-drill";
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
    rules_result_free(a->res);
    reps_result_free(a->rr);
    kin_series_free(a->ks);
    rules_set_free(a->rs);
    free(a->frames);
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
    if (!a)
        return;
    const struct report_input *in = &a->in;
    out->status = in->status;
    out->reason = a->reason;
    out->n_frames = in->n_frames;
    out->n_with_pose = in->n_with_pose;
    out->elapsed_s = a->elapsed_s;
    out->view = kin_view_name(a->ks ? a->ks->view : KIN_VIEW_UNKNOWN);
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

struct hc_report_options hc_report_default_options(void)
{
    struct hc_report_options o;
    memset(&o, 0, sizeof o);
    return o;
}

const char *hc_report_formats(void)
{
    return report_format_names;
}

enum hc_status hc_analysis_write_stream(const struct hc_analysis *a, const char *format, FILE *f,
                                        const struct hc_report_options *o)
{
    if (!a || !f)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write_stream: no result or stream");
    const struct report_writer *w = report_writer_find(format);
    if (!w)
        return hc_fail(HC_ERR_INVALID_ARG, "unknown report format '%s'; use one of %s",
                       format ? format : "(null)", report_format_names);
    const struct hc_report_options def = hc_report_default_options();
    if (!o)
        o = &def;
    const struct report_options ro = {o->color, o->series, o->deterministic};
    return w->write(&a->in, &ro, f);
}

enum hc_status hc_analysis_write(const struct hc_analysis *a, const char *format,
                                 const char *path, const struct hc_report_options *o)
{
    if (!path)
        return hc_fail(HC_ERR_INVALID_ARG, "hc_analysis_write: no path");
    if (strcmp(path, "-") == 0) {
        enum hc_status st = hc_analysis_write_stream(a, format, stdout, o);
        if (st == HC_OK && fflush(stdout) != 0)
            st = hc_fail(HC_ERR_IO, "cannot write the %s report to standard output", format);
        return st;
    }
    if (!report_writer_find(format))
        return hc_analysis_write_stream(a, format, NULL, o); /* the error message */
    /* Something that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is
     * written in place: renaming a temporary file over it would replace the device. */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return hc_fail(HC_ERR_IO, "%s: cannot open for writing (%s)", path, strerror(errno));
        enum hc_status st = hc_analysis_write_stream(a, format, f, o);
        if (fclose(f) != 0 && st == HC_OK)
            st = hc_fail(HC_ERR_IO, "%s: cannot write the report (%s)", path, strerror(errno));
        return st;
    }
    /* temp file beside the target + rename: a killed run never leaves half a report */
    char tmp[4096];
    const int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp)
        return hc_fail(HC_ERR_INVALID_ARG, "%s: path too long", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return hc_fail(HC_ERR_IO, "%s: cannot create the report (%s); check the folder exists "
                       "and is writable", path, strerror(errno));
    enum hc_status st = hc_analysis_write_stream(a, format, f, o);
    if (fclose(f) != 0 && st == HC_OK)
        st = hc_fail(HC_ERR_IO, "%s: cannot write the report (%s); check free disk space", path,
                     strerror(errno));
    if (st == HC_OK && rename(tmp, path) != 0)
        st = hc_fail(HC_ERR_IO, "%s: cannot move the report into place (%s)", path,
                     strerror(errno));
    if (st != HC_OK)
        remove(tmp);
    return st;
}

const struct report_input *analysis_report_input(const struct hc_analysis *a)
{
    return a ? &a->in : NULL;
}

const struct hc_pose_frame *analysis_frames(const struct hc_analysis *a, size_t *n)
{
    if (n)
        *n = a ? a->n_frames : 0;
    return a ? a->frames : NULL;
}
