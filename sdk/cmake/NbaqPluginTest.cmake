# nbaq_add_plugin_test(<test> PLUGIN <target> EXPECT <expected.json>
#                      [OPTIONS <options.yaml>] [SET <NAME=VALUE>...]
#                      [STATE <KEY=VALUE>...] [RUN <run.json>])
#
# Registers a ctest that runs nbaq-plugin-test on the plugin built by
# <target> (nbaq_add_plugin) and compares its JSON result with EXPECT, a
# document the plugin's author writes by hand (docs/writing-a-plugin.md,
# "Testing a plugin"). OPTIONS is a YAML mapping as a config writes under
# `options:`; SET and STATE are passed as --set and --state; RUN is the
# run a reporter is fed. Relative paths are taken from the calling
# CMakeLists.txt's folder. The test fails too when a checker records a
# metric its declarations do not name (nbaq-plugin-test exits 4).
#
# nbaq-plugin-test is the target of that name in the nbaq tree, else the
# program installed with nbaq (package nbaq: it is the host's code) in the
# SDK's prefix, or the cache variable NBAQ_PLUGIN_TEST.
function(nbaq_add_plugin_test name)
  cmake_parse_arguments(T "" "PLUGIN;EXPECT;OPTIONS;RUN" "SET;STATE" ${ARGN})
  if(NOT T_PLUGIN OR NOT T_EXPECT)
    message(FATAL_ERROR "nbaq_add_plugin_test(${name}): PLUGIN and EXPECT "
            "are required")
  endif()
  if(TARGET nbaq-plugin-test)
    set(harness $<TARGET_FILE:nbaq-plugin-test>)
  else()
    find_program(NBAQ_PLUGIN_TEST nbaq-plugin-test
                 HINTS ${NBAQ_SDK_PREFIX}/${CMAKE_INSTALL_BINDIR}
                       ${NBAQ_SDK_PREFIX}/bin)
    if(NOT NBAQ_PLUGIN_TEST)
      message(FATAL_ERROR "nbaq_add_plugin_test(${name}): nbaq-plugin-test "
              "not found: install nbaq (it ships the harness) or pass "
              "-DNBAQ_PLUGIN_TEST=<path>")
    endif()
    set(harness ${NBAQ_PLUGIN_TEST})
  endif()
  get_filename_component(expect ${T_EXPECT} ABSOLUTE)
  set(args --format json --expect ${expect})
  if(T_OPTIONS)
    get_filename_component(options ${T_OPTIONS} ABSOLUTE)
    list(APPEND args --options ${options})
  endif()
  foreach(assignment IN LISTS T_SET)
    list(APPEND args --set ${assignment})
  endforeach()
  foreach(pair IN LISTS T_STATE)
    list(APPEND args --state ${pair})
  endforeach()
  list(APPEND args $<TARGET_FILE:${T_PLUGIN}>)
  if(T_RUN)
    get_filename_component(run ${T_RUN} ABSOLUTE)
    list(APPEND args ${run})
  endif()
  add_test(NAME ${name} COMMAND ${harness} ${args})
endfunction()
