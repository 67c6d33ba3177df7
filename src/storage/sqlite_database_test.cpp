// What only the SQLite backend promises: durable settings on every connection, busy handling, statement caching.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>

#include "storage/database.h"
#include "support/test_database.h"

namespace dvchub::storage {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

std::int64_t pragma(Connection& connection, const std::string& name) {
  auto row = connection.query_one("PRAGMA " + name);
  EXPECT_TRUE(is_ok(row));
  return row && *row ? (*row)->integer(0) : -1;
}

TEST(SqliteDatabaseTest, EveryPooledConnectionIsDurableAndChecksForeignKeys) {
  DatabaseOptions options;
  options.pool_size = 2;
  options.busy_timeout_milliseconds = 1234;
  auto database = dvchub::testing::open_fresh_database("sqlite", options);
  ASSERT_NE(database, nullptr);
  auto first = database->acquire();
  auto second = database->acquire();
  ASSERT_TRUE(is_ok(first));
  ASSERT_TRUE(is_ok(second));
  for (Connection* connection : {&**first, &**second}) {
    auto mode = connection->query_one("PRAGMA journal_mode");
    ASSERT_TRUE(is_ok(mode));
    EXPECT_EQ((*mode)->text(0), "wal");
    EXPECT_EQ(pragma(*connection, "synchronous"), 2);  // FULL
    EXPECT_EQ(pragma(*connection, "foreign_keys"), 1);
    EXPECT_EQ(pragma(*connection, "busy_timeout"), 1234);
  }
}

TEST(SqliteDatabaseTest, CreatesTheFolderOfTheFile) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("dvchub-sqlite-test-" + std::to_string(std::random_device{}()));
  const auto file = folder / "nested" / "deeper" / "store.db";
  {
    auto database = open_database("sqlite://" + file.string());
    ASSERT_TRUE(is_ok(database));
    EXPECT_TRUE(std::filesystem::exists(file));
  }
  std::filesystem::remove_all(folder);
}

TEST(SqliteDatabaseTest, WriterBlockedPastTheBusyTimeoutIsUnavailable) {
  DatabaseOptions options;
  options.pool_size = 2;
  options.busy_timeout_milliseconds = 150;
  auto database = dvchub::testing::open_fresh_database("sqlite", options);
  ASSERT_NE(database, nullptr);
  auto holder = database->acquire();
  auto waiter = database->acquire();
  ASSERT_TRUE(is_ok(holder));
  ASSERT_TRUE(is_ok(waiter));
  ASSERT_TRUE(is_ok((*holder)->execute("BEGIN IMMEDIATE")));
  const auto started = std::chrono::steady_clock::now();
  auto blocked = in_transaction(**waiter, [] { return Result<void>(); });
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(fails_with(blocked, ErrorCode::unavailable));
  EXPECT_GE(waited, std::chrono::milliseconds(140));
  ASSERT_TRUE(is_ok((*holder)->execute("COMMIT")));
  EXPECT_TRUE(is_ok(in_transaction(**waiter, [] { return Result<void>(); })));
}

TEST(SqliteDatabaseTest, ManyDistinctStatementsStayCorrectPastTheCacheLimit) {
  auto database = open_database("sqlite://:memory:");
  ASSERT_TRUE(is_ok(database));
  auto connection = (*database)->acquire();
  ASSERT_TRUE(is_ok(connection));
  for (int round = 0; round < 2; ++round) {
    for (std::int64_t addend = 0; addend < 300; ++addend) {
      auto row = (*connection)->query_one("SELECT $1 + " + std::to_string(addend), {Value{std::int64_t{1000}}});
      ASSERT_TRUE(is_ok(row));
      ASSERT_EQ((*row)->integer(0), 1000 + addend);
    }
  }
}

TEST(SqliteDatabaseTest, RefusesSeveralStatementsAndWrongParameterCounts) {
  auto database = open_database("sqlite://:memory:");
  ASSERT_TRUE(is_ok(database));
  auto connection = (*database)->acquire();
  ASSERT_TRUE(is_ok(connection));
  EXPECT_TRUE(fails_with((*connection)->execute("CREATE TABLE a (x); CREATE TABLE b (y)"), ErrorCode::internal));
  EXPECT_TRUE(fails_with((*connection)->query("SELECT $1, $2", {Value{std::int64_t{1}}}), ErrorCode::internal));
  EXPECT_TRUE(fails_with((*connection)->query("SELECT 1", {Value{std::int64_t{1}}}), ErrorCode::internal));
  EXPECT_TRUE(is_ok((*connection)->execute("CREATE TABLE a (x);  ")));
}

TEST(SqliteDatabaseTest, OnlineBackupCopiesEveryRowAndRefusesToOverwrite) {
  auto database = dvchub::testing::open_fresh_database("sqlite");
  ASSERT_NE(database, nullptr);
  {
    auto connection = database->acquire();
    ASSERT_TRUE(is_ok(connection));
    for (int index = 0; index < 500; ++index) {
      ASSERT_TRUE(is_ok((*connection)->execute(
          "INSERT INTO login_throttles (throttle_key, failures, window_started_at) VALUES ($1, $2, 0)",
          {"key-" + std::to_string(index), std::int64_t{index}})));
    }
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("dvchub-backup-test-" + std::to_string(std::random_device{}()) + ".db");
  std::size_t last_done = 0, last_total = 0;
  ASSERT_TRUE(is_ok(database->backup_to(path.string(), [&](std::size_t done, std::size_t total) {
    last_done = done;
    last_total = total;
  })));
  EXPECT_GT(last_total, 0u);
  EXPECT_EQ(last_done, last_total);
  {
    auto copy = open_database("sqlite://" + path.string());
    ASSERT_TRUE(is_ok(copy));
    auto connection = (*copy)->acquire();
    auto count = (*connection)->query_one("SELECT COUNT(*), SUM(failures) FROM login_throttles");
    ASSERT_TRUE(is_ok(count));
    EXPECT_EQ((*count)->integer(0), 500);
    EXPECT_EQ((*count)->integer(1), 499 * 500 / 2);
  }
  EXPECT_TRUE(fails_with(database->backup_to(path.string()), ErrorCode::conflict));
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

}  // namespace
}  // namespace dvchub::storage
