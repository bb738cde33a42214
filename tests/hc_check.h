/* hc_check.h - the one way every Check suite runs: run all cases, print Check's summary, exit
 * non-zero when any failed. */
#ifndef HC_CHECK_H
#define HC_CHECK_H

#include <check.h>
#include <stdlib.h>

static inline int hc_check_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* HC_CHECK_H */
