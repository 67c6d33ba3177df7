#include "qrcode/qr_code.h"

#include <gtest/gtest.h>

#include <regex>

namespace dvchub::qrcode {
namespace {

// A finder pattern: a 7×7 dark ring, a light ring, a 3×3 dark centre, with its top-left module at (row, column).
bool finder_at(const Matrix& matrix, int row, int column) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      const bool ring = y == 0 || y == 6 || x == 0 || x == 6;
      const bool centre = y >= 2 && y <= 4 && x >= 2 && x <= 4;
      if (matrix.at(row + y, column + x) != (ring || centre)) return false;
    }
  }
  return true;
}

TEST(QrCodeTest, EncodesAUrlWithFinderPatternsInThreeCorners) {
  auto matrix = encode("https://dvchub.example.vn/khao-sat?don_vi=MH-XA-2&thu_tuc=1.001193");
  ASSERT_TRUE(matrix.has_value());
  // 67 bytes at level M need version 5 (37 modules) at least; versions grow by 4 modules.
  EXPECT_GE(matrix->size, 37);
  EXPECT_EQ((matrix->size - 17) % 4, 0);
  EXPECT_TRUE(finder_at(*matrix, 0, 0));
  EXPECT_TRUE(finder_at(*matrix, 0, matrix->size - 7));
  EXPECT_TRUE(finder_at(*matrix, matrix->size - 7, 0));
  EXPECT_FALSE(finder_at(*matrix, matrix->size - 7, matrix->size - 7));
  // Different text, different code; the same text, the same code.
  auto other = encode("https://dvchub.example.vn/khao-sat?don_vi=MH-XA-3&thu_tuc=1.001193");
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(other->dark, matrix->dark);
  EXPECT_EQ(encode("https://dvchub.example.vn/khao-sat?don_vi=MH-XA-2&thu_tuc=1.001193")->dark, matrix->dark);
}

TEST(QrCodeTest, RefusesEmptyAndOverlongText) {
  EXPECT_FALSE(encode("").has_value());
  EXPECT_EQ(encode(std::string(1001, 'a')).error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(encode(std::string(1000, 'a')).has_value());
}

TEST(QrCodeTest, SvgDrawsEveryDarkModuleOnceWithAQuietZoneAndEscapedTitle) {
  auto matrix = encode("xin chào");
  ASSERT_TRUE(matrix.has_value());
  const std::string svg = to_svg(*matrix, "Khảo sát <xã> & \"thủ tục\"");
  const int extent = matrix->size + 8;
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(extent) + " " + std::to_string(extent) + "\""),
            std::string::npos);
  EXPECT_NE(svg.find("<title>Khảo sát &lt;xã&gt; &amp; &quot;thủ tục&quot;</title>"), std::string::npos);
  // Re-draw the runs and compare with the matrix.
  std::vector<bool> drawn(matrix->dark.size(), false);
  const std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z");
  for (auto match = std::sregex_iterator(svg.begin(), svg.end(), run); match != std::sregex_iterator(); ++match) {
    const int column = std::stoi((*match)[1]) - 4;
    const int row = std::stoi((*match)[2]) - 4;
    const int length = std::stoi((*match)[3]);
    ASSERT_GE(column, 0);
    ASSERT_GE(row, 0);
    for (int offset = 0; offset < length; ++offset) {
      auto index = static_cast<std::size_t>(row * matrix->size + column + offset);
      ASSERT_FALSE(drawn[index]) << "drawn twice";
      drawn[index] = true;
    }
  }
  EXPECT_EQ(drawn, matrix->dark);
}

}  // namespace
}  // namespace dvchub::qrcode
