# Debian packages with CPack (docs/install.md "Building the packages"):
#   opentapi         component daemon: opentapid, the opentapi CLI, the
#                    wallboard, the unit, sysusers.d entry, example
#                    configuration (a conffile) and the manual pages;
#   libopentapi0     component lib: libopentapi.so.0;
#   libopentapi-dev  component dev: headers, libopentapi.so, opentapi.pc and
#                    the CMake package.
# `cpack -G DEB` in a build configured with CMAKE_INSTALL_PREFIX=/usr (what
# scripts/package.sh does) writes them; the version is the project's, with
# Debian revision OPENTAPI_DEB_REVISION.
set(OPENTAPI_DEB_REVISION 1 CACHE STRING "Debian revision of the packages' version")
set(OPENTAPI_DEB_MAINTAINER "opentapi packagers <packaging@opentapi.invalid>"
    CACHE STRING "Maintainer field of the Debian packages")

set(_deb_version "${PROJECT_VERSION}-${OPENTAPI_DEB_REVISION}")
set(_deb_src ${PROJECT_SOURCE_DIR}/packaging/deb)
set(_deb_out ${PROJECT_BINARY_DIR}/packaging/deb)

# Each package's /usr/share/doc/PACKAGE: copyright, and changelog.Debian.gz
# generated from packaging/deb/changelog.in with this version (the date
# follows SOURCE_DATE_EPOCH when set, for reproducible packages).
string(TIMESTAMP OPENTAPI_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(OPENTAPI_DEB_VERSION ${_deb_version})
find_program(GZIP_PROGRAM gzip)
foreach(pkg opentapi libopentapi0 libopentapi-dev)
  set(OPENTAPI_DEB_PACKAGE ${pkg})
  configure_file(${_deb_src}/changelog.in ${_deb_out}/${pkg}/changelog.Debian @ONLY)
endforeach()
if(GZIP_PROGRAM)
  foreach(pkg opentapi libopentapi0 libopentapi-dev)
    execute_process(COMMAND ${GZIP_PROGRAM} -9nf ${_deb_out}/${pkg}/changelog.Debian)
  endforeach()
endif()
foreach(comp_pkg daemon:opentapi lib:libopentapi0 dev:libopentapi-dev)
  string(REPLACE ":" ";" comp_pkg ${comp_pkg})
  list(GET comp_pkg 0 comp)
  list(GET comp_pkg 1 pkg)
  install(FILES ${_deb_src}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${comp})
  if(GZIP_PROGRAM)
    install(FILES ${_deb_out}/${pkg}/changelog.Debian.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg}
            COMPONENT ${comp})
  endif()
endforeach()

# Maintainer scripts: the user (systemd-sysusers), the conffile's group and
# mode, the unit's state; see packaging/deb/postinst.
foreach(script postinst prerm postrm)
  configure_file(${_deb_src}/${script} ${_deb_out}/${script} @ONLY)
  file(CHMOD ${_deb_out}/${script} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
       WORLD_READ WORLD_EXECUTE)
endforeach()
configure_file(${_deb_src}/conffiles ${_deb_out}/conffiles COPYONLY)
configure_file(${_deb_src}/triggers ${_deb_out}/triggers COPYONLY)

set(CPACK_PACKAGE_NAME opentapi)
set(CPACK_PACKAGE_VENDOR "opentapi")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${OPENTAPI_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_COMPONENTS_ALL daemon lib dev)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_RELEASE ${OPENTAPI_DEB_REVISION})
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debian ships stripped binaries (debug symbols would go to a -dbgsym package).
set(CPACK_STRIP_FILES ON)
# A shlibs file for libopentapi0 (only package with a shared library), so
# packages built against it depend on libopentapi0 (>= this version).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# Dependencies from the shared libraries the binaries link (dpkg-shlibdeps);
# libopentapi0 is found among the packages being built, so named by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    ${CPACK_PACKAGE_DIRECTORY}/_CPack_Packages/Linux/DEB/opentapi-${PROJECT_VERSION}-Linux/lib/usr/${CMAKE_INSTALL_LIBDIR})

set(CPACK_DEBIAN_DAEMON_PACKAGE_NAME opentapi)
set(CPACK_DEBIAN_DAEMON_PACKAGE_SECTION comm)
# libsodium23 (hashed PINs and tokens, src/secrets) is also found by
# dpkg-shlibdeps; named here so a build without shlibdeps still says it.
set(CPACK_DEBIAN_DAEMON_PACKAGE_DEPENDS "libopentapi0 (= ${_deb_version}), adduser, libsodium23")
set(CPACK_DEBIAN_DAEMON_PACKAGE_CONTROL_EXTRA
    "${_deb_out}/conffiles;${_deb_out}/postinst;${_deb_out}/prerm;${_deb_out}/postrm")
set(CPACK_DEBIAN_DAEMON_DESCRIPTION
    "TAPI 3 call-center server (opentapid), CLI and wallboard
opentapid is a telephony server for TAPI 2.1 and TAPI 3 call-center
applications on Linux: line devices, calls, agents, agent sessions, ACD
groups and queues, with a reference virtual ACD, an HTTP/WebSocket API and a
live supervisor wallboard. This package holds the server, the opentapi
command line, the wallboard's files and a hardened systemd service.")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libopentapi0)
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA "${_deb_out}/triggers")
set(CPACK_DEBIAN_LIB_DESCRIPTION
    "TAPI 2.1 and TAPI 3 call-center library for Linux
libopentapi implements the TAPI 2 C API of tapi.h (agent, proxy and call
control functions) and the TAPI 3 COM objects of tapi3.h against the
opentapid telephony server, with Windows' values and return codes.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libopentapi-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libopentapi0 (= ${_deb_version})")
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE "")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "TAPI 2.1 and TAPI 3 call-center library for Linux - development files
Headers (tapi.h, tapi3.h and friends, under /usr/include/opentapi), the
libopentapi.so link, opentapi.pc for pkg-config and the CMake package
(find_package(opentapi) gives opentapi::opentapi).")

include(CPack)
