#include "plan/reporting_routes.h"

#include <charconv>
#include <functional>

#include "core/dates.h"
#include "core/strings.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "plan/formatting.h"
#include "plan/reporting_documents.h"
#include "web/responses.h"

namespace dvchub::plan {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

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
      reporting.measures(path_id(request), year_parameter(request, "year", year_of(reporting.today())), *request.principal),
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

}  // namespace

void register_reporting_api(http::Router& router, ReportingService& reporting, PlanService& plans) {
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
}

}  // namespace dvchub::plan
