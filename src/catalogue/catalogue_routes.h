// catalogue/catalogue_routes.h — the public catalogue API: GET /api/v1/procedures and /api/v1/procedures/{code}.
#pragma once

#include "catalogue/catalogue.h"
#include "http/router.h"

namespace dvchub::catalogue {

// Registers the catalogue routes. `catalogue` must outlive the router.
void register_catalogue_routes(http::Router& router, CatalogueService& catalogue);

}  // namespace dvchub::catalogue
