// The JSON shapes of docs/http.md ("JSON shapes"), built from the views of
// acd/supervision.h. One function per shape, so the REST answers, the
// WebSocket frames and the tests all use the same field names.
#ifndef OPENTAPI_HTTP_JSON_VIEWS_H_
#define OPENTAPI_HTTP_JSON_VIEWS_H_

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
