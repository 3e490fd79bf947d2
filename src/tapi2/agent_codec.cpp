#include "tapi2/agent_codec.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <vector>

#include "layout/var_struct.h"

namespace opentapi::tapi2 {
namespace {

using agent::AgentCall;
using agent::AgentOutput;
using layout::Array;
using layout::decode_fixed32;
using layout::Pair;
using layout::VarStructReader;
using layout::VarStructWriter;

constexpr std::uint32_t kGuidBytes = 16;
constexpr std::uint32_t kListHeader = sizeof(LINEAGENTGROUPLIST);  // every list header: 24

bool valid_guid(const std::string& g) { return g.size() == kGuidBytes; }
bool valid_text(const std::optional<std::string>& s) { return !s || is_valid_utf8(*s); }

std::optional<std::string> opt(bool has, const std::string& s) {
  if (!has) return std::nullopt;
  return s;
}

// ---------------------------------------------------------------------------
// (c) Writing a caller's structure, with layout::VarStructWriter.

// Writes a list array at `pair` and the names of its elements.
// `fill(w, at, entry)` writes the fixed fields of the element at position
// `at`; `name(entry)` gives its optional name, whose pair is `name_pair`
// within the element (elements without names: a `name` that returns nullopt).
template <class Entries, class Fill, class Name>
void write_list(VarStructWriter& w, Pair pair, const Entries& entries, std::uint32_t elem_size, Fill fill, Name name,
                Pair name_pair) {
  const Array a = w.array(pair, static_cast<std::uint32_t>(entries.size()), elem_size);
  for (std::uint32_t i = 0; i < a.count; ++i) {
    const auto& e = entries[static_cast<int>(i)];
    if (a.placed()) fill(w, a.element(i), e);
    if (const std::optional<std::string> n = name(e)) w.element_string(a, i, name_pair, *n);
  }
}

std::optional<std::string> no_name(const auto&) { return std::nullopt; }

void fill_group_entry(VarStructWriter& w, std::uint32_t at, const agent::GroupEntry& e) {
  w.bytes(at + OT_OFF(LINEAGENTGROUPENTRY, GroupID), e.group_id().data(), kGuidBytes);
}
std::optional<std::string> group_name(const agent::GroupEntry& e) { return opt(e.has_name(), e.name()); }

void write_group_array(VarStructWriter& w, Pair pair,
                       const google::protobuf::RepeatedPtrField<agent::GroupEntry>& entries) {
  write_list(w, pair, entries, sizeof(LINEAGENTGROUPENTRY), fill_group_entry, group_name,
             OT_PAIR(LINEAGENTGROUPENTRY, Name));
}

void write_session_info(VarStructWriter& w, const agent::SessionInfo& s) {
  using T = LINEAGENTSESSIONINFO;
  w.u32(OT_OFF(T, dwAgentSessionState), s.state());
  w.u32(OT_OFF(T, dwNextAgentSessionState), s.next_state());
  w.value<double>(OT_OFF(T, dateSessionStartTime), s.session_start_time());
  w.u32(OT_OFF(T, dwSessionDuration), s.session_duration());
  w.u32(OT_OFF(T, dwNumberOfCalls), s.number_of_calls());
  w.u32(OT_OFF(T, dwTotalTalkTime), s.total_talk_time());
  w.u32(OT_OFF(T, dwAverageTalkTime), s.average_talk_time());
  w.u32(OT_OFF(T, dwTotalCallTime), s.total_call_time());
  w.u32(OT_OFF(T, dwAverageCallTime), s.average_call_time());
  w.u32(OT_OFF(T, dwTotalWrapUpTime), s.total_wrap_up_time());
  w.u32(OT_OFF(T, dwAverageWrapUpTime), s.average_wrap_up_time());
  w.value<std::int64_t>(OT_OFF(T, cyACDCallRate), s.acd_call_rate());
  w.u32(OT_OFF(T, dwLongestTimeToAnswer), s.longest_time_to_answer());
  w.u32(OT_OFF(T, dwAverageTimeToAnswer), s.average_time_to_answer());
}

void write_agent_info(VarStructWriter& w, const agent::AgentInfo& a) {
  using T = LINEAGENTINFO;
  w.u32(OT_OFF(T, dwAgentState), a.state());
  w.u32(OT_OFF(T, dwNextAgentState), a.next_state());
  w.u32(OT_OFF(T, dwMeasurementPeriod), a.measurement_period());
  w.value<std::int64_t>(OT_OFF(T, cyOverallCallRate), a.overall_call_rate());
  w.u32(OT_OFF(T, dwNumberOfACDCalls), a.number_of_acd_calls());
  w.u32(OT_OFF(T, dwNumberOfIncomingCalls), a.number_of_incoming_calls());
  w.u32(OT_OFF(T, dwNumberOfOutgoingCalls), a.number_of_outgoing_calls());
  w.u32(OT_OFF(T, dwTotalACDTalkTime), a.total_acd_talk_time());
  w.u32(OT_OFF(T, dwTotalACDCallTime), a.total_acd_call_time());
  w.u32(OT_OFF(T, dwTotalACDWrapUpTime), a.total_acd_wrap_up_time());
}

void write_queue_info(VarStructWriter& w, const agent::QueueInfo& q) {
  using T = LINEQUEUEINFO;
  w.u32(OT_OFF(T, dwMeasurementPeriod), q.measurement_period());
  w.u32(OT_OFF(T, dwTotalCallsQueued), q.total_calls_queued());
  w.u32(OT_OFF(T, dwCurrentCallsQueued), q.current_calls_queued());
  w.u32(OT_OFF(T, dwTotalCallsAbandoned), q.total_calls_abandoned());
  w.u32(OT_OFF(T, dwTotalCallsFlowedIn), q.total_calls_flowed_in());
  w.u32(OT_OFF(T, dwTotalCallsFlowedOut), q.total_calls_flowed_out());
  w.u32(OT_OFF(T, dwLongestEverWaitTime), q.longest_ever_wait_time());
  w.u32(OT_OFF(T, dwCurrentLongestWaitTime), q.current_longest_wait_time());
  w.u32(OT_OFF(T, dwAverageWaitTime), q.average_wait_time());
  w.u32(OT_OFF(T, dwFinalDisposition), q.final_disposition());
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
      return o.has_session_list() && std::all_of(o.session_list().entries().begin(), o.session_list().entries().end(),
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
// (b) Reading a proxy-filled structure, with layout::VarStructReader: every
// size and offset is checked against the fixed part and dwUsedSize before
// the bytes are touched; one inconsistency refuses the whole answer.

// Bytes the proxy said it needed beyond the fixed part and what it returned
// (0 when it had room for everything): the missing_bytes of the rule
// "dwNeededSize across character sets" (docs/tapi2.md).
std::uint32_t missing_bytes(const VarStructReader& r, std::uint32_t fixed, std::uint32_t room,
                            std::uint32_t proxy_needed) {
  if (proxy_needed <= room) return 0;
  const std::uint64_t have = std::uint64_t{fixed} + r.present_bytes();
  return proxy_needed > have ? static_cast<std::uint32_t>(proxy_needed - have) : 0;
}

// A list array as the proxy returned it: present only with exactly
// dwNumEntries elements (an inconsistent size clears r.ok()).
Array read_list(VarStructReader& r, std::uint32_t count_pos, Pair pair, std::uint32_t elem_size) {
  const Array a = r.array(pair, r.u32(count_pos), elem_size);
  if (a.placed() && std::uint64_t{a.size} != std::uint64_t{a.count} * elem_size) {
    r.mark_malformed();
    return Array{0, a.count, elem_size, 0};
  }
  return a;
}

std::string read_guid(VarStructReader& r, std::uint32_t pos) {
  const auto g = r.value<GUID>(pos);
  return std::string(reinterpret_cast<const char*>(&g), kGuidBytes);
}

void read_group_array(VarStructReader& r, const Array& a, google::protobuf::RepeatedPtrField<agent::GroupEntry>* out) {
  using E = LINEAGENTGROUPENTRY;
  for (std::uint32_t i = 0; a.placed() && i < a.count && r.ok(); ++i) {
    auto* g = out->Add();
    g->set_group_id(read_guid(r, a.element(i) + OT_OFF(E, GroupID)));
    auto name = r.string(OT_PAIR(E, Name).at(a.element(i)));
    if (name) g->set_name(*name);
  }
}

void read_session_info(VarStructReader& r, agent::SessionInfo* s) {
  using T = LINEAGENTSESSIONINFO;
  s->set_state(r.u32(OT_OFF(T, dwAgentSessionState)));
  s->set_next_state(r.u32(OT_OFF(T, dwNextAgentSessionState)));
  s->set_session_start_time(r.value<double>(OT_OFF(T, dateSessionStartTime)));
  s->set_session_duration(r.u32(OT_OFF(T, dwSessionDuration)));
  s->set_number_of_calls(r.u32(OT_OFF(T, dwNumberOfCalls)));
  s->set_total_talk_time(r.u32(OT_OFF(T, dwTotalTalkTime)));
  s->set_average_talk_time(r.u32(OT_OFF(T, dwAverageTalkTime)));
  s->set_total_call_time(r.u32(OT_OFF(T, dwTotalCallTime)));
  s->set_average_call_time(r.u32(OT_OFF(T, dwAverageCallTime)));
  s->set_total_wrap_up_time(r.u32(OT_OFF(T, dwTotalWrapUpTime)));
  s->set_average_wrap_up_time(r.u32(OT_OFF(T, dwAverageWrapUpTime)));
  s->set_acd_call_rate(r.value<std::int64_t>(OT_OFF(T, cyACDCallRate)));
  s->set_longest_time_to_answer(r.u32(OT_OFF(T, dwLongestTimeToAnswer)));
  s->set_average_time_to_answer(r.u32(OT_OFF(T, dwAverageTimeToAnswer)));
}

void read_agent_info(VarStructReader& r, agent::AgentInfo* a) {
  using T = LINEAGENTINFO;
  a->set_state(r.u32(OT_OFF(T, dwAgentState)));
  a->set_next_state(r.u32(OT_OFF(T, dwNextAgentState)));
  a->set_measurement_period(r.u32(OT_OFF(T, dwMeasurementPeriod)));
  a->set_overall_call_rate(r.value<std::int64_t>(OT_OFF(T, cyOverallCallRate)));
  a->set_number_of_acd_calls(r.u32(OT_OFF(T, dwNumberOfACDCalls)));
  a->set_number_of_incoming_calls(r.u32(OT_OFF(T, dwNumberOfIncomingCalls)));
  a->set_number_of_outgoing_calls(r.u32(OT_OFF(T, dwNumberOfOutgoingCalls)));
  a->set_total_acd_talk_time(r.u32(OT_OFF(T, dwTotalACDTalkTime)));
  a->set_total_acd_call_time(r.u32(OT_OFF(T, dwTotalACDCallTime)));
  a->set_total_acd_wrap_up_time(r.u32(OT_OFF(T, dwTotalACDWrapUpTime)));
}

void read_queue_info(VarStructReader& r, agent::QueueInfo* q) {
  using T = LINEQUEUEINFO;
  q->set_measurement_period(r.u32(OT_OFF(T, dwMeasurementPeriod)));
  q->set_total_calls_queued(r.u32(OT_OFF(T, dwTotalCallsQueued)));
  q->set_current_calls_queued(r.u32(OT_OFF(T, dwCurrentCallsQueued)));
  q->set_total_calls_abandoned(r.u32(OT_OFF(T, dwTotalCallsAbandoned)));
  q->set_total_calls_flowed_in(r.u32(OT_OFF(T, dwTotalCallsFlowedIn)));
  q->set_total_calls_flowed_out(r.u32(OT_OFF(T, dwTotalCallsFlowedOut)));
  q->set_longest_ever_wait_time(r.u32(OT_OFF(T, dwLongestEverWaitTime)));
  q->set_current_longest_wait_time(r.u32(OT_OFF(T, dwCurrentLongestWaitTime)));
  q->set_average_wait_time(r.u32(OT_OFF(T, dwAverageWaitTime)));
  q->set_final_disposition(r.u32(OT_OFF(T, dwFinalDisposition)));
}

// Reads a structure of `kind` the proxy filled at `base` (room bytes).
LONG read_structure(OutputKind kind, const unsigned char* base, std::uint32_t room, Charset charset, AgentOutput* out) {
  const std::uint32_t fixed = fixed_size(kind);
  auto reader = VarStructReader::filled(base, room, fixed, charset);
  if (!reader) return LINEERR_INVALPARAM;
  VarStructReader& r = *reader;
  switch (kind) {
    case OutputKind::kSessionInfo:
      read_session_info(r, out->mutable_session_info());
      break;
    case OutputKind::kAgentInfo:
      read_agent_info(r, out->mutable_agent_info());
      break;
    case OutputKind::kQueueInfo:
      read_queue_info(r, out->mutable_queue_info());
      break;
    case OutputKind::kSessionList: {
      using T = LINEAGENTSESSIONLIST;
      using E = LINEAGENTSESSIONENTRY;
      const Array a = read_list(r, OT_OFF(T, dwNumEntries), OT_PAIR(T, List), sizeof(E));
      auto* list = out->mutable_session_list();
      list->set_num_entries(a.count);
      for (std::uint32_t i = 0; a.placed() && i < a.count; ++i) {
        const std::uint32_t e = a.element(i);
        auto* s = list->add_entries();
        s->set_hagent_session(r.u32(e + OT_OFF(E, hAgentSession)));
        s->set_hagent(r.u32(e + OT_OFF(E, hAgent)));
        s->set_group_id(read_guid(r, e + OT_OFF(E, GroupID)));
        s->set_working_address_id(r.u32(e + OT_OFF(E, dwWorkingAddressID)));
      }
      break;
    }
    case OutputKind::kGroupList: {
      using T = LINEAGENTGROUPLIST;
      const Array a = read_list(r, OT_OFF(T, dwNumEntries), OT_PAIR(T, List), sizeof(LINEAGENTGROUPENTRY));
      auto* list = out->mutable_group_list();
      list->set_num_entries(a.count);
      read_group_array(r, a, list->mutable_entries());
      break;
    }
    case OutputKind::kActivityList: {
      using T = LINEAGENTACTIVITYLIST;
      using E = LINEAGENTACTIVITYENTRY;
      const Array a = read_list(r, OT_OFF(T, dwNumEntries), OT_PAIR(T, List), sizeof(E));
      auto* list = out->mutable_activity_list();
      list->set_num_entries(a.count);
      for (std::uint32_t i = 0; a.placed() && i < a.count && r.ok(); ++i) {
        auto* x = list->add_entries();
        x->set_id(r.u32(a.element(i) + OT_OFF(E, dwID)));
        auto name = r.string(OT_PAIR(E, Name).at(a.element(i)));
        if (name) x->set_name(*name);
      }
      break;
    }
    case OutputKind::kQueueList: {
      using T = LINEQUEUELIST;
      using E = LINEQUEUEENTRY;
      const Array a = read_list(r, OT_OFF(T, dwNumEntries), OT_PAIR(T, List), sizeof(E));
      auto* list = out->mutable_queue_list();
      list->set_num_entries(a.count);
      for (std::uint32_t i = 0; a.placed() && i < a.count && r.ok(); ++i) {
        auto* x = list->add_entries();
        x->set_queue_id(r.u32(a.element(i) + OT_OFF(E, dwQueueID)));
        auto name = r.string(OT_PAIR(E, Name).at(a.element(i)));
        if (name) x->set_name(*name);
      }
      break;
    }
    case OutputKind::kAgentCaps: {
      using T = LINEAGENTCAPS;
      auto* c = out->mutable_agent_caps();
      auto info = r.string(OT_PAIR(T, AgentHandlerInfo));
      if (info) c->set_handler_info(*info);
      c->set_caps_version(r.u32(OT_OFF(T, dwCapsVersion)));
      c->set_features(r.u32(OT_OFF(T, dwFeatures)));
      c->set_states(r.u32(OT_OFF(T, dwStates)));
      c->set_next_states(r.u32(OT_OFF(T, dwNextStates)));
      c->set_max_num_group_entries(r.u32(OT_OFF(T, dwMaxNumGroupEntries)));
      c->set_agent_status_messages(r.u32(OT_OFF(T, dwAgentStatusMessages)));
      const Array a =
          read_list(r, OT_OFF(T, dwNumAgentExtensionIDs), OT_PAIR(T, AgentExtensionIDList), sizeof(LINEEXTENSIONID));
      c->set_num_extension_ids(a.count);
      for (std::uint32_t i = 0; a.placed() && i < a.count; ++i) {
        const auto id = r.value<LINEEXTENSIONID>(a.element(i));
        c->add_extension_ids(std::string(reinterpret_cast<const char*>(&id), sizeof id));
      }
      c->set_proxy_guid(read_guid(r, OT_OFF(T, ProxyGUID)));
      break;
    }
    case OutputKind::kAgentStatus: {
      using T = LINEAGENTSTATUS;
      auto* s = out->mutable_agent_status();
      const Array a = read_list(r, OT_OFF(T, dwNumEntries), OT_PAIR(T, GroupList), sizeof(LINEAGENTGROUPENTRY));
      s->set_num_entries(a.count);
      read_group_array(r, a, s->mutable_groups());
      s->set_state(r.u32(OT_OFF(T, dwState)));
      s->set_next_state(r.u32(OT_OFF(T, dwNextState)));
      s->set_activity_id(r.u32(OT_OFF(T, dwActivityID)));
      auto activity = r.string(OT_PAIR(T, Activity));
      if (activity) s->set_activity(*activity);
      s->set_agent_features(r.u32(OT_OFF(T, dwAgentFeatures)));
      s->set_valid_states(r.u32(OT_OFF(T, dwValidStates)));
      s->set_valid_next_states(r.u32(OT_OFF(T, dwValidNextStates)));
      break;
    }
    default:
      return LINEERR_INVALPARAM;
  }
  if (!r.ok()) return LINEERR_INVALPARAM;
  const std::uint32_t proxy_needed = layout::read_header(base).needed_size;
  out->set_proxy_needed_size(proxy_needed);
  out->set_missing_bytes(missing_bytes(r, fixed, room, proxy_needed));
  return 0;
}

// Where the embedded output structure of a request type starts in a
// LINEPROXYREQUEST; 0 for types without one.
std::uint32_t embedded_output_offset(std::uint32_t type) {
  using R = LINEPROXYREQUEST;
  switch (type) {
    case LINEPROXYREQUEST_GETAGENTCAPS:
      return OT_OFF(R, GetAgentCaps.AgentCaps);
    case LINEPROXYREQUEST_GETAGENTSTATUS:
      return OT_OFF(R, GetAgentStatus.AgentStatus);
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
      return OT_OFF(R, GetAgentActivityList.ActivityList);
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
      return OT_OFF(R, GetAgentGroupList.GroupList);
    case LINEPROXYREQUEST_GETAGENTINFO:
      return OT_OFF(R, GetAgentInfo.AgentInfo);
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST:
      return OT_OFF(R, GetAgentSessionList.SessionList);
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO:
      return OT_OFF(R, GetAgentSessionInfo.SessionInfo);
    case LINEPROXYREQUEST_GETQUEUELIST:
      return OT_OFF(R, GetQueueList.QueueList);
    case LINEPROXYREQUEST_GETQUEUEINFO:
      return OT_OFF(R, GetQueueInfo.QueueInfo);
    case LINEPROXYREQUEST_GETGROUPLIST:
      return OT_OFF(R, GetGroupList.GroupList);
    default:
      return 0;
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
    case LINEPROXYREQUEST_AGENTSPECIFIC:
      return OutputKind::kParams;
    case LINEPROXYREQUEST_GETAGENTCAPS:
      return OutputKind::kAgentCaps;
    case LINEPROXYREQUEST_GETAGENTSTATUS:
      return OutputKind::kAgentStatus;
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
      return OutputKind::kActivityList;
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
    case LINEPROXYREQUEST_GETGROUPLIST:
      return OutputKind::kGroupList;
    case LINEPROXYREQUEST_GETAGENTINFO:
      return OutputKind::kAgentInfo;
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST:
      return OutputKind::kSessionList;
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO:
      return OutputKind::kSessionInfo;
    case LINEPROXYREQUEST_GETQUEUELIST:
      return OutputKind::kQueueList;
    case LINEPROXYREQUEST_GETQUEUEINFO:
      return OutputKind::kQueueInfo;
    default:
      return std::nullopt;
  }
}

std::uint32_t fixed_size(OutputKind kind) {
  switch (kind) {
    case OutputKind::kSessionInfo:
      return sizeof(LINEAGENTSESSIONINFO);
    case OutputKind::kAgentInfo:
      return sizeof(LINEAGENTINFO);
    case OutputKind::kQueueInfo:
      return sizeof(LINEQUEUEINFO);
    case OutputKind::kSessionList:
      return sizeof(LINEAGENTSESSIONLIST);
    case OutputKind::kGroupList:
      return sizeof(LINEAGENTGROUPLIST);
    case OutputKind::kActivityList:
      return sizeof(LINEAGENTACTIVITYLIST);
    case OutputKind::kQueueList:
      return sizeof(LINEQUEUELIST);
    case OutputKind::kAgentCaps:
      return sizeof(LINEAGENTCAPS);
    case OutputKind::kAgentStatus:
      return sizeof(LINEAGENTSTATUS);
    default:
      return 0;
  }
}

std::uint32_t agent_caps_fixed_size(std::uint32_t app_api_version) {
  constexpr std::uint32_t kTapi22 = 0x00020002;
  return app_api_version >= kTapi22 ? sizeof(LINEAGENTCAPS) : offsetof(LINEAGENTCAPS, ProxyGUID);
}

std::optional<client::ProxyRequestBuffer> build_proxy_request(std::uint32_t type, const AgentCall& call,
                                                              std::uint32_t output_size, const ClientIdentity& client,
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
    member_end = std::max<std::uint64_t>(member_end, OT_OFF(R, SetAgentGroup.GroupList) + kListHeader +
                                                         std::uint64_t{groups} * sizeof(LINEAGENTGROUPENTRY));
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
    Pair pair;
  };
  std::vector<Str> strings = {
      {client.machine, OT_PAIR(R, ClientMachineName)},
      {client.user, OT_PAIR(R, ClientUserName)},
  };
  if (type == LINEPROXYREQUEST_CREATEAGENT) {
    strings.push_back({opt(call.has_agent_id(), call.agent_id()),
                       {OT_OFF(R, CreateAgent.dwAgentIDSize), OT_OFF(R, CreateAgent.dwAgentIDOffset)}});
    strings.push_back({opt(call.has_agent_pin(), call.agent_pin()),
                       {OT_OFF(R, CreateAgent.dwAgentPINSize), OT_OFF(R, CreateAgent.dwAgentPINOffset)}});
  } else if (type == LINEPROXYREQUEST_CREATEAGENTSESSION) {
    strings.push_back({opt(call.has_agent_pin(), call.agent_pin()),
                       {OT_OFF(R, CreateAgentSession.dwAgentPINSize), OT_OFF(R, CreateAgentSession.dwAgentPINOffset)}});
  }
  // The first 4-byte boundary after the member: W strings stay aligned.
  const auto strings_start = static_cast<std::uint32_t>((member_end + 3) & ~std::uint64_t{3});
  std::uint64_t total = strings_start;
  for (const auto& s : strings) {
    if (!valid_text(s.text)) return std::nullopt;
    if (s.text) total += encoded_size(*s.text, charset);
  }
  if (total > 4 * std::uint64_t{kMaxOutputRoom}) return std::nullopt;

  b.size = static_cast<std::uint32_t>(total);
  b.data.reset(new unsigned char[b.size]());
  unsigned char* d = b.data.get();
  // LINEPROXYREQUEST has dwSize, not the three-field header: the strings go
  // into [strings_start, dwSize), which was sized to hold them all.
  VarStructWriter w(d, strings_start, b.size, charset);
  w.u32(OT_OFF(R, dwSize), b.size);
  w.u32(OT_OFF(R, dwClientAppAPIVersion), client.api_version);
  w.u32(OT_OFF(R, dwRequestType), type);
  for (const auto& s : strings) w.optional_string(s.pair, s.text);

  switch (type) {
    case LINEPROXYREQUEST_SETAGENTGROUP: {
      using L = LINEAGENTGROUPLIST;
      w.u32(OT_OFF(R, SetAgentGroup.dwAddressID), call.address_id());
      // An input list with the group IDs only (§3.2: names are ignored),
      // exactly as large as it needs to be.
      const std::uint32_t list = OT_OFF(R, SetAgentGroup.GroupList);
      const std::uint32_t room = kListHeader + groups * static_cast<std::uint32_t>(sizeof(LINEAGENTGROUPENTRY));
      w.u32(list + OT_OFF(L, dwTotalSize), room);
      auto g = VarStructWriter::begin(d + list, room, kListHeader, charset);
      g->u32(OT_OFF(L, dwNumEntries), groups);
      write_list(*g, OT_PAIR(L, List), call.groups(), sizeof(LINEAGENTGROUPENTRY), fill_group_entry,
                 no_name<agent::GroupEntry>, Pair{});
      g->finish();
      break;
    }
    case LINEPROXYREQUEST_SETAGENTSTATE:
      w.u32(OT_OFF(R, SetAgentState.dwAddressID), call.address_id());
      w.u32(OT_OFF(R, SetAgentState.dwAgentState), call.state());
      w.u32(OT_OFF(R, SetAgentState.dwNextAgentState), call.next_state());
      break;
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
      w.u32(OT_OFF(R, SetAgentActivity.dwAddressID), call.address_id());
      w.u32(OT_OFF(R, SetAgentActivity.dwActivityID), call.activity_id());
      break;
    case LINEPROXYREQUEST_GETAGENTCAPS:
    case LINEPROXYREQUEST_GETAGENTSTATUS:
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
      // dwAddressID is the first field of all four members.
      w.u32(OT_OFF(R, GetAgentCaps.dwAddressID), call.address_id());
      break;
    case LINEPROXYREQUEST_AGENTSPECIFIC:
      w.u32(OT_OFF(R, AgentSpecific.dwAddressID), call.address_id());
      w.u32(OT_OFF(R, AgentSpecific.dwAgentExtensionIDIndex), call.extension_index());
      w.u32(OT_OFF(R, AgentSpecific.dwSize), b.output_room);
      w.bytes(b.output_offset, call.params().data(), call.params().size());
      break;
    case LINEPROXYREQUEST_CREATEAGENT:
      break;  // hAgent is the proxy's to fill; the strings are placed above
    case LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD:
      w.u32(OT_OFF(R, SetAgentMeasurementPeriod.hAgent), call.hagent());
      w.u32(OT_OFF(R, SetAgentMeasurementPeriod.dwMeasurementPeriod), call.measurement_period());
      break;
    case LINEPROXYREQUEST_GETAGENTINFO:
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST:
      w.u32(OT_OFF(R, GetAgentInfo.hAgent), call.hagent());
      break;
    case LINEPROXYREQUEST_CREATEAGENTSESSION:
      w.u32(OT_OFF(R, CreateAgentSession.hAgent), call.hagent());
      w.bytes(OT_OFF(R, CreateAgentSession.GroupID), call.group_id().data(), kGuidBytes);
      w.u32(OT_OFF(R, CreateAgentSession.dwWorkingAddressID), call.working_address_id());
      break;
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE:
      w.u32(OT_OFF(R, SetAgentSessionState.hAgentSession), call.hagent_session());
      w.u32(OT_OFF(R, SetAgentSessionState.dwAgentSessionState), call.state());
      w.u32(OT_OFF(R, SetAgentSessionState.dwNextAgentSessionState), call.next_state());
      break;
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO:
      w.u32(OT_OFF(R, GetAgentSessionInfo.hAgentSession), call.hagent_session());
      break;
    case LINEPROXYREQUEST_GETQUEUELIST:
      w.bytes(OT_OFF(R, GetQueueList.GroupID), call.group_id().data(), kGuidBytes);
      break;
    case LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD:
      w.u32(OT_OFF(R, SetQueueMeasurementPeriod.dwQueueID), call.queue_id());
      w.u32(OT_OFF(R, SetQueueMeasurementPeriod.dwMeasurementPeriod), call.measurement_period());
      break;
    case LINEPROXYREQUEST_GETQUEUEINFO:
      w.u32(OT_OFF(R, GetQueueInfo.dwQueueID), call.queue_id());
      break;
    case LINEPROXYREQUEST_GETGROUPLIST:
      break;
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      w.u32(OT_OFF(R, SetAgentStateEx.hAgent), call.hagent());
      w.u32(OT_OFF(R, SetAgentStateEx.dwAgentState), call.state());
      w.u32(OT_OFF(R, SetAgentStateEx.dwNextAgentState), call.next_state());
      break;
    default:
      return std::nullopt;
  }
  if (fixed_size(*kind) != 0) w.u32(b.output_offset, b.output_room);  // embedded dwTotalSize
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
        out->set_hagent(decode_fixed32(at));
      } else {
        out->set_hagent_session(decode_fixed32(at));
      }
      return 0;
    case OutputKind::kParams:
      out->set_params(std::string(reinterpret_cast<const char*>(at), b.output_room));
      return 0;
    default:
      return read_structure(*kind, at, b.output_room, charset, out);
  }
}

bool write_caller_output(OutputKind kind, const AgentOutput& o, unsigned char* d, std::uint32_t total, Charset charset,
                         std::uint32_t caller_fixed_size) {
  const std::uint32_t full = fixed_size(kind);
  const std::uint32_t fixed = caller_fixed_size == 0 ? full : std::min(caller_fixed_size, full);
  if (fixed == 0 || total < fixed || !well_formed(kind, o)) return false;
  auto writer = VarStructWriter::begin(d, total, fixed, charset);
  if (!writer) return false;
  VarStructWriter& w = *writer;
  switch (kind) {
    case OutputKind::kSessionInfo:
      write_session_info(w, o.session_info());
      break;
    case OutputKind::kAgentInfo:
      write_agent_info(w, o.agent_info());
      break;
    case OutputKind::kQueueInfo:
      write_queue_info(w, o.queue_info());
      break;
    case OutputKind::kSessionList: {
      using T = LINEAGENTSESSIONLIST;
      using E = LINEAGENTSESSIONENTRY;
      w.u32(OT_OFF(T, dwNumEntries), o.session_list().num_entries());
      write_list(
          w, OT_PAIR(T, List), o.session_list().entries(), sizeof(E),
          [](VarStructWriter& x, std::uint32_t at, const agent::SessionEntry& e) {
            x.u32(at + OT_OFF(E, hAgentSession), e.hagent_session());
            x.u32(at + OT_OFF(E, hAgent), e.hagent());
            x.bytes(at + OT_OFF(E, GroupID), e.group_id().data(), kGuidBytes);
            x.u32(at + OT_OFF(E, dwWorkingAddressID), e.working_address_id());
          },
          no_name<agent::SessionEntry>, Pair{});
      break;
    }
    case OutputKind::kGroupList: {
      using T = LINEAGENTGROUPLIST;
      w.u32(OT_OFF(T, dwNumEntries), o.group_list().num_entries());
      write_group_array(w, OT_PAIR(T, List), o.group_list().entries());
      break;
    }
    case OutputKind::kActivityList: {
      using T = LINEAGENTACTIVITYLIST;
      using E = LINEAGENTACTIVITYENTRY;
      w.u32(OT_OFF(T, dwNumEntries), o.activity_list().num_entries());
      write_list(
          w, OT_PAIR(T, List), o.activity_list().entries(), sizeof(E),
          [](VarStructWriter& x, std::uint32_t at, const agent::ActivityEntry& e) {
            x.u32(at + OT_OFF(E, dwID), e.id());
          },
          [](const agent::ActivityEntry& e) { return opt(e.has_name(), e.name()); }, OT_PAIR(E, Name));
      break;
    }
    case OutputKind::kQueueList: {
      using T = LINEQUEUELIST;
      using E = LINEQUEUEENTRY;
      w.u32(OT_OFF(T, dwNumEntries), o.queue_list().num_entries());
      write_list(
          w, OT_PAIR(T, List), o.queue_list().entries(), sizeof(E),
          [](VarStructWriter& x, std::uint32_t at, const agent::QueueEntry& e) {
            x.u32(at + OT_OFF(E, dwQueueID), e.queue_id());
          },
          [](const agent::QueueEntry& e) { return opt(e.has_name(), e.name()); }, OT_PAIR(E, Name));
      break;
    }
    case OutputKind::kAgentCaps: {
      using T = LINEAGENTCAPS;
      const auto& c = o.agent_caps();
      w.u32(OT_OFF(T, dwCapsVersion), c.caps_version());
      w.u32(OT_OFF(T, dwFeatures), c.features());
      w.u32(OT_OFF(T, dwStates), c.states());
      w.u32(OT_OFF(T, dwNextStates), c.next_states());
      w.u32(OT_OFF(T, dwMaxNumGroupEntries), c.max_num_group_entries());
      w.u32(OT_OFF(T, dwAgentStatusMessages), c.agent_status_messages());
      w.u32(OT_OFF(T, dwNumAgentExtensionIDs), c.num_extension_ids());
      // A caller below 2.2 has no ProxyGUID: its variable part starts there.
      if (!c.proxy_guid().empty() && fixed >= OT_OFF(T, ProxyGUID) + kGuidBytes) {
        w.bytes(OT_OFF(T, ProxyGUID), c.proxy_guid().data(), kGuidBytes);
      }
      write_list(
          w, OT_PAIR(T, AgentExtensionIDList), c.extension_ids(), sizeof(LINEEXTENSIONID),
          [](VarStructWriter& x, std::uint32_t at, const std::string& id) {
            x.bytes(at, id.data(), sizeof(LINEEXTENSIONID));
          },
          no_name<std::string>, Pair{});
      w.optional_string(OT_PAIR(T, AgentHandlerInfo), opt(c.has_handler_info(), c.handler_info()));
      break;
    }
    case OutputKind::kAgentStatus: {
      using T = LINEAGENTSTATUS;
      const auto& s = o.agent_status();
      w.u32(OT_OFF(T, dwNumEntries), s.num_entries());
      w.u32(OT_OFF(T, dwState), s.state());
      w.u32(OT_OFF(T, dwNextState), s.next_state());
      w.u32(OT_OFF(T, dwActivityID), s.activity_id());
      w.u32(OT_OFF(T, dwAgentFeatures), s.agent_features());
      w.u32(OT_OFF(T, dwValidStates), s.valid_states());
      w.u32(OT_OFF(T, dwValidNextStates), s.valid_next_states());
      write_group_array(w, OT_PAIR(T, GroupList), s.groups());
      w.optional_string(OT_PAIR(T, Activity), opt(s.has_activity(), s.activity()));
      break;
    }
    default:
      return false;
  }
  // dwNeededSize across character sets (docs/tapi2.md): exact when the proxy
  // returned everything, else what we have plus the proxy's missing bytes,
  // scaled by 4 when they grow from UTF-8 to wchar_t.
  if (o.missing_bytes() != 0) {
    const std::uint64_t factor = (!o.proxy_wide() && charset == Charset::kWide) ? 4 : 1;
    w.need(std::uint64_t{o.missing_bytes()} * factor);
  }
  w.finish();
  return true;
}

LONG read_group_ids(const LINEAGENTGROUPLIST* list, AgentCall* call) {
  using T = LINEAGENTGROUPLIST;
  using E = LINEAGENTGROUPENTRY;
  call->clear_groups();
  if (list == nullptr) return 0;
  // The caller's list, bounded by its own dwTotalSize; the names are not read
  // (§3.2), so the charset does not matter.
  auto r = VarStructReader::passed_in(list, sizeof(T), sizeof(T), Charset::kAnsi);
  if (!r) return LINEERR_INVALPARAM;
  const std::uint32_t n = r->u32(OT_OFF(T, dwNumEntries));
  if (n == 0) return 0;
  if (std::uint64_t{n} * sizeof(E) > kMaxOutputRoom) return LINEERR_INVALPARAM;
  // dwListSize may be larger than the entries (a list from
  // lineGetAgentGroupList with dwNumEntries lowered), never smaller.
  const Array a = r->array(OT_PAIR(T, List), n, sizeof(E));
  if (!a.placed()) return LINEERR_INVALPARAM;
  for (std::uint32_t i = 0; i < n; ++i)
    call->add_groups()->set_group_id(read_guid(*r, a.element(i) + OT_OFF(E, GroupID)));
  return 0;
}

LONG read_proxy_request_types(const LINECALLPARAMS* params, std::vector<std::uint32_t>* types) {
  using T = LINECALLPARAMS;
  types->clear();
  if (params == nullptr) return LINEERR_INVALPARAM;
  // Only the TAPI 1.4 part up to dwDevSpecificOffset is required (§5.9); the
  // array may sit anywhere inside dwTotalSize.
  auto r = VarStructReader::passed_in(params, OT_OFF(T, dwDevSpecificOffset) + 4, 0, Charset::kAnsi);
  if (!r) return LINEERR_STRUCTURETOOSMALL;
  const std::span<const unsigned char> array = r->data(OT_PAIR(T, DevSpecific));
  if (array.empty() || array.size() % 4 != 0) return LINEERR_INVALPARAM;
  for (std::size_t at = 0; at < array.size(); at += 4) {
    const std::uint32_t t = decode_fixed32(array.data() + at);
    if (t < LINEPROXYREQUEST_SETAGENTGROUP || t > LINEPROXYREQUEST_SETAGENTSTATEEX) return LINEERR_INVALPARAM;
    types->push_back(t);
  }
  return 0;
}

}  // namespace opentapi::tapi2
