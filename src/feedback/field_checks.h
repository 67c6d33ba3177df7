// feedback/field_checks.h — checks of citizens' free-text fields shared by feedback and surveys: valid UTF-8,
// Unicode-normalised, trimmed, required or not, at most so many characters; one Vietnamese message per bad field.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dvchub::feedback {

// The number of code points of valid UTF-8 text, or nullopt when it is not valid UTF-8.
std::optional<std::size_t> character_count(std::string_view text);

// Checks a required or optional text field: adds one message for `field` to `errors` when `value` is not UTF-8, is
// empty although `required` (then `missing_message`), or is longer than `maximum` characters. Returns the text
// NFC-normalised and trimmed.
std::string checked_text(std::vector<FieldError>& errors, const std::string& field, const std::string& value,
                         bool required, std::size_t maximum, const std::string& missing_message);

}  // namespace dvchub::feedback
