// http/error_mapping.h — the one place where an ErrorCode becomes an HTTP status.
#pragma once

#include "core/error.h"

namespace dvchub::http {

// The HTTP status for an error code: invalid_input 400, unauthenticated 401, forbidden 403, not_found 404,
// conflict 409, payload_too_large 413, too_many_requests 429, unavailable 503, internal 500. Pure, thread-safe.
int http_status(ErrorCode code);

}  // namespace dvchub::http
