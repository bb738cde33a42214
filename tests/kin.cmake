hc_add_check_test(NAME test_kin SOURCES test_kin.c LIBS hc_kin hc_cv hc_core LABELS unit)
