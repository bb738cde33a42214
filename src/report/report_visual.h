/*
 * report_visual.h - the visual writers (internal): the annotated overlay video and the
 * self-contained HTML report, built on the analysis' internal results.
 *
 *     struct visual_clip c = {
 *         .source = "set1.mp4", .video_path = "set1.mp4", .info = &info,
 *         .frames = poses, .n_frames = n, .ks = ks, .rr = rr, .res = res, .rs = rs};
 *     struct visual_overlay_params op = visual_overlay_default_params();
 *     st = visual_write_overlay(&c, &op, "set1.overlay.mp4");
 *     struct visual_html_params hp = visual_html_default_params();
 *     st = visual_write_html(&c, &hp, "set1.html");
 *
 * The pose frames, the kinematic series and the reps' per-frame arrays are parallel: entry i of
 * each is the same frame (as src/analysis.c builds them). The video is decoded again for the
 * overlay and for the report's thumbnails, so nothing of it is kept in memory between stages.
 * Batch mode: visual_write_html per clip, then visual_write_html_index over the clips.
 */
#ifndef HC_REPORT_VISUAL_H
#define HC_REPORT_VISUAL_H

#include "core/core.h"
#include "kin/kin.h"
#include "reps/reps.h"
#include "report/report.h"
#include "rules/rules.h"

#include <stddef.h>
#include <stdio.h>

struct visual_clip {
    const char *source;               /* the clip's name as the user gave it (shown) */
    const char *video_path;           /* the video to decode (overlay, thumbnails); NULL: none,
                                         the HTML thumbnails then show the skeleton alone */
    const struct hc_video_info *info; /* clip facts; NULL: width/height/fps below */
    int width_px, height_px;          /* pixel space of the landmarks (used when info NULL) */
    double fps;
    double start_s, end_s; /* the analysed range of the video (0, 0: whole clip) */
    const struct hc_pose_frame *frames;
    size_t n_frames;
    const struct kin_series *ks;  /* n_frames entries */
    const struct reps_result *rr; /* n_frames entries in phase / rep_of */
    const struct rules_result *res;
    const struct rules_set *rs; /* the rule table (target bands); may be NULL */
    const char *model;          /* pose model name shown in the report; may be NULL */
    const char *note;           /* why there is no verdict (no lifter, no rep): shown
                                   under the score; NULL or "" when there is one */
};

struct visual_overlay_params {
    int crf;         /* H.264 quality (0: the writer's default, 23) */
    double banner_s; /* how long a rep's end banner stays up (2.0 s) */
};
struct visual_overlay_params visual_overlay_default_params(void);

/* Decodes c->video_path again (rotation applied) over [start_s, end_s] and writes every frame
 * with the annotations to out_path: H.264 yuv420p MP4 with faststart, the input's frame rate and
 * times. Streams frame by frame: memory is a few frames whatever the length (4K is fine).
 * Errors: those of the decoder and writer (HC_ERR_IO naming out_path when it cannot be written),
 * HC_ERR_INVALID_ARG (no video path, or the results do not cover the frames). */
enum hc_status visual_write_overlay(const struct visual_clip *c,
                                    const struct visual_overlay_params *p, const char *out_path);

/* Draws one frame's annotations onto an RGB24 image (the overlay's per-frame step; also the
 * thumbnails). `i` is the pose/series index of the frame, or VISUAL_NO_FRAME for a frame the
 * analysis has not seen (tagged "no pose" with the HUD). view: the part of the clip's frame the
 * image shows, {x0, y0, width, height} in clip pixels (a thumbnail's crop), or NULL for the
 * whole frame; landmarks are mapped to the image and line widths and text follow its size.
 * flags: VISUAL_DRAW_HUD adds the rep counter, phase label, end-of-rep banner and "no pose" tag;
 * VISUAL_DRAW_BAR_PATH the current rep's bar path. */
#define VISUAL_NO_FRAME ((size_t)-1)
enum { VISUAL_DRAW_HUD = 1, VISUAL_DRAW_BAR_PATH = 2 };
void visual_draw_frame(const struct visual_clip *c, size_t i, uint8_t *rgb, int width_px,
                       int height_px, int stride, const double *view, unsigned flags,
                       double banner_s);

struct visual_html_params {
    int thumb_height_px;   /* key-frame thumbnails (240) */
    int jpeg_quality;      /* 1..100 (85) */
    const char *back_link; /* batch: href of the index page shown at the top; NULL */
};
struct visual_html_params visual_html_default_params(void);

/* Writes the self-contained HTML report (inline CSS, SVG and JS; thumbnails as base64 JPEG).
 * visual_write_html_file writes to an open stream. HC_ERR_IO when the file cannot be written. */
enum hc_status visual_write_html(const struct visual_clip *c, const struct visual_html_params *p,
                                 const char *out_path);
enum hc_status visual_write_html_file(const struct visual_clip *c,
                                      const struct visual_html_params *p, FILE *f,
                                      const char *name);

/* One row of the batch index page. */
struct visual_index_entry {
    const char *clip; /* clip name */
    const char *href; /* its report, relative to the index */
    const char *lift; /* detected lift name; may be NULL */
    size_t n_reps;
    double score;        /* set score, NaN when none */
    const char *top_cue; /* may be NULL */
    const char *error;   /* non-NULL: the clip failed with this message */
};
enum hc_status visual_write_html_index(const struct visual_index_entry *e, size_t n,
                                       const char *title, const char *out_path);

/* ---- helpers shared by the visual writers (report_visual_common.c) --------------------- */

/* Frame size of the clip (info when present). */
void visual_clip_size(const struct visual_clip *c, int *w, int *h);

#endif /* HC_REPORT_VISUAL_H */
