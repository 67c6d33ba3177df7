// plan/reporting_routes.h — the reporting API (activities, reported measures, report periods, unit reports, the
// compiled report as JSON and XLSX) under /api/v1/plans/{id}/…, /api/v1/activities/{id} and
// /api/v1/report-periods/{id}/…, and the staff pages under /quan-tri/ke-hoach/{id}/… and /quan-tri/ky-bao-cao/{id}….
#pragma once

#include "http/router.h"
#include "plan/plan_service.h"
#include "plan/reporting.h"

namespace dvchub::plan {

// Registers the reporting routes. Every route is for signed-in staff; writes need an officer (for their units) or
// the lead office, reviews and new periods the lead office. `reporting` and `plans` must outlive the router.
void register_reporting_routes(http::Router& router, ReportingService& reporting, PlanService& plans);

}  // namespace dvchub::plan
