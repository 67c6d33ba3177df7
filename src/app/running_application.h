// app/running_application.h — for integration tests: the whole application on a fresh store of one backend,
// demo content added, serving on a free port in a thread of its own.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "app/application.h"
#include "core/dates.h"
#include "support/test_database.h"

namespace dvchub::app {

struct RunningApplication {
  ManualClock clock{from_unix_seconds(1764201600)};  // Thursday 27/11/2025 07:00 +07:00
  std::unique_ptr<Application> application;
  std::thread server_thread;
  DemoSummary first_seed;  // what the demo seeding added

  ~RunningApplication() {
    if (application) application->stop();
    if (server_thread.joinable()) server_thread.join();
  }
};

// Starts one. On any failure records a gtest failure saying why and returns nullptr.
inline std::unique_ptr<RunningApplication> start_running_application(const std::string& backend) {
  auto started = std::make_unique<RunningApplication>();
  auto database = dvchub::testing::open_fresh_database(backend);
  if (!database) return nullptr;
  config::Configuration configuration;
  configuration.listen_address = "127.0.0.1";
  configuration.listen_port = 0;
  configuration.network_threads = 2;
  configuration.worker_threads = 4;
  configuration.access_log = false;
  auto opened = Application::open_with_database(configuration, started->clock, std::move(database));
  if (!opened) {
    ADD_FAILURE() << dvchub::testing::describe(opened.error());
    return nullptr;
  }
  started->application = std::move(*opened);
  auto seeded = started->application->seed_demo();
  if (!seeded) {
    ADD_FAILURE() << dvchub::testing::describe(seeded.error());
    return nullptr;
  }
  started->first_seed = *seeded;
  auto listening = started->application->listen(false);
  if (!listening) {
    ADD_FAILURE() << dvchub::testing::describe(listening.error());
    return nullptr;
  }
  started->server_thread = std::thread([application = started->application.get()] { application->run(); });
  return started;
}

}  // namespace dvchub::app
