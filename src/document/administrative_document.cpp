#include "document/administrative_document.h"

#include "archive/zip_archive.h"

namespace dvchub::document {
namespace {

// Text for an XML element: markup characters escaped, control characters other than tab dropped.
std::string escaped(const std::string& text) {
  std::string result;
  result.reserve(text.size());
  for (char character : text) {
    switch (character) {
      case '&': result += "&amp;"; break;
      case '<': result += "&lt;"; break;
      case '>': result += "&gt;"; break;
      case '"': result += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(character) >= 0x20 || character == '\t') result += character;
    }
  }
  return result;
}

struct Format {
  bool bold = false;
  bool italic = false;
  int half_points = 26;  // 13 pt
  const char* alignment = "both";  // left, center, right, both
  bool keep_with_next = false;
};

// One paragraph; "\n" in `text` becomes a line break.
std::string paragraph(const std::string& text, const Format& format) {
  std::string run_properties = "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
                               "w:cs=\"Times New Roman\"/>";
  if (format.bold) run_properties += "<w:b/>";
  if (format.italic) run_properties += "<w:i/>";
  run_properties += "<w:sz w:val=\"" + std::to_string(format.half_points) + "\"/></w:rPr>";
  std::string xml = "<w:p><w:pPr>";
  if (format.keep_with_next) xml += "<w:keepNext/>";
  xml += "<w:spacing w:before=\"60\" w:after=\"60\"/><w:jc w:val=\"" + std::string(format.alignment) + "\"/></w:pPr>";
  std::size_t start = 0;
  while (true) {
    const auto end = text.find('\n', start);
    xml += "<w:r>" + run_properties + "<w:t xml:space=\"preserve\">" +
           escaped(text.substr(start, end == std::string::npos ? std::string::npos : end - start)) + "</w:t></w:r>";
    if (end == std::string::npos) break;
    xml += "<w:r><w:br/></w:r>";
    start = end + 1;
  }
  return xml + "</w:p>";
}

std::string cell(const std::string& content, int width) {
  return "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(width) + "\" w:type=\"dxa\"/></w:tcPr>" + content + "</w:tc>";
}

const char* borders(bool visible) {
  return visible ? "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>"
                   "<w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>"
                   "<w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>"
                 : "<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/>"
                   "<w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>";
}

// Two borderless columns: the header and the closing of the document.
std::string two_columns(const std::string& left, const std::string& right) {
  return std::string("<w:tbl><w:tblPr><w:tblW w:w=\"9355\" w:type=\"dxa\"/>") + borders(false) +
         "</w:tblPr><w:tblGrid><w:gridCol w:w=\"3969\"/><w:gridCol w:w=\"5386\"/></w:tblGrid><w:tr>" +
         cell(left, 3969) + cell(right, 5386) + "</w:tr></w:tbl>";
}

constexpr int text_width = 9355;  // A4 less 30 mm left and 15 mm right margins, in twentieths of a point

Result<std::string> table(const Table& table) {
  const std::size_t columns = std::max<std::size_t>(table.headers.size(), 1);
  const int width = text_width / int(columns);
  std::string xml = std::string("<w:tbl><w:tblPr><w:tblW w:w=\"") + std::to_string(text_width) +
                    "\" w:type=\"dxa\"/>" + borders(true) + "</w:tblPr><w:tblGrid>";
  for (std::size_t column = 0; column < columns; ++column) {
    xml += "<w:gridCol w:w=\"" + std::to_string(width) + "\"/>";
  }
  xml += "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>";
  for (const auto& header : table.headers) xml += cell(paragraph(header, {true, false, 24, "center"}), width);
  xml += "</w:tr>";
  for (const auto& row : table.rows) {
    if (row.size() > columns) return fail(ErrorCode::invalid_input, "Một dòng của bảng có nhiều ô hơn số cột");
    xml += "<w:tr>";
    for (std::size_t column = 0; column < columns; ++column) {
      xml += cell(paragraph(column < row.size() ? row[column] : std::string(), {false, false, 24, "left"}), width);
    }
    xml += "</w:tr>";
  }
  // Word needs a paragraph between two tables.
  return xml + "</w:tbl>" + paragraph("", {});
}

}  // namespace

Result<std::string> write_docx(const AdministrativeDocument& document) {
  std::string body;
  std::string issuer;
  if (!document.governing_body.empty()) issuer += paragraph(document.governing_body, {false, false, 26, "center"});
  issuer += paragraph(document.issuing_body, {true, false, 26, "center"});
  issuer += paragraph(document.number, {false, false, 26, "center"});
  const std::string motto = paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {true, false, 24, "center"}) +
                            paragraph("Độc lập - Tự do - Hạnh phúc", {true, false, 26, "center"}) +
                            paragraph(document.place_and_date, {false, true, 26, "center"});
  body += two_columns(issuer, motto);
  body += paragraph(document.kind, {true, false, 28, "center"});
  body += paragraph(document.subject, {true, false, 28, "center"});
  for (const auto& block : document.body) {
    if (const auto* text = std::get_if<Paragraph>(&block)) {
      const bool heading = text->style != Paragraph::Style::body;
      body += paragraph(text->text, {heading, text->style == Paragraph::Style::subheading, 26, "both", heading});
    } else {
      body += DVCHUB_TRY(table(std::get<Table>(block)));
    }
  }
  std::string recipients = paragraph("Nơi nhận:", {true, true, 24, "left"});
  for (const auto& line : document.recipients) recipients += paragraph(line, {false, false, 22, "left"});
  const std::string signature = paragraph(document.signer_title, {true, false, 26, "center"}) +
                                paragraph("\n\n\n", {}) + paragraph(document.signer_name, {true, false, 26, "center"});
  body += two_columns(recipients, signature);

  const std::string xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
  const std::string document_xml =
      xml_declaration +
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" + body +
      "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" "
      "w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>";
  const std::string content_types =
      xml_declaration +
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/word/document.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
  const std::string relationships =
      xml_declaration +
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"word/document.xml\"/></Relationships>";
  return archive::write_zip(
      {{"[Content_Types].xml", content_types}, {"_rels/.rels", relationships}, {"word/document.xml", document_xml}});
}

}  // namespace dvchub::document
