// The bridge between the switch's calls and the CallCenter (switch_calls.h,
// docs/calls.md "The ACD and its calls").
#include "acd/switch_calls.h"

#include <cstdio>
#include <utility>

#include "acd/records.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

Status invalid(std::string message) { return Status::error(ErrorCode::kInvalParam, std::move(message)); }

}  // namespace

std::string simulated_caller_number(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "+3120555%04u", static_cast<unsigned>(n % 10000));
  return buf;
}

std::string simulated_caller_name(std::uint64_t n) { return "Caller " + std::to_string(n); }

void SwitchCalls::connected(SwitchNumbers numbers, TimePoint now) {
  numbers_ = std::move(numbers);
  connected_ = true;
  // Handles belong to a connection: the old one's are gone, and so are the
  // calls the switch held for it.
  calls_.clear();
  by_caller_.clear();
  handles_.clear();
  station_load_.clear();
  // docs/calls.md "Restarts". Waiting calls are followed first: ending the
  // others makes agents free, and routing may deliver a waiting call before
  // it is back in the switch (it is redirected once it is).
  // The simulator's waiting callers are placed again like the switch's; its
  // ringing and talking calls lost their switch side and are left to the
  // simulator, which ends them inside the ACD.
  const std::vector<CallView> views = center_->call_views();
  for (const CallView& v : views) {
    if (v.phase != CallPhase::kQueued) continue;
    if (call_origin(v.id) == CallOrigin::kSwitch ||
        (call_origin(v.id) == CallOrigin::kSimulator && numbers_.trunk && numbers_.queues.count(v.queue) != 0)) {
      calls_[v.id].call = v.id;
    }
  }
  for (const CallView& v : views) {
    if (call_origin(v.id) == CallOrigin::kSwitch && v.phase != CallPhase::kQueued) adopt(v.id, v.phase, now);
  }
  for (const CallView& v : views) {
    if (calls_.count(v.id) != 0) place_again(v, now);
  }
}

void SwitchCalls::place_again(const CallView& call, TimePoint now) {
  auto number = numbers_.queues.find(call.queue);
  if (number == numbers_.queues.end()) {
    // Its queue has no number on this server any more.
    calls_.erase(call.id);
    (void)center_->on_call_abandoned(call.id, now);
    return;
  }
  actions_.push_back(
      SwitchAction{SwitchAction::Kind::kPlace, call.id, 0, number->second, {}, call.caller_number, call.caller_name});
}

std::vector<SwitchAction> SwitchCalls::take_actions() { return std::exchange(actions_, {}); }

SwitchCalls::Followed* SwitchCalls::followed(CallId call) {
  auto it = calls_.find(call);
  return it == calls_.end() ? nullptr : &it->second;
}

void SwitchCalls::on(const SwitchFact& f, TimePoint now) {
  switch (f.kind) {
    case SwitchFact::Kind::kOffered:
      offered(f, now);
      return;
    case SwitchFact::Kind::kStation:
      station(f, now);
      return;
    case SwitchFact::Kind::kState:
      state(f, now);
      return;
    case SwitchFact::Kind::kPlaced: {
      Followed* c = followed(f.call);
      if (c == nullptr) {
        // The call ended while it was being placed: hang up its caller.
        handles_[f.hcall] = Handle{Role::kTrunk, 0};
        actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, f.call, f.hcall, {}, {}, {}, {}});
        return;
      }
      c->trunk = f.hcall;
      c->caller_id = f.call_id;
      by_caller_[f.call_id] = f.call;
      handles_[f.hcall] = Handle{Role::kTrunk, f.call};
      // The simulator's caller gave up while the call was being placed.
      if (c->hang_up) actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, f.call, f.hcall, {}, {}, {}, {}});
      return;
    }
    case SwitchFact::Kind::kFailed: {
      if (Followed* c = followed(f.call); c != nullptr && c->queue_pending != 0) {
        // A simulated caller that could not be placed: lost (its abandon
        // finds no call).
        bind(*c, std::nullopt);
        calls_.erase(f.call);
        return;
      }
      auto view = center_->find_call(f.call);
      if (!view) return;
      if (view->phase == CallPhase::kOffered) {
        // The agent's address could not take it: still at the route point
        // (a failed redirect changes nothing), back to the head of its
        // queue as if nobody answered.
        Followed* c = followed(f.call);
        if (c != nullptr && c->station == 0 && f.hcall != 0) {
          auto h = handles_.find(f.hcall);
          if (h != handles_.end() && h->second.role == Role::kRoutePoint) c->route = f.hcall;
        }
        (void)center_->take_back(f.call, now);
      } else if (view->phase == CallPhase::kQueued && followed(f.call) != nullptr && followed(f.call)->caller_id == 0) {
        // Could not be placed again after a restart: the caller is lost.
        (void)center_->on_call_abandoned(f.call, now);
        calls_.erase(f.call);
      }
      return;
    }
  }
}

void SwitchCalls::offered(const SwitchFact& f, TimePoint now) {
  handles_[f.hcall] = Handle{Role::kRoutePoint, 0};
  if (f.related_id != 0) {
    auto known = by_caller_.find(f.related_id);
    if (known != by_caller_.end()) {
      // A call the ACD already queues: taken back from an agent, or placed
      // again after a restart. It keeps its place in the queue.
      Followed* c = followed(known->second);
      if (c != nullptr) {
        c->route = f.hcall;
        handles_[f.hcall].call = c->call;
        if (c->queue_pending != 0) {
          // A simulated caller reached the queue: queued under the
          // simulator's call id.
          c->queue_pending = 0;
          if (c->hang_up) return;  // gone already: its DISCONNECTED follows
          const CallId id = c->call;
          Status s = center_->on_call_queued(id, f.queue, now);
          if (!s.ok()) {
            actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, id, f.hcall, {}, {}, {}, {}});
            if (Followed* again = followed(id)) hang_up(*again);
            return;
          }
          (void)center_->set_call_caller(id, simulated_caller_number(call_number(id)),
                                         simulated_caller_name(call_number(id)));
          return;
        }
        if (c->deliver_pending) redirect_to_agent(*c);
        return;
      }
    }
  }
  const CallId id = center_->new_call_id(CallOrigin::kSwitch);
  Followed c;
  c.call = id;
  c.caller_id = f.related_id;
  c.route = f.hcall;
  calls_.emplace(id, c);
  if (f.related_id != 0) by_caller_[f.related_id] = id;
  handles_[f.hcall].call = id;
  // Routing may deliver it at once (call_delivered): it is followed already.
  Status s = center_->on_call_queued(id, f.queue, now);
  if (!s.ok()) {
    calls_.erase(id);
    by_caller_.erase(f.related_id);
    handles_[f.hcall].call = 0;
    actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, id, f.hcall, {}, {}, {}, {}});
    return;
  }
  (void)center_->set_call_caller(id, f.caller_number, f.caller_name);
}

void SwitchCalls::station(const SwitchFact& f, TimePoint) {
  // Every appearance at a station takes its telephone, the ACD's or not (a
  // call the agent places, a call dialled straight to the station).
  Handle& handle = handles_[f.hcall];
  if (handle.active) load(handle.station, false);
  handle = Handle{Role::kStation, 0, Station{f.device, f.address}, true};
  load(handle.station, true);
  if (f.related_id == 0) return;  // a call this address places: not the ACD's
  auto known = by_caller_.find(f.related_id);
  if (known == by_caller_.end()) return;
  Followed* c = followed(known->second);
  if (c == nullptr) return;
  auto view = center_->find_call(c->call);
  if (!view) return;
  if (view->phase == CallPhase::kQueued && !c->deliver_pending) {
    // It rang too long before the ACD even saw it arrive: take it back now.
    auto number = numbers_.queues.find(view->queue);
    if (number != numbers_.queues.end()) {
      actions_.push_back(SwitchAction{SwitchAction::Kind::kTakeBack, c->call, f.hcall, number->second, {}, {}, {}});
    }
    return;
  }
  if (view->phase != CallPhase::kOffered) return;
  c->station = f.hcall;
  handles_[f.hcall].call = c->call;
  bind(*c, std::nullopt);  // its appearance takes the telephone from now on
  if (c->answer_pending) answer(*c);
}

void SwitchCalls::state(const SwitchFact& f, TimePoint now) {
  auto h = handles_.find(f.hcall);
  if (h == handles_.end()) return;
  bool freed = false;  // this state left the station's telephone free
  if (h->second.role == Role::kStation) {
    const bool active =
        f.state != LINECALLSTATE_IDLE && f.state != LINECALLSTATE_ONHOLD && f.state != LINECALLSTATE_DISCONNECTED;
    if (active != h->second.active) {
      h->second.active = active;
      load(h->second.station, active);
      freed = !active && station_load_.count(h->second.station) == 0;
    }
  }
  const Handle handle = h->second;
  if (f.state == LINECALLSTATE_IDLE) handles_.erase(h);
  Followed* c = handle.call != 0 ? followed(handle.call) : nullptr;
  if (c == nullptr) {
    // A call that is not the ACD's left the telephone free: the sessions
    // there may take calls again.
    if (freed) center_->station_freed(now);
    return;
  }
  const CallId id = c->call;
  auto view = center_->find_call(id);
  switch (handle.role) {
    case Role::kRoutePoint:
      if (c->route != f.hcall) break;
      if (f.state == LINECALLSTATE_DISCONNECTED) {
        // The caller hung up while waiting in the queue.
        if (view && view->phase == CallPhase::kQueued) (void)center_->on_call_abandoned(id, now);
        actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, id, f.hcall, {}, {}, {}, {}});
      } else if (f.state == LINECALLSTATE_IDLE) {
        c->route = 0;
      }
      break;
    case Role::kStation:
      if (c->station != f.hcall) break;
      if (f.state == LINECALLSTATE_CONNECTED) {
        if (view && view->phase == CallPhase::kOffered) (void)center_->on_call_answered(id, now);
      } else if (f.state == LINECALLSTATE_DISCONNECTED || f.state == LINECALLSTATE_IDLE) {
        // DISCONNECTED: the caller hung up (while it rang: abandoned). IDLE:
        // the agent hung up or refused the call.
        if (f.state == LINECALLSTATE_DISCONNECTED && c->answered) {
          // A simulated agent's station appearance the ACD owns since it
          // answered: hung up so that it goes IDLE.
          actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, id, f.hcall, {}, {}, {}, {}});
        }
        if (view && view->phase == CallPhase::kOffered) {
          if (f.state == LINECALLSTATE_DISCONNECTED) {
            (void)center_->on_call_abandoned(id, now);
          } else {
            (void)center_->on_call_ended(id, now);
          }
        } else if (view && (view->phase == CallPhase::kTalking || view->phase == CallPhase::kDetached)) {
          (void)center_->on_call_ended(id, now);
        }
        if (f.state == LINECALLSTATE_IDLE) c->station = 0;
      }
      break;
    case Role::kTrunk:
      if (c->trunk != f.hcall) break;
      if (f.state == LINECALLSTATE_DISCONNECTED) {
        actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, id, f.hcall, {}, {}, {}, {}});
      } else if (f.state == LINECALLSTATE_IDLE) {
        c->trunk = 0;
        // The ACD's caller is gone: the call is over wherever it was.
        if (view && view->phase == CallPhase::kQueued && c->route == 0) (void)center_->on_call_abandoned(id, now);
      }
      break;
    case Role::kOther:
      break;
  }
  // A call that ended on its way to a station frees it only now.
  if (forget_if_done(id)) freed = true;
  // Ending an ACD call routes by itself; going on hold does not.
  if (freed) center_->station_freed(now);
}

bool SwitchCalls::forget_if_done(CallId call) {
  Followed* c = followed(call);
  if (c == nullptr || center_->find_call(call)) return false;
  if (c->route != 0 || c->station != 0 || c->trunk != 0) return false;
  if (c->caller_id != 0) by_caller_.erase(c->caller_id);
  const std::optional<Station> was = c->bound;
  bind(*c, std::nullopt);
  calls_.erase(call);
  return was && station_load_.count(*was) == 0;
}

std::string SwitchCalls::call_data(CallId call) const {
  auto view = center_->find_call(call);
  if (!view) return {};
  std::string data = "queue=" + std::to_string(view->queue);
  if (const core::Queue* q = center_->queue(view->queue)) {
    data += ";queue_name=" + q->name();
    data += ";waiting=" + std::to_string(q->waiting().size());
  }
  return data;
}

void SwitchCalls::redirect_to_agent(Followed& c) {
  auto place = center_->session_place(c.session);
  std::string number;
  if (place) {
    auto n = numbers_.stations.find({place->device, place->address});
    if (n != numbers_.stations.end()) number = n->second;
  }
  if (c.route == 0 || number.empty()) {
    c.deliver_pending = true;  // done when the call reaches the route point
    return;
  }
  c.deliver_pending = false;
  actions_.push_back(SwitchAction{SwitchAction::Kind::kRedirect, c.call, c.route, number, call_data(c.call), {}, {}});
}

void SwitchCalls::call_delivered(CallId call, core::SessionHandle session, TimePoint) {
  Followed* c = followed(call);
  if (c == nullptr) return;
  c->session = session;
  auto place = center_->session_place(session);
  bind(*c, place ? std::optional<Station>(Station{place->device, place->address}) : std::nullopt);
  redirect_to_agent(*c);
}

void SwitchCalls::call_taken_back(CallId call, TimePoint) {
  Followed* c = followed(call);
  if (c == nullptr) return;
  c->deliver_pending = false;
  c->answer_pending = false;
  c->session = 0;
  bind(*c, std::nullopt);
  if (c->station == 0) return;  // never reached the agent: it is still at the route point
  auto view = center_->find_call(call);
  auto number = view ? numbers_.queues.find(view->queue) : numbers_.queues.end();
  const CallHandle station = c->station;
  // Its IDLE there must not end the call, which lives on in the queue.
  c->station = 0;
  handles_[station].call = 0;
  if (number == numbers_.queues.end()) {
    actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, call, station, {}, {}, {}, {}});
    return;
  }
  actions_.push_back(SwitchAction{SwitchAction::Kind::kTakeBack, call, station, number->second, {}, {}, {}});
}

void SwitchCalls::adopt(CallId call, CallPhase phase, TimePoint now) {
  // Ringing or connected when the switch lost it (docs/calls.md "Restarts");
  // waiting calls are placed again by connected().
  if (phase != CallPhase::kQueued) (void)center_->on_call_ended(call, now);
}

bool SwitchCalls::carries(CallId call) const { return calls_.count(call) != 0; }

bool SwitchCalls::station_busy(std::uint32_t device, std::uint32_t address) const {
  return station_load_.count(Station{device, address}) != 0;
}

void SwitchCalls::bind(Followed& c, std::optional<Station> to) {
  if (c.bound) load(*c.bound, false);
  c.bound = to;
  if (c.bound) load(*c.bound, true);
}

void SwitchCalls::load(const Station& s, bool more) {
  if (more) {
    ++station_load_[s];
    return;
  }
  auto it = station_load_.find(s);
  if (it != station_load_.end() && --it->second == 0) station_load_.erase(it);
}

// --- the simulator's calls (CallSink) ---------------------------------------------

Status SwitchCalls::on_call_queued(CallId call, core::QueueId queue, TimePoint now) {
  auto number = numbers_.queues.find(queue);
  if (!connected_ || !numbers_.trunk || number == numbers_.queues.end()) {
    // No way through the switch: the call stays inside the ACD.
    return center_->on_call_queued(call, queue, now);
  }
  if (calls_.count(call) != 0 || center_->find_call(call)) return invalid("call id " + hex_key64(call) + " is in use");
  if (center_->queue(queue) == nullptr) return invalid("no queue " + std::to_string(queue));
  Followed c;
  c.call = call;
  c.queue_pending = queue;
  calls_.emplace(call, c);
  const std::uint64_t n = call_number(call);
  actions_.push_back(SwitchAction{
      SwitchAction::Kind::kPlace, call, 0, number->second, {}, simulated_caller_number(n), simulated_caller_name(n)});
  return Status();
}

Status SwitchCalls::on_call_answered(CallId call, TimePoint now) {
  Followed* c = followed(call);
  if (c == nullptr) return center_->on_call_answered(call, now);
  auto view = center_->find_call(call);
  if (!view || view->phase != CallPhase::kOffered || c->answered || c->answer_pending) {
    return invalid("call " + hex_key64(call) + " is not ringing at an agent");
  }
  answer(*c);
  return Status();
}

Status SwitchCalls::on_call_ended(CallId call, TimePoint now) {
  Followed* c = followed(call);
  if (c == nullptr) return center_->on_call_ended(call, now);
  auto view = center_->find_call(call);
  // Queued again (taken back after ring-no-answer): an answer that came too
  // late, the call lives on in its queue.
  if (!view || view->phase == CallPhase::kQueued) return invalid("call " + hex_key64(call) + " is not at an agent");
  hang_up(*c);
  return Status();
}

Status SwitchCalls::on_call_abandoned(CallId call, TimePoint now) {
  Followed* c = followed(call);
  if (c == nullptr) return center_->on_call_abandoned(call, now);
  auto view = center_->find_call(call);
  if (c->answered || c->answer_pending ||
      (view && view->phase != CallPhase::kQueued && view->phase != CallPhase::kOffered) ||
      (!view && c->queue_pending == 0)) {
    return invalid("call " + hex_key64(call) + " is not waiting");
  }
  // The route point's or the station's DISCONNECTED makes it abandoned.
  hang_up(*c);
  return Status();
}

void SwitchCalls::hang_up(Followed& c) {
  if (c.hang_up) return;
  c.hang_up = true;
  if (c.trunk != 0) actions_.push_back(SwitchAction{SwitchAction::Kind::kDrop, c.call, c.trunk, {}, {}, {}, {}});
}

void SwitchCalls::answer(Followed& c) {
  if (c.station == 0) {
    c.answer_pending = true;  // answered when its station handle arrives
    return;
  }
  c.answer_pending = false;
  c.answered = true;
  actions_.push_back(SwitchAction{SwitchAction::Kind::kAnswer, c.call, c.station, {}, {}, {}, {}});
}

}  // namespace opentapi::acd
