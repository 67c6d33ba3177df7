#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace dvchub::http {
namespace {

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  return lowered;
}

// Whether an If-None-Match value ("*", or a comma-separated list of entity tags, weak or strong) names `etag`.
// If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored.
bool none_match_names(std::string_view header, std::string_view etag) {
  auto strip_weak = [](std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; };
  etag = strip_weak(etag);
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*" || strip_weak(tag) == etag) return true;
  }
  return false;
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> types = {{
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"json", "application/json"},
      {"html", "text/html; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"},
  }};
  std::size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string extension = lowercase(name.substr(dot + 1));
  for (const auto& [known, type] : types) {
    if (known == extension) return type;
  }
  return "application/octet-stream";
}

Handler make_static_handler(StaticLookup lookup, StaticFileOptions options) {
  return [lookup = std::move(lookup), options = std::move(options)](Request& request) {
    const std::string path = options.prefix + request.path_parameter(options.path_parameter);
    std::optional<StaticContent> found = lookup(path);
    if (!found) return Response::text(404, "Không tìm thấy tệp");
    Response response;
    response.headers.set("ETag", std::string(found->etag));
    response.headers.set("Cache-Control", options.cache_control);
    std::optional<std::string_view> none_match = request.headers.get("If-None-Match");
    if (none_match && none_match_names(*none_match, found->etag)) {
      response.status = 304;
      return response;
    }
    response.status = 200;
    response.headers.set("Content-Type", std::string(content_type_for(path)));
    response.body = std::string(found->content);
    return response;
  };
}

}  // namespace dvchub::http
