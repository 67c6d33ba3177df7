#include "accounts/password_hasher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

namespace dvchub::accounts {
namespace {

bool is_lowercase_hex(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char character) { return (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f'); });
}

TEST(PasswordHasherTest, VerifiesTheRightPasswordAndRejectsOthers) {
  const PasswordHasher hasher(PasswordCost::minimum());
  auto hashed = hasher.hash("mật khẩu đúng 123");
  ASSERT_TRUE(hashed) << hashed.error().detail;
  EXPECT_EQ(hashed->rfind("$argon2id$", 0), 0u) << *hashed;
  EXPECT_TRUE(hasher.verify(*hashed, "mật khẩu đúng 123"));
  EXPECT_FALSE(hasher.verify(*hashed, "mật khẩu đúng 124"));
  EXPECT_FALSE(hasher.verify(*hashed, ""));
  EXPECT_FALSE(hasher.verify(*hashed, "mat khau dung 123"));
}

TEST(PasswordHasherTest, SaltsEveryHash) {
  const PasswordHasher hasher(PasswordCost::minimum());
  auto first = hasher.hash("cùng một mật khẩu");
  auto second = hasher.hash("cùng một mật khẩu");
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(hasher.verify(*second, "cùng một mật khẩu"));
}

TEST(PasswordHasherTest, RejectsMalformedHashes) {
  const PasswordHasher hasher(PasswordCost::minimum());
  EXPECT_FALSE(hasher.verify("", "anything"));
  EXPECT_FALSE(hasher.verify("plain text password", "plain text password"));
  EXPECT_FALSE(hasher.verify(std::string(500, 'a'), "anything"));
}

TEST(PasswordHasherTest, InteractiveCostIsArgon2idOver64MiB) {
  const PasswordHasher hasher;  // the production default
  EXPECT_EQ(hasher.cost(), PasswordCost::interactive());
  auto hashed = hasher.hash("mot mat khau dai");
  ASSERT_TRUE(hashed);
  EXPECT_NE(hashed->find("$argon2id$v=19$m=65536,t=2,p=1$"), std::string::npos) << *hashed;
  EXPECT_TRUE(hasher.verify(*hashed, "mot mat khau dai"));
  EXPECT_FALSE(hasher.needs_rehash(*hashed));
}

TEST(PasswordHasherTest, NeedsRehashWhenTheCostDiffers) {
  const PasswordHasher cheap(PasswordCost::minimum());
  const PasswordHasher dearer(PasswordCost{2, 16 * 1024});
  auto hashed = cheap.hash("mot mat khau dai");
  ASSERT_TRUE(hashed);
  EXPECT_FALSE(cheap.needs_rehash(*hashed));
  EXPECT_TRUE(dearer.needs_rehash(*hashed));
  EXPECT_TRUE(cheap.needs_rehash("not a hash"));
  EXPECT_TRUE(cheap.needs_rehash(""));
  // A hash of another cost still verifies: the cost is read from the hash itself.
  EXPECT_TRUE(dearer.verify(*hashed, "mot mat khau dai"));
}

// An unknown username must cost as much hashing as a known one. Timing on a shared machine is noisy, so compare the
// fastest of three runs of each and demand only a third of the real cost (an empty dummy would take microseconds).
TEST(PasswordHasherTest, DummyVerificationCostsAboutAsMuchAsARealOne) {
  const PasswordHasher hasher;  // interactive: ~70 ms per verification
  auto hashed = hasher.hash("mot mat khau dai");
  ASSERT_TRUE(hashed);
  const auto fastest = [](auto&& work) {
    auto best = std::chrono::steady_clock::duration::max();
    for (int round = 0; round < 3; ++round) {
      const auto start = std::chrono::steady_clock::now();
      work();
      best = std::min(best, std::chrono::steady_clock::now() - start);
    }
    return best;
  };
  const auto real = fastest([&] { EXPECT_FALSE(hasher.verify(*hashed, "sai mat khau")); });
  const auto dummy = fastest([&] { hasher.verify_dummy("sai mat khau"); });
  EXPECT_GE(dummy * 3, real) << "dummy " << std::chrono::duration<double, std::milli>(dummy).count() << " ms, real "
                             << std::chrono::duration<double, std::milli>(real).count() << " ms";
}

TEST(RandomTokenTest, HexTokensHaveTwoCharactersPerByteAndDiffer) {
  const auto token = random_token_hex(32);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(is_lowercase_hex(token)) << token;
  EXPECT_NE(random_token_hex(32), token);
  EXPECT_EQ(random_token_hex(0), "");
  EXPECT_EQ(random_token_base64url(0), "");
}

TEST(RandomTokenTest, Base64UrlTokensAreCookieSafe) {
  std::set<std::string> seen;
  for (int round = 0; round < 50; ++round) {
    const auto token = random_token_base64url(32);
    EXPECT_EQ(token.size(), 43u) << token;
    EXPECT_TRUE(std::all_of(token.begin(), token.end(), [](char character) {
      return (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z') ||
             (character >= '0' && character <= '9') || character == '-' || character == '_';
    })) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(TokenHashTest, IsBlake2b256InHex) {
  // BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte output).
  EXPECT_EQ(token_hash(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  const auto hashed = token_hash("abc");
  EXPECT_EQ(hashed.size(), 64u);
  EXPECT_TRUE(is_lowercase_hex(hashed));
  EXPECT_EQ(token_hash("abc"), hashed);
  EXPECT_NE(token_hash("abd"), hashed);
}

TEST(ConstantTimeEqualsTest, ComparesWholeStrings) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("secret-token", "secret-token"));
  EXPECT_FALSE(constant_time_equals("secret-token", "secret-tokeN"));
  EXPECT_FALSE(constant_time_equals("secret-token", "Secret-token"));
  EXPECT_FALSE(constant_time_equals("secret-token", "secret-token-longer"));
  EXPECT_FALSE(constant_time_equals("secret", ""));
}

}  // namespace
}  // namespace dvchub::accounts
