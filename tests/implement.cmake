hc_add_check_test(NAME test_implement SOURCES test_implement.c LIBS hc_implement hc_cv hc_core LABELS unit)
