#include "http/metrics.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace dvchub::http {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(Metrics, CountsRequestsByRouteMethodAndStatus) {
  Metrics metrics;
  RouteMetrics& units = metrics.route("/units/{code}");
  units.record(Method::get, 200, microseconds(300));
  units.record(Method::get, 200, milliseconds(3));
  units.record(Method::post, 409, milliseconds(20));
  EXPECT_EQ(&metrics.route("/units/{code}"), &units);

  std::string text = metrics.render();
  EXPECT_NE(text.find("# TYPE dvchub_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("dvchub_http_requests_total{route=\"/units/{code}\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("dvchub_http_requests_total{route=\"/units/{code}\",method=\"POST\",status=\"409\"} 1\n"),
            std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Metrics metrics;
  RouteMetrics& route = metrics.route("/r");
  route.record(Method::get, 200, microseconds(300));   // <= 0.0005
  route.record(Method::get, 200, milliseconds(3));     // <= 0.005
  route.record(Method::get, 200, milliseconds(7000));  // +Inf only
  std::string text = metrics.render();
  EXPECT_NE(text.find("# TYPE dvchub_http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.0025\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_bucket{route=\"/r\",le=\"5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_sum{route=\"/r\"} 7.0033\n"), std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_count{route=\"/r\"} 3\n"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics metrics;
  metrics.route("/a\"b\\c\nd").record(Method::get, 200, microseconds(1));
  EXPECT_NE(metrics.render().find("route=\"/a\\\"b\\\\c\\nd\""), std::string::npos);
}

TEST(Metrics, ServerGaugesAndRegisteredGauges) {
  Metrics metrics;
  metrics.add_open_connections(3);
  metrics.add_open_connections(-1);
  metrics.add_in_flight_requests(1);
  double pool_in_use = 4;
  ASSERT_TRUE(metrics.register_gauge("dvchub_store_pool_in_use", "Store connections in use.", [&] { return pool_in_use; }));
  pool_in_use = 5.5;
  std::string text = metrics.render();
  EXPECT_NE(text.find("# TYPE dvchub_http_open_connections gauge\ndvchub_http_open_connections 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("dvchub_http_in_flight_requests 1\n"), std::string::npos);
  EXPECT_NE(text.find("# HELP dvchub_store_pool_in_use Store connections in use.\n"
                      "# TYPE dvchub_store_pool_in_use gauge\ndvchub_store_pool_in_use 5.5\n"),
            std::string::npos);
}

TEST(Metrics, RegisterGaugeRejectsBadAndTakenNames) {
  Metrics metrics;
  auto bad = metrics.register_gauge("9lives", "", [] { return 0.0; });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(metrics.register_gauge("has space", "", [] { return 0.0; }));
  ASSERT_TRUE(metrics.register_gauge("queue_depth", "", [] { return 0.0; }));
  auto taken = metrics.register_gauge("queue_depth", "", [] { return 1.0; });
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::conflict);
  EXPECT_FALSE(metrics.register_gauge("dvchub_http_open_connections", "", [] { return 0.0; }));
}

TEST(Metrics, ConcurrentRecordingLosesNothing) {
  Metrics metrics;
  RouteMetrics& route = metrics.route("/busy");
  constexpr int per_thread = 20000;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&, thread] {
      for (int index = 0; index < per_thread; ++index) {
        route.record(thread % 2 ? Method::post : Method::get, 200 + index % 3, microseconds(100));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::uint64_t total = 0;
  for (const auto& count : route.status_counts()) total += count.count;
  EXPECT_EQ(total, 4u * per_thread);
  EXPECT_EQ(route.status_counts().size(), 6u);
  EXPECT_EQ(route.latency().count, 4u * per_thread);
}

TEST(Metrics, HandlerServesTheExposition) {
  Metrics metrics;
  metrics.route("/x").record(Method::get, 200, microseconds(1));
  Request request;
  Response response = make_metrics_handler(metrics)(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("Content-Type"), Metrics::content_type);
  EXPECT_NE(response.body.find("route=\"/x\""), std::string::npos);
}

}  // namespace
}  // namespace dvchub::http
