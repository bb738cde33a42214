# Analysis reports and commands (src/analysis.c, src/report/report_*.c, src/cli/cmd_analyse.c,
# cmd_score.c, cmd_rules.c): `hingecheck score` on synthetic tracks made at test time by hc_synth.
if(TARGET hc_analysis AND TARGET hc_synth)
  hc_add_check_test(NAME test_report SOURCES test_report.c LIBS PkgConfig::CJSON ${MATH_LIB}
    LABELS cli)
  target_compile_definitions(test_report PRIVATE HC_SYNTH_PATH="$<TARGET_FILE:hc_synth>")
  add_dependencies(test_report hingecheck hc_synth)
endif()
