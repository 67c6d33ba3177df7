#include "feedback/answer_templates.h"

#include "core/dates.h"
#include "feedback/field_checks.h"
#include "json/json.h"

namespace dvchub::feedback {
namespace {

constexpr const char* template_columns =
    "SELECT id, title, body, retired, updated_by, updated_at FROM feedback_answer_templates ";

AnswerTemplate template_from_row(const storage::Row& row) {
  return AnswerTemplate{row.integer(0), row.text(1), row.text(2), row.integer(3) != 0, row.text(4),
                        from_unix_seconds(row.integer(5))};
}

std::string template_json(const std::string& title, bool retired) {
  json::Object object;
  object["title"] = title;
  object["retired"] = retired;
  return json::serialize(object);
}

}  // namespace

Result<std::vector<AnswerTemplate>> AnswerTemplateService::list(bool include_retired) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(std::string(template_columns) +
                                           (include_retired ? "" : "WHERE retired = 0 ") + "ORDER BY title, id"));
  std::vector<AnswerTemplate> templates;
  for (const auto& row : rows) templates.push_back(template_from_row(row));
  return templates;
}

Result<AnswerTemplate> AnswerTemplateService::find(std::int64_t id) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(std::string(template_columns) + "WHERE id = $1", {id}));
  if (!row) return fail(ErrorCode::not_found, "Không có mẫu trả lời này");
  return template_from_row(*row);
}

Result<AnswerTemplate> AnswerTemplateService::save(std::int64_t id, const std::string& title, const std::string& body,
                                                   const audit::Actor& actor) {
  std::vector<FieldError> errors;
  const std::string clean_title = checked_text(errors, "title", title, true, 200, "Cần có tên mẫu");
  const std::string clean_body = checked_text(errors, "body", body, true, 8000, "Cần có nội dung mẫu");
  if (!errors.empty()) return fail_fields(std::move(errors));
  const std::int64_t now = to_unix_seconds(clock_.now());
  auto connection = DVCHUB_TRY(database_.acquire());
  std::int64_t stored_id = id;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    std::optional<std::string> before;
    if (id == 0) {
      auto row = DVCHUB_TRY(connection->query_one(
          "INSERT INTO feedback_answer_templates (title, body, updated_by, updated_at) VALUES ($1, $2, $3, $4) "
          "RETURNING id",
          {clean_title, clean_body, actor.name, now}));
      stored_id = (*row).integer(0);
    } else {
      auto current = DVCHUB_TRY(connection->query_one(std::string(template_columns) + "WHERE id = $1", {id}));
      if (!current) return fail(ErrorCode::not_found, "Không có mẫu trả lời này");
      before = template_json(current->text(1), current->integer(3) != 0);
      DVCHUB_TRY(connection->execute(
          "UPDATE feedback_answer_templates SET title = $2, body = $3, updated_by = $4, updated_at = $5 WHERE id = $1",
          {id, clean_title, clean_body, actor.name, now}));
    }
    return audit::record(*connection, clock_, actor,
                         {id == 0 ? "feedback_template.create" : "feedback_template.update", "feedback_template",
                          std::to_string(stored_id), before, template_json(clean_title, false)});
  }));
  return find(stored_id);
}

Result<void> AnswerTemplateService::retire(std::int64_t id, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto current = DVCHUB_TRY(connection->query_one(std::string(template_columns) + "WHERE id = $1", {id}));
    if (!current) return fail(ErrorCode::not_found, "Không có mẫu trả lời này");
    if (current->integer(3) != 0) return fail(ErrorCode::conflict, "Mẫu này đã ngừng dùng");
    DVCHUB_TRY(connection->execute(
        "UPDATE feedback_answer_templates SET retired = 1, updated_by = $2, updated_at = $3 WHERE id = $1",
        {id, actor.name, to_unix_seconds(clock_.now())}));
    return audit::record(*connection, clock_, actor,
                         {"feedback_template.retire", "feedback_template", std::to_string(id),
                          template_json(current->text(1), false), template_json(current->text(1), true)});
  });
}

}  // namespace dvchub::feedback
