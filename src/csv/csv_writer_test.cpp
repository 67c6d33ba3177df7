#include "csv/csv_writer.h"

#include <gtest/gtest.h>

#include "csv/csv_reader.h"

namespace dvchub::csv {
namespace {

TEST(CsvWriterTest, QuotesEveryFieldAndReadsBackTheSame) {
  const std::vector<std::string> fields = {"Xã Long Hưng", "có \"ngoặc\", dấu phẩy", "dòng 1\ndòng 2", "", "42"};
  const std::string line = record(fields);
  EXPECT_EQ(line, "\"Xã Long Hưng\",\"có \"\"ngoặc\"\", dấu phẩy\",\"dòng 1\ndòng 2\",\"\",\"42\"\r\n");
  std::vector<std::string> read;
  auto count = read_records(std::string(utf8_byte_order_mark) + line, [&](std::size_t, std::vector<std::string>& values) {
    read = values;
    return true;
  });
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(read, fields);
}

TEST(CsvWriterTest, FormulasAreDefusedNumbersAreNot) {
  EXPECT_EQ(record({"=HYPERLINK(\"http://x\")", "+1", "-0.5", "@SUM(A1)", "-x"}),
            "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1\",\"-0.5\",\"'@SUM(A1)\",\"'-x\"\r\n");
}

}  // namespace
}  // namespace dvchub::csv
