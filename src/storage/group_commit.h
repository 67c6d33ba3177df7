// storage/group_commit.h — group commit: writes from many threads share one transaction, so one fsync makes a whole
// batch durable. Each caller's write runs inside its own savepoint and the caller returns only once the shared
// transaction has committed — a caller that is told "done" is durable (SQLite synchronous=FULL, PostgreSQL fsync).
//
// Use it for many small, independent writes that must each be acknowledged only when durable (citizens' feedback).
// One writer thread per committer; it borrows a pool connection per batch. Callers either wait (run) or hand over a
// completion (enqueue) and go on: a request handler then holds no thread while its write waits for the commit.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "storage/database.h"

namespace dvchub::storage {

class GroupCommitter {
 public:
  // `maximum_batch` bounds the writes committed together (and so the time the write lock is held).
  explicit GroupCommitter(Database& database, std::size_t maximum_batch = 512);
  // Commits what is queued, then stops the writer thread.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `write` on the writer's connection inside a transaction shared with other callers' writes and returns once
  // that transaction is committed. An error `write` returns (or an exception it throws) rolls back its own changes
  // only (a savepoint) and is returned to its caller; a failed COMMIT fails every write of the batch. `write` must
  // not begin or end transactions itself. ErrorCode::unavailable once the committer is stopping.
  Result<void> run(std::function<Result<void>(Connection&)> write);

  // Called once with a write's outcome: on the writer thread after the shared transaction's COMMIT returned (or
  // failed), or at once on the calling thread when the committer is stopping (ErrorCode::unavailable). It runs
  // before the next batch begins, so it must be short, must not throw and must not wait for this committer (it may enqueue again).
  using Completion = std::function<void(Result<void>)>;
  // Like run(), but returns at once: `done` receives the outcome, with the same guarantees (success only once the
  // write is committed). The destructor commits what was enqueued before it began, so every `done` is called.
  void enqueue(std::function<Result<void>(Connection&)> write, Completion done);

  // Batches committed and writes committed so far (for metrics and tests).
  std::size_t batches() const;
  std::size_t writes() const;

 private:
  struct Pending {
    std::function<Result<void>(Connection&)> write;
    Completion done;
  };
  void writer_loop();
  void commit_batch(std::deque<Pending>& batch);

  Database& database_;
  const std::size_t maximum_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::size_t batches_ = 0;
  std::size_t writes_ = 0;
  std::thread writer_;
};

}  // namespace dvchub::storage
