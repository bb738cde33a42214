/*
 * report_visual.h - the drawing of the visual formats (internal): the overlay's annotations of one
 * frame, the HTML page's key frames, and batch's HTML index page.
 *
 * The writers here never decode or encode video: the driver's render pass (src/pipeline/pass_render.c)
 * decodes the clip once, in order, and for each frame asks report_format_overlay.draw_frame to
 * draw on it (then encodes it) and report_keyframe_draw to cut a rep's key frame from it (then
 * encodes the JPEG and hands it to the HTML writer in report_input.keyframes).
 *
 * The pose frames, the kinematic series and the reps' per-frame arrays of a report_input are
 * parallel: entry i of each is the same analysed frame (as src/pipeline/pipeline.c builds them).
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

/* Draws one frame's annotations onto an RGB24 image (the overlay's per-frame step; also the key
 * frames). `i` is the pose/series index of the frame, or REPORT_NO_FRAME for a frame the analysis
 * has not seen (tagged "no pose" with the HUD). view: the part of the clip's frame the image
 * shows, {x0, y0, width, height} in clip pixels (a key frame's crop), or NULL for the whole frame;
 * landmarks are mapped to the image and line widths and text follow its size. flags:
 * VISUAL_DRAW_HUD adds the rep counter, phase label, end-of-rep banner and "no pose" tag;
 * VISUAL_DRAW_BAR_PATH the current rep's bar path. */
enum { VISUAL_DRAW_HUD = 1, VISUAL_DRAW_BAR_PATH = 2 };
void visual_draw_frame(const struct report_input *in, size_t i, uint8_t *rgb, int width_px,
                       int height_px, int stride, const double *view, unsigned flags);

/* The overlay video's size: the clip's, scaled down (aspect kept) so that its shorter side is at
 * most `size_px` (hc_report_options.overlay_size_px: 0 is HC_OVERLAY_SIZE_DEFAULT_PX) and its
 * longer at most 16/9 of that, with even sides (H.264 4:2:0). The decoding, drawing and encoding
 * then cost what they cost at that size, and their memory stays bounded whatever the clip's
 * size (docs/PERFORMANCE.md, "The drawn reports"). */
void report_overlay_size(int width_px, int height_px, int size_px, int *out_w, int *out_h);
/* Scales an RGB24 frame to the overlay's size (area average when shrinking). */
void report_overlay_fit(const uint8_t *src, int width_px, int height_px, int stride, uint8_t *dst,
                        int out_w, int out_h, int out_stride);

/* The HTML page's key frames: the height in pixels (240: four fit across a laptop screen) and
 * the largest buffer report_keyframe_draw fills (the widest key frame is 4:3, plus rounding). */
#define REPORT_KEYFRAME_HEIGHT 240
#define REPORT_KEYFRAME_MAX_WIDTH (REPORT_KEYFRAME_HEIGHT * 4 / 3 + 4)

/* Cuts the key frame of analysed frame i from a decoded frame `rgb` (rotation applied; the clip's
 * frame, or the clip's frame scaled to rgb_width_px x rgb_height_px; NULL: a plain dark
 * background), shrinks it to REPORT_KEYFRAME_HEIGHT pixels and draws the skeleton on it. out holds
 * REPORT_KEYFRAME_MAX_WIDTH x REPORT_KEYFRAME_HEIGHT pixels (stride 3 x *width_px); *width_px and
 * *height_px get the key frame's size. */
void report_keyframe_draw(const struct report_input *in, size_t i, const uint8_t *rgb,
                          int rgb_width_px, int rgb_height_px, int stride, uint8_t *out,
                          int *width_px, int *height_px);

/* The worst moment of each finding for the HTML page: taller than the key frames, so the
 * value and the limit written on it stay legible. */
#define REPORT_FAULT_HEIGHT 360
#define REPORT_FAULT_MAX_WIDTH (REPORT_FAULT_HEIGHT * 4 / 3 + 4)

/* The analysed frame of finding k's worst moment (rules_finding.worst_i) when the HTML page
 * shows it: a rep's warning, error or borderline finding; -1 for the others. */
long report_fault_frame(const struct report_input *in, size_t k);

/* Cuts the frame of finding k's worst moment (analysed frame i) like report_keyframe_draw, at
 * REPORT_FAULT_HEIGHT pixels (out holds REPORT_FAULT_MAX_WIDTH x REPORT_FAULT_HEIGHT), and
 * draws the fault on it: the joints the metric is measured on, the angle or distance that
 * broke the limit, and the value against the limit in words. */
void report_fault_draw(const struct report_input *in, size_t k, size_t i, const uint8_t *rgb,
                       int rgb_width_px, int rgb_height_px, int stride, uint8_t *out,
                       int *width_px, int *height_px);

/* Draws finding k's fault on an image of frame i (visual_draw_frame's view and sizes): the
 * metric's joints and line in the finding's colour, and a panel with the value and the limit. */
void visual_draw_fault(const struct report_input *in, size_t k, size_t i, uint8_t *rgb,
                       int width_px, int height_px, int stride, const double *view);

/* One row of the batch index page. */
struct visual_index_entry {
    const char *clip; /* clip name */
    const char *href; /* its report, relative to the index */
    const char *lift; /* detected lift name; may be NULL */
    size_t n_reps;
    double score;        /* set score, NaN when none */
    const char *cues[3]; /* the top cues' rule ids, best first; NULL when fewer (shown in
                            words: report_rule_title) */
    int worst;           /* worst finding: -1 none, 0 info, 1 warning, 2 error */
    const char *error;   /* non-NULL: the clip failed with this message */
};
/* The batch index page: one row per clip (verdict, score, cues in words), sortable by clicking
 * a column's header. */
enum hc_status visual_write_html_index(const struct visual_index_entry *e, size_t n,
                                       const char *title, const char *out_path);

#endif /* HC_REPORT_VISUAL_H */
