// The TAPI structures the virtual ACD fills and reads inside a
// LINEPROXYREQUEST (docs/reference/tapi2-agent.md §1.4, §5).
//
// Output structures are written into the room the server gave them (their
// dwTotalSize, already set in the buffer) with the layout library's writer
// (layout/var_struct.h), so they follow the variable-size rules of
// docs/tapi2.md exactly as libopentapi applies them when it copies them to
// the caller. As there: lists (binary arrays) come before strings, offsets
// in list elements are relative to the list structure (or to the
// LINEAGENTSTATUS that holds the group array), and dwNumEntries (and
// dwNumAgentExtensionIDs) always give the real count.
// Strings are written in the character set of the line the request came on:
// UTF-8 for an A-opened line, wchar_t (UTF-32) for a W-opened one.
#ifndef OPENTAPI_ACD_STRUCTURES_H_
#define OPENTAPI_ACD_STRUCTURES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acd/call_center.h"
#include "core/address_agent.h"
#include "core/agent.h"
#include "core/queue.h"
#include "core/session.h"
#include "layout/text.h"

namespace opentapi::acd {

using Charset = layout::Charset;

// A structure inside a request buffer: where it starts and how many bytes it
// may use (its dwTotalSize, clipped to the buffer).
struct OutputArea {
  unsigned char* base = nullptr;
  std::uint32_t room = 0;
};

// What lineGetAgentCaps reports besides the constants.
struct AgentCapsData {
  std::string handler_info;        // "opentapi virtual ACD 0.1.0"
  std::uint32_t caps_version = 0;  // ≤ the client's API version
  std::uint32_t max_group_entries = 0;
  std::vector<std::array<std::uint32_t, 4>> extension_ids;
  std::array<std::uint8_t, 16> proxy_guid{};
  bool include_proxy_guid = true;  // only for clients that negotiated ≥ 2.2
};

// Each returns false, writing nothing but dwNeededSize, when the room is
// smaller than the fixed part (the caller answers LINEERR_STRUCTURETOOSMALL
// where the function lists it).
bool fill_session_info(OutputArea out, const core::AgentSessionInfo& info);
bool fill_agent_info(OutputArea out, const core::AgentInfo& info);
bool fill_queue_info(OutputArea out, const core::QueueInfo& info);
bool fill_session_list(OutputArea out, const std::vector<SessionListEntry>& sessions);
bool fill_group_list(OutputArea out, const std::vector<GroupEntry>& groups, Charset charset);
bool fill_queue_list(OutputArea out, const std::vector<NamedEntry>& queues, Charset charset);
bool fill_activity_list(OutputArea out, const std::vector<NamedEntry>& activities, Charset charset);
bool fill_agent_caps(OutputArea out, const AgentCapsData& caps, Charset charset);
// `groups` are the groups of status.groups with their names.
bool fill_agent_status(OutputArea out, const core::AddressAgentStatus& status, const std::vector<GroupEntry>& groups,
                       const std::string& activity, Charset charset);

// Text ↔ the bytes of a string in a TAPI structure (NUL included), with the
// layout library's rules (layout/text.h).
std::string encode_text(std::string_view utf8, Charset charset);
// The string of `size` bytes at `offset` inside [base, base + limit): UTF-8.
// nullopt when it lies outside the limit, lacks its NUL, is not a whole
// number of characters, or is malformed; characters after the first NUL are
// ignored. size 0 → "" (absent).
std::optional<std::string> decode_text(const unsigned char* base, std::uint64_t limit, std::uint32_t size,
                                       std::uint32_t offset, Charset charset);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_STRUCTURES_H_
