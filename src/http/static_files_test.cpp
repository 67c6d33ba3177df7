#include "http/static_files.h"

#include <gtest/gtest.h>

namespace dvchub::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  Handler handler = make_static_handler(
      [](std::string_view path) -> std::optional<StaticContent> {
        if (path == "assets/site.css") return StaticContent{"body{}", "\"abc\""};
        return std::nullopt;
      },
      {.prefix = "assets/", .cache_control = "public, max-age=60"});

  Response get(std::string path, std::optional<std::string> if_none_match = std::nullopt) {
    Request request;
    request.path_parameters["path"] = std::move(path);
    if (if_none_match) request.headers.add("If-None-Match", *if_none_match);
    return handler(request);
  }
};

TEST_F(StaticFilesTest, ServesContentWithValidatorsAndType) {
  Response response = get("site.css");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "body{}");
  EXPECT_EQ(response.headers.get("ETag"), "\"abc\"");
  EXPECT_EQ(response.headers.get("Cache-Control"), "public, max-age=60");
  EXPECT_EQ(response.headers.get("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, MatchingIfNoneMatchGives304WithoutBody) {
  for (std::string header : {"\"abc\"", "\"zzz\", \"abc\"", "W/\"abc\"", "*"}) {
    Response response = get("site.css", header);
    EXPECT_EQ(response.status, 304) << header;
    EXPECT_TRUE(response.body.empty());
    EXPECT_EQ(response.headers.get("ETag"), "\"abc\"");
    EXPECT_EQ(response.headers.get("Cache-Control"), "public, max-age=60");
  }
  EXPECT_EQ(get("site.css", "\"abcd\"").status, 200);
}

TEST_F(StaticFilesTest, UnknownFileIs404) {
  EXPECT_EQ(get("missing.css").status, 404);
  EXPECT_EQ(get("../templates/home.html").status, 404);
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("a/b/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.SVG"), "image/svg+xml");
  EXPECT_EQ(content_type_for("logo.png"), "image/png");
  EXPECT_EQ(content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("font.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("data.json"), "application/json");
  EXPECT_EQ(content_type_for("page.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("archive.tar"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.css/noextension"), "application/octet-stream");
}

}  // namespace
}  // namespace dvchub::http
