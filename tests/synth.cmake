# Synthetic clip generator (tools/synth, docs/SYNTH.md).
# test_synth: kinematics, projection and renderer, pure C (unit).
if(TARGET hc_synthkin)
  hc_add_check_test(NAME test_synth SOURCES test_synth.c LIBS hc_synthrender hc_synthkin LABELS unit)
endif()
# test_synth_media: hc_synth encodes clips that the project's decoder reads back (media).
if(TARGET hc_synth AND TARGET hc_video)
  hc_add_check_test(NAME test_synth_media SOURCES test_synth.c
    LIBS hc_synthrender hc_synthkin hc_video PkgConfig::CJSON LABELS media)
  target_compile_definitions(test_synth_media PRIVATE SYNTH_MEDIA=1
    HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_synth_media hc_synth)
endif()
# test_synth_plate: a barbell set with the near plate in front of the near leg (--near-plate);
# the implement detector's plate centre against the truth's bar position, and the whole analysis
# sees a barbell. Needs the models (exits 77, skipped, without them); ~1-2 minutes.
if(TARGET hc_synth AND TARGET hc_pipeline AND TARGET hc_pose AND TARGET hc_implement
   AND TARGET hc_video AND TARGET hingecheck)
  hc_add_check_test(NAME test_synth_plate SOURCES test_synth_plate.c
    LIBS hc_pipeline hc_implement hc_pose hc_video hc_core PkgConfig::CJSON ${MATH_LIB}
    LABELS model slow TIMEOUT 900)
  target_compile_definitions(test_synth_plate PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_synth_plate hc_synth hingecheck)
  set_tests_properties(test_synth_plate PROPERTIES SKIP_RETURN_CODE 77)
endif()
