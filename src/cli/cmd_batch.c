#define _POSIX_C_SOURCE 200809L
/*
 * cmd_batch.c - `hingecheck batch DIR|FILE... --out DIR`: the options into hc_batch_params,
 * Ctrl-C and SIGTERM into a clean stop, progress on a terminal, the outcome into the exit code.
 *
 * Exit codes (docs/BATCH.md): 0 every clip ok; 1 usage (also: two clips would share one report
 * name, a report path is taken by a folder or an input); 2 input or model error before any clip
 * (no clip found, --out not writable, model missing); 4 no clip failed but one has a finding at
 * or above --fail-on; 10 + F when F clips failed (corrupt, no lifter, no rep), capped at 110 (100
 * or more) so it never wraps past 255 or meets a signal's 128 + n; 130 stopped by Ctrl-C
 * (SIGINT), 143 by SIGTERM (a Slurm time limit, docker stop, timeout): the summary of what was
 * done is written, the clips left are its "not-run" rows.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_FAILED_BASE 10
#define EXIT_FAILED_CAP 100

/* Progress lines at most this often (s): enough to look alive, cheap on a slow terminal. */
#define PROGRESS_PERIOD_S 0.25

struct progress_state {
    double last_s;
    int printed;
};

/* One line, redrawn in place: clips done of total, failures, the clip under way, ETA. */
static void batch_progress(const struct hc_batch_progress *pr, void *user)
{
    struct progress_state *ps = user;
    if (pr->n_done < pr->n_total && pr->elapsed_s - ps->last_s < PROGRESS_PERIOD_S &&
        ps->printed)
        return;
    ps->last_s = pr->elapsed_s;
    ps->printed = 1;
    char eta[32] = "--:--";
    if (pr->done_clips > 0.05)
        cli_fmt_duration(pr->elapsed_s * (pr->n_total - pr->done_clips) / pr->done_clips, eta,
                     sizeof eta);
    const char *cur = pr->current ? pr->current : "";
    const size_t len = strlen(cur);
    /* keep the line within 80 columns: the clip name's tail is what tells clips apart */
    fprintf(stderr, "\r\033[K%d/%d done, %d failed, ETA %s  %s%s", pr->n_done, pr->n_total,
            pr->n_failed, eta, len > 40 ? "..." : "", len > 40 ? cur + len - 40 : cur);
    fflush(stderr);
}

/* While the progress line is up, a warning first clears it (else it would be glued to the
 * line's end); the next progress call draws the line again below it. */
static void batch_log_sink(enum hc_log_level level, const char *msg, void *user)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    (void)user;
    fprintf(stderr, "\r\033[Khingecheck: %s: %s\n", names[level], msg);
}

/* "K/N" with 1 <= K <= N. */
static int parse_shard(const char *s, int *k, int *n)
{
    char *end = NULL;
    const long kk = strtol(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *ns = end + 1;
    const long nn = strtol(ns, &end, 10);
    if (end == ns || *end || kk < 1 || nn < 1 || kk > nn || nn > 100000)
        return -1;
    *k = (int)kk;
    *n = (int)nn;
    return 0;
}

int cmd_batch(const struct cli_args *a)
{
    if (a->n_files < 1 || !a->out_dir) {
        fprintf(stderr, "hingecheck: batch needs %s\n",
                a->n_files < 1 ? "at least one folder or clip" : "--out DIR for the reports");
        fprintf(stderr, "usage: hingecheck batch DIR|FILE... --out DIR [OPTIONS]\n");
        return CLI_EXIT_USAGE;
    }
    struct hc_batch_params bp = hc_batch_default_params();
    if (a->shard && parse_shard(a->shard, &bp.shard_index, &bp.n_shards) != 0) {
        fprintf(stderr, "hingecheck: --shard takes K/N with 1 <= K <= N (e.g. 2/4), not '%s'\n",
                a->shard);
        return CLI_EXIT_USAGE;
    }
    struct hc_analysis_params *p = &bp.analysis;
    p->exercise = a->exercise ? a->exercise : "auto";
    p->implement = a->implement ? a->implement : "auto";
    p->rules_path = a->rules_path;
    if (a->model && hc_pose_model_from_name(a->model, &p->clip.pose.model) != 0) {
        fprintf(stderr, "hingecheck: --model takes lite, full or heavy, not '%s'\n", a->model);
        return CLI_EXIT_USAGE;
    }
    p->clip.pose.model_dir = a->model_dir;
    p->clip.pose.n_threads = a->threads > 0 ? a->threads : 1;
    p->no_spine_masks = a->no_spine_mask;
    p->plate_cm = a->plate_cm;
    /* a bad --rules file fails here, once, not once per clip */
    enum hc_status st;
    if (a->rules_path && (st = hc_rules_check_file(a->rules_path, NULL)) != HC_OK)
        return cli_fail(st);
    bp.out_dir = a->out_dir;
    bp.n_jobs = a->jobs;
    bp.force = a->force;
    bp.html = a->html_flag;
    bp.deterministic = a->deterministic;
    bp.cancel = cli_stop_requested;
    struct progress_state ps = {0, 0};
    if (!a->quiet && isatty(fileno(stderr))) {
        bp.progress = batch_progress;
        bp.progress_user = &ps;
        hc_set_log_sink(batch_log_sink, NULL); /* before the workers start (hingecheck.h) */
    }

    /* Ctrl-C, SIGTERM: finish cleanly (summary written); a second one kills at once */
    cli_catch_stop_signals();
    struct hc_batch_result r;
    st = hc_batch_run((const char *const *)a->files, a->n_files, &bp, &r);
    if (ps.printed)
        fputc('\n', stderr);
    if (st != HC_OK)
        return cli_fail(st);

    char shard_sfx[64] = "";
    if (bp.n_shards > 1)
        snprintf(shard_sfx, sizeof shard_sfx, ".shard-%d-of-%d", bp.shard_index, bp.n_shards);
    if (!a->quiet)
        fprintf(stderr, "hingecheck: batch: %d clip(s)%s: %d ok, %d failed (%d analysed now, "
                        "%d already done, %d not done); summary in %s/summary%s.csv\n",
                r.n_selected, bp.n_shards > 1 ? " in this shard" : "", r.n_ok, r.n_failed,
                r.n_analysed, r.n_skipped, r.n_pending, a->out_dir, shard_sfx);
    if (r.cancelled || cli_stop_signal()) {
        if (!a->quiet)
            fprintf(stderr, "hingecheck: batch stopped by %s: %d clip(s) left (not-run in the "
                            "summary); run the same command again to finish them\n",
                    cli_stop_name(), r.n_pending);
        return cli_stop_exit_code();
    }
    if (r.n_failed > 0)
        return EXIT_FAILED_BASE + (r.n_failed < EXIT_FAILED_CAP ? r.n_failed : EXIT_FAILED_CAP);
    enum hc_severity level;
    if (a->fail_on && hc_severity_from_name(a->fail_on, &level) == 0) {
        int n = 0;
        for (int k = (int)level; k < 3; k++)
            n += r.n_worst[k];
        if (n > 0) {
            if (!a->quiet)
                fprintf(stderr, "hingecheck: batch: %d clip(s) with a finding at or above %s: "
                                "failing as asked by --fail-on\n", n, a->fail_on);
            return CLI_EXIT_FINDINGS;
        }
    }
    return CLI_EXIT_OK;
}
