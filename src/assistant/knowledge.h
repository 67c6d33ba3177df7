// assistant/knowledge.h — what the assistant knows: articles (Markdown, one per topic) and the procedure
// catalogue (TTHC), and how they are read from their file formats.
//
// Article files (content/assistant/articles/*.md, and the staff editor's import) start with TOML front matter
// between two "+++" lines — topic, title, questions (phrasings it answers), keywords, reviewed (date), sample,
// owner_unit, [[links]] {title, url} — followed by the Markdown body.
// Procedures come from the shared catalogue module (catalogue/catalogue.h); the seed catalogue is
// content/assistant/procedures.csv.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalogue/catalogue.h"
#include "core/error.h"

namespace dvchub::assistant {

struct Link {
  std::string title;
  std::string url;
};

struct Article {
  std::string topic;                   // stable key, e.g. "account.register"
  std::string title;
  std::string body_markdown;
  std::vector<std::string> questions;  // phrasings it answers
  std::vector<std::string> keywords;
  std::vector<Link> links;
  std::string reviewed;                // ISO date of the last review
  bool sample = false;                 // sample content awaiting review by the competent agency
  std::optional<std::string> owner_unit_code;
};

using catalogue::Procedure;

// Parses one article file. ErrorCode::invalid_input with a Vietnamese message naming what is wrong (missing
// front matter, bad TOML with its line, empty topic/title/body).
Result<Article> parse_article(const std::string& text);

// Writes an article back in the file format (front matter + body); parse_article(format_article(a)) == a.
std::string format_article(const Article& article);

using catalogue::CatalogueReport;
using catalogue::parse_catalogue;

// The seed content compiled into the binary (content/assistant/...).
Result<std::vector<Article>> seed_articles();
Result<std::vector<Procedure>> seed_procedures();

}  // namespace dvchub::assistant
