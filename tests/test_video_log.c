#define _POSIX_C_SOURCE 200809L
/*
 * test_video_log.c - FFmpeg's own log as the library passes it on (src/video/video_log.c): its
 * warnings at info (hingecheck -v), its debug lines at debug (-vv) only, a line FFmpeg repeats
 * every frame said once with its count.
 */
#include "hingecheck.h"
#include "video/video_internal.h"

#include <check.h>
#include <libavutil/log.h>
#include <stdlib.h>
#include <string.h>

static char lines[64][512];
static enum hc_log_level levels[64];
static int n_lines;

static void sink(enum hc_log_level level, const char *msg, void *user)
{
    (void)user;
    if (n_lines < 64) {
        levels[n_lines] = level;
        snprintf(lines[n_lines++], sizeof lines[0], "%s", msg);
    }
}

static void setup(enum hc_log_level max)
{
    n_lines = 0;
    hc_set_log_sink(sink, NULL);
    hc_set_log_level(max);
    video_install_av_log();
    video_log_flush();
    n_lines = 0;
}

/* swscale says this on every frame of a full-range (JPEG-style) clip */
#define PIXFMT "deprecated pixel format used, make sure you did set range correctly\n"

START_TEST(repeated_line_said_once_with_its_count)
{
    setup(HC_LOG_INFO); /* -v */
    for (int i = 0; i < 374; i++) {
        av_log(NULL, AV_LOG_WARNING, PIXFMT);
        /* swscale's own debug line per context, hidden at -v, between the repeats */
        av_log(NULL, AV_LOG_DEBUG, "context %d made\n", i);
    }
    av_log(NULL, AV_LOG_WARNING, "another warning\n");
    video_log_flush();
    ck_assert_int_eq(n_lines, 3);
    ck_assert_ptr_nonnull(strstr(lines[0], "deprecated pixel format"));
    ck_assert_ptr_nonnull(strstr(lines[1], "repeated 373 more times"));
    ck_assert_ptr_nonnull(strstr(lines[2], "another warning"));
}
END_TEST

static const struct {
    enum hc_log_level max; /* the CLI: WARN by default, INFO with -v, DEBUG with -vv */
    int av_level;
    int shown;
} level_cases[] = {
    {HC_LOG_WARN, AV_LOG_WARNING, 0}, {HC_LOG_WARN, AV_LOG_ERROR, 0},
    {HC_LOG_INFO, AV_LOG_WARNING, 1}, {HC_LOG_INFO, AV_LOG_ERROR, 1},
    {HC_LOG_INFO, AV_LOG_DEBUG, 0},   {HC_LOG_INFO, AV_LOG_INFO, 0},
    {HC_LOG_DEBUG, AV_LOG_DEBUG, 1},  {HC_LOG_DEBUG, AV_LOG_VERBOSE, 1},
    {HC_LOG_DEBUG, AV_LOG_TRACE, 0},
};

START_TEST(ffmpeg_levels_kept)
{
    setup(level_cases[_i].max);
    av_log(NULL, level_cases[_i].av_level, "line at level %d\n", level_cases[_i].av_level);
    video_log_flush();
    ck_assert_int_eq(n_lines, level_cases[_i].shown);
    if (n_lines)
        ck_assert_int_eq(levels[0], level_cases[_i].av_level <= AV_LOG_WARNING ? HC_LOG_INFO
                                                                               : HC_LOG_DEBUG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("video_log");
    TCase *tc = tcase_create("log");
    tcase_add_test(tc, repeated_line_said_once_with_its_count);
    tcase_add_loop_test(tc, ffmpeg_levels_kept, 0, sizeof level_cases / sizeof level_cases[0]);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
