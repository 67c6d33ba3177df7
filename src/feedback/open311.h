// feedback/open311.h — Open311 GeoReport v2 over the feedback module, in XML and JSON (format by path suffix):
// discovery, service list, service definitions and the two GET request calls. Services are the feedback subjects
// (procedure, conduct, technical, other). Deviations from the spec are listed in docs/feedback.md.
#pragma once

#include "feedback/feedback_service.h"
#include "http/router.h"

namespace dvchub::feedback {

// Registers /open311/v2/… (public, read-only). `clock` gives the default 90-day window of GET requests.
// `feedback` and `clock` must outlive the router.
void register_open311_routes(http::Router& router, FeedbackService& feedback, const Clock& clock);

}  // namespace dvchub::feedback
