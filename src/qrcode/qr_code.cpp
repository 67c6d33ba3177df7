#include "qrcode/qr_code.h"

#include <qrencode.h>

#include <memory>

#include "core/strings.h"

namespace dvchub::qrcode {
namespace {

constexpr std::size_t maximum_text_bytes = 1000;
constexpr int quiet_zone = 4;

}  // namespace

Result<Matrix> encode(std::string_view text) {
  if (text.empty() || text.size() > maximum_text_bytes) {
    return fail(ErrorCode::invalid_input, "Nội dung mã QR phải có từ 1 đến " + std::to_string(maximum_text_bytes) + " byte");
  }
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                        QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) return fail(ErrorCode::internal, "Không tạo được mã QR", "QRcode_encodeData failed");
  Matrix matrix;
  matrix.size = code->width;
  matrix.dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
  for (std::size_t index = 0; index < matrix.dark.size(); ++index) matrix.dark[index] = (code->data[index] & 1) != 0;
  return matrix;
}

std::string to_svg(const Matrix& matrix, std::string_view title) {
  const int extent = matrix.size + 2 * quiet_zone;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(extent) + " " +
                    std::to_string(extent) + "\" shape-rendering=\"crispEdges\" role=\"img\"><title>" +
                    xml_escaped(title) + "</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One horizontal run of dark modules per path segment keeps the image small.
  for (int row = 0; row < matrix.size; ++row) {
    for (int column = 0; column < matrix.size;) {
      if (!matrix.at(row, column)) {
        ++column;
        continue;
      }
      int run = 1;
      while (column + run < matrix.size && matrix.at(row, column + run)) ++run;
      svg += "M" + std::to_string(column + quiet_zone) + " " + std::to_string(row + quiet_zone) + "h" +
             std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      column += run;
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace dvchub::qrcode
