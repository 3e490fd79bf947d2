#include "acd/status_messages.h"

#include "acd/records.h"
#include "tapi.h"

namespace opentapi::acd {

std::optional<Announcement> status_message(const store::AuditEntry& e, std::uint32_t first_device,
                                           const SessionDevice& session_device) {
  const std::optional<std::uint32_t> id = parse_hex_key(e.object_key);
  if (!id) return std::nullopt;
  const bool state_changed = e.from != e.to;
  if (e.object_kind == "session") {
    const std::optional<std::uint32_t> device = session_device ? session_device(*id) : std::nullopt;
    if (!device) return std::nullopt;
    if (e.what == "CreateAgentSession") {
      return Announcement{*device, LINE_AGENTSESSIONSTATUS, *id, LINEAGENTSESSIONSTATUS_NEWSESSION, 0};
    }
    if (state_changed) {
      return Announcement{*device, LINE_AGENTSESSIONSTATUS, *id,
                          LINEAGENTSESSIONSTATUS_STATE | LINEAGENTSESSIONSTATUS_UPDATEINFO, e.to};
    }
    // The next state set or cleared (the only session change audited
    // without a state change).
    return Announcement{*device, LINE_AGENTSESSIONSTATUS, *id, LINEAGENTSESSIONSTATUS_UPDATEINFO, 0};
  }
  if (e.object_kind == "agent") {
    if (e.what == "CreateAgent") {
      return Announcement{first_device, LINE_AGENTSTATUSEX, *id, LINEAGENTSTATUSEX_NEWAGENT | LINEAGENTSTATUSEX_STATE,
                          e.to};
    }
    // Only its owner changed: no message (applications see the same agent).
    if (e.what == "CreateAgent: taken over") return std::nullopt;
    // from and to are the period's seconds here, not states.
    if (e.what == "SetAgentMeasurementPeriod") {
      return Announcement{first_device, LINE_AGENTSTATUSEX, *id, LINEAGENTSTATUSEX_UPDATEINFO, 0};
    }
    if (state_changed) {
      return Announcement{first_device, LINE_AGENTSTATUSEX, *id, LINEAGENTSTATUSEX_STATE | LINEAGENTSTATUSEX_UPDATEINFO,
                          e.to};
    }
    return Announcement{first_device, LINE_AGENTSTATUSEX, *id, LINEAGENTSTATUSEX_UPDATEINFO, 0};
  }
  if (e.object_kind == "queue" && e.what == "SetQueueMeasurementPeriod") {
    return Announcement{first_device, LINE_QUEUESTATUS, *id, LINEQUEUESTATUS_UPDATEINFO, 0};
  }
  return std::nullopt;
}

}  // namespace opentapi::acd
