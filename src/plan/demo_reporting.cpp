#include "plan/demo_reporting.h"

#include "core/dates.h"

namespace dvchub::plan {
namespace {

struct DemoActivity {
  const char* unit;
  const char* task;
  const char* kind;
  const char* title;
  int days_ago;
  std::int64_t quantity;
  std::int64_t audience;
  std::int64_t officials;
  std::int64_t team_members;
  std::int64_t students;
  std::int64_t citizens;
  std::int64_t cost_vnd;
  const char* funding_source;
};

constexpr DemoActivity demo_activities[] = {
    {"MH-XA-1", "IV.1.b", "radio_broadcast", "Chuyên mục “Dịch vụ công trực tuyến” trên đài truyền thanh xã", 75, 8,
     4200, 0, 0, 0, 0, 0, "none"},
    {"MH-XA-1", "IV.2.a", "door_to_door_support", "Tổ Công nghệ số cộng đồng hướng dẫn nộp hồ sơ tại nhà", 40, 1, 0,
     0, 12, 0, 86, 0, "none"},
    {"MH-XA-2", "IV.3.a", "banner_poster", "Pa nô hướng dẫn cài đặt VNeID tại bộ phận một cửa", 60, 4, 0, 0, 0, 0, 0,
     3'200'000, "state_budget"},
    {"MH-XA-2", "IV.6.a", "social_media_post", "Chuỗi bài đăng trang Zalo OA của xã", 25, 12, 9600, 0, 0, 0, 0, 0,
     "none"},
    {"MH-XA-3", "IV.4.a", "contest", "Cuộc thi “Học sinh với dịch vụ công trực tuyến”", 50, 1, 0, 4, 0, 420, 0,
     12'500'000, "sponsorship"},
    {"MH-XA-3", "IV.2.a", "conference_training", "Tập huấn cán bộ, Tổ Công nghệ số cộng đồng", 30, 2, 0, 35, 28, 0, 0,
     4'000'000, "state_budget"},
};

struct DemoMeasure {
  const char* unit;
  const char* target;
  std::int64_t numerator;
  std::int64_t denominator;
};

constexpr DemoMeasure demo_measures[] = {
    {"MH-XA-1", "team_members_trained", 18, 24}, {"MH-XA-2", "team_members_trained", 20, 20},
    {"MH-XA-3", "team_members_trained", 28, 30}, {"MH-XA-3", "students_reached", 420, 610},
};

}  // namespace

Result<int> seed_demo_reporting(ReportingService& reporting, const PlanService& plans, const audit::Actor& actor) {
  auto plan = DVCHUB_TRY(plans.find_by_number("MYTU", "51/KH-UBND"));
  if (!plan) return fail(ErrorCode::not_found, "Chưa có kế hoạch 51/KH-UBND (tạo kế hoạch mẫu trước)");
  const http::Principal lead_office{0, actor.name, "Dữ liệu mẫu", "coordinator", std::nullopt, "", ""};
  const std::string today = reporting.today();
  const int year = std::stoi(today.substr(0, 4));

  bool has_period = false;
  for (const auto& period : DVCHUB_TRY(reporting.periods(plan->id))) {
    has_period = has_period || (period.kind == "yearly" && period.starts_on.substr(0, 4) == today.substr(0, 4));
  }
  if (!has_period) {
    PeriodInput period;
    period.year = year;
    DVCHUB_TRY(reporting.open_period(plan->id, period, lead_office, actor));
  }

  if (!DVCHUB_TRY(reporting.activities(plan->id, {}, lead_office)).empty()) return 0;
  const auto today_date = std::chrono::sys_days{*parse_iso_date(today)};
  int created = 0;
  for (const auto& demo : demo_activities) {
    ActivityInput input;
    input.unit_code = demo.unit;
    input.task_code = demo.task;
    input.kind = demo.kind;
    input.title = demo.title;
    input.occurred_on = format_iso_date(std::chrono::year_month_day{today_date - std::chrono::days{demo.days_ago}});
    input.place = "Trụ sở Ủy ban nhân dân xã";
    input.quantity = demo.quantity;
    input.audience = demo.audience;
    input.officials = demo.officials;
    input.team_members = demo.team_members;
    input.students = demo.students;
    input.citizens = demo.citizens;
    input.cost_vnd = demo.cost_vnd;
    input.funding_source = demo.funding_source;
    // A commune that did not exist on that day (a clock early in July 2025) simply has fewer demo activities.
    auto recorded = reporting.record_activity(plan->id, input, lead_office, actor);
    if (!recorded && recorded.error().code != ErrorCode::invalid_input) return tl::unexpected(recorded.error());
    created += recorded.has_value();
  }
  for (const auto& demo : demo_measures) {
    auto stored = reporting.set_measure(plan->id, {demo.target, 2025, demo.unit, year, demo.numerator, demo.denominator},
                                        lead_office, actor);
    if (!stored && stored.error().code != ErrorCode::invalid_input) return tl::unexpected(stored.error());
  }
  return created;
}

}  // namespace dvchub::plan
