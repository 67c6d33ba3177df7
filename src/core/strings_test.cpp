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

}  // namespace
}  // namespace dvchub
