#include "core/secret.h"

#include <gtest/gtest.h>

namespace opentapi::core {
namespace {

TEST(SameSecret, EqualOnlyWhenEveryByteAndTheLengthMatch) {
  EXPECT_TRUE(same_secret("let-me-in", "let-me-in"));
  EXPECT_TRUE(same_secret("", ""));
  EXPECT_FALSE(same_secret("let-me-in", "let-me-io"));
  EXPECT_FALSE(same_secret("let-me-in", "let-me-in "));
  EXPECT_FALSE(same_secret("let-me-in", ""));
  EXPECT_FALSE(same_secret(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
  // A prefix padded with NULs is not the secret.
  EXPECT_FALSE(same_secret("ab", std::string_view("ab\0", 3)));
}

}  // namespace
}  // namespace opentapi::core
