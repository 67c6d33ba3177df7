// The real dvchub binary under load receives SIGTERM: it stops accepting, finishes what it acknowledged, exits 0,
// and every write it answered 201 to (units, and feedback through its deferred route) is in the store afterwards.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <random>
#include <regex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/server_process.h"
#include "storage/database.h"
#include "support/http_client.h"

namespace dvchub::app {
namespace {

using dvchub::testing::body_request;
using dvchub::testing::get_request;
using dvchub::testing::HttpClient;

TEST(Shutdown, SigtermUnderLoadLosesNoAcknowledgedWrite) {
  const auto folder = std::filesystem::temp_directory_path() / ("dvchub-shutdown-" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  const std::string database_url = "sqlite://" + (folder / "store.db").string();
  const ServingProcess server = start_serving(database_url);
  ASSERT_GT(server.pid, 0) << "the server did not start";
  const pid_t child = server.pid;
  const unsigned short port = server.port;

  HttpClient session_client(port);
  auto signed_in = session_client.request(body_request("POST", "/dang-nhap", "application/x-www-form-urlencoded",
                                                       "username=admin&password=dvchub-demo-2025"));
  ASSERT_TRUE(signed_in.has_value());
  std::smatch match;
  ASSERT_TRUE(std::regex_search(signed_in->set_cookie, match, std::regex("dvchub_session=[A-Za-z0-9_-]+")));
  const std::string cookie = match.str();
  auto page = session_client.request(get_request("/quan-tri/don-vi", "Cookie: " + cookie + "\r\n"));
  ASSERT_TRUE(page.has_value());
  ASSERT_TRUE(std::regex_search(page->body, match, std::regex("name=\"csrf_token\" value=\"([^\"]+)\"")));
  const std::string headers = "Cookie: " + cookie + "\r\nX-CSRF-Token: " + match[1].str() + "\r\n";

  std::mutex acknowledged_mutex;
  std::vector<std::string> acknowledged;
  std::atomic<int> attempts{0};
  std::vector<std::thread> writers;
  for (int writer = 0; writer < 4; ++writer) {
    writers.emplace_back([&, writer] {
      for (int index = 0;; ++index) {
        HttpClient client(port, std::chrono::milliseconds(5000));
        if (!client.connected()) return;  // the server has stopped accepting
        const std::string code = "LOAD-" + std::to_string(writer) + "-" + std::to_string(index);
        auto response = client.request(body_request(
            "POST", "/api/v1/units", "application/json",
            R"({"code":")" + code + R"(","name":"Đơn vị tải )" + code + R"(","kind":"other","valid_from":"2025-09-01"})",
            headers));
        ++attempts;
        if (!response) return;
        if (response->status == 201) {
          std::lock_guard lock(acknowledged_mutex);
          acknowledged.push_back(code);
        }
      }
    });
  }
  // Citizens submit feedback beside them: a deferred route, whose 201 waits for its group commit.
  std::vector<std::string> acknowledged_feedback;
  for (int citizen = 0; citizen < 2; ++citizen) {
    writers.emplace_back([&, citizen] {
      for (int index = 0;; ++index) {
        HttpClient client(port, std::chrono::milliseconds(5000));
        if (!client.connected()) return;
        auto response = client.request(body_request(
            "POST", "/api/v1/feedback", "application/json",
            R"({"kind":"question","subject":"procedure","title":"Hỏi thử )" + std::to_string(citizen) + "-" +
                std::to_string(index) + R"(","body":"Thủ tục này cần những giấy tờ gì?","consent_publish":false})"));
        ++attempts;
        if (!response) return;
        std::smatch found;
        if (response->status == 201 &&
            std::regex_search(response->body, found, std::regex("\"tracking_code\":\"([A-Z0-9]+)\""))) {
          std::lock_guard lock(acknowledged_mutex);
          acknowledged_feedback.push_back(found[1].str());
        }
      }
    });
  }
  // The signal comes once both kinds of write are flowing (at least ten acknowledged each: the feedback writers wait
  // for group commits and may lag the unit writers by far on a loaded machine), so the checks below have writes to
  // find.
  auto acknowledged_enough = [&] {
    std::lock_guard lock(acknowledged_mutex);
    return acknowledged.size() >= 10 && acknowledged_feedback.size() >= 10;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while ((attempts < 80 || !acknowledged_enough()) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(kill(child, SIGTERM), 0);
  for (auto& writer : writers) writer.join();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status)) << "dvchub did not exit normally";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  ASSERT_GE(acknowledged.size(), 10u);
  ASSERT_GE(acknowledged_feedback.size(), 10u);

  {
    auto database = storage::open_database(database_url);
    ASSERT_TRUE(database.has_value());
    auto connection = (*database)->acquire();
    ASSERT_TRUE(connection.has_value());
    for (const auto& code : acknowledged) {
      auto row = (*connection)->query_one("SELECT code FROM units WHERE code = $1", {code});
      ASSERT_TRUE(row.has_value());
      EXPECT_TRUE(row->has_value()) << "acknowledged but lost: " << code;
    }
    for (const auto& code : acknowledged_feedback) {
      auto row = (*connection)->query_one("SELECT id FROM feedback_items WHERE tracking_code = $1", {code});
      ASSERT_TRUE(row.has_value());
      EXPECT_TRUE(row->has_value()) << "feedback acknowledged but lost: " << code;
    }
    auto integrity = (*connection)->query_one("PRAGMA integrity_check");
    EXPECT_EQ((*integrity)->text(0), "ok");
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace dvchub::app
