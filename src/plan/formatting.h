// plan/formatting.h — how the plan's pages, API and documents write numbers, shares, days and texts in Vietnamese.
// Every function is pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/strings.h"  // grouped(): "1.234.567"
#include "http/message.h"

namespace dvchub::plan {

// The path parameter `name` as a positive id; 0 when it is missing or not a whole number.
std::int64_t path_id(const http::Request& request, const std::string& name = "id");
// The query parameter `name` as a year in [2000, 2100]; `fallback` when it is missing or not such a year.
int year_parameter(const http::Request& request, const std::string& name, int fallback);
// The year of an ISO date ("2026-11-27" → 2026); 0 when it does not start with four digits.
int year_of(const std::string& iso);
// "03/04/2025" from "2025-04-03"; the text itself when it is not an ISO date.
std::string display_date(const std::string& iso);
// "08/12" from "12-08"; the text itself when it is not "MM-DD".
std::string display_month_day(const std::string& month_day);
// "ngày 27 tháng 11 năm 2026" from "2026-11-27". Decree 30: days below 10 and the months 1 and 2 take a leading zero
// ("ngày 05 tháng 02", "ngày 08 tháng 12").
std::string long_date(const std::string& iso);
// "80 %" or "66,7 %" (decimal comma, no trailing ",0"); "—" without a value.
std::string percent(std::optional<double> share);
// At most `limit` characters of UTF-8 `text` (never cutting a character), with "…" when shortened.
std::string shortened(const std::string& text, std::size_t limit);
// The non-empty lines of `text`, trimmed.
std::vector<std::string> lines_of(const std::string& text);
// The number of code points of UTF-8 `text` (continuation bytes are not counted).
std::size_t characters(const std::string& text);
// The first line of `text`.
std::string first_line(const std::string& text);

}  // namespace dvchub::plan
