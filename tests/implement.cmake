hc_add_check_test(NAME test_implement SOURCES test_implement.c LIBS hc_implement hc_cv hc_core LABELS unit)
# The implement found in the image through the whole analysis on a real side-view kettlebell
# deadlift (skips without ../shared or the models).
if(TARGET hingecheck AND TARGET hc_pipeline)
  hc_add_check_test(NAME test_implement_shared SOURCES test_implement_shared.c
    LIBS PkgConfig::CJSON LABELS shared model TIMEOUT 600)
  set_tests_properties(test_implement_shared PROPERTIES SKIP_RETURN_CODE 77)
endif()
