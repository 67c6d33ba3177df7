// plan/demo_plan.h — the demo plans: the province's 59/KH-UBND (its identity only) and the whole of Mỹ Tú's
// 51/KH-UBND of 03/04/2025 (../shared/seed/ke-hoach-51-KH-UBND-my-tu-2025.md): every target of II.2, every task of
// section IV and every assignment section VI makes. Needs the demo units (units/demo_units.h).
#pragma once

#include "audit/audit_log.h"
#include "core/error.h"
#include "plan/plan_service.h"

namespace dvchub::plan {

// Kế hoạch 51/KH-UBND as data, with `parent_id` as its parent plan (59/KH-UBND of the province).
NewPlan my_tu_plan(std::optional<std::int64_t> parent_id);

// Stores the demo plans that are missing; returns how many it created (0 on a second run). Errors from the store
// or a demo unit that is missing (seed the units first).
Result<int> seed_demo_plans(PlanService& plans, const audit::Actor& actor);

}  // namespace dvchub::plan
