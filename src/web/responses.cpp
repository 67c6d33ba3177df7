#include "web/responses.h"

#include "core/dates.h"
#include "http/error_mapping.h"
#include "json/json.h"

namespace dvchub::web {

http::Response json_error(const Error& error) {
  json::Object body;
  json::Object details;
  details["code"] = error_code_name(error.code);
  details["message"] = error.message;
  json::Array fields;
  for (const auto& field : error.fields) {
    json::Object entry;
    entry["field"] = field.field;
    entry["message"] = field.message;
    fields.push_back(std::move(entry));
  }
  details["fields"] = std::move(fields);
  body["error"] = std::move(details);
  return http::Response::json(http::http_status(error.code), json::serialize(body));
}

http::Response json_response(int status, std::string json_text) {
  return http::Response::json(status, std::move(json_text));
}

http::Response validated_response(const http::Request& request, const std::string& body, const std::string& etag,
                                  std::string content_type) {
  const bool unchanged = request.headers.get("If-None-Match") == etag;
  http::Response response = unchanged ? http::Response{} : http::Response::text(200, body, std::move(content_type));
  if (unchanged) response.status = 304;
  response.headers.set("ETag", etag);
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

audit::Actor actor_of(const http::Request& request) {
  audit::Actor actor;
  if (request.principal) {
    actor.user_id = request.principal->user_id;
    actor.name = request.principal->username;
  } else {
    actor.name = "anonymous";
  }
  actor.request_id = request.request_id;
  actor.remote_address = request.remote_address;
  return actor;
}

Result<std::string> day_parameter(const http::Request& request, const std::string& name, const std::string& today) {
  auto value = request.query_parameter(name);
  if (!value || value->empty()) return today;
  auto date = parse_date(*value);
  if (!date) return fail_fields({{name, "Ngày không hợp lệ: dùng yyyy-mm-dd hoặc dd/mm/yyyy"}});
  return format_iso_date(*date);
}

bool is_api_request(const http::Request& request) {
  return request.path.rfind("/api/", 0) == 0 || request.path.rfind("/open311/", 0) == 0;
}

}  // namespace dvchub::web
