#include "text/syllables.h"

#include <algorithm>
#include <cassert>

#include "resources/resources.h"
#include "text/syllable.h"
#include "text/unicode.h"
#include "text/vietnamese.h"

namespace dvchub::text {
namespace {

constexpr char32_t circumflex = U'\u0302';
constexpr char32_t breve = U'\u0306';
constexpr char32_t horn = U'\u031B';
constexpr char32_t small_d_with_stroke = U'\u0111';

bool is_vowel(char32_t base) {
  return base == U'a' || base == U'e' || base == U'i' || base == U'o' || base == U'u' || base == U'y';
}

// The vowel group nearest the end of `letters` (a final consonant may follow it), without the "u" of "qu": [begin, end).
std::pair<std::size_t, std::size_t> last_vowel_group(const std::vector<Letter>& letters) {
  std::size_t end = letters.size();
  while (end > 0 && !is_vowel(letters[end - 1].base)) --end;
  std::size_t begin = end;
  while (begin > 0 && is_vowel(letters[begin - 1].base)) --begin;
  if (begin > 0 && end - begin > 1 && letters[begin - 1].base == U'q' && letters[begin].base == U'u') ++begin;
  return {begin, end};
}

// Puts `quality` on the vowel of the last vowel group that takes it: the circumflex on the last a/e/o, the breve on
// an "a", the horn on both letters of "uo" or else on the last o/u.
bool apply_quality(std::vector<Letter>& letters, char32_t quality) {
  auto [begin, end] = last_vowel_group(letters);
  if (quality == horn) {
    for (std::size_t index = begin; index + 1 < end; ++index) {
      if (letters[index].base == U'u' && letters[index + 1].base == U'o') {
        letters[index].quality = horn;
        letters[index + 1].quality = horn;
        return true;
      }
    }
  }
  for (std::size_t index = end; index-- > begin;) {
    char32_t base = letters[index].base;
    bool takes = (quality == horn && (base == U'o' || base == U'u')) || (quality == breve && base == U'a') ||
                 (quality == circumflex && (base == U'a' || base == U'e' || base == U'o'));
    if (takes) {
      letters[index].quality = quality;
      return true;
    }
  }
  return false;
}

// Telex "w": "uo" → "ươ", an "a" not after "u" → "ă" ("aw", "oaw"), else the horn ("ow" → "ơ", "uaw" → "ưa").
bool apply_telex_w(std::vector<Letter>& letters) {
  auto [begin, end] = last_vowel_group(letters);
  for (std::size_t index = begin; index + 1 < end; ++index) {
    if (letters[index].base == U'u' && letters[index + 1].base == U'o') return apply_quality(letters, horn);
  }
  for (std::size_t index = begin; index < end; ++index) {
    if (letters[index].base == U'a' && (index == begin || letters[index - 1].base != U'u')) {
      letters[index].quality = breve;
      return true;
    }
  }
  return apply_quality(letters, horn) || apply_quality(letters, breve);
}

bool has_vowel(const std::vector<Letter>& letters) {
  return std::any_of(letters.begin(), letters.end(), [](const Letter& letter) { return is_vowel(letter.base); });
}

std::optional<Tone> telex_tone(char key) {
  switch (key) {
    case 's': return Tone::acute;
    case 'f': return Tone::grave;
    case 'r': return Tone::hook;
    case 'x': return Tone::tilde;
    case 'j': return Tone::dot;
    case 'z': return Tone::level;
    default: return std::nullopt;
  }
}

std::optional<Tone> vni_tone(char key) {
  switch (key) {
    case '1': return Tone::acute;
    case '2': return Tone::grave;
    case '3': return Tone::hook;
    case '4': return Tone::tilde;
    case '5': return Tone::dot;
    case '0': return Tone::level;
    default: return std::nullopt;
  }
}

// The syllable that Telex keystrokes spell, when at least one key acted as a mark.
std::optional<SpelledSyllable> from_telex(std::string_view keys) {
  SpelledSyllable syllable;
  auto& letters = syllable.letters;
  bool changed = false;
  for (char key : keys) {
    if (key == 'd' && letters.size() == 1 && letters[0].base == U'd') {
      letters[0].base = small_d_with_stroke;
    } else if ((key == 'a' || key == 'e' || key == 'o') && !letters.empty() &&
               letters.back().base == static_cast<char32_t>(key) && letters.back().quality == 0) {
      letters.back().quality = circumflex;
    } else if (key == 'w') {
      if (!apply_telex_w(letters)) letters.push_back({U'u', horn});
    } else if (auto tone = telex_tone(key); tone && has_vowel(letters)) {
      syllable.tone = *tone;
    } else {
      letters.push_back({static_cast<char32_t>(key), 0});
      continue;
    }
    changed = true;
  }
  if (!changed) return std::nullopt;
  return syllable;
}

// The syllable that VNI keystrokes (digits after letters) spell, when at least one digit acted as a mark.
std::optional<SpelledSyllable> from_vni(std::string_view keys) {
  SpelledSyllable syllable;
  auto& letters = syllable.letters;
  bool changed = false;
  for (char key : keys) {
    bool is_letter = key >= 'a' && key <= 'z';
    if (is_letter) {
      letters.push_back({static_cast<char32_t>(key), 0});
      continue;
    }
    if (letters.empty()) return std::nullopt;
    if (auto tone = vni_tone(key)) {
      syllable.tone = *tone;
    } else if (key == '6' || key == '7' || key == '8') {
      if (!apply_quality(letters, key == '6' ? circumflex : key == '7' ? horn : breve)) return std::nullopt;
    } else if (key == '9' && letters[0].base == U'd') {
      letters[0].base = small_d_with_stroke;
    } else {
      return std::nullopt;
    }
    changed = true;
  }
  if (!changed) return std::nullopt;
  return syllable;
}

}  // namespace

SyllableInventory SyllableInventory::common() {
  SyllableInventory inventory;
  const auto* resource = resources::find("content/text/syllables.txt");
  assert(resource && "content/text/syllables.txt is compiled into the binary");
  if (!resource) return inventory;
  for (std::string_view rest = resource->content; !rest.empty();) {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!line.empty() && line.front() != '#') inventory.add_text(line);
  }
  return inventory;
}

void SyllableInventory::add_text(std::string_view text) {
  for (const auto& token : tokens(text)) {
    auto syllable = spell(unicode::decompose(unicode::decode(token)));
    if (!syllable || !is_well_formed(*syllable)) continue;
    Term keys = term(token);
    marked_.insert(keys.marked);
    folded_.insert(keys.folded);
  }
}

bool SyllableInventory::contains(std::string_view token) const { return marked_.contains(term(token).marked); }

bool SyllableInventory::contains_folded(std::string_view folded) const {
  return folded_.contains(term(folded).folded);
}

std::optional<std::string> SyllableInventory::repair_keystrokes(std::string_view token) const {
  if (token.size() < 3) return std::nullopt;
  bool ascii_letters_digits = std::all_of(token.begin(), token.end(), [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9');
  });
  if (!ascii_letters_digits || contains_folded(token)) return std::nullopt;
  bool has_digit = std::any_of(token.begin(), token.end(), [](char character) { return character >= '0' && character <= '9'; });
  auto syllable = has_digit ? from_vni(token) : from_telex(token);
  if (!syllable || !is_well_formed(*syllable)) return std::nullopt;
  std::string repaired = unicode::encode(compose(*syllable));
  if (!contains(repaired)) return std::nullopt;
  return repaired;
}

}  // namespace dvchub::text
