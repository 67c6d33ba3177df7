// csv/csv_reader.h — RFC 4180 CSV reading (the adapter for libcsv). UTF-8 text; a leading byte-order mark is
// skipped; quoted fields may hold commas, quotes ("") and line breaks.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dvchub::csv {

// Called once per record, in order. `record_number` counts records from 1 (the header is record 1), which is the
// line number for files without line breaks inside quotes. Return false to stop early.
using RecordHandler = std::function<bool(std::size_t record_number, std::vector<std::string>& fields)>;

// Parses `text` and calls `on_record` for each record. Returns the number of records seen; ErrorCode::invalid_input
// with a Vietnamese message when the text is not valid CSV (e.g. an unterminated quote).
Result<std::size_t> read_records(std::string_view text, const RecordHandler& on_record);

}  // namespace dvchub::csv
