#include "plan/plan_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/dates.h"
#include "json/json.h"
#include "plan/unit_name_sql.h"
#include "plan/labels.h"

namespace dvchub::plan {
namespace {

constexpr Label role_labels[] = {{"lead", "Chủ trì"},
                                 {"coordinating", "Phối hợp"},
                                 {"oversight", "Theo dõi, đôn đốc"},
                                 {"within_scope", "Chủ trì trong phạm vi đơn vị"}};
constexpr Label status_labels[] = {
    {"not_started", "Chưa triển khai"}, {"in_progress", "Đang triển khai"}, {"done", "Đã hoàn thành"}};
constexpr const char* plan_statuses[] = {"draft", "in_force", "ended"};

// "MM-DD" naming a real day of a leap year.
bool is_month_day(const std::string& text) {
  return text.size() == 5 && text[2] == '-' && parse_iso_date("2024-" + text).has_value();
}

std::size_t role_rank(const std::string& role) {
  const auto& roles = assignment_roles();
  return std::size_t(std::find(roles.begin(), roles.end(), role) - roles.begin());
}

const std::string summary_select =
    "SELECT p.id, p.number, p.issued_on, issuer.code, " + unit_name_sql("issuer", "p.issued_on") + ", lead.code, " +
    unit_name_sql("lead", "p.issued_on") +
    ", p.title, p.basis, p.parent_id, parent.number, p.target_year, p.horizon_year, p.status, p.report_due, p.version "
    "FROM plans p JOIN units issuer ON issuer.id = p.issuing_unit_id "
    "LEFT JOIN units lead ON lead.id = p.lead_unit_id LEFT JOIN plans parent ON parent.id = p.parent_id ";

PlanSummary summary_from(const storage::Row& row) {
  PlanSummary summary;
  summary.id = row.integer(0);
  summary.number = row.text(1);
  summary.issued_on = row.text(2);
  summary.issuing_unit_code = row.text(3);
  summary.issuing_unit_name = row.text(4);
  summary.lead_unit_code = row.optional_text(5);
  summary.lead_unit_name = row.optional_text(6);
  summary.title = row.text(7);
  summary.basis = row.text(8);
  summary.parent_id = row.optional_integer(9);
  summary.parent_number = row.optional_text(10);
  summary.target_year = int(row.integer(11));
  if (!row.is_null(12)) summary.horizon_year = int(row.integer(12));
  summary.status = row.text(13);
  summary.report_due = row.optional_text(14);
  summary.version = static_cast<int>(row.integer(15));
  return summary;
}

// What the audit record keeps of a new plan: its identity and how much it holds.
std::string audit_json(const NewPlan& plan, std::int64_t id, std::size_t tasks, std::size_t assignments) {
  json::Object object;
  object["id"] = id;
  object["number"] = plan.number;
  object["issued_on"] = plan.issued_on;
  object["issuing_unit"] = plan.issuing_unit_code;
  object["title"] = plan.title;
  object["targets"] = plan.targets.size();
  object["tasks"] = tasks;
  object["assignments"] = assignments;
  return json::serialize(object);
}

}  // namespace

const std::vector<std::string>& assignment_roles() {
  static const std::vector<std::string> roles = keys_of(role_labels);
  return roles;
}

std::string role_label(const std::string& role) { return label_of(role_labels, role); }

const std::vector<std::string>& task_statuses() {
  static const std::vector<std::string> statuses = keys_of(status_labels);
  return statuses;
}

std::string status_label(const std::string& status) { return label_of(status_labels, status); }

Result<PlanSummary> PlanService::create(const NewPlan& plan, const audit::Actor& actor) {
  std::vector<FieldError> errors;
  const bool date_ok = parse_iso_date(plan.issued_on).has_value();
  if (plan.number.empty()) errors.push_back({"number", "Thiếu số, ký hiệu kế hoạch"});
  if (!date_ok) errors.push_back({"issued_on", "Ngày ban hành không hợp lệ"});
  if (plan.title.empty()) errors.push_back({"title", "Thiếu tên kế hoạch"});
  if (plan.basis.empty()) errors.push_back({"basis", "Thiếu căn cứ của kế hoạch"});
  if (plan.target_year < 2000 || plan.target_year > 2100) errors.push_back({"target_year", "Năm mục tiêu không hợp lệ"});
  if (plan.horizon_year && *plan.horizon_year < plan.target_year) {
    errors.push_back({"horizon_year", "Năm định hướng phải sau năm mục tiêu"});
  }
  if (std::find(std::begin(plan_statuses), std::end(plan_statuses), plan.status) == std::end(plan_statuses)) {
    errors.push_back({"status", "Trạng thái kế hoạch không hợp lệ"});
  }
  if (plan.report_due && !is_month_day(*plan.report_due)) {
    errors.push_back({"report_due", "Hạn báo cáo phải có dạng MM-DD"});
  }

  // Units must exist and be valid on the plan's date.
  std::map<std::string, std::int64_t> unit_ids;
  auto resolve = [&](const std::string& code, const std::string& field) -> Result<void> {
    if (!date_ok || unit_ids.count(code)) return {};
    auto unit = units_.find(code, plan.issued_on);
    if (!unit) {
      if (unit.error().code != ErrorCode::not_found) return tl::unexpected(unit.error());
      errors.push_back({field, "Không có đơn vị mã " + code});
      return {};
    }
    if (unit->valid_from > plan.issued_on || (unit->valid_to && *unit->valid_to <= plan.issued_on)) {
      errors.push_back({field, "Đơn vị " + code + " không hoạt động vào ngày ban hành kế hoạch"});
      return {};
    }
    unit_ids[code] = unit->id;
    return {};
  };
  DVCHUB_TRY(resolve(plan.issuing_unit_code, "issuing_unit_code"));
  if (plan.lead_unit_code) DVCHUB_TRY(resolve(*plan.lead_unit_code, "lead_unit_code"));

  std::set<std::pair<std::string, int>> target_keys;
  for (std::size_t index = 0; index < plan.targets.size(); ++index) {
    const auto& target = plan.targets[index];
    const std::string field = "targets[" + std::to_string(index) + "]";
    if (target.key.empty() || target.description.empty() || target.section.empty()) {
      errors.push_back({field, "Chỉ tiêu thiếu mã, mục hoặc nội dung"});
    }
    if (!target_keys.insert({target.key, target.year}).second) {
      errors.push_back({field, "Chỉ tiêu " + target.key + " năm " + std::to_string(target.year) + " bị lặp"});
    }
    if (!(target.minimum > 0 && target.minimum <= 1)) errors.push_back({field, "Mức chỉ tiêu phải trong (0; 100 %]"});
    const bool reported = target.numerator_label && target.denominator_label && !target.numerator_label->empty() &&
                          !target.denominator_label->empty();
    const bool partly_reported = target.numerator_label || target.denominator_label;
    if (target.indicator.has_value() == partly_reported || (partly_reported && !reported)) {
      errors.push_back({field, "Chỉ tiêu phải đo bằng một chỉ số hoặc bằng tử số và mẫu số đơn vị báo cáo"});
    } else if (target.indicator && !contains(kpi::indicator_keys(), *target.indicator)) {
      errors.push_back({field, "Không có chỉ số " + *target.indicator});
    }
  }

  std::set<std::string> group_codes;
  std::set<std::string> task_codes;
  std::size_t task_count = 0;
  std::size_t assignment_count = 0;
  for (const auto& group : plan.groups) {
    if (group.code.empty() || group.title.empty()) errors.push_back({"groups", "Nhóm nhiệm vụ thiếu mã hoặc tên"});
    if (!group_codes.insert(group.code).second) errors.push_back({"groups", "Nhóm nhiệm vụ " + group.code + " bị lặp"});
    for (const auto& task : group.tasks) {
      ++task_count;
      const std::string field = "tasks." + task.section_code;
      if (task.section_code.empty() || task.body.empty()) errors.push_back({field, "Nhiệm vụ thiếu mã hoặc nội dung"});
      if (!task_codes.insert(task.section_code).second) errors.push_back({field, "Mã nhiệm vụ bị lặp"});
      if (task.yearly_on && !is_month_day(*task.yearly_on)) errors.push_back({field, "Ngày hằng năm phải có dạng MM-DD"});
      std::set<std::string> task_units;
      for (const auto& assignment : task.assignments) {
        ++assignment_count;
        if (!contains(assignment_roles(), assignment.role)) {
          errors.push_back({field, "Vai trò không hợp lệ: " + assignment.role});
        }
        if (assignment.basis.empty()) errors.push_back({field, "Thiếu căn cứ giao nhiệm vụ"});
        if (!task_units.insert(assignment.unit_code).second) {
          errors.push_back({field, "Đơn vị " + assignment.unit_code + " được giao hai lần"});
        }
        DVCHUB_TRY(resolve(assignment.unit_code, field));
      }
    }
  }
  if (!errors.empty()) return fail_fields(std::move(errors));

  auto connection = DVCHUB_TRY(database_.acquire());
  if (plan.parent_id) {
    auto parent = DVCHUB_TRY(connection->query_one("SELECT id FROM plans WHERE id = $1", {*plan.parent_id}));
    if (!parent) return fail_fields({{"parent_id", "Không có kế hoạch cấp trên này"}});
  }
  const std::int64_t issuing_unit_id = unit_ids.at(plan.issuing_unit_code);
  auto existing = DVCHUB_TRY(connection->query_one(
      "SELECT id FROM plans WHERE issuing_unit_id = $1 AND number = $2", {issuing_unit_id, plan.number}));
  if (existing) {
    return fail(ErrorCode::conflict, "Đơn vị " + plan.issuing_unit_code + " đã có kế hoạch số " + plan.number);
  }

  std::int64_t plan_id = 0;
  const std::int64_t now = to_unix_seconds(clock_.now());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO plans (number, issued_on, issuing_unit_id, lead_unit_id, title, basis, parent_id, target_year, "
        "horizon_year, status, report_due, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        "RETURNING id",
        {plan.number, plan.issued_on, issuing_unit_id,
         plan.lead_unit_code ? storage::Value(unit_ids.at(*plan.lead_unit_code)) : storage::null_value(), plan.title,
         plan.basis, storage::optional_value(plan.parent_id), std::int64_t(plan.target_year),
         plan.horizon_year ? storage::Value(std::int64_t(*plan.horizon_year)) : storage::null_value(), plan.status,
         storage::optional_value(plan.report_due), now}));
    if (!row) return fail(ErrorCode::internal, "Không thể lưu kế hoạch", "INSERT ... RETURNING gave no row");
    plan_id = row->integer(0);
    std::int64_t ordinal = 0;
    for (const auto& target : plan.targets) {
      DVCHUB_TRY(connection->execute(
          "INSERT INTO plan_targets (plan_id, ordinal, section, target_key, target_year, description, minimum, "
          "indicator, numerator_label, denominator_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          {plan_id, ++ordinal, target.section, target.key, std::int64_t(target.year), target.description,
           target.minimum, storage::optional_value(target.indicator), storage::optional_value(target.numerator_label),
           storage::optional_value(target.denominator_label)}));
    }
    ordinal = 0;
    for (const auto& group : plan.groups) {
      auto group_row = DVCHUB_TRY(connection->query_one(
          "INSERT INTO plan_task_groups (plan_id, code, title) VALUES ($1, $2, $3) RETURNING id",
          {plan_id, group.code, group.title}));
      if (!group_row) return fail(ErrorCode::internal, "Không thể lưu kế hoạch", "group INSERT gave no row");
      for (const auto& task : group.tasks) {
        auto task_row = DVCHUB_TRY(connection->query_one(
            "INSERT INTO plan_tasks (group_id, ordinal, section_code, body, yearly_on) VALUES ($1, $2, $3, $4, $5) "
            "RETURNING id",
            {group_row->integer(0), ++ordinal, task.section_code, task.body, storage::optional_value(task.yearly_on)}));
        if (!task_row) return fail(ErrorCode::internal, "Không thể lưu kế hoạch", "task INSERT gave no row");
        for (const auto& assignment : task.assignments) {
          DVCHUB_TRY(connection->execute(
              "INSERT INTO plan_assignments (task_id, unit_id, role, basis) VALUES ($1, $2, $3, $4)",
              {task_row->integer(0), unit_ids.at(assignment.unit_code), assignment.role, assignment.basis}));
        }
      }
    }
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan.create", "plan", std::to_string(plan_id), std::nullopt,
                                       audit_json(plan, plan_id, task_count, assignment_count)});
  }));
  auto row = DVCHUB_TRY(connection->query_one(summary_select + "WHERE p.id = $1", {plan_id}));
  if (!row) return fail(ErrorCode::internal, "Không đọc lại được kế hoạch vừa lưu");
  return summary_from(*row);
}

Result<PlanSummary> PlanService::summary(std::int64_t id) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(summary_select + "WHERE p.id = $1", {id}));
  if (!row) return fail(ErrorCode::not_found, "Không có kế hoạch này");
  return summary_from(*row);
}

Result<std::vector<PlanSummary>> PlanService::list() const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(summary_select + "ORDER BY p.issued_on, p.id"));
  std::vector<PlanSummary> plans;
  for (const auto& row : rows) plans.push_back(summary_from(row));
  return plans;
}

Result<std::optional<PlanSummary>> PlanService::find_by_number(const std::string& issuing_unit_code,
                                                               const std::string& number) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(
      connection->query_one(summary_select + "WHERE issuer.code = $1 AND p.number = $2", {issuing_unit_code, number}));
  if (!row) return std::optional<PlanSummary>{};
  return std::optional<PlanSummary>(summary_from(*row));
}

Result<PlanDetail> PlanService::detail(std::int64_t id) const {
  PlanDetail detail;
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    auto row = DVCHUB_TRY(connection->query_one(summary_select + "WHERE p.id = $1", {id}));
    if (!row) return fail(ErrorCode::not_found, "Không có kế hoạch này");
    detail.plan = summary_from(*row);

    for (const auto& target_row : DVCHUB_TRY(connection->query(
             "SELECT target_key, target_year, section, description, minimum, indicator, numerator_label, "
             "denominator_label FROM plan_targets WHERE plan_id = $1 ORDER BY ordinal",
             {id}))) {
      Target target;
      target.key = target_row.text(0);
      target.year = int(target_row.integer(1));
      target.section = target_row.text(2);
      target.description = target_row.text(3);
      target.minimum = target_row.real(4);
      target.indicator = target_row.optional_text(5);
      target.numerator_label = target_row.optional_text(6);
      target.denominator_label = target_row.optional_text(7);
      detail.targets.push_back(std::move(target));
    }

    for (const auto& group_row : DVCHUB_TRY(connection->query(
             "SELECT code, title FROM plan_task_groups WHERE plan_id = $1 ORDER BY id", {id}))) {
      detail.groups.push_back({group_row.text(0), group_row.text(1)});
    }

    std::map<std::int64_t, std::size_t> task_index;
    for (const auto& task_row : DVCHUB_TRY(connection->query(
             "SELECT t.id, g.code, t.section_code, t.body, t.yearly_on FROM plan_tasks t "
             "JOIN plan_task_groups g ON g.id = t.group_id WHERE g.plan_id = $1 ORDER BY t.ordinal",
             {id}))) {
      task_index[task_row.integer(0)] = detail.tasks.size();
      detail.tasks.push_back({task_row.text(1), task_row.text(2), task_row.text(3), task_row.optional_text(4), {}});
    }

    for (const auto& assignment_row : DVCHUB_TRY(connection->query(
             "SELECT a.task_id, u.code, COALESCE(" + unit_name_sql("u", "$2") + ", " + latest_unit_name_sql("u") +
                 "), a.role, a.basis, a.status, a.status_note, a.status_updated_at FROM plan_assignments a "
                 "JOIN plan_tasks t ON t.id = a.task_id JOIN plan_task_groups g ON g.id = t.group_id "
                 "JOIN units u ON u.id = a.unit_id WHERE g.plan_id = $1",
             {id, detail.plan.issued_on}))) {
      auto updated_at = assignment_row.optional_integer(7);
      detail.tasks[task_index.at(assignment_row.integer(0))].assignments.push_back(
          {assignment_row.text(1), assignment_row.text(2), assignment_row.text(3), assignment_row.text(4),
           assignment_row.text(5), assignment_row.text(6),
           updated_at ? std::optional(from_unix_seconds(*updated_at)) : std::nullopt});
    }
  }
  for (auto& task : detail.tasks) {
    std::sort(task.assignments.begin(), task.assignments.end(), [](const Assignment& left, const Assignment& right) {
      return std::pair(role_rank(left.role), left.unit_code) < std::pair(role_rank(right.role), right.unit_code);
    });
  }

  std::vector<kpi::KpiReport> reports;  // one per measured period, shared by the targets
  for (auto& target : detail.targets) target.current = DVCHUB_TRY(measure(detail.plan, target, reports));
  return detail;
}

Result<std::optional<Measurement>> PlanService::measure(const PlanSummary& plan, const Target& target,
                                                        std::vector<kpi::KpiReport>& reports) const {
  if (!target.indicator) return std::optional<Measurement>{};
  auto unit = DVCHUB_TRY(units_.find(plan.issuing_unit_code, plan.issued_on));
  kpi::DayNumber last = kpi_.today();
  if (unit.valid_to) last = std::min(last, *kpi::day_from_iso(*unit.valid_to) - 1);
  const int last_year = int(std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{last}}}.year());
  const int year = std::min(target.year, last_year);
  const kpi::DayNumber from = *kpi::day_from_iso(std::to_string(year) + "-01-01");
  const kpi::DayNumber to = std::min(last, *kpi::day_from_iso(std::to_string(year) + "-12-31"));
  if (to < from) return std::optional<Measurement>{};

  auto cached = std::find_if(reports.begin(), reports.end(),
                             [&](const kpi::KpiReport& report) { return report.from == from && report.to == to; });
  if (cached == reports.end()) {
    reports.push_back(DVCHUB_TRY(kpi_.report(plan.issuing_unit_code, from, to)));
    cached = reports.end() - 1;
  }
  for (const auto& indicator : cached->indicators) {
    if (indicator.key == *target.indicator) {
      return std::optional<Measurement>(Measurement{kpi::iso_from_day(from), kpi::iso_from_day(to),
                                                    indicator.numerator, indicator.denominator, indicator.value});
    }
  }
  return std::optional<Measurement>{};
}

}  // namespace dvchub::plan
