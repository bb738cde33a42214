/*
 * implement.c - the implement, found in the image (implement.h).
 *
 * Why these shapes: from the side a barbell's near plate is a disc whose centre is the bar's end,
 * and the bar runs through the hands, so the disc is centred on them; a kettlebell's handle is in
 * the hands and its round body hangs beyond them along the line of the forearm (straight down in
 * a deadlift, swinging out in a swing); a dumbbell's head is a small disc at the hands.
 *
 * Sizes come from the body, not the frame: the longest of the two shins and thighs in the image
 * (knee-to-ankle and hip-to-knee landmarks; both about 0.245 of stature in Drillis and Contini's
 * segment proportions, 43 cm on a 1.75 m adult). Foreshortening only shortens a segment, so the
 * longest of four is the least affected; a median over the last frames steadies it.
 *  - A standard plate (45 cm) is then about 1.05 shins; adults' shins run 38-50 cm (stature
 *    1.55-2.0 m), so standard plates measure 0.9-1.2 shins. A plate under 0.8 shin would need a
 *    56 cm shin (stature 2.3 m) to be standard: below that, the plates look smaller than standard.
 *  - A plate search takes 0.6-1.6 shins of diameter (bumper plates of 45 cm down to the smaller
 *    technique and iron plates, with room for a short lifter or a shin seen foreshortened).
 *  - A kettlebell's body is 15-30 cm across (8-48 kg cast bells): 0.3-0.8 shin of diameter, its
 *    centre one radius plus the handle's window (2-20 cm) beyond the hands.
 *  - A dumbbell head centred at the hands is 0.3-0.6 shin (13-26 cm); smaller round things there
 *    are the fists themselves.
 */
#include "implement/implement.h"

#include "cv/cv_shapes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ANGLES 64          /* samples around an outline */
#define PI 3.14159265358979323846
#define SCALE_RING 31        /* frames in the body scale's running median */
#define CROP_HALF_SHINS 1.45 /* the search square's half side: a bell's far edge is ~1.2 shins
                             * out, a big plate's 1.3 */
#define MAX_CANDIDATES 24
/* An edge across an outline: Sobel response (8 x the grey step per pixel after the crop's blur)
 * of at least EDGE_MIN, at most 37 degrees off the outline's normal. 30 is a step of about 10
 * grey levels: a black plate on a dark floor still passes, sensor noise after area averaging
 * does not. */
#define EDGE_MIN 30.0f
#define EDGE_COS2 0.64f
/* The bell's outline is not read on the arc facing the hands (handle, fingers): +-50 degrees. */
#define BELL_SKIP_COS 0.64f
#define DISC_CENTRE_SLACK_R 0.6   /* a plate's centre off the bar's guess: 0.6 r + 0.15 shin (a camera
                                   * a little off square sees the bar end beside the hands) */
#define DISC_CENTRE_SLACK_S 0.15
/* The bar lies in the fingers, beyond the wrists and knuckles the landmarks mark: about 4 cm
 * (0.1 shin) further along the forearm than their mean. */
#define GRIP_BEYOND_KNUCKLES 0.1
#define PLATE_MIN_D 0.6
#define PLATE_MAX_D 1.6
#define DUMBBELL_MIN_D 0.4
#define SMALL_EXTRA_Q 0.1        /* bells and dumbbells need this much more fit: small rings fit
                                   * texture more easily */
#define PLATE_KNEE_CLEAR 0.12    /* the bar passes the knee at least a shin's half depth in front */
#define KNEE_CLEAR 0.25           /* a dumbbell-sized ring this near a knee (shins) is the knee */
#define BELL_MIN_D 0.3
#define BELL_MAX_D 0.8
#define BELL_GAP_MIN 0.03         /* handle window, in shins (beyond one radius) */
#define BELL_GAP_MAX 0.47
#define BELL_SIDE_R 0.5           /* off the forearm's line, in radii */
#define PLATE_SMALL_D 0.8         /* for 45 cm plates; scaled by plate_cm / 45 (--plate-cm) */
/* The longest stretch of an outline without an edge: 0.15 of the circle (54 degrees). On real
 * side-view clips a plate's outline breaks for at most 0.03-0.11 of the circle (a quarter of its
 * frames beyond 0.06-0.11: the floor line, a forearm), while rings fitted to a thigh, the seat
 * or a knee leave a quarter to a third of it bare (median 0.2). */
#define MAX_GAP 0.15f

struct implement_detector {
    struct implement_params p;
    struct implement_frame *frames;
    int64_t n_frames, cap_frames;
    float ring[SCALE_RING];
    int n_ring, ring_pos;
    uint8_t *grey;
    float *gx, *gy;
    uint16_t *acc;            /* Hough votes: radius x crop rows x crop columns */
    int cap_side, cap_radii;
    /* the crop of the current frame */
    int side;                 /* crop side, pixels */
    double x0, y0, k;         /* frame point = (x0, y0) + k * crop point */
    int vx0, vy0, vx1, vy1;   /* crop pixels whose source lies inside the frame */
    /* the last frame's finding */
    int have_prev;
    enum implement_kind prev_kind;
    float prev_cx, prev_cy, prev_r; /* frame pixels */
    int64_t prev_index;
    int since_full;
    double total_ms;
    /* the outline's directions; per detector, so detectors on several threads (batch workers)
     * share no writable state */
    float cos_tab[N_ANGLES], sin_tab[N_ANGLES];
};

const char *implement_kind_name(enum implement_kind k)
{
    switch (k) {
    case IMPLEMENT_NONE: return "none";
    case IMPLEMENT_BARBELL: return "barbell";
    case IMPLEMENT_KETTLEBELL: return "kettlebell";
    case IMPLEMENT_DUMBBELL: return "dumbbell";
    default: return "unknown";
    }
}

struct implement_params implement_default_params(void)
{
    struct implement_params p;
    memset(&p, 0, sizeof(p));
    p.plate_cm = 45.0;
    p.shin_cm = 43.0;
    p.crop_shin_px = 48;
    p.full_search_every = 15;
    p.min_quality = 0.6;
    p.min_share = 0.3;
    p.none_share = 0.1;
    p.min_frames = 8;
    return p;
}

enum hc_status implement_detector_create(const struct implement_params *p,
                                         struct implement_detector **out)
{
    if (!out)
        return HC_ERR_INVALID_ARG;
    *out = NULL;
    struct implement_params q = p ? *p : implement_default_params();
    if (!(q.plate_cm > 0) || !(q.shin_cm > 0) || q.crop_shin_px < 16 || q.crop_shin_px > 256 ||
        q.full_search_every < 1 || !(q.min_quality > 0 && q.min_quality < 1) ||
        !(q.min_share > 0 && q.min_share <= 1) || q.none_share < 0 || q.none_share > q.min_share ||
        q.min_frames < 1 || q.n_frames_hint < 0)
        return hc_fail(HC_ERR_INVALID_ARG, "implement detector: parameters out of range");
    struct implement_detector *d = calloc(1, sizeof(*d));
    if (!d)
        return hc_fail(HC_ERR_NOMEM, "implement detector: out of memory");
    d->p = q;
    d->cap_side = 2 * (int)ceil(CROP_HALF_SHINS * q.crop_shin_px) + 4;
    const size_t px = (size_t)d->cap_side * (size_t)d->cap_side;
    d->grey = malloc(px);
    d->gx = malloc(px * sizeof(float));
    d->gy = malloc(px * sizeof(float));
    d->cap_radii = (int)ceil(0.5 * PLATE_MAX_D * q.crop_shin_px) + 1;
    d->acc = malloc((size_t)d->cap_radii * px * sizeof(*d->acc));
    if (q.n_frames_hint > 0 && q.n_frames_hint < ((int64_t)1 << 24)) {
        d->frames = malloc((size_t)q.n_frames_hint * sizeof(*d->frames));
        d->cap_frames = d->frames ? q.n_frames_hint : 0;
    }
    if (!d->grey || !d->gx || !d->gy || !d->acc) {
        implement_detector_free(d);
        return hc_fail(HC_ERR_NOMEM, "implement detector: out of memory");
    }
    for (int i = 0; i < N_ANGLES; i++) {
        const double a = 2.0 * PI * i / N_ANGLES;
        d->cos_tab[i] = (float)cos(a);
        d->sin_tab[i] = (float)sin(a);
    }
    *out = d;
    return HC_OK;
}

void implement_detector_free(struct implement_detector *d)
{
    if (!d)
        return;
    free(d->frames);
    free(d->grey);
    free(d->gx);
    free(d->gy);
    free(d->acc);
    free(d);
}

const struct implement_frame *implement_detector_frames(const struct implement_detector *d,
                                                        int64_t *n)
{
    if (n)
        *n = d ? d->n_frames : 0;
    return d ? d->frames : NULL;
}

int implement_frame_covers(const struct implement_frame *f, double x, double y, double margin_px)
{
    if (!f || f->kind < IMPLEMENT_BARBELL || !(f->r_px > 0))
        return 0;
    if (f->ellipse[2] > 0 && f->ellipse[3] > 0) {
        const double a = f->ellipse[4] * PI / 180.0, c = cos(a), s = sin(a);
        const double dx = x - f->ellipse[0], dy = y - f->ellipse[1];
        const double u = (dx * c + dy * s) / (f->ellipse[2] + margin_px);
        const double v = (-dx * s + dy * c) / (f->ellipse[3] + margin_px);
        return u * u + v * v <= 1.0;
    }
    const double dx = x - f->cx_px, dy = y - f->cy_px, r = f->r_px + margin_px;
    return dx * dx + dy * dy <= r * r;
}

/* ---- the body -------------------------------------------------------------------------- */

static int seen(const struct hc_landmark *l)
{
    return isfinite(l->x_px) && isfinite(l->y_px);
}

static double seg(const struct hc_landmark *lm, int a, int b)
{
    if (!seen(&lm[a]) || !seen(&lm[b]))
        return 0;
    return hypot(lm[a].x_px - lm[b].x_px, lm[a].y_px - lm[b].y_px);
}

/* The hands' centre: the mean of both wrists and index and pinky knuckles (the bar lies in the
 * palm between them; from the side both hands project onto the bar). Returns 0 when unseen. */
static int hands_centre(const struct hc_landmark *lm, double *x, double *y)
{
    static const int pts[] = {HC_LM_LEFT_WRIST,  HC_LM_RIGHT_WRIST, HC_LM_LEFT_INDEX,
                              HC_LM_RIGHT_INDEX, HC_LM_LEFT_PINKY,  HC_LM_RIGHT_PINKY};
    double sx = 0, sy = 0;
    int n = 0;
    for (size_t i = 0; i < HC_ARRAY_LEN(pts); i++)
        if (seen(&lm[pts[i]])) {
            sx += lm[pts[i]].x_px;
            sy += lm[pts[i]].y_px;
            n++;
        }
    if (n == 0)
        return 0;
    *x = sx / n;
    *y = sy / n;
    return 1;
}

static int cmp_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static float ring_median(const struct implement_detector *d)
{
    float t[SCALE_RING];
    memcpy(t, d->ring, (size_t)d->n_ring * sizeof(float));
    qsort(t, (size_t)d->n_ring, sizeof(float), cmp_float);
    return t[d->n_ring / 2];
}

/* ---- the crop and its edges ----------------------------------------------------------- */

static enum hc_status make_crop(struct implement_detector *d, const uint8_t *rgb, int w, int h,
                                int stride, double hx, double hy, double shin_px)
{
    d->k = shin_px > d->p.crop_shin_px ? shin_px / d->p.crop_shin_px : 1.0;
    int side = 2 * (int)ceil(CROP_HALF_SHINS * shin_px / d->k);
    if (side > d->cap_side)
        side = d->cap_side;
    const int src_side = (int)lround(side * d->k);
    d->k = (double)src_side / side;
    const int sx0 = (int)lround(hx - src_side / 2.0), sy0 = (int)lround(hy - src_side / 2.0);
    enum hc_status st = cv_grey_crop(rgb, w, h, stride, sx0, sy0, src_side, src_side, 0.8,
                                     d->grey, side, side);
    if (st != HC_OK)
        return st;
    d->side = side;
    d->x0 = sx0;
    d->y0 = sy0;
    d->vx0 = (int)ceil((0 - sx0) / d->k) + 1;
    d->vy0 = (int)ceil((0 - sy0) / d->k) + 1;
    d->vx1 = (int)floor((w - sx0) / d->k) - 2;
    d->vy1 = (int)floor((h - sy0) / d->k) - 2;
    if (d->vx0 < 1)
        d->vx0 = 1;
    if (d->vy0 < 1)
        d->vy0 = 1;
    if (d->vx1 > side - 2)
        d->vx1 = side - 2;
    if (d->vy1 > side - 2)
        d->vy1 = side - 2;
    const uint8_t *g = d->grey;
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            float sx = 0, sy = 0;
            if (x > 0 && y > 0 && x < side - 1 && y < side - 1) {
                const uint8_t *a = g + (y - 1) * side + x, *b = g + y * side + x,
                              *c = g + (y + 1) * side + x;
                sx = (float)(a[1] - a[-1] + 2 * (b[1] - b[-1]) + c[1] - c[-1]);
                sy = (float)(c[-1] + 2 * c[0] + c[1] - a[-1] - 2 * a[0] - a[1]);
            }
            d->gx[y * side + x] = sx;
            d->gy[y * side + x] = sy;
        }
    return HC_OK;
}

/* Share of the outline (crop coordinates) with an edge across it, over the angles whose outline
 * point lies in the frame; skip_x/skip_y: a unit direction whose arc is not read (the bell's
 * handle), or 0, 0. *gap (may be NULL): the longest run of read angles without an edge, as a
 * share of the whole outline. Returns -1 when too little of the outline is in the frame. */
static float support(const struct implement_detector *d, float cx, float cy, float r, float skip_x,
                     float skip_y, float *gap)
{
    int n_in = 0, n_pos = 0, n_neg = 0, run = 0, longest = 0, first_run = -1;
    for (int i = 0; i < N_ANGLES; i++) {
        const float nx = d->cos_tab[i], ny = d->sin_tab[i];
        if (nx * skip_x + ny * skip_y > BELL_SKIP_COS)
            continue;
        int in = 0, edge = 0;
        for (int dr = -1; dr <= 1 && !edge; dr++) {
            const float px = cx + (r + (float)dr) * nx, py = cy + (r + (float)dr) * ny;
            const int ix = (int)floorf(px), iy = (int)floorf(py);
            if (ix < d->vx0 || iy < d->vy0 || ix > d->vx1 || iy > d->vy1)
                continue;
            in = 1;
            const float gx = d->gx[iy * d->side + ix], gy = d->gy[iy * d->side + ix];
            const float rad = gx * nx + gy * ny;
            if (fabsf(rad) >= EDGE_MIN && rad * rad >= EDGE_COS2 * (gx * gx + gy * gy))
                edge = rad > 0 ? 1 : -1;
        }
        if (!in)
            continue;
        n_in++;
        n_pos += edge > 0;
        n_neg += edge < 0;
        if (edge) {
            if (first_run < 0)
                first_run = run;
            if (run > longest)
                longest = run;
            run = 0;
        } else {
            run++;
        }
    }
    if (gap) {
        if (first_run < 0)
            longest = N_ANGLES;
        else if (run + first_run > longest) /* the run wrapping past angle 0 */
            longest = run + first_run;
        *gap = (float)longest / N_ANGLES;
    }
    if (n_in < N_ANGLES / 3)
        return -1;
    /* An object is mostly darker (or lighter) than what surrounds it: edges of the other
     * polarity count half, so a ring through texture (random signs) scores low. */
    const int major = n_pos > n_neg ? n_pos : n_neg, minor = n_pos + n_neg - major;
    return ((float)major + 0.5f * (float)minor) / (float)n_in;
}

/* ---- what a circle would be ------------------------------------------------------------- */

struct frame_body {
    double hx, hy;     /* hands' centre, crop pixels */
    double ux, uy;     /* the forearm's direction, shoulders to hands, unit */
    double s;          /* shin, crop pixels */
    double k1x, k1y, k2x, k2y; /* knees, crop pixels */
};

static enum implement_kind classify(const struct frame_body *b, double cx, double cy, double r)
{
    const double dx = cx - b->hx, dy = cy - b->hy, dd = 2 * r / b->s;
    const double knee_gap = fmin(hypot(cx - b->k1x, cy - b->k1y), hypot(cx - b->k2x, cy - b->k2y));
    /* Hands hidden behind a plate are put anywhere on its face by the pose model (with a high
     * visibility): a disc bigger than any bell may sit anywhere over the hands' guess. */
    const double slack = dd > BELL_MAX_D ? fmax(r, DISC_CENTRE_SLACK_R * r + DISC_CENTRE_SLACK_S * b->s)
                                         : DISC_CENTRE_SLACK_R * r + DISC_CENTRE_SLACK_S * b->s;
    if (hypot(dx, dy) <= slack) {
        /* a plate's centre is the bar, in front of the knee: a ring about the knee joint itself
         * is the knee's own outline */
        if (dd >= PLATE_MIN_D && dd <= PLATE_MAX_D && knee_gap > PLATE_KNEE_CLEAR * b->s)
            return IMPLEMENT_BARBELL;
        if (dd >= DUMBBELL_MIN_D && dd < PLATE_MIN_D && knee_gap > KNEE_CLEAR * b->s)
            return IMPLEMENT_DUMBBELL;
        return IMPLEMENT_NONE;
    }
    const double along = dx * b->ux + dy * b->uy, side = fabs(dx * b->uy - dy * b->ux);
    if (dd >= BELL_MIN_D && dd <= BELL_MAX_D && along >= r + BELL_GAP_MIN * b->s &&
        along <= r + BELL_GAP_MAX * b->s && side <= BELL_SIDE_R * r)
        return IMPLEMENT_KETTLEBELL;
    return IMPLEMENT_NONE;
}

/* The circle's fit, less SMALL_EXTRA_Q for the small kinds: one threshold (min_quality) then
 * serves all; -1 when the outline has a gap over MAX_GAP. */
static float score(const struct implement_detector *d, const struct frame_body *b,
                   enum implement_kind kind, float cx, float cy, float r, float *gap)
{
    const int bell = kind == IMPLEMENT_KETTLEBELL;
    const float q = support(d, cx, cy, r, bell ? -(float)b->ux : 0, bell ? -(float)b->uy : 0, gap);
    if (*gap > MAX_GAP)
        return -1;
    return kind == IMPLEMENT_BARBELL ? q : q - (float)SMALL_EXTRA_Q;
}

struct circle {
    float cx, cy, r, q;
    enum implement_kind kind;
    float gap;
};

/* The best circle of kind `want` (or any kind when want is NONE) within +-reach crop pixels of
 * centre and radius of c, in steps of 1 (then 0.5 around the best). */
static struct circle local_best(const struct implement_detector *d, const struct frame_body *b,
                                struct circle c, int reach, enum implement_kind want)
{
    struct circle best = c;
    best.q = -1;
    best.kind = IMPLEMENT_NONE;
    for (int pass = 0; pass < 2; pass++) {
        const float step = pass == 0 ? 1.0f : 0.5f;
        const int n = pass == 0 ? reach : 1;
        const struct circle at = pass == 0 ? c : best;
        if (pass == 1 && best.q < 0)
            break;
        for (int ir = -n; ir <= n; ir++)
            for (int iy = -n; iy <= n; iy++)
                for (int ix = -n; ix <= n; ix++) {
                    const float cx = at.cx + ix * step, cy = at.cy + iy * step,
                                r = at.r + ir * step;
                    if (r < 3)
                        continue;
                    const enum implement_kind k = classify(b, cx, cy, r);
                    if (k == IMPLEMENT_NONE || (want != IMPLEMENT_NONE && k != want))
                        continue;
                    float gap;
                    const float q = score(d, b, k, cx, cy, r, &gap);
                    if (q > best.q)
                        best = (struct circle){cx, cy, r, q, k, gap};
                }
    }
    return best;
}

/* Candidates for a full search: a circle Hough transform over the crop's edge pixels, each
 * voting at one radius step along its gradient both ways (the outline may be lighter or darker
 * than what is around it); cells whose votes reach a fifth of the circumference and whose circle
 * is one of the implements (classify) are candidates, the best MAX_CANDIDATES by votes per unit
 * of circumference, no two within 2 pixels of centre and radius. Returns their count. */
static int hough(struct implement_detector *d, const struct frame_body *b, struct circle *out)
{
    const int side = d->side;
    const int r_min = (int)fmax(3, floor(0.5 * fmin(DUMBBELL_MIN_D, BELL_MIN_D) * b->s));
    int r_max = (int)ceil(0.5 * PLATE_MAX_D * b->s);
    if (r_max - r_min + 1 > d->cap_radii)
        r_max = r_min + d->cap_radii - 1;
    const int n_r = r_max - r_min + 1;
    const size_t plane = (size_t)side * (size_t)side;
    memset(d->acc, 0, (size_t)n_r * plane * sizeof(*d->acc));
    for (int y = d->vy0; y <= d->vy1; y++)
        for (int x = d->vx0; x <= d->vx1; x++) {
            const float gx = d->gx[y * side + x], gy = d->gy[y * side + x];
            const float m2 = gx * gx + gy * gy;
            if (m2 < EDGE_MIN * EDGE_MIN)
                continue;
            const float inv = 1.0f / sqrtf(m2), nx = gx * inv, ny = gy * inv;
            for (int ri = 0; ri < n_r; ri++) {
                const float r = (float)(r_min + ri);
                for (int sgn = -1; sgn <= 1; sgn += 2) {
                    const int cx = (int)floorf(x + 0.5f + sgn * r * nx);
                    const int cy = (int)floorf(y + 0.5f + sgn * r * ny);
                    if (cx >= 0 && cy >= 0 && cx < side && cy < side) {
                        uint16_t *a = &d->acc[(size_t)ri * plane + (size_t)cy * side + cx];
                        if (*a < UINT16_MAX)
                            (*a)++;
                    }
                }
            }
        }
    int n = 0;
    float votes[MAX_CANDIDATES];
    for (int ri = 0; ri < n_r; ri++) {
        const float r = (float)(r_min + ri), circ = 2.0f * (float)PI * r;
        const uint16_t thr = (uint16_t)(0.08f * circ);
        const uint16_t *a = d->acc + (size_t)ri * plane;
        for (int cy = 0; cy < side; cy++)
            for (int cx = 0; cx < side; cx++) {
                const uint16_t v = a[cy * side + cx];
                if (v < thr)
                    continue;
                const float score = v / circ;
                if (n == MAX_CANDIDATES && score <= votes[n - 1])
                    continue;
                const float fx = cx + 0.5f, fy = cy + 0.5f;
                const enum implement_kind k = classify(b, fx, fy, r);
                if (k == IMPLEMENT_NONE)
                    continue;
                int j, near = -1;
                for (j = 0; j < n; j++)
                    if (fabsf(out[j].cx - fx) <= 2 && fabsf(out[j].cy - fy) <= 2 &&
                        fabsf(out[j].r - r) <= 2) {
                        near = j;
                        break;
                    }
                if (near >= 0) {
                    if (score <= votes[near])
                        continue;
                    for (j = near; j < n - 1; j++) { /* drop it, insert below */
                        out[j] = out[j + 1];
                        votes[j] = votes[j + 1];
                    }
                    n--;
                }
                if (n == MAX_CANDIDATES)
                    n--;
                for (j = n; j > 0 && votes[j - 1] < score; j--) {
                    out[j] = out[j - 1];
                    votes[j] = votes[j - 1];
                }
                out[j] = (struct circle){fx, fy, r, 0, k, 1};
                votes[j] = score;
                n++;
            }
    }
    return n;
}

/* ---- refinement on the full frame ------------------------------------------------------ */

static float luma_at(const uint8_t *rgb, int w, int h, int stride, float x, float y)
{
    x -= 0.5f;
    y -= 0.5f;
    if (x < 0 || y < 0 || x > w - 1.001f || y > h - 1.001f)
        return -1;
    const int ix = (int)x, iy = (int)y;
    const float fx = x - ix, fy = y - iy;
    const uint8_t *p = rgb + (size_t)iy * stride + 3 * ix, *q = p + stride;
    float v[4];
    const uint8_t *c[4] = {p, p + 3, q, q + 3};
    for (int i = 0; i < 4; i++)
        v[i] = 0.299f * c[i][0] + 0.587f * c[i][1] + 0.114f * c[i][2];
    return (v[0] * (1 - fx) + v[1] * fx) * (1 - fy) + (v[2] * (1 - fx) + v[3] * fx) * fy;
}

/* Kasa's algebraic circle fit: x^2 + y^2 + D x + E y + F = 0 in the least-squares sense. */
static int fit_circle(const float *xy, int n, double *cx, double *cy, double *r)
{
    if (n < 5)
        return -1;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
        mx += xy[2 * i];
        my += xy[2 * i + 1];
    }
    mx /= n;
    my /= n;
    double suu = 0, suv = 0, svv = 0, suuu = 0, svvv = 0, suvv = 0, svuu = 0;
    for (int i = 0; i < n; i++) {
        const double u = xy[2 * i] - mx, v = xy[2 * i + 1] - my;
        suu += u * u;
        suv += u * v;
        svv += v * v;
        suuu += u * u * u;
        svvv += v * v * v;
        suvv += u * v * v;
        svuu += v * u * u;
    }
    const double det = suu * svv - suv * suv;
    if (fabs(det) < 1e-9)
        return -1;
    const double b1 = 0.5 * (suuu + suvv), b2 = 0.5 * (svvv + svuu);
    const double uc = (b1 * svv - b2 * suv) / det, vc = (suu * b2 - suv * b1) / det;
    *cx = uc + mx;
    *cy = vc + my;
    *r = sqrt(uc * uc + vc * vc + (suu + svv) / n);
    return 0;
}

/* Moves the circle (frame pixels) onto the steepest luma step along N_ANGLES rays near its
 * outline, then fits a circle and an ellipse to those points. Leaves f as it is when too few
 * rays find a step or the fit wanders off. */
static void refine(const struct implement_detector *d, const uint8_t *rgb, int w, int h,
                   int stride, const struct frame_body *b, struct implement_frame *f)
{
    float xy[2 * N_ANGLES];
    int n = 0;
    const float reach = fminf((float)(2.0 * d->k + 2.0), 15.0f);
    const float ux = f->kind == IMPLEMENT_KETTLEBELL ? -(float)b->ux : 0;
    const float uy = f->kind == IMPLEMENT_KETTLEBELL ? -(float)b->uy : 0;
    for (int i = 0; i < N_ANGLES; i++) {
        const float nx = d->cos_tab[i], ny = d->sin_tab[i];
        if (nx * ux + ny * uy > BELL_SKIP_COS)
            continue;
        /* the steepest luma step along the ray, then the outermost step at least half as steep:
         * a plate's outline is its outer edge, not the inner edge of a light rim */
        float step[64], best = 0, best_t = 0;
        int n_t = 0;
        for (float t = f->r_px - reach; t <= f->r_px + reach && n_t < 64; t += 0.5f, n_t++) {
            const float a = luma_at(rgb, w, h, stride, f->cx_px + (t - 0.5f) * nx,
                                    f->cy_px + (t - 0.5f) * ny);
            const float c = luma_at(rgb, w, h, stride, f->cx_px + (t + 0.5f) * nx,
                                    f->cy_px + (t + 0.5f) * ny);
            step[n_t] = a < 0 || c < 0 ? 0 : fabsf(c - a);
            if (step[n_t] > best)
                best = step[n_t];
        }
        for (int j = n_t - 1; j >= 0; j--)
            if (step[j] >= 0.5f * best && (j == n_t - 1 || step[j] >= step[j + 1]) &&
                (j == 0 || step[j] >= step[j - 1])) {
                best_t = f->r_px - reach + 0.5f * (float)j;
                best = step[j];
                break;
            }
        /* 4 grey levels per pixel: a real outline, not compression noise */
        if (best >= 4.0f && best_t > 0) {
            xy[2 * n] = f->cx_px + best_t * nx;
            xy[2 * n + 1] = f->cy_px + best_t * ny;
            n++;
        }
    }
    if (n < N_ANGLES / 4)
        return;
    double cx, cy, r;
    if (fit_circle(xy, n, &cx, &cy, &r) != 0)
        return;
    /* one pass dropping points off the fit (an arm or a leg crossing the outline) */
    const double tol = d->k > 1.5 ? d->k : 1.5;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (fabs(hypot(xy[2 * i] - cx, xy[2 * i + 1] - cy) - r) <= tol) {
            xy[2 * m] = xy[2 * i];
            xy[2 * m + 1] = xy[2 * i + 1];
            m++;
        }
    if (m < N_ANGLES / 4 || fit_circle(xy, m, &cx, &cy, &r) != 0)
        return;
    if (hypot(cx - f->cx_px, cy - f->cy_px) > reach || fabs(r - f->r_px) > reach)
        return;
    f->cx_px = (float)cx;
    f->cy_px = (float)cy;
    f->r_px = (float)r;
    double e[5];
    if (m >= N_ANGLES / 2 && cv_fit_ellipse(xy, m, e) == 0 && e[2] > 0.5 * r && e[3] > 0.5 * r &&
        e[2] < 2 * r && e[3] < 2 * r)
        for (int i = 0; i < 5; i++)
            f->ellipse[i] = (float)e[i];
}

/* ---- per frame --------------------------------------------------------------------------- */

static enum hc_status store(struct implement_detector *d, const struct implement_frame *f)
{
    if (d->n_frames == d->cap_frames) {
        const int64_t cap = d->cap_frames ? 2 * d->cap_frames : 256;
        struct implement_frame *t = realloc(d->frames, (size_t)cap * sizeof(*t));
        if (!t)
            return hc_fail(HC_ERR_NOMEM, "implement detector: out of memory");
        d->frames = t;
        d->cap_frames = cap;
    }
    d->frames[d->n_frames++] = *f;
    return HC_OK;
}

static void search(struct implement_detector *d, const uint8_t *rgb, int w, int h, int stride,
                   const struct hc_pose_frame *pose, struct implement_frame *f)
{
    const struct hc_landmark *lm = pose->lm;
    double hx, hy;
    if (!hands_centre(lm, &hx, &hy))
        return;
    float s = (float)fmax(fmax(seg(lm, HC_LM_LEFT_KNEE, HC_LM_LEFT_ANKLE),
                               seg(lm, HC_LM_RIGHT_KNEE, HC_LM_RIGHT_ANKLE)),
                          fmax(seg(lm, HC_LM_LEFT_HIP, HC_LM_LEFT_KNEE),
                               seg(lm, HC_LM_RIGHT_HIP, HC_LM_RIGHT_KNEE)));
    if (s > 0) {
        d->ring[d->ring_pos] = s;
        d->ring_pos = (d->ring_pos + 1) % SCALE_RING;
        if (d->n_ring < SCALE_RING)
            d->n_ring++;
    }
    if (d->n_ring == 0)
        return;
    const double shin = ring_median(d);
    f->hand_x_px = (float)hx;
    f->hand_y_px = (float)hy;
    f->shin_px = (float)shin;
    /* below 12 px of shin a plate is a few pixels across: nothing to read */
    if (shin < 12 || make_crop(d, rgb, w, h, stride, hx, hy, shin) != HC_OK)
        return;
    f->kind = IMPLEMENT_NONE;

    struct frame_body b = {(hx - d->x0) / d->k, (hy - d->y0) / d->k, 0, 1, shin / d->k,
                           (lm[HC_LM_LEFT_KNEE].x_px - d->x0) / d->k,
                           (lm[HC_LM_LEFT_KNEE].y_px - d->y0) / d->k,
                           (lm[HC_LM_RIGHT_KNEE].x_px - d->x0) / d->k,
                           (lm[HC_LM_RIGHT_KNEE].y_px - d->y0) / d->k};
    const double shx = 0.5 * (lm[HC_LM_LEFT_SHOULDER].x_px + lm[HC_LM_RIGHT_SHOULDER].x_px);
    const double shy = 0.5 * (lm[HC_LM_LEFT_SHOULDER].y_px + lm[HC_LM_RIGHT_SHOULDER].y_px);
    const double al = hypot(hx - shx, hy - shy);
    if (isfinite(al) && al > 1e-3) {
        b.ux = (hx - shx) / al;
        b.uy = (hy - shy) / al;
    }
    b.hx += GRIP_BEYOND_KNUCKLES * b.s * b.ux;
    b.hy += GRIP_BEYOND_KNUCKLES * b.s * b.uy;

    struct circle best = {0, 0, 0, -1, IMPLEMENT_NONE, 1};
    const float qmin = (float)d->p.min_quality;
    if (d->have_prev && d->prev_index == pose->index - 1 &&
        d->since_full < d->p.full_search_every) {
        const struct circle prev = {(float)((d->prev_cx - d->x0) / d->k),
                                    (float)((d->prev_cy - d->y0) / d->k),
                                    (float)(d->prev_r / d->k), 0, d->prev_kind, 1};
        best = local_best(d, &b, prev, 2, d->prev_kind);
        f->tracked = best.q >= qmin;
        d->since_full++;
    }
    if (best.q < qmin) {
        d->since_full = 0;
        struct circle c[MAX_CANDIDATES];
        const int n = hough(d, &b, c);
        /* A plate that fits wins over the small kinds: its hub and lettering hold bell- and
         * dumbbell-sized rings, while a bell holds no plate-sized one. */
        struct circle plate = best;
        for (int i = 0; i < n; i++) {
            const struct circle got = local_best(d, &b, c[i], 1, c[i].kind);
            if (got.kind == IMPLEMENT_BARBELL && got.q > plate.q)
                plate = got;
            if (got.q > best.q)
                best = got;
        }
        if (plate.q >= qmin)
            best = plate;
        f->tracked = 0;
    }
    if (best.q < qmin) {
        d->have_prev = 0;
        return;
    }
    f->kind = best.kind;
    f->gap = best.gap;
    f->quality = best.kind == IMPLEMENT_BARBELL ? best.q : best.q + (float)SMALL_EXTRA_Q;
    f->cx_px = (float)(d->x0 + best.cx * d->k);
    f->cy_px = (float)(d->y0 + best.cy * d->k);
    f->r_px = (float)(best.r * d->k);
    /* twice: a first estimate off by a few crop pixels sees part of the outline beyond reach */
    refine(d, rgb, w, h, stride, &b, f);
    refine(d, rgb, w, h, stride, &b, f);
    d->have_prev = 1;
    d->prev_kind = best.kind;
    d->prev_cx = f->cx_px;
    d->prev_cy = f->cy_px;
    d->prev_r = f->r_px;
    d->prev_index = pose->index;
}

enum hc_status implement_detector_feed(struct implement_detector *d, const uint8_t *rgb, int w,
                                       int h, int stride, const struct hc_pose_frame *pose,
                                       struct implement_frame *out)
{
    if (!d || !pose || (rgb && (w <= 0 || h <= 0 || stride < 3 * w)))
        return hc_fail(HC_ERR_INVALID_ARG, "implement detector: bad frame");
    const double t0 = hc_thread_cpu_s();
    struct implement_frame f;
    memset(&f, 0, sizeof(f));
    f.index = pose->index;
    f.t_s = pose->t_s;
    f.kind = IMPLEMENT_UNKNOWN;
    if (rgb && pose->has_pose)
        search(d, rgb, w, h, stride, pose, &f);
    else
        d->have_prev = 0;
    f.ms = (float)((hc_thread_cpu_s() - t0) * 1e3);
    d->total_ms += f.ms;
    if (out)
        *out = f;
    return store(d, &f);
}

enum hc_status implement_detector_append(struct implement_detector *d,
                                         const struct implement_detector *src, int64_t first,
                                         int64_t index_shift)
{
    for (int64_t i = first < 0 ? 0 : first; i < src->n_frames; i++) {
        struct implement_frame f = src->frames[i];
        f.index += index_shift;
        d->total_ms += f.ms;
        const enum hc_status st = store(d, &f);
        if (st != HC_OK)
            return st;
    }
    return HC_OK;
}

/* ---- the clip ---------------------------------------------------------------------------- */

static double median_of(float *v, int64_t n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof(float), cmp_float);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

enum hc_status implement_detector_verdict(const struct implement_detector *d,
                                          struct implement_verdict *v)
{
    if (!d || !v)
        return HC_ERR_INVALID_ARG;
    return implement_verdict_of(&d->p, d->frames, d->n_frames, d->total_ms, v);
}

int implement_kind_from_name(const char *name)
{
    for (int k = 0; name && k < IMPLEMENT_N_KINDS; k++)
        if (strcmp(name, implement_kind_name((enum implement_kind)k)) == 0)
            return k;
    return -1;
}

enum hc_status implement_verdict_of(const struct implement_params *p,
                                    const struct implement_frame *frames, int64_t n_frames,
                                    double total_ms, struct implement_verdict *v)
{
    if (!p || !v || (n_frames > 0 && !frames))
        return HC_ERR_INVALID_ARG;
    memset(v, 0, sizeof(*v));
    v->n_frames = n_frames;
    v->ms_per_frame = n_frames ? total_ms / (double)n_frames : 0;
    for (int64_t i = 0; i < n_frames; i++) {
        const enum implement_kind k = frames[i].kind;
        if (k != IMPLEMENT_UNKNOWN)
            v->n_analysed++;
        if (k >= 0 && k < IMPLEMENT_N_KINDS)
            v->n_found[k]++;
    }
    enum implement_kind top = IMPLEMENT_NONE, second = IMPLEMENT_NONE;
    for (int k = IMPLEMENT_BARBELL; k < IMPLEMENT_N_KINDS; k++) {
        if (v->n_found[k] > v->n_found[top] || top == IMPLEMENT_NONE) {
            second = top;
            top = (enum implement_kind)k;
        } else if (second == IMPLEMENT_NONE || v->n_found[k] > v->n_found[second]) {
            second = (enum implement_kind)k;
        }
    }
    const double n_an = (double)v->n_analysed;
    const double s_top = n_an > 0 ? v->n_found[top] / n_an : 0;
    const double s_2 = n_an > 0 ? v->n_found[second] / n_an : 0;

    float *vals = malloc((size_t)(n_frames > 0 ? n_frames : 1) * 2 * sizeof(float));
    if (!vals)
        return hc_fail(HC_ERR_NOMEM, "implement detector: out of memory");
    float *q = vals + (n_frames > 0 ? n_frames : 1);
    int64_t n = 0, m = 0;
    for (int64_t i = 0; i < n_frames; i++)
        if (frames[i].kind != IMPLEMENT_UNKNOWN && frames[i].shin_px > 0)
            vals[m++] = frames[i].shin_px;
    v->shin_px = median_of(vals, m);
    for (int64_t i = 0; i < n_frames; i++)
        if (frames[i].kind == top) {
            vals[n] = 2 * frames[i].r_px;
            q[n++] = frames[i].quality;
        }
    v->diameter_px = median_of(vals, n);
    const double q_med = median_of(q, n);
    free(vals);
    const double per_shin = v->shin_px > 0 ? v->diameter_px / v->shin_px : 0;
    v->diameter_cm_body = per_shin * p->shin_cm;
    v->share_found = s_top;

    if (v->n_analysed < p->min_frames) {
        v->kind = IMPLEMENT_UNKNOWN;
        snprintf(v->evidence, sizeof(v->evidence),
                 "hands seen on %lld frames only: too few to say what the lifter holds",
                 (long long)v->n_analysed);
        return HC_OK;
    }
    if (s_top >= p->min_share) {
        v->kind = top;
        const double qn = (q_med - p->min_quality) / (1 - p->min_quality);
        v->confidence = fmin(1, s_top / (2 * p->min_share)) * (0.6 + 0.4 * fmin(1, fmax(0, qn))) *
                        (s_top / (s_top + s_2));
        const int pct = (int)lround(100 * s_top);
        if (top == IMPLEMENT_BARBELL) {
            v->plates_small = per_shin > 0 && per_shin < PLATE_SMALL_D * p->plate_cm / 45.0;
            v->px_per_cm = v->plates_small ? v->shin_px / p->shin_cm
                                           : v->diameter_px / p->plate_cm;
            snprintf(v->evidence, sizeof(v->evidence),
                     "plate circle of %.0f cm (%.0f px, by the body's scale) found centred at the "
                     "hands on %d%% of %lld frames, median fit %.2f%s",
                     v->diameter_cm_body, v->diameter_px, pct, (long long)v->n_analysed, q_med,
                     v->plates_small ? "; the plates look smaller than standard for this body "
                                       "(under 0.8 of the shin, a standard plate is about 1.05)"
                                     : "");
        } else {
            v->px_per_cm = v->shin_px / p->shin_cm;
            snprintf(v->evidence, sizeof(v->evidence),
                     "%s of %.0f cm (%.0f px, by the body's scale) found %s on %d%% of %lld "
                     "frames, median fit %.2f",
                     top == IMPLEMENT_KETTLEBELL ? "round bell" : "dumbbell head",
                     v->diameter_cm_body, v->diameter_px,
                     top == IMPLEMENT_KETTLEBELL ? "hanging below the hands" : "centred at the hands",
                     pct, (long long)v->n_analysed, q_med);
        }
        return HC_OK;
    }
    v->px_per_cm = v->shin_px / p->shin_cm;
    if (s_top <= p->none_share) {
        v->kind = IMPLEMENT_NONE;
        v->confidence = (0.5 + 0.5 * (1 - s_top / fmax(p->none_share, 1e-6))) *
                        fmin(1, n_an / (2.0 * p->min_frames));
        snprintf(v->evidence, sizeof(v->evidence),
                 "no plate, bell or dumbbell outline at the hands on %d%% of %lld frames (most "
                 "found: %s, %d%%)",
                 (int)lround(100 * v->n_found[IMPLEMENT_NONE] / n_an), (long long)v->n_analysed,
                 implement_kind_name(top), (int)lround(100 * s_top));
        return HC_OK;
    }
    v->kind = IMPLEMENT_UNKNOWN;
    snprintf(v->evidence, sizeof(v->evidence),
             "a %s outline at the hands on %d%% of %lld frames: too few to say, too many to "
             "rule it out",
             implement_kind_name(top), (int)lround(100 * s_top), (long long)v->n_analysed);
    return HC_OK;
}
