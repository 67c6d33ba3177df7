// End-to-end test of the plan's reporting cycle: the whole application on an ephemeral port, on each backend, with
// the demo data and today 27/11/2025. A commune officer records an activity and submits the yearly report through
// the pages; the lead office opens periods, accepts the report and reads the compiled report as a page and XLSX.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "app/application.h"
#include "app/running_application.h"
#include "json/json.h"
#include "support/http_client.h"
#include "support/pdf_text.h"
#include "support/test_database.h"
#include "support/zip_member.h"

namespace dvchub::app {
namespace {

using dvchub::testing::body_request;
using dvchub::testing::get_request;
using dvchub::testing::is_ok;
using dvchub::testing::WireResponse;

// Whether `text` is well-formed UTF-8 (pages must never cut a character in two).
bool is_utf8(const std::string& text) {
  for (std::size_t index = 0; index < text.size();) {
    const auto byte = static_cast<unsigned char>(text[index]);
    const std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || index + length > text.size()) return false;
    for (std::size_t next = 1; next < length; ++next) {
      if ((static_cast<unsigned char>(text[index + next]) & 0xC0) != 0x80) return false;
    }
    index += length;
  }
  return true;
}

class PlanReportingFlowTest : public SharedApplicationTest<PlanReportingFlowTest> {
 protected:
  WireResponse post_json(const Session& session, const std::string& target, const std::string& body) {
    return send(body_request("POST", target, "application/json", body,
                             "Cookie: " + session.cookie + "\r\nX-CSRF-Token: " + session.csrf_token + "\r\n"));
  }

  std::string plan_id() {
    auto plans = json::parse_object(send(get_request("/api/v1/plans")).body);
    EXPECT_TRUE(is_ok(plans));
    for (const auto& plan : plans->at("plans").as_array()) {
      if (plan.as_object().at("number").as_string() == "51/KH-UBND") {
        return std::to_string(plan.as_object().at("id").as_int64());
      }
    }
    ADD_FAILURE() << "no plan 51/KH-UBND";
    return "0";
  }
};

TEST_P(PlanReportingFlowTest, AnOfficerReportsTheLeadOfficeAcceptsAndCompiles) {
  const std::string plan = plan_id();
  const auto officer = sign_in("canbo.xa");  // officer of MH-XA-2
  const auto coordinator = sign_in("dieuphoi");
  const auto viewer = sign_in("lanhdao");
  ASSERT_FALSE(officer.csrf_token.empty());

  // The officer records an activity through the form; the title is shown escaped.
  const std::string activities = "/quan-tri/ke-hoach/" + plan + "/hoat-dong";
  auto form = get(officer, activities);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(is_utf8(form.body));  // task texts are shortened in the task list
  EXPECT_NE(form.body.find("name=\"evidence_links\""), std::string::npos);
  EXPECT_NE(form.body.find("<option value=\"MH-XA-2\""), std::string::npos);
  EXPECT_EQ(form.body.find("<option value=\"MH-XA-1\""), std::string::npos);  // not the officer's unit
  auto recorded = post_form(officer, activities,
                            "task=IV.1.a&unit=MH-XA-2&kind=conference_training&title=H%E1%BB%99i+ngh%E1%BB%8B+%3Cb%3E1%3C%2Fb%3E"
                            "&occurred_on=20%2F11%2F2025&place=&quantity=1&citizens=45&officials=5&cost_vnd=1.500.000"
                            "&funding_source=state_budget&evidence_links=https%3A%2F%2Fmytu.example.vn%2Fhoi-nghi");
  ASSERT_EQ(recorded.status, 303) << recorded.body;
  auto listed = get(officer, activities);
  EXPECT_NE(listed.body.find("Hội nghị &lt;b&gt;1&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(listed.body.find("1.500.000"), std::string::npos);
  auto refused = post_form(officer, activities,
                           "task=IV.1.a&unit=MH-XA-2&kind=contest&title=&occurred_on=20%2F11%2F2025&cost_vnd=5"
                           "&funding_source=none");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Cần nhập tên hoạt động"), std::string::npos);
  EXPECT_NE(refused.body.find("Có kinh phí thì cần chọn nguồn kinh phí"), std::string::npos);
  EXPECT_EQ(post_form(viewer, activities, "task=IV.1.a&unit=MH-XA-2&kind=contest&title=x").status, 403);
  auto other_unit = post_json(officer, "/api/v1/plans/" + plan + "/activities",
                              R"({"task":"IV.1.a","unit":"MH-XA-1","kind":"video","title":"x","occurred_on":"2025-11-20"})");
  EXPECT_EQ(other_unit.status, 403) << other_unit.body;

  // Evidence uploaded from the page as multipart/form-data, the CSRF token among the fields.
  std::smatch upload_match;
  ASSERT_TRUE(std::regex_search(listed.body, upload_match, std::regex("action=\"(/quan-tri/hoat-dong/[0-9]+/tep)\"")));
  const std::string upload = upload_match[1].str();
  auto send_upload = [&](const Session& session, const std::string& token, const std::string& bytes) {
    const std::string body = "--b0undary\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token +
                             "\r\n--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Biên bản.pdf\"\r\n"
                             "Content-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--b0undary--\r\n";
    return send(body_request("POST", upload, "multipart/form-data; boundary=b0undary", body,
                             "Cookie: " + session.cookie + "\r\n"));
  };
  const std::string evidence = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
  auto uploaded = send_upload(officer, officer.csrf_token, evidence);
  ASSERT_EQ(uploaded.status, 303) << uploaded.body;
  EXPECT_EQ(uploaded.header("location"), activities + "?da_tai_len=1");
  std::smatch file_match;
  const std::string with_file = get(officer, activities).body;
  ASSERT_TRUE(std::regex_search(with_file, file_match,
                                std::regex("href=\"(/api/v1/activities/[0-9]+/files/[0-9]+)\" download>Tệp: Biên bản.pdf")));
  auto downloaded = get(officer, file_match[1].str());
  EXPECT_EQ(downloaded.status, 200);
  EXPECT_EQ(downloaded.body, evidence);  // the exact bytes, served as a download
  EXPECT_EQ(downloaded.header("content-disposition").rfind("attachment;", 0), 0u);
  EXPECT_EQ(downloaded.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(send_upload(officer, "sai-ma", evidence).status, 403);  // the token in the body is checked
  auto script = send_upload(officer, officer.csrf_token, "<script>alert(1)</script>");
  EXPECT_EQ(script.status, 400);  // only PDF, PNG and JPEG, by their bytes
  EXPECT_EQ(send_upload(viewer, viewer.csrf_token, evidence).status, 403);

  // The demo opened this year's period; the lead office may open another one (ad hoc), an officer none.
  const std::string periods = "/quan-tri/ke-hoach/" + plan + "/bao-cao";
  EXPECT_EQ(post_form(officer, periods, "kind=yearly&year=2026").status, 403);
  auto again = post_form(coordinator, periods, "kind=yearly&year=2025");
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("Kế hoạch đã có kỳ báo cáo “Năm 2025”"), std::string::npos);
  auto ad_hoc = post_form(coordinator, periods,
                          "kind=ad_hoc&title=S%C6%A1+k%E1%BA%BFt+qu%C3%BD+IV&starts_on=01%2F10%2F2025"
                          "&ends_on=31%2F12%2F2025&due_on=05%2F01%2F2026");
  ASSERT_EQ(ad_hoc.status, 303) << ad_hoc.body;
  EXPECT_TRUE(std::regex_match(ad_hoc.header("location"), std::regex("/quan-tri/ky-bao-cao/[0-9]+")));
  auto listed_periods = json::parse_object(get(viewer, "/api/v1/plans/" + plan + "/report-periods").body);
  ASSERT_TRUE(is_ok(listed_periods));
  std::string period;
  for (const auto& item : listed_periods->at("periods").as_array()) {
    if (item.as_object().at("title").as_string() == "Năm 2025") {
      period = std::to_string(item.as_object().at("id").as_int64());
      EXPECT_EQ(item.as_object().at("due_on").as_string(), "2025-12-08");
    }
  }
  ASSERT_FALSE(period.empty());
  const std::string board = "/quan-tri/ky-bao-cao/" + period;
  auto status = get(coordinator, board);
  EXPECT_NE(status.body.find("hạn gửi <strong>08/12/2025</strong>"), std::string::npos) << status.body;
  EXPECT_NE(status.body.find("Đã gửi 0/3 đơn vị"), std::string::npos);

  // The officer's report is pre-filled with the activity and submitted.
  const std::string report = board + "/MH-XA-2";
  auto draft = get(officer, report);
  ASSERT_EQ(draft.status, 200);
  EXPECT_NE(draft.body.find("Hội nghị, tập huấn: 1"), std::string::npos) << draft.body;
  EXPECT_EQ(get(officer, board + "/MH-XA-1").status, 403);
  auto submitted = post_form(officer, report,
                             "action=submit&results=T%E1%BB%95+ch%E1%BB%A9c+1+h%E1%BB%99i+ngh%E1%BB%8B"
                             "&difficulties=Thi%E1%BA%BFu+m%C3%A1y+t%C3%ADnh&proposals=");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_NE(submitted.body.find("Đã gửi báo cáo."), std::string::npos);
  EXPECT_EQ(post_form(officer, report, "action=accept").status, 403);

  // The lead office accepts and compiles.
  auto accepted = post_form(coordinator, report, "action=accept");
  ASSERT_EQ(accepted.status, 200);
  EXPECT_NE(accepted.body.find("Đã tiếp nhận báo cáo."), std::string::npos);
  auto compiled = get(coordinator, board + "/tong-hop");
  ASSERT_EQ(compiled.status, 200);
  EXPECT_TRUE(is_utf8(compiled.body));
  for (const std::string page : {"/so-lieu", "/bao-cao"}) {
    auto answer = get(viewer, "/quan-tri/ke-hoach/" + plan + page);
    EXPECT_EQ(answer.status, 200) << page;
    EXPECT_TRUE(is_utf8(answer.body)) << page;
  }
  EXPECT_NE(compiled.body.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos);
  EXPECT_NE(compiled.body.find("<strong>Xã Long Hưng (minh họa)</strong>: Hội nghị, tập huấn: 1; 50 người tham dự"),
            std::string::npos);
  EXPECT_NE(compiled.body.find("Thiếu máy tính"), std::string::npos);
  EXPECT_NE(compiled.body.find("<td>1</td><td>Xã Long Hưng (minh họa)</td>"), std::string::npos);  // commended
  EXPECT_EQ(get(officer, board + "/tong-hop").status, 403);
  auto workbook = get(viewer, "/api/v1/report-periods/" + period + "/compiled.xlsx");
  ASSERT_EQ(workbook.status, 200);
  EXPECT_EQ(workbook.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(testing::zip_member(workbook.body, "xl/sharedStrings.xml").find("Thiếu máy tính"), std::string::npos);
  auto pdf = get(viewer, "/api/v1/report-periods/" + period + "/compiled.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_NE(testing::pdf_text(pdf.body).find("Thiếu máy tính"), std::string::npos);
  auto unit_document = get(officer, "/api/v1/report-periods/" + period + "/reports/MH-XA-2/document.docx");
  ASSERT_EQ(unit_document.status, 200);
  EXPECT_NE(testing::zip_member(unit_document.body, "word/document.xml").find("Thiếu máy tính"), std::string::npos);
  auto api = json::parse_object(get(viewer, "/api/v1/report-periods/" + period + "/compiled").body);
  ASSERT_TRUE(is_ok(api));
  EXPECT_EQ(api->at("activities").as_int64(), 3);  // the demo's two for MH-XA-2 and the one recorded here
  EXPECT_EQ(api->at("commendations").as_array().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanReportingFlowTest, ::testing::ValuesIn(dvchub::testing::test_backends()),
                         dvchub::testing::backend_test_name);

}  // namespace
}  // namespace dvchub::app
