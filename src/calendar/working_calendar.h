// calendar/working_calendar.h — working days: Monday to Friday, except the holidays kept in the store
// (calendar_days), plus the weekend days a yearly decision makes working days ("làm bù"). Deadlines of the
// feedback module are counted here.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::calendar {

enum class DayKind { holiday, working };

// One exception to the weekly rule.
struct CalendarDay {
  std::chrono::year_month_day day;
  DayKind kind = DayKind::holiday;
  std::string name;
  bool computed = false;  // from statutory_holidays(), not entered by an administrator
};

// Thread-safe. Keeps the exceptions in memory and reloads them when they are older than a minute (another
// process may have edited them) or after its own edits. `database` and `clock` must outlive it.
class WorkingCalendar {
 public:
  WorkingCalendar(storage::Database& database, const Clock& clock) : database_(database), clock_(clock) {}

  // Stores the statutory holidays (holidays.h) of every year in [first_year, last_year] that was never seeded
  // before, audited as `actor`; a day already present (an administrator's entry) is left as it is. Idempotent.
  // Returns the number of days added.
  Result<int> seed_statutory_holidays(int first_year, int last_year, const audit::Actor& actor);

  // Whether `day` is a working day.
  Result<bool> is_working_day(std::chrono::year_month_day day) const;

  // The deadline `days` working days after `start`: the end (23:59:59, Vietnam time) of the `days`-th working
  // day after start's Vietnam date; the start day itself never counts, so work received on a Saturday counts from
  // Monday. `days` = 0 gives the end of the start day if it is a working day, else of the next one. `days` < 0 or a
  // calendar with no working day within five years: ErrorCode::invalid_input.
  Result<TimePoint> add_working_days(TimePoint start, int days) const;

  // The number of working days after from's Vietnam date up to and including to's; 0 when to's date is not later.
  Result<int> working_days_between(TimePoint from, TimePoint to) const;

  // The exceptions of Gregorian year `year`, in date order.
  Result<std::vector<CalendarDay>> exceptions(int year) const;

  // Adds or replaces the exception of `day.day` (an administrator's entry; `computed` is ignored), audited.
  Result<void> set_day(const CalendarDay& day, const audit::Actor& actor);
  // Removes the exception of `day`, audited; ErrorCode::not_found when there is none.
  Result<void> remove_day(std::chrono::year_month_day day, const audit::Actor& actor);

 private:
  using Exceptions = std::map<int, DayKind>;  // days since 1970-01-01 → kind
  Result<std::shared_ptr<const Exceptions>> current() const;
  void forget() const;
  static bool is_working(const Exceptions& exceptions, std::chrono::sys_days day);

  storage::Database& database_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Exceptions> exceptions_;
  mutable TimePoint loaded_at_;
};

}  // namespace dvchub::calendar
