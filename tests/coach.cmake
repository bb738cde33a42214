# One clip as a coach runs it (src/cli/cli_clip.c, main.c, options.c; the progress callbacks of
# src/pipeline): test_coach without the pose model (cli), test_coach_video with it (model);
# FFmpeg's log levels and repeats (src/video/video_log.c, unit).
if(TARGET hc_synth)
  hc_add_check_test(NAME test_coach SOURCES test_coach.c LIBS hc_video PkgConfig::CJSON LABELS cli)
  target_compile_definitions(test_coach PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_coach hingecheck hingecheck_man hc_synth)
endif()
if(TARGET hc_synth AND TARGET hc_pose)
  hc_add_check_test(NAME test_coach_video SOURCES test_coach.c LIBS hc_video PkgConfig::CJSON
    LABELS model)
  target_compile_definitions(test_coach_video PRIVATE COACH_VIDEO=1
    HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_coach_video hingecheck hc_synth)
endif()
hc_add_check_test(NAME test_video_log SOURCES test_video_log.c LIBS hc_video PkgConfig::FFMPEG
  LABELS unit)
