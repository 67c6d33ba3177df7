// notification/smtp_transport.h — sends composed e-mails to an SMTP relay. The one adapter over libcurl (its SMTP
// support); nothing else includes curl.
#pragma once

#include <chrono>
#include <string>

#include "core/error.h"
#include "notification/mail_message.h"

namespace dvchub::notification {

// Where and how long: `relay_url` is "smtp://host:port" (or "smtps://…" for TLS from the first byte; "smtp://" uses
// STARTTLS when the relay offers it).
struct SmtpSettings {
  std::string relay_url = "smtp://127.0.0.1:25";
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{30};  // the whole conversation
};

// Thread-safe: every send() uses its own curl handle.
class SmtpTransport {
 public:
  // Keeps the settings; initialises libcurl once per process. Connects only in send().
  explicit SmtpTransport(SmtpSettings settings);
  // Hands `message` to the relay. Errors: ErrorCode::unavailable when the relay cannot be reached or answers with a
  // temporary failure (4xx: try again later); ErrorCode::invalid_input when it refuses the message for good (5xx,
  // or the message cannot be composed). Error::message is Vietnamese, Error::detail has the relay's words.
  Result<void> send(const MailMessage& message);

 private:
  SmtpSettings settings_;
};

}  // namespace dvchub::notification
