#include <gtest/gtest.h>

#include "calendar/working_calendar.h"
#include "core/dates.h"
#include "feedback/feedback_generator.h"
#include "feedback/feedback_service.h"
#include "feedback/public_text.h"
#include "support/staff_accounts.h"
#include "support/test_database.h"
#include "units/demo_units.h"

namespace dvchub::feedback {
namespace {

using namespace std::chrono;
using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

TimePoint vietnam_time(int year, unsigned month, unsigned day, int hour) {
  return TimePoint(sys_days(std::chrono::year(year) / month / day).time_since_epoch() + hours(hour) -
                   vietnam_utc_offset);
}

TEST(PublicTextTest, MasksDossierCodesNamesAndContactDetails) {
  EXPECT_EQ(mask_dossier_codes("Hồ sơ 000.00.20.H52-250403-0001 chưa có kết quả."), "Hồ sơ *** chưa có kết quả.");
  EXPECT_EQ(mask_dossier_codes("mã H52.99-250101-0012, xong"), "mã ***, xong");
  EXPECT_EQ(mask_dossier_codes("ngày 03-04-2025 và thủ tục 1.001193"), "ngày 03-04-2025 và thủ tục 1.001193");
  const std::string text = public_text(
      "Tôi là Trần Thị Bích, CCCD 079123456789, gọi 0912 345 678 hoặc bich@example.com. Bà Bích cần hồ sơ "
      "000.00.20.H52-250403-0001.",
      "Bích");
  EXPECT_EQ(text.find("Trần"), std::string::npos) << text;
  EXPECT_EQ(text.find("Bích"), std::string::npos) << text;
  EXPECT_EQ(text.find("079123456789"), std::string::npos) << text;
  EXPECT_EQ(text.find("345"), std::string::npos) << text;
  EXPECT_EQ(text.find("example.com"), std::string::npos) << text;
  EXPECT_EQ(text.find("250403"), std::string::npos) << text;
  EXPECT_NE(text.find("cần hồ sơ"), std::string::npos) << text;
  EXPECT_EQ(public_text("UBND xã đã trả lời ông Đỗ Minh Khoa và chị Mai.", ""), "UBND xã đã trả lời ông *** và chị ***.");
  EXPECT_EQ(public_text("Hỏi về khoai lang và em bé", ""), "Hỏi về khoai lang và em bé");
}

TEST(TrackingCodeTest, ShortReadableAndRandom) {
  const std::string first = random_tracking_code();
  ASSERT_EQ(first.size(), 8u);
  EXPECT_EQ(first.find_first_not_of("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), std::string::npos);
  EXPECT_NE(first, random_tracking_code());
  EXPECT_EQ(canonical_tracking_code("k7qm-3xpa"), "K7QM3XPA");
  EXPECT_EQ(display_tracking_code("K7QM3XPA"), "K7QM-3XPA");
}

http::Principal staff(std::int64_t user_id, const std::string& role, std::optional<std::int64_t> unit_id = {}) {
  http::Principal principal;
  principal.user_id = user_id;
  principal.username = role + std::to_string(user_id);
  principal.role = role;
  principal.unit_id = unit_id;
  return principal;
}

audit::Actor actor_for(const http::Principal& principal) {
  return audit::Actor{principal.user_id, principal.username, {}, {}};
}

class FeedbackServiceTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    units = std::make_unique<units::UnitService>(database(), clock);
    ASSERT_TRUE(is_ok(units::seed_demo_units(*units, audit::Actor::system("test"))));
    calendar = std::make_unique<calendar::WorkingCalendar>(database(), clock);
    ASSERT_TRUE(is_ok(calendar->seed_statutory_holidays(2025, 2026, audit::Actor::system("test"))));
    service = std::make_unique<FeedbackService>(database(), *units, *calendar, clock);
  }
  void TearDown() override {
    service.reset();
    calendar.reset();
    units.reset();
    BackendTest::TearDown();
  }

  std::int64_t unit_id(const std::string& code) { return units->find(code, units->today())->id; }

  Submission valid_submission() {
    Submission submission;
    submission.kind = "complaint";
    submission.subject = "procedure";
    submission.title = "Hồ sơ cấp giấy khai sinh trễ hẹn";
    submission.body = "Tôi là Lê Văn Tám, nộp hồ sơ 000.00.20.H52-250820-0042 ngày 20/8, gọi 0912345678, "
                      "đến nay chưa nhận kết quả.";
    submission.unit_code = "MH-XA-2";
    submission.contact_name = "Lê Văn Tám";
    submission.contact_phone = "0912345678";
    submission.consent_publish = true;
    return submission;
  }

  std::int64_t count(const std::string& sql) { return (*acquire()->query_one(sql))->integer(0); }

  // Monday 08/09/2025, 09:00: after 2/9, with the illustrative merged communes in force.
  ManualClock clock{vietnam_time(2025, 9, 8, 9)};
  std::unique_ptr<units::UnitService> units;
  std::unique_ptr<calendar::WorkingCalendar> calendar;
  std::unique_ptr<FeedbackService> service;
};

TEST_P(FeedbackServiceTest, RejectsBadInputFieldByFieldAndStoresNothing) {
  Submission submission;
  submission.kind = "praise";
  submission.title = "   ";
  submission.body = std::string(4001, 'a');
  submission.unit_code = "NO-SUCH-UNIT";
  submission.contact_email = "not-an-address";
  auto receipt = service->submit(submission, audit::Actor::system("citizen"));
  ASSERT_TRUE(fails_with(receipt, ErrorCode::invalid_input));
  std::vector<std::string> fields;
  for (const auto& field : receipt.error().fields) fields.push_back(field.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"kind", "subject", "title", "body", "contact.email", "unit_code"}));
  submission = valid_submission();
  submission.body = "\xC3\x28 hỏng";
  EXPECT_TRUE(fails_with(service->submit(submission, audit::Actor::system("citizen")), ErrorCode::invalid_input));
  submission.body = std::string(3999, 'a') + "ệ";  // 4,000 characters, more bytes: accepted
  EXPECT_TRUE(is_ok(service->submit(submission, audit::Actor::system("citizen"))));
  EXPECT_EQ(count("SELECT COUNT(*) FROM feedback_items"), 1);
}

TEST_P(FeedbackServiceTest, SubmissionIsTrackedWithMaskedTextAndWorkingDayDeadline) {
  auto receipt = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(receipt));
  EXPECT_EQ(receipt->status, "received");
  EXPECT_EQ(format_iso_instant(receipt->due_at), "2025-09-10T23:59:59+07:00");  // 2 working days after Monday
  auto tracked = service->track(display_tracking_code(receipt->tracking_code));
  ASSERT_TRUE(is_ok(tracked));
  EXPECT_EQ(tracked->status, "received");
  EXPECT_TRUE(tracked->contact_name.empty());
  EXPECT_TRUE(tracked->contact_phone.empty());
  EXPECT_EQ(tracked->body.find("Tám"), std::string::npos) << tracked->body;
  EXPECT_EQ(tracked->body.find("0912345678"), std::string::npos) << tracked->body;
  EXPECT_EQ(tracked->body.find("250820"), std::string::npos) << tracked->body;
  ASSERT_EQ(tracked->events.size(), 1u);
  EXPECT_EQ(tracked->events[0].step, "received");
  EXPECT_TRUE(fails_with(service->track("ZZZZZZZZ"), ErrorCode::not_found));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.submit'"), 1);
}

TEST_P(FeedbackServiceTest, DrawsAnotherCodeWhenOneIsTaken) {
  int calls = 0;
  FeedbackService fixed(database(), *units, *calendar, clock, [&calls] { return ++calls <= 2 ? "AAAAAAAA" : "BBBBBBBB"; });
  auto first = fixed.submit(valid_submission(), audit::Actor::system("citizen"));
  auto second = fixed.submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(first));
  ASSERT_TRUE(is_ok(second));
  EXPECT_EQ(first->tracking_code, "AAAAAAAA");
  EXPECT_EQ(second->tracking_code, "BBBBBBBB");
  EXPECT_EQ(count("SELECT COUNT(*) FROM feedback_items"), 2);
}

TEST_P(FeedbackServiceTest, WorkflowRespectsUnitsStatusesAndFourEyes) {
  auto receipt = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(receipt));
  const auto coordinator = staff(1, "coordinator");
  const auto other_commune = staff(2, "officer", unit_id("MH-XA-1"));
  const auto drafter = staff(3, "officer", unit_id("MH-XA-2"));
  const auto head = staff(4, "officer", unit_id("MH-XA-2"));

  auto foreign_queue = service->queue(other_commune, {});
  ASSERT_TRUE(is_ok(foreign_queue));
  EXPECT_TRUE(foreign_queue->empty());
  EXPECT_TRUE(fails_with(service->item(receipt->id, other_commune), ErrorCode::forbidden));
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::classify, "", ""}, other_commune,
                                            actor_for(other_commune)),
                         ErrorCode::forbidden));
  auto own_queue = service->queue(drafter, {});
  ASSERT_TRUE(is_ok(own_queue));
  ASSERT_EQ(own_queue->size(), 1u);
  EXPECT_EQ(own_queue->front().contact_phone, "0912345678");  // staff see the contact

  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::draft, "", "Trả lời"}, drafter, actor_for(drafter)),
                         ErrorCode::conflict));  // not classified yet
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::reject, "", ""}, coordinator, actor_for(coordinator)),
                         ErrorCode::invalid_input));  // a rejection needs a reason

  clock.advance(hours(2));
  auto classified =
      service->take_step(receipt->id, {Step::classify, "MH-XA-2", ""}, coordinator, actor_for(coordinator));
  ASSERT_TRUE(is_ok(classified));
  EXPECT_EQ(classified->status, "assigned");
  ASSERT_TRUE(classified->answer_due_at);
  EXPECT_EQ(format_iso_instant(*classified->answer_due_at), "2025-09-29T23:59:59+07:00");  // 15 working days

  auto drafted = service->take_step(receipt->id, {Step::draft, "", "UBND xã đã trả kết quả ngày 09/9/2025; "
                                                                  "xin lỗi ông Lê Văn Tám (0912345678)."},
                                    drafter, actor_for(drafter));
  ASSERT_TRUE(is_ok(drafted));
  EXPECT_EQ(drafted->status, "drafted");
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::approve, "", ""}, drafter, actor_for(drafter)),
                         ErrorCode::conflict));
  auto tracked = service->track(receipt->tracking_code);
  ASSERT_TRUE(is_ok(tracked));
  EXPECT_TRUE(tracked->answer.empty());  // a draft is never public
  auto approved = service->take_step(receipt->id, {Step::approve, "", ""}, head, actor_for(head));
  ASSERT_TRUE(is_ok(approved));
  ASSERT_TRUE(approved->answered_on_time);
  EXPECT_TRUE(*approved->answered_on_time);
  auto published = service->take_step(receipt->id, {Step::publish, "", ""}, head, actor_for(head));
  ASSERT_TRUE(is_ok(published));
  EXPECT_EQ(published->status, "published");

  tracked = service->track(receipt->tracking_code);
  ASSERT_TRUE(is_ok(tracked));
  EXPECT_NE(tracked->answer.find("đã trả kết quả"), std::string::npos);
  EXPECT_EQ(tracked->answer.find("Tám"), std::string::npos) << tracked->answer;
  EXPECT_EQ(tracked->answer.find("0912345678"), std::string::npos) << tracked->answer;
  std::vector<std::string> steps;
  for (const auto& event : tracked->events) steps.push_back(event.step);
  EXPECT_EQ(steps, (std::vector<std::string>{"received", "classified", "assigned", "published"}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'feedback'"), 5);

  auto found = service->published({"tre hen KHAI sinh", "MH-XA-2", 1});
  ASSERT_TRUE(is_ok(found));
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items.front().unit_name, "Xã Long Hưng (minh họa)");
  EXPECT_EQ(found->items.front().body.find("0912345678"), std::string::npos);
  auto none = service->published({"0912345678", "", 1});  // search never finds masked data
  ASSERT_TRUE(is_ok(none));
  EXPECT_EQ(none->total, 0);
}

TEST_P(FeedbackServiceTest, DissatisfactionReopensAndStatisticsCountIt) {
  auto receipt = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(receipt));
  const auto coordinator = staff(1, "coordinator");
  for (auto step : {StepRequest{Step::classify, "MH-XA-2", ""}, StepRequest{Step::draft, "", "Đã xử lý."},
                    StepRequest{Step::approve, "", ""}, StepRequest{Step::publish, "", ""}}) {
    ASSERT_TRUE(is_ok(service->take_step(receipt->id, step, coordinator, actor_for(coordinator))));
  }
  EXPECT_TRUE(fails_with(service->rate(receipt->tracking_code, false, "", audit::Actor::system("citizen")),
                         ErrorCode::invalid_input));
  auto rated = service->rate(receipt->tracking_code, false, "Chưa nhận được giấy tờ", audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(rated));
  EXPECT_EQ(rated->status, "assigned");
  EXPECT_EQ(rated->events.back().step, "reopened");
  EXPECT_EQ(rated->events.back().note, "Chưa nhận được giấy tờ");
  EXPECT_TRUE(fails_with(service->rate(receipt->tracking_code, true, "", audit::Actor::system("citizen")),
                         ErrorCode::conflict));

  auto second = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(second));
  clock.advance(days(7));  // the second item's classification deadline (2 working days) has passed
  auto statistics = service->statistics("MH-XA-2", std::chrono::year(2025) / 9 / 1, std::chrono::year(2025) / 9 / 30);
  ASSERT_TRUE(is_ok(statistics));
  EXPECT_EQ(statistics->overdue, 0);  // counted once the escalation task has flagged it
  auto escalated = service->escalate_overdue(audit::Actor::system("escalation"));
  ASSERT_TRUE(is_ok(escalated));
  EXPECT_EQ(*escalated, 1);
  statistics = service->statistics("MH-XA-2", std::chrono::year(2025) / 9 / 1, std::chrono::year(2025) / 9 / 30);
  ASSERT_TRUE(is_ok(statistics));
  EXPECT_EQ(statistics->received, 2);
  EXPECT_EQ(statistics->answered, 1);
  EXPECT_EQ(statistics->answered_on_time, 1);
  EXPECT_EQ(statistics->published, 1);
  EXPECT_EQ(statistics->overdue, 1);
  EXPECT_EQ(statistics->ratings, 1);
  EXPECT_EQ(statistics->satisfied, 0);
  ASSERT_TRUE(statistics->average_working_days_to_answer);
  EXPECT_DOUBLE_EQ(*statistics->average_working_days_to_answer, 0.0);
  auto elsewhere = service->statistics("MH-XA-1", std::chrono::year(2025) / 9 / 1, std::chrono::year(2025) / 9 / 30);
  ASSERT_TRUE(is_ok(elsewhere));
  EXPECT_EQ(elsewhere->received, 0);
  auto overdue = service->queue(coordinator, {"", "", true, 50});
  ASSERT_TRUE(is_ok(overdue));
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ(overdue->front().id, second->id);
  EXPECT_TRUE(overdue->front().overdue);

  escalated = service->escalate_overdue(audit::Actor::system("escalation"));  // once per deadline
  ASSERT_TRUE(is_ok(escalated));
  EXPECT_EQ(*escalated, 0);
  auto history = service->item(second->id, coordinator);
  ASSERT_TRUE(is_ok(history));
  EXPECT_EQ(history->events.back().step, "escalated");
  EXPECT_EQ(service->track(second->tracking_code)->events.size(), 1u);  // internal: not on the public page
  // Classified late, the item gets a new (answer) deadline; missing that one escalates it again.
  ASSERT_TRUE(is_ok(service->take_step(second->id, {Step::classify, "MH-XA-2", ""}, coordinator, actor_for(coordinator))));
  escalated = service->escalate_overdue(audit::Actor::system("escalation"));
  ASSERT_TRUE(is_ok(escalated));
  EXPECT_EQ(*escalated, 0);
  EXPECT_EQ(service->statistics("MH-XA-2", std::chrono::year(2025) / 9 / 1, std::chrono::year(2025) / 9 / 30)->overdue,
            0);  // a new deadline: no longer overdue
  clock.advance(days(30));
  escalated = service->escalate_overdue(audit::Actor::system("escalation"));
  ASSERT_TRUE(is_ok(escalated));
  EXPECT_EQ(*escalated, 2);  // the re-opened first item missed its new answer deadline too
  EXPECT_EQ(service->statistics("MH-XA-2", std::chrono::year(2025) / 9 / 1, std::chrono::year(2025) / 9 / 30)->overdue,
            2);
}

TEST_P(FeedbackServiceTest, SuggestsSimilarPublishedAnswersOnly) {
  const auto coordinator = staff(1, "coordinator");
  auto publish = [&](const std::string& title, const std::string& body, bool consent) {
    Submission submission = valid_submission();
    submission.title = title;
    submission.body = body;
    submission.consent_publish = consent;
    auto receipt = service->submit(submission, audit::Actor::system("citizen"));
    EXPECT_TRUE(is_ok(receipt));
    for (auto step : {StepRequest{Step::classify, "MH-XA-2", ""}, StepRequest{Step::draft, "", "Trả lời."},
                      StepRequest{Step::approve, "", ""}, StepRequest{Step::publish, "", ""}}) {
      EXPECT_TRUE(is_ok(service->take_step(receipt->id, step, coordinator, actor_for(coordinator))));
    }
    return receipt->tracking_code;
  };
  const auto vneid = publish("Không đăng nhập được VNeID trên cổng dịch vụ công", "Báo lỗi khi đăng nhập.", true);
  const auto birth = publish("Đăng ký khai sinh trực tuyến", "Cần giấy tờ gì để đăng ký khai sinh?", true);
  publish("Đăng nhập VNeID bị lỗi", "Không đăng nhập được.", false);  // not published: never suggested
  auto unpublished = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(unpublished));

  auto found = service->similar("khong dang nhap duoc vneid");
  ASSERT_TRUE(is_ok(found));
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().tracking_code, vneid);
  found = service->similar("Tôi muốn đăng ký khai sinh cho con");
  ASSERT_TRUE(is_ok(found));
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().tracking_code, birth);
  found = service->similar("tôi là ai");  // only function words
  ASSERT_TRUE(is_ok(found));
  EXPECT_TRUE(found->empty());
}

TEST_P(FeedbackServiceTest, PrivateNotesAndOneExtensionWithAPublicReason) {
  auto receipt = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(receipt));
  const auto coordinator = staff(1, "coordinator");
  const auto officer = staff(3, "officer", unit_id("MH-XA-2"));
  const auto other_commune = staff(2, "officer", unit_id("MH-XA-1"));
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::extend, "", "Cần xác minh"}, coordinator,
                                            actor_for(coordinator)),
                         ErrorCode::conflict));  // nothing to extend before classification
  ASSERT_TRUE(is_ok(service->take_step(receipt->id, {Step::classify, "MH-XA-2", ""}, coordinator, actor_for(coordinator))));
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::note, "", "  "}, officer, actor_for(officer)),
                         ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::note, "", "Gọi lại"}, other_commune,
                                            actor_for(other_commune)),
                         ErrorCode::forbidden));
  auto noted = service->take_step(receipt->id, {Step::note, "", "Đã gọi điện cho người dân, hẹn thứ Sáu"}, officer,
                                  actor_for(officer));
  ASSERT_TRUE(is_ok(noted));
  EXPECT_EQ(noted->status, "assigned");  // a note changes nothing else
  EXPECT_EQ(noted->events.back().step, "noted");
  EXPECT_FALSE(noted->events.back().is_public);

  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::extend, "", ""}, officer, actor_for(officer)),
                         ErrorCode::invalid_input));  // an extension needs a reason
  auto extended = service->take_step(receipt->id, {Step::extend, "", "Cần xác minh tại Chi nhánh Văn phòng đăng ký đất đai"},
                                     officer, actor_for(officer));
  ASSERT_TRUE(is_ok(extended));
  EXPECT_TRUE(extended->extended);
  // 29/09 + 15 working days = 20/10/2025 (no holiday in between).
  ASSERT_TRUE(extended->answer_due_at);
  EXPECT_EQ(format_iso_instant(*extended->answer_due_at), "2025-10-20T23:59:59+07:00");
  EXPECT_EQ(extended->due_at, *extended->answer_due_at);
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::extend, "", "Lần nữa"}, officer, actor_for(officer)),
                         ErrorCode::conflict));  // once only

  auto tracked = service->track(receipt->tracking_code);
  ASSERT_TRUE(is_ok(tracked));
  std::vector<std::string> steps;
  for (const auto& event : tracked->events) steps.push_back(event.step);
  EXPECT_EQ(steps, (std::vector<std::string>{"received", "classified", "assigned", "extended"}));  // no note
  EXPECT_NE(tracked->events.back().note.find("Văn phòng đăng ký đất đai"), std::string::npos);
  EXPECT_NE(tracked->events.back().note.find("20/10/2025"), std::string::npos);

  // Answering after the first deadline but within the extension is on time.
  clock.advance(hours(24 * 25));
  ASSERT_TRUE(is_ok(service->take_step(receipt->id, {Step::draft, "", "Đã xác minh xong."}, officer, actor_for(officer))));
  auto approved = service->take_step(receipt->id, {Step::approve, "", ""}, coordinator, actor_for(coordinator));
  ASSERT_TRUE(is_ok(approved));
  EXPECT_TRUE(approved->answered_on_time.value_or(false));
}

TEST_P(FeedbackServiceTest, DeadlinesFollowTheMostSpecificRuleOfKindAndSubject) {
  DeadlineRuleService& rules = service->deadline_rules();
  const auto admin = audit::Actor::system("admin");
  auto refused = rules.set({"praise", "", {0, 31, 6, -1}, {}, {}}, admin);
  ASSERT_TRUE(fails_with(refused, ErrorCode::invalid_input));
  EXPECT_EQ(refused.error().fields.size(), 5u);  // kind, classify, answer, publish, extension
  EXPECT_TRUE(fails_with(rules.set({"", "", {2, 15, 2, 15}, {}, {}}, admin), ErrorCode::invalid_input));
  // Complaints about an official's conduct: faster, no extension; complaints in general: 12 days; anything about
  // the online service itself: classified within 1 day.
  ASSERT_TRUE(is_ok(rules.set({"complaint", "conduct", {2, 10, 2, 0}, {}, {}}, admin)));
  ASSERT_TRUE(is_ok(rules.set({"complaint", "", {2, 12, 2, 15}, {}, {}}, admin)));
  ASSERT_TRUE(is_ok(rules.set({"", "technical", {1, 15, 2, 15}, {}, {}}, admin)));
  EXPECT_EQ(rules.deadlines_for("complaint", "conduct")->answer, 10);
  EXPECT_EQ(rules.deadlines_for("complaint", "technical")->answer, 12);  // the kind's rule beats the subject's
  EXPECT_EQ(rules.deadlines_for("complaint", "technical")->classify, 2);
  EXPECT_EQ(rules.deadlines_for("question", "technical")->classify, 1);
  EXPECT_EQ(rules.deadlines_for("question", "procedure")->answer, 15);  // defaults

  Submission conduct = valid_submission();
  conduct.subject = "conduct";
  auto receipt = service->submit(conduct, audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(receipt));
  const auto coordinator = staff(1, "coordinator");
  auto classified = service->take_step(receipt->id, {Step::classify, "MH-XA-2", ""}, coordinator, actor_for(coordinator));
  ASSERT_TRUE(is_ok(classified));
  // Monday 08/09/2025 + 10 working days = Monday 22/09.
  EXPECT_EQ(format_iso_instant(*classified->answer_due_at), "2025-09-22T23:59:59+07:00");
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::extend, "", "Cần xác minh"}, coordinator,
                                            actor_for(coordinator)),
                         ErrorCode::conflict));

  Submission technical = valid_submission();
  technical.kind = "question";
  technical.subject = "technical";
  auto technical_receipt = service->submit(technical, audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(technical_receipt));
  EXPECT_EQ(format_iso_instant(technical_receipt->due_at), "2025-09-09T23:59:59+07:00");

  // Removing the pair's rule falls back to the kind's, for items classified afterwards.
  ASSERT_TRUE(is_ok(rules.remove("complaint", "conduct", admin)));
  EXPECT_TRUE(fails_with(rules.remove("complaint", "conduct", admin), ErrorCode::not_found));
  auto second = service->submit(conduct, audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(second));
  auto second_classified = service->take_step(second->id, {Step::classify, "MH-XA-2", ""}, coordinator, actor_for(coordinator));
  ASSERT_TRUE(is_ok(second_classified));
  EXPECT_EQ(format_iso_instant(*second_classified->answer_due_at), "2025-09-24T23:59:59+07:00");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'feedback_deadline'"), 4);
  // Another service on the same store reads the rules that were saved.
  FeedbackService restarted(database(), *units, *calendar, clock);
  EXPECT_EQ(restarted.deadline_rules().deadlines_for("complaint", "conduct")->answer, 12);
  EXPECT_EQ(restarted.deadline_rules().rules()->size(), 2u);
}

TEST_P(FeedbackServiceTest, ThreeAbuseReportsHideAnAnswerUntilAModeratorDecides) {
  auto receipt = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(receipt));
  const auto coordinator = staff(1, "coordinator");
  const auto officer = staff(3, "officer", unit_id("MH-XA-2"));
  EXPECT_TRUE(fails_with(service->report_abuse(receipt->tracking_code, "Lộ số điện thoại", "10.0.0.1", {}),
                         ErrorCode::conflict));  // not published yet
  for (Step step : {Step::classify, Step::draft, Step::approve, Step::publish}) {
    ASSERT_TRUE(is_ok(service->take_step(receipt->id, {step, step == Step::classify ? "MH-XA-2" : "",
                                                       step == Step::draft ? "Đã trả kết quả." : ""},
                                         coordinator, actor_for(coordinator))));
  }
  EXPECT_TRUE(fails_with(service->report_abuse(receipt->tracking_code, "", "10.0.0.1", {}), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(service->report_abuse("ZZZZZZZZ", "Sai", "10.0.0.1", {}), ErrorCode::not_found));
  EXPECT_EQ(*service->report_abuse(receipt->tracking_code, "Lộ số điện thoại", "10.0.0.1", {}), 1);
  EXPECT_EQ(*service->report_abuse(receipt->tracking_code, "Lộ số điện thoại", "10.0.0.1", {}), 1);  // same address
  EXPECT_EQ(*service->report_abuse(receipt->tracking_code, "Xúc phạm", "10.0.0.2", {}), 2);
  EXPECT_EQ(service->published({"", "", 1})->total, 1);  // two reports: still public
  EXPECT_EQ(*service->report_abuse(receipt->tracking_code, "Không đúng sự thật", "10.0.0.3", {}), 3);

  // Hidden from every public view; the tracking page keeps the status but no text.
  EXPECT_EQ(service->published({"", "", 1})->total, 0);
  EXPECT_TRUE(service->similar("Hồ sơ cấp giấy khai sinh trễ hẹn")->empty());
  EXPECT_TRUE(service->public_requests({})->empty());
  auto tracked = service->track(receipt->tracking_code);
  ASSERT_TRUE(is_ok(tracked));
  EXPECT_EQ(tracked->status, "published");
  EXPECT_TRUE(tracked->answer.empty());
  EXPECT_TRUE(tracked->body.empty());
  EXPECT_EQ(tracked->title, "Nội dung đang được xem xét");

  // Moderators find it; only coordinators decide.
  QueueFilter reported;
  reported.status = "reported";
  auto queue = service->queue(coordinator, reported);
  ASSERT_TRUE(is_ok(queue));
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_FALSE(queue->front().hidden_reason.empty());
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::restore, "", ""}, officer, actor_for(officer)),
                         ErrorCode::forbidden));
  auto restored = service->take_step(receipt->id, {Step::restore, "", "Nội dung đã được che, không vi phạm"},
                                     coordinator, actor_for(coordinator));
  ASSERT_TRUE(is_ok(restored));
  EXPECT_TRUE(restored->hidden_reason.empty());
  EXPECT_EQ(restored->pending_abuse_reports, 0);
  EXPECT_EQ(service->published({"", "", 1})->total, 1);
  EXPECT_TRUE(service->queue(coordinator, reported)->empty());
  // Reviewed reports no longer count: the same addresses may report again, from zero.
  EXPECT_EQ(*service->report_abuse(receipt->tracking_code, "Vẫn lộ", "10.0.0.4", {}), 1);
  auto hidden = service->take_step(receipt->id, {Step::hide, "", "Lộ thông tin của người khác"}, coordinator,
                                   actor_for(coordinator));
  ASSERT_TRUE(is_ok(hidden));
  EXPECT_EQ(hidden->hidden_reason, "Lộ thông tin của người khác");
  EXPECT_EQ(hidden->pending_abuse_reports, 0);
  EXPECT_TRUE(fails_with(service->take_step(receipt->id, {Step::hide, "", "Lần nữa"}, coordinator,
                                            actor_for(coordinator)),
                         ErrorCode::conflict));
  EXPECT_EQ(service->published({"", "", 1})->total, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.auto_hide'"), 1);
}

TEST_P(FeedbackServiceTest, CountersFollowEveryStepIncludingTransfersAndReopening) {
  const auto coordinator = staff(1, "coordinator");
  auto first = service->submit(valid_submission(), audit::Actor::system("citizen"));
  Submission without_unit = valid_submission();
  without_unit.unit_code.clear();
  auto second = service->submit(without_unit, audit::Actor::system("citizen"));
  auto third = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(first) && is_ok(second) && is_ok(third));
  auto take = [&](std::int64_t id, Step step, const std::string& unit, const std::string& text) {
    ASSERT_TRUE(is_ok(service->take_step(id, {step, unit, text}, coordinator, actor_for(coordinator))));
  };
  take(first->id, Step::classify, "MH-XA-2", "");
  take(first->id, Step::transfer, "MH-XA-1", "Thuộc thẩm quyền xã khác");
  take(first->id, Step::draft, "", "Đã xử lý.");
  clock.advance(hours(24 * 3));
  take(first->id, Step::approve, "", "");
  take(first->id, Step::publish, "", "");
  ASSERT_TRUE(is_ok(service->rate(first->tracking_code, false, "Chưa đúng", audit::Actor::system("citizen"))));
  take(second->id, Step::classify, "MH-XA-3", "");
  take(third->id, Step::reject, "", "Trùng nội dung");

  // The counters, per unit, equal a direct count over the items.
  auto connection = acquire();
  auto direct = connection->query(
      "SELECT COALESCE(unit_id, 0), COUNT(*), SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN published_at IS NOT NULL THEN 1 ELSE 0 END), "
      "SUM((SELECT COUNT(*) FROM feedback_ratings r WHERE r.item_id = i.id)), SUM(CASE WHEN status = 'published' AND "
      "consent_publish = 1 AND hidden_reason IS NULL THEN 1 ELSE 0 END) FROM feedback_items i GROUP BY 1 ORDER BY 1");
  auto counted = connection->query(
      "SELECT unit_id, SUM(received), SUM(rejected), SUM(answered), SUM(published), SUM(ratings), SUM(listed) "
      "FROM feedback_counters "
      "GROUP BY unit_id HAVING SUM(received) <> 0 OR SUM(rejected) <> 0 OR SUM(answered) <> 0 OR SUM(published) <> 0 "
      "OR SUM(ratings) <> 0 ORDER BY 1");
  ASSERT_TRUE(is_ok(direct));
  ASSERT_TRUE(is_ok(counted));
  ASSERT_EQ(direct->size(), counted->size());
  for (std::size_t row = 0; row < direct->size(); ++row) {
    for (std::size_t column = 0; column < 7; ++column) {
      EXPECT_EQ((*direct)[row].integer(column), (*counted)[row].integer(column)) << "row " << row << " column " << column;
    }
  }
  auto statistics = service->statistics("MH-XA-1", 2025y / 9 / 1, 2025y / 9 / 30);
  ASSERT_TRUE(is_ok(statistics));
  EXPECT_EQ(statistics->received, 1);  // the transferred item counts at its new unit only
  EXPECT_EQ(statistics->answered, 1);
  ASSERT_TRUE(statistics->average_working_days_to_answer);
  EXPECT_DOUBLE_EQ(*statistics->average_working_days_to_answer, 3.0);  // Monday 09:00 → Thursday 09:00
  EXPECT_EQ(statistics->ratings, 1);
  EXPECT_EQ(statistics->satisfied, 0);
  EXPECT_EQ(service->statistics("MH-XA-2", 2025y / 9 / 1, 2025y / 9 / 30)->received, 1);  // the rejected one
}

TEST_P(FeedbackServiceTest, GeneratedFeedbackKeepsTheCountersTrue) {
  FeedbackGeneratorOptions options;
  options.count = 700;
  options.unit_ids = {unit_id("MH-XA-1"), unit_id("MH-XA-2")};
  std::size_t last_progress = 0;
  auto added = generate_feedback(database(), options, [&](std::size_t done, std::size_t) { last_progress = done; });
  ASSERT_TRUE(is_ok(added));
  EXPECT_EQ(*added, 700u);
  EXPECT_EQ(last_progress, 700u);
  EXPECT_TRUE(fails_with(generate_feedback(database(), FeedbackGeneratorOptions{}), ErrorCode::invalid_input));
  auto year = service->statistics("", 2025y / 1 / 1, 2025y / 12 / 31);
  ASSERT_TRUE(is_ok(year));
  EXPECT_EQ(year->received, 700);
  EXPECT_EQ(year->received, count("SELECT COUNT(*) FROM feedback_items"));
  EXPECT_EQ(year->published, count("SELECT COUNT(*) FROM feedback_items WHERE published_at IS NOT NULL"));
  EXPECT_EQ(year->rejected, count("SELECT COUNT(*) FROM feedback_items WHERE status = 'rejected'"));
  EXPECT_EQ(year->answered_on_time, count("SELECT COUNT(*) FROM feedback_items WHERE answered_on_time = 1"));
  EXPECT_EQ(year->overdue, count("SELECT COUNT(*) FROM feedback_items WHERE status = 'assigned'"));
  EXPECT_GT(year->overdue, 0);
  auto escalated = service->escalate_overdue(audit::Actor::system("escalation"));
  ASSERT_TRUE(is_ok(escalated));
  EXPECT_EQ(*escalated, 0);  // generated open items count as escalated already
  auto listed = service->published({"", "", 1});
  ASSERT_TRUE(is_ok(listed));
  EXPECT_EQ(listed->total, count("SELECT COUNT(*) FROM feedback_items WHERE status = 'published' AND consent_publish = 1"));
  EXPECT_EQ(listed->items.size(), 20u);
  EXPECT_EQ(listed->items.front().tracking_code.front(), '0');
  auto commune = service->published({"", "MH-XA-1", 1});
  ASSERT_TRUE(is_ok(commune));
  EXPECT_EQ(commune->total, count("SELECT COUNT(*) FROM feedback_items i JOIN units u ON u.id = i.unit_id WHERE "
                                  "u.code = 'MH-XA-1' AND status = 'published' AND consent_publish = 1"));

  // Every page, walked to the end, lists exactly the listed items newest first (ties by id), once each.
  for (const std::string unit : {"", "MH-XA-1"}) {
    std::vector<std::string> paged;
    for (int number = 1;; ++number) {
      auto page = service->published({"", unit, number});
      ASSERT_TRUE(is_ok(page));
      if (page->items.empty()) break;
      for (const auto& item : page->items) paged.push_back(item.tracking_code);
    }
    std::vector<std::string> expected;
    auto rows = acquire()->query(
        "SELECT i.tracking_code FROM feedback_items i LEFT JOIN units u ON u.id = i.unit_id WHERE i.status = "
        "'published' AND i.consent_publish = 1 AND i.hidden_reason IS NULL AND ($1 = '' OR u.code = $1) "
        "ORDER BY i.published_at DESC, i.id DESC",
        {unit});
    ASSERT_TRUE(is_ok(rows));
    for (const auto& row : *rows) expected.push_back(row.text(0));
    EXPECT_EQ(paged, expected) << "unit '" << unit << "'";
    EXPECT_GT(expected.size(), 20u);
  }
}

TEST_P(FeedbackServiceTest, SearchFollowsRepublishedAnswersAndCompletesTheLastWord) {
  const auto coordinator = staff(1, "coordinator");
  auto receipt = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(receipt));
  auto publish = [&](const std::string& answer) {
    for (Step step : {Step::draft, Step::approve, Step::publish}) {
      ASSERT_TRUE(is_ok(service->take_step(receipt->id, {step, "", step == Step::draft ? answer : ""}, coordinator,
                                           actor_for(coordinator))));
    }
  };
  ASSERT_TRUE(is_ok(service->take_step(receipt->id, {Step::classify, "MH-XA-2", ""}, coordinator, actor_for(coordinator))));
  EXPECT_EQ(service->published({"khai sinh", "", 1})->total, 0);  // not published yet
  publish("Đã chuyển Phòng Tư pháp thẩm định.");
  EXPECT_EQ(service->published({"thẩm định", "", 1})->total, 1);
  EXPECT_EQ(service->published({"tham dinh", "", 1})->total, 1);  // without marks too
  EXPECT_EQ(service->published({"khai si", "", 1})->total, 1);    // the last word as typed so far
  EXPECT_EQ(service->published({"si khai", "", 1})->total, 0);    // only the last word is a prefix
  ASSERT_TRUE(is_ok(service->rate(receipt->tracking_code, false, "Chưa rõ", audit::Actor::system("citizen"))));
  EXPECT_EQ(service->published({"khai sinh", "", 1})->total, 0);  // re-opened: off the public list
  publish("Giấy khai sinh đã được cấp ngày 20/9.");
  EXPECT_EQ(service->published({"cấp ngày", "", 1})->total, 1);
  EXPECT_EQ(service->published({"thẩm định", "", 1})->total, 0);  // the old answer is no longer indexed
  EXPECT_EQ(service->published({"\"*) OR (", "", 1})->total, 0);   // query syntax is never passed through
}

TEST_P(FeedbackServiceTest, SearchesCountUpToAThousandMatchesThenSayAtLeast) {
  FeedbackGeneratorOptions options;
  options.count = 2000;
  options.unit_ids = {unit_id("MH-XA-2")};
  ASSERT_TRUE(is_ok(generate_feedback(database(), options)));
  const std::int64_t listed =
      count("SELECT COUNT(*) FROM feedback_items WHERE status = 'published' AND consent_publish = 1");
  ASSERT_GT(listed, maximum_counted_matches);
  auto common = service->published({"tổng hợp", "", 1});  // in every generated answer
  ASSERT_TRUE(is_ok(common));
  EXPECT_EQ(common->total, maximum_counted_matches);
  EXPECT_TRUE(common->total_is_minimum);
  EXPECT_EQ(common->items.size(), 20u);
  auto rarer = service->published({"OTP đăng nhập", "", 1});
  ASSERT_TRUE(is_ok(rarer));
  EXPECT_FALSE(rarer->total_is_minimum);
  EXPECT_EQ(rarer->total, count("SELECT COUNT(*) FROM feedback_items WHERE status = 'published' AND consent_publish = 1 "
                                "AND title LIKE 'Không nhận được mã OTP%'"));
  auto everything = service->published({"", "", 1});
  EXPECT_EQ(everything->total, listed);  // without words: the exact count, from the counters
  EXPECT_FALSE(everything->total_is_minimum);
}

TEST_P(FeedbackServiceTest, BulkAssignmentClassifiesOrAssignsEachAndReportsWhatFailed) {
  const auto coordinator = staff(1, "coordinator");
  const auto officer = staff(3, "officer", unit_id("MH-XA-2"));
  Submission without_unit = valid_submission();
  without_unit.unit_code.clear();
  auto fresh = service->submit(without_unit, audit::Actor::system("citizen"));
  auto classified = service->submit(without_unit, audit::Actor::system("citizen"));
  auto rejected = service->submit(without_unit, audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(fresh) && is_ok(classified) && is_ok(rejected));
  ASSERT_TRUE(is_ok(service->take_step(classified->id, {Step::classify, "", ""}, coordinator, actor_for(coordinator))));
  ASSERT_TRUE(is_ok(service->take_step(rejected->id, {Step::reject, "", "Trùng"}, coordinator, actor_for(coordinator))));
  // An officer may not take items without a unit.
  auto refused = service->assign_many({fresh->id}, "MH-XA-2", officer, actor_for(officer));
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_TRUE(fails_with(refused[0], ErrorCode::forbidden));
  auto results = service->assign_many({fresh->id, classified->id, rejected->id, 999999}, "MH-XA-2", coordinator,
                                      actor_for(coordinator));
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(is_ok(results[0]));
  EXPECT_EQ(results[0]->status, "assigned");
  EXPECT_EQ(results[0]->unit_code, "MH-XA-2");
  ASSERT_TRUE(is_ok(results[1]));
  EXPECT_EQ(results[1]->status, "assigned");
  EXPECT_TRUE(fails_with(results[2], ErrorCode::conflict));
  EXPECT_TRUE(fails_with(results[3], ErrorCode::not_found));
  EXPECT_TRUE(is_ok(service->assign_many({fresh->id}, "MH-XA-1", coordinator, actor_for(coordinator))[0]));  // reassign
}

TEST_P(FeedbackServiceTest, DuplicatesAreMergedIntoTheItemThatWillBeAnswered) {
  const auto coordinator = staff(1, "coordinator");
  const auto other_commune = staff(2, "officer", unit_id("MH-XA-1"));
  auto original = service->submit(valid_submission(), audit::Actor::system("citizen"));
  auto duplicate = service->submit(valid_submission(), audit::Actor::system("citizen"));
  ASSERT_TRUE(is_ok(original) && is_ok(duplicate));
  EXPECT_TRUE(fails_with(service->take_step(duplicate->id, {Step::merge, "", ""}, coordinator, actor_for(coordinator)),
                         ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(service->take_step(duplicate->id, {Step::merge, "", "ZZZZ-ZZZZ"}, coordinator,
                                            actor_for(coordinator)),
                         ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(service->take_step(duplicate->id, {Step::merge, "", duplicate->tracking_code}, coordinator,
                                            actor_for(coordinator)),
                         ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(service->take_step(duplicate->id, {Step::merge, "", original->tracking_code}, other_commune,
                                            actor_for(other_commune)),
                         ErrorCode::forbidden));
  auto merged = service->take_step(duplicate->id, {Step::merge, "", display_tracking_code(original->tracking_code)},
                                   coordinator, actor_for(coordinator));
  ASSERT_TRUE(is_ok(merged));
  EXPECT_EQ(merged->status, "rejected");
  auto tracked = service->track(duplicate->tracking_code);
  ASSERT_TRUE(is_ok(tracked));
  EXPECT_EQ(tracked->events.back().step, "merged");
  EXPECT_NE(tracked->rejection_reason.find("/phan-anh/" + original->tracking_code), std::string::npos);
  EXPECT_EQ(service->statistics("MH-XA-2", 2025y / 9 / 1, 2025y / 9 / 30)->rejected, 1);
  // Nothing merges into a closed duplicate.
  auto third = service->submit(valid_submission(), audit::Actor::system("citizen"));
  EXPECT_TRUE(fails_with(service->take_step(third->id, {Step::merge, "", duplicate->tracking_code}, coordinator,
                                            actor_for(coordinator)),
                         ErrorCode::invalid_input));
}

TEST_P(FeedbackServiceTest, RemindsTheUnitBeforeEachDeadlineAndTellsCoordinatorsAfterItOnce) {
  using dvchub::testing::insert_staff_account;
  const auto officer = insert_staff_account(database(), "canbo.xa2", "officer", unit_id("MH-XA-2"), "canbo@xa2.gov.vn");
  const auto elsewhere = insert_staff_account(database(), "canbo.xa1", "officer", unit_id("MH-XA-1"), "canbo@xa1.gov.vn");
  const auto coordinator_id = insert_staff_account(database(), "dieuphoi", "coordinator", std::nullopt, "dp@tinh.gov.vn");
  const auto notices_of = [&](std::int64_t user, const std::string& kind) {
    return count("SELECT COUNT(*) FROM notifications WHERE user_id = " + std::to_string(user) +
                 " AND notice_key LIKE '%/" + kind + "/%'");
  };
  auto submission = valid_submission();
  submission.title = "Lê Văn Tám: hồ sơ khai sinh trễ hẹn";
  auto receipt = service->submit(submission, audit::Actor::system("citizen"));  // Monday: due Wednesday
  ASSERT_TRUE(is_ok(receipt));
  auto reminded = service->remind_due_soon(audit::Actor::system("reminder"));
  ASSERT_TRUE(is_ok(reminded));
  EXPECT_EQ(*reminded, 0);  // two working days left
  clock.set(vietnam_time(2025, 9, 9, 9));  // Tuesday: one working day left
  reminded = service->remind_due_soon(audit::Actor::system("reminder"));
  ASSERT_TRUE(is_ok(reminded));
  EXPECT_EQ(*reminded, 1);
  EXPECT_EQ(*service->remind_due_soon(audit::Actor::system("reminder")), 0);  // once per deadline
  EXPECT_EQ(notices_of(officer, "reminder"), 1);
  EXPECT_EQ(notices_of(elsewhere, "reminder"), 0);
  EXPECT_EQ(notices_of(coordinator_id, "reminder"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE recipient = 'canbo@xa2.gov.vn' AND subject LIKE "
                  "'Sắp đến hạn: phản ánh " + display_tracking_code(receipt->tracking_code) + "%'"),
            1);
  // The citizen's name in the title never leaves in a notice.
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE subject LIKE '%Tám%' OR body LIKE '%Tám%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE title LIKE '%hồ sơ khai sinh trễ hẹn%'"), 1);

  clock.set(vietnam_time(2025, 9, 11, 9));  // Thursday: overdue
  EXPECT_EQ(*service->remind_due_soon(audit::Actor::system("reminder")), 0);
  EXPECT_EQ(*service->escalate_overdue(audit::Actor::system("escalation")), 1);
  EXPECT_EQ(*service->escalate_overdue(audit::Actor::system("escalation")), 0);
  EXPECT_EQ(notices_of(coordinator_id, "escalation"), 1);
  EXPECT_EQ(notices_of(officer, "escalation"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE recipient = 'dp@tinh.gov.vn' AND link = "
                  "'/quan-tri/phan-anh/" + std::to_string(receipt->id) + "'"),
            1);

  // Classified, the item has a new deadline: one more reminder the day before it, and only one.
  const auto coordinator = staff(coordinator_id, "coordinator");
  auto classified =
      service->take_step(receipt->id, {Step::classify, "MH-XA-2", ""}, coordinator, actor_for(coordinator));
  ASSERT_TRUE(is_ok(classified));
  EXPECT_EQ(*service->remind_due_soon(audit::Actor::system("reminder")), 0);
  clock.set(classified->due_at - hours(39));  // 09:00 the day before the deadline (a working day)
  EXPECT_EQ(*service->remind_due_soon(audit::Actor::system("reminder")), 1);
  EXPECT_EQ(*service->remind_due_soon(audit::Actor::system("reminder")), 0);
  EXPECT_EQ(notices_of(officer, "reminder"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.remind'"), 2);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(FeedbackServiceTest);

}  // namespace
}  // namespace dvchub::feedback
