// calendar/lunar_calendar.h — the Vietnamese lunisolar calendar (âm lịch), computed with Hồ Ngọc Đức's algorithm
// (astronomical new moons and solar terms after Jean Meeus, "Astronomical Algorithms") for the UTC+7 meridian.
// Vietnam's calendar differs from China's (UTC+8) in some years, e.g. Tết 1985; the time zone is a parameter only
// so tests can show that.
#pragma once

#include <chrono>
#include <optional>

namespace dvchub::calendar {

// A day of the lunar calendar. `year` is the Gregorian year in which that lunar year begins (Tết).
struct LunarDate {
  int day = 1;     // 1..30
  int month = 1;   // 1..12
  int year = 2025;
  bool leap_month = false;  // the intercalary month (tháng nhuận) that repeats `month`
};

// The Gregorian date of a lunar date in the time zone `utc_offset_hours` (Vietnam: 7). nullopt when the date does
// not exist: a leap month that year does not have, or day 30 of a 29-day month. Valid for years 1800–2199.
std::optional<std::chrono::year_month_day> lunar_to_solar(const LunarDate& date, double utc_offset_hours = 7.0);

}  // namespace dvchub::calendar
