#include "acd/status_messages.h"

#include <string_view>
#include <unordered_map>

#include "acd/records.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

constexpr std::string_view kAgentStatusNote = " agentstatus=0x";
constexpr std::string_view kQueueNote = " queue=0x";

// The value of the last `note` in `what` (8 hex digits after it).
std::optional<std::uint32_t> note_value(std::string_view what, std::string_view note) {
  const std::size_t at = what.rfind(note);
  if (at == std::string_view::npos) return std::nullopt;
  return parse_hex_key(what.substr(at + note.size(), 8));
}

// LINE_AGENTSTATUS of the TAPI 2.0 agent on an address (key
// "DEVICE:ADDRESS", records.h address_key), on the address's own line.
std::optional<Announcement> address_message(const store::AuditEntry& e) {
  const std::string_view key = e.object_key;
  if (key.size() != 17 || key[8] != ':') return std::nullopt;
  const std::optional<std::uint32_t> device = parse_hex_key(key.substr(0, 8));
  const std::optional<std::uint32_t> address = parse_hex_key(key.substr(9));
  const std::optional<std::uint32_t> bits = note_value(e.what, kAgentStatusNote);
  if (!device || !address || !bits || *bits == 0) return std::nullopt;
  return Announcement{*device, LINE_AGENTSTATUS, *address, *bits, (*bits & LINEAGENTSTATUS_STATE) != 0 ? e.to : 0u};
}

}  // namespace

std::string agent_status_note(std::uint32_t bits) { return std::string(kAgentStatusNote) + hex_key(bits); }

std::string queue_note(std::uint32_t queue) { return std::string(kQueueNote) + hex_key(queue); }

std::optional<Announcement> status_message(const store::AuditEntry& e, std::uint32_t first_device,
                                           const SessionDevice& session_device) {
  if (e.object_kind == "address") return address_message(e);
  if (e.object_kind == "call" || e.object_kind == "queue") {
    // A call's arrival, delivery, ring-no-answer, abandon or overflow.
    if (const auto queue = note_value(e.what, kQueueNote)) {
      return Announcement{first_device, LINE_QUEUESTATUS, *queue, LINEQUEUESTATUS_UPDATEINFO, 0};
    }
    if (e.object_kind == "call") return std::nullopt;
  }
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
