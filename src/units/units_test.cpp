#include "units/units.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "core/dates.h"
#include "support/test_database.h"
#include "units/demo_units.h"

namespace dvchub::units {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

class UnitServiceTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    service_ = std::make_unique<UnitService>(database(), clock_);
  }
  void TearDown() override {
    service_.reset();
    BackendTest::TearDown();
  }
  Unit create(const std::string& code, const std::string& name, const std::string& kind,
              std::optional<std::string> parent, const std::string& from = "2025-01-01") {
    auto unit = service_->create(NewUnit{code, name, kind, parent, from, false}, actor_);
    EXPECT_TRUE(is_ok(unit));
    return unit ? *unit : Unit{};
  }
  std::vector<std::string> codes_on(const std::string& day) {
    std::vector<std::string> codes;
    auto units = service_->list(day);
    EXPECT_TRUE(is_ok(units));
    if (units) for (const auto& unit : *units) codes.push_back(unit.code);
    return codes;
  }

  ManualClock clock_{from_unix_seconds(1764201600)};  // 2025-11-27
  audit::Actor actor_ = audit::Actor::system("test");
  std::unique_ptr<UnitService> service_;
};

TEST_P(UnitServiceTest, CreateValidatesEveryFieldAndRefusesReusedCodes) {
  auto invalid = service_->create(NewUnit{"bad code!", "", "planet", std::nullopt, "31/02/2025", false}, actor_);
  ASSERT_TRUE(fails_with(invalid, ErrorCode::invalid_input));
  std::set<std::string> fields;
  for (const auto& field : invalid.error().fields) fields.insert(field.field);
  EXPECT_EQ(fields, (std::set<std::string>{"code", "name", "kind", "valid_from"}));

  create("P", "Tỉnh A", "province", std::nullopt);
  EXPECT_TRUE(fails_with(service_->create(NewUnit{"P", "Tỉnh B", "province", std::nullopt, "2025-02-01", false}, actor_),
                         ErrorCode::conflict));
  auto orphan = service_->create(NewUnit{"C", "Xã", "commune", std::string("NOPE"), "2025-01-01", false}, actor_);
  ASSERT_TRUE(fails_with(orphan, ErrorCode::invalid_input));
  EXPECT_EQ(orphan.error().fields.at(0).field, "parent_code");
  auto early = service_->create(NewUnit{"C", "Xã", "commune", std::string("P"), "2024-12-31", false}, actor_);
  EXPECT_TRUE(fails_with(early, ErrorCode::invalid_input)) << "parent not yet valid on that day";
}

TEST_P(UnitServiceTest, RenameKeepsHistoryQueryableAsOfAnyDay) {
  create("P", "Tỉnh A", "province", std::nullopt);
  ASSERT_TRUE(is_ok(service_->rename("P", "Tỉnh A mới", "01/06/2025", actor_)));
  EXPECT_EQ(service_->find("P", "2025-05-31")->name, "Tỉnh A");
  EXPECT_EQ(service_->find("P", "2025-06-01")->name, "Tỉnh A mới");
  EXPECT_TRUE(fails_with(service_->rename("P", "Cũ hơn", "2025-03-01", actor_), ErrorCode::invalid_input))
      << "history is appended, never rewritten";
  auto history = service_->history("P");
  ASSERT_TRUE(is_ok(history));
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].description, "Đổi tên thành Tỉnh A mới");
}

TEST_P(UnitServiceTest, MoveRefusesCyclesAndChangesParentFromItsDate) {
  create("P", "Tỉnh", "province", std::nullopt);
  create("D", "Huyện", "district", std::string("P"));
  create("C", "Xã", "commune", std::string("D"));
  auto cycle = service_->move("D", std::string("C"), "2025-03-01", actor_);
  ASSERT_TRUE(fails_with(cycle, ErrorCode::invalid_input));
  ASSERT_TRUE(is_ok(service_->move("C", std::string("P"), "2025-03-01", actor_)));
  EXPECT_EQ(service_->find("C", "2025-02-28")->parent_code, "D");
  EXPECT_EQ(service_->find("C", "2025-03-01")->parent_code, "P");
  auto district = service_->find("D", "2025-01-01");
  auto commune = service_->find("C", "2025-01-01");
  EXPECT_TRUE(*service_->is_within(commune->id, district->id, "2025-02-01"));
  EXPECT_FALSE(*service_->is_within(commune->id, district->id, "2025-03-01"));
}

TEST_P(UnitServiceTest, DissolvingADistrictMovesItsCommunesUpAndEndsIt) {
  create("P", "Tỉnh", "province", std::nullopt);
  create("D", "Huyện", "district", std::string("P"));
  create("C1", "Xã 1", "commune", std::string("D"));
  create("C2", "Xã 2", "commune", std::string("D"));
  ASSERT_TRUE(is_ok(service_->dissolve("D", std::nullopt, "2025-07-01", actor_)));
  EXPECT_EQ(codes_on("2025-06-30"), (std::vector<std::string>{"C1", "C2", "D", "P"}));
  EXPECT_EQ(codes_on("2025-07-01"), (std::vector<std::string>{"C1", "C2", "P"}));
  EXPECT_EQ(service_->find("C1", "2025-07-01")->parent_code, "P");
  EXPECT_EQ(service_->find("C1", "2025-06-30")->parent_code, "D");
  EXPECT_EQ(*service_->find("D", "2025-07-01")->valid_to, "2025-07-01");
  EXPECT_TRUE(fails_with(service_->rename("D", "Huyện mới", "2025-08-01", actor_), ErrorCode::invalid_input));
}

TEST_P(UnitServiceTest, MergeEndsUnitsMovesChildrenAndLinksSuccessorsTransitively) {
  create("P", "Tỉnh", "province", std::nullopt);
  create("C1", "Xã 1", "commune", std::string("P"));
  create("C2", "Xã 2", "commune", std::string("P"));
  create("V1", "Ấp thuộc xã 1", "other", std::string("C1"));
  auto merged = service_->merge({"C1", "C2"}, "N", NewUnit{"N", "Xã mới", "commune", std::string("P"), "", true},
                                "2025-07-01", actor_);
  ASSERT_TRUE(is_ok(merged));
  EXPECT_TRUE(merged->illustrative);
  EXPECT_EQ(service_->find("V1", "2025-07-01")->parent_code, "N");
  EXPECT_EQ(*service_->successors_as_of("C1", "2025-12-31"), (std::vector<std::string>{"N"}));
  EXPECT_EQ(*service_->successors_as_of("C1", "2025-03-01"), (std::vector<std::string>{"C1"}));
  // A second merge later: C1's line of succession now ends at M.
  create("C3", "Xã 3", "commune", std::string("P"));
  ASSERT_TRUE(is_ok(service_->merge({"N"}, "C3", std::nullopt, "2026-01-01", actor_)));
  EXPECT_EQ(*service_->successors_as_of("C1", "2026-02-01"), (std::vector<std::string>{"C3"}));
  EXPECT_TRUE(fails_with(service_->merge({"C3"}, "C3", std::nullopt, "2026-02-01", actor_), ErrorCode::invalid_input));
}

TEST_P(UnitServiceTest, SplitCreatesSuccessorsAndRequiresNoChildren) {
  create("P", "Tỉnh", "province", std::nullopt);
  create("C", "Xã", "commune", std::string("P"));
  create("V", "Ấp", "other", std::string("C"));
  std::vector<NewUnit> parts{{"C-A", "Xã A", "commune", std::string("P"), "", false},
                             {"C-B", "Xã B", "commune", std::string("P"), "", false}};
  EXPECT_TRUE(fails_with(service_->split("C", parts, "2025-05-01", actor_), ErrorCode::invalid_input));
  ASSERT_TRUE(is_ok(service_->move("V", std::string("P"), "2025-04-01", actor_)));
  auto created = service_->split("C", parts, "2025-05-01", actor_);
  ASSERT_TRUE(is_ok(created));
  EXPECT_EQ(created->size(), 2u);
  EXPECT_EQ(*service_->successors_as_of("C", "2025-06-01"), (std::vector<std::string>{"C-A", "C-B"}));
}

TEST_P(UnitServiceTest, EveryChangeIsAuditedWithBeforeAndAfter) {
  create("P", "Tỉnh", "province", std::nullopt);
  ASSERT_TRUE(is_ok(service_->rename("P", "Tỉnh mới", "2025-02-01", actor_)));
  auto connection = acquire();
  audit::Query query;
  query.entity_key = "P";
  auto entries = audit::list(*connection, query);
  ASSERT_TRUE(is_ok(entries));
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].change.action, "unit.rename");
  EXPECT_NE((*entries)[0].change.before_json->find("\"Tỉnh\""), std::string::npos);
  EXPECT_NE((*entries)[0].change.after_json->find("Tỉnh mới"), std::string::npos);
  EXPECT_EQ((*entries)[1].change.action, "unit.create");
  EXPECT_FALSE((*entries)[1].change.before_json.has_value());
}

TEST_P(UnitServiceTest, ImportCommitsGoodRowsAndReportsBadOnesWithTheirLine) {
  const std::string csv =
      "code,name,kind,parent_code,valid_from,valid_to\n"
      "94,Tỉnh Sóc Trăng,province,,01/01/2025,\n"
      "94-01,\"Xã A, mới\",commune,94,2025-01-01,\n"
      "94-02,Xã B,planet,94,2025-01-01,\n"
      "94-03,Xã C,commune,99,2025-01-01,\n"
      "94-04,Xã D,commune,94,2025-01-01,2025-07-01\n";
  std::size_t last_progress = 0;
  auto report = service_->import_csv(csv, actor_, [&](std::size_t done, std::size_t) { last_progress = done; });
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->created, 3u);
  ASSERT_EQ(report->rejected.size(), 2u);
  EXPECT_EQ(report->rejected[0].field, "dòng 4");
  EXPECT_EQ(report->rejected[1].field, "dòng 5");
  EXPECT_EQ(last_progress, 5u);
  EXPECT_EQ(service_->find("94-01", "2025-03-01")->name, "Xã A, mới");
  EXPECT_EQ(codes_on("2025-08-01"), (std::vector<std::string>{"94", "94-01"}));
  auto again = service_->import_csv(csv, actor_);
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(again->created, 0u);
  EXPECT_EQ(again->unchanged, 3u);
  EXPECT_TRUE(fails_with(service_->import_csv("ma,ten\n1,2\n", actor_), ErrorCode::invalid_input));
}

TEST_P(UnitServiceTest, DemoSeedIsIdempotentAndFollowsThePlanAndTheReform) {
  auto first = seed_demo_units(*service_, actor_);
  ASSERT_TRUE(is_ok(first));
  EXPECT_EQ(*first, 21);  // 18 units of the plan + 3 illustrative communes
  EXPECT_EQ(*seed_demo_units(*service_, actor_), 0);
  EXPECT_EQ(codes_on("2025-04-03").size(), 18u);
  auto today = service_->list("2025-11-27");
  ASSERT_TRUE(is_ok(today));
  ASSERT_EQ(today->size(), 4u);  // the province and three illustrative communes
  for (const auto& unit : *today) {
    if (unit.code != "ST") {
      EXPECT_TRUE(unit.illustrative) << unit.code;
      EXPECT_EQ(unit.parent_code, "ST");
    }
  }
  EXPECT_EQ(*service_->successors_as_of("MYTU-MYHUONG", "2025-11-27"), (std::vector<std::string>{"MH-XA-2"}));
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(UnitServiceTest);

}  // namespace
}  // namespace dvchub::units
