#include "plan/plan_routes.h"

#include <cstdio>
#include <map>

#include "json/json.h"
#include "core/dates.h"
#include "plan/formatting.h"
#include "plan/plan_pages.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::plan {
namespace {

// The short tag of a role in the matrix.
const char* role_tag(const std::string& role) {
  if (role == "lead") return "CT";
  if (role == "coordinating") return "PH";
  if (role == "oversight") return "TD";
  return "PV";
}

json::Object summary_json(const PlanSummary& plan) {
  json::Object object;
  object["id"] = plan.id;
  object["number"] = plan.number;
  object["issued_on"] = plan.issued_on;
  object["issuing_unit"] = json::Object{{"code", plan.issuing_unit_code}, {"name", plan.issuing_unit_name}};
  if (plan.lead_unit_code) {
    object["lead_unit"] = json::Object{{"code", *plan.lead_unit_code}, {"name", plan.lead_unit_name.value_or("")}};
  } else {
    object["lead_unit"] = nullptr;
  }
  object["title"] = plan.title;
  object["basis"] = plan.basis;
  if (plan.parent_id) {
    object["parent"] = json::Object{{"id", *plan.parent_id}, {"number", plan.parent_number.value_or("")}};
  } else {
    object["parent"] = nullptr;
  }
  object["target_year"] = plan.target_year;
  if (plan.horizon_year) object["horizon_year"] = *plan.horizon_year;
  else object["horizon_year"] = nullptr;
  object["status"] = plan.status;
  object["version"] = plan.version;
  // ISO 8601 recurring month-day: "--12-08".
  object["yearly_report_due"] = plan.report_due ? json::Value("--" + *plan.report_due) : json::Value(nullptr);
  return object;
}

json::Object target_json(const Target& target) {
  json::Object object;
  object["key"] = target.key;
  object["year"] = target.year;
  object["section"] = target.section;
  object["description"] = target.description;
  object["value"] = target.minimum;
  if (target.indicator) {
    object["measured_by"] = json::Object{{"kind", "indicator"},
                                         {"indicator", *target.indicator},
                                         {"label", kpi::indicator_label(*target.indicator)}};
  } else {
    object["measured_by"] = json::Object{{"kind", "reported"},
                                         {"numerator", target.numerator_label.value_or("")},
                                         {"denominator", target.denominator_label.value_or("")}};
  }
  if (target.current && target.current->value) object["current_value"] = *target.current->value;
  else object["current_value"] = nullptr;
  if (target.current) {
    object["current"] = json::Object{{"from", target.current->from},
                                     {"to", target.current->to},
                                     {"numerator", target.current->numerator},
                                     {"denominator", target.current->denominator}};
  } else {
    object["current"] = nullptr;
  }
  return object;
}

json::Object task_json(const Task& task) {
  json::Object object;
  object["section_code"] = task.section_code;
  object["group"] = task.group_code;
  object["text"] = task.body;
  object["yearly_on"] = task.yearly_on ? json::Value("--" + *task.yearly_on) : json::Value(nullptr);
  std::map<std::string, json::Array> by_role;
  for (const auto& role : assignment_roles()) by_role[role];
  json::Array units;
  for (const auto& assignment : task.assignments) {
    by_role[assignment.role].push_back(json::Value(assignment.unit_code));
    units.push_back(json::Object{{"code", assignment.unit_code},
                                 {"name", assignment.unit_name},
                                 {"role", assignment.role},
                                 {"basis", assignment.basis},
                                 {"status", assignment.status},
                                 {"status_note", assignment.status_note}});
  }
  for (auto& [role, codes] : by_role) object[role] = std::move(codes);
  object["units"] = std::move(units);
  return object;
}

Result<std::int64_t> plan_id(const http::Request& request) {
  auto found = request.path_parameters.find("id");
  if (found == request.path_parameters.end()) return fail(ErrorCode::not_found, "Không có kế hoạch này");
  try {
    return std::stoll(found->second);
  } catch (const std::exception&) {
    return fail(ErrorCode::not_found, "Không có kế hoạch này");
  }
}

http::Response list_answer(PlanService& plans) {
  auto list = plans.list();
  if (!list) return web::json_error(list.error());
  json::Array items;
  for (const auto& plan : *list) items.push_back(summary_json(plan));
  return web::json_response(200, json::serialize(json::Object{{"plans", std::move(items)}}));
}

http::Response detail_answer(PlanService& plans, http::Request& request) {
  auto id = plan_id(request);
  if (!id) return web::json_error(id.error());
  auto detail = plans.detail(*id);
  if (!detail) return web::json_error(detail.error());
  json::Object body = summary_json(detail->plan);
  json::Array targets;
  for (const auto& target : detail->targets) targets.push_back(target_json(target));
  json::Array groups;
  for (const auto& group : detail->groups) groups.push_back(json::Object{{"code", group.code}, {"title", group.title}});
  json::Array tasks;
  for (const auto& task : detail->tasks) tasks.push_back(task_json(task));
  body["targets"] = std::move(targets);
  body["groups"] = std::move(groups);
  body["tasks"] = std::move(tasks);
  return web::json_response(200, json::serialize(body));
}

web::View summary_view(const PlanSummary& plan) {
  web::View view;
  view.set("id", plan.id);
  view.set("number", plan.number);
  view.set("issued_on", display_date(plan.issued_on));
  view.set("issuing_unit", plan.issuing_unit_name);
  view.set("lead_unit", plan.lead_unit_name.value_or(""));
  view.set("title", plan.title);
  view.set("basis", plan.basis);
  view.set("parent_number", plan.parent_number.value_or(""));
  view.set("parent_id", plan.parent_id ? std::to_string(*plan.parent_id) : std::string());
  view.set("target_year", plan.target_year);
  view.set("horizon_year", plan.horizon_year ? std::to_string(*plan.horizon_year) : std::string());
  view.set("report_due", plan.report_due ? display_month_day(*plan.report_due) : std::string());
  return view;
}

// The progress of a target in one plain Vietnamese sentence.
std::string progress_text(const Target& target) {
  if (!target.indicator) {
    return "Đo bằng số liệu các đơn vị báo cáo: " + target.numerator_label.value_or("") + " trên tổng số " +
           target.denominator_label.value_or("") + ". Chưa có báo cáo của đơn vị.";
  }
  if (!target.current || !target.current->value) {
    return "Đo bằng chỉ số “" + kpi::indicator_label(*target.indicator) + "”. Chưa có số liệu để tính.";
  }
  const auto& current = *target.current;
  const bool met = *current.value >= target.minimum - 1e-9;
  return "Đạt " + percent(*current.value) + " (" + std::to_string(current.numerator) + "/" +
         std::to_string(current.denominator) + ", từ " + display_date(current.from) + " đến " +
         display_date(current.to) + "), mục tiêu " + percent(target.minimum) + ": " + (met ? "đã đạt." : "chưa đạt.");
}

http::Response list_page(PlanService& plans, http::Request& request) {
  const http::Principal* principal = web::principal_of(request);
  auto list = plans.list();
  if (!list) return web::error_page(503, list.error().message, principal);
  auto items = web::View::list();
  for (const auto& plan : *list) items.push(summary_view(plan));
  web::View view;
  view.set("plans", std::move(items));
  view.set("has_plans", !list->empty());
  return web::render_page(200, "plan_list", std::move(view), web::PageContext{"Kế hoạch", principal, "plan", {}});
}

http::Response detail_page(PlanService& plans, const PlanChangeService& changes, http::Request& request) {
  const http::Principal* principal = web::principal_of(request);
  auto id = plan_id(request);
  auto detail = id ? plans.detail(*id) : Result<PlanDetail>(tl::unexpected(id.error()));
  if (!detail) {
    return web::error_page(detail.error().code == ErrorCode::not_found ? 404 : 503, detail.error().message, principal);
  }
  web::View view = summary_view(detail->plan);
  auto targets = web::View::list();
  for (const auto& target : detail->targets) {
    web::View item;
    item.set("year", target.year);
    item.set("section", target.section);
    item.set("description", target.description);
    item.set("progress", progress_text(target));
    item.set("met", target.current && target.current->value && *target.current->value >= target.minimum - 1e-9);
    targets.push(std::move(item));
  }
  view.set("targets", std::move(targets));
  auto groups = web::View::list();
  for (const auto& group : detail->groups) {
    web::View group_view;
    group_view.set("code", group.code);
    group_view.set("title", group.title);
    auto tasks = web::View::list();
    for (const auto& task : detail->tasks) {
      if (task.group_code != group.code) continue;
      web::View item;
      item.set("code", task.section_code);
      auto lines = web::View::list();
      std::string body = task.body;
      for (std::size_t start = 0; start <= body.size();) {
        auto end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        lines.push(web::View().set("line", body.substr(start, end - start)));
        start = end + 1;
      }
      item.set("lines", std::move(lines));
      item.set("yearly_on", task.yearly_on ? display_month_day(*task.yearly_on) : std::string());
      std::map<std::string, std::string> names;  // role → "A; B"
      std::size_t within_scope = 0;
      for (const auto& assignment : task.assignments) {
        if (assignment.role == "within_scope") {
          ++within_scope;
          continue;
        }
        auto& text = names[assignment.role];
        text += (text.empty() ? "" : "; ") + assignment.unit_name;
      }
      item.set("lead", names["lead"]);
      item.set("coordinating", names["coordinating"]);
      item.set("oversight", names["oversight"]);
      item.set("within_scope", within_scope ? std::to_string(within_scope) : std::string());
      tasks.push(std::move(item));
    }
    group_view.set("tasks", std::move(tasks));
    groups.push(std::move(group_view));
  }
  view.set("groups", std::move(groups));
  view.set("staff", principal != nullptr);
  auto versions = changes.versions(detail->plan.id);
  if (!versions) return web::error_page(503, versions.error().message, principal);
  auto version_items = web::View::list();
  for (const auto& amendment : *versions) {
    version_items.push(web::View()
                           .set("version", amendment.version ? std::to_string(*amendment.version) : std::string())
                           .set("decided_on", amendment.decided_at ? format_display_instant(*amendment.decided_at)
                                                                   : std::string())
                           .set("field", amendment_field_label(amendment.field))
                           .set("subject", amendment.subject)
                           .set("unit", amendment.unit_name)
                           .set("reason", amendment.reason)
                           .set("changes", changes_view(amendment.changes))
                           .set("decision_reason", amendment.decision_reason));
  }
  view.set("versions", std::move(version_items));
  view.set("version", std::int64_t(detail->plan.version));
  return web::render_page(200, "plan_detail", std::move(view),
                          web::PageContext{"Kế hoạch " + detail->plan.number, principal, "plan", {}});
}

http::Response matrix_page(PlanService& plans, http::Request& request) {
  const http::Principal* principal = web::principal_of(request);
  auto id = plan_id(request);
  auto detail = id ? plans.detail(*id) : Result<PlanDetail>(tl::unexpected(id.error()));
  if (!detail) {
    return web::error_page(detail.error().code == ErrorCode::not_found ? 404 : 503, detail.error().message, principal);
  }
  // Columns: every unit assigned to some task, lead office first, then by code.
  std::map<std::string, std::string> unit_names;
  for (const auto& task : detail->tasks) {
    for (const auto& assignment : task.assignments) unit_names[assignment.unit_code] = assignment.unit_name;
  }
  std::vector<std::string> columns;
  if (detail->plan.lead_unit_code && unit_names.count(*detail->plan.lead_unit_code)) {
    columns.push_back(*detail->plan.lead_unit_code);
  }
  for (const auto& [code, name] : unit_names) {
    if (!detail->plan.lead_unit_code || code != *detail->plan.lead_unit_code) columns.push_back(code);
  }
  auto headers = web::View::list();
  for (const auto& code : columns) headers.push(web::View().set("code", code).set("name", unit_names[code]));
  auto rows = web::View::list();
  for (const auto& task : detail->tasks) {
    std::map<std::string, const Assignment*> by_unit;
    for (const auto& assignment : task.assignments) by_unit[assignment.unit_code] = &assignment;
    auto cells = web::View::list();
    for (const auto& code : columns) {
      web::View cell;
      auto found = by_unit.find(code);
      if (found != by_unit.end()) {
        cell.set("tag", role_tag(found->second->role));
        cell.set("role", role_label(found->second->role));
        cell.set("status", status_label(found->second->status));
        cell.set("status_key", found->second->status);
        cell.set("note", found->second->status_note);
        cell.set("short_note", shortened(found->second->status_note, 40));
        cell.set("lead", found->second->role == "lead");
      }
      cells.push(std::move(cell));
    }
    rows.push(web::View().set("code", task.section_code).set("cells", std::move(cells)));
  }
  web::View view = summary_view(detail->plan);
  view.set("units", std::move(headers));
  view.set("rows", std::move(rows));
  return web::render_page(200, "plan_matrix", std::move(view),
                          web::PageContext{"Ma trận nhiệm vụ " + detail->plan.number, principal, "plan", {}});
}

}  // namespace

void register_plan_routes(http::Router& router, PlanService& plans, const PlanChangeService& changes) {
  http::RouteOptions options;
  options.body_limit = 0;
  options.summary = "Danh sách kế hoạch";
  router.add(http::Method::get, "/api/v1/plans", [&plans](http::Request&) { return list_answer(plans); }, options);
  options.summary = "Một kế hoạch với chỉ tiêu (giá trị hiện tại) và nhiệm vụ (đơn vị, trạng thái)";
  router.add(http::Method::get, "/api/v1/plans/{id:int}",
             [&plans](http::Request& request) { return detail_answer(plans, request); }, options);
  options.summary = "Trang danh sách kế hoạch";
  router.add(http::Method::get, "/ke-hoach", [&plans](http::Request& request) { return list_page(plans, request); },
             options);
  options.summary = "Trang công khai của một kế hoạch";
  router.add(http::Method::get, "/ke-hoach/{id:int}",
             [&plans, &changes](http::Request& request) { return detail_page(plans, changes, request); }, options);
  options.access = http::Access::staff;
  options.summary = "Ma trận nhiệm vụ × đơn vị";
  router.add(http::Method::get, "/quan-tri/ke-hoach/{id:int}/ma-tran",
             [&plans](http::Request& request) { return matrix_page(plans, request); }, options);
}

}  // namespace dvchub::plan
