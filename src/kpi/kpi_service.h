// kpi/kpi_service.h — the plan's indicators (Kế hoạch 51 section II.2) and the inputs of the 766 index, measured
// from the dossiers the provincial one-stop system exports. Definitions: docs/kpi.md.
//
// Storage (migrations/0004_kpi.sql, 0008_kpi_counters.sql): one compact row per dossier keyed by MaHoSo, plus
// additive counters per (unit, received day) updated in the import's transaction. The service keeps those counters
// in memory as running totals per unit (read again when kpi_revision changes), so a one-unit-one-year query or a
// ranking of thousands of units costs binary searches, not SQL. Counters are keyed by the dossier's own unit; the
// unit tree is applied when reading, so reorganisations need no recount. A change of the catalogue's
// CungCapTrucTuyen needs recount() (the CLI runs it after `import catalogue`).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "kpi/dossier_format.h"
#include "storage/database.h"

namespace dvchub::kpi {

// Rejections kept in a report; further ones are only counted.
inline constexpr std::size_t rejection_report_limit = 1000;

struct DossierImportReport {
  std::size_t rows_read = 0;
  std::size_t created = 0;      // new MaHoSo
  std::size_t replaced = 0;     // MaHoSo seen before (a newer snapshot of the dossier)
  std::size_t rejected_count = 0;
  std::vector<RowRejection> rejected;                    // the first rejection_report_limit, in file order
  std::map<std::string, std::size_t> unknown_units;      // MaDonVi not in the units → rows (rejected)
  std::map<std::string, std::size_t> unknown_procedures; // MaTTHC not in the catalogue → rows (kept, not full online)
};

struct PopulationImportReport {
  std::size_t rows_read = 0;
  std::size_t stored = 0;
  std::size_t rejected_count = 0;
  std::vector<RowRejection> rejected;
  std::map<std::string, std::size_t> unknown_units;
};

// The keys of the indicators, in display order: online_rate, full_online_rate, procedures_full_online_rate,
// on_time_rate, online_payment_rate, digitized_rate, e_result_rate, vneid_rate, adult_usage_rate, then those read
// from the feedback module (kpi/feedback_figures.h): satisfaction_rate, land_construction_investment_satisfaction_rate
// (surveys), feedback_on_time_rate, feedback_satisfaction_rate (feedback items and the ratings of their answers).
const std::vector<std::string>& indicator_keys();
// Vietnamese label of an indicator key ("Tỷ lệ hồ sơ trực tuyến toàn trình"); the key itself when unknown.
std::string indicator_label(const std::string& key);

// A plan target: `minimum` for the years [first_year, last_year] of the period's end.
struct Target {
  std::string indicator;
  int first_year = 0;
  int last_year = 0;
  double minimum = 0;
};
// The plan's targets (Kế hoạch 51 II.2, QĐ 1588): full_online_rate ≥ 0.80 (2025–2030), procedures_full_online_rate
// = 1.0 (2025–2030), adult_usage_rate ≥ 0.50 in 2025 and ≥ 0.70 in 2030, satisfaction_rate ≥ 0.90 and
// land_construction_investment_satisfaction_rate ≥ 0.85 (2025–2030).
std::vector<Target> plan_targets();

struct IndicatorValue {
  std::string key;
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<double> value;   // numerator / denominator; nullopt when the denominator is 0
  std::optional<double> target;  // the plan's target for the year of `to`, when there is one
  std::optional<bool> met;       // value ≥ target, when both exist
};

struct UnitSummary {
  std::string code;
  std::string name;  // as of the period's end
  std::string kind;
};

struct KpiReport {
  UnitSummary unit;
  DayNumber from = 0;
  DayNumber to = 0;
  std::vector<IndicatorValue> indicators;  // in indicator_keys() order
};

struct RankingEntry {
  std::int64_t rank = 0;  // 1 = best; units without a value share the last rank
  UnitSummary unit;
  IndicatorValue indicator;
};

// One indicator over every unit of a kind, best first; a page of it.
struct Ranking {
  std::optional<double> target;       // the plan's target for the year of `to` (the same for every unit)
  std::size_t unit_count = 0;         // the units ranked
  std::vector<RankingEntry> entries;  // the page asked for, ranked among all
};

struct SeriesPoint {
  DayNumber from = 0;  // the month's first day within the period
  DayNumber to = 0;    // its last day within the period
  IndicatorValue indicator;
};

// A unit's indicators beside those of the units directly under it (the staff drill-down).
struct Breakdown {
  KpiReport unit;
  std::vector<UnitSummary> path;     // the units above it on `to`, the top one first
  std::vector<KpiReport> children;   // the page of children asked for, by code
  std::size_t child_count = 0;       // every child on `to`
};

// How a component of the 766 index turns its ratio into points (kpi/index766.h): max_points × min(1, ratio /
// full_at). full_at = 1 is linear; 0.8 means "full points from 80 %".
struct ScoringCurve {
  std::string component;  // the portal's code, e.g. "ONLINE_DOSSIERS"
  double max_points = 0;
  double full_at = 1;
};

// Whether a dossier import may keep the store to itself. `exclusive` (the command line): on SQLite a first import
// into a store no other connection has open runs with the rollback journal instead of WAL (the new pages are
// written once, not into the WAL and again by the checkpoint), and other processes wait for it to finish. `shared`
// (the server's upload page): WAL, readers go on meanwhile.
enum class StoreAccess { shared, exclusive };

// Thread-safe: each call borrows its own connection; the counters and unit trees it keeps in memory are shared
// under a lock and read again from the store when it says they changed (another process may have imported).
class KpiService {
 public:
  KpiService(storage::Database& database, const Clock& clock, std::vector<Target> targets = plan_targets());
  ~KpiService();

  // Imports a dossier export (CSV or JSON Lines, see dossier_format.h) read in blocks. Every accepted row is
  // stored (a known MaHoSo is replaced) and counted in one transaction: after a failure or interruption the store
  // is as it was before the import. Rows with a bad value or an unknown MaDonVi are rejected and reported.
  // `input` is read, and `progress(bytes read)` called per block, on a second thread that the call starts and joins
  // (the caller must not touch `input` meanwhile). ErrorCode::invalid_input for a file that is not an export.
  Result<DossierImportReport> import_dossiers(std::istream& input,
                                              const std::function<void(std::size_t)>& progress = {},
                                              StoreAccess access = StoreAccess::shared);
  // Imports MaDonVi,Nam,DanSoTruongThanh rows (CSV or JSON Lines); a known (unit, year) is replaced. One
  // transaction; bad rows and unknown units are reported.
  Result<PopulationImportReport> import_population(std::istream& input,
                                                   const std::function<void(std::size_t)>& progress = {});
  // Rebuilds every counter from the stored dossiers and today's catalogue (after the catalogue changed).
  Result<void> recount();

  // Every indicator of `unit_code` (with the units under it on `to`, and the units they succeeded) for the
  // received days from..to inclusive. ErrorCode::not_found for an unknown unit, invalid_input when from > to.
  Result<KpiReport> report(const std::string& unit_code, DayNumber from, DayNumber to) const;
  // One indicator for every unit of `kind` valid on `to`, best first (ties by code; no value last); only the entries
  // from `offset`, `limit` at most, are returned, ranked among all. ErrorCode::invalid_input for an unknown indicator
  // or an empty kind.
  Result<Ranking> ranking(const std::string& indicator, DayNumber from, DayNumber to, const std::string& kind,
                          std::size_t offset = 0, std::size_t limit = std::numeric_limits<std::size_t>::max()) const;
  // One indicator of one unit for each calendar month overlapping from..to (the unit tree as of `to`).
  Result<std::vector<SeriesPoint>> series(const std::string& unit_code, const std::string& indicator, DayNumber from,
                                          DayNumber to) const;

  // Every indicator of `unit_code` and of the units directly under it on `to` (ordered by code; those from `offset`,
  // `limit` at most) for from..to, with the units above it. not_found for an unknown unit, invalid_input as report().
  Result<Breakdown> breakdown(const std::string& unit_code, DayNumber from, DayNumber to, std::size_t offset,
                              std::size_t limit) const;

  // The 766 scoring curves set in the store (table kpi_index766_curves), which replace the defaults of
  // default_index766_curves() component by component; empty when none is set.
  Result<std::vector<ScoringCurve>> scoring_curves() const;

  // Whether a dossier with this MaHoSo is stored.
  Result<bool> has_dossier(const std::string& dossier_code) const;
  // The code of the first top-level unit (no parent) valid on `day`, by code: what a dashboard shows by default.
  // ErrorCode::not_found when there is none.
  Result<std::string> top_unit_code(DayNumber day) const;

  // Today in Vietnam as a day number.
  DayNumber today() const;
  const std::vector<Target>& targets() const { return targets_; }

 private:
  struct Cache;
  storage::Database& database_;
  const Clock& clock_;
  std::vector<Target> targets_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace dvchub::kpi
