#include "tapi2/agent_codec.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

namespace opentapi::tapi2 {
namespace {

using agent::AgentCall;
using agent::AgentOutput;

// Byte offset of a member of a tapi.h structure, as the codec's positions.
#define OT_OFF(type, member) static_cast<std::uint32_t>(offsetof(type, member))

constexpr std::uint32_t kGuidBytes = 16;
constexpr std::uint32_t kListHeader = sizeof(LINEAGENTGROUPLIST);  // every list header: 24

std::uint32_t get32(const unsigned char* p, std::uint64_t off) {
  std::uint32_t v;
  std::memcpy(&v, p + off, 4);
  return v;
}
void put32(unsigned char* p, std::uint64_t off, std::uint32_t v) { std::memcpy(p + off, &v, 4); }
template <class T>
T get_raw(const unsigned char* p, std::uint32_t off) {
  T v;
  std::memcpy(&v, p + off, sizeof v);
  return v;
}
template <class T>
void put_raw(unsigned char* p, std::uint32_t off, T v) {
  std::memcpy(p + off, &v, sizeof v);
}

std::uint32_t clamp32(std::uint64_t v) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, std::numeric_limits<std::uint32_t>::max()));
}
std::uint32_t align4(std::uint32_t v) { return (v + 3u) & ~3u; }

bool valid_guid(const std::string& g) { return g.size() == kGuidBytes; }
bool valid_text(const std::optional<std::string>& s) { return !s || is_valid_utf8(*s); }

std::optional<std::string> opt(bool has, const std::string& s) {
  if (!has) return std::nullopt;
  return s;
}

// ---------------------------------------------------------------------------
// (c) Writing a caller's structure.

// Places variable fields after the fixed part of a structure at `base`
// without ever passing `total`, and keeps the dwNeededSize / dwUsedSize tally.
class StructWriter {
 public:
  StructWriter(unsigned char* base, std::uint32_t total, std::uint32_t fixed)
      : base_(base), total_(total), pos_(fixed), needed_(fixed) {}

  // Reserves `size` bytes; returns their offset, or 0 if they do not fit
  // completely (§1.4: no truncated values). Counts toward dwNeededSize.
  std::uint32_t reserve(std::uint32_t size) {
    needed_ += size;
    if (size == 0 || std::uint64_t{pos_} + size > total_) return 0;
    const std::uint32_t off = pos_;
    pos_ += size;
    return off;
  }
  // Data that exists but is not placed (names of an array that did not fit).
  void need(std::uint32_t size) { needed_ += size; }

  // A string field: written with its NUL in `charset` at the pair
  // (size_pos, off_pos), or left empty (0, 0) when absent or too big.
  void string(const std::optional<std::string>& s, Charset charset, std::uint32_t size_pos,
              std::uint32_t off_pos) {
    put32(base_, size_pos, 0);
    put32(base_, off_pos, 0);
    if (!s) return;
    const std::uint32_t size = encoded_size(*s, charset);
    const std::uint32_t off = reserve(size);
    if (off == 0) return;
    encode_string(*s, charset, base_ + off);
    put32(base_, size_pos, size);
    put32(base_, off_pos, off);
  }

  unsigned char* base() const { return base_; }
  std::uint32_t used() const { return pos_; }
  std::uint64_t needed() const { return needed_; }

 private:
  unsigned char* base_;
  std::uint32_t total_;
  std::uint32_t pos_;
  std::uint64_t needed_;
};

// Writes an array of elements at the pair (size_pos, off_pos) of the
// structure, then the elements' names. `fill(element_ptr, entry)` writes an
// element's fixed fields; `name(entry)` gives its optional name, whose pair
// is at `name_size_at` / `name_off_at` inside the element (no name: pass
// name_size_at == 0).
template <class Entries, class Fill, class Name>
void write_array(StructWriter& w, const Entries& entries, std::uint32_t elem_size,
                 std::uint32_t size_pos, std::uint32_t off_pos, Fill fill, Name name,
                 std::uint32_t name_size_at, std::uint32_t name_off_at, Charset charset) {
  unsigned char* base = w.base();
  const auto count = static_cast<std::uint32_t>(entries.size());
  const std::uint32_t array_size = count * elem_size;
  const std::uint32_t off = w.reserve(array_size);
  put32(base, size_pos, off ? array_size : 0);
  put32(base, off_pos, off);
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto& e = entries[static_cast<int>(i)];
    if (off) {
      std::memset(base + off + i * elem_size, 0, elem_size);
      fill(base + off + i * elem_size, e);
    }
    if (name_size_at == 0) continue;
    const std::optional<std::string> n = name(e);
    if (!n) continue;
    if (!off) {
      w.need(encoded_size(*n, charset));
      continue;
    }
    w.string(n, charset, off + i * elem_size + name_size_at, off + i * elem_size + name_off_at);
  }
}

void fill_group_entry(unsigned char* p, const agent::GroupEntry& e) {
  std::memcpy(p + OT_OFF(LINEAGENTGROUPENTRY, GroupID), e.group_id().data(), kGuidBytes);
}
std::optional<std::string> group_name(const agent::GroupEntry& e) { return opt(e.has_name(), e.name()); }

void write_group_array(StructWriter& w, const google::protobuf::RepeatedPtrField<agent::GroupEntry>& entries,
                       std::uint32_t size_pos, std::uint32_t off_pos, Charset charset) {
  write_array(w, entries, sizeof(LINEAGENTGROUPENTRY), size_pos, off_pos, fill_group_entry, group_name,
              OT_OFF(LINEAGENTGROUPENTRY, dwNameSize), OT_OFF(LINEAGENTGROUPENTRY, dwNameOffset), charset);
}

void write_session_info(unsigned char* d, const agent::SessionInfo& s) {
  using T = LINEAGENTSESSIONINFO;
  put32(d, OT_OFF(T, dwAgentSessionState), s.state());
  put32(d, OT_OFF(T, dwNextAgentSessionState), s.next_state());
  put_raw<double>(d, OT_OFF(T, dateSessionStartTime), s.session_start_time());
  put32(d, OT_OFF(T, dwSessionDuration), s.session_duration());
  put32(d, OT_OFF(T, dwNumberOfCalls), s.number_of_calls());
  put32(d, OT_OFF(T, dwTotalTalkTime), s.total_talk_time());
  put32(d, OT_OFF(T, dwAverageTalkTime), s.average_talk_time());
  put32(d, OT_OFF(T, dwTotalCallTime), s.total_call_time());
  put32(d, OT_OFF(T, dwAverageCallTime), s.average_call_time());
  put32(d, OT_OFF(T, dwTotalWrapUpTime), s.total_wrap_up_time());
  put32(d, OT_OFF(T, dwAverageWrapUpTime), s.average_wrap_up_time());
  put_raw<std::int64_t>(d, OT_OFF(T, cyACDCallRate), s.acd_call_rate());
  put32(d, OT_OFF(T, dwLongestTimeToAnswer), s.longest_time_to_answer());
  put32(d, OT_OFF(T, dwAverageTimeToAnswer), s.average_time_to_answer());
}

void write_agent_info(unsigned char* d, const agent::AgentInfo& a) {
  using T = LINEAGENTINFO;
  put32(d, OT_OFF(T, dwAgentState), a.state());
  put32(d, OT_OFF(T, dwNextAgentState), a.next_state());
  put32(d, OT_OFF(T, dwMeasurementPeriod), a.measurement_period());
  put_raw<std::int64_t>(d, OT_OFF(T, cyOverallCallRate), a.overall_call_rate());
  put32(d, OT_OFF(T, dwNumberOfACDCalls), a.number_of_acd_calls());
  put32(d, OT_OFF(T, dwNumberOfIncomingCalls), a.number_of_incoming_calls());
  put32(d, OT_OFF(T, dwNumberOfOutgoingCalls), a.number_of_outgoing_calls());
  put32(d, OT_OFF(T, dwTotalACDTalkTime), a.total_acd_talk_time());
  put32(d, OT_OFF(T, dwTotalACDCallTime), a.total_acd_call_time());
  put32(d, OT_OFF(T, dwTotalACDWrapUpTime), a.total_acd_wrap_up_time());
}

void write_queue_info(unsigned char* d, const agent::QueueInfo& q) {
  using T = LINEQUEUEINFO;
  put32(d, OT_OFF(T, dwMeasurementPeriod), q.measurement_period());
  put32(d, OT_OFF(T, dwTotalCallsQueued), q.total_calls_queued());
  put32(d, OT_OFF(T, dwCurrentCallsQueued), q.current_calls_queued());
  put32(d, OT_OFF(T, dwTotalCallsAbandoned), q.total_calls_abandoned());
  put32(d, OT_OFF(T, dwTotalCallsFlowedIn), q.total_calls_flowed_in());
  put32(d, OT_OFF(T, dwTotalCallsFlowedOut), q.total_calls_flowed_out());
  put32(d, OT_OFF(T, dwLongestEverWaitTime), q.longest_ever_wait_time());
  put32(d, OT_OFF(T, dwCurrentLongestWaitTime), q.current_longest_wait_time());
  put32(d, OT_OFF(T, dwAverageWaitTime), q.average_wait_time());
  put32(d, OT_OFF(T, dwFinalDisposition), q.final_disposition());
}

// Checks that `o` holds the data of `kind` and that every GUID and string in
// it is well-formed, so that writing cannot fail half-way.
bool well_formed(OutputKind kind, const AgentOutput& o) {
  auto groups_ok = [](const auto& entries) {
    return std::all_of(entries.begin(), entries.end(), [](const agent::GroupEntry& e) {
      return valid_guid(e.group_id()) && valid_text(group_name(e));
    });
  };
  switch (kind) {
    case OutputKind::kSessionInfo:
      return o.has_session_info();
    case OutputKind::kAgentInfo:
      return o.has_agent_info();
    case OutputKind::kQueueInfo:
      return o.has_queue_info();
    case OutputKind::kSessionList:
      return o.has_session_list() &&
             std::all_of(o.session_list().entries().begin(), o.session_list().entries().end(),
                         [](const agent::SessionEntry& e) { return valid_guid(e.group_id()); });
    case OutputKind::kGroupList:
      return o.has_group_list() && groups_ok(o.group_list().entries());
    case OutputKind::kActivityList:
      return o.has_activity_list() &&
             std::all_of(o.activity_list().entries().begin(), o.activity_list().entries().end(),
                         [](const agent::ActivityEntry& e) { return valid_text(opt(e.has_name(), e.name())); });
    case OutputKind::kQueueList:
      return o.has_queue_list() &&
             std::all_of(o.queue_list().entries().begin(), o.queue_list().entries().end(),
                         [](const agent::QueueEntry& e) { return valid_text(opt(e.has_name(), e.name())); });
    case OutputKind::kAgentCaps: {
      if (!o.has_agent_caps()) return false;
      const auto& c = o.agent_caps();
      return valid_text(opt(c.has_handler_info(), c.handler_info())) &&
             (c.proxy_guid().empty() || valid_guid(c.proxy_guid())) &&
             std::all_of(c.extension_ids().begin(), c.extension_ids().end(), valid_guid);
    }
    case OutputKind::kAgentStatus:
      return o.has_agent_status() && groups_ok(o.agent_status().groups()) &&
             valid_text(opt(o.agent_status().has_activity(), o.agent_status().activity()));
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// (b) Reading a proxy-filled structure.

// Reads variable fields of a structure at `base` that the proxy filled,
// checking every size and offset against the fixed part and dwUsedSize
// before touching the bytes. The first inconsistency sets ok() to false.
class StructReader {
 public:
  StructReader(const unsigned char* base, std::uint32_t room, std::uint32_t fixed, Charset charset)
      : base_(base), fixed_(fixed), charset_(charset), room_(room) {
    if (room < fixed) return;
    used_ = get32(base, 8);
    needed_ = get32(base, 4);
    ok_ = used_ >= fixed && used_ <= room && needed_ >= used_;
  }

  bool ok() const { return ok_; }
  std::uint32_t get(std::uint64_t pos) const { return get32(base_, pos); }

  // The bytes of the field whose pair is at (size_pos, off_pos); an empty
  // view for an absent field (size 0, whatever the offset).
  std::string_view field(std::uint64_t size_pos, std::uint64_t off_pos) {
    if (!ok_) return {};
    const std::uint32_t size = get(size_pos);
    const std::uint32_t off = get(off_pos);
    if (size == 0) return {};
    if (off < fixed_ || std::uint64_t{off} + size > used_) {
      ok_ = false;
      return {};
    }
    present_ += size;
    return {reinterpret_cast<const char*>(base_ + off), size};
  }

  std::optional<std::string> string(std::uint64_t size_pos, std::uint64_t off_pos) {
    const std::string_view f = field(size_pos, off_pos);
    if (f.empty()) return std::nullopt;
    auto s = decode_string(reinterpret_cast<const unsigned char*>(f.data()),
                           static_cast<std::uint32_t>(f.size()), charset_);
    if (!s) ok_ = false;
    return s;
  }

  // A list array: its element count (at count_pos) and bytes. The array must
  // be exactly count * elem_size bytes when present.
  std::string_view array(std::uint32_t count_pos, std::uint32_t size_pos, std::uint32_t off_pos,
                         std::uint32_t elem_size, std::uint32_t* count) {
    *count = get(count_pos);
    const std::string_view a = field(size_pos, off_pos);
    if (!a.empty() && a.size() != std::uint64_t{*count} * elem_size) ok_ = false;
    return ok_ ? a : std::string_view{};
  }

  std::uint32_t pos_of(std::string_view v) const {
    return static_cast<std::uint32_t>(reinterpret_cast<const unsigned char*>(v.data()) - base_);
  }

  // Bytes the proxy said it needed but left out (0 when it had room for all).
  std::uint32_t missing() const {
    if (needed_ <= room_) return 0;
    const std::uint64_t have = std::uint64_t{fixed_} + present_;
    return needed_ > have ? clamp32(needed_ - have) : 0;
  }
  std::uint32_t needed() const { return needed_; }

 private:
  const unsigned char* base_;
  std::uint32_t fixed_;
  Charset charset_;
  std::uint32_t room_;
  std::uint32_t used_ = 0;
  std::uint32_t needed_ = 0;
  std::uint64_t present_ = 0;
  bool ok_ = false;
};

std::string read_guid(const unsigned char* p) { return std::string(reinterpret_cast<const char*>(p), kGuidBytes); }

void read_group_array(StructReader& r, std::string_view array, std::uint32_t count,
                      google::protobuf::RepeatedPtrField<agent::GroupEntry>* out) {
  if (array.empty()) return;
  const std::uint32_t at = r.pos_of(array);
  for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
    const std::uint32_t e = at + i * static_cast<std::uint32_t>(sizeof(LINEAGENTGROUPENTRY));
    auto* g = out->Add();
    g->set_group_id(std::string(array.substr(i * sizeof(LINEAGENTGROUPENTRY), kGuidBytes)));
    auto name = r.string(e + OT_OFF(LINEAGENTGROUPENTRY, dwNameSize), e + OT_OFF(LINEAGENTGROUPENTRY, dwNameOffset));
    if (name) g->set_name(*name);
  }
}

void read_session_info(const unsigned char* d, agent::SessionInfo* s) {
  using T = LINEAGENTSESSIONINFO;
  s->set_state(get32(d, OT_OFF(T, dwAgentSessionState)));
  s->set_next_state(get32(d, OT_OFF(T, dwNextAgentSessionState)));
  s->set_session_start_time(get_raw<double>(d, OT_OFF(T, dateSessionStartTime)));
  s->set_session_duration(get32(d, OT_OFF(T, dwSessionDuration)));
  s->set_number_of_calls(get32(d, OT_OFF(T, dwNumberOfCalls)));
  s->set_total_talk_time(get32(d, OT_OFF(T, dwTotalTalkTime)));
  s->set_average_talk_time(get32(d, OT_OFF(T, dwAverageTalkTime)));
  s->set_total_call_time(get32(d, OT_OFF(T, dwTotalCallTime)));
  s->set_average_call_time(get32(d, OT_OFF(T, dwAverageCallTime)));
  s->set_total_wrap_up_time(get32(d, OT_OFF(T, dwTotalWrapUpTime)));
  s->set_average_wrap_up_time(get32(d, OT_OFF(T, dwAverageWrapUpTime)));
  s->set_acd_call_rate(get_raw<std::int64_t>(d, OT_OFF(T, cyACDCallRate)));
  s->set_longest_time_to_answer(get32(d, OT_OFF(T, dwLongestTimeToAnswer)));
  s->set_average_time_to_answer(get32(d, OT_OFF(T, dwAverageTimeToAnswer)));
}

void read_agent_info(const unsigned char* d, agent::AgentInfo* a) {
  using T = LINEAGENTINFO;
  a->set_state(get32(d, OT_OFF(T, dwAgentState)));
  a->set_next_state(get32(d, OT_OFF(T, dwNextAgentState)));
  a->set_measurement_period(get32(d, OT_OFF(T, dwMeasurementPeriod)));
  a->set_overall_call_rate(get_raw<std::int64_t>(d, OT_OFF(T, cyOverallCallRate)));
  a->set_number_of_acd_calls(get32(d, OT_OFF(T, dwNumberOfACDCalls)));
  a->set_number_of_incoming_calls(get32(d, OT_OFF(T, dwNumberOfIncomingCalls)));
  a->set_number_of_outgoing_calls(get32(d, OT_OFF(T, dwNumberOfOutgoingCalls)));
  a->set_total_acd_talk_time(get32(d, OT_OFF(T, dwTotalACDTalkTime)));
  a->set_total_acd_call_time(get32(d, OT_OFF(T, dwTotalACDCallTime)));
  a->set_total_acd_wrap_up_time(get32(d, OT_OFF(T, dwTotalACDWrapUpTime)));
}

void read_queue_info(const unsigned char* d, agent::QueueInfo* q) {
  using T = LINEQUEUEINFO;
  q->set_measurement_period(get32(d, OT_OFF(T, dwMeasurementPeriod)));
  q->set_total_calls_queued(get32(d, OT_OFF(T, dwTotalCallsQueued)));
  q->set_current_calls_queued(get32(d, OT_OFF(T, dwCurrentCallsQueued)));
  q->set_total_calls_abandoned(get32(d, OT_OFF(T, dwTotalCallsAbandoned)));
  q->set_total_calls_flowed_in(get32(d, OT_OFF(T, dwTotalCallsFlowedIn)));
  q->set_total_calls_flowed_out(get32(d, OT_OFF(T, dwTotalCallsFlowedOut)));
  q->set_longest_ever_wait_time(get32(d, OT_OFF(T, dwLongestEverWaitTime)));
  q->set_current_longest_wait_time(get32(d, OT_OFF(T, dwCurrentLongestWaitTime)));
  q->set_average_wait_time(get32(d, OT_OFF(T, dwAverageWaitTime)));
  q->set_final_disposition(get32(d, OT_OFF(T, dwFinalDisposition)));
}

// Reads a structure of `kind` the proxy filled at `base` (room bytes).
LONG read_structure(OutputKind kind, const unsigned char* base, std::uint32_t room, Charset charset,
                    AgentOutput* out) {
  StructReader r(base, room, fixed_size(kind), charset);
  if (!r.ok()) return LINEERR_INVALPARAM;
  switch (kind) {
    case OutputKind::kSessionInfo:
      read_session_info(base, out->mutable_session_info());
      break;
    case OutputKind::kAgentInfo:
      read_agent_info(base, out->mutable_agent_info());
      break;
    case OutputKind::kQueueInfo:
      read_queue_info(base, out->mutable_queue_info());
      break;
    case OutputKind::kSessionList: {
      using T = LINEAGENTSESSIONLIST;
      using E = LINEAGENTSESSIONENTRY;
      std::uint32_t n = 0;
      const auto a = r.array(OT_OFF(T, dwNumEntries), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset), sizeof(E), &n);
      auto* list = out->mutable_session_list();
      list->set_num_entries(n);
      const auto* p = reinterpret_cast<const unsigned char*>(a.data());
      for (std::uint32_t i = 0; !a.empty() && i < n; ++i) {
        const unsigned char* e = p + i * sizeof(E);
        auto* s = list->add_entries();
        s->set_hagent_session(get32(e, OT_OFF(E, hAgentSession)));
        s->set_hagent(get32(e, OT_OFF(E, hAgent)));
        s->set_group_id(read_guid(e + OT_OFF(E, GroupID)));
        s->set_working_address_id(get32(e, OT_OFF(E, dwWorkingAddressID)));
      }
      break;
    }
    case OutputKind::kGroupList: {
      using T = LINEAGENTGROUPLIST;
      std::uint32_t n = 0;
      const auto a = r.array(OT_OFF(T, dwNumEntries), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset),
                             sizeof(LINEAGENTGROUPENTRY), &n);
      auto* list = out->mutable_group_list();
      list->set_num_entries(n);
      read_group_array(r, a, n, list->mutable_entries());
      break;
    }
    case OutputKind::kActivityList: {
      using T = LINEAGENTACTIVITYLIST;
      using E = LINEAGENTACTIVITYENTRY;
      std::uint32_t n = 0;
      const auto a = r.array(OT_OFF(T, dwNumEntries), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset), sizeof(E), &n);
      auto* list = out->mutable_activity_list();
      list->set_num_entries(n);
      const std::uint32_t at = a.empty() ? 0 : r.pos_of(a);
      for (std::uint32_t i = 0; !a.empty() && i < n && r.ok(); ++i) {
        const std::uint32_t e = at + i * static_cast<std::uint32_t>(sizeof(E));
        auto* x = list->add_entries();
        x->set_id(r.get(e + OT_OFF(E, dwID)));
        auto name = r.string(e + OT_OFF(E, dwNameSize), e + OT_OFF(E, dwNameOffset));
        if (name) x->set_name(*name);
      }
      break;
    }
    case OutputKind::kQueueList: {
      using T = LINEQUEUELIST;
      using E = LINEQUEUEENTRY;
      std::uint32_t n = 0;
      const auto a = r.array(OT_OFF(T, dwNumEntries), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset), sizeof(E), &n);
      auto* list = out->mutable_queue_list();
      list->set_num_entries(n);
      const std::uint32_t at = a.empty() ? 0 : r.pos_of(a);
      for (std::uint32_t i = 0; !a.empty() && i < n && r.ok(); ++i) {
        const std::uint32_t e = at + i * static_cast<std::uint32_t>(sizeof(E));
        auto* x = list->add_entries();
        x->set_queue_id(r.get(e + OT_OFF(E, dwQueueID)));
        auto name = r.string(e + OT_OFF(E, dwNameSize), e + OT_OFF(E, dwNameOffset));
        if (name) x->set_name(*name);
      }
      break;
    }
    case OutputKind::kAgentCaps: {
      using T = LINEAGENTCAPS;
      auto* c = out->mutable_agent_caps();
      auto info = r.string(OT_OFF(T, dwAgentHandlerInfoSize), OT_OFF(T, dwAgentHandlerInfoOffset));
      if (info) c->set_handler_info(*info);
      c->set_caps_version(r.get(OT_OFF(T, dwCapsVersion)));
      c->set_features(r.get(OT_OFF(T, dwFeatures)));
      c->set_states(r.get(OT_OFF(T, dwStates)));
      c->set_next_states(r.get(OT_OFF(T, dwNextStates)));
      c->set_max_num_group_entries(r.get(OT_OFF(T, dwMaxNumGroupEntries)));
      c->set_agent_status_messages(r.get(OT_OFF(T, dwAgentStatusMessages)));
      std::uint32_t n = 0;
      const auto a = r.array(OT_OFF(T, dwNumAgentExtensionIDs), OT_OFF(T, dwAgentExtensionIDListSize),
                             OT_OFF(T, dwAgentExtensionIDListOffset), sizeof(LINEEXTENSIONID), &n);
      c->set_num_extension_ids(n);
      for (std::uint32_t i = 0; !a.empty() && i < n; ++i) {
        c->add_extension_ids(std::string(a.substr(i * sizeof(LINEEXTENSIONID), sizeof(LINEEXTENSIONID))));
      }
      c->set_proxy_guid(read_guid(base + OT_OFF(T, ProxyGUID)));
      break;
    }
    case OutputKind::kAgentStatus: {
      using T = LINEAGENTSTATUS;
      auto* s = out->mutable_agent_status();
      std::uint32_t n = 0;
      const auto a = r.array(OT_OFF(T, dwNumEntries), OT_OFF(T, dwGroupListSize), OT_OFF(T, dwGroupListOffset),
                             sizeof(LINEAGENTGROUPENTRY), &n);
      s->set_num_entries(n);
      read_group_array(r, a, n, s->mutable_groups());
      s->set_state(r.get(OT_OFF(T, dwState)));
      s->set_next_state(r.get(OT_OFF(T, dwNextState)));
      s->set_activity_id(r.get(OT_OFF(T, dwActivityID)));
      auto activity = r.string(OT_OFF(T, dwActivitySize), OT_OFF(T, dwActivityOffset));
      if (activity) s->set_activity(*activity);
      s->set_agent_features(r.get(OT_OFF(T, dwAgentFeatures)));
      s->set_valid_states(r.get(OT_OFF(T, dwValidStates)));
      s->set_valid_next_states(r.get(OT_OFF(T, dwValidNextStates)));
      break;
    }
    default:
      return LINEERR_INVALPARAM;
  }
  if (!r.ok()) return LINEERR_INVALPARAM;
  out->set_proxy_needed_size(r.needed());
  out->set_missing_bytes(r.missing());
  return 0;
}

// Where the embedded output structure of a request type starts in a
// LINEPROXYREQUEST; 0 for types without one.
std::uint32_t embedded_output_offset(std::uint32_t type) {
  using R = LINEPROXYREQUEST;
  switch (type) {
    case LINEPROXYREQUEST_GETAGENTCAPS: return OT_OFF(R, GetAgentCaps.AgentCaps);
    case LINEPROXYREQUEST_GETAGENTSTATUS: return OT_OFF(R, GetAgentStatus.AgentStatus);
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST: return OT_OFF(R, GetAgentActivityList.ActivityList);
    case LINEPROXYREQUEST_GETAGENTGROUPLIST: return OT_OFF(R, GetAgentGroupList.GroupList);
    case LINEPROXYREQUEST_GETAGENTINFO: return OT_OFF(R, GetAgentInfo.AgentInfo);
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST: return OT_OFF(R, GetAgentSessionList.SessionList);
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO: return OT_OFF(R, GetAgentSessionInfo.SessionInfo);
    case LINEPROXYREQUEST_GETQUEUELIST: return OT_OFF(R, GetQueueList.QueueList);
    case LINEPROXYREQUEST_GETQUEUEINFO: return OT_OFF(R, GetQueueInfo.QueueInfo);
    case LINEPROXYREQUEST_GETGROUPLIST: return OT_OFF(R, GetGroupList.GroupList);
    default: return 0;
  }
}

}  // namespace

std::optional<OutputKind> output_kind(std::uint32_t request_type) {
  switch (request_type) {
    case LINEPROXYREQUEST_SETAGENTGROUP:
    case LINEPROXYREQUEST_SETAGENTSTATE:
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
    case LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD:
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE:
    case LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD:
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      return OutputKind::kNone;
    case LINEPROXYREQUEST_CREATEAGENT:
    case LINEPROXYREQUEST_CREATEAGENTSESSION:
      return OutputKind::kHandle;
    case LINEPROXYREQUEST_AGENTSPECIFIC: return OutputKind::kParams;
    case LINEPROXYREQUEST_GETAGENTCAPS: return OutputKind::kAgentCaps;
    case LINEPROXYREQUEST_GETAGENTSTATUS: return OutputKind::kAgentStatus;
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST: return OutputKind::kActivityList;
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
    case LINEPROXYREQUEST_GETGROUPLIST:
      return OutputKind::kGroupList;
    case LINEPROXYREQUEST_GETAGENTINFO: return OutputKind::kAgentInfo;
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST: return OutputKind::kSessionList;
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO: return OutputKind::kSessionInfo;
    case LINEPROXYREQUEST_GETQUEUELIST: return OutputKind::kQueueList;
    case LINEPROXYREQUEST_GETQUEUEINFO: return OutputKind::kQueueInfo;
    default: return std::nullopt;
  }
}

std::uint32_t fixed_size(OutputKind kind) {
  switch (kind) {
    case OutputKind::kSessionInfo: return sizeof(LINEAGENTSESSIONINFO);
    case OutputKind::kAgentInfo: return sizeof(LINEAGENTINFO);
    case OutputKind::kQueueInfo: return sizeof(LINEQUEUEINFO);
    case OutputKind::kSessionList: return sizeof(LINEAGENTSESSIONLIST);
    case OutputKind::kGroupList: return sizeof(LINEAGENTGROUPLIST);
    case OutputKind::kActivityList: return sizeof(LINEAGENTACTIVITYLIST);
    case OutputKind::kQueueList: return sizeof(LINEQUEUELIST);
    case OutputKind::kAgentCaps: return sizeof(LINEAGENTCAPS);
    case OutputKind::kAgentStatus: return sizeof(LINEAGENTSTATUS);
    default: return 0;
  }
}

std::optional<client::ProxyRequestBuffer> build_proxy_request(std::uint32_t type, const AgentCall& call,
                                                              std::uint32_t output_size,
                                                              const ClientIdentity& client,
                                                              Charset charset) {
  using R = LINEPROXYREQUEST;
  const auto kind = output_kind(type);
  if (!kind) return std::nullopt;
  if (!is_valid_utf8(client.machine) || !is_valid_utf8(client.user)) return std::nullopt;

  client::ProxyRequestBuffer b;
  b.request_type = type;
  b.wide = charset == Charset::kWide;

  // Where the union member ends: the embedded output structure gets the
  // client's dwTotalSize (§5.8 [DECIDE]); the strings follow after the
  // 108-byte fixed part or the member, whichever ends later.
  std::uint64_t member_end = sizeof(R);
  const std::uint32_t groups = static_cast<std::uint32_t>(call.groups_size());
  if (fixed_size(*kind) != 0) {
    b.output_offset = embedded_output_offset(type);
    b.output_room = std::max(fixed_size(*kind), std::min(output_size, kMaxOutputRoom));
    member_end = std::max<std::uint64_t>(member_end, std::uint64_t{b.output_offset} + b.output_room);
  } else if (type == LINEPROXYREQUEST_SETAGENTGROUP) {
    if (std::uint64_t{groups} * sizeof(LINEAGENTGROUPENTRY) > kMaxOutputRoom) return std::nullopt;
    for (const auto& g : call.groups()) {
      if (!valid_guid(g.group_id())) return std::nullopt;
    }
    member_end = std::max<std::uint64_t>(
        member_end, OT_OFF(R, SetAgentGroup.GroupList) + kListHeader + std::uint64_t{groups} * sizeof(LINEAGENTGROUPENTRY));
  } else if (type == LINEPROXYREQUEST_AGENTSPECIFIC) {
    if (call.params().size() > kMaxOutputRoom) return std::nullopt;
    b.output_offset = OT_OFF(R, AgentSpecific.Params);
    b.output_room = static_cast<std::uint32_t>(call.params().size());
    member_end = std::max<std::uint64_t>(member_end, std::uint64_t{b.output_offset} + b.output_room);
  } else if (type == LINEPROXYREQUEST_CREATEAGENT) {
    b.output_offset = OT_OFF(R, CreateAgent.hAgent);
    b.output_room = sizeof(HAGENT);
  } else if (type == LINEPROXYREQUEST_CREATEAGENTSESSION) {
    b.output_offset = OT_OFF(R, CreateAgentSession.hAgentSession);
    b.output_room = sizeof(HAGENTSESSION);
  }
  if ((type == LINEPROXYREQUEST_CREATEAGENTSESSION || type == LINEPROXYREQUEST_GETQUEUELIST) &&
      !valid_guid(call.group_id())) {
    return std::nullopt;
  }

  // Strings, in order: client machine, client user, agent ID, agent PIN.
  struct Str {
    std::optional<std::string> text;
    std::uint32_t size_pos;
    std::uint32_t off_pos;
  };
  std::vector<Str> strings = {
      {client.machine, OT_OFF(R, dwClientMachineNameSize), OT_OFF(R, dwClientMachineNameOffset)},
      {client.user, OT_OFF(R, dwClientUserNameSize), OT_OFF(R, dwClientUserNameOffset)},
  };
  if (type == LINEPROXYREQUEST_CREATEAGENT) {
    strings.push_back({opt(call.has_agent_id(), call.agent_id()), OT_OFF(R, CreateAgent.dwAgentIDSize),
                       OT_OFF(R, CreateAgent.dwAgentIDOffset)});
    strings.push_back({opt(call.has_agent_pin(), call.agent_pin()), OT_OFF(R, CreateAgent.dwAgentPINSize),
                       OT_OFF(R, CreateAgent.dwAgentPINOffset)});
  } else if (type == LINEPROXYREQUEST_CREATEAGENTSESSION) {
    strings.push_back({opt(call.has_agent_pin(), call.agent_pin()), OT_OFF(R, CreateAgentSession.dwAgentPINSize),
                       OT_OFF(R, CreateAgentSession.dwAgentPINOffset)});
  }
  const auto strings_start = align4(static_cast<std::uint32_t>(member_end));
  std::uint64_t total = strings_start;
  for (const auto& s : strings) {
    if (!valid_text(s.text)) return std::nullopt;
    if (s.text) total += encoded_size(*s.text, charset);
  }
  if (total > 4 * std::uint64_t{kMaxOutputRoom}) return std::nullopt;

  b.size = static_cast<std::uint32_t>(total);
  b.data.reset(new unsigned char[b.size]());
  unsigned char* d = b.data.get();
  put32(d, OT_OFF(R, dwSize), b.size);
  put32(d, OT_OFF(R, dwClientAppAPIVersion), client.api_version);
  put32(d, OT_OFF(R, dwRequestType), type);
  std::uint32_t pos = strings_start;
  for (const auto& s : strings) {
    if (!s.text) continue;
    const std::uint32_t size = encoded_size(*s.text, charset);
    encode_string(*s.text, charset, d + pos);
    put32(d, s.size_pos, size);
    put32(d, s.off_pos, pos);
    pos += size;
  }

  switch (type) {
    case LINEPROXYREQUEST_SETAGENTGROUP: {
      put32(d, OT_OFF(R, SetAgentGroup.dwAddressID), call.address_id());
      const std::uint32_t list = OT_OFF(R, SetAgentGroup.GroupList);
      const std::uint32_t array = groups * static_cast<std::uint32_t>(sizeof(LINEAGENTGROUPENTRY));
      put32(d, list + OT_OFF(LINEAGENTGROUPLIST, dwTotalSize), kListHeader + array);
      put32(d, list + OT_OFF(LINEAGENTGROUPLIST, dwNeededSize), kListHeader + array);
      put32(d, list + OT_OFF(LINEAGENTGROUPLIST, dwUsedSize), kListHeader + array);
      put32(d, list + OT_OFF(LINEAGENTGROUPLIST, dwNumEntries), groups);
      put32(d, list + OT_OFF(LINEAGENTGROUPLIST, dwListSize), array);
      put32(d, list + OT_OFF(LINEAGENTGROUPLIST, dwListOffset), groups ? kListHeader : 0);
      for (std::uint32_t i = 0; i < groups; ++i) {
        fill_group_entry(d + list + kListHeader + i * sizeof(LINEAGENTGROUPENTRY), call.groups(static_cast<int>(i)));
      }
      break;
    }
    case LINEPROXYREQUEST_SETAGENTSTATE:
      put32(d, OT_OFF(R, SetAgentState.dwAddressID), call.address_id());
      put32(d, OT_OFF(R, SetAgentState.dwAgentState), call.state());
      put32(d, OT_OFF(R, SetAgentState.dwNextAgentState), call.next_state());
      break;
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
      put32(d, OT_OFF(R, SetAgentActivity.dwAddressID), call.address_id());
      put32(d, OT_OFF(R, SetAgentActivity.dwActivityID), call.activity_id());
      break;
    case LINEPROXYREQUEST_GETAGENTCAPS:
    case LINEPROXYREQUEST_GETAGENTSTATUS:
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
      // dwAddressID is the first field of all four members.
      put32(d, OT_OFF(R, GetAgentCaps.dwAddressID), call.address_id());
      break;
    case LINEPROXYREQUEST_AGENTSPECIFIC:
      put32(d, OT_OFF(R, AgentSpecific.dwAddressID), call.address_id());
      put32(d, OT_OFF(R, AgentSpecific.dwAgentExtensionIDIndex), call.extension_index());
      put32(d, OT_OFF(R, AgentSpecific.dwSize), b.output_room);
      if (!call.params().empty()) std::memcpy(d + b.output_offset, call.params().data(), call.params().size());
      break;
    case LINEPROXYREQUEST_CREATEAGENT:
      break;  // hAgent is the proxy's to fill; the strings are placed above
    case LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD:
      put32(d, OT_OFF(R, SetAgentMeasurementPeriod.hAgent), call.hagent());
      put32(d, OT_OFF(R, SetAgentMeasurementPeriod.dwMeasurementPeriod), call.measurement_period());
      break;
    case LINEPROXYREQUEST_GETAGENTINFO:
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST:
      put32(d, OT_OFF(R, GetAgentInfo.hAgent), call.hagent());
      break;
    case LINEPROXYREQUEST_CREATEAGENTSESSION:
      put32(d, OT_OFF(R, CreateAgentSession.hAgent), call.hagent());
      std::memcpy(d + OT_OFF(R, CreateAgentSession.GroupID), call.group_id().data(), kGuidBytes);
      put32(d, OT_OFF(R, CreateAgentSession.dwWorkingAddressID), call.working_address_id());
      break;
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE:
      put32(d, OT_OFF(R, SetAgentSessionState.hAgentSession), call.hagent_session());
      put32(d, OT_OFF(R, SetAgentSessionState.dwAgentSessionState), call.state());
      put32(d, OT_OFF(R, SetAgentSessionState.dwNextAgentSessionState), call.next_state());
      break;
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO:
      put32(d, OT_OFF(R, GetAgentSessionInfo.hAgentSession), call.hagent_session());
      break;
    case LINEPROXYREQUEST_GETQUEUELIST:
      std::memcpy(d + OT_OFF(R, GetQueueList.GroupID), call.group_id().data(), kGuidBytes);
      break;
    case LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD:
      put32(d, OT_OFF(R, SetQueueMeasurementPeriod.dwQueueID), call.queue_id());
      put32(d, OT_OFF(R, SetQueueMeasurementPeriod.dwMeasurementPeriod), call.measurement_period());
      break;
    case LINEPROXYREQUEST_GETQUEUEINFO:
      put32(d, OT_OFF(R, GetQueueInfo.dwQueueID), call.queue_id());
      break;
    case LINEPROXYREQUEST_GETGROUPLIST:
      break;
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      put32(d, OT_OFF(R, SetAgentStateEx.hAgent), call.hagent());
      put32(d, OT_OFF(R, SetAgentStateEx.dwAgentState), call.state());
      put32(d, OT_OFF(R, SetAgentStateEx.dwNextAgentState), call.next_state());
      break;
    default:
      return std::nullopt;
  }
  if (fixed_size(*kind) != 0) put32(d, b.output_offset, b.output_room);  // embedded dwTotalSize
  return b;
}

LONG parse_proxy_output(const client::ProxyRequestBuffer& b, AgentOutput* out) {
  out->Clear();
  const auto kind = output_kind(b.request_type);
  if (!kind || !b.data || std::uint64_t{b.output_offset} + b.output_room > b.size) return LINEERR_INVALPARAM;
  const Charset charset = b.wide ? Charset::kWide : Charset::kAnsi;
  out->set_proxy_wide(b.wide);
  const unsigned char* at = b.data.get() + b.output_offset;
  switch (*kind) {
    case OutputKind::kNone:
      return 0;
    case OutputKind::kHandle:
      if (b.request_type == LINEPROXYREQUEST_CREATEAGENT) {
        out->set_hagent(get32(at, 0));
      } else {
        out->set_hagent_session(get32(at, 0));
      }
      return 0;
    case OutputKind::kParams:
      out->set_params(std::string(reinterpret_cast<const char*>(at), b.output_room));
      return 0;
    default:
      return read_structure(*kind, at, b.output_room, charset, out);
  }
}

bool write_caller_output(OutputKind kind, const AgentOutput& o, unsigned char* d, std::uint32_t total,
                         Charset charset) {
  const std::uint32_t fixed = fixed_size(kind);
  if (fixed == 0 || total < fixed || !well_formed(kind, o)) return false;
  StructWriter w(d, total, fixed);
  switch (kind) {
    case OutputKind::kSessionInfo:
      write_session_info(d, o.session_info());
      break;
    case OutputKind::kAgentInfo:
      write_agent_info(d, o.agent_info());
      break;
    case OutputKind::kQueueInfo:
      write_queue_info(d, o.queue_info());
      break;
    case OutputKind::kSessionList: {
      using T = LINEAGENTSESSIONLIST;
      using E = LINEAGENTSESSIONENTRY;
      put32(d, OT_OFF(T, dwNumEntries), o.session_list().num_entries());
      write_array(
          w, o.session_list().entries(), sizeof(E), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset),
          [](unsigned char* p, const agent::SessionEntry& e) {
            put32(p, OT_OFF(E, hAgentSession), e.hagent_session());
            put32(p, OT_OFF(E, hAgent), e.hagent());
            std::memcpy(p + OT_OFF(E, GroupID), e.group_id().data(), kGuidBytes);
            put32(p, OT_OFF(E, dwWorkingAddressID), e.working_address_id());
          },
          [](const agent::SessionEntry&) { return std::optional<std::string>(); }, 0, 0, charset);
      break;
    }
    case OutputKind::kGroupList: {
      using T = LINEAGENTGROUPLIST;
      put32(d, OT_OFF(T, dwNumEntries), o.group_list().num_entries());
      write_group_array(w, o.group_list().entries(), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset), charset);
      break;
    }
    case OutputKind::kActivityList: {
      using T = LINEAGENTACTIVITYLIST;
      using E = LINEAGENTACTIVITYENTRY;
      put32(d, OT_OFF(T, dwNumEntries), o.activity_list().num_entries());
      write_array(
          w, o.activity_list().entries(), sizeof(E), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset),
          [](unsigned char* p, const agent::ActivityEntry& e) { put32(p, OT_OFF(E, dwID), e.id()); },
          [](const agent::ActivityEntry& e) { return opt(e.has_name(), e.name()); }, OT_OFF(E, dwNameSize),
          OT_OFF(E, dwNameOffset), charset);
      break;
    }
    case OutputKind::kQueueList: {
      using T = LINEQUEUELIST;
      using E = LINEQUEUEENTRY;
      put32(d, OT_OFF(T, dwNumEntries), o.queue_list().num_entries());
      write_array(
          w, o.queue_list().entries(), sizeof(E), OT_OFF(T, dwListSize), OT_OFF(T, dwListOffset),
          [](unsigned char* p, const agent::QueueEntry& e) { put32(p, OT_OFF(E, dwQueueID), e.queue_id()); },
          [](const agent::QueueEntry& e) { return opt(e.has_name(), e.name()); }, OT_OFF(E, dwNameSize),
          OT_OFF(E, dwNameOffset), charset);
      break;
    }
    case OutputKind::kAgentCaps: {
      using T = LINEAGENTCAPS;
      const auto& c = o.agent_caps();
      put32(d, OT_OFF(T, dwCapsVersion), c.caps_version());
      put32(d, OT_OFF(T, dwFeatures), c.features());
      put32(d, OT_OFF(T, dwStates), c.states());
      put32(d, OT_OFF(T, dwNextStates), c.next_states());
      put32(d, OT_OFF(T, dwMaxNumGroupEntries), c.max_num_group_entries());
      put32(d, OT_OFF(T, dwAgentStatusMessages), c.agent_status_messages());
      put32(d, OT_OFF(T, dwNumAgentExtensionIDs), c.num_extension_ids());
      std::memset(d + OT_OFF(T, ProxyGUID), 0, kGuidBytes);
      if (!c.proxy_guid().empty()) std::memcpy(d + OT_OFF(T, ProxyGUID), c.proxy_guid().data(), kGuidBytes);
      write_array(
          w, c.extension_ids(), sizeof(LINEEXTENSIONID), OT_OFF(T, dwAgentExtensionIDListSize),
          OT_OFF(T, dwAgentExtensionIDListOffset),
          [](unsigned char* p, const std::string& id) { std::memcpy(p, id.data(), sizeof(LINEEXTENSIONID)); },
          [](const std::string&) { return std::optional<std::string>(); }, 0, 0, charset);
      w.string(opt(c.has_handler_info(), c.handler_info()), charset, OT_OFF(T, dwAgentHandlerInfoSize),
               OT_OFF(T, dwAgentHandlerInfoOffset));
      break;
    }
    case OutputKind::kAgentStatus: {
      using T = LINEAGENTSTATUS;
      const auto& s = o.agent_status();
      put32(d, OT_OFF(T, dwNumEntries), s.num_entries());
      put32(d, OT_OFF(T, dwState), s.state());
      put32(d, OT_OFF(T, dwNextState), s.next_state());
      put32(d, OT_OFF(T, dwActivityID), s.activity_id());
      put32(d, OT_OFF(T, dwAgentFeatures), s.agent_features());
      put32(d, OT_OFF(T, dwValidStates), s.valid_states());
      put32(d, OT_OFF(T, dwValidNextStates), s.valid_next_states());
      write_group_array(w, s.groups(), OT_OFF(T, dwGroupListSize), OT_OFF(T, dwGroupListOffset), charset);
      w.string(opt(s.has_activity(), s.activity()), charset, OT_OFF(T, dwActivitySize), OT_OFF(T, dwActivityOffset));
      break;
    }
    default:
      return false;
  }
  // dwNeededSize across character sets (docs/tapi2.md): exact when the proxy
  // returned everything, else what we have plus the proxy's missing bytes,
  // scaled by 4 when they grow from UTF-8 to wchar_t.
  std::uint64_t needed = w.needed();
  if (o.missing_bytes() != 0) {
    const std::uint64_t factor = (!o.proxy_wide() && charset == Charset::kWide) ? 4 : 1;
    needed += std::uint64_t{o.missing_bytes()} * factor;
  }
  put32(d, 4, clamp32(needed));
  put32(d, 8, w.used());
  return true;
}

LONG read_group_ids(const LINEAGENTGROUPLIST* list, AgentCall* call) {
  call->clear_groups();
  if (list == nullptr) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(list);
  const std::uint32_t total = get32(p, OT_OFF(LINEAGENTGROUPLIST, dwTotalSize));
  if (total < sizeof(LINEAGENTGROUPLIST)) return LINEERR_INVALPARAM;
  const std::uint32_t n = get32(p, OT_OFF(LINEAGENTGROUPLIST, dwNumEntries));
  if (n == 0) return 0;
  const std::uint32_t size = get32(p, OT_OFF(LINEAGENTGROUPLIST, dwListSize));
  const std::uint32_t off = get32(p, OT_OFF(LINEAGENTGROUPLIST, dwListOffset));
  const std::uint64_t array = std::uint64_t{n} * sizeof(LINEAGENTGROUPENTRY);
  if (size < array || off < sizeof(LINEAGENTGROUPLIST) || off + array > total || array > kMaxOutputRoom) {
    return LINEERR_INVALPARAM;
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    call->add_groups()->set_group_id(read_guid(p + off + i * sizeof(LINEAGENTGROUPENTRY)));
  }
  return 0;
}

LONG read_proxy_request_types(const LINECALLPARAMS* params, std::vector<std::uint32_t>* types) {
  types->clear();
  if (params == nullptr) return LINEERR_INVALPARAM;
  const auto* p = reinterpret_cast<const unsigned char*>(params);
  const std::uint32_t total = get32(p, OT_OFF(LINECALLPARAMS, dwTotalSize));
  if (total < OT_OFF(LINECALLPARAMS, dwDevSpecificOffset) + sizeof(DWORD)) return LINEERR_STRUCTURETOOSMALL;
  const std::uint32_t size = get32(p, OT_OFF(LINECALLPARAMS, dwDevSpecificSize));
  const std::uint32_t off = get32(p, OT_OFF(LINECALLPARAMS, dwDevSpecificOffset));
  if (size == 0 || size % 4 != 0 || std::uint64_t{off} + size > total) return LINEERR_INVALPARAM;
  for (std::uint32_t i = 0; i < size / 4; ++i) {
    const std::uint32_t t = get32(p, std::uint64_t{off} + 4 * i);
    if (t < LINEPROXYREQUEST_SETAGENTGROUP || t > LINEPROXYREQUEST_SETAGENTSTATEEX) return LINEERR_INVALPARAM;
    types->push_back(t);
  }
  return 0;
}

}  // namespace opentapi::tapi2
