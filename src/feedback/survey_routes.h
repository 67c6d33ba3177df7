// feedback/survey_routes.h — the satisfaction survey: the citizen's page (/khao-sat, works without JavaScript), its
// API (POST /api/v1/surveys/responses), the QR code that leads to it (/khao-sat/ma-qr.svg) and the staff page that
// makes links and codes per unit and procedure (/quan-tri/khao-sat).
#pragma once

#include <string>

#include "catalogue/catalogue.h"
#include "feedback/survey_service.h"
#include "http/router.h"
#include "units/units.h"

namespace dvchub::feedback {

// Registers the survey routes. `public_url` (no trailing slash) starts the address a QR code holds. The services
// must outlive the router.
void register_survey_routes(http::Router& router, SurveyService& surveys, units::UnitService& units,
                            catalogue::CatalogueService& catalogue, std::string public_url);

}  // namespace dvchub::feedback
