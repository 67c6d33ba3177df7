#include "assistant/knowledge_store.h"

#include <algorithm>

#include "core/dates.h"
#include "json/json.h"

namespace dvchub::assistant {
namespace {

constexpr const char* article_columns =
    "topic, title, body_markdown, questions, keywords, links, reviewed, sample, owner_unit_code, status, updated_at";

std::string strings_json(const std::vector<std::string>& values) {
  json::Array array;
  for (const auto& value : values) array.push_back(json::Value(value));
  return json::serialize(array);
}

std::vector<std::string> strings_from_json(const std::string& text) {
  std::vector<std::string> values;
  auto parsed = json::parse_object("{\"v\":" + text + "}");
  if (!parsed || !parsed->at("v").is_array()) return values;
  for (const auto& item : parsed->at("v").as_array()) {
    if (item.is_string()) values.emplace_back(item.as_string().c_str());
  }
  return values;
}

std::string links_json(const std::vector<Link>& links) {
  json::Array array;
  for (const auto& link : links) {
    json::Object object;
    object["title"] = link.title;
    object["url"] = link.url;
    array.push_back(std::move(object));
  }
  return json::serialize(array);
}

std::vector<Link> links_from_json(const std::string& text) {
  std::vector<Link> links;
  auto parsed = json::parse_object("{\"v\":" + text + "}");
  if (!parsed || !parsed->at("v").is_array()) return links;
  for (const auto& item : parsed->at("v").as_array()) {
    if (!item.is_object()) continue;
    auto title = json::read_string(item.as_object(), "title");
    auto url = json::read_string(item.as_object(), "url");
    links.push_back({title.value.value_or(""), url.value.value_or("")});
  }
  return links;
}

StoredArticle article_from_row(const storage::Row& row) {
  StoredArticle stored;
  stored.article.topic = row.text(0);
  stored.article.title = row.text(1);
  stored.article.body_markdown = row.text(2);
  stored.article.questions = strings_from_json(row.text(3));
  stored.article.keywords = strings_from_json(row.text(4));
  stored.article.links = links_from_json(row.text(5));
  stored.article.reviewed = row.text(6);
  stored.article.sample = row.integer(7) != 0;
  stored.article.owner_unit_code = row.optional_text(8);
  stored.retired = row.text(9) == "retired";
  stored.updated_at = from_unix_seconds(row.integer(10));
  return stored;
}

bool valid_topic(const std::string& topic) {
  if (topic.empty() || topic.size() > 80) return false;
  return std::all_of(topic.begin(), topic.end(), [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') || character == '.' ||
           character == '-';
  });
}

Result<std::optional<StoredArticle>> load_article(storage::Connection& connection, const std::string& topic) {
  auto row = DVCHUB_TRY(connection.query_one(
      std::string("SELECT ") + article_columns + " FROM assistant_articles WHERE topic = $1", {topic}));
  if (!row) return std::optional<StoredArticle>{};
  return std::optional<StoredArticle>{article_from_row(*row)};
}

Result<void> store_article(storage::Connection& connection, const Clock& clock, const Article& article,
                           const audit::Actor& actor) {
  auto before = DVCHUB_TRY(load_article(connection, article.topic));
  storage::Parameters parameters{article.topic,
                                 article.title,
                                 article.body_markdown,
                                 strings_json(article.questions),
                                 strings_json(article.keywords),
                                 links_json(article.links),
                                 article.reviewed,
                                 std::int64_t{article.sample ? 1 : 0},
                                 storage::optional_value(article.owner_unit_code),
                                 to_unix_seconds(clock.now())};
  if (before) {
    DVCHUB_TRY(connection.execute(
        "UPDATE assistant_articles SET title = $2, body_markdown = $3, questions = $4, keywords = $5, links = $6, "
        "reviewed = $7, sample = $8, owner_unit_code = $9, status = 'published', updated_at = $10 WHERE topic = $1",
        parameters));
  } else {
    DVCHUB_TRY(connection.execute(
        "INSERT INTO assistant_articles (topic, title, body_markdown, questions, keywords, links, reviewed, sample, "
        "owner_unit_code, status, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'published', $10)",
        parameters));
  }
  return audit::record(connection, clock, actor,
                       {before ? "assistant.article_update" : "assistant.article_create", "assistant_article",
                        article.topic,
                        before ? std::optional<std::string>(format_article(before->article)) : std::nullopt,
                        format_article(article)});
}

Result<std::vector<StoredArticle>> query_articles(storage::Database& database, const std::string& where,
                                                  const storage::Parameters& parameters) {
  auto connection = DVCHUB_TRY(database.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      std::string("SELECT ") + article_columns + " FROM assistant_articles " + where + " ORDER BY topic", parameters));
  std::vector<StoredArticle> articles;
  for (const auto& row : rows) articles.push_back(article_from_row(row));
  return articles;
}

// Open reviews of `reason` ("unanswered" | "voted_down").
Result<std::int64_t> open_reviews(storage::Connection& connection, const char* reason) {
  auto row = DVCHUB_TRY(connection.query_one(
      "SELECT COUNT(*) FROM assistant_reviews WHERE reason = $1 AND status = 'open'", {std::string(reason)}));
  return row ? row->integer(0) : 0;
}

// Adds an open review (texts already masked, valid UTF-8 and bounded by the caller).
Result<void> insert_review(storage::Connection& connection, std::int64_t now, const std::string& question,
                           const char* reason, const std::string& decision,
                           const std::optional<std::string>& answered_topic, const std::string& comment) {
  DVCHUB_TRY(connection.execute(
      "INSERT INTO assistant_reviews (created_at, question, reason, decision, answered_topic, comment, status) "
      "VALUES ($1, $2, $3, $4, $5, $6, 'open')",
      {now, question, std::string(reason), decision, storage::optional_value(answered_topic), comment}));
  return {};
}

}  // namespace

Result<std::vector<StoredArticle>> KnowledgeStore::list_articles(bool include_retired) const {
  return query_articles(database_, include_retired ? "" : "WHERE status = 'published'", {});
}

Result<std::optional<StoredArticle>> KnowledgeStore::find_article(const std::string& topic) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  return load_article(*connection, topic);
}

Result<std::vector<StoredArticle>> KnowledgeStore::articles_changed_since(TimePoint instant) const {
  return query_articles(database_, "WHERE updated_at >= $1", {to_unix_seconds(instant)});
}

Result<StoredArticle> KnowledgeStore::save_article(const Article& article, const audit::Actor& actor) {
  std::vector<FieldError> errors;
  if (!valid_topic(article.topic)) {
    errors.push_back({"topic", "Khóa chủ đề gồm chữ thường không dấu, số, dấu chấm và gạch ngang (tối đa 80 ký tự)"});
  }
  if (article.title.empty() || article.title.size() > 300) errors.push_back({"title", "Tiêu đề cần 1–300 byte"});
  if (article.body_markdown.empty() || article.body_markdown.size() > 20000) {
    errors.push_back({"body", "Nội dung cần 1–20.000 byte"});
  }
  if (article.questions.size() > 50) errors.push_back({"questions", "Tối đa 50 cách hỏi"});
  if (!errors.empty()) return fail_fields(std::move(errors), "Bài viết chưa hợp lệ");
  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() { return store_article(*connection, clock_, article, actor); }));
  auto saved = DVCHUB_TRY(load_article(*connection, article.topic));
  return *saved;
}

Result<void> KnowledgeStore::retire_article(const std::string& topic, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto changed = DVCHUB_TRY(connection->execute(
        "UPDATE assistant_articles SET status = 'retired', updated_at = $2 WHERE topic = $1 AND status = 'published'",
        {topic, to_unix_seconds(clock_.now())}));
    if (changed == 0) return fail(ErrorCode::not_found, "Không có bài viết đang dùng với chủ đề " + topic);
    return audit::record(*connection, clock_, actor,
                         {"assistant.article_retire", "assistant_article", topic, std::nullopt, std::nullopt});
  });
}

Result<int> KnowledgeStore::seed(const std::vector<Article>& articles, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  int created = 0;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    for (const auto& article : articles) {
      if (DVCHUB_TRY(load_article(*connection, article.topic))) continue;
      DVCHUB_TRY(store_article(*connection, clock_, article, actor));
      ++created;
    }
    return {};
  }));
  return created;
}

Result<KnowledgeStore::Queued> KnowledgeStore::queue_unanswered(std::span<const UnansweredQuestion> questions,
                                                                std::size_t open_limit) {
  if (questions.empty()) return Queued{};
  auto connection = DVCHUB_TRY(database_.acquire());
  Queued result;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto waiting = static_cast<std::size_t>(DVCHUB_TRY(open_reviews(*connection, "unanswered")));
    const std::int64_t now = to_unix_seconds(clock_.now());
    for (const auto& unanswered : questions) {
      if (waiting >= open_limit) {
        ++result.refused;  // not looked up: a full queue costs one count a write, not a look-up a question
        continue;
      }
      // Through the partial index of open unanswered questions (migration 0026).
      auto found = DVCHUB_TRY(connection->query_one(
          "SELECT id FROM assistant_reviews WHERE question = $1 AND reason = 'unanswered' AND status = 'open' LIMIT 1",
          {unanswered.question}));
      if (found) continue;
      DVCHUB_TRY(insert_review(*connection, now, unanswered.question, "unanswered", unanswered.decision,
                               unanswered.nearest_topic, ""));
      ++waiting;
      ++result.queued;
    }
    return {};
  }));
  return result;
}

Result<KnowledgeStore::OpenReviewCounts> KnowledgeStore::open_review_counts() const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT reason, COUNT(*) FROM assistant_reviews WHERE status = 'open' GROUP BY reason", {}));
  OpenReviewCounts counts;
  for (const auto& row : rows) {
    (row.text(0) == "unanswered" ? counts.unanswered : counts.voted_down) = row.integer(1);
  }
  return counts;
}

Result<std::vector<Review>> KnowledgeStore::list_reviews(bool only_open, int limit) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT id, created_at, question, reason, decision, answered_topic, comment, status FROM assistant_reviews "
      "WHERE $1 = 0 OR status = 'open' ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, id DESC LIMIT $2",
      {std::int64_t{only_open ? 1 : 0}, std::int64_t{std::clamp(limit, 1, 500)}}));
  std::vector<Review> reviews;
  for (const auto& row : rows) {
    reviews.push_back(Review{row.integer(0), from_unix_seconds(row.integer(1)), row.text(2), row.text(3),
                             row.text(4), row.optional_text(5), row.text(6), row.text(7)});
  }
  return reviews;
}

Result<void> KnowledgeStore::resolve_review(std::int64_t id, Resolution resolution,
                                            const std::optional<std::string>& topic, const audit::Actor& actor) {
  if (resolution != Resolution::dismiss && (!topic || topic->empty())) {
    return fail_fields({{"topic", "Chọn chủ đề để gắn câu hỏi này"}});
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "SELECT question, status FROM assistant_reviews WHERE id = $1", {id}));
    if (!row) return fail(ErrorCode::not_found, "Không có câu hỏi cần rà soát này");
    if (row->text(1) != "open") return fail(ErrorCode::conflict, "Câu hỏi này đã được xử lý");
    const std::string question = row->text(0);
    std::string status = resolution == Resolution::dismiss       ? "dismissed"
                         : resolution == Resolution::add_phrasing ? "added_phrasing"
                                                                  : "new_article";
    if (resolution != Resolution::dismiss) {
      auto article = DVCHUB_TRY(load_article(*connection, *topic));
      if (!article) return fail_fields({{"topic", "Không có bài viết với chủ đề " + *topic}});
      if (resolution == Resolution::add_phrasing) {
        Article updated = article->article;
        if (std::find(updated.questions.begin(), updated.questions.end(), question) == updated.questions.end()) {
          updated.questions.push_back(question);
        }
        DVCHUB_TRY(store_article(*connection, clock_, updated, actor));
      }
    }
    DVCHUB_TRY(connection->execute(
        "UPDATE assistant_reviews SET status = $2, resolved_topic = $3, resolved_at = $4, resolved_by = $5 "
        "WHERE id = $1",
        {id, status, storage::optional_value(topic), to_unix_seconds(clock_.now()), actor.name}));
    return audit::record(*connection, clock_, actor,
                         {"assistant.review_" + status, "assistant_review", std::to_string(id), std::nullopt,
                          std::nullopt});
  });
}

Result<KnowledgeStore::Queued> KnowledgeStore::record_vote(const std::string& topic, bool helpful,
                                                           const std::string& masked_question,
                                                           const std::string& comment, std::size_t open_limit) {
  auto connection = DVCHUB_TRY(database_.acquire());
  Queued result;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    const std::int64_t now = to_unix_seconds(clock_.now());
    DVCHUB_TRY(connection->execute("INSERT INTO assistant_votes (created_at, topic, helpful) VALUES ($1, $2, $3)",
                                   {now, topic.substr(0, 80), std::int64_t{helpful ? 1 : 0}}));
    if (helpful) return {};
    if (static_cast<std::size_t>(DVCHUB_TRY(open_reviews(*connection, "voted_down"))) >= open_limit) {
      result.refused = 1;
      return {};
    }
    result.queued = 1;
    return insert_review(*connection, now, masked_question, "voted_down", "answer", topic, comment);
  }));
  return result;
}

}  // namespace dvchub::assistant
