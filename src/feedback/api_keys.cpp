#include "feedback/api_keys.h"

#include "accounts/password_hasher.h"
#include "core/dates.h"
#include "feedback/field_checks.h"
#include "json/json.h"

namespace dvchub::feedback {
namespace {

constexpr const char* key_columns = "SELECT id, name, created_at, created_by, revoked_at, last_used_at FROM open311_api_keys ";

ApiKey key_from_row(const storage::Row& row) {
  ApiKey key;
  key.id = row.integer(0);
  key.name = row.text(1);
  key.created_at = from_unix_seconds(row.integer(2));
  key.created_by = row.text(3);
  if (!row.is_null(4)) key.revoked_at = from_unix_seconds(row.integer(4));
  if (!row.is_null(5)) key.last_used_at = from_unix_seconds(row.integer(5));
  return key;
}

}  // namespace

Result<IssuedKey> ApiKeyService::issue(const std::string& name, const audit::Actor& actor) {
  std::vector<FieldError> errors;
  const std::string clean = checked_text(errors, "name", name, true, 200, "Cần ghi tên ứng dụng, hệ thống dùng khóa");
  if (!errors.empty()) return fail_fields(std::move(errors));
  IssuedKey issued;
  issued.secret = accounts::random_token_base64url(32);
  issued.key.name = clean;
  issued.key.created_at = clock_.now();
  issued.key.created_by = actor.name;
  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO open311_api_keys (name, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
        {clean, accounts::token_hash(issued.secret), to_unix_seconds(issued.key.created_at), actor.name}));
    issued.key.id = (*row).integer(0);
    json::Object after;
    after["name"] = clean;
    return audit::record(*connection, clock_, actor,
                         {"open311.key_issue", "open311_api_key", std::to_string(issued.key.id), std::nullopt,
                          json::serialize(after)});
  }));
  return issued;
}

Result<void> ApiKeyService::revoke(std::int64_t id, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(std::string(key_columns) + "WHERE id = $1", {id}));
    if (!row) return fail(ErrorCode::not_found, "Không có khóa này");
    if (!row->is_null(4)) return fail(ErrorCode::conflict, "Khóa này đã bị thu hồi");
    DVCHUB_TRY(connection->execute("UPDATE open311_api_keys SET revoked_at = $2 WHERE id = $1",
                                   {id, to_unix_seconds(clock_.now())}));
    json::Object before;
    before["name"] = row->text(1);
    return audit::record(*connection, clock_, actor,
                         {"open311.key_revoke", "open311_api_key", std::to_string(id), json::serialize(before),
                          std::nullopt});
  });
}

Result<std::vector<ApiKey>> ApiKeyService::list() const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(std::string(key_columns) + "ORDER BY id DESC"));
  std::vector<ApiKey> keys;
  for (const auto& row : rows) keys.push_back(key_from_row(row));
  return keys;
}

Result<std::optional<ApiKey>> ApiKeyService::verify(const std::string& secret) {
  if (secret.empty() || secret.size() > 200) return std::optional<ApiKey>{};
  auto connection = DVCHUB_TRY(database_.acquire());
  // The digest is looked up by equality: a timing difference reveals nothing about the key itself.
  auto row = DVCHUB_TRY(connection->query_one(std::string(key_columns) + "WHERE key_hash = $1 AND revoked_at IS NULL",
                                              {accounts::token_hash(secret)}));
  if (!row) return std::optional<ApiKey>{};
  ApiKey key = key_from_row(*row);
  key.last_used_at = clock_.now();
  DVCHUB_TRY(connection->execute("UPDATE open311_api_keys SET last_used_at = $2 WHERE id = $1",
                                 {key.id, to_unix_seconds(*key.last_used_at)}));
  return std::optional<ApiKey>(key);
}

}  // namespace dvchub::feedback
