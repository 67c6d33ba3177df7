// units/demo_units.h — the demo's units: Mỹ Tú district as of its plan 51/KH-UBND (03/04/2025) and an illustrative
// 2025 reorganisation.
#pragma once

#include "audit/audit_log.h"
#include "core/error.h"
#include "units/units.h"

namespace dvchub::units {

// The code of the unit that leads the plan (Phòng Văn hóa, Khoa học và Thông tin), for other modules' demo data.
inline constexpr const char* demo_lead_office_code = "MYTU-VHKHTT";
// A commune that exists today in the demo (illustrative), for the demo officer account.
inline constexpr const char* demo_commune_code = "MH-XA-2";

// Adds the demo units unless they are there already (idempotent: checks the province code first).
// Codes are the demo's own ("ST", "MYTU-…"), not official statistical codes: the plan names units, not codes.
// Units are recorded from 01/01/2025. On 01/07/2025 the district and its offices end (districts were abolished
// by the two-level reform) and its communes come under the province; the commune merges that follow are
// ILLUSTRATIVE — marked so in the data and on every screen — not the legal mapping.
// Returns the number of units created.
Result<int> seed_demo_units(UnitService& units, const audit::Actor& actor);

}  // namespace dvchub::units
