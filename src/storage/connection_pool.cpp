#include "storage/connection_pool.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <string>
#include <utility>

namespace dvchub::storage {

PooledDatabase::PooledDatabase(Dialect dialect, const DatabaseOptions& options, Connector connector)
    : dialect_(dialect),
      pool_size_(std::max<std::size_t>(options.pool_size, 1)),
      acquire_timeout_milliseconds_(std::max(options.acquire_timeout_milliseconds, 0)),
      connector_(std::move(connector)) {}

PooledDatabase::~PooledDatabase() {
  close();
  // Every PooledConnection must be returned before its Database is destroyed.
  assert(in_use_ == 0);
}

Result<PooledConnection> PooledDatabase::acquire() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(acquire_timeout_milliseconds_);
  std::unique_lock lock(mutex_);
  const auto can_proceed = [this] { return closed_ || !idle_.empty() || open_count_ < pool_size_; };
  if (!can_proceed()) {
    ++waits_;
    if (!connection_returned_.wait_until(lock, deadline, can_proceed)) {
      return fail(ErrorCode::unavailable, "Cơ sở dữ liệu đang quá tải, vui lòng thử lại",
                  "no pooled connection freed within " + std::to_string(acquire_timeout_milliseconds_) +
                      " ms (pool size " + std::to_string(pool_size_) + ")");
    }
  }
  if (closed_) return fail(ErrorCode::unavailable, "Cơ sở dữ liệu đã đóng", "acquire() after close()");
  ++in_use_;
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return PooledConnection(this, std::move(connection));
  }
  ++open_count_;
  lock.unlock();  // opening a connection may take a network round trip: let others use the pool meanwhile
  auto opened = connector_();
  if (!opened) {
    lock.lock();
    --open_count_;
    --in_use_;
    connection_returned_.notify_one();  // the slot is free again: a waiter may try to open it
    return tl::unexpected(std::move(opened).error());
  }
  return PooledConnection(this, std::move(*opened));
}

void PooledDatabase::release(std::unique_ptr<Connection> connection) {
  // Every connection this pool hands out was made by its connector, hence is a BackendConnection.
  std::unique_ptr<BackendConnection> backend(static_cast<BackendConnection*>(connection.release()));
  bool closed;
  {
    std::lock_guard lock(mutex_);
    closed = closed_;
  }
  const bool reusable = !closed && backend->prepare_for_reuse();
  std::unique_ptr<BackendConnection> discarded;  // destroyed (disconnected) after the lock is released
  std::lock_guard lock(mutex_);
  --in_use_;
  if (reusable && !closed_) {
    idle_.push_back(std::move(backend));
  } else {
    discarded = std::move(backend);
    --open_count_;
  }
  connection_returned_.notify_one();
}

PoolStatistics PooledDatabase::statistics() const {
  std::lock_guard lock(mutex_);
  return PoolStatistics{open_count_, in_use_, waits_};
}

void PooledDatabase::close() {
  std::vector<std::unique_ptr<BackendConnection>> closing;  // disconnected after the lock is released
  std::lock_guard lock(mutex_);
  closed_ = true;
  closing.swap(idle_);
  open_count_ -= closing.size();
  connection_returned_.notify_all();
}

}  // namespace dvchub::storage
