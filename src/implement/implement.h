/*
 * implement.h - the implement, found in the image: which one the lifter holds (barbell with
 * plates, kettlebell, dumbbell, none) and, per frame, where it is, from round outlines near the
 * hands. Fed each frame the pose pass already decoded, with that frame's pose.
 *
 *     struct implement_params p = implement_default_params();
 *     p.plate_cm = 45.0;                                  // --plate-cm
 *     struct implement_detector *d;
 *     if (implement_detector_create(&p, &d) != HC_OK) { ...hc_last_error()... }
 *     for each decoded frame (RGB24 rgb, w x h, stride) and its pose fr:
 *         struct implement_frame f;
 *         implement_detector_feed(d, rgb, w, h, stride, &fr, &f);
 *         if (f.kind == IMPLEMENT_BARBELL) { bar = (f.cx_px, f.cy_px); ... }
 *         // a joint inside the near plate may be hidden whatever its visibility says:
 *         if (implement_frame_covers(&f, x, y, 0.0)) ...
 *     struct implement_verdict v;
 *     implement_detector_verdict(d, &v);    // v.kind, v.confidence, v.evidence
 *     implement_detector_free(d);
 *
 * Search: a square around the hands, sized from the body (the longest of the shins and thighs in
 * the image, a robust stand-in for 43 cm on an adult), shrunk so the shin spans crop_shin_px
 * pixels; candidates from a Hough transform there (every full_search_every frames, or when the
 * last frame's circle is lost) or from a narrow search around the last frame's circle; each scored
 * by the share of its outline where the image has an edge across it (no bare stretch over 54
 * degrees), then refined on the full frame. A circle centred at the hands is a plate (diameter at
 * least 0.6 shin) or a dumbbell head (smaller); one hanging below the hands along the forearm's
 * line is a kettlebell. docs/IMPLEMENT.md: the checks, their sources, costs and limits, and how
 * the driver calls it. Side views only for now: in a front view the plates are beside the hands.
 */
#ifndef HC_IMPLEMENT_H
#define HC_IMPLEMENT_H

#include "core/core.h"

#include <stdint.h>

enum implement_kind {
    IMPLEMENT_UNKNOWN = 0,  /* not enough frames with a lifter to say */
    IMPLEMENT_NONE = 1,     /* hands seen, nothing round at them */
    IMPLEMENT_BARBELL = 2,  /* plates centred at the hands (the bar's end) */
    IMPLEMENT_KETTLEBELL = 3, /* a bell hanging below the hands */
    IMPLEMENT_DUMBBELL = 4  /* a small head centred at the hands */
};
#define IMPLEMENT_N_KINDS 5

/* "unknown", "none", "barbell", "kettlebell", "dumbbell" */
const char *implement_kind_name(enum implement_kind k);

struct implement_params {
    double plate_cm;          /* diameter of a standard plate (45: IWF/IPF 20-25 kg plates) */
    double shin_cm;           /* the body's scale: knee-to-ankle (and hip-to-knee) length, 43 */
    int crop_shin_px;         /* the shin's length in the search crop (48) */
    int full_search_every;    /* a full search at least every this many frames (15) */
    double min_quality;       /* least share of an outline with an edge to count it found (0.6;
                               * bells and dumbbell heads need 0.1 more) */
    double min_share;         /* least share of frames with it found for a verdict (0.3) */
    double none_share;        /* at most this share found of every kind: "none" (0.1) */
    int min_frames;           /* frames with a lifter needed for any verdict (8) */
    int64_t n_frames_hint;    /* expected frames, to size the per-frame store (0: grows) */
};
struct implement_params implement_default_params(void);

/* One frame's finding. Coordinates are frame pixels (continuous: pixel j covers [j, j + 1)). */
struct implement_frame {
    int64_t index;            /* the pose frame's index */
    double t_s;
    enum implement_kind kind; /* found on this frame: UNKNOWN without a pose, NONE when nothing */
    float cx_px, cy_px;       /* circle centre: for a barbell the bar's end, i.e. the bar */
    float r_px;               /* circle radius */
    float quality;            /* share of the outline with an edge across it, 0-1 */
    float gap;                /* longest stretch of the outline without one, share of 360 deg */
    float ellipse[5];         /* outline as an ellipse (cx, cy, semi-axis a, b, angle deg); a == 0
                               * when no ellipse was fitted */
    float hand_x_px, hand_y_px; /* the hands' centre (mean of wrists, index and pinky knuckles) */
    float shin_px;            /* the body's scale on this frame */
    int tracked;              /* 1: found by the narrow search around the last frame's circle */
    float ms;                 /* CPU time spent on this frame (the thread's clock) */
};

struct implement_verdict {
    enum implement_kind kind;
    double confidence;        /* 0-1 */
    char evidence[320];       /* in words, for reports */
    int64_t n_frames;         /* frames fed */
    int64_t n_analysed;       /* ... with a lifter (the hands searched) */
    int64_t n_found[IMPLEMENT_N_KINDS]; /* frames where each kind was found */
    double share_found;       /* n_found[kind] / n_analysed (for NONE: of the most found kind) */
    double diameter_px;       /* median outline diameter over the frames where kind was found */
    double shin_px;           /* median body scale */
    double diameter_cm_body;  /* diameter_px measured with the body (shin = shin_cm) */
    double px_per_cm;         /* barbell: from the plate (plate_cm), else from the body */
    int plates_small;         /* barbell: the plates look smaller than plate_cm for this body */
    double ms_per_frame;      /* mean time per fed frame */
};

struct implement_detector;

enum hc_status implement_detector_create(const struct implement_params *p,
                                         struct implement_detector **out);
void implement_detector_free(struct implement_detector *d); /* NULL-safe */

/* One frame, in order: rgb (RGB24, rows `stride` bytes apart, w x h: the frame the landmarks are
 * in) and its pose (has_pose 0 is fine: recorded as UNKNOWN). rgb may be NULL on frames not
 * decoded: also UNKNOWN. out (may be NULL) receives the finding, which is also kept.
 * HC_ERR_INVALID_ARG on bad sizes, HC_ERR_NOMEM. */
enum hc_status implement_detector_feed(struct implement_detector *d, const uint8_t *rgb, int w,
                                       int h, int stride, const struct hc_pose_frame *pose,
                                       struct implement_frame *out);

/* The findings so far, one per fed frame (borrowed until the next feed or free). */
const struct implement_frame *implement_detector_frames(const struct implement_detector *d,
                                                        int64_t *n);

/* Appends src's findings from its `first` on to d's, their frame index moved by index_shift, as
 * if d had been fed those frames: a clip tracked as two stretches on two detectors (the second one
 * fed a run-up before its share, src/pipeline/pass_pose.c) gets one verdict. HC_ERR_NOMEM. */
enum hc_status implement_detector_append(struct implement_detector *d,
                                         const struct implement_detector *src, int64_t first,
                                         int64_t index_shift);

/* The clip-level verdict from the frames fed so far. HC_ERR_NOMEM. */
enum hc_status implement_detector_verdict(const struct implement_detector *d,
                                          struct implement_verdict *v);

/* The same verdict from frames kept elsewhere (a track written by an analysis): p the detector's
 * parameters (plate_cm, ...), total_ms their summed CPU time (0: not known). HC_ERR_NOMEM. */
enum hc_status implement_verdict_of(const struct implement_params *p,
                                    const struct implement_frame *frames, int64_t n_frames,
                                    double total_ms, struct implement_verdict *v);

/* The kind named by implement_kind_name, or -1. */
int implement_kind_from_name(const char *name);

/* 1 when (x, y) lies inside the frame's plate (or bell) outline grown by margin_px: a joint there
 * may be hidden behind it whatever the pose model's visibility says. 0 otherwise or when nothing
 * was found. */
int implement_frame_covers(const struct implement_frame *f, double x, double y, double margin_px);

#endif /* HC_IMPLEMENT_H */
