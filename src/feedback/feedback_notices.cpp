// feedback/feedback_notices.cpp — what the deadlines of feedback items tell staff (docs/notifications.md): a
// reminder one working day before a step's deadline to the officers of the item's unit (coordinators when it has
// none), and the escalation after it to the coordinators, each once per deadline, in-app and by e-mail through the
// notification module's outbox, written in the transaction that records them.
#include "core/dates.h"
#include "feedback/feedback_service.h"
#include "feedback/public_text.h"
#include "notification/notifications.h"

namespace dvchub::feedback {
namespace {

constexpr const char* open_statuses = "('received', 'classified', 'assigned', 'drafted', 'approved')";

// The item as a notice shows it: the title masked as in public (e-mail leaves the site), the tracking code, the
// status and the deadline.
struct NoticeSubject {
  std::optional<std::int64_t> unit_id;
  std::string code;
  std::string title;
  std::string status;
};

Result<NoticeSubject> notice_subject(storage::Connection& connection, std::int64_t item_id) {
  auto row = DVCHUB_TRY(connection.query_one(
      "SELECT unit_id, tracking_code, title, contact_name, status FROM feedback_items WHERE id = $1", {item_id}));
  if (!row) return fail(ErrorCode::not_found, "Không tìm thấy phản ánh");
  return NoticeSubject{row->optional_integer(0), display_tracking_code(row->text(1)),
                       public_text(row->text(2), row->text(3)), status_label(row->text(4))};
}

}  // namespace

Result<void> FeedbackService::notify_escalation(storage::Connection& connection, std::int64_t item_id,
                                                TimePoint due_at) const {
  const NoticeSubject subject = DVCHUB_TRY(notice_subject(connection, item_id));
  const notification::Notice notice{
      "feedback/" + std::to_string(item_id) + "/escalation/" + std::to_string(to_unix_seconds(due_at)),
      "Quá hạn: phản ánh " + subject.code + " — " + subject.title,
      "Phản ánh " + subject.code + " “" + subject.title + "” (" + subject.status + ") đã quá hạn từ " +
          format_display_instant(due_at) + ". Đề nghị điều phối viên đôn đốc đơn vị xử lý.",
      "/quan-tri/phan-anh/" + std::to_string(item_id)};
  DVCHUB_TRY(notification::notify(connection, clock_.now(), DVCHUB_TRY(notification::coordinators(connection)), notice));
  return {};
}

Result<int> FeedbackService::remind_due_soon(const audit::Actor& actor) {
  const TimePoint now = clock_.now();
  // Due by the end of the next working day: at most one working day left.
  const TimePoint horizon = DVCHUB_TRY(calendar_.add_working_days(now, 1));
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      std::string("SELECT id, due_at FROM feedback_items WHERE status IN ") + open_statuses +
          " AND due_at >= $1 AND due_at <= $2 AND (reminded_due_at IS NULL OR reminded_due_at <> due_at) "
          "ORDER BY due_at LIMIT 1000",
      {to_unix_seconds(now), to_unix_seconds(horizon)}));
  int reminded = 0;
  for (const auto& row : rows) {
    const std::int64_t id = row.integer(0);
    const TimePoint due_at = from_unix_seconds(row.integer(1));
    DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
      // Only the process that marks the deadline reminded sends the reminder.
      const auto marked = DVCHUB_TRY(connection->execute(
          "UPDATE feedback_items SET reminded_due_at = due_at WHERE id = $1 AND due_at = $2 AND "
          "(reminded_due_at IS NULL OR reminded_due_at <> due_at)",
          {id, row.integer(1)}));
      if (marked == 0) return {};
      const NoticeSubject subject = DVCHUB_TRY(notice_subject(*connection, id));
      const notification::Notice notice{
          "feedback/" + std::to_string(id) + "/reminder/" + std::to_string(row.integer(1)),
          "Sắp đến hạn: phản ánh " + subject.code + " — " + subject.title,
          "Phản ánh " + subject.code + " “" + subject.title + "” (" + subject.status + ") đến hạn lúc " +
              format_display_instant(due_at) + ", còn không quá một ngày làm việc.",
          "/quan-tri/phan-anh/" + std::to_string(id)};
      DVCHUB_TRY(notification::notify(*connection, now,
                                      DVCHUB_TRY(notification::officers_or_coordinators(*connection, subject.unit_id)),
                                      notice));
      ++reminded;
      return audit::record(*connection, clock_, actor,
                           {"feedback.remind", "feedback", std::to_string(id), std::nullopt,
                            "{\"due_at\":\"" + format_iso_instant(due_at) + "\"}"});
    }));
  }
  return reminded;
}

}  // namespace dvchub::feedback
