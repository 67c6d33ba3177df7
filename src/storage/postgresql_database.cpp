// The PostgreSQL backend: the only file that includes libpq-fe.h.
//
// Statements go through PQexecParams with text parameters; results come back as text and are converted by column
// type. Every session uses client_encoding UTF8 and TimeZone UTC.
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

#include "core/strings.h"
#include "storage/backends.h"
#include "storage/connection_pool.h"

namespace dvchub::storage {
namespace {

// Type OIDs from the server's catalog (pg_type.dat); fixed since PostgreSQL 7.
constexpr Oid bool_type = 16;
constexpr Oid int8_type = 20;
constexpr Oid int2_type = 21;
constexpr Oid int4_type = 23;
constexpr Oid float4_type = 700;
constexpr Oid float8_type = 701;
constexpr Oid numeric_type = 1700;

using ResultHandle = std::unique_ptr<PGresult, decltype(&PQclear)>;

constexpr const char* connection_failed_message = "Không kết nối được cơ sở dữ liệu";

// Maps a failed statement to an Error: SQLSTATE class 23 (integrity) and P0001 (RAISE EXCEPTION, which only our
// own triggers use, to refuse a change of state such as editing the audit log) are conflicts; a lost connection,
// a server shutting down or out of connection slots is unavailable; the rest is internal.
tl::unexpected<Error> postgresql_failure(PGconn* handle, const PGresult* result, std::string_view context) {
  std::string detail = std::string(context) + ": " +
                       trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(handle));
  if (PQstatus(handle) == CONNECTION_BAD || !result) {
    return fail(ErrorCode::unavailable, connection_failed_message, std::move(detail));
  }
  const char* field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string_view state = field ? field : "";
  if (state.substr(0, 2) == "23" || state == "P0001") {
    return fail(ErrorCode::conflict, "Dữ liệu trùng lặp hoặc vi phạm ràng buộc", std::move(detail));
  }
  if (state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03" || state == "53300") {
    return fail(ErrorCode::unavailable, connection_failed_message, std::move(detail));
  }
  if (state == "40001" || state == "40P01" || state == "55P03") {
    return fail(ErrorCode::unavailable, "Cơ sở dữ liệu đang bận, vui lòng thử lại", std::move(detail));
  }
  return fail(ErrorCode::internal, "Lỗi cơ sở dữ liệu", std::move(detail));
}

template <typename Number>
bool parse_number(std::string_view text, Number& number) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  return error == std::errc() && end == text.data() + text.size();
}

Value column_value(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return Value{};
  const std::string_view text(PQgetvalue(result, row, column), static_cast<std::size_t>(PQgetlength(result, row, column)));
  switch (PQftype(result, column)) {
    case int2_type:
    case int4_type:
    case int8_type: {
      std::int64_t integer = 0;
      if (parse_number(text, integer)) return Value{integer};
      break;
    }
    case float4_type:
    case float8_type:
    case numeric_type: {
      double real = 0;
      if (parse_number(text, real)) return Value{real};
      break;
    }
    case bool_type:
      return Value{std::int64_t{text == "t" ? 1 : 0}};
    default:
      break;
  }
  return Value{std::string(text)};
}

std::string format_real(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

// Appends `value` as one field of COPY's text format.
void append_copy_text(std::string& buffer, const Value& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    char digits[24];
    auto [end, error] = std::to_chars(digits, digits + sizeof digits, *integer);
    buffer.append(digits, end);
  } else if (const auto* real = std::get_if<double>(&value)) {
    buffer += format_real(*real);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    for (char character : *text) {
      switch (character) {
        case '\\': buffer += "\\\\"; break;
        case '\n': buffer += "\\n"; break;
        case '\r': buffer += "\\r"; break;
        case '\t': buffer += "\\t"; break;
        default: buffer += character;
      }
    }
  } else {
    buffer += "\\N";
  }
}

class PostgresqlConnection final : public BackendConnection {
 public:
  // Connects to `url`; ErrorCode::unavailable with libpq's message in the detail when it cannot.
  static Result<std::unique_ptr<BackendConnection>> open(const std::string& url, const DatabaseOptions& options) {
    // libpq's smallest useful connect_timeout is 2 s; beyond that follow the pool's patience.
    const std::string connect_timeout = std::to_string(std::max(2, (options.acquire_timeout_milliseconds + 999) / 1000));
    // With expand_dbname, the URL's own settings come first and the ones after it override them.
    const char* keywords[] = {"dbname", "connect_timeout", "client_encoding", "options", "application_name", nullptr};
    const char* values[] = {url.c_str(), connect_timeout.c_str(), "UTF8", "-c TimeZone=UTC", "dvchub", nullptr};
    std::unique_ptr<PostgresqlConnection> connection(
        new PostgresqlConnection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1)));
    PGconn* handle = connection->handle_;
    if (!handle || PQstatus(handle) != CONNECTION_OK) {
      return fail(ErrorCode::unavailable, connection_failed_message,
                  handle ? trimmed(PQerrorMessage(handle)) : std::string("libpq: out of memory"));
    }
    PQsetNoticeProcessor(handle, [](void*, const char*) {}, nullptr);  // "already exists, skipping" and the like
    return std::unique_ptr<BackendConnection>(std::move(connection));
  }

  ~PostgresqlConnection() override { PQfinish(handle_); }
  PostgresqlConnection(const PostgresqlConnection&) = delete;
  PostgresqlConnection& operator=(const PostgresqlConnection&) = delete;

  Result<std::vector<Row>> query(std::string_view sql, const Parameters& parameters) override {
    ResultHandle result = DVCHUB_TRY(run(sql, parameters));
    const int row_count = PQntuples(result.get());
    const int column_count = PQnfields(result.get());
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(row_count));
    for (int row = 0; row < row_count; ++row) {
      std::vector<Value> columns;
      columns.reserve(static_cast<std::size_t>(column_count));
      for (int column = 0; column < column_count; ++column) columns.push_back(column_value(result.get(), row, column));
      rows.emplace_back(std::move(columns));
    }
    return rows;
  }

  using Connection::execute;
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> parameters) override {
    ResultHandle result = DVCHUB_TRY(run(sql, parameters));
    std::int64_t changed = 0;
    parse_number(std::string_view(PQcmdTuples(result.get())), changed);  // "" for statements that change no rows
    return changed;
  }

  Result<void> execute_script(std::string_view sql) override {
    const std::string script(sql);
    ResultHandle result(PQexec(handle_, script.c_str()), PQclear);
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return postgresql_failure(handle_, result.get(), "script");
    }
    return {};
  }

  Result<void> copy_rows(std::string_view table, const std::vector<std::string>& columns,
                         const Parameters& values) override {
    const std::size_t width = columns.size();
    if (width == 0 || values.size() % width != 0) {
      return fail(ErrorCode::invalid_input, "Lỗi cơ sở dữ liệu", "copy_rows: values are not whole rows");
    }
    if (values.empty()) return {};
    const std::string statement = "COPY " + std::string(table) + " (" + column_list(columns) + ") FROM STDIN";
    ResultHandle started(PQexec(handle_, statement.c_str()), PQclear);
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) {
      return postgresql_failure(handle_, started.get(), statement);
    }
    // Text format: columns separated by tabs, rows by newlines, NULL as \N, backslash escapes in text.
    constexpr std::size_t chunk_bytes = 1 << 20;
    std::string buffer;
    buffer.reserve(chunk_bytes + 4096);
    bool sent = true;
    for (std::size_t index = 0; index < values.size() && sent; ++index) {
      append_copy_text(buffer, values[index]);
      buffer += index % width == width - 1 ? '\n' : '\t';
      if (buffer.size() >= chunk_bytes) {
        sent = PQputCopyData(handle_, buffer.data(), static_cast<int>(buffer.size())) == 1;
        buffer.clear();
      }
    }
    if (sent && !buffer.empty()) sent = PQputCopyData(handle_, buffer.data(), static_cast<int>(buffer.size())) == 1;
    if (PQputCopyEnd(handle_, sent ? nullptr : "dvchub: sending rows failed") != 1) {
      return postgresql_failure(handle_, nullptr, statement);
    }
    ResultHandle finished(PQgetResult(handle_), PQclear);
    while (PGresult* more = PQgetResult(handle_)) PQclear(more);
    if (!finished || PQresultStatus(finished.get()) != PGRES_COMMAND_OK) {
      return postgresql_failure(handle_, finished.get(), statement);
    }
    return {};
  }

  Dialect dialect() const override { return Dialect::postgresql; }

  Result<void> backup_to(const std::string&, const BackupProgress&) override {
    return fail(ErrorCode::invalid_input,
                "Với PostgreSQL, hãy sao lưu bằng pg_dump, ví dụ: pg_dump --format=custom --file=dvchub.dump "
                "\"$DVCHUB_DATABASE_URL\"");
  }

  bool prepare_for_reuse() override {
    if (PQstatus(handle_) != CONNECTION_OK) {
      PQreset(handle_);
      if (PQstatus(handle_) != CONNECTION_OK) return false;
      PQsetNoticeProcessor(handle_, [](void*, const char*) {}, nullptr);
    }
    switch (PQtransactionStatus(handle_)) {
      case PQTRANS_IDLE:
        return true;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR: {
        ResultHandle rolled_back(PQexec(handle_, "ROLLBACK"), PQclear);
        return rolled_back && PQresultStatus(rolled_back.get()) == PGRES_COMMAND_OK;
      }
      default:  // a command still running, or the link is in an unknown state
        return false;
    }
  }

 private:
  explicit PostgresqlConnection(PGconn* handle) : handle_(handle) {}

  Result<ResultHandle> run(std::string_view sql, std::span<const Value> parameters) {
    const std::string statement(sql);
    std::vector<std::string> formatted(parameters.size());
    std::vector<const char*> values(parameters.size(), nullptr);
    // Integers and reals are typed so that "SELECT $1" and "$1 + 1" keep their type; text and NULL are left for
    // the server to infer from context, as an untyped literal would be.
    std::vector<Oid> types(parameters.size(), 0);
    for (std::size_t index = 0; index < parameters.size(); ++index) {
      const Value& parameter = parameters[index];
      if (const auto* integer = std::get_if<std::int64_t>(&parameter)) {
        formatted[index] = std::to_string(*integer);
        types[index] = int8_type;
      } else if (const auto* real = std::get_if<double>(&parameter)) {
        formatted[index] = format_real(*real);
        types[index] = float8_type;
      } else if (const auto* text = std::get_if<std::string>(&parameter)) {
        values[index] = text->c_str();
        continue;
      } else {
        continue;  // NULL
      }
      values[index] = formatted[index].c_str();
    }
    ResultHandle result(PQexecParams(handle_, statement.c_str(), static_cast<int>(parameters.size()), types.data(),
                                     values.data(), nullptr, nullptr, /*resultFormat=*/0),
                        PQclear);
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return postgresql_failure(handle_, result.get(), statement);
    }
    return result;
  }

  PGconn* handle_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgresql_database(const std::string& url, const DatabaseOptions& options) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parse_error);
  if (!parsed) {
    std::string detail = parse_error ? trimmed(parse_error) : std::string("libpq: out of memory");
    PQfreemem(parse_error);
    return fail(ErrorCode::invalid_input, "Địa chỉ cơ sở dữ liệu không hợp lệ", std::move(detail));
  }
  PQconninfoFree(parsed);
  Connector connector = [url, options] { return PostgresqlConnection::open(url, options); };
  auto database = std::make_unique<PooledDatabase>(Dialect::postgresql, options, std::move(connector));
  DVCHUB_TRY(database->acquire());  // reports an unreachable server now rather than at first use
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace dvchub::storage
