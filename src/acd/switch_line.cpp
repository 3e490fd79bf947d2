// The ACD's TAPI side of the switch's calls (docs/calls.md "The ACD and its
// calls"): at connect it finds the route point and the trunk and reads the
// numbers of every address it needs; the model thread turns call messages
// into SwitchFacts for the bridge (switch_calls.h); the delivering thread
// (VirtualAcd::Impl::deliver) makes the TAPI calls the bridge decided, once
// the change behind them is durable.
#include <cstring>
#include <vector>

#include "acd/error_codes.h"
#include "acd/request_handler.h"
#include "acd/virtual_acd_impl.h"

namespace opentapi::acd {
namespace {

// A var-size TAPI structure in an 8-byte aligned buffer.
class VarBuffer {
 public:
  explicit VarBuffer(std::size_t bytes) : words_((bytes + 7) / 8, 0) {
    const DWORD total = static_cast<DWORD>(words_.size() * 8);
    std::memcpy(words_.data(), &total, sizeof total);
  }
  template <typename T>
  T* as() {
    return reinterpret_cast<T*>(words_.data());
  }
  // The A-form (UTF-8) string at size/offset, without its terminating NUL.
  std::string text(DWORD size, DWORD offset) const {
    const auto* base = reinterpret_cast<const char*>(words_.data());
    if (size == 0 || offset == 0 || std::size_t{offset} + size > words_.size() * 8) return {};
    std::string s(base + offset, size);
    while (!s.empty() && s.back() == '\0') s.pop_back();
    return s;
  }

 private:
  std::vector<std::uint64_t> words_;
};

std::string address_number(HLINEAPP happ, DWORD device, DWORD address, DWORD version) {
  VarBuffer buf(2048);
  if (lineGetAddressCapsA(happ, device, address, version, 0, buf.as<LINEADDRESSCAPS>()) != 0) return {};
  const LINEADDRESSCAPS* caps = buf.as<LINEADDRESSCAPS>();
  return buf.text(caps->dwAddressSize, caps->dwAddressOffset);
}

}  // namespace

Status VirtualAcd::Impl::open_switch_lines(HLINEAPP happ, DWORD num_devs) {
  switch_ = SwitchLines{};
  std::optional<DWORD> route;
  std::optional<DWORD> trunk;
  std::map<DWORD, DWORD> versions;
  for (DWORD device = 0; device < num_devs; ++device) {
    DWORD version = 0;
    LINEEXTENSIONID ext;
    if (lineNegotiateAPIVersion(happ, device, kAcdApiLow, kAcdApiHigh, &version, &ext) != 0) continue;
    versions[device] = version;
    VarBuffer caps(2048);
    if (lineGetAddressCapsA(happ, device, 0, version, 0, caps.as<LINEADDRESSCAPS>()) != 0) continue;
    if ((caps.as<LINEADDRESSCAPS>()->dwAddrCapFlags & LINEADDRCAPFLAGS_ROUTEPOINT) != 0) {
      route = device;
      continue;
    }
    VarBuffer dev(2048);
    if (lineGetDevCapsA(happ, device, version, 0, dev.as<LINEDEVCAPS>()) != 0) continue;
    const LINEDEVCAPS* d = dev.as<LINEDEVCAPS>();
    if (dev.text(d->dwLineNameSize, d->dwLineNameOffset) == "Outside lines") trunk = device;
  }
  if (!route) {
    log(LogLevel::kInfo, "event=acd-calls-off reason=\"the server has no ACD route point\"");
    return Status();
  }
  // The queues by the numbers of the route point's addresses.
  for (DWORD address = 0;; ++address) {
    const std::string number = address_number(happ, *route, address, versions[*route]);
    if (number.empty()) break;
    for (const QueueConfig& q : config_.queues) {
      if (q.number == number) {
        switch_.route_queues[address] = q.id;
        switch_.numbers.queues[q.id] = number;
      }
    }
  }
  for (std::uint32_t device : config_.lines) {
    for (DWORD address = 0; address < config_.addresses_per_line; ++address) {
      const std::string number = address_number(happ, device, address, versions[device]);
      if (!number.empty()) switch_.numbers.stations[{device, address}] = number;
    }
  }
  const auto open = [&](DWORD device, DWORD privileges, HLINE& hline) {
    const LONG rc = lineOpenW(happ, device, &hline, versions[device], 0, device, privileges,
                              LINEMEDIAMODE_INTERACTIVEVOICE, nullptr);
    if (rc != 0) {
      return Status::error(ErrorCode::kOperationFailed, "line device " + std::to_string(device) +
                                                            ": lineOpenW for calls failed: " + lineerr_text(rc));
    }
    return Status();
  };
  switch_.numbers.trunk = trunk.has_value();
  Status s = open(*route, LINECALLPRIVILEGE_OWNER, switch_.route);
  if (!s.ok()) return s;
  if (trunk) {
    s = open(*trunk, LINECALLPRIVILEGE_OWNER, switch_.trunk);
    if (!s.ok()) return s;
  }
  for (std::uint32_t device : config_.lines) {
    HLINE hline = 0;
    s = open(device, LINECALLPRIVILEGE_MONITOR, hline);
    if (!s.ok()) return s;
    switch_.stations[hline] = device;
  }
  log(LogLevel::kInfo, "event=acd-calls-on route_point=" + std::to_string(*route) +
                           " queues=" + std::to_string(switch_.numbers.queues.size()) +
                           " trunk=" + (trunk ? std::to_string(*trunk) : std::string("none")));
  return Status();
}

std::optional<SwitchFact> VirtualAcd::Impl::call_fact(const LINEMESSAGE& m) {
  SwitchFact f;
  if (m.dwMessageID == LINE_CALLSTATE) {
    f.kind = SwitchFact::Kind::kState;
    f.hcall = static_cast<CallHandle>(m.hDevice);
    f.state = static_cast<std::uint32_t>(m.dwParam1);
    f.mode = static_cast<std::uint32_t>(m.dwParam2);
    // The bridge hears of the IDLE before the handle can be reused.
    if (f.state == LINECALLSTATE_IDLE) (void)lineDeallocateCall(static_cast<HCALL>(m.hDevice));
    return f;
  }
  const auto read_info = [&](HCALL hcall) {
    VarBuffer buf(4096);
    if (lineGetCallInfoA(hcall, buf.as<LINECALLINFO>()) != 0) return false;
    const LINECALLINFO* i = buf.as<LINECALLINFO>();
    f.call_id = i->dwCallID;
    f.related_id = i->dwRelatedCallID;
    f.caller_number = buf.text(i->dwCallerIDSize, i->dwCallerIDOffset);
    f.caller_name = buf.text(i->dwCallerIDNameSize, i->dwCallerIDNameOffset);
    return true;
  };
  if (m.dwMessageID == LINE_APPNEWCALL) {
    const auto hline = static_cast<HLINE>(m.hDevice);
    f.hcall = static_cast<CallHandle>(m.dwParam2);
    f.address = static_cast<std::uint32_t>(m.dwParam1);
    if (hline == switch_.route && hline != 0) {
      auto queue = switch_.route_queues.find(static_cast<DWORD>(m.dwParam1));
      f.kind = SwitchFact::Kind::kOffered;
      f.queue = queue == switch_.route_queues.end() ? 0 : queue->second;
    } else if (auto station = switch_.stations.find(hline); station != switch_.stations.end()) {
      f.kind = SwitchFact::Kind::kStation;
      f.device = station->second;
    } else {
      return std::nullopt;
    }
    if (!read_info(static_cast<HCALL>(f.hcall))) return std::nullopt;
    return f;
  }
  if (m.dwMessageID == LINE_REPLY) {
    const auto id = static_cast<DWORD>(m.dwParam1);
    const auto result = static_cast<LONG>(m.dwParam2);
    PendingRequest request;
    {
      std::lock_guard lock(switch_mu_);
      auto it = pending_.find(id);
      if (it == pending_.end()) return std::nullopt;
      request = std::move(it->second);
      pending_.erase(it);
    }
    f.call = request.call;
    f.hcall = request.hcall;
    if (result != 0) {
      // A failed hang-up or answer changes nothing the ACD decides on: the
      // call's states tell what happened to it.
      if (request.kind == SwitchAction::Kind::kDrop || request.kind == SwitchAction::Kind::kAnswer) return std::nullopt;
      f.kind = SwitchFact::Kind::kFailed;
      return f;
    }
    if (request.kind != SwitchAction::Kind::kPlace || !request.placed) return std::nullopt;
    f.kind = SwitchFact::Kind::kPlaced;
    f.hcall = static_cast<CallHandle>(*request.placed);
    if (!read_info(*request.placed)) return std::nullopt;
    return f;
  }
  return std::nullopt;
}

void VirtualAcd::Impl::post_fact(SwitchFact fact, std::uint64_t epoch) {
  Task t;
  t.kind = Task::Kind::kCallFact;
  t.epoch = epoch;
  t.fact = std::move(fact);
  post(std::move(t));
}

void VirtualAcd::Impl::run_switch_actions(const Output& out) {
  std::vector<SwitchFact> failed;
  {
    std::shared_lock conn(conn_mu_);
    if (!connected_ || out.actions_epoch != epoch_) return;
    // Issues an asynchronous request and records it, or fails it at once.
    // switch_mu_ is held from before the request to its record, so the model
    // thread cannot read its LINE_REPLY in between.
    const auto issue = [&](PendingRequest request, const auto& make_request) {
      std::lock_guard lock(switch_mu_);
      const LONG id = make_request();
      if (id > 0) {
        pending_.emplace(static_cast<DWORD>(id), std::move(request));
        return;
      }
      if (request.kind == SwitchAction::Kind::kDrop || request.kind == SwitchAction::Kind::kAnswer) return;
      SwitchFact f;
      f.kind = SwitchFact::Kind::kFailed;
      f.call = request.call;
      f.hcall = request.hcall;
      failed.push_back(f);
    };
    for (const SwitchAction& a : out.switch_actions) {
      const auto hcall = static_cast<HCALL>(a.hcall);
      switch (a.kind) {
        case SwitchAction::Kind::kRedirect: {
          if (!a.call_data.empty()) {
            std::string data = a.call_data;
            (void)lineSetCallData(hcall, data.data(), static_cast<DWORD>(data.size()));
          }
          issue(PendingRequest{a.kind, a.call, a.hcall, nullptr},
                [&] { return lineRedirectA(hcall, a.destination.c_str(), 0); });
          break;
        }
        case SwitchAction::Kind::kTakeBack:
          (void)lineSetCallPrivilege(hcall, LINECALLPRIVILEGE_OWNER);
          issue(PendingRequest{a.kind, a.call, a.hcall, nullptr},
                [&] { return lineRedirectA(hcall, a.destination.c_str(), 0); });
          break;
        case SwitchAction::Kind::kAnswer:
          // A simulated agent picks up the call ringing at its station.
          (void)lineSetCallPrivilege(hcall, LINECALLPRIVILEGE_OWNER);
          issue(PendingRequest{a.kind, a.call, a.hcall, nullptr}, [&] { return lineAnswer(hcall, nullptr, 0); });
          break;
        case SwitchAction::Kind::kDrop:
          issue(PendingRequest{a.kind, a.call, a.hcall, nullptr}, [&] { return lineDrop(hcall, nullptr, 0); });
          break;
        case SwitchAction::Kind::kPlace: {
          if (switch_.trunk == 0) {
            SwitchFact f;
            f.kind = SwitchFact::Kind::kFailed;
            f.call = a.call;
            failed.push_back(f);
            break;
          }
          // LINECALLPARAMS with the outside caller as "Name <number>".
          const std::string caller =
              a.caller_name.empty() ? a.caller_number : a.caller_name + " <" + a.caller_number + ">";
          VarBuffer params(sizeof(LINECALLPARAMS) + caller.size() + 8);
          auto* p = params.as<LINECALLPARAMS>();
          p->dwBearerMode = LINEBEARERMODE_VOICE;
          p->dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
          if (!a.caller_number.empty()) {
            p->dwCallingPartyIDSize = static_cast<DWORD>(caller.size() + 1);
            p->dwCallingPartyIDOffset = sizeof(LINECALLPARAMS);
            std::memcpy(reinterpret_cast<char*>(p) + sizeof(LINECALLPARAMS), caller.c_str(), caller.size() + 1);
          }
          auto placed = std::make_unique<HCALL>(0);
          HCALL* where = placed.get();
          issue(PendingRequest{a.kind, a.call, 0, std::move(placed)},
                [&] { return lineMakeCallA(switch_.trunk, where, a.destination.c_str(), 0, p); });
          break;
        }
      }
    }
  }
  for (SwitchFact& f : failed) post_fact(std::move(f), out.actions_epoch);
}

}  // namespace opentapi::acd
