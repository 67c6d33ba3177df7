// plan/plan_change_routes.h — task status updates, amendments and versions over HTTP, and a unit's own page.
// API: PUT /api/v1/plans/{id}/task-status, GET|POST /api/v1/plans/{id}/amendments,
// POST /api/v1/amendments/{id}/decision, GET /api/v1/plans/{id}/versions (public). Pages:
// /quan-tri/ke-hoach/{id}/sua-doi (amendments: propose, accept or reject), /quan-tri/ke-hoach/{id}/don-vi/{unit}
// (a unit's tasks with their status, activities, reports and KPIs) and its status form.
#pragma once

#include "http/router.h"
#include "kpi/kpi_service.h"
#include "plan/plan_changes.h"
#include "plan/plan_service.h"
#include "plan/reporting.h"
#include "units/units.h"

namespace dvchub::plan {

// The services a unit's page reads; all must outlive the router.
struct PlanChangeServices {
  PlanChangeService& changes;
  const PlanService& plans;
  const ReportingService& reporting;
  const units::UnitService& units;
  const kpi::KpiService& kpi;
};

// Registers the routes. Versions are public; everything else is for signed-in staff: officers propose amendments
// and set statuses for their units, the lead office (coordinators, admins) decides amendments.
void register_plan_change_routes(http::Router& router, const PlanChangeServices& services);

}  // namespace dvchub::plan
