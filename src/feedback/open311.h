// feedback/open311.h — Open311 GeoReport v2 over the feedback module, in XML and JSON (format by path suffix):
// discovery, service list, service definitions, POST requests (with an api_key from ApiKeyService) and the two GET
// request calls. Services are the feedback subjects (procedure, conduct, technical, other), each with one optional
// attribute, consent_publish. Deviations from the spec are listed in docs/feedback.md.
#pragma once

#include "feedback/api_keys.h"
#include "feedback/feedback_service.h"
#include "http/router.h"

namespace dvchub::feedback {

// Registers /open311/v2/… (public; creating a request needs a key `keys` knows). `clock` gives the default 90-day
// window of GET requests. The services and `clock` must outlive the router.
void register_open311_routes(http::Router& router, FeedbackService& feedback, ApiKeyService& keys, const Clock& clock);

}  // namespace dvchub::feedback
