# Visual outputs (src/report/report_overlay.c, report_html.c, the render pass
# src/pipeline/pass_render.c; src/cv/cv_draw.cpp) on synthetic clips rendered by tools/synth with their
# true landmarks.
if(TARGET hc_pipeline AND TARGET hc_synthrender AND TARGET hc_video AND TARGET hc_rules)
  set(HC_VISUAL_LIBS hc_pipeline hc_report hc_track hc_rules hc_reps hc_kin hc_cv hc_video hc_synthrender
      hc_synthkin hc_core)
  # overlay video: decoded back with the project's decoder (media)
  hc_add_check_test(NAME test_visual_overlay SOURCES test_visual.c LIBS ${HC_VISUAL_LIBS}
    LABELS media)
  target_compile_definitions(test_visual_overlay PRIVATE VISUAL_SUITE_OVERLAY=1)
  add_dependencies(test_visual_overlay hingecheck) # the CLI wiring case runs it
  # HTML report: structure, charts, thumbnails, cues (media: thumbnails decode the clip)
  hc_add_check_test(NAME test_visual_html SOURCES test_visual.c LIBS ${HC_VISUAL_LIBS}
    LABELS media)
  target_compile_definitions(test_visual_html PRIVATE VISUAL_SUITE_HTML=1)
  # HTML report in headless Chromium (Debian package chromium; skips when absent)
  hc_add_check_test(NAME test_visual_browser SOURCES test_visual.c LIBS ${HC_VISUAL_LIBS}
    LABELS browser)
  target_compile_definitions(test_visual_browser PRIVATE VISUAL_SUITE_BROWSER=1)
endif()
