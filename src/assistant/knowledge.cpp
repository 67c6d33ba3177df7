#include "assistant/knowledge.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "config/toml_document.h"
#include "core/dates.h"
#include "csv/csv_reader.h"
#include "resources/resources.h"

namespace dvchub::assistant {
namespace {

std::string trimmed(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

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

const std::vector<std::string>& catalogue_header() {
  static const std::vector<std::string> header{
      "MaTTHC",    "TenTTHC",          "LinhVuc",     "CapThucHien",   "DuDieuKienToanTrinh",
      "CungCapTrucTuyen", "CoPhiLePhi", "ThoiHanGiaiQuyet", "DonViThoiHan", "LePhi",
      "ThanhPhanHoSo", "CoQuanThucHien", "DuongDanNopTrucTuyen", "Topic"};
  return header;
}

std::optional<int> small_integer(const std::string& text, int maximum) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > maximum) return std::nullopt;
  return value;
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

Result<CatalogueReport> parse_catalogue(const std::string& csv_text) {
  CatalogueReport report;
  bool header_ok = true;
  DVCHUB_TRY(csv::read_records(csv_text, [&](std::size_t number, std::vector<std::string>& fields) {
    if (number == 1) {
      const auto& expected = catalogue_header();
      header_ok = fields.size() >= 7 && std::equal(expected.begin(), expected.begin() + 7, fields.begin(),
                                                   [](const std::string& want, const std::string& got) {
                                                     return want == trimmed(got);
                                                   });
      return header_ok;
    }
    if (fields.size() == 1 && trimmed(fields[0]).empty()) return true;
    auto reject = [&](const std::string& message) {
      report.rejected.push_back({"dòng " + std::to_string(number), message});
      return true;
    };
    fields.resize(std::max(fields.size(), catalogue_header().size()));
    Procedure procedure;
    procedure.code = trimmed(fields[0]);
    procedure.name = trimmed(fields[1]);
    procedure.field = trimmed(fields[2]);
    procedure.level = trimmed(fields[3]);
    if (procedure.code.empty() || procedure.code.size() > 40) return reject("MaTTHC trống hoặc quá dài");
    if (procedure.name.empty()) return reject("TenTTHC trống");
    auto eligible = small_integer(trimmed(fields[4]), 1);
    auto online = small_integer(trimmed(fields[5]), 2);
    auto fees = small_integer(trimmed(fields[6]), 1);
    if (!eligible) return reject("DuDieuKienToanTrinh phải là 0 hoặc 1");
    if (!online) return reject("CungCapTrucTuyen phải là 0, 1 hoặc 2");
    if (!fees) return reject("CoPhiLePhi phải là 0 hoặc 1");
    procedure.full_online_eligible = *eligible == 1;
    procedure.online_level = *online;
    procedure.has_fees = *fees == 1;
    std::string time_limit = trimmed(fields[7]);
    if (!time_limit.empty()) {
      double value = 0;
      auto [end, error] = std::from_chars(time_limit.data(), time_limit.data() + time_limit.size(), value);
      if (error != std::errc() || end != time_limit.data() + time_limit.size() || value < 0) {
        return reject("ThoiHanGiaiQuyet phải là một số");
      }
      procedure.time_limit = value;
    }
    procedure.time_unit = trimmed(fields[8]);
    procedure.fee = trimmed(fields[9]);
    std::string documents = fields[10];
    for (std::size_t start = 0; start <= documents.size();) {
      auto separator = documents.find(" | ", start);
      std::string item = trimmed(documents.substr(start, separator == std::string::npos ? std::string::npos
                                                                                          : separator - start));
      if (!item.empty()) procedure.documents.push_back(item);
      if (separator == std::string::npos) break;
      start = separator + 3;
    }
    procedure.agency = trimmed(fields[11]);
    procedure.submit_url = trimmed(fields[12]);
    procedure.topic = trimmed(fields[13]);
    report.procedures.push_back(std::move(procedure));
    return true;
  }));
  if (!header_ok) {
    return fail(ErrorCode::invalid_input,
                "Dòng tiêu đề của danh mục thủ tục phải bắt đầu bằng: MaTTHC,TenTTHC,LinhVuc,CapThucHien,"
                "DuDieuKienToanTrinh,CungCapTrucTuyen,CoPhiLePhi");
  }
  return report;
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
