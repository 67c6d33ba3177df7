// app/running_application.h — for integration tests: the whole application on a fresh store of one backend,
// demo content added, serving on a free port in a thread of its own (by default once the assistant answers).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "app/application.h"
#include "core/dates.h"
#include "support/http_client.h"
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

// Waits until the assistant's engine is built and asks are answered, up to three minutes (a sanitizer build on
// busy cores). False when it is not by then.
inline bool wait_until_assistant_ready(Application& application) {
  for (int attempt = 0; attempt < 1800; ++attempt) {
    if (application.assistant().engine_state() == assistant::EngineState::ready) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

struct StartOptions {
  // Runs after the demo is seeded, just before listen() (a test holds or breaks the assistant's build there).
  std::function<void(Application&)> before_listen;
  // Whether to return only once the assistant answers (most tests ask at once).
  bool wait_for_assistant = true;
};

// Starts one. On any failure records a gtest failure saying why and returns nullptr.
inline std::unique_ptr<RunningApplication> start_running_application(const std::string& backend,
                                                                     const StartOptions& options = {}) {
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
  if (options.before_listen) options.before_listen(*started->application);
  auto listening = started->application->listen(false);
  if (!listening) {
    ADD_FAILURE() << dvchub::testing::describe(listening.error());
    return nullptr;
  }
  started->server_thread = std::thread([application = started->application.get()] { application->run(); });
  if (options.wait_for_assistant && !wait_until_assistant_ready(*started->application)) {
    ADD_FAILURE() << "the assistant's engine was not built within three minutes";
    return nullptr;
  }
  return started;
}

// A value-parameterised suite (the parameter is the backend) whose tests share one running application per
// backend: opening, seeding the demo and building the assistant's index take seconds under the sanitizers, so it is
// done once per suite. `Suite` is the derived fixture, so each suite has its own applications. A suite that checks
// something once, right after start, overrides `started`.
template <typename Suite>
class SharedApplicationTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void TearDownTestSuite() { running().clear(); }

  void SetUp() override {
    auto& slot = running()[GetParam()];
    if (!slot) {
      slot = start_running_application(GetParam());
      ASSERT_NE(slot, nullptr);
      started(*slot);
    }
    application_ = slot->application.get();
  }

  // Called once per backend, after the application started.
  virtual void started(RunningApplication&) {}

  // Sends one raw request on a new connection; an empty answer (status 0) and a test failure when none comes.
  dvchub::testing::WireResponse send(const std::string& raw) {
    dvchub::testing::HttpClient client(application_->port());
    auto response = client.request(raw);
    EXPECT_TRUE(response.has_value()) << "no answer to: " << raw.substr(0, raw.find('\r'));
    return response.value_or(dvchub::testing::WireResponse{});
  }

  // A signed-in staff member of the demo: the session cookie ("dvchub_session=…") and its CSRF token.
  struct Session {
    std::string cookie;
    std::string csrf_token;
  };

  // Signs in a demo account (password dvchub-demo-2025) and reads the CSRF token from /quan-tri.
  Session sign_in(const std::string& username) {
    auto response = send(dvchub::testing::body_request(
        "POST", "/dang-nhap", "application/x-www-form-urlencoded",
        "username=" + username + "&password=dvchub-demo-2025&next=%2Fquan-tri"));
    EXPECT_EQ(response.status, 303) << response.body;
    std::smatch match;
    std::string set_cookie = response.set_cookie;
    if (!std::regex_search(set_cookie, match, std::regex("dvchub_session=[A-Za-z0-9_-]+"))) return {};
    Session session{match.str(), ""};
    std::string page = get(session, "/quan-tri").body;
    if (std::regex_search(page, match, std::regex("name=\"csrf_token\" value=\"([^\"]+)\""))) {
      session.csrf_token = match[1].str();
    }
    return session;
  }

  dvchub::testing::WireResponse get(const Session& session, const std::string& target) {
    return send(dvchub::testing::get_request(target, "Cookie: " + session.cookie + "\r\n"));
  }

  // Posts a form with the session's CSRF token first.
  dvchub::testing::WireResponse post_form(const Session& session, const std::string& target,
                                          const std::string& fields) {
    return send(dvchub::testing::body_request("POST", target, "application/x-www-form-urlencoded",
                                              "csrf_token=" + session.csrf_token + "&" + fields,
                                              "Cookie: " + session.cookie + "\r\n"));
  }

  Application* application_ = nullptr;

 private:
  static std::map<std::string, std::unique_ptr<RunningApplication>>& running() {
    static std::map<std::string, std::unique_ptr<RunningApplication>> applications;
    return applications;
  }
};

}  // namespace dvchub::app
