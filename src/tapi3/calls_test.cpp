// Calls in the TAPI 3 layer (docs/porting.md "Calls") against the fake's
// call model: addresses from the line capabilities, CreateCall and Connect,
// call notifications by privilege, call state and call-info events in
// order, call control and its documented codes, media without media, and
// what becomes of a handle nobody holds.
#include <atomic>
#include <future>
#include <thread>

#include "layout/var_struct.h"
#include "tapi3/mapping.h"
#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

IUnknown* identity(IUnknown* p) {
  IUnknown* u = nullptr;
  p->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&u));
  u->Release();
  return u;
}

// A W string of a LINECALLPARAMS as lineMakeCall receives it.
std::wstring params_string(const void* params, layout::Pair pair) {
  auto r = layout::VarStructReader::passed_in(params, sizeof(LINECALLPARAMS), sizeof(LINECALLPARAMS),
                                              layout::Charset::kWide);
  const auto text = r ? r->string(pair) : std::nullopt;
  return text ? layout::utf8_to_wide_lossy(*text) : std::wstring();
}

constexpr LONG kCallEvents = TE_CALLNOTIFICATION | TE_CALLSTATE | TE_CALLINFOCHANGE;

class CallsTest : public TapiTest {
 protected:
  void SetUp() override {
    TapiTest::SetUp();
    fake_->lines[0] = {L"Station 2001", {L"2001"}};
    fake_->lines[1] = {L"Station 2002", {L"2002", L"2003"}};
  }

  Ref<ITAddress> address_at(ULONG index) {
    Ref<IEnumAddress> e;
    if (FAILED(tapi_->EnumerateAddresses(e.out()))) return {};
    if (index > 0) e->Skip(index);
    Ref<ITAddress> a;
    if (e->Next(1, a.out(), nullptr) != S_OK) return {};
    return a;
  }

  Ref<ITBasicCallControl> make(ITAddress* a, const wchar_t* number) {
    BSTR dest = SysAllocString(number);
    Ref<ITBasicCallControl> call;
    const HRESULT hr = a->CreateCall(dest, LINEADDRESSTYPE_PHONENUMBER, TAPIMEDIATYPE_AUDIO, call.out());
    SysFreeString(dest);
    EXPECT_EQ(hr, S_OK);
    return call;
  }

  LONG listen(ITAddress* a, bool owner, bool monitor, LONG instance = 0) {
    LONG reg = 0;
    EXPECT_EQ(
        tapi_->RegisterCallNotifications(a, monitor ? VARIANT_TRUE : VARIANT_FALSE,
                                         owner ? VARIANT_TRUE : VARIANT_FALSE, TAPIMEDIATYPE_AUDIO, instance, &reg),
        S_OK);
    return reg;
  }

  // The call an event names, as the program would take it.
  template <class T>
  Ref<T> call_of(const SeenEvent& e, REFIID iid) {
    return query<T>(e.object, iid);
  }

  std::wstring info_string(IUnknown* call, CALLINFO_STRING which) {
    auto info = query<ITCallInfo>(call, IID_ITCallInfo);
    BSTR s = nullptr;
    EXPECT_EQ(info->get_CallInfoString(which, &s), S_OK);
    return to_string(s);
  }

  LONG info_long(IUnknown* call, CALLINFO_LONG which) {
    auto info = query<ITCallInfo>(call, IID_ITCallInfo);
    LONG v = -1;
    EXPECT_EQ(info->get_CallInfoLong(which, &v), S_OK);
    return v;
  }

  CALL_STATE state_of(IUnknown* call) {
    auto info = query<ITCallInfo>(call, IID_ITCallInfo);
    CALL_STATE s = CS_IDLE;
    EXPECT_EQ(info->get_CallState(&s), S_OK);
    return s;
  }

  std::size_t call_count(ITAddress* a) {
    Ref<IEnumCall> e;
    EXPECT_EQ(a->EnumerateCalls(e.out()), S_OK);
    std::size_t n = 0;
    Ref<ITCallInfo> c;
    while (e->Next(1, c.out(), nullptr) == S_OK) ++n;
    return n;
  }
};

// ---- Addresses -----------------------------------------------------------------------------

TEST_F(CallsTest, AddressesComeInDeviceThenAddressOrderWithTheirNumbers) {
  initialize();
  const wchar_t* names[] = {L"Station 2001", L"Station 2002 (2002)", L"Station 2002 (2003)"};
  const wchar_t* numbers[] = {L"2001", L"2002", L"2003"};
  for (ULONG i = 0; i < 3; ++i) {
    auto a = address_at(i);
    ASSERT_TRUE(a) << i;
    BSTR name = nullptr;
    ASSERT_EQ(a->get_AddressName(&name), S_OK);
    EXPECT_EQ(to_string(name), names[i]);
    BSTR number = nullptr;
    ASSERT_EQ(a->get_DialableAddress(&number), S_OK);
    EXPECT_EQ(to_string(number), numbers[i]);
  }
  EXPECT_FALSE(address_at(3));
  EXPECT_EQ(address_at(0)->get_DialableAddress(nullptr), E_POINTER);
}

TEST_F(CallsTest, ALineWithoutCapabilitiesShowsOneAddress) {
  fake_->lines.erase(1);
  initialize();
  auto a = address_at(1);
  ASSERT_TRUE(a);
  BSTR name = nullptr;
  ASSERT_EQ(a->get_AddressName(&name), S_OK);
  EXPECT_EQ(to_string(name), L"line 1 address 0");
  BSTR number = nullptr;
  ASSERT_EQ(a->get_DialableAddress(&number), S_OK);
  EXPECT_EQ(to_string(number), L"");
  EXPECT_FALSE(address_at(2));
}

TEST_F(CallsTest, AddressCapabilitiesComeFromLineAndAddressCaps) {
  initialize();
  auto a = address_at(2);  // device 1, address 1
  auto caps = query<ITAddressCapabilities>(a.get(), IID_ITAddressCapabilities);
  ASSERT_TRUE(caps);
  LONG v = 0;
  ASSERT_EQ(caps->get_AddressCapability(AC_ADDRESSTYPES, &v), S_OK);
  EXPECT_EQ(v, static_cast<LONG>(LINEADDRESSTYPE_PHONENUMBER));
  ASSERT_EQ(caps->get_AddressCapability(AC_MAXACTIVECALLS, &v), S_OK);
  EXPECT_EQ(v, 1);
  ASSERT_EQ(caps->get_AddressCapability(AC_CALLFEATURES1, &v), S_OK);
  EXPECT_NE(v & static_cast<LONG>(LINECALLFEATURE_ANSWER), 0);
  ASSERT_EQ(caps->get_AddressCapability(AC_LINEID, &v), S_OK);
  EXPECT_EQ(v, 1);
  ASSERT_EQ(caps->get_AddressCapability(AC_ADDRESSID, &v), S_OK);
  EXPECT_EQ(v, 1);
  ASSERT_EQ(caps->get_AddressCapability(AC_PERMANENTDEVICEID, &v), S_OK);
  EXPECT_EQ(v, 2);
  ASSERT_EQ(caps->get_AddressCapability(AC_BEARERMODES, &v), S_OK);
  EXPECT_EQ(v, static_cast<LONG>(LINEBEARERMODE_VOICE));
  ASSERT_EQ(caps->get_AddressCapability(AC_MAXCALLDATASIZE, &v), S_OK);
  EXPECT_EQ(v, 4096);
  long c_long = 0;  // the C `long *` form compiles and works
  ASSERT_EQ(caps->get_AddressCapability(AC_CALLERIDSUPPORT, &c_long), S_OK);
  EXPECT_NE(c_long & static_cast<long>(LINECALLPARTYID_NAME), 0);
  EXPECT_EQ(caps->get_AddressCapability(AC_ADDRESSTYPES, static_cast<LONG*>(nullptr)), E_POINTER);
  EXPECT_EQ((call_with_raw_enum_out<ITAddressCapabilities, ADDRESS_CAPABILITY, LONG>(
                caps.get(), &ITAddressCapabilities::get_AddressCapability, 999, &v)),
            E_INVALIDARG);

  BSTR s = nullptr;
  ASSERT_EQ(caps->get_AddressCapabilityString(ACS_PERMANENTDEVICEGUID, &s), S_OK);
  EXPECT_EQ(to_string(s), L"{C0FFEE01-0001-0002-0304-05060708090A}");
  EXPECT_EQ(caps->get_AddressCapabilityString(ACS_PROTOCOL, nullptr), E_POINTER);

  Ref<IEnumBstr> classes;
  ASSERT_EQ(caps->EnumerateDeviceClasses(classes.out()), S_OK);
  BSTR names[3] = {};
  ULONG fetched = 0;
  EXPECT_EQ(classes->Next(3, names, &fetched), S_FALSE);
  ASSERT_EQ(fetched, 2u);
  EXPECT_EQ(to_string(names[0]), L"tapi/line");
  EXPECT_EQ(to_string(names[1]), L"tapi/phone");
  VARIANT collection;
  ASSERT_EQ(caps->get_DeviceClasses(&collection), S_OK);
  auto items = query<ITCollection>(collection.pdispVal, IID_ITCollection);
  LONG count = 0;
  EXPECT_EQ(items->get_Count(&count), S_OK);
  EXPECT_EQ(count, 2);
  VARIANT item;
  ASSERT_EQ(items->get_Item(2, &item), S_OK);
  EXPECT_EQ(item.vt, VT_BSTR);
  EXPECT_EQ(std::wstring(item.bstrVal), L"tapi/phone");
  VariantClear(&item);
  items.reset();
  VariantClear(&collection);
  Ref<IEnumBstr> treatments;
  ASSERT_EQ(caps->EnumerateCallTreatments(treatments.out()), S_OK);
  EXPECT_EQ(treatments->Next(1, names, nullptr), S_FALSE);
}

TEST_F(CallsTest, MediaSupportIsAudio) {
  initialize();
  auto media = query<ITMediaSupport>(address_at(0).get(), IID_ITMediaSupport);
  ASSERT_TRUE(media);
  LONG types = 0;
  ASSERT_EQ(media->get_MediaTypes(&types), S_OK);
  EXPECT_EQ(types, TAPIMEDIATYPE_AUDIO);
  VARIANT_BOOL yes = VARIANT_FALSE;
  EXPECT_EQ(media->QueryMediaType(TAPIMEDIATYPE_AUDIO, &yes), S_OK);
  EXPECT_EQ(yes, VARIANT_TRUE);
  EXPECT_EQ(media->QueryMediaType(TAPIMEDIATYPE_VIDEO, &yes), S_OK);
  EXPECT_EQ(yes, VARIANT_FALSE);
  EXPECT_EQ(media->QueryMediaType(0, &yes), S_OK);
  EXPECT_EQ(yes, VARIANT_FALSE);
  EXPECT_EQ(media->QueryMediaType(TAPIMEDIATYPE_AUDIO, nullptr), E_POINTER);
  EXPECT_EQ(media->get_MediaTypes(static_cast<LONG*>(nullptr)), E_POINTER);
}

TEST_F(CallsTest, AnAddressHasNoTerminals) {
  initialize();
  auto terminals = query<ITTerminalSupport>(address_at(0).get(), IID_ITTerminalSupport);
  ASSERT_TRUE(terminals);
  Ref<IEnumTerminal> statics;
  ASSERT_EQ(terminals->EnumerateStaticTerminals(statics.out()), S_OK);
  ITTerminal* t = nullptr;
  EXPECT_EQ(statics->Next(1, &t, nullptr), S_FALSE);
  EXPECT_EQ(t, nullptr);
  Ref<IEnumTerminalClass> classes;
  ASSERT_EQ(terminals->EnumerateDynamicTerminalClasses(classes.out()), S_OK);
  GUID g{};
  ULONG fetched = 7;
  EXPECT_EQ(classes->Next(1, &g, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 0u);
  VARIANT v;
  ASSERT_EQ(terminals->get_StaticTerminals(&v), S_OK);
  auto c = query<ITCollection>(v.pdispVal, IID_ITCollection);
  LONG count = -1;
  EXPECT_EQ(c->get_Count(&count), S_OK);
  EXPECT_EQ(count, 0);
  c.reset();
  VariantClear(&v);

  // Documented: S_FALSE and NULL when no terminal is available.
  t = reinterpret_cast<ITTerminal*>(1);
  EXPECT_EQ(terminals->GetDefaultStaticTerminal(TAPIMEDIATYPE_AUDIO, TD_RENDER, &t), S_FALSE);
  EXPECT_EQ(t, nullptr);
  EXPECT_EQ(terminals->GetDefaultStaticTerminal(TAPIMEDIATYPE_VIDEO, TD_RENDER, &t), TAPI_E_INVALIDMEDIATYPE);
  {
    // A direction outside the enum, as a C program calling through lpVtbl may pass.
    using Raw = HRESULT (STDMETHODCALLTYPE ITTerminalSupport::*)(LONG, LONG, ITTerminal**);
    auto method = &ITTerminalSupport::GetDefaultStaticTerminal;
    Raw raw;
    static_assert(sizeof raw == sizeof method);
    std::memcpy(&raw, &method, sizeof raw);
    EXPECT_EQ((terminals.get()->*raw)(TAPIMEDIATYPE_AUDIO, 9, &t), TAPI_E_INVALIDDIRECTION);
  }
  EXPECT_EQ(terminals->GetDefaultStaticTerminal(TAPIMEDIATYPE_AUDIO, TD_RENDER, nullptr), E_POINTER);
  BSTR cls = SysAllocString(L"{F7438990-D6EB-11D0-82A6-00AA00B5CA1B}");
  EXPECT_EQ(terminals->CreateTerminal(cls, TAPIMEDIATYPE_AUDIO, TD_CAPTURE, &t), TAPI_E_INVALIDTERMINALCLASS);
  EXPECT_EQ(terminals->CreateTerminal(nullptr, TAPIMEDIATYPE_AUDIO, TD_CAPTURE, &t), E_POINTER);
  SysFreeString(cls);
}

// ---- Outgoing calls ------------------------------------------------------------------------

TEST_F(CallsTest, CreateCallChecksItsArguments) {
  initialize();
  auto a = address_at(0);
  BSTR dest = SysAllocString(L"2002");
  Ref<ITBasicCallControl> call;
  EXPECT_EQ(a->CreateCall(dest, LINEADDRESSTYPE_PHONENUMBER, TAPIMEDIATYPE_AUDIO, nullptr), E_POINTER);
  EXPECT_EQ(a->CreateCall(dest, 0, TAPIMEDIATYPE_AUDIO, call.out()), E_INVALIDARG);
  EXPECT_EQ(a->CreateCall(dest, LINEADDRESSTYPE_PHONENUMBER | LINEADDRESSTYPE_SDP, TAPIMEDIATYPE_AUDIO, call.out()),
            E_INVALIDARG);
  EXPECT_EQ(a->CreateCall(dest, LINEADDRESSTYPE_EMAILNAME, TAPIMEDIATYPE_AUDIO, call.out()), E_INVALIDARG);
  EXPECT_EQ(a->CreateCall(dest, LINEADDRESSTYPE_PHONENUMBER, 0, call.out()), TAPI_E_INVALIDMEDIATYPE);
  EXPECT_EQ(a->CreateCall(dest, LINEADDRESSTYPE_PHONENUMBER, TAPIMEDIATYPE_VIDEO, call.out()), TAPI_E_INVALIDMEDIATYPE);
  EXPECT_FALSE(call);
  ASSERT_EQ(a->CreateCall(dest, LINEADDRESSTYPE_PHONENUMBER, TAPIMEDIATYPE_AUDIO, call.out()), S_OK);
  SysFreeString(dest);
  EXPECT_EQ(fake_->count("make_call"), 0);  // nothing happens before Connect

  EXPECT_EQ(state_of(call.get()), CS_IDLE);
  auto info = query<ITCallInfo>(call.get(), IID_ITCallInfo);
  CALL_PRIVILEGE privilege = CP_MONITOR;
  EXPECT_EQ(info->get_Privilege(&privilege), S_OK);
  EXPECT_EQ(privilege, CP_OWNER);
  Ref<ITAddress> back;
  ASSERT_EQ(info->get_Address(back.out()), S_OK);
  EXPECT_EQ(back.get(), a.get());
  EXPECT_EQ(info_string(call.get(), CIS_CALLEDIDNUMBER), L"2002");
  EXPECT_EQ(info_string(call.get(), CIS_CALLERIDNUMBER), L"");
  EXPECT_EQ(info_long(call.get(), CIL_MEDIATYPESAVAILABLE), TAPIMEDIATYPE_AUDIO);
  LONG id = 0;
  EXPECT_EQ(info->get_CallInfoLong(CIL_CALLID, &id), TAPI_E_INVALCALLSTATE);  // the switch has not said
  EXPECT_EQ(call_count(a.get()), 1u);
  // A call that never started is gone with its last reference.
  info.reset();
  call.reset();
  EXPECT_EQ(call_count(a.get()), 0u);
}

TEST_F(CallsTest, ConnectPlacesTheCallAndReportsEachStateOnce) {
  initialize();
  auto* sink = advise(kCallEvents);
  auto a = address_at(0);
  auto call = make(a.get(), L"2002");
  auto info = query<ITCallInfo>(call.get(), IID_ITCallInfo);
  BSTR party = SysAllocString(L"Acme support");
  ASSERT_EQ(info->put_CallInfoString(CIS_CALLINGPARTYID, party), S_OK);
  SysFreeString(party);
  ASSERT_EQ(call->Connect(VARIANT_FALSE), S_OK);
  const auto calls = fake_->calls();
  ASSERT_EQ(calls.back().function, "make_call");
  EXPECT_EQ(calls.back().line, line_of(0));
  EXPECT_EQ(calls.back().id_text, std::wstring(L"2002"));
  const auto* params = reinterpret_cast<const LINECALLPARAMS*>(calls.back().params.data());
  EXPECT_EQ(params->dwAddressMode, LINEADDRESSMODE_ADDRESSID);
  EXPECT_EQ(params->dwAddressID, 0u);
  EXPECT_EQ(params->dwMediaMode, LINEMEDIAMODE_INTERACTIVEVOICE);
  EXPECT_EQ(params->dwBearerMode, LINEBEARERMODE_VOICE);
  EXPECT_EQ(params_string(params, OT_PAIR(LINECALLPARAMS, CallingPartyID)), L"Acme support");
  const HCALL h = fake_->last_made_call();

  fake_->set_call_state(h, LINECALLSTATE_RINGBACK);  // still CS_INPROGRESS: no event
  fake_->set_call_state(h, LINECALLSTATE_CONNECTED);
  ASSERT_TRUE(sink->wait_for(2));
  EXPECT_EQ(state_of(call.get()), CS_CONNECTED);
  EXPECT_EQ(call->Connect(VARIANT_FALSE), TAPI_E_INVALCALLSTATE);
  ASSERT_EQ(call->Disconnect(DC_NORMAL), S_OK);
  ASSERT_TRUE(sink->wait_for(3));
  const auto events = sink->events();
  ASSERT_EQ(events.size(), 3u);
  const int states[] = {CS_INPROGRESS, CS_CONNECTED, CS_DISCONNECTED};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].kind, TE_CALLSTATE);
    EXPECT_EQ(events[i].code, states[i]);
    EXPECT_EQ(events[i].object, identity(call.get()));  // the very object the program holds
    EXPECT_EQ(events[i].instance, 0);
  }
  EXPECT_EQ(events[2].cause, CEC_DISCONNECT_NORMAL);
  EXPECT_EQ(fake_->calls().back().function, "drop");
  EXPECT_EQ(info_long(call.get(), CIL_CALLID), static_cast<LONG>(h));  // still readable afterwards

  // Over and released (the sink's references too): the handle is given back.
  info.reset();
  call.reset();
  tapi_->Shutdown();  // releases nothing yet: the sink holds the objects
  EXPECT_TRUE(fake_->call_allocated(h));
}

TEST_F(CallsTest, AppSpecificIsSetOnTheCallsHandle) {
  initialize();
  auto a = address_at(0);
  auto call = make(a.get(), L"2002");
  auto info = query<ITCallInfo>(call.get(), IID_ITCallInfo);
  ASSERT_EQ(call->Connect(VARIANT_FALSE), S_OK);
  const HCALL h = fake_->last_made_call();
  ASSERT_NE(h, 0u);
  EXPECT_EQ(info->put_CallInfoLong(CIL_APPSPECIFIC, 0x4711), S_OK);
  const auto recorded = fake_->app_specific_calls();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].first, h);
  EXPECT_EQ(recorded[0].second, 0x4711u);
  fake_->app_specific_result = LINEERR_NOTOWNER;
  EXPECT_EQ(info->put_CallInfoLong(CIL_APPSPECIFIC, 1), tapi_map_lineerr(LINEERR_NOTOWNER));
  fake_->app_specific_result = LINEERR_INVALCALLHANDLE;
  EXPECT_EQ(info->put_CallInfoLong(CIL_APPSPECIFIC, 1), TAPI_E_INVALCALLSTATE) << "the call no longer exists";
}

TEST_F(CallsTest, ReleasingAFinishedCallDeallocatesItsHandle) {
  initialize();
  auto a = address_at(0);
  auto call = make(a.get(), L"2002");
  ASSERT_EQ(call->Connect(VARIANT_FALSE), S_OK);
  const HCALL h = fake_->last_made_call();
  ASSERT_EQ(call->Disconnect(DC_NORMAL), S_OK);  // the dropping side goes IDLE (docs/calls.md)
  ASSERT_TRUE(fake_->drain());
  EXPECT_TRUE(fake_->call_allocated(h));  // the program still holds it
  call.reset();
  EXPECT_FALSE(fake_->call_allocated(h));
  EXPECT_EQ(fake_->deallocations(), 1);
  EXPECT_EQ(call_count(a.get()), 0u);
}

TEST_F(CallsTest, SynchronousConnectWaitsUntilConnected) {
  initialize();
  auto call = make(address_at(0).get(), L"2002");
  auto done = std::async(std::launch::async, [&] { return call->Connect(VARIANT_TRUE); });
  ASSERT_TRUE(fake_->drain());
  while (fake_->last_made_call() == 0) std::this_thread::yield();
  EXPECT_EQ(done.wait_for(20ms), std::future_status::timeout);
  fake_->set_call_state(fake_->last_made_call(), LINECALLSTATE_CONNECTED);
  EXPECT_EQ(done.get(), S_OK);
}

TEST_F(CallsTest, SynchronousConnectReportsWhyTheCallFailed) {
  initialize();
  struct Case {
    DWORD state;
    DWORD mode;
    HRESULT expected;
  };
  const Case cases[] = {
      {LINECALLSTATE_BUSY, LINEBUSYMODE_STATION, TAPI_E_DESTBUSY},
      {LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_BADADDRESS, TAPI_E_INVALADDRESS},
      {LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_NOANSWER, TAPI_E_DESTNOANSWER},
      {LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_REJECT, TAPI_E_DESTUNAVAIL},
  };
  for (const auto& c : cases) {
    auto call = make(address_at(0).get(), L"2999");
    const HCALL before = fake_->last_made_call();
    auto done = std::async(std::launch::async, [&] { return call->Connect(VARIANT_TRUE); });
    while (fake_->last_made_call() == before) std::this_thread::yield();
    fake_->set_call_state(fake_->last_made_call(), c.state, c.mode);
    EXPECT_EQ(done.get(), c.expected) << c.state << " " << c.mode;
    EXPECT_EQ(state_of(call.get()), CS_DISCONNECTED);
  }
}

TEST_F(CallsTest, ConnectErrorsAreMappedForCallControl) {
  initialize();
  auto a = address_at(0);
  auto empty = make(a.get(), L"");
  EXPECT_EQ(empty->Connect(VARIANT_FALSE), TAPI_E_INVALADDRESS);  // LINEERR_INVALADDRESS, at once
  EXPECT_EQ(state_of(empty.get()), CS_IDLE);
  fake_->set_policy("make_call", {FakeTapi2::Mode::kReplyError, LINEERR_CALLUNAVAIL});
  auto call = make(a.get(), L"2002");
  EXPECT_EQ(call->Connect(VARIANT_TRUE), TAPI_E_CALLUNAVAIL);
  EXPECT_EQ(state_of(call.get()), CS_IDLE);
}

TEST_F(CallsTest, StateMessagesBeforeTheReplyAreKeptForTheNewHandle) {
  fake_->status_before_reply = true;  // LINE_CALLSTATE DIALING/PROCEEDING overtake LINE_REPLY
  fake_->reply_overtakes_return = true;
  initialize();
  auto* sink = advise(TE_CALLSTATE);
  auto call = make(address_at(0).get(), L"2002");
  ASSERT_EQ(call->Connect(VARIANT_FALSE), S_OK);
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(sink->events()[0].code, CS_INPROGRESS);
  EXPECT_EQ(state_of(call.get()), CS_INPROGRESS);
}

TEST_F(CallsTest, ALateReplyStillGivesTheCallItsHandle) {
  EngineOptions options;
  options.request_timeout = 100ms;
  initialize(options);
  auto* sink = advise(TE_CALLSTATE);
  fake_->set_policy("make_call", {FakeTapi2::Mode::kHold, 0});
  auto call = make(address_at(0).get(), L"2002");
  EXPECT_EQ(call->Connect(VARIANT_FALSE), TAPI_E_TIMEOUT);
  EXPECT_EQ(call->Connect(VARIANT_FALSE), TAPI_E_INVALCALLSTATE);  // the first request may still complete
  const auto held = fake_->wait_call("make_call");
  ASSERT_TRUE(held);
  fake_->complete(held->id);
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(state_of(call.get()), CS_INPROGRESS);
  ASSERT_EQ(call->Disconnect(DC_NORMAL), S_OK);
}

TEST_F(CallsTest, ShutdownEndsAWaitingConnect) {
  initialize();
  auto call = make(address_at(0).get(), L"2002");
  auto done = std::async(std::launch::async, [&] { return call->Connect(VARIANT_TRUE); });
  while (fake_->last_made_call() == 0) std::this_thread::yield();
  ASSERT_TRUE(fake_->drain());
  ASSERT_EQ(tapi_->Shutdown(), S_OK);
  EXPECT_EQ(done.get(), TAPI_E_NOT_INITIALIZED);
}

// ---- Incoming calls ------------------------------------------------------------------------

TEST_F(CallsTest, AnOwnerIsNotifiedOfferedAndAnswersWithCallerId) {
  initialize();
  auto* sink = advise(kCallEvents);
  auto a = address_at(0);
  listen(a.get(), true, false, 77);
  const auto opens = fake_->call_opens();
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_EQ(opens[0].device, 0u);
  EXPECT_EQ(opens[0].privileges, LINECALLPRIVILEGE_OWNER);
  EXPECT_EQ(opens[0].media_modes, LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_AUTOMATEDVOICE);

  FakeTapi2::CallInfo caller;
  caller.caller_number = L"5551234";
  caller.caller_name = L"Jane Doe";
  caller.called_number = L"8001";
  caller.redirecting_number = L"8001";
  caller.reason = LINECALLREASON_REDIRECT;
  caller.origin = LINECALLORIGIN_EXTERNAL;
  caller.call_data = {1, 2, 3, 4};
  const auto handles = fake_->offer_call(0, 0, caller);
  ASSERT_EQ(handles.size(), 1u);
  ASSERT_TRUE(sink->wait_for(2));
  auto events = sink->events();
  EXPECT_EQ(events[0].kind, TE_CALLNOTIFICATION);
  EXPECT_EQ(events[0].code, CNE_OWNER);
  EXPECT_EQ(events[0].instance, 77);
  EXPECT_EQ(events[1].kind, TE_CALLSTATE);
  EXPECT_EQ(events[1].code, CS_OFFERING);
  EXPECT_EQ(events[1].cause, CEC_NONE);
  EXPECT_EQ(events[1].instance, 77);
  ASSERT_EQ(events[0].object, events[1].object);
  IUnknown* call = events[0].object;

  // The screen pop.
  EXPECT_EQ(info_string(call, CIS_CALLERIDNUMBER), L"5551234");
  EXPECT_EQ(info_string(call, CIS_CALLERIDNAME), L"Jane Doe");
  EXPECT_EQ(info_string(call, CIS_CALLEDIDNUMBER), L"8001");
  EXPECT_EQ(info_string(call, CIS_REDIRECTINGIDNUMBER), L"8001");
  EXPECT_EQ(info_long(call, CIL_REASON), static_cast<LONG>(LINECALLREASON_REDIRECT));
  EXPECT_EQ(info_long(call, CIL_ORIGIN), static_cast<LONG>(LINECALLORIGIN_EXTERNAL));
  EXPECT_EQ(info_long(call, CIL_CALLID), static_cast<LONG>(handles[0]));
  EXPECT_EQ(info_long(call, CIL_MEDIATYPESAVAILABLE), TAPIMEDIATYPE_AUDIO);
  EXPECT_EQ(info_long(call, CIL_CALLERIDADDRESSTYPE), static_cast<LONG>(LINEADDRESSTYPE_PHONENUMBER));
  EXPECT_EQ(fake_->count("get_call_info"), 1);  // one round trip, then the cached structure
  auto info = query<ITCallInfo>(call, IID_ITCallInfo);
  DWORD size = 0;
  BYTE* data = nullptr;
  ASSERT_EQ(info->GetCallInfoBuffer(CIB_CALLDATABUFFER, &size, &data), S_OK);
  ASSERT_EQ(size, 4u);
  EXPECT_EQ(data[3], 4);
  CoTaskMemFree(data);
  CALL_PRIVILEGE privilege = CP_MONITOR;
  EXPECT_EQ(info->get_Privilege(&privilege), S_OK);
  EXPECT_EQ(privilege, CP_OWNER);

  auto control = query<ITBasicCallControl>(call, IID_ITBasicCallControl);
  ASSERT_EQ(control->Answer(), S_OK);
  EXPECT_EQ(fake_->call_state(handles[0]), LINECALLSTATE_CONNECTED);
  ASSERT_TRUE(sink->wait_for(3));
  EXPECT_EQ(sink->events()[2].code, CS_CONNECTED);
  EXPECT_EQ(control->Answer(), E_UNEXPECTED);  // not CS_OFFERING any more
  ASSERT_EQ(control->Hold(VARIANT_TRUE), S_OK);
  ASSERT_TRUE(sink->wait_for(4));
  EXPECT_EQ(sink->events()[3].code, CS_HOLD);
  ASSERT_EQ(control->Hold(VARIANT_FALSE), S_OK);
  ASSERT_TRUE(sink->wait_for(5));
  EXPECT_EQ(sink->events()[4].code, CS_CONNECTED);
  fake_->set_call_state(handles[0], LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_NORMAL);  // the caller hung up
  ASSERT_TRUE(sink->wait_for(6));
  EXPECT_EQ(sink->events()[5].code, CS_DISCONNECTED);
  EXPECT_EQ(sink->events()[5].cause, CEC_DISCONNECT_NORMAL);
  ASSERT_EQ(control->Disconnect(DC_NORMAL), S_OK);  // the rest of the hang-up: IDLE, no second event
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(fake_->call_state(handles[0]), LINECALLSTATE_IDLE);
  EXPECT_EQ(control->Disconnect(DC_NORMAL), S_FALSE);  // nothing left to drop
}

// docs/ha.md "Calls at a resume": libopentapi ends the calls of a lost
// server with LINE_CALLSTATE DISCONNECTED (LINEDISCONNECTMODE_UNAVAIL) then
// IDLE. A call object reports that once, as CS_DISCONNECTED with
// CEC_DISCONNECT_FAILED, and stays readable, as a call that ended live
// (whose IDLE handle is given back once the object is released).
TEST_F(CallsTest, ACallEndedByALostServerIsDisconnectedWithACauseAndStaysReadable) {
  initialize();
  auto* sink = advise(kCallEvents);
  auto a = address_at(0);
  listen(a.get(), true, false, 5);
  FakeTapi2::CallInfo caller;
  caller.caller_number = L"5551234";
  const auto handles = fake_->offer_call(0, 0, caller);
  ASSERT_EQ(handles.size(), 1u);
  ASSERT_TRUE(sink->wait_for(2));
  IUnknown* call = sink->events()[0].object;
  auto control = query<ITBasicCallControl>(call, IID_ITBasicCallControl);
  ASSERT_EQ(control->Answer(), S_OK);
  ASSERT_TRUE(sink->wait_for(3));
  fake_->set_call_state(handles[0], LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_UNAVAIL);
  fake_->set_call_state(handles[0], LINECALLSTATE_IDLE);
  ASSERT_TRUE(sink->wait_for(4));
  ASSERT_TRUE(fake_->drain());
  const auto events = sink->events();
  ASSERT_EQ(events.size(), 4u) << "one CS_DISCONNECTED for DISCONNECTED and IDLE";
  EXPECT_EQ(events[3].kind, TE_CALLSTATE);
  EXPECT_EQ(events[3].code, CS_DISCONNECTED);
  EXPECT_EQ(events[3].cause, CEC_DISCONNECT_FAILED);
  EXPECT_EQ(events[3].object, call);
  EXPECT_EQ(state_of(call), CS_DISCONNECTED);
  EXPECT_EQ(info_string(call, CIS_CALLERIDNUMBER), L"5551234") << "still readable";
  EXPECT_EQ(control->Disconnect(DC_NORMAL), S_FALSE) << "nothing left to drop";
}

TEST_F(CallsTest, AMonitorSeesTheCallButCannotControlIt) {
  initialize();
  auto* sink = advise(kCallEvents);
  auto a = address_at(0);
  listen(a.get(), false, true, 5);
  EXPECT_EQ(fake_->call_opens()[0].privileges, LINECALLPRIVILEGE_MONITOR);
  fake_->offer_call(0, 0, {});
  ASSERT_TRUE(sink->wait_for(2));
  const auto events = sink->events();
  EXPECT_EQ(events[0].code, CNE_MONITOR);
  auto info = query<ITCallInfo>(events[0].object, IID_ITCallInfo);
  CALL_PRIVILEGE privilege = CP_OWNER;
  EXPECT_EQ(info->get_Privilege(&privilege), S_OK);
  EXPECT_EQ(privilege, CP_MONITOR);
  auto control = query<ITBasicCallControl>(events[0].object, IID_ITBasicCallControl);
  EXPECT_EQ(control->Answer(), TAPI_E_NOTOWNER);
  EXPECT_EQ(control->Disconnect(DC_REJECTED), TAPI_E_NOTOWNER);
  EXPECT_EQ(control->Hold(VARIANT_TRUE), TAPI_E_NOTOWNER);
}

TEST_F(CallsTest, OwnerAndMonitorOfTheSameLineEachGetTheirHandle) {
  initialize();
  auto* sink = advise(TE_CALLNOTIFICATION);
  auto a = address_at(0);
  listen(a.get(), true, false, 1);
  listen(a.get(), false, true, 2);
  listen(a.get(), true, false, 3);  // shares the first open
  EXPECT_EQ(fake_->count("open_for_calls"), 2);
  fake_->offer_call(0, 0, {});
  ASSERT_TRUE(sink->wait_for(2));
  const auto events = sink->events();
  EXPECT_EQ(events[0].code, CNE_OWNER);
  EXPECT_EQ(events[0].instance, 1);  // the first registration of the open
  EXPECT_EQ(events[1].code, CNE_MONITOR);
  EXPECT_EQ(events[1].instance, 2);
  EXPECT_NE(events[0].object, events[1].object);
}

TEST_F(CallsTest, ACallOfferedWhileTheLineOpensIsNotLost) {
  fake_->offer_during_open = true;  // LINE_APPNEWCALL handled before lineOpen returns
  initialize();
  auto* sink = advise(kCallEvents);
  listen(address_at(0).get(), true, false, 12);
  ASSERT_TRUE(sink->wait_for(2));
  const auto events = sink->events();
  EXPECT_EQ(events[0].kind, TE_CALLNOTIFICATION);
  EXPECT_EQ(events[0].code, CNE_OWNER);
  EXPECT_EQ(events[0].instance, 12);
  EXPECT_EQ(events[1].code, CS_OFFERING);
}

TEST_F(CallsTest, RegistrationsSharingAnOpenKeepItUntilTheLast) {
  initialize();
  auto a = address_at(0);
  const LONG first = listen(a.get(), true, true);
  const LONG second = listen(a.get(), true, true);
  EXPECT_EQ(fake_->call_opens().size(), 1u);
  ASSERT_EQ(tapi_->UnregisterNotifications(first), S_OK);
  EXPECT_EQ(fake_->call_opens().size(), 1u);
  auto* sink = advise(TE_CALLNOTIFICATION);
  fake_->offer_call(0, 0, {});
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(sink->events()[0].code, CNE_OWNER);
  ASSERT_EQ(tapi_->UnregisterNotifications(second), S_OK);
  EXPECT_TRUE(fake_->call_opens().empty());
}

TEST_F(CallsTest, ASinkMayReleaseAndControlCallsOnTheEventThread) {
  initialize();
  auto* sink = advise(kCallEvents);
  listen(address_at(0).get(), true, false);
  std::atomic<int> answered{0};
  sink->on_event = [&](TAPI_EVENT kind, IDispatch* event) {
    if (kind != TE_CALLSTATE) return;
    auto state = query<ITCallStateEvent>(event, IID_ITCallStateEvent);
    CALL_STATE cs{};
    Ref<ITCallInfo> call;
    if (FAILED(state->get_State(&cs)) || FAILED(state->get_Call(call.out()))) return;
    auto control = query<ITBasicCallControl>(call.get(), IID_ITBasicCallControl);
    if (cs == CS_OFFERING && control->Answer() == S_OK) ++answered;
    if (cs == CS_CONNECTED) control->Disconnect(DC_NORMAL);
  };
  for (int i = 0; i < 20; ++i) fake_->offer_call(0, 0, {});
  // Per call: notification, offering, connected, disconnected.
  ASSERT_TRUE(sink->wait_for(80, 20s));
  EXPECT_EQ(answered.load(), 20);
  ASSERT_TRUE(fake_->drain());
  for (const auto& e : sink->events()) EXPECT_NE(e.object, nullptr);
}

TEST_F(CallsTest, RegisterCallNotificationsChecksItsArguments) {
  create();
  LONG reg = 0;
  Ref<ITAddress> none;
  EXPECT_EQ(tapi_->RegisterCallNotifications(nullptr, VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 0, &reg),
            E_POINTER);
  EXPECT_EQ(tapi_->UnregisterNotifications(1), TAPI_E_NOT_INITIALIZED);
  ASSERT_EQ(tapi_->Initialize(), S_OK);
  auto a = address_at(0);
  EXPECT_EQ(tapi_->RegisterCallNotifications(a.get(), VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 0,
                                             static_cast<LONG*>(nullptr)),
            E_POINTER);
  EXPECT_EQ(tapi_->RegisterCallNotifications(a.get(), VARIANT_FALSE, VARIANT_FALSE, TAPIMEDIATYPE_AUDIO, 0, &reg),
            E_INVALIDARG);
  EXPECT_EQ(tapi_->RegisterCallNotifications(a.get(), VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_VIDEO, 0, &reg),
            TAPI_E_INVALIDMEDIATYPE);
  EXPECT_EQ(tapi_->RegisterCallNotifications(a.get(), VARIANT_TRUE, VARIANT_TRUE, 0, 0, &reg), TAPI_E_INVALIDMEDIATYPE);
  fake_->open_for_calls_result = LINEERR_RESOURCEUNAVAIL;
  EXPECT_EQ(tapi_->RegisterCallNotifications(a.get(), VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 0, &reg),
            TAPI_E_RESOURCEUNAVAIL);
  EXPECT_EQ(reg, 0);
  fake_->open_for_calls_result = 0;
  long c_long = 0;  // the C `long *` form
  ASSERT_EQ(tapi_->RegisterCallNotifications(a.get(), VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 0, &c_long),
            S_OK);
  EXPECT_GT(c_long, 0);
  EXPECT_EQ(tapi_->UnregisterNotifications(static_cast<LONG>(c_long) + 100), E_INVALIDARG);
  EXPECT_EQ(tapi_->UnregisterNotifications(static_cast<LONG>(c_long)), S_OK);
  EXPECT_TRUE(fake_->call_opens().empty());  // the open went with its last registration
  EXPECT_EQ(tapi_->UnregisterNotifications(static_cast<LONG>(c_long)), E_INVALIDARG);
}

TEST_F(CallsTest, AddressesOfAnotherTapiObjectAreRefused) {
  initialize();
  auto fake2 = std::make_shared<FakeTapi2>();
  Ref<ITTAPI> other;
  ASSERT_EQ(create_tapi_object([fake2] { return fake2; }, {}, IID_ITTAPI, reinterpret_cast<void**>(other.out())), S_OK);
  ASSERT_EQ(other->Initialize(), S_OK);
  Ref<IEnumAddress> e;
  ASSERT_EQ(other->EnumerateAddresses(e.out()), S_OK);
  Ref<ITAddress> foreign;
  ASSERT_EQ(e->Next(1, foreign.out(), nullptr), S_OK);
  LONG reg = 0;
  EXPECT_EQ(tapi_->RegisterCallNotifications(foreign.get(), VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 0, &reg),
            E_INVALIDARG);
  foreign.reset();
  e.reset();
  other->Shutdown();
}

TEST_F(CallsTest, UnregisteringEndsTheCallsOfTheOpen) {
  initialize();
  auto* sink = advise(TE_CALLSTATE);
  auto a = address_at(0);
  const LONG reg = listen(a.get(), true, false);
  const auto handles = fake_->offer_call(0, 0, {});
  ASSERT_TRUE(sink->wait_for(1));
  ASSERT_EQ(tapi_->UnregisterNotifications(reg), S_OK);
  ASSERT_TRUE(sink->wait_for(2));
  const auto events = sink->events();
  EXPECT_EQ(events[1].code, CS_DISCONNECTED);
  EXPECT_EQ(events[1].cause, CEC_DISCONNECT_FAILED);
  EXPECT_FALSE(fake_->call_allocated(handles[0]));  // the server gave the handle back with the line
}

TEST_F(CallsTest, ALineClosedByTheServerEndsItsCalls) {
  initialize();
  auto* sink = advise(TE_CALLSTATE);
  auto a = address_at(0);
  listen(a.get(), true, false);
  fake_->offer_call(0, 0, {});
  ASSERT_TRUE(sink->wait_for(1));
  fake_->post(LINE_CLOSE, fake_->call_opens()[0].line, 0, 0, 0);
  ASSERT_TRUE(sink->wait_for(2));
  EXPECT_EQ(sink->events()[1].code, CS_DISCONNECTED);
  EXPECT_EQ(state_of(sink->events()[1].object), CS_DISCONNECTED);
}

// ---- Events --------------------------------------------------------------------------------

TEST_F(CallsTest, CallInfoChangesRaiseOneEventPerItemAndRefreshTheInfo) {
  initialize();
  auto* sink = advise(kCallEvents);
  listen(address_at(0).get(), true, false, 9);
  FakeTapi2::CallInfo caller;
  caller.caller_number = L"100";
  const auto handles = fake_->offer_call(0, 0, caller);
  ASSERT_TRUE(sink->wait_for(2));
  IUnknown* call = sink->events()[0].object;
  EXPECT_EQ(info_string(call, CIS_CALLERIDNUMBER), L"100");
  caller.caller_number = L"200";
  fake_->set_call_info(handles[0], caller,
                       LINECALLINFOSTATE_CALLERID | LINECALLINFOSTATE_CALLDATA | LINECALLINFOSTATE_DISPLAY);
  ASSERT_TRUE(sink->wait_for(5));
  const auto events = sink->events();
  EXPECT_EQ(events[2].kind, TE_CALLINFOCHANGE);
  EXPECT_EQ(events[2].code, CIC_OTHER);
  EXPECT_EQ(events[3].code, CIC_CALLERID);
  EXPECT_EQ(events[4].code, CIC_CALLDATA);
  EXPECT_EQ(events[4].instance, 9);
  EXPECT_EQ(events[4].object, call);
  EXPECT_EQ(info_string(call, CIS_CALLERIDNUMBER), L"200");
}

TEST_F(CallsTest, FilteredCallsAreStillFoundAndHandedBackWhenTheyEnd) {
  initialize();
  auto* sink = advise(TE_CALLINFOCHANGE);  // no notification, no call state
  auto a = address_at(0);
  listen(a.get(), true, false);
  const auto first = fake_->offer_call(0, 0, {});
  const auto second = fake_->offer_call(0, 0, {});
  const auto marker = fake_->offer_call(0, 0, {});
  // Every message of the first two calls is handled before the marker's event.
  fake_->set_call_info(marker[0], {}, LINECALLINFOSTATE_CALLERID);
  ASSERT_TRUE(sink->wait_for(1));
  EXPECT_EQ(sink->events().size(), 1u);
  EXPECT_EQ(call_count(a.get()), 3u);
  fake_->set_call_state(first[0], LINECALLSTATE_IDLE);  // the caller gave up
  ASSERT_TRUE(fake_->drain());
  EXPECT_FALSE(fake_->call_allocated(first[0]));
  EXPECT_EQ(call_count(a.get()), 2u);
  // A DISCONNECTED call nobody holds is dropped, then deallocated.
  fake_->set_call_state(second[0], LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_NORMAL);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(fake_->count("drop"), 1);
  ASSERT_TRUE(fake_->drain());
  EXPECT_FALSE(fake_->call_allocated(second[0]));
  EXPECT_EQ(call_count(a.get()), 1u);  // the marker, which the sink holds
}

TEST_F(CallsTest, APerCallFilterNarrowsTheTapiFilter) {
  initialize();
  auto* sink = advise(kCallEvents);
  listen(address_at(0).get(), true, false);
  const auto handles = fake_->offer_call(0, 0, {});
  ASSERT_TRUE(sink->wait_for(2));
  auto info2 = query<ITCallInfo2>(sink->events()[0].object, IID_ITCallInfo2);
  ASSERT_TRUE(info2);
  ASSERT_EQ(info2->put_EventFilter(TE_CALLSTATE, CS_CONNECTED, VARIANT_FALSE), S_OK);
  VARIANT_BOOL on = VARIANT_TRUE;
  EXPECT_EQ(info2->get_EventFilter(TE_CALLSTATE, CS_CONNECTED, &on), S_OK);
  EXPECT_EQ(on, VARIANT_FALSE);
  EXPECT_EQ(info2->get_EventFilter(TE_CALLSTATE, CS_DISCONNECTED, &on), S_OK);
  EXPECT_EQ(on, VARIANT_TRUE);
  EXPECT_EQ(info2->get_EventFilter(TE_AGENT, 0, &on), E_INVALIDARG);
  EXPECT_EQ(info2->put_EventFilter(TE_AGENT, 0, VARIANT_TRUE), E_INVALIDARG);
  EXPECT_EQ(info2->get_EventFilter(TE_CALLSTATE, 0, nullptr), E_POINTER);
  auto control = query<ITBasicCallControl>(sink->events()[0].object, IID_ITBasicCallControl);
  ASSERT_EQ(control->Answer(), S_OK);
  ASSERT_EQ(control->Disconnect(DC_NORMAL), S_OK);
  ASSERT_TRUE(sink->wait_for(3));
  const auto events = sink->events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].code, CS_DISCONNECTED);  // CS_CONNECTED was filtered out
}

// ---- Call control ----------------------------------------------------------------------------

TEST_F(CallsTest, CallControlStateErrorsAndArguments) {
  initialize();
  auto* sink = advise(TE_CALLSTATE);
  listen(address_at(0).get(), true, false);
  fake_->offer_call(0, 0, {});
  ASSERT_TRUE(sink->wait_for(1));
  auto control = query<ITBasicCallControl>(sink->events()[0].object, IID_ITBasicCallControl);
  EXPECT_EQ(control->Hold(VARIANT_TRUE), TAPI_E_INVALCALLSTATE);  // holding an OFFERING call
  EXPECT_EQ(control->BlindTransfer(nullptr), E_POINTER);
  BSTR empty = SysAllocString(L"");
  ASSERT_EQ(control->Answer(), S_OK);
  EXPECT_EQ(control->BlindTransfer(empty), TAPI_E_INVALADDRESS);
  SysFreeString(empty);
  EXPECT_EQ(call_with_raw_enum(control.get(), &ITBasicCallControl::Disconnect, 3), E_INVALIDARG);
  BSTR dest = SysAllocString(L"2003");
  ASSERT_EQ(control->BlindTransfer(dest), S_OK);
  SysFreeString(dest);
  EXPECT_EQ(fake_->calls().back().id_text, std::wstring(L"2003"));
  ASSERT_TRUE(sink->wait_for(3));
  EXPECT_EQ(sink->events()[2].code, CS_DISCONNECTED);  // the transferring side is out of the call

  auto idle = make(address_at(0).get(), L"2002");
  EXPECT_EQ(idle->Disconnect(DC_NORMAL), S_FALSE);  // never connected
  EXPECT_EQ(idle->Answer(), E_UNEXPECTED);
  EXPECT_EQ(idle->Hold(VARIANT_TRUE), TAPI_E_INVALCALLSTATE);
  BSTR x = SysAllocString(L"x");
  EXPECT_EQ(idle->BlindTransfer(x), TAPI_E_INVALCALLSTATE);
  SysFreeString(x);
}

TEST_F(CallsTest, WhatTheSwitchDoesNotOfferIsNotSupported) {
  initialize();
  auto call = make(address_at(0).get(), L"2002");
  auto other = make(address_at(0).get(), L"2003");
  BSTR s = SysAllocString(L"app");
  EXPECT_EQ(call->HandoffDirect(s), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->HandoffDirect(nullptr), E_POINTER);
  EXPECT_EQ(call->HandoffIndirect(TAPIMEDIATYPE_AUDIO), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->Conference(other.get(), VARIANT_TRUE), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->Conference(nullptr, VARIANT_TRUE), E_POINTER);
  EXPECT_EQ(call->Transfer(other.get(), VARIANT_TRUE), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->Transfer(nullptr, VARIANT_TRUE), E_POINTER);
  EXPECT_EQ(call->SwapHold(other.get()), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->ParkDirect(s), TAPI_E_NOTSUPPORTED);
  BSTR parked = s;
  EXPECT_EQ(call->ParkIndirect(&parked), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(parked, nullptr);
  EXPECT_EQ(call->ParkIndirect(nullptr), E_POINTER);
  EXPECT_EQ(call->Unpark(), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->Pickup(s), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->Dial(s), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->Finish(FM_ASTRANSFER), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->RemoveFromConference(), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(call->SetQOS(TAPIMEDIATYPE_AUDIO, QSL_NEEDED), TAPI_E_NOTSUPPORTED);
  SysFreeString(s);
  auto info = query<ITCallInfo>(call.get(), IID_ITCallInfo);
  Ref<ITCallHub> hub;
  EXPECT_EQ(info->get_CallHub(hub.out()), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(info->ReleaseUserUserInfo(), TAPI_E_NOTSUPPORTED);
  VARIANT v;
  VariantInit(&v);
  EXPECT_EQ(info->get_CallInfoBuffer(CIB_USERUSERINFO, &v), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(info->put_CallInfoBuffer(CIB_USERUSERINFO, v), TAPI_E_NOTSUPPORTED);
}

TEST_F(CallsTest, CallInfoBeforeConnectGoesIntoTheCallParameters) {
  initialize();
  auto call = make(address_at(1).get(), L"2001");  // device 1, address 0
  auto info = query<ITCallInfo>(call.get(), IID_ITCallInfo);
  BSTR s = nullptr;
  EXPECT_EQ(info->get_CallInfoString(CIS_COMMENT, nullptr), E_POINTER);
  EXPECT_EQ(
      (call_with_raw_enum_out<ITCallInfo, CALLINFO_STRING, BSTR>(info.get(), &ITCallInfo::get_CallInfoString, 99, &s)),
      E_INVALIDARG);
  LONG v = 0;
  EXPECT_EQ(info->get_CallInfoLong(CIL_BEARERMODE, static_cast<LONG*>(nullptr)), E_POINTER);
  BSTR comment = SysAllocString(L"from the desk");
  EXPECT_EQ(info->put_CallInfoString(CIS_COMMENT, comment), S_OK);
  EXPECT_EQ(info->put_CallInfoString(CIS_CALLERIDNAME, comment), E_INVALIDARG);  // the switch says that
  EXPECT_EQ(info->put_CallInfoLong(CIL_MAXRATE, 64000), S_OK);
  EXPECT_EQ(info->put_CallInfoLong(CIL_CALLID, 5), E_INVALIDARG);
  EXPECT_EQ(info->put_CallInfoLong(CIL_APPSPECIFIC, 5), TAPI_E_INVALCALLSTATE) << "no call handle before Connect";
  EXPECT_TRUE(fake_->app_specific_calls().empty());
  BYTE uui[] = {9, 8, 7};
  EXPECT_EQ(info->SetCallInfoBuffer(CIB_USERUSERINFO, 3, uui), S_OK);
  EXPECT_EQ(info->SetCallInfoBuffer(CIB_USERUSERINFO, 3, nullptr), E_POINTER);
  EXPECT_EQ(info->SetCallInfoBuffer(CIB_CHARGINGINFOBUFFER, 3, uui), E_INVALIDARG);
  DWORD size = 0;
  BYTE* out = nullptr;
  ASSERT_EQ(info->GetCallInfoBuffer(CIB_USERUSERINFO, &size, &out), S_OK);
  ASSERT_EQ(size, 3u);
  EXPECT_EQ(out[0], 9);
  CoTaskMemFree(out);
  EXPECT_EQ(info->GetCallInfoBuffer(CIB_USERUSERINFO, nullptr, &out), E_POINTER);
  EXPECT_EQ(info->get_CallInfoLong(CIL_MAXRATE, &v), S_OK);
  EXPECT_EQ(v, 64000);
  EXPECT_EQ(info_string(call.get(), CIS_COMMENT), L"from the desk");

  ASSERT_EQ(call->Connect(VARIANT_FALSE), S_OK);
  const auto calls = fake_->calls();
  EXPECT_EQ(calls.back().line, line_of(1));
  const auto* params = reinterpret_cast<const LINECALLPARAMS*>(calls.back().params.data());
  EXPECT_EQ(params->dwMaxRate, 64000u);
  EXPECT_EQ(params_string(params, OT_PAIR(LINECALLPARAMS, Comment)), L"from the desk");
  ASSERT_EQ(params->dwUserUserInfoSize, 3u);
  EXPECT_EQ(reinterpret_cast<const BYTE*>(params)[params->dwUserUserInfoOffset + 2], 7);
  // Once started, what only the switch may change.
  EXPECT_EQ(info->put_CallInfoString(CIS_COMMENT, comment), TAPI_E_INVALCALLSTATE);
  EXPECT_EQ(info->put_CallInfoLong(CIL_MAXRATE, 1), TAPI_E_INVALCALLSTATE);
  EXPECT_EQ(info->SetCallInfoBuffer(CIB_USERUSERINFO, 3, uui), TAPI_E_INVALCALLSTATE);
  SysFreeString(comment);
  EXPECT_EQ(info_string(call.get(), CIS_CALLEDIDNUMBER), L"2001");  // now from LINECALLINFO
}

TEST_F(CallsTest, ACallHasNoStreams) {
  initialize();
  auto call = make(address_at(0).get(), L"2002");
  auto streams = query<ITStreamControl>(call.get(), IID_ITStreamControl);
  ASSERT_TRUE(streams);
  Ref<IEnumStream> e;
  ASSERT_EQ(streams->EnumerateStreams(e.out()), S_OK);
  ITStream* s = nullptr;
  EXPECT_EQ(e->Next(1, &s, nullptr), S_FALSE);
  VARIANT v;
  ASSERT_EQ(streams->get_Streams(&v), S_OK);
  auto c = query<ITCollection>(v.pdispVal, IID_ITCollection);
  LONG count = -1;
  EXPECT_EQ(c->get_Count(&count), S_OK);
  EXPECT_EQ(count, 0);
  c.reset();
  VariantClear(&v);
  EXPECT_EQ(streams->CreateStream(TAPIMEDIATYPE_AUDIO, TD_CAPTURE, &s), TAPI_E_NOTSUPPORTED);
  EXPECT_EQ(streams->RemoveStream(nullptr), E_POINTER);
  EXPECT_EQ(streams->EnumerateStreams(nullptr), E_POINTER);
  auto control2 = query<ITBasicCallControl2>(call.get(), IID_ITBasicCallControl2);
  ASSERT_TRUE(control2);
  ITTerminal* t = nullptr;
  BSTR cls = SysAllocString(L"{F7438990-D6EB-11D0-82A6-00AA00B5CA1B}");
  EXPECT_EQ(control2->RequestTerminal(cls, TAPIMEDIATYPE_AUDIO, TD_RENDER, &t), TAPI_E_INVALIDTERMINALCLASS);
  SysFreeString(cls);
  EXPECT_EQ(control2->SelectTerminalOnCall(nullptr), E_POINTER);
}

TEST_F(CallsTest, CallObjectsAnswerNotInitializedAfterShutdown) {
  initialize();
  auto call = make(address_at(0).get(), L"2002");
  ASSERT_EQ(tapi_->Shutdown(), S_OK);
  EXPECT_EQ(call->Connect(VARIANT_FALSE), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(call->Answer(), TAPI_E_NOT_INITIALIZED);
  auto info = query<ITCallInfo>(call.get(), IID_ITCallInfo);
  CALL_STATE state{};
  EXPECT_EQ(info->get_CallState(&state), TAPI_E_NOT_INITIALIZED);
  BSTR s = nullptr;
  EXPECT_EQ(info->get_CallInfoString(CIS_CALLEDIDNUMBER, &s), TAPI_E_NOT_INITIALIZED);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
