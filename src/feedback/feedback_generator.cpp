#include "feedback/feedback_generator.h"

#include <array>
#include <chrono>
#include <map>
#include <random>

#include "core/dates.h"
#include "feedback/counters.h"
#include "text/vietnamese.h"

namespace dvchub::feedback {
namespace {

constexpr std::size_t batch_size = 20'000;
constexpr std::array<const char*, 4> kinds = {"question", "complaint", "suggestion", "report"};
constexpr std::array<const char*, 4> subjects = {"procedure", "conduct", "technical", "other"};
constexpr std::array<const char*, 6> titles = {
    "Hồ sơ đăng ký khai sinh quá hạn hẹn trả", "Không nhận được mã OTP khi đăng nhập",
    "Đề nghị hướng dẫn thanh toán lệ phí trực tuyến", "Trang nộp hồ sơ báo lỗi khi tải tệp",
    "Cán bộ một cửa hướng dẫn chưa rõ thành phần hồ sơ", "Thời gian cấp giấy chứng nhận quyền sử dụng đất"};
constexpr const char* body = "Nội dung phản ánh tổng hợp để đo hiệu năng, không phải dữ liệu thật.";
constexpr const char* answer = "Câu trả lời tổng hợp của đơn vị để đo hiệu năng.";

// "0" + 7 characters of the code alphabet from `index`: unique, and never a code the service draws.
std::string generated_code(std::size_t index) {
  static constexpr std::string_view alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string code(8, '0');
  for (int position = 7; position >= 1; --position) {
    code[static_cast<std::size_t>(position)] = alphabet[index % alphabet.size()];
    index /= alphabet.size();
  }
  return code;
}

}  // namespace

Result<std::size_t> generate_feedback(storage::Database& database, const FeedbackGeneratorOptions& options,
                                      const std::function<void(std::size_t, std::size_t)>& progress) {
  if (options.unit_ids.empty()) return fail(ErrorCode::invalid_input, "Không có đơn vị nào để tạo phản ánh");
  std::mt19937_64 random(options.seed);
  const auto first_day = std::chrono::sys_days(std::chrono::year(options.year) / 1 / 1);
  std::array<std::string, titles.size()> folded_titles;
  for (std::size_t index = 0; index < titles.size(); ++index) {
    folded_titles[index] = text::fold(std::string(titles[index]) + "\n" + body + "\n" + answer);
  }
  auto connection = DVCHUB_TRY(database.acquire());
  std::map<std::pair<std::int64_t, std::string>, Contribution> counters;
  std::size_t done = 0;
  while (done < options.count) {
    const std::size_t end = std::min(options.count, done + batch_size);
    DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
      for (std::size_t index = done; index < end; ++index) {
        const std::int64_t unit_id = options.unit_ids[random() % options.unit_ids.size()];
        const auto day = first_day + std::chrono::days(random() % 365);
        const std::int64_t received = to_unix_seconds(TimePoint(day.time_since_epoch() - vietnam_utc_offset)) +
                                      std::int64_t(7 * 3600 + random() % (10 * 3600));
        const std::size_t title = random() % titles.size();
        const unsigned roll = random() % 100;  // 70 % published, 10 % rejected, 20 % still open
        const std::string status = roll < 70 ? "published" : roll < 80 ? "rejected" : "assigned";
        const bool consent = random() % 5 != 0;
        const bool answered = status == "published";
        const double working_days = double(2 + random() % 20);
        const bool on_time = working_days <= 17;
        const std::int64_t answered_at = received + std::int64_t(working_days * 1.4 * 86400);
        storage::Value no_value;
        DVCHUB_TRY(connection->execute(
            "INSERT INTO feedback_items (tracking_code, kind, subject, title, body, unit_id, consent_publish, status, "
            "received_at, due_at, answer_due_at, answer, answered_at, answered_on_time, published_at, search_text, "
            "updated_at, answer_working_days, rejection_reason, escalated_due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10, $11, $12, $13, $14, $15, $16, $9, $17, $18, $19)",
            {generated_code(index), kinds[index % kinds.size()], subjects[index % subjects.size()],
             std::string(titles[title]) + " (" + std::to_string(index) + ")", body, unit_id,
             std::int64_t{consent ? 1 : 0}, status, received, received + 21 * 86400, received + 21 * 86400,
             answered ? storage::Value{answer} : no_value, answered ? storage::Value{answered_at} : no_value,
             answered ? storage::Value{std::int64_t{on_time ? 1 : 0}} : no_value,
             answered ? storage::Value{answered_at + 86400} : no_value, folded_titles[title],
             answered ? storage::Value{working_days} : no_value,
             status == "rejected" ? storage::Value{std::string("Không thuộc thẩm quyền (tổng hợp)")} : no_value,
             // Open items are a year old: overdue, and escalated as the escalation task would have done.
             status == "assigned" ? storage::Value{received + 21 * 86400} : no_value}));
        Contribution& contribution = counters[{unit_id, format_iso_date(std::chrono::year_month_day(day))}];
        contribution.unit_id = unit_id;
        contribution.day = format_iso_date(std::chrono::year_month_day(day));
        contribution.received += 1;
        contribution.rejected += status == "rejected" ? 1 : 0;
        contribution.answered += answered ? 1 : 0;
        contribution.answered_on_time += answered && on_time ? 1 : 0;
        contribution.published += answered ? 1 : 0;
        contribution.overdue += status == "assigned" ? 1 : 0;
        contribution.listed += answered && consent ? 1 : 0;
        if (answered) {
          contribution.answer_days_sum += working_days;
          contribution.answer_days_count += 1;
        }
      }
      return {};
    }));
    done = end;
    if (progress) progress(done, options.count);
  }
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    for (const auto& [key, contribution] : counters) DVCHUB_TRY(add_contribution(*connection, contribution, 1));
    return {};
  }));
  return done;
}

}  // namespace dvchub::feedback
