// The TAPI object: COM creation, identity, Initialize/Shutdown, handler and
// address discovery (docs/reference/flows.md §2.2, §2.3), connection points, objects that
// outlive Shutdown.
#include <thread>

#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

using TapiObjectTest = TapiTest;

TEST_F(TapiObjectTest, CoCreateInstanceMakesTheTapiObjectTheWindowsWay) {
  set_default_fake(fake_);
  EXPECT_EQ(CoInitializeEx(nullptr, COINIT_MULTITHREADED), S_OK);
  EXPECT_EQ(CoInitializeEx(nullptr, COINIT_MULTITHREADED), S_FALSE);
  EXPECT_EQ(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED), RPC_E_CHANGED_MODE);
  ITTAPI* tapi = nullptr;
  ASSERT_EQ(CoCreateInstance(CLSID_TAPI, nullptr, CLSCTX_INPROC_SERVER, IID_ITTAPI, reinterpret_cast<void**>(&tapi)),
            S_OK);
  ASSERT_NE(tapi, nullptr);
  EXPECT_EQ(tapi->Initialize(), S_OK);
  EXPECT_EQ(tapi->Shutdown(), S_OK);
  EXPECT_EQ(tapi->Release(), 0u);

  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(CoCreateInstance(IID_ITAgent, nullptr, CLSCTX_INPROC_SERVER, IID_ITTAPI, &p), REGDB_E_CLASSNOTREG);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(CoCreateInstance(CLSID_TAPI, reinterpret_cast<IUnknown*>(tapi), CLSCTX_INPROC_SERVER, IID_ITTAPI, &p),
            CLASS_E_NOAGGREGATION);
  EXPECT_EQ(CoCreateInstance(CLSID_TAPI, nullptr, CLSCTX_LOCAL_SERVER, IID_ITTAPI, &p), REGDB_E_CLASSNOTREG);
  EXPECT_EQ(CoCreateInstance(CLSID_TAPI, nullptr, CLSCTX_ALL, IID_ITAgent, &p), E_NOINTERFACE);
  EXPECT_EQ(CoCreateInstance(CLSID_TAPI, nullptr, CLSCTX_ALL, IID_ITTAPI, nullptr), E_POINTER);
  CoUninitialize();
  CoUninitialize();
  EXPECT_EQ(CoInitialize(nullptr), S_OK);  // apartment model now accepted: the thread was uninitialized
  CoUninitialize();
  set_default_fake(nullptr);
}

TEST_F(TapiObjectTest, OneIdentityForAllItsInterfaces) {
  create();
  auto unknown = query<IUnknown>(tapi_.get(), IID_IUnknown);
  auto cc = query<ITTAPICallCenter>(tapi_.get(), IID_ITTAPICallCenter);
  auto cpc = query<IConnectionPointContainer>(tapi_.get(), IID_IConnectionPointContainer);
  auto dispatch = query<IDispatch>(tapi_.get(), IID_IDispatch);
  ASSERT_TRUE(unknown && cc && cpc && dispatch);
  EXPECT_EQ(query<IUnknown>(cc.get(), IID_IUnknown).get(), unknown.get());
  EXPECT_EQ(query<IUnknown>(cpc.get(), IID_IUnknown).get(), unknown.get());
  EXPECT_EQ(query<ITTAPI>(cc.get(), IID_ITTAPI).get(), tapi_.get());
  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(tapi_->QueryInterface(IID_ITAgent, &p), E_NOINTERFACE);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(tapi_->QueryInterface(IID_ITTAPI, nullptr), E_POINTER);
  UINT count = 9;
  EXPECT_EQ(dispatch->GetTypeInfoCount(&count), S_OK);
  EXPECT_EQ(count, 0u);  // no type library: early binding only
}

TEST_F(TapiObjectTest, BeforeInitializeOnlyTheDocumentedCodes) {
  create();
  auto cc = call_center();
  Ref<IEnumAgentHandler> handlers;
  EXPECT_EQ(cc->EnumerateAgentHandlers(handlers.out()), E_INVALIDARG);  // documented (§3.1)
  EXPECT_EQ(cc->EnumerateAgentHandlers(nullptr), E_POINTER);
  VARIANT v;
  EXPECT_EQ(cc->get_AgentHandlers(&v), E_INVALIDARG);
  EXPECT_EQ(tapi_->put_EventFilter(TE_AGENT), TAPI_E_NOT_INITIALIZED);
  LONG filter = 0;
  EXPECT_EQ(tapi_->get_EventFilter(&filter), TAPI_E_NOT_INITIALIZED);
  Ref<IEnumAddress> addresses;
  EXPECT_EQ(tapi_->EnumerateAddresses(addresses.out()), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(tapi_->Shutdown(), TAPI_E_NOT_INITIALIZED);
}

TEST_F(TapiObjectTest, InitializeTwiceSaysAlreadyInitialized) {
  initialize();
  EXPECT_EQ(tapi_->Initialize(), S_FALSE);
}

TEST_F(TapiObjectTest, InitializeWithoutServerFailsWithServiceNotRunning) {
  fake_->initialize_result = LINEERR_SERVICE_NOT_RUNNING;
  create();
  EXPECT_EQ(tapi_->Initialize(), TAPI_E_SERVICE_NOT_RUNNING);
  EXPECT_EQ(tapi_->put_EventFilter(0), TAPI_E_NOT_INITIALIZED);
}

TEST_F(TapiObjectTest, EventFilterReadsBack) {
  initialize();
  EXPECT_EQ(tapi_->put_EventFilter(0x7600), S_OK);
  LONG filter = 0;
  EXPECT_EQ(tapi_->get_EventFilter(&filter), S_OK);
  EXPECT_EQ(filter, 0x7600);
  long c_long = 0;
  EXPECT_EQ(tapi_->get_EventFilter(&c_long), S_OK);
  EXPECT_EQ(c_long, 0x7600);
  EXPECT_EQ(tapi_->get_EventFilter(nullptr), E_POINTER);
}

TEST_F(TapiObjectTest, CallHubsAndPrivateObjectsAreNotImplemented) {
  initialize();
  VARIANT v;
  VariantInit(&v);
  IEnumCallHub* hubs = nullptr;  // declared only: call hubs are not tracked
  Ref<IEnumUnknown> privates;
  EXPECT_EQ(tapi_->get_CallHubs(&v), E_NOTIMPL);
  EXPECT_EQ(tapi_->EnumerateCallHubs(&hubs), E_NOTIMPL);
  EXPECT_EQ(hubs, nullptr);
  EXPECT_EQ(tapi_->SetCallHubTracking(v, VARIANT_TRUE), E_NOTIMPL);
  EXPECT_EQ(tapi_->EnumeratePrivateTAPIObjects(privates.out()), E_NOTIMPL);
  EXPECT_EQ(tapi_->get_PrivateTAPIObjects(&v), E_NOTIMPL);
}

TEST_F(TapiObjectTest, RequestRecipientAndPrioritiesWrapTheTapi2Functions) {
  create();
  BSTR app = SysAllocString(L"desk.exe");
  EXPECT_EQ(tapi_->RegisterRequestRecipient(1, LINEREQUESTMODE_MAKECALL, VARIANT_TRUE), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(tapi_->SetApplicationPriority(app, TAPIMEDIATYPE_AUDIO, VARIANT_TRUE), TAPI_E_NOT_INITIALIZED);
  ASSERT_EQ(tapi_->Initialize(), S_OK);

  EXPECT_EQ(tapi_->RegisterRequestRecipient(7, LINEREQUESTMODE_MAKECALL, VARIANT_TRUE), S_OK);
  const auto recipients = fake_->recipient_calls();
  ASSERT_EQ(recipients.size(), 1u);
  EXPECT_NE(recipients[0].app, 0u);
  EXPECT_EQ(recipients[0].instance, 7u);
  EXPECT_EQ(recipients[0].request_mode, LINEREQUESTMODE_MAKECALL);
  EXPECT_EQ(recipients[0].enable, 1u);
  fake_->recipient_result = LINEERR_INVALREQUESTMODE;
  EXPECT_EQ(tapi_->RegisterRequestRecipient(7, 0x40, VARIANT_FALSE), static_cast<HRESULT>(LINEERR_INVALREQUESTMODE));

  EXPECT_EQ(tapi_->SetAssistedTelephonyPriority(app, VARIANT_TRUE), S_OK);
  EXPECT_EQ(tapi_->SetApplicationPriority(app, TAPIMEDIATYPE_AUDIO, VARIANT_FALSE), S_OK);
  const auto priorities = fake_->priority_calls();
  ASSERT_EQ(priorities.size(), 2u);
  EXPECT_EQ(priorities[0].app, L"desk.exe");
  EXPECT_EQ(priorities[0].media_mode, 0u);
  EXPECT_EQ(priorities[0].request_mode, LINEREQUESTMODE_MAKECALL);
  EXPECT_EQ(priorities[0].priority, 1u);
  EXPECT_EQ(priorities[1].media_mode, static_cast<DWORD>(TAPIMEDIATYPE_AUDIO));
  EXPECT_EQ(priorities[1].request_mode, 0u);
  EXPECT_EQ(priorities[1].priority, 0u);
  EXPECT_EQ(tapi_->SetApplicationPriority(app, TAPIMEDIATYPE_MULTITRACK, VARIANT_TRUE), E_INVALIDARG);
  EXPECT_EQ(tapi_->SetApplicationPriority(app, 0, VARIANT_TRUE), E_INVALIDARG);
  EXPECT_EQ(tapi_->SetApplicationPriority(nullptr, TAPIMEDIATYPE_AUDIO, VARIANT_TRUE), E_POINTER);
  EXPECT_EQ(tapi_->SetAssistedTelephonyPriority(nullptr, VARIANT_TRUE), E_POINTER);
  fake_->priority_result = LINEERR_INVALAPPNAME;
  EXPECT_EQ(tapi_->SetAssistedTelephonyPriority(app, VARIANT_TRUE), static_cast<HRESULT>(LINEERR_INVALAPPNAME));
  EXPECT_EQ(fake_->priority_calls().size(), 3u) << "the checks above never reached TAPI 2";
  SysFreeString(app);
}

TEST_F(TapiObjectTest, OneHandlerPerProxyGuidOverTheLinesItServes) {
  fake_->num_devices = 3;
  fake_->served_devices = {0, 2};
  initialize();
  auto cc = call_center();
  Ref<IEnumAgentHandler> e;
  ASSERT_EQ(cc->EnumerateAgentHandlers(e.out()), S_OK);
  ITAgentHandler* items[3] = {};
  ULONG fetched = 0;
  EXPECT_EQ(e->Next(3, items, &fetched), S_FALSE);
  ASSERT_EQ(fetched, 1u);
  Ref<ITAgentHandler> h(items[0]);
  BSTR name = nullptr;
  EXPECT_EQ(h->get_Name(&name), S_OK);
  EXPECT_EQ(to_string(name), L"Fake ACD");
  EXPECT_EQ(h->get_Name(nullptr), E_POINTER);
  // Usable addresses: those of the lines the proxy serves (devices 0 and 2).
  auto a0 = address(h.get(), 0);
  auto a1 = address(h.get(), 1);
  ASSERT_TRUE(a0 && a1);
  EXPECT_EQ(to_string([&] {
              BSTR b = nullptr;
              a0->get_AddressName(&b);
              return b;
            }()),
            L"line 0 address 0");
  EXPECT_EQ(to_string([&] {
              BSTR b = nullptr;
              a1->get_AddressName(&b);
              return b;
            }()),
            L"line 2 address 0");
  EXPECT_FALSE(address(h.get(), 2));
  // ITTAPI::EnumerateAddresses lists every open line.
  Ref<IEnumAddress> all;
  ASSERT_EQ(tapi_->EnumerateAddresses(all.out()), S_OK);
  ITAddress* addrs[4] = {};
  EXPECT_EQ(all->Next(4, addrs, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 3u);
  for (ULONG i = 0; i < fetched; ++i) addrs[i]->Release();
  VARIANT v;
  ASSERT_EQ(tapi_->get_Addresses(&v), S_OK);
  EXPECT_EQ(v.vt, VT_DISPATCH);
  VariantClear(&v);
  ASSERT_EQ(cc->get_AgentHandlers(&v), S_OK);
  auto collection = query<ITCollection>(v.pdispVal, IID_ITCollection);
  LONG count = 0;
  EXPECT_EQ(collection->get_Count(&count), S_OK);
  EXPECT_EQ(count, 1);
  VariantClear(&v);
}

TEST_F(TapiObjectTest, NoProxyMeansNoAgentHandlers) {
  fake_->served_devices = {};
  initialize();
  Ref<IEnumAgentHandler> e;
  ASSERT_EQ(call_center()->EnumerateAgentHandlers(e.out()), S_OK);
  Ref<ITAgentHandler> h;
  ULONG fetched = 7;
  EXPECT_EQ(e->Next(1, h.out(), &fetched), S_FALSE);
  EXPECT_EQ(fetched, 0u);
}

TEST_F(TapiObjectTest, ACapsRequestThatFailsLeavesTheLineOut) {
  fake_->set_policy("get_agent_caps", {FakeTapi2::Mode::kReplyError, LINEERR_OPERATIONFAILED});
  initialize();
  EXPECT_FALSE(handler());
}

TEST_F(TapiObjectTest, AddressesKnowTheirTapiObject) {
  initialize();
  auto a = address(handler().get());
  ASSERT_TRUE(a);
  Ref<ITTAPI> owner;
  EXPECT_EQ(a->get_TAPIObject(owner.out()), S_OK);
  EXPECT_EQ(owner.get(), tapi_.get());
  ADDRESS_STATE state = AS_OUTOFSERVICE;
  EXPECT_EQ(a->get_State(&state), S_OK);
  EXPECT_EQ(state, AS_INSERVICE);
  BSTR provider = nullptr;
  EXPECT_EQ(a->get_ServiceProviderName(&provider), S_OK);
  EXPECT_EQ(to_string(provider), L"opentapi");
  VARIANT_BOOL flag = VARIANT_FALSE;
  EXPECT_EQ(a->get_DoNotDisturb(&flag), E_NOTIMPL);
}

TEST_F(TapiObjectTest, ConnectionPointRegistersSinksByCookie) {
  initialize();
  auto cpc = query<IConnectionPointContainer>(tapi_.get(), IID_IConnectionPointContainer);
  Ref<IConnectionPoint> cp;
  EXPECT_EQ(cpc->FindConnectionPoint(IID_ITAgent, cp.out()), CONNECT_E_NOCONNECTION);
  ASSERT_EQ(cpc->FindConnectionPoint(IID_ITTAPIEventNotification, cp.out()), S_OK);
  IID iid{};
  EXPECT_EQ(cp->GetConnectionInterface(&iid), S_OK);
  EXPECT_TRUE(IsEqualIID(iid, IID_ITTAPIEventNotification));
  Ref<IConnectionPointContainer> back;
  EXPECT_EQ(cp->GetConnectionPointContainer(back.out()), S_OK);
  EXPECT_EQ(query<IUnknown>(back.get(), IID_IUnknown).get(), query<IUnknown>(tapi_.get(), IID_IUnknown).get());

  DWORD cookie = 0;
  EXPECT_EQ(cp->Advise(tapi_.get(), &cookie), static_cast<HRESULT>(0x80040202));  // not a sink
  EXPECT_EQ(cp->Advise(nullptr, &cookie), E_POINTER);
  auto* sink = new RecordingSink();
  ASSERT_EQ(cp->Advise(sink, &cookie), S_OK);
  EXPECT_NE(cookie, 0u);
  EXPECT_EQ(cp->Unadvise(cookie + 1), CONNECT_E_NOCONNECTION);
  EXPECT_EQ(cp->Unadvise(cookie), S_OK);
  EXPECT_EQ(cp->Unadvise(cookie), CONNECT_E_NOCONNECTION);
  sink->Release();

  Ref<IEnumConnectionPoints> points;
  ASSERT_EQ(cpc->EnumConnectionPoints(points.out()), S_OK);
  IConnectionPoint* got[2] = {};
  ULONG fetched = 0;
  EXPECT_EQ(points->Next(2, got, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 1u);
  got[0]->Release();
}

TEST_F(TapiObjectTest, ObjectsOutliveShutdownAndThenReportNotInitialized) {
  initialize();
  Ref<ITAgent> agent_ref;
  auto s = session(&agent_ref);
  ASSERT_TRUE(s);
  auto h = handler();
  auto g = group(h.get());
  ASSERT_EQ(tapi_->Shutdown(), S_OK);
  EXPECT_TRUE(fake_->shut_down());
  AGENT_SESSION_STATE state{};
  EXPECT_EQ(s->get_State(&state), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(s->put_State(ASST_READY), TAPI_E_NOT_INITIALIZED);
  LONG calls = 0;
  EXPECT_EQ(s->get_NumberOfCalls(&calls), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(agent_ref->put_State(AS_READY), TAPI_E_NOT_INITIALIZED);
  BSTR name = nullptr;
  EXPECT_EQ(h->get_Name(&name), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(g->get_Name(&name), TAPI_E_NOT_INITIALIZED);
  Ref<ITAgent> another;
  EXPECT_EQ(h->CreateAgent(another.out()), TAPI_E_NOT_INITIALIZED);
  Ref<IEnumAgentHandler> e;
  EXPECT_EQ(call_center()->EnumerateAgentHandlers(e.out()), E_INVALIDARG);
  // Release still works (TearDown checks that everything is freed).
}

TEST_F(TapiObjectTest, LastReleaseWithoutShutdownShutsDown) {
  initialize();
  auto a = agent();
  ASSERT_TRUE(a);
  tapi_.reset();
  EXPECT_TRUE(fake_->shut_down());
  AGENT_STATE state{};
  EXPECT_EQ(a->get_State(&state), TAPI_E_NOT_INITIALIZED);
}

TEST_F(TapiObjectTest, InitializeAgainAfterShutdownStartsAFreshSpan) {
  initialize();
  auto old_agent = agent();
  ASSERT_EQ(tapi_->Shutdown(), S_OK);
  fake_ = std::make_shared<FakeTapi2>();
  // The factory captured the first fake: make a new TAPI object instead.
  Ref<ITTAPI> second;
  auto fake = fake_;
  ASSERT_EQ(create_tapi_object([fake] { return fake; }, {}, IID_ITTAPI, reinterpret_cast<void**>(second.out())), S_OK);
  ASSERT_EQ(second->Initialize(), S_OK);
  AGENT_STATE state{};
  EXPECT_EQ(old_agent->get_State(&state), TAPI_E_NOT_INITIALIZED);
  second->Shutdown();
}

TEST_F(TapiObjectTest, ObjectsAreFreedWithTheirLastReference) {
  initialize();
  const long before = live_object_count().load();
  {
    auto s = session();
    ASSERT_TRUE(s);
    EXPECT_GT(live_object_count().load(), before);
    EXPECT_EQ(s->AddRef(), 2u);
    EXPECT_EQ(s->Release(), 1u);
  }
  EXPECT_EQ(live_object_count().load(), before);
}

TEST_F(TapiObjectTest, ShutdownDuringInitializeAbortsIt) {
  fake_->set_policy("get_agent_caps", {FakeTapi2::Mode::kHold, 0});
  create();
  HRESULT init = S_OK;
  std::thread t([&] { init = tapi_->Initialize(); });
  ASSERT_TRUE(fake_->wait_call("get_agent_caps"));
  // The TAPI object is not initialized yet, but Shutdown ends the discovery.
  while (tapi_->Shutdown() == TAPI_E_NOT_INITIALIZED && !fake_->shut_down()) std::this_thread::sleep_for(1ms);
  t.join();
  EXPECT_EQ(init, TAPI_E_NOT_INITIALIZED);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
