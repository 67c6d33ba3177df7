// calendar/calendar_routes.h — the holiday calendar page /quan-tri/lich-nghi: staff read a year's holidays and
// make-up working days; administrators add, change and remove days (each year's official decisions).
#pragma once

#include "calendar/working_calendar.h"
#include "http/router.h"

namespace dvchub::calendar {

// Registers the calendar page and its form. `calendar` and `clock` (for the current year) must outlive the router.
void register_calendar_routes(http::Router& router, WorkingCalendar& calendar, const Clock& clock);

}  // namespace dvchub::calendar
