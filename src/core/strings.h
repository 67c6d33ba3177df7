// core/strings.h — small string helpers shared by every module.
#pragma once

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

}  // namespace dvchub
