// plan/demo_reporting.h — demo content of the reporting cycle for Mỹ Tú's 51/KH-UBND: this year's report period
// (due 08/12) and a few activities and reported measures of the three merged communes, so officers can try a report.
// Needs the demo plans (plan/demo_plan.h).
#pragma once

#include "audit/audit_log.h"
#include "core/error.h"
#include "plan/reporting.h"

namespace dvchub::plan {

// Opens the current year's period unless it exists, and adds the demo activities and measures when the plan has no
// activity yet; returns how many activities it added (0 on a second run). Dates are counted back from today, so the
// activities fall in the current period whatever the clock says.
Result<int> seed_demo_reporting(ReportingService& reporting, const PlanService& plans, const audit::Actor& actor);

}  // namespace dvchub::plan
