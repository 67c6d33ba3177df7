// catalogue/catalogue.h — the procedure catalogue (danh mục thủ tục hành chính, TTHC), one entity shared by the
// assistant (procedure cards) and the KPI module (full-online flags).
//
// File format: CSV with the header MaTTHC,TenTTHC,LinhVuc,CapThucHien,DuDieuKienToanTrinh,CungCapTrucTuyen,
// CoPhiLePhi[,ThoiHanGiaiQuyet,DonViThoiHan,LePhi,ThanhPhanHoSo,CoQuanThucHien,DuongDanNopTrucTuyen,Topic]
// (the first seven columns are the KPI export's; the rest are the assistant's).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace dvchub::catalogue {

struct Procedure {
  std::string code;            // MaTTHC, e.g. "1.001193"
  std::string name;            // TenTTHC
  std::string field;           // LinhVuc
  std::string level;           // CapThucHien
  bool full_online_eligible = false;  // DuDieuKienToanTrinh
  int online_level = 0;        // CungCapTrucTuyen: 0 none, 1 một phần, 2 toàn trình
  bool has_fees = false;       // CoPhiLePhi
  std::optional<double> time_limit;   // ThoiHanGiaiQuyet
  std::string time_unit;       // DonViThoiHan: "ngày làm việc", "ngày", "giờ"
  std::string fee;             // LePhi (text)
  std::vector<std::string> documents;  // ThanhPhanHoSo, split on " | "
  std::string agency;          // CoQuanThucHien
  std::string submit_url;      // DuongDanNopTrucTuyen
  std::string topic;           // proc.* topic the procedure belongs to, or ""
};

struct CatalogueReport {
  std::vector<Procedure> procedures;
  std::vector<FieldError> rejected;  // field = "dòng N", message = why
};


// Parses the catalogue CSV. Rows with a bad value are reported with their line, not returned. A wrong header is
// ErrorCode::invalid_input.
Result<CatalogueReport> parse_catalogue(const std::string& csv_text);

}  // namespace dvchub::catalogue
