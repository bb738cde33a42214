#define _POSIX_C_SOURCE 200809L
/*
 * test_track_rescore.c - an analysis written as a track (`hingecheck VIDEO --track T`) and judged
 * again without the video (`hingecheck score T`) gives the same JSON report, but for the two keys
 * that say where it came from (clip.path, clip.from_track). The clip is an hc_synth barbell RDL
 * filmed side-on with the near plate drawn, so the analysis finds the plates in the image (the
 * bar's height and the cm scale come from them) and reads the spine from the person's outline:
 * both are measured on the video only, and a track of poses alone re-judges the set otherwise
 * (the implement unknown, the spine from keypoints). Then: the track carries those measurements,
 * a damaged "implement" or "spine_mask" entry is refused naming its line, and the track cannot
 * be written over the clip.
 */
#include "hc_test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void setup_clip(void)
{
    if (hc_test_tmpdir(dir, sizeof dir, "hc_track_rescore") != 0)
        exit(1);
    if (hc_test_sh("%s --lift rdl --plate-cm 45 --near-plate --reps 2 --width 480 --height 360 "
                   "--fps 15 --seed 3 --out '%s/set.mp4' >/dev/null",
                   HC_SYNTH_PATH, dir) != 0) {
        fprintf(stderr, "test_track_rescore: hc_synth could not make the clip in %s\n", dir);
        exit(1);
    }
}

static void teardown_clip(void)
{
    hc_test_sh("rm -rf '%s'", dir);
}

START_TEST(score_of_the_analysis_track_is_the_analysis)
{
    ck_assert_int_eq(hc_test_sh("%s '%s/set.mp4' --model lite --deterministic -q --json "
                                "'%s/a.json' --track '%s/set.track.jsonl'",
                                HC_CLI_PATH, dir, dir, dir), 0);
    ck_assert_int_eq(hc_test_sh("%s score '%s/set.track.jsonl' --deterministic -q --json "
                                "'%s/s.json'", HC_CLI_PATH, dir, dir), 0);
    /* the measurements only the video gives are in the track */
    ck_assert_int_eq(hc_test_sh("grep -q '\"implement\":\\[\"barbell\"' '%s/set.track.jsonl'",
                                dir), 0);
    ck_assert_int_eq(hc_test_sh("grep -q '\"spine_mask\":\\[' '%s/set.track.jsonl'", dir), 0);
    ck_assert_int_eq(hc_test_sh("grep -q '\"judged_as\":[[:space:]]*\"barbell\"' '%s/a.json'",
                                dir), 0);
    /* the two reports, less the keys naming the input */
    ck_assert_int_eq(hc_test_sh("cd '%s' && grep -v -e '\"path\":' -e '\"from_track\":' a.json "
                                "> a.cut && grep -v -e '\"path\":' -e '\"from_track\":' s.json "
                                "> s.cut && cmp a.cut s.cut", dir), 0);
    /* and they differ where they should: the input named */
    ck_assert_int_ne(hc_test_sh("cmp -s '%s/a.json' '%s/s.json'", dir, dir), 0);
    /* a pose track of the same clip lacks the image: the implement is not judged from plates */
    ck_assert_int_eq(hc_test_sh("cd '%s' && %s pose set.mp4 --model lite -q -o p.jsonl && "
                                "! grep -q '\"implement\"' p.jsonl && "
                                "%s score p.jsonl --deterministic -q --json p.json; "
                                "grep -v -e '\"path\":' -e '\"from_track\":' p.json > p.cut; "
                                "! cmp -s a.cut p.cut", dir, HC_CLI_PATH, HC_CLI_PATH), 0);
}
END_TEST

START_TEST(damaged_measurements_are_refused)
{
    ck_assert_int_eq(hc_test_sh("%s '%s/set.mp4' --model lite --deterministic -q "
                                "--track '%s/t.jsonl'", HC_CLI_PATH, dir, dir), 0);
    /* a kind and 5 numbers: drop one number from the third line's entry */
    ck_assert_int_eq(hc_test_sh("cd '%s' && sed '3s/\\(\"implement\":\\[\"[a-z]*\",[^,]*\\),"
                                "[^,]*,/\\1,/' t.jsonl > bad1.jsonl && ! cmp -s t.jsonl bad1.jsonl",
                                dir), 0);
    ck_assert_int_eq(hc_test_sh("%s score '%s/bad1.jsonl' -q 2> '%s/e1'; test $? -eq 2 && "
                                "grep -q 'bad1.jsonl:3: malformed \"implement\"' '%s/e1'",
                                HC_CLI_PATH, dir, dir, dir), 0);
    /* a spine confidence above 1 */
    ck_assert_int_eq(hc_test_sh("cd '%s' && awk 'BEGIN{d=0} !d && /spine_mask/ {sub(/"
                                "\"spine_mask\":\\[[^],]*,[^]]*\\]/, \"\\\"spine_mask\\\":[0.1,7]\"); "
                                "d=1} {print}' t.jsonl > bad2.jsonl && ! cmp -s t.jsonl bad2.jsonl",
                                dir), 0);
    ck_assert_int_eq(hc_test_sh("%s score '%s/bad2.jsonl' -q 2> '%s/e2'; test $? -eq 2 && "
                                "grep -q 'malformed' '%s/e2'", HC_CLI_PATH, dir, dir, dir), 0);
}
END_TEST

START_TEST(track_over_the_clip_is_refused)
{
    ck_assert_int_eq(hc_test_sh("cp '%s/set.mp4' '%s/keep.mp4' && %s '%s/keep.mp4' --model lite "
                                "-q --track '%s/keep.mp4' 2> '%s/e3'; test $? -eq 1 && "
                                "cmp -s '%s/set.mp4' '%s/keep.mp4'",
                                dir, dir, HC_CLI_PATH, dir, dir, dir, dir, dir), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("track_rescore");
    TCase *tc = tcase_create("rescore");
    tcase_add_unchecked_fixture(tc, setup_clip, teardown_clip);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, score_of_the_analysis_track_is_the_analysis);
    tcase_add_test(tc, damaged_measurements_are_refused);
    tcase_add_test(tc, track_over_the_clip_is_refused);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
