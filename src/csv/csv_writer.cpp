#include "csv/csv_writer.h"

#include <csv.h>

namespace dvchub::csv {
namespace {

bool looks_like_a_number(std::string_view text) {
  if (text.empty()) return false;
  std::size_t position = text[0] == '-' ? 1 : 0;
  if (position == text.size()) return false;
  for (; position < text.size(); ++position) {
    const char character = text[position];
    if ((character < '0' || character > '9') && character != '.') return false;
  }
  return true;
}

}  // namespace

std::string record(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t index = 0; index < fields.size(); ++index) {
    std::string field = fields[index];
    if (!field.empty() && std::string_view("=+-@\t\r").find(field[0]) != std::string_view::npos &&
        !looks_like_a_number(field)) {
      field.insert(field.begin(), '\'');
    }
    std::string quoted(field.size() * 2 + 2, '\0');
    quoted.resize(csv_write(quoted.data(), quoted.size(), field.data(), field.size()));
    if (index > 0) line.push_back(',');
    line += quoted;
  }
  line += "\r\n";
  return line;
}

}  // namespace dvchub::csv
