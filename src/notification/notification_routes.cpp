#include "notification/notification_routes.h"

#include <charconv>

#include "core/dates.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::notification {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

std::int64_t id_parameter(const Request& request) {
  const std::string text = request.path_parameter("id");
  std::int64_t id = 0;
  std::from_chars(text.data(), text.data() + text.size(), id);
  return id;
}

Response own_page(const NotificationService& notifications, Request& request) {
  const http::Principal* principal = &*request.principal;
  auto list = notifications.notifications_of(principal->user_id);
  if (!list) return web::error_page(http::http_status(list.error().code), list.error().message, principal);
  auto unread = notifications.unread_count(principal->user_id, 1000);
  if (!unread) return web::error_page(http::http_status(unread.error().code), unread.error().message, principal);
  web::View entries = web::View::list();
  for (const auto& entry : *list) {
    entries.push(web::View()
                     .set("id", entry.id)
                     .set("title", entry.title)
                     .set("text", entry.text)
                     .set("link", entry.link)
                     .set("created", format_display_instant(entry.created_at))
                     .set("unread", !entry.read_at));
  }
  web::View view;
  view.set("notifications", std::move(entries)).set("any", !list->empty());
  view.set("unread", *unread ? std::to_string(*unread) : std::string());
  return web::render_page(200, "notifications", std::move(view),
                          web::PageContext{"Thông báo", principal, "notifications",
                                           request.query_parameter("da_doc") ? "Đã đánh dấu đã đọc." : ""});
}

Response mark_read_form(const NotificationService& notifications, Request& request) {
  auto marked = notifications.mark_read(request.principal->user_id, id_parameter(request));
  if (!marked) return web::error_page(http::http_status(marked.error().code), marked.error().message, &*request.principal);
  return Response::redirect("/quan-tri/thong-bao?da_doc=1");
}

Response mark_all_read_form(const NotificationService& notifications, Request& request) {
  auto marked = notifications.mark_all_read(request.principal->user_id);
  if (!marked) return web::error_page(http::http_status(marked.error().code), marked.error().message, &*request.principal);
  return Response::redirect("/quan-tri/thong-bao?da_doc=1");
}

Response list_api(const NotificationService& notifications, Request& request) {
  const std::int64_t user_id = request.principal->user_id;
  auto list = notifications.notifications_of(user_id);
  if (!list) return web::json_error(list.error());
  auto unread = notifications.unread_count(user_id, 1000);
  if (!unread) return web::json_error(unread.error());
  json::Array items;
  for (const auto& entry : *list) {
    items.push_back(json::Object{{"id", entry.id},
                                 {"title", entry.title},
                                 {"text", entry.text},
                                 {"link", entry.link},
                                 {"created_at", format_iso_instant(entry.created_at)},
                                 {"read_at", entry.read_at ? json::Value(format_iso_instant(*entry.read_at)) : nullptr}});
  }
  return web::json_response(200, json::serialize(json::Object{{"unread", *unread}, {"notifications", std::move(items)}}));
}

Response outbox_page(const NotificationService& notifications, Request& request, const std::string& notice) {
  const http::Principal* principal = &*request.principal;
  const std::string status = request.query_parameter("trang_thai").value_or("");
  auto messages = notifications.outbox(status);
  if (!messages) return web::error_page(http::http_status(messages.error().code), messages.error().message, principal);
  web::View list = web::View::list();
  for (const auto& message : *messages) {
    list.push(web::View()
                  .set("id", message.id)
                  .set("recipient", message.recipient)
                  .set("subject", message.subject)
                  .set("status", message.status == "sent"     ? "Đã gửi"
                                 : message.status == "failed" ? "Thất bại"
                                                              : "Đang chờ")
                  .set("failed", message.status == "failed")
                  .set("retryable", message.status != "sent")
                  .set("attempts", std::int64_t{message.attempts})
                  .set("next_attempt", message.status == "pending" ? format_display_instant(message.next_attempt_at)
                                                                   : std::string())
                  .set("last_error", message.last_error)
                  .set("created", format_display_instant(message.created_at))
                  .set("sent", message.sent_at ? format_display_instant(*message.sent_at) : std::string()));
  }
  web::View view;
  view.set("messages", std::move(list)).set("any", !messages->empty());
  view.set("status_" + (status.empty() ? std::string("open") : status), true);
  return web::render_page(200, "notification_outbox", std::move(view),
                          web::PageContext{"Hộp thư đi", principal, "outbox", notice});
}

Response retry_form(const NotificationService& notifications, Request& request) {
  auto retried = notifications.retry_now(id_parameter(request), web::actor_of(request));
  if (!retried) {
    return web::error_page(http::http_status(retried.error().code), retried.error().message, &*request.principal);
  }
  return Response::redirect("/quan-tri/hop-thu-di?gui_lai=1");
}

}  // namespace

void register_notification_routes(http::Router& router, const NotificationService& notifications) {
  router.add(Method::get, "/quan-tri/thong-bao",
             [&notifications](Request& request) { return own_page(notifications, request); },
             http::route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/thong-bao/da-doc",
             [&notifications](Request& request) { return mark_all_read_form(notifications, request); },
             http::route_options(Access::staff, 1024));
  router.add(Method::post, "/quan-tri/thong-bao/{id:int}/da-doc",
             [&notifications](Request& request) { return mark_read_form(notifications, request); },
             http::route_options(Access::staff, 1024));
  router.add(Method::get, "/api/v1/notifications",
             [&notifications](Request& request) { return list_api(notifications, request); },
             http::route_options(Access::staff, 0, "Thông báo của tài khoản đang đăng nhập (chưa đọc trước)"));
  router.add(Method::get, "/quan-tri/hop-thu-di",
             [&notifications](Request& request) {
               return outbox_page(notifications, request,
                                  request.query_parameter("gui_lai") ? "Thư sẽ được gửi lại trong ít giây." : "");
             },
             http::route_options(Access::admin, 0));
  router.add(Method::post, "/quan-tri/hop-thu-di/{id:int}/gui-lai",
             [&notifications](Request& request) { return retry_form(notifications, request); },
             http::route_options(Access::admin, 1024));
}

}  // namespace dvchub::notification
