// Identifiers of call-center objects.
//
// Handles are the 32-bit values TAPI 2 carries (HAGENT, HAGENTSESSION, queue
// and address IDs — docs/reference/tapi2-agent.md §1.1); the ACD proxy chooses them and keeps
// them unique, the core only stores them. A CallId is whatever the ACD uses to
// name a call it routes (e.g. its HCALL); the core never interprets it.
#ifndef OPENTAPI_CORE_IDS_H_
#define OPENTAPI_CORE_IDS_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>

namespace opentapi::core {

using AgentHandle = std::uint32_t;    // HAGENT
using SessionHandle = std::uint32_t;  // HAGENTSESSION
using QueueId = std::uint32_t;        // dwQueueID
using AddressId = std::uint32_t;      // dwAddressID / dwWorkingAddressID
using ActivityId = std::uint32_t;     // dwActivityID (lineSetAgentActivity)
using CallId = std::uint64_t;

// The 128-bit ACD group ID (docs/reference/tapi3-callcenter.md §3.5): the 16 bytes of a GUID
// in memory order, byte-identical to LINEAGENTGROUPENTRY.GroupID.dwGroupID1..4.
struct GroupId {
  std::array<std::uint8_t, 16> bytes{};

  bool is_nil() const noexcept;

  // "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", reading Data1..Data3 as
  // little-endian as a Windows GUID is laid out in memory. For logs.
  std::string to_string() const;

  friend auto operator<=>(const GroupId&, const GroupId&) = default;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_IDS_H_
