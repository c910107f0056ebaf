# The host's layers (docs/architecture.md, "Layers"): base <- history <-
# core <- alerts <- run <- daemon <- nbaq-host. Each layer is a static
# library whose source folder is a PRIVATE include directory; the headers
# that the layers above may use are listed here and reach them through a
# folder of links in the build tree. Including another layer's internal
# header, or a header of a layer above, is therefore a compile error.
#
# nbaq_layer(<target> PUBLIC_HEADERS <header>...)
function(nbaq_layer target)
  cmake_parse_arguments(L "" "" "PUBLIC_HEADERS" ${ARGN})
  set(public_dir ${CMAKE_CURRENT_BINARY_DIR}/public)
  file(REMOVE_RECURSE ${public_dir})
  file(MAKE_DIRECTORY ${public_dir})
  foreach(header IN LISTS L_PUBLIC_HEADERS)
    if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${header})
      message(FATAL_ERROR "${target}: public header ${header} does not exist")
    endif()
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${header}
         ${public_dir}/${header} SYMBOLIC)
  endforeach()
  target_include_directories(${target}
    PUBLIC ${public_dir}
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()

# A white-box test or benchmark of a layer's internals says so:
# nbaq_layer_internals(<target> <layer folder>...)
function(nbaq_layer_internals target)
  foreach(folder IN LISTS ARGN)
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/${folder})
  endforeach()
endfunction()
