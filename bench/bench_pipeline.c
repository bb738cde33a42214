/* bench_pipeline.c - the whole-clip speed of hc_pose_run_file against its floor.
 *
 *     bench_pipeline CLIP [--model lite|full|heavy] [--threads N] [--mode auto|seq]
 *                         [--max-fps F] [--end S] [--two-halves] [--analyse] [--runs R]
 *
 * --mode seq: the pose pass on the calling thread alone (as a batch worker runs it); auto: the
 * library's default arrangement for --threads. --two-halves: a long clip tracked as two halves at
 * once (hc_pose_clip_params.two_halves), not as one stretch.
 *
 * Each of the R runs (default 5) measures, one after the other on the same machine state:
 *   decode   decoding the whole clip alone (1 decoder thread, RGB24: what the pipeline does);
 *   model    the bare landmark model, pruned to landmarks + flag + world (no heatmap, no
 *            segmentation), median of 50 runs after 10 warm-ups, on N threads;
 *   wall     hc_pose_run_file on the clip in a child process (model loading included), whose
 *            peak RSS the parent reads with wait4 (the decode and model runs above do not
 *            inflate it); with --analyse the whole analysis of `hingecheck VIDEO` instead
 *            (hc_analyse_file: pose, kinematics, reps, rules, and the second look that tracks
 *            the loaded stretches again with person masks).
 * floor = decode + model x frames analysed; ratio = wall / floor (target <= 1.10);
 * RTF = clip seconds / wall seconds (targets >= 4 full every frame, >= 5 default settings).
 * Prints every run and the medians (peak RSS: the largest). Wall-clock figures on a shared
 * machine: the load average is printed beside each run. */
#define _DEFAULT_SOURCE /* wait4 */
#include "bench_floor.h"
#include "hingecheck.h"
#include "pipeline/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_RUNS 21

static double median(const double *v, int n)
{
    double s[MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof *s);
    return hc_median_sort(s, (size_t)n);
}

static double load1(void)
{
    double l = -1.0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1.0;
        fclose(f);
    }
    return l;
}

struct child_result {
    double wall_s;
    int64_t n_frames, n_pose;
    int status;
    struct pass_pose_stats stats;
    double main_cpu_s; /* the calling thread's CPU time over the whole run */
};

static enum hc_status count_frame(const struct hc_video_info *info, const struct hc_pose_frame *f,
                                  const float *mask, void *user)
{
    (void)info;
    (void)mask;
    (void)f;
    (void)user;
    return HC_OK;
}

/* hc_pose_run_file (or with `analyse` the whole hc_analyse_file of `hingecheck VIDEO`) in a
 * child; returns its result, peak RSS (MB) and CPU seconds. */
static int bench_pipeline(const char *clip, const struct hc_pose_clip_params *p,
                          int one_thread, int analyse, struct child_result *res,
                          double *rss_mb, double *cpu_s)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        close(fds[0]);
        struct child_result r;
        memset(&r, 0, sizeof r);
        struct hc_pose_clip_summary sum;
        const double t0 = hc_now_s(), c0 = hc_thread_cpu_s();
        if (analyse) {
            struct hc_analysis_params ap = hc_analysis_default_params();
            ap.clip = *p;
            struct hc_analysis *an = NULL;
            r.status = hc_analyse_file(clip, &ap, &an);
            r.wall_s = hc_now_s() - t0;
            if (an) {
                struct hc_analysis_summary as;
                hc_analysis_summarise(an, &as);
                r.n_frames = as.n_frames;
                r.n_pose = as.n_with_pose;
                r.stats = an->pose_stats;
            }
            hc_analysis_free(an);
        } else {
            r.status = pass_pose_run(clip, p, count_frame, NULL, &sum, one_thread, &r.stats, NULL);
            r.wall_s = hc_now_s() - t0;
            r.n_frames = sum.n_frames;
            r.n_pose = sum.n_with_pose;
        }
        r.main_cpu_s = hc_thread_cpu_s() - c0;
        if (r.status != HC_OK)
            fprintf(stderr, "bench_pipeline: %s\n", hc_last_error());
        const ssize_t w = write(fds[1], &r, sizeof r);
        _exit(w == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fds[1]);
    const ssize_t got = read(fds[0], res, sizeof *res);
    close(fds[0]);
    int wst;
    struct rusage ru;
    if (wait4(pid, &wst, 0, &ru) != pid || got != (ssize_t)sizeof *res || res->status != HC_OK)
        return 1;
    *rss_mb = (double)ru.ru_maxrss / 1024.0;
    *cpu_s = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
             (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    return 0;
}

int main(int argc, char **argv)
{
    const char *clip = NULL, *mode_name = "auto";
    struct hc_pose_clip_params p = hc_pose_clip_default_params();
    int runs = 5, analyse = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
            if (hc_pose_model_from_name(argv[++i], &p.pose.model) != 0) {
                fprintf(stderr, "bench_pipeline: unknown model '%s'\n", argv[i]);
                return 1;
            }
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            p.pose.n_threads = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            mode_name = argv[++i];
        } else if (strcmp(argv[i], "--max-fps") == 0 && i + 1 < argc) {
            p.max_fps = atof(argv[++i]);
        } else if (strcmp(argv[i], "--two-halves") == 0) {
            p.two_halves = 1;
        } else if (strcmp(argv[i], "--analyse") == 0) {
            analyse = 1;
        } else if (strcmp(argv[i], "--end") == 0 && i + 1 < argc) {
            p.end_s = atof(argv[++i]);
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (argv[i][0] != '-' && !clip) {
            clip = argv[i];
        } else {
            clip = NULL;
            break;
        }
    }
    const int one_thread = strcmp(mode_name, "seq") == 0;
    if (!one_thread && strcmp(mode_name, "auto") != 0)
        clip = NULL;
    if (!clip || runs < 1 || runs > MAX_RUNS || p.pose.n_threads < 1) {
        fprintf(stderr, "usage: bench_pipeline CLIP [--model lite|full|heavy] [--threads N] "
                        "[--mode auto|seq] [--max-fps F] [--end S] [--two-halves] [--analyse] "
                        "[--runs R (1..%d)]\n",
                MAX_RUNS);
        return 1;
    }
    hc_set_log_level(HC_LOG_ERROR);
    double wall[MAX_RUNS], floor_s[MAX_RUNS], ratio[MAX_RUNS], rtf[MAX_RUNS], dec_ms[MAX_RUNS],
        mdl_ms[MAX_RUNS], cpu[MAX_RUNS], dcpu[MAX_RUNS], tcpu[MAX_RUNS], scpu[MAX_RUNS],
        wfr[MAX_RUNS], wsp[MAX_RUNS], est[MAX_RUNS], rss_max = 0.0, clip_s = 0.0;
    int64_t n_frames = 0, n_pose = 0, n_decoded = 0;
    int split = 0;
    printf("# %s%s: %s, model %s, %d inference thread(s), mode %s, max_fps %g%s\n", clip,
           p.end_s > 0 ? " (start only)" : "",
           analyse ? "hc_analyse_file (hingecheck VIDEO; trk_cpu: the calling thread's whole "
                     "analysis)"
                   : "hc_pose_run_file",
           hc_pose_model_name(p.pose.model), p.pose.n_threads, mode_name, p.max_fps,
           p.two_halves ? ", two halves" : "");
    printf("# run  load1  decode_ms/f  model_ms  frames  floor_s  wall_s  ratio   RTF  "
           "cpu/wall  rss_MB | dec_cpu trk_cpu 2nd_cpu ms/f  wait_frame wait_space s  "
           "est_RTF\n");
    for (int r = 0; r < runs; r++) {
        const double load = load1();
        double dec_s, fps, model_ms, rss, cpu_s;
        struct child_result res;
        if (bench_floor_decode(clip, p.end_s, &dec_s, &n_decoded, &fps) != 0 ||
            bench_floor_model(p.pose.model, p.pose.n_threads, &model_ms) != 0)
            return 2;
        if (bench_pipeline(clip, &p, one_thread, analyse, &res, &rss, &cpu_s) != 0) {
            fprintf(stderr, "bench_pipeline: the pipeline run failed\n");
            return 2;
        }
        clip_s = fps > 0 ? (double)n_decoded / fps : 0.0;
        n_frames = res.n_frames;
        n_pose = res.n_pose;
        wall[r] = res.wall_s;
        floor_s[r] = dec_s + model_ms * 1e-3 * (double)res.n_frames;
        ratio[r] = wall[r] / floor_s[r];
        rtf[r] = clip_s / wall[r];
        dec_ms[r] = dec_s * 1e3 / (double)n_decoded;
        mdl_ms[r] = model_ms;
        cpu[r] = cpu_s / wall[r];
        if (rss > rss_max)
            rss_max = rss;
        /* Per-thread CPU time: what each stage costs, however loaded the machine. On an idle
         * one the run would take about the busier thread's CPU time (the other overlaps). */
        const struct pass_pose_stats *ps = &res.stats;
        const double nf = (double)res.n_frames;
        const double trk = analyse ? res.main_cpu_s : ps->tracker_cpu_s;
        double busiest = ps->decoder_cpu_s > trk ? ps->decoder_cpu_s : trk;
        if (ps->second_cpu_s > busiest)
            busiest = ps->second_cpu_s;
        split = ps->split;
        dcpu[r] = ps->decoder_cpu_s * 1e3 / nf;
        tcpu[r] = trk * 1e3 / nf;
        scpu[r] = ps->second_cpu_s * 1e3 / nf;
        wfr[r] = ps->wait_frame_s;
        wsp[r] = ps->wait_space_s;
        est[r] = busiest > 0 ? clip_s / busiest : 0.0;
        printf("  %3d  %5.2f  %11.2f  %8.2f  %6lld  %7.2f  %6.2f  %5.2f  %4.2f  %8.2f  %6.1f |"
               " %7.2f %7.2f %7.2f  %10.2f %10.2f  %7.2f\n",
               r + 1, load, dec_ms[r], model_ms, (long long)res.n_frames, floor_s[r], wall[r],
               ratio[r], rtf[r], cpu[r], rss, dcpu[r], tcpu[r], scpu[r], wfr[r], wsp[r], est[r]);
    }
    printf("median: clip %.1f s (%lld frames decoded, %lld analysed, a pose on %lld)\n", clip_s,
           (long long)n_decoded, (long long)n_frames, (long long)n_pose);
    printf("  wall %.2f s  floor %.2f s (decode %.2f ms/frame + model %.2f ms x %lld)\n",
           median(wall, runs), median(floor_s, runs), median(dec_ms, runs), median(mdl_ms, runs),
           (long long)n_frames);
    printf("  ratio wall/floor %.2f (target <= 1.10)  RTF %.2f  cpu/wall %.2f  peak RSS %.1f MB "
           "(target <= 200)\n",
           median(ratio, runs), median(rtf, runs), median(cpu, runs), rss_max);
    printf("  thread CPU ms/frame: decoder %.2f, %s %.2f (%s), second half %.2f; waits: tracker "
           "for frames %.2f s, decoder for slots %.2f s; idle-machine estimate RTF %.2f (the "
           "busiest thread)\n",
           median(dcpu, runs), analyse ? "calling thread (whole analysis)" : "tracker",
           median(tcpu, runs),
           split ? "two halves, each decoding its own"
           : median(dcpu, runs) > 0 ? "concurrent" : "sequential: decode included",
           median(scpu, runs), median(wfr, runs), median(wsp, runs), median(est, runs));
    return 0;
}
