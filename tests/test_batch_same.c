#define _POSIX_C_SOURCE 200809L
/*
 * test_batch_same.c - one clip gives the same JSON report, byte for byte, however it is run:
 * alone by `hingecheck CLIP --json`, in a batch of its own, after other clips on the same worker
 * (--jobs 1), beside them on two workers (--jobs 2), and with glibc's allocator filling fresh
 * memory with another byte (MALLOC_PERTURB_): nothing a clip leaves behind (models, sessions,
 * decoder or frame buffers) may reach the next one, and no result may hang on what memory held.
 *
 * The clip is 404 pixels wide: swscale's x86 YUV-to-RGB converters write groups of 8 pixels and,
 * with a row stride of the width in bytes rounded up to 32, used to leave the last 4 pixels of
 * every row unwritten, so the frame's right edge was whatever the buffer held before (another
 * clip's frame in a batch). test_decoder_every_pixel checks that directly.
 *
 * With an argument `shared` the same comparison runs on two real clips of ../shared chosen by
 * what they show (a short side-view barbell RDL, then a front-oblique kettlebell swing filmed
 * 404 pixels wide), and exits 77 (skipped) when ../shared is absent.
 */
#include "hc_shared_clips.h"
#include "hc_test_util.h"
#include "video/video.h"

#include <check.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char tmpdir[256];
/* The clips: those analysed first, then the clip compared (last in byte order of names). */
#define MAX_BEFORE 2
static char before[MAX_BEFORE][700];
static int n_before;
static char clip[700];
/* What every run adds (the model, masks or not). */
static const char *const *run_opts;

static const char *const synth_opts[] = {"--model", "lite", NULL};
static const char *const shared_opts[] = {"--model", "lite", "--no-spine-mask", NULL};

/* Runs hingecheck with args then run_opts and --deterministic, stderr into log; with perturb,
 * MALLOC_PERTURB_ set to it. Returns the exit code. */
static int run_cli(const char *const *args, const char *log, const char *perturb)
{
    char *argv[48];
    int n = 0;
    argv[n++] = (char *)HC_CLI_PATH;
    for (; *args && n < 40; args++)
        argv[n++] = (char *)*args;
    for (const char *const *o = run_opts; *o && n < 46; o++)
        argv[n++] = (char *)*o;
    argv[n++] = (char *)"--deterministic";
    argv[n] = NULL;
    char **env = environ;
    char *penv[512];
    char pvar[64];
    if (perturb) {
        int k = 0;
        for (char **e = environ; *e && k < 510; e++)
            if (strncmp(*e, "MALLOC_PERTURB_=", 16) != 0)
                penv[k++] = *e;
        snprintf(pvar, sizeof pvar, "MALLOC_PERTURB_=%s", perturb);
        penv[k++] = pvar;
        penv[k] = NULL;
        env = penv;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, HC_CLI_PATH, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    ck_assert_msg(rc == 0, "cannot run %s", HC_CLI_PATH);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status), "hingecheck died (signal %d); see %s",
                  WIFSIGNALED(status) ? WTERMSIG(status) : 0, log);
    return WEXITSTATUS(status);
}

/* Where the two files first differ, as "line L: <a's line> | <b's line>". */
static void first_difference(const char *a, size_t na, const char *b, size_t nb, char *out,
                             size_t n)
{
    size_t i = 0, line = 1, start = 0;
    for (; i < na && i < nb && a[i] == b[i]; i++)
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
    const size_t ea = strcspn(a + start, "\n"), eb = strcspn(b + start, "\n");
    snprintf(out, n, "line %zu: %.*s | %.*s", line, (int)(ea < 200 ? ea : 200), a + start,
             (int)(eb < 200 ? eb : 200), b + start);
}

static void assert_same_report(const char *ref, const char *other, const char *how)
{
    size_t na = 0, nb = 0;
    char *a = hc_test_slurp(ref, &na), *b = hc_test_slurp(other, &nb);
    ck_assert_msg(a && b, "%s: missing %s or %s", how, ref, other);
    char where[600] = "";
    const int same = na == nb && memcmp(a, b, na) == 0;
    if (!same)
        first_difference(a, na, b, nb, where, sizeof where);
    free(a);
    free(b);
    ck_assert_msg(same, "the clip analysed %s differs from it analysed alone (%s vs %s), %s", how,
                  other, ref, where);
}

/* The reference: `hingecheck CLIP --json REF`. */
static void reference(char *ref, size_t n)
{
    snprintf(ref, n, "%s/single.json", tmpdir);
    if (access(ref, F_OK) == 0)
        return;
    char log[700];
    snprintf(log, sizeof log, "%s/single.log", tmpdir);
    const char *args[] = {clip, "--json", ref, NULL};
    const int rc = run_cli(args, log, NULL);
    ck_assert_msg(rc == 0 || rc == 3, "hingecheck %s exited %d; see %s", clip, rc, log);
}

/* hingecheck batch [the clips before] CLIP --out OUT --jobs JOBS; the clip's report path in
 * report. */
static void batch(const char *name, int with_before, const char *jobs, char *report, size_t n)
{
    char out[600], log[700];
    snprintf(out, sizeof out, "%s/%s", tmpdir, name);
    snprintf(log, sizeof log, "%s.log", out);
    const char *args[16] = {"batch"};
    int k = 1;
    for (int i = 0; with_before && i < n_before; i++)
        args[k++] = before[i];
    args[k++] = clip;
    const char *tail[] = {"--out", out, "--jobs", jobs, NULL};
    for (int i = 0; tail[i]; i++)
        args[k++] = tail[i];
    args[k] = NULL;
    const int rc = run_cli(args, log, NULL);
    ck_assert_msg(rc == 0 || rc == 4 || (rc >= 10 && rc <= 110), "batch %s exited %d; see %s",
                  name, rc, log);
    const char *slash = strrchr(clip, '/');
    snprintf(report, n, "%s/%s.json", out, slash ? slash + 1 : clip);
}

/* The batches compared with the clip analysed alone. */
static const struct batch_case {
    const char *name; /* output folder */
    int with_before;  /* the other clips too (analysed first: they sort before it) */
    const char *jobs;
    const char *how;
} batch_cases[] = {
    {"alone", 0, "1", "in a batch of its own"},
    {"after-jobs1", 1, "1", "after other clips on one worker (--jobs 1)"},
    {"after-jobs2", 1, "2", "beside other clips on two workers (--jobs 2)"},
};

START_TEST(test_batch)
{
    const struct batch_case *c = &batch_cases[_i];
    char ref[1400], rep[1400];
    reference(ref, sizeof ref);
    batch(c->name, c->with_before, c->jobs, rep, sizeof rep);
    assert_same_report(ref, rep, c->how);
}
END_TEST

/* Fresh memory filled with 0x55 (glibc fills with the value's complement, freed memory with the
 * value itself): a result that reads memory nothing wrote changes. */
START_TEST(test_other_memory)
{
    char ref[1400], rep[1400], log[700];
    reference(ref, sizeof ref);
    snprintf(rep, sizeof rep, "%s/perturbed.json", tmpdir);
    snprintf(log, sizeof log, "%s/perturbed.log", tmpdir);
    const char *args[] = {clip, "--json", rep, NULL};
    const int rc = run_cli(args, log, "170");
    ck_assert_msg(rc == 0 || rc == 3, "hingecheck %s exited %d; see %s", clip, rc, log);
    assert_same_report(ref, rep, "with fresh memory holding other bytes (MALLOC_PERTURB_)");
}
END_TEST

/* Every pixel of every frame is written by the decoder: two buffers filled with 0x00 and 0xff
 * before each frame come out equal. */
START_TEST(test_decoder_every_pixel)
{
    const struct video_open_params vp = video_default_open_params();
    struct video_decoder *d0 = NULL, *d1 = NULL;
    ck_assert_int_eq(video_decoder_open(clip, &vp, &d0), HC_OK);
    ck_assert_int_eq(video_decoder_open(clip, &vp, &d1), HC_OK);
    int stride = 0;
    const size_t bytes = video_decoder_frame_bytes(d0, &stride);
    const struct hc_video_info *in = video_decoder_info(d0);
    ck_assert_int_eq(in->width_px % 8 != 0, 1); /* the case the test is about */
    uint8_t *b0 = malloc(bytes), *b1 = malloc(bytes);
    ck_assert(b0 && b1);
    int64_t n = 0;
    for (;;) {
        memset(b0, 0x00, bytes);
        memset(b1, 0xff, bytes);
        struct video_frame f0, f1;
        const enum hc_status s0 = video_decoder_next_into(d0, b0, stride, &f0);
        const enum hc_status s1 = video_decoder_next_into(d1, b1, stride, &f1);
        ck_assert_int_eq(s0, s1);
        if (s0 != HC_OK)
            break;
        /* compared without an assertion per byte (each one costs Check a message) */
        int bad_x = -1, bad_y = -1;
        for (int y = 0; y < f0.height_px && bad_y < 0; y++) {
            const uint8_t *r0 = b0 + (size_t)y * (size_t)stride, *r1 = b1 + (size_t)y * stride;
            for (int x = 0; x < f0.width_px * 3 && bad_y < 0; x++)
                if (r0[x] != r1[x]) {
                    bad_x = x / 3;
                    bad_y = y;
                }
        }
        ck_assert_msg(bad_y < 0, "frame %lld, pixel (%d, %d) of a %dx%d frame was not written by "
                      "the decoder", (long long)f0.index, bad_x, bad_y, f0.width_px,
                      f0.height_px);
        n++;
    }
    ck_assert_int_gt(n, 0);
    free(b0);
    free(b1);
    video_decoder_free(d0);
    video_decoder_free(d1);
}
END_TEST

/* Three short hc_synth sets at 404x240, 15 fps: the clip compared, and two others of another
 * look (lifter facing the other way, other colours, other lifts) analysed before it. */
static void make_synth_clips(void)
{
    const char *synth = HC_SYNTH_PATH " --width 404 --height 240 --fps 15 --lowering-s 1.0 "
                        "--pause-s 0.2 --rising-s 0.8 --pause-top-s 0.4 --lead-in-s 0.5 "
                        "--lead-out-s 0.5";
    n_before = 2;
    snprintf(before[0], sizeof before[0], "%s/clips/a.mp4", tmpdir);
    snprintf(before[1], sizeof before[1], "%s/clips/b.mp4", tmpdir);
    snprintf(clip, sizeof clip, "%s/clips/z.mp4", tmpdir);
    if (hc_test_sh("mkdir -p '%s/clips' && "
                   "%s --reps 2 --facing left --seed 7 --lift deadlift --out '%s' && "
                   "%s --reps 3 --seed 11 --lift kb-swing --out '%s' && %s --reps 2 --out '%s'",
                   tmpdir, synth, before[0], synth, before[1], synth, clip) != 0) {
        fprintf(stderr, "test_batch_same: hc_synth could not make the clips in %s\n", tmpdir);
        exit(1);
    }
    run_opts = synth_opts;
}

/* The real clips: 1 when found, 0 when ../shared is absent. */
static int find_shared_clips(void)
{
    struct hc_shared_clip first, last;
    const int a = hc_shared_clip_find("romanian deadlift | side", &first);
    const int b = hc_shared_clip_find("kettlebell swing | diagonal | 404x720", &last);
    if (a == 0 || b == 0)
        return 0;
    if (a < 0 || b < 0) {
        fprintf(stderr, "test_batch_same: %s\n", a < 0 ? first.why : last.why);
        exit(1);
    }
    /* links with names in the order wanted (the batch sorts by name) */
    n_before = 1;
    snprintf(before[0], sizeof before[0], "%s/clips/a.mp4", tmpdir);
    snprintf(clip, sizeof clip, "%s/clips/z.mp4", tmpdir);
    if (hc_test_sh("mkdir -p '%s/clips' && ln -s '%s/clips/%s.mp4' '%s' && "
                   "ln -s '%s/clips/%s.mp4' '%s'", tmpdir, HC_SHARED_DIR, first.stem, before[0],
                   HC_SHARED_DIR, last.stem, clip) != 0) {
        fprintf(stderr, "test_batch_same: cannot link the shared clips into %s\n", tmpdir);
        exit(1);
    }
    run_opts = shared_opts;
    return 1;
}

int main(int argc, char **argv)
{
    const int shared = argc > 1 && strcmp(argv[1], "shared") == 0;
    if (hc_test_tmpdir(tmpdir, sizeof tmpdir, "test_batch_same") != 0)
        return 1;
    setenv("HINGECHECK_MODEL_DIR", HC_MODEL_DIR, 0);
    if (shared) {
        if (!find_shared_clips()) {
            printf("SKIP: %s/clips/INDEX.tsv not found; the shared clips are not on this "
                   "machine\n", HC_SHARED_DIR);
            hc_test_sh("rm -rf '%s'", tmpdir);
            return 77;
        }
    } else {
        make_synth_clips();
    }

    Suite *s = suite_create("batch_same");
    TCase *tc = tcase_create("batch_same");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_decoder_every_pixel);
    tcase_add_loop_test(tc, test_batch, 0, (int)(sizeof batch_cases / sizeof batch_cases[0]));
    if (!shared)
        tcase_add_test(tc, test_other_memory);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed == 0)
        hc_test_sh("rm -rf '%s'", tmpdir);
    else
        fprintf(stderr, "test_batch_same: outputs kept in %s\n", tmpdir);
    return failed ? 1 : 0;
}
