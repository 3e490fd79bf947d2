# Installation: `cmake --install` into any prefix gives a usable SDK —
# headers under include/opentapi/, libopentapi.so, opentapi.pc for pkg-config
# and a CMake package (find_package(opentapi) -> opentapi::opentapi).
#
# Every rule names its component, which is also its Debian package
# (cmake/OpentapiPackage.cmake): daemon (opentapi: the server, the CLI, the
# wallboard, the unit, the example configuration), lib (libopentapi0: the
# shared library) and dev (libopentapi-dev: headers, .so link, pkg-config and
# CMake files).
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/opentapi
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev
        FILES_MATCHING PATTERN "*.h")

set_target_properties(opentapi_headers PROPERTIES EXPORT_NAME headers)
install(TARGETS opentapi opentapi_headers
        EXPORT opentapiTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib NAMELINK_COMPONENT dev
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT lib)

set(OPENTAPI_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/opentapi)
install(EXPORT opentapiTargets NAMESPACE opentapi:: DESTINATION ${OPENTAPI_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/opentapiConfig.cmake.in
  ${PROJECT_BINARY_DIR}/opentapiConfig.cmake INSTALL_DESTINATION ${OPENTAPI_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/opentapiConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/opentapiConfig.cmake ${PROJECT_BINARY_DIR}/opentapiConfigVersion.cmake
        DESTINATION ${OPENTAPI_CMAKE_DIR} COMPONENT dev)

# The .pc file finds its prefix relative to itself, so the SDK can be installed
# (or moved) into any prefix.
file(RELATIVE_PATH OPENTAPI_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" OPENTAPI_PC_TO_PREFIX "${OPENTAPI_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/opentapi.pc.in ${PROJECT_BINARY_DIR}/opentapi.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/opentapi.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# The server's example configuration, its systemd unit and sysusers.d entry,
# with the paths of the prefix given at install time (not the configured one).
set(OPENTAPI_SYSTEMD_UNIT_DIR "" CACHE PATH
    "Where to install opentapid.service (absolute); empty: /lib/systemd/system for prefix /usr, else PREFIX/lib/systemd/system")
install(CODE "
  set(OPENTAPI_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
  set(OPENTAPI_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(OPENTAPI_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(OPENTAPI_SYSTEMD_UNIT_DIR \"${OPENTAPI_SYSTEMD_UNIT_DIR}\")
  include(\"${PROJECT_SOURCE_DIR}/cmake/OpentapiInstallService.cmake\")
  " COMPONENT daemon)

# Programs find libopentapi relative to themselves (CMAKE_INSTALL_RPATH), so
# any prefix works. In /usr the library is on the system's search path, and
# Debian forbids a RUNPATH there: it is removed.
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    foreach(f \"${CMAKE_INSTALL_BINDIR}/opentapid\" \"${CMAKE_INSTALL_BINDIR}/opentapi\")
      file(RPATH_REMOVE FILE \"\$ENV{DESTDIR}/usr/\${f}\")
    endforeach()
  endif()
  " COMPONENT daemon)
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    file(RPATH_REMOVE FILE \"\$ENV{DESTDIR}/usr/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:opentapi>\")
  endif()
  " COMPONENT lib)
