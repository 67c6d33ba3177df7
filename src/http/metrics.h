// http/metrics.h — request counters, latency histograms and gauges, rendered in the Prometheus text exposition
// format 0.0.4. prometheus-cpp is not packaged in Debian 12, so this is a small registry of our own: recording is
// lock-free (atomics), only creating a route's series and rendering take a lock.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "http/message.h"
#include "http/router.h"

namespace dvchub::http {

// Upper bounds of the latency histogram's buckets in seconds, 0.5 ms to 5 s; +Inf is implicit.
inline constexpr std::array<double, 13> latency_bucket_bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                 0.1,    0.25,  0.5,    1.0,   2.5,   5.0};

// Counters by method and status, and the latency histogram, of one route pattern. Thread-safe and lock-free.
class RouteMetrics {
 public:
  explicit RouteMetrics(std::string route_pattern) : route_pattern_(std::move(route_pattern)) {}
  RouteMetrics(const RouteMetrics&) = delete;
  RouteMetrics& operator=(const RouteMetrics&) = delete;

  // Counts one finished request. Statuses outside 100..599 are counted as 0. Up to 64 (method, status) pairs
  // per route are kept apart; beyond that, requests are counted under method OTHER and status 0.
  void record(Method method, int status, std::chrono::nanoseconds latency);
  const std::string& route_pattern() const { return route_pattern_; }

  struct StatusCount {
    Method method;
    int status;
    std::uint64_t count;
  };
  // A snapshot of the request counts (values may trail concurrent record() calls), sorted by method and status.
  std::vector<StatusCount> status_counts() const;
  // A snapshot of the histogram: per-bucket counts (not cumulative; the last is +Inf), sum in seconds, count.
  struct Latency {
    std::array<std::uint64_t, latency_bucket_bounds.size() + 1> buckets{};
    double sum_seconds = 0;
    std::uint64_t count = 0;
  };
  Latency latency() const;

 private:
  // Open addressing on (method, status): a slot is claimed once with a compare-and-swap and never freed.
  struct Slot {
    std::atomic<std::uint32_t> key{0};  // 0: free; else (method + 1) << 16 | status
    std::atomic<std::uint64_t> count{0};
  };
  static constexpr std::size_t slot_count = 64;

  std::string route_pattern_;
  std::array<Slot, slot_count> slots_;
  std::atomic<std::uint64_t> overflow_count_{0};  // requests whose (method, status) found no free slot
  std::array<std::atomic<std::uint64_t>, latency_bucket_bounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> latency_sum_nanoseconds_{0};
  std::atomic<std::uint64_t> latency_count_{0};
};

// The registry: route series, the server's two gauges, and gauges registered by other modules.
// Thread-safe. Must outlive every Server that records into it.
class Metrics {
 public:
  // Content-Type of render()'s output.
  static constexpr const char* content_type = "text/plain; version=0.0.4; charset=utf-8";

  // The series of one route pattern, created on first use; the reference stays valid as long as the registry.
  // Takes a lock: look each route up once and keep the reference for the hot path.
  RouteMetrics& route(std::string_view route_pattern);

  // Gauges kept by the server. Lock-free.
  void add_open_connections(std::int64_t delta) { open_connections_.fetch_add(delta, std::memory_order_relaxed); }
  void add_in_flight_requests(std::int64_t delta) { in_flight_requests_.fetch_add(delta, std::memory_order_relaxed); }
  std::int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }
  std::int64_t in_flight_requests() const { return in_flight_requests_.load(std::memory_order_relaxed); }

  // Registers a gauge whose value `read` returns at each render (e.g. a store pool's connections in use).
  // `read` runs on the rendering thread without the registry's lock and must be thread-safe.
  // invalid_input when `name` is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*); conflict when taken.
  Result<void> register_gauge(std::string name, std::string help, std::function<double()> read);

  // Every metric in the Prometheus text exposition format 0.0.4 (HELP and TYPE lines, histograms as
  // _bucket{le=...}, _sum, _count). Series are sorted, so the output is stable.
  std::string render() const;

 private:
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };

  mutable std::mutex mutex_;  // guards routes_ and gauges_ (the containers, not the counters)
  std::map<std::string, std::unique_ptr<RouteMetrics>, std::less<>> routes_;
  std::vector<std::shared_ptr<const Gauge>> gauges_;
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::int64_t> in_flight_requests_{0};
};

// A handler answering GET /metrics with `metrics.render()`. Register it with Execution::inline_.
Handler make_metrics_handler(const Metrics& metrics);

}  // namespace dvchub::http
