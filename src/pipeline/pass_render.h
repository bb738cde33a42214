/*
 * pass_render.h - the render pass: the one place the reports' video is decoded and encoded,
 * and the writing of report files (internal to the driver library).
 *
 * The report formats take results only (src/report/report.h). Those that show the clip (the
 * overlay video: draw_frame; the HTML page's key frames: REPORT_KEYFRAMES) are written here from
 * one in-order decode of the clip, however many of them are asked for:
 *
 *     struct analysis_output out[2] = {{.format = &report_format_html, .path = "set1.html"},
 *                                    {.format = &report_format_overlay, .path = "set1.mp4"}};
 *     const struct analysis_source src = {.video_path = "set1.mp4"};
 *     st = analysis_render(&in, &opts, &src, out, 2);   // out[k].status, out[k].error each
 */
#ifndef HC_ANALYSIS_RENDER_H
#define HC_ANALYSIS_RENDER_H

#include "hingecheck.h"
#include "report/report.h"

struct analysis_output {
    const struct report_format *format; /* any format of the table */
    const char *path;                   /* where (as analysis_write_file takes it) */
    enum hc_status status;              /* out: HC_OK, or why it was not written */
    char error[1024];                   /* out: the failure's message ("" when written) */
};

struct analysis_source {
    const char *video_path; /* the clip to draw on; NULL: none (the key frames show the skeleton
                               on a plain background; a video format fails) */
    double start_s, end_s;  /* the decoder's range, rotation applied (0, 0: the whole clip) */
    int (*cancel)(void *user); /* polled once a decoded frame; nonzero abandons the outputs that
                                  show the clip (HC_ERR_CANCELLED, temporary files removed) */
    void *cancel_user;
    hc_progress_fn progress; /* the stage "drawing", per frame decoded; NULL: none */
    void *progress_user;
};

/* Writes each output: documents without key frames straight from `in`; the formats that show the
 * clip from one decode of src->video_path, in order (the decode stops early when only key frames
 * are wanted and all have come). A key frame whose video frame never comes (no video, damaged
 * tail, other size) shows the skeleton on a plain background; a video format needs the whole
 * clip. When src->cancel asks to stop, the outputs that show the clip are abandoned (status
 * HC_ERR_CANCELLED) and the documents are still written. Every output is attempted; returns HC_OK
 * or the first failure (hc_last_error() then holds
 * its message; each output's own is in out[k].error). */
enum hc_status analysis_render(const struct report_input *in, const struct report_options *o,
                               const struct analysis_source *src, struct analysis_output *out,
                               size_t n);

/* Writes a document format (fmt->write) to `path`. "-" is stdout for REPORT_STDOUT formats.
 * A regular file is written to a temporary name beside it and renamed, so a killed run never
 * leaves half a report; a device or FIFO (/dev/null, /dev/stdout) is written in place. */
enum hc_status analysis_write_file(const struct report_format *fmt,
                                   const struct report_input *in, const struct report_options *o,
                                   const char *path);

#endif /* HC_ANALYSIS_RENDER_H */
