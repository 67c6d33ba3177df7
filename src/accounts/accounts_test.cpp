#include "accounts/accounts.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/dates.h"
#include "support/test_database.h"

namespace dvchub::accounts {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;
using namespace std::chrono_literals;

const audit::Actor test_actor = audit::Actor::system("test");

class AccountServiceTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    service_ = std::make_unique<AccountService>(database(), clock_, options());
    auto connection = acquire();
    auto unit = connection->query_one(
        "INSERT INTO units (code, kind, valid_from, created_at) VALUES ('X01', 'commune', '2025-07-01', 0) "
        "RETURNING id");
    ASSERT_TRUE(is_ok(unit));
    ASSERT_TRUE(unit->has_value());
    unit_id_ = (*unit)->integer(0);
  }

  void TearDown() override {
    service_.reset();
    BackendTest::TearDown();
  }

  // Cheap hashing keeps the suite fast; the production cost is tested in password_hasher_test.cpp.
  virtual AccountOptions options() const {
    AccountOptions options;
    options.password_cost = PasswordCost::minimum();
    return options;
  }

  User create(std::string username, std::string role = "officer", std::string password = "mat-khau-dung-1") {
    auto user = service_->create_user(
        NewUser{std::move(username), "Nguyễn Văn Cán Bộ", std::move(password), std::move(role), unit_id_}, test_actor);
    EXPECT_TRUE(is_ok(user));
    return user ? *user : User{};
  }

  // Every audit record, newest first. Read with plain SQL so these tests depend only on what is stored.
  std::vector<audit::Entry> audit_entries() {
    auto connection = acquire();
    auto rows = connection->query(
        "SELECT id, actor_user_id, actor, action, entity_type, entity_key, before_state, after_state, request_id, "
        "remote_address FROM audit_log ORDER BY id DESC");
    EXPECT_TRUE(is_ok(rows));
    std::vector<audit::Entry> entries;
    if (!rows) return entries;
    for (const auto& row : *rows) {
      audit::Entry entry;
      entry.id = row.integer(0);
      entry.actor_user_id = row.optional_integer(1);
      entry.actor = row.text(2);
      entry.change = audit::Change{row.text(3), row.text(4), row.text(5), row.optional_text(6), row.optional_text(7)};
      entry.request_id = row.text(8);
      entry.remote_address = row.text(9);
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  ManualClock clock_{from_unix_seconds(1'750'000'000)};
  std::unique_ptr<AccountService> service_;
  std::int64_t unit_id_ = 0;
};

std::string field_message(const Error& error, const std::string& field) {
  for (const auto& each : error.fields) {
    if (each.field == field) return each.message;
  }
  return {};
}

TEST_P(AccountServiceTest, CreatesAUserAndFindsIt) {
  const User created = create("can.bo_01");
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.role, Role::officer);
  EXPECT_EQ(created.unit_id, unit_id_);
  auto found = service_->find_user(created.id);
  ASSERT_TRUE(is_ok(found));
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "can.bo_01");
  EXPECT_EQ((*found)->display_name, "Nguyễn Văn Cán Bộ");
  EXPECT_TRUE((*found)->active);
  auto by_name = service_->find_user_by_username("can.bo_01");
  ASSERT_TRUE(is_ok(by_name));
  ASSERT_TRUE(by_name->has_value());
  EXPECT_EQ((*by_name)->id, created.id);
  auto missing = service_->find_user_by_username("nobody");
  ASSERT_TRUE(is_ok(missing));
  EXPECT_FALSE(missing->has_value());
}

TEST_P(AccountServiceTest, AdministratorsSetACheckedEMailAddressOrClearIt) {
  const User officer = create("can.bo");
  EXPECT_EQ(officer.email, "");
  ASSERT_TRUE(is_ok(service_->set_email(officer.id, "  can.bo@xa.soctrang.gov.vn ", test_actor)));
  EXPECT_EQ((*service_->find_user(officer.id))->email, "can.bo@xa.soctrang.gov.vn");
  auto refused = service_->set_email(officer.id, "can.bo@xa.vn\r\nBcc: x@y.vn", test_actor);
  ASSERT_TRUE(fails_with(refused, ErrorCode::invalid_input));
  EXPECT_FALSE(field_message(refused.error(), "email").empty());
  EXPECT_EQ((*service_->find_user(officer.id))->email, "can.bo@xa.soctrang.gov.vn");
  EXPECT_TRUE(fails_with(service_->set_email(officer.id + 100, "a@b.vn", test_actor), ErrorCode::not_found));
  const auto records = audit_entries().size();
  ASSERT_TRUE(is_ok(service_->set_email(officer.id, "can.bo@xa.soctrang.gov.vn", test_actor)));
  EXPECT_EQ(audit_entries().size(), records);  // nothing changed, nothing audited
  ASSERT_TRUE(is_ok(service_->set_email(officer.id, "", test_actor)));
  EXPECT_EQ((*service_->find_user(officer.id))->email, "");
  EXPECT_EQ(audit_entries().front().change.action, "user.email");
}

TEST_P(AccountServiceTest, TheSessionCarriesTheUnreadNotificationCount) {
  const User officer = create("can.bo");
  auto signed_in = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(signed_in));
  EXPECT_EQ((*service_->authenticate(signed_in->token))->unread_notifications, 0);
  auto connection = acquire();
  for (int index = 0; index < 3; ++index) {
    ASSERT_TRUE(is_ok(connection->execute(
        "INSERT INTO notifications (user_id, notice_key, title, body, created_at, read_at) VALUES ($1, $2, 't', '', 0, $3)",
        {officer.id, "k" + std::to_string(index), index == 0 ? storage::Value{std::int64_t{5}} : storage::null_value()})));
  }
  EXPECT_EQ((*service_->authenticate(signed_in->token))->unread_notifications, 2);
}

TEST_P(AccountServiceTest, ValidatesEveryFieldWithItsOwnMessage) {
  auto refused = service_->create_user(NewUser{"AB", "   ", "short", "boss", std::nullopt}, test_actor);
  ASSERT_TRUE(fails_with(refused, ErrorCode::invalid_input));
  const Error& error = refused.error();
  EXPECT_EQ(error.fields.size(), 4u);
  EXPECT_EQ(field_message(error, "username"),
            "Tên đăng nhập chỉ gồm chữ thường không dấu (a-z), chữ số và các dấu . _ -");
  EXPECT_EQ(field_message(error, "display_name"), "Vui lòng nhập họ tên");
  EXPECT_EQ(field_message(error, "password"), "Mật khẩu phải có ít nhất 10 ký tự");
  EXPECT_NE(field_message(error, "role").find("Vai trò phải là admin"), std::string::npos);

  auto too_short = service_->create_user(NewUser{"ab", "Tên", "mat-khau-dung-1", "viewer", std::nullopt}, test_actor);
  ASSERT_TRUE(fails_with(too_short, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(too_short.error(), "username"), "Tên đăng nhập phải dài từ 3 đến 40 ký tự");
  auto too_long = service_->create_user(
      NewUser{std::string(41, 'a'), "Tên", "mat-khau-dung-1", "viewer", std::nullopt}, test_actor);
  ASSERT_TRUE(fails_with(too_long, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(too_long.error(), "username"), "Tên đăng nhập phải dài từ 3 đến 40 ký tự");

  auto same_as_name =
      service_->create_user(NewUser{"nguyenvana1", "Tên", "NguyenVanA1", "viewer", std::nullopt}, test_actor);
  ASSERT_TRUE(fails_with(same_as_name, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(same_as_name.error(), "password"), "Mật khẩu không được trùng với tên đăng nhập");

  // Ten characters, fewer than ten... bytes would say otherwise: length is counted in characters.
  auto accented = service_->create_user(NewUser{"viewer1", "Tên", "mậtkhẩuđủ1", "viewer", std::nullopt}, test_actor);
  EXPECT_TRUE(is_ok(accented));
  auto nine_accented = service_->create_user(NewUser{"viewer2", "Tên", "ậậậậậậậậậ", "viewer", std::nullopt}, test_actor);
  ASSERT_TRUE(fails_with(nine_accented, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(nine_accented.error(), "password"), "Mật khẩu phải có ít nhất 10 ký tự");

  auto officer_without_unit =
      service_->create_user(NewUser{"officer1", "Tên", "mat-khau-dung-1", "officer", std::nullopt}, test_actor);
  ASSERT_TRUE(fails_with(officer_without_unit, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(officer_without_unit.error(), "unit_id"),
            "Cán bộ đơn vị phải thuộc một đơn vị: hãy chọn đơn vị");
  auto unknown_unit =
      service_->create_user(NewUser{"officer1", "Tên", "mat-khau-dung-1", "officer", unit_id_ + 1000}, test_actor);
  ASSERT_TRUE(fails_with(unknown_unit, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(unknown_unit.error(), "unit_id"), "Đơn vị này không tồn tại");

  auto users = service_->list_users();
  ASSERT_TRUE(is_ok(users));
  EXPECT_EQ(users->size(), 1u) << "only viewer1 passed validation";
}

TEST_P(AccountServiceTest, DuplicateUsernameIsAConflict) {
  create("trung.ten");
  auto again = service_->create_user(NewUser{" trung.ten ", "Người khác", "mat-khau-khac-2", "viewer", std::nullopt},
                                     test_actor);
  ASSERT_TRUE(fails_with(again, ErrorCode::conflict));
  EXPECT_EQ(field_message(again.error(), "username"), "Tên đăng nhập này đã có người dùng, hãy chọn tên khác");
}

TEST_P(AccountServiceTest, ListsUsersByUsername) {
  create("charlie", "viewer");
  create("alpha", "admin");
  create("bravo", "coordinator");
  auto users = service_->list_users();
  ASSERT_TRUE(is_ok(users));
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].username, "alpha");
  EXPECT_EQ((*users)[0].role, Role::admin);
  EXPECT_EQ((*users)[1].username, "bravo");
  EXPECT_EQ((*users)[2].username, "charlie");
}

TEST_P(AccountServiceTest, SignInGivesAPrincipalWithTheRoleAndStoresOnlyTheTokenHash) {
  const User officer = create("can.bo");
  auto signed_in = service_->sign_in("  Can.Bo ", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(signed_in));
  EXPECT_EQ(signed_in->token.size(), 43u);
  EXPECT_EQ(signed_in->principal.user_id, officer.id);
  EXPECT_EQ(signed_in->principal.username, "can.bo");
  EXPECT_EQ(signed_in->principal.role, "officer");
  EXPECT_EQ(signed_in->principal.unit_id, unit_id_);
  EXPECT_EQ(signed_in->principal.csrf_token.size(), 43u);
  EXPECT_EQ(signed_in->principal.session_token_hash, token_hash(signed_in->token));
  EXPECT_EQ(signed_in->expires_at, clock_.now() + 12h);

  auto authenticated = service_->authenticate(signed_in->token);
  ASSERT_TRUE(is_ok(authenticated));
  ASSERT_TRUE(authenticated->has_value());
  EXPECT_EQ((*authenticated)->user_id, officer.id);
  EXPECT_EQ((*authenticated)->role, "officer");
  EXPECT_EQ((*authenticated)->unit_id, unit_id_);
  EXPECT_EQ((*authenticated)->csrf_token, signed_in->principal.csrf_token);
  EXPECT_TRUE(csrf_token_matches(**authenticated, signed_in->principal.csrf_token));

  auto connection = acquire();
  auto by_token = connection->query_one("SELECT user_id FROM sessions WHERE token_hash = $1", {signed_in->token});
  ASSERT_TRUE(is_ok(by_token));
  EXPECT_FALSE(by_token->has_value()) << "the raw token must never be stored";
  auto by_hash = connection->query_one("SELECT user_id, remote_address FROM sessions WHERE token_hash = $1",
                                       {token_hash(signed_in->token)});
  ASSERT_TRUE(is_ok(by_hash));
  ASSERT_TRUE(by_hash->has_value());
  EXPECT_EQ((*by_hash)->integer(0), officer.id);
  EXPECT_EQ((*by_hash)->text(1), "203.0.113.5");

  auto other = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(other));
  EXPECT_NE(other->token, signed_in->token);
  EXPECT_NE(other->principal.csrf_token, signed_in->principal.csrf_token);

  auto forged = service_->authenticate(std::string(43, 'A'));
  ASSERT_TRUE(is_ok(forged));
  EXPECT_FALSE(forged->has_value());
  auto empty = service_->authenticate("");
  ASSERT_TRUE(is_ok(empty));
  EXPECT_FALSE(empty->has_value());
}

TEST_P(AccountServiceTest, WrongPasswordAndUnknownUserFailAlike) {
  create("can.bo");
  auto wrong = service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5");
  ASSERT_TRUE(fails_with(wrong, ErrorCode::unauthenticated));
  auto unknown = service_->sign_in("khong.co", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(fails_with(unknown, ErrorCode::unauthenticated));
  EXPECT_EQ(wrong.error().message, "Tên đăng nhập hoặc mật khẩu không đúng");
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_TRUE(wrong.error().fields.empty());
}

TEST_P(AccountServiceTest, FiveWrongPasswordsLockTheAccountForFifteenMinutes) {
  create("can.bo");
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::unauthenticated))
        << "attempt " << attempt;
  }
  auto fifth = service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5");
  ASSERT_TRUE(fails_with(fifth, ErrorCode::too_many_requests));
  EXPECT_EQ(fifth.error().message, "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.");

  // The right password, even from another address, is refused while the account is locked.
  auto right = service_->sign_in("can.bo", "mat-khau-dung-1", "198.51.100.9");
  ASSERT_TRUE(fails_with(right, ErrorCode::too_many_requests));
  EXPECT_EQ(right.error().message, "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.");

  clock_.advance(14min + 30s);
  auto almost = service_->sign_in("can.bo", "mat-khau-dung-1", "198.51.100.9");
  ASSERT_TRUE(fails_with(almost, ErrorCode::too_many_requests));
  EXPECT_EQ(almost.error().message, "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 1 phút.");

  clock_.advance(30s);
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo", "mat-khau-dung-1", "198.51.100.9")));
  // After the lock the count starts again: one more mistake does not lock.
  EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-sai-1", "198.51.100.9"), ErrorCode::unauthenticated));
}

TEST_P(AccountServiceTest, UnknownAccountsLockLikeKnownOnes) {
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_TRUE(fails_with(service_->sign_in("khong.co", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::unauthenticated));
  }
  EXPECT_TRUE(fails_with(service_->sign_in("khong.co", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::too_many_requests));
}

TEST_P(AccountServiceTest, FailuresOutsideTheWindowDoNotAddUp) {
  create("can.bo");
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::unauthenticated));
  }
  clock_.advance(15min);
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::unauthenticated))
        << "attempt " << attempt << " of the second window";
  }
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5")));
}

TEST_P(AccountServiceTest, SuccessClearsTheAccountCount) {
  create("can.bo");
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::unauthenticated));
  }
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5")));
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::unauthenticated));
  }
}

TEST_P(AccountServiceTest, TwentyFailuresFromOneAddressLockTheAddress) {
  for (int index = 0; index < 5; ++index) create("can.bo." + std::to_string(index));
  // Four failures for each of five accounts: no account reaches its limit, the address reaches 20.
  for (int attempt = 0; attempt < 19; ++attempt) {
    EXPECT_TRUE(fails_with(service_->sign_in("can.bo." + std::to_string(attempt % 5), "mat-khau-sai-1", "203.0.113.5"),
                           ErrorCode::unauthenticated))
        << "attempt " << attempt + 1;
  }
  EXPECT_TRUE(fails_with(service_->sign_in("can.bo.4", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::too_many_requests));
  // A right password from that address is refused; the same account from elsewhere is not.
  EXPECT_TRUE(fails_with(service_->sign_in("can.bo.0", "mat-khau-dung-1", "203.0.113.5"), ErrorCode::too_many_requests));
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo.0", "mat-khau-dung-1", "198.51.100.9")));
  clock_.advance(15min);
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo.1", "mat-khau-dung-1", "203.0.113.5")));
}

// Concurrent failures must each be counted (one atomic upsert each): 4 threads x 5 failures reach the limit of 20.
// The usernames break the username rules, so only the address counts them.
TEST_P(AccountServiceTest, ConcurrentFailuresAreAllCounted) {
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&] {
      for (int attempt = 0; attempt < 5; ++attempt) {
        auto result = service_->sign_in("X!", "mat-khau-sai-1", "203.0.113.77");
        if (result || (result.error().code != ErrorCode::unauthenticated &&
                       result.error().code != ErrorCode::too_many_requests)) {
          ++unexpected;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  create("can.bo");
  EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.77"), ErrorCode::too_many_requests));
}

TEST_P(AccountServiceTest, ChangingThePasswordSignsOutEverySession) {
  const User officer = create("can.bo");
  const User other = create("can.bo.khac");
  auto laptop = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  auto phone = service_->sign_in("can.bo", "mat-khau-dung-1", "198.51.100.9");
  auto someone_else = service_->sign_in("can.bo.khac", "mat-khau-dung-1", "198.51.100.9");
  ASSERT_TRUE(is_ok(laptop) && is_ok(phone) && is_ok(someone_else));

  ASSERT_TRUE(is_ok(service_->change_password(officer.id, "mat-khau-moi-22", test_actor)));
  for (const auto* session : {&*laptop, &*phone}) {
    auto principal = service_->authenticate(session->token);
    ASSERT_TRUE(is_ok(principal));
    EXPECT_FALSE(principal->has_value());
  }
  auto untouched = service_->authenticate(someone_else->token);
  ASSERT_TRUE(is_ok(untouched));
  EXPECT_TRUE(untouched->has_value()) << "another user's session must survive";

  EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5"), ErrorCode::unauthenticated));
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo", "mat-khau-moi-22", "203.0.113.5")));

  auto weak = service_->change_password(officer.id, "ngan", test_actor);
  ASSERT_TRUE(fails_with(weak, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(weak.error(), "new_password"), "Mật khẩu phải có ít nhất 10 ký tự");
  EXPECT_TRUE(fails_with(service_->change_password(other.id + 1000, "mat-khau-moi-22", test_actor),
                         ErrorCode::not_found));
}

TEST_P(AccountServiceTest, ChangingOwnPasswordNeedsTheCurrentOne) {
  create("can.bo");
  auto session = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(session));
  auto wrong = service_->change_own_password(session->principal, "doan-bua-1234", "mat-khau-moi-22", test_actor);
  ASSERT_TRUE(fails_with(wrong, ErrorCode::invalid_input));
  EXPECT_EQ(field_message(wrong.error(), "current_password"), "Mật khẩu hiện tại không đúng");
  auto still = service_->authenticate(session->token);
  ASSERT_TRUE(is_ok(still));
  EXPECT_TRUE(still->has_value()) << "a refused change ends no session";

  ASSERT_TRUE(is_ok(service_->change_own_password(session->principal, "mat-khau-dung-1", "mat-khau-moi-22", test_actor)));
  auto ended = service_->authenticate(session->token);
  ASSERT_TRUE(is_ok(ended));
  EXPECT_FALSE(ended->has_value());
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo", "mat-khau-moi-22", "203.0.113.5")));
}

TEST_P(AccountServiceTest, GuessingTheCurrentPasswordIsThrottled) {
  create("can.bo");
  auto session = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(session));
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_TRUE(fails_with(service_->change_own_password(session->principal, "doan-bua-1234", "mat-khau-moi-22", test_actor),
                           ErrorCode::invalid_input));
  }
  EXPECT_TRUE(fails_with(service_->change_own_password(session->principal, "doan-bua-1234", "mat-khau-moi-22", test_actor),
                         ErrorCode::too_many_requests));
  EXPECT_TRUE(fails_with(service_->change_own_password(session->principal, "mat-khau-dung-1", "mat-khau-moi-22", test_actor),
                         ErrorCode::too_many_requests));
}

TEST_P(AccountServiceTest, SessionsExpireAfterTwelveHours) {
  create("can.bo");
  auto session = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(session));
  clock_.advance(12h - 1s);
  auto before = service_->authenticate(session->token);
  ASSERT_TRUE(is_ok(before));
  EXPECT_TRUE(before->has_value());
  clock_.advance(1s);
  auto after = service_->authenticate(session->token);
  ASSERT_TRUE(is_ok(after));
  EXPECT_FALSE(after->has_value());

  auto purged = service_->purge_expired();
  ASSERT_TRUE(is_ok(purged));
  EXPECT_GE(*purged, 1);
  auto connection = acquire();
  auto left = connection->query_one("SELECT COUNT(*) FROM sessions");
  ASSERT_TRUE(is_ok(left));
  EXPECT_EQ((*left)->integer(0), 0);
}

class ShortSessionTest : public AccountServiceTest {
 protected:
  AccountOptions options() const override {
    auto options = AccountServiceTest::options();
    options.session_lifetime = 1h;
    return options;
  }
};

TEST_P(ShortSessionTest, TheLifetimeIsConfigurable) {
  create("can.bo");
  auto session = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(session));
  EXPECT_EQ(session->expires_at, clock_.now() + 1h);
  EXPECT_EQ(service_->session_lifetime(), 1h);
  clock_.advance(1h);
  auto after = service_->authenticate(session->token);
  ASSERT_TRUE(is_ok(after));
  EXPECT_FALSE(after->has_value());
}

TEST_P(AccountServiceTest, SignOutEndsOnlyThatSession) {
  create("can.bo");
  auto first = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  auto second = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(first) && is_ok(second));
  ASSERT_TRUE(is_ok(service_->sign_out(first->token, test_actor)));
  auto ended = service_->authenticate(first->token);
  ASSERT_TRUE(is_ok(ended));
  EXPECT_FALSE(ended->has_value());
  auto kept = service_->authenticate(second->token);
  ASSERT_TRUE(is_ok(kept));
  EXPECT_TRUE(kept->has_value());
  EXPECT_TRUE(is_ok(service_->sign_out(first->token, test_actor))) << "signing out twice is harmless";
}

TEST_P(AccountServiceTest, DeactivatedAccountsCannotSignInAndLoseTheirSessions) {
  create("quan.tri", "admin");
  const User officer = create("can.bo");
  auto session = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(is_ok(session));
  ASSERT_TRUE(is_ok(service_->set_active(officer.id, false, test_actor)));
  auto gone = service_->authenticate(session->token);
  ASSERT_TRUE(is_ok(gone));
  EXPECT_FALSE(gone->has_value());
  auto refused = service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5");
  ASSERT_TRUE(fails_with(refused, ErrorCode::forbidden));
  EXPECT_EQ(refused.error().message, "Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên.");
  // A deactivated account with a wrong password gets the generic answer, which reveals nothing.
  EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "mat-khau-sai-1", "203.0.113.5"), ErrorCode::unauthenticated));

  ASSERT_TRUE(is_ok(service_->set_active(officer.id, true, test_actor)));
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5")));
}

TEST_P(AccountServiceTest, TheLastActiveAdminCannotBeDeactivated) {
  const User first = create("quan.tri.1", "admin");
  EXPECT_TRUE(fails_with(service_->set_active(first.id, false, test_actor), ErrorCode::conflict));
  const User second = create("quan.tri.2", "admin");
  EXPECT_TRUE(is_ok(service_->set_active(first.id, false, test_actor)));
  EXPECT_TRUE(fails_with(service_->set_active(second.id, false, test_actor), ErrorCode::conflict));
  EXPECT_TRUE(fails_with(service_->set_active(second.id + 1000, false, test_actor), ErrorCode::not_found));
}

TEST_P(AccountServiceTest, AuditsChangesWithoutPasswordMaterial) {
  const User officer = create("can.bo", "officer", "mat-khau-dung-1");
  ASSERT_TRUE(is_ok(service_->change_password(officer.id, "mat-khau-moi-22", test_actor)));
  EXPECT_TRUE(fails_with(service_->sign_in("can.bo", "doan-sai-9999", "203.0.113.5"), ErrorCode::unauthenticated));
  EXPECT_TRUE(is_ok(service_->sign_in("can.bo", "mat-khau-moi-22", "203.0.113.5", "request-42")));
  create("quan.tri", "admin");
  ASSERT_TRUE(is_ok(service_->set_active(officer.id, false, test_actor)));

  const auto entries = audit_entries();
  std::vector<std::string> actions;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) actions.push_back(it->change.action);
  ASSERT_EQ(actions, (std::vector<std::string>{"user.create", "user.password_change", "user.sign_in_failure",
                                               "user.sign_in", "user.create", "user.deactivate"}));
  auto connection = acquire();
  auto stored_hash = connection->query_one("SELECT password_hash FROM users WHERE id = $1", {officer.id});
  ASSERT_TRUE(is_ok(stored_hash) && stored_hash->has_value());
  for (const auto& entry : entries) {
    SCOPED_TRACE(entry.change.action);
    EXPECT_EQ(entry.change.entity_type, "user");
    for (const auto& state : {entry.change.before_json, entry.change.after_json}) {
      if (!state) continue;
      for (const char* secret : {"mat-khau-dung-1", "mat-khau-moi-22", "doan-sai-9999", "argon2", "password_hash"}) {
        EXPECT_EQ(state->find(secret), std::string::npos) << secret << " in " << *state;
      }
      EXPECT_EQ(state->find((*stored_hash)->text(0)), std::string::npos);
    }
  }
  const auto& creation = entries.back();
  EXPECT_EQ(creation.change.entity_key, std::to_string(officer.id));
  EXPECT_FALSE(creation.change.before_json.has_value());
  ASSERT_TRUE(creation.change.after_json.has_value());
  EXPECT_NE(creation.change.after_json->find("\"username\":\"can.bo\""), std::string::npos);
  EXPECT_NE(creation.change.after_json->find("\"role\":\"officer\""), std::string::npos);
  EXPECT_EQ(creation.actor, "test");

  const auto& password_change = entries[entries.size() - 2];
  ASSERT_TRUE(password_change.change.after_json.has_value());
  EXPECT_NE(password_change.change.after_json->find("\"sessions_ended\":0"), std::string::npos);

  const auto& failure = entries[entries.size() - 3];
  ASSERT_TRUE(failure.change.after_json.has_value());
  EXPECT_NE(failure.change.after_json->find("\"reason\":\"wrong_password\""), std::string::npos);
  EXPECT_EQ(failure.remote_address, "203.0.113.5");
  EXPECT_EQ(failure.actor_user_id, officer.id);

  const auto& sign_in = entries[entries.size() - 4];
  EXPECT_EQ(sign_in.request_id, "request-42");
  EXPECT_EQ(sign_in.actor, "can.bo");

  const auto& deactivation = entries.front();
  ASSERT_TRUE(deactivation.change.before_json && deactivation.change.after_json);
  EXPECT_NE(deactivation.change.before_json->find("\"active\":true"), std::string::npos);
  EXPECT_NE(deactivation.change.after_json->find("\"active\":false"), std::string::npos);
}

TEST_P(AccountServiceTest, OutdatedHashesAreUpgradedAtSignIn) {
  const User officer = create("can.bo");
  AccountOptions dearer = options();
  dearer.password_cost = PasswordCost{2, 16 * 1024};
  AccountService upgraded(database(), clock_, dearer);
  ASSERT_TRUE(is_ok(upgraded.sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5")));
  auto connection = acquire();
  auto stored = connection->query_one("SELECT password_hash FROM users WHERE id = $1", {officer.id});
  ASSERT_TRUE(is_ok(stored) && stored->has_value());
  EXPECT_NE((*stored)->text(0).find("$m=16,t=2,p=1$"), std::string::npos) << (*stored)->text(0);
  EXPECT_TRUE(is_ok(upgraded.sign_in("can.bo", "mat-khau-dung-1", "203.0.113.5")));
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(AccountServiceTest);
DVCHUB_INSTANTIATE_BACKEND_TESTS(ShortSessionTest);

}  // namespace
}  // namespace dvchub::accounts
