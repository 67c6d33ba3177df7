// feedback/feedback_service.h — citizens' feedback (phản ánh, kiến nghị): submission, tracking, the staff workflow
// with deadlines in working days, publication with personal data masked, and ratings of published answers.
//
// Workflow (docs/feedback.md): received → classified (or rejected with a reason, or transferred to the competent
// unit) → assigned → drafted → approved → published; "not satisfied" re-opens a published item as assigned.
// Deadlines: classify within 2 working days of receipt, answer within 15 of classification, publish within 2 of
// approval. Every step is written with its audit record in one transaction.
//
// Thread-safe: every call borrows its own connection. `database`, `units`, `calendar` and `clock` must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "calendar/working_calendar.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/message.h"
#include "storage/database.h"
#include "feedback/deadline_rules.h"
#include "storage/group_commit.h"
#include "units/units.h"

namespace dvchub::feedback {

inline constexpr std::size_t maximum_body_characters = 4000;
inline constexpr std::size_t maximum_title_characters = 200;

// Abuse reports pending review that hide a published item until a moderator decides (FixMyStreet's rule).
inline constexpr int abuse_reports_to_hide = 3;

// What a citizen sends. Optional texts are empty when absent.
struct Submission {
  std::string kind;     // question, complaint, suggestion, report
  std::string subject;  // procedure, conduct, technical, other
  std::string title;
  std::string body;
  std::string unit_code;
  std::string procedure_code;
  std::string dossier_code;
  std::string contact_name;
  std::string contact_phone;
  std::string contact_email;
  bool consent_publish = false;
};

struct Receipt {
  std::int64_t id = 0;
  std::string tracking_code;  // 8 characters, e.g. "K7QM3XPA"
  std::string status;
  TimePoint due_at;
};

struct Event {
  TimePoint occurred_at;
  std::string step;  // received, classified, rejected, transferred, assigned, drafted, approved, published, rated,
                     // reopened, escalated, noted, extended, reported, hidden, restored
  bool is_public = false;
  std::string note;  // a reason or comment; masked in public views
  std::string actor;
};

// An item as staff see it (contact included) or as the public sees it (texts masked, contact empty).
struct Item {
  std::int64_t id = 0;
  std::string tracking_code;
  std::string kind;
  std::string subject;
  std::string title;
  std::string body;
  std::string unit_code;  // "" when not yet known
  std::string unit_name;
  std::string procedure_code;
  std::string dossier_code;
  std::string contact_name;
  std::string contact_phone;
  std::string contact_email;
  bool consent_publish = false;
  std::string status;
  TimePoint received_at;
  TimePoint due_at;  // of the current step
  std::optional<TimePoint> answer_due_at;
  std::string answer;  // staff: the draft too; public: only once published
  std::optional<TimePoint> answered_at;
  std::optional<bool> answered_on_time;
  std::optional<TimePoint> published_at;
  std::string rejection_reason;
  bool extended = false;        // the answer deadline was extended (once at most)
  std::string hidden_reason;    // not empty: hidden from every public view, and why
  std::int64_t pending_abuse_reports = 0;  // staff views only
  bool overdue = false;  // an open step past its deadline now
  std::vector<Event> events;  // oldest first; public views hold public events only
};

// A step a staff member takes on an item. `note` adds a private note (any status); `extend` moves the answer
// deadline once, with a public reason; `hide` and `restore` moderate (coordinators and admins only); `merge` closes a
// duplicate, pointing its sender to the item whose tracking code is the request's text.
enum class Step { classify, reject, transfer, assign, draft, approve, publish, note, extend, hide, restore, merge };

// The wire name of a step ("classify", …) and back; nullopt for an unknown name.
const char* step_name(Step step);
std::optional<Step> parse_step(std::string_view name);

struct StepRequest {
  Step step = Step::classify;
  std::string unit_code;  // classify (optional), transfer and assign (required)
  std::string text;       // reject, transfer, extend, hide: the reason; draft: the answer; note: the note;
                          // merge: the tracking code of the item it duplicates
};

struct QueueFilter {
  std::string status;     // "" any open status; "all"; "reported" (abuse reports pending or hidden); or one status
  std::string unit_code;  // "" every unit the principal may see
  bool overdue_only = false;
  int limit = 200;
};

struct PublicQuery {
  std::string query;      // words, matched accent-insensitively
  std::string unit_code;
  int page = 1;           // 1-based, 20 per page
};

// Searches count their matches up to this many; beyond it the total says "at least" (counting every match of a
// common word among a million answers would cost more than the page itself).
inline constexpr std::int64_t maximum_counted_matches = 1000;

struct PublicPage {
  std::vector<Item> items;
  std::int64_t total = 0;
  bool total_is_minimum = false;  // a search with more than maximum_counted_matches matches
  int page = 1;
  int page_size = 20;
};

// Open311 GET requests: items whose senders agreed to publication, any status.
struct RequestFilter {
  std::vector<std::string> tracking_codes;  // when not empty, overrides everything else
  std::vector<std::string> subjects;        // service codes; empty: all
  std::optional<TimePoint> start;           // received at or after
  std::optional<TimePoint> end;             // received at or before
  std::optional<bool> open;                 // true: open statuses, false: published or rejected
  int limit = 1000;
};

struct Statistics {
  std::int64_t received = 0;
  std::int64_t rejected = 0;
  std::int64_t answered = 0;           // approved or published (answered_at set)
  std::int64_t answered_on_time = 0;
  std::int64_t published = 0;
  std::int64_t overdue = 0;            // open and escalated past the current step's deadline (within a minute)
  std::optional<double> average_working_days_to_answer;
  std::int64_t ratings = 0;
  std::int64_t satisfied = 0;
  std::optional<double> satisfied_share;  // satisfied / ratings
};

// One unit's line of the league table: its figures and the shares it is ranked by.
struct LeagueRow {
  std::string unit_code;  // "" for items without a unit yet
  std::string unit_name;
  Statistics statistics;
  std::optional<double> on_time_share;  // answered on time / answered
};

// Creates tracking codes; the default draws from the operating system's CSPRNG. Tests may inject their own.
using TrackingCodeSource = std::function<std::string()>;

// 8 characters from "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" (no 0/O, 1/I), 40 random bits from the OS CSPRNG.
std::string random_tracking_code();

// The stored form of a code a person typed: upper case, spaces and hyphens removed. "k7qm-3xpa" → "K7QM3XPA".
std::string canonical_tracking_code(std::string_view typed);

// "K7QM-3XPA": how a code is shown and read out.
std::string display_tracking_code(std::string_view code);

// The Vietnamese label of a status ("Đã tiếp nhận", …), kind, subject or event step; the value itself if unknown.
std::string status_label(std::string_view status);
std::string kind_label(std::string_view kind);
std::string subject_label(std::string_view subject);
std::string step_label(std::string_view step);

class FeedbackService {
 public:
  FeedbackService(storage::Database& database, units::UnitService& units, calendar::WorkingCalendar& calendar,
                  const Clock& clock, TrackingCodeSource tracking_codes = random_tracking_code,
                  Deadlines deadlines = {})
      : database_(database), units_(units), calendar_(calendar), clock_(clock),
        tracking_codes_(std::move(tracking_codes)), deadline_rules_(database, clock, deadlines),
        submissions_(std::make_unique<storage::GroupCommitter>(database)) {}

  // The working-day deadlines per kind and subject that every step uses (administrators edit them).
  DeadlineRuleService& deadline_rules() { return deadline_rules_; }

  // Validates and stores a submission with its "received" event, due in its rule's classify working days; returns
  // once it is durable (committed together with concurrent submissions). ErrorCode::invalid_input with one
  // Vietnamese message per bad field (nothing stored).
  Result<Receipt> submit(const Submission& submission, const audit::Actor& actor);

  // The public view of the item with that tracking code (any spelling canonical_tracking_code accepts).
  // ErrorCode::not_found for an unknown code.
  Result<Item> track(std::string_view tracking_code) const;

  // Items `principal` may see (officers: their unit and those beneath it; coordinators, admins, viewers: all),
  // most urgent first. ErrorCode::forbidden for an officer without a unit.
  Result<std::vector<Item>> queue(const http::Principal& principal, const QueueFilter& filter) const;

  // The staff view of one item with every event. not_found, or forbidden when the principal may not read it.
  Result<Item> item(std::int64_t id, const http::Principal& principal) const;

  // Takes one workflow step. invalid_input for a missing unit or text (per field), conflict when the item's
  // status does not allow the step (or the approver drafted the answer and is not a coordinator), forbidden when
  // the principal may not write the item's unit (items without a unit: coordinators only). Returns the new state.
  Result<Item> take_step(std::int64_t id, const StepRequest& request, const http::Principal& principal,
                         const audit::Actor& actor);

  // Assigns each of `ids` (at most 200) to `unit_code`: items just received are classified into it, classified or
  // assigned ones (re)assigned; each in its own transaction with the same checks as take_step. Returns one result
  // per id, in order (an item that cannot be assigned does not stop the others).
  std::vector<Result<Item>> assign_many(const std::vector<std::int64_t>& ids, const std::string& unit_code,
                                        const http::Principal& principal, const audit::Actor& actor);

  // Escalates every open item past its current deadline to the coordinators, once per deadline: an internal
  // "escalated" event in the item's history and an audit record; coordinators see all overdue items in their queue.
  // Run periodically; idempotent for a given clock reading. Returns the number of items escalated now.
  // Notifies the coordinators too (notification module: in-app and e-mail, once per deadline).
  Result<int> escalate_overdue(const audit::Actor& actor);

  // Reminds, once per deadline, every open item with at most one working day left before its current deadline
  // (due by the end of the next working day, not yet past): an in-app notification and an e-mail (notification
  // module) to the active officers of the item's unit, or the coordinators when it has none or no unit, and an
  // audit record ("feedback.remind"). Run periodically, from several processes if need be. Returns the number of
  // items reminded now. (feedback_notices.cpp)
  Result<int> remind_due_soon(const audit::Actor& actor);

  // Reports `tracking_code`'s published item as abusive or as exposing someone. `reporter_address` counts once per
  // item. At abuse_reports_to_hide pending reports the item is hidden until a moderator hides it for good or
  // restores it. invalid_input without a reason (or one over 1,000 characters), conflict when the item is not
  // published, not_found for an unknown code. Returns the number of pending reports.
  Result<std::int64_t> report_abuse(std::string_view tracking_code, const std::string& reason,
                                    const std::string& reporter_address, const audit::Actor& actor);

  // Published answers the citizen agreed to publish, newest first, texts masked.
  Result<PublicPage> published(const PublicQuery& query) const;

  // Up to `limit` published answers (public views) most similar to `text`: the share of its distinct folded words
  // (common function words left out) found in an item's masked text, adjacent word pairs counting double; items
  // matching less than half of the words are left out. For "did someone ask this already?" before filing.
  Result<std::vector<Item>> similar(std::string_view text, int limit = 5) const;

  // Items for Open311 (public views, texts masked), newest first, at most `filter.limit`.
  Result<std::vector<Item>> public_requests(const RequestFilter& filter) const;

  // Rates the published answer of `tracking_code`. Not satisfied re-opens the item for its unit (assigned, a new
  // answer due in its rule's answer working days) with the comment as the public reason. conflict when the item is
  // not published; not_found for an unknown code.
  Result<Item> rate(std::string_view tracking_code, bool satisfied, const std::string& comment,
                    const audit::Actor& actor);

  // Every unit with items received in [from, to] (Vietnam dates, inclusive), by the unit that holds them now, ranked
  // by on-time share, then satisfied share, then items received (units without answers last). From the counters.
  Result<std::vector<LeagueRow>> league(std::chrono::year_month_day from, std::chrono::year_month_day to) const;

  // Figures for items received in [from, to] (Vietnam dates, inclusive) by `unit_code` and the units beneath it
  // ("" every unit). not_found for an unknown unit.
  Result<Statistics> statistics(const std::string& unit_code, std::chrono::year_month_day from,
                                std::chrono::year_month_day to) const;

 private:
  Result<Item> load(storage::Connection& connection, std::int64_t id, bool with_private_events) const;
  // Whether `principal` may read (or, with `write`, change) an item of unit `unit_id` (nullopt: not yet known,
  // coordinators and admins only for writes, every staff member but officers for reads).
  Result<bool> may_act(const http::Principal& principal, const std::optional<std::int64_t>& unit_id,
                       bool write) const;
  // Queues the escalation notice of item `item_id` for its deadline `due_at`, in the caller's transaction.
  Result<void> notify_escalation(storage::Connection& connection, std::int64_t item_id, TimePoint due_at) const;
  // The id of unit `code` today, or invalid_input on `field`.
  Result<std::int64_t> unit_id_of(const std::string& code, const char* field) const;

  storage::Database& database_;
  units::UnitService& units_;
  calendar::WorkingCalendar& calendar_;
  const Clock& clock_;
  TrackingCodeSource tracking_codes_;
  DeadlineRuleService deadline_rules_;
  std::unique_ptr<storage::GroupCommitter> submissions_;  // citizens' submissions, committed in groups
};

}  // namespace dvchub::feedback
