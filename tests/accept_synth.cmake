# Acceptance on synthetic tracks: synth kinematics (tools/synth) -> kin -> reps -> rules.
if(TARGET hc_synthkin)
  hc_add_check_test(NAME test_accept_synth SOURCES test_accept_synth.c
    LIBS hc_rules hc_reps hc_kin hc_synthrender hc_synthkin hc_core LABELS unit)
endif()
