# Install components and the Debian packages (docs/architecture.md,
# "Building and packaging").
#   host     nbaq-host, nbaq-forkserver (libexec), the example configs in
#            /etc/nbaq, the systemd unit
#   plugins  every plugin .so (nbaq_add_plugin, sdk/cmake/NbaqPlugin.cmake)
#   sdk      nbaq.h, nbaq-sdk.pc and the CMake package nbaq-sdk
# `cpack -G DEB` in a build configured with -DCMAKE_INSTALL_PREFIX=/usr
# makes two packages: nbaq (host + plugins) and nbaq-dev (sdk).

# The example configs, with what they run beside them (relative paths
# in a config are taken from its own folder). Prefix /usr (the packages):
# /etc/nbaq. Any other prefix: <prefix>/etc/nbaq, relative, so that
# `cmake --install --prefix P` writes nothing outside P.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(NBAQ_CONFIG_INSTALL_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/nbaq)
else()
  set(NBAQ_CONFIG_INSTALL_DIR ${CMAKE_INSTALL_SYSCONFDIR}/nbaq)
endif()
install(FILES ${CMAKE_SOURCE_DIR}/config/monitor.yaml
              ${CMAKE_SOURCE_DIR}/config/daemon.yaml
              ${CMAKE_SOURCE_DIR}/config/alerts-example.yaml
              ${CMAKE_SOURCE_DIR}/config/database.yaml
        DESTINATION ${NBAQ_CONFIG_INSTALL_DIR} COMPONENT host)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/config/example
        DESTINATION ${NBAQ_CONFIG_INSTALL_DIR} COMPONENT host
        USE_SOURCE_PERMISSIONS)

# config/nbaq.service names /usr/local (a plain `cmake --install`); the
# installed copy names where this build installs.
file(READ ${CMAKE_SOURCE_DIR}/config/nbaq.service nbaq_unit)
string(REPLACE "/usr/local/bin/" "${CMAKE_INSTALL_FULL_BINDIR}/" nbaq_unit
       "${nbaq_unit}")
string(REPLACE "/etc/nbaq/" "${CMAKE_INSTALL_FULL_SYSCONFDIR}/nbaq/"
       nbaq_unit "${nbaq_unit}")
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/packaging/nbaq.service
     CONTENT "${nbaq_unit}")
set(NBAQ_SYSTEMD_UNITDIR lib/systemd/system CACHE PATH
    "Where the systemd unit nbaq.service is installed (relative: to the prefix)")
install(FILES ${CMAKE_BINARY_DIR}/packaging/nbaq.service
        DESTINATION ${NBAQ_SYSTEMD_UNITDIR} COMPONENT host)

# Everything in /etc/nbaq is a conffile: an upgrade keeps a user's
# edits, `dpkg -r` keeps them, `dpkg -P` removes them.
file(GLOB_RECURSE nbaq_example_files RELATIVE ${CMAKE_SOURCE_DIR}/config
     ${CMAKE_SOURCE_DIR}/config/example/*)
set(nbaq_conffiles "")
foreach(f monitor.yaml daemon.yaml alerts-example.yaml database.yaml
          ${nbaq_example_files})
  string(APPEND nbaq_conffiles "${CMAKE_INSTALL_FULL_SYSCONFDIR}/nbaq/${f}\n")
endforeach()
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/packaging/conffiles
     CONTENT "${nbaq_conffiles}")

set(CPACK_PACKAGE_NAME nbaq)
set(CPACK_PACKAGE_VENDOR "nbaq")
set(CPACK_PACKAGE_CONTACT "nbaq maintainers <nbaq@localhost>")
# Each package's description names its summary on its first line.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY IGNORE)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME nbaq)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "Data-quality monitoring host and plugins\nnbaq-host runs checker plugins, keeps history, raises alerts and writes reports; the unit nbaq.service runs it as a daemon. nbaq-plugin-test runs one plugin with the host's code and shows what it recorded, for plugin unit tests.")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/postinst
    ${CMAKE_SOURCE_DIR}/packaging/postrm
    ${CMAKE_BINARY_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME nbaq-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "Header, pkg-config file and CMake package for nbaq plugins\nBuilds checker and reporter plugins for nbaq outside its tree; nbaq_add_plugin_test() runs their unit tests through nbaq-plugin-test, which the package nbaq ships (it is the host's code).")
# The test harness is host code, in nbaq: nbaq-dev stays architecture-all.
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "nbaq (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)

include(CPack)
cpack_add_component_group(runtime)
cpack_add_component_group(dev)
cpack_add_component(host GROUP runtime)
cpack_add_component(plugins GROUP runtime)
cpack_add_component(sdk GROUP dev)
