# Installation: `cmake --install` into any prefix gives a usable SDK —
# headers under include/opentapi/, libopentapi.so, opentapi.pc for pkg-config
# and a CMake package (find_package(opentapi) -> opentapi::opentapi).
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/opentapi
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")

set_target_properties(opentapi_headers PROPERTIES EXPORT_NAME headers)
install(TARGETS opentapi opentapi_headers
        EXPORT opentapiTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(OPENTAPI_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/opentapi)
install(EXPORT opentapiTargets NAMESPACE opentapi:: DESTINATION ${OPENTAPI_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/opentapiConfig.cmake.in
  ${PROJECT_BINARY_DIR}/opentapiConfig.cmake INSTALL_DESTINATION ${OPENTAPI_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/opentapiConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/opentapiConfig.cmake ${PROJECT_BINARY_DIR}/opentapiConfigVersion.cmake
        DESTINATION ${OPENTAPI_CMAKE_DIR})

# The .pc file finds its prefix relative to itself, so the SDK can be installed
# (or moved) into any prefix.
file(RELATIVE_PATH OPENTAPI_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" OPENTAPI_PC_TO_PREFIX "${OPENTAPI_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/opentapi.pc.in ${PROJECT_BINARY_DIR}/opentapi.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/opentapi.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The server's example configuration and a systemd unit for it.
install(FILES ${PROJECT_SOURCE_DIR}/etc/opentapi/callcenter.toml
        DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/opentapi)
configure_file(${PROJECT_SOURCE_DIR}/etc/systemd/opentapid.service
               ${PROJECT_BINARY_DIR}/opentapid.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/opentapid.service DESTINATION ${CMAKE_INSTALL_LIBDIR}/systemd/system)
