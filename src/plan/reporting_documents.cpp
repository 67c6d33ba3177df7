#include "plan/reporting_documents.h"

#include "core/dates.h"
#include "plan/formatting.h"
#include "text/unicode.h"

namespace dvchub::plan {

spreadsheet::Workbook compiled_workbook(const CompiledReport& compiled) {
  using spreadsheet::Cell;
  using spreadsheet::ColumnFormat;
  const std::string heading =
      "Kế hoạch " + compiled.plan.number + " — báo cáo tổng hợp kỳ " + compiled.period.title + " (" +
      display_date(compiled.period.starts_on) + "–" + display_date(compiled.period.ends_on) + ")";
  spreadsheet::Sheet tasks{"Nhiệm vụ",
                           heading,
                           {{"Nhiệm vụ", 10},
                            {"Nội dung", 50},
                            {"Đơn vị", 30},
                            {"Số hoạt động", 10, ColumnFormat::integer},
                            {"Người tham dự", 12, ColumnFormat::integer},
                            {"Lượt xem, nghe", 12, ColumnFormat::integer},
                            {"Kinh phí (đồng)", 14, ColumnFormat::integer},
                            {"Hoạt động", 50}},
                           {}};
  for (const auto& task : compiled.tasks) {
    if (task.units.empty()) {
      tasks.rows.push_back({task.section_code, task.text, std::string("Chưa có đơn vị báo cáo")});
    }
    for (const auto& work : task.units) {
      tasks.rows.push_back({task.section_code, task.text, work.unit_name, work.figures.activities,
                            work.figures.participants, work.figures.audience, work.figures.cost_vnd,
                            work.figures.summary});
    }
  }
  spreadsheet::Sheet targets{"Chỉ tiêu",
                             heading,
                             {{"Mục", 8},
                              {"Chỉ tiêu", 60},
                              {"Năm", 6},
                              {"Mục tiêu", 10, ColumnFormat::percent},
                              {"Tử số", 12, ColumnFormat::integer},
                              {"Mẫu số", 12, ColumnFormat::integer},
                              {"Đạt được", 10, ColumnFormat::percent},
                              {"Đánh giá", 12}},
                             {}};
  for (const auto& item : compiled.targets) {
    targets.rows.push_back({item.target.section, item.target.description, std::int64_t(item.target.year),
                            item.target.minimum, item.numerator, item.denominator,
                            item.value ? Cell(*item.value) : Cell(),
                            std::string(!item.met ? "Chưa có số liệu" : *item.met ? "Đạt" : "Chưa đạt")});
  }
  spreadsheet::Sheet commendations{"Khen thưởng",
                                   "Đề xuất biểu dương, khen thưởng (IV.3.h) — quy tắc: docs/plan.md",
                                   {{"Hạng", 6, ColumnFormat::integer},
                                    {"Đơn vị", 40},
                                    {"Tỷ lệ hồ sơ trực tuyến", 14, ColumnFormat::percent},
                                    {"Lượt tiếp cận", 14, ColumnFormat::integer},
                                    {"Số hoạt động", 12, ColumnFormat::integer}},
                                   {}};
  for (const auto& entry : compiled.commendations) {
    commendations.rows.push_back({std::int64_t(entry.rank), entry.unit_name,
                                  entry.online_rate ? Cell(*entry.online_rate) : Cell(), entry.reach,
                                  entry.activities});
  }
  spreadsheet::Sheet texts{"Khó khăn, đề xuất", heading, {{"Đơn vị", 30}, {"Mục", 20}, {"Nội dung", 80}}, {}};
  for (const auto& entry : compiled.difficulties) {
    texts.rows.push_back({entry.unit_name, std::string("Khó khăn, vướng mắc"), entry.text});
  }
  for (const auto& entry : compiled.proposals) {
    texts.rows.push_back({entry.unit_name, std::string("Đề xuất, kiến nghị"), entry.text});
  }
  spreadsheet::Sheet board{"Tình hình báo cáo",
                           heading,
                           {{"Đơn vị", 40}, {"Trạng thái", 20}, {"Gửi lúc", 18}, {"Trễ hạn", 10}},
                           {}};
  for (const auto& line : compiled.board) {
    board.rows.push_back({line.unit_name, report_status_label(line.status),
                          line.submitted_at ? format_display_instant(*line.submitted_at) : std::string(),
                          std::string(line.late ? "Trễ hạn" : "")});
  }
  return spreadsheet::Workbook{"Báo cáo tổng hợp " + compiled.plan.number + " — " + compiled.period.title, "dvchub",
                               {std::move(tasks), std::move(targets), std::move(texts), std::move(commendations), std::move(board)}};
}

document::AdministrativeDocument compiled_document(const CompiledReport& compiled, const std::string& today) {
  using document::Paragraph;
  using document::Table;
  const auto& plan = compiled.plan;
  document::AdministrativeDocument result;
  result.governing_body = text::unicode::uppercase(plan.issuing_unit_name);
  result.issuing_body = text::unicode::uppercase(plan.lead_unit_name.value_or(plan.issuing_unit_name));
  result.number = "Số:        /BC-…";
  result.place_and_date = "…, " + long_date(today);
  result.kind = "BÁO CÁO";
  result.subject = "Kết quả thực hiện Kế hoạch số " + plan.number + " ngày " + display_date(plan.issued_on) + "\nkỳ " +
                   compiled.period.title + " (" + display_date(compiled.period.starts_on) + " – " +
                   display_date(compiled.period.ends_on) + ")";
  auto& body = result.body;
  int accepted = 0;
  Table board{{"Đơn vị", "Trạng thái", "Gửi lúc"}, {}};
  for (const auto& line : compiled.board) {
    accepted += line.status == "accepted";
    board.rows.push_back({line.unit_name, report_status_label(line.status) + (line.late ? " (trễ hạn)" : ""),
                          line.submitted_at ? format_display_instant(*line.submitted_at) : ""});
  }
  body.push_back(Paragraph{"I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ", Paragraph::Style::heading});
  body.push_back(Paragraph{std::to_string(accepted) + "/" + std::to_string(compiled.board.size()) +
                           " đơn vị có báo cáo đã được tiếp nhận (hạn gửi " + display_date(compiled.period.due_on) +
                           "). Tổng hợp từ các báo cáo đã tiếp nhận: " + grouped(compiled.activities) +
                           " hoạt động, kinh phí " + grouped(compiled.cost_vnd) + " đồng."});
  body.push_back(std::move(board));
  body.push_back(Paragraph{"II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", Paragraph::Style::heading});
  for (const auto& task : compiled.tasks) {
    body.push_back(Paragraph{task.section_code + ". " + task.text, Paragraph::Style::subheading});
    if (task.units.empty()) body.push_back(Paragraph{"Chưa có đơn vị báo cáo kết quả."});
    for (const auto& work : task.units) {
      body.push_back(Paragraph{"- " + work.unit_name + ": " + work.figures.summary + "; " +
                               grouped(work.figures.participants) + " người tham dự, " +
                               grouped(work.figures.audience) + " lượt xem, nghe; kinh phí " +
                               grouped(work.figures.cost_vnd) + " đồng."});
    }
  }
  body.push_back(Paragraph{"III. KẾT QUẢ THỰC HIỆN CHỈ TIÊU", Paragraph::Style::heading});
  Table targets{{"Mục", "Chỉ tiêu", "Mục tiêu", "Số liệu", "Đạt được", "Đánh giá"}, {}};
  for (const auto& item : compiled.targets) {
    targets.rows.push_back({item.target.section + " (" + std::to_string(item.target.year) + ")", item.target.description,
                            percent(item.target.minimum),
                            item.denominator ? grouped(item.numerator) + "/" + grouped(item.denominator) : "",
                            percent(item.value), !item.met ? "Chưa có số liệu" : *item.met ? "Đạt" : "Chưa đạt"});
  }
  body.push_back(std::move(targets));
  auto texts = [&](const char* heading, const std::vector<UnitText>& entries, const char* none) {
    body.push_back(Paragraph{heading, Paragraph::Style::heading});
    if (entries.empty()) body.push_back(Paragraph{none});
    for (const auto& entry : entries) {
      std::string text = entry.unit_name + ":";
      for (const auto& line : lines_of(entry.text)) text += "\n- " + line;
      body.push_back(Paragraph{text});
    }
  };
  texts("IV. KHÓ KHĂN, VƯỚNG MẮC", compiled.difficulties, "Các đơn vị không nêu khó khăn, vướng mắc.");
  texts("V. ĐỀ XUẤT, KIẾN NGHỊ", compiled.proposals, "Các đơn vị không có đề xuất, kiến nghị.");
  body.push_back(Paragraph{"VI. ĐỀ XUẤT BIỂU DƯƠNG, KHEN THƯỞNG (điểm h khoản 3 mục IV)", Paragraph::Style::heading});
  body.push_back(Paragraph{"Quy tắc: đơn vị có báo cáo được tiếp nhận, gửi đúng hạn và có ít nhất một hoạt động; xếp theo "
                           "tỷ lệ hồ sơ trực tuyến (đơn vị chưa có hồ sơ xếp sau), rồi số lượt tiếp cận, rồi số hoạt "
                           "động; đề xuất một phần ba đơn vị đứng đầu (làm tròn lên)."});
  Table commendations{{"Hạng", "Đơn vị", "Tỷ lệ hồ sơ trực tuyến", "Lượt tiếp cận", "Số hoạt động"}, {}};
  for (const auto& entry : compiled.commendations) {
    commendations.rows.push_back({std::to_string(entry.rank), entry.unit_name, percent(entry.online_rate),
                                  grouped(entry.reach), grouped(entry.activities)});
  }
  if (compiled.commendations.empty()) body.push_back(Paragraph{"Chưa có đơn vị đủ điều kiện."});
  else body.push_back(std::move(commendations));
  result.recipients = {"- " + plan.issuing_unit_name + " (báo cáo);", "- Các đơn vị thực hiện kế hoạch;", "- Lưu: VT."};
  result.signer_title = "THỦ TRƯỞNG CƠ QUAN";
  return result;
}

document::AdministrativeDocument report_document(const Report& report, const PlanSummary& plan,
                                                 const std::string& today) {
  using document::Paragraph;
  using document::Table;
  document::AdministrativeDocument result;
  result.issuing_body = text::unicode::uppercase(report.unit_name);
  result.number = "Số:        /BC-…";
  result.place_and_date = "…, " + long_date(today);
  result.kind = "BÁO CÁO";
  result.subject = "Kết quả thực hiện Kế hoạch số " + plan.number + " ngày " + display_date(plan.issued_on) + "\nkỳ " +
                   report.period.title + " (" + display_date(report.period.starts_on) + " – " +
                   display_date(report.period.ends_on) + ")";
  auto& body = result.body;
  body.push_back(Paragraph{"I. KẾT QUẢ THỰC HIỆN", Paragraph::Style::heading});
  body.push_back(Paragraph{report.results.empty() ? "Chưa ghi kết quả." : report.results});
  Table tasks{{"Nhiệm vụ", "Hoạt động", "Người tham dự", "Lượt xem, nghe", "Kinh phí (đồng)"}, {}};
  for (const auto& task : report.tasks) {
    tasks.rows.push_back({task.section_code, std::to_string(task.activities) + ": " + task.summary,
                          grouped(task.participants), grouped(task.audience), grouped(task.cost_vnd)});
  }
  if (!report.tasks.empty()) body.push_back(std::move(tasks));
  body.push_back(Paragraph{"II. SỐ LIỆU CHỈ TIÊU", Paragraph::Style::heading});
  Table values{{"Chỉ tiêu, chỉ số", "Nguồn", "Tử số", "Mẫu số", "Tỷ lệ"}, {}};
  for (const auto& value : report.values) {
    values.rows.push_back({value.label, value.indicator ? "Chỉ số tính từ hồ sơ" : "Số liệu đơn vị báo cáo",
                           grouped(value.numerator), grouped(value.denominator), percent(value.value())});
  }
  if (report.values.empty()) body.push_back(Paragraph{"Chưa có số liệu."});
  else body.push_back(std::move(values));
  body.push_back(Paragraph{"III. KHÓ KHĂN, VƯỚNG MẮC", Paragraph::Style::heading});
  body.push_back(Paragraph{report.difficulties.empty() ? "Không có." : report.difficulties});
  body.push_back(Paragraph{"IV. ĐỀ XUẤT, KIẾN NGHỊ", Paragraph::Style::heading});
  body.push_back(Paragraph{report.proposals.empty() ? "Không có." : report.proposals});
  result.recipients = {"- " + plan.lead_unit_name.value_or(plan.issuing_unit_name) + " (tổng hợp);", "- Lưu: VT."};
  result.signer_title = "THỦ TRƯỞNG ĐƠN VỊ";
  return result;
}

}  // namespace dvchub::plan
