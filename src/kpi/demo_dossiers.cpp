#include "kpi/demo_dossiers.h"

#include <sstream>

namespace dvchub::kpi {

Result<std::size_t> seed_demo_dossiers(KpiService& kpi, const std::vector<GeneratorProcedure>& procedures) {
  if (procedures.empty()) return fail(ErrorCode::invalid_input, "Chưa có danh mục thủ tục để tạo hồ sơ minh họa");
  if (DVCHUB_TRY(kpi.has_dossier("DEMO-A000000001"))) return std::size_t{0};
  std::stringstream generated;
  GeneratorOptions first_half;
  first_half.rows = 9000;
  first_half.unit_codes = {"MYTU-HHN",    "MYTU-LONGHUNG", "MYTU-MYHUONG", "MYTU-MYTU",    "MYTU-MYPHUOC",
                           "MYTU-MYTHUAN", "MYTU-PHUMY",   "MYTU-HUNGPHU", "MYTU-THUANHUNG"};
  first_half.procedures = procedures;
  first_half.first_day = *day_from_iso("2025-01-01");
  first_half.last_day = *day_from_iso("2025-06-30");
  first_half.seed = 2025;
  first_half.code_prefix = "DEMO-A";
  generate_dossiers(first_half, generated);
  GeneratorOptions second_half = first_half;
  second_half.rows = 11000;
  second_half.unit_codes = {"MH-XA-1", "MH-XA-2", "MH-XA-3"};
  second_half.first_day = *day_from_iso("2025-07-01");
  second_half.last_day = *day_from_iso("2025-12-31");
  second_half.seed = 2026;
  second_half.code_prefix = "DEMO-B";
  std::stringstream later;
  generate_dossiers(second_half, later);
  std::string text = generated.str();
  std::string later_text = later.str();
  text += later_text.substr(later_text.find('\n') + 1);  // one header
  std::istringstream input(text);
  auto report = DVCHUB_TRY(kpi.import_dossiers(input));
  std::istringstream population(
      "MaDonVi,Nam,DanSoTruongThanh\nMH-XA-1,2025,9800\nMH-XA-2,2025,12400\nMH-XA-3,2025,8900\n");
  DVCHUB_TRY(kpi.import_population(population));
  return report.created;
}

}  // namespace dvchub::kpi
