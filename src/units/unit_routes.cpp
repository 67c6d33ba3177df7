#include "units/unit_routes.h"

#include "core/dates.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "units/unit_json.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::units {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

std::string text_or_empty(const json::Object& body, std::string_view key, std::vector<FieldError>& errors) {
  auto field = json::read_string(body, key);
  if (!field.type_ok) errors.push_back({std::string(key), "Cần một chuỗi ký tự"});
  return field.value.value_or("");
}

std::optional<std::string> optional_text(const json::Object& body, std::string_view key,
                                         std::vector<FieldError>& errors) {
  auto field = json::read_string(body, key);
  if (!field.type_ok) errors.push_back({std::string(key), "Cần một chuỗi ký tự hoặc null"});
  if (field.value && field.value->empty()) return std::nullopt;
  return field.value;
}

Result<NewUnit> new_unit_from_json(const json::Object& body, bool needs_date) {
  std::vector<FieldError> errors;
  NewUnit unit;
  unit.code = text_or_empty(body, "code", errors);
  unit.name = text_or_empty(body, "name", errors);
  unit.kind = text_or_empty(body, "kind", errors);
  unit.parent_code = optional_text(body, "parent_code", errors);
  if (needs_date) {
    unit.valid_from = text_or_empty(body, "valid_from", errors);
    if (!parse_date(unit.valid_from)) errors.push_back({"valid_from", "Ngày thành lập không hợp lệ"});
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return unit;
}

Response created_or_error(const Result<Unit>& unit, int status = 200) {
  if (!unit) return web::json_error(unit.error());
  return web::json_response(status, json::serialize(unit_object(*unit)));
}

// ---- API -------------------------------------------------------------------------------------------------------

Response list_units(UnitService& units, Request& request) {
  auto day = web::day_parameter(request, "as_of", units.today());
  if (!day) return web::json_error(day.error());
  auto kind = request.query_parameter("kind");
  if (kind && kind->empty()) kind.reset();
  auto listed = units.list(*day, kind);
  if (!listed) return web::json_error(listed.error());
  json::Array array;
  for (const auto& unit : *listed) array.push_back(unit_object(unit));
  json::Object body;
  body["as_of"] = *day;
  body["count"] = static_cast<std::int64_t>(listed->size());
  body["units"] = std::move(array);
  return web::json_response(200, json::serialize(body));
}

Response show_unit(UnitService& units, Request& request) {
  auto day = web::day_parameter(request, "as_of", units.today());
  if (!day) return web::json_error(day.error());
  const std::string code = request.path_parameter("code");
  auto unit = units.find(code, *day);
  if (!unit) return web::json_error(unit.error());
  auto history = units.history(code);
  auto successors = units.successors_as_of(code, units.today());
  if (!history) return web::json_error(history.error());
  if (!successors) return web::json_error(successors.error());
  json::Object body = unit_object(*unit);
  body["as_of"] = *day;
  json::Array events;
  for (const auto& event : *history) {
    json::Object entry;
    entry["date"] = event.date;
    entry["description"] = event.description;
    events.push_back(std::move(entry));
  }
  body["history"] = std::move(events);
  json::Array current;
  for (const auto& successor : *successors) current.push_back(json::Value(successor));
  body["current_successors"] = std::move(current);
  return web::json_response(200, json::serialize(body));
}

Response create_unit(UnitService& units, Request& request) {
  auto body = json::parse_object(request.body);
  if (!body) return web::json_error(body.error());
  auto unit = new_unit_from_json(*body, true);
  if (!unit) return web::json_error(unit.error());
  return created_or_error(units.create(*unit, web::actor_of(request)), 201);
}

Response change_unit(UnitService& units, Request& request, const std::string& operation) {
  auto parsed = json::parse_object(request.body);
  if (!parsed) return web::json_error(parsed.error());
  const json::Object& body = *parsed;
  std::vector<FieldError> errors;
  const std::string code = request.path_parameter("code");
  const std::string effective_date = text_or_empty(body, "effective_date", errors);
  if (effective_date.empty()) errors.push_back({"effective_date", "Chưa nhập ngày hiệu lực"});
  auto actor = web::actor_of(request);
  if (operation == "rename") {
    std::string name = text_or_empty(body, "name", errors);
    if (!errors.empty()) return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu chưa hợp lệ", errors, {}});
    return created_or_error(units.rename(code, name, effective_date, actor));
  }
  if (operation == "move") {
    auto parent = optional_text(body, "parent_code", errors);
    if (!errors.empty()) return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu chưa hợp lệ", errors, {}});
    return created_or_error(units.move(code, parent, effective_date, actor));
  }
  if (operation == "dissolve") {
    auto successor = optional_text(body, "successor_code", errors);
    if (!errors.empty()) return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu chưa hợp lệ", errors, {}});
    auto dissolved = units.dissolve(code, successor, effective_date, actor);
    if (!dissolved) return web::json_error(dissolved.error());
    return created_or_error(units.find(code, effective_date));
  }
  // split
  std::vector<NewUnit> parts;
  auto found = body.find("parts");
  if (found == body.end() || !found->value().is_array()) {
    errors.push_back({"parts", "Cần danh sách các đơn vị mới"});
  } else {
    for (const auto& item : found->value().as_array()) {
      if (!item.is_object()) {
        errors.push_back({"parts", "Mỗi đơn vị mới là một đối tượng {code, name, kind, parent_code}"});
        break;
      }
      auto part = new_unit_from_json(item.as_object(), false);
      if (!part) {
        for (const auto& field : part.error().fields) errors.push_back({"parts." + field.field, field.message});
        continue;
      }
      parts.push_back(*part);
    }
  }
  if (!errors.empty()) return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu chưa hợp lệ", errors, {}});
  auto created = units.split(code, parts, effective_date, actor);
  if (!created) return web::json_error(created.error());
  json::Array array;
  for (const auto& unit : *created) array.push_back(unit_object(unit));
  json::Object answer;
  answer["successors"] = std::move(array);
  return web::json_response(200, json::serialize(answer));
}

Response merge_units(UnitService& units, Request& request) {
  auto parsed = json::parse_object(request.body);
  if (!parsed) return web::json_error(parsed.error());
  const json::Object& body = *parsed;
  std::vector<FieldError> errors;
  std::vector<std::string> codes;
  auto found = body.find("codes");
  if (found == body.end() || !found->value().is_array()) {
    errors.push_back({"codes", "Cần danh sách mã đơn vị bị sáp nhập"});
  } else {
    for (const auto& item : found->value().as_array()) {
      if (!item.is_string()) {
        errors.push_back({"codes", "Mỗi mã đơn vị là một chuỗi"});
        break;
      }
      codes.emplace_back(item.as_string().c_str());
    }
  }
  std::string target_code = text_or_empty(body, "target_code", errors);
  std::string effective_date = text_or_empty(body, "effective_date", errors);
  std::optional<NewUnit> new_target;
  auto target = body.find("new_target");
  if (target != body.end() && target->value().is_object()) {
    auto parsed_target = new_unit_from_json(target->value().as_object(), false);
    if (!parsed_target) {
      for (const auto& field : parsed_target.error().fields) errors.push_back({"new_target." + field.field, field.message});
    } else {
      new_target = *parsed_target;
    }
  }
  if (!errors.empty()) return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu chưa hợp lệ", errors, {}});
  return created_or_error(units.merge(codes, target_code, new_target, effective_date, web::actor_of(request)));
}

// ---- Staff pages -----------------------------------------------------------------------------------------------

web::View kind_options(const std::string& selected) {
  web::View options = web::View::list();
  for (const auto& kind : unit_kinds()) {
    web::View option;
    option.set("value", kind).set("label", kind_label(kind)).set("selected", kind == selected);
    options.push(std::move(option));
  }
  return options;
}

void add_field_errors(web::View& view, const Error& error) {
  view.set("error", error.message);
  for (const auto& field : error.fields) view.set("error_" + field.field, field.message);
}

Response units_page(UnitService& units, Request& request, int status, web::View view) {
  auto day = web::day_parameter(request, "as_of", units.today());
  if (!day) return web::error_page(400, day.error().fields.front().message, &*request.principal);
  auto listed = units.list(*day);
  if (!listed) return web::error_page(503, listed.error().message, &*request.principal);
  web::View rows = web::View::list();
  for (const auto& unit : *listed) {
    web::View row;
    row.set("code", unit.code).set("name", unit.name).set("kind", kind_label(unit.kind));
    row.set("parent_code", unit.parent_code.value_or("—"));
    row.set("valid_from", format_display_date(*parse_iso_date(unit.valid_from)));
    row.set("illustrative", unit.illustrative);
    rows.push(std::move(row));
  }
  view.set("units", std::move(rows));
  view.set("count", static_cast<std::int64_t>(listed->size()));
  view.set("as_of", format_display_date(*parse_iso_date(*day)));
  view.set("as_of_iso", *day);
  view.set("is_admin", request.principal->role == "admin");
  if (!std::holds_alternative<web::View::Object>(view.value()) ||
      !std::get<web::View::Object>(view.value()).count("kinds")) {
    view.set("kinds", kind_options(""));
  }
  return web::render_page(status, "units", std::move(view),
                          web::PageContext{"Đơn vị", &*request.principal, "units", request.query_parameter("ok").value_or("")});
}

std::string form_value(const std::multimap<std::string, std::string>& form, const std::string& name) {
  auto found = form.find(name);
  return found == form.end() ? std::string() : found->second;
}

Response create_unit_from_form(UnitService& units, Request& request) {
  auto form = request.form();
  NewUnit unit{form_value(form, "code"), form_value(form, "name"), form_value(form, "kind"),
               form_value(form, "parent_code").empty() ? std::nullopt
                                                         : std::optional(form_value(form, "parent_code")),
               form_value(form, "valid_from"), false};
  auto created = units.create(unit, web::actor_of(request));
  if (created) {
    return Response::redirect("/quan-tri/don-vi/" + http::percent_encode(created->code) + "?ok=" +
                              http::percent_encode("Đã tạo đơn vị " + created->name));
  }
  web::View view;
  add_field_errors(view, created.error());
  view.set("form_code", unit.code).set("form_name", unit.name).set("form_parent_code", unit.parent_code.value_or(""));
  view.set("form_valid_from", unit.valid_from).set("kinds", kind_options(unit.kind));
  return units_page(units, request, http::http_status(created.error().code), std::move(view));
}

Response unit_detail_page(UnitService& units, Request& request, int status, web::View view) {
  const std::string code = request.path_parameter("code");
  auto day = web::day_parameter(request, "as_of", units.today());
  if (!day) return web::error_page(400, day.error().fields.front().message, &*request.principal);
  auto unit = units.find(code, *day);
  if (!unit) return web::error_page(http::http_status(unit.error().code), unit.error().message, &*request.principal);
  auto history = units.history(code);
  auto successors = units.successors_as_of(code, units.today());
  if (!history || !successors) return web::error_page(503, "Không đọc được lịch sử đơn vị", &*request.principal);
  view.set("code", unit->code).set("name", unit->name).set("kind", kind_label(unit->kind));
  view.set("parent_code", unit->parent_code.value_or("—"));
  view.set("valid_from", format_display_date(*parse_iso_date(unit->valid_from)));
  view.set("valid_to", unit->valid_to ? format_display_date(*parse_iso_date(*unit->valid_to)) : std::string());
  view.set("active", !unit->valid_to || *unit->valid_to > units.today());
  view.set("illustrative", unit->illustrative);
  view.set("as_of", format_display_date(*parse_iso_date(*day)));
  view.set("today", format_display_date(*parse_iso_date(units.today())));
  web::View events = web::View::list();
  for (const auto& event : *history) {
    web::View entry;
    entry.set("date", format_display_date(*parse_iso_date(event.date))).set("description", event.description);
    events.push(std::move(entry));
  }
  view.set("history", std::move(events));
  std::string carried_on;
  for (const auto& successor : *successors) carried_on += (carried_on.empty() ? "" : ", ") + successor;
  view.set("current_successors", carried_on);
  view.set("is_admin", request.principal->role == "admin");
  return web::render_page(status, "unit", std::move(view),
                          web::PageContext{unit->name, &*request.principal, "units",
                                           request.query_parameter("ok").value_or("")});
}

Response change_unit_from_form(UnitService& units, Request& request, const std::string& operation) {
  auto form = request.form();
  const std::string code = request.path_parameter("code");
  const std::string effective_date = form_value(form, "effective_date");
  auto actor = web::actor_of(request);
  Result<void> outcome;
  std::string done;
  if (operation == "rename") {
    auto renamed = units.rename(code, form_value(form, "name"), effective_date, actor);
    outcome = renamed ? Result<void>{} : tl::unexpected(renamed.error());
    done = "Đã đổi tên";
  } else if (operation == "move") {
    std::string parent = form_value(form, "parent_code");
    auto moved = units.move(code, parent.empty() ? std::nullopt : std::optional(parent), effective_date, actor);
    outcome = moved ? Result<void>{} : tl::unexpected(moved.error());
    done = "Đã chuyển đơn vị cấp trên";
  } else {
    std::string successor = form_value(form, "successor_code");
    outcome = units.dissolve(code, successor.empty() ? std::nullopt : std::optional(successor), effective_date, actor);
    done = "Đã ghi nhận giải thể";
  }
  if (outcome) {
    return Response::redirect("/quan-tri/don-vi/" + http::percent_encode(code) + "?ok=" + http::percent_encode(done));
  }
  web::View view;
  add_field_errors(view, outcome.error());
  view.set("failed_" + operation, true);
  return unit_detail_page(units, request, http::http_status(outcome.error().code), std::move(view));
}

Response merge_from_form(UnitService& units, Request& request) {
  auto form = request.form();
  std::vector<std::string> codes;
  std::string listed = form_value(form, "codes");
  std::string current;
  for (char character : listed + ",") {
    if (character == ',' || character == ' ' || character == '\n' || character == '\r') {
      if (!current.empty()) codes.push_back(current);
      current.clear();
    } else {
      current += character;
    }
  }
  std::string target_code = form_value(form, "target_code");
  std::optional<NewUnit> new_target;
  if (!form_value(form, "target_name").empty()) {
    std::string parent = form_value(form, "target_parent_code");
    new_target = NewUnit{target_code, form_value(form, "target_name"), form_value(form, "target_kind"),
                         parent.empty() ? std::nullopt : std::optional(parent), "", false};
  }
  auto merged = units.merge(codes, target_code, new_target, form_value(form, "effective_date"), web::actor_of(request));
  if (merged) {
    return Response::redirect("/quan-tri/don-vi/" + http::percent_encode(merged->code) + "?ok=" +
                              http::percent_encode("Đã ghi nhận sáp nhập vào " + merged->name));
  }
  web::View view;
  add_field_errors(view, merged.error());
  view.set("merge_failed", true);
  view.set("merge_codes", listed).set("merge_target_code", target_code);
  return units_page(units, request, http::http_status(merged.error().code), std::move(view));
}

}  // namespace

void register_unit_routes(http::Router& router, UnitService& units) {
  auto api = [](Access access, std::string summary) {
    RouteOptions options;
    options.access = access;
    options.summary = std::move(summary);
    options.body_limit = 64 * 1024;
    return options;
  };
  router.add(Method::get, "/api/v1/units", [&units](Request& request) { return list_units(units, request); },
             api(Access::public_, "Danh sách đơn vị hoạt động vào một ngày (as_of, kind)"));
  router.add(Method::get, "/api/v1/units/{code}", [&units](Request& request) { return show_unit(units, request); },
             api(Access::public_, "Một đơn vị vào một ngày, lịch sử và đơn vị kế thừa hiện nay"));
  router.add(Method::post, "/api/v1/units", [&units](Request& request) { return create_unit(units, request); },
             api(Access::admin, "Tạo đơn vị"));
  router.add(Method::post, "/api/v1/units/merge", [&units](Request& request) { return merge_units(units, request); },
             api(Access::admin, "Sáp nhập đơn vị"));
  for (const std::string operation : {"rename", "move", "dissolve", "split"}) {
    router.add(Method::post, "/api/v1/units/{code}/" + operation,
               [&units, operation](Request& request) { return change_unit(units, request, operation); },
               api(Access::admin, "Thay đổi đơn vị: " + operation));
  }

  auto page = [](Access access) {
    RouteOptions options;
    options.access = access;
    options.body_limit = 64 * 1024;
    return options;
  };
  router.add(Method::get, "/quan-tri/don-vi",
             [&units](Request& request) { return units_page(units, request, 200, web::View{}); }, page(Access::staff));
  router.add(Method::post, "/quan-tri/don-vi",
             [&units](Request& request) { return create_unit_from_form(units, request); }, page(Access::admin));
  router.add(Method::post, "/quan-tri/don-vi/sap-nhap",
             [&units](Request& request) { return merge_from_form(units, request); }, page(Access::admin));
  router.add(Method::get, "/quan-tri/don-vi/{code}",
             [&units](Request& request) { return unit_detail_page(units, request, 200, web::View{}); },
             page(Access::staff));
  const std::pair<const char*, const char*> operations[] = {
      {"doi-ten", "rename"}, {"chuyen", "move"}, {"giai-the", "dissolve"}};
  for (const auto& [path, operation] : operations) {
    router.add(Method::post, std::string("/quan-tri/don-vi/{code}/") + path,
               [&units, operation = std::string(operation)](Request& request) {
                 return change_unit_from_form(units, request, operation);
               },
               page(Access::admin));
  }
}

}  // namespace dvchub::units
