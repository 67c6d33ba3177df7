// core/strings.h — small string helpers shared by every module.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace dvchub {

// `text` without leading and trailing spaces, tabs and line breaks.
inline std::string trimmed(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// `text` for XML element content or a quoted attribute: & < > " ' escaped, and the control characters XML 1.0 does
// not allow (all below U+0020 except tab, line feed and carriage return) left out.
inline std::string xml_escaped(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (char character : text) {
    switch (character) {
      case '&': result += "&amp;"; break;
      case '<': result += "&lt;"; break;
      case '>': result += "&gt;"; break;
      case '"': result += "&quot;"; break;
      case '\'': result += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(character) >= 0x20 || character == '\t' || character == '\n' ||
            character == '\r') {
          result += character;
        }
    }
  }
  return result;
}

// "1.234.567": a whole number with the Vietnamese thousands separator.
inline std::string grouped(std::int64_t number) {
  const std::string digits = std::to_string(number < 0 ? -number : number);
  std::string result;
  for (std::size_t index = 0; index < digits.size(); ++index) {
    if (index > 0 && (digits.size() - index) % 3 == 0) result += '.';
    result += digits[index];
  }
  return (number < 0 ? "-" : "") + result;
}

// `text` as valid UTF-8 of at most `maximum_bytes` bytes: each invalid byte (a stray continuation byte, a truncated,
// overlong or surrogate sequence, a value past U+10FFFF) becomes U+FFFD, and the text is cut before the first
// character that would not fit whole.
inline std::string valid_utf8_prefix(std::string_view text, std::size_t maximum_bytes) {
  static constexpr std::string_view replacement = "\xEF\xBF\xBD";
  std::string result;
  result.reserve(std::min(text.size(), maximum_bytes));
  for (std::size_t position = 0; position < text.size();) {
    const auto byte = static_cast<unsigned char>(text[position]);
    std::size_t length = byte < 0x80 ? 1 : byte >= 0xC2 && byte <= 0xDF ? 2 : (byte & 0xF0) == 0xE0 ? 3
                         : byte >= 0xF0 && byte <= 0xF4 ? 4 : 0;
    if (length > 1) {
      const auto second = position + 1 < text.size() ? static_cast<unsigned char>(text[position + 1]) : 0;
      // The second byte's range rules out overlong forms, surrogates and values past U+10FFFF.
      const unsigned char low = byte == 0xE0 ? 0xA0 : byte == 0xF0 ? 0x90 : 0x80;
      const unsigned char high = byte == 0xED ? 0x9F : byte == 0xF4 ? 0x8F : 0xBF;
      bool valid = position + length <= text.size() && second >= low && second <= high;
      for (std::size_t index = 2; valid && index < length; ++index) {
        valid = (static_cast<unsigned char>(text[position + index]) & 0xC0) == 0x80;
      }
      if (!valid) length = 0;
    }
    const std::string_view character = length == 0 ? replacement : text.substr(position, length);
    if (result.size() + character.size() > maximum_bytes) break;
    result += character;
    position += length == 0 ? 1 : length;
  }
  return result;
}

}  // namespace dvchub
