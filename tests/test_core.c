#define _POSIX_C_SOURCE 200809L
/* test_core.c - status strings, exit codes, last error, log sink, size arithmetic. */
#include "core/core.h"

#include <check.h>
#include "hc_check.h"
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
    return hc_check_run(s);
}
