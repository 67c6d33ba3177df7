// http/static_files.h — serving immutable in-memory files (the embedded assets) with validators and caching.
// The http module does not depend on resources/: the caller passes a lookup, typically over resources::find:
//   make_static_handler([](std::string_view path) -> std::optional<StaticContent> {
//     const resources::Resource* resource = resources::find(path);
//     if (!resource) return std::nullopt;
//     return StaticContent{resource->content, resource->etag};
//   }, {.prefix = "assets/", .cache_control = "public, max-age=31536000, immutable"});
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/router.h"

namespace dvchub::http {

// One file's bytes and its strong ETag (quoted, e.g. "\"5f3a\""). Both must outlive the handler (embedded data).
struct StaticContent {
  std::string_view content;
  std::string_view etag;
};

// Finds a file by its full path (prefix + requested path), or nullopt. Must be thread-safe.
using StaticLookup = std::function<std::optional<StaticContent>(std::string_view path)>;

struct StaticFileOptions {
  std::string prefix;                          // prepended to the path parameter before the lookup ("assets/")
  std::string path_parameter = "path";         // the route's rest parameter, as in "/assets/{path*}"
  std::string cache_control = "no-cache";      // sent with 200 and 304 answers
};

// The Content-Type for a file name by its extension (css, js, svg, png, ico, woff2, json, html, txt);
// "application/octet-stream" for any other. Text types carry charset=utf-8.
std::string_view content_type_for(std::string_view path);

// A handler for GET/HEAD routes such as "/assets/{path*}": 200 with the content, Content-Type, ETag and
// Cache-Control; 304 (no body) when If-None-Match names the ETag or is "*"; 404 when the lookup finds nothing.
// Safe to run inline (no blocking). The lookup is called from many threads.
Handler make_static_handler(StaticLookup lookup, StaticFileOptions options);

}  // namespace dvchub::http
