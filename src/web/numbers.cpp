#include "web/numbers.h"

#include <cstdio>

namespace dvchub::web {

std::string decimal_text(double value, int digits) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  std::string result = text;
  for (auto& character : result) {
    if (character == '.') character = ',';
  }
  return result;
}

std::string percent_text(const std::optional<double>& share) {
  if (!share) return "—";
  return decimal_text(*share * 100, 1) + " %";
}

}  // namespace dvchub::web
