#include "app/pipeline.h"

#include <chrono>
#include <optional>

#include <spdlog/spdlog.h>

#include "multipart/form_data.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::app {
namespace {

bool changes_state(http::Method method) {
  return method == http::Method::post || method == http::Method::put || method == http::Method::patch ||
         method == http::Method::delete_;
}

bool is_form(const http::Request& request) {
  auto type = request.headers.get("Content-Type");
  return type && (type->rfind("application/x-www-form-urlencoded", 0) == 0 || type->rfind("multipart/form-data", 0) == 0);
}

// "https://host:port" → "host:port".
std::string_view origin_host(std::string_view origin) {
  auto scheme_end = origin.find("://");
  if (scheme_end != std::string_view::npos) origin.remove_prefix(scheme_end + 3);
  return origin;
}

// The CSRF token a form carries: a field of a URL-encoded body, or of a multipart/form-data body (upload forms).
std::optional<std::string> form_token(const http::Request& request) {
  const std::string_view type = request.headers.get("Content-Type").value_or("");
  if (!multipart::is_form_data(type)) return request.form_value(accounts::csrf_form_field);
  auto form = multipart::parse_form_data(type, request.body);
  if (!form) return std::nullopt;
  return form->field(accounts::csrf_form_field);
}

bool csrf_ok(const http::Request& request) {
  if (request.principal) {
    std::optional<std::string> submitted;
    if (auto header = request.headers.get(accounts::csrf_header)) submitted = std::string(*header);
    if (!submitted && is_form(request)) submitted = form_token(request);
    return submitted && accounts::csrf_token_matches(*request.principal, *submitted);
  }
  // No session: a browser form posted from another site is refused (protects sign-in and citizen forms).
  // Routes meant for other sites (public APIs, embeddable widgets) opt out with RouteOptions::csrf = false.
  auto origin = request.headers.get("Origin");
  if (!origin) return true;  // clients that are not browsers send none
  if (*origin == "null") return !is_form(request);
  auto host = request.headers.get("Host");
  return host && origin_host(*origin) == *host;
}

http::Response refuse(const http::Request& request, ErrorCode code, const std::string& message) {
  if (web::is_api_request(request)) return web::json_error(Error{code, message, {}, {}});
  return web::error_page(code == ErrorCode::unauthenticated ? 401 : 403, message,
                         request.principal ? &*request.principal : nullptr);
}

// Steps 1–3 of the pipeline: the answer when the request may not reach its handler, nullopt when it may.
std::optional<http::Response> refusal(accounts::AccountService& accounts, http::Request& request,
                                      const http::Route& route) {
  if (route.options.execution == http::Execution::blocking && !request.inline_attempt) {
    if (auto token = request.cookie(accounts::session_cookie_name); token && !token->empty()) {
      auto principal = accounts.authenticate(*token);
      if (!principal) {
        return web::is_api_request(request) ? web::json_error(principal.error())
                                            : web::error_page(503, principal.error().message);
      }
      if (*principal) request.principal = std::move(**principal);
    }
  }
  if (!accounts::allows(route.options.access, request.principal ? &*request.principal : nullptr)) {
    if (request.principal) {
      return refuse(request, ErrorCode::forbidden, "Tài khoản của bạn không có quyền dùng chức năng này");
    }
    if (web::is_api_request(request)) {
      return refuse(request, ErrorCode::unauthenticated, "Cần đăng nhập để dùng chức năng này");
    }
    return http::Response::redirect("/dang-nhap?next=" + http::percent_encode(request.target));
  }
  if (changes_state(request.method) && route.options.csrf && !csrf_ok(request)) {
    return refuse(request, ErrorCode::forbidden, "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang rồi thử lại.");
  }
  return std::nullopt;
}

// Steps 5–6: headers on the answer and the access log line.
void finish(http::Request& request, http::Response& response, PipelineSettings settings,
            std::chrono::steady_clock::time_point started) {
  add_security_headers(response);
  response.headers.set("X-Request-Id", request.request_id);
  if (request.principal && !response.headers.get("Cache-Control")) {
    response.headers.set("Cache-Control", "no-store");
  }
  if (settings.access_log) {
    auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("{} {} {} {} {:.2f}ms {} {}", request.remote_address, http::method_name(request.method),
                 request.path, response.status, elapsed, request.request_id,
                 request.principal ? request.principal->username : "-");
  }
}

}  // namespace

void add_security_headers(http::Response& response) {
  // A handler may set its own policy (the embeddable assistant allows framing); every other answer refuses it.
  if (!response.headers.get("Content-Security-Policy")) {
    response.headers.set("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                         "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    response.headers.set("X-Frame-Options", "DENY");
  }
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "same-origin");
}

http::Pipeline make_pipeline(accounts::AccountService& accounts, PipelineSettings settings) {
  return [&accounts, settings](http::Request& request, const http::Route& route, http::Responder respond) {
    const auto started = std::chrono::steady_clock::now();
    // The request outlives the call to `respond` (the server's contract), so the deferred answer may use it.
    auto answer = [&request, settings, started, respond = std::move(respond)](http::Response response) {
      finish(request, response, settings, started);
      respond(std::move(response));
    };
    if (std::optional<http::Response> refused = refusal(accounts, request, route)) return answer(std::move(*refused));
    if (request.inline_attempt) {  // on the network thread: answer only if the attempt can (server.h)
      if (std::optional<http::Response> early = route.inline_attempt(request)) answer(std::move(*early));
      return;
    }
    if (route.deferred_handler) return route.deferred_handler(request, std::move(answer));
    answer(route.handler(request));
  };
}

http::ErrorResponder make_error_responder() {
  return [](const http::Request& request, int status, const std::string& message) {
    ErrorCode code = status == 404   ? ErrorCode::not_found
                     : status == 413 ? ErrorCode::payload_too_large
                     : status == 503 ? ErrorCode::unavailable
                     : status >= 500 ? ErrorCode::internal
                                     : ErrorCode::invalid_input;
    http::Response response;
    if (web::is_api_request(request)) {
      response = web::json_error(Error{code, message, {}, {}});
      response.status = status;
    } else {
      response = web::error_page(status, message);
    }
    add_security_headers(response);
    return response;
  };
}

}  // namespace dvchub::app
