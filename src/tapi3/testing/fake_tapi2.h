// A scripted TAPI 2 for the unit tests of the TAPI 3 objects: a small ACD
// proxy model behind the Tapi2 seam, with per-function control over how each
// request completes (reply at once, hold for the test, fail synchronously,
// reply with an error), over when status messages go out relative to the
// reply, and over what lineGetProxyStatus / lineGetAgentCaps report.
//
// Like the real client library it writes a request's output only when the
// reply is delivered, and never after shutdown.
#ifndef OPENTAPI_TAPI3_TESTING_FAKE_TAPI2_H_
#define OPENTAPI_TAPI3_TESTING_FAKE_TAPI2_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tapi3/tapi2_api.h"

namespace opentapi::tapi3::testing {

inline constexpr GUID kProxyGuid = {0x11111111, 0x2222, 0x3333, {1, 2, 3, 4, 5, 6, 7, 8}};
inline constexpr GUID kGroupSales = {0xA0000001, 0, 0, {0, 0, 0, 0, 0, 0, 0, 1}};
inline constexpr GUID kGroupSupport = {0xA0000002, 0, 0, {0, 0, 0, 0, 0, 0, 0, 2}};
inline constexpr DWORD kQueueSales = 501;
inline constexpr DWORD kQueueSupport = 502;
inline constexpr HAGENT kFirstAgent = 0x1001;
inline constexpr HAGENTSESSION kFirstSession = 0x2001;
inline constexpr HLINEAPP kApp = 0x77;
inline HLINE line_of(DWORD device) { return 0x100 + device; }
inline constexpr HLINE kFirstCallLine = 0x1001;  // lines opened with call privileges
inline constexpr HCALL kFirstCall = 0x5001;

class FakeTapi2 : public Tapi2 {
 public:
  // How a request type completes.
  enum class Mode {
    kReply,      // the model answers at once (reply queued before the call returns)
    kHold,       // recorded; the test calls complete() / reply() later
    kSyncError,  // the call returns `error` synchronously
    kReplyError  // LINE_REPLY with `error`, no other effect
  };
  struct Policy {
    Mode mode = Mode::kReply;
    LONG error = 0;
  };
  // One asynchronous request as it reached the fake.
  struct Call {
    std::string function;
    LONG id = 0;
    HLINE line = 0;
    DWORD device = 0;
    DWORD handle = 0;  // agent, session or queue
    DWORD value = 0;   // state, period, address
    GUID group{};
    std::optional<std::wstring> id_text, pin;
    void* output = nullptr;
    void* output2 = nullptr;
    bool completed = false;
    std::vector<unsigned char> params;  // make_call: the LINECALLPARAMS as passed
  };

  // ---- The call model (docs/calls.md), scripted by the tests ----
  // A line with capabilities: lineGetDevCaps / lineGetAddressCaps answer for
  // it (one address per number); other devices answer OPERATIONUNAVAIL.
  struct Line {
    std::wstring name;
    std::vector<std::wstring> numbers;
    DWORD media_modes = LINEMEDIAMODE_INTERACTIVEVOICE;
    DWORD address_types = LINEADDRESSTYPE_PHONENUMBER;
  };
  // What lineGetCallInfo reports for a call.
  struct CallInfo {
    std::wstring caller_number, caller_name, called_number, called_name, redirecting_number;
    DWORD reason = LINECALLREASON_DIRECT;
    DWORD origin = LINECALLORIGIN_INTERNAL;
    DWORD call_id = 0;
    DWORD media_mode = LINEMEDIAMODE_INTERACTIVEVOICE;
    std::vector<unsigned char> call_data;
  };
  // One lineOpen with call privileges.
  struct CallOpen {
    HLINE line = 0;
    DWORD device = 0;
    DWORD privileges = 0;
    DWORD media_modes = 0;
  };

  FakeTapi2();

  // ---- Configuration (before ITTAPI::Initialize) ----
  DWORD num_devices = 2;
  LONG initialize_result = 0;
  // Devices served by the proxy for all twelve types (others: none).
  std::set<DWORD> served_devices = {0, 1};
  std::wstring handler_name = L"Fake ACD";
  GUID proxy_guid = kProxyGuid;
  // When the model's status messages go out relative to the LINE_REPLY.
  bool status_before_reply = false;
  // kReply requests: the call returns only after the pump has taken the
  // LINE_REPLY (the reply overtakes the request id).
  bool reply_overtakes_return = false;

  void set_policy(const std::string& function, Policy policy);

  // ---- Driving ----
  // Completes a held request with the model (as if the proxy answered now).
  void complete(LONG id);
  // Completes a held request with `result` and no other effect.
  void reply(LONG id, LONG result);
  // Queues a message for the application (status messages, LINE_REPLY ...).
  void post(DWORD message, HLINE line, DWORD p1, DWORD p2, DWORD p3);
  // Returns once every queued message has been taken and the pump is
  // waiting again (so everything posted so far has been processed).
  bool drain(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next held call of `function`, waiting up to `timeout`.
  std::optional<Call> wait_call(const std::string& function,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // ---- Inspection ----
  int count(const std::string& function) const;
  std::vector<Call> calls() const;
  bool shut_down() const;
  DWORD session_state(HAGENTSESSION session) const;
  void set_session_info(HAGENTSESSION session, const LINEAGENTSESSIONINFO& info);
  void set_agent_info(HAGENT agent, const LINEAGENTINFO& info);
  void set_queue_info(DWORD queue, const LINEQUEUEINFO& info);
  void remove_group(const GUID& group);
  void add_group(const GUID& group, const std::wstring& name);
  void add_queue(const GUID& group, DWORD queue, const std::wstring& name);

  // ---- Calls ----
  std::map<DWORD, Line> lines;  // configure before Initialize
  LONG open_for_calls_result = 0;
  // A call offered on address 0 of the device being opened, announced before
  // lineOpen returns (the server may do that; the layer must not lose it).
  bool offer_during_open = false;
  // A call offered on (device, address): every open of the device with
  // OWNER (and the call's media mode) or MONITOR gets a handle, announced
  // by LINE_APPNEWCALL then LINE_CALLSTATE OFFERING with the privilege.
  // Returns the handles in open order.
  std::vector<HCALL> offer_call(DWORD device, DWORD address, const CallInfo& info);
  // Moves a call to `state` (the far end did something) and posts LINE_CALLSTATE.
  void set_call_state(HCALL call, DWORD state, DWORD detail = 0);
  // Replaces what lineGetCallInfo reports and posts LINE_CALLINFO with `bits`.
  void set_call_info(HCALL call, const CallInfo& info, DWORD bits);
  DWORD call_state(HCALL call) const;
  bool call_allocated(HCALL call) const;  // not deallocated (by the program or a close)
  std::vector<CallOpen> call_opens() const;
  int deallocations() const;
  // The handle the last successful make_call wrote.
  HCALL last_made_call() const;

  // ---- Priorities and assisted telephony: recorded, answered with the result set here ----
  struct PriorityCall {
    std::wstring app;
    DWORD media_mode = 0;
    DWORD request_mode = 0;
    DWORD priority = 0;
  };
  struct RecipientCall {
    HLINEAPP app = 0;
    DWORD instance = 0;
    DWORD request_mode = 0;
    DWORD enable = 0;
  };
  LONG priority_result = 0;
  LONG recipient_result = 0;
  // lineSetAppSpecific: recorded (handle, value), answered with this result.
  LONG app_specific_result = 0;
  std::vector<std::pair<HCALL, DWORD>> app_specific_calls() const;
  std::vector<PriorityCall> priority_calls() const;
  std::vector<RecipientCall> recipient_calls() const;

  // ---- lineSetStatusMessages: the last selection per line, answered with the result set here ----
  LONG status_messages_result = 0;
  // The line states last selected on `line` (only successful calls count).
  std::optional<DWORD> line_states(HLINE line) const;
  // ---- Tapi2 ----
  LONG initialize(HLINEAPP* app, DWORD* num_devs, DWORD* api_version) override;
  LONG shutdown(HLINEAPP app) override;
  LONG get_message(HLINEAPP app, LINEMESSAGE* message, DWORD timeout_ms) override;
  LONG negotiate_api_version(HLINEAPP app, DWORD device, DWORD low, DWORD high, DWORD* version) override;
  LONG open(HLINEAPP app, DWORD device, HLINE* line, DWORD api_version, DWORD_PTR instance, DWORD privileges) override;
  LONG close(HLINE line) override;
  LONG set_status_messages(HLINE line, DWORD line_states, DWORD address_states) override;
  LONG get_proxy_status(HLINEAPP app, DWORD device, DWORD app_api_version, LINEPROXYREQUESTLIST* list) override;
  LONG get_agent_caps(HLINEAPP app, DWORD device, DWORD address, DWORD app_api_version, LINEAGENTCAPS* caps) override;
  LONG create_agent(HLINE line, LPWSTR id, LPWSTR pin, HAGENT* agent) override;
  LONG create_agent_session(HLINE line, HAGENT agent, LPWSTR pin, DWORD address, GUID* group,
                            HAGENTSESSION* session) override;
  LONG set_agent_session_state(HLINE line, HAGENTSESSION session, DWORD state, DWORD next_state) override;
  LONG get_agent_session_info(HLINE line, HAGENTSESSION session, LINEAGENTSESSIONINFO* info) override;
  LONG get_agent_session_list(HLINE line, HAGENT agent, LINEAGENTSESSIONLIST* list) override;
  LONG get_agent_info(HLINE line, HAGENT agent, LINEAGENTINFO* info) override;
  LONG set_agent_state_ex(HLINE line, HAGENT agent, DWORD state, DWORD next_state) override;
  LONG set_agent_measurement_period(HLINE line, HAGENT agent, DWORD period) override;
  LONG get_group_list(HLINE line, LINEAGENTGROUPLIST* list) override;
  LONG get_queue_info(HLINE line, DWORD queue, LINEQUEUEINFO* info) override;
  LONG get_queue_list(HLINE line, GUID* group, LINEQUEUELIST* list) override;
  LONG set_queue_measurement_period(HLINE line, DWORD queue, DWORD period) override;
  LONG open_for_calls(HLINEAPP app, DWORD device, HLINE* line, DWORD api_version, DWORD_PTR instance, DWORD privileges,
                      DWORD media_modes) override;
  LONG get_dev_caps(HLINEAPP app, DWORD device, DWORD api_version, LINEDEVCAPS* caps) override;
  LONG get_address_caps(HLINEAPP app, DWORD device, DWORD address, DWORD api_version, LINEADDRESSCAPS* caps) override;
  LONG get_call_info(HCALL call, LINECALLINFO* info) override;
  LONG deallocate_call(HCALL call) override;
  LONG make_call(HLINE line, HCALL* call, LPCWSTR destination, DWORD country_code,
                 const LINECALLPARAMS* params) override;
  LONG answer(HCALL call) override;
  LONG drop(HCALL call) override;
  LONG hold(HCALL call) override;
  LONG unhold(HCALL call) override;
  LONG blind_transfer(HCALL call, LPCWSTR destination, DWORD country_code) override;
  LONG set_app_specific(HCALL call, DWORD app_specific) override;
  LONG set_app_priority(LPCWSTR app_filename, DWORD media_mode, DWORD request_mode, DWORD priority) override;
  LONG register_request_recipient(HLINEAPP app, DWORD instance, DWORD request_mode, DWORD enable) override;

 private:
  struct FakeCall {
    HLINE line = 0;
    DWORD device = 0;
    DWORD address = 0;
    DWORD state = 0;
    DWORD privilege = LINECALLPRIVILEGE_OWNER;
    bool allocated = true;
    CallInfo info;
  };

  struct Group {
    GUID id;
    std::wstring name;
    std::vector<DWORD> queues;
  };
  struct Queue {
    std::wstring name;
    LINEQUEUEINFO info{};
  };
  struct Agent {
    std::optional<std::wstring> id, pin;
    DWORD state = LINEAGENTSTATEEX_UNKNOWN;
    LINEAGENTINFO info{};
  };
  struct Session {
    HAGENT agent = 0;
    GUID group{};
    DWORD address = 0;
    LINEAGENTSESSIONINFO info{};
  };
  // What the model decided for a request: its result and the status
  // messages it causes.
  struct Outcome {
    LONG result = 0;
    std::vector<LINEMESSAGE> status;
  };

  LONG async_locked(std::unique_lock<std::mutex>& lock, Call call);
  void deliver_locked(Call& call, Outcome outcome);
  Outcome run_model_locked(Call& call);
  LONG call_async_locked(std::unique_lock<std::mutex>& lock, const std::string& function, HCALL call);
  Outcome run_call_model_locked(Call& c);
  void push_locked(const LINEMESSAGE& m);
  static LINEMESSAGE message(DWORD id, HLINE line, DWORD p1, DWORD p2, DWORD p3);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool initialized_ = false;
  bool shut_ = false;
  bool pump_waiting_ = false;
  std::deque<LINEMESSAGE> queue_;
  std::map<std::string, Policy> policies_;
  std::map<std::string, int> counts_;
  std::vector<PriorityCall> priority_calls_;
  std::vector<RecipientCall> recipient_calls_;
  std::map<HLINE, DWORD> line_states_;
  std::vector<std::pair<HCALL, DWORD>> app_specific_calls_;
  std::vector<Call> calls_;  // every async call, in order
  LONG next_id_ = 1;
  std::vector<Group> groups_;
  std::map<DWORD, Queue> queues_;
  std::map<HAGENT, Agent> agents_;
  std::map<HAGENTSESSION, Session> sessions_;
  HAGENT next_agent_ = kFirstAgent;
  HAGENTSESSION next_session_ = kFirstSession;
  std::vector<CallOpen> call_opens_;
  HLINE next_call_line_ = kFirstCallLine;
  std::map<HCALL, FakeCall> fake_calls_;
  HCALL next_call_ = kFirstCall;
  HCALL last_made_call_ = 0;
  int deallocations_ = 0;
};

// Allocation-failure injection for the out-of-memory tests (oom_test.cpp
// replaces operator new): when positive, the countdown's n-th allocation on
// this thread throws std::bad_alloc; -1 = never. The fake's own entry points
// are exempt: they stand for C functions, which do not throw.
long& injected_failure_countdown();
class NoInjectedFailures {
 public:
  NoInjectedFailures() : saved_(injected_failure_countdown()) { injected_failure_countdown() = -1; }
  ~NoInjectedFailures() { injected_failure_countdown() = saved_; }
  NoInjectedFailures(const NoInjectedFailures&) = delete;
  NoInjectedFailures& operator=(const NoInjectedFailures&) = delete;

 private:
  long saved_;
};

// What make_default_tapi2() (and so CoCreateInstance) returns in the unit
// tests; null gives a fresh FakeTapi2.
void set_default_fake(std::shared_ptr<FakeTapi2> fake);

}  // namespace opentapi::tapi3::testing

#endif  // OPENTAPI_TAPI3_TESTING_FAKE_TAPI2_H_
