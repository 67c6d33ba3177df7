#include "plan/plan_change_routes.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/dates.h"
#include "core/strings.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "kpi/dossier_format.h"
#include "plan/formatting.h"
#include "plan/plan_pages.h"
#include "web/responses.h"

namespace dvchub::plan {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

// ---- API ----

const char* kind_key(DiffPart::Kind kind) {
  if (kind == DiffPart::Kind::removed) return "removed";
  if (kind == DiffPart::Kind::added) return "added";
  return "same";
}

json::Object amendment_object(const Amendment& amendment) {
  json::Array changes;
  for (const auto& change : amendment.changes) {
    json::Array parts;
    for (const auto& part : change.parts) parts.push_back(json::Object{{"kind", kind_key(part.kind)}, {"text", part.text}});
    changes.push_back(json::Object{{"label", change.label}, {"parts", std::move(parts)}});
  }
  return json::Object{
      {"id", amendment.id},
      {"plan_id", amendment.plan_id},
      {"unit", json::Object{{"code", amendment.unit_code}, {"name", amendment.unit_name}}},
      {"field", amendment.field},
      {"field_label", amendment_field_label(amendment.field)},
      {"subject", amendment.subject},
      {"before", amendment.before_value},
      {"proposed", amendment.proposed_value},
      {"reason", amendment.reason},
      {"status", amendment.status},
      {"proposed_at", format_iso_instant(amendment.proposed_at)},
      {"decided_at", amendment.decided_at ? json::Value(format_iso_instant(*amendment.decided_at)) : json::Value(nullptr)},
      {"decision_reason", json::optional_string(amendment.decision_reason)},
      {"version", amendment.version ? json::Value(*amendment.version) : json::Value(nullptr)},
      {"changes", std::move(changes)}};
}

Response amendments_answer(const Result<std::vector<Amendment>>& amendments) {
  if (!amendments) return web::json_error(amendments.error());
  json::Array items;
  for (const auto& amendment : *amendments) items.push_back(amendment_object(amendment));
  return web::json_response(200, json::serialize(json::Object{{"items", std::move(items)}}));
}

Result<AmendmentInput> amendment_from_json(std::string_view body) {
  auto object = json::parse_request_body(body);
  if (!object) return tl::unexpected(object.error());
  AmendmentInput input;
  std::vector<FieldError> errors;
  auto text = [&](std::string_view key, std::string& target) {
    auto value = json::read_string(*object, key);
    if (!value.type_ok) errors.push_back({std::string(key), "Phải là một chuỗi ký tự"});
    else if (value.value) target = *value.value;
  };
  auto codes = [&](std::string_view key, std::vector<std::string>& target) {
    auto found = object->find(key);
    if (found == object->end() || found->value().is_null()) return;
    if (!found->value().is_array() || found->value().as_array().size() > task_units_limit * 2) {
      errors.push_back({std::string(key), "Phải là một danh sách mã đơn vị"});
      return;
    }
    for (const auto& item : found->value().as_array()) {
      if (!item.is_string()) {
        errors.push_back({std::string(key), "Phải là một danh sách mã đơn vị"});
        return;
      }
      target.emplace_back(item.as_string().c_str(), item.as_string().size());
    }
  };
  text("unit", input.unit_code);
  text("field", input.field);
  text("task", input.task_code);
  text("text", input.text);
  text("yearly_on", input.yearly_on);
  text("reason", input.reason);
  codes("lead_units", input.lead_units);
  codes("coordinating_units", input.coordinating_units);
  if (auto target = object->find("target"); target != object->end() && !target->value().is_null()) {
    auto key = target->value().is_object() ? json::read_string(target->value().as_object(), "key") : json::StringField{};
    auto year = target->value().is_object() ? json::read_integer(target->value().as_object(), "year") : json::IntegerField{};
    if (!key.value || !year.value || *year.value < 2000 || *year.value > 2100) {
      errors.push_back({"target", "Phải là {\"key\": mã chỉ tiêu, \"year\": năm}"});
    } else {
      input.target_key = *key.value;
      input.target_year = static_cast<int>(*year.value);
    }
  }
  if (auto value = object->find("target_value"); value != object->end() && !value->value().is_null()) {
    if (value->value().is_number()) input.target_value = value->value().to_number<double>();
    else errors.push_back({"target_value", "Phải là một số từ 0 đến 1"});
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return input;
}

Response set_task_status_api(PlanChangeService& changes, Request& request) {
  auto object = json::parse_request_body(request.body);
  if (!object) return web::json_error(object.error());
  TaskStatusInput input;
  std::vector<FieldError> errors;
  for (auto [key, target] : {std::pair{"task", &input.task_code}, std::pair{"unit", &input.unit_code},
                             std::pair{"status", &input.status}, std::pair{"note", &input.note}}) {
    auto value = json::read_string(*object, key);
    if (!value.type_ok) errors.push_back({key, "Phải là một chuỗi ký tự"});
    else if (value.value) *target = *value.value;
  }
  if (!errors.empty()) return web::json_error(fail_fields(std::move(errors)).value());
  auto updated = changes.set_task_status(path_id(request), input, *request.principal, web::actor_of(request));
  if (!updated) return web::json_error(updated.error());
  return web::json_response(
      200, json::serialize(json::Object{{"task", input.task_code},
                                        {"unit", json::Object{{"code", updated->unit_code}, {"name", updated->unit_name}}},
                                        {"role", updated->role},
                                        {"status", updated->status},
                                        {"note", updated->status_note},
                                        {"updated_at", updated->status_updated_at
                                                           ? json::Value(format_iso_instant(*updated->status_updated_at))
                                                           : json::Value(nullptr)}}));
}

Response propose_amendment_api(PlanChangeService& changes, Request& request) {
  auto input = amendment_from_json(request.body);
  if (!input) return web::json_error(input.error());
  auto proposed = changes.propose(path_id(request), *input, *request.principal, web::actor_of(request));
  if (!proposed) return web::json_error(proposed.error());
  return web::json_response(201, json::serialize(amendment_object(*proposed)));
}

Response decide_amendment_api(PlanChangeService& changes, Request& request) {
  auto object = json::parse_request_body(request.body);
  if (!object) return web::json_error(object.error());
  auto decision = json::read_string(*object, "decision");
  auto reason = json::read_string(*object, "reason");
  if (!decision.value || (*decision.value != "accept" && *decision.value != "reject")) {
    return web::json_error(fail_fields({{"decision", "Quyết định là accept (chấp thuận) hoặc reject (không chấp thuận)"}}).value());
  }
  if (!reason.type_ok) return web::json_error(fail_fields({{"reason", "Phải là một chuỗi ký tự"}}).value());
  auto decided = changes.decide(path_id(request), *decision.value == "accept", reason.value.value_or(""),
                                *request.principal, web::actor_of(request));
  if (!decided) return web::json_error(decided.error());
  return web::json_response(200, json::serialize(amendment_object(*decided)));
}

// ---- pages ----

std::string codes_text(const std::vector<std::string>& codes) {
  std::string text;
  for (const auto& code : codes) text += (text.empty() ? "" : ", ") + code;
  return text;
}

std::vector<std::string> codes_of(const std::string& text) {
  std::vector<std::string> codes;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find_first_of(",;\n", start);
    if (end == std::string::npos) end = text.size();
    if (std::string code = trimmed(text.substr(start, end - start)); !code.empty()) codes.push_back(code);
    start = end + 1;
  }
  return codes;
}

// "90" or "85,5" (a percentage typed in a form) as a share; nullopt when it is not a number.
std::optional<double> share_of_percent(std::string text) {
  text = trimmed(text);
  if (!text.empty() && text.back() == '%') text = trimmed(text.substr(0, text.size() - 1));
  std::replace(text.begin(), text.end(), ',', '.');
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value / 100.0;
}

// "08/12" typed in a form as "12-08"; the text itself when it is not dd/mm.
std::string month_day_of(const std::string& text) {
  const std::string day = trimmed(text);
  auto slash = day.find('/');
  if (slash == std::string::npos || slash == 0 || slash > 2 || day.size() - slash - 1 == 0 || day.size() - slash - 1 > 2) {
    return day;
  }
  auto padded = [](const std::string& part) { return part.size() == 1 ? "0" + part : part; };
  return padded(day.substr(slash + 1)) + "-" + padded(day.substr(0, slash));
}

AmendmentInput amendment_from_form(const Request& request, std::vector<FieldError>& errors) {
  AmendmentInput input;
  input.unit_code = request.form_value("unit").value_or("");
  input.field = request.form_value("field").value_or("");
  input.task_code = request.form_value("task").value_or("");
  const std::string target = request.form_value("target").value_or("");  // "key/year"
  if (auto slash = target.rfind('/'); slash != std::string::npos) {
    input.target_key = target.substr(0, slash);
    input.target_year = std::atoi(target.substr(slash + 1).c_str());
  }
  input.text = request.form_value("text").value_or("");
  input.lead_units = codes_of(request.form_value("lead_units").value_or(""));
  input.coordinating_units = codes_of(request.form_value("coordinating_units").value_or(""));
  input.yearly_on = month_day_of(request.form_value("yearly_on").value_or(""));
  if (input.field == "target_value") {
    auto share = share_of_percent(request.form_value("target_value").value_or(""));
    if (share) input.target_value = *share;
    else errors.push_back({"target_value", "Nhập giá trị chỉ tiêu mới theo phần trăm (ví dụ 90)"});
  }
  input.reason = request.form_value("reason").value_or("");
  return input;
}

// /quan-tri/ke-hoach/{id}/sua-doi: the plan's amendments with what each changes, a form to propose one and, for the
// lead office, the decision on each proposal.
Response amendments_page(const PlanChangeServices& services, Request& request, int status,
                         const AmendmentInput& entered, const std::vector<FieldError>& errors) {
  const auto& principal = *request.principal;
  const std::int64_t plan_id = path_id(request);
  auto detail = services.plans.detail(plan_id);
  if (!detail) return service_error_page(detail.error(), request);
  auto amendments = services.changes.amendments(plan_id, principal);
  if (!amendments) return service_error_page(amendments.error(), request);
  auto writable = services.reporting.writable_units(plan_id, principal);
  if (!writable) return service_error_page(writable.error(), request);

  web::View view = plan_view(detail->plan);
  view.set("version", std::int64_t(detail->plan.version));
  const bool lead_office = is_lead_office(principal);
  auto items = web::View::list();
  for (const auto& amendment : *amendments) {
    items.push(web::View()
                   .set("id", amendment.id)
                   .set("subject", amendment.subject)
                   .set("field", amendment_field_label(amendment.field))
                   .set("unit", amendment.unit_name)
                   .set("status", amendment_status_label(amendment.status))
                   .set("status_key", amendment.status)
                   .set("proposed_at", format_display_instant(amendment.proposed_at))
                   .set("reason", amendment.reason)
                   .set("changes", changes_view(amendment.changes))
                   .set("decision_reason", amendment.decision_reason)
                   .set("version", amendment.version ? std::to_string(*amendment.version) : std::string())
                   .set("may_decide", lead_office && amendment.status == "proposed"));
  }
  view.set("amendments", std::move(items));
  auto units = web::View::list();
  for (const auto& unit : *writable) {
    units.push(web::View().set("value", unit.code).set("label", unit.name).set("selected", unit.code == entered.unit_code));
  }
  view.set("units", std::move(units));
  view.set("may_propose", !writable->empty());
  view.set("fields", options(amendment_fields(), amendment_field_label, entered.field.empty() ? "task_text" : entered.field));
  auto tasks = web::View::list();
  for (const auto& task : detail->tasks) {
    tasks.push(web::View()
                   .set("value", task.section_code)
                   .set("label", task.section_code + " — " + shortened(first_line(task.body), 90))
                   .set("selected", task.section_code == entered.task_code));
  }
  view.set("tasks", std::move(tasks));
  auto targets = web::View::list();
  for (const auto& target : detail->targets) {
    targets.push(web::View()
                     .set("value", target.key + "/" + std::to_string(target.year))
                     .set("label", target.section + " (" + std::to_string(target.year) + ", " + percent(target.minimum) +
                                       ") — " + shortened(target.description, 80))
                     .set("selected", target.key == entered.target_key && target.year == entered.target_year));
  }
  view.set("targets", std::move(targets));
  view.set("text_value", entered.text);
  view.set("lead_value", codes_text(entered.lead_units));
  view.set("coordinating_value", codes_text(entered.coordinating_units));
  view.set("yearly_value", entered.yearly_on.empty() ? std::string() : display_month_day(entered.yearly_on));
  view.set("target_value", entered.field == "target_value" ? percent(entered.target_value) : std::string());
  view.set("reason_value", entered.reason);
  view.set("errors", error_list(errors));
  view.set("has_errors", !errors.empty());
  std::string notice = request.query_parameter("da_gui") ? "Đã gửi đề xuất sửa đổi." : "";
  if (request.query_parameter("da_xu_ly")) notice = "Đã ghi quyết định.";
  return web::render_page(status, "plan_amendments", std::move(view),
                          web::PageContext{"Sửa đổi — Kế hoạch " + detail->plan.number, web::principal_of(request),
                                           "plan", notice});
}

Response propose_form(const PlanChangeServices& services, Request& request) {
  std::vector<FieldError> errors;
  AmendmentInput input = amendment_from_form(request, errors);
  if (!errors.empty()) return amendments_page(services, request, 400, input, errors);
  auto proposed = services.changes.propose(path_id(request), input, *request.principal, web::actor_of(request));
  if (!proposed) {
    return amendments_page(services, request, http::http_status(proposed.error().code), input,
                           errors_of(proposed.error()));
  }
  return Response::redirect("/quan-tri/ke-hoach/" + std::to_string(path_id(request)) + "/sua-doi?da_gui=1");
}

Response decide_form(const PlanChangeServices& services, Request& request) {
  const std::string decision = request.form_value("decision").value_or("");
  if (decision != "accept" && decision != "reject") {
    return web::error_page(400, "Chọn chấp thuận hoặc không chấp thuận", web::principal_of(request));
  }
  auto decided = services.changes.decide(path_id(request), decision == "accept",
                                         request.form_value("reason").value_or(""), *request.principal,
                                         web::actor_of(request));
  if (!decided) {
    auto errors = errors_of(decided.error());
    return web::error_page(http::http_status(decided.error().code), errors.front().message, web::principal_of(request));
  }
  return Response::redirect("/quan-tri/ke-hoach/" + std::to_string(decided->plan_id) + "/sua-doi?da_xu_ly=1");
}

// The codes a unit's page covers: the unit and the plan's assigned units whose work it carries on today.
Result<std::set<std::string>> carried_codes(const PlanChangeServices& services, const PlanDetail& detail,
                                            const std::string& unit_code) {
  std::set<std::string> assigned;
  for (const auto& task : detail.tasks) {
    for (const auto& assignment : task.assignments) assigned.insert(assignment.unit_code);
  }
  std::set<std::string> codes{unit_code};
  const std::string today = services.units.today();
  for (const auto& code : assigned) {
    auto successors = DVCHUB_TRY(services.units.successors_as_of(code, today));
    if (std::find(successors.begin(), successors.end(), unit_code) != successors.end()) codes.insert(code);
  }
  return codes;
}

// /quan-tri/ke-hoach/{id}/don-vi/{unit}: one unit's tasks (its own and those of the units it carries on) with their
// status and a form to set it, its activities, its reports and its KPIs this year.
Response unit_page(const PlanChangeServices& services, Request& request, int status,
                   const std::vector<FieldError>& errors) {
  const auto& principal = *request.principal;
  const std::int64_t plan_id = path_id(request);
  const std::string unit_code = request.path_parameter("unit");
  auto detail = services.plans.detail(plan_id);
  if (!detail) return service_error_page(detail.error(), request);
  const std::string today = services.units.today();
  auto unit = services.units.find(unit_code, today);
  if (!unit) return service_error_page(unit.error(), request);
  auto may_write = services.reporting.may_write(principal, unit_code);
  if (!may_write) return service_error_page(may_write.error(), request);
  if (principal.role == "officer" && !*may_write) {
    return web::error_page(403, "Bạn chỉ xem được trang của đơn vị mình", web::principal_of(request));
  }
  auto codes = carried_codes(services, *detail, unit_code);
  if (!codes) return service_error_page(codes.error(), request);

  web::View view = plan_view(detail->plan);
  view.set("unit_code", unit->code);
  view.set("unit_name", unit->name);
  view.set("ended", unit->valid_to ? display_date(*unit->valid_to) : std::string());
  auto tasks = web::View::list();
  std::int64_t task_count = 0;
  for (const auto& task : detail->tasks) {
    for (const auto& assignment : task.assignments) {
      if (!codes->count(assignment.unit_code)) continue;
      ++task_count;
      const bool may_update = *may_write && assignment.role != "oversight";
      tasks.push(web::View()
                     .set("code", task.section_code)
                     .set("text", shortened(first_line(task.body), 160))
                     .set("for_unit", assignment.unit_code == unit_code ? std::string() : assignment.unit_name)
                     .set("for_code", assignment.unit_code)
                     .set("role", role_label(assignment.role))
                     .set("status", status_label(assignment.status))
                     .set("status_key", assignment.status)
                     .set("note", assignment.status_note)
                     .set("updated", assignment.status_updated_at ? format_display_instant(*assignment.status_updated_at)
                                                                  : std::string())
                     .set("may_update", may_update)
                     .set("statuses", options(task_statuses(), status_label, assignment.status)));
    }
  }
  view.set("tasks", std::move(tasks));
  view.set("task_count", task_count);

  std::vector<Activity> activities;
  for (const auto& code : *codes) {
    ActivityFilter filter;
    filter.unit_code = code;
    auto found = services.reporting.activities(plan_id, filter, principal);
    if (!found) return service_error_page(found.error(), request);
    activities.insert(activities.end(), found->begin(), found->end());
  }
  std::sort(activities.begin(), activities.end(), [](const Activity& left, const Activity& right) {
    return std::pair(left.input.occurred_on, left.id) > std::pair(right.input.occurred_on, right.id);
  });
  auto activity_items = web::View::list();
  for (const auto& activity : activities) {
    activity_items.push(web::View()
                            .set("date", display_date(activity.input.occurred_on))
                            .set("task", activity.input.task_code)
                            .set("kind", activity_kind_label(activity.input.kind))
                            .set("title", activity.input.title)
                            .set("participants", grouped(activity.participants()))
                            .set("audience", grouped(activity.input.audience)));
  }
  view.set("activities", std::move(activity_items));
  view.set("activity_count", std::int64_t(activities.size()));

  auto periods = services.reporting.periods(plan_id);
  if (!periods) return service_error_page(periods.error(), request);
  auto reports = web::View::list();
  for (const auto& period : *periods) {
    auto report = services.reporting.report(period.id, unit_code, principal);
    if (!report) continue;  // the unit does not report for this period
    reports.push(web::View()
                     .set("period_id", period.id)
                     .set("title", period.title)
                     .set("due", display_date(period.due_on))
                     .set("status", report_status_label(report->status))
                     .set("late", report->late));
  }
  view.set("reports", std::move(reports));

  auto indicators = web::View::list();
  const auto year_start = kpi::day_from_iso(today.substr(0, 4) + "-01-01");
  if (auto figures = services.kpi.report(unit_code, year_start.value_or(services.kpi.today()), services.kpi.today())) {
    for (const auto& indicator : figures->indicators) {
      if (indicator.denominator == 0) continue;
      indicators.push(web::View()
                          .set("label", kpi::indicator_label(indicator.key))
                          .set("figures", grouped(indicator.numerator) + "/" + grouped(indicator.denominator))
                          .set("value", percent(indicator.value))
                          .set("target", indicator.target ? percent(*indicator.target) : std::string())
                          .set("met", indicator.met.value_or(false)));
    }
  }
  view.set("indicators", std::move(indicators));
  view.set("kpi_from", "01/01/" + today.substr(0, 4));
  view.set("today", display_date(today));
  view.set("errors", error_list(errors));
  view.set("has_errors", !errors.empty());
  return web::render_page(status, "plan_unit", std::move(view),
                          web::PageContext{unit->name + " — Kế hoạch " + detail->plan.number,
                                           web::principal_of(request), "plan",
                                           request.query_parameter("da_luu") ? "Đã cập nhật tiến độ." : ""});
}

Response task_status_form(const PlanChangeServices& services, Request& request) {
  TaskStatusInput input;
  input.task_code = request.form_value("task").value_or("");
  input.unit_code = request.form_value("unit").value_or("");
  input.status = request.form_value("status").value_or("");
  input.note = request.form_value("note").value_or("");
  auto updated = services.changes.set_task_status(path_id(request), input, *request.principal, web::actor_of(request));
  if (!updated) {
    return unit_page(services, request, http::http_status(updated.error().code), errors_of(updated.error()));
  }
  return Response::redirect("/quan-tri/ke-hoach/" + std::to_string(path_id(request)) + "/don-vi/" +
                            http::percent_encode(request.path_parameter("unit")) + "?da_luu=1#nhiem-vu");
}

}  // namespace

void register_plan_change_routes(http::Router& router, const PlanChangeServices& services) {
  using http::route_options;
  const std::size_t small_body = 64 * 1024;
  PlanChangeService& changes = services.changes;
  router.add(Method::put, "/api/v1/plans/{id:int}/task-status",
             [&changes](Request& request) { return set_task_status_api(changes, request); },
             route_options(Access::officer, 8 * 1024, "Cập nhật trạng thái thực hiện nhiệm vụ của một đơn vị"));
  router.add(Method::get, "/api/v1/plans/{id:int}/amendments",
             [&changes](Request& request) {
               return amendments_answer(changes.amendments(path_id(request), *request.principal));
             },
             route_options(Access::staff, 0, "Các đề xuất sửa đổi kế hoạch (cán bộ: của đơn vị mình)"));
  router.add(Method::post, "/api/v1/plans/{id:int}/amendments",
             [&changes](Request& request) { return propose_amendment_api(changes, request); },
             route_options(Access::officer, small_body, "Đề xuất sửa đổi nhiệm vụ hoặc chỉ tiêu của kế hoạch"));
  router.add(Method::post, "/api/v1/amendments/{id:int}/decision",
             [&changes](Request& request) { return decide_amendment_api(changes, request); },
             route_options(Access::coordinator, 8 * 1024, "Chấp thuận hoặc không chấp thuận đề xuất sửa đổi"));
  router.add(Method::get, "/api/v1/plans/{id:int}/versions",
             [&changes](Request& request) { return amendments_answer(changes.versions(path_id(request))); },
             route_options(Access::public_, 0, "Các phiên bản của kế hoạch: sửa đổi đã chấp thuận và nội dung thay đổi"));

  router.add(Method::get, "/quan-tri/ke-hoach/{id:int}/sua-doi",
             [services](Request& request) { return amendments_page(services, request, 200, AmendmentInput{}, {}); },
             route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/ke-hoach/{id:int}/sua-doi",
             [services](Request& request) { return propose_form(services, request); },
             route_options(Access::officer, small_body));
  router.add(Method::post, "/quan-tri/sua-doi/{id:int}",
             [services](Request& request) { return decide_form(services, request); },
             route_options(Access::coordinator, 8 * 1024));
  router.add(Method::get, "/quan-tri/ke-hoach/{id:int}/don-vi/{unit}",
             [services](Request& request) { return unit_page(services, request, 200, {}); },
             route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/ke-hoach/{id:int}/don-vi/{unit}",
             [services](Request& request) { return task_status_form(services, request); },
             route_options(Access::officer, 8 * 1024));
}

}  // namespace dvchub::plan
