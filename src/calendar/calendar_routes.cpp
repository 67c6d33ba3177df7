#include "calendar/calendar_routes.h"

#include <charconv>

#include "core/dates.h"
#include "http/error_mapping.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::calendar {
namespace {

using http::Method;
using http::Request;
using http::Response;

int year_of(const Request& request, const Clock& clock) {
  const int current = static_cast<int>(vietnam_date(clock.now()).year());
  const std::string text = request.query_parameter("nam").value_or(request.form_value("nam").value_or(""));
  int year = current;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || year < 1900 || year > 2199) {
    return current;
  }
  return year;
}

Response calendar_page(WorkingCalendar& calendar, const Clock& clock, const Request& request, int status,
                       const std::string& notice, const std::string& error_message) {
  const int year = year_of(request, clock);
  auto days = calendar.exceptions(year);
  if (!days) return web::error_page(http::http_status(days.error().code), days.error().message, &*request.principal);
  web::View view;
  view.set("year", year);
  view.set("previous_year", year - 1);
  view.set("next_year", year + 1);
  view.set("is_admin", request.principal->role == "admin");
  view.set("error", error_message);
  web::View list = web::View::list();
  for (const auto& day : *days) {
    list.push(web::View()
                  .set("iso", format_iso_date(day.day))
                  .set("day", format_display_date(day.day))
                  .set("kind", day.kind == DayKind::holiday ? "Nghỉ" : "Làm bù")
                  .set("name", day.name)
                  .set("origin", day.computed ? "Tính tự động" : "Quản trị viên nhập"));
  }
  view.set("days", std::move(list));
  return web::render_page(status, "feedback_calendar", std::move(view),
                          web::PageContext{"Lịch ngày nghỉ " + std::to_string(year), &*request.principal, "calendar",
                                           notice});
}

Response calendar_form(WorkingCalendar& calendar, const Clock& clock, Request& request) {
  const std::string action = request.form_value("action").value_or("");
  auto day = parse_date(request.form_value("day").value_or(""));
  if (!day) return calendar_page(calendar, clock, request, 400, {}, "Ngày phải theo dạng dd/mm/yyyy");
  Result<void> done;
  if (action == "remove") {
    done = calendar.remove_day(*day, web::actor_of(request));
  } else {
    const DayKind kind = request.form_value("kind").value_or("") == "working" ? DayKind::working : DayKind::holiday;
    done = calendar.set_day({*day, kind, request.form_value("name").value_or(""), false}, web::actor_of(request));
  }
  if (!done) {
    const auto& error = done.error();
    return calendar_page(calendar, clock, request, http::http_status(error.code), {},
                         error.fields.empty() ? error.message : error.fields.front().message);
  }
  return Response::redirect("/quan-tri/lich-nghi?nam=" + std::to_string(static_cast<int>(day->year())) + "&da_luu=1");
}

}  // namespace

void register_calendar_routes(http::Router& router, WorkingCalendar& calendar, const Clock& clock) {
  http::RouteOptions read;
  read.access = http::Access::staff;
  read.body_limit = 0;
  router.add(Method::get, "/quan-tri/lich-nghi",
             [&calendar, &clock](Request& request) {
               return calendar_page(calendar, clock, request, 200,
                                    request.query_parameter("da_luu") ? "Đã lưu." : "", "");
             },
             read);
  http::RouteOptions write;
  write.access = http::Access::admin;
  write.body_limit = 4 * 1024;
  router.add(Method::post, "/quan-tri/lich-nghi",
             [&calendar, &clock](Request& request) { return calendar_form(calendar, clock, request); }, write);
}

}  // namespace dvchub::calendar
