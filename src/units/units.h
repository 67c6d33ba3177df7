// units/units.h — administrative units and agencies (đơn vị), dated and re-parentable.
//
// A unit has a permanent code, a kind and a validity period [valid_from, valid_to) — valid_to is the first day it no
// longer exists. Its name and parent may change over time: each period is a version. Merges, splits and
// dissolutions end units and record successor links; nothing is ever deleted, so any past day can be queried
// ("as of") and history can be rolled up to today's successors. Every change is audited in its own transaction.
//
// Effective dates: a change effective on day D applies from D on; D must be after the unit's latest change
// (history is appended, not rewritten).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::units {

// The kinds a unit can be. "district" is historical since the 2025 reform but kept for history.
const std::vector<std::string>& unit_kinds();
// Vietnamese label of a kind ("commune" → "Xã").
std::string kind_label(const std::string& kind);

struct Unit {
  std::int64_t id = 0;
  std::string code;
  std::string name;  // as of the queried day
  std::string kind;
  std::optional<std::string> parent_code;  // as of the queried day
  std::string valid_from;                  // ISO date
  std::optional<std::string> valid_to;     // ISO date, exclusive
  bool illustrative = false;               // demo data that is not a legal mapping
};

struct NewUnit {
  std::string code;
  std::string name;
  std::string kind;
  std::optional<std::string> parent_code;
  std::string valid_from;  // ISO date
  bool illustrative = false;
};

// One event in a unit's history, oldest first.
struct HistoryEvent {
  std::string date;         // ISO date
  std::string description;  // Vietnamese, e.g. "Đổi tên thành …"
};

struct Succession {
  std::string predecessor_code;
  std::string successor_code;
  std::string effective_date;
  std::string reason;  // merge | split | dissolve
};

struct ImportReport {
  std::size_t created = 0;
  std::size_t unchanged = 0;
  std::vector<FieldError> rejected;  // field = "dòng N", message = why
};

// Thread-safe: holds no state but references; each call borrows its own connection.
class UnitService {
 public:
  UnitService(storage::Database& database, const Clock& clock) : database_(database), clock_(clock) {}

  // Units valid on `as_of` (ISO date), optionally of one kind, ordered by code.
  Result<std::vector<Unit>> list(const std::string& as_of, const std::optional<std::string>& kind = {}) const;
  // One unit as of a day; not_found when the code is unknown. A unit not valid that day is still returned with
  // its latest name (valid_to tells the caller it has ended).
  Result<Unit> find(const std::string& code, const std::string& as_of) const;
  // Number of units valid on a day.
  Result<std::int64_t> count(const std::string& as_of) const;

  Result<Unit> create(const NewUnit& unit, const audit::Actor& actor);
  Result<Unit> rename(const std::string& code, const std::string& new_name, const std::string& effective_date,
                      const audit::Actor& actor);
  // Moves a unit under another parent (nullopt: top level) from `effective_date`. Refuses cycles.
  Result<Unit> move(const std::string& code, const std::optional<std::string>& new_parent_code,
                    const std::string& effective_date, const audit::Actor& actor);
  // Ends several units on `effective_date` and makes `target_code` their successor. The target either exists and
  // is valid that day, or is created from `new_target`. Children of the merged units move to the target.
  Result<Unit> merge(const std::vector<std::string>& codes, const std::string& target_code,
                     const std::optional<NewUnit>& new_target, const std::string& effective_date,
                     const audit::Actor& actor);
  // Ends a unit and creates `parts` as its successors. The unit must have no children on that day.
  Result<std::vector<Unit>> split(const std::string& code, const std::vector<NewUnit>& parts,
                                  const std::string& effective_date, const audit::Actor& actor);
  // Ends a unit. Its children move to `successor_code` when given (which also becomes its successor), else to the
  // unit's own parent.
  Result<void> dissolve(const std::string& code, const std::optional<std::string>& successor_code,
                        const std::string& effective_date, const audit::Actor& actor);

  // The units valid on `as_of` that carry on `code`'s work: itself if valid, else its successors, followed
  // transitively. Empty when the line ends with no successor.
  Result<std::vector<std::string>> successors_as_of(const std::string& code, const std::string& as_of) const;
  // Ids of the unit and all its descendants on `as_of`.
  Result<std::vector<std::int64_t>> subtree_ids(std::int64_t unit_id, const std::string& as_of) const;
  // Whether `unit_id` is `ancestor_id` or below it on `as_of`.
  Result<bool> is_within(std::int64_t unit_id, std::int64_t ancestor_id, const std::string& as_of) const;
  Result<std::vector<HistoryEvent>> history(const std::string& code) const;
  Result<std::vector<Succession>> successions(const std::string& code) const;

  // Imports CSV rows "code,name,kind,parent_code,valid_from[,valid_to]" (header row required; dates ISO or
  // dd/mm/yyyy). Rows whose code exists with the same data are counted unchanged; others are created in file order
  // (parents first). Bad rows are reported with their line and not stored; good rows are committed together.
  // `progress` is called with (rows done, rows total).
  Result<ImportReport> import_csv(const std::string& text, const audit::Actor& actor,
                                  const std::function<void(std::size_t, std::size_t)>& progress = {});

  // Today in Vietnam, ISO.
  std::string today() const;

 private:
  storage::Database& database_;
  const Clock& clock_;
};

// JSON object text of a unit, for API answers and audit records.
std::string unit_json(const Unit& unit);

}  // namespace dvchub::units
