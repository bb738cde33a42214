/* cmd_score.c - `hingecheck score TRACK.jsonl`: re-score a saved pose track (hingecheck pose -o)
 * without the video; same reports and exit codes as analysing the clip (cmd_analyse.c). */
#include "cli/cli.h"

int cmd_score(const struct cli_args *a)
{
    return cli_run_analysis(a, 1);
}
