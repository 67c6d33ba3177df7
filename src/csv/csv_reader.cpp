#include "csv/csv_reader.h"

#include <csv.h>

namespace dvchub::csv {
namespace {

struct ParseState {
  const RecordHandler* on_record;
  std::vector<std::string> fields;
  std::size_t records = 0;
  bool stopped = false;
};

void on_field(void* data, std::size_t size, void* state_pointer) {
  auto* state = static_cast<ParseState*>(state_pointer);
  state->fields.emplace_back(data ? static_cast<const char*>(data) : "", data ? size : 0);
}

void on_record_end(int, void* state_pointer) {
  auto* state = static_cast<ParseState*>(state_pointer);
  ++state->records;
  if (!state->stopped && !(*state->on_record)(state->records, state->fields)) state->stopped = true;
  state->fields.clear();
}

}  // namespace

Result<std::size_t> read_records(std::string_view text, const RecordHandler& on_record) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return fail(ErrorCode::internal, "Không khởi tạo được bộ đọc CSV");
  }
  ParseState state{&on_record, {}, 0, false};
  constexpr std::size_t chunk = 1 << 16;
  std::size_t offset = 0;
  while (offset < text.size() && !state.stopped) {
    std::size_t length = std::min(chunk, text.size() - offset);
    if (csv_parse(&parser, text.data() + offset, length, on_field, on_record_end, &state) != length) {
      std::string reason = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      return fail(ErrorCode::invalid_input,
                  "Tệp CSV không hợp lệ sau bản ghi " + std::to_string(state.records) + " (ví dụ dấu ngoặc kép chưa đóng)",
                  reason);
    }
    offset += length;
  }
  int finished = state.stopped ? 0 : csv_fini(&parser, on_field, on_record_end, &state);
  csv_free(&parser);
  if (finished != 0) {
    return fail(ErrorCode::invalid_input,
                "Tệp CSV không hợp lệ ở cuối tệp (dấu ngoặc kép chưa đóng?)", "csv_fini failed");
  }
  return state.records;
}

}  // namespace dvchub::csv
