/* report_json.c - the --json report (docs/REPORT.md, docs/report.schema.json).
 *
 * Built as a cJSON tree so other writers (HTML) can embed the same document. Numbers are rounded
 * (3 decimals; scores 1) so reports diff cleanly and golden files do not churn on float noise;
 * NaN (not measurable) becomes null. */
#include "report/report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double round_to(double v, double scale)
{
    return round(v * scale) / scale;
}

/* Adds a number, or null when not finite. Returns 0 or -1 (out of memory). */
static int add_num(cJSON *o, const char *key, double v, double scale)
{
    cJSON *item = isfinite(v) ? cJSON_CreateNumber(round_to(v, scale)) : cJSON_CreateNull();
    if (!item)
        return -1;
    cJSON_AddItemToObject(o, key, item);
    return 0;
}

static int add_str(cJSON *o, const char *key, const char *s)
{
    return cJSON_AddStringToObject(o, key, s ? s : "") ? 0 : -1;
}

static const char *status_code(enum hc_status st)
{
    return st == HC_OK ? "ok" : st == HC_ERR_NO_POSE ? "no-pose" : st == HC_ERR_NO_REPS ? "no-reps"
                                                                                       : "error";
}

static cJSON *finding_json(const struct report_input *in, const struct rules_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int bad = add_str(o, "rule", f->rule);
    if (f->about)
        bad |= add_str(o, "about", f->about);
    if (f->reason)
        bad |= add_str(o, "reason", f->reason);
    bad |= add_str(o, "severity", rules_severity_name(f->severity));
    bad |= !cJSON_AddNumberToObject(o, "rep", f->rep);
    bad |= add_num(o, "t_start", f->t_start_s, 1e3);
    bad |= add_num(o, "t_end", f->t_end_s, 1e3);
    /* the time of its worst moment (the frame the HTML page shows), null when none */
    const int has_worst = f->rep > 0 && f->worst_i >= 0 && f->worst_i < in->n_frames && in->frames;
    bad |= add_num(o, "t_worst", has_worst ? in->frames[f->worst_i].t_s : NAN, 1e3);
    if (f->metric)
        bad |= add_str(o, "metric", f->metric);
    if (f->unit)
        bad |= add_str(o, "unit", f->unit);
    bad |= add_num(o, "value", f->value, 1e3);
    cJSON *ex = cJSON_AddObjectToObject(o, "expected");
    bad |= !ex;
    if (ex) {
        bad |= add_num(ex, "min", f->min, 1e3);
        bad |= add_num(ex, "max", f->max, 1e3);
        char txt[64];
        report_format_expected(f->min, f->max, f->unit, txt, sizeof txt);
        bad |= add_str(ex, "text", txt);
    }
    bad |= add_num(o, "confidence", f->confidence, 1e3);
    bad |= add_num(o, "uncertainty", f->uncertainty, 1e3);
    bad |= !cJSON_AddBoolToObject(o, "borderline", f->borderline != 0);
    if (f->borderline) {
        /* the limit it is near and the band around it: value within limit +- uncertainty */
        cJSON *b = cJSON_AddObjectToObject(o, "band");
        bad |= !b;
        if (b) {
            bad |= add_num(b, "limit", f->limit, 1e3);
            bad |= add_num(b, "low", f->limit - f->uncertainty, 1e3);
            bad |= add_num(b, "high", f->limit + f->uncertainty, 1e3);
        }
    }
    bad |= add_str(o, "message", f->message);
    bad |= add_str(o, "fix", f->fix);
    if (f->source)
        bad |= add_str(o, "source", f->source);
    if (bad) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int add_findings(cJSON *arr, const struct report_input *in, size_t first, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        cJSON *f = finding_json(in, &in->res->findings[first + k]);
        if (!f)
            return -1;
        cJSON_AddItemToArray(arr, f);
    }
    return 0;
}

static const struct reps_rep *find_rep(const struct reps_result *rr, int index)
{
    for (size_t r = 0; rr && r < rr->n_reps; r++)
        if (rr->reps[r].index == index)
            return &rr->reps[r];
    return NULL;
}

/* clip.frames_skipped, clip.damage (the stretches) and clip.damage_note (in words, or null). */
static int add_damage(cJSON *clip, const struct report_input *in)
{
    const struct hc_damage *d = in->damage;
    const int n = d && d->n_frames_skipped > 0 ? d->n_ranges : 0;
    int bad = !cJSON_AddNumberToObject(clip, "frames_skipped", n ? (double)d->n_frames_skipped : 0);
    cJSON *arr = cJSON_AddArrayToObject(clip, "damage");
    bad |= !arr;
    for (int k = 0; arr && k < n; k++) {
        const struct hc_damage_range *g = &d->range[k];
        cJSON *o = cJSON_CreateObject();
        bad |= !o;
        if (!o)
            break;
        cJSON_AddItemToArray(arr, o);
        bad |= !cJSON_AddNumberToObject(o, "first_frame", (double)g->first_frame) ||
               !cJSON_AddNumberToObject(o, "last_frame", (double)g->last_frame) ||
               add_num(o, "t_start", g->t_start_s, 1e3) || add_num(o, "t_end", g->t_end_s, 1e3);
    }
    char note[640];
    bad |= report_damage_note(in, note, sizeof note) ? add_str(clip, "damage_note", note)
                                                     : !cJSON_AddNullToObject(clip, "damage_note");
    return bad;
}

static cJSON *rep_json(const struct report_input *in, size_t r)
{
    const struct rules_result *res = in->res;
    const struct rules_rep_result *rp = &res->reps[r];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int bad = !cJSON_AddNumberToObject(o, "index", rp->index);
    bad |= !cJSON_AddBoolToObject(o, "partial", rp->partial != 0);
    bad |= add_num(o, "t_start", rp->t_start_s, 1e3);
    bad |= add_num(o, "t_bottom", rp->t_bottom_s, 1e3);
    bad |= add_num(o, "t_end", rp->t_end_s, 1e3);
    /* a single-leg set: the leg the rep stood on */
    if (rp->stand != KIN_SIDE_UNKNOWN)
        bad |= !cJSON_AddStringToObject(o, "standing_leg", kin_side_name(rp->stand));
    bad |= add_num(o, "score", rp->score, 10);
    bad |= add_num(o, "confidence", rp->confidence, 1e3);
    bad |= !cJSON_AddNumberToObject(o, "n_core", rp->n_core);
    bad |= !cJSON_AddNumberToObject(o, "n_core_assessed", rp->n_core_assessed);
    char why[96];
    const char *uns = report_rep_unscored(rp, why, sizeof why);
    bad |= uns ? add_str(o, "not_scored", uns) : !cJSON_AddNullToObject(o, "not_scored");
    cJSON *m = cJSON_AddObjectToObject(o, "metrics");
    cJSON *mc = cJSON_AddObjectToObject(o, "metric_confidence");
    cJSON *mu = cJSON_AddObjectToObject(o, "metric_uncertainty");
    bad |= !m || !mc || !mu;
    for (int k = 0; !bad && k < RM_N_METRICS; k++) {
        bad |= add_num(m, rules_metric_name((enum rules_metric)k), rp->metrics[k], 1e3);
        bad |= add_num(mc, rules_metric_name((enum rules_metric)k), rp->metric_conf[k], 1e3);
        bad |= add_num(mu, rules_metric_name((enum rules_metric)k), rp->metric_unc[k], 1e3);
    }
    const struct reps_rep *rep = find_rep(in->rr, rp->index);
    if (rep && !bad) {
        cJSON *t = cJSON_AddObjectToObject(o, "tempo");
        bad |= !t;
        for (int ph = 0; t && ph < REPS_N_PHASES; ph++) {
            char key[32];
            snprintf(key, sizeof key, "%s_s", reps_phase_name((enum reps_phase)ph));
            bad |= add_num(t, key, rep->phase_s[ph], 1e3);
        }
        if (t) {
            bad |= !cJSON_AddBoolToObject(t, "paused_bottom", rep->paused_bottom != 0);
            bad |= !cJSON_AddBoolToObject(t, "paused_top", rep->paused_top != 0);
        }
        bad |= !cJSON_AddBoolToObject(o, "floor_start", rep->floor_start != 0);
    }
    const size_t w = report_rep_worst(res, r);
    bad |= add_str(o, "worst", w == (size_t)-1 ? "" : res->findings[w].rule);
    char dmg[512];
    const int damaged = report_rep_damage(in, r, dmg, sizeof dmg) > 0;
    bad |= !cJSON_AddBoolToObject(o, "damaged", damaged);
    bad |= damaged ? add_str(o, "damage", dmg) : !cJSON_AddNullToObject(o, "damage");
    cJSON *fa = cJSON_AddArrayToObject(o, "findings");
    bad |= !fa || add_findings(fa, in, rp->first_finding, rp->n_findings);
    if (bad) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int add_series(cJSON *root, const struct report_input *in)
{
    const struct kin_series *ks = in->ks;
    cJSON *s = cJSON_AddObjectToObject(root, "series");
    if (!s)
        return -1;
    if (!cJSON_AddNumberToObject(s, "n", (double)ks->n))
        return -1;
    cJSON *t = cJSON_AddArrayToObject(s, "t_s");
    if (!t)
        return -1;
    for (size_t i = 0; i < ks->n; i++) {
        cJSON *v = cJSON_CreateNumber(round_to(ks->t_s[i], 1e4));
        if (!v)
            return -1;
        cJSON_AddItemToArray(t, v);
    }
    for (int m = 0; m < KIN_N_METRICS; m++) {
        cJSON *a = cJSON_AddArrayToObject(s, kin_metric_name((enum kin_metric)m));
        if (!a)
            return -1;
        for (size_t i = 0; i < ks->n; i++) {
            const double x = ks->value[m][i];
            cJSON *v = isfinite(x) ? cJSON_CreateNumber(round_to(x, 1e3)) : cJSON_CreateNull();
            if (!v)
                return -1;
            cJSON_AddItemToArray(a, v);
        }
    }
    if (in->rr && in->rr->n == ks->n) {
        cJSON *rep = cJSON_AddArrayToObject(s, "rep");
        cJSON *ph = cJSON_AddArrayToObject(s, "phase");
        if (!rep || !ph)
            return -1;
        for (size_t i = 0; i < ks->n; i++) {
            cJSON *a = cJSON_CreateNumber(in->rr->rep_of[i]);
            cJSON *b = cJSON_CreateString(reps_phase_name((enum reps_phase)in->rr->phase[i]));
            if (!a || !b) {
                cJSON_Delete(a);
                cJSON_Delete(b);
                return -1;
            }
            cJSON_AddItemToArray(rep, a);
            cJSON_AddItemToArray(ph, b);
        }
    }
    return 0;
}

/* "pair": the second camera of a two-camera set (docs/REPORT.md, "Two cameras"). */
static int add_pair(cJSON *root, const struct report_input *in)
{
    const struct report_pair *pr = in->pair;
    cJSON *p = cJSON_AddObjectToObject(root, "pair");
    if (!p)
        return -1;
    int bad = 0;
    cJSON *fr = cJSON_AddObjectToObject(p, "front");
    bad |= !fr;
    if (fr) {
        bad |= add_str(fr, "path", pr->front_path);
        bad |= add_str(fr, "view", kin_view_name(pr->front_view));
        bad |= add_num(fr, "angle_deg", pr->front_view_angle_deg, 10);
        bad |= add_num(fr, "fps", pr->front_fps, 1e3);
        bad |= !cJSON_AddNumberToObject(fr, "n_frames", (double)pr->front_n_frames);
        bad |= add_str(fr, "status", status_code(pr->front_status));
        bad |= add_str(fr, "message", pr->front_reason);
        bad |= !cJSON_AddNumberToObject(fr, "n_reps", (double)pr->n_front_reps);
    }
    cJSON *off = cJSON_AddObjectToObject(p, "offset");
    bad |= !off;
    if (off) {
        bad |= add_num(off, "s", pr->offset_s, 1e4);
        bad |= add_num(off, "frames", pr->offset_frames, 100);
        bad |= add_str(off, "source", pr->offset_given  ? "given"
                                      : pr->not_aligned ? "none"
                                                        : "measured");
        bad |= add_str(off, "signal",
                       pr->offset_given || pr->not_aligned ? "" : "upper-body height");
        bad |= add_num(off, "peak_correlation", pr->peak_corr, 1e3);
        bad |= add_num(off, "second_peak_correlation", pr->second_corr, 1e3);
        bad |= add_num(off, "second_peak_ratio", pr->second_ratio, 1e3);
        bad |= !cJSON_AddBoolToObject(off, "sure", pr->sure != 0);
    }
    bad |= !cJSON_AddNumberToObject(p, "n_side_reps", (double)pr->n_side_reps);
    bad |= !cJSON_AddNumberToObject(p, "n_matched", (double)pr->n_matched);
    cJSON *reps = cJSON_AddArrayToObject(p, "reps");
    bad |= !reps;
    const struct reps_result *rs = in->rr, *rf = pr->front_rr;
    for (size_t i = 0; reps && rs && i < pr->n_side_reps && i < rs->n_reps; i++) {
        cJSON *r = cJSON_CreateObject();
        if (!r)
            return -1;
        cJSON_AddItemToArray(reps, r);
        const int k = pr->match ? pr->match[i] : -1;
        const struct reps_rep *b = k >= 0 && rf && (size_t)k < rf->n_reps ? &rf->reps[k] : NULL;
        bad |= !cJSON_AddNumberToObject(r, "rep", rs->reps[i].index);
        if (b) {
            bad |= !cJSON_AddNumberToObject(r, "front_rep", b->index);
            bad |= add_num(r, "front_t_start", b->t_start_s, 1e3);
            bad |= add_num(r, "front_t_end", b->t_end_s, 1e3);
        } else {
            bad |= !cJSON_AddNullToObject(r, "front_rep");
            bad |= !cJSON_AddNullToObject(r, "front_t_start");
            bad |= !cJSON_AddNullToObject(r, "front_t_end");
        }
    }
    return bad ? -1 : 0;
}

cJSON *report_json_build(const struct report_input *in, const struct report_options *o)
{
    const struct rules_result *res = in->res;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    int bad = !cJSON_AddNumberToObject(root, "schema_version", REPORT_SCHEMA_VERSION);

    cJSON *gen = cJSON_AddObjectToObject(root, "generator");
    bad |= !gen || add_str(gen, "name", "hingecheck");
    if (gen && !o->deterministic)
        bad |= add_str(gen, "version", hc_version());

    cJSON *st = cJSON_AddObjectToObject(root, "status");
    bad |= !st || add_str(st, "code", status_code(in->status)) ||
           !cJSON_AddNumberToObject(st, "exit_code", hc_status_exit_code(in->status)) ||
           add_str(st, "message", in->reason) ||
           !cJSON_AddBoolToObject(st, "damaged", in->damage && in->damage->n_frames_skipped > 0);

    cJSON *clip = cJSON_AddObjectToObject(root, "clip");
    bad |= !clip;
    if (clip) {
        bad |= add_str(clip, "path", in->path) || add_str(clip, "source", in->source);
        bad |= !cJSON_AddBoolToObject(clip, "from_track", in->from_track != 0);
        bad |= !cJSON_AddNumberToObject(clip, "width", in->width_px);
        bad |= !cJSON_AddNumberToObject(clip, "height", in->height_px);
        bad |= add_num(clip, "fps", in->fps, 1e3);
        bad |= add_num(clip, "duration_s", in->duration_s, 1e3);
        bad |= !cJSON_AddNumberToObject(clip, "n_frames", (double)in->n_frames);
        bad |= !cJSON_AddNumberToObject(clip, "n_frames_with_pose", (double)in->n_with_pose);
        bad |= add_damage(clip, in);
    }

    cJSON *model = cJSON_AddObjectToObject(root, "model");
    bad |= !model || add_str(model, "landmarks", in->model) ||
           !cJSON_AddBoolToObject(model, "smooth", in->smooth != 0) ||
           add_str(model, "rules", in->rules_name);

    cJSON *ex = cJSON_AddObjectToObject(root, "exercise");
    bad |= !ex || add_str(ex, "requested", rules_lift_name(in->requested));
    if (ex) {
        if (res) {
            bad |= add_str(ex, "detected", rules_lift_name(res->detected));
            bad |= add_str(ex, "reason", res->detect_reason);
        } else {
            bad |= !cJSON_AddNullToObject(ex, "detected");
            bad |= add_str(ex, "reason", "nothing to recognise");
        }
    }

    cJSON *view = cJSON_AddObjectToObject(root, "view");
    bad |= !view;
    if (view) {
        const struct kin_series *ks = in->ks;
        bad |= add_str(view, "verdict", kin_view_name(ks ? ks->view : KIN_VIEW_UNKNOWN));
        bad |= add_num(view, "angle_deg", ks ? ks->view_angle_deg : NAN, 10);
        bad |= add_str(view, "side", kin_side_name(ks ? ks->side : KIN_SIDE_UNKNOWN));
        bad |= !cJSON_AddNumberToObject(view, "facing", ks ? ks->facing : 0);
        bad |= !cJSON_AddBoolToObject(view, "world_landmarks", ks && ks->use_world);
        bad |= add_str(view, "spine_source",
                       !ks ? "none" : ks->spine_source == KIN_SPINE_MASK   ? "mask"
                                  : ks->spine_source == KIN_SPINE_PROXY ? "keypoints"
                                                                        : "none");
    }

    if (in->pair)
        bad |= add_pair(root, in);

    const struct report_implement *im = in->implement;
    if (im) {
        cJSON *imp = cJSON_AddObjectToObject(root, "implement");
        bad |= !imp;
        if (imp) {
            bad |= add_str(imp, "kind", kin_implement_name(im->kind));
            bad |= add_str(imp, "judged_as",
                           kin_implement_name(res ? res->implement : im->kind));
            bad |= add_num(imp, "confidence", im->confidence, 100);
            bad |= add_str(imp, "source", kin_implement_source_name(im->source));
            bad |= add_str(imp, "evidence", im->evidence);
            if (im->image_kind)
                bad |= add_str(imp, "image", im->image_kind);
            else
                bad |= !cJSON_AddNullToObject(imp, "image");
            bad |= add_num(imp, "image_confidence", im->image_confidence, 100);
            bad |= add_num(imp, "share_found", im->share_found, 1000);
            bad |= add_num(imp, "plate_diameter_px", im->plate_diameter_px, 10);
            bad |= add_num(imp, "px_per_cm", im->px_per_cm, 1000);
        }
    }

    /* the image's two scales and the one the cm figures used; where the bar came from */
    if (in->ks) {
        const struct kin_series *ks = in->ks;
        cJSON *sc = cJSON_AddObjectToObject(root, "scale");
        bad |= !sc;
        if (sc) {
            const double body = ks->use_world ? NAN : ks->body_cm_per_px;
            const double plate = ks->plate_cm_per_px;
            bad |= add_num(sc, "body_cm_per_px", body, 1e4);
            bad |= add_num(sc, "plate_cm_per_px", plate, 1e4);
            bad |= add_str(sc, "used", ks->use_world         ? "world"
                                       : ks->scale_plate     ? "plate"
                                       : isfinite(body)      ? "body"
                                                             : "none");
            bad |= add_num(sc, "agreement", plate / body, 1000);
            bad |= !cJSON_AddBoolToObject(sc, "plates_small", ks->plates_small != 0);
            bad |= add_num(sc, "bar_from_plate", ks->bar_plate_share, 1000);
        }
    }

    cJSON *set = cJSON_AddObjectToObject(root, "set");
    bad |= !set;
    if (set) {
        bad |= !cJSON_AddNumberToObject(set, "n_reps", res ? (double)res->n_reps : 0);
        bad |= !cJSON_AddNumberToObject(set, "n_full", res ? (double)res->n_full : 0);
        /* a single-leg set: its reps per standing leg */
        if (res && res->n_stand_left + res->n_stand_right > 0) {
            bad |= !cJSON_AddNumberToObject(set, "reps_left_leg", (double)res->n_stand_left);
            bad |= !cJSON_AddNumberToObject(set, "reps_right_leg", (double)res->n_stand_right);
        }
        bad |= add_num(set, "score", res ? res->set_score : NAN, 10);
        bad |= add_num(set, "consistency", res ? res->consistency : NAN, 10);
        bad |= add_num(set, "fatigue_trend", res ? res->fatigue_trend : NAN, 1e3);
        bad |= add_num(set, "bar_speed_best_mps", res ? res->bar_speed_best_mps : NAN, 1e3);
        bad |= add_num(set, "bar_speed_last_mps", res ? res->bar_speed_last_mps : NAN, 1e3);
        bad |= add_num(set, "velocity_loss_pct", res ? res->velocity_loss_pct : NAN, 10);
        bad |= !cJSON_AddNumberToObject(set, "n_scored", res ? (double)res->n_scored : 0);
        bad |= add_num(set, "confidence", res ? res->confidence : NAN, 1e3);
        bad |= add_str(set, "verdict", report_set_verdict(res));
        if (res && res->unscored_reason[0])
            bad |= add_str(set, "verdict_reason", res->unscored_reason);
        else
            bad |= !cJSON_AddNullToObject(set, "verdict_reason");
        const int worst = report_worst_severity(res);
        bad |= add_str(set, "worst_severity",
                       worst < 0 ? "none" : rules_severity_name((enum rules_severity)worst));
        cJSON *cues = cJSON_AddArrayToObject(set, "top_cues");
        bad |= !cues;
        size_t idx[3];
        int cnt[3];
        const size_t n = report_top_cues(res, idx, cnt, 3);
        for (size_t k = 0; cues && k < n; k++) {
            const struct rules_finding *f = &res->findings[idx[k]];
            cJSON *c = cJSON_CreateObject();
            bad |= !c;
            if (!c)
                break;
            cJSON_AddItemToArray(cues, c);
            bad |= add_str(c, "rule", f->rule) ||
                   add_str(c, "severity", rules_severity_name(f->severity)) ||
                   !cJSON_AddNumberToObject(c, "n_reps", cnt[k]) ||
                   add_str(c, "message", f->message) || add_str(c, "fix", f->fix);
        }
    }

    cJSON *reps = cJSON_AddArrayToObject(root, "reps");
    bad |= !reps;
    for (size_t r = 0; reps && res && !bad && r < res->n_reps; r++) {
        cJSON *rj = rep_json(in, r);
        bad |= !rj;
        if (rj)
            cJSON_AddItemToArray(reps, rj);
    }
    cJSON *sf = cJSON_AddArrayToObject(root, "findings");
    bad |= !sf;
    if (sf && res && !bad)
        bad |= add_findings(sf, in, res->first_set_finding, res->n_set_findings);

    if (!o->deterministic) {
        cJSON *tm = cJSON_AddObjectToObject(root, "timings");
        bad |= !tm || add_num(tm, "pose_s", in->pose_s, 1e4) ||
               add_num(tm, "analysis_s", in->analysis_s, 1e4);
    }
    if (o->series && in->ks && !bad)
        bad |= add_series(root, in);
    if (bad) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static enum hc_status json_write(const struct report_input *in, const struct report_options *o,
                                FILE *f)
{
    cJSON *root = report_json_build(in, o);
    if (!root)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory building the JSON report", in->path);
    char *raw = cJSON_Print(root);
    cJSON_Delete(root);
    /* names and messages may hold bytes that are not UTF-8 (a file name from another system):
     * JSON must be UTF-8, so they become U+FFFD (outside strings JSON is ASCII) */
    char *text = raw ? hc_utf8_sanitize(raw) : NULL;
    cJSON_free(raw);
    if (!text)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory printing the JSON report", in->path);
    const size_t len = strlen(text);
    const int bad = fwrite(text, 1, len, f) != len || fputc('\n', f) == EOF;
    free(text);
    return bad ? hc_fail(HC_ERR_IO, "%s: cannot write the JSON report; check the disk", in->path)
               : HC_OK;
}

const struct report_format report_format_json = {
    .name = "json",
    .ext = "json",
    .flag = "json",
    .metavar = "FILE",
    .help = "also write the full report as JSON to FILE (- for stdout: replaces the text)",
    .flags = REPORT_STDOUT,
    .batch = 1,
    .write = json_write,
};
