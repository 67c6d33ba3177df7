#include "feedback/field_checks.h"

#include "core/strings.h"
#include "text/vietnamese.h"

namespace dvchub::feedback {

std::optional<std::size_t> character_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t position = 0; position < text.size(); ++count) {
    auto byte = static_cast<unsigned char>(text[position]);
    std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || position + length > text.size()) return std::nullopt;
    for (std::size_t index = 1; index < length; ++index) {
      if ((static_cast<unsigned char>(text[position + index]) & 0xC0) != 0x80) return std::nullopt;
    }
    position += length;
  }
  return count;
}

std::string checked_text(std::vector<FieldError>& errors, const std::string& field, const std::string& value,
                         bool required, std::size_t maximum, const std::string& missing_message) {
  if (!character_count(value)) {
    errors.push_back({field, "Nội dung không phải văn bản UTF-8 hợp lệ"});
    return {};
  }
  std::string text = trimmed(text::normalize(value));
  if (required && text.empty()) {
    errors.push_back({field, missing_message});
  } else if (*character_count(text) > maximum) {
    errors.push_back({field, "Dài quá " + std::to_string(maximum) + " ký tự"});
  }
  return text;
}

}  // namespace dvchub::feedback
