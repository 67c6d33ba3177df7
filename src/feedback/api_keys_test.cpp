#include "feedback/api_keys.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace dvchub::feedback {
namespace {

using namespace std::chrono;
using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

class ApiKeyServiceTest : public dvchub::testing::BackendTest {
 protected:
  ManualClock clock{TimePoint(sys_days(2025y / 9 / 8).time_since_epoch())};
};

TEST_P(ApiKeyServiceTest, KeysWorkUntilRevokedAndOnlyTheirDigestIsStored) {
  ApiKeyService keys(database(), clock);
  EXPECT_TRUE(fails_with(keys.issue("  ", audit::Actor::system("admin")), ErrorCode::invalid_input));
  auto issued = keys.issue("Cổng Dịch vụ công tỉnh", audit::Actor::system("admin"));
  ASSERT_TRUE(is_ok(issued));
  EXPECT_EQ(issued->secret.size(), 43u);
  auto other = keys.issue("Ứng dụng di động", audit::Actor::system("admin"));
  ASSERT_TRUE(is_ok(other));
  EXPECT_NE(other->secret, issued->secret);
  auto stored = (*acquire()->query_one("SELECT COUNT(*) FROM open311_api_keys WHERE key_hash = $1", {issued->secret}))
                    ->integer(0);
  EXPECT_EQ(stored, 0);  // never the key itself

  clock.advance(std::chrono::hours(1));
  auto verified = keys.verify(issued->secret);
  ASSERT_TRUE(is_ok(verified));
  ASSERT_TRUE(verified->has_value());
  EXPECT_EQ((*verified)->name, "Cổng Dịch vụ công tỉnh");
  EXPECT_FALSE(keys.verify(issued->secret + "x")->has_value());
  EXPECT_FALSE(keys.verify("")->has_value());

  ASSERT_TRUE(is_ok(keys.revoke(issued->key.id, audit::Actor::system("admin"))));
  EXPECT_FALSE(keys.verify(issued->secret)->has_value());
  EXPECT_TRUE(keys.verify(other->secret)->has_value());
  EXPECT_TRUE(fails_with(keys.revoke(issued->key.id, audit::Actor::system("admin")), ErrorCode::conflict));
  EXPECT_TRUE(fails_with(keys.revoke(9999, audit::Actor::system("admin")), ErrorCode::not_found));
  auto list = keys.list();
  ASSERT_TRUE(is_ok(list));
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE(list->at(1).revoked_at.has_value());
  ASSERT_TRUE(list->at(1).last_used_at.has_value());
  EXPECT_EQ(*list->at(1).last_used_at, clock.now());
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(ApiKeyServiceTest);

}  // namespace
}  // namespace dvchub::feedback
