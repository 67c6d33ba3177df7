#include "csv/csv_reader.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace dvchub::csv
