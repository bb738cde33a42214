/* options.c - the option table and the table-driven parser and help printer. The report formats'
 * options (--json FILE, --csv FILE, --html FILE, --overlay FILE.mp4) are not written here: they
 * are made from the library's format table (hc_report_format_get), so a new format brings its
 * option and --help line with it. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OFF(f) offsetof(struct cli_args, f)
#define B(c) CLI_CMD_BIT(CLI_CMD_##c)

/* One row per option. Keep alphabetical by long name within a group; --help prints this order. */
static const struct cli_option base_options[] = {
    {"help", 'h', CLI_FLAG, OFF(help), 0, 0, NULL, NULL, NULL, CLI_ALL_CMDS,
     "show this help and exit"},
    {"json", 0, CLI_FLAG, OFF(json), 0, 0, NULL, NULL, NULL, B(PROBE),
     "print JSON instead of text"},
    {"output", 'o', CLI_STRING, OFF(output), 0, 0, NULL, NULL, "FILE",
     B(POSE) | B(COMPARE) | B(COMPARE_TRACKS),
     "write the result to FILE (- for stdout)"},
    {"model", 'm', CLI_CHOICE, OFF(model), 0, 0, "lite|full|heavy", "full", "NAME",
     B(ANALYSE) | B(POSE) | B(BATCH),
     "landmark model: lite (fastest), full (default), heavy (most accurate, ~4x slower)"},
    {"model-dir", 0, CLI_STRING, OFF(model_dir), 0, 0, NULL, NULL, "DIR",
     B(ANALYSE) | B(POSE) | B(BATCH),
     "where the .tflite models are (else $HINGECHECK_MODEL_DIR, else the build/install dir)"},
    {"threads", 't', CLI_INT, OFF(threads), 1, 64, NULL, "1", "N",
     B(ANALYSE) | B(POSE) | B(BATCH), "inference threads"},
    {"start", 0, CLI_DOUBLE, OFF(start_s), 0, 1e7, NULL, "0", "SEC",
     B(ANALYSE) | B(POSE), "analyse from this time in the clip"},
    {"end", 0, CLI_DOUBLE, OFF(end_s), 0, 1e7, NULL, "0", "SEC",
     B(ANALYSE) | B(POSE), "stop at this time (0: the end of the clip)"},
    {"no-smooth", 0, CLI_FLAG, OFF(no_smooth), 0, 0, NULL, NULL, NULL, B(ANALYSE) | B(POSE),
     "turn landmark smoothing off (MediaPipe's filter is on by default)"},
    {"no-spine-mask", 0, CLI_FLAG, OFF(no_spine_mask), 0, 0, NULL, NULL, NULL,
     B(ANALYSE) | B(BATCH),
     "read the spine from keypoints only, not from the person's outline (faster)"},
    {"mask-dir", 0, CLI_STRING, OFF(mask_dir), 0, 0, NULL, NULL, "DIR", B(POSE),
     "also write each frame's segmentation mask as a PGM into DIR"},
    {"verbose", 'v', CLI_COUNT, OFF(verbose), 0, 0, NULL, NULL, NULL, CLI_ALL_CMDS,
     "say more on stderr: what was done and FFmpeg's warnings; -vv also debugging detail and "
     "FFmpeg's own log"},
    {"quiet", 'q', CLI_FLAG, OFF(quiet), 0, 0, NULL, NULL, NULL, CLI_ALL_CMDS,
     "print errors only: no summary, progress line or list of files written"},
    /* analysis and reports (docs/REPORT.md) */
    {"exercise", 'e', CLI_LIFT, OFF(exercise), 0, 0, NULL, "auto", "NAME",
     B(ANALYSE) | B(SCORE) | B(BATCH),
     "the lift (other names: hingecheck rules --lifts); auto recognises it from the movement"},
    {"implement", 0, CLI_CHOICE, OFF(implement), 0, 0, "auto|barbell|kettlebell", "auto", "NAME",
     B(ANALYSE) | B(SCORE) | B(BATCH),
     "what the lifter holds; auto: seen from the hands in oblique and front views, else judged as "
     "a barbell (side-on the hands overlap)"},
    {"plate-cm", 0, CLI_DOUBLE, OFF(plate_cm), 10, 60, NULL, "45", "CM", B(ANALYSE) | B(BATCH),
     "the plates' diameter, 10-60 (standard 20-25 kg plates and bumpers: 45); side-on they "
     "give the cm scale"},
    {"front", 0, CLI_STRING, OFF(front), 0, 0, NULL, NULL, "FILE", B(ANALYSE) | B(SCORE),
     "the same set filmed from the front (or behind, or at an angle) by a second camera: one "
     "report, side checks from the side clip, knees, feet, stance, hip shift and trunk twist "
     "from this one"},
    {"offset", 0, CLI_STRING, OFF(offset), 0, 0, NULL, NULL, "SEC", B(ANALYSE) | B(SCORE),
     "with --front: the front clip's time of a moment minus the side clip's (default: found "
     "by matching the movement in both)"},
    {"lifts", 0, CLI_FLAG, OFF(lifts), 0, 0, NULL, NULL, NULL, B(RULES),
     "print the lifts instead: ids, other names, start, phases, implements, recognition"},
    {"rules", 0, CLI_STRING, OFF(rules_path), 0, 0, NULL, NULL, "FILE",
     B(ANALYSE) | B(SCORE) | B(RULES) | B(BATCH),
     "use the rules in FILE instead of the built-in ones (see hingecheck rules)"},
    /* --json FILE, --csv FILE, --html FILE, --overlay FILE.mp4: one row per report format */
    {"", 0, CLI_REPORT_ROWS, OFF(report_path), 0, 0, NULL, NULL, NULL, B(ANALYSE) | B(SCORE),
     NULL},
    {"track", 0, CLI_STRING, OFF(track_path), 0, 0, NULL, NULL, "FILE", B(ANALYSE),
     "also write the poses with the implement and spine measured, as a track `hingecheck "
     "score FILE` re-judges exactly as this analysis, without the video (- for stdout)"},
    {"series", 0, CLI_FLAG, OFF(series), 0, 0, NULL, NULL, NULL, B(ANALYSE) | B(SCORE),
     "add the per-frame series (angles, distances, phase) to the JSON report"},
    {"overlay-size", 0, CLI_INT, OFF(overlay_size), HC_OVERLAY_SIZE_MIN_PX,
     HC_OVERLAY_SIZE_MAX_PX, NULL, "720", "N", B(ANALYSE) | B(SCORE),
     "the overlay video's size in lines (its shorter side), 240-1080; a smaller clip keeps its "
     "own"},
    {"fail-on", 0, CLI_CHOICE, OFF(fail_on), 0, 0, "warning|error", NULL, "LEVEL",
     B(ANALYSE) | B(SCORE) | B(BATCH),
     "exit with code 4 when a finding at this level or worse exists"},
    {"color", 0, CLI_CHOICE, OFF(color), 0, 0, "auto|always|never", "auto", "WHEN",
     B(ANALYSE) | B(SCORE),
     "colour the text report; auto: only on a terminal and when NO_COLOR is not set"},
    {"deterministic", 0, CLI_FLAG, OFF(deterministic), 0, 0, NULL, NULL, NULL,
     B(ANALYSE) | B(SCORE) | B(BATCH),
     "leave timings and versions out of reports (stable output for diffs and golden files)"},
    /* batch (cmd_batch.c, docs/BATCH.md) */
    {"out", 0, CLI_STRING, OFF(out_dir), 0, 0, NULL, NULL, "DIR", B(BATCH),
     "write the per-clip reports and summary.csv / summary.jsonl into DIR (made if missing)"},
    {"jobs", 'j', CLI_INT, OFF(jobs), 0, 256, NULL, "0", "N", B(BATCH),
     "clips analysed at once, one per core (0: the cores divided by --threads)"},
    {"force", 0, CLI_FLAG, OFF(force), 0, 0, NULL, NULL, NULL, B(BATCH),
     "analyse every clip again, even those whose report is newer than the clip"},
    {"shard", 0, CLI_STRING, OFF(shard), 0, 0, NULL, "1/1", "K/N", B(BATCH),
     "analyse only share K of N (clip i of the sorted list when i % N = K-1), for several "
     "machines"},
    {"html", 0, CLI_FLAG, OFF(html_flag), 0, 0, NULL, NULL, NULL, B(BATCH),
     "also write an HTML report per clip and DIR/index.html linking them"},
};
#define N_BASE (sizeof base_options / sizeof base_options[0])

static struct cli_option options[N_BASE + CLI_MAX_FORMATS];
static size_t n_options;

const struct cli_option *cli_option_table(size_t *n)
{
    if (!n_options) {
        for (size_t b = 0; b < N_BASE; b++) {
            const struct cli_option *o = &base_options[b];
            if (o->type != CLI_REPORT_ROWS) {
                options[n_options++] = *o;
                continue;
            }
            const size_t n_fmt = hc_report_format_count();
            for (size_t k = 0; k < n_fmt && k < CLI_MAX_FORMATS; k++) {
                struct hc_report_format_info fi;
                if (hc_report_format_get(k, &fi) != HC_OK || !fi.flag)
                    continue;
                options[n_options++] = (struct cli_option){
                    fi.flag, 0, CLI_STRING, o->offset + k * sizeof(const char *), 0, 0, NULL,
                    NULL, fi.metavar, o->commands, fi.help};
            }
        }
    }
    *n = n_options;
    return options;
}

static int opt_applies(const struct cli_option *o, const struct cli_command_def *cmd)
{
    return (o->commands & CLI_CMD_BIT(cmd->id)) != 0;
}

static int choice_ok(const char *choices, const char *v)
{
    size_t n = strlen(v);
    const char *p = choices;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* Store `val` (text) into the field of option `o`; returns 0 or prints why not and returns 1. */
static int set_value(const struct cli_option *o, const char *val, struct cli_args *a)
{
    char *base = (char *)a + o->offset;
    char *end = NULL;
    switch (o->type) {
    case CLI_FLAG:
        *(int *)base = 1;
        return 0;
    case CLI_COUNT:
        (*(int *)base)++;
        return 0;
    case CLI_INT: {
        errno = 0;
        long v = strtol(val, &end, 10);
        if (errno || end == val || *end || v < o->min || v > o->max) {
            fprintf(stderr, "hingecheck: --%s takes a whole number from %g to %g, not '%s'\n",
                    o->long_name, o->min, o->max, val);
            return 1;
        }
        *(int *)base = (int)v;
        return 0;
    }
    case CLI_DOUBLE: {
        errno = 0;
        double v = strtod(val, &end);
        if (errno || end == val || *end || !(v >= o->min && v <= o->max)) {
            fprintf(stderr, "hingecheck: --%s takes a number from %g to %g, not '%s'\n",
                    o->long_name, o->min, o->max, val);
            return 1;
        }
        *(double *)base = v;
        return 0;
    }
    case CLI_CHOICE:
        if (!choice_ok(o->choices, val)) {
            fprintf(stderr, "hingecheck: --%s takes one of %s, not '%s'\n", o->long_name,
                    o->choices, val);
            return 1;
        }
        *(const char **)base = val;
        return 0;
    case CLI_LIFT: {
        const char *id = hc_exercise_id(val);
        if (!id) {
            fprintf(stderr, "hingecheck: --%s takes one of %s (or another name of a lift: "
                            "hingecheck rules --lifts), not '%s'\n", o->long_name,
                    hc_exercise_names(), val);
            return 1;
        }
        *(const char **)base = id;
        return 0;
    }
    case CLI_STRING:
        if (!*val) {
            fprintf(stderr, "hingecheck: --%s needs a non-empty value\n", o->long_name);
            return 1;
        }
        *(const char **)base = val;
        return 0;
    case CLI_REPORT_ROWS: /* replaced by its rows in cli_option_table */
        break;
    }
    return 1;
}

static const struct cli_option *find_long(const char *name, size_t len,
                                          const struct cli_command_def *cmd)
{
    /* Two rows may share a name for different commands (probe's --json flag, analyse's --json
     * FILE): prefer the row that applies to this command. */
    const struct cli_option *any = NULL;
    size_t n;
    const struct cli_option *t = cli_option_table(&n);
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].long_name) == len && strncmp(t[i].long_name, name, len) == 0) {
            if (opt_applies(&t[i], cmd))
                return &t[i];
            if (!any)
                any = &t[i];
        }
    return any;
}

static const struct cli_option *find_short(char c)
{
    size_t n;
    const struct cli_option *t = cli_option_table(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].short_name == c)
            return &t[i];
    return NULL;
}

int cli_parse(const struct cli_command_def *cmd, int argc, char **argv, struct cli_args *a)
{
    memset(a, 0, sizeof *a);
    size_t n_opt;
    const struct cli_option *t = cli_option_table(&n_opt);
    for (size_t i = 0; i < n_opt; i++) {
        const struct cli_option *o = &t[i];
        if (o->def && o->type != CLI_FLAG && set_value(o, o->def, a))
            return CLI_EXIT_USAGE; /* a bad default is a bug; the test suite catches it */
    }
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    if (!a->files) {
        fprintf(stderr, "hingecheck: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    int only_files = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (only_files || arg[0] != '-' || arg[1] == '\0') {
            a->files[a->n_files++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_files = 1;
            continue;
        }
        const struct cli_option *o;
        const char *val = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            o = find_long(name, eq ? (size_t)(eq - name) : strlen(name), cmd);
            if (eq)
                val = eq + 1;
        } else {
            o = find_short(arg[1]);
            /* a counted flag may be repeated in one word: -vv */
            for (size_t k = 2; o && arg[k]; k++)
                if (arg[k] != arg[1] || o->type != CLI_COUNT)
                    o = NULL;
            for (size_t k = 2; o && arg[k]; k++)
                set_value(o, NULL, a);
        }
        if (!o) {
            fprintf(stderr, "hingecheck: unknown option '%s'\n", arg);
            cli_print_usage(stderr, cmd);
            return CLI_EXIT_USAGE;
        }
        if (!opt_applies(o, cmd)) {
            fprintf(stderr, "hingecheck: option --%s does not apply to '%s'\n", o->long_name,
                    cmd->name);
            cli_print_usage(stderr, cmd);
            return CLI_EXIT_USAGE;
        }
        if (o->type == CLI_FLAG || o->type == CLI_COUNT) {
            if (val) {
                fprintf(stderr, "hingecheck: --%s takes no value\n", o->long_name);
                return CLI_EXIT_USAGE;
            }
        } else if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "hingecheck: --%s needs a value (%s)\n", o->long_name,
                        o->metavar ? o->metavar : "VALUE");
                cli_print_usage(stderr, cmd);
                return CLI_EXIT_USAGE;
            }
            val = argv[++i];
        }
        if (set_value(o, val, a))
            return CLI_EXIT_USAGE;
    }
    return 0;
}

void cli_print_usage(FILE *f, const struct cli_command_def *cmd)
{
    fprintf(f, "usage: hingecheck %s\n", cmd->synopsis);
    fprintf(f, "       hingecheck %s%s--help for details\n",
            cmd->id == CLI_CMD_ANALYSE ? "" : cmd->name, cmd->id == CLI_CMD_ANALYSE ? "" : " ");
}

void cli_print_help(FILE *f, const struct cli_command_def *cmd)
{
    fprintf(f, "usage: hingecheck %s\n\n%s\n", cmd->synopsis, cmd->summary);
    if (cmd->details)
        fprintf(f, "\n%s\n", cmd->details);
    fprintf(f, "\noptions:\n");
    size_t n_opt;
    const struct cli_option *t = cli_option_table(&n_opt);
    for (size_t i = 0; i < n_opt; i++) {
        const struct cli_option *o = &t[i];
        char left[64];
        if (!opt_applies(o, cmd))
            continue;
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name,
                     o->metavar ? " " : "", o->metavar ? o->metavar : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        fprintf(f, "  %-26s %s", left, o->help);
        if (o->type == CLI_CHOICE || o->type == CLI_LIFT)
            fprintf(f, " [%s]", o->type == CLI_LIFT ? hc_exercise_names() : o->choices);
        if (o->def)
            fprintf(f, " (default: %s)", o->def);
        fputc('\n', f);
    }
}

int cli_fail_msg(enum hc_status st, const char *msg)
{
    fprintf(stderr, "hingecheck: error: %s\n", msg && msg[0] ? msg : hc_strerror(st));
    return hc_status_exit_code(st);
}

int cli_fail(enum hc_status st)
{
    return cli_fail_msg(st, hc_last_error());
}

int cli_check_outputs(const char *const *inputs, size_t n_in, const char *const *outputs,
                      size_t n_out)
{
    const enum hc_status st = hc_outputs_check(inputs, n_in, outputs, n_out);
    return st == HC_OK ? 0 : cli_fail(st);
}

/* ---- the manual page (hingecheck --man): the same tables as --help, in roff ---------------- */

/* Text into roff: backslashes and hyphens escaped, a line starting with '.' or '\'' protected. */
static void roff_text(FILE *f, const char *s)
{
    int bol = 1;
    for (; s && *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            fputs("\\&", f);
        bol = *s == '\n';
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
}

/* pre, the text escaped, post: a span in a font or brackets */
static void roff_span(FILE *f, const char *pre, const char *text, const char *post)
{
    fputs(pre, f);
    roff_text(f, text);
    fputs(post, f);
}

static void man_option(FILE *f, const struct cli_option *o,
                       const struct cli_command_def *cmds, size_t n_cmds)
{
    fputs(".TP\n", f);
    if (o->short_name)
        fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
    roff_span(f, "\\fB\\-\\-", o->long_name, "\\fR");
    if (o->metavar)
        roff_span(f, " \\fI", o->metavar, "\\fR");
    fputc('\n', f);
    roff_text(f, o->help);
    if (o->type == CLI_CHOICE || o->type == CLI_LIFT)
        roff_span(f, " [", o->type == CLI_LIFT ? hc_exercise_names() : o->choices, "]");
    if (o->def)
        roff_span(f, " (default: ", o->def, ")");
    fputs(".\nCommands: ", f);
    for (size_t c = 0, k = 0; c < n_cmds; c++)
        if (opt_applies(o, &cmds[c]))
            fprintf(f, "%s%s", k++ ? ", " : "", cmds[c].name);
    fputs(".\n", f);
}

void cli_print_man(FILE *f, const struct cli_command_def *cmds, size_t n_cmds,
                   const char *exit_codes)
{
    fprintf(f, ".TH HINGECHECK 1 \"\" \"hingecheck %s\" \"User Commands\"\n", hc_version());
    fputs(".SH NAME\nhingecheck \\- form checker for recorded hip\\-hinge lift videos\n"
          ".SH SYNOPSIS\n", f);
    for (size_t c = 0; c < n_cmds; c++) {
        fputs("\\fBhingecheck\\fR ", f);
        roff_text(f, cmds[c].synopsis);
        fputs("\n.br\n", f);
    }
    fputs(".SH DESCRIPTION\nFilm the lift from the side, hip height, whole body in view; "
          "hingecheck finds the lifter, tracks 33 body landmarks per frame, splits the set into "
          "reps and checks each rep against the hip\\-hinge coaching cues. A clip named \\fB\\-"
          "\\fR is read from stdin, and \\fB\\-\\-json \\-\\fR or \\fB\\-\\-csv "
          "\\-\\fR write to stdout, so commands chain:\n.PP\n.nf\n"
          "hingecheck pose set1.mp4 \\-o \\- | hingecheck score \\- \\-\\-json \\-\n.fi\n"
          ".PP\nOn a terminal a progress line shows the stage, frames done, speed and time left; "
          "at the end the files written are listed (not with \\fB\\-q\\fR).\n"
          ".SH COMMANDS\n", f);
    for (size_t c = 0; c < n_cmds; c++) {
        fprintf(f, ".SS %s\n", cmds[c].name);
        roff_text(f, cmds[c].summary);
        fputs("\n.PP\n", f);
        if (cmds[c].details) {
            /* paragraphs: a blank line in the text starts a new one */
            const char *d = cmds[c].details;
            while (*d) {
                const char *end = strstr(d, "\n\n");
                const size_t len = end ? (size_t)(end - d) : strlen(d);
                char para[2048];
                snprintf(para, sizeof para, "%.*s", (int)(len < sizeof para ? len : sizeof para - 1),
                         d);
                roff_text(f, para);
                fputs("\n.PP\n", f);
                d += len;
                while (*d == '\n')
                    d++;
            }
        }
    }
    fputs(".SH OPTIONS\n", f);
    size_t n_opt;
    const struct cli_option *t = cli_option_table(&n_opt);
    for (size_t i = 0; i < n_opt; i++)
        man_option(f, &t[i], cmds, n_cmds);
    fputs(".SH EXIT STATUS\n", f);
    roff_text(f, exit_codes);
    fputs("\n.SH ENVIRONMENT\n"
          ".TP\n\\fBHINGECHECK_MODEL_DIR\\fR\nwhere the .tflite models are, when "
          "\\fB\\-\\-model\\-dir\\fR is not given.\n"
          ".TP\n\\fBNO_COLOR\\fR\nset and not empty: no colour in the text report "
          "(\\fB\\-\\-color auto\\fR).\n"
          ".TP\n\\fBTMPDIR\\fR\nwhere a clip read from stdin is kept while it is analysed "
          "(default /tmp).\n"
          ".SH SEE ALSO\nREADME.md, docs/REPORT.md (the reports and \\fBreport.schema.json\\fR), "
          "docs/RULES.md, docs/BATCH.md, docs/TRACK.md in the source tree.\n", f);
}
