hc_add_check_test(NAME test_rules SOURCES test_rules.c LIBS hc_rules hc_reps hc_kin hc_core LABELS unit)
# Real motion: MediaPipe's landmarks for the shared clips (skips when ../shared is absent).
hc_add_check_test(NAME test_mpref SOURCES test_mpref.c LIBS hc_rules hc_reps hc_kin hc_core PkgConfig::CJSON LABELS shared)
