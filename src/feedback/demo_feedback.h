// feedback/demo_feedback.h — a dozen realistic feedback items in every state of the workflow, for the demo.
#pragma once

#include "calendar/working_calendar.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"
#include "units/units.h"

namespace dvchub::feedback {

// Adds the demo items (tracking codes "MAUA…", received over the last weeks before `clock`'s now, then classified,
// answered, published, rated as each demands) unless the first one exists already. Needs the demo units
// (units/demo_units.h). Deterministic apart from the dates, which follow the clock. Returns the number created.
Result<int> seed_demo_feedback(storage::Database& database, units::UnitService& units,
                               calendar::WorkingCalendar& calendar, const Clock& clock);

}  // namespace dvchub::feedback
