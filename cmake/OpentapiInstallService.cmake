# Run by `cmake --install` (and by CPack), not at configure time: installs
# opentapid's configuration, systemd unit and sysusers.d entry with the paths
# of the prefix being installed to, so `cmake --install --prefix P` gives a
# unit that starts P/bin/opentapid with P's configuration.
#
# In: CMAKE_INSTALL_PREFIX (the install-time prefix), OPENTAPI_SOURCE_DIR,
# OPENTAPI_BINDIR and OPENTAPI_SYSCONFDIR (GNUInstallDirs values, relative to
# the prefix or absolute), OPENTAPI_SYSTEMD_UNIT_DIR (absolute, or empty).
#
# The configuration directory: /etc for prefix /usr (as GNUInstallDirs has
# it), P/etc for any other prefix P, so an install into a prefix of one's own
# (/opt/opentapi, a home directory) writes nothing outside it.
# The unit and sysusers.d directories follow Debian 12's systemd.pc for
# prefix /usr (/lib/systemd/system, /usr/lib/sysusers.d), else P/lib/....
set(_prefix "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/+$" "" _prefix "${_prefix}")
if(_prefix STREQUAL "")
  set(_prefix "/")
endif()

macro(_opentapi_full out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}")
  else()
    set(${out} "${_prefix}/${dir}")
  endif()
endmacro()

_opentapi_full(_bindir "${OPENTAPI_BINDIR}")
if(IS_ABSOLUTE "${OPENTAPI_SYSCONFDIR}")
  set(_sysconfdir "${OPENTAPI_SYSCONFDIR}")
elseif(_prefix STREQUAL "/usr")
  set(_sysconfdir "/etc")
else()
  set(_sysconfdir "${_prefix}/${OPENTAPI_SYSCONFDIR}")
endif()
if(OPENTAPI_SYSTEMD_UNIT_DIR)
  set(_unitdir "${OPENTAPI_SYSTEMD_UNIT_DIR}")
elseif(_prefix STREQUAL "/usr")
  set(_unitdir "/lib/systemd/system")
else()
  set(_unitdir "${_prefix}/lib/systemd/system")
endif()
if(_prefix STREQUAL "/usr")
  set(_sysusersdir "/usr/lib/sysusers.d")
else()
  set(_sysusersdir "${_prefix}/lib/sysusers.d")
endif()

# systemd splits ExecStart= at spaces unless a word is quoted.
macro(_opentapi_unit_word out path)
  if("${path}" MATCHES " ")
    set(${out} "\"${path}\"")
  else()
    set(${out} "${path}")
  endif()
endmacro()
_opentapi_unit_word(OPENTAPID_BINARY "${_bindir}/opentapid")
_opentapi_unit_word(OPENTAPID_CONFIG "${_sysconfdir}/opentapi/callcenter.toml")
# The cluster template: paths a word is appended to cannot be quoted, so a
# configuration directory with spaces is not supported there.
set(OPENTAPID_CONFIG_DIR "${_sysconfdir}/opentapi")
set(OPENTAPID_CLUSTER_ENV "${_sysconfdir}/opentapi/cluster-%i.env")

set(_generated "${CMAKE_CURRENT_BINARY_DIR}/opentapid.service.installed")
configure_file("${OPENTAPI_SOURCE_DIR}/etc/systemd/opentapid.service" "${_generated}" @ONLY)

file(INSTALL DESTINATION "${_sysconfdir}/opentapi" TYPE FILE FILES "${OPENTAPI_SOURCE_DIR}/etc/opentapi/callcenter.toml")
file(INSTALL DESTINATION "${_unitdir}" TYPE FILE RENAME opentapid.service FILES "${_generated}")
set(_generated_template "${CMAKE_CURRENT_BINARY_DIR}/opentapid@.service.installed")
configure_file("${OPENTAPI_SOURCE_DIR}/etc/systemd/opentapid@.service" "${_generated_template}" @ONLY)
file(INSTALL DESTINATION "${_unitdir}" TYPE FILE RENAME opentapid@.service FILES "${_generated_template}")
file(INSTALL DESTINATION "${_sysusersdir}" TYPE FILE RENAME opentapi.conf
     FILES "${OPENTAPI_SOURCE_DIR}/etc/systemd/opentapi.sysusers")
