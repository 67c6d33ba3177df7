// web/responses.h — answers shared by every module's routes: JSON errors in one shape, the audit actor of a
// request, and reading the "as of" day of a query.
#pragma once

#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "core/error.h"
#include "http/message.h"

namespace dvchub::web {

// The API error body, with the status from http/error_mapping:
// {"error":{"code":"invalid_input","message":"…","fields":[{"field":"name","message":"…"}]}}
http::Response json_error(const Error& error);

// A JSON answer from already serialised JSON text.
http::Response json_response(int status, std::string json_text);

// Content held in memory with its ETag (core/etag.h), "Cache-Control: no-cache": 304 without a body when the request's
// If-None-Match is that ETag, else 200 with `body` as `content_type`.
http::Response validated_response(const http::Request& request, const std::string& body, const std::string& etag,
                                  std::string content_type);

// The signed-in staff member of `request`, or nullptr for a citizen (what PageContext and error_page take).
inline const http::Principal* principal_of(const http::Request& request) {
  return request.principal ? &*request.principal : nullptr;
}

// Who is acting: the signed-in staff member (or "anonymous"), with the request id and address, for audit records.
audit::Actor actor_of(const http::Request& request);

// The day named by the query parameter `name` (ISO or dd/mm/yyyy), today (Vietnam) when absent; ErrorCode::
// invalid_input when present and not a date.
Result<std::string> day_parameter(const http::Request& request, const std::string& name, const std::string& today);

// True when the request is for the JSON API (path under /api/ or /open311/).
bool is_api_request(const http::Request& request);

}  // namespace dvchub::web
