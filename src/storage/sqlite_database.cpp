// The SQLite backend: the only file that includes sqlite3.h.
//
// Every connection runs in WAL mode with synchronous=FULL (a commit is on disk when it returns: callers promise
// durability before they answer 201), foreign_keys=ON and the configured busy timeout. Prepared statements are
// cached per connection by SQL text. "$n" parameters are rewritten to "?n", which SQLite binds by number.
#include <sqlite3.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <span>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "storage/backends.h"
#include "storage/connection_pool.h"

namespace dvchub::storage {
namespace {

// More distinct statements than this on one connection means SQL is being generated (e.g. IN lists of varying
// length): the cache is emptied rather than grown without bound.
constexpr std::size_t statement_cache_limit = 256;

bool is_identifier_character(char character) {
  return std::isalnum(static_cast<unsigned char>(character)) || character == '_' || character == '$';
}

// Rewrites "$n" to "?n" everywhere except inside string literals, quoted identifiers and comments.
std::string rewrite_numbered_parameters(std::string_view sql) {
  std::string rewritten;
  rewritten.reserve(sql.size());
  std::size_t position = 0;
  const auto copy_through = [&](std::size_t end) {  // copies sql[position, end) and moves past it
    end = std::min(end, sql.size());
    rewritten.append(sql.substr(position, end - position));
    position = end;
  };
  while (position < sql.size()) {
    const char character = sql[position];
    const char next = position + 1 < sql.size() ? sql[position + 1] : '\0';
    if (character == '\'' || character == '"' || character == '`') {
      // A doubled quote inside a literal reads as a literal closed and reopened: the result is the same.
      const std::size_t closing = sql.find(character, position + 1);
      copy_through(closing == std::string_view::npos ? sql.size() : closing + 1);
    } else if (character == '-' && next == '-') {
      const std::size_t line_end = sql.find('\n', position);
      copy_through(line_end == std::string_view::npos ? sql.size() : line_end + 1);
    } else if (character == '/' && next == '*') {
      const std::size_t comment_end = sql.find("*/", position + 2);
      copy_through(comment_end == std::string_view::npos ? sql.size() : comment_end + 2);
    } else if (character == '$' && std::isdigit(static_cast<unsigned char>(next)) &&
               (position == 0 || !is_identifier_character(sql[position - 1]))) {
      rewritten.push_back('?');
      ++position;
    } else {
      rewritten.push_back(character);
      ++position;
    }
  }
  return rewritten;
}

tl::unexpected<Error> sqlite_failure(sqlite3* handle, int code, std::string_view context) {
  std::string detail = std::string(context) + ": " + sqlite3_errstr(code);
  if (handle) detail += " (" + std::string(sqlite3_errmsg(handle)) + ")";
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return fail(ErrorCode::conflict, "Dữ liệu trùng lặp hoặc vi phạm ràng buộc", std::move(detail));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return fail(ErrorCode::unavailable, "Cơ sở dữ liệu đang bận, vui lòng thử lại", std::move(detail));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return fail(ErrorCode::unavailable, "Không kết nối được cơ sở dữ liệu", std::move(detail));
    default:
      return fail(ErrorCode::internal, "Lỗi cơ sở dữ liệu", std::move(detail));
  }
}

// Resets a cached statement and drops its bindings when a call is over, however it ends.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementUse() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  sqlite3_stmt* statement_;
};

Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return Value{static_cast<std::int64_t>(sqlite3_column_int64(statement, column))};
    case SQLITE_FLOAT:
      return Value{sqlite3_column_double(statement, column)};
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return Value{std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)))};
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return Value{bytes ? std::string(bytes, size) : std::string()};
    }
    default:
      return Value{};
  }
}

class SqliteConnection final : public BackendConnection {
 public:
  // Opens `filename` with `flags` and applies the per-connection settings.
  static Result<std::unique_ptr<BackendConnection>> open(const std::string& filename, int flags, bool in_memory,
                                                         const DatabaseOptions& options) {
    sqlite3* handle = nullptr;
    const int opened = sqlite3_open_v2(filename.c_str(), &handle, flags, nullptr);
    std::unique_ptr<SqliteConnection> connection(new SqliteConnection(handle));  // closes the handle on failure
    if (opened != SQLITE_OK) return sqlite_failure(handle, opened, "open " + filename);
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, options.busy_timeout_milliseconds);
    DVCHUB_TRY(connection->execute_script("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"));
    if (!in_memory) {
      auto mode = DVCHUB_TRY(connection->query_one("PRAGMA journal_mode = WAL"));
      if (!mode || mode->text(0) != "wal") {
        return fail(ErrorCode::unavailable, "Không mở được cơ sở dữ liệu",
                    filename + ": journal_mode=WAL refused (got " + (mode ? mode->text(0) : "nothing") + ")");
      }
    }
    return std::unique_ptr<BackendConnection>(std::move(connection));
  }

  ~SqliteConnection() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(handle_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<std::vector<Row>> query(std::string_view sql, const Parameters& parameters) override {
    sqlite3_stmt* statement = DVCHUB_TRY(prepare(sql, parameters));
    StatementUse use(statement);
    const int column_count = sqlite3_column_count(statement);
    std::vector<Row> rows;
    while (true) {
      const int stepped = sqlite3_step(statement);
      if (stepped == SQLITE_DONE) return rows;
      if (stepped != SQLITE_ROW) return sqlite_failure(handle_, stepped, "query");
      std::vector<Value> columns;
      columns.reserve(static_cast<std::size_t>(column_count));
      for (int column = 0; column < column_count; ++column) columns.push_back(column_value(statement, column));
      rows.emplace_back(std::move(columns));
    }
  }

  using Connection::execute;
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> parameters) override {
    sqlite3_stmt* statement = DVCHUB_TRY(prepare(sql, parameters));
    StatementUse use(statement);
    const std::int64_t changes_before = sqlite3_total_changes64(handle_);
    int stepped;
    do {
      stepped = sqlite3_step(statement);
    } while (stepped == SQLITE_ROW);
    if (stepped != SQLITE_DONE) return sqlite_failure(handle_, stepped, "execute");
    // sqlite3_changes64 still holds the count of an earlier statement when this one (BEGIN, DDL) changed nothing.
    return sqlite3_total_changes64(handle_) == changes_before ? 0 : sqlite3_changes64(handle_);
  }

  Result<void> execute_script(std::string_view sql) override {
    const std::string script(sql);
    const int executed = sqlite3_exec(handle_, script.c_str(), nullptr, nullptr, nullptr);
    if (executed != SQLITE_OK) return sqlite_failure(handle_, executed, "script");
    return {};
  }

  Result<void> copy_rows(std::string_view table, const std::vector<std::string>& columns,
                         const Parameters& values) override {
    const std::size_t width = columns.size();
    if (width == 0 || values.size() % width != 0) {
      return fail(ErrorCode::invalid_input, "Lỗi cơ sở dữ liệu", "copy_rows: values are not whole rows");
    }
    const std::string sql = "INSERT INTO " + std::string(table) + " (" + column_list(columns) + ") VALUES (" +
                            placeholders(1, width) + ")";
    for (std::size_t offset = 0; offset < values.size(); offset += width) {
      sqlite3_stmt* statement = DVCHUB_TRY(prepare(sql, std::span<const Value>(values.data() + offset, width)));
      StatementUse use(statement);
      const int stepped = sqlite3_step(statement);
      if (stepped != SQLITE_DONE) return sqlite_failure(handle_, stepped, "copy_rows " + std::string(table));
    }
    return {};
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<void> backup_to(const std::string& path, const BackupProgress& progress) override {
    if (std::filesystem::exists(path)) {
      return fail(ErrorCode::conflict, "Tệp đích " + path + " đã tồn tại; hãy chọn tên khác");
    }
    sqlite3* destination = nullptr;
    const int opened = sqlite3_open_v2(path.c_str(), &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> destination_guard(destination, sqlite3_close_v2);
    if (opened != SQLITE_OK) {
      return fail(ErrorCode::invalid_input, "Không tạo được tệp sao lưu " + path, sqlite3_errstr(opened));
    }
    sqlite3_backup* backup = sqlite3_backup_init(destination, "main", handle_, "main");
    if (backup == nullptr) return sqlite_failure(destination, sqlite3_errcode(destination), "backup init");
    int stepped = SQLITE_OK;
    // Copies 256 pages at a time, so writers are held up only briefly between steps.
    while (stepped == SQLITE_OK || stepped == SQLITE_BUSY || stepped == SQLITE_LOCKED) {
      stepped = sqlite3_backup_step(backup, 256);
      const int total = sqlite3_backup_pagecount(backup);
      if (progress) progress(static_cast<std::size_t>(total - sqlite3_backup_remaining(backup)), total);
      if (stepped == SQLITE_BUSY || stepped == SQLITE_LOCKED) sqlite3_sleep(10);
    }
    const int finished = sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
      destination_guard.reset();
      std::filesystem::remove(path);
      return fail(ErrorCode::unavailable, "Sao lưu không hoàn tất", sqlite3_errstr(stepped));
    }
    return {};
  }

  bool prepare_for_reuse() override {
    if (sqlite3_get_autocommit(handle_)) return true;
    return sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

 private:
  explicit SqliteConnection(sqlite3* handle) : handle_(handle) {}

  // The cached statement for `sql`, with `parameters` bound.
  Result<sqlite3_stmt*> prepare(std::string_view sql, std::span<const Value> parameters) {
    auto cached = statements_.find(sql);
    sqlite3_stmt* statement = cached == statements_.end() ? nullptr : cached->second;
    if (!statement) {
      std::string key(sql);
      const std::string rewritten = rewrite_numbered_parameters(sql);
      const char* tail = nullptr;
      const int prepared = sqlite3_prepare_v3(handle_, rewritten.c_str(), static_cast<int>(rewritten.size()),
                                              SQLITE_PREPARE_PERSISTENT, &statement, &tail);
      if (prepared != SQLITE_OK) return sqlite_failure(handle_, prepared, "prepare " + key);
      if (!statement) return fail(ErrorCode::internal, "Lỗi cơ sở dữ liệu", "empty statement");
      for (; tail && *tail; ++tail) {
        if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';') {
          sqlite3_finalize(statement);
          return fail(ErrorCode::internal, "Lỗi cơ sở dữ liệu",
                      "one statement per call (execute_script runs several): " + key);
        }
      }
      if (statements_.size() >= statement_cache_limit) {
        for (auto& [old_sql, old_statement] : statements_) sqlite3_finalize(old_statement);
        statements_.clear();
      }
      statements_.emplace(std::move(key), statement);
    }
    const auto expected = static_cast<std::size_t>(sqlite3_bind_parameter_count(statement));
    if (expected != parameters.size()) {
      return fail(ErrorCode::internal, "Lỗi cơ sở dữ liệu",
                  "statement takes " + std::to_string(expected) + " parameters, got " +
                      std::to_string(parameters.size()) + ": " + std::string(sql));
    }
    for (std::size_t index = 0; index < parameters.size(); ++index) {
      const int position = static_cast<int>(index + 1);
      const Value& parameter = parameters[index];
      int bound = SQLITE_OK;
      if (const auto* integer = std::get_if<std::int64_t>(&parameter)) {
        bound = sqlite3_bind_int64(statement, position, *integer);
      } else if (const auto* real = std::get_if<double>(&parameter)) {
        bound = sqlite3_bind_double(statement, position, *real);
      } else if (const auto* text = std::get_if<std::string>(&parameter)) {
        // SQLITE_STATIC: `parameters` outlives the step, and StatementUse clears the binding afterwards.
        bound = sqlite3_bind_text64(statement, position, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        bound = sqlite3_bind_null(statement, position);
      }
      if (bound != SQLITE_OK) {
        sqlite3_clear_bindings(statement);
        return sqlite_failure(handle_, bound, "bind $" + std::to_string(position));
      }
    }
    return statement;
  }

  sqlite3* handle_;
  // Found by the text itself (no copy of a bulk import's kilobytes-long statement per call).
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> statements_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& location, const DatabaseOptions& options) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const bool in_memory = location == ":memory:";
  std::string filename = location;
  // An in-memory store lives as long as one connection to it is open: `keeper` holds one for the Database's life.
  std::shared_ptr<sqlite3> keeper;
  if (in_memory) {
    // memdb names starting with '/' are shared by every connection of this process that opens the same name.
    static std::atomic<std::uint64_t> memory_store_count{0};
    filename = "file:/dvchub-memory-" + std::to_string(++memory_store_count) + "?vfs=memdb";
    flags |= SQLITE_OPEN_URI;
    sqlite3* handle = nullptr;
    const int opened = sqlite3_open_v2(filename.c_str(), &handle, flags, nullptr);
    keeper.reset(handle, sqlite3_close_v2);
    if (opened != SQLITE_OK) return sqlite_failure(handle, opened, "open " + filename);
  } else {
    std::error_code error;
    std::filesystem::create_directories(std::filesystem::path(location).parent_path(), error);
    if (error) {
      return fail(ErrorCode::unavailable, "Không tạo được thư mục cơ sở dữ liệu",
                  "create folder of " + location + ": " + error.message());
    }
  }
  Connector connector = [filename, flags, in_memory, options, keeper] {
    return SqliteConnection::open(filename, flags, in_memory, options);
  };
  auto database = std::make_unique<PooledDatabase>(Dialect::sqlite, options, std::move(connector));
  DVCHUB_TRY(database->acquire());  // creates the file and reports a bad path now rather than at first use
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace dvchub::storage
