#include "markdown/markdown.h"

#include <gtest/gtest.h>

namespace dvchub::markdown {
namespace {

TEST(Markdown, RendersListsLinksAndTables) {
  auto html = to_safe_html("# Tiêu đề\n\n1. Mở **VNeID**\n2. Chọn [Cổng DVC](https://dichvucong.gov.vn)\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |\n");
  EXPECT_NE(html.find("<h1>Tiêu đề</h1>"), std::string::npos);
  EXPECT_NE(html.find("<ol>"), std::string::npos);
  EXPECT_NE(html.find("<strong>VNeID</strong>"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://dichvucong.gov.vn\""), std::string::npos);
  EXPECT_NE(html.find("<table>"), std::string::npos);
}

TEST(Markdown, NeverLetsMarkupOrScriptsThrough) {
  auto html = to_safe_html("<script>alert(1)</script>\n\n[bấm](javascript:alert(1)) <img src=x onerror=alert(1)>");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(html.find("onerror"), std::string::npos);
}

TEST(Markdown, PlainTextDropsSyntax) {
  EXPECT_EQ(to_plain_text("## Bước 1\n\n- Mở **ứng dụng**\n- Đăng nhập"), "Bước 1 - Mở ứng dụng - Đăng nhập");
}

}  // namespace
}  // namespace dvchub::markdown
