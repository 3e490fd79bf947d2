// Event delivery (docs/reference/tapi3-callcenter.md §5.3, docs/reference/flows.md §7): the filter, one
// event per meaningful bit in table order, identity of the objects, one
// library thread, groups/queues/handlers found by re-reading, sinks that
// release the TAPI object from inside Event().
#include <atomic>
#include <thread>

#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

IUnknown* identity(IUnknown* p) {
  IUnknown* u = nullptr;
  p->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&u));
  u->Release();
  return u;
}

constexpr LONG kCallCenterEvents = TE_AGENT | TE_AGENTSESSION | TE_AGENTHANDLER | TE_ACDGROUP | TE_QUEUE;

using Events = TapiTest;

TEST_F(Events, NothingIsDeliveredWithoutAnEventFilter) {
  initialize();
  auto* sink = advise(0);
  auto s = session();
  ASSERT_TRUE(s);
  ASSERT_EQ(s->put_State(ASST_READY), S_OK);
  ASSERT_TRUE(settle());
  EXPECT_TRUE(sink->events().empty());
}

TEST_F(Events, OnlyTheCategoriesInTheFilterArrive) {
  initialize();
  auto* sink = advise(TE_AGENT);
  Ref<ITAgent> a;
  auto s = session(&a);
  ASSERT_EQ(s->put_State(ASST_READY), S_OK);  // TE_AGENTSESSION: filtered out
  ASSERT_EQ(a->put_State(AS_READY), S_OK);    // TE_AGENT
  ASSERT_TRUE(sink->wait_for(1));
  ASSERT_TRUE(settle());
  ASSERT_EQ(sink->events().size(), 1u);
  EXPECT_EQ(sink->events()[0].kind, TE_AGENT);
  // The cache is updated whatever the filter says.
  AGENT_SESSION_STATE state{};
  EXPECT_EQ(s->get_State(&state), S_OK);
  EXPECT_EQ(state, ASST_READY);
}

TEST_F(Events, SessionEventsCarryTheObjectTheProgramHolds) {
  initialize();
  auto* sink = advise(kCallCenterEvents);
  auto s = session();
  ASSERT_TRUE(s);
  ASSERT_EQ(s->put_State(ASST_READY), S_OK);
  ASSERT_EQ(s->put_State(ASST_BUSY_ON_CALL), S_OK);
  ASSERT_EQ(s->put_State(ASST_BUSY_WRAPUP), S_OK);
  ASSERT_EQ(s->put_State(ASST_SESSION_ENDED), S_OK);
  ASSERT_TRUE(sink->wait_for(5));
  const auto events = sink->events();
  const int expected[] = {ASE_NEW_SESSION, ASE_READY, ASE_BUSY, ASE_WRAPUP, ASE_END};
  ASSERT_EQ(events.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(events[i].kind, TE_AGENTSESSION);
    EXPECT_EQ(events[i].code, expected[i]) << i;
    EXPECT_EQ(events[i].object, identity(s.get())) << i;
  }
}

TEST_F(Events, OneEventPerMeaningfulBitInTableOrder) {
  initialize();
  auto s = session();
  auto* sink = advise(kCallCenterEvents);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession,
              LINEAGENTSESSIONSTATUS_UPDATEINFO | LINEAGENTSESSIONSTATUS_STATE | LINEAGENTSESSIONSTATUS_NEWSESSION,
              LINEAGENTSESSIONSTATE_BUSYONCALL);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession, LINEAGENTSESSIONSTATUS_UPDATEINFO, 0);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession, LINEAGENTSESSIONSTATUS_STATE,
              LINEAGENTSESSIONSTATE_RELEASED);
  ASSERT_TRUE(sink->wait_for(3));
  ASSERT_TRUE(settle());
  const auto events = sink->events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].code, ASE_NEW_SESSION);
  EXPECT_EQ(events[1].code, ASE_BUSY);
  EXPECT_EQ(events[2].code, ASE_END);  // RELEASED reads as ended
  AGENT_SESSION_STATE state{};
  EXPECT_EQ(s->get_State(&state), S_OK);
  EXPECT_EQ(state, ASST_SESSION_ENDED);
}

TEST_F(Events, AgentStatusRaisesStateEventsOnly) {
  initialize();
  auto a = agent();
  auto* sink = advise(kCallCenterEvents);
  fake_->post(LINE_AGENTSTATUSEX, line_of(0), kFirstAgent, LINEAGENTSTATUSEX_NEWAGENT, 0);
  fake_->post(LINE_AGENTSTATUSEX, line_of(0), kFirstAgent, LINEAGENTSTATUSEX_UPDATEINFO, 0);
  fake_->post(LINE_AGENTSTATUSEX, line_of(0), kFirstAgent, LINEAGENTSTATUSEX_STATE, LINEAGENTSTATEEX_BUSYACD);
  fake_->post(LINE_AGENTSTATUSEX, line_of(0), kFirstAgent, LINEAGENTSTATUSEX_STATE, LINEAGENTSTATEEX_RELEASED);
  ASSERT_TRUE(sink->wait_for(2));
  ASSERT_TRUE(settle());
  const auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].code, AE_BUSY_ACD);
  EXPECT_EQ(events[1].code, AE_UNKNOWN);
  EXPECT_EQ(events[1].object, identity(a.get()));
  AGENT_STATE state{};
  EXPECT_EQ(a->get_State(&state), S_OK);
  EXPECT_EQ(state, AS_UNKNOWN);
}

TEST_F(Events, StatusForSomeoneElsesSessionIsIgnored) {
  initialize();
  auto s = session();
  auto* sink = advise(kCallCenterEvents);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), 0x9999, LINEAGENTSESSIONSTATUS_STATE, LINEAGENTSESSIONSTATE_READY);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession, LINEAGENTSESSIONSTATUS_STATE,
              LINEAGENTSESSIONSTATE_READY);
  ASSERT_TRUE(sink->wait_for(1));
  ASSERT_TRUE(settle());
  EXPECT_EQ(sink->events().size(), 1u);
}

TEST_F(Events, NewSessionAnnouncedBeforeTheReplyStillNamesTheSameObject) {
  initialize();
  auto* sink = advise(kCallCenterEvents);
  fake_->status_before_reply = true;
  auto s = session();
  ASSERT_TRUE(s);
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(sink->events()[0].code, ASE_NEW_SESSION);
  EXPECT_EQ(sink->events()[0].object, identity(s.get()));
}

TEST_F(Events, AllEventsComeFromOneLibraryThread) {
  initialize();
  auto* sink = advise(kCallCenterEvents);
  std::atomic<bool> same_thread{true};
  std::thread::id first;
  std::mutex mu;
  sink->on_event = [&](TAPI_EVENT, IDispatch*) {
    std::lock_guard lock(mu);
    if (first == std::thread::id()) first = std::this_thread::get_id();
    if (first != std::this_thread::get_id()) same_thread = false;
  };
  Ref<ITAgent> a;
  auto s = session(&a);
  ASSERT_EQ(s->put_State(ASST_READY), S_OK);
  ASSERT_EQ(a->put_State(AS_READY), S_OK);
  ASSERT_TRUE(sink->wait_for(3));
  ASSERT_EQ(tapi_->Shutdown(), S_OK);  // joins the event thread: on_event's captures stay valid
  EXPECT_TRUE(same_thread.load());
  EXPECT_NE(sink->thread(), std::this_thread::get_id());
}

TEST_F(Events, UnadvisedSinksHearNothingMoreAndOtherSinksStillDo) {
  initialize();
  auto* first = advise(kCallCenterEvents);
  const DWORD first_cookie = cookie_;
  auto* second = advise(kCallCenterEvents);
  auto s = session();
  ASSERT_TRUE(first->wait_for(1));
  ASSERT_TRUE(second->wait_for(1));
  first->AddRef();  // keep it to read it after Unadvise
  auto cpc = query<IConnectionPointContainer>(tapi_.get(), IID_IConnectionPointContainer);
  Ref<IConnectionPoint> cp;
  ASSERT_EQ(cpc->FindConnectionPoint(IID_ITTAPIEventNotification, cp.out()), S_OK);
  ASSERT_EQ(cp->Unadvise(first_cookie), S_OK);
  ASSERT_EQ(s->put_State(ASST_READY), S_OK);
  ASSERT_TRUE(second->wait_for(2));
  ASSERT_TRUE(settle());
  EXPECT_EQ(first->events().size(), 1u);
  first->Release();
}

TEST_F(Events, GroupsAddedAndRemovedAreFoundByReReadingTheList) {
  initialize();
  auto h = handler();
  auto sales = group(h.get(), 0);  // the program has seen the groups
  auto* sink = advise(kCallCenterEvents);
  const GUID training = {0xA0000003, 0, 0, {0, 0, 0, 0, 0, 0, 0, 3}};
  fake_->add_group(training, L"Training");
  fake_->post(LINE_GROUPSTATUS, line_of(0), 0, LINEGROUPSTATUS_NEWGROUP, 0);
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(sink->events()[0].kind, TE_ACDGROUP);
  EXPECT_EQ(sink->events()[0].code, ACDGE_NEW_GROUP);
  auto third = group(h.get(), 2);
  ASSERT_TRUE(third);
  EXPECT_EQ(sink->events()[0].object, identity(third.get()));

  fake_->remove_group(kGroupSales);
  fake_->post(LINE_GROUPSTATUS, line_of(0), 0, LINEGROUPSTATUS_GROUPREMOVED, 0);
  ASSERT_TRUE(sink->wait_for(2));
  EXPECT_EQ(sink->events()[1].code, ACDGE_GROUP_REMOVED);
  EXPECT_EQ(sink->events()[1].object, identity(sales.get()));
  Ref<IEnumQueue> queues;
  EXPECT_EQ(sales->EnumerateQueues(queues.out()), TAPI_E_CALLCENTER_GROUP_REMOVED);
  BSTR name = nullptr;
  EXPECT_EQ(sales->get_Name(&name), S_OK);  // a removed group keeps its name
  EXPECT_EQ(to_string(name), L"Sales");
}

TEST_F(Events, EventsWaitingForAReReadKeepTheirPlace) {
  initialize();
  auto h = handler();
  auto g = group(h.get());
  auto s = session();
  auto* sink = advise(kCallCenterEvents);
  fake_->set_policy("get_group_list", {FakeTapi2::Mode::kHold, 0});
  fake_->add_group({0xA0000004, 0, 0, {4}}, L"Escalations");
  fake_->post(LINE_GROUPSTATUS, line_of(0), 0, LINEGROUPSTATUS_NEWGROUP, 0);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession, LINEAGENTSESSIONSTATUS_STATE,
              LINEAGENTSESSIONSTATE_READY);
  const auto call = fake_->wait_call("get_group_list");
  ASSERT_TRUE(call);
  ASSERT_TRUE(settle());
  EXPECT_TRUE(sink->events().empty());  // the session event waits behind the group event
  fake_->complete(call->id);
  ASSERT_TRUE(sink->wait_for(2));
  EXPECT_EQ(sink->events()[0].kind, TE_ACDGROUP);
  EXPECT_EQ(sink->events()[1].kind, TE_AGENTSESSION);
}

TEST_F(Events, QueuesAddedAndRemoved) {
  initialize();
  auto h = handler();
  auto sales = group(h.get(), 0);
  Ref<IEnumQueue> qe;
  ASSERT_EQ(sales->EnumerateQueues(qe.out()), S_OK);
  Ref<ITQueue> known;
  ASSERT_EQ(qe->Next(1, known.out(), nullptr), S_OK);
  auto* sink = advise(kCallCenterEvents);
  fake_->add_queue(kGroupSales, 777, L"Overflow");
  fake_->post(LINE_QUEUESTATUS, line_of(0), 777, LINEQUEUESTATUS_NEWQUEUE, 0);
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(sink->events()[0].kind, TE_QUEUE);
  EXPECT_EQ(sink->events()[0].code, ACDQE_NEW_QUEUE);
  auto q = query<ITQueue>(sink->events()[0].object, IID_ITQueue);
  ASSERT_TRUE(q);
  BSTR name = nullptr;
  ASSERT_EQ(q->get_Name(&name), S_OK);  // found by re-reading the queue lists
  EXPECT_EQ(to_string(name), L"Overflow");

  fake_->post(LINE_QUEUESTATUS, line_of(0), kQueueSales, LINEQUEUESTATUS_QUEUEREMOVED, 0);
  ASSERT_TRUE(sink->wait_for(2));
  EXPECT_EQ(sink->events()[1].code, ACDQE_QUEUE_REMOVED);
  EXPECT_EQ(sink->events()[1].object, identity(known.get()));
  LONG v = 0;
  EXPECT_EQ(known->get_TotalCallsQueued(&v), TAPI_E_CALLCENTER_QUEUE_REMOVED);
  EXPECT_EQ(known->put_MeasurementPeriod(60), TAPI_E_CALLCENTER_QUEUE_REMOVED);
}

TEST_F(Events, AgentHandlersAppearAndGoWithTheirProxy) {
  fake_->num_devices = 2;
  fake_->served_devices = {0};
  initialize();
  auto* sink = advise(kCallCenterEvents);
  const GUID other = {0x77777777, 0, 0, {7, 7, 7, 7, 7, 7, 7, 7}};
  fake_->proxy_guid = other;
  fake_->served_devices = {0, 1};
  fake_->post(LINE_PROXYSTATUS, line_of(1), LINEPROXYSTATUS_OPEN, LINEPROXYREQUEST_CREATEAGENT, 0);
  fake_->post(LINE_PROXYSTATUS, line_of(1), LINEPROXYSTATUS_ALLOPENFORACD, 0, 0);
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(sink->events()[0].kind, TE_AGENTHANDLER);
  EXPECT_EQ(sink->events()[0].code, AHE_NEW_AGENTHANDLER);
  auto second = handler(1);
  ASSERT_TRUE(second);
  EXPECT_EQ(sink->events()[0].object, identity(second.get()));

  fake_->post(LINE_PROXYSTATUS, line_of(1), LINEPROXYSTATUS_CLOSE, LINEPROXYREQUEST_GETQUEUEINFO, 0);
  ASSERT_TRUE(sink->wait_for(2));
  EXPECT_EQ(sink->events()[1].code, AHE_AGENTHANDLER_REMOVED);
  EXPECT_EQ(sink->events()[1].object, identity(second.get()));
  EXPECT_FALSE(handler(1));
  EXPECT_TRUE(handler(0));
}

TEST_F(Events, ASinkMayReleaseTheTapiObjectFromInsideEvent) {
  initialize();
  auto* sink = advise(kCallCenterEvents);
  auto s = session();
  ASSERT_TRUE(sink->wait_for(1));
  // Shared with the event thread, which may outlive this test body.
  auto released = std::make_shared<std::atomic<int>>(0);
  ITTAPI* raw = tapi_.get();
  raw->AddRef();
  tapi_.reset();  // the sink's reference is now the last one
  // Only the event put_State causes releases it: earlier events of the
  // session's creation may still be on their way to the sink.
  sink->on_event = [released, raw](TAPI_EVENT kind, IDispatch* event) {
    if (kind != TE_AGENTSESSION || event == nullptr) return;
    ITAgentSessionEvent* session_event = nullptr;
    if (FAILED(event->QueryInterface(IID_ITAgentSessionEvent, reinterpret_cast<void**>(&session_event)))) return;
    AGENT_SESSION_EVENT code = ASE_NEW_SESSION;
    session_event->get_Event(&code);
    session_event->Release();
    if (code != ASE_READY) return;
    int expected = 0;
    if (released->compare_exchange_strong(expected, 1)) {
      raw->Release();  // the TAPI object goes: Shutdown runs on the event thread
      *released = 2;
    }
  };
  // The status message (and so the release) may be processed before the
  // LINE_REPLY: then Shutdown ends the wait first, as docs/reference/flows.md §3.4 says.
  const HRESULT ready = s->put_State(ASST_READY);
  EXPECT_TRUE(ready == S_OK || ready == TAPI_E_NOT_INITIALIZED) << std::hex << ready;
  ASSERT_TRUE(eventually([&] { return released->load() == 2; }));
  EXPECT_EQ(s->put_State(ASST_NOT_READY), TAPI_E_NOT_INITIALIZED);
  s.reset();
  // The event thread finishes the release after the sink returns.
  EXPECT_TRUE(eventually([] { return live_object_count() == 0 && live_engine_count() == 0; }));
}

TEST_F(Events, ASlowSinkDoesNotHoldUpRequests) {
  initialize();
  auto* sink = advise(kCallCenterEvents);
  std::atomic<bool> slow{true};
  sink->on_event = [&](TAPI_EVENT, IDispatch*) {
    while (slow) std::this_thread::sleep_for(1ms);
  };
  auto s = session();  // ASE_NEW_SESSION now blocks the event thread
  const auto t0 = Clock::now();
  for (int i = 0; i < 10; ++i) ASSERT_EQ(s->put_State(i % 2 == 0 ? ASST_READY : ASST_NOT_READY), S_OK);
  EXPECT_LT(Clock::now() - t0, 2s);
  slow = false;
  ASSERT_TRUE(sink->wait_for(11));
  ASSERT_EQ(tapi_->Shutdown(), S_OK);  // joins the event thread before `slow` goes
}

}  // namespace
}  // namespace opentapi::tapi3::testing
