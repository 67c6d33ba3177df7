// storage/backends.h — the two backend constructors open_database() dispatches to (internal to src/storage).
// Each lives in the one file that includes its library: sqlite_database.cpp (sqlite3), postgresql_database.cpp
// (libpq).
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace dvchub::storage {

// Opens a SQLite store. `location` is an absolute file path (its folder is created when missing) or ":memory:"
// for a private in-memory store shared by this Database's pooled connections and gone when it is destroyed.
// Opens one connection up front: ErrorCode::unavailable when the file cannot be created or opened.
Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& location, const DatabaseOptions& options);

// Opens a PostgreSQL store from a libpq URI ("postgresql://user:password@host:port/database"). Opens one
// connection up front: ErrorCode::unavailable (libpq's text in Error::detail) when the server cannot be reached.
Result<std::unique_ptr<Database>> open_postgresql_database(const std::string& url, const DatabaseOptions& options);

}  // namespace dvchub::storage
