// What the C API functions of tapi.h share: export marking, handle lookups
// with their LINEERR_ codes, argument checks, and the one way an agent
// function starts its request. Each function in api_*.cpp is a thin layer:
// check the arguments (synchronously, before anything is sent), encode an
// AgentCall, hand it to client::Application with a sink that writes the
// output on success.
#ifndef OPENTAPI_TAPI2_API_COMMON_H_
#define OPENTAPI_TAPI2_API_COMMON_H_

#include <cstdint>
#include <memory>

#include "agent_payload.pb.h"
#include "client/application.h"
#include "tapi.h"
#include "tapi2/agent_codec.h"
#include "tapi2/c_edge.h"

// Definitions of the exported C functions (libopentapi is built with hidden
// visibility; libopentapi.map lists line* and opentapi_*). Every one runs its
// body inside c_call (tapi2/c_edge.h): no exception crosses the C API.
#define OPENTAPI_EXPORT extern "C" __attribute__((visibility("default")))

namespace opentapi::tapi2 {

// An open line and its application.
struct LineTarget {
  std::shared_ptr<client::Application> app;
  client::LineInfo line;
};

// A live call handle, its application and the API version of its line (which
// decides the layout of the call's structures).
struct CallTarget {
  std::shared_ptr<client::Application> app;
  client::CallHandle call;
  std::uint32_t api_version = 0;
};

// LINEERR_UNINITIALIZED when no application exists in the process, else 0.
LONG any_application();

// LINEERR_UNINITIALIZED when no application exists, LINEERR_INVALCALLHANDLE
// for a handle that is not a live call handle (unknown, deallocated, its
// line closed, its application shut down), else 0 and *target.
LONG find_call(HCALL hcall, CallTarget* target);

// A synchronous request: the transport's LINEERR_ (connection lost, shut
// down) or Result.result(); *result holds the answer.
LONG call_server(client::Application& app, wire::ClientToServer& msg, wire::Result* result);

// LINEERR_UNINITIALIZED when no application exists in the process, else
// LINEERR_INVALAPPHANDLE for an unknown handle, else 0 and *app.
LONG find_application(HLINEAPP happ, std::shared_ptr<client::Application>* app);

// LINEERR_UNINITIALIZED when no application exists, LINEERR_INVALLINEHANDLE
// for a handle that is not an open line, else 0 and *target.
LONG find_line(HLINE hline, LineTarget* target);

// The state arguments of lineSetAgentSessionState / lineSetAgentStateEx:
// both 0 -> LINEERR_INVALPARAM; a non-zero value that is not exactly one bit
// of `valid_bits` -> LINEERR_INVALAGENTSTATE.
LONG check_state_pair(DWORD state, DWORD next_state, DWORD valid_bits);

// An output structure argument: NULL -> `null_code` (LINEERR_INVALPOINTER for
// the functions that list it, else LINEERR_INVALPARAM); dwTotalSize below
// the fixed part -> LINEERR_STRUCTURETOOSMALL. Returns 0 and *total_size.
// `fixed` overrides the fixed part (LINEAGENTCAPS of a caller below 2.2).
LONG check_output(const void* structure, OutputKind kind, LONG null_code, std::uint32_t* total_size,
                  std::uint32_t fixed = 0);

// Starts an agent request on `target`'s line (hline 0 and `device_id` for
// GETAGENTCAPS). Returns the request id or a LINEERR_.
LONG start_agent_request(const std::shared_ptr<client::Application>& app, std::uint32_t server_hline,
                         std::uint32_t device_id, std::uint32_t request_type, std::uint32_t app_api_version,
                         const agent::AgentCall& call, std::uint32_t output_size, client::OutputSink sink);

// Sinks writing a successful reply's output into caller memory.
client::OutputSink structure_sink(OutputKind kind, void* structure, std::uint32_t total_size, Charset charset,
                                  std::uint32_t caller_fixed_size = 0);
client::OutputSink handle_sink(DWORD* handle);
client::OutputSink params_sink(void* params, std::uint32_t size);

// The messages a proxy may generate with lineProxyMessage (docs/reference/tapi2-agent.md
// §3.3 [DECIDE]; the same list opentapid enforces).
bool proxy_message_allowed(DWORD msg);

// Builds the LINEPROXYREQUEST for a delivery (the proxy side of the codec).
std::optional<client::ProxyRequestBuffer> build_delivery(const wire::ProxyRequestDelivery& delivery, bool wide);

// Caller strings -> UTF-8 for the payload. nullopt for NULL; *ok = false for
// malformed text (-> LINEERR_INVALPARAM).
std::optional<std::string> utf8_arg(const char* s, bool* ok);
std::optional<std::string> utf8_arg(const wchar_t* s, bool* ok);

}  // namespace opentapi::tapi2

#endif  // OPENTAPI_TAPI2_API_COMMON_H_
