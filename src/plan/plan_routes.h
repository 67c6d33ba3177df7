// plan/plan_routes.h — the plan API (/api/v1/plans, /api/v1/plans/{id}), the public plan pages (/ke-hoach,
// /ke-hoach/{id}) and the staff task × unit matrix (/quan-tri/ke-hoach/{id}/ma-tran).
#pragma once

#include "http/router.h"
#include "plan/plan_changes.h"
#include "plan/plan_service.h"

namespace dvchub::plan {

// Registers the plan routes: the API and the plan pages are public (the plan is a published document), the matrix
// is for signed-in staff. The plan page lists the plan's versions from `changes`. Both must outlive the router.
void register_plan_routes(http::Router& router, PlanService& plans, const PlanChangeService& changes);

}  // namespace dvchub::plan
