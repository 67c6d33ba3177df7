// plan/unit_name_sql.h — a SQL fragment shared by the plan module's queries (internal to src/plan).
#pragma once

#include <string>

namespace dvchub::plan {

// A scalar subquery giving the name of the unit aliased `units_alias` as of the SQL date expression `day` (a column
// or a parameter): the unit_versions row valid that day.
inline std::string unit_name_sql(const std::string& units_alias, const std::string& day) {
  return "(SELECT v.name FROM unit_versions v WHERE v.unit_id = " + units_alias + ".id AND v.valid_from <= " + day +
         " AND (v.valid_to IS NULL OR v.valid_to > " + day + ") ORDER BY v.valid_from DESC LIMIT 1)";
}

// A scalar subquery giving the latest name of the unit aliased `units_alias` (for units that have ended).
inline std::string latest_unit_name_sql(const std::string& units_alias) {
  return "(SELECT v.name FROM unit_versions v WHERE v.unit_id = " + units_alias +
         ".id ORDER BY v.valid_from DESC LIMIT 1)";
}

}  // namespace dvchub::plan
