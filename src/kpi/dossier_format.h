// kpi/dossier_format.h — the export formats the KPI module reads: dossiers (hồ sơ) and adult population, as
// RFC 4180 CSV with a header row or as JSON Lines with the same field names, and the date forms the provincial
// one-stop systems write.
//
// Dates: ISO 8601 with or without an offset ("2025-03-04", "2025-03-04T08:30[:15][.123][Z|+07:00|+0700]",
// a space instead of T), "dd/MM/yyyy", "dd/MM/yyyy HH:mm[:ss]" and "yyyyMMddHHmmss". Without an offset the time
// is Asia/Ho_Chi_Minh (UTC+7). A date without a time is the start of that day, except for the due date
// (NgayHenTra), where it means the end of the day (23:59:59): a dossier due "15/03/2025" and finished that
// afternoon is on time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dvchub::kpi {

// A day number: days since 1970-01-01 in Vietnam time.
using DayNumber = std::int64_t;

// The local day (Asia/Ho_Chi_Minh) of a Unix instant.
DayNumber local_day(std::int64_t unix_seconds);
// The Unix instant at which local day `day` starts.
std::int64_t start_of_local_day(DayNumber day);
// Day number of an ISO date "YYYY-MM-DD"; nullopt when it is not a real date.
std::optional<DayNumber> day_from_iso(std::string_view iso_date);
// "YYYY-MM-DD" of a day number.
std::string iso_from_day(DayNumber day);
// Month index (year * 12 + month - 1) of a day number.
std::int64_t month_of_day(DayNumber day);
// First day of a month index.
DayNumber first_day_of_month(std::int64_t month);

struct ParsedInstant {
  std::int64_t unix_seconds = 0;
  bool date_only = false;  // the text named a day without a time
};

// Parses one date in any of the forms above; nullopt when the text is none of them or not a real date/time.
std::optional<ParsedInstant> parse_dossier_instant(std::string_view text);

// The dossier fields, in the order of the canonical CSV header.
enum class DossierField {
  dossier_code,       // MaHoSo
  procedure_code,     // MaTTHC
  unit_code,          // MaDonVi
  channel,            // KenhThucHien
  received,           // NgayTiepNhan
  due,                // NgayHenTra
  finished,           // NgayKetThucXuLy
  returned,           // NgayTra
  status,             // TrangThaiHoSo
  supplements,        // SoLanBoSung
  payment,            // DuocThanhToanTrucTuyen
  has_fees,           // CoNghiaVuTaiChinh
  digitized,          // HoSoCoThanhPhanSoHoa
  electronic_result,  // CoKetQuaDienTu
  vneid,              // TaiKhoanDuocXacThucVoiVNeID
  submitter,          // MaNguoiNop
};
inline constexpr std::size_t dossier_field_count = 16;
// The export's name of every field, in DossierField order ("MaHoSo", "MaTTHC", …).
const std::array<std::string_view, dossier_field_count>& dossier_field_names();

// One dossier as read from an export (codes not yet resolved). Empty input fields are nullopt (unknown). The texts
// are views of the row's values: valid as long as those are.
struct DossierRecord {
  std::string_view dossier_code;
  std::string_view procedure_code;
  std::string_view unit_code;
  std::optional<int> channel;
  std::int64_t received_at = 0;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> finished_at;
  std::optional<std::int64_t> returned_at;
  std::optional<int> status;
  std::optional<int> supplements;
  std::optional<int> payment;
  std::optional<int> has_fees;
  std::optional<int> digitized;
  std::optional<int> electronic_result;
  std::optional<int> vneid;
  std::optional<std::string_view> submitter;
};

// A rejected input row: the line (record number; the header is line 1 of a CSV file, the first object line 1 of
// JSON Lines), the export's field name ("" for the whole row) and the reason, in Vietnamese.
struct RowRejection {
  std::size_t line = 0;
  std::string field;
  std::string reason;
};

// Validates one row of text values given in DossierField order. Returns the record, or the first problem found
// (line left 0 for the caller to fill). NgayTiepNhan and MaHoSo, MaDonVi are required; every other field may be
// empty. Flags must be 0/1, KenhThucHien 1..3, TrangThaiHoSo 1..10, DuocThanhToanTrucTuyen 0..2, SoLanBoSung ≥ 0.
tl::expected<DossierRecord, RowRejection> parse_dossier_row(
    const std::array<std::string_view, dossier_field_count>& values);

// Reads an export from `input` in blocks (memory stays bounded whatever the file size): CSV with a header row
// naming the fields (in any order; unknown columns ignored; MaHoSo, MaDonVi, NgayTiepNhan required), or JSON
// Lines when the first non-blank byte is '{'. Calls `on_row(line, values)` for each data row with the values in
// `column_names` order (absent columns empty), as views valid only during that call (nothing is allocated per
// field). `on_progress(bytes read)` is called after each block.
// ErrorCode::invalid_input when the header lacks a required column or the CSV is malformed; bad JSON lines are
// handed to `on_bad_line(line, reason)` and skipped.
struct RowSink {
  std::function<void(std::size_t line, std::span<const std::string_view> values)> on_row;
  std::function<void(std::size_t line, const std::string& reason)> on_bad_line;
  std::function<void(std::size_t bytes_read)> on_progress;
};
Result<void> read_export(std::istream& input, const std::vector<std::string_view>& column_names,
                         const std::vector<std::string_view>& required_columns, const RowSink& sink);

}  // namespace dvchub::kpi
