// The infrastructure functions of docs/reference/tapi2-agent.md §3.4: lineInitializeEx,
// lineShutdown, lineGetMessage, lineNegotiateAPIVersion, lineOpen, lineClose,
// and the opentapi_event_fd accessor of opentapi_ext.h.
#include <cerrno>
#include <cstring>
#include <cwchar>
#include <vector>

#include "client/message_queue.h"
#include "client/registry.h"
#include "layout/var_struct.h"
#include "opentapi_ext.h"
#include "tapi2/api_common.h"

// tapi.h maps lineOpen to lineOpenA/W; this file defines the real unsuffixed export.
#undef lineOpen

namespace opentapi::tapi2 {
namespace {

// The HANDLE of a USEEVENT application encodes its eventfd as fd + 1, so a
// valid handle is never NULL even for descriptor 0.
HANDLE encode_event(int fd) { return reinterpret_cast<HANDLE>(static_cast<std::intptr_t>(fd) + 1); }

LONG initialize(LPHLINEAPP lphLineApp, LINECALLBACK lpfnCallback, std::optional<std::string> name, bool name_ok,
                LPDWORD lpdwNumDevs, LPDWORD lpdwAPIVersion, LPLINEINITIALIZEEXPARAMS params) {
  if (lphLineApp == nullptr || lpdwNumDevs == nullptr || lpdwAPIVersion == nullptr) return LINEERR_INVALPOINTER;
  if (!name_ok) return LINEERR_INVALAPPNAME;
  // No parameter block: the hidden-window (callback) mechanism, as for lineInitialize.
  DWORD mechanism = LINEINITIALIZEEXOPTION_USEHIDDENWINDOW;
  if (params != nullptr) {
    if (params->dwTotalSize < sizeof(LINEINITIALIZEEXPARAMS)) {
      params->dwNeededSize = sizeof(LINEINITIALIZEEXPARAMS);
      return LINEERR_STRUCTURETOOSMALL;
    }
    mechanism = params->dwOptions & ~LINEINITIALIZEEXOPTION_CALLHUBTRACKING;
  }
  client::ConnectOptions options;
  switch (mechanism) {
    case LINEINITIALIZEEXOPTION_USEHIDDENWINDOW:
      // Re-interpreted: the callback runs on a library dispatcher thread, one
      // message at a time (§3.4 [DECIDE]).
      if (lpfnCallback == nullptr) return LINEERR_INVALPOINTER;
      options.callback = [lpfnCallback](const client::LineMessage& m) {
        lpfnCallback(m.device, m.id, m.instance, m.param1, m.param2, m.param3);
      };
      break;
    case LINEINITIALIZEEXOPTION_USEEVENT:
      break;
    default:
      // USECOMPLETIONPORT: there are no completion ports on Linux (docs/tapi2.md).
      return LINEERR_INVALPARAM;
  }
  options.app_name = name ? *name : std::string(program_invocation_short_name);
  options.api_version = *lpdwAPIVersion;
  options.build_proxy_request = build_delivery;

  std::shared_ptr<client::Application> app;
  if (const LONG rc = client::Application::connect(std::move(options), &app)) return rc;
  HLINEAPP happ = 0;
  try {
    happ = client::Registry::instance().add_application(app);
  } catch (...) {
    app->shutdown();  // out of memory: the connection goes, nothing is left behind
    throw;
  }
  *lphLineApp = happ;
  *lpdwNumDevs = app->num_devices();
  *lpdwAPIVersion = app->server_api_version() != 0 ? app->server_api_version() : TAPI_CURRENT_VERSION;
  if (params != nullptr) {
    params->dwNeededSize = sizeof(LINEINITIALIZEEXPARAMS);
    params->dwUsedSize = sizeof(LINEINITIALIZEEXPARAMS);
    if (mechanism == LINEINITIALIZEEXOPTION_USEEVENT) params->Handles.hEvent = encode_event(app->event_fd());
  }
  return 0;
}

// LINEOPENOPTION_SINGLEADDRESS: the address is LINECALLPARAMS.dwAddressID,
// with dwAddressMode LINEADDRESSMODE_ADDRESSID. Microsoft's lineOpen: NULL or
// invalid call parameters, or an address the line lacks (judged by the
// server), fail with LINEERR_INVALADDRESSID.
LONG read_single_address(const LINECALLPARAMS* params, wire::Open* open) {
  if (params == nullptr) return LINEERR_INVALADDRESSID;
  DWORD total = 0;
  std::memcpy(&total, params, sizeof total);
  // The structure must reach dwAddressID to name one.
  if (total < OT_OFF(LINECALLPARAMS, dwAddressID) + sizeof(DWORD)) return LINEERR_STRUCTURETOOSMALL;
  if (params->dwAddressMode != LINEADDRESSMODE_ADDRESSID) return LINEERR_INVALADDRESSID;
  open->set_address_id(params->dwAddressID);
  return 0;
}

// lineOpen errors that concern one device only: LINEMAPPER tries the next.
bool device_specific(LONG rc) {
  switch (rc) {
    case LINEERR_ALLOCATED:
    case LINEERR_BADDEVICEID:
    case LINEERR_NODEVICE:
    case LINEERR_NODRIVER:
    case LINEERR_INCOMPATIBLEAPIVERSION:
    case LINEERR_INCOMPATIBLEEXTVERSION:
    case LINEERR_INVALMEDIAMODE:
    case LINEERR_INVALADDRESSID:
    case LINEERR_NOTREGISTERED:
    case LINEERR_OPERATIONUNAVAIL:
    case LINEERR_RESOURCEUNAVAIL:
      return true;
    default:
      return false;
  }
}

LONG open_line(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion, DWORD dwExtVersion,
               DWORD_PTR dwCallbackInstance, DWORD dwPrivileges, DWORD dwMediaModes, LPLINECALLPARAMS lpCallParams,
               bool wide) {
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(hLineApp, &app)) return rc;
  if (lphLine == nullptr) return LINEERR_INVALPOINTER;
  wire::ClientToServer msg;
  auto* open = msg.mutable_open();
  if ((dwPrivileges & LINEOPENOPTION_PROXY) != 0) {
    std::vector<std::uint32_t> types;
    if (const LONG rc = read_proxy_request_types(lpCallParams, &types)) return rc;
    for (const auto type : types) open->add_proxy_request_types(type);
  }
  if ((dwPrivileges & LINEOPENOPTION_SINGLEADDRESS) != 0) {
    if (const LONG rc = read_single_address(lpCallParams, open)) return rc;
  }
  if (dwDeviceID == LINEMAPPER && lpCallParams == nullptr) return LINEERR_INVALPOINTER;
  open->set_api_version(dwAPIVersion);
  open->set_ext_version(dwExtVersion);
  open->set_privileges(dwPrivileges);
  open->set_media_modes(dwMediaModes);
  open->set_callback_instance(dwCallbackInstance);

  auto try_device = [&](DWORD device) {
    open->set_device_id(device);
    client::LineInfo line;
    const LONG rc = app->open_line(msg, wide, dwCallbackInstance, &line);
    if (rc == 0) *lphLine = line.hline;
    return rc;
  };
  if (dwDeviceID != LINEMAPPER) return try_device(dwDeviceID);
  // LINEMAPPER: the server opens devices by ID only, so the library tries
  // each device in turn; the first one that accepts this open is the match.
  for (DWORD device = 0; device < app->num_devices(); ++device) {
    const LONG rc = try_device(device);
    if (rc == 0 || !device_specific(rc)) return rc;
  }
  return LINEERR_LINEMAPPERFAILED;
}

}  // namespace
}  // namespace opentapi::tapi2

namespace t2 = opentapi::tapi2;

OPENTAPI_EXPORT LONG WINAPI lineInitializeExA(LPHLINEAPP lphLineApp, HINSTANCE /*hInstance*/, LINECALLBACK lpfnCallback,
                                              LPCSTR lpszFriendlyAppName, LPDWORD lpdwNumDevs, LPDWORD lpdwAPIVersion,
                                              LPLINEINITIALIZEEXPARAMS lpLineInitializeExParams) {
  return t2::c_call([&]() -> LONG {
    bool ok = true;
    auto name = t2::utf8_arg(lpszFriendlyAppName, &ok);
    return t2::initialize(lphLineApp, lpfnCallback, std::move(name), ok, lpdwNumDevs, lpdwAPIVersion,
                          lpLineInitializeExParams);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineInitializeExW(LPHLINEAPP lphLineApp, HINSTANCE /*hInstance*/, LINECALLBACK lpfnCallback,
                                              LPCWSTR lpszFriendlyAppName, LPDWORD lpdwNumDevs, LPDWORD lpdwAPIVersion,
                                              LPLINEINITIALIZEEXPARAMS lpLineInitializeExParams) {
  return t2::c_call([&]() -> LONG {
    bool ok = true;
    auto name = t2::utf8_arg(lpszFriendlyAppName, &ok);
    return t2::initialize(lphLineApp, lpfnCallback, std::move(name), ok, lpdwNumDevs, lpdwAPIVersion,
                          lpLineInitializeExParams);
  });
}

// TAPI 1.x registration (docs/tapi2.md "lineInitialize"): the callback
// mechanism of lineInitializeEx with USEHIDDENWINDOW, i.e. lpfnCallback runs
// on the application's dispatcher thread, one message at a time. The
// application is a TAPI 1.x one (its version, logged by the server, is 1.0 =
// 0x00010003); it chooses its line versions with lineNegotiateAPIVersion as
// before.
OPENTAPI_EXPORT LONG WINAPI lineInitialize(LPHLINEAPP lphLineApp, HINSTANCE /*hInstance*/, LINECALLBACK lpfnCallback,
                                           LPCSTR lpszAppName, LPDWORD lpdwNumDevs) {
  return t2::c_call([&]() -> LONG {
    bool ok = true;
    auto name = t2::utf8_arg(lpszAppName, &ok);
    DWORD api_version = TAPI_VERSION1_0;
    return t2::initialize(lphLineApp, lpfnCallback, std::move(name), ok, lpdwNumDevs, &api_version, nullptr);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineShutdown(HLINEAPP hLineApp) {
  return t2::c_call([&]() -> LONG {
    auto& registry = opentapi::client::Registry::instance();
    if (!registry.any_application()) return LINEERR_UNINITIALIZED;
    const auto app = registry.remove_application(hLineApp);
    if (!app) return LINEERR_INVALAPPHANDLE;
    app->shutdown();
    return 0;
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetMessage(HLINEAPP hLineApp, LPLINEMESSAGE lpMessage, DWORD dwTimeout) {
  return t2::c_call([&]() -> LONG {
    // lineGetMessage does not list LINEERR_UNINITIALIZED: an unknown handle is
    // an unknown handle.
    const auto app = opentapi::client::Registry::instance().application(hLineApp);
    if (!app) return LINEERR_INVALAPPHANDLE;
    if (lpMessage == nullptr) return LINEERR_INVALPOINTER;
    opentapi::client::LineMessage m;
    if (const LONG rc = app->get_message(dwTimeout, &m)) return rc;
    lpMessage->hDevice = m.device;
    lpMessage->dwMessageID = m.id;
    lpMessage->dwCallbackInstance = m.instance;
    lpMessage->dwParam1 = m.param1;
    lpMessage->dwParam2 = m.param2;
    lpMessage->dwParam3 = m.param3;
    return 0;
  });
}

OPENTAPI_EXPORT LONG WINAPI lineNegotiateAPIVersion(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPILowVersion,
                                                    DWORD dwAPIHighVersion, LPDWORD lpdwAPIVersion,
                                                    LPLINEEXTENSIONID lpExtensionID) {
  return t2::c_call([&]() -> LONG {
    std::shared_ptr<opentapi::client::Application> app;
    if (const LONG rc = t2::find_application(hLineApp, &app)) return rc;
    if (lpdwAPIVersion == nullptr || lpExtensionID == nullptr) return LINEERR_INVALPOINTER;
    opentapi::wire::ClientToServer msg;
    auto* n = msg.mutable_negotiate();
    n->set_device_id(dwDeviceID);
    n->set_low(dwAPILowVersion);
    n->set_high(dwAPIHighVersion);
    opentapi::wire::Result result;
    if (const LONG rc = app->call(msg, &result)) return rc;
    if (result.result() != 0) return result.result();
    *lpdwAPIVersion = result.api_version();
    std::memset(lpExtensionID, 0, sizeof *lpExtensionID);  // no provider extensions
    return 0;
  });
}

OPENTAPI_EXPORT LONG WINAPI lineOpen(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion,
                                     DWORD dwExtVersion, DWORD_PTR dwCallbackInstance, DWORD dwPrivileges,
                                     DWORD dwMediaModes, LPLINECALLPARAMS const lpCallParams) {
  return t2::c_call([&]() -> LONG {
    return t2::open_line(hLineApp, dwDeviceID, lphLine, dwAPIVersion, dwExtVersion, dwCallbackInstance, dwPrivileges,
                         dwMediaModes, lpCallParams, false);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineOpenA(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion,
                                      DWORD dwExtVersion, DWORD_PTR dwCallbackInstance, DWORD dwPrivileges,
                                      DWORD dwMediaModes, LPLINECALLPARAMS const lpCallParams) {
  return t2::c_call([&]() -> LONG {
    return t2::open_line(hLineApp, dwDeviceID, lphLine, dwAPIVersion, dwExtVersion, dwCallbackInstance, dwPrivileges,
                         dwMediaModes, lpCallParams, false);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineOpenW(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion,
                                      DWORD dwExtVersion, DWORD_PTR dwCallbackInstance, DWORD dwPrivileges,
                                      DWORD dwMediaModes, LPLINECALLPARAMS const lpCallParams) {
  return t2::c_call([&]() -> LONG {
    return t2::open_line(hLineApp, dwDeviceID, lphLine, dwAPIVersion, dwExtVersion, dwCallbackInstance, dwPrivileges,
                         dwMediaModes, lpCallParams, true);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineClose(HLINE hLine) {
  return t2::c_call([&]() -> LONG {
    auto& registry = opentapi::client::Registry::instance();
    if (!registry.any_application()) return LINEERR_UNINITIALIZED;
    const auto app = registry.line_owner(hLine);
    if (!app) return LINEERR_INVALLINEHANDLE;
    return app->close_line(hLine);
  });
}

// Not a LONG function and nothing in it can throw (a lookup under locks):
// no c_call needed.
OPENTAPI_EXPORT int opentapi_event_fd(HANDLE hEvent) {
  if (hEvent == nullptr) return -1;
  const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(hEvent) - 1);
  // From now on the descriptor follows the queue (client/message_queue.h).
  opentapi::client::MessageQueue::arm_event(fd);
  return fd;
}
