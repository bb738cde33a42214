# Analysis reports and commands (src/pipeline/analysis.c, src/report/report_*.c,
# src/cli/cmd_analyse.c, cmd_score.c, cmd_rules.c): `hingecheck score` on synthetic tracks made
# at test time by hc_synth.
if(TARGET hc_pipeline AND TARGET hc_synth)
  hc_add_check_test(NAME test_report SOURCES test_report.c LIBS hc_pipeline PkgConfig::CJSON ${MATH_LIB}
    LABELS cli)
  target_compile_definitions(test_report PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_report hingecheck hc_synth)
endif()
# The video path end to end on the demo clip (pose included): needs the models (label model).
if(TARGET hc_pipeline AND TARGET hc_synth AND TARGET hc_pose)
  hc_add_check_test(NAME test_report_video SOURCES test_report.c LIBS hc_pipeline PkgConfig::CJSON ${MATH_LIB}
    LABELS model)
  target_compile_definitions(test_report_video PRIVATE REPORT_VIDEO=1
    HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_report_video hingecheck hc_synth)
endif()
# The writers on a hand-built rules result (unit).
if(TARGET hc_report AND TARGET hc_rules)
  hc_add_check_test(NAME test_report_unit SOURCES test_report_unit.c
    LIBS hc_report hc_rules hc_reps hc_kin hc_core PkgConfig::CJSON ${MATH_LIB} LABELS unit)
endif()
