// The line and address functions of tapi.h that go with calls (docs/calls.md
// "Devices, addresses and numbers", docs/tapi2.md "Calls"): capabilities and
// status of lines and addresses, address lookup by number, and the choice of
// status messages. All synchronous; the switch inside opentapid answers each
// with a typed structure, which call_codec lays out for the caller's API
// version and character set. Checks in the order of api_call.cpp.
#include <cwchar>
#include <string>
#include <string_view>

#include "layout/var_struct.h"
#include "tapi2/api_common.h"
#include "tapi2/call_codec.h"

// tapi.h maps these names to their A/W forms; this file defines the real
// unsuffixed (ANSI) exports as well.
#undef lineGetDevCaps
#undef lineGetAddressCaps
#undef lineGetAddressStatus
#undef lineGetAddressID
#undef lineGetLineDevStatus
#undef lineGetID

namespace opentapi::tapi2 {
namespace {

using layout::Charset;

LONG get_dev_caps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion, DWORD dwExtVersion,
                  LPLINEDEVCAPS lpLineDevCaps, Charset charset) {
  if (const LONG rc = any_application()) return rc;
  if (lpLineDevCaps == nullptr) return LINEERR_INVALPOINTER;
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(hLineApp, &app)) return rc;
  wire::ClientToServer msg;
  auto* g = msg.mutable_get_dev_caps();
  g->set_device_id(dwDeviceID);
  g->set_api_version(dwAPIVersion);
  g->set_ext_version(dwExtVersion);
  wire::Result result;
  if (const LONG rc = call_server(*app, msg, &result)) return rc;
  if (!result.has_dev_caps()) return LINEERR_OPERATIONFAILED;
  return write_dev_caps(result.dev_caps(), dwAPIVersion, charset, lpLineDevCaps);
}

LONG get_address_caps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID, DWORD dwAPIVersion, DWORD dwExtVersion,
                      LPLINEADDRESSCAPS lpAddressCaps, Charset charset) {
  if (const LONG rc = any_application()) return rc;
  if (lpAddressCaps == nullptr) return LINEERR_INVALPOINTER;
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(hLineApp, &app)) return rc;
  wire::ClientToServer msg;
  auto* g = msg.mutable_get_address_caps();
  g->set_device_id(dwDeviceID);
  g->set_address_id(dwAddressID);
  g->set_api_version(dwAPIVersion);
  g->set_ext_version(dwExtVersion);
  wire::Result result;
  if (const LONG rc = call_server(*app, msg, &result)) return rc;
  if (!result.has_address_caps()) return LINEERR_OPERATIONFAILED;
  return write_address_caps(result.address_caps(), dwAPIVersion, charset, lpAddressCaps);
}

LONG get_address_status(HLINE hLine, DWORD dwAddressID, LPLINEADDRESSSTATUS lpAddressStatus) {
  if (const LONG rc = any_application()) return rc;
  if (lpAddressStatus == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  wire::ClientToServer msg;
  msg.mutable_get_address_status()->set_hline(t.line.server_hline);
  msg.mutable_get_address_status()->set_address_id(dwAddressID);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  if (!result.has_address_status()) return LINEERR_OPERATIONFAILED;
  return write_address_status(result.address_status(), t.line.api_version, lpAddressStatus);
}

LONG get_line_dev_status(HLINE hLine, LPLINEDEVSTATUS lpLineDevStatus, Charset charset) {
  if (const LONG rc = any_application()) return rc;
  if (lpLineDevStatus == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  wire::ClientToServer msg;
  msg.mutable_get_line_dev_status()->set_hline(t.line.server_hline);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  if (!result.has_line_dev_status()) return LINEERR_OPERATIONFAILED;
  return write_line_dev_status(result.line_dev_status(), t.line.api_version, charset, lpLineDevStatus);
}

// lpsAddress holds dwSize bytes (its NUL, if any, among them): the text up
// to the first NUL. nullopt for malformed text.
std::optional<std::string> address_arg(LPCSTR s, DWORD size) {
  std::string_view text(s, size);
  text = text.substr(0, text.find('\0'));
  if (!layout::is_valid_utf8(text)) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> address_arg(LPCWSTR s, DWORD size) {
  std::wstring_view text(s, size / sizeof(wchar_t));
  text = text.substr(0, text.find(L'\0'));
  return layout::wide_to_utf8(text);
}

template <class Char>
LONG get_address_id(HLINE hLine, LPDWORD lpdwAddressID, DWORD dwAddressMode, const Char* lpsAddress, DWORD dwSize) {
  if (const LONG rc = any_application()) return rc;
  if (lpdwAddressID == nullptr || lpsAddress == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  const auto address = address_arg(lpsAddress, dwSize);
  if (!address) return LINEERR_INVALADDRESS;
  wire::ClientToServer msg;
  auto* g = msg.mutable_get_address_id();
  g->set_hline(t.line.server_hline);
  g->set_address_mode(dwAddressMode);
  g->set_address(*address);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  *lpdwAddressID = result.address_id();
  return 0;
}

LONG set_status_messages(HLINE hLine, DWORD dwLineStates, DWORD dwAddressStates) {
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  wire::ClientToServer msg;
  auto* s = msg.mutable_set_status_messages();
  s->set_hline(t.line.server_hline);
  s->set_line_states(dwLineStates);
  s->set_address_states(dwAddressStates);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  t.app->record_status_messages(t.line.hline, dwLineStates, dwAddressStates);
  return 0;
}

LONG set_num_rings(HLINE hLine, DWORD dwAddressID, DWORD dwNumRings) {
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  wire::ClientToServer msg;
  auto* s = msg.mutable_set_num_rings();
  s->set_hline(t.line.server_hline);
  s->set_address_id(dwAddressID);
  s->set_num_rings(dwNumRings);
  wire::Result result;
  return call_server(*t.app, msg, &result);
}

LONG get_num_rings(HLINE hLine, DWORD dwAddressID, LPDWORD lpdwNumRings) {
  if (const LONG rc = any_application()) return rc;
  if (lpdwNumRings == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  wire::ClientToServer msg;
  msg.mutable_get_num_rings()->set_hline(t.line.server_hline);
  msg.mutable_get_num_rings()->set_address_id(dwAddressID);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  *lpdwNumRings = result.num_rings();
  return 0;
}

// Call hubs are not tracked (docs/tapi2.md "The rest of the line API").
LONG call_hub_tracking(HLINE hLine, LPLINECALLHUBTRACKINGINFO info, bool set) {
  if (const LONG rc = any_application()) return rc;
  if (info == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  using T = LINECALLHUBTRACKINGINFO;
  if (set) {
    if (total_size_of(info) < sizeof(T)) return LINEERR_STRUCTURETOOSMALL;
    return info->dwCurrentTracking == LINECALLHUBTRACKING_NONE ? 0 : LINEERR_OPERATIONUNAVAIL;
  }
  auto w = layout::VarStructWriter::begin(info, total_size_of(info), sizeof(T), layout::Charset::kAnsi);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  w->u32(OT_OFF(T, dwAvailableTracking), LINECALLHUBTRACKING_NONE);
  w->u32(OT_OFF(T, dwCurrentTracking), LINECALLHUBTRACKING_NONE);
  w->finish();
  return 0;
}

LONG get_status_messages(HLINE hLine, LPDWORD lpdwLineStates, LPDWORD lpdwAddressStates) {
  if (const LONG rc = any_application()) return rc;
  if (lpdwLineStates == nullptr || lpdwAddressStates == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  *lpdwLineStates = t.line.line_states;
  *lpdwAddressStates = t.line.address_states;
  return 0;
}

// The device classes lineGetID knows (docs/tapi2.md "lineGetID"). Windows
// compares class names without regard to case.
enum class DeviceClass { kLine, kPhone, kOther };

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

DeviceClass device_class_of(const std::optional<std::string>& name) {
  if (!name) return DeviceClass::kOther;
  if (equal_ignoring_ascii_case(*name, "tapi/line")) return DeviceClass::kLine;
  if (equal_ignoring_ascii_case(*name, "tapi/phone")) return DeviceClass::kPhone;
  return DeviceClass::kOther;
}

template <class Char>
LONG get_id(HLINE hLine, DWORD dwAddressID, HCALL hCall, DWORD dwSelect, LPVARSTRING lpDeviceID,
            const Char* lpszDeviceClass) {
  if (const LONG rc = any_application()) return rc;
  if (lpDeviceID == nullptr || lpszDeviceClass == nullptr) return LINEERR_INVALPOINTER;
  if (dwSelect != LINECALLSELECT_LINE && dwSelect != LINECALLSELECT_ADDRESS && dwSelect != LINECALLSELECT_CALL) {
    return LINEERR_INVALCALLSELECT;
  }
  std::uint32_t device_id = 0;
  if (dwSelect == LINECALLSELECT_CALL) {
    // hLine and dwAddressID are ignored: the call names its line.
    CallTarget c;
    if (const LONG rc = find_call(hCall, &c)) return rc;
    const auto line = c.app->line(c.call.hline);
    if (!line) return LINEERR_INVALCALLHANDLE;  // closed between the two look-ups
    device_id = line->device_id;
  } else {
    LineTarget t;
    if (const LONG rc = find_line(hLine, &t)) return rc;
    if (dwSelect == LINECALLSELECT_ADDRESS) {
      // The switch judges the address ID (LINEERR_INVALADDRESSID).
      wire::ClientToServer msg;
      msg.mutable_get_address_status()->set_hline(t.line.server_hline);
      msg.mutable_get_address_status()->set_address_id(dwAddressID);
      wire::Result result;
      if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
    }
    device_id = t.line.device_id;
  }
  bool ok = true;
  const auto name = utf8_arg(lpszDeviceClass, &ok);
  switch (device_class_of(ok ? name : std::nullopt)) {
    case DeviceClass::kLine:
      return write_line_device_id(device_id, lpDeviceID);
    case DeviceClass::kPhone:
      // A class TAPI knows, but no line of opentapi has a phone device.
      return LINEERR_NODEVICE;
    case DeviceClass::kOther:
      break;
  }
  return LINEERR_INVALDEVICECLASS;
}

}  // namespace
}  // namespace opentapi::tapi2

namespace t2 = opentapi::tapi2;
using opentapi::layout::Charset;

// ---- capabilities (no open line needed) ----

OPENTAPI_EXPORT LONG WINAPI lineGetDevCaps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion, DWORD dwExtVersion,
                                           LPLINEDEVCAPS lpLineDevCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_dev_caps(hLineApp, dwDeviceID, dwAPIVersion, dwExtVersion, lpLineDevCaps, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetDevCapsA(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion, DWORD dwExtVersion,
                                            LPLINEDEVCAPS lpLineDevCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_dev_caps(hLineApp, dwDeviceID, dwAPIVersion, dwExtVersion, lpLineDevCaps, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetDevCapsW(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion, DWORD dwExtVersion,
                                            LPLINEDEVCAPS lpLineDevCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_dev_caps(hLineApp, dwDeviceID, dwAPIVersion, dwExtVersion, lpLineDevCaps, Charset::kWide);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressCaps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                                               DWORD dwAPIVersion, DWORD dwExtVersion,
                                               LPLINEADDRESSCAPS lpAddressCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_address_caps(hLineApp, dwDeviceID, dwAddressID, dwAPIVersion, dwExtVersion, lpAddressCaps,
                                Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressCapsA(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                                                DWORD dwAPIVersion, DWORD dwExtVersion,
                                                LPLINEADDRESSCAPS lpAddressCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_address_caps(hLineApp, dwDeviceID, dwAddressID, dwAPIVersion, dwExtVersion, lpAddressCaps,
                                Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressCapsW(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                                                DWORD dwAPIVersion, DWORD dwExtVersion,
                                                LPLINEADDRESSCAPS lpAddressCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_address_caps(hLineApp, dwDeviceID, dwAddressID, dwAPIVersion, dwExtVersion, lpAddressCaps,
                                Charset::kWide);
  });
}

// ---- status of an open line and its addresses ----

// LINEADDRESSSTATUS holds no string: the three forms are one function.
OPENTAPI_EXPORT LONG WINAPI lineGetAddressStatus(HLINE hLine, DWORD dwAddressID, LPLINEADDRESSSTATUS lpAddressStatus) {
  return t2::c_call([&]() -> LONG { return t2::get_address_status(hLine, dwAddressID, lpAddressStatus); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressStatusA(HLINE hLine, DWORD dwAddressID, LPLINEADDRESSSTATUS lpAddressStatus) {
  return t2::c_call([&]() -> LONG { return t2::get_address_status(hLine, dwAddressID, lpAddressStatus); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressStatusW(HLINE hLine, DWORD dwAddressID, LPLINEADDRESSSTATUS lpAddressStatus) {
  return t2::c_call([&]() -> LONG { return t2::get_address_status(hLine, dwAddressID, lpAddressStatus); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetLineDevStatus(HLINE hLine, LPLINEDEVSTATUS lpLineDevStatus) {
  return t2::c_call([&]() -> LONG { return t2::get_line_dev_status(hLine, lpLineDevStatus, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetLineDevStatusA(HLINE hLine, LPLINEDEVSTATUS lpLineDevStatus) {
  return t2::c_call([&]() -> LONG { return t2::get_line_dev_status(hLine, lpLineDevStatus, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetLineDevStatusW(HLINE hLine, LPLINEDEVSTATUS lpLineDevStatus) {
  return t2::c_call([&]() -> LONG { return t2::get_line_dev_status(hLine, lpLineDevStatus, Charset::kWide); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressID(HLINE hLine, LPDWORD lpdwAddressID, DWORD dwAddressMode, LPCSTR lpsAddress,
                                             DWORD dwSize) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_address_id(hLine, lpdwAddressID, dwAddressMode, lpsAddress, dwSize); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressIDA(HLINE hLine, LPDWORD lpdwAddressID, DWORD dwAddressMode,
                                              LPCSTR lpsAddress, DWORD dwSize) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_address_id(hLine, lpdwAddressID, dwAddressMode, lpsAddress, dwSize); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAddressIDW(HLINE hLine, LPDWORD lpdwAddressID, DWORD dwAddressMode,
                                              LPCWSTR lpsAddress, DWORD dwSize) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_address_id(hLine, lpdwAddressID, dwAddressMode, lpsAddress, dwSize); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetStatusMessages(HLINE hLine, DWORD dwLineStates, DWORD dwAddressStates) {
  return t2::c_call([&]() -> LONG { return t2::set_status_messages(hLine, dwLineStates, dwAddressStates); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetStatusMessages(HLINE hLine, LPDWORD lpdwLineStates, LPDWORD lpdwAddressStates) {
  return t2::c_call([&]() -> LONG { return t2::get_status_messages(hLine, lpdwLineStates, lpdwAddressStates); });
}

// ---- device IDs of other classes for a line, an address or a call ----

OPENTAPI_EXPORT LONG WINAPI lineGetID(HLINE hLine, DWORD dwAddressID, HCALL hCall, DWORD dwSelect,
                                      LPVARSTRING lpDeviceID, LPCSTR lpszDeviceClass) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_id(hLine, dwAddressID, hCall, dwSelect, lpDeviceID, lpszDeviceClass); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetIDA(HLINE hLine, DWORD dwAddressID, HCALL hCall, DWORD dwSelect,
                                       LPVARSTRING lpDeviceID, LPCSTR lpszDeviceClass) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_id(hLine, dwAddressID, hCall, dwSelect, lpDeviceID, lpszDeviceClass); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetIDW(HLINE hLine, DWORD dwAddressID, HCALL hCall, DWORD dwSelect,
                                       LPVARSTRING lpDeviceID, LPCWSTR lpszDeviceClass) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_id(hLine, dwAddressID, hCall, dwSelect, lpDeviceID, lpszDeviceClass); });
}

// ---- rings before answering (toll saver), kept by the server per open ----

OPENTAPI_EXPORT LONG WINAPI lineSetNumRings(HLINE hLine, DWORD dwAddressID, DWORD dwNumRings) {
  return t2::c_call([&]() -> LONG { return t2::set_num_rings(hLine, dwAddressID, dwNumRings); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetNumRings(HLINE hLine, DWORD dwAddressID, LPDWORD lpdwNumRings) {
  return t2::c_call([&]() -> LONG { return t2::get_num_rings(hLine, dwAddressID, lpdwNumRings); });
}

// ---- call hubs (3.0): not tracked ----

OPENTAPI_EXPORT LONG WINAPI lineGetCallHubTracking(HLINE hLine, LPLINECALLHUBTRACKINGINFO lpTrackingInfo) {
  return t2::c_call([&]() -> LONG { return t2::call_hub_tracking(hLine, lpTrackingInfo, false); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetCallHubTracking(HLINE hLine, LPLINECALLHUBTRACKINGINFO lpTrackingInfo) {
  return t2::c_call([&]() -> LONG { return t2::call_hub_tracking(hLine, lpTrackingInfo, true); });
}
