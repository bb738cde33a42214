#define _POSIX_C_SOURCE 200809L
/*
 * test_coach.c - what a coach sees running hingecheck on one clip, run as a subprocess on clips
 * and tracks hc_synth makes at test time: the top-level help's exit codes, "-" as the clip
 * (stdin) for score and analyse, --start past the clip's end as a usage error naming its length,
 * -vv, the closing list of files written, the progress line on a terminal only, the manual page
 * made from the option table, and an upside-down clip refused with what to do.
 *
 * COACH_VIDEO (test_coach_video, label model): the cases that track a video with the pose model.
 */
#include "hingecheck.h"
#include "hc_test_util.h"
#include "video/video.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[256];
static char clip[512], track[512], track_b[512], out_path[512], err_path[512];

static char *tmp(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static char *read_text(const char *path)
{
    char *s = hc_test_slurp(path, NULL);
    ck_assert_msg(s != NULL, "cannot read %s", path);
    return s;
}

static cJSON *read_json(const char *path)
{
    char *s = read_text(path);
    cJSON *j = cJSON_Parse(s);
    ck_assert_msg(j != NULL, "%s is not JSON: %.200s", path, s);
    free(s);
    return j;
}

/* `hingecheck ARGS`, with `redir` added (stdin, pipes); stdout and stderr into out_path and
 * err_path. Returns the exit code. */
static int run(const char *args, const char *redir)
{
    return hc_test_sh("'%s' %s %s > '%s' 2> '%s'", HC_CLI_PATH, args, redir ? redir : "",
                      out_path, err_path);
}

static const char *json_str(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItem(o, a);
    return cJSON_GetStringValue(b ? cJSON_GetObjectItem(x, b) : x);
}

static int json_int(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItem(o, a);
    const cJSON *v = b ? cJSON_GetObjectItem(x, b) : x;
    ck_assert_msg(cJSON_IsNumber(v), "%s.%s is not a number", a, b ? b : "");
    return v->valueint;
}

/* `hingecheck CMD - --json NAME` with `file` on stdin: exit 0, the report read back, its clip
 * named "stdin". */
static cJSON *run_on_stdin(const char *cmd, const char *file, const char *name)
{
    char args[1024], redir[1024];
    snprintf(args, sizeof args, "%s - --json '%s'", cmd, tmp(name));
    snprintf(redir, sizeof redir, "< '%s'", file);
    ck_assert_int_eq(run(args, redir), 0);
    cJSON *doc = read_json(tmp(name));
    ck_assert_str_eq(json_str(doc, "clip", "path"), "stdin");
    return doc;
}

/* ---- without the pose model ------------------------------------------------------------- */

#ifndef COACH_VIDEO

START_TEST(help_lists_every_exit_code)
{
    ck_assert_int_eq(run("--help", NULL), 0);
    char *out = read_text(out_path);
    /* the codes cmd_batch.c returns besides 0-4 */
    ck_assert_msg(strstr(out, "10+F") != NULL, "--help leaves out batch's 10+F:\n%s", out);
    ck_assert_msg(strstr(out, "130") != NULL, "--help leaves out 130 (Ctrl-C):\n%s", out);
    free(out);
}
END_TEST

START_TEST(start_past_the_end_is_a_usage_error)
{
    /* the clip is about 10 s long (make_media) */
    const char *cmds[] = {"", "pose"};
    char args[1024];
    snprintf(args, sizeof args, "%s '%s' --start 100", cmds[_i], clip);
    ck_assert_int_eq(run(args, NULL), 1);
    char *err = read_text(err_path);
    ck_assert_msg(strstr(err, "--start 100") && strstr(err, " s long"),
                  "the message must name --start and the clip's length: %s", err);
    ck_assert_msg(strstr(err, "no frame could be decoded") == NULL, "%s", err);
    free(err);
    snprintf(args, sizeof args, "%s '%s' --start 2 --end 1", cmds[_i], clip);
    ck_assert_int_eq(run(args, NULL), 1);
}
END_TEST

START_TEST(score_reads_the_track_from_stdin)
{
    cJSON *doc = run_on_stdin("score", track, "stdin.json");
    ck_assert_int_eq(json_int(doc, "set", "n_reps"), 2);
    cJSON_Delete(doc);
    /* and through a pipe, the report to stdout */
    ck_assert_int_eq(hc_test_sh("cat '%s' | '%s' score - --json - -q > '%s'", track, HC_CLI_PATH,
                                tmp("pipe.json")), 0);
    doc = read_json(tmp("pipe.json"));
    ck_assert_int_eq(json_int(doc, "set", "n_reps"), 2);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(dash_is_the_clip_not_a_command)
{
    ck_assert_int_eq(run("-", "< /dev/null"), 2);
    char *err = read_text(err_path);
    ck_assert_msg(strstr(err, "unknown command") == NULL, "%s", err);
    ck_assert_msg(strstr(err, "stdin") != NULL, "the message must say stdin: %s", err);
    free(err);
}
END_TEST

START_TEST(verbose_counts)
{
    char args[1024];
    snprintf(args, sizeof args, "score '%s' -vv", track);
    ck_assert_int_eq(run(args, NULL), 0);
    snprintf(args, sizeof args, "score '%s' -vx", track);
    ck_assert_int_eq(run(args, NULL), 1);
}
END_TEST

START_TEST(files_written_are_listed)
{
    char args[1024];
    snprintf(args, sizeof args, "score '%s' --json '%s' --csv '%s'", track, tmp("w.json"),
             tmp("w.csv"));
    ck_assert_int_eq(run(args, NULL), 0);
    char *err = read_text(err_path);
    char want[1200];
    snprintf(want, sizeof want, "wrote: %s, %s", tmp("w.json"), tmp("w.csv"));
    ck_assert_msg(strstr(err, want) != NULL, "no '%s' in:\n%s", want, err);
    ck_assert_msg(strchr(err, '\r') == NULL, "a carriage return into a file: %s", err);
    free(err);
    snprintf(args, sizeof args, "score '%s' --json '%s' -q", track, tmp("w.json"));
    ck_assert_int_eq(run(args, NULL), 0);
    err = read_text(err_path);
    ck_assert_msg(strstr(err, "wrote") == NULL, "-q must not list files: %s", err);
    free(err);
}
END_TEST

/* Every long option of every command's --help is in the manual page the build made. */
START_TEST(man_page_mentions_every_option)
{
    char *man = read_text(HC_BUILD_DIR "/hingecheck.1");
    ck_assert_msg(strncmp(man, ".TH HINGECHECK 1", 16) == 0, "not a man page: %.80s", man);
    const char *cmds[] = {"analyse", "score",   "rules",         "batch",
                          "probe",   "pose",    "compare",       "compare-tracks"};
    int n_opts = 0;
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        char args[64];
        snprintf(args, sizeof args, "%s --help", cmds[c]);
        ck_assert_int_eq(run(args, NULL), 0);
        char *help = read_text(out_path);
        char want[128];
        snprintf(want, sizeof want, ".SS %s\n", cmds[c]);
        ck_assert_msg(strstr(man, want) != NULL, "the man page has no command %s", cmds[c]);
        const char *opts = strstr(help, "\noptions:\n");
        ck_assert_ptr_nonnull(opts);
        for (const char *p = strstr(opts, "--"); p; p = strstr(p + 2, "--")) {
            char name[64];
            size_t k = 0;
            for (p += 2; k + 1 < sizeof name && (p[k] == '-' || (p[k] >= 'a' && p[k] <= 'z'));
                 k++)
                name[k] = p[k];
            name[k] = '\0';
            if (k < 2 || p[-3] != ' ')
                continue; /* not an option's name (a "--" inside the help text) */
            char roff[160] = "\\-\\-";
            for (size_t i = 0, j = 4; name[i] && j + 3 < sizeof roff; i++) {
                if (name[i] == '-')
                    roff[j++] = '\\';
                roff[j++] = name[i];
                roff[j] = '\0';
            }
            ck_assert_msg(strstr(man, roff) != NULL, "the man page has no %s (%s)", roff, cmds[c]);
            n_opts++;
        }
        free(help);
    }
    ck_assert_int_gt(n_opts, 40);
    /* and the exit codes */
    ck_assert_msg(strstr(man, "10+F") && strstr(man, "130"), "exit codes missing");
    free(man);
}
END_TEST

#endif

/* ---- with the pose model ------------------------------------------------------------------ */

#ifdef COACH_VIDEO
/* A copy of `in` turned by 180 degrees in its pixels, with no rotation metadata: a phone held
 * upside down whose file does not say so. */
static void write_upside_down(const char *in, const char *outp)
{
    struct video_open_params op = video_default_open_params();
    struct video_decoder *d = NULL;
    ck_assert_int_eq(video_decoder_open(in, &op, &d), HC_OK);
    const struct hc_video_info *info = video_decoder_info(d);
    struct video_writer_params wp = video_default_writer_params();
    wp.width_px = info->width_px;
    wp.height_px = info->height_px;
    wp.fps = info->fps;
    struct video_writer *w = NULL;
    ck_assert_int_eq(video_writer_open(outp, &wp, &w), HC_OK);
    uint8_t *buf = malloc((size_t)wp.width_px * (size_t)wp.height_px * 3);
    ck_assert_ptr_nonnull(buf);
    struct video_frame f;
    while (video_decoder_next(d, &f) == HC_OK) {
        video_orient_rgb(f.rgb, f.stride, f.width_px, f.height_px, 180, 0, 0, buf,
                         f.width_px * 3);
        ck_assert_int_eq(video_writer_write_rgb(w, buf, f.width_px * 3, -1.0), HC_OK);
    }
    free(buf);
    ck_assert_int_eq(video_writer_close(w), HC_OK);
    video_decoder_free(d);
}

START_TEST(video_from_stdin_and_pose_into_score)
{
    cJSON *doc = run_on_stdin("", clip, "v.json");
    ck_assert_str_eq(json_str(doc, "clip", "source"), "stdin");
    const int n_reps = json_int(doc, "set", "n_reps");
    ck_assert_int_eq(n_reps, 2);
    cJSON_Delete(doc);
    /* stderr was a file: no progress line, no carriage return; the list of files written */
    char *err = read_text(err_path);
    ck_assert_msg(strchr(err, '\r') == NULL && strstr(err, "pose ") == NULL,
                  "progress into a file: %s", err);
    free(err);
    /* the README's chain: pose to stdout, score from stdin */
    ck_assert_int_eq(hc_test_sh("'%s' pose '%s' -o - 2>/dev/null | '%s' score - --json '%s' -q",
                                HC_CLI_PATH, clip, HC_CLI_PATH, tmp("p.json")),
                     0);
    doc = read_json(tmp("p.json"));
    ck_assert_int_eq(json_int(doc, "set", "n_reps"), n_reps);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(upside_down_clip_is_refused)
{
    write_upside_down(clip, tmp("upside.mp4"));
    char args[1024];
    snprintf(args, sizeof args, "'%s' --json '%s'", tmp("upside.mp4"), tmp("upside.json"));
    ck_assert_int_eq(run(args, NULL), 2);
    char *err = read_text(err_path);
    ck_assert_msg(strstr(err, "upside down") && strstr(err, "180"),
                  "the message must say upside down and how to turn it: %s", err);
    free(err);
    ck_assert_msg(access(tmp("upside.json"), F_OK) != 0, "no confident report of it");
    /* the same clip upright is analysed: video_from_stdin_and_pose_into_score */
}
END_TEST

/* On a terminal (script(1) gives the run one) the progress line comes on stderr with the stage,
 * frames and speed, then the list of files. */
START_TEST(progress_on_a_terminal_only)
{
    char *json = tmp("t.json");
    ck_assert_int_eq(hc_test_sh("script -qec \"'%s' '%s' --json '%s'\" /dev/null > '%s' 2>&1",
                                HC_CLI_PATH, clip, json, out_path),
                     0);
    char *tty = read_text(out_path);
    ck_assert_msg(strstr(tty, "\r\033[Kpose ") != NULL, "no progress line: %.400s", tty);
    ck_assert_msg(strstr(tty, " frames (") != NULL, "no frame count: %.400s", tty);
    ck_assert_msg(strstr(tty, "wrote: ") != NULL, "no list of files: %.400s", tty);
    free(tty);
    /* into a file: video_from_stdin_and_pose_into_score */
}
END_TEST
#endif

#ifndef COACH_VIDEO
/* The section of the compare output from `head` to the next blank line (a static copy). */
static const char *section(const char *text, const char *head)
{
    static char buf[4096];
    const char *p = strstr(text, head);
    ck_assert_msg(p != NULL, "no \"%s\" in: %s", head, text);
    const char *e = strstr(p, "\n\n");
    snprintf(buf, sizeof buf, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
    return buf;
}

/* `compare A.json B.json` on two reports of generated sets, the second with the bar drifting
 * away from the body on every rep and a faster rise: the fault and the bar's distance are
 * worse, the bar speed better; swapped, the other way round; one report against itself,
 * nothing changed; a file that is not a report, exit 2 naming it. */
START_TEST(compare_two_reports)
{
    char args[2048];
    snprintf(args, sizeof args, "score '%s' --json '%s' -q", track, tmp("a.json"));
    ck_assert_int_eq(run(args, NULL), 0);
    snprintf(args, sizeof args, "score '%s' --json '%s' -q", track_b, tmp("b.json"));
    ck_assert_int_eq(run(args, NULL), 0);

    snprintf(args, sizeof args, "compare '%s' '%s'", tmp("a.json"), tmp("b.json"));
    ck_assert_int_eq(run(args, NULL), 0);
    char *out = read_text(out_path);
    ck_assert_ptr_nonnull(strstr(out, "Per rep (A | B)"));
    ck_assert_ptr_nonnull(strstr(out, "velocity loss (%)"));
    ck_assert_ptr_nonnull(strstr(section(out, "What got worse"), "bar away from the body: on 0"));
    ck_assert_ptr_nonnull(strstr(section(out, "What got worse"), "the bar further from the body"));
    ck_assert_ptr_nonnull(strstr(section(out, "What improved"), "a faster bar on the way up"));
    ck_assert_ptr_null(strstr(section(out, "What improved"), "bar away from the body"));
    ck_assert_ptr_null(strstr(out, "bar-drift")); /* words, not rule ids */
    free(out);

    snprintf(args, sizeof args, "compare '%s' '%s' -o '%s'", tmp("b.json"), tmp("a.json"),
             tmp("ba.txt"));
    ck_assert_int_eq(run(args, NULL), 0);
    out = read_text(tmp("ba.txt"));
    ck_assert_ptr_nonnull(strstr(section(out, "What improved"), "bar away from the body"));
    ck_assert_ptr_nonnull(strstr(section(out, "What improved"), "the bar closer to the body"));
    ck_assert_ptr_nonnull(strstr(section(out, "What got worse"), "a slower bar on the way up"));
    free(out);

    snprintf(args, sizeof args, "compare '%s' '%s'", tmp("a.json"), tmp("a.json"));
    ck_assert_int_eq(run(args, NULL), 0);
    out = read_text(out_path);
    ck_assert_ptr_nonnull(strstr(section(out, "What improved"), "nothing noticeable"));
    ck_assert_ptr_nonnull(strstr(section(out, "What got worse"), "nothing noticeable"));
    ck_assert_ptr_null(strstr(out, "Changed"));
    free(out);

    /* a track is not a report; nor is a missing file; one file is a usage error */
    snprintf(args, sizeof args, "compare '%s' '%s'", tmp("a.json"), track);
    ck_assert_int_eq(run(args, NULL), 2);
    char *err = read_text(err_path);
    ck_assert_msg(strstr(err, track) && strstr(err, "not a hingecheck JSON report"), "%s", err);
    free(err);
    snprintf(args, sizeof args, "compare '%s' '%s'", tmp("a.json"), tmp("none.json"));
    ck_assert_int_eq(run(args, NULL), 2);
    snprintf(args, sizeof args, "compare '%s'", tmp("a.json"));
    ck_assert_int_eq(run(args, NULL), 1);
}
END_TEST

/* The developer's track check, under its own name: a track against itself is 0 apart. */
START_TEST(compare_tracks_is_kept)
{
    char args[1200];
    snprintf(args, sizeof args, "compare-tracks '%s' '%s'", track, track);
    ck_assert_int_eq(run(args, NULL), 0);
    char *out = read_text(out_path);
    ck_assert_msg(strstr(out, "median distance         0.000%"), "%s", out);
    free(out);
    /* both in the top-level help */
    ck_assert_int_eq(run("--help", NULL), 0);
    out = read_text(out_path);
    ck_assert_ptr_nonnull(strstr(out, "\n  compare        Compare two JSON reports"));
    ck_assert_ptr_nonnull(strstr(out, "\n  compare-tracks Developer check"));
    free(out);
}
END_TEST
#endif

/* ---- fixtures ------------------------------------------------------------------------------ */

static void make_media(void)
{
    if (hc_test_tmpdir(tmpdir, sizeof tmpdir, "hc_coach") != 0)
        exit(1);
    snprintf(clip, sizeof clip, "%s/clip.mp4", tmpdir);
    snprintf(track, sizeof track, "%s/clip.jsonl", tmpdir);
    snprintf(out_path, sizeof out_path, "%s/out.txt", tmpdir);
    snprintf(err_path, sizeof err_path, "%s/err.txt", tmpdir);
    /* two reps, small and at 20 fps so the pose model runs quickly */
    if (hc_test_sh("'%s' --reps 2 --width 480 --height 270 --fps 20 --out '%s' --track '%s' "
                   "> /dev/null",
                   HC_SYNTH_PATH, clip, track) != 0) {
        fprintf(stderr, "test_coach: hc_synth failed\n");
        exit(1);
    }
    /* the same set with the bar drifting away from the body and a faster rise (compare) */
    snprintf(track_b, sizeof track_b, "%s/drift.jsonl", tmpdir);
    if (hc_test_sh("'%s' --reps 2 --width 480 --height 270 --fps 20 --fault bar-drift "
                   "--rising-s 0.8 --out '%s/drift.mp4' --track '%s' > /dev/null",
                   HC_SYNTH_PATH, tmpdir, track_b) != 0) {
        fprintf(stderr, "test_coach: hc_synth failed\n");
        exit(1);
    }
}

static void remove_media(void)
{
    hc_test_sh("rm -rf '%s'", tmpdir);
}

int main(void)
{
    make_media();
    Suite *s = suite_create("coach");
    TCase *tc = tcase_create("cli");
#ifdef COACH_VIDEO
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, video_from_stdin_and_pose_into_score);
    tcase_add_test(tc, upside_down_clip_is_refused);
    tcase_add_test(tc, progress_on_a_terminal_only);
#else
    tcase_add_test(tc, help_lists_every_exit_code);
    tcase_add_loop_test(tc, start_past_the_end_is_a_usage_error, 0, 2);
    tcase_add_test(tc, score_reads_the_track_from_stdin);
    tcase_add_test(tc, dash_is_the_clip_not_a_command);
    tcase_add_test(tc, verbose_counts);
    tcase_add_test(tc, files_written_are_listed);
    tcase_add_test(tc, man_page_mentions_every_option);
    tcase_add_test(tc, compare_two_reports);
    tcase_add_test(tc, compare_tracks_is_kept);
#endif
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    remove_media();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
