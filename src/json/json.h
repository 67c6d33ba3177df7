// json/json.h — the JSON adapter (Boost.JSON). Module code includes this header, never Boost.JSON directly.
// Include it from .cpp files only: keep it out of headers that the domain includes (compile cost).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"

namespace dvchub::json {

using Value = boost::json::value;
using Object = boost::json::object;
using Array = boost::json::array;

// Parses a request body that must be one JSON object. Invalid JSON, invalid UTF-8 or another top-level type give
// ErrorCode::invalid_input with a Vietnamese message. `maximum_depth` guards against deeply nested input.
Result<Object> parse_object(std::string_view text, std::size_t maximum_depth = 32);

// parse_object for a request body: on failure the message is also given as the error of the field "body", so a
// client that shows errors field by field shows this one too.
Result<Object> parse_request_body(std::string_view text);

// Compact JSON text.
std::string serialize(const Value& value);

// Appends `text` as a JSON string (quotes, backslashes and control characters escaped, other bytes as they are), for
// answers written straight into a buffer instead of through a Value tree (long lists).
void append_string(std::string& out, std::string_view text);
// Appends `number` as JSON: the shortest text that reads back as the same double; null when not finite.
void append_number(std::string& out, double number);
// Appends `value` as compact JSON like serialize() (control characters as \u00XX), every double as append_number
// writes it ("0.375", not Boost's "3.75E-1"): for answers whose numbers people and scripts read (the KPI API).
void append_value(std::string& out, const Value& value);
void append_value(std::string& out, const Object& object);

// Field readers for validation: nullopt when the key is absent or null; ErrorCode-free, so callers can collect
// one message per field. `*_type_ok` tells whether a present value had the right type.
struct StringField {
  std::optional<std::string> value;
  bool present = false;
  bool type_ok = true;
};
StringField read_string(const Object& object, std::string_view key);

struct IntegerField {
  std::optional<std::int64_t> value;
  bool present = false;
  bool type_ok = true;
};
IntegerField read_integer(const Object& object, std::string_view key);

// A JSON value for an optional text: null when empty.
Value optional_string(const std::optional<std::string>& text);

}  // namespace dvchub::json
