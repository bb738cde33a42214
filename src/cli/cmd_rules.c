/* cmd_rules.c - `hingecheck rules`: print the built-in rules document (the starting point for a
 * coach's own thresholds); `hingecheck rules --rules FILE` checks a rules file instead. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int cmd_rules(const struct cli_args *a)
{
    if (a->n_files > 0) {
        fprintf(stderr, "hingecheck: rules takes no file argument; to check a rules file use "
                        "hingecheck rules --rules FILE\n");
        return CLI_EXIT_USAGE;
    }
    if (a->rules_path) {
        int n = 0;
        const enum hc_status st = hc_rules_check_file(a->rules_path, &n);
        if (st != HC_OK)
            return cli_fail(st);
        if (!a->quiet)
            printf("%s: %d rules, ok\n", a->rules_path, n);
        return CLI_EXIT_OK;
    }
    const char *doc = hc_rules_default_json();
    const size_t len = strlen(doc);
    int bad = fwrite(doc, 1, len, stdout) != len;
    if (len && doc[len - 1] != '\n')
        bad |= putchar('\n') == EOF;
    if (bad || fflush(stdout) != 0) {
        fprintf(stderr, "hingecheck: error: cannot write to standard output\n");
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}
