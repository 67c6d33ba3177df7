// audit/audit_log.h — the append-only record of every state change: who, when, what, before → after.
//
// Write the record on the same connection and inside the same transaction as the change it describes, so both
// commit or neither does. Nothing in dvchub updates or deletes audit records, and the schema's triggers refuse it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::audit {

// Who did it. Staff actions carry the user; command-line and system actions carry a name such as "cli" or "system".
struct Actor {
  std::optional<std::int64_t> user_id;
  std::string name;
  std::string request_id;
  std::string remote_address;

  static Actor system(std::string name) { return Actor{std::nullopt, std::move(name), {}, {}}; }
};

struct Change {
  std::string action;       // verb in dotted form: "unit.create", "user.password_change", ...
  std::string entity_type;  // "unit", "user", ...
  std::string entity_key;   // the entity's code or id as text
  std::optional<std::string> before_json;  // state before, JSON object text; nullopt for creations
  std::optional<std::string> after_json;   // state after; nullopt for deletions
};

struct Entry {
  std::int64_t id = 0;
  TimePoint occurred_at;
  std::optional<std::int64_t> actor_user_id;
  std::string actor;
  Change change;
  std::string request_id;
  std::string remote_address;
};

// Appends one record on `connection` (inside the caller's transaction when there is one).
Result<void> record(storage::Connection& connection, const Clock& clock, const Actor& actor, const Change& change);

struct Query {
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_key;
  std::optional<std::int64_t> before_id;  // for paging backwards: records with id < before_id
  int limit = 50;                         // clamped to 1..500
};

// Newest first.
Result<std::vector<Entry>> list(storage::Connection& connection, const Query& query);

}  // namespace dvchub::audit
