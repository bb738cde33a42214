# Pose suites: BlazePose post-processing maths (unit), the track format and the
# comparison with MediaPipe's reference tracks (shared), the tracker on real clips (model, shared).
hc_add_check_test(NAME test_pose_math SOURCES test_pose_math.c LIBS hc_pose hc_core LABELS unit)
hc_add_check_test(NAME test_pose_track SOURCES test_pose_track.c LIBS hc_track hc_core LABELS unit)
hc_add_check_test(NAME test_pose_mpref SOURCES test_pose_mpref.c LIBS hc_track hc_core LABELS shared)
hc_add_check_test(NAME test_pose_fidelity SOURCES test_pose_fidelity.c LIBS hc_pipeline hc_pose hc_track hc_core LABELS shared model)
hc_add_check_test(NAME test_pose_bad SOURCES test_pose_bad.c LIBS hc_pipeline hc_pose hc_video hc_core LABELS model media)
