/* bench_mkclip.c - a long benchmark clip made from a short real one: decodes SRC with the
 * project's decoder and writes it over and over (forward loops) with the project's writer until
 * OUT lasts at least SECONDS, at SRC's size and frame rate.
 *
 *     bench_mkclip SRC OUT SECONDS [CRF]
 *
 * Real footage, not a synthetic render, because decode cost depends on the picture: a flat
 * mannequin compresses to almost nothing and decodes far faster than a gym clip. Loops are cut
 * forward (the lifter jumps back to the start pose at each loop: the tracker may detect again
 * there, as it would on a cut in a real clip). Memory: one frame. */
#define _POSIX_C_SOURCE 200809L
#include "video/video.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_mkclip SRC OUT SECONDS [CRF]\n");
        return 1;
    }
    const char *src = argv[1], *out = argv[2];
    const double seconds = atof(argv[3]);
    const int crf = argc > 4 ? atoi(argv[4]) : 0;
    struct video_writer *w = NULL;
    int64_t n = 0;
    double fps = 30.0;
    while ((double)n / fps < seconds) {
        struct video_decoder *d;
        struct video_open_params vp = video_default_open_params();
        if (video_decoder_open(src, &vp, &d) != HC_OK) {
            fprintf(stderr, "bench_mkclip: %s\n", hc_last_error());
            return 1;
        }
        const struct hc_video_info *info = video_decoder_info(d);
        if (!w) {
            struct video_writer_params wp = video_default_writer_params();
            wp.width_px = info->width_px;
            wp.height_px = info->height_px;
            wp.fps = fps = info->fps > 0 ? info->fps : 30.0;
            wp.crf = crf;
            if (video_writer_open(out, &wp, &w) != HC_OK) {
                fprintf(stderr, "bench_mkclip: %s\n", hc_last_error());
                return 1;
            }
        }
        struct video_frame f;
        const int64_t before = n;
        while ((double)n / fps < seconds && video_decoder_next(d, &f) == HC_OK) {
            if (video_writer_write_rgb(w, f.rgb, f.stride, -1.0) != HC_OK) {
                fprintf(stderr, "bench_mkclip: %s\n", hc_last_error());
                return 1;
            }
            n++;
        }
        video_decoder_free(d);
        if (n == before) {
            fprintf(stderr, "bench_mkclip: %s: no frame decoded\n", src);
            return 1;
        }
    }
    if (video_writer_close(w) != HC_OK) {
        fprintf(stderr, "bench_mkclip: %s\n", hc_last_error());
        return 1;
    }
    printf("%s: %lld frames, %.1f s\n", out, (long long)n, (double)n / fps);
    return 0;
}
