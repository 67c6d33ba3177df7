#include "calendar/holidays.h"

#include <algorithm>

#include "calendar/lunar_calendar.h"

namespace dvchub::calendar {

std::vector<Holiday> statutory_holidays(int year) {
  using namespace std::chrono;
  std::vector<Holiday> holidays;
  auto add = [&](year_month_day day, const char* name) { holidays.push_back({day, name}); };
  add(std::chrono::year(year) / January / 1, "Tết Dương lịch");
  if (auto new_year = lunar_to_solar(LunarDate{1, 1, year, false})) {
    sys_days first = sys_days(*new_year);
    add(year_month_day(first - days(1)), "Tết Nguyên đán (cuối năm âm lịch)");
    for (int offset = 0; offset < 4; ++offset) add(year_month_day(first + days(offset)), "Tết Nguyên đán");
  }
  if (auto hung_kings = lunar_to_solar(LunarDate{10, 3, year, false})) add(*hung_kings, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
  add(std::chrono::year(year) / April / 30, "Ngày Giải phóng miền Nam, thống nhất đất nước");
  add(std::chrono::year(year) / May / 1, "Ngày Quốc tế Lao động");
  year_month_day national_day = std::chrono::year(year) / September / 2;
  weekday national_weekday{sys_days(national_day)};
  bool day_before = national_weekday == Tuesday || national_weekday == Wednesday;
  year_month_day adjacent = year_month_day(sys_days(national_day) + days(day_before ? -1 : 1));
  add(national_day, "Quốc khánh");
  add(adjacent, "Quốc khánh (ngày liền kề)");
  std::sort(holidays.begin(), holidays.end(),
            [](const Holiday& left, const Holiday& right) { return sys_days(left.day) < sys_days(right.day); });
  return holidays;
}

}  // namespace dvchub::calendar
