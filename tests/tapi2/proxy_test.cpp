// The proxy side: registration and LINE_PROXYSTATUS, competing proxies,
// lineProxyResponse's checks, and proxies or clients dying mid-request.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "support.h"

namespace tapi2_test {
namespace {

LONG open_proxy(HLINEAPP app, DWORD device, const std::vector<DWORD>& types, HLINE* line) {
  auto params = proxy_call_params(types);
  return lineOpenA(app, device, line, kApiVersion, 0, 0, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, 0,
                   reinterpret_cast<LPLINECALLPARAMS>(params.data()));
}

TEST(Proxy, RegistrationIsAnnouncedWithProxyStatusAndListed) {
  Server server;
  App client;
  const HLINE line = client.open(0, 9);
  ASSERT_NE(line, 0u);
  auto proxy = std::make_unique<TestProxy>();
  ASSERT_EQ(proxy->open_result(), 0);
  std::set<DWORD> opened;
  for (DWORD i = 0; i < kAllTypes; ++i) {
    const auto m = client.wait(
        [](const LINEMESSAGE& x) { return x.dwMessageID == LINE_PROXYSTATUS && x.dwParam1 == LINEPROXYSTATUS_OPEN; });
    ASSERT_TRUE(m) << "after " << i << " OPEN messages";
    EXPECT_EQ(m->hDevice, line);
    EXPECT_EQ(m->dwCallbackInstance, 9u);
    opened.insert(static_cast<DWORD>(m->dwParam2));
  }
  EXPECT_EQ(opened.size(), kAllTypes);
  EXPECT_TRUE(client.wait([](const LINEMESSAGE& x) {
    return x.dwMessageID == LINE_PROXYSTATUS && x.dwParam1 == LINEPROXYSTATUS_ALLOPENFORACD;
  }));

  std::vector<unsigned char> buf(256, 0);
  auto* list = reinterpret_cast<LPLINEPROXYREQUESTLIST>(buf.data());
  list->dwTotalSize = 256;
  ASSERT_EQ(lineGetProxyStatus(client.handle(), 0, kApiVersion, list), 0);
  EXPECT_EQ(list->dwNumEntries, kAllTypes);
  EXPECT_EQ(list->dwListSize, 4 * kAllTypes);
  EXPECT_EQ(list->dwNeededSize, sizeof(LINEPROXYREQUESTLIST) + 4 * kAllTypes);
  std::set<DWORD> listed;
  for (DWORD i = 0; i < list->dwNumEntries; ++i) {
    DWORD t;
    std::memcpy(&t, buf.data() + list->dwListOffset + 4 * i, 4);
    listed.insert(t);
  }
  EXPECT_EQ(listed, opened);
  list->dwTotalSize = 30;  // room for the header only
  ASSERT_EQ(lineGetProxyStatus(client.handle(), 0, kApiVersion, list), 0);
  EXPECT_EQ(list->dwNumEntries, kAllTypes);
  EXPECT_EQ(list->dwListSize, 0u);
  EXPECT_EQ(list->dwUsedSize, sizeof(LINEPROXYREQUESTLIST));
  list->dwTotalSize = 20;
  EXPECT_EQ(lineGetProxyStatus(client.handle(), 0, kApiVersion, list), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(lineGetProxyStatus(client.handle(), 0, kApiVersion, nullptr), LINEERR_INVALPARAM);

  proxy->close();
  std::set<DWORD> closed;
  for (DWORD i = 0; i < kAllTypes; ++i) {
    const auto m = client.wait(
        [](const LINEMESSAGE& x) { return x.dwMessageID == LINE_PROXYSTATUS && x.dwParam1 == LINEPROXYSTATUS_CLOSE; });
    ASSERT_TRUE(m);
    closed.insert(static_cast<DWORD>(m->dwParam2));
  }
  EXPECT_EQ(closed, opened);
}

TEST(Proxy, ASecondProxyForATakenTypeIsNotRegistered) {
  Server server;
  TestProxy::Options first_options;
  first_options.types = {LINEPROXYREQUEST_SETAGENTSESSIONSTATE, LINEPROXYREQUEST_GETAGENTINFO};
  TestProxy first(first_options);
  ASSERT_EQ(first.open_result(), 0);
  TestProxy::Options second_options;
  second_options.types = {LINEPROXYREQUEST_GETQUEUEINFO, LINEPROXYREQUEST_GETAGENTINFO};
  TestProxy second(second_options);
  EXPECT_EQ(second.open_result(), LINEERR_NOTREGISTERED);
  // All or nothing: GETQUEUEINFO did not stay registered either.
  second_options.types = {LINEPROXYREQUEST_GETQUEUEINFO};
  TestProxy third(second_options);
  EXPECT_EQ(third.open_result(), 0);
}

TEST(Proxy, WithoutAProxyTheRequestFailsSynchronously) {
  Server server;
  App client;
  const HLINE line = client.open(0, 0);
  ASSERT_NE(line, 0u);
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  EXPECT_EQ(lineGetAgentInfo(line, 1, &info), LINEERR_OPERATIONUNAVAIL);
}

// A proxy application written directly against the API, to reach the corners
// of lineProxyResponse.
class ManualProxy : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>();
    proxy_ = std::make_unique<App>(false, "manual proxy");
    ASSERT_EQ(open_proxy(proxy_->handle(), 0, {LINEPROXYREQUEST_GETGROUPLIST, LINEPROXYREQUEST_GETAGENTINFO}, &line_),
              0);
    ASSERT_EQ(open_proxy(proxy_->handle(), 1, {LINEPROXYREQUEST_GETAGENTINFO}, &other_line_), 0);
    client_ = std::make_unique<App>();
    client_line_ = client_->open(0, 0);
    ASSERT_NE(client_line_, 0u);
  }
  void TearDown() override {
    client_.reset();
    proxy_.reset();
    server_.reset();
  }
  LPLINEPROXYREQUEST next_request() {
    const auto m = proxy_->wait([](const LINEMESSAGE& x) { return x.dwMessageID == LINE_PROXYREQUEST; });
    if (!m) return nullptr;
    EXPECT_EQ(m->hDevice, line_);
    return reinterpret_cast<LPLINEPROXYREQUEST>(m->dwParam1);
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<App> proxy_;
  std::unique_ptr<App> client_;
  HLINE line_ = 0;
  HLINE other_line_ = 0;
  HLINE client_line_ = 0;
};

TEST_F(ManualProxy, ResponseChecksTheBufferAndTheLine) {
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  const LONG id = lineGetAgentInfo(client_line_, 1, &info);
  ASSERT_GT(id, 0);
  LPLINEPROXYREQUEST r = next_request();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->dwRequestType, LINEPROXYREQUEST_GETAGENTINFO);
  EXPECT_EQ(r->GetAgentInfo.hAgent, 1u);
  EXPECT_EQ(r->GetAgentInfo.AgentInfo.dwTotalSize, sizeof(LINEAGENTINFO));
  EXPECT_GT(r->dwClientUserNameSize, 1u);
  EXPECT_GT(r->dwClientMachineNameSize, 1u);

  LINEPROXYREQUEST fake{};
  EXPECT_EQ(lineProxyResponse(line_, &fake, 0), LINEERR_INVALPOINTER) << "never issued";
  EXPECT_EQ(lineProxyResponse(line_, nullptr, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineProxyResponse(other_line_, r, 0), LINEERR_INVALLINEHANDLE) << "delivered on another line";
  EXPECT_EQ(lineProxyResponse(client_line_ + 1000, r, 0), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(lineProxyResponse(line_, r, 5), LINEERR_INVALPARAM) << "a positive result would read as a request ID";

  // Success without filling the structure: refused, and the buffer stays ours to fix.
  EXPECT_EQ(lineProxyResponse(line_, r, 0), LINEERR_INVALPARAM);
  r->GetAgentInfo.AgentInfo.dwUsedSize = sizeof(LINEAGENTINFO) + 1;  // past dwTotalSize
  r->GetAgentInfo.AgentInfo.dwNeededSize = sizeof(LINEAGENTINFO) + 1;
  EXPECT_EQ(lineProxyResponse(line_, r, 0), LINEERR_INVALPARAM);
  r->GetAgentInfo.AgentInfo.dwUsedSize = sizeof(LINEAGENTINFO);
  r->GetAgentInfo.AgentInfo.dwNeededSize = sizeof(LINEAGENTINFO);
  r->GetAgentInfo.AgentInfo.dwMeasurementPeriod = 42;
  EXPECT_EQ(lineProxyResponse(line_, r, 0), 0);
  EXPECT_EQ(lineProxyResponse(line_, r, 0), LINEERR_INVALPOINTER) << "already answered";
  EXPECT_EQ(client_->reply(id), 0);
  EXPECT_EQ(info.dwMeasurementPeriod, 42u);
}

// Where a request came from (docs/ha.md "Requests in flight exactly once"):
// the client's 16-byte instance, the same for all its requests, and an origin
// id per request.
TEST_F(ManualProxy, OriginNamesTheClientInstanceAndTheRequest) {
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  ASSERT_GT(lineGetAgentInfo(client_line_, 1, &info), 0);
  LPLINEPROXYREQUEST first = next_request();
  ASSERT_NE(first, nullptr);
  LINEAGENTINFO info2{};
  info2.dwTotalSize = sizeof info2;
  ASSERT_GT(lineGetAgentInfo(client_line_, 2, &info2), 0);
  LPLINEPROXYREQUEST second = next_request();
  ASSERT_NE(second, nullptr);

  BYTE a[64] = {};
  BYTE b[64] = {};
  DWORD a_size = 0;
  DWORD b_size = 0;
  unsigned long long a_origin = 0;
  unsigned long long b_origin = 0;
  ASSERT_EQ(opentapi_proxy_request_origin(line_, first, a, sizeof a, &a_size, &a_origin), 0);
  ASSERT_EQ(opentapi_proxy_request_origin(line_, second, b, sizeof b, &b_size, &b_origin), 0);
  EXPECT_EQ(a_size, 16u);
  EXPECT_EQ(b_size, 16u);
  EXPECT_EQ(std::memcmp(a, b, 16), 0) << "one client, one instance";
  EXPECT_NE(a_origin, 0u);
  EXPECT_NE(a_origin, b_origin);

  EXPECT_EQ(opentapi_proxy_request_origin(other_line_, first, a, sizeof a, &a_size, &a_origin),
            LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(opentapi_proxy_request_origin(line_, first, a, 8, &a_size, &a_origin), LINEERR_INVALPOINTER)
      << "room for less than the instance";
  EXPECT_EQ(opentapi_proxy_request_origin(line_, first, nullptr, sizeof a, &a_size, &a_origin), LINEERR_INVALPOINTER);
  LINEPROXYREQUEST fake{};
  EXPECT_EQ(opentapi_proxy_request_origin(line_, &fake, a, sizeof a, &a_size, &a_origin), LINEERR_INVALPOINTER);
  EXPECT_EQ(lineProxyResponse(line_, first, static_cast<DWORD>(LINEERR_OPERATIONFAILED)), 0);
  EXPECT_EQ(opentapi_proxy_request_origin(line_, first, a, sizeof a, &a_size, &a_origin), LINEERR_INVALPOINTER)
      << "answered";
  EXPECT_EQ(lineProxyResponse(line_, second, static_cast<DWORD>(LINEERR_OPERATIONFAILED)), 0);
}

TEST_F(ManualProxy, ListWithNonsenseOffsetsIsRefused) {
  std::vector<unsigned char> buf(200, 0);
  auto* list = reinterpret_cast<LPLINEAGENTGROUPLIST>(buf.data());
  list->dwTotalSize = 200;
  const LONG id = lineGetGroupListA(client_line_, list);
  ASSERT_GT(id, 0);
  LPLINEPROXYREQUEST r = next_request();
  ASSERT_NE(r, nullptr);
  LINEAGENTGROUPLIST& l = r->GetGroupList.GroupList;
  EXPECT_EQ(l.dwTotalSize, 200u);
  l.dwNeededSize = l.dwUsedSize = 48;
  l.dwNumEntries = 1;
  l.dwListSize = 24;
  l.dwListOffset = 0xFFFFFFF0u;  // would wrap around
  EXPECT_EQ(lineProxyResponse(line_, r, 0), LINEERR_INVALPARAM);
  l.dwListOffset = 24;
  EXPECT_EQ(lineProxyResponse(line_, r, 0), 0);
  EXPECT_EQ(client_->reply(id), 0);
  EXPECT_EQ(list->dwNumEntries, 1u);
  EXPECT_EQ(list->dwListSize, 24u);
}

TEST_F(ManualProxy, ClosingTheProxyLineCompletesItsRequestsAndLateAnswersAreDiscarded) {
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  const LONG id = lineGetAgentInfo(client_line_, 1, &info);
  ASSERT_GT(id, 0);
  LPLINEPROXYREQUEST r = next_request();
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(lineClose(line_), 0);
  EXPECT_EQ(client_->reply(id), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(lineProxyResponse(line_, r, 0), 0) << "accepted and discarded";
  EXPECT_EQ(lineProxyResponse(line_, r, 0), LINEERR_INVALPOINTER) << "and freed";
}

// lineProxyResponse and lineProxyMessage do not wait for the server: the
// library refuses what the server would refuse, and what it sends arrives in
// the order sent.
TEST_F(ManualProxy, MessageIsCheckedLocallyAndFollowsTheResponse) {
  EXPECT_EQ(lineProxyMessage(line_, 0, LINE_CALLSTATE, 0, 0, 0), LINEERR_INVALPARAM) << "not a proxy message";
  EXPECT_EQ(lineProxyMessage(client_line_, 0, LINE_AGENTSTATUS, 0, 0, 0), LINEERR_NOTREGISTERED) << "not a proxy line";
  EXPECT_EQ(lineProxyMessage(line_, 7, LINE_AGENTSTATUS, 0, 0, 0), LINEERR_INVALCALLHANDLE);
  EXPECT_EQ(lineProxyMessage(client_line_ + 1000, 0, LINE_AGENTSTATUS, 0, 0, 0), LINEERR_INVALLINEHANDLE);

  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  const LONG id = lineGetAgentInfo(client_line_, 1, &info);
  ASSERT_GT(id, 0);
  LPLINEPROXYREQUEST r = next_request();
  ASSERT_NE(r, nullptr);
  r->GetAgentInfo.AgentInfo.dwUsedSize = sizeof(LINEAGENTINFO);
  r->GetAgentInfo.AgentInfo.dwNeededSize = sizeof(LINEAGENTINFO);
  EXPECT_EQ(lineProxyResponse(line_, r, 0), 0);
  EXPECT_EQ(lineProxyMessage(line_, 0, LINE_AGENTSESSIONSTATUS, 0x77, LINEAGENTSESSIONSTATUS_STATE,
                             LINEAGENTSESSIONSTATE_READY),
            0);
  const auto reply = client_->wait(
      [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_REPLY || m.dwMessageID == LINE_AGENTSESSIONSTATUS; });
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->dwMessageID, static_cast<DWORD>(LINE_REPLY)) << "the response was sent first";
  EXPECT_EQ(reply->dwParam1, static_cast<DWORD_PTR>(id));
  const auto status = client_->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_AGENTSESSIONSTATUS; });
  ASSERT_TRUE(status);
  EXPECT_EQ(status->hDevice, client_line_);
  EXPECT_EQ(status->dwParam1, 0x77u);
  EXPECT_EQ(status->dwParam3, static_cast<DWORD_PTR>(LINEAGENTSESSIONSTATE_READY));
}

TEST(Proxy, ProxyDeathMidRequestFailsTheClientsRequest) {
  Server server;
  Peer peer({"proxy", "--hold"});
  ASSERT_EQ(peer.wait_line("READY "), "0");
  App client;
  const HLINE line = client.open(0, 0);
  ASSERT_NE(line, 0u);
  LINEAGENTSESSIONINFO info{};
  info.dwTotalSize = sizeof info;
  const LONG id = lineGetAgentSessionInfo(line, kFirstSession, &info);
  ASSERT_GT(id, 0);
  ASSERT_EQ(peer.wait_line("REQUEST "), std::to_string(LINEPROXYREQUEST_GETAGENTSESSIONINFO));
  peer.kill_now();
  EXPECT_EQ(client.reply(id), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(info.dwUsedSize, 0u);
  EXPECT_TRUE(client.wait(
      [](const LINEMESSAGE& m) { return m.dwMessageID == LINE_PROXYSTATUS && m.dwParam1 == LINEPROXYSTATUS_CLOSE; }));
}

TEST(Proxy, ClientDeathMidRequestStillAcceptsTheProxysAnswer) {
  Server server;
  TestProxy::Options options;
  options.hold = true;
  TestProxy proxy(options);
  ASSERT_EQ(proxy.open_result(), 0);
  Peer peer({"client", "0"});
  const auto id = peer.wait_line("REQUEST ");
  ASSERT_TRUE(id);
  EXPECT_GT(std::stol(*id), 0);
  LPLINEPROXYREQUEST r = proxy.next_request();
  ASSERT_NE(r, nullptr);
  peer.kill_now();
  std::this_thread::sleep_for(50ms);  // let the server notice the client is gone
  EXPECT_EQ(proxy.answer(r), 0);
}

TEST(Proxy, WideProxyGetsWideStrings) {
  Server server;
  TestProxy::Options options;
  options.wide = true;
  options.hold = true;
  TestProxy proxy(options);
  App client;
  const HLINE line = client.open(0, 0);
  HAGENT agent = 0;
  const LONG id = lineCreateAgentA(line, const_cast<LPSTR>("Zo\xC3\xAB"), nullptr, &agent);
  ASSERT_GT(id, 0);
  LPLINEPROXYREQUEST r = proxy.next_request();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->CreateAgent.dwAgentIDSize, 16u);
  EXPECT_EQ(read_w(r, r->CreateAgent.dwAgentIDSize, r->CreateAgent.dwAgentIDOffset), L"Zo\u00EB");
  EXPECT_EQ(r->CreateAgent.dwAgentPINSize, 0u);
  EXPECT_EQ(r->dwClientMachineNameSize % 4, 0u);
  EXPECT_EQ(proxy.answer(r), 0);
  EXPECT_EQ(client.reply(id), 0);
  EXPECT_EQ(agent, kFirstAgent);
}

}  // namespace
}  // namespace tapi2_test
