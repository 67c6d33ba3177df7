#include "web/pages.h"

#include "resources/resources.h"
#include "web/templates.h"

namespace dvchub::web {

std::string asset_url(const std::string& path) {
  const auto* resource = resources::find("assets/" + path);
  std::string version = resource ? resource->etag.substr(1, 8) : "0";
  return "/assets/" + path + "?v=" + version;
}

http::Response render_page(int status, const std::string& template_name, View view, const PageContext& context) {
  if (context.principal) view.set("csrf_token", context.principal->csrf_token);
  auto content = render_template(template_name, view);
  if (!content) return http::Response::html(500, "<!doctype html><title>Lỗi</title><p>Lỗi hiển thị trang.</p>");

  View layout;
  layout.set("title", context.title);
  layout.set("content", *content);
  layout.set("stylesheet", asset_url("site.css"));
  layout.set("script", asset_url("site.js"));
  if (!context.notice.empty()) layout.set("notice", context.notice);
  layout.set("section_" + (context.section.empty() ? std::string("none") : context.section), true);
  if (context.principal) {
    View staff;
    staff.set("display_name", context.principal->display_name);
    staff.set("role", context.principal->role);
    staff.set("csrf_token", context.principal->csrf_token);
    staff.set("is_admin", context.principal->role == "admin");
    const auto unread = context.principal->unread_notifications;
    staff.set("unread_notifications", unread == 0 ? std::string() : unread > 99 ? "99+" : std::to_string(unread));
    layout.set("staff", std::move(staff));
  }
  auto page = render_template("layout", layout);
  if (!page) return http::Response::html(500, "<!doctype html><title>Lỗi</title><p>Lỗi hiển thị trang.</p>");
  return http::Response::html(status, std::move(*page));
}

http::Response error_page(int status, const std::string& message, const http::Principal* principal) {
  View view;
  view.set("status", static_cast<std::int64_t>(status));
  view.set("message", message);
  return render_page(status, "error", std::move(view), PageContext{"Lỗi " + std::to_string(status), principal});
}

View error_list(const std::vector<FieldError>& errors) {
  View messages = View::list();
  for (const auto& error : errors) messages.push(View().set("message", error.message));
  return messages;
}

}  // namespace dvchub::web
