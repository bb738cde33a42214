# Damaged media end to end (the hingecheck executable on clips from hc_synth with bytes flipped,
# a range zeroed or the end cut; docs/REPORT.md "Damaged files"): skipped and reported, or an
# input error when mostly damage (model, media, cli); the same on a shared side-view clip with
# one byte flipped (shared).
if(TARGET hc_synth AND TARGET hingecheck)
  hc_add_check_test(NAME test_damaged SOURCES test_damaged.c LIBS PkgConfig::CJSON ${MATH_LIB}
    LABELS model media cli)
  target_compile_definitions(test_damaged PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_damaged hingecheck hc_synth)
  hc_add_check_test(NAME test_damaged_shared SOURCES test_damaged.c LIBS PkgConfig::CJSON
    ${MATH_LIB} LABELS shared model)
  target_compile_definitions(test_damaged_shared PRIVATE DAMAGED_SHARED=1
    HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_damaged_shared hingecheck hc_synth)
endif()
