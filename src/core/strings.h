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

}  // namespace dvchub
