// feedback/feedback_generator.h — synthetic feedback straight into the store, to measure pages and statistics at a
// million items (`dvchub gen feedback`). Statuses, units, days, consent and on-time answers vary; the counters are
// filled as the service would. Tracking codes start with "0", which real codes never contain.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/error.h"
#include "storage/database.h"

namespace dvchub::feedback {

struct FeedbackGeneratorOptions {
  std::size_t count = 1'000'000;
  std::uint64_t seed = 1;
  int year = 2025;                     // received on days of this year
  std::vector<std::int64_t> unit_ids;  // the units items go to; must not be empty
};

// Adds `options.count` items in transactions of 20,000, calling `progress(done, total)` after each. Returns the
// number added. invalid_input without units.
Result<std::size_t> generate_feedback(storage::Database& database, const FeedbackGeneratorOptions& options,
                                      const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace dvchub::feedback
