/* main.c - hingecheck's entry point: pick the command, parse its options, run it. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One row per command; adding a command = one cmd_*.c file + one row here. */
static const struct cli_command_def commands[] = {
    {"analyse", CLI_CMD_ANALYSE, cmd_analyse,
     "[analyse] VIDEO|- [--exercise NAME] [--json FILE|-] [--csv FILE] [--fail-on LEVEL]",
     "Analyse a filmed set: reps, coaching cues and scores (the default command).",
     "How to film: side-on to the lifter, lens at hip height, 2-3 m away, the whole body from\n"
     "head to feet in frame for the whole set, camera steady (tripod or propped phone), good\n"
     "light, nobody walking in front. A camera more than ~30 deg off side-on gets a view\n"
     "warning and less reliable angles; from the front or behind, the hinge angles cannot be\n"
     "judged and the set is judged on knees, feet, stance, hip shift and trunk twist.\n\n"
     "What you get: the set score (0-100; 100 = every rep met every cue) and verdict, the top\n"
     "3 coaching cues with how to fix them, and per rep: depth (hip angle at the bottom, about\n"
     "90 deg is a good hinge), knee bend (15-20 deg: soft knees), back rounding (% of the\n"
     "hip-shoulder length, + rounded, - arched), how far the bar got from the body (cm),\n"
     "lowering and rising time (s), the rep's score and its worst finding, and the bar speed\n"
     "lost over the set. A legend under the table says what each column is. 'Not assessable'\n"
     "means the joints a rule needs were hidden or unclear: hingecheck says so, never guesses.\n\n"
     "Two cameras on one set: VIDEO --front FRONT.mp4 (the same set filmed from the front or\n"
     "behind) gives one report: the clips are aligned in time from the movement (the offset and\n"
     "how sure it is are shown; --offset SEC gives it), the reps matched, the hinge judged from\n"
     "VIDEO and knees, feet, stance, hip shift and trunk twist from FRONT.mp4.\n\n"
     "--json FILE writes everything (clip facts, per-rep metrics, findings, scores; per-frame\n"
     "series with --series; docs/REPORT.md); --csv FILE one row per rep; --html FILE a page\n"
     "for a phone or a desktop: the worst moment of each finding with the fault drawn, a bar\n"
     "path per rep, charts whose cursor follows the video played beside them (the --overlay\n"
     "written with it, else the clip; keep them beside the page). `hingecheck compare A.json\n"
     "B.json` sets two reports side by side. VIDEO '-' reads the\n"
     "clip from stdin. On a terminal a progress line shows the stage, frames, speed and time\n"
     "left; at the end the files written are listed. Outputs are checked before the analysis:\n"
     "one that is the clip (also through a link) or another output is refused (exit 1), a\n"
     "missing or read-only folder too (exit 2). Exit codes: 0 analysed, 1 usage (also --start\n"
     "past the clip's end), 2 input, model or rules error (also a clip upside down: the\n"
     "lifter's head below the feet), 3 no lifter or no rep found (reports are still written,\n"
     "saying why), 4 a finding at or above --fail-on, 5 --front clips that are not one set's\n"
     "side and front views (the same file, two side views, swapped), 130 / 143 stopped by\n"
     "Ctrl-C (SIGINT) / SIGTERM (the reports finished are written; none during the analysis)."},
    {"score", CLI_CMD_SCORE, cmd_score,
     "score TRACK.jsonl|- [--exercise NAME] [--rules FILE] [--json FILE|-] [--csv FILE]",
     "Re-score a saved pose track without the video, in milliseconds (for tuning rules).",
     "Track the clip once with `hingecheck pose VIDEO -o TRACK.jsonl`, then re-score it as\n"
     "often as you like, e.g. with your own thresholds: `hingecheck rules > my.json`, edit,\n"
     "`hingecheck score TRACK.jsonl --rules my.json`. TRACK '-' reads it from stdin:\n"
     "`hingecheck pose VIDEO -o - | hingecheck score -`. Same reports and exit codes as\n"
     "analysing the video."},
    {"rules", CLI_CMD_RULES, cmd_rules, "rules [--rules FILE | --lifts]",
     "Print the built-in rules as JSON, check a rules file with --rules FILE, or list the lifts.",
     "Each rule: id (stable), the lifts it applies to, the metric and phase it reads, the\n"
     "expected range, severity, the coaching message and fix, and the source of the threshold\n"
     "(docs/RULES.md). Save the output, change thresholds, and pass it to analyse or score with\n"
     "--rules FILE. With --rules FILE this command only checks the file: exit 2 and a message\n"
     "naming the line and field of the first mistake. --lifts prints the lifts as a Markdown\n"
     "table: the id rules files and --exercise use, the other names --exercise accepts, where\n"
     "the reps start, their phases, what the lift is done with and how --exercise auto\n"
     "recognises it."},
    {"batch", CLI_CMD_BATCH, cmd_batch,
     "batch DIR|FILE... --out DIR [--jobs N] [--exercise NAME] [--force] [--shard K/N] [--html]",
     "Score every clip of folders or a list of files, on all cores; resumable.",
     "Folders are searched recursively for videos and GIFs (.mp4 .mov .m4v .mkv .webm .avi .gif\n"
     ".mpg .mpeg .wmv .flv .3gp .ts .mts .m2ts, any case). Per clip DIR/<name>.json is the\n"
     "JSON report (<name>: the path inside its folder, e.g. day1/set2.mp4); a clip that fails\n"
     "(corrupt, no lifter, no rep) is recorded with its error and the batch goes on. At the end\n"
     "DIR/summary.csv and DIR/summary.jsonl hold one row per clip (status, reps, set score, top\n"
     "cues, error), and with --html DIR/index.html links the per-clip HTML reports (a shard\n"
     "writes summary.shard-K-of-N.csv; rerun without --shard to get the whole set's).\n\n"
     "Rerunning skips clips whose report is newer than the clip (--force redoes them), so an\n"
     "interrupted batch (Ctrl-C, kill, power cut) resumes where it stopped; Ctrl-C and SIGTERM\n"
     "stop after writing the summary of what is done (the clips left are its not-run rows).\n"
     "--shard K/N splits the clips over N machines (docs/BATCH.md: GNU parallel, Slurm). Exit\n"
     "codes: 0 every clip ok, 1 usage (also: a report path taken by a folder or an input),\n"
     "2 input or model error or DIR not writable (nothing analysed), 4 a finding at or above\n"
     "--fail-on, 10+F when F clips failed (110: 100 or more), 130 / 143 stopped by Ctrl-C /\n"
     "SIGTERM."},
    {"probe", CLI_CMD_PROBE, cmd_probe, "probe [--json] FILE...",
     "Print the facts of each video file: size after rotation, frame rate, duration, frame "
     "count, codec, rotation.",
     "Use it to check a clip before analysing it: hingecheck reads anything FFmpeg reads (MP4, "
     "MOV, MKV, WebM, AVI, GIF ...). Phone clips filmed upright carry a rotation flag; the size\n"
     "shown is the upright one, as hingecheck analyses it. Exit code 2 when a file cannot be "
     "read (the message says why)."},
    {"pose", CLI_CMD_POSE, cmd_pose,
     "pose [-o TRACK.jsonl] [--model lite|full|heavy] [--no-smooth] [--mask-dir DIR] VIDEO",
     "Track the lifter's 33 body landmarks through a clip and write them as a track file.",
     "One JSON line per frame (docs/TRACK.md): landmarks in frame pixels with MediaPipe's\n"
     "depth and visibility, world landmarks in metres, or null on frames without a lifter. It\n"
     "is what `hingecheck score` re-scores without the video. The lifter is the largest, most\n"
     "central person at the start; hingecheck keeps following that person. Exit code 3 when no\n"
     "frame had a lifter (the track is still written)."},
    {"compare", CLI_CMD_COMPARE, cmd_compare, "compare [-o FILE] A.json B.json",
     "Compare two JSON reports of one athlete (two sessions or two sets): per-rep measures side "
     "by side, bar speed and velocity loss, what improved and what got worse.",
     "A is before, B after: write each with `hingecheck VIDEO --json FILE`. The reps are paired\n"
     "by number; the set's score, consistency, bar speed and velocity loss are shown A -> B.\n"
     "What improved and what got worse are said in words: a fault found on fewer or more reps,\n"
     "the bar closer to or further from the body, less or more back rounding, a faster or slower\n"
     "bar, a lower or higher velocity loss. A change counts when it is larger than the measures'\n"
     "own uncertainty (from the reports) or 5 points of score, consistency or velocity loss;\n"
     "depth and tempo are shown as changed, the rules judging them. Exit code 2 when a file is\n"
     "not a JSON report (the message names it)."},
    {"compare-tracks", CLI_CMD_COMPARE_TRACKS, cmd_compare_tracks,
     "compare-tracks [-o FILE] A.jsonl B.jsonl",
     "Developer check: compare two pose tracks of the same clip (frames with a pose in both or "
     "one, and how far the landmarks are apart).",
     "Distances are measured over the landmarks both tracks see with visibility above 0.5, as a\n"
     "fraction of the frame height (median and 95th percentile), on the frame numbers present in\n"
     "both files. Use it to check hingecheck's tracks against MediaPipe's reference landmarks or\n"
     "one model or setting against another. A track without a header line takes the frame size\n"
     "from FILE.meta.json beside it."},
};

/* The exit codes, for --help and the man page (cmd_batch.c returns 10+F and 130). */
static const char exit_codes[] =
    "0 ok, 1 usage error, 2 input or model error, 3 no lifter or no rep found,\n"
    "            4 a finding at or above --fail-on, 10+F batch: F clips failed (110: 100 or\n"
    "            more), 130 / 143 stopped by Ctrl-C (SIGINT) / SIGTERM";

static void print_main_help(FILE *f)
{
    fprintf(f,
            "hingecheck %s - form checker for recorded hip-hinge lift videos\n\n"
            "usage: hingecheck VIDEO [OPTIONS]          analyse a filmed set\n"
            "       hingecheck COMMAND [OPTIONS] FILE...\n\n"
            "Film the lift from the side, hip height, whole body in view; hingecheck finds the\n"
            "lifter, tracks 33 body landmarks per frame, splits the set into reps and checks each\n"
            "rep against the hip-hinge coaching cues.\n\ncommands:\n",
            hc_version());
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n  hingecheck COMMAND --help   options of a command, with their defaults\n"
               "  hingecheck --version        versions of hingecheck and its libraries\n\n"
               "  hingecheck --man            this manual as a man page (roff)\n\n"
               "'-' as the clip reads it from stdin (a video, or score's track); --json - and\n"
               "--csv - write to stdout: hingecheck pose set1.mp4 -o - | hingecheck score -\n\n"
               "exit codes: %s\n", exit_codes);
}

/* The first argument is not a command: is it meant as the video to analyse? An existing file,
 * something path-like (a '/' or a '.': a missing clip then gets the file's own error, exit 2),
 * or an option (`hingecheck --exercise rdl set1.mp4`). Anything else stays an unknown command. */
static int looks_like_input(const char *arg)
{
    struct stat sb;
    if (arg[0] == '-') /* an option, or "-": the video from stdin */
        return 1;
    return stat(arg, &sb) == 0 || strchr(arg, '/') != NULL || strchr(arg, '.') != NULL;
}

static void log_sink(enum hc_log_level level, const char *msg, void *user)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    (void)user;
    fprintf(stderr, "hingecheck: %s: %s\n", names[level], msg);
}

int main(int argc, char **argv)
{
    hc_set_log_sink(log_sink, NULL);
    if (argc < 2) {
        print_main_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_main_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--man") == 0) {
        cli_print_man(stdout, commands, sizeof commands / sizeof commands[0], exit_codes);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("hingecheck %s\n%s\n%s\n", hc_version(), hc_video_library_versions(),
               hc_nn_library_versions());
        return CLI_EXIT_OK;
    }
    const struct cli_command_def *cmd = NULL;
    int skip = 2; /* argv[0] and the command name */
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            cmd = &commands[i];
    if (!cmd && looks_like_input(name)) {
        cmd = &commands[0]; /* `hingecheck VIDEO [options]`: analyse is the default */
        skip = 1;
    }
    if (!cmd) {
        fprintf(stderr, "hingecheck: unknown command or option '%s'\n"
                        "usage: hingecheck COMMAND [OPTIONS] FILE...  (hingecheck --help lists "
                        "the commands)\n", name);
        return CLI_EXIT_USAGE;
    }
    struct cli_args args;
    int rc = cli_parse(cmd, argc - skip, argv + skip, &args);
    if (rc == 0) {
        if (args.help) {
            cli_print_help(stdout, cmd);
        } else {
            /* -v: what was done and FFmpeg's warnings; -vv: debugging detail, FFmpeg's own log */
            hc_set_log_level(args.quiet          ? HC_LOG_ERROR
                             : args.verbose >= 2 ? HC_LOG_DEBUG
                             : args.verbose      ? HC_LOG_INFO
                                                 : HC_LOG_WARN);
            rc = cmd->run(&args);
        }
    }
    free(args.files);
    return rc;
}
