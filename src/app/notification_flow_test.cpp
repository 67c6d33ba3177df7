// End-to-end test of notifications: the whole application on an ephemeral port, on each backend, with the demo
// accounts. Each staff member reads and marks only their own notifications (page and API); only administrators see
// the outbox and set accounts' e-mail addresses.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "app/application.h"
#include "app/running_application.h"
#include "json/json.h"
#include "notification/notifications.h"
#include "support/http_client.h"
#include "support/test_database.h"

namespace dvchub::app {
namespace {

using dvchub::testing::get_request;
using dvchub::testing::is_ok;

class NotificationFlowTest : public SharedApplicationTest<NotificationFlowTest> {
 protected:
  std::int64_t user_id(const std::string& username) {
    auto user = application_->accounts().find_user_by_username(username);
    EXPECT_TRUE(is_ok(user));
    return user && *user ? (**user).id : 0;
  }

  void notify(const std::string& username, const notification::Notice& notice) {
    const std::int64_t recipient = user_id(username);
    auto connection = application_->database().acquire();
    ASSERT_TRUE(is_ok(connection));
    ASSERT_TRUE(is_ok(storage::in_transaction(**connection, [&]() -> Result<void> {
      DVCHUB_TRY(notification::notify(**connection, std::chrono::system_clock::now(), {recipient}, notice));
      return {};
    })));
  }

  std::int64_t notification_id(const std::string& username, const std::string& key) {
    auto connection = application_->database().acquire();
    auto row = (*connection)->query_one("SELECT id FROM notifications WHERE user_id = $1 AND notice_key = $2",
                                        {user_id(username), key});
    EXPECT_TRUE(is_ok(row));
    return row && *row ? (**row).integer(0) : 0;
  }
};

TEST_P(NotificationFlowTest, EachStaffMemberSeesAndMarksOnlyTheirOwn) {
  notify("canbo.xa", {"test/own/1", "Nhắc hạn <b>báo cáo</b>", "Còn một ngày làm việc.", "/quan-tri/phan-anh"});
  notify("dieuphoi", {"test/own/2", "Chỉ dành cho điều phối viên", "", ""});

  EXPECT_EQ(send(get_request("/api/v1/notifications")).status, 401);
  auto anonymous_page = send(get_request("/quan-tri/thong-bao"));
  EXPECT_NE(anonymous_page.status, 200);
  EXPECT_EQ(anonymous_page.body.find("Nhắc hạn"), std::string::npos);

  const auto officer = sign_in("canbo.xa");
  ASSERT_FALSE(officer.csrf_token.empty());
  auto api = get(officer, "/api/v1/notifications");
  ASSERT_EQ(api.status, 200) << api.body;
  auto listed = json::parse_object(api.body);
  ASSERT_TRUE(is_ok(listed));
  const auto unread_before = listed->at("unread").as_int64();
  EXPECT_GE(unread_before, 1);
  EXPECT_NE(api.body.find("Nhắc hạn <b>báo cáo</b>"), std::string::npos);
  EXPECT_EQ(api.body.find("Chỉ dành cho điều phối viên"), std::string::npos);

  auto page = get(officer, "/quan-tri/thong-bao");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Nhắc hạn &lt;b&gt;báo cáo&lt;/b&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(page.body.find("Chỉ dành cho điều phối viên"), std::string::npos);
  EXPECT_NE(page.body.find("<span class=\"badge\" aria-label=\"" + std::to_string(unread_before) + " chưa đọc\">"),
            std::string::npos);  // the count in the staff header
  EXPECT_EQ(page.body.find("/quan-tri/hop-thu-di"), std::string::npos);  // not an administrator

  // Someone else's notification cannot be marked; one's own can.
  const auto others = notification_id("dieuphoi", "test/own/2");
  EXPECT_EQ(post_form(officer, "/quan-tri/thong-bao/" + std::to_string(others) + "/da-doc", "").status, 404);
  EXPECT_EQ(send(dvchub::testing::body_request("POST", "/quan-tri/thong-bao/da-doc", "application/x-www-form-urlencoded",
                                               "", "Cookie: " + officer.cookie + "\r\n"))
                .status,
            403);  // no CSRF token
  const auto own = notification_id("canbo.xa", "test/own/1");
  EXPECT_EQ(post_form(officer, "/quan-tri/thong-bao/" + std::to_string(own) + "/da-doc", "").status, 303);
  listed = json::parse_object(get(officer, "/api/v1/notifications").body);
  ASSERT_TRUE(is_ok(listed));
  EXPECT_EQ(listed->at("unread").as_int64(), unread_before - 1);

  const auto coordinator = sign_in("dieuphoi");
  auto theirs = json::parse_object(get(coordinator, "/api/v1/notifications").body);
  ASSERT_TRUE(is_ok(theirs));
  bool still_unread = false;
  for (const auto& entry : theirs->at("notifications").as_array()) {
    if (entry.as_object().at("id").as_int64() == others) still_unread = entry.as_object().at("read_at").is_null();
  }
  EXPECT_TRUE(still_unread);
}

TEST_P(NotificationFlowTest, OnlyAdministratorsSeeTheOutboxAndSetAddresses) {
  const auto officer = sign_in("canbo.xa");
  const auto admin = sign_in("admin");
  ASSERT_FALSE(admin.csrf_token.empty());
  EXPECT_EQ(get(officer, "/quan-tri/hop-thu-di").status, 403);
  EXPECT_EQ(post_form(officer, "/quan-tri/hop-thu-di/1/gui-lai", "").status, 403);
  const std::string address_form = "/quan-tri/nguoi-dung/" + std::to_string(user_id("canbo.xa")) + "/thu-dien-tu";
  EXPECT_EQ(post_form(officer, address_form, "email=ke-gian%40example.com").status, 403);

  auto refused = post_form(admin, address_form, "email=canbo%40xa%0D%0ABcc%3A+x%40example.com");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("thư điện tử"), std::string::npos);
  EXPECT_EQ(post_form(admin, address_form, "email=canbo.xa%40myphuoc.soctrang.gov.vn").status, 303);
  auto users = get(admin, "/quan-tri/nguoi-dung");
  EXPECT_NE(users.body.find("canbo.xa@myphuoc.soctrang.gov.vn"), std::string::npos);

  notify("canbo.xa", {"test/outbox/1", "Thư thử hộp thư đi", "", ""});
  auto connection = application_->database().acquire();
  auto queued = (*connection)->query_one(
      "SELECT id FROM notification_outbox WHERE recipient = 'canbo.xa@myphuoc.soctrang.gov.vn'");
  ASSERT_TRUE(is_ok(queued));
  ASSERT_TRUE(queued->has_value());
  const std::string id = std::to_string((**queued).integer(0));
  auto outbox = get(admin, "/quan-tri/hop-thu-di");
  ASSERT_EQ(outbox.status, 200);
  auto sent = get(admin, "/quan-tri/hop-thu-di?trang_thai=sent");
  EXPECT_NE((outbox.body + sent.body).find("canbo.xa@myphuoc.soctrang.gov.vn"), std::string::npos);
  EXPECT_EQ(get(admin, "/quan-tri/hop-thu-di?trang_thai=x").status, 400);
  auto retried = post_form(admin, "/quan-tri/hop-thu-di/" + id + "/gui-lai", "");
  EXPECT_TRUE(retried.status == 303 || retried.status == 409) << retried.status;  // 409 when already sent
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationFlowTest, ::testing::ValuesIn(dvchub::testing::test_backends()),
                         dvchub::testing::backend_test_name);

}  // namespace
}  // namespace dvchub::app
