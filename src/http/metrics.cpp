#include "http/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace dvchub::http {
namespace {

constexpr std::uint32_t status_key(Method method, int status) {
  return (static_cast<std::uint32_t>(method) + 1) << 16 | static_cast<std::uint32_t>(status);
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip digits, in fixed notation ("0.0005" rather than "5e-04") unless that gets too long.
  char buffer[128];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (error != std::errc()) end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

// Label values escape backslash, double quote and line feed; HELP text escapes backslash and line feed.
std::string escape(std::string_view text, bool quotes) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char character : text) {
    if (character == '\\') {
      escaped += "\\\\";
    } else if (character == '\n') {
      escaped += "\\n";
    } else if (quotes && character == '"') {
      escaped += "\\\"";
    } else {
      escaped.push_back(character);
    }
  }
  return escaped;
}

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t index = 0; index < name.size(); ++index) {
    char character = name[index];
    bool letter = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
                  character == '_' || character == ':';
    bool digit = character >= '0' && character <= '9';
    if (!letter && !(digit && index > 0)) return false;
  }
  return true;
}

void append_header(std::string& output, std::string_view name, std::string_view help, std::string_view type) {
  output.append("# HELP ").append(name).append(" ").append(escape(help, false)).append("\n");
  output.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

void RouteMetrics::record(Method method, int status, std::chrono::nanoseconds latency) {
  if (status < 100 || status > 599) status = 0;
  const std::uint32_t key = status_key(method, status);
  bool counted = false;
  for (std::size_t probe = 0; probe < slot_count && !counted; ++probe) {
    Slot& slot = slots_[(key * 2654435761u + probe) % slot_count];
    std::uint32_t current = slot.key.load(std::memory_order_acquire);
    if (current == 0 && slot.key.compare_exchange_strong(current, key, std::memory_order_acq_rel)) current = key;
    if (current == key) {
      slot.count.fetch_add(1, std::memory_order_relaxed);
      counted = true;
    }
  }
  if (!counted) overflow_count_.fetch_add(1, std::memory_order_relaxed);

  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < latency_bucket_bounds.size() && seconds > latency_bucket_bounds[bucket]) ++bucket;
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_nanoseconds_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(latency.count(), 0)),
                                     std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<RouteMetrics::StatusCount> RouteMetrics::status_counts() const {
  std::vector<StatusCount> counts;
  for (const Slot& slot : slots_) {
    std::uint32_t key = slot.key.load(std::memory_order_acquire);
    if (key == 0) continue;
    counts.push_back({static_cast<Method>((key >> 16) - 1), static_cast<int>(key & 0xFFFF),
                      slot.count.load(std::memory_order_relaxed)});
  }
  if (std::uint64_t overflow = overflow_count_.load(std::memory_order_relaxed); overflow > 0) {
    counts.push_back({Method::other, 0, overflow});
  }
  std::sort(counts.begin(), counts.end(), [](const StatusCount& left, const StatusCount& right) {
    return std::pair(left.method, left.status) < std::pair(right.method, right.status);
  });
  return counts;
}

RouteMetrics::Latency RouteMetrics::latency() const {
  Latency snapshot;
  for (std::size_t index = 0; index < buckets_.size(); ++index) {
    snapshot.buckets[index] = buckets_[index].load(std::memory_order_relaxed);
  }
  snapshot.sum_seconds = static_cast<double>(latency_sum_nanoseconds_.load(std::memory_order_relaxed)) / 1e9;
  snapshot.count = latency_count_.load(std::memory_order_relaxed);
  return snapshot;
}

RouteMetrics& Metrics::route(std::string_view route_pattern) {
  std::lock_guard lock(mutex_);
  auto found = routes_.find(route_pattern);
  if (found == routes_.end()) {
    found = routes_.emplace(std::string(route_pattern), std::make_unique<RouteMetrics>(std::string(route_pattern)))
                .first;
  }
  return *found->second;
}

Result<void> Metrics::register_gauge(std::string name, std::string help, std::function<double()> read) {
  if (!is_metric_name(name)) {
    return fail(ErrorCode::invalid_input, "Tên chỉ số không hợp lệ", "metric name: " + name);
  }
  std::lock_guard lock(mutex_);
  bool taken = name.starts_with("dvchub_http_") ||
               std::any_of(gauges_.begin(), gauges_.end(), [&](const auto& gauge) { return gauge->name == name; });
  if (taken) return fail(ErrorCode::conflict, "Tên chỉ số đã được dùng", "metric name: " + name);
  gauges_.push_back(std::make_shared<const Gauge>(Gauge{std::move(name), std::move(help), std::move(read)}));
  return {};
}

std::string Metrics::render() const {
  std::vector<const RouteMetrics*> routes;
  std::vector<std::shared_ptr<const Gauge>> gauges;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [pattern, series] : routes_) routes.push_back(series.get());
    gauges = gauges_;
  }

  std::string output;
  append_header(output, "dvchub_http_requests_total", "HTTP requests answered, by route pattern, method and status.",
                "counter");
  for (const RouteMetrics* series : routes) {
    const std::string route_label = escape(series->route_pattern(), true);
    for (const RouteMetrics::StatusCount& count : series->status_counts()) {
      output.append("dvchub_http_requests_total{route=\"").append(route_label);
      output.append("\",method=\"").append(method_name(count.method));
      output.append("\",status=\"").append(std::to_string(count.status));
      output.append("\"} ").append(std::to_string(count.count)).append("\n");
    }
  }

  append_header(output, "dvchub_http_request_duration_seconds",
                "Time from a request's complete header to its response written, by route pattern.", "histogram");
  for (const RouteMetrics* series : routes) {
    const std::string route_label = escape(series->route_pattern(), true);
    const RouteMetrics::Latency latency = series->latency();
    std::uint64_t cumulative = 0;
    for (std::size_t index = 0; index < latency.buckets.size(); ++index) {
      cumulative += latency.buckets[index];
      const std::string bound =
          index < latency_bucket_bounds.size() ? format_number(latency_bucket_bounds[index]) : "+Inf";
      output.append("dvchub_http_request_duration_seconds_bucket{route=\"").append(route_label);
      output.append("\",le=\"").append(bound).append("\"} ").append(std::to_string(cumulative)).append("\n");
    }
    output.append("dvchub_http_request_duration_seconds_sum{route=\"").append(route_label).append("\"} ");
    output.append(format_number(latency.sum_seconds)).append("\n");
    output.append("dvchub_http_request_duration_seconds_count{route=\"").append(route_label).append("\"} ");
    output.append(std::to_string(latency.count)).append("\n");
  }

  append_header(output, "dvchub_http_open_connections", "Open client connections.", "gauge");
  output.append("dvchub_http_open_connections ").append(std::to_string(open_connections())).append("\n");
  append_header(output, "dvchub_http_in_flight_requests", "Requests being read, handled or answered.", "gauge");
  output.append("dvchub_http_in_flight_requests ").append(std::to_string(in_flight_requests())).append("\n");

  for (const auto& gauge : gauges) {
    append_header(output, gauge->name, gauge->help, "gauge");
    output.append(gauge->name).append(" ").append(format_number(gauge->read())).append("\n");
  }
  return output;
}

Handler make_metrics_handler(const Metrics& metrics) {
  return [&metrics](Request&) { return Response::text(200, metrics.render(), Metrics::content_type); };
}

}  // namespace dvchub::http
