// plan/plan_changes.h — what units change in the plan itself, as opposed to what they record against it
// (plan/reporting.h): each assigned unit's status for a task, and amendments.
//
// Status: a unit that leads a task (chủ trì, also within its own scope, VI.7) or coordinates it (phối hợp) sets its
// status (not started, in progress, done) with a note; units that only oversee a task (theo dõi, đôn đốc) do not.
// Amendments (the plan's closing paragraph: "trong quá trình thực hiện, nếu có khó khăn, vướng mắc … đề xuất"): a
// unit proposes a change of a task's text, of its lead and coordinating units, of its yearly day, or of a target's
// value, with a reason; the lead office accepts or rejects it with a reason. An accepted amendment changes the plan
// and makes its next version (the plan starts at version 1); each amendment keeps the value before and after, so the
// plan's pages show every version and what changed, field by field. Every change is audited in its transaction.
// Storage: migrations/0019_plan_amendments.sql; docs/plan.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/message.h"
#include "plan/plan_service.h"
#include "plan/reporting.h"
#include "storage/database.h"
#include "units/units.h"

namespace dvchub::plan {

inline constexpr std::size_t status_note_limit = 1'000;    // characters
inline constexpr std::size_t amendment_reason_limit = 2'000;
inline constexpr std::size_t task_text_limit = 5'000;
inline constexpr std::size_t task_units_limit = 20;        // units per role in a proposal

// What an amendment changes: "task_text", "task_units" (lead and coordinating units), "task_due" (the yearly day),
// "target_value".
const std::vector<std::string>& amendment_fields();
// Vietnamese label of an amendment field ("task_due" → "Thời hạn hằng năm"); the key itself when unknown.
std::string amendment_field_label(const std::string& field);
// Vietnamese label of an amendment status: proposed, accepted, rejected.
std::string amendment_status_label(const std::string& status);

struct TaskStatusInput {
  std::string task_code;  // "IV.1.a"
  std::string unit_code;
  std::string status;     // one of task_statuses()
  std::string note;       // at most status_note_limit characters
};

struct AmendmentInput {
  std::string unit_code;  // the proposing unit
  std::string field;      // one of amendment_fields()
  std::string task_code;  // task_* fields
  std::string target_key;  // target_value: the target's key and year
  int target_year = 0;
  std::string text;                        // task_text: the new text
  std::vector<std::string> lead_units;     // task_units: the new lead units …
  std::vector<std::string> coordinating_units;  // … and coordinating units (codes)
  std::string yearly_on;                   // task_due: "MM-DD", or empty for no yearly day
  double target_value = 0;                 // target_value: the new minimum share, in (0, 1]
  std::string reason;
};

// One part of a readable difference: text kept, removed or added.
struct DiffPart {
  enum class Kind { same, removed, added };
  Kind kind = Kind::same;
  std::string text;
};

// What an amendment changes in one field, readable: "Chủ trì" with unit names kept, removed and added.
struct ChangeLine {
  std::string label;
  std::vector<DiffPart> parts;
};

struct Amendment {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  std::string unit_code;
  std::string unit_name;
  std::string field;
  std::string subject;  // the task's code ("IV.1.a") or the target's section, key and year
  std::string before_value;  // stored forms: text; "lead=A,B;coordinating=C"; "MM-DD" or ""; "0.9"
  std::string proposed_value;
  std::string reason;
  std::string status;  // proposed | accepted | rejected
  TimePoint proposed_at;
  std::optional<TimePoint> decided_at;
  std::string decision_reason;
  std::optional<int> version;  // accepted: the plan version it made
  std::vector<ChangeLine> changes;  // before → proposed, readable (unit names, days, percentages)
};

// The difference between two texts word by word (longest common subsequence of words; whitespace kept with the
// word before it), adjacent parts of one kind merged. Texts of more than 2,000 words each compare as one removal and
// one addition. Pure.
std::vector<DiffPart> word_diff(const std::string& before, const std::string& after);

// Thread-safe: holds no state but references; each call borrows its own connection.
class PlanChangeService {
 public:
  PlanChangeService(storage::Database& database, const units::UnitService& units, const PlanService& plans,
                    const ReportingService& reporting, const Clock& clock)
      : database_(database), units_(units), plans_(plans), reporting_(reporting), clock_(clock) {}

  // Sets a unit's status for a task, with a note. invalid_input for an unknown task or status, a note over
  // status_note_limit, a unit that is not assigned the task or only oversees it; forbidden unless the principal
  // may act for the unit (ReportingService::may_write); not_found for an unknown plan. Audited (plan_task.status).
  Result<Assignment> set_task_status(std::int64_t plan_id, const TaskStatusInput& input,
                                     const http::Principal& principal, const audit::Actor& actor);

  // Proposes an amendment for the unit. invalid_input (one message per field) for an unknown field, task or
  // target, an empty or overlong text or reason, an unknown unit, a unit in both roles or more than
  // task_units_limit, a day that is not "MM-DD", a value outside (0, 1], or a value equal to the current one;
  // forbidden unless the principal may act for the unit; not_found for an unknown plan. Audited
  // (plan_amendment.propose).
  Result<Amendment> propose(std::int64_t plan_id, const AmendmentInput& input, const http::Principal& principal,
                            const audit::Actor& actor);
  // The lead office (coordinators, admins; forbidden otherwise) accepts or rejects a proposed amendment with a
  // reason (invalid_input when empty or overlong). Accepting changes the plan, records the value it replaced and
  // makes the plan's next version, in one transaction; conflict when the amendment was already decided or the field
  // changed since it was proposed (it must then be rejected and proposed again). not_found for an unknown id.
  // Audited (plan_amendment.accept, plan_amendment.reject).
  Result<Amendment> decide(std::int64_t amendment_id, bool accept, const std::string& reason,
                           const http::Principal& principal, const audit::Actor& actor);
  // The plan's amendments that the principal may read (officers: their units'; other staff: all), newest first.
  Result<std::vector<Amendment>> amendments(std::int64_t plan_id, const http::Principal& principal) const;
  // The plan's versions after the first: its accepted amendments by version (public; the proposing unit, not the
  // person, is named). not_found for an unknown plan.
  Result<std::vector<Amendment>> versions(std::int64_t plan_id) const;

 private:
  Result<std::vector<Amendment>> load(storage::Connection& connection, const std::string& condition,
                                      const storage::Parameters& parameters) const;
  Result<std::vector<ChangeLine>> describe(const Amendment& amendment, const std::string& day) const;

  storage::Database& database_;
  const units::UnitService& units_;
  const PlanService& plans_;
  const ReportingService& reporting_;
  const Clock& clock_;
};

}  // namespace dvchub::plan
