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

}  // namespace
}  // namespace tapi2_test
