#include <gtest/gtest.h>

#include "core/dates.h"
#include "feedback/survey_service.h"
#include "support/test_database.h"
#include "units/demo_units.h"

namespace dvchub::feedback {
namespace {

using namespace std::chrono;
using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

class SurveyServiceTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    units = std::make_unique<units::UnitService>(database(), clock);
    ASSERT_TRUE(is_ok(units::seed_demo_units(*units, audit::Actor::system("test"))));
    service = std::make_unique<SurveyService>(database(), *units, clock);
  }
  void TearDown() override {
    service.reset();
    units.reset();
    BackendTest::TearDown();
  }

  SurveyAnswer answer(std::int64_t overall, const std::string& unit_code = "MH-XA-2", const std::string& field = "") {
    SurveyAnswer result;
    result.overall = overall;
    result.dimensions = {overall, overall, std::nullopt, overall, std::nullopt};
    result.unit_code = unit_code;
    result.field = field;
    return result;
  }

  std::int64_t count(const std::string& sql) { return (*acquire()->query_one(sql))->integer(0); }

  ManualClock clock{TimePoint(sys_days(2025y / 9 / 8).time_since_epoch() + hours(2))};
  std::unique_ptr<units::UnitService> units;
  std::unique_ptr<SurveyService> service;
};

TEST_P(SurveyServiceTest, RefusesOutOfRangeRatingsFieldByFieldAndStoresNothing) {
  SurveyAnswer bad;
  bad.dimensions = {0, 6, 3, std::nullopt, -1};
  bad.unit_code = "NO-SUCH-UNIT";
  bad.comment = std::string(2001, 'x');
  auto stored = service->respond(bad, audit::Actor::system("citizen"));
  ASSERT_TRUE(fails_with(stored, ErrorCode::invalid_input));
  std::vector<std::string> fields;
  for (const auto& field : stored.error().fields) fields.push_back(field.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"overall", "dimensions.access", "dimensions.procedure",
                                              "dimensions.feedback_handling", "comment", "unit_code"}));
  bad = answer(5);
  bad.comment = "\xC3\x28";
  EXPECT_TRUE(fails_with(service->respond(bad, audit::Actor::system("citizen")), ErrorCode::invalid_input));
  EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses"), 0);
}

TEST_P(SurveyServiceTest, OneResponsePerDossierCode) {
  SurveyAnswer first = answer(4);
  first.dossier_code = "000.00.20.H52-250820-0042";
  ASSERT_TRUE(is_ok(service->respond(first, audit::Actor::system("citizen"))));
  SurveyAnswer again = answer(1);
  again.dossier_code = first.dossier_code;
  auto refused = service->respond(again, audit::Actor::system("citizen"));
  ASSERT_TRUE(fails_with(refused, ErrorCode::conflict));
  EXPECT_NE(refused.error().message.find("một lần"), std::string::npos);
  // Responses without a dossier code are not limited.
  EXPECT_TRUE(is_ok(service->respond(answer(3), audit::Actor::system("citizen"))));
  EXPECT_TRUE(is_ok(service->respond(answer(3), audit::Actor::system("citizen"))));
  EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses"), 3);
  // The audit trail records the response but never the dossier code.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'survey.respond'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE after_state LIKE '%250820%'"), 0);
}

TEST_P(SurveyServiceTest, StatisticsCountSharesScoresAndFieldTargets) {
  // Land: 5, 4, 3, 2 → 2 of 4 satisfied (50 %), below its 85 % target. Civil status: 5, 5, 4 → 100 %.
  for (int rating : {5, 4, 3, 2}) ASSERT_TRUE(is_ok(service->respond(answer(rating, "MH-XA-2", "Đất đai"), {})));
  for (int rating : {5, 5, 4}) ASSERT_TRUE(is_ok(service->respond(answer(rating, "MH-XA-2", "Hộ tịch"), {})));
  ASSERT_TRUE(is_ok(service->respond(answer(1, ""), {})));  // no unit: counted only province-wide
  const auto day = 2025y / 9 / 8;
  auto all = service->statistics("", day, day);
  ASSERT_TRUE(is_ok(all));
  EXPECT_EQ(all->overall.responses, 8);
  EXPECT_EQ(all->overall.satisfied, 5);
  EXPECT_EQ(all->overall.by_rating, (std::array<std::int64_t, 5>{1, 1, 1, 2, 3}));
  ASSERT_TRUE(all->overall.score.has_value());
  EXPECT_DOUBLE_EQ(*all->overall.score, ((1 + 2 + 3 + 4 * 2 + 5 * 3) / 8.0 - 1) / 4);
  // Dimensions left unanswered are not counted.
  EXPECT_EQ(all->dimensions[0].responses, 8);
  EXPECT_EQ(all->dimensions[2].responses, 0);
  EXPECT_FALSE(all->dimensions[2].satisfied_share.has_value());
  ASSERT_EQ(all->by_field.size(), 2u);
  EXPECT_EQ(all->by_field[0].field, "Đất đai");
  EXPECT_TRUE(all->by_field[0].demanding_target);
  EXPECT_TRUE(all->by_field[0].below_target);
  EXPECT_DOUBLE_EQ(*all->by_field[0].overall.satisfied_share, 0.5);
  EXPECT_EQ(all->by_field[1].field, "Hộ tịch");
  EXPECT_FALSE(all->by_field[1].demanding_target);
  EXPECT_FALSE(all->by_field[1].below_target);

  auto commune = service->statistics("MH-XA-2", day, day);
  ASSERT_TRUE(is_ok(commune));
  EXPECT_EQ(commune->overall.responses, 7);
  auto district = service->statistics("ST", day, day);  // the province includes its communes
  ASSERT_TRUE(is_ok(district));
  EXPECT_EQ(district->overall.responses, 7);
  auto other_day = service->statistics("", 2025y / 9 / 9, 2025y / 9 / 30);
  ASSERT_TRUE(is_ok(other_day));
  EXPECT_EQ(other_day->overall.responses, 0);
  EXPECT_TRUE(fails_with(service->statistics("NO-SUCH-UNIT", day, day), ErrorCode::not_found));
}

TEST_P(SurveyServiceTest, CountersSplitDaysAtVietnamMidnightAndMatchTheResponses) {
  // 23:30 and 00:30 in Vietnam: two days, though the same UTC day.
  clock.set(TimePoint(sys_days(2025y / 9 / 8).time_since_epoch() + hours(16) + minutes(30)));
  for (int rating : {5, 3}) ASSERT_TRUE(is_ok(service->respond(answer(rating, "MH-XA-2", "Đất đai"), {})));
  clock.advance(hours(1));
  SurveyAnswer partial = answer(2, "MH-XA-1");
  partial.dimensions = {std::nullopt, 1, std::nullopt, std::nullopt, 4};
  ASSERT_TRUE(is_ok(service->respond(partial, {})));
  ASSERT_TRUE(is_ok(service->respond(answer(4, ""), {})));

  auto first_day = service->statistics("", 2025y / 9 / 8, 2025y / 9 / 8);
  ASSERT_TRUE(is_ok(first_day));
  EXPECT_EQ(first_day->overall.by_rating, (std::array<std::int64_t, 5>{0, 0, 1, 0, 1}));
  auto second_day = service->statistics("", 2025y / 9 / 9, 2025y / 9 / 9);
  ASSERT_TRUE(is_ok(second_day));
  EXPECT_EQ(second_day->overall.responses, 2);
  EXPECT_EQ(second_day->dimensions[1].by_rating, (std::array<std::int64_t, 5>{1, 0, 0, 1, 0}));  // procedure
  EXPECT_EQ(second_day->dimensions[4].by_rating, (std::array<std::int64_t, 5>{0, 0, 0, 1, 0}));  // feedback_handling
  EXPECT_EQ(second_day->dimensions[0].responses, 1);  // access: only the full answer
  auto commune = service->statistics("MH-XA-1", 2025y / 9 / 1, 2025y / 9 / 30);
  ASSERT_TRUE(is_ok(commune));
  EXPECT_EQ(commune->overall.by_rating, (std::array<std::int64_t, 5>{0, 1, 0, 0, 0}));

  // The counters hold what the responses hold, grouped with the day expression the migration backfills with.
  const std::string day = database().dialect() == storage::Dialect::sqlite
                              ? "date(received_at + 25200, 'unixepoch')"
                              : "to_char(to_timestamp(received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
  auto expected = acquire()->query("SELECT " + day + ", COALESCE(unit_id, 0), COALESCE(field, ''), overall, COUNT(*) "
                                   "FROM survey_responses GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4");
  auto counted = acquire()->query("SELECT day, unit_id, field, rating, responses FROM survey_counters "
                                  "WHERE question = 'overall' ORDER BY 1, 2, 3, 4");
  ASSERT_TRUE(is_ok(expected));
  ASSERT_TRUE(is_ok(counted));
  ASSERT_EQ(expected->size(), counted->size());
  for (std::size_t index = 0; index < expected->size(); ++index) {
    const auto& want = (*expected)[index];
    const auto& have = (*counted)[index];
    EXPECT_EQ(want.text(0), have.text(0)) << index;
    EXPECT_EQ(want.text(2), have.text(2)) << index;
    for (std::size_t column : {1u, 3u, 4u}) EXPECT_EQ(want.integer(column), have.integer(column)) << index << ", " << column;
  }
  EXPECT_EQ(count("SELECT SUM(responses) FROM survey_counters"),
            count("SELECT COUNT(overall) + COUNT(access) + COUNT(procedure_rating) + COUNT(officials) + COUNT(result) "
                  "+ COUNT(feedback_handling) FROM survey_responses"));
}

TEST(SurveyTargetsTest, LandConstructionAndInvestmentFieldsAreHeldTo85Percent) {
  EXPECT_TRUE(has_demanding_satisfaction_target("Đất đai"));
  EXPECT_TRUE(has_demanding_satisfaction_target("Lĩnh vực XÂY DỰNG"));
  EXPECT_TRUE(has_demanding_satisfaction_target("Đầu tư tại Việt Nam"));
  EXPECT_FALSE(has_demanding_satisfaction_target("Hộ tịch"));
  EXPECT_EQ(survey_rating_label(4), "Hài lòng");
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(SurveyServiceTest);

}  // namespace
}  // namespace dvchub::feedback
