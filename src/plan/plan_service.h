// plan/plan_service.h — implementation plans as data: the plan, its targets, its tasks and who does them.
//
// A plan (Kế hoạch 51/KH-UBND of Mỹ Tú, for one) is issued by a unit on a day and implements a parent plan (the
// province's 59/KH-UBND), which implements a decision (1588/QĐ-TTg). Its targets (section II.2) are shares to reach
// by a year, each measured either by a computed KPI indicator (kpi/kpi_service.h) or by a *reported measure*, a
// numerator and denominator the units report. Its tasks (section IV) sit under numbered headings; section VI gives
// each task to units with a role, and each assigned unit keeps its own status for the task.
// Units are named by code and must be valid on the plan's date. Storage: migrations/0006_plan.sql; docs/plan.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "kpi/kpi_service.h"
#include "storage/database.h"
#include "units/units.h"

namespace dvchub::plan {

// The roles a unit can hold on a task, in display order: "lead" (chủ trì), "coordinating" (phối hợp),
// "oversight" (theo dõi, đôn đốc), "within_scope" (chủ trì trong phạm vi, lĩnh vực của đơn vị).
const std::vector<std::string>& assignment_roles();
// Vietnamese label of a role ("lead" → "Chủ trì"); the role itself when unknown.
std::string role_label(const std::string& role);
// The statuses of a task for one unit: "not_started", "in_progress", "done".
const std::vector<std::string>& task_statuses();
// Vietnamese label of a status ("done" → "Đã hoàn thành"); the status itself when unknown.
std::string status_label(const std::string& status);

struct NewTarget {
  std::string section;  // "II.2.a"
  std::string key;
  int year = 0;
  std::string description;
  double minimum = 0;                    // a share in (0, 1]: at least this much
  std::optional<std::string> indicator;  // a kpi::indicator_keys() key …
  std::optional<std::string> numerator_label;    // … or a reported measure: both labels
  std::optional<std::string> denominator_label;
};

struct NewAssignment {
  std::string unit_code;
  std::string role;   // one of assignment_roles()
  std::string basis;  // the section that assigns it: "VI.1"
};

struct NewTask {
  std::string section_code;  // "IV.1.a"
  std::string body;
  std::optional<std::string> yearly_on;  // "MM-DD" when the text gives a yearly date
  std::vector<NewAssignment> assignments;
};

struct NewTaskGroup {
  std::string code;  // "IV.1"
  std::string title;
  std::vector<NewTask> tasks;
};

struct NewPlan {
  std::string number;  // "51/KH-UBND"
  std::string issued_on;  // ISO date
  std::string issuing_unit_code;
  std::optional<std::string> lead_unit_code;
  std::string title;
  std::string basis;
  std::optional<std::int64_t> parent_id;
  int target_year = 0;
  std::optional<int> horizon_year;
  std::string status = "in_force";  // draft | in_force | ended
  std::optional<std::string> report_due;  // "MM-DD"
  std::vector<NewTarget> targets;
  std::vector<NewTaskGroup> groups;
};

struct PlanSummary {
  std::int64_t id = 0;
  std::string number;
  std::string issued_on;
  std::string issuing_unit_code;
  std::string issuing_unit_name;  // as of issued_on
  std::optional<std::string> lead_unit_code;
  std::optional<std::string> lead_unit_name;
  std::string title;
  std::string basis;
  std::optional<std::int64_t> parent_id;
  std::optional<std::string> parent_number;
  int target_year = 0;
  std::optional<int> horizon_year;
  std::string status;
  std::optional<std::string> report_due;
  int version = 1;  // 1 as issued; each accepted amendment (plan/amendments.h) adds one
};

// A computed indicator's value for the plan's issuing unit over one period.
struct Measurement {
  std::string from;  // ISO dates, inclusive
  std::string to;
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<double> value;  // nullopt when the denominator is 0
};

struct Target {
  std::string key;
  int year = 0;
  std::string section;
  std::string description;
  double minimum = 0;
  std::optional<std::string> indicator;
  std::optional<std::string> numerator_label;
  std::optional<std::string> denominator_label;
  std::optional<Measurement> current;  // for indicator targets with a period to measure; else nullopt
};

struct Assignment {
  std::string unit_code;
  std::string unit_name;  // as of the plan's date (its latest name for a unit an amendment added after it)
  std::string role;
  std::string basis;
  std::string status;
  std::string status_note;  // what the unit wrote with its last status update
  std::optional<TimePoint> status_updated_at;
};

struct Task {
  std::string group_code;
  std::string section_code;
  std::string body;
  std::optional<std::string> yearly_on;
  std::vector<Assignment> assignments;  // by role (assignment_roles() order), then unit code
};

struct TaskGroup {
  std::string code;
  std::string title;
};

struct PlanDetail {
  PlanSummary plan;
  std::vector<Target> targets;   // in the plan's order
  std::vector<TaskGroup> groups;
  std::vector<Task> tasks;       // in the plan's order
};

// Thread-safe: holds no state but references; each call borrows its own connection.
class PlanService {
 public:
  PlanService(storage::Database& database, const units::UnitService& units, const kpi::KpiService& kpi,
              const Clock& clock)
      : database_(database), units_(units), kpi_(kpi), clock_(clock) {}

  // Stores a whole plan (targets, task groups, tasks, assignments) in one transaction with one audit record.
  // invalid_input (one message per field) for a bad date, an empty text, an unknown or invalid-that-day unit, an
  // unknown role, indicator or status, a share outside (0, 1], a target measured both or neither way, a repeated
  // task code or unit within a task; conflict when the issuing unit already has a plan with this number.
  Result<PlanSummary> create(const NewPlan& plan, const audit::Actor& actor);
  // One plan's summary (no targets, tasks or measurements). ErrorCode::not_found for an unknown id.
  Result<PlanSummary> summary(std::int64_t id) const;
  // Every plan, oldest issue date first.
  Result<std::vector<PlanSummary>> list() const;
  // One plan with its targets and tasks. A target linked to an indicator carries its current value for the
  // issuing unit: over the target's year, or the current year when that is earlier, up to today and never past
  // the issuing unit's last day (the district ends on 01/07/2025, so later years measure its last half-year).
  // ErrorCode::not_found for an unknown id.
  Result<PlanDetail> detail(std::int64_t id) const;
  // The plan the issuing unit issued with this number, if any.
  Result<std::optional<PlanSummary>> find_by_number(const std::string& issuing_unit_code,
                                                    const std::string& number) const;

 private:
  Result<std::optional<Measurement>> measure(const PlanSummary& plan, const Target& target,
                                             std::vector<kpi::KpiReport>& reports) const;

  storage::Database& database_;
  const units::UnitService& units_;
  const kpi::KpiService& kpi_;
  const Clock& clock_;
};

}  // namespace dvchub::plan
