# nbaq_add_plugin(<name> SOURCES <files...> [LIBRARIES <targets...>])
#
# Builds <name>.so as a plugin: a MODULE library named after its folder,
# compiled against the SDK header only, linked with -z defs so that any
# symbol it would take from the host fails the link. Used in the tree and,
# through the installed CMake package, by plugins built outside it, with
# the same flags in both: C11, _GNU_SOURCE, -Wall -Wextra.
function(nbaq_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT name MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "nbaq plugin name '${name}' must match [a-z0-9_]+")
  endif()
  add_library(${name} MODULE ${P_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX "" OUTPUT_NAME ${name}
    C_VISIBILITY_PRESET hidden
    POSITION_INDEPENDENT_CODE ON
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_compile_definitions(${name} PRIVATE _GNU_SOURCE)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  if(DEFINED NBAQ_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${NBAQ_PLUGIN_OUTPUT_DIR})
  endif()
  target_link_libraries(${name} PRIVATE nbaq_sdk::nbaq_sdk ${P_LIBRARIES})
  target_link_options(${name} PRIVATE -Wl,-z,defs)
  if(DEFINED NBAQ_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION ${NBAQ_PLUGIN_INSTALL_DIR}
            COMPONENT plugins)
  endif()
endfunction()
