// What only the PostgreSQL backend promises: conversion by column type, session settings, recovery from a lost
// connection. Runs when DVCHUB_TEST_POSTGRESQL_URL is set; the SQLite instances of these tests are skipped.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "storage/database.h"
#include "support/test_database.h"

namespace dvchub::storage {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

class PostgresqlTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    if (!is_postgresql()) GTEST_SKIP() << "PostgreSQL-only behaviour";
    BackendTest::SetUp();
  }
};

TEST_P(PostgresqlTest, ConvertsColumnsByType) {
  auto connection = acquire();
  auto row = connection->query_one(
      "SELECT 1::int2, 2::int4, 3000000000::int8, 1.5::float4, 2.25::float8, 3.125::numeric, true, false, "
      "'chữ'::text, NULL::int8, DATE '2025-04-03', $1, $2",
      {Value{std::int64_t{-7}}, Value{0.5}});
  ASSERT_TRUE(is_ok(row));
  ASSERT_TRUE(row->has_value());
  const Row& columns = **row;
  EXPECT_EQ(std::get<std::int64_t>(columns.value(0)), 1);
  EXPECT_EQ(std::get<std::int64_t>(columns.value(1)), 2);
  EXPECT_EQ(std::get<std::int64_t>(columns.value(2)), 3000000000);
  EXPECT_EQ(std::get<double>(columns.value(3)), 1.5);
  EXPECT_EQ(std::get<double>(columns.value(4)), 2.25);
  EXPECT_EQ(std::get<double>(columns.value(5)), 3.125);
  EXPECT_EQ(std::get<std::int64_t>(columns.value(6)), 1);
  EXPECT_EQ(std::get<std::int64_t>(columns.value(7)), 0);
  EXPECT_EQ(std::get<std::string>(columns.value(8)), "chữ");
  EXPECT_TRUE(columns.is_null(9));
  EXPECT_EQ(std::get<std::string>(columns.value(10)), "2025-04-03");
  EXPECT_EQ(std::get<std::int64_t>(columns.value(11)), -7);  // integer parameters keep their type
  EXPECT_EQ(std::get<double>(columns.value(12)), 0.5);
}

TEST_P(PostgresqlTest, SessionsUseUtf8AndUtc) {
  auto connection = acquire();
  auto zone = connection->query_one("SHOW TimeZone");
  auto encoding = connection->query_one("SHOW client_encoding");
  ASSERT_TRUE(is_ok(zone));
  ASSERT_TRUE(is_ok(encoding));
  EXPECT_EQ((*zone)->text(0), "UTC");
  EXPECT_EQ((*encoding)->text(0), "UTF8");
}

TEST_P(PostgresqlTest, LostConnectionIsUnavailableAndRepairedBeforeReuse) {
  auto victim = acquire();
  auto killer = acquire();
  auto pid = victim->query_one("SELECT pg_backend_pid()");
  ASSERT_TRUE(is_ok(pid));
  const std::int64_t victim_pid = (*pid)->integer(0);
  ASSERT_TRUE(is_ok(killer->query("SELECT pg_terminate_backend($1::int4)", {Value{victim_pid}})));
  for (int attempt = 0; attempt < 100; ++attempt) {  // wait until the server process is gone
    auto alive = killer->query_one("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1::int4", {Value{victim_pid}});
    ASSERT_TRUE(is_ok(alive));
    if ((*alive)->integer(0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto lost = victim->query("SELECT 1");
  ASSERT_TRUE(fails_with(lost, ErrorCode::unavailable));
  EXPECT_EQ(lost.error().message, "Không kết nối được cơ sở dữ liệu");
  { PooledConnection returned = std::move(victim); }  // back to the pool, which must repair or replace it
  auto next = acquire();  // the only idle connection: the one that was lost
  auto new_pid = next->query_one("SELECT pg_backend_pid()");
  ASSERT_TRUE(is_ok(new_pid));
  EXPECT_NE((*new_pid)->integer(0), victim_pid);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(PostgresqlTest);

}  // namespace
}  // namespace dvchub::storage
