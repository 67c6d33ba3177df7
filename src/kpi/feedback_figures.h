// kpi/feedback_figures.h — the feedback module's figures that the KPI module turns into indicators, read per unit
// id from what that module keeps: its per-unit, per-day counters of feedback items (table feedback_counters,
// feedback/counters.h: answered, answered on time, ratings of answers, satisfied ratings) and its satisfaction
// survey responses (table survey_responses, feedback/survey_service.h: satisfied = overall rating 4 or 5; the plan's
// 85 % target for land, construction and investment fields is decided by feedback::has_demanding_satisfaction_target).
// The KPI module applies its own unit tree (as of the period's end, with successions) to these per-unit figures.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "kpi/dossier_format.h"
#include "storage/database.h"

namespace dvchub::kpi {

// Additive figures of one unit (or a sum of units) over a period.
struct FeedbackFigures {
  std::int64_t answered = 0;             // feedback items received in the period and answered (approved) since
  std::int64_t answered_on_time = 0;     // of those, answered within their deadline (frozen at approval)
  std::int64_t ratings = 0;              // ratings of published answers of those items
  std::int64_t satisfied_ratings = 0;    // rated "satisfied"
  std::int64_t survey_responses = 0;     // survey responses received in the period
  std::int64_t survey_satisfied = 0;     // with an overall rating of 4 or 5
  std::int64_t demanding_survey_responses = 0;  // of the responses, those about land, construction or investment
  std::int64_t demanding_survey_satisfied = 0;

  void add(const FeedbackFigures& other);
};

// The figures of items and responses received on local days from..to (inclusive), per unit id they are stored
// under; only the ids in `unit_ids` when it is given. Items without a unit and responses naming none are left out.
// Two grouped queries on `connection`.
Result<std::unordered_map<std::int64_t, FeedbackFigures>> feedback_figures_by_unit(
    storage::Connection& connection, DayNumber from, DayNumber to, const std::vector<std::int64_t>* unit_ids);

}  // namespace dvchub::kpi
