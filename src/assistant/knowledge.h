// assistant/knowledge.h — what the assistant knows: articles (Markdown, one per topic) and the procedure
// catalogue (TTHC), and how they are read from their file formats.
//
// Article files (content/assistant/articles/*.md, and the staff editor's import) start with TOML front matter
// between two "+++" lines — topic, title, questions (phrasings it answers), keywords, reviewed (date), sample,
// owner_unit, [[links]] {title, url} — followed by the Markdown body.
// The catalogue is CSV with the header of content/assistant/procedures.csv (the KPI module shares its first seven
// columns: MaTTHC, TenTTHC, LinhVuc, CapThucHien, DuDieuKienToanTrinh, CungCapTrucTuyen, CoPhiLePhi).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

struct Procedure {
  std::string code;            // MaTTHC, e.g. "1.001193"
  std::string name;            // TenTTHC
  std::string field;           // LinhVuc
  std::string level;           // CapThucHien
  bool full_online_eligible = false;  // DuDieuKienToanTrinh
  int online_level = 0;        // CungCapTrucTuyen: 0 none, 1 một phần, 2 toàn trình
  bool has_fees = false;       // CoPhiLePhi
  std::optional<double> time_limit;   // ThoiHanGiaiQuyet
  std::string time_unit;       // DonViThoiHan: "ngày làm việc", "ngày", "giờ"
  std::string fee;             // LePhi (text)
  std::vector<std::string> documents;  // ThanhPhanHoSo, split on " | "
  std::string agency;          // CoQuanThucHien
  std::string submit_url;      // DuongDanNopTrucTuyen
  std::string topic;           // proc.* topic the procedure belongs to, or ""
};

// Parses one article file. ErrorCode::invalid_input with a Vietnamese message naming what is wrong (missing
// front matter, bad TOML with its line, empty topic/title/body).
Result<Article> parse_article(const std::string& text);

// Writes an article back in the file format (front matter + body); parse_article(format_article(a)) == a.
std::string format_article(const Article& article);

struct CatalogueReport {
  std::vector<Procedure> procedures;
  std::vector<FieldError> rejected;  // field = "dòng N", message = why
};

// Parses the catalogue CSV. Rows with a bad value are reported with their line, not returned. A wrong header is
// ErrorCode::invalid_input.
Result<CatalogueReport> parse_catalogue(const std::string& csv_text);

// The seed content compiled into the binary (content/assistant/...).
Result<std::vector<Article>> seed_articles();
Result<std::vector<Procedure>> seed_procedures();

}  // namespace dvchub::assistant
