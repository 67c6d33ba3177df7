#include "storage/migrations.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <vector>

#include "core/dates.h"
#include "resources/resources.h"
#include "storage/dialect.h"

namespace dvchub::storage {
namespace {

constexpr std::string_view migrations_folder = "migrations/";
constexpr std::string_view migration_extension = ".sql";
// Key of the PostgreSQL advisory lock that serialises migrating processes ("dvchubMG").
constexpr std::int64_t migration_lock_key = 0x6476636875624d47;

struct Migration {
  int version = 0;
  std::string name;      // "foundation"
  std::string file;      // "0001_foundation.sql"
  std::string_view sql;  // embedded, lives as long as the process
};

tl::unexpected<Error> migration_failure(std::string detail) {
  return fail(ErrorCode::internal, "Không cập nhật được cấu trúc cơ sở dữ liệu", std::move(detail));
}

// The embedded migrations/NNNN_name.sql files, by version; other files in migrations/ are not migrations.
Result<std::vector<Migration>> embedded_migrations() {
  std::vector<Migration> migrations;
  std::set<int> versions;
  for (const resources::Resource* resource : resources::list(migrations_folder)) {
    const std::string file(resource->path.substr(migrations_folder.size()));
    if (file.size() <= migration_extension.size() ||
        file.compare(file.size() - migration_extension.size(), migration_extension.size(), migration_extension) != 0) {
      continue;
    }
    const std::string stem = file.substr(0, file.size() - migration_extension.size());
    const std::size_t underscore = stem.find('_');
    int version = 0;
    const auto [end, error] = std::from_chars(stem.data(), stem.data() + std::min(underscore, stem.size()), version);
    if (underscore == std::string::npos || underscore == 0 || error != std::errc() || end != stem.data() + underscore ||
        underscore + 1 == stem.size() || version <= 0) {
      return migration_failure(file + ": a migration file is named NNNN_name.sql");
    }
    if (!versions.insert(version).second) return migration_failure(file + ": version used by another migration");
    if (auto problem = find_markup_error(resource->content)) return migration_failure(file + ": " + *problem);
    migrations.push_back(Migration{version, stem.substr(underscore + 1), file, resource->content});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& left, const Migration& right) { return left.version < right.version; });
  return migrations;
}

// Within a transaction: waits until no other process is migrating. SQLite's BEGIN IMMEDIATE already did.
Result<void> lock_migrations(Connection& connection) {
  if (connection.dialect() == Dialect::postgresql) {
    DVCHUB_TRY(connection.query("SELECT pg_advisory_xact_lock($1)", {Value{migration_lock_key}}));
  }
  return {};
}

Result<std::set<std::int64_t>> applied_versions(Connection& connection) {
  std::set<std::int64_t> versions;
  for (const Row& row : DVCHUB_TRY(connection.query("SELECT version FROM schema_migrations"))) {
    versions.insert(row.integer(0));
  }
  return versions;
}

}  // namespace

Result<int> migrate(Database& database, const Clock& clock, const MigrationProgress& progress) {
  const std::vector<Migration> migrations = DVCHUB_TRY(embedded_migrations());
  auto connection = DVCHUB_TRY(database.acquire());
  DVCHUB_TRY(in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(lock_migrations(*connection));
    DVCHUB_TRY(connection->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
    return {};
  }));
  const std::set<std::int64_t> applied_at_start = DVCHUB_TRY(applied_versions(*connection));

  int applied_count = 0;
  for (const Migration& migration : migrations) {
    if (applied_at_start.count(migration.version)) continue;
    bool applied_here = false;  // false when another process applied it while this one waited for the lock
    auto outcome = in_transaction(*connection, [&]() -> Result<void> {
      DVCHUB_TRY(lock_migrations(*connection));
      if (DVCHUB_TRY(applied_versions(*connection)).count(migration.version)) return {};
      DVCHUB_TRY(connection->execute_script(resolve_dialect(migration.sql, connection->dialect())));
      DVCHUB_TRY(connection->execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                                     {Value{std::int64_t{migration.version}}, Value{migration.name},
                                      Value{to_unix_seconds(clock.now())}}));
      applied_here = true;
      return {};
    });
    if (!outcome) {
      Error error = std::move(outcome).error();
      error.detail = "migration " + migration.file + ": " + error.detail;
      return tl::unexpected(std::move(error));
    }
    if (applied_here) {
      ++applied_count;
      if (progress) progress(migration.version, migration.name);
    }
  }
  return applied_count;
}

}  // namespace dvchub::storage
