// text/analysis.h — what a typed question means to the search: its terms after keystroke repair and rewrites, the
// phrases its abbreviations stand for, and whether it carries marks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text/lexicon.h"
#include "text/syllables.h"
#include "text/vietnamese.h"

namespace dvchub::text {

// One change made to what the user typed, for "did you mean" and for logs.
struct Correction {
  std::string typed;      // "ddawng", "tk"
  std::string corrected;  // "đăng", "tài khoản"
  bool operator==(const Correction&) const = default;
};

// A phrase equivalent to `length` terms of the query starting at `begin` (DVC → dịch vụ công).
struct Expansion {
  std::size_t begin = 0;
  std::size_t length = 0;
  std::vector<Term> phrase;
};

struct AnalyzedQuery {
  std::vector<std::string> tokens;     // the question's tokens as typed (text::tokens)
  std::vector<Term> terms;             // in order, after keystroke repair and rewrites
  std::vector<Expansion> expansions;   // from the lexicon's equivalent phrases, in query order
  std::vector<Correction> corrections;        // keystroke repairs and rewrites, in order
  bool has_diacritics = false;                // marks typed, or restored from Telex/VNI keystrokes

  // The words of the terms, separated by spaces ("đăng ký tài khoản").
  std::string text() const;
};

// Analyses questions against a syllable inventory and a lexicon. Immutable after construction; `analyze` may be
// called from many threads at once.
class Analyzer {
 public:
  // `lexicon` must outlive the Analyzer (Lexicon::standard() lives for the whole process).
  explicit Analyzer(SyllableInventory inventory, const Lexicon& lexicon = Lexicon::standard());

  // Tokenises and normalises the question, repairs Telex/VNI leftovers onto real syllables (tokens that are
  // abbreviations or foreign words are left alone), applies the lexicon's rewrites, then collects the equivalent
  // phrases of its abbreviations and synonyms.
  AnalyzedQuery analyze(std::string_view question) const;

  const SyllableInventory& inventory() const { return inventory_; }
  const Lexicon& lexicon() const { return *lexicon_; }

 private:
  SyllableInventory inventory_;
  const Lexicon* lexicon_;
};

}  // namespace dvchub::text
