// kpi/kpi_routes.h — the KPI API (/api/v1/kpi, /api/v1/kpi/ranking, /api/v1/kpi/series), the public dashboard
// /chi-so with server-rendered SVG charts, and its CSV exports.
#pragma once

#include "http/router.h"
#include "kpi/kpi_service.h"

namespace dvchub::kpi {

// Registers the KPI routes (all public: the indicators are published). `kpi` must outlive the router.
// The dashboard shows the top-level unit (KpiService::top_unit_code) when no unit is asked for.
void register_kpi_routes(http::Router& router, KpiService& kpi);

}  // namespace dvchub::kpi
