#include "kpi/kpi_routes.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <cstdio>

#include "csv/csv_writer.h"
#include "json/json.h"
#include "kpi/index766.h"
#include "spreadsheet/spreadsheet.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::kpi {
namespace {

// The period of a request: `to` defaults to today, `from` to the first day of to's year.
struct Period {
  DayNumber from = 0;
  DayNumber to = 0;
};

Result<Period> period_of(const http::Request& request, const KpiService& kpi) {
  const std::string today = iso_from_day(kpi.today());
  auto to_text = DVCHUB_TRY(web::day_parameter(request, "to", today));
  auto to = *day_from_iso(to_text);
  auto from_text = DVCHUB_TRY(web::day_parameter(request, "from", to_text.substr(0, 4) + "-01-01"));
  return Period{*day_from_iso(from_text), to};
}

Result<std::string> required(const http::Request& request, const char* name, const char* message) {
  auto value = request.query_parameter(name);
  if (!value || value->empty()) return fail_fields({{name, message}});
  return *value;
}

json::Value optional_number(const std::optional<double>& number) {
  if (!number) return nullptr;
  return *number;
}

json::Object indicator_json(const IndicatorValue& indicator) {
  json::Object object;
  object["label"] = indicator_label(indicator.key);
  object["numerator"] = indicator.numerator;
  object["denominator"] = indicator.denominator;
  object["value"] = optional_number(indicator.value);
  object["target"] = optional_number(indicator.target);
  if (indicator.met) object["met"] = *indicator.met;
  else object["met"] = nullptr;
  return object;
}

// A KPI answer: compact JSON, numbers in their shortest round-trip form ("0.375"), as the ranking writes them.
http::Response json_answer(const json::Object& body) {
  std::string text;
  json::append_value(text, body);
  return web::json_response(200, std::move(text));
}

json::Object unit_json(const UnitSummary& unit) {
  json::Object object;
  object["code"] = unit.code;
  object["name"] = unit.name;
  object["kind"] = unit.kind;
  return object;
}

http::Response kpi_answer(KpiService& kpi, http::Request& request) {
  auto unit = required(request, "unit", "Thiếu mã đơn vị");
  if (!unit) return web::json_error(unit.error());
  auto period = period_of(request, kpi);
  if (!period) return web::json_error(period.error());
  auto report = kpi.report(*unit, period->from, period->to);
  if (!report) return web::json_error(report.error());
  json::Object indicators;
  for (const auto& indicator : report->indicators) indicators[indicator.key] = indicator_json(indicator);
  json::Object body;
  body["unit"] = unit_json(report->unit);
  body["from"] = iso_from_day(report->from);
  body["to"] = iso_from_day(report->to);
  body["indicators"] = std::move(indicators);
  return json_answer(body);
}

constexpr const char* index766_note =
    "Ước tính từ dữ liệu hồ sơ và danh mục TTHC của dvchub, không phải điểm chính thức của Bộ chỉ số 766 "
    "(Cổng DVCQG tính trên dữ liệu đồng bộ của Cổng); các thành phần chưa ước tính được không cộng điểm.";

// Points shown with two decimals, as the portal does.
double rounded_points(double points) { return std::round(points * 100.0) / 100.0; }

// The 766 estimate of the report's unit and period, with the store's scoring curves.
Result<Index766Estimate> index766_of(KpiService& kpi, const KpiReport& report) {
  auto curves = DVCHUB_TRY(kpi.scoring_curves());
  return estimate_index766(report, curves);
}

http::Response index766_answer(KpiService& kpi, http::Request& request) {
  auto unit = required(request, "unit", "Thiếu mã đơn vị");
  if (!unit) return web::json_error(unit.error());
  auto period = period_of(request, kpi);
  if (!period) return web::json_error(period.error());
  auto report = kpi.report(*unit, period->from, period->to);
  if (!report) return web::json_error(report.error());
  auto estimate = index766_of(kpi, *report);
  if (!estimate) return web::json_error(estimate.error());
  json::Array groups;
  for (const char* group_key : {"cong_khai", "tien_do", "dvctt", "so_hoa", "thanh_toan", "hai_long"}) {
    json::Array components;
    double points = 0, estimated_maximum = 0, maximum = 0;
    for (const auto& item : estimate->components) {
      if (item.component.group != group_key) continue;
      json::Object component;
      component["code"] = item.component.code;
      component["label"] = item.component.label;
      component["estimated"] = item.ratio.has_value();
      component["note"] = item.component.note;
      component["numerator"] = item.numerator;
      component["denominator"] = item.denominator;
      component["ratio"] = optional_number(item.ratio);
      component["max_points"] = item.curve.max_points;
      component["full_at"] = item.curve.full_at;
      component["points"] = item.points ? json::Value(rounded_points(*item.points)) : json::Value(nullptr);
      components.push_back(std::move(component));
      maximum += item.curve.max_points;
      if (item.points) points += *item.points, estimated_maximum += item.curve.max_points;
    }
    json::Object group;
    group["key"] = group_key;
    group["label"] = index766_group_label(group_key);
    group["maximum"] = maximum;
    group["points"] = rounded_points(points);
    group["estimated_maximum"] = estimated_maximum;
    group["components"] = std::move(components);
    groups.push_back(std::move(group));
  }
  json::Object body;
  body["unit"] = unit_json(report->unit);
  body["from"] = iso_from_day(report->from);
  body["to"] = iso_from_day(report->to);
  body["estimate"] = true;
  body["note"] = index766_note;
  body["points"] = rounded_points(estimate->points);
  body["estimated_maximum"] = estimate->estimated_maximum;
  body["maximum"] = estimate->maximum;
  body["groups"] = std::move(groups);
  return json_answer(body);
}

// A whole number query parameter ≥ `minimum`; `fallback` when absent.
Result<std::size_t> count_parameter(const http::Request& request, const char* name, std::size_t minimum,
                                    std::size_t fallback, const char* message) {
  auto text = request.query_parameter(name);
  if (!text) return fallback;
  std::size_t count = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), count);
  if (error != std::errc() || end != text->data() + text->size() || count < minimum) {
    return fail_fields({{name, message}});
  }
  return count;
}

// Appends a whole number.
void append_integer(std::string& out, std::int64_t number) {
  char digits[24];
  const auto [end, error] = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, end);
}

// The per-unit fields of a ranking answer, in the order of each entry's array.
constexpr const char* ranking_columns = R"(["rank","code","name","numerator","denominator","value","met"])";

http::Response ranking_answer(KpiService& kpi, http::Request& request) {
  auto indicator = required(request, "indicator", "Thiếu tên chỉ số");
  if (!indicator) return web::json_error(indicator.error());
  auto period = period_of(request, kpi);
  if (!period) return web::json_error(period.error());
  const std::string kind = request.query_parameter("kind").value_or("commune");
  // `offset` and `limit`: a page of the ranking (the commendation list is limit=10); ranks are computed over every
  // unit, and the whole ranking is the default.
  auto offset = count_parameter(request, "offset", 0, 0, "Vị trí bắt đầu phải là số nguyên không âm");
  if (!offset) return web::json_error(offset.error());
  auto limit = count_parameter(request, "limit", 1, std::numeric_limits<std::size_t>::max(),
                               "Số đơn vị phải là số nguyên dương");
  if (!limit) return web::json_error(limit.error());
  auto ranking = kpi.ranking(*indicator, period->from, period->to, kind, *offset, *limit);
  if (!ranking) return web::json_error(ranking.error());
  // Compact, written straight into the answer (thousands of units): what every unit shares once, then one array
  // per unit in the order of "columns".
  std::string body;
  body.reserve(320 + ranking->entries.size() * 72);
  body += "{\"indicator\":";
  json::append_string(body, *indicator);
  body += ",\"label\":";
  json::append_string(body, indicator_label(*indicator));
  body += ",\"from\":\"" + iso_from_day(period->from) + "\",\"to\":\"" + iso_from_day(period->to) + "\",\"kind\":";
  json::append_string(body, kind);
  body += ",\"target\":";
  if (ranking->target) json::append_number(body, *ranking->target);
  else body += "null";
  body += ",\"unit_count\":";
  append_integer(body, std::int64_t(ranking->unit_count));
  body += ",\"offset\":";
  append_integer(body, std::int64_t(*offset));
  body += ",\"columns\":";
  body += ranking_columns;
  body += ",\"units\":[";
  bool first = true;
  for (const auto& entry : ranking->entries) {
    const auto& value = entry.indicator;
    body += first ? "[" : ",[";
    first = false;
    append_integer(body, entry.rank);
    body += ',';
    json::append_string(body, entry.unit.code);
    body += ',';
    json::append_string(body, entry.unit.name);
    body += ',';
    append_integer(body, value.numerator);
    body += ',';
    append_integer(body, value.denominator);
    body += ',';
    if (value.value) json::append_number(body, *value.value);
    else body += "null";
    body += value.met ? (*value.met ? ",true]" : ",false]") : ",null]";
  }
  body += "]}";
  return web::json_response(200, std::move(body));
}

http::Response series_answer(KpiService& kpi, http::Request& request) {
  auto unit = required(request, "unit", "Thiếu mã đơn vị");
  if (!unit) return web::json_error(unit.error());
  auto indicator = required(request, "indicator", "Thiếu tên chỉ số");
  if (!indicator) return web::json_error(indicator.error());
  if (request.query_parameter("step").value_or("month") != "month") {
    return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu gửi lên chưa hợp lệ",
                                 {{"step", "Chỉ hỗ trợ step=month"}}, {}});
  }
  auto period = period_of(request, kpi);
  if (!period) return web::json_error(period.error());
  auto series = kpi.series(*unit, *indicator, period->from, period->to);
  if (!series) return web::json_error(series.error());
  json::Array points;
  for (const auto& point : *series) {
    json::Object item = indicator_json(point.indicator);
    item["from"] = iso_from_day(point.from);
    item["to"] = iso_from_day(point.to);
    points.push_back(std::move(item));
  }
  json::Object body;
  body["unit"] = *unit;
  body["indicator"] = *indicator;
  body["from"] = iso_from_day(period->from);
  body["to"] = iso_from_day(period->to);
  body["step"] = "month";
  body["points"] = std::move(points);
  return json_answer(body);
}

// "80,5 %" (Vietnamese decimal comma), or "—" for no value.
std::string percent(const std::optional<double>& value) {
  if (!value) return "—";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %%", *value * 100.0);
  std::string result = text;
  for (auto& character : result) {
    if (character == '.') character = ',';
  }
  return result;
}

// A number for SVG coordinates, one decimal.
// Points with two decimals and a decimal comma: "12,35".
std::string points_text(double points) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", points);
  std::string result = text;
  std::replace(result.begin(), result.end(), '.', ',');
  return result;
}

std::string coordinate(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// "1.234.567" (Vietnamese thousands separator).
std::string grouped(std::int64_t number) {
  std::string digits = std::to_string(number < 0 ? -number : number);
  std::string result;
  for (std::size_t index = 0; index < digits.size(); ++index) {
    if (index > 0 && (digits.size() - index) % 3 == 0) result += '.';
    result += digits[index];
  }
  return number < 0 ? "-" + result : result;
}

std::string display_date(DayNumber day) {
  std::string iso = iso_from_day(day);
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string ratio_text(const std::optional<double>& value) {
  if (!value) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", *value);
  return text;
}

// A table the dashboard offers for download, described once for both formats: machine column names for CSV (the
// sheet's Vietnamese headers for XLSX) and typed cells.
struct ExportTable {
  std::string file_name;  // without the extension
  std::vector<std::string> csv_headers;
  spreadsheet::Sheet sheet;
};

// "csv" or "xlsx", the last part of the requested path.
std::string export_format(const http::Request& request) {
  return request.path.size() >= 5 && request.path.ends_with(".xlsx") ? "xlsx" : "csv";
}

// `table` as a CSV file (UTF-8 with BOM, every field quoted, formulas defused; ratios with six decimals) or an XLSX
// workbook of one sheet.
http::Response export_response(const ExportTable& table, const std::string& format) {
  if (format == "xlsx") {
    auto bytes = spreadsheet::write_xlsx({table.sheet.title, "dvchub", {table.sheet}});
    if (!bytes) return web::json_error(bytes.error());
    auto response = http::Response::text(200, std::move(*bytes),
                                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    response.headers.set("Content-Disposition", "attachment; filename=\"" + table.file_name + ".xlsx\"");
    return response;
  }
  std::string body(csv::utf8_byte_order_mark);
  body += csv::record(table.csv_headers);
  std::vector<std::string> fields;
  for (const auto& row : table.sheet.rows) {
    fields.clear();
    for (const auto& cell : row) {
      if (const auto* text = std::get_if<std::string>(&cell)) fields.push_back(*text);
      else if (const auto* integer = std::get_if<std::int64_t>(&cell)) fields.push_back(std::to_string(*integer));
      else if (const auto* real = std::get_if<double>(&cell)) fields.push_back(ratio_text(*real));
      else fields.emplace_back();
    }
    body += csv::record(fields);
  }
  auto response = http::Response::text(200, std::move(body), "text/csv; charset=utf-8");
  response.headers.set("Content-Disposition", "attachment; filename=\"" + table.file_name + ".csv\"");
  return response;
}

spreadsheet::Cell optional_cell(const std::optional<double>& value) {
  return value ? spreadsheet::Cell{*value} : spreadsheet::Cell{};
}

// The unit asked for, or the top-level unit on `day`.
Result<std::string> unit_or_top(const KpiService& kpi, const http::Request& request, DayNumber day) {
  auto unit = request.query_parameter("unit");
  if (unit && !unit->empty()) return *unit;
  return kpi.top_unit_code(day);
}

// Every indicator of the unit and period: /chi-so/chi-so.csv and .xlsx.
http::Response indicators_export(KpiService& kpi, http::Request& request) {
  auto period = period_of(request, kpi);
  if (!period) return web::json_error(period.error());
  auto unit_code = unit_or_top(kpi, request, period->to);
  if (!unit_code) return web::json_error(unit_code.error());
  auto report = kpi.report(*unit_code, period->from, period->to);
  if (!report) return web::json_error(report.error());
  using spreadsheet::Cell;
  using spreadsheet::ColumnFormat;
  ExportTable table;
  table.file_name = "chi-so-" + report->unit.code;
  table.csv_headers = {"don_vi", "tu_ngay", "den_ngay", "chi_so", "ten_chi_so", "tu_so", "mau_so", "gia_tri",
                       "chi_tieu", "dat"};
  table.sheet.name = "Chỉ số";
  table.sheet.title = "Chỉ số DVCTT của " + report->unit.name + " từ " + display_date(period->from) + " đến " +
                      display_date(period->to);
  table.sheet.columns = {{"Mã đơn vị", 12},
                         {"Từ ngày", 11},
                         {"Đến ngày", 11},
                         {"Mã chỉ số", 24},
                         {"Chỉ số", 48},
                         {"Tử số", 11, ColumnFormat::integer},
                         {"Mẫu số", 11, ColumnFormat::integer},
                         {"Kết quả", 10, ColumnFormat::percent},
                         {"Chỉ tiêu", 10, ColumnFormat::percent},
                         {"Đạt (1/0)", 9, ColumnFormat::integer}};
  for (const auto& indicator : report->indicators) {
    table.sheet.rows.push_back({Cell{report->unit.code}, Cell{iso_from_day(period->from)},
                                Cell{iso_from_day(period->to)}, Cell{indicator.key}, Cell{indicator_label(indicator.key)},
                                Cell{indicator.numerator}, Cell{indicator.denominator}, optional_cell(indicator.value),
                                optional_cell(indicator.target),
                                indicator.met ? Cell{std::int64_t{*indicator.met ? 1 : 0}} : Cell{}});
  }
  return export_response(table, export_format(request));
}

// The ranking of one indicator: /chi-so/xep-hang.csv and .xlsx.
http::Response ranking_export(KpiService& kpi, http::Request& request) {
  auto period = period_of(request, kpi);
  if (!period) return web::json_error(period.error());
  const std::string indicator = request.query_parameter("indicator").value_or("full_online_rate");
  auto ranking = kpi.ranking(indicator, period->from, period->to, request.query_parameter("kind").value_or("commune"));
  if (!ranking) return web::json_error(ranking.error());
  using spreadsheet::Cell;
  using spreadsheet::ColumnFormat;
  ExportTable table;
  table.file_name = "xep-hang-" + indicator;
  table.csv_headers = {"hang", "ma_don_vi", "ten_don_vi", "chi_so", "tu_so", "mau_so", "gia_tri"};
  table.sheet.name = "Xếp hạng";
  table.sheet.title = "Xếp hạng theo " + indicator_label(indicator) + " từ " + display_date(period->from) + " đến " +
                      display_date(period->to);
  table.sheet.columns = {{"Hạng", 6, ColumnFormat::integer},   {"Mã đơn vị", 12},
                         {"Đơn vị", 36},                       {"Mã chỉ số", 24},
                         {"Tử số", 11, ColumnFormat::integer}, {"Mẫu số", 11, ColumnFormat::integer},
                         {"Kết quả", 10, ColumnFormat::percent}};
  for (const auto& entry : ranking->entries) {
    table.sheet.rows.push_back({Cell{entry.rank}, Cell{entry.unit.code}, Cell{entry.unit.name}, Cell{indicator},
                                Cell{entry.indicator.numerator}, Cell{entry.indicator.denominator},
                                optional_cell(entry.indicator.value)});
  }
  return export_response(table, export_format(request));
}

// One indicator of one unit month by month: /chi-so/theo-thang.csv and .xlsx.
http::Response series_export(KpiService& kpi, http::Request& request) {
  auto period = period_of(request, kpi);
  if (!period) return web::json_error(period.error());
  auto unit_code = unit_or_top(kpi, request, period->to);
  if (!unit_code) return web::json_error(unit_code.error());
  const std::string indicator = request.query_parameter("indicator").value_or("full_online_rate");
  auto series = kpi.series(*unit_code, indicator, period->from, period->to);
  if (!series) return web::json_error(series.error());
  using spreadsheet::Cell;
  using spreadsheet::ColumnFormat;
  ExportTable table;
  table.file_name = "theo-thang-" + *unit_code + "-" + indicator;
  table.csv_headers = {"don_vi", "chi_so", "tu_ngay", "den_ngay", "tu_so", "mau_so", "gia_tri", "chi_tieu"};
  table.sheet.name = "Theo tháng";
  table.sheet.title = indicator_label(indicator) + " theo tháng, đơn vị " + *unit_code;
  table.sheet.columns = {{"Mã đơn vị", 12}, {"Mã chỉ số", 24}, {"Từ ngày", 11}, {"Đến ngày", 11},
                         {"Tử số", 11, ColumnFormat::integer}, {"Mẫu số", 11, ColumnFormat::integer},
                         {"Kết quả", 10, ColumnFormat::percent}, {"Chỉ tiêu", 10, ColumnFormat::percent}};
  for (const auto& point : *series) {
    table.sheet.rows.push_back({Cell{*unit_code}, Cell{indicator}, Cell{iso_from_day(point.from)},
                                Cell{iso_from_day(point.to)}, Cell{point.indicator.numerator},
                                Cell{point.indicator.denominator}, optional_cell(point.indicator.value),
                                optional_cell(point.indicator.target)});
  }
  return export_response(table, export_format(request));
}

http::Response dashboard(KpiService& kpi, http::Request& request) {
  const http::Principal* principal = web::principal_of(request);
  auto period = period_of(request, kpi);
  if (!period) return web::error_page(400, period.error().fields.at(0).message, principal);
  auto top_or_asked = unit_or_top(kpi, request, period->to);
  if (!top_or_asked) return web::error_page(404, top_or_asked.error().message, principal);
  const std::string unit_code = *top_or_asked;
  std::string indicator = request.query_parameter("indicator").value_or("full_online_rate");
  const auto& keys = indicator_keys();
  if (std::find(keys.begin(), keys.end(), indicator) == keys.end()) indicator = "full_online_rate";
  auto report = kpi.report(unit_code, period->from, period->to);
  if (!report) return web::error_page(report.error().code == ErrorCode::not_found ? 404 : 400, report.error().message,
                                      principal);
  auto series = kpi.series(unit_code, indicator, period->from, period->to);
  auto ranking = kpi.ranking(indicator, period->from, period->to, "commune");
  if (!series || !ranking) return web::error_page(503, "Chưa tính được chỉ số, vui lòng thử lại", principal);

  web::View view;
  view.set("unit_code", report->unit.code);
  view.set("unit_name", report->unit.name);
  view.set("from", display_date(period->from));
  view.set("to", display_date(period->to));
  view.set("from_iso", iso_from_day(period->from));
  view.set("to_iso", iso_from_day(period->to));
  view.set("indicator", indicator);
  view.set("indicator_label", indicator_label(indicator));
  view.set("is_staff", principal != nullptr);

  // Targets against actuals: one horizontal bar per indicator (0–100 %), a tick at the target.
  auto rows = web::View::list();
  auto bars = web::View::list();
  int bar_index = 0;
  for (const auto& value : report->indicators) {
    web::View row;
    row.set("key", value.key);
    row.set("label", indicator_label(value.key));
    row.set("numerator", grouped(value.numerator));
    row.set("denominator", grouped(value.denominator));
    row.set("value", percent(value.value));
    row.set("target", value.target ? percent(value.target) : std::string());
    row.set("met", value.met.value_or(false));
    row.set("not_met", value.met.has_value() && !*value.met);
    rows.push(std::move(row));
    web::View bar;
    const double top = 8 + bar_index * 38;
    bar.set("label", indicator_label(value.key) + ": " + percent(value.value));
    bar.set("label_y", coordinate(top + 11));
    bar.set("y", coordinate(top + 16));
    bar.set("width", coordinate(3.0 * std::clamp(value.value.value_or(0.0), 0.0, 1.0) * 100.0));
    bar.set("has_target", value.target.has_value());
    bar.set("target_x", coordinate(3.0 * std::clamp(value.target.value_or(0.0), 0.0, 1.0) * 100.0 + 10));
    bar.set("target_y1", coordinate(top + 13));
    bar.set("target_y2", coordinate(top + 32));
    bar.set("met", value.met.value_or(false));
    bars.push(std::move(bar));
    ++bar_index;
  }
  view.set("indicators", std::move(rows));
  view.set("bars", std::move(bars));
  view.set("bars_height", coordinate(16 + bar_index * 38));

  // Monthly trend: a polyline over 0–100 %, one point per month.
  auto points = web::View::list();
  std::string polyline;
  const double width = 300, height = 120, left = 10, top = 10;
  const std::size_t count = series->size();
  for (std::size_t index = 0; index < count; ++index) {
    const auto& point = (*series)[index];
    const double x = left + (count > 1 ? width * double(index) / double(count - 1) : width / 2);
    web::View item;
    item.set("x", coordinate(x));
    item.set("month", iso_from_day(point.from).substr(5, 2));
    item.set("value", percent(point.indicator.value));
    item.set("has_value", point.indicator.value.has_value());
    if (point.indicator.value) {
      const double y = top + height * (1.0 - std::clamp(*point.indicator.value, 0.0, 1.0));
      item.set("y", coordinate(y));
      polyline += (polyline.empty() ? "" : " ") + coordinate(x) + "," + coordinate(y);
    }
    points.push(std::move(item));
  }
  view.set("points", std::move(points));
  view.set("polyline", polyline);
  for (const auto& value : report->indicators) {
    if (value.key == indicator && value.target) {
      view.set("trend_target_y", coordinate(top + height * (1.0 - *value.target)));
    }
  }

  // The ranking of communes (best first), bars 0–100 %.
  auto ranked = web::View::list();
  for (const auto& entry : ranking->entries) {
    web::View item;
    item.set("rank", entry.rank);
    item.set("code", entry.unit.code);
    item.set("name", entry.unit.name);
    item.set("value", percent(entry.indicator.value));
    item.set("count", grouped(entry.indicator.denominator));
    item.set("width", coordinate(std::clamp(entry.indicator.value.value_or(0.0), 0.0, 1.0) * 100.0));
    ranked.push(std::move(item));
  }
  view.set("ranking", std::move(ranked));
  view.set("has_ranking", !ranking->entries.empty());
  auto choices = web::View::list();
  for (const auto& key : keys) {
    web::View choice;
    choice.set("key", key);
    choice.set("label", indicator_label(key));
    choice.set("selected", key == indicator);
    choices.push(std::move(choice));
  }
  view.set("choices", std::move(choices));

  // The 766 estimate, marked as such.
  if (auto estimate = index766_of(kpi, *report)) {
    auto components = web::View::list();
    for (const auto& item : estimate->components) {
      web::View row;
      row.set("group", index766_group_label(item.component.group));
      row.set("label", item.component.label);
      row.set("estimated", item.points.has_value());
      row.set("ratio", percent(item.ratio));
      row.set("points", item.points ? points_text(*item.points) : std::string());
      row.set("max_points", points_text(item.curve.max_points));
      row.set("note", item.component.note);
      components.push(std::move(row));
    }
    view.set("index766_components", std::move(components));
    view.set("index766_points", points_text(estimate->points));
    view.set("index766_estimated_maximum", points_text(estimate->estimated_maximum));
    view.set("index766_maximum", points_text(estimate->maximum));
    view.set("index766_note", index766_note);
    view.set("has_index766", true);
  }
  return web::render_page(200, "kpi_dashboard", std::move(view),
                          web::PageContext{"Chỉ số dịch vụ công trực tuyến", principal, "kpi", {}});
}

// Children per page of the drill-down (each child is a full report: a few queries).
constexpr std::size_t children_per_page = 50;

// The breakdown a staff request asks for: its unit (default the top one), period and page.
struct BreakdownRequest {
  Period period;
  Breakdown breakdown;
  std::size_t page = 1;
};

Result<BreakdownRequest> breakdown_of(KpiService& kpi, const http::Request& request, std::size_t offset,
                                      std::size_t limit) {
  BreakdownRequest asked;
  asked.period = DVCHUB_TRY(period_of(request, kpi));
  const std::string unit_code = DVCHUB_TRY(unit_or_top(kpi, request, asked.period.to));
  asked.breakdown = DVCHUB_TRY(kpi.breakdown(unit_code, asked.period.from, asked.period.to, offset, limit));
  return asked;
}

// The children of a unit with every indicator: /quan-tri/chi-so/don-vi-truc-thuoc.csv and .xlsx (staff).
http::Response breakdown_export(KpiService& kpi, http::Request& request) {
  auto asked = breakdown_of(kpi, request, 0, std::numeric_limits<std::size_t>::max());
  if (!asked) return web::json_error(asked.error());
  const Breakdown& breakdown = asked->breakdown;
  using spreadsheet::Cell;
  using spreadsheet::ColumnFormat;
  ExportTable table;
  table.file_name = "don-vi-truc-thuoc-" + breakdown.unit.unit.code;
  table.csv_headers = {"ma_don_vi", "ten_don_vi"};
  table.sheet.name = "Đơn vị trực thuộc";
  table.sheet.title = "Chỉ số của " + breakdown.unit.unit.name + " và các đơn vị trực thuộc từ " +
                      display_date(asked->period.from) + " đến " + display_date(asked->period.to);
  table.sheet.columns = {{"Mã đơn vị", 12}, {"Đơn vị", 32}};
  for (const auto& key : indicator_keys()) {
    table.csv_headers.push_back(key);
    table.csv_headers.push_back(key + "_tu_so");
    table.csv_headers.push_back(key + "_mau_so");
    table.sheet.columns.push_back({indicator_label(key), 16, ColumnFormat::percent});
    table.sheet.columns.push_back({"Tử số", 9, ColumnFormat::integer});
    table.sheet.columns.push_back({"Mẫu số", 9, ColumnFormat::integer});
  }
  auto add_row = [&](const KpiReport& report) {
    std::vector<Cell> row{Cell{report.unit.code}, Cell{report.unit.name}};
    for (const auto& indicator : report.indicators) {
      row.push_back(optional_cell(indicator.value));
      row.push_back(Cell{indicator.numerator});
      row.push_back(Cell{indicator.denominator});
    }
    table.sheet.rows.push_back(std::move(row));
  };
  add_row(breakdown.unit);
  for (const auto& child : breakdown.children) add_row(child);
  return export_response(table, export_format(request));
}

// The staff drill-down: a unit and its children with every indicator, and one indicator month by month.
http::Response drilldown(KpiService& kpi, http::Request& request) {
  const http::Principal* principal = web::principal_of(request);
  std::size_t page = 1;
  if (auto text = request.query_parameter("page")) {
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), page);
    if (error != std::errc() || end != text->data() + text->size() || page == 0 || page > 100000) {
      return web::error_page(400, "Số trang không hợp lệ", principal);
    }
  }
  auto asked = breakdown_of(kpi, request, (page - 1) * children_per_page, children_per_page);
  if (!asked) {
    const auto& error = asked.error();
    return web::error_page(error.code == ErrorCode::not_found ? 404 : 400,
                           error.fields.empty() ? error.message : error.fields.front().message, principal);
  }
  const Breakdown& breakdown = asked->breakdown;
  const Period& period = asked->period;
  std::string indicator = request.query_parameter("indicator").value_or("full_online_rate");
  const auto& keys = indicator_keys();
  if (std::find(keys.begin(), keys.end(), indicator) == keys.end()) indicator = "full_online_rate";
  auto series = kpi.series(breakdown.unit.unit.code, indicator, period.from, period.to);
  if (!series) return web::error_page(503, "Chưa tính được chỉ số, vui lòng thử lại", principal);

  web::View view;
  const std::string& unit_code = breakdown.unit.unit.code;
  view.set("unit_code", unit_code);
  view.set("unit_name", breakdown.unit.unit.name);
  view.set("from", display_date(period.from));
  view.set("to", display_date(period.to));
  view.set("from_iso", iso_from_day(period.from));
  view.set("to_iso", iso_from_day(period.to));
  view.set("indicator", indicator);
  view.set("indicator_label", indicator_label(indicator));
  view.set("child_count", grouped(std::int64_t(breakdown.child_count)));
  auto path = web::View::list();
  for (const auto& unit : breakdown.path) {
    web::View item;
    item.set("code", unit.code);
    item.set("name", unit.name);
    path.push(std::move(item));
  }
  view.set("path", std::move(path));
  auto headers = web::View::list();
  for (const auto& value : breakdown.unit.indicators) {
    web::View header;
    header.set("label", indicator_label(value.key));
    header.set("target", value.target ? percent(value.target) : std::string());
    headers.push(std::move(header));
  }
  view.set("headers", std::move(headers));
  auto rows = web::View::list();
  auto add_row = [&](const KpiReport& report, bool is_unit) {
    web::View row;
    row.set("code", report.unit.code);
    row.set("name", report.unit.name);
    row.set("is_unit", is_unit);
    auto cells = web::View::list();
    for (const auto& value : report.indicators) {
      web::View cell;
      cell.set("value", percent(value.value));
      cell.set("numerator", grouped(value.numerator));
      cell.set("denominator", grouped(value.denominator));
      cell.set("met", value.met.value_or(false));
      cell.set("not_met", value.met.has_value() && !*value.met);
      cells.push(std::move(cell));
    }
    row.set("cells", std::move(cells));
    rows.push(std::move(row));
  };
  add_row(breakdown.unit, true);
  for (const auto& child : breakdown.children) add_row(child, false);
  view.set("rows", std::move(rows));
  const std::string base = "/quan-tri/chi-so?unit=" + http::percent_encode(unit_code) + "&from=" + iso_from_day(period.from) +
                           "&to=" + iso_from_day(period.to) + "&indicator=" + indicator + "&page=";
  view.set("previous", page > 1 ? base + std::to_string(page - 1) : std::string());
  view.set("next", page * children_per_page < breakdown.child_count ? base + std::to_string(page + 1) : std::string());
  auto months = web::View::list();
  for (const auto& point : *series) {
    web::View month;
    month.set("month", iso_from_day(point.from).substr(5, 2) + "/" + iso_from_day(point.from).substr(0, 4));
    month.set("value", percent(point.indicator.value));
    month.set("width", coordinate(std::clamp(point.indicator.value.value_or(0.0), 0.0, 1.0) * 100.0));
    month.set("numerator", grouped(point.indicator.numerator));
    month.set("denominator", grouped(point.indicator.denominator));
    months.push(std::move(month));
  }
  view.set("months", std::move(months));
  auto choices = web::View::list();
  for (const auto& key : keys) {
    web::View choice;
    choice.set("key", key);
    choice.set("label", indicator_label(key));
    choice.set("selected", key == indicator);
    choices.push(std::move(choice));
  }
  view.set("choices", std::move(choices));
  return web::render_page(200, "kpi_drilldown", std::move(view),
                          web::PageContext{"Chỉ số theo đơn vị trực thuộc", principal, "kpi", {}});
}

}  // namespace

void register_kpi_routes(http::Router& router, KpiService& kpi) {
  http::RouteOptions options;
  options.body_limit = 0;
  options.summary = "Mọi chỉ số của một đơn vị trong một khoảng ngày, với chỉ tiêu kế hoạch";
  router.add(http::Method::get, "/api/v1/kpi", [&kpi](http::Request& request) { return kpi_answer(kpi, request); },
             options);
  options.summary = "Xếp hạng đơn vị theo một chỉ số";
  router.add(http::Method::get, "/api/v1/kpi/ranking",
             [&kpi](http::Request& request) { return ranking_answer(kpi, request); }, options);
  options.summary = "Ước tính điểm Bộ chỉ số 766 của một đơn vị (không phải điểm chính thức)";
  router.add(http::Method::get, "/api/v1/kpi/index766",
             [&kpi](http::Request& request) { return index766_answer(kpi, request); }, options);
  options.summary = "Một chỉ số của một đơn vị theo từng tháng";
  router.add(http::Method::get, "/api/v1/kpi/series",
             [&kpi](http::Request& request) { return series_answer(kpi, request); }, options);
  options.summary = "Bảng chỉ số công khai (biểu đồ SVG)";
  router.add(http::Method::get, "/chi-so",
             [&kpi](http::Request& request) { return dashboard(kpi, request); },
             options);
  for (const char* format : {"csv", "xlsx"}) {
    const std::string extension = format;
    options.summary = "Bảng chỉ số, tệp " + extension;
    router.add(http::Method::get, "/chi-so/chi-so." + extension,
               [&kpi](http::Request& request) { return indicators_export(kpi, request); }, options);
    options.summary = "Bảng xếp hạng, tệp " + extension;
    router.add(http::Method::get, "/chi-so/xep-hang." + extension,
               [&kpi](http::Request& request) { return ranking_export(kpi, request); }, options);
    options.summary = "Một chỉ số theo tháng, tệp " + extension;
    router.add(http::Method::get, "/chi-so/theo-thang." + extension,
               [&kpi](http::Request& request) { return series_export(kpi, request); }, options);
    router.add(http::Method::get, "/quan-tri/chi-so/don-vi-truc-thuoc." + extension,
               [&kpi](http::Request& request) { return breakdown_export(kpi, request); },
               http::route_options(http::Access::staff, 0, "Chỉ số của các đơn vị trực thuộc, tệp " + extension));
  }
  router.add(http::Method::get, "/quan-tri/chi-so", [&kpi](http::Request& request) { return drilldown(kpi, request); },
             http::route_options(http::Access::staff, 0, "Chỉ số theo đơn vị trực thuộc (cán bộ)"));
}

}  // namespace dvchub::kpi
