#include "feedback/counters.h"

#include "core/dates.h"

namespace dvchub::feedback {

Result<Contribution> contribution_of(storage::Connection& connection, std::int64_t item_id) {
  auto row = DVCHUB_TRY(connection.query_one(
      "SELECT COALESCE(unit_id, 0), received_at, status, answered_at, answered_on_time, published_at, "
      "answer_working_days, (SELECT COUNT(*) FROM feedback_ratings r WHERE r.item_id = i.id), "
      "(SELECT COALESCE(SUM(r.satisfied), 0) FROM feedback_ratings r WHERE r.item_id = i.id), consent_publish, "
      "hidden_reason, due_at, escalated_due_at FROM feedback_items i WHERE i.id = $1",
      {item_id}));
  if (!row) return fail(ErrorCode::not_found, "Không tìm thấy phản ánh, kiến nghị");
  Contribution contribution;
  contribution.unit_id = row->integer(0);
  contribution.day = format_iso_date(vietnam_date(from_unix_seconds(row->integer(1))));
  contribution.received = 1;
  contribution.rejected = row->text(2) == "rejected" ? 1 : 0;
  contribution.answered = row->is_null(3) ? 0 : 1;
  contribution.answered_on_time = !row->is_null(3) && !row->is_null(4) && row->integer(4) != 0 ? 1 : 0;
  contribution.published = row->is_null(5) ? 0 : 1;
  const std::string status = row->text(2);
  const bool open = status != "published" && status != "rejected";
  contribution.overdue = open && !row->is_null(12) && row->integer(12) == row->integer(11) ? 1 : 0;
  contribution.listed = row->text(2) == "published" && row->integer(9) != 0 && row->is_null(10) ? 1 : 0;
  if (!row->is_null(3) && !row->is_null(6)) {
    contribution.answer_days_sum = row->real(6);
    contribution.answer_days_count = 1;
  }
  contribution.ratings = row->integer(7);
  contribution.satisfied = row->integer(8);
  return contribution;
}

Result<void> add_contribution(storage::Connection& connection, const Contribution& contribution, std::int64_t sign) {
  DVCHUB_TRY(connection.execute(
      "INSERT INTO feedback_counters (unit_id, day, received, rejected, answered, answered_on_time, published, listed, "
      "answer_days_sum, answer_days_count, ratings, satisfied, overdue) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11, $12, $13) "
      "ON CONFLICT (day, unit_id) DO UPDATE SET received = feedback_counters.received + excluded.received, "
      "rejected = feedback_counters.rejected + excluded.rejected, "
      "answered = feedback_counters.answered + excluded.answered, "
      "answered_on_time = feedback_counters.answered_on_time + excluded.answered_on_time, "
      "published = feedback_counters.published + excluded.published, "
      "listed = feedback_counters.listed + excluded.listed, "
      "answer_days_sum = feedback_counters.answer_days_sum + excluded.answer_days_sum, "
      "answer_days_count = feedback_counters.answer_days_count + excluded.answer_days_count, "
      "ratings = feedback_counters.ratings + excluded.ratings, "
      "satisfied = feedback_counters.satisfied + excluded.satisfied, "
      "overdue = feedback_counters.overdue + excluded.overdue",
      {contribution.unit_id, contribution.day, sign * contribution.received, sign * contribution.rejected,
       sign * contribution.answered, sign * contribution.answered_on_time, sign * contribution.published,
       sign * contribution.listed, double(sign) * contribution.answer_days_sum, sign * contribution.answer_days_count, sign * contribution.ratings,
       sign * contribution.satisfied, sign * contribution.overdue}));
  return {};
}

Result<void> move_contribution(storage::Connection& connection, std::int64_t item_id, const Contribution& before) {
  const Contribution after = DVCHUB_TRY(contribution_of(connection, item_id));
  DVCHUB_TRY(add_contribution(connection, before, -1));
  return add_contribution(connection, after, 1);
}

}  // namespace dvchub::feedback
