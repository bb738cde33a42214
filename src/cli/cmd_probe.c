/*
 * cmd_probe.c - `hingecheck probe [--json] FILE...`: the stream facts of each file.
 *
 * Output: text blocks of "key: value" lines, one per file; with --json ONE JSON document, an
 * array with one object per file in argument order (a file that failed appears as
 * {"file", "error", "status", "exit_code"}), so scripts parse a single value however many files
 * they pass. Every failure also prints one error line on stderr and probing goes on with the
 * next file; the exit code is that of the first failure (0 when all files were read).
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_probe(const struct cli_args *a)
{
    if (a->n_files < 1) {
        fprintf(stderr, "hingecheck: probe needs at least one FILE\n"
                        "usage: hingecheck probe [--json] FILE...\n");
        return CLI_EXIT_USAGE;
    }
    int rc = CLI_EXIT_OK;
    if (a->json)
        fputs("[\n", stdout);
    for (int i = 0; i < a->n_files; i++) {
        const char *path = a->files[i];
        struct hc_video_info info;
        enum hc_status st = hc_probe_file(path, &info);
        if (a->json)
            fputs(i > 0 ? ",\n  " : "  ", stdout);
        if (st != HC_OK) {
            if (a->json)
                hc_probe_write_json_error(stdout, path, st, hc_last_error());
            int code = cli_fail(st);
            if (rc == CLI_EXIT_OK)
                rc = code;
            continue;
        }
        st = hc_probe_write(stdout, path, &info, a->json);
        if (st != HC_OK) {
            int code = cli_fail(st);
            if (rc == CLI_EXIT_OK)
                rc = code;
        }
    }
    if (a->json)
        fputs("\n]\n", stdout);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) {
        fprintf(stderr, "hingecheck: error: cannot write to standard output\n");
        rc = CLI_EXIT_INPUT;
    }
    return rc;
}
