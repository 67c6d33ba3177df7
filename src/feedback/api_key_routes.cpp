#include "feedback/api_key_routes.h"

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

Response keys_page(ApiKeyService& keys, const Request& request, int status, const std::string& secret,
                   const std::string& issued_name, const std::vector<FieldError>& errors, const std::string& notice) {
  const http::Principal* principal = &*request.principal;
  auto all = keys.list();
  if (!all) return web::error_page(http::http_status(all.error().code), all.error().message, principal);
  web::View view;
  web::View list = web::View::list();
  for (const auto& key : *all) {
    list.push(web::View()
                  .set("id", key.id)
                  .set("name", key.name)
                  .set("created", format_display_instant(key.created_at))
                  .set("created_by", key.created_by)
                  .set("last_used", key.last_used_at ? format_display_instant(*key.last_used_at) : std::string("—"))
                  .set("revoked", key.revoked_at ? format_display_instant(*key.revoked_at) : std::string()));
  }
  view.set("keys", std::move(list));
  view.set("any", !all->empty());
  view.set("secret", secret);
  view.set("issued_name", issued_name);
  view.set("errors", web::error_list(errors));
  return web::render_page(status, "staff_api_keys", std::move(view),
                          web::PageContext{"Khóa Open311", principal, "feedback", notice});
}

Response issue_form(ApiKeyService& keys, Request& request) {
  auto issued = keys.issue(request.form_value("name").value_or(""), web::actor_of(request));
  if (!issued) {
    std::vector<FieldError> errors = issued.error().fields;
    if (errors.empty()) errors.push_back({"", issued.error().message});
    return keys_page(keys, request, http::http_status(issued.error().code), {}, {}, errors, {});
  }
  // The key is in this answer only (not in a redirect's address, not in the store): no-store is set for staff pages.
  return keys_page(keys, request, 200, issued->secret, issued->key.name, {}, {});
}

Response revoke_form(ApiKeyService& keys, Request& request) {
  const std::string text = request.path_parameter("id");
  std::int64_t id = 0;
  std::from_chars(text.data(), text.data() + text.size(), id);
  auto revoked = keys.revoke(id, web::actor_of(request));
  if (!revoked) {
    return keys_page(keys, request, http::http_status(revoked.error().code), {}, {}, {{"", revoked.error().message}},
                     {});
  }
  return Response::redirect("/quan-tri/khoa-open311?da_thu_hoi=1");
}

}  // namespace

void register_api_key_routes(http::Router& router, ApiKeyService& keys) {
  router.add(Method::get, "/quan-tri/khoa-open311",
             [&keys](Request& request) {
               return keys_page(keys, request, 200, {}, {}, {},
                                request.query_parameter("da_thu_hoi") ? "Đã thu hồi khóa." : "");
             },
             http::route_options(Access::admin, 0));
  router.add(Method::post, "/quan-tri/khoa-open311", [&keys](Request& request) { return issue_form(keys, request); },
             http::route_options(Access::admin, 4 * 1024));
  router.add(Method::post, "/quan-tri/khoa-open311/{id:int}/thu-hoi",
             [&keys](Request& request) { return revoke_form(keys, request); }, http::route_options(Access::admin, 1024));
}

}  // namespace dvchub::feedback
