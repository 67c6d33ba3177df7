#include "calendar/working_calendar.h"

#include <fmt/format.h>

#include "calendar/holidays.h"
#include "core/dates.h"
#include "json/json.h"

namespace dvchub::calendar {
namespace {

using namespace std::chrono;

constexpr int search_limit_days = 5 * 366;

const char* kind_name(DayKind kind) { return kind == DayKind::holiday ? "holiday" : "working"; }

std::string day_json(const CalendarDay& day) {
  json::Object object;
  object["day"] = format_iso_date(day.day);
  object["kind"] = kind_name(day.kind);
  object["name"] = day.name;
  return json::serialize(object);
}

sys_days local_day(TimePoint instant) { return sys_days(vietnam_date(instant)); }

TimePoint end_of_local_day(sys_days day) {
  return TimePoint(duration_cast<TimePoint::duration>(day.time_since_epoch() + hours(24) - seconds(1) -
                                                      vietnam_utc_offset));
}

}  // namespace

bool WorkingCalendar::is_working(const Exceptions& exceptions, sys_days day) {
  auto found = exceptions.find(static_cast<int>(day.time_since_epoch().count()));
  if (found != exceptions.end()) return found->second == DayKind::working;
  weekday day_of_week{day};
  return day_of_week != Saturday && day_of_week != Sunday;
}

Result<std::shared_ptr<const WorkingCalendar::Exceptions>> WorkingCalendar::current() const {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  if (exceptions_ && now - loaded_at_ < minutes(1) && now >= loaded_at_) return exceptions_;
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query("SELECT day, kind FROM calendar_days"));
  auto loaded = std::make_shared<Exceptions>();
  for (const auto& row : rows) {
    auto day = parse_iso_date(row.text(0));
    if (!day) continue;
    (*loaded)[static_cast<int>(sys_days(*day).time_since_epoch().count())] =
        row.text(1) == "working" ? DayKind::working : DayKind::holiday;
  }
  exceptions_ = loaded;
  loaded_at_ = now;
  return exceptions_;
}

void WorkingCalendar::forget() const {
  std::lock_guard lock(mutex_);
  exceptions_.reset();
}

Result<int> WorkingCalendar::seed_statutory_holidays(int first_year, int last_year, const audit::Actor& actor) {
  int added = 0;
  auto connection = DVCHUB_TRY(database_.acquire());
  for (int year = first_year; year <= last_year; ++year) {
    DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
      auto seeded = DVCHUB_TRY(connection->query_one("SELECT year FROM calendar_seeded_years WHERE year = $1",
                                                     {std::int64_t{year}}));
      if (seeded) return {};
      int added_this_year = 0;
      for (const auto& holiday : statutory_holidays(year)) {
        added_this_year += static_cast<int>(DVCHUB_TRY(connection->execute(
            "INSERT INTO calendar_days (day, kind, name, origin) VALUES ($1, 'holiday', $2, 'computed') "
            "ON CONFLICT (day) DO NOTHING",
            {format_iso_date(holiday.day), holiday.name})));
      }
      DVCHUB_TRY(connection->execute("INSERT INTO calendar_seeded_years (year) VALUES ($1)", {std::int64_t{year}}));
      DVCHUB_TRY(audit::record(*connection, clock_, actor,
                               {"calendar.seed", "calendar_year", std::to_string(year), std::nullopt,
                                fmt::format(R"({{"holidays_added":{}}})", added_this_year)}));
      added += added_this_year;
      return {};
    }));
  }
  forget();
  return added;
}

Result<bool> WorkingCalendar::is_working_day(year_month_day day) const {
  auto exceptions = DVCHUB_TRY(current());
  return is_working(*exceptions, sys_days(day));
}

Result<TimePoint> WorkingCalendar::add_working_days(TimePoint start, int days) const {
  if (days < 0) return fail(ErrorCode::invalid_input, "Số ngày làm việc không được âm");
  auto exceptions = DVCHUB_TRY(current());
  sys_days day = local_day(start);
  int counted = 0;
  if (days == 0) {
    for (int step = 0; step < search_limit_days; ++step, day += std::chrono::days(1)) {
      if (is_working(*exceptions, day)) return end_of_local_day(day);
    }
  } else {
    for (int step = 0; step < search_limit_days; ++step) {
      day += std::chrono::days(1);
      if (is_working(*exceptions, day) && ++counted == days) return end_of_local_day(day);
    }
  }
  return fail(ErrorCode::invalid_input, "Lịch không có đủ ngày làm việc để tính hạn");
}

Result<int> WorkingCalendar::working_days_between(TimePoint from, TimePoint to) const {
  auto exceptions = DVCHUB_TRY(current());
  int count = 0;
  for (sys_days day = local_day(from) + std::chrono::days(1); day <= local_day(to); day += std::chrono::days(1)) {
    if (is_working(*exceptions, day)) ++count;
  }
  return count;
}

Result<std::vector<CalendarDay>> WorkingCalendar::exceptions(int year) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT day, kind, name, origin FROM calendar_days WHERE day >= $1 AND day <= $2 ORDER BY day",
      {fmt::format("{:04}-01-01", year), fmt::format("{:04}-12-31", year)}));
  std::vector<CalendarDay> days;
  for (const auto& row : rows) {
    auto day = parse_iso_date(row.text(0));
    if (!day) continue;
    days.push_back({*day, row.text(1) == "working" ? DayKind::working : DayKind::holiday, row.text(2),
                    row.text(3) == "computed"});
  }
  return days;
}

Result<void> WorkingCalendar::set_day(const CalendarDay& day, const audit::Actor& actor) {
  if (day.name.empty()) return fail_fields({{"name", "Cần ghi tên ngày nghỉ hoặc ngày làm bù"}});
  auto connection = DVCHUB_TRY(database_.acquire());
  const std::string key = format_iso_date(day.day);
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto before = DVCHUB_TRY(connection->query_one("SELECT kind, name FROM calendar_days WHERE day = $1", {key}));
    std::optional<std::string> before_json;
    if (before) {
      before_json = day_json({day.day, before->text(0) == "working" ? DayKind::working : DayKind::holiday,
                              before->text(1), false});
      DVCHUB_TRY(connection->execute("UPDATE calendar_days SET kind = $2, name = $3, origin = 'admin' WHERE day = $1",
                                     {key, std::string(kind_name(day.kind)), day.name}));
    } else {
      DVCHUB_TRY(connection->execute(
          "INSERT INTO calendar_days (day, kind, name, origin) VALUES ($1, $2, $3, 'admin')",
          {key, std::string(kind_name(day.kind)), day.name}));
    }
    return audit::record(*connection, clock_, actor,
                         {"calendar.set_day", "calendar_day", key, before_json, day_json(day)});
  }));
  forget();
  return {};
}

Result<void> WorkingCalendar::remove_day(year_month_day day, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  const std::string key = format_iso_date(day);
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto before = DVCHUB_TRY(connection->query_one("SELECT kind, name FROM calendar_days WHERE day = $1", {key}));
    if (!before) return fail(ErrorCode::not_found, "Ngày này không có trong lịch nghỉ");
    DVCHUB_TRY(connection->execute("DELETE FROM calendar_days WHERE day = $1", {key}));
    return audit::record(*connection, clock_, actor,
                         {"calendar.remove_day", "calendar_day", key,
                          day_json({day, before->text(0) == "working" ? DayKind::working : DayKind::holiday,
                                    before->text(1), false}),
                          std::nullopt});
  }));
  forget();
  return {};
}

}  // namespace dvchub::calendar
