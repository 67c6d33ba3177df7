#include "config/configuration.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace dvchub::config {
namespace {

EnvironmentLookup environment_of(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

TEST(Configuration, DefaultsServeSqliteUnderWorkingDirectory) {
  auto configuration = load_configuration("", environment_of({}));
  ASSERT_TRUE(configuration) << configuration.error().message;
  EXPECT_EQ(configuration->database_url,
            "sqlite://" + (std::filesystem::current_path() / "var" / "dvchub.db").string());
  EXPECT_EQ(configuration->listen_address, "127.0.0.1");
  EXPECT_EQ(configuration->listen_port, 8080);
}

TEST(Configuration, EnvironmentOverridesFile) {
  auto path = std::filesystem::temp_directory_path() / "dvchub_configuration_test.toml";
  {
    std::ofstream file(path);
    file << "[database]\nurl = \"postgresql://file@localhost/db\"\n[server]\nlisten = \"0.0.0.0:9000\"\n"
            "worker_threads = 3\n";
  }
  auto configuration = load_configuration(
      path.string(), environment_of({{"DVCHUB_LISTEN", "127.0.0.1:9100"}, {"DVCHUB_SECURE_COOKIES", "true"}}));
  std::filesystem::remove(path);
  ASSERT_TRUE(configuration) << configuration.error().message;
  EXPECT_EQ(configuration->database_url, "postgresql://file@localhost/db");
  EXPECT_EQ(configuration->listen_port, 9100);
  EXPECT_EQ(configuration->worker_threads, 3u);
  EXPECT_TRUE(configuration->secure_cookies);
}

TEST(Configuration, RejectsBadValuesWithVietnameseMessages) {
  auto bad_port = load_configuration("", environment_of({{"DVCHUB_LISTEN", "127.0.0.1:99999"}}));
  ASSERT_FALSE(bad_port);
  EXPECT_NE(bad_port.error().message.find("cổng"), std::string::npos);
  auto missing_file = load_configuration("/nonexistent/dvchub.toml", environment_of({}));
  ASSERT_FALSE(missing_file);
  EXPECT_NE(missing_file.error().message.find("Không tìm thấy"), std::string::npos);
  auto bad_boolean = load_configuration("", environment_of({{"DVCHUB_SECURE_COOKIES", "maybe"}}));
  ASSERT_FALSE(bad_boolean);
}

TEST(Configuration, PublicUrlDefaultsToTheListenAddressAndIsChecked) {
  auto defaults = load_configuration("", environment_of({{"DVCHUB_LISTEN", "[::1]:9100"}}));
  ASSERT_TRUE(defaults);
  EXPECT_EQ(public_url_of(*defaults), "http://[::1]:9100");
  auto set = load_configuration("", environment_of({{"DVCHUB_PUBLIC_URL", "https://dvc.example.gov.vn/"}}));
  ASSERT_TRUE(set);
  EXPECT_EQ(public_url_of(*set), "https://dvc.example.gov.vn");
  for (const char* bad : {"dvc.example.gov.vn", "javascript:alert(1)", "https://a b", "https://x/?q=1"}) {
    auto refused = load_configuration("", environment_of({{"DVCHUB_PUBLIC_URL", bad}}));
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("public_url"), std::string::npos);
  }
}

TEST(Configuration, MailSettingsHaveDefaultsAndAreChecked) {
  auto defaults = load_configuration("", environment_of({}));
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->smtp_url, "smtp://127.0.0.1:25");
  EXPECT_EQ(defaults->mail_from, "dvchub <noreply@dvchub.localhost>");
  auto set = load_configuration("", environment_of({{"DVCHUB_SMTP_URL", "smtp://relay.soctrang.gov.vn:587"},
                                                    {"DVCHUB_MAIL_FROM", "UBND <dvc@soctrang.gov.vn>"}}));
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->smtp_url, "smtp://relay.soctrang.gov.vn:587");
  EXPECT_EQ(set->mail_from, "UBND <dvc@soctrang.gov.vn>");
  for (const char* bad : {"http://relay:25", "smtp://relay:25\r\nRCPT TO:<x@y.vn>", "relay:25"}) {
    EXPECT_FALSE(load_configuration("", environment_of({{"DVCHUB_SMTP_URL", bad}}))) << bad;
  }
}

TEST(Configuration, ParsesIpv6Listen) {
  auto listen = parse_listen("[::1]:8081");
  ASSERT_TRUE(listen);
  EXPECT_EQ(listen->first, "::1");
  EXPECT_EQ(listen->second, 8081);
}

}  // namespace
}  // namespace dvchub::config
