#include "assistant/assistant_service.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "assistant/engine.h"
#include "core/dates.h"
#include "core/strings.h"
#include "markdown/markdown.h"
#include "privacy/personal_data.h"

namespace dvchub::assistant {
namespace {

// Sessions carry the topic of the last answer ("t:proc.birth-registration"), so a follow-up question can be
// understood by any server process without storing anything.
constexpr std::string_view session_prefix = "t:";

constexpr std::size_t shown_answers = 5;  // candidates an answer lists

std::optional<std::string> topic_of_session(const std::string& session) {
  if (session.rfind(session_prefix, 0) != 0 || session.size() > 90) return std::nullopt;
  std::string topic = session.substr(session_prefix.size());
  if (topic.empty()) return std::nullopt;
  return topic;
}

std::string article_url(const std::string& topic) { return "/tro-ly/chu-de/" + topic; }
std::string procedure_url(const std::string& code) { return "/tro-ly/thu-tuc/" + code; }

// The first procedure of a topic, to show as the card of a proc.* answer.
std::optional<catalogue::Procedure> procedure_for_topic(const std::vector<catalogue::Procedure>& procedures,
                                                        const std::string& topic) {
  for (const auto& procedure : procedures) {
    if (procedure.topic == topic) return procedure;
  }
  return std::nullopt;
}

}  // namespace

std::string decision_message(const std::string& decision) {
  if (decision == "answer") return "Đây là hướng dẫn phù hợp nhất với câu hỏi của bạn.";
  if (decision == "clarify") return "Có phải bạn muốn hỏi về một trong những nội dung sau?";
  if (decision == "fallback") {
    return "Xin lỗi, trợ lý chưa có câu trả lời chắc chắn cho câu hỏi này. Bạn có thể xem các gợi ý dưới đây, gọi "
           "tổng đài hoặc hỏi trực tiếp tại Bộ phận Một cửa.";
  }
  return "Xin lỗi, trợ lý chỉ hỗ trợ các câu hỏi về dịch vụ công trực tuyến và thủ tục hành chính.";
}

AssistantService::AssistantService(KnowledgeStore& knowledge, catalogue::CatalogueService& catalogue,
                                   const Clock& clock)
    : knowledge_(knowledge), catalogue_(catalogue), clock_(clock) {}

AssistantService::~AssistantService() = default;

std::unique_ptr<AssistantService> AssistantService::create(KnowledgeStore& knowledge,
                                                           catalogue::CatalogueService& catalogue,
                                                           const Clock& clock) {
  return std::unique_ptr<AssistantService>(new AssistantService(knowledge, catalogue, clock));
}

Result<void> AssistantService::build() {
  std::unique_lock lock(refresh_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || engine_state() == EngineState::ready) return {};  // being built, or built
  engine_state_.store(EngineState::building, std::memory_order_release);
  const auto started = std::chrono::steady_clock::now();
  if (auto loaded = load_engine(); !loaded) {
    engine_state_.store(EngineState::failed, std::memory_order_release);
    return loaded;
  }
  generation_.fetch_add(1, std::memory_order_release);  // what was made from the store before is made again
  engine_state_.store(EngineState::ready, std::memory_order_release);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::lock_guard procedures_lock(procedures_mutex_);
  spdlog::info("Trợ lý đã sẵn sàng sau {:.1f} s: {} bài viết, {} thủ tục", seconds, indexed_articles_.size(),
               procedures_.size());
  return {};
}

Result<void> AssistantService::load_engine() {
  const TimePoint now = clock_.now();
  auto stored = DVCHUB_TRY(knowledge_.list_articles(false));
  std::map<std::string, std::string> indexed;
  std::map<std::string, std::shared_ptr<const PublishedArticle>> published;
  std::vector<Article> articles;
  for (auto& entry : stored) {
    indexed[entry.article.topic] = format_article(entry.article);
    articles.push_back(entry.article);
    std::string html = markdown::to_safe_html(entry.article.body_markdown);
    std::string topic = entry.article.topic;
    published.emplace(topic, std::make_shared<const PublishedArticle>(
                                 PublishedArticle{std::move(entry), std::move(html)}));
  }
  auto procedures = DVCHUB_TRY(catalogue_.all());
  EngineOptions options;
  options.candidate_limit = shown_answers;  // no snippet is made for a candidate that is never shown
  engine_ = DVCHUB_TRY(Engine::create(std::move(articles), procedures, options));
  articles_seen_until_ = now;
  procedures_seen_until_ = now;
  indexed_articles_ = std::move(indexed);
  {
    std::lock_guard articles_lock(articles_mutex_);
    articles_ = std::move(published);
  }
  std::lock_guard procedures_lock(procedures_mutex_);
  procedures_ = std::move(procedures);
  return {};
}

Result<void> AssistantService::refresh() {
  DVCHUB_TRY(write_unanswered());
  if (engine_state() != EngineState::ready) return build();
  std::lock_guard lock(refresh_mutex_);
  // Articles: everything changed since the last look (one second of overlap, since instants are whole seconds).
  const TimePoint now = clock_.now();
  auto changed = DVCHUB_TRY(knowledge_.articles_changed_since(articles_seen_until_ - std::chrono::seconds(1)));
  KnowledgeChanges changes;
  std::map<std::string, std::string> indexed;  // what the changes make of indexed_articles_
  for (const auto& stored : changed) {
    // Re-index only what really changed: instants are whole seconds, so the same rows come back for a while.
    std::string text = stored.retired ? std::string() : format_article(stored.article);
    auto known = indexed_articles_.find(stored.article.topic);
    if (known != indexed_articles_.end() && known->second == text) continue;
    if (stored.retired) {
      changes.retired_topics.push_back(stored.article.topic);
    } else {
      changes.articles.push_back(stored.article);
    }
    indexed[stored.article.topic] = std::move(text);
  }
  // Procedures changed since the last look, compared with what the engine has, so unchanged rows cost nothing.
  auto procedures = DVCHUB_TRY(catalogue_.changed_since(procedures_seen_until_ - std::chrono::seconds(1)));
  {
    std::lock_guard procedures_lock(procedures_mutex_);
    for (const auto& procedure : procedures) {
      auto known = std::find_if(procedures_.begin(), procedures_.end(),
                                [&](const catalogue::Procedure& other) { return other.code == procedure.code; });
      if (known == procedures_.end() || catalogue::procedure_json(*known) != catalogue::procedure_json(procedure)) {
        changes.procedures.push_back(procedure);
      }
    }
  }
  // Everything at once: one new snapshot however many rows changed (the index commits by chunks of 100).
  DVCHUB_TRY(engine_->apply(changes));
  articles_seen_until_ = now;
  procedures_seen_until_ = now;
  for (auto& [topic, text] : indexed) indexed_articles_[topic] = std::move(text);
  {
    std::lock_guard articles_lock(articles_mutex_);
    for (const auto& stored : changed) {
      if (!indexed.contains(stored.article.topic)) continue;
      if (stored.retired) {
        articles_.erase(stored.article.topic);
      } else {
        articles_[stored.article.topic] = std::make_shared<const PublishedArticle>(
            PublishedArticle{stored, markdown::to_safe_html(stored.article.body_markdown)});
      }
    }
  }
  {
    std::lock_guard procedures_lock(procedures_mutex_);
    for (const auto& procedure : changes.procedures) {
      auto known = std::find_if(procedures_.begin(), procedures_.end(),
                                [&](const catalogue::Procedure& other) { return other.code == procedure.code; });
      if (known == procedures_.end()) {
        procedures_.push_back(procedure);
      } else {
        *known = procedure;
      }
    }
  }
  if (!indexed.empty() || !changes.procedures.empty()) generation_.fetch_add(1, std::memory_order_release);
  return {};
}

Result<Answer> AssistantService::ask(const std::string& question, const std::string& session) {
  if (engine_state() != EngineState::ready) {
    return fail(ErrorCode::unavailable, "Trợ lý đang khởi động, vui lòng hỏi lại sau ít giây.");
  }
  std::string text = trimmed(question.substr(0, std::min<std::size_t>(question.size(), 4000)));
  text = valid_utf8_prefix(text, 1000);
  Answer answer;
  const auto findings = privacy::find_personal_data(text);
  answer.sensitive_data_warning = findings.identity_number || findings.secret;
  answer.question = privacy::mask_personal_data(text);

  Ranking ranking = engine_->ask(answer.question, topic_of_session(session));
  answer.decision = decision_name(ranking.decision);
  answer.message = decision_message(answer.decision);
  answer.suggestions = ranking.suggestions;
  // A declined question shows nothing of the knowledge base: near misses would read as answers.
  if (ranking.decision == Decision::out_of_scope) ranking.candidates.clear();
  for (const auto& candidate : ranking.candidates) {
    AnswerItem item;
    item.topic = candidate.topic;
    item.title = candidate.title;
    item.kind = candidate.kind == ItemKind::procedure ? "procedure" : "article";
    item.code = candidate.code;
    item.url = candidate.kind == ItemKind::procedure ? procedure_url(candidate.code) : article_url(candidate.topic);
    item.snippet = candidate.snippet;  // masked by the engine
    item.score = candidate.score;
    answer.answers.push_back(std::move(item));
    if (answer.answers.size() == shown_answers) break;
  }

  if (answer.decision == "answer" && !answer.answers.empty()) {
    const AnswerItem& best = answer.answers.front();
    std::lock_guard procedures_lock(procedures_mutex_);
    if (best.kind == "procedure") {
      auto found = std::find_if(procedures_.begin(), procedures_.end(),
                                [&](const catalogue::Procedure& procedure) { return procedure.code == best.code; });
      if (found != procedures_.end()) answer.procedure = *found;
    } else {
      answer.procedure = procedure_for_topic(procedures_, best.topic);
    }
  }
  if (answer.decision == "answer" && !answer.answers.empty()) {
    std::lock_guard articles_lock(articles_mutex_);
    auto found = articles_.find(answer.answers.front().topic);
    if (found != articles_.end()) answer.article = found->second;
    answer.session = std::string(session_prefix) + answer.answers.front().topic;
  } else {
    answer.session = session;  // keep the context through a clarification or a miss
  }
  note_unanswered(answer);
  return answer;
}

bool AssistantService::answers_topic(std::string_view topic) {
  if (topic.empty()) return false;
  if (engine_state() != EngineState::ready) {
    auto article = knowledge_.find_article(std::string(topic));
    if (article && *article && !(*article)->retired) return true;
    auto procedures = catalogue_.all();
    return procedures && std::any_of(procedures->begin(), procedures->end(),
                                     [&](const catalogue::Procedure& procedure) { return procedure.topic == topic; });
  }
  {
    std::lock_guard articles_lock(articles_mutex_);
    if (articles_.contains(std::string(topic))) return true;
  }
  std::lock_guard procedures_lock(procedures_mutex_);
  return std::any_of(procedures_.begin(), procedures_.end(),
                     [&](const catalogue::Procedure& procedure) { return procedure.topic == topic; });
}

void AssistantService::note_unanswered(const Answer& answer) {
  if (answer.decision != "fallback") return;
  keep_unanswered({answer.question, answer.decision,
                   answer.answers.empty() ? std::nullopt : std::optional(answer.answers.front().topic)});
}

void AssistantService::keep_unanswered(UnansweredQuestion unanswered) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(unanswered_mutex_);
  if (TimePoint* kept = recently_unanswered_.find(unanswered.question)) {
    if (now - *kept < unanswered_memory) return;
    *kept = now;
  } else {
    // When full, the oldest question is forgotten (was: all 10,000 at once, freed under the lock every ask takes).
    recently_unanswered_.remember(unanswered.question, now);
  }
  if (unanswered_.size() < unanswered_waiting_limit) {
    unanswered_.push_back(std::move(unanswered));
  } else {
    refused_questions_.fetch_add(1, std::memory_order_relaxed);
  }
}

void AssistantService::note_refused(std::size_t count) {
  const std::uint64_t refused = refused_questions_.fetch_add(count, std::memory_order_relaxed) + count;
  if (refused == refused_logged_.load(std::memory_order_relaxed)) return;  // nothing new since the last warning
  const std::int64_t now = to_unix_seconds(clock_.now());
  std::int64_t logged_at = refused_logged_at_.load(std::memory_order_relaxed);
  if (logged_at != 0 && now - logged_at < 60) return;
  if (!refused_logged_at_.compare_exchange_strong(logged_at, now)) return;  // another thread logs it
  const std::uint64_t since = refused - refused_logged_.exchange(refused);
  spdlog::warn("Trợ lý không lưu được {} câu hỏi để rà soát (tổng {} từ khi máy chủ chạy): hàng đợi rà soát đã đầy, "
               "hoặc hơn 1.000 câu hỏi chờ ghi cùng lúc. Điều phối viên cần xử lý bớt các câu hỏi đang chờ.",
               since, refused);
}

Result<void> AssistantService::write_unanswered() {
  std::vector<UnansweredQuestion> waiting;
  {
    std::lock_guard lock(unanswered_mutex_);
    waiting.swap(unanswered_);
  }
  auto queued = knowledge_.queue_unanswered(waiting);
  if (!queued) {
    // Nothing was written (one transaction): keep them for the next call, as room allows.
    std::size_t refused = 0;
    {
      std::lock_guard lock(unanswered_mutex_);
      for (auto& unanswered : waiting) {
        if (unanswered_.size() >= unanswered_waiting_limit) {
          ++refused;
        } else {
          unanswered_.push_back(std::move(unanswered));
        }
      }
    }
    note_refused(refused);
    return tl::unexpected(queued.error());
  }
  note_refused(queued->refused);
  return {};
}

Result<void> AssistantService::record_vote(const std::string& topic, bool helpful, const std::string& masked_question,
                                           const std::string& comment) {
  auto recorded = DVCHUB_TRY(knowledge_.record_vote(topic, helpful, masked_question, comment));
  note_refused(recorded.refused);
  return {};
}

}  // namespace dvchub::assistant
