# The independent check of src/nn (owner: nnref): a plain-C reference interpreter for the graph
# (nn_ref.c, tests only) and the suites that hold XNNPACK to it.
add_library(hc_test_nnref STATIC ${CMAKE_CURRENT_SOURCE_DIR}/nn_ref.c)
target_link_libraries(hc_test_nnref PUBLIC hc_core ${MATH_LIB})
target_include_directories(hc_test_nnref PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
hc_target_warnings(hc_test_nnref)
# NN_REF_FLOAT_FMA rounds as XNNPACK's kernels do: a * b + c must stay two roundings (fmaf() is
# written out where one is meant), whatever the compiler's default contraction.
target_compile_options(hc_test_nnref PRIVATE $<$<C_COMPILER_ID:GNU,Clang>:-ffp-contract=off>)

# src/nn is written alongside these tests: the reader (nn_model_load) and the XNNPACK sessions
# (nn_session_run) may land at different times, so look for their definitions. src/nn's source glob
# is CONFIGURE_DEPENDS, so a new file there re-runs this check.
set(NNREF_HAVE_READER OFF)
set(NNREF_HAVE_RUNTIME OFF)
if(TARGET hc_nn)
  file(GLOB _nnref_srcs ${CMAKE_SOURCE_DIR}/src/nn/*.c)
  foreach(_f IN LISTS _nnref_srcs)
    file(READ ${_f} _txt)
    if(_txt MATCHES "\nenum hc_status nn_model_load[(]")
      set(NNREF_HAVE_READER ON)
    endif()
    if(_txt MATCHES "\nenum hc_status nn_session_run[(]")
      set(NNREF_HAVE_RUNTIME ON)
    endif()
  endforeach()
endif()

# Per-op hand-computed cases: always on the reference; on XNNPACK too once src/nn has sessions.
hc_add_check_test(NAME test_nn_ops SOURCES test_nn_ops.c
                  LIBS hc_test_nnref $<TARGET_NAME_IF_EXISTS:hc_nn> LABELS unit)
if(NNREF_HAVE_RUNTIME)
  target_compile_definitions(test_nn_ops PRIVATE HC_TEST_NN_RUNTIME=1)
endif()

if(NNREF_HAVE_RUNTIME)
  # Bad models and bad arguments (unit: also runs in the ASan+UBSan build).
  hc_add_check_test(NAME test_nn_bad SOURCES test_nn_bad.c nn_tiny_model.c
                    LIBS hc_test_nnref hc_nn LABELS unit)
endif()

if(NNREF_HAVE_RUNTIME)
  # XNNPACK vs the reference on all four models (label model): noise, smooth noise, a generated
  # frame (tools/synth's renderer when built).
  hc_add_check_test(NAME test_nn_agree SOURCES test_nn_agree.c
                    LIBS hc_test_nnref hc_nn $<TARGET_NAME_IF_EXISTS:hc_synthrender> LABELS model)
  if(TARGET hc_synthrender AND EXISTS ${CMAKE_SOURCE_DIR}/tools/synth/synth_render.c)
    target_compile_definitions(test_nn_agree PRIVATE NNREF_HAVE_SYNTH=1)
  endif()
  # The same on real frames from ../shared/clips (label shared; skips when absent).
  if(TARGET hc_video)
    hc_add_check_test(NAME test_nn_agree_clips SOURCES test_nn_agree.c
                      LIBS hc_test_nnref hc_nn hc_video LABELS model shared)
    target_compile_definitions(test_nn_agree_clips PRIVATE NNREF_CLIPS=1)
  endif()
endif()
