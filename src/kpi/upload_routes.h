// kpi/upload_routes.h — the staff upload page for the KPI module's imports (/quan-tri/chi-so/nhap-du-lieu): dossier
// exports, the procedure catalogue and adult population, sent as multipart/form-data by a page that works without
// JavaScript, imported with the same services and rules as `dvchub import`, answered with the accepted and rejected
// counts and every kept rejected row (line, field, reason). Coordinators and administrators only: an import changes
// every unit's figures.
#pragma once

#include <cstddef>

#include "catalogue/catalogue.h"
#include "http/router.h"
#include "kpi/kpi_service.h"

namespace dvchub::kpi {

// The largest file the page takes (bigger exports go through `dvchub import`, which streams them).
inline constexpr std::size_t upload_file_limit = 64 * 1024 * 1024;

// Registers GET and POST /quan-tri/chi-so/nhap-du-lieu. `kpi` and `catalogue` must outlive `router`.
void register_kpi_upload_routes(http::Router& router, KpiService& kpi, catalogue::CatalogueService& catalogue);

}  // namespace dvchub::kpi
