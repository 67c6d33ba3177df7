#include "assistant/assistant_routes.h"

#include <charconv>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "core/dates.h"
#include "core/etag.h"
#include "core/recent_memory.h"
#include "core/strings.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "markdown/markdown.h"
#include "privacy/personal_data.h"
#include "text/vietnamese.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::assistant {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

std::string display_date(const std::string& iso) {
  auto date = parse_iso_date(iso);
  return date ? format_display_date(*date) : iso;
}

std::string time_limit_text(const catalogue::Procedure& procedure) {
  if (!procedure.time_limit) return "Theo quy định của thủ tục (xem trên Cổng Dịch vụ công)";
  double value = *procedure.time_limit;
  std::string number = value == static_cast<std::int64_t>(value) ? std::to_string(static_cast<std::int64_t>(value))
                                                                 : std::to_string(value);
  return number + " " + (procedure.time_unit.empty() ? "ngày" : procedure.time_unit);
}

std::string online_text(const catalogue::Procedure& procedure) {
  switch (procedure.online_level) {
    case 2: return "Toàn trình (làm hoàn toàn trên mạng)";
    case 1: return "Một phần (nộp trên mạng, nhận kết quả hoặc nộp bản gốc trực tiếp)";
    default: return "Chưa cung cấp trực tuyến";
  }
}

// The feedback form with the unanswered question filled in (its personal data already masked).
std::string feedback_form_url(const std::string& question) {
  return "/phan-anh/gui?noi_dung=" + http::percent_encode(question);
}

std::string procedure_url(const std::string& code) { return "/tro-ly/thu-tuc/" + http::percent_encode(code); }
std::string topic_url(const std::string& topic) { return "/tro-ly/chu-de/" + http::percent_encode(topic); }

web::View procedure_view(const catalogue::Procedure& procedure) {
  web::View view;
  view.set("code", procedure.code).set("name", procedure.name).set("field", procedure.field);
  view.set("level", procedure.level).set("url", procedure_url(procedure.code));
  web::View documents = web::View::list();
  for (const auto& document : procedure.documents) documents.push(document);
  view.set("documents", std::move(documents));
  view.set("time_limit", time_limit_text(procedure));
  view.set("fee", procedure.fee.empty() ? (procedure.has_fees ? "Có phí, lệ phí (xem mức trên trang thủ tục)"
                                                              : "Không thu phí, lệ phí")
                                        : procedure.fee);
  view.set("agency", procedure.agency.empty() ? "Bộ phận Một cửa của cơ quan giải quyết" : procedure.agency);
  view.set("online", online_text(procedure));
  if (!procedure.submit_url.empty()) view.set("submit_url", procedure.submit_url);
  return view;
}

// A JSON object written straight into a buffer (an answer is serialised once per new question: a Value tree cost
// more than the rest of the route). Members in the order they are added.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ObjectWriter& text(std::string_view key, std::string_view value) {
    name(key);
    json::append_string(out_, value);
    return *this;
  }
  ObjectWriter& number(std::string_view key, double value) {
    name(key);
    json::append_number(out_, value);
    return *this;
  }
  ObjectWriter& integer(std::string_view key, long long value) {
    name(key);
    out_ += std::to_string(value);
    return *this;
  }
  ObjectWriter& boolean(std::string_view key, bool value) {
    name(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  ObjectWriter& texts(std::string_view key, const std::vector<std::string>& values) {
    name(key);
    out_ += '[';
    for (std::size_t index = 0; index < values.size(); ++index) {
      if (index > 0) out_ += ',';
      json::append_string(out_, values[index]);
    }
    out_ += ']';
    return *this;
  }
  // Starts a member whose value the caller writes next (an array or an object).
  std::string& member(std::string_view key) {
    name(key);
    return out_;
  }
  void close() { out_ += '}'; }

 private:
  void name(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    json::append_string(out_, key);
    out_ += ':';
  }
  std::string& out_;
  bool first_ = true;
};

void append_procedure_card(std::string& out, const catalogue::Procedure& procedure) {
  ObjectWriter card(out);
  card.text("code", procedure.code).text("name", procedure.name).texts("documents", procedure.documents);
  card.text("time_limit", time_limit_text(procedure)).text("fee", procedure.fee).boolean("has_fees", procedure.has_fees);
  card.text("agency", procedure.agency).integer("online_level", procedure.online_level);
  card.boolean("full_online", procedure.online_level == 2).text("online", online_text(procedure));
  card.text("submit_url", procedure.submit_url).text("url", procedure_url(procedure.code));
  card.close();
}

std::string answer_json(const Answer& answer) {
  std::string out;
  out.reserve(2048 + (answer.article ? answer.article->body_html.size() + answer.article->body_html.size() / 8 : 0));
  ObjectWriter body(out);
  body.text("decision", answer.decision).text("message", answer.message);
  std::string& answers = body.member("answers");
  answers += '[';
  for (std::size_t index = 0; index < answer.answers.size(); ++index) {
    const auto& item = answer.answers[index];
    if (index > 0) answers += ',';
    ObjectWriter entry(answers);
    entry.text("topic", item.topic).text("title", item.title).text("kind", item.kind);
    if (!item.code.empty()) entry.text("code", item.code);
    entry.text("url", item.url).text("snippet", item.snippet).number("score", item.score);
    entry.close();
  }
  answers += ']';
  body.texts("suggestions", answer.suggestions);
  if (answer.procedure) append_procedure_card(body.member("card"), *answer.procedure);
  if (answer.article) {
    const auto& article = answer.article->stored.article;
    ObjectWriter source(body.member("source"));
    source.text("topic", article.topic).text("title", article.title).text("url", topic_url(article.topic));
    source.text("reviewed", article.reviewed).boolean("sample", article.sample);
    source.close();
    body.text("body_html", answer.article->body_html);
  }
  if (answer.decision == "fallback") {
    ObjectWriter help(body.member("help"));
    help.text("feedback_url", feedback_form_url(answer.question)).text("hotline", "1800 1096");
    help.text("one_stop", "Bộ phận Một cửa của UBND xã/phường nơi bạn ở");
    help.close();
  }
  body.text("session", answer.session).boolean("sensitive_data_warning", answer.sensitive_data_warning);
  body.close();
  return out;
}

// ---- Public API and pages --------------------------------------------------------------------------------------

// What a 503 of the ask API and the chat page (the engine is being built) asks to wait, in seconds.
constexpr const char* retry_after_seconds = "5";

// The JSON API's answers by question and session, for the knowledge generation they were made from: a question
// asked again while the knowledge is unchanged gets the same bytes without being asked again (its unanswered
// question is still noted for review). The latest 4,096 are kept (the oldest forgotten for each new one); all are
// forgotten when the knowledge changes.
class AnswerBodies {
 public:
  struct Entry {
    std::string body;
    std::shared_ptr<const Answer> answer;  // for AssistantService::note_unanswered
  };

  std::optional<Entry> find(const std::string& key, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return std::nullopt;
    const Entry* found = entries_.find(key);
    if (!found) return std::nullopt;
    return *found;
  }

  void remember(std::string key, std::uint64_t generation, Entry entry) {
    // What is forgotten is freed after the lock is let go: every ask (network threads included) looks here first.
    std::optional<RecentMemory<Entry>> forgotten_all;
    std::optional<Entry> forgotten;
    std::lock_guard lock(mutex_);
    if (generation < generation_) return;  // made before a change that others have already seen
    if (generation > generation_) {
      forgotten_all.emplace(maximum_entries);
      forgotten_all->swap(entries_);
      generation_ = generation;
    }
    forgotten = entries_.remember(std::move(key), std::move(entry));
  }

 private:
  static constexpr std::size_t maximum_entries = 4096;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  RecentMemory<Entry> entries_{maximum_entries};
};

// A question and its session, read from the JSON body (POST) or the query (GET); an answer when they are invalid.
struct AskRequest {
  std::string question;
  std::string session;
  std::optional<Response> invalid;
  std::string key() const { return std::to_string(session.size()) + ':' + session + question; }  // one per pair
};

AskRequest read_ask(const Request& request) {
  AskRequest ask;
  if (request.method == Method::post) {
    auto body = json::parse_object(request.body);
    if (!body) {
      ask.invalid = web::json_error(body.error());
      return ask;
    }
    auto q = json::read_string(*body, "q");
    auto s = json::read_string(*body, "session");
    if (!q.type_ok || !s.type_ok) {
      ask.invalid = web::json_error(Error{ErrorCode::invalid_input, "q và session là chuỗi", {}, {}});
      return ask;
    }
    ask.question = q.value.value_or("");
    ask.session = s.value.value_or("");
  } else {
    ask.question = request.query_parameter("q").value_or("");
    ask.session = request.query_parameter("session").value_or("");
  }
  if (trimmed(ask.question).empty()) {
    ask.invalid = web::json_error(Error{ErrorCode::invalid_input, "Chưa có câu hỏi", {{"q", "Hãy nhập câu hỏi"}}, {}});
  }
  return ask;
}

// The inline attempt of the ask API (network thread): the remembered answer to this question and session, or an
// invalid request's error; nothing when the question must be asked (the worker pool then runs ask_api).
std::optional<Response> remembered_answer(AssistantService& assistant, AnswerBodies& bodies, const Request& request) {
  AskRequest ask = read_ask(request);
  if (ask.invalid) return std::move(ask.invalid);
  auto known = bodies.find(ask.key(), assistant.knowledge_generation());
  if (!known) return std::nullopt;
  assistant.note_unanswered(*known->answer);
  return web::json_response(200, std::move(known->body));
}

// An ask's error in the API's shape; a 503 (the engine is being built) says when to ask again.
Response ask_error(const Error& error) {
  Response response = web::json_error(error);
  if (error.code == ErrorCode::unavailable) response.headers.set("Retry-After", retry_after_seconds);
  return response;
}

Response ask_api(AssistantService& assistant, AnswerBodies& bodies, Request& request) {
  AskRequest ask = read_ask(request);
  if (ask.invalid) return std::move(*ask.invalid);
  const std::uint64_t generation = assistant.knowledge_generation();
  std::string key = ask.key();
  if (auto known = bodies.find(key, generation)) {  // remembered since the inline attempt looked
    assistant.note_unanswered(*known->answer);
    return web::json_response(200, std::move(known->body));
  }
  auto answer = assistant.ask(ask.question, ask.session);
  if (!answer) return ask_error(answer.error());
  std::string body = answer_json(*answer);
  bodies.remember(std::move(key), generation, {body, std::make_shared<const Answer>(std::move(*answer))});
  return web::json_response(200, std::move(body));
}

// A citizen's free text for the review queue: at most 1,000 bytes of valid UTF-8, personal numbers masked.
std::string masked_free_text(std::string_view text) {
  return privacy::mask_personal_data(valid_utf8_prefix(text, 1000));
}

// The chat page around `view` (what was asked, if anything), with `session` in the form.
Response chat_page_response(Request& request, web::View view, const std::string& session, int status) {
  view.set("thanks", request.query_parameter("cam_on").has_value());
  view.set("session", session);
  view.set("assistant_script", web::asset_url("assistant.js"));
  Response page = web::render_page(status, "assistant", std::move(view),
                                   web::PageContext{"Trợ lý dịch vụ công", nullptr, "assistant"});
  if (request.query_parameter("nhung")) {
    // Opened by the widget inside another site: this page (and only this one) may be framed anywhere.
    page.headers.set("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                     "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *");
  }
  return page;
}

Response chat_page(AssistantService& assistant, Request& request) {
  web::View view;
  std::string session = request.query_parameter("session").value_or("");
  if (auto question = request.query_parameter("q"); question && !trimmed(*question).empty()) {
    auto answer = assistant.ask(*question, session);
    if (!answer && answer.error().code == ErrorCode::unavailable) {
      // The engine is being built: the message instead of an answer, and the question back in the form.
      view.set("unavailable", answer.error().message).set("kept_question", masked_free_text(*question));
      Response page = chat_page_response(request, std::move(view), session, 503);
      page.headers.set("Retry-After", retry_after_seconds);
      return page;
    }
    if (!answer) return web::error_page(http::http_status(answer.error().code), answer.error().message);
    web::View asked;
    asked.set("question", answer->question).set("message", answer->message);
    asked.set("warning", answer->sensitive_data_warning);
    if (answer->procedure) asked.set("procedure", procedure_view(*answer->procedure));
    if (answer->article) {
      web::View article;
      const Article& shown = answer->article->stored.article;
      article.set("title", shown.title).set("url", topic_url(shown.topic));
      article.set("body_html", answer->article->body_html);
      article.set("reviewed", display_date(shown.reviewed));
      article.set("sample", shown.sample);
      asked.set("article", std::move(article));
    }
    if (answer->decision == "clarify" || answer->decision == "fallback") {
      web::View choices = web::View::list();
      for (const auto& item : answer->answers) {
        web::View choice;
        choice.set("title", item.title).set("url", item.url);
        choices.push(std::move(choice));
      }
      asked.set("choices_present", !answer->answers.empty()).set("choices", std::move(choices));
    }
    asked.set("fallback", answer->decision == "fallback");
    asked.set("feedback_url", feedback_form_url(answer->question));
    if (answer->decision == "answer" && !answer->answers.empty()) {
      asked.set("voted_topic", answer->answers.front().topic);
    }
    asked.set("session", answer->session);
    view.set("asked", std::move(asked));
    session = answer->session;
  }
  return chat_page_response(request, std::move(view), session, 200);
}

Response vote_form(AssistantService& assistant, Request& request) {
  std::string topic = request.form_value("topic").value_or("");
  bool helpful = request.form_value("helpful").value_or("") == "1";
  if (assistant.answers_topic(topic)) {
    auto recorded = assistant.record_vote(topic, helpful, masked_free_text(request.form_value("q").value_or("")), "");
    if (!recorded) return web::error_page(503, recorded.error().message);
  }
  return Response::redirect("/tro-ly?cam_on=1&session=" + http::percent_encode(request.form_value("session").value_or("")));
}

Response vote_api(AssistantService& assistant, Request& request) {
  auto body = json::parse_object(request.body);
  if (!body) return web::json_error(body.error());
  auto topic = json::read_string(*body, "topic");
  auto question = json::read_string(*body, "q");
  auto comment = json::read_string(*body, "comment");
  auto helpful = body->find("helpful");
  std::vector<FieldError> errors;
  if (!topic.value || topic.value->empty()) {
    errors.push_back({"topic", "Thiếu chủ đề của câu trả lời"});
  } else if (!assistant.answers_topic(*topic.value)) {
    errors.push_back({"topic", "Trợ lý không có câu trả lời nào thuộc chủ đề này"});
  }
  if (helpful == body->end() || !helpful->value().is_bool()) errors.push_back({"helpful", "Cần true hoặc false"});
  if (!errors.empty()) return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu chưa hợp lệ", errors, {}});
  auto recorded = assistant.record_vote(*topic.value, helpful->value().as_bool(),
                                       masked_free_text(question.value.value_or("")),
                                       masked_free_text(comment.value.value_or("")));
  if (!recorded) return web::json_error(recorded.error());
  return Response::json(201, "{\"status\":\"recorded\"}");
}

// The article list of GET /api/v1/assistant/articles as last serialised, with the knowledge generation it was made
// at: at 10,050 articles it is 20 MB of JSON, which took 0.3 s and a few hundred MB to build from the store on every
// request. Made again, by one request at a time, once the assistant has taken a change.
class ArticleList {
 public:
  struct Snapshot {
    std::string body;
    std::string etag;
  };

  std::shared_ptr<const Snapshot> kept(std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    return snapshot_ && generation_ == generation ? snapshot_ : nullptr;
  }

  // The list at `generation`: the one kept, or what `build` serialises (the others wait for one build).
  Result<std::shared_ptr<const Snapshot>> at(std::uint64_t generation,
                                             const std::function<Result<std::string>()>& build) {
    if (auto snapshot = kept(generation)) return snapshot;
    std::lock_guard building(build_mutex_);
    if (auto snapshot = kept(generation)) return snapshot;
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->body = DVCHUB_TRY(build());
    snapshot->etag = content_etag(snapshot->body);
    std::lock_guard lock(mutex_);
    generation_ = generation;
    snapshot_ = snapshot;
    return std::shared_ptr<const Snapshot>(std::move(snapshot));
  }

 private:
  std::mutex build_mutex_;
  std::mutex mutex_;  // guards generation_ and snapshot_
  std::uint64_t generation_ = 0;
  std::shared_ptr<const Snapshot> snapshot_;
};

Result<std::string> article_list_json(AssistantService& assistant) {
  auto articles = DVCHUB_TRY(assistant.knowledge().list_articles(false));
  json::Array array;
  for (const auto& stored : articles) {
    json::Object item;
    item["topic"] = stored.article.topic;
    item["title"] = stored.article.title;
    item["body"] = stored.article.body_markdown;
    json::Array questions;
    for (const auto& question : stored.article.questions) questions.push_back(json::Value(question));
    item["questions"] = std::move(questions);
    item["reviewed"] = stored.article.reviewed;
    item["sample"] = stored.article.sample;
    item["url"] = topic_url(stored.article.topic);
    array.push_back(std::move(item));
  }
  json::Object body;
  body["count"] = static_cast<std::int64_t>(array.size());
  body["articles"] = std::move(array);
  return json::serialize(body);
}

Response articles_api(AssistantService& assistant, ArticleList& list, Request& request) {
  // The generation is read first: a change the store has and the assistant has not taken yet makes the next
  // generation, which builds the list again.
  auto snapshot = list.at(assistant.knowledge_generation(), [&] { return article_list_json(assistant); });
  if (!snapshot) return web::json_error(snapshot.error());
  return web::validated_response(request, (*snapshot)->body, (*snapshot)->etag, "application/json");
}

Response topic_page(AssistantService& assistant, Request& request) {
  auto found = assistant.knowledge().find_article(request.path_parameter("topic"));
  if (!found) return web::error_page(503, found.error().message);
  if (!*found || (*found)->retired) return web::error_page(404, "Không có bài viết này");
  const Article& article = (*found)->article;
  web::View view;
  view.set("title", article.title).set("body_html", markdown::to_safe_html(article.body_markdown));
  view.set("reviewed", display_date(article.reviewed)).set("sample", article.sample);
  web::View links = web::View::list();
  for (const auto& link : article.links) {
    web::View entry;
    entry.set("title", link.title).set("url", link.url);
    links.push(std::move(entry));
  }
  view.set("links_present", !article.links.empty()).set("links", std::move(links));
  return web::render_page(200, "assistant_topic", std::move(view), web::PageContext{article.title, nullptr, "assistant"});
}

Response procedure_page(AssistantService& assistant, Request& request) {
  auto found = assistant.catalogue().find(request.path_parameter("code"));
  if (!found) return web::error_page(503, found.error().message);
  if (!*found) return web::error_page(404, "Không có thủ tục mã này");
  return web::render_page(200, "assistant_procedure", procedure_view(**found),
                          web::PageContext{(*found)->name, nullptr, "assistant"});
}

// ---- Staff pages -----------------------------------------------------------------------------------------------

// The staff list of articles: those whose topic or title holds the words searched (marks and case ignored), 100 a
// page, in topic order.
Response staff_articles(AssistantService& assistant, Request& request) {
  constexpr std::size_t page_size = 100;
  auto articles = assistant.knowledge().list_articles(true);
  auto waiting = assistant.knowledge().open_review_counts();
  if (!articles || !waiting) return web::error_page(503, "Không đọc được dữ liệu của trợ lý", &*request.principal);
  const std::string search = trimmed(valid_utf8_prefix(request.query_parameter("tim").value_or(""), 200));
  const std::string folded_search = text::fold(search);
  std::vector<const StoredArticle*> found;
  for (const auto& stored : *articles) {
    if (folded_search.empty() || text::fold(stored.article.topic).find(folded_search) != std::string::npos ||
        text::fold(stored.article.title).find(folded_search) != std::string::npos) {
      found.push_back(&stored);
    }
  }
  const std::size_t pages = std::max<std::size_t>(1, (found.size() + page_size - 1) / page_size);
  std::size_t page = 1;
  const std::string page_text = request.query_parameter("trang").value_or("1");
  std::from_chars(page_text.data(), page_text.data() + page_text.size(), page);
  page = std::clamp<std::size_t>(page, 1, pages);
  web::View rows = web::View::list();
  for (std::size_t index = (page - 1) * page_size; index < found.size() && index < page * page_size; ++index) {
    const StoredArticle& stored = *found[index];
    web::View row;
    row.set("topic", stored.article.topic).set("title", stored.article.title);
    row.set("reviewed", display_date(stored.article.reviewed)).set("sample", stored.article.sample);
    row.set("retired", stored.retired);
    rows.push(std::move(row));
  }
  auto page_link = [&](std::size_t number) {
    return "/quan-tri/tro-ly?tim=" + http::percent_encode(search) + "&trang=" + std::to_string(number);
  };
  web::View view;
  view.set("articles", std::move(rows)).set("open_reviews", waiting->unanswered + waiting->voted_down);
  view.set("search", search).set("found", grouped(static_cast<std::int64_t>(found.size()))).set("all", grouped(static_cast<std::int64_t>(articles->size())));
  view.set("page", static_cast<std::int64_t>(page)).set("pages", static_cast<std::int64_t>(pages));
  view.set("previous", page > 1 ? page_link(page - 1) : "").set("next", page < pages ? page_link(page + 1) : "");
  return web::render_page(200, "staff_assistant", std::move(view),
                          web::PageContext{"Trợ lý: bài viết", &*request.principal, "assistant_staff",
                                           request.query_parameter("ok").value_or("")});
}

std::string joined_lines(const std::vector<std::string>& lines, const char* separator) {
  std::string joined;
  for (const auto& line : lines) joined += (joined.empty() ? "" : separator) + line;
  return joined;
}

web::View article_form_view(const Article& article, bool is_new, bool retired) {
  web::View view;
  view.set("topic", article.topic).set("title", article.title).set("body", article.body_markdown);
  view.set("questions", joined_lines(article.questions, "\n"));
  view.set("keywords", joined_lines(article.keywords, ", "));
  view.set("reviewed", display_date(article.reviewed)).set("sample", article.sample);
  view.set("is_new", is_new).set("retired", retired);
  view.set("action", is_new ? std::string("/quan-tri/tro-ly/bai-viet-moi")
                            : "/quan-tri/tro-ly/bai-viet/" + http::percent_encode(article.topic));
  return view;
}

Response article_editor(AssistantService& assistant, Request& request, bool is_new) {
  if (is_new) {
    Article blank;
    blank.sample = true;
    return web::render_page(200, "staff_article", article_form_view(blank, true, false),
                            web::PageContext{"Thêm bài viết", &*request.principal, "assistant_staff"});
  }
  auto found = assistant.knowledge().find_article(request.path_parameter("topic"));
  if (!found) return web::error_page(503, found.error().message, &*request.principal);
  if (!*found) return web::error_page(404, "Không có bài viết này", &*request.principal);
  return web::render_page(200, "staff_article", article_form_view((*found)->article, false, (*found)->retired),
                          web::PageContext{"Sửa bài viết", &*request.principal, "assistant_staff"});
}

std::vector<std::string> split_list(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    std::string item = trimmed(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (!item.empty()) items.push_back(item);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return items;
}

Response save_article(AssistantService& assistant, Request& request, bool is_new) {
  Article article;
  article.topic = is_new ? trimmed(request.form_value("topic").value_or("")) : request.path_parameter("topic");
  article.title = trimmed(request.form_value("title").value_or(""));
  article.body_markdown = trimmed(request.form_value("body").value_or(""));
  article.questions = split_list(request.form_value("questions").value_or(""), '\n');
  article.keywords = split_list(request.form_value("keywords").value_or(""), ',');
  article.sample = request.form_value("sample").has_value();
  std::string reviewed = trimmed(request.form_value("reviewed").value_or(""));
  auto existing = assistant.knowledge().find_article(article.topic);
  if (existing && *existing) {
    if (is_new) {
      web::View view = article_form_view(article, true, false);
      view.set("error", "Đã có bài viết với chủ đề này").set("error_topic", "Chủ đề đã tồn tại");
      return web::render_page(409, "staff_article", std::move(view),
                              web::PageContext{"Thêm bài viết", &*request.principal, "assistant_staff"});
    }
    article.links = (*existing)->article.links;
    article.owner_unit_code = (*existing)->article.owner_unit_code;
  }
  if (auto date = parse_date(reviewed)) {
    article.reviewed = format_iso_date(*date);
  } else {
    article.reviewed = format_iso_date(vietnam_date(std::chrono::system_clock::now()));
  }
  auto saved = assistant.knowledge().save_article(article, web::actor_of(request));
  if (!saved) {
    web::View view = article_form_view(article, is_new, false);
    view.set("error", saved.error().message);
    for (const auto& field : saved.error().fields) view.set("error_" + field.field, field.message);
    return web::render_page(http::http_status(saved.error().code), "staff_article", std::move(view),
                            web::PageContext{"Bài viết", &*request.principal, "assistant_staff"});
  }
  (void)assistant.refresh();
  return Response::redirect("/quan-tri/tro-ly?ok=" + http::percent_encode("Đã lưu bài viết " + article.topic));
}

Response retire_article(AssistantService& assistant, Request& request) {
  auto retired = assistant.knowledge().retire_article(request.path_parameter("topic"), web::actor_of(request));
  if (!retired) return web::error_page(http::http_status(retired.error().code), retired.error().message, &*request.principal);
  (void)assistant.refresh();
  return Response::redirect("/quan-tri/tro-ly?ok=" + http::percent_encode("Đã ngừng dùng bài viết"));
}

Response reviews_page(AssistantService& assistant, Request& request, int status, const std::string& error) {
  (void)assistant.write_unanswered();  // the questions of the last second too
  auto reviews = assistant.knowledge().list_reviews(false, 200);
  auto articles = assistant.knowledge().list_articles(false);
  auto waiting = assistant.knowledge().open_review_counts();
  if (!reviews || !articles || !waiting) {
    return web::error_page(503, "Không đọc được dữ liệu của trợ lý", &*request.principal);
  }
  // The topics once, for every row's field (as a list in each row, the page grew with rows × articles: 200 rows of
  // 10,050 articles made two million options).
  web::View topics = web::View::list();
  for (const auto& stored : *articles) topics.push(stored.article.topic);
  web::View rows = web::View::list();
  for (const auto& review : *reviews) {
    web::View row;
    row.set("id", review.id).set("when", format_display_instant(review.created_at)).set("question", review.question);
    row.set("reason", review.reason == "unanswered" ? "Chưa trả lời được" : "Bị đánh giá 👎");
    if (review.answered_topic) row.set("answered_topic", *review.answered_topic);
    row.set("comment", review.comment).set("open", review.status == "open").set("status", review.status);
    rows.push(std::move(row));
  }
  web::View view;
  view.set("reviews", std::move(rows)).set("topics", std::move(topics)).set("error", error);
  view.set("open_unanswered", waiting->unanswered).set("open_voted_down", waiting->voted_down);
  view.set("queue_full", std::max(waiting->unanswered, waiting->voted_down) >=
                             static_cast<std::int64_t>(default_open_unanswered_limit));
  view.set("queue_limit", grouped(static_cast<std::int64_t>(default_open_unanswered_limit)));
  return web::render_page(status, "staff_reviews", std::move(view),
                          web::PageContext{"Câu hỏi cần rà soát", &*request.principal, "assistant_staff",
                                           request.query_parameter("ok").value_or("")});
}

Response resolve_review(AssistantService& assistant, Request& request) {
  std::int64_t id = 0;
  const std::string id_text = request.path_parameter("id");
  std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  std::string action = request.form_value("action").value_or("");
  std::string topic = request.form_value("topic").value_or("");
  Resolution resolution = action == "add_phrasing" ? Resolution::add_phrasing
                          : action == "new_article" ? Resolution::new_article
                                                    : Resolution::dismiss;
  auto resolved = assistant.knowledge().resolve_review(
      id, resolution, topic.empty() ? std::nullopt : std::optional<std::string>(topic), web::actor_of(request));
  if (!resolved) {
    std::string message = resolved.error().fields.empty() ? resolved.error().message : resolved.error().fields[0].message;
    return reviews_page(assistant, request, http::http_status(resolved.error().code), message);
  }
  (void)assistant.refresh();
  return Response::redirect("/quan-tri/tro-ly/ra-soat?ok=" + http::percent_encode("Đã xử lý câu hỏi"));
}

// A question asked before is answered on the network thread (remembered_answer: a lookup of about 30 µs of CPU);
// a new one on the worker pool (ask_api): it costs about half a millisecond of CPU (a millisecond at 10,000
// articles), and run inline it stalled every other request of that thread — /healthz answered 169 req/s with a
// median of 37 ms while 64 connections asked new questions, and 8,955 req/s with a median of 0.27 ms once asks ran
// on the pool (docs/benchmarks.md, "Assistant"). Unanswered questions reach the store through
// AssistantService::write_unanswered.
void add_ask_route(http::Router& router, AssistantService& assistant, const std::shared_ptr<AnswerBodies>& bodies,
                   Method method, std::size_t body_limit, std::string summary) {
  router.add_with_inline_attempt(
      method, "/api/v1/assistant/ask",
      [&assistant, bodies](Request& request) { return remembered_answer(assistant, *bodies, request); },
      [&assistant, bodies](Request& request) { return ask_api(assistant, *bodies, request); },
      http::public_api_options(body_limit, std::move(summary)));
}

}  // namespace

void register_assistant_routes(http::Router& router, AssistantService& assistant) {
  auto bodies = std::make_shared<AnswerBodies>();
  add_ask_route(router, assistant, bodies, Method::post, 8 * 1024, "Hỏi trợ lý (JSON: q, session)");
  add_ask_route(router, assistant, bodies, Method::get, 0, "Hỏi trợ lý (q, session trong địa chỉ)");
  router.add(Method::post, "/api/v1/assistant/votes",
             [&assistant](Request& request) { return vote_api(assistant, request); },
             http::public_api_options(8 * 1024, "Đánh giá câu trả lời 👍/👎"));
  auto article_list = std::make_shared<ArticleList>();
  router.add(Method::get, "/api/v1/assistant/articles",
             [&assistant, article_list](Request& request) { return articles_api(assistant, *article_list, request); },
             http::public_api_options(0, "Mọi bài viết đang dùng của trợ lý"));

  router.add(Method::get, "/tro-ly", [&assistant](Request& request) { return chat_page(assistant, request); },
             http::route_options(Access::public_, 0));
  router.add(Method::post, "/tro-ly/danh-gia", [&assistant](Request& request) { return vote_form(assistant, request); },
             http::route_options(Access::public_, 8 * 1024));
  router.add(Method::get, "/tro-ly/chu-de/{topic}",
             [&assistant](Request& request) { return topic_page(assistant, request); }, http::route_options(Access::public_, 0));
  router.add(Method::get, "/tro-ly/thu-tuc/{code}",
             [&assistant](Request& request) { return procedure_page(assistant, request); }, http::route_options(Access::public_, 0));

  router.add(Method::get, "/quan-tri/tro-ly",
             [&assistant](Request& request) { return staff_articles(assistant, request); }, http::route_options(Access::staff, 0));
  router.add(Method::get, "/quan-tri/tro-ly/bai-viet-moi",
             [&assistant](Request& request) { return article_editor(assistant, request, true); },
             http::route_options(Access::coordinator, 0));
  router.add(Method::post, "/quan-tri/tro-ly/bai-viet-moi",
             [&assistant](Request& request) { return save_article(assistant, request, true); },
             http::route_options(Access::coordinator, 64 * 1024));
  router.add(Method::get, "/quan-tri/tro-ly/bai-viet/{topic}",
             [&assistant](Request& request) { return article_editor(assistant, request, false); },
             http::route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/tro-ly/bai-viet/{topic}",
             [&assistant](Request& request) { return save_article(assistant, request, false); },
             http::route_options(Access::coordinator, 64 * 1024));
  router.add(Method::post, "/quan-tri/tro-ly/bai-viet/{topic}/ngung-dung",
             [&assistant](Request& request) { return retire_article(assistant, request); },
             http::route_options(Access::coordinator, 1024));
  router.add(Method::get, "/quan-tri/tro-ly/ra-soat",
             [&assistant](Request& request) { return reviews_page(assistant, request, 200, ""); },
             http::route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/tro-ly/ra-soat/{id:int}",
             [&assistant](Request& request) { return resolve_review(assistant, request); },
             http::route_options(Access::coordinator, 4 * 1024));
}

}  // namespace dvchub::assistant
