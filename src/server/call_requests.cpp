// The Switchboard's call functions: TAPISRV's part of calls (docs/calls.md
// "Privileges, handles and messages"). The switch (src/switch) decides what
// happens to the calls; this file decides who hears of it, under which
// handle, and answers the requests.
#include <tapi.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "server/call_views.h"
#include "server/switchboard.h"

namespace opentapi::server {
namespace {

using switching::CallEvent;
using switching::CallId;
using switching::CallState;

constexpr std::uint32_t kOwner = LINECALLPRIVILEGE_OWNER;
constexpr std::uint32_t kMonitor = LINECALLPRIVILEGE_MONITOR;

// LINE_CALLINFO bits telling the other holders that a handle of privilege
// `privilege` came or went.
std::uint32_t handle_count_bits(std::uint32_t privilege, bool came) {
  if (privilege == kMonitor) return LINECALLINFOSTATE_NUMMONITORS;
  return came ? LINECALLINFOSTATE_NUMOWNERINCR : LINECALLINFOSTATE_NUMOWNERDECR;
}

bool is_async(wire::CallControl::Op op) {
  switch (op) {
    case wire::CallControl::ANSWER:
    case wire::CallControl::DROP:
    case wire::CallControl::HOLD:
    case wire::CallControl::UNHOLD:
    case wire::CallControl::BLIND_TRANSFER:
    case wire::CallControl::REDIRECT:
    case wire::CallControl::SET_CALL_DATA:
      return true;
    default:
      return false;
  }
}

}  // namespace

core::TimePoint Switchboard::now() const {
  if (config_.clock) return config_.clock();
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return core::TimePoint::from_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
}

// ---- handles ----

std::uint32_t Switchboard::give_handle(ConnectionId conn, Application& app, std::uint32_t hline, CallId call,
                                       std::uint32_t privilege, bool told_privilege) {
  std::uint32_t hcall = app.last_hcall;
  do {
    ++hcall;
  } while (hcall == 0 || app.calls.contains(hcall));
  app.last_hcall = hcall;
  app.calls.emplace(hcall, CallHandle{call, hline, privilege});
  app.lines.at(hline).calls.emplace(call, hcall);
  records_[call].holders.push_back(Holder{conn, hline, hcall, privilege, told_privilege});
  return hcall;
}

void Switchboard::take_handle(ConnectionId conn, Application& app, std::uint32_t hcall) {
  const auto it = app.calls.find(hcall);
  if (it == app.calls.end()) return;
  const CallHandle handle = it->second;
  app.calls.erase(it);
  if (const auto line = app.lines.find(handle.hline); line != app.lines.end()) line->second.calls.erase(handle.call);
  if (const auto rec = records_.find(handle.call); rec != records_.end()) {
    std::erase_if(rec->second.holders, [&](const Holder& h) { return h.conn == conn && h.hcall == hcall; });
  }
}

std::size_t Switchboard::owners_of(CallId call) const {
  const auto rec = records_.find(call);
  if (rec == records_.end()) return 0;
  return static_cast<std::size_t>(std::count_if(rec->second.holders.begin(), rec->second.holders.end(),
                                                [](const Holder& h) { return h.privilege == kOwner; }));
}

void Switchboard::release_calls(ConnectionId conn, Application& app, std::uint32_t hline) {
  const LineOpen& open = app.lines.at(hline);
  std::vector<std::pair<CallId, std::uint32_t>> left;  // call, privilege of the handle taken
  left.reserve(open.calls.size());
  for (const auto& [call, hcall] : open.calls) left.emplace_back(call, app.calls.at(hcall).privilege);
  std::sort(left.begin(), left.end());
  for (const auto& [call, privilege] : left) take_handle(conn, app, app.lines.at(hline).calls.at(call));
  for (const auto& [call, privilege] : left) {
    call_info_to_holders(call, handle_count_bits(privilege, false));
    settle(call, privilege == kOwner);
  }
}

// A call is kept while someone can still end it or wants to see it end.
void Switchboard::settle(CallId call, bool owner_left) {
  const switching::Appearance* a = switch_.find(call);
  const auto rec = records_.find(call);
  if (a == nullptr) {
    if (rec != records_.end()) records_.erase(rec);
    return;
  }
  const bool held = rec != records_.end() && !rec->second.holders.empty();
  if (a->state == CallState::kIdle) {
    if (!held) {
      switch_.forget(call);
      if (rec != records_.end()) records_.erase(rec);
      calls_now_.store(switch_.size(), std::memory_order_relaxed);
    }
    return;
  }
  if (owners_of(call) > 0) return;
  // Nobody can drop a call that has ended at the far end but still holds
  // its address; and an owner that went away takes its calls with it.
  if (owner_left || a->state == CallState::kDisconnected || a->state == CallState::kBusy) {
    switching::Events events;
    if (switch_.drop(call, now(), events, switching::Switch::DropBy::kOwnerGone).ok()) publish(events);
  }
}

// ---- messages ----

void Switchboard::send_call_message(const Holder& h, std::uint32_t msg, std::uint32_t p1, std::uint32_t p2,
                                    std::uint32_t p3) {
  const auto it = apps_.find(h.conn);
  if (it == apps_.end() || it->second.stage != Stage::kReady) return;
  const auto line = it->second.lines.find(h.hline);
  if (line == it->second.lines.end()) return;
  wire::ServerToClient out;
  wire::Message* message = out.mutable_message();
  message->set_hline(h.hline);
  message->set_hcall(h.hcall);
  message->set_msg(msg);
  message->set_param1(p1);
  message->set_param2(p2);
  message->set_param3(p3);
  message->set_callback_instance(line->second.callback_instance);
  outbox_.send(h.conn, out);
}

void Switchboard::call_info_to_holders(CallId call, std::uint32_t bits,
                                       std::optional<std::pair<ConnectionId, std::uint32_t>> except) {
  const auto rec = records_.find(call);
  if (rec == records_.end()) return;
  for (const Holder& h : rec->second.holders) {
    if (except && except->first == h.conn && except->second == h.hcall) continue;
    send_call_message(h, LINE_CALLINFO, bits, 0, 0);
  }
}

void Switchboard::publish(const switching::Events& events) {
  std::vector<CallId> involved;
  for (const CallEvent& e : events) {
    switch (e.kind) {
      case CallEvent::Kind::kCreated:
        on_created(e);
        break;
      case CallEvent::Kind::kState:
        if (const auto rec = records_.find(e.call); rec != records_.end()) {
          for (Holder& h : rec->second.holders) {
            // docs/calls.md: the first LINE_CALLSTATE a handle gets carries its privilege.
            send_call_message(h, LINE_CALLSTATE, switching::dword(e.state), e.mode, h.told_privilege ? 0 : h.privilege);
            h.told_privilege = true;
          }
        }
        break;
      case CallEvent::Kind::kInfo:
        call_info_to_holders(e.call, e.info);
        break;
      case CallEvent::Kind::kAddressCalls:
        on_address_calls(e);
        break;
    }
    if (e.call != 0 && std::find(involved.begin(), involved.end(), e.call) == involved.end()) {
      involved.push_back(e.call);
    }
  }
  calls_now_.store(switch_.size(), std::memory_order_relaxed);
  for (CallId call : involved) settle(call);
}

void Switchboard::on_created(const CallEvent& e) {
  const switching::Appearance& a = *switch_.find(e.call);
  CallRecord& record = records_[e.call];
  // Windows: an offered call gets one owner, the first open (in open order)
  // that owns calls of its media mode; every open that monitors gets a
  // MONITOR handle. A call made here already has its owner (the maker).
  const bool offered = e.state == CallState::kOffering;
  bool owned =
      std::any_of(record.holders.begin(), record.holders.end(), [](const Holder& h) { return h.privilege == kOwner; });
  for (const OpenRef& ref : opens_[e.address.device]) {
    const auto it = apps_.find(ref.conn);
    if (it == apps_.end() || it->second.stage != Stage::kReady) continue;
    Application& app = it->second;
    const LineOpen& open = app.lines.at(ref.hline);
    if (open.calls.contains(e.call)) continue;
    if (open.single_address && *open.single_address != e.address.address) continue;
    std::uint32_t privilege = 0;
    if (offered && !owned && (open.privileges & kOwner) != 0 && (open.media_modes & a.media_mode) != 0) {
      privilege = kOwner;
      owned = true;
    } else if ((open.privileges & kMonitor) != 0) {
      privilege = kMonitor;
    } else {
      continue;
    }
    const std::uint32_t hcall = give_handle(ref.conn, app, ref.hline, e.call, privilege, false);
    send_call_message(records_[e.call].holders.back(), LINE_APPNEWCALL, e.address.address, hcall, privilege);
  }
  for (Holder& h : records_[e.call].holders) {
    send_call_message(h, LINE_CALLSTATE, switching::dword(e.state), e.mode, h.told_privilege ? 0 : h.privilege);
    h.told_privilege = true;
  }
}

void Switchboard::on_address_calls(const CallEvent& e) {
  std::uint32_t address_bits = LINEADDRESSSTATE_NUMCALLS;
  if (e.before.in_use() != e.after.in_use()) {
    address_bits |= e.after.in_use() ? LINEADDRESSSTATE_INUSEONE : LINEADDRESSSTATE_INUSEZERO;
  }
  wire::ServerToClient out;
  wire::Message* message = out.mutable_message();
  for (const OpenRef& ref : opens_[e.address.device]) {
    const auto it = apps_.find(ref.conn);
    if (it == apps_.end() || it->second.stage != Stage::kReady) continue;
    const LineOpen& open = it->second.lines.at(ref.hline);
    message->set_hline(ref.hline);
    message->set_callback_instance(open.callback_instance);
    const std::uint32_t bits = address_bits & open.address_states;
    if (bits != 0 && (!open.single_address || *open.single_address == e.address.address)) {
      message->set_msg(LINE_ADDRESSSTATE);
      message->set_param1(e.address.address);
      message->set_param2(bits);
      outbox_.send(ref.conn, out);
    }
    if ((open.line_states & LINEDEVSTATE_NUMCALLS) != 0) {
      message->set_msg(LINE_LINEDEVSTATE);
      message->set_param1(LINEDEVSTATE_NUMCALLS);
      message->set_param2(0);
      outbox_.send(ref.conn, out);
    }
  }
}

// ---- asynchronous completion ----

void Switchboard::complete_at_once(ConnectionId conn, Application& app, std::uint32_t seq, std::uint32_t request_id,
                                   std::uint32_t hcall) {
  if (seq == 0) {
    // Nobody asked for the request id: nobody expects the LINE_REPLY either.
    app.requests.complete(request_id);
    return;
  }
  answer(conn, seq, static_cast<std::int32_t>(request_id));
  send_reply(conn, request_id, 0, nullptr, hcall);
}

// ---- requests ----

void Switchboard::on_make_call(ConnectionId conn, Application& app, std::uint32_t seq, const wire::MakeCall& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  const std::uint32_t device = line->second.device_id;
  switching::AddressRef from{device, m.address_id()};
  if (!m.orig_address().empty()) {
    const std::optional<switching::AddressRef> found = switch_.plan().find(m.orig_address());
    if (!found || found->device != device) return answer(conn, seq, LINEERR_INVALADDRESS);
    from = *found;
  } else if (m.address_id() >= switch_.plan().device(device)->addresses.size()) {
    return answer(conn, seq, LINEERR_INVALADDRESSID);
  }
  switching::MakeCallParams params;
  if (m.has_params()) {
    const wire::CallParams& p = m.params();
    params.media_mode = p.media_mode();
    params.bearer_mode = p.bearer_mode();
    if (!p.caller_number().empty() || !p.caller_name().empty()) {
      params.caller = switching::PartyId{p.caller_number(), p.caller_name()};
    }
    params.call_data = p.call_data();
  }
  if (app.requests.size() >= config_.max_outstanding_requests) return answer(conn, seq, LINEERR_RESOURCEUNAVAIL);
  const std::uint32_t request_id = app.requests.allocate(0);
  if (request_id == 0) return answer(conn, seq, LINEERR_RESOURCEUNAVAIL);

  switching::Events events;
  const auto made = switch_.make_call(from, m.destination(), params, now(), events);
  if (!made) {
    app.requests.complete(request_id);
    return answer(conn, seq, made.status().lineerr());
  }
  calls_made_.store(calls_made_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  records_[*made].app_name = app.app_name;
  // Windows: the maker owns its call whatever privilege its line has.
  const std::uint32_t hcall = give_handle(conn, app, m.hline(), *made, kOwner, false);
  complete_at_once(conn, app, seq, request_id, hcall);
  publish(events);
}

void Switchboard::on_call_control(ConnectionId conn, Application& app, std::uint32_t seq, const wire::CallControl& m) {
  const auto it = app.calls.find(m.hcall());
  if (it == app.calls.end()) return answer(conn, seq, LINEERR_INVALCALLHANDLE);
  const CallHandle handle = it->second;
  const CallId call = handle.call;
  const switching::Appearance& a = *switch_.find(call);  // a handle keeps its call

  switch (m.op()) {
    case wire::CallControl::DEALLOCATE: {
      // Windows, API 2.0 and later (every version this server accepts): even
      // the sole owner of a live call may let go of its handle, and the call
      // goes on. docs/calls.md: once nobody holds any handle to it, a live
      // call is dropped, so none is left that nobody could end.
      (void)a;
      answer(conn, seq, 0);
      take_handle(conn, app, m.hcall());
      call_info_to_holders(call, handle_count_bits(handle.privilege, false));
      const auto rec = records_.find(call);
      settle(call, /*owner_left=*/rec == records_.end() || rec->second.holders.empty());
      return;
    }
    case wire::CallControl::SET_PRIVILEGE: {
      const std::uint32_t wanted = m.privilege();
      if (wanted != kOwner && wanted != kMonitor) return answer(conn, seq, LINEERR_INVALCALLPRIVILEGE);
      if (wanted == handle.privilege) return answer(conn, seq, 0);
      if (wanted == kMonitor && a.state != CallState::kIdle && owners_of(call) == 1) {
        return answer(conn, seq, LINEERR_INVALCALLSTATE);
      }
      answer(conn, seq, 0);
      it->second.privilege = wanted;
      Holder* self = nullptr;
      for (Holder& h : records_[call].holders) {
        if (h.conn == conn && h.hcall == m.hcall()) self = &h;
      }
      self->privilege = wanted;
      self->told_privilege = true;
      // Windows: a privilege change is told with a LINE_CALLSTATE carrying it.
      send_call_message(*self, LINE_CALLSTATE, switching::dword(a.state), a.state_mode, wanted);
      call_info_to_holders(call,
                           LINECALLINFOSTATE_NUMMONITORS |
                               (wanted == kOwner ? LINECALLINFOSTATE_NUMOWNERINCR : LINECALLINFOSTATE_NUMOWNERDECR),
                           std::pair{conn, m.hcall()});
      return;
    }
    case wire::CallControl::SET_APP_SPECIFIC: {
      if (handle.privilege != kOwner) return answer(conn, seq, LINEERR_NOTOWNER);
      switching::Events events;
      const core::Status s = switch_.set_app_specific(call, m.app_specific(), events);
      answer(conn, seq, s.lineerr());
      publish(events);
      return;
    }
    default:
      break;
  }
  if (!is_async(m.op())) return answer(conn, seq, LINEERR_INVALPARAM);
  if (handle.privilege != kOwner) return answer(conn, seq, LINEERR_NOTOWNER);
  if (app.requests.size() >= config_.max_outstanding_requests) return answer(conn, seq, LINEERR_RESOURCEUNAVAIL);
  const std::uint32_t request_id = app.requests.allocate(0);
  if (request_id == 0) return answer(conn, seq, LINEERR_RESOURCEUNAVAIL);

  switching::Events events;
  const core::TimePoint t = now();
  core::Status s;
  switch (m.op()) {
    case wire::CallControl::ANSWER:
      s = switch_.answer(call, t, events);
      break;
    case wire::CallControl::DROP:
      s = switch_.drop(call, t, events);
      break;
    case wire::CallControl::HOLD:
      s = switch_.hold(call, t, events);
      break;
    case wire::CallControl::UNHOLD:
      s = switch_.unhold(call, t, events);
      break;
    case wire::CallControl::BLIND_TRANSFER:
      s = switch_.blind_transfer(call, m.destination(), t, events);
      break;
    case wire::CallControl::REDIRECT:
      s = switch_.redirect(call, m.destination(), t, events);
      break;
    default:  // SET_CALL_DATA (is_async lists no other)
      s = switch_.set_call_data(call, m.call_data(), events);
      break;
  }
  if (!s.ok()) {
    app.requests.complete(request_id);
    return answer(conn, seq, s.lineerr());
  }
  complete_at_once(conn, app, seq, request_id, 0);
  publish(events);
}

void Switchboard::on_get_dev_caps(ConnectionId conn, std::uint32_t seq, const wire::GetDevCaps& m) {
  if (m.device_id() >= config_.devices.size()) return answer(conn, seq, LINEERR_BADDEVICEID);
  if (m.api_version() < kLowestApiVersion || m.api_version() > kHighestApiVersion) {
    return answer(conn, seq, LINEERR_INCOMPATIBLEAPIVERSION);
  }
  if (m.ext_version() != 0) return answer(conn, seq, LINEERR_INCOMPATIBLEEXTVERSION);
  wire::Result extra;
  *extra.mutable_dev_caps() = dev_caps(switch_, m.device_id(), config_.server_version);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_get_address_caps(ConnectionId conn, std::uint32_t seq, const wire::GetAddressCaps& m) {
  if (m.device_id() >= config_.devices.size()) return answer(conn, seq, LINEERR_BADDEVICEID);
  if (m.api_version() < kLowestApiVersion || m.api_version() > kHighestApiVersion) {
    return answer(conn, seq, LINEERR_INCOMPATIBLEAPIVERSION);
  }
  if (m.ext_version() != 0) return answer(conn, seq, LINEERR_INCOMPATIBLEEXTVERSION);
  const switching::AddressRef address{m.device_id(), m.address_id()};
  if (switch_.plan().address(address) == nullptr) return answer(conn, seq, LINEERR_INVALADDRESSID);
  wire::Result extra;
  *extra.mutable_address_caps() = address_caps(switch_, address);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_get_address_status(ConnectionId conn, Application& app, std::uint32_t seq,
                                        const wire::GetAddressStatus& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  const switching::AddressRef address{line->second.device_id, m.address_id()};
  if (switch_.plan().address(address) == nullptr) return answer(conn, seq, LINEERR_INVALADDRESSID);
  wire::Result extra;
  *extra.mutable_address_status() = address_status(switch_, address);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_get_line_dev_status(ConnectionId conn, Application& app, std::uint32_t seq,
                                         const wire::GetLineDevStatus& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  const std::uint32_t device = line->second.device_id;
  wire::Result extra;
  wire::LineDevStatus* st = extra.mutable_line_dev_status();
  std::uint32_t open_media = 0;
  for (const OpenRef& ref : opens_[device]) {
    const auto it = apps_.find(ref.conn);
    if (it == apps_.end() || it->second.stage != Stage::kReady) continue;
    const Application& other = it->second;
    const LineOpen& open = other.lines.at(ref.hline);
    open_media |= open.media_modes;
    wire::AppInfo* info = st->add_app_info();
    info->set_machine_name(other.machine);
    info->set_user_name(other.identity.user);
    info->set_friendly_name(other.app_name);
    info->set_media_modes(open.media_modes);
    info->set_address_id(open.single_address.value_or(0xFFFFFFFF));
  }
  std::uint32_t active = 0;
  std::uint32_t on_hold = 0;
  const auto addresses = static_cast<std::uint32_t>(switch_.plan().device(device)->addresses.size());
  for (std::uint32_t a = 0; a < addresses; ++a) {
    const switching::AddressCalls c = switch_.counts({device, a});
    active += c.active;
    on_hold += c.on_hold;
  }
  st->set_num_opens(static_cast<std::uint32_t>(st->app_info_size()));
  st->set_open_media_modes(open_media);
  st->set_num_active_calls(active);
  st->set_num_on_hold_calls(on_hold);
  st->set_line_features(LINEFEATURE_MAKECALL);
  st->set_dev_status_flags(LINEDEVSTATUSFLAGS_CONNECTED | LINEDEVSTATUSFLAGS_INSERVICE);
  st->set_available_media_modes(LINEMEDIAMODE_INTERACTIVEVOICE);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_get_call_info(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetCallInfo& m) {
  const auto it = app.calls.find(m.hcall());
  if (it == app.calls.end()) return answer(conn, seq, LINEERR_INVALCALLHANDLE);
  const CallId call = it->second.call;
  const CallRecord& record = records_.at(call);
  const auto owners = static_cast<std::uint32_t>(owners_of(call));
  const auto monitors = static_cast<std::uint32_t>(record.holders.size()) - owners;
  wire::Result extra;
  *extra.mutable_call_info() = call_info(*switch_.find(call), owners, monitors, record.app_name);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_get_call_status(ConnectionId conn, Application& app, std::uint32_t seq,
                                     const wire::GetCallStatus& m) {
  const auto it = app.calls.find(m.hcall());
  if (it == app.calls.end()) return answer(conn, seq, LINEERR_INVALCALLHANDLE);
  wire::Result extra;
  *extra.mutable_call_status() = call_status(*switch_.find(it->second.call), it->second.privilege);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_get_call_ids(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetCallIds& m) {
  const auto it = app.calls.find(m.hcall());
  if (it == app.calls.end()) return answer(conn, seq, LINEERR_INVALCALLHANDLE);
  const switching::Appearance& a = *switch_.find(it->second.call);
  wire::Result extra;
  wire::CallIds* ids = extra.mutable_call_ids();
  ids->set_address_id(a.address.address);
  ids->set_call_id(a.id);
  ids->set_related_call_id(a.related);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_get_new_calls(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetNewCalls& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  const std::uint32_t device = line->second.device_id;
  std::vector<CallId> calls;
  if (m.select() == LINECALLSELECT_LINE) {
    calls = switch_.calls_on(device);
  } else if (m.select() == LINECALLSELECT_ADDRESS) {
    if (switch_.plan().address({device, m.address_id()}) == nullptr) return answer(conn, seq, LINEERR_INVALADDRESSID);
    calls = switch_.calls_at({device, m.address_id()});
  } else {
    return answer(conn, seq, LINEERR_INVALCALLSELECT);
  }
  const std::optional<std::uint32_t> only = line->second.single_address;
  wire::Result extra;
  std::vector<std::pair<CallId, std::uint32_t>> given;  // call, the new handle
  for (CallId call : calls) {
    const switching::Appearance& a = *switch_.find(call);
    if (a.state == CallState::kIdle || app.lines.at(m.hline()).calls.contains(call)) continue;
    if (only && *only != a.address.address) continue;
    // Windows: lineGetNewCalls grants monitor privilege; no LINE_APPNEWCALL.
    const std::uint32_t hcall = give_handle(conn, app, m.hline(), call, kMonitor, true);
    extra.add_hcalls(hcall);
    given.emplace_back(call, hcall);
  }
  answer(conn, seq, 0, &extra);
  for (const auto& [call, hcall] : given)
    call_info_to_holders(call, LINECALLINFOSTATE_NUMMONITORS, std::pair{conn, hcall});
}

void Switchboard::on_get_address_id(ConnectionId conn, Application& app, std::uint32_t seq,
                                    const wire::GetAddressId& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  if (m.address_mode() != LINEADDRESSMODE_DIALABLEADDR) return answer(conn, seq, LINEERR_INVALADDRESSMODE);
  const std::optional<switching::AddressRef> found = switch_.plan().find(m.address());
  if (!found || found->device != line->second.device_id) return answer(conn, seq, LINEERR_INVALADDRESS);
  wire::Result extra;
  extra.set_address_id(found->address);
  answer(conn, seq, 0, &extra);
}

void Switchboard::on_set_status_messages(ConnectionId conn, Application& app, std::uint32_t seq,
                                         const wire::SetStatusMessages& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  // docs/server.md: any bit Windows defines is accepted; only those the
  // device reports (LINEDEVCAPS.dwLineStates, LINEADDRESSCAPS.dwAddressStates) ever come.
  if ((m.line_states() & ~kAllLineStates) != 0) return answer(conn, seq, LINEERR_INVALLINESTATE);
  if ((m.address_states() & ~kAllAddressStates) != 0) return answer(conn, seq, LINEERR_INVALADDRESSSTATE);
  line->second.line_states = m.line_states();
  line->second.address_states = m.address_states();
  answer(conn, seq, 0);
}

// docs/server.md "Rings before answering": each open keeps its own number per
// address (TAPI's toll saver across independent applications); the answer is
// the smallest any open of the device holds now, so it changes as opens come
// and go.
void Switchboard::on_set_num_rings(ConnectionId conn, Application& app, std::uint32_t seq, const wire::SetNumRings& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  if (switch_.plan().address({line->second.device_id, m.address_id()}) == nullptr) {
    return answer(conn, seq, LINEERR_INVALADDRESSID);
  }
  line->second.num_rings[m.address_id()] = m.num_rings();
  answer(conn, seq, 0);
}

void Switchboard::on_get_num_rings(ConnectionId conn, Application& app, std::uint32_t seq, const wire::GetNumRings& m) {
  const auto line = app.lines.find(m.hline());
  if (line == app.lines.end()) return answer(conn, seq, LINEERR_INVALLINEHANDLE);
  const std::uint32_t device = line->second.device_id;
  if (switch_.plan().address({device, m.address_id()}) == nullptr) return answer(conn, seq, LINEERR_INVALADDRESSID);
  std::uint32_t rings = 0xFFFFFFFF;
  for (const OpenRef& ref : opens_[device]) {
    const auto it = apps_.find(ref.conn);
    if (it == apps_.end() || it->second.stage != Stage::kReady) continue;
    const auto open = it->second.lines.find(ref.hline);
    if (open == it->second.lines.end()) continue;
    const auto set = open->second.num_rings.find(m.address_id());
    if (set != open->second.num_rings.end()) rings = std::min(rings, set->second);
  }
  wire::Result extra;
  extra.set_num_rings(rings);
  answer(conn, seq, 0, &extra);
}

}  // namespace opentapi::server
