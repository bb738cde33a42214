hc_add_check_test(NAME test_reps SOURCES test_reps.c LIBS hc_reps hc_core LABELS unit)
