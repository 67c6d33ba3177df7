#include "storage/database.h"

#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

#include "storage/backends.h"

namespace dvchub::storage {

namespace {

std::string format_real(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::string();
}

// Truncates toward zero, saturating at the int64 range (NaN gives 0).
std::int64_t real_to_integer(double value) {
  if (std::isnan(value)) return 0;
  if (value >= 9223372036854775807.0) return std::numeric_limits<std::int64_t>::max();
  if (value <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(value);
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

std::int64_t Row::integer(std::size_t index) const {
  const Value& column = columns_.at(index);
  if (const auto* integer = std::get_if<std::int64_t>(&column)) return *integer;
  if (const auto* real = std::get_if<double>(&column)) return real_to_integer(*real);
  if (const auto* text = std::get_if<std::string>(&column)) {
    std::int64_t parsed = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), parsed);
    if (error == std::errc() && end == text->data() + text->size()) return parsed;
    double real = 0;
    auto [real_end, real_error] = std::from_chars(text->data(), text->data() + text->size(), real);
    return real_error == std::errc() && real_end == text->data() + text->size() ? real_to_integer(real) : 0;
  }
  return 0;
}

double Row::real(std::size_t index) const {
  const Value& column = columns_.at(index);
  if (const auto* real = std::get_if<double>(&column)) return *real;
  if (const auto* integer = std::get_if<std::int64_t>(&column)) return static_cast<double>(*integer);
  if (const auto* text = std::get_if<std::string>(&column)) {
    double parsed = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), parsed);
    return error == std::errc() && end == text->data() + text->size() ? parsed : 0;
  }
  return 0;
}

std::string Row::text(std::size_t index) const {
  const Value& column = columns_.at(index);
  if (const auto* text = std::get_if<std::string>(&column)) return *text;
  if (const auto* integer = std::get_if<std::int64_t>(&column)) return std::to_string(*integer);
  if (const auto* real = std::get_if<double>(&column)) return format_real(*real);
  return {};
}

std::optional<std::string> Row::optional_text(std::size_t index) const {
  if (is_null(index)) return std::nullopt;
  return text(index);
}

std::optional<std::int64_t> Row::optional_integer(std::size_t index) const {
  if (is_null(index)) return std::nullopt;
  return integer(index);
}

std::string column_list(const std::vector<std::string>& columns) {
  std::string list;
  for (const auto& column : columns) {
    if (!list.empty()) list += ", ";
    list += column;
  }
  return list;
}

Result<std::optional<Row>> Connection::query_one(std::string_view sql, const Parameters& parameters) {
  auto rows = DVCHUB_TRY(query(sql, parameters));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

Result<void> in_transaction(Connection& connection, const std::function<Result<void>()>& work) {
  DVCHUB_TRY(connection.execute(connection.dialect() == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN"));
  Result<void> outcome;
  try {
    outcome = work();
  } catch (...) {
    (void)connection.execute("ROLLBACK");
    throw;
  }
  if (!outcome) {
    (void)connection.execute("ROLLBACK");  // the work's error is the one to report
    return outcome;
  }
  auto committed = connection.execute("COMMIT");
  if (!committed) {
    (void)connection.execute("ROLLBACK");  // SQLite keeps the transaction open when COMMIT fails
    return tl::unexpected(std::move(committed).error());
  }
  return {};
}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    if (owner_ && connection_) owner_->release(std::move(connection_));
    owner_ = other.owner_;
    connection_ = std::move(other.connection_);
  }
  return *this;
}

PooledConnection::~PooledConnection() {
  if (owner_ && connection_) owner_->release(std::move(connection_));
}

Result<void> Database::backup_to(const std::string& path, const BackupProgress& progress) {
  auto connection = DVCHUB_TRY(acquire());
  return connection->backup_to(path, progress);
}

Result<void> Database::ping() {
  auto connection = DVCHUB_TRY(acquire());
  DVCHUB_TRY(connection->query("SELECT 1"));
  return {};
}

Result<std::unique_ptr<Database>> open_database(const std::string& url, const DatabaseOptions& options) {
  constexpr std::string_view sqlite_scheme = "sqlite://";
  if (starts_with(url, sqlite_scheme)) {
    std::string location = url.substr(sqlite_scheme.size());
    if (location != ":memory:" && (location.empty() || location.front() != '/')) {
      return fail(ErrorCode::invalid_input, "Địa chỉ cơ sở dữ liệu SQLite không hợp lệ",
                  "expected sqlite:///absolute/path.db or sqlite://:memory:, got " + url);
    }
    return open_sqlite_database(location, options);
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return open_postgresql_database(url, options);
  }
  const auto scheme_end = url.find("://");
  return fail(ErrorCode::invalid_input, "Địa chỉ cơ sở dữ liệu không hợp lệ",
              "unknown scheme in database URL (expected sqlite:// or postgresql://): " +
                  (scheme_end == std::string::npos ? std::string("<none>") : url.substr(0, scheme_end)));
}

}  // namespace dvchub::storage
