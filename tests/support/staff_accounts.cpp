#include "support/staff_accounts.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace dvchub::testing {

std::int64_t insert_staff_account(storage::Database& database, const std::string& username, const std::string& role,
                                  std::optional<std::int64_t> unit_id, const std::string& email) {
  auto connection = database.acquire();
  EXPECT_TRUE(is_ok(connection));
  if (!connection) return 0;
  auto row = (*connection)->query_one(
      "INSERT INTO users (username, display_name, password_hash, role, unit_id, active, created_at, "
      "password_changed_at, email) VALUES ($1, $2, 'not-a-hash', $3, $4, 1, 0, 0, $5) RETURNING id",
      {username, "Tài khoản " + username, role, storage::optional_value(unit_id),
       email.empty() ? storage::null_value() : storage::Value{email}});
  EXPECT_TRUE(is_ok(row));
  return row && *row ? (**row).integer(0) : 0;
}

}  // namespace dvchub::testing
