# HcMan.cmake - writes the manual page: `hingecheck --man` (made from the CLI's option and
# command tables, as --help is) into OUT. Run by the build after linking hingecheck:
#   cmake -DEXE=build/hingecheck -DOUT=build/hingecheck.1 -P cmake/HcMan.cmake
execute_process(COMMAND ${EXE} --man OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "hingecheck --man failed (${rc})")
endif()
file(RENAME ${OUT}.tmp ${OUT})
