#include "notification/notifications.h"

#include <algorithm>

#include "core/dates.h"
#include "json/json.h"

namespace dvchub::notification {
namespace {

constexpr std::size_t error_text_limit = 300;  // characters of the last error kept

// The first `limit` characters (UTF-8 code points) of `text`.
std::string first_characters(const std::string& text, std::size_t limit) {
  std::size_t characters = 0;
  for (std::size_t index = 0; index < text.size(); ++index) {
    if ((static_cast<unsigned char>(text[index]) & 0xC0) != 0x80 && characters++ == limit) return text.substr(0, index);
  }
  return text;
}

std::string without_control_characters(const std::string& text) {
  std::string line = text;
  for (char& character : line) {
    if (static_cast<unsigned char>(character) < 0x20 || character == 0x7F) character = ' ';
  }
  return line;
}

Result<std::vector<std::int64_t>> user_ids(storage::Connection& connection, std::string_view sql,
                                           const storage::Parameters& parameters) {
  std::vector<std::int64_t> ids;
  for (const auto& row : DVCHUB_TRY(connection.query(sql, parameters))) ids.push_back(row.integer(0));
  return ids;
}

OutboxMessage outbox_message_from(const storage::Row& row) {
  OutboxMessage message;
  message.id = row.integer(0);
  message.recipient = row.text(1);
  message.subject = row.text(2);
  message.status = row.text(3);
  message.attempts = static_cast<int>(row.integer(4));
  message.next_attempt_at = from_unix_seconds(row.integer(5));
  message.last_error = row.text(6);
  message.created_at = from_unix_seconds(row.integer(7));
  if (!row.is_null(8)) message.sent_at = from_unix_seconds(row.integer(8));
  return message;
}

constexpr const char* outbox_columns =
    "id, recipient, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at";

}  // namespace

Result<int> notify(storage::Connection& connection, TimePoint now, const std::vector<std::int64_t>& user_ids,
                   const Notice& notice) {
  if (notice.key.empty() || notice.key.size() > notice_key_limit) {
    return fail(ErrorCode::invalid_input, "Mã thông báo không hợp lệ", notice.key);
  }
  const std::string title = first_characters(without_control_characters(notice.title), notice_title_limit);
  if (title.find_first_not_of(' ') == std::string::npos) {
    return fail(ErrorCode::invalid_input, "Thông báo cần có tiêu đề", notice.key);
  }
  // A path of this site only: "/x", never "//host" or "/\host" (which browsers read as another site), no spaces or
  // control characters.
  const bool site_path =
      notice.link.size() <= notice_link_limit &&
      (notice.link.empty() ||
       (notice.link.front() == '/' && (notice.link.size() == 1 || notice.link[1] != '/') &&
        std::none_of(notice.link.begin(), notice.link.end(), [](char character) {
          return static_cast<unsigned char>(character) <= 0x20 || character == 0x7F || character == '\\';
        })));
  if (!site_path) {
    return fail(ErrorCode::invalid_input, "Liên kết của thông báo phải là một đường dẫn trong trang", notice.link);
  }
  const std::string text = first_characters(notice.text, notice_text_limit);
  const std::int64_t seconds = to_unix_seconds(now);
  int added = 0;
  for (const std::int64_t user_id : user_ids) {
    auto user = DVCHUB_TRY(connection.query_one("SELECT email FROM users WHERE id = $1 AND active = 1", {user_id}));
    if (!user) continue;
    added += static_cast<int>(DVCHUB_TRY(connection.execute(
        "INSERT INTO notifications (user_id, notice_key, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (user_id, notice_key) DO NOTHING",
        {user_id, notice.key, title, text, notice.link, seconds})));
    const std::string address = user->text(0);
    if (address.empty()) continue;
    DVCHUB_TRY(connection.execute(
        "INSERT INTO notification_outbox (dedup_key, user_id, recipient, subject, body, link, next_attempt_at, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7) ON CONFLICT (dedup_key) DO NOTHING",
        {notice.key + "/user:" + std::to_string(user_id), user_id, address, title, text, notice.link, seconds}));
  }
  return added;
}

Result<std::vector<std::int64_t>> officers_or_coordinators(storage::Connection& connection,
                                                          std::optional<std::int64_t> unit_id) {
  if (unit_id) {
    auto officers = DVCHUB_TRY(user_ids(
        connection, "SELECT id FROM users WHERE role = 'officer' AND unit_id = $1 AND active = 1 ORDER BY id", {*unit_id}));
    if (!officers.empty()) return officers;
  }
  return coordinators(connection);
}

Result<std::vector<std::int64_t>> coordinators(storage::Connection& connection) {
  return user_ids(connection, "SELECT id FROM users WHERE role = 'coordinator' AND active = 1 ORDER BY id", {});
}

Result<NotificationService> NotificationService::create(storage::Database& database, const Clock& clock,
                                                        MailSettings mail, DeliveryPolicy policy) {
  Sender sender = DVCHUB_TRY(parse_sender(mail.from));
  while (!mail.public_url.empty() && mail.public_url.back() == '/') mail.public_url.pop_back();
  return NotificationService(database, clock, std::move(sender), std::move(mail.public_url), policy);
}

Result<std::vector<InAppNotification>> NotificationService::notifications_of(std::int64_t user_id, int limit) const {
  auto connection = DVCHUB_TRY(database_->acquire());
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT id, title, body, link, created_at, read_at FROM notifications WHERE user_id = $1 "
      "ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT $2",
      {user_id, std::int64_t{std::clamp(limit, 1, 200)}}));
  std::vector<InAppNotification> list;
  for (const auto& row : rows) {
    InAppNotification entry{row.integer(0), row.text(1), row.text(2), row.text(3), from_unix_seconds(row.integer(4)),
                            std::nullopt};
    if (!row.is_null(5)) entry.read_at = from_unix_seconds(row.integer(5));
    list.push_back(std::move(entry));
  }
  return list;
}

Result<std::int64_t> NotificationService::unread_count(std::int64_t user_id, std::int64_t cap) const {
  auto connection = DVCHUB_TRY(database_->acquire());
  auto row = DVCHUB_TRY(connection->query_one(
      "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL LIMIT $2) unread",
      {user_id, cap}));
  return row ? row->integer(0) : 0;
}

Result<void> NotificationService::mark_read(std::int64_t user_id, std::int64_t notification_id) const {
  auto connection = DVCHUB_TRY(database_->acquire());
  auto found = DVCHUB_TRY(connection->query_one("SELECT read_at FROM notifications WHERE id = $1 AND user_id = $2",
                                                {notification_id, user_id}));
  if (!found) return fail(ErrorCode::not_found, "Không tìm thấy thông báo");
  if (!found->is_null(0)) return {};
  DVCHUB_TRY(connection->execute("UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2",
                                 {notification_id, user_id, to_unix_seconds(clock_->now())}));
  return {};
}

Result<std::int64_t> NotificationService::mark_all_read(std::int64_t user_id) const {
  auto connection = DVCHUB_TRY(database_->acquire());
  return connection->execute("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
                             {user_id, to_unix_seconds(clock_->now())});
}

Result<std::vector<OutboxMessage>> NotificationService::outbox(const std::string& status) const {
  if (!status.empty() && status != "pending" && status != "sent" && status != "failed") {
    return fail_fields({{"status", "Trạng thái chỉ là pending, sent hoặc failed"}});
  }
  auto connection = DVCHUB_TRY(database_->acquire());
  const std::string where = status.empty() ? "status IN ('pending', 'failed')" : "status = $1";
  storage::Parameters parameters;
  if (!status.empty()) parameters.emplace_back(status);
  std::vector<OutboxMessage> messages;
  for (const auto& row : DVCHUB_TRY(connection->query(std::string("SELECT ") + outbox_columns +
                                                           " FROM notification_outbox WHERE " + where +
                                                           " ORDER BY id DESC LIMIT 200",
                                                       parameters))) {
    messages.push_back(outbox_message_from(row));
  }
  return messages;
}

Result<void> NotificationService::retry_now(std::int64_t message_id, const audit::Actor& actor) const {
  auto connection = DVCHUB_TRY(database_->acquire());
  const TimePoint now = clock_->now();
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto row = DVCHUB_TRY(connection->query_one("SELECT status, attempts FROM notification_outbox WHERE id = $1",
                                                {message_id}));
    if (!row) return fail(ErrorCode::not_found, "Không tìm thấy thư");
    if (row->text(0) == "sent") return fail(ErrorCode::conflict, "Thư này đã được gửi");
    const bool failed = row->text(0) == "failed";
    DVCHUB_TRY(connection->execute(
        "UPDATE notification_outbox SET status = 'pending', attempts = $2, next_attempt_at = $3, updated_at = $3 "
        "WHERE id = $1",
        {message_id, failed ? std::int64_t{0} : row->integer(1), to_unix_seconds(now)}));
    return audit::record(*connection, *clock_, actor,
                         audit::Change{"notification.retry", "notification_outbox", std::to_string(message_id),
                                       json::serialize(json::Object{{"status", row->text(0)},
                                                                    {"attempts", row->integer(1)}}),
                                       json::serialize(json::Object{{"status", "pending"}})});
  });
}

Result<DeliveryReport> NotificationService::deliver_due(SmtpTransport& transport) const {
  auto connection = DVCHUB_TRY(database_->acquire());
  const TimePoint now = clock_->now();
  const std::int64_t seconds = to_unix_seconds(now);
  auto due = DVCHUB_TRY(connection->query(
      "SELECT id, recipient, subject, body, link, attempts, next_attempt_at, created_at FROM notification_outbox "
      "WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
      {seconds, std::int64_t{policy_.batch}}));
  DeliveryReport report;
  std::optional<Error> relay_down;  // once the relay cannot be reached, the rest of the batch waits too
  for (const auto& row : due) {
    const std::int64_t id = row.integer(0);
    // Claim it: only one sender moves next_attempt_at from the value it read.
    const auto claimed = DVCHUB_TRY(connection->execute(
        "UPDATE notification_outbox SET next_attempt_at = $3 WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2",
        {id, row.integer(6), seconds + policy_.claim.count()}));
    if (claimed == 0) continue;
    Result<void> sent = relay_down ? Result<void>(tl::unexpected(*relay_down)) : Result<void>{};
    if (!relay_down) {
      MailMessage message;
      message.from_address = sender_.address;
      message.from_name = sender_.name;
      message.to_address = row.text(1);
      message.subject = row.text(2);
      message.body = row.text(3);
      if (!row.text(4).empty()) message.body += "\n\n" + public_url_ + row.text(4);
      message.date = now;
      message.message_id = "outbox-" + std::to_string(id) + "." + std::to_string(row.integer(7)) + "@" +
                           sender_.address.substr(sender_.address.find('@') + 1);
      sent = transport.send(message);
      if (!sent && sent.error().code == ErrorCode::unavailable) relay_down = sent.error();
    }
    const int attempts = static_cast<int>(row.integer(5)) + 1;
    if (sent) {
      DVCHUB_TRY(connection->execute(
          "UPDATE notification_outbox SET status = 'sent', attempts = $2, sent_at = $3, updated_at = $3, "
          "last_error = '' WHERE id = $1",
          {id, std::int64_t{attempts}, seconds}));
      ++report.sent;
      continue;
    }
    const std::string error = first_characters(sent.error().message + ": " + sent.error().detail, error_text_limit);
    const bool permanent = sent.error().code != ErrorCode::unavailable || attempts >= policy_.maximum_attempts;
    const auto wait = std::min<std::int64_t>(policy_.longest_retry.count(),
                                             policy_.first_retry.count() << std::min(attempts - 1, 20));
    DVCHUB_TRY(connection->execute(
        "UPDATE notification_outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, "
        "updated_at = $6 WHERE id = $1",
        {id, std::string(permanent ? "failed" : "pending"), std::int64_t{attempts}, seconds + wait, error, seconds}));
    ++(permanent ? report.failed : report.postponed);
  }
  return report;
}

}  // namespace dvchub::notification
