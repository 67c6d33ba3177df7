// feedback/counters.h — the statistics counters (feedback_counters): what each item contributes to the figures of
// its unit and day of receipt. Every write that changes an item moves its contribution in the same transaction, so
// statistics over any period read counters, not items (docs/feedback.md, Statistics).
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "storage/database.h"

namespace dvchub::feedback {

// What one item adds to the counters of its unit and day of receipt.
struct Contribution {
  std::int64_t unit_id = 0;  // 0: no unit yet
  std::string day;           // Vietnam date of receipt
  std::int64_t received = 0;
  std::int64_t rejected = 0;
  std::int64_t answered = 0;
  std::int64_t answered_on_time = 0;
  std::int64_t published = 0;
  std::int64_t overdue = 0;  // open, and escalated for its current deadline
  std::int64_t listed = 0;  // on the public list: published, consent given, not hidden
  double answer_days_sum = 0;
  std::int64_t answer_days_count = 0;
  std::int64_t ratings = 0;
  std::int64_t satisfied = 0;
};

// The contribution of item `item_id` as it is stored now (inside the caller's transaction). not_found when absent.
Result<Contribution> contribution_of(storage::Connection& connection, std::int64_t item_id);

// Adds `contribution` (sign +1) to its counters row, or takes it away (sign -1); contributions of several items of
// one unit and day may be summed first.
Result<void> add_contribution(storage::Connection& connection, const Contribution& contribution, std::int64_t sign);

// Moves item `item_id`'s counters from `before` (read earlier in the transaction) to what it contributes now.
Result<void> move_contribution(storage::Connection& connection, std::int64_t item_id, const Contribution& before);

}  // namespace dvchub::feedback
