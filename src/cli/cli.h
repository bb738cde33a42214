/*
 * cli.h - the command-line front end: one option table drives parsing, range checks and --help;
 * one command table maps sub-commands to their functions. Sees only hingecheck.h.
 */
#ifndef HC_CLI_H
#define HC_CLI_H

#include "hingecheck.h"

#include <stddef.h>
#include <stdio.h>

/* Exit codes (README "Exit codes"). */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_USAGE = 1,
    CLI_EXIT_INPUT = 2,      /* input or model error */
    CLI_EXIT_NOTHING = 3,    /* no lifter or no rep found */
    CLI_EXIT_FINDINGS = 4    /* --fail-on matched a finding */
    /* 128 + the signal when stopped by SIGINT (130) or SIGTERM (143): cli_stop_exit_code */
};

/* The report formats the CLI has an option slot for (a test checks the library has no more). */
#define CLI_MAX_FORMATS 16

/* Every option of every command lives here; a command reads the fields it declared. */
struct cli_args {
    int help;
    int version;
    int json;               /* probe: JSON instead of text */
    const char *output;     /* -o FILE */
    const char *model_dir;
    const char *model;      /* lite | full | heavy */
    int threads;
    double start_s;
    double end_s;
    int no_smooth;
    int no_spine_mask;      /* --no-spine-mask: keypoint spine proxy only (analysis) */
    const char *mask_dir;
    int verbose;            /* -v 1, -vv 2 */
    int quiet;
    /* analysis and score (cmd_analyse.c, cmd_score.c, cmd_rules.c) */
    const char *exercise;   /* --exercise: auto or a lift id (hc_exercise_names) */
    const char *implement;  /* --implement: auto | barbell | kettlebell */
    const char *rules_path; /* --rules FILE */
    const char *front;      /* --front FILE: the same set's front (rear, oblique) clip */
    const char *offset;     /* --offset SEC: the front clip's time minus the side clip's */
    double plate_cm;        /* --plate-cm: the plates' diameter (analyse, batch) */
    int lifts;              /* rules --lifts: print the lift table */
    /* --json FILE|-, --csv FILE|-, --html FILE, --overlay FILE.mp4 (analyse, score): where to
     * write report format k of the library's table (hc_report_format_get), NULL: not asked for.
     * One option row per format with a flag (cli_option_table); probe's --json is the flag
     * above. */
    const char *report_path[CLI_MAX_FORMATS];
    int series;             /* --series: per-frame series in the JSON report */
    const char *track_path; /* --track FILE: the analysis as a track score re-judges alike */
    int overlay_size;       /* --overlay-size N: the overlay's lines (0: the library's 720) */
    const char *fail_on;    /* --fail-on warning|error: exit 4 when such a finding exists */
    const char *color;      /* --color auto|always|never */
    int deterministic;      /* --deterministic: no timings or versions in reports */
    /* batch (cmd_batch.c) */
    const char *out_dir;    /* --out DIR */
    int jobs;               /* --jobs N (0: cores / --threads) */
    int force;              /* --force: analyse clips whose report is current */
    const char *shard;      /* --shard K/N */
    int html_flag;          /* batch's --html: per-clip HTML and index.html */
    /* positional arguments (files) */
    char **files;
    int n_files;
};

/* CLI_REPORT_ROWS: a placeholder row of the static table that stands for one CLI_STRING row per
 * report format with a flag (--json FILE, ...), made from the library's format table.
 * CLI_LIFT: "auto" or a lift of the library's lift table (hc_exercise_id: ids and other names;
 * stored as the id), listed by hc_exercise_names() */
enum cli_opt_type {
    CLI_FLAG, CLI_COUNT /* a flag that counts its uses: -v, -vv */, CLI_INT, CLI_DOUBLE, CLI_STRING, CLI_CHOICE, CLI_REPORT_ROWS, CLI_LIFT
};

/* Which commands accept an option (bit mask of 1 << enum cli_command). */
enum cli_command {
    CLI_CMD_ANALYSE = 0,
    CLI_CMD_PROBE,
    CLI_CMD_POSE,
    CLI_CMD_SCORE,
    CLI_CMD_RULES,
    CLI_CMD_BATCH,
    CLI_CMD_COMPARE,
    CLI_CMD_COMPARE_TRACKS,
    CLI_CMD_COUNT_
};
#define CLI_ALL_CMDS 0xffffu
#define CLI_CMD_BIT(c) (1u << (c))

struct cli_option {
    const char *long_name;  /* without the leading "--" */
    char short_name;        /* 0: none */
    enum cli_opt_type type;
    size_t offset;          /* into struct cli_args */
    double min, max;        /* for CLI_INT / CLI_DOUBLE */
    const char *choices;    /* CLI_CHOICE: "lite|full|heavy" */
    const char *def;        /* default as text, printed by --help and applied before parsing */
    const char *metavar;
    unsigned commands;      /* CLI_CMD_BIT(...) mask */
    const char *help;
};

struct cli_command_def {
    const char *name;
    enum cli_command id;
    int (*run)(const struct cli_args *a);
    const char *synopsis;   /* "probe [--json] FILE..." */
    const char *summary;    /* one line */
    const char *details;    /* a paragraph that teaches, printed by `hingecheck CMD --help` */
};

/* The option table with the report formats' rows in place of the placeholder; *n gets its
 * length. Built on first use (the CLI is single-threaded). */
const struct cli_option *cli_option_table(size_t *n);

/* Parse argv after the command name. Returns 0 or CLI_EXIT_USAGE (message already on stderr). */
int cli_parse(const struct cli_command_def *cmd, int argc, char **argv, struct cli_args *a);
void cli_print_help(FILE *f, const struct cli_command_def *cmd);
void cli_print_usage(FILE *f, const struct cli_command_def *cmd);
/* The manual page in roff (hingecheck --man; the build installs it as hingecheck.1): the
 * commands' synopses and texts, every option of the table with its commands, the exit codes. */
void cli_print_man(FILE *f, const struct cli_command_def *cmds, size_t n_cmds,
                   const char *exit_codes);

/* Report a library failure the way every command does: one line naming the file and what to do,
 * and the exit code for the status. */
int cli_fail(enum hc_status st);
/* The same with the message given (a failure reported per output, not hc_last_error()). */
int cli_fail_msg(enum hc_status st, const char *msg);

/* SIGINT and SIGTERM as a clean stop (signals.c): after cli_catch_stop_signals the first of them
 * is only noted; the command polls cli_stop_requested (a cancel callback: hc_batch_params.cancel,
 * hc_report_options.cancel) or cli_stop_on_frame (hc_analysis_params.on_frame), writes what is
 * finished and returns cli_stop_exit_code(). A second signal of the same kind kills at once. */
void cli_catch_stop_signals(void);
int cli_stop_signal(void);            /* 0, or the signal caught */
int cli_stop_requested(void *user);
int cli_stop_on_frame(int64_t frame_index, int64_t n_frames_estimate, void *user);
int cli_stop_exit_code(void);         /* 128 + the signal: 130 for SIGINT, 143 for SIGTERM */
const char *cli_stop_name(void);      /* "Ctrl-C (SIGINT)" or "SIGTERM", for messages */

/* Checks the outputs of a command reading `inputs` before any work (hc_outputs_check): 0, or
 * the message printed and the exit code (1: an output is an input, another output or a folder;
 * 2: its folder is missing or not writable). */
int cli_check_outputs(const char *const *inputs, size_t n_in, const char *const *outputs,
                      size_t n_out);
/* What the commands that read one clip share (cli_clip.c). */
/* "1:02" or "1:02:03" for s seconds. */
void cli_fmt_duration(double s, char *buf, size_t n);
/* "-" as the clip: copies stdin (not a terminal) to an unlinked temporary file, whose open
 * descriptor *fd_out (close it at the end) is `path` ("/dev/fd/N"). 0, or the exit code after
 * saying why. `what`: "video" or "track", for the messages. */
int cli_stdin_to_file(const char *what, char *path, size_t n, int *fd_out);
/* --end after --start, and --start within the clip (probed; `name` is what the user gave):
 * 0, or CLI_EXIT_USAGE after a message naming the clip's length. */
int cli_check_range(const char *path, const char *name, double start_s, double end_s);
/* The progress line of one clip on stderr (enabled: stderr is a terminal, no --quiet). */
struct cli_progress {
    const char *name;   /* the clip, as the user named it */
    int enabled;
    const char *stage;  /* the stage last drawn */
    double last_s;      /* when the line was last drawn (the stage's elapsed_s) */
};
void cli_progress_init(struct cli_progress *p, const char *name, int enabled);
/* An hc_progress_fn; user: the struct cli_progress. */
void cli_progress_show(const struct hc_progress *pr, void *user);
/* Takes the progress line off the terminal (before other output). */
void cli_progress_clear(void);
/* The log sink while a progress line may be up: clears it, then prints the message. */
void cli_progress_log_sink(enum hc_log_level level, const char *msg, void *user);
/* A command's text output, -o FILE ("-" or NULL: stdout): the stream, or NULL after one line
 * naming the file (exit CLI_EXIT_INPUT). */
FILE *cli_open_output(const char *path);
/* Closes what cli_open_output opened (stdout stays open): rc, or CLI_EXIT_INPUT after one line
 * when the write failed and rc was CLI_EXIT_OK. */
int cli_close_output(FILE *f, const char *path, int rc);

/* "hingecheck: wrote: a.json, a.html" on stderr for the paths given ("-" and NULL skipped). */
void cli_print_written(const char *const *paths, size_t n);

/* Commands (cmd_*.c). */
int cmd_probe(const struct cli_args *a);
int cmd_compare(const struct cli_args *a);
int cmd_compare_tracks(const struct cli_args *a);
int cmd_pose(const struct cli_args *a);
int cmd_analyse(const struct cli_args *a);
int cmd_score(const struct cli_args *a);
int cmd_rules(const struct cli_args *a);
int cmd_batch(const struct cli_args *a);
/* The analyse/score body (cmd_analyse.c): from_track 0 analyses a video, 1 re-scores a track. */
int cli_run_analysis(const struct cli_args *a, int from_track);

#endif /* HC_CLI_H */
