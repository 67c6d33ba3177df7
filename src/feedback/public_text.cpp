#include "feedback/public_text.h"

#include <array>
#include <cctype>
#include <vector>

#include "privacy/personal_data.h"

namespace dvchub::feedback {
namespace {

constexpr std::string_view mask = "***";

bool is_code_character(char character) {
  auto byte = static_cast<unsigned char>(character);
  return std::isalnum(byte) || character == '.' || character == '-';
}

// Replaces every occurrence of `needle` in `text`.
std::string replace_all(std::string text, std::string_view needle) {
  if (needle.empty()) return text;
  for (std::size_t position = text.find(needle); position != std::string::npos;
       position = text.find(needle, position + mask.size())) {
    text.replace(position, needle.size(), mask);
  }
  return text;
}

// Length of the UTF-8 sequence that starts with `byte`.
std::size_t sequence_length(unsigned char byte) {
  if (byte < 0x80) return 1;
  if ((byte >> 5) == 0x6) return 2;
  if ((byte >> 4) == 0xE) return 3;
  if ((byte >> 3) == 0x1E) return 4;
  return 1;
}

// Whether the word starting at `position` begins with an upper-case letter (ASCII, or a Vietnamese capital: the
// upper-case letters of Latin-1 Supplement, Latin Extended-A/B and Latin Extended Additional have even code points
// in the ranges below; "Đ" is U+0110).
bool starts_capitalised(std::string_view text, std::size_t position) {
  auto byte = static_cast<unsigned char>(text[position]);
  if (byte < 0x80) return std::isupper(byte) != 0;
  std::size_t length = sequence_length(byte);
  if (position + length > text.size()) return false;
  char32_t code_point = 0;
  if (length == 2) code_point = ((byte & 0x1F) << 6) | (text[position + 1] & 0x3F);
  else if (length == 3) code_point = ((byte & 0x0F) << 12) | ((text[position + 1] & 0x3F) << 6) | (text[position + 2] & 0x3F);
  else return false;
  if (code_point >= 0xC0 && code_point <= 0xDD) return true;
  if (code_point >= 0x100 && code_point <= 0x1B0) return code_point % 2 == 0;
  if (code_point >= 0x1EA0 && code_point <= 0x1EF9) return code_point % 2 == 0;
  return false;
}

// Masks up to four capitalised words that follow one of the introduction cues.
std::string mask_introduced_names(std::string text) {
  // Introductions, then the honorifics people are addressed with ("ông Khoa", "chị Mai"). A place name after an
  // honorific ("Bà Rịa") is masked too: publication errs on the side of privacy.
  static const std::array<std::string_view, 24> cues = {
      "tên tôi là ", "Tên tôi là ", "tôi tên là ", "Tôi tên là ", "tôi là ", "Tôi là ", "tôi tên ", "Tôi tên ",
      "ông ",        "Ông ",        "bà ",         "Bà ",         "anh ",    "Anh ",    "chị ",     "Chị ",
      "cô ",         "Cô ",         "chú ",        "Chú ",        "bác ",    "Bác ",    "em ",      "Em "};
  for (auto cue : cues) {
    for (std::size_t found = text.find(cue); found != std::string::npos; found = text.find(cue, found + 1)) {
      if (found > 0 && std::string_view(" \n(\"'/,.;:").find(text[found - 1]) == std::string_view::npos) continue;
      std::size_t start = found + cue.size();
      std::size_t end = start;
      int words = 0;
      while (words < 4 && end < text.size() && starts_capitalised(text, end)) {
        std::size_t word_end = text.find_first_of(" ,.;:!?\n", end);
        if (word_end == std::string::npos) word_end = text.size();
        end = word_end;
        ++words;
        if (end < text.size() && text[end] == ' ' && end + 1 < text.size() && starts_capitalised(text, end + 1)) ++end;
        else break;
      }
      if (words > 0) text.replace(start, end - start, mask);
    }
  }
  return text;
}

}  // namespace

std::string mask_dossier_codes(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  std::size_t position = 0;
  while (position < text.size()) {
    if (!is_code_character(text[position]) || (position > 0 && is_code_character(text[position - 1]))) {
      result.push_back(text[position++]);
      continue;
    }
    std::size_t end = position;
    while (end < text.size() && is_code_character(text[end])) ++end;
    std::string_view token = text.substr(position, end - position);
    while (!token.empty() && (token.back() == '.' || token.back() == '-')) token.remove_suffix(1);
    int hyphens = 0;
    int digits = 0;
    bool letter_or_dot = false;
    for (char character : token) {
      if (character == '-') ++hyphens;
      if (std::isdigit(static_cast<unsigned char>(character))) ++digits;
      if (character == '.' || std::isalpha(static_cast<unsigned char>(character))) letter_or_dot = true;
    }
    if (hyphens >= 2 && digits >= 8 && letter_or_dot) {
      result.append(mask);
      position += token.size();
    } else {
      result.append(text.substr(position, end - position));
      position = end;
    }
  }
  return result;
}

std::string public_text(std::string_view text, std::string_view contact_name) {
  std::string result = replace_all(std::string(text), contact_name);
  result = mask_introduced_names(std::move(result));
  result = mask_dossier_codes(result);
  return privacy::mask_personal_data(result);
}

}  // namespace dvchub::feedback
