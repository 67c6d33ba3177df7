#include "plan/formatting.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/dates.h"
#include "core/strings.h"

namespace dvchub::plan {

std::int64_t path_id(const http::Request& request, const std::string& name) {
  const std::string text = request.path_parameter(name);
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc() && end == text.data() + text.size() ? id : 0;
}

int year_parameter(const http::Request& request, const std::string& name, int fallback) {
  const std::string text = request.query_parameter(name).value_or("");
  int year = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  return error == std::errc() && end == text.data() + text.size() && year >= 2000 && year <= 2100 ? year : fallback;
}

int year_of(const std::string& iso) {
  int year = 0;
  auto [end, error] = std::from_chars(iso.data(), iso.data() + std::min<std::size_t>(iso.size(), 4), year);
  return error == std::errc() && end == iso.data() + 4 ? year : 0;
}

std::string display_date(const std::string& iso) {
  auto date = parse_iso_date(iso);
  return date ? format_display_date(*date) : iso;
}

std::string percent(std::optional<double> share) {
  if (!share) return "—";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *share * 100.0);
  std::string result = text;
  if (result.size() > 2 && result.compare(result.size() - 2, 2, ".0") == 0) result.resize(result.size() - 2);
  for (auto& character : result) {
    if (character == '.') character = ',';
  }
  return result + " %";
}

std::string shortened(const std::string& text, std::size_t limit) {
  std::size_t characters = 0;
  for (std::size_t index = 0; index < text.size(); ++index) {
    if ((static_cast<unsigned char>(text[index]) & 0xC0) != 0x80 && characters++ == limit) {
      return text.substr(0, index) + "…";
    }
  }
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = trimmed(text.substr(start, end - start));
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::size_t characters(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char byte : text) count += (byte & 0xC0) != 0x80;
  return count;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string display_month_day(const std::string& month_day) {
  if (month_day.size() != 5) return month_day;
  return month_day.substr(3, 2) + "/" + month_day.substr(0, 2);
}

std::string long_date(const std::string& iso) {
  if (iso.size() != 10) return iso;
  const int month = std::stoi(iso.substr(5, 2));
  return "ngày " + iso.substr(8, 2) + " tháng " + (month < 3 ? iso.substr(5, 2) : std::to_string(month)) + " năm " +
         iso.substr(0, 4);
}

}  // namespace dvchub::plan
