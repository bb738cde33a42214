# hc_target_warnings(target): the warning set from ../shared/STYLE.md, errors on in CI builds.
function(hc_target_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes>
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wshadow>)
  if(HC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# hc_add_module(name SOURCES ... DEPS ...): a static library for one layer of src/.
# A module whose folder has no sources yet makes no target; dependents name their deps with
# $<TARGET_NAME_IF_EXISTS:hc_x> so the tree builds while modules arrive.
function(hc_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT M_SOURCES)
    return()
  endif()
  add_library(hc_${name} STATIC ${M_SOURCES})
  target_link_libraries(hc_${name} PUBLIC ${M_DEPS})
  hc_target_warnings(hc_${name})
endfunction()
