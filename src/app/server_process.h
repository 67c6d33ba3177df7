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

// A loopback port nothing listens on now (a probe is refused), or 0 when none was found. Ports are drawn below the
// kernel's ephemeral range (32768 and up), so an outgoing connection of another test cannot take one meanwhile.
inline unsigned short free_port() {
  std::mt19937 random(std::random_device{}());
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto port = static_cast<unsigned short>(20000 + random() % 12000);
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
// migrate, seed the demo and build the assistant index). False when it never does, or as soon as `child` exits
// (it is then reaped).
inline bool wait_until_serving(unsigned short port, pid_t child) {
  for (int attempt = 0; attempt < 3600; ++attempt) {
    int status = 0;
    if (waitpid(child, &status, WNOHANG) == child) return false;
    dvchub::testing::HttpClient client(port, std::chrono::milliseconds(500));
    if (client.connected() && client.request(dvchub::testing::get_request("/healthz")).has_value()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A dvchub server process that answers on `port`.
struct ServingProcess {
  pid_t pid = -1;
  unsigned short port = 0;
};

// Starts a server on `database_url` and waits until it serves. When the start fails (another process took the port
// between the probe and the bind), tries again on another port, three times in all; pid is -1 when every try failed.
// `preferred_port`, when not 0, is tried first (a restart on the port clients already know).
inline ServingProcess start_serving(const std::string& database_url, unsigned short preferred_port = 0) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const unsigned short port = (attempt == 0 && preferred_port != 0) ? preferred_port : free_port();
    if (port == 0) continue;
    const pid_t child = start_server_process(database_url, port);
    if (child < 0) return {};
    if (wait_until_serving(port, child)) return {child, port};
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
  }
  return {};
}

}  // namespace dvchub::app
