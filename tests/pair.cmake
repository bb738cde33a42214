# Two cameras of one set (src/pipeline/pair.c, `hingecheck SIDE --front FRONT`): hc_synth's set
# as side and front landmark tracks (no model; seconds): offset, rep matching, which camera
# judges which check, the errors. test_pair_batch: batch pairs NAME_side + NAME_front clips
# (hc_synth videos, the lite model; about a minute). test_pair_shared: the real side + front-oblique kettlebell
# deadlift pair of ../shared through the pose model (skipped, 77, when ../shared is absent).
if(TARGET hc_pipeline AND TARGET hc_synth)
  hc_add_check_test(NAME test_pair SOURCES test_pair.c LIBS PkgConfig::CJSON ${MATH_LIB}
    LABELS cli TIMEOUT 300)
  target_compile_definitions(test_pair PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_pair hingecheck hc_synth)
  add_test(NAME test_pair_batch COMMAND test_pair batch)
  set_tests_properties(test_pair_batch PROPERTIES LABELS "cli;model" TIMEOUT 600)
  add_test(NAME test_pair_shared COMMAND test_pair shared)
  set_tests_properties(test_pair_shared PROPERTIES LABELS "shared;model;slow" TIMEOUT 900
    SKIP_RETURN_CODE 77)
endif()
