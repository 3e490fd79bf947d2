// SwitchCalls: the bridge between opentapid's switch, which owns the calls,
// and the CallCenter, which decides where a queued call goes
// (docs/calls.md "The ACD and its calls").
//
// The runtime (virtual_acd.cpp) turns the TAPI messages of the ACD's
// route-point, trunk and monitored station lines into the facts below and
// hands them to the bridge on the model thread; the bridge tells the
// CallCenter what happened (queued, answered, ended, abandoned) and, as the
// CallCenter's CallSource for calls of origin kSwitch, turns its decisions
// (deliver to a session, take back after ring-no-answer) into Actions: the
// TAPI calls the runtime makes once the change that decided them is durable.
//
// With the traffic simulator on, the bridge is also the CallSink the
// simulator fires into: its callers are placed from the trunk to the queue's
// number and queued when they reach the route point, its agents answer with
// lineAnswer on their station, and its callers hang up with lineDrop of the
// trunk side. Without a trunk (or before the first connection, or for a
// queue without a number) the simulator's events go straight to the
// CallCenter, and its calls stay inside the ACD.
//
// A call is followed by its caller's appearance id (the dwRelatedCallID of
// the appearances the ACD sees): it stays the same while the call is
// redirected to an agent and back.
//
// No I/O, no TAPI calls, no clock: testable with plain values. Model thread only.
#ifndef OPENTAPI_ACD_SWITCH_CALLS_H_
#define OPENTAPI_ACD_SWITCH_CALLS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "acd/call_center.h"
#include "acd/call_source.h"

namespace opentapi::acd {

// An HCALL of the ACD's connection (0 = none).
using CallHandle = std::uint32_t;

// What the ACD's TAPI connection saw, as plain values.
struct SwitchFact {
  enum class Kind : std::uint8_t {
    kOffered,  // a new call on a queue's route-point address (OWNER handle)
    kStation,  // a new call on a monitored station address (MONITOR handle)
    kState,    // LINE_CALLSTATE of a handle the ACD holds
    kPlaced,   // a call the ACD placed from the trunk got its handle
    kFailed,   // an action's request failed (LINE_REPLY < 0, or at once); hcall: its handle
  };
  Kind kind = Kind::kState;
  CallHandle hcall = 0;
  std::uint32_t device = 0;      // kStation
  std::uint32_t address = 0;     // kStation
  core::QueueId queue = 0;       // kOffered: the queue whose number was dialled
  std::uint32_t call_id = 0;     // dwCallID of the appearance
  std::uint32_t related_id = 0;  // dwRelatedCallID: the caller's appearance
  std::string caller_number;     // kOffered
  std::string caller_name;
  std::uint32_t state = 0;  // kState: LINECALLSTATE_*
  std::uint32_t mode = 0;
  CallId call = 0;  // kPlaced, kFailed: the ACD call the action was for
};

// A TAPI call for the runtime to make.
struct SwitchAction {
  enum class Kind : std::uint8_t {
    kRedirect,  // lineSetCallData(hcall, call_data), then lineRedirect(hcall, destination)
    kTakeBack,  // lineSetCallPrivilege(hcall, OWNER), then lineRedirect(hcall, destination)
    kDrop,      // lineDrop(hcall)
    kPlace,     // lineMakeCall(trunk, destination), caller ID = caller_number/caller_name
    kAnswer,    // lineSetCallPrivilege(hcall, OWNER), then lineAnswer(hcall)
  };
  Kind kind = Kind::kDrop;
  CallId call = 0;
  CallHandle hcall = 0;
  std::string destination;
  std::string call_data;
  std::string caller_number;
  std::string caller_name;

  friend bool operator==(const SwitchAction&, const SwitchAction&) = default;
};

// Where the ACD's numbers are: learned from LINEADDRESSCAPS at connect.
struct SwitchNumbers {
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::string> stations;  // (device, address) → number
  std::map<core::QueueId, std::string> queues;                              // queue → number
  bool trunk = false;  // the server has outside lines: the ACD can place calls
};

// The caller ID the bridge gives the simulator's call number `n`
// ("+31205550123", "Caller 123"): deterministic, so a run can be replayed,
// and dialable (digits after a '+'), as the switch requires of a caller number.
std::string simulated_caller_number(std::uint64_t n);
std::string simulated_caller_name(std::uint64_t n);

class SwitchCalls final : public CallSource, public CallSink {
 public:
  explicit SwitchCalls(CallCenter& center) : center_(&center) {}
  // The model was rebuilt (after a store failure): the calls and handles
  // followed stay, the new model is told of them.
  void attach(CallCenter& center) noexcept { center_ = &center; }

  // After (re)connecting: the numbers, and every handle of the previous
  // connection is forgotten. Calls the CallCenter still tracks are adopted
  // (queued ones placed again, others ended: docs/calls.md "Restarts").
  void connected(SwitchNumbers numbers, TimePoint now);

  void on(const SwitchFact& fact, TimePoint now);

  // The actions decided since the last call, in order.
  std::vector<SwitchAction> take_actions();

  // Calls followed (for tests and logs).
  std::size_t size() const noexcept { return calls_.size(); }
  // The numbers of the last connection (the supervisor's call list names
  // stations by number).
  const SwitchNumbers& numbers() const noexcept { return numbers_; }

  // CallSource (the CallCenter's side).
  std::optional<TimePoint> next_event() const override { return std::nullopt; }
  void fire_next(CallSink&) override {}
  void call_delivered(CallId call, core::SessionHandle session, TimePoint now) override;
  void adopt(CallId call, CallPhase phase, TimePoint now) override;
  void call_taken_back(CallId call, TimePoint now) override;
  bool carries(CallId call) const override;
  bool station_busy(std::uint32_t device, std::uint32_t address) const override;

  // CallSink (the traffic simulator's side).
  Status on_call_queued(CallId call, core::QueueId queue, TimePoint now) override;
  Status on_call_answered(CallId call, TimePoint now) override;
  Status on_call_ended(CallId call, TimePoint now) override;
  Status on_call_abandoned(CallId call, TimePoint now) override;
  CallId new_call_id(CallOrigin origin) override { return center_->new_call_id(origin); }

 private:
  enum class Role : std::uint8_t { kRoutePoint, kStation, kTrunk, kOther };
  using Station = std::pair<std::uint32_t, std::uint32_t>;  // (device, address)
  struct Followed {
    CallId call = 0;
    std::uint32_t caller_id = 0;   // the caller's appearance (0: not known yet)
    CallHandle route = 0;          // offered at the route point, ours to redirect
    CallHandle station = 0;        // ringing or talking at the agent (monitor)
    CallHandle trunk = 0;          // the caller's side, when the ACD placed the call
    bool deliver_pending = false;  // delivered while not (yet) at the route point
    core::SessionHandle session = 0;
    // The simulator's calls.
    core::QueueId queue_pending = 0;  // placed, not yet queued (at the route point)
    bool hang_up = false;             // the caller hangs up as soon as its trunk side is known
    bool answer_pending = false;      // the agent answers as soon as its station handle is known
    bool answered = false;            // lineAnswer sent: the ACD owns the station appearance
    // Delivered, on its way to this station (redirect decided or in flight)
    // until its appearance there shows: it takes the telephone already.
    std::optional<Station> bound;
  };
  struct Handle {
    Role role = Role::kOther;
    CallId call = 0;  // 0: a call the ACD does not follow
    // kStation: where the appearance is, and whether it takes the telephone
    // (docs/calls.md "The busy rule": not IDLE, ONHOLD nor DISCONNECTED).
    Station station{};
    bool active = false;
  };

  Followed* followed(CallId call);
  void offered(const SwitchFact& f, TimePoint now);
  void station(const SwitchFact& f, TimePoint now);
  void state(const SwitchFact& f, TimePoint now);
  void redirect_to_agent(Followed& c);
  // A waiting call the switch lost: placed again from the trunk.
  void place_again(const CallView& call, TimePoint now);
  // Forgets `call` once the ACD and the switch are both done with it; true
  // when that left the station it was bound for free.
  bool forget_if_done(CallId call);
  std::string call_data(CallId call) const;
  // The simulator's caller hangs up: its trunk side is dropped.
  void hang_up(Followed& c);
  void answer(Followed& c);
  // The telephone of `c.bound` is no longer taken by `c`; then `to`'s is.
  void bind(Followed& c, std::optional<Station> to);
  void load(const Station& s, bool more);

  CallCenter* center_;
  SwitchNumbers numbers_;
  bool connected_ = false;
  std::map<CallId, Followed> calls_;
  std::map<std::uint32_t, CallId> by_caller_;  // caller appearance id → call
  std::map<CallHandle, Handle> handles_;
  // Per station: its active appearances plus the calls bound for it; a
  // station absent here is free.
  std::map<Station, std::uint32_t> station_load_;
  std::vector<SwitchAction> actions_;
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_SWITCH_CALLS_H_
