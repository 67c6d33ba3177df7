// catalogue/catalogue.h — the procedure catalogue (danh mục thủ tục hành chính, TTHC), one entity shared by the
// assistant (procedure cards) and the KPI module (full-online flags).
//
// File format: CSV with the header MaTTHC,TenTTHC,LinhVuc,CapThucHien,DuDieuKienToanTrinh,CungCapTrucTuyen,
// CoPhiLePhi[,ThoiHanGiaiQuyet,DonViThoiHan,LePhi,ThanhPhanHoSo,CoQuanThucHien,DuongDanNopTrucTuyen,Topic]
// (the first seven columns are the KPI export's; the rest are the assistant's).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

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

// Parses a JSON array of objects with the same field names as the CSV header (numbers or strings for the flags;
// ThanhPhanHoSo a string with " | " or an array). Bad items are reported as "mục N".
Result<CatalogueReport> parse_catalogue_json(const std::string& json_text);

struct ImportSummary {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::vector<FieldError> rejected;
};

struct ProcedurePage {
  std::vector<Procedure> procedures;
  std::int64_t total = 0;
};

// The catalogue in the store. Thread-safe; each call borrows its own connection.
class CatalogueService {
 public:
  CatalogueService(storage::Database& database, const Clock& clock) : database_(database), clock_(clock) {}

  // Imports parsed procedures, idempotent by code: new codes are created, changed ones updated, identical ones
  // left alone; all in one transaction (an interrupted import leaves the catalogue as it was), each change audited.
  // `rejected` rows of the report are carried into the summary. `progress(done, total)` is called per row.
  Result<ImportSummary> import(const CatalogueReport& parsed, const audit::Actor& actor,
                               const std::function<void(std::size_t, std::size_t)>& progress = {});
  // Imports CSV or JSON text (JSON when it starts with '['), as import().
  Result<ImportSummary> import_text(const std::string& text, const audit::Actor& actor,
                                    const std::function<void(std::size_t, std::size_t)>& progress = {});

  // One page (1-based) of procedures ordered by code, optionally of one field (LinhVuc).
  Result<ProcedurePage> list(std::int64_t page, std::int64_t page_size, const std::optional<std::string>& field) const;
  Result<std::optional<Procedure>> find(const std::string& code) const;
  // Every procedure (for building search indexes).
  Result<std::vector<Procedure>> all() const;
  // Procedures created or changed at or after `instant` (for keeping a search index in step across processes).
  Result<std::vector<Procedure>> changed_since(TimePoint instant) const;

 private:
  storage::Database& database_;
  const Clock& clock_;
};

// JSON object text of a procedure (API answers and audit records).
std::string procedure_json(const Procedure& procedure);

}  // namespace dvchub::catalogue
