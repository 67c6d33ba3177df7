// document/administrative_document.h — Vietnamese administrative documents laid out as Decree 30/2020/NĐ-CP asks
// (A4, Times New Roman 13 pt; the two-column header with the issuing body and the national motto, number and
// symbol, place and date; the kind and subject; the body; "Nơi nhận" beside the signature block), written as DOCX
// (administrative_document.cpp, zipped through src/archive) or PDF (pdf_document.cpp, the adapter for pango and cairo).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "core/error.h"

namespace dvchub::document {

struct Paragraph {
  enum class Style { body, heading, subheading };
  std::string text;  // line breaks kept
  Style style = Style::body;
};

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // each at most headers.size() cells
};

using Block = std::variant<Paragraph, Table>;

struct AdministrativeDocument {
  std::string governing_body;  // the body above the issuer, "UBND HUYỆN MỸ TÚ"; empty for none
  std::string issuing_body;    // "PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN"
  std::string number;          // "Số:      /BC-VHKHTT"
  std::string place_and_date;  // "Mỹ Tú, ngày 27 tháng 11 năm 2026"
  std::string kind;            // "BÁO CÁO"
  std::string subject;         // "Kết quả thực hiện Kế hoạch số 51/KH-UBND …"
  std::vector<Block> body;
  std::vector<std::string> recipients;  // the lines under "Nơi nhận:"
  std::string signer_title;    // "TRƯỞNG PHÒNG"
  std::string signer_name;     // empty: signed on paper
};

// The document as the bytes of a DOCX file (WordprocessingML in a zip archive). Text is XML-escaped; characters XML
// cannot carry are dropped. invalid_input for a table row wider than its headers. Thread-safe.
Result<std::string> write_docx(const AdministrativeDocument& document);

// The same document as PDF (A4, pages broken between blocks and table rows), drawn with pango and cairo in Times New
// Roman or, when it is not installed, DejaVu Serif; the text stays extractable (Vietnamese included). invalid_input
// for a table row wider than its headers; internal when cairo fails. Thread-safe.
Result<std::string> write_pdf(const AdministrativeDocument& document);

}  // namespace dvchub::document
