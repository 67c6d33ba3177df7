#include "assistant/knowledge.h"

#include <algorithm>
#include <map>

#include "config/toml_document.h"
#include "core/dates.h"
#include "core/strings.h"
#include "resources/resources.h"

namespace dvchub::assistant {
namespace {

// TOML basic string with the characters TOML requires escaped.
std::string toml_string(const std::string& text) {
  std::string quoted = "\"";
  for (char character : text) {
    switch (character) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      case '\r': break;
      default: quoted += character;
    }
  }
  return quoted + "\"";
}

std::string toml_strings(const std::vector<std::string>& values) {
  std::string array = "[";
  for (std::size_t index = 0; index < values.size(); ++index) {
    if (index) array += ", ";
    array += toml_string(values[index]);
  }
  return array + "]";
}

}  // namespace

Result<Article> parse_article(const std::string& text) {
  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  if (rest.substr(0, 4) != "+++\n" && rest.substr(0, 5) != "+++\r\n") {
    return fail(ErrorCode::invalid_input, "Bài viết phải bắt đầu bằng phần thông tin đặt giữa hai dòng +++");
  }
  rest.remove_prefix(rest.find('\n') + 1);
  auto closing = rest.find("\n+++");
  if (closing == std::string_view::npos) {
    return fail(ErrorCode::invalid_input, "Thiếu dòng +++ kết thúc phần thông tin của bài viết");
  }
  auto document = DVCHUB_TRY(config::TomlDocument::parse(std::string(rest.substr(0, closing + 1))));
  std::string_view body = rest.substr(closing + 4);
  body.remove_prefix(std::min(body.find('\n') == std::string_view::npos ? body.size() : body.find('\n') + 1,
                              body.size()));

  Article article;
  article.topic = trimmed(document.string("topic").value_or(""));
  article.title = trimmed(document.string("title").value_or(""));
  article.body_markdown = trimmed(body);
  article.questions = document.strings("questions");
  article.keywords = document.strings("keywords");
  article.reviewed = document.date("reviewed").value_or("");
  article.sample = document.boolean("sample").value_or(false);
  if (auto owner = document.string("owner_unit"); owner && !owner->empty()) article.owner_unit_code = *owner;
  for (auto& link : document.tables("links")) article.links.push_back({link["title"], link["url"]});

  std::vector<FieldError> errors;
  if (article.topic.empty()) errors.push_back({"topic", "Thiếu khóa chủ đề (topic)"});
  if (article.title.empty()) errors.push_back({"title", "Thiếu tiêu đề"});
  if (article.body_markdown.empty()) errors.push_back({"body", "Bài viết chưa có nội dung"});
  if (!article.reviewed.empty() && !parse_iso_date(article.reviewed)) {
    errors.push_back({"reviewed", "Ngày rà soát không hợp lệ"});
  }
  for (const auto& link : article.links) {
    if (link.url.rfind("https://", 0) != 0 && link.url.rfind("http://", 0) != 0 && link.url.rfind("/", 0) != 0) {
      errors.push_back({"links", "Liên kết phải bắt đầu bằng https://, http:// hoặc /"});
      break;
    }
  }
  if (!errors.empty()) return fail_fields(std::move(errors), "Bài viết chưa hợp lệ");
  return article;
}

std::string format_article(const Article& article) {
  std::string text = "+++\n";
  text += "topic = " + toml_string(article.topic) + "\n";
  text += "title = " + toml_string(article.title) + "\n";
  text += "questions = " + toml_strings(article.questions) + "\n";
  text += "keywords = " + toml_strings(article.keywords) + "\n";
  if (!article.reviewed.empty()) text += "reviewed = " + article.reviewed + "\n";
  text += std::string("sample = ") + (article.sample ? "true" : "false") + "\n";
  if (article.owner_unit_code) text += "owner_unit = " + toml_string(*article.owner_unit_code) + "\n";
  for (const auto& link : article.links) {
    text += "\n[[links]]\ntitle = " + toml_string(link.title) + "\nurl = " + toml_string(link.url) + "\n";
  }
  text += "+++\n" + article.body_markdown + "\n";
  return text;
}

Result<std::vector<Article>> seed_articles() {
  std::vector<Article> articles;
  for (const auto* resource : resources::list("content/assistant/articles/")) {
    auto article = parse_article(std::string(resource->content));
    if (!article) {
      article.error().detail = std::string(resource->path);
      return tl::unexpected(article.error());
    }
    articles.push_back(std::move(*article));
  }
  return articles;
}

Result<std::vector<Procedure>> seed_procedures() {
  const auto* resource = resources::find("content/assistant/procedures.csv");
  if (!resource) return std::vector<Procedure>{};
  auto report = DVCHUB_TRY(parse_catalogue(std::string(resource->content)));
  if (!report.rejected.empty()) {
    return fail(ErrorCode::internal, "Danh mục thủ tục mẫu có dòng lỗi",
                report.rejected.front().field + ": " + report.rejected.front().message);
  }
  return report.procedures;
}

}  // namespace dvchub::assistant
