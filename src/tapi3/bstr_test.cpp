// BSTR allocation: Windows semantics of the Sys*String functions (tapi_com.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <cwchar>

#include "tapi_com.h"

namespace {

// The 32-bit prefix stored just before the characters.
uint32_t stored_prefix(BSTR b) {
  uint32_t prefix = 0;
  std::memcpy(&prefix, reinterpret_cast<const char*>(b) - sizeof prefix, sizeof prefix);
  return prefix;
}

TEST(Bstr, StoresByteLengthPrefixBeforeTheCharacters) {
  BSTR b = SysAllocString(L"agent 4711");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(stored_prefix(b), 10 * sizeof(OLECHAR));
  EXPECT_EQ(SysStringLen(b), 10u);
  EXPECT_EQ(SysStringByteLen(b), 10 * sizeof(OLECHAR));
  EXPECT_EQ(b[10], L'\0');
  EXPECT_STREQ(b, L"agent 4711");
  SysFreeString(b);
}

TEST(Bstr, NullInGivesNullOut) { EXPECT_EQ(SysAllocString(nullptr), nullptr); }

TEST(Bstr, EmptyStringIsNonNullWithZeroLength) {
  BSTR b = SysAllocString(L"");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(SysStringLen(b), 0u);
  EXPECT_EQ(b[0], L'\0');
  SysFreeString(b);
}

TEST(Bstr, NullBstrHasZeroLengthAndFreesAsNoOp) {
  EXPECT_EQ(SysStringLen(nullptr), 0u);
  EXPECT_EQ(SysStringByteLen(nullptr), 0u);
  SysFreeString(nullptr);
}

TEST(Bstr, AllocStringLenKeepsEmbeddedNuls) {
  const OLECHAR src[] = {L'a', L'\0', L'b', L'\0', L'c'};
  BSTR b = SysAllocStringLen(src, 5);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(SysStringLen(b), 5u);
  EXPECT_EQ(std::wmemcmp(b, src, 5), 0);
  EXPECT_EQ(b[5], L'\0');
  EXPECT_EQ(std::wcslen(b), 1u);  // C string view stops at the first NUL
  SysFreeString(b);
}

TEST(Bstr, AllocStringLenFromNullGivesZeroedCharacters) {
  BSTR b = SysAllocStringLen(nullptr, 3);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(SysStringLen(b), 3u);
  for (int i = 0; i <= 3; ++i) EXPECT_EQ(b[i], L'\0');
  SysFreeString(b);
}

TEST(Bstr, AllocStringLenCopiesOnlyTheGivenPrefix) {
  BSTR b = SysAllocStringLen(L"abcdef", 3);
  ASSERT_NE(b, nullptr);
  EXPECT_STREQ(b, L"abc");
  SysFreeString(b);
}

TEST(Bstr, ImpossibleSizeFailsWithNull) {
  EXPECT_EQ(SysAllocStringLen(nullptr, 0xFFFFFFFFu), nullptr);
  EXPECT_EQ(SysAllocStringByteLen(nullptr, 0xFFFFFFFFu), nullptr);
}

TEST(Bstr, ByteLenKeepsOddByteCountAndTerminates) {
  BSTR b = SysAllocStringByteLen("abcde", 5);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(SysStringByteLen(b), 5u);
  EXPECT_EQ(SysStringLen(b), 5u / sizeof(OLECHAR));
  EXPECT_EQ(std::memcmp(b, "abcde", 5), 0);
  // Everything after the bytes, through a whole terminating OLECHAR, is zero.
  const char* bytes = reinterpret_cast<const char*>(b);
  for (std::size_t i = 5; i < 8 + sizeof(OLECHAR); ++i) EXPECT_EQ(bytes[i], 0) << i;
  SysFreeString(b);
}

TEST(Bstr, ReAllocStringReplacesContentAndLength) {
  BSTR b = SysAllocString(L"short");
  ASSERT_EQ(SysReAllocString(&b, L"a longer string"), TRUE);
  EXPECT_STREQ(b, L"a longer string");
  EXPECT_EQ(SysStringLen(b), 15u);
  ASSERT_EQ(SysReAllocString(&b, L"x"), TRUE);
  EXPECT_STREQ(b, L"x");
  EXPECT_EQ(SysStringLen(b), 1u);
  SysFreeString(b);
}

TEST(Bstr, ReAllocStringAcceptsASourceInsideTheOldString) {
  BSTR b = SysAllocString(L"queue: sales");
  ASSERT_EQ(SysReAllocString(&b, b + 7), TRUE);
  EXPECT_STREQ(b, L"sales");
  EXPECT_EQ(SysStringLen(b), 5u);
  SysFreeString(b);
}

TEST(Bstr, ReAllocStringFromNullBstrAllocates) {
  BSTR b = nullptr;
  ASSERT_EQ(SysReAllocString(&b, L"new"), TRUE);
  EXPECT_STREQ(b, L"new");
  SysFreeString(b);
}

TEST(Bstr, ReAllocStringWithNullSourceGivesEmptyString) {
  BSTR b = SysAllocString(L"old");
  ASSERT_EQ(SysReAllocString(&b, nullptr), TRUE);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(SysStringLen(b), 0u);
  SysFreeString(b);
}

TEST(Bstr, ReAllocStringRefusesNullTarget) { EXPECT_EQ(SysReAllocString(nullptr, L"x"), FALSE); }

TEST(Bstr, ReAllocStringLenWithNullSourceKeepsOldPrefix) {
  BSTR b = SysAllocString(L"abcdef");
  ASSERT_EQ(SysReAllocStringLen(&b, nullptr, 3), TRUE);
  EXPECT_EQ(SysStringLen(b), 3u);
  EXPECT_STREQ(b, L"abc");
  ASSERT_EQ(SysReAllocStringLen(&b, nullptr, 5), TRUE);
  EXPECT_EQ(SysStringLen(b), 5u);
  EXPECT_EQ(std::wmemcmp(b, L"abc\0\0", 6), 0);
  SysFreeString(b);
}

TEST(Bstr, ReAllocStringLenFailureLeavesTargetUntouched) {
  BSTR b = SysAllocString(L"kept");
  BSTR before = b;
  EXPECT_EQ(SysReAllocStringLen(&b, nullptr, 0xFFFFFFFFu), FALSE);
  EXPECT_EQ(b, before);
  EXPECT_STREQ(b, L"kept");
  SysFreeString(b);
}

}  // namespace
