/* hc_shared_clips.h - a real clip of ../shared chosen by what it shows, not by its file name: the
 * one row of HC_SHARED_DIR/clips/INDEX.tsv that fits a description. Its file stem names both the
 * video (clips/<stem>.mp4) and MediaPipe's reference tracks (mpref/<stem>.smooth.jsonl, ...).
 *
 * A description is terms separated by '|', compared without regard to case:
 *     "EXERCISE | VIEW | MORE | MORE ..."
 * EXERCISE must occur in the exercise column, VIEW must begin the camera_view column, and each
 * MORE must occur in the duration/resolution/fps, approx_reps or labels_notes column. An empty
 * term matches anything. E.g. "kettlebell deadlift | side", "conventional barbell deadlift |
 * side | 1920x1080 | label=Good". The finder needs no test framework (bench/ uses it too). */
#ifndef HC_SHARED_CLIPS_H
#define HC_SHARED_CLIPS_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define HC_SHARED_CLIPS_MAX_TERMS 8
#define HC_SHARED_CLIPS_MAX_COLS 16

struct hc_shared_clip {
    char stem[256]; /* the clip's file name without ".mp4" */
    char why[2048]; /* why nothing was found, when nothing was */
};

/* s begins with (prefix 1) or contains (prefix 0) the n bytes of t, ignoring case. */
static inline int hc_shared_clips_has(const char *s, const char *t, size_t n, int prefix)
{
    for (const char *p = s; *p; p++) {
        size_t k = 0;
        while (k < n && p[k] && tolower((unsigned char)p[k]) == tolower((unsigned char)t[k]))
            k++;
        if (k == n)
            return 1;
        if (prefix)
            return 0;
    }
    return n == 0;
}

/* Splits line (changed in place) at tabs and the line end; returns the number of columns. */
static inline int hc_shared_clips_split(char *line, char **col)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < HC_SHARED_CLIPS_MAX_COLS; p++) {
        col[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p = '\0';
    }
    return n;
}

/* The index's column called name in the header, or -1. */
static inline int hc_shared_clips_col(char *const *head, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(head[i], name) == 0)
            return i;
    return -1;
}

/* Finds the one clip that fits desc. Returns 1 when found (c->stem set; prints which file the
 * description resolved to), 0 when the index cannot be opened (../shared absent: the caller
 * skips), -1 when no clip or several fit or the index lacks a column (c->why says which). */
static inline int hc_shared_clip_find(const char *desc, struct hc_shared_clip *c)
{
    const char *term[HC_SHARED_CLIPS_MAX_TERMS];
    size_t len[HC_SHARED_CLIPS_MAX_TERMS];
    int n_terms = 0;
    memset(c, 0, sizeof *c);
    int n_bars = 0;
    for (const char *p = desc; *p; p++)
        n_bars += *p == '|';
    if (n_bars >= HC_SHARED_CLIPS_MAX_TERMS) {
        snprintf(c->why, sizeof c->why, "\"%s\": more than %d terms", desc,
                 HC_SHARED_CLIPS_MAX_TERMS);
        return -1;
    }
    for (const char *p = desc; n_terms < HC_SHARED_CLIPS_MAX_TERMS; p++) {
        const char *end = strchr(p, '|');
        if (!end)
            end = p + strlen(p);
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *e = end;
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        term[n_terms] = p;
        len[n_terms++] = (size_t)(e - p);
        if (!*end)
            break;
        p = end;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/clips/INDEX.tsv", HC_SHARED_DIR);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(c->why, sizeof c->why, "%s not found", path);
        return 0;
    }
    static const char *const names[] = {"file", "exercise", "camera_view",
                                        "duration/resolution/fps", "approx_reps", "labels_notes"};
    int at[6];
    char head[4096], line[4096], *col[HC_SHARED_CLIPS_MAX_COLS];
    if (!fgets(head, sizeof head, f)) {
        snprintf(c->why, sizeof c->why, "%s is empty", path);
        fclose(f);
        return -1;
    }
    const int n_head = hc_shared_clips_split(head, col);
    for (int i = 0; i < 6; i++)
        if ((at[i] = hc_shared_clips_col(col, n_head, names[i])) < 0) {
            snprintf(c->why, sizeof c->why, "%s has no column '%s'", path, names[i]);
            fclose(f);
            return -1;
        }
    int n_fit = 0;
    char fits[512] = "";
    while (fgets(line, sizeof line, f)) {
        const int n = hc_shared_clips_split(line, col);
        if (n < n_head)
            continue;
        int ok = hc_shared_clips_has(col[at[1]], term[0], len[0], 0) &&
                 (n_terms < 2 || hc_shared_clips_has(col[at[2]], term[1], len[1], 1));
        for (int t = 2; ok && t < n_terms; t++)
            ok = hc_shared_clips_has(col[at[3]], term[t], len[t], 0) ||
                 hc_shared_clips_has(col[at[4]], term[t], len[t], 0) ||
                 hc_shared_clips_has(col[at[5]], term[t], len[t], 0);
        if (!ok)
            continue;
        if (n_fit++ == 0) {
            const char *file = col[at[0]];
            size_t stem_len = strlen(file);
            if (stem_len > 4 && strcmp(file + stem_len - 4, ".mp4") == 0)
                stem_len -= 4;
            snprintf(c->stem, sizeof c->stem, "%.*s", (int)stem_len, file);
        }
        const size_t l = strlen(fits);
        if (n_fit <= 4) /* the first few name the ambiguity well enough */
            snprintf(fits + l, sizeof fits - l, "%s%s", l ? ", " : "", col[at[0]]);
        else if (n_fit == 5)
            snprintf(fits + l, sizeof fits - l, ", ...");
    }
    fclose(f);
    if (n_fit == 1) {
        printf("shared clip \"%s\" is %s\n", desc, c->stem);
        return 1;
    }
    if (n_fit == 0)
        snprintf(c->why, sizeof c->why, "no clip in %s fits \"%s\"", path, desc);
    else
        snprintf(c->why, sizeof c->why, "%d clips in %s fit \"%s\" (%s): describe it more closely",
                 n_fit, path, desc, fits);
    c->stem[0] = '\0';
    return -1;
}

#ifdef ck_assert_msg
/* In a Check test (check.h included first): hc_shared_clip_find that fails the test when the
 * description fits no clip or several. 1: found; 0: ../shared is absent, a SKIP line says so and
 * the caller returns. */
static inline int hc_shared_clip_check(const char *desc, struct hc_shared_clip *c)
{
    const int found = hc_shared_clip_find(desc, c);
    ck_assert_msg(found >= 0, "%s", c->why);
    if (!found)
        printf("SKIP \"%s\": %s\n", desc, c->why);
    return found;
}
#endif

#endif /* HC_SHARED_CLIPS_H */
