#include "kpi/index766.h"

#include <algorithm>

namespace dvchub::kpi {
namespace {

const IndicatorValue* find_indicator(const KpiReport& report, const std::string& key) {
  for (const auto& value : report.indicators) {
    if (value.key == key) return &value;
  }
  return nullptr;
}

// The (numerator, denominator) of an estimated component, from the report's indicators.
std::optional<std::pair<std::int64_t, std::int64_t>> component_ratio(const std::string& code, const KpiReport& report) {
  auto from = [&](const char* key) -> std::optional<std::pair<std::int64_t, std::int64_t>> {
    const auto* value = find_indicator(report, key);
    if (!value) return std::nullopt;
    return std::pair{value->numerator, value->denominator};
  };
  if (code == "DOSSIER_ON_TIME") return from("on_time_rate");
  if (code == "FULL") return from("procedures_full_online_rate");
  if (code == "ONLINE_DOSSIERS") return from("online_rate");
  if (code == "ORIGINAL_RESULT_AVAILABLE") return from("e_result_rate");
  if (code == "REUSED_DIGITIZED_DATA") return from("digitized_rate");
  if (code == "PAY_DOSSIERS") return from("online_payment_rate");
  if (code == "PETITION_PROCESSING_ON_TIME") return from("feedback_on_time_rate");
  if (code == "CITIZEN_DATA_CONNECTED_DOSSIER") {  // VNeID dossiers over every dossier received
    auto vneid = from("vneid_rate");
    auto received = from("online_rate");
    if (!vneid || !received) return std::nullopt;
    return std::pair{vneid->first, received->second};
  }
  return std::nullopt;
}

}  // namespace

const std::vector<Index766Component>& index766_components() {
  const std::string portal_only = "Cần dữ liệu của Cổng DVCQG hoặc CSDL quốc gia về TTHC, chưa có trong dvchub";
  const std::string feedback = "Cần dữ liệu phản ánh, kiến nghị và đánh giá trên Cổng DVCQG, chưa nối vào ước tính";
  static const std::vector<Index766Component> components{
      {"PUBLISH_ON_TIME", "cong_khai", "Tỷ lệ TTHC công bố đúng hạn", false, portal_only},
      {"PUBLIC_UPDATE_ON_TIME", "cong_khai", "Tỷ lệ TTHC được cập nhật, công khai đúng hạn", false, portal_only},
      {"PUBLIC_CONTENT_FULL", "cong_khai", "Tỷ lệ TTHC công khai đầy đủ nội dung", false, portal_only},
      {"DOSSIER_SYNC", "cong_khai", "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", false, portal_only},
      {"DOSSIER_ON_TIME", "tien_do", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", true,
       "Theo chỉ số on_time_rate (hồ sơ có ngày hẹn trả); chưa trừ thời gian chờ bổ sung"},
      {"FULL", "dvctt", "Tỷ lệ TTHC cung cấp DVCTT toàn trình", true,
       "Theo danh mục TTHC của cả tỉnh (procedures_full_online_rate), không riêng đơn vị"},
      {"HAS_ONLINE", "dvctt", "Tỷ lệ DVCTT có phát sinh hồ sơ", false,
       "Cần danh sách dịch vụ công của từng đơn vị, chưa có trong dvchub"},
      {"ONLINE_DOSSIERS", "dvctt", "Tỷ lệ hồ sơ nộp trực tuyến", true,
       "Theo chỉ số online_rate; chưa nhân tỷ lệ đồng bộ và chưa xét kết quả điện tử của TTHC trả giấy"},
      {"ORIGINAL_RESULT_AVAILABLE", "so_hoa", "Tỷ lệ hồ sơ có kết quả giải quyết điện tử", true,
       "Theo chỉ số e_result_rate: mọi hồ sơ đã giải quyết, không riêng TTHC trả giấy tờ"},
      {"SO_HOA_GIAY_TO_GIAI_QUYET", "so_hoa", "Tỷ lệ hồ sơ thực hiện số hóa hồ sơ", false,
       "Cần tệp đính kèm của từng thành phần hồ sơ, chưa có trong tệp xuất"},
      {"REUSED_DIGITIZED_DATA", "so_hoa", "Tỷ lệ hồ sơ khai thác, sử dụng lại dữ liệu số hóa", true,
       "Theo chỉ số digitized_rate (HoSoCoThanhPhanSoHoa = 1)"},
      {"SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "so_hoa", "Tỷ lệ hồ sơ số hóa có kết nối kho dữ liệu cá nhân", false,
       portal_only},
      {"CITIZEN_DATA_CONNECTED_DOSSIER", "so_hoa", "Tỷ lệ hồ sơ có sử dụng dữ liệu dân cư", true,
       "Hồ sơ trực tuyến xác thực VNeID trên mọi hồ sơ tiếp nhận; chưa tính khai thác CSDL dân cư khác"},
      {"CITIZEN_DATA_CONNECTED_FORMALITY", "so_hoa", "Tỷ lệ TTHC triển khai kết nối dữ liệu dân cư", false,
       portal_only},
      {"ELECTRONIC_CERTIFIED_COPY", "so_hoa", "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử", false,
       portal_only},
      {"PAY_DOSSIERS", "thanh_toan", "Tỷ lệ hồ sơ thanh toán trực tuyến", true, "Theo chỉ số online_payment_rate"},
      {"PAY_FORMALITIES", "thanh_toan", "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến", false, portal_only},
      {"PAY_PROVISION", "thanh_toan", "Tỷ lệ TTHC có phí được cung cấp thanh toán trực tuyến", false, portal_only},
      {"PETITION_PROCESSING_ON_TIME", "hai_long", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", true,
       "Theo chỉ số feedback_on_time_rate: phản ánh, kiến nghị gửi qua dvchub đã trả lời đúng hạn trên số đã trả lời; "
       "chưa gồm phản ánh trên Cổng DVCQG"},
      {"PETITION_HANDLING_SATISFACTION", "hai_long", "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", false, feedback},
      {"DOSSIER_RECEIVING_SATISFACTION", "hai_long", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", false,
       feedback},
  };
  return components;
}

std::string index766_group_label(const std::string& group) {
  if (group == "cong_khai") return "Công khai, minh bạch";
  if (group == "tien_do") return "Tiến độ giải quyết";
  if (group == "dvctt") return "Dịch vụ công trực tuyến";
  if (group == "so_hoa") return "Số hóa hồ sơ";
  if (group == "thanh_toan") return "Thanh toán trực tuyến";
  if (group == "hai_long") return "Mức độ hài lòng";
  return group;
}

std::vector<ScoringCurve> default_index766_curves() {
  return {{"PUBLISH_ON_TIME", 6, 1},
          {"PUBLIC_UPDATE_ON_TIME", 4, 1},
          {"PUBLIC_CONTENT_FULL", 2, 1},
          {"DOSSIER_SYNC", 6, 1},
          {"DOSSIER_ON_TIME", 20, 1},  // linear, verified
          {"FULL", 2, 0.8},            // inferred 2-4-6 split: keep configurable
          {"HAS_ONLINE", 4, 1},
          {"ONLINE_DOSSIERS", 6, 0.5},
          {"ORIGINAL_RESULT_AVAILABLE", 6, 1},  // linear, verified
          {"SO_HOA_GIAY_TO_GIAI_QUYET", 4, 1},
          {"REUSED_DIGITIZED_DATA", 2, 0.8},  // cap 80 %, verified
          {"SYNCED_WITH_DVCQG_PERSONAL_STORAGE", 4, 1},
          {"CITIZEN_DATA_CONNECTED_DOSSIER", 2, 1},  // linear, verified
          {"CITIZEN_DATA_CONNECTED_FORMALITY", 2, 1},
          {"ELECTRONIC_CERTIFIED_COPY", 2, 1},
          {"PAY_DOSSIERS", 6, 1},  // inferred, fits 8 units
          {"PAY_FORMALITIES", 2, 0.8},
          {"PAY_PROVISION", 2, 0.8},
          {"PETITION_PROCESSING_ON_TIME", 6, 1},
          {"PETITION_HANDLING_SATISFACTION", 6, 1},
          {"DOSSIER_RECEIVING_SATISFACTION", 6, 0.9}};
}

Index766Estimate estimate_index766(const KpiReport& report, const std::vector<ScoringCurve>& curves) {
  const auto defaults = default_index766_curves();
  auto curve_of = [&](const std::string& code) {
    for (const auto* list : {&curves, &defaults}) {
      for (const auto& curve : *list) {
        if (curve.component == code) return curve;
      }
    }
    return ScoringCurve{code, 0, 1};
  };
  Index766Estimate estimate;
  for (const auto& component : index766_components()) {
    EstimatedComponent item{component, curve_of(component.code), 0, 0, std::nullopt, std::nullopt};
    estimate.maximum += item.curve.max_points;
    if (component.estimated) {
      if (auto ratio = component_ratio(component.code, report)) {
        item.numerator = ratio->first;
        item.denominator = ratio->second;
        if (item.denominator > 0) {
          item.ratio = double(item.numerator) / double(item.denominator);
          const double full_at = item.curve.full_at > 0 ? item.curve.full_at : 1;
          item.points = item.curve.max_points * std::min(1.0, *item.ratio / full_at);
          estimate.points += *item.points;
          estimate.estimated_maximum += item.curve.max_points;
        }
      }
    }
    estimate.components.push_back(std::move(item));
  }
  return estimate;
}

}  // namespace dvchub::kpi
