#include "core/email_address.h"

#include <algorithm>

namespace dvchub {
namespace {

bool is_alphanumeric(char character) {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
         (character >= '0' && character <= '9');
}

bool is_local_character(char character) {
  return is_alphanumeric(character) || std::string_view("!#$%&'*+-/=?^_`{|}~.").find(character) != std::string_view::npos;
}

bool is_valid_label(std::string_view label) {
  return !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-' &&
         std::all_of(label.begin(), label.end(), [](char character) { return is_alphanumeric(character) || character == '-'; });
}

}  // namespace

std::optional<std::string> email_address_problem(std::string_view address) {
  if (address.empty()) return "Vui lòng nhập địa chỉ thư điện tử";
  if (address.size() > longest_email_address) return "Địa chỉ thư điện tử dài quá 254 ký tự";
  const auto at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return "Địa chỉ thư điện tử phải có đúng một dấu @, ví dụ canbo@soctrang.gov.vn";
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64 || !std::all_of(local.begin(), local.end(), is_local_character) ||
      local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return "Phần trước dấu @ của địa chỉ thư điện tử không hợp lệ";
  }
  if (domain.find('.') == std::string_view::npos) return "Tên miền của địa chỉ thư điện tử cần có dấu chấm";
  std::size_t start = 0;
  while (start <= domain.size()) {
    const auto dot = std::min(domain.find('.', start), domain.size());
    if (!is_valid_label(domain.substr(start, dot - start))) return "Tên miền của địa chỉ thư điện tử không hợp lệ";
    start = dot + 1;
  }
  return std::nullopt;
}

}  // namespace dvchub
