#include "document/administrative_document.h"

#include <gtest/gtest.h>

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

TEST(AdministrativeDocumentTest, RefusesATableRowWiderThanItsHeaders) {
  auto document = sample();
  document.body = {Table{{"A"}, {{"1", "2"}}}};
  EXPECT_EQ(write_docx(document).error().code, ErrorCode::invalid_input);
}

}  // namespace
}  // namespace dvchub::document
