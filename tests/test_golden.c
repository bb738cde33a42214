#define _POSIX_C_SOURCE 200809L /* mkdtemp, symlink */
/*
 * test_golden.c - golden outputs of every report format, as FFmpeg's FATE keeps them: the CLI runs
 * once on the committed demo clip (data/demo/demo_rdl.mp4, --deterministic) and writes the text,
 * JSON, CSV, HTML and overlay reports at once; `probe --json` reads the same clip; `score` rates a
 * synthetic track with injected faults (hc_synth --track, made at test time); `batch` writes the
 * summary of a folder holding the demo clip, from the analysis' own JSON report (a report newer
 * than its clip is current, so no second analysis). Each output is compared with its golden file
 * in tests/data/golden/ (docs/TESTING.md):
 *
 *   text outputs: token by token. A token that reads as a decimal number matches when it is
 *     within one unit in the last place either side prints (plus 1e-6 relative): the writers
 *     round, and float noise (another compiler, libm or SIMD path) can only flip the last digit
 *     printed; integers (counts, frames, scores) must match, and so must everything else. The
 *     HTML report has its embedded images (base64 data: URIs) and the version after
 *     "hingecheck " cut out first: the JPEG bytes depend on the FFmpeg build, the version on the
 *     release (--deterministic leaves both in; it drops them from the JSON report).
 *   overlay video: decoded with the project's decoder; frame count, size, rate and times as a
 *     text golden, and every THUMB_EVERY-th frame as a thumbnail of THUMB_CELL_PX-pixel cell
 *     means (RGB, a binary PPM) whose every cell and channel must be within OVERLAY_CELL_TOL
 *     levels of the golden one: another libx264 build encodes a little differently, while a
 *     missing, moved or recoloured drawing or changed HUD text moves some cell means by more.
 *
 * HC_REGEN_GOLDEN=1 rewrites every golden file from this build's outputs (the comparisons then
 * pass); review the change with `git diff --stat tests/data/golden` before committing it.
 */
#include "video/video.h"

#include <check.h>
#include "hc_check.h"
#include "hc_test_util.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GOLDEN_DIR HC_SOURCE_DIR "/tests/data/golden"
#define DEMO_CLIP HC_SOURCE_DIR "/data/demo/demo_rdl.mp4"

/* Overlay thumbnails: every 3rd frame (10 a second: any drawing shown for 0.1 s is seen) in cells
 * of 40 x 40 px (32 x 18 cells on the 1280 x 720 demo). Encoding the demo's overlay again with
 * libx264 moved a cell mean by at most 3 levels at crf 18 and 6 at crf 30 (the overlay is made at
 * 23; docs/TESTING.md); a 12 x 12 px patch changed by half the range moves its cell's by 11.5
 * (checked below). */
#define THUMB_EVERY 3
#define THUMB_CELL_PX 40
#define OVERLAY_CELL_TOL 8
/* The thumbnail (the clip's middle) whose frame gets that patch, to show the comparer sees it. */
#define PATCH_THUMB 111

static char tmpdir[256];

/* ---- helpers ------------------------------------------------------------------------------ */

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    const int ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int regen_requested(void)
{
    const char *v = getenv("HC_REGEN_GOLDEN");
    return v && v[0] == '1';
}

/* ---- the runs: once, before the cases ------------------------------------------------------ */

struct run {
    const char *what;
    int exit_code; /* expected */
    int rc;        /* got */
};

enum { RUN_ANALYSE, RUN_PROBE, RUN_SYNTH, RUN_SCORE, RUN_BATCH, N_RUNS };

static struct run runs[N_RUNS] = {
    [RUN_ANALYSE] = {"hingecheck demo_rdl.mp4 (all formats)", 0, -1},
    [RUN_PROBE] = {"hingecheck probe --json demo_rdl.mp4", 0, -1},
    [RUN_SYNTH] = {"hc_synth --track (synthetic track with faults)", 0, -1},
    [RUN_SCORE] = {"hingecheck score faults.jsonl", 0, -1},
    [RUN_BATCH] = {"hingecheck batch (summary of the demo folder)", 0, -1},
};

/* Everything runs inside tmpdir on relative paths, so the reports name the same files on every
 * machine. The faults track is the one score_synth.json has always been made from. */
static void run_all(void)
{
    char link[512];
    snprintf(link, sizeof link, "%s/demo_rdl.mp4", tmpdir);
    if (symlink(DEMO_CLIP, link) != 0) {
        perror(link);
        exit(1);
    }
    runs[RUN_ANALYSE].rc =
        hc_test_sh("cd '%s' && '%s' demo_rdl.mp4 --deterministic --color never --json demo.json "
                   "--csv demo.csv --html demo.html --overlay demo_overlay.mp4 > demo.txt",
                   tmpdir, HC_CLI_PATH);
    runs[RUN_PROBE].rc =
        hc_test_sh("cd '%s' && '%s' probe --json demo_rdl.mp4 > probe.json", tmpdir, HC_CLI_PATH);
    runs[RUN_SYNTH].rc = hc_test_sh("'%s' --reps 4 --fault bar-drift --fault too-shallow@3 --track "
                                    "'%s/faults.jsonl' > /dev/null",
                                    HC_SYNTH_PATH, tmpdir);
    runs[RUN_SCORE].rc = hc_test_sh("cd '%s' && '%s' score faults.jsonl --deterministic --json "
                                    "score.json -q",
                                    tmpdir, HC_CLI_PATH);
    /* the clip is linked in before the report is copied beside it: the report is newer */
    runs[RUN_BATCH].rc =
        hc_test_sh("cd '%s' && mkdir -p clips batch && ln -s '%s' clips/demo_rdl.mp4 && "
                   "cp demo.json batch/demo_rdl.mp4.json && '%s' batch clips --out batch "
                   "--deterministic -q",
                   tmpdir, DEMO_CLIP, HC_CLI_PATH);
}

START_TEST(runs_exit_as_expected)
{
    for (int i = 0; i < N_RUNS; i++)
        ck_assert_msg(runs[i].rc == runs[i].exit_code, "%s: exit code %d, expected %d",
                      runs[i].what, runs[i].rc, runs[i].exit_code);
}
END_TEST

/* ---- the comparer: numbers within a tolerance, the rest exactly ---------------------------- */

/* Length of the decimal number at s ([+-]digits[.digits] or [+-].digits), 0 when there is none;
 * *decimals gets the digits after the point. No exponent: a report never prints one, and letters
 * after digits (hex colours, "h264") stay text. */
static size_t number_at(const char *s, int *decimals)
{
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    const size_t int_start = i;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    const size_t n_int = i - int_start;
    *decimals = 0;
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (s[i] >= '0' && s[i] <= '9') {
            i++;
            (*decimals)++;
        }
    }
    return (n_int > 0 || *decimals > 0) ? i : 0;
}

/* Whether two printed numbers match: within one unit in the finer last place printed (none for
 * two integers) plus 1e-6 of their size. */
static int numbers_close(const char *a, size_t na, int da, const char *b, size_t nb, int db,
                         double *tol_out)
{
    char ta[64], tb[64];
    snprintf(ta, sizeof ta, "%.*s", (int)na, a);
    snprintf(tb, sizeof tb, "%.*s", (int)nb, b);
    const double x = strtod(ta, NULL), y = strtod(tb, NULL);
    const int d = da > db ? da : db;
    const double unit = d > 0 ? pow(10.0, -d) : 0.0;
    const double tol = unit * (1 + 1e-9) + 1e-6 * fmax(fabs(x), fabs(y));
    *tol_out = tol;
    return fabs(x - y) <= tol;
}

/* Up to 70 characters of s from p, on one line, for a message. */
static void excerpt(const char *s, size_t p, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = p; s[i] && s[i] != '\n' && i < p + 70 && k + 1 < n; i++)
        out[k++] = s[i];
    out[k] = '\0';
}

/* Up to 40 characters of s before p on its line: where a number stands on a long line. */
static void lead_in(const char *s, size_t p, char *out, size_t n)
{
    size_t i = p;
    while (i > 0 && s[i - 1] != '\n' && p - i < 40)
        i--;
    snprintf(out, n, "%.*s", (int)(p - i), s + i);
}

/* 0 when `got` matches `want` (the golden text): numbers by numbers_close, everything else
 * byte for byte. Otherwise -1 and err says where (line of the golden file) and what differs. */
static int text_close(const char *want, const char *got, char *err, size_t n)
{
    size_t pa = 0, pb = 0;
    int line = 1;
    for (;;) {
        int da, db;
        const size_t na = number_at(want + pa, &da), nb = number_at(got + pb, &db);
        if (na && nb) {
            double tol;
            if (!numbers_close(want + pa, na, da, got + pb, nb, db, &tol)) {
                char before[48];
                lead_in(want, pa, before, sizeof before);
                snprintf(err, n, "line %d: golden %.*s vs output %.*s (tolerance %g) after \"%s\"",
                         line, (int)na, want + pa, (int)nb, got + pb, tol, before);
                return -1;
            }
            pa += na;
            pb += nb;
            continue;
        }
        if (want[pa] != got[pb] || (na || nb)) {
            char ea[80], eb[80];
            excerpt(want, pa, ea, sizeof ea);
            excerpt(got, pb, eb, sizeof eb);
            snprintf(err, n, "line %d: golden \"%s\"%s vs output \"%s\"%s", line, ea,
                     want[pa] ? "" : " (end of file)", eb, got[pb] ? "" : " (end of file)");
            return -1;
        }
        if (!want[pa])
            return 0;
        line += want[pa] == '\n';
        pa++;
        pb++;
    }
}

/* The HTML report without what legitimately varies: base64 payloads of data: URIs become "..."
 * and the version after "hingecheck " becomes VERSION. malloc'd. */
static char *html_strip(const char *s)
{
    const size_t len = strlen(s);
    char *out = malloc(2 * len + 64), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        if (strncmp(s + i, "data:", 5) == 0) {
            size_t j = i + 5;
            while (s[j] && strchr("abcdefghijklmnopqrstuvwxyz/+.-", s[j]))
                j++;
            if (strncmp(s + j, ";base64,", 8) == 0) {
                j += 8;
                memcpy(o, s + i, j - i);
                o += j - i;
                while (s[j] && (strchr("+/=", s[j]) || (s[j] >= 'A' && s[j] <= 'Z') ||
                                (s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9')))
                    j++;
                memcpy(o, "...", 3);
                o += 3;
                i = j;
                continue;
            }
        }
        if (strncmp(s + i, "hingecheck ", 11) == 0 && s[i + 11] >= '0' && s[i + 11] <= '9') {
            size_t j = i + 11;
            while ((s[j] >= '0' && s[j] <= '9') ||
                   (s[j] == '.' && s[j + 1] >= '0' && s[j + 1] <= '9'))
                j++;
            memcpy(o, "hingecheck VERSION", 18);
            o += 18;
            i = j;
            continue;
        }
        *o++ = s[i++];
    }
    *o = '\0';
    return out;
}

/* Compares the text `got` with golden file `name` (rewriting it first under HC_REGEN_GOLDEN=1);
 * fails the case with the golden file, line and values on a difference. */
static void check_text_golden(const char *name, const char *got)
{
    char golden[512];
    snprintf(golden, sizeof golden, "%s/%s", GOLDEN_DIR, name);
    if (regen_requested()) {
        ck_assert_msg(write_file(golden, got, strlen(got)) == 0, "cannot write %s", golden);
        printf("test_golden: regenerated %s\n", golden);
    }
    char *want = hc_test_slurp(golden, NULL);
    ck_assert_msg(want != NULL, "cannot read %s (HC_REGEN_GOLDEN=1 makes it)", golden);
    char err[512] = "";
    const int r = text_close(want, got, err, sizeof err);
    free(want);
    ck_assert_msg(r == 0,
                  "%s: %s (if the change is intended: HC_REGEN_GOLDEN=1 ctest -L golden, and "
                  "review the diff)",
                  golden, err);
}

/* ---- the text outputs ---------------------------------------------------------------------- */

struct text_golden {
    const char *golden; /* file in tests/data/golden */
    const char *output; /* file in tmpdir */
    int html;           /* strip with html_strip first */
};

static const struct text_golden text_goldens[] = {
    {"demo.txt", "demo.txt", 0},                        /* the analysis' stdout */
    {"demo.json", "demo.json", 0},                      /* --json */
    {"demo.csv", "demo.csv", 0},                        /* --csv */
    {"demo.html", "demo.html", 1},                      /* --html */
    {"demo_probe.json", "probe.json", 0},               /* probe --json */
    {"demo_batch_summary.csv", "batch/summary.csv", 0}, /* batch */
    {"score_synth.json", "score.json", 0},              /* score --deterministic */
};

START_TEST(text_output_matches_golden)
{
    const struct text_golden *g = &text_goldens[_i];
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, g->output);
    char *got = hc_test_slurp(path, NULL);
    ck_assert_msg(got != NULL, "%s: not written", path);
    if (g->html) {
        char *stripped = html_strip(got);
        free(got);
        got = stripped;
        ck_assert_ptr_nonnull(got);
    }
    check_text_golden(g->golden, got);
    free(got);
}
END_TEST

/* The comparer itself: a number moved by one unit in its last place passes, by two fails (with
 * the line and both values in the message), and a changed word or a missing line fails. */
START_TEST(comparer_catches_changes)
{
    const char *golden = "rep 1\nscore 84.266 deg, 25 frames\nend\n";
    char err[512];
    ck_assert_int_eq(text_close(golden, golden, err, sizeof err), 0);
    ck_assert_int_eq(
        text_close(golden, "rep 1\nscore 84.267 deg, 25 frames\nend\n", err, sizeof err), 0);
    ck_assert_int_eq(text_close("x 24.89,", "x 24.891,", err, sizeof err), 0); /* 24.890 */
    ck_assert_int_eq(
        text_close(golden, "rep 1\nscore 84.268 deg, 25 frames\nend\n", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "line 2") && strstr(err, "84.266") && strstr(err, "84.268"), "%s",
                  err);
    ck_assert_int_eq(
        text_close(golden, "rep 1\nscore 84.266 deg, 26 frames\nend\n", err, sizeof err), -1);
    ck_assert_int_eq(
        text_close(golden, "rep 1\nscore 84.266 rad, 25 frames\nend\n", err, sizeof err), -1);
    ck_assert_int_eq(text_close(golden, "rep 1\nscore 84.266 deg, 25 frames\n", err, sizeof err),
                     -1);
    ck_assert_int_eq(
        text_close(golden, "rep 1\nscore 84.266 deg, 25 frames\nend\n\n", err, sizeof err), -1);
    ck_assert_int_eq(text_close("#1e3a5f", "#2e3a5f", err, sizeof err), -1);
    char *s = html_strip("<img src=\"data:image/jpeg;base64,/9j/4AA+Q==\"><b>hingecheck 0.1.0</b>");
    ck_assert_str_eq(s, "<img src=\"data:image/jpeg;base64,...\"><b>hingecheck VERSION</b>");
    free(s);
}
END_TEST

/* ---- the overlay video ---------------------------------------------------------------------- */

struct thumbs {
    int cols, rows, n; /* cells across and down, thumbnails */
    uint8_t *px;       /* n thumbnails of rows x cols RGB cell means, one below the other */
};

/* The RGB means of the frame's THUMB_CELL_PX cells (edges beyond whole cells left out). */
static void thumb_of(const uint8_t *rgb, int stride, int cols, int rows, uint8_t *dst)
{
    const unsigned n = THUMB_CELL_PX * THUMB_CELL_PX;
    for (int cy = 0; cy < rows; cy++) {
        for (int cx = 0; cx < cols; cx++) {
            unsigned sum[3] = {0, 0, 0};
            for (int y = 0; y < THUMB_CELL_PX; y++) {
                const uint8_t *p = rgb + (size_t)(cy * THUMB_CELL_PX + y) * (size_t)stride +
                                   (size_t)cx * THUMB_CELL_PX * 3;
                for (int x = 0; x < THUMB_CELL_PX * 3; x += 3) {
                    sum[0] += p[x];
                    sum[1] += p[x + 1];
                    sum[2] += p[x + 2];
                }
            }
            for (int c = 0; c < 3; c++)
                dst[(cy * cols + cx) * 3 + c] = (uint8_t)((sum[c] + n / 2) / n);
        }
    }
}

/* Two thumbnails of n_cells RGB cells: 0 when no channel of any cell differs by more than tol,
 * else -1; *cell_out and *chan_out name where they differ most. */
static int thumb_close(const uint8_t *a, const uint8_t *b, int n_cells, int tol, int *cell_out,
                       int *chan_out)
{
    int worst = -1, worst_d = 0;
    for (int i = 0; i < n_cells * 3; i++) {
        const int d = abs((int)a[i] - (int)b[i]);
        if (d > worst_d) {
            worst_d = d;
            worst = i;
        }
    }
    *cell_out = worst < 0 ? 0 : worst / 3;
    *chan_out = worst < 0 ? 0 : worst % 3;
    return worst_d > tol ? -1 : 0;
}

static int ppm_write(const char *path, const struct thumbs *t)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fprintf(f,
            "P6\n# hingecheck overlay golden: RGB means of %d px cells, every %d frames\n"
            "%d %d\n255\n",
            THUMB_CELL_PX, THUMB_EVERY, t->cols, t->rows * t->n);
    const size_t len = (size_t)t->cols * (size_t)t->rows * (size_t)t->n * 3;
    const int ok = fwrite(t->px, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Reads ppm_write's file back as thumbnails of `rows` rows; -1 when it is not one. */
static int ppm_read(const char *path, int rows, struct thumbs *t)
{
    size_t len;
    char *s = hc_test_slurp(path, &len);
    if (!s)
        return -1;
    int vals[3], k = 0;
    size_t i = 2;
    if (len < 2 || s[0] != 'P' || s[1] != '6')
        goto fail;
    while (k < 3 && i < len) {
        if (s[i] == '#') {
            while (i < len && s[i] != '\n')
                i++;
        } else if (s[i] >= '0' && s[i] <= '9') {
            vals[k] = 0;
            while (i < len && s[i] >= '0' && s[i] <= '9')
                vals[k] = vals[k] * 10 + (s[i++] - '0');
            k++;
            continue;
        }
        i++;
    }
    i++; /* the one whitespace byte after the maxval; then the pixels */
    if (k < 3 || vals[2] != 255 || rows <= 0 || vals[1] % rows != 0 ||
        len - i != (size_t)vals[0] * (size_t)vals[1] * 3)
        goto fail;
    t->cols = vals[0];
    t->rows = rows;
    t->n = vals[1] / rows;
    t->px = malloc(len - i);
    if (!t->px)
        goto fail;
    memcpy(t->px, s + i, len - i);
    free(s);
    return 0;
fail:
    free(s);
    return -1;
}

START_TEST(overlay_matches_golden)
{
    char path[512], golden_ppm[512];
    snprintf(path, sizeof path, "%s/demo_overlay.mp4", tmpdir);
    snprintf(golden_ppm, sizeof golden_ppm, "%s/demo_overlay.ppm", GOLDEN_DIR);
    struct video_open_params op = video_default_open_params();
    struct video_decoder *dec = NULL;
    ck_assert_msg(video_decoder_open(path, &op, &dec) == HC_OK, "%s: %s", path, hc_last_error());
    const struct hc_video_info *info = video_decoder_info(dec);
    struct thumbs got = {info->width_px / THUMB_CELL_PX, info->height_px / THUMB_CELL_PX, 0, NULL};
    const size_t thumb_bytes = (size_t)got.cols * (size_t)got.rows * 3;
    ck_assert_int_gt(got.cols * got.rows, 0);
    got.px = malloc(thumb_bytes * (size_t)(info->n_frames_estimate / THUMB_EVERY + 64));
    ck_assert_ptr_nonnull(got.px);
    uint8_t *patched_thumb = malloc(thumb_bytes), *patched = NULL;
    ck_assert_ptr_nonnull(patched_thumb);
    struct video_frame f;
    enum hc_status st;
    int64_t n_frames = 0;
    double t_first = 0, t_last = 0;
    while ((st = video_decoder_next(dec, &f)) == HC_OK) {
        if (n_frames == 0)
            t_first = f.t_s;
        t_last = f.t_s;
        if (n_frames % THUMB_EVERY == 0 &&
            (size_t)got.n < (size_t)(info->n_frames_estimate / THUMB_EVERY + 64)) {
            thumb_of(f.rgb, f.stride, got.cols, got.rows, got.px + thumb_bytes * (size_t)got.n);
            /* a small drawing change: a 12 x 12 px patch of one cell moved by half the range
             * (about a HUD digit changed) */
            if (got.n == PATCH_THUMB && !patched) {
                const size_t frame_bytes = (size_t)f.stride * (size_t)f.height_px;
                patched = malloc(frame_bytes);
                ck_assert_ptr_nonnull(patched);
                memcpy(patched, f.rgb, frame_bytes);
                for (int y = 214; y < 226; y++)
                    for (int x = 214 * 3; x < 226 * 3; x++)
                        patched[(size_t)y * (size_t)f.stride + (size_t)x] ^= 0x80;
                thumb_of(patched, f.stride, got.cols, got.rows, patched_thumb);
            }
            got.n++;
        }
        n_frames++;
    }
    ck_assert_msg(st == HC_ERR_EMPTY, "%s: decoding stopped: %s", path, hc_last_error());
    char facts[512];
    snprintf(facts, sizeof facts,
             "frames %lld\nsize %dx%d\nfps %.3f\nfirst_t %.3f\nlast_t %.3f\n"
             "thumbnails %d of %dx%d cells (demo_overlay.ppm)\n",
             (long long)n_frames, info->width_px, info->height_px, info->fps, t_first, t_last,
             got.n, got.cols, got.rows);
    video_decoder_free(dec);
    check_text_golden("demo_overlay.txt", facts);

    if (regen_requested()) {
        ck_assert_msg(ppm_write(golden_ppm, &got) == 0, "cannot write %s", golden_ppm);
        printf("test_golden: regenerated %s\n", golden_ppm);
    }
    struct thumbs want = {0, 0, 0, NULL};
    ck_assert_msg(ppm_read(golden_ppm, got.rows, &want) == 0,
                  "%s: missing or not thumbnails of %d rows (HC_REGEN_GOLDEN=1 makes it)",
                  golden_ppm, got.rows);
    ck_assert_int_eq(want.cols, got.cols);
    ck_assert_int_eq(want.n, got.n);
    int cell, chan;
    for (int k = 0; k < got.n; k++) {
        const uint8_t *a = want.px + thumb_bytes * (size_t)k, *b = got.px + thumb_bytes * (size_t)k;
        if (thumb_close(a, b, got.cols * got.rows, OVERLAY_CELL_TOL, &cell, &chan) == 0)
            continue;
        const int cx = cell % got.cols, cy = cell / got.cols;
        ck_abort_msg("%s: frame %d, cell x %d-%d y %d-%d px, %c: golden %d vs output %d "
                     "(tolerance %d; if the change is intended: HC_REGEN_GOLDEN=1 ctest -L "
                     "golden, and look at the overlay)",
                     golden_ppm, k * THUMB_EVERY, cx * THUMB_CELL_PX, (cx + 1) * THUMB_CELL_PX - 1,
                     cy * THUMB_CELL_PX, (cy + 1) * THUMB_CELL_PX - 1, "RGB"[chan],
                     a[cell * 3 + chan], b[cell * 3 + chan], OVERLAY_CELL_TOL);
    }
    ck_assert_msg(patched != NULL, "fewer than %d thumbnails", PATCH_THUMB + 1);
    ck_assert_int_eq(thumb_close(got.px + thumb_bytes * PATCH_THUMB, patched_thumb,
                                 got.cols * got.rows, OVERLAY_CELL_TOL, &cell, &chan),
                     -1);
    free(patched);
    free(patched_thumb);
    free(want.px);
    free(got.px);
}
END_TEST

static Suite *golden_suite(void)
{
    Suite *s = suite_create("golden");
    TCase *tc = tcase_create("golden");
    tcase_add_test(tc, runs_exit_as_expected);
    tcase_add_test(tc, comparer_catches_changes);
    tcase_add_loop_test(tc, text_output_matches_golden, 0,
                        sizeof text_goldens / sizeof text_goldens[0]);
    tcase_add_test(tc, overlay_matches_golden);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (hc_test_tmpdir(tmpdir, sizeof tmpdir, "test_golden") != 0)
        return 1;
    run_all();
    const int rc = hc_check_run(golden_suite());
    if (rc == EXIT_SUCCESS)
        hc_test_sh("rm -rf '%s'", tmpdir);
    else
        fprintf(stderr, "test_golden: outputs kept in %s\n", tmpdir);
    return rc;
}
