/*
 * hingecheck.h - the one public header of hingecheck, a form checker for recorded hip-hinge
 * lift videos. Standard headers only; plain C11.
 *
 * Usage:
 *
 *     #include <hingecheck.h>
 *
 *     struct hc_video_info info;
 *     enum hc_status st = hc_probe_file("set1.mp4", &info);
 *     if (st != HC_OK) {
 *         fprintf(stderr, "%s\n", hc_last_error());   // names the file and what to do
 *         return hc_status_exit_code(st);
 *     }
 *     printf("%dx%d @ %.2f fps\n", info.width_px, info.height_px, info.fps);
 *
 * Conventions: functions that can fail return enum hc_status and hand objects back through a
 * trailing `**out` (set to NULL on failure); every _create/_load has a NULL-safe _free; units are
 * in field names (_deg, _s, _ms, _px, _cm); counts are n_*.
 */
#ifndef HINGECHECK_H
#define HINGECHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HC_VERSION_MAJOR 0
#define HC_VERSION_MINOR 1
#define HC_VERSION_PATCH 0
#define HC_VERSION_STRING "0.1.0"

/* ---- status ------------------------------------------------------------------------------ */

#ifndef HC_SHARED_CORE
enum hc_status {
    HC_OK = 0,
    HC_ERR_INVALID_ARG = -1, /* a caller passed something out of range */
    HC_ERR_NOMEM = -2,       /* allocation failed */
    HC_ERR_IO = -3,          /* file missing, unreadable, unwritable */
    HC_ERR_DECODE = -4,      /* media file corrupt or truncated beyond use */
    HC_ERR_MODEL = -5,       /* model file missing, corrupt or using an unsupported op */
    HC_ERR_FORMAT = -6,      /* not a media file (or a malformed data file: track, rules) */
    HC_ERR_NO_VIDEO = -7,    /* media file without a video stream (audio only) */
    HC_ERR_TOO_LARGE = -8,   /* dimensions or sizes beyond what the tool accepts */
    HC_ERR_EMPTY = -9,       /* zero decodable frames */
    HC_ERR_NO_POSE = -10,    /* no lifter found in the clip */
    HC_ERR_NO_REPS = -11,    /* a lifter, but no repetition found */
    HC_ERR_UNSUPPORTED = -12,/* valid input the tool cannot handle (codec, op, option) */
    HC_ERR_CANCELLED = -13,  /* stopped on request (Ctrl-C) */
    HC_ERR_INTERNAL = -14,   /* a bug: please report it */
    HC_ERR_PAIR = -15        /* two clips that cannot be one set's two cameras (the same file,
                                two side views, swapped, no shared movement to align) */
};

/* A short constant description of a status ("input file is corrupt or truncated"). */
const char *hc_strerror(enum hc_status st);

/* The process exit code the CLI uses for a status: 0 ok, 2 input or model error, 3 no lifter or
 * no rep found, 5 two clips that are not a side and a front view of one set (see README "Exit
 * codes"). */
int hc_status_exit_code(enum hc_status st);

/* The last detailed error message set on this thread (names the file and what to do), or "" */
const char *hc_last_error(void);
#endif /* HC_SHARED_CORE */

/* ---- logging ----------------------------------------------------------------------------- */

#ifndef HC_SHARED_CORE
enum hc_log_level { HC_LOG_ERROR = 0, HC_LOG_WARN = 1, HC_LOG_INFO = 2, HC_LOG_DEBUG = 3 };
#endif /* HC_SHARED_CORE */

/* The library never prints: it sends messages to a sink. The default sink discards everything
 * below HC_LOG_WARN and writes the rest to stderr; the CLI installs its own. Thread-safe to call
 * hc_log from any thread; set the sink before starting threads. */
typedef void (*hc_log_sink_fn)(enum hc_log_level level, const char *msg, void *user);
void hc_set_log_sink(hc_log_sink_fn fn, void *user);
void hc_set_log_level(enum hc_log_level max_level);

/* ---- models ------------------------------------------------------------------------------ */

/* Find model file `file` (e.g. "pose_landmark_full.tflite"): in `model_dir` when non-NULL, else in
 * $HINGECHECK_MODEL_DIR when set, else in the build tree's models/ and then the installed
 * share/hingecheck/models. Writes the path into out[n]. HC_ERR_MODEL when not found: the message
 * names the file, where it looked and the fetch command (models/fetch-models.sh); when the file
 * is there but this user may not read it, the message says so and how to fix it (chmod a+r). */
enum hc_status hc_model_path(const char *model_dir, const char *file, char *out, size_t n);

/* ---- output paths ------------------------------------------------------------------------ */

/* Checks, before any work, that a run reading inputs[] may write outputs[] ("-": standard output;
 * NULL entries are skipped), so that nothing is analysed only to fail at the end or, worse,
 * destroy an input: HC_ERR_INVALID_ARG when an output is one of the inputs (the same file, also
 * through a symbolic or hard link), two outputs are one file (also "r.json" and "./r.json"), or
 * an output is a folder; HC_ERR_IO when an output's folder is missing or no file can be created
 * in it (a probe file is made and removed). Devices and FIFOs (/dev/null) are written in place
 * and pass. The message names the file and what to do. */
enum hc_status hc_outputs_check(const char *const *inputs, size_t n_in,
                                const char *const *outputs, size_t n_out);

/* ---- versions ---------------------------------------------------------------------------- */

#ifndef HC_SHARED_CORE
const char *hc_version(void);
#endif /* HC_SHARED_CORE */
/* Versions of the libraries linked in, one line ("FFmpeg libavcodec 59.37.100, ..."). */
const char *hc_video_library_versions(void);
/* Version of the inference engine ("XNNPACK 0.0~git20220216" or what the library reports). */
const char *hc_nn_library_versions(void);

/* ---- pose landmarks (BlazePose topology, 33 points) --------------------------------------- */

#ifndef HC_SHARED_CORE
#define HC_N_LANDMARKS 33

enum hc_landmark_index {
    HC_LM_NOSE = 0,
    HC_LM_LEFT_EYE_INNER = 1,
    HC_LM_LEFT_EYE = 2,
    HC_LM_LEFT_EYE_OUTER = 3,
    HC_LM_RIGHT_EYE_INNER = 4,
    HC_LM_RIGHT_EYE = 5,
    HC_LM_RIGHT_EYE_OUTER = 6,
    HC_LM_LEFT_EAR = 7,
    HC_LM_RIGHT_EAR = 8,
    HC_LM_MOUTH_LEFT = 9,
    HC_LM_MOUTH_RIGHT = 10,
    HC_LM_LEFT_SHOULDER = 11,
    HC_LM_RIGHT_SHOULDER = 12,
    HC_LM_LEFT_ELBOW = 13,
    HC_LM_RIGHT_ELBOW = 14,
    HC_LM_LEFT_WRIST = 15,
    HC_LM_RIGHT_WRIST = 16,
    HC_LM_LEFT_PINKY = 17,
    HC_LM_RIGHT_PINKY = 18,
    HC_LM_LEFT_INDEX = 19,
    HC_LM_RIGHT_INDEX = 20,
    HC_LM_LEFT_THUMB = 21,
    HC_LM_RIGHT_THUMB = 22,
    HC_LM_LEFT_HIP = 23,
    HC_LM_RIGHT_HIP = 24,
    HC_LM_LEFT_KNEE = 25,
    HC_LM_RIGHT_KNEE = 26,
    HC_LM_LEFT_ANKLE = 27,
    HC_LM_RIGHT_ANKLE = 28,
    HC_LM_LEFT_HEEL = 29,
    HC_LM_RIGHT_HEEL = 30,
    HC_LM_LEFT_FOOT_INDEX = 31,
    HC_LM_RIGHT_FOOT_INDEX = 32,
};

/* One landmark in frame pixels (after rotation). z is MediaPipe's normalised depth (same scale as
 * x / width, smaller = nearer the camera); visibility in [0, 1]. */
struct hc_landmark {
    float x_px, y_px, z, visibility;
};

/* The pose of the tracked lifter in one frame: one line of the track format (docs/TRACK.md). */
struct hc_pose_frame {
    int64_t index;        /* frame number from 0 */
    double t_s;           /* presentation time in seconds from the first frame */
    int has_pose;         /* 0: no lifter in this frame, the arrays are undefined */
    struct hc_landmark lm[HC_N_LANDMARKS];
    float world_m[HC_N_LANDMARKS][3]; /* metres, hip-centred, MediaPipe's world landmarks */
};
#endif /* HC_SHARED_CORE */

/* ---- video probe ------------------------------------------------------------------------- */

#ifndef HC_SHARED_CORE
struct hc_video_info {
    int width_px;             /* after rotation */
    int height_px;            /* after rotation */
    int coded_width_px;       /* as stored */
    int coded_height_px;      /* as stored */
    double fps;               /* average frame rate */
    double duration_s;
    int64_t n_frames_estimate;
    int rotation_deg;         /* clockwise rotation applied on display: 0, 90, 180, 270 */
    int hflip;                /* display matrix mirrors horizontally */
    int vflip;
    int sar_num, sar_den;     /* sample aspect ratio (1:1 when unknown) */
    char codec[32];           /* decoder name, e.g. "h264" */
    char container[32];       /* demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" */
    int has_audio;
};

/* A stretch of a video that could not be decoded and was skipped: frames damaged in the file,
 * never produced by the decoder, predicted from such a frame (up to the next keyframe), or
 * missing at the end of a cut file. Frame numbers count every frame from the first one decoded
 * (as hc_pose_frame.index does), inclusive; times are those of its first and last frame. */
struct hc_damage_range {
    int64_t first_frame, last_frame;
    double t_start_s, t_end_s;
};
#define HC_DAMAGE_MAX_RANGES 16
/* What could not be decoded of a clip (all zero for an intact one). A clip is "mostly damaged"
 * when more of its frames were skipped than decoded (n_frames_skipped > n_frames / 2): then it is
 * an input error (HC_ERR_DECODE), not a result. */
struct hc_damage {
    int64_t n_frames_skipped;  /* frames skipped, over all ranges */
    int64_t n_frames;          /* frames of the decoded range: handed out + skipped */
    int n_ranges;              /* entries of range[]; a clip with more stretches than
                                  HC_DAMAGE_MAX_RANGES has the later ones merged into the last */
    struct hc_damage_range range[HC_DAMAGE_MAX_RANGES];
};
#endif /* HC_SHARED_CORE */

/* Opens `path`, reads its headers and fills *info. Errors: HC_ERR_IO (missing, unreadable),
 * HC_ERR_FORMAT (not a media file), HC_ERR_NO_VIDEO (no video stream), HC_ERR_TOO_LARGE,
 * HC_ERR_DECODE. hc_last_error() then holds the one-line message. */
enum hc_status hc_probe_file(const char *path, struct hc_video_info *info);

/* Writes the probe facts of one file to f: json = 0 gives aligned "key: value" lines followed by
 * a blank line; json = 1 gives one JSON object (no newline; keys as the struct fields plus
 * "file"), for the caller to place in an array. HC_ERR_IO when writing fails. */
enum hc_status hc_probe_write(FILE *f, const char *path, const struct hc_video_info *info,
                              int json);
/* The JSON object for a file that could not be probed: {"file", "error" (the message), "status"
 * (hc_strerror), "exit_code"}. Text output has no such entry (the caller prints the error). */
enum hc_status hc_probe_write_json_error(FILE *f, const char *path, enum hc_status st,
                                         const char *message);

/* ---- pose tracking (src/pose: BlazePose as MediaPipe's CPU pose graph runs it) ------------- */

enum hc_pose_model { HC_POSE_MODEL_LITE = 0, HC_POSE_MODEL_FULL = 1, HC_POSE_MODEL_HEAVY = 2 };

struct hc_pose_models; /* loaded models, shareable by threads (hc_pose_models_load below) */

struct hc_pose_params {
    const char *model_dir;     /* NULL: $HINGECHECK_MODEL_DIR, then the build/install dir */
    enum hc_pose_model model;  /* landmark model; default FULL (MediaPipe modelComplexity 1) */
    int n_threads;             /* inference threads; default 1 */
    int smooth;                /* MediaPipe's landmark smoothing; default 1 */
    float min_detection_score; /* detector threshold; default 0.5 (minDetectionConfidence) */
    float min_presence_score;  /* pose-presence threshold; default 0.5 (minTrackingConfidence) */
    const struct hc_pose_models *models; /* NULL (default): each tracker loads its own; else
                                            borrowed (same `model`), shared with other threads */
};
struct hc_pose_params hc_pose_default_params(void);
/* "lite" | "full" | "heavy" -> 0 and *out, else -1. */
int hc_pose_model_from_name(const char *name, enum hc_pose_model *out);
const char *hc_pose_model_name(enum hc_pose_model m);

/* Load the detector and the landmark model p->model (from p->model_dir) once, for many trackers
 * on many threads: set params.models to the result and every tracker made from those params
 * borrows them (each makes only its own inference sessions). Immutable once loaded; free it
 * after the last tracker. Errors: HC_ERR_MODEL (missing or corrupt; the message names the file
 * and the fetch command), HC_ERR_IO, HC_ERR_NOMEM. */
enum hc_status hc_pose_models_load(const struct hc_pose_params *p, struct hc_pose_models **out);
void hc_pose_models_free(struct hc_pose_models *m); /* NULL-safe */

/* Frame-by-frame tracking of one lifter. Feed the frames of one clip in order; the tracker keeps
 * the region of interest, the filters and the lifter's identity between calls. */
struct hc_pose_tracker;
enum hc_status hc_pose_tracker_create(const struct hc_pose_params *p,
                                      struct hc_pose_tracker **out);
void hc_pose_tracker_free(struct hc_pose_tracker *t); /* NULL-safe */
/* One upright RGB24 frame (rows `stride` bytes apart) at t_s seconds. Fills *out (has_pose 0 when
 * no lifter). want_mask: also compute the person segmentation mask for this frame (about 5 ms). */
enum hc_status hc_pose_tracker_process(struct hc_pose_tracker *t, const uint8_t *rgb,
                                       int width_px, int height_px, int stride, double t_s,
                                       int64_t index, int want_mask, struct hc_pose_frame *out);
/* The mask of the last frame processed with want_mask and a pose: width_px x height_px floats in
 * [0, 1] (1 = person), frame pixels, row-major. NULL when that frame had none. Borrowed until the
 * next hc_pose_tracker_process or _free. */
const float *hc_pose_tracker_mask(const struct hc_pose_tracker *t, int *width_px, int *height_px);

/* Whole clip: decode `path` and track every frame, calling fn for each in order. */
struct hc_pose_clip_params {
    struct hc_pose_params pose;
    double start_s, end_s;     /* 0, 0: the whole clip */
    int mask_every_frame;      /* pass each frame's segmentation mask to fn (else mask = NULL) */
    double max_fps;            /* analyse at most this many frames per second, skipping the
                                  others (fn sees only analysed frames; their index keeps the
                                  decoded frame number); 0: every frame (default) */
    int two_halves;            /* 1: a clip of 4 s or more is tracked as two halves, the second
                                  with a run-up of its own, which two cores track at once (the
                                  split depends on the clip alone: the same result on any
                                  machine; close to, not the same as, one stretch); 0 (default):
                                  one stretch */
};
struct hc_pose_clip_params hc_pose_clip_default_params(void);
/* info: the clip's facts; mask: width_px x height_px floats or NULL. A status other than HC_OK
 * stops the run and is returned by hc_pose_run_file. */
typedef enum hc_status (*hc_pose_frame_fn)(const struct hc_video_info *info,
                                           const struct hc_pose_frame *frame, const float *mask,
                                           void *user);
struct hc_pose_clip_summary {
    struct hc_video_info info;
    int64_t n_frames;
    int64_t n_with_pose;
    int damaged;               /* the decoder skipped damaged data (a warning was logged) */
    struct hc_damage damage;   /* what it skipped: counts and stretches */
};
/* Errors: those of hc_probe_file, HC_ERR_EMPTY (no decodable frame), HC_ERR_DECODE (also a clip
 * mostly damaged: more frames skipped than decoded, see struct hc_damage), HC_ERR_MODEL. Damaged
 * stretches of a usable clip are skipped (fn never sees them; frame numbers jump over them),
 * counted in summary->damage, and one warning is logged. A clip without any lifter is not an
 * error here: every frame comes with has_pose 0 and a warning is logged.
 * fn runs on the calling thread, frame by frame in order (summary->n_frames counts its calls);
 * with one inference thread the decoding runs ahead on a second thread, whose warnings reach the
 * log sink from that thread. */
enum hc_status hc_pose_run_file(const char *path, const struct hc_pose_clip_params *p,
                                hc_pose_frame_fn fn, void *user,
                                struct hc_pose_clip_summary *summary);

/* ---- track files (src/track/track.c; the format is docs/TRACK.md) ---------------------------- */

#ifndef HC_SHARED_TRACK
struct hc_track_header {
    char source[256];          /* the video file */
    int width_px, height_px;   /* after rotation: the pixel space of the landmarks */
    double fps, duration_s;
    int rotation_deg;
    int64_t n_frames_estimate;
    char model[16];            /* lite | full | heavy */
    int smooth;
    char version[16];          /* hingecheck version that wrote it */
};

/* What an analysis measured on a frame beyond the pose (written by `hingecheck VIDEO --track
 * FILE`, read back by `hingecheck score FILE` so it judges the set as the analysis did; pose
 * tracks have none): the implement the image showed at the hands, and the spine read from the
 * person's outline. docs/TRACK.md, "What an analysis adds". */
struct hc_track_extra {
    int has_implement;           /* the implement was searched for on this frame */
    char implement_kind[12];     /* unknown (no lifter) | none | barbell | kettlebell | dumbbell */
    float implement_cx_px, implement_cy_px, implement_r_px; /* its circle (r 0: none) */
    float implement_quality;     /* share of the circle's outline with an edge across it, 0-1 */
    float implement_shin_px;     /* the body's scale on the frame (the longest shin or thigh) */
    int has_spine_mask;          /* the spine was read from the person's outline on this frame */
    double spine_mask;           /* that curvature (the kinematics' KIN_SPINE_CURVATURE) */
    float spine_mask_conf;       /* its confidence, 0-1 */
};

struct hc_track_writer;
/* path "-" writes to stdout. Writes the header line. */
enum hc_status hc_track_writer_open(const char *path, const struct hc_track_header *h,
                                    struct hc_track_writer **out);
enum hc_status hc_track_writer_write(struct hc_track_writer *w, const struct hc_pose_frame *f);
/* The same with what an analysis measured on the frame (x may be NULL: none). */
enum hc_status hc_track_writer_write_extra(struct hc_track_writer *w,
                                           const struct hc_pose_frame *f,
                                           const struct hc_track_extra *x);
/* Flushes and frees (NULL-safe); HC_ERR_IO when the file is incomplete. */
enum hc_status hc_track_writer_close(struct hc_track_writer *w);

struct hc_track {
    struct hc_track_header header;
    int has_header;            /* 1: a header line (or a MediaPipe-reference <path>.meta.json) */
    struct hc_pose_frame *frames;
    int64_t n_frames;
    struct hc_track_extra *extra; /* NULL (a pose track), or n_frames entries: the file had an
                                     analysis' measurements on some frame */
};
/* Reads a track file. A file without a header line takes the frame size from <path>.meta.json
 * when present (the reference tracks of ../shared/mpref). HC_ERR_IO, HC_ERR_FORMAT (the message
 * names the line). */
enum hc_status hc_track_read(const char *path, struct hc_track **out);
void hc_track_free(struct hc_track *t); /* NULL-safe */

/* Agreement of two tracks of the same clip, over frame numbers present in both. */
struct hc_track_diff {
    int64_t n_frames;          /* frame numbers in both files */
    int64_t n_both;            /* ... where both have a pose */
    int64_t n_only_a, n_only_b;
    int64_t n_points;          /* landmark pairs with visibility > min_visibility in both */
    double median_frac;        /* landmark distance / frame height */
    double p95_frac;
    double height_px;
};
/* HC_ERR_INVALID_ARG when neither track knows the frame height. */
enum hc_status hc_track_compare(const struct hc_track *a, const struct hc_track *b,
                                double min_visibility, struct hc_track_diff *out);
#endif /* HC_SHARED_TRACK */

/* ---- analysis (src/pipeline: pose -> kinematics -> reps -> rules; reports: docs/REPORT.md) ---
 *
 *     struct hc_analysis_params p = hc_analysis_default_params();
 *     p.exercise = "rdl";
 *     struct hc_analysis *an = NULL;
 *     enum hc_status st = hc_analyse_file("set1.mp4", &p, &an);  // or hc_analyse_track_file
 *     if (st != HC_OK) return hc_status_exit_code(st);           // input, model, rules error
 *     struct hc_report_options ro = hc_report_default_options();
 *     hc_analysis_write(an, "json", "set1.json", &ro);            // also for no pose / no rep
 *     struct hc_analysis_summary s;
 *     hc_analysis_summarise(an, &s);                              // s.status: OK, NO_POSE, NO_REPS
 *     hc_analysis_free(an);
 */

enum hc_severity {
    HC_SEVERITY_NONE = -1,   /* no finding at all */
    HC_SEVERITY_INFO = 0,    /* notes (not assessable, ...) */
    HC_SEVERITY_WARNING = 1,
    HC_SEVERITY_ERROR = 2
};
/* "info" | "warning" | "error" -> 0 and *out, else -1. */
int hc_severity_from_name(const char *name, enum hc_severity *out);

/* How far one clip's analysis has come, for a front end to show (the library never prints).
 * Stages, in order: "pose" (every frame through the tracker: most of the time), "masks" (the
 * spine masks' second look at the frames the rules read), "drawing" (the clip decoded again for
 * the HTML key frames and the overlay video). */
struct hc_progress {
    const char *stage;
    int64_t n_done;     /* frames done in this stage */
    int64_t n_total;    /* frames the stage expects; 0: not known */
    double elapsed_s;   /* since the stage started */
};
/* Called on the thread doing the work, at the stage's start, after each frame and at its end
 * (n_done == n_total then, when known). Keep it short (draw a line). */
typedef void (*hc_progress_fn)(const struct hc_progress *pr, void *user);

struct hc_analysis_params {
    struct hc_pose_clip_params clip; /* video input: model, threads, time range (ignored for
                                        tracks) */
    const char *exercise;            /* "auto" (default: recognised from the movement) or a
                                        lift's id or other name (hc_lift_at, e.g. "rdl") */
    const char *rules_path;          /* NULL: the built-in rules (hc_rules_default_json) */
    /* Video input: called on the analysing thread after each analysed frame with its frame
     * number and the clip's estimated frame count (0 unknown), for progress; a nonzero return
     * stops the analysis with HC_ERR_CANCELLED (Ctrl-C). Also called after each frame of the
     * spine masks' second look (with a count of 0: not progress, a chance to stop). NULL
     * (default): none. */
    int (*on_frame)(int64_t frame_index, int64_t n_frames_estimate, void *user);
    void *on_frame_user;
    /* Video input, side views: the spine is read from the person's outline (segmentation mask)
     * on the frames where the rules need it, found by a second look at those moments only
     * (docs/RULES.md, "Person masks for the spine"). 1: keypoint proxy only (faster). */
    int no_spine_masks;
    /* What the lifter holds: "auto" or NULL (default: recognised from the hands where the camera
     * sees them apart, else judged as a barbell), "barbell", "kettlebell" (also a dumbbell held
     * by one handle). Picks the implement's rule rows (bar-drift; docs/RULES.md, "Implement"). */
    const char *implement;
    /* Video input: the diameter of the lifter's plates, cm (default 45: standard 20-25 kg plates
     * and bumper plates). A barbell's near plate seen side-on gives the bar's place and, when
     * its size fits the body, the image's scale (docs/RULES.md, "The bar"). 10-60. */
    double plate_cm;
    /* Video input: the stages "pose" and "masks" (struct hc_progress). NULL (default): none. */
    hc_progress_fn progress;
    void *progress_user;
    /* The name the reports and messages give the clip; NULL (default): video_path. For a clip
     * read from a copy (stdin saved to a temporary file): the copy is decoded, the name shown. */
    const char *name;
};
struct hc_analysis_params hc_analysis_default_params(void);
/* "auto|rdl|deadlift|...": "auto" and the lift ids, from the lift table (hc_lift_at). */
const char *hc_exercise_names(void);

/* The outcome of one clip: what the reports are written from. Opaque; read-only once made, so
 * writers may run from several threads. */
struct hc_analysis;

/* Analyses a video: pose on every frame, then the same as hc_analyse_track. */
enum hc_status hc_analyse_file(const char *video_path, const struct hc_analysis_params *p,
                               struct hc_analysis **out);
/* Re-scores a saved pose track (docs/TRACK.md) without the video. */
enum hc_status hc_analyse_track_file(const char *track_path, const struct hc_analysis_params *p,
                                     struct hc_analysis **out);
/* The same on a track already in memory; `name` is the path the report shows (may be NULL). */
enum hc_status hc_analyse_track(const struct hc_track *t, const char *name,
                                const struct hc_analysis_params *p, struct hc_analysis **out);
/* Errors of the three: those of the video / track reader, HC_ERR_MODEL, HC_ERR_FORMAT (a rules
 * file or exercise name that is wrong: the message names the line and field), HC_ERR_NOMEM.
 * No lifter on any frame or no rep is NOT an error here: the result is made (so a report can say
 * so) and hc_analysis_summarise gives status HC_ERR_NO_POSE / HC_ERR_NO_REPS with the reason. */
void hc_analysis_free(struct hc_analysis *a); /* NULL-safe */

struct hc_analysis_summary {
    enum hc_status status;      /* HC_OK, HC_ERR_NO_POSE or HC_ERR_NO_REPS */
    const char *reason;         /* one line; "" when status is HC_OK. Borrowed from the result */
    int n_reps, n_full;         /* all reps (partial ones included), reps not cut by the clip */
    double set_score;           /* 0-100, NaN without a scored rep */
    const char *exercise;       /* detected (or requested) exercise name */
    const char *view;           /* "side" | "oblique" | "front" | "unknown" */
    enum hc_severity worst;     /* the worst finding (rep or set level); HC_SEVERITY_NONE */
    int n_findings[3];          /* findings per severity (info, warning, error) */
    const char *top_cues[3];    /* rule ids of the top coaching cues, NULL when fewer */
    int64_t n_frames, n_with_pose;
    double elapsed_s;           /* wall time of the analysis */
    /* two cameras (hc_analysis_pair); 0, NaN and NULL for one clip */
    int paired;
    double offset_s;            /* the front clip's time minus the side clip's */
    int n_matched;              /* side reps with a matched front rep */
    const char *front_view;     /* the front clip's view */
};
void hc_analysis_summarise(const struct hc_analysis *a, struct hc_analysis_summary *out);

/* ---- two cameras of one set (src/pipeline/pair.c; docs/REPORT.md, "Two cameras") ---------
 *
 *     struct hc_pair_params pp = hc_pair_default_params();       // offset found from the clips
 *     st = hc_analyse_pair("side.mp4", "front.mp4", &p, &pp, &an);
 *     ... hc_analysis_write(an, "json", ...) as for one clip ...
 *
 * The side clip's analysis is the result: its reps, its side checks, on its clock; each rep's
 * frontal checks (knees, feet, stance, hip shift, trunk twist) are measured on the front
 * clip's rep matched to it. */
struct hc_pair_params {
    /* the front clip's time of a moment minus the side clip's time of it, s (the front camera
     * started that much earlier); NaN (default): found by cross-correlating the upper body's
     * height in both clips */
    double offset_s;
};
struct hc_pair_params hc_pair_default_params(void);
/* Joins two analyses of one set, a side clip's and a front (rear, oblique) clip's: checks their
 * views, aligns them in time (pp->offset_s or measured), matches the reps and judges the set
 * again, side checks from `side`, frontal checks from `front`. Takes both analyses: on success
 * *out is `side` holding `front`; on failure both are freed. HC_ERR_PAIR (the message names
 * the clip at fault): two side views, two front views, the clips swapped, too little movement
 * in both to align them; HC_ERR_NOMEM. A clip without a lifter or a rep is no error: the
 * result says so (the side clip's status; the front clip's in the report's "pair"). */
enum hc_status hc_analysis_pair(struct hc_analysis *side, struct hc_analysis *front,
                                const struct hc_pair_params *pp, struct hc_analysis **out);
/* Before any work: the front clip is there and readable (a video: hc_probe_file's errors; a
 * track when `tracks`: HC_ERR_IO), and not the side clip itself (also through a link:
 * HC_ERR_PAIR). The message names the file. */
enum hc_status hc_pair_check_files(const char *side_path, const char *front_path, int tracks);
/* hc_analyse_file on both clips (the same params), then hc_analysis_pair. HC_ERR_PAIR also for
 * one file given as both; the errors of hc_analyse_file, naming the clip. */
enum hc_status hc_analyse_pair(const char *side_path, const char *front_path,
                               const struct hc_analysis_params *p, const struct hc_pair_params *pp,
                               struct hc_analysis **out);

/* ---- reports (src/report: one format table; docs/REPORT.md) ---------------------------- */

struct hc_report_options {
    int color;          /* text: ANSI colours (the CLI decides: TTY, NO_COLOR, --color) */
    int series;         /* json: add the per-frame series */
    int deterministic;  /* drop timings and versions, so golden files are stable */
    /* Polled for every frame the formats drawn on the clip (html, overlay) decode; nonzero
     * abandons them (Ctrl-C, SIGTERM): their temporary files are removed and their status is
     * HC_ERR_CANCELLED. The documents (text, json, csv) take milliseconds and are written
     * whatever it says. NULL (default): never. */
    int (*cancel)(void *user);
    void *cancel_user;
    hc_progress_fn progress; /* the stage "drawing" of hc_analysis_write_reports; NULL: none */
    void *progress_user;
    /* overlay: the video's shorter side in pixels (its lines when landscape), from
     * HC_OVERLAY_SIZE_MIN_PX to HC_OVERLAY_SIZE_MAX_PX; 0: HC_OVERLAY_SIZE_DEFAULT_PX. A clip
     * smaller than that keeps its size; the longer side follows the clip's aspect, at most
     * 16/9 of it. Another value fails the overlay with HC_ERR_INVALID_ARG. */
    int overlay_size_px;
};
#ifndef HC_SHARED_CORE
/* 720 lines: sharp on a phone's screen, and the drawing and encoding cost under half of 1080's;
 * 240 keeps the rep counter and scores legible (their text is 2-4% of the shorter side). */
#define HC_OVERLAY_SIZE_DEFAULT_PX 720
#define HC_OVERLAY_SIZE_MIN_PX 240
#define HC_OVERLAY_SIZE_MAX_PX 1080
#endif /* HC_SHARED_CORE */
struct hc_report_options hc_report_default_options(void);

/* The output formats, as the one table in src/report lists them (text, json, csv, html,
 * overlay): a front end builds its options from it. */
struct hc_report_format_info {
    const char *name;    /* "json": the format argument of hc_analysis_write */
    const char *ext;     /* file name extension: "json" */
    const char *flag;    /* the analysis command's option, "json" for --json FILE; NULL: none
                            (the text summary, printed on stdout) */
    const char *metavar; /* the option's value in --help ("FILE"); NULL when flag is */
    const char *help;    /* one line: what the format holds (the option's --help line) */
    int to_stdout;       /* path "-" writes it to stdout */
    int needs_video;     /* drawn on the clip's frames (decoded again): HTML key frames, overlay */
};
size_t hc_report_format_count(void);
/* Fills *out for format i (0 .. count - 1); HC_ERR_INVALID_ARG past the end. */
enum hc_status hc_report_format_get(size_t i, struct hc_report_format_info *out);
/* "text|json|csv|html|overlay" (every format's name). */
const char *hc_report_formats(void);

/* Two JSON reports of one athlete (`--json` of two sessions or two sets: A before, B after)
 * compared in text on f: per-rep measures side by side, the set's score, bar speed and velocity
 * loss, and what improved and what got worse in words (docs/REPORT.md, "Comparing two
 * reports"). HC_ERR_IO when a file cannot be read or f fails, HC_ERR_FORMAT when a file is not
 * a JSON report; hc_last_error() names the file. */
enum hc_status hc_report_compare(const char *report_a, const char *report_b, FILE *f);

/* Writes the report in `format` to `path` ("-": stdout, for to_stdout formats). A regular file is
 * written to a temporary name beside it and renamed, so a killed run never leaves a half-written
 * report; a device or FIFO (/dev/null, /dev/stdout) is written in place. HC_ERR_INVALID_ARG
 * for an unknown format, HC_ERR_IO when writing fails.
 *   html: one self-contained file (inline CSS, SVG charts, key frames as embedded JPEG; nothing
 *     fetched, opens offline) with the verdict, top cues and fixes, a per-rep table, the bottom
 *     of each rep with the skeleton, and charts over time with rep bands and the rules' expected
 *     ranges. The key frames are cut from the analysed video, decoded again; a result re-scored
 *     from a track uses the track's source video when that file is there, else shows the
 *     skeleton on a plain background.
 *   overlay: every frame of the analysed clip (rotation applied) with the lifter's skeleton (the
 *     side facing the camera emphasised), hip and knee angles, the back curve, the current rep's
 *     bar path, rep counter and phase, a banner with each rep's score and top cue, joints of a
 *     finding in its colour during the phase it concerns, and a "no pose" tag on frames without
 *     the lifter. H.264 (yuv420p) MP4 with faststart, the input's frame rate and times; frames
 *     are streamed, so memory does not grow with the clip (4K is fine). HC_ERR_IO when there is
 *     no video to draw on (a track whose source is gone: the message says what to run), those
 *     of the decoder. */
enum hc_status hc_analysis_write(const struct hc_analysis *a, const char *format,
                                 const char *path, const struct hc_report_options *o);
/* The same into an open stream (not closed); not for the formats drawn on the clip. */
enum hc_status hc_analysis_write_stream(const struct hc_analysis *a, const char *format, FILE *f,
                                        const struct hc_report_options *o);

/* Writes the analysed poses as a track file (docs/TRACK.md) with what the analysis measured
 * beyond them on each frame (the implement at the hands, the spine from the person's outline),
 * so `hingecheck score` / hc_analyse_track_file of it gives the same report as this analysis
 * without the video: for tuning rules on a folder of clips in seconds. "-" writes to stdout;
 * a regular file is replaced atomically. HC_ERR_IO, HC_ERR_INVALID_ARG (a path that is the
 * analysed file). */
enum hc_status hc_analysis_write_track(const struct hc_analysis *a, const char *path);

/* One report of hc_analysis_write_reports. */
struct hc_report_request {
    const char *format;    /* a format name */
    const char *path;      /* as for hc_analysis_write */
    enum hc_status status; /* out: HC_OK, or why it was not written */
    char error[1024];      /* out: that failure's message ("" when written) */
};
/* Writes several reports of one result, each as hc_analysis_write would, with one decode of the
 * clip for all the formats drawn on it (html and overlay together cost one). Every report is
 * attempted; returns HC_OK or the first failure (hc_last_error() holds its message). */
enum hc_status hc_analysis_write_reports(const struct hc_analysis *a, struct hc_report_request *r,
                                         size_t n, const struct hc_report_options *o);

/* ---- batch (src/pipeline/batch.c: many clips on all cores, resumable; docs/BATCH.md) ------ *
 *
 *     struct hc_batch_params bp = hc_batch_default_params();
 *     bp.out_dir = "reports";                     // OUTDIR/<clip>.json, summary.csv, .jsonl
 *     const char *in[] = {"clips/"};
 *     struct hc_batch_result r;
 *     enum hc_status st = hc_batch_run(in, 1, &bp, &r);   // r.n_failed clips failed
 */

struct hc_batch_progress {
    int n_total;          /* clips to analyse in this run (current reports skipped) */
    int n_done, n_failed; /* of those: finished, and failed (error, no lifter, no rep) */
    double done_clips;    /* n_done plus the fractions of the clips under way (for an ETA) */
    const char *current;  /* the clip last started or advanced; borrowed for the call */
    double elapsed_s;
};
/* Called from the workers, one call at a time, when a clip starts, every few frames, and when a
 * clip ends. Keep it short (print a line). */
typedef void (*hc_batch_progress_fn)(const struct hc_batch_progress *pr, void *user);

struct hc_batch_params {
    struct hc_analysis_params analysis; /* per clip (its on_frame is the batch's own);
                                           analysis.clip.pose.n_threads: per worker */
    const char *out_dir;       /* required; made when missing */
    int n_jobs;                /* workers (threads), each one clip at a time; 0 (default): the
                                  cores divided by the inference threads per worker */
    int force;                 /* analyse clips whose report is already current */
    int shard_index, n_shards; /* this run's share: clip i (0-based, sorted) when
                                  i % n_shards == shard_index - 1; default 1 of 1 */
    int html;                  /* also OUTDIR/<clip>.html per clip and OUTDIR/index.html */
    int deterministic;         /* reports without timings and versions */
    hc_batch_progress_fn progress; /* NULL: none */
    void *progress_user;
    int (*cancel)(void *user); /* polled every frame; nonzero stops the run cleanly: clips under
                                  way are abandoned (no report, temporary files removed), the
                                  summary is written with "not-run" rows for the clips left */
    void *cancel_user;
};
struct hc_batch_params hc_batch_default_params(void);

struct hc_batch_result {
    int n_clips;          /* clips found in the inputs (all shards) */
    int n_selected;       /* in this shard */
    int n_skipped;        /* their report was current (resume); not analysed again */
    int n_analysed;       /* analysed in this run (ok or failed) */
    int n_pending;        /* neither: the run was stopped first */
    int n_ok, n_failed;   /* over the summary's rows (this run's and current earlier ones) */
    int n_worst[3];       /* rows whose worst finding is info, warning, error */
    int cancelled;        /* stopped by cancel() */
    double elapsed_s;
};

/* Scores every video or GIF in `inputs` (folders walked recursively: .mp4 .mov .m4v .mkv .webm
 * .avi .gif .mpg .mpeg .wmv .flv .3gp .ts .mts .m2ts, any case, hidden entries skipped; a file
 * named directly is taken whatever its name), in byte order of their report names: a folder's
 * clips by path relative to it ("day1/set2.mp4"), a named file by its file name. NAME_side.EXT
 * and NAME_front.EXT of one folder (suffixes in any case) are one set's two cameras: one job
 * under the side clip's name (hc_analysis_pair), the front clip without a report. Per clip:
 * OUTDIR/<name>.json, the JSON report (docs/REPORT.md), or for a clip that could not be analysed
 * {"schema_version", "status": {"code": "failed", "exit_code", "message", "error"}, "clip":
 * {"path"}}; written to a temporary name and renamed, last, so its presence marks the clip done.
 * A report newer than its clip is current: the clip is skipped unless p->force. At the end
 * OUTDIR/summary.csv and summary.jsonl (one row per clip with a current report, rebuilt from
 * the reports on disk) and, with p->html, index.html are replaced atomically; a shard (n_shards
 * > 1) names them summary.shard-K-of-N.csv etc. instead, and a run without a shard over the
 * same folder afterwards (nothing left to analyse) writes the whole set's.
 * A failed clip is recorded and the run goes on. A run stopped by cancel() still writes the
 * summary, with a row of status "not-run" for each clip of the run left without a report.
 * Errors, found before the first clip (nothing analysed then): HC_ERR_IO (an input missing,
 * OUTDIR or a report sub-folder not writable: a probe file is made and removed), HC_ERR_EMPTY
 * (no clip in the inputs), HC_ERR_INVALID_ARG (bad shard, two clips with the same report name,
 * a path the run would write that is a folder or an input clip, or where a clip's report
 * folder would have to be made), HC_ERR_MODEL. */
enum hc_status hc_batch_run(const char *const *inputs, int n_inputs,
                            const struct hc_batch_params *p, struct hc_batch_result *out);

/* ---- rules -------------------------------------------------------------------------------- */

/* The built-in rules document (JSON), what `hingecheck rules` prints. */
const char *hc_rules_default_json(void);
/* Loads and checks a rules file; *n_rules (may be NULL) gets its number of rules. HC_ERR_IO,
 * HC_ERR_FORMAT (the message names the line and the field). */
enum hc_status hc_rules_check_file(const char *path, int *n_rules);

/* ---- lifts: one table (src/reps/reps_lifts.c), what `hingecheck rules --lifts` prints ------ */

struct hc_lift_info {
    const char *id;          /* "rdl": --exercise, rules files' "lifts", the report's exercise */
    const char *name;        /* "Romanian deadlift" */
    const char *aliases;     /* other names --exercise accepts, '|'-separated ("" none) */
    const char *start;       /* where the reps start: "standing" or "floor" */
    const char *phases;      /* the phases of a rep, in order: "top, lowering, ..." */
    const char *implements;  /* what it is done with */
    char recognition[256];   /* how --exercise auto recognises it, in words */
};
/* Lift i of the table (from 0) into *out: 0, or -1 past the last lift. */
int hc_lift_at(size_t i, struct hc_lift_info *out);
/* The id a --exercise value names ("auto", an id or another name of a lift); NULL when none. */
const char *hc_exercise_id(const char *name);

/* The HC_SHARED_* blocks above are also what the library's own modules include (src/core/core.h
 * explains why); here they are simply part of the header. */
#define HC_SHARED_CORE
#define HC_SHARED_TRACK

#ifdef __cplusplus
}
#endif
#endif /* HINGECHECK_H */
