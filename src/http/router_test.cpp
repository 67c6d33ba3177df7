#include "http/router.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace dvchub::http {
namespace {

Handler answer(std::string body) {
  return [body](Request&) { return Response::text(200, body); };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::get, "/", answer("home"));
    router.add(Method::get, "/units/{code}", answer("unit"));
    router.add(Method::get, "/units/new", answer("new unit"));
    router.add(Method::post, "/units/{code}", answer("update unit"));
    router.add(Method::get, "/dossiers/{id:int}", answer("dossier by id"));
    router.add(Method::get, "/dossiers/{code}", answer("dossier by code"));
    router.add(Method::get, "/assets/{path*}", answer("asset"));
    router.add(Method::get, "/assets/special.css", answer("special"));
    router.add(Method::delete_, "/sessions/{id:int}", answer("logout"));
  }

  std::string matched_pattern(Method method, std::string_view path) {
    RouteMatch match = router.match(method, path);
    return match.route ? match.route->pattern : "";
  }

  Router router;
};

TEST_F(RouterTest, LiteralSegmentWinsOverParameterWhateverTheOrderOfAdding) {
  EXPECT_EQ(matched_pattern(Method::get, "/units/new"), "/units/new");
  RouteMatch match = router.match(Method::get, "/units/HN01");
  ASSERT_TRUE(match.route);
  EXPECT_EQ(match.route->pattern, "/units/{code}");
  EXPECT_EQ(match.path_parameters.at("code"), "HN01");
  EXPECT_EQ(matched_pattern(Method::get, "/"), "/");
}

TEST_F(RouterTest, IntegerParameterTakesDigitsOnlyAndWinsOverPlainParameter) {
  RouteMatch by_id = router.match(Method::get, "/dossiers/42");
  ASSERT_TRUE(by_id.route);
  EXPECT_EQ(by_id.route->pattern, "/dossiers/{id:int}");
  EXPECT_EQ(by_id.path_parameters.at("id"), "42");
  EXPECT_EQ(matched_pattern(Method::get, "/dossiers/42a"), "/dossiers/{code}");
  EXPECT_EQ(matched_pattern(Method::delete_, "/sessions/-1"), "");
  EXPECT_EQ(matched_pattern(Method::delete_, "/sessions/7"), "/sessions/{id:int}");
}

TEST_F(RouterTest, RestParameterCatchesTheRemainingSegments) {
  RouteMatch match = router.match(Method::get, "/assets/css/site.min.css");
  ASSERT_TRUE(match.route);
  EXPECT_EQ(match.route->pattern, "/assets/{path*}");
  EXPECT_EQ(match.path_parameters.at("path"), "css/site.min.css");
  EXPECT_EQ(matched_pattern(Method::get, "/assets/special.css"), "/assets/special.css");
  EXPECT_EQ(matched_pattern(Method::get, "/assets/"), "");  // the rest must not be empty
  EXPECT_EQ(matched_pattern(Method::get, "/assets"), "");
}

TEST_F(RouterTest, SegmentCountsMustAgreeAndEmptySegmentsDoNotBindParameters) {
  EXPECT_EQ(matched_pattern(Method::get, "/units/HN/extra"), "");
  EXPECT_EQ(matched_pattern(Method::get, "/units/"), "");
  EXPECT_EQ(matched_pattern(Method::get, "/units"), "");
  EXPECT_EQ(matched_pattern(Method::get, "units/HN"), "");
  EXPECT_EQ(matched_pattern(Method::get, ""), "");
}

TEST_F(RouterTest, MethodDecidesAndOtherMethodsGive405WithTheAllowedOnes) {
  EXPECT_EQ(matched_pattern(Method::post, "/units/HN"), "/units/{code}");
  EXPECT_EQ(router.match(Method::post, "/units/HN").route->options.execution, Execution::blocking);
  RouteMatch not_allowed = router.match(Method::put, "/units/HN");
  EXPECT_FALSE(not_allowed.route);
  EXPECT_TRUE(not_allowed.method_not_allowed);
  EXPECT_EQ(not_allowed.allowed_methods, (std::vector<Method>{Method::get, Method::head, Method::post}));
  RouteMatch missing = router.match(Method::put, "/nowhere");
  EXPECT_FALSE(missing.route);
  EXPECT_FALSE(missing.method_not_allowed);
}

TEST_F(RouterTest, HeadFallsBackToGetUnlessAHeadRouteExists) {
  EXPECT_EQ(matched_pattern(Method::head, "/units/new"), "/units/new");
  EXPECT_EQ(router.match(Method::head, "/units/new").route->method, Method::get);
  router.add(Method::head, "/units/new", answer("head"));
  EXPECT_EQ(router.match(Method::head, "/units/new").route->method, Method::head);
  EXPECT_TRUE(router.match(Method::head, "/sessions/1").method_not_allowed);
}

TEST(Router, RejectsMalformedAndDuplicatePatterns) {
  Router router;
  EXPECT_THROW(router.add(Method::get, "no-slash", answer("")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::get, "/a/{rest*}/b", answer("")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::get, "/a/{unclosed", answer("")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::get, "/a/x{y}", answer("")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::get, "/a/{bad-name}", answer("")), std::invalid_argument);
  router.add(Method::get, "/a/{x}", answer(""));
  EXPECT_THROW(router.add(Method::get, "/a/{y}", answer("")), std::invalid_argument);
  router.add(Method::post, "/a/{y}", answer(""));  // another method is fine
  EXPECT_EQ(router.routes().size(), 2u);
}

TEST(Router, DeferredRoutesMatchLikeOthersAndAlwaysRunOnTheWorkerPool) {
  Router router;
  RouteOptions options;
  options.execution = Execution::inline_;  // a deferred handler may read the store: never on the network thread
  router.add_deferred(Method::post, "/feedback", [](Request&, Responder respond) { respond(Response::text(201, "")); },
                      options);
  EXPECT_THROW(router.add(Method::post, "/feedback", answer("")), std::invalid_argument);
  EXPECT_THROW(router.add_deferred(Method::post, "/feedback", [](Request&, Responder) {}), std::invalid_argument);
  const Route* route = router.match(Method::post, "/feedback").route;
  ASSERT_NE(route, nullptr);
  EXPECT_TRUE(route->deferred_handler);
  EXPECT_FALSE(route->handler);
  EXPECT_EQ(route->options.execution, Execution::blocking);
}

TEST(Router, InlineAttemptsArePublicOnlyAndTheirHandlersRunOnTheWorkerPool) {
  Router router;
  auto attempt = [](Request&) -> std::optional<Response> { return std::nullopt; };
  RouteOptions staff_only;
  staff_only.access = Access::staff;  // the attempt runs before any session is read: it could not check this
  EXPECT_THROW(router.add_with_inline_attempt(Method::get, "/ask", attempt, answer(""), staff_only),
               std::invalid_argument);
  RouteOptions options;
  options.execution = Execution::inline_;
  router.add_with_inline_attempt(Method::get, "/ask", attempt, answer("computed"), options);
  EXPECT_THROW(router.add(Method::get, "/ask", answer("")), std::invalid_argument);
  const Route* route = router.match(Method::get, "/ask").route;
  ASSERT_NE(route, nullptr);
  EXPECT_TRUE(route->inline_attempt);
  EXPECT_TRUE(route->handler);
  EXPECT_EQ(route->options.execution, Execution::blocking);
}

}  // namespace
}  // namespace dvchub::http
