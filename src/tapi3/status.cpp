// Engine: TAPI 2 status messages -> cache updates and TAPI 3 events
// (docs/reference/tapi3-callcenter.md §5.3, docs/reference/flows.md §3.3 steps 10-12, §7), agent-handler
// discovery from proxy registrations (docs/reference/flows.md §2.3), and the records.
#include <algorithm>

#include "tapi3/calls.h"
#include "tapi3/engine.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

constexpr DWORD kListBytes = 64 * 1024;    // a re-read list the pump cannot retry
constexpr std::size_t kMaxOrphans = 1024;  // per handler and kind

bool is_acd_type(DWORD type) {
  return type >= LINEPROXYREQUEST_CREATEAGENT && type <= LINEPROXYREQUEST_SETAGENTSTATEEX;
}

bool contains(const std::vector<GUID>& ids, const GUID& id) {
  return std::any_of(ids.begin(), ids.end(), [&](const GUID& g) { return IsEqualGUID(g, id); });
}

}  // namespace

// ---- Dispatch of one message ------------------------------------------------------------

void Engine::handle_message(const LINEMESSAGE& m, Actions& after) {
  const auto p1 = static_cast<DWORD>(m.dwParam1);
  const auto p2 = static_cast<DWORD>(m.dwParam2);
  const auto p3 = static_cast<DWORD>(m.dwParam3);
  switch (m.dwMessageID) {
    case LINE_REPLY:
      on_reply(static_cast<LONG>(p1), static_cast<LONG>(p2));
      return;
    case LINE_PROXYSTATUS:
      if (LineRecord* line = line_by_handle(m.hDevice)) on_proxy_status(*line, p1, p2, after);
      return;
    case LINE_CLOSE:
      if (LineRecord* line = line_by_handle(m.hDevice)) on_line_closed(*line);
      calls_->on_line_closed_locked(static_cast<HLINE>(m.hDevice), after);
      return;
    case LINE_LINEDEVSTATE:
      // On the layer's own opens: the address state. Call opens (calls.h)
      // select none, so theirs go on to the call table as before.
      if (LineRecord* line = line_by_handle(m.hDevice)) {
        on_line_dev_state(*line, p1, after);
        return;
      }
      calls_->handle_locked(m, after);
      return;
    case LINE_AGENTSESSIONSTATUS:
      if (HandlerRecord* h = handler_for_line(m.hDevice)) on_session_status(*h, p1, p2, p3);
      return;
    case LINE_AGENTSTATUSEX:
      if (HandlerRecord* h = handler_for_line(m.hDevice)) on_agent_status(*h, p1, p2, p3);
      return;
    case LINE_GROUPSTATUS:
      if (HandlerRecord* h = handler_for_line(m.hDevice)) on_group_status(*h, p2, after);
      return;
    case LINE_QUEUESTATUS:
      if (HandlerRecord* h = handler_for_line(m.hDevice)) on_queue_status(*h, p1, p2, after);
      return;
    default:
      // Call messages (calls.h); LINE_AGENTSTATUS (address-based agents) is
      // not this layer's.
      calls_->handle_locked(m, after);
      return;
  }
}

LineRecord* Engine::line_by_handle(HLINE hline) {
  const auto it = devices_by_line_.find(hline);
  if (it == devices_by_line_.end()) return nullptr;
  const auto line = lines_.find(it->second);
  return line == lines_.end() ? nullptr : &line->second;
}

HandlerRecord* Engine::handler_for_line(HLINE hline) {
  const LineRecord* line = line_by_handle(hline);
  if (line == nullptr || !line->proxy) return nullptr;
  for (const auto& handler : handlers_) {
    if (IsEqualGUID(handler->guid, *line->proxy)) return handler.get();
  }
  return nullptr;
}

std::shared_ptr<HandlerRecord> Engine::handler_ptr(const HandlerRecord* handler) const {
  for (const auto& h : handlers_) {
    if (h.get() == handler) return h;
  }
  return nullptr;
}

// ---- Agent handlers (docs/reference/flows.md §2.3) -----------------------------------------------------

HandlerRecord* Engine::attach_line(LineRecord& line, const GUID& guid, const std::wstring& name, bool* appeared) {
  *appeared = false;
  line.proxy = guid;
  HandlerRecord* handler = nullptr;
  for (const auto& h : handlers_) {
    if (IsEqualGUID(h->guid, guid)) handler = h.get();
  }
  if (handler == nullptr) {
    auto fresh = std::make_shared<HandlerRecord>();
    fresh->guid = guid;
    fresh->name = name;
    fresh->home_device = line.device;
    handlers_.push_back(fresh);
    handler = fresh.get();
    *appeared = true;
  } else if (handler->removed) {
    handler->removed = false;  // the same proxy is back: the same object
    *appeared = true;
  }
  if (handler->name.empty()) handler->name = name;
  if (std::find(handler->devices.begin(), handler->devices.end(), line.device) == handler->devices.end()) {
    handler->devices.push_back(line.device);
    std::sort(handler->devices.begin(), handler->devices.end());
  }
  return handler;
}

HandlerRecord* Engine::detach_line(LineRecord& line) {
  line.acd_ready = false;
  if (!line.proxy) return nullptr;
  const GUID guid = *line.proxy;
  line.proxy.reset();
  for (const auto& h : handlers_) {
    if (!IsEqualGUID(h->guid, guid)) continue;
    h->devices.erase(std::remove(h->devices.begin(), h->devices.end(), line.device), h->devices.end());
    if (h->devices.empty() && !h->removed) {
      h->removed = true;
      return h.get();
    }
  }
  return nullptr;
}

std::shared_ptr<SlotFiller> Engine::slot_for(TAPI_EVENT kind) {
  auto filler = std::make_shared<SlotFiller>(dispatcher_.get());
  if (wants(kind)) filler->reserve();
  return filler;
}

EventRef Engine::handler_event(HandlerRecord* handler, AGENTHANDLER_EVENT code) {
  const auto rec = handler_ptr(handler);
  return EventRef(TE_AGENTHANDLER, make_agent_handler_event(object_for<AgentHandler>(rec), code));
}

void Engine::on_proxy_status(LineRecord& line, DWORD bits, DWORD type, Actions& after) {
  if ((bits & LINEPROXYSTATUS_CLOSE) != 0 && is_acd_type(type) && line.acd_ready) {
    if (HandlerRecord* gone = detach_line(line); gone != nullptr && wants(TE_AGENTHANDLER)) {
      std::vector<EventRef> events;
      events.push_back(handler_event(gone, AHE_AGENTHANDLER_REMOVED));
      dispatcher_->post(std::move(events));
    }
  }
  if ((bits & LINEPROXYSTATUS_ALLOPENFORACD) != 0 && !line.acd_ready) {
    line.acd_ready = true;
    auto slot = slot_for(TE_AGENTHANDLER);
    const DWORD device = line.device;
    after.push_back([this, device, slot] { fetch_caps(device, slot); });
  }
}

void Engine::fetch_caps(DWORD device, std::shared_ptr<SlotFiller> slot) {
  constexpr DWORD kCapsBytes = 8192;
  auto buffer = std::make_shared<std::vector<unsigned char>>(kCapsBytes);
  reinterpret_cast<LINEAGENTCAPS*>(buffer->data())->dwTotalSize = kCapsBytes;
  issue_background(
      buffer,
      [&] {
        return api_->get_agent_caps(happ_, device, 0, kLayerApiVersion,
                                    reinterpret_cast<LINEAGENTCAPS*>(buffer->data()));
      },
      [this, device, slot, raw = buffer.get()](LONG result) {
        mu_.assert_held();  // a ReplyHook
        std::vector<EventRef> events;
        const auto caps = result == 0 ? parse_agent_caps(raw->data(), raw->size()) : std::nullopt;
        const auto line = lines_.find(device);
        if (caps && line != lines_.end() && line->second.acd_ready) {
          bool appeared = false;
          HandlerRecord* handler = attach_line(line->second, caps->proxy, caps->name, &appeared);
          if (appeared && slot->wanted()) events.push_back(handler_event(handler, AHE_NEW_AGENTHANDLER));
        }
        slot->fill(std::move(events));
      });
}

void Engine::on_line_closed(LineRecord& line) {
  line.open = false;
  if (!line.acd_ready) return;
  if (HandlerRecord* gone = detach_line(line); gone != nullptr && wants(TE_AGENTHANDLER)) {
    std::vector<EventRef> events;
    events.push_back(handler_event(gone, AHE_AGENTHANDLER_REMOVED));
    dispatcher_->post(std::move(events));
  }
}

// LINEDEVSTATE_OUTOFSERVICE / INSERVICE -> ITAddressEvent AE_STATE on each
// address of the line, in address order, when the state changes; the new
// state is what ITAddress::get_State reads (docs/porting.md "Address state").
// A message that changes nothing (INSERVICE while in service) posts nothing.
void Engine::on_line_dev_state(LineRecord& line, DWORD states, Actions& after) {
  bool out = line.out_of_service;
  if ((states & LINEDEVSTATE_OUTOFSERVICE) != 0) out = true;
  if ((states & LINEDEVSTATE_INSERVICE) != 0) out = false;
  if (out == line.out_of_service) return;
  line.out_of_service = out;
  if (!out && line.open) {
    const DWORD device = line.device;
    after.push_back([this, device] { reread_after_resume(device); });
  }
  if (!wants(TE_ADDRESS) || !line.open) return;
  std::vector<EventRef> events;
  for (const auto& address : line.addresses) {
    events.emplace_back(TE_ADDRESS, make_address_event(object_for<Address>(address), AE_STATE));
  }
  dispatcher_->post(std::move(events));
}

// ---- Sessions and agents ----------------------------------------------------------------

void Engine::reread_after_resume(DWORD device) {
  struct Read {
    HLINE line = 0;
    std::shared_ptr<AgentRecord> agent;
    std::shared_ptr<SessionRecord> session;
  };
  std::vector<Read> reads;
  {
    port::MutexLock lock(mu_);
    for (const auto& handler : handlers_) {
      if (handler->removed ||
          std::find(handler->devices.begin(), handler->devices.end(), device) == handler->devices.end()) {
        continue;
      }
      const HLINE line = agent_line(*handler);
      if (line == 0) continue;
      for (const auto& [h, rec] : handler->agents) reads.push_back({line, rec, nullptr});
      for (const auto& [h, rec] : handler->sessions) reads.push_back({line, nullptr, rec});
    }
  }
  // As the proxy would have announced the change: STATE with the new state
  // (the same events as LINE_AGENTSTATUSEX / LINE_AGENTSESSIONSTATUS), and
  // nothing when the state is what the object already says.
  for (const Read& r : reads) {
    if (r.session) {
      auto info = std::make_shared<LINEAGENTSESSIONINFO>();
      info->dwTotalSize = sizeof(LINEAGENTSESSIONINFO);
      issue_background(
          info, [&] { return api_->get_agent_session_info(r.line, r.session->handle, info.get()); },
          [this, rec = r.session, got = info.get()](LONG result) {
            mu_.assert_held();  // a ReplyHook
            if (result != 0) return;
            const auto state = from_line_session_state(got->dwAgentSessionState);
            if (!state || *state == rec->state) return;
            rec->state = *state;
            rec->info.invalidate();
            post_session_events(rec, LINEAGENTSESSIONSTATUS_STATE, got->dwAgentSessionState);
          });
    } else {
      auto info = std::make_shared<LINEAGENTINFO>();
      info->dwTotalSize = sizeof(LINEAGENTINFO);
      issue_background(
          info, [&] { return api_->get_agent_info(r.line, r.agent->handle, info.get()); },
          [this, rec = r.agent, got = info.get()](LONG result) {
            mu_.assert_held();  // a ReplyHook
            if (result != 0) return;
            const auto state = from_line_agent_state(got->dwAgentState);
            if (!state || *state == rec->state) return;
            rec->state = *state;
            rec->info.invalidate();
            post_agent_events(rec, LINEAGENTSTATUSEX_STATE, got->dwAgentState);
          });
    }
  }
}

void Engine::post_session_events(const std::shared_ptr<SessionRecord>& rec, DWORD bits, DWORD state) {
  if (!wants(TE_AGENTSESSION)) return;  // no object is made for a filtered event (docs/reference/flows.md §7)
  const auto codes = session_events(bits, state);
  if (codes.empty()) return;
  std::vector<EventRef> events;
  for (const auto code : codes) {
    events.emplace_back(TE_AGENTSESSION, make_agent_session_event(object_for<AgentSession>(rec), code));
  }
  dispatcher_->post(std::move(events));
}

void Engine::post_agent_events(const std::shared_ptr<AgentRecord>& rec, DWORD bits, DWORD state) {
  if (!wants(TE_AGENT)) return;
  const auto codes = agent_events(bits, state);
  if (codes.empty()) return;
  std::vector<EventRef> events;
  for (const auto code : codes) events.emplace_back(TE_AGENT, make_agent_event(object_for<Agent>(rec), code));
  dispatcher_->post(std::move(events));
}

void Engine::on_session_status(HandlerRecord& handler, HAGENTSESSION h, DWORD bits, DWORD state) {
  const auto it = handler.sessions.find(h);
  if (it == handler.sessions.end()) {
    // Before the LINE_REPLY that introduces it, or another program's session.
    if ((bits & (LINEAGENTSESSIONSTATUS_NEWSESSION | LINEAGENTSESSIONSTATUS_STATE)) == 0) return;
    if (handler.session_orphans.size() >= kMaxOrphans) handler.session_orphans.clear();
    Orphan& orphan = handler.session_orphans[h];
    orphan.seen = Clock::now();
    orphan.messages.emplace_back(bits, state);
    return;
  }
  const auto rec = it->second;
  if ((bits & LINEAGENTSESSIONSTATUS_STATE) != 0) {
    if (const auto s = from_line_session_state(state)) rec->state = *s;  // docs/reference/flows.md §3.3 step 11
  }
  if ((bits & (LINEAGENTSESSIONSTATUS_STATE | LINEAGENTSESSIONSTATUS_UPDATEINFO)) != 0) rec->info.invalidate();
  post_session_events(rec, bits, state);
}

void Engine::on_agent_status(HandlerRecord& handler, HAGENT h, DWORD bits, DWORD state) {
  const auto it = handler.agents.find(h);
  if (it == handler.agents.end()) {
    if ((bits & LINEAGENTSTATUSEX_STATE) == 0) return;
    if (handler.agent_orphans.size() >= kMaxOrphans) handler.agent_orphans.clear();
    Orphan& orphan = handler.agent_orphans[h];
    orphan.seen = Clock::now();
    orphan.messages.emplace_back(bits, state);
    return;
  }
  const auto rec = it->second;
  if ((bits & LINEAGENTSTATUSEX_STATE) != 0) {
    if (const auto s = from_line_agent_state(state)) rec->state = *s;
  }
  if ((bits & (LINEAGENTSTATUSEX_STATE | LINEAGENTSTATUSEX_UPDATEINFO)) != 0) rec->info.invalidate();
  post_agent_events(rec, bits, state);
}

void Engine::prune_orphans(Clock::time_point now) {
  for (const auto& handler : handlers_) {
    std::erase_if(handler->session_orphans, [&](const auto& e) { return now - e.second.seen > options_.orphan_ttl; });
    std::erase_if(handler->agent_orphans, [&](const auto& e) { return now - e.second.seen > options_.orphan_ttl; });
  }
}

std::shared_ptr<AgentRecord> Engine::add_agent(HandlerRecord* handler, HAGENT handle, bool has_id,
                                               const std::wstring& id) {
  auto& slot = handler->agents[handle];
  if (slot) return slot;  // the proxy gave back an agent we know: the same object
  auto rec = std::make_shared<AgentRecord>();
  rec->handler = handler;
  rec->handle = handle;
  rec->has_id = has_id;
  rec->id = id;
  slot = rec;
  if (const auto orphan = handler->agent_orphans.find(handle); orphan != handler->agent_orphans.end()) {
    const auto messages = std::move(orphan->second.messages);
    handler->agent_orphans.erase(orphan);
    for (const auto& [bits, state] : messages) {
      if (const auto s = from_line_agent_state(state); s && (bits & LINEAGENTSTATUSEX_STATE) != 0) rec->state = *s;
      post_agent_events(rec, bits, state);
    }
  }
  return rec;
}

std::shared_ptr<SessionRecord> Engine::add_session(HandlerRecord* handler, std::shared_ptr<AgentRecord> agent,
                                                   HAGENTSESSION handle, const GUID& group,
                                                   std::shared_ptr<AddressRecord> address,
                                                   std::optional<AGENT_SESSION_STATE> state) {
  auto& slot = handler->sessions[handle];
  if (slot && slot->agent == agent && IsEqualGUID(slot->group, group)) return slot;
  auto rec = std::make_shared<SessionRecord>();
  rec->handler = handler;
  rec->agent = std::move(agent);
  rec->handle = handle;
  rec->group = group;
  rec->address = std::move(address);
  if (state) rec->state = *state;
  slot = rec;
  if (const auto orphan = handler->session_orphans.find(handle); orphan != handler->session_orphans.end()) {
    const auto messages = std::move(orphan->second.messages);
    handler->session_orphans.erase(orphan);
    for (const auto& [bits, st] : messages) {
      if (const auto s = from_line_session_state(st); s && (bits & LINEAGENTSESSIONSTATUS_STATE) != 0) {
        rec->state = *s;
      }
      post_session_events(rec, bits, st);
    }
  }
  return rec;
}

// ---- Groups and queues ------------------------------------------------------------------

std::shared_ptr<GroupRecord> Engine::find_group(HandlerRecord* handler, const GUID& id, const std::wstring* name) {
  auto& slot = handler->groups[id];
  if (!slot) {
    slot = std::make_shared<GroupRecord>();
    slot->handler = handler;
    slot->id = id;
  }
  if (name != nullptr) slot->name = *name;
  return slot;
}

std::shared_ptr<QueueRecord> Engine::find_queue(HandlerRecord* handler, DWORD id, const std::wstring* name,
                                                const GUID* group) {
  auto& slot = handler->queues[id];
  if (!slot) {
    slot = std::make_shared<QueueRecord>();
    slot->handler = handler;
    slot->id = id;
  }
  if (name != nullptr) slot->name = *name;
  if (group != nullptr) slot->group = *group;
  return slot;
}

void Engine::on_group_status(HandlerRecord& handler, DWORD bits, Actions& after) {
  // LINE_GROUPSTATUS names no group: re-read the list and compare
  // (docs/reference/tapi3-callcenter.md §5.3). The events keep their place in the order.
  if ((bits & (LINEGROUPSTATUS_NEWGROUP | LINEGROUPSTATUS_GROUPREMOVED)) == 0) return;
  auto slot = slot_for(TE_ACDGROUP);
  const HLINE line = agent_line(handler);
  HandlerRecord* h = &handler;
  after.push_back([this, h, line, bits, slot] { reread_groups(h, line, bits, slot); });
}

void Engine::reread_groups(HandlerRecord* handler, HLINE line, DWORD bits, std::shared_ptr<SlotFiller> slot) {
  auto buffer = std::make_shared<std::vector<unsigned char>>(kListBytes);
  reinterpret_cast<LINEAGENTGROUPLIST*>(buffer->data())->dwTotalSize = kListBytes;
  issue_background(
      buffer, [&] { return api_->get_group_list(line, reinterpret_cast<LINEAGENTGROUPLIST*>(buffer->data())); },
      [this, handler, bits, slot, raw = buffer.get()](LONG result) {
        mu_.assert_held();  // a ReplyHook
        std::vector<EventRef> events;
        const auto list = result == 0 ? parse_group_list(raw->data(), raw->size()) : std::nullopt;
        if (list) {
          std::vector<GUID> now;
          for (const auto& g : *list) now.push_back(g.id);
          if (handler->group_baseline) {
            const auto& before = *handler->group_baseline;
            // Table order (§5.3): new groups first, then removed ones.
            for (const auto& g : *list) {
              if (contains(before, g.id)) continue;
              auto rec = find_group(handler, g.id, &g.name);
              rec->removed = false;
              if ((bits & LINEGROUPSTATUS_NEWGROUP) != 0 && slot->wanted()) {
                events.emplace_back(TE_ACDGROUP, make_acd_group_event(object_for<ACDGroup>(rec), ACDGE_NEW_GROUP));
              }
            }
            for (const auto& id : before) {
              if (contains(now, id)) continue;
              auto rec = find_group(handler, id, nullptr);
              rec->removed = true;
              if ((bits & LINEGROUPSTATUS_GROUPREMOVED) != 0 && slot->wanted()) {
                events.emplace_back(TE_ACDGROUP, make_acd_group_event(object_for<ACDGroup>(rec), ACDGE_GROUP_REMOVED));
              }
            }
          }
          handler->group_baseline = std::move(now);
        }
        slot->fill(std::move(events));
      });
}

void Engine::on_queue_status(HandlerRecord& handler, DWORD queue, DWORD bits, Actions& after) {
  const auto known = handler.queues.find(queue);
  std::shared_ptr<QueueRecord> rec = known == handler.queues.end() ? nullptr : known->second;
  if ((bits & LINEQUEUESTATUS_UPDATEINFO) != 0 && rec) rec->info.invalidate();
  const bool wanted = wants(TE_QUEUE);
  const bool removed = (bits & LINEQUEUESTATUS_QUEUEREMOVED) != 0;

  // Table order (§5.3): NEWQUEUE, then QUEUEREMOVED.
  std::vector<EventRef> events;
  if ((bits & LINEQUEUESTATUS_NEWQUEUE) != 0) {
    if (rec) {
      rec->removed = false;
      if (wanted) events.emplace_back(TE_QUEUE, make_queue_event(object_for<Queue>(rec), ACDQE_NEW_QUEUE));
    } else if (wanted) {
      // A queue not seen before: its name and group are found by re-reading
      // the queue lists of the groups this handler knows.
      std::vector<GUID> groups;
      for (const auto& [id, group] : handler.groups) groups.push_back(id);
      auto slot = slot_for(TE_QUEUE);
      const HLINE line = agent_line(handler);
      HandlerRecord* h = &handler;
      after.push_back([this, h, line, queue, groups = std::move(groups), slot, removed]() mutable {
        reread_queues(h, line, queue, std::move(groups), slot, removed);
      });
      return;
    }
  }
  if (removed) {
    if (!rec && wanted) rec = find_queue(&handler, queue, nullptr, nullptr);  // known only by its ID
    if (rec) {
      rec->removed = true;
      rec->info.invalidate();
      if (wanted) events.emplace_back(TE_QUEUE, make_queue_event(object_for<Queue>(rec), ACDQE_QUEUE_REMOVED));
    }
  }
  dispatcher_->post(std::move(events));
}

void Engine::reread_queues(HandlerRecord* handler, HLINE line, DWORD queue, std::vector<GUID> groups,
                           std::shared_ptr<SlotFiller> slot, bool also_removed) {
  struct Search {
    std::size_t outstanding = 0;
    bool found = false;
    std::wstring name;
    GUID group{};
  };
  auto search = std::make_shared<Search>();
  search->outstanding = groups.size();
  // Runs with mu_ held once every list has answered (or failed).
  auto finish = [this, handler, queue, slot, search, also_removed] {
    mu_.assert_held();
    auto rec =
        find_queue(handler, queue, search->found ? &search->name : nullptr, search->found ? &search->group : nullptr);
    rec->removed = false;
    std::vector<EventRef> events;
    events.emplace_back(TE_QUEUE, make_queue_event(object_for<Queue>(rec), ACDQE_NEW_QUEUE));
    if (also_removed) {
      rec->removed = true;
      events.emplace_back(TE_QUEUE, make_queue_event(object_for<Queue>(rec), ACDQE_QUEUE_REMOVED));
    }
    slot->fill(std::move(events));
  };
  if (groups.empty()) {
    port::MutexLock lock(mu_);
    finish();
    return;
  }
  struct Buffer {
    GUID group{};
    std::vector<unsigned char> list;
  };
  for (const GUID& group : groups) {
    auto buffer = std::make_shared<Buffer>();
    buffer->group = group;
    buffer->list.resize(kListBytes);
    reinterpret_cast<LINEQUEUELIST*>(buffer->list.data())->dwTotalSize = kListBytes;
    issue_background(
        buffer,
        [&] {
          return api_->get_queue_list(line, &buffer->group, reinterpret_cast<LINEQUEUELIST*>(buffer->list.data()));
        },
        [search, finish, queue, raw = buffer.get()](LONG result) {
          if (result == 0 && !search->found) {
            if (const auto list = parse_queue_list(raw->list.data(), raw->list.size())) {
              for (const auto& q : *list) {
                if (q.id != queue) continue;
                search->found = true;
                search->name = q.name;
                search->group = raw->group;
                break;
              }
            }
          }
          if (--search->outstanding == 0) finish();
        });
  }
}

// ---- Record queries ---------------------------------------------------------------------

std::vector<std::shared_ptr<HandlerRecord>> Engine::live_handlers() const {
  std::vector<std::shared_ptr<HandlerRecord>> out;
  for (const auto& h : handlers_) {
    if (!h->removed) out.push_back(h);
  }
  return out;
}

HLINE Engine::agent_line(const HandlerRecord& handler) const {
  const DWORD device = handler.devices.empty() ? handler.home_device : handler.devices.front();
  const auto it = lines_.find(device);
  return it == lines_.end() ? 0 : it->second.hline;
}

HLINE Engine::address_line(const AddressRecord& address) const {
  const auto it = lines_.find(address.device);
  return it == lines_.end() ? 0 : it->second.hline;
}

bool Engine::line_open(DWORD device) const {
  const auto it = lines_.find(device);
  return it != lines_.end() && it->second.open;
}

bool Engine::line_in_service(DWORD device) const {
  const auto it = lines_.find(device);
  return it != lines_.end() && it->second.open && !it->second.out_of_service;
}

std::vector<std::shared_ptr<AddressRecord>> Engine::addresses_of(const HandlerRecord* handler) const {
  std::vector<std::shared_ptr<AddressRecord>> out;
  if (handler != nullptr) {
    for (const DWORD device : handler->devices) {
      const auto it = lines_.find(device);
      if (it != lines_.end() && it->second.open)
        out.insert(out.end(), it->second.addresses.begin(), it->second.addresses.end());
    }
    return out;
  }
  // Device, then address order (docs/porting.md "Calls").
  for (const auto& [device, line] : lines_) {
    if (line.open) out.insert(out.end(), line.addresses.begin(), line.addresses.end());
  }
  return out;
}

bool Engine::usable_by(const HandlerRecord& handler, const AddressRecord& address) const {
  return std::find(handler.devices.begin(), handler.devices.end(), address.device) != handler.devices.end();
}

std::shared_ptr<AddressRecord> Engine::address_for_device(DWORD device) const { return address_at(device, 0); }

std::shared_ptr<AddressRecord> Engine::address_at(DWORD device, DWORD address_id) const {
  const auto it = lines_.find(device);
  if (it == lines_.end() || address_id >= it->second.addresses.size()) return nullptr;
  return it->second.addresses[address_id];
}

DWORD Engine::line_version(DWORD device) const {
  const auto it = lines_.find(device);
  return it == lines_.end() || !it->second.open ? 0 : it->second.api_version;
}

}  // namespace opentapi::tapi3
