// assistant/knowledge_store.h — the assistant's articles and review queue in the store. Every change is audited in
// the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "assistant/knowledge.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::assistant {

struct StoredArticle {
  Article article;
  bool retired = false;
  TimePoint updated_at;
};

// A question the assistant could not answer, on its way to the review queue.
struct UnansweredQuestion {
  std::string question;  // personal data already masked, valid UTF-8
  std::string decision;
  std::optional<std::string> nearest_topic;
};

// How many unanswered questions, and separately how many voted-down answers, may wait for review at once
// (KnowledgeStore::queue_unanswered, KnowledgeStore::record_vote).
inline constexpr std::size_t default_open_unanswered_limit = 10000;

struct Review {
  std::int64_t id = 0;
  TimePoint created_at;
  std::string question;  // personal data already masked
  std::string reason;    // "unanswered" | "voted_down"
  std::string decision;  // what the assistant decided
  std::optional<std::string> answered_topic;
  std::string comment;
  std::string status;    // "open" | "added_phrasing" | "new_article" | "dismissed"
};

// How a coordinator closes a review item.
enum class Resolution { add_phrasing, new_article, dismiss };

// Thread-safe; each call borrows its own connection.
class KnowledgeStore {
 public:
  KnowledgeStore(storage::Database& database, const Clock& clock) : database_(database), clock_(clock) {}

  // Every article (retired ones only when asked), by topic.
  Result<std::vector<StoredArticle>> list_articles(bool include_retired) const;
  Result<std::optional<StoredArticle>> find_article(const std::string& topic) const;
  // Articles changed after `instant` (for keeping a search index in step across processes).
  Result<std::vector<StoredArticle>> articles_changed_since(TimePoint instant) const;

  // Creates or updates the article of `article.topic` (validated: topic of a-z 0-9 . -, title, body, ≤ 50
  // phrasings). A retired article saved again is published again. Audited as assistant.article_create/update.
  Result<StoredArticle> save_article(const Article& article, const audit::Actor& actor);
  // Takes an article out of the assistant's answers (kept for history). Audited.
  Result<void> retire_article(const std::string& topic, const audit::Actor& actor);

  // Adds the seed articles whose topic is not in the store yet; returns how many.
  Result<int> seed(const std::vector<Article>& articles, const audit::Actor& actor);

  // What became of questions sent to the review queue.
  struct Queued {
    std::size_t queued = 0;   // now wait for review
    std::size_t refused = 0;  // not kept: the queue was full (not looked up, so some may wait already)
  };
  // Queues questions the assistant could not answer, in one transaction. A question whose text already waits for
  // review is skipped (a question asked a thousand times is one item to review, and costs no write after the
  // first); once `open_limit` unanswered questions wait, the rest are refused without a look-up (anyone can ask, so
  // the queue must not grow without bound, nor a full queue cost work per question; coordinators make room by
  // handling them).
  Result<Queued> queue_unanswered(std::span<const UnansweredQuestion> questions,
                                  std::size_t open_limit = default_open_unanswered_limit);
  // How many reviews are open, by reason.
  struct OpenReviewCounts {
    std::int64_t unanswered = 0;
    std::int64_t voted_down = 0;
  };
  Result<OpenReviewCounts> open_review_counts() const;
  // Open reviews first, newest first; at most `limit`.
  Result<std::vector<Review>> list_reviews(bool only_open, int limit) const;
  // Closes a review. add_phrasing appends its question to `topic`'s phrasings (so the assistant learns it);
  // new_article records that an article was written for it under `topic`; dismiss drops it. Audited.
  Result<void> resolve_review(std::int64_t id, Resolution resolution, const std::optional<std::string>& topic,
                              const audit::Actor& actor);

  // Records a 👍/👎 on an answer; a 👎 also queues the question and comment (masked, valid UTF-8) for review, and is
  // refused there once `open_limit` voted-down answers wait (anyone can vote; the vote itself is still counted).
  Result<Queued> record_vote(const std::string& topic, bool helpful, const std::string& masked_question,
                             const std::string& comment, std::size_t open_limit = default_open_unanswered_limit);

 private:
  storage::Database& database_;
  const Clock& clock_;
};

}  // namespace dvchub::assistant
