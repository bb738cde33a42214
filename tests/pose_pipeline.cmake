# The pose pass of hc_pose_run_file (src/pipeline/pass_pose.c): concurrent vs sequential on a clip
# from hc_synth, callback errors, a truncated clip, a clip tracked as two halves against one
# stretch (model, media); the same on a shared 1080p clip (shared).
if(TARGET hc_pose AND TARGET hc_synth)
  hc_add_check_test(NAME test_pose_pipeline SOURCES test_pose_pipeline.c
    LIBS hc_pipeline hc_report hc_rules hc_reps hc_kin hc_pose hc_video hc_core LABELS model media)
  target_compile_definitions(test_pose_pipeline PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_pose_pipeline hc_synth)
  hc_add_check_test(NAME test_pose_pipeline_shared SOURCES test_pose_pipeline.c
    LIBS hc_pipeline hc_report hc_rules hc_reps hc_kin hc_pose hc_video hc_core LABELS shared model)
  target_compile_definitions(test_pose_pipeline_shared PRIVATE PIPELINE_SHARED=1
    HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
endif()
