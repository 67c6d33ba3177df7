#include "http/error_mapping.h"

namespace dvchub::http {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input: return 400;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::too_many_requests: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

}  // namespace dvchub::http
