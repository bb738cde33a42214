#define _POSIX_C_SOURCE 200809L
/*
 * test_report_unit.c - the report writers on a hand-built rules result (no pose, no files):
 * the writer table, top-cue ranking, the worst finding per rep, expected-range text, CSV quoting,
 * NaN as JSON null, and colour only when asked.
 */
#include "report/report.h"
#include "report/report_batch.h"
#include "report/report_visual.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Three reps: rep 1 warning knee-locked + a not-assessable note (with its reason); rep 2 warning knee-locked and
 * error bar-drift; rep 3 warning heel-lift. Set note: view-oblique. */
static struct rules_finding findings[5];
static struct rules_rep_result reps[3];
static struct rules_result res;
static struct report_input in;

static void fill(void)
{
    memset(findings, 0, sizeof findings);
    memset(reps, 0, sizeof reps);
    memset(&res, 0, sizeof res);
    memset(&in, 0, sizeof in);
    const struct {
        const char *rule, *about;
        int rep;
        enum rules_severity sev;
    } f[] = {{"not-assessable", "spine-rounded", 1, RULES_INFO},
             {"knee-locked", NULL, 1, RULES_WARNING},
             {"knee-locked", NULL, 2, RULES_WARNING},
             {"bar-drift", NULL, 2, RULES_ERROR},
             {"heel-lift", NULL, 3, RULES_WARNING}};
    for (int i = 0; i < 5; i++) {
        findings[i].rule = f[i].rule;
        findings[i].about = f[i].about;
        findings[i].rep = f[i].rep;
        findings[i].severity = f[i].sev;
        findings[i].value = f[i].about ? NAN : 1.0;
        findings[i].min = NAN;
        findings[i].max = 5.0;
        findings[i].metric = "bar_distance_max_cm";
        findings[i].unit = "cm";
        findings[i].confidence = 0.9;
        findings[i].message = "message, with \"quotes\"";
        findings[i].fix = "fix";
        findings[i].reason = f[i].about ? "knee hidden by the plate" : NULL;
    }
    const size_t first[3] = {0, 2, 4}, count[3] = {2, 2, 1};
    for (int r = 0; r < 3; r++) {
        reps[r].index = r + 1;
        reps[r].t_start_s = 4.0 * r;
        reps[r].t_bottom_s = 4.0 * r + 2;
        reps[r].t_end_s = 4.0 * r + 4;
        reps[r].score = 90.0 - 10 * r;
        for (int m = 0; m < RM_N_METRICS; m++) {
            reps[r].metrics[m] = m == RM_SPINE_CURVATURE_MAX ? NAN : 10.0 + m;
            reps[r].metric_conf[m] = 1.0;
        }
        reps[r].first_finding = first[r];
        reps[r].n_findings = count[r];
    }
    res.requested = REPS_LIFT_AUTO;
    res.detected = REPS_LIFT_RDL;
    res.n_reps = res.n_full = 3;
    res.reps = reps;
    res.findings = findings;
    res.n_findings = 5;
    res.first_set_finding = 5;
    res.n_set_findings = 0;
    res.set_score = 80.0;
    res.consistency = 90.0;
    res.fatigue_trend = -10.0;
    in.path = "dir/my, \"odd\" clip.mp4";
    in.source = in.path;
    in.width_px = 640;
    in.height_px = 360;
    in.fps = 30;
    in.duration_s = 12;
    in.model = "full";
    in.rules_name = "built-in rules";
    in.reason = "";
    in.res = &res;
}

START_TEST(format_table_is_consistent)
{
    char joined[128] = "";
    size_t n = 0;
    for (const struct report_format *const *f = report_formats; *f; f++, n++) {
        if (joined[0])
            strcat(joined, "|");
        strcat(joined, (*f)->name);
        ck_assert_ptr_eq(report_format_find((*f)->name), *f);
        /* a document or a video, never both */
        ck_assert_int_eq((*f)->write != NULL, (*f)->draw_frame == NULL);
        ck_assert((*f)->ext && (*f)->ext[0] && (*f)->help && (*f)->help[0]);
        ck_assert_msg(!(*f)->flag || ((*f)->metavar && (*f)->metavar[0]),
                      "%s: an option needs its value's name", (*f)->name);
        /* names and options are unique */
        for (const struct report_format *const *g = report_formats; g != f; g++) {
            ck_assert_str_ne((*g)->name, (*f)->name);
            ck_assert(!(*f)->flag || !(*g)->flag || strcmp((*f)->flag, (*g)->flag) != 0);
        }
    }
    ck_assert_uint_ge(n, 5);
    ck_assert_str_eq(joined, report_format_names());
    ck_assert_ptr_null(report_format_find("pdf"));
    ck_assert_ptr_null(report_format_find(NULL));
}
END_TEST

/* docs/REPORT.md's table of outputs lists every format of the table with its option, and only
 * those. */
START_TEST(report_doc_lists_every_format)
{
    FILE *f = fopen(HC_SOURCE_DIR "/docs/REPORT.md", "r");
    ck_assert_ptr_nonnull(f);
    static char doc[1 << 17];
    const size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    const char *table = strstr(doc, "| format | option | what |");
    ck_assert_msg(table != NULL, "docs/REPORT.md has no table of outputs");
    const char *end = strstr(table, "\n\n");
    ck_assert_ptr_nonnull(end);
    for (const struct report_format *const *fm = report_formats; *fm; fm++) {
        char row[64], opt[64];
        snprintf(row, sizeof row, "\n| `%s` |", (*fm)->name);
        const char *r = strstr(table, row);
        ck_assert_msg(r && r < end, "docs/REPORT.md does not list the format %s", (*fm)->name);
        if ((*fm)->flag) {
            snprintf(opt, sizeof opt, "`--%s %s`", (*fm)->flag, (*fm)->metavar);
            const char *nl = strchr(r + 1, '\n');
            const char *o = strstr(r, opt);
            ck_assert_msg(o && o < nl, "docs/REPORT.md: the %s row lacks %s", (*fm)->name, opt);
        }
    }
    /* every row names a format */
    size_t rows = 0;
    for (const char *r = strstr(table, "\n| `"); r && r < end; r = strstr(r + 1, "\n| `")) {
        char name[32] = "";
        ck_assert_int_eq(sscanf(r, "\n| `%31[^`]`", name), 1);
        ck_assert_msg(report_format_find(name) != NULL, "docs/REPORT.md lists '%s', no format",
                      name);
        rows++;
    }
    size_t n = 0;
    while (report_formats[n])
        n++;
    ck_assert_uint_eq(rows, n);
}
END_TEST

START_TEST(top_cues_rank_severity_then_count)
{
    fill();
    size_t idx[3];
    int cnt[3];
    ck_assert_uint_eq(report_top_cues(&res, idx, cnt, 3), 3);
    ck_assert_str_eq(findings[idx[0]].rule, "bar-drift");   /* the only error */
    ck_assert_int_eq(cnt[0], 1);
    ck_assert_str_eq(findings[idx[1]].rule, "knee-locked"); /* warning on 2 reps */
    ck_assert_int_eq(cnt[1], 2);
    ck_assert_str_eq(findings[idx[2]].rule, "heel-lift");
    ck_assert_uint_eq(report_top_cues(&res, idx, NULL, 1), 1);
    ck_assert_str_eq(findings[idx[0]].rule, "bar-drift");
    /* the worst of each rep skips notes */
    ck_assert_str_eq(findings[report_rep_worst(&res, 0)].rule, "knee-locked");
    ck_assert_str_eq(findings[report_rep_worst(&res, 1)].rule, "bar-drift");
    ck_assert_int_eq(report_worst_severity(&res), RULES_ERROR);
    ck_assert_int_eq(report_worst_severity(NULL), -1);
}
END_TEST

static const struct {
    double min, max;
    const char *unit, *want;
} expected_cases[] = {
    {70, 110, "deg", "70-110 deg"}, {NAN, 5, "cm", "<= 5 cm"}, {1.2, NAN, "s", ">= 1.2 s"},
    {NAN, NAN, "", "any"},          {0.1, 0.2, "", "0.1-0.2"},
};

START_TEST(expected_range_text)
{
    char buf[64];
    report_format_expected(expected_cases[_i].min, expected_cases[_i].max,
                           expected_cases[_i].unit, buf, sizeof buf);
    ck_assert_str_eq(buf, expected_cases[_i].want);
}
END_TEST

static char *write_to_string(enum hc_status (*fn)(const struct report_input *,
                                                  const struct report_options *, FILE *),
                             const struct report_options *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fn(&in, o, f), HC_OK);
    fclose(f);
    return buf;
}

/* a borderline note (a value within its uncertainty of a limit) is no warning: the CSV lists it
 * in its own column, and its text names the value, the uncertainty and the limit */
START_TEST(csv_borderline_column)
{
    fill();
    findings[4].severity = RULES_INFO;
    findings[4].borderline = 1;
    findings[4].value = 5.3;
    findings[4].uncertainty = 0.5;
    findings[4].limit = 5.0;
    const struct report_options o = {0, 0, 1, 0};
    char *s = write_to_string(report_format_csv.write, &o);
    ck_assert_ptr_nonnull(strstr(s, ",0,0,,,heel-lift,0,\n"));
    free(s);
    char buf[160];
    report_format_borderline(&findings[4], buf, sizeof buf);
    ck_assert_str_eq(buf, "bar ahead of mid-foot 5.3 +- 0.5 cm against 5 cm (band 4.5 to 5.5)");
    /* in a coach's units: the spine's curvature fraction as a percentage of the trunk */
    findings[4].metric = "spine_curvature_max";
    findings[4].unit = "";
    findings[4].value = 0.05;
    findings[4].uncertainty = 0.004;
    findings[4].limit = 0.047;
    report_format_borderline(&findings[4], buf, sizeof buf);
    ck_assert_str_eq(buf, "largest back rounding 5 +- 0.4% of trunk against 4.7% of trunk (band "
                          "4.3 to 5.1)");
}
END_TEST

START_TEST(csv_quotes_and_rows)
{
    fill();
    const struct report_options o = {0, 0, 1, 0};
    char *s = write_to_string(report_format_csv.write, &o);
    int lines = 0;
    for (const char *p = s; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 4); /* header + 3 reps */
    ck_assert_ptr_nonnull(strstr(s, "\"dir/my, \"\"odd\"\" clip.mp4\",rdl,2,0,"));
    ck_assert_ptr_nonnull(strstr(s, ",1,1,bar-drift,knee-locked;bar-drift,,0,\n"));
    /* NaN metric: empty field */
    ck_assert_ptr_nonnull(strstr(s, ",,"));
    free(s);
}
END_TEST

START_TEST(json_nan_is_null_and_deterministic)
{
    fill();
    const struct report_options o = {0, 0, 1, 0};
    cJSON *doc = report_json_build(&in, &o);
    ck_assert_ptr_nonnull(doc);
    const cJSON *rep = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "reps"), 0);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(rep, "metrics"),
                                               "spine_curvature_max")));
    ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetObjectItem(rep, "metrics"),
                                                 "hip_angle_bottom_deg")));
    const cJSON *na = cJSON_GetArrayItem(cJSON_GetObjectItem(rep, "findings"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(na, "about")->valuestring, "spine-rounded");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(na, "value")));
    ck_assert_str_eq(cJSON_GetObjectItem(na, "reason")->valuestring, "knee hidden by the plate");
    ck_assert_ptr_null(cJSON_GetObjectItem(na->next, "reason")); /* a judged finding: none */
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(rep, "findings")->child->next,
                                         "severity")->valuestring, "warning");
    ck_assert_ptr_null(cJSON_GetObjectItem(doc, "timings"));
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "set"), "worst_severity")
                         ->valuestring, "error");
    cJSON_Delete(doc);
}
END_TEST

/* A damaged file: frames 150-159 (5.0-5.3 s) skipped, inside rep 2 (4-8 s). Every writer says
 * so, and marks rep 2 alone. */
START_TEST(damage_marks_the_reps_it_touches)
{
    fill();
    struct hc_damage dm;
    memset(&dm, 0, sizeof dm);
    dm.n_frames_skipped = 10;
    dm.n_frames = 360;
    dm.n_ranges = 1;
    dm.range[0] = (struct hc_damage_range){150, 159, 5.0, 5.3};
    in.damage = &dm;
    const char *words = "frames 150-159 (5.00-5.30 s) could not be decoded";
    const struct report_options o = {0, 0, 1, 0};
    cJSON *doc = report_json_build(&in, &o);
    ck_assert_ptr_nonnull(doc);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "status"), "damaged")));
    const cJSON *clip = cJSON_GetObjectItem(doc, "clip");
    ck_assert_int_eq(cJSON_GetObjectItem(clip, "frames_skipped")->valueint, 10);
    const cJSON *g = cJSON_GetArrayItem(cJSON_GetObjectItem(clip, "damage"), 0);
    ck_assert_int_eq(cJSON_GetObjectItem(g, "first_frame")->valueint, 150);
    ck_assert_int_eq(cJSON_GetObjectItem(g, "last_frame")->valueint, 159);
    ck_assert_str_eq(cJSON_GetObjectItem(clip, "damage_note")->valuestring,
                     "10 of 360 frames could not be decoded and were skipped: frames 150-159 "
                     "(5.00-5.30 s)");
    for (int r = 0; r < 3; r++) {
        const cJSON *rj = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "reps"), r);
        ck_assert_int_eq(cJSON_IsTrue(cJSON_GetObjectItem(rj, "damaged")), r == 1);
        if (r == 1)
            ck_assert_str_eq(cJSON_GetObjectItem(rj, "damage")->valuestring, words);
        else
            ck_assert(cJSON_IsNull(cJSON_GetObjectItem(rj, "damage")));
    }
    cJSON_Delete(doc);
    char *csv = write_to_string(report_format_csv.write, &o);
    ck_assert_ptr_nonnull(strstr(csv, ",damaged,damage\n"));
    ck_assert_ptr_nonnull(strstr(csv, ",1,frames 150-159 (5.00-5.30 s) could not be decoded\n"));
    free(csv);
    char *txt = write_to_string(report_format_text.write, &o);
    ck_assert_ptr_nonnull(strstr(txt, "damaged file: 10 of 360 frames could not be decoded"));
    ck_assert_ptr_nonnull(strstr(txt, "\n  2! "));
    ck_assert_ptr_null(strstr(txt, "\n  1! "));
    ck_assert_ptr_nonnull(strstr(txt, words));
    free(txt);
    char *html = write_to_string(report_format_html.write, &o);
    ck_assert_ptr_nonnull(strstr(html, "damaged file"));
    ck_assert_ptr_nonnull(strstr(html, words));
    free(html);
    /* an intact clip says nothing of damage */
    in.damage = NULL;
    txt = write_to_string(report_format_text.write, &o);
    ck_assert_ptr_null(strstr(txt, "damaged"));
    free(txt);
}
END_TEST

START_TEST(text_colour_only_when_asked)
{
    fill();
    for (int color = 0; color < 2; color++) {
        const struct report_options o = {color, 0, 0, 0};
        char *s = write_to_string(report_format_text.write, &o);
        ck_assert_int_eq(strchr(s, '\033') != NULL, color);
        ck_assert_ptr_nonnull(strstr(s, "Set: "));
        ck_assert_ptr_nonnull(strstr(s, "1. "));
        ck_assert_ptr_nonnull(strstr(s, "bar away from the body"));
        ck_assert_ptr_nonnull(strstr(s, "not assessable: rounded back (reps 1)"));
        ck_assert_ptr_nonnull(strstr(s, "form breaking down")); /* trend -10 points/rep */
        free(s);
    }
}
END_TEST

/* The text report's cue line is honest about severities: a cue with warnings on two reps and
 * an error on one is a warning cue that names the error's rep (labelling it "error" by its
 * worst finding overstated nine warnings and one error on a real clip); and NaN never reaches
 * the reader. */
START_TEST(text_cue_severity_and_no_nan)
{
    fill();
    findings[4].rule = "knee-locked"; /* rep 3: knee-locked as an error */
    findings[4].severity = RULES_ERROR;
    res.set_score = NAN;
    reps[0].score = NAN;
    snprintf(res.detect_reason, sizeof res.detect_reason, "test");
    const struct report_options o = {0, 0, 0, 0};
    char *s = write_to_string(report_format_text.write, &o);
    ck_assert_msg(strstr(s, "warning: locked knees (3 of 3 reps; error on rep 3)") != NULL, "%s",
                  s);
    ck_assert_msg(strstr(s, "error: bar away from the body (1 of 3 reps)") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "nan") == NULL, "NaN in the text report:\n%s", s);
    ck_assert_ptr_nonnull(strstr(s, "not scored"));
    ck_assert_msg(strstr(s, "not assessable: rounded back (reps 1): knee hidden by the plate\n"),
                  "%s", s);
    free(s);
}
END_TEST

/* One name per concept for a coach: the text report names rules in words and never shows an
 * id (those are for the JSON and CSV), its bar column is the value the bar-drift rule judged,
 * spine curvature reads as a percentage, and a legend says what each column means. */
START_TEST(text_names_and_judged_values)
{
    fill();
    reps[0].metrics[RM_BAR_DRIFT] = 13.4;
    reps[0].metrics[RM_BAR_DISTANCE_MAX] = 27.9;
    reps[0].metrics[RM_SPINE_CURVATURE_MAX] = 0.081;
    const struct report_options o = {0, 0, 0, 0};
    char *s = write_to_string(report_format_text.write, &o);
    static const char *const ids[] = {"bar-drift", "knee-locked", "spine-rounded", "heel-lift",
                                      "_deg", "_cm", "_max"};
    for (size_t k = 0; k < HC_ARRAY_LEN(ids); k++)
        ck_assert_msg(strstr(s, ids[k]) == NULL, "id %s in the text report:\n%s", ids[k], s);
    ck_assert_msg(strstr(s, " 13.4 ") != NULL && strstr(s, "27.9") == NULL, "%s", s);
    ck_assert_msg(strstr(s, "    +8 ") != NULL, "spine as a percentage:\n%s", s);
    ck_assert_ptr_nonnull(strstr(s, "depth: hip angle at the bottom"));
    ck_assert_ptr_nonnull(strstr(s, "knee: knee bend at the bottom (0 = straight leg)"));
    free(s);
}
END_TEST

/* The overlay's shorter side is at most the size asked for (0: 720) and its longer at most 16/9 of
 * it, in either orientation, aspect kept, even sides; smaller clips keep their size (less an odd
 * column or row). */
START_TEST(overlay_size_bounded)
{
    static const int cases[][5] = {
        {3840, 2160, 1080, 1920, 1080}, {3840, 2160, 0, 1280, 720},
        {8192, 4608, 1080, 1920, 1080}, {2160, 3840, 1080, 1080, 1920},
        {2160, 3840, 0, 720, 1280},     {1920, 1080, 0, 1280, 720},
        {1920, 1080, 1080, 1920, 1080}, {1920, 1080, 480, 852, 480},
        {1080, 1920, 480, 480, 852},    {1281, 721, 1080, 1280, 720},
        {4000, 1000, 1080, 1920, 480},  {4000, 1000, 0, 1280, 320},
        {480, 360, 0, 480, 360},        {16, 8192, 1080, 4, 1920},
    };
    for (size_t k = 0; k < HC_ARRAY_LEN(cases); k++) {
        int w = 0, h = 0;
        report_overlay_size(cases[k][0], cases[k][1], cases[k][2], &w, &h);
        ck_assert_msg(w == cases[k][3] && h == cases[k][4], "%dx%d at %d -> %dx%d, want %dx%d",
                      cases[k][0], cases[k][1], cases[k][2], w, h, cases[k][3], cases[k][4]);
    }
    /* a 4x4 image of two colour halves shrinks to 2x2 with the halves kept */
    uint8_t src[4 * 4 * 3], dst[2 * 2 * 3];
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            memset(src + (y * 4 + x) * 3, x < 2 ? 10 : 200, 3);
    report_overlay_fit(src, 4, 4, 12, dst, 2, 2, 6);
    for (int y = 0; y < 2; y++) {
        ck_assert_int_eq(dst[y * 6], 10);
        ck_assert_int_eq(dst[y * 6 + 3], 200);
    }
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    const size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The batch outputs: index.html hrefs URL-encoded, summary.csv text cells neutralised (numbers
 * as they are), summary.jsonl valid UTF-8 with the name's bad byte replaced. */
START_TEST(batch_outputs_escaped)
{
    char dir[] = "/tmp/hc-report-unit-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char idx[256], csv[256], jl[256];
    snprintf(idx, sizeof idx, "%s/index.html", dir);
    snprintf(csv, sizeof csv, "%s/summary.csv", dir);
    snprintf(jl, sizeof jl, "%s/summary.jsonl", dir);
    const struct visual_index_entry e = {"set #1?.mp4", "set #1?.mp4.html", "rdl", 3, 80.0,
                                         {"bar-drift", NULL, NULL}, 1, NULL};
    ck_assert_int_eq(visual_write_html_index(&e, 1, "t", idx), HC_OK);
    ck_assert_ptr_nonnull(strstr(slurp(idx), "href=\"set%20%231%3F.mp4.html\""));

    static struct report_batch_row row;
    snprintf(row.clip, sizeof row.clip, "=HYPERLINK(\"http://x\")\xff.mp4");
    snprintf(row.file, sizeof row.file, "-3.2.mp4");
    snprintf(row.status, sizeof row.status, "ok");
    snprintf(row.exercise, sizeof row.exercise, "rdl");
    row.n_reps = 1;
    row.score = -3.2; /* no real score is negative: a number stays a number */
    row.worst = -1;
    ck_assert_int_eq(report_batch_write_summary(&row, 1, csv, jl), HC_OK);
    const char *c = slurp(csv);
    ck_assert_msg(strstr(c, "\n\"'=HYPERLINK(\"\"http://x\"\")\\xff.mp4\",'-3.2.mp4,ok,") != NULL,
                  "%s", c);
    ck_assert_ptr_nonnull(strstr(c, ",rdl,1,-3.2,"));
    ck_assert_ptr_nonnull(strstr(slurp(jl), "\"=HYPERLINK(\\\"http://x\\\")\xef\xbf\xbd.mp4\""));
    unlink(idx);
    unlink(csv);
    unlink(jl);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report_unit");
    TCase *tc = tcase_create("writers");
    tcase_add_test(tc, format_table_is_consistent);
    tcase_add_test(tc, overlay_size_bounded);
    tcase_add_test(tc, batch_outputs_escaped);
    tcase_add_test(tc, report_doc_lists_every_format);
    tcase_add_test(tc, top_cues_rank_severity_then_count);
    tcase_add_loop_test(tc, expected_range_text, 0,
                        sizeof expected_cases / sizeof expected_cases[0]);
    tcase_add_test(tc, csv_quotes_and_rows);
    tcase_add_test(tc, csv_borderline_column);
    tcase_add_test(tc, json_nan_is_null_and_deterministic);
    tcase_add_test(tc, text_colour_only_when_asked);
    tcase_add_test(tc, damage_marks_the_reps_it_touches);
    tcase_add_test(tc, text_cue_severity_and_no_nan);
    tcase_add_test(tc, text_names_and_judged_values);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
