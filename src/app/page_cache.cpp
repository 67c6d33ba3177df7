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
    : render_(std::move(render)), refresh_interval_(refresh_interval) {
  refresh();
  refresher_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (stop_signal_.wait_for(lock, refresh_interval_, [this] { return stopping_; })) break;
      lock.unlock();
      refresh();
      lock.lock();
    }
  });
}

PageCache::~PageCache() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  refresher_.join();
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
