#include "plan/reporting_routes.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/dates.h"
#include "core/strings.h"
#include "http/error_mapping.h"
#include "multipart/form_data.h"
#include "plan/formatting.h"
#include "plan/plan_pages.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::plan {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

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


// /quan-tri/ke-hoach/{id}/hoat-dong: the activities the principal may read, and a form to record one.
// The public page of what units did, task by task (linked from the plan's page).
Response progress_page(ReportingService& reporting, PlanService& plans, Request& request) {
  const std::int64_t plan_id = path_id(request);
  auto detail = plans.detail(plan_id);
  if (!detail) return service_error_page(detail.error(), request);
  auto progress = reporting.progress(plan_id);
  if (!progress) return service_error_page(progress.error(), request);
  web::View view = plan_view(detail->plan);
  auto items = web::View::list();
  std::int64_t activities = 0;
  for (const auto& task : *progress) {
    activities += task.activities;
    items.push(web::View()
                   .set("code", task.section_code)
                   .set("activities", task.activities)
                   .set("units", task.units)
                   .set("participants", task.participants)
                   .set("audience", task.audience)
                   .set("summary", task.summary));
  }
  view.set("tasks", std::move(items));
  view.set("any", !progress->empty());
  view.set("total_activities", activities);
  view.set("tasks_with_activities", static_cast<std::int64_t>(progress->size()));
  view.set("tasks_in_plan", static_cast<std::int64_t>(detail->tasks.size()));
  return web::render_page(200, "plan_progress", std::move(view),
                          web::PageContext{"Kết quả thực hiện Kế hoạch " + detail->plan.number,
                                           web::principal_of(request), "plan", {}});
}

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
                                           request.query_parameter("da_luu")       ? "Đã lưu."
                                           : request.query_parameter("da_tai_len") ? "Đã tải tệp minh chứng lên."
                                                                                   : ""});
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

// POST /quan-tri/hoat-dong/{id}/tep: an evidence file for an activity from its page (multipart/form-data, the file in
// the field "file"). The type and size are checked by ReportingService::attach_file, which stores it in the store.
Response attach_file_form(ReportingService& reporting, Request& request) {
  const http::Principal* principal = web::principal_of(request);
  auto activity = reporting.activity(path_id(request), *request.principal);
  if (!activity) return service_error_page(activity.error(), request);
  multipart::Limits limits;
  limits.max_parts = 4;  // the CSRF token and the file, with room for a browser's extras
  limits.max_field_bytes = 1024;
  limits.max_file_bytes = evidence_file_limit;
  auto form = multipart::parse_form_data(request.headers.get("Content-Type").value_or(""), request.body, limits);
  if (!form) {
    return web::error_page(http::http_status(form.error().code), form.error().message, principal);
  }
  const multipart::Part* file = form->file("file");
  if (!file) return web::error_page(400, "Chọn một tệp minh chứng (PDF, PNG hoặc JPEG) để tải lên", principal);
  auto attached = reporting.attach_file(activity->id, file->filename.value_or(""), file->content, *request.principal,
                                        web::actor_of(request));
  if (!attached) {
    return web::error_page(http::http_status(attached.error().code), errors_of(attached.error()).front().message,
                           principal);
  }
  return Response::redirect("/quan-tri/ke-hoach/" + std::to_string(activity->plan_id) + "/hoat-dong?da_tai_len=1");
}

// /quan-tri/ke-hoach/{id}/so-lieu?nam=YYYY: reported measures of a year and a form to set one.
Response measures_page(ReportingService& reporting, PlanService& plans, Request& request, int status,
                       const std::vector<FieldError>& errors) {
  const auto& principal = *request.principal;
  const std::int64_t plan_id = path_id(request);
  const int year = year_parameter(request, "nam", year_of(reporting.today()));
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
  view.set("next_year", year_of(reporting.today()));
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

void register_reporting_pages(http::Router& router, ReportingService& reporting, PlanService& plans) {
  using http::route_options;
  const std::size_t small_body = 64 * 1024;
  router.add(Method::get, "/ke-hoach/{id:int}/ket-qua",
             [&reporting, &plans](Request& request) { return progress_page(reporting, plans, request); },
             route_options(Access::public_, 0));
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
  // The file, the CSRF token and the multipart framing around them.
  router.add(Method::post, "/quan-tri/hoat-dong/{id:int}/tep",
             [&reporting](Request& request) { return attach_file_form(reporting, request); },
             route_options(Access::officer, evidence_file_limit + 16 * 1024));
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
