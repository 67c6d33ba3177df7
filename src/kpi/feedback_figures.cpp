#include "kpi/feedback_figures.h"

#include "feedback/survey_service.h"

namespace dvchub::kpi {

void FeedbackFigures::add(const FeedbackFigures& other) {
  answered += other.answered;
  answered_on_time += other.answered_on_time;
  ratings += other.ratings;
  satisfied_ratings += other.satisfied_ratings;
  survey_responses += other.survey_responses;
  survey_satisfied += other.survey_satisfied;
  demanding_survey_responses += other.demanding_survey_responses;
  demanding_survey_satisfied += other.demanding_survey_satisfied;
}

Result<std::unordered_map<std::int64_t, FeedbackFigures>> feedback_figures_by_unit(
    storage::Connection& connection, DayNumber from, DayNumber to, const std::vector<std::int64_t>* unit_ids) {
  std::unordered_map<std::int64_t, FeedbackFigures> figures;
  if (unit_ids && unit_ids->empty()) return figures;
  // feedback_counters keys its rows by the Vietnam date of receipt as text (YYYY-MM-DD), which sorts as dates do.
  storage::Parameters counter_parameters{iso_from_day(from), iso_from_day(to)};
  std::string counter_filter;
  if (unit_ids) counter_filter = " AND unit_id IN (" + storage::append_parameters(counter_parameters, *unit_ids) + ")";
  for (const auto& row : DVCHUB_TRY(connection.query(
           "SELECT unit_id, SUM(answered), SUM(answered_on_time), SUM(ratings), SUM(satisfied) FROM feedback_counters "
           "WHERE day >= $1 AND day <= $2 AND unit_id <> 0" + counter_filter + " GROUP BY unit_id",
           counter_parameters))) {
    auto& unit = figures[row.integer(0)];
    unit.answered = row.integer(1);
    unit.answered_on_time = row.integer(2);
    unit.ratings = row.integer(3);
    unit.satisfied_ratings = row.integer(4);
  }
  // Responses are stamped with their Unix instant: the period is [start of from, start of the day after to).
  storage::Parameters survey_parameters{start_of_local_day(from), start_of_local_day(to + 1)};
  std::string survey_filter;
  if (unit_ids) survey_filter = " AND unit_id IN (" + storage::append_parameters(survey_parameters, *unit_ids) + ")";
  for (const auto& row : DVCHUB_TRY(connection.query(
           "SELECT unit_id, COALESCE(field, ''), COUNT(*), SUM(CASE WHEN overall >= 4 THEN 1 ELSE 0 END) "
           "FROM survey_responses WHERE received_at >= $1 AND received_at < $2 AND unit_id IS NOT NULL" +
               survey_filter + " GROUP BY unit_id, COALESCE(field, '')",
           survey_parameters))) {
    auto& unit = figures[row.integer(0)];
    unit.survey_responses += row.integer(2);
    unit.survey_satisfied += row.integer(3);
    if (feedback::has_demanding_satisfaction_target(row.text(1))) {
      unit.demanding_survey_responses += row.integer(2);
      unit.demanding_survey_satisfied += row.integer(3);
    }
  }
  return figures;
}

}  // namespace dvchub::kpi
