#include "feedback/deadline_rule_routes.h"

#include <charconv>

#include "core/dates.h"
#include "core/strings.h"
#include "feedback/feedback_service.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::feedback {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr const char* page_path = "/quan-tri/thoi-han-phan-anh";

// A whole number of days from a form field; -1 when it is not one (the service then names the field).
int days_of(const std::optional<std::string>& text) {
  if (!text) return -1;
  const std::string value = trimmed(*text);
  int days = -1;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), days);
  return error == std::errc() && end == value.data() + value.size() ? days : -1;
}

std::string label_or_any(std::string_view value, bool kind) {
  if (value.empty()) return kind ? "Mọi loại" : "Mọi nội dung";
  return kind ? kind_label(value) : subject_label(value);
}

web::View deadlines_view(const Deadlines& deadlines) {
  return web::View()
      .set("classify", deadlines.classify)
      .set("answer", deadlines.answer)
      .set("publish", deadlines.publish)
      .set("extension", deadlines.extension);
}

json::Object deadlines_json(const Deadlines& deadlines) {
  json::Object object;
  object["classify"] = deadlines.classify;
  object["answer"] = deadlines.answer;
  object["publish"] = deadlines.publish;
  object["extension"] = deadlines.extension;
  return object;
}

web::View choices(const std::array<std::string_view, 4>& values, bool kind, std::string_view selected) {
  web::View list = web::View::list();
  list.push(web::View().set("value", "").set("label", label_or_any("", kind)).set("selected", selected.empty()));
  for (std::string_view value : values) {
    list.push(web::View()
                  .set("value", std::string(value))
                  .set("label", label_or_any(value, kind))
                  .set("selected", value == selected));
  }
  return list;
}

Response rules_page(DeadlineRuleService& rules, const Request& request, int status, const DeadlineRule& editing,
                    const std::vector<FieldError>& errors, const std::string& notice) {
  const http::Principal* principal = web::principal_of(request);
  auto stored = rules.rules();
  if (!stored) return web::error_page(http::http_status(stored.error().code), stored.error().message, principal);

  web::View matrix = web::View::list();
  for (std::string_view kind : feedback_kinds) {
    for (std::string_view subject : feedback_subjects) {
      auto deadlines = rules.deadlines_for(kind, subject);
      if (!deadlines) return web::error_page(http::http_status(deadlines.error().code), deadlines.error().message, principal);
      matrix.push(deadlines_view(*deadlines).set("kind", kind_label(kind)).set("subject", subject_label(subject)));
    }
  }
  web::View list = web::View::list();
  for (const DeadlineRule& rule : *stored) {
    list.push(deadlines_view(rule.deadlines)
                  .set("kind", rule.kind)
                  .set("subject", rule.subject)
                  .set("kind_label", label_or_any(rule.kind, true))
                  .set("subject_label", label_or_any(rule.subject, false))
                  .set("updated", format_display_instant(rule.updated_at) + " — " + rule.updated_by));
  }
  web::View view;
  view.set("defaults", deadlines_view(rules.defaults()));
  view.set("matrix", std::move(matrix));
  view.set("rules", std::move(list));
  view.set("any_rule", !stored->empty());
  view.set("is_admin", principal != nullptr && principal->role == "admin");
  view.set("kinds", choices(feedback_kinds, true, editing.kind));
  view.set("subjects", choices(feedback_subjects, false, editing.subject));
  view.set("editing", deadlines_view(editing.deadlines));
  view.set("errors", web::error_list(errors));
  return web::render_page(status, "feedback_deadlines", std::move(view),
                          web::PageContext{"Thời hạn xử lý phản ánh", principal, "feedback", notice});
}

Response save(DeadlineRuleService& rules, Request& request) {
  DeadlineRule rule;
  rule.kind = request.form_value("kind").value_or("");
  rule.subject = request.form_value("subject").value_or("");
  if (request.form_value("action").value_or("") == "remove") {
    auto removed = rules.remove(rule.kind, rule.subject, web::actor_of(request));
    if (!removed) {
      return rules_page(rules, request, http::http_status(removed.error().code), DeadlineRule{rule.kind, rule.subject, rules.defaults(), {}, {}},
                        {{"", removed.error().message}}, {});
    }
    return Response::redirect(std::string(page_path) + "?da_luu=1");
  }
  rule.deadlines = Deadlines{days_of(request.form_value("classify")), days_of(request.form_value("answer")),
                             days_of(request.form_value("publish")), days_of(request.form_value("extension"))};
  auto saved = rules.set(rule, web::actor_of(request));
  if (!saved) {
    std::vector<FieldError> errors = saved.error().fields;
    if (errors.empty()) errors.push_back({"", saved.error().message});
    return rules_page(rules, request, http::http_status(saved.error().code), rule, errors, {});
  }
  return Response::redirect(std::string(page_path) + "?da_luu=1");
}

// {defaults:{classify, answer, publish, extension}, rules:[{kind, subject, …}], effective:[{kind, subject, …}]}:
// `kind`/`subject` null in a rule means any.
Response deadlines_api(DeadlineRuleService& rules) {
  auto stored = rules.rules();
  if (!stored) return web::json_error(stored.error());
  json::Object body;
  body["defaults"] = deadlines_json(rules.defaults());
  json::Array rule_list;
  for (const DeadlineRule& rule : *stored) {
    json::Object entry = deadlines_json(rule.deadlines);
    entry["kind"] = rule.kind.empty() ? json::Value(nullptr) : json::Value(rule.kind);
    entry["subject"] = rule.subject.empty() ? json::Value(nullptr) : json::Value(rule.subject);
    rule_list.push_back(std::move(entry));
  }
  body["rules"] = std::move(rule_list);
  json::Array effective;
  for (std::string_view kind : feedback_kinds) {
    for (std::string_view subject : feedback_subjects) {
      auto deadlines = rules.deadlines_for(kind, subject);
      if (!deadlines) return web::json_error(deadlines.error());
      json::Object entry = deadlines_json(*deadlines);
      entry["kind"] = std::string(kind);
      entry["subject"] = std::string(subject);
      effective.push_back(std::move(entry));
    }
  }
  body["effective"] = std::move(effective);
  return web::json_response(200, json::serialize(body));
}

}  // namespace

void register_deadline_rule_routes(http::Router& router, DeadlineRuleService& rules) {
  router.add(Method::get, page_path,
             [&rules](Request& request) {
               return rules_page(rules, request, 200, DeadlineRule{{}, {}, rules.defaults(), {}, {}}, {},
                                 request.query_parameter("da_luu") ? "Đã lưu." : "");
             },
             http::route_options(Access::staff, 0));
  router.add(Method::post, page_path, [&rules](Request& request) { return save(rules, request); },
             http::route_options(Access::admin, 4 * 1024));
  router.add(Method::get, "/api/v1/feedback/deadlines", [&rules](Request&) { return deadlines_api(rules); },
             http::public_api_options(0, "Thời hạn xử lý phản ánh (ngày làm việc) theo loại và nội dung"));
}

}  // namespace dvchub::feedback
