#include "tapi3/mapping.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

namespace opentapi::tapi3 {
namespace {

// Days between the OLE epoch (1899-12-30) and the Unix epoch.
constexpr double kUnixEpochAsDate = 25569.0;
constexpr double kSecondsPerDay = 86400.0;

bool single_bit(DWORD v) { return v != 0 && (v & (v - 1)) == 0; }

}  // namespace

std::optional<DWORD> to_line_session_state(LONG state) {
  switch (state) {
    case ASST_NOT_READY:
      return LINEAGENTSESSIONSTATE_NOTREADY;
    case ASST_READY:
      return LINEAGENTSESSIONSTATE_READY;
    case ASST_BUSY_ON_CALL:
      return LINEAGENTSESSIONSTATE_BUSYONCALL;
    case ASST_BUSY_WRAPUP:
      return LINEAGENTSESSIONSTATE_BUSYWRAPUP;
    case ASST_SESSION_ENDED:
      return LINEAGENTSESSIONSTATE_ENDED;
    default:
      return std::nullopt;
  }
}

std::optional<AGENT_SESSION_STATE> from_line_session_state(DWORD state) {
  if (!single_bit(state)) return std::nullopt;
  switch (state) {
    case LINEAGENTSESSIONSTATE_NOTREADY:
      return ASST_NOT_READY;
    case LINEAGENTSESSIONSTATE_READY:
      return ASST_READY;
    case LINEAGENTSESSIONSTATE_BUSYONCALL:
      return ASST_BUSY_ON_CALL;
    case LINEAGENTSESSIONSTATE_BUSYWRAPUP:
      return ASST_BUSY_WRAPUP;
    case LINEAGENTSESSIONSTATE_ENDED:
    case LINEAGENTSESSIONSTATE_RELEASED:  // tapi3-callcenter.md §5.2 [DECIDE]
      return ASST_SESSION_ENDED;
    default:
      return std::nullopt;
  }
}

std::optional<DWORD> to_line_agent_state(LONG state) {
  switch (state) {
    case AS_NOT_READY:
      return LINEAGENTSTATEEX_NOTREADY;
    case AS_READY:
      return LINEAGENTSTATEEX_READY;
    case AS_BUSY_ACD:
      return LINEAGENTSTATEEX_BUSYACD;
    case AS_BUSY_INCOMING:
      return LINEAGENTSTATEEX_BUSYINCOMING;
    case AS_BUSY_OUTGOING:
      return LINEAGENTSTATEEX_BUSYOUTGOING;
    default:
      return std::nullopt;  // AS_UNKNOWN cannot be requested (§5.1 [DECIDE])
  }
}

std::optional<AGENT_STATE> from_line_agent_state(DWORD state) {
  if (!single_bit(state)) return std::nullopt;
  switch (state) {
    case LINEAGENTSTATEEX_NOTREADY:
      return AS_NOT_READY;
    case LINEAGENTSTATEEX_READY:
      return AS_READY;
    case LINEAGENTSTATEEX_BUSYACD:
      return AS_BUSY_ACD;
    case LINEAGENTSTATEEX_BUSYINCOMING:
      return AS_BUSY_INCOMING;
    case LINEAGENTSTATEEX_BUSYOUTGOING:
      return AS_BUSY_OUTGOING;
    case LINEAGENTSTATEEX_UNKNOWN:
    case LINEAGENTSTATEEX_RELEASED:  // §5.1 [DECIDE]
      return AS_UNKNOWN;
    default:
      return std::nullopt;
  }
}

std::vector<AGENT_SESSION_EVENT> session_events(DWORD status_bits, DWORD new_state) {
  std::vector<AGENT_SESSION_EVENT> events;
  if ((status_bits & LINEAGENTSESSIONSTATUS_NEWSESSION) != 0) events.push_back(ASE_NEW_SESSION);
  if ((status_bits & LINEAGENTSESSIONSTATUS_STATE) != 0) {
    if (const auto s = from_line_session_state(new_state)) {
      switch (*s) {
        case ASST_NOT_READY:
          events.push_back(ASE_NOT_READY);
          break;
        case ASST_READY:
          events.push_back(ASE_READY);
          break;
        case ASST_BUSY_ON_CALL:
          events.push_back(ASE_BUSY);
          break;
        case ASST_BUSY_WRAPUP:
          events.push_back(ASE_WRAPUP);
          break;
        case ASST_SESSION_ENDED:
          events.push_back(ASE_END);
          break;
      }
    }
  }
  return events;
}

std::vector<AGENT_EVENT> agent_events(DWORD status_bits, DWORD new_state) {
  std::vector<AGENT_EVENT> events;
  if ((status_bits & LINEAGENTSTATUSEX_STATE) != 0) {
    if (const auto s = from_line_agent_state(new_state)) {
      // AGENT_STATE and AGENT_EVENT have the same numbering (§4.1, §4.3).
      events.push_back(static_cast<AGENT_EVENT>(*s));
    }
  }
  return events;
}

DATE utc_date_to_local(DATE utc) {
  if (!std::isfinite(utc)) return utc;
  const double seconds = std::floor((utc - kUnixEpochAsDate) * kSecondsPerDay);
  // Outside time_t's comfortable range nothing sensible can be converted.
  if (seconds < -1e15 || seconds > 1e15) return utc;
  const auto t = static_cast<std::time_t>(seconds);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return utc;
  return utc + static_cast<double>(local.tm_gmtoff) / kSecondsPerDay;
}

std::wstring wide_field(const void* base, DWORD available, DWORD size, DWORD offset) {
  if (base == nullptr || size == 0 || offset == 0) return {};
  if (offset > available || size > available - offset) return {};
  const std::size_t chars = size / sizeof(wchar_t);
  std::wstring text(chars, L'\0');
  std::memcpy(text.data(), static_cast<const unsigned char*>(base) + offset, chars * sizeof(wchar_t));
  while (!text.empty() && text.back() == L'\0') text.pop_back();
  return text;
}

bool serves_all_acd_types(const LINEPROXYREQUESTLIST* list) {
  if (list == nullptr) return false;
  const DWORD available = list->dwUsedSize < list->dwTotalSize ? list->dwUsedSize : list->dwTotalSize;
  const DWORD bytes = list->dwNumEntries * static_cast<DWORD>(sizeof(DWORD));
  if (list->dwNumEntries > 64 || list->dwListOffset > available || bytes > available - list->dwListOffset) {
    return false;
  }
  bool seen[0x15] = {};
  const auto* p = reinterpret_cast<const unsigned char*>(list) + list->dwListOffset;
  for (DWORD i = 0; i < list->dwNumEntries; ++i) {
    DWORD type = 0;
    std::memcpy(&type, p + i * sizeof(DWORD), sizeof type);
    if (type < sizeof seen) seen[type] = true;
  }
  for (DWORD type = LINEPROXYREQUEST_CREATEAGENT; type <= LINEPROXYREQUEST_SETAGENTSTATEEX; ++type) {
    if (!seen[type]) return false;
  }
  return true;
}

std::chrono::milliseconds request_timeout_from(const char* env_value) {
  if (env_value == nullptr || *env_value == '\0') return kDocumentedTimeout;
  for (const char* c = env_value; *c != '\0'; ++c) {
    if (*c < '0' || *c > '9') return kDocumentedTimeout;
  }
  errno = 0;
  char* end = nullptr;
  const unsigned long long ms = std::strtoull(env_value, &end, 10);
  // More than a day is surely a mistake; so is 0 (every request would fail).
  if (errno != 0 || ms == 0 || ms > 86400000ULL) return kDocumentedTimeout;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

std::wstring process_user_name() {
  const uid_t uid = geteuid();
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  if (size <= 0) size = 16384;
  std::vector<char> buffer(static_cast<std::size_t>(size));
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    return widen(found->pw_name);
  }
  return std::to_wstring(uid);
}

std::wstring widen(const std::string& utf8) {
  std::wstring out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    int extra = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      cp = b0 & 0x1F;
      extra = 1;
    } else if ((b0 & 0xF0) == 0xE0) {
      cp = b0 & 0x0F;
      extra = 2;
    } else if ((b0 & 0xF8) == 0xF0) {
      cp = b0 & 0x07;
      extra = 3;
    } else {
      out.push_back(L'\uFFFD');
      ++i;
      continue;
    }
    if (i + static_cast<std::size_t>(extra) >= utf8.size()) {  // truncated sequence
      out.push_back(L'\uFFFD');
      break;
    }
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (!ok) {
      out.push_back(L'\uFFFD');
      ++i;
      continue;
    }
    out.push_back(static_cast<wchar_t>(cp));
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

}  // namespace opentapi::tapi3

namespace opentapi::tapi3 {
namespace {

// The common 24-byte list header (tapi2-agent.md §5.3), validated: the array
// lies inside the buffer and the structure is complete.
struct ListView {
  const unsigned char* base = nullptr;
  DWORD available = 0;
  DWORD entries = 0;
  DWORD offset = 0;
};

template <class List>
std::optional<ListView> list_view(const void* buffer, std::size_t bytes, std::size_t element_size) {
  if (buffer == nullptr || bytes < sizeof(List)) return std::nullopt;
  List header;
  std::memcpy(&header, buffer, sizeof header);
  if (header.dwNeededSize > header.dwTotalSize) return std::nullopt;  // partial: some entries left out
  const DWORD available = static_cast<DWORD>(std::min<std::size_t>(bytes, header.dwTotalSize));
  if (header.dwNumEntries == 0) return ListView{static_cast<const unsigned char*>(buffer), available, 0, 0};
  if (header.dwNumEntries > available / element_size) return std::nullopt;
  const std::size_t array_bytes = std::size_t{header.dwNumEntries} * element_size;
  if (header.dwListOffset > available || array_bytes > available - header.dwListOffset) return std::nullopt;
  return ListView{static_cast<const unsigned char*>(buffer), available, header.dwNumEntries, header.dwListOffset};
}

}  // namespace

std::optional<std::vector<GroupEntry>> parse_group_list(const void* buffer, std::size_t bytes) {
  const auto view = list_view<LINEAGENTGROUPLIST>(buffer, bytes, sizeof(LINEAGENTGROUPENTRY));
  if (!view) return std::nullopt;
  std::vector<GroupEntry> out;
  for (DWORD i = 0; i < view->entries; ++i) {
    LINEAGENTGROUPENTRY e;
    std::memcpy(&e, view->base + view->offset + i * sizeof e, sizeof e);
    GroupEntry g;
    std::memcpy(&g.id, &e.GroupID, sizeof g.id);
    g.name = wide_field(view->base, view->available, e.dwNameSize, e.dwNameOffset);
    out.push_back(std::move(g));
  }
  return out;
}

std::optional<std::vector<QueueEntry>> parse_queue_list(const void* buffer, std::size_t bytes) {
  const auto view = list_view<LINEQUEUELIST>(buffer, bytes, sizeof(LINEQUEUEENTRY));
  if (!view) return std::nullopt;
  std::vector<QueueEntry> out;
  for (DWORD i = 0; i < view->entries; ++i) {
    LINEQUEUEENTRY e;
    std::memcpy(&e, view->base + view->offset + i * sizeof e, sizeof e);
    out.push_back({e.dwQueueID, wide_field(view->base, view->available, e.dwNameSize, e.dwNameOffset)});
  }
  return out;
}

std::optional<std::vector<LINEAGENTSESSIONENTRY>> parse_session_list(const void* buffer, std::size_t bytes) {
  const auto view = list_view<LINEAGENTSESSIONLIST>(buffer, bytes, sizeof(LINEAGENTSESSIONENTRY));
  if (!view) return std::nullopt;
  std::vector<LINEAGENTSESSIONENTRY> out(view->entries);
  if (view->entries != 0)
    std::memcpy(out.data(), view->base + view->offset, view->entries * sizeof(LINEAGENTSESSIONENTRY));
  return out;
}

std::optional<HandlerCaps> parse_agent_caps(const void* buffer, std::size_t bytes) {
  if (buffer == nullptr || bytes < sizeof(LINEAGENTCAPS)) return std::nullopt;
  LINEAGENTCAPS caps;
  std::memcpy(&caps, buffer, sizeof caps);
  const DWORD available = static_cast<DWORD>(std::min<std::size_t>(bytes, caps.dwTotalSize));
  HandlerCaps out;
  out.proxy = caps.ProxyGUID;
  // A name that did not fit is simply absent (§1.4); the GUID is what matters.
  out.name = wide_field(buffer, available, caps.dwAgentHandlerInfoSize, caps.dwAgentHandlerInfoOffset);
  return out;
}

}  // namespace opentapi::tapi3
