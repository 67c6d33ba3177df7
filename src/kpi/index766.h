// kpi/index766.h — an ESTIMATE of a unit's score under the Decision 766 index (Bộ chỉ số 766 as DVCQG applies
// it: six groups, 100 points), from what dvchub knows: the dossier exports and the procedure catalogue. Components
// whose ratio is one of the KPI indicators are scored with a curve kept as data; the others (publication dates,
// DVCQG sync counts, feedback and ratings on the portal, payment integration per procedure) are listed as not
// estimated with their points. Some curves are inferred by third parties from published points. This is never the
// official score: every answer carries `estimate: true` and the pages say so. Sources: docs/kpi.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kpi/kpi_service.h"

namespace dvchub::kpi {

// One component of the index, as dvchub knows it.
struct Index766Component {
  std::string code;       // the portal's code (ours where the portal publishes none: DOSSIER_ON_TIME)
  std::string group;      // cong_khai, tien_do, dvctt, so_hoa, thanh_toan, hai_long
  std::string label;      // Vietnamese
  bool estimated = false;  // whether dvchub computes its ratio
  std::string note;       // how the ratio is approximated, or why it is not estimated (Vietnamese)
};

// Every component of the six groups, in the portal's order.
const std::vector<Index766Component>& index766_components();
// The Vietnamese label of a group key ("tien_do" → "Tiến độ giải quyết"); the key itself when unknown.
std::string index766_group_label(const std::string& group);
// The default curves: maxima and caps from shared/docs/reference/index-766-and-dossiers.md §1.3 (verified or
// inferred there), one per component, estimated or not.
std::vector<ScoringCurve> default_index766_curves();

struct EstimatedComponent {
  Index766Component component;
  ScoringCurve curve;
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<double> ratio;   // nullopt when not estimated or the denominator is 0
  std::optional<double> points;  // curve applied to ratio
};

struct Index766Estimate {
  std::vector<EstimatedComponent> components;  // index766_components() order
  double points = 0;             // the sum of the points of the components with a ratio
  double estimated_maximum = 0;  // the sum of the maxima of those components
  double maximum = 0;            // the sum of every component's maximum (100 with the default curves)
};

// Scores `report` (every indicator of one unit and period, KpiService::report) with `curves` (a component
// without a curve keeps its default; KpiService::scoring_curves() gives the store's). Pure: the same inputs give the same estimate.
Index766Estimate estimate_index766(const KpiReport& report, const std::vector<ScoringCurve>& curves);

}  // namespace dvchub::kpi
