// accounts/accounts.h — staff accounts and their server-side sessions. Citizens never need an account.
//
// Passwords are kept only as argon2id hashes; session tokens only as BLAKE2b hashes (the browser holds the token
// in the dvchub_session cookie, see access.h). Failed sign-ins are throttled per account and per client address in
// the store, so the limits hold across every server process. Every change writes an audit record in the same
// transaction; no audit record ever holds a password or a password hash.
//
// Thread-safety: an AccountService is immutable after construction and may be shared by all threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/access.h"
#include "accounts/login_throttle.h"
#include "accounts/password_hasher.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/message.h"
#include "storage/database.h"

namespace dvchub::accounts {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::viewer;
  std::optional<std::int64_t> unit_id;
  bool active = true;
  TimePoint created_at;
  TimePoint password_changed_at;
  std::string email;  // where notifications are e-mailed; "" for none
};

// What a form or the command line submits to create an account. `role` is a role name ("officer").
struct NewUser {
  std::string username;
  std::string display_name;
  std::string password;
  std::string role;
  std::optional<std::int64_t> unit_id;
};

struct AccountOptions {
  PasswordCost password_cost = PasswordCost::interactive();
  std::chrono::seconds session_lifetime{12 * 3600};  // absolute: a session ends this long after sign-in
  ThrottlePolicy throttle;
};

// A new session. `token` is the cookie value: it exists only here and in the browser.
struct SignIn {
  std::string token;
  http::Principal principal;
  TimePoint expires_at;
};

class AccountService {
 public:
  // `database` and `clock` must outlive the service. Computes one dummy password hash (see PasswordHasher).
  AccountService(storage::Database& database, const Clock& clock, AccountOptions options = {});

  // Creates an account. Username and display name are trimmed of surrounding spaces. ErrorCode::invalid_input with
  // one Vietnamese message per field (username, display_name, password, role, unit_id) when: the username is not
  // 3–40 characters of a-z 0-9 . _ -; the display name is empty or longer than 100 characters; the password is
  // shorter than 10 or longer than 256 characters or equals the username; the role is not admin, coordinator,
  // officer or viewer; an officer has no unit; the unit does not exist. ErrorCode::conflict (field "username")
  // when the username is taken. Audited as "user.create".
  Result<User> create_user(const NewUser& user, const audit::Actor& actor);

  // Sets a new password for `user_id` (administrator reset, `dvchub user passwd`) and ends every session of that
  // user ("sign out everywhere"). The password rules of create_user apply (field "new_password"). ErrorCode::not_found
  // for an unknown user. Audited as "user.password_change" with the number of sessions ended.
  Result<void> change_password(std::int64_t user_id, std::string_view new_password, const audit::Actor& actor);

  // The signed-in user changes their own password: `current_password` must be right (otherwise invalid_input on
  // field "current_password", counted as a failed sign-in of the account, so guessing through this form is
  // throttled too: too_many_requests while the account is locked). Then as change_password(): every session of
  // the user ends, including the current one.
  Result<void> change_own_password(const http::Principal& principal, std::string_view current_password,
                                   std::string_view new_password, const audit::Actor& actor);

  // Sets the account's e-mail address (notifications are sent there); empty (after trimming) removes it.
  // invalid_input on field "email" for an address core/email_address.h refuses; not_found for an unknown user.
  // Audited as "user.email" (no record when nothing changes).
  Result<void> set_email(std::int64_t user_id, std::string_view email, const audit::Actor& actor);

  // Activates or deactivates an account. Deactivating ends all its sessions at once. ErrorCode::not_found for an
  // unknown user; ErrorCode::conflict when it would leave no active admin. Audited as "user.activate" or
  // "user.deactivate"; no record when nothing changes.
  Result<void> set_active(std::int64_t user_id, bool active, const audit::Actor& actor);

  // Every account, by username.
  Result<std::vector<User>> list_users();
  Result<std::optional<User>> find_user(std::int64_t user_id);
  Result<std::optional<User>> find_user_by_username(std::string_view username);

  // Checks a username and password and opens a session. The username is trimmed and lowercased first.
  // Errors: ErrorCode::too_many_requests while the account or `remote_address` is locked, with a message saying
  // how many minutes to wait (also returned by the failure that sets the lock); ErrorCode::unauthenticated with
  // the same message for an unknown user and a wrong password (an unknown user costs the same hashing time);
  // ErrorCode::forbidden for a right password of a deactivated account. Failures count against the account (5 in
  // 15 minutes lock it for 15 minutes, by default) and the address (20 in 15 minutes), known account or not.
  // Success clears the account's count, re-hashes the password if its cost is outdated and is audited as
  // "user.sign_in"; failures as "user.sign_in_failure" (never with the password). Attempts refused while locked are
  // neither counted nor audited: they cost no hashing, and auditing them would let one client flood the audit log.
  // `remote_address` may be empty (then no address limit applies).
  Result<SignIn> sign_in(std::string_view username, std::string_view password, std::string_view remote_address,
                         std::string_view request_id = {});

  // The principal of the session whose cookie value is `token`, or nullopt when there is no such session, it has
  // expired, or its user is deactivated. Errors only when the store fails.
  Result<std::optional<http::Principal>> authenticate(std::string_view token);

  // Ends the session of `token` (no error when there is none). Audited as "user.sign_out" when one ended.
  Result<void> sign_out(std::string_view token, const audit::Actor& actor);

  // Deletes expired sessions and stale throttle rows; returns how many rows went. For a periodic job.
  Result<std::int64_t> purge_expired();

  std::chrono::seconds session_lifetime() const { return options_.session_lifetime; }

 private:
  Result<void> store_new_password(storage::Connection& connection, const User& user, std::string_view new_password,
                                  const audit::Actor& actor);

  storage::Database& database_;
  const Clock& clock_;
  AccountOptions options_;
  PasswordHasher hasher_;
  LoginThrottle throttle_;
};

}  // namespace dvchub::accounts
