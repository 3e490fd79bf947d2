#include "switch/switch.h"

#include <algorithm>
#include <utility>

namespace opentapi::switching {
namespace {

Status error(core::ErrorCode code, std::string message) { return Status::error(code, std::move(message)); }

}  // namespace

std::uint32_t PartyId::flags() const noexcept {
  std::uint32_t f = 0;
  if (!number.empty()) f |= party_flags::kAddress;
  if (!name.empty()) f |= party_flags::kName;
  return f == 0 ? party_flags::kUnknown : f;
}

Switch::Switch(NumberPlan plan, SwitchLimits limits) : plan_(std::move(plan)), limits_(limits) {
  addresses_.resize(plan_.size());
  for (std::uint32_t d = 0; d < plan_.size(); ++d) addresses_[d].resize(plan_.devices()[d].addresses.size());
}

// ---- lookups ----

Switch::AddressSlot* Switch::slot(AddressRef address) {
  if (address.device >= addresses_.size() || address.address >= addresses_[address.device].size()) return nullptr;
  return &addresses_[address.device][address.address];
}

const Switch::AddressSlot* Switch::slot(AddressRef address) const {
  if (address.device >= addresses_.size() || address.address >= addresses_[address.device].size()) return nullptr;
  return &addresses_[address.device][address.address];
}

Appearance* Switch::lookup(CallId call) {
  const auto it = calls_.find(call);
  return it == calls_.end() ? nullptr : &it->second;
}

const Appearance* Switch::find(CallId call) const {
  const auto it = calls_.find(call);
  return it == calls_.end() ? nullptr : &it->second;
}

std::vector<CallId> Switch::calls_at(AddressRef address) const {
  const AddressSlot* s = slot(address);
  if (s == nullptr) return {};
  return {s->calls.begin(), s->calls.end()};
}

std::vector<CallId> Switch::calls_on(std::uint32_t device) const {
  std::vector<CallId> out;
  if (device >= addresses_.size()) return out;
  for (const AddressSlot& s : addresses_[device]) out.insert(out.end(), s.calls.begin(), s.calls.end());
  std::sort(out.begin(), out.end());
  return out;
}

AddressCalls Switch::counts(AddressRef address) const {
  const AddressSlot* s = slot(address);
  return s == nullptr ? AddressCalls{} : s->counts;
}

Result<Appearance*> Switch::operable(CallId call, CallOp op) {
  Appearance* a = lookup(call);
  if (a == nullptr) return error(lineerr::kInvalCallHandle, "no call " + std::to_string(call));
  if (Status s = check_op(a->state, op); !s.ok()) return s;
  return a;
}

bool Switch::has_room(AddressRef address) const {
  const PlannedDevice* d = plan_.device(address.device);
  return d != nullptr && (d->max_active_calls == kUnlimited || counts(address).busy < d->max_active_calls);
}

Result<AddressRef> Switch::reachable(std::string_view destination) const {
  if (!is_dialable_number(destination)) {
    return error(lineerr::kInvalAddress, "\"" + std::string(destination) + "\" is not a dialable number");
  }
  const std::optional<AddressRef> to = plan_.find(destination);
  if (!to) return error(lineerr::kInvalAddress, "nobody has the number " + std::string(destination));
  if (!has_room(*to)) return error(lineerr::kResourceUnavail, std::string(destination) + " is busy");
  if (calls_.size() >= limits_.max_calls) {
    return error(lineerr::kResourceUnavail,
                 "the switch holds its maximum of " + std::to_string(limits_.max_calls) + " calls");
  }
  return *to;
}

PartyId Switch::party_of(AddressRef address) const {
  const PlannedAddress* a = plan_.address(address);
  return a == nullptr ? PartyId{} : PartyId{a->number, a->name};
}

// ---- the only places states and counts change ----

void Switch::touch(AddressRef address) {
  for (const auto& [ref, before] : touched_) {
    if (ref == address) return;
  }
  touched_.emplace_back(address, counts(address));
}

void Switch::flush_counts(Events& events) {
  for (const auto& [ref, before] : touched_) {
    const AddressCalls after = counts(ref);
    if (after.active == before.active && after.on_hold == before.on_hold) continue;
    CallEvent e;
    e.kind = CallEvent::Kind::kAddressCalls;
    e.address = ref;
    e.before = before;
    e.after = after;
    events.push_back(e);
  }
  touched_.clear();
}

namespace {
void count(AddressCalls& c, CallState s, int delta) {
  const auto add = [delta](std::uint32_t& n) { n = static_cast<std::uint32_t>(static_cast<int>(n) + delta); };
  if (s == CallState::kOnHold) {
    add(c.on_hold);
  } else if (s != CallState::kIdle) {
    add(c.active);
  }
  if (is_active(s)) add(c.busy);
}
}  // namespace

Appearance& Switch::create(Appearance appearance, Events& events) {
  // Ids wrap after 2^32 - 1 appearances; one still held is skipped.
  do {
    ++last_id_;
  } while (last_id_ == 0 || calls_.contains(last_id_));
  appearance.id = last_id_;
  touch(appearance.address);
  AddressSlot& s = *slot(appearance.address);
  s.calls.insert(appearance.id);
  count(s.counts, appearance.state, +1);
  Appearance& a = calls_.emplace(appearance.id, std::move(appearance)).first->second;
  CallEvent e;
  e.kind = CallEvent::Kind::kCreated;
  e.call = a.id;
  e.address = a.address;
  e.state = a.state;
  e.mode = a.state_mode;
  events.push_back(e);
  return a;
}

void Switch::enter(Appearance& a, CallState state, std::uint32_t mode, TimePoint now, Events& events) {
  touch(a.address);
  AddressSlot& s = *slot(a.address);
  count(s.counts, a.state, -1);
  count(s.counts, state, +1);
  a.state = state;
  a.state_mode = mode;
  a.state_since = now;
  CallEvent e;
  e.kind = CallEvent::Kind::kState;
  e.call = a.id;
  e.address = a.address;
  e.state = state;
  e.mode = mode;
  events.push_back(e);
}

void Switch::disconnect_peer(Appearance& a, std::uint32_t mode, TimePoint now, Events& events) {
  Appearance* far = lookup(a.peer);
  a.peer = 0;
  if (far == nullptr) return;
  far->peer = 0;
  if (far->state != CallState::kIdle && far->state != CallState::kDisconnected) {
    enter(*far, CallState::kDisconnected, mode, now, events);
  }
}

// ---- operations ----

Result<CallId> Switch::make_call(AddressRef from, std::string_view destination, const MakeCallParams& params,
                                 TimePoint now, Events& events) {
  const PlannedDevice* device = plan_.device(from.device);
  if (plan_.address(from) == nullptr) {
    return error(lineerr::kInvalAddressId,
                 "no address " + std::to_string(from.address) + " on device " + std::to_string(from.device));
  }
  if (!is_dialable_number(destination)) {
    return error(lineerr::kInvalAddress, "\"" + std::string(destination) + "\" is not a dialable number");
  }
  if (params.media_mode != 0 && params.media_mode != kMediaInteractiveVoice) {
    return error(lineerr::kInvalMediaMode, "only interactive voice is carried");
  }
  if (params.bearer_mode != 0 && params.bearer_mode != kBearerVoice) {
    return error(lineerr::kInvalBearerMode, "only the voice bearer mode is carried");
  }
  if (params.caller) {
    if (device->kind != DeviceKind::kTrunk) {
      return error(lineerr::kInvalCallParams, "only a call from the trunk may present another caller ID");
    }
    if (!params.caller->number.empty() && !is_dialable_number(params.caller->number)) {
      return error(lineerr::kInvalCallParams,
                   "caller number \"" + params.caller->number + "\" is not a dialable number");
    }
    if (params.caller->name.size() > limits_.max_party_name_bytes) {
      return error(lineerr::kInvalCallParams,
                   "caller name longer than " + std::to_string(limits_.max_party_name_bytes) + " bytes");
    }
  }
  if (params.call_data.size() > limits_.max_call_data_bytes) {
    return error(lineerr::kInvalParam,
                 "call data longer than " + std::to_string(limits_.max_call_data_bytes) + " bytes");
  }
  if (!has_room(from)) return error(lineerr::kCallUnavail, "the address already has a call");
  // Room for both appearances.
  if (calls_.size() + 2 > limits_.max_calls) {
    return error(lineerr::kResourceUnavail,
                 "the switch holds its maximum of " + std::to_string(limits_.max_calls) + " calls");
  }

  const std::optional<AddressRef> to = plan_.find(destination);
  const bool from_trunk = device->kind == DeviceKind::kTrunk;

  Appearance orig;
  orig.address = from;
  orig.state = CallState::kDialing;
  orig.state_since = now;
  orig.origin = origin::kOutbound;
  orig.reason = reason::kDirect;
  orig.self = from_trunk ? params.caller.value_or(PartyId{}) : party_of(from);
  orig.caller = orig.self;
  orig.called = to ? party_of(*to) : PartyId{std::string(destination), {}};
  orig.call_data = params.call_data;
  const CallId id = create(std::move(orig), events).id;

  enter(calls_.at(id), CallState::kProceeding, 0, now, events);
  if (!to) {
    enter(calls_.at(id), CallState::kDisconnected, mode::kDisconnectBadAddress, now, events);
  } else if (!has_room(*to)) {
    enter(calls_.at(id), CallState::kBusy, mode::kBusyStation, now, events);
  } else {
    const Appearance& caller = calls_.at(id);
    Appearance dest;
    dest.address = *to;
    dest.state = CallState::kOffering;
    dest.state_mode = mode::kOfferingActive;
    dest.state_since = now;
    dest.peer = id;
    dest.related = id;
    dest.origin = from_trunk ? origin::kExternal : origin::kInternal;
    dest.reason = reason::kDirect;
    dest.self = party_of(*to);
    dest.caller = caller.self;
    dest.called = caller.called;
    dest.call_data = caller.call_data;
    const CallId dest_id = create(std::move(dest), events).id;
    Appearance& a = calls_.at(id);
    a.peer = dest_id;
    a.related = dest_id;
    enter(a, CallState::kRingback, 0, now, events);
  }
  flush_counts(events);
  return id;
}

Status Switch::answer(CallId call, TimePoint now, Events& events) {
  Result<Appearance*> r = operable(call, CallOp::kAnswer);
  if (!r) return r.status();
  Appearance& a = **r;
  Appearance& caller = calls_.at(a.peer);  // an OFFERING appearance always has its caller
  enter(a, CallState::kConnected, mode::kConnectedActive, now, events);
  enter(caller, CallState::kConnected, mode::kConnectedActive, now, events);
  a.connected = caller.self;
  caller.connected = a.self;
  events.push_back(CallEvent{CallEvent::Kind::kInfo, a.id, a.address, a.state, 0, info::kConnectedId, {}, {}});
  events.push_back(
      CallEvent{CallEvent::Kind::kInfo, caller.id, caller.address, caller.state, 0, info::kConnectedId, {}, {}});
  flush_counts(events);
  return Status();
}

Status Switch::drop(CallId call, TimePoint now, Events& events, DropBy by) {
  Result<Appearance*> r = operable(call, CallOp::kDrop);
  if (!r) return r.status();
  Appearance& a = **r;
  // lineDrop of an offered call rejects it: the caller hears why.
  const bool rejected = by == DropBy::kOwner && a.state == CallState::kOffering;
  const std::uint32_t far_mode = rejected ? mode::kDisconnectReject : mode::kDisconnectNormal;
  enter(a, CallState::kIdle, 0, now, events);
  disconnect_peer(a, far_mode, now, events);
  flush_counts(events);
  return Status();
}

Status Switch::hold(CallId call, TimePoint now, Events& events) {
  Result<Appearance*> r = operable(call, CallOp::kHold);
  if (!r) return r.status();
  Appearance& a = **r;
  const PlannedDevice& d = *plan_.device(a.address.device);
  if (d.max_on_hold_calls != kUnlimited && counts(a.address).on_hold >= d.max_on_hold_calls) {
    return error(lineerr::kResourceUnavail,
                 "the address already holds " + std::to_string(d.max_on_hold_calls) + " call(s) on hold");
  }
  enter(a, CallState::kOnHold, 0, now, events);
  flush_counts(events);
  return Status();
}

Status Switch::unhold(CallId call, TimePoint now, Events& events) {
  Result<Appearance*> r = operable(call, CallOp::kUnhold);
  if (!r) return r.status();
  Appearance& a = **r;
  if (!has_room(a.address)) return error(lineerr::kResourceUnavail, "another call is active on the address");
  enter(a, CallState::kConnected, mode::kConnectedActive, now, events);
  flush_counts(events);
  return Status();
}

Status Switch::blind_transfer(CallId call, std::string_view destination, TimePoint now, Events& events) {
  Result<Appearance*> r = operable(call, CallOp::kBlindTransfer);
  if (!r) return r.status();
  Appearance& a = **r;
  Appearance& far = calls_.at(a.peer);  // a CONNECTED appearance always has its far end
  if (far.state != CallState::kConnected) {
    return error(lineerr::kInvalCallState, "the far end has the call " + std::string(to_string(far.state)));
  }
  Result<AddressRef> to = reachable(destination);
  if (!to) return to.status();

  Appearance next;
  next.address = *to;
  next.state = CallState::kOffering;
  next.state_mode = mode::kOfferingActive;
  next.state_since = now;
  next.peer = far.id;
  next.related = far.id;
  next.origin = plan_.device(far.address.device)->kind == DeviceKind::kTrunk ? origin::kExternal : origin::kInternal;
  next.reason = reason::kTransfer;
  next.media_mode = a.media_mode;
  next.bearer_mode = a.bearer_mode;
  next.self = party_of(*to);
  next.caller = far.self;
  next.called = party_of(*to);
  next.redirecting = a.self;
  next.redirection = next.self;
  next.call_data = a.call_data;

  a.peer = 0;
  far.peer = 0;
  enter(a, CallState::kIdle, 0, now, events);
  enter(far, CallState::kRingback, 0, now, events);
  const CallId next_id = create(std::move(next), events).id;
  Appearance& f = *lookup(far.id);
  f.peer = next_id;
  f.related = next_id;
  f.connected = {};
  f.redirection = party_of(*to);
  events.push_back(CallEvent{CallEvent::Kind::kInfo,
                             f.id,
                             f.address,
                             f.state,
                             0,
                             info::kRelatedCallId | info::kConnectedId | info::kRedirectionId,
                             {},
                             {}});
  flush_counts(events);
  return Status();
}

Status Switch::redirect(CallId call, std::string_view destination, TimePoint now, Events& events) {
  Result<Appearance*> r = operable(call, CallOp::kRedirect);
  if (!r) return r.status();
  Result<AddressRef> to = reachable(destination);
  if (!to) return to.status();
  Appearance& a = **r;
  const CallId caller_id = a.peer;  // an OFFERING appearance always has its caller

  Appearance next;
  next.address = *to;
  next.state = CallState::kOffering;
  next.state_mode = mode::kOfferingActive;
  next.state_since = now;
  next.peer = caller_id;
  next.related = caller_id;
  next.origin = a.origin;
  next.reason = reason::kRedirect;
  next.media_mode = a.media_mode;
  next.bearer_mode = a.bearer_mode;
  next.self = party_of(*to);
  next.caller = a.caller;
  next.called = a.called;
  next.redirecting = a.self;
  next.redirection = next.self;
  next.call_data = a.call_data;

  a.peer = 0;
  enter(a, CallState::kIdle, 0, now, events);
  const CallId next_id = create(std::move(next), events).id;
  Appearance& caller = calls_.at(caller_id);
  caller.peer = next_id;
  caller.related = next_id;
  caller.redirection = party_of(*to);
  events.push_back(CallEvent{CallEvent::Kind::kInfo,
                             caller.id,
                             caller.address,
                             caller.state,
                             0,
                             info::kRelatedCallId | info::kRedirectionId,
                             {},
                             {}});
  flush_counts(events);
  return Status();
}

Status Switch::set_call_data(CallId call, std::string data, Events& events) {
  Result<Appearance*> r = operable(call, CallOp::kSetCallData);
  if (!r) return r.status();
  if (data.size() > limits_.max_call_data_bytes) {
    return error(lineerr::kInvalParam,
                 "call data longer than " + std::to_string(limits_.max_call_data_bytes) + " bytes");
  }
  Appearance& a = **r;
  a.call_data = std::move(data);
  events.push_back(CallEvent{CallEvent::Kind::kInfo, a.id, a.address, a.state, 0, info::kCallData, {}, {}});
  return Status();
}

Status Switch::set_app_specific(CallId call, std::uint32_t value, Events& events) {
  Appearance* a = lookup(call);
  if (a == nullptr) return error(lineerr::kInvalCallHandle, "no call " + std::to_string(call));
  a->app_specific = value;
  events.push_back(CallEvent{CallEvent::Kind::kInfo, a->id, a->address, a->state, 0, info::kAppSpecific, {}, {}});
  return Status();
}

bool Switch::forget(CallId call) {
  const auto it = calls_.find(call);
  if (it == calls_.end() || it->second.state != CallState::kIdle) return false;
  slot(it->second.address)->calls.erase(call);
  calls_.erase(it);
  return true;
}

}  // namespace opentapi::switching
