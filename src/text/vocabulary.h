// text/vocabulary.h — what words and adjacent pairs a body of text (the knowledge base) uses, and two repairs of a
// question built on that: putting marks back on a question typed without them ("dang ky tai khoan" → "đăng ký tài
// khoản", for "did you mean"), and fixing a misspelt word from its neighbours ("tình trạn hôn nhân" → "trạng",
// "bổ xung" → "bổ sung", "tạm chú" → "tạm trú"). Build it once, then share it read-only between threads.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "text/lexicon.h"
#include "text/vietnamese.h"

namespace dvchub::text {

class Vocabulary {
 public:
  // Counts the words and adjacent pairs of one passage (a title, a question, a paragraph).
  void add(const std::vector<Term>& passage);

  // Takes back the counts of a passage given to `add` before (so a changed text can be replaced without recounting
  // everything). Removing a passage that was never added leaves counts that mean nothing.
  void remove(const std::vector<Term>& passage);

  // True when some passage holds the word / the two words side by side (folded forms).
  bool has_word(std::string_view folded) const;
  bool has_pair(std::string_view first_folded, std::string_view second_folded) const;

  // The terms with each word that fits neither of its neighbours (no known pair with either) replaced by a word
  // that does, when one is close: one edit away (a letter added, dropped, changed, or two swapped), or the same
  // but for a confusion common in Vietnamese spelling (onsets tr/ch, s/x, d/gi/r, l/n; finals n/ng, c/t). The
  // most frequent such pair wins; a word the text itself uses is replaced only by a pair at least twice (and five
  // times) as frequent as that word. Numbers, words of one letter and the lexicon's function words are left alone and
  // never proposed.
  std::vector<Term> corrected(const std::vector<Term>& terms, const Lexicon& lexicon) const;

  // The words of `terms` with marks put back where the question had none: for each folded word, the marked spelling
  // the text uses, chosen with its neighbours by a bigram model (Viterbi). Words with marks, and words the text
  // never uses, stay as typed.
  std::vector<std::string> restore_marks(const std::vector<Term>& terms) const;

 private:
  // Hashes a word as a std::string_view, so that maps keyed by std::string are searched without building one.
  struct WordHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view word) const noexcept { return std::hash<std::string_view>{}(word); }
  };
  // Open addressing: a question's repairs make hundreds of look-ups (session 8: node-based maps were a tenth of a
  // question's CPU at 10,050 articles).
  template <typename Value>
  using WordMap = boost::unordered_flat_map<std::string, Value, WordHash, std::equal_to<>>;

  WordMap<std::map<std::string, int>> spellings_;  // folded → written word → count
  WordMap<int> written_counts_;                    // written word → count
  WordMap<int> written_pairs_;                     // "written written" → count
  WordMap<int> folded_pairs_;                      // "folded folded" → count
  // folded → folded words seen after / before it → how many times
  WordMap<WordMap<int>> followers_;
  WordMap<WordMap<int>> predecessors_;
};

}  // namespace dvchub::text
