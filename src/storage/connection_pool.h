// storage/connection_pool.h — the pool both backends share (internal to src/storage; other modules use
// storage/database.h only).
//
// A backend supplies a connector that opens one connection; the pool opens at most `pool_size` of them lazily,
// hands them out, waits up to `acquire_timeout_milliseconds` for one to come back, and asks each returned
// connection whether it can serve again (so a broken one is replaced instead of handed to the next borrower).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/database.h"

namespace dvchub::storage {

// A connection the pool can check between borrowers.
class BackendConnection : public Connection {
 public:
  // Makes the connection ready for the next borrower: rolls back a transaction left open and repairs a lost
  // link where the library can. Returns false when the connection must be thrown away. Called without the pool's
  // lock held, by the thread that returns or takes the connection.
  virtual bool prepare_for_reuse() = 0;
};

// Opens one new connection; ErrorCode::unavailable when the store cannot be reached.
using Connector = std::function<Result<std::unique_ptr<BackendConnection>>()>;

// A Database made of a pool of BackendConnections. Thread-safe.
class PooledDatabase final : public Database {
 public:
  // `connector` is called from whichever thread acquires when no idle connection exists and fewer than
  // options.pool_size are open (pool_size 0 is treated as 1).
  PooledDatabase(Dialect dialect, const DatabaseOptions& options, Connector connector);
  ~PooledDatabase() override;
  PooledDatabase(const PooledDatabase&) = delete;
  PooledDatabase& operator=(const PooledDatabase&) = delete;

  Result<PooledConnection> acquire() override;
  Dialect dialect() const override { return dialect_; }
  PoolStatistics statistics() const override;
  void close() override;

 protected:
  void release(std::unique_ptr<Connection> connection) override;

 private:
  const Dialect dialect_;
  const std::size_t pool_size_;
  const int acquire_timeout_milliseconds_;
  const Connector connector_;

  mutable std::mutex mutex_;
  std::condition_variable connection_returned_;
  std::vector<std::unique_ptr<BackendConnection>> idle_;
  std::size_t open_count_ = 0;  // idle + borrowed + being opened
  std::size_t in_use_ = 0;
  std::uint64_t waits_ = 0;
  bool closed_ = false;
};

}  // namespace dvchub::storage
