/*
 * core.h - status, logging and small helpers shared by every module (internal).
 *
 * Every module reports failures as: `return hc_fail(HC_ERR_IO, "%s: cannot open (%s); check the
 * path", path, strerror(errno));` which logs the message, stores it for hc_last_error() and returns
 * the status. Messages name the file and what to do about it.
 *
 * The shared public types, without the public API. The modules need a few things of
 * include/hingecheck.h: enum hc_status, hc_strerror, hc_status_exit_code, hc_last_error,
 * hc_version, enum hc_log_level, the landmarks (HC_N_LANDMARKS, enum hc_landmark_index, struct
 * hc_landmark, struct hc_pose_frame) and struct hc_video_info. Including the public header here
 * would hand every module the whole API (kin calling hc_analyse_file) where
 * tests/test_layering.sh cannot see it. The public header cannot include a project header
 * either: it must stay self-contained. So it stays the one definition, and those parts of it are
 * marked as blocks "#ifndef HC_SHARED_CORE ... #endif"; cmake/HcPublicShare.cmake copies the
 * blocks at configure time into <build>/gen/core/hc_public_core.h, included below, under the same
 * guard, so a file that includes both headers gets each definition once. No copy is kept by hand:
 * editing a block in the public header regenerates the copy. (The track API is shared the same
 * way with src/track: HC_SHARED_TRACK.) Only the modules that define public functions (the .c
 * files of core, video, nn, pose), the driver and the CLI include hingecheck.h itself.
 */
#ifndef HC_CORE_H
#define HC_CORE_H

#include "core/hc_public_core.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define HC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HC_PRINTF(a, b)
#endif

#define HC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Log a message at `level` through the installed sink. */
void hc_log(enum hc_log_level level, const char *fmt, ...) HC_PRINTF(2, 3);
void hc_vlog(enum hc_log_level level, const char *fmt, va_list ap);

/* Record `fmt` as this thread's last error (see hc_last_error), log it at HC_LOG_DEBUG (the caller
 * decides whether the user sees it) and return `st`. */
enum hc_status hc_fail(enum hc_status st, const char *fmt, ...) HC_PRINTF(2, 3);

/* Clear this thread's last error. */
void hc_clear_error(void);

/* Overflow-checked size arithmetic: return 0 and set *out on success, -1 on overflow. */
int hc_mul_size(size_t a, size_t b, size_t *out);
int hc_add_size(size_t a, size_t b, size_t *out);

/* Monotonic clock in seconds, for timings in benchmarks and progress. */
double hc_now_s(void);
/* CPU time the calling thread has used, in seconds (0 where the clock is missing): which stage of
 * a threaded run bounds it (bench/). */
double hc_thread_cpu_s(void);

/* ---- atomic replace of an output file (replace.c) ----------------------------------------
 * Write under a temporary name beside the target and rename it over the target at the end, so a
 * reader or a killed run never sees half a file:
 *
 *     char tmp[HC_TEMP_PATH_MAX];
 *     FILE *f;
 *     enum hc_status st = hc_replace_open(path, tmp, sizeof tmp, &f);
 *     if (st != HC_OK)
 *         return st;
 *     st = write_it(f);
 *     return hc_replace_close(f, tmp, path, st);   // renamed on HC_OK, else removed
 */
#define HC_TEMP_PATH_MAX (4096 + 64)

/* The temporary name for `path`: "<path>.tmp.<pid>", or with keep_ext "<stem>.tmp.<pid><.ext>"
 * (for writers that pick the format from the extension). HC_ERR_INVALID_ARG when it does not fit
 * in tmp[n]. */
enum hc_status hc_replace_temp_path(const char *path, int keep_ext, char *tmp, size_t n);
/* Fills tmp[n] with the temporary name and opens it for writing ("wb") into *out. */
enum hc_status hc_replace_open(const char *path, char *tmp, size_t n, FILE **out);
/* Ends a replace begun with hc_replace_temp_path: when st is HC_OK renames tmp over path; when st
 * (or the rename) failed removes tmp. Returns st or the rename's error. */
enum hc_status hc_replace_finish(const char *tmp, const char *path, enum hc_status st);
/* Closes f (NULL: nothing to close), then hc_replace_finish; a failed close is an HC_ERR_IO. */
enum hc_status hc_replace_close(FILE *f, const char *tmp, const char *path, enum hc_status st);
/* Writes an output with write(f, user): "-" to stdout when stdout_ok, something that exists and
 * is not a regular file (/dev/null, /dev/stdout, a FIFO) in place (renaming over it would
 * replace the device), else a regular file by an atomic replace. Returns write's status or the
 * I/O error (messages name the path). */
enum hc_status hc_write_output(const char *path, int stdout_ok,
                               enum hc_status (*write)(FILE *f, void *user), void *user);

/* ---- output folders (paths.c) ------------------------------------------------------------- */

/* Whether a file can be made in `dir`, checked by making a probe file there and removing it:
 * HC_OK, else HC_ERR_IO with a message naming `what` (the output it is for), the folder and what
 * to do (it is missing; it is not writable, with the reason). */
enum hc_status hc_dir_check_writable(const char *dir, const char *what);
/* hc_outputs_check (hingecheck.h) without the folders' probe: only the clashes (an output that
 * is an input, another output or a folder), HC_ERR_INVALID_ARG. For the writers' own last check
 * that a report never replaces the clip it is drawn from. */
enum hc_status hc_outputs_clash(const char *const *inputs, size_t n_in,
                                const char *const *outputs, size_t n_out);
/* The path of file `to` relative to the folder of file `from` ("../clips/set1.mp4"), both
 * folders resolved (symbolic links, "..") and so required to exist, percent-encoded as a URL
 * path (hc_url_encode), into buf[n]. Returns 1, or 0 when a folder cannot be resolved or the
 * result does not fit. For a page that links a file beside it (the HTML report's video). */
int hc_path_href(const char *from, const char *to, char *buf, size_t n);

/* ---- order statistics (stats.c) ---------------------------------------------------------- */

/* qsort comparator: doubles in ascending order. */
int hc_cmp_double(const void *a, const void *b);
/* Sorts v[0..n) in place and returns its median (the mean of the two middle values when n is
 * even); NaN when n is 0. */
double hc_median_sort(double *v, size_t n);
/* Moves the finite values of v[0..n) to its front (in order), sorts them and returns their
 * median; NaN when there is none. */
double hc_median_finite(double *v, size_t n);

/* ---- strings (str.c) --------------------------------------------------------------------- */

/* A malloc'd copy of s (NULL is copied as ""); NULL when out of memory. */
char *hc_strdup(const char *s);

/* One damaged stretch in words: "frames 412-430 (6.87-7.17 s)", or "frame 411 (6.85 s)". */
void hc_damage_range_text(const struct hc_damage_range *r, char *buf, size_t n);
/* The stretches of d joined by ", ", as many as fit in buf, then "and N more"; "" without any. */
void hc_damage_text(const struct hc_damage *d, char *buf, size_t n);
/* Length of the valid UTF-8 sequence at s (1-4; overlong forms, surrogates and code points past
 * U+10FFFF are invalid), or 0 when s does not start one. */
size_t hc_utf8_len(const char *s);

/* Copies src into dst (size n, always terminated, cut at a whole character) for a terminal: control
 * bytes (C0, DEL), C1 controls (U+0080-U+009F) and bytes that are not UTF-8 become "\xNN" per
 * byte, so a file name or a file's text can neither move the cursor, clear the screen nor
 * switch the terminal's character set. */
void hc_escape_ctl(char *dst, size_t n, const char *src);

/* A malloc'd copy of s that is valid UTF-8: each byte that does not start a valid sequence
 * becomes U+FFFD (what JSON parsers and browsers expect); NULL when out of memory. */
char *hc_utf8_sanitize(const char *s);

/* A malloc'd CSV cell for text s (RFC 4180: quoted when it holds a comma, quote or line break,
 * quotes doubled), neutralised for spreadsheets: text starting with '=', '+', '-', '@', a tab or
 * a carriage return gets a leading single quote, so "=HYPERLINK(...)" in a clip name is shown,
 * not run. Numbers are written by the caller without it. Control bytes and bytes that are not
 * UTF-8 are escaped first (hc_escape_ctl). NULL is "". NULL when out of memory. */
char *hc_csv_cell(const char *s);

/* Percent-encodes s for a relative URL (href): bytes other than A-Z a-z 0-9 - . _ ~ / become %XX,
 * so spaces, quotes, '#', '?', ':' and non-ASCII bytes keep their meaning as part of the file
 * name. Writes at most n bytes with the terminator; returns the length it needs (as snprintf). */
size_t hc_url_encode(char *dst, size_t n, const char *s);

#endif /* HC_CORE_H */
