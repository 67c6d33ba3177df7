#include "app/page_cache.h"

#include "core/etag.h"

namespace dvchub::app {

PageCache::PageCache(std::function<std::string()> render, std::chrono::milliseconds refresh_interval)
    : render_(std::move(render)) {
  refresh();
  refresher_.emplace([this] { refresh(); }, refresh_interval);
}

void PageCache::refresh() {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->body = render_();
  snapshot->etag = content_etag(snapshot->body);
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
