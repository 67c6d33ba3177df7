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

// append_value writes compact JSON that reads back equal, with doubles in the shortest round-trip form.
TEST(JsonWriting, ValuesWithShortestNumbers) {
  Object object;
  object["ratio"] = 0.375;
  object["third"] = 1.0 / 3.0;
  object["whole"] = 0.8;
  object["count"] = std::int64_t{-3};
  object["big"] = std::uint64_t{18446744073709551615ull};
  object["none"] = nullptr;
  object["flag"] = false;
  object["text"] = "Xã \"A\"\n";
  object["list"] = Array{1.5, "b", Array{}, Object{}};
  std::string text;
  append_value(text, object);
  EXPECT_EQ(text, R"({"ratio":0.375,"third":0.3333333333333333,"whole":0.8,"count":-3,"big":18446744073709551615,)"
                  R"("none":null,"flag":false,"text":"Xã \"A\"\u000a","list":[1.5,"b",[],{}]})");
  auto parsed = parse_object(text);
  ASSERT_TRUE(parsed.has_value()) << text;
  EXPECT_EQ(Value(*parsed), Value(object));
}

}  // namespace
}  // namespace dvchub::json
