# The model fetch script detects corrupted and missing files (no network needed).
add_test(NAME test_fetch_models COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_fetch_models.sh
         ${CMAKE_SOURCE_DIR}/models)
set_tests_properties(test_fetch_models PROPERTIES LABELS "unit" SKIP_REGULAR_EXPRESSION "SKIP:")
