#include "spreadsheet/spreadsheet.h"

#include <gtest/gtest.h>

#include "support/zip_member.h"

namespace dvchub::spreadsheet {
namespace {

using dvchub::testing::zip_member;

TEST(SpreadsheetTest, WritesAWorkbookThatOpensWithItsSheetsAndVietnameseText) {
  Workbook workbook{"Báo cáo", "dvchub",
                    {Sheet{"Chỉ tiêu",
                           "Kết quả thực hiện năm 2026",
                           {{"Đơn vị", 30}, {"Số hoạt động", 10, ColumnFormat::integer}, {"Tỷ lệ", 10, ColumnFormat::percent}},
                           {{std::string("Xã Long Hưng (minh họa)"), std::int64_t(1234567), 0.805},
                            {std::string("Thị trấn"), Cell{}, 1.0}}},
                     Sheet{"Khen thưởng", "", {{"Hạng"}}, {{std::int64_t(1)}}}}};
  auto bytes = write_xlsx(workbook);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  ASSERT_GT(bytes->size(), 1000u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");
  const std::string book = zip_member(*bytes, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"Chỉ tiêu\""), std::string::npos) << book;
  EXPECT_NE(book.find("name=\"Khen thưởng\""), std::string::npos);
  const std::string strings = zip_member(*bytes, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("Xã Long Hưng (minh họa)"), std::string::npos) << strings;
  EXPECT_NE(strings.find("Kết quả thực hiện năm 2026"), std::string::npos);
  const std::string sheet = zip_member(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("<v>1234567</v>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>0.805</v>"), std::string::npos);
  const std::string styles = zip_member(*bytes, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"0.0%\""), std::string::npos);
  EXPECT_NE(zip_member(*bytes, "docProps/core.xml").find("<dc:title>Báo cáo</dc:title>"), std::string::npos);
}

TEST(SpreadsheetTest, RefusesWorkbooksExcelCannotOpen) {
  EXPECT_EQ(write_xlsx(Workbook{}).error().code, ErrorCode::invalid_input);
  EXPECT_EQ(write_xlsx(Workbook{"", "", {Sheet{"a/b", "", {{"x"}}, {}}}}).error().code, ErrorCode::invalid_input);
  EXPECT_EQ(write_xlsx(Workbook{"", "", {Sheet{"A", "", {{"x"}}, {}}, Sheet{"A", "", {{"x"}}, {}}}}).error().code,
            ErrorCode::invalid_input);
  EXPECT_EQ(write_xlsx(Workbook{"", "", {Sheet{std::string(32, 'x'), "", {{"x"}}, {}}}}).error().code,
            ErrorCode::invalid_input);
  EXPECT_EQ(write_xlsx(Workbook{"", "", {Sheet{"A", "", {{"x"}}, {{std::int64_t(1), std::int64_t(2)}}}}}).error().code,
            ErrorCode::invalid_input);
}

}  // namespace
}  // namespace dvchub::spreadsheet
