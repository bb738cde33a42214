# The JSON reports against docs/report.schema.json with a real validator (Python's jsonschema,
# Draft 2020-12; skipped with a message when the module is missing, tools/setup.sh installs it):
# score reports on synthetic tracks (cli) and an analysis and a batch on a synthetic clip (model).
if(TARGET hc_synth)
  foreach(mode tracks video)
    set(name test_report_schema_${mode})
    add_test(NAME ${name} COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_report_schema.sh ${mode}
      $<TARGET_FILE:hingecheck> $<TARGET_FILE:hc_synth> ${CMAKE_SOURCE_DIR})
    if(mode STREQUAL tracks)
      set(labels cli)
    else()
      set(labels model)
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "${labels}" SKIP_RETURN_CODE 77 TIMEOUT 600)
  endforeach()
endif()
