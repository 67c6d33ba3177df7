#include <gtest/gtest.h>

#include "calendar/holidays.h"
#include "calendar/lunar_calendar.h"
#include "calendar/working_calendar.h"
#include "core/dates.h"
#include "support/test_database.h"

namespace dvchub::calendar {
namespace {

using namespace std::chrono;
using dvchub::testing::is_ok;

std::string solar(const LunarDate& date, double offset = 7.0) {
  auto day = lunar_to_solar(date, offset);
  return day ? format_iso_date(*day) : "none";
}

TEST(LunarCalendarTest, KnownNewYearsAndHungKingsDays) {
  EXPECT_EQ(solar({1, 1, 2025}), "2025-01-29");
  EXPECT_EQ(solar({1, 1, 2026}), "2026-02-17");
  EXPECT_EQ(solar({1, 1, 2027}), "2027-02-06");
  EXPECT_EQ(solar({1, 1, 2024}), "2024-02-10");
  EXPECT_EQ(solar({10, 3, 2025}), "2025-04-07");
  EXPECT_EQ(solar({10, 3, 2024}), "2024-04-18");
  EXPECT_EQ(solar({15, 8, 2025}), "2025-10-06");  // Tết Trung thu 2025
}

TEST(LunarCalendarTest, VietnamTimeZoneDiffersFromChinaIn1985) {
  // Vietnam celebrated Tết Ất Sửu on 21/01/1985, China a month later (the new moon fell near midnight).
  EXPECT_EQ(solar({1, 1, 1985}, 7.0), "1985-01-21");
  EXPECT_EQ(solar({1, 1, 1985}, 8.0), "1985-02-20");
}

TEST(LunarCalendarTest, LeapMonthsAndImpossibleDates) {
  // 2025 has a leap sixth month (6 nhuận from 25/07/2025); 2023 a leap second month.
  EXPECT_EQ(solar({1, 6, 2025, true}), "2025-07-25");
  EXPECT_EQ(solar({1, 7, 2025}), "2025-08-23");
  EXPECT_EQ(solar({1, 2, 2023, true}), "2023-03-22");
  EXPECT_EQ(solar({1, 5, 2025, true}), "none");  // 2025 has no leap fifth month
  EXPECT_EQ(solar({1, 6, 2026, true}), "none");  // 2026 has no leap month at all
  EXPECT_EQ(solar({0, 1, 2025}), "none");
  EXPECT_EQ(solar({1, 13, 2025}), "none");
}

std::vector<std::string> holiday_days(int year) {
  std::vector<std::string> days;
  for (const auto& holiday : statutory_holidays(year)) days.push_back(format_iso_date(holiday.day));
  return days;
}

TEST(HolidaysTest, TwentyTwentyFiveHolidays) {
  EXPECT_EQ(holiday_days(2025),
            (std::vector<std::string>{"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
                                      "2025-02-01", "2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01",
                                      "2025-09-02"}));
}

TEST(HolidaysTest, TetAndAdjacentNationalDayOtherYears) {
  auto days_2026 = holiday_days(2026);
  EXPECT_NE(std::find(days_2026.begin(), days_2026.end(), "2026-02-16"), days_2026.end());  // 29 Tết (Ất Tỵ has 29 days in month 12)
  EXPECT_NE(std::find(days_2026.begin(), days_2026.end(), "2026-02-20"), days_2026.end());
  EXPECT_NE(std::find(days_2026.begin(), days_2026.end(), "2026-04-26"), days_2026.end());  // Giỗ Tổ 2026
  auto days_2024 = holiday_days(2024);
  EXPECT_NE(std::find(days_2024.begin(), days_2024.end(), "2024-09-03"), days_2024.end());  // 2/9 on a Monday
  auto days_2027 = holiday_days(2027);
  EXPECT_NE(std::find(days_2027.begin(), days_2027.end(), "2027-02-05"), days_2027.end());
  EXPECT_EQ(days_2027.size(), 11u);
}

TimePoint vietnam_time(int year, unsigned month, unsigned day, int hour) {
  return TimePoint(sys_days(std::chrono::year(year) / month / day).time_since_epoch() + hours(hour) -
                   vietnam_utc_offset);
}

class WorkingCalendarTest : public dvchub::testing::BackendTest {
 protected:
  ManualClock clock{vietnam_time(2025, 1, 2, 9)};
};

TEST_P(WorkingCalendarTest, SeedsOnceAndCountsWorkingDaysAroundTet) {
  WorkingCalendar calendar(database(), clock);
  auto added = calendar.seed_statutory_holidays(2025, 2027, audit::Actor::system("test"));
  ASSERT_TRUE(is_ok(added));
  EXPECT_EQ(*added, 33);
  auto again = calendar.seed_statutory_holidays(2025, 2027, audit::Actor::system("test"));
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(*again, 0);

  // Received Friday 24/01/2025: Mon 27 works, 28/01–01/02 Tết, so 2 working days end on Monday 03/02.
  auto due = calendar.add_working_days(vietnam_time(2025, 1, 24, 10), 2);
  ASSERT_TRUE(is_ok(due));
  EXPECT_EQ(format_iso_instant(*due), "2025-02-03T23:59:59+07:00");
  // Received on Saturday 05/04/2025: Monday 07/04 is Giỗ Tổ, so one working day is Tuesday 08/04.
  due = calendar.add_working_days(vietnam_time(2025, 4, 5, 8), 1);
  ASSERT_TRUE(is_ok(due));
  EXPECT_EQ(format_iso_instant(*due), "2025-04-08T23:59:59+07:00");
  // 15 working days from Monday 21/04/2025 skip 30/04 and 01/05.
  due = calendar.add_working_days(vietnam_time(2025, 4, 21, 8), 15);
  ASSERT_TRUE(is_ok(due));
  EXPECT_EQ(format_iso_instant(*due), "2025-05-14T23:59:59+07:00");
  auto zero = calendar.add_working_days(vietnam_time(2025, 4, 5, 8), 0);
  ASSERT_TRUE(is_ok(zero));
  EXPECT_EQ(format_iso_instant(*zero), "2025-04-08T23:59:59+07:00");
  EXPECT_FALSE(calendar.add_working_days(vietnam_time(2025, 4, 5, 8), -1));

  auto between = calendar.working_days_between(vietnam_time(2025, 1, 24, 10), vietnam_time(2025, 2, 3, 9));
  ASSERT_TRUE(is_ok(between));
  EXPECT_EQ(*between, 2);
  between = calendar.working_days_between(vietnam_time(2025, 2, 3, 9), vietnam_time(2025, 1, 24, 10));
  ASSERT_TRUE(is_ok(between));
  EXPECT_EQ(*between, 0);
}

TEST_P(WorkingCalendarTest, AdministratorEditsChangeDeadlinesAndSurviveReseeding) {
  WorkingCalendar calendar(database(), clock);
  ASSERT_TRUE(is_ok(calendar.seed_statutory_holidays(2025, 2025, audit::Actor::system("test"))));
  // The 2025 decision: Saturday 08/02 was not a make-up day, but suppose an admin records one, and removes 30/04.
  ASSERT_TRUE(is_ok(calendar.set_day({std::chrono::year(2025) / February / 8, DayKind::working, "Làm bù", false},
                                     audit::Actor::system("admin"))));
  auto saturday = calendar.is_working_day(std::chrono::year(2025) / February / 8);
  ASSERT_TRUE(is_ok(saturday));
  EXPECT_TRUE(*saturday);
  ASSERT_TRUE(is_ok(calendar.remove_day(std::chrono::year(2025) / April / 30, audit::Actor::system("admin"))));
  auto liberation_day = calendar.is_working_day(std::chrono::year(2025) / April / 30);
  ASSERT_TRUE(is_ok(liberation_day));
  EXPECT_TRUE(*liberation_day);
  EXPECT_TRUE(dvchub::testing::fails_with(
      calendar.remove_day(std::chrono::year(2025) / April / 30, audit::Actor::system("admin")), ErrorCode::not_found));
  EXPECT_FALSE(calendar.set_day({std::chrono::year(2025) / March / 3, DayKind::holiday, "", false},
                                audit::Actor::system("admin")));

  ASSERT_TRUE(is_ok(calendar.seed_statutory_holidays(2025, 2025, audit::Actor::system("test"))));
  auto days = calendar.exceptions(2025);
  ASSERT_TRUE(is_ok(days));
  EXPECT_EQ(days->size(), 11u);  // 11 computed − 30/04 + the make-up Saturday
  bool found_make_up = false;
  for (const auto& day : *days) {
    EXPECT_NE(format_iso_date(day.day), "2025-04-30");
    if (day.kind == DayKind::working) found_make_up = !day.computed;
  }
  EXPECT_TRUE(found_make_up);
  auto connection = acquire();
  auto audited = connection->query_one("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'calendar.%'");
  ASSERT_TRUE(is_ok(audited));
  EXPECT_EQ((*audited)->integer(0), 3);  // one seed, one set, one removal
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(WorkingCalendarTest);

}  // namespace
}  // namespace dvchub::calendar
