// config/configuration.h — dvchub's settings: embedded defaults, then a TOML file, then DVCHUB_* environment
// variables (each later source overrides the earlier). Every subcommand loads it the same way, so
// `DVCHUB_DATABASE_URL=… dvchub import …` and `… dvchub serve` share one store.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"

namespace dvchub::config {

struct Configuration {
  // "sqlite:///absolute/path.db" or "postgresql://user:password@host:port/database".
  // Default: sqlite:// + the absolute path of var/dvchub.db under the working directory.
  std::string database_url;
  std::size_t database_pool_size = 8;
  // "address:port" to serve on.
  std::string listen_address = "127.0.0.1";
  unsigned short listen_port = 8080;
  std::size_t network_threads = 0;  // 0: one per core
  std::size_t worker_threads = 8;
  // Set when dvchub is served over TLS (behind a proxy): session cookies get the Secure flag.
  bool secure_cookies = false;
  // The address citizens reach dvchub at ("https://dvc.example.gov.vn"), for links that leave the site: QR codes on
  // printed posters. Empty: "http://" + the listen address.
  std::string public_url;
  int session_hours = 12;
  std::string log_level = "info";  // trace, debug, info, warn, error
  bool access_log = true;
  // Outgoing notification e-mail: the SMTP relay ("smtp://host:port", or "smtps://…") and the sender ("Name
  // <address>" or "address"; checked when the server starts).
  std::string smtp_url = "smtp://127.0.0.1:25";
  std::string mail_from = "dvchub <noreply@dvchub.localhost>";
};

// The public address without a trailing slash: `public_url`, or "http://address:port" from the listen address.
std::string public_url_of(const Configuration& configuration);

// Reads an environment variable; injectable for tests.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
std::optional<std::string> process_environment(const std::string& name);

// Loads the configuration. `file` (or, when empty, the DVCHUB_CONFIG variable) names an optional TOML file; a named
// file that does not exist or does not parse is an error (ErrorCode::invalid_input, Vietnamese message with the line).
// Recognised variables: DVCHUB_DATABASE_URL, DVCHUB_DATABASE_POOL_SIZE, DVCHUB_LISTEN ("127.0.0.1:8080"), DVCHUB_PUBLIC_URL,
// DVCHUB_NETWORK_THREADS, DVCHUB_WORKER_THREADS, DVCHUB_SECURE_COOKIES (true/false), DVCHUB_SESSION_HOURS,
// DVCHUB_LOG_LEVEL, DVCHUB_ACCESS_LOG, DVCHUB_SMTP_URL, DVCHUB_MAIL_FROM.
// TOML keys: database.url, database.pool_size, server.listen, server.public_url, server.network_threads, server.worker_threads,
// server.secure_cookies, server.session_hours, log.level, log.access_log, mail.smtp_url, mail.from.
Result<Configuration> load_configuration(const std::string& file,
                                         const EnvironmentLookup& environment = process_environment);

// Parses "address:port" (IPv4 "1.2.3.4:80", "[::1]:80"). ErrorCode::invalid_input otherwise.
Result<std::pair<std::string, unsigned short>> parse_listen(const std::string& text);

}  // namespace dvchub::config
