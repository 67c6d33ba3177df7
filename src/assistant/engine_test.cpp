#include "assistant/engine.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <tuple>
#include <thread>

#include "assistant/evaluation.h"
#include "resources/resources.h"

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
  // The previous topic's item keeps the score it has as a candidate (it showed 0 when it was also the best one).
  const std::string again = "lệ phí bao nhiêu";
  auto alone = engine->ask(again);
  auto followed = engine->ask(again, std::string("proc.birth-registration"));
  ASSERT_TRUE(followed.signals.follow_up);
  ASSERT_FALSE(alone.candidates.empty());
  const auto same_item = std::find_if(alone.candidates.begin(), alone.candidates.end(), [&](const Candidate& candidate) {
    return candidate.code == followed.candidates.front().code && candidate.topic == followed.candidates.front().topic;
  });
  ASSERT_NE(same_item, alone.candidates.end());
  EXPECT_GT(followed.candidates.front().score, 0.0);
  EXPECT_EQ(followed.candidates.front().score, same_item->score);
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

// An out-of-scope phrase declines unless the best candidate is about it (its title, questions or keywords name it)
// or it only says what the question is for; a word that is neither Vietnamese nor the knowledge base's declines too.
TEST(Engine, OutOfScopeEvidenceWeighsWhatTheQuestionIsAbout) {
  auto engine = fixture_engine();
  auto bank_payment = engine->ask("trả lệ phí qua ứng dụng ngân hàng");
  EXPECT_FALSE(bank_payment.signals.out_of_scope_words);  // the article on payment is about banks
  EXPECT_EQ(first_topic(bank_payment), "payment.online");
  auto bank_password = engine->ask("quên mật khẩu ngân hàng");
  EXPECT_TRUE(bank_password.signals.out_of_scope_words);
  EXPECT_EQ(bank_password.decision, Decision::out_of_scope);
  auto purpose = engine->ask("đăng ký khai sinh cho con để vay vốn ngân hàng");
  EXPECT_FALSE(purpose.signals.out_of_scope_words);  // the loan is what the birth certificate is for
  EXPECT_EQ(first_topic(purpose), "proc.birth-registration");
  auto loan = engine->ask("cần giấy tờ gì để vay vốn ngân hàng");
  EXPECT_TRUE(loan.signals.out_of_scope_words);  // nothing before "để" but what is asked about
  EXPECT_EQ(loan.decision, Decision::out_of_scope);
  auto yesterday = engine->ask("đăng ký khai sinh hôm qua ngân hàng gọi");
  EXPECT_TRUE(yesterday.signals.out_of_scope_words);  // "hôm qua" is a time, not "by way of"
  auto outlook = engine->ask("quên mật khẩu outlook");
  EXPECT_TRUE(outlook.signals.unknown_words);
  EXPECT_FALSE(outlook.signals.out_of_scope_words);  // not in the lexicon
  EXPECT_EQ(outlook.decision, Decision::out_of_scope);
  EXPECT_FALSE(engine->ask("quên mật khẩu vneid").signals.unknown_words);
  EXPECT_FALSE(engine->ask("dk tk dvc").signals.unknown_words);  // short abbreviations are not foreign words
  EXPECT_FALSE(engine->ask("xin gpxd nhà ở").signals.unknown_words);  // nor the lexicon's, whatever their length
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
  signals.out_of_scope_words = false;
  signals.unknown_words = true;
  EXPECT_EQ(decide(signals, thresholds), Decision::answer);
  signals.top_score = 0.79;
  EXPECT_EQ(decide(signals, thresholds), Decision::out_of_scope);
  signals.top_score = 0.9;
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
      // Until a few questions have been asked after the change returned (remembered answers make asks fast).
      for (int round = 0, after_change = 0; after_change < 5 && round < 1000000; ++round) {
        bool after = changed.load();
        if (after) ++after_change;
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

// The seed knowledge base with `changes` applied to a running engine, and built at once from the changed
// knowledge base (changed articles after the other articles, changed procedures after the other procedures); the
// questions are every third of content/assistant/eval.jsonl.
struct ChangedTwice {
  std::unique_ptr<Engine> running;
  std::unique_ptr<Engine> rebuilt;
  std::vector<std::string> questions;
};

ChangedTwice changed_twice(const KnowledgeChanges& changes) {
  ChangedTwice result;
  auto articles = seed_articles();
  auto procedures = seed_procedures();
  const auto* resource = resources::find("content/assistant/eval.jsonl");
  EXPECT_TRUE(articles && procedures && resource);
  auto questions = parse_evaluation_questions(resource ? resource->content : "");
  EXPECT_TRUE(questions);
  if (!articles || !procedures || !questions) return result;
  for (std::size_t index = 0; index < questions->size(); index += 3) result.questions.push_back((*questions)[index].question);
  EngineOptions options;
  options.remembered_answers = 0;
  auto running = Engine::create(*articles, *procedures, options);
  EXPECT_TRUE(running && (*running)->apply(changes));
  std::set<std::string> changed_topics(changes.retired_topics.begin(), changes.retired_topics.end());
  for (const auto& changed : changes.articles) changed_topics.insert(changed.topic);
  std::set<std::string> changed_codes(changes.removed_codes.begin(), changes.removed_codes.end());
  for (const auto& changed : changes.procedures) changed_codes.insert(changed.code);
  std::erase_if(*articles, [&](const Article& existing) { return changed_topics.contains(existing.topic); });
  std::erase_if(*procedures, [&](const Procedure& existing) { return changed_codes.contains(existing.code); });
  articles->insert(articles->end(), changes.articles.begin(), changes.articles.end());
  procedures->insert(procedures->end(), changes.procedures.begin(), changes.procedures.end());
  auto rebuilt = Engine::create(*articles, *procedures, options);
  EXPECT_TRUE(rebuilt);
  if (!running || !rebuilt) return result;
  result.running = std::move(*running);
  result.rebuilt = std::move(*rebuilt);
  return result;
}

// New items applied to a running engine (counts and weights updated item by item, not recomputed from every item)
// rank every question exactly as an engine built with them from the start.
TEST(Engine, AddedItemsRankAsARebuildWould) {
  KnowledgeChanges changes;
  changes.articles.push_back(article("local.ferry", "Lịch phà Mỹ Tú", {"phà chạy mấy giờ", "giờ phà qua sông"},
                                     "Phà chạy từ 5 giờ đến 21 giờ. Lệ phí qua phà theo bảng giá của xã."));
  Procedure permit;
  permit.code = "DEMO.900";
  permit.name = "Cấp giấy phép đào đường";
  permit.fee = "Theo quy định";
  changes.procedures.push_back(permit);
  auto engines = changed_twice(changes);
  ASSERT_TRUE(engines.running && engines.rebuilt);
  // Candidates of equal score are ordered by when their item was added, which differs between the two engines
  // (the rebuild adds every article before every procedure): compare them by score, then topic and code.
  auto by_score = [](std::vector<Candidate> candidates) {
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& left, const Candidate& right) {
      return std::tie(right.score, left.topic, left.code) < std::tie(left.score, right.topic, right.code);
    });
    return candidates;
  };
  for (const auto& question : engines.questions) {
    auto left = engines.running->ask(question);
    auto right = engines.rebuilt->ask(question);
    ASSERT_EQ(left.decision, right.decision) << question;
    auto left_candidates = by_score(left.candidates);
    auto right_candidates = by_score(right.candidates);
    ASSERT_EQ(left_candidates.size(), right_candidates.size()) << question;
    if (left_candidates.empty()) continue;
    // Which of several candidates tied at the last place made the cut depends on that order too.
    const double last = left_candidates.back().score;
    EXPECT_DOUBLE_EQ(last, right_candidates.back().score) << question;
    std::erase_if(left_candidates, [&](const Candidate& candidate) { return candidate.score == last; });
    std::erase_if(right_candidates, [&](const Candidate& candidate) { return candidate.score == last; });
    ASSERT_EQ(left_candidates.size(), right_candidates.size()) << question;
    for (std::size_t rank = 0; rank < left_candidates.size(); ++rank) {
      EXPECT_EQ(left_candidates[rank].topic, right_candidates[rank].topic) << question;
      EXPECT_EQ(left_candidates[rank].code, right_candidates[rank].code) << question;
      EXPECT_DOUBLE_EQ(left_candidates[rank].score, right_candidates[rank].score) << question;
    }
    EXPECT_EQ(left.suggestions, right.suggestions) << question;
  }
  EXPECT_EQ(first_topic(engines.running->ask("phà chạy mấy giờ")), "local.ferry");
}

// Edits and removals too give the rebuild's decisions, best candidates and scores (to rounding: the index adds a
// document's term parts in an order that may differ; near-equal candidates further down may swap, as an edited item
// keeps its place in the index's order and a rebuild does not).
TEST(Engine, EditedAndRemovedItemsRankAsARebuildWould) {
  auto articles = seed_articles();
  auto procedures = seed_procedures();
  ASSERT_TRUE(articles && procedures);
  KnowledgeChanges changes;
  Article edited = articles->at(3);
  edited.questions.push_back("thủ tục này làm ở phường được không");
  edited.body_markdown += "\n\nLệ phí được miễn cho hộ nghèo.";
  changes.articles.push_back(edited);
  changes.retired_topics.push_back(articles->at(10).topic);
  Procedure renamed = procedures->at(0);
  renamed.name += " (liên thông)";
  changes.procedures.push_back(renamed);
  changes.removed_codes.push_back(procedures->at(5).code);
  auto engines = changed_twice(changes);
  ASSERT_TRUE(engines.running && engines.rebuilt);
  for (const auto& question : engines.questions) {
    auto left = engines.running->ask(question);
    auto right = engines.rebuilt->ask(question);
    EXPECT_EQ(left.decision, right.decision) << question;
    ASSERT_FALSE(left.candidates.empty() || right.candidates.empty()) << question;
    EXPECT_EQ(left.candidates.front().topic, right.candidates.front().topic) << question;
    EXPECT_NEAR(left.candidates.front().score, right.candidates.front().score, 1e-9) << question;
    EXPECT_EQ(left.suggestions, right.suggestions) << question;
  }
  for (const auto& candidate : engines.running->ask(articles->at(10).title).candidates) {
    EXPECT_NE(candidate.topic, articles->at(10).topic);
  }
}

// An item keeps only the text of its passages and analyses it again when it is taken out of the word counts (an
// edit or a removal): that must take back exactly what adding it counted. After the rowing article is rewritten
// about swimming and the boat procedure removed, marks are no longer restored from, nor a typo corrected towards,
// words that only the old texts had, and every question is answered as by an engine that never saw them.
TEST(Engine, EditsAndRemovalsTakeBackWhatTheOldTextCounted) {
  EngineOptions options;
  options.remembered_answers = 0;
  Procedure boat;
  boat.code = "DEMO.901";
  boat.name = "Đăng ký thuyền máy";
  boat.agency = "Ban quản lý bến thuyền";
  auto articles = fixture_articles();
  articles.push_back(article("local.club", "Câu lạc bộ chèo thuyền", {"đăng ký học chèo thuyền ở đâu"},
                             "Lớp chèo thuyền mở vào sáng thứ bảy.\n\nMang theo áo phao khi chèo thuyền."));
  auto procedures = fixture_procedures();
  procedures.push_back(boat);
  auto running = Engine::create(articles, procedures, options);
  ASSERT_TRUE(running);
  const std::string unmarked = "dang ky hoc cheo thuyen";
  const std::string misspelt = "dang ky hoc treo thuyen";  // "treo" fits no neighbour; "chèo" does
  auto has_suggestion = [&](const std::string& question, const std::string& words) {
    auto ranking = (*running)->ask(question);
    EXPECT_NE(ranking.decision, Decision::out_of_scope) << question;  // a declined question gets no suggestion
    return std::any_of(ranking.suggestions.begin(), ranking.suggestions.end(),
                       [&](const std::string& suggestion) { return suggestion.find(words) != std::string::npos; });
  };
  ASSERT_TRUE(has_suggestion(unmarked, "chèo thuyền"));
  ASSERT_TRUE(has_suggestion(misspelt, "chèo thuyền"));
  ASSERT_TRUE(has_suggestion("dang ky o ben thuyen", "bến thuyền"));

  const Article swimming = article("local.club", "Câu lạc bộ bơi lội", {"đăng ký học bơi ở đâu"},
                                   "Lớp bơi mở vào sáng thứ bảy.\n\nMang theo kính bơi.");
  ASSERT_TRUE((*running)->upsert_article(swimming));
  ASSERT_TRUE((*running)->remove_procedure(boat.code));
  EXPECT_FALSE(has_suggestion(unmarked, "chèo"));
  EXPECT_FALSE(has_suggestion(misspelt, "chèo"));
  EXPECT_FALSE(has_suggestion("dang ky o ben thuyen", "bến"));

  articles = fixture_articles();
  articles.push_back(swimming);
  auto never = Engine::create(articles, fixture_procedures(), options);
  ASSERT_TRUE(never);
  const std::vector<std::string> questions = {unmarked, misspelt, "dang ky o ben thuyen", "dang ky hoc boi",
                                              "lop boi mo vao sang thu bay", "mang theo kinh boi", "dang ky thuyen may",
                                              "cau lac bo boi loi"};
  for (const auto& question : questions) {
    auto left = (*running)->ask(question);
    auto right = (*never)->ask(question);
    EXPECT_EQ(left.decision, right.decision) << question;
    EXPECT_EQ(left.suggestions, right.suggestions) << question;
    EXPECT_DOUBLE_EQ(left.signals.domain_coverage, right.signals.domain_coverage) << question;
    EXPECT_EQ(left.signals.unknown_words, right.signals.unknown_words) << question;
    ASSERT_EQ(left.candidates.empty(), right.candidates.empty()) << question;
    if (left.candidates.empty()) continue;
    EXPECT_EQ(first_topic(left), first_topic(right)) << question;
    EXPECT_NEAR(left.candidates.front().score, right.candidates.front().score, 1e-9) << question;
  }
}

// A change the index refuses (here an id longer than it takes) leaves nothing behind: a new item is counted in before
// the index has it, and taken back out when the index fails, so the next change publishes counts without it.
TEST(Engine, AChangeTheIndexRefusesLeavesTheCountsAsTheyWere) {
  auto engine = fixture_engine();
  const std::string question = "dang ky hoc cheo thuyen";
  auto refused = engine->upsert_article(article(std::string(300, 'x'), "Câu lạc bộ chèo thuyền",
                                                {"đăng ký học chèo thuyền ở đâu"}, "Lớp chèo thuyền mở vào thứ bảy."));
  ASSERT_FALSE(refused);
  ASSERT_TRUE(engine->upsert_article(article("local.club", "Câu lạc bộ bơi lội", {"đăng ký học bơi ở đâu"},
                                             "Lớp bơi mở vào sáng thứ bảy.")));
  auto ranking = engine->ask(question);
  EXPECT_NE(ranking.decision, Decision::out_of_scope);
  ASSERT_FALSE(ranking.suggestions.empty());
  for (const auto& suggestion : ranking.suggestions) {
    EXPECT_EQ(suggestion.find("chèo"), std::string::npos) << suggestion;
  }
  // The same text accepted under a short topic is counted (the question above would have shown it).
  ASSERT_TRUE(engine->upsert_article(article("local.rowing", "Câu lạc bộ chèo thuyền", {"đăng ký học chèo thuyền ở đâu"},
                                             "Lớp chèo thuyền mở vào thứ bảy.")));
  ranking = engine->ask(question);
  ASSERT_FALSE(ranking.suggestions.empty());
  EXPECT_NE(ranking.suggestions.front().find("chèo thuyền"), std::string::npos);
}

// A remembered answer is given only for the same question with the same previous topic, and is the answer the
// engine would have computed.
TEST(Engine, RemembersAnswersPerQuestionAndPreviousTopic) {
  auto remembering = fixture_engine();
  EngineOptions options;
  options.remembered_answers = 0;
  auto computing = Engine::create(fixture_articles(), fixture_procedures(), options);
  ASSERT_TRUE(computing);
  for (int round = 0; round < 2; ++round) {
    for (const char* question : {"đăng ký khai sinh cho con", "quen mat khau", "còn lệ phí thì sao?"}) {
      for (const auto& previous : {std::optional<std::string>{}, std::optional<std::string>("proc.birth-registration")}) {
        auto remembered = remembering->ask(question, previous);
        auto computed = (*computing)->ask(question, previous);
        EXPECT_EQ(remembered.decision, computed.decision) << question;
        EXPECT_EQ(remembered.signals.follow_up, computed.signals.follow_up) << question;
        EXPECT_EQ(first_topic(remembered), first_topic(computed)) << question;
        EXPECT_EQ(remembered.suggestions, computed.suggestions) << question;
      }
    }
  }
  EXPECT_FALSE(remembering->ask("còn lệ phí thì sao?").signals.follow_up);
  EXPECT_TRUE(remembering->ask("còn lệ phí thì sao?", std::string("proc.birth-registration")).signals.follow_up);
}

}  // namespace
}  // namespace dvchub::assistant
