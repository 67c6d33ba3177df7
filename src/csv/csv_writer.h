// csv/csv_writer.h — RFC 4180 CSV writing (the adapter for libcsv), for exports people open in a spreadsheet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dvchub::csv {

// The UTF-8 byte-order mark: put first in a file so spreadsheet programs read Vietnamese text as UTF-8.
inline constexpr std::string_view utf8_byte_order_mark = "\xEF\xBB\xBF";

// One record: every field quoted (quotes doubled by libcsv), separated by commas, ended by CRLF. A text field that
// starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a spreadsheet never runs it as a
// formula (CSV injection); numbers written by the caller as plain digits are not affected.
std::string record(const std::vector<std::string>& fields);

}  // namespace dvchub::csv
