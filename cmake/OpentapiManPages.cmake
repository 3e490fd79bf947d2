# Manual pages, built from the same text the programs print:
#   opentapid(8)        help2man over `opentapid --help` and --version,
#                       plus etc/man/opentapid.h2m (files, signals, service);
#   opentapi(1)         help2man over `opentapi --help`, plus etc/man/opentapi.h2m;
#   callcenter.toml(5)  the annotated configuration etc/opentapi/callcenter.toml
#                       (which is also the built-in default), with
#                       etc/man/callcenter.toml.5.in around it.
# Built with the default target when help2man is installed
# (scripts/install-deps.sh installs it); installed gzipped with the daemon.
find_program(HELP2MAN_PROGRAM help2man)
find_program(GZIP_PROGRAM gzip)
if(NOT HELP2MAN_PROGRAM OR NOT GZIP_PROGRAM)
  message(STATUS "help2man or gzip not found: no manual pages")
  return()
endif()

set(_man_dir ${PROJECT_BINARY_DIR}/man)
set(_man_pages)
# help2man runs the program: a sanitized build must not fail it over leaks at exit.
set(_man_env ASAN_OPTIONS=detect_leaks=0)

function(opentapi_help2man target page section name include)
  add_custom_command(
    OUTPUT ${_man_dir}/${page}.${section}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_man_dir}
    COMMAND ${CMAKE_COMMAND} -E env ${_man_env}
            ${HELP2MAN_PROGRAM} --no-info --no-discard-stderr --section ${section} --name ${name}
            --include ${include} --output ${_man_dir}/${page}.${section} $<TARGET_FILE:${target}>
    COMMAND ${GZIP_PROGRAM} -9nf ${_man_dir}/${page}.${section}
    DEPENDS ${target} ${include}
    COMMENT "Manual page ${page}(${section})"
    VERBATIM)
  set(_man_pages ${_man_pages} ${_man_dir}/${page}.${section}.gz PARENT_SCOPE)
endfunction()

opentapi_help2man(opentapid opentapid 8 "opentapi telephony server with the reference virtual ACD"
                  ${PROJECT_SOURCE_DIR}/etc/man/opentapid.h2m)
opentapi_help2man(opentapi-cli opentapi 1 "agent and supervisor command line for opentapi"
                  ${PROJECT_SOURCE_DIR}/etc/man/opentapi.h2m)

add_custom_command(
  OUTPUT ${_man_dir}/callcenter.toml.5.gz
  COMMAND ${CMAKE_COMMAND} -DIN=${PROJECT_SOURCE_DIR}/etc/man/callcenter.toml.5.in
          -DCONFIG=${PROJECT_SOURCE_DIR}/etc/opentapi/callcenter.toml -DOUT=${_man_dir}/callcenter.toml.5
          -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/OpentapiManToml.cmake
  COMMAND ${GZIP_PROGRAM} -9nf ${_man_dir}/callcenter.toml.5
  DEPENDS ${PROJECT_SOURCE_DIR}/etc/man/callcenter.toml.5.in ${PROJECT_SOURCE_DIR}/etc/opentapi/callcenter.toml
          ${PROJECT_SOURCE_DIR}/cmake/OpentapiManToml.cmake
  COMMENT "Manual page callcenter.toml(5)"
  VERBATIM)
list(APPEND _man_pages ${_man_dir}/callcenter.toml.5.gz)

add_custom_target(opentapi_man ALL DEPENDS ${_man_pages})
install(FILES ${_man_dir}/opentapid.8.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT daemon)
install(FILES ${_man_dir}/opentapi.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT daemon)
install(FILES ${_man_dir}/callcenter.toml.5.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man5 COMPONENT daemon)
