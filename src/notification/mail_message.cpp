#include "notification/mail_message.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include <fmt/format.h>

#include "core/email_address.h"
#include "core/strings.h"

namespace dvchub::notification {
namespace {

constexpr std::size_t line_limit = 78;           // characters per header line (RFC 5322 "SHOULD")
constexpr std::size_t encoded_word_limit = 75;   // characters per encoded word (RFC 2047)
constexpr std::size_t encoded_word_frame = 12;   // "=?UTF-8?B?" and "?="

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char character) {
    const auto byte = static_cast<unsigned char>(character);
    return byte >= 0x20 && byte < 0x7F;
  });
}

// Control characters (line breaks included) as spaces, so a text can never start a new header.
std::string one_line(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    line += (byte < 0x20 || byte == 0x7F) ? ' ' : character;
  }
  return line;
}

// RFC 5322 date in Vietnam time: "Fri, 27 Nov 2026 20:05:09 +0700".
std::string mail_date(TimePoint instant) {
  static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto local = std::chrono::floor<std::chrono::seconds>(instant) + std::chrono::hours(7);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{local - day};
  return fmt::format("{}, {} {} {} {:02}:{:02}:{:02} +0700", weekdays[std::chrono::weekday{day}.c_encoding()],
                     unsigned(date.day()), months[unsigned(date.month()) - 1], int(date.year()), time.hours().count(),
                     time.minutes().count(), time.seconds().count());
}

Result<void> check_address(const std::string& address, const char* field) {
  if (auto problem = email_address_problem(address)) {
    return tl::unexpected(Error{ErrorCode::invalid_input, *problem, {{field, *problem}}, field});
  }
  return {};
}

}  // namespace

std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t index = 0; index < bytes.size(); index += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - index);
    std::uint32_t group = 0;
    for (std::size_t offset = 0; offset < 3; ++offset) {
      group = (group << 8) | (offset < count ? static_cast<unsigned char>(bytes[index + offset]) : 0U);
    }
    for (std::size_t offset = 0; offset < 4; ++offset) {
      encoded += offset <= count ? alphabet[(group >> (18 - 6 * offset)) & 0x3F] : '=';
    }
  }
  return encoded;
}

namespace {

// Bytes of text whose encoded word fits in `room` characters (and in encoded_word_limit).
std::size_t bytes_for(std::size_t room) {
  const std::size_t characters = std::min(room, encoded_word_limit);
  return characters > encoded_word_frame + 4 ? (characters - encoded_word_frame) / 4 * 3 : 3;
}

// `text` as encoded words, whatever it holds, the first fitting after `first_line_used` characters.
std::string always_encoded_words(std::string_view text, std::size_t first_line_used) {
  std::string words;
  std::size_t start = 0;
  std::size_t room = line_limit > first_line_used ? line_limit - first_line_used : 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + bytes_for(room));
    // Back up to the start of a UTF-8 character, so no word holds half of one.
    while (end < text.size() && end > start + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!words.empty()) words += "\r\n ";
    words += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
    start = end;
    room = line_limit - 1;  // continuation lines start with a space
  }
  return words;
}

}  // namespace

std::string encoded_words(std::string_view text, std::size_t first_line_used) {
  if (is_printable_ascii(text) && first_line_used + text.size() <= line_limit) return std::string(text);
  return always_encoded_words(text, first_line_used);
}

Result<Sender> parse_sender(std::string_view from) {
  const std::string text = trimmed(from);
  if (text.find_first_of("\r\n") != std::string::npos) {
    return fail(ErrorCode::invalid_input, "Địa chỉ người gửi (mail.from) không được xuống dòng");
  }
  Sender sender;
  const auto open = text.rfind('<');
  if (open != std::string::npos && !text.empty() && text.back() == '>') {
    sender.name = trimmed(std::string_view(text).substr(0, open));
    sender.address = text.substr(open + 1, text.size() - open - 2);
  } else {
    sender.address = text;
  }
  if (auto problem = email_address_problem(sender.address)) {
    return fail(ErrorCode::invalid_input, "Địa chỉ người gửi (mail.from) không hợp lệ: " + *problem);
  }
  return sender;
}

Result<std::string> compose(const MailMessage& message) {
  DVCHUB_TRY(check_address(message.from_address, "from"));
  DVCHUB_TRY(check_address(message.to_address, "to"));
  const bool safe_id = !message.message_id.empty() && std::all_of(message.message_id.begin(), message.message_id.end(),
                                                                   [](char character) {
                                                                     return std::isalnum(static_cast<unsigned char>(character)) ||
                                                                            std::string_view(".-_@").find(character) != std::string_view::npos;
                                                                   });
  if (!safe_id) return fail(ErrorCode::invalid_input, "Mã thư (Message-ID) không hợp lệ");
  const std::string name = one_line(message.from_name);
  std::string text;
  text += "Date: " + mail_date(message.date) + "\r\n";
  // A name with anything but letters, digits and spaces is encoded, so a comma or quote cannot split the address.
  const bool plain_name = std::all_of(name.begin(), name.end(), [](char character) {
    return std::isalnum(static_cast<unsigned char>(character)) || character == ' ';
  });
  const std::string phrase = plain_name ? encoded_words(name, 6) : always_encoded_words(name, 6);
  // The address on a line of its own after a name, so a long name never pushes the line past the limit.
  text += "From: " + (name.empty() ? "" : phrase + "\r\n ") + "<" + message.from_address + ">\r\n";
  text += "To: <" + message.to_address + ">\r\n";
  text += "Subject: " + encoded_words(one_line(message.subject), 9) + "\r\n";
  text += "Message-ID: <" + message.message_id + ">\r\n";
  text += "MIME-Version: 1.0\r\n";
  text += "Content-Type: text/plain; charset=UTF-8\r\n";
  text += "Content-Transfer-Encoding: base64\r\n";
  text += "\r\n";
  // CRLF line breaks inside the text too, as RFC 5322 wants them after decoding.
  std::string body;
  body.reserve(message.body.size() + message.body.size() / 40);
  for (char character : message.body) {
    if (character == '\r') continue;
    if (character == '\n') body += '\r';
    body += character;
  }
  const std::string encoded = base64(body);
  for (std::size_t offset = 0; offset < encoded.size(); offset += 76) text += encoded.substr(offset, 76) + "\r\n";
  return text;
}

}  // namespace dvchub::notification
