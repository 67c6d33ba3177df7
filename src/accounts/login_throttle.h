// accounts/login_throttle.h — counts failed sign-ins per account and per address in the store's login_throttles
// table, so every server process shares the same counts, and locks a key that fails too often.
//
// A key counts failures in a window that opens at its first failure and lasts `window`; when the count reaches
// the key's limit, the key is locked for `lock_duration` and its count starts again from zero. A failure after
// the window has passed opens a new window. Each update is one atomic upsert, safe under concurrent sign-ins.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::accounts {

struct ThrottlePolicy {
  int account_failure_limit = 5;    // failures of one account within `window` that lock it
  int address_failure_limit = 20;   // failures from one address within `window` that lock the address
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lock_duration{15 * 60};
};

// The key of one account ("account:NAME") and of one client address ("address:IP").
std::string account_throttle_key(std::string_view username);
std::string address_throttle_key(std::string_view remote_address);

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottlePolicy policy) : policy_(policy) {}

  // The latest instant until which any of `keys` is locked, or nullopt when none is locked at `now`.
  Result<std::optional<TimePoint>> locked_until(storage::Connection& connection, const std::vector<std::string>& keys,
                                                TimePoint now) const;

  // Counts one failure of `key` at `now` against `limit`. Returns true when this failure locked the key.
  Result<bool> record_failure(storage::Connection& connection, const std::string& key, int limit,
                              TimePoint now) const;

  // Forgets the failures of `key` (after a successful sign-in of that account).
  Result<void> clear(storage::Connection& connection, const std::string& key) const;

  // Deletes keys that are neither locked nor inside a window at `now`; returns how many. For periodic cleanup.
  Result<std::int64_t> purge_stale(storage::Connection& connection, TimePoint now) const;

  const ThrottlePolicy& policy() const { return policy_; }

 private:
  ThrottlePolicy policy_;
};

}  // namespace dvchub::accounts
