#include "app/page_cache.h"

#include "core/etag.h"
#include "web/responses.h"

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
  return web::validated_response(request, snapshot->body, snapshot->etag, "text/html; charset=utf-8");
}

}  // namespace dvchub::app
