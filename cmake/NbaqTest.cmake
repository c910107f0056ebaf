# Test helpers. Every test runs under ctest; services (PostgreSQL, s3rver,
# ...) are ctest fixtures that start the real server on 127.0.0.1 and stop
# it afterwards (see tests/services/).
set(NBAQ_SERVICES_DIR ${CMAKE_BINARY_DIR}/services)

# nbaq_add_unit_test(<name> SOURCES <files> [LIBRARIES <libs>]
#                    [FIXTURES <fixtures>])  -- a cmocka executable.
function(nbaq_add_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBRARIES;FIXTURES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  if(NOT BUILD_TESTING)
    set_target_properties(${name} PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
  target_link_libraries(${name} PRIVATE PkgConfig::CMOCKA ${T_LIBRARIES})
  add_test(NAME ${name} COMMAND ${name})
  nbaq_test_environment(${name} "${T_FIXTURES}")
endfunction()

# nbaq_add_script_test(<name> COMMAND <argv...> [FIXTURES <fixtures>])
#   -- a test that drives the real binaries (python3 or sh).
function(nbaq_add_script_test name)
  cmake_parse_arguments(T "" "" "COMMAND;FIXTURES" ${ARGN})
  add_test(NAME ${name} COMMAND ${T_COMMAND}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  nbaq_test_environment(${name} "${T_FIXTURES}")
endfunction()

function(nbaq_test_environment name fixtures)
  set(env
    "NBAQ_HOST=$<TARGET_FILE:nbaq-host>"
    "NBAQ_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
    "NBAQ_BUILD_DIR=${CMAKE_BINARY_DIR}"
    "NBAQ_PLUGIN_DIR=${NBAQ_PLUGIN_OUTPUT_DIR}"
    "NBAQ_SERVICES_DIR=${NBAQ_SERVICES_DIR}"
    "PYTHONDONTWRITEBYTECODE=1"
    "CMOCKA_MESSAGE_OUTPUT=STDOUT"
    "NBAQ_TEST_HOOKS=$<IF:$<BOOL:${NBAQ_TEST_HOOKS}>,ON,OFF>")
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT 300)
  if(fixtures)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${fixtures}")
  endif()
endfunction()

# nbaq_add_service(<fixture> <script>) -- start/stop a real server.
# The script is called as `<script> start|stop <dir>` and, once started,
# leaves <dir>/env with KEY=VALUE lines that tests read.
function(nbaq_add_service fixture script)
  set(dir ${NBAQ_SERVICES_DIR}/${fixture})
  add_test(NAME service_${fixture}_start COMMAND bash ${script} start ${dir})
  add_test(NAME service_${fixture}_stop COMMAND bash ${script} stop ${dir})
  set_tests_properties(service_${fixture}_start PROPERTIES
    FIXTURES_SETUP ${fixture} TIMEOUT 180 RESOURCE_LOCK svc_${fixture})
  set_tests_properties(service_${fixture}_stop PROPERTIES
    FIXTURES_CLEANUP ${fixture} TIMEOUT 60 RESOURCE_LOCK svc_${fixture})
endfunction()

# With BUILD_TESTING=OFF the plugin and library folders still declare
# their tests (add_test is then ignored), but nothing of them is built:
# every target with a source under a tests/ folder leaves `all`, and
# cmocka is a placeholder that no built target uses.
if(NOT BUILD_TESTING AND NOT TARGET PkgConfig::CMOCKA)
  add_library(PkgConfig::CMOCKA INTERFACE IMPORTED)
endif()

function(nbaq_exclude_test_targets_from_all)
  if(BUILD_TESTING)
    return()
  endif()
  set(dirs ${CMAKE_SOURCE_DIR})
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    list(APPEND dirs ${subdirs})
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(sources ${target} SOURCES)
      if(dir MATCHES "/tests(/|$)" OR sources MATCHES "(^|/|;)tests/")
        set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL ON)
      endif()
    endforeach()
  endwhile()
endfunction()

# nbaq_add_reporter_test(<name> <script.py> [FIXTURES <fixtures>])
#   -- a reporter's own Python test in its folder, run with nbaq-plugin-test
#   (--harness), the plugin directory (--plugins) and a folder for what it
#   leaves to look at (--artifacts, in the build tree).
function(nbaq_add_reporter_test name script)
  cmake_parse_arguments(T "" "" "FIXTURES" ${ARGN})
  nbaq_add_script_test(${name}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/${script}
            --harness $<TARGET_FILE:nbaq-plugin-test>
            --plugins ${NBAQ_PLUGIN_OUTPUT_DIR}
            --artifacts ${CMAKE_CURRENT_BINARY_DIR}/artifacts
    FIXTURES "${T_FIXTURES}")
endfunction()
