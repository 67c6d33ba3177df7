#include "plan/plan_service.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "catalogue/catalogue.h"
#include "plan/demo_plan.h"
#include "plan/plan_changes.h"
#include "plan/plan_routes.h"
#include "support/test_database.h"
#include "units/demo_units.h"

namespace dvchub::plan {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

class PlanServiceTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    units_ = std::make_unique<units::UnitService>(database(), clock_);
    kpi_ = std::make_unique<kpi::KpiService>(database(), clock_);
    plans_ = std::make_unique<PlanService>(database(), *units_, *kpi_, clock_);
    ASSERT_TRUE(is_ok(units::seed_demo_units(*units_, actor_)));
  }

  PlanDetail seeded_my_tu_plan() {
    auto created = seed_demo_plans(*plans_, actor_);
    EXPECT_TRUE(is_ok(created));
    auto found = plans_->find_by_number("MYTU", "51/KH-UBND");
    EXPECT_TRUE(is_ok(found));
    EXPECT_TRUE(found->has_value());
    auto detail = plans_->detail((*found)->id);
    EXPECT_TRUE(is_ok(detail));
    return *detail;
  }

  static const Task& task(const PlanDetail& detail, const std::string& code) {
    for (const auto& item : detail.tasks) {
      if (item.section_code == code) return item;
    }
    throw std::out_of_range(code);
  }

  static std::set<std::string> units_with_role(const Task& task, const std::string& role) {
    std::set<std::string> codes;
    for (const auto& assignment : task.assignments) {
      if (assignment.role == role) codes.insert(assignment.unit_code);
    }
    return codes;
  }

  // 2026-01-01 00:33 in Vietnam.
  ManualClock clock_{TimePoint(std::chrono::seconds(1767200000))};
  audit::Actor actor_ = audit::Actor::system("test");
  std::unique_ptr<units::UnitService> units_;
  std::unique_ptr<kpi::KpiService> kpi_;
  std::unique_ptr<PlanService> plans_;
};

TEST_P(PlanServiceTest, TheMyTuPlanIsCompleteAgainstTheSeedText) {
  auto detail = seeded_my_tu_plan();
  if (HasFailure()) return;
  EXPECT_EQ(detail.plan.number, "51/KH-UBND");
  EXPECT_EQ(detail.plan.issued_on, "2025-04-03");
  EXPECT_EQ(detail.plan.issuing_unit_code, "MYTU");
  EXPECT_EQ(detail.plan.issuing_unit_name, "Ủy ban nhân dân huyện Mỹ Tú");
  EXPECT_EQ(detail.plan.lead_unit_code, "MYTU-VHKHTT");
  EXPECT_EQ(detail.plan.parent_number, "59/KH-UBND");
  EXPECT_EQ(detail.plan.target_year, 2025);
  EXPECT_EQ(detail.plan.horizon_year, 2030);
  EXPECT_EQ(detail.plan.report_due, "12-08");  // VI.7: "chậm nhất vào ngày 08/12"

  // Targets, counted by hand in II.2: a) has 13 bullets, and the satisfaction bullet sets two thresholds (90 % overall,
  // 85 % for land, construction and investment), so 14 targets for 2025; b) has 3 bullets, 3 targets for 2030.
  // Measured by a computed indicator: TTHC toàn trình, định danh và xác thực (VNeID), hồ sơ toàn trình, người
  // trưởng thành 2025 and 2030 = 5; the other 12 are reported measures.
  std::map<int, int> targets_by_year;
  int computed = 0;
  for (const auto& target : detail.targets) {
    ++targets_by_year[target.year];
    if (target.indicator) ++computed;
  }
  EXPECT_EQ(detail.targets.size(), 17u);
  EXPECT_EQ(targets_by_year[2025], 14);
  EXPECT_EQ(targets_by_year[2030], 3);
  EXPECT_EQ(computed, 5);

  // Tasks, counted by hand in section IV: 1 a–đ (5), 2 a–c (3), 3 a, b, c, d, đ, e, g, h (8), 4 a–c (3),
  // 5 a–đ (5), 6 a–d (4) = 28, under 6 headings.
  EXPECT_EQ(detail.groups.size(), 6u);
  ASSERT_EQ(detail.tasks.size(), 28u);
  EXPECT_EQ(detail.tasks.front().section_code, "IV.1.a");
  EXPECT_EQ(detail.tasks[4].section_code, "IV.1.đ");
  EXPECT_EQ(detail.tasks.back().section_code, "IV.6.d");

  // Assignments, counted by hand in section VI:
  //   lead: VI.1 8 tasks + VI.2 4 + VI.3 2 units × 3 tasks + VI.6 7 tasks (khoản 1 = 5, IV.2.b, IV.6.b) = 25;
  //   oversight: VI.1's follow-up of the press on khoản 1 and IV.6.b, less IV.1.a and IV.1.b it leads = 4;
  //   coordinating: VI.6 "phối hợp … các nhiệm vụ được giao" on the 28 − 7 tasks it does not lead = 21;
  //   within_scope: VI.7, 8 communes and 1 town × 28 tasks = 252. Total 302.
  std::map<std::string, int> by_role;
  int total = 0;
  int tasks_without_lead = 0;
  for (const auto& item : detail.tasks) {
    for (const auto& assignment : item.assignments) ++by_role[assignment.role];
    total += int(item.assignments.size());
    if (units_with_role(item, "lead").empty()) ++tasks_without_lead;
  }
  EXPECT_EQ(by_role["lead"], 25);
  EXPECT_EQ(by_role["oversight"], 4);
  EXPECT_EQ(by_role["coordinating"], 21);
  EXPECT_EQ(by_role["within_scope"], 252);
  EXPECT_EQ(total, 302);
  // 25 leads fall on 8 + 4 + 3 + 7 − 2 (IV.1.a and IV.1.b have two leads) = 20 tasks; 8 have no named lead office.
  EXPECT_EQ(tasks_without_lead, 8);

  using Codes = std::set<std::string>;
  EXPECT_EQ(units_with_role(task(detail, "IV.1.a"), "lead"), (Codes{"MYTU-VHKHTT", "MYTU-VHTTTT"}));
  EXPECT_EQ(units_with_role(task(detail, "IV.3.đ"), "lead"), (Codes{"MYTU-VHKHTT"}));
  EXPECT_EQ(units_with_role(task(detail, "IV.5.đ"), "lead"), (Codes{"MYTU-VP"}));
  EXPECT_EQ(units_with_role(task(detail, "IV.4.b"), "lead"), (Codes{"MYTU-GDDT", "MYTU-GDNN"}));
  EXPECT_EQ(units_with_role(task(detail, "IV.6.b"), "lead"), (Codes{"MYTU-VHTTTT"}));
  EXPECT_EQ(units_with_role(task(detail, "IV.6.b"), "oversight"), (Codes{"MYTU-VHKHTT"}));
  EXPECT_EQ(units_with_role(task(detail, "IV.3.h"), "lead"), Codes{});
  EXPECT_EQ(units_with_role(task(detail, "IV.5.a"), "coordinating"), (Codes{"MYTU-VHTTTT"}));
  EXPECT_EQ(units_with_role(task(detail, "IV.2.a"), "within_scope").size(), 9u);
  EXPECT_EQ(task(detail, "IV.3.c").yearly_on, "10-10");
  // Leads come first, then by unit code; every status starts as not started.
  EXPECT_EQ(task(detail, "IV.1.a").assignments.front().unit_code, "MYTU-VHKHTT");
  EXPECT_EQ(task(detail, "IV.1.a").assignments.front().unit_name, "Phòng Văn hóa, Khoa học và Thông tin huyện Mỹ Tú");
  for (const auto& item : detail.tasks) {
    for (const auto& assignment : item.assignments) EXPECT_EQ(assignment.status, "not_started");
  }
}

TEST_P(PlanServiceTest, SeedingTwiceAddsNothing) {
  auto first = seed_demo_plans(*plans_, actor_);
  ASSERT_TRUE(is_ok(first));
  EXPECT_EQ(*first, 2);
  auto second = seed_demo_plans(*plans_, actor_);
  ASSERT_TRUE(is_ok(second));
  EXPECT_EQ(*second, 0);
  auto plans = plans_->list();
  ASSERT_TRUE(is_ok(plans));
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_EQ((*plans)[0].number, "59/KH-UBND");  // 24/03/2025, before 51/KH-UBND of 03/04/2025
  EXPECT_EQ((*plans)[0].issuing_unit_code, "ST");
  EXPECT_EQ((*plans)[1].parent_id, (*plans)[0].id);
  auto connection = acquire();
  auto count = connection->query_one("SELECT COUNT(*) FROM plan_assignments");
  ASSERT_TRUE(is_ok(count));
  EXPECT_EQ((*count)->integer(0), 302);
}

TEST_P(PlanServiceTest, RefusesPlansThatDoNotHoldTogether) {
  auto plan = my_tu_plan(std::nullopt);
  plan.targets[0].indicator = "online_rate";  // both an indicator and a reported measure
  plan.targets[6].indicator = "no_such_indicator";
  plan.targets[1].minimum = 1.5;
  plan.groups[0].tasks[1].section_code = "IV.1.a";  // repeated
  plan.groups[1].tasks[0].assignments.push_back({"NOPE", "lead", "VI.1"});
  plan.groups[1].tasks[1].assignments.push_back({"MH-XA-1", "lead", "VI.1"});  // created 01/07/2025
  plan.groups[2].tasks[0].assignments[0].role = "boss";
  auto refused = plans_->create(plan, actor_);
  ASSERT_TRUE(fails_with(refused, ErrorCode::invalid_input));
  EXPECT_EQ(refused.error().fields.size(), 7u) << testing::describe(refused.error());

  ASSERT_TRUE(is_ok(plans_->create(my_tu_plan(std::nullopt), actor_)));
  EXPECT_TRUE(fails_with(plans_->create(my_tu_plan(std::nullopt), actor_), ErrorCode::conflict));
  auto missing_parent = my_tu_plan(999);
  missing_parent.number = "52/KH-UBND";
  EXPECT_TRUE(fails_with(plans_->create(missing_parent, actor_), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(plans_->detail(999), ErrorCode::not_found));

  auto connection = acquire();
  auto audit = connection->query_one("SELECT COUNT(*) FROM audit_log WHERE action = 'plan.create'");
  ASSERT_TRUE(is_ok(audit));
  EXPECT_EQ((*audit)->integer(0), 1);
}

TEST_P(PlanServiceTest, IndicatorTargetsCarryTheDistrictsValueUntilItEnded) {
  catalogue::CatalogueService catalogue(database(), clock_);
  catalogue::CatalogueReport procedures;
  procedures.procedures = {{"1.1", "Thủ tục 1", "", "", true, 2, false}};
  ASSERT_TRUE(is_ok(catalogue.import(procedures, actor_)));
  std::istringstream dossiers(
      "MaHoSo,MaTTHC,MaDonVi,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,SoLanBoSung,"
      "DuocThanhToanTrucTuyen,CoNghiaVuTaiChinh,HoSoCoThanhPhanSoHoa,CoKetQuaDienTu,TaiKhoanDuocXacThucVoiVNeID,"
      "MaNguoiNop\n"
      "K1,1.1,MYTU-MYTU,2,2025-03-01,,,,,,,,,,1,S1\n"       // online, full-online procedure, VNeID
      "K2,1.1,MYTU-LONGHUNG,1,2025-05-10,,,,,,,,,,,S2\n"    // direct
      "K3,1.1,MYTU-HHN,2,2025-06-30,,,,,,,,,,0,S3\n"        // online on the district's last day
      "K4,1.1,MH-XA-1,2,2025-08-01,,,,,,,,,,1,S4\n"         // after the district ended: not the district's
      "K5,1.1,MYTU-MYTU,2,2024-12-31,,,,,,,,,,1,S5\n");     // the year before
  auto imported = kpi_->import_dossiers(dossiers);
  ASSERT_TRUE(is_ok(imported));
  ASSERT_EQ(imported->created, 5u);

  auto detail = seeded_my_tu_plan();
  if (HasFailure()) return;
  std::map<std::pair<std::string, int>, const Target*> targets;
  for (const auto& target : detail.targets) targets[{target.key, target.year}] = &target;
  // Today is 01/01/2026 and the district ended on 01/07/2025: 2025 targets measure 01/01–30/06/2025.
  const auto* full_online = targets.at({"dossiers_full_online", 2025});
  ASSERT_TRUE(full_online->current.has_value());
  EXPECT_EQ(full_online->current->from, "2025-01-01");
  EXPECT_EQ(full_online->current->to, "2025-06-30");
  EXPECT_EQ(full_online->current->numerator, 2);  // K1, K3
  EXPECT_EQ(full_online->current->denominator, 3);  // K1, K2, K3
  const auto* identified = targets.at({"users_identified", 2025});
  ASSERT_TRUE(identified->current.has_value());
  EXPECT_EQ(identified->current->numerator, 1);  // K1 of the online K1, K3
  EXPECT_EQ(identified->current->denominator, 2);
  // The 2030 target is measured on the district's last period too.
  const auto* usage_2030 = targets.at({"adult_usage", 2030});
  ASSERT_TRUE(usage_2030->current.has_value());
  EXPECT_EQ(usage_2030->current->to, "2025-06-30");
  EXPECT_EQ(usage_2030->current->numerator, 2);  // S1, S3
  EXPECT_FALSE(usage_2030->current->value.has_value());  // no population imported
  // Reported measures have no computed value.
  EXPECT_FALSE(targets.at({"team_members_trained", 2025})->current.has_value());
}

TEST_P(PlanServiceTest, RoutesAnswerJsonAndPages) {
  ASSERT_TRUE(is_ok(seed_demo_plans(*plans_, actor_)));
  auto found = plans_->find_by_number("MYTU", "51/KH-UBND");
  ASSERT_TRUE(is_ok(found));
  const std::string id = std::to_string((*found)->id);
  http::Router router;
  ReportingService reporting(database(), *units_, *kpi_, *plans_, clock_);
  PlanChangeService changes(database(), *units_, *plans_, reporting, clock_);
  register_plan_routes(router, *plans_, changes);
  auto call = [&](const std::string& path, bool staff = false) {
    http::Request request;
    request.path = path;
    if (staff) request.principal = http::Principal{1, "dieuphoi", "Điều phối", "coordinator", std::nullopt, "", "t"};
    auto match = router.match(http::Method::get, path);
    EXPECT_NE(match.route, nullptr) << path;
    request.path_parameters = match.path_parameters;
    return match.route->handler(request);
  };
  auto list = call("/api/v1/plans");
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(R"("number":"59/KH-UBND")"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(R"("yearly_report_due":"--12-08")"), std::string::npos) << list.body;

  auto detail = call("/api/v1/plans/" + id);
  EXPECT_EQ(detail.status, 200);
  EXPECT_NE(detail.body.find(R"("parent":{"id":)"), std::string::npos);
  EXPECT_NE(detail.body.find(R"("key":"dossiers_full_online","year":2025,"section":"II.2.a")"), std::string::npos)
      << detail.body;
  EXPECT_NE(detail.body.find(R"("measured_by":{"kind":"indicator","indicator":"full_online_rate")"), std::string::npos);
  EXPECT_NE(detail.body.find(R"("measured_by":{"kind":"reported","numerator":"Thành viên Tổ Công nghệ số cộng đồng)"),
            std::string::npos);
  EXPECT_NE(detail.body.find(R"("section_code":"IV.4.a","group":"IV.4")"), std::string::npos);
  EXPECT_NE(detail.body.find(R"("lead":["MYTU-GDDT","MYTU-GDNN"])"), std::string::npos) << detail.body;
  EXPECT_NE(detail.body.find(R"({"code":"MYTU-VP","name":"Văn phòng HĐND và UBND huyện Mỹ Tú","role":"lead","basis":"VI.2","status":"not_started","status_note":""})"),
            std::string::npos);
  EXPECT_EQ(call("/api/v1/plans/999").status, 404);

  auto page = call("/ke-hoach/" + id);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Kế hoạch số 51/KH-UBND"), std::string::npos);
  EXPECT_NE(page.body.find("Chưa có số liệu để tính."), std::string::npos);  // no dossiers imported
  EXPECT_NE(page.body.find("Chưa có báo cáo của đơn vị."), std::string::npos);
  EXPECT_NE(page.body.find("chậm nhất ngày 08/12"), std::string::npos);
  EXPECT_NE(page.body.find("Hằng năm vào ngày 10/10."), std::string::npos);
  EXPECT_EQ(page.body.find("/ma-tran"), std::string::npos);  // the matrix link is for staff
  EXPECT_NE(page.body.find("Phiên bản hiện hành: 1."), std::string::npos);
  EXPECT_NE(page.body.find("Kế hoạch chưa được sửa đổi."), std::string::npos);
  EXPECT_EQ(call("/ke-hoach/999").status, 404);
  auto plans_page = call("/ke-hoach");
  EXPECT_EQ(plans_page.status, 200);
  EXPECT_NE(plans_page.body.find("href=\"/ke-hoach/" + id + "\""), std::string::npos);

  EXPECT_EQ(router.match(http::Method::get, "/quan-tri/ke-hoach/" + id + "/ma-tran").route->options.access,
            http::Access::staff);
  auto matrix = call("/quan-tri/ke-hoach/" + id + "/ma-tran", true);
  EXPECT_EQ(matrix.status, 200);
  // 28 task rows; the lead office is the first column.
  std::size_t rows = 0;
  for (auto at = matrix.body.find("<th scope=\"row\">"); at != std::string::npos;
       at = matrix.body.find("<th scope=\"row\">", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 28u);
  EXPECT_LT(matrix.body.find(">MYTU-VHKHTT</abbr>"), matrix.body.find(">MYTU-GDDT</abbr>"));
  EXPECT_NE(matrix.body.find("<strong>CT</strong>"), std::string::npos);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(PlanServiceTest);

}  // namespace
}  // namespace dvchub::plan
