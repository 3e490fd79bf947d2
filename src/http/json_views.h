// The JSON shapes of docs/http.md ("JSON shapes"), built from the views of
// acd/supervision.h. One function per shape, so the REST answers, the
// WebSocket frames and the tests all use the same field names.
#ifndef OPENTAPI_HTTP_JSON_VIEWS_H_
#define OPENTAPI_HTTP_JSON_VIEWS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "acd/supervision.h"
#include "store/store.h"

namespace opentapi::http {

nlohmann::json group_json(const acd::GroupView& group);
nlohmann::json queue_json(const acd::QueueView& queue);
nlohmann::json agent_json(const acd::AgentView& agent);
nlohmann::json session_json(const acd::SessionView& session);

// A session's current call ({"id","caller_number",…}); the session's "call"
// member is null without one.
nlohmann::json session_call_json(const acd::SessionCallView& call);
// One call in progress, and the whole list {"now_ms","items"}.
nlohmann::json call_json(const acd::CallInProgressView& call);
nlohmann::json call_list_json(const acd::CallList& list);
// A call id as JSON carries it: 16 hex digits (the audit's object key), as
// call ids use all 64 bits and JSON readers keep only 53.
std::string call_id_text(std::uint64_t id);

// {"seq","now_ms","groups","queues","agents","sessions"}.
nlohmann::json board_json(const acd::Board& board);

// {"type":"change","seq","now_ms","kind":"agent"|"session"|"queue","object"}.
nlohmann::json change_json(const acd::BoardChange& change);
// "agent", "session" or "queue".
std::string_view change_kind(const acd::BoardChange& change);

// One audit entry of a history page.
nlohmann::json audit_json(const store::AuditEntry& entry);

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_JSON_VIEWS_H_
