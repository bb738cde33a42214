# Golden outputs of every report format (tests/test_golden.c, docs/TESTING.md): the CLI once on
# the demo clip writing text, JSON, CSV, HTML and overlay (pose included: needs the models), probe,
# score of an hc_synth track, the batch summary. `HC_REGEN_GOLDEN=1 ctest --test-dir build -L
# golden` rewrites tests/data/golden/.
if(TARGET hc_pipeline AND TARGET hc_synth AND TARGET hc_pose AND TARGET hc_video)
  hc_add_check_test(NAME test_golden SOURCES test_golden.c LIBS hc_video hc_core ${MATH_LIB}
    LABELS golden cli model)
  target_compile_definitions(test_golden PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_golden hingecheck hc_synth)
endif()
