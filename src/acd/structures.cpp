#include "acd/structures.h"

#include <cstddef>

#include "layout/var_struct.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using layout::Array;
using layout::Pair;
using layout::VarStructWriter;

// Begins an output structure in its room (layout/var_struct.h: a room below
// the fixed part gets dwNeededSize = the fixed size and nothing else).
std::optional<VarStructWriter> begin(OutputArea out, std::uint32_t fixed, Charset charset = Charset::kWide) {
  return VarStructWriter::begin(out.base, out.room, fixed, charset);
}

// A LINEAGENTGROUPENTRY array at `pair`, each entry with its name.
void write_groups(VarStructWriter& w, Pair pair, const std::vector<GroupEntry>& groups) {
  using E = LINEAGENTGROUPENTRY;
  const Array a = w.array(pair, static_cast<std::uint32_t>(groups.size()), sizeof(E));
  for (std::uint32_t i = 0; i < a.count; ++i) {
    if (a.placed()) w.bytes(a.element(i) + OT_OFF(E, GroupID), groups[i].id.bytes.data(), groups[i].id.bytes.size());
    w.element_string(a, i, OT_PAIR(E, Name), groups[i].name);
  }
}

}  // namespace

std::string encode_text(std::string_view utf8, Charset charset) {
  std::string out(layout::encoded_size(utf8, charset), '\0');
  layout::encode_string(utf8, charset, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::optional<std::string> decode_text(const unsigned char* base, std::uint64_t limit, std::uint32_t size,
                                       std::uint32_t offset, Charset charset) {
  if (size == 0) return std::string();
  if (std::uint64_t{offset} + size > limit) return std::nullopt;
  return layout::decode_string(base + offset, size, charset);
}

bool fill_session_info(OutputArea out, const core::AgentSessionInfo& i) {
  using T = LINEAGENTSESSIONINFO;
  auto w = begin(out, sizeof(T));
  if (!w) return false;
  w->u32(OT_OFF(T, dwAgentSessionState), i.agent_session_state);
  w->u32(OT_OFF(T, dwNextAgentSessionState), i.next_agent_session_state);
  w->value(OT_OFF(T, dateSessionStartTime), i.session_start_time);
  w->u32(OT_OFF(T, dwSessionDuration), i.session_duration);
  w->u32(OT_OFF(T, dwNumberOfCalls), i.number_of_calls);
  w->u32(OT_OFF(T, dwTotalTalkTime), i.total_talk_time);
  w->u32(OT_OFF(T, dwAverageTalkTime), i.average_talk_time);
  w->u32(OT_OFF(T, dwTotalCallTime), i.total_call_time);
  w->u32(OT_OFF(T, dwAverageCallTime), i.average_call_time);
  w->u32(OT_OFF(T, dwTotalWrapUpTime), i.total_wrap_up_time);
  w->u32(OT_OFF(T, dwAverageWrapUpTime), i.average_wrap_up_time);
  w->value(OT_OFF(T, cyACDCallRate), i.acd_call_rate);
  w->u32(OT_OFF(T, dwLongestTimeToAnswer), i.longest_time_to_answer);
  w->u32(OT_OFF(T, dwAverageTimeToAnswer), i.average_time_to_answer);
  w->finish();
  return true;
}

bool fill_agent_info(OutputArea out, const core::AgentInfo& i) {
  using T = LINEAGENTINFO;
  auto w = begin(out, sizeof(T));
  if (!w) return false;
  w->u32(OT_OFF(T, dwAgentState), i.agent_state);
  w->u32(OT_OFF(T, dwNextAgentState), i.next_agent_state);
  w->u32(OT_OFF(T, dwMeasurementPeriod), i.measurement_period);
  w->value(OT_OFF(T, cyOverallCallRate), i.overall_call_rate);
  w->u32(OT_OFF(T, dwNumberOfACDCalls), i.number_of_acd_calls);
  w->u32(OT_OFF(T, dwNumberOfIncomingCalls), i.number_of_incoming_calls);
  w->u32(OT_OFF(T, dwNumberOfOutgoingCalls), i.number_of_outgoing_calls);
  w->u32(OT_OFF(T, dwTotalACDTalkTime), i.total_acd_talk_time);
  w->u32(OT_OFF(T, dwTotalACDCallTime), i.total_acd_call_time);
  w->u32(OT_OFF(T, dwTotalACDWrapUpTime), i.total_acd_wrap_up_time);
  w->finish();
  return true;
}

bool fill_queue_info(OutputArea out, const core::QueueInfo& i) {
  using T = LINEQUEUEINFO;
  auto w = begin(out, sizeof(T));
  if (!w) return false;
  w->u32(OT_OFF(T, dwMeasurementPeriod), i.measurement_period);
  w->u32(OT_OFF(T, dwTotalCallsQueued), i.total_calls_queued);
  w->u32(OT_OFF(T, dwCurrentCallsQueued), i.current_calls_queued);
  w->u32(OT_OFF(T, dwTotalCallsAbandoned), i.total_calls_abandoned);
  w->u32(OT_OFF(T, dwTotalCallsFlowedIn), i.total_calls_flowed_in);
  w->u32(OT_OFF(T, dwTotalCallsFlowedOut), i.total_calls_flowed_out);
  w->u32(OT_OFF(T, dwLongestEverWaitTime), i.longest_ever_wait_time);
  w->u32(OT_OFF(T, dwCurrentLongestWaitTime), i.current_longest_wait_time);
  w->u32(OT_OFF(T, dwAverageWaitTime), i.average_wait_time);
  w->u32(OT_OFF(T, dwFinalDisposition), i.final_disposition);
  w->finish();
  return true;
}

bool fill_session_list(OutputArea out, const std::vector<SessionListEntry>& sessions) {
  using T = LINEAGENTSESSIONLIST;
  using E = LINEAGENTSESSIONENTRY;
  auto w = begin(out, sizeof(T));
  if (!w) return false;
  w->u32(OT_OFF(T, dwNumEntries), static_cast<std::uint32_t>(sessions.size()));
  const Array a = w->array(OT_PAIR(T, List), static_cast<std::uint32_t>(sessions.size()), sizeof(E));
  for (std::uint32_t i = 0; a.placed() && i < a.count; ++i) {
    const SessionListEntry& s = sessions[i];
    w->u32(a.element(i) + OT_OFF(E, hAgentSession), s.session);
    w->u32(a.element(i) + OT_OFF(E, hAgent), s.agent);
    w->bytes(a.element(i) + OT_OFF(E, GroupID), s.group.bytes.data(), s.group.bytes.size());
    w->u32(a.element(i) + OT_OFF(E, dwWorkingAddressID), s.address);
  }
  w->finish();
  return true;
}

bool fill_group_list(OutputArea out, const std::vector<GroupEntry>& groups, Charset charset) {
  using T = LINEAGENTGROUPLIST;
  auto w = begin(out, sizeof(T), charset);
  if (!w) return false;
  w->u32(OT_OFF(T, dwNumEntries), static_cast<std::uint32_t>(groups.size()));
  write_groups(*w, OT_PAIR(T, List), groups);
  w->finish();
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
  auto w = begin(out, sizeof(T), charset);
  if (!w) return false;
  w->u32(OT_OFF(T, dwNumEntries), static_cast<std::uint32_t>(entries.size()));
  const Array a = w->array(OT_PAIR(T, List), static_cast<std::uint32_t>(entries.size()), sizeof(E));
  for (std::uint32_t i = 0; i < a.count; ++i) {
    if (a.placed()) w->u32(a.element(i) + OT_OFF(E, dwQueueID), entries[i].id);
    w->element_string(a, i, OT_PAIR(E, Name), entries[i].name);
  }
  w->finish();
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
  auto w = begin(out, sizeof(T), charset);
  if (!w) return false;
  w->u32(OT_OFF(T, dwCapsVersion), caps.caps_version);
  w->u32(OT_OFF(T, dwFeatures), LINEAGENTFEATURE_SETAGENTGROUP | LINEAGENTFEATURE_SETAGENTSTATE |
                                    LINEAGENTFEATURE_SETAGENTACTIVITY | LINEAGENTFEATURE_AGENTSPECIFIC |
                                    LINEAGENTFEATURE_GETAGENTACTIVITYLIST | LINEAGENTFEATURE_GETAGENTGROUP);
  // The states core::AddressAgent lets an application request (docs/reference/flows.md §4.4).
  const std::uint32_t settable = LINEAGENTSTATE_NOTREADY | LINEAGENTSTATE_READY | LINEAGENTSTATE_WORKINGAFTERCALL;
  w->u32(OT_OFF(T, dwStates), settable);
  w->u32(OT_OFF(T, dwNextStates), settable);
  w->u32(OT_OFF(T, dwMaxNumGroupEntries), caps.max_group_entries);
  w->u32(OT_OFF(T, dwAgentStatusMessages), LINEAGENTSTATUS_GROUP | LINEAGENTSTATUS_STATE | LINEAGENTSTATUS_NEXTSTATE |
                                               LINEAGENTSTATUS_ACTIVITY | LINEAGENTSTATUS_VALIDSTATES |
                                               LINEAGENTSTATUS_VALIDNEXTSTATES);
  w->u32(OT_OFF(T, dwNumAgentExtensionIDs), static_cast<std::uint32_t>(caps.extension_ids.size()));
  if (caps.include_proxy_guid) w->bytes(OT_OFF(T, ProxyGUID), caps.proxy_guid.data(), caps.proxy_guid.size());
  const Array ids = w->array(OT_PAIR(T, AgentExtensionIDList), static_cast<std::uint32_t>(caps.extension_ids.size()),
                             sizeof(LINEEXTENSIONID));
  for (std::uint32_t i = 0; ids.placed() && i < ids.count; ++i) w->value(ids.element(i), caps.extension_ids[i]);
  w->string(OT_PAIR(T, AgentHandlerInfo), caps.handler_info);
  w->finish();
  return true;
}

bool fill_agent_status(OutputArea out, const core::AddressAgentStatus& s, const std::vector<GroupEntry>& groups,
                       const std::string& activity, Charset charset) {
  using T = LINEAGENTSTATUS;
  auto w = begin(out, sizeof(T), charset);
  if (!w) return false;
  w->u32(OT_OFF(T, dwNumEntries), static_cast<std::uint32_t>(s.groups.size()));
  w->u32(OT_OFF(T, dwState), s.state);
  w->u32(OT_OFF(T, dwNextState), s.next_state);
  w->u32(OT_OFF(T, dwActivityID), s.activity_id);
  w->u32(OT_OFF(T, dwAgentFeatures), s.agent_features | LINEAGENTFEATURE_AGENTSPECIFIC);
  w->u32(OT_OFF(T, dwValidStates), s.valid_states);
  w->u32(OT_OFF(T, dwValidNextStates), s.valid_next_states);
  std::vector<GroupEntry> named;
  for (const core::GroupId& id : s.groups) {
    GroupEntry& e = named.emplace_back(GroupEntry{id, {}});
    for (const GroupEntry& g : groups) {
      if (g.id == id) e.name = g.name;
    }
  }
  write_groups(*w, OT_PAIR(T, GroupList), named);
  if (!activity.empty()) w->string(OT_PAIR(T, Activity), activity);
  w->finish();
  return true;
}

}  // namespace opentapi::acd
