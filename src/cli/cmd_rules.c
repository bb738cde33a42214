/* cmd_rules.c - `hingecheck rules`: print the built-in rules document (the starting point for a
 * coach's own thresholds); `hingecheck rules --rules FILE` checks a rules file instead;
 * `hingecheck rules --lifts` prints the lift table (docs/RULES.md, "Lifts", holds its output). */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int write_failed(void)
{
    fprintf(stderr, "hingecheck: error: cannot write to standard output\n");
    return CLI_EXIT_INPUT;
}

/* The lift table as Markdown, one row per lift; '|' in the other names becomes ", ". */
static int print_lifts(void)
{
    printf("| id | lift | other names | reps start | phases | done with | --exercise auto "
           "recognises it by |\n|---|---|---|---|---|---|---|\n");
    struct hc_lift_info li;
    for (size_t i = 0; hc_lift_at(i, &li) == 0; i++) {
        printf("| `%s` | %s | ", li.id, li.name);
        if (!li.aliases[0])
            fputs("-", stdout);
        for (const char *c = li.aliases; *c; c++)
            if (*c == '|')
                fputs(", ", stdout);
            else
                putchar(*c);
        printf(" | %s | %s | %s | %s |\n", li.start, li.phases, li.implements, li.recognition);
    }
    return fflush(stdout) != 0 || ferror(stdout) ? write_failed() : CLI_EXIT_OK;
}

int cmd_rules(const struct cli_args *a)
{
    if (a->n_files > 0) {
        fprintf(stderr, "hingecheck: rules takes no file argument; to check a rules file use "
                        "hingecheck rules --rules FILE\n");
        return CLI_EXIT_USAGE;
    }
    if (a->lifts && a->rules_path) {
        fprintf(stderr, "hingecheck: rules takes --lifts or --rules FILE, not both\n");
        return CLI_EXIT_USAGE;
    }
    if (a->lifts)
        return print_lifts();
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
    return bad || fflush(stdout) != 0 ? write_failed() : CLI_EXIT_OK;
}
