// The server answers while the assistant's engine is being built: everything but the ask at once, the ask (API and
// chat page) a 503 with a Vietnamese message until the engine is ready, then answers. A first build that fails
// (a store it cannot read) keeps the server up and is tried again until it succeeds. Stopping during the build is
// clean.
#include "app/application.h"
#include "app/running_application.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "json/json.h"
#include "support/http_client.h"
#include "support/test_database.h"

namespace dvchub::app {
namespace {

using dvchub::testing::body_request;
using dvchub::testing::get_request;
using dvchub::testing::HttpClient;
using dvchub::testing::is_ok;
using dvchub::testing::WireResponse;

const std::string starting_message = "Trợ lý đang khởi động, vui lòng hỏi lại sau ít giây.";
const std::string birth_question = "dang ky khai sinh can giay to gi";

// Holds the thread that waits on it until opened; opened at the latest when destroyed.
class Gate {
 public:
  ~Gate() { open(); }
  void wait() {
    std::unique_lock lock(mutex_);
    opened_signal_.wait(lock, [this] { return opened_; });
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      opened_ = true;
    }
    opened_signal_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_signal_;
  bool opened_ = false;
};

class StartupTest : public ::testing::TestWithParam<std::string> {
 protected:
  WireResponse send(const std::string& raw) {
    HttpClient client(running_->application->port());
    auto response = client.request(raw);
    EXPECT_TRUE(response.has_value()) << "no answer to: " << raw.substr(0, raw.find('\r'));
    return response.value_or(WireResponse{});
  }

  WireResponse ask(const std::string& question) {
    return send(get_request("/api/v1/assistant/ask?q=" + http::percent_encode(question)));
  }

  // The top answer's topic of a 200 answer, or "".
  static std::string top_topic(const WireResponse& answer) {
    auto parsed = json::parse_object(answer.body);
    if (!parsed || !parsed->contains("answers") || parsed->at("answers").as_array().empty()) return "";
    return std::string(parsed->at("answers").as_array().at(0).at("topic").as_string());
  }

  // Whether the ask API answers 503 with the starting message in the API's error shape and a Retry-After.
  static void expect_starting(const WireResponse& answer) {
    EXPECT_EQ(answer.status, 503) << answer.body;
    EXPECT_EQ(answer.header("retry-after"), "5");
    auto parsed = json::parse_object(answer.body);
    ASSERT_TRUE(is_ok(parsed)) << answer.body;
    EXPECT_EQ(parsed->at("error").at("code").as_string(), "unavailable");
    EXPECT_EQ(std::string(parsed->at("error").at("message").as_string()), starting_message);
  }

  // Waits up to three minutes for the engine to reach `state`.
  bool wait_for(assistant::EngineState state) {
    for (int attempt = 0; attempt < 1800; ++attempt) {
      if (running_->application->assistant().engine_state() == state) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::unique_ptr<RunningApplication> running_;
};

TEST_P(StartupTest, EverythingButTheAskAnswersWhileTheEngineIsBuilt) {
  Gate gate;
  StartOptions options;
  options.before_listen = [&gate](Application& application) { application.hold_assistant_build([&gate] { gate.wait(); }); };
  options.wait_for_assistant = false;
  running_ = start_running_application(GetParam(), options);
  ASSERT_NE(running_, nullptr);
  ASSERT_EQ(running_->application->assistant().engine_state(), assistant::EngineState::building);

  auto health = send(get_request("/healthz"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "{\"status\":\"ok\"}");
  EXPECT_NE(send(get_request("/metrics")).body.find("\ndvchub_assistant_ready 0\n"), std::string::npos);

  expect_starting(ask(birth_question));
  expect_starting(send(body_request("POST", "/api/v1/assistant/ask", "application/json",
                                    R"({"q":")" + birth_question + R"("})")));
  EXPECT_EQ(send(body_request("POST", "/api/v1/assistant/ask", "application/json", R"({"q":"  "})")).status, 400)
      << "an invalid question is still refused as such";

  // The chat page (no JavaScript): the message instead of an answer, the question back in the form (its personal
  // numbers masked).
  auto page = send(get_request("/tro-ly?q=" + http::percent_encode(birth_question + " cccd 079123456789")));
  EXPECT_EQ(page.status, 503);
  EXPECT_EQ(page.header("retry-after"), "5");
  EXPECT_NE(page.body.find(starting_message), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("value=\"" + birth_question + " cccd ***"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("079123456789"), std::string::npos);
  EXPECT_EQ(page.body.find("bubble answer"), std::string::npos);
  auto empty_page = send(get_request("/tro-ly"));
  EXPECT_EQ(empty_page.status, 200);
  EXPECT_EQ(empty_page.body.find(starting_message), std::string::npos);

  // What needs no engine: the article list, votes on an answer given before (the store says the topic exists),
  // the feedback form, the staff area.
  auto articles = json::parse_object(send(get_request("/api/v1/assistant/articles")).body);
  ASSERT_TRUE(is_ok(articles));
  EXPECT_GE(articles->at("count").as_int64(), 50);
  EXPECT_EQ(send(body_request("POST", "/api/v1/assistant/votes", "application/json",
                              R"({"topic":"proc.birth-registration","helpful":true,"q":"khai sinh"})"))
                .status,
            201);
  EXPECT_EQ(send(body_request("POST", "/api/v1/assistant/votes", "application/json",
                              R"({"topic":"khong.co.chu.de","helpful":false,"q":"spam"})"))
                .status,
            400);
  EXPECT_EQ(send(get_request("/phan-anh/gui")).status, 200);
  auto signed_in = send(body_request("POST", "/dang-nhap", "application/x-www-form-urlencoded",
                                     "username=dieuphoi&password=dvchub-demo-2025&next=%2Fquan-tri"));
  ASSERT_EQ(signed_in.status, 303);
  std::smatch cookie;
  ASSERT_TRUE(std::regex_search(signed_in.set_cookie, cookie, std::regex("dvchub_session=[A-Za-z0-9_-]+")));
  EXPECT_EQ(send(get_request("/quan-tri/tro-ly/ra-soat", "Cookie: " + cookie.str() + "\r\n")).status, 200);
  EXPECT_EQ(running_->application->assistant().engine_state(), assistant::EngineState::building)
      << "the engine was not built past the gate";

  gate.open();
  ASSERT_TRUE(wait_until_assistant_ready(*running_->application));
  auto answer = ask(birth_question);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(top_topic(answer), "proc.birth-registration");
  EXPECT_NE(send(get_request("/metrics")).body.find("\ndvchub_assistant_ready 1\n"), std::string::npos);
  auto answered_page = send(get_request("/tro-ly?q=" + http::percent_encode(birth_question)));
  EXPECT_EQ(answered_page.status, 200);
  EXPECT_NE(answered_page.body.find("procedure-card"), std::string::npos);
}

TEST_P(StartupTest, AFailedFirstBuildKeepsTheServerUpAndIsTriedAgain) {
  // The build cannot read the articles: their table is renamed away before the server starts, and back later.
  auto rename_articles = [](Application& application, const std::string& from, const std::string& to) {
    auto connection = application.database().acquire();
    ASSERT_TRUE(is_ok(connection));
    ASSERT_TRUE(is_ok((*connection)->execute("ALTER TABLE " + from + " RENAME TO " + to)));
  };
  StartOptions options;
  options.before_listen = [&](Application& application) {
    rename_articles(application, "assistant_articles", "assistant_articles_away");
  };
  options.wait_for_assistant = false;
  running_ = start_running_application(GetParam(), options);
  ASSERT_NE(running_, nullptr);
  ASSERT_TRUE(wait_for(assistant::EngineState::failed));

  EXPECT_EQ(send(get_request("/healthz")).status, 200);
  expect_starting(ask(birth_question));
  EXPECT_EQ(send(get_request("/phan-anh/gui")).status, 200);
  EXPECT_NE(send(get_request("/metrics")).body.find("\ndvchub_assistant_ready 0\n"), std::string::npos);

  rename_articles(*running_->application, "assistant_articles_away", "assistant_articles");
  ASSERT_TRUE(wait_until_assistant_ready(*running_->application)) << "the periodic refresh did not build it again";
  auto answer = ask(birth_question);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(top_topic(answer), "proc.birth-registration");
}

TEST_P(StartupTest, StoppingWhileTheEngineIsBuiltEndsCleanly) {
  Gate gate;
  StartOptions options;
  options.before_listen = [&gate](Application& application) { application.hold_assistant_build([&gate] { gate.wait(); }); };
  options.wait_for_assistant = false;
  running_ = start_running_application(GetParam(), options);
  ASSERT_NE(running_, nullptr);
  expect_starting(ask(birth_question));
  // The server stops while the build waits at the gate; the build then runs during the shutdown, which waits for
  // it (under AddressSanitizer a thread left running, or freed under it, would show).
  running_->application->stop();
  gate.open();
  running_->server_thread.join();
  running_->application.reset();
}

INSTANTIATE_TEST_SUITE_P(Backends, StartupTest, ::testing::ValuesIn(dvchub::testing::test_backends()),
                         dvchub::testing::backend_test_name);

}  // namespace
}  // namespace dvchub::app
