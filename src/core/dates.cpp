#include "core/dates.h"

#include <charconv>
#include <cstdio>

namespace dvchub {
namespace {

bool parse_digits(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char character : text) {
    if (character < '0' || character > '9') return false;
  }
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

std::optional<std::chrono::year_month_day> make_date(int year, int month, int day) {
  std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day))};
  if (year < 1900 || year > 2999 || !date.ok()) return std::nullopt;
  return date;
}

}  // namespace

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0, month = 0, day = 0;
  if (!parse_digits(text.substr(0, 4), year) || !parse_digits(text.substr(5, 2), month) ||
      !parse_digits(text.substr(8, 2), day))
    return std::nullopt;
  return make_date(year, month, day);
}

std::optional<std::chrono::year_month_day> parse_display_date(std::string_view text) {
  if (text.size() != 10 || text[2] != '/' || text[5] != '/') return std::nullopt;
  int year = 0, month = 0, day = 0;
  if (!parse_digits(text.substr(6, 4), year) || !parse_digits(text.substr(3, 2), month) ||
      !parse_digits(text.substr(0, 2), day))
    return std::nullopt;
  return make_date(year, month, day);
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  if (auto date = parse_iso_date(text)) return date;
  return parse_display_date(text);
}

std::string format_iso_date(std::chrono::year_month_day date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string format_display_date(std::chrono::year_month_day date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02u/%02u/%04d", static_cast<unsigned>(date.day()),
                static_cast<unsigned>(date.month()), static_cast<int>(date.year()));
  return buffer;
}

std::chrono::year_month_day vietnam_date(TimePoint instant) {
  auto local = std::chrono::floor<std::chrono::days>(instant + vietnam_utc_offset);
  return std::chrono::year_month_day(local);
}

std::string format_iso_instant(TimePoint instant) {
  auto local = std::chrono::floor<std::chrono::seconds>(instant + vietnam_utc_offset);
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day date(day);
  std::chrono::hh_mm_ss time(local - day);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d+07:00", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buffer;
}

std::string format_display_instant(TimePoint instant) {
  auto local = std::chrono::floor<std::chrono::minutes>(instant + vietnam_utc_offset);
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::hh_mm_ss time(local - day);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, " %02d:%02d", static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()));
  return format_display_date(std::chrono::year_month_day(day)) + buffer;
}

std::int64_t to_unix_seconds(TimePoint instant) {
  return std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
}

TimePoint from_unix_seconds(std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

}  // namespace dvchub
