// How calls enter and leave the virtual ACD.
//
// The ACD owns queues and agents but not calls: a call source tells it that a
// call arrived at a queue, that the agent it was delivered to answered, that
// it ended, or that the caller hung up while waiting (CallSink). In return the
// ACD tells the source where it delivered each call (CallSource).
//
// Two sources exist: the TrafficSimulator (traffic_simulator.h), which runs
// on the ACD's model thread with its own timeline, and the PBX extension
// (pbx_extension.h), through which an external PBX adapter reports real calls
// with lineAgentSpecific. Calls are named by CallId; the top byte says which
// source owns the call (call_origin()).
//
// Threading: every method is called on the model thread only.
#ifndef OPENTAPI_ACD_CALL_SOURCE_H_
#define OPENTAPI_ACD_CALL_SOURCE_H_

#include <cstdint>
#include <optional>

#include "core/ids.h"
#include "core/status.h"
#include "core/units.h"

namespace opentapi::acd {

using core::CallId;
using core::Status;
using core::TimePoint;

// kSwitch: a call of opentapid's switch offered at a queue's route-point
// address (docs/calls.md "The ACD and its calls").
enum class CallOrigin : std::uint8_t { kUnknown = 0, kSimulator = 1, kPbx = 2, kSwitch = 3 };

constexpr CallId make_call_id(CallOrigin origin, std::uint64_t number) noexcept {
  return (static_cast<CallId>(origin) << 56) | (number & ((CallId{1} << 56) - 1));
}
constexpr CallOrigin call_origin(CallId id) noexcept { return static_cast<CallOrigin>(id >> 56); }
constexpr std::uint64_t call_number(CallId id) noexcept { return id & ((CallId{1} << 56) - 1); }

// Where a call is, as the ACD sees it.
enum class CallPhase : std::uint8_t {
  kQueued = 1,    // waiting in a queue
  kOffered = 2,   // delivered to a session, ringing at the agent
  kTalking = 3,   // the agent answered
  kDetached = 4,  // the session left the call (state request); only its end is awaited
};

// What the ACD accepts from a call source. Each method fails with
// kInvalParam (and changes nothing) when the call is unknown or not in a
// phase that allows the event; `now` is when it happened.
class CallSink {
 public:
  virtual ~CallSink() = default;
  // A new call enters queue `queue`. kInvalParam: unknown queue, call id in use.
  virtual Status on_call_queued(CallId call, core::QueueId queue, TimePoint now) = 0;
  // The agent answered the call delivered to its session (kOffered → kTalking).
  virtual Status on_call_answered(CallId call, TimePoint now) = 0;
  // The call is over (from any phase; a queued call that ends was abandoned).
  virtual Status on_call_ended(CallId call, TimePoint now) = 0;
  // The caller hung up before being answered (kQueued or kOffered).
  virtual Status on_call_abandoned(CallId call, TimePoint now) = 0;
  // A fresh call id for a source that numbers its calls through the ACD (so
  // ids stay unique across restarts).
  virtual CallId new_call_id(CallOrigin origin) = 0;
};

// A call source with its own timeline, driven by the ACD's model thread.
class CallSource {
 public:
  virtual ~CallSource() = default;
  // When the source next has something to report; nullopt = nothing planned.
  virtual std::optional<TimePoint> next_event() const = 0;
  // Reports the earliest planned event to `sink`, stamped with its planned
  // time. REQUIRES: next_event() has a value.
  virtual void fire_next(CallSink& sink) = 0;
  // The ACD delivered `call` to a session (the call is now kOffered) at `now`.
  virtual void call_delivered(CallId call, core::SessionHandle session, TimePoint now) = 0;
  // After a restart: the ACD still tracks `call` in `phase`; the source plans
  // its future from `now` (or reports it ended if it cannot).
  virtual void adopt(CallId call, CallPhase phase, TimePoint now) = 0;
  // Nobody answered `call` in time: the ACD put it back at the head of its
  // queue (it is kQueued again) and the source must take it back from the
  // agent's address.
  virtual void call_taken_back(CallId call, TimePoint now) {
    (void)call;
    (void)now;
  }
  // Whether `call` (of another source) is carried by the switch through this
  // source, so that ring-no-answer applies to it (docs/calls.md).
  virtual bool carries(CallId call) const {
    (void)call;
    return false;
  }
  // Whether the telephone of station address (device, address) has no room
  // for an ACD call: it carries a call (ringing, talking, dialling), or one
  // is on its way there. Routing skips the sessions working there
  // (docs/acd.md "Routing": one telephone, one call). A source without
  // telephones says no.
  virtual bool station_busy(std::uint32_t device, std::uint32_t address) const {
    (void)device;
    (void)address;
    return false;
  }
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_CALL_SOURCE_H_
