// Turns the bytes of a LINEPROXYREQUEST into a typed request: one struct per
// LINEPROXYREQUEST_* type, holding the values the request carries and where
// its answer goes (an output structure, a handle, the PBX parameter block),
// and nothing of the byte layout. request_handler.h decides what to do with
// it; this file alone knows the offsets (docs/acd.md "Request handling and
// error codes").
//
// The bytes are the client's: every offset and size in them is checked
// against the buffer. A request that cannot be read (a string outside the
// buffer or without its NUL, a group list outside its structure, a request
// shorter than its fixed part, an unknown type) becomes a RejectedRequest
// with the error the client gets; the ACD makes no change for it.
//
// Output places (OutputArea, HandleSlot, AgentSpecificRequest::params) point
// into the buffer that was parsed: they are valid while it is.
#ifndef OPENTAPI_ACD_PROXY_REQUEST_PARSER_H_
#define OPENTAPI_ACD_PROXY_REQUEST_PARSER_H_

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "acd/structures.h"
#include "core/status.h"
#include "tapi.h"

namespace opentapi::acd {

// Where the handler writes the handle it chose (hAgent, hAgentSession).
// Empty when the buffer has no room for it; set() then writes nothing.
class HandleSlot {
 public:
  HandleSlot() = default;
  explicit HandleSlot(unsigned char* at) : at_(at) {}
  void set(std::uint32_t handle) const;

 private:
  unsigned char* at_ = nullptr;
};

// --- TAPI 2.0 agent on an address ----------------------------------------------
struct SetAgentGroupRequest {
  std::uint32_t address_id = 0;
  std::vector<core::GroupId> groups;
};
struct SetAgentStateRequest {
  std::uint32_t address_id = 0;
  std::uint32_t agent_state = 0;
  std::uint32_t next_agent_state = 0;
};
struct SetAgentActivityRequest {
  std::uint32_t address_id = 0;
  std::uint32_t activity_id = 0;
};
struct GetAgentCapsRequest {
  std::uint32_t address_id = 0;
  OutputArea caps;  // LINEAGENTCAPS
};
struct GetAgentStatusRequest {
  std::uint32_t address_id = 0;
  OutputArea status;  // LINEAGENTSTATUS
};
struct AgentSpecificRequest {
  std::uint32_t address_id = 0;
  std::uint32_t extension_index = 0;
  std::span<unsigned char> params;  // read and written in place
};
struct GetAgentActivityListRequest {
  std::uint32_t address_id = 0;
  OutputArea list;  // LINEAGENTACTIVITYLIST
};
struct GetAgentGroupListRequest {
  std::uint32_t address_id = 0;
  OutputArea list;  // LINEAGENTGROUPLIST
};

// --- TAPI 2.2 agents, sessions, queues and groups ----------------------------------
struct CreateAgentRequest {
  std::string agent_id;  // UTF-8; "" = the client user's own agent
  std::string pin;
  HandleSlot agent;  // hAgent
};
struct SetAgentMeasurementPeriodRequest {
  std::uint32_t agent = 0;
  std::uint32_t seconds = 0;
};
struct GetAgentInfoRequest {
  std::uint32_t agent = 0;
  OutputArea info;  // LINEAGENTINFO
};
struct CreateAgentSessionRequest {
  std::uint32_t agent = 0;
  std::string pin;
  std::uint32_t working_address_id = 0;
  core::GroupId group;
  HandleSlot session;  // hAgentSession
};
struct GetAgentSessionListRequest {
  std::uint32_t agent = 0;
  OutputArea list;  // LINEAGENTSESSIONLIST
};
struct SetAgentSessionStateRequest {
  std::uint32_t session = 0;
  std::uint32_t state = 0;
  std::uint32_t next_state = 0;
};
struct GetAgentSessionInfoRequest {
  std::uint32_t session = 0;
  OutputArea info;  // LINEAGENTSESSIONINFO
};
struct GetQueueListRequest {
  core::GroupId group;
  OutputArea list;  // LINEQUEUELIST
};
struct SetQueueMeasurementPeriodRequest {
  std::uint32_t queue = 0;
  std::uint32_t seconds = 0;
};
struct GetQueueInfoRequest {
  std::uint32_t queue = 0;
  OutputArea info;  // LINEQUEUEINFO
};
struct GetGroupListRequest {
  OutputArea list;  // LINEAGENTGROUPLIST
};
struct SetAgentStateExRequest {
  std::uint32_t agent = 0;
  std::uint32_t state = 0;
  std::uint32_t next_state = 0;
};

// A request that cannot be read, or of an unknown type: `error` is the
// answer (kInvalParam, or kOperationUnavail for an unknown type).
struct RejectedRequest {
  core::Status error;
};

using ProxyRequestBody =
    std::variant<RejectedRequest, SetAgentGroupRequest, SetAgentStateRequest, SetAgentActivityRequest,
                 GetAgentCapsRequest, GetAgentStatusRequest, AgentSpecificRequest, GetAgentActivityListRequest,
                 GetAgentGroupListRequest, CreateAgentRequest, SetAgentMeasurementPeriodRequest, GetAgentInfoRequest,
                 CreateAgentSessionRequest, GetAgentSessionListRequest, SetAgentSessionStateRequest,
                 GetAgentSessionInfoRequest, GetQueueListRequest, SetQueueMeasurementPeriodRequest, GetQueueInfoRequest,
                 GetGroupListRequest, SetAgentStateExRequest>;

struct ProxyRequest {
  std::uint32_t type = 0;                // dwRequestType (LINEPROXYREQUEST_*), also when rejected
  std::string user;                      // dwClientUserName in UTF-8; "" when absent or malformed
  std::uint32_t client_api_version = 0;  // dwClientAppAPIVersion
  // The character set of the strings in the request and of those the
  // answer writes: that of the line (the ACD opens every line with lineOpenW).
  Charset charset = Charset::kWide;
  ProxyRequestBody body;
};

// The LINECALLPARAMS with which the ACD opens each line as proxy: it
// registers for every request type this parser reads (all 20).
std::vector<unsigned char> proxy_open_call_params();

// The bytes of `request` as the server allocated them (dwSize of them).
std::span<unsigned char> proxy_request_bytes(LPLINEPROXYREQUEST request);

// Reads the request in `bytes`: nothing outside them is read, and every
// output place lies inside them. Never fails: what cannot be read is a
// RejectedRequest. Fields beyond the end of a short buffer read as 0.
// `charset` is that of the proxy line the request came on (its strings and
// embedded structures are in it).
ProxyRequest parse_proxy_request(std::span<unsigned char> bytes, Charset charset);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_PROXY_REQUEST_PARSER_H_
