#include "csv/csv_reader.h"

#include <gtest/gtest.h>

#include <random>

namespace dvchub::csv {
namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  auto result = read_records(text, [&](std::size_t, std::vector<std::string>& fields) {
    records.push_back(fields);
    return true;
  });
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return records;
}

TEST(CsvReader, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  auto records = read_all("\xEF\xBB\xBF" "code,name\r\n94,\"Sóc Trăng, tỉnh\"\n95,\"Nói \"\"xin chào\"\"\nhai dòng\"\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0][0], "code");
  EXPECT_EQ(records[1][1], "Sóc Trăng, tỉnh");
  EXPECT_EQ(records[2][1], "Nói \"xin chào\"\nhai dòng");
}

TEST(CsvReader, KeepsEmptyFieldsAndLastRecordWithoutNewline) {
  auto records = read_all("a,,c\nd,e,");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].size(), 3u);
  EXPECT_EQ(records[0][1], "");
  EXPECT_EQ(records[1].size(), 3u);
}

TEST(CsvReader, RejectsUnterminatedQuote) {
  auto result = read_records("a,\"b\n", [](std::size_t, std::vector<std::string>&) { return true; });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
}

TEST(CsvReader, StopsWhenHandlerSaysSo) {
  std::size_t seen = 0;
  auto result = read_records("1\n2\n3\n", [&](std::size_t, std::vector<std::string>&) { return ++seen < 2; });
  ASSERT_TRUE(result);
  EXPECT_EQ(seen, 2u);
}

TEST(CsvReader, ViewsHoldTheSameFieldsAsStrings) {
  const std::string_view text = "a,\"b,\"\"c\"\"\",\nlonger field,\"x\ny\",z\n";
  std::vector<std::vector<std::string>> from_views;
  auto result = read_record_views(text, [&](std::size_t, std::span<const std::string_view> fields) {
    from_views.emplace_back(fields.begin(), fields.end());
    return true;
  });
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, 2u);
  EXPECT_EQ(from_views, read_all(text));
  ASSERT_EQ(from_views.size(), 2u);
  EXPECT_EQ(from_views[0], (std::vector<std::string>{"a", "b,\"c\"", ""}));
  EXPECT_EQ(from_views[1], (std::vector<std::string>{"longer field", "x\ny", "z"}));
}

// Text without quotes takes a fast path; it must read exactly as libcsv reads the same text (which it still parses
// once a quote appears anywhere: here a quoted record added at the end).
TEST(CsvReader, UnquotedTextReadsAsLibcsvReadsIt) {
  std::mt19937 random(5);
  const std::string alphabet = "ab ,\t\r\n,";
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int length = int(random() % 40);
    for (int index = 0; index < length; ++index) text += alphabet[random() % alphabet.size()];
    auto fast = read_all(text);
    auto through_libcsv = read_all(text + "\n\"q\"\n");
    ASSERT_FALSE(through_libcsv.empty());
    EXPECT_EQ(through_libcsv.back(), std::vector<std::string>{"q"});
    through_libcsv.pop_back();
    EXPECT_EQ(fast, through_libcsv) << "text: " << text;
  }
}

}  // namespace
}  // namespace dvchub::csv
