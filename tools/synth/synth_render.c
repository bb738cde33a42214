/* synth_render.c - signed-distance rasteriser for the synthetic lifter.
 *
 * Every shape is a signed distance function evaluated at pixel centres inside its bounding box;
 * coverage = clamp(0.5 - d, 0, 1) gives one-pixel anti-aliasing, and a darkening towards the
 * outline (distance from the edge relative to a "shade" radius) gives limbs a rounded look. Draw
 * order is back to front (painter's algorithm): far plate and far limbs, torso, head, implement,
 * near leg, near arm, near plate (--near-plate, or oblique views). BlazePose was trained on photos
 * of people, so the figure keeps human proportions (synth_kin.h), a face in profile and clothes in
 * plausible colours. */
#include "synth_render.h"

#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

struct canvas {
    uint8_t *rgb;
    int w, h, stride;
};

typedef double (*sdf_fn)(const void *ctx, double x, double y);

/* Fills the shape `fn` inside [x0,x1]x[y0,y1] with colour `col` (0..255) at opacity `alpha`;
 * shade_px > 0 darkens by up to 20% towards the outline within shade_px of it. */
static void fill(struct canvas *c, double x0, double y0, double x1, double y1, sdf_fn fn,
                 const void *ctx, const float *col, double alpha, double shade_px)
{
    int ix0 = (int)floor(x0) - 1, iy0 = (int)floor(y0) - 1;
    int ix1 = (int)ceil(x1) + 1, iy1 = (int)ceil(y1) + 1;
    if (ix0 < 0)
        ix0 = 0;
    if (iy0 < 0)
        iy0 = 0;
    if (ix1 > c->w - 1)
        ix1 = c->w - 1;
    if (iy1 > c->h - 1)
        iy1 = c->h - 1;
    for (int y = iy0; y <= iy1; y++) {
        uint8_t *row = c->rgb + (size_t)y * c->stride;
        for (int x = ix0; x <= ix1; x++) {
            double d = fn(ctx, x + 0.5, y + 0.5);
            if (d >= 0.5)
                continue;
            double cov = (d <= -0.5 ? 1.0 : 0.5 - d) * alpha;
            double k = 1.0;
            if (shade_px > 0) {
                double in = -d / shade_px;
                in = in < 0 ? 0 : (in > 1 ? 1 : in);
                k = 0.80 + 0.20 * sqrt(in);
            }
            uint8_t *px = row + 3 * x;
            for (int i = 0; i < 3; i++) {
                double v = px[i] + (col[i] * k - px[i]) * cov;
                px[i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v + 0.5));
            }
        }
    }
}

/* ---- shapes --------------------------------------------------------------------------------- */

struct circle {
    double cx, cy, r;
};
static double sd_circle(const void *v, double x, double y)
{
    const struct circle *c = v;
    return hypot(x - c->cx, y - c->cy) - c->r;
}

struct ellipse {
    double cx, cy, a, b, ca, sa; /* radii along the unit axis (ca, sa) and its normal */
};
static double sd_ellipse(const void *v, double x, double y)
{
    const struct ellipse *e = v;
    double dx = x - e->cx, dy = y - e->cy;
    double u = dx * e->ca + dy * e->sa, w = -dx * e->sa + dy * e->ca;
    /* Inigo Quilez's first-order ellipse distance: k0 (k0 - 1) / k1. */
    double k0 = hypot(u / e->a, w / e->b), k1 = hypot(u / (e->a * e->a), w / (e->b * e->b));
    if (k1 < 1e-12)
        return -fmin(e->a, e->b);
    return k0 * (k0 - 1.0) / k1;
}

struct capsule {
    double ax, ay, bx, by, ra, rb;
};
/* Uneven capsule (radius ra at a, rb at b), after Inigo Quilez's sdUnevenCapsule. */
static double sd_capsule(const void *v, double x, double y)
{
    const struct capsule *c = v;
    double dx = c->bx - c->ax, dy = c->by - c->ay, h = hypot(dx, dy);
    double px = x - c->ax, py = y - c->ay;
    if (h < 1e-9)
        return hypot(px, py) - fmax(c->ra, c->rb);
    double ux = dx / h, uy = dy / h;
    double q_y = px * ux + py * uy, q_x = fabs(-px * uy + py * ux);
    double b = (c->ra - c->rb) / h;
    if (fabs(b) >= 1.0)
        return fmin(hypot(px, py) - c->ra, hypot(x - c->bx, y - c->by) - c->rb);
    double a = sqrt(1.0 - b * b);
    double k = -b * q_x + a * q_y;
    if (k < 0.0)
        return hypot(q_x, q_y) - c->ra;
    if (k > a * h)
        return hypot(q_x, q_y - h) - c->rb;
    return a * q_x + b * q_y - c->ra;
}

#define MAX_POLY 96
struct polygon {
    int n;
    double x[MAX_POLY], y[MAX_POLY];
};
/* Signed distance to a simple polygon (Inigo Quilez's sdPolygon: winding by crossings). */
static double sd_polygon(const void *v, double x, double y)
{
    const struct polygon *p = v;
    double d = (x - p->x[0]) * (x - p->x[0]) + (y - p->y[0]) * (y - p->y[0]);
    double s = 1.0;
    for (int i = 0, j = p->n - 1; i < p->n; j = i, i++) {
        double ex = p->x[j] - p->x[i], ey = p->y[j] - p->y[i];
        double wx = x - p->x[i], wy = y - p->y[i];
        double ee = ex * ex + ey * ey;
        double t = ee > 0 ? (wx * ex + wy * ey) / ee : 0;
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        double bx = wx - ex * t, by = wy - ey * t;
        double dd = bx * bx + by * by;
        if (dd < d)
            d = dd;
        int c1 = y >= p->y[i], c2 = y<p->y[j], c3 = ex * wy> ey * wx;
        if ((c1 && c2 && c3) || (!c1 && !c2 && !c3))
            s = -s;
    }
    return s * sqrt(d);
}

static void draw_circle(struct canvas *c, double cx, double cy, double r, const float *col,
                        double shade)
{
    struct circle s = {cx, cy, r};
    fill(c, cx - r, cy - r, cx + r, cy + r, sd_circle, &s, col, 1.0, shade);
}

static void draw_ellipse(struct canvas *c, double cx, double cy, double a, double b, double ux,
                         double uy, const float *col, double alpha, double shade)
{
    double n = hypot(ux, uy);
    struct ellipse e = {cx, cy, a, b, ux / n, uy / n};
    double r = fmax(a, b);
    fill(c, cx - r, cy - r, cx + r, cy + r, sd_ellipse, &e, col, alpha, shade);
}

static void draw_capsule(struct canvas *c, const double *a, const double *b, double ra, double rb,
                         const float *col, double shade)
{
    struct capsule s = {a[0], a[1], b[0], b[1], ra, rb};
    double r = fmax(ra, rb);
    fill(c, fmin(a[0], b[0]) - r, fmin(a[1], b[1]) - r, fmax(a[0], b[0]) + r, fmax(a[1], b[1]) + r,
         sd_capsule, &s, col, 1.0, shade);
}

static void draw_polygon(struct canvas *c, const struct polygon *p, const float *col, double shade)
{
    if (p->n < 3)
        return;
    double x0 = p->x[0], x1 = p->x[0], y0 = p->y[0], y1 = p->y[0];
    for (int i = 1; i < p->n; i++) {
        x0 = fmin(x0, p->x[i]);
        x1 = fmax(x1, p->x[i]);
        y0 = fmin(y0, p->y[i]);
        y1 = fmax(y1, p->y[i]);
    }
    fill(c, x0, y0, x1, y1, sd_polygon, p, col, 1.0, shade);
}

static void poly_add(struct polygon *p, double x, double y)
{
    if (p->n < MAX_POLY) {
        p->x[p->n] = x;
        p->y[p->n] = y;
        p->n++;
    }
}

/* ---- style ---------------------------------------------------------------------------------- */

static void set_rgb(float *d, int r, int g, int b)
{
    d[0] = (float)r;
    d[1] = (float)g;
    d[2] = (float)b;
}

void synth_style_default(struct synth_style *st, uint32_t seed)
{
    /* Skin tones spanning light to dark (Fitzpatrick-like sRGB samples); BlazePose is trained
     * on all of them. */
    static const int skins[][3] = {
        {224, 172, 138}, {241, 198, 168}, {198, 134, 98}, {141, 85, 54}, {176, 118, 84}};
    static const int shirts[][3] = {
        {44, 92, 168}, {178, 40, 48}, {46, 120, 82}, {90, 90, 98}, {230, 120, 30}};
    static const int shorts[][3] = {{38, 40, 52}, {25, 25, 28}, {60, 64, 80}, {80, 60, 50}};
    static const int hairs[][3] = {{58, 38, 28}, {25, 20, 18}, {120, 80, 40}, {40, 30, 25}};
    uint32_t h = seed * 2654435761u;
    int si = seed ? (int)((h >> 3) % 5) : 0, ci = seed ? (int)((h >> 7) % 5) : 0;
    int pi = seed ? (int)((h >> 11) % 4) : 0, hi = seed ? (int)((h >> 15) % 4) : 0;
    memset(st, 0, sizeof *st);
    set_rgb(st->skin, skins[si][0], skins[si][1], skins[si][2]);
    set_rgb(st->shirt, shirts[ci][0], shirts[ci][1], shirts[ci][2]);
    set_rgb(st->shorts, shorts[pi][0], shorts[pi][1], shorts[pi][2]);
    set_rgb(st->hair, hairs[hi][0], hairs[hi][1], hairs[hi][2]);
    set_rgb(st->sock, 236, 236, 232);
    set_rgb(st->shoe, 70, 74, 84);
    set_rgb(st->sole, 235, 235, 230);
    set_rgb(st->bg_top, 226, 229, 233);
    set_rgb(st->bg_bottom, 206, 210, 215);
    set_rgb(st->floor_col, 168, 160, 150);
    set_rgb(st->floor_line, 96, 92, 88);
    set_rgb(st->bar, 160, 162, 168);
    /* Light grey plates: with black ones BlazePose mistook the plate's edge for the knee at
     * standing (median hip-angle error 4.8 deg against 2.5 deg with light grey 30 cm plates, on a
     * 2-rep clip through `hingecheck pose`, full model). */
    set_rgb(st->plate, 190, 192, 198);
    set_rgb(st->bell, 44, 44, 48);
    /* Near plate (--near-plate): a black rubber bumper plate, its rounded lip lit, a steel hub. */
    set_rgb(st->plate_face, 34, 34, 38);
    set_rgb(st->plate_lip, 120, 121, 127);
    set_rgb(st->plate_ridge, 56, 56, 61);
    set_rgb(st->plate_hub, 178, 180, 186);
    set_rgb(st->eye_white, 240, 238, 235);
    set_rgb(st->iris, 52, 36, 26);
    set_rgb(st->lip, (int)(st->skin[0] * 0.78f), (int)(st->skin[1] * 0.55f),
            (int)(st->skin[2] * 0.55f));
    st->far_shade = 0.78f;
}

static void shade_col(const float *in, float k, float *out)
{
    for (int i = 0; i < 3; i++)
        out[i] = in[i] * k;
}

/* ---- figure --------------------------------------------------------------------------------- */

struct fig {
    struct canvas cv;
    const struct synth_script *sc;
    const struct synth_pose *ps;
    const struct synth_style *st;
    double hgt; /* body height, m */
};

static const double *P(const struct fig *f, int i)
{
    return f->ps->pt2[i];
}

static double R(const struct fig *f, int i, double frac) /* radius frac*height in px at point i */
{
    return frac * f->hgt * f->ps->px_per_m[i];
}

static void lerp2(const double *a, const double *b, double t, double *o)
{
    o[0] = a[0] + (b[0] - a[0]) * t;
    o[1] = a[1] + (b[1] - a[1]) * t;
}

static void proj(const struct fig *f, double x, double y, double z, double *img)
{
    double b[3] = {x, y, z}, ppm;
    synth_project(f->sc, b, img, &ppm);
}

/* Shoe outline built in the body frame around the foot points (so heel lift tilts it), then
 * projected. Lengths are fractions of height (shoe ~2 cm longer than the foot). */
static void draw_foot(struct fig *f, int side, const float *shoe, const float *sole)
{
    const double h = f->hgt;
    const double *he = f->ps->pt3[SP_HEEL_N + side], *ba = f->ps->pt3[SP_BALL_N + side];
    const double *to = f->ps->pt3[SP_TOE_N + side], *an = f->ps->pt3[SP_ANKLE_N + side];
    double z = an[2];
    double hs[2] = {he[0], he[1] - 0.012 * h};
    double ux = ba[0] - hs[0], uy = ba[1] - hs[1], ul = hypot(ux, uy);
    ux /= ul;
    uy /= ul;
    double nx = -uy, ny = ux;
    double pts[9][2] = {
        {hs[0] - 0.008 * h * ux, hs[1] - 0.008 * h * uy},
        {ba[0], 0},
        {to[0] + 0.006 * h, 0},
        {to[0] + 0.012 * h, 0.018 * h},
        {ba[0] + 0.035 * h, 0.038 * h},
        {hs[0] + 0.62 * (ba[0] - hs[0]) + 0.05 * h * nx,
         hs[1] + 0.62 * (ba[1] - hs[1]) + 0.05 * h * ny},
        {an[0] + 0.02 * h * ux + 0.02 * h * nx, an[1] + 0.02 * h * uy + 0.02 * h * ny},
        {an[0] - 0.022 * h * ux + 0.022 * h * nx, an[1] - 0.022 * h * uy + 0.022 * h * ny},
        {hs[0] - 0.010 * h * ux + 0.055 * h * nx, hs[1] - 0.010 * h * uy + 0.055 * h * ny},
    };
    struct polygon pg = {0};
    for (int i = 0; i < 9; i++) {
        double img[2];
        proj(f, pts[i][0], pts[i][1], z, img);
        poly_add(&pg, img[0], img[1]);
    }
    draw_polygon(&f->cv, &pg, shoe, R(f, SP_ANKLE_N + side, 0.02));
    const double t = 0.011 * h;
    double sp[6][2] = {
        {pts[0][0], pts[0][1]},
        {pts[1][0], pts[1][1]},
        {pts[2][0], pts[2][1]},
        {pts[2][0] + 0.004 * h, t},
        {ba[0], t},
        {pts[0][0] + t * nx, pts[0][1] + t * ny},
    };
    struct polygon ps = {0};
    for (int i = 0; i < 6; i++) {
        double img[2];
        proj(f, sp[i][0], sp[i][1], z, img);
        poly_add(&ps, img[0], img[1]);
    }
    draw_polygon(&f->cv, &ps, sole, 0);
}

/* Limb radii as fractions of height: side-view thickness of thigh, calf and arm (circumference
 * / pi from adult anthropometry: mid-thigh ~55 cm, calf ~37 cm, upper arm ~30 cm at 1.75 m). */
static void draw_leg(struct fig *f, int side, float k)
{
    const struct synth_style *st = f->st;
    float skin[3], shorts[3], sock[3], shoe[3], sole[3];
    shade_col(st->skin, k, skin);
    shade_col(st->shorts, k, shorts);
    shade_col(st->sock, k, sock);
    shade_col(st->shoe, k, shoe);
    shade_col(st->sole, k, sole);
    int hip = SP_HIP_N + side, knee = SP_KNEE_N + side, ank = SP_ANKLE_N + side;
    double rh = R(f, hip, 0.052), rk = R(f, knee, 0.032), rs = R(f, knee, 0.031);
    double ra = R(f, ank, 0.020);
    draw_capsule(&f->cv, P(f, hip), P(f, knee), rh, rk, skin, rh);
    /* shin, with the calf bulging behind its upper half */
    double dx = P(f, ank)[0] - P(f, knee)[0], dy = P(f, ank)[1] - P(f, knee)[1];
    double dl = hypot(dx, dy);
    dx /= dl;
    dy /= dl;
    double bx = -dy, by = dx; /* a normal; make it point to the lifter's back */
    if (bx * f->sc->p.facing > 0) {
        bx = -bx;
        by = -by;
    }
    double c[2];
    lerp2(P(f, knee), P(f, ank), 0.33, c);
    double off = R(f, knee, 0.010);
    draw_ellipse(&f->cv, c[0] + bx * off, c[1] + by * off, R(f, knee, 0.075), R(f, knee, 0.028), dx,
                 dy, skin, 1.0, R(f, knee, 0.03));
    draw_capsule(&f->cv, P(f, knee), P(f, ank), rs, ra, skin, rs); /* over the calf's inner edge */
    /* shorts over the upper 45% of the thigh */
    double m[2];
    lerp2(P(f, hip), P(f, knee), 0.45, m);
    draw_capsule(&f->cv, P(f, hip), m, rh * 1.06, (rh + (rk - rh) * 0.45) * 1.08, shorts, rh);
    /* sock above the shoe */
    double s1[2];
    lerp2(P(f, ank), P(f, knee), 0.16, s1);
    draw_capsule(&f->cv, P(f, ank), s1, ra * 1.08, ra * 1.1, sock, 0);
    draw_foot(f, side, shoe, sole);
}

static void draw_arm(struct fig *f, int side, float k)
{
    const struct synth_style *st = f->st;
    float skin[3], shirt[3];
    shade_col(st->skin, k, skin);
    shade_col(st->shirt, k, shirt);
    int sh = SP_SHOULDER_N + side, el = SP_ELBOW_N + side, wr = SP_WRIST_N + side;
    int gr = SP_GRIP_N + side;
    double rs = R(f, sh, 0.026), re = R(f, el, 0.021), rw = R(f, wr, 0.015);
    draw_capsule(&f->cv, P(f, sh), P(f, el), rs, re, skin, rs);
    draw_capsule(&f->cv, P(f, el), P(f, wr), re, rw, skin, re);
    draw_capsule(&f->cv, P(f, wr), P(f, gr), rw * 1.05, R(f, gr, 0.019), skin, rw);
    draw_circle(&f->cv, P(f, gr)[0], P(f, gr)[1], R(f, gr, 0.021), skin, R(f, gr, 0.02));
    double m[2];
    lerp2(P(f, sh), P(f, el), 0.4, m);
    draw_capsule(&f->cv, P(f, sh), m, rs * 1.22, (rs + (re - rs) * 0.4) * 1.25, shirt, rs);
}

/* Torso offsets from the spine (metres at 1.75 m): back surface and front surface against the
 * position s along the hip->shoulder chord (s < 0: pelvis and buttocks below the hip joint).
 * The back is kept nearly parallel to the spine between the glutes and the shoulder blades so
 * the back contour's bend equals the scripted spine rounding. */
static const double torso_s[] = {-0.22, -0.12, 0.0, 0.2, 0.5, 0.7, 0.88, 1.0};
static const double torso_back[] = {0.07, 0.10, 0.112, 0.100, 0.096, 0.098, 0.095, 0.075};
static const double torso_front[] = {0.05, 0.075, 0.088, 0.098, 0.094, 0.118, 0.11, 0.075};

static double table_at(const double *xs, const double *ys, int n, double x)
{
    if (x <= xs[0])
        return ys[0];
    for (int i = 1; i < n; i++)
        if (x <= xs[i])
            return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    return ys[n - 1];
}

/* Spine point, back normal (image) and px/m at chord position s (extrapolated below the hip). */
static void spine_at(const struct fig *f, double s, double *pt, double *nb, double *ppm)
{
    const int n = SYNTH_N_SPINE;
    double fi = s * (n - 1);
    int i = (int)floor(fi);
    if (i < 0)
        i = 0;
    if (i > n - 2)
        i = n - 2;
    double w = fi - i;
    const double *a = f->ps->pt2[SP_SPINE0 + i], *b = f->ps->pt2[SP_SPINE0 + i + 1];
    pt[0] = a[0] + (b[0] - a[0]) * w;
    pt[1] = a[1] + (b[1] - a[1]) * w;
    double wc = w < 0 ? 0 : (w > 1 ? 1 : w);
    const double *na = f->ps->spine_back2[i], *nbb = f->ps->spine_back2[i + 1];
    nb[0] = na[0] + (nbb[0] - na[0]) * wc;
    nb[1] = na[1] + (nbb[1] - na[1]) * wc;
    double l = hypot(nb[0], nb[1]);
    nb[0] /= l;
    nb[1] /= l;
    *ppm = f->ps->px_per_m[SP_SPINE0 + i] +
           (f->ps->px_per_m[SP_SPINE0 + i + 1] - f->ps->px_per_m[SP_SPINE0 + i]) * wc;
}

static void torso_offsets(const struct fig *f, double s, double *back, double *front)
{
    const int n = (int)HC_ARRAY_LEN(torso_s);
    double hs = f->hgt / 1.75, half_w = 0.15 + 0.04 * (s < 0 ? 0 : s);
    *back = hs * (table_at(torso_s, torso_back, n, s) * f->ps->yaw_cos + half_w * f->ps->yaw_sin);
    *front = hs * (table_at(torso_s, torso_front, n, s) * f->ps->yaw_cos + half_w * f->ps->yaw_sin);
}

static void torso_cap(const struct fig *f, struct polygon *pg, double s, int top)
{
    double c[2], nb[2], ppm, bk, fr;
    spine_at(f, s, c, nb, &ppm);
    torso_offsets(f, s, &bk, &fr);
    double t[2] = {-nb[1], nb[0]}; /* tangent: pick the one pointing away from the torso */
    double other[2], nb2[2], ppm2;
    spine_at(f, top ? s - 0.1 : s + 0.1, other, nb2, &ppm2);
    if ((c[0] - other[0]) * t[0] + (c[1] - other[1]) * t[1] < 0) {
        t[0] = -t[0];
        t[1] = -t[1];
    }
    double len = (top ? 0.055 : 0.05) * f->hgt / 1.75 * ppm;
    for (int k = 1; k < 8; k++) {
        double th = M_PI * k / 8.0;
        if (!top)
            th = M_PI - th; /* bottom cap runs back -> front */
        double r = (fr + (bk - fr) * th / M_PI) * ppm;
        poly_add(pg, c[0] - nb[0] * cos(th) * r + t[0] * sin(th) * len,
                 c[1] - nb[1] * cos(th) * r + t[1] * sin(th) * len);
    }
}

static void torso_poly(const struct fig *f, double s_lo, double s_hi, int cap_hi,
                       struct polygon *pg)
{
    const int steps = 16;
    pg->n = 0;
    for (int i = 0; i <= steps; i++) {
        double s = s_lo + (s_hi - s_lo) * i / steps, c[2], nb[2], ppm, bk, fr;
        spine_at(f, s, c, nb, &ppm);
        torso_offsets(f, s, &bk, &fr);
        poly_add(pg, c[0] - nb[0] * fr * ppm, c[1] - nb[1] * fr * ppm);
    }
    if (cap_hi)
        torso_cap(f, pg, s_hi, 1);
    for (int i = steps; i >= 0; i--) {
        double s = s_lo + (s_hi - s_lo) * i / steps, c[2], nb[2], ppm, bk, fr;
        spine_at(f, s, c, nb, &ppm);
        torso_offsets(f, s, &bk, &fr);
        poly_add(pg, c[0] + nb[0] * bk * ppm, c[1] + nb[1] * bk * ppm);
    }
    torso_cap(f, pg, s_lo, 0);
}

/* Head in profile, drawn in the head frame (origin at the ear, forward, up; metres at 1.75 m). */
static void head_pt(const struct fig *f, const double *fw, const double *up, double m, double a,
                    double b, double *o)
{
    const double *O = P(f, SP_HEAD);
    o[0] = O[0] + (a * fw[0] + b * up[0]) * m;
    o[1] = O[1] + (a * fw[1] + b * up[1]) * m;
}

static void draw_head(struct fig *f)
{
    const struct synth_style *st = f->st;
    const double *O = P(f, SP_HEAD);
    double fw[2] = {P(f, SP_HEAD_FWD)[0] - O[0], P(f, SP_HEAD_FWD)[1] - O[1]};
    double up[2] = {P(f, SP_HEAD_UP)[0] - O[0], P(f, SP_HEAD_UP)[1] - O[1]};
    double lf = hypot(fw[0], fw[1]), lu = hypot(up[0], up[1]);
    for (int i = 0; i < 2; i++) {
        fw[i] /= lf;
        up[i] /= lu;
    }
    double m = f->ps->px_per_m[SP_HEAD] * f->hgt / 1.75;
    double c[2], a[2], b[2];
    float skin_dk[3], ear_in[3];
    shade_col(st->skin, 0.86f, skin_dk);
    shade_col(st->skin, 0.62f, ear_in);

    /* neck: from the neck root to under the skull */
    head_pt(f, fw, up, m, 0.0, -0.055, a);
    draw_capsule(&f->cv, P(f, SP_NECK_BASE), a, 0.052 * m, 0.048 * m, st->skin, 0.05 * m);
    /* skull (hair) */
    head_pt(f, fw, up, m, 0.02, 0.045, c);
    draw_ellipse(&f->cv, c[0], c[1], 0.102 * m, 0.108 * m, fw[0], fw[1], st->hair, 1.0, 0.04 * m);
    /* face and jaw: profile polygon with brow, nose, lips and chin */
    static const double face[][2] = {
        {-0.025, 0.015}, {-0.02, -0.045}, {0.005, -0.085}, {0.045, -0.108}, {0.082, -0.112},
        {0.098, -0.100}, {0.100, -0.082}, {0.107, -0.070}, {0.103, -0.060}, {0.108, -0.050},
        {0.113, -0.040}, {0.120, -0.037}, {0.133, -0.024}, {0.126, -0.008}, {0.110, 0.012},
        {0.108, 0.026},  {0.114, 0.040},  {0.110, 0.070},  {0.094, 0.098},  {0.060, 0.112},
        {0.040, 0.098},  {0.040, 0.060},  {0.020, 0.030},
    };
    struct polygon pg = {0};
    for (size_t i = 0; i < HC_ARRAY_LEN(face); i++) {
        double q[2];
        head_pt(f, fw, up, m, face[i][0], face[i][1], q);
        poly_add(&pg, q[0], q[1]);
    }
    draw_polygon(&f->cv, &pg, st->skin, 0.035 * m);
    /* sideburn / hairline over the temple */
    head_pt(f, fw, up, m, 0.03, 0.06, c);
    draw_ellipse(&f->cv, c[0], c[1], 0.03 * m, 0.04 * m, fw[0], fw[1], st->hair, 1.0, 0);
    /* ear */
    draw_ellipse(&f->cv, O[0], O[1], 0.021 * m, 0.032 * m, fw[0], fw[1], skin_dk, 1.0, 0.01 * m);
    head_pt(f, fw, up, m, 0.004, 0.002, c);
    draw_ellipse(&f->cv, c[0], c[1], 0.008 * m, 0.016 * m, fw[0], fw[1], ear_in, 1.0, 0);
    /* eye: white, iris, upper lid line; eyebrow */
    head_pt(f, fw, up, m, 0.094, 0.025, c);
    draw_ellipse(&f->cv, c[0], c[1], 0.011 * m, 0.0065 * m, fw[0], fw[1], st->eye_white, 1.0, 0);
    head_pt(f, fw, up, m, 0.099, 0.025, c);
    draw_circle(&f->cv, c[0], c[1], 0.0055 * m, st->iris, 0);
    head_pt(f, fw, up, m, 0.083, 0.031, a);
    head_pt(f, fw, up, m, 0.104, 0.030, b);
    draw_capsule(&f->cv, a, b, 0.0022 * m, 0.0018 * m, st->iris, 0);
    head_pt(f, fw, up, m, 0.078, 0.046, a);
    head_pt(f, fw, up, m, 0.110, 0.045, b);
    draw_capsule(&f->cv, a, b, 0.0045 * m, 0.0035 * m, st->hair, 0);
    /* nostril and mouth */
    head_pt(f, fw, up, m, 0.117, -0.031, c);
    draw_ellipse(&f->cv, c[0], c[1], 0.006 * m, 0.0035 * m, fw[0], fw[1], ear_in, 1.0, 0);
    head_pt(f, fw, up, m, 0.088, -0.066, a);
    head_pt(f, fw, up, m, 0.104, -0.064, b);
    draw_capsule(&f->cv, a, b, 0.0035 * m, 0.003 * m, st->lip, 0);
}

static void draw_background(struct fig *f)
{
    const struct synth_style *st = f->st;
    struct canvas *c = &f->cv;
    int fy = (int)lround(f->sc->floor_y_px);
    for (int y = 0; y < c->h; y++) {
        float col[3];
        if (y < fy) {
            float w = (float)y / (float)(fy > 0 ? fy : 1);
            for (int i = 0; i < 3; i++)
                col[i] = st->bg_top[i] + (st->bg_bottom[i] - st->bg_top[i]) * w;
        } else {
            float w = (float)(y - fy) / (float)(c->h - fy + 1);
            for (int i = 0; i < 3; i++)
                col[i] = st->floor_col[i] * (1.0f - 0.12f * w);
        }
        if (y >= fy - 1 && y <= fy)
            memcpy(col, st->floor_line, sizeof col);
        uint8_t px[3] = {(uint8_t)(col[0] + 0.5f), (uint8_t)(col[1] + 0.5f),
                         (uint8_t)(col[2] + 0.5f)};
        uint8_t *row = c->rgb + (size_t)y * c->stride;
        for (int x = 0; x < c->w; x++)
            memcpy(row + 3 * x, px, 3);
    }
    /* soft contact shadow under the feet */
    static const float black[3] = {0, 0, 0};
    double hx = 0.5 * (P(f, SP_HEEL_N)[0] + P(f, SP_TOE_N)[0]);
    double ppm = f->ps->px_per_m[SP_ANKLE_N];
    draw_ellipse(c, hx, f->sc->floor_y_px + 1, 0.25 * ppm, 0.022 * ppm, 1, 0, black, 0.22, 0);
}

/* The near plate as a camera beside the bar sees it, drawn last (nearest the camera): a bumper
 * plate's dark rubber face with a lighter rounded lip at its edge (the edge catches the light, so
 * the outline reads against dark shorts as well as the light background), a moulded ridge, the
 * steel hub and the bar's sleeve sticking out of it. Centred on the bar axis at the plate's
 * depth; a disc seen off side-on is an ellipse narrowed by cos(yaw). It hides what is behind
 * it (the knee, the hands, part of the thigh or shin), as real plates do. */
static void draw_near_plate(struct fig *f)
{
    const struct synth_style *st = f->st;
    const double *pc = P(f, SP_PLATE_NEAR);
    const double r = f->sc->plate_radius_m * f->ps->px_per_m[SP_PLATE_NEAR];
    const double k = fabs(cos(f->sc->p.yaw_deg * M_PI / 180.0));
    /* (radius fraction, colour): lip, face, ridge, face, hub */
    const struct {
        double fr;
        const float *col;
    } rings[] = {
        {1.0, st->plate_lip},   {0.95, st->plate_face}, {0.74, st->plate_ridge},
        {0.71, st->plate_face}, {0.22, st->plate_hub},
    };
    for (size_t i = 0; i < HC_ARRAY_LEN(rings); i++)
        draw_ellipse(&f->cv, pc[0], pc[1], rings[i].fr * r, rings[i].fr * r * k, 0, 1, rings[i].col,
                     1.0, 0);
    const double *be = P(f, SP_BAR_NEAR);
    double sleeve = 0.025 * f->ps->px_per_m[SP_BAR_NEAR];
    draw_capsule(&f->cv, pc, be, sleeve, sleeve, st->bar, 0);
    draw_circle(&f->cv, be[0], be[1], sleeve, st->bar, sleeve);
}

void synth_render(const struct synth_script *sc, const struct synth_pose *pose,
                  const struct synth_style *st, uint8_t *rgb, int stride)
{
    struct fig f = {{rgb, sc->p.width_px, sc->p.height_px, stride}, sc, pose, st, sc->p.height_m};
    const enum synth_lift lift = sc->p.lift;
    const int barbell = lift != SYNTH_LIFT_KB_SWING;
    const int plates = barbell && sc->plate_radius_m > 0;
    float far_plate[3], far_bar[3];
    shade_col(st->plate, 0.9f, far_plate);
    shade_col(st->bar, st->far_shade, far_bar);

    draw_background(&f);
    if (barbell) {
        /* Far plate and the bar behind the body. The near plate is drawn last, and in side views
         * only with --near-plate: without it the near leg stays in full view. */
        const double *pf = P(&f, SP_PLATE_FAR);
        double ppm = pose->px_per_m[SP_PLATE_FAR];
        float rim[3], hub[3];
        shade_col(st->plate, 0.8f, rim);
        shade_col(st->bar, 0.7f, hub);
        if (plates) {
            draw_circle(&f.cv, pf[0], pf[1], sc->plate_radius_m * ppm, far_plate, 0);
            draw_circle(&f.cv, pf[0], pf[1], sc->plate_radius_m * ppm * 0.93, rim, 0);
            draw_circle(&f.cv, pf[0], pf[1], sc->plate_radius_m * ppm * 0.90, far_plate, 0);
        }
        draw_circle(&f.cv, pf[0], pf[1], 0.035 * ppm, hub, 0);
        draw_capsule(&f.cv, pf, P(&f, SP_BAR), 0.014 * ppm, 0.014 * pose->px_per_m[SP_BAR], far_bar,
                     0);
    }
    draw_arm(&f, 1, st->far_shade);
    draw_leg(&f, 1, st->far_shade);

    struct polygon pg;
    torso_poly(&f, -0.22, 1.0, 1, &pg);
    draw_polygon(&f.cv, &pg, st->shirt, 0.06 * pose->px_per_m[SP_SPINE0]);
    torso_poly(&f, -0.22, 0.2, 0, &pg);
    draw_polygon(&f.cv, &pg, st->shorts, 0.06 * pose->px_per_m[SP_SPINE0]);
    draw_head(&f);

    if (lift == SYNTH_LIFT_KB_SWING) {
        const double *bc = P(&f, SP_BELL);
        double ppm = pose->px_per_m[SP_BELL];
        draw_capsule(&f.cv, bc, P(&f, SP_BAR), 0.045 * ppm, 0.03 * ppm, st->bell, 0);
        draw_circle(&f.cv, bc[0], bc[1], 0.105 * ppm, st->bell, 0.05 * ppm);
    }
    draw_leg(&f, 0, 1.0f);
    if (barbell) {
        double ppm = pose->px_per_m[SP_BAR_NEAR];
        draw_capsule(&f.cv, P(&f, SP_BAR), P(&f, SP_BAR_NEAR), 0.014 * pose->px_per_m[SP_BAR],
                     0.014 * ppm, st->bar, 0);
        draw_circle(&f.cv, P(&f, SP_BAR_NEAR)[0], P(&f, SP_BAR_NEAR)[1], 0.026 * ppm, st->bar, 0);
    }
    draw_arm(&f, 0, 1.0f);
    if (plates && sc->p.near_plate) {
        draw_near_plate(&f);
    } else if (plates && fabs(sc->p.yaw_deg) >= 15) {
        /* Oblique views: the near plate sits off to one side of the body, so draw it (nearest
         * the camera, last). */
        double ppm = pose->px_per_m[SP_BAR_NEAR];
        const double *pn = P(&f, SP_BAR_NEAR);
        draw_circle(&f.cv, pn[0], pn[1], sc->plate_radius_m * ppm, st->plate, 0);
        float hub[3];
        shade_col(st->bar, 0.8f, hub);
        draw_circle(&f.cv, pn[0], pn[1], 0.035 * ppm, hub, 0);
    }
}

void synth_rotate_ccw(const uint8_t *src, int w, int h, int src_stride, int rot_deg, uint8_t *dst,
                      int dst_stride)
{
    for (int y = 0; y < h; y++) {
        const uint8_t *row = src + (size_t)y * src_stride;
        for (int x = 0; x < w; x++) {
            int dx, dy;
            switch (rot_deg) {
            case 90:
                dx = y;
                dy = w - 1 - x;
                break; /* dst is h wide, w tall */
            case 180:
                dx = w - 1 - x;
                dy = h - 1 - y;
                break;
            case 270:
                dx = h - 1 - y;
                dy = x;
                break;
            default:
                dx = x;
                dy = y;
                break;
            }
            memcpy(dst + (size_t)dy * dst_stride + 3 * dx, row + 3 * x, 3);
        }
    }
}
