// VARIANT handling: what VariantClear frees and VariantCopy duplicates
// (tapi_com.h).
#include <gtest/gtest.h>

#include <cwchar>

#include "tapi_com.h"

namespace {

// An IDispatch that only counts references; never freed by Release so the
// test can inspect the count afterwards.
class CountedDispatch final : public IDispatch {
 public:
  ULONG refs = 1;
  int releases = 0;

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID, void** ppv) override {
    if (ppv != nullptr) *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs; }
  ULONG STDMETHODCALLTYPE Release() override {
    ++releases;
    return --refs;
  }
  HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR*, UINT, LCID, DISPID*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS*, VARIANT*, EXCEPINFO*, UINT*) override {
    return E_NOTIMPL;
  }
};

TEST(Variant, InitMakesAnEmptyVariant) {
  VARIANT v;
  v.vt = VT_I4;
  v.lVal = 42;
  VariantInit(&v);
  EXPECT_EQ(V_VT(&v), VT_EMPTY);
}

TEST(Variant, ClearReleasesDispatchExactlyOnce) {
  CountedDispatch disp;
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_DISPATCH;
  V_DISPATCH(&v) = &disp;

  EXPECT_EQ(VariantClear(&v), S_OK);
  EXPECT_EQ(disp.releases, 1);
  EXPECT_EQ(disp.refs, 0u);
  EXPECT_EQ(V_VT(&v), VT_EMPTY);

  EXPECT_EQ(VariantClear(&v), S_OK);  // now empty: nothing more to release
  EXPECT_EQ(disp.releases, 1);
}

TEST(Variant, ClearReleasesUnknown) {
  CountedDispatch disp;
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_UNKNOWN;
  V_UNKNOWN(&v) = &disp;
  EXPECT_EQ(VariantClear(&v), S_OK);
  EXPECT_EQ(disp.releases, 1);
}

TEST(Variant, ClearOfNullInterfaceIsFine) {
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_DISPATCH;
  V_DISPATCH(&v) = nullptr;
  EXPECT_EQ(VariantClear(&v), S_OK);
  EXPECT_EQ(V_VT(&v), VT_EMPTY);
}

TEST(Variant, ClearFreesBstr) {
  // Leak detection (ASan build) proves the free; here: it ends up empty.
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_BSTR;
  V_BSTR(&v) = SysAllocString(L"group");
  EXPECT_EQ(VariantClear(&v), S_OK);
  EXPECT_EQ(V_VT(&v), VT_EMPTY);
  EXPECT_EQ(V_BSTR(&v), nullptr);
}

TEST(Variant, ClearDoesNotReleaseByRef) {
  CountedDispatch disp;
  IDispatch* held = &disp;
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_DISPATCH | VT_BYREF;
  V_DISPATCHREF(&v) = &held;
  EXPECT_EQ(VariantClear(&v), S_OK);
  EXPECT_EQ(disp.releases, 0);
  EXPECT_EQ(V_VT(&v), VT_EMPTY);
}

TEST(Variant, ClearRefusesTypesItCannotFree) {
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_ARRAY | VT_I4;
  V_ARRAY(&v) = nullptr;
  EXPECT_EQ(VariantClear(&v), DISP_E_BADVARTYPE);
  EXPECT_EQ(V_VT(&v), VT_ARRAY | VT_I4);  // untouched

  V_VT(&v) = VT_RECORD;
  EXPECT_EQ(VariantClear(&v), DISP_E_BADVARTYPE);
  V_VT(&v) = 0x0fff;
  EXPECT_EQ(VariantClear(&v), DISP_E_BADVARTYPE);
  V_VT(&v) = VT_VARIANT;  // only valid with VT_BYREF
  EXPECT_EQ(VariantClear(&v), DISP_E_BADVARTYPE);

  EXPECT_EQ(VariantClear(nullptr), E_INVALIDARG);
}

TEST(Variant, CopyAddRefsDispatch) {
  CountedDispatch disp;
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  V_VT(&src) = VT_DISPATCH;
  V_DISPATCH(&src) = &disp;

  EXPECT_EQ(VariantCopy(&dst, &src), S_OK);
  EXPECT_EQ(V_VT(&dst), VT_DISPATCH);
  EXPECT_EQ(V_DISPATCH(&dst), &disp);
  EXPECT_EQ(disp.refs, 2u);

  EXPECT_EQ(VariantClear(&dst), S_OK);
  EXPECT_EQ(VariantClear(&src), S_OK);
  EXPECT_EQ(disp.releases, 2);
  EXPECT_EQ(disp.refs, 0u);
}

TEST(Variant, CopyDuplicatesBstrWithEmbeddedNuls) {
  const OLECHAR text[] = {L'x', L'\0', L'y'};
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  V_VT(&src) = VT_BSTR;
  V_BSTR(&src) = SysAllocStringLen(text, 3);

  EXPECT_EQ(VariantCopy(&dst, &src), S_OK);
  EXPECT_EQ(V_VT(&dst), VT_BSTR);
  EXPECT_NE(V_BSTR(&dst), V_BSTR(&src));
  EXPECT_EQ(SysStringLen(V_BSTR(&dst)), 3u);
  EXPECT_EQ(std::wmemcmp(V_BSTR(&dst), text, 3), 0);

  VariantClear(&src);
  VariantClear(&dst);
}

TEST(Variant, CopyClearsTheDestinationFirst) {
  CountedDispatch old_value;
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  V_VT(&dst) = VT_DISPATCH;
  V_DISPATCH(&dst) = &old_value;
  V_VT(&src) = VT_I4;
  V_I4(&src) = 7;

  EXPECT_EQ(VariantCopy(&dst, &src), S_OK);
  EXPECT_EQ(old_value.releases, 1);
  EXPECT_EQ(V_VT(&dst), VT_I4);
  EXPECT_EQ(V_I4(&dst), 7);
}

TEST(Variant, CopyOfValuesAndSelfCopy) {
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  V_VT(&src) = VT_CY;
  V_CY(&src).int64 = 123456;  // 12.3456
  EXPECT_EQ(VariantCopy(&dst, &src), S_OK);
  EXPECT_EQ(V_VT(&dst), VT_CY);
  EXPECT_EQ(V_CY(&dst).int64, 123456);

  EXPECT_EQ(VariantCopy(&src, &src), S_OK);
  EXPECT_EQ(V_CY(&src).int64, 123456);
}

TEST(Variant, CopyRefusesUnsupportedSourceAndKeepsDestination) {
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  V_VT(&src) = VT_ARRAY | VT_BSTR;
  V_VT(&dst) = VT_I4;
  V_I4(&dst) = 3;
  EXPECT_EQ(VariantCopy(&dst, &src), DISP_E_BADVARTYPE);
  EXPECT_EQ(V_VT(&dst), VT_I4);
  EXPECT_EQ(VariantCopy(nullptr, &src), E_INVALIDARG);
  EXPECT_EQ(VariantCopy(&dst, nullptr), E_INVALIDARG);
}

}  // namespace
