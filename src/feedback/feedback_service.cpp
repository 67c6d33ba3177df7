#include "feedback/feedback_service.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "accounts/access.h"
#include "accounts/password_hasher.h"
#include "core/dates.h"
#include "core/strings.h"
#include "feedback/counters.h"
#include "feedback/field_checks.h"
#include "feedback/public_text.h"
#include "json/json.h"
#include "text/vietnamese.h"

namespace dvchub::feedback {
namespace {

constexpr std::string_view code_alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr std::size_t code_length = 8;
constexpr std::size_t maximum_answer_characters = 8000;
constexpr std::size_t maximum_reason_characters = 2000;
constexpr int page_size = 20;

constexpr std::array<std::string_view, 5> open_statuses = {"received", "classified", "assigned", "drafted",
                                                           "approved"};

template <std::size_t count>
bool contains(const std::array<std::string_view, count>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool is_open(std::string_view status) { return contains(open_statuses, status); }

bool plausible_email(std::string_view email) {
  auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && email.find('.', at) != std::string_view::npos &&
         email.find(' ') == std::string_view::npos && email.size() <= 254;
}

bool plausible_phone(std::string_view phone) {
  int digits = 0;
  for (char character : phone) {
    if (character >= '0' && character <= '9') ++digits;
    else if (character != ' ' && character != '.' && character != '-' && character != '+') return false;
  }
  return digits >= 9 && digits <= 15;
}

std::int64_t seconds_of(TimePoint instant) { return to_unix_seconds(instant); }

std::string status_json(const std::string& status, const std::string& unit_code) {
  json::Object object;
  object["status"] = status;
  if (!unit_code.empty()) object["unit"] = unit_code;
  return json::serialize(object);
}

Result<void> add_event(storage::Connection& connection, std::int64_t item_id, TimePoint at, const std::string& step,
                       bool is_public, const std::string& note, const std::string& actor) {
  DVCHUB_TRY(connection.execute(
      "INSERT INTO feedback_events (item_id, occurred_at, step, is_public, note, actor) VALUES ($1, $2, $3, $4, $5, $6)",
      {item_id, seconds_of(at), step, std::int64_t{is_public ? 1 : 0}, note, actor}));
  return {};
}

// The search text of a published item: masked, folded, title + body + answer.
std::string search_text_of(const Item& item) {
  return text::fold(public_text(item.title + "\n" + item.body + "\n" + item.answer, item.contact_name));
}

// What the public may see of a staff view. A hidden item keeps its status and dates but none of its texts.
Item public_view(Item item) {
  if (!item.hidden_reason.empty()) {
    item.title = "Nội dung đang được xem xét";
    item.body.clear();
    item.answer.clear();
    item.contact_name.clear();
    item.rejection_reason.clear();
  }
  item.title = public_text(item.title, item.contact_name);
  item.body = public_text(item.body, item.contact_name);
  item.answer = item.status == "published" ? public_text(item.answer, item.contact_name) : std::string();
  item.rejection_reason = public_text(item.rejection_reason, item.contact_name);
  std::vector<Event> events;
  for (auto& event : item.events) {
    if (!event.is_public) continue;
    event.note = public_text(event.note, item.contact_name);
    event.actor.clear();
    events.push_back(std::move(event));
  }
  item.events = std::move(events);
  item.dossier_code.clear();
  item.contact_name.clear();
  item.contact_phone.clear();
  item.contact_email.clear();
  item.pending_abuse_reports = 0;
  return item;
}

constexpr const char* item_columns =
    "SELECT i.id, i.tracking_code, i.kind, i.subject, i.title, i.body, u.code, i.procedure_code, i.dossier_code, "
    "i.contact_name, i.contact_phone, i.contact_email, i.consent_publish, i.status, i.received_at, i.due_at, "
    "i.answer_due_at, i.answer, i.answered_at, i.answered_on_time, i.published_at, i.rejection_reason, i.unit_id, "
    "i.extended, i.hidden_reason "
    "FROM feedback_items i LEFT JOIN units u ON u.id = i.unit_id ";

Item item_from_row(const storage::Row& row, TimePoint now) {
  Item item;
  item.id = row.integer(0);
  item.tracking_code = row.text(1);
  item.kind = row.text(2);
  item.subject = row.text(3);
  item.title = row.text(4);
  item.body = row.text(5);
  item.unit_code = row.text(6);
  item.procedure_code = row.text(7);
  item.dossier_code = row.text(8);
  item.contact_name = row.text(9);
  item.contact_phone = row.text(10);
  item.contact_email = row.text(11);
  item.consent_publish = row.integer(12) != 0;
  item.status = row.text(13);
  item.received_at = from_unix_seconds(row.integer(14));
  item.due_at = from_unix_seconds(row.integer(15));
  if (!row.is_null(16)) item.answer_due_at = from_unix_seconds(row.integer(16));
  item.answer = row.text(17);
  if (!row.is_null(18)) item.answered_at = from_unix_seconds(row.integer(18));
  if (!row.is_null(19)) item.answered_on_time = row.integer(19) != 0;
  if (!row.is_null(20)) item.published_at = from_unix_seconds(row.integer(20));
  item.rejection_reason = row.text(21);
  item.extended = row.integer(23) != 0;
  item.hidden_reason = row.text(24);
  item.overdue = is_open(item.status) && now > item.due_at;
  return item;
}

// The words of `text` separated by single spaces, for whole-word matching.
std::string joined_words(std::string_view text) {
  std::string joined;
  for (const auto& word : text::tokens(text)) {
    if (!joined.empty()) joined.push_back(' ');
    joined += word;
  }
  return joined;
}

// A full-text condition on item `i` for `words` (folded tokens), on the index of migration 0013: all of them
// (the last one as a prefix, for words still being typed) or, with `any`, at least one. Adds its one parameter.
std::string text_match(storage::Dialect dialect, const std::vector<std::string>& words, bool any,
                       storage::Parameters& parameters) {
  std::string query;
  for (std::size_t index = 0; index < words.size(); ++index) {
    std::string word;
    for (char character : words[index]) {
      if (std::isalnum(static_cast<unsigned char>(character)) || (static_cast<unsigned char>(character) & 0x80)) {
        word.push_back(character);
      }
    }
    if (word.empty()) continue;
    const bool prefix = !any && index + 1 == words.size();
    if (dialect == storage::Dialect::sqlite) {
      if (!query.empty()) query += any ? " OR " : " ";
      query += "\"" + word + "\"" + (prefix ? "*" : "");
    } else {
      if (!query.empty()) query += any ? " | " : " & ";
      query += word + (prefix ? ":*" : "");
    }
  }
  if (query.empty()) return "1 = 1";
  parameters.push_back(query);
  const std::string parameter = "$" + std::to_string(parameters.size());
  if (dialect == storage::Dialect::sqlite) {
    // "+i.id": the matches filter the rows; they must not drive the loop, or SQLite sorts them all instead of
    // walking the public list's index in order.
    return "+i.id IN (SELECT rowid FROM feedback_search WHERE feedback_search MATCH " + parameter + ")";
  }
  return "to_tsvector('simple', i.search_text) @@ to_tsquery('simple', " + parameter + ")";
}

}  // namespace

std::string random_tracking_code() {
  const std::string hex = accounts::random_token_hex(code_length);
  std::string code;
  for (std::size_t index = 0; index < code_length; ++index) {
    unsigned value = static_cast<unsigned>(std::stoul(hex.substr(index * 2, 2), nullptr, 16));
    code.push_back(code_alphabet[value % code_alphabet.size()]);  // 256 is a multiple of 32: no bias
  }
  return code;
}

std::string canonical_tracking_code(std::string_view typed) {
  std::string code;
  for (char character : typed) {
    if (character == ' ' || character == '-') continue;
    code.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(character))));
  }
  return code;
}

std::string display_tracking_code(std::string_view code) {
  if (code.size() != code_length) return std::string(code);
  return std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4));
}

const char* step_name(Step step) {
  switch (step) {
    case Step::classify: return "classify";
    case Step::reject: return "reject";
    case Step::transfer: return "transfer";
    case Step::assign: return "assign";
    case Step::draft: return "draft";
    case Step::approve: return "approve";
    case Step::publish: return "publish";
    case Step::note: return "note";
    case Step::extend: return "extend";
    case Step::hide: return "hide";
    case Step::restore: return "restore";
    case Step::merge: return "merge";
  }
  return "classify";
}

std::optional<Step> parse_step(std::string_view name) {
  for (Step step : {Step::classify, Step::reject, Step::transfer, Step::assign, Step::draft, Step::approve,
                    Step::publish, Step::note, Step::extend, Step::hide, Step::restore, Step::merge}) {
    if (name == step_name(step)) return step;
  }
  return std::nullopt;
}

std::string status_label(std::string_view status) {
  static const std::map<std::string_view, std::string> labels = {
      {"received", "Đã tiếp nhận"},      {"classified", "Đã phân loại"}, {"rejected", "Từ chối xử lý"},
      {"assigned", "Đang xử lý"},        {"drafted", "Đang xử lý"},      {"approved", "Đã có câu trả lời, chờ công bố"},
      {"published", "Đã trả lời công khai"}};
  auto found = labels.find(status);
  return found == labels.end() ? std::string(status) : found->second;
}

std::string kind_label(std::string_view kind) {
  static const std::map<std::string_view, std::string> labels = {
      {"question", "Hỏi đáp"}, {"complaint", "Phản ánh"}, {"suggestion", "Kiến nghị"}, {"report", "Báo tin"}};
  auto found = labels.find(kind);
  return found == labels.end() ? std::string(kind) : found->second;
}

std::string subject_label(std::string_view subject) {
  static const std::map<std::string_view, std::string> labels = {
      {"procedure", "Quy định, thủ tục hành chính"},
      {"conduct", "Hành vi của cán bộ, công chức"},
      {"technical", "Dịch vụ công trực tuyến (kỹ thuật)"},
      {"other", "Nội dung khác"}};
  auto found = labels.find(subject);
  return found == labels.end() ? std::string(subject) : found->second;
}

std::string step_label(std::string_view step) {
  static const std::map<std::string_view, std::string> labels = {
      {"received", "Tiếp nhận"},         {"classified", "Phân loại"},
      {"rejected", "Từ chối xử lý"},     {"transferred", "Chuyển đơn vị có thẩm quyền"},
      {"assigned", "Giao đơn vị xử lý"}, {"drafted", "Soạn câu trả lời"},
      {"approved", "Duyệt câu trả lời"}, {"published", "Công bố câu trả lời"},
      {"rated", "Người dân đánh giá"},   {"reopened", "Mở lại theo ý kiến người dân"},
      {"escalated", "Báo điều phối viên"},  {"noted", "Ghi chú nội bộ"},
      {"extended", "Gia hạn trả lời"},   {"reported", "Người dân báo nội dung không phù hợp"},
      {"hidden", "Tạm ẩn khỏi trang công khai"}, {"restored", "Hiển thị lại"},
      {"merged", "Gộp vào phản ánh trùng nội dung"}};
  auto found = labels.find(step);
  return found == labels.end() ? std::string(step) : found->second;
}

Result<std::int64_t> FeedbackService::unit_id_of(const std::string& code, const char* field) const {
  auto unit = units_.find(code, units_.today());
  if (!unit) {
    if (unit.error().code == ErrorCode::not_found) return fail_fields({{field, "Không có đơn vị mã " + code}});
    return tl::unexpected(unit.error());
  }
  return unit->id;
}

Result<bool> FeedbackService::may_act(const http::Principal& principal, const std::optional<std::int64_t>& unit_id,
                                      bool write) const {
  if (!unit_id) {
    if (principal.role == "admin" || principal.role == "coordinator") return true;
    return !write && principal.role == "viewer";
  }
  const std::string today = units_.today();
  return accounts::can_act_on_unit(
      principal, *unit_id, write ? accounts::UnitAction::write : accounts::UnitAction::read,
      [this, &today](std::int64_t unit, std::int64_t ancestor) { return units_.is_within(unit, ancestor, today); });
}

Result<Receipt> FeedbackService::submit(const Submission& submission, const audit::Actor& actor) {
  std::vector<FieldError> errors;
  if (submission.kind.empty()) errors.push_back({"kind", "Cần chọn loại: hỏi đáp, phản ánh, kiến nghị hoặc báo tin"});
  else if (!contains(feedback_kinds, submission.kind))
    errors.push_back({"kind", "Loại không hợp lệ (question, complaint, suggestion, report)"});
  if (submission.subject.empty()) errors.push_back({"subject", "Cần chọn nội dung liên quan đến"});
  else if (!contains(feedback_subjects, submission.subject))
    errors.push_back({"subject", "Nội dung liên quan không hợp lệ (procedure, conduct, technical, other)"});
  Submission clean;
  clean.kind = submission.kind;
  clean.subject = submission.subject;
  clean.consent_publish = submission.consent_publish;
  clean.title = checked_text(errors, "title", submission.title, true, maximum_title_characters, "Cần có tiêu đề");
  clean.body = checked_text(errors, "body", submission.body, true, maximum_body_characters,
                            "Cần ghi nội dung phản ánh, kiến nghị");
  clean.unit_code = checked_text(errors, "unit_code", submission.unit_code, false, 64, {});
  clean.procedure_code = checked_text(errors, "procedure_code", submission.procedure_code, false, 64, {});
  clean.dossier_code = checked_text(errors, "dossier_code", submission.dossier_code, false, 64, {});
  clean.contact_name = checked_text(errors, "contact.name", submission.contact_name, false, 200, {});
  clean.contact_phone = checked_text(errors, "contact.phone", submission.contact_phone, false, 32, {});
  clean.contact_email = checked_text(errors, "contact.email", submission.contact_email, false, 254, {});
  if (!clean.contact_phone.empty() && !plausible_phone(clean.contact_phone))
    errors.push_back({"contact.phone", "Số điện thoại không hợp lệ"});
  if (!clean.contact_email.empty() && !plausible_email(clean.contact_email))
    errors.push_back({"contact.email", "Địa chỉ thư điện tử không hợp lệ"});
  std::optional<std::int64_t> unit_id;
  if (!clean.unit_code.empty()) {
    auto found = unit_id_of(clean.unit_code, "unit_code");
    if (found) unit_id = *found;
    else if (found.error().code == ErrorCode::invalid_input) errors.push_back(found.error().fields.front());
    else return tl::unexpected(found.error());
  }
  if (!errors.empty()) return fail_fields(std::move(errors));

  const TimePoint now = clock_.now();
  const Deadlines deadlines = DVCHUB_TRY(deadline_rules_.deadlines_for(clean.kind, clean.subject));
  const TimePoint due = DVCHUB_TRY(calendar_.add_working_days(now, deadlines.classify));
  for (int attempt = 0;; ++attempt) {
    Receipt receipt{0, tracking_codes_(), "received", due};
    // Acknowledged only once durable; concurrent submissions share one commit (docs/feedback.md, Durability).
    auto stored = submissions_->run([&](storage::Connection& connection) -> Result<void> {
      auto row = DVCHUB_TRY(connection.query_one(
          "INSERT INTO feedback_items (tracking_code, kind, subject, title, body, unit_id, procedure_code, dossier_code, "
          "contact_name, contact_phone, contact_email, consent_publish, status, received_at, due_at, search_text, "
          "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13, $14, $15, $13) "
          "RETURNING id",
          {receipt.tracking_code, clean.kind, clean.subject, clean.title, clean.body, storage::optional_value(unit_id),
           clean.procedure_code, clean.dossier_code, clean.contact_name, clean.contact_phone, clean.contact_email,
           std::int64_t{clean.consent_publish ? 1 : 0}, seconds_of(now), seconds_of(due),
           std::string()}));  // the search text is made at publication, from the texts as answered
      receipt.id = (*row).integer(0);
      DVCHUB_TRY(add_event(connection, receipt.id, now, "received", true, {}, actor.name));
      Contribution received;
      received.unit_id = unit_id.value_or(0);
      received.day = format_iso_date(vietnam_date(now));
      received.received = 1;
      DVCHUB_TRY(add_contribution(connection, received, 1));
      json::Object after;
      after["tracking_code"] = receipt.tracking_code;
      after["kind"] = clean.kind;
      after["subject"] = clean.subject;
      after["unit"] = clean.unit_code;
      return audit::record(connection, clock_, actor,
                           {"feedback.submit", "feedback", std::to_string(receipt.id), std::nullopt,
                            json::serialize(after)});
    });
    if (stored) return receipt;
    // A tracking code drawn twice (one chance in 2^40 per pair): draw again.
    if (stored.error().code != ErrorCode::conflict || attempt >= 4) return tl::unexpected(stored.error());
  }
}

Result<Item> FeedbackService::load(storage::Connection& connection, std::int64_t id, bool with_private_events) const {
  auto row = DVCHUB_TRY(connection.query_one(std::string(item_columns) + "WHERE i.id = $1", {id}));
  if (!row) return fail(ErrorCode::not_found, "Không tìm thấy phản ánh, kiến nghị");
  Item item = item_from_row(*row, clock_.now());
  if (!item.unit_code.empty()) {
    auto unit = units_.find(item.unit_code, units_.today());
    item.unit_name = unit ? unit->name : item.unit_code;
  }
  if (with_private_events) {
    auto reports = DVCHUB_TRY(connection.query_one(
        "SELECT COUNT(*) FROM feedback_abuse_reports WHERE item_id = $1 AND reviewed = 0", {id}));
    item.pending_abuse_reports = reports->integer(0);
  }
  auto events = DVCHUB_TRY(connection.query(
      "SELECT occurred_at, step, is_public, note, actor FROM feedback_events WHERE item_id = $1 ORDER BY id", {id}));
  for (const auto& event : events) {
    bool is_public = event.integer(2) != 0;
    if (!is_public && !with_private_events) continue;
    item.events.push_back({from_unix_seconds(event.integer(0)), event.text(1), is_public, event.text(3), event.text(4)});
  }
  return item;
}

Result<Item> FeedbackService::track(std::string_view tracking_code) const {
  const std::string code = canonical_tracking_code(tracking_code);
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one("SELECT id FROM feedback_items WHERE tracking_code = $1", {code}));
  if (!row) return fail(ErrorCode::not_found, "Không có phản ánh, kiến nghị nào mang mã tra cứu này");
  return public_view(DVCHUB_TRY(load(*connection, row->integer(0), false)));
}

Result<std::vector<Item>> FeedbackService::queue(const http::Principal& principal, const QueueFilter& filter) const {
  std::string sql = std::string(item_columns) + "WHERE 1 = 1";
  storage::Parameters parameters;
  auto parameter = [&](storage::Value value) {
    parameters.push_back(std::move(value));
    return "$" + std::to_string(parameters.size());
  };
  const std::string today = units_.today();
  if (principal.role == "officer") {
    if (!principal.unit_id) return fail(ErrorCode::forbidden, "Tài khoản chưa thuộc đơn vị nào");
    auto ids = DVCHUB_TRY(units_.subtree_ids(*principal.unit_id, today));
    if (ids.empty()) return std::vector<Item>{};  // the officer's unit no longer exists today
    sql += " AND i.unit_id IN (" + storage::append_parameters(parameters, ids) + ")";
  }
  if (filter.status.empty() || filter.overdue_only) {
    sql += " AND i.status IN ('received', 'classified', 'assigned', 'drafted', 'approved')";
  }
  if (filter.status == "reported") {
    sql += " AND (i.hidden_reason IS NOT NULL OR EXISTS (SELECT 1 FROM feedback_abuse_reports r WHERE r.item_id = "
           "i.id AND r.reviewed = 0))";
  } else if (!filter.status.empty() && filter.status != "all") {
    sql += " AND i.status = " + parameter(filter.status);
  }
  if (!filter.unit_code.empty()) {
    auto unit_id = DVCHUB_TRY(unit_id_of(filter.unit_code, "unit"));
    sql += " AND i.unit_id = " + parameter(unit_id);
  }
  if (filter.overdue_only) sql += " AND i.due_at < " + parameter(seconds_of(clock_.now()));
  sql += " ORDER BY i.due_at, i.id LIMIT " + parameter(std::int64_t{std::clamp(filter.limit, 1, 1000)});
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(sql, parameters));
  std::vector<Item> items;
  std::map<std::string, std::string> unit_names;
  const TimePoint now = clock_.now();
  for (const auto& row : rows) {
    Item item = item_from_row(row, now);
    if (!item.unit_code.empty()) {
      auto [entry, inserted] = unit_names.try_emplace(item.unit_code, item.unit_code);
      if (inserted) {
        if (auto unit = units_.find(item.unit_code, today)) entry->second = unit->name;
      }
      item.unit_name = entry->second;
    }
    items.push_back(std::move(item));
  }
  return items;
}

Result<Item> FeedbackService::item(std::int64_t id, const http::Principal& principal) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one("SELECT unit_id FROM feedback_items WHERE id = $1", {id}));
  if (!row) return fail(ErrorCode::not_found, "Không tìm thấy phản ánh, kiến nghị");
  if (!DVCHUB_TRY(may_act(principal, row->optional_integer(0), false))) {
    return fail(ErrorCode::forbidden, "Phản ánh này không thuộc đơn vị của bạn");
  }
  return load(*connection, id, true);
}

Result<Item> FeedbackService::take_step(std::int64_t id, const StepRequest& request, const http::Principal& principal,
                                        const audit::Actor& actor) {
  std::vector<FieldError> errors;
  std::string text = trimmed(text::normalize(request.text));
  const bool needs_unit = request.step == Step::transfer || request.step == Step::assign;
  const bool needs_text = request.step == Step::reject || request.step == Step::transfer || request.step == Step::draft ||
                          request.step == Step::note || request.step == Step::extend || request.step == Step::hide ||
                          request.step == Step::merge;
  if (needs_unit && request.unit_code.empty()) errors.push_back({"unit_code", "Cần chọn đơn vị"});
  if (needs_text && text.empty()) {
    errors.push_back({"text", request.step == Step::draft ? "Cần soạn nội dung trả lời"
                              : request.step == Step::note  ? "Cần ghi nội dung ghi chú"
                              : request.step == Step::merge ? "Cần mã tra cứu của phản ánh đã có"
                                                            : "Cần ghi lý do"});
  }
  const std::size_t maximum = request.step == Step::draft ? maximum_answer_characters : maximum_reason_characters;
  if (auto count = character_count(text); !count || *count > maximum) {
    errors.push_back({"text", "Dài quá " + std::to_string(maximum) + " ký tự"});
  }
  std::optional<std::int64_t> target_unit;
  const bool takes_unit = request.step == Step::classify || request.step == Step::transfer || request.step == Step::assign;
  if (!request.unit_code.empty() && takes_unit) {
    auto found = unit_id_of(request.unit_code, "unit_code");
    if (found) target_unit = *found;
    else if (found.error().code == ErrorCode::invalid_input) errors.push_back(found.error().fields.front());
    else return tl::unexpected(found.error());
  }
  if (!errors.empty()) return fail_fields(std::move(errors));

  auto connection = DVCHUB_TRY(database_.acquire());
  const TimePoint now = clock_.now();
  std::int64_t item_id = id;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    Item current = DVCHUB_TRY(load(*connection, item_id, true));
    const Deadlines deadlines = DVCHUB_TRY(deadline_rules_.deadlines_for(current.kind, current.subject));
    const Contribution before = DVCHUB_TRY(contribution_of(*connection, item_id));
    auto row = DVCHUB_TRY(connection->query_one("SELECT unit_id FROM feedback_items WHERE id = $1", {item_id}));
    std::optional<std::int64_t> unit_id = row->optional_integer(0);
    if (!DVCHUB_TRY(may_act(principal, unit_id, true))) {
      return fail(ErrorCode::forbidden, "Bạn không được xử lý phản ánh của đơn vị này");
    }
    const bool coordinator = principal.role == "coordinator" || principal.role == "admin";
    if ((request.step == Step::hide || request.step == Step::restore) && !coordinator) {
      return fail(ErrorCode::forbidden, "Chỉ điều phối viên được ẩn hoặc hiển thị lại nội dung");
    }
    // Assigning or classifying into a unit also needs the right to act for that unit (a transfer does not: it
    // hands the item to another body).
    if (target_unit && (request.step == Step::assign || request.step == Step::classify) &&
        !DVCHUB_TRY(may_act(principal, target_unit, true))) {
      return fail(ErrorCode::forbidden, "Bạn không được giao việc cho đơn vị này");
    }
    auto require_status = [&](std::initializer_list<std::string_view> allowed) -> Result<void> {
      if (std::find(allowed.begin(), allowed.end(), current.status) != allowed.end()) return {};
      return fail(ErrorCode::conflict, "Không thể thực hiện bước này khi phản ánh đang ở trạng thái \"" +
                                           status_label(current.status) + "\"");
    };
    std::string status = current.status;
    std::string sql;
    storage::Parameters parameters;
    switch (request.step) {
      case Step::classify: {
        DVCHUB_TRY(require_status({"received"}));
        TimePoint answer_due = DVCHUB_TRY(calendar_.add_working_days(now, deadlines.answer));
        status = target_unit ? "assigned" : "classified";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = $2, unit_id = COALESCE($3, unit_id), answer_due_at = $4, due_at = $4, "
            "updated_at = $5 WHERE id = $1",
            {item_id, status, storage::optional_value(target_unit), seconds_of(answer_due), seconds_of(now)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "classified", true, {}, actor.name));
        if (target_unit) DVCHUB_TRY(add_event(*connection, item_id, now, "assigned", true, request.unit_code, actor.name));
        break;
      }
      case Step::reject:
        DVCHUB_TRY(require_status({"received", "classified"}));
        status = "rejected";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = 'rejected', rejection_reason = $2, updated_at = $3 WHERE id = $1",
            {item_id, text, seconds_of(now)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "rejected", true, text, actor.name));
        break;
      case Step::transfer: {
        DVCHUB_TRY(require_status({"received", "classified", "assigned", "drafted"}));
        if (target_unit == unit_id) return fail_fields({{"unit_code", "Phản ánh đang ở chính đơn vị này"}});
        TimePoint answer_due = current.answer_due_at ? *current.answer_due_at
                                                     : DVCHUB_TRY(calendar_.add_working_days(now, deadlines.answer));
        status = "assigned";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = 'assigned', unit_id = $2, answer_due_at = $3, due_at = $3, "
            "answer = NULL, updated_at = $4 WHERE id = $1",
            {item_id, *target_unit, seconds_of(answer_due), seconds_of(now)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "transferred", true, request.unit_code + ": " + text, actor.name));
        break;
      }
      case Step::assign:
        DVCHUB_TRY(require_status({"classified", "assigned"}));
        status = "assigned";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = 'assigned', unit_id = $2, updated_at = $3 WHERE id = $1",
            {item_id, *target_unit, seconds_of(now)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "assigned", true, request.unit_code, actor.name));
        break;
      case Step::draft:
        DVCHUB_TRY(require_status({"assigned", "drafted"}));
        if (!unit_id) return fail(ErrorCode::conflict, "Cần giao phản ánh cho một đơn vị trước khi soạn trả lời");
        status = "drafted";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = 'drafted', answer = $2, updated_at = $3 WHERE id = $1",
            {item_id, text, seconds_of(now)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "drafted", false, {}, actor.name));
        break;
      case Step::approve: {
        DVCHUB_TRY(require_status({"drafted"}));
        std::string drafter;
        for (const auto& event : current.events) {
          if (event.step == "drafted") drafter = event.actor;
        }
        if (!coordinator && drafter == actor.name) {
          return fail(ErrorCode::conflict, "Người soạn câu trả lời không tự duyệt: cần lãnh đạo đơn vị hoặc điều phối viên");
        }
        TimePoint publish_due = DVCHUB_TRY(calendar_.add_working_days(now, deadlines.publish));
        const bool on_time = !current.answer_due_at || now <= *current.answer_due_at;
        // Measured from receipt, not classification (that would flatter late classifiers): as the citizen waits.
        const int working_days = DVCHUB_TRY(calendar_.working_days_between(current.received_at, now));
        status = "approved";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = 'approved', answered_at = $2, answered_on_time = $3, due_at = $4, "
            "answer_working_days = $5, updated_at = $2 WHERE id = $1",
            {item_id, seconds_of(now), std::int64_t{on_time ? 1 : 0}, seconds_of(publish_due), double(working_days)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "approved", false, {}, actor.name));
        break;
      }
      case Step::publish: {
        DVCHUB_TRY(require_status({"approved"}));
        status = "published";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = 'published', published_at = $2, search_text = $3, updated_at = $2 "
            "WHERE id = $1",
            {item_id, seconds_of(now), search_text_of(current)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "published", true, {}, actor.name));
        break;
      }
      case Step::note:
        DVCHUB_TRY(add_event(*connection, item_id, now, "noted", false, text, actor.name));
        break;
      case Step::extend: {
        DVCHUB_TRY(require_status({"classified", "assigned", "drafted"}));
        if (current.extended) return fail(ErrorCode::conflict, "Phản ánh này đã được gia hạn một lần");
        if (deadlines.extension == 0) {
          return fail(ErrorCode::conflict, "Quy định thời hạn của loại phản ánh này không cho phép gia hạn");
        }
        const TimePoint answer_due = DVCHUB_TRY(calendar_.add_working_days(
            current.answer_due_at.value_or(now), deadlines.extension));
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET extended = 1, answer_due_at = $2, due_at = $2, updated_at = $3 WHERE id = $1",
            {item_id, seconds_of(answer_due), seconds_of(now)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "extended", true,
                             text + " (hạn trả lời mới: " + format_display_instant(answer_due) + ")", actor.name));
        break;
      }
      case Step::hide:
        if (!current.hidden_reason.empty()) return fail(ErrorCode::conflict, "Nội dung này đang bị ẩn");
        DVCHUB_TRY(connection->execute("UPDATE feedback_items SET hidden_reason = $2, updated_at = $3 WHERE id = $1",
                                       {item_id, text, seconds_of(now)}));
        DVCHUB_TRY(connection->execute("UPDATE feedback_abuse_reports SET reviewed = 1 WHERE item_id = $1", {item_id}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "hidden", false, text, actor.name));
        break;
      case Step::merge: {
        DVCHUB_TRY(require_status({"received", "classified", "assigned", "drafted"}));
        const std::string target_code = canonical_tracking_code(text);
        auto target = DVCHUB_TRY(connection->query_one(
            "SELECT id, unit_id, status FROM feedback_items WHERE tracking_code = $1", {target_code}));
        if (!target) return fail_fields({{"text", "Không có phản ánh nào mang mã tra cứu " + text}});
        if (target->integer(0) == item_id) return fail_fields({{"text", "Không gộp một phản ánh vào chính nó"}});
        if (target->text(2) == "rejected") {
          return fail_fields({{"text", "Phản ánh " + display_tracking_code(target_code) + " đã bị từ chối hoặc gộp"}});
        }
        if (!DVCHUB_TRY(may_act(principal, target->optional_integer(1), false))) {
          return fail(ErrorCode::forbidden, "Bạn không xem được phản ánh " + display_tracking_code(target_code));
        }
        const std::string reason = "Trùng nội dung với phản ánh " + display_tracking_code(target_code) +
                                   "; câu trả lời sẽ có tại /phan-anh/" + target_code;
        status = "rejected";
        DVCHUB_TRY(connection->execute(
            "UPDATE feedback_items SET status = 'rejected', rejection_reason = $2, updated_at = $3 WHERE id = $1",
            {item_id, reason, seconds_of(now)}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "merged", true, reason, actor.name));
        break;
      }
      case Step::restore:
        if (current.hidden_reason.empty() && current.pending_abuse_reports == 0) {
          return fail(ErrorCode::conflict, "Nội dung này không bị ẩn và không có báo cáo chờ xem xét");
        }
        DVCHUB_TRY(connection->execute("UPDATE feedback_items SET hidden_reason = NULL, updated_at = $2 WHERE id = $1",
                                       {item_id, seconds_of(now)}));
        DVCHUB_TRY(connection->execute("UPDATE feedback_abuse_reports SET reviewed = 1 WHERE item_id = $1", {item_id}));
        DVCHUB_TRY(add_event(*connection, item_id, now, "restored", false, text, actor.name));
        break;
    }
    DVCHUB_TRY(move_contribution(*connection, item_id, before));
    return audit::record(*connection, clock_, actor,
                         {"feedback." + std::string(step_name(request.step)), "feedback", std::to_string(item_id),
                          status_json(current.status, current.unit_code),
                          status_json(status, request.unit_code.empty() ? current.unit_code : request.unit_code)});
  }));
  return load(*connection, item_id, true);
}

std::vector<Result<Item>> FeedbackService::assign_many(const std::vector<std::int64_t>& ids,
                                                       const std::string& unit_code, const http::Principal& principal,
                                                       const audit::Actor& actor) {
  std::vector<Result<Item>> results;
  for (std::size_t index = 0; index < ids.size(); ++index) {
    if (index >= 200) {
      results.push_back(fail(ErrorCode::invalid_input, "Mỗi lần giao tối đa 200 phản ánh"));
      continue;
    }
    auto current = item(ids[index], principal);
    if (!current) {
      results.push_back(tl::unexpected(current.error()));
      continue;
    }
    const Step step = current->status == "received" ? Step::classify : Step::assign;
    results.push_back(take_step(ids[index], {step, unit_code, ""}, principal, actor));
  }
  return results;
}

Result<int> FeedbackService::escalate_overdue(const audit::Actor& actor) {
  auto connection = DVCHUB_TRY(database_.acquire());
  const TimePoint now = clock_.now();
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT i.id, i.due_at, i.status FROM feedback_items i WHERE i.status IN ('received', 'classified', 'assigned', "
      "'drafted', 'approved') AND i.due_at < $1 AND (i.escalated_due_at IS NULL OR i.escalated_due_at <> i.due_at) "
      "ORDER BY i.due_at LIMIT 1000",
      {seconds_of(now)}));
  int escalated = 0;
  for (const auto& row : rows) {
    const std::int64_t id = row.integer(0);
    DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
      const Contribution before = DVCHUB_TRY(contribution_of(*connection, id));
      DVCHUB_TRY(connection->execute("UPDATE feedback_items SET escalated_due_at = due_at WHERE id = $1", {id}));
      DVCHUB_TRY(move_contribution(*connection, id, before));
      DVCHUB_TRY(add_event(*connection, id, now, "escalated", false,
                           "quá hạn từ " + format_display_instant(from_unix_seconds(row.integer(1))), actor.name));
      DVCHUB_TRY(notify_escalation(*connection, id, from_unix_seconds(row.integer(1))));
      json::Object after;
      after["status"] = row.text(2);
      after["overdue_since"] = format_iso_instant(from_unix_seconds(row.integer(1)));
      return audit::record(*connection, clock_, actor,
                           {"feedback.escalate", "feedback", std::to_string(id), std::nullopt, json::serialize(after)});
    }));
    ++escalated;
  }
  return escalated;
}

Result<std::int64_t> FeedbackService::report_abuse(std::string_view tracking_code, const std::string& reason,
                                                  const std::string& reporter_address, const audit::Actor& actor) {
  std::vector<FieldError> errors;
  const std::string clean = checked_text(errors, "reason", reason, true, 1000, "Cần cho biết nội dung nào không phù hợp");
  if (!errors.empty()) return fail_fields(std::move(errors));
  const std::string code = canonical_tracking_code(tracking_code);
  auto connection = DVCHUB_TRY(database_.acquire());
  const TimePoint now = clock_.now();
  std::int64_t pending = 0;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "SELECT id, status, hidden_reason FROM feedback_items WHERE tracking_code = $1", {code}));
    if (!row) return fail(ErrorCode::not_found, "Không có phản ánh, kiến nghị nào mang mã tra cứu này");
    const std::int64_t id = row->integer(0);
    if (row->text(1) != "published") return fail(ErrorCode::conflict, "Chỉ báo cáo được nội dung đã công bố");
    const bool hidden = !row->is_null(2);
    const std::string reporter_key = accounts::token_hash(std::to_string(id) + "/" + reporter_address);
    auto duplicate = DVCHUB_TRY(connection->query_one(
        "SELECT 1 FROM feedback_abuse_reports WHERE item_id = $1 AND reporter_key = $2", {id, reporter_key}));
    if (!duplicate) {
      DVCHUB_TRY(connection->execute(
          "INSERT INTO feedback_abuse_reports (item_id, reported_at, reason, reporter_key) VALUES ($1, $2, $3, $4)",
          {id, seconds_of(now), clean, reporter_key}));
      DVCHUB_TRY(add_event(*connection, id, now, "reported", false, clean, actor.name));
      DVCHUB_TRY(audit::record(*connection, clock_, actor,
                               {"feedback.report_abuse", "feedback", std::to_string(id), std::nullopt, std::nullopt}));
    }
    auto count = DVCHUB_TRY(connection->query_one(
        "SELECT COUNT(*) FROM feedback_abuse_reports WHERE item_id = $1 AND reviewed = 0", {id}));
    pending = count->integer(0);
    if (!hidden && pending >= abuse_reports_to_hide) {
      const Contribution before = DVCHUB_TRY(contribution_of(*connection, id));
      const std::string why = "Tự động tạm ẩn: " + std::to_string(pending) + " báo cáo nội dung không phù hợp chờ xem xét";
      DVCHUB_TRY(connection->execute("UPDATE feedback_items SET hidden_reason = $2, updated_at = $3 WHERE id = $1",
                                     {id, why, seconds_of(now)}));
      DVCHUB_TRY(add_event(*connection, id, now, "hidden", false, why, "moderation"));
      DVCHUB_TRY(move_contribution(*connection, id, before));
      json::Object after;
      after["hidden_reason"] = why;
      DVCHUB_TRY(audit::record(*connection, clock_, audit::Actor::system("moderation"),
                               {"feedback.auto_hide", "feedback", std::to_string(id), std::nullopt,
                                json::serialize(after)}));
    }
    return {};
  }));
  return pending;
}

Result<PublicPage> FeedbackService::published(const PublicQuery& query) const {
  // The conditions of the indexes feedback_items_listed and _by_unit (migration 0023), so planners walk them.
  std::string where = " WHERE i.status = 'published' AND i.consent_publish = 1 AND i.hidden_reason IS NULL";
  storage::Parameters parameters;
  auto parameter = [&](storage::Value value) {
    parameters.push_back(std::move(value));
    return "$" + std::to_string(parameters.size());
  };
  auto connection = DVCHUB_TRY(database_.acquire());
  PublicPage page;
  page.page = std::max(1, query.page);
  page.page_size = page_size;
  if (!query.unit_code.empty()) {
    // The unit's id as a value (not a subquery), so the by-unit index serves the order.
    auto unit = DVCHUB_TRY(connection->query_one("SELECT id FROM units WHERE code = $1", {query.unit_code}));
    if (!unit) return page;
    where += " AND i.unit_id = " + parameter(unit->integer(0));
  }
  const auto words = text::tokens(text::fold(query.query));
  if (!words.empty()) where += " AND " + text_match(connection->dialect(), words, false, parameters);
  if (words.empty()) {
    // Without words the total is the "listed" counter: no scan of the items (a million of them is fine).
    auto count = query.unit_code.empty()
                     ? DVCHUB_TRY(connection->query_one("SELECT COALESCE(SUM(listed), 0) FROM feedback_counters"))
                     : DVCHUB_TRY(connection->query_one(
                           "SELECT COALESCE(SUM(listed), 0) FROM feedback_counters WHERE unit_id IN "
                           "(SELECT id FROM units WHERE code = $1)",
                           {query.unit_code}));
    page.total = count->integer(0);
  } else {
    auto count = DVCHUB_TRY(connection->query_one(
        "SELECT COUNT(*) FROM (SELECT 1 FROM feedback_items i" + where + " LIMIT " +
            std::to_string(maximum_counted_matches + 1) + ") matches",
        parameters));
    page.total = std::min(count->integer(0), maximum_counted_matches);
    page.total_is_minimum = count->integer(0) > maximum_counted_matches;
  }
  // Deferred join: the page's ids come from the index alone (a deep page skips index entries, not rows), then
  // only those rows are read.
  constexpr const char* newest_first = " ORDER BY i.published_at DESC, i.id DESC";
  const std::string id_sql = "SELECT i.id FROM feedback_items i" + where + newest_first + " LIMIT " +
                             parameter(std::int64_t{page_size}) + " OFFSET " +
                             parameter(std::int64_t{(page.page - 1) * std::int64_t{page_size}});
  std::vector<std::int64_t> ids;
  for (const auto& row : DVCHUB_TRY(connection->query(id_sql, parameters))) ids.push_back(row.integer(0));
  if (ids.empty()) return page;
  storage::Parameters id_parameters;
  const std::string id_list = storage::append_parameters(id_parameters, ids);
  auto rows = DVCHUB_TRY(
      connection->query(std::string(item_columns) + "WHERE i.id IN (" + id_list + ")" + newest_first, id_parameters));
  const std::string today = units_.today();
  for (const auto& row : rows) {
    Item item = item_from_row(row, clock_.now());
    if (!item.unit_code.empty()) {
      auto unit = units_.find(item.unit_code, today);
      item.unit_name = unit ? unit->name : item.unit_code;
    }
    page.items.push_back(public_view(std::move(item)));
  }
  return page;
}

Result<std::vector<Item>> FeedbackService::similar(std::string_view text, int limit) const {
  static const std::set<std::string> function_words = {
      "a",   "ai", "bi",  "cac", "cho", "co",    "cua",  "da",  "de",  "duoc", "gi",    "hay", "hoi", "khi",
      "la",  "lam", "ma", "mot", "nao", "nay",   "nhu",  "nhung", "o", "ra",   "roi",   "sao", "se",  "thi",
      "the", "toi", "tu", "va",  "ve",  "voi",   "vay",  "xin", "em",  "anh",  "chi",   "khong", "can", "phai"};
  std::vector<std::string> words;
  for (auto& word : text::tokens(text::fold(text))) {
    if (word.size() < 2 || function_words.count(word) || std::find(words.begin(), words.end(), word) != words.end()) {
      continue;
    }
    words.push_back(word);
    if (words.size() == 12) break;
  }
  if (words.empty()) return std::vector<Item>{};
  auto connection = DVCHUB_TRY(database_.acquire());
  storage::Parameters parameters;
  const std::string sql = "SELECT i.id, i.search_text FROM feedback_items i WHERE i.status = 'published' AND "
                          "i.consent_publish = 1 AND i.hidden_reason IS NULL AND " +
                          text_match(connection->dialect(), words, true, parameters) +
                          " ORDER BY i.published_at DESC LIMIT 500";
  auto rows = DVCHUB_TRY(connection->query(sql, parameters));
  std::vector<std::pair<double, std::int64_t>> scored;
  for (const auto& row : rows) {
    const std::string haystack = " " + joined_words(row.text(1)) + " ";
    double score = 0;
    for (std::size_t index = 0; index < words.size(); ++index) {
      if (haystack.find(" " + words[index] + " ") != std::string::npos) score += 1;
      if (index + 1 < words.size() && haystack.find(" " + words[index] + " " + words[index + 1] + " ") != std::string::npos) {
        score += 1;
      }
    }
    score /= double(words.size());
    if (score >= 0.5) scored.emplace_back(score, row.integer(0));
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& left, const auto& right) { return left.first > right.first; });
  std::vector<Item> items;
  for (const auto& [score, id] : scored) {
    if (static_cast<int>(items.size()) >= std::clamp(limit, 1, 20)) break;
    items.push_back(public_view(DVCHUB_TRY(load(*connection, id, false))));
  }
  return items;
}

Result<std::vector<Item>> FeedbackService::public_requests(const RequestFilter& filter) const {
  std::string sql = std::string(item_columns) + "WHERE i.consent_publish = 1 AND i.hidden_reason IS NULL";
  storage::Parameters parameters;
  auto parameter = [&](storage::Value value) {
    parameters.push_back(std::move(value));
    return "$" + std::to_string(parameters.size());
  };
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    sql += std::string(" AND ") + column + " IN (" + storage::append_parameters(parameters, values) + ")";
  };
  if (!filter.tracking_codes.empty()) {
    std::vector<std::string> codes;
    for (const auto& code : filter.tracking_codes) codes.push_back(canonical_tracking_code(code));
    in_list("i.tracking_code", codes);
  } else {
    if (!filter.subjects.empty()) in_list("i.subject", filter.subjects);
    if (filter.start) sql += " AND i.received_at >= " + parameter(seconds_of(*filter.start));
    if (filter.end) sql += " AND i.received_at <= " + parameter(seconds_of(*filter.end));
    if (filter.open) {
      sql += *filter.open ? " AND i.status NOT IN ('published', 'rejected')" : " AND i.status IN ('published', 'rejected')";
    }
  }
  sql += " ORDER BY i.received_at DESC, i.id DESC LIMIT " + parameter(std::int64_t{std::clamp(filter.limit, 1, 1000)});
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(sql, parameters));
  std::vector<Item> items;
  std::map<std::string, std::string> unit_names;
  const std::string today = units_.today();
  for (const auto& row : rows) {
    Item item = item_from_row(row, clock_.now());
    if (!item.unit_code.empty()) {
      auto [entry, inserted] = unit_names.try_emplace(item.unit_code, item.unit_code);
      if (inserted) {
        if (auto unit = units_.find(item.unit_code, today)) entry->second = unit->name;
      }
      item.unit_name = entry->second;
    }
    items.push_back(public_view(std::move(item)));
  }
  return items;
}

Result<Item> FeedbackService::rate(std::string_view tracking_code, bool satisfied, const std::string& comment,
                                   const audit::Actor& actor) {
  std::string clean = trimmed(text::normalize(comment));
  if (auto count = character_count(clean); !count || *count > maximum_reason_characters) {
    return fail_fields({{"comment", "Ý kiến dài quá " + std::to_string(maximum_reason_characters) + " ký tự"}});
  }
  if (!satisfied && clean.empty()) {
    return fail_fields({{"comment", "Xin cho biết vì sao chưa hài lòng để đơn vị xử lý lại"}});
  }
  const std::string code = canonical_tracking_code(tracking_code);
  auto connection = DVCHUB_TRY(database_.acquire());
  const TimePoint now = clock_.now();
  std::int64_t item_id = 0;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one(
        "SELECT id, status, published_at, kind, subject FROM feedback_items WHERE tracking_code = $1", {code}));
    if (!row) return fail(ErrorCode::not_found, "Không có phản ánh, kiến nghị nào mang mã tra cứu này");
    item_id = row->integer(0);
    if (row->text(1) != "published") return fail(ErrorCode::conflict, "Chỉ đánh giá được câu trả lời đã công bố");
    auto earlier = DVCHUB_TRY(connection->query_one(
        "SELECT id FROM feedback_ratings WHERE item_id = $1 AND rated_at >= $2", {item_id, row->integer(2)}));
    if (earlier) return fail(ErrorCode::conflict, "Câu trả lời này đã được đánh giá");
    const Contribution before = DVCHUB_TRY(contribution_of(*connection, item_id));
    DVCHUB_TRY(connection->execute(
        "INSERT INTO feedback_ratings (item_id, satisfied, comment, rated_at) VALUES ($1, $2, $3, $4)",
        {item_id, std::int64_t{satisfied ? 1 : 0}, clean, seconds_of(now)}));
    DVCHUB_TRY(add_event(*connection, item_id, now, "rated", true, satisfied ? "Hài lòng" : "Chưa hài lòng",
                         actor.name));
    std::string status = "published";
    if (!satisfied) {
      const Deadlines deadlines = DVCHUB_TRY(deadline_rules_.deadlines_for(row->text(3), row->text(4)));
      TimePoint answer_due = DVCHUB_TRY(calendar_.add_working_days(now, deadlines.answer));
      status = "assigned";
      DVCHUB_TRY(connection->execute(
          "UPDATE feedback_items SET status = 'assigned', answer_due_at = $2, due_at = $2, updated_at = $3 WHERE id = $1",
          {item_id, seconds_of(answer_due), seconds_of(now)}));
      DVCHUB_TRY(add_event(*connection, item_id, now, "reopened", true, clean, actor.name));
    }
    DVCHUB_TRY(move_contribution(*connection, item_id, before));
    json::Object after;
    after["satisfied"] = satisfied;
    after["status"] = status;
    return audit::record(*connection, clock_, actor,
                         {"feedback.rate", "feedback", std::to_string(item_id), status_json("published", {}),
                          json::serialize(after)});
  }));
  return public_view(DVCHUB_TRY(load(*connection, item_id, false)));
}

Result<Statistics> FeedbackService::statistics(const std::string& unit_code, std::chrono::year_month_day from,
                                               std::chrono::year_month_day to) const {
  std::string where = " WHERE day >= $1 AND day <= $2";
  storage::Parameters parameters{format_iso_date(from), format_iso_date(to)};
  if (!unit_code.empty()) {
    auto unit = DVCHUB_TRY(units_.find(unit_code, units_.today()));
    auto ids = DVCHUB_TRY(units_.subtree_ids(unit.id, units_.today()));
    where += " AND unit_id IN (" + storage::append_parameters(parameters, ids) + ")";
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  auto totals = DVCHUB_TRY(connection->query_one(
      "SELECT COALESCE(SUM(received), 0), COALESCE(SUM(rejected), 0), COALESCE(SUM(answered), 0), "
      "COALESCE(SUM(answered_on_time), 0), COALESCE(SUM(published), 0), COALESCE(SUM(answer_days_sum), 0), "
      "COALESCE(SUM(answer_days_count), 0), COALESCE(SUM(ratings), 0), COALESCE(SUM(satisfied), 0), "
      "COALESCE(SUM(overdue), 0) FROM feedback_counters" + where,
      parameters));
  Statistics statistics;
  statistics.received = totals->integer(0);
  statistics.rejected = totals->integer(1);
  statistics.answered = totals->integer(2);
  statistics.answered_on_time = totals->integer(3);
  statistics.published = totals->integer(4);
  if (totals->integer(6) > 0) statistics.average_working_days_to_answer = totals->real(5) / double(totals->integer(6));
  statistics.ratings = totals->integer(7);
  statistics.satisfied = totals->integer(8);
  if (statistics.ratings > 0) statistics.satisfied_share = double(statistics.satisfied) / double(statistics.ratings);
  statistics.overdue = totals->integer(9);
  return statistics;
}

Result<std::vector<LeagueRow>> FeedbackService::league(std::chrono::year_month_day from,
                                                      std::chrono::year_month_day to) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT c.unit_id, COALESCE(u.code, ''), COALESCE((SELECT v.name FROM unit_versions v WHERE v.unit_id = c.unit_id "
      "ORDER BY v.valid_from DESC LIMIT 1), ''), SUM(received), SUM(rejected), SUM(answered), SUM(answered_on_time), "
      "SUM(published), SUM(answer_days_sum), SUM(answer_days_count), SUM(ratings), SUM(satisfied), SUM(overdue) "
      "FROM feedback_counters c LEFT JOIN units u ON u.id = c.unit_id WHERE c.day >= $1 AND c.day <= $2 "
      "GROUP BY c.unit_id, u.code HAVING SUM(received) > 0",
      {format_iso_date(from), format_iso_date(to)}));
  std::vector<LeagueRow> league;
  for (const auto& row : rows) {
    LeagueRow line;
    line.unit_code = row.text(1);
    line.unit_name = row.integer(0) == 0 ? "Chưa xác định đơn vị" : row.text(2);
    Statistics& figures = line.statistics;
    figures.received = row.integer(3);
    figures.rejected = row.integer(4);
    figures.answered = row.integer(5);
    figures.answered_on_time = row.integer(6);
    figures.published = row.integer(7);
    if (row.integer(9) > 0) figures.average_working_days_to_answer = row.real(8) / double(row.integer(9));
    figures.ratings = row.integer(10);
    figures.satisfied = row.integer(11);
    figures.overdue = row.integer(12);
    if (figures.ratings > 0) figures.satisfied_share = double(figures.satisfied) / double(figures.ratings);
    if (figures.answered > 0) line.on_time_share = double(figures.answered_on_time) / double(figures.answered);
    league.push_back(std::move(line));
  }
  std::stable_sort(league.begin(), league.end(), [](const LeagueRow& left, const LeagueRow& right) {
    auto key = [](const LeagueRow& line) {
      return std::tuple(line.on_time_share.has_value(), line.on_time_share.value_or(0),
                        line.statistics.satisfied_share.value_or(0), line.statistics.received);
    };
    return key(left) > key(right);
  });
  return league;
}

}  // namespace dvchub::feedback
