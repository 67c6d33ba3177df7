#include "notification/smtp_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace dvchub::notification {
namespace {

// The message being uploaded, read by curl in pieces.
struct Upload {
  std::string text;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user_data) {
  auto* upload = static_cast<Upload*>(user_data);
  const std::size_t length = std::min(size * count, upload->text.size() - upload->offset);
  std::memcpy(buffer, upload->text.data() + upload->offset, length);
  upload->offset += length;
  return length;
}

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) { initialise_curl_once(); }

Result<void> SmtpTransport::send(const MailMessage& message) {
  Upload upload{DVCHUB_TRY(compose(message)), 0};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), &curl_easy_cleanup);
  if (!handle) return fail(ErrorCode::internal, "Không khởi tạo được bộ gửi thư", "curl_easy_init failed");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(
      curl_slist_append(nullptr, ("<" + message.to_address + ">").c_str()), &curl_slist_free_all);
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* curl = handle.get();
  curl_easy_setopt(curl, CURLOPT_URL, settings_.relay_url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + message.from_address + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) return {};
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  const std::string detail = std::string(curl_easy_strerror(code)) + (error_buffer[0] ? ": " : "") + error_buffer +
                             (reply ? " (SMTP " + std::to_string(reply) + ")" : "");
  if (reply >= 500) return fail(ErrorCode::invalid_input, "Máy chủ thư từ chối thư này", detail);
  return fail(ErrorCode::unavailable, "Chưa gửi được thư qua máy chủ thư", detail);
}

}  // namespace dvchub::notification
