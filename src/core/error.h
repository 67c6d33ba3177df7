// core/error.h — the one error type of dvchub and the Result<T> that carries it.
//
// Error policy (after DuckDB's): expected failures (bad input, not found, conflict, store down) are returned as
// Result<T>; exceptions are used only inside adapters, caught there and turned into an Error; assert() only for
// programmer errors. The mapping from ErrorCode to an HTTP status lives in one place: http/error_mapping.cpp.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace dvchub {

enum class ErrorCode {
  invalid_input,      // the caller sent something we refuse (400)
  unauthenticated,    // no valid session or key (401)
  forbidden,          // authenticated but not allowed (403)
  not_found,          // no such thing (404)
  conflict,           // violates a uniqueness or state rule (409)
  payload_too_large,  // body over the route's limit (413)
  too_many_requests,  // throttled (429)
  unavailable,        // a dependency (store, relay) cannot be reached now (503)
  internal,           // a bug or an unexpected library failure (500)
};

// One problem with one input field, for "one message per field" answers. Messages are Vietnamese.
struct FieldError {
  std::string field;
  std::string message;
};

// An expected failure: a code, a Vietnamese message fit to show a user, and optional per-field details.
// `detail` is for logs only (may hold library messages) and is never sent to clients.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> fields;
  std::string detail;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Builds an unexpected Error in one expression: `return fail(ErrorCode::not_found, "Không tìm thấy đơn vị");`
inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), {}, std::move(detail)});
}

// Builds an invalid_input Error carrying per-field messages.
inline tl::unexpected<Error> fail_fields(std::vector<FieldError> fields,
                                         std::string message = "Dữ liệu gửi lên chưa hợp lệ") {
  return tl::unexpected<Error>(Error{ErrorCode::invalid_input, std::move(message), std::move(fields), {}});
}

// Short name of a code, stable for logs and JSON ("invalid_input", ...).
const char* error_code_name(ErrorCode code);

namespace detail {
// Moves the value out of a successful Result (nothing for Result<void>); used by DVCHUB_TRY.
template <typename T>
T take_value(Result<T>&& result) {
  return std::move(*result);
}
inline void take_value(Result<void>&&) {}
}  // namespace detail

}  // namespace dvchub

// Evaluates a Result expression; on failure returns its Error from the enclosing function, otherwise yields the
// value (GCC/Clang statement expression, as SerenityOS's TRY).
#define DVCHUB_TRY(expression)                                   \
  ({                                                             \
    auto _dvchub_result = (expression);                          \
    if (!_dvchub_result) return tl::unexpected(std::move(_dvchub_result).error()); \
    ::dvchub::detail::take_value(std::move(_dvchub_result));    \
  })
