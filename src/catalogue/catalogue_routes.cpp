#include "catalogue/catalogue_routes.h"

#include <charconv>

#include "json/json.h"
#include "web/responses.h"

namespace dvchub::catalogue {
namespace {

std::int64_t integer_parameter(const http::Request& request, const char* name, std::int64_t fallback) {
  auto value = request.query_parameter(name);
  if (!value) return fallback;
  std::int64_t parsed = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  return error == std::errc() && end == value->data() + value->size() ? parsed : fallback;
}

http::Response list_procedures(CatalogueService& catalogue, http::Request& request) {
  const std::int64_t page = std::max<std::int64_t>(1, integer_parameter(request, "page", 1));
  const std::int64_t page_size = std::clamp<std::int64_t>(integer_parameter(request, "page_size", 50), 1, 200);
  auto field = request.query_parameter("field");
  if (field && field->empty()) field.reset();
  auto listed = catalogue.list(page, page_size, field);
  if (!listed) return web::json_error(listed.error());
  json::Array items;
  for (const auto& procedure : listed->procedures) {
    json::Object item;
    item["code"] = procedure.code;
    item["name"] = procedure.name;
    item["field"] = procedure.field;
    item["level"] = procedure.level;
    item["full_online_eligible"] = procedure.full_online_eligible;
    item["online_level"] = procedure.online_level;
    item["has_fees"] = procedure.has_fees;
    items.push_back(std::move(item));
  }
  json::Object body;
  body["page"] = page;
  body["page_size"] = page_size;
  body["total"] = listed->total;
  body["procedures"] = std::move(items);
  return web::json_response(200, json::serialize(body));
}

http::Response show_procedure(CatalogueService& catalogue, http::Request& request) {
  auto found = catalogue.find(request.path_parameter("code"));
  if (!found) return web::json_error(found.error());
  if (!*found) return web::json_error(Error{ErrorCode::not_found, "Không có thủ tục mã này", {}, {}});
  return web::json_response(200, procedure_json(**found));
}

}  // namespace

void register_catalogue_routes(http::Router& router, CatalogueService& catalogue) {
  http::RouteOptions options;
  options.body_limit = 0;
  options.summary = "Danh mục thủ tục hành chính (trang, field)";
  router.add(http::Method::get, "/api/v1/procedures",
             [&catalogue](http::Request& request) { return list_procedures(catalogue, request); }, options);
  options.summary = "Một thủ tục: giấy tờ, thời hạn, lệ phí, nơi nộp";
  router.add(http::Method::get, "/api/v1/procedures/{code}",
             [&catalogue](http::Request& request) { return show_procedure(catalogue, request); }, options);
}

}  // namespace dvchub::catalogue
