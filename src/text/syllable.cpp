#include "text/syllable.h"

#include <algorithm>
#include <iterator>

#include "text/unicode.h"

namespace dvchub::text {
namespace {

constexpr char32_t circumflex = U'\u0302';
constexpr char32_t breve = U'\u0306';
constexpr char32_t horn = U'\u031B';
constexpr char32_t small_d_with_stroke = U'\u0111';
constexpr char32_t capital_d_with_stroke = U'\u0110';

std::optional<Tone> tone_of_mark(char32_t mark) {
  switch (mark) {
    case U'\u0301': return Tone::acute;
    case U'\u0300': return Tone::grave;
    case U'\u0309': return Tone::hook;
    case U'\u0303': return Tone::tilde;
    case U'\u0323': return Tone::dot;
    default: return std::nullopt;
  }
}

char32_t mark_of_tone(Tone tone) {
  switch (tone) {
    case Tone::acute: return U'\u0301';
    case Tone::grave: return U'\u0300';
    case Tone::hook: return U'\u0309';
    case Tone::tilde: return U'\u0303';
    case Tone::dot: return U'\u0323';
    case Tone::level: return 0;
  }
  return 0;
}

char32_t lower_base(char32_t base) {
  if (base == capital_d_with_stroke) return small_d_with_stroke;
  return base >= U'A' && base <= U'Z' ? base - U'A' + U'a' : base;
}

bool is_vowel(char32_t base) {
  switch (lower_base(base)) {
    case U'a': case U'e': case U'i': case U'o': case U'u': case U'y': return true;
    default: return false;
  }
}

bool is_latin_base(char32_t base) {
  char32_t lower = lower_base(base);
  return (lower >= U'a' && lower <= U'z') || lower == small_d_with_stroke;
}

// Positions inside the letters: [0, vowels_begin) onset, [vowels_begin, vowels_end) vowel group, the rest final.
struct Parts {
  std::size_t vowels_begin = 0;
  std::size_t vowels_end = 0;
  bool final_has_vowel = false;
};

std::u32string lower_string(const std::vector<Letter>& letters, std::size_t begin, std::size_t end) {
  std::u32string text;
  for (std::size_t index = begin; index < end; ++index) text.push_back(lower_base(letters[index].base));
  return text;
}

Parts parts_of(const std::vector<Letter>& letters) {
  Parts parts;
  std::size_t count = letters.size();
  std::size_t index = 0;
  while (index < count && !is_vowel(letters[index].base)) ++index;
  std::u32string onset = lower_string(letters, 0, index);
  bool vowel_follows = index + 1 < count && is_vowel(letters[index + 1].base);
  if (index < count && vowel_follows && letters[index].quality == 0) {
    char32_t first = lower_base(letters[index].base);
    if ((onset == U"q" && first == U'u') || (onset == U"g" && first == U'i')) ++index;
  }
  parts.vowels_begin = index;
  while (index < count && is_vowel(letters[index].base)) ++index;
  parts.vowels_end = index;
  for (; index < count; ++index) parts.final_has_vowel = parts.final_has_vowel || is_vowel(letters[index].base);
  return parts;
}

std::optional<std::size_t> tone_position(const std::vector<Letter>& letters, const Parts& parts) {
  std::size_t length = parts.vowels_end - parts.vowels_begin;
  if (length == 0) return std::nullopt;
  for (std::size_t index = parts.vowels_end; index-- > parts.vowels_begin;) {
    if (letters[index].quality != 0) return index;
  }
  if (parts.vowels_end < letters.size()) return parts.vowels_end - 1;
  if (length == 3) return parts.vowels_begin + 1;
  return parts.vowels_begin;
}

// NFC of one letter with its quality and tone marks. Letters of a spelled syllable (a–z, A–Z, đ, Đ) come from a
// table made once with ICU: composing every syllable through ICU was a tenth of the cost of an answer
// (docs/assistant-quality.md). Any other letter is composed by ICU.
std::u32string composed_letter(const Letter& letter, Tone tone) {
  static constexpr char32_t qualities[] = {0, circumflex, breve, horn};
  constexpr std::size_t quality_count = std::size(qualities);
  constexpr std::size_t tone_count = 6;  // Tone::level … Tone::dot
  auto decomposed = [](char32_t base, char32_t quality, Tone tone) {
    std::u32string text(1, base);
    if (quality) text.push_back(quality);
    if (tone != Tone::level) text.push_back(mark_of_tone(tone));
    return text;
  };
  static const std::u32string bases = [] {
    std::u32string letters;
    for (char32_t base = U'a'; base <= U'z'; ++base) letters.push_back(base);
    for (char32_t base = U'A'; base <= U'Z'; ++base) letters.push_back(base);
    letters.push_back(small_d_with_stroke);
    letters.push_back(capital_d_with_stroke);
    return letters;
  }();
  static const std::vector<std::u32string> table = [&] {
    std::vector<std::u32string> composed;
    for (char32_t base : bases) {
      for (char32_t quality : qualities) {
        for (std::size_t tone = 0; tone < tone_count; ++tone) {
          composed.push_back(unicode::compose(decomposed(base, quality, static_cast<Tone>(tone))));
        }
      }
    }
    return composed;
  }();
  std::size_t base_index = bases.find(letter.base);
  std::size_t quality_index = static_cast<std::size_t>(
      std::find(std::begin(qualities), std::end(qualities), letter.quality) - std::begin(qualities));
  if (base_index == std::u32string::npos || quality_index == quality_count) {
    return unicode::compose(decomposed(letter.base, letter.quality, tone));
  }
  return table[(base_index * quality_count + quality_index) * tone_count + static_cast<std::size_t>(tone)];
}

}  // namespace

std::optional<SpelledSyllable> spell(std::u32string_view decomposed) {
  SpelledSyllable syllable;
  bool toned = false;
  for (char32_t code_point : decomposed) {
    if (auto tone = tone_of_mark(code_point)) {
      if (toned || syllable.letters.empty()) return std::nullopt;
      syllable.tone = *tone;
      toned = true;
    } else if (code_point == circumflex || code_point == breve || code_point == horn) {
      if (syllable.letters.empty() || syllable.letters.back().quality != 0) return std::nullopt;
      syllable.letters.back().quality = code_point;
    } else if (is_latin_base(code_point)) {
      syllable.letters.push_back({code_point, 0});
    } else {
      return std::nullopt;
    }
  }
  if (syllable.letters.empty()) return std::nullopt;
  return syllable;
}

std::u32string compose(const SpelledSyllable& syllable) {
  const auto& letters = syllable.letters;
  std::optional<std::size_t> position;
  if (syllable.tone != Tone::level) {
    Parts parts = parts_of(letters);
    position = tone_position(letters, parts);
    if (!position) {  // no vowel group where rules expect it: first vowel, else the first letter
      auto vowel = std::find_if(letters.begin(), letters.end(), [](const Letter& letter) { return is_vowel(letter.base); });
      position = vowel == letters.end() ? 0 : static_cast<std::size_t>(vowel - letters.begin());
    }
  }
  // NFC composes each letter with its own marks only (a letter is a starter that no Latin letter before it
  // combines with), so the syllable is its letters composed one by one.
  std::u32string composed;
  for (std::size_t index = 0; index < letters.size(); ++index) {
    Tone tone = position && *position == index ? syllable.tone : Tone::level;
    if (letters[index].quality == 0 && tone == Tone::level) {
      composed.push_back(letters[index].base);
    } else {
      composed += composed_letter(letters[index], tone);
    }
  }
  return composed;
}

void unify_i_y(SpelledSyllable& syllable) {
  auto& letters = syllable.letters;
  Parts parts = parts_of(letters);
  bool lone_vowel = parts.vowels_end == parts.vowels_begin + 1 && parts.vowels_end == letters.size();
  if (!lone_vowel || parts.vowels_begin == 0) return;
  Letter& vowel = letters[parts.vowels_begin];
  if (vowel.base == U'y') vowel.base = U'i';
  if (vowel.base == U'Y') vowel.base = U'I';
}

bool is_well_formed(const SpelledSyllable& syllable) {
  static constexpr std::u32string_view onsets[] = {
      U"",  U"b",  U"c",  U"ch", U"d",  U"\u0111", U"g",  U"gh", U"gi", U"h",  U"k",  U"kh", U"l", U"m",
      U"n", U"ng", U"ngh", U"nh", U"p", U"ph",     U"qu", U"r",  U"s",  U"t",  U"th", U"tr", U"v", U"x"};
  static constexpr std::u32string_view finals[] = {U"", U"c", U"ch", U"m", U"n", U"ng", U"nh", U"p", U"t"};
  const auto& letters = syllable.letters;
  Parts parts = parts_of(letters);
  std::size_t length = parts.vowels_end - parts.vowels_begin;
  if (length == 0 || length > 3 || parts.final_has_vowel) return false;
  for (std::size_t index = 0; index < parts.vowels_begin; ++index) {
    if (letters[index].quality != 0) return false;
  }
  for (std::size_t index = parts.vowels_end; index < letters.size(); ++index) {
    if (letters[index].quality != 0) return false;
  }
  for (std::size_t index = parts.vowels_begin; index < parts.vowels_end; ++index) {
    char32_t base = lower_base(letters[index].base);
    char32_t quality = letters[index].quality;
    bool allowed = quality == 0 || (quality == circumflex && (base == U'a' || base == U'e' || base == U'o')) ||
                   (quality == breve && base == U'a') || (quality == horn && (base == U'o' || base == U'u'));
    if (!allowed) return false;
  }
  std::u32string onset = lower_string(letters, 0, parts.vowels_begin);
  std::u32string final = lower_string(letters, parts.vowels_end, letters.size());
  bool onset_known = std::find(std::begin(onsets), std::end(onsets), onset) != std::end(onsets);
  bool final_known = std::find(std::begin(finals), std::end(finals), final) != std::end(finals);
  if (!onset_known || !final_known) return false;
  bool stop_final = final == U"c" || final == U"ch" || final == U"p" || final == U"t";
  return !stop_final || syllable.tone == Tone::acute || syllable.tone == Tone::dot;
}

}  // namespace dvchub::text
