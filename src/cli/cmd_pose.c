#define _POSIX_C_SOURCE 200809L
/* cmd_pose.c - `hingecheck pose VIDEO`: the lifter's 33 landmarks on every frame, as a track
 * file (docs/TRACK.md), optionally with each frame's segmentation mask as a PGM image. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pose_ctx {
    const struct cli_args *a;
    const char *video;
    struct hc_track_writer *w;
    unsigned char *pgm;
    size_t pgm_cap;
    int64_t n;
    struct cli_progress prog; /* the line on a terminal */
    double t0_s;              /* the run's start (CLOCK_MONOTONIC) */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The frames the run will see: the clip's estimate, cut to --start / --end. */
static int64_t frames_expected(const struct hc_video_info *info, const struct cli_args *a)
{
    if (!(info->fps > 0) || !(info->duration_s > 0))
        return info->n_frames_estimate > 0 ? info->n_frames_estimate : 0;
    const double t1 = a->end_s > 0 && a->end_s < info->duration_s ? a->end_s : info->duration_s;
    const double span = t1 - a->start_s;
    return span > 0 ? (int64_t)(span * info->fps + 0.5) : 0;
}

static enum hc_status write_mask(struct pose_ctx *c, const struct hc_video_info *info,
                                 const struct hc_pose_frame *f, const float *mask)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/frame_%06lld.pgm", c->a->mask_dir, (long long)f->index);
    const size_t n = (size_t)info->width_px * (size_t)info->height_px;
    if (n > c->pgm_cap) {
        unsigned char *p = realloc(c->pgm, n);
        if (!p)
            return HC_ERR_NOMEM;
        c->pgm = p;
        c->pgm_cap = n;
    }
    for (size_t i = 0; i < n; i++) {
        const float v = mask ? mask[i] : 0.0f; /* no pose: an empty mask */
        c->pgm[i] = (unsigned char)(v <= 0.0f ? 0 : v >= 1.0f ? 255 : (int)(v * 255.0f + 0.5f));
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        fprintf(stderr, "hingecheck: error: %s: cannot create (%s); check --mask-dir\n", path,
                strerror(errno));
        return HC_ERR_IO;
    }
    fprintf(fp, "P5\n%d %d\n255\n", info->width_px, info->height_px);
    const int bad = fwrite(c->pgm, 1, n, fp) != n;
    if (fclose(fp) != 0 || bad) {
        fprintf(stderr, "hingecheck: error: %s: write failed; check free disk space\n", path);
        return HC_ERR_IO;
    }
    return HC_OK;
}

static enum hc_status on_frame(const struct hc_video_info *info, const struct hc_pose_frame *f,
                               const float *mask, void *user)
{
    struct pose_ctx *c = user;
    enum hc_status st;
    if (cli_stop_requested(NULL))
        return HC_ERR_CANCELLED; /* the frames before are in the track */
    if (!c->w) {
        struct hc_track_header h;
        memset(&h, 0, sizeof h);
        snprintf(h.source, sizeof h.source, "%s", c->video);
        h.width_px = info->width_px;
        h.height_px = info->height_px;
        h.fps = info->fps;
        h.duration_s = info->duration_s;
        h.rotation_deg = info->rotation_deg;
        h.n_frames_estimate = info->n_frames_estimate;
        snprintf(h.model, sizeof h.model, "%s", c->a->model ? c->a->model : "full");
        h.smooth = !c->a->no_smooth;
        if ((st = hc_track_writer_open(c->a->output ? c->a->output : "-", &h, &c->w)) != HC_OK)
            return st;
    }
    if ((st = hc_track_writer_write(c->w, f)) != HC_OK)
        return st;
    if (c->a->mask_dir && (st = write_mask(c, info, f, mask)) != HC_OK)
        return st;
    c->n++;
    if (c->prog.enabled) {
        int64_t total = frames_expected(info, c->a);
        const struct hc_progress pr = {"pose", c->n, total > c->n ? total : c->n,
                                       now_s() - c->t0_s};
        cli_progress_show(&pr, &c->prog);
    } else if (c->a->verbose && c->n % 100 == 0) {
        fprintf(stderr, "hingecheck: %s: %lld frames\n", c->video, (long long)c->n);
    }
    return HC_OK;
}

int cmd_pose(const struct cli_args *a)
{
    if (a->n_files != 1) {
        fprintf(stderr, "hingecheck: pose takes one video file, got %d\n", a->n_files);
        return CLI_EXIT_USAGE;
    }
    struct hc_pose_clip_params p = hc_pose_clip_default_params();
    if (a->model && hc_pose_model_from_name(a->model, &p.pose.model) != 0) {
        fprintf(stderr, "hingecheck: --model takes lite, full or heavy, not '%s'\n", a->model);
        return CLI_EXIT_USAGE;
    }
    int rc = cli_check_range(a->files[0], a->files[0], a->start_s, a->end_s);
    if (rc)
        return rc;
    /* the track never over the clip, and its folder writable, before the clip is tracked */
    const char *out = a->output ? a->output : "-";
    rc = cli_check_outputs((const char *const *)a->files, 1, &out, 1);
    if (rc != 0)
        return rc;
    p.pose.model_dir = a->model_dir;
    p.pose.n_threads = a->threads > 0 ? a->threads : 1;
    p.pose.smooth = !a->no_smooth;
    p.start_s = a->start_s;
    p.end_s = a->end_s;
    p.mask_every_frame = a->mask_dir != NULL;
    if (a->mask_dir && mkdir(a->mask_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "hingecheck: error: %s: cannot create the mask directory (%s)\n",
                a->mask_dir, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    struct pose_ctx c = {a, a->files[0], NULL, NULL, 0, 0, {0}, now_s()};
    cli_progress_init(&c.prog, a->files[0], !a->quiet && isatty(fileno(stderr)));
    if (c.prog.enabled)
        hc_set_log_sink(cli_progress_log_sink, NULL);
    struct hc_pose_clip_summary sum;
    cli_catch_stop_signals();
    enum hc_status st = hc_pose_run_file(a->files[0], &p, on_frame, &c, &sum);
    cli_progress_clear();
    const enum hc_status close_st = hc_track_writer_close(c.w);
    free(c.pgm);
    if (cli_stop_signal()) {
        if (c.w)
            fprintf(stderr, "hingecheck: %s: stopped by %s; the track holds the %lld frame(s) "
                            "tracked before\n", a->files[0], cli_stop_name(), (long long)c.n);
        else
            fprintf(stderr, "hingecheck: %s: stopped by %s before the first frame; nothing "
                            "written\n", a->files[0], cli_stop_name());
        return cli_stop_exit_code();
    }
    if (st == HC_OK)
        st = close_st;
    if (st != HC_OK)
        return cli_fail(st);
    if (a->verbose)
        fprintf(stderr, "hingecheck: %s: %lld frames, a pose on %lld\n", a->files[0],
                (long long)sum.n_frames, (long long)sum.n_with_pose);
    if (!a->quiet) {
        const char *written[] = {a->output, a->mask_dir};
        cli_print_written(written, 2);
    }
    /* The track is written either way; no lifter at all is exit code 3 (README "Exit codes"). */
    return sum.n_with_pose > 0 ? CLI_EXIT_OK : CLI_EXIT_NOTHING;
}
