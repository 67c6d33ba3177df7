#include "accounts/access.h"

#include <gtest/gtest.h>

namespace dvchub::accounts {
namespace {

http::Principal principal_with_role(std::string role, std::optional<std::int64_t> unit_id = std::nullopt) {
  http::Principal principal;
  principal.user_id = 7;
  principal.username = "someone";
  principal.role = std::move(role);
  principal.unit_id = unit_id;
  principal.csrf_token = "csrf-of-this-session";
  return principal;
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::admin, Role::coordinator, Role::officer, Role::viewer}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_EQ(parse_role("Admin"), std::nullopt);
  EXPECT_EQ(parse_role("citizen"), std::nullopt);
  EXPECT_STREQ(role_label(Role::officer), "Cán bộ đơn vị");
}

TEST(AllowsTest, FollowsTheAccessTable) {
  using http::Access;
  struct Case {
    const char* role;  // nullptr: nobody signed in
    bool public_, staff, officer, coordinator, admin;
  };
  const Case cases[] = {
      {nullptr, true, false, false, false, false},
      {"viewer", true, true, false, false, false},
      {"officer", true, true, true, false, false},
      {"coordinator", true, true, true, true, false},
      {"admin", true, true, true, true, true},
      {"citizen", true, false, false, false, false},  // an unknown role is nobody
  };
  for (const auto& each : cases) {
    SCOPED_TRACE(each.role ? each.role : "(nobody)");
    http::Principal principal;
    const http::Principal* who = nullptr;
    if (each.role) {
      principal = principal_with_role(each.role);
      who = &principal;
    }
    EXPECT_EQ(allows(Access::public_, who), each.public_);
    EXPECT_EQ(allows(Access::staff, who), each.staff);
    EXPECT_EQ(allows(Access::officer, who), each.officer);
    EXPECT_EQ(allows(Access::coordinator, who), each.coordinator);
    EXPECT_EQ(allows(Access::admin, who), each.admin);
  }
}

// Units 1 ⊃ 2 ⊃ 3; unit 4 elsewhere.
Result<bool> small_tree(std::int64_t unit_id, std::int64_t ancestor_id) {
  if (unit_id == ancestor_id) return true;
  if (ancestor_id == 1) return unit_id == 2 || unit_id == 3;
  if (ancestor_id == 2) return unit_id == 3;
  return false;
}

TEST(CanActOnUnitTest, OfficersActOnTheirUnitAndBelowOnly) {
  const auto officer = principal_with_role("officer", 2);
  for (auto action : {UnitAction::read, UnitAction::write}) {
    EXPECT_EQ(can_act_on_unit(officer, 2, action, small_tree), true);
    EXPECT_EQ(can_act_on_unit(officer, 3, action, small_tree), true);
    EXPECT_EQ(can_act_on_unit(officer, 1, action, small_tree), false);  // the parent is not theirs
    EXPECT_EQ(can_act_on_unit(officer, 4, action, small_tree), false);
  }
  const auto officer_without_unit = principal_with_role("officer");
  EXPECT_EQ(can_act_on_unit(officer_without_unit, 2, UnitAction::read, small_tree), false);
}

TEST(CanActOnUnitTest, CoordinatorsAndAdminsActEverywhereViewersOnlyRead) {
  const UnitWithin must_not_be_asked = [](std::int64_t, std::int64_t) -> Result<bool> {
    ADD_FAILURE() << "the unit tree is only needed for officers";
    return false;
  };
  for (const char* role : {"coordinator", "admin"}) {
    const auto principal = principal_with_role(role);
    EXPECT_EQ(can_act_on_unit(principal, 4, UnitAction::write, must_not_be_asked), true) << role;
    EXPECT_EQ(can_act_on_unit(principal, 4, UnitAction::read, must_not_be_asked), true) << role;
  }
  const auto viewer = principal_with_role("viewer", 2);
  EXPECT_EQ(can_act_on_unit(viewer, 4, UnitAction::read, must_not_be_asked), true);
  EXPECT_EQ(can_act_on_unit(viewer, 2, UnitAction::write, must_not_be_asked), false);
  EXPECT_EQ(can_act_on_unit(principal_with_role("citizen"), 4, UnitAction::read, must_not_be_asked), false);
}

TEST(CanActOnUnitTest, PassesOnTheUnitTreesError) {
  const UnitWithin store_down = [](std::int64_t, std::int64_t) -> Result<bool> {
    return fail(ErrorCode::unavailable, "Không kết nối được cơ sở dữ liệu");
  };
  auto answer = can_act_on_unit(principal_with_role("officer", 2), 3, UnitAction::write, store_down);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, ErrorCode::unavailable);
}

TEST(CsrfTest, MatchesOnlyTheSessionsToken) {
  const auto principal = principal_with_role("officer", 2);
  EXPECT_TRUE(csrf_token_matches(principal, "csrf-of-this-session"));
  EXPECT_FALSE(csrf_token_matches(principal, "csrf-of-this-sessioN"));
  EXPECT_FALSE(csrf_token_matches(principal, "csrf-of-this-session "));
  EXPECT_FALSE(csrf_token_matches(principal, ""));
  auto without_token = principal;
  without_token.csrf_token.clear();
  EXPECT_FALSE(csrf_token_matches(without_token, ""));
}

TEST(SessionCookieTest, SetsAndClearsTheSessionCookie) {
  EXPECT_EQ(session_cookie("abc_DEF-123", std::chrono::hours(12), false),
            "dvchub_session=abc_DEF-123; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax");
  EXPECT_EQ(session_cookie("abc", std::chrono::seconds(60), true),
            "dvchub_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(clearing_session_cookie(false),
            "dvchub_session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
  EXPECT_EQ(clearing_session_cookie(true),
            "dvchub_session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax; "
            "Secure");
}

}  // namespace
}  // namespace dvchub::accounts
