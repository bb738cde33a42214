# src/video: decoding into the caller's buffer (owner: perf), on generated clips.
hc_add_check_test(NAME test_video_into SOURCES test_video_into.c LIBS hc_video LABELS media)
