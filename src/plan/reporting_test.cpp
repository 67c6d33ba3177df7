#include "plan/reporting.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "catalogue/catalogue.h"
#include "plan/demo_plan.h"
#include "plan/demo_reporting.h"
#include "plan/reporting_routes.h"
#include "support/pdf_text.h"
#include "support/staff_accounts.h"
#include "support/test_database.h"
#include "support/zip_member.h"
#include "units/demo_units.h"

namespace dvchub::plan {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

// 27/11/2026 10:00 in Vietnam; the 2026 yearly report is due on 08/12/2026.
const TimePoint before_due = TimePoint(std::chrono::seconds(1795748400));
// 09/12/2026 09:00 in Vietnam: the day after the due day.
const TimePoint after_due = TimePoint(std::chrono::seconds(1796781600));

std::set<std::string> fields_of(const Error& error) {
  std::set<std::string> fields;
  for (const auto& field : error.fields) fields.insert(field.field);
  return fields;
}

class ReportingTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    units_ = std::make_unique<units::UnitService>(database(), clock_);
    kpi_ = std::make_unique<kpi::KpiService>(database(), clock_);
    plans_ = std::make_unique<PlanService>(database(), *units_, *kpi_, clock_);
    reporting_ = std::make_unique<ReportingService>(database(), *units_, *kpi_, *plans_, clock_);
    ASSERT_TRUE(is_ok(units::seed_demo_units(*units_, actor_)));
    ASSERT_TRUE(is_ok(seed_demo_plans(*plans_, actor_)));
    auto plan = plans_->find_by_number("MYTU", "51/KH-UBND");
    ASSERT_TRUE(is_ok(plan));
    plan_id_ = (*plan)->id;
    coordinator_ = http::Principal{1, "dieuphoi", "Điều phối", "coordinator", std::nullopt, "", "t"};
    viewer_ = http::Principal{4, "lanhdao", "Lãnh đạo", "viewer", std::nullopt, "", "t"};
    officer_1_ = officer_of("MH-XA-1", 2);
    officer_2_ = officer_of("MH-XA-2", 3);
  }

  http::Principal officer_of(const std::string& code, std::int64_t user_id) {
    auto unit = units_->find(code, "2026-01-01");
    EXPECT_TRUE(is_ok(unit));
    return http::Principal{user_id, "canbo" + code, "Cán bộ", "officer", unit->id, "", "t"};
  }

  static ActivityInput activity(const std::string& unit, const std::string& task, const std::string& day,
                                const std::string& kind = "news_article") {
    ActivityInput input;
    input.task_code = task;
    input.unit_code = unit;
    input.kind = kind;
    input.title = "Tuyên truyền dịch vụ công trực tuyến";
    input.occurred_on = day;
    input.place = "Nhà văn hóa ấp";
    return input;
  }

  Activity record(const ActivityInput& input, const http::Principal& principal) {
    auto recorded = reporting_->record_activity(plan_id_, input, principal, actor_);
    EXPECT_TRUE(is_ok(recorded));
    return recorded ? *recorded : Activity{};
  }

  void import_dossiers(const std::string& rows) {
    catalogue::CatalogueService catalogue(database(), clock_);
    catalogue::CatalogueReport procedures;
    procedures.procedures = {{"1.1", "Thủ tục 1", "", "", true, 2, false}};
    ASSERT_TRUE(is_ok(catalogue.import(procedures, actor_)));
    std::istringstream dossiers(
        "MaHoSo,MaTTHC,MaDonVi,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,"
        "SoLanBoSung,DuocThanhToanTrucTuyen,CoNghiaVuTaiChinh,HoSoCoThanhPhanSoHoa,CoKetQuaDienTu,"
        "TaiKhoanDuocXacThucVoiVNeID,MaNguoiNop\n" +
        rows);
    auto imported = kpi_->import_dossiers(dossiers);
    ASSERT_TRUE(is_ok(imported));
    ASSERT_EQ(imported->rejected_count, 0u);
  }

  std::int64_t count(const std::string& sql) {
    auto connection = acquire();
    auto row = connection->query_one(sql);
    EXPECT_TRUE(is_ok(row));
    return (*row)->integer(0);
  }

  Period open_2026() {
    PeriodInput input;
    input.year = 2026;
    auto period = reporting_->open_period(plan_id_, input, coordinator_, actor_);
    EXPECT_TRUE(is_ok(period));
    return period ? *period : Period{};
  }

  ManualClock clock_{before_due};
  audit::Actor actor_ = audit::Actor::system("test");
  std::unique_ptr<units::UnitService> units_;
  std::unique_ptr<kpi::KpiService> kpi_;
  std::unique_ptr<PlanService> plans_;
  std::unique_ptr<ReportingService> reporting_;
  std::int64_t plan_id_ = 0;
  http::Principal coordinator_;
  http::Principal viewer_;
  http::Principal officer_1_;
  http::Principal officer_2_;
};

TEST_P(ReportingTest, OfficersRecordActivitiesForTheirUnitsOnly) {
  auto input = activity("MH-XA-2", "IV.1.a", "2026-03-15", "conference_training");
  input.citizens = 120;
  input.officials = 8;
  input.cost_vnd = 1'500'000;
  input.funding_source = "state_budget";
  input.evidence_links = {"https://mytu.soctrang.gov.vn/tin-tuc/hoi-nghi"};
  auto recorded = reporting_->record_activity(plan_id_, input, officer_2_, actor_);
  ASSERT_TRUE(is_ok(recorded));
  EXPECT_EQ(recorded->unit_name, "Xã Long Hưng (minh họa)");
  EXPECT_EQ(recorded->participants(), 128);
  EXPECT_EQ(recorded->input.evidence_links, input.evidence_links);

  // Another commune's officer, a viewer: refused.
  EXPECT_TRUE(fails_with(reporting_->record_activity(plan_id_, input, officer_1_, actor_), ErrorCode::forbidden));
  EXPECT_TRUE(fails_with(reporting_->record_activity(plan_id_, input, viewer_, actor_), ErrorCode::forbidden));
  // The merged commune's officer records for its predecessor while it existed, not after it ended.
  EXPECT_TRUE(is_ok(reporting_->record_activity(plan_id_, activity("MYTU-LONGHUNG", "IV.2.a", "2025-03-01"),
                                                officer_2_, actor_)));
  auto ended = reporting_->record_activity(plan_id_, activity("MYTU-LONGHUNG", "IV.2.a", "2026-03-01"), officer_2_,
                                           actor_);
  ASSERT_TRUE(fails_with(ended, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(ended.error()), std::set<std::string>{"unit"});
  EXPECT_TRUE(fails_with(reporting_->record_activity(plan_id_, activity("MYTU-LONGHUNG", "IV.2.a", "2025-03-01"),
                                                     officer_1_, actor_),
                         ErrorCode::forbidden));
  // Phòng Nội vụ has no task of section IV.
  EXPECT_TRUE(fails_with(reporting_->record_activity(plan_id_, activity("MYTU-NV", "IV.1.a", "2025-04-10"),
                                                     coordinator_, actor_),
                         ErrorCode::invalid_input));

  // One message per bad field.
  ActivityInput bad = activity("MH-XA-2", "IV.9.z", "2026-11-28", "rumour");
  bad.title = "";
  bad.quantity = 0;
  bad.students = -1;
  bad.cost_vnd = 5;
  bad.evidence_links = {"javascript:alert(1)"};
  auto refused = reporting_->record_activity(plan_id_, bad, officer_2_, actor_);
  ASSERT_TRUE(fails_with(refused, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(refused.error()),
            (std::set<std::string>{"task", "kind", "title", "occurred_on", "quantity", "students", "funding_source",
                                   "evidence_links"}))
      << testing::describe(refused.error());
  ActivityInput limits = activity("MH-XA-2", "IV.1.a", "2026-03-15");
  std::string title;
  for (int index = 0; index < 301; ++index) title += "ư";  // 301 characters, 602 bytes
  limits.title = title;
  limits.evidence_links.assign(11, "https://example.vn/a");
  limits.cost_vnd = cost_limit + 1;
  limits.funding_source = "sponsorship";
  auto too_much = reporting_->record_activity(plan_id_, limits, officer_2_, actor_);
  ASSERT_TRUE(fails_with(too_much, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(too_much.error()), (std::set<std::string>{"title", "evidence_links", "cost_vnd"}));
  limits.title.resize(300 * 2);  // 300 characters pass
  limits.evidence_links.resize(10);
  limits.cost_vnd = cost_limit;
  EXPECT_TRUE(is_ok(reporting_->record_activity(plan_id_, limits, officer_2_, actor_)));

  // Officers read their units' activities; the lead office reads all.
  auto mine = reporting_->activities(plan_id_, {}, officer_2_);
  ASSERT_TRUE(is_ok(mine));
  EXPECT_EQ(mine->size(), 3u);
  auto others = reporting_->activities(plan_id_, {}, officer_1_);
  ASSERT_TRUE(is_ok(others));
  EXPECT_TRUE(others->empty());
  ActivityFilter filter;
  filter.task_code = "IV.2.a";
  auto filtered = reporting_->activities(plan_id_, filter, coordinator_);
  ASSERT_TRUE(is_ok(filtered));
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ(filtered->front().input.unit_code, "MYTU-LONGHUNG");
  EXPECT_TRUE(fails_with(reporting_->activity(recorded->id, officer_1_), ErrorCode::forbidden));

  // Changes and deletions are audited with the state before.
  input.quantity = 2;
  EXPECT_TRUE(fails_with(reporting_->update_activity(recorded->id, input, officer_1_, actor_), ErrorCode::forbidden));
  auto updated = reporting_->update_activity(recorded->id, input, officer_2_, actor_);
  ASSERT_TRUE(is_ok(updated));
  EXPECT_EQ(updated->input.quantity, 2);
  EXPECT_TRUE(fails_with(reporting_->delete_activity(recorded->id, officer_1_, actor_), ErrorCode::forbidden));
  ASSERT_TRUE(is_ok(reporting_->delete_activity(recorded->id, officer_2_, actor_)));
  EXPECT_TRUE(fails_with(reporting_->activity(recorded->id, coordinator_), ErrorCode::not_found));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan_activity.create'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action IN ('plan_activity.update', 'plan_activity.delete') "
                  "AND before_state IS NOT NULL"),
            2);
}

TEST_P(ReportingTest, ThePublicPageSaysWhatUnitsDidTaskByTask) {
  auto conference = activity("MH-XA-2", "IV.1.a", "2026-03-15", "conference_training");
  conference.citizens = 120;
  conference.officials = 8;
  conference.cost_vnd = 1'500'000;
  conference.funding_source = "state_budget";
  record(conference, officer_2_);
  auto articles = activity("MH-XA-2", "IV.1.a", "2026-04-01");
  articles.quantity = 3;
  articles.audience = 900;
  record(articles, officer_2_);
  auto other_commune = activity("MH-XA-1", "IV.1.a", "2026-04-02");
  other_commune.quantity = 1;
  other_commune.audience = 100;
  record(other_commune, officer_1_);
  record(activity("MH-XA-1", "IV.2.a", "2026-05-01", "video"), officer_1_);

  auto progress = reporting_->progress(plan_id_);
  ASSERT_TRUE(is_ok(progress));
  ASSERT_EQ(progress->size(), 2u);
  const TaskProgress& first = (*progress)[0];
  EXPECT_EQ(first.section_code, "IV.1.a");
  EXPECT_EQ(first.activities, 3);
  EXPECT_EQ(first.units, 2);
  EXPECT_EQ(first.participants, 128);
  EXPECT_EQ(first.audience, 1000);
  EXPECT_EQ(first.summary, activity_kind_label("news_article") + ": 4; " + activity_kind_label("conference_training") + ": 1");
  EXPECT_EQ((*progress)[1].section_code, "IV.2.a");
  EXPECT_EQ((*progress)[1].units, 1);
  EXPECT_TRUE(fails_with(reporting_->progress(plan_id_ + 1000), ErrorCode::not_found));

  // The page is public and shows figures, not the activities' titles or costs.
  http::Router router;
  register_reporting_routes(router, *reporting_, *plans_);
  const std::string path = "/ke-hoach/" + std::to_string(plan_id_) + "/ket-qua";
  auto match = router.match(http::Method::get, path);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->options.access, http::Access::public_);
  http::Request request;
  request.path = path;
  request.path_parameters = match.path_parameters;
  auto response = match.route->handler(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("IV.1.a"), std::string::npos);
  EXPECT_NE(response.body.find(">1000<"), std::string::npos);
  EXPECT_NE(response.body.find("4 hoạt động cho 2 trong"), std::string::npos);
  EXPECT_EQ(response.body.find("Tuyên truyền dịch vụ công trực tuyến"), std::string::npos);
  EXPECT_EQ(response.body.find("1500000"), std::string::npos);
}

TEST_P(ReportingTest, EvidenceFilesAreSniffedLimitedAndServedAsDownloads) {
  const auto recorded = record(activity("MH-XA-2", "IV.1.a", "2026-03-15"), officer_2_);
  const auto other = record(activity("MH-XA-2", "IV.1.b", "2026-03-16"), officer_2_);
  std::string pdf = "%PDF-1.4\n";
  pdf += std::string("\0\xFF\x01" "binary", 9);  // bytes that are not text survive both stores
  auto attached = reporting_->attach_file(recorded.id, "../../tmp/Biên bản\x01 hội nghị.pdf", pdf, officer_2_, actor_);
  ASSERT_TRUE(is_ok(attached));
  EXPECT_EQ(attached->file_name, "Biên bản hội nghị.pdf");
  EXPECT_EQ(attached->media_type, "application/pdf");
  EXPECT_EQ(attached->size_bytes, std::int64_t(pdf.size()));
  EXPECT_TRUE(fails_with(reporting_->attach_file(recorded.id, "a.pdf", pdf, officer_1_, actor_), ErrorCode::forbidden));
  // The declared name does not make a page a PDF; empty and oversized files are refused.
  auto page = reporting_->attach_file(recorded.id, "a.pdf", "<html><script>alert(1)</script>", officer_2_, actor_);
  ASSERT_TRUE(fails_with(page, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(page.error()), std::set<std::string>{"file"});
  EXPECT_TRUE(fails_with(reporting_->attach_file(recorded.id, "a.pdf", "", officer_2_, actor_), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(reporting_->attach_file(recorded.id, "a.pdf", "%PDF-" + std::string(evidence_file_limit, 'x'),
                                                 officer_2_, actor_),
                         ErrorCode::invalid_input));
  const std::string png = "\x89PNG\r\n\x1a\n0000";
  const std::string jpeg = "\xFF\xD8\xFF\xE0jfif";
  for (int index = 0; index < 4; ++index) {
    ASSERT_TRUE(is_ok(reporting_->attach_file(recorded.id, "anh.png", index % 2 ? png : jpeg, officer_2_, actor_)));
  }
  EXPECT_TRUE(fails_with(reporting_->attach_file(recorded.id, "anh.png", png, officer_2_, actor_),
                         ErrorCode::invalid_input));  // the sixth

  auto stored = reporting_->evidence_file(recorded.id, attached->id, coordinator_);
  ASSERT_TRUE(is_ok(stored));
  EXPECT_EQ(stored->second, pdf);
  EXPECT_TRUE(fails_with(reporting_->evidence_file(other.id, attached->id, coordinator_), ErrorCode::not_found));
  EXPECT_TRUE(fails_with(reporting_->evidence_file(recorded.id, attached->id, officer_1_), ErrorCode::forbidden));
  auto listed = reporting_->activities(plan_id_, {}, officer_2_);
  ASSERT_TRUE(is_ok(listed));
  std::size_t files = 0;
  for (const auto& item : *listed) files += item.files.size();
  EXPECT_EQ(files, 5u);

  http::Router router;
  register_reporting_routes(router, *reporting_, *plans_);
  const std::string path = "/api/v1/activities/" + std::to_string(recorded.id) + "/files/" + std::to_string(attached->id);
  auto match = router.match(http::Method::get, path);
  ASSERT_NE(match.route, nullptr);
  http::Request request;
  request.path = path;
  request.path_parameters = match.path_parameters;
  request.principal = officer_2_;
  auto response = match.route->handler(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, pdf);
  EXPECT_EQ(response.headers.get("Content-Type"), "application/pdf");
  EXPECT_EQ(response.headers.get("Content-Disposition"),
            "attachment; filename=\"minh-chung-" + std::to_string(attached->id) +
                ".pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%99i%20ngh%E1%BB%8B.pdf");
  EXPECT_EQ(response.headers.get("Content-Security-Policy"), "default-src 'none'; sandbox");
  EXPECT_EQ(router.match(http::Method::post, "/api/v1/activities/1/files").route->options.body_limit,
            evidence_file_limit);

  // An activity goes with its files.
  ASSERT_TRUE(is_ok(reporting_->delete_activity(recorded.id, officer_2_, actor_)));
  EXPECT_EQ(count("SELECT COUNT(*) FROM plan_activity_files"), 0);
}

TEST_P(ReportingTest, ReportedMeasuresAreCheckedAndReplaced) {
  MeasureInput input{"team_members_trained", 2025, "MH-XA-2", 2026, 12, 15};
  ASSERT_TRUE(is_ok(reporting_->set_measure(plan_id_, input, officer_2_, actor_)));
  EXPECT_TRUE(fails_with(reporting_->set_measure(plan_id_, input, officer_1_, actor_), ErrorCode::forbidden));
  MeasureInput above = input;
  above.numerator = 16;
  auto refused = reporting_->set_measure(plan_id_, above, officer_2_, actor_);
  ASSERT_TRUE(fails_with(refused, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(refused.error()), std::set<std::string>{"numerator"});
  MeasureInput computed = input;
  computed.target_key = "dossiers_full_online";  // measured from dossiers, not reported
  auto not_reported = reporting_->set_measure(plan_id_, computed, officer_2_, actor_);
  ASSERT_TRUE(fails_with(not_reported, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(not_reported.error()), std::set<std::string>{"target"});
  MeasureInput before_merge = input;
  before_merge.year = 2024;  // the commune did not exist
  EXPECT_TRUE(fails_with(reporting_->set_measure(plan_id_, before_merge, officer_2_, actor_), ErrorCode::invalid_input));

  input.numerator = 13;
  ASSERT_TRUE(is_ok(reporting_->set_measure(plan_id_, input, officer_2_, actor_)));
  auto measures = reporting_->measures(plan_id_, 2026, coordinator_);
  ASSERT_TRUE(is_ok(measures));
  ASSERT_EQ(measures->size(), 1u);
  EXPECT_EQ(measures->front().input.numerator, 13);
  EXPECT_EQ(measures->front().input.denominator, 15);
  auto hidden = reporting_->measures(plan_id_, 2026, officer_1_);
  ASSERT_TRUE(is_ok(hidden));
  EXPECT_TRUE(hidden->empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan_measure.set' AND before_state IS NOT NULL"), 1);
}

TEST_P(ReportingTest, UnitsReportOnTimeOrLateAndTheLeadOfficeReviews) {
  PeriodInput yearly;
  yearly.year = 2026;
  EXPECT_TRUE(fails_with(reporting_->open_period(plan_id_, yearly, officer_2_, actor_), ErrorCode::forbidden));
  auto period = reporting_->open_period(plan_id_, yearly, coordinator_, actor_);
  ASSERT_TRUE(is_ok(period));
  EXPECT_EQ(period->title, "Năm 2026");
  EXPECT_EQ(period->starts_on, "2026-01-01");
  EXPECT_EQ(period->ends_on, "2026-12-31");
  EXPECT_EQ(period->due_on, "2026-12-08");  // the plan's yearly day, VI.7
  EXPECT_TRUE(fails_with(reporting_->open_period(plan_id_, yearly, coordinator_, actor_), ErrorCode::conflict));
  PeriodInput ad_hoc{"ad_hoc", std::nullopt, "Sơ kết 6 tháng", "2026-06-30", "2026-01-01", "2026-07-10"};
  auto backwards = reporting_->open_period(plan_id_, ad_hoc, coordinator_, actor_);
  ASSERT_TRUE(fails_with(backwards, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(backwards.error()), std::set<std::string>{"ends_on"});

  // The communes that carry the district's plan on the due day report: the three merged communes.
  auto board = reporting_->board(period->id, coordinator_);
  ASSERT_TRUE(is_ok(board));
  ASSERT_EQ(board->size(), 3u);
  EXPECT_EQ(board->at(1).unit_code, "MH-XA-2");
  for (const auto& line : *board) {
    EXPECT_EQ(line.status, "not_started");
    EXPECT_FALSE(line.late);  // 27/11, before the due day
  }
  auto own_board = reporting_->board(period->id, officer_2_);
  ASSERT_TRUE(is_ok(own_board));
  ASSERT_EQ(own_board->size(), 1u);

  // Pre-fill: activities in the period (not those of 2025), the year's measures, KPI figures of the unit.
  import_dossiers(
      "A1,1.1,MH-XA-2,2,2026-02-01,,,,,,,,,,1,S1\n"
      "A2,1.1,MH-XA-2,2,2026-05-01,,,,,,,,,,1,S2\n"
      "A3,1.1,MH-XA-2,1,2026-06-01,,,,,,,,,,,S3\n"
      "A4,1.1,MH-XA-1,2,2026-06-01,,,,,,,,,,1,S4\n");
  auto news = activity("MH-XA-2", "IV.1.a", "2026-02-10");
  news.quantity = 3;
  news.audience = 900;
  record(news, officer_2_);
  auto conference = activity("MH-XA-2", "IV.1.a", "2026-04-10", "conference_training");
  conference.citizens = 60;
  conference.cost_vnd = 2'000'000;
  conference.funding_source = "state_budget";
  const auto conference_id = record(conference, officer_2_).id;
  auto students = activity("MH-XA-2", "IV.4.a", "2026-09-05", "contest");
  students.students = 300;
  record(students, officer_2_);
  record(activity("MYTU-LONGHUNG", "IV.1.a", "2025-03-01"), officer_2_);  // last year
  ASSERT_TRUE(is_ok(reporting_->set_measure(plan_id_, {"team_members_trained", 2025, "MH-XA-2", 2026, 12, 15},
                                            officer_2_, actor_)));
  auto preview = reporting_->report(period->id, "MH-XA-2", officer_2_);
  ASSERT_TRUE(is_ok(preview));
  EXPECT_FALSE(preview->id.has_value());
  EXPECT_EQ(preview->status, "not_started");
  ASSERT_EQ(preview->tasks.size(), 2u);
  EXPECT_EQ(preview->tasks[0].section_code, "IV.1.a");
  EXPECT_EQ(preview->tasks[0].activities, 2);
  EXPECT_EQ(preview->tasks[0].participants, 60);
  EXPECT_EQ(preview->tasks[0].audience, 900);
  EXPECT_EQ(preview->tasks[0].cost_vnd, 2'000'000);
  EXPECT_EQ(preview->tasks[0].summary, "Tin, bài: 3; Hội nghị, tập huấn: 1");
  EXPECT_EQ(preview->tasks[1].section_code, "IV.4.a");
  EXPECT_EQ(preview->tasks[1].participants, 300);
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> values;
  for (const auto& value : preview->values) values[value.key] = {value.numerator, value.denominator};
  EXPECT_EQ(values["target:team_members_trained/2025"], (std::pair<std::int64_t, std::int64_t>{12, 15}));
  EXPECT_EQ(values["indicator:online_rate"], (std::pair<std::int64_t, std::int64_t>{2, 3}));  // A1, A2 of A1–A3
  EXPECT_NE(preview->results.find("- IV.4.a: Cuộc thi: 1 (300 người tham dự"), std::string::npos) << preview->results;
  EXPECT_TRUE(fails_with(reporting_->report(period->id, "MH-XA-2", officer_1_), ErrorCode::forbidden));
  EXPECT_TRUE(fails_with(reporting_->report(period->id, "MYTU-VHKHTT", coordinator_), ErrorCode::invalid_input));

  // Draft, submit, return with a comment, submit again, accept.
  ReportTexts texts{"Đã tổ chức 1 hội nghị.", "Thiếu thiết bị.", "Hỗ trợ kinh phí."};
  EXPECT_TRUE(fails_with(reporting_->save_report(period->id, "MH-XA-2", texts, false, officer_1_, actor_),
                         ErrorCode::forbidden));
  auto saved = reporting_->save_report(period->id, "MH-XA-2", texts, false, officer_2_, actor_);
  ASSERT_TRUE(is_ok(saved));
  EXPECT_TRUE(saved->id.has_value());
  EXPECT_EQ(saved->status, "draft");
  EXPECT_EQ(saved->tasks.size(), 2u);
  EXPECT_TRUE(fails_with(reporting_->review_report(period->id, "MH-XA-2", true, "", coordinator_, actor_),
                         ErrorCode::conflict));  // not submitted yet
  auto submitted = reporting_->submit_report(period->id, "MH-XA-2", officer_2_, actor_);
  ASSERT_TRUE(is_ok(submitted));
  EXPECT_EQ(submitted->status, "submitted");
  EXPECT_FALSE(submitted->late);
  EXPECT_TRUE(fails_with(reporting_->save_report(period->id, "MH-XA-2", texts, false, officer_2_, actor_),
                         ErrorCode::conflict));
  EXPECT_TRUE(fails_with(reporting_->review_report(period->id, "MH-XA-2", true, "", officer_2_, actor_),
                         ErrorCode::forbidden));
  auto silent_return = reporting_->review_report(period->id, "MH-XA-2", false, "  ", coordinator_, actor_);
  ASSERT_TRUE(fails_with(silent_return, ErrorCode::invalid_input));
  EXPECT_EQ(fields_of(silent_return.error()), std::set<std::string>{"comment"});
  auto returned = reporting_->review_report(period->id, "MH-XA-2", false, "Bổ sung số liệu học sinh.", coordinator_,
                                            actor_);
  ASSERT_TRUE(is_ok(returned));
  EXPECT_EQ(returned->status, "returned");
  EXPECT_EQ(returned->review_comment, "Bổ sung số liệu học sinh.");
  // The unit adds the measure and takes the figures again; the texts stay.
  ASSERT_TRUE(is_ok(reporting_->set_measure(plan_id_, {"students_reached", 2025, "MH-XA-2", 2026, 300, 400},
                                            officer_2_, actor_)));
  auto refreshed = reporting_->save_report(period->id, "MH-XA-2", texts, true, officer_2_, actor_);
  ASSERT_TRUE(is_ok(refreshed));
  EXPECT_EQ(refreshed->values.size(), preview->values.size() + 1);
  EXPECT_EQ(refreshed->results, texts.results);
  ASSERT_TRUE(is_ok(reporting_->submit_report(period->id, "MH-XA-2", officer_2_, actor_)));
  auto accepted = reporting_->review_report(period->id, "MH-XA-2", true, "", coordinator_, actor_);
  ASSERT_TRUE(is_ok(accepted));
  EXPECT_EQ(accepted->status, "accepted");
  // The accepted report as a document of the unit.
  {
    http::Router router;
    register_reporting_routes(router, *reporting_, *plans_);
    const std::string path = "/api/v1/report-periods/" + std::to_string(period->id) + "/reports/MH-XA-2/document.docx";
    auto match = router.match(http::Method::get, path);
    ASSERT_NE(match.route, nullptr);
    http::Request request;
    request.path = path;
    request.path_parameters = match.path_parameters;
    request.principal = officer_2_;
    auto docx = match.route->handler(request);
    ASSERT_EQ(docx.status, 200);
    const std::string xml = testing::zip_member(docx.body, "word/document.xml");
    // The issuing body in capitals (Decree 30), by ICU's Vietnamese case mapping.
    EXPECT_NE(xml.find(">XÃ LONG HƯNG (MINH HỌA)<"), std::string::npos) << xml;
    EXPECT_NE(xml.find(">Đã tổ chức 1 hội nghị.<"), std::string::npos);
    EXPECT_NE(xml.find(">Thiếu thiết bị.<"), std::string::npos);
    EXPECT_NE(xml.find(">2: Tin, bài: 3; Hội nghị, tập huấn: 1<"), std::string::npos) << xml;  // IV.1.a
    request.principal = officer_1_;
    EXPECT_EQ(match.route->handler(request).status, 403);
  }
  // A submitted report keeps its activities.
  EXPECT_TRUE(fails_with(reporting_->delete_activity(conference_id, officer_2_, actor_), ErrorCode::conflict));

  // After the due day: units that have not submitted are late, and so is a report submitted now.
  clock_.set(after_due);
  board = reporting_->board(period->id, coordinator_);
  ASSERT_TRUE(is_ok(board));
  std::map<std::string, ReportStatus> by_unit;
  for (const auto& line : *board) by_unit[line.unit_code] = line;
  EXPECT_EQ(by_unit["MH-XA-2"].status, "accepted");
  EXPECT_FALSE(by_unit["MH-XA-2"].late);
  EXPECT_EQ(by_unit["MH-XA-1"].status, "not_started");
  EXPECT_TRUE(by_unit["MH-XA-1"].late);
  record(activity("MH-XA-1", "IV.1.b", "2026-12-01"), officer_1_);
  auto late = reporting_->submit_report(period->id, "MH-XA-1", officer_1_, actor_);
  ASSERT_TRUE(is_ok(late));
  EXPECT_TRUE(late->late);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'plan_report'"), 7);

  // The 2025 report of MH-XA-2 carries its predecessor's activities: once sent, they stay too.
  PeriodInput last_year;
  last_year.year = 2025;
  auto period_2025 = reporting_->open_period(plan_id_, last_year, coordinator_, actor_);
  ASSERT_TRUE(is_ok(period_2025));
  const auto predecessor = record(activity("MYTU-LONGHUNG", "IV.3.b", "2025-05-20"), officer_2_);
  const auto kept = record(activity("MYTU-LONGHUNG", "IV.3.b", "2025-05-21"), officer_2_);
  ASSERT_TRUE(is_ok(reporting_->delete_activity(predecessor.id, officer_2_, actor_)));  // nothing sent yet
  ASSERT_TRUE(is_ok(reporting_->submit_report(period_2025->id, "MH-XA-2", officer_2_, actor_)));
  EXPECT_TRUE(fails_with(reporting_->delete_activity(kept.id, officer_2_, actor_), ErrorCode::conflict));
}

TEST_P(ReportingTest, TheCompiledReportAddsAcceptedReportsUpAndProposesCommendations) {
  const auto period = open_2026();
  import_dossiers(
      "B1,1.1,MH-XA-1,2,2026-02-01,,,,,,,,,,1,S1\n"
      "B2,1.1,MH-XA-1,1,2026-02-02,,,,,,,,,,,S2\n"
      "C1,1.1,MH-XA-2,2,2026-03-01,,,,,,,,,,1,S3\n"
      "C2,1.1,MH-XA-2,2,2026-03-02,,,,,,,,,,1,S4\n"
      "C3,1.1,MH-XA-2,1,2026-03-03,,,,,,,,,,,S5\n"
      "D1,1.1,MH-XA-3,2,2026-04-01,,,,,,,,,,1,S6\n"
      "D2,1.1,MH-XA-3,2,2026-04-02,,,,,,,,,,1,S7\n"
      "D3,1.1,MH-XA-3,1,2026-04-03,,,,,,,,,,,S8\n");
  auto officer_3 = officer_of("MH-XA-3", 5);
  auto small = activity("MH-XA-2", "IV.1.a", "2026-05-01");
  small.audience = 100;
  record(small, officer_2_);
  auto large = activity("MH-XA-3", "IV.1.a", "2026-05-02");
  large.audience = 500;
  record(large, officer_3);
  record(activity("MH-XA-1", "IV.6.a", "2026-05-03"), officer_1_);
  ASSERT_TRUE(is_ok(reporting_->set_measure(plan_id_, {"team_members_trained", 2025, "MH-XA-2", 2026, 12, 15},
                                            officer_2_, actor_)));
  ASSERT_TRUE(is_ok(reporting_->set_measure(plan_id_, {"team_members_trained", 2025, "MH-XA-3", 2026, 3, 5},
                                            officer_3, actor_)));
  ASSERT_TRUE(is_ok(reporting_->set_measure(plan_id_, {"team_members_trained", 2025, "MH-XA-1", 2026, 5, 5},
                                            officer_1_, actor_)));
  for (const auto* principal : {&officer_2_, &officer_3}) {
    const std::string code = principal == &officer_2_ ? "MH-XA-2" : "MH-XA-3";
    ASSERT_TRUE(is_ok(reporting_->save_report(period.id, code, {"Kết quả " + code, "Khó khăn " + code, ""}, false,
                                              *principal, actor_)));
    ASSERT_TRUE(is_ok(reporting_->submit_report(period.id, code, *principal, actor_)));
  }
  ASSERT_TRUE(is_ok(reporting_->review_report(period.id, "MH-XA-2", true, "", coordinator_, actor_)));

  // Only accepted reports count: MH-XA-3 is still waiting.
  auto partial = reporting_->compile(period.id, coordinator_);
  ASSERT_TRUE(is_ok(partial));
  EXPECT_EQ(partial->activities, 1);
  ASSERT_EQ(partial->commendations.size(), 1u);
  EXPECT_EQ(partial->commendations[0].unit_code, "MH-XA-2");

  ASSERT_TRUE(is_ok(reporting_->review_report(period.id, "MH-XA-3", true, "", coordinator_, actor_)));
  clock_.set(after_due);  // MH-XA-1 submits late and is accepted: counted, but not commended
  ASSERT_TRUE(is_ok(reporting_->submit_report(period.id, "MH-XA-1", officer_1_, actor_)));
  ASSERT_TRUE(is_ok(reporting_->review_report(period.id, "MH-XA-1", true, "", coordinator_, actor_)));

  EXPECT_TRUE(fails_with(reporting_->compile(period.id, officer_2_), ErrorCode::forbidden));
  auto compiled = reporting_->compile(period.id, viewer_);
  ASSERT_TRUE(is_ok(compiled));
  EXPECT_EQ(compiled->activities, 3);
  EXPECT_EQ(compiled->tasks.size(), 28u);
  const auto& first = compiled->tasks.front();
  EXPECT_EQ(first.section_code, "IV.1.a");
  ASSERT_EQ(first.units.size(), 2u);
  EXPECT_EQ(first.units[0].unit_code, "MH-XA-2");
  EXPECT_EQ(first.units[1].figures.audience, 500);
  std::map<std::string, const CompiledTarget*> targets;
  for (const auto& target : compiled->targets) targets[target.target.key + "/" + std::to_string(target.target.year)] = &target;
  const auto* trained = targets.at("team_members_trained/2025");
  EXPECT_EQ(trained->numerator, 20);  // 12 + 3 + 5
  EXPECT_EQ(trained->denominator, 25);
  EXPECT_EQ(trained->reporting_units, 3);
  ASSERT_TRUE(trained->met.has_value());
  EXPECT_FALSE(*trained->met);  // 80 % against 100 %
  const auto* full_online = targets.at("dossiers_full_online/2025");
  EXPECT_EQ(full_online->numerator, 5);  // B1, C1, C2, D1, D2 (the procedure is full-online)
  EXPECT_EQ(full_online->denominator, 8);
  EXPECT_EQ(compiled->difficulties.size(), 2u);
  EXPECT_TRUE(compiled->proposals.empty());
  // MH-XA-2 and MH-XA-3 tie at 2/3 online; MH-XA-3 reached more people. One third of two, rounded up, is one.
  ASSERT_EQ(compiled->commendations.size(), 1u);
  EXPECT_EQ(compiled->commendations[0].unit_code, "MH-XA-3");
  EXPECT_EQ(compiled->commendations[0].reach, 500);

  // The same report as a workbook, through the route.
  http::Router router;
  register_reporting_routes(router, *reporting_, *plans_);
  const std::string path = "/api/v1/report-periods/" + std::to_string(period.id) + "/compiled.xlsx";
  auto match = router.match(http::Method::get, path);
  ASSERT_NE(match.route, nullptr);
  http::Request request;
  request.path = path;
  request.path_parameters = match.path_parameters;
  request.principal = coordinator_;
  auto response = match.route->handler(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const std::string book = testing::zip_member(response.body, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"Nhiệm vụ\""), std::string::npos) << book;
  EXPECT_NE(book.find("name=\"Khen thưởng\""), std::string::npos);
  const std::string strings = testing::zip_member(response.body, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("Xã Mỹ Phước (minh họa)"), std::string::npos);  // MH-XA-3
  EXPECT_NE(strings.find("Khó khăn MH-XA-2"), std::string::npos) << "difficulties are not in the workbook";
  request.principal = officer_2_;
  EXPECT_EQ(match.route->handler(request).status, 403);

  // And as a document laid out as Decree 30 asks.
  const std::string docx_path = "/api/v1/report-periods/" + std::to_string(period.id) + "/compiled.docx";
  auto docx_match = router.match(http::Method::get, docx_path);
  ASSERT_NE(docx_match.route, nullptr);
  request.path = docx_path;
  request.path_parameters = docx_match.path_parameters;
  request.principal = viewer_;
  auto docx = docx_match.route->handler(request);
  EXPECT_EQ(docx.status, 200);
  const std::string xml = testing::zip_member(docx.body, "word/document.xml");
  EXPECT_NE(xml.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos);
  EXPECT_NE(xml.find(">ỦY BAN NHÂN DÂN HUYỆN MỸ TÚ<"), std::string::npos);  // governing and issuing bodies in capitals
  EXPECT_NE(xml.find(">PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN HUYỆN MỸ TÚ<"), std::string::npos);
  EXPECT_NE(xml.find("Kết quả thực hiện Kế hoạch số 51/KH-UBND ngày 03/04/2025"), std::string::npos);
  EXPECT_NE(xml.find("…, ngày 09 tháng 12 năm 2026"), std::string::npos);  // today, after the due day
  EXPECT_NE(xml.find("- Xã Mỹ Phước (minh họa): Tin, bài: 1; 0 người tham dự, 500 lượt xem, nghe"), std::string::npos);
  EXPECT_NE(xml.find("Khó khăn MH-XA-2"), std::string::npos);
  const auto commended = xml.find("VI. ĐỀ XUẤT BIỂU DƯƠNG");
  ASSERT_NE(commended, std::string::npos);
  EXPECT_NE(xml.find("Xã Mỹ Phước (minh họa)", commended), std::string::npos);
  EXPECT_EQ(xml.find("Xã Long Hưng (minh họa)", commended), std::string::npos);  // one third of two: only the first
  request.principal = officer_2_;
  EXPECT_EQ(docx_match.route->handler(request).status, 403);

  // And as PDF, whose text says the same.
  const std::string pdf_path = "/api/v1/report-periods/" + std::to_string(period.id) + "/compiled.pdf";
  auto pdf_match = router.match(http::Method::get, pdf_path);
  ASSERT_NE(pdf_match.route, nullptr);
  request.path = pdf_path;
  request.path_parameters = pdf_match.path_parameters;
  request.principal = coordinator_;
  auto pdf = pdf_match.route->handler(request);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers.get("Content-Type"), "application/pdf");
  std::string text;
  for (char character : testing::pdf_text(pdf.body)) {  // lines wrap where the font makes them wrap
    const bool space = character == ' ' || character == '\n';
    if (!(space && !text.empty() && text.back() == ' ')) text += space ? ' ' : character;
  }
  EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos) << text;
  EXPECT_NE(text.find("ỦY BAN NHÂN DÂN HUYỆN MỸ TÚ"), std::string::npos) << text;
  EXPECT_NE(text.find("Khó khăn MH-XA-2"), std::string::npos);
  EXPECT_NE(text.find("VI. ĐỀ XUẤT BIỂU DƯƠNG"), std::string::npos);
  EXPECT_NE(text.find("Xã Mỹ Phước (minh họa)", text.find("VI. ĐỀ XUẤT BIỂU DƯƠNG")), std::string::npos);
}

TEST_P(ReportingTest, UnitsThatHaveNotReportedAreRemindedThenEscalatedOnce) {
  const auto period = open_2026();  // due 08/12/2026
  // Who is told: MH-XA-2's officer, and the lead office (for MH-XA-3, which has no officer, and for escalations).
  const auto officer = testing::insert_staff_account(database(), "canbo.xa2", "officer",
                                                     units_->find("MH-XA-2", "2026-01-01")->id, "canbo@xa2.gov.vn");
  const auto lead_office = testing::insert_staff_account(database(), "dieuphoi", "coordinator", std::nullopt,
                                                         "dieuphoi@tinh.gov.vn");
  ASSERT_TRUE(is_ok(reporting_->save_report(period.id, "MH-XA-1", {"Kết quả", "", ""}, false, officer_1_, actor_)));
  ASSERT_TRUE(is_ok(reporting_->submit_report(period.id, "MH-XA-1", officer_1_, actor_)));
  // 27/11: eleven days before the due day, too early to remind.
  auto early = reporting_->send_notices(actor_);
  ASSERT_TRUE(is_ok(early));
  EXPECT_EQ(*early, 0);
  // 01/12: seven days before; MH-XA-1 has submitted, the two others are reminded, once.
  clock_.set(before_due + std::chrono::days(4));
  auto reminded = reporting_->send_notices(actor_);
  ASSERT_TRUE(is_ok(reminded));
  EXPECT_EQ(*reminded, 2);
  auto again = reporting_->send_notices(actor_);
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(*again, 0);
  // MH-XA-2 submits on the due day; after it only MH-XA-3 is escalated.
  clock_.set(before_due + std::chrono::days(11));
  ASSERT_TRUE(is_ok(reporting_->save_report(period.id, "MH-XA-2", {"Kết quả", "", ""}, false, officer_2_, actor_)));
  ASSERT_TRUE(is_ok(reporting_->submit_report(period.id, "MH-XA-2", officer_2_, actor_)));
  EXPECT_EQ(*reporting_->send_notices(actor_), 0);  // 08/12 is still in time
  clock_.set(after_due);
  auto escalated = reporting_->send_notices(actor_);
  ASSERT_TRUE(is_ok(escalated));
  EXPECT_EQ(*escalated, 1);
  EXPECT_EQ(*reporting_->send_notices(actor_), 0);
  auto board = reporting_->board(period.id, coordinator_);
  ASSERT_TRUE(is_ok(board));
  std::map<std::string, ReportStatus> by_unit;
  for (const auto& line : *board) by_unit[line.unit_code] = line;
  EXPECT_FALSE(by_unit["MH-XA-1"].reminded_at.has_value());
  EXPECT_TRUE(by_unit["MH-XA-2"].reminded_at.has_value());
  EXPECT_FALSE(by_unit["MH-XA-2"].escalated_at.has_value());
  EXPECT_TRUE(by_unit["MH-XA-3"].reminded_at.has_value());
  ASSERT_TRUE(by_unit["MH-XA-3"].escalated_at.has_value());
  EXPECT_EQ(*by_unit["MH-XA-3"].escalated_at, after_due);
  EXPECT_TRUE(by_unit["MH-XA-3"].late);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan_report.remind'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan_report.escalate'"), 1);
  const auto notices = [&](std::int64_t user, const std::string& kind) {
    return count("SELECT COUNT(*) FROM notifications WHERE user_id = " + std::to_string(user) + " AND notice_key LIKE "
                 "'plan-report/%/" + kind + "'");
  };
  EXPECT_EQ(notices(officer, "reminder"), 1);
  EXPECT_EQ(notices(officer, "escalation"), 0);
  EXPECT_EQ(notices(lead_office, "reminder"), 1);  // MH-XA-3's, for want of an officer there
  EXPECT_EQ(notices(lead_office, "escalation"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE recipient = 'canbo@xa2.gov.vn' AND subject LIKE "
                  "'Nhắc hạn báo cáo:%' AND body LIKE '%08/12/2026%' AND link LIKE '/quan-tri/ky-bao-cao/%/MH-XA-2'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_outbox WHERE recipient = 'dieuphoi@tinh.gov.vn'"), 2);
}

TEST_P(ReportingTest, DemoSeedingOpensThisYearsPeriodOnceAndAddsActivitiesOnce) {
  auto first = seed_demo_reporting(*reporting_, *plans_, actor_);
  ASSERT_TRUE(is_ok(first));
  EXPECT_EQ(*first, 6);
  auto second = seed_demo_reporting(*reporting_, *plans_, actor_);
  ASSERT_TRUE(is_ok(second));
  EXPECT_EQ(*second, 0);
  auto periods = reporting_->periods(plan_id_);
  ASSERT_TRUE(is_ok(periods));
  ASSERT_EQ(periods->size(), 1u);
  EXPECT_EQ(periods->front().title, "Năm 2026");
  // The demo activities fall in the period: MH-XA-3's report is pre-filled with two tasks and its two measures.
  auto report = reporting_->report(periods->front().id, "MH-XA-3", officer_of("MH-XA-3", 5));
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->tasks.size(), 2u);
  EXPECT_EQ(report->values.size(), 2u);  // no dossiers imported: no KPI figure
}

TEST(CommendationRuleTest, OrdersByOnlineRateThenReachThenActivitiesAndProposesTheFirstThird) {
  std::vector<CommendationCandidate> candidates{
      {"A", "A", false, 5, 100, 0.50},
      {"B", "B", false, 1, 900, 0.90},
      {"C", "C", true, 9, 9000, 0.99},   // late: excluded
      {"D", "D", false, 0, 0, 1.00},     // no activity: excluded
      {"E", "E", false, 2, 900, 0.90},   // ties B on rate and reach, more activities
      {"F", "F", false, 9, 99999, std::nullopt},  // no dossiers: after every rated unit
      {"G", "G", false, 3, 100, 0.50},   // ties A on rate and reach, fewer activities
      {"H", "H", false, 1, 50, 0.75},
  };
  auto proposed = propose_commendations(candidates);
  // Six eligible (A, B, E, F, G, H): the first two.
  ASSERT_EQ(proposed.size(), 2u);
  EXPECT_EQ(proposed[0].unit_code, "E");
  EXPECT_EQ(proposed[0].rank, 1);
  EXPECT_EQ(proposed[1].unit_code, "B");
  EXPECT_EQ(proposed[1].rank, 2);

  candidates.push_back({"I", "I", false, 1, 1, 0.10});  // seven eligible: the first three
  proposed = propose_commendations(candidates);
  ASSERT_EQ(proposed.size(), 3u);
  EXPECT_EQ(proposed[2].unit_code, "H");
  // Without rates, reach decides; nobody eligible, nobody proposed.
  EXPECT_EQ(propose_commendations({{"X", "X", false, 1, 5, std::nullopt}, {"Y", "Y", false, 1, 6, std::nullopt}})
                .front()
                .unit_code,
            "Y");
  EXPECT_TRUE(propose_commendations({{"Z", "Z", true, 3, 3, 1.0}}).empty());
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(ReportingTest);

}  // namespace
}  // namespace dvchub::plan
