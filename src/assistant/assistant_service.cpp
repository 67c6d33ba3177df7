#include "assistant/assistant_service.h"

#include <algorithm>

#include "assistant/engine.h"
#include "core/strings.h"
#include "privacy/personal_data.h"

namespace dvchub::assistant {
namespace {

// Sessions carry the topic of the last answer ("t:proc.birth-registration"), so a follow-up question can be
// understood by any server process without storing anything.
constexpr std::string_view session_prefix = "t:";

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

Result<std::unique_ptr<AssistantService>> AssistantService::open(KnowledgeStore& knowledge,
                                                                 catalogue::CatalogueService& catalogue,
                                                                 const Clock& clock) {
  std::unique_ptr<AssistantService> service(new AssistantService(knowledge, catalogue, clock));
  service->articles_seen_until_ = clock.now();
  service->procedures_seen_until_ = clock.now();
  auto stored = DVCHUB_TRY(knowledge.list_articles(false));
  std::vector<Article> articles;
  for (auto& entry : stored) {
    service->indexed_articles_[entry.article.topic] = format_article(entry.article);
    articles.push_back(std::move(entry.article));
  }
  auto procedures = DVCHUB_TRY(catalogue.all());
  service->procedures_ = procedures;
  service->engine_ = DVCHUB_TRY(Engine::create(std::move(articles), std::move(procedures)));
  return service;
}

Result<void> AssistantService::refresh() {
  std::lock_guard lock(refresh_mutex_);
  // Articles: everything changed since the last look (one second of overlap, since instants are whole seconds).
  const TimePoint now = clock_.now();
  auto changed = DVCHUB_TRY(knowledge_.articles_changed_since(articles_seen_until_ - std::chrono::seconds(1)));
  for (const auto& stored : changed) {
    // Re-index only what really changed: instants are whole seconds, so the same rows come back for a while.
    std::string indexed = stored.retired ? std::string() : format_article(stored.article);
    auto known = indexed_articles_.find(stored.article.topic);
    if (known != indexed_articles_.end() && known->second == indexed) continue;
    if (stored.retired) {
      DVCHUB_TRY(engine_->remove_article(stored.article.topic));
    } else {
      DVCHUB_TRY(engine_->upsert_article(stored.article));
    }
    indexed_articles_[stored.article.topic] = std::move(indexed);
  }
  articles_seen_until_ = now;
  // Procedures changed since the last look, compared with what the engine has, so unchanged rows cost nothing.
  auto procedures = DVCHUB_TRY(catalogue_.changed_since(procedures_seen_until_ - std::chrono::seconds(1)));
  procedures_seen_until_ = now;
  std::vector<catalogue::Procedure> updates;
  {
    std::lock_guard procedures_lock(procedures_mutex_);
    for (const auto& procedure : procedures) {
      auto known = std::find_if(procedures_.begin(), procedures_.end(),
                                [&](const catalogue::Procedure& other) { return other.code == procedure.code; });
      if (known == procedures_.end()) {
        procedures_.push_back(procedure);
      } else if (catalogue::procedure_json(*known) != catalogue::procedure_json(procedure)) {
        *known = procedure;
      } else {
        continue;
      }
      updates.push_back(procedure);
    }
  }
  for (const auto& procedure : updates) DVCHUB_TRY(engine_->upsert_procedure(procedure));
  return {};
}

Result<Answer> AssistantService::ask(const std::string& question, const std::string& session) {
  std::string text = trimmed(question.substr(0, std::min<std::size_t>(question.size(), 4000)));
  if (text.size() > 1000) text.resize(1000);
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
    item.snippet = privacy::mask_personal_data(candidate.snippet);
    item.score = candidate.score;
    answer.answers.push_back(std::move(item));
    if (answer.answers.size() == 5) break;
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
    auto article = DVCHUB_TRY(knowledge_.find_article(answer.answers.front().topic));
    if (article && !article->retired) answer.article = std::move(*article);
    answer.session = std::string(session_prefix) + answer.answers.front().topic;
  } else {
    answer.session = session;  // keep the context through a clarification or a miss
  }
  if (answer.decision == "fallback") {
    DVCHUB_TRY(knowledge_.queue_unanswered(answer.question, answer.decision,
                                           answer.answers.empty() ? std::nullopt
                                                                  : std::optional(answer.answers.front().topic)));
  }
  return answer;
}

}  // namespace dvchub::assistant
