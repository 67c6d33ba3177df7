#include "feedback/answer_template_routes.h"

#include <charconv>

#include "core/dates.h"
#include "http/error_mapping.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::feedback {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

std::int64_t number_of(const std::string& text) {
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  return error == std::errc() && end == text.data() + text.size() ? number : 0;
}

Response templates_page(AnswerTemplateService& templates, const Request& request, int status,
                        const AnswerTemplate& editing, const std::vector<FieldError>& errors,
                        const std::string& notice) {
  const http::Principal* principal = &*request.principal;
  auto all = templates.list(true);
  if (!all) return web::error_page(http::http_status(all.error().code), all.error().message, principal);
  web::View view;
  web::View list = web::View::list();
  for (const auto& entry : *all) {
    list.push(web::View()
                  .set("id", entry.id)
                  .set("title", entry.title)
                  .set("body", entry.body)
                  .set("retired", entry.retired)
                  .set("updated", format_display_instant(entry.updated_at) + " — " + entry.updated_by));
  }
  view.set("templates", std::move(list));
  view.set("any", !all->empty());
  view.set("may_edit", principal->role == "coordinator" || principal->role == "admin");
  view.set("editing_id", editing.id);
  view.set("editing_title", editing.title);
  view.set("editing_body", editing.body);
  view.set("editing", editing.id != 0);
  view.set("errors", web::error_list(errors));
  return web::render_page(status, "staff_answer_templates", std::move(view),
                          web::PageContext{"Mẫu trả lời phản ánh", principal, "feedback", notice});
}

Response show(AnswerTemplateService& templates, Request& request) {
  AnswerTemplate editing;
  if (auto id = number_of(request.query_parameter("sua").value_or("")); id != 0) {
    auto found = templates.find(id);
    if (!found) return web::error_page(404, found.error().message, &*request.principal);
    editing = *found;
  }
  return templates_page(templates, request, 200, editing,
                        {}, request.query_parameter("da_luu") ? "Đã lưu." : "");
}

Response save(AnswerTemplateService& templates, Request& request) {
  const std::int64_t id = number_of(request.form_value("id").value_or("0"));
  auto saved = templates.save(id, request.form_value("title").value_or(""), request.form_value("body").value_or(""),
                              web::actor_of(request));
  if (!saved) {
    AnswerTemplate editing{id, request.form_value("title").value_or(""), request.form_value("body").value_or(""),
                           false, {}, {}};
    std::vector<FieldError> errors = saved.error().fields;
    if (errors.empty()) errors.push_back({"", saved.error().message});
    return templates_page(templates, request, http::http_status(saved.error().code), editing, errors, {});
  }
  return Response::redirect("/quan-tri/mau-tra-loi?da_luu=1");
}

Response retire(AnswerTemplateService& templates, Request& request) {
  auto retired = templates.retire(number_of(request.path_parameter("id")), web::actor_of(request));
  if (!retired) {
    return templates_page(templates, request, http::http_status(retired.error().code), {},
                          {{"", retired.error().message}}, {});
  }
  return Response::redirect("/quan-tri/mau-tra-loi?da_luu=1");
}

}  // namespace

void register_answer_template_routes(http::Router& router, AnswerTemplateService& templates) {
  router.add(Method::get, "/quan-tri/mau-tra-loi", [&templates](Request& request) { return show(templates, request); },
             http::route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/mau-tra-loi", [&templates](Request& request) { return save(templates, request); },
             http::route_options(Access::coordinator, 32 * 1024));
  router.add(Method::post, "/quan-tri/mau-tra-loi/{id:int}/ngung",
             [&templates](Request& request) { return retire(templates, request); },
             http::route_options(Access::coordinator, 1024));
}

}  // namespace dvchub::feedback
