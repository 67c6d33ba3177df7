#include "privacy/personal_data.h"

#include <gtest/gtest.h>

namespace dvchub::privacy {
namespace {

TEST(PersonalData, MasksIdentityAndPhoneNumbersInAnyGrouping) {
  EXPECT_EQ(mask_personal_data("cccd của tôi là 079123456789 nhé"), "cccd của tôi là *** nhé");
  EXPECT_EQ(mask_personal_data("số 079 123 456 789"), "số ***");
  EXPECT_EQ(mask_personal_data("gọi 0912.345.678 hoặc +84912345678"), "gọi *** hoặc ***");
  EXPECT_TRUE(find_personal_data("cmnd 123456789").identity_number);
  EXPECT_TRUE(find_personal_data("sdt 0912345678").phone_number);
}

TEST(PersonalData, LeavesOrdinaryNumbersAlone) {
  const std::string text = "thủ tục 1.001193 mất 3 ngày, lệ phí 50.000 đồng, năm 2025";
  EXPECT_EQ(mask_personal_data(text), text);
  EXPECT_FALSE(find_personal_data(text).any());
}

TEST(PersonalData, MasksEmailsAndSecretsAfterCues) {
  EXPECT_EQ(mask_personal_data("mail an.nguyen@example.vn ạ"), "mail *** ạ");
  EXPECT_EQ(mask_personal_data("mk là Abc12345 mà ko vào dc"), "mk là *** mà ko vào dc");
  EXPECT_EQ(mask_personal_data("mã OTP: 482913"), "mã OTP: ***");
  EXPECT_TRUE(find_personal_data("mat khau abc123xyz").secret);
  EXPECT_FALSE(find_personal_data("quên mật khẩu thì làm sao").secret);
  EXPECT_FALSE(find_personal_data("không nhận được mã otp").secret);
}

}  // namespace
}  // namespace dvchub::privacy
