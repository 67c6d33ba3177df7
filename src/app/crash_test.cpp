// The real dvchub binary, killed with SIGKILL while citizens submit feedback: every submission it acknowledged
// (201 with a tracking code) is in the store afterwards, intact, the database passes its integrity check, and the
// server starts again on it.
#include <atomic>
#include <filesystem>
#include <mutex>
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
using dvchub::testing::HttpClient;

struct Acknowledged {
  std::string tracking_code;
  std::string title;
};

TEST(Crash, KillNineUnderLoadLosesNoAcknowledgedFeedback) {
  const auto folder = std::filesystem::temp_directory_path() / ("dvchub-crash-" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  const std::string database_url = "sqlite://" + (folder / "store.db").string();
  const ServingProcess server = start_serving(database_url);
  ASSERT_GT(server.pid, 0) << "the server did not start";
  const pid_t child = server.pid;
  const unsigned short port = server.port;

  std::mutex acknowledged_mutex;
  std::vector<Acknowledged> acknowledged;
  std::atomic<bool> killed{false};
  std::vector<std::thread> citizens;
  for (int citizen = 0; citizen < 4; ++citizen) {
    citizens.emplace_back([&, citizen] {
      for (int index = 0; !killed; ++index) {
        HttpClient client(port, std::chrono::milliseconds(5000));
        if (!client.connected()) return;
        const std::string title = "Phản ánh thử " + std::to_string(citizen) + "-" + std::to_string(index);
        auto response = client.request(body_request(
            "POST", "/api/v1/feedback", "application/json",
            R"({"kind":"complaint","subject":"technical","title":")" + title +
                R"(","body":"Trang nộp hồ sơ báo lỗi khi tải tệp đính kèm.","consent_publish":true})"));
        if (!response) return;
        std::smatch match;
        if (response->status == 201 &&
            std::regex_search(response->body, match, std::regex("\"tracking_code\":\"([A-Z0-9]+)\""))) {
          std::lock_guard lock(acknowledged_mutex);
          acknowledged.push_back({match[1].str(), title});
        }
      }
    });
  }
  for (int waited = 0; waited < 6000; ++waited) {
    {
      std::lock_guard lock(acknowledged_mutex);
      if (acknowledged.size() >= 40) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  killed = true;
  for (auto& citizen : citizens) citizen.join();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  ASSERT_GE(acknowledged.size(), 40u);

  {
    auto database = storage::open_database(database_url);
    ASSERT_TRUE(database.has_value());
    auto connection = (*database)->acquire();
    ASSERT_TRUE(connection.has_value());
    auto integrity = (*connection)->query_one("PRAGMA integrity_check");
    ASSERT_TRUE(integrity.has_value());
    EXPECT_EQ((*integrity)->text(0), "ok");
    for (const auto& item : acknowledged) {
      auto row = (*connection)->query_one("SELECT title FROM feedback_items WHERE tracking_code = $1",
                                          {item.tracking_code});
      ASSERT_TRUE(row.has_value());
      ASSERT_TRUE(row->has_value()) << "acknowledged but lost: " << item.tracking_code;
      EXPECT_EQ((*row)->text(0), item.title);
    }
  }
  // The server comes back on the same store.
  const ServingProcess again = start_serving(database_url, port);
  ASSERT_GT(again.pid, 0) << "the server did not start again on the store";
  kill(again.pid, SIGTERM);
  waitpid(again.pid, &status, 0);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace dvchub::app
