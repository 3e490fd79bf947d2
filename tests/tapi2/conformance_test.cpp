// Conformance with Microsoft's pages for the line functions a TAPI 2 agent
// desktop or supervisor tool calls: the codes each function documents, the
// parameters of the messages, the structure size protocol, written as a
// Windows program would call them (tapi.h only). What other files of this
// directory cover already is not repeated here.
//
// Numbering (docs/calls.md): `--lines 3`, two addresses per line, from
// "2001": line 0 has 2001 and 2002, line 1 2003 and 2004, line 2 2005 and
// 2006.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support.h"

namespace tapi2_test {
namespace {

constexpr DWORD kVoice = LINEMEDIAMODE_INTERACTIVEVOICE;
constexpr DWORD kOwner = LINECALLPRIVILEGE_OWNER;

// A LINECALLPARAMS naming one address (LINEOPENOPTION_SINGLEADDRESS).
LINECALLPARAMS single_address(DWORD address, DWORD mode = LINEADDRESSMODE_ADDRESSID) {
  LINECALLPARAMS p{};
  p.dwTotalSize = sizeof p;
  p.dwAddressMode = mode;
  p.dwAddressID = address;
  return p;
}

class Conformance : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(3);
    app_ = std::make_unique<App>(false, "desk");
    ASSERT_EQ(app_->init_result(), 0);
  }

  LONG open_single(DWORD device, const LINECALLPARAMS* params, HLINE* line, DWORD_PTR instance = 0x51) {
    return lineOpenA(app_->handle(), device, line, kApiVersion, 0, instance, kOwner | LINEOPENOPTION_SINGLEADDRESS,
                     kVoice, const_cast<LPLINECALLPARAMS>(params));
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<App> app_;
};

// lineOpen: "If LINEOPENOPTION_SINGLEADDRESS is specified, the application is
// interested only in new calls on the address given by dwAddressID of the
// LINECALLPARAMS pointed to by lpCallParams (which must be specified) ... if
// lpCallParams is invalid or dwAddressID does not exist on the line, the open
// fails with LINEERR_INVALADDRESSID" and dwAddressMode must be ADDRESSID.
TEST_F(Conformance, SingleAddressOpenTakesTheAddressOfTheCallParams) {
  HLINE line = 0;
  EXPECT_EQ(open_single(1, nullptr, &line), LINEERR_INVALADDRESSID);
  auto absent = single_address(2);
  EXPECT_EQ(open_single(1, &absent, &line), LINEERR_INVALADDRESSID);
  auto dialable = single_address(1, LINEADDRESSMODE_DIALABLEADDR);
  EXPECT_EQ(open_single(1, &dialable, &line), LINEERR_INVALADDRESSID);
  auto truncated = single_address(1);
  truncated.dwTotalSize = 16;  // ends before dwAddressID
  EXPECT_EQ(open_single(1, &truncated, &line), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(line, 0u) << "nothing opened";

  // Line 1's second address (2004) only.
  auto second = single_address(1);
  ASSERT_EQ(open_single(1, &second, &line), 0);
  App caller(false, "caller");
  ASSERT_EQ(caller.init_result(), 0);
  const HLINE from = caller.open(0, 0, false, kOwner, kVoice);
  const HLINE other = caller.open(2, 0, false, kOwner, kVoice);  // one call per address
  ASSERT_NE(from, 0u);
  ASSERT_NE(other, 0u);

  HCALL to_first = 0;
  const LONG first_id = lineMakeCallA(from, &to_first, "2003", 0, nullptr);
  ASSERT_GT(first_id, 0);
  EXPECT_EQ(caller.reply(first_id), 0);
  HCALL to_second = 0;
  const LONG second_id = lineMakeCallA(other, &to_second, "2004", 0, nullptr);
  ASSERT_GT(second_id, 0);
  EXPECT_EQ(caller.reply(second_id), 0);

  const auto offered =
      app_->wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL && m.hDevice == line; });
  ASSERT_TRUE(offered) << "the call to 2004 is offered to the open of its address";
  EXPECT_EQ(offered->dwParam1, 1u) << "address ID";
  EXPECT_EQ(offered->dwParam3, kOwner);
  EXPECT_EQ(offered->dwCallbackInstance, 0x51u);
  EXPECT_FALSE(app_->wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; }, 300ms))
      << "the call to 2003 (address 0) is not this open's";
  EXPECT_EQ(lineClose(line), 0);
}

// LINE_REPLY: "dwCallbackInstance: returns the application's callback
// instance" — as on Windows, that of the open the request was made through
// (the line's, or the line of the call's handle); a request on no line
// (lineGetAgentCaps takes the HLINEAPP) has none.
TEST_F(Conformance, ReplyCarriesTheCallbackInstanceOfTheRequestsLine) {
  TestProxy proxy;
  ASSERT_EQ(proxy.open_result(), 0);
  const HLINE agent_line = app_->open(0, 0xA6E47);
  ASSERT_NE(agent_line, 0u);
  const auto reply = [&](LONG id) {
    EXPECT_GT(id, 0);
    return app_->wait(
        [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_REPLY && m.dwParam1 == static_cast<DWORD_PTR>(id); });
  };
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  const auto agent = reply(lineGetAgentInfo(agent_line, kFirstAgent, &info));
  ASSERT_TRUE(agent);
  EXPECT_EQ(static_cast<LONG>(agent->dwParam2), 0);
  EXPECT_EQ(agent->dwCallbackInstance, 0xA6E47u);
  EXPECT_EQ(agent->hDevice, 0u) << "hDevice: not used";
  EXPECT_EQ(agent->dwParam3, 0u);
  const auto failed = reply(lineSetAgentSessionState(agent_line, kUnknownSession, LINEAGENTSESSIONSTATE_READY, 0));
  ASSERT_TRUE(failed);
  EXPECT_LT(static_cast<LONG>(failed->dwParam2), 0);
  EXPECT_EQ(failed->dwCallbackInstance, 0xA6E47u) << "a failed request's reply too";

  std::vector<unsigned char> caps(1024, 0);
  const DWORD caps_size = 1024;
  std::memcpy(caps.data(), &caps_size, 4);
  const auto no_line =
      reply(lineGetAgentCapsA(app_->handle(), 0, 0, kApiVersion, reinterpret_cast<LPLINEAGENTCAPS>(caps.data())));
  ASSERT_TRUE(no_line);
  EXPECT_EQ(no_line->dwCallbackInstance, 0u);

  // Call requests: lineMakeCall on the caller's line, lineAnswer / lineDrop
  // on the callee's call.
  App callee(false, "callee");
  ASSERT_EQ(callee.init_result(), 0);
  const HLINE to = callee.open(1, 0xCA11EE, false, kOwner, kVoice);
  const HLINE from = app_->open(2, 0xCA11E4, false, kOwner, kVoice);
  ASSERT_NE(to, 0u);
  ASSERT_NE(from, 0u);
  HCALL call = 0;
  const auto made = reply(lineMakeCallA(from, &call, "2003", 0, nullptr));
  ASSERT_TRUE(made);
  EXPECT_EQ(static_cast<LONG>(made->dwParam2), 0);
  EXPECT_EQ(made->dwCallbackInstance, 0xCA11E4u);
  const auto offered =
      callee.wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL && m.hDevice == to; });
  ASSERT_TRUE(offered);
  const auto incoming = static_cast<HCALL>(offered->dwParam2);
  const LONG answer_id = lineAnswer(incoming, nullptr, 0);
  ASSERT_GT(answer_id, 0);
  const auto answered = callee.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_REPLY && m.dwParam1 == static_cast<DWORD_PTR>(answer_id);
  });
  ASSERT_TRUE(answered);
  EXPECT_EQ(static_cast<LONG>(answered->dwParam2), 0);
  EXPECT_EQ(answered->dwCallbackInstance, 0xCA11EEu);
  const auto dropped = reply(lineDrop(call, nullptr, 0));
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->dwCallbackInstance, 0xCA11E4u);
}

// The version, extension, privilege and media-mode checks of
// lineNegotiateAPIVersion, lineGetDevCaps and lineOpen, with the codes their
// pages list; and lineGetMessage's answer when nothing comes in time.
TEST_F(Conformance, VersionsExtensionsAndPrivilegesGetTheDocumentedCodes) {
  const HLINEAPP app = app_->handle();
  DWORD version = 0;
  LINEEXTENSIONID ext;
  // The negotiated version lies in the application's range: the highest both sides speak.
  ASSERT_EQ(lineNegotiateAPIVersion(app, 0, 0x00020000, 0x00040000, &version, &ext), 0);
  EXPECT_EQ(version, 0x00030001u);
  ASSERT_EQ(lineNegotiateAPIVersion(app, 0, 0x00020000, 0x00020001, &version, &ext), 0);
  EXPECT_EQ(version, 0x00020001u);
  EXPECT_EQ(lineNegotiateAPIVersion(app, 0, 0x00020001, 0x00020000, &version, &ext), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineNegotiateAPIVersion(app, 0, 0x00030002, 0x00040000, &version, &ext), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineNegotiateAPIVersion(app, 3, 0x00020000, 0x00030001, &version, &ext), LINEERR_BADDEVICEID);
  EXPECT_EQ(lineNegotiateAPIVersion(app + 1000, 0, 0x00020000, 0x00030001, &version, &ext), LINEERR_INVALAPPHANDLE);

  std::vector<unsigned char> caps(1024, 0);
  auto* dev_caps = reinterpret_cast<LPLINEDEVCAPS>(caps.data());
  dev_caps->dwTotalSize = 1024;
  EXPECT_EQ(lineGetDevCapsA(app, 0, 0x00050000, 0, dev_caps), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineGetDevCapsA(app, 0, 0x00020001, 0x00010000, dev_caps), LINEERR_INCOMPATIBLEEXTVERSION);
  EXPECT_EQ(lineGetDevCapsA(app, 3, 0x00020001, 0, dev_caps), LINEERR_BADDEVICEID);
  ASSERT_EQ(lineGetDevCapsA(app, 0, 0x00020001, 0, dev_caps), 0);
  EXPECT_EQ(dev_caps->dwStringFormat, static_cast<DWORD>(STRINGFORMAT_ASCII));
  EXPECT_EQ(dev_caps->dwNumAddresses, 2u);

  HLINE line = 0;
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00020001, 0, 0, 0x10, 0, nullptr), LINEERR_INVALPRIVSELECT);
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00020001, 0, 0, kOwner, 0, nullptr), LINEERR_INVALMEDIAMODE)
      << "an owner names the media modes it takes";
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00020001, 0x00010000, 0, LINECALLPRIVILEGE_NONE, 0, nullptr),
            LINEERR_INCOMPATIBLEEXTVERSION);
  EXPECT_EQ(lineOpenA(app, 0, &line, 0x00050000, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr),
            LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(lineOpenA(app, 3, &line, 0x00020001, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr), LINEERR_BADDEVICEID);
  EXPECT_EQ(line, 0u);

  // A second application polls its own, empty, queue.
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT | LINEINITIALIZEEXOPTION_CALLHUBTRACKING;
  HLINEAPP quiet = 0;
  DWORD devices = 0;
  DWORD api = 0x00020001;
  ASSERT_EQ(lineInitializeExA(&quiet, nullptr, nullptr, "quiet", &devices, &api, &params), 0);
  EXPECT_EQ(api, 0x00030001u) << "out: the highest version the implementation supports";
  EXPECT_EQ(params.dwNeededSize, sizeof params);
  EXPECT_EQ(params.dwUsedSize, sizeof params);
  LINEMESSAGE m;
  EXPECT_EQ(lineGetMessage(quiet, &m, 0), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(lineGetMessage(quiet, &m, 20), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(lineGetMessage(quiet, nullptr, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineShutdown(quiet), 0);
  EXPECT_EQ(lineShutdown(quiet), LINEERR_INVALAPPHANDLE) << "another application is still there";
  EXPECT_EQ(lineGetMessage(quiet, &m, 0), LINEERR_INVALAPPHANDLE);
}

// ---- The call path, as an agent desktop and a supervisor tool see it ----

constexpr DWORD kMonitor = LINECALLPRIVILEGE_MONITOR;

// A structure buffer of `size` bytes with dwTotalSize set.
template <class T>
struct Buffer {
  explicit Buffer(DWORD size = 2048) : bytes(size, 0) { std::memcpy(bytes.data(), &size, 4); }
  T* get() { return reinterpret_cast<T*>(bytes.data()); }
  T* operator->() { return get(); }
  std::string a(DWORD size, DWORD offset) const { return read_a(bytes.data(), size, offset); }
  std::wstring w(DWORD size, DWORD offset) const { return read_w(bytes.data(), size, offset); }
  std::vector<unsigned char> bytes;
};

// The messages of `app` in arrival order, up to and including the first one
// `last` matches (empty if it never comes).
std::vector<LINEMESSAGE> messages_until(App& app, const std::function<bool(const LINEMESSAGE&)>& last) {
  std::vector<LINEMESSAGE> seen;
  const auto deadline = Clock::now() + kWait;
  while (Clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const auto m = app.wait([](const LINEMESSAGE&) { return true; }, left);
    if (!m) break;
    seen.push_back(*m);
    if (last(*m)) return seen;
  }
  ADD_FAILURE() << "the awaited message never came";
  return {};
}

bool is_call_state(const LINEMESSAGE& m, HCALL call, DWORD state) {
  return m.dwMessageID == LINE_CALLSTATE && m.hDevice == call && m.dwParam1 == state;
}

// Seconds between a LINECALLSTATUS.tStateEntryTime (UTC) and now.
long seconds_from_now(const SYSTEMTIME& t) {
  std::tm tm{};
  tm.tm_year = t.wYear - 1900;
  tm.tm_mon = t.wMonth - 1;
  tm.tm_mday = t.wDay;
  tm.tm_hour = t.wHour;
  tm.tm_min = t.wMinute;
  tm.tm_sec = t.wSecond;
  return static_cast<long>(std::time(nullptr) - ::timegm(&tm));
}

class CallConformance : public testing::Test {
 protected:
  static constexpr DWORD_PTR kAgentInstance = 0xA6E;
  static constexpr DWORD_PTR kSupervisorInstance = 0x5B;

  void SetUp() override {
    server_ = std::make_unique<Server>(3);
    caller_ = std::make_unique<App>(false, "caller");
    agent_ = std::make_unique<App>(false, "agent desktop");
    supervisor_ = std::make_unique<App>(true, "supervisor");
    ASSERT_EQ(caller_->init_result(), 0);
    ASSERT_EQ(agent_->init_result(), 0);
    ASSERT_EQ(supervisor_->init_result(), 0);
    caller_line_ = caller_->open(0, 0xC0, false, kOwner, kVoice);
    agent_line_ = agent_->open(1, kAgentInstance, false, kOwner, kVoice);
    supervisor_line_ = supervisor_->open(1, kSupervisorInstance, true, kMonitor, kVoice);
    ASSERT_NE(caller_line_, 0u);
    ASSERT_NE(agent_line_, 0u);
    ASSERT_NE(supervisor_line_, 0u);
  }

  // lineMakeCall from 2001 to `number`, completed; the caller's handle.
  HCALL dial(const char* number) {
    HCALL call = 0;
    const LONG id = lineMakeCallA(caller_line_, &call, number, 0, nullptr);
    EXPECT_GT(id, 0);
    EXPECT_EQ(caller_->reply(id), std::optional<LONG>(0));
    EXPECT_NE(call, 0u);
    return call;
  }

  // The LINE_APPNEWCALL of `line` and the LINE_CALLSTATE OFFERING after it;
  // the new handle.
  HCALL offered(App& app, HLINE line, DWORD_PTR instance, DWORD address, DWORD privilege) {
    HCALL call = 0;
    const auto seen = messages_until(app, [&](const LINEMESSAGE& m) {
      if (m.dwMessageID == LINE_APPNEWCALL && m.hDevice == line) call = static_cast<HCALL>(m.dwParam2);
      return call != 0 && is_call_state(m, call, LINECALLSTATE_OFFERING);
    });
    EXPECT_FALSE(seen.empty());
    if (seen.empty()) return 0;
    const auto announced = std::find_if(seen.begin(), seen.end(), [&](const LINEMESSAGE& m) {
      return m.dwMessageID == LINE_APPNEWCALL && m.hDevice == line;
    });
    EXPECT_EQ(announced->dwCallbackInstance, instance);
    EXPECT_EQ(announced->dwParam1, address) << "LINE_APPNEWCALL dwParam1: the address ID";
    EXPECT_EQ(announced->dwParam3, privilege) << "LINE_APPNEWCALL dwParam3: the privilege";
    for (auto it = announced + 1; it + 1 != seen.end(); ++it) {
      EXPECT_FALSE(it->dwMessageID == LINE_CALLSTATE && it->hDevice == call)
          << "the first LINE_CALLSTATE of the new handle is OFFERING";
    }
    const LINEMESSAGE& offering = seen.back();
    EXPECT_EQ(offering.dwParam2, LINEOFFERINGMODE_ACTIVE) << "OFFERING's dwParam2: a LINEOFFERINGMODE_";
    EXPECT_EQ(offering.dwParam3, privilege) << "the first LINE_CALLSTATE of a handle carries its privilege";
    EXPECT_EQ(offering.dwCallbackInstance, instance);
    return call;
  }

  static LINEMESSAGE state(App& app, HCALL call, DWORD s) {
    const auto m = app.wait([&](const LINEMESSAGE& x) { return is_call_state(x, call, s); });
    EXPECT_TRUE(m) << "no LINE_CALLSTATE 0x" << std::hex << s << " for call " << call;
    return m.value_or(LINEMESSAGE{});
  }

  // An asynchronous request: a positive ID, then its LINE_REPLY's result.
  static LONG completed(App& app, LONG id) {
    EXPECT_GT(id, 0) << "an asynchronous function returns a positive request ID";
    if (id <= 0) return id;
    return app.reply(id).value_or(LINEERR_OPERATIONFAILED);
  }

  static Buffer<LINECALLSTATUS> status(HCALL call) {
    Buffer<LINECALLSTATUS> s(sizeof(LINECALLSTATUS));
    EXPECT_EQ(lineGetCallStatus(call, s.get()), 0);
    return s;
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<App> caller_;
  std::unique_ptr<App> agent_;
  std::unique_ptr<App> supervisor_;
  HLINE caller_line_ = 0;
  HLINE agent_line_ = 0;
  HLINE supervisor_line_ = 0;
};

// LINE_APPNEWCALL: "hDevice: the line; dwParam1: the address ID on which the
// call appears; dwParam2: the application's handle to the new call;
// dwParam3: the application's privilege". LINE_CALLSTATE: dwParam2 is the
// state's LINE...MODE_ detail, dwParam3 the privilege "the first time the
// application receives a handle for this call", 0 after. lineAnswer and
// lineDrop are asynchronous; "the dropped call typically transitions to the
// idle state", the far end is disconnected.
TEST_F(CallConformance, InboundCallFromOfferToIdle) {
  const HCALL out = dial("2004");  // line 1, address 1
  const HCALL call = offered(*agent_, agent_line_, kAgentInstance, 1, kOwner);
  const HCALL watched = offered(*supervisor_, supervisor_line_, kSupervisorInstance, 1, kMonitor);
  ASSERT_NE(call, 0u);
  ASSERT_NE(watched, 0u);

  ASSERT_EQ(completed(*agent_, lineAnswer(call, nullptr, 0)), 0);
  const LINEMESSAGE connected = state(*agent_, call, LINECALLSTATE_CONNECTED);
  EXPECT_EQ(connected.dwParam2, LINECONNECTEDMODE_ACTIVE) << "CONNECTED's dwParam2: a LINECONNECTEDMODE_";
  EXPECT_EQ(connected.dwParam3, 0u) << "no privilege change";
  EXPECT_EQ(connected.dwCallbackInstance, kAgentInstance);
  EXPECT_EQ(state(*caller_, out, LINECALLSTATE_CONNECTED).dwParam2, LINECONNECTEDMODE_ACTIVE);
  EXPECT_EQ(state(*supervisor_, watched, LINECALLSTATE_CONNECTED).dwParam3, 0u);

  // The agent hangs up: IDLE for the agent, DISCONNECTED (NORMAL) for the caller.
  ASSERT_EQ(completed(*agent_, lineDrop(call, nullptr, 0)), 0);
  const LINEMESSAGE idle = state(*agent_, call, LINECALLSTATE_IDLE);
  EXPECT_EQ(idle.dwParam2, 0u);
  EXPECT_EQ(idle.dwParam3, 0u);
  EXPECT_EQ(state(*caller_, out, LINECALLSTATE_DISCONNECTED).dwParam2, LINEDISCONNECTMODE_NORMAL);
  state(*supervisor_, watched, LINECALLSTATE_IDLE);
  EXPECT_EQ(lineDrop(call, nullptr, 0), LINEERR_INVALCALLSTATE) << "lineDrop: any state except idle";
  EXPECT_EQ(lineAnswer(call, nullptr, 0), LINEERR_INVALCALLSTATE);
  ASSERT_EQ(completed(*caller_, lineDrop(out, nullptr, 0)), 0);
  state(*caller_, out, LINECALLSTATE_IDLE);
  EXPECT_EQ(lineDeallocateCall(call), 0);
  EXPECT_EQ(lineDeallocateCall(watched), 0);
  EXPECT_EQ(lineDeallocateCall(out), 0);
}

// LINECALLSTATUS: dwCallStateMode is the state's detail; dwCallFeatures
// "the functions that can be invoked on the call, given ... the current call
// state, and call ownership of the invoking application"; tStateEntryTime
// "the Coordinated Universal Time at which the current call state was
// entered".
TEST_F(CallConformance, CallStatusFollowsTheStateAndThePrivilege) {
  const HCALL out = dial("2003");
  const HCALL call = offered(*agent_, agent_line_, kAgentInstance, 0, kOwner);
  const HCALL watched = offered(*supervisor_, supervisor_line_, kSupervisorInstance, 0, kMonitor);

  auto s = status(call);
  EXPECT_EQ(s->dwCallState, LINECALLSTATE_OFFERING);
  EXPECT_EQ(s->dwCallStateMode, LINEOFFERINGMODE_ACTIVE);
  EXPECT_EQ(s->dwCallPrivilege, kOwner);
  EXPECT_EQ(s->dwCallFeatures & (LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP | LINECALLFEATURE_REDIRECT),
            LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP | LINECALLFEATURE_REDIRECT);
  EXPECT_EQ(s->dwCallFeatures & (LINECALLFEATURE_HOLD | LINECALLFEATURE_UNHOLD | LINECALLFEATURE_BLINDTRANSFER), 0u);
  EXPECT_EQ(s->dwNeededSize, sizeof(LINECALLSTATUS));
  EXPECT_EQ(s->dwUsedSize, sizeof(LINECALLSTATUS));
  EXPECT_EQ(s->dwTotalSize, sizeof(LINECALLSTATUS));
  EXPECT_LE(std::labs(seconds_from_now(s->tStateEntryTime)), 120) << "UTC, just now";
  auto m = status(watched);
  EXPECT_EQ(m->dwCallState, LINECALLSTATE_OFFERING);
  EXPECT_EQ(m->dwCallPrivilege, kMonitor);
  EXPECT_EQ(m->dwCallFeatures, 0u) << "a monitor can invoke nothing on the call";
  auto caller_side = status(out);
  EXPECT_EQ(caller_side->dwCallState, LINECALLSTATE_RINGBACK);
  EXPECT_EQ(caller_side->dwCallFeatures & LINECALLFEATURE_ANSWER, 0u);
  EXPECT_NE(caller_side->dwCallFeatures & LINECALLFEATURE_DROP, 0u);

  ASSERT_EQ(completed(*agent_, lineAnswer(call, nullptr, 0)), 0);
  state(*agent_, call, LINECALLSTATE_CONNECTED);
  s = status(call);
  EXPECT_EQ(s->dwCallState, LINECALLSTATE_CONNECTED);
  EXPECT_EQ(s->dwCallStateMode, LINECONNECTEDMODE_ACTIVE);
  EXPECT_EQ(s->dwCallFeatures & (LINECALLFEATURE_DROP | LINECALLFEATURE_HOLD | LINECALLFEATURE_BLINDTRANSFER),
            LINECALLFEATURE_DROP | LINECALLFEATURE_HOLD | LINECALLFEATURE_BLINDTRANSFER);
  EXPECT_EQ(s->dwCallFeatures & (LINECALLFEATURE_ANSWER | LINECALLFEATURE_UNHOLD | LINECALLFEATURE_REDIRECT), 0u);

  ASSERT_EQ(completed(*agent_, lineHold(call)), 0);
  state(*agent_, call, LINECALLSTATE_ONHOLD);
  s = status(call);
  EXPECT_EQ(s->dwCallState, LINECALLSTATE_ONHOLD);
  EXPECT_EQ(s->dwCallFeatures & (LINECALLFEATURE_UNHOLD | LINECALLFEATURE_DROP),
            LINECALLFEATURE_UNHOLD | LINECALLFEATURE_DROP);
  EXPECT_EQ(s->dwCallFeatures & (LINECALLFEATURE_HOLD | LINECALLFEATURE_ANSWER), 0u);
  EXPECT_EQ(lineHold(call), LINEERR_INVALCALLSTATE);
  EXPECT_EQ(lineAnswer(call, nullptr, 0), LINEERR_INVALCALLSTATE);
  EXPECT_EQ(lineUnhold(watched), LINEERR_NOTOWNER);

  // The caller hangs up: the agent's call is DISCONNECTED; only lineDrop is left.
  ASSERT_EQ(completed(*caller_, lineDrop(out, nullptr, 0)), 0);
  const LINEMESSAGE gone = state(*agent_, call, LINECALLSTATE_DISCONNECTED);
  s = status(call);
  EXPECT_EQ(s->dwCallState, LINECALLSTATE_DISCONNECTED);
  EXPECT_EQ(s->dwCallStateMode, gone.dwParam2);
  EXPECT_EQ(s->dwCallFeatures & ~LINECALLFEATURE_SETCALLDATA, LINECALLFEATURE_DROP);
  EXPECT_EQ(lineUnhold(call), LINEERR_INVALCALLSTATE);
  ASSERT_EQ(completed(*agent_, lineDrop(call, nullptr, 0)), 0);
  state(*agent_, call, LINECALLSTATE_IDLE);
  s = status(call);
  EXPECT_EQ(s->dwCallState, LINECALLSTATE_IDLE);
  EXPECT_EQ(s->dwCallFeatures, 0u) << "nothing can be done to an IDLE call";
  EXPECT_EQ(lineDeallocateCall(call), 0);
}

// LINECALLINFO as the agent's screen pop and the supervisor read it: the
// fixed fields, the caller and called IDs (flags, strings with their NUL,
// offsets inside dwUsedSize), the counts of owners and monitors, in both
// charsets.
TEST_F(CallConformance, CallInfoDescribesTheCallForEveryHolder) {
  const HCALL out = dial("2003");
  const HCALL call = offered(*agent_, agent_line_, kAgentInstance, 0, kOwner);
  const HCALL watched = offered(*supervisor_, supervisor_line_, kSupervisorInstance, 0, kMonitor);

  Buffer<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoA(call, info.get()), 0);
  EXPECT_EQ(info->dwTotalSize, 2048u) << "dwTotalSize is the caller's";
  EXPECT_EQ(info->dwNeededSize, info->dwUsedSize);
  EXPECT_LE(info->dwUsedSize, info->dwTotalSize);
  EXPECT_EQ(info->hLine, agent_line_);
  EXPECT_EQ(info->dwLineDeviceID, 1u);
  EXPECT_EQ(info->dwAddressID, 0u);
  EXPECT_EQ(info->dwBearerMode, LINEBEARERMODE_VOICE);
  EXPECT_EQ(info->dwMediaMode, kVoice);
  EXPECT_NE(info->dwCallID, 0u);
  const DWORD expected_states = LINECALLSTATE_IDLE | LINECALLSTATE_OFFERING | LINECALLSTATE_CONNECTED |
                                LINECALLSTATE_ONHOLD | LINECALLSTATE_DISCONNECTED;
  EXPECT_EQ(info->dwCallStates & expected_states, expected_states);
  EXPECT_EQ(info->dwOrigin, LINECALLORIGIN_INTERNAL);
  EXPECT_EQ(info->dwReason, LINECALLREASON_DIRECT);
  EXPECT_EQ(info->dwNumOwners, 1u);
  EXPECT_EQ(info->dwNumMonitors, 1u);
  EXPECT_EQ(info->dwCallerIDFlags, LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME);
  EXPECT_EQ(info->dwCallerIDSize, 5u) << "\"2001\" and its NUL";
  EXPECT_GE(info->dwCallerIDOffset, sizeof(LINECALLINFO));
  EXPECT_LE(info->dwCallerIDOffset + info->dwCallerIDSize, info->dwUsedSize);
  EXPECT_EQ(info.a(info->dwCallerIDSize, info->dwCallerIDOffset), "2001");
  EXPECT_EQ(info.a(info->dwCallerIDNameSize, info->dwCallerIDNameOffset), "Station 2001");
  EXPECT_EQ(info->dwCalledIDFlags & LINECALLPARTYID_ADDRESS, LINECALLPARTYID_ADDRESS);
  EXPECT_EQ(info.a(info->dwCalledIDSize, info->dwCalledIDOffset), "2003");
  EXPECT_EQ(info->dwCallerIDAddressType, LINEADDRESSTYPE_PHONENUMBER);
  EXPECT_EQ(info->dwConnectedIDFlags, LINECALLPARTYID_UNKNOWN) << "not answered yet";

  Buffer<LINECALLINFO> wide;
  ASSERT_EQ(lineGetCallInfoW(watched, wide.get()), 0);
  EXPECT_EQ(wide->hLine, supervisor_line_) << "the holder's own line handle";
  EXPECT_EQ(wide->dwCallID, info->dwCallID) << "the same appearance";
  EXPECT_EQ(wide->dwCallerIDSize, 5 * sizeof(wchar_t));
  EXPECT_EQ(wide.w(wide->dwCallerIDNameSize, wide->dwCallerIDNameOffset), L"Station 2001");
  EXPECT_EQ(wide->dwNumMonitors, 1u);

  Buffer<LINECALLINFO> mine;
  ASSERT_EQ(lineGetCallInfoA(out, mine.get()), 0);
  EXPECT_EQ(mine->dwOrigin, LINECALLORIGIN_OUTBOUND);
  EXPECT_EQ(mine->dwRelatedCallID, info->dwCallID);
  EXPECT_EQ(mine.a(mine->dwCalledIDSize, mine->dwCalledIDOffset), "2003");

  ASSERT_EQ(completed(*agent_, lineAnswer(call, nullptr, 0)), 0);
  ASSERT_TRUE(agent_->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_CALLINFO && m.hDevice == call && (m.dwParam1 & LINECALLINFOSTATE_CONNECTEDID) != 0;
  }));
  ASSERT_EQ(lineGetCallInfoA(call, info.get()), 0);
  EXPECT_EQ(info->dwConnectedIDFlags & LINECALLPARTYID_ADDRESS, LINECALLPARTYID_ADDRESS);
  EXPECT_EQ(info.a(info->dwConnectedIDSize, info->dwConnectedIDOffset), "2001");
}

// lineSetCallPrivilege: "If the application is the sole owner of a
// non-idle call and changes its privilege to monitor, LINEERR_INVALCALLSTATE"
// and one and only one LINECALLPRIVILEGE_. lineDeallocateCall, API 2.0 and
// later: "the sole owner of the call can deallocate its handle even though
// the call is not in the idle state"; "the deallocation does not affect the
// call state of the physical call" while a supervisor still holds a handle,
// who hears of the owner leaving (LINE_CALLINFO NUMOWNERDECR).
TEST_F(CallConformance, TheSoleOwnerMayLetGoOfALiveCall) {
  const HCALL out = dial("2003");
  const HCALL call = offered(*agent_, agent_line_, kAgentInstance, 0, kOwner);
  const HCALL watched = offered(*supervisor_, supervisor_line_, kSupervisorInstance, 0, kMonitor);
  ASSERT_EQ(completed(*agent_, lineAnswer(call, nullptr, 0)), 0);
  state(*agent_, call, LINECALLSTATE_CONNECTED);
  state(*supervisor_, watched, LINECALLSTATE_CONNECTED);

  EXPECT_EQ(lineSetCallPrivilege(call, kMonitor), LINEERR_INVALCALLSTATE) << "the sole owner of a CONNECTED call";
  EXPECT_EQ(lineSetCallPrivilege(call, kOwner | kMonitor), LINEERR_INVALCALLPRIVILEGE);
  EXPECT_EQ(lineSetCallPrivilege(call, 0), LINEERR_INVALCALLPRIVILEGE);
  EXPECT_EQ(lineSetCallPrivilege(call, kOwner), 0) << "already the owner";
  EXPECT_EQ(status(call)->dwCallPrivilege, kOwner);

  ASSERT_EQ(lineDeallocateCall(call), 0);
  EXPECT_EQ(lineDeallocateCall(call), LINEERR_INVALCALLHANDLE);
  ASSERT_TRUE(supervisor_->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_CALLINFO && m.hDevice == watched && (m.dwParam1 & LINECALLINFOSTATE_NUMOWNERDECR) != 0;
  }));
  EXPECT_EQ(status(watched)->dwCallState, LINECALLSTATE_CONNECTED) << "the call goes on";
  EXPECT_EQ(status(out)->dwCallState, LINECALLSTATE_CONNECTED);
  Buffer<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoW(watched, info.get()), 0);
  EXPECT_EQ(info->dwNumOwners, 0u);
  EXPECT_EQ(info->dwNumMonitors, 1u);

  // The supervisor takes the call over and ends it.
  ASSERT_EQ(lineSetCallPrivilege(watched, kOwner), 0);
  EXPECT_EQ(status(watched)->dwCallPrivilege, kOwner);
  ASSERT_EQ(completed(*supervisor_, lineDrop(watched, nullptr, 0)), 0);
  state(*supervisor_, watched, LINECALLSTATE_IDLE);
  EXPECT_EQ(state(*caller_, out, LINECALLSTATE_DISCONNECTED).dwParam2, LINEDISCONNECTMODE_NORMAL);
  EXPECT_EQ(lineSetCallPrivilege(watched, kMonitor), 0) << "an IDLE call may be given up";
}

// LINE_CALLSTATE "also notifies applications that monitor calls on a line of
// the existence and state of outbound calls established by other
// applications": a monitor of the caller's line gets the outbound call too,
// announced by LINE_APPNEWCALL (MONITOR) before its first LINE_CALLSTATE.
TEST_F(CallConformance, AMonitorOfTheLineSeesOutboundCalls) {
  App watcher(false, "line monitor");
  ASSERT_EQ(watcher.init_result(), 0);
  const HLINE line = watcher.open(0, 0x77, false, kMonitor, kVoice);
  ASSERT_NE(line, 0u);
  const HCALL out = dial("2003");
  HCALL seen = 0;
  const auto messages = messages_until(watcher, [&](const LINEMESSAGE& m) {
    if (m.dwMessageID == LINE_APPNEWCALL && m.hDevice == line) seen = static_cast<HCALL>(m.dwParam2);
    return seen != 0 && m.dwMessageID == LINE_CALLSTATE && m.hDevice == seen;
  });
  ASSERT_FALSE(messages.empty());
  const auto announced = std::find_if(messages.begin(), messages.end(),
                                      [](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; });
  EXPECT_EQ(announced->dwParam1, 0u);
  EXPECT_EQ(announced->dwParam3, kMonitor);
  EXPECT_EQ(messages.back().dwParam3, kMonitor) << "the first LINE_CALLSTATE of the handle";
  EXPECT_EQ(messages.back().dwCallbackInstance, 0x77u);
  ASSERT_TRUE(watcher.wait([&](const LINEMESSAGE& m) { return is_call_state(m, seen, LINECALLSTATE_RINGBACK); }));
  Buffer<LINECALLINFO> info;
  ASSERT_EQ(lineGetCallInfoA(seen, info.get()), 0);
  EXPECT_EQ(info->dwOrigin, LINECALLORIGIN_OUTBOUND);
  EXPECT_EQ(info.a(info->dwCalledIDSize, info->dwCalledIDOffset), "2003");
  EXPECT_EQ(lineDrop(seen, nullptr, 0), LINEERR_NOTOWNER);
  ASSERT_EQ(completed(*caller_, lineDrop(out, nullptr, 0)), 0);
  ASSERT_TRUE(watcher.wait([&](const LINEMESSAGE& m) { return is_call_state(m, seen, LINECALLSTATE_IDLE); }));
}

// lineDrop: "Invoking lineDrop on a call in the offering state rejects the
// call"; LINEDISCONNECTMODE_REJECT: "the remote user has rejected the call".
// An owner that goes away with the call still ringing (lineClose, with
// LINEDEVCAPFLAGS_CLOSEDROP) has rejected nothing: NORMAL.
TEST_F(CallConformance, DroppingAnOfferedCallRejectsIt) {
  Buffer<LINEADDRESSCAPS> caps;
  ASSERT_EQ(lineGetAddressCapsA(agent_->handle(), 1, 0, kApiVersion, 0, caps.get()), 0);
  EXPECT_NE(caps->dwDisconnectModes & LINEDISCONNECTMODE_REJECT, 0u);

  HCALL out = dial("2003");
  HCALL call = offered(*agent_, agent_line_, kAgentInstance, 0, kOwner);
  const HCALL watched = offered(*supervisor_, supervisor_line_, kSupervisorInstance, 0, kMonitor);
  ASSERT_EQ(completed(*agent_, lineDrop(call, nullptr, 0)), 0);
  EXPECT_EQ(state(*agent_, call, LINECALLSTATE_IDLE).dwParam2, 0u);
  EXPECT_EQ(state(*caller_, out, LINECALLSTATE_DISCONNECTED).dwParam2, LINEDISCONNECTMODE_REJECT);
  EXPECT_EQ(status(out)->dwCallStateMode, LINEDISCONNECTMODE_REJECT);
  state(*supervisor_, watched, LINECALLSTATE_IDLE);
  ASSERT_EQ(completed(*caller_, lineDrop(out, nullptr, 0)), 0);
  state(*caller_, out, LINECALLSTATE_IDLE);
  EXPECT_EQ(lineDeallocateCall(out), 0);
  EXPECT_EQ(lineDeallocateCall(call), 0);

  out = dial("2003");
  call = offered(*agent_, agent_line_, kAgentInstance, 0, kOwner);
  ASSERT_NE(call, 0u);
  ASSERT_EQ(lineClose(agent_line_), 0);
  EXPECT_EQ(state(*caller_, out, LINECALLSTATE_DISCONNECTED).dwParam2, LINEDISCONNECTMODE_NORMAL);
}

// LINECALLPRIVILEGE_: "whenever call privileges of that application are
// modified, the LINE_CALLSTATE message is sent to the application".
// LINE_CALLINFO: NUMOWNERINCR / NUMOWNERDECR / NUMMONITORS go "to
// applications that already have a handle for the call", and "the
// application that causes a change in the number of owners or monitors (for
// example, by invoking lineDeallocateCall or lineSetCallPrivilege) does not
// itself receive a message indicating that the change has been made".
TEST_F(CallConformance, OnlyTheOtherHoldersHearOfAChangeOfOwnersOrMonitors) {
  const HCALL out = dial("2003");
  const HCALL call = offered(*agent_, agent_line_, kAgentInstance, 0, kOwner);
  const HCALL watched = offered(*supervisor_, supervisor_line_, kSupervisorInstance, 0, kMonitor);
  ASSERT_EQ(completed(*agent_, lineAnswer(call, nullptr, 0)), 0);
  state(*supervisor_, watched, LINECALLSTATE_CONNECTED);
  const auto counts_changed = [](HCALL h, DWORD bits) {
    return [h, bits](const LINEMESSAGE& m) {
      return m.dwMessageID == LINE_CALLINFO && m.hDevice == h && (m.dwParam1 & bits) != 0;
    };
  };
  constexpr DWORD kCounts =
      LINECALLINFOSTATE_NUMOWNERINCR | LINECALLINFOSTATE_NUMOWNERDECR | LINECALLINFOSTATE_NUMMONITORS;

  // The supervisor barges in: told by LINE_CALLSTATE; the agent by LINE_CALLINFO.
  ASSERT_EQ(lineSetCallPrivilege(watched, kOwner), 0);
  const LINEMESSAGE now_owner = state(*supervisor_, watched, LINECALLSTATE_CONNECTED);
  EXPECT_EQ(now_owner.dwParam3, kOwner);
  EXPECT_EQ(now_owner.dwParam2, LINECONNECTEDMODE_ACTIVE);
  const auto told = agent_->wait(counts_changed(call, kCounts));
  ASSERT_TRUE(told);
  EXPECT_EQ(told->dwParam1 & (LINECALLINFOSTATE_NUMOWNERINCR | LINECALLINFOSTATE_NUMMONITORS),
            LINECALLINFOSTATE_NUMOWNERINCR | LINECALLINFOSTATE_NUMMONITORS);
  EXPECT_FALSE(supervisor_->wait(counts_changed(watched, kCounts), 200ms))
      << "lineSetCallPrivilege's caller hears nothing of its own change";

  // A late supervisor collects the call with lineGetNewCalls.
  App late(false, "late supervisor");
  ASSERT_EQ(late.init_result(), 0);
  const HLINE late_line = late.open(1, 0x1A7E, false, LINECALLPRIVILEGE_NONE, 0);
  ASSERT_NE(late_line, 0u);
  Buffer<LINECALLLIST> list;
  ASSERT_EQ(lineGetNewCalls(late_line, 0, LINECALLSELECT_LINE, list.get()), 0);
  ASSERT_EQ(list->dwCallsNumEntries, 1u);
  HCALL collected = 0;
  std::memcpy(&collected, list.bytes.data() + list->dwCallsOffset, sizeof collected);
  EXPECT_TRUE(agent_->wait(counts_changed(call, LINECALLINFOSTATE_NUMMONITORS)));
  EXPECT_TRUE(supervisor_->wait(counts_changed(watched, LINECALLINFOSTATE_NUMMONITORS)));

  // The late supervisor leaves again.
  ASSERT_EQ(lineDeallocateCall(collected), 0);
  EXPECT_TRUE(agent_->wait(counts_changed(call, LINECALLINFOSTATE_NUMMONITORS)));

  EXPECT_FALSE(late.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_CALLINFO; }, 200ms))
      << "lineGetNewCalls' caller hears nothing of its own new handle";
  (void)out;
}

// The vendor-ACD side as Microsoft describes it. lineOpen with
// LINEOPENOPTION_PROXY names the request types in the LINECALLPARAMS
// device-specific area; LINE_PROXYREQUEST "dwDevice: the proxy's line
// handle; dwCallbackInstance: the instance given at lineOpen; dwParam1:
// pointer to a LINEPROXYREQUEST; dwParam2, dwParam3: reserved"; the
// LINEPROXYREQUEST names "the highest API version of the requesting
// application" (dwClientAppAPIVersion: the version its line was opened at);
// lineProxyResponse's dwResult becomes dwParam2 of the client's LINE_REPLY;
// LINE_PROXYSTATUS dwParam3 is reserved (0); lineProxyMessage passes its
// three parameters through and sends only the messages of a proxy's role.
TEST_F(Conformance, VendorProxyRequestsResponsesAndMessages) {
  App vendor(false, "vendor acd");
  ASSERT_EQ(vendor.init_result(), 0);
  std::vector<DWORD> types = {LINEPROXYREQUEST_SETAGENTSESSIONSTATE, LINEPROXYREQUEST_CREATEAGENTSESSION,
                              LINEPROXYREQUEST_SETAGENTSTATE};
  const auto open_with = [&](std::vector<unsigned char> params, HLINE* line) {
    return lineOpenA(vendor.handle(), 1, line, kApiVersion, 0, 0x77, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, 0,
                     reinterpret_cast<LPLINECALLPARAMS>(params.data()));
  };
  HLINE proxy = 0;
  EXPECT_EQ(open_with(proxy_call_params({0}), &proxy), LINEERR_INVALPARAM) << "no request type 0";
  EXPECT_EQ(open_with(proxy_call_params({0x15}), &proxy), LINEERR_INVALPARAM) << "none above SETAGENTSTATEEX";
  EXPECT_EQ(open_with(proxy_call_params({}), &proxy), LINEERR_INVALPARAM) << "a proxy serves something";
  EXPECT_EQ(lineOpenA(vendor.handle(), 1, &proxy, kApiVersion, 0, 0x77, LINEOPENOPTION_PROXY, 0, nullptr),
            LINEERR_INVALPARAM);
  EXPECT_EQ(proxy, 0u);

  // A desk at TAPI 2.2 and one at 2.0 have the line open before the proxy.
  HLINE desk = 0;
  ASSERT_EQ(lineOpenA(app_->handle(), 1, &desk, 0x00020002, 0, 0x51, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);
  App old_desk(false, "old desk");
  HLINE old_line = 0;
  ASSERT_EQ(lineOpenA(old_desk.handle(), 1, &old_line, 0x00020000, 0, 0x52, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);

  ASSERT_EQ(open_with(proxy_call_params(types), &proxy), 0);
  for (const DWORD type : types) {
    const auto status = app_->wait([&](const LINEMESSAGE& m) {
      return m.dwMessageID == LINE_PROXYSTATUS && m.dwParam1 == LINEPROXYSTATUS_OPEN && m.dwParam2 == type;
    });
    ASSERT_TRUE(status) << type;
    EXPECT_EQ(status->hDevice, desk);
    EXPECT_EQ(status->dwCallbackInstance, 0x51u);
    EXPECT_EQ(status->dwParam3, 0u);
  }
  // Not every type TAPI 3 needs is served: no ALLOPENFORACD.
  EXPECT_FALSE(app_->wait(
      [](const LINEMESSAGE& m) {
        return m.dwMessageID == LINE_PROXYSTATUS && m.dwParam1 == LINEPROXYSTATUS_ALLOPENFORACD;
      },
      200ms));
  // LINE_PROXYSTATUS is a TAPI 2.2 message.
  EXPECT_FALSE(old_desk.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_PROXYSTATUS; }, 200ms));

  // A request, its LINE_PROXYREQUEST and the LINEPROXYREQUEST it points to.
  GUID group{0x12345678, 0x9ABC, 0xDEF0, {1, 2, 3, 4, 5, 6, 7, 8}};
  HAGENTSESSION session = 0;
  const LONG create = lineCreateAgentSessionA(desk, 0x1001, const_cast<LPSTR>("4321"), 1, &group, &session);
  ASSERT_GT(create, 0);
  const auto delivered = vendor.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_PROXYREQUEST; });
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->hDevice, proxy);
  EXPECT_EQ(delivered->dwCallbackInstance, 0x77u);
  EXPECT_EQ(delivered->dwParam2, 0u);
  EXPECT_EQ(delivered->dwParam3, 0u);
  // LINE_PROXYREQUEST carries the request's address in dwParam1.
  auto* request = reinterpret_cast<LPLINEPROXYREQUEST>(delivered->dwParam1);  // NOLINT(performance-no-int-to-ptr)
  ASSERT_NE(request, nullptr);
  EXPECT_GE(request->dwSize, sizeof(LINEPROXYREQUEST));
  EXPECT_EQ(request->dwRequestType, LINEPROXYREQUEST_CREATEAGENTSESSION);
  EXPECT_EQ(request->dwClientAppAPIVersion, 0x00020002u);
  EXPECT_EQ(request->CreateAgentSession.hAgent, 0x1001u);
  EXPECT_EQ(request->CreateAgentSession.dwWorkingAddressID, 1u);
  EXPECT_EQ(std::memcmp(&request->CreateAgentSession.GroupID, &group, sizeof group), 0);
  ASSERT_EQ(request->CreateAgentSession.dwAgentPINSize, 5u);
  EXPECT_STREQ(reinterpret_cast<const char*>(request) + request->CreateAgentSession.dwAgentPINOffset, "4321");
  ASSERT_GT(request->dwClientUserNameSize, 1u);
  EXPECT_EQ(reinterpret_cast<const char*>(request)[request->dwClientUserNameOffset + request->dwClientUserNameSize - 1],
            '\0');
  request->CreateAgentSession.hAgentSession = 0x2002;
  ASSERT_EQ(lineProxyResponse(proxy, request, 0), 0);
  const auto created = app_->wait(
      [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_REPLY && static_cast<LONG>(m.dwParam1) == create; });
  ASSERT_TRUE(created);
  EXPECT_EQ(created->dwParam2, 0u);
  EXPECT_EQ(created->dwCallbackInstance, 0x51u);
  EXPECT_EQ(session, 0x2002u);

  // A failure the proxy returns is the client's LINE_REPLY result, and the
  // output stays untouched.
  const LONG set = lineSetAgentSessionState(desk, 0x2002, LINEAGENTSESSIONSTATE_BUSYWRAPUP, 0);
  ASSERT_GT(set, 0);
  const auto second = vendor.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_PROXYREQUEST; });
  ASSERT_TRUE(second);
  request = reinterpret_cast<LPLINEPROXYREQUEST>(second->dwParam1);  // NOLINT(performance-no-int-to-ptr)
  EXPECT_EQ(request->dwRequestType, LINEPROXYREQUEST_SETAGENTSESSIONSTATE);
  EXPECT_EQ(request->SetAgentSessionState.hAgentSession, 0x2002u);
  EXPECT_EQ(request->SetAgentSessionState.dwAgentSessionState, LINEAGENTSESSIONSTATE_BUSYWRAPUP);
  EXPECT_EQ(request->SetAgentSessionState.dwNextAgentSessionState, 0u);
  ASSERT_EQ(lineProxyResponse(proxy, request, static_cast<DWORD>(LINEERR_INVALAGENTSESSIONSTATE)), 0);
  EXPECT_EQ(app_->reply(set), LINEERR_INVALAGENTSESSIONSTATE);

  // The messages of a proxy's role go to every other opener, parameters as
  // sent; the 2.2 ones not to a 2.0 opener. Others are refused.
  for (const DWORD msg : {DWORD{LINE_REPLY}, DWORD{LINE_PROXYREQUEST}, DWORD{LINE_PROXYSTATUS}, DWORD{LINE_CLOSE},
                          DWORD{LINE_CALLSTATE}, DWORD{LINE_LINEDEVSTATE}, DWORD{LINE_ADDRESSSTATE}, DWORD{99}}) {
    EXPECT_EQ(lineProxyMessage(proxy, 0, msg, 1, 2, 0), LINEERR_INVALPARAM) << msg;
  }
  ASSERT_EQ(lineProxyMessage(proxy, 0, LINE_QUEUESTATUS, 7, LINEQUEUESTATUS_NEWQUEUE, 0), 0);
  ASSERT_EQ(lineProxyMessage(proxy, 0, LINE_GROUPSTATUS, 0, LINEGROUPSTATUS_GROUPREMOVED, 0), 0);
  ASSERT_EQ(lineProxyMessage(proxy, 0, LINE_AGENTSTATUS, 1, LINEAGENTSTATUS_STATE, LINEAGENTSTATE_READY), 0);
  const auto queue = app_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_QUEUESTATUS; });
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->hDevice, desk);
  EXPECT_EQ(queue->dwParam1, 7u);
  EXPECT_EQ(queue->dwParam2, LINEQUEUESTATUS_NEWQUEUE);
  EXPECT_EQ(queue->dwParam3, 0u);
  const auto group_status = app_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_GROUPSTATUS; });
  ASSERT_TRUE(group_status);
  EXPECT_EQ(group_status->dwParam1, 0u);
  EXPECT_EQ(group_status->dwParam2, LINEGROUPSTATUS_GROUPREMOVED);
  const auto old_status = old_desk.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_AGENTSTATUS; });
  ASSERT_TRUE(old_status) << "LINE_AGENTSTATUS is a TAPI 2.0 message";
  EXPECT_EQ(old_status->hDevice, old_line);
  EXPECT_EQ(old_status->dwCallbackInstance, 0x52u);
  EXPECT_EQ(old_status->dwParam3, LINEAGENTSTATE_READY);
  for (const LINEMESSAGE& m : old_desk.take_all()) {
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_QUEUESTATUS));
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_GROUPSTATUS));
  }
  EXPECT_FALSE(vendor.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_QUEUESTATUS; }, 200ms))
      << "nothing on the proxy's own line";

  // Closing the proxy line: LINE_PROXYSTATUS CLOSE per type.
  ASSERT_EQ(lineClose(proxy), 0);
  for (const DWORD type : types) {
    EXPECT_TRUE(app_->wait([&](const LINEMESSAGE& m) {
      return m.dwMessageID == LINE_PROXYSTATUS && m.dwParam1 == LINEPROXYSTATUS_CLOSE && m.dwParam2 == type;
    })) << type;
  }
}

}  // namespace
}  // namespace tapi2_test
