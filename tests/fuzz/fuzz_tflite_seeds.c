/*
 * fuzz_tflite_seeds.c - writes a seed corpus for fuzz_tflite into a directory: variants of the
 * hand-written tiny model (valid; unsupported op; custom op; unsupported activation; SAME padding)
 * and the first 4 KB / 64 KB of each model file named on the command line.
 *
 *     fuzz_tflite_seeds corpus/ models/pose_landmark_lite.tflite models/pose_detection.tflite
 */
#include "nn_tiny_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_file(const char *dir, const char *name, const void *buf, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len) {
        fprintf(stderr, "fuzz_tflite_seeds: cannot write %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fuzz_tflite_seeds DIR [MODEL.tflite...]\n");
        return 1;
    }
    static const struct {
        const char *name;
        int second_op, conv_act, conv_padding;
        const char *custom;
    } variants[] = {
        {"tiny_valid", 14, 0, 1, NULL},   {"tiny_softmax", 25, 0, 1, NULL},
        {"tiny_custom", 32, 0, 1, "Foo"}, {"tiny_relu6_same", 14, 3, 0, NULL},
        {"tiny_tanh_act", 14, 4, 1, NULL},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        struct nn_tiny_params p = nn_tiny_default_params();
        p.second_op = variants[i].second_op;
        p.conv_act = variants[i].conv_act;
        p.conv_padding = variants[i].conv_padding;
        p.custom = variants[i].custom;
        struct nn_tiny_model t;
        if (nn_tiny_model_build(&p, &t) != 0)
            return 1;
        rc |= write_file(argv[1], variants[i].name, t.data, t.len);
        nn_tiny_model_free(&t);
    }
    for (int a = 2; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) {
            fprintf(stderr, "fuzz_tflite_seeds: cannot read %s\n", argv[a]);
            rc = 1;
            continue;
        }
        static uint8_t buf[65536];
        const size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        const char *base = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
        char name[512];
        snprintf(name, sizeof(name), "%s.head4k", base);
        rc |= write_file(argv[1], name, buf, n < 4096 ? n : 4096);
        snprintf(name, sizeof(name), "%s.head64k", base);
        rc |= write_file(argv[1], name, buf, n);
    }
    return rc ? 1 : 0;
}
