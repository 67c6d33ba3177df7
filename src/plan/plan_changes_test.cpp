#include "plan/plan_changes.h"

#include <gtest/gtest.h>

#include "plan/demo_plan.h"
#include "plan/plan_change_routes.h"
#include "plan/plan_routes.h"
#include "support/test_database.h"
#include "units/demo_units.h"

namespace dvchub::plan {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

std::string rendered(const std::vector<DiffPart>& parts) {
  std::string text;
  for (const auto& part : parts) {
    if (part.kind == DiffPart::Kind::removed) text += "[-" + part.text + "-]";
    else if (part.kind == DiffPart::Kind::added) text += "{+" + part.text + "+}";
    else text += part.text;
  }
  return text;
}

TEST(WordDiff, MarksRemovedAndAddedWordsAndKeepsTheRest) {
  EXPECT_EQ(rendered(word_diff("Tuyên truyền trên báo chí hằng năm", "Tuyên truyền trên mạng xã hội hằng năm")),
            "Tuyên truyền trên [-báo chí -]{+mạng xã hội +}hằng năm");
  EXPECT_EQ(rendered(word_diff("a b c", "a b c")), "a b c");
  EXPECT_EQ(rendered(word_diff("", "mới")), "{+mới+}");
  EXPECT_EQ(rendered(word_diff("cũ", "")), "[-cũ-]");
  EXPECT_EQ(rendered(word_diff("một hai ba", "không một hai")), "{+không +}một hai [-ba-]");
}

TEST(WordDiff, VeryLongTextsCompareAsOneReplacement) {
  std::string before, after;
  for (int index = 0; index < 2'100; ++index) {
    before += "từ ";
    after += "chữ ";
  }
  auto parts = word_diff(before, after);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].kind, DiffPart::Kind::removed);
  EXPECT_EQ(parts[1].kind, DiffPart::Kind::added);
}

class PlanChangeTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    units_ = std::make_unique<units::UnitService>(database(), clock_);
    kpi_ = std::make_unique<kpi::KpiService>(database(), clock_);
    plans_ = std::make_unique<PlanService>(database(), *units_, *kpi_, clock_);
    reporting_ = std::make_unique<ReportingService>(database(), *units_, *kpi_, *plans_, clock_);
    changes_ = std::make_unique<PlanChangeService>(database(), *units_, *plans_, *reporting_, clock_);
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

  std::int64_t count(const std::string& sql) {
    auto connection = acquire();
    auto row = connection->query_one(sql);
    EXPECT_TRUE(is_ok(row));
    return (*row)->integer(0);
  }

  static Task task(const PlanDetail& detail, const std::string& code) {
    for (const auto& item : detail.tasks) {
      if (item.section_code == code) return item;
    }
    throw std::out_of_range(code);
  }

  PlanDetail detail() {
    auto found = plans_->detail(plan_id_);
    EXPECT_TRUE(is_ok(found));
    return *found;
  }

  static AmendmentInput task_text(const std::string& unit, const std::string& code, const std::string& text) {
    AmendmentInput input;
    input.unit_code = unit;
    input.field = "task_text";
    input.task_code = code;
    input.text = text;
    input.reason = "Cập nhật theo tình hình thực tế";
    return input;
  }

  http::Response call(http::Router& router, http::Method method, const std::string& path,
                      const std::optional<http::Principal>& principal, const std::string& body = {}) {
    auto match = router.match(method, path);
    EXPECT_NE(match.route, nullptr) << path;
    if (!match.route) return {};
    http::Request request;
    request.method = method;
    request.path = path;
    request.path_parameters = match.path_parameters;
    request.body = body;
    if (method == http::Method::post && body.find('{') != 0) {
      request.headers.set("Content-Type", "application/x-www-form-urlencoded");
    }
    request.principal = principal;
    return match.route->handler(request);
  }

  // 27/11/2026 10:00 in Vietnam: after the district ended (01/07/2025), so the merged communes carry the plan.
  ManualClock clock_{TimePoint(std::chrono::seconds(1795748400))};
  audit::Actor actor_ = audit::Actor::system("test");
  std::unique_ptr<units::UnitService> units_;
  std::unique_ptr<kpi::KpiService> kpi_;
  std::unique_ptr<PlanService> plans_;
  std::unique_ptr<ReportingService> reporting_;
  std::unique_ptr<PlanChangeService> changes_;
  std::int64_t plan_id_ = 0;
  http::Principal coordinator_, viewer_, officer_1_, officer_2_;
};

TEST_P(PlanChangeTest, OfficersSetTheStatusOfTasksTheirUnitsLeadOrCoordinate) {
  // MYTU-LONGHUNG (merged into MH-XA-2) holds every task within its scope (VI.7).
  TaskStatusInput input{"IV.1.a", "MYTU-LONGHUNG", "in_progress", "  Đã phát 3 bản tin trên loa truyền thanh  "};
  auto updated = changes_->set_task_status(plan_id_, input, officer_2_, actor_);
  ASSERT_TRUE(is_ok(updated));
  EXPECT_EQ(updated->status, "in_progress");
  EXPECT_EQ(updated->status_note, "Đã phát 3 bản tin trên loa truyền thanh");
  for (const auto& assignment : task(detail(), "IV.1.a").assignments) {
    if (assignment.unit_code != "MYTU-LONGHUNG") continue;
    EXPECT_EQ(assignment.status, "in_progress");
    EXPECT_EQ(assignment.status_note, "Đã phát 3 bản tin trên loa truyền thanh");
    EXPECT_TRUE(assignment.status_updated_at.has_value());
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan_task.status' AND before_state LIKE "
                  "'%not_started%' AND after_state LIKE '%in_progress%'"),
            1);

  // Another commune's officer, a viewer: not for this unit.
  EXPECT_TRUE(fails_with(changes_->set_task_status(plan_id_, input, officer_1_, actor_), ErrorCode::forbidden));
  EXPECT_TRUE(fails_with(changes_->set_task_status(plan_id_, input, viewer_, actor_), ErrorCode::forbidden));
  // Only leading and coordinating units: the office only oversees IV.1.c (VI.1).
  TaskStatusInput oversight{"IV.1.c", "MYTU-VHKHTT", "done", ""};
  EXPECT_TRUE(fails_with(changes_->set_task_status(plan_id_, oversight, coordinator_, actor_), ErrorCode::invalid_input));
  oversight.task_code = "IV.1.a";  // … but leads IV.1.a
  EXPECT_TRUE(is_ok(changes_->set_task_status(plan_id_, oversight, coordinator_, actor_)));
  // Units without the task, unknown statuses, overlong notes.
  TaskStatusInput unassigned{"IV.4.a", "MYTU-VP", "done", ""};
  EXPECT_TRUE(fails_with(changes_->set_task_status(plan_id_, unassigned, coordinator_, actor_), ErrorCode::invalid_input));
  input.status = "finished";
  EXPECT_TRUE(fails_with(changes_->set_task_status(plan_id_, input, officer_2_, actor_), ErrorCode::invalid_input));
  input.status = "done";
  input.note = std::string(status_note_limit + 1, 'a');
  EXPECT_TRUE(fails_with(changes_->set_task_status(plan_id_, input, officer_2_, actor_), ErrorCode::invalid_input));
  EXPECT_TRUE(fails_with(changes_->set_task_status(999, input, officer_2_, actor_), ErrorCode::not_found));
}

TEST_P(PlanChangeTest, AnAcceptedAmendmentMakesTheNextVersionAndShowsWhatChanged) {
  const std::string old_text = task(detail(), "IV.6.d").body;
  const std::string new_text = old_text + " Ưu tiên các ấp vùng sâu.";
  auto proposed = changes_->propose(plan_id_, task_text("MYTU-LONGHUNG", "IV.6.d", new_text), officer_2_, actor_);
  ASSERT_TRUE(is_ok(proposed));
  EXPECT_EQ(proposed->status, "proposed");
  EXPECT_EQ(proposed->before_value, old_text);
  EXPECT_EQ(detail().plan.version, 1);
  EXPECT_EQ(task(detail(), "IV.6.d").body, old_text);  // nothing changes before the decision

  // Officers do not decide; a decision needs a reason.
  EXPECT_TRUE(fails_with(changes_->decide(proposed->id, true, "Đồng ý", officer_2_, actor_), ErrorCode::forbidden));
  EXPECT_TRUE(fails_with(changes_->decide(proposed->id, true, "  ", coordinator_, actor_), ErrorCode::invalid_input));

  auto accepted = changes_->decide(proposed->id, true, "Theo Công văn số 12/UBND", coordinator_, actor_);
  ASSERT_TRUE(is_ok(accepted));
  EXPECT_EQ(accepted->status, "accepted");
  EXPECT_EQ(accepted->version, 2);
  EXPECT_EQ(detail().plan.version, 2);
  EXPECT_EQ(task(detail(), "IV.6.d").body, new_text);
  ASSERT_EQ(accepted->changes.size(), 1u);
  const auto& parts = accepted->changes[0].parts;
  ASSERT_FALSE(parts.empty());
  EXPECT_EQ(parts.back().kind, DiffPart::Kind::added);
  EXPECT_NE(parts.back().text.find("Ưu tiên các ấp vùng sâu."), std::string::npos);
  EXPECT_TRUE(fails_with(changes_->decide(proposed->id, false, "Không", coordinator_, actor_), ErrorCode::conflict));

  auto versions = changes_->versions(plan_id_);
  ASSERT_TRUE(is_ok(versions));
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().subject, "IV.6.d");
  EXPECT_EQ(versions->front().unit_name, "Xã Long Hưng");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action IN ('plan_amendment.propose', 'plan_amendment.accept')"),
            2);

  // A rejected proposal changes nothing and makes no version.
  auto second = changes_->propose(plan_id_, task_text("MYTU-LONGHUNG", "IV.6.d", "Bỏ nhiệm vụ"), officer_2_, actor_);
  ASSERT_TRUE(is_ok(second));
  auto rejected = changes_->decide(second->id, false, "Nhiệm vụ vẫn cần thiết", coordinator_, actor_);
  ASSERT_TRUE(is_ok(rejected));
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_FALSE(rejected->version.has_value());
  EXPECT_EQ(detail().plan.version, 2);
  EXPECT_EQ(task(detail(), "IV.6.d").body, new_text);

  // Officers see their units' proposals; other staff see all.
  EXPECT_EQ(changes_->amendments(plan_id_, officer_2_)->size(), 2u);
  EXPECT_EQ(changes_->amendments(plan_id_, officer_1_)->size(), 0u);
  EXPECT_EQ(changes_->amendments(plan_id_, viewer_)->size(), 2u);
}

TEST_P(PlanChangeTest, AProposalOvertakenByAnotherAmendmentCannotBeAccepted) {
  AmendmentInput due;
  due.unit_code = "MYTU-LONGHUNG";
  due.field = "task_due";
  due.task_code = "IV.3.c";
  due.yearly_on = "10-15";
  due.reason = "Trùng lịch tiếp công dân";
  auto first = changes_->propose(plan_id_, due, officer_2_, actor_);
  ASSERT_TRUE(is_ok(first));
  due.yearly_on = "";  // no yearly day
  auto second = changes_->propose(plan_id_, due, officer_2_, actor_);
  ASSERT_TRUE(is_ok(second));
  ASSERT_TRUE(is_ok(changes_->decide(first->id, true, "Đồng ý", coordinator_, actor_)));
  EXPECT_EQ(task(detail(), "IV.3.c").yearly_on, std::optional<std::string>("10-15"));
  EXPECT_TRUE(fails_with(changes_->decide(second->id, true, "Đồng ý", coordinator_, actor_), ErrorCode::conflict));
  EXPECT_EQ(task(detail(), "IV.3.c").yearly_on, std::optional<std::string>("10-15"));
  EXPECT_EQ(detail().plan.version, 2);
  auto listed = changes_->amendments(plan_id_, coordinator_);
  ASSERT_TRUE(is_ok(listed));
  EXPECT_EQ(listed->front().status, "proposed");  // the refused acceptance left it proposed, to be rejected
  ASSERT_EQ(first->changes.size(), 1u);
  EXPECT_EQ(first->changes[0].parts[0].text, "10/10");
  EXPECT_EQ(first->changes[0].parts[1].text, "15/10");

  due.yearly_on = "02-30";
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, due, officer_2_, actor_), ErrorCode::invalid_input));
  due.yearly_on = "10-15";  // the value in force
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, due, officer_2_, actor_), ErrorCode::invalid_input));
}

TEST_P(PlanChangeTest, UnitAndTargetAmendmentsChangeAssignmentsAndValues) {
  // IV.2.a has no lead; the centre coordinates it (VI.6).
  AmendmentInput units;
  units.unit_code = "MYTU-VHKHTT";
  units.field = "task_units";
  units.task_code = "IV.2.a";
  units.lead_units = {"MYTU-VHKHTT"};
  units.reason = "Giao cơ quan chủ trì";
  auto proposed = changes_->propose(plan_id_, units, coordinator_, actor_);
  ASSERT_TRUE(is_ok(proposed));
  EXPECT_EQ(proposed->before_value, "lead=;coordinating=MYTU-VHTTTT");
  EXPECT_EQ(proposed->proposed_value, "lead=MYTU-VHKHTT;coordinating=");
  ASSERT_EQ(proposed->changes.size(), 2u);
  EXPECT_EQ(proposed->changes[0].label, "Chủ trì");
  EXPECT_EQ(proposed->changes[0].parts[0].kind, DiffPart::Kind::added);
  EXPECT_EQ(proposed->changes[1].parts[0].kind, DiffPart::Kind::removed);
  ASSERT_TRUE(is_ok(changes_->decide(proposed->id, true, "Đồng ý", coordinator_, actor_)));
  std::map<std::string, std::string> roles;
  for (const auto& assignment : task(detail(), "IV.2.a").assignments) roles[assignment.unit_code] = assignment.role;
  EXPECT_EQ(roles["MYTU-VHKHTT"], "lead");
  EXPECT_EQ(roles.count("MYTU-VHTTTT"), 0u);
  EXPECT_EQ(roles["MYTU-LONGHUNG"], "within_scope");  // other roles stay

  // Unknown units, a unit in both roles.
  units.lead_units = {"KHONG-CO"};
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, units, coordinator_, actor_), ErrorCode::invalid_input));
  units.lead_units = {"MYTU-VP"};
  units.coordinating_units = {"MYTU-VP"};
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, units, coordinator_, actor_), ErrorCode::invalid_input));

  AmendmentInput target;
  target.unit_code = "MYTU-LONGHUNG";
  target.field = "target_value";
  target.target_key = "team_members_trained";
  target.target_year = 2025;
  target.target_value = 1.5;
  target.reason = "Điều chỉnh";
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, target, officer_2_, actor_), ErrorCode::invalid_input));
  target.target_value = 0.9;
  auto lowered = changes_->propose(plan_id_, target, officer_2_, actor_);
  ASSERT_TRUE(is_ok(lowered));
  EXPECT_EQ(lowered->changes[0].parts[0].text, "100 %");
  EXPECT_EQ(lowered->changes[0].parts[1].text, "90 %");
  ASSERT_TRUE(is_ok(changes_->decide(lowered->id, true, "Đồng ý", coordinator_, actor_)));
  for (const auto& item : detail().targets) {
    if (item.key == "team_members_trained" && item.year == 2025) {
      EXPECT_DOUBLE_EQ(item.minimum, 0.9);
    }
  }
  EXPECT_EQ(detail().plan.version, 3);
  // Another commune's officer may not propose for this one; unknown tasks and fields are refused.
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, target, officer_1_, actor_), ErrorCode::forbidden));
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, task_text("MYTU-LONGHUNG", "IV.9.z", "x"), officer_2_, actor_),
                         ErrorCode::invalid_input));
  auto unknown = task_text("MYTU-LONGHUNG", "IV.1.a", "x");
  unknown.field = "title";
  EXPECT_TRUE(fails_with(changes_->propose(plan_id_, unknown, officer_2_, actor_), ErrorCode::invalid_input));
}

TEST_P(PlanChangeTest, RoutesAndPages) {
  http::Router router;
  register_plan_routes(router, *plans_, *changes_);
  register_plan_change_routes(router, {*changes_, *plans_, *reporting_, *units_, *kpi_});
  const std::string plan = "/api/v1/plans/" + std::to_string(plan_id_);
  const std::string pages = "/quan-tri/ke-hoach/" + std::to_string(plan_id_);

  auto status = call(router, http::Method::put, plan + "/task-status", officer_2_,
                     R"({"task":"IV.1.b","unit":"MYTU-MYHUONG","status":"done","note":"Hoàn thành <ngay>"})");
  EXPECT_EQ(status.status, 200) << status.body;
  EXPECT_NE(status.body.find(R"("status":"done","note":"Hoàn thành <ngay>")"), std::string::npos) << status.body;
  EXPECT_EQ(call(router, http::Method::put, plan + "/task-status", officer_1_,
                 R"({"task":"IV.1.b","unit":"MYTU-MYHUONG","status":"done"})").status,
            403);

  auto created = call(router, http::Method::post, plan + "/amendments", officer_2_,
                      R"({"unit":"MYTU-MYHUONG","field":"target_value","target":{"key":"team_members_trained","year":2025},)"
                      R"("target_value":0.8,"reason":"Thiếu người"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id_at = created.body.find(R"("id":)") + 5;
  const std::string amendment_id = created.body.substr(id_at, created.body.find(',', id_at) - id_at);
  auto refused = call(router, http::Method::post, plan + "/amendments", officer_2_,
                      R"({"unit":"MYTU-MYHUONG","field":"task_text","task":"IV.1.a","text":"","reason":""})");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find(R"("field":"reason")"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find(R"("field":"text")"), std::string::npos) << refused.body;

  EXPECT_EQ(router.match(http::Method::post, "/api/v1/amendments/1/decision").route->options.access,
            http::Access::coordinator);
  auto decided = call(router, http::Method::post, "/api/v1/amendments/" + amendment_id + "/decision", coordinator_,
                      R"({"decision":"accept","reason":"Theo đề nghị của xã"})");
  EXPECT_EQ(decided.status, 200) << decided.body;
  EXPECT_NE(decided.body.find(R"("version":2)"), std::string::npos) << decided.body;

  EXPECT_EQ(router.match(http::Method::get, plan + "/versions").route->options.access, http::Access::public_);
  auto versions = call(router, http::Method::get, plan + "/versions", std::nullopt);
  EXPECT_EQ(versions.status, 200);
  EXPECT_NE(versions.body.find(R"({"kind":"removed","text":"100 %"},{"kind":"added","text":"80 %"})"), std::string::npos)
      << versions.body;

  // The public plan page shows the versions; the staff matrix the status and its note, escaped.
  auto page = call(router, http::Method::get, "/ke-hoach/" + std::to_string(plan_id_), std::nullopt);
  EXPECT_NE(page.body.find("Phiên bản hiện hành: 2."), std::string::npos);
  EXPECT_NE(page.body.find("<del>100 %</del><ins>80 %</ins>"), std::string::npos);
  EXPECT_NE(page.body.find("Căn cứ chấp thuận: Theo đề nghị của xã"), std::string::npos);
  auto matrix = call(router, http::Method::get, "/quan-tri/ke-hoach/" + std::to_string(plan_id_) + "/ma-tran",
                     coordinator_);
  (void)matrix;  // the matrix is registered by plan_routes

  // The unit's page: its predecessors' tasks, the status form, reports and KPIs.
  auto unit_page = call(router, http::Method::get, pages + "/don-vi/MH-XA-2", officer_2_);
  EXPECT_EQ(unit_page.status, 200);
  EXPECT_NE(unit_page.body.find("Xã Long Hưng (minh họa)"), std::string::npos);
  EXPECT_NE(unit_page.body.find("Hoàn thành &lt;ngay&gt;"), std::string::npos);
  EXPECT_NE(unit_page.body.find("Nhiệm vụ (84)"), std::string::npos);  // 3 communes × 28 tasks
  EXPECT_NE(unit_page.body.find("name=\"status\""), std::string::npos);
  EXPECT_EQ(call(router, http::Method::get, pages + "/don-vi/MH-XA-2", officer_1_).status, 403);
  auto viewer_page = call(router, http::Method::get, pages + "/don-vi/MH-XA-2", viewer_);
  EXPECT_EQ(viewer_page.status, 200);
  EXPECT_EQ(viewer_page.body.find("name=\"status\""), std::string::npos);  // viewers read only

  auto form = call(router, http::Method::post, pages + "/don-vi/MH-XA-2", officer_2_,
                   "task=IV.2.b&unit=MYTU-HUNGPHU&status=in_progress&note=%C4%90ang+l%C3%A0m");
  EXPECT_EQ(form.status, 303);
  EXPECT_EQ(form.headers.get("Location"), pages + "/don-vi/MH-XA-2?da_luu=1#nhiem-vu");
  auto bad_form = call(router, http::Method::post, pages + "/don-vi/MH-XA-2", officer_2_,
                       "task=IV.2.b&unit=MYTU-HUNGPHU&status=xong");
  EXPECT_EQ(bad_form.status, 400);
  EXPECT_NE(bad_form.body.find("Trạng thái không hợp lệ"), std::string::npos);

  // The amendments page: a proposal through the form, then the lead office's decision form.
  auto proposal = call(router, http::Method::post, pages + "/sua-doi", officer_2_,
                       "unit=MH-XA-2&field=task_due&task=IV.3.c&yearly_on=15%2F10&reason=Tr%C3%B9ng+l%E1%BB%8Bch");
  EXPECT_EQ(proposal.status, 303) << proposal.body;
  auto amendments_page = call(router, http::Method::get, pages + "/sua-doi", coordinator_);
  EXPECT_EQ(amendments_page.status, 200);
  EXPECT_NE(amendments_page.body.find("<del>10/10</del>"), std::string::npos);
  EXPECT_NE(amendments_page.body.find("<ins>15/10</ins>"), std::string::npos);
  EXPECT_NE(amendments_page.body.find("value=\"accept\""), std::string::npos);
  EXPECT_EQ(call(router, http::Method::get, pages + "/sua-doi", officer_1_).body.find("value=\"accept\""),
            std::string::npos);
  auto empty_reason = call(router, http::Method::post, pages + "/sua-doi", officer_2_,
                           "unit=MH-XA-2&field=task_due&task=IV.3.c&yearly_on=16%2F10&reason=");
  EXPECT_EQ(empty_reason.status, 400);
  EXPECT_NE(empty_reason.body.find("Nêu lý do đề xuất sửa đổi"), std::string::npos);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(PlanChangeTest);

}  // namespace
}  // namespace dvchub::plan
