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
