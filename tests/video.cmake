# Decoder/writer on generated clips (media), the CLI as a subprocess (cli), and the shared real
# clips (shared: exits 77 = skipped when ../shared is absent).
hc_add_check_test(NAME test_video SOURCES test_video.c LIBS hc_video LABELS media)
hc_add_check_test(NAME test_cli SOURCES test_cli.c LIBS hc_video PkgConfig::CJSON LABELS cli)
add_dependencies(test_cli hingecheck)
hc_add_check_test(NAME test_shared_clips SOURCES test_shared_clips.c LIBS hc_video LABELS shared)
set_tests_properties(test_shared_clips PROPERTIES SKIP_RETURN_CODE 77)
