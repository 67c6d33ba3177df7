// qrcode/qr_code.h — the adapter to libqrencode: QR codes as SVG, so a printed poster at a one-stop desk can send
// citizens to a survey or a page. The only place that includes <qrencode.h>.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dvchub::qrcode {

// The modules of a QR code: `size` × `size`, row by row, true = dark.
struct Matrix {
  int size = 0;
  std::vector<bool> dark;
  bool at(int row, int column) const { return dark[static_cast<std::size_t>(row * size + column)]; }
};

// Encodes `text` (UTF-8, up to 1,000 bytes) as a QR code with error correction level M (15 % of the symbol may be
// damaged). ErrorCode::invalid_input for empty or longer text.
Result<Matrix> encode(std::string_view text);

// The code as a standalone SVG image: one path of dark modules, a 4-module quiet zone, scalable (`viewBox` in
// modules), with `title` (escaped) as its accessible name.
std::string to_svg(const Matrix& matrix, std::string_view title);

}  // namespace dvchub::qrcode
