#include "trident/error.h"

#include <gtest/gtest.h>

#include <new>

namespace {

TEST(ErrorTest, GuardTurnsBadAllocIntoTaggedError) {
  try {
    TRIDENT_GUARD("alloc", { throw std::bad_alloc(); });
    FAIL() << "expected an exception";
  } catch (const trident::Error& e) {
    EXPECT_EQ(e.kind(), trident::ErrorKind::kOutOfMemory);
    EXPECT_STREQ(e.what(), "[OUT_OF_MEMORY] alloc: out of native memory");
  }
}

TEST(ErrorTest, GuardKeepsTridentErrorKind) {
  try {
    TRIDENT_GUARD("search", { TRIDENT_CHECK(false, trident::ErrorKind::kDimensionMismatch, "d"); });
    FAIL() << "expected an exception";
  } catch (const trident::Error& e) {
    EXPECT_EQ(e.kind(), trident::ErrorKind::kDimensionMismatch);
  }
}

}  // namespace
