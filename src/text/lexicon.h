// text/lexicon.h — the query vocabulary: abbreviations and synonyms, rewrites of chat shorthand and misspellings,
// function words, and foreign words that keystroke repair must leave alone. The file format is described at the top
// of content/text/lexicon.txt. A Lexicon is immutable once parsed and safe to share between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "text/vietnamese.h"

namespace dvchub::text {

class Lexicon {
 public:
  // Parses the lexicon format. ErrorCode::invalid_input naming the line when a line fits no section's syntax.
  static Result<Lexicon> parse(std::string_view text);

  // dvchub's lexicon, compiled into the binary from content/text/lexicon.txt; parsed once, on first use.
  static const Lexicon& standard();

  // A lexicon entry found in a query.
  struct Match {
    std::size_t length = 0;                       // how many query terms it covers
    bool rewrite = false;                         // true: replace those terms; false: search the phrases as well
    std::span<const std::vector<Term>> phrases;   // the replacement (one phrase) or the equivalent phrases; they
                                                  // belong to the lexicon
  };

  // The longest rewrite (when `rewrites` is true) or equivalence entry (when false) whose left side matches the
  // terms starting at `position`; nullopt when none does. A left side written with marks matches only those marks
  // ("dô" is not "đỏ"), except that an equivalence also matches a term typed without any marks ("so do" finds
  // "sổ đỏ"); a left side written without marks matches a term typed without marks ("tui", not "túi").
  std::optional<Match> longest_match(std::span<const Term> terms, std::size_t position, bool rewrites) const;

  // True for a word that carries no topic (pronoun, particle, ...). A term with marks is looked up with its marks,
  // a term without marks by its folded form.
  bool is_function_word(const Term& term) const;

  // True for a folded token that keystroke repair must leave as typed ("max", "bus").
  bool is_foreign_word(std::string_view folded) const;

 private:
  struct Entry {
    std::vector<Term> left;
    std::vector<std::vector<Term>> phrases;
  };
  // Words and phrases looked up without building a string, by a short FNV-1a hash (the queries' words are a few
  // letters).
  struct WordHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view word) const {
      std::size_t hash = 1469598103934665603ULL;
      for (char character : word) hash = (hash ^ static_cast<unsigned char>(character)) * 1099511628211ULL;
      return hash;
    }
  };
  template <typename Value>
  using WordMap = std::unordered_map<std::string, Value, WordHash, std::equal_to<>>;
  using WordSet = std::unordered_set<std::string, WordHash, std::equal_to<>>;
  WordMap<std::vector<Entry>> rewrites_;  // key: folded left side, words joined by ' '
  WordMap<std::vector<Entry>> equivalents_;
  // Per folded first word of a left side: the most words of a left side starting with it (a query word that starts
  // none is passed over with one look-up).
  WordMap<std::size_t> longest_rewrite_from_;
  WordMap<std::size_t> longest_equivalent_from_;
  WordSet function_words_marked_;
  WordSet function_words_folded_;
  WordSet foreign_words_;
};

}  // namespace dvchub::text
