#include "csv/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <cstring>

namespace dvchub::csv {
namespace {

// The fields of the record being read, end to end in one buffer that is reused for every record.
struct ParseState {
  const RecordViewHandler* on_record;
  std::string bytes;
  std::vector<std::size_t> field_ends;
  std::vector<std::string_view> fields;
  std::size_t records = 0;
  bool stopped = false;
};

void on_field(void* data, std::size_t size, void* state_pointer) {
  auto* state = static_cast<ParseState*>(state_pointer);
  if (data) state->bytes.append(static_cast<const char*>(data), size);
  state->field_ends.push_back(state->bytes.size());
}

void on_record_end(int, void* state_pointer) {
  auto* state = static_cast<ParseState*>(state_pointer);
  ++state->records;
  if (!state->stopped) {
    state->fields.clear();
    std::size_t start = 0;
    for (auto end : state->field_ends) {
      state->fields.emplace_back(state->bytes.data() + start, end - start);
      start = end;
    }
    if (!(*state->on_record)(state->records, state->fields)) state->stopped = true;
  }
  state->bytes.clear();
  state->field_ends.clear();
}

bool is_blank(char character) { return character == ' ' || character == '\t'; }

// Text without a double quote holds no quoted field: records end at CR or LF, fields at commas. Reads it exactly as
// libcsv would (blank lines make no record, spaces and tabs around fields dropped) at memchr speed.
std::size_t read_unquoted(std::string_view text, ParseState& state) {
  std::size_t position = 0;
  while (position < text.size() && !state.stopped) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    if (const void* carriage = std::memchr(text.data() + position, '\r', end - position)) {
      end = std::size_t(static_cast<const char*>(carriage) - text.data());
    }
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    if (std::all_of(line.begin(), line.end(), is_blank)) continue;
    state.fields.clear();
    for (std::size_t start = 0;;) {
      std::size_t comma = line.find(',', start);
      std::string_view field = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      while (!field.empty() && is_blank(field.front())) field.remove_prefix(1);
      while (!field.empty() && is_blank(field.back())) field.remove_suffix(1);
      state.fields.push_back(field);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    ++state.records;
    if (!(*state.on_record)(state.records, state.fields)) state.stopped = true;
  }
  return state.records;
}

}  // namespace

Result<std::size_t> read_record_views(std::string_view text, const RecordViewHandler& on_record) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.find('"') == std::string_view::npos) {
    ParseState state{&on_record, {}, {}, {}, 0, false};
    return read_unquoted(text, state);
  }
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return fail(ErrorCode::internal, "Không khởi tạo được bộ đọc CSV");
  }
  ParseState state{&on_record, {}, {}, {}, 0, false};
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

Result<std::size_t> read_records(std::string_view text, const RecordHandler& on_record) {
  std::vector<std::string> fields;
  return read_record_views(text, [&](std::size_t record_number, std::span<const std::string_view> views) {
    fields.assign(views.begin(), views.end());
    return on_record(record_number, fields);
  });
}

}  // namespace dvchub::csv
