// Every agent function end to end: a client application calls it through
// tapi.h, opentapid routes it to the test proxy, the proxy answers with fixed
// data, and the client gets a positive request ID, then LINE_REPLY, with the
// output in its own character set. Run for each pairing of A/W client and
// A/W proxy.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "support.h"

namespace tapi2_test {
namespace {

struct Charsets {
  bool proxy_wide;
  bool client_wide;
};

std::string name_of(const testing::TestParamInfo<Charsets>& info) {
  return std::string(info.param.proxy_wide ? "WProxy" : "AProxy") + (info.param.client_wide ? "WClient" : "AClient");
}

// A structure buffer of `size` bytes with dwTotalSize set.
template <class T>
struct Out {
  explicit Out(DWORD size = 1024) : bytes(size, 0) { std::memcpy(bytes.data(), &size, 4); }
  T* get() { return reinterpret_cast<T*>(bytes.data()); }
  T* operator->() { return get(); }
  const unsigned char* base() const { return bytes.data(); }
  std::vector<unsigned char> bytes;
};

class AgentFunctions : public testing::TestWithParam<Charsets> {
 protected:
  static constexpr DWORD_PTR kInstance = 0x1234;

  void SetUp() override {
    server_ = std::make_unique<Server>();
    TestProxy::Options options;
    options.wide = GetParam().proxy_wide;
    proxy_ = std::make_unique<TestProxy>(options);
    ASSERT_EQ(proxy_->open_result(), 0);
    client_ = std::make_unique<App>(wide());
    ASSERT_EQ(client_->init_result(), 0);
    line_ = client_->open(0, kInstance, wide());
    ASSERT_NE(line_, 0u);
  }
  void TearDown() override {
    client_.reset();
    proxy_.reset();
    server_.reset();
  }

  bool wide() const { return GetParam().client_wide; }

  // The LINE_REPLY result of an asynchronous call that must have started.
  LONG complete(LONG request_id) {
    EXPECT_GT(request_id, 0) << "an asynchronous function returns a positive request ID";
    if (request_id <= 0) return request_id;
    const auto result = client_->reply(request_id);
    EXPECT_TRUE(result) << "no LINE_REPLY for request " << request_id;
    return result.value_or(LINEERR_OPERATIONFAILED);
  }

  // A string of a returned structure, in the client's charset.
  void expect_text(const void* base, DWORD size, DWORD offset, const Text& t) {
    if (wide()) {
      EXPECT_EQ(size, 4 * (std::wcslen(t.w) + 1));
      EXPECT_EQ(read_w(base, size, offset), std::wstring(t.w));
    } else {
      EXPECT_EQ(size, std::strlen(t.a) + 1);
      EXPECT_EQ(read_a(base, size, offset), std::string(t.a));
    }
  }

  void expect_groups(const void* list_base, DWORD count, DWORD size, DWORD offset) {
    ASSERT_EQ(size, count * sizeof(LINEAGENTGROUPENTRY));
    ASSERT_NE(offset, 0u);
    const auto* e = reinterpret_cast<const LINEAGENTGROUPENTRY*>(static_cast<const unsigned char*>(list_base) + offset);
    for (DWORD i = 0; i < count; ++i) {
      EXPECT_EQ(std::memcmp(&e[i].GroupID, &kGroups[i].id, sizeof(GUID)), 0);
      // Element offsets are relative to the enclosing structure (§1.4).
      expect_text(list_base, e[i].dwNameSize, e[i].dwNameOffset, kGroups[i].name);
    }
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<TestProxy> proxy_;
  std::unique_ptr<App> client_;
  HLINE line_ = 0;
};

TEST_P(AgentFunctions, CreateAgentReturnsTheProxysHandleAndPassesIdAndPin) {
  HAGENT agent = 0;
  HAGENT second = 0;
  if (wide()) {
    EXPECT_EQ(complete(lineCreateAgentW(line_, const_cast<LPWSTR>(L"4711"), const_cast<LPWSTR>(L"secret"), &agent)), 0);
    EXPECT_EQ(complete(lineCreateAgentW(line_, nullptr, nullptr, &second)), 0);
  } else {
    EXPECT_EQ(complete(lineCreateAgentA(line_, const_cast<LPSTR>("4711"), const_cast<LPSTR>("secret"), &agent)), 0);
    EXPECT_EQ(complete(lineCreateAgentA(line_, nullptr, nullptr, &second)), 0);
  }
  EXPECT_EQ(agent, kFirstAgent);
  EXPECT_EQ(second, kFirstAgent + 1);
  EXPECT_EQ(proxy_->agent_ids_seen(), (std::vector<std::string>{"4711/secret", "<null>/<null>"}));
  // The proxy announced the new agents (LINE_AGENTSTATUSEX, NEWAGENT).
  const auto m = client_->wait([](const LINEMESSAGE& x) { return x.dwMessageID == LINE_AGENTSTATUSEX; });
  ASSERT_TRUE(m);
  EXPECT_EQ(m->hDevice, line_);
  EXPECT_EQ(m->dwParam1, kFirstAgent);
  EXPECT_EQ(m->dwParam2, LINEAGENTSTATUSEX_NEWAGENT);
}

TEST_P(AgentFunctions, CreateAgentSessionReturnsTheSessionHandle) {
  HAGENTSESSION session = 0;
  GUID group = kGroups[1].id;
  const LONG id = wide() ? lineCreateAgentSessionW(line_, kFirstAgent, const_cast<LPWSTR>(L"1234"), 1, &group, &session)
                         : lineCreateAgentSessionA(line_, kFirstAgent, const_cast<LPSTR>("1234"), 1, &group, &session);
  EXPECT_EQ(complete(id), 0);
  EXPECT_EQ(session, kFirstSession);
}

TEST_P(AgentFunctions, SetAgentSessionStateAndTheStatusMessage) {
  HAGENTSESSION session = 0;
  GUID group = kGroups[0].id;
  ASSERT_EQ(complete(lineCreateAgentSessionA(line_, kFirstAgent, nullptr, 0, &group, &session)), 0);
  EXPECT_EQ(complete(lineSetAgentSessionState(line_, session, LINEAGENTSESSIONSTATE_READY, 0)), 0);
  const auto m = client_->wait([](const LINEMESSAGE& x) {
    return x.dwMessageID == LINE_AGENTSESSIONSTATUS && x.dwParam2 == LINEAGENTSESSIONSTATUS_STATE;
  });
  ASSERT_TRUE(m);
  EXPECT_EQ(m->hDevice, line_);
  EXPECT_EQ(m->dwCallbackInstance, kInstance);
  EXPECT_EQ(m->dwParam1, session);
  EXPECT_EQ(m->dwParam3, LINEAGENTSESSIONSTATE_READY);

  Out<LINEAGENTSESSIONINFO> info(sizeof(LINEAGENTSESSIONINFO));
  EXPECT_EQ(complete(lineGetAgentSessionInfo(line_, session, info.get())), 0);
  EXPECT_EQ(info->dwAgentSessionState, LINEAGENTSESSIONSTATE_READY);
  EXPECT_EQ(info->dwTotalTalkTime, kTalkTime);
  // Packed members: copy before comparing (EXPECT_EQ binds references).
  const DATE start = info->dateSessionStartTime;
  const LONGLONG rate = info->cyACDCallRate.int64;
  EXPECT_EQ(start, 45000.25);
  EXPECT_EQ(rate, 150000);
  EXPECT_EQ(info->dwNeededSize, sizeof(LINEAGENTSESSIONINFO));
  EXPECT_EQ(info->dwUsedSize, sizeof(LINEAGENTSESSIONINFO));
}

TEST_P(AgentFunctions, GetAgentSessionList) {
  Out<LINEAGENTSESSIONLIST> list;
  EXPECT_EQ(complete(lineGetAgentSessionList(line_, kFirstAgent, list.get())), 0);
  ASSERT_EQ(list->dwNumEntries, 2u);
  ASSERT_EQ(list->dwListSize, 2 * sizeof(LINEAGENTSESSIONENTRY));
  const auto* e = reinterpret_cast<const LINEAGENTSESSIONENTRY*>(list.base() + list->dwListOffset);
  EXPECT_EQ(e[1].hAgentSession, kFirstSession + 1);
  EXPECT_EQ(e[1].hAgent, kFirstAgent);
  EXPECT_EQ(std::memcmp(&e[1].GroupID, &kGroups[1].id, sizeof(GUID)), 0);
  EXPECT_EQ(e[1].dwWorkingAddressID, 1u);
}

TEST_P(AgentFunctions, AgentStateAndMeasurementPeriodShowInAgentInfo) {
  EXPECT_EQ(complete(lineSetAgentStateEx(line_, kFirstAgent, LINEAGENTSTATEEX_READY, 0)), 0);
  const auto m = client_->wait([](const LINEMESSAGE& x) {
    return x.dwMessageID == LINE_AGENTSTATUSEX && x.dwParam2 == LINEAGENTSTATUSEX_STATE;
  });
  ASSERT_TRUE(m);
  EXPECT_EQ(m->dwParam1, kFirstAgent);
  EXPECT_EQ(m->dwParam3, LINEAGENTSTATEEX_READY);
  EXPECT_EQ(complete(lineSetAgentMeasurementPeriod(line_, kFirstAgent, 300)), 0);
  Out<LINEAGENTINFO> info;
  EXPECT_EQ(complete(lineGetAgentInfo(line_, kFirstAgent, info.get())), 0);
  EXPECT_EQ(info->dwAgentState, LINEAGENTSTATEEX_READY);
  EXPECT_EQ(info->dwMeasurementPeriod, 300u);
  EXPECT_EQ(info->dwNumberOfACDCalls, 5u);
}

TEST_P(AgentFunctions, GetGroupListInTheClientsCharset) {
  Out<LINEAGENTGROUPLIST> list;
  EXPECT_EQ(complete(wide() ? lineGetGroupListW(line_, list.get()) : lineGetGroupListA(line_, list.get())), 0);
  EXPECT_EQ(list->dwNumEntries, 3u);
  expect_groups(list.base(), 3, list->dwListSize, list->dwListOffset);
  EXPECT_EQ(list->dwNeededSize, list->dwUsedSize);
}

TEST_P(AgentFunctions, QueueListQueueInfoAndMeasurementPeriod) {
  GUID group = kGroups[0].id;
  Out<LINEQUEUELIST> list;
  EXPECT_EQ(
      complete(wide() ? lineGetQueueListW(line_, &group, list.get()) : lineGetQueueListA(line_, &group, list.get())),
      0);
  ASSERT_EQ(list->dwNumEntries, 2u);
  const auto* e = reinterpret_cast<const LINEQUEUEENTRY*>(list.base() + list->dwListOffset);
  EXPECT_EQ(e[1].dwQueueID, kQueues[1].id);
  expect_text(list.base(), e[1].dwNameSize, e[1].dwNameOffset, kQueues[1].name);

  EXPECT_EQ(complete(lineSetQueueMeasurementPeriod(line_, kQueues[0].id, 120)), 0);
  Out<LINEQUEUEINFO> info;
  EXPECT_EQ(complete(lineGetQueueInfo(line_, kQueues[0].id, info.get())), 0);
  EXPECT_EQ(info->dwMeasurementPeriod, 120u);
  EXPECT_EQ(info->dwTotalCallsQueued, kQueuedCalls);
}

TEST_P(AgentFunctions, GetAgentCapsNeedsNoOpenLine) {
  Out<LINEAGENTCAPS> caps;
  const LONG id = wide() ? lineGetAgentCapsW(client_->handle(), 0, 0, kApiVersion, caps.get())
                         : lineGetAgentCapsA(client_->handle(), 0, 0, kApiVersion, caps.get());
  EXPECT_EQ(complete(id), 0);
  expect_text(caps.base(), caps->dwAgentHandlerInfoSize, caps->dwAgentHandlerInfoOffset, kHandlerInfo);
  EXPECT_EQ(caps->dwNumAgentExtensionIDs, 1u);
  ASSERT_EQ(caps->dwAgentExtensionIDListSize, sizeof(LINEEXTENSIONID));
  EXPECT_EQ(std::memcmp(caps.base() + caps->dwAgentExtensionIDListOffset, &kExtensionId, sizeof kExtensionId), 0);
  EXPECT_EQ(std::memcmp(&caps->ProxyGUID, &kProxyGuid, sizeof(GUID)), 0);
  EXPECT_EQ(caps->dwFeatures, 0x3Fu);
  EXPECT_EQ(caps->dwMaxNumGroupEntries, 3u);
}

TEST_P(AgentFunctions, GetAgentStatus) {
  Out<LINEAGENTSTATUS> status;
  EXPECT_EQ(
      complete(wide() ? lineGetAgentStatusW(line_, 0, status.get()) : lineGetAgentStatusA(line_, 0, status.get())), 0);
  EXPECT_EQ(status->dwNumEntries, 2u);
  expect_groups(status.base(), 2, status->dwGroupListSize, status->dwGroupListOffset);
  EXPECT_EQ(status->dwState, LINEAGENTSTATE_READY);
  EXPECT_EQ(status->dwActivityID, kActivities[0].id);
  expect_text(status.base(), status->dwActivitySize, status->dwActivityOffset, kActivities[0].name);
  EXPECT_EQ(status->dwValidNextStates, LINEAGENTSTATE_WORKINGAFTERCALL);
}

TEST_P(AgentFunctions, GetAgentActivityListAndSetAgentActivity) {
  Out<LINEAGENTACTIVITYLIST> list;
  EXPECT_EQ(complete(wide() ? lineGetAgentActivityListW(line_, 0, list.get())
                            : lineGetAgentActivityListA(line_, 0, list.get())),
            0);
  ASSERT_EQ(list->dwNumEntries, 2u);
  const auto* e = reinterpret_cast<const LINEAGENTACTIVITYENTRY*>(list.base() + list->dwListOffset);
  EXPECT_EQ(e[1].dwID, kActivities[1].id);
  expect_text(list.base(), e[1].dwNameSize, e[1].dwNameOffset, kActivities[1].name);
  EXPECT_EQ(complete(lineSetAgentActivity(line_, 0, kActivities[1].id)), 0);
}

TEST_P(AgentFunctions, GetAgentGroupListAndSetAgentGroup) {
  Out<LINEAGENTGROUPLIST> list;
  EXPECT_EQ(
      complete(wide() ? lineGetAgentGroupListW(line_, 0, list.get()) : lineGetAgentGroupListA(line_, 0, list.get())),
      0);
  expect_groups(list.base(), 3, list->dwListSize, list->dwListOffset);
  // Send two of them back: only the IDs travel (§3.2).
  list->dwNumEntries = 2;
  list->dwListSize = 2 * sizeof(LINEAGENTGROUPENTRY);
  EXPECT_EQ(complete(lineSetAgentGroup(line_, 0, list.get())), 0);
  EXPECT_EQ(proxy_->groups_set(), 2);
  EXPECT_EQ(complete(lineSetAgentGroup(line_, 0, nullptr)), 0);
  EXPECT_EQ(proxy_->groups_set(), 0) << "NULL logs out of all groups";
}

TEST_P(AgentFunctions, SetAgentStateAndTheStatusMessage) {
  EXPECT_EQ(complete(lineSetAgentState(line_, 1, LINEAGENTSTATE_NOTREADY, 0)), 0);
  const auto m = client_->wait([](const LINEMESSAGE& x) { return x.dwMessageID == LINE_AGENTSTATUS; });
  ASSERT_TRUE(m);
  EXPECT_EQ(m->hDevice, line_);
  EXPECT_EQ(m->dwParam1, 1u);
  EXPECT_EQ(m->dwParam2, LINEAGENTSTATUS_STATE);
  EXPECT_EQ(m->dwParam3, LINEAGENTSTATE_NOTREADY);
}

TEST_P(AgentFunctions, AgentSpecificBlockIsInOut) {
  char params[8] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
  EXPECT_EQ(complete(lineAgentSpecific(line_, 0, 0, params, sizeof params)), 0);
  EXPECT_EQ(std::string(params, 8), "hgfedcba");
}

TEST_P(AgentFunctions, OutputIsWrittenOnlyOnSuccess) {
  Out<LINEAGENTSESSIONINFO> info(200);
  std::memset(info.bytes.data() + 4, 0xCD, info.bytes.size() - 4);
  EXPECT_EQ(complete(lineGetAgentSessionInfo(line_, kUnknownSession, info.get())), LINEERR_INVALPARAM);
  EXPECT_EQ(info->dwTotalSize, 200u);
  for (std::size_t i = 4; i < info.bytes.size(); ++i) ASSERT_EQ(info.bytes[i], 0xCD) << "byte " << i;
  EXPECT_EQ(complete(lineSetAgentSessionState(line_, kUnknownSession, LINEAGENTSESSIONSTATE_READY, 0)),
            LINEERR_INVALPARAM);
}

TEST_P(AgentFunctions, TooSmallBuffersComeBackPartialWithTheNeededSize) {
  // Room for the array but not for every name: the names that do not fit are
  // empty, dwNeededSize tells the full size, and a retry with it gets all.
  const DWORD small = sizeof(LINEAGENTGROUPLIST) + 3 * sizeof(LINEAGENTGROUPENTRY) + 2;
  Out<LINEAGENTGROUPLIST> list(small);
  EXPECT_EQ(complete(wide() ? lineGetGroupListW(line_, list.get()) : lineGetGroupListA(line_, list.get())), 0);
  EXPECT_EQ(list->dwTotalSize, small);
  EXPECT_EQ(list->dwNumEntries, 3u);
  EXPECT_GT(list->dwNeededSize, small);
  EXPECT_LE(list->dwUsedSize, small);
  const auto* e = reinterpret_cast<const LINEAGENTGROUPENTRY*>(list.base() + list->dwListOffset);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(e[i].dwNameSize, 0u);
    EXPECT_EQ(e[i].dwNameOffset, 0u);
  }
  Out<LINEAGENTGROUPLIST> retry(list->dwNeededSize);
  EXPECT_EQ(complete(wide() ? lineGetGroupListW(line_, retry.get()) : lineGetGroupListA(line_, retry.get())), 0);
  EXPECT_EQ(retry->dwNeededSize, retry->dwUsedSize);
  expect_groups(retry.base(), 3, retry->dwListSize, retry->dwListOffset);

  // Below the fixed part: refused synchronously.
  Out<LINEAGENTGROUPLIST> tiny(sizeof(LINEAGENTGROUPLIST) - 1);
  EXPECT_EQ(lineGetGroupListA(line_, tiny.get()), LINEERR_STRUCTURETOOSMALL);
  Out<LINEAGENTCAPS> caps(sizeof(LINEAGENTCAPS) - 4);
  EXPECT_EQ(lineGetAgentCapsW(client_->handle(), 0, 0, kApiVersion, caps.get()), LINEERR_STRUCTURETOOSMALL);
  Out<LINEAGENTSESSIONINFO> info(sizeof(LINEAGENTSESSIONINFO) - 1);
  EXPECT_EQ(lineGetAgentSessionInfo(line_, kFirstSession, info.get()), LINEERR_STRUCTURETOOSMALL);
}

TEST_P(AgentFunctions, StatusMessagesFanOutToEveryOpenerWithTheirOwnHandles) {
  App other(!wide());
  ASSERT_EQ(other.init_result(), 0);
  const HLINE other_line = other.open(0, 0x5678);
  ASSERT_NE(other_line, 0u);
  HAGENTSESSION session = 0;
  GUID group = kGroups[0].id;
  ASSERT_EQ(complete(lineCreateAgentSessionA(line_, kFirstAgent, nullptr, 0, &group, &session)), 0);
  ASSERT_EQ(complete(lineSetAgentSessionState(line_, session, LINEAGENTSESSIONSTATE_BUSYONCALL, 0)), 0);
  for (App* app : {client_.get(), &other}) {
    const auto m = app->wait([](const LINEMESSAGE& x) {
      return x.dwMessageID == LINE_AGENTSESSIONSTATUS && x.dwParam2 == LINEAGENTSESSIONSTATUS_STATE;
    });
    ASSERT_TRUE(m);
    EXPECT_EQ(m->hDevice, app == &other ? other_line : line_);
    EXPECT_EQ(m->dwCallbackInstance, app == &other ? DWORD_PTR{0x5678} : kInstance);
    EXPECT_EQ(m->dwParam1, session);
    EXPECT_EQ(m->dwParam3, LINEAGENTSESSIONSTATE_BUSYONCALL);
  }
  // Not on the proxy's own line (§3.3 lineProxyMessage).
  for (const auto& m : proxy_->other_messages()) EXPECT_NE(m.dwMessageID, LINE_AGENTSESSIONSTATUS);
}

INSTANTIATE_TEST_SUITE_P(Charsets, AgentFunctions,
                         testing::Values(Charsets{false, false}, Charsets{false, true}, Charsets{true, false},
                                         Charsets{true, true}),
                         name_of);

}  // namespace
}  // namespace tapi2_test
