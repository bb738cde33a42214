hc_add_check_test(NAME test_core SOURCES test_core.c LIBS hc_core LABELS unit)
hc_add_check_test(NAME test_header SOURCES test_header.c LIBS hc_core LABELS unit)
