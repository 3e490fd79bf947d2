// No exception crosses the C API (docs/tapi2.md "No exception crosses the C
// API"): libopentapi's functions, called with an allocation on the caller's
// thread failing, answer LINEERR_NOMEM instead of letting std::bad_alloc
// reach the C program, and leave what they touched as it was.
//
// This program replaces operator new: while a thread's countdown is armed,
// its n-th allocation throws std::bad_alloc. Only the calling thread is
// armed, so opentapid, the test proxy and the library's receiver thread run
// normally.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

namespace {

// -1: never fail. n > 0: the n-th allocation from now fails (and the
// countdown then rests at 0, so exactly one allocation fails).
long& countdown() {
  thread_local long n = -1;
  return n;
}

}  // namespace

// GCC 12 at -O3 inlines these pairs and then reports free() on memory from
// operator new (-Wmismatched-new-delete); both sides use malloc/free here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  long& n = countdown();
  if (n > 0 && --n == 0) throw std::bad_alloc();
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace tapi2_test {
namespace {

// Runs `call` with its n-th allocation failing. *failed: whether the failure
// was reached (false: the call made fewer than n allocations).
LONG with_failing_allocation(long n, const std::function<LONG()>& call, bool* failed) {
  countdown() = n;
  const LONG rc = call();
  *failed = countdown() == 0;
  countdown() = -1;
  return rc;
}

// A structure buffer of `size` bytes with dwTotalSize set.
template <class T>
struct Out {
  explicit Out(DWORD size = 1024) : bytes(size, 0) { std::memcpy(bytes.data(), &size, 4); }
  T* get() { return reinterpret_cast<T*>(bytes.data()); }
  std::vector<unsigned char> bytes;
};

GUID group0() { return kGroups[0].id; }

// opentapid, the test proxy answering every request type on device 0, a
// proxy that holds its requests for the test on device 1, and a client with
// line 0 open.
class CEdge : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>();
    proxy_ = std::make_unique<TestProxy>();
    ASSERT_EQ(proxy_->open_result(), 0);
    TestProxy::Options hold;
    hold.device = 1;
    hold.hold = true;
    holding_proxy_ = std::make_unique<TestProxy>(hold);
    ASSERT_EQ(holding_proxy_->open_result(), 0);
    open_client();
  }
  void TearDown() override {
    client_.reset();
    holding_proxy_.reset();
    proxy_.reset();
    server_.reset();
  }

  void open_client() {
    client_ = std::make_unique<App>();
    ASSERT_EQ(client_->init_result(), 0);
    line_ = client_->open(0, 0);
    ASSERT_NE(line_, 0u);
  }

  // The result of a call: a synchronous one returns 0, an asynchronous one a
  // request ID whose LINE_REPLY reports `reply` (the test proxy's answer).
  void expect_success(const std::string& name, LONG rc, bool async, LONG reply = 0) {
    if (!async) {
      EXPECT_EQ(rc, 0) << name;
      return;
    }
    ASSERT_GT(rc, 0) << name;
    EXPECT_EQ(client_->reply(rc), std::optional<LONG>(reply)) << name;
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<TestProxy> proxy_;
  std::unique_ptr<TestProxy> holding_proxy_;
  std::unique_ptr<App> client_;
  HLINE line_ = 0;
};

struct EdgeCase {
  std::string name;
  bool async;
  std::function<LONG()> call;
};

TEST_F(CEdge, EveryFunctionAnswersNoMemWhenItsFirstAllocationFailsAndThenWorks) {
  Out<LINEAGENTSESSIONINFO> session_info;
  Out<LINEAGENTSESSIONLIST> session_list;
  Out<LINEAGENTINFO> agent_info;
  Out<LINEAGENTGROUPLIST> groups;
  Out<LINEQUEUEINFO> queue_info;
  Out<LINEQUEUELIST> queues;
  Out<LINEAGENTCAPS> caps;
  Out<LINEAGENTSTATUS> status;
  Out<LINEAGENTACTIVITYLIST> activities;
  Out<LINEPROXYREQUESTLIST> proxy_status;
  HAGENT agent = 0;
  HAGENTSESSION session = 0;
  GUID group = group0();
  char params[8] = "abcdefg";
  char agent_id[] = "1001";
  char pin[] = "1234";
  wchar_t agent_id_w[] = L"1001";
  wchar_t pin_w[] = L"1234";
  LINEAGENTGROUPLIST set_groups{};
  set_groups.dwTotalSize = sizeof set_groups;
  const HLINEAPP happ = client_->handle();

  const std::vector<EdgeCase> cases = {
      {"lineNegotiateAPIVersion", false,
       [&] {
         DWORD version = 0;
         LINEEXTENSIONID ext;
         return lineNegotiateAPIVersion(happ, 0, 0x00020000, kApiVersion, &version, &ext);
       }},
      {"lineCreateAgentA", true, [&] { return lineCreateAgentA(line_, agent_id, pin, &agent); }},
      {"lineCreateAgentW", true, [&] { return lineCreateAgentW(line_, agent_id_w, pin_w, &agent); }},
      {"lineCreateAgentSessionA", true,
       [&] { return lineCreateAgentSessionA(line_, kFirstAgent, pin, 0, &group, &session); }},
      {"lineCreateAgentSessionW", true,
       [&] { return lineCreateAgentSessionW(line_, kFirstAgent, pin_w, 0, &group, &session); }},
      {"lineSetAgentSessionState", true,
       [&] { return lineSetAgentSessionState(line_, kFirstSession, LINEAGENTSESSIONSTATE_READY, 0); }},
      {"lineGetAgentSessionInfo", true,
       [&] { return lineGetAgentSessionInfo(line_, kFirstSession, session_info.get()); }},
      {"lineGetAgentSessionList", true,
       [&] { return lineGetAgentSessionList(line_, kFirstAgent, session_list.get()); }},
      {"lineGetAgentInfo", true, [&] { return lineGetAgentInfo(line_, kFirstAgent, agent_info.get()); }},
      {"lineSetAgentStateEx", true, [&] { return lineSetAgentStateEx(line_, kFirstAgent, LINEAGENTSTATEEX_READY, 0); }},
      {"lineSetAgentMeasurementPeriod", true, [&] { return lineSetAgentMeasurementPeriod(line_, kFirstAgent, 600); }},
      {"lineGetGroupListA", true, [&] { return lineGetGroupListA(line_, groups.get()); }},
      {"lineGetGroupListW", true, [&] { return lineGetGroupListW(line_, groups.get()); }},
      {"lineGetQueueInfo", true, [&] { return lineGetQueueInfo(line_, kQueues[0].id, queue_info.get()); }},
      {"lineGetQueueListA", true, [&] { return lineGetQueueListA(line_, &group, queues.get()); }},
      {"lineGetQueueListW", true, [&] { return lineGetQueueListW(line_, &group, queues.get()); }},
      {"lineSetQueueMeasurementPeriod", true, [&] { return lineSetQueueMeasurementPeriod(line_, kQueues[0].id, 600); }},
      {"lineGetAgentCapsA", true, [&] { return lineGetAgentCapsA(happ, 0, 0, kApiVersion, caps.get()); }},
      {"lineGetAgentCapsW", true, [&] { return lineGetAgentCapsW(happ, 0, 0, kApiVersion, caps.get()); }},
      {"lineGetAgentStatusA", true, [&] { return lineGetAgentStatusA(line_, 0, status.get()); }},
      {"lineGetAgentStatusW", true, [&] { return lineGetAgentStatusW(line_, 0, status.get()); }},
      {"lineGetAgentActivityListA", true, [&] { return lineGetAgentActivityListA(line_, 0, activities.get()); }},
      {"lineGetAgentActivityListW", true, [&] { return lineGetAgentActivityListW(line_, 0, activities.get()); }},
      {"lineGetAgentGroupListA", true, [&] { return lineGetAgentGroupListA(line_, 0, groups.get()); }},
      {"lineGetAgentGroupListW", true, [&] { return lineGetAgentGroupListW(line_, 0, groups.get()); }},
      {"lineSetAgentActivity", true, [&] { return lineSetAgentActivity(line_, 0, kActivities[0].id); }},
      {"lineSetAgentGroup", true, [&] { return lineSetAgentGroup(line_, 0, &set_groups); }},
      {"lineSetAgentState", true, [&] { return lineSetAgentState(line_, 0, LINEAGENTSTATE_READY, 0); }},
      {"lineAgentSpecific", true,
       [&] { return lineAgentSpecific(line_, 0, 0, params, static_cast<DWORD>(sizeof params)); }},
      {"lineGetProxyStatus", false, [&] { return lineGetProxyStatus(happ, 0, kApiVersion, proxy_status.get()); }},
      {"lineProxyMessage", false,
       [&] { return lineProxyMessage(holding_proxy_->line(), 0, LINE_AGENTSTATUS, 0, LINEAGENTSTATUS_STATE, 0); }},
  };
  for (const auto& c : cases) {
    bool failed = false;
    EXPECT_EQ(with_failing_allocation(1, c.call, &failed), LINEERR_NOMEM) << c.name;
    EXPECT_TRUE(failed) << c.name << " allocated nothing";
    // Nothing was left half done: the same call now succeeds.
    expect_success(c.name, c.call(), c.async);
  }
  // No failed call started a request: no LINE_REPLY is left over.
  for (const auto& m : client_->take_all()) EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_REPLY));
}

TEST_F(CEdge, InitializeAnswersNoMemAndLeavesNoApplicationBehind) {
  for (const bool wide : {false, true}) {
    HLINEAPP happ = 0;
    DWORD devs = 0;
    DWORD version = kApiVersion;
    LINEINITIALIZEEXPARAMS params{};
    params.dwTotalSize = sizeof params;
    params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
    const auto initialize = [&]() -> LONG {
      return wide ? lineInitializeExW(&happ, nullptr, nullptr, L"edge", &devs, &version, &params)
                  : lineInitializeExA(&happ, nullptr, nullptr, "edge", &devs, &version, &params);
    };
    bool failed = false;
    happ = 0;
    EXPECT_EQ(with_failing_allocation(1, initialize, &failed), LINEERR_NOMEM) << wide;
    EXPECT_TRUE(failed);
    EXPECT_EQ(happ, 0u) << "no handle for a failed lineInitializeEx";
    version = kApiVersion;
    ASSERT_EQ(initialize(), 0) << wide;
    EXPECT_EQ(lineShutdown(happ), 0);
  }
}

TEST_F(CEdge, OpenAndCloseAnswerNoMemAndLeaveTheLineAsItWas) {
  using OpenFn = LONG (*)(HLINEAPP, DWORD, LPHLINE, DWORD, DWORD, DWORD_PTR, DWORD, DWORD, LPLINECALLPARAMS);
  for (const OpenFn open : {OpenFn{&lineOpen}, OpenFn{&lineOpenA}, OpenFn{&lineOpenW}}) {
    HLINE h = 0;
    const auto call = [&] {
      return open(client_->handle(), 0, &h, kApiVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr);
    };
    bool failed = false;
    EXPECT_EQ(with_failing_allocation(1, call, &failed), LINEERR_NOMEM);
    EXPECT_TRUE(failed);
    ASSERT_EQ(call(), 0);
    ASSERT_NE(h, 0u);
    // A lineClose that runs out of memory leaves the line open: requests
    // still work on it, and the next lineClose closes it.
    EXPECT_EQ(with_failing_allocation(
                  1, [&] { return lineClose(h); }, &failed),
              LINEERR_NOMEM);
    EXPECT_TRUE(failed);
    Out<LINEAGENTINFO> info;
    const LONG id = lineGetAgentInfo(h, kFirstAgent, info.get());
    ASSERT_GT(id, 0);
    EXPECT_EQ(client_->reply(id), std::optional<LONG>(0));
    EXPECT_EQ(lineClose(h), 0);
    EXPECT_EQ(lineClose(h), LINEERR_INVALLINEHANDLE);
  }
}

// The proxy's answer survives a failure: the request stays the proxy's, and
// the answer given once memory allows reaches the client.
TEST_F(CEdge, ProxyResponseAnswersNoMemAndTheRequestCanBeAnsweredAgain) {
  const HLINE client_line = client_->open(1, 0);
  ASSERT_NE(client_line, 0u);
  const LONG id = lineSetAgentSessionState(client_line, kFirstSession, LINEAGENTSESSIONSTATE_READY, 0);
  ASSERT_GT(id, 0);
  LPLINEPROXYREQUEST request = holding_proxy_->next_request();
  ASSERT_NE(request, nullptr);
  bool failed = false;
  EXPECT_EQ(with_failing_allocation(
                1, [&] { return lineProxyResponse(holding_proxy_->line(), request, 0); }, &failed),
            LINEERR_NOMEM);
  EXPECT_TRUE(failed);
  EXPECT_EQ(lineProxyResponse(holding_proxy_->line(), request, 0), 0);
  EXPECT_EQ(client_->reply(id), std::optional<LONG>(0));
}

// lineShutdown needs no memory: without any, it still shuts down (the
// goodbye frame is best effort, closing the connection says the same).
TEST_F(CEdge, ShutdownSucceedsWithoutMemory) {
  HLINEAPP happ = 0;
  DWORD devs = 0;
  DWORD version = kApiVersion;
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  ASSERT_EQ(lineInitializeExA(&happ, nullptr, nullptr, "edge", &devs, &version, &params), 0);
  bool failed = false;
  EXPECT_EQ(with_failing_allocation(
                1, [&] { return lineShutdown(happ); }, &failed),
            0);
  EXPECT_EQ(lineShutdown(happ), LINEERR_INVALAPPHANDLE);
}

// Every allocation of a request failed in turn: each time the request comes
// to LINEERR_NOMEM (refused at once, or, when the output could not be
// written, in its LINE_REPLY) or succeeds (the failure was absorbed), or, when
// the failure hit the reading of the connection, the connection is lost the
// documented way (LINEERR_OPERATIONFAILED and LINEDEVSTATE_REINIT;
// docs/tapi2.md "Out of memory"). Never a crash, never an exception, and the
// library stays usable.
TEST_F(CEdge, EveryAllocationOfARequestMayFail) {
  Out<LINEAGENTSESSIONINFO> info;
  int nomem = 0;
  int lost = 0;
  long n = 1;
  for (; n < 2000; ++n) {
    bool failed = false;
    const LONG rc = with_failing_allocation(
        n, [&] { return lineGetAgentSessionInfo(line_, kFirstSession, info.get()); }, &failed);
    LONG outcome = rc;  // the synchronous refusal, or what LINE_REPLY said
    if (rc > 0) {
      const auto reply = client_->reply(rc);
      ASSERT_TRUE(reply) << "no LINE_REPLY for request " << rc << " (allocation " << n << ")";
      outcome = *reply;
    }
    if (!failed) {
      EXPECT_EQ(outcome, 0) << "the call without a failure";
      break;
    }
    if (outcome == LINEERR_NOMEM) {
      ++nomem;
    } else if (outcome == LINEERR_OPERATIONFAILED) {
      ++lost;
      const auto reinit = client_->wait(
          [](const LINEMESSAGE& m) { return m.dwMessageID == LINE_LINEDEVSTATE && m.dwParam1 == LINEDEVSTATE_REINIT; });
      ASSERT_TRUE(reinit) << "allocation " << n << ": OPERATIONFAILED without a lost connection";
      open_client();
    } else {
      EXPECT_EQ(outcome, 0) << "allocation " << n;
    }
  }
  EXPECT_LT(n, 2000) << "the call never completed";
  EXPECT_GE(nomem, 4);
  RecordProperty("nomem", nomem);
  RecordProperty("lost", lost);
}

// Every allocation of lineProxyResponse failed in turn (with and without
// output): LINEERR_NOMEM leaves the request with the proxy, whose second
// answer reaches the client.
TEST_F(CEdge, EveryAllocationOfAProxyResponseMayFail) {
  const HLINE client_line = client_->open(1, 0);
  ASSERT_NE(client_line, 0u);
  Out<LINEAGENTINFO> info;
  for (const bool with_output : {false, true}) {
    int nomem = 0;
    long n = 1;
    for (; n < 2000; ++n) {
      const LONG id = with_output
                          ? lineGetAgentInfo(client_line, kFirstAgent, info.get())
                          : lineSetAgentSessionState(client_line, kFirstSession, LINEAGENTSESSIONSTATE_READY, 0);
      ASSERT_GT(id, 0);
      LPLINEPROXYREQUEST request = holding_proxy_->next_request();
      ASSERT_NE(request, nullptr);
      if (with_output) {
        LINEAGENTINFO* filled = &request->GetAgentInfo.AgentInfo;
        filled->dwNeededSize = filled->dwUsedSize = sizeof(LINEAGENTINFO);
        filled->dwNumberOfACDCalls = static_cast<DWORD>(n);
      }
      bool failed = false;
      const LONG rc = with_failing_allocation(
          n, [&] { return lineProxyResponse(holding_proxy_->line(), request, 0); }, &failed);
      if (rc == LINEERR_NOMEM) {
        ++nomem;
        EXPECT_EQ(lineProxyResponse(holding_proxy_->line(), request, 0), 0) << "allocation " << n;
      } else {
        EXPECT_EQ(rc, 0) << "allocation " << n;
      }
      EXPECT_EQ(client_->reply(id), std::optional<LONG>(0)) << "allocation " << n;
      if (with_output) {
        EXPECT_EQ(info.get()->dwNumberOfACDCalls, static_cast<DWORD>(n));
      }
      if (!failed) break;
    }
    EXPECT_LT(n, 2000);
    // Without output the response is one small message; with it, the
    // structure is read and serialized too.
    EXPECT_GE(nomem, with_output ? 3 : 1);
  }
}

TEST_F(CEdge, EveryAllocationOfInitializeMayFail) {
  int nomem = 0;
  long n = 1;
  for (; n < 2000; ++n) {
    HLINEAPP happ = 0;
    DWORD devs = 0;
    DWORD version = kApiVersion;
    LINEINITIALIZEEXPARAMS params{};
    params.dwTotalSize = sizeof params;
    params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
    bool failed = false;
    const LONG rc = with_failing_allocation(
        n, [&] { return lineInitializeExA(&happ, nullptr, nullptr, "edge", &devs, &version, &params); }, &failed);
    if (rc == 0) {
      EXPECT_EQ(lineShutdown(happ), 0);
    } else {
      EXPECT_EQ(rc, LINEERR_NOMEM) << "allocation " << n;
      EXPECT_EQ(happ, 0u);
      ++nomem;
    }
    if (!failed) break;
  }
  EXPECT_LT(n, 2000) << "lineInitializeExA never completed";
  EXPECT_GT(nomem, 10);
}

// ---- the call functions (docs/tapi2.md "Calls") ----

// opentapid with three lines; a caller on line 0 and a callee on line 1,
// both OWNER of interactive-voice calls.
class CallEdge : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(3);
    caller_ = std::make_unique<App>(false, "edge caller");
    callee_ = std::make_unique<App>(false, "edge callee");
    ASSERT_EQ(caller_->init_result(), 0);
    ASSERT_EQ(callee_->init_result(), 0);
    caller_line_ = caller_->open(0, 0, false, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
    callee_line_ = callee_->open(1, 0, false, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
    ASSERT_NE(caller_line_, 0u);
    ASSERT_NE(callee_line_, 0u);
  }

  // `call` answers NOMEM when its first allocation fails, then succeeds
  // (an asynchronous one with LINE_REPLY(0) on `app`).
  static void nomem_then_works(const std::string& name, App& app, bool async, const std::function<LONG()>& call) {
    bool failed = false;
    EXPECT_EQ(with_failing_allocation(1, call, &failed), LINEERR_NOMEM) << name;
    EXPECT_TRUE(failed) << name << " allocated nothing";
    const LONG rc = call();
    if (!async) {
      EXPECT_EQ(rc, 0) << name;
      return;
    }
    ASSERT_GT(rc, 0) << name;
    EXPECT_EQ(app.reply(rc), std::optional<LONG>(0)) << name;
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<App> caller_;
  std::unique_ptr<App> callee_;
  HLINE caller_line_ = 0;
  HLINE callee_line_ = 0;
};

TEST_F(CallEdge, EveryCallFunctionAnswersNoMemWhenItsFirstAllocationFailsAndThenWorks) {
  HCALL a = 0;
  nomem_then_works("lineMakeCallA", *caller_, true,
                   [&] { return lineMakeCallA(caller_line_, &a, "2003", 0, nullptr); });
  ASSERT_NE(a, 0u);
  const auto offered = callee_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; });
  ASSERT_TRUE(offered);
  const auto b = static_cast<HCALL>(offered->dwParam2);
  Out<LINECALLINFO> info(2048);
  Out<LINECALLSTATUS> status;
  Out<LINEDEVCAPS> dev_caps(2048);
  Out<LINEADDRESSCAPS> address_caps;
  Out<LINEADDRESSSTATUS> address_status;
  Out<LINEDEVSTATUS> dev_status(2048);
  Out<LINECALLLIST> list;
  DWORD x = 0, y = 0, z = 0;
  char data[] = "queue=1";
  const HLINEAPP happ = callee_->handle();
  const std::vector<EdgeCase> sync = {
      {"lineGetCallInfoA", false, [&] { return lineGetCallInfoA(b, info.get()); }},
      {"lineGetCallInfoW", false, [&] { return lineGetCallInfoW(b, info.get()); }},
      {"lineGetCallStatus", false, [&] { return lineGetCallStatus(b, status.get()); }},
      {"lineGetCallIDs", false, [&] { return lineGetCallIDs(b, &x, &y, &z); }},
      {"lineSetAppSpecific", false, [&] { return lineSetAppSpecific(b, 7); }},
      {"lineSetCallPrivilege", false, [&] { return lineSetCallPrivilege(b, LINECALLPRIVILEGE_OWNER); }},
      {"lineGetDevCapsA", false, [&] { return lineGetDevCapsA(happ, 1, kApiVersion, 0, dev_caps.get()); }},
      {"lineGetDevCapsW", false, [&] { return lineGetDevCapsW(happ, 1, kApiVersion, 0, dev_caps.get()); }},
      {"lineGetAddressCapsA", false,
       [&] { return lineGetAddressCapsA(happ, 1, 0, kApiVersion, 0, address_caps.get()); }},
      {"lineGetAddressCapsW", false,
       [&] { return lineGetAddressCapsW(happ, 1, 0, kApiVersion, 0, address_caps.get()); }},
      {"lineGetAddressStatus", false, [&] { return lineGetAddressStatus(callee_line_, 0, address_status.get()); }},
      {"lineGetLineDevStatusA", false, [&] { return lineGetLineDevStatusA(callee_line_, dev_status.get()); }},
      {"lineGetLineDevStatusW", false, [&] { return lineGetLineDevStatusW(callee_line_, dev_status.get()); }},
      {"lineGetAddressIDA", false,
       [&] { return lineGetAddressIDA(callee_line_, &x, LINEADDRESSMODE_DIALABLEADDR, "2004", 5); }},
      {"lineGetAddressIDW", false,
       [&] { return lineGetAddressIDW(callee_line_, &x, LINEADDRESSMODE_DIALABLEADDR, L"2004", 20); }},
      {"lineSetStatusMessages", false, [&] { return lineSetStatusMessages(callee_line_, LINEDEVSTATE_NUMCALLS, 0); }},
      {"lineGetNewCalls", false, [&] { return lineGetNewCalls(callee_line_, 0, LINECALLSELECT_LINE, list.get()); }},
  };
  for (const auto& c : sync) nomem_then_works(c.name, *callee_, c.async, c.call);
  // The asynchronous ones, in an order the call allows.
  nomem_then_works("lineSetCallData", *callee_, true, [&] { return lineSetCallData(b, data, sizeof data); });
  nomem_then_works("lineAnswer", *callee_, true, [&] { return lineAnswer(b, nullptr, 0); });
  nomem_then_works("lineHold", *callee_, true, [&] { return lineHold(b); });
  nomem_then_works("lineUnhold", *callee_, true, [&] { return lineUnhold(b); });
  nomem_then_works("lineBlindTransferA", *callee_, true, [&] { return lineBlindTransferA(b, "2005", 0); });
  nomem_then_works("lineDrop", *caller_, true, [&] { return lineDrop(a, nullptr, 0); });
  ASSERT_TRUE(caller_->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_CALLSTATE && m.hDevice == a && m.dwParam1 == LINECALLSTATE_IDLE;
  }));
  nomem_then_works("lineDeallocateCall", *caller_, false, [&] { return lineDeallocateCall(a); });
  nomem_then_works("lineDeallocateCall", *callee_, false, [&] { return lineDeallocateCall(b); });

  // Redirect and the W forms of the destination functions, on a new call.
  HCALL c = 0;
  nomem_then_works("lineMakeCallW", *caller_, true,
                   [&] { return lineMakeCallW(caller_line_, &c, L"2003", 0, nullptr); });
  const auto again = callee_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; });
  ASSERT_TRUE(again);
  const auto d = static_cast<HCALL>(again->dwParam2);
  nomem_then_works("lineRedirectW", *callee_, true, [&] { return lineRedirectW(d, L"2004", 0); });
  // No failed call started a request: every LINE_REPLY left is a success.
  for (auto* app : {caller_.get(), callee_.get()}) {
    for (const auto& m : app->take_all()) {
      if (m.dwMessageID == LINE_REPLY) {
        EXPECT_EQ(m.dwParam2, 0u);
      }
    }
  }
}

// Calls on address 0 of the caller's line that are not IDLE (a synchronous
// query: everything the caller sent before it has been carried out).
DWORD calls_on_caller(HLINE line) {
  Out<LINEADDRESSSTATUS> status;
  EXPECT_EQ(lineGetAddressStatus(line, 0, status.get()), 0);
  return reinterpret_cast<LINEADDRESSSTATUS*>(status.bytes.data())->dwNumActiveCalls;
}

// Every allocation of lineMakeCall failed in turn (to a number nobody has,
// so no callee is involved): LINEERR_NOMEM places nothing; a failure while
// the caller reads its own answer loses the connection (docs/tapi2.md "Out
// of memory"), and the server hangs up what the lost application placed; in
// the end the call goes through.
TEST_F(CallEdge, EveryAllocationOfMakeCallMayFail) {
  int nomem = 0;
  int lost = 0;
  // After a lost connection: a new application, and the lost one's call
  // hung up by the server.
  auto reconnect = [&] {
    ++lost;
    EXPECT_TRUE(caller_->wait(
        [](const LINEMESSAGE& m) { return m.dwMessageID == LINE_LINEDEVSTATE && m.dwParam1 == LINEDEVSTATE_REINIT; }));
    caller_ = std::make_unique<App>(false, "edge caller");
    caller_line_ = caller_->open(0, 0, false, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
    ASSERT_NE(caller_line_, 0u);
    const auto deadline = Clock::now() + kWait;
    while (calls_on_caller(caller_line_) != 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(calls_on_caller(caller_line_), 0u) << "the lost application's call was not hung up";
  };
  long n = 1;
  for (; n < 2000; ++n) {
    HCALL call = 0;
    bool failed = false;
    const LONG rc = with_failing_allocation(
        n, [&] { return lineMakeCallA(caller_line_, &call, "2999", 0, nullptr); }, &failed);
    if (rc == LINEERR_NOMEM) {
      ++nomem;
      EXPECT_EQ(call, 0u) << "allocation " << n;
      EXPECT_EQ(calls_on_caller(caller_line_), 0u) << "allocation " << n << ": NOMEM, yet a call was placed";
      continue;
    }
    LONG outcome = rc;  // the synchronous refusal, or what LINE_REPLY said
    if (rc > 0) {
      const auto reply = caller_->reply(rc);
      ASSERT_TRUE(reply) << "no LINE_REPLY for request " << rc << " (allocation " << n << ")";
      outcome = *reply;
    }
    if (outcome == LINEERR_OPERATIONFAILED) {
      // Lost while reading its own answer or the reply: no handle.
      EXPECT_EQ(call, 0u) << "allocation " << n;
      reconnect();
      continue;
    }
    ASSERT_EQ(outcome, 0) << "allocation " << n;
    EXPECT_NE(call, 0u);
    if (!failed) break;
    // The failure came after the reply was handled: placed all the same.
    const LONG drop = lineDrop(call, nullptr, 0);
    if (drop == LINEERR_INVALCALLHANDLE) {
      // ... by a later frame of the same read, which lost the connection.
      reconnect();
      continue;
    }
    ASSERT_GT(drop, 0) << "allocation " << n;
    EXPECT_EQ(caller_->reply(drop), std::optional<LONG>(0));
    EXPECT_EQ(lineDeallocateCall(call), 0);
  }
  EXPECT_LT(n, 2000) << "lineMakeCallA never completed";
  EXPECT_GE(nomem, 3);
  RecordProperty("nomem", nomem);
  RecordProperty("lost", lost);
}
}  // namespace
}  // namespace tapi2_test
