#include "accounts/account_routes.h"

#include "config/configuration.h"
#include "core/dates.h"
#include "http/error_mapping.h"
#include "units/demo_units.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::accounts {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

http::RouteOptions page_options(Access access) {
  http::RouteOptions options;
  options.access = access;
  options.body_limit = 16 * 1024;
  return options;
}

web::View role_options(const std::string& selected) {
  web::View options = web::View::list();
  for (Role role : {Role::officer, Role::coordinator, Role::viewer, Role::admin}) {
    web::View option;
    option.set("value", role_name(role)).set("label", role_label(role)).set("selected", selected == role_name(role));
    options.push(std::move(option));
  }
  return options;
}

Response users_page(AccountService& accounts, units::UnitService& units, Request& request, int status,
                    web::View view) {
  auto users = accounts.list_users();
  if (!users) return web::error_page(503, users.error().message, &*request.principal);
  auto active_units = units.list(units.today());
  if (!active_units) return web::error_page(503, active_units.error().message, &*request.principal);
  std::map<std::int64_t, std::string> unit_names;
  for (const auto& unit : *active_units) unit_names[unit.id] = unit.name;
  web::View rows = web::View::list();
  for (const auto& user : *users) {
    web::View row;
    row.set("id", user.id).set("username", user.username).set("display_name", user.display_name);
    row.set("role", role_label(user.role)).set("active", user.active);
    row.set("unit", user.unit_id ? (unit_names.count(*user.unit_id) ? unit_names[*user.unit_id] : "(đơn vị đã giải thể)")
                                 : std::string("—"));
    row.set("password_changed", format_display_instant(user.password_changed_at));
    row.set("email", user.email);
    rows.push(std::move(row));
  }
  web::View unit_choices = web::View::list();
  for (const auto& unit : *active_units) {
    web::View option;
    option.set("id", unit.id).set("name", unit.name + " (" + unit.code + ")");
    unit_choices.push(std::move(option));
  }
  view.set("users", std::move(rows)).set("unit_choices", std::move(unit_choices));
  if (!std::get<web::View::Object>(view.value()).count("roles")) view.set("roles", role_options("officer"));
  return web::render_page(status, "users", std::move(view),
                          web::PageContext{"Tài khoản cán bộ", &*request.principal, "users",
                                           request.query_parameter("ok").value_or("")});
}

void add_field_errors(web::View& view, const Error& error) {
  view.set("error", error.message);
  for (const auto& field : error.fields) view.set("error_" + field.field, field.message);
}

Response create_user(AccountService& accounts, units::UnitService& units, Request& request) {
  NewUser user;
  user.username = request.form_value("username").value_or("");
  user.display_name = request.form_value("display_name").value_or("");
  user.password = request.form_value("password").value_or("");
  user.role = request.form_value("role").value_or("");
  std::string unit = request.form_value("unit_id").value_or("");
  if (!unit.empty()) {
    try {
      user.unit_id = std::stoll(unit);
    } catch (const std::exception&) {
      user.unit_id = -1;  // reported as an unknown unit by create_user
    }
  }
  auto created = accounts.create_user(user, web::actor_of(request));
  if (created) {
    return Response::redirect("/quan-tri/nguoi-dung?ok=" + http::percent_encode("Đã tạo tài khoản " + created->username));
  }
  web::View view;
  add_field_errors(view, created.error());
  view.set("form_username", user.username).set("form_display_name", user.display_name);
  view.set("roles", role_options(user.role));
  return users_page(accounts, units, request, http::http_status(created.error().code), std::move(view));
}

std::optional<std::int64_t> path_id(const Request& request) {
  try {
    return std::stoll(request.path_parameter("id"));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Response reset_password(AccountService& accounts, units::UnitService& units, Request& request) {
  auto id = path_id(request);
  if (!id) return web::error_page(404, "Không tìm thấy tài khoản", &*request.principal);
  auto changed = accounts.change_password(*id, request.form_value("new_password").value_or(""), web::actor_of(request));
  if (changed) {
    return Response::redirect("/quan-tri/nguoi-dung?ok=" +
                              http::percent_encode("Đã đặt lại mật khẩu; mọi phiên đăng nhập của tài khoản đã kết thúc"));
  }
  web::View view;
  add_field_errors(view, changed.error());
  return users_page(accounts, units, request, http::http_status(changed.error().code), std::move(view));
}

Response set_active(AccountService& accounts, units::UnitService& units, Request& request) {
  auto id = path_id(request);
  if (!id) return web::error_page(404, "Không tìm thấy tài khoản", &*request.principal);
  bool active = request.form_value("active").value_or("") == "1";
  auto changed = accounts.set_active(*id, active, web::actor_of(request));
  if (changed) {
    return Response::redirect("/quan-tri/nguoi-dung?ok=" +
                              http::percent_encode(active ? "Đã mở lại tài khoản" : "Đã khóa tài khoản"));
  }
  web::View view;
  add_field_errors(view, changed.error());
  return users_page(accounts, units, request, http::http_status(changed.error().code), std::move(view));
}

Response set_email(AccountService& accounts, units::UnitService& units, Request& request) {
  auto id = path_id(request);
  if (!id) return web::error_page(404, "Không tìm thấy tài khoản", &*request.principal);
  auto changed = accounts.set_email(*id, request.form_value("email").value_or(""), web::actor_of(request));
  if (changed) return Response::redirect("/quan-tri/nguoi-dung?ok=" + http::percent_encode("Đã lưu địa chỉ thư điện tử"));
  web::View view;
  add_field_errors(view, changed.error());
  return users_page(accounts, units, request, http::http_status(changed.error().code), std::move(view));
}

Response own_password_page(Request& request, int status, web::View view) {
  return web::render_page(status, "password", std::move(view),
                          web::PageContext{"Đổi mật khẩu", &*request.principal, "password"});
}

Response change_own_password(AccountService& accounts, Request& request) {
  auto changed = accounts.change_own_password(*request.principal, request.form_value("current_password").value_or(""),
                                              request.form_value("new_password").value_or(""), web::actor_of(request));
  if (changed) {
    Response response = Response::redirect("/dang-nhap?next=%2Fquan-tri");
    response.headers.add("Set-Cookie", clearing_session_cookie(false));
    return response;
  }
  web::View view;
  add_field_errors(view, changed.error());
  return own_password_page(request, http::http_status(changed.error().code), std::move(view));
}

}  // namespace

void register_account_routes(http::Router& router, AccountService& accounts, units::UnitService& units) {
  router.add(Method::get, "/quan-tri/nguoi-dung",
             [&accounts, &units](Request& request) { return users_page(accounts, units, request, 200, web::View{}); },
             page_options(Access::admin));
  router.add(Method::post, "/quan-tri/nguoi-dung",
             [&accounts, &units](Request& request) { return create_user(accounts, units, request); },
             page_options(Access::admin));
  router.add(Method::post, "/quan-tri/nguoi-dung/{id:int}/mat-khau",
             [&accounts, &units](Request& request) { return reset_password(accounts, units, request); },
             page_options(Access::admin));
  router.add(Method::post, "/quan-tri/nguoi-dung/{id:int}/trang-thai",
             [&accounts, &units](Request& request) { return set_active(accounts, units, request); },
             page_options(Access::admin));
  router.add(Method::post, "/quan-tri/nguoi-dung/{id:int}/thu-dien-tu",
             [&accounts, &units](Request& request) { return set_email(accounts, units, request); },
             page_options(Access::admin));
  router.add(Method::get, "/quan-tri/mat-khau",
             [](Request& request) { return own_password_page(request, 200, web::View{}); }, page_options(Access::staff));
  router.add(Method::post, "/quan-tri/mat-khau",
             [&accounts](Request& request) { return change_own_password(accounts, request); },
             page_options(Access::staff));
}

std::string demo_password() {
  return config::process_environment("DVCHUB_DEMO_PASSWORD").value_or("dvchub-demo-2025");
}

Result<int> seed_demo_accounts(AccountService& accounts, units::UnitService& units, const audit::Actor& actor) {
  auto commune = DVCHUB_TRY(units.find(units::demo_commune_code, units.today()));
  struct DemoAccount {
    const char* username;
    const char* display_name;
    const char* role;
    std::optional<std::int64_t> unit_id;
  };
  const DemoAccount demo_accounts[] = {
      {"admin", "Quản trị hệ thống", "admin", std::nullopt},
      {"dieuphoi", "Phòng Văn hóa, Khoa học và Thông tin", "coordinator", std::nullopt},
      {"canbo.xa", "Cán bộ xã (minh họa)", "officer", commune.id},
      {"lanhdao", "Lãnh đạo UBND", "viewer", std::nullopt},
  };
  int created = 0;
  for (const auto& account : demo_accounts) {
    if (DVCHUB_TRY(accounts.find_user_by_username(account.username))) continue;
    DVCHUB_TRY(accounts.create_user(
        NewUser{account.username, account.display_name, demo_password(), account.role, account.unit_id}, actor));
    ++created;
  }
  return created;
}

}  // namespace dvchub::accounts
