// support/test_database.h — run one test against every storage backend, each time on an empty migrated store.
//
// Usage in any module's tests:
//
//   #include "support/test_database.h"
//
//   class UnitStoreTest : public dvchub::testing::BackendTest {};
//
//   TEST_P(UnitStoreTest, CreatesAUnit) {
//     auto connection = acquire();                  // a pooled connection to this test's own store
//     ASSERT_TRUE(dvchub::testing::is_ok(connection->execute("INSERT INTO ...", {...})));
//   }
//
//   DVCHUB_INSTANTIATE_BACKEND_TESTS(UnitStoreTest);   // "Backends/UnitStoreTest.CreatesAUnit/sqlite", ".../postgresql"
//
// Backends: "sqlite" always; "postgresql" when DVCHUB_TEST_POSTGRESQL_URL holds a superuser URL to a throwaway
// server (scripts/start-test-postgresql.sh starts one). Without it the PostgreSQL runs are left out and a notice
// says so, unless DVCHUB_REQUIRE_POSTGRESQL=1, in which case every PostgreSQL run fails with the reason.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "storage/database.h"

namespace dvchub::testing {

// The backends to run on: {"sqlite"} or {"sqlite", "postgresql"} (see above). Prints the "PostgreSQL skipped"
// notice to stderr the first time it leaves PostgreSQL out.
std::vector<std::string> test_backends();

// An empty store with every migration applied, private to the caller, for `backend` ("sqlite" or "postgresql"):
// SQLite in a fresh temporary file, PostgreSQL in a fresh database copied from a template migrated once per process.
// Destroying it removes the file or drops the database; every PooledConnection must be returned first.
// On failure (unknown backend, no server, DVCHUB_REQUIRE_POSTGRESQL=1 without a URL) records a gtest failure
// explaining why and returns nullptr. Thread-safe.
std::unique_ptr<storage::Database> open_fresh_database(const std::string& backend,
                                                       const storage::DatabaseOptions& options = {});

// Like open_fresh_database, but with no migration applied: for testing the migrations themselves.
std::unique_ptr<storage::Database> open_empty_database(const std::string& backend,
                                                       const storage::DatabaseOptions& options = {});

// Names parameterised tests after their backend: ".../sqlite", ".../postgresql".
std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info);

// "conflict: Dữ liệu trùng lặp ... [detail]": an Error in one line for failure messages.
std::string describe(const Error& error);

// For ASSERT_TRUE/EXPECT_TRUE: succeeds when `result` holds a value, otherwise fails showing the Error.
template <typename T>
::testing::AssertionResult is_ok(const Result<T>& result) {
  if (result) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(result.error());
}

// For ASSERT_TRUE/EXPECT_TRUE: succeeds when `result` failed with `code`, otherwise says what happened instead.
template <typename T>
::testing::AssertionResult fails_with(const Result<T>& result, ErrorCode code) {
  if (!result) {
    if (result.error().code == code) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected " << error_code_name(code) << ", got " << describe(result.error());
  }
  return ::testing::AssertionFailure() << "expected " << error_code_name(code) << ", got success";
}

// A fixture for tests that run once per backend: SetUp opens a fresh store (fails the test when it cannot).
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Pool settings for this fixture's store; override to test pool behaviour.
  virtual storage::DatabaseOptions database_options() const { return {}; }

  storage::Database& database() { return *database_; }
  // A connection from this test's store; fails the test (and aborts it) when none can be had.
  storage::PooledConnection acquire();
  bool is_postgresql() const { return GetParam() == "postgresql"; }

  std::unique_ptr<storage::Database> database_;
};

}  // namespace dvchub::testing

// Instantiates the value-parameterised suite `suite` (derived from BackendTest or TestWithParam<std::string>) once
// per backend of test_backends().
#define DVCHUB_INSTANTIATE_BACKEND_TESTS(suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::ValuesIn(::dvchub::testing::test_backends()), \
                           ::dvchub::testing::backend_test_name)
