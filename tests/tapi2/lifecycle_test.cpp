// The application side of the library: initialization, argument checks,
// message delivery (event and callback), the reply-before-return race, and
// what an application sees when the server goes away.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "support.h"

namespace tapi2_test {
namespace {

LINEINITIALIZEEXPARAMS event_params() {
  LINEINITIALIZEEXPARAMS p{};
  p.dwTotalSize = sizeof p;
  p.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  return p;
}

// Before any lineInitializeEx in this process (gtest runs this file's tests
// in order, each shutting down what it created).
TEST(Lifecycle, EverythingIsUninitializedWithoutAnApplication) {
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  EXPECT_EQ(lineSetAgentSessionState(1, 1, LINEAGENTSESSIONSTATE_READY, 0), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineGetAgentInfo(1, 1, &info), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineShutdown(1), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineClose(1), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineProxyMessage(1, 0, LINE_AGENTSTATUS, 0, 0, 0), LINEERR_UNINITIALIZED);
  EXPECT_EQ(lineProxyResponse(1, nullptr, 0), LINEERR_UNINITIALIZED);
  LINEMESSAGE m;
  EXPECT_EQ(lineGetMessage(1, &m, 0), LINEERR_INVALAPPHANDLE);  // does not list UNINITIALIZED
}

TEST(Lifecycle, ServerNotRunning) {
  char dir[] = "/tmp/tapi2-none-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  ::setenv("OPENTAPI_SERVER", (std::string("unix:") + dir + "/nothing.sock").c_str(), 1);
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kApiVersion;
  auto params = event_params();
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", &devs, &version, &params), LINEERR_SERVICE_NOT_RUNNING);
  ::setenv("OPENTAPI_SERVER", "bogus:address", 1);
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", &devs, &version, &params), LINEERR_INIFILECORRUPT);
  ::rmdir(dir);
}

TEST(Lifecycle, TcpApplicationsPresentTheToken) {
  Server server(2, true);
  ASSERT_EQ(server.address().rfind("tcp:127.0.0.1:", 0), 0u) << server.log();
  {
    TestProxy proxy;
    ASSERT_EQ(proxy.open_result(), 0);
    App app;
    ASSERT_EQ(app.init_result(), 0);
    const HLINE line = app.open(0, 0);
    ASSERT_NE(line, 0u);
    LINEAGENTINFO info{};
    info.dwTotalSize = sizeof info;
    const LONG id = lineGetAgentInfo(line, kFirstAgent, &info);
    ASSERT_GT(id, 0);
    EXPECT_EQ(app.reply(id), 0);
    EXPECT_EQ(info.dwMeasurementPeriod, 900u);
  }
  ::setenv("OPENTAPI_TOKEN", "wrong", 1);
  App refused;
  EXPECT_EQ(refused.init_result(), LINEERR_OPERATIONFAILED) << "the server's Error code";
  ::unsetenv("OPENTAPI_TOKEN");
}

TEST(Lifecycle, InitializeChecksItsArguments) {
  Server server;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kApiVersion;
  auto params = event_params();
  EXPECT_EQ(lineInitializeExA(nullptr, nullptr, nullptr, "x", &devs, &version, &params), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", nullptr, &version, &params), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", &devs, nullptr, &params), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "\xFF", &devs, &version, &params), LINEERR_INVALAPPNAME);
  params.dwOptions = LINEINITIALIZEEXOPTION_USECOMPLETIONPORT;
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", &devs, &version, &params), LINEERR_INVALPARAM);
  params.dwOptions = LINEINITIALIZEEXOPTION_USEHIDDENWINDOW;
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", &devs, &version, &params), LINEERR_INVALPOINTER)
      << "callback mechanism without a callback";
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", &devs, &version, nullptr), LINEERR_INVALPOINTER);
  params = event_params();
  params.dwTotalSize = 12;
  EXPECT_EQ(lineInitializeExA(&h, nullptr, nullptr, "x", &devs, &version, &params), LINEERR_STRUCTURETOOSMALL);

  params = event_params();
  ASSERT_EQ(lineInitializeExA(&h, nullptr, nullptr, nullptr, &devs, &version, &params), 0);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(devs, 2u);
  EXPECT_EQ(version, 0x00030001u);
  EXPECT_EQ(params.dwUsedSize, sizeof params);
  EXPECT_GE(opentapi_event_fd(params.Handles.hEvent), 0);
  EXPECT_EQ(lineShutdown(h + 1000), LINEERR_INVALAPPHANDLE);
  EXPECT_EQ(lineShutdown(h), 0);
  EXPECT_EQ(lineShutdown(h), LINEERR_UNINITIALIZED) << "no application left";
}

TEST(Lifecycle, AgentFunctionsCheckTheirArgumentsBeforeSending) {
  Server server;
  TestProxy proxy;
  App app;
  const HLINE line = app.open(0, 0);
  ASSERT_NE(line, 0u);
  const HLINE bogus = line + 1000;
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;

  EXPECT_EQ(lineGetAgentInfo(bogus, 1, &info), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(lineGetAgentCapsA(app.handle() + 1000, 0, 0, kApiVersion, nullptr), LINEERR_INVALAPPHANDLE);

  // Session states: exactly one bit of 0x01..0x20 each, not both 0.
  EXPECT_EQ(lineSetAgentSessionState(line, 1, 0, 0), LINEERR_INVALPARAM);
  EXPECT_EQ(lineSetAgentSessionState(line, 1, 0x40, 0), LINEERR_INVALAGENTSTATE);
  EXPECT_EQ(lineSetAgentSessionState(line, 1, 0x03, 0), LINEERR_INVALAGENTSTATE);
  EXPECT_EQ(lineSetAgentSessionState(line, 1, 0, 0x80000000), LINEERR_INVALAGENTSTATE);
  EXPECT_EQ(lineSetAgentStateEx(line, 1, 0, 0), LINEERR_INVALPARAM);
  EXPECT_EQ(lineSetAgentStateEx(line, 1, 0x80, 0), LINEERR_INVALAGENTSTATE);
  EXPECT_EQ(lineSetAgentStateEx(line, 1, LINEAGENTSTATEEX_RELEASED, 0x06), LINEERR_INVALAGENTSTATE);
  EXPECT_EQ(lineSetAgentMeasurementPeriod(line, 1, 0), LINEERR_INVALPARAM);
  EXPECT_EQ(lineSetQueueMeasurementPeriod(line, 1, 0), LINEERR_INVALPARAM);

  // NULL outputs: INVALPOINTER where the function lists it, else INVALPARAM.
  EXPECT_EQ(lineGetAgentStatusA(line, 0, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetAgentActivityListW(line, 0, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetAgentGroupListA(line, 0, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetAgentCapsW(app.handle(), 0, 0, kApiVersion, nullptr), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineAgentSpecific(line, 0, 0, nullptr, 4), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineGetAgentInfo(line, 1, nullptr), LINEERR_INVALPARAM);
  EXPECT_EQ(lineGetAgentSessionInfo(line, 1, nullptr), LINEERR_INVALPARAM);
  EXPECT_EQ(lineGetAgentSessionList(line, 1, nullptr), LINEERR_INVALPARAM);
  EXPECT_EQ(lineGetGroupListW(line, nullptr), LINEERR_INVALPARAM);
  EXPECT_EQ(lineGetQueueInfo(line, 1, nullptr), LINEERR_INVALPARAM);
  LINEQUEUELIST queues{};
  queues.dwTotalSize = sizeof queues;
  EXPECT_EQ(lineGetQueueListA(line, nullptr, &queues), LINEERR_INVALPARAM);
  EXPECT_EQ(lineCreateAgentA(line, nullptr, nullptr, nullptr), LINEERR_INVALPARAM);
  HAGENTSESSION session;
  EXPECT_EQ(lineCreateAgentSessionW(line, 1, nullptr, 0, nullptr, &session), LINEERR_INVALPARAM);
  HAGENT agent;
  EXPECT_EQ(lineCreateAgentA(line, const_cast<LPSTR>("\xC3"), nullptr, &agent), LINEERR_INVALPARAM) << "bad UTF-8";
  LINEAGENTGROUPLIST bad_groups{};
  bad_groups.dwTotalSize = sizeof bad_groups;
  bad_groups.dwNumEntries = 1;  // but no array
  EXPECT_EQ(lineSetAgentGroup(line, 0, &bad_groups), LINEERR_INVALPARAM);

  // None of these reached the proxy.
  EXPECT_TRUE(proxy.response_results().empty());
  // A well-formed call still works, and its ID is positive.
  const LONG id = lineGetAgentInfo(line, 1, &info);
  EXPECT_GT(id, 0);
  EXPECT_EQ(app.reply(id), 0);
}

TEST(Lifecycle, OpenChecksProxyCallParams) {
  Server server;
  App app;
  DWORD version = 0;
  LINEEXTENSIONID ext;
  ASSERT_EQ(lineNegotiateAPIVersion(app.handle(), 0, 0x00020000, kApiVersion, &version, &ext), 0);
  EXPECT_EQ(lineNegotiateAPIVersion(app.handle(), 0, 0x00020000, kApiVersion, nullptr, &ext), LINEERR_INVALPOINTER);
  HLINE h = 0;
  const DWORD proxy = LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY;
  EXPECT_EQ(lineOpenA(app.handle(), 0, nullptr, version, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr),
            LINEERR_INVALPOINTER);
  EXPECT_EQ(lineOpenA(app.handle(), 0, &h, version, 0, 0, proxy, 0, nullptr), LINEERR_INVALPARAM);
  auto params = proxy_call_params({LINEPROXYREQUEST_SETAGENTSESSIONSTATE, 0x15});
  EXPECT_EQ(lineOpenA(app.handle(), 0, &h, version, 0, 0, proxy, 0, reinterpret_cast<LPLINECALLPARAMS>(params.data())),
            LINEERR_INVALPARAM);
  params = proxy_call_params({LINEPROXYREQUEST_SETAGENTSESSIONSTATE});
  auto* p = reinterpret_cast<LPLINECALLPARAMS>(params.data());
  p->dwDevSpecificSize = 3;
  EXPECT_EQ(lineOpenA(app.handle(), 0, &h, version, 0, 0, proxy, 0, p), LINEERR_INVALPARAM);
  p->dwDevSpecificSize = 0;
  EXPECT_EQ(lineOpenA(app.handle(), 0, &h, version, 0, 0, proxy, 0, p), LINEERR_INVALPARAM);
  p->dwDevSpecificSize = 4;
  p->dwTotalSize = 108;
  EXPECT_EQ(lineOpenA(app.handle(), 0, &h, version, 0, 0, proxy, 0, p), LINEERR_STRUCTURETOOSMALL);
  p->dwTotalSize = static_cast<DWORD>(params.size());
  EXPECT_EQ(lineOpen(app.handle(), 0, &h, version, 0, 0, proxy, 0, p), 0) << "the unsuffixed (ANSI) export";
  EXPECT_EQ(lineClose(h), 0);
  EXPECT_EQ(lineClose(h), LINEERR_INVALLINEHANDLE);
}

TEST(Lifecycle, LineMapperPicksADeviceThatAcceptsTheOpen) {
  Server server;
  TestProxy on_zero;  // device 0 already serves every type
  App app;
  auto params = proxy_call_params({LINEPROXYREQUEST_GETAGENTINFO});
  HLINE h = 0;
  const DWORD proxy = LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY;
  ASSERT_EQ(lineOpenA(app.handle(), LINEMAPPER, &h, kApiVersion, 0, 0, proxy, 0,
                      reinterpret_cast<LPLINECALLPARAMS>(params.data())),
            0);
  EXPECT_NE(h, 0u);
  HLINE again = 0;
  EXPECT_EQ(lineOpenA(app.handle(), LINEMAPPER, &again, kApiVersion, 0, 0, proxy, 0,
                      reinterpret_cast<LPLINECALLPARAMS>(params.data())),
            LINEERR_LINEMAPPERFAILED)
      << "both devices have a GETAGENTINFO handler now";
  EXPECT_EQ(lineOpenA(app.handle(), LINEMAPPER, &again, kApiVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr),
            LINEERR_INVALPOINTER);
}

TEST(Lifecycle, GetMessagePollsTimesOutAndIsWokenByShutdown) {
  Server server;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kApiVersion;
  auto params = event_params();
  ASSERT_EQ(lineInitializeExA(&h, nullptr, nullptr, "poller", &devs, &version, &params), 0);
  LINEMESSAGE m;
  EXPECT_EQ(lineGetMessage(h, nullptr, 0), LINEERR_INVALPOINTER);
  auto start = Clock::now();
  EXPECT_EQ(lineGetMessage(h, &m, 0), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(lineGetMessage(h, &m, 50), LINEERR_OPERATIONFAILED);
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, 50ms);
  EXPECT_LT(waited, 2s);

  std::atomic<LONG> result{1};
  std::thread waiter([&] { result = lineGetMessage(h, &m, INFINITE); });
  std::this_thread::sleep_for(50ms);
  start = Clock::now();
  EXPECT_EQ(lineShutdown(h), 0);
  waiter.join();
  EXPECT_EQ(result.load(), LINEERR_INVALAPPHANDLE);
  EXPECT_LT(Clock::now() - start, 2s);
}

TEST(Lifecycle, EventFdIsReadableExactlyWhileMessagesWait) {
  Server server;
  TestProxy proxy;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kApiVersion;
  auto params = event_params();
  ASSERT_EQ(lineInitializeExA(&h, nullptr, nullptr, "event", &devs, &version, &params), 0);
  const int fd = opentapi_event_fd(params.Handles.hEvent);
  ASSERT_GE(fd, 0);
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0);
  HLINE line = 0;
  ASSERT_EQ(lineOpenA(h, 0, &line, kApiVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  const LONG id = lineGetAgentInfo(line, 1, &info);
  ASSERT_GT(id, 0);
  EXPECT_EQ(::poll(&p, 1, static_cast<int>(kWait.count())), 1);
  LINEMESSAGE m{};
  ASSERT_EQ(lineGetMessage(h, &m, 0), 0);
  EXPECT_EQ(m.dwMessageID, LINE_REPLY);
  EXPECT_EQ(m.dwParam1, static_cast<DWORD_PTR>(id));
  EXPECT_EQ(static_cast<LONG>(m.dwParam2), 0);
  EXPECT_EQ(::poll(&p, 1, 0), 0) << "reset once the queue is empty";
  EXPECT_EQ(lineShutdown(h), 0);
}

struct CallbackLog {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<LINEMESSAGE> messages;
  std::set<std::thread::id> threads;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
};
CallbackLog* g_log = nullptr;

void CALLBACK on_message(DWORD device, DWORD msg, DWORD_PTR instance, DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3) {
  if (g_log->inside.fetch_add(1) != 0) g_log->overlapped = true;
  std::this_thread::sleep_for(1ms);
  {
    std::lock_guard lock(g_log->mu);
    g_log->messages.push_back(LINEMESSAGE{device, msg, instance, p1, p2, p3});
    g_log->threads.insert(std::this_thread::get_id());
  }
  g_log->inside.fetch_sub(1);
  g_log->cv.notify_all();
}

TEST(Lifecycle, CallbackModeDeliversSeriallyOnALibraryThread) {
  Server server;
  TestProxy proxy;
  CallbackLog log;
  g_log = &log;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kApiVersion;
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEHIDDENWINDOW;
  ASSERT_EQ(lineInitializeExW(&h, nullptr, on_message, L"callback app", &devs, &version, &params), 0);
  LINEMESSAGE m;
  EXPECT_EQ(lineGetMessage(h, &m, 0), LINEERR_INVALAPPHANDLE) << "not a USEEVENT application";
  HLINE line = 0;
  ASSERT_EQ(lineOpenW(h, 0, &line, kApiVersion, 0, 77, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);
  std::vector<LINEAGENTINFO> infos(10);
  std::set<LONG> ids;
  for (auto& info : infos) {
    info.dwTotalSize = sizeof info;
    ids.insert(lineGetAgentInfo(line, 1, &info));
  }
  {
    std::unique_lock lock(log.mu);
    ASSERT_TRUE(log.cv.wait_for(lock, kWait, [&] {
      return std::count_if(log.messages.begin(), log.messages.end(),
                           [](const LINEMESSAGE& x) { return x.dwMessageID == LINE_REPLY; }) == 10;
    }));
    for (const auto& x : log.messages) {
      if (x.dwMessageID != LINE_REPLY) continue;
      EXPECT_EQ(ids.count(static_cast<LONG>(x.dwParam1)), 1u);
      EXPECT_EQ(static_cast<LONG>(x.dwParam2), 0);
    }
    EXPECT_EQ(log.threads.size(), 1u);
    EXPECT_EQ(log.threads.count(std::this_thread::get_id()), 0u);
  }
  EXPECT_FALSE(log.overlapped) << "callbacks must not run concurrently";
  for (const auto& info : infos) EXPECT_EQ(info.dwUsedSize, sizeof info);
  EXPECT_EQ(lineShutdown(h), 0);
  g_log = nullptr;
}

// Many threads on one HLINEAPP fire requests; replies often arrive before
// the function has returned its ID. Every ID is unique and positive, every
// reply matches an ID, every output buffer is written.
TEST(Lifecycle, ReplyBeforeReturnRaceFromSeveralThreads) {
  Server server;
  TestProxy proxy;
  App app;
  const HLINE line = app.open(0, 0);
  ASSERT_NE(line, 0u);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  std::vector<std::vector<LINEAGENTINFO>> infos(kThreads, std::vector<LINEAGENTINFO>(kPerThread));
  std::vector<std::vector<LONG>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (auto& info : infos[t]) {
        info.dwTotalSize = sizeof info;
        ids[t].push_back(lineGetAgentInfo(line, kFirstAgent, &info));
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<LONG> all;
  for (const auto& v : ids) {
    for (const LONG id : v) {
      EXPECT_GT(id, 0);
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread)) << "request IDs are unique";
  for (const LONG id : all) {
    const auto r = app.reply(id);
    ASSERT_TRUE(r) << "no LINE_REPLY for " << id;
    EXPECT_EQ(*r, 0);
  }
  for (const auto& v : infos) {
    for (const auto& info : v) {
      EXPECT_EQ(info.dwUsedSize, sizeof info);
      EXPECT_EQ(info.dwMeasurementPeriod, 900u);
    }
  }
}

TEST(Lifecycle, NoReplyIsDeliveredAfterShutdown) {
  Server server;
  TestProxy::Options options;
  options.hold = true;
  TestProxy proxy(options);
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kApiVersion;
  CallbackLog log;
  g_log = &log;
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEHIDDENWINDOW;
  ASSERT_EQ(lineInitializeExA(&h, nullptr, on_message, "gone", &devs, &version, &params), 0);
  HLINE line = 0;
  ASSERT_EQ(lineOpenA(h, 0, &line, kApiVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);
  auto info = std::make_unique<LINEAGENTINFO>();
  info->dwTotalSize = sizeof *info;
  ASSERT_GT(lineGetAgentInfo(line, 1, info.get()), 0);
  LPLINEPROXYREQUEST r = proxy.next_request();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(lineShutdown(h), 0);
  info.reset();  // the client's buffer is gone: the late answer must not touch it
  EXPECT_EQ(proxy.answer(r), 0) << "a late response for a client that shut down is accepted";
  std::this_thread::sleep_for(50ms);
  std::lock_guard lock(log.mu);
  for (const auto& m : log.messages) EXPECT_NE(m.dwMessageID, LINE_REPLY);
  g_log = nullptr;
}

// The server dies with a request outstanding: the application gets
// LINE_REPLY(OPERATIONFAILED), LINE_CLOSE for its line, then
// LINE_LINEDEVSTATE(REINIT); later calls fail without hanging.
TEST(Lifecycle, ServerLossCompletesEverythingAndNeverHangs) {
  auto server = std::make_unique<Server>();
  TestProxy::Options options;
  options.hold = true;
  TestProxy proxy(options);
  App app;
  const HLINE line = app.open(0, 42);
  ASSERT_NE(line, 0u);
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  const LONG id = lineGetAgentInfo(line, 1, &info);
  ASSERT_GT(id, 0);
  ASSERT_NE(proxy.next_request(), nullptr);

  server->kill_now();
  const auto reply = app.reply(id);
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply, LINEERR_OPERATIONFAILED);
  EXPECT_EQ(info.dwUsedSize, 0u) << "no output on failure";
  const auto close = app.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_CLOSE; });
  ASSERT_TRUE(close);
  EXPECT_EQ(close->hDevice, line);
  EXPECT_EQ(close->dwCallbackInstance, 42u);
  const auto reinit = app.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_LINEDEVSTATE; });
  ASSERT_TRUE(reinit);
  EXPECT_EQ(reinit->dwParam1, LINEDEVSTATE_REINIT);
  EXPECT_EQ(reinit->hDevice, 0u);

  const auto start = Clock::now();
  EXPECT_EQ(lineGetAgentInfo(line, 1, &info), LINEERR_INVALLINEHANDLE);
  HLINE again = 0;
  EXPECT_EQ(lineOpenA(app.handle(), 0, &again, kApiVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr),
            LINEERR_OPERATIONFAILED);
  LINEAGENTCAPS caps{};
  caps.dwTotalSize = sizeof caps;
  EXPECT_EQ(lineGetAgentCapsA(app.handle(), 0, 0, kApiVersion, &caps), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(app.shutdown(), 0);
  EXPECT_LT(Clock::now() - start, 2s);
}

}  // namespace
}  // namespace tapi2_test
