/*
 * synth_render.h - draws the synthetic lifter of a struct synth_pose into an RGB24 buffer
 * (pure C, libm only): filled anti-aliased shapes, skin and clothing colours, face in profile,
 * barbell or kettlebell, floor line, plain light background.
 *
 * Usage:
 *
 *     struct synth_style st;
 *     synth_style_default(&st, seed);                 // seed picks skin tone and clothes
 *     uint8_t *rgb = malloc((size_t)w * h * 3);      // w, h = sc.p.width_px, sc.p.height_px
 *     synth_pose_at(&sc, t, &pose);
 *     synth_render(&sc, &pose, &st, rgb, w * 3);
 */
#ifndef HC_SYNTH_RENDER_H
#define HC_SYNTH_RENDER_H

#include "synth_kin.h"

#include <stdint.h>

struct synth_style {
    float skin[3], hair[3], shirt[3], shorts[3], sock[3], shoe[3], sole[3];
    float bg_top[3], bg_bottom[3], floor_col[3], floor_line[3];
    float bar[3], plate[3], bell[3];
    float plate_face[3], plate_lip[3], plate_ridge[3], plate_hub[3]; /* the near plate */
    float eye_white[3], iris[3], lip[3];
    float far_shade; /* far-side limbs are drawn at this brightness (0.78) */
};

/* Colours: seed 0 is the default look (medium skin, blue shirt, dark shorts); other seeds pick
 * from small palettes of skin tones and clothes. */
void synth_style_default(struct synth_style *st, uint32_t seed);

/* Draws the whole frame (display size sc->p.width_px x sc->p.height_px, upright). */
void synth_render(const struct synth_script *sc, const struct synth_pose *pose,
                  const struct synth_style *st, uint8_t *rgb, int stride);

/* Rotates an upright w x h RGB24 image counter-clockwise by rot_deg (0, 90, 180, 270) into dst
 * (which is h x w for 90/270), so that a player applying a clockwise display rotation of rot_deg
 * shows it upright again. dst_stride in bytes. */
void synth_rotate_ccw(const uint8_t *src, int w, int h, int src_stride, int rot_deg, uint8_t *dst,
                      int dst_stride);

#endif /* HC_SYNTH_RENDER_H */
