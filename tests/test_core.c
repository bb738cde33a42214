#define _POSIX_C_SOURCE 200809L
/* test_core.c - status strings, exit codes, last error, log sink, size arithmetic, atomic
 * replace of output files, medians, string copies. */
#include "core/core.h"
#include "hingecheck.h"

#include <check.h>
#include <math.h>
#include "hc_check.h"
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    enum hc_status st;
    int exit_code;
} exit_cases[] = {
    {HC_OK, 0},           {HC_ERR_INVALID_ARG, 1}, {HC_ERR_IO, 2},      {HC_ERR_DECODE, 2},
    {HC_ERR_MODEL, 2},    {HC_ERR_FORMAT, 2},      {HC_ERR_NO_VIDEO, 2}, {HC_ERR_TOO_LARGE, 2},
    {HC_ERR_EMPTY, 2},    {HC_ERR_NO_POSE, 3},     {HC_ERR_NO_REPS, 3},  {HC_ERR_NOMEM, 2},
};

START_TEST(status_exit_codes)
{
    ck_assert_int_eq(hc_status_exit_code(exit_cases[_i].st), exit_cases[_i].exit_code);
    const char *s = hc_strerror(exit_cases[_i].st);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_gt((int)strlen(s), 3);
    ck_assert_str_ne(s, "unknown status");
}
END_TEST

static char seen[256];
static enum hc_log_level seen_level;
static void sink(enum hc_log_level level, const char *msg, void *user)
{
    (void)user;
    seen_level = level;
    snprintf(seen, sizeof seen, "%s", msg);
}

START_TEST(fail_sets_last_error)
{
    hc_clear_error();
    ck_assert_str_eq(hc_last_error(), "");
    enum hc_status st = hc_fail(HC_ERR_IO, "%s: cannot open", "clip.mp4");
    ck_assert_int_eq(st, HC_ERR_IO);
    ck_assert_str_eq(hc_last_error(), "clip.mp4: cannot open");
}
END_TEST

START_TEST(log_levels_filter)
{
    hc_set_log_sink(sink, NULL);
    hc_set_log_level(HC_LOG_WARN);
    seen[0] = 0;
    hc_log(HC_LOG_INFO, "hidden %d", 1);
    ck_assert_str_eq(seen, "");
    hc_log(HC_LOG_WARN, "shown %d", 2);
    ck_assert_str_eq(seen, "shown 2");
    ck_assert_int_eq(seen_level, HC_LOG_WARN);
    hc_set_log_sink(NULL, NULL);
}
END_TEST

START_TEST(size_overflow)
{
    size_t out = 0;
    ck_assert_int_eq(hc_mul_size(SIZE_MAX / 2, 3, &out), -1);
    ck_assert_int_eq(hc_mul_size(1000, 1000, &out), 0);
    ck_assert_uint_eq(out, 1000000u);
    ck_assert_int_eq(hc_add_size(SIZE_MAX, 1, &out), -1);
    ck_assert_int_eq(hc_add_size(2, 3, &out), 0);
    ck_assert_uint_eq(out, 5u);
}
END_TEST

START_TEST(model_path_lookup)
{
    char dir[] = "/tmp/hc_models_XXXXXX";
    char path[512], file[600];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/m.tflite", dir);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("x", f);
    fclose(f);

    /* --model-dir wins */
    ck_assert_int_eq(hc_model_path(dir, "m.tflite", path, sizeof path), HC_OK);
    ck_assert_str_eq(path, file);
    /* a missing file names the file and the fetch script */
    ck_assert_int_eq(hc_model_path(dir, "nope.tflite", path, sizeof path), HC_ERR_MODEL);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "nope.tflite"));
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "fetch-models.sh"));
    /* then $HINGECHECK_MODEL_DIR */
    setenv("HINGECHECK_MODEL_DIR", dir, 1);
    ck_assert_int_eq(hc_model_path(NULL, "m.tflite", path, sizeof path), HC_OK);
    ck_assert_str_eq(path, file);
    ck_assert_int_eq(hc_model_path(NULL, "nope.tflite", path, sizeof path), HC_ERR_MODEL);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "HINGECHECK_MODEL_DIR"));
    unsetenv("HINGECHECK_MODEL_DIR");
    /* a buffer too small for the path is not a silent truncation */
    ck_assert_int_eq(hc_model_path(dir, "m.tflite", path, 8), HC_ERR_MODEL);
    remove(file);
    rmdir(dir);
}
END_TEST

/* ---- order statistics ---------------------------------------------------------------------- */

static const struct {
    double v[6];
    size_t n;
    double median;
} median_cases[] = {
    {{3.0}, 1, 3.0},
    {{5.0, 1.0, 4.0}, 3, 4.0},
    {{4.0, -2.0, 10.0, 1.0}, 4, 2.5},
    {{2.0, 2.0, 9.0, -7.0, 2.0, 0.5}, 6, 2.0},
};

START_TEST(median_sorts_and_picks_middle)
{
    double v[6];
    const size_t n = median_cases[_i].n;
    memcpy(v, median_cases[_i].v, sizeof v);
    ck_assert_double_eq(hc_median_sort(v, n), median_cases[_i].median);
    for (size_t k = 1; k < n; k++)
        ck_assert_double_le(v[k - 1], v[k]);
}
END_TEST

START_TEST(median_skips_non_finite)
{
    double v[] = {NAN, 7.0, INFINITY, 1.0, -INFINITY, 3.0, NAN};
    ck_assert_double_eq(hc_median_finite(v, HC_ARRAY_LEN(v)), 3.0);
    /* the finite values were moved to the front, sorted */
    ck_assert_double_eq(v[0], 1.0);
    ck_assert_double_eq(v[1], 3.0);
    ck_assert_double_eq(v[2], 7.0);
    double none[] = {NAN, INFINITY};
    ck_assert(isnan(hc_median_finite(none, 2)));
    ck_assert(isnan(hc_median_sort(none, 0)));
}
END_TEST

START_TEST(cmp_double_orders)
{
    const double a = 1.0, b = 2.0;
    ck_assert_int_lt(hc_cmp_double(&a, &b), 0);
    ck_assert_int_gt(hc_cmp_double(&b, &a), 0);
    ck_assert_int_eq(hc_cmp_double(&a, &a), 0);
    double v[] = {0.5, -1.0, 1e9, -1e-9, 0.0};
    qsort(v, HC_ARRAY_LEN(v), sizeof *v, hc_cmp_double);
    const double want[] = {-1.0, -1e-9, 0.0, 0.5, 1e9};
    for (size_t k = 0; k < HC_ARRAY_LEN(v); k++)
        ck_assert_double_eq(v[k], want[k]);
}
END_TEST

START_TEST(strdup_copies)
{
    const char src[] = "clip.mp4";
    char *d = hc_strdup(src);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_ne(d, src);
    ck_assert_str_eq(d, src);
    free(d);
    d = hc_strdup(NULL);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d, "");
    free(d);
}
END_TEST

/* Messages and the log reach terminals: control bytes, C1 controls and bytes that are not UTF-8
 * come out as \xNN; valid UTF-8 (an accented file name) as it is. */
START_TEST(messages_escape_control_bytes)
{
    hc_fail(HC_ERR_IO, "%s: cannot open", "clip\x1b[2J\r\x7f\xc2\x9b\xff-caf\xc3\xa9.mp4");
    ck_assert_str_eq(hc_last_error(),
                     "clip\\x1b[2J\\x0d\\x7f\\xc2\\x9b\\xff-caf\xc3\xa9.mp4: cannot open");
    hc_set_log_sink(sink, NULL);
    hc_log(HC_LOG_WARN, "%s: odd", "a\nb");
    ck_assert_str_eq(seen, "a\\x0ab: odd");
    hc_set_log_sink(NULL, NULL);
    /* a cut never splits a character or an escape */
    char small[8];
    hc_escape_ctl(small, sizeof small, "ab\x01" "cd");
    ck_assert_str_eq(small, "ab\\x01c");
    hc_escape_ctl(small, sizeof small, "abcdef\xc3\xa9");
    ck_assert_str_eq(small, "abcdef");
}
END_TEST

START_TEST(utf8_sanitize_and_validate)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"caf\xc3\xa9", "caf\xc3\xa9"},
        {"a\xff" "b", "a\xef\xbf\xbd" "b"},
        {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},          /* overlong '/' */
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* a surrogate */
        {"\xf0\x9f\x8f\x8b", "\xf0\x9f\x8f\x8b"},          /* U+1F3CB */
        {"\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd"},          /* cut short by the end */
    };
    for (size_t k = 0; k < HC_ARRAY_LEN(cases); k++) {
        char *d = hc_utf8_sanitize(cases[k].in);
        ck_assert_ptr_nonnull(d);
        ck_assert_msg(strcmp(d, cases[k].out) == 0, "case %zu", k);
        free(d);
    }
}
END_TEST

/* CSV text cells: quoting, and formulas neutralised with a leading quote. */
START_TEST(csv_cells_neutralise_formulas)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"clip.mp4", "clip.mp4"},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"+1", "'+1"},
        {"-3.2.mp4", "'-3.2.mp4"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"a,b", "\"a,b\""},
        {"", ""},
        {"a\x1b[2Jb\xff", "a\\x1b[2Jb\\xff"},
    };
    for (size_t k = 0; k < HC_ARRAY_LEN(cases); k++) {
        char *d = hc_csv_cell(cases[k].in);
        ck_assert_ptr_nonnull(d);
        ck_assert_msg(strcmp(d, cases[k].out) == 0, "%s -> %s", cases[k].in, d);
        free(d);
    }
}
END_TEST

/* A page's link to a file: relative to the page's folder, through "..", percent-encoded; a
 * folder that does not exist gives none. */
START_TEST(path_href_relative)
{
    char d[] = "/tmp/hc-href-XXXXXX", p[256], q[256], buf[512];
    ck_assert_ptr_nonnull(mkdtemp(d));
    snprintf(p, sizeof p, "%s/out", d);
    ck_assert_int_eq(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/clips", d);
    ck_assert_int_eq(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/out/r.html", d);
    snprintf(q, sizeof q, "%s/out/o.mp4", d);
    ck_assert_int_eq(hc_path_href(p, q, buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "o.mp4");
    snprintf(q, sizeof q, "%s/clips/set #1.mp4", d);
    ck_assert_int_eq(hc_path_href(p, q, buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "../clips/set%20%231.mp4");
    snprintf(q, sizeof q, "%s/out/../clips/a.mp4", d);
    ck_assert_int_eq(hc_path_href(p, q, buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "../clips/a.mp4");
    snprintf(p, sizeof p, "%s/r.html", d);
    snprintf(q, sizeof q, "%s/clips/a.mp4", d);
    ck_assert_int_eq(hc_path_href(p, q, buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "clips/a.mp4");
    snprintf(q, sizeof q, "%s/none/a.mp4", d);
    ck_assert_int_eq(hc_path_href(p, q, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(url_encode_hrefs)
{
    char b[128];
    ck_assert_uint_eq(hc_url_encode(b, sizeof b, "set 1/a#b?c%.html"), 25);
    ck_assert_str_eq(b, "set%201/a%23b%3Fc%25.html");
    hc_url_encode(b, sizeof b, "\"><script>caf\xc3\xa9");
    ck_assert_str_eq(b, "%22%3E%3Cscript%3Ecaf%C3%A9");
    char s[4];
    ck_assert_uint_eq(hc_url_encode(s, sizeof s, "abcdef"), 6); /* cut, terminated */
    ck_assert_str_eq(s, "abc");
}
END_TEST

/* ---- atomic replace ------------------------------------------------------------------------ */

static void read_file(const char *path, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    const size_t got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
}

START_TEST(replace_temp_names)
{
    char tmp[64], want[64];
    const long pid = (long)getpid();
    ck_assert_int_eq(hc_replace_temp_path("out/a.mp4", 1, tmp, sizeof tmp), HC_OK);
    snprintf(want, sizeof want, "out/a.tmp.%ld.mp4", pid);
    ck_assert_str_eq(tmp, want);
    ck_assert_int_eq(hc_replace_temp_path("out/a.mp4", 0, tmp, sizeof tmp), HC_OK);
    snprintf(want, sizeof want, "out/a.mp4.tmp.%ld", pid);
    ck_assert_str_eq(tmp, want);
    /* a dot in a folder name is not an extension */
    ck_assert_int_eq(hc_replace_temp_path("out.d/report", 1, tmp, sizeof tmp), HC_OK);
    snprintf(want, sizeof want, "out.d/report.tmp.%ld", pid);
    ck_assert_str_eq(tmp, want);
    ck_assert_int_eq(hc_replace_temp_path("out/a.mp4", 1, tmp, 8), HC_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "too long"));
}
END_TEST

START_TEST(replace_commits_or_keeps_old)
{
    char dir[] = "/tmp/hc_replace_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256], tmp[HC_TEMP_PATH_MAX], buf[64];
    snprintf(path, sizeof path, "%s/report.txt", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("old", f);
    fclose(f);

    /* a failed write leaves the old file and no temporary file */
    ck_assert_int_eq(hc_replace_open(path, tmp, sizeof tmp, &f), HC_OK);
    fputs("half", f);
    ck_assert_int_eq(hc_replace_close(f, tmp, path, HC_ERR_DECODE), HC_ERR_DECODE);
    read_file(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "old");
    ck_assert_int_ne(access(tmp, F_OK), 0);

    /* a good one replaces it */
    ck_assert_int_eq(hc_replace_open(path, tmp, sizeof tmp, &f), HC_OK);
    fputs("new", f);
    read_file(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "old"); /* not visible before the close */
    ck_assert_int_eq(hc_replace_close(f, tmp, path, HC_OK), HC_OK);
    read_file(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "new");
    ck_assert_int_ne(access(tmp, F_OK), 0);

    /* a rename that cannot happen (the target is a non-empty folder) is an I/O error */
    char sub[300], inner[320];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(inner, sizeof inner, "%s/x", sub);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    f = fopen(inner, "wb");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_int_eq(hc_replace_open(sub, tmp, sizeof tmp, &f), HC_OK);
    ck_assert_int_eq(hc_replace_close(f, tmp, sub, HC_OK), HC_ERR_IO);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), "into place"));
    ck_assert_int_ne(access(tmp, F_OK), 0);

    /* a folder that does not exist */
    snprintf(path, sizeof path, "%s/missing/report.txt", dir);
    ck_assert_int_eq(hc_replace_open(path, tmp, sizeof tmp, &f), HC_ERR_IO);
    ck_assert_ptr_null(f);
    ck_assert_ptr_nonnull(strstr(hc_last_error(), path));

    remove(inner);
    rmdir(sub);
    snprintf(path, sizeof path, "%s/report.txt", dir);
    remove(path);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("status");
    tcase_add_loop_test(tc, status_exit_codes, 0, (int)HC_ARRAY_LEN(exit_cases));
    tcase_add_test(tc, fail_sets_last_error);
    tcase_add_test(tc, log_levels_filter);
    tcase_add_test(tc, size_overflow);
    tcase_add_test(tc, model_path_lookup);
    suite_add_tcase(s, tc);
    TCase *th = tcase_create("helpers");
    tcase_add_loop_test(th, median_sorts_and_picks_middle, 0, (int)HC_ARRAY_LEN(median_cases));
    tcase_add_test(th, median_skips_non_finite);
    tcase_add_test(th, cmp_double_orders);
    tcase_add_test(th, strdup_copies);
    tcase_add_test(th, messages_escape_control_bytes);
    tcase_add_test(th, utf8_sanitize_and_validate);
    tcase_add_test(th, csv_cells_neutralise_formulas);
    tcase_add_test(th, url_encode_hrefs);
    tcase_add_test(th, path_href_relative);
    tcase_add_test(th, replace_temp_names);
    tcase_add_test(th, replace_commits_or_keeps_old);
    suite_add_tcase(s, th);
    return hc_check_run(s);
}
