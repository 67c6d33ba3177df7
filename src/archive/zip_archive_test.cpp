#include "archive/zip_archive.h"

#include <gtest/gtest.h>

#include "support/zip_member.h"

namespace dvchub::archive {
namespace {

using dvchub::testing::zip_member;

TEST(ZipArchiveTest, WritesEntriesThatUnzipToTheSameBytes) {
  std::string binary("\0\x01\xFF" "abc", 6);
  std::string large(200'000, 'x');
  auto bytes = write_zip({{"[Content_Types].xml", "<Types/>"}, {"word/tài liệu.xml", "Cộng hòa"}, {"bin", binary},
                          {"large.txt", large}});
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_LT(bytes->size(), 10'000u);  // deflated
  EXPECT_EQ(bytes->find("[Content_Types].xml"), 30u);  // the first entry's name follows its 30-byte local header
  EXPECT_EQ(zip_member(*bytes, "[[]Content_Types].xml"), "<Types/>");  // unzip reads [ as a pattern
  EXPECT_NE(bytes->find("word/tài liệu.xml"), std::string::npos);  // UTF-8 names are stored as they are
  EXPECT_EQ(zip_member(*bytes, "word/t*.xml"), "Cộng hòa");
  EXPECT_EQ(zip_member(*bytes, "bin"), binary);
  EXPECT_EQ(zip_member(*bytes, "large.txt"), large);
  auto again = write_zip({{"[Content_Types].xml", "<Types/>"}, {"word/tài liệu.xml", "Cộng hòa"}, {"bin", binary},
                          {"large.txt", large}});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *bytes);  // no clock in the archive
}

TEST(ZipArchiveTest, RefusesEmptyOrRepeatedPaths) {
  EXPECT_EQ(write_zip({}).error().code, ErrorCode::invalid_input);
  EXPECT_EQ(write_zip({{"", "x"}}).error().code, ErrorCode::invalid_input);
  EXPECT_EQ(write_zip({{"a", "x"}, {"a", "y"}}).error().code, ErrorCode::invalid_input);
}

}  // namespace
}  // namespace dvchub::archive
