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
# One clip, the same report byte for byte alone (`hingecheck CLIP --json`), in a batch of its
# own, after other clips on one worker, beside them on two, and with other bytes in fresh memory:
# hc_synth clips 404 pixels wide (a width swscale's SIMD converters round up); a second run on
# two real clips of ../shared (skipped, 77, when it is absent). Needs the models; about 15 s of
# CPU each.
if(TARGET hc_pipeline AND TARGET hc_synth AND TARGET hc_video)
  hc_add_check_test(NAME test_batch_same SOURCES test_batch_same.c LIBS hc_video hc_core
    LABELS cli TIMEOUT 600)
  target_compile_definitions(test_batch_same PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_batch_same hingecheck hc_synth)
  add_test(NAME test_batch_same_shared COMMAND test_batch_same shared)
  set_tests_properties(test_batch_same_shared PROPERTIES LABELS cli TIMEOUT 600
    SKIP_RETURN_CODE 77 ENVIRONMENT "CK_DEFAULT_TIMEOUT=600")
endif()
# An analysis written as a track (--track) and judged again by `hingecheck score`: the same
# report without the video (the implement and the spine masks travel in the track); damaged
# entries refused. An hc_synth barbell RDL with the near plate; needs the models.
if(TARGET hc_pipeline AND TARGET hc_synth)
  hc_add_check_test(NAME test_track_rescore SOURCES test_track_rescore.c LABELS cli TIMEOUT 600)
  target_compile_definitions(test_track_rescore PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_track_rescore hingecheck hc_synth)
endif()
