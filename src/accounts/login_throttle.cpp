#include "accounts/login_throttle.h"

#include "core/dates.h"

namespace dvchub::accounts {

std::string account_throttle_key(std::string_view username) { return "account:" + std::string(username); }

std::string address_throttle_key(std::string_view remote_address) {
  return "address:" + std::string(remote_address);
}

Result<std::optional<TimePoint>> LoginThrottle::locked_until(storage::Connection& connection,
                                                             const std::vector<std::string>& keys,
                                                             TimePoint now) const {
  std::optional<TimePoint> latest;
  for (const auto& key : keys) {
    auto row = DVCHUB_TRY(connection.query_one(
        "SELECT locked_until FROM login_throttles WHERE throttle_key = $1 AND locked_until > $2",
        {key, to_unix_seconds(now)}));
    if (!row) continue;
    const TimePoint until = from_unix_seconds(row->integer(0));
    if (!latest || until > *latest) latest = until;
  }
  return latest;
}

Result<bool> LoginThrottle::record_failure(storage::Connection& connection, const std::string& key, int limit,
                                           TimePoint now) const {
  const std::int64_t now_seconds = to_unix_seconds(now);
  const std::int64_t window_expired_at_or_before = now_seconds - policy_.window.count();
  // One atomic statement: a window that started too long ago restarts at this failure; otherwise count on.
  // (SET expressions read the row as it was before the update, in both SQLite and PostgreSQL.)
  auto row = DVCHUB_TRY(connection.query_one(
      "INSERT INTO login_throttles (throttle_key, failures, window_started_at, locked_until) VALUES ($1, 1, $2, 0) "
      "ON CONFLICT (throttle_key) DO UPDATE SET "
      "failures = CASE WHEN login_throttles.window_started_at <= $3 THEN 1 ELSE login_throttles.failures + 1 END, "
      "window_started_at = CASE WHEN login_throttles.window_started_at <= $3 THEN $2 "
      "ELSE login_throttles.window_started_at END "
      "RETURNING failures",
      {key, now_seconds, window_expired_at_or_before}));
  if (!row) return fail(ErrorCode::internal, "Không thể ghi nhận lần đăng nhập", "upsert returned no row");
  if (row->integer(0) < limit) return false;
  DVCHUB_TRY(connection.execute(
      "UPDATE login_throttles SET failures = 0, window_started_at = $2, locked_until = $3 WHERE throttle_key = $1",
      {key, now_seconds, now_seconds + policy_.lock_duration.count()}));
  return true;
}

Result<void> LoginThrottle::clear(storage::Connection& connection, const std::string& key) const {
  DVCHUB_TRY(connection.execute("DELETE FROM login_throttles WHERE throttle_key = $1", {key}));
  return {};
}

Result<std::int64_t> LoginThrottle::purge_stale(storage::Connection& connection, TimePoint now) const {
  const std::int64_t now_seconds = to_unix_seconds(now);
  return connection.execute("DELETE FROM login_throttles WHERE locked_until <= $1 AND window_started_at <= $2",
                            {now_seconds, now_seconds - policy_.window.count()});
}

}  // namespace dvchub::accounts
