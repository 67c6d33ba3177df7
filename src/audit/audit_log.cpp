#include "audit/audit_log.h"

#include <algorithm>

#include "core/dates.h"

namespace dvchub::audit {

Result<void> record(storage::Connection& connection, const Clock& clock, const Actor& actor, const Change& change) {
  auto inserted = connection.execute(
      "INSERT INTO audit_log (occurred_at, actor_user_id, actor, action, entity_type, entity_key, before_state, "
      "after_state, request_id, remote_address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {to_unix_seconds(clock.now()), storage::optional_value(actor.user_id), actor.name, change.action,
       change.entity_type, change.entity_key, storage::optional_value(change.before_json),
       storage::optional_value(change.after_json), actor.request_id, actor.remote_address});
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

Result<std::vector<Entry>> list(storage::Connection& connection, const Query& query) {
  // Optional filters are bound as NULL and ignored with "CAST($n AS type) IS NULL OR ...", so the SQL text stays
  // constant (the CAST tells PostgreSQL the type of a parameter that may be NULL).
  const int limit = std::clamp(query.limit, 1, 500);
  auto rows = DVCHUB_TRY(connection.query(
      "SELECT id, occurred_at, actor_user_id, actor, action, entity_type, entity_key, before_state, after_state, "
      "request_id, remote_address FROM audit_log "
      "WHERE (CAST($1 AS TEXT) IS NULL OR entity_type = $1) AND (CAST($2 AS TEXT) IS NULL OR entity_key = $2) "
      "AND (CAST($3 AS BIGINT) IS NULL OR id < $3) "
      "ORDER BY id DESC LIMIT $4",
      {storage::optional_value(query.entity_type), storage::optional_value(query.entity_key),
       storage::optional_value(query.before_id), std::int64_t{limit}}));
  std::vector<Entry> entries;
  entries.reserve(rows.size());
  for (const auto& row : rows) {
    Entry entry;
    entry.id = row.integer(0);
    entry.occurred_at = from_unix_seconds(row.integer(1));
    entry.actor_user_id = row.optional_integer(2);
    entry.actor = row.text(3);
    entry.change = Change{row.text(4), row.text(5), row.text(6), row.optional_text(7), row.optional_text(8)};
    entry.request_id = row.text(9);
    entry.remote_address = row.text(10);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace dvchub::audit
