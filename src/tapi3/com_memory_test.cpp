// COM task memory and GUID strings (tapi_com.h), through the shared library's
// exports: Windows' semantics of CoTaskMemRealloc, StringFromIID /
// StringFromCLSID / StringFromGUID2 and their inverses.
#include <gtest/gtest.h>

#include <cstring>
#include <cwchar>

#include "tapi3.h"

namespace {

TEST(ComMemory, ReallocGrowsKeepsAndFrees) {
  auto* p = static_cast<char*>(CoTaskMemRealloc(nullptr, 4));  // NULL block: an allocation
  ASSERT_NE(p, nullptr);
  std::memcpy(p, "abc", 4);
  p = static_cast<char*>(CoTaskMemRealloc(p, 4096));
  ASSERT_NE(p, nullptr);
  EXPECT_STREQ(p, "abc");
  EXPECT_EQ(CoTaskMemRealloc(p, 0), nullptr);  // size 0 frees (ASan reports a leak otherwise)
}

TEST(ComMemory, GuidStringsRoundTrip) {
  LPOLESTR text = nullptr;
  ASSERT_EQ(StringFromIID(IID_ITAgent, &text), S_OK);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(std::wcslen(text), 38u);
  IID back{};
  ASSERT_EQ(IIDFromString(text, &back), S_OK);
  EXPECT_TRUE(IsEqualGUID(back, IID_ITAgent));
  CoTaskMemFree(text);

  ASSERT_EQ(StringFromCLSID(CLSID_TAPI, &text), S_OK);
  CLSID clsid{};
  ASSERT_EQ(CLSIDFromString(text, &clsid), S_OK);
  EXPECT_TRUE(IsEqualGUID(clsid, CLSID_TAPI));
  CoTaskMemFree(text);

  OLECHAR buf[39];
  EXPECT_EQ(StringFromGUID2(IID_ITAgent, buf, 38), 0) << "39 characters needed";
  ASSERT_EQ(StringFromGUID2(IID_ITAgent, buf, 39), 39);
  for (OLECHAR* c = buf; *c != 0; ++c) *c = static_cast<OLECHAR>(std::towlower(static_cast<wint_t>(*c)));
  ASSERT_EQ(IIDFromString(buf, &back), S_OK) << "hex digits in either case";
  EXPECT_TRUE(IsEqualGUID(back, IID_ITAgent));
}

TEST(ComMemory, MalformedGuidStringsAreRefusedWithWindowsCodes) {
  CLSID clsid = CLSID_TAPI;
  IID iid = IID_ITAgent;
  for (const wchar_t* bad : {L"", L"TAPI.TAPI.1", L"{21D6D48E-A88B-11D0-83DD-00AA003CCABD",
                             L"{21D6D48E-A88B-11D0-83DD-00AA003CCABD}x", L"21D6D48E-A88B-11D0-83DD-00AA003CCABD",
                             L"{21D6D48E-A88B-11D0-83DD-00AA003CCABG}", L"{21D6D48EA-88B-11D0-83DD-00AA003CCABD}"}) {
    EXPECT_EQ(CLSIDFromString(bad, &clsid), CO_E_CLASSSTRING) << "no ProgIDs to look up";
    EXPECT_EQ(IIDFromString(bad, &iid), E_INVALIDARG);
  }
  EXPECT_TRUE(IsEqualGUID(clsid, CLSID_TAPI)) << "untouched on failure";
  EXPECT_TRUE(IsEqualGUID(iid, IID_ITAgent));
  EXPECT_EQ(CLSIDFromString(nullptr, &clsid), S_OK);
  EXPECT_TRUE(IsEqualGUID(clsid, GUID{})) << "NULL gives GUID_NULL";
  EXPECT_EQ(CLSIDFromString(L"{00000000-0000-0000-0000-000000000000}", nullptr), E_INVALIDARG);
  EXPECT_EQ(IIDFromString(L"{00000000-0000-0000-0000-000000000000}", nullptr), E_INVALIDARG);
}

}  // namespace
