// csv/csv_reader.h — RFC 4180 CSV reading (the adapter for libcsv). UTF-8 text; a leading byte-order mark is
// skipped; quoted fields may hold commas, quotes ("") and line breaks.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
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

// Like RecordHandler, but the fields are views into one buffer the reader reuses: they are valid only during the
// call, and reading a record allocates nothing once the buffer has grown to the longest record.
using RecordViewHandler = std::function<bool(std::size_t record_number, std::span<const std::string_view> fields)>;

// read_records for callers that copy only what they keep (bulk imports): same records, same errors.
Result<std::size_t> read_record_views(std::string_view text, const RecordViewHandler& on_record);

}  // namespace dvchub::csv
