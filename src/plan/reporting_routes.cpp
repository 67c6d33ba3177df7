#include "plan/reporting_routes.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <set>

#include "core/dates.h"
#include "core/strings.h"
#include "document/administrative_document.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "spreadsheet/spreadsheet.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::plan {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

std::int64_t path_id(const Request& request, const std::string& name = "id") {
  const std::string text = request.path_parameter(name);
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc() && end == text.data() + text.size() ? id : 0;
}

// "03/04/2025" from "2025-04-03".
std::string display_date(const std::string& iso) {
  auto date = parse_iso_date(iso);
  return date ? format_display_date(*date) : iso;
}

// "1.234.567".
std::string grouped(std::int64_t number) {
  std::string digits = std::to_string(number < 0 ? -number : number);
  std::string result;
  for (std::size_t index = 0; index < digits.size(); ++index) {
    if (index > 0 && (digits.size() - index) % 3 == 0) result += '.';
    result += digits[index];
  }
  return (number < 0 ? "-" : "") + result;
}

// "80,5 %".
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

// At most `limit` characters of UTF-8 `text` (never cutting a character), with "…" when shortened.
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

// ---- JSON ----

json::Object activity_object(const Activity& activity) {
  const auto& input = activity.input;
  json::Array links;
  for (const auto& link : input.evidence_links) links.push_back(json::Value(link));
  json::Array files;
  for (const auto& file : activity.files) {
    files.push_back(json::Object{{"id", file.id},
                                 {"name", file.file_name},
                                 {"media_type", file.media_type},
                                 {"size_bytes", file.size_bytes},
                                 {"url", "/api/v1/activities/" + std::to_string(activity.id) + "/files/" +
                                             std::to_string(file.id)}});
  }
  return json::Object{{"id", activity.id},
                      {"plan_id", activity.plan_id},
                      {"task", input.task_code},
                      {"unit", json::Object{{"code", input.unit_code}, {"name", activity.unit_name}}},
                      {"kind", input.kind},
                      {"kind_label", activity_kind_label(input.kind)},
                      {"title", input.title},
                      {"occurred_on", input.occurred_on},
                      {"place", input.place},
                      {"quantity", input.quantity},
                      {"reach", json::Object{{"audience", input.audience},
                                             {"officials", input.officials},
                                             {"team_members", input.team_members},
                                             {"students", input.students},
                                             {"citizens", input.citizens}}},
                      {"cost_vnd", input.cost_vnd},
                      {"funding_source", input.funding_source},
                      {"evidence_links", std::move(links)},
                      {"files", std::move(files)}};
}

Result<ActivityInput> activity_from_json(std::string_view body) {
  auto object = json::parse_request_body(body);
  if (!object) return tl::unexpected(object.error());
  ActivityInput input;
  std::vector<FieldError> errors;
  auto text = [&](std::string_view key, std::string& target) {
    auto value = json::read_string(*object, key);
    if (!value.type_ok) errors.push_back({std::string(key), "Phải là một chuỗi ký tự"});
    else if (value.value) target = trimmed(*value.value);
  };
  auto number = [&](const json::Object& from, std::string_view key, std::int64_t& target) {
    auto value = json::read_integer(from, key);
    if (!value.type_ok) errors.push_back({std::string(key), "Phải là một số nguyên"});
    else if (value.value) target = *value.value;
  };
  text("task", input.task_code);
  text("unit", input.unit_code);
  text("kind", input.kind);
  text("title", input.title);
  text("occurred_on", input.occurred_on);
  text("place", input.place);
  text("funding_source", input.funding_source);
  number(*object, "quantity", input.quantity);
  number(*object, "cost_vnd", input.cost_vnd);
  if (auto reach = object->find("reach"); reach != object->end() && !reach->value().is_null()) {
    if (!reach->value().is_object()) {
      errors.push_back({"reach", "Phải là một đối tượng {audience, officials, team_members, students, citizens}"});
    } else {
      const auto& groups = reach->value().as_object();
      number(groups, "audience", input.audience);
      number(groups, "officials", input.officials);
      number(groups, "team_members", input.team_members);
      number(groups, "students", input.students);
      number(groups, "citizens", input.citizens);
    }
  }
  if (auto links = object->find("evidence_links"); links != object->end() && !links->value().is_null()) {
    if (!links->value().is_array()) {
      errors.push_back({"evidence_links", "Phải là một danh sách đường dẫn"});
    } else {
      for (const auto& link : links->value().as_array()) {
        if (!link.is_string()) {
          errors.push_back({"evidence_links", "Mỗi đường dẫn phải là một chuỗi ký tự"});
          break;
        }
        input.evidence_links.emplace_back(link.as_string().c_str(), link.as_string().size());
      }
    }
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return input;
}

json::Object period_object(const Period& period) {
  return json::Object{{"id", period.id},         {"plan_id", period.plan_id},   {"kind", period.kind},
                      {"title", period.title},   {"starts_on", period.starts_on}, {"ends_on", period.ends_on},
                      {"due_on", period.due_on}};
}

json::Value optional_instant(const std::optional<TimePoint>& instant) {
  if (!instant) return nullptr;
  return json::Value(format_iso_instant(*instant));
}

json::Value optional_number(const std::optional<double>& number) {
  if (!number) return nullptr;
  return *number;
}

json::Object report_object(const Report& report) {
  json::Array tasks;
  for (const auto& task : report.tasks) {
    tasks.push_back(json::Object{{"task", task.section_code},
                                 {"activities", task.activities},
                                 {"participants", task.participants},
                                 {"audience", task.audience},
                                 {"cost_vnd", task.cost_vnd},
                                 {"summary", task.summary}});
  }
  json::Array values;
  for (const auto& value : report.values) {
    values.push_back(json::Object{{"key", value.key},
                                  {"kind", value.indicator ? "indicator" : "reported"},
                                  {"label", value.label},
                                  {"numerator", value.numerator},
                                  {"denominator", value.denominator},
                                  {"value", optional_number(value.value())}});
  }
  return json::Object{{"stored", report.id.has_value()},
                      {"period", period_object(report.period)},
                      {"unit", json::Object{{"code", report.unit_code}, {"name", report.unit_name}}},
                      {"status", report.status},
                      {"status_label", report_status_label(report.status)},
                      {"late", report.late},
                      {"results", report.results},
                      {"difficulties", report.difficulties},
                      {"proposals", report.proposals},
                      {"figures_at", format_iso_instant(report.figures_at)},
                      {"submitted_at", optional_instant(report.submitted_at)},
                      {"reviewed_at", optional_instant(report.reviewed_at)},
                      {"review_comment", json::optional_string(report.review_comment.empty()
                                                                   ? std::nullopt
                                                                   : std::optional(report.review_comment))},
                      {"tasks", std::move(tasks)},
                      {"values", std::move(values)}};
}

json::Array board_array(const std::vector<ReportStatus>& board) {
  json::Array lines;
  for (const auto& line : board) {
    lines.push_back(json::Object{{"unit", json::Object{{"code", line.unit_code}, {"name", line.unit_name}}},
                                 {"status", line.status},
                                 {"status_label", report_status_label(line.status)},
                                 {"submitted_at", optional_instant(line.submitted_at)},
                                 {"late", line.late},
                                 {"reminded_at", optional_instant(line.reminded_at)},
                                 {"escalated_at", optional_instant(line.escalated_at)}});
  }
  return lines;
}

template <typename T>
Response answer(const Result<T>& result, int status, const std::function<json::Value(const T&)>& body) {
  if (!result) return web::json_error(result.error());
  return web::json_response(status, json::serialize(body(*result)));
}

Response list_activities_api(ReportingService& reporting, Request& request) {
  ActivityFilter filter;
  filter.unit_code = request.query_parameter("unit");
  filter.task_code = request.query_parameter("task");
  filter.from = request.query_parameter("from");
  filter.to = request.query_parameter("to");
  return answer<std::vector<Activity>>(reporting.activities(path_id(request), filter, *request.principal), 200,
                                       [](const auto& activities) {
                                         json::Array items;
                                         for (const auto& activity : activities) items.push_back(activity_object(activity));
                                         return json::Object{{"activities", std::move(items)}};
                                       });
}

Response create_activity_api(ReportingService& reporting, Request& request) {
  auto input = activity_from_json(request.body);
  if (!input) return web::json_error(input.error());
  auto created = reporting.record_activity(path_id(request), *input, *request.principal, web::actor_of(request));
  if (!created) return web::json_error(created.error());
  auto response = web::json_response(201, json::serialize(activity_object(*created)));
  response.headers.set("Location", "/api/v1/activities/" + std::to_string(created->id));
  return response;
}

Response update_activity_api(ReportingService& reporting, Request& request) {
  auto input = activity_from_json(request.body);
  if (!input) return web::json_error(input.error());
  return answer<Activity>(
      reporting.update_activity(path_id(request), *input, *request.principal, web::actor_of(request)), 200,
      [](const Activity& activity) { return activity_object(activity); });
}

Response delete_activity_api(ReportingService& reporting, Request& request) {
  auto deleted = reporting.delete_activity(path_id(request), *request.principal, web::actor_of(request));
  if (!deleted) return web::json_error(deleted.error());
  Response response;
  response.status = 204;
  return response;
}

Response attach_file_api(ReportingService& reporting, Request& request) {
  auto attached = reporting.attach_file(path_id(request), request.query_parameter("name").value_or(""), request.body,
                                        *request.principal, web::actor_of(request));
  if (!attached) return web::json_error(attached.error());
  const std::string url =
      "/api/v1/activities/" + std::to_string(attached->activity_id) + "/files/" + std::to_string(attached->id);
  auto response = web::json_response(201, json::serialize(json::Object{{"id", attached->id},
                                                                       {"name", attached->file_name},
                                                                       {"media_type", attached->media_type},
                                                                       {"size_bytes", attached->size_bytes},
                                                                       {"url", url}}));
  response.headers.set("Location", url);
  return response;
}

// An evidence file as a download that no browser renders or runs in the site's origin.
Response evidence_file_api(ReportingService& reporting, Request& request) {
  auto found = reporting.evidence_file(path_id(request), path_id(request, "file"), *request.principal);
  if (!found) return web::json_error(found.error());
  const auto& [file, bytes] = *found;
  const std::string extension = file.media_type == "application/pdf" ? "pdf"
                                : file.media_type == "image/png"      ? "png"
                                                                      : "jpg";
  Response response;
  response.status = 200;
  response.body = bytes;
  response.headers.set("Content-Type", file.media_type);
  response.headers.set("Content-Disposition", "attachment; filename=\"minh-chung-" + std::to_string(file.id) + "." +
                                                  extension + "\"; filename*=UTF-8''" +
                                                  http::percent_encode(file.file_name));
  response.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  response.headers.set("Cache-Control", "private, no-store");
  return response;
}

int year_parameter(const Request& request, const std::string& name, int fallback) {
  const std::string text = request.query_parameter(name).value_or("");
  int year = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  return error == std::errc() && end == text.data() + text.size() && year >= 2000 && year <= 2100 ? year : fallback;
}

int this_year(const ReportingService& reporting) { return std::stoi(reporting.today().substr(0, 4)); }

json::Object measure_object(const Measure& measure) {
  const auto& input = measure.input;
  return json::Object{{"target", input.target_key},
                      {"target_year", input.target_year},
                      {"unit", json::Object{{"code", input.unit_code}, {"name", measure.unit_name}}},
                      {"year", input.year},
                      {"numerator", input.numerator},
                      {"denominator", input.denominator},
                      {"numerator_label", measure.numerator_label},
                      {"denominator_label", measure.denominator_label}};
}

Response list_measures_api(ReportingService& reporting, Request& request) {
  return answer<std::vector<Measure>>(
      reporting.measures(path_id(request), year_parameter(request, "year", this_year(reporting)), *request.principal),
      200, [](const auto& measures) {
        json::Array items;
        for (const auto& measure : measures) items.push_back(measure_object(measure));
        return json::Object{{"measures", std::move(items)}};
      });
}

Response set_measure_api(ReportingService& reporting, Request& request) {
  auto object = json::parse_object(request.body);
  if (!object) return web::json_error(object.error());
  MeasureInput input;
  std::vector<FieldError> errors;
  auto text = [&](std::string_view key, std::string& target) {
    auto value = json::read_string(*object, key);
    if (!value.type_ok) errors.push_back({std::string(key), "Phải là một chuỗi ký tự"});
    else if (value.value) target = *value.value;
  };
  auto number = [&](std::string_view key, std::int64_t& target) {
    auto value = json::read_integer(*object, key);
    if (!value.type_ok || !value.value) errors.push_back({std::string(key), "Cần một số nguyên"});
    else target = *value.value;
  };
  std::int64_t target_year = 0;
  std::int64_t year = 0;
  text("target", input.target_key);
  text("unit", input.unit_code);
  number("target_year", target_year);
  number("year", year);
  number("numerator", input.numerator);
  number("denominator", input.denominator);
  if (!errors.empty()) return web::json_error(fail_fields(std::move(errors)).value());
  input.target_year = int(std::clamp<std::int64_t>(target_year, 0, 9999));
  input.year = int(std::clamp<std::int64_t>(year, 0, 9999));
  return answer<Measure>(
      reporting.set_measure(path_id(request), input, *request.principal, web::actor_of(request)), 200,
      [](const Measure& measure) { return measure_object(measure); });
}

Response list_periods_api(ReportingService& reporting, Request& request) {
  return answer<std::vector<Period>>(reporting.periods(path_id(request)), 200, [](const auto& periods) {
    json::Array items;
    for (const auto& period : periods) items.push_back(period_object(period));
    return json::Object{{"periods", std::move(items)}};
  });
}

Response open_period_api(ReportingService& reporting, Request& request) {
  auto object = json::parse_object(request.body);
  if (!object) return web::json_error(object.error());
  PeriodInput input;
  std::vector<FieldError> errors;
  for (auto [key, target] : {std::pair<const char*, std::string*>{"kind", &input.kind},
                             {"title", &input.title},
                             {"starts_on", &input.starts_on},
                             {"ends_on", &input.ends_on},
                             {"due_on", &input.due_on}}) {
    auto value = json::read_string(*object, key);
    if (!value.type_ok) errors.push_back({key, "Phải là một chuỗi ký tự"});
    else if (value.value) *target = trimmed(*value.value);
  }
  auto year = json::read_integer(*object, "year");
  if (!year.type_ok) errors.push_back({"year", "Phải là một số nguyên"});
  else if (year.value) input.year = int(std::clamp<std::int64_t>(*year.value, 0, 9999));
  if (!errors.empty()) return web::json_error(fail_fields(std::move(errors)).value());
  auto opened = reporting.open_period(path_id(request), input, *request.principal, web::actor_of(request));
  if (!opened) return web::json_error(opened.error());
  return web::json_response(201, json::serialize(period_object(*opened)));
}

Response board_api(ReportingService& reporting, Request& request) {
  auto period = reporting.period(path_id(request));
  if (!period) return web::json_error(period.error());
  auto board = reporting.board(period->id, *request.principal);
  if (!board) return web::json_error(board.error());
  return web::json_response(
      200, json::serialize(json::Object{{"period", period_object(*period)}, {"reports", board_array(*board)}}));
}

Response report_api(ReportingService& reporting, Request& request) {
  return answer<Report>(reporting.report(path_id(request), request.path_parameter("unit"), *request.principal), 200,
                        [](const Report& report) { return report_object(report); });
}

Response save_report_api(ReportingService& reporting, Request& request) {
  auto object = json::parse_object(request.body);
  if (!object) return web::json_error(object.error());
  ReportTexts texts;
  std::vector<FieldError> errors;
  for (auto [key, target] : {std::pair<const char*, std::string*>{"results", &texts.results},
                             {"difficulties", &texts.difficulties},
                             {"proposals", &texts.proposals}}) {
    auto value = json::read_string(*object, key);
    if (!value.type_ok) errors.push_back({key, "Phải là một chuỗi ký tự"});
    else if (value.value) *target = *value.value;
  }
  bool refresh = false;
  if (auto found = object->find("refresh_figures"); found != object->end() && !found->value().is_null()) {
    if (!found->value().is_bool()) errors.push_back({"refresh_figures", "Phải là true hoặc false"});
    else refresh = found->value().as_bool();
  }
  if (!errors.empty()) return web::json_error(fail_fields(std::move(errors)).value());
  return answer<Report>(reporting.save_report(path_id(request), request.path_parameter("unit"), texts, refresh,
                                              *request.principal, web::actor_of(request)),
                        200, [](const Report& report) { return report_object(report); });
}

Response submit_report_api(ReportingService& reporting, Request& request) {
  return answer<Report>(reporting.submit_report(path_id(request), request.path_parameter("unit"), *request.principal,
                                                web::actor_of(request)),
                        200, [](const Report& report) { return report_object(report); });
}

Response review_report_api(ReportingService& reporting, Request& request) {
  auto object = json::parse_object(request.body);
  if (!object) return web::json_error(object.error());
  auto decision = json::read_string(*object, "decision");
  auto comment = json::read_string(*object, "comment");
  if (!decision.value || (*decision.value != "accept" && *decision.value != "return")) {
    return web::json_error(fail_fields({{"decision", "Quyết định là accept (tiếp nhận) hoặc return (trả lại)"}}).value());
  }
  if (!comment.type_ok) return web::json_error(fail_fields({{"comment", "Phải là một chuỗi ký tự"}}).value());
  return answer<Report>(reporting.review_report(path_id(request), request.path_parameter("unit"),
                                                *decision.value == "accept", comment.value.value_or(""),
                                                *request.principal, web::actor_of(request)),
                        200, [](const Report& report) { return report_object(report); });
}

json::Object compiled_object(const CompiledReport& compiled) {
  json::Array tasks;
  for (const auto& task : compiled.tasks) {
    json::Array units;
    for (const auto& work : task.units) {
      units.push_back(json::Object{{"unit", json::Object{{"code", work.unit_code}, {"name", work.unit_name}}},
                                   {"activities", work.figures.activities},
                                   {"participants", work.figures.participants},
                                   {"audience", work.figures.audience},
                                   {"cost_vnd", work.figures.cost_vnd},
                                   {"summary", work.figures.summary}});
    }
    tasks.push_back(json::Object{{"task", task.section_code}, {"text", task.text}, {"units", std::move(units)}});
  }
  json::Array targets;
  for (const auto& item : compiled.targets) {
    targets.push_back(json::Object{{"key", item.target.key},
                                   {"year", item.target.year},
                                   {"section", item.target.section},
                                   {"description", item.target.description},
                                   {"target_value", item.target.minimum},
                                   {"measured_by", item.target.indicator ? "indicator" : "reported"},
                                   {"numerator", item.numerator},
                                   {"denominator", item.denominator},
                                   {"reporting_units", item.reporting_units},
                                   {"value", optional_number(item.value)},
                                   {"met", item.met ? json::Value(*item.met) : json::Value(nullptr)}});
  }
  auto texts = [](const std::vector<UnitText>& entries) {
    json::Array array;
    for (const auto& entry : entries) array.push_back(json::Object{{"unit", entry.unit_name}, {"text", entry.text}});
    return array;
  };
  json::Array commendations;
  for (const auto& entry : compiled.commendations) {
    commendations.push_back(json::Object{{"rank", entry.rank},
                                         {"unit", json::Object{{"code", entry.unit_code}, {"name", entry.unit_name}}},
                                         {"online_rate", optional_number(entry.online_rate)},
                                         {"reach", entry.reach},
                                         {"activities", entry.activities}});
  }
  return json::Object{{"plan", json::Object{{"id", compiled.plan.id}, {"number", compiled.plan.number}}},
                      {"period", period_object(compiled.period)},
                      {"reports", board_array(compiled.board)},
                      {"activities", compiled.activities},
                      {"cost_vnd", compiled.cost_vnd},
                      {"tasks", std::move(tasks)},
                      {"targets", std::move(targets)},
                      {"difficulties", texts(compiled.difficulties)},
                      {"proposals", texts(compiled.proposals)},
                      {"commendations", std::move(commendations)}};
}

Response compiled_api(ReportingService& reporting, Request& request) {
  return answer<CompiledReport>(reporting.compile(path_id(request), *request.principal), 200,
                                [](const CompiledReport& compiled) { return compiled_object(compiled); });
}

// The compiled report as a workbook: tasks, targets, difficulties and proposals, commendations and the status
// board, one sheet each.
spreadsheet::Workbook compiled_workbook(const CompiledReport& compiled) {
  using spreadsheet::Cell;
  using spreadsheet::ColumnFormat;
  const std::string heading =
      "Kế hoạch " + compiled.plan.number + " — báo cáo tổng hợp kỳ " + compiled.period.title + " (" +
      display_date(compiled.period.starts_on) + "–" + display_date(compiled.period.ends_on) + ")";
  spreadsheet::Sheet tasks{"Nhiệm vụ",
                           heading,
                           {{"Nhiệm vụ", 10},
                            {"Nội dung", 50},
                            {"Đơn vị", 30},
                            {"Số hoạt động", 10, ColumnFormat::integer},
                            {"Người tham dự", 12, ColumnFormat::integer},
                            {"Lượt xem, nghe", 12, ColumnFormat::integer},
                            {"Kinh phí (đồng)", 14, ColumnFormat::integer},
                            {"Hoạt động", 50}},
                           {}};
  for (const auto& task : compiled.tasks) {
    if (task.units.empty()) {
      tasks.rows.push_back({task.section_code, task.text, std::string("Chưa có đơn vị báo cáo")});
    }
    for (const auto& work : task.units) {
      tasks.rows.push_back({task.section_code, task.text, work.unit_name, work.figures.activities,
                            work.figures.participants, work.figures.audience, work.figures.cost_vnd,
                            work.figures.summary});
    }
  }
  spreadsheet::Sheet targets{"Chỉ tiêu",
                             heading,
                             {{"Mục", 8},
                              {"Chỉ tiêu", 60},
                              {"Năm", 6},
                              {"Mục tiêu", 10, ColumnFormat::percent},
                              {"Tử số", 12, ColumnFormat::integer},
                              {"Mẫu số", 12, ColumnFormat::integer},
                              {"Đạt được", 10, ColumnFormat::percent},
                              {"Đánh giá", 12}},
                             {}};
  for (const auto& item : compiled.targets) {
    targets.rows.push_back({item.target.section, item.target.description, std::int64_t(item.target.year),
                            item.target.minimum, item.numerator, item.denominator,
                            item.value ? Cell(*item.value) : Cell(),
                            std::string(!item.met ? "Chưa có số liệu" : *item.met ? "Đạt" : "Chưa đạt")});
  }
  spreadsheet::Sheet commendations{"Khen thưởng",
                                   "Đề xuất biểu dương, khen thưởng (IV.3.h) — quy tắc: docs/plan.md",
                                   {{"Hạng", 6, ColumnFormat::integer},
                                    {"Đơn vị", 40},
                                    {"Tỷ lệ hồ sơ trực tuyến", 14, ColumnFormat::percent},
                                    {"Lượt tiếp cận", 14, ColumnFormat::integer},
                                    {"Số hoạt động", 12, ColumnFormat::integer}},
                                   {}};
  for (const auto& entry : compiled.commendations) {
    commendations.rows.push_back({std::int64_t(entry.rank), entry.unit_name,
                                  entry.online_rate ? Cell(*entry.online_rate) : Cell(), entry.reach,
                                  entry.activities});
  }
  spreadsheet::Sheet texts{"Khó khăn, đề xuất", heading, {{"Đơn vị", 30}, {"Mục", 20}, {"Nội dung", 80}}, {}};
  for (const auto& entry : compiled.difficulties) {
    texts.rows.push_back({entry.unit_name, std::string("Khó khăn, vướng mắc"), entry.text});
  }
  for (const auto& entry : compiled.proposals) {
    texts.rows.push_back({entry.unit_name, std::string("Đề xuất, kiến nghị"), entry.text});
  }
  spreadsheet::Sheet board{"Tình hình báo cáo",
                           heading,
                           {{"Đơn vị", 40}, {"Trạng thái", 20}, {"Gửi lúc", 18}, {"Trễ hạn", 10}},
                           {}};
  for (const auto& line : compiled.board) {
    board.rows.push_back({line.unit_name, report_status_label(line.status),
                          line.submitted_at ? format_display_instant(*line.submitted_at) : std::string(),
                          std::string(line.late ? "Trễ hạn" : "")});
  }
  return spreadsheet::Workbook{"Báo cáo tổng hợp " + compiled.plan.number + " — " + compiled.period.title, "dvchub",
                               {std::move(tasks), std::move(targets), std::move(texts), std::move(commendations), std::move(board)}};
}

Response compiled_xlsx_api(ReportingService& reporting, Request& request) {
  auto compiled = reporting.compile(path_id(request), *request.principal);
  if (!compiled) return web::json_error(compiled.error());
  auto bytes = spreadsheet::write_xlsx(compiled_workbook(*compiled));
  if (!bytes) return web::json_error(bytes.error());
  Response response;
  response.status = 200;
  response.body = std::move(*bytes);
  response.headers.set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  response.headers.set("Content-Disposition",
                       "attachment; filename=\"bao-cao-tong-hop-" + std::to_string(compiled->period.id) + ".xlsx\"");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

// "ngày 27 tháng 11 năm 2026" from "2026-11-27". Decree 30: days below 10 and the months 1 and 2 take a leading zero
// ("ngày 05 tháng 02", "ngày 08 tháng 12").
std::string long_date(const std::string& iso) {
  if (iso.size() != 10) return iso;
  const int month = std::stoi(iso.substr(5, 2));
  return "ngày " + iso.substr(8, 2) + " tháng " + (month < 3 ? iso.substr(5, 2) : std::to_string(month)) + " năm " +
         iso.substr(0, 4);
}

// The compiled report as an administrative report of the lead office (Decree 30/2020/NĐ-CP layout).
document::AdministrativeDocument compiled_document(const CompiledReport& compiled, const std::string& today) {
  using document::Paragraph;
  using document::Table;
  const auto& plan = compiled.plan;
  document::AdministrativeDocument result;
  result.governing_body = plan.issuing_unit_name;
  result.issuing_body = plan.lead_unit_name.value_or(plan.issuing_unit_name);
  result.number = "Số:        /BC-…";
  result.place_and_date = "…, " + long_date(today);
  result.kind = "BÁO CÁO";
  result.subject = "Kết quả thực hiện Kế hoạch số " + plan.number + " ngày " + display_date(plan.issued_on) + "\nkỳ " +
                   compiled.period.title + " (" + display_date(compiled.period.starts_on) + " – " +
                   display_date(compiled.period.ends_on) + ")";
  auto& body = result.body;
  int accepted = 0;
  Table board{{"Đơn vị", "Trạng thái", "Gửi lúc"}, {}};
  for (const auto& line : compiled.board) {
    accepted += line.status == "accepted";
    board.rows.push_back({line.unit_name, report_status_label(line.status) + (line.late ? " (trễ hạn)" : ""),
                          line.submitted_at ? format_display_instant(*line.submitted_at) : ""});
  }
  body.push_back(Paragraph{"I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ", Paragraph::Style::heading});
  body.push_back(Paragraph{std::to_string(accepted) + "/" + std::to_string(compiled.board.size()) +
                           " đơn vị có báo cáo đã được tiếp nhận (hạn gửi " + display_date(compiled.period.due_on) +
                           "). Tổng hợp từ các báo cáo đã tiếp nhận: " + grouped(compiled.activities) +
                           " hoạt động, kinh phí " + grouped(compiled.cost_vnd) + " đồng."});
  body.push_back(std::move(board));
  body.push_back(Paragraph{"II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", Paragraph::Style::heading});
  for (const auto& task : compiled.tasks) {
    body.push_back(Paragraph{task.section_code + ". " + task.text, Paragraph::Style::subheading});
    if (task.units.empty()) body.push_back(Paragraph{"Chưa có đơn vị báo cáo kết quả."});
    for (const auto& work : task.units) {
      body.push_back(Paragraph{"- " + work.unit_name + ": " + work.figures.summary + "; " +
                               grouped(work.figures.participants) + " người tham dự, " +
                               grouped(work.figures.audience) + " lượt xem, nghe; kinh phí " +
                               grouped(work.figures.cost_vnd) + " đồng."});
    }
  }
  body.push_back(Paragraph{"III. KẾT QUẢ THỰC HIỆN CHỈ TIÊU", Paragraph::Style::heading});
  Table targets{{"Mục", "Chỉ tiêu", "Mục tiêu", "Số liệu", "Đạt được", "Đánh giá"}, {}};
  for (const auto& item : compiled.targets) {
    targets.rows.push_back({item.target.section + " (" + std::to_string(item.target.year) + ")", item.target.description,
                            percent(item.target.minimum),
                            item.denominator ? grouped(item.numerator) + "/" + grouped(item.denominator) : "",
                            percent(item.value), !item.met ? "Chưa có số liệu" : *item.met ? "Đạt" : "Chưa đạt"});
  }
  body.push_back(std::move(targets));
  auto texts = [&](const char* heading, const std::vector<UnitText>& entries, const char* none) {
    body.push_back(Paragraph{heading, Paragraph::Style::heading});
    if (entries.empty()) body.push_back(Paragraph{none});
    for (const auto& entry : entries) {
      std::string text = entry.unit_name + ":";
      for (const auto& line : lines_of(entry.text)) text += "\n- " + line;
      body.push_back(Paragraph{text});
    }
  };
  texts("IV. KHÓ KHĂN, VƯỚNG MẮC", compiled.difficulties, "Các đơn vị không nêu khó khăn, vướng mắc.");
  texts("V. ĐỀ XUẤT, KIẾN NGHỊ", compiled.proposals, "Các đơn vị không có đề xuất, kiến nghị.");
  body.push_back(Paragraph{"VI. ĐỀ XUẤT BIỂU DƯƠNG, KHEN THƯỞNG (điểm h khoản 3 mục IV)", Paragraph::Style::heading});
  body.push_back(Paragraph{"Quy tắc: đơn vị có báo cáo được tiếp nhận, gửi đúng hạn và có ít nhất một hoạt động; xếp theo "
                           "tỷ lệ hồ sơ trực tuyến (đơn vị chưa có hồ sơ xếp sau), rồi số lượt tiếp cận, rồi số hoạt "
                           "động; đề xuất một phần ba đơn vị đứng đầu (làm tròn lên)."});
  Table commendations{{"Hạng", "Đơn vị", "Tỷ lệ hồ sơ trực tuyến", "Lượt tiếp cận", "Số hoạt động"}, {}};
  for (const auto& entry : compiled.commendations) {
    commendations.rows.push_back({std::to_string(entry.rank), entry.unit_name, percent(entry.online_rate),
                                  grouped(entry.reach), grouped(entry.activities)});
  }
  if (compiled.commendations.empty()) body.push_back(Paragraph{"Chưa có đơn vị đủ điều kiện."});
  else body.push_back(std::move(commendations));
  result.recipients = {"- " + plan.issuing_unit_name + " (báo cáo);", "- Các đơn vị thực hiện kế hoạch;", "- Lưu: VT."};
  result.signer_title = "THỦ TRƯỞNG CƠ QUAN";
  return result;
}

// A unit's report as an administrative report of the unit to the lead office.
document::AdministrativeDocument report_document(const Report& report, const PlanSummary& plan,
                                                 const std::string& today) {
  using document::Paragraph;
  using document::Table;
  document::AdministrativeDocument result;
  result.issuing_body = report.unit_name;
  result.number = "Số:        /BC-…";
  result.place_and_date = "…, " + long_date(today);
  result.kind = "BÁO CÁO";
  result.subject = "Kết quả thực hiện Kế hoạch số " + plan.number + " ngày " + display_date(plan.issued_on) + "\nkỳ " +
                   report.period.title + " (" + display_date(report.period.starts_on) + " – " +
                   display_date(report.period.ends_on) + ")";
  auto& body = result.body;
  body.push_back(Paragraph{"I. KẾT QUẢ THỰC HIỆN", Paragraph::Style::heading});
  body.push_back(Paragraph{report.results.empty() ? "Chưa ghi kết quả." : report.results});
  Table tasks{{"Nhiệm vụ", "Hoạt động", "Người tham dự", "Lượt xem, nghe", "Kinh phí (đồng)"}, {}};
  for (const auto& task : report.tasks) {
    tasks.rows.push_back({task.section_code, std::to_string(task.activities) + ": " + task.summary,
                          grouped(task.participants), grouped(task.audience), grouped(task.cost_vnd)});
  }
  if (!report.tasks.empty()) body.push_back(std::move(tasks));
  body.push_back(Paragraph{"II. SỐ LIỆU CHỈ TIÊU", Paragraph::Style::heading});
  Table values{{"Chỉ tiêu, chỉ số", "Nguồn", "Tử số", "Mẫu số", "Tỷ lệ"}, {}};
  for (const auto& value : report.values) {
    values.rows.push_back({value.label, value.indicator ? "Chỉ số tính từ hồ sơ" : "Số liệu đơn vị báo cáo",
                           grouped(value.numerator), grouped(value.denominator), percent(value.value())});
  }
  if (report.values.empty()) body.push_back(Paragraph{"Chưa có số liệu."});
  else body.push_back(std::move(values));
  body.push_back(Paragraph{"III. KHÓ KHĂN, VƯỚNG MẮC", Paragraph::Style::heading});
  body.push_back(Paragraph{report.difficulties.empty() ? "Không có." : report.difficulties});
  body.push_back(Paragraph{"IV. ĐỀ XUẤT, KIẾN NGHỊ", Paragraph::Style::heading});
  body.push_back(Paragraph{report.proposals.empty() ? "Không có." : report.proposals});
  result.recipients = {"- " + plan.lead_unit_name.value_or(plan.issuing_unit_name) + " (tổng hợp);", "- Lưu: VT."};
  result.signer_title = "THỦ TRƯỞNG ĐƠN VỊ";
  return result;
}

enum class DocumentFormat { docx, pdf };

// A document as a download: DOCX or PDF, named `base_name` plus the extension.
Response document_answer(const document::AdministrativeDocument& content, DocumentFormat format,
                         const std::string& base_name) {
  auto bytes = format == DocumentFormat::docx ? document::write_docx(content) : document::write_pdf(content);
  if (!bytes) return web::json_error(bytes.error());
  Response response;
  response.status = 200;
  response.body = std::move(*bytes);
  response.headers.set("Content-Type", format == DocumentFormat::docx
                                           ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                                           : "application/pdf");
  response.headers.set("Content-Disposition", "attachment; filename=\"" + base_name +
                                                  (format == DocumentFormat::docx ? ".docx" : ".pdf") + "\"");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

Response report_document_api(ReportingService& reporting, PlanService& plans, Request& request, DocumentFormat format) {
  auto report = reporting.report(path_id(request), request.path_parameter("unit"), *request.principal);
  if (!report) return web::json_error(report.error());
  auto plan = plans.summary(report->period.plan_id);
  if (!plan) return web::json_error(plan.error());
  return document_answer(report_document(*report, *plan, reporting.today()), format,
                         "bao-cao-" + std::to_string(report->period.id) + "-" + http::percent_encode(report->unit_code));
}

Response compiled_document_api(ReportingService& reporting, Request& request, DocumentFormat format) {
  auto compiled = reporting.compile(path_id(request), *request.principal);
  if (!compiled) return web::json_error(compiled.error());
  return document_answer(compiled_document(*compiled, reporting.today()), format,
                         "bao-cao-tong-hop-" + std::to_string(compiled->period.id));
}

// ---- pages ----

web::View error_list(const std::vector<FieldError>& errors) {
  auto list = web::View::list();
  for (const auto& error : errors) list.push(web::View().set("field", error.field).set("message", error.message));
  return list;
}

std::vector<FieldError> errors_of(const Error& error) {
  if (!error.fields.empty()) return error.fields;
  return {{"", error.message}};
}

web::View options(const std::vector<std::string>& keys, std::string (*label)(const std::string&),
                  const std::string& selected) {
  auto list = web::View::list();
  for (const auto& key : keys) {
    list.push(web::View().set("value", key).set("label", label(key)).set("selected", key == selected));
  }
  return list;
}

bool is_lead_office(const http::Principal& principal) {
  return principal.role == "admin" || principal.role == "coordinator";
}

// The units the principal may pick in a form (the plan's units today that they may write for).
web::View unit_options(ReportingService& reporting, std::int64_t plan_id, const http::Principal& principal,
                       const std::string& selected) {
  auto list = web::View::list();
  auto units = reporting.writable_units(plan_id, principal);
  if (!units) return list;
  for (const auto& unit : *units) {
    list.push(web::View().set("value", unit.code).set("label", unit.name).set("selected", unit.code == selected));
  }
  return list;
}

// A whole number typed in a form ("1.500.000" allowed); `fallback` when empty; a message in `errors` when not a number.
std::int64_t form_count(const Request& request, const char* name, std::int64_t fallback,
                        std::vector<FieldError>& errors) {
  const std::string text = trimmed(request.form_value(name).value_or(""));
  if (text.empty()) return fallback;
  std::string digits;
  for (char character : text) {
    if (character != '.' && character != ' ') digits += character;  // "1.500.000"
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    errors.push_back({name, "Phải là một số nguyên không âm"});
    return fallback;
  }
  return value;
}

ActivityInput activity_from_form(const Request& request, std::vector<FieldError>& errors) {
  ActivityInput input;
  input.task_code = request.form_value("task").value_or("");
  input.unit_code = request.form_value("unit").value_or("");
  input.kind = request.form_value("kind").value_or("");
  input.title = trimmed(request.form_value("title").value_or(""));
  const std::string day = trimmed(request.form_value("occurred_on").value_or(""));
  auto date = parse_date(day);
  input.occurred_on = date ? format_iso_date(*date) : day;
  input.place = trimmed(request.form_value("place").value_or(""));
  input.quantity = form_count(request, "quantity", 1, errors);
  input.audience = form_count(request, "audience", 0, errors);
  input.officials = form_count(request, "officials", 0, errors);
  input.team_members = form_count(request, "team_members", 0, errors);
  input.students = form_count(request, "students", 0, errors);
  input.citizens = form_count(request, "citizens", 0, errors);
  input.cost_vnd = form_count(request, "cost_vnd", 0, errors);
  input.funding_source = request.form_value("funding_source").value_or("none");
  for (const auto& line : lines_of(request.form_value("evidence_links").value_or(""))) {
    input.evidence_links.push_back(line);
  }
  return input;
}


web::View plan_view(const PlanSummary& plan) {
  return web::View().set("plan_id", plan.id).set("number", plan.number).set("title", plan.title);
}

Response service_error_page(const Error& error, const Request& request) {
  return web::error_page(http::http_status(error.code), error.message, web::principal_of(request));
}

// /quan-tri/ke-hoach/{id}/hoat-dong: the activities the principal may read, and a form to record one.
Response activities_page(ReportingService& reporting, PlanService& plans, Request& request, int status,
                         const ActivityInput& entered, const std::vector<FieldError>& errors) {
  const auto& principal = *request.principal;
  const std::int64_t plan_id = path_id(request);
  auto detail = plans.detail(plan_id);
  if (!detail) return service_error_page(detail.error(), request);
  ActivityFilter filter;
  filter.unit_code = request.query_parameter("don_vi");
  if (filter.unit_code && filter.unit_code->empty()) filter.unit_code.reset();
  filter.task_code = request.query_parameter("nhiem_vu");
  if (filter.task_code && filter.task_code->empty()) filter.task_code.reset();
  auto activities = reporting.activities(plan_id, filter, principal);
  if (!activities) return service_error_page(activities.error(), request);
  auto writable = reporting.writable_units(plan_id, principal);
  if (!writable) return service_error_page(writable.error(), request);
  std::set<std::string> writable_codes;
  for (const auto& unit : *writable) writable_codes.insert(unit.code);

  web::View view = plan_view(detail->plan);
  auto items = web::View::list();
  std::int64_t cost = 0;
  for (const auto& activity : *activities) {
    const auto& input = activity.input;
    cost += input.cost_vnd;
    auto links = web::View::list();
    for (const auto& link : input.evidence_links) links.push(web::View().set("link", link));
    auto files = web::View::list();
    for (const auto& file : activity.files) {
      files.push(web::View()
                     .set("url", "/api/v1/activities/" + std::to_string(activity.id) + "/files/" + std::to_string(file.id))
                     .set("name", file.file_name));
    }
    items.push(web::View()
                   .set("id", activity.id)
                   .set("date", display_date(input.occurred_on))
                   .set("task", input.task_code)
                   .set("unit", activity.unit_name)
                   .set("kind", activity_kind_label(input.kind))
                   .set("title", input.title)
                   .set("place", input.place)
                   .set("quantity", grouped(input.quantity))
                   .set("participants", grouped(activity.participants()))
                   .set("audience", grouped(input.audience))
                   .set("cost", grouped(input.cost_vnd))
                   .set("funding", funding_source_label(input.funding_source))
                   .set("links", std::move(links))
                   .set("files", std::move(files))
                   .set("may_delete", is_lead_office(principal) || writable_codes.count(input.unit_code) > 0));
  }
  view.set("activities", std::move(items));
  view.set("count", std::int64_t(activities->size()));
  view.set("total_cost", grouped(cost));
  auto tasks = web::View::list();
  for (const auto& task : detail->tasks) {
    tasks.push(web::View()
                   .set("value", task.section_code)
                   .set("label", task.section_code + " — " + shortened(task.body.substr(0, task.body.find('\n')), 90))
                   .set("selected", task.section_code == entered.task_code));
  }
  view.set("tasks", std::move(tasks));
  view.set("units", unit_options(reporting, plan_id, principal, entered.unit_code));
  view.set("may_record", !writable->empty());
  view.set("kinds", options(activity_kinds(), activity_kind_label, entered.kind));
  view.set("funding_sources", options(funding_sources(), funding_source_label, entered.funding_source));
  view.set("title_value", entered.title);
  view.set("date_value", entered.occurred_on.empty() ? display_date(reporting.today()) : display_date(entered.occurred_on));
  view.set("place_value", entered.place);
  view.set("quantity_value", entered.quantity);
  view.set("audience_value", entered.audience);
  view.set("officials_value", entered.officials);
  view.set("team_members_value", entered.team_members);
  view.set("students_value", entered.students);
  view.set("citizens_value", entered.citizens);
  view.set("cost_value", entered.cost_vnd);
  std::string links;
  for (const auto& link : entered.evidence_links) links += link + "\n";
  view.set("links_value", links);
  view.set("errors", error_list(errors));
  view.set("has_errors", !errors.empty());
  return web::render_page(status, "plan_activities", std::move(view),
                          web::PageContext{"Hoạt động — Kế hoạch " + detail->plan.number, web::principal_of(request), "plan",
                                           request.query_parameter("da_luu") ? "Đã lưu." : ""});
}

Response record_activity_form(ReportingService& reporting, PlanService& plans, Request& request) {
  std::vector<FieldError> errors;
  ActivityInput input = activity_from_form(request, errors);
  if (!errors.empty()) return activities_page(reporting, plans, request, 400, input, errors);
  auto created = reporting.record_activity(path_id(request), input, *request.principal, web::actor_of(request));
  if (!created) {
    return activities_page(reporting, plans, request, http::http_status(created.error().code), input,
                           errors_of(created.error()));
  }
  return Response::redirect("/quan-tri/ke-hoach/" + std::to_string(path_id(request)) + "/hoat-dong?da_luu=1");
}

Response delete_activity_form(ReportingService& reporting, Request& request) {
  auto activity = reporting.activity(path_id(request), *request.principal);
  if (!activity) return service_error_page(activity.error(), request);
  auto deleted = reporting.delete_activity(activity->id, *request.principal, web::actor_of(request));
  if (!deleted) return service_error_page(deleted.error(), request);
  return Response::redirect("/quan-tri/ke-hoach/" + std::to_string(activity->plan_id) + "/hoat-dong?da_luu=1");
}

// /quan-tri/ke-hoach/{id}/so-lieu?nam=YYYY: reported measures of a year and a form to set one.
Response measures_page(ReportingService& reporting, PlanService& plans, Request& request, int status,
                       const std::vector<FieldError>& errors) {
  const auto& principal = *request.principal;
  const std::int64_t plan_id = path_id(request);
  const int year = year_parameter(request, "nam", this_year(reporting));
  auto detail = plans.detail(plan_id);
  if (!detail) return service_error_page(detail.error(), request);
  auto measures = reporting.measures(plan_id, year, principal);
  if (!measures) return service_error_page(measures.error(), request);
  web::View view = plan_view(detail->plan);
  view.set("year", year);
  auto items = web::View::list();
  for (const auto& measure : *measures) {
    items.push(web::View()
                   .set("target", measure.numerator_label + " / " + measure.denominator_label + " (mục tiêu " +
                                      std::to_string(measure.input.target_year) + ")")
                   .set("unit", measure.unit_name)
                   .set("numerator_label", measure.numerator_label)
                   .set("denominator_label", measure.denominator_label)
                   .set("numerator", grouped(measure.input.numerator))
                   .set("denominator", grouped(measure.input.denominator))
                   .set("share", percent(measure.input.denominator
                                             ? std::optional(double(measure.input.numerator) /
                                                             double(measure.input.denominator))
                                             : std::nullopt)));
  }
  view.set("measures", std::move(items));
  auto targets = web::View::list();
  for (const auto& target : detail->targets) {
    if (target.indicator) continue;
    targets.push(web::View()
                     .set("value", target.key + "/" + std::to_string(target.year))
                     .set("label", target.section + " (" + std::to_string(target.year) + ") " +
                                       target.numerator_label.value_or("") + " / " +
                                       target.denominator_label.value_or("")));
  }
  view.set("targets", std::move(targets));
  auto choices = unit_options(reporting, plan_id, principal, "");
  view.set("has_units", !std::get<web::View::List>(choices.value()).empty());
  view.set("units", std::move(choices));
  view.set("may_record", principal.role != "viewer");
  view.set("errors", error_list(errors));
  view.set("has_errors", !errors.empty());
  return web::render_page(status, "plan_measures", std::move(view),
                          web::PageContext{"Số liệu báo cáo — Kế hoạch " + detail->plan.number, web::principal_of(request),
                                           "plan", request.query_parameter("da_luu") ? "Đã lưu." : ""});
}

Response set_measure_form(ReportingService& reporting, PlanService& plans, Request& request) {
  std::vector<FieldError> errors;
  MeasureInput input;
  const std::string target = request.form_value("target").value_or("");
  const auto slash = target.rfind('/');
  input.target_key = target.substr(0, slash);
  if (slash != std::string::npos) input.target_year = std::atoi(target.c_str() + slash + 1);
  input.unit_code = request.form_value("unit").value_or("");
  input.year = int(std::clamp<std::int64_t>(form_count(request, "year", 0, errors), 0, 9999));
  input.numerator = form_count(request, "numerator", 0, errors);
  input.denominator = form_count(request, "denominator", 0, errors);
  if (errors.empty()) {
    auto stored = reporting.set_measure(path_id(request), input, *request.principal, web::actor_of(request));
    if (stored) {
      return Response::redirect("/quan-tri/ke-hoach/" + std::to_string(path_id(request)) +
                                "/so-lieu?nam=" + std::to_string(input.year) + "&da_luu=1");
    }
    errors = errors_of(stored.error());
    return measures_page(reporting, plans, request, http::http_status(stored.error().code), errors);
  }
  return measures_page(reporting, plans, request, 400, errors);
}

// /quan-tri/ke-hoach/{id}/bao-cao: the plan's report periods and, for the lead office, a form to open one.
Response periods_page(ReportingService& reporting, PlanService& plans, Request& request, int status,
                      const std::vector<FieldError>& errors) {
  const std::int64_t plan_id = path_id(request);
  auto plan = plans.summary(plan_id);
  if (!plan) return service_error_page(plan.error(), request);
  auto periods = reporting.periods(plan_id);
  if (!periods) return service_error_page(periods.error(), request);
  web::View view = plan_view(*plan);
  auto items = web::View::list();
  const std::string today = reporting.today();
  for (const auto& period : *periods) {
    items.push(web::View()
                   .set("id", period.id)
                   .set("title", period.title)
                   .set("kind", period.kind == "yearly" ? "Hằng năm" : "Đột xuất")
                   .set("from", display_date(period.starts_on))
                   .set("to", display_date(period.ends_on))
                   .set("due", display_date(period.due_on))
                   .set("overdue", today > period.due_on));
  }
  view.set("periods", std::move(items));
  view.set("lead_office", is_lead_office(*request.principal));
  view.set("next_year", this_year(reporting));
  view.set("report_due", plan->report_due ? plan->report_due->substr(3, 2) + "/" + plan->report_due->substr(0, 2)
                                          : std::string("31/12"));
  view.set("errors", error_list(errors));
  view.set("has_errors", !errors.empty());
  return web::render_page(status, "plan_periods", std::move(view),
                          web::PageContext{"Kỳ báo cáo — Kế hoạch " + plan->number, web::principal_of(request), "plan", {}});
}

std::string iso_or_text(const std::string& text) {
  auto date = parse_date(trimmed(text));
  return date ? format_iso_date(*date) : trimmed(text);
}

Response open_period_form(ReportingService& reporting, PlanService& plans, Request& request) {
  std::vector<FieldError> errors;
  PeriodInput input;
  input.kind = request.form_value("kind").value_or("yearly");
  input.title = trimmed(request.form_value("title").value_or(""));
  if (input.kind == "yearly") {
    input.year = int(std::clamp<std::int64_t>(form_count(request, "year", 0, errors), 0, 9999));
  }
  input.starts_on = iso_or_text(request.form_value("starts_on").value_or(""));
  input.ends_on = iso_or_text(request.form_value("ends_on").value_or(""));
  input.due_on = iso_or_text(request.form_value("due_on").value_or(""));
  if (!errors.empty()) return periods_page(reporting, plans, request, 400, errors);
  auto opened = reporting.open_period(path_id(request), input, *request.principal, web::actor_of(request));
  if (!opened) {
    return periods_page(reporting, plans, request, http::http_status(opened.error().code), errors_of(opened.error()));
  }
  return Response::redirect("/quan-tri/ky-bao-cao/" + std::to_string(opened->id));
}

// /quan-tri/ky-bao-cao/{id}: who has submitted, who is late.
Response board_page(ReportingService& reporting, PlanService& plans, Request& request) {
  auto period = reporting.period(path_id(request));
  if (!period) return service_error_page(period.error(), request);
  auto plan = plans.summary(period->plan_id);
  if (!plan) return service_error_page(plan.error(), request);
  auto board = reporting.board(period->id, *request.principal);
  if (!board) return service_error_page(board.error(), request);
  web::View view = plan_view(*plan);
  view.set("period_id", period->id);
  view.set("period", period->title);
  view.set("from", display_date(period->starts_on));
  view.set("to", display_date(period->ends_on));
  view.set("due", display_date(period->due_on));
  auto lines = web::View::list();
  int submitted = 0;
  int late = 0;
  for (const auto& line : *board) {
    submitted += line.status == "submitted" || line.status == "accepted";
    late += line.late;
    lines.push(web::View()
                   .set("code", line.unit_code)
                   .set("name", line.unit_name)
                   .set("status", report_status_label(line.status))
                   .set("status_key", line.status)
                   .set("submitted_at", line.submitted_at ? format_display_instant(*line.submitted_at) : "")
                   .set("late", line.late)
                   .set("reminded_at", line.reminded_at ? format_display_instant(*line.reminded_at) : "")
                   .set("escalated_at", line.escalated_at ? format_display_instant(*line.escalated_at) : ""));
  }
  view.set("lines", std::move(lines));
  view.set("summary", "Đã gửi " + std::to_string(submitted) + "/" + std::to_string(board->size()) +
                          " đơn vị; trễ hạn " + std::to_string(late) + ".");
  view.set("may_compile", request.principal->role != "officer");
  return web::render_page(200, "plan_board", std::move(view),
                          web::PageContext{"Tình hình báo cáo — " + period->title, web::principal_of(request), "plan", {}});
}

// /quan-tri/ky-bao-cao/{id}/{unit}: one unit's report: figures, texts, submission and review.
Response report_page(ReportingService& reporting, Request& request, int status, const std::string& notice,
                     const std::vector<FieldError>& errors, const ReportTexts* entered) {
  const auto& principal = *request.principal;
  auto report = reporting.report(path_id(request), request.path_parameter("unit"), principal);
  if (!report) return service_error_page(report.error(), request);
  auto writable = reporting.writable_units(report->period.plan_id, principal);
  if (!writable) return service_error_page(writable.error(), request);
  const bool may_write = std::any_of(writable->begin(), writable->end(),
                                     [&](const units::Unit& unit) { return unit.code == report->unit_code; });
  const bool editable = report->status == "not_started" || report->status == "draft" || report->status == "returned";
  web::View view;
  view.set("period_id", report->period.id);
  view.set("plan_id", report->period.plan_id);
  view.set("period", report->period.title);
  view.set("due", display_date(report->period.due_on));
  view.set("unit_code", report->unit_code);
  view.set("unit", report->unit_name);
  view.set("status", report_status_label(report->status));
  view.set("status_key", report->status);
  view.set("late", report->late);
  view.set("stored", report->id.has_value());
  view.set("figures_at", format_display_instant(report->figures_at));
  view.set("submitted_at", report->submitted_at ? format_display_instant(*report->submitted_at) : "");
  view.set("review_comment", report->review_comment);
  auto tasks = web::View::list();
  for (const auto& task : report->tasks) {
    tasks.push(web::View()
                   .set("task", task.section_code)
                   .set("activities", task.activities)
                   .set("participants", grouped(task.participants))
                   .set("audience", grouped(task.audience))
                   .set("cost", grouped(task.cost_vnd))
                   .set("summary", task.summary));
  }
  view.set("tasks", std::move(tasks));
  auto values = web::View::list();
  for (const auto& value : report->values) {
    values.push(web::View()
                    .set("label", value.label)
                    .set("kind", value.indicator ? "Chỉ số tính từ hồ sơ" : "Số liệu đơn vị báo cáo")
                    .set("numerator", grouped(value.numerator))
                    .set("denominator", grouped(value.denominator))
                    .set("value", percent(value.value())));
  }
  view.set("values", std::move(values));
  view.set("results", entered ? entered->results : report->results);
  view.set("difficulties", entered ? entered->difficulties : report->difficulties);
  view.set("proposals", entered ? entered->proposals : report->proposals);
  view.set("may_edit", may_write && editable);
  view.set("may_review", is_lead_office(principal) && report->status == "submitted");
  view.set("errors", error_list(errors));
  view.set("has_errors", !errors.empty());
  return web::render_page(status, "plan_report", std::move(view),
                          web::PageContext{"Báo cáo " + report->unit_name + " — " + report->period.title,
                                           web::principal_of(request), "plan", notice});
}

Response report_form(ReportingService& reporting, Request& request) {
  const std::string action = request.form_value("action").value_or("");
  const std::int64_t period_id = path_id(request);
  const std::string unit = request.path_parameter("unit");
  ReportTexts texts{request.form_value("results").value_or(""), request.form_value("difficulties").value_or(""),
                    request.form_value("proposals").value_or("")};
  const auto& principal = *request.principal;
  const auto actor = web::actor_of(request);
  Result<Report> result = fail(ErrorCode::invalid_input, "Thao tác không hợp lệ");
  std::string notice;
  if (action == "save" || action == "refresh" || action == "submit") {
    result = reporting.save_report(period_id, unit, texts, action == "refresh", principal, actor);
    notice = action == "refresh" ? "Đã lấy lại số liệu." : "Đã lưu.";
    if (result && action == "submit") {
      result = reporting.submit_report(period_id, unit, principal, actor);
      notice = "Đã gửi báo cáo.";
    }
  } else if (action == "accept" || action == "return") {
    result = reporting.review_report(period_id, unit, action == "accept", request.form_value("comment").value_or(""),
                                     principal, actor);
    notice = action == "accept" ? "Đã tiếp nhận báo cáo." : "Đã trả lại báo cáo.";
  }
  if (!result) {
    return report_page(reporting, request, http::http_status(result.error().code), {}, errors_of(result.error()),
                       action == "accept" || action == "return" ? nullptr : &texts);
  }
  return report_page(reporting, request, 200, notice, {}, nullptr);
}

// /quan-tri/ky-bao-cao/{id}/tong-hop: the compiled report, laid out to print.
Response compiled_page(ReportingService& reporting, Request& request) {
  auto compiled = reporting.compile(path_id(request), *request.principal);
  if (!compiled) return service_error_page(compiled.error(), request);
  const auto& plan = compiled->plan;
  web::View view;
  view.set("period_id", compiled->period.id);
  view.set("plan_id", plan.id);
  view.set("issuing_unit", plan.issuing_unit_name);
  view.set("lead_unit", plan.lead_unit_name.value_or(plan.issuing_unit_name));
  view.set("number", plan.number);
  view.set("plan_date", display_date(plan.issued_on));
  view.set("plan_title", plan.title);
  view.set("period", compiled->period.title);
  view.set("from", display_date(compiled->period.starts_on));
  view.set("to", display_date(compiled->period.ends_on));
  view.set("due", display_date(compiled->period.due_on));
  view.set("today", display_date(reporting.today()));
  int accepted = 0;
  auto board = web::View::list();
  for (const auto& line : compiled->board) {
    accepted += line.status == "accepted";
    board.push(web::View()
                   .set("name", line.unit_name)
                   .set("status", report_status_label(line.status))
                   .set("submitted_at", line.submitted_at ? format_display_instant(*line.submitted_at) : "")
                   .set("late", line.late));
  }
  view.set("board", std::move(board));
  view.set("accepted", accepted);
  view.set("units", std::int64_t(compiled->board.size()));
  view.set("activities", grouped(compiled->activities));
  view.set("cost", grouped(compiled->cost_vnd));
  auto tasks = web::View::list();
  for (const auto& task : compiled->tasks) {
    auto units = web::View::list();
    for (const auto& work : task.units) {
      units.push(web::View()
                     .set("name", work.unit_name)
                     .set("summary", work.figures.summary)
                     .set("participants", grouped(work.figures.participants))
                     .set("audience", grouped(work.figures.audience))
                     .set("cost", grouped(work.figures.cost_vnd)));
    }
    tasks.push(web::View()
                   .set("code", task.section_code)
                   .set("text", task.text)
                   .set("has_units", !task.units.empty())
                   .set("units", std::move(units)));
  }
  view.set("tasks", std::move(tasks));
  auto targets = web::View::list();
  for (const auto& item : compiled->targets) {
    targets.push(web::View()
                     .set("section", item.target.section)
                     .set("year", item.target.year)
                     .set("description", item.target.description)
                     .set("target", percent(item.target.minimum))
                     .set("figures", item.denominator ? grouped(item.numerator) + "/" + grouped(item.denominator) : "")
                     .set("value", percent(item.value))
                     .set("verdict", !item.met ? "Chưa có số liệu" : *item.met ? "Đạt" : "Chưa đạt"));
  }
  view.set("targets", std::move(targets));
  auto texts = [](const std::vector<UnitText>& entries) {
    auto list = web::View::list();
    for (const auto& entry : entries) {
      auto lines = web::View::list();
      for (const auto& line : lines_of(entry.text)) lines.push(web::View().set("line", line));
      list.push(web::View().set("unit", entry.unit_name).set("lines", std::move(lines)));
    }
    return list;
  };
  view.set("difficulties", texts(compiled->difficulties));
  view.set("proposals", texts(compiled->proposals));
  auto commendations = web::View::list();
  for (const auto& entry : compiled->commendations) {
    commendations.push(web::View()
                           .set("rank", entry.rank)
                           .set("name", entry.unit_name)
                           .set("rate", percent(entry.online_rate))
                           .set("reach", grouped(entry.reach))
                           .set("activities", entry.activities));
  }
  view.set("commendations", std::move(commendations));
  return web::render_page(200, "plan_compiled", std::move(view),
                          web::PageContext{"Báo cáo tổng hợp — " + compiled->period.title, web::principal_of(request),
                                           "plan", {}});
}

}  // namespace

void register_reporting_routes(http::Router& router, ReportingService& reporting, PlanService& plans) {
  using http::route_options;
  const std::size_t small_body = 64 * 1024;
  router.add(Method::get, "/api/v1/plans/{id:int}/activities",
             [&reporting](Request& request) { return list_activities_api(reporting, request); },
             route_options(Access::staff, 0, "Hoạt động của các đơn vị theo nhiệm vụ (lọc unit, task, from, to)"));
  router.add(Method::post, "/api/v1/plans/{id:int}/activities",
             [&reporting](Request& request) { return create_activity_api(reporting, request); },
             route_options(Access::officer, small_body, "Ghi một hoạt động của đơn vị"));
  router.add(Method::put, "/api/v1/activities/{id:int}",
             [&reporting](Request& request) { return update_activity_api(reporting, request); },
             route_options(Access::officer, small_body, "Sửa một hoạt động"));
  router.add(Method::delete_, "/api/v1/activities/{id:int}",
             [&reporting](Request& request) { return delete_activity_api(reporting, request); },
             route_options(Access::officer, 0, "Xóa một hoạt động ghi nhầm"));
  router.add(Method::post, "/api/v1/activities/{id:int}/files",
             [&reporting](Request& request) { return attach_file_api(reporting, request); },
             route_options(Access::officer, evidence_file_limit, "Đính kèm tệp minh chứng (PDF, PNG, JPEG) vào hoạt động"));
  router.add(Method::get, "/api/v1/activities/{id:int}/files/{file:int}",
             [&reporting](Request& request) { return evidence_file_api(reporting, request); },
             route_options(Access::staff, 0, "Tải tệp minh chứng của hoạt động"));
  router.add(Method::get, "/api/v1/plans/{id:int}/measures",
             [&reporting](Request& request) { return list_measures_api(reporting, request); },
             route_options(Access::staff, 0, "Số liệu đơn vị báo cáo (tử số, mẫu số) của một năm"));
  router.add(Method::put, "/api/v1/plans/{id:int}/measures",
             [&reporting](Request& request) { return set_measure_api(reporting, request); },
             route_options(Access::officer, small_body, "Nhập số liệu báo cáo của đơn vị cho một chỉ tiêu và một năm"));
  router.add(Method::get, "/api/v1/plans/{id:int}/report-periods",
             [&reporting](Request& request) { return list_periods_api(reporting, request); },
             route_options(Access::staff, 0, "Các kỳ báo cáo của kế hoạch"));
  router.add(Method::post, "/api/v1/plans/{id:int}/report-periods",
             [&reporting](Request& request) { return open_period_api(reporting, request); },
             route_options(Access::coordinator, small_body, "Mở kỳ báo cáo (hằng năm hoặc đột xuất)"));
  router.add(Method::get, "/api/v1/report-periods/{id:int}/reports",
             [&reporting](Request& request) { return board_api(reporting, request); },
             route_options(Access::staff, 0, "Tình hình nộp báo cáo của các đơn vị trong kỳ"));
  router.add(Method::get, "/api/v1/report-periods/{id:int}/reports/{unit}",
             [&reporting](Request& request) { return report_api(reporting, request); },
             route_options(Access::staff, 0, "Báo cáo của một đơn vị (bản điền sẵn khi chưa lập)"));
  router.add(Method::put, "/api/v1/report-periods/{id:int}/reports/{unit}",
             [&reporting](Request& request) { return save_report_api(reporting, request); },
             route_options(Access::officer, small_body, "Lưu báo cáo nháp của đơn vị"));
  router.add(Method::post, "/api/v1/report-periods/{id:int}/reports/{unit}/submit",
             [&reporting](Request& request) { return submit_report_api(reporting, request); },
             route_options(Access::officer, 0, "Gửi báo cáo của đơn vị"));
  router.add(Method::post, "/api/v1/report-periods/{id:int}/reports/{unit}/review",
             [&reporting](Request& request) { return review_report_api(reporting, request); },
             route_options(Access::coordinator, small_body, "Tiếp nhận hoặc trả lại báo cáo"));
  router.add(Method::get, "/api/v1/report-periods/{id:int}/compiled",
             [&reporting](Request& request) { return compiled_api(reporting, request); },
             route_options(Access::staff, 0, "Báo cáo tổng hợp của kỳ"));
  router.add(Method::get, "/api/v1/report-periods/{id:int}/compiled.xlsx",
             [&reporting](Request& request) { return compiled_xlsx_api(reporting, request); },
             route_options(Access::staff, 0, "Báo cáo tổng hợp của kỳ dạng XLSX"));

  for (auto [extension, format] : {std::pair{"docx", DocumentFormat::docx}, std::pair{"pdf", DocumentFormat::pdf}}) {
    const std::string upper = extension == std::string("docx") ? "DOCX" : "PDF";
    router.add(Method::get, std::string("/api/v1/report-periods/{id:int}/reports/{unit}/document.") + extension,
               [&reporting, &plans, format](Request& request) {
                 return report_document_api(reporting, plans, request, format);
               },
               route_options(Access::staff, 0, "Báo cáo của một đơn vị dạng " + upper + " (thể thức Nghị định 30)"));
    router.add(Method::get, std::string("/api/v1/report-periods/{id:int}/compiled.") + extension,
               [&reporting, format](Request& request) { return compiled_document_api(reporting, request, format); },
               route_options(Access::staff, 0, "Báo cáo tổng hợp của kỳ dạng " + upper + " (thể thức Nghị định 30)"));
  }

  router.add(Method::get, "/quan-tri/ke-hoach/{id:int}/hoat-dong",
             [&reporting, &plans](Request& request) {
               return activities_page(reporting, plans, request, 200, ActivityInput{}, {});
             },
             route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/ke-hoach/{id:int}/hoat-dong",
             [&reporting, &plans](Request& request) { return record_activity_form(reporting, plans, request); },
             route_options(Access::officer, small_body));
  router.add(Method::post, "/quan-tri/hoat-dong/{id:int}/xoa",
             [&reporting](Request& request) { return delete_activity_form(reporting, request); },
             route_options(Access::officer, 4 * 1024));
  router.add(Method::get, "/quan-tri/ke-hoach/{id:int}/so-lieu",
             [&reporting, &plans](Request& request) { return measures_page(reporting, plans, request, 200, {}); },
             route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/ke-hoach/{id:int}/so-lieu",
             [&reporting, &plans](Request& request) { return set_measure_form(reporting, plans, request); },
             route_options(Access::officer, 8 * 1024));
  router.add(Method::get, "/quan-tri/ke-hoach/{id:int}/bao-cao",
             [&reporting, &plans](Request& request) { return periods_page(reporting, plans, request, 200, {}); },
             route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/ke-hoach/{id:int}/bao-cao",
             [&reporting, &plans](Request& request) { return open_period_form(reporting, plans, request); },
             route_options(Access::coordinator, 8 * 1024));
  router.add(Method::get, "/quan-tri/ky-bao-cao/{id:int}",
             [&reporting, &plans](Request& request) { return board_page(reporting, plans, request); },
             route_options(Access::staff, 0));
  router.add(Method::get, "/quan-tri/ky-bao-cao/{id:int}/tong-hop",
             [&reporting](Request& request) { return compiled_page(reporting, request); },
             route_options(Access::staff, 0));
  router.add(Method::get, "/quan-tri/ky-bao-cao/{id:int}/{unit}",
             [&reporting](Request& request) { return report_page(reporting, request, 200, {}, {}, nullptr); },
             route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/ky-bao-cao/{id:int}/{unit}",
             [&reporting](Request& request) { return report_form(reporting, request); },
             route_options(Access::officer, small_body));
}

}  // namespace dvchub::plan
