// plan/reporting_routes.h — the reporting cycle over HTTP. The API (reporting_api.cpp): activities, reported
// measures, report periods, unit reports, the compiled report as JSON, DOCX, PDF and XLSX, under
// /api/v1/plans/{id}/…, /api/v1/activities/{id} and /api/v1/report-periods/{id}/…. The staff pages
// (reporting_pages.cpp) under /quan-tri/ke-hoach/{id}/… and /quan-tri/ky-bao-cao/{id}….
#pragma once

#include "http/router.h"
#include "plan/plan_service.h"
#include "plan/reporting.h"

namespace dvchub::plan {

// Registers the reporting API. Every route is for signed-in staff; writes need an officer (for their units) or the
// lead office, reviews and new periods the lead office. `reporting` and `plans` must outlive the router.
void register_reporting_api(http::Router& router, ReportingService& reporting, PlanService& plans);

// Registers the reporting pages, with the same access rules as the API they mirror.
void register_reporting_pages(http::Router& router, ReportingService& reporting, PlanService& plans);

// Registers both.
inline void register_reporting_routes(http::Router& router, ReportingService& reporting, PlanService& plans) {
  register_reporting_api(router, reporting, plans);
  register_reporting_pages(router, reporting, plans);
}

}  // namespace dvchub::plan
