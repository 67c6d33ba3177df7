#include "feedback/deadline_rules.h"

#include <algorithm>

#include "core/dates.h"
#include "json/json.h"

namespace dvchub::feedback {
namespace {

constexpr const char* rule_columns =
    "SELECT kind, subject, classify_days, answer_days, publish_days, extension_days, updated_by, updated_at "
    "FROM feedback_deadline_rules ";

DeadlineRule rule_from_row(const storage::Row& row) {
  DeadlineRule rule;
  rule.kind = row.text(0);
  rule.subject = row.text(1);
  rule.deadlines = Deadlines{static_cast<int>(row.integer(2)), static_cast<int>(row.integer(3)),
                             static_cast<int>(row.integer(4)), static_cast<int>(row.integer(5))};
  rule.updated_by = row.text(6);
  rule.updated_at = from_unix_seconds(row.integer(7));
  return rule;
}

// 0: a pair, 1: a kind, 2: a subject — lower is more specific.
int generality(const DeadlineRule& rule) {
  if (!rule.kind.empty() && !rule.subject.empty()) return 0;
  return rule.kind.empty() ? 2 : 1;
}

bool known(std::string_view value, const std::array<std::string_view, 4>& values) {
  return value.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

std::string rule_json(const DeadlineRule& rule) {
  json::Object object;
  object["classify"] = rule.deadlines.classify;
  object["answer"] = rule.deadlines.answer;
  object["publish"] = rule.deadlines.publish;
  object["extension"] = rule.deadlines.extension;
  return json::serialize(object);
}

std::string rule_key(std::string_view kind, std::string_view subject) {
  return std::string(kind.empty() ? "*" : kind) + "/" + std::string(subject.empty() ? "*" : subject);
}

void check_days(std::vector<FieldError>& errors, const char* field, int days, int minimum, int maximum,
                const char* step) {
  if (days < minimum || days > maximum) {
    errors.push_back({field, std::string("Thời hạn ") + step + " phải từ " + std::to_string(minimum) + " đến " +
                                 std::to_string(maximum) + " ngày làm việc"});
  }
}

}  // namespace

Result<std::shared_ptr<const std::vector<DeadlineRule>>> DeadlineRuleService::cached_rules() const {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (cache_) return cache_;
    generation = generation_;
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(std::string(rule_columns) + "ORDER BY kind, subject"));
  std::vector<DeadlineRule> loaded;
  for (const auto& row : rows) loaded.push_back(rule_from_row(row));
  std::stable_sort(loaded.begin(), loaded.end(),
                   [](const DeadlineRule& left, const DeadlineRule& right) { return generality(left) > generality(right); });
  auto shared = std::make_shared<const std::vector<DeadlineRule>>(std::move(loaded));
  std::lock_guard lock(mutex_);
  if (generation == generation_) cache_ = shared;
  return shared;
}

void DeadlineRuleService::forget_cache() {
  std::lock_guard lock(mutex_);
  cache_.reset();
  ++generation_;
}

Result<Deadlines> DeadlineRuleService::deadlines_for(std::string_view kind, std::string_view subject) const {
  auto rules = DVCHUB_TRY(cached_rules());
  const DeadlineRule* best = nullptr;
  for (const DeadlineRule& rule : *rules) {
    const bool kind_matches = rule.kind.empty() || rule.kind == kind;
    const bool subject_matches = rule.subject.empty() || rule.subject == subject;
    if (kind_matches && subject_matches && (best == nullptr || generality(rule) < generality(*best))) best = &rule;
  }
  return best ? best->deadlines : defaults_;
}

Result<std::vector<DeadlineRule>> DeadlineRuleService::rules() const {
  auto rules = DVCHUB_TRY(cached_rules());
  return *rules;
}

Result<void> DeadlineRuleService::set(const DeadlineRule& rule, const audit::Actor& actor) {
  std::vector<FieldError> errors;
  if (!known(rule.kind, feedback_kinds)) errors.push_back({"kind", "Loại phản ánh không hợp lệ"});
  if (!known(rule.subject, feedback_subjects)) errors.push_back({"subject", "Nội dung phản ánh không hợp lệ"});
  if (rule.kind.empty() && rule.subject.empty()) {
    errors.push_back({"kind", "Chọn loại hoặc nội dung phản ánh (thời hạn chung theo quy định đã có sẵn)"});
  }
  check_days(errors, "classify", rule.deadlines.classify, 1, maximum_classify_days, "phân loại");
  check_days(errors, "answer", rule.deadlines.answer, 1, maximum_answer_days, "trả lời");
  check_days(errors, "publish", rule.deadlines.publish, 1, maximum_publish_days, "công khai");
  check_days(errors, "extension", rule.deadlines.extension, 0, maximum_extension_days, "gia hạn");
  if (!errors.empty()) return fail_fields(std::move(errors));

  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto current = DVCHUB_TRY(connection->query_one(std::string(rule_columns) + "WHERE kind = $1 AND subject = $2",
                                                    {rule.kind, rule.subject}));
    DVCHUB_TRY(connection->execute(
        "INSERT INTO feedback_deadline_rules (kind, subject, classify_days, answer_days, publish_days, "
        "extension_days, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (kind, subject) DO UPDATE SET classify_days = excluded.classify_days, "
        "answer_days = excluded.answer_days, publish_days = excluded.publish_days, "
        "extension_days = excluded.extension_days, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        {rule.kind, rule.subject, std::int64_t{rule.deadlines.classify}, std::int64_t{rule.deadlines.answer},
         std::int64_t{rule.deadlines.publish}, std::int64_t{rule.deadlines.extension}, actor.name,
         to_unix_seconds(clock_.now())}));
    std::optional<std::string> before;
    if (current) before = rule_json(rule_from_row(*current));
    return audit::record(*connection, clock_, actor,
                         {"feedback_deadline.set", "feedback_deadline", rule_key(rule.kind, rule.subject), before,
                          rule_json(rule)});
  }));
  forget_cache();
  return {};
}

Result<void> DeadlineRuleService::remove(std::string_view kind, std::string_view subject, const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto current = DVCHUB_TRY(connection->query_one(std::string(rule_columns) + "WHERE kind = $1 AND subject = $2",
                                                    {std::string(kind), std::string(subject)}));
    if (!current) return fail(ErrorCode::not_found, "Không có quy định thời hạn này");
    DVCHUB_TRY(connection->execute("DELETE FROM feedback_deadline_rules WHERE kind = $1 AND subject = $2",
                                   {std::string(kind), std::string(subject)}));
    return audit::record(*connection, clock_, actor,
                         {"feedback_deadline.remove", "feedback_deadline", rule_key(kind, subject),
                          rule_json(rule_from_row(*current)), std::nullopt});
  }));
  forget_cache();
  return {};
}

}  // namespace dvchub::feedback
