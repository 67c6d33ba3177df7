// units/unit_routes.h — the units API (/api/v1/units…) and the staff pages (/quan-tri/don-vi…).
#pragma once

#include "http/router.h"
#include "units/units.h"

namespace dvchub::units {

// Registers every units route on `router`. Reading is public (API) or for staff (pages); changes are for admins.
// `units` must outlive the router.
void register_unit_routes(http::Router& router, UnitService& units);

}  // namespace dvchub::units
