#include "json/json.h"

#include <gtest/gtest.h>

#include <limits>

namespace dvchub::json {
namespace {

// Text written with append_string / append_number reads back as the same string and number.
TEST(JsonWriting, StringsAndNumbersReadBackExactly) {
  const std::string awkward = std::string("quote \" backslash \\ tab \t newline \n bell \x07 nul ") + '\0' +
                              " Đống Đa 🇻🇳";
  for (double number : {0.1, 1.0 / 3.0, -0.0, 1e300, 5e-324, 4.0, 0.5714285714285714}) {
    std::string text = "{\"text\":";
    append_string(text, awkward);
    text += ",\"number\":";
    append_number(text, number);
    text += '}';
    auto parsed = parse_object(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(std::string(parsed->at("text").as_string()), awkward);
    EXPECT_EQ(parsed->at("number").to_number<double>(), number) << text;
  }
  std::string infinite;
  append_number(infinite, std::numeric_limits<double>::infinity());
  EXPECT_EQ(infinite, "null");
}

}  // namespace
}  // namespace dvchub::json
