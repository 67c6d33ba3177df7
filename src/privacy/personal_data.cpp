#include "privacy/personal_data.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace dvchub::privacy {
namespace {

enum class Kind { identity_number, phone_number, email, secret };

struct Span {
  std::size_t begin;
  std::size_t end;
  Kind kind;
};

bool is_digit(char character) { return character >= '0' && character <= '9'; }

bool is_email_character(char character) {
  return std::isalnum(static_cast<unsigned char>(character)) || character == '.' || character == '_' ||
         character == '-' || character == '+';
}

std::string lowercase_ascii(std::string_view text) {
  std::string lowered(text);
  for (char& character : lowered) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  return lowered;
}

// Runs of digits, allowing single spaces, dots or dashes between groups ("0912 345 678", "079.123.456.789").
void find_numbers(std::string_view text, std::vector<Span>& spans) {
  std::size_t index = 0;
  while (index < text.size()) {
    if (!is_digit(text[index]) && !(text[index] == '+' && index + 1 < text.size() && is_digit(text[index + 1]))) {
      ++index;
      continue;
    }
    std::size_t begin = index;
    std::string digits;
    if (text[index] == '+') ++index;
    while (index < text.size()) {
      if (is_digit(text[index])) {
        digits += text[index++];
      } else if ((text[index] == ' ' || text[index] == '.' || text[index] == '-') && index + 1 < text.size() &&
                 is_digit(text[index + 1]) && !digits.empty()) {
        ++index;
      } else {
        break;
      }
    }
    const bool international = text[begin] == '+' && digits.rfind("84", 0) == 0;
    if (digits.size() == 12 || digits.size() == 9) {
      spans.push_back({begin, index, Kind::identity_number});
    } else if ((digits.size() == 10 || digits.size() == 11) && (digits[0] == '0' || international)) {
      spans.push_back({begin, index, Kind::phone_number});
    } else if (international && digits.size() >= 10) {
      spans.push_back({begin, index, Kind::phone_number});
    }
  }
}

void find_emails(std::string_view text, std::vector<Span>& spans) {
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && is_email_character(text[begin - 1])) --begin;
    std::size_t end = at + 1;
    while (end < text.size() && is_email_character(text[end])) ++end;
    std::string_view domain = text.substr(at + 1, end - at - 1);
    if (begin < at && domain.find('.') != std::string_view::npos) spans.push_back({begin, end, Kind::email});
  }
}

// A secret is the next word after a cue such as "mật khẩu", "mk", "pass", "otp", "mã xác thực".
void find_secrets(std::string_view text, std::vector<Span>& spans) {
  static const std::array<std::string_view, 10> cues{"mật khẩu", "mat khau", "password", "pass", "mk",
                                                     "otp",      "mã xác thực", "ma xac thuc", "mã otp", "ma otp"};
  const std::string lowered = lowercase_ascii(text);
  for (auto cue : cues) {
    for (std::size_t at = lowered.find(cue); at != std::string::npos; at = lowered.find(cue, at + 1)) {
      const bool starts_word = at == 0 || !std::isalnum(static_cast<unsigned char>(lowered[at - 1]));
      std::size_t after = at + cue.size();
      const bool ends_word = after >= lowered.size() || !std::isalnum(static_cast<unsigned char>(lowered[after]));
      if (!starts_word || !ends_word) continue;
      // Skip separators such as " là ", ":", "=" and take the following token when it looks like a secret:
      // it holds a digit or mixes letters with symbols.
      std::size_t begin = after;
      while (begin < text.size() && (text[begin] == ' ' || text[begin] == ':' || text[begin] == '=')) ++begin;
      for (std::string_view filler : {std::string_view("là "), std::string_view("la ")}) {
        if (lowered.compare(begin, filler.size(), filler) == 0) begin += filler.size();
      }
      std::size_t end = begin;
      while (end < text.size() && text[end] != ' ' && text[end] != ',' && text[end] != '\n') ++end;
      std::string_view token = text.substr(begin, end - begin);
      const bool has_digit = std::any_of(token.begin(), token.end(), is_digit);
      if (token.size() >= 4 && has_digit) spans.push_back({begin, end, Kind::secret});
    }
  }
}

std::vector<Span> find_spans(std::string_view text) {
  std::vector<Span> spans;
  find_secrets(text, spans);
  find_emails(text, spans);
  find_numbers(text, spans);
  std::sort(spans.begin(), spans.end(), [](const Span& left, const Span& right) { return left.begin < right.begin; });
  return spans;
}

}  // namespace

Findings find_personal_data(std::string_view text) {
  Findings findings;
  for (const auto& span : find_spans(text)) {
    switch (span.kind) {
      case Kind::identity_number: findings.identity_number = true; break;
      case Kind::phone_number: findings.phone_number = true; break;
      case Kind::email: findings.email = true; break;
      case Kind::secret: findings.secret = true; break;
    }
  }
  return findings;
}

std::string mask_personal_data(std::string_view text) {
  std::string masked;
  std::size_t position = 0;
  for (const auto& span : find_spans(text)) {
    if (span.begin < position) continue;  // overlaps a span already masked
    masked.append(text.substr(position, span.begin - position));
    masked += "***";
    position = span.end;
  }
  masked.append(text.substr(position));
  return masked;
}

}  // namespace dvchub::privacy
