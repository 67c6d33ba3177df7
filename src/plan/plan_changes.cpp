#include "plan/plan_changes.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/dates.h"
#include "core/strings.h"
#include "json/json.h"
#include "plan/formatting.h"
#include "plan/unit_name_sql.h"
#include "plan/labels.h"

namespace dvchub::plan {
namespace {

bool is_lead_office(const http::Principal& principal) {
  return principal.role == "admin" || principal.role == "coordinator";
}

bool is_task_field(const std::string& field) { return field != "target_value"; }

bool valid_on(const units::Unit& unit, const std::string& day) {
  return unit.valid_from <= day && (!unit.valid_to || day < *unit.valid_to);
}

// A share as stored: "0.9", "1", "0.855".
std::string share_text(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", share);
  return text;
}

// Lead and coordinating units as stored: "lead=A,B;coordinating=C", codes sorted.
struct TaskUnits {
  std::vector<std::string> lead;
  std::vector<std::string> coordinating;
};

std::string join_codes(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  std::string text;
  for (const auto& code : codes) text += (text.empty() ? "" : ",") + code;
  return text;
}

std::string units_text(const TaskUnits& units) {
  return "lead=" + join_codes(units.lead) + ";coordinating=" + join_codes(units.coordinating);
}

std::vector<std::string> split_codes(const std::string& text) {
  std::vector<std::string> codes;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) codes.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return codes;
}

TaskUnits parse_units(const std::string& text) {
  TaskUnits units;
  const auto separator = text.find(";coordinating=");
  if (text.rfind("lead=", 0) != 0 || separator == std::string::npos) return units;
  units.lead = split_codes(text.substr(5, separator - 5));
  units.coordinating = split_codes(text.substr(separator + 14));
  return units;
}

// "MM-DD" of a day that exists in a leap year.
bool is_month_day(const std::string& text) {
  if (text.size() != 5 || text[2] != '-') return false;
  for (std::size_t index : {0u, 1u, 3u, 4u}) {
    if (text[index] < '0' || text[index] > '9') return false;
  }
  return parse_iso_date("2024-" + text).has_value();
}

// The field's value today, in its stored form.
Result<std::string> current_value(storage::Connection& connection, const std::string& field,
                                  std::optional<std::int64_t> task_id, std::optional<std::int64_t> target_id) {
  if (field == "target_value") {
    auto row = DVCHUB_TRY(connection.query_one("SELECT minimum FROM plan_targets WHERE id = $1", {*target_id}));
    if (!row) return fail(ErrorCode::not_found, "Không có chỉ tiêu này");
    return share_text(row->real(0));
  }
  if (field == "task_units") {
    TaskUnits units;
    for (const auto& row : DVCHUB_TRY(connection.query(
             "SELECT u.code, a.role FROM plan_assignments a JOIN units u ON u.id = a.unit_id "
             "WHERE a.task_id = $1 AND a.role IN ('lead', 'coordinating')",
             {*task_id}))) {
      (row.text(1) == "lead" ? units.lead : units.coordinating).push_back(row.text(0));
    }
    return units_text(units);
  }
  auto row = DVCHUB_TRY(connection.query_one("SELECT body, yearly_on FROM plan_tasks WHERE id = $1", {*task_id}));
  if (!row) return fail(ErrorCode::not_found, "Không có nhiệm vụ này");
  return field == "task_text" ? row->text(0) : row->optional_text(1).value_or("");
}

// Writes an accepted amendment's value into the plan.
Result<void> apply(storage::Connection& connection, const units::UnitService& units, const std::string& field,
                   std::optional<std::int64_t> task_id, std::optional<std::int64_t> target_id,
                   const std::string& value, int version) {
  if (field == "target_value") {
    DVCHUB_TRY(connection.execute("UPDATE plan_targets SET minimum = $1 WHERE id = $2", {std::stod(value), *target_id}));
    return {};
  }
  if (field == "task_text") {
    DVCHUB_TRY(connection.execute("UPDATE plan_tasks SET body = $1 WHERE id = $2", {value, *task_id}));
    return {};
  }
  if (field == "task_due") {
    DVCHUB_TRY(connection.execute("UPDATE plan_tasks SET yearly_on = $1 WHERE id = $2",
                                  {value.empty() ? storage::null_value() : storage::Value(value), *task_id}));
    return {};
  }
  // task_units: units leaving both roles lose the assignment (and their status); the others take their new role and
  // keep their status.
  const TaskUnits wanted = parse_units(value);
  const std::string basis = "Sửa đổi, phiên bản " + std::to_string(version);
  const std::string today = units.today();
  std::set<std::int64_t> kept;
  for (const auto& [role, codes] : {std::pair{"lead", wanted.lead}, std::pair{"coordinating", wanted.coordinating}}) {
    for (const auto& code : codes) {
      const std::int64_t unit_id = DVCHUB_TRY(units.find(code, today)).id;
      kept.insert(unit_id);
      auto changed = DVCHUB_TRY(connection.execute(
          "UPDATE plan_assignments SET role = $1, basis = $2 WHERE task_id = $3 AND unit_id = $4 AND role <> $1",
          {std::string(role), basis, *task_id, unit_id}));
      if (changed == 0) {
        DVCHUB_TRY(connection.execute(
            "INSERT INTO plan_assignments (task_id, unit_id, role, basis) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (task_id, unit_id) DO NOTHING",
            {*task_id, unit_id, std::string(role), basis}));
      }
    }
  }
  for (const auto& row : DVCHUB_TRY(connection.query(
           "SELECT unit_id FROM plan_assignments WHERE task_id = $1 AND role IN ('lead', 'coordinating')",
           {*task_id}))) {
    if (!kept.count(row.integer(0))) {
      DVCHUB_TRY(connection.execute("DELETE FROM plan_assignments WHERE task_id = $1 AND unit_id = $2",
                                    {*task_id, row.integer(0)}));
    }
  }
  return {};
}

std::string amendment_json(const Amendment& amendment) {
  return json::serialize(json::Object{{"plan_id", amendment.plan_id},
                                      {"unit", amendment.unit_code},
                                      {"field", amendment.field},
                                      {"subject", amendment.subject},
                                      {"before", amendment.before_value},
                                      {"proposed", amendment.proposed_value},
                                      {"reason", amendment.reason},
                                      {"status", amendment.status},
                                      {"decision_reason", amendment.decision_reason},
                                      {"version", amendment.version ? json::Value(*amendment.version)
                                                                    : json::Value(nullptr)}});
}

// The words of `text`, each with the whitespace after it.
std::vector<std::string> word_tokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::size_t index = 0;
  auto is_space = [](char character) { return character == ' ' || character == '\n' || character == '\t' || character == '\r'; };
  while (index < text.size()) {
    const std::size_t start = index;
    while (index < text.size() && !is_space(text[index])) ++index;
    while (index < text.size() && is_space(text[index])) ++index;
    tokens.push_back(text.substr(start, index - start));
  }
  return tokens;
}

std::string word_of(const std::string& token) {
  return token.substr(0, token.find_first_of(" \n\t\r"));
}

void append_part(std::vector<DiffPart>& parts, DiffPart::Kind kind, const std::string& text) {
  if (!parts.empty() && parts.back().kind == kind) {
    parts.back().text += text;
  } else {
    parts.push_back({kind, text});
  }
}

constexpr std::size_t diff_word_limit = 2'000;

}  // namespace

const std::vector<std::string>& amendment_fields() {
  static const std::vector<std::string> fields{"task_text", "task_units", "task_due", "target_value"};
  return fields;
}

std::string amendment_field_label(const std::string& field) {
  if (field == "task_text") return "Nội dung nhiệm vụ";
  if (field == "task_units") return "Đơn vị chủ trì, phối hợp";
  if (field == "task_due") return "Thời hạn hằng năm";
  if (field == "target_value") return "Giá trị chỉ tiêu";
  return field;
}

std::string amendment_status_label(const std::string& status) {
  if (status == "proposed") return "Chờ xem xét";
  if (status == "accepted") return "Đã chấp thuận";
  if (status == "rejected") return "Không chấp thuận";
  return status;
}

std::vector<DiffPart> word_diff(const std::string& before, const std::string& after) {
  const auto old_tokens = word_tokens(before);
  const auto new_tokens = word_tokens(after);
  std::vector<DiffPart> parts;
  if (old_tokens.size() > diff_word_limit || new_tokens.size() > diff_word_limit) {
    if (!before.empty()) parts.push_back({DiffPart::Kind::removed, before});
    if (!after.empty()) parts.push_back({DiffPart::Kind::added, after});
    return parts;
  }
  const std::size_t rows = old_tokens.size(), columns = new_tokens.size();
  // common[i][j]: the longest common subsequence of the words from i and from j on.
  std::vector<std::uint16_t> common((rows + 1) * (columns + 1), 0);
  auto at = [&](std::size_t row, std::size_t column) -> std::uint16_t& { return common[row * (columns + 1) + column]; };
  for (std::size_t row = rows; row-- > 0;) {
    for (std::size_t column = columns; column-- > 0;) {
      at(row, column) = word_of(old_tokens[row]) == word_of(new_tokens[column])
                            ? static_cast<std::uint16_t>(at(row + 1, column + 1) + 1)
                            : std::max(at(row + 1, column), at(row, column + 1));
    }
  }
  std::size_t row = 0, column = 0;
  std::string removed, added;  // a replacement shows what went before what came
  auto flush = [&] {
    if (!removed.empty()) append_part(parts, DiffPart::Kind::removed, removed);
    if (!added.empty()) append_part(parts, DiffPart::Kind::added, added);
    removed.clear();
    added.clear();
  };
  while (row < rows || column < columns) {
    if (row < rows && column < columns && word_of(old_tokens[row]) == word_of(new_tokens[column])) {
      flush();
      // The new text's spacing, unless only the old word has space after it (before a removal).
      const bool old_spaced = old_tokens[row].size() > new_tokens[column].size();
      append_part(parts, DiffPart::Kind::same, old_spaced ? old_tokens[row] : new_tokens[column]);
      ++row;
      ++column;
    } else if (column < columns && (row == rows || at(row, column + 1) >= at(row + 1, column))) {
      added += new_tokens[column++];
    } else {
      removed += old_tokens[row++];
    }
  }
  flush();
  return parts;
}

Result<Assignment> PlanChangeService::set_task_status(std::int64_t plan_id, const TaskStatusInput& input,
                                                      const http::Principal& principal, const audit::Actor& actor) {
  DVCHUB_TRY(plans_.summary(plan_id));
  if (!DVCHUB_TRY(reporting_.may_write(principal, input.unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được cập nhật tiến độ cho đơn vị " + input.unit_code);
  }
  std::vector<FieldError> errors;
  if (!contains(task_statuses(), input.status)) errors.push_back({"status", "Trạng thái không hợp lệ"});
  const std::string note = trimmed(input.note);
  if (characters(note) > status_note_limit) {
    errors.push_back({"note", "Ghi chú không quá " + grouped(status_note_limit) + " ký tự"});
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(
      "SELECT a.task_id, a.unit_id, a.role, a.basis, a.status, a.status_note FROM plan_assignments a "
      "JOIN plan_tasks t ON t.id = a.task_id JOIN plan_task_groups g ON g.id = t.group_id "
      "JOIN units u ON u.id = a.unit_id WHERE g.plan_id = $1 AND t.section_code = $2 AND u.code = $3",
      {plan_id, input.task_code, input.unit_code}));
  if (!row) {
    errors.push_back({"task", "Đơn vị " + input.unit_code + " không được giao nhiệm vụ " + input.task_code});
  } else if (row->text(2) == "oversight") {
    errors.push_back({"task", "Đơn vị chỉ theo dõi, đôn đốc nhiệm vụ " + input.task_code +
                                  ", không cập nhật tiến độ của nhiệm vụ này"});
  }
  if (!errors.empty()) return fail_fields(std::move(errors));

  const TimePoint now = clock_.now();
  auto state = [&](const std::string& status, const std::string& status_note) {
    return json::serialize(json::Object{
        {"plan_id", plan_id}, {"task", input.task_code}, {"unit", input.unit_code}, {"status", status}, {"note", status_note}});
  };
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(connection->execute(
        "UPDATE plan_assignments SET status = $1, status_note = $2, status_updated_at = $3 "
        "WHERE task_id = $4 AND unit_id = $5",
        {input.status, note, to_unix_seconds(now), row->integer(0), row->integer(1)}));
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan_task.status", "plan_assignment",
                                       std::to_string(row->integer(0)) + "/" + input.unit_code,
                                       state(row->text(4), row->text(5)), state(input.status, note)});
  }));
  auto unit = DVCHUB_TRY(units_.find(input.unit_code, units_.today()));
  return Assignment{input.unit_code, unit.name, row->text(2), row->text(3), input.status, note, now};
}

Result<Amendment> PlanChangeService::propose(std::int64_t plan_id, const AmendmentInput& input,
                                             const http::Principal& principal, const audit::Actor& actor) {
  const PlanSummary plan = DVCHUB_TRY(plans_.summary(plan_id));
  if (!DVCHUB_TRY(reporting_.may_write(principal, input.unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được đề xuất sửa đổi thay cho đơn vị " + input.unit_code);
  }
  const std::string today = units_.today();
  std::vector<FieldError> errors;
  std::optional<std::int64_t> unit_id;
  if (auto unit = units_.find(input.unit_code, today); unit) {
    unit_id = unit->id;
  } else if (unit.error().code == ErrorCode::not_found) {
    errors.push_back({"unit", "Không có đơn vị " + input.unit_code});
  } else {
    return tl::unexpected(unit.error());
  }
  const std::string reason = trimmed(input.reason);
  if (reason.empty()) errors.push_back({"reason", "Nêu lý do đề xuất sửa đổi"});
  else if (characters(reason) > amendment_reason_limit)
    errors.push_back({"reason", "Lý do không quá " + grouped(amendment_reason_limit) + " ký tự"});
  const bool field_ok = contains(amendment_fields(), input.field);
  if (!field_ok) errors.push_back({"field", "Nội dung đề xuất sửa đổi không hợp lệ"});

  auto connection = DVCHUB_TRY(database_.acquire());
  std::optional<std::int64_t> task_id, target_id;
  if (field_ok && is_task_field(input.field)) {
    auto task = DVCHUB_TRY(connection->query_one(
        "SELECT t.id FROM plan_tasks t JOIN plan_task_groups g ON g.id = t.group_id "
        "WHERE g.plan_id = $1 AND t.section_code = $2",
        {plan_id, input.task_code}));
    if (task) task_id = task->integer(0);
    else errors.push_back({"task", "Kế hoạch không có nhiệm vụ " + input.task_code});
  } else if (field_ok) {
    auto target = DVCHUB_TRY(connection->query_one(
        "SELECT id FROM plan_targets WHERE plan_id = $1 AND target_key = $2 AND target_year = $3",
        {plan_id, input.target_key, std::int64_t(input.target_year)}));
    if (target) target_id = target->integer(0);
    else errors.push_back({"target", "Kế hoạch không có chỉ tiêu này"});
  }

  std::string proposed;
  std::string value_field = "text";
  if (input.field == "task_text") {
    std::string text = trimmed(input.text);
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    if (text.empty()) errors.push_back({"text", "Nhập nội dung mới của nhiệm vụ"});
    else if (characters(text) > task_text_limit)
      errors.push_back({"text", "Nội dung nhiệm vụ không quá " + grouped(task_text_limit) + " ký tự"});
    proposed = text;
  } else if (input.field == "task_due") {
    value_field = "yearly_on";
    proposed = trimmed(input.yearly_on);
    if (!proposed.empty() && !is_month_day(proposed)) {
      errors.push_back({"yearly_on", "Thời hạn hằng năm phải là một ngày trong năm (tháng-ngày, như 12-08)"});
    }
  } else if (input.field == "target_value") {
    value_field = "target_value";
    if (!(input.target_value > 0 && input.target_value <= 1)) {
      errors.push_back({"target_value", "Giá trị chỉ tiêu mới phải lớn hơn 0 % và không quá 100 %"});
    }
    proposed = share_text(input.target_value);
  } else if (input.field == "task_units") {
    value_field = "lead_units";
    TaskUnits units;
    for (auto [list, source, name] : {std::tuple{&units.lead, &input.lead_units, "lead_units"},
                                      std::tuple{&units.coordinating, &input.coordinating_units, "coordinating_units"}}) {
      for (const auto& entry : *source) {
        const std::string code = trimmed(entry);
        if (code.empty() || contains(*list, code)) continue;
        auto unit = units_.find(code, today);
        if (!unit) {
          if (unit.error().code != ErrorCode::not_found) return tl::unexpected(unit.error());
          errors.push_back({name, "Không có đơn vị " + code});
        } else if (!valid_on(*unit, today) && !valid_on(*unit, plan.issued_on)) {
          errors.push_back({name, "Đơn vị " + code + " không hoạt động vào ngày ban hành kế hoạch hay hôm nay"});
        }
        list->push_back(code);
      }
      if (list->size() > task_units_limit) {
        errors.push_back({name, "Mỗi vai trò không quá " + std::to_string(task_units_limit) + " đơn vị"});
      }
    }
    for (const auto& code : units.lead) {
      if (contains(units.coordinating, code)) {
        errors.push_back({"coordinating_units", "Đơn vị " + code + " không thể vừa chủ trì vừa phối hợp"});
      }
    }
    proposed = units_text(units);
  }
  std::string before;
  if (task_id || target_id) {
    before = DVCHUB_TRY(current_value(*connection, input.field, task_id, target_id));
    if (errors.empty() && before == proposed) {
      errors.push_back({value_field, "Nội dung đề xuất giống nội dung hiện hành"});
    }
  }
  if (!errors.empty()) return fail_fields(std::move(errors));

  std::int64_t amendment_id = 0;
  Amendment created;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO plan_amendments (plan_id, unit_id, field, task_id, target_id, before_value, proposed_value, "
        "reason, status, proposed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'proposed', $9) RETURNING id",
        {plan_id, *unit_id, input.field, storage::optional_value(task_id), storage::optional_value(target_id), before,
         proposed, reason, to_unix_seconds(clock_.now())}));
    if (!row) return fail(ErrorCode::internal, "Không lưu được đề xuất sửa đổi", "INSERT ... RETURNING gave no row");
    amendment_id = row->integer(0);
    auto loaded = DVCHUB_TRY(load(*connection, "a.id = $1", {amendment_id}));
    if (loaded.empty()) return fail(ErrorCode::internal, "Không đọc lại được đề xuất sửa đổi");
    created = std::move(loaded.front());
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan_amendment.propose", "plan_amendment", std::to_string(amendment_id),
                                       std::nullopt, amendment_json(created)});
  }));
  return created;
}

Result<Amendment> PlanChangeService::decide(std::int64_t amendment_id, bool accept, const std::string& reason_text,
                                            const http::Principal& principal, const audit::Actor& actor) {
  if (!is_lead_office(principal)) {
    return fail(ErrorCode::forbidden, "Chỉ cơ quan chủ trì theo dõi kế hoạch được xem xét đề xuất sửa đổi");
  }
  const std::string reason = trimmed(reason_text);
  if (reason.empty()) {
    return fail_fields({{"reason", accept ? "Nêu căn cứ chấp thuận sửa đổi" : "Nêu lý do không chấp thuận"}});
  }
  if (characters(reason) > amendment_reason_limit) {
    return fail_fields({{"reason", "Lý do không quá " + grouped(amendment_reason_limit) + " ký tự"}});
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  auto found = DVCHUB_TRY(load(*connection, "a.id = $1", {amendment_id}));
  if (found.empty()) return fail(ErrorCode::not_found, "Không có đề xuất sửa đổi này");
  const Amendment before = found.front();
  Amendment decided;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    // Decided once: the status check and the change happen under the row's write lock.
    auto changed = DVCHUB_TRY(connection->execute(
        "UPDATE plan_amendments SET status = $1, decision_reason = $2, decided_at = $3 "
        "WHERE id = $4 AND status = 'proposed'",
        {std::string(accept ? "accepted" : "rejected"), reason, to_unix_seconds(clock_.now()), amendment_id}));
    if (changed != 1) return fail(ErrorCode::conflict, "Đề xuất sửa đổi này đã được xem xét");
    if (accept) {
      auto ids = DVCHUB_TRY(connection->query_one("SELECT task_id, target_id FROM plan_amendments WHERE id = $1",
                                                  {amendment_id}));
      const auto task_id = ids->optional_integer(0);
      const auto target_id = ids->optional_integer(1);
      if (DVCHUB_TRY(current_value(*connection, before.field, task_id, target_id)) != before.before_value) {
        return fail(ErrorCode::conflict,
                    "Nội dung này đã được sửa đổi sau khi có đề xuất; hãy không chấp thuận và đề xuất lại");
      }
      auto version_row = DVCHUB_TRY(connection->query_one(
          "UPDATE plans SET version = version + 1 WHERE id = $1 RETURNING version", {before.plan_id}));
      if (!version_row) return fail(ErrorCode::not_found, "Không có kế hoạch này");
      const int version = static_cast<int>(version_row->integer(0));
      DVCHUB_TRY(connection->execute("UPDATE plan_amendments SET version = $1 WHERE id = $2",
                                     {std::int64_t(version), amendment_id}));
      DVCHUB_TRY(apply(*connection, units_, before.field, task_id, target_id, before.proposed_value, version));
    }
    auto loaded = DVCHUB_TRY(load(*connection, "a.id = $1", {amendment_id}));
    decided = loaded.front();
    return audit::record(*connection, clock_, actor,
                         audit::Change{accept ? "plan_amendment.accept" : "plan_amendment.reject", "plan_amendment",
                                       std::to_string(amendment_id), amendment_json(before),
                                       amendment_json(decided)});
  }));
  return decided;
}

Result<std::vector<Amendment>> PlanChangeService::amendments(std::int64_t plan_id,
                                                             const http::Principal& principal) const {
  DVCHUB_TRY(plans_.summary(plan_id));
  auto connection = DVCHUB_TRY(database_.acquire());
  auto all = DVCHUB_TRY(load(*connection, "a.plan_id = $1 ORDER BY a.proposed_at DESC, a.id DESC", {plan_id}));
  if (principal.role != "officer") return all;
  std::vector<Amendment> readable;
  for (auto& amendment : all) {
    if (DVCHUB_TRY(reporting_.may_write(principal, amendment.unit_code))) readable.push_back(std::move(amendment));
  }
  return readable;
}

Result<std::vector<Amendment>> PlanChangeService::versions(std::int64_t plan_id) const {
  DVCHUB_TRY(plans_.summary(plan_id));
  auto connection = DVCHUB_TRY(database_.acquire());
  return load(*connection, "a.plan_id = $1 AND a.status = 'accepted' ORDER BY a.version", {plan_id});
}

Result<std::vector<Amendment>> PlanChangeService::load(storage::Connection& connection, const std::string& condition,
                                                       const storage::Parameters& parameters) const {
  const std::string today = units_.today();
  storage::Parameters all = parameters;
  all.emplace_back(today);
  const std::string day = "$" + std::to_string(all.size());
  auto rows = DVCHUB_TRY(connection.query(
      "SELECT a.id, a.plan_id, u.code, COALESCE(" + unit_name_sql("u", day) + ", " + latest_unit_name_sql("u") +
          "), a.field, t.section_code, tg.section, tg.target_key, tg.target_year, a.before_value, a.proposed_value, "
          "a.reason, a.status, a.proposed_at, a.decision_reason, a.decided_at, a.version FROM plan_amendments a "
          "JOIN units u ON u.id = a.unit_id LEFT JOIN plan_tasks t ON t.id = a.task_id "
          "LEFT JOIN plan_targets tg ON tg.id = a.target_id WHERE " +
          condition,
      all));
  std::vector<Amendment> amendments;
  for (const auto& row : rows) {
    Amendment amendment;
    amendment.id = row.integer(0);
    amendment.plan_id = row.integer(1);
    amendment.unit_code = row.text(2);
    amendment.unit_name = row.optional_text(3).value_or(amendment.unit_code);
    amendment.field = row.text(4);
    amendment.subject = row.optional_text(5).value_or(
        row.optional_text(6).value_or("") + " — " + row.optional_text(7).value_or("") + " (" +
        std::to_string(row.optional_integer(8).value_or(0)) + ")");
    amendment.before_value = row.text(9);
    amendment.proposed_value = row.text(10);
    amendment.reason = row.text(11);
    amendment.status = row.text(12);
    amendment.proposed_at = from_unix_seconds(row.integer(13));
    amendment.decision_reason = row.optional_text(14).value_or("");
    if (auto decided_at = row.optional_integer(15)) amendment.decided_at = from_unix_seconds(*decided_at);
    if (auto version = row.optional_integer(16)) amendment.version = static_cast<int>(*version);
    amendment.changes = DVCHUB_TRY(describe(amendment, today));
    amendments.push_back(std::move(amendment));
  }
  return amendments;
}

Result<std::vector<ChangeLine>> PlanChangeService::describe(const Amendment& amendment, const std::string& day) const {
  using Kind = DiffPart::Kind;
  const std::string& before = amendment.before_value;
  const std::string& after = amendment.proposed_value;
  if (amendment.field == "task_text") return std::vector<ChangeLine>{{"Nội dung", word_diff(before, after)}};
  if (amendment.field == "task_due") {
    auto shown = [](const std::string& value) { return value.empty() ? "không có" : display_month_day(value); };
    return std::vector<ChangeLine>{{"Thời hạn hằng năm", {{Kind::removed, shown(before)}, {Kind::added, shown(after)}}}};
  }
  if (amendment.field == "target_value") {
    return std::vector<ChangeLine>{{"Giá trị chỉ tiêu",
                                    {{Kind::removed, percent(std::stod(before))}, {Kind::added, percent(std::stod(after))}}}};
  }
  // task_units: per role, the units kept, removed and added, by name.
  const TaskUnits old_units = parse_units(before), new_units = parse_units(after);
  std::vector<ChangeLine> lines;
  for (const auto& [label, old_codes, new_codes] :
       {std::tuple{"Chủ trì", &old_units.lead, &new_units.lead},
        std::tuple{"Phối hợp", &old_units.coordinating, &new_units.coordinating}}) {
    std::vector<std::pair<Kind, std::string>> entries;
    for (const auto& code : *old_codes) entries.emplace_back(contains(*new_codes, code) ? Kind::same : Kind::removed, code);
    for (const auto& code : *new_codes) {
      if (!contains(*old_codes, code)) entries.emplace_back(Kind::added, code);
    }
    ChangeLine line{label, {}};
    for (std::size_t index = 0; index < entries.size(); ++index) {
      auto unit = units_.find(entries[index].second, day);
      if (!unit && unit.error().code != ErrorCode::not_found) return tl::unexpected(unit.error());
      line.parts.push_back({entries[index].first, (unit ? unit->name : entries[index].second) +
                                                      (index + 1 < entries.size() ? "; " : "")});
    }
    if (line.parts.empty()) line.parts.push_back({Kind::same, "không có"});
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace dvchub::plan
