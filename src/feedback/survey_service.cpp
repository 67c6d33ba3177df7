#include "feedback/survey_service.h"

#include <algorithm>
#include <map>

#include "core/dates.h"
#include "feedback/field_checks.h"
#include "json/json.h"
#include "text/vietnamese.h"

namespace dvchub::feedback {
namespace {

void add_rating(RatingSummary& summary, std::int64_t rating, std::int64_t count) {
  if (rating < 1 || rating > 5) return;
  summary.responses += count;
  summary.by_rating[static_cast<std::size_t>(rating - 1)] += count;
  if (rating >= 4) summary.satisfied += count;
}

void finish(RatingSummary& summary) {
  if (summary.responses == 0) return;
  double total = 0;
  for (std::size_t index = 0; index < 5; ++index) total += double(index + 1) * double(summary.by_rating[index]);
  const double mean = total / double(summary.responses);
  summary.satisfied_share = double(summary.satisfied) / double(summary.responses);
  summary.score = (mean - 1.0) / 4.0;
}

// Adds one response to the counters of its day, unit, field and each question it answered (one statement).
Result<void> add_to_counters(storage::Connection& connection, const SurveyAnswer& answer, std::int64_t unit_id,
                             const std::string& field, TimePoint received_at) {
  storage::Parameters parameters;
  std::string rows;
  auto add = [&](const char* question, std::int64_t rating) {
    const std::size_t first = parameters.size() + 1;
    parameters.insert(parameters.end(), {format_iso_date(vietnam_date(received_at)), unit_id, field,
                                         std::string(question), rating});
    rows += (rows.empty() ? "(" : ", (") + storage::placeholders(first, 5) + ", 1)";
  };
  add("overall", *answer.overall);
  for (std::size_t index = 0; index < survey_dimensions.size(); ++index) {
    if (answer.dimensions[index]) add(survey_dimensions[index], *answer.dimensions[index]);
  }
  DVCHUB_TRY(connection.execute(
      "INSERT INTO survey_counters (day, unit_id, field, question, rating, responses) VALUES " + rows +
          " ON CONFLICT (day, unit_id, field, question, rating) DO UPDATE SET responses = "
          "survey_counters.responses + 1",
      parameters));
  return {};
}

}  // namespace

void check_survey_rating(std::vector<FieldError>& errors, const std::string& field,
                         const std::optional<std::int64_t>& rating, bool required) {
  if (!rating) {
    if (required) errors.push_back({field, "Cần chọn mức đánh giá từ 1 đến 5"});
  } else if (*rating < 1 || *rating > 5) {
    errors.push_back({field, "Mức đánh giá phải từ 1 (rất không hài lòng) đến 5 (rất hài lòng)"});
  }
}

std::string survey_dimension_label(std::string_view dimension) {
  static const std::map<std::string_view, std::string> labels = {
      {"access", "Tiếp cận dịch vụ"},
      {"procedure", "Thủ tục hành chính"},
      {"officials", "Công chức trực tiếp giải quyết công việc"},
      {"result", "Kết quả giải quyết"},
      {"feedback_handling", "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"},
      {"overall", "Mức độ hài lòng chung"}};
  auto found = labels.find(dimension);
  return found == labels.end() ? std::string(dimension) : found->second;
}

std::string survey_rating_label(int rating) {
  switch (rating) {
    case 1: return "Rất không hài lòng";
    case 2: return "Không hài lòng";
    case 3: return "Bình thường";
    case 4: return "Hài lòng";
    case 5: return "Rất hài lòng";
    default: return std::to_string(rating);
  }
}

bool has_demanding_satisfaction_target(std::string_view field) {
  const std::string folded = text::fold(field);
  for (const char* demanding : {"dat dai", "xay dung", "dau tu"}) {
    if (folded.find(demanding) != std::string::npos) return true;
  }
  return false;
}

Result<std::int64_t> SurveyService::respond(const SurveyAnswer& answer, const audit::Actor& actor) {
  std::vector<FieldError> errors;
  check_survey_rating(errors, "overall", answer.overall, true);
  for (std::size_t index = 0; index < survey_dimensions.size(); ++index) {
    check_survey_rating(errors, std::string("dimensions.") + survey_dimensions[index], answer.dimensions[index], false);
  }
  const std::string comment =
      checked_text(errors, "comment", answer.comment, false, maximum_survey_comment_characters, {});
  const std::string unit_code = checked_text(errors, "unit_code", answer.unit_code, false, 64, {});
  const std::string procedure_code = checked_text(errors, "procedure_code", answer.procedure_code, false, 64, {});
  const std::string field = checked_text(errors, "field", answer.field, false, 200, {});
  const std::string dossier_code = checked_text(errors, "dossier_code", answer.dossier_code, false, 64, {});
  std::optional<std::int64_t> unit_id;
  if (!unit_code.empty()) {
    auto unit = units_.find(unit_code, units_.today());
    if (unit) unit_id = unit->id;
    else if (unit.error().code == ErrorCode::not_found) errors.push_back({"unit_code", "Không có đơn vị mã " + unit_code});
    else return tl::unexpected(unit.error());
  }
  if (!errors.empty()) return fail_fields(std::move(errors));

  const TimePoint now = clock_.now();
  storage::Parameters parameters{to_unix_seconds(now), storage::optional_value(unit_id),
                                 procedure_code.empty() ? storage::Value{} : storage::Value{procedure_code},
                                 field.empty() ? storage::Value{} : storage::Value{field},
                                 dossier_code.empty() ? storage::Value{} : storage::Value{dossier_code},
                                 *answer.overall};
  for (const auto& rating : answer.dimensions) parameters.push_back(storage::optional_value(rating));
  parameters.push_back(comment.empty() ? storage::Value{} : storage::Value{comment});

  auto connection = DVCHUB_TRY(database_.acquire());
  std::int64_t id = 0;
  auto stored = storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO survey_responses (received_at, unit_id, procedure_code, field, dossier_code, overall, access, "
        "procedure_rating, officials, result, feedback_handling, comment) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        parameters));
    id = (*row).integer(0);
    DVCHUB_TRY(add_to_counters(*connection, answer, unit_id.value_or(0), field, now));
    // The audit record names what was rated, never the dossier code or the comment.
    json::Object after;
    after["unit"] = unit_code;
    after["procedure"] = procedure_code;
    after["overall"] = *answer.overall;
    return audit::record(*connection, clock_, actor,
                         {"survey.respond", "survey_response", std::to_string(id), std::nullopt,
                          json::serialize(after)});
  });
  if (!stored) {
    if (stored.error().code == ErrorCode::conflict && !dossier_code.empty()) {
      return fail(ErrorCode::conflict, "Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần");
    }
    return tl::unexpected(stored.error());
  }
  return id;
}

Result<SurveyStatistics> SurveyService::statistics(const std::string& unit_code, std::chrono::year_month_day from,
                                                   std::chrono::year_month_day to) const {
  storage::Parameters parameters{format_iso_date(from), format_iso_date(to)};
  std::string where = " WHERE day >= $1 AND day <= $2";
  if (!unit_code.empty()) {
    auto unit = DVCHUB_TRY(units_.find(unit_code, units_.today()));
    auto ids = DVCHUB_TRY(units_.subtree_ids(unit.id, units_.today()));
    where += " AND unit_id IN (" + storage::append_parameters(parameters, ids) + ")";
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT field, question, rating, SUM(responses) FROM survey_counters" + where + " GROUP BY field, question, rating",
      parameters));
  SurveyStatistics statistics;
  std::map<std::string, RatingSummary> fields;
  for (const auto& row : rows) {
    const std::string question = row.text(1);
    const std::int64_t rating = row.integer(2);
    const std::int64_t count = row.integer(3);
    if (question == "overall") {
      add_rating(statistics.overall, rating, count);
      if (!row.text(0).empty()) add_rating(fields[row.text(0)], rating, count);
      continue;
    }
    for (std::size_t index = 0; index < survey_dimensions.size(); ++index) {
      if (question == survey_dimensions[index]) add_rating(statistics.dimensions[index], rating, count);
    }
  }
  finish(statistics.overall);
  for (auto& dimension : statistics.dimensions) finish(dimension);
  for (auto& [field, summary] : fields) {
    finish(summary);
    FieldSatisfaction entry{field, summary, has_demanding_satisfaction_target(field), false};
    const double target = entry.demanding_target ? 0.85 : 0.90;
    entry.below_target = summary.satisfied_share && *summary.satisfied_share < target;
    statistics.by_field.push_back(std::move(entry));
  }
  std::stable_sort(statistics.by_field.begin(), statistics.by_field.end(),
                   [](const auto& left, const auto& right) { return left.overall.responses > right.overall.responses; });
  return statistics;
}

}  // namespace dvchub::feedback
