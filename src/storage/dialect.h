// storage/dialect.h — the one place where SQL differs between SQLite and PostgreSQL.
//
// Migrations are written once; their markup (see storage/migrations.h) is resolved here. Statements run by domain
// code are portable and need nothing from this header; code that must branch on the backend asks
// Connection::dialect() and takes its spelling from here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace dvchub::storage {

// The column definition {{id_column}} stands for: an auto-increment 64-bit integer primary key.
std::string_view id_column_definition(Dialect dialect);

// "sqlite" or "postgresql": the names used in "-- dialect: NAME" lines and in test names.
std::string_view dialect_name(Dialect dialect);

// The first malformed piece of migration markup in `sql` (a "-- dialect:" line naming no known dialect, a
// {{placeholder}} that does not exist), described for a log, or nullopt when the markup is sound. resolve_dialect()
// (storage/migrations.h) assumes sound markup; migrate() checks every file with this first.
std::optional<std::string> find_markup_error(std::string_view sql);

}  // namespace dvchub::storage
