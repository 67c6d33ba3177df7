// kpi/demo_dossiers.h — the demo's dossiers: about 20,000 generated (synthetic) dossiers received in 2025 by the
// demo communes, and their adult population, so the dashboard has something to show.
#pragma once

#include <vector>

#include "core/error.h"
#include "kpi/dossier_generator.h"
#include "kpi/kpi_service.h"

namespace dvchub::kpi {

// Adds the demo dossiers unless they are there already (idempotent: checks the first demo MaHoSo). January–June
// go to the district's communes and town, July–December to the illustrative merged communes that carry them on.
// `procedures` are the catalogue's (at least one). Deterministic. Returns the number of dossiers added.
Result<std::size_t> seed_demo_dossiers(KpiService& kpi, const std::vector<GeneratorProcedure>& procedures);

}  // namespace dvchub::kpi
