// core/dates.h — civil dates and instants as dvchub shows and stores them.
//
// Vietnam keeps UTC+7 all year (no daylight saving), so Asia/Ho_Chi_Minh is a fixed offset here.
// Storage: instants as integer Unix seconds (UTC); civil dates as ISO text "YYYY-MM-DD" (sorts correctly in SQL).
// Screens: dd/mm/yyyy. APIs: ISO 8601 with offset ("2025-04-03T09:30:00+07:00").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace dvchub {

inline constexpr std::chrono::seconds vietnam_utc_offset{7 * 3600};

// Parses "YYYY-MM-DD" (a real calendar date). Returns nullopt on anything else.
std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text);

// Parses "dd/mm/yyyy" (the on-screen form). Returns nullopt on anything else.
std::optional<std::chrono::year_month_day> parse_display_date(std::string_view text);

// Parses either form above.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

// "2025-04-03"
std::string format_iso_date(std::chrono::year_month_day date);

// "03/04/2025"
std::string format_display_date(std::chrono::year_month_day date);

// The civil date in Vietnam at an instant.
std::chrono::year_month_day vietnam_date(TimePoint instant);

// ISO 8601 with the Vietnam offset, second precision: "2025-04-03T09:30:00+07:00".
std::string format_iso_instant(TimePoint instant);

// "03/04/2025 09:30" in Vietnam time.
std::string format_display_instant(TimePoint instant);

// Unix seconds <-> instants, for storage.
std::int64_t to_unix_seconds(TimePoint instant);
TimePoint from_unix_seconds(std::int64_t seconds);

}  // namespace dvchub
