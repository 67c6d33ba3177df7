#include "spreadsheet/spreadsheet.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace dvchub::spreadsheet {
namespace {

bool valid_sheet_name(const std::string& name) {
  std::size_t characters = 0;
  for (unsigned char byte : name) characters += (byte & 0xC0) != 0x80;
  return characters >= 1 && characters <= 31 && name.find_first_of("[]:*?/\\") == std::string::npos;
}

// Removes the temporary file however the write ends.
struct TemporaryFile {
  std::string path;
  ~TemporaryFile() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

}  // namespace

Result<std::string> write_xlsx(const Workbook& workbook) {
  if (workbook.sheets.empty()) return fail(ErrorCode::invalid_input, "Bảng tính cần ít nhất một trang");
  std::set<std::string> names;
  for (const auto& sheet : workbook.sheets) {
    if (!valid_sheet_name(sheet.name) || !names.insert(sheet.name).second) {
      return fail(ErrorCode::invalid_input, "Tên trang bảng tính không hợp lệ hoặc bị lặp: " + sheet.name);
    }
    for (const auto& row : sheet.rows) {
      if (row.size() > sheet.columns.size()) {
        return fail(ErrorCode::invalid_input, "Một dòng của trang " + sheet.name + " có nhiều ô hơn số cột");
      }
    }
  }

  const char* directory = std::getenv("TMPDIR");
  std::string pattern = std::string(directory && *directory ? directory : "/tmp") + "/dvchub-xlsx-XXXXXX";
  int descriptor = ::mkstemp(pattern.data());
  if (descriptor < 0) return fail(ErrorCode::internal, "Không tạo được bảng tính", "mkstemp failed");
  ::close(descriptor);
  TemporaryFile file{pattern};

  lxw_workbook* book = workbook_new(file.path.c_str());
  if (!book) return fail(ErrorCode::internal, "Không tạo được bảng tính", "workbook_new failed");
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(workbook.title.c_str());
  properties.author = const_cast<char*>(workbook.author.c_str());
  workbook_set_properties(book, &properties);

  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  format_set_text_wrap(header);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* text = workbook_add_format(book);
  format_set_text_wrap(text);
  format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* integer = workbook_add_format(book);
  format_set_num_format(integer, "#,##0");
  format_set_align(integer, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* percent = workbook_add_format(book);
  format_set_num_format(percent, "0.0%");
  format_set_align(percent, LXW_ALIGN_VERTICAL_TOP);

  for (const auto& sheet : workbook.sheets) {
    lxw_worksheet* worksheet = workbook_add_worksheet(book, sheet.name.c_str());
    if (!worksheet) {
      workbook_close(book);
      return fail(ErrorCode::internal, "Không tạo được bảng tính", "workbook_add_worksheet failed");
    }
    lxw_row_t row_number = 0;
    if (!sheet.title.empty()) worksheet_write_string(worksheet, row_number++, 0, sheet.title.c_str(), bold);
    for (lxw_col_t column = 0; column < sheet.columns.size(); ++column) {
      const auto& description = sheet.columns[column];
      lxw_format* format = description.format == ColumnFormat::percent   ? percent
                           : description.format == ColumnFormat::integer ? integer
                                                                         : text;
      worksheet_set_column(worksheet, column, column, description.width, format);
      worksheet_write_string(worksheet, row_number, column, description.header.c_str(), header);
    }
    worksheet_freeze_panes(worksheet, row_number + 1, 0);
    ++row_number;
    for (const auto& row : sheet.rows) {
      for (lxw_col_t column = 0; column < row.size(); ++column) {
        const auto& cell = row[column];
        lxw_format* format = sheet.columns[column].format == ColumnFormat::percent   ? percent
                             : sheet.columns[column].format == ColumnFormat::integer ? integer
                                                                                     : text;
        if (const auto* value = std::get_if<std::string>(&cell)) {
          worksheet_write_string(worksheet, row_number, column, value->c_str(), text);
        } else if (const auto* whole = std::get_if<std::int64_t>(&cell)) {
          worksheet_write_number(worksheet, row_number, column, double(*whole), format);
        } else if (const auto* real = std::get_if<double>(&cell)) {
          worksheet_write_number(worksheet, row_number, column, *real, format);
        }
      }
      ++row_number;
    }
  }
  const lxw_error closed = workbook_close(book);
  if (closed != LXW_NO_ERROR) {
    return fail(ErrorCode::internal, "Không ghi được bảng tính", lxw_strerror(closed));
  }
  std::ifstream input(file.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << input.rdbuf();
  if (!input) return fail(ErrorCode::internal, "Không đọc lại được bảng tính", "reading the temporary file failed");
  return bytes.str();
}

}  // namespace dvchub::spreadsheet
