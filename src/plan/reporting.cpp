#include "plan/reporting.h"

#include <algorithm>
#include <map>
#include <set>

#include "accounts/access.h"
#include "core/dates.h"
#include "core/strings.h"
#include "json/json.h"
#include "notification/notifications.h"
#include "plan/formatting.h"
#include "plan/labels.h"
#include "plan/unit_name_sql.h"

namespace dvchub::plan {
namespace {

constexpr Label kind_labels[] = {{"news_article", "Tin, bài"},
                                 {"radio_broadcast", "Phát thanh"},
                                 {"social_media_post", "Bài đăng mạng xã hội"},
                                 {"video", "Video, phóng sự"},
                                 {"infographic", "Infographic"},
                                 {"banner_poster", "Băng rôn, áp phích"},
                                 {"conference_training", "Hội nghị, tập huấn"},
                                 {"contest", "Cuộc thi"},
                                 {"door_to_door_support", "Hỗ trợ tận nhà (Tổ Công nghệ số cộng đồng)"},
                                 {"sms_campaign", "Tin nhắn SMS"},
                                 {"other", "Hoạt động khác"}};
constexpr Label funding_labels[] = {{"none", "Không phát sinh kinh phí"},
                                    {"state_budget", "Ngân sách nhà nước"},
                                    {"sponsorship", "Tài trợ, đóng góp, xã hội hóa"},
                                    {"other", "Nguồn hợp pháp khác"}};
constexpr Label report_status_labels[] = {{"not_started", "Chưa lập"},
                                          {"draft", "Đang soạn"},
                                          {"submitted", "Đã gửi, chờ duyệt"},
                                          {"returned", "Bị trả lại"},
                                          {"accepted", "Đã tiếp nhận"}};

bool is_web_link(const std::string& link) {
  if (link.rfind("https://", 0) != 0 && link.rfind("http://", 0) != 0) return false;
  if (link.size() > evidence_link_length || link.size() <= 8) return false;
  return std::none_of(link.begin(), link.end(), [](unsigned char c) { return c <= ' ' || c == 0x7F || c == '"'; });
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The media type of a file from its first bytes: PDF, PNG or JPEG; empty for anything else.
std::string sniff_media_type(const std::string& bytes) {
  if (bytes.rfind("%PDF-", 0) == 0) return "application/pdf";
  if (bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
  if (bytes.rfind("\xFF\xD8\xFF", 0) == 0) return "image/jpeg";
  return {};
}

std::string to_hex(const std::string& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    text += digits[byte >> 4];
    text += digits[byte & 0x0F];
  }
  return text;
}

std::string from_hex(const std::string& text) {
  auto value = [](char digit) { return digit <= '9' ? digit - '0' : digit - 'a' + 10; };
  std::string bytes;
  bytes.reserve(text.size() / 2);
  for (std::size_t index = 0; index + 1 < text.size(); index += 2) {
    bytes += char((value(text[index]) << 4) | value(text[index + 1]));
  }
  return bytes;
}

// The last path segment of an uploaded name, without control characters or quotes, at most 120 characters.
std::string clean_file_name(const std::string& name) {
  std::string base = name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  std::string cleaned;
  std::size_t count = 0;
  for (std::size_t index = 0; index < base.size() && count < 120; ++index) {
    const unsigned char byte = static_cast<unsigned char>(base[index]);
    if (byte < 0x20 || byte == 0x7F || byte == '"') continue;
    if ((byte & 0xC0) != 0x80) ++count;
    cleaned += char(byte);
  }
  while (!cleaned.empty() && (static_cast<unsigned char>(cleaned.back()) & 0xC0) == 0xC0) cleaned.pop_back();
  cleaned = trimmed(cleaned);
  return cleaned.empty() || cleaned == "." || cleaned == ".." ? "minh-chung" : cleaned;
}

bool is_lead_office(const http::Principal& principal) {
  return principal.role == "admin" || principal.role == "coordinator";
}

std::string target_value_key(const std::string& key, int year) {
  return "target:" + key + "/" + std::to_string(year);
}

std::string indicator_value_key(const std::string& key) { return "indicator:" + key; }

const std::string activity_select =
    "SELECT a.id, g.plan_id, t.section_code, u.code, " + unit_name_sql("u", "a.occurred_on") +
    ", a.kind, a.title, a.occurred_on, a.place, a.quantity, a.audience, a.officials, a.team_members, a.students, "
    "a.citizens, a.cost_vnd, a.funding_source, a.evidence_links FROM plan_activities a "
    "JOIN plan_tasks t ON t.id = a.task_id JOIN plan_task_groups g ON g.id = t.group_id "
    "JOIN units u ON u.id = a.unit_id ";

Activity activity_from(const storage::Row& row) {
  Activity activity;
  activity.id = row.integer(0);
  activity.plan_id = row.integer(1);
  activity.input.task_code = row.text(2);
  activity.input.unit_code = row.text(3);
  activity.unit_name = row.optional_text(4).value_or(row.text(3));
  activity.input.kind = row.text(5);
  activity.input.title = row.text(6);
  activity.input.occurred_on = row.text(7);
  activity.input.place = row.text(8);
  activity.input.quantity = row.integer(9);
  activity.input.audience = row.integer(10);
  activity.input.officials = row.integer(11);
  activity.input.team_members = row.integer(12);
  activity.input.students = row.integer(13);
  activity.input.citizens = row.integer(14);
  activity.input.cost_vnd = row.integer(15);
  activity.input.funding_source = row.text(16);
  activity.input.evidence_links = split_lines(row.text(17));
  return activity;
}

std::string activity_json(const Activity& activity) {
  const auto& input = activity.input;
  json::Object object{{"id", activity.id},
                      {"task", input.task_code},
                      {"unit", input.unit_code},
                      {"kind", input.kind},
                      {"title", input.title},
                      {"occurred_on", input.occurred_on},
                      {"place", input.place},
                      {"quantity", input.quantity},
                      {"audience", input.audience},
                      {"officials", input.officials},
                      {"team_members", input.team_members},
                      {"students", input.students},
                      {"citizens", input.citizens},
                      {"cost_vnd", input.cost_vnd},
                      {"funding_source", input.funding_source},
                      {"evidence_links", join_lines(input.evidence_links)}};
  return json::serialize(object);
}

const std::string period_select =
    "SELECT id, plan_id, kind, title, starts_on, ends_on, due_on FROM plan_report_periods ";

Period period_from(const storage::Row& row) {
  return Period{row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6)};
}

std::string iso_today(const Clock& clock) { return format_iso_date(vietnam_date(clock.now())); }

// The plan's targets measured by what units report, in the plan's order.
Result<std::vector<Target>> reported_targets(storage::Connection& connection, std::int64_t plan_id) {
  std::vector<Target> targets;
  for (const auto& row : DVCHUB_TRY(connection.query(
           "SELECT target_key, target_year, section, description, minimum, numerator_label, denominator_label "
           "FROM plan_targets WHERE plan_id = $1 AND indicator IS NULL ORDER BY ordinal",
           {plan_id}))) {
    Target target;
    target.key = row.text(0);
    target.year = int(row.integer(1));
    target.section = row.text(2);
    target.description = row.text(3);
    target.minimum = row.real(4);
    target.numerator_label = row.optional_text(5);
    target.denominator_label = row.optional_text(6);
    targets.push_back(std::move(target));
  }
  return targets;
}

std::string measure_label(const Target& target) {
  return target.numerator_label.value_or("") + " / " + target.denominator_label.value_or("");
}


// Quantities by kind in the catalogue's order: "Tin, bài: 3; Hội nghị, tập huấn: 1".
std::string kind_summary(const std::map<std::string, std::int64_t>& quantities) {
  std::string summary;
  for (const auto& kind : activity_kinds()) {
    auto found = quantities.find(kind);
    if (found == quantities.end()) continue;
    summary += (summary.empty() ? "" : "; ") + activity_kind_label(kind) + ": " + std::to_string(found->second);
  }
  return summary;
}

}  // namespace

const std::vector<std::string>& activity_kinds() {
  static const std::vector<std::string> kinds = keys_of(kind_labels);
  return kinds;
}
std::string activity_kind_label(const std::string& kind) { return label_of(kind_labels, kind); }
const std::vector<std::string>& funding_sources() {
  static const std::vector<std::string> sources = keys_of(funding_labels);
  return sources;
}
std::string funding_source_label(const std::string& source) { return label_of(funding_labels, source); }
std::string report_status_label(const std::string& status) { return label_of(report_status_labels, status); }

// Which units carry a plan's (or one task's) assignments on a day.
struct ReportingService::Carriers {
  std::map<std::string, std::set<std::string>> carried_by;  // assigned unit code → carrier codes that day
  std::set<std::string> codes;                              // every carrier
  // The assigned units whose work `carrier` carries that day, and the carrier itself.
  std::set<std::string> carried_for(const std::string& carrier) const {
    std::set<std::string> result{carrier};
    for (const auto& [assigned, carriers] : carried_by) {
      if (carriers.count(carrier)) result.insert(assigned);
    }
    return result;
  }
};

std::string ReportingService::today() const { return iso_today(clock_); }

Result<ReportingService::Carriers> ReportingService::carriers(std::int64_t plan_id,
                                                              const std::optional<std::int64_t>& task_id,
                                                              const std::string& day) const {
  std::vector<std::string> assigned;
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    std::string sql =
        "SELECT DISTINCT u.code FROM plan_assignments a JOIN plan_tasks t ON t.id = a.task_id "
        "JOIN plan_task_groups g ON g.id = t.group_id JOIN units u ON u.id = a.unit_id WHERE g.plan_id = $1";
    storage::Parameters parameters{plan_id};
    if (task_id) {
      sql += " AND a.task_id = $2";
      parameters.push_back(*task_id);
    }
    for (const auto& row : DVCHUB_TRY(connection->query(sql + " ORDER BY u.code", parameters))) {
      assigned.push_back(row.text(0));
    }
  }
  Carriers result;
  for (const auto& code : assigned) {
    for (const auto& carrier : DVCHUB_TRY(units_.successors_as_of(code, day))) {
      result.carried_by[code].insert(carrier);
      result.codes.insert(carrier);
    }
  }
  return result;
}

Result<bool> ReportingService::may_write(const http::Principal& principal, const std::string& unit_code) const {
  const std::string day = units_.today();
  auto unit = units_.find(unit_code, day);
  if (!unit) {
    // The lead office may name any unit; validation then says which one is unknown.
    if (unit.error().code == ErrorCode::not_found) return is_lead_office(principal);
    return tl::unexpected(unit.error());
  }
  // An officer acts for the units beneath theirs today, and for ended units whose work those carry on.
  return accounts::can_act_on_unit(
      principal, unit->id, accounts::UnitAction::write,
      [&](std::int64_t unit_id, std::int64_t ancestor_id) -> Result<bool> {
        if (DVCHUB_TRY(units_.is_within(unit_id, ancestor_id, day))) return true;
        for (const auto& successor : DVCHUB_TRY(units_.successors_as_of(unit_code, day))) {
          auto found = DVCHUB_TRY(units_.find(successor, day));
          if (DVCHUB_TRY(units_.is_within(found.id, ancestor_id, day))) return true;
        }
        return false;
      });
}

Result<bool> ReportingService::may_read(const http::Principal& principal, const std::string& unit_code) const {
  if (principal.role == "officer") return may_write(principal, unit_code);
  return is_lead_office(principal) || principal.role == "viewer";
}

Result<std::int64_t> ReportingService::validate_activity(storage::Connection& connection, std::int64_t plan_id,
                                                         const ActivityInput& input, std::int64_t& unit_id) const {
  std::vector<FieldError> errors;
  auto task = DVCHUB_TRY(connection.query_one(
      "SELECT t.id FROM plan_tasks t JOIN plan_task_groups g ON g.id = t.group_id "
      "WHERE g.plan_id = $1 AND t.section_code = $2",
      {plan_id, input.task_code}));
  if (!task) errors.push_back({"task", "Kế hoạch không có nhiệm vụ " + input.task_code});
  if (!contains(activity_kinds(), input.kind)) errors.push_back({"kind", "Loại hoạt động không hợp lệ"});
  if (input.title.empty()) errors.push_back({"title", "Cần nhập tên hoạt động"});
  else if (characters(input.title) > activity_title_limit)
    errors.push_back({"title", "Tên hoạt động dài quá " + std::to_string(activity_title_limit) + " ký tự"});
  if (characters(input.place) > place_limit)
    errors.push_back({"place", "Địa điểm dài quá " + std::to_string(place_limit) + " ký tự"});
  const bool date_ok = parse_iso_date(input.occurred_on).has_value();
  if (!date_ok) errors.push_back({"occurred_on", "Ngày thực hiện không hợp lệ"});
  else if (input.occurred_on > today()) errors.push_back({"occurred_on", "Ngày thực hiện không được sau hôm nay"});
  if (input.quantity < 1 || input.quantity > count_limit)
    errors.push_back({"quantity", "Số lượng phải từ 1 đến " + grouped(count_limit)});
  const std::pair<const char*, std::int64_t> counts[] = {{"audience", input.audience},
                                                         {"officials", input.officials},
                                                         {"team_members", input.team_members},
                                                         {"students", input.students},
                                                         {"citizens", input.citizens}};
  for (const auto& [field, value] : counts) {
    if (value < 0 || value > count_limit) errors.push_back({field, "Số người phải từ 0 đến " + grouped(count_limit)});
  }
  if (input.cost_vnd < 0 || input.cost_vnd > cost_limit)
    errors.push_back({"cost_vnd", "Kinh phí phải từ 0 đến " + grouped(cost_limit) + " đồng"});
  if (!contains(funding_sources(), input.funding_source))
    errors.push_back({"funding_source", "Nguồn kinh phí không hợp lệ"});
  else if (input.cost_vnd > 0 && input.funding_source == "none")
    errors.push_back({"funding_source", "Có kinh phí thì cần chọn nguồn kinh phí"});
  if (input.evidence_links.size() > evidence_link_limit)
    errors.push_back({"evidence_links", "Tối đa " + std::to_string(evidence_link_limit) + " đường dẫn minh chứng"});
  for (const auto& link : input.evidence_links) {
    if (!is_web_link(link)) {
      errors.push_back({"evidence_links", "Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://, không có "
                                          "khoảng trắng, tối đa " + std::to_string(evidence_link_length) + " ký tự"});
      break;
    }
  }
  if (task && date_ok) {
    auto carriers = DVCHUB_TRY(this->carriers(plan_id, task->integer(0), input.occurred_on));
    if (!carriers.codes.count(input.unit_code)) {
      errors.push_back({"unit", "Đơn vị " + input.unit_code + " không thực hiện nhiệm vụ " + input.task_code +
                                    " vào ngày này (không được giao, hoặc chưa thành lập hay đã kết thúc)"});
    } else {
      unit_id = DVCHUB_TRY(units_.find(input.unit_code, input.occurred_on)).id;
    }
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return task->integer(0);
}

Result<Activity> ReportingService::record_activity(std::int64_t plan_id, const ActivityInput& input,
                                                   const http::Principal& principal, const audit::Actor& actor) {
  DVCHUB_TRY(plans_.summary(plan_id));
  if (!DVCHUB_TRY(may_write(principal, input.unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được ghi hoạt động cho đơn vị " + input.unit_code);
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  std::int64_t unit_id = 0;
  const std::int64_t task_id = DVCHUB_TRY(validate_activity(*connection, plan_id, input, unit_id));
  const std::int64_t now = to_unix_seconds(clock_.now());
  std::int64_t id = 0;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO plan_activities (task_id, unit_id, kind, title, occurred_on, place, quantity, audience, officials, "
        "team_members, students, citizens, cost_vnd, funding_source, evidence_links, created_at, updated_at) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
        {task_id, unit_id, input.kind, input.title, input.occurred_on, input.place, input.quantity, input.audience,
         input.officials, input.team_members, input.students, input.citizens, input.cost_vnd, input.funding_source,
         join_lines(input.evidence_links), now}));
    if (!row) return fail(ErrorCode::internal, "Không lưu được hoạt động", "INSERT ... RETURNING gave no row");
    id = row->integer(0);
    Activity stored{id, plan_id, input, {}};
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan_activity.create", "plan_activity", std::to_string(id), std::nullopt,
                                       activity_json(stored)});
  }));
  auto row = DVCHUB_TRY(connection->query_one(activity_select + "WHERE a.id = $1", {id}));
  if (!row) return fail(ErrorCode::internal, "Không đọc lại được hoạt động vừa lưu");
  return activity_from(*row);
}

Result<Activity> ReportingService::activity(std::int64_t activity_id, const http::Principal& principal) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(activity_select + "WHERE a.id = $1", {activity_id}));
  if (!row) return fail(ErrorCode::not_found, "Không có hoạt động này");
  auto found = activity_from(*row);
  if (!DVCHUB_TRY(may_read(principal, found.input.unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được xem hoạt động của đơn vị " + found.input.unit_code);
  }
  for (const auto& file : DVCHUB_TRY(connection->query(
           "SELECT id, activity_id, file_name, media_type, size_bytes FROM plan_activity_files WHERE activity_id = $1 "
           "ORDER BY id",
           {activity_id}))) {
    found.files.push_back({file.integer(0), file.integer(1), file.text(2), file.text(3), file.integer(4)});
  }
  return found;
}

Result<Activity> ReportingService::update_activity(std::int64_t activity_id, const ActivityInput& input,
                                                   const http::Principal& principal, const audit::Actor& actor) {
  auto before = DVCHUB_TRY(activity(activity_id, principal));
  for (const auto& code : {before.input.unit_code, input.unit_code}) {
    if (!DVCHUB_TRY(may_write(principal, code))) {
      return fail(ErrorCode::forbidden, "Bạn không được ghi hoạt động cho đơn vị " + code);
    }
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  std::int64_t unit_id = 0;
  const std::int64_t task_id = DVCHUB_TRY(validate_activity(*connection, before.plan_id, input, unit_id));
  const std::int64_t now = to_unix_seconds(clock_.now());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(connection->execute(
        "UPDATE plan_activities SET task_id = $1, unit_id = $2, kind = $3, title = $4, occurred_on = $5, place = $6, "
        "quantity = $7, audience = $8, officials = $9, team_members = $10, students = $11, citizens = $12, "
        "cost_vnd = $13, funding_source = $14, evidence_links = $15, updated_at = $16 WHERE id = $17",
        {task_id, unit_id, input.kind, input.title, input.occurred_on, input.place, input.quantity, input.audience,
         input.officials, input.team_members, input.students, input.citizens, input.cost_vnd, input.funding_source,
         join_lines(input.evidence_links), now, activity_id}));
    Activity after{activity_id, before.plan_id, input, {}};
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan_activity.update", "plan_activity", std::to_string(activity_id),
                                       activity_json(before), activity_json(after)});
  }));
  auto row = DVCHUB_TRY(connection->query_one(activity_select + "WHERE a.id = $1", {activity_id}));
  if (!row) return fail(ErrorCode::internal, "Không đọc lại được hoạt động vừa lưu");
  return activity_from(*row);
}

Result<void> ReportingService::delete_activity(std::int64_t activity_id, const http::Principal& principal,
                                               const audit::Actor& actor) {
  auto before = DVCHUB_TRY(activity(activity_id, principal));
  if (!DVCHUB_TRY(may_write(principal, before.input.unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được xóa hoạt động của đơn vị " + before.input.unit_code);
  }
  // A report already sent for a period covering the day keeps its figures: the activity stays. The report may be the
  // unit's own or that of a unit carrying it on the period's due day (a merged commune reporting its predecessors).
  std::vector<storage::Row> sent;
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    sent = DVCHUB_TRY(connection->query(
        "SELECT p.id, p.title, p.due_on, u.code FROM plan_reports r JOIN plan_report_periods p ON p.id = r.period_id "
        "JOIN units u ON u.id = r.unit_id WHERE p.plan_id = $1 AND r.status IN ('submitted', 'accepted') "
        "AND p.starts_on <= $2 AND p.ends_on >= $2",
        {before.plan_id, before.input.occurred_on}));
  }
  for (const auto& report : sent) {
    const auto carried = DVCHUB_TRY(carriers(before.plan_id, std::nullopt, report.text(2))).carried_for(report.text(3));
    if (carried.count(before.input.unit_code)) {
      return fail(ErrorCode::conflict, "Hoạt động đã nằm trong báo cáo đã gửi (" + report.text(1) + "), không xóa được");
    }
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(connection->execute("DELETE FROM plan_activity_files WHERE activity_id = $1", {activity_id}));
    DVCHUB_TRY(connection->execute("DELETE FROM plan_activities WHERE id = $1", {activity_id}));
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan_activity.delete", "plan_activity", std::to_string(activity_id),
                                       activity_json(before), std::nullopt});
  });
}

Result<EvidenceFile> ReportingService::attach_file(std::int64_t activity_id, const std::string& file_name,
                                                  const std::string& bytes, const http::Principal& principal,
                                                  const audit::Actor& actor) {
  auto found = DVCHUB_TRY(activity(activity_id, principal));
  if (!DVCHUB_TRY(may_write(principal, found.input.unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được thêm minh chứng cho đơn vị " + found.input.unit_code);
  }
  EvidenceFile file{0, activity_id, clean_file_name(file_name), sniff_media_type(bytes), std::int64_t(bytes.size())};
  if (bytes.empty()) return fail_fields({{"file", "Tệp minh chứng trống"}});
  if (bytes.size() > evidence_file_limit) {
    return fail_fields({{"file", "Tệp minh chứng lớn quá " + std::to_string(evidence_file_limit / (1024 * 1024)) + " MB"}});
  }
  if (file.media_type.empty()) return fail_fields({{"file", "Chỉ nhận tệp PDF, PNG hoặc JPEG"}});
  if (found.files.size() >= evidence_files_per_activity) {
    return fail_fields({{"file", "Mỗi hoạt động có tối đa " + std::to_string(evidence_files_per_activity) +
                                     " tệp minh chứng"}});
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO plan_activity_files (activity_id, file_name, media_type, size_bytes, content_hex, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {activity_id, file.file_name, file.media_type, file.size_bytes, to_hex(bytes), to_unix_seconds(clock_.now())}));
    if (!row) return fail(ErrorCode::internal, "Không lưu được tệp minh chứng", "INSERT ... RETURNING gave no row");
    file.id = row->integer(0);
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan_activity.attach_file", "plan_activity", std::to_string(activity_id),
                                       std::nullopt,
                                       json::serialize(json::Object{{"file", file.id},
                                                                    {"name", file.file_name},
                                                                    {"media_type", file.media_type},
                                                                    {"size_bytes", file.size_bytes}})});
  }));
  return file;
}

Result<std::pair<EvidenceFile, std::string>> ReportingService::evidence_file(std::int64_t activity_id,
                                                                             std::int64_t file_id,
                                                                             const http::Principal& principal) const {
  DVCHUB_TRY(activity(activity_id, principal));
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(
      "SELECT id, activity_id, file_name, media_type, size_bytes, content_hex FROM plan_activity_files "
      "WHERE id = $1 AND activity_id = $2",
      {file_id, activity_id}));
  if (!row) return fail(ErrorCode::not_found, "Không có tệp minh chứng này");
  return std::pair(EvidenceFile{row->integer(0), row->integer(1), row->text(2), row->text(3), row->integer(4)},
                   from_hex(row->text(5)));
}

Result<std::vector<TaskProgress>> ReportingService::progress(std::int64_t plan_id) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  if (!DVCHUB_TRY(connection->query_one("SELECT id FROM plans WHERE id = $1", {plan_id}))) {
    return fail(ErrorCode::not_found, "Không có kế hoạch này");
  }
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT t.id, t.section_code, a.unit_id, a.kind, a.quantity, a.audience, "
      "a.officials + a.team_members + a.students + a.citizens FROM plan_activities a "
      "JOIN plan_tasks t ON t.id = a.task_id JOIN plan_task_groups g ON g.id = t.group_id "
      "WHERE g.plan_id = $1 ORDER BY t.ordinal, t.id",
      {plan_id}));
  std::vector<TaskProgress> tasks;
  std::int64_t current_task = 0;
  std::set<std::int64_t> units;
  std::map<std::string, std::int64_t> kinds;
  auto finish_task = [&] {
    if (tasks.empty()) return;
    tasks.back().units = static_cast<std::int64_t>(units.size());
    tasks.back().summary = kind_summary(kinds);
    units.clear();
    kinds.clear();
  };
  for (const auto& row : rows) {
    if (tasks.empty() || current_task != row.integer(0)) {
      finish_task();
      current_task = row.integer(0);
      tasks.push_back(TaskProgress{row.text(1)});
    }
    TaskProgress& task = tasks.back();
    ++task.activities;
    units.insert(row.integer(2));
    kinds[row.text(3)] += row.integer(4);
    task.audience += row.integer(5);
    task.participants += row.integer(6);
  }
  finish_task();
  return tasks;
}

Result<std::vector<Activity>> ReportingService::activities(std::int64_t plan_id, const ActivityFilter& filter,
                                                           const http::Principal& principal) const {
  DVCHUB_TRY(plans_.summary(plan_id));
  std::string sql = activity_select + "WHERE g.plan_id = $1";
  storage::Parameters parameters{plan_id};
  auto add = [&](const char* condition, const std::optional<std::string>& value) {
    if (!value) return;
    parameters.push_back(*value);
    sql += std::string(" AND ") + condition + " $" + std::to_string(parameters.size());
  };
  add("u.code =", filter.unit_code);
  add("t.section_code =", filter.task_code);
  add("a.occurred_on >=", filter.from);
  add("a.occurred_on <=", filter.to);
  std::vector<Activity> result;
  std::map<std::string, bool> readable;
  std::vector<storage::Row> rows;
  std::map<std::int64_t, std::vector<EvidenceFile>> files;  // by activity
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    rows = DVCHUB_TRY(connection->query(sql + " ORDER BY a.occurred_on DESC, a.id DESC", parameters));
    for (const auto& file : DVCHUB_TRY(connection->query(
             "SELECT f.id, f.activity_id, f.file_name, f.media_type, f.size_bytes FROM plan_activity_files f "
             "JOIN plan_activities a ON a.id = f.activity_id JOIN plan_tasks t ON t.id = a.task_id "
             "JOIN plan_task_groups g ON g.id = t.group_id WHERE g.plan_id = $1 ORDER BY f.id",
             {plan_id}))) {
      files[file.integer(1)].push_back({file.integer(0), file.integer(1), file.text(2), file.text(3), file.integer(4)});
    }
  }
  for (const auto& row : rows) {
    auto activity = activity_from(row);
    auto known = readable.find(activity.input.unit_code);
    if (known == readable.end()) {
      known = readable.emplace(activity.input.unit_code, DVCHUB_TRY(may_read(principal, activity.input.unit_code)))
                  .first;
    }
    if (!known->second) continue;
    activity.files = files[activity.id];
    result.push_back(std::move(activity));
  }
  return result;
}

Result<Measure> ReportingService::set_measure(std::int64_t plan_id, const MeasureInput& input,
                                              const http::Principal& principal, const audit::Actor& actor) {
  DVCHUB_TRY(plans_.summary(plan_id));
  if (!DVCHUB_TRY(may_write(principal, input.unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được nhập số liệu cho đơn vị " + input.unit_code);
  }
  std::vector<FieldError> errors;
  auto connection = DVCHUB_TRY(database_.acquire());
  auto target = DVCHUB_TRY(connection->query_one(
      "SELECT id, numerator_label, denominator_label FROM plan_targets WHERE plan_id = $1 AND target_key = $2 "
      "AND target_year = $3 AND indicator IS NULL",
      {plan_id, input.target_key, std::int64_t(input.target_year)}));
  if (!target) errors.push_back({"target", "Kế hoạch không có chỉ tiêu do đơn vị báo cáo này"});
  const bool year_ok = input.year >= 2000 && input.year <= 2100;
  if (!year_ok) errors.push_back({"year", "Năm số liệu không hợp lệ"});
  if (input.numerator < 0 || input.numerator > count_limit)
    errors.push_back({"numerator", "Tử số phải từ 0 đến " + grouped(count_limit)});
  if (input.denominator < 0 || input.denominator > count_limit)
    errors.push_back({"denominator", "Mẫu số phải từ 0 đến " + grouped(count_limit)});
  else if (input.numerator > input.denominator)
    errors.push_back({"numerator", "Tử số không được lớn hơn mẫu số"});
  std::optional<std::int64_t> unit_id;
  if (year_ok) {
    // The unit must carry the plan on the year's first day or on its last (up to today).
    const std::string first = std::to_string(input.year) + "-01-01";
    const std::string last = std::min(std::to_string(input.year) + "-12-31", today());
    for (const auto& day : {first, last}) {
      if (day < first || unit_id) continue;
      if (DVCHUB_TRY(carriers(plan_id, std::nullopt, day)).codes.count(input.unit_code)) {
        unit_id = DVCHUB_TRY(units_.find(input.unit_code, day)).id;
      }
    }
    if (!unit_id) errors.push_back({"unit", "Đơn vị " + input.unit_code + " không thực hiện kế hoạch trong năm này"});
  }
  if (!errors.empty()) return fail_fields(std::move(errors));

  const std::int64_t target_id = target->integer(0);
  auto before = DVCHUB_TRY(connection->query_one(
      "SELECT numerator, denominator FROM plan_measures WHERE target_id = $1 AND unit_id = $2 AND measure_year = $3",
      {target_id, *unit_id, std::int64_t(input.year)}));
  auto state = [&](std::int64_t numerator, std::int64_t denominator) {
    return json::serialize(json::Object{{"target", input.target_key + "/" + std::to_string(input.target_year)},
                                        {"unit", input.unit_code},
                                        {"year", input.year},
                                        {"numerator", numerator},
                                        {"denominator", denominator}});
  };
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(connection->execute(
        "INSERT INTO plan_measures (target_id, unit_id, measure_year, numerator, denominator, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (target_id, unit_id, measure_year) DO UPDATE SET "
        "numerator = excluded.numerator, denominator = excluded.denominator, updated_at = excluded.updated_at",
        {target_id, *unit_id, std::int64_t(input.year), input.numerator, input.denominator,
         to_unix_seconds(clock_.now())}));
    return audit::record(
        *connection, clock_, actor,
        audit::Change{"plan_measure.set", "plan_measure",
                      std::to_string(target_id) + "/" + input.unit_code + "/" + std::to_string(input.year),
                      before ? std::optional(state(before->integer(0), before->integer(1))) : std::nullopt,
                      state(input.numerator, input.denominator)});
  }));
  auto unit = DVCHUB_TRY(units_.find(input.unit_code, today()));
  return Measure{input, unit.name, target->text(1), target->text(2)};
}

Result<std::vector<Measure>> ReportingService::measures(std::int64_t plan_id, int year,
                                                        const http::Principal& principal) const {
  DVCHUB_TRY(plans_.summary(plan_id));
  std::vector<storage::Row> rows;
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    rows = DVCHUB_TRY(connection->query(
        "SELECT t.target_key, t.target_year, u.code, " + unit_name_sql("u", "$3") +
            ", m.measure_year, m.numerator, m.denominator, t.numerator_label, t.denominator_label "
            "FROM plan_measures m JOIN plan_targets t ON t.id = m.target_id JOIN units u ON u.id = m.unit_id "
            "WHERE t.plan_id = $1 AND m.measure_year = $2 ORDER BY t.ordinal, u.code",
        {plan_id, std::int64_t(year), std::to_string(year) + "-01-01"}));
  }
  std::vector<Measure> result;
  for (const auto& row : rows) {
    if (!DVCHUB_TRY(may_read(principal, row.text(2)))) continue;
    result.push_back(Measure{MeasureInput{row.text(0), int(row.integer(1)), row.text(2), int(row.integer(4)),
                                          row.integer(5), row.integer(6)},
                             row.optional_text(3).value_or(row.text(2)), row.text(7), row.text(8)});
  }
  return result;
}

Result<std::vector<units::Unit>> ReportingService::writable_units(std::int64_t plan_id,
                                                                 const http::Principal& principal) const {
  const std::string day = today();
  std::vector<units::Unit> result;
  for (const auto& code : DVCHUB_TRY(carriers(plan_id, std::nullopt, day)).codes) {
    if (DVCHUB_TRY(may_write(principal, code))) result.push_back(DVCHUB_TRY(units_.find(code, day)));
  }
  return result;
}

Result<Period> ReportingService::open_period(std::int64_t plan_id, const PeriodInput& input,
                                             const http::Principal& principal, const audit::Actor& actor) {
  if (!is_lead_office(principal)) return fail(ErrorCode::forbidden, "Chỉ cơ quan thường trực mở kỳ báo cáo");
  auto plan = DVCHUB_TRY(plans_.summary(plan_id));
  Period period;
  period.plan_id = plan_id;
  period.kind = input.kind;
  std::vector<FieldError> errors;
  if (input.kind == "yearly") {
    if (!input.year || *input.year < 2000 || *input.year > 2100) {
      errors.push_back({"year", "Cần năm báo cáo (2000–2100)"});
    } else {
      const std::string year = std::to_string(*input.year);
      period.title = input.title.empty() ? "Năm " + year : input.title;
      period.starts_on = year + "-01-01";
      period.ends_on = year + "-12-31";
      period.due_on = input.due_on.empty() ? year + "-" + plan.report_due.value_or("12-31") : input.due_on;
    }
  } else if (input.kind == "ad_hoc") {
    if (input.title.empty()) errors.push_back({"title", "Cần tên kỳ báo cáo đột xuất"});
    period.title = input.title;
    period.starts_on = input.starts_on;
    period.ends_on = input.ends_on;
    period.due_on = input.due_on;
    if (!parse_iso_date(period.starts_on)) errors.push_back({"starts_on", "Ngày bắt đầu không hợp lệ"});
    if (!parse_iso_date(period.ends_on)) errors.push_back({"ends_on", "Ngày kết thúc không hợp lệ"});
    else if (period.starts_on > period.ends_on) errors.push_back({"ends_on", "Ngày kết thúc phải sau ngày bắt đầu"});
  } else {
    errors.push_back({"kind", "Loại kỳ báo cáo là yearly (hằng năm) hoặc ad_hoc (đột xuất)"});
  }
  if (characters(period.title) > 200) errors.push_back({"title", "Tên kỳ báo cáo dài quá 200 ký tự"});
  if (errors.empty() && !parse_iso_date(period.due_on)) errors.push_back({"due_on", "Hạn báo cáo không hợp lệ"});
  else if (errors.empty() && period.due_on < period.starts_on)
    errors.push_back({"due_on", "Hạn báo cáo không được trước ngày bắt đầu kỳ"});
  if (!errors.empty()) return fail_fields(std::move(errors));

  auto connection = DVCHUB_TRY(database_.acquire());
  if (DVCHUB_TRY(connection->query_one("SELECT id FROM plan_report_periods WHERE plan_id = $1 AND title = $2",
                                       {plan_id, period.title}))) {
    return fail(ErrorCode::conflict, "Kế hoạch đã có kỳ báo cáo “" + period.title + "”");
  }
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "INSERT INTO plan_report_periods (plan_id, kind, title, starts_on, ends_on, due_on, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {plan_id, period.kind, period.title, period.starts_on, period.ends_on, period.due_on,
         to_unix_seconds(clock_.now())}));
    if (!row) return fail(ErrorCode::internal, "Không lưu được kỳ báo cáo", "INSERT ... RETURNING gave no row");
    period.id = row->integer(0);
    return audit::record(*connection, clock_, actor,
                         audit::Change{"plan_period.open", "plan_report_period", std::to_string(period.id),
                                       std::nullopt,
                                       json::serialize(json::Object{{"plan", plan_id},
                                                                    {"kind", period.kind},
                                                                    {"title", period.title},
                                                                    {"starts_on", period.starts_on},
                                                                    {"ends_on", period.ends_on},
                                                                    {"due_on", period.due_on}})});
  }));
  return period;
}

Result<std::vector<Period>> ReportingService::periods(std::int64_t plan_id) const {
  DVCHUB_TRY(plans_.summary(plan_id));
  auto connection = DVCHUB_TRY(database_.acquire());
  std::vector<Period> result;
  for (const auto& row :
       DVCHUB_TRY(connection->query(period_select + "WHERE plan_id = $1 ORDER BY due_on DESC, id DESC", {plan_id}))) {
    result.push_back(period_from(row));
  }
  return result;
}

Result<Period> ReportingService::period(std::int64_t period_id) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(period_select + "WHERE id = $1", {period_id}));
  if (!row) return fail(ErrorCode::not_found, "Không có kỳ báo cáo này");
  return period_from(*row);
}

Result<std::vector<units::Unit>> ReportingService::reporting_units(const Period& period) const {
  std::vector<units::Unit> result;
  for (const auto& code : DVCHUB_TRY(carriers(period.plan_id, std::nullopt, period.due_on)).codes) {
    result.push_back(DVCHUB_TRY(units_.find(code, period.due_on)));
  }
  return result;
}

Result<std::vector<ReportStatus>> ReportingService::board(std::int64_t period_id,
                                                          const http::Principal& principal) const {
  auto found = DVCHUB_TRY(period(period_id));
  const bool overdue = today() > found.due_on;
  std::vector<ReportStatus> result;
  for (const auto& unit : DVCHUB_TRY(reporting_units(found))) {
    if (!DVCHUB_TRY(may_read(principal, unit.code))) continue;
    ReportStatus line{unit.code, unit.name, "not_started", std::nullopt, overdue};
    auto connection = DVCHUB_TRY(database_.acquire());
    auto row = DVCHUB_TRY(connection->query_one(
        "SELECT status, submitted_at, submitted_late FROM plan_reports WHERE period_id = $1 AND unit_id = $2",
        {period_id, unit.id}));
    if (row) {
      line.status = row->text(0);
      if (!row->is_null(1)) line.submitted_at = from_unix_seconds(row->integer(1));
      if (line.status == "submitted" || line.status == "accepted") line.late = row->integer(2) != 0;
    }
    for (const auto& notice : DVCHUB_TRY(connection->query(
             "SELECT kind, sent_at FROM plan_report_notices WHERE period_id = $1 AND unit_id = $2",
             {period_id, unit.id}))) {
      (notice.text(0) == "reminder" ? line.reminded_at : line.escalated_at) = from_unix_seconds(notice.integer(1));
    }
    result.push_back(std::move(line));
  }
  return result;
}

Result<Report> ReportingService::prefill(const Period& period, const units::Unit& unit) const {
  Report report;
  report.period = period;
  report.unit_code = unit.code;
  report.unit_name = unit.name;
  report.figures_at = clock_.now();
  const auto carried = DVCHUB_TRY(carriers(period.plan_id, std::nullopt, period.due_on)).carried_for(unit.code);
  const std::vector<std::string> codes(carried.begin(), carried.end());

  std::vector<Target> targets;
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    storage::Parameters parameters{period.plan_id, period.starts_on, period.ends_on};
    for (const auto& code : codes) parameters.push_back(code);
    auto rows = DVCHUB_TRY(connection->query(
        "SELECT t.id, t.section_code, a.kind, a.audience, a.officials + a.team_members + a.students + a.citizens, "
        "a.cost_vnd, a.quantity FROM plan_activities a JOIN plan_tasks t ON t.id = a.task_id "
        "JOIN plan_task_groups g ON g.id = t.group_id JOIN units u ON u.id = a.unit_id "
        "WHERE g.plan_id = $1 AND a.occurred_on >= $2 AND a.occurred_on <= $3 AND u.code IN (" +
            storage::placeholders(4, codes.size()) + ") ORDER BY t.ordinal, a.kind",
        parameters));
    std::map<std::string, std::int64_t> kinds;  // of the current task
    auto finish_task = [&] {
      if (report.tasks.empty()) return;
      report.tasks.back().summary = kind_summary(kinds);
      kinds.clear();
    };
    for (const auto& row : rows) {
      if (report.tasks.empty() || report.tasks.back().task_id != row.integer(0)) {
        finish_task();
        report.tasks.push_back(ReportTask{row.integer(0), row.text(1)});
      }
      auto& task = report.tasks.back();
      ++task.activities;
      kinds[row.text(2)] += row.integer(6);
      task.audience += row.integer(3);
      task.participants += row.integer(4);
      task.cost_vnd += row.integer(5);
    }
    finish_task();

    targets = DVCHUB_TRY(reported_targets(*connection, period.plan_id));
    const std::int64_t year = std::stoll(period.ends_on.substr(0, 4));
    storage::Parameters measure_parameters{period.plan_id, year};
    for (const auto& code : codes) measure_parameters.push_back(code);
    auto measure_rows = DVCHUB_TRY(connection->query(
        "SELECT t.target_key, t.target_year, SUM(m.numerator), SUM(m.denominator) FROM plan_measures m "
        "JOIN plan_targets t ON t.id = m.target_id JOIN units u ON u.id = m.unit_id "
        "WHERE t.plan_id = $1 AND m.measure_year = $2 AND u.code IN (" +
            storage::placeholders(3, codes.size()) + ") GROUP BY t.target_key, t.target_year",
        measure_parameters));
    for (const auto& target : targets) {
      for (const auto& row : measure_rows) {
        if (row.text(0) != target.key || int(row.integer(1)) != target.year) continue;
        report.values.push_back(ReportValue{target_value_key(target.key, target.year), measure_label(target), false,
                                            row.integer(2), row.integer(3)});
      }
    }
  }

  // KPI figures of the unit (with the units it succeeded) over the period up to today.
  const auto from = kpi::day_from_iso(period.starts_on);
  const auto to = kpi::day_from_iso(std::min(period.ends_on, today()));
  if (from && to && *from <= *to) {
    auto figures = DVCHUB_TRY(kpi_.report(unit.code, *from, *to));
    for (const auto& indicator : figures.indicators) {
      if (indicator.denominator == 0) continue;
      report.values.push_back(ReportValue{indicator_value_key(indicator.key), kpi::indicator_label(indicator.key),
                                          true, indicator.numerator, indicator.denominator});
    }
  }

  std::vector<std::string> lines;
  for (const auto& task : report.tasks) {
    lines.push_back("- " + task.section_code + ": " + task.summary + " (" + grouped(task.participants) +
                    " người tham dự, " + grouped(task.audience) + " lượt xem, nghe; kinh phí " +
                    grouped(task.cost_vnd) + " đồng).");
  }
  report.results = join_lines(lines);
  return report;
}

Result<std::optional<Report>> ReportingService::load_report(storage::Connection& connection, const Period& period,
                                                            const units::Unit& unit) const {
  auto row = DVCHUB_TRY(connection.query_one(
      "SELECT id, status, results, difficulties, proposals, figures_at, submitted_at, submitted_late, reviewed_at, "
      "review_comment FROM plan_reports WHERE period_id = $1 AND unit_id = $2",
      {period.id, unit.id}));
  if (!row) return std::optional<Report>{};
  Report report;
  report.id = row->integer(0);
  report.period = period;
  report.unit_code = unit.code;
  report.unit_name = unit.name;
  report.status = row->text(1);
  report.results = row->text(2);
  report.difficulties = row->text(3);
  report.proposals = row->text(4);
  report.figures_at = from_unix_seconds(row->integer(5));
  if (!row->is_null(6)) report.submitted_at = from_unix_seconds(row->integer(6));
  if (report.status == "submitted" || report.status == "accepted") report.late = row->integer(7) != 0;
  else report.late = today() > period.due_on;
  if (!row->is_null(8)) report.reviewed_at = from_unix_seconds(row->integer(8));
  report.review_comment = row->optional_text(9).value_or("");
  for (const auto& task_row : DVCHUB_TRY(connection.query(
           "SELECT r.task_id, t.section_code, r.activities, r.participants, r.audience, r.cost_vnd, r.summary "
           "FROM plan_report_tasks r JOIN plan_tasks t ON t.id = r.task_id WHERE r.report_id = $1 ORDER BY t.ordinal",
           {*report.id}))) {
    report.tasks.push_back(ReportTask{task_row.integer(0), task_row.text(1), task_row.integer(2), task_row.integer(3),
                                      task_row.integer(4), task_row.integer(5), task_row.text(6)});
  }
  const auto targets = DVCHUB_TRY(reported_targets(connection, period.plan_id));
  std::map<std::string, storage::Row> values;
  for (auto& value_row : DVCHUB_TRY(connection.query(
           "SELECT value_key, numerator, denominator FROM plan_report_values WHERE report_id = $1", {*report.id}))) {
    values.emplace(value_row.text(0), value_row);
  }
  for (const auto& target : targets) {
    auto found = values.find(target_value_key(target.key, target.year));
    if (found == values.end()) continue;
    report.values.push_back(
        ReportValue{found->first, measure_label(target), false, found->second.integer(1), found->second.integer(2)});
  }
  for (const auto& key : kpi::indicator_keys()) {
    auto found = values.find(indicator_value_key(key));
    if (found == values.end()) continue;
    report.values.push_back(
        ReportValue{found->first, kpi::indicator_label(key), true, found->second.integer(1), found->second.integer(2)});
  }
  return std::optional<Report>(std::move(report));
}

Result<Report> ReportingService::report(std::int64_t period_id, const std::string& unit_code,
                                        const http::Principal& principal) const {
  auto found = DVCHUB_TRY(period(period_id));
  if (!DVCHUB_TRY(may_read(principal, unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được xem báo cáo của đơn vị " + unit_code);
  }
  for (const auto& unit : DVCHUB_TRY(reporting_units(found))) {
    if (unit.code != unit_code) continue;
    std::optional<Report> stored;
    {
      auto connection = DVCHUB_TRY(database_.acquire());
      stored = DVCHUB_TRY(load_report(*connection, found, unit));
    }
    if (stored) return std::move(*stored);
    return prefill(found, unit);
  }
  return fail_fields({{"unit", "Đơn vị " + unit_code + " không báo cáo trong kỳ này"}});
}

namespace {

Result<void> store_figures(storage::Connection& connection, const Report& report) {
  DVCHUB_TRY(connection.execute("DELETE FROM plan_report_tasks WHERE report_id = $1", {*report.id}));
  DVCHUB_TRY(connection.execute("DELETE FROM plan_report_values WHERE report_id = $1", {*report.id}));
  for (const auto& task : report.tasks) {
    DVCHUB_TRY(connection.execute(
        "INSERT INTO plan_report_tasks (report_id, task_id, activities, participants, audience, cost_vnd, summary) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {*report.id, task.task_id, task.activities, task.participants, task.audience, task.cost_vnd, task.summary}));
  }
  for (const auto& value : report.values) {
    DVCHUB_TRY(connection.execute(
        "INSERT INTO plan_report_values (report_id, value_key, numerator, denominator) VALUES ($1, $2, $3, $4)",
        {*report.id, value.key, value.numerator, value.denominator}));
  }
  return {};
}

std::string report_state(const Report& report) {
  return json::serialize(json::Object{{"period", report.period.id},
                                      {"unit", report.unit_code},
                                      {"status", report.status},
                                      {"results", report.results},
                                      {"difficulties", report.difficulties},
                                      {"proposals", report.proposals},
                                      {"review_comment", report.review_comment},
                                      {"tasks", report.tasks.size()},
                                      {"values", report.values.size()}});
}

}  // namespace

Result<Report> ReportingService::change_report(
    std::int64_t period_id, const std::string& unit_code, const audit::Actor& actor,
    const std::string& action, const std::function<Result<void>(storage::Connection&, Report&)>& change) {
  auto found = DVCHUB_TRY(period(period_id));
  std::optional<units::Unit> unit;
  for (auto& candidate : DVCHUB_TRY(reporting_units(found))) {
    if (candidate.code == unit_code) unit = std::move(candidate);
  }
  if (!unit) return fail_fields({{"unit", "Đơn vị " + unit_code + " không báo cáo trong kỳ này"}});
  // Figures are taken before the transaction: the KPI service borrows its own connections.
  auto fresh = DVCHUB_TRY(prefill(found, *unit));
  auto connection = DVCHUB_TRY(database_.acquire());
  Report report;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto stored = DVCHUB_TRY(load_report(*connection, found, *unit));
    const std::optional<std::string> before = stored ? std::optional(report_state(*stored)) : std::nullopt;
    const std::int64_t now = to_unix_seconds(clock_.now());
    if (stored) {
      report = std::move(*stored);
    } else {
      report = fresh;
      report.status = "draft";
      auto row = DVCHUB_TRY(connection->query_one(
          "INSERT INTO plan_reports (period_id, unit_id, status, results, difficulties, proposals, figures_at, "
          "updated_at) VALUES ($1, $2, 'draft', $3, '', '', $4, $4) RETURNING id",
          {period_id, unit->id, report.results, now}));
      if (!row) return fail(ErrorCode::internal, "Không lưu được báo cáo", "INSERT ... RETURNING gave no row");
      report.id = row->integer(0);
      DVCHUB_TRY(store_figures(*connection, report));
    }
    DVCHUB_TRY(change(*connection, report));
    if (action == "plan_report.refresh") {
      report.tasks = fresh.tasks;
      report.values = fresh.values;
      report.figures_at = fresh.figures_at;
      DVCHUB_TRY(store_figures(*connection, report));
    }
    DVCHUB_TRY(connection->execute(
        "UPDATE plan_reports SET status = $1, results = $2, difficulties = $3, proposals = $4, figures_at = $5, "
        "submitted_at = $6, submitted_late = $7, reviewed_at = $8, review_comment = $9, updated_at = $10 "
        "WHERE id = $11",
        {report.status, report.results, report.difficulties, report.proposals, to_unix_seconds(report.figures_at),
         report.submitted_at ? storage::Value(to_unix_seconds(*report.submitted_at)) : storage::null_value(),
         report.submitted_at ? storage::Value(std::int64_t(report.late)) : storage::null_value(),
         report.reviewed_at ? storage::Value(to_unix_seconds(*report.reviewed_at)) : storage::null_value(),
         report.review_comment, now, *report.id}));
    return audit::record(*connection, clock_, actor,
                         audit::Change{action, "plan_report", std::to_string(*report.id), before,
                                       report_state(report)});
  }));
  return report;
}

Result<Report> ReportingService::save_report(std::int64_t period_id, const std::string& unit_code,
                                             const ReportTexts& texts, bool refresh_figures,
                                             const http::Principal& principal, const audit::Actor& actor) {
  if (!DVCHUB_TRY(may_write(principal, unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được lập báo cáo cho đơn vị " + unit_code);
  }
  std::vector<FieldError> errors;
  const std::pair<const char*, const std::string*> fields[] = {
      {"results", &texts.results}, {"difficulties", &texts.difficulties}, {"proposals", &texts.proposals}};
  for (const auto& [field, text] : fields) {
    if (characters(*text) > report_text_limit) {
      errors.push_back({field, "Nội dung dài quá " + grouped(std::int64_t(report_text_limit)) + " ký tự"});
    }
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return change_report(period_id, unit_code, actor,
                       refresh_figures ? "plan_report.refresh" : "plan_report.save",
                       [&](storage::Connection&, Report& report) -> Result<void> {
                         if (report.status != "draft" && report.status != "returned") {
                           return fail(ErrorCode::conflict, "Báo cáo đã gửi, không sửa được nữa");
                         }
                         report.results = texts.results;
                         report.difficulties = texts.difficulties;
                         report.proposals = texts.proposals;
                         return {};
                       });
}

Result<Report> ReportingService::submit_report(std::int64_t period_id, const std::string& unit_code,
                                               const http::Principal& principal, const audit::Actor& actor) {
  if (!DVCHUB_TRY(may_write(principal, unit_code))) {
    return fail(ErrorCode::forbidden, "Bạn không được gửi báo cáo của đơn vị " + unit_code);
  }
  return change_report(period_id, unit_code, actor, "plan_report.submit",
                       [&](storage::Connection&, Report& report) -> Result<void> {
                         if (report.status != "draft" && report.status != "returned") {
                           return fail(ErrorCode::conflict, "Báo cáo đã được gửi");
                         }
                         if (trimmed(report.results).empty()) {
                           return fail_fields({{"results", "Cần ghi kết quả thực hiện trước khi gửi"}});
                         }
                         report.status = "submitted";
                         report.submitted_at = clock_.now();
                         report.late = today() > report.period.due_on;
                         report.review_comment.clear();
                         return {};
                       });
}

Result<Report> ReportingService::review_report(std::int64_t period_id, const std::string& unit_code, bool accept,
                                               const std::string& comment, const http::Principal& principal,
                                               const audit::Actor& actor) {
  if (!is_lead_office(principal)) return fail(ErrorCode::forbidden, "Chỉ cơ quan thường trực duyệt báo cáo");
  if (!accept && trimmed(comment).empty()) {
    return fail_fields({{"comment", "Trả lại báo cáo thì cần ghi ý kiến để đơn vị bổ sung"}});
  }
  if (characters(comment) > report_text_limit) {
    return fail_fields({{"comment", "Ý kiến dài quá " + grouped(std::int64_t(report_text_limit)) + " ký tự"}});
  }
  return change_report(period_id, unit_code, actor, accept ? "plan_report.accept" : "plan_report.return",
                       [&](storage::Connection&, Report& report) -> Result<void> {
                         if (report.status != "submitted") {
                           return fail(ErrorCode::conflict, "Chỉ duyệt được báo cáo đã gửi và đang chờ duyệt");
                         }
                         report.status = accept ? "accepted" : "returned";
                         report.reviewed_at = clock_.now();
                         report.review_comment = comment;
                         return {};
                       });
}

Result<void> ReportingService::queue_notice(storage::Connection& connection, const Period& period,
                                            const units::Unit& unit, const std::string& kind) const {
  const bool reminder = kind == "reminder";
  const std::string due = format_display_date(*parse_iso_date(period.due_on));
  const notification::Notice notice{
      "plan-report/" + std::to_string(period.id) + "/" + std::to_string(unit.id) + "/" + kind,
      (reminder ? "Nhắc hạn báo cáo: " : "Quá hạn báo cáo: ") + unit.name + " — " + period.title,
      reminder ? unit.name + " chưa gửi báo cáo kỳ “" + period.title + "”, hạn gửi ngày " + due +
                     ". Đề nghị đơn vị hoàn thiện và gửi báo cáo trước hạn."
               : unit.name + " chưa gửi báo cáo kỳ “" + period.title + "”, đã quá hạn ngày " + due +
                     ". Đề nghị cơ quan thường trực đôn đốc đơn vị.",
      reminder ? "/quan-tri/ky-bao-cao/" + std::to_string(period.id) + "/" + http::percent_encode(unit.code)
               : "/quan-tri/ky-bao-cao/" + std::to_string(period.id)};
  const auto recipients = DVCHUB_TRY(reminder ? notification::officers_or_coordinators(connection, unit.id)
                                              : notification::coordinators(connection));
  DVCHUB_TRY(notification::notify(connection, clock_.now(), recipients, notice));
  return {};
}

Result<int> ReportingService::send_notices(const audit::Actor& actor) {
  const std::string day = today();
  const auto today_date = std::chrono::sys_days{*parse_iso_date(day)};
  const std::string remind_from =
      format_iso_date(std::chrono::year_month_day{today_date + std::chrono::days{reminder_days}});
  std::vector<Period> due;
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    for (const auto& row : DVCHUB_TRY(connection->query(period_select + "WHERE due_on <= $1 ORDER BY id", {remind_from}))) {
      due.push_back(period_from(row));
    }
  }
  int recorded = 0;
  for (const auto& period : due) {
    const std::string kind = day > period.due_on ? "escalation" : "reminder";
    for (const auto& unit : DVCHUB_TRY(reporting_units(period))) {
      auto connection = DVCHUB_TRY(database_.acquire());
      auto report = DVCHUB_TRY(connection->query_one(
          "SELECT status FROM plan_reports WHERE period_id = $1 AND unit_id = $2", {period.id, unit.id}));
      if (report && (report->text(0) == "submitted" || report->text(0) == "accepted")) continue;
      DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
        const auto inserted = DVCHUB_TRY(connection->execute(
            "INSERT INTO plan_report_notices (period_id, unit_id, kind, sent_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (period_id, unit_id, kind) DO NOTHING",
            {period.id, unit.id, kind, to_unix_seconds(clock_.now())}));
        if (inserted == 0) return {};
        ++recorded;
        DVCHUB_TRY(queue_notice(*connection, period, unit, kind));
        return audit::record(
            *connection, clock_, actor,
            audit::Change{kind == "reminder" ? "plan_report.remind" : "plan_report.escalate", "plan_report_period",
                          std::to_string(period.id), std::nullopt,
                          json::serialize(json::Object{{"unit", unit.code},
                                                       {"status", report ? report->text(0) : "not_started"},
                                                       {"due_on", period.due_on}})});
      }));
    }
  }
  return recorded;
}

Result<CompiledReport> ReportingService::compile(std::int64_t period_id, const http::Principal& principal) const {
  if (!is_lead_office(principal) && principal.role != "viewer") {
    return fail(ErrorCode::forbidden, "Báo cáo tổng hợp dành cho cơ quan thường trực và lãnh đạo");
  }
  CompiledReport compiled;
  compiled.period = DVCHUB_TRY(period(period_id));
  auto detail = DVCHUB_TRY(plans_.detail(compiled.period.plan_id));
  compiled.plan = detail.plan;
  compiled.board = DVCHUB_TRY(board(period_id, principal));

  struct Accepted {
    std::string code;
    std::string name;
    bool late = false;
    std::int64_t activities = 0;
    std::int64_t reach = 0;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> values;
  };
  std::map<std::int64_t, Accepted> accepted;  // by report id
  std::map<std::string, std::vector<CompiledUnitWork>> work;  // by task code
  {
    auto connection = DVCHUB_TRY(database_.acquire());
    for (const auto& row : DVCHUB_TRY(connection->query(
             "SELECT r.id, u.code, " + unit_name_sql("u", "p.due_on") +
                 ", r.submitted_late, r.difficulties, r.proposals FROM plan_reports r "
                 "JOIN units u ON u.id = r.unit_id JOIN plan_report_periods p ON p.id = r.period_id "
                 "WHERE r.period_id = $1 AND r.status = 'accepted' ORDER BY u.code",
             {period_id}))) {
      Accepted unit{row.text(1), row.optional_text(2).value_or(row.text(1)), row.integer(3) != 0};
      if (!trimmed(row.text(4)).empty()) compiled.difficulties.push_back({unit.name, row.text(4)});
      if (!trimmed(row.text(5)).empty()) compiled.proposals.push_back({unit.name, row.text(5)});
      accepted.emplace(row.integer(0), std::move(unit));
    }
    for (const auto& row : DVCHUB_TRY(connection->query(
             "SELECT r.report_id, t.section_code, r.activities, r.participants, r.audience, r.cost_vnd, r.summary, "
             "r.task_id FROM plan_report_tasks r JOIN plan_reports p ON p.id = r.report_id "
             "JOIN plan_tasks t ON t.id = r.task_id WHERE p.period_id = $1 AND p.status = 'accepted'",
             {period_id}))) {
      auto& unit = accepted.at(row.integer(0));
      ReportTask figures{row.integer(7), row.text(1), row.integer(2), row.integer(3), row.integer(4), row.integer(5),
                         row.text(6)};
      unit.activities += figures.activities;
      unit.reach += figures.participants + figures.audience;
      compiled.activities += figures.activities;
      compiled.cost_vnd += figures.cost_vnd;
      work[figures.section_code].push_back({unit.code, unit.name, figures});
    }
    for (const auto& row : DVCHUB_TRY(connection->query(
             "SELECT v.report_id, v.value_key, v.numerator, v.denominator FROM plan_report_values v "
             "JOIN plan_reports p ON p.id = v.report_id WHERE p.period_id = $1 AND p.status = 'accepted'",
             {period_id}))) {
      accepted.at(row.integer(0)).values[row.text(1)] = {row.integer(2), row.integer(3)};
    }
  }

  for (const auto& task : detail.tasks) {
    CompiledTask item{task.section_code, task.body.substr(0, task.body.find('\n')), work[task.section_code]};
    std::sort(item.units.begin(), item.units.end(),
              [](const auto& left, const auto& right) { return left.unit_code < right.unit_code; });
    compiled.tasks.push_back(std::move(item));
  }
  for (const auto& target : detail.targets) {
    CompiledTarget item;
    item.target = target;
    const std::string key = target.indicator ? indicator_value_key(*target.indicator)
                                             : target_value_key(target.key, target.year);
    for (const auto& [id, unit] : accepted) {
      auto found = unit.values.find(key);
      if (found == unit.values.end()) continue;
      item.numerator += found->second.first;
      item.denominator += found->second.second;
      ++item.reporting_units;
    }
    if (item.denominator > 0) {
      item.value = double(item.numerator) / double(item.denominator);
      item.met = *item.value >= target.minimum - 1e-9;
    }
    compiled.targets.push_back(std::move(item));
  }

  std::vector<CommendationCandidate> candidates;
  for (const auto& [id, unit] : accepted) {
    CommendationCandidate candidate{unit.code, unit.name, unit.late, unit.activities, unit.reach, std::nullopt};
    auto rate = unit.values.find(indicator_value_key("online_rate"));
    if (rate != unit.values.end() && rate->second.second > 0) {
      candidate.online_rate = double(rate->second.first) / double(rate->second.second);
    }
    candidates.push_back(std::move(candidate));
  }
  compiled.commendations = propose_commendations(std::move(candidates));
  return compiled;
}

std::vector<Commendation> propose_commendations(std::vector<CommendationCandidate> candidates) {
  std::erase_if(candidates, [](const CommendationCandidate& candidate) {
    return candidate.late || candidate.activities == 0;
  });
  std::sort(candidates.begin(), candidates.end(),
            [](const CommendationCandidate& left, const CommendationCandidate& right) {
              if (left.online_rate.has_value() != right.online_rate.has_value()) return left.online_rate.has_value();
              if (left.online_rate && *left.online_rate != *right.online_rate) {
                return *left.online_rate > *right.online_rate;
              }
              if (left.reach != right.reach) return left.reach > right.reach;
              if (left.activities != right.activities) return left.activities > right.activities;
              return left.unit_code < right.unit_code;
            });
  std::vector<Commendation> proposed;
  const std::size_t count = (candidates.size() + 2) / 3;
  for (std::size_t index = 0; index < count; ++index) {
    const auto& candidate = candidates[index];
    proposed.push_back(Commendation{int(index) + 1, candidate.unit_code, candidate.unit_name, candidate.online_rate,
                                    candidate.reach, candidate.activities});
  }
  return proposed;
}

}  // namespace dvchub::plan
