#include "web/numbers.h"

#include <gtest/gtest.h>

namespace dvchub::web {
namespace {

TEST(NumbersTest, DecimalCommaAndPercentages) {
  EXPECT_EQ(decimal_text(3.5), "3,5");
  EXPECT_EQ(decimal_text(12.0, 2), "12,00");
  EXPECT_EQ(decimal_text(-0.25, 2), "-0,25");
  EXPECT_EQ(percent_text(0.875), "87,5 %");
  EXPECT_EQ(percent_text(1.0), "100,0 %");
  EXPECT_EQ(percent_text(std::nullopt), "—");
}

}  // namespace
}  // namespace dvchub::web
