// The payload and structure codecs of the agent functions: pure functions
// between the C structures of tapi.h and the structured data of
// agent_payload.proto. No I/O, no state; every function is safe to call from
// any thread.
//
//   client library                      proxy library
//   lineGetAgentStatusW(...)
//     -> AgentCall (payload) ----------> build_proxy_request()  (a)
//                                          -> LINEPROXYREQUEST for the proxy
//                                       proxy fills it, lineProxyResponse()
//                                        parse_proxy_output()   (b)
//     write_caller_output() (c) <------- AgentOutput (output)
//
// Structures are written and read with the layout library
// (layout/var_struct.h), which applies the variable-size rules of
// docs/tapi2.md ("Variable-size structures"); what is particular to this
// codec:
//  - lists (binary arrays) are written before strings, so wide strings stay
//    4-byte aligned;
//  - offsets inside list elements are relative to the enclosing list (or to
//    the LINEAGENTSTATUS that holds the group array);
//  - dwNumEntries (and dwNumAgentExtensionIDs) always give the real count,
//    even when the array did not fit (dwListSize/dwListOffset are then 0);
//  - dwNeededSize of a caller's structure: see docs/tapi2.md ("dwNeededSize
//    across character sets").
#ifndef OPENTAPI_TAPI2_AGENT_CODEC_H_
#define OPENTAPI_TAPI2_AGENT_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent_payload.pb.h"
#include "client/proxy_request_buffer.h"
#include "tapi.h"
#include "tapi2/charset.h"

namespace opentapi::tapi2 {

// The output structures the agent functions fill.
enum class OutputKind {
  kNone,          // no output (the Set... functions)
  kHandle,        // CREATEAGENT / CREATEAGENTSESSION: a HAGENT / HAGENTSESSION
  kParams,        // AGENTSPECIFIC: the in/out block
  kSessionInfo,   // LINEAGENTSESSIONINFO
  kAgentInfo,     // LINEAGENTINFO
  kQueueInfo,     // LINEQUEUEINFO
  kSessionList,   // LINEAGENTSESSIONLIST
  kGroupList,     // LINEAGENTGROUPLIST
  kActivityList,  // LINEAGENTACTIVITYLIST
  kQueueList,     // LINEQUEUELIST
  kAgentCaps,     // LINEAGENTCAPS
  kAgentStatus,   // LINEAGENTSTATUS
};

// What `request_type` (LINEPROXYREQUEST_*) returns; nullopt outside 1..0x14.
std::optional<OutputKind> output_kind(std::uint32_t request_type);

// Fixed size of a structure kind (sizeof(LINEAGENTCAPS), ...); 0 for kNone,
// kHandle and kParams.
std::uint32_t fixed_size(OutputKind kind);

// The fixed size of LINEAGENTCAPS for an application of `app_api_version`:
// ProxyGUID is a TAPI 2.2 member, so a 2.0 or 2.1 application's structure
// ends before it (56 bytes) and its variable part starts there
// (docs/reference/tapi2-agent.md §5.6).
std::uint32_t agent_caps_fixed_size(std::uint32_t app_api_version);

// Largest room the library gives an embedded output structure, whatever the
// client's dwTotalSize: the answer must fit in one frame.
inline constexpr std::uint32_t kMaxOutputRoom = 512 * 1024;

// Who asked, as the proxy sees it (LINEPROXYREQUEST header).
struct ClientIdentity {
  std::string machine;  // UTF-8
  std::string user;     // UTF-8
  std::uint32_t api_version = 0;
};

// (a) Builds the LINEPROXYREQUEST a proxy receives, in the proxy line's
// charset. `output_size` is the client's dwTotalSize of its output structure
// (AGENTSPECIFIC: the block size). The embedded output structure gets
// dwTotalSize = min(output_size, kMaxOutputRoom) (at least its fixed size)
// and everything else zeroed. Layout and dwSize: docs/tapi2.md
// ("LINEPROXYREQUEST as delivered"). nullopt if the request type is unknown
// or the call does not hold valid data for it (bad GUID length, bad UTF-8).
std::optional<client::ProxyRequestBuffer> build_proxy_request(std::uint32_t request_type, const agent::AgentCall& call,
                                                              std::uint32_t output_size, const ClientIdentity& client,
                                                              Charset proxy_charset);

// (b) Reads what the proxy filled into `buffer` before lineProxyResponse.
// Returns 0 and sets *out, or LINEERR_INVALPARAM if the embedded structure
// is inconsistent: dwUsedSize outside [fixed, room], dwNeededSize <
// dwUsedSize, a variable field outside [fixed, dwUsedSize), a list whose
// size is not dwNumEntries times its element size, a string without its
// NUL, malformed text. Never reads outside the buffer.
LONG parse_proxy_output(const client::ProxyRequestBuffer& buffer, agent::AgentOutput* out);

// (c) Writes `output` into a caller's structure of `kind` at `dst`, in the
// caller's charset, never touching bytes at or beyond `total_size` (the
// caller's dwTotalSize, captured when the call was made; dwTotalSize itself
// is left as is). Returns false, writing nothing, if `output` does not hold
// a well-formed structure of that kind.
// `caller_fixed_size` is the fixed part the caller's version knows (0: all
// of fixed_size(kind); for LINEAGENTCAPS agent_caps_fixed_size()): fields
// beyond it are not written and the variable part starts there.
// REQUIRES: kind is a structure kind; total_size >= the caller's fixed size.
bool write_caller_output(OutputKind kind, const agent::AgentOutput& output, unsigned char* dst,
                         std::uint32_t total_size, Charset caller_charset, std::uint32_t caller_fixed_size = 0);

// Reads the LINEAGENTGROUPLIST a caller passes to lineSetAgentGroup: only the
// group IDs (§3.2: entry names are ignored). NULL or dwNumEntries == 0 gives
// no groups. Returns 0 or LINEERR_INVALPARAM (dwTotalSize below the header,
// the array outside dwTotalSize or shorter than dwNumEntries elements).
LONG read_group_ids(const LINEAGENTGROUPLIST* list, agent::AgentCall* call);

// Reads the LINEPROXYREQUEST_* array of a proxy lineOpen from LINECALLPARAMS
// (§3.4, §5.9). Returns 0, LINEERR_STRUCTURETOOSMALL when dwTotalSize does not
// reach dwDevSpecificOffset, or LINEERR_INVALPARAM (NULL, size 0, not a
// multiple of 4, outside dwTotalSize, an element outside 1..0x14).
LONG read_proxy_request_types(const LINECALLPARAMS* params, std::vector<std::uint32_t>* types);

}  // namespace opentapi::tapi2

#endif  // OPENTAPI_TAPI2_AGENT_CODEC_H_
