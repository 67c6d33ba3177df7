#include "storage/group_commit.h"

#include <exception>
#include <future>
#include <vector>

namespace dvchub::storage {
namespace {

// Completions must not throw (the contract); one that does anyway must not end the writer thread.
void complete(const GroupCommitter::Completion& done, Result<void> result) {
  try {
    done(std::move(result));
  } catch (...) {
  }
}

}  // namespace

GroupCommitter::GroupCommitter(Database& database, std::size_t maximum_batch)
    : database_(database), maximum_batch_(maximum_batch == 0 ? 1 : maximum_batch),
      writer_([this] { writer_loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Result<void> GroupCommitter::run(std::function<Result<void>(Connection&)> write) {
  std::promise<Result<void>> outcome;
  std::future<Result<void>> committed = outcome.get_future();
  enqueue(std::move(write), [&outcome](Result<void> result) { outcome.set_value(std::move(result)); });
  return committed.get();
}

void GroupCommitter::enqueue(std::function<Result<void>(Connection&)> write, Completion done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(write), std::move(done)});
      done = nullptr;
    }
  }
  if (done) return done(fail(ErrorCode::unavailable, "Hệ thống đang dừng, xin gửi lại sau ít phút"));
  wake_.notify_one();
}

std::size_t GroupCommitter::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::size_t GroupCommitter::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

void GroupCommitter::writer_loop() {
  for (;;) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      while (!queue_.empty() && batch.size() < maximum_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
  }
}

void GroupCommitter::commit_batch(std::deque<Pending>& batch) {
  std::vector<Result<void>> results(batch.size());
  auto fail_all = [&](const Error& error) {
    for (auto& pending : batch) complete(pending.done, tl::unexpected(error));
  };
  auto connection = database_.acquire();
  if (!connection) return fail_all(connection.error());
  Connection& writer = **connection;
  if (auto begun = writer.execute(writer.dialect() == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN"); !begun) {
    return fail_all(begun.error());
  }
  for (std::size_t index = 0; index < batch.size(); ++index) {
    if (auto saved = writer.execute("SAVEPOINT group_write"); !saved) {
      results[index] = tl::unexpected(saved.error());
      continue;
    }
    try {
      results[index] = batch[index].write(writer);
    } catch (const std::exception& exception) {
      results[index] = fail(ErrorCode::internal, "Lỗi khi ghi dữ liệu", exception.what());
    } catch (...) {
      results[index] = fail(ErrorCode::internal, "Lỗi khi ghi dữ liệu", "unknown exception");
    }
    if (!results[index]) (void)writer.execute("ROLLBACK TO SAVEPOINT group_write");
    (void)writer.execute("RELEASE SAVEPOINT group_write");
  }
  if (auto committed = writer.execute("COMMIT"); !committed) {
    (void)writer.execute("ROLLBACK");  // SQLite keeps the transaction open when COMMIT fails
    return fail_all(committed.error());
  }
  {
    std::lock_guard lock(mutex_);
    ++batches_;
    writes_ += batch.size();
  }
  for (std::size_t index = 0; index < batch.size(); ++index) complete(batch[index].done, std::move(results[index]));
}

}  // namespace dvchub::storage
