// Pure translations between TAPI 3 and TAPI 2 values: state enums
// (docs/reference/tapi3-callcenter.md §5.1, §5.2), status messages to events (§5.3), the
// session start time (docs/reference/flows.md §5.1), the TAPI 2 structures the objects read
// (with the layout library, layout/var_struct.h) and the request time limit
// (docs/reference/flows.md §6). No I/O, no threads, no clock.
#ifndef OPENTAPI_TAPI3_MAPPING_H_
#define OPENTAPI_TAPI3_MAPPING_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "layout/text.h"
#include "tapi.h"
#include "tapi3.h"

namespace opentapi::tapi3 {

// AGENT_SESSION_STATE (0..4) -> LINEAGENTSESSIONSTATE_*; nullopt for a value
// outside the enum (put_State then returns E_INVALIDARG without a TAPI 2 call).
std::optional<DWORD> to_line_session_state(LONG state);
// LINEAGENTSESSIONSTATE_* -> AGENT_SESSION_STATE; RELEASED reads as
// ASST_SESSION_ENDED; nullopt for 0, several bits or an unknown bit.
std::optional<AGENT_SESSION_STATE> from_line_session_state(DWORD state);

// AGENT_STATE a program may request (NOT_READY, READY, the three BUSY
// values) -> LINEAGENTSTATEEX_*; nullopt for AS_UNKNOWN and out-of-range
// values (docs/reference/flows.md §4.3).
std::optional<DWORD> to_line_agent_state(LONG state);
// LINEAGENTSTATEEX_* -> AGENT_STATE; UNKNOWN and RELEASED read as AS_UNKNOWN;
// nullopt for 0, several bits or an unknown bit.
std::optional<AGENT_STATE> from_line_agent_state(DWORD state);

// The TAPI 3 events one LINE_AGENTSESSIONSTATUS raises, in table order
// (docs/reference/tapi3-callcenter.md §5.3): NEWSESSION, then STATE (dwParam3 mapped);
// UPDATEINFO raises none.
std::vector<AGENT_SESSION_EVENT> session_events(DWORD status_bits, DWORD new_state);
// The events of one LINE_AGENTSTATUSEX: STATE only (NEWAGENT and UPDATEINFO
// raise none).
std::vector<AGENT_EVENT> agent_events(DWORD status_bits, DWORD new_state);

// LINEAGENTSESSIONINFO.dateSessionStartTime (UTC at the proxy) as a local
// DATE, by the time zone of this process (TZ) at that instant.
DATE utc_date_to_local(DATE utc);

// Whether a LINEPROXYREQUESTLIST lists all twelve TAPI 2.2 request types
// 0x09..0x14, the line then serves an agent handler (docs/reference/flows.md §2.3).
bool serves_all_acd_types(const LINEPROXYREQUESTLIST* list);

// The request time limit from OPENTAPI_REQUEST_TIMEOUT_MS: a positive
// decimal number of milliseconds; anything else (unset, empty, 0, junk)
// gives the documented two minutes.
std::chrono::milliseconds request_timeout_from(const char* env_value);
inline constexpr std::chrono::milliseconds kDocumentedTimeout{120000};

// The login name of the process owner (ITAgent::get_User on Linux), or the
// numeric uid if the user has no passwd entry.
std::wstring process_user_name();

// UTF-8 -> wide, each ill-formed sequence replaced by U+FFFD (layout/text.h).
inline std::wstring widen(const std::string& utf8) { return layout::utf8_to_wide_lossy(utf8); }

// ---- Reading the W-form structures TAPI 2 fills (docs/reference/tapi2-agent.md §5) ----
// Each takes the whole buffer (`bytes` long) and returns nullopt when the
// structure is incomplete (dwNeededSize > dwTotalSize) or malformed (an
// array or string outside the buffer). Element offsets are relative to the
// list (tapi.h, docs/reference/tapi2-agent.md §1.4 [DECIDE]).

struct GroupEntry {
  GUID id{};
  std::wstring name;
};
std::optional<std::vector<GroupEntry>> parse_group_list(const void* buffer, std::size_t bytes);

struct QueueEntry {
  DWORD id = 0;
  std::wstring name;
};
std::optional<std::vector<QueueEntry>> parse_queue_list(const void* buffer, std::size_t bytes);

std::optional<std::vector<LINEAGENTSESSIONENTRY>> parse_session_list(const void* buffer, std::size_t bytes);

// LINEAGENTCAPS: the proxy GUID and the agent-handler-info string.
struct HandlerCaps {
  GUID proxy{};
  std::wstring name;
};
std::optional<HandlerCaps> parse_agent_caps(const void* buffer, std::size_t bytes);

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_MAPPING_H_
