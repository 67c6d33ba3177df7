// storage/database.h — the one storage interface; SQLite and PostgreSQL implement it.
//
// SQL is written once, in portable SQL, with PostgreSQL-style numbered parameters ($1, $2, ...). The SQLite backend
// rewrites them to ?1, ?2 (SQLite binds "$2, $1" by order of appearance otherwise). Every value reaches the database
// as a bound parameter: never build SQL from user input.
//
// Types: integers (BIGINT), reals (DOUBLE PRECISION), text (TEXT), NULL. Instants are stored as Unix seconds in
// BIGINT, civil dates as "YYYY-MM-DD" TEXT, booleans as INTEGER 0/1 (see core/dates.h). Dialect differences in DDL
// are written as placeholders resolved in one place (storage/dialect.h).
//
// Thread-safety: a Database may be shared by all threads; a Connection belongs to one thread at a time (it is
// handed out by the pool and returned when the PooledConnection is destroyed).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace dvchub::storage {

// A bound parameter or a column value.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

inline Value null_value() { return Value{}; }

// "INSERT INTO table (a, b) VALUES ($1, $2)"-style helpers work on column lists written in code; this joins them.
std::string column_list(const std::vector<std::string>& columns);
// Helper to bind an optional: nullopt becomes NULL.
template <typename T>
Value optional_value(const std::optional<T>& value) {
  if (!value) return Value{};
  return Value{*value};
}

// One result row. Column access is by index, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> columns) : columns_(std::move(columns)) {}
  std::size_t size() const { return columns_.size(); }
  bool is_null(std::size_t index) const { return std::holds_alternative<std::monostate>(columns_.at(index)); }
  // Integer value of a column; text is parsed; NULL gives 0.
  std::int64_t integer(std::size_t index) const;
  // Real value; integers and text converted; NULL gives 0.
  double real(std::size_t index) const;
  // Text value; numbers formatted; NULL gives "".
  std::string text(std::size_t index) const;
  std::optional<std::string> optional_text(std::size_t index) const;
  std::optional<std::int64_t> optional_integer(std::size_t index) const;
  const Value& value(std::size_t index) const { return columns_.at(index); }

 private:
  std::vector<Value> columns_;
};

using Parameters = std::vector<Value>;

// "$first, $first+1, …": `count` numbered placeholders, for "IN (…)" lists and multi-row VALUES.
inline std::string placeholders(std::size_t first, std::size_t count) {
  std::string text;
  for (std::size_t index = 0; index < count; ++index) {
    if (index) text += ", ";
    text += '$' + std::to_string(first + index);
  }
  return text;
}

// Appends `values` to `parameters` and returns their placeholders ("$4, $5, $6"), for "column IN (…)".
template <typename T>
std::string append_parameters(Parameters& parameters, const std::vector<T>& values) {
  const std::size_t first = parameters.size() + 1;
  for (const auto& value : values) parameters.emplace_back(value);
  return placeholders(first, values.size());
}

enum class Dialect { sqlite, postgresql };

using BackupProgress = std::function<void(std::size_t done, std::size_t total)>;

// A live connection. Failures come back as Error: unique/foreign-key/check violations as ErrorCode::conflict,
// lost connections as ErrorCode::unavailable, everything else ErrorCode::internal (library text in Error::detail).
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs a statement that returns rows.
  virtual Result<std::vector<Row>> query(std::string_view sql, const Parameters& parameters = {}) = 0;
  // Runs a statement; returns the number of rows it changed.
  Result<std::int64_t> execute(std::string_view sql, const Parameters& parameters = {}) {
    return execute(sql, std::span<const Value>(parameters));
  }
  // As above, the parameters bound straight from a larger buffer (a bulk import's rows), not copied into a vector.
  virtual Result<std::int64_t> execute(std::string_view sql, std::span<const Value> parameters) = 0;
  // Runs several statements with no parameters (migrations). Not for user input.
  virtual Result<void> execute_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
  // Appends rows to `table` the fastest way the backend has: PostgreSQL streams them with COPY … FROM STDIN (text
  // format, one round trip); SQLite steps one prepared INSERT per row. `values` holds the rows one after another,
  // `columns.size()` values per row, in `columns` order. There is no ON CONFLICT: a duplicate key or other violated
  // constraint fails the call (ErrorCode::conflict) and, inside a transaction, the caller rolls back. `table` and
  // `columns` are identifiers written in code, never user input. invalid_input when `values` is not whole rows.
  virtual Result<void> copy_rows(std::string_view table, const std::vector<std::string>& columns,
                                 const Parameters& values) = 0;
  // Copies the whole store, while it stays in use, to a new SQLite file at `path` (SQLite's online backup API),
  // calling `progress(pages copied, pages in all)`. ErrorCode::conflict when `path` exists; on PostgreSQL
  // ErrorCode::invalid_input with the pg_dump command to use instead.
  virtual Result<void> backup_to(const std::string& path, const BackupProgress& progress) = 0;

  // Convenience: the first row, or nullopt when there is none.
  Result<std::optional<Row>> query_one(std::string_view sql, const Parameters& parameters = {});
};

// Runs `work` inside a transaction on `connection`: commits when it returns a value, rolls back when it returns an
// Error (or throws). SQLite transactions start with BEGIN IMMEDIATE so writers queue instead of failing mid-way.
Result<void> in_transaction(Connection& connection, const std::function<Result<void>()>& work);

class Database;

// A connection borrowed from the pool; returned to it on destruction.
class PooledConnection {
 public:
  PooledConnection(Database* owner, std::unique_ptr<Connection> connection)
      : owner_(owner), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&&) noexcept = default;
  // Returns the connection held so far (if any) to its pool, then takes over `other`'s.
  PooledConnection& operator=(PooledConnection&& other) noexcept;
  ~PooledConnection();
  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  Database* owner_;
  std::unique_ptr<Connection> connection_;
};

struct PoolStatistics {
  std::size_t size = 0;    // connections that exist
  std::size_t in_use = 0;  // connections borrowed right now
  std::uint64_t waits = 0; // acquisitions that had to wait for a free connection
};

// A store: a pool of connections to one database.
class Database {
 public:
  virtual ~Database() = default;
  // Borrows a connection, waiting up to the configured timeout; ErrorCode::unavailable when none frees up or the
  // server cannot be reached.
  virtual Result<PooledConnection> acquire() = 0;
  virtual Dialect dialect() const = 0;
  virtual PoolStatistics statistics() const = 0;
  // A cheap round trip ("SELECT 1") for readiness checks.
  Result<void> ping();
  // Connection::backup_to on a borrowed connection.
  Result<void> backup_to(const std::string& path, const BackupProgress& progress = {});
  // Closes every idle connection; borrowed ones close when returned. Called on shutdown.
  virtual void close() = 0;

 protected:
  friend class PooledConnection;
  virtual void release(std::unique_ptr<Connection> connection) = 0;
};

struct DatabaseOptions {
  std::size_t pool_size = 8;
  int acquire_timeout_milliseconds = 5000;
  int busy_timeout_milliseconds = 5000;  // SQLite: how long a writer waits for the lock
};

// Opens a store from a URL: "sqlite:///absolute/path.db", "sqlite://:memory:" (tests) or
// "postgresql://user:password@host:port/database" (also "postgres://"). Creates the SQLite file and its folder if
// missing. ErrorCode::invalid_input for an unknown scheme, ErrorCode::unavailable when it cannot connect.
Result<std::unique_ptr<Database>> open_database(const std::string& url, const DatabaseOptions& options = {});

}  // namespace dvchub::storage
