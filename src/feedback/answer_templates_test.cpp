#include "feedback/answer_templates.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace dvchub::feedback {
namespace {

using namespace std::chrono;
using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

class AnswerTemplateTest : public dvchub::testing::BackendTest {
 protected:
  ManualClock clock{TimePoint(sys_days(2025y / 9 / 8).time_since_epoch())};
};

TEST_P(AnswerTemplateTest, CoordinatorsKeepTemplatesOfficersSeeOnlyThoseInUse) {
  AnswerTemplateService templates(database(), clock);
  auto refused = templates.save(0, " ", std::string(8001, 'a'), audit::Actor::system("dieuphoi"));
  ASSERT_TRUE(fails_with(refused, ErrorCode::invalid_input));
  EXPECT_EQ(refused.error().fields.size(), 2u);
  auto otp = templates.save(0, "Không nhận được OTP", "Ông/bà kiểm tra số điện thoại đã đăng ký …",
                            audit::Actor::system("dieuphoi"));
  ASSERT_TRUE(is_ok(otp));
  auto fees = templates.save(0, "Lệ phí trực tuyến", "Nộp trực tuyến được giảm lệ phí …", audit::Actor::system("dieuphoi"));
  ASSERT_TRUE(is_ok(fees));
  clock.advance(hours(1));
  auto changed = templates.save(otp->id, "Không nhận được mã OTP", "Ông/bà kiểm tra lại …", audit::Actor::system("admin"));
  ASSERT_TRUE(is_ok(changed));
  EXPECT_EQ(changed->title, "Không nhận được mã OTP");
  EXPECT_EQ(changed->updated_by, "admin");
  EXPECT_EQ(changed->updated_at, clock.now());
  EXPECT_TRUE(fails_with(templates.save(999, "x", "y", audit::Actor::system("admin")), ErrorCode::not_found));
  ASSERT_TRUE(is_ok(templates.retire(fees->id, audit::Actor::system("dieuphoi"))));
  EXPECT_TRUE(fails_with(templates.retire(fees->id, audit::Actor::system("dieuphoi")), ErrorCode::conflict));
  auto in_use = templates.list();
  ASSERT_TRUE(is_ok(in_use));
  ASSERT_EQ(in_use->size(), 1u);
  EXPECT_EQ(in_use->front().id, otp->id);
  EXPECT_EQ(templates.list(true)->size(), 2u);
  auto audited = acquire()->query_one("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'feedback_template'");
  EXPECT_EQ((*audited)->integer(0), 4);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(AnswerTemplateTest);

}  // namespace
}  // namespace dvchub::feedback
