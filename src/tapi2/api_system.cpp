// The functions of tapi.h about the telephony system rather than one line
// (docs/tapi2.md "The rest of the line API"): the provider list, handoff
// priorities, assisted-telephony request recipients and device icons. On
// Windows TAPISRV answers these itself from the registry; here the library
// answers them, from what the process set (priorities, recipients) or from
// what opentapi is (one provider, no icons).
#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/registry.h"
#include "layout/var_struct.h"
#include "tapi2/api_common.h"
#include "tapi2/call_codec.h"

// tapi.h maps these names to their A/W forms; this file defines the real
// unsuffixed (ANSI) exports as well.
#undef lineGetProviderList
#undef lineGetAppPriority
#undef lineSetAppPriority
#undef lineGetRequest
#undef lineGetIcon

namespace opentapi::tapi2 {
namespace {

using layout::Charset;

// ---- the provider list ----

constexpr DWORD kProviderId = 1;
constexpr const char* kProviderFile = "opentapid";

LONG get_provider_list(DWORD dwAPIVersion, LPLINEPROVIDERLIST list, Charset charset) {
  // lineGetProviderList came with TAPI 1.4.
  if (dwAPIVersion < TAPI_VERSION1_4 || dwAPIVersion > TAPI_CURRENT_VERSION) return LINEERR_INCOMPATIBLEAPIVERSION;
  if (list == nullptr) return LINEERR_INVALPOINTER;
  using T = LINEPROVIDERLIST;
  using E = LINEPROVIDERENTRY;
  auto w = layout::VarStructWriter::begin(list, total_size_of(list), sizeof(T), charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  w->u32(OT_OFF(T, dwNumProviders), 1);
  const layout::Array entries = w->array(OT_PAIR(T, ProviderList), 1, sizeof(E));
  if (entries.placed()) w->u32(entries.element(0) + OT_OFF(E, dwPermanentProviderID), kProviderId);
  w->element_string(entries, 0, OT_PAIR(E, ProviderFilename), kProviderFile);
  w->finish();
  return 0;
}

// ---- handoff priorities ----

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// One list per media mode, or per request mode when the media mode is 0,
// highest priority first. Application names compare as Windows compares
// module file names: without the directory, without regard to case.
class Priorities {
 public:
  static Priorities& instance() {
    static auto* p = new Priorities;  // never destroyed: callable during exit
    return *p;
  }

  DWORD get(DWORD key, const std::string& app) {
    std::lock_guard lock(mu_);
    const auto& list = lists_[key];
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (equal_ignoring_ascii_case(list[i], app)) return static_cast<DWORD>(i + 1);
    }
    return 0;
  }

  void set(DWORD key, const std::string& app, bool first) {
    std::lock_guard lock(mu_);
    auto& list = lists_[key];
    std::erase_if(list, [&](const std::string& x) { return equal_ignoring_ascii_case(x, app); });
    if (first) list.insert(list.begin(), app);
  }

 private:
  std::mutex mu_;
  std::map<DWORD, std::vector<std::string>> lists_;
};

// The list a (media mode, request mode) pair names, or a LINEERR_: a media
// mode is one LINEMEDIAMODE_ bit from UNKNOWN to VIDEO; 0 selects the request
// mode's list (MAKECALL or MEDIACALL).
LONG priority_key(DWORD media_mode, DWORD request_mode, DWORD* key) {
  constexpr DWORD kRequestLists = 0x80000000u;  // above every media mode bit
  if (media_mode == 0) {
    if (request_mode != LINEREQUESTMODE_MAKECALL && request_mode != LINEREQUESTMODE_MEDIACALL) {
      return LINEERR_INVALREQUESTMODE;
    }
    *key = kRequestLists | request_mode;
    return 0;
  }
  if (std::popcount(media_mode) != 1 || media_mode < LINEMEDIAMODE_UNKNOWN || media_mode > LINEMEDIAMODE_VIDEO) {
    return LINEERR_INVALMEDIAMODE;
  }
  *key = media_mode;
  return 0;
}

// The module name of lpszAppFilename (the part after the last '/' or '\').
template <class Char>
LONG app_name_arg(const Char* filename, std::string* out) {
  bool ok = true;
  const auto name = utf8_arg(filename, &ok);
  if (!ok || !name) return LINEERR_INVALAPPNAME;
  const std::size_t slash = name->find_last_of("/\\");
  *out = slash == std::string::npos ? *name : name->substr(slash + 1);
  return out->empty() ? LINEERR_INVALAPPNAME : 0;
}

template <class Char>
LONG get_app_priority(const Char* filename, DWORD media_mode, DWORD request_mode, LPDWORD priority) {
  std::string app;
  if (const LONG rc = app_name_arg(filename, &app)) return rc;
  if (priority == nullptr) return LINEERR_INVALPOINTER;
  DWORD key = 0;
  if (const LONG rc = priority_key(media_mode, request_mode, &key)) return rc;
  *priority = Priorities::instance().get(key, app);
  return 0;
}

template <class Char>
LONG set_app_priority(const Char* filename, DWORD media_mode, DWORD request_mode, DWORD priority) {
  std::string app;
  if (const LONG rc = app_name_arg(filename, &app)) return rc;
  DWORD key = 0;
  if (const LONG rc = priority_key(media_mode, request_mode, &key)) return rc;
  if (priority != 0 && priority != 1) return LINEERR_INVALPARAM;
  Priorities::instance().set(key, app, priority == 1);
  return 0;
}

// ---- assisted telephony ----

// The request modes each application registered for. An HLINEAPP is never
// reused, so an entry left by a shut-down application is never consulted.
class Recipients {
 public:
  static Recipients& instance() {
    static auto* r = new Recipients;  // never destroyed: callable during exit
    return *r;
  }
  void set(HLINEAPP app, DWORD modes, bool enable) {
    std::lock_guard lock(mu_);
    DWORD& m = modes_[app];
    m = enable ? (m | modes) : (m & ~modes);
  }
  DWORD modes(HLINEAPP app) {
    std::lock_guard lock(mu_);
    const auto it = modes_.find(app);
    return it == modes_.end() ? 0 : it->second;
  }

 private:
  std::mutex mu_;
  std::unordered_map<HLINEAPP, DWORD> modes_;
};

constexpr DWORD kRequestModes = LINEREQUESTMODE_MAKECALL | LINEREQUESTMODE_MEDIACALL;

LONG register_request_recipient(HLINEAPP happ, DWORD request_mode, DWORD enable) {
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(happ, &app)) return rc;
  if (request_mode == 0 || (request_mode & ~kRequestModes) != 0) return LINEERR_INVALREQUESTMODE;
  Recipients::instance().set(happ, request_mode, enable != 0);
  return 0;
}

LONG get_request(HLINEAPP happ, DWORD request_mode, LPVOID buffer) {
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(happ, &app)) return rc;
  if (buffer == nullptr) return LINEERR_INVALPOINTER;
  if (request_mode != LINEREQUESTMODE_MAKECALL && request_mode != LINEREQUESTMODE_MEDIACALL) {
    return LINEERR_INVALREQUESTMODE;
  }
  if ((Recipients::instance().modes(happ) & request_mode) == 0) return LINEERR_NOTREGISTERED;
  return LINEERR_NOREQUEST;  // nobody in opentapi makes assisted-telephony requests
}

// ---- icons ----

template <class Char>
LONG get_icon(DWORD device_id, const Char* device_class, LPHICON icon) {
  if (icon == nullptr) return LINEERR_INVALPOINTER;
  const auto app = client::Registry::instance().some_application();
  if (!app) return LINEERR_UNINITIALIZED;
  if (device_id >= app->num_devices()) return LINEERR_BADDEVICEID;
  if (device_class != nullptr) {
    bool ok = true;
    const auto name = utf8_arg(device_class, &ok);
    if (!ok || !name || !equal_ignoring_ascii_case(*name, "tapi/line")) return LINEERR_INVALDEVICECLASS;
  }
  *icon = nullptr;  // no icons on Linux: the caller draws its own
  return 0;
}

}  // namespace
}  // namespace opentapi::tapi2

namespace t2 = opentapi::tapi2;
using opentapi::layout::Charset;

OPENTAPI_EXPORT LONG WINAPI lineGetProviderList(DWORD dwAPIVersion, LPLINEPROVIDERLIST lpProviderList) {
  return t2::c_call([&]() -> LONG { return t2::get_provider_list(dwAPIVersion, lpProviderList, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetProviderListA(DWORD dwAPIVersion, LPLINEPROVIDERLIST lpProviderList) {
  return t2::c_call([&]() -> LONG { return t2::get_provider_list(dwAPIVersion, lpProviderList, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetProviderListW(DWORD dwAPIVersion, LPLINEPROVIDERLIST lpProviderList) {
  return t2::c_call([&]() -> LONG { return t2::get_provider_list(dwAPIVersion, lpProviderList, Charset::kWide); });
}

// lpExtensionID and lpExtensionName concern extension media modes, which
// opentapi has none of: they are not used.
OPENTAPI_EXPORT LONG WINAPI lineGetAppPriority(LPCSTR lpszAppFilename, DWORD dwMediaMode,
                                               LPLINEEXTENSIONID /*lpExtensionID*/, DWORD dwRequestMode,
                                               LPVARSTRING /*lpExtensionName*/, LPDWORD lpdwPriority) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_app_priority(lpszAppFilename, dwMediaMode, dwRequestMode, lpdwPriority); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAppPriorityA(LPCSTR lpszAppFilename, DWORD dwMediaMode,
                                                LPLINEEXTENSIONID /*lpExtensionID*/, DWORD dwRequestMode,
                                                LPVARSTRING /*lpExtensionName*/, LPDWORD lpdwPriority) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_app_priority(lpszAppFilename, dwMediaMode, dwRequestMode, lpdwPriority); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAppPriorityW(LPCWSTR lpszAppFilename, DWORD dwMediaMode,
                                                LPLINEEXTENSIONID /*lpExtensionID*/, DWORD dwRequestMode,
                                                LPVARSTRING /*lpExtensionName*/, LPDWORD lpdwPriority) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_app_priority(lpszAppFilename, dwMediaMode, dwRequestMode, lpdwPriority); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAppPriority(LPCSTR lpszAppFilename, DWORD dwMediaMode,
                                               LPLINEEXTENSIONID /*lpExtensionID*/, DWORD dwRequestMode,
                                               LPCSTR /*lpszExtensionName*/, DWORD dwPriority) {
  return t2::c_call(
      [&]() -> LONG { return t2::set_app_priority(lpszAppFilename, dwMediaMode, dwRequestMode, dwPriority); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAppPriorityA(LPCSTR lpszAppFilename, DWORD dwMediaMode,
                                                LPLINEEXTENSIONID /*lpExtensionID*/, DWORD dwRequestMode,
                                                LPCSTR /*lpszExtensionName*/, DWORD dwPriority) {
  return t2::c_call(
      [&]() -> LONG { return t2::set_app_priority(lpszAppFilename, dwMediaMode, dwRequestMode, dwPriority); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAppPriorityW(LPCWSTR lpszAppFilename, DWORD dwMediaMode,
                                                LPLINEEXTENSIONID /*lpExtensionID*/, DWORD dwRequestMode,
                                                LPCWSTR /*lpszExtensionName*/, DWORD dwPriority) {
  return t2::c_call(
      [&]() -> LONG { return t2::set_app_priority(lpszAppFilename, dwMediaMode, dwRequestMode, dwPriority); });
}

OPENTAPI_EXPORT LONG WINAPI lineRegisterRequestRecipient(HLINEAPP hLineApp, DWORD /*dwRegistrationInstance*/,
                                                         DWORD dwRequestMode, DWORD bEnable) {
  return t2::c_call([&]() -> LONG { return t2::register_request_recipient(hLineApp, dwRequestMode, bEnable); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetRequest(HLINEAPP hLineApp, DWORD dwRequestMode, LPVOID lpRequestBuffer) {
  return t2::c_call([&]() -> LONG { return t2::get_request(hLineApp, dwRequestMode, lpRequestBuffer); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetRequestA(HLINEAPP hLineApp, DWORD dwRequestMode, LPVOID lpRequestBuffer) {
  return t2::c_call([&]() -> LONG { return t2::get_request(hLineApp, dwRequestMode, lpRequestBuffer); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetRequestW(HLINEAPP hLineApp, DWORD dwRequestMode, LPVOID lpRequestBuffer) {
  return t2::c_call([&]() -> LONG { return t2::get_request(hLineApp, dwRequestMode, lpRequestBuffer); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetIcon(DWORD dwDeviceID, LPCSTR lpszDeviceClass, LPHICON lphIcon) {
  return t2::c_call([&]() -> LONG { return t2::get_icon(dwDeviceID, lpszDeviceClass, lphIcon); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetIconA(DWORD dwDeviceID, LPCSTR lpszDeviceClass, LPHICON lphIcon) {
  return t2::c_call([&]() -> LONG { return t2::get_icon(dwDeviceID, lpszDeviceClass, lphIcon); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetIconW(DWORD dwDeviceID, LPCWSTR lpszDeviceClass, LPHICON lphIcon) {
  return t2::c_call([&]() -> LONG { return t2::get_icon(dwDeviceID, lpszDeviceClass, lphIcon); });
}
