// The PBX extension of the virtual ACD: how an external PBX adapter reports
// real calls (queued, answered, ended, abandoned) and learns where the ACD
// routed them, through the public API only (docs/acd.md "PBX extension").
//
//   * LINEAGENTCAPS lists one agent extension, kPbxExtensionId, at index 0.
//   * The adapter calls lineAgentSpecific(hLine, 0, 0, &params, sizeof params)
//     on any served line with an OPENTAPI_ACD_PBX_PARAMS block; the ACD
//     answers in LINE_REPLY (0 or a LINEERR) and, for QUERY, fills the out
//     fields of the block, which libopentapi copies back.
//   * When the ACD delivers a PBX call to a session it announces
//     LINE_AGENTSPECIFIC(dwParam1 = 0 (the extension index), dwParam2 = the
//     PBX's call id, dwParam3 = the session handle) on the first served line;
//     QUERY then gives the session's line device and address.
//   * Only OS users listed in [acd] supervisors or pbx_users may use it; for
//     anyone else every operation fails with LINEERR_INVALPARAM.
//
// The block is plain little-endian DWORDs, so an adapter in C can use the
// struct below as is.
#ifndef OPENTAPI_ACD_PBX_EXTENSION_H_
#define OPENTAPI_ACD_PBX_EXTENSION_H_

#include <array>
#include <cstdint>

#include "acd/call_center.h"

namespace opentapi::acd {

// {dwExtensionID0..3} of the PBX extension ("opentapi ACD PBX", version 1).
inline constexpr std::array<std::uint32_t, 4> kPbxExtensionId = {0x6E65706Fu, 0x69706174u, 0x50444341u, 0x00015842u};

enum PbxOperation : std::uint32_t {
  kPbxQueued = 1,     // in: call_id, queue_id — a call enters a queue
  kPbxAnswered = 2,   // in: call_id — the agent answered the delivered call
  kPbxEnded = 3,      // in: call_id — the call is over (any phase)
  kPbxAbandoned = 4,  // in: call_id — the caller hung up while waiting or ringing
  kPbxQuery = 5,      // in: call_id; out: session, phase, device, address
};

// lineAgentSpecific params, 32 bytes.
struct OPENTAPI_ACD_PBX_PARAMS {
  std::uint32_t dwVersion;    // 1
  std::uint32_t dwOperation;  // PbxOperation
  std::uint32_t dwCallID;     // the PBX's id of the call, non-zero, unique while the call lasts
  std::uint32_t dwQueueID;    // QUEUED: the queue the call enters
  std::uint32_t dwSession;    // out (QUERY): HAGENTSESSION it was delivered to; 0 while queued
  std::uint32_t dwPhase;      // out (QUERY): 1 queued, 2 ringing, 3 talking, 4 left by the agent
  std::uint32_t dwDevice;     // out (QUERY): line device of the session's address
  std::uint32_t dwAddressID;  // out (QUERY): the session's address on that line
};
static_assert(sizeof(OPENTAPI_ACD_PBX_PARAMS) == 32);

inline constexpr std::uint32_t kPbxParamsVersion = 1;

// Handles one lineAgentSpecific request: `params`/`size` is the block inside
// the LINEPROXYREQUEST (read and written in place). Errors: kInvalParam
// (extension index other than 0, block too small or of another version,
// unknown operation or call, call id 0 or in use, actor not allowed),
// kStructureTooSmall is never used (the block size is the caller's).
Status handle_pbx_request(CallCenter& acd, const Actor& actor, std::uint32_t extension_index, unsigned char* params,
                          std::uint32_t size, TimePoint now);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_PBX_EXTENSION_H_
