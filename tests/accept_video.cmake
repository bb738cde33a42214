# Acceptance through the whole pipeline: hc_synth clips (known truth) -> video -> pose
# (full model) -> kin -> reps -> rules; compares the JSON report's series with the truth file.
# Needs the models (skips with a message when absent); ~2-3 minutes on 2 cores (labels model, slow).
if(TARGET hc_pipeline AND TARGET hc_pose AND TARGET hc_synth)
  hc_add_check_test(NAME test_accept_video SOURCES test_accept_video.c
    LIBS hc_pipeline PkgConfig::CJSON ${MATH_LIB} LABELS model slow TIMEOUT 900)
  target_compile_definitions(test_accept_video PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_accept_video hc_synth)
endif()
