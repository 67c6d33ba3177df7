#include "kpi/dossier_format.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "csv/csv_reader.h"
#include "json/json.h"

namespace dvchub::kpi {
namespace {

constexpr std::int64_t seconds_per_day = 86400;
constexpr std::int64_t vietnam_offset_seconds = 7 * 3600;

std::int64_t floor_divide(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

// Reads exactly `count` ASCII digits at `position`; nullopt otherwise.
std::optional<int> digits(std::string_view text, std::size_t position, std::size_t count) {
  if (position + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t index = position; index < position + count; ++index) {
    char character = text[index];
    if (character < '0' || character > '9') return std::nullopt;
    value = value * 10 + (character - '0');
  }
  return value;
}

// Local civil date and time to a Unix instant, checking every part; `offset_seconds` east of UTC.
std::optional<std::int64_t> make_instant(int year, int month, int day, int hour, int minute, int second,
                                         std::int64_t offset_seconds) {
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                   std::chrono::day{unsigned(day)}};
  if (!date.ok() || year < 1900 || year > 2200) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return days * seconds_per_day + hour * 3600 + minute * 60 + std::min(second, 59) - offset_seconds;
}

// "HH:mm[:ss[.fff]]" at `position`; returns the index after it.
std::optional<std::size_t> parse_clock(std::string_view text, std::size_t position, int& hour, int& minute,
                                       int& second, bool allow_fraction) {
  auto hours = digits(text, position, 2);
  auto minutes = digits(text, position + 3, 2);
  if (!hours || !minutes || position + 2 >= text.size() || text[position + 2] != ':') return std::nullopt;
  hour = *hours;
  minute = *minutes;
  second = 0;
  std::size_t end = position + 5;
  if (end < text.size() && text[end] == ':') {
    auto seconds = digits(text, end + 1, 2);
    if (!seconds) return std::nullopt;
    second = *seconds;
    end += 3;
    if (allow_fraction && end < text.size() && (text[end] == '.' || text[end] == ',')) {
      std::size_t fraction_end = end + 1;
      while (fraction_end < text.size() && text[fraction_end] >= '0' && text[fraction_end] <= '9') ++fraction_end;
      if (fraction_end == end + 1) return std::nullopt;
      end = fraction_end;
    }
  }
  return end;
}

std::optional<ParsedInstant> parse_iso(std::string_view text) {
  auto year = digits(text, 0, 4);
  auto month = digits(text, 5, 2);
  auto day = digits(text, 8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (text.size() == 10) {
    auto instant = make_instant(*year, *month, *day, 0, 0, 0, vietnam_offset_seconds);
    if (!instant) return std::nullopt;
    return ParsedInstant{*instant, true};
  }
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  auto end = parse_clock(text, 11, hour, minute, second, true);
  if (!end) return std::nullopt;
  std::int64_t offset = vietnam_offset_seconds;
  std::string_view zone = text.substr(*end);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (!zone.empty()) {
    if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
    auto zone_hours = digits(zone, 1, 2);
    std::optional<int> zone_minutes;
    if (zone.size() == 6 && zone[3] == ':') zone_minutes = digits(zone, 4, 2);
    else if (zone.size() == 5) zone_minutes = digits(zone, 3, 2);
    else if (zone.size() == 3) zone_minutes = 0;
    if (!zone_hours || !zone_minutes || *zone_hours > 14 || *zone_minutes > 59) return std::nullopt;
    offset = (*zone_hours * 3600 + *zone_minutes * 60) * (zone[0] == '-' ? -1 : 1);
  }
  auto instant = make_instant(*year, *month, *day, hour, minute, second, offset);
  if (!instant) return std::nullopt;
  return ParsedInstant{*instant, false};
}

std::optional<ParsedInstant> parse_display(std::string_view text) {
  auto day = digits(text, 0, 2);
  auto month = digits(text, 3, 2);
  auto year = digits(text, 6, 4);
  if (!day || !month || !year || text[2] != '/' || text[5] != '/') return std::nullopt;
  if (text.size() == 10) {
    auto instant = make_instant(*year, *month, *day, 0, 0, 0, vietnam_offset_seconds);
    if (!instant) return std::nullopt;
    return ParsedInstant{*instant, true};
  }
  if (text[10] != ' ') return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  auto end = parse_clock(text, 11, hour, minute, second, false);
  if (!end || *end != text.size()) return std::nullopt;
  auto instant = make_instant(*year, *month, *day, hour, minute, second, vietnam_offset_seconds);
  if (!instant) return std::nullopt;
  return ParsedInstant{*instant, false};
}

std::optional<ParsedInstant> parse_compact(std::string_view text) {
  auto year = digits(text, 0, 4);
  auto month = digits(text, 4, 2);
  auto day = digits(text, 6, 2);
  auto hour = digits(text, 8, 2);
  auto minute = digits(text, 10, 2);
  auto second = digits(text, 12, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  auto instant = make_instant(*year, *month, *day, *hour, *minute, *second, vietnam_offset_seconds);
  if (!instant) return std::nullopt;
  return ParsedInstant{*instant, false};
}

std::optional<int> small_integer(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view without_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Text of a JSON value for the row: strings as they are, numbers in decimal, booleans 1/0, null empty.
std::string json_field_text(const json::Value& value) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_int64()) return std::to_string(value.as_int64());
  if (value.is_uint64()) return std::to_string(value.as_uint64());
  if (value.is_double()) {
    double number = value.as_double();
    if (number == static_cast<double>(static_cast<std::int64_t>(number))) {
      return std::to_string(static_cast<std::int64_t>(number));
    }
    return json::serialize(value);
  }
  if (value.is_bool()) return value.as_bool() ? "1" : "0";
  return {};
}

Result<void> read_json_lines(std::istream& input, std::string pending, const std::vector<std::string_view>& column_names,
                             const RowSink& sink) {
  std::size_t bytes_read = pending.size();
  std::size_t line_number = 0;
  std::vector<std::string> texts(column_names.size());
  std::vector<std::string_view> values(column_names.size());
  auto handle_line = [&](std::string_view line) {
    ++line_number;
    line = without_spaces(line);
    if (line.empty()) return;
    auto object = json::parse_object(line);
    if (!object) {
      sink.on_bad_line(line_number, "Dòng không phải một đối tượng JSON hợp lệ");
      return;
    }
    for (std::size_t index = 0; index < column_names.size(); ++index) {
      auto found = object->find(column_names[index]);
      texts[index] = found == object->end() ? std::string() : json_field_text(found->value());
      values[index] = texts[index];
    }
    sink.on_row(line_number, values);
  };
  std::string block(1 << 20, '\0');
  while (true) {
    std::size_t start = 0;
    for (std::size_t newline = pending.find('\n'); newline != std::string::npos;
         newline = pending.find('\n', start)) {
      handle_line(std::string_view(pending).substr(start, newline - start));
      start = newline + 1;
    }
    pending.erase(0, start);
    if (!input) break;
    input.read(block.data(), static_cast<std::streamsize>(block.size()));
    std::size_t got = static_cast<std::size_t>(input.gcount());
    if (got == 0) break;
    pending.append(block.data(), got);
    bytes_read += got;
    if (sink.on_progress) sink.on_progress(bytes_read);
  }
  if (!without_spaces(pending).empty()) handle_line(pending);
  return {};
}

}  // namespace

DayNumber local_day(std::int64_t unix_seconds) {
  return floor_divide(unix_seconds + vietnam_offset_seconds, seconds_per_day);
}

std::int64_t start_of_local_day(DayNumber day) { return day * seconds_per_day - vietnam_offset_seconds; }

std::optional<DayNumber> day_from_iso(std::string_view iso_date) {
  if (iso_date.size() != 10) return std::nullopt;
  auto parsed = parse_iso(iso_date);
  if (!parsed) return std::nullopt;
  return local_day(parsed->unix_seconds);
}

std::string iso_from_day(DayNumber day) {
  std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
  return text;
}

std::int64_t month_of_day(DayNumber day) {
  std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  return std::int64_t(int(date.year())) * 12 + (unsigned(date.month()) - 1);
}

DayNumber first_day_of_month(std::int64_t month) {
  std::chrono::year_month_day date{std::chrono::year{int(floor_divide(month, 12))},
                                   std::chrono::month{unsigned(month - floor_divide(month, 12) * 12 + 1)},
                                   std::chrono::day{1}};
  return std::chrono::sys_days(date).time_since_epoch().count();
}

std::optional<ParsedInstant> parse_dossier_instant(std::string_view text) {
  text = without_spaces(text);
  if (text.size() >= 10 && text[4] == '-') return parse_iso(text);
  if (text.size() >= 10 && text[2] == '/') return parse_display(text);
  if (text.size() == 14) return parse_compact(text);
  return std::nullopt;
}

const std::array<std::string_view, dossier_field_count>& dossier_field_names() {
  static const std::array<std::string_view, dossier_field_count> names{
      "MaHoSo",          "MaTTHC",          "MaDonVi",        "KenhThucHien",
      "NgayTiepNhan",    "NgayHenTra",      "NgayKetThucXuLy", "NgayTra",
      "TrangThaiHoSo",   "SoLanBoSung",     "DuocThanhToanTrucTuyen", "CoNghiaVuTaiChinh",
      "HoSoCoThanhPhanSoHoa", "CoKetQuaDienTu", "TaiKhoanDuocXacThucVoiVNeID", "MaNguoiNop"};
  return names;
}

tl::expected<DossierRecord, RowRejection> parse_dossier_row(
    const std::array<std::string_view, dossier_field_count>& values) {
  const auto& names = dossier_field_names();
  auto value = [&](DossierField field) { return without_spaces(values[std::size_t(field)]); };
  auto reject = [&](DossierField field, std::string reason) {
    return tl::unexpected(RowRejection{0, std::string(names[std::size_t(field)]), std::move(reason)});
  };
  DossierRecord record;
  record.dossier_code = value(DossierField::dossier_code);
  if (record.dossier_code.empty()) return reject(DossierField::dossier_code, "Thiếu mã hồ sơ");
  if (record.dossier_code.size() > 100) return reject(DossierField::dossier_code, "Mã hồ sơ dài quá 100 ký tự");
  record.unit_code = value(DossierField::unit_code);
  if (record.unit_code.empty()) return reject(DossierField::unit_code, "Thiếu mã đơn vị");
  record.procedure_code = value(DossierField::procedure_code);

  auto received = parse_dossier_instant(value(DossierField::received));
  if (value(DossierField::received).empty()) return reject(DossierField::received, "Thiếu ngày tiếp nhận");
  if (!received) return reject(DossierField::received, "Ngày không đúng định dạng");
  record.received_at = received->unix_seconds;

  struct InstantField {
    DossierField field;
    std::optional<std::int64_t>* target;
  };
  for (auto [field, target] : {InstantField{DossierField::due, &record.due_at},
                               InstantField{DossierField::finished, &record.finished_at},
                               InstantField{DossierField::returned, &record.returned_at}}) {
    if (value(field).empty()) continue;
    auto parsed = parse_dossier_instant(value(field));
    if (!parsed) return reject(field, "Ngày không đúng định dạng");
    // A due date without a time means the end of that day.
    *target = parsed->unix_seconds + (field == DossierField::due && parsed->date_only ? seconds_per_day - 1 : 0);
  }

  struct IntegerField {
    DossierField field;
    std::optional<int>* target;
    int minimum;
    int maximum;
    const char* reason;
  };
  for (const auto& rule : {
           IntegerField{DossierField::channel, &record.channel, 1, 3, "Kênh thực hiện phải là 1, 2 hoặc 3"},
           IntegerField{DossierField::status, &record.status, 1, 10, "Trạng thái hồ sơ phải từ 1 đến 10"},
           IntegerField{DossierField::supplements, &record.supplements, 0, 1000, "Số lần bổ sung phải là số không âm"},
           IntegerField{DossierField::payment, &record.payment, 0, 2, "Thanh toán trực tuyến phải là 0, 1 hoặc 2"},
           IntegerField{DossierField::has_fees, &record.has_fees, 0, 1, "Giá trị phải là 0 hoặc 1"},
           IntegerField{DossierField::digitized, &record.digitized, 0, 1, "Giá trị phải là 0 hoặc 1"},
           IntegerField{DossierField::electronic_result, &record.electronic_result, 0, 1, "Giá trị phải là 0 hoặc 1"},
           IntegerField{DossierField::vneid, &record.vneid, 0, 1, "Giá trị phải là 0 hoặc 1"},
       }) {
    auto text = value(rule.field);
    if (text.empty()) continue;
    auto parsed = small_integer(text);
    if (!parsed || *parsed < rule.minimum || *parsed > rule.maximum) return reject(rule.field, rule.reason);
    *rule.target = *parsed;
  }
  auto submitter = value(DossierField::submitter);
  if (submitter.size() > 100) return reject(DossierField::submitter, "Mã người nộp dài quá 100 ký tự");
  // Stored one per line in kpi_daily_submitters (migrations/0025): a control character would split or join entries.
  if (std::any_of(submitter.begin(), submitter.end(), [](char c) { return (unsigned char)c < 0x20 || c == 0x7f; })) {
    return reject(DossierField::submitter, "Mã người nộp có ký tự điều khiển (xuống dòng, tab…)");
  }
  if (!submitter.empty()) record.submitter = submitter;
  return record;
}

Result<void> read_export(std::istream& input, const std::vector<std::string_view>& column_names,
                         const std::vector<std::string_view>& required_columns, const RowSink& sink) {
  constexpr std::size_t block_size = 4 << 20;
  std::string pending;
  std::string block(block_size, '\0');
  // Look at the first bytes to choose the format.
  while (input && pending.find_first_not_of(" \t\r\n\xEF\xBB\xBF") == std::string::npos) {
    input.read(block.data(), static_cast<std::streamsize>(block.size()));
    pending.append(block.data(), static_cast<std::size_t>(input.gcount()));
    if (input.gcount() == 0) break;
  }
  auto first = pending.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string::npos) return fail(ErrorCode::invalid_input, "Tệp rỗng");
  if (pending[first] == '{') return read_json_lines(input, std::move(pending), column_names, sink);

  std::vector<std::ptrdiff_t> positions;  // for each wanted column, its index in the file, or -1
  std::size_t record_offset = 0;
  std::size_t bytes_read = pending.size();
  std::vector<std::string_view> values(column_names.size());
  std::optional<Error> header_error;
  auto handle_record = [&](std::size_t record_number, std::span<const std::string_view> fields) {
    std::size_t line = record_offset + record_number;
    if (positions.empty()) {
      positions.assign(column_names.size(), -1);
      for (std::size_t column = 0; column < fields.size(); ++column) {
        std::string_view name = without_spaces(fields[column]);
        if (column == 0 && name.substr(0, 3) == "\xEF\xBB\xBF") name.remove_prefix(3);
        for (std::size_t wanted = 0; wanted < column_names.size(); ++wanted) {
          if (name == column_names[wanted]) positions[wanted] = std::ptrdiff_t(column);
        }
      }
      std::vector<FieldError> missing;
      for (auto required : required_columns) {
        for (std::size_t wanted = 0; wanted < column_names.size(); ++wanted) {
          if (column_names[wanted] == required && positions[wanted] < 0) {
            missing.push_back({std::string(required), "Dòng tiêu đề thiếu cột này"});
          }
        }
      }
      if (!missing.empty()) {
        header_error = Error{ErrorCode::invalid_input, "Dòng tiêu đề của tệp thiếu cột bắt buộc", missing, {}};
        return false;
      }
      return true;
    }
    if (fields.size() == 1 && without_spaces(fields[0]).empty()) return true;  // a blank line
    for (std::size_t wanted = 0; wanted < column_names.size(); ++wanted) {
      auto position = positions[wanted];
      if (position >= 0 && std::size_t(position) < fields.size()) values[wanted] = fields[std::size_t(position)];
      else values[wanted] = {};
    }
    sink.on_row(line, values);
    return true;
  };
  while (true) {
    // Hand over the complete records: up to the last line break outside quotes.
    std::size_t boundary = std::string::npos;
    if (pending.find('"') == std::string::npos) {
      boundary = pending.rfind('\n');
    } else {
      bool in_quotes = false;
      for (std::size_t index = 0; index < pending.size(); ++index) {
        char character = pending[index];
        if (character == '"') in_quotes = !in_quotes;
        else if (character == '\n' && !in_quotes) boundary = index;
      }
    }
    bool at_end = !input || input.peek() == std::char_traits<char>::eof();
    std::size_t take = at_end ? pending.size() : (boundary == std::string::npos ? 0 : boundary + 1);
    if (take > 0) {
      auto records = csv::read_record_views(std::string_view(pending).substr(0, take), handle_record);
      if (header_error) return tl::unexpected(*header_error);
      if (!records) {
        auto error = records.error();
        error.message = "Tệp CSV không hợp lệ sau dòng " + std::to_string(record_offset) + " (dấu ngoặc kép chưa đóng?)";
        return tl::unexpected(error);
      }
      record_offset += *records;
      pending.erase(0, take);
    }
    if (at_end) break;
    input.read(block.data(), static_cast<std::streamsize>(block.size()));
    std::size_t got = static_cast<std::size_t>(input.gcount());
    pending.append(block.data(), got);
    bytes_read += got;
    if (sink.on_progress) sink.on_progress(bytes_read);
  }
  if (positions.empty()) return fail(ErrorCode::invalid_input, "Tệp không có dòng tiêu đề");
  return {};
}

}  // namespace dvchub::kpi
