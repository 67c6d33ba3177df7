// app/server_process.h — for tests that need the real dvchub binary as a separate process (signals, crashes).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

#include "support/http_client.h"

namespace dvchub::app {

// A loopback port nothing listens on now (a probe is refused), or 0 when none was found.
inline unsigned short free_port() {
  std::mt19937 random(std::random_device{}());
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto port = static_cast<unsigned short>(20000 + random() % 30000);
    dvchub::testing::HttpClient probe(port, std::chrono::milliseconds(200));
    if (!probe.connected()) return port;
  }
  return 0;
}

// Starts `dvchub serve --seed-demo` (the binary this build made) on `database_url` and `port`; returns its pid, or
// -1 when fork fails.
inline pid_t start_server_process(const std::string& database_url, unsigned short port) {
  pid_t child = fork();
  if (child == 0) {
    setenv("DVCHUB_DATABASE_URL", database_url.c_str(), 1);
    setenv("DVCHUB_LISTEN", ("127.0.0.1:" + std::to_string(port)).c_str(), 1);
    setenv("DVCHUB_ACCESS_LOG", "false", 1);
    execl(DVCHUB_BINARY_PATH, DVCHUB_BINARY_PATH, "serve", "--seed-demo", static_cast<char*>(nullptr));
    _exit(127);
  }
  return child;
}

// Waits until GET /healthz answers on `port`, up to three minutes (a sanitizer build needs tens of seconds to
// migrate, seed the demo and build the assistant index). False when it never does.
inline bool wait_until_serving(unsigned short port) {
  for (int attempt = 0; attempt < 3600; ++attempt) {
    dvchub::testing::HttpClient client(port, std::chrono::milliseconds(500));
    if (client.connected() && client.request(dvchub::testing::get_request("/healthz")).has_value()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace dvchub::app
