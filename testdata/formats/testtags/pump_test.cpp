// Verifies: SRS-900 (file header: reported)
#include <gtest/gtest.h>
#include <catch2/catch_test_macros.hpp>

// Verifies: SRS-040
TEST(Rectangle, Area) {
  EXPECT_EQ(2 * 2, 4);
}

class PumpFixture : public ::testing::Test {};

TEST_F(PumpFixture, Primes) {
  const char* s = "Verifies: SRS-999 in a string { not a tag";
  /* Verifies: SRS-041 */
  EXPECT_TRUE(s != nullptr);
}

/*
 * Verifies: SRS-042,
 *           SRS-043
 */
TEST_CASE("bolus is rejected above the limit", "[dose]") {
  REQUIRE(true);
}

// Verifies: SRS-901 (on a helper: reported)
static int helper() { return 1; }
