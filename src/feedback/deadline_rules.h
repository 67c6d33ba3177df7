// feedback/deadline_rules.h — how many working days each step of a feedback item may take, per kind and subject
// (product.md, Decree 20/2008: classify 2, answer 15, publish 2, one extension). Administrators set a rule for one
// kind, one subject or one pair; an item takes the most specific rule that matches it, else the defaults.
//
// Thread-safe. Rules are read once and kept in memory; changes made through this service take effect at once (one
// server process writes them). `database` and `clock` must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::feedback {

inline constexpr std::array<std::string_view, 4> feedback_kinds = {"question", "complaint", "suggestion", "report"};
inline constexpr std::array<std::string_view, 4> feedback_subjects = {"procedure", "conduct", "technical", "other"};

// Deadlines of the steps, in working days.
struct Deadlines {
  int classify = 2;
  int answer = 15;
  int publish = 2;
  int extension = 15;  // one extension of the answer deadline, with a reason
};

// Bounds an administrator may set (a longer answer time would break the law's 15 + extension).
inline constexpr int maximum_classify_days = 5;
inline constexpr int maximum_answer_days = 30;
inline constexpr int maximum_publish_days = 5;
inline constexpr int maximum_extension_days = 30;

// One rule: `kind` or `subject` empty means "any".
struct DeadlineRule {
  std::string kind;
  std::string subject;
  Deadlines deadlines;
  std::string updated_by;
  TimePoint updated_at{};
};

class DeadlineRuleService {
 public:
  DeadlineRuleService(storage::Database& database, const Clock& clock, Deadlines defaults = {})
      : database_(database), clock_(clock), defaults_(defaults) {}

  // The deadlines for an item of `kind` and `subject`: the rule for that pair, else for the kind, else for the
  // subject, else the defaults.
  Result<Deadlines> deadlines_for(std::string_view kind, std::string_view subject) const;

  // The stored rules, most general first.
  Result<std::vector<DeadlineRule>> rules() const;

  const Deadlines& defaults() const { return defaults_; }

  // Creates or replaces the rule for (`rule.kind`, `rule.subject`): each known or empty, not both empty; every day
  // count between 1 and its maximum (extension 0–30). invalid_input per field. Audited. Items already received keep
  // the deadlines they were given.
  Result<void> set(const DeadlineRule& rule, const audit::Actor& actor);

  // Removes the rule for that pair (the next more general one applies). not_found when there is none. Audited.
  Result<void> remove(std::string_view kind, std::string_view subject, const audit::Actor& actor);

 private:
  Result<std::shared_ptr<const std::vector<DeadlineRule>>> cached_rules() const;
  void forget_cache();

  storage::Database& database_;
  const Clock& clock_;
  Deadlines defaults_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const std::vector<DeadlineRule>> cache_;
  std::uint64_t generation_ = 0;  // bumped by every change, so a read that raced a change is not kept
};

}  // namespace dvchub::feedback
