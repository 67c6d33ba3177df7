// Tests of the multipart/form-data adapter on bodies shaped as browsers send them.
#include "multipart/form_data.h"

#include <gtest/gtest.h>

#include <string>

namespace dvchub::multipart {
namespace {

const std::string kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
const std::string kContentType = "multipart/form-data; boundary=" + kBoundary;

std::string field_part(const std::string& name, const std::string& value) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
}

std::string file_part(const std::string& name, const std::string& filename, const std::string& type,
                      const std::string& bytes) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: " + type + "\r\n\r\n" + bytes + "\r\n";
}

std::string closing() { return "--" + kBoundary + "--\r\n"; }

TEST(FormData, SplitsFieldsAndFilesKeepingBinaryBytesExactly) {
  // NUL bytes, bare and paired line breaks, and a line that starts like the delimiter but is not one.
  std::string bytes("%PDF-1.4\r\n\0\x01\xff binary\n--", 23);
  bytes += kBoundary.substr(0, 10) + "\r\nend\r\n";
  bytes += std::string("\0\r\n", 3);
  const std::string body = field_part("_csrf", "token-1") + field_part("ghi_chu", "Họp dân ở ấp Mỹ Thuận") +
                           file_part("minh_chung", "biên bản họp.pdf", "application/pdf", bytes) + closing();

  auto form = parse_form_data(kContentType, body);
  ASSERT_TRUE(form) << form.error().detail;
  ASSERT_EQ(form->parts().size(), 3u);
  EXPECT_EQ(form->field("_csrf"), "token-1");
  EXPECT_EQ(form->field("ghi_chu"), "Họp dân ở ấp Mỹ Thuận");
  EXPECT_EQ(form->field("minh_chung"), std::nullopt);  // a file is not a text field
  const Part* file = form->file("minh_chung");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "biên bản họp.pdf");
  EXPECT_EQ(file->content_type, "application/pdf");
  EXPECT_EQ(file->content.size(), bytes.size());
  EXPECT_EQ(file->content, bytes);
  EXPECT_EQ(form->file("ghi_chu"), nullptr);
}

TEST(FormData, QuotedBoundaryAndUpperCaseMediaTypeAreAccepted) {
  const std::string body = field_part("a", "1") + closing();
  auto form = parse_form_data("Multipart/Form-Data; boundary=\"" + kBoundary + "\"", body);
  ASSERT_TRUE(form) << form.error().detail;
  EXPECT_EQ(form->field("a"), "1");
  EXPECT_TRUE(is_form_data("multipart/form-data; boundary=x"));
  EXPECT_FALSE(is_form_data("application/x-www-form-urlencoded"));
}

TEST(FormData, AnEmptyFileInputCountsAsNoFile) {
  const std::string body = field_part("a", "") + file_part("tep", "", "application/octet-stream", "") + closing();
  auto form = parse_form_data(kContentType, body);
  ASSERT_TRUE(form) << form.error().detail;
  EXPECT_EQ(form->file("tep"), nullptr);
  EXPECT_EQ(form->field("a"), "");
}

TEST(FormData, RefusesBodiesThatAreNotWholeForms) {
  const std::string whole = field_part("a", "1") + file_part("f", "x.txt", "text/plain", "abc") + closing();
  // Cut before the closing delimiter, as a dropped connection would.
  auto truncated = parse_form_data(kContentType, whole.substr(0, whole.size() - closing().size()));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::invalid_input);
  EXPECT_NE(truncated.error().message.find("multipart/form-data"), std::string::npos);

  auto wrong_type = parse_form_data("application/x-www-form-urlencoded", "a=1");
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().code, ErrorCode::invalid_input);

  auto header_injection = parse_form_data(kContentType + "\r\nX-Evil: 1", whole);
  EXPECT_FALSE(header_injection);

  const std::string nameless = "--" + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" + closing();
  EXPECT_FALSE(parse_form_data(kContentType, nameless));

  auto nested = parse_form_data(kContentType, "--" + kBoundary +
                                                  "\r\nContent-Disposition: form-data; name=\"n\"\r\n"
                                                  "Content-Type: multipart/mixed; boundary=inner\r\n\r\n"
                                                  "--inner\r\nContent-Type: text/plain\r\n\r\nx\r\n--inner--\r\n\r\n" +
                                                  closing());
  EXPECT_FALSE(nested);
}

TEST(FormData, EnforcesItsLimits) {
  Limits limits;
  limits.max_parts = 2;
  limits.max_field_bytes = 8;
  limits.max_file_bytes = 16;

  auto too_many = parse_form_data(kContentType, field_part("a", "1") + field_part("b", "2") + field_part("c", "3") + closing(), limits);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, ErrorCode::invalid_input);

  auto long_field = parse_form_data(kContentType, field_part("a", "123456789") + closing(), limits);
  ASSERT_FALSE(long_field);
  EXPECT_EQ(long_field.error().code, ErrorCode::invalid_input);

  auto big_file = parse_form_data(kContentType, file_part("f", "to.bin", "application/octet-stream", std::string(17, 'x')) + closing(), limits);
  ASSERT_FALSE(big_file);
  EXPECT_EQ(big_file.error().code, ErrorCode::payload_too_large);
  EXPECT_NE(big_file.error().message.find("to.bin"), std::string::npos);

  auto at_limits = parse_form_data(kContentType, field_part("a", "12345678") + file_part("f", "ok.bin", "application/octet-stream", std::string(16, 'x')) + closing(), limits);
  ASSERT_TRUE(at_limits) << at_limits.error().detail;
  EXPECT_EQ(at_limits->file("f")->content.size(), 16u);
}

}  // namespace
}  // namespace dvchub::multipart
