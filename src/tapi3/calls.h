// Calls in the TAPI 3 layer (docs/calls.md, docs/porting.md "Calls"): the
// call appearances this TAPI object holds a TAPI 2 handle to, the
// registrations of ITTAPI::RegisterCallNotifications and the line opens
// behind them, the Call COM object (ITCallInfo, ITBasicCallControl,
// ITStreamControl) and the three call events.
//
// Threads and locks. Records are read and written under the engine's mu()
// (the pump handles LINE_APPNEWCALL / LINE_CALLSTATE / LINE_CALLINFO there).
// Call objects and call events are made and posted only WITHOUT mu() held,
// by actions the pump runs after each message, in message order: the last
// Release of a Call takes mu() (to clean the handle up), so no reference to
// a Call may ever be dropped with mu() held. The identity of Call objects
// (record->wrapper) has its own lock, taken after mu() when both are needed.
//
// Lifetime of a handle. A record stays while the call is live, so that a
// program can find it again with ITAddress::EnumerateCalls. When the call is
// over (LINECALLSTATE_IDLE) and no Call object is left, the handle is
// deallocated (lineDeallocateCall) and the record forgotten; a call
// DISCONNECTED whose object is gone is first dropped (lineDrop), because the
// last owner of a call that is not IDLE cannot deallocate it.
#ifndef OPENTAPI_TAPI3_CALLS_H_
#define OPENTAPI_TAPI3_CALLS_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tapi3/call_mapping.h"
#include "tapi3/com_support.h"
#include "tapi3/engine.h"

namespace opentapi::tapi3 {

class Call;

// What CreateCall and the put_CallInfo* methods before Connect set: the
// lineMakeCall destination and LINECALLPARAMS.
struct OutgoingParams {
  bool has_destination = false;
  std::wstring destination;
  LONG address_type = static_cast<LONG>(LINEADDRESSTYPE_PHONENUMBER);
  LONG media_types = TAPIMEDIATYPE_AUDIO;
  DWORD bearer_mode = LINEBEARERMODE_VOICE;
  DWORD call_param_flags = 0;
  DWORD min_rate = 0;
  DWORD max_rate = 0;
  DWORD country_code = 0;
  std::wstring calling_party_id;
  std::wstring comment;
  std::wstring displayable_address;
  std::wstring called_party;
  std::vector<unsigned char> user_user_info;
  std::vector<unsigned char> call_data;
};

// One call appearance as this TAPI object sees it.
struct CallRecord {
  std::shared_ptr<AddressRecord> address;
  HLINE line = 0;               // the open the handle belongs to
  HCALL handle = 0;             // 0 before Connect's reply, after deallocation
  bool connecting = false;      // lineMakeCall issued, reply not yet matched
  bool forgotten = false;       // no longer in the table
  bool drop_requested = false;  // cleanup asked for a lineDrop already
  CALL_STATE state = CS_IDLE;
  CALL_STATE_EVENT_CAUSE cause = CEC_NONE;
  DWORD line_state = 0;  // last LINECALLSTATE_*; 0 before the first
  CALL_PRIVILEGE privilege = CP_OWNER;
  LONG callback_instance = 0;
  OutgoingParams params;
  // The W-form LINECALLINFO; the last one stays readable after the handle
  // is gone (caller ID of a finished call).
  StatsCache<std::shared_ptr<const std::vector<unsigned char>>> info;
  // ITCallInfo2::put_EventFilter: (TAPI_EVENT, sub-event) -> delivered?
  std::map<std::pair<LONG, LONG>, bool> event_filter;
  Call* wrapper = nullptr;  // CallTable identity lock
};

// A lineOpen with call privileges, shared by the registrations asking for
// the same device, privileges and media modes.
struct CallOpen {
  DWORD device = 0;
  DWORD privileges = 0;
  DWORD media_modes = 0;
  HLINE line = 0;
  int registrations = 0;
};

struct Registration {
  LONG id = 0;
  std::shared_ptr<AddressRecord> address;
  HLINE line = 0;
  DWORD privileges = 0;
  LONG callback_instance = 0;
};

class CallTable {
 public:
  using Actions = std::vector<std::function<void()>>;

  explicit CallTable(Engine& engine) : engine_(engine) {}
  CallTable(const CallTable&) = delete;
  CallTable& operator=(const CallTable&) = delete;

  // ---- Messages (pump, mu() held) ----
  // LINE_APPNEWCALL, LINE_CALLSTATE, LINE_CALLINFO; false for other messages.
  // What must run without the lock is queued and `after` drains the queue.
  bool handle_locked(const LINEMESSAGE& m, Actions& after);
  // LINE_CLOSE of a line: the calls it held are over.
  void on_line_closed_locked(HLINE line, Actions& after);
  // Shutdown: wakes every Connect(VARIANT_TRUE) waiting for its call.
  void wake_all();
  // Runs the queued work (events to post, handles to drop or deallocate) in
  // the order it was queued. Caller: no mu(). A second thread arriving while
  // one drains leaves the work to it.
  void drain();

  // ---- Registrations (ITTAPI::RegisterCallNotifications) ----
  HRESULT register_notifications(const std::shared_ptr<AddressRecord>& address, bool owner, bool monitor,
                                 LONG media_types, LONG callback_instance, LONG* id);
  HRESULT unregister_notifications(LONG id);

  // ---- Calls ----
  // A call in CS_IDLE made by ITAddress::CreateCall, AddRef'd.
  HRESULT create_call(const std::shared_ptr<AddressRecord>& address, OutgoingParams params, ITBasicCallControl** out);
  // The calls of an address still known, oldest first. Caller: no mu().
  std::vector<std::shared_ptr<CallRecord>> calls_of(const AddressRecord& address);
  // The Call object of a record, AddRef'd; made on first use. Caller: no mu().
  Call* object(const std::shared_ptr<CallRecord>& rec);
  // After a Call's last Release has cleared record->wrapper and deleted the
  // object (no lock held): cleans the handle up if the call is over or never
  // started.
  void released(const std::shared_ptr<CallRecord>& rec);

  // lineMakeCall and, if `sync`, the wait until the call is connected or has
  // ended (docs/porting.md "Calls").
  HRESULT connect(const std::shared_ptr<CallRecord>& rec, bool sync);
  // The call's LINECALLINFO, fetched or at most stats_ttl old (LINE_CALLINFO
  // and LINE_CALLSTATE invalidate it); the last one known when the call has
  // no handle any more; TAPI_E_INVALCALLSTATE before the call started.
  HRESULT call_info(const std::shared_ptr<CallRecord>& rec, std::shared_ptr<const std::vector<unsigned char>>* out);
  // Whether an event of `kind` (sub-event `sub`) about `rec` is delivered:
  // the TAPI object's filter, narrowed by ITCallInfo2::put_EventFilter.
  bool wanted_locked(const CallRecord& rec, TAPI_EVENT kind, LONG sub) const;

  std::mutex& identity_mu() { return identity_mu_; }

 private:
  struct Parked {
    Clock::time_point seen{};
    LINEMESSAGE message{};
  };

  bool dispatch_locked(const LINEMESSAGE& m) REQUIRES(engine_.mu());
  void on_new_call_locked(HLINE line, DWORD address_id, HCALL handle, DWORD privilege) REQUIRES(engine_.mu());
  void on_call_state_locked(const std::shared_ptr<CallRecord>& rec, DWORD state, DWORD detail, DWORD privilege)
      REQUIRES(engine_.mu());
  void on_call_info_locked(const std::shared_ptr<CallRecord>& rec, DWORD bits) REQUIRES(engine_.mu());
  void end_calls_of_line_locked(HLINE line) REQUIRES(engine_.mu());
  // Connect's LINE_REPLY brought the handle: register it and replay what
  // arrived for it before.
  void adopt_handle_locked(const std::shared_ptr<CallRecord>& rec, HCALL handle) REQUIRES(engine_.mu());
  // Messages for a handle or line not known yet, while a Connect or a
  // registration may still claim them.
  void park_locked(const LINEMESSAGE& m) REQUIRES(engine_.mu());
  void replay_parked_locked() REQUIRES(engine_.mu());
  // Cleanup of a call no object holds: queues the TAPI 2 calls it needs.
  void clean_locked(const std::shared_ptr<CallRecord>& rec) REQUIRES(engine_.mu());
  void forget_locked(const std::shared_ptr<CallRecord>& rec) REQUIRES(engine_.mu());
  bool has_wrapper(const CallRecord& rec);
  void post_locked(const std::shared_ptr<CallRecord>& rec, TAPI_EVENT kind, LONG code,
                   CALL_STATE_EVENT_CAUSE cause = CEC_NONE) REQUIRES(engine_.mu());
  const Registration* registration_for_locked(HLINE line, const AddressRecord* address) const REQUIRES(engine_.mu());

  Engine& engine_;
  // Under engine_.mu():
  std::vector<std::shared_ptr<CallRecord>> calls_;          // creation order
  std::map<HCALL, std::shared_ptr<CallRecord>> by_handle_;  // live handles
  std::deque<Parked> parked_;
  int claimants_ = 0;  // Connects and line opens in progress
  std::vector<CallOpen> opens_;
  std::map<LONG, Registration> registrations_;
  LONG next_registration_ = 1;
  std::condition_variable state_cv_;  // with engine_.mu(): call states, shutdown
  std::deque<std::function<void()>> work_;
  bool draining_ = false;

  std::mutex registration_mu_;  // serialises Register/Unregister (line opens)
  std::mutex identity_mu_;      // CallRecord::wrapper
};

// The Call object: one per CallRecord at a time, so that an event carries the
// very object the program holds (the `incoming` sample compares pointers).
class Call final : public ITBasicCallControl2, public ITCallInfo2, public ITStreamControl {
 public:
  Call(std::shared_ptr<Engine> engine, std::shared_ptr<CallRecord> rec);

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  ULONG STDMETHODCALLTYPE AddRef() override { return refs_.add(); }
  ULONG STDMETHODCALLTYPE Release() override;
  bool try_add_ref() { return refs_.try_add(); }
  OPENTAPI_NO_TYPEINFO_DISPATCH

  // ITBasicCallControl
  HRESULT STDMETHODCALLTYPE Connect(VARIANT_BOOL fSync) override;
  HRESULT STDMETHODCALLTYPE Answer() override;
  HRESULT STDMETHODCALLTYPE Disconnect(DISCONNECT_CODE code) override;
  HRESULT STDMETHODCALLTYPE Hold(VARIANT_BOOL fHold) override;
  HRESULT STDMETHODCALLTYPE HandoffDirect(BSTR pApplicationName) override;
  HRESULT STDMETHODCALLTYPE HandoffIndirect(LONG lMediaType) override;
  HRESULT STDMETHODCALLTYPE Conference(ITBasicCallControl* pCall, VARIANT_BOOL fSync) override;
  HRESULT STDMETHODCALLTYPE Transfer(ITBasicCallControl* pCall, VARIANT_BOOL fSync) override;
  HRESULT STDMETHODCALLTYPE BlindTransfer(BSTR pDestAddress) override;
  HRESULT STDMETHODCALLTYPE SwapHold(ITBasicCallControl* pCall) override;
  HRESULT STDMETHODCALLTYPE ParkDirect(BSTR pParkAddress) override;
  HRESULT STDMETHODCALLTYPE ParkIndirect(BSTR* ppNonDirAddress) override;
  HRESULT STDMETHODCALLTYPE Unpark() override;
  HRESULT STDMETHODCALLTYPE SetQOS(LONG lMediaType, QOS_SERVICE_LEVEL ServiceLevel) override;
  HRESULT STDMETHODCALLTYPE Pickup(BSTR pGroupID) override;
  HRESULT STDMETHODCALLTYPE Dial(BSTR pDestAddress) override;
  HRESULT STDMETHODCALLTYPE Finish(FINISH_MODE finishMode) override;
  HRESULT STDMETHODCALLTYPE RemoveFromConference() override;
  // ITBasicCallControl2
  HRESULT STDMETHODCALLTYPE RequestTerminal(BSTR bstrTerminalClassGUID, LONG lMediaType, TERMINAL_DIRECTION Direction,
                                            ITTerminal** ppTerminal) override;
  HRESULT STDMETHODCALLTYPE SelectTerminalOnCall(ITTerminal* pTerminal) override;
  HRESULT STDMETHODCALLTYPE UnselectTerminalOnCall(ITTerminal* pTerminal) override;

  // ITCallInfo
  HRESULT STDMETHODCALLTYPE get_Address(ITAddress** ppAddress) override;
  HRESULT STDMETHODCALLTYPE get_CallState(CALL_STATE* pCallState) override;
  HRESULT STDMETHODCALLTYPE get_Privilege(CALL_PRIVILEGE* pPrivilege) override;
  HRESULT STDMETHODCALLTYPE get_CallHub(ITCallHub** ppCallHub) override;
  HRESULT STDMETHODCALLTYPE get_CallInfoLong(CALLINFO_LONG CallInfoLong, LONG* plCallInfoLongVal) override;
  HRESULT STDMETHODCALLTYPE put_CallInfoLong(CALLINFO_LONG CallInfoLong, LONG lCallInfoLongVal) override;
  HRESULT STDMETHODCALLTYPE get_CallInfoString(CALLINFO_STRING CallInfoString, BSTR* ppCallInfoString) override;
  HRESULT STDMETHODCALLTYPE put_CallInfoString(CALLINFO_STRING CallInfoString, BSTR pCallInfoString) override;
  HRESULT STDMETHODCALLTYPE get_CallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, VARIANT* ppCallInfoBuffer) override;
  HRESULT STDMETHODCALLTYPE put_CallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, VARIANT pCallInfoBuffer) override;
  HRESULT STDMETHODCALLTYPE GetCallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, DWORD* pdwSize,
                                              BYTE** ppCallInfoBuffer) override;
  HRESULT STDMETHODCALLTYPE SetCallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, DWORD dwSize,
                                              BYTE* pCallInfoBuffer) override;
  HRESULT STDMETHODCALLTYPE ReleaseUserUserInfo() override;
  // ITCallInfo2
  HRESULT STDMETHODCALLTYPE get_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL* pEnable) override;
  HRESULT STDMETHODCALLTYPE put_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL bEnable) override;

  // ITStreamControl: this server carries no media (docs/calls.md "Media").
  HRESULT STDMETHODCALLTYPE CreateStream(LONG lMediaType, TERMINAL_DIRECTION td, ITStream** ppStream) override;
  HRESULT STDMETHODCALLTYPE RemoveStream(ITStream* pStream) override;
  HRESULT STDMETHODCALLTYPE EnumerateStreams(IEnumStream** ppEnumStream) override;
  HRESULT STDMETHODCALLTYPE get_Streams(VARIANT* pVariant) override;

  const std::shared_ptr<CallRecord>& record() const { return rec_; }

 private:
  ~Call() = default;
  // One call-control round trip on the call's handle: TAPI_E_INVALCALLSTATE
  // without a handle, the reply mapped for call control otherwise.
  HRESULT control(const std::function<LONG(HCALL)>& request, HRESULT without_handle);

  LiveObject live_;
  RefCount refs_;
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<CallRecord> rec_;
};

// ---- Call events (tapi3if.h); each takes over one reference on `call` ----
IDispatch* make_call_state_event(ITCallInfo* call, CALL_STATE state, CALL_STATE_EVENT_CAUSE cause, LONG instance);
IDispatch* make_call_notification_event(ITCallInfo* call, CALL_NOTIFICATION_EVENT event, LONG instance);
IDispatch* make_call_info_change_event(ITCallInfo* call, CALLINFOCHANGE_CAUSE cause, LONG instance);

// ---- Addresses ----
// The addresses of one line device, in address order, from lineGetDevCaps
// and lineGetAddressCaps; one address named "line N address 0" when the
// line gives no capabilities.
std::vector<std::shared_ptr<AddressRecord>> discover_addresses(Tapi2& api, HLINEAPP app, DWORD device,
                                                               DWORD api_version);

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_CALLS_H_
