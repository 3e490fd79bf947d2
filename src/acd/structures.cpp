#include "acd/structures.h"

#include <cstddef>
#include <cstring>
#include <cwchar>

#include "tapi.h"

namespace opentapi::acd {
namespace {

#define ACD_OFF(T, field) static_cast<std::uint32_t>(offsetof(T, field))

void put32(unsigned char* base, std::uint32_t pos, std::uint32_t v) { std::memcpy(base + pos, &v, sizeof v); }
template <typename T>
void put_raw(unsigned char* base, std::uint32_t pos, T v) {
  std::memcpy(base + pos, &v, sizeof v);
}

// Places variable fields after the fixed part of one structure (§1.4).
class Filler {
 public:
  Filler(OutputArea out, std::uint32_t fixed) : base_(out.base), room_(out.room), used_(fixed), needed_(fixed) {}

  // Copies `n` bytes if they fit completely; returns their offset, or 0.
  // Counts toward dwNeededSize either way.
  std::uint32_t place(const void* data, std::size_t n) {
    needed_ += n;
    if (n == 0 || used_ + n > room_) return 0;
    const auto at = static_cast<std::uint32_t>(used_);
    std::memcpy(base_ + at, data, n);
    used_ += n;
    return at;
  }

  // Counts `n` bytes toward dwNeededSize without placing anything.
  void count(std::size_t n) { needed_ += n; }

  // Writes dwNeededSize and dwUsedSize.
  void finish() {
    put32(base_, 4, needed_ > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<std::uint32_t>(needed_));
    put32(base_, 8, static_cast<std::uint32_t>(used_));
  }

 private:
  unsigned char* base_;
  std::uint64_t room_;
  std::uint64_t used_;
  std::uint64_t needed_;
};

// Zeroes the structure after its dwTotalSize (the server zeroed it already;
// a proxy must not rely on that) up to the fixed size.
bool start(OutputArea out, std::uint32_t fixed) {
  if (out.base == nullptr || out.room < 12) return false;
  if (out.room < fixed) {
    put32(out.base, 4, fixed);
    put32(out.base, 8, 12);
    return false;
  }
  std::memset(out.base + 4, 0, fixed - 4);
  return true;
}

// A list: header (24 bytes), array of `count` elements of `elem` bytes,
// each possibly with one name at `name_pos` within the element.
struct ListElement {
  std::vector<unsigned char> bytes;  // the element, names unset
  std::string name;                  // encoded text; empty = none
};

// Lays out a list structure of `fixed` bytes whose array pair is at
// (count_pos, size_pos, off_pos); names are placed after the array.
void fill_list(OutputArea out, std::uint32_t fixed, std::uint32_t count_pos, std::uint32_t size_pos,
               std::uint32_t off_pos, std::uint32_t elem_size, std::uint32_t name_size_pos,
               const std::vector<ListElement>& elements, Filler& f) {
  put32(out.base, count_pos, static_cast<std::uint32_t>(elements.size()));
  std::vector<unsigned char> array;
  array.reserve(elements.size() * elem_size);
  for (const ListElement& e : elements) array.insert(array.end(), e.bytes.begin(), e.bytes.end());
  const std::uint32_t at = f.place(array.data(), array.size());
  if (at != 0) {
    put32(out.base, size_pos, static_cast<std::uint32_t>(array.size()));
    put32(out.base, off_pos, at);
  }
  (void)fixed;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::string& name = elements[i].name;
    if (name.empty()) continue;
    if (at == 0) {
      f.count(name.size());  // names only go with their array
      continue;
    }
    const std::uint32_t name_at = f.place(name.data(), name.size());
    if (name_at == 0) continue;
    const std::uint32_t e = at + static_cast<std::uint32_t>(i) * elem_size;
    put32(out.base, e + name_size_pos, static_cast<std::uint32_t>(name.size()));
    put32(out.base, e + name_size_pos + 4, name_at);
  }
}

void append_utf32(std::u32string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = 0xFFFD;
    std::size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c >> 4) == 0xE && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      len = 4;
    }
    out.push_back(cp);
    i += len;
  }
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::vector<unsigned char> group_entry(const core::GroupId& id) {
  std::vector<unsigned char> e(sizeof(LINEAGENTGROUPENTRY), 0);
  std::memcpy(e.data(), id.bytes.data(), id.bytes.size());
  return e;
}

}  // namespace

std::string encode_text(std::string_view utf8, Charset charset) {
  if (charset == Charset::kAnsi) {
    std::string out(utf8);
    out.push_back('\0');
    return out;
  }
  std::u32string cps;
  append_utf32(cps, utf8);
  std::string out;
  out.resize((cps.size() + 1) * sizeof(wchar_t), '\0');
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const auto w = static_cast<wchar_t>(cps[i]);
    std::memcpy(out.data() + i * sizeof(wchar_t), &w, sizeof w);
  }
  return out;
}

std::optional<std::string> decode_text(const unsigned char* base, std::uint64_t limit, std::uint32_t size,
                                       std::uint32_t offset, Charset charset) {
  if (size == 0) return std::string();
  if (std::uint64_t{offset} + size > limit) return std::nullopt;
  const unsigned char* p = base + offset;
  if (charset == Charset::kAnsi) {
    if (p[size - 1] != '\0') return std::nullopt;
    const std::string s(reinterpret_cast<const char*>(p), size - 1);
    if (s.find('\0') != std::string::npos) return std::nullopt;
    return s;
  }
  if (size % sizeof(wchar_t) != 0) return std::nullopt;
  const std::size_t n = size / sizeof(wchar_t);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    wchar_t w = 0;
    std::memcpy(&w, p + i * sizeof(wchar_t), sizeof w);
    const auto cp = static_cast<char32_t>(w);
    if (i + 1 == n) {
      if (cp != 0) return std::nullopt;
      break;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    append_utf8(out, cp);
  }
  return out;
}

bool fill_session_info(OutputArea out, const core::AgentSessionInfo& i) {
  using T = LINEAGENTSESSIONINFO;
  if (!start(out, sizeof(T))) return false;
  unsigned char* d = out.base;
  put32(d, ACD_OFF(T, dwAgentSessionState), i.agent_session_state);
  put32(d, ACD_OFF(T, dwNextAgentSessionState), i.next_agent_session_state);
  put_raw(d, ACD_OFF(T, dateSessionStartTime), i.session_start_time);
  put32(d, ACD_OFF(T, dwSessionDuration), i.session_duration);
  put32(d, ACD_OFF(T, dwNumberOfCalls), i.number_of_calls);
  put32(d, ACD_OFF(T, dwTotalTalkTime), i.total_talk_time);
  put32(d, ACD_OFF(T, dwAverageTalkTime), i.average_talk_time);
  put32(d, ACD_OFF(T, dwTotalCallTime), i.total_call_time);
  put32(d, ACD_OFF(T, dwAverageCallTime), i.average_call_time);
  put32(d, ACD_OFF(T, dwTotalWrapUpTime), i.total_wrap_up_time);
  put32(d, ACD_OFF(T, dwAverageWrapUpTime), i.average_wrap_up_time);
  put_raw(d, ACD_OFF(T, cyACDCallRate), i.acd_call_rate);
  put32(d, ACD_OFF(T, dwLongestTimeToAnswer), i.longest_time_to_answer);
  put32(d, ACD_OFF(T, dwAverageTimeToAnswer), i.average_time_to_answer);
  Filler(out, sizeof(T)).finish();
  return true;
}

bool fill_agent_info(OutputArea out, const core::AgentInfo& i) {
  using T = LINEAGENTINFO;
  if (!start(out, sizeof(T))) return false;
  unsigned char* d = out.base;
  put32(d, ACD_OFF(T, dwAgentState), i.agent_state);
  put32(d, ACD_OFF(T, dwNextAgentState), i.next_agent_state);
  put32(d, ACD_OFF(T, dwMeasurementPeriod), i.measurement_period);
  put_raw(d, ACD_OFF(T, cyOverallCallRate), i.overall_call_rate);
  put32(d, ACD_OFF(T, dwNumberOfACDCalls), i.number_of_acd_calls);
  put32(d, ACD_OFF(T, dwNumberOfIncomingCalls), i.number_of_incoming_calls);
  put32(d, ACD_OFF(T, dwNumberOfOutgoingCalls), i.number_of_outgoing_calls);
  put32(d, ACD_OFF(T, dwTotalACDTalkTime), i.total_acd_talk_time);
  put32(d, ACD_OFF(T, dwTotalACDCallTime), i.total_acd_call_time);
  put32(d, ACD_OFF(T, dwTotalACDWrapUpTime), i.total_acd_wrap_up_time);
  Filler(out, sizeof(T)).finish();
  return true;
}

bool fill_queue_info(OutputArea out, const core::QueueInfo& i) {
  using T = LINEQUEUEINFO;
  if (!start(out, sizeof(T))) return false;
  unsigned char* d = out.base;
  put32(d, ACD_OFF(T, dwMeasurementPeriod), i.measurement_period);
  put32(d, ACD_OFF(T, dwTotalCallsQueued), i.total_calls_queued);
  put32(d, ACD_OFF(T, dwCurrentCallsQueued), i.current_calls_queued);
  put32(d, ACD_OFF(T, dwTotalCallsAbandoned), i.total_calls_abandoned);
  put32(d, ACD_OFF(T, dwTotalCallsFlowedIn), i.total_calls_flowed_in);
  put32(d, ACD_OFF(T, dwTotalCallsFlowedOut), i.total_calls_flowed_out);
  put32(d, ACD_OFF(T, dwLongestEverWaitTime), i.longest_ever_wait_time);
  put32(d, ACD_OFF(T, dwCurrentLongestWaitTime), i.current_longest_wait_time);
  put32(d, ACD_OFF(T, dwAverageWaitTime), i.average_wait_time);
  put32(d, ACD_OFF(T, dwFinalDisposition), i.final_disposition);
  Filler(out, sizeof(T)).finish();
  return true;
}

bool fill_session_list(OutputArea out, const std::vector<SessionListEntry>& sessions) {
  using T = LINEAGENTSESSIONLIST;
  using E = LINEAGENTSESSIONENTRY;
  if (!start(out, sizeof(T))) return false;
  std::vector<ListElement> elements;
  for (const SessionListEntry& s : sessions) {
    ListElement e;
    e.bytes.assign(sizeof(E), 0);
    put32(e.bytes.data(), ACD_OFF(E, hAgentSession), s.session);
    put32(e.bytes.data(), ACD_OFF(E, hAgent), s.agent);
    std::memcpy(e.bytes.data() + ACD_OFF(E, GroupID), s.group.bytes.data(), 16);
    put32(e.bytes.data(), ACD_OFF(E, dwWorkingAddressID), s.address);
    elements.push_back(std::move(e));
  }
  Filler f(out, sizeof(T));
  fill_list(out, sizeof(T), ACD_OFF(T, dwNumEntries), ACD_OFF(T, dwListSize), ACD_OFF(T, dwListOffset), sizeof(E), 0,
            elements, f);
  f.finish();
  return true;
}

bool fill_group_list(OutputArea out, const std::vector<GroupEntry>& groups, Charset charset) {
  using T = LINEAGENTGROUPLIST;
  using E = LINEAGENTGROUPENTRY;
  if (!start(out, sizeof(T))) return false;
  std::vector<ListElement> elements;
  for (const GroupEntry& g : groups) elements.push_back(ListElement{group_entry(g.id), encode_text(g.name, charset)});
  Filler f(out, sizeof(T));
  fill_list(out, sizeof(T), ACD_OFF(T, dwNumEntries), ACD_OFF(T, dwListSize), ACD_OFF(T, dwListOffset), sizeof(E),
            ACD_OFF(E, dwNameSize), elements, f);
  f.finish();
  return true;
}

namespace {
bool fill_named_list(OutputArea out, const std::vector<NamedEntry>& entries, Charset charset) {
  // LINEQUEUELIST / LINEQUEUEENTRY and LINEAGENTACTIVITYLIST /
  // LINEAGENTACTIVITYENTRY share one layout: {id, name size, name offset}.
  static_assert(sizeof(LINEQUEUEENTRY) == sizeof(LINEAGENTACTIVITYENTRY));
  static_assert(offsetof(LINEQUEUEENTRY, dwNameSize) == offsetof(LINEAGENTACTIVITYENTRY, dwNameSize));
  using T = LINEQUEUELIST;
  using E = LINEQUEUEENTRY;
  if (!start(out, sizeof(T))) return false;
  std::vector<ListElement> elements;
  for (const NamedEntry& n : entries) {
    ListElement e;
    e.bytes.assign(sizeof(E), 0);
    put32(e.bytes.data(), ACD_OFF(E, dwQueueID), n.id);
    e.name = encode_text(n.name, charset);
    elements.push_back(std::move(e));
  }
  Filler f(out, sizeof(T));
  fill_list(out, sizeof(T), ACD_OFF(T, dwNumEntries), ACD_OFF(T, dwListSize), ACD_OFF(T, dwListOffset), sizeof(E),
            ACD_OFF(E, dwNameSize), elements, f);
  f.finish();
  return true;
}
}  // namespace

bool fill_queue_list(OutputArea out, const std::vector<NamedEntry>& queues, Charset charset) {
  return fill_named_list(out, queues, charset);
}

bool fill_activity_list(OutputArea out, const std::vector<NamedEntry>& activities, Charset charset) {
  return fill_named_list(out, activities, charset);
}

bool fill_agent_caps(OutputArea out, const AgentCapsData& caps, Charset charset) {
  using T = LINEAGENTCAPS;
  if (!start(out, sizeof(T))) return false;
  unsigned char* d = out.base;
  put32(d, ACD_OFF(T, dwCapsVersion), caps.caps_version);
  put32(d, ACD_OFF(T, dwFeatures),
        LINEAGENTFEATURE_SETAGENTGROUP | LINEAGENTFEATURE_SETAGENTSTATE | LINEAGENTFEATURE_SETAGENTACTIVITY |
            LINEAGENTFEATURE_AGENTSPECIFIC | LINEAGENTFEATURE_GETAGENTACTIVITYLIST | LINEAGENTFEATURE_GETAGENTGROUP);
  // The states core::AddressAgent lets an application request (flows.md §4.4).
  const std::uint32_t settable = LINEAGENTSTATE_NOTREADY | LINEAGENTSTATE_READY | LINEAGENTSTATE_WORKINGAFTERCALL;
  put32(d, ACD_OFF(T, dwStates), settable);
  put32(d, ACD_OFF(T, dwNextStates), settable);
  put32(d, ACD_OFF(T, dwMaxNumGroupEntries), caps.max_group_entries);
  put32(d, ACD_OFF(T, dwAgentStatusMessages),
        LINEAGENTSTATUS_GROUP | LINEAGENTSTATUS_STATE | LINEAGENTSTATUS_NEXTSTATE | LINEAGENTSTATUS_ACTIVITY |
            LINEAGENTSTATUS_VALIDSTATES | LINEAGENTSTATUS_VALIDNEXTSTATES);
  put32(d, ACD_OFF(T, dwNumAgentExtensionIDs), static_cast<std::uint32_t>(caps.extension_ids.size()));
  if (caps.include_proxy_guid) std::memcpy(d + ACD_OFF(T, ProxyGUID), caps.proxy_guid.data(), 16);
  Filler f(out, sizeof(T));
  std::vector<unsigned char> ids;
  for (const auto& id : caps.extension_ids) {
    for (std::uint32_t part : id) {
      unsigned char b[4];
      std::memcpy(b, &part, 4);
      ids.insert(ids.end(), b, b + 4);
    }
  }
  if (const std::uint32_t at = f.place(ids.data(), ids.size())) {
    put32(d, ACD_OFF(T, dwAgentExtensionIDListSize), static_cast<std::uint32_t>(ids.size()));
    put32(d, ACD_OFF(T, dwAgentExtensionIDListOffset), at);
  }
  const std::string info = encode_text(caps.handler_info, charset);
  if (const std::uint32_t at = f.place(info.data(), info.size())) {
    put32(d, ACD_OFF(T, dwAgentHandlerInfoSize), static_cast<std::uint32_t>(info.size()));
    put32(d, ACD_OFF(T, dwAgentHandlerInfoOffset), at);
  }
  f.finish();
  return true;
}

bool fill_agent_status(OutputArea out, const core::AddressAgentStatus& s, const std::vector<GroupEntry>& groups,
                       const std::string& activity, Charset charset) {
  using T = LINEAGENTSTATUS;
  using E = LINEAGENTGROUPENTRY;
  if (!start(out, sizeof(T))) return false;
  unsigned char* d = out.base;
  put32(d, ACD_OFF(T, dwState), s.state);
  put32(d, ACD_OFF(T, dwNextState), s.next_state);
  put32(d, ACD_OFF(T, dwActivityID), s.activity_id);
  put32(d, ACD_OFF(T, dwAgentFeatures), s.agent_features | LINEAGENTFEATURE_AGENTSPECIFIC);
  put32(d, ACD_OFF(T, dwValidStates), s.valid_states);
  put32(d, ACD_OFF(T, dwValidNextStates), s.valid_next_states);
  std::vector<ListElement> elements;
  for (const core::GroupId& id : s.groups) {
    std::string name;
    for (const GroupEntry& g : groups) {
      if (g.id == id) name = g.name;
    }
    elements.push_back(ListElement{group_entry(id), encode_text(name, charset)});
  }
  Filler f(out, sizeof(T));
  fill_list(out, sizeof(T), ACD_OFF(T, dwNumEntries), ACD_OFF(T, dwGroupListSize), ACD_OFF(T, dwGroupListOffset),
            sizeof(E), ACD_OFF(E, dwNameSize), elements, f);
  if (!activity.empty()) {
    const std::string text = encode_text(activity, charset);
    if (const std::uint32_t at = f.place(text.data(), text.size())) {
      put32(d, ACD_OFF(T, dwActivitySize), static_cast<std::uint32_t>(text.size()));
      put32(d, ACD_OFF(T, dwActivityOffset), at);
    }
  }
  f.finish();
  return true;
}

}  // namespace opentapi::acd
