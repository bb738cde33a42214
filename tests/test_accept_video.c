/* test_accept_video.c - the rules' acceptance through the WHOLE pipeline: hc_synth renders a clip
 * with known truth (tools/synth, docs/SYNTH.md), hc_analyse_file runs it through video decode,
 * our BlazePose stage (full model), kin, reps and rules, and the JSON report (with --series) is
 * compared with the truth file. Per case: rep count exact; median |hip angle| and |knee flexion|
 * error over the frames <= 3 deg (side views); the injected fault's rule found on its rep
 * (warning or error) and not on the clean reps; a clean clip gets no warning or error at all.
 * (tests/test_accept_synth.c checks the same on the true landmarks, without video and pose.)
 *
 * Every case is rendered and analysed once, in the parent before the Check cases fork, and a
 * table (clip, reps, angle errors, rules found per rep, check verdicts) is printed so a failure
 * can be diagnosed from the log alone. Checks that fail today for a known reason are listed in
 * known_open[] with the reason: printed as OPEN and not failing the suite, so they can be handed
 * to the tuning work; a listed check that passes is printed as FIXED (remove it from the list).
 *
 * Environment: HC_ACCEPT_VIDEO_STRICT=1 treats every OPEN check as a failure (and FIXED too);
 * HC_ACCEPT_VIDEO_KEEP=1 keeps the clips, truth files and reports in the temp dir;
 * HC_ACCEPT_VIDEO_ONLY=NAME runs one case. Labels: model, slow (needs the models; skipped with a
 * message when they are absent). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "hingecheck.h"
#include "core/core.h"

#include <cjson/cJSON.h>
#include <check.h>
#include "hc_check.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Clip geometry. 640x360 is the smallest frame at which the full model tracks the synth figure
 * with margin: the clean RDL reads hip / knee medians of 2.5 / 2.8 deg at 384x216, 2.4 / 2.7 at
 * 480x270, 2.1 / 2.3 here and 1.9 / 1.9 at 960x540 (docs/SYNTH.md, "Through the whole
 * pipeline"). Small frames keep rendering and decoding cheap, so the 13 clips fit in ~3 minutes
 * on 2 cores (the pose stage's cost hardly depends on the frame size). */
#define CLIP_W 640
#define CLIP_H 360
#define CLIP_FPS 30
#define N_REPS 3
#define FAULT_REP 2
/* Acceptance: hip and knee angle errors within 3 deg median on side-view clips. */
#define MAX_MEDIAN_ERR_DEG 3.0

/* ---- cases ------------------------------------------------------------------------------- */

struct vcase {
    const char *name;   /* case name: table row, known_open key, HC_ACCEPT_VIDEO_ONLY */
    const char *lift;   /* hc_synth --lift and hingecheck --exercise */
    const char *fault;  /* hc_synth fault on rep FAULT_REP; NULL: a clean clip */
    const char *rule;   /* the rule the fault must trigger (docs/SYNTH.md, "Faults") */
    const char *metric; /* per-rep report metric shown in the table (the rule's, docs/RULES.md) */
    const char *truth;  /* the truth file's per-rep key for the same quantity; NULL: none */
};

/* The fault list (too deep, too shallow, stiff knees, squatting, rounded spine, bar
 * drift, heel lift, fast lowering, bounce, hips rising early) on RDL, plus clean clips. */
static const struct vcase cases[] = {
    {"rdl-clean", "rdl", NULL, NULL, "knee_flexion_range_deg", NULL},
    {"rdl-too-deep", "rdl", "too-deep", "hip-depth-excessive", "hip_angle_bottom_deg",
     "hip_angle_bottom_deg"},
    {"rdl-too-shallow", "rdl", "too-shallow", "hip-depth-shallow", "hip_angle_bottom_deg",
     "hip_angle_bottom_deg"},
    {"rdl-stiff-knees", "rdl", "stiff-knees", "knee-locked", "knee_flexion_mid_deg", NULL},
    {"rdl-squat", "rdl", "squat", "knee-squat", "knee_flexion_bottom_deg",
     "knee_flexion_bottom_deg"},
    {"rdl-rounded-spine", "rdl", "rounded-spine", "spine-rounded", "spine_curvature_max",
     "spine_curvature_max"},
    {"rdl-bar-drift", "rdl", "bar-drift", "bar-drift", "bar_drift_cm", NULL},
    {"rdl-heel-lift", "rdl", "heel-lift", "heel-lift", "heel_lift_max_cm", "heel_lift_max_cm"},
    {"rdl-fast-lowering", "rdl", "fast-lowering", "lowering-fast", "lowering_s", "lowering_s"},
    {"rdl-bounce", "rdl", "bounce", "bounce", "bottom_arrival_ratio", NULL},
    {"rdl-hips-early", "rdl", "hips-early", "hips-rise-early", "torso_drop_rising_deg", NULL},
    {"deadlift-clean", "deadlift", NULL, NULL, "hip_angle_bottom_deg", "hip_angle_bottom_deg"},
    {"kb-swing-clean", "kb-swing", NULL, NULL, "hip_angle_bottom_deg", "hip_angle_bottom_deg"},
};
#define N_CASES ((int)(sizeof cases / sizeof cases[0]))

/* The checks made on every case (a bit each). */
enum vcheck {
    CK_RUN = 1 << 0,      /* rendered and analysed */
    CK_REPS = 1 << 1,     /* N_REPS reps found, all full */
    CK_HIP = 1 << 2,      /* median |hip angle error| <= 3 deg */
    CK_KNEE = 1 << 3,     /* median |knee flexion error| <= 3 deg */
    CK_FAULT = 1 << 4,    /* fault cases: the rule fired (warning/error) on rep FAULT_REP */
    CK_ISOLATED = 1 << 5, /* fault cases: the rule did not fire on the clean reps */
    CK_CLEAN = 1 << 6,    /* clean cases: no warning or error anywhere */
    CK_IMPLEMENT = 1 << 7, /* the image (src/implement) never reads the other implement than
                            * the one drawn (hc_synth draws a bell for the swing, a far plate
                            * for the barbell lifts): no kettlebell verdict on a barbell lift,
                            * which would silence bar-drift, and no barbell on the swing */
};
static const struct {
    enum vcheck ck;
    const char *name;
} check_names[] = {{CK_RUN, "run"},    {CK_REPS, "reps"},   {CK_HIP, "hip"},
                   {CK_KNEE, "knee"},  {CK_FAULT, "fault"}, {CK_ISOLATED, "isolated"},
                   {CK_CLEAN, "clean"}, {CK_IMPLEMENT, "implement"}};

/* Checks that fail today, with the diagnosis (measured through pose vs the truth). The rules
 * were tuned on true landmarks (tests/test_accept_synth.c); these are for the tuning work. */
static const struct {
    const char *name;
    enum vcheck ck;
    const char *reason;
} known_open[] = {
    /* none open today (2026-11-23): knee-locked now reads the knee mid-hinge (docs/RULES.md,
     * knee_flexion_mid_deg) and the synth's shoulder protracts (docs/SYNTH.md) */
    {NULL, 0, NULL}, /* terminator: C has no empty arrays */
};

#define N_KNOWN_OPEN ((int)(sizeof known_open / sizeof known_open[0]) - 1)

static const char *known_reason(const char *name, enum vcheck ck)
{
    for (size_t k = 0; known_open[k].name; k++)
        if (known_open[k].ck == ck && strcmp(known_open[k].name, name) == 0)
            return known_open[k].reason;
    return NULL;
}

/* ---- results (filled in the parent, read by the forked Check cases) ---------------------- */

#define MAX_REPS_SHOWN 4
struct vresult {
    int ran;
    char error[1600];
    double secs_render, secs_analyse;
    int n_reps, n_full;
    double hip_err, knee_err; /* median |error| (deg), NaN when not measured */
    int n_angle_frames;       /* frames with both measured and true angles */
    char view[16];
    char per_rep[MAX_REPS_SHOWN][200]; /* warnings/errors per rep ("!" = error) */
    char set_level[120];               /* set-level warnings/errors */
    char metric[120];                  /* the case's metric per rep: measured (truth) */
    unsigned passed;                   /* enum vcheck bits that passed */
    unsigned checked;                  /* enum vcheck bits that apply */
};
static struct vresult results[N_CASES];
static char tmpdir[256];
static int strict;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        const long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
            if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
            } else {
                buf[n] = '\0';
            }
        }
    }
    fclose(f);
    return buf;
}

static cJSON *load_json(const char *path)
{
    char *s = slurp(path);
    cJSON *j = s ? cJSON_Parse(s) : NULL;
    free(s);
    return j;
}

/* Median |measured - truth| over frames matched by time (frame number = round(t * fps));
 * truth_from_flexion: the truth value is 180 - that series (the truth's signed hip flexion,
 * which kin's signed hip angle mirrors: > 180 leaning back). NaN when fewer than half the true
 * frames are measured (the pose lost the lifter: an error of its own). */
static double median_err(const cJSON *meas, const cJSON *meas_t, const cJSON *truth,
                         const cJSON *truth_t, int truth_from_flexion, double fps, int *n_out)
{
    const int nt = cJSON_GetArraySize(truth), nm = cJSON_GetArraySize(meas);
    if (nt <= 0 || nt != cJSON_GetArraySize(truth_t) || nm != cJSON_GetArraySize(meas_t))
        return NAN;
    double *tv = malloc((size_t)nt * sizeof *tv), *d = malloc((size_t)nt * sizeof *d);
    if (!tv || !d) {
        free(tv);
        free(d);
        return NAN;
    }
    for (int i = 0; i < nt; i++)
        tv[i] = NAN;
    for (int i = 0; i < nt; i++) {
        const cJSON *v = cJSON_GetArrayItem(truth, i), *t = cJSON_GetArrayItem(truth_t, i);
        const long f = lround(cJSON_GetNumberValue(t) * fps);
        if (cJSON_IsNumber(v) && f >= 0 && f < nt)
            tv[f] = truth_from_flexion ? 180.0 - v->valuedouble : v->valuedouble;
    }
    int m = 0;
    for (int i = 0; i < nm; i++) {
        const cJSON *v = cJSON_GetArrayItem(meas, i), *t = cJSON_GetArrayItem(meas_t, i);
        const long f = lround(cJSON_GetNumberValue(t) * fps);
        if (cJSON_IsNumber(v) && f >= 0 && f < nt && isfinite(tv[f]))
            d[m++] = fabs(v->valuedouble - tv[f]);
    }
    double med = NAN;
    if (m > nt / 2) {
        qsort(d, (size_t)m, sizeof *d, hc_cmp_double);
        med = d[m / 2];
    }
    *n_out = m;
    free(tv);
    free(d);
    return med;
}

/* Non-zero when `rule` has a warning or error in the findings array `fs`. */
static int has_rule(const cJSON *fs, const char *rule)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, fs)
    {
        const char *r = cJSON_GetStringValue(cJSON_GetObjectItem(f, "rule"));
        const char *sev = cJSON_GetStringValue(cJSON_GetObjectItem(f, "severity"));
        if (r && sev && strcmp(sev, "info") != 0 && strcmp(r, rule) == 0)
            return 1;
    }
    return 0;
}

/* Appends the warnings/errors of `fs` to buf as "rule=value" ("!" after an error's rule);
 * returns how many. */
static int list_findings(const cJSON *fs, char *buf, size_t n)
{
    int k = 0;
    const cJSON *f;
    buf[0] = '\0';
    cJSON_ArrayForEach(f, fs)
    {
        const char *r = cJSON_GetStringValue(cJSON_GetObjectItem(f, "rule"));
        const char *sev = cJSON_GetStringValue(cJSON_GetObjectItem(f, "severity"));
        if (!r || !sev || strcmp(sev, "info") == 0)
            continue;
        const cJSON *v = cJSON_GetObjectItem(f, "value");
        char one[80];
        if (cJSON_IsNumber(v))
            snprintf(one, sizeof one, "%s%s%s=%.3g", k ? " " : "", r,
                     strcmp(sev, "error") == 0 ? "!" : "", v->valuedouble);
        else
            snprintf(one, sizeof one, "%s%s%s", k ? " " : "", r,
                     strcmp(sev, "error") == 0 ? "!" : "");
        const size_t len = strlen(buf);
        if (len + strlen(one) < n)
            memcpy(buf + len, one, strlen(one) + 1);
        k++;
    }
    if (!k)
        snprintf(buf, n, "-");
    return k;
}

static void path_of(char *buf, size_t n, const char *name, const char *ext)
{
    snprintf(buf, n, "%s/%s%s", tmpdir, name, ext);
}

/* Renders, analyses and measures case c into results[c]. Never asserts (runs in the parent). */
static void run_case(int c)
{
    const struct vcase *vc = &cases[c];
    struct vresult *r = &results[c];
    memset(r, 0, sizeof *r);
    r->hip_err = r->knee_err = NAN;
    r->checked = CK_RUN | CK_REPS | CK_HIP | CK_KNEE | CK_IMPLEMENT;
    r->checked |= vc->fault ? CK_FAULT | CK_ISOLATED : CK_CLEAN;
    char clip[320], truth_path[320], report[320], cmd[1400], fault_arg[64] = "";
    path_of(clip, sizeof clip, vc->name, ".mp4");
    path_of(truth_path, sizeof truth_path, vc->name, ".truth.json");
    path_of(report, sizeof report, vc->name, ".json");
    if (vc->fault)
        snprintf(fault_arg, sizeof fault_arg, "--fault %s@%d", vc->fault, FAULT_REP);
    snprintf(cmd, sizeof cmd,
             "'%s' --lift %s --reps %d --width %d --height %d --fps %d %s --out '%s' "
             "--truth '%s' > /dev/null",
             HC_SYNTH_PATH, vc->lift, N_REPS, CLIP_W, CLIP_H, CLIP_FPS, fault_arg, clip,
             truth_path);
    double t0 = now_s();
    if (system(cmd) != 0) {
        snprintf(r->error, sizeof r->error, "hc_synth failed: %s", cmd);
        return;
    }
    r->secs_render = now_s() - t0;

    struct hc_analysis_params ap = hc_analysis_default_params();
    ap.exercise = vc->lift;
    ap.clip.pose.model_dir = HC_MODEL_DIR;
    ap.clip.pose.model = HC_POSE_MODEL_FULL;
    struct hc_analysis *an = NULL;
    t0 = now_s();
    enum hc_status st = hc_analyse_file(clip, &ap, &an);
    r->secs_analyse = now_s() - t0;
    if (st != HC_OK) {
        snprintf(r->error, sizeof r->error, "hc_analyse_file %s: %s", clip, hc_strerror(st));
        return;
    }
    struct hc_report_options ro = hc_report_default_options();
    ro.series = 1;
    ro.deterministic = 1;
    st = hc_analysis_write(an, "json", report, &ro);
    hc_analysis_free(an);
    if (st != HC_OK) {
        snprintf(r->error, sizeof r->error, "hc_analysis_write %s: %s", report, hc_strerror(st));
        return;
    }
    cJSON *rep = load_json(report), *tru = load_json(truth_path);
    if (!rep || !tru) {
        snprintf(r->error, sizeof r->error, "cannot parse %s or %s", report, truth_path);
        cJSON_Delete(rep);
        cJSON_Delete(tru);
        return;
    }
    r->ran = 1;
    r->passed |= CK_RUN;

    /* reps */
    const cJSON *set = cJSON_GetObjectItem(rep, "set");
    r->n_reps = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(set, "n_reps"));
    r->n_full = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(set, "n_full"));
    const int want_reps = (int)cJSON_GetNumberValue(
        cJSON_GetObjectItem(cJSON_GetObjectItem(tru, "params"), "n_reps"));
    if (want_reps == N_REPS && r->n_reps == N_REPS && r->n_full == N_REPS)
        r->passed |= CK_REPS;

    /* angles, frame by frame against the truth */
    const cJSON *ser = cJSON_GetObjectItem(rep, "series"), *ts = cJSON_GetObjectItem(tru, "series");
    const double fps =
        cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(tru, "clip"), "fps"));
    int n_h = 0, n_k = 0;
    r->hip_err = median_err(
        cJSON_GetObjectItem(ser, "hip_angle_deg"), cJSON_GetObjectItem(ser, "t_s"),
        cJSON_GetObjectItem(ts, "hip_flexion_deg"), cJSON_GetObjectItem(ts, "t_s"), 1, fps, &n_h);
    r->knee_err = median_err(
        cJSON_GetObjectItem(ser, "knee_flexion_deg"), cJSON_GetObjectItem(ser, "t_s"),
        cJSON_GetObjectItem(ts, "knee_flexion_deg"), cJSON_GetObjectItem(ts, "t_s"), 0, fps, &n_k);
    r->n_angle_frames = n_h < n_k ? n_h : n_k;
    const char *view =
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(rep, "view"), "verdict"));
    snprintf(r->view, sizeof r->view, "%s", view ? view : "?");
    const cJSON *imp = cJSON_GetObjectItem(rep, "implement");
    const char *isrc = cJSON_GetStringValue(cJSON_GetObjectItem(imp, "source"));
    const char *iimg = cJSON_GetStringValue(cJSON_GetObjectItem(imp, "image"));
    const char *ikind = cJSON_GetStringValue(cJSON_GetObjectItem(imp, "kind"));
    const int bell = strcmp(vc->lift, "kb-swing") == 0;
    if (isrc && iimg && ikind && strcmp(iimg, bell ? "barbell" : "kettlebell") != 0 &&
        (strcmp(isrc, "image") != 0 || strcmp(ikind, bell ? "kettlebell" : "barbell") == 0))
        r->passed |= CK_IMPLEMENT;
    if (isfinite(r->hip_err) && r->hip_err <= MAX_MEDIAN_ERR_DEG)
        r->passed |= CK_HIP;
    if (isfinite(r->knee_err) && r->knee_err <= MAX_MEDIAN_ERR_DEG)
        r->passed |= CK_KNEE;

    /* findings */
    int n_bad =
        list_findings(cJSON_GetObjectItem(rep, "findings"), r->set_level, sizeof r->set_level);
    int on_fault_rep = 0, on_clean_rep = 0;
    const cJSON *rp;
    cJSON_ArrayForEach(rp, cJSON_GetObjectItem(rep, "reps"))
    {
        const int idx = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(rp, "index"));
        const cJSON *fs = cJSON_GetObjectItem(rp, "findings");
        char buf[200];
        n_bad += list_findings(fs, buf, sizeof buf);
        if (idx >= 1 && idx <= MAX_REPS_SHOWN)
            memcpy(r->per_rep[idx - 1], buf, sizeof buf);
        if (vc->rule && has_rule(fs, vc->rule)) {
            if (idx == FAULT_REP)
                on_fault_rep = 1;
            else
                on_clean_rep = 1;
        }
    }
    /* the case's metric per rep, measured (truth) */
    const cJSON *treps = cJSON_GetObjectItem(tru, "reps");
    size_t len = 0;
    for (int k = 0; k < N_REPS && len < sizeof r->metric; k++) {
        const cJSON *m = cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(rep, "reps"), k), "metrics"),
            vc->metric);
        const cJSON *t =
            vc->truth ? cJSON_GetObjectItem(cJSON_GetArrayItem(treps, k), vc->truth) : NULL;
        char mv[24] = "null", tv[24] = "";
        if (cJSON_IsNumber(m))
            snprintf(mv, sizeof mv, "%.3g", m->valuedouble);
        if (cJSON_IsNumber(t))
            snprintf(tv, sizeof tv, "(%.3g)", t->valuedouble);
        len += (size_t)snprintf(r->metric + len, sizeof r->metric - len, " %d:%s%s", k + 1, mv, tv);
    }
    if (vc->fault) {
        /* the truth file names the rule the generator meant; it must be ours */
        const cJSON *tf = cJSON_GetArrayItem(cJSON_GetObjectItem(tru, "faults"), 0);
        const char *trule = cJSON_GetStringValue(cJSON_GetObjectItem(tf, "rule"));
        if (!trule || strcmp(trule, vc->rule) != 0)
            snprintf(r->error, sizeof r->error, "truth names rule %s, the case %s",
                     trule ? trule : "(none)", vc->rule);
        else if (on_fault_rep)
            r->passed |= CK_FAULT;
        if (!on_clean_rep)
            r->passed |= CK_ISOLATED;
    } else if (n_bad == 0) {
        r->passed |= CK_CLEAN;
    }
    cJSON_Delete(rep);
    cJSON_Delete(tru);
}

/* A check's verdict: OPEN = fails, listed in known_open; FIXED = passes, but listed. */
enum vverdict { V_OK, V_FAIL, V_OPEN, V_FIXED, V_NA, V_N };
static const char *const vverdict_names[V_N] = {"ok", "FAIL", "OPEN", "FIXED", "n/a"};

static enum vverdict vverdict(int c, enum vcheck ck)
{
    const struct vresult *r = &results[c];
    if (!(r->checked & ck))
        return V_NA;
    const int pass = (r->passed & ck) != 0;
    const int open = known_reason(cases[c].name, ck) != NULL;
    if (pass)
        return open ? V_FIXED : V_OK;
    return open && !strict ? V_OPEN : V_FAIL;
}

static const char *verdict(int c, enum vcheck ck)
{
    return vverdict_names[vverdict(c, ck)];
}

static void print_table(void)
{
    printf("\ntest_accept_video: %dx%d %d fps, %d reps, fault on rep %d, full model; "
           "angle errors are medians over the frames (deg)\n",
           CLIP_W, CLIP_H, CLIP_FPS, N_REPS, FAULT_REP);
    printf("%-18s %-20s %5s %5s %5s %-5s %6s  %s\n", "case", "expected rule", "reps", "hip", "knee",
           "view", "time", "rules found per rep (warnings, ! = error) / set");
    for (int c = 0; c < N_CASES; c++) {
        const struct vresult *r = &results[c];
        if (!r->checked)
            continue; /* not selected (HC_ACCEPT_VIDEO_ONLY) */
        char reps[16];
        snprintf(reps, sizeof reps, "%d/%d", r->n_reps, N_REPS);
        printf("%-18s %-20s %5s %5.1f %5.1f %-5s %5.1fs ", cases[c].name,
               cases[c].rule ? cases[c].rule : "(none)", reps, r->hip_err, r->knee_err, r->view,
               r->secs_render + r->secs_analyse);
        for (int k = 0; k < N_REPS; k++)
            printf(" %d:[%s]", k + 1, r->per_rep[k][0] ? r->per_rep[k] : "no rep");
        if (r->set_level[0] && strcmp(r->set_level, "-") != 0)
            printf(" set:[%s]", r->set_level);
        printf("\n");
        printf("  %-16s %s per rep, measured (truth):%s\n", "", cases[c].metric, r->metric);
        if (r->error[0])
            printf("  %-16s error: %s\n", "", r->error);
        printf("  %-16s", "");
        for (size_t k = 0; k < sizeof check_names / sizeof check_names[0]; k++)
            if (r->checked & check_names[k].ck)
                printf(" %s=%s", check_names[k].name, verdict(c, check_names[k].ck));
        printf("\n");
        for (size_t k = 0; k < sizeof check_names / sizeof check_names[0]; k++) {
            const char *why = known_reason(cases[c].name, check_names[k].ck);
            const enum vverdict v = vverdict(c, check_names[k].ck);
            if (why && v == V_OPEN)
                printf("  %-16s OPEN %s: %s\n", "", check_names[k].name, why);
            else if (why && v == V_FIXED)
                printf("  %-16s FIXED %s: passes now; remove it from known_open[]\n", "",
                       check_names[k].name);
        }
    }
    int n[V_N] = {0}; /* per verdict */
    for (int c = 0; c < N_CASES; c++)
        for (size_t k = 0; k < sizeof check_names / sizeof check_names[0]; k++)
            n[vverdict(c, check_names[k].ck)]++;
    printf("checks: %d ok, %d FAIL, %d OPEN (known_open[], not failing%s), %d FIXED\n", n[0], n[1],
           n[2], strict ? "; STRICT: failing" : "", n[3]);
    fflush(stdout);
}

/* ---- Check cases: one per case and check, asserting on the stored results ---------------- */

static int selected(int c)
{
    const char *only = getenv("HC_ACCEPT_VIDEO_ONLY");
    return !only || !*only || strcmp(only, cases[c].name) == 0;
}

static void assert_check(int c, enum vcheck ck, const char *what)
{
    const enum vverdict v = vverdict(c, ck);
    const char *why = known_reason(cases[c].name, ck);
    const struct vresult *r = &results[c];
    char detail[200];
    if (ck == CK_REPS)
        snprintf(detail, sizeof detail, "%d reps (%d full), want %d", r->n_reps, r->n_full, N_REPS);
    else if (ck == CK_HIP || ck == CK_KNEE)
        snprintf(detail, sizeof detail, "median error %.2f deg over %d frames, limit %.1f",
                 ck == CK_HIP ? r->hip_err : r->knee_err, r->n_angle_frames, MAX_MEDIAN_ERR_DEG);
    else if (ck == CK_FAULT || ck == CK_ISOLATED)
        snprintf(detail, sizeof detail, "%s on rep %d: [%s]; %s:%s", cases[c].rule, FAULT_REP,
                 r->per_rep[FAULT_REP - 1], cases[c].metric, r->metric);
    else
        snprintf(detail, sizeof detail, "see the table");
    if (v == V_FAIL)
        ck_abort_msg("%s: %s failed (%s)%s%s", cases[c].name, what, r->error[0] ? r->error : detail,
                     why ? "; known open: " : "", why ? why : "");
    if (strict && v == V_FIXED)
        ck_abort_msg("%s: %s passes but is listed in known_open[]", cases[c].name, what);
}

START_TEST(case_checks)
{
    if (!selected(_i))
        return;
    const struct vresult *r = &results[_i];
    ck_assert_msg(r->checked & CK_RUN, "%s: not run", cases[_i].name);
    for (size_t k = 0; k < sizeof check_names / sizeof check_names[0]; k++)
        if (r->checked & check_names[k].ck)
            assert_check(_i, check_names[k].ck, check_names[k].name);
}
END_TEST

/* known_open[] names real cases and checks that apply to them (no stale entries). */
START_TEST(known_open_valid)
{
    const size_t k = (size_t)_i;
    int found = 0;
    for (int c = 0; c < N_CASES; c++)
        if (strcmp(cases[c].name, known_open[k].name) == 0) {
            found = 1;
            const unsigned applies = cases[c].fault ? CK_FAULT | CK_ISOLATED : CK_CLEAN;
            ck_assert_msg((known_open[k].ck & (applies | CK_REPS | CK_HIP | CK_KNEE | CK_RUN | CK_IMPLEMENT)) != 0,
                          "known_open[%zu] (%s): check does not apply", k, known_open[k].name);
        }
    ck_assert_msg(found, "known_open[%zu]: no case %s", k, known_open[k].name);
}
END_TEST

static void cleanup(void)
{
    const char *keep = getenv("HC_ACCEPT_VIDEO_KEEP");
    if (keep && *keep && strcmp(keep, "0") != 0) {
        printf("test_accept_video: kept %s\n", tmpdir);
        return;
    }
    static const char *const exts[] = {".mp4", ".truth.json", ".json"};
    char p[320];
    for (int c = 0; c < N_CASES; c++)
        for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
            path_of(p, sizeof p, cases[c].name, exts[e]);
            remove(p);
        }
    rmdir(tmpdir);
}

int main(void)
{
    static const char *const models[] = {HC_MODEL_DIR "/pose_detection.tflite",
                                         HC_MODEL_DIR "/pose_landmark_full.tflite"};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        if (access(models[k], R_OK) != 0) {
            printf("test_accept_video: skipped: %s not found (run models/fetch-models.sh)\n",
                   models[k]);
            return EXIT_SUCCESS;
        }
    const char *s = getenv("HC_ACCEPT_VIDEO_STRICT");
    strict = s && *s && strcmp(s, "0") != 0;
    snprintf(tmpdir, sizeof tmpdir, "%s/hc_accept_video.XXXXXX",
             getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("test_accept_video: mkdtemp");
        return EXIT_FAILURE;
    }
    const double t0 = now_s();
    for (int c = 0; c < N_CASES; c++)
        if (selected(c))
            run_case(c);
    print_table();
    printf("test_accept_video: %.1f s for the clips (timings are noisy on a shared machine)\n",
           now_s() - t0);
    cleanup();

    Suite *su = suite_create("accept_video");
    TCase *tc = tcase_create("video");
    tcase_add_loop_test(tc, case_checks, 0, N_CASES);
    tcase_add_loop_test(tc, known_open_valid, 0, N_KNOWN_OPEN);
    suite_add_tcase(su, tc);
    return hc_check_run(su);
}
