#include "catalogue/catalogue.h"

#include <algorithm>
#include <charconv>

#include "csv/csv_reader.h"
#include "core/strings.h"

namespace dvchub::catalogue {
namespace {

const std::vector<std::string>& catalogue_header() {
  static const std::vector<std::string> header{
      "MaTTHC",    "TenTTHC",          "LinhVuc",     "CapThucHien",   "DuDieuKienToanTrinh",
      "CungCapTrucTuyen", "CoPhiLePhi", "ThoiHanGiaiQuyet", "DonViThoiHan", "LePhi",
      "ThanhPhanHoSo", "CoQuanThucHien", "DuongDanNopTrucTuyen", "Topic"};
  return header;
}

std::optional<int> small_integer(const std::string& text, int maximum) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > maximum) return std::nullopt;
  return value;
}

}  // namespace

Result<CatalogueReport> parse_catalogue(const std::string& csv_text) {
  CatalogueReport report;
  bool header_ok = true;
  DVCHUB_TRY(csv::read_records(csv_text, [&](std::size_t number, std::vector<std::string>& fields) {
    if (number == 1) {
      const auto& expected = catalogue_header();
      header_ok = fields.size() >= 7 && std::equal(expected.begin(), expected.begin() + 7, fields.begin(),
                                                   [](const std::string& want, const std::string& got) {
                                                     return want == trimmed(got);
                                                   });
      return header_ok;
    }
    if (fields.size() == 1 && trimmed(fields[0]).empty()) return true;
    auto reject = [&](const std::string& message) {
      report.rejected.push_back({"dòng " + std::to_string(number), message});
      return true;
    };
    fields.resize(std::max(fields.size(), catalogue_header().size()));
    Procedure procedure;
    procedure.code = trimmed(fields[0]);
    procedure.name = trimmed(fields[1]);
    procedure.field = trimmed(fields[2]);
    procedure.level = trimmed(fields[3]);
    if (procedure.code.empty() || procedure.code.size() > 40) return reject("MaTTHC trống hoặc quá dài");
    if (procedure.name.empty()) return reject("TenTTHC trống");
    auto eligible = small_integer(trimmed(fields[4]), 1);
    auto online = small_integer(trimmed(fields[5]), 2);
    auto fees = small_integer(trimmed(fields[6]), 1);
    if (!eligible) return reject("DuDieuKienToanTrinh phải là 0 hoặc 1");
    if (!online) return reject("CungCapTrucTuyen phải là 0, 1 hoặc 2");
    if (!fees) return reject("CoPhiLePhi phải là 0 hoặc 1");
    procedure.full_online_eligible = *eligible == 1;
    procedure.online_level = *online;
    procedure.has_fees = *fees == 1;
    std::string time_limit = trimmed(fields[7]);
    if (!time_limit.empty()) {
      double value = 0;
      auto [end, error] = std::from_chars(time_limit.data(), time_limit.data() + time_limit.size(), value);
      if (error != std::errc() || end != time_limit.data() + time_limit.size() || value < 0) {
        return reject("ThoiHanGiaiQuyet phải là một số");
      }
      procedure.time_limit = value;
    }
    procedure.time_unit = trimmed(fields[8]);
    procedure.fee = trimmed(fields[9]);
    std::string documents = fields[10];
    for (std::size_t start = 0; start <= documents.size();) {
      auto separator = documents.find(" | ", start);
      std::string item = trimmed(documents.substr(start, separator == std::string::npos ? std::string::npos
                                                                                          : separator - start));
      if (!item.empty()) procedure.documents.push_back(item);
      if (separator == std::string::npos) break;
      start = separator + 3;
    }
    procedure.agency = trimmed(fields[11]);
    procedure.submit_url = trimmed(fields[12]);
    procedure.topic = trimmed(fields[13]);
    report.procedures.push_back(std::move(procedure));
    return true;
  }));
  if (!header_ok) {
    return fail(ErrorCode::invalid_input,
                "Dòng tiêu đề của danh mục thủ tục phải bắt đầu bằng: MaTTHC,TenTTHC,LinhVuc,CapThucHien,"
                "DuDieuKienToanTrinh,CungCapTrucTuyen,CoPhiLePhi");
  }
  return report;
}

}  // namespace dvchub::catalogue
