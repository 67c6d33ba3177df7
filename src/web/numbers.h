// web/numbers.h — numbers as Vietnamese pages show them: a decimal comma ("3,5") and shares as percentages.
#pragma once

#include <optional>
#include <string>

namespace dvchub::web {

// `value` with `digits` decimals and a decimal comma: decimal_text(3.25, 1) = "3,3" (rounded as printf does).
std::string decimal_text(double value, int digits = 1);

// A share (0.875) as "87,5 %", or "—" when there is none.
std::string percent_text(const std::optional<double>& share);

}  // namespace dvchub::web
