#include "text/unicode.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace dvchub::text::unicode {
namespace {

// Below U+00C0 no code point decomposes or combines (combining marks start at U+0300), so NFC and NFD leave such
// text as it is: questions typed without marks never reach ICU's normaliser.
constexpr char32_t first_decomposable = U'\u00C0';

// Character classes and case of ASCII are answered without ICU (after decomposition most code points of Vietnamese
// text are ASCII letters, their marks following them): its letters (category L) are A–Z and a–z, its digits (Nd)
// 0–9, it has no marks (Mn), and only A–Z have a lower case.
constexpr char32_t ascii_end = 0x80;
bool is_ascii_letter(char32_t code_point) {
  return (code_point >= U'a' && code_point <= U'z') || (code_point >= U'A' && code_point <= U'Z');
}

std::u32string normalized(std::u32string_view code_points, bool composed) {
  if (std::all_of(code_points.begin(), code_points.end(),
                  [](char32_t code_point) { return code_point < first_decomposable; })) {
    return std::u32string(code_points);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer =
      composed ? icu::Normalizer2::getNFCInstance(status) : icu::Normalizer2::getNFDInstance(status);
  assert(U_SUCCESS(status) && "ICU normalisation data is built into libicu");
  auto source = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(code_points.data()),
                                              static_cast<int32_t>(code_points.size()));
  icu::UnicodeString target = normalizer->normalize(source, status);
  if (U_FAILURE(status)) return std::u32string(code_points);
  std::u32string result(static_cast<std::size_t>(target.countChar32()), U'\0');
  UErrorCode conversion = U_ZERO_ERROR;
  target.toUTF32(reinterpret_cast<UChar32*>(result.data()), static_cast<int32_t>(result.size()), conversion);
  return result;
}

// The canonical decompositions of the Latin letters with marks (U+00C0–U+024F and U+1E00–U+1EFF, where every
// Vietnamese letter is), made once with ICU. Each starts with its base letter (a starter) and is in canonical order,
// so text made only of these and of code points below U+00C0 (none of which decomposes or is a combining mark) has
// for NFD the decompositions of its code points one after the other: no ICU call per word.
class LatinDecompositions {
 public:
  LatinDecompositions() {
    for (char32_t code_point = first_decomposable; code_point < latin_end; ++code_point) fill(code_point);
    for (char32_t code_point = additional_begin; code_point < additional_end; ++code_point) fill(code_point);
  }

  // Appends the decomposition of `text` to `out`, or returns false (out unchanged) when a code point is outside
  // the table (a combining mark typed apart, another script): ICU decomposes that text.
  bool append(std::u32string_view text, std::u32string& out) const {
    for (char32_t code_point : text) {
      if (code_point >= first_decomposable && !entry(code_point)) return false;
    }
    out.reserve(out.size() + text.size() * 2);
    for (char32_t code_point : text) {
      if (code_point < first_decomposable) {
        out.push_back(code_point);
        continue;
      }
      const Entry& found = *entry(code_point);
      out.append(found.code_points.data(), found.length);
    }
    return true;
  }

 private:
  static constexpr char32_t latin_end = U'\u0250';
  static constexpr char32_t additional_begin = U'\u1E00';
  static constexpr char32_t additional_end = U'\u1F00';
  struct Entry {
    std::array<char32_t, 4> code_points{};
    std::size_t length = 0;  // 0: not usable (never the case for these ranges: a letter is its own decomposition)
  };

  const Entry* entry(char32_t code_point) const {
    const Entry* found = nullptr;
    if (code_point < latin_end) {
      found = &latin_[code_point - first_decomposable];
    } else if (code_point >= additional_begin && code_point < additional_end) {
      found = &additional_[code_point - additional_begin];
    }
    return found && found->length > 0 ? found : nullptr;
  }

  void fill(char32_t code_point) {
    std::u32string decomposed = normalized(std::u32string_view(&code_point, 1), false);
    Entry& entry = code_point < latin_end ? latin_[code_point - first_decomposable] : additional_[code_point - additional_begin];
    if (decomposed.empty() || decomposed.size() > entry.code_points.size()) return;
    std::copy(decomposed.begin(), decomposed.end(), entry.code_points.begin());
    entry.length = decomposed.size();
  }

  std::array<Entry, latin_end - first_decomposable> latin_{};
  std::array<Entry, additional_end - additional_begin> additional_{};
};

}  // namespace

std::u32string decode(std::string_view utf8) {
  std::u32string code_points;
  code_points.reserve(utf8.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t length = static_cast<int32_t>(utf8.size());
  for (int32_t offset = 0; offset < length;) {
    UChar32 code_point = 0;
    U8_NEXT(bytes, offset, length, code_point);
    code_points.push_back(code_point < 0 ? U'\uFFFD' : static_cast<char32_t>(code_point));
  }
  return code_points;
}

std::string encode(std::u32string_view code_points) {
  std::size_t bytes = 0;  // exactly, so that a short word stays in the string's own buffer
  for (char32_t code_point : code_points) {
    bytes += code_point < 0x80 ? 1 : code_point < 0x800 ? 2 : (code_point < 0x10000 || code_point > 0x10FFFF) ? 3 : 4;
  }
  std::string utf8;
  utf8.reserve(bytes);
  for (char32_t code_point : code_points) {
    if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) code_point = U'\uFFFD';
    uint8_t buffer[U8_MAX_LENGTH];
    int32_t length = 0;
    U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(code_point));
    utf8.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
  }
  return utf8;
}

std::u32string compose(std::u32string_view code_points) { return normalized(code_points, true); }

std::u32string decompose(std::u32string_view code_points) {
  static const LatinDecompositions latin;
  std::u32string result;
  if (latin.append(code_points, result)) return result;
  return normalized(code_points, false);
}

char32_t lowercase(char32_t code_point) {
  if (code_point < ascii_end) return code_point >= U'A' && code_point <= U'Z' ? code_point - U'A' + U'a' : code_point;
  return static_cast<char32_t>(u_tolower(static_cast<UChar32>(code_point)));
}

std::string uppercase(std::string_view utf8) {
  const icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  std::string result;
  icu::UnicodeString(source).toUpper(icu::Locale("vi")).toUTF8String(result);
  return result;
}

bool is_letter(char32_t code_point) {
  if (code_point < ascii_end) return is_ascii_letter(code_point);
  return u_isalpha(static_cast<UChar32>(code_point));
}

bool is_nonspacing_mark(char32_t code_point) {
  if (code_point < ascii_end) return false;
  return u_charType(static_cast<UChar32>(code_point)) == U_NON_SPACING_MARK;
}

bool is_digit(char32_t code_point) {
  if (code_point < ascii_end) return code_point >= U'0' && code_point <= U'9';
  return u_isdigit(static_cast<UChar32>(code_point));
}

bool is_invisible(char32_t code_point) {
  switch (code_point) {
    case U'\u00AD': case U'\u200B': case U'\u200C': case U'\u200D': case U'\u2060': case U'\uFEFF':
      return true;
    default:
      return false;
  }
}

}  // namespace dvchub::text::unicode
