#include "document/administrative_document.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/pdf_text.h"
#include "support/zip_member.h"

namespace dvchub::document {
namespace {

using dvchub::testing::zip_member;

AdministrativeDocument sample() {
  AdministrativeDocument document;
  document.governing_body = "UBND HUYỆN MỸ TÚ";
  document.issuing_body = "PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN";
  document.number = "Số:      /BC-VHKHTT";
  document.place_and_date = "Mỹ Tú, ngày 27 tháng 11 năm 2026";
  document.kind = "BÁO CÁO";
  document.subject = "Kết quả thực hiện Kế hoạch số 51/KH-UBND";
  document.body = {Paragraph{"I. TÌNH HÌNH", Paragraph::Style::heading},
                   Paragraph{"Dòng một <b>&\nDòng hai\x01", Paragraph::Style::body},
                   Table{{"Đơn vị", "Số hoạt động"}, {{"Xã Long Hưng (minh họa)", "3"}}}};
  document.recipients = {"- UBND huyện;", "- Lưu: VT."};
  document.signer_title = "TRƯỞNG PHÒNG";
  return document;
}

TEST(AdministrativeDocumentTest, WritesADocxWithTheDecree30LayoutAndEscapedText) {
  auto bytes = write_docx(sample());
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  const std::string types = zip_member(*bytes, "[[]Content_Types].xml");
  EXPECT_NE(types.find("wordprocessingml.document.main+xml"), std::string::npos) << types;
  EXPECT_NE(zip_member(*bytes, "_rels/.rels").find("Target=\"word/document.xml\""), std::string::npos);
  const std::string xml = zip_member(*bytes, "word/document.xml");
  ASSERT_FALSE(xml.empty());
  // The header: issuer on the left, the national motto on the right, then the kind and the subject.
  const auto issuer = xml.find("PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN");
  const auto motto = xml.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  const auto kind = xml.find(">BÁO CÁO<");
  ASSERT_NE(issuer, std::string::npos);
  ASSERT_NE(motto, std::string::npos);
  ASSERT_NE(kind, std::string::npos);
  EXPECT_LT(issuer, motto);
  EXPECT_LT(motto, kind);
  EXPECT_NE(xml.find("Độc lập - Tự do - Hạnh phúc"), std::string::npos);
  EXPECT_NE(xml.find("<w:i/><w:sz w:val=\"26\"/></w:rPr><w:t xml:space=\"preserve\">Mỹ Tú, ngày 27 tháng 11 năm 2026"),
            std::string::npos);  // place and date in italics
  // Text is escaped, line breaks kept, control characters dropped.
  EXPECT_NE(xml.find("Dòng một &lt;b&gt;&amp;</w:t></w:r><w:r><w:br/></w:r>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_NE(xml.find("Xã Long Hưng (minh họa)"), std::string::npos);
  EXPECT_NE(xml.find("Nơi nhận:"), std::string::npos);
  EXPECT_NE(xml.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos);  // A4
  EXPECT_NE(xml.find("w:left=\"1701\""), std::string::npos);  // 30 mm
}

TEST(AdministrativeDocumentTest, WritesAPdfWhoseVietnameseTextCanBeExtracted) {
  auto document = sample();
  for (int index = 0; index < 80; ++index) {
    document.body.push_back(Paragraph{"Đoạn " + std::to_string(index) + ": tuyên truyền dịch vụ công trực tuyến."});
  }
  auto bytes = write_pdf(document);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_EQ(bytes->substr(0, 5), "%PDF-");
  const std::string extracted = dvchub::testing::pdf_text(*bytes);
  ASSERT_FALSE(extracted.empty()) << "pdftotext found no text";
  // Lines wrap where the installed font makes them wrap: compare with every run of spaces and line breaks as one space.
  std::string text;
  for (char character : extracted) {
    const bool space = character == ' ' || character == '\n';
    if (!(space && !text.empty() && text.back() == ' ')) text += space ? ' ' : character;
  }
  const auto issuer = text.find("PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN");
  const auto motto = text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  const auto kind = text.find("BÁO CÁO");
  ASSERT_NE(issuer, std::string::npos) << text;
  ASSERT_NE(motto, std::string::npos) << text;
  ASSERT_NE(kind, std::string::npos);
  EXPECT_LT(motto, kind);
  EXPECT_NE(text.find("Mỹ Tú, ngày 27 tháng 11 năm 2026"), std::string::npos);
  EXPECT_NE(text.find("Dòng một <b>& Dòng hai "), std::string::npos) << text;  // the control character is dropped
  EXPECT_NE(text.find("Xã Long Hưng (minh họa)"), std::string::npos);
  EXPECT_NE(text.find("Đoạn 79: tuyên truyền dịch vụ công trực tuyến."), std::string::npos);
  EXPECT_NE(text.find("Nơi nhận:"), std::string::npos);
  EXPECT_NE(text.find("TRƯỞNG PHÒNG"), std::string::npos);
  EXPECT_GE(std::count(text.begin(), text.end(), '\f'), 2);  // 80 paragraphs break onto a second page (pdftotext
                                                              // ends every page with a form feed)
}

TEST(AdministrativeDocumentTest, RefusesATableRowWiderThanItsHeaders) {
  auto document = sample();
  document.body = {Table{{"A"}, {{"1", "2"}}}};
  EXPECT_EQ(write_docx(document).error().code, ErrorCode::invalid_input);
  EXPECT_EQ(write_pdf(document).error().code, ErrorCode::invalid_input);
}

}  // namespace
}  // namespace dvchub::document
