#include <gtest/gtest.h>

#include "core/dates.h"
#include "notification/mail_message.h"
#include "notification/notifications.h"
#include "notification/smtp_transport.h"
#include "support/smtp_server.h"
#include "support/staff_accounts.h"
#include "support/test_database.h"

namespace dvchub::notification {
namespace {

using namespace std::chrono;
using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

const std::string vietnamese_subject = "Quá hạn: phản ánh K7QM-3XPA — Đường liên ấp Mỹ Hương ngập nước, đề nghị xử lý gấp";
const std::string vietnamese_text = "Phản ánh K7QM-3XPA đã quá hạn từ 10/09/2025 23:59.\nĐề nghị điều phối viên đôn đốc.";

MailMessage sample_message() {
  MailMessage message;
  message.from_address = "noreply@dvc.soctrang.gov.vn";
  message.from_name = "Cổng dịch vụ công, Sóc Trăng";
  message.to_address = "dieuphoi@soctrang.gov.vn";
  message.subject = vietnamese_subject;
  message.body = vietnamese_text;
  message.date = sys_days(year(2025) / 9 / 11) + hours(2) + minutes(5) + seconds(9);  // 09:05:09 in Vietnam
  message.message_id = "outbox-7.1757556309@dvc.soctrang.gov.vn";
  return message;
}

TEST(MailMessageTest, HeadersAreSevenBitWithEncodedWordsAndAVietnamDate) {
  auto text = compose(sample_message());
  ASSERT_TRUE(is_ok(text));
  EXPECT_NE(text->find("Date: Thu, 11 Sep 2025 09:05:09 +0700\r\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("To: <dieuphoi@soctrang.gov.vn>\r\n"), std::string::npos);
  EXPECT_NE(text->find("Message-ID: <outbox-7.1757556309@dvc.soctrang.gov.vn>\r\n"), std::string::npos);
  EXPECT_NE(text->find("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"),
            std::string::npos);
  EXPECT_NE(text->find("Subject: =?UTF-8?B?"), std::string::npos);
  // Every line is 7-bit and at most 78 characters; every encoded word at most 75.
  std::size_t start = 0;
  while (start < text->size()) {
    const std::size_t end = text->find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends in CRLF";
    EXPECT_LE(end - start, 78u) << text->substr(start, end - start);
    for (std::size_t index = start; index < end; ++index) EXPECT_LT(static_cast<unsigned char>((*text)[index]), 0x80);
    start = end + 2;
  }
  for (const auto& word : {encoded_words(vietnamese_subject), encoded_words(std::string(200, 'a'))}) {
    std::size_t from = 0;
    while ((from = word.find("=?UTF-8?B?", from)) != std::string::npos) {
      const std::size_t end = word.find("?=", from + 10);
      ASSERT_NE(end, std::string::npos);
      EXPECT_LE(end + 2 - from, 75u);
      from = end + 2;
    }
  }
  EXPECT_EQ(encoded_words("Short ASCII"), "Short ASCII");
  EXPECT_EQ(base64("Mỹ Tú"), "TeG7uSBUw7o=");
  EXPECT_EQ(base64("ab"), "YWI=");
}

TEST(MailMessageTest, NothingCanInjectAHeader) {
  auto message = sample_message();
  message.subject = "Nhắc hạn\r\nBcc: ai-do@example.com";
  auto text = compose(message);
  ASSERT_TRUE(is_ok(text));
  EXPECT_EQ(text->find("\nBcc:"), std::string::npos);
  message = sample_message();
  message.to_address = "dieuphoi@soctrang.gov.vn>\r\nBcc: <x@example.com";
  EXPECT_TRUE(fails_with(compose(message), ErrorCode::invalid_input));
  message = sample_message();
  message.message_id = "a@b.vn>\r\nBcc: x@example.com";
  EXPECT_TRUE(fails_with(compose(message), ErrorCode::invalid_input));
  message = sample_message();
  message.from_name = "UBND, \"xã\" <giả@mạo>";  // encoded whole: no comma or bracket reaches the header
  text = compose(message);
  ASSERT_TRUE(is_ok(text));
  const auto from_line = text->substr(text->find("From: "), text->find("\r\nTo:") - text->find("From: "));
  EXPECT_EQ(from_line.find(','), std::string::npos) << from_line;
  EXPECT_EQ(from_line.find('<'), from_line.rfind('<')) << from_line;
}

TEST(MailMessageTest, SenderIsAnAddressOrANameWithAnAddress) {
  auto plain = parse_sender("noreply@dvc.soctrang.gov.vn");
  ASSERT_TRUE(is_ok(plain));
  EXPECT_EQ(plain->address, "noreply@dvc.soctrang.gov.vn");
  EXPECT_EQ(plain->name, "");
  auto named = parse_sender("UBND tỉnh Sóc Trăng <noreply@dvc.soctrang.gov.vn>");
  ASSERT_TRUE(is_ok(named));
  EXPECT_EQ(named->name, "UBND tỉnh Sóc Trăng");
  EXPECT_EQ(named->address, "noreply@dvc.soctrang.gov.vn");
  EXPECT_TRUE(fails_with(parse_sender("noreply"), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(parse_sender("a <noreply@x.vn>\r\nBcc: y@x.vn"), ErrorCode::invalid_input));
}

class NotificationTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    auto created = NotificationService::create(database(), clock, {"Cổng DVC <noreply@dvc.soctrang.gov.vn>",
                                                                   "https://dvc.soctrang.gov.vn/"},
                                               DeliveryPolicy{3, seconds(60), seconds(600), seconds(300), 50});
    ASSERT_TRUE(is_ok(created));
    service = std::make_unique<NotificationService>(std::move(*created));
    auto connection = acquire();
    auto unit = connection->query_one(
        "INSERT INTO units (code, kind, valid_from, created_at) VALUES ('XA', 'commune', '2025-01-01', 0) RETURNING id");
    ASSERT_TRUE(is_ok(unit));
    unit_id = (**unit).integer(0);
    officer = dvchub::testing::insert_staff_account(database(), "canbo", "officer", unit_id, "canbo@soctrang.gov.vn");
    quiet_officer = dvchub::testing::insert_staff_account(database(), "canbo2", "officer", unit_id, "");
    coordinator = dvchub::testing::insert_staff_account(database(), "dieuphoi", "coordinator", std::nullopt,
                                                        "dieuphoi@soctrang.gov.vn");
  }
  void TearDown() override {
    service.reset();
    BackendTest::TearDown();
  }

  Result<int> notify_in_transaction(const std::vector<std::int64_t>& users, const Notice& notice) {
    auto connection = acquire();
    int added = 0;
    auto done = storage::in_transaction(*connection, [&]() -> Result<void> {
      added = DVCHUB_TRY(notify(*connection, clock.now(), users, notice));
      return {};
    });
    if (!done) return tl::unexpected(done.error());
    return added;
  }

  std::int64_t count(const std::string& sql) { return (*acquire()->query_one(sql))->integer(0); }

  Notice escalation() { return Notice{"feedback/7/escalation/1757523599", vietnamese_subject, vietnamese_text, "/quan-tri/phan-anh/7"}; }

  ManualClock clock{sys_days(year(2025) / 9 / 11) + hours(2)};
  std::unique_ptr<NotificationService> service;
  std::int64_t unit_id = 0;
  std::int64_t officer = 0;
  std::int64_t quiet_officer = 0;
  std::int64_t coordinator = 0;
};

TEST_P(NotificationTest, ANoticeIsQueuedOncePerAccountAndEMailedOnlyWhereThereIsAnAddress) {
  auto recipients = officers_or_coordinators(*acquire(), unit_id);
  ASSERT_TRUE(is_ok(recipients));
  EXPECT_EQ(*recipients, (std::vector<std::int64_t>{officer, quiet_officer}));
  auto nobody_there = officers_or_coordinators(*acquire(), std::nullopt);
  ASSERT_TRUE(is_ok(nobody_there));
  EXPECT_EQ(*nobody_there, std::vector<std::int64_t>{coordinator});

  auto added = notify_in_transaction(*recipients, escalation());
  ASSERT_TRUE(is_ok(added));
  EXPECT_EQ(*added, 2);
  auto again = notify_in_transaction({officer, quiet_officer, coordinator}, escalation());
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(*again, 1);  // only the coordinator is new
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox"), 2);  // canbo2 has no address
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE status = 'pending' AND attempts = 0"), 2);

  // Rolled back with its event, a notice leaves nothing behind.
  auto connection = acquire();
  auto rolled_back = storage::in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(notify(*connection, clock.now(), {officer}, Notice{"plan-report/1/2/reminder", "Nhắc hạn", "", ""}));
    return fail(ErrorCode::conflict, "the event failed");
  });
  EXPECT_FALSE(rolled_back);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), 3);

  EXPECT_TRUE(fails_with(notify_in_transaction({officer}, Notice{"", "Tiêu đề", "", ""}), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(notify_in_transaction({officer}, Notice{"k", "Tiêu đề", "", "https://evil.example"}),
                         ErrorCode::invalid_input));
  for (const char* link : {"//evil.example", "/\\evil.example", "/a b", "/a\r\nb", "javascript:alert(1)"}) {
    EXPECT_TRUE(fails_with(notify_in_transaction({officer}, Notice{"k", "Tiêu đề", "", link}), ErrorCode::invalid_input))
        << link;
  }
}

TEST_P(NotificationTest, EachAccountSeesOnlyItsOwnListUnreadFirst) {
  ASSERT_TRUE(is_ok(notify_in_transaction({officer, coordinator}, Notice{"a", "Thứ nhất", "", ""})));
  clock.advance(minutes(1));
  ASSERT_TRUE(is_ok(notify_in_transaction({officer}, Notice{"b", "Thứ hai", "", ""})));
  clock.advance(minutes(1));
  ASSERT_TRUE(is_ok(notify_in_transaction({officer}, Notice{"c", "Thứ ba\r\nBcc: x", "", ""})));
  auto list = service->notifications_of(officer);
  ASSERT_TRUE(is_ok(list));
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->front().title, "Thứ ba  Bcc: x");  // one line
  EXPECT_EQ(*service->unread_count(officer), 3);
  const std::int64_t first = list->back().id;
  auto coordinator_list = service->notifications_of(coordinator);
  ASSERT_TRUE(is_ok(coordinator_list));
  ASSERT_EQ(coordinator_list->size(), 1u);
  // Someone else's entry is not found for the officer, and stays unread.
  EXPECT_TRUE(fails_with(service->mark_read(officer, coordinator_list->front().id), ErrorCode::not_found));
  EXPECT_EQ(*service->unread_count(coordinator), 1);
  ASSERT_TRUE(is_ok(service->mark_read(officer, list->front().id)));
  list = service->notifications_of(officer);
  ASSERT_TRUE(is_ok(list));
  EXPECT_EQ((*list)[0].title, "Thứ hai");  // unread, newest first, then the read one
  EXPECT_EQ((*list)[1].id, first);
  EXPECT_TRUE((*list)[2].read_at.has_value());
  EXPECT_EQ(*service->unread_count(officer), 2);
  EXPECT_EQ(*service->mark_all_read(officer), 2);
  EXPECT_EQ(*service->unread_count(officer), 0);
  EXPECT_EQ(*service->unread_count(coordinator), 1);
}

TEST_P(NotificationTest, DeliversVietnameseMailThroughARealRelay) {
  ASSERT_TRUE(is_ok(notify_in_transaction({officer, coordinator}, escalation())));
  dvchub::testing::SmtpServer relay(dvchub::testing::free_port());
  ASSERT_TRUE(relay.started()) << "python3-aiosmtpd is needed (scripts/install-dependencies.sh test)";
  SmtpTransport transport(SmtpSettings{relay.url()});
  auto report = service->deliver_due(transport);
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->sent, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE status = 'sent' AND attempts = 1"), 2);
  auto mails = relay.messages();
  ASSERT_EQ(mails.size(), 2u);
  std::map<std::string, dvchub::testing::ReceivedMail> by_recipient;
  for (const auto& mail : mails) by_recipient[mail.envelope_recipient] = mail;
  ASSERT_EQ(by_recipient.count("dieuphoi@soctrang.gov.vn"), 1u);
  const auto& mail = by_recipient["dieuphoi@soctrang.gov.vn"];
  EXPECT_EQ(mail.to, "dieuphoi@soctrang.gov.vn");
  EXPECT_EQ(mail.subject, vietnamese_subject);
  EXPECT_EQ(mail.from, "Cổng DVC <noreply@dvc.soctrang.gov.vn>");
  EXPECT_EQ(mail.body, vietnamese_text + "\n\nhttps://dvc.soctrang.gov.vn/quan-tri/phan-anh/7");
  EXPECT_EQ(mail.date, "Thu, 11 Sep 2025 09:00:00 +0700");
  EXPECT_EQ(mail.message_id.rfind("<outbox-", 0), 0u) << mail.message_id;
  EXPECT_EQ(by_recipient["canbo@soctrang.gov.vn"].subject, vietnamese_subject);
  // Sent once: nothing is due any more.
  EXPECT_EQ(service->deliver_due(transport)->sent, 0);
  EXPECT_EQ(relay.messages().size(), 2u);
}

TEST_P(NotificationTest, ARelayThatIsDownLeavesMessagesPendingUntilItComesBack) {
  ASSERT_TRUE(is_ok(notify_in_transaction({officer, coordinator}, escalation())));
  const unsigned short port = dvchub::testing::free_port();
  SmtpTransport transport(SmtpSettings{"smtp://127.0.0.1:" + std::to_string(port), seconds(5), seconds(10)});
  auto report = service->deliver_due(transport);  // nothing listens
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->sent, 0);
  EXPECT_EQ(report->postponed, 2);
  auto pending = service->outbox("pending");
  ASSERT_TRUE(is_ok(pending));
  ASSERT_EQ(pending->size(), 2u);
  for (const auto& message : *pending) {
    EXPECT_EQ(message.attempts, 1);
    EXPECT_NE(message.last_error.find("Chưa gửi được thư"), std::string::npos) << message.last_error;
    EXPECT_EQ(message.next_attempt_at, clock.now() + seconds(60));  // first retry after a minute
  }
  EXPECT_EQ(service->deliver_due(transport)->postponed, 0);  // not due yet
  clock.advance(seconds(61));
  EXPECT_EQ(service->deliver_due(transport)->postponed, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE attempts = 2 AND status = 'pending' AND "
                  "next_attempt_at = " + std::to_string(to_unix_seconds(clock.now()) + 120)),
            2);  // then two minutes: exponential backoff

  dvchub::testing::SmtpServer relay(port);
  ASSERT_TRUE(relay.started());
  EXPECT_EQ(service->deliver_due(transport)->sent, 0);  // still waiting for its next attempt
  clock.advance(seconds(121));
  report = service->deliver_due(transport);
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->sent, 2);
  EXPECT_EQ(relay.messages().size(), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE status = 'sent' AND attempts = 3 AND last_error = ''"), 2);
}

TEST_P(NotificationTest, AfterTheLastAttemptAMessageFailsUntilAnAdministratorRetriesIt) {
  ASSERT_TRUE(is_ok(notify_in_transaction({coordinator}, escalation())));
  const unsigned short port = dvchub::testing::free_port();
  SmtpTransport transport(SmtpSettings{"smtp://127.0.0.1:" + std::to_string(port), seconds(5), seconds(10)});
  for (int attempt = 1; attempt <= 3; ++attempt) {  // the test policy allows three attempts
    auto report = service->deliver_due(transport);
    ASSERT_TRUE(is_ok(report));
    EXPECT_EQ(report->failed, attempt == 3 ? 1 : 0);
    clock.advance(seconds(600));
  }
  auto failed = service->outbox("failed");
  ASSERT_TRUE(is_ok(failed));
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ(failed->front().attempts, 3);
  EXPECT_EQ(failed->front().recipient, "dieuphoi@soctrang.gov.vn");
  EXPECT_EQ(service->outbox("")->size(), 1u);  // the administrators' default view shows it
  EXPECT_EQ(service->deliver_due(transport)->failed, 0);  // failed messages are not tried again by themselves

  dvchub::testing::SmtpServer relay(port);
  ASSERT_TRUE(relay.started());
  ASSERT_TRUE(is_ok(service->retry_now(failed->front().id, audit::Actor::system("test"))));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'notification.retry'"), 1);
  EXPECT_EQ(service->deliver_due(transport)->sent, 1);
  EXPECT_EQ(relay.messages().size(), 1u);
  EXPECT_TRUE(fails_with(service->retry_now(failed->front().id, audit::Actor::system("test")), ErrorCode::conflict));
  EXPECT_TRUE(fails_with(service->retry_now(999999, audit::Actor::system("test")), ErrorCode::not_found));
  EXPECT_TRUE(fails_with(service->outbox("drop table"), ErrorCode::invalid_input));
}

TEST_P(NotificationTest, AMessageTheRelayRefusesForGoodFailsAtOnce) {
  ASSERT_TRUE(is_ok(notify_in_transaction({coordinator}, escalation())));
  // The address was valid when queued; one that no longer is (edited in the store) is refused before any relay.
  ASSERT_TRUE(is_ok(acquire()->execute("UPDATE notification_outbox SET recipient = 'not-an-address'")));
  SmtpTransport transport(SmtpSettings{"smtp://127.0.0.1:" + std::to_string(dvchub::testing::free_port())});
  auto report = service->deliver_due(transport);
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->failed, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE status = 'failed' AND attempts = 1"), 1);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(NotificationTest);

}  // namespace
}  // namespace dvchub::notification
