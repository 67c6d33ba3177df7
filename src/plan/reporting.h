// plan/reporting.h — what units record against a plan and the reporting cycle (Kế hoạch 51 VI.1, VI.7, IV.3.h).
//
// Units record *activities* against the plan's tasks and *reported measures* (numerator and denominator of the
// targets measured by what units report) per year. The lead office opens *report periods* (yearly, due on the
// plan's yearly day, 08/12 for Mỹ Tú; or ad hoc); each reporting unit's report is pre-filled from its activities,
// its measures and its KPI figures (kpi::KpiService), edited, submitted, then accepted or returned with comments.
// The compiled report adds the accepted reports up per task and per target and proposes commendations by the rule
// in docs/plan.md.
//
// Units that carry a plan on a day: every unit assigned a task, or the units that carry on its work that day
// (units::UnitService::successors_as_of), so the communes merged on 01/07/2025 report for their predecessors.
// Officers act for their unit and the units beneath it (and for ended units those carry on); coordinators and
// admins for every unit; viewers read. Every change is audited. Storage: migrations/0007_plan_reporting.sql.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/message.h"
#include "kpi/kpi_service.h"
#include "plan/plan_service.h"
#include "storage/database.h"
#include "units/units.h"

namespace dvchub::plan {

// Activity kinds in display order: news_article, radio_broadcast, social_media_post, video, infographic,
// banner_poster, conference_training, contest, door_to_door_support, sms_campaign, other.
const std::vector<std::string>& activity_kinds();
// Vietnamese label of an activity kind ("contest" → "Cuộc thi"); the kind itself when unknown.
std::string activity_kind_label(const std::string& kind);
// Funding sources of section V: none, state_budget, sponsorship, other.
const std::vector<std::string>& funding_sources();
// Vietnamese label of a funding source; the key itself when unknown.
std::string funding_source_label(const std::string& source);
// Vietnamese label of a report status: not_started, draft, submitted, returned, accepted.
std::string report_status_label(const std::string& status);

// Limits on what units type, checked with one Vietnamese message per field.
inline constexpr std::size_t activity_title_limit = 300;   // characters (UTF-8 code points)
inline constexpr std::size_t place_limit = 200;
inline constexpr std::size_t evidence_link_limit = 10;     // links per activity
inline constexpr std::size_t evidence_link_length = 500;   // bytes per link
inline constexpr std::int64_t count_limit = 10'000'000;    // quantity, reach, measures
inline constexpr std::int64_t cost_limit = 100'000'000'000;  // VND
inline constexpr std::size_t report_text_limit = 20'000;   // characters per report text
inline constexpr std::size_t evidence_file_limit = 3 * 1024 * 1024;  // bytes per evidence file
inline constexpr std::size_t evidence_files_per_activity = 5;
inline constexpr int reminder_days = 7;  // units without a submission are reminded this many days before the due day

struct ActivityInput {
  std::string task_code;  // "IV.1.a"
  std::string unit_code;
  std::string kind;
  std::string title;
  std::string occurred_on;  // ISO date, not after today
  std::string place;
  std::int64_t quantity = 1;
  std::int64_t audience = 0;  // viewers, listeners
  std::int64_t officials = 0;
  std::int64_t team_members = 0;
  std::int64_t students = 0;
  std::int64_t citizens = 0;
  std::int64_t cost_vnd = 0;
  std::string funding_source = "none";  // must not be "none" when cost_vnd > 0
  std::vector<std::string> evidence_links;  // http:// or https://
};

// A file attached to an activity as evidence.
struct EvidenceFile {
  std::int64_t id = 0;
  std::int64_t activity_id = 0;
  std::string file_name;   // as uploaded, without folders or control characters
  std::string media_type;  // application/pdf, image/png or image/jpeg, detected from the bytes
  std::int64_t size_bytes = 0;
};

struct Activity {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  ActivityInput input;
  std::string unit_name;  // as of occurred_on
  std::vector<EvidenceFile> files;  // filled by activities() and activity()
  std::int64_t participants() const {
    return input.officials + input.team_members + input.students + input.citizens;
  }
};

struct ActivityFilter {
  std::optional<std::string> unit_code;
  std::optional<std::string> task_code;
  std::optional<std::string> from;  // ISO dates, inclusive
  std::optional<std::string> to;
};

struct MeasureInput {
  std::string target_key;
  int target_year = 0;  // the target's year (targets are keyed by key and year)
  std::string unit_code;
  int year = 0;          // the year the figures describe
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
};

struct Measure {
  MeasureInput input;
  std::string unit_name;
  std::string numerator_label;
  std::string denominator_label;
};

struct PeriodInput {
  std::string kind = "yearly";  // yearly | ad_hoc
  std::optional<int> year;      // yearly: the year (01/01–31/12), due on the plan's yearly day of that year
  std::string title;            // ad hoc: required; yearly: "Năm YYYY" when empty
  std::string starts_on;        // ad hoc: ISO dates
  std::string ends_on;
  std::string due_on;           // yearly: optional, overrides the plan's day; ad hoc: required
};

struct Period {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  std::string kind;
  std::string title;
  std::string starts_on;
  std::string ends_on;
  std::string due_on;
};

struct ReportTask {
  std::int64_t task_id = 0;
  std::string section_code;
  std::int64_t activities = 0;
  std::int64_t participants = 0;
  std::int64_t audience = 0;
  std::int64_t cost_vnd = 0;
  std::string summary;  // quantities by kind: "Tin, bài: 3; Hội nghị, tập huấn: 1"
};

// What units did for one task, as the public plan page shows it: every recorded activity, no names, costs or
// evidence.
struct TaskProgress {
  std::string section_code;
  std::int64_t activities = 0;
  std::int64_t units = 0;         // units that recorded at least one activity
  std::int64_t participants = 0;  // officials, team members, students, citizens
  std::int64_t audience = 0;      // viewers and listeners
  std::string summary;            // quantities by kind: "Tin, bài: 3; Hội nghị, tập huấn: 1"
};

struct ReportValue {
  std::string key;  // a target's "key/year" ("team_members_trained/2025") or a KPI indicator key
  std::string label;
  bool indicator = false;
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<double> value() const {
    if (denominator == 0) return std::nullopt;
    return double(numerator) / double(denominator);
  }
};

struct Report {
  std::optional<std::int64_t> id;  // nullopt: not stored yet (a pre-filled preview)
  Period period;
  std::string unit_code;
  std::string unit_name;
  std::string status = "not_started";  // not_started, draft, submitted, returned, accepted
  std::string results;
  std::string difficulties;
  std::string proposals;
  TimePoint figures_at;
  std::optional<TimePoint> submitted_at;
  bool late = false;  // submitted after the due day, or not submitted and the due day has passed
  std::optional<TimePoint> reviewed_at;
  std::string review_comment;
  std::vector<ReportTask> tasks;    // tasks with activities, in the plan's order
  std::vector<ReportValue> values;  // reported measures (plan order), then KPI indicators
};

struct ReportTexts {
  std::string results;
  std::string difficulties;
  std::string proposals;
};

// One line of the status board.
struct ReportStatus {
  std::string unit_code;
  std::string unit_name;
  std::string status;
  std::optional<TimePoint> submitted_at;
  bool late = false;
  std::optional<TimePoint> reminded_at;   // send_notices() reminded the unit before the due day
  std::optional<TimePoint> escalated_at;  // … and told the lead office after it
};

struct CompiledUnitWork {
  std::string unit_code;
  std::string unit_name;
  ReportTask figures;
};

struct CompiledTask {
  std::string section_code;
  std::string text;  // the task's first line
  std::vector<CompiledUnitWork> units;  // by unit code
};

struct CompiledTarget {
  Target target;
  std::int64_t numerator = 0;  // summed over accepted reports
  std::int64_t denominator = 0;
  std::int64_t reporting_units = 0;  // reports that gave the figure
  std::optional<double> value;
  std::optional<bool> met;
};

struct UnitText {
  std::string unit_name;
  std::string text;
};

struct Commendation {
  int rank = 0;
  std::string unit_code;
  std::string unit_name;
  std::optional<double> online_rate;
  std::int64_t reach = 0;  // participants and audience
  std::int64_t activities = 0;
};

// A unit with an accepted report, as the commendation rule sees it.
struct CommendationCandidate {
  std::string unit_code;
  std::string unit_name;
  bool late = false;  // submitted after the due day
  std::int64_t activities = 0;
  std::int64_t reach = 0;
  std::optional<double> online_rate;  // online dossiers / dossiers over the period; nullopt without dossiers
};

// The commendation rule of IV.3.h ("tỷ lệ thực hiện DVCTT cao nhất, … tuyên truyền, thu hút giỏi nhất"), as
// documented in docs/plan.md: candidates submitted on time with at least one activity, ordered by online-dossier
// rate (those without dossiers after every rated one), then reach, then activities, then unit code; the first
// third, rounded up, ranked from 1.
std::vector<Commendation> propose_commendations(std::vector<CommendationCandidate> candidates);

struct CompiledReport {
  PlanSummary plan;
  Period period;
  std::vector<ReportStatus> board;
  std::vector<CompiledTask> tasks;  // every task, in the plan's order
  std::vector<CompiledTarget> targets;
  std::vector<UnitText> difficulties;
  std::vector<UnitText> proposals;
  std::vector<Commendation> commendations;  // proposed, best first
  std::int64_t activities = 0;
  std::int64_t cost_vnd = 0;
};

// Thread-safe: holds no state but references; each call borrows its own connection.
class ReportingService {
 public:
  ReportingService(storage::Database& database, const units::UnitService& units, const kpi::KpiService& kpi,
                   const PlanService& plans, const Clock& clock)
      : database_(database), units_(units), kpi_(kpi), plans_(plans), clock_(clock) {}

  // Records an activity. invalid_input (one message per field) for an unknown task, kind or funding source, a unit
  // not carrying the task on that day, a date that is not a day up to today, empty or overlong texts, counts
  // outside [0, count_limit] (quantity ≥ 1), a cost outside [0, cost_limit] or without a funding source, more than
  // evidence_link_limit links or one that is not http(s); forbidden when `principal` may not write for the unit;
  // not_found for an unknown plan. Audited.
  Result<Activity> record_activity(std::int64_t plan_id, const ActivityInput& input,
                                   const http::Principal& principal, const audit::Actor& actor);
  // Replaces an activity (same checks, for the old and the new unit). not_found for an unknown id. Audited.
  Result<Activity> update_activity(std::int64_t activity_id, const ActivityInput& input,
                                   const http::Principal& principal, const audit::Actor& actor);
  // Deletes an activity recorded in error, with its evidence files (the audit record keeps the activity). Refused (conflict) once a submitted or
  // accepted report of the unit covers its day. Audited.
  Result<void> delete_activity(std::int64_t activity_id, const http::Principal& principal, const audit::Actor& actor);
  // Attaches an evidence file to an activity. The type is detected from the bytes (PDF, PNG or JPEG; what the client
  // declares is not trusted); invalid_input for another type, an empty file, one over evidence_file_limit bytes or
  // an activity that already has evidence_files_per_activity files; forbidden unless the principal may write for
  // the activity's unit; not_found for an unknown activity. The name keeps its last path segment, without control
  // characters, at most 120 characters. Audited (without the bytes).
  Result<EvidenceFile> attach_file(std::int64_t activity_id, const std::string& file_name, const std::string& bytes,
                                   const http::Principal& principal, const audit::Actor& actor);
  // One evidence file with its bytes, when the principal may read the activity. not_found for an unknown file or a
  // file of another activity.
  Result<std::pair<EvidenceFile, std::string>> evidence_file(std::int64_t activity_id, std::int64_t file_id,
                                                             const http::Principal& principal) const;
  // Activities of a plan the principal may read (officers: their units), newest day first.
  // Per task of plan `plan_id` with at least one activity, in the plan's order: what every unit recorded (public).
  Result<std::vector<TaskProgress>> progress(std::int64_t plan_id) const;

  Result<std::vector<Activity>> activities(std::int64_t plan_id, const ActivityFilter& filter,
                                           const http::Principal& principal) const;
  Result<Activity> activity(std::int64_t activity_id, const http::Principal& principal) const;

  // Sets a unit's reported measure for a year (replacing it). invalid_input for a target that is not a reported
  // measure of the plan, a unit that does not carry the plan, a year outside [2000, 2100], counts outside
  // [0, count_limit] or a numerator above the denominator; forbidden as for activities. Audited.
  Result<Measure> set_measure(std::int64_t plan_id, const MeasureInput& input, const http::Principal& principal,
                              const audit::Actor& actor);
  // The measures of a plan for a year that the principal may read, by target order then unit code.
  Result<std::vector<Measure>> measures(std::int64_t plan_id, int year, const http::Principal& principal) const;

  // Whether `principal` may act for the unit `unit_code`: coordinators and admins for every unit (and any code, so
  // that validation names an unknown one), officers for their unit, the units beneath it today and ended units whose
  // work those carry on; viewers never.
  Result<bool> may_write(const http::Principal& principal, const std::string& unit_code) const;
  // The units carrying the plan today that `principal` may write for (officers: their units), by code.
  Result<std::vector<units::Unit>> writable_units(std::int64_t plan_id, const http::Principal& principal) const;

  // Opens a report period (coordinators and admins). Yearly: 01/01–31/12 of `year`, due on `due_on` or the plan's
  // yearly day of that year; ad hoc: the given days and title. invalid_input for bad days (start after end), a
  // missing title or year; conflict when the plan has a period with that title. Audited.
  Result<Period> open_period(std::int64_t plan_id, const PeriodInput& input, const http::Principal& principal,
                             const audit::Actor& actor);
  Result<std::vector<Period>> periods(std::int64_t plan_id) const;
  Result<Period> period(std::int64_t period_id) const;
  // The units that report for a period: the units carrying the plan on its due day, by code.
  Result<std::vector<units::Unit>> reporting_units(const Period& period) const;
  // The status board: every reporting unit with its report's status; late when the due day (Vietnam, from the
  // injected clock) has passed without a submission, or the submission came after it. Officers see their units.
  Result<std::vector<ReportStatus>> board(std::int64_t period_id, const http::Principal& principal) const;

  // A unit's report for a period; when none is stored, a preview pre-filled from the unit's activities in the
  // period (its own and its predecessors'), its reported measures for the period's last year, and its KPI
  // figures over the period up to today. invalid_input for a unit that does not report for the period.
  Result<Report> report(std::int64_t period_id, const std::string& unit_code, const http::Principal& principal) const;
  // Saves the texts of a draft or returned report, storing it (pre-filled) when new; `refresh_figures` takes the
  // figures again. conflict once submitted or accepted; forbidden unless the principal may write for the unit.
  Result<Report> save_report(std::int64_t period_id, const std::string& unit_code, const ReportTexts& texts,
                             bool refresh_figures, const http::Principal& principal, const audit::Actor& actor);
  // Submits a draft or returned report (the results text must not be empty); records whether it is late.
  Result<Report> submit_report(std::int64_t period_id, const std::string& unit_code, const http::Principal& principal,
                               const audit::Actor& actor);
  // The lead office accepts (`accept`) or returns a submitted report; a return needs a comment. Coordinators and
  // admins only (forbidden otherwise); conflict unless the report is submitted.
  Result<Report> review_report(std::int64_t period_id, const std::string& unit_code, bool accept,
                               const std::string& comment, const http::Principal& principal,
                               const audit::Actor& actor);

  // Reminders and escalation, on the injected clock: every unit of a period without a submitted or accepted report
  // is reminded once from reminder_days before the due day until it, and escalated to the lead office once after
  // the due day. Each notice is stored (the board shows it) and audited (plan_report.remind, plan_report.escalate);
  // several processes may run this at once, a notice is still recorded once. Each notice is also queued in the
  // same transaction (notification module: in-app and e-mail): reminders to the unit's active officers (the
  // coordinators when it has none), escalations to the coordinators. Returns the notices recorded now.
  Result<int> send_notices(const audit::Actor& actor);

  // The compiled report of a period from its accepted reports (staff who read every unit: coordinators, admins,
  // viewers; forbidden for officers): per task what each unit did, per target the value against the target,
  // difficulties and proposals, and the commendations (docs/plan.md, IV.3.h): units with an accepted report
  // submitted on time and at least one activity, ordered by online-dossier rate (units without dossiers last),
  // then reach, then activities, then code; the first third (rounded up) are proposed.
  Result<CompiledReport> compile(std::int64_t period_id, const http::Principal& principal) const;

  // Today in Vietnam (ISO), from the injected clock.
  std::string today() const;

 private:
  struct Carriers;
  Result<Carriers> carriers(std::int64_t plan_id, const std::optional<std::int64_t>& task_id,
                            const std::string& day) const;
  Result<bool> may_read(const http::Principal& principal, const std::string& unit_code) const;
  Result<std::int64_t> validate_activity(storage::Connection& connection, std::int64_t plan_id,
                                         const ActivityInput& input, std::int64_t& unit_id) const;
  Result<Report> prefill(const Period& period, const units::Unit& unit) const;
  // Queues the notification of a reminder or escalation (`kind`) of `unit` for `period`, in the caller's transaction.
  Result<void> queue_notice(storage::Connection& connection, const Period& period, const units::Unit& unit,
                            const std::string& kind) const;
  Result<std::optional<Report>> load_report(storage::Connection& connection, const Period& period,
                                            const units::Unit& unit) const;
  Result<Report> change_report(std::int64_t period_id, const std::string& unit_code, const audit::Actor& actor,
                               const std::string& action,
                               const std::function<Result<void>(storage::Connection&, Report&)>& change);

  storage::Database& database_;
  const units::UnitService& units_;
  const kpi::KpiService& kpi_;
  const PlanService& plans_;
  const Clock& clock_;
};

}  // namespace dvchub::plan
