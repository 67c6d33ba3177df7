// units/unit_json.h — a unit as a JSON object (internal to the units module: includes the JSON adapter).
#pragma once

#include "json/json.h"
#include "units/units.h"

namespace dvchub::units {

// {"code","name","kind","parent_code","valid_from","valid_to","illustrative"}; nulls for absent values.
json::Object unit_object(const Unit& unit);

}  // namespace dvchub::units
