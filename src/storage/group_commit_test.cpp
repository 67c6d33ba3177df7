#include "storage/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/test_database.h"

namespace dvchub::storage {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

class GroupCommitTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    ASSERT_TRUE(is_ok(acquire()->execute_script("CREATE TABLE group_test (label TEXT PRIMARY KEY)")));
  }
  std::int64_t rows() { return (*acquire()->query_one("SELECT COUNT(*) FROM group_test"))->integer(0); }
  static std::function<Result<void>(Connection&)> insert(std::string label) {
    return [label = std::move(label)](Connection& connection) -> Result<void> {
      DVCHUB_TRY(connection.execute("INSERT INTO group_test (label) VALUES ($1)", {label}));
      return {};
    };
  }
};

TEST_P(GroupCommitTest, ConcurrentWritesAreAllCommittedInFewerTransactions) {
  GroupCommitter committer(database());
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int thread = 0; thread < 8; ++thread) {
    writers.emplace_back([&, thread] {
      for (int index = 0; index < 40; ++index) {
        if (!committer.run(insert(std::to_string(thread) + "-" + std::to_string(index)))) ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(rows(), 320);
  EXPECT_EQ(committer.writes(), 320u);
  EXPECT_LE(committer.batches(), 320u);
}

TEST_P(GroupCommitTest, WritesQueuedDuringACommitShareTheNextOneAndFailAlone) {
  GroupCommitter committer(database());
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  // The first write holds its batch open until the others are queued behind it.
  std::thread first([&] {
    EXPECT_TRUE(is_ok(committer.run([opened](Connection& connection) -> Result<void> {
      opened.wait();
      DVCHUB_TRY(connection.execute("INSERT INTO group_test (label) VALUES ('first')"));
      return {};
    })));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::vector<std::thread> others;
  std::vector<Result<void>> results(6);
  others.emplace_back([&] { results[0] = committer.run(insert("a")); });
  others.emplace_back([&] { results[1] = committer.run(insert("first")); });  // a duplicate: fails alone
  others.emplace_back([&] { results[2] = committer.run(insert("b")); });
  others.emplace_back([&] {
    results[3] = committer.run([](Connection& connection) -> Result<void> {
      DVCHUB_TRY(connection.execute("INSERT INTO group_test (label) VALUES ('thrown')"));
      throw std::runtime_error("boom");  // its insert is rolled back, the others stay
    });
  });
  others.emplace_back([&] {
    results[4] = committer.run([](Connection& connection) -> Result<void> {
      DVCHUB_TRY(connection.execute("INSERT INTO group_test (label) VALUES ('refused')"));
      return fail(ErrorCode::invalid_input, "refused");
    });
  });
  others.emplace_back([&] { results[5] = committer.run(insert("c")); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  gate.set_value();
  first.join();
  for (auto& other : others) other.join();
  EXPECT_TRUE(is_ok(results[0]));
  EXPECT_TRUE(fails_with(results[1], ErrorCode::conflict));
  EXPECT_TRUE(is_ok(results[2]));
  EXPECT_TRUE(fails_with(results[3], ErrorCode::internal));
  EXPECT_TRUE(fails_with(results[4], ErrorCode::invalid_input));
  EXPECT_TRUE(is_ok(results[5]));
  EXPECT_EQ(committer.batches(), 2u);  // the first write alone, then the six queued behind it
  EXPECT_EQ(committer.writes(), 7u);
  auto labels = acquire()->query("SELECT label FROM group_test ORDER BY label");
  ASSERT_TRUE(is_ok(labels));
  std::vector<std::string> stored;
  for (const auto& row : *labels) stored.push_back(row.text(0));
  EXPECT_EQ(stored, (std::vector<std::string>{"a", "b", "c", "first"}));
}

TEST_P(GroupCommitTest, BatchesAreBoundedBySize) {
  auto committer = std::make_unique<GroupCommitter>(database(), 2);
  std::vector<std::thread> writers;
  for (int index = 0; index < 10; ++index) {
    writers.emplace_back([&, index] { EXPECT_TRUE(is_ok(committer->run(insert("w" + std::to_string(index))))); });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_GE(committer->batches(), 5u);  // at most two a batch
  committer.reset();
  EXPECT_EQ(rows(), 10);
}

TEST_P(GroupCommitTest, EnqueuedWritesCompleteAfterTheirCommitWithoutACallerWaiting) {
  auto committer = std::make_unique<GroupCommitter>(database());
  GroupCommitter& writer = *committer;  // reset() clears the pointer before the destructor calls the completions
  std::mutex mutex;
  std::vector<std::string> succeeded, failed;
  std::size_t committed_before_completion = 0;
  // One thread queues every write without waiting; a duplicate fails alone.
  for (int index = 0; index < 200; ++index) {
    std::string label = index == 150 ? "e7" : "e" + std::to_string(index);
    writer.enqueue(insert(label), [&, label](Result<void> result) {
      const std::size_t committed = writer.writes();  // counted after COMMIT, before any completion runs
      std::lock_guard lock(mutex);
      (result ? succeeded : failed).push_back(label);
      if (result && committed >= succeeded.size()) ++committed_before_completion;
    });
  }
  committer.reset();  // commits what is queued and calls every completion
  EXPECT_EQ(succeeded.size(), 199u);
  EXPECT_EQ(failed, std::vector<std::string>{"e7"});
  EXPECT_EQ(committed_before_completion, 199u);
  EXPECT_EQ(rows(), 199);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(GroupCommitTest);

}  // namespace
}  // namespace dvchub::storage
