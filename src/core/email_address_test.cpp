#include "core/email_address.h"

#include <gtest/gtest.h>

namespace dvchub {
namespace {

TEST(EmailAddressTest, AcceptsOrdinaryAddresses) {
  EXPECT_EQ(email_address_problem("canbo.xa@soctrang.gov.vn"), std::nullopt);
  EXPECT_EQ(email_address_problem("van-thu+phan.anh@my-tu.soctrang.gov.vn"), std::nullopt);
}

TEST(EmailAddressTest, RefusesWhatCouldInjectAHeaderOrACommand) {
  for (const char* address : {"", "canbo", "a@b@c.vn", "canbo@localhost", "canbo@soctrang.gov.vn\r\nBcc: x@y.vn",
                              "canbo@soctrang.gov.vn\n", "Cán Bộ <canbo@soctrang.gov.vn>", "can bo@soctrang.gov.vn",
                              "\"canbo\"@soctrang.gov.vn", ".canbo@soctrang.gov.vn", "can..bo@soctrang.gov.vn",
                              "canbo@-soctrang.gov.vn", "canbo@soctrang..gov.vn", "canbo@soctrang.gov.vn.",
                              "cánbộ@soctrang.gov.vn", "canbo@sóctrăng.vn"}) {
    EXPECT_NE(email_address_problem(address), std::nullopt) << address;
  }
  EXPECT_NE(email_address_problem(std::string(65, 'a') + "@soctrang.gov.vn"), std::nullopt);
  EXPECT_NE(email_address_problem("a@" + std::string(250, 'b') + ".vn"), std::nullopt);
}

}  // namespace
}  // namespace dvchub
