#include "assistant/engine.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace dvchub::assistant {
namespace {

Article article(std::string topic, std::string title, std::vector<std::string> questions, std::string body) {
  Article result;
  result.topic = std::move(topic);
  result.title = std::move(title);
  result.questions = std::move(questions);
  result.body_markdown = std::move(body);
  return result;
}

std::vector<Article> fixture_articles() {
  return {
      article("account.register", "Đăng ký tài khoản dịch vụ công",
              {"Làm sao đăng ký tài khoản dịch vụ công?", "tạo tài khoản trên Cổng Dịch vụ công quốc gia"},
              "Dùng **tài khoản định danh điện tử** VNeID để đăng nhập Cổng Dịch vụ công."),
      article("account.forgot-password", "Quên mật khẩu tài khoản",
              {"quên mật khẩu đăng nhập", "lấy lại mật khẩu VNeID"},
              "Chọn Quên mật khẩu trong ứng dụng VNeID và làm theo hướng dẫn."),
      article("payment.online", "Thanh toán lệ phí trực tuyến",
              {"nộp lệ phí trực tuyến thế nào", "thanh toán phí hồ sơ qua ngân hàng"},
              "Chọn thanh toán trực tuyến khi nộp hồ sơ, trả bằng ứng dụng ngân hàng."),
      article("proc.birth-registration", "Đăng ký khai sinh",
              {"đăng ký khai sinh cho con cần giấy tờ gì", "làm giấy khai sinh online"},
              "Trong 60 ngày kể từ ngày sinh, cha hoặc mẹ đăng ký khai sinh cho con tại UBND cấp xã."),
      article("code.lookup", "Tra cứu mã hồ sơ", {"tra cứu mã hồ sơ"}, "Nhập mã hồ sơ để tra cứu."),
      article("mother.lookup", "Tra cứu má hồ sơ", {"tra cứu má hồ sơ"}, "Một bài mẫu để thử dấu thanh."),
      article("ghost.lookup", "Tra cứu ma hồ sơ", {"tra cứu ma hồ sơ"}, "Một bài mẫu khác để thử dấu thanh."),
  };
}

std::vector<Procedure> fixture_procedures() {
  Procedure birth;
  birth.code = "1.001193";
  birth.name = "Đăng ký khai sinh";
  birth.field = "Hộ tịch";
  birth.level = "Cấp xã";
  birth.online_level = 2;
  birth.fee = "Miễn lệ phí khi đăng ký đúng hạn";
  birth.documents = {"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"};
  birth.agency = "UBND cấp xã";
  birth.topic = "proc.birth-registration";
  return {birth};
}

std::unique_ptr<Engine> fixture_engine() {
  auto engine = Engine::create(fixture_articles(), fixture_procedures());
  EXPECT_TRUE(engine) << (engine ? "" : engine.error().detail);
  return std::move(*engine);
}

std::string first_topic(const Ranking& ranking) {
  return ranking.candidates.empty() ? "" : ranking.candidates.front().topic;
}

TEST(Engine, UnmarkedQuestionFindsMarkedArticle) {
  auto engine = fixture_engine();
  auto ranking = engine->ask("dang ky tai khoan dich vu cong");
  EXPECT_EQ(first_topic(ranking), "account.register");
  EXPECT_GT(ranking.candidates.front().score, 0.5);
  ASSERT_FALSE(ranking.suggestions.empty());
  EXPECT_EQ(ranking.suggestions.front(), "đăng ký tài khoản dịch vụ công");  // marks restored for "did you mean"
}

TEST(Engine, DecomposedAndOldToneInputsMatchLikeComposedOnes) {
  auto engine = fixture_engine();
  std::string decomposed = "Đa\xcc\x86ng ky\xcc\x81 ta\xcc\x80i khoa\xcc\x89n";  // NFD "Đăng ký tài khoản"
  EXPECT_EQ(first_topic(engine->ask(decomposed)), "account.register");
  EXPECT_EQ(engine->ask(decomposed).candidates.front().score,
            engine->ask("Đăng ký tài khoản").candidates.front().score);
}

TEST(Engine, MarkedQuestionPrefersTheSameMarks) {
  auto engine = fixture_engine();
  EXPECT_EQ(first_topic(engine->ask("tra cứu mã hồ sơ")), "code.lookup");
  EXPECT_EQ(first_topic(engine->ask("tra cứu má hồ sơ")), "mother.lookup");
  EXPECT_EQ(first_topic(engine->ask("tra cứu ma hồ sơ")), "ghost.lookup");
  auto unmarked = engine->ask("tra cuu ma ho so");
  ASSERT_GE(unmarked.candidates.size(), 3u);
  // No marks typed: no preference beyond body length (BM25).
  EXPECT_NEAR(unmarked.candidates[0].score, unmarked.candidates[2].score, 0.01);
}

TEST(Engine, RepairsTelexAndExpandsAbbreviations) {
  auto engine = fixture_engine();
  EXPECT_EQ(first_topic(engine->ask("ddawng kys taif khoanr dichj vuj coong")), "account.register");
  EXPECT_EQ(first_topic(engine->ask("quen mk vneid")), "account.forgot-password");
  EXPECT_EQ(first_topic(engine->ask("dk tk dvc")), "account.register");
}

TEST(Engine, FollowUpIsAnsweredWithinThePreviousTopic) {
  auto engine = fixture_engine();
  auto ranking = engine->ask("còn lệ phí thì sao?", std::string("proc.birth-registration"));
  EXPECT_TRUE(ranking.signals.follow_up);
  EXPECT_EQ(ranking.decision, Decision::answer);
  ASSERT_FALSE(ranking.candidates.empty());
  EXPECT_EQ(ranking.candidates.front().kind, ItemKind::procedure);
  EXPECT_EQ(ranking.candidates.front().code, "1.001193");
  EXPECT_EQ(ranking.candidates.front().snippet.rfind("Lệ phí: Miễn lệ phí", 0), 0u);
  auto documents = engine->ask("cần giấy tờ gì", std::string("proc.birth-registration"));
  EXPECT_EQ(documents.decision, Decision::answer);
  EXPECT_EQ(documents.candidates.front().snippet.rfind("Hồ sơ gồm: Tờ khai", 0), 0u);
  // A question with a topic of its own is not a follow-up, and no previous topic means no follow-up.
  EXPECT_FALSE(engine->ask("quên mật khẩu vneid", std::string("proc.birth-registration")).signals.follow_up);
  EXPECT_FALSE(engine->ask("còn lệ phí thì sao?").signals.follow_up);
  EXPECT_FALSE(engine->ask("còn lệ phí thì sao?", std::string("no.such-topic")).signals.follow_up);
}

TEST(Engine, FlagsSensitiveDataAndNeverEchoesIt) {
  auto engine = fixture_engine();
  auto password = engine->ask("quen mk 123456abc dang nhap");
  EXPECT_TRUE(password.contains_sensitive_data);
  auto identity = engine->ask("số căn cước 079123456789 đăng ký tài khoản");
  EXPECT_TRUE(identity.contains_sensitive_data);
  EXPECT_FALSE(engine->ask("quên mật khẩu đăng nhập").contains_sensitive_data);
  for (const auto* ranking : {&password, &identity}) {
    for (const auto& suggestion : ranking->suggestions) {
      EXPECT_EQ(suggestion.find("123456"), std::string::npos) << suggestion;
    }
    for (const auto& candidate : ranking->candidates) EXPECT_EQ(candidate.snippet.find("123456"), std::string::npos);
  }
}

TEST(Engine, DeclinesOutOfScopeQuestions) {
  auto engine = fixture_engine();
  for (const char* question : {"thời tiết hôm nay thế nào", "kết quả xổ số miền nam", "xin chào", "tỷ số bóng đá",
                               "vay tiền nhanh bằng căn cước"}) {
    EXPECT_EQ(engine->ask(question).decision, Decision::out_of_scope) << question;
  }
}

TEST(Engine, DecideAppliesTheGatesInOrder) {
  Thresholds thresholds{0.4, 0.05, 0.3, 0.8};
  Signals signals;
  signals.has_topical_words = true;
  signals.domain_coverage = 1;
  signals.top_score = 0.7;
  signals.runner_up_score = 0.2;
  EXPECT_EQ(decide(signals, thresholds), Decision::answer);
  signals.runner_up_score = 0.66;
  EXPECT_EQ(decide(signals, thresholds), Decision::clarify);
  signals.top_score = 0.3;
  EXPECT_EQ(decide(signals, thresholds), Decision::fallback);
  signals.domain_coverage = 0.2;
  EXPECT_EQ(decide(signals, thresholds), Decision::out_of_scope);
  signals.domain_coverage = 1;
  signals.out_of_scope_words = true;
  signals.top_score = 0.79;
  EXPECT_EQ(decide(signals, thresholds), Decision::out_of_scope);
  signals.top_score = 0.9;
  signals.runner_up_score = 0.1;
  EXPECT_EQ(decide(signals, thresholds), Decision::answer);
  signals.has_topical_words = false;
  EXPECT_EQ(decide(signals, thresholds), Decision::out_of_scope);
  signals.follow_up = true;
  EXPECT_EQ(decide(signals, thresholds), Decision::answer);
}

TEST(Engine, LiveEditsAreVisibleToTheNextQuestion) {
  auto engine = fixture_engine();
  EXPECT_NE(first_topic(engine->ask("đăng ký kết hôn")), "proc.marriage-registration");
  ASSERT_TRUE(engine->upsert_article(article("proc.marriage-registration", "Đăng ký kết hôn",
                                             {"đăng ký kết hôn cần gì"}, "Hai bên nam nữ đến UBND cấp xã.")));
  EXPECT_EQ(first_topic(engine->ask("đăng ký kết hôn")), "proc.marriage-registration");
  ASSERT_TRUE(engine->remove_article("proc.marriage-registration"));
  EXPECT_NE(first_topic(engine->ask("đăng ký kết hôn")), "proc.marriage-registration");

  Procedure permit;
  permit.code = "DEMO.037";
  permit.name = "Cấp giấy phép xây dựng nhà ở riêng lẻ";
  ASSERT_TRUE(engine->upsert_procedure(permit));
  auto ranking = engine->ask("xin giấy phép xây dựng nhà ở");
  ASSERT_FALSE(ranking.candidates.empty());
  EXPECT_EQ(ranking.candidates.front().code, "DEMO.037");
  EXPECT_EQ(ranking.candidates.front().topic, "");
  ASSERT_TRUE(engine->remove_procedure("DEMO.037"));
  for (const auto& candidate : engine->ask("xin giấy phép xây dựng nhà ở").candidates) {
    EXPECT_NE(candidate.code, "DEMO.037");
  }
  EXPECT_FALSE(engine->upsert_article(article("", "x", {}, "y")));
  EXPECT_FALSE(engine->upsert_procedure(Procedure{}));
}

TEST(Engine, AnswersFromFourThreadsWhileAnArticleChanges) {
  auto engine = fixture_engine();
  std::atomic<bool> changed{false};
  std::atomic<int> failures{0};
  std::atomic<int> saw_change{0};
  std::vector<std::thread> askers;
  for (int thread = 0; thread < 4; ++thread) {
    askers.emplace_back([&] {
      for (int round = 0; round < 25; ++round) {
        bool after = changed.load();
        auto ranking = engine->ask("đăng ký tạm trú cho người thuê trọ");
        if (ranking.failure) ++failures;
        bool found = first_topic(ranking) == "proc.temporary-residence";
        if (found) ++saw_change;
        if (after && !found) ++failures;  // a change that returned must be visible
        if (first_topic(engine->ask("quên mật khẩu đăng nhập")) != "account.forgot-password") ++failures;
      }
    });
  }
  ASSERT_TRUE(engine->upsert_article(article("proc.temporary-residence", "Đăng ký tạm trú",
                                             {"đăng ký tạm trú cho người thuê trọ"},
                                             "Chủ nhà hoặc người thuê khai báo tạm trú với Công an cấp xã.")));
  changed = true;
  for (auto& asker : askers) asker.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(saw_change.load(), 0);
}

}  // namespace
}  // namespace dvchub::assistant
