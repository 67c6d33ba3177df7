#include "units/demo_units.h"

namespace dvchub::units {
namespace {

constexpr const char* first_day = "2025-01-01";
constexpr const char* reform_day = "2025-07-01";

struct DemoUnit {
  const char* code;
  const char* name;
  const char* kind;
  const char* parent_code;
};

// Section VI of the plan: the district People's Committee, its offices and centres; and its communes and town.
constexpr DemoUnit plan_units[] = {
    {"ST", "Tỉnh Sóc Trăng", "province", nullptr},
    {"MYTU", "Ủy ban nhân dân huyện Mỹ Tú", "district", "ST"},
    {"MYTU-VHKHTT", "Phòng Văn hóa, Khoa học và Thông tin huyện Mỹ Tú", "department", "MYTU"},
    {"MYTU-VP", "Văn phòng HĐND và UBND huyện Mỹ Tú", "department", "MYTU"},
    {"MYTU-GDDT", "Phòng Giáo dục và Đào tạo huyện Mỹ Tú", "department", "MYTU"},
    {"MYTU-GDNN", "Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên huyện Mỹ Tú", "centre", "MYTU"},
    {"MYTU-NV", "Phòng Nội vụ huyện Mỹ Tú", "department", "MYTU"},
    {"MYTU-TCKH", "Phòng Tài chính – Kế hoạch huyện Mỹ Tú", "department", "MYTU"},
    {"MYTU-VHTTTT", "Trung tâm Văn hóa – Thể thao – Truyền thanh huyện Mỹ Tú", "centre", "MYTU"},
    {"MYTU-HHN", "Thị trấn Huỳnh Hữu Nghĩa", "town", "MYTU"},
    {"MYTU-LONGHUNG", "Xã Long Hưng", "commune", "MYTU"},
    {"MYTU-MYHUONG", "Xã Mỹ Hương", "commune", "MYTU"},
    {"MYTU-MYTU", "Xã Mỹ Tú", "commune", "MYTU"},
    {"MYTU-MYPHUOC", "Xã Mỹ Phước", "commune", "MYTU"},
    {"MYTU-MYTHUAN", "Xã Mỹ Thuận", "commune", "MYTU"},
    {"MYTU-PHUMY", "Xã Phú Mỹ", "commune", "MYTU"},
    {"MYTU-HUNGPHU", "Xã Hưng Phú", "commune", "MYTU"},
    {"MYTU-THUANHUNG", "Xã Thuận Hưng", "commune", "MYTU"},
};

constexpr const char* district_offices[] = {"MYTU-VHKHTT", "MYTU-VP",   "MYTU-GDDT",  "MYTU-GDNN",
                                            "MYTU-NV",     "MYTU-TCKH", "MYTU-VHTTTT"};

struct IllustrativeMerge {
  const char* target_code;
  const char* target_name;
  std::vector<std::string> merged;
};

}  // namespace

Result<int> seed_demo_units(UnitService& units, const audit::Actor& actor) {
  auto existing = units.find("ST", first_day);
  if (existing) return 0;
  if (existing.error().code != ErrorCode::not_found) return tl::unexpected(existing.error());

  int created = 0;
  for (const auto& unit : plan_units) {
    DVCHUB_TRY(units.create(NewUnit{unit.code, unit.name, unit.kind,
                                    unit.parent_code ? std::optional<std::string>(unit.parent_code) : std::nullopt,
                                    first_day, false},
                            actor));
    ++created;
  }
  // 01/07/2025: district-level government ends; the communes come under the province (dissolve moves children up).
  for (const char* office : district_offices) DVCHUB_TRY(units.dissolve(office, std::nullopt, reform_day, actor));
  DVCHUB_TRY(units.dissolve("MYTU", std::nullopt, reform_day, actor));

  // Illustrative commune merges, so the demo shows history rolled up to successors. Not the legal mapping.
  const std::vector<IllustrativeMerge> merges{
      {"MH-XA-1", "Xã Mỹ Tú (minh họa)", {"MYTU-HHN", "MYTU-MYTU", "MYTU-MYTHUAN"}},
      {"MH-XA-2", "Xã Long Hưng (minh họa)", {"MYTU-LONGHUNG", "MYTU-MYHUONG", "MYTU-HUNGPHU"}},
      {"MH-XA-3", "Xã Mỹ Phước (minh họa)", {"MYTU-MYPHUOC", "MYTU-PHUMY", "MYTU-THUANHUNG"}},
  };
  for (const auto& merge : merges) {
    DVCHUB_TRY(units.merge(merge.merged, merge.target_code,
                           NewUnit{merge.target_code, merge.target_name, "commune", std::string("ST"), reform_day, true},
                           reform_day, actor));
    ++created;
  }
  return created;
}

}  // namespace dvchub::units
