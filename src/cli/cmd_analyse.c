#define _POSIX_C_SOURCE 200809L
/*
 * cmd_analyse.c - `hingecheck [analyse] VIDEO` and the body shared with `hingecheck score`:
 * run the analysis, write the reports asked for, map the outcome to the exit code.
 *
 * Outputs: the text summary on stdout (unless a format's "-" took stdout, or --quiet); beside it
 * the formats asked for by their options (--json FILE, --csv FILE, --html FILE, --overlay
 * FILE.mp4: one per format of the library's table, cli_option_table), written by one call so
 * the formats drawn on the clip share one decode. Reports are written even when no lifter or no
 * rep was found (they say why), so a script never loses one; the exit code is then 3.
 *
 * With --front FILE the same set's second camera is analysed too and joined to the first
 * (hc_analysis_pair): one report, on the side clip's clock. The front clip is checked before any
 * work (readable, not the side clip itself); views that do not make a side and a front pair
 * end with exit code 5 and a line naming the clip at fault.
 *
 * Before any work every output is checked (cli_check_outputs): none may be the clip, the track,
 * the rules file or another output, and each must be writable; so a typo never destroys the
 * clip and a read-only folder is found before minutes of analysis. SIGINT and SIGTERM stop the
 * run: during the analysis nothing is written; during the drawn reports (html, overlay) those
 * are abandoned and the documents written; the exit code is 130 or 143.
 */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --color auto: colour only on a terminal, and never when NO_COLOR is set to anything non-empty
 * (https://no-color.org) or TERM is "dumb". */
static int want_color(const char *mode)
{
    if (mode && strcmp(mode, "always") == 0)
        return 1;
    if (mode && strcmp(mode, "never") == 0)
        return 0;
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    if (nc && nc[0])
        return 0;
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fileno(stdout));
}

static int run_analysis(const struct cli_args *a, int from_track, int from_stdin,
                        const char *path, const char *name, struct hc_report_request *req,
                        size_t n_req, const char *text_fmt, const char *on_stdout);

int cli_run_analysis(const struct cli_args *a, int from_track)
{
    const char *what = from_track ? "score" : "analyse";
    if (a->n_files != 1) {
        fprintf(stderr, "hingecheck: %s takes one %s, got %d\n", what,
                from_track ? "track file (TRACK.jsonl)" : "video file", a->n_files);
        fprintf(stderr, "usage: hingecheck %s\n",
                from_track ? "score TRACK.jsonl [OPTIONS]" : "VIDEO [OPTIONS]");
        return CLI_EXIT_USAGE;
    }
    /* the formats asked for; at most one of them may take stdout */
    const size_t n_fmt = hc_report_format_count();
    struct hc_report_request req[CLI_MAX_FORMATS];
    const char *text_fmt = NULL, *on_stdout = NULL;
    size_t n_req = 0;
    for (size_t k = 0; k < n_fmt && k < CLI_MAX_FORMATS; k++) {
        struct hc_report_format_info fi;
        if (hc_report_format_get(k, &fi) != HC_OK)
            continue;
        if (!fi.flag && fi.to_stdout)
            text_fmt = fi.name; /* the summary printed on stdout */
        if (!a->report_path[k])
            continue;
        if (fi.to_stdout && strcmp(a->report_path[k], "-") == 0) {
            if (on_stdout) {
                fprintf(stderr, "hingecheck: --%s - and --%s - cannot both use stdout; give one "
                                "a file name\n", on_stdout, fi.flag);
                return CLI_EXIT_USAGE;
            }
            on_stdout = fi.flag;
        }
        req[n_req++] = (struct hc_report_request){.format = fi.name, .path = a->report_path[k]};
    }
    if (a->track_path && strcmp(a->track_path, "-") == 0) {
        if (on_stdout) {
            fprintf(stderr, "hingecheck: --%s - and --track - cannot both use stdout; give one "
                            "a file name\n", on_stdout);
            return CLI_EXIT_USAGE;
        }
        on_stdout = "track";
    }
    const char *path = a->files[0];
    if (a->offset && !a->front) {
        fprintf(stderr, "hingecheck: --offset goes with --front FILE (the second camera's "
                        "clip)\n");
        return CLI_EXIT_USAGE;
    }
    if (a->front && strcmp(a->front, "-") == 0) {
        fprintf(stderr, "hingecheck: --front takes a file, not stdin ('-')\n");
        return CLI_EXIT_USAGE;
    }
    /* stdin ("-") is no file an output could overwrite */
    const char *inputs[3] = {a->rules_path, strcmp(path, "-") ? path : NULL, a->front};
    const char *outputs[CLI_MAX_FORMATS + 2];
    size_t n_out = 0;
    if (!on_stdout && !a->quiet && text_fmt)
        outputs[n_out++] = "-"; /* the text summary: stdout must not be the clip either */
    for (size_t k = 0; k < n_req; k++)
        outputs[n_out++] = req[k].path;
    if (a->track_path)
        outputs[n_out++] = a->track_path;
    const int checked = cli_check_outputs(inputs, 3, outputs, n_out); /* NULL: none */
    if (checked != 0)
        return checked;
    /* "-": the video or track comes from stdin */
    const int from_stdin = strcmp(path, "-") == 0;
    char stdin_path[64];
    int stdin_fd = -1;
    if (from_stdin && !from_track) {
        const int rc = cli_stdin_to_file("video", stdin_path, sizeof stdin_path, &stdin_fd);
        if (rc)
            return rc;
    }
    const char *name = from_stdin ? "stdin" : path;
    const char *video = stdin_fd >= 0 ? stdin_path : path;
    if (a->front) {
        /* the second camera's clip: there and readable, and not the first clip itself, before
         * minutes of analysis */
        enum hc_status st = hc_pair_check_files(video, a->front, from_track);
        if (st != HC_OK) {
            if (stdin_fd >= 0)
                close(stdin_fd);
            return cli_fail(st);
        }
    }
    const int rc = run_analysis(a, from_track, from_stdin, video, name, req, n_req, text_fmt,
                                on_stdout);
    if (stdin_fd >= 0)
        close(stdin_fd);
    return rc;
}

/* One clip's analysis: a video, a track (from_track), a track on stdin (from_stdin). */
static enum hc_status analyse_one(int from_track, int from_stdin, const char *path,
                                  const char *name, const struct hc_analysis_params *p,
                                  struct hc_analysis **an)
{
    enum hc_status st;
    if (!from_track) {
        st = hc_analyse_file(path, p, an);
    } else if (from_stdin) {
        struct hc_track *t = NULL;
        st = hc_track_read("/dev/stdin", &t);
        if (st == HC_OK)
            st = hc_analyse_track(t, name, p, an);
        hc_track_free(t);
    } else {
        st = hc_analyse_track_file(path, p, an);
    }
    return st;
}

/* --offset SEC as a number (0 and *out), or -1 after a message. */
static int parse_offset(const char *text, double *out)
{
    char *end = NULL;
    const double v = text ? strtod(text, &end) : NAN;
    if (!text || end == text || *end || !isfinite(v) || fabs(v) > 86400.0) {
        fprintf(stderr, "hingecheck: --offset takes seconds from -86400 to 86400 (the front "
                        "clip's time minus the side clip's), not '%s'\n", text ? text : "");
        return -1;
    }
    *out = v;
    return 0;
}

/* The analysis of `path` (a video, or a track when from_track; stdin when from_stdin: a video
 * saved to `path`, a track read from /dev/stdin), shown as `name`, joined to the --front clip's
 * when one is given; then its reports. */
static int run_analysis(const struct cli_args *a, int from_track, int from_stdin,
                        const char *path, const char *name, struct hc_report_request *req,
                        size_t n_req, const char *text_fmt, const char *on_stdout)
{
    struct hc_pair_params pp = hc_pair_default_params();
    if (a->offset && parse_offset(a->offset, &pp.offset_s) != 0)
        return CLI_EXIT_USAGE;
    struct hc_analysis_params p = hc_analysis_default_params();
    p.exercise = a->exercise ? a->exercise : "auto";
    p.implement = a->implement ? a->implement : "auto";
    p.rules_path = a->rules_path;
    if (!from_track) {
        if (a->model && hc_pose_model_from_name(a->model, &p.clip.pose.model) != 0) {
            fprintf(stderr, "hingecheck: --model takes lite, full or heavy, not '%s'\n",
                    a->model);
            return CLI_EXIT_USAGE;
        }
        p.clip.pose.model_dir = a->model_dir;
        p.clip.pose.n_threads = a->threads > 0 ? a->threads : 1;
        p.clip.pose.smooth = !a->no_smooth;
        p.clip.start_s = a->start_s;
        p.clip.end_s = a->end_s;
        p.plate_cm = a->plate_cm;
        p.no_spine_masks = a->no_spine_mask;
        p.name = from_stdin ? name : NULL;
        const int rc = cli_check_range(path, name, a->start_s, a->end_s);
        if (rc)
            return rc;
    }
    /* progress on a terminal (stderr), never into a pipe or a file, not with --quiet */
    struct cli_progress prog;
    cli_progress_init(&prog, name, !a->quiet && isatty(fileno(stderr)));
    if (prog.enabled) {
        p.progress = cli_progress_show;
        p.progress_user = &prog;
        hc_set_log_sink(cli_progress_log_sink, NULL);
    }
    cli_catch_stop_signals();
    p.on_frame = cli_stop_on_frame;
    struct hc_analysis *an = NULL;
    enum hc_status st = analyse_one(from_track, from_stdin, path, name, &p, &an);
    if (st == HC_OK && a->front) {
        /* the second camera: the same parameters, its own name on the progress line */
        struct hc_analysis *front = NULL;
        struct hc_analysis_params fp = p;
        fp.name = NULL;
        cli_progress_clear();
        cli_progress_init(&prog, a->front, prog.enabled);
        st = analyse_one(from_track, 0, a->front, a->front, &fp, &front);
        if (st == HC_OK)
            st = hc_analysis_pair(an, front, &pp, &an); /* takes both, frees both on failure */
        else
            hc_analysis_free(an);
        if (st != HC_OK)
            an = NULL;
    }
    cli_progress_clear();
    if (st != HC_OK && cli_stop_signal()) {
        fprintf(stderr, "hingecheck: %s: stopped by %s before the analysis was done; nothing "
                        "written\n", name, cli_stop_name());
        return cli_stop_exit_code();
    }
    if (st != HC_OK)
        return cli_fail(st);

    struct hc_report_options ro = hc_report_default_options();
    ro.series = a->series;
    ro.deterministic = a->deterministic;
    ro.overlay_size_px = a->overlay_size;
    ro.cancel = cli_stop_requested;
    int rc = CLI_EXIT_OK;
    if (!on_stdout && !a->quiet && text_fmt) {
        struct hc_report_options to = ro;
        to.color = want_color(a->color);
        if ((st = hc_analysis_write(an, text_fmt, "-", &to)) != HC_OK)
            rc = cli_fail(st);
    }
    if (prog.enabled) {
        fflush(stdout); /* the summary first, then the drawing's progress below it */
        ro.progress = cli_progress_show;
        ro.progress_user = &prog;
    }
    hc_analysis_write_reports(an, req, n_req, &ro);
    cli_progress_clear();
    const char *written[CLI_MAX_FORMATS + 1];
    const char *track = NULL;
    if (a->track_path && !cli_stop_signal()) {
        if ((st = hc_analysis_write_track(an, a->track_path)) == HC_OK)
            track = a->track_path;
        else
            rc = cli_fail(st);
    }
    int n_stopped = 0;
    for (size_t k = 0; k < n_req; k++) {
        written[k] = req[k].status == HC_OK ? req[k].path : NULL;
        if (req[k].status == HC_ERR_CANCELLED)
            n_stopped++;
        else if (req[k].status != HC_OK)
            rc = cli_fail_msg(req[k].status, req[k].error);
    }
    written[n_req] = track;
    if (!a->quiet)
        cli_print_written(written, n_req + 1);
    if (cli_stop_signal()) {
        /* what was finished is written; name what was not */
        fprintf(stderr, "hingecheck: %s: stopped by %s", name, cli_stop_name());
        for (size_t k = 0, i = 0; k < n_req; k++)
            if (req[k].status == HC_ERR_CANCELLED)
                fprintf(stderr, "%s%s", i++ ? ", " : "; not written: ", req[k].path);
        fprintf(stderr, "%s\n", n_stopped ? "" : " after the reports were written");
        hc_analysis_free(an);
        return cli_stop_exit_code();
    }

    struct hc_analysis_summary s;
    hc_analysis_summarise(an, &s);
    if (a->verbose)
        fprintf(stderr, "hingecheck: %s: %lld frames (%lld with the lifter), %d reps, %.3f s\n",
                name, (long long)s.n_frames, (long long)s.n_with_pose, s.n_reps, s.elapsed_s);
    if (rc == CLI_EXIT_OK && s.status != HC_OK) {
        fprintf(stderr, "hingecheck: %s: %s: %s\n", name,
                s.status == HC_ERR_NO_POSE ? "no lifter found" : "no rep found", s.reason);
        rc = hc_status_exit_code(s.status);
    }
    enum hc_severity level;
    if (rc == CLI_EXIT_OK && a->fail_on && hc_severity_from_name(a->fail_on, &level) == 0 &&
        s.worst >= level) {
        if (!a->quiet)
            fprintf(stderr, "hingecheck: %s: %d warning(s), %d error(s): failing as asked by "
                            "--fail-on %s\n",
                    name, s.n_findings[HC_SEVERITY_WARNING], s.n_findings[HC_SEVERITY_ERROR],
                    a->fail_on);
        rc = CLI_EXIT_FINDINGS;
    }
    hc_analysis_free(an);
    return rc;
}

int cmd_analyse(const struct cli_args *a)
{
    return cli_run_analysis(a, 0);
}
