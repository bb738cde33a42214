#define _POSIX_C_SOURCE 200809L
/* batch.c - score many clips on all cores, resumably (hc_batch_run; docs/BATCH.md).
 *
 * Why it is shaped this way:
 * - Workers are threads sharing one loaded copy of the models (hc_pose_models_load): a worker
 *   costs only its inference sessions. Each worker analyses one clip at a time on one core
 *   (decode, then inference, on its own thread: analysis_file_mode's one_thread) when there
 *   are several, so N workers keep N busy threads: two XNNPACK threads beside other busy threads on these
 *   2-core machines make an inference take over a second (../shared/PERF-NOTES.md). A single
 *   worker keeps the clip pipeline's own decode/inference overlap.
 * - The per-clip reports on disk are the only state. A report is written last (after the HTML),
 *   to a temporary name and renamed, so its presence means the clip is done; a report newer
 *   than its clip is current and skipped on the next run. The summary is rebuilt from the
 *   reports at the end of every run, so after kill -9, a resume, or shards run elsewhere into
 *   the same folder it is the same as after one uninterrupted run.
 * - Clips are ordered by report name (bytes, not locale) and shards take every N-th clip of
 *   that order: every machine sees the same split for the same files, and shards differ in
 *   size by at most one clip.
 * - Everything that would fail at writing time is found before the first clip is analysed
 *   (check_outputs): a report path taken by a folder (a.mp4.json/ beside a.mp4, an input
 *   folder called summary.csv), a report that is an input clip, an OUTDIR folder that is not
 *   writable. A batch of hours must not end in a page of "cannot write" lines.
 * - Two cameras of one set are named NAME_side.EXT and NAME_front.EXT in one folder (any video
 *   extensions, in any case): they are one job (pair_clips), reported under the side clip's
 *   name and analysed as `hingecheck NAME_side.EXT --front NAME_front.EXT` is; the front clip
 *   gets no report of its own. A _front clip without its _side one is a clip like any other.
 * - A stop (cancel: Ctrl-C, SIGTERM) abandons the clips under way and still writes the summary,
 *   with a "not-run" row for each clip of the run not done, so the summary says what is left. */
#include "analysis.h"
#include "report/report_batch.h"
#include "report/report_visual.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What FFmpeg reads that a phone, camera or screen recorder writes; compared in any case. */
static const char *const video_exts[] = {"mp4", "mov", "m4v", "mkv", "webm", "avi", "gif", "mpg",
                                         "mpeg", "wmv", "flv", "3gp", "ts", "mts", "m2ts"};

/* Progress calls per clip: one every this many frames (a few per second at 30 fps). */
#define PROGRESS_EVERY_FRAMES 8

struct clip {
    char *path;   /* as found: input folder + relative path, or the file as named */
    char *name;   /* report name: relative path in its folder, or the file name */
    char *front;  /* two cameras: the same set's front clip (NAME_front beside NAME_side); NULL */
    int todo;     /* to analyse in this run */
    int done_now; /* analysed in this run: its report is current whatever the clocks say */
};

struct clip_list {
    struct clip *v;
    size_t n, cap;
};

struct batch;

struct worker {
    struct batch *b;
    pthread_t thread;
    const struct clip *clip; /* under way, NULL when idle */
    double frac;             /* of the clip under way */
    int64_t n_frames_seen;
};

struct batch {
    const struct hc_batch_params *p;
    struct hc_analysis_params ap;  /* the per-clip parameters, with the shared models */
    int one_thread;                /* each worker decodes and tracks on its own thread */
    struct clip **todo;           /* done_now is written under lock */
    size_t n_todo, next;
    pthread_mutex_t lock;
    struct worker *workers;
    int n_workers;
    atomic_int stop;               /* read in every frame hook, without the lock */
    int n_done, n_failed;
    double t0;
};

static char *join(const char *a, const char *sep, const char *b)
{
    const size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
    char *d = malloc(na + ns + nb + 1);
    if (d) {
        memcpy(d, a, na);
        memcpy(d + na, sep, ns);
        memcpy(d + na + ns, b, nb + 1);
    }
    return d;
}

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        const int ca = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
        const int cb = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}

static int is_video_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return 0;
    for (size_t i = 0; i < sizeof video_exts / sizeof video_exts[0]; i++)
        if (ieq(dot + 1, video_exts[i]))
            return 1;
    return 0;
}

static void clips_free(struct clip_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].name);
        free(l->v[i].front);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Takes ownership of path and name (freed on failure). */
static enum hc_status clips_add(struct clip_list *l, char *path, char *name)
{
    if (path && name && l->n == l->cap) {
        const size_t nc = l->cap ? l->cap * 2 : 64;
        struct clip *nv = realloc(l->v, nc * sizeof *nv);
        if (nv) {
            l->v = nv;
            l->cap = nc;
        }
    }
    if (!path || !name || l->n == l->cap) {
        free(path);
        free(name);
        return hc_fail(HC_ERR_NOMEM, "batch: out of memory listing the clips");
    }
    l->v[l->n].path = path;
    l->v[l->n].name = name;
    l->v[l->n].front = NULL;
    l->v[l->n].todo = 0;
    l->v[l->n].done_now = 0;
    l->n++;
    return HC_OK;
}

/* Every video file under dir (recursively), named by its path relative to the input folder.
 * Hidden entries are skipped (editors' and sync tools' droppings), and so are symbolic links to
 * folders (a link back up the tree would loop). */
static enum hc_status walk(const char *dir, const char *rel, struct clip_list *l)
{
    DIR *d = opendir(dir);
    if (!d)
        return hc_fail(HC_ERR_IO, "%s: cannot list the folder (%s)", dir, strerror(errno));
    enum hc_status st = HC_OK;
    const struct dirent *e;
    while (st == HC_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *full = join(dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        char *name = join(rel, "", e->d_name);
        struct stat sb, lsb;
        if (!full || !name) {
            st = hc_fail(HC_ERR_NOMEM, "batch: out of memory listing %s", dir);
        } else if (stat(full, &sb) != 0 || lstat(full, &lsb) != 0) {
            hc_log(HC_LOG_WARN, "%s: skipped (%s)", full, strerror(errno));
        } else if (S_ISDIR(sb.st_mode) && !S_ISLNK(lsb.st_mode)) {
            char *sub = join(name, "/", "");
            st = sub ? walk(full, sub, l) : hc_fail(HC_ERR_NOMEM, "batch: out of memory");
            free(sub);
        } else if (S_ISREG(sb.st_mode) && is_video_name(e->d_name)) {
            st = clips_add(l, full, name);
            full = name = NULL;
        }
        free(full);
        free(name);
    }
    closedir(d);
    return st;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct clip *)a)->name, ((const struct clip *)b)->name);
}

/* The length of a report name's stem when it ends in `suffix` before its extension
 * ("day1/set_side.mp4", "_side": 8), else 0. */
static size_t stem_with(const char *name, const char *suffix)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (!dot || (slash && dot < slash))
        return 0;
    const size_t n = (size_t)(dot - name), k = strlen(suffix);
    if (n <= k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)name[n - k + i]) != suffix[i])
            return 0;
    return n - k;
}

/* Two cameras of one set: NAME_side.EXT with NAME_front.EXT (the same folder and NAME, any
 * extensions) become one job on the side clip; the front clip leaves the list. Two front clips
 * for one side clip are an error (which one belongs to the set?). */
static enum hc_status pair_clips(struct clip_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const size_t ns = stem_with(l->v[i].name, "_side");
        if (!ns)
            continue;
        for (size_t k = 0; k < l->n; k++) {
            const size_t nf = stem_with(l->v[k].name, "_front");
            if (k == i || nf != ns || strncmp(l->v[i].name, l->v[k].name, ns) != 0)
                continue;
            if (l->v[i].front)
                return hc_fail(HC_ERR_INVALID_ARG, "%s: two front clips for one side clip (%s "
                               "and %s); keep one NAME_front beside NAME_side", l->v[i].path,
                               l->v[i].front, l->v[k].path);
            l->v[i].front = l->v[k].path;
            l->v[k].path = NULL;
        }
    }
    /* drop the front clips taken by a pair (their path moved to the side clip) */
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].path) {
            free(l->v[i].name);
            continue;
        }
        l->v[w++] = l->v[i];
    }
    l->n = w;
    return HC_OK;
}

static enum hc_status list_clips(const char *const *inputs, int n_inputs, struct clip_list *l)
{
    for (int i = 0; i < n_inputs; i++) {
        struct stat sb;
        const char *in = inputs[i];
        if (stat(in, &sb) != 0)
            return hc_fail(HC_ERR_IO, "%s: no such file or folder (%s); check the path", in,
                           strerror(errno));
        enum hc_status st;
        if (S_ISDIR(sb.st_mode)) {
            st = walk(in, "", l);
        } else {
            const char *slash = strrchr(in, '/');
            st = clips_add(l, hc_strdup(in), hc_strdup(slash ? slash + 1 : in));
        }
        if (st != HC_OK)
            return st;
    }
    if (l->n == 0)
        return hc_fail(HC_ERR_EMPTY, "%s%s: no video or GIF files found (looked for .mp4 .mov "
                       ".m4v .mkv .webm .avi .gif ...); check the folder", inputs[0],
                       n_inputs > 1 ? " and the other inputs" : "");
    qsort(l->v, l->n, sizeof *l->v, by_name);
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->v[i - 1].name, l->v[i].name) == 0)
            return hc_fail(HC_ERR_INVALID_ARG, "%s and %s would share the report %s.json; run "
                           "them in separate batches (separate --out folders)",
                           l->v[i - 1].path, l->v[i].path, l->v[i].name);
    return pair_clips(l);
}

/* mkdir -p of dir. */
static enum hc_status make_dirs(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return hc_fail(HC_ERR_IO, "%s: path too long", dir);
    for (char *s = buf + 1;; s++) {
        const char c = *s;
        if (c == '/' || c == '\0') {
            *s = '\0';
            struct stat sb;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return hc_fail(HC_ERR_IO, "%s: cannot create the folder (%s); check "
                               "permissions", buf, strerror(errno));
            if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
                return hc_fail(HC_ERR_IO, "%s: not a folder; choose another --out", buf);
            *s = c;
        }
        if (c == '\0')
            break;
    }
    return HC_OK;
}

/* OUTDIR/<name><ext> into buf. */
static int out_path(const struct hc_batch_params *p, const char *name, const char *ext, char *buf,
                    size_t n)
{
    const int k = snprintf(buf, n, "%s/%s%s", p->out_dir, name, ext);
    return k >= 0 && (size_t)k < n;
}

static int newer(const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
           (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

/* The clip's report exists, is newer than the clip (or was written by this run: a clip dated in
 * the future by a camera's clock must not be redone forever) and reads as a report: row
 * filled. */
static int report_current(const struct hc_batch_params *p, const struct clip *c,
                          struct report_batch_row *row)
{
    char path[4096 + 64];
    struct stat rs, cs;
    if (!out_path(p, c->name, ".json", path, sizeof path) || stat(path, &rs) != 0 ||
        (!c->done_now && (stat(c->path, &cs) != 0 || !newer(&rs, &cs))) ||
        (!c->done_now && c->front && (stat(c->front, &cs) != 0 || !newer(&rs, &cs))))
        return 0;
    snprintf(row->clip, sizeof row->clip, "%s", c->name);
    return report_batch_read(path, row) == HC_OK;
}

static void report_progress(struct batch *b, const struct clip *current)
{
    if (!b->p->progress)
        return;
    struct hc_batch_progress pr;
    memset(&pr, 0, sizeof pr);
    pr.n_total = (int)b->n_todo;
    pr.n_done = b->n_done;
    pr.n_failed = b->n_failed;
    pr.done_clips = b->n_done;
    for (int i = 0; i < b->n_workers; i++)
        if (b->workers[i].clip)
            pr.done_clips += b->workers[i].frac;
    pr.current = current ? current->name : "";
    pr.elapsed_s = hc_now_s() - b->t0;
    b->p->progress(&pr, b->p->progress_user);
}

/* The per-frame hook: progress, and Ctrl-C. */
static int on_frame(int64_t frame_index, int64_t n_frames_estimate, void *user)
{
    struct worker *w = user;
    struct batch *b = w->b;
    if (b->stop)
        return 1;
    if (b->p->cancel && b->p->cancel(b->p->cancel_user)) {
        b->stop = 1; /* the other workers abandon their clips at their next frame */
        return 1;
    }
    if (b->p->progress && n_frames_estimate > 0 &&
        ++w->n_frames_seen % PROGRESS_EVERY_FRAMES == 0) {
        pthread_mutex_lock(&b->lock);
        /* below 1: the clip is done only when its report is written */
        const double f = n_frames_estimate > 0 ? (double)(frame_index + 1) / n_frames_estimate
                                               : 0.0;
        w->frac = f < 0.99 ? f : 0.99;
        report_progress(b, w->clip);
        pthread_mutex_unlock(&b->lock);
    }
    return 0;
}

/* Writes the clip's outputs of one kind of the format table (report_format.batch: 2 the asked
 * ones; 1 the record, which is only named here: record and *record_fmt get its path and
 * format). 0, or -1 when a path is too long. */
static int write_outputs(const struct hc_batch_params *p, const struct clip *c,
                         const struct hc_analysis *an, int kind, char *record, size_t n,
                         const char **record_fmt)
{
    for (const struct report_format *const *f = report_formats; *f; f++) {
        if ((*f)->batch != kind)
            continue;
        char ext[32], path[4096 + 64];
        snprintf(ext, sizeof ext, ".%s", (*f)->ext);
        if (!out_path(p, c->name, ext, path, sizeof path))
            return -1;
        if (kind == 1) {
            snprintf(record, n, "%s", path);
            *record_fmt = (*f)->name;
            continue; /* written last, by run_clip */
        }
        struct hc_report_options ro = hc_report_default_options();
        ro.cancel = p->cancel;
        ro.cancel_user = p->cancel_user;
        enum hc_status st;
        if (an && (st = hc_analysis_write(an, (*f)->name, path, &ro)) != HC_OK &&
            st != HC_ERR_CANCELLED)
            hc_log(HC_LOG_WARN, "%s (the JSON report is written)", hc_last_error());
    }
    return 0;
}

/* One clip: analyse, write the outputs asked for (--html) and then its record, the JSON report
 * (written last: a current record means the clip is done). Returns -1 when stopped (nothing
 * written), 0 when the clip is ok, 1 when it failed (its report says why). */
static int run_clip(struct worker *w, const struct clip *c)
{
    struct batch *b = w->b;
    const struct hc_batch_params *p = b->p;
    char report[4096 + 64] = "";
    const char *report_fmt = NULL;
    if (write_outputs(p, c, NULL, 1, report, sizeof report, &report_fmt) != 0 || !report_fmt ||
        (p->html && write_outputs(p, c, NULL, 2, NULL, 0, NULL) != 0)) {
        hc_log(HC_LOG_ERROR, "%s: output path too long; choose a shorter --out", c->path);
        return 1;
    }
    struct hc_analysis_params ap = b->ap;
    ap.on_frame = on_frame;
    ap.on_frame_user = w;
    struct hc_analysis *an = NULL;
    enum hc_status st = analysis_file_mode(c->path, &ap, b->one_thread, &an);
    if (st == HC_OK && c->front) {
        /* two cameras: the front clip, then the pair (hc_analysis_pair frees both on failure) */
        struct hc_analysis *front = NULL;
        const struct hc_pair_params pp = hc_pair_default_params();
        st = analysis_file_mode(c->front, &ap, b->one_thread, &front);
        if (st == HC_OK)
            st = hc_analysis_pair(an, front, &pp, &an);
        else
            hc_analysis_free(an);
        if (st != HC_OK)
            an = NULL;
    }
    if (st == HC_ERR_CANCELLED || (st != HC_OK && b->stop))
        return -1;
    if (st != HC_OK) {
        /* the analysis' own message names the file and what to do */
        if ((st = report_batch_write_failure(report, c->path, st, hc_last_error())) != HC_OK)
            hc_log(HC_LOG_ERROR, "%s", hc_last_error());
        return 1;
    }
    if (p->html)
        write_outputs(p, c, an, 2, NULL, 0, NULL);
    if (p->html && p->cancel && p->cancel(p->cancel_user)) {
        b->stop = 1; /* stopped while drawing the page: no record, the clip is redone */
        hc_analysis_free(an);
        return -1;
    }
    struct hc_report_options ro = hc_report_default_options();
    ro.deterministic = p->deterministic;
    struct hc_analysis_summary s;
    hc_analysis_summarise(an, &s);
    st = hc_analysis_write(an, report_fmt, report, &ro);
    hc_analysis_free(an);
    if (st != HC_OK) {
        hc_log(HC_LOG_ERROR, "%s", hc_last_error());
        return 1;
    }
    return s.status == HC_OK ? 0 : 1;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct batch *b = w->b;
    pthread_mutex_lock(&b->lock);
    while (!b->stop && b->next < b->n_todo) {
        struct clip *c = b->todo[b->next++];
        w->clip = c;
        w->frac = 0.0;
        w->n_frames_seen = 0;
        report_progress(b, c);
        pthread_mutex_unlock(&b->lock);
        if (b->p->cancel && b->p->cancel(b->p->cancel_user))
            b->stop = 1;
        const int r = b->stop ? -1 : run_clip(w, c);
        pthread_mutex_lock(&b->lock);
        w->clip = NULL;
        if (r >= 0) {
            c->done_now = 1;
            b->n_done++;
            b->n_failed += r;
            report_progress(b, c);
        }
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* The batch's own files in OUTDIR: summary.csv, summary.jsonl and (with --html) index.html, or a
 * shard's summary.shard-K-of-N.csv etc. Shards running at once into one folder must not replace
 * each other's summary: theirs are named after the shard, and a run without --shard writes the
 * whole set's. Returns how many (2 or 3) into names[3][80]. */
static int own_names(const struct hc_batch_params *p, char names[3][80])
{
    char sfx[64] = "";
    if (p->n_shards > 1)
        snprintf(sfx, sizeof sfx, ".shard-%d-of-%d", p->shard_index, p->n_shards);
    snprintf(names[0], sizeof names[0], "summary%s.csv", sfx);
    snprintf(names[1], sizeof names[1], "summary%s.jsonl", sfx);
    snprintf(names[2], sizeof names[2], "index%s.html", sfx);
    return p->html ? 3 : 2;
}

/* The summary row of a clip of this run that a stop left without a report. */
static void not_run_row(const struct clip *c, struct report_batch_row *row)
{
    memset(row, 0, sizeof *row);
    snprintf(row->clip, sizeof row->clip, "%s", c->name);
    snprintf(row->file, sizeof row->file, "%s", c->path);
    snprintf(row->status, sizeof row->status, "not-run");
    row->exit_code = hc_status_exit_code(HC_ERR_CANCELLED);
    row->score = NAN;
    row->worst = -1;
    snprintf(row->message, sizeof row->message, "not analysed: the batch was stopped before "
             "this clip was done; run the same command again to finish it");
}

/* Rebuilds summary.csv, summary.jsonl and (asked for) index.html from the reports on disk; after
 * a stop, the clips of the run without a report get a "not-run" row. */
static enum hc_status write_summary(const struct hc_batch_params *p, const struct clip_list *l,
                                    const char *sel, struct hc_batch_result *r)
{
    struct report_batch_row *rows = calloc(l->n ? l->n : 1, sizeof *rows);
    struct visual_index_entry *ix = calloc(l->n ? l->n : 1, sizeof *ix);
    char **hrefs = calloc(l->n ? l->n : 1, sizeof *hrefs);
    enum hc_status st = HC_OK;
    size_t n = 0;
    if (!rows || !ix || !hrefs) {
        st = hc_fail(HC_ERR_NOMEM, "batch: out of memory writing the summary");
        goto done;
    }
    for (size_t i = 0; i < l->n; i++) {
        if (!sel[i])
            continue;
        const int stopped = r->cancelled && l->v[i].todo && !l->v[i].done_now;
        if (stopped)
            not_run_row(&l->v[i], &rows[n]);
        else if (!report_current(p, &l->v[i], &rows[n]))
            continue;
        const struct report_batch_row *row = &rows[n];
        const int ok = strcmp(row->status, "ok") == 0;
        r->n_ok += ok;
        r->n_failed += !ok && !stopped;
        if (row->worst >= 0 && row->worst < 3)
            r->n_worst[row->worst]++;
        char html[4096 + 64];
        struct stat hs;
        ix[n].clip = row->clip;
        ix[n].lift = row->exercise[0] ? row->exercise : NULL;
        ix[n].n_reps = (size_t)row->n_reps;
        ix[n].score = row->score;
        for (int q = 0; q < 3; q++)
            ix[n].cues[q] = row->cues[q][0] ? row->cues[q] : NULL;
        ix[n].worst = row->worst;
        ix[n].error = ok ? NULL : row->message[0] ? row->message : row->status;
        if (p->html && out_path(p, l->v[i].name, ".html", html, sizeof html) &&
            stat(html, &hs) == 0 && (hrefs[n] = join(l->v[i].name, "", ".html")) != NULL)
            ix[n].href = hrefs[n];
        n++;
    }
    char csv[4096 + 64], jsonl[4096 + 64], index[4096 + 64], tmp[HC_TEMP_PATH_MAX + 64];
    char own[3][80];
    own_names(p, own);
    if (!out_path(p, own[0], "", csv, sizeof csv) ||
        !out_path(p, own[1], "", jsonl, sizeof jsonl) ||
        !out_path(p, own[2], "", index, sizeof index)) {
        st = hc_fail(HC_ERR_IO, "%s: path too long", p->out_dir);
        goto done;
    }
    if ((st = report_batch_write_summary(rows, n, csv, jsonl)) != HC_OK || !p->html)
        goto done;
    if ((st = hc_replace_temp_path(index, 0, tmp, sizeof tmp)) == HC_OK)
        st = hc_replace_finish(tmp, index,
                               visual_write_html_index(ix, n, "hingecheck batch", tmp));
done:
    for (size_t i = 0; hrefs && i < l->n; i++)
        free(hrefs[i]);
    free(hrefs);
    free(ix);
    free(rows);
    return st;
}

/* ---- outputs checked before the first clip ------------------------------------------------- */

struct file_id {
    dev_t dev;
    ino_t ino;
};

static int by_id(const void *a, const void *b)
{
    const struct file_id *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* The first clip whose report name starts with prefix ("a.mp4.json/": a folder of reports would
 * be made there); NULL when none. The list is sorted by name, so those clips are together. */
static const struct clip *clip_under(const struct clip_list *l, const char *prefix)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->v[mid].name, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && strncmp(l->v[lo].name, prefix, strlen(prefix)) == 0 ? &l->v[lo] : NULL;
}

/* One file the batch will write, OUTDIR/rel, described as `who` in messages: it must not be a
 * folder or anything else than a file the rename can replace, not an input (ids, sorted), and
 * no clip's report folder may have to be made under that name. */
static enum hc_status check_output(const struct hc_batch_params *p, const struct clip_list *l,
                                   const struct file_id *ids, size_t n_ids, const char *rel,
                                   const char *who)
{
    char path[4096 + 64], prefix[4096 + 64];
    struct stat sb;
    if (!out_path(p, rel, "", path, sizeof path) ||
        snprintf(prefix, sizeof prefix, "%s/", rel) >= (int)sizeof prefix)
        return hc_fail(HC_ERR_IO, "%s/%s: path too long; choose a shorter --out", p->out_dir,
                       rel);
    if (stat(path, &sb) == 0) {
        const struct file_id id = {sb.st_dev, sb.st_ino};
        if (!S_ISREG(sb.st_mode))
            return hc_fail(HC_ERR_INVALID_ARG, "%s is %s where %s goes; move it away or choose "
                           "another --out", path, S_ISDIR(sb.st_mode) ? "a folder" : "not a file",
                           who);
        if (bsearch(&id, ids, n_ids, sizeof *ids, by_id))
            return hc_fail(HC_ERR_INVALID_ARG, "%s is an input of the batch and %s goes there; "
                           "writing it would destroy the input: choose another --out", path,
                           who);
    }
    const struct clip *under = clip_under(l, prefix);
    if (under)
        return hc_fail(HC_ERR_INVALID_ARG, "%s: %s goes there, and the report of %s needs a "
                       "folder of that name; rename one of them or give them separate --out "
                       "folders", path, who, under->path);
    return HC_OK;
}

/* Every output of the run against the files on disk and each other, before anything is made:
 * the per-clip outputs of the clips to analyse and the batch's own files. */
static enum hc_status check_outputs(const struct hc_batch_params *p, const struct clip_list *l,
                                    struct clip *const *todo, size_t n_todo)
{
    struct file_id *ids = calloc(l->n + 1, sizeof *ids);
    size_t n_ids = 0;
    enum hc_status st = HC_OK;
    if (!ids)
        return hc_fail(HC_ERR_NOMEM, "batch: out of memory checking the outputs");
    struct stat sb;
    for (size_t i = 0; i < l->n; i++)
        if (stat(l->v[i].path, &sb) == 0)
            ids[n_ids++] = (struct file_id){sb.st_dev, sb.st_ino};
    if (p->analysis.rules_path && stat(p->analysis.rules_path, &sb) == 0)
        ids[n_ids++] = (struct file_id){sb.st_dev, sb.st_ino};
    qsort(ids, n_ids, sizeof *ids, by_id);
    char own[3][80], rel[4096], who[4096 + 64];
    const int n_own = own_names(p, own);
    for (int k = 0; k < n_own && st == HC_OK; k++) {
        snprintf(who, sizeof who, "the batch's %s", k < 2 ? "summary" : "index page");
        st = check_output(p, l, ids, n_ids, own[k], who);
    }
    for (size_t i = 0; i < n_todo && st == HC_OK; i++) {
        for (const struct report_format *const *f = report_formats; *f && st == HC_OK; f++) {
            if ((*f)->batch != 1 && !((*f)->batch == 2 && p->html))
                continue;
            snprintf(rel, sizeof rel, "%s.%s", todo[i]->name, (*f)->ext);
            snprintf(who, sizeof who, "the %s report of %s", (*f)->name, todo[i]->path);
            for (int k = 0; k < n_own && st == HC_OK; k++)
                if (strcmp(rel, own[k]) == 0)
                    st = hc_fail(HC_ERR_INVALID_ARG, "%s/%s: %s goes there, and so does the "
                                 "batch's own %s; rename the clip or give it its own --out",
                                 p->out_dir, rel, who, own[k]);
            if (st == HC_OK)
                st = check_output(p, l, ids, n_ids, rel, who);
        }
    }
    free(ids);
    return st;
}

/* OUTDIR and the report sub-folders of the clips to analyse made (mkdir -p) and each checked
 * writable, so a read-only folder stops the run before the first clip, not after the last. */
static enum hc_status make_out_dirs(const struct hc_batch_params *p, struct clip *const *todo,
                                    size_t n_todo)
{
    enum hc_status st;
    if ((st = make_dirs(p->out_dir)) != HC_OK ||
        (st = hc_dir_check_writable(p->out_dir, "batch --out")) != HC_OK)
        return st;
    char dir[4096 + 64], last[4096 + 64] = "";
    for (size_t i = 0; i < n_todo; i++) {
        const char *slash = strrchr(todo[i]->name, '/');
        if (!slash)
            continue;
        if (!out_path(p, todo[i]->name, "", dir, sizeof dir))
            return hc_fail(HC_ERR_IO, "%s: path too long", todo[i]->name);
        dir[strlen(dir) - strlen(slash)] = '\0';
        if (strcmp(dir, last) == 0)
            continue; /* the clips are in name order: a folder's clips mostly follow each other */
        if ((st = make_dirs(dir)) != HC_OK || (st = hc_dir_check_writable(dir, dir)) != HC_OK)
            return st;
        snprintf(last, sizeof last, "%s", dir);
    }
    return HC_OK;
}

struct hc_batch_params hc_batch_default_params(void)
{
    struct hc_batch_params p;
    memset(&p, 0, sizeof p);
    p.analysis = hc_analysis_default_params();
    p.shard_index = 1;
    p.n_shards = 1;
    return p;
}

enum hc_status hc_batch_run(const char *const *inputs, int n_inputs,
                            const struct hc_batch_params *p, struct hc_batch_result *out)
{
    struct hc_batch_result dummy;
    if (!out)
        out = &dummy;
    memset(out, 0, sizeof *out);
    if (!p || !inputs || n_inputs < 1 || !p->out_dir || !p->out_dir[0])
        return hc_fail(HC_ERR_INVALID_ARG, "batch: no inputs or no output folder");
    if (p->n_shards < 1 || p->shard_index < 1 || p->shard_index > p->n_shards)
        return hc_fail(HC_ERR_INVALID_ARG, "batch: shard %d/%d: K must be from 1 to N",
                       p->shard_index, p->n_shards);
    const double t0 = hc_now_s();
    struct clip_list l = {0};
    struct batch b;
    memset(&b, 0, sizeof b);
    struct hc_pose_models *models = NULL;
    char *sel = NULL;
    enum hc_status st = list_clips(inputs, n_inputs, &l);
    if (st != HC_OK)
        goto done;
    out->n_clips = (int)l.n;
    sel = calloc(l.n, 1);
    b.todo = calloc(l.n, sizeof *b.todo);
    if (!sel || !b.todo) {
        st = hc_fail(HC_ERR_NOMEM, "batch: out of memory");
        goto done;
    }
    for (size_t i = 0; i < l.n; i++) {
        struct report_batch_row row;
        if (i % (size_t)p->n_shards != (size_t)(p->shard_index - 1))
            continue;
        sel[i] = 1;
        out->n_selected++;
        if (!p->force && report_current(p, &l.v[i], &row)) {
            out->n_skipped++;
            continue;
        }
        l.v[i].todo = 1;
        b.todo[b.n_todo++] = &l.v[i];
    }
    /* nothing is made or analysed before every output is known to be writable */
    if ((st = check_outputs(p, &l, b.todo, b.n_todo)) != HC_OK ||
        (st = make_out_dirs(p, b.todo, b.n_todo)) != HC_OK)
        goto done;
    if (b.n_todo > 0) {
        b.p = p;
        b.ap = p->analysis;
        if ((st = hc_pose_models_load(&p->analysis.clip.pose, &models)) != HC_OK)
            goto done;
        b.ap.clip.pose.models = models;
        const int threads = p->analysis.clip.pose.n_threads > 0 ? p->analysis.clip.pose.n_threads
                                                                : 1;
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        cores = cores > 0 ? cores : 1;
        int jobs = p->n_jobs > 0 ? p->n_jobs : (int)(cores / threads > 0 ? cores / threads : 1);
        if ((long)jobs * threads > cores)
            hc_log(HC_LOG_WARN, "batch: %d workers x %d inference threads on %ld cores: more "
                   "busy threads than cores slows every worker down; use --jobs %ld",
                   jobs, threads, cores, cores / threads > 0 ? cores / threads : 1);
        b.n_workers = jobs < (int)b.n_todo ? jobs : (int)b.n_todo;
        b.one_thread = b.n_workers > 1;
        b.workers = calloc((size_t)b.n_workers, sizeof *b.workers);
        if (!b.workers || pthread_mutex_init(&b.lock, NULL) != 0) {
            st = hc_fail(HC_ERR_NOMEM, "batch: out of memory");
            goto done;
        }
        b.t0 = t0;
        int started = 0;
        for (; started < b.n_workers; started++) {
            b.workers[started].b = &b;
            if (pthread_create(&b.workers[started].thread, NULL, worker_main,
                               &b.workers[started]) != 0)
                break;
        }
        if (started == 0)
            worker_main(&b.workers[0]); /* no thread to be had: work on this one */
        for (int i = 0; i < started; i++)
            pthread_join(b.workers[i].thread, NULL);
        pthread_mutex_destroy(&b.lock);
        out->n_analysed = b.n_done;
        out->cancelled = b.stop;
    }
    out->n_pending = out->n_selected - out->n_skipped - out->n_analysed;
    st = write_summary(p, &l, sel, out);
done:
    out->elapsed_s = hc_now_s() - t0;
    hc_pose_models_free(models);
    free(b.workers);
    free(b.todo);
    free(sel);
    clips_free(&l);
    return st;
}
