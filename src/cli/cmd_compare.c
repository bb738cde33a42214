/* cmd_compare.c - `hingecheck compare A.json B.json`: two JSON reports of one athlete (two
 * sessions, or two sets) side by side, and what improved and what got worse in words
 * (hc_report_compare; docs/REPORT.md, "Comparing two reports"). */
#include "cli/cli.h"

#include <stdio.h>

int cmd_compare(const struct cli_args *a)
{
    if (a->n_files != 2) {
        fprintf(stderr, "hingecheck: compare needs exactly two JSON reports, got %d\n"
                        "usage: hingecheck compare [-o FILE] A.json B.json  (write them with "
                        "hingecheck VIDEO --json FILE)\n", a->n_files);
        return CLI_EXIT_USAGE;
    }
    const char *out = a->output ? a->output : "-";
    const int rc0 = cli_check_outputs((const char *const *)a->files, 2, &out, 1);
    if (rc0 != 0)
        return rc0;
    FILE *f = cli_open_output(a->output);
    if (!f)
        return CLI_EXIT_INPUT;
    const enum hc_status st = hc_report_compare(a->files[0], a->files[1], f);
    return cli_close_output(f, a->output, st == HC_OK ? CLI_EXIT_OK : cli_fail(st));
}
