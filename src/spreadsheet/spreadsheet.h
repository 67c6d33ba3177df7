// spreadsheet/spreadsheet.h — XLSX workbooks of plain tables: a title line, a bold header row and typed cells.
// The adapter for libxlsxwriter lives in spreadsheet/spreadsheet.cpp only; modules describe their tables here.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/error.h"

namespace dvchub::spreadsheet {

// How a column's numbers are shown: plain text or whole numbers, whole numbers with a thousands separator
// ("1.234.567" in a Vietnamese Excel), or a share shown as a percentage with one decimal (0.805 → "80,5%").
enum class ColumnFormat { general, integer, percent };

struct Column {
  std::string header;
  double width = 12;  // in characters
  ColumnFormat format = ColumnFormat::general;
};

// An empty cell, a text (UTF-8; wrapped when it holds line breaks), or a number.
using Cell = std::variant<std::monostate, std::string, std::int64_t, double>;

struct Sheet {
  std::string name;   // at most 31 characters, none of []:*?/\ (Excel's rule); must be unique in the workbook
  std::string title;  // the first row, bold; empty for none
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each at most columns.size() cells
};

struct Workbook {
  std::string title;   // document properties
  std::string author;
  std::vector<Sheet> sheets;  // at least one
};

// The workbook as the bytes of an XLSX file. Written through a private temporary file (libxlsxwriter writes to
// files), removed before returning. ErrorCode::invalid_input for no sheets, a bad or repeated sheet name or a row
// wider than its columns; ErrorCode::internal when the library fails. Thread-safe.
Result<std::string> write_xlsx(const Workbook& workbook);

}  // namespace dvchub::spreadsheet
