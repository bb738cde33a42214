/* bench_split.c - does tracking a clip as two halves at once change its analysis?
 *
 *     bench_split CLIP OUT_PREFIX [--model lite|full|heavy] [--no-spine-mask] [--frames]
 *
 * Analyses CLIP twice as `hingecheck CLIP` does (hc_analyse_file), once tracked as one stretch
 * (the default) and once as two halves (hc_pose_clip_params.two_halves = 1: a clip long enough is
 * tracked as two halves at once, src/pipeline/pass_pose.c), writes both deterministic JSON reports to
 * OUT_PREFIX.one.json and OUT_PREFIX.split.json (bench/run-split-check.sh compares them) and
 * prints where the landmarks start to differ (the junction: the frames before it are tracked by
 * the same tracker both ways) and the largest difference of a landmark seen in both (visibility
 * >= 0.5), in pixels and in % of the frame height: at the junction's first 0.1 s, up to 0.5 s
 * after it, and later (--frames: every frame's). Also each run's wall time and the process's CPU
 * time. */
#define _DEFAULT_SOURCE
#include "hingecheck.h"
#include "pipeline/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static struct hc_analysis *run(const char *clip, const struct hc_analysis_params *ap,
                               const char *out, double *wall, double *cpu)
{
    struct hc_analysis *a = NULL;
    const double t0 = hc_now_s(), c0 = cpu_s();
    if (hc_analyse_file(clip, ap, &a) != HC_OK) {
        fprintf(stderr, "bench_split: %s\n", hc_last_error());
        return NULL;
    }
    *wall = hc_now_s() - t0;
    *cpu = cpu_s() - c0;
    struct hc_report_options o = hc_report_default_options();
    o.deterministic = 1;
    if (hc_analysis_write(a, "json", out, &o) != HC_OK) {
        fprintf(stderr, "bench_split: %s\n", hc_last_error());
        hc_analysis_free(a);
        return NULL;
    }
    return a;
}

/* The largest difference of a landmark seen on both frames, pixels; -1 when none is. */
static double frame_diff(const struct hc_pose_frame *f, const struct hc_pose_frame *g)
{
    if (!f->has_pose || !g->has_pose)
        return f->has_pose == g->has_pose ? -1.0 : INFINITY;
    double m = -1.0;
    for (int k = 0; k < HC_N_LANDMARKS; k++) {
        const struct hc_landmark *p = &f->lm[k], *q = &g->lm[k];
        if (p->visibility < 0.5f || q->visibility < 0.5f)
            continue;
        const double d = hypot(p->x_px - q->x_px, p->y_px - q->y_px);
        if (d > m)
            m = d;
    }
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_split CLIP OUT_PREFIX [--model lite|full|heavy] "
                        "[--no-spine-mask] [--frames]\n");
        return 1;
    }
    struct hc_analysis_params ap = hc_analysis_default_params();
    int per_frame = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
            if (hc_pose_model_from_name(argv[++i], &ap.clip.pose.model) != 0)
                return 1;
        } else if (strcmp(argv[i], "--frames") == 0) {
            per_frame = 1;
        } else if (strcmp(argv[i], "--no-spine-mask") == 0) {
            ap.no_spine_masks = 1;
        } else {
            return 1;
        }
    }
    hc_set_log_level(HC_LOG_ERROR);
    struct hc_video_info vi;
    if (hc_probe_file(argv[1], &vi) != HC_OK) {
        fprintf(stderr, "bench_split: %s\n", hc_last_error());
        return 2;
    }
    ap.clip.two_halves = 1;
    const double t_split = pass_pose_split_point(&vi, &ap.clip);
    if (!(t_split > 0)) {
        printf("%.1f s: tracked as one stretch (not split)\n", vi.duration_s);
        return 0;
    }
    char one_path[1024], split_path[1024];
    snprintf(one_path, sizeof one_path, "%s.one.json", argv[2]);
    snprintf(split_path, sizeof split_path, "%s.split.json", argv[2]);
    double w1, c1, w2, c2;
    ap.clip.two_halves = 0;
    struct hc_analysis *a = run(argv[1], &ap, one_path, &w1, &c1);
    ap.clip.two_halves = 1;
    struct hc_analysis *b = a ? run(argv[1], &ap, split_path, &w2, &c2) : NULL;
    if (!a || !b) {
        hc_analysis_free(a);
        return 2;
    }
    if (a->n_frames != b->n_frames) {
        printf("frames differ: %zu one stretch, %zu two halves\n", a->n_frames, b->n_frames);
        hc_analysis_free(a);
        hc_analysis_free(b);
        return 1;
    }
    const double h = a->in.height_px > 0 ? a->in.height_px : 1;
    size_t j = a->n_frames;
    double m_first = -1, m_half = -1, m_late = -1;
    int64_t n_index = 0, n_pose = 0;
    for (size_t i = 0; i < a->n_frames; i++) {
        const struct hc_pose_frame *f = &a->frames[i], *g = &b->frames[i];
        n_index += f->index != g->index || f->t_s != g->t_s;
        n_pose += f->has_pose != g->has_pose;
        if (j == a->n_frames && memcmp(f, g, sizeof *f) != 0)
            j = i;
        if (j == a->n_frames)
            continue;
        const double d = frame_diff(f, g), dt = f->t_s - a->frames[j].t_s;
        if (per_frame)
            printf("  frame %lld  %.2f s  %.1f px  pose %d/%d\n", (long long)f->index, f->t_s, d,
                   f->has_pose, g->has_pose);
        double *m = dt < 0.1 ? &m_first : dt < 0.5 ? &m_half : &m_late;
        if (d > *m)
            *m = d;
    }
    printf("%zu frames, %lld with other numbers or times, %lld with the lifter found on one only\n",
           a->n_frames, (long long)n_index, (long long)n_pose);
    if (j == a->n_frames)
        printf("landmarks identical (split at %.2f s)\n", t_split);
    else
        printf("landmarks differ from frame %lld (%.2f s): largest difference %.1f px (%.2f%% of "
               "the height) in its first 0.1 s, %.1f px (%.2f%%) to 0.5 s, %.1f px (%.2f%%) "
               "after\n",
               (long long)a->frames[j].index, a->frames[j].t_s, m_first, 100 * m_first / h,
               m_half, 100 * m_half / h, m_late, 100 * m_late / h);
    printf("one stretch: wall %.2f s, cpu %.2f s; two halves: wall %.2f s, cpu %.2f s\n", w1, c1,
           w2, c2);
    hc_analysis_free(a);
    hc_analysis_free(b);
    return n_index == 0 ? 0 : 1;
}
