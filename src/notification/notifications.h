// notification/notifications.h — what dvchub tells its staff, and how it reaches them. This module owns:
//   - the outbox (notification_outbox): one e-mail per account and notice, with a unique deduplication key, status
//     pending → sent, or failed after DeliveryPolicy::maximum_attempts (or at once when the relay refuses it for
//     good), attempts, the next attempt time (exponential backoff), the last error;
//   - each staff account's in-app list (notifications): title, text, link, created, read;
//   - sending the outbox through the SMTP relay (smtp_transport.h) and the pages: /quan-tri/thong-bao (own list),
//     GET /api/v1/notifications, /quan-tri/hop-thu-di (administrators: the outbox, retry now).
// Other modules call notify() inside the transaction of the event that causes the notice (an escalation, a
// reminder), so a notice exists exactly when its event does, and exactly once per key. Storage:
// migrations/0015_notifications.sql; addresses: users.email (0016, accounts module). Details: docs/notifications.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "notification/smtp_transport.h"
#include "storage/database.h"

namespace dvchub::notification {

inline constexpr std::size_t notice_key_limit = 200;     // bytes
inline constexpr std::size_t notice_title_limit = 200;   // characters; longer titles are cut
inline constexpr std::size_t notice_text_limit = 4000;   // characters; longer texts are cut
inline constexpr std::size_t notice_link_limit = 500;    // bytes

// One thing to tell some staff accounts.
struct Notice {
  std::string key;    // stable for the event, unique per kind: "feedback/12/reminder/1767200000"
  std::string title;  // one line (the e-mail's subject)
  std::string text;   // plain text, "\n" line breaks
  std::string link;   // a path of the site ("/quan-tri/phan-anh/12"), or ""
};

// Queues `notice` for every account of `user_ids`, on `connection` inside the caller's transaction: one in-app
// entry per active account and one e-mail per active account with an address; a notice already queued for an
// account (same key) is left as it is, so calling again is harmless. Control characters in the title become
// spaces; title and text are cut to their limits. invalid_input for an empty or overlong key or title, or a link
// that is not a site path ("/…"; not "//…", no backslash, space or control character). Returns the number of in-app entries added now.
Result<int> notify(storage::Connection& connection, TimePoint now, const std::vector<std::int64_t>& user_ids,
                   const Notice& notice);

// The active officers of unit `unit_id`; when it has none (or unit_id is nullopt), the active coordinators, so a
// notice about a unit's work always reaches someone. By id.
Result<std::vector<std::int64_t>> officers_or_coordinators(storage::Connection& connection,
                                                          std::optional<std::int64_t> unit_id);
// The active coordinators (the lead office), by id.
Result<std::vector<std::int64_t>> coordinators(storage::Connection& connection);

// An entry of a staff account's in-app list.
struct InAppNotification {
  std::int64_t id = 0;
  std::string title;
  std::string text;
  std::string link;
  TimePoint created_at;
  std::optional<TimePoint> read_at;
};

// An e-mail in the outbox (the body left out).
struct OutboxMessage {
  std::int64_t id = 0;
  std::string recipient;
  std::string subject;
  std::string status;  // pending, sent, failed
  int attempts = 0;
  TimePoint next_attempt_at;
  std::string last_error;
  TimePoint created_at;
  std::optional<TimePoint> sent_at;
};

// How the outbox is sent. Attempt n (from 1) that fails temporarily is retried first_retry × 2^(n−1) later, at
// most longest_retry; after maximum_attempts the message is failed. A sender claims a message for `claim` before
// sending it, so several processes never send it at once (one that dies mid-way lets it be retried after that).
struct DeliveryPolicy {
  int maximum_attempts = 8;
  std::chrono::seconds first_retry{60};
  std::chrono::seconds longest_retry{6 * 3600};
  std::chrono::seconds claim{300};
  int batch = 50;  // messages per deliver_due() call
};

// Settings of outgoing mail: `from` is "address" or "Name <address>"; `public_url` makes the links of e-mails
// absolute ("https://dvc.example.gov.vn").
struct MailSettings {
  std::string from = "dvchub <noreply@dvchub.localhost>";
  std::string public_url = "http://127.0.0.1:8080";
};

struct DeliveryReport {
  int sent = 0;
  int postponed = 0;  // a temporary failure: pending, retried later
  int failed = 0;     // failed for good now
};

// Thread-safe: holds references only; each call borrows its own connection.
class NotificationService {
 public:
  // invalid_input when `mail.from` is not acceptable (see mail_message.h parse_sender).
  static Result<NotificationService> create(storage::Database& database, const Clock& clock, MailSettings mail,
                                            DeliveryPolicy policy = {});

  // The account's in-app list: unread first, newest first within each, at most `limit` (1–200).
  Result<std::vector<InAppNotification>> notifications_of(std::int64_t user_id, int limit = 100) const;
  // How many unread entries the account has, counting at most `cap`.
  Result<std::int64_t> unread_count(std::int64_t user_id, std::int64_t cap = 100) const;
  // Marks one entry of the account read. not_found when the entry does not exist or belongs to someone else.
  Result<void> mark_read(std::int64_t user_id, std::int64_t notification_id) const;
  // Marks every entry of the account read; returns how many changed.
  Result<std::int64_t> mark_all_read(std::int64_t user_id) const;

  // The outbox for administrators: messages of `status` (pending, sent, failed; "" for pending and failed), newest
  // first, at most 200. invalid_input for another status.
  Result<std::vector<OutboxMessage>> outbox(const std::string& status) const;
  // Sends a pending or failed message at the next deliver_due() call (a failed one starts over at attempt 0).
  // not_found for an unknown id, conflict for a sent one. Audited as "notification.retry".
  Result<void> retry_now(std::int64_t message_id, const audit::Actor& actor) const;

  // Sends up to policy.batch pending messages that are due, through `transport`. A message the relay takes is
  // sent; a temporary failure records the error and the next attempt time (and the same for the rest of the
  // batch, without trying them: the relay is likely down); a permanent one, or the last allowed attempt, marks it
  // failed. Errors only when the store fails.
  Result<DeliveryReport> deliver_due(SmtpTransport& transport) const;

 private:
  NotificationService(storage::Database& database, const Clock& clock, Sender sender, std::string public_url,
                      DeliveryPolicy policy)
      : database_(&database), clock_(&clock), sender_(std::move(sender)), public_url_(std::move(public_url)),
        policy_(policy) {}

  storage::Database* database_;
  const Clock* clock_;
  Sender sender_;
  std::string public_url_;
  DeliveryPolicy policy_;
};

}  // namespace dvchub::notification
