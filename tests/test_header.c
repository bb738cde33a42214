/* test_header.c - the public header compiles as plain C11 on its own and its usage example holds
 * together (types, enums and functions it names exist). */
#include <hingecheck.h>

#include <check.h>
#include "hc_check.h"
#include <stdlib.h>

START_TEST(header_types)
{
    struct hc_pose_frame f = {0};
    struct hc_video_info info = {0};
    ck_assert_int_eq(HC_N_LANDMARKS, 33);
    ck_assert_int_eq(HC_LM_RIGHT_FOOT_INDEX, 32);
    ck_assert_int_eq(HC_LM_LEFT_HIP, 23);
    ck_assert_int_eq((int)(sizeof f.lm / sizeof f.lm[0]), 33);
    ck_assert_int_eq(info.width_px, 0);
    ck_assert_str_eq(hc_version(), HC_VERSION_STRING);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("header");
    TCase *tc = tcase_create("types");
    tcase_add_test(tc, header_types);
    suite_add_tcase(s, tc);
    return hc_check_run(s);
}
