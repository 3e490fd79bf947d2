// IEnum* and ITCollection rules (docs/reference/tapi3-callcenter.md §1.1 rule 3, §3.8):
// counts, S_FALSE, E_POINTER, snapshots, references.
#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

class Enumerators : public TapiTest {
 protected:
  void SetUp() override {
    TapiTest::SetUp();
    fake_->num_devices = 2;
    initialize();
    handler_ = handler();
    ASSERT_TRUE(handler_);
  }
  void TearDown() override {
    handler_.reset();
    TapiTest::TearDown();
  }
  Ref<IEnumAddress> addresses() {
    Ref<IEnumAddress> e;
    EXPECT_EQ(handler_->EnumerateUsableAddresses(e.out()), S_OK);
    return e;
  }
  Ref<ITAgentHandler> handler_;
};

IUnknown* identity(IUnknown* p) {
  IUnknown* u = nullptr;
  p->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&u));
  u->Release();
  return u;
}

TEST_F(Enumerators, NextReturnsSOkWhenAllAskedForWereFetched) {
  auto e = addresses();
  ITAddress* items[2] = {};
  ULONG fetched = 99;
  EXPECT_EQ(e->Next(2, items, &fetched), S_OK);
  EXPECT_EQ(fetched, 2u);
  EXPECT_NE(items[0], items[1]);
  items[0]->Release();
  items[1]->Release();
}

TEST_F(Enumerators, NextReturnsSFalseWhenFewerWereLeft) {
  auto e = addresses();
  ITAddress* items[5] = {};
  ULONG fetched = 0;
  EXPECT_EQ(e->Next(5, items, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 2u);
  items[0]->Release();
  items[1]->Release();
  EXPECT_EQ(e->Next(1, items, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 0u);
  EXPECT_EQ(e->Next(0, items, &fetched), S_OK);  // nothing asked, nothing missing
  EXPECT_EQ(fetched, 0u);
}

TEST_F(Enumerators, NextWithoutFetchedCountOnlyForOneElement) {
  auto e = addresses();
  ITAddress* items[2] = {};
  EXPECT_EQ(e->Next(2, items, nullptr), E_POINTER);
  EXPECT_EQ(e->Next(1, nullptr, nullptr), E_POINTER);
  EXPECT_EQ(e->Next(1, items, nullptr), S_OK);
  items[0]->Release();
}

TEST_F(Enumerators, SkipResetAndCloneFollowTheCountRules) {
  auto e = addresses();
  Ref<ITAddress> first;
  ASSERT_EQ(e->Next(1, first.out(), nullptr), S_OK);
  EXPECT_EQ(e->Reset(), S_OK);
  EXPECT_EQ(e->Skip(1), S_OK);
  Ref<IEnumAddress> clone;
  EXPECT_EQ(e->Clone(clone.out()), S_OK);
  EXPECT_EQ(e->Clone(nullptr), E_POINTER);
  EXPECT_EQ(e->Skip(5), S_FALSE);  // only one was left
  Ref<ITAddress> second;
  EXPECT_EQ(clone->Next(1, second.out(), nullptr), S_OK);  // the clone kept its own position
  EXPECT_NE(identity(first.get()), identity(second.get()));
  EXPECT_EQ(clone->Reset(), S_OK);
  Ref<ITAddress> again;
  EXPECT_EQ(clone->Next(1, again.out(), nullptr), S_OK);
  EXPECT_EQ(identity(again.get()), identity(first.get()));  // one object per address
}

TEST_F(Enumerators, ElementsOutliveTheirEnumerator) {
  Ref<ITAddress> kept;
  {
    auto e = addresses();
    ASSERT_EQ(e->Next(1, kept.out(), nullptr), S_OK);
  }
  BSTR name = nullptr;
  EXPECT_EQ(kept->get_AddressName(&name), S_OK);
  EXPECT_EQ(to_string(name), L"line 0 address 0");
}

TEST_F(Enumerators, EnumeratorQueryInterfaceKnowsItsOwnInterfaceOnly) {
  auto e = addresses();
  EXPECT_TRUE(query<IUnknown>(e.get(), IID_IUnknown));
  EXPECT_TRUE(query<IEnumAddress>(e.get(), IID_IEnumAddress));
  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(e->QueryInterface(IID_IDispatch, &p), E_NOINTERFACE);
  EXPECT_EQ(p, nullptr);
}

TEST_F(Enumerators, CollectionHasTheSameMembersAsTheEnumerator) {
  VARIANT v;
  ASSERT_EQ(handler_->get_UsableAddresses(&v), S_OK);
  ASSERT_EQ(v.vt, VT_DISPATCH);
  auto collection = query<ITCollection>(v.pdispVal, IID_ITCollection);
  ASSERT_TRUE(collection);
  LONG count = 0;
  EXPECT_EQ(collection->get_Count(&count), S_OK);
  EXPECT_EQ(count, 2);
  long c_long = 0;  // the C `long` overload compiles and forwards
  EXPECT_EQ(collection->get_Count(&c_long), S_OK);
  EXPECT_EQ(c_long, 2);

  auto e = addresses();
  Ref<ITAddress> first;
  ASSERT_EQ(e->Next(1, first.out(), nullptr), S_OK);
  VARIANT item;
  ASSERT_EQ(collection->get_Item(1, &item), S_OK);  // Automation collections are 1-based
  ASSERT_EQ(item.vt, VT_DISPATCH);
  EXPECT_EQ(identity(item.pdispVal), identity(first.get()));
  EXPECT_EQ(VariantClear(&item), S_OK);
  EXPECT_EQ(collection->get_Item(0, &item), E_INVALIDARG);
  EXPECT_EQ(collection->get_Item(3, &item), E_INVALIDARG);
  EXPECT_EQ(collection->get_Item(1, nullptr), E_POINTER);

  Ref<IUnknown> unknown;
  ASSERT_EQ(collection->get__NewEnum(unknown.out()), S_OK);
  auto ev = query<IEnumVARIANT>(unknown.get(), IID_IEnumVARIANT);
  ASSERT_TRUE(ev);
  VARIANT items[3];
  ULONG fetched = 0;
  EXPECT_EQ(ev->Next(3, items, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 2u);
  for (ULONG i = 0; i < fetched; ++i) VariantClear(&items[i]);
  // IEnumVARIANT (unlike the IEnum* of TAPI) takes a NULL count for any
  // celt; the slots it could not fill are VT_EMPTY.
  items[0].vt = VT_I4;
  EXPECT_EQ(ev->Next(2, items, nullptr), S_FALSE);
  EXPECT_EQ(items[0].vt, VT_EMPTY);
  EXPECT_EQ(ev->Reset(), S_OK);
  EXPECT_EQ(ev->Next(3, items, nullptr), S_FALSE);
  EXPECT_EQ(items[0].vt, VT_DISPATCH);
  EXPECT_EQ(items[1].vt, VT_DISPATCH);
  EXPECT_EQ(items[2].vt, VT_EMPTY);
  for (VARIANT& slot : items) VariantClear(&slot);
  EXPECT_EQ(VariantClear(&v), S_OK);
}

TEST_F(Enumerators, EnumeratorIsASnapshot) {
  auto cc = call_center();
  Ref<IEnumAgentHandler> before;
  ASSERT_EQ(cc->EnumerateAgentHandlers(before.out()), S_OK);
  // Line 1 changes hands: its proxy closes, another proxy registers there.
  fake_->post(LINE_PROXYSTATUS, line_of(1), LINEPROXYSTATUS_CLOSE, LINEPROXYREQUEST_CREATEAGENT, 0);
  fake_->proxy_guid = {0x99999999, 0, 0, {9, 9, 9, 9, 9, 9, 9, 9}};
  fake_->post(LINE_PROXYSTATUS, line_of(1), LINEPROXYSTATUS_ALLOPENFORACD, 0, 0);
  ASSERT_TRUE(fake_->drain());
  Ref<IEnumAgentHandler> after;
  ASSERT_EQ(cc->EnumerateAgentHandlers(after.out()), S_OK);
  ITAgentHandler* items[4] = {};
  ULONG fetched = 0;
  EXPECT_EQ(before->Next(4, items, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 1u);
  for (ULONG i = 0; i < fetched; ++i) items[i]->Release();
  EXPECT_EQ(after->Next(4, items, &fetched), S_FALSE);
  EXPECT_EQ(fetched, 2u);
  for (ULONG i = 0; i < fetched; ++i) items[i]->Release();
}

}  // namespace
}  // namespace opentapi::tapi3::testing
