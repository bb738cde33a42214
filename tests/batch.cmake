# Batch scoring (src/pipeline/batch.c, src/report/report_batch.c, src/cli/cmd_batch.c):
# `hingecheck batch` on a folder of hc_synth clips and broken files made at test time; resume, kill -9, Ctrl-C,
# --jobs, --shard and a GNU parallel split (skipped when parallel is missing). Needs the models.
if(TARGET hc_pipeline AND TARGET hc_synth AND TARGET hc_pose AND TARGET hc_video)
  hc_add_check_test(NAME test_batch SOURCES test_batch.c LIBS hc_video hc_core
    PkgConfig::CJSON LABELS cli TIMEOUT 600)
  target_compile_definitions(test_batch PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_batch hingecheck hc_synth)
endif()
# Models loaded once and shared by trackers on several threads (src/pose/pose_models.c).
if(TARGET hc_pose AND TARGET hc_synth)
  hc_add_check_test(NAME test_pose_models SOURCES test_pose_models.c
    LIBS hc_pipeline hc_pose hc_nn hc_cv hc_video hc_core Threads::Threads LABELS model)
  target_compile_definitions(test_pose_models PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_pose_models hc_synth)
endif()
