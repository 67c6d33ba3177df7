// support/staff_accounts.h — staff accounts written straight into a test store (no password hashing: these accounts
// never sign in), for tests of who gets notified.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace dvchub::testing {

// Inserts an active account and returns its id; `email` "" stores none. Fails the test when the store refuses.
std::int64_t insert_staff_account(storage::Database& database, const std::string& username, const std::string& role,
                                  std::optional<std::int64_t> unit_id, const std::string& email);

}  // namespace dvchub::testing
