# Outputs (src/core/paths.c, src/cli, src/pipeline/batch.c, src/pipeline/pass_render.c): an
# output over an input or another output refused, missing and read-only folders found before any
# work, batch report paths taken by folders, an unreadable model named, SIGINT/SIGTERM during a
# clip's analysis, its drawn reports and a batch. hingecheck run as a user runs it, on hc_synth
# clips made at test time. Needs the models.
if(TARGET hc_synth)
  hc_add_check_test(NAME test_outputs SOURCES test_outputs.c LABELS cli TIMEOUT 600)
  target_compile_definitions(test_outputs PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_outputs hingecheck hc_synth)
endif()
