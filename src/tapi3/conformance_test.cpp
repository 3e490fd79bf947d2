// COM rules a Windows TAPI 3 program relies on beyond each method's own
// codes: [out] pointers and VARIANTs are cleared when a method fails (the
// caller may Release / VariantClear them unconditionally), and ITTAPI's
// Initialize / Shutdown answer as documented when called twice.
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

class Conformance : public TapiTest {};

// A value no implementation would store: a failing getter must overwrite it.
template <class T>
T* garbage() {
  return std::bit_cast<T*>(std::uintptr_t{0xDEADBEEF});
}

// A VARIANT as a caller leaves it before an [out] call: uninitialised.
VARIANT garbage_variant() {
  VARIANT v;
  std::memset(&v, 0xCD, sizeof v);
  return v;
}

TEST_F(Conformance, FailingGettersClearTheirOutPointers) {
  initialize();
  Ref<ITAgent> agent;
  auto session = this->session(&agent);
  ASSERT_TRUE(session);
  auto h = handler();
  auto g = group(h.get());
  auto a = address(h.get());
  Ref<IEnumQueue> queues;
  ASSERT_EQ(g->EnumerateQueues(queues.out()), S_OK);
  Ref<ITQueue> queue;
  ASSERT_EQ(queues->Next(1, queue.out(), nullptr), S_OK);
  auto cc = call_center();
  ASSERT_EQ(tapi_->Shutdown(), S_OK);

  ITAgent* agent_out = garbage<ITAgent>();
  EXPECT_EQ(session->get_Agent(&agent_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(agent_out, nullptr);
  ITAddress* address_out = garbage<ITAddress>();
  EXPECT_EQ(session->get_Address(&address_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(address_out, nullptr);
  ITACDGroup* group_out = garbage<ITACDGroup>();
  EXPECT_EQ(session->get_ACDGroup(&group_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(group_out, nullptr);

  // BSTR getters of every call-center object and of the address.
  const auto check_bstr = [](const char* what, const std::function<HRESULT(BSTR*)>& get) {
    BSTR out = garbage<OLECHAR>();
    EXPECT_EQ(get(&out), TAPI_E_NOT_INITIALIZED) << what;
    EXPECT_EQ(out, nullptr) << what;
  };
  check_bstr("ITAgentHandler::get_Name", [&](BSTR* b) { return h->get_Name(b); });
  check_bstr("ITAgent::get_ID", [&](BSTR* b) { return agent->get_ID(b); });
  check_bstr("ITAgent::get_User", [&](BSTR* b) { return agent->get_User(b); });
  check_bstr("ITACDGroup::get_Name", [&](BSTR* b) { return g->get_Name(b); });
  check_bstr("ITQueue::get_Name", [&](BSTR* b) { return queue->get_Name(b); });
  check_bstr("ITAddress::get_AddressName", [&](BSTR* b) { return a->get_AddressName(b); });
  check_bstr("ITAddress::get_ServiceProviderName", [&](BSTR* b) { return a->get_ServiceProviderName(b); });
  check_bstr("ITAddress::get_DialableAddress", [&](BSTR* b) { return a->get_DialableAddress(b); });
  ITTAPI* tapi_out = garbage<ITTAPI>();
  EXPECT_EQ(a->get_TAPIObject(&tapi_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(tapi_out, nullptr);

  // Enumerators.
  IEnumAddress* addresses_out = garbage<IEnumAddress>();
  EXPECT_EQ(tapi_->EnumerateAddresses(&addresses_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(addresses_out, nullptr);
  IEnumAgentHandler* handlers_out = garbage<IEnumAgentHandler>();
  EXPECT_EQ(cc->EnumerateAgentHandlers(&handlers_out), E_INVALIDARG);
  EXPECT_EQ(handlers_out, nullptr);
  IEnumAgentSession* sessions_out = garbage<IEnumAgentSession>();
  EXPECT_EQ(agent->EnumerateAgentSessions(&sessions_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(sessions_out, nullptr);
  IEnumACDGroup* groups_out = garbage<IEnumACDGroup>();
  EXPECT_EQ(h->EnumerateACDGroups(&groups_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(groups_out, nullptr);
  IEnumQueue* queues_out = garbage<IEnumQueue>();
  EXPECT_EQ(g->EnumerateQueues(&queues_out), TAPI_E_NOT_INITIALIZED);
  EXPECT_EQ(queues_out, nullptr);

  // Collections: the VARIANT is VT_EMPTY, so VariantClear on it is safe.
  const auto check_variant = [](const char* what, HRESULT expected, const std::function<HRESULT(VARIANT*)>& get) {
    VARIANT v = garbage_variant();
    EXPECT_EQ(get(&v), expected) << what;
    EXPECT_EQ(v.vt, VT_EMPTY) << what;
    EXPECT_EQ(VariantClear(&v), S_OK) << what;
  };
  check_variant("ITTAPI::get_Addresses", TAPI_E_NOT_INITIALIZED, [&](VARIANT* v) { return tapi_->get_Addresses(v); });
  check_variant("ITTAPICallCenter::get_AgentHandlers", E_INVALIDARG,
                [&](VARIANT* v) { return cc->get_AgentHandlers(v); });
  check_variant("ITAgent::get_AgentSessions", TAPI_E_NOT_INITIALIZED,
                [&](VARIANT* v) { return agent->get_AgentSessions(v); });
  check_variant("ITAgentHandler::get_ACDGroups", TAPI_E_NOT_INITIALIZED,
                [&](VARIANT* v) { return h->get_ACDGroups(v); });
  check_variant("ITAgentHandler::get_UsableAddresses", TAPI_E_NOT_INITIALIZED,
                [&](VARIANT* v) { return h->get_UsableAddresses(v); });
  check_variant("ITACDGroup::get_Queues", TAPI_E_NOT_INITIALIZED, [&](VARIANT* v) { return g->get_Queues(v); });
  check_variant("ITAddress::get_Calls", TAPI_E_NOT_INITIALIZED, [&](VARIANT* v) { return a->get_Calls(v); });
}

TEST_F(Conformance, AFailedRoundTripClearsTheOutPointer) {
  initialize();
  Ref<ITAgent> agent;
  ASSERT_TRUE(session(&agent));
  fake_->set_policy("get_agent_session_list", {FakeTapi2::Mode::kReplyError, LINEERR_OPERATIONFAILED});
  IEnumAgentSession* sessions_out = garbage<IEnumAgentSession>();
  EXPECT_EQ(agent->EnumerateAgentSessions(&sessions_out), static_cast<HRESULT>(LINEERR_OPERATIONFAILED));
  EXPECT_EQ(sessions_out, nullptr);
  VARIANT v = garbage_variant();
  EXPECT_EQ(agent->get_AgentSessions(&v), static_cast<HRESULT>(LINEERR_OPERATIONFAILED));
  EXPECT_EQ(v.vt, VT_EMPTY);
}

TEST_F(Conformance, CollectionItemOutOfRangeLeavesAnEmptyVariant) {
  initialize();
  auto h = handler();
  VARIANT v;
  ASSERT_EQ(h->get_ACDGroups(&v), S_OK);
  auto collection = query<ITCollection>(v.pdispVal, IID_ITCollection);
  VariantClear(&v);
  ASSERT_TRUE(collection);
  LONG count = 0;
  ASSERT_EQ(collection->get_Count(&count), S_OK);
  for (const LONG index : {LONG{0}, LONG{-1}, count + 1}) {
    VARIANT item = garbage_variant();
    EXPECT_EQ(collection->get_Item(index, &item), E_INVALIDARG) << index;
    EXPECT_EQ(item.vt, VT_EMPTY) << index;
  }
  VARIANT last;
  ASSERT_EQ(collection->get_Item(count, &last), S_OK);  // 1-based: Count is the last one
  EXPECT_EQ(last.vt, VT_DISPATCH);
  VariantClear(&last);
}

// IEnum*::Next: pceltFetched "may be NULL if celt is one" - for one element
// only, not for none or several.
TEST_F(Conformance, TapiEnumeratorsTakeANullCountOnlyForOneElement) {
  initialize();
  Ref<IEnumAgentHandler> handlers;
  ASSERT_EQ(call_center()->EnumerateAgentHandlers(handlers.out()), S_OK);
  ITAgentHandler* got[2] = {garbage<ITAgentHandler>(), garbage<ITAgentHandler>()};
  EXPECT_EQ(handlers->Next(0, got, nullptr), E_POINTER);
  EXPECT_EQ(handlers->Next(2, got, nullptr), E_POINTER);
  EXPECT_EQ(got[0], garbage<ITAgentHandler>());  // nothing was taken
  ULONG fetched = 7;
  EXPECT_EQ(handlers->Next(0, got, &fetched), S_OK);
  EXPECT_EQ(fetched, 0u);
  EXPECT_EQ(handlers->Next(1, got, nullptr), S_OK);
  Ref<ITAgentHandler> first(got[0]);
  Ref<IEnumBstr> classes;
  auto caps = query<ITAddressCapabilities>(address(first.get()).get(), IID_ITAddressCapabilities);
  ASSERT_EQ(caps->EnumerateDeviceClasses(classes.out()), S_OK);
  BSTR names[2] = {};
  EXPECT_EQ(classes->Next(0, names, nullptr), E_POINTER);
  EXPECT_EQ(classes->Next(2, names, nullptr), E_POINTER);
}

// IEnumVARIANT::Next documents pCeltFetched as "or NULL" whatever celt is
// (the IEnum* of TAPI allow NULL only for one element).
TEST_F(Conformance, VariantEnumeratorsTakeANullCountForAnyNumber) {
  fake_->num_devices = 2;
  fake_->lines[0] = {L"Station 2001", {L"2001"}};  // lines with capabilities list device classes
  fake_->lines[1] = {L"Station 2002", {L"2002"}};
  initialize();
  // A string collection (an address's device classes) and one of objects.
  Ref<ITCollection> strings;
  Ref<IEnumAddress> addresses;
  ASSERT_EQ(tapi_->EnumerateAddresses(addresses.out()), S_OK);
  for (Ref<ITAddress> a; !strings && addresses->Next(1, a.out(), nullptr) == S_OK;) {
    auto caps = query<ITAddressCapabilities>(a.get(), IID_ITAddressCapabilities);
    VARIANT v;
    ASSERT_EQ(caps->get_DeviceClasses(&v), S_OK);
    auto c = query<ITCollection>(v.pdispVal, IID_ITCollection);
    VariantClear(&v);
    LONG count = 0;
    if (c && c->get_Count(&count) == S_OK && count > 0) strings = std::move(c);
  }
  VARIANT v;
  ASSERT_EQ(tapi_->get_Addresses(&v), S_OK);
  auto objects = query<ITCollection>(v.pdispVal, IID_ITCollection);
  VariantClear(&v);
  for (ITCollection* collection : {strings.get(), objects.get()}) {
    ASSERT_NE(collection, nullptr);
    LONG count = 0;
    ASSERT_EQ(collection->get_Count(&count), S_OK);
    ASSERT_GT(count, 0);
    Ref<IUnknown> unknown;
    ASSERT_EQ(collection->get__NewEnum(unknown.out()), S_OK);
    auto e = query<IEnumVARIANT>(unknown.get(), IID_IEnumVARIANT);
    ASSERT_TRUE(e);
    const auto n = static_cast<ULONG>(count);
    std::vector<VARIANT> items(n + 1, garbage_variant());
    EXPECT_EQ(e->Next(n + 1, items.data(), nullptr), S_FALSE);
    for (ULONG i = 0; i < n; ++i) EXPECT_NE(items[i].vt, VT_EMPTY);
    EXPECT_EQ(items[n].vt, VT_EMPTY);  // where a caller without a count sees the end
    for (VARIANT& item : items) EXPECT_EQ(VariantClear(&item), S_OK);
    EXPECT_EQ(e->Reset(), S_OK);
    EXPECT_EQ(e->Next(n, items.data(), nullptr), S_OK);
    for (ULONG i = 0; i < n; ++i) VariantClear(&items[i]);
    EXPECT_EQ(e->Next(1, nullptr, nullptr), E_POINTER);
  }
}

TEST_F(Conformance, ShutdownTwiceSaysAlreadyShutDown) {
  create();
  EXPECT_EQ(tapi_->Shutdown(), TAPI_E_NOT_INITIALIZED);  // never initialized: fails
  ASSERT_EQ(tapi_->Initialize(), S_OK);
  EXPECT_EQ(tapi_->Shutdown(), S_OK);
  EXPECT_EQ(tapi_->Shutdown(), S_FALSE);  // documented: already shut down
  ASSERT_EQ(tapi_->Initialize(), S_OK);   // a new session
  EXPECT_EQ(tapi_->Initialize(), S_FALSE);
  EXPECT_EQ(tapi_->Shutdown(), S_OK);
  EXPECT_EQ(tapi_->Shutdown(), S_FALSE);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
