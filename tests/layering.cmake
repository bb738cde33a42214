# docs/ARCHITECTURE.md's include rules, checked on the source tree.
add_test(NAME test_layering COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_layering.sh
         ${CMAKE_SOURCE_DIR}/src)
set_tests_properties(test_layering PROPERTIES LABELS "unit")
