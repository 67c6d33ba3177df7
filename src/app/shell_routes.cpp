#include "app/shell_routes.h"

#include "audit/audit_log.h"
#include "core/dates.h"
#include "http/error_mapping.h"
#include "http/static_files.h"
#include "resources/resources.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::app {
namespace {

using http::Access;
using http::Execution;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

RouteOptions inline_public(std::string summary) {
  RouteOptions options;
  options.execution = Execution::inline_;
  options.summary = std::move(summary);
  options.body_limit = 0;
  return options;
}

RouteOptions page_options(Access access, std::size_t body_limit = 16 * 1024) {
  RouteOptions options;
  options.access = access;
  options.body_limit = body_limit;
  return options;
}

// Only local paths are followed after sign-in: "/x" but not "//evil.example" or "/\\evil".
std::string safe_next(const std::string& next) {
  if (next.size() < 1 || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) {
    return "/quan-tri";
  }
  return next;
}

Response login_page(const Request& request, int status, const std::string& error, const std::string& username) {
  web::View view;
  if (!error.empty()) view.set("error", error);
  view.set("username", username);
  view.set("next", safe_next(request.query_parameter("next").value_or(request.form_value("next").value_or(""))));
  return web::render_page(status, "login", std::move(view), web::PageContext{"Đăng nhập", nullptr, "login"});
}

Response sign_in(const ShellServices& services, Request& request) {
  std::string username = request.form_value("username").value_or("");
  std::string password = request.form_value("password").value_or("");
  auto signed_in = services.accounts.sign_in(username, password, request.remote_address, request.request_id);
  if (!signed_in) {
    return login_page(request, http::http_status(signed_in.error().code), signed_in.error().message, username);
  }
  Response response = Response::redirect(safe_next(request.form_value("next").value_or("")));
  response.headers.add("Set-Cookie", accounts::session_cookie(signed_in->token, services.accounts.session_lifetime(),
                                                              services.secure_cookies));
  return response;
}

Response sign_out(const ShellServices& services, Request& request) {
  if (auto token = request.cookie(accounts::session_cookie_name)) {
    auto ended = services.accounts.sign_out(*token, web::actor_of(request));
    if (!ended) return web::error_page(503, ended.error().message, &*request.principal);
  }
  Response response = Response::redirect("/");
  response.headers.add("Set-Cookie", accounts::clearing_session_cookie(services.secure_cookies));
  return response;
}

Response staff_home(const ShellServices& services, Request& request) {
  auto count = services.units.count(services.units.today());
  web::View view;
  view.set("display_name", request.principal->display_name);
  auto role = accounts::parse_role(request.principal->role);
  view.set("role_label", role ? accounts::role_label(*role) : request.principal->role);
  view.set("is_admin", request.principal->role == "admin");
  view.set("unit_count", count ? *count : std::int64_t{0});
  return web::render_page(200, "staff_home", std::move(view),
                          web::PageContext{"Quản trị", &*request.principal, "staff"});
}

Response audit_page(const ShellServices& services, Request& request) {
  audit::Query query;
  if (auto type = request.query_parameter("entity_type"); type && !type->empty()) query.entity_type = *type;
  if (auto key = request.query_parameter("entity_key"); key && !key->empty()) query.entity_key = *key;
  if (auto before = request.query_parameter("before"); before && !before->empty()) {
    try {
      query.before_id = std::stoll(*before);
    } catch (const std::exception&) {
      return web::error_page(400, "Tham số before không hợp lệ", &*request.principal);
    }
  }
  query.limit = 50;
  auto connection = services.database.acquire();
  if (!connection) return web::error_page(503, connection.error().message, &*request.principal);
  auto entries = audit::list(**connection, query);
  if (!entries) return web::error_page(503, entries.error().message, &*request.principal);
  web::View rows = web::View::list();
  std::int64_t oldest = 0;
  for (const auto& entry : *entries) {
    web::View row;
    row.set("when", format_display_instant(entry.occurred_at)).set("actor", entry.actor);
    row.set("action", entry.change.action).set("entity", entry.change.entity_type + " " + entry.change.entity_key);
    row.set("before", entry.change.before_json.value_or("")).set("after", entry.change.after_json.value_or(""));
    rows.push(std::move(row));
    oldest = entry.id;
  }
  web::View view;
  view.set("entries", std::move(rows));
  view.set("entity_type", query.entity_type.value_or("")).set("entity_key", query.entity_key.value_or(""));
  if (entries->size() == 50) {
    view.set("older_url", "/quan-tri/nhat-ky?before=" + std::to_string(oldest) + "&entity_type=" +
                              http::percent_encode(query.entity_type.value_or("")) + "&entity_key=" +
                              http::percent_encode(query.entity_key.value_or("")));
  }
  return web::render_page(200, "audit", std::move(view),
                          web::PageContext{"Nhật ký thay đổi", &*request.principal, "audit"});
}

}  // namespace

std::string render_home_page(units::UnitService& units) {
  struct Module {
    const char* name;
    const char* description;
    const char* url;
    bool available;
  };
  const Module modules[] = {
      {"Trợ lý hỏi đáp", "Hỏi cách dùng dịch vụ công trực tuyến, có thể gõ không dấu.", "/tro-ly", true},
      {"Phản ánh, kiến nghị", "Gửi phản ánh, theo dõi xử lý và đọc câu trả lời công khai.", "/phan-anh", true},
      {"Chỉ tiêu và chỉ số", "Tỷ lệ hồ sơ trực tuyến, đúng hạn, thanh toán trực tuyến theo đơn vị.", "/chi-so", true},
      {"Kế hoạch 1588", "Nhiệm vụ, đơn vị thực hiện và báo cáo hằng năm.", "/ke-hoach", true},
  };
  web::View list = web::View::list();
  for (const auto& module : modules) {
    web::View item;
    item.set("name", module.name).set("description", module.description).set("url", module.url);
    item.set("available", module.available);
    list.push(std::move(item));
  }
  web::View view;
  view.set("modules", std::move(list));
  view.set("organisation", "chính quyền địa phương");
  auto count = units.count(units.today());
  view.set("unit_count", count ? *count : std::int64_t{0});
  view.set("today", format_display_date(*parse_iso_date(units.today())));
  auto page = web::render_page(200, "home", std::move(view), web::PageContext{"Trang chủ", nullptr, "home"});
  return page.body;
}

void register_shell_routes(http::Router& router, const ShellServices& services) {
  router.add(Method::get, "/healthz",
             [](Request&) { return Response::json(200, "{\"status\":\"ok\"}"); },
             inline_public("Sống: tiến trình đang chạy"));
  RouteOptions ready = page_options(Access::public_, 0);
  ready.summary = "Sẵn sàng: kết nối được cơ sở dữ liệu";
  router.add(Method::get, "/readyz",
             [&database = services.database](Request&) {
               auto reachable = database.ping();
               if (!reachable) return Response::json(503, "{\"status\":\"unavailable\"}");
               return Response::json(200, "{\"status\":\"ready\"}");
             },
             ready);
  router.add(Method::get, "/metrics", http::make_metrics_handler(services.metrics),
             inline_public("Số liệu vận hành (Prometheus)"));
  http::StaticFileOptions asset_options;
  asset_options.prefix = "assets/";
  asset_options.cache_control = "public, max-age=86400";
  auto lookup = [](std::string_view path) -> std::optional<http::StaticContent> {
    const auto* resource = resources::find(path);
    if (!resource) return std::nullopt;
    return http::StaticContent{resource->content, resource->etag};
  };
  router.add(Method::get, "/assets/{path*}", http::make_static_handler(lookup, asset_options),
             inline_public("Tệp tĩnh: CSS, JavaScript, biểu tượng"));
  http::StaticFileOptions openapi_options;
  openapi_options.prefix = "assets/";
  openapi_options.cache_control = "no-cache";
  auto openapi = http::make_static_handler(lookup, openapi_options);
  router.add(Method::get, "/api/v1/openapi.json",
             [openapi](Request& request) {
               request.path_parameters["path"] = "openapi.json";
               return openapi(request);
             },
             inline_public("Mô tả OpenAPI 3 của API"));

  router.add(Method::get, "/", [&home = services.home_page](Request& request) { return home.respond(request); },
             inline_public("Trang chủ"));
  router.add(Method::get, "/dang-nhap", [](Request& request) { return login_page(request, 200, "", ""); },
             page_options(Access::public_));
  router.add(Method::post, "/dang-nhap", [services](Request& request) { return sign_in(services, request); },
             page_options(Access::public_));
  router.add(Method::post, "/dang-xuat", [services](Request& request) { return sign_out(services, request); },
             page_options(Access::staff));
  router.add(Method::get, "/quan-tri", [services](Request& request) { return staff_home(services, request); },
             page_options(Access::staff));
  router.add(Method::get, "/quan-tri/nhat-ky", [services](Request& request) { return audit_page(services, request); },
             page_options(Access::staff));
}

}  // namespace dvchub::app
