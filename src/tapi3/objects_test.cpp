// ITAgentHandler, ITAgent, ITACDGroup, ITQueue and the non-seed methods of
// ITAgentSession: documented codes, the TAPI 2 call each one wraps, identity.
#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

class ObjectsTest : public TapiTest {
 protected:
  void SetUp() override {
    TapiTest::SetUp();
    initialize();
    handler_ = handler();
    ASSERT_TRUE(handler_);
  }
  void TearDown() override {
    handler_.reset();
    TapiTest::TearDown();
  }
  Ref<ITAgentHandler> handler_;
};

IUnknown* identity(IUnknown* p) {
  IUnknown* u = nullptr;
  p->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&u));
  u->Release();
  return u;
}

TEST_F(ObjectsTest, CreateAgentUsesTheOsLoginWithoutIdOrPin) {
  Ref<ITAgent> a;
  EXPECT_EQ(handler_->CreateAgent(nullptr), E_POINTER);
  ASSERT_EQ(handler_->CreateAgent(a.out()), S_OK);
  const auto calls = fake_->calls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().function, "create_agent");
  EXPECT_FALSE(calls.back().id_text);
  EXPECT_FALSE(calls.back().pin);
  EXPECT_EQ(calls.back().line, line_of(0));  // the handler's first line (docs/reference/flows.md §2.3)
  BSTR id = nullptr;
  EXPECT_EQ(a->get_ID(&id), TAPI_E_CALLCENTER_NO_AGENT_ID);
  BSTR user = nullptr;
  EXPECT_EQ(a->get_User(&user), S_OK);
  EXPECT_EQ(to_string(user), process_user_name());
  EXPECT_EQ(a->get_User(nullptr), E_POINTER);
  AGENT_STATE state{};
  EXPECT_EQ(a->get_State(&state), S_OK);
  EXPECT_EQ(state, AS_UNKNOWN);  // until the proxy reports (docs/reference/flows.md §4.3)
}

TEST_F(ObjectsTest, CreateAgentWithIdPassesIdAndPin) {
  BSTR id = SysAllocString(L"4711");
  BSTR pin = SysAllocString(L"0000");
  Ref<ITAgent> a;
  EXPECT_EQ(handler_->CreateAgentWithID(id, nullptr, a.out()), E_INVALIDARG);
  EXPECT_EQ(handler_->CreateAgentWithID(id, pin, nullptr), E_POINTER);
  EXPECT_EQ(fake_->count("create_agent"), 0);
  ASSERT_EQ(handler_->CreateAgentWithID(id, pin, a.out()), S_OK);
  const auto calls = fake_->calls();
  EXPECT_EQ(calls.back().id_text, std::wstring(L"4711"));
  EXPECT_EQ(calls.back().pin, std::wstring(L"0000"));
  BSTR got = nullptr;
  EXPECT_EQ(a->get_ID(&got), S_OK);
  EXPECT_EQ(to_string(got), L"4711");
  SysFreeString(id);
  SysFreeString(pin);
}

TEST_F(ObjectsTest, CreateAgentPassesLineErrorsThrough) {
  Ref<ITAgent> a;
  fake_->set_policy("create_agent", {FakeTapi2::Mode::kSyncError, LINEERR_OPERATIONUNAVAIL});
  EXPECT_EQ(handler_->CreateAgent(a.out()), static_cast<HRESULT>(LINEERR_OPERATIONUNAVAIL));
  fake_->set_policy("create_agent", {FakeTapi2::Mode::kReplyError, LINEERR_INVALAGENTID});
  BSTR empty = SysAllocString(L"");
  EXPECT_EQ(handler_->CreateAgentWithID(empty, empty, a.out()), static_cast<HRESULT>(0x80000057));
  EXPECT_FALSE(a);
  SysFreeString(empty);
}

TEST_F(ObjectsTest, GroupsAndQueuesComeFromTheProxyWithStableIdentity) {
  Ref<IEnumACDGroup> e;
  ASSERT_EQ(handler_->EnumerateACDGroups(e.out()), S_OK);
  ITACDGroup* groups[3] = {};
  ULONG fetched = 0;
  EXPECT_EQ(e->Next(3, groups, &fetched), S_FALSE);
  ASSERT_EQ(fetched, 2u);
  Ref<ITACDGroup> sales(groups[0]), support(groups[1]);
  BSTR name = nullptr;
  EXPECT_EQ(sales->get_Name(&name), S_OK);
  EXPECT_EQ(to_string(name), L"Sales");
  EXPECT_EQ(support->get_Name(&name), S_OK);
  EXPECT_EQ(to_string(name), L"Support");
  auto again = group(handler_.get(), 0);
  EXPECT_EQ(identity(again.get()), identity(sales.get()));  // one object per group

  VARIANT v;
  ASSERT_EQ(handler_->get_ACDGroups(&v), S_OK);
  LONG count = 0;
  query<ITCollection>(v.pdispVal, IID_ITCollection)->get_Count(&count);
  EXPECT_EQ(count, 2);
  VariantClear(&v);

  Ref<IEnumQueue> qe;
  ASSERT_EQ(sales->EnumerateQueues(qe.out()), S_OK);
  Ref<ITQueue> queue;
  ASSERT_EQ(qe->Next(1, queue.out(), nullptr), S_OK);
  EXPECT_EQ(queue->get_Name(&name), S_OK);
  EXPECT_EQ(to_string(name), L"Sales queue");
  EXPECT_EQ(fake_->calls().back().function, "get_queue_list");
  EXPECT_TRUE(IsEqualGUID(fake_->calls().back().group, kGroupSales));
  ASSERT_EQ(sales->get_Queues(&v), S_OK);
  VariantClear(&v);
  EXPECT_EQ(sales->EnumerateQueues(nullptr), E_POINTER);
}

TEST_F(ObjectsTest, GroupListErrorsPassThroughAndTimeOut) {
  fake_->set_policy("get_group_list", {FakeTapi2::Mode::kReplyError, LINEERR_OPERATIONFAILED});
  Ref<IEnumACDGroup> e;
  EXPECT_EQ(handler_->EnumerateACDGroups(e.out()), static_cast<HRESULT>(LINEERR_OPERATIONFAILED));
}

TEST_F(ObjectsTest, SessionKnowsItsAgentAddressAndGroup) {
  Ref<ITAgent> a;
  ASSERT_EQ(handler_->CreateAgent(a.out()), S_OK);
  auto g = group(handler_.get(), 1);
  auto addr = address(handler_.get(), 1);
  Ref<ITAgentSession> s;
  ASSERT_EQ(a->CreateSession(g.get(), addr.get(), s.out()), S_OK);
  const auto create = fake_->calls().back();
  EXPECT_EQ(create.function, "create_agent_session");
  EXPECT_EQ(create.line, line_of(1));  // the line of the session's address
  EXPECT_EQ(create.value, 0u);         // address ID on that line
  EXPECT_TRUE(IsEqualGUID(create.group, kGroupSupport));
  EXPECT_FALSE(create.pin);

  Ref<ITAgent> owner;
  EXPECT_EQ(s->get_Agent(owner.out()), S_OK);
  EXPECT_EQ(identity(owner.get()), identity(a.get()));
  Ref<ITAddress> where;
  EXPECT_EQ(s->get_Address(where.out()), S_OK);
  EXPECT_EQ(identity(where.get()), identity(addr.get()));
  Ref<ITACDGroup> which;
  EXPECT_EQ(s->get_ACDGroup(which.out()), S_OK);
  EXPECT_EQ(identity(which.get()), identity(g.get()));
  AGENT_SESSION_STATE state{};
  EXPECT_EQ(s->get_State(&state), S_OK);
  EXPECT_EQ(state, ASST_NOT_READY);  // initial state (docs/reference/flows.md §4.1)
  EXPECT_EQ(s->get_State(nullptr), E_POINTER);
  EXPECT_EQ(s->get_Agent(nullptr), E_POINTER);
}

TEST_F(ObjectsTest, CreateSessionRejectsWhatIsNotAGroupOrAUsableAddress) {
  Ref<ITAgent> a;
  ASSERT_EQ(handler_->CreateAgent(a.out()), S_OK);
  auto g = group(handler_.get());
  auto addr = address(handler_.get());
  Ref<ITAgentSession> s;
  EXPECT_EQ(a->CreateSession(g.get(), addr.get(), nullptr), E_POINTER);
  EXPECT_EQ(a->CreateSession(nullptr, addr.get(), s.out()), E_INVALIDARG);
  EXPECT_EQ(a->CreateSession(g.get(), nullptr, s.out()), E_INVALIDARG);
  // An address passed as a group, a group passed as an address.
  EXPECT_EQ(a->CreateSession(reinterpret_cast<ITACDGroup*>(addr.get()), addr.get(), s.out()), E_INVALIDARG);
  EXPECT_EQ(a->CreateSession(g.get(), reinterpret_cast<ITAddress*>(g.get()), s.out()), E_INVALIDARG);
  EXPECT_EQ(fake_->count("create_agent_session"), 0);
}

TEST_F(ObjectsTest, CreateSessionRejectsAnAddressOfAnotherHandlersLine) {
  TearDown();
  fake_ = std::make_shared<FakeTapi2>();
  fake_->num_devices = 3;
  fake_->served_devices = {0, 1};
  SetUp();
  Ref<ITAgent> a;
  ASSERT_EQ(handler_->CreateAgent(a.out()), S_OK);
  Ref<IEnumAddress> all;
  ASSERT_EQ(tapi_->EnumerateAddresses(all.out()), S_OK);
  ASSERT_EQ(all->Skip(2), S_OK);
  Ref<ITAddress> unserved;  // line 2: no proxy
  ASSERT_EQ(all->Next(1, unserved.out(), nullptr), S_OK);
  Ref<ITAgentSession> s;
  EXPECT_EQ(a->CreateSession(group(handler_.get()).get(), unserved.get(), s.out()), E_INVALIDARG);
}

TEST_F(ObjectsTest, CreateSessionWithPinNeedsAnAgentWithId) {
  Ref<ITAgent> plain;
  ASSERT_EQ(handler_->CreateAgent(plain.out()), S_OK);
  auto g = group(handler_.get());
  auto addr = address(handler_.get());
  BSTR pin = SysAllocString(L"1234");
  Ref<ITAgentSession> s;
  EXPECT_EQ(plain->CreateSessionWithPIN(g.get(), addr.get(), pin, s.out()), TAPI_E_CALLCENTER_NO_AGENT_ID);
  EXPECT_EQ(plain->CreateSessionWithPIN(g.get(), addr.get(), nullptr, s.out()), E_INVALIDARG);
  EXPECT_EQ(plain->CreateSessionWithPIN(g.get(), addr.get(), pin, nullptr), E_POINTER);

  Ref<ITAgent> legacy;
  BSTR id = SysAllocString(L"17");
  ASSERT_EQ(handler_->CreateAgentWithID(id, pin, legacy.out()), S_OK);
  ASSERT_EQ(legacy->CreateSessionWithPIN(g.get(), addr.get(), pin, s.out()), S_OK);
  EXPECT_EQ(fake_->calls().back().pin, std::wstring(L"1234"));
  SysFreeString(pin);
  SysFreeString(id);
}

TEST_F(ObjectsTest, EnumeratesCurrentSessionsWithTheSameObjects) {
  Ref<ITAgent> a;
  ASSERT_EQ(handler_->CreateAgent(a.out()), S_OK);
  auto sales = group(handler_.get(), 0);
  auto support = group(handler_.get(), 1);
  auto addr = address(handler_.get());
  Ref<ITAgentSession> s1, s2;
  ASSERT_EQ(a->CreateSession(sales.get(), addr.get(), s1.out()), S_OK);
  ASSERT_EQ(a->CreateSession(support.get(), addr.get(), s2.out()), S_OK);
  Ref<IEnumAgentSession> e;
  ASSERT_EQ(a->EnumerateAgentSessions(e.out()), S_OK);
  ITAgentSession* got[3] = {};
  ULONG fetched = 0;
  EXPECT_EQ(e->Next(3, got, &fetched), S_FALSE);
  ASSERT_EQ(fetched, 2u);
  EXPECT_EQ(identity(got[0]), identity(s1.get()));
  EXPECT_EQ(identity(got[1]), identity(s2.get()));
  got[0]->Release();
  got[1]->Release();

  // An ended session is no longer current (docs/reference/flows.md §4.2).
  ASSERT_EQ(s1->put_State(ASST_SESSION_ENDED), S_OK);
  VARIANT v;
  ASSERT_EQ(a->get_AgentSessions(&v), S_OK);
  LONG count = 0;
  query<ITCollection>(v.pdispVal, IID_ITCollection)->get_Count(&count);
  EXPECT_EQ(count, 1);
  VariantClear(&v);
}

TEST_F(ObjectsTest, AgentPutStateWrapsSetAgentStateEx) {
  Ref<ITAgent> a;
  ASSERT_EQ(handler_->CreateAgent(a.out()), S_OK);
  auto* sink = advise(TE_AGENT);
  EXPECT_EQ(a->put_State(AS_UNKNOWN), E_INVALIDARG);
  EXPECT_EQ(call_with_raw_enum(a.get(), &ITAgent::put_State, 6), E_INVALIDARG);
  EXPECT_EQ(call_with_raw_enum(a.get(), &ITAgent::put_State, -1), E_INVALIDARG);
  EXPECT_EQ(fake_->count("set_agent_state_ex"), 0);
  ASSERT_EQ(a->put_State(AS_READY), S_OK);
  const auto call = fake_->calls().back();
  EXPECT_EQ(call.function, "set_agent_state_ex");
  EXPECT_EQ(call.value, LINEAGENTSTATEEX_READY);
  ASSERT_TRUE(sink->wait_for(1));
  AGENT_STATE state{};
  EXPECT_EQ(a->get_State(&state), S_OK);
  EXPECT_EQ(state, AS_READY);
  EXPECT_EQ(sink->events()[0].code, AE_READY);
  EXPECT_EQ(sink->events()[0].object, identity(a.get()));

  fake_->set_policy("set_agent_state_ex", {FakeTapi2::Mode::kReplyError, LINEERR_INVALAGENTSTATE});
  EXPECT_EQ(a->put_State(AS_BUSY_INCOMING), static_cast<HRESULT>(0x8000005A));
}

TEST_F(ObjectsTest, MeasurementPeriodZeroIsRejectedNegativeIsPassedAsDword) {
  Ref<ITAgent> a;
  ASSERT_EQ(handler_->CreateAgent(a.out()), S_OK);
  EXPECT_EQ(a->put_MeasurementPeriod(0), E_INVALIDARG);
  EXPECT_EQ(fake_->count("set_agent_measurement_period"), 0);
  ASSERT_EQ(a->put_MeasurementPeriod(-1), S_OK);
  EXPECT_EQ(fake_->calls().back().value, 0xFFFFFFFFu);
  ASSERT_EQ(a->put_MeasurementPeriod(3600), S_OK);
  LONG period = 0;
  EXPECT_EQ(a->get_MeasurementPeriod(&period), S_OK);
  EXPECT_EQ(period, 3600);
  fake_->set_policy("set_agent_measurement_period", {FakeTapi2::Mode::kReplyError, LINEERR_INVALPARAM});
  EXPECT_EQ(a->put_MeasurementPeriod(60), static_cast<HRESULT>(LINEERR_INVALPARAM));

  auto sales = group(handler_.get());
  Ref<IEnumQueue> qe;
  ASSERT_EQ(sales->EnumerateQueues(qe.out()), S_OK);
  Ref<ITQueue> q;
  ASSERT_EQ(qe->Next(1, q.out(), nullptr), S_OK);
  EXPECT_EQ(q->put_MeasurementPeriod(0), E_INVALIDARG);
  EXPECT_EQ(fake_->count("set_queue_measurement_period"), 0);
  ASSERT_EQ(q->put_MeasurementPeriod(-5), S_OK);
  EXPECT_EQ(fake_->calls().back().value, 0xFFFFFFFBu);
  EXPECT_EQ(fake_->calls().back().handle, kQueueSales);
}

TEST_F(ObjectsTest, EveryObjectAnswersQueryInterfaceForItsInterfaces) {
  Ref<ITAgent> a;
  auto s = session(&a);
  ASSERT_TRUE(s);
  auto g = group(handler_.get());
  EXPECT_TRUE(query<ITAgentHandler>(handler_.get(), IID_IDispatch));
  EXPECT_TRUE(query<ITAgent>(a.get(), IID_ITAgent));
  EXPECT_TRUE(query<ITAgentSession>(s.get(), IID_ITAgentSession));
  EXPECT_TRUE(query<ITACDGroup>(g.get(), IID_ITACDGroup));
  EXPECT_FALSE(query<ITAgent>(s.get(), IID_ITAgent));
  EXPECT_EQ(a->QueryInterface(IID_ITAgent, nullptr), E_POINTER);
  DISPID id = 0;
  LPOLESTR names[1] = {const_cast<LPOLESTR>(L"State")};
  EXPECT_EQ(query<IDispatch>(s.get(), IID_IDispatch)->GetIDsOfNames(IID_IUnknown, names, 1, 0, &id),
            DISP_E_UNKNOWNNAME);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
