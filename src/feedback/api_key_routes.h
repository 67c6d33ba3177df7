// feedback/api_key_routes.h — the administrators' page of Open311 keys (/quan-tri/khoa-open311): issue a key (shown
// once), list keys with their last use, revoke.
#pragma once

#include "feedback/api_keys.h"
#include "http/router.h"

namespace dvchub::feedback {

// Registers the page and its two forms, administrators only. `keys` must outlive the router.
void register_api_key_routes(http::Router& router, ApiKeyService& keys);

}  // namespace dvchub::feedback
