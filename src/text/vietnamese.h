// text/vietnamese.h — Vietnamese text normalisation for search: one form for text that can be typed several ways.
//
// The same words reach dvchub composed or decomposed (NFC/NFD), with the tone mark in either of two places
// ("hoà"/"hòa"), with "kỹ"/"kĩ" spellings, or without any marks ("dang ky"). These functions map all of them to
// comparable keys; text shown to people keeps what its author wrote. All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dvchub::text {

// NFC with one canonical tone placement per syllable (see text/syllable.h: "hoà" → "hòa", "thuý" → "thúy",
// "khoẻ" → "khỏe"; "quý" stays) and invisible format characters removed. Keeps case and everything else.
std::string normalize(std::string_view text);

// Lower-case text without any marks: NFD, nonspacing marks dropped, NFC, and "đ"/"Đ" mapped to "d" (đ has no
// decomposition). "Đăng ký Hà Nội" → "dang ky ha noi".
std::string fold(std::string_view text);

// True when the text carries a Vietnamese mark or the letter đ.
bool has_marks(std::string_view text);

// The words of the text in order: normalised (as `normalize`) and lower-cased runs of letters and digits; a "." or
// "," between two digits stays inside the token ("1.001193"). Everything else separates tokens.
std::vector<std::string> tokens(std::string_view text);

// One token from `tokens` with its matching keys: `marked` keeps the marks, `folded` drops them (as `fold`); both
// write the i/y variants one way ("kỹ"/"kĩ" → "kĩ", "ky"/"ki" → "ki", "quy"/"qui" → "qui"). `word` is the token
// itself, for showing.
struct Term {
  std::string word;
  std::string marked;
  std::string folded;
  bool operator==(const Term&) const = default;
};
Term term(std::string_view token);

// `term` of every token of the text, in order.
std::vector<Term> terms(std::string_view text);

}  // namespace dvchub::text
