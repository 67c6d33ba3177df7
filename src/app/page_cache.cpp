#include "app/page_cache.h"

#include <cstdio>

namespace dvchub::app {
namespace {

std::string etag_of(const std::string& body) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char character : body) {
    hash ^= character;
    hash *= 1099511628211ull;
  }
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return buffer;
}

}  // namespace

PageCache::PageCache(std::function<std::string()> render, std::chrono::milliseconds refresh_interval)
    : render_(std::move(render)) {
  refresh();
  refresher_.emplace([this] { refresh(); }, refresh_interval);
}

void PageCache::refresh() {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->body = render_();
  snapshot->etag = etag_of(snapshot->body);
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(snapshot);
}

http::Response PageCache::respond(const http::Request& request) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    snapshot = snapshot_;
  }
  http::Response response;
  response.headers.set("ETag", snapshot->etag);
  response.headers.set("Cache-Control", "no-cache");
  if (auto match = request.headers.get("If-None-Match"); match && *match == snapshot->etag) {
    response.status = 304;
    return response;
  }
  response.headers.set("Content-Type", "text/html; charset=utf-8");
  response.body = snapshot->body;
  return response;
}

}  // namespace dvchub::app
