// storage/migrations.h — the one schema history, shared by both backends.
//
// Migrations are the embedded files migrations/NNNN_name.sql, applied in order of NNNN. Each file is portable SQL
// with two kinds of dialect markup, resolved by storage/dialect.cpp:
//   {{id_column}}  an auto-increment BIGINT primary key
//   "-- dialect: sqlite" / "-- dialect: postgresql" / "-- dialect: all" lines switch which backend the following
//   statements are for.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::storage {

// Called once per migration applied: (version, name).
using MigrationProgress = std::function<void(int version, const std::string& name)>;

// Applies every migration not yet recorded in schema_migrations, each in its own transaction, and records it.
// Safe when several processes start at once (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE). Returns how
// many were applied (0 when the store is current).
Result<int> migrate(Database& database, const Clock& clock, const MigrationProgress& progress = {});

// The SQL of one migration file for one dialect (markup resolved). Exposed for tests.
std::string resolve_dialect(std::string_view sql, Dialect dialect);

}  // namespace dvchub::storage
