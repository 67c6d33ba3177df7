#include "assistant/knowledge_store.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "core/dates.h"
#include "support/test_database.h"

namespace dvchub::assistant {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

// How many questions a queue_unanswered call queued (99 when it failed).
std::size_t queued_count(const Result<KnowledgeStore::Queued>& queued) { return queued ? queued->queued : 99; }

Article sample_article(const std::string& topic) {
  Article article;
  article.topic = topic;
  article.title = "Đăng ký tài khoản";
  article.body_markdown = "1. Mở **VNeID**\n2. Chọn đăng ký";
  article.questions = {"đăng ký tài khoản thế nào", "lam sao tao tai khoan"};
  article.keywords = {"đăng ký", "tài khoản"};
  article.links = {{"Cổng DVC", "https://dichvucong.gov.vn"}};
  article.reviewed = "2025-04-03";
  article.sample = true;
  return article;
}

TEST(ArticleFormat, RoundTripsThroughTheFileFormat) {
  Article article = sample_article("account.register");
  article.title = "Tiêu đề có \"ngoặc\" và \\ gạch";
  auto parsed = parse_article(format_article(article));
  ASSERT_TRUE(is_ok(parsed));
  EXPECT_EQ(parsed->topic, article.topic);
  EXPECT_EQ(parsed->title, article.title);
  EXPECT_EQ(parsed->body_markdown, article.body_markdown);
  EXPECT_EQ(parsed->questions, article.questions);
  EXPECT_EQ(parsed->links.at(0).url, "https://dichvucong.gov.vn");
  EXPECT_EQ(parsed->reviewed, "2025-04-03");
  EXPECT_TRUE(parsed->sample);
  EXPECT_TRUE(fails_with(parse_article("no front matter"), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(parse_article("+++\ntopic = \"x\"\n+++\n"), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(parse_article("+++\ntopic = \n+++\nbody"), ErrorCode::invalid_input));
}

TEST(ArticleFormat, SeedContentCoversEveryTopicKeyOfTheIssue) {
  auto articles = seed_articles();
  ASSERT_TRUE(is_ok(articles));
  std::set<std::string> topics;
  for (const auto& article : *articles) topics.insert(article.topic);
  for (const char* key :
       {"account.register", "account.login-vneid", "account.vneid-level2", "account.forgot-password", "account.business",
        "account.update-info", "dvctt.what-is", "dvctt.benefits", "dvctt.find-procedure", "dvctt.fees-exemption",
        "dossier.submit", "dossier.attachments", "dossier.track", "dossier.supplement", "dossier.withdraw",
        "dossier.result", "dossier.late", "dossier.data-reuse", "dossier.esign", "payment.online", "payment.failed",
        "payment.receipt", "support.one-stop", "support.community-tech-team", "support.hotline", "feedback.how-to",
        "feedback.deadline", "rating.how-to", "security.protect-account", "security.scam", "security.privacy",
        "errors.cannot-login", "errors.otp", "errors.upload", "errors.site-down", "device.mobile",
        "proc.birth-registration", "proc.death-registration", "proc.marital-status", "proc.marriage-registration",
        "proc.permanent-residence", "proc.temporary-residence", "proc.certified-copy", "proc.land-certificate",
        "proc.construction-permit", "proc.household-business", "proc.judicial-record", "proc.driving-license",
        "proc.social-allowance", "proc.health-insurance"}) {
    EXPECT_TRUE(topics.count(key)) << "no seed article for " << key;
  }
  auto procedures = seed_procedures();
  ASSERT_TRUE(is_ok(procedures));
  std::size_t commune_level = 0;
  for (const auto& procedure : *procedures) commune_level += procedure.level == "Cấp xã" ? 1 : 0;
  EXPECT_GE(commune_level, 50u);
}

class KnowledgeStoreTest : public dvchub::testing::BackendTest {
 protected:
  ManualClock clock_{from_unix_seconds(1764201600)};
  audit::Actor actor_ = audit::Actor::system("test");
};

TEST_P(KnowledgeStoreTest, SavesUpdatesRetiresAndAuditsArticles) {
  KnowledgeStore store(database(), clock_);
  auto invalid = store.save_article(Article{"Bad Topic!", "", "", {}, {}, {}, "", false, std::nullopt}, actor_);
  ASSERT_TRUE(fails_with(invalid, ErrorCode::invalid_input));
  EXPECT_EQ(invalid.error().fields.size(), 3u);

  ASSERT_TRUE(is_ok(store.save_article(sample_article("account.register"), actor_)));
  clock_.advance(std::chrono::seconds(5));
  Article changed = sample_article("account.register");
  changed.title = "Đăng ký tài khoản dịch vụ công";
  auto saved = store.save_article(changed, actor_);
  ASSERT_TRUE(is_ok(saved));
  EXPECT_EQ(saved->article.title, "Đăng ký tài khoản dịch vụ công");
  EXPECT_EQ(saved->article.questions.size(), 2u);
  auto since = store.articles_changed_since(clock_.now());
  ASSERT_TRUE(is_ok(since));
  EXPECT_EQ(since->size(), 1u);

  ASSERT_TRUE(is_ok(store.retire_article("account.register", actor_)));
  EXPECT_TRUE(store.list_articles(false)->empty());
  EXPECT_EQ(store.list_articles(true)->size(), 1u);
  EXPECT_TRUE(fails_with(store.retire_article("account.register", actor_), ErrorCode::not_found));

  auto connection = acquire();
  auto actions = connection->query(
      "SELECT action FROM audit_log WHERE entity_type = 'assistant_article' ORDER BY id");
  ASSERT_TRUE(is_ok(actions));
  ASSERT_EQ(actions->size(), 3u);
  EXPECT_EQ((*actions)[0].text(0), "assistant.article_create");
  EXPECT_EQ((*actions)[1].text(0), "assistant.article_update");
  EXPECT_EQ((*actions)[2].text(0), "assistant.article_retire");
}

TEST_P(KnowledgeStoreTest, ReviewQueueTeachesNewPhrasings) {
  KnowledgeStore store(database(), clock_);
  ASSERT_TRUE(is_ok(store.seed({sample_article("account.register")}, actor_)));
  EXPECT_EQ(*store.seed({sample_article("account.register")}, actor_), 0);
  const std::vector<UnansweredQuestion> to_teach{{"tao tk dvc kieu gi", "fallback", std::nullopt}};
  ASSERT_EQ(queued_count(store.queue_unanswered(to_teach)), 1u);
  auto queued = store.list_reviews(true, 50);
  ASSERT_TRUE(is_ok(queued) && queued->size() == 1u);
  const std::int64_t id = queued->front().id;
  ASSERT_TRUE(is_ok(store.record_vote("account.register", false, "dang ky tk", "không đúng ý tôi")));
  ASSERT_TRUE(is_ok(store.record_vote("account.register", true, "dang ky tk", "")));
  const std::vector<UnansweredQuestion> unanswered{{"xin so dien thoai ***", "fallback", std::nullopt}};
  EXPECT_EQ(queued_count(store.queue_unanswered(unanswered)), 1u);
  EXPECT_EQ(queued_count(store.queue_unanswered(unanswered)), 0u);
  auto open = store.list_reviews(true, 50);
  ASSERT_TRUE(is_ok(open));
  ASSERT_EQ(open->size(), 3u) << "the same unanswered question waits once";

  EXPECT_TRUE(fails_with(store.resolve_review(id, Resolution::add_phrasing, std::nullopt, actor_),
                         ErrorCode::invalid_input));
  ASSERT_TRUE(is_ok(store.resolve_review(id, Resolution::add_phrasing, std::string("account.register"), actor_)));
  auto article = store.find_article("account.register");
  ASSERT_TRUE(is_ok(article));
  EXPECT_EQ((*article)->article.questions.back(), "tao tk dvc kieu gi");
  EXPECT_TRUE(fails_with(store.resolve_review(id, Resolution::dismiss, std::nullopt, actor_), ErrorCode::conflict));
  EXPECT_EQ(store.list_reviews(true, 50)->size(), 2u);
}

TEST_P(KnowledgeStoreTest, UnansweredQuestionsWaitOnceEachAndNoMoreThanTheLimit) {
  KnowledgeStore store(database(), clock_);
  ASSERT_TRUE(is_ok(store.seed({sample_article("account.register")}, actor_)));
  // A vote-down is not an unanswered question: it neither counts towards the limit nor hides the same text.
  ASSERT_TRUE(is_ok(store.record_vote("account.register", false, "hoi 2", "")));
  std::vector<UnansweredQuestion> batch;
  for (const char* question : {"hoi 1", "hoi 2", "hoi 1", "hoi 3", "hoi 4", "hoi 5"}) {
    batch.push_back({question, "fallback", std::string("account.register")});
  }
  auto queued = store.queue_unanswered(batch, 3);
  ASSERT_TRUE(is_ok(queued));
  EXPECT_EQ(queued->queued, 3u) << "hoi 1, hoi 2, hoi 3: the repeated hoi 1 is skipped, then the limit is reached";
  EXPECT_EQ(queued->refused, 2u) << "hoi 4 and hoi 5 found the queue full";
  auto again = store.queue_unanswered(batch, 3);
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(again->queued, 0u) << "full: nothing more waits";
  EXPECT_EQ(again->refused, 6u) << "full: every question refused, without a look-up";

  auto open = store.list_reviews(true, 50);
  ASSERT_TRUE(is_ok(open));
  std::vector<std::string> questions;
  for (const auto& review : *open) {
    if (review.reason == "unanswered") questions.push_back(review.question);
  }
  std::sort(questions.begin(), questions.end());
  EXPECT_EQ(questions, (std::vector<std::string>{"hoi 1", "hoi 2", "hoi 3"}));

  // Handling one makes room for one, and a handled question may wait again.
  const auto handled = std::find_if(open->begin(), open->end(), [](const Review& review) {
    return review.reason == "unanswered" && review.question == "hoi 1";
  });
  ASSERT_NE(handled, open->end());
  ASSERT_TRUE(is_ok(store.resolve_review(handled->id, Resolution::dismiss, std::nullopt, actor_)));
  EXPECT_EQ(queued_count(store.queue_unanswered(batch, 3)), 1u);
  open = store.list_reviews(true, 50);
  ASSERT_TRUE(is_ok(open));
  EXPECT_EQ(std::count_if(open->begin(), open->end(),
                          [](const Review& review) { return review.question == "hoi 1"; }),
            1);
}

TEST_P(KnowledgeStoreTest, VotesAreCountedButNoMoreThanTheLimitOfDownVotesWaitForReview) {
  KnowledgeStore store(database(), clock_);
  for (int vote = 0; vote < 4; ++vote) {
    auto recorded = store.record_vote("account.register", false, "hoi " + std::to_string(vote), "", 2);
    ASSERT_TRUE(is_ok(recorded));
    EXPECT_EQ(recorded->queued, vote < 2 ? 1u : 0u) << vote;
    EXPECT_EQ(recorded->refused, vote < 2 ? 0u : 1u) << vote;
  }
  ASSERT_TRUE(is_ok(store.record_vote("account.register", true, "hoi", "", 2)));
  auto connection = acquire();
  auto votes = connection->query_one("SELECT COUNT(*), SUM(helpful) FROM assistant_votes", {});
  ASSERT_TRUE(is_ok(votes) && votes->has_value());
  EXPECT_EQ((*votes)->integer(0), 5);
  EXPECT_EQ((*votes)->integer(1), 1);
  auto open = store.list_reviews(true, 50);
  ASSERT_TRUE(is_ok(open));
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].reason, "voted_down");
  // Unanswered questions have their own limit: a full queue of down-votes does not stop them.
  const std::vector<UnansweredQuestion> unanswered{{"hoi khac", "fallback", std::nullopt}};
  EXPECT_EQ(queued_count(store.queue_unanswered(unanswered, 2)), 1u);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(KnowledgeStoreTest);

}  // namespace
}  // namespace dvchub::assistant
