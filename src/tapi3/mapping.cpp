#include "tapi3/mapping.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "layout/var_struct.h"

namespace opentapi::tapi3 {
namespace {

using layout::Array;
using layout::Charset;
using layout::Pair;
using layout::VarStructReader;

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
    case LINEAGENTSESSIONSTATE_RELEASED:  // docs/reference/tapi3-callcenter.md §5.2 [DECIDE]
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

bool serves_all_acd_types(const LINEPROXYREQUESTLIST* list) {
  using T = LINEPROXYREQUESTLIST;
  if (list == nullptr) return false;
  const layout::VarHeader h = layout::read_header(list);
  VarStructReader r(list, 0, std::min(h.used_size, h.total_size), Charset::kWide);
  const std::uint32_t count = r.u32(OT_OFF(T, dwNumEntries));
  if (count > 64) return false;
  const Array a = r.array(OT_PAIR(T, List), count, sizeof(DWORD));
  if (!r.ok() || (count != 0 && !a.placed())) return false;
  bool seen[0x15] = {};
  for (std::uint32_t i = 0; i < a.count; ++i) {
    const std::uint32_t type = r.u32(a.element(i));
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

}  // namespace opentapi::tapi3

namespace opentapi::tapi3 {
namespace {

// A list TAPI 2 filled completely, for reading: nullopt when the buffer
// does not hold the 24-byte list header or the structure is partial
// (dwNeededSize > dwTotalSize: some entries were left out). Its fields must
// lie after the header and inside both the buffer and dwTotalSize.
template <class List>
std::optional<VarStructReader> complete_list(const void* buffer, std::size_t bytes) {
  if (buffer == nullptr || bytes < sizeof(List)) return std::nullopt;
  const layout::VarHeader h = layout::read_header(buffer);
  if (h.needed_size > h.total_size) return std::nullopt;
  const auto available = static_cast<std::uint32_t>(std::min<std::size_t>(bytes, h.total_size));
  return VarStructReader(buffer, sizeof(List), available, Charset::kWide);
}

// The entries of a list: nullopt when the array lies outside the structure
// or does not hold dwNumEntries elements.
template <class List, class Entry>
std::optional<Array> entries(VarStructReader& r) {
  const std::uint32_t count = r.u32(OT_OFF(List, dwNumEntries));
  const Array a = r.array(OT_PAIR(List, List), count, sizeof(Entry));
  if (!r.ok() || (count != 0 && !a.placed())) return std::nullopt;
  return a;
}

// A W string of the structure; "" when absent or unreadable: a name that did
// not fit is simply absent (docs/tapi2.md), and the entry is still worth
// having for its ID.
std::wstring wide_text(VarStructReader& r, Pair pair) {
  const auto text = r.string(pair);
  return text ? layout::utf8_to_wide_lossy(*text) : std::wstring();
}

}  // namespace

std::optional<std::vector<GroupEntry>> parse_group_list(const void* buffer, std::size_t bytes) {
  using E = LINEAGENTGROUPENTRY;
  auto r = complete_list<LINEAGENTGROUPLIST>(buffer, bytes);
  const auto a = r ? entries<LINEAGENTGROUPLIST, E>(*r) : std::nullopt;
  if (!a) return std::nullopt;
  std::vector<GroupEntry> out;
  for (std::uint32_t i = 0; i < a->count; ++i) {
    GroupEntry g;
    g.id = r->value<GUID>(a->element(i) + OT_OFF(E, GroupID));
    g.name = wide_text(*r, OT_PAIR(E, Name).at(a->element(i)));
    out.push_back(std::move(g));
  }
  return out;
}

std::optional<std::vector<QueueEntry>> parse_queue_list(const void* buffer, std::size_t bytes) {
  using E = LINEQUEUEENTRY;
  auto r = complete_list<LINEQUEUELIST>(buffer, bytes);
  const auto a = r ? entries<LINEQUEUELIST, E>(*r) : std::nullopt;
  if (!a) return std::nullopt;
  std::vector<QueueEntry> out;
  for (std::uint32_t i = 0; i < a->count; ++i) {
    out.push_back({r->u32(a->element(i) + OT_OFF(E, dwQueueID)), wide_text(*r, OT_PAIR(E, Name).at(a->element(i)))});
  }
  return out;
}

std::optional<std::vector<LINEAGENTSESSIONENTRY>> parse_session_list(const void* buffer, std::size_t bytes) {
  using E = LINEAGENTSESSIONENTRY;
  auto r = complete_list<LINEAGENTSESSIONLIST>(buffer, bytes);
  const auto a = r ? entries<LINEAGENTSESSIONLIST, E>(*r) : std::nullopt;
  if (!a) return std::nullopt;
  std::vector<E> out;
  for (std::uint32_t i = 0; i < a->count; ++i) out.push_back(r->value<E>(a->element(i)));
  return out;
}

std::optional<HandlerCaps> parse_agent_caps(const void* buffer, std::size_t bytes) {
  using T = LINEAGENTCAPS;
  if (buffer == nullptr || bytes < sizeof(T)) return std::nullopt;
  const layout::VarHeader h = layout::read_header(buffer);
  VarStructReader r(buffer, sizeof(T), static_cast<std::uint32_t>(std::min<std::size_t>(bytes, h.total_size)),
                    Charset::kWide);
  HandlerCaps out;
  out.proxy = r.value<GUID>(OT_OFF(T, ProxyGUID));
  // A name that did not fit is simply absent (§1.4); the GUID is what matters.
  out.name = wide_text(r, OT_PAIR(T, AgentHandlerInfo));
  return out;
}

}  // namespace opentapi::tapi3
