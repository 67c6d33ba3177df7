#include "plan/plan_pages.h"

#include "http/error_mapping.h"
#include "web/responses.h"

namespace dvchub::plan {

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

web::View plan_view(const PlanSummary& plan) {
  return web::View().set("plan_id", plan.id).set("number", plan.number).set("title", plan.title);
}

http::Response service_error_page(const Error& error, const http::Request& request) {
  return web::error_page(http::http_status(error.code), error.message, web::principal_of(request));
}

web::View changes_view(const std::vector<ChangeLine>& changes) {
  auto lines = web::View::list();
  for (const auto& change : changes) {
    auto parts = web::View::list();
    for (const auto& part : change.parts) {
      parts.push(web::View()
                     .set("text", part.text)
                     .set("same", part.kind == DiffPart::Kind::same)
                     .set("removed", part.kind == DiffPart::Kind::removed)
                     .set("added", part.kind == DiffPart::Kind::added));
    }
    lines.push(web::View().set("label", change.label).set("parts", std::move(parts)));
  }
  return lines;
}

bool is_lead_office(const http::Principal& principal) {
  return principal.role == "admin" || principal.role == "coordinator";
}

}  // namespace dvchub::plan
