#include "acd/status_messages.h"

#include <unordered_map>

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

core::Result<Replay> replay_status_messages(store::Store& store, std::uint32_t first_device, std::uint64_t after,
                                            std::size_t limit) {
  auto last = store.last_audit_seq();
  if (!last) return last.status();
  Replay out;
  out.through = *last;
  if (after > *last) {
    out.gap = true;
    return out;
  }
  // Sessions never leave the store, so their line is always found.
  std::unordered_map<SessionHandle, std::optional<std::uint32_t>> devices;
  core::Status lookup_failed;
  const SessionDevice session_device = [&](SessionHandle h) -> std::optional<std::uint32_t> {
    if (const auto it = devices.find(h); it != devices.end()) return it->second;
    std::optional<std::uint32_t> device;
    auto record = store.get("session", hex_key(h));
    if (!record) {
      lookup_failed = record.status();
    } else if (*record) {
      if (auto s = decode_session((*record)->value, core::TimePoint{})) device = s->device;
    }
    devices.emplace(h, device);
    return device;
  };
  std::uint64_t cursor = after;
  while (cursor < *last) {
    auto page = store.audit("", "", cursor, store::Store::kMaxAuditPage);
    if (!page) return page.status();
    if (page->empty()) break;
    bool past_last = false;
    for (const store::AuditEntry& e : *page) {
      if (e.seq > *last) {
        past_last = true;
        break;
      }
      // Trimmed, or left out: nothing after `after` may be skipped silently.
      if (e.seq != cursor + 1 || e.seq - after > limit) {
        out.messages.clear();
        out.gap = true;
        return out;
      }
      cursor = e.seq;
      if (auto a = status_message(e, first_device, session_device)) {
        out.messages.push_back(ReplayedMessage{*a, e.seq});
      }
      if (!lookup_failed.ok()) return lookup_failed;
    }
    if (past_last) break;
  }
  if (cursor < *last) {
    out.messages.clear();
    out.gap = true;
  }
  return out;
}

}  // namespace opentapi::acd
