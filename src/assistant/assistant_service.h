// assistant/assistant_service.h — the assistant as the routes see it: asks go to the search engine, knowledge
// comes from the store (articles) and the catalogue (procedures), and the engine follows changes made by any
// process within a second. The engine is built after the service is made (build()), so a server answers everything
// else while it is built; asks are answered ErrorCode::unavailable until then.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "assistant/knowledge_store.h"
#include "catalogue/catalogue.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/recent_memory.h"

namespace dvchub::assistant {

class Engine;

struct AnswerItem {
  std::string topic;
  std::string title;
  std::string kind;  // "article" | "procedure"
  std::string code;  // procedures only
  std::string url;   // the page that shows it
  std::string snippet;
  double score = 0;
};

// A published article as the assistant shows it.
struct PublishedArticle {
  StoredArticle stored;
  std::string body_html;  // markdown::to_safe_html of the body, rendered once per edit
};

struct Answer {
  std::string decision;  // "answer" | "clarify" | "fallback" | "out_of_scope"
  std::string message;   // one Vietnamese sentence for the decision ("Có phải bạn muốn hỏi…")
  std::vector<AnswerItem> answers;  // best first
  std::vector<std::string> suggestions;
  std::shared_ptr<const PublishedArticle> article;  // the top article, when the decision is "answer"
  std::optional<catalogue::Procedure> procedure;  // the procedure card, when one answers
  std::string session;   // to send back with the next question (carries the topic for follow-ups)
  bool sensitive_data_warning = false;  // the question held an identity number, password or OTP
  std::string question;  // the question as kept (personal data masked)
};

// Where the engine is: being built (the first build, or a retry), ready (asks are answered), or its last build
// failed (the next build() or refresh() tries again). Once ready it stays ready.
enum class EngineState { building, ready, failed };

class AssistantService {
 public:
  // A service whose engine is not built yet (engine_state() is building until build() is called). `knowledge` and
  // `catalogue` must outlive the service.
  static std::unique_ptr<AssistantService> create(KnowledgeStore& knowledge, catalogue::CatalogueService& catalogue,
                                                  const Clock& clock);
  ~AssistantService();

  // Builds the engine from the store's published articles and the catalogue (about 13 s at 10,050 articles on a
  // Release build), logs how long it took, and makes the service ready. Does nothing when the engine is built or
  // another thread is building it. When it fails, nothing is kept, engine_state() is failed and the store's error
  // is returned (a later call tries again). Thread-safe: asks are answered ErrorCode::unavailable meanwhile.
  Result<void> build();

  // Where the engine is. Thread-safe.
  EngineState engine_state() const { return engine_state_.load(std::memory_order_acquire); }

  // Answers one question (at most 1,000 characters are read). `session` is what the previous answer returned.
  // Unanswered questions are kept, personal data masked, for the review queue (written by write_unanswered; the
  // same question again within a minute is not kept twice). Reads nothing from the store: the article shown is the
  // one the engine indexed. ErrorCode::unavailable (a Vietnamese "ask again in a few seconds") until the engine is
  // built. Thread-safe.
  Result<Answer> ask(const std::string& question, const std::string& session);

  // Brings the engine up to date with articles and procedures changed since the last call (any process may have
  // changed them), then writes the unanswered questions kept since the last call. Called every second by the
  // application, and right after a change made through this process. Until the engine is built it calls build()
  // instead (which does nothing while another thread builds), so it never runs beside the build.
  Result<void> refresh();

  // Writes the unanswered questions kept by ask() to the review queue in one transaction (at most 1,000 are kept
  // between two calls; more are refused; when the write fails they are kept for the next call). Questions refused,
  // here or by a full queue, are counted (refused_questions) and logged, at most once a minute. Thread-safe.
  Result<void> write_unanswered();

  // Records a 👍/👎 on an answer of `topic` (KnowledgeStore::record_vote); a 👎 refused by a full review queue is
  // counted and logged as write_unanswered's are. Thread-safe.
  Result<void> record_vote(const std::string& topic, bool helpful, const std::string& masked_question,
                           const std::string& comment);

  // Questions (unanswered, or voted down) that could not wait for review since the server started, because the
  // review queue or the questions kept before writing were full. Thread-safe.
  std::uint64_t refused_questions() const { return refused_questions_.load(std::memory_order_relaxed); }

  // Counts the changes refresh() has applied: an answer made at one generation is the answer to the same question
  // and session for as long as the generation stays the same. Thread-safe.
  std::uint64_t knowledge_generation() const { return generation_.load(std::memory_order_acquire); }

  // What ask() does with an unanswered answer (keeps its question for the review queue); for callers that give a
  // stored answer again instead of asking. Does nothing for other decisions. Thread-safe.
  void note_unanswered(const Answer& answer);

  // Whether `topic` is the topic of an answer the assistant can give now (a published article or a procedure of
  // the catalogue): votes are taken only for those. Until the engine is built the store is asked (an answer given
  // before a restart can still be voted on); false when it cannot be read. Thread-safe.
  bool answers_topic(std::string_view topic);

  KnowledgeStore& knowledge() { return knowledge_; }
  catalogue::CatalogueService& catalogue() { return catalogue_; }

 private:
  AssistantService(KnowledgeStore& knowledge, catalogue::CatalogueService& catalogue, const Clock& clock);

  static constexpr std::chrono::seconds unanswered_memory{60};
  static constexpr std::size_t unanswered_memory_entries = 10000;
  static constexpr std::size_t unanswered_waiting_limit = 1000;

  // Reads the articles and procedures and builds the engine from them; on success it replaces the engine and what
  // was read with them, on failure nothing. The caller holds refresh_mutex_.
  Result<void> load_engine();
  // Keeps an unanswered question for write_unanswered, unless it was kept less than `unanswered_memory` ago (it is
  // then in the queue, or a coordinator has just handled it).
  void keep_unanswered(UnansweredQuestion unanswered);
  // Counts `count` refused questions and logs a warning, unless one was logged less than a minute ago.
  void note_refused(std::size_t count);

  KnowledgeStore& knowledge_;
  catalogue::CatalogueService& catalogue_;
  const Clock& clock_;
  std::unique_ptr<Engine> engine_;  // set once by build(), read only once engine_state_ is ready
  std::atomic<EngineState> engine_state_{EngineState::building};
  std::mutex refresh_mutex_;  // held by build() and refresh()
  std::mutex procedures_mutex_;  // guards procedures_
  std::vector<catalogue::Procedure> procedures_;  // the catalogue as last loaded, for procedure cards
  TimePoint articles_seen_until_;
  TimePoint procedures_seen_until_;
  std::map<std::string, std::string> indexed_articles_;  // topic → the article text as indexed ("" when retired)
  std::mutex articles_mutex_;  // guards articles_
  std::map<std::string, std::shared_ptr<const PublishedArticle>> articles_;  // as indexed, by topic
  std::mutex unanswered_mutex_;  // guards recently_unanswered_ and unanswered_
  // Masked question → when it was kept, for the latest unanswered_memory_entries questions.
  RecentMemory<TimePoint> recently_unanswered_{unanswered_memory_entries};
  std::vector<UnansweredQuestion> unanswered_;  // kept by ask(), not written yet
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::uint64_t> refused_questions_{0};
  std::atomic<std::uint64_t> refused_logged_{0};  // refused_questions_ when the last warning was logged
  std::atomic<std::int64_t> refused_logged_at_{0};  // when, in seconds since the epoch (0: never)
};

// The Vietnamese sentence shown for each decision.
std::string decision_message(const std::string& decision);

}  // namespace dvchub::assistant
