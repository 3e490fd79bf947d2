// The switch: the calls between the addresses of a NumberPlan (docs/calls.md
// "The call model"). It plays the part a TAPI service provider plays on
// Windows and knows nothing of applications, handles or sockets: the
// Switchboard (src/server) turns its events into call handles and LINE_*
// messages.
//
// A call joins two parties. Each party sits on one address of the plan and is
// a call appearance there, with its own call id (dwCallID): what a TAPI
// HCALL names. An internal call A -> B is two appearances, each the other's
// peer and related call (dwRelatedCallID). A call from the outside world is an
// appearance on the trunk and one at its destination.
//
// Every operation either fails with a LINEERR code (switch/errors.h) and
// changes nothing, or succeeds and appends, in order, what changed to
// `events`: appearances created (with their first state), states entered,
// call information changed, and the calls counted on an address (after the
// rest, one event per address whose counts changed).
//
// Pure: no I/O, no clock (the time is passed in), single-threaded.
#ifndef OPENTAPI_SWITCH_SWITCH_H_
#define OPENTAPI_SWITCH_SWITCH_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/units.h"
#include "switch/call_state.h"
#include "switch/errors.h"
#include "switch/number_plan.h"

namespace opentapi::switching {

using core::TimePoint;

// dwCallID: one per appearance, never 0, never reused by one Switch.
using CallId = std::uint32_t;

// Windows values used in LINECALLINFO (tapi.h).
namespace party_flags {  // LINECALLPARTYID_*
inline constexpr std::uint32_t kName = 0x00000004;
inline constexpr std::uint32_t kAddress = 0x00000008;
inline constexpr std::uint32_t kUnknown = 0x00000020;
}  // namespace party_flags
namespace origin {  // LINECALLORIGIN_*
inline constexpr std::uint32_t kOutbound = 0x00000001;
inline constexpr std::uint32_t kInternal = 0x00000002;
inline constexpr std::uint32_t kExternal = 0x00000004;
}  // namespace origin
namespace reason {  // LINECALLREASON_*
inline constexpr std::uint32_t kDirect = 0x00000001;
inline constexpr std::uint32_t kRedirect = 0x00000040;
inline constexpr std::uint32_t kTransfer = 0x00000100;
}  // namespace reason
namespace info {  // LINECALLINFOSTATE_*
inline constexpr std::uint32_t kAppSpecific = 0x00000020;
inline constexpr std::uint32_t kRelatedCallId = 0x00000080;
inline constexpr std::uint32_t kConnectedId = 0x00020000;
inline constexpr std::uint32_t kRedirectionId = 0x00040000;
inline constexpr std::uint32_t kCallData = 0x40000000;
}  // namespace info
inline constexpr std::uint32_t kMediaInteractiveVoice = 0x00000004;  // LINEMEDIAMODE_INTERACTIVEVOICE
inline constexpr std::uint32_t kBearerVoice = 0x00000001;            // LINEBEARERMODE_VOICE

// A caller, called, connected, redirection or redirecting ID.
struct PartyId {
  std::string number;  // empty: unknown
  std::string name;    // empty: unknown

  // LINECALLPARTYID_ADDRESS and/or _NAME for what is known, else _UNKNOWN.
  std::uint32_t flags() const noexcept;
  bool known() const noexcept { return !number.empty() || !name.empty(); }
  friend bool operator==(const PartyId&, const PartyId&) = default;
};

// One call appearance: the LINECALLINFO / LINECALLSTATUS of a call on one
// address, as far as the switch knows it (handles, owners and monitors are
// the Switchboard's).
struct Appearance {
  CallId id = 0;
  AddressRef address;
  CallState state = CallState::kIdle;
  std::uint32_t state_mode = 0;  // the state's detail (LINE_CALLSTATE dwParam2)
  TimePoint state_since;
  CallId peer = 0;     // the party it is joined to now; 0 once the far end is gone
  CallId related = 0;  // dwRelatedCallID: the last party it was joined to
  std::uint32_t origin = 0;
  std::uint32_t reason = reason::kDirect;
  std::uint32_t media_mode = kMediaInteractiveVoice;
  std::uint32_t bearer_mode = kBearerVoice;
  std::uint32_t app_specific = 0;
  PartyId self;  // who this party is, as presented to the far end
  PartyId caller;
  PartyId called;
  PartyId connected;
  PartyId redirection;  // where this call was last sent on (transfer, redirect)
  PartyId redirecting;  // who sent this call here (transfer, redirect)
  std::string call_data;
};

// The calls on one address, as LINEADDRESSSTATUS counts them.
struct AddressCalls {
  std::uint32_t active = 0;   // dwNumActiveCalls: neither IDLE nor ONHOLD
  std::uint32_t on_hold = 0;  // dwNumOnHoldCalls
  std::uint32_t busy = 0;     // appearances counted by the busy rule (is_active)
  bool in_use() const noexcept { return active + on_hold > 0; }
  friend bool operator==(const AddressCalls&, const AddressCalls&) = default;
};

struct CallEvent {
  enum class Kind : std::uint8_t {
    kCreated,       // a new appearance, in `state`
    kState,         // the appearance entered `state`
    kInfo,          // LINECALLINFOSTATE_ `info` bits changed
    kAddressCalls,  // the counts of `address` went from `before` to `after`
  };
  Kind kind = Kind::kState;
  CallId call = 0;  // 0 for kAddressCalls
  AddressRef address;
  CallState state = CallState::kIdle;
  std::uint32_t mode = 0;
  std::uint32_t info = 0;
  AddressCalls before;
  AddressCalls after;
};
using Events = std::vector<CallEvent>;

// What a new call may carry (LINECALLPARAMS, as far as the switch uses it).
struct MakeCallParams {
  std::uint32_t media_mode = 0;   // 0: INTERACTIVEVOICE, the only mode carried
  std::uint32_t bearer_mode = 0;  // 0: VOICE, the only bearer mode carried
  // The outside caller presented at the far end. Only from the trunk.
  std::optional<PartyId> caller;
  std::string call_data;
};

struct SwitchLimits {
  std::size_t max_calls = 1'000'000;       // appearances held at once, IDLE ones included
  std::size_t max_call_data_bytes = 4096;  // LINEADDRESSCAPS.dwMaxCallDataSize
  std::size_t max_party_name_bytes = 256;
};

class Switch {
 public:
  explicit Switch(NumberPlan plan, SwitchLimits limits = {});

  const NumberPlan& plan() const noexcept { return plan_; }
  const SwitchLimits& limits() const noexcept { return limits_; }

  // lineMakeCall from `from` to the number `destination`. Returns the new
  // originating appearance, which goes DIALING, PROCEEDING, then:
  //   - RINGBACK, with a new OFFERING appearance at the destination;
  //   - BUSY (LINEBUSYMODE_STATION) if the destination has no room;
  //   - DISCONNECTED (LINEDISCONNECTMODE_BADADDRESS) if nobody has the number.
  // Errors: kInvalAddressId (`from` not in the plan), kInvalAddress
  // (`destination` not a dialable number), kInvalMediaMode,
  // kInvalBearerMode, kInvalCallParams (caller given off the trunk, or its
  // number not dialable, or its name too long), kInvalParam (call data too
  // long), kCallUnavail (`from` has no room for another call),
  // kResourceUnavail (max_calls reached).
  Result<CallId> make_call(AddressRef from, std::string_view destination, const MakeCallParams& params, TimePoint now,
                           Events& events);

  // OFFERING -> CONNECTED, and the caller's RINGBACK -> CONNECTED.
  Status answer(CallId call, TimePoint now, Events& events);
  // -> IDLE; the far end (if still there) -> DISCONNECTED, NORMAL. An
  // owner's lineDrop of an OFFERING call rejects it (Microsoft's lineDrop):
  // the caller's mode is REJECT. A call dropped because its last owner went
  // away (kOwnerGone) was not rejected by anyone: NORMAL.
  enum class DropBy : std::uint8_t { kOwner, kOwnerGone };
  Status drop(CallId call, TimePoint now, Events& events, DropBy by = DropBy::kOwner);
  // CONNECTED -> ONHOLD (the far end stays CONNECTED). kResourceUnavail if
  // the address holds its maximum of calls on hold already.
  Status hold(CallId call, TimePoint now, Events& events);
  // ONHOLD -> CONNECTED. kResourceUnavail if another call is active on the address.
  Status unhold(CallId call, TimePoint now, Events& events);
  // A CONNECTED party sends its far end to `destination`: this appearance
  // -> IDLE, the far end -> RINGBACK, a new OFFERING appearance at the
  // destination (reason TRANSFER, redirecting ID = this party). Errors as
  // redirect.
  Status blind_transfer(CallId call, std::string_view destination, TimePoint now, Events& events);
  // An OFFERING call is sent on to `destination`: this appearance -> IDLE,
  // the caller stays RINGBACK, a new OFFERING appearance at the destination
  // (reason REDIRECT, redirecting ID = this address, called ID kept).
  // Errors (nothing changes): kInvalAddress (not a dialable number, or a
  // number nobody has), kResourceUnavail (the destination has no room, or
  // max_calls reached).
  Status redirect(CallId call, std::string_view destination, TimePoint now, Events& events);
  // LINECALLINFO.dwCallData. kInvalParam if longer than max_call_data_bytes.
  Status set_call_data(CallId call, std::string data, Events& events);
  // LINECALLINFO.dwAppSpecific; allowed in every state.
  Status set_app_specific(CallId call, std::uint32_t value, Events& events);

  // Forgets an IDLE appearance (its last handle is gone). False, and nothing
  // changes, if `call` is unknown or not IDLE.
  bool forget(CallId call);

  // Every operation above fails with kInvalCallHandle for an unknown call,
  // and with kInvalCallState when the state does not allow it (call_state.h).

  const Appearance* find(CallId call) const;
  // The appearances on `address` / on every address of `device`, oldest first.
  std::vector<CallId> calls_at(AddressRef address) const;
  std::vector<CallId> calls_on(std::uint32_t device) const;
  // Zero counts for an address not in the plan.
  AddressCalls counts(AddressRef address) const;
  // Appearances held (IDLE ones not yet forgotten included).
  std::size_t size() const noexcept { return calls_.size(); }
  const std::map<CallId, Appearance>& appearances() const noexcept { return calls_; }

 private:
  struct AddressSlot {
    std::set<CallId> calls;
    AddressCalls counts;
  };

  AddressSlot* slot(AddressRef address);
  const AddressSlot* slot(AddressRef address) const;
  Appearance* lookup(CallId call);
  // The appearance `call`, allowed to do `op`; else the error.
  Result<Appearance*> operable(CallId call, CallOp op);
  // Where `destination` goes: the address, or kInvalAddress / kResourceUnavail.
  Result<AddressRef> reachable(std::string_view destination) const;
  bool has_room(AddressRef address) const;
  PartyId party_of(AddressRef address) const;

  // The only places counts and states change, so the counts stay right.
  Appearance& create(Appearance appearance, Events& events);
  void enter(Appearance& a, CallState state, std::uint32_t mode, TimePoint now, Events& events);
  // Marks `address` as changing, remembering its counts before the first change.
  void touch(AddressRef address);
  // Appends one kAddressCalls event per touched address whose counts changed.
  void flush_counts(Events& events);
  // The far end of `a` (if any) goes DISCONNECTED with `mode`; the two are no longer joined.
  void disconnect_peer(Appearance& a, std::uint32_t mode, TimePoint now, Events& events);

  NumberPlan plan_;
  SwitchLimits limits_;
  std::map<CallId, Appearance> calls_;
  std::vector<std::vector<AddressSlot>> addresses_;  // [device][address]
  CallId last_id_ = 0;
  std::vector<std::pair<AddressRef, AddressCalls>> touched_;
};

}  // namespace opentapi::switching

#endif  // OPENTAPI_SWITCH_SWITCH_H_
