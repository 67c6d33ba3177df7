// calendar/holidays.h — Vietnam's statutory public holidays of a year (Labour Code 2019, art. 112), computed:
// 1/1; Tết Nguyên đán as the last day of the old lunar year and the first four days of the new one; Giỗ Tổ Hùng
// Vương (10/3 lunar); 30/4; 1/5; 2/9 and one adjacent day. Compensatory days and the exact Tết days of civil
// servants are fixed each year by a decision: an administrator enters those in the calendar (docs/feedback.md).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace dvchub::calendar {

struct Holiday {
  std::chrono::year_month_day day;
  std::string name;  // Vietnamese, e.g. "Tết Nguyên đán"
};

// The statutory holidays of Gregorian year `year` (1800–2199), in date order. The day adjacent to 2/9 is 1/9 when
// 2/9 is a Tuesday or Wednesday (joining the weekend before), 3/9 otherwise — the choice of recent decisions
// (2024: 2–3/9, 2025: 1–2/9); a decision that differs is entered by an administrator.
std::vector<Holiday> statutory_holidays(int year);

}  // namespace dvchub::calendar
