// text/syllables.h — the inventory of real Vietnamese syllables (the common ones compiled into dvchub plus every
// syllable of the knowledge base), and repair of leftover Telex/VNI keystrokes onto those syllables.
// Build an inventory once, then share it read-only between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace dvchub::text {

class SyllableInventory {
 public:
  // The common syllables compiled into the binary (content/text/syllables.txt).
  static SyllableInventory common();

  // Adds every token of `text` that is a well-formed Vietnamese syllable (see text/syllable.h); English words,
  // acronyms and numbers are skipped.
  void add_text(std::string_view text);

  // True when `token` (lower-case, as from text::tokens) is a known syllable with exactly these marks; the i/y
  // variants and tone placements count as one ("kỹ" = "kĩ", "hoà" = "hòa").
  bool contains(std::string_view token) const;

  // True when `folded` (as from text::fold) is the unmarked form of a known syllable ("dang", "ky").
  bool contains_folded(std::string_view folded) const;

  // Turns leftover keystrokes into marks when that yields a known syllable: Telex ("ddawng" → "đăng", "kys" → "ký",
  // "taif" → "tài", "khoanr" → "khoản", "nguowif" → "người") and VNI ("d9ang" → "đang", "ky1" → "ký").
  // nullopt when `token` is shorter than three characters, is not ASCII letters/digits, is itself the unmarked form
  // of a known syllable, or does not become a known syllable ("email", "facebook" stay as typed).
  std::optional<std::string> repair_keystrokes(std::string_view token) const;

 private:
  std::unordered_set<std::string> marked_;  // text::term(...).marked of each syllable
  std::unordered_set<std::string> folded_;
};

}  // namespace dvchub::text
