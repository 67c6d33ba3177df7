// notification/mail_message.h — one plain-text e-mail as the bytes an SMTP relay receives (RFC 5322 with MIME):
// UTF-8 throughout, the subject (and the sender's name) as RFC 2047 "B" encoded words, the body in base64, a Date in
// Vietnam time and a Message-ID. Pure functions, no I/O; the SMTP adapter (smtp_transport.h) sends the result.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"

namespace dvchub::notification {

struct MailMessage {
  std::string from_address;  // "noreply@dvchub.example.gov.vn"
  std::string from_name;     // may be Vietnamese; "" for none
  std::string to_address;
  std::string subject;       // one line of UTF-8; line breaks and other control characters become spaces
  std::string body;          // UTF-8 text; "\n" line breaks
  TimePoint date;
  std::string message_id;    // without brackets: "outbox-12.1767200000@dvchub.example.gov.vn"
};

// The sender settings: `from` is "address" or "Name <address>". invalid_input when the address is not acceptable
// (core/email_address.h) or the text holds a line break.
struct Sender {
  std::string name;
  std::string address;
};
Result<Sender> parse_sender(std::string_view from);

// The message as sent: headers (Date, From, To, Subject, Message-ID, MIME-Version, Content-Type text/plain
// charset UTF-8, Content-Transfer-Encoding base64) and the base64 body, lines ending in CRLF and at most 78
// characters. invalid_input when an address is not acceptable or the Message-ID holds anything but
// A-Z a-z 0-9 and . - _ @ (so no header can be injected).
Result<std::string> compose(const MailMessage& message);

// `text` as RFC 2047 encoded words ("=?UTF-8?B?…?="), each at most 75 characters and cut between UTF-8 characters,
// joined by CRLF and a space (folding), so that no line passes 78 characters when the first line already holds
// `first_line_used` characters ("Subject: " is 9). Printable ASCII that fits is returned as it is.
std::string encoded_words(std::string_view text, std::size_t first_line_used = 0);

// RFC 4648 base64 of `bytes`, without line breaks.
std::string base64(std::string_view bytes);

}  // namespace dvchub::notification
