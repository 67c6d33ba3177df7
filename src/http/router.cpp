#include "http/router.h"

#include <algorithm>
#include <stdexcept>

namespace dvchub::http {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" gives {""}. The views point into `path`.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_parameter_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
           (character >= '0' && character <= '9') || character == '_';
  });
}

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<Router::Segment> Router::parse_pattern(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  std::vector<Segment> segments;
  std::vector<std::string_view> pieces = split_path(pattern);
  for (std::size_t index = 0; index < pieces.size(); ++index) {
    std::string_view piece = pieces[index];
    if (piece.empty() || piece.front() != '{') {
      if (piece.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("route pattern has a brace inside a literal segment: " + pattern);
      }
      segments.push_back({SegmentKind::literal, std::string(piece)});
      continue;
    }
    if (piece.back() != '}') throw std::invalid_argument("route pattern has an unclosed parameter: " + pattern);
    std::string_view inside = piece.substr(1, piece.size() - 2);
    Segment segment;
    if (inside.ends_with(":int")) {
      segment.kind = SegmentKind::integer;
      inside.remove_suffix(4);
    } else if (inside.ends_with("*")) {
      if (index + 1 != pieces.size()) {
        throw std::invalid_argument("route pattern has {name*} before its last segment: " + pattern);
      }
      segment.kind = SegmentKind::rest;
      inside.remove_suffix(1);
    } else {
      segment.kind = SegmentKind::parameter;
    }
    if (!is_parameter_name(inside)) throw std::invalid_argument("route pattern has a bad parameter name: " + pattern);
    segment.text = std::string(inside);
    segments.push_back(std::move(segment));
  }
  return segments;
}

void Router::add(Method method, std::string pattern, Handler handler, RouteOptions options) {
  add_route(Route{method, std::move(pattern), std::move(handler), std::move(options), {}});
}

void Router::add_deferred(Method method, std::string pattern, DeferredHandler handler, RouteOptions options) {
  options.execution = Execution::blocking;
  add_route(Route{method, std::move(pattern), {}, std::move(options), std::move(handler)});
}

void Router::add_with_inline_attempt(Method method, std::string pattern, InlineAttempt attempt, Handler handler,
                                     RouteOptions options) {
  if (options.access != Access::public_) {
    throw std::invalid_argument("a route with an inline attempt must be public: " + pattern);
  }
  options.execution = Execution::blocking;
  add_route(Route{method, std::move(pattern), std::move(handler), std::move(options), {}, std::move(attempt)});
}

void Router::add_route(Route route) {
  const Method method = route.method;
  const std::string& pattern = route.pattern;
  std::vector<Segment> segments = parse_pattern(pattern);
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    if (routes_[index].method != method || segments_[index].size() != segments.size()) continue;
    bool same = std::equal(segments.begin(), segments.end(), segments_[index].begin(),
                           [](const Segment& left, const Segment& right) {
                             return left.kind == right.kind &&
                                    (left.kind != SegmentKind::literal || left.text == right.text);
                           });
    if (same) {
      throw std::invalid_argument(std::string("duplicate route: ") + method_name(method) + " " + pattern);
    }
  }
  routes_.push_back(std::move(route));
  segments_.push_back(std::move(segments));
}

bool Router::match_segments(const std::vector<Segment>& segments, const std::vector<std::string_view>& path_segments,
                            std::string_view path, std::map<std::string, std::string>& parameters) {
  parameters.clear();
  for (std::size_t index = 0; index < segments.size(); ++index) {
    const Segment& segment = segments[index];
    if (segment.kind == SegmentKind::rest) {
      if (index >= path_segments.size()) return false;
      std::size_t offset = static_cast<std::size_t>(path_segments[index].data() - path.data());
      std::string_view rest = path.substr(offset);
      if (rest.empty()) return false;
      parameters[segment.text] = std::string(rest);
      return true;
    }
    if (index >= path_segments.size()) return false;
    std::string_view piece = path_segments[index];
    if (segment.kind == SegmentKind::literal) {
      if (piece != segment.text) return false;
      continue;
    }
    if (segment.kind == SegmentKind::integer ? !is_digits(piece) : piece.empty()) return false;
    parameters[segment.text] = std::string(piece);
  }
  return segments.size() == path_segments.size();
}

std::optional<std::size_t> Router::best_route(Method method, const std::vector<std::string_view>& path_segments,
                                              std::string_view path,
                                              std::map<std::string, std::string>& parameters) const {
  std::optional<std::size_t> best;
  std::map<std::string, std::string> candidate_parameters;
  // Lexicographic on segment kinds: at the first position where they differ, the more specific kind wins.
  auto more_specific = [this](std::size_t left, std::size_t right) {
    return std::lexicographical_compare(
        segments_[left].begin(), segments_[left].end(), segments_[right].begin(), segments_[right].end(),
        [](const Segment& a, const Segment& b) { return a.kind < b.kind; });
  };
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    if (routes_[index].method != method) continue;
    if (!match_segments(segments_[index], path_segments, path, candidate_parameters)) continue;
    if (!best || more_specific(index, *best)) {
      best = index;
      parameters = std::move(candidate_parameters);
    }
  }
  return best;
}

RouteMatch Router::match(Method method, std::string_view path) const {
  RouteMatch result;
  std::vector<std::string_view> path_segments = split_path(path);
  if (path_segments.empty()) return result;
  std::optional<std::size_t> found = best_route(method, path_segments, path, result.path_parameters);
  if (!found && method == Method::head) found = best_route(Method::get, path_segments, path, result.path_parameters);
  if (found) {
    result.route = &routes_[*found];
    return result;
  }
  std::map<std::string, std::string> ignored;
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    if (!match_segments(segments_[index], path_segments, path, ignored)) continue;
    Method allowed = routes_[index].method;
    auto add_allowed = [&](Method candidate) {
      if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), candidate) ==
          result.allowed_methods.end()) {
        result.allowed_methods.push_back(candidate);
      }
    };
    add_allowed(allowed);
    if (allowed == Method::get) add_allowed(Method::head);
  }
  result.method_not_allowed = !result.allowed_methods.empty();
  return result;
}

}  // namespace dvchub::http
