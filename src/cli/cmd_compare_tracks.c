/* cmd_compare_tracks.c - `hingecheck compare-tracks A.jsonl B.jsonl`, a developer's check: how
 * far two tracks of the same clip are apart (ours against MediaPipe's reference, smooth against
 * raw, lite against full). */
#include "cli/cli.h"

#include <stdio.h>

/* Landmarks count when both tracks see them with visibility above this: MediaPipe's own
 * default for drawing a landmark (0.5), the bar our pose fidelity is measured at. */
#define COMPARE_MIN_VISIBILITY 0.5

int cmd_compare_tracks(const struct cli_args *a)
{
    if (a->n_files != 2) {
        fprintf(stderr, "hingecheck: compare-tracks needs exactly two track files, got %d\n"
                        "usage: hingecheck compare-tracks A.jsonl B.jsonl\n", a->n_files);
        return CLI_EXIT_USAGE;
    }
    const char *out = a->output ? a->output : "-";
    const int rc0 = cli_check_outputs((const char *const *)a->files, 2, &out, 1);
    if (rc0 != 0)
        return rc0;
    struct hc_track *ta = NULL, *tb = NULL;
    enum hc_status st = hc_track_read(a->files[0], &ta);
    if (st == HC_OK)
        st = hc_track_read(a->files[1], &tb);
    struct hc_track_diff d;
    if (st == HC_OK)
        st = hc_track_compare(ta, tb, COMPARE_MIN_VISIBILITY, &d);
    int rc = CLI_EXIT_OK;
    if (st != HC_OK) {
        rc = cli_fail(st);
    } else {
        FILE *f = cli_open_output(a->output);
        if (!f) {
            rc = CLI_EXIT_INPUT;
        } else {
            fprintf(f, "A: %s (%lld frames)\nB: %s (%lld frames)\n", a->files[0],
                    (long long)ta->n_frames, a->files[1], (long long)tb->n_frames);
            fprintf(f, "frames in both files    %lld\n", (long long)d.n_frames);
            fprintf(f, "pose in both            %lld\n", (long long)d.n_both);
            fprintf(f, "pose only in A          %lld\n", (long long)d.n_only_a);
            fprintf(f, "pose only in B          %lld\n", (long long)d.n_only_b);
            fprintf(f, "landmarks compared      %lld (visibility > %.1f in both)\n",
                    (long long)d.n_points, COMPARE_MIN_VISIBILITY);
            fprintf(f, "median distance         %.3f%% of frame height (%.2f px)\n",
                    100.0 * d.median_frac, d.median_frac * d.height_px);
            fprintf(f, "95th percentile         %.3f%% of frame height (%.2f px)\n",
                    100.0 * d.p95_frac, d.p95_frac * d.height_px);
            rc = cli_close_output(f, a->output, rc);
        }
    }
    hc_track_free(ta);
    hc_track_free(tb);
    return rc;
}
