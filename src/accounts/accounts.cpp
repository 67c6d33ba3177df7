#include "accounts/accounts.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/dates.h"
#include "core/email_address.h"
#include "json/json.h"

namespace dvchub::accounts {
namespace {

constexpr std::size_t token_bytes = 32;
// A base64url token of 32 bytes has 43 characters; anything much longer is not ours and is not hashed.
constexpr std::size_t longest_token = 128;
constexpr std::size_t shortest_password = 10;
constexpr std::size_t longest_password = 256;
constexpr std::size_t longest_display_name = 100;

constexpr const char* wrong_credentials = "Tên đăng nhập hoặc mật khẩu không đúng";
constexpr const char* account_disabled = "Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên.";
constexpr const char* user_not_found = "Không tìm thấy tài khoản";

// The columns of User, in user_from_row()'s order; the password hash, when selected, comes after them.
constexpr const char* user_columns =
    "id, username, display_name, role, unit_id, active, created_at, password_changed_at, email";

std::string_view trim(std::string_view text) {
  const auto is_space = [](char character) { return std::isspace(static_cast<unsigned char>(character)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lowercase_ascii(std::string_view text) {
  std::string lowered(text);
  for (char& character : lowered) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  return lowered;
}

// Characters (Unicode code points) in UTF-8 text: every byte that is not a continuation byte starts one.
std::size_t character_count(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char character) {
    return (static_cast<unsigned char>(character) & 0xC0) != 0x80;
  }));
}

bool is_username_character(char character) {
  return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') || character == '.' ||
         character == '_' || character == '-';
}

bool is_valid_username(std::string_view username) {
  return username.size() >= 3 && username.size() <= 40 &&
         std::all_of(username.begin(), username.end(), is_username_character);
}

std::optional<std::string> username_problem(std::string_view username) {
  if (username.empty()) return "Vui lòng nhập tên đăng nhập";
  if (!std::all_of(username.begin(), username.end(), is_username_character)) {
    return "Tên đăng nhập chỉ gồm chữ thường không dấu (a-z), chữ số và các dấu . _ -";
  }
  if (username.size() < 3 || username.size() > 40) return "Tên đăng nhập phải dài từ 3 đến 40 ký tự";
  return std::nullopt;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view username) {
  const std::size_t length = character_count(password);
  if (length < shortest_password) return fmt::format("Mật khẩu phải có ít nhất {} ký tự", shortest_password);
  if (length > longest_password) return fmt::format("Mật khẩu không được dài quá {} ký tự", longest_password);
  if (lowercase_ascii(password) == lowercase_ascii(username)) {
    return "Mật khẩu không được trùng với tên đăng nhập";
  }
  return std::nullopt;
}

tl::unexpected<Error> username_taken() {
  return tl::unexpected<Error>(Error{ErrorCode::conflict,
                                     "Tên đăng nhập này đã có người dùng",
                                     {FieldError{"username", "Tên đăng nhập này đã có người dùng, hãy chọn tên khác"}},
                                     {}});
}

tl::unexpected<Error> locked_out(TimePoint until, TimePoint now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(until - now).count();
  const auto minutes = std::max<std::int64_t>(1, (seconds + 59) / 60);
  return fail(ErrorCode::too_many_requests,
              fmt::format("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {} phút.", minutes));
}

User user_from_row(const storage::Row& row) {
  User user;
  user.id = row.integer(0);
  user.username = row.text(1);
  user.display_name = row.text(2);
  user.role = parse_role(row.text(3)).value_or(Role::viewer);  // the schema's CHECK admits only the four names
  user.unit_id = row.optional_integer(4);
  user.active = row.integer(5) != 0;
  user.created_at = from_unix_seconds(row.integer(6));
  user.password_changed_at = from_unix_seconds(row.integer(7));
  user.email = row.text(8);
  return user;
}

// The audited state of an account: never the password hash.
std::string user_state_json(const User& user) {
  json::Object state;
  state["username"] = user.username;
  state["display_name"] = user.display_name;
  state["role"] = role_name(user.role);
  state["unit_id"] = user.unit_id ? json::Value(*user.unit_id) : json::Value(nullptr);
  state["active"] = user.active;
  return json::serialize(state);
}

Result<std::optional<User>> load_user(storage::Connection& connection, std::string_view where,
                                      const storage::Parameters& parameters) {
  auto row = DVCHUB_TRY(
      connection.query_one(fmt::format("SELECT {} FROM users {}", user_columns, where), parameters));
  if (!row) return std::optional<User>{};
  return std::optional<User>{user_from_row(*row)};
}

// An account with its password hash, for the functions that check a password.
struct StoredAccount {
  User user;
  std::string password_hash;
};

Result<std::optional<StoredAccount>> load_account(storage::Connection& connection, std::string_view where,
                                                  const storage::Parameters& parameters) {
  auto row = DVCHUB_TRY(connection.query_one(
      fmt::format("SELECT {}, password_hash FROM users {}", user_columns, where), parameters));
  if (!row) return std::optional<StoredAccount>{};
  return std::optional<StoredAccount>{StoredAccount{user_from_row(*row), row->text(9)}};
}

http::Principal principal_of(const User& user, std::string token_hash_hex, std::string csrf_token) {
  http::Principal principal;
  principal.user_id = user.id;
  principal.username = user.username;
  principal.display_name = user.display_name;
  principal.role = role_name(user.role);
  principal.unit_id = user.unit_id;
  principal.session_token_hash = std::move(token_hash_hex);
  principal.csrf_token = std::move(csrf_token);
  return principal;
}

}  // namespace

AccountService::AccountService(storage::Database& database, const Clock& clock, AccountOptions options)
    : database_(database),
      clock_(clock),
      options_(options),
      hasher_(options.password_cost),
      throttle_(options.throttle) {}

Result<User> AccountService::create_user(const NewUser& request, const audit::Actor& actor) {
  const std::string username(trim(request.username));
  const std::string display_name(trim(request.display_name));
  const auto role = parse_role(request.role);

  std::vector<FieldError> fields;
  if (auto problem = username_problem(username)) fields.push_back({"username", *problem});
  if (display_name.empty()) {
    fields.push_back({"display_name", "Vui lòng nhập họ tên"});
  } else if (character_count(display_name) > longest_display_name) {
    fields.push_back({"display_name", fmt::format("Họ tên không được dài quá {} ký tự", longest_display_name)});
  }
  if (auto problem = password_problem(request.password, username)) fields.push_back({"password", *problem});
  if (!role) {
    fields.push_back({"role", "Vai trò phải là admin (Quản trị viên), coordinator (Điều phối viên), officer (Cán bộ "
                              "đơn vị) hoặc viewer (Người xem)"});
  } else if (*role == Role::officer && !request.unit_id) {
    fields.push_back({"unit_id", "Cán bộ đơn vị phải thuộc một đơn vị: hãy chọn đơn vị"});
  }

  auto connection = DVCHUB_TRY(database_.acquire());
  if (request.unit_id) {
    auto unit = DVCHUB_TRY(connection->query_one("SELECT id FROM units WHERE id = $1", {*request.unit_id}));
    if (!unit) fields.push_back({"unit_id", "Đơn vị này không tồn tại"});
  }
  if (!fields.empty()) return fail_fields(std::move(fields));

  // Hash before the transaction: argon2 takes tens of milliseconds and must not hold the store's write lock.
  const std::string password_hash = DVCHUB_TRY(hasher_.hash(request.password));
  const TimePoint now = clock_.now();
  User user;
  user.username = username;
  user.display_name = display_name;
  user.role = *role;
  user.unit_id = request.unit_id;
  user.active = true;
  user.created_at = from_unix_seconds(to_unix_seconds(now));
  user.password_changed_at = user.created_at;

  auto created = storage::in_transaction(*connection, [&]() -> Result<void> {
    auto taken = DVCHUB_TRY(connection->query_one("SELECT id FROM users WHERE username = $1", {username}));
    if (taken) return username_taken();
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO users (username, display_name, password_hash, role, unit_id, active, created_at, "
        "password_changed_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
        {username, display_name, password_hash, std::string(role_name(user.role)),
         storage::optional_value(user.unit_id), to_unix_seconds(now)}));
    if (!row) return fail(ErrorCode::internal, "Không thể tạo tài khoản", "INSERT ... RETURNING gave no row");
    user.id = row->integer(0);
    return audit::record(*connection, clock_, actor,
                         audit::Change{"user.create", "user", std::to_string(user.id), std::nullopt,
                                       user_state_json(user)});
  });
  if (!created) {
    // Another request took the name between our check and our insert: the UNIQUE constraint said so.
    if (created.error().code == ErrorCode::conflict && created.error().fields.empty()) return username_taken();
    return tl::unexpected(created.error());
  }
  return user;
}

Result<void> AccountService::store_new_password(storage::Connection& connection, const User& user,
                                                std::string_view new_password, const audit::Actor& actor) {
  if (auto problem = password_problem(new_password, user.username)) {
    return fail_fields({FieldError{"new_password", *problem}});
  }
  const std::string password_hash = DVCHUB_TRY(hasher_.hash(new_password));
  const std::int64_t now = to_unix_seconds(clock_.now());
  return storage::in_transaction(connection, [&]() -> Result<void> {
    DVCHUB_TRY(connection.execute("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
                                  {password_hash, now, user.id}));
    const std::int64_t ended = DVCHUB_TRY(connection.execute("DELETE FROM sessions WHERE user_id = $1", {user.id}));
    json::Object before;
    before["password_changed_at"] = format_iso_instant(user.password_changed_at);
    json::Object after;
    after["password_changed_at"] = format_iso_instant(from_unix_seconds(now));
    after["sessions_ended"] = ended;
    return audit::record(connection, clock_, actor,
                         audit::Change{"user.password_change", "user", std::to_string(user.id),
                                       json::serialize(before), json::serialize(after)});
  });
}

Result<void> AccountService::change_password(std::int64_t user_id, std::string_view new_password,
                                             const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto user = DVCHUB_TRY(load_user(*connection, "WHERE id = $1", {user_id}));
  if (!user) return fail(ErrorCode::not_found, user_not_found);
  return store_new_password(*connection, *user, new_password, actor);
}

Result<void> AccountService::set_email(std::int64_t user_id, std::string_view email, const audit::Actor& actor) {
  const std::string address(trim(email));
  if (!address.empty()) {
    if (auto problem = email_address_problem(address)) return fail_fields({FieldError{"email", *problem}});
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto user = DVCHUB_TRY(load_user(*connection, "WHERE id = $1", {user_id}));
    if (!user) return fail(ErrorCode::not_found, user_not_found);
    if (user->email == address) return {};
    DVCHUB_TRY(connection->execute("UPDATE users SET email = $2 WHERE id = $1",
                                   {user_id, address.empty() ? storage::null_value() : storage::Value{address}}));
    return audit::record(*connection, clock_, actor,
                         audit::Change{"user.email", "user", std::to_string(user_id),
                                       json::serialize(json::Object{{"email", user->email}}),
                                       json::serialize(json::Object{{"email", address}})});
  });
}

Result<void> AccountService::change_own_password(const http::Principal& principal, std::string_view current_password,
                                                 std::string_view new_password, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  const TimePoint now = clock_.now();
  const std::string account_key = account_throttle_key(principal.username);
  if (auto until = DVCHUB_TRY(throttle_.locked_until(*connection, {account_key}, now))) return locked_out(*until, now);

  auto account = DVCHUB_TRY(load_account(*connection, "WHERE id = $1 AND active = 1", {principal.user_id}));
  if (!account) return fail(ErrorCode::not_found, user_not_found);
  if (!hasher_.verify(account->password_hash, current_password)) {
    bool locked = false;
    DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
      locked = DVCHUB_TRY(throttle_.record_failure(*connection, account_key,
                                                   throttle_.policy().account_failure_limit, now));
      json::Object after;
      after["reason"] = "wrong_current_password";
      after["locked"] = locked;
      return audit::record(*connection, clock_, actor,
                           audit::Change{"user.password_change_failure", "user", std::to_string(principal.user_id),
                                         std::nullopt, json::serialize(after)});
    }));
    if (locked) return locked_out(now + throttle_.policy().lock_duration, now);
    return fail_fields({FieldError{"current_password", "Mật khẩu hiện tại không đúng"}});
  }
  return store_new_password(*connection, account->user, new_password, actor);
}

Result<void> AccountService::set_active(std::int64_t user_id, bool active, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto user = DVCHUB_TRY(load_user(*connection, "WHERE id = $1", {user_id}));
  if (!user) return fail(ErrorCode::not_found, user_not_found);
  if (user->active == active) return {};
  User changed = *user;
  changed.active = active;
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    if (!active && user->role == Role::admin) {
      auto others = DVCHUB_TRY(connection->query_one(
          "SELECT COUNT(*) FROM users WHERE role = $1 AND active = 1 AND id <> $2",
          {std::string(role_name(Role::admin)), user_id}));
      if (!others || others->integer(0) == 0) {
        return fail(ErrorCode::conflict, "Không thể khóa quản trị viên cuối cùng đang hoạt động");
      }
    }
    DVCHUB_TRY(connection->execute("UPDATE users SET active = $1 WHERE id = $2",
                                   {std::int64_t{active ? 1 : 0}, user_id}));
    if (!active) DVCHUB_TRY(connection->execute("DELETE FROM sessions WHERE user_id = $1", {user_id}));
    return audit::record(*connection, clock_, actor,
                         audit::Change{active ? "user.activate" : "user.deactivate", "user", std::to_string(user_id),
                                       user_state_json(*user), user_state_json(changed)});
  });
}

Result<std::vector<User>> AccountService::list_users() {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(fmt::format("SELECT {} FROM users ORDER BY username", user_columns)));
  std::vector<User> users;
  users.reserve(rows.size());
  for (const auto& row : rows) users.push_back(user_from_row(row));
  return users;
}

Result<std::optional<User>> AccountService::find_user(std::int64_t user_id) {
  auto connection = DVCHUB_TRY(database_.acquire());
  return load_user(*connection, "WHERE id = $1", {user_id});
}

Result<std::optional<User>> AccountService::find_user_by_username(std::string_view username) {
  auto connection = DVCHUB_TRY(database_.acquire());
  return load_user(*connection, "WHERE username = $1", {std::string(username)});
}

Result<SignIn> AccountService::sign_in(std::string_view username, std::string_view password,
                                       std::string_view remote_address, std::string_view request_id) {
  const std::string name = lowercase_ascii(trim(username));
  const std::string address(trim(remote_address));
  // Names that break the username rules can belong to no account: they are not counted per account (and not
  // stored), only per address.
  const bool could_be_account = is_valid_username(name);
  const std::string account_key = account_throttle_key(name);
  const std::string address_key = address_throttle_key(address);
  std::vector<std::string> keys;
  if (could_be_account) keys.push_back(account_key);
  if (!address.empty()) keys.push_back(address_key);

  auto connection = DVCHUB_TRY(database_.acquire());
  const TimePoint now = clock_.now();
  if (auto until = DVCHUB_TRY(throttle_.locked_until(*connection, keys, now))) return locked_out(*until, now);

  std::optional<StoredAccount> account;
  if (could_be_account) account = DVCHUB_TRY(load_account(*connection, "WHERE username = $1", {name}));
  audit::Actor actor{account ? std::optional<std::int64_t>(account->user.id) : std::nullopt,
                     could_be_account ? name : std::string("anonymous"), std::string(request_id), address};
  const std::string entity_key = account ? std::to_string(account->user.id) : std::string();

  // Audits a refused sign-in; when `counted`, also counts it against the account and the address.
  const auto refuse = [&](const char* reason, bool counted) -> Result<bool> {
    bool locked = false;
    DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
      if (counted && could_be_account) {
        locked |= DVCHUB_TRY(
            throttle_.record_failure(*connection, account_key, throttle_.policy().account_failure_limit, now));
      }
      if (counted && !address.empty()) {
        locked |= DVCHUB_TRY(
            throttle_.record_failure(*connection, address_key, throttle_.policy().address_failure_limit, now));
      }
      json::Object after;
      after["username"] = could_be_account ? json::Value(name) : json::Value(nullptr);
      after["reason"] = reason;
      after["locked"] = locked;
      return audit::record(*connection, clock_, actor,
                           audit::Change{"user.sign_in_failure", "user", entity_key, std::nullopt,
                                         json::serialize(after)});
    }));
    return locked;
  };

  bool password_matches = false;
  if (account) {
    password_matches = hasher_.verify(account->password_hash, password);
  } else {
    hasher_.verify_dummy(password);  // as slow as a real check, so timing does not tell which names exist
  }
  if (!password_matches) {
    const bool locked = DVCHUB_TRY(refuse(account ? "wrong_password" : "unknown_user", true));
    if (locked) return locked_out(now + throttle_.policy().lock_duration, now);
    return fail(ErrorCode::unauthenticated, wrong_credentials);
  }
  if (!account->user.active) {
    DVCHUB_TRY(refuse("inactive", false));
    return fail(ErrorCode::forbidden, account_disabled);
  }

  // An outdated cost is upgraded now, while the password is at hand. If hashing fails the old hash stays valid,
  // so the sign-in goes on.
  std::optional<std::string> rehashed;
  if (hasher_.needs_rehash(account->password_hash)) {
    if (auto fresh = hasher_.hash(password)) rehashed = std::move(*fresh);
  }
  SignIn result;
  result.token = random_token_base64url(token_bytes);
  result.expires_at = from_unix_seconds(to_unix_seconds(now + options_.session_lifetime));
  result.principal = principal_of(account->user, token_hash(result.token), random_token_base64url(token_bytes));
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(throttle_.clear(*connection, account_key));
    if (rehashed) {
      DVCHUB_TRY(connection->execute("UPDATE users SET password_hash = $1 WHERE id = $2",
                                     {*rehashed, account->user.id}));
    }
    DVCHUB_TRY(connection->execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, remote_address) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {result.principal.session_token_hash, account->user.id, result.principal.csrf_token, to_unix_seconds(now),
         to_unix_seconds(result.expires_at), address}));
    json::Object after;
    after["session_expires_at"] = format_iso_instant(result.expires_at);
    after["password_rehashed"] = rehashed.has_value();
    return audit::record(*connection, clock_, actor,
                         audit::Change{"user.sign_in", "user", entity_key, std::nullopt, json::serialize(after)});
  }));
  return result;
}

Result<std::optional<http::Principal>> AccountService::authenticate(std::string_view token) {
  if (token.empty() || token.size() > longest_token) return std::optional<http::Principal>{};
  const std::string hashed = token_hash(token);
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(
      "SELECT u.id, u.username, u.display_name, u.role, u.unit_id, s.csrf_token, (SELECT COUNT(*) FROM (SELECT 1 "
      "FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL LIMIT 100) unread) FROM sessions s "
      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
      {hashed, to_unix_seconds(clock_.now())}));
  if (!row) return std::optional<http::Principal>{};
  http::Principal principal;
  principal.user_id = row->integer(0);
  principal.username = row->text(1);
  principal.display_name = row->text(2);
  principal.role = row->text(3);
  principal.unit_id = row->optional_integer(4);
  principal.session_token_hash = hashed;
  principal.csrf_token = row->text(5);
  principal.unread_notifications = row->integer(6);
  return std::optional<http::Principal>{std::move(principal)};
}

Result<void> AccountService::sign_out(std::string_view token, const audit::Actor& actor) {
  if (token.empty() || token.size() > longest_token) return {};
  const std::string hashed = token_hash(token);
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto session = DVCHUB_TRY(connection->query_one("SELECT user_id FROM sessions WHERE token_hash = $1", {hashed}));
    if (!session) return {};
    DVCHUB_TRY(connection->execute("DELETE FROM sessions WHERE token_hash = $1", {hashed}));
    return audit::record(*connection, clock_, actor,
                         audit::Change{"user.sign_out", "user", session->text(0), std::nullopt, std::nullopt});
  });
}

Result<std::int64_t> AccountService::purge_expired() {
  auto connection = DVCHUB_TRY(database_.acquire());
  const TimePoint now = clock_.now();
  const std::int64_t sessions =
      DVCHUB_TRY(connection->execute("DELETE FROM sessions WHERE expires_at <= $1", {to_unix_seconds(now)}));
  const std::int64_t throttles = DVCHUB_TRY(throttle_.purge_stale(*connection, now));
  return sessions + throttles;
}

}  // namespace dvchub::accounts
