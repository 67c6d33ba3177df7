// text/syllable.h — one Vietnamese syllable as letters and a tone, and the rules on it: where the tone mark goes
// (one canonical placement) and whether the spelling is a possible Vietnamese syllable.
//
// Canonical tone placement (dvchub's matching key; the text shown to people keeps what its author wrote):
//   1. "qu" and "gi" before another vowel belong to the onset ("quý", "giá").
//   2. In the vowel group, the mark goes on the last vowel that carries a quality mark (ă â ê ô ơ ư):
//      "tuổi", "người", "thuyền".
//   3. Otherwise, with a final consonant, on the last vowel: "hoàng", "toán", "huỳnh".
//   4. Otherwise (open syllable), on the middle of three vowels ("ngoài", "khuỷu") or the first of two:
//      "hòa", "thúy", "khỏe", "mía", "của" — so "hoà" → "hòa", "thuý" → "thúy", "khoẻ" → "khỏe".
// This is the placement most Vietnamese text in public-service pages uses (hòa, thủy, ủy ban).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dvchub::text {

enum class Tone { level, acute, grave, hook, tilde, dot };

struct Letter {
  char32_t base = 0;     // the letter without marks, in the case it was written ('a', 'D', U+0111 'đ')
  char32_t quality = 0;  // U+0302 circumflex, U+0306 breve, U+031B horn, or 0
};

struct SpelledSyllable {
  std::vector<Letter> letters;
  Tone tone = Tone::level;
};

// Splits a decomposed (NFD) run of Latin letters and marks into letters and one tone. nullopt when it holds a
// non-Latin letter, two tone marks, two quality marks on one letter or any other mark.
std::optional<SpelledSyllable> spell(std::u32string_view decomposed);

// The syllable in NFC with its tone on the canonical vowel. When the letters do not form an onset + vowel group +
// final, the tone stays on the first vowel that the rules above would pick among the letters given.
std::u32string compose(const SpelledSyllable& syllable);

// Writes a lone "y" after an onset, with no final, as "i" ("kỹ" → "kĩ", "lý" → "lí", "quy" → "qui", "công ty" →
// "công ti"), so that the i/y spelling variants share one key; "ý", "thủy", "yêu" are left as they are.
void unify_i_y(SpelledSyllable& syllable);

// True when the letters (any case) form a possible Vietnamese syllable: a known onset, one to three vowels, a known
// final consonant, and for finals c/ch/p/t only the acute or dot tone.
bool is_well_formed(const SpelledSyllable& syllable);

}  // namespace dvchub::text
