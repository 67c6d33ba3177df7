// app/page_cache.h — a public page kept rendered in memory so the network thread serves it without the store.
// A background thread re-renders it every `refresh_interval`; several server processes each keep their own copy,
// which is safe because the page is public and at most one interval stale.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/periodic_task.h"
#include "http/message.h"

namespace dvchub::app {

class PageCache {
 public:
  // `render` produces the page body (it may use the store); it is called once now and then periodically.
  PageCache(std::function<std::string()> render, std::chrono::milliseconds refresh_interval);
  // The cached page as a 200 (or 304 when If-None-Match matches its ETag). Thread-safe, never blocks on I/O.
  http::Response respond(const http::Request& request) const;
  // Renders the page now (e.g. right after the demo content was added).
  void refresh();

 private:
  struct Snapshot {
    std::string body;
    std::string etag;
  };
  std::function<std::string()> render_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::optional<PeriodicTask> refresher_;  // last member: stops before the rest is destroyed
};

}  // namespace dvchub::app
