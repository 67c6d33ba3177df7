#include "core/strings.h"

#include <gtest/gtest.h>

namespace dvchub {
namespace {

TEST(StringsTest, TrimmedDropsSpacesTabsAndLineBreaksAtBothEnds) {
  EXPECT_EQ(trimmed(" \t Xã Long Hưng \r\n"), "Xã Long Hưng");
  EXPECT_EQ(trimmed("   "), "");
}

TEST(StringsTest, XmlEscapedIsSafeInContentAndAttributesAndValidXml) {
  EXPECT_EQ(xml_escaped("<a href=\"x\">Tôi & 'bạn'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tôi &amp; &apos;bạn&apos;&lt;/a&gt;");
  EXPECT_EQ(xml_escaped(std::string("dòng 1\n\tdòng 2\r\x01\x1f\x0b.")), "dòng 1\n\tdòng 2\r.");
}

TEST(StringsTest, GroupedWritesThousandsWithDots) {
  EXPECT_EQ(grouped(0), "0");
  EXPECT_EQ(grouped(999), "999");
  EXPECT_EQ(grouped(1000), "1.000");
  EXPECT_EQ(grouped(1234567), "1.234.567");
  EXPECT_EQ(grouped(-45000), "-45.000");
}

TEST(StringsTest, ValidUtf8PrefixCutsAtCharacterBoundariesAndReplacesInvalidBytes) {
  EXPECT_EQ(valid_utf8_prefix("Đăng ký", 100), "Đăng ký");
  // "Đ" is two bytes and "ă" two: a limit inside a character drops it whole.
  EXPECT_EQ(valid_utf8_prefix("Đăng", 3), "Đ");
  EXPECT_EQ(valid_utf8_prefix("Đăng", 4), "Đă");
  EXPECT_EQ(valid_utf8_prefix("😀a", 3), "");
  EXPECT_EQ(valid_utf8_prefix("😀a", 5), "😀a");
  // A stray continuation byte, a truncated sequence, an overlong "/", a surrogate, a value past U+10FFFF.
  EXPECT_EQ(valid_utf8_prefix(std::string("a\x80" "b"), 100), "a\uFFFDb");
  EXPECT_EQ(valid_utf8_prefix(std::string("a\xE1\xBA" "b"), 100), "a\uFFFD\uFFFDb");
  EXPECT_EQ(valid_utf8_prefix(std::string("\xC0\xAF"), 100), "\uFFFD\uFFFD");
  EXPECT_EQ(valid_utf8_prefix(std::string("\xED\xA0\x80"), 100), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(valid_utf8_prefix(std::string("\xF4\x90\x80\x80"), 100), "\uFFFD\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(valid_utf8_prefix(std::string("ab\xFF"), 4), "ab");
}

}  // namespace
}  // namespace dvchub
