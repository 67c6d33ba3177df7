#include "support/test_database.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "core/clock.h"
#include "storage/migrations.h"

namespace dvchub::testing {
namespace {

constexpr const char* postgresql_url_variable = "DVCHUB_TEST_POSTGRESQL_URL";
constexpr const char* postgresql_required_variable = "DVCHUB_REQUIRE_POSTGRESQL";

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

bool postgresql_required() { return environment(postgresql_required_variable) == "1"; }

std::string skipped_notice() {
  return std::string("[dvchub] PostgreSQL runs SKIPPED: ") + postgresql_url_variable +
         " is not set; only SQLite was tested. Start a throwaway server with "
         "eval \"$(scripts/start-test-postgresql.sh)\" (and set " + postgresql_required_variable +
         "=1 to make its absence an error).\n";
}

// Repeats the notice after the test summary, where it is not scrolled away.
class SkippedNoticeEnvironment final : public ::testing::Environment {
 public:
  void TearDown() override { std::fputs(skipped_notice().c_str(), stderr); }
};

// 16 hex digits, fresh for every call: names of temporary files and databases.
std::string random_suffix() {
  static std::mutex mutex;
  static std::mt19937_64 generator{std::random_device{}()};
  std::lock_guard lock(mutex);
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(generator()));
  return buffer;
}

// `url` ("postgresql://user@host:port/database?options") naming database `name` instead.
std::string with_database_name(const std::string& url, const std::string& name) {
  const std::size_t authority = url.find("://") + 3;
  const std::size_t query = url.find('?', authority);
  const std::size_t path = url.find('/', authority);
  const std::size_t name_end = query == std::string::npos ? url.size() : query;
  if (path == std::string::npos || path > name_end) return url.substr(0, name_end) + "/" + name + url.substr(name_end);
  return url.substr(0, path + 1) + name + url.substr(name_end);
}

// A store that undoes its own creation (file removed, database dropped or queued for dropping) when destroyed.
class FreshDatabase final : public storage::Database {
 public:
  FreshDatabase(std::unique_ptr<storage::Database> store, std::function<void()> remove)
      : store_(std::move(store)), remove_(std::move(remove)) {}
  ~FreshDatabase() override {
    store_.reset();  // every connection closed before the file goes or the database is dropped
    remove_();
  }

  Result<storage::PooledConnection> acquire() override { return store_->acquire(); }
  storage::Dialect dialect() const override { return store_->dialect(); }
  storage::PoolStatistics statistics() const override { return store_->statistics(); }
  void close() override { store_->close(); }

 protected:
  // Never called: the PooledConnections acquire() hands out name the wrapped store as their owner.
  void release(std::unique_ptr<storage::Connection>) override { std::abort(); }

 private:
  std::unique_ptr<storage::Database> store_;
  std::function<void()> remove_;
};

// The throwaway PostgreSQL server of DVCHUB_TEST_POSTGRESQL_URL: one admin pool and one migrated template database
// per process, from which every fresh database is copied. A finished test's database is dropped while a later one
// is created, once its server processes have surely exited (dropping at once waits ~100 ms for them). Whatever is
// left, and the template, is dropped when the process exits.
class PostgresqlServer {
 public:
  static PostgresqlServer& instance() {
    static PostgresqlServer server;
    return server;
  }

  ~PostgresqlServer() {
    if (!admin_) return;
    drop_finished(/*keep_latest=*/false);
    if (!template_name_.empty()) (void)drop(template_name_);
  }

  // Creates an empty database, migrated when `migrated`, and returns its URL.
  Result<std::string> create_database(bool migrated) {
    std::lock_guard lock(mutex_);
    drop_finished(/*keep_latest=*/true);
    if (!admin_) {
      storage::DatabaseOptions options;
      options.pool_size = 1;
      options.acquire_timeout_milliseconds = 30000;  // CREATE DATABASE takes a while on a busy machine
      admin_ = DVCHUB_TRY(storage::open_database(admin_url_, options));
    }
    if (migrated && template_name_.empty()) {
      const std::string name = "dvchub_template_" + random_suffix();
      DVCHUB_TRY(run("CREATE DATABASE " + name));
      auto migration = migrate_database(with_database_name(admin_url_, name));
      if (!migration) {
        (void)drop(name);
        return tl::unexpected(std::move(migration).error());
      }
      template_name_ = name;
    }
    const std::string name = "dvchub_test_" + random_suffix();
    // FILE_COPY copies the template's files and checkpoints, which costs little with fsync off; the default
    // (WAL_LOG) writes every page through the WAL (measured here on a quiet machine: ~20 ms against ~50 ms).
    DVCHUB_TRY(run("CREATE DATABASE " + name + (migrated ? " TEMPLATE " + template_name_ : std::string()) +
                   " STRATEGY FILE_COPY"));
    return with_database_name(admin_url_, name);
  }

  // Queues the database `name`, whose connections are all closed, for dropping.
  void finish(const std::string& name) {
    std::lock_guard lock(mutex_);
    finished_.push_back(name);
  }

 private:
  PostgresqlServer() : admin_url_(environment(postgresql_url_variable)) {}

  // Drops the database `name` and everything still connected to it.
  Result<void> drop(const std::string& name) { return run("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); }

  // Drops the finished databases, except the latest when `keep_latest` (its server processes may still be
  // exiting, and DROP DATABASE would wait for them). A failure leaves a database behind in a throwaway server:
  // worth a warning only.
  void drop_finished(bool keep_latest) {
    const std::size_t dropping = keep_latest && !finished_.empty() ? finished_.size() - 1 : finished_.size();
    for (std::size_t index = 0; index < dropping; ++index) {
      if (auto dropped = drop(finished_[index]); !dropped) {
        std::fprintf(stderr, "[dvchub] warning: cannot drop test database %s: %s\n", finished_[index].c_str(),
                     describe(dropped.error()).c_str());
      }
    }
    finished_.erase(finished_.begin(), finished_.begin() + static_cast<std::ptrdiff_t>(dropping));
  }

  Result<void> run(const std::string& sql) {
    auto connection = DVCHUB_TRY(admin_->acquire());
    DVCHUB_TRY(connection->execute(sql));
    return {};
  }

  // Applies every migration to the database at `url` and disconnects from it (a template must have no sessions).
  static Result<void> migrate_database(const std::string& url) {
    auto database = DVCHUB_TRY(storage::open_database(url));
    SystemClock clock;
    DVCHUB_TRY(storage::migrate(*database, clock));
    return {};
  }

  std::mutex mutex_;
  const std::string admin_url_;
  std::unique_ptr<storage::Database> admin_;
  std::string template_name_;
  std::vector<std::string> finished_;
};

std::unique_ptr<storage::Database> fresh_sqlite_database(const storage::DatabaseOptions& options, bool migrated) {
  const std::filesystem::path folder = std::filesystem::temp_directory_path() / ("dvchub-test-" + random_suffix());
  const auto remove_folder = [folder] {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  };
  auto store = storage::open_database("sqlite://" + (folder / "store.db").string(), options);
  if (!store) {
    remove_folder();
    ADD_FAILURE() << "cannot create a SQLite store in " << folder << ": " << describe(store.error());
    return nullptr;
  }
  SystemClock clock;
  if (auto migration = migrated ? storage::migrate(**store, clock) : Result<int>(0); !migration) {
    store->reset();
    remove_folder();
    ADD_FAILURE() << "cannot migrate a fresh SQLite store: " << describe(migration.error());
    return nullptr;
  }
  return std::make_unique<FreshDatabase>(std::move(*store), remove_folder);
}

std::unique_ptr<storage::Database> fresh_postgresql_database(const storage::DatabaseOptions& options,
                                                             bool migrated) {
  if (environment(postgresql_url_variable).empty()) {
    ADD_FAILURE() << postgresql_required_variable << "=1 but " << postgresql_url_variable
                  << " is not set: start a server with eval \"$(scripts/start-test-postgresql.sh)\"";
    return nullptr;
  }
  PostgresqlServer& server = PostgresqlServer::instance();
  auto url = server.create_database(migrated);
  if (!url) {
    ADD_FAILURE() << "cannot create a PostgreSQL test database on " << postgresql_url_variable << ": "
                  << describe(url.error());
    return nullptr;
  }
  const std::string name = url->substr(url->rfind('/') + 1);
  const auto drop_database = [name] { PostgresqlServer::instance().finish(name); };
  auto store = storage::open_database(*url, options);
  if (!store) {
    drop_database();
    ADD_FAILURE() << "cannot open PostgreSQL test database " << name << ": " << describe(store.error());
    return nullptr;
  }
  return std::make_unique<FreshDatabase>(std::move(*store), drop_database);
}

std::unique_ptr<storage::Database> new_database(const std::string& backend, const storage::DatabaseOptions& options,
                                                bool migrated) {
  if (backend == "sqlite") return fresh_sqlite_database(options, migrated);
  if (backend == "postgresql") return fresh_postgresql_database(options, migrated);
  ADD_FAILURE() << "unknown test backend \"" << backend << "\" (expected sqlite or postgresql)";
  return nullptr;
}

}  // namespace

std::vector<std::string> test_backends() {
  std::vector<std::string> backends{"sqlite"};
  if (!environment(postgresql_url_variable).empty() || postgresql_required()) {
    backends.push_back("postgresql");
  } else {
    static std::once_flag noticed;
    std::call_once(noticed, [] {
      std::fputs(skipped_notice().c_str(), stderr);
      ::testing::AddGlobalTestEnvironment(new SkippedNoticeEnvironment);  // gtest owns it
    });
  }
  return backends;
}

std::unique_ptr<storage::Database> open_fresh_database(const std::string& backend,
                                                       const storage::DatabaseOptions& options) {
  return new_database(backend, options, /*migrated=*/true);
}

std::unique_ptr<storage::Database> open_empty_database(const std::string& backend,
                                                       const storage::DatabaseOptions& options) {
  return new_database(backend, options, /*migrated=*/false);
}

std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

std::string describe(const Error& error) {
  std::string text = std::string(error_code_name(error.code)) + ": " + error.message;
  for (const FieldError& field : error.fields) text += " [" + field.field + ": " + field.message + "]";
  if (!error.detail.empty()) text += " (" + error.detail + ")";
  return text;
}

void BackendTest::SetUp() {
  database_ = open_fresh_database(GetParam(), database_options());
  if (!database_) GTEST_FAIL() << "no " << GetParam() << " store for this test (see the failure above)";
}

void BackendTest::TearDown() { database_.reset(); }

storage::PooledConnection BackendTest::acquire() {
  auto connection = database_->acquire();
  // An exception ends the test body and gtest reports it as a failure with this text.
  if (!connection) throw std::runtime_error("cannot acquire a connection: " + describe(connection.error()));
  return std::move(*connection);
}

}  // namespace dvchub::testing
