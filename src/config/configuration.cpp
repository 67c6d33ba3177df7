#include "config/configuration.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include <toml++/toml.h>

namespace dvchub::config {
namespace {

Result<std::int64_t> parse_number(const std::string& name, const std::string& text, std::int64_t minimum,
                                  std::int64_t maximum) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < minimum || value > maximum) {
    return fail(ErrorCode::invalid_input, name + ": cần một số nguyên từ " + std::to_string(minimum) + " đến " +
                                              std::to_string(maximum) + ", nhận được \"" + text + "\"");
  }
  return value;
}

Result<bool> parse_boolean(const std::string& name, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return fail(ErrorCode::invalid_input, name + ": cần true hoặc false, nhận được \"" + text + "\"");
}

Result<void> apply_listen(Configuration& configuration, const std::string& text) {
  auto [address, port] = DVCHUB_TRY(parse_listen(text));
  configuration.listen_address = address;
  configuration.listen_port = port;
  return {};
}

Result<void> apply_public_url(Configuration& configuration, std::string text) {
  while (!text.empty() && text.back() == '/') text.pop_back();
  const bool web_address = text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
  if (!text.empty() && (!web_address || text.find_first_of(" \"<>\\?#") != std::string::npos)) {
    return fail(ErrorCode::invalid_input,
                "Địa chỉ công khai (public_url) phải bắt đầu bằng http:// hoặc https://, nhận được \"" + text + "\"");
  }
  configuration.public_url = std::move(text);
  return {};
}

Result<void> apply_smtp_url(Configuration& configuration, const std::string& text) {
  const bool smtp = text.rfind("smtp://", 0) == 0 || text.rfind("smtps://", 0) == 0;
  if (!smtp || text.find_first_of(" \r\n\"<>") != std::string::npos) {
    return fail(ErrorCode::invalid_input,
                "Máy chủ thư (smtp_url) phải có dạng smtp://máy:cổng hoặc smtps://máy:cổng, nhận được \"" + text + "\"");
  }
  configuration.smtp_url = text;
  return {};
}

Result<void> apply_file(Configuration& configuration, const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return fail(ErrorCode::invalid_input, "Không tìm thấy tệp cấu hình " + path);
  }
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    return fail(ErrorCode::invalid_input, "Tệp cấu hình " + path + " sai cú pháp ở dòng " +
                                              std::to_string(error.source().begin.line) + ": " +
                                              std::string(error.description()));
  }
  if (auto value = table["database"]["url"].value<std::string>()) configuration.database_url = *value;
  if (auto value = table["database"]["pool_size"].value<std::int64_t>()) {
    configuration.database_pool_size = static_cast<std::size_t>(std::max<std::int64_t>(1, *value));
  }
  if (auto value = table["server"]["listen"].value<std::string>()) DVCHUB_TRY(apply_listen(configuration, *value));
  if (auto value = table["server"]["public_url"].value<std::string>()) {
    DVCHUB_TRY(apply_public_url(configuration, *value));
  }
  if (auto value = table["server"]["network_threads"].value<std::int64_t>()) {
    configuration.network_threads = static_cast<std::size_t>(std::max<std::int64_t>(0, *value));
  }
  if (auto value = table["server"]["worker_threads"].value<std::int64_t>()) {
    configuration.worker_threads = static_cast<std::size_t>(std::max<std::int64_t>(1, *value));
  }
  if (auto value = table["server"]["secure_cookies"].value<bool>()) configuration.secure_cookies = *value;
  if (auto value = table["server"]["session_hours"].value<std::int64_t>()) {
    configuration.session_hours = static_cast<int>(std::clamp<std::int64_t>(*value, 1, 24 * 30));
  }
  if (auto value = table["log"]["level"].value<std::string>()) configuration.log_level = *value;
  if (auto value = table["log"]["access_log"].value<bool>()) configuration.access_log = *value;
  if (auto value = table["mail"]["smtp_url"].value<std::string>()) DVCHUB_TRY(apply_smtp_url(configuration, *value));
  if (auto value = table["mail"]["from"].value<std::string>()) configuration.mail_from = *value;
  return {};
}

Result<void> apply_environment(Configuration& configuration, const EnvironmentLookup& environment) {
  if (auto value = environment("DVCHUB_DATABASE_URL")) configuration.database_url = *value;
  if (auto value = environment("DVCHUB_DATABASE_POOL_SIZE")) {
    configuration.database_pool_size =
        static_cast<std::size_t>(DVCHUB_TRY(parse_number("DVCHUB_DATABASE_POOL_SIZE", *value, 1, 256)));
  }
  if (auto value = environment("DVCHUB_LISTEN")) DVCHUB_TRY(apply_listen(configuration, *value));
  if (auto value = environment("DVCHUB_PUBLIC_URL")) DVCHUB_TRY(apply_public_url(configuration, *value));
  if (auto value = environment("DVCHUB_NETWORK_THREADS")) {
    configuration.network_threads =
        static_cast<std::size_t>(DVCHUB_TRY(parse_number("DVCHUB_NETWORK_THREADS", *value, 0, 256)));
  }
  if (auto value = environment("DVCHUB_WORKER_THREADS")) {
    configuration.worker_threads =
        static_cast<std::size_t>(DVCHUB_TRY(parse_number("DVCHUB_WORKER_THREADS", *value, 1, 1024)));
  }
  if (auto value = environment("DVCHUB_SECURE_COOKIES")) {
    configuration.secure_cookies = DVCHUB_TRY(parse_boolean("DVCHUB_SECURE_COOKIES", *value));
  }
  if (auto value = environment("DVCHUB_SESSION_HOURS")) {
    configuration.session_hours = static_cast<int>(DVCHUB_TRY(parse_number("DVCHUB_SESSION_HOURS", *value, 1, 720)));
  }
  if (auto value = environment("DVCHUB_LOG_LEVEL")) configuration.log_level = *value;
  if (auto value = environment("DVCHUB_ACCESS_LOG")) {
    configuration.access_log = DVCHUB_TRY(parse_boolean("DVCHUB_ACCESS_LOG", *value));
  }
  if (auto value = environment("DVCHUB_SMTP_URL")) DVCHUB_TRY(apply_smtp_url(configuration, *value));
  if (auto value = environment("DVCHUB_MAIL_FROM")) configuration.mail_from = *value;
  return {};
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string public_url_of(const Configuration& configuration) {
  if (!configuration.public_url.empty()) return configuration.public_url;
  const bool ipv6 = configuration.listen_address.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + configuration.listen_address + "]" : configuration.listen_address) + ":" +
         std::to_string(configuration.listen_port);
}

Result<std::pair<std::string, unsigned short>> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return fail(ErrorCode::invalid_input, "Địa chỉ lắng nghe phải có dạng địa_chỉ:cổng, ví dụ 127.0.0.1:8080");
  }
  std::string address = text.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  auto port = DVCHUB_TRY(parse_number("cổng", text.substr(colon + 1), 0, 65535));
  return std::pair{address, static_cast<unsigned short>(port)};
}

Result<Configuration> load_configuration(const std::string& file, const EnvironmentLookup& environment) {
  Configuration configuration;
  configuration.database_url =
      "sqlite://" + (std::filesystem::current_path() / "var" / "dvchub.db").lexically_normal().string();
  std::string path = file;
  if (path.empty()) path = environment("DVCHUB_CONFIG").value_or("");
  if (!path.empty()) DVCHUB_TRY(apply_file(configuration, path));
  DVCHUB_TRY(apply_environment(configuration, environment));
  return configuration;
}

}  // namespace dvchub::config
