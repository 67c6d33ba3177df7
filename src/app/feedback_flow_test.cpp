// End-to-end tests of the feedback module: the whole application on an ephemeral port, on each backend, with the
// demo data; a citizen files, tracks, reads and rates; staff classify, draft, approve and publish.
#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "app/application.h"
#include "app/running_application.h"
#include "core/dates.h"
#include "json/json.h"
#include "support/http_client.h"
#include "support/test_database.h"

namespace dvchub::app {
namespace {

using dvchub::testing::body_request;
using dvchub::testing::get_request;
using dvchub::testing::HttpClient;
using dvchub::testing::is_ok;
using dvchub::testing::WireResponse;

class FeedbackFlowTest : public SharedApplicationTest<FeedbackFlowTest> {
 protected:
  void started(RunningApplication& running) override {
    EXPECT_EQ(running.first_seed.feedback_created, 13);
    auto again = running.application->seed_demo();
    ASSERT_TRUE(is_ok(again));
    EXPECT_EQ(again->feedback_created, 0);
  }

  WireResponse post_json(const std::string& target, const std::string& body) {
    return send(body_request("POST", target, "application/json", body));
  }

  std::int64_t stored_items() {
    auto connection = application_->database().acquire();
    return (*(*connection)->query_one("SELECT COUNT(*) FROM feedback_items"))->integer(0);
  }

  // Signs in; returns the cookie pair and the session's CSRF token.
  std::pair<std::string, std::string> sign_in(const std::string& username) {
    auto response = send(body_request("POST", "/dang-nhap", "application/x-www-form-urlencoded",
                                      "username=" + username + "&password=dvchub-demo-2025&next=%2Fquan-tri"));
    EXPECT_EQ(response.status, 303) << response.body;
    std::smatch match;
    std::string set_cookie = response.set_cookie;
    if (!std::regex_search(set_cookie, match, std::regex("dvchub_session=[A-Za-z0-9_-]+"))) return {};
    std::string cookie = match.str();
    auto page = send(get_request("/quan-tri/phan-anh", "Cookie: " + cookie + "\r\n"));
    std::string body = page.body;
    if (!std::regex_search(body, match, std::regex("name=\"csrf_token\" value=\"([^\"]+)\""))) return {cookie, ""};
    return {cookie, match[1].str()};
  }

  WireResponse step(const std::pair<std::string, std::string>& session, std::int64_t id, const std::string& fields) {
    return send(body_request("POST", "/quan-tri/phan-anh/" + std::to_string(id), "application/x-www-form-urlencoded",
                             "csrf_token=" + session.second + "&" + fields, "Cookie: " + session.first + "\r\n"));
  }

};

TEST_P(FeedbackFlowTest, BadSubmissionsGetOneMessagePerFieldAndStoreNothing) {
  const auto before = stored_items();
  auto invalid_json = post_json("/api/v1/feedback", "{\"kind\": ");
  EXPECT_EQ(invalid_json.status, 400);
  EXPECT_NE(invalid_json.body.find("\"fields\""), std::string::npos);
  auto bad = post_json("/api/v1/feedback",
                       R"({"kind":"praise","title":"","body":"x","contact":{"email":"nope"},"consent_publish":"yes"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  auto error = json::parse_object(bad.body);
  ASSERT_TRUE(is_ok(error));
  std::set<std::string> fields;
  for (const auto& field : error->at("error").as_object().at("fields").as_array()) {
    fields.insert(std::string(field.as_object().at("field").as_string()));
    EXPECT_FALSE(field.as_object().at("message").as_string().empty());
  }
  EXPECT_EQ(fields, (std::set<std::string>{"consent_publish"}));  // a type error is reported before the values
  auto bad_values = post_json("/api/v1/feedback",
                              R"({"kind":"praise","title":"","body":"x","contact":{"email":"nope"},"consent_publish":true})");
  ASSERT_EQ(bad_values.status, 400);
  for (const char* field : {"\"kind\"", "\"subject\"", "\"title\"", "\"contact.email\""}) {
    EXPECT_NE(bad_values.body.find(field), std::string::npos) << field << " in " << bad_values.body;
  }
  auto too_long = post_json("/api/v1/feedback", R"({"kind":"question","subject":"other","title":"t","body":")" +
                                                    std::string(4001, 'a') + R"(","consent_publish":true})");
  EXPECT_EQ(too_long.status, 400);
  EXPECT_NE(too_long.body.find("\"body\""), std::string::npos);
  EXPECT_EQ(stored_items(), before);
}

TEST_P(FeedbackFlowTest, CitizenFilesStaffAnswerCitizenReadsAndRates) {
  auto created = post_json("/api/v1/feedback",
                           R"({"kind":"complaint","subject":"procedure","title":"Chậm trả kết quả chứng thực bản sao",)"
                           R"("body":"Tôi là Đỗ Minh Khoa, hồ sơ H52.99-251120-0007 chưa có kết quả, gọi 0903 456 789.",)"
                           R"("unit_code":"MH-XA-2","contact":{"name":"Đỗ Minh Khoa","phone":"0903456789"},)"
                           R"("consent_publish":true})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto receipt = json::parse_object(created.body);
  ASSERT_TRUE(is_ok(receipt));
  const std::string code(receipt->at("tracking_code").as_string());
  const std::int64_t id = receipt->at("id").as_int64();
  EXPECT_TRUE(std::regex_match(code, std::regex("[A-HJ-NP-Z2-9]{8}"))) << code;
  EXPECT_EQ(receipt->at("status").as_string(), "received");
  EXPECT_EQ(receipt->at("due_at").as_string(), "2025-12-01T23:59:59+07:00");  // Thu → Fri, Mon

  std::string lower = code;
  for (auto& character : lower) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  auto tracked = send(get_request("/api/v1/feedback/" + lower.substr(0, 4) + "-" + lower.substr(4)));
  ASSERT_EQ(tracked.status, 200) << tracked.body;
  EXPECT_EQ(tracked.body.find("0903"), std::string::npos) << tracked.body;
  EXPECT_EQ(tracked.body.find("Khoa"), std::string::npos) << tracked.body;
  EXPECT_EQ(tracked.body.find("251120"), std::string::npos) << tracked.body;
  EXPECT_EQ(send(get_request("/api/v1/feedback/ZZZZ2222")).status, 404);

  auto officer = sign_in("canbo.xa");
  auto coordinator = sign_in("dieuphoi");
  ASSERT_FALSE(officer.second.empty());
  ASSERT_FALSE(coordinator.second.empty());
  auto queue = send(get_request("/quan-tri/phan-anh", "Cookie: " + officer.first + "\r\n"));
  ASSERT_EQ(queue.status, 200);
  EXPECT_NE(queue.body.find("Chậm trả kết quả chứng thực bản sao"), std::string::npos);
  EXPECT_EQ(send(get_request("/quan-tri/phan-anh/" + std::to_string(id))).status / 100, 3);  // not signed in

  EXPECT_EQ(step(coordinator, id, "step=classify&unit_code=MH-XA-2").status, 303);
  EXPECT_EQ(step(officer, id, "step=draft&text=UBND+x%C3%A3+%C4%91%C3%A3+tr%E1%BA%A3+k%E1%BA%BFt+qu%E1%BA%A3+"
                              "cho+%C3%B4ng+Khoa.").status,
            303);
  EXPECT_EQ(step(officer, id, "step=approve").status, 409);  // the drafter does not approve
  EXPECT_EQ(step(coordinator, id, "step=approve").status, 303);
  EXPECT_EQ(step(coordinator, id, "step=publish").status, 303);

  auto page = send(get_request("/phan-anh/" + code));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("đã trả kết quả"), std::string::npos);
  EXPECT_EQ(page.body.find("Khoa"), std::string::npos);
  EXPECT_NE(page.body.find("Bạn có hài lòng"), std::string::npos);

  auto search = send(get_request("/api/v1/feedback?status=published&q=chung+thuc+ban+sao&unit=MH-XA-2"));
  ASSERT_EQ(search.status, 200);
  EXPECT_NE(search.body.find(code), std::string::npos);
  EXPECT_EQ(search.body.find("0903"), std::string::npos);
  auto list_page = send(get_request("/phan-anh?q=chung+thuc"));
  ASSERT_EQ(list_page.status, 200);
  EXPECT_NE(list_page.body.find("Chậm trả kết quả chứng thực bản sao"), std::string::npos);

  auto rated = post_json("/api/v1/feedback/" + code + "/ratings", R"({"satisfied":false,"comment":"Vẫn chưa nhận"})");
  ASSERT_EQ(rated.status, 200) << rated.body;
  EXPECT_NE(rated.body.find("\"status\":\"assigned\""), std::string::npos);
  EXPECT_EQ(post_json("/api/v1/feedback/" + code + "/ratings", R"({"satisfied":true})").status, 409);

  auto statistics = send(get_request("/api/v1/feedback/stats?unit=MH-XA-2&from=2025-11-01&to=2025-11-30"));
  ASSERT_EQ(statistics.status, 200) << statistics.body;
  auto figures = json::parse_object(statistics.body);
  ASSERT_TRUE(is_ok(figures));
  EXPECT_GE(figures->at("received").as_int64(), 1);
  EXPECT_GE(figures->at("ratings").as_int64(), 1);
}

TEST_P(FeedbackFlowTest, FormPrefillsFromTheAssistantAndConfirmsWithTheCode) {
  auto form = send(get_request("/phan-anh/gui?tieu_de=C%C3%A2u+h%E1%BB%8Fi&noi_dung=L%C3%A0m+sao+%C4%91%E1%BB%95i+"
                               "t%C3%AAn+tr%C3%AAn+VNeID%3F"));
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find(">Làm sao đổi tên trên VNeID?</textarea>"), std::string::npos);
  EXPECT_NE(form.body.find("value=\"Câu hỏi\""), std::string::npos);

  auto rejected = send(body_request("POST", "/phan-anh/gui", "application/x-www-form-urlencoded",
                                    "kind=question&subject=other&title=&body="));
  EXPECT_EQ(rejected.status, 400);
  EXPECT_NE(rejected.body.find("Cần có tiêu đề"), std::string::npos);

  auto submitted = send(body_request("POST", "/phan-anh/gui", "application/x-www-form-urlencoded",
                                     "kind=question&subject=technical&title=%C4%90%E1%BB%95i+t%C3%AAn&body=L%C3%A0m+sao"
                                     "+%C4%91%E1%BB%95i+t%C3%AAn%3F&consent_publish=1"));
  ASSERT_EQ(submitted.status, 303) << submitted.body;
  std::smatch match;
  std::string location = submitted.header("location");
  ASSERT_TRUE(std::regex_match(location, match, std::regex("/phan-anh/([A-Z2-9]{8})\\?da_gui=1"))) << location;
  auto confirmation = send(get_request(location));
  ASSERT_EQ(confirmation.status, 200);
  const std::string code = match[1].str();
  EXPECT_NE(confirmation.body.find(code.substr(0, 4) + "-" + code.substr(4)), std::string::npos);
  EXPECT_NE(confirmation.body.find("Đã nhận phản ánh"), std::string::npos);
}

TEST_P(FeedbackFlowTest, DemoAnswersArePublicWithoutPersonalData) {
  auto list = send(get_request("/api/v1/feedback"));
  ASSERT_EQ(list.status, 200);
  auto page = json::parse_object(list.body);
  ASSERT_TRUE(is_ok(page));
  EXPECT_GE(page->at("total").as_int64(), 2);
  EXPECT_EQ(list.body.find("0918"), std::string::npos);
  EXPECT_EQ(list.body.find("Hùng"), std::string::npos);
  EXPECT_EQ(list.body.find("Võ Thị Thu"), std::string::npos);  // did not consent: not listed at all
  EXPECT_EQ(send(get_request("/api/v1/feedback?status=received")).status, 400);
  auto similar = send(get_request("/api/v1/feedback/similar?q=khong+dang+nhap+duoc+VNeID"));
  ASSERT_EQ(similar.status, 200);
  EXPECT_NE(similar.body.find("MAUA2345"), std::string::npos) << similar.body;
  EXPECT_EQ(send(get_request("/api/v1/feedback/similar")).status, 400);
  auto form = send(get_request("/phan-anh/gui?noi_dung=L%C3%A0m+sao+%C4%91%C4%83ng+nh%E1%BA%ADp+b%E1%BA%B1ng+VNeID"));
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("href=\"/phan-anh/MAUA2345\""), std::string::npos);
  auto home = send(get_request("/"));
  EXPECT_NE(home.body.find("href=\"/phan-anh\""), std::string::npos);
}

TEST_P(FeedbackFlowTest, Open311ReadCallsInXmlAndJson) {
  auto discovery = send(get_request("/open311/v2/discovery.json"));
  ASSERT_EQ(discovery.status, 200);
  auto document = json::parse_object(discovery.body);
  ASSERT_TRUE(is_ok(document));
  EXPECT_EQ(document->at("endpoints").as_array().size(), 1u);
  auto discovery_xml = send(get_request("/open311/v2/discovery.xml"));
  ASSERT_EQ(discovery_xml.status, 200);
  EXPECT_EQ(discovery_xml.header("content-type"), "text/xml; charset=utf-8");
  EXPECT_EQ(discovery_xml.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?><discovery>", 0), 0u);

  auto services = send(get_request("/open311/v2/services.json"));
  ASSERT_EQ(services.status, 200);
  EXPECT_EQ(services.body.front(), '[');
  for (const char* code : {"procedure", "conduct", "technical", "other"}) {
    EXPECT_NE(services.body.find(std::string("\"service_code\":\"") + code + "\""), std::string::npos) << code;
  }
  EXPECT_NE(services.body.find("\"metadata\":true"), std::string::npos);
  auto services_xml = send(get_request("/open311/v2/services.xml"));
  EXPECT_NE(services_xml.body.find("<services><service><service_code>procedure</service_code>"), std::string::npos);
  auto definition = send(get_request("/open311/v2/services/technical.json"));
  ASSERT_EQ(definition.status, 200);
  EXPECT_NE(definition.body.find("\"code\":\"consent_publish\""), std::string::npos);
  EXPECT_NE(definition.body.find("\"datatype\":\"singlevaluelist\""), std::string::npos);
  auto definition_xml = send(get_request("/open311/v2/services/technical.xml"));
  EXPECT_NE(definition_xml.body.find("<attribute><variable>true</variable><code>consent_publish</code>"),
            std::string::npos);
  auto unknown_service = send(get_request("/open311/v2/services/potholes.json"));
  EXPECT_EQ(unknown_service.status, 404);
  EXPECT_EQ(unknown_service.body.rfind("[{\"code\":404,", 0), 0u) << unknown_service.body;
  EXPECT_NE(unknown_service.body.find("\"description\""), std::string::npos);

  auto requests = send(get_request("/open311/v2/requests.json"));
  ASSERT_EQ(requests.status, 200);
  EXPECT_NE(requests.body.find("\"service_request_id\":\"MAUA2345\""), std::string::npos) << requests.body.substr(0, 400);
  EXPECT_EQ(requests.body.find("0918"), std::string::npos);
  EXPECT_EQ(requests.body.find("MAUN2345"), std::string::npos);  // its sender did not agree to publication
  auto closed = send(get_request("/open311/v2/requests.json?status=closed&service_code=technical"));
  ASSERT_EQ(closed.status, 200);
  EXPECT_NE(closed.body.find("\"status\":\"closed\""), std::string::npos);
  EXPECT_EQ(closed.body.find("\"status\":\"open\""), std::string::npos);
  EXPECT_EQ(send(get_request("/open311/v2/requests.json?status=pending")).status, 400);
  EXPECT_EQ(send(get_request("/open311/v2/requests.xml?start_date=2025-01-01T00:00:00Z&end_date=2025-11-01T00:00:00Z"))
                .status,
            400);
  auto one = send(get_request("/open311/v2/requests/MAUA2345.xml"));
  ASSERT_EQ(one.status, 200);
  EXPECT_NE(one.body.find("<service_requests><request><service_request_id>MAUA2345</service_request_id>"
                          "<status>closed</status>"),
            std::string::npos)
      << one.body;
  auto missing = send(get_request("/open311/v2/requests/MAUN2345.json"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.front(), '[');
}

TEST_P(FeedbackFlowTest, AdministratorsEditTheHolidayCalendarOthersOnlyRead) {
  auto admin = sign_in("admin");
  auto officer = sign_in("canbo.xa");
  auto page = send(get_request("/quan-tri/lich-nghi?nam=2026", "Cookie: " + officer.first + "\r\n"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("17/02/2026"), std::string::npos);  // Tết Bính Ngọ, computed
  EXPECT_EQ(page.body.find("value=\"remove\""), std::string::npos);
  const std::string form = "day=09%2F03%2F2026&kind=holiday&name=Ngh%E1%BB%89+b%C3%B9+th%E1%BB%AD&action=set";
  EXPECT_EQ(send(body_request("POST", "/quan-tri/lich-nghi", "application/x-www-form-urlencoded",
                              "csrf_token=" + officer.second + "&" + form, "Cookie: " + officer.first + "\r\n"))
                .status,
            403);
  auto saved = send(body_request("POST", "/quan-tri/lich-nghi", "application/x-www-form-urlencoded",
                                 "csrf_token=" + admin.second + "&" + form, "Cookie: " + admin.first + "\r\n"));
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto working = application_->calendar().is_working_day(std::chrono::year(2026) / 3 / 9);
  ASSERT_TRUE(is_ok(working));
  EXPECT_FALSE(*working);
  auto removed = send(body_request("POST", "/quan-tri/lich-nghi", "application/x-www-form-urlencoded",
                                   "csrf_token=" + admin.second + "&day=2026-03-09&action=remove",
                                   "Cookie: " + admin.first + "\r\n"));
  EXPECT_EQ(removed.status, 303);
  working = application_->calendar().is_working_day(std::chrono::year(2026) / 3 / 9);
  ASSERT_TRUE(is_ok(working));
  EXPECT_TRUE(*working);
}

TEST_P(FeedbackFlowTest, AdministratorsSetDeadlinesPerKindAndSubjectEveryonePublicReadsThem) {
  auto admin = sign_in("admin");
  auto officer = sign_in("canbo.xa");
  const std::string form = "kind=complaint&subject=conduct&classify=1&answer=10&publish=2&extension=0&action=set";
  auto page = send(get_request("/quan-tri/thoi-han-phan-anh", "Cookie: " + officer.first + "\r\n"));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("value=\"set\""), std::string::npos);  // officers read, do not edit
  EXPECT_EQ(send(body_request("POST", "/quan-tri/thoi-han-phan-anh", "application/x-www-form-urlencoded",
                              "csrf_token=" + officer.second + "&" + form, "Cookie: " + officer.first + "\r\n"))
                .status,
            403);
  auto refused = send(body_request("POST", "/quan-tri/thoi-han-phan-anh", "application/x-www-form-urlencoded",
                                   "csrf_token=" + admin.second + "&kind=complaint&subject=&classify=x&answer=45"
                                   "&publish=2&extension=0&action=set",
                                   "Cookie: " + admin.first + "\r\n"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Thời hạn phân loại phải từ 1 đến 5 ngày làm việc"), std::string::npos);
  EXPECT_NE(refused.body.find("Thời hạn trả lời phải từ 1 đến 30 ngày làm việc"), std::string::npos);
  auto saved = send(body_request("POST", "/quan-tri/thoi-han-phan-anh", "application/x-www-form-urlencoded",
                                 "csrf_token=" + admin.second + "&" + form, "Cookie: " + admin.first + "\r\n"));
  ASSERT_EQ(saved.status, 303) << saved.body;

  auto published = send(get_request("/api/v1/feedback/deadlines"));
  ASSERT_EQ(published.status, 200);
  auto parsed = json::parse_object(published.body);
  ASSERT_TRUE(is_ok(parsed));
  auto body = *parsed;
  EXPECT_EQ(body["defaults"].as_object()["answer"].as_int64(), 15);
  ASSERT_EQ(body["rules"].as_array().size(), 1u);
  EXPECT_EQ(body["rules"].as_array()[0].as_object()["subject"].as_string(), "conduct");
  bool found = false;
  for (const auto& entry : body["effective"].as_array()) {
    const auto& object = entry.as_object();
    if (object.at("kind").as_string() == "complaint" && object.at("subject").as_string() == "conduct") {
      found = true;
      EXPECT_EQ(object.at("answer").as_int64(), 10);
      EXPECT_EQ(object.at("extension").as_int64(), 0);
    } else {
      EXPECT_EQ(object.at("answer").as_int64(), 15);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(body["effective"].as_array().size(), 16u);

  // Filed now, a complaint about an official's conduct is due for classification a working day sooner than one
  // about a procedure (the default, 2 working days).
  auto due_of = [&](const std::string& subject) {
    auto filed = post_json("/api/v1/feedback", R"({"kind":"complaint","subject":")" + subject +
                                                   R"(","title":"Hẹn sai giờ","body":"Hẹn trả kết quả sai giờ ba lần.","consent_publish":false})");
    EXPECT_EQ(filed.status, 201) << filed.body;
    auto receipt = json::parse_object(filed.body);
    return receipt ? std::string((*receipt)["due_at"].as_string()) : std::string();
  };
  const std::string conduct_due = due_of("conduct");
  const std::string procedure_due = due_of("procedure");
  EXPECT_LT(conduct_due, procedure_due);  // same offset (+07:00): the texts sort as the instants

  auto removed = send(body_request("POST", "/quan-tri/thoi-han-phan-anh", "application/x-www-form-urlencoded",
                                   "csrf_token=" + admin.second + "&kind=complaint&subject=conduct&action=remove",
                                   "Cookie: " + admin.first + "\r\n"));
  EXPECT_EQ(removed.status, 303);
  auto after = json::parse_object(send(get_request("/api/v1/feedback/deadlines")).body);
  ASSERT_TRUE(is_ok(after));
  EXPECT_EQ((*after)["rules"].as_array().size(), 0u);
}

TEST_P(FeedbackFlowTest, SurveysByLinkQrCodeAndApiFeedTheStatistics) {
  // The page a QR code leads to names the unit and the procedure, and works without JavaScript.
  auto page = send(get_request("/khao-sat?don_vi=MH-XA-2&thu_tuc=DEMO.033"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Hòa giải tranh chấp đất đai"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"feedback_handling\" value=\"5\""), std::string::npos);
  EXPECT_EQ(send(get_request("/khao-sat?don_vi=NO-SUCH")).status, 404);
  auto code = send(get_request("/khao-sat/ma-qr.svg?don_vi=MH-XA-2&thu_tuc=DEMO.033"));
  ASSERT_EQ(code.status, 200);
  EXPECT_NE(code.header("content-type").find("image/svg+xml"), std::string::npos);
  EXPECT_NE(code.body.find("<path fill=\"#000\" d=\"M4 4h7"), std::string::npos);  // the top-left finder pattern
  EXPECT_EQ(send(get_request("/khao-sat/ma-qr.svg?thu_tuc=NO-SUCH")).status, 404);

  // The form: a missing overall rating is sent back with the choices kept; then a valid response.
  auto missing = send(body_request("POST", "/khao-sat", "application/x-www-form-urlencoded",
                                   "unit_code=MH-XA-2&procedure_code=DEMO.033&access=2"));
  ASSERT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("Cần chọn mức đánh giá"), std::string::npos);
  EXPECT_NE(missing.body.find("id=\"access-2\" name=\"access\" value=\"2\" checked"), std::string::npos);
  auto answered = send(body_request("POST", "/khao-sat", "application/x-www-form-urlencoded",
                                    "unit_code=MH-XA-2&procedure_code=DEMO.033&overall=2&access=2&result=1"
                                    "&comment=Ph%E1%BA%A3i+%C4%91i+l%E1%BA%A1i+3+l%E1%BA%A7n"));
  ASSERT_EQ(answered.status, 303) << answered.body;
  EXPECT_EQ(answered.header("location"), "/khao-sat/cam-on");

  // The API: out-of-range and mistyped values are refused per field; one response per dossier code.
  auto bad = post_json("/api/v1/surveys/responses",
                       R"({"overall":6,"dimensions":{"access":0,"officials":"5"},"unit_code":"MH-XA-2"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("\"overall\""), std::string::npos);
  EXPECT_NE(bad.body.find("\"dimensions.access\""), std::string::npos);
  EXPECT_NE(bad.body.find("\"dimensions.officials\""), std::string::npos);
  const std::string good =
      R"({"overall":5,"dimensions":{"access":5,"procedure":4,"officials":5,"result":5,"feedback_handling":4},)"
      R"("unit_code":"MH-XA-2","procedure_code":"DEMO.033","dossier_code":"H52.99-251120-0007"})";
  auto created = post_json("/api/v1/surveys/responses", good);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(post_json("/api/v1/surveys/responses", good).status, 409);

  // The statistics of the unit now count both responses, under the land field's 85 % target.
  const std::string today = application_->units().today();
  auto stats = send(get_request("/api/v1/feedback/stats?unit=MH-XA-2&from=" + today + "&to=" + today));
  ASSERT_EQ(stats.status, 200) << stats.body;
  auto body = json::parse_object(stats.body);
  ASSERT_TRUE(is_ok(body));
  const auto& surveys = body->at("surveys").as_object();
  EXPECT_EQ(surveys.at("responses").as_int64(), 2);
  EXPECT_EQ(surveys.at("satisfied").as_int64(), 1);
  const auto& land = surveys.at("by_field").as_array().at(0).as_object();
  EXPECT_EQ(land.at("field").as_string(), "Đất đai");
  EXPECT_DOUBLE_EQ(land.at("target_share").as_double(), 0.85);
  EXPECT_TRUE(land.at("below_target").as_bool());

  // Staff see the link, the code and the figures; citizens do not reach the staff page.
  auto session = sign_in("dieuphoi");
  auto staff = send(get_request("/quan-tri/khao-sat?don_vi=MH-XA-2&thu_tuc=DEMO.033&from=" + today + "&to=" + today,
                                "Cookie: " + session.first + "\r\n"));
  ASSERT_EQ(staff.status, 200);
  EXPECT_NE(staff.body.find("/khao-sat/ma-qr.svg?don_vi=MH-XA-2&amp;thu_tuc=DEMO.033"), std::string::npos);
  EXPECT_NE(staff.body.find("Dưới chỉ tiêu"), std::string::npos);
  EXPECT_NE(send(get_request("/quan-tri/khao-sat")).status, 200);
}

TEST_P(FeedbackFlowTest, CitizensReportAbuseAndStaffModerateFromTheItemPage) {
  auto demo = send(get_request("/api/v1/feedback"));
  auto list = json::parse_object(demo.body);
  ASSERT_TRUE(is_ok(list));
  const std::string code(list->at("items").as_array().at(0).as_object().at("tracking_code").as_string());
  EXPECT_EQ(post_json("/api/v1/feedback/" + code + "/abuse-reports", R"({"reason":""})").status, 400);
  auto reported = post_json("/api/v1/feedback/" + code + "/abuse-reports", R"({"reason":"Lộ tên người khác"})");
  ASSERT_EQ(reported.status, 202) << reported.body;
  EXPECT_NE(reported.body.find("\"pending_reports\":1"), std::string::npos);
  auto form = send(body_request("POST", "/phan-anh/" + code + "/bao-cao", "application/x-www-form-urlencoded",
                                "reason=L%E1%BB%99+t%C3%AAn"));
  ASSERT_EQ(form.status, 303);
  EXPECT_EQ(form.header("location"), "/phan-anh/" + code + "?da_bao_cao=1");

  auto coordinator = sign_in("dieuphoi");
  auto queue = send(get_request("/quan-tri/phan-anh?trang_thai=reported", "Cookie: " + coordinator.first + "\r\n"));
  ASSERT_EQ(queue.status, 200);
  std::smatch match;
  std::string body = queue.body;
  ASSERT_TRUE(std::regex_search(body, match, std::regex("/quan-tri/phan-anh/([0-9]+)\"")));
  const std::int64_t id = std::stoll(match[1].str());
  auto page = send(get_request("/quan-tri/phan-anh/" + std::to_string(id), "Cookie: " + coordinator.first + "\r\n"));
  EXPECT_NE(page.body.find("Báo cáo chờ xem xét"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"restore\""), std::string::npos);
  EXPECT_EQ(step(coordinator, id, "step=hide&text=L%E1%BB%99+th%C3%B4ng+tin").status, 303);
  auto hidden = send(get_request("/phan-anh/" + code));
  EXPECT_NE(hidden.body.find("Nội dung đang được xem xét"), std::string::npos);
  EXPECT_EQ(send(get_request("/api/v1/feedback")).body.find(code), std::string::npos);
  EXPECT_EQ(step(coordinator, id, "step=restore&text=").status, 303);
  EXPECT_NE(send(get_request("/api/v1/feedback")).body.find(code), std::string::npos);

  // Notes stay inside: the officer's note is on the staff page, never on the public one.
  EXPECT_EQ(step(coordinator, id, "step=note&text=Ghi+ch%C3%BA+n%E1%BB%99i+b%E1%BB%99+XYZ").status, 303);
  page = send(get_request("/quan-tri/phan-anh/" + std::to_string(id), "Cookie: " + coordinator.first + "\r\n"));
  EXPECT_NE(page.body.find("Ghi chú nội bộ XYZ"), std::string::npos);
  EXPECT_EQ(send(get_request("/phan-anh/" + code)).body.find("XYZ"), std::string::npos);
}

TEST_P(FeedbackFlowTest, Open311ClientsFileRequestsWithAKeyAnAdministratorIssued) {
  const std::string form = "application/x-www-form-urlencoded";
  const std::string fields = "service_code=technical&description=Trang+n%E1%BB%99p+h%E1%BB%93+s%C6%A1+b%C3%A1o+l%E1%BB%97i"
                             "%0AKh%C3%B4ng+t%E1%BA%A3i+%C4%91%C6%B0%E1%BB%A3c+t%E1%BB%87p&first_name=Lan&phone=0912345678"
                             "&attribute%5Bconsent_publish%5D=true";
  // No key, a wrong key: 403 with the spec's error list, nothing stored.
  const auto before = stored_items();
  auto no_key = send(body_request("POST", "/open311/v2/requests.json", form, fields));
  EXPECT_EQ(no_key.status, 403);
  EXPECT_EQ(no_key.body.rfind("[{\"code\":403,", 0), 0u) << no_key.body;
  auto wrong_key = send(body_request("POST", "/open311/v2/requests.xml", form, "api_key=nope&" + fields));
  EXPECT_EQ(wrong_key.status, 403);
  EXPECT_NE(wrong_key.body.find("<errors><error><code>403</code>"), std::string::npos);
  EXPECT_EQ(stored_items(), before);

  // An administrator issues a key on the staff page; officers cannot.
  auto officer = sign_in("canbo.xa");
  EXPECT_EQ(send(get_request("/quan-tri/khoa-open311", "Cookie: " + officer.first + "\r\n")).status, 403);
  auto admin = sign_in("admin");
  auto issued = send(body_request("POST", "/quan-tri/khoa-open311", form,
                                  "csrf_token=" + admin.second + "&name=C%E1%BB%95ng+t%E1%BB%89nh",
                                  "Cookie: " + admin.first + "\r\n"));
  ASSERT_EQ(issued.status, 200) << issued.body;
  std::smatch match;
  std::string page = issued.body;
  ASSERT_TRUE(std::regex_search(page, match, std::regex("<code class=\"secret\">([A-Za-z0-9_-]{43})</code>")));
  const std::string key = match[1].str();

  EXPECT_EQ(send(body_request("POST", "/open311/v2/requests.json", form, "api_key=" + key + "&description=x")).status,
            400);  // no service_code
  EXPECT_EQ(send(body_request("POST", "/open311/v2/requests.json", form,
                              "api_key=" + key + "&service_code=potholes&description=x"))
                .status,
            404);
  auto no_description = send(body_request("POST", "/open311/v2/requests.json", form,
                                          "api_key=" + key + "&service_code=technical&lat=95"));
  EXPECT_EQ(no_description.status, 400);
  EXPECT_EQ(stored_items(), before);

  auto created = send(body_request("POST", "/open311/v2/requests.json", form, "api_key=" + key + "&" + fields));
  ASSERT_EQ(created.status, 200) << created.body;
  std::string body = created.body;
  ASSERT_TRUE(std::regex_search(body, match, std::regex("\\[\\{\"service_request_id\":\"([A-Z2-9]{8})\"")));
  const std::string code = match[1].str();
  EXPECT_NE(created.body.find("\"account_id\":null"), std::string::npos);
  auto created_xml = send(body_request("POST", "/open311/v2/requests.xml", form, "api_key=" + key + "&" + fields));
  ASSERT_EQ(created_xml.status, 200);
  EXPECT_NE(created_xml.body.find("<service_requests><request><service_request_id>"), std::string::npos);
  EXPECT_EQ(stored_items(), before + 2);

  // The request is readable the Open311 way and tracked like any feedback, the phone number masked.
  auto read = send(get_request("/open311/v2/requests/" + code + ".json"));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_NE(read.body.find("\"status\":\"open\""), std::string::npos);
  EXPECT_NE(read.body.find("\"expected_datetime\":\""), std::string::npos);
  EXPECT_EQ(read.body.find("0912345678"), std::string::npos);
  auto tracked = send(get_request("/api/v1/feedback/" + code));
  ASSERT_EQ(tracked.status, 200);
  EXPECT_NE(tracked.body.find("\"title\":\"Trang nộp hồ sơ báo lỗi\""), std::string::npos) << tracked.body;
  auto connection = application_->database().acquire();
  auto audit = (*connection)->query_one(
      "SELECT actor FROM audit_log WHERE action = 'feedback.submit' ORDER BY id DESC LIMIT 1");
  EXPECT_EQ((*audit)->text(0), "open311:Cổng tỉnh");
}

TEST_P(FeedbackFlowTest, LeagueTableRanksUnitsAndExportsCsv) {
  const std::string year = application_->units().today().substr(0, 4);
  auto league = send(get_request("/api/v1/feedback/league?from=2025-01-01&to=" + year + "-12-31"));
  ASSERT_EQ(league.status, 200) << league.body;
  auto body = json::parse_object(league.body);
  ASSERT_TRUE(is_ok(body));
  const auto& units = body->at("units").as_array();
  ASSERT_FALSE(units.empty());
  std::int64_t received = 0;
  double previous = 2;
  for (const auto& unit : units) {
    const auto& row = unit.as_object();
    received += row.at("received").as_int64();
    if (!row.at("on_time_share").is_null()) {
      EXPECT_LE(row.at("on_time_share").as_double(), previous);  // ranked by on-time share
      previous = row.at("on_time_share").as_double();
    }
  }
  auto total = send(get_request("/api/v1/feedback/stats?from=2025-01-01&to=" + year + "-12-31"));
  auto totals = json::parse_object(total.body);
  ASSERT_TRUE(is_ok(totals));
  EXPECT_EQ(received, totals->at("received").as_int64());  // every item in exactly one line

  auto csv = send(get_request("/api/v1/feedback/league?format=csv&from=2025-01-01&to=" + year + "-12-31"));
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.header("content-disposition").find("attachment; filename=\"phan-anh-bang-xep-hang-2025-01-01-"),
            std::string::npos);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF\"hang\",\"ma_don_vi\"", 0), 0u);
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.body.begin(), csv.body.end(), '\n')), units.size() + 1);
  EXPECT_EQ(send(get_request("/api/v1/feedback/league?format=xml")).status, 400);
  auto workbook = send(get_request("/api/v1/feedback/league?format=xlsx&from=2025-01-01&to=" + year + "-12-31"));
  ASSERT_EQ(workbook.status, 200);
  EXPECT_EQ(workbook.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(workbook.body.rfind("PK\x03\x04", 0), 0u);  // a zip archive, as XLSX files are
  EXPECT_NE(workbook.body.find("xl/worksheets/sheet1.xml"), std::string::npos);

  auto page = send(get_request("/phan-anh/bang-xep-hang?from=2025-01-01&to=" + year + "-12-31"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Xã Long Hưng (minh họa)"), std::string::npos);
  EXPECT_NE(page.body.find("format=csv"), std::string::npos);
}

TEST_P(FeedbackFlowTest, CoordinatorsAssignSeveralItemsAtOnceFromTheQueue) {
  std::vector<std::string> ids;
  for (int index = 0; index < 2; ++index) {
    auto created = post_json("/api/v1/feedback",
                             R"({"kind":"question","subject":"other","title":"Giao hàng loạt )" + std::to_string(index) +
                                 R"(","body":"Nội dung","consent_publish":false})");
    ASSERT_EQ(created.status, 201);
    auto body = json::parse_object(created.body);
    ids.push_back(std::to_string(body->at("id").as_int64()));
  }
  auto coordinator = sign_in("dieuphoi");
  auto queue = send(get_request("/quan-tri/phan-anh", "Cookie: " + coordinator.first + "\r\n"));
  EXPECT_NE(queue.body.find("name=\"chon\" value=\"" + ids[0] + "\""), std::string::npos);
  const std::string form = "application/x-www-form-urlencoded";
  auto nothing = send(body_request("POST", "/quan-tri/phan-anh/giao", form, "csrf_token=" + coordinator.second,
                                   "Cookie: " + coordinator.first + "\r\n"));
  EXPECT_NE(nothing.body.find("Chọn ít nhất một phản ánh"), std::string::npos);
  auto assigned = send(body_request("POST", "/quan-tri/phan-anh/giao", form,
                                    "csrf_token=" + coordinator.second + "&chon=" + ids[0] + "&chon=" + ids[1] +
                                        "&chon=999999&unit_code=MH-XA-3",
                                    "Cookie: " + coordinator.first + "\r\n"));
  ASSERT_EQ(assigned.status, 200);
  EXPECT_NE(assigned.body.find("Đã giao 2 phản ánh."), std::string::npos);
  EXPECT_NE(assigned.body.find("Phản ánh số 999999"), std::string::npos);
  auto connection = application_->database().acquire();
  auto count = (*connection)->query_one(
      "SELECT COUNT(*) FROM feedback_items i JOIN units u ON u.id = i.unit_id WHERE u.code = 'MH-XA-3' AND "
      "i.status = 'assigned' AND i.id IN ($1, $2)",
      {std::stoll(ids[0]), std::stoll(ids[1])});
  EXPECT_EQ((*count)->integer(0), 2);
  // Without the session's CSRF token nothing happens.
  EXPECT_EQ(send(body_request("POST", "/quan-tri/phan-anh/giao", form, "chon=" + ids[0] + "&unit_code=MH-XA-1",
                              "Cookie: " + coordinator.first + "\r\n"))
                .status,
            403);
}

TEST_P(FeedbackFlowTest, AnswerTemplatesStartADraft) {
  const std::string form = "application/x-www-form-urlencoded";
  auto officer = sign_in("canbo.xa");
  EXPECT_EQ(send(body_request("POST", "/quan-tri/mau-tra-loi", form,
                              "csrf_token=" + officer.second + "&id=0&title=X&body=Y",
                              "Cookie: " + officer.first + "\r\n"))
                .status,
            403);  // officers use templates, coordinators keep them
  auto coordinator = sign_in("dieuphoi");
  auto saved = send(body_request("POST", "/quan-tri/mau-tra-loi", form,
                                 "csrf_token=" + coordinator.second +
                                     "&id=0&title=L%E1%BB%87+ph%C3%AD&body=N%E1%BB%99p+tr%E1%BB%B1c+tuy%E1%BA%BFn+"
                                     "%C4%91%C6%B0%E1%BB%A3c+gi%E1%BA%A3m+l%E1%BB%87+ph%C3%AD+MAU123",
                                 "Cookie: " + coordinator.first + "\r\n"));
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto listed = send(get_request("/quan-tri/mau-tra-loi", "Cookie: " + officer.first + "\r\n"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find("MAU123"), std::string::npos);
  auto connection = application_->database().acquire();
  auto template_id = (*connection)->query_one("SELECT id FROM feedback_answer_templates WHERE title = 'Lệ phí'");
  auto item_id = (*connection)->query_one(
      "SELECT id FROM feedback_items WHERE status IN ('assigned', 'drafted') ORDER BY id LIMIT 1");
  ASSERT_TRUE(template_id.has_value() && template_id->has_value());
  ASSERT_TRUE(item_id.has_value() && item_id->has_value());
  auto page = send(get_request("/quan-tri/phan-anh/" + std::to_string((**item_id).integer(0)) +
                                   "?mau=" + std::to_string((**template_id).integer(0)),
                               "Cookie: " + coordinator.first + "\r\n"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("name=\"text\" rows=\"8\" maxlength=\"8000\">Nộp trực tuyến được giảm lệ phí MAU123</textarea>"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedbackFlowTest, ::testing::ValuesIn(::dvchub::testing::test_backends()),
                         ::dvchub::testing::backend_test_name);

}  // namespace
}  // namespace dvchub::app
