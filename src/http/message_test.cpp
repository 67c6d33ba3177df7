#include "http/message.h"

#include <gtest/gtest.h>

#include "http/error_mapping.h"

namespace dvchub::http {
namespace {

TEST(Headers, LookupIgnoresCaseAndSetReplacesEveryEntry) {
  Headers headers;
  headers.add("Content-Type", "text/plain");
  headers.add("X-Thing", "one");
  headers.add("x-thing", "two");
  EXPECT_EQ(headers.get("content-type"), "text/plain");
  EXPECT_EQ(headers.get("X-THING"), "one");
  EXPECT_FALSE(headers.get("Missing"));
  headers.set("X-Thing", "three");
  EXPECT_EQ(headers.get("x-thing"), "three");
  EXPECT_EQ(headers.entries().size(), 2u);
}

TEST(PercentCoding, DecodesEscapesAndPlusOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("%C4%91%E1%BB%99i", false), "đội");
  EXPECT_EQ(percent_decode("100%", false), "100%");    // incomplete escape kept
  EXPECT_EQ(percent_decode("%zz%4", false), "%zz%4");  // invalid escapes kept
  EXPECT_EQ(percent_encode("a b/đ~-._"), "a%20b%2F%C4%91~-._");
  EXPECT_EQ(percent_decode(percent_encode("Hồ Chí Minh & co=1"), false), "Hồ Chí Minh & co=1");
}

TEST(UrlEncoded, ParsesPairsKeepingRepeatsAndSkippingEmptyNames) {
  auto pairs = parse_url_encoded("a=1&b=hello+world&a=2&flag&&=orphan&c=%26");
  EXPECT_EQ(pairs.count("a"), 2u);
  EXPECT_EQ(pairs.lower_bound("a")->second, "1");
  EXPECT_EQ(pairs.find("b")->second, "hello world");
  EXPECT_EQ(pairs.find("flag")->second, "");
  EXPECT_EQ(pairs.find("c")->second, "&");
  EXPECT_EQ(pairs.count(""), 0u);
  EXPECT_EQ(pairs.size(), 5u);
}

TEST(RequestHelpers, QueryParameterCookieAndForm) {
  Request request;
  request.query = parse_url_encoded("page=2&page=3&q=x");
  request.headers.add("Cookie", "theme=dark; session=\"abc123\";  lang = vi");
  request.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = "name=Nguy%E1%BB%85n+V%C4%83n+A&name=second&empty=";
  request.path_parameters["code"] = "HN";

  EXPECT_EQ(request.query_parameter("page"), "2");
  EXPECT_FALSE(request.query_parameter("missing"));
  EXPECT_EQ(request.cookie("session"), "abc123");
  EXPECT_EQ(request.cookie("lang"), "vi");
  EXPECT_EQ(request.cookie("theme"), "dark");
  EXPECT_FALSE(request.cookie("sess"));
  EXPECT_EQ(request.form_value("name"), "Nguyễn Văn A");
  EXPECT_EQ(request.form_value("empty"), "");
  EXPECT_EQ(request.form().count("name"), 2u);
  EXPECT_EQ(request.path_parameter("code"), "HN");
  EXPECT_EQ(request.path_parameter("other"), "");
}

TEST(RequestHelpers, FormIsEmptyForOtherContentTypes) {
  Request request;
  request.headers.add("Content-Type", "application/json");
  request.body = "a=1";
  EXPECT_TRUE(request.form().empty());
  EXPECT_FALSE(request.form_value("a"));
}

TEST(ResponseFactories, SetStatusContentTypeAndLocation) {
  Response html = Response::html(201, "<p>ok</p>");
  EXPECT_EQ(html.status, 201);
  EXPECT_EQ(html.headers.get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(html.body, "<p>ok</p>");
  EXPECT_EQ(Response::json(200, "{}").headers.get("content-type"), "application/json");
  EXPECT_EQ(Response::text(404, "x").headers.get("Content-Type"), "text/plain; charset=utf-8");
  Response redirect = Response::redirect("/units?saved=1");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.headers.get("Location"), "/units?saved=1");
  EXPECT_TRUE(redirect.body.empty());
}

TEST(MethodName, NamesEveryMethod) {
  EXPECT_STREQ(method_name(Method::get), "GET");
  EXPECT_STREQ(method_name(Method::delete_), "DELETE");
  EXPECT_STREQ(method_name(Method::patch), "PATCH");
  EXPECT_STREQ(method_name(Method::other), "OTHER");
}

TEST(ErrorMapping, EveryCodeHasItsStatus) {
  EXPECT_EQ(http_status(ErrorCode::invalid_input), 400);
  EXPECT_EQ(http_status(ErrorCode::unauthenticated), 401);
  EXPECT_EQ(http_status(ErrorCode::forbidden), 403);
  EXPECT_EQ(http_status(ErrorCode::not_found), 404);
  EXPECT_EQ(http_status(ErrorCode::conflict), 409);
  EXPECT_EQ(http_status(ErrorCode::payload_too_large), 413);
  EXPECT_EQ(http_status(ErrorCode::too_many_requests), 429);
  EXPECT_EQ(http_status(ErrorCode::unavailable), 503);
  EXPECT_EQ(http_status(ErrorCode::internal), 500);
}

}  // namespace
}  // namespace dvchub::http
