#include "text/vocabulary.h"

#include <algorithm>
#include <cmath>

namespace dvchub::text {
namespace {

std::string pair_text(std::string_view first, std::string_view second) {
  std::string text(first);
  text += ' ';
  text += second;
  return text;
}

// pair_text into `text`, which keeps its capacity (look-ups in a loop allocate once).
const std::string& pair_text(std::string_view first, std::string_view second, std::string& text) {
  text.assign(first);
  text += ' ';
  text += second;
  return text;
}

template <typename Counts>
int count_of(const Counts& counts, const std::string& key) {
  auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

// True when a[from_a..] and b[from_b..] are the same letters (compared one by one: words are a few letters).
bool same_rest(std::string_view a, std::size_t from_a, std::string_view b, std::size_t from_b) {
  if (a.size() - from_a != b.size() - from_b) return false;
  for (; from_a < a.size(); ++from_a, ++from_b) {
    if (a[from_a] != b[from_b]) return false;
  }
  return true;
}

// True when `a` becomes `b` with one insertion, deletion, substitution or swap of two adjacent letters.
bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t prefix = 0;
  while (prefix < a.size() && a[prefix] == b[prefix]) ++prefix;
  if (a.size() == b.size()) {
    if (prefix == a.size()) return false;  // the same word
    if (same_rest(a, prefix + 1, b, prefix + 1)) return true;  // substitution
    return prefix + 1 < a.size() && a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix] &&
           same_rest(a, prefix + 2, b, prefix + 2);  // swap
  }
  return same_rest(a, prefix, b, prefix + 1);  // insertion
}

// True when `text` starts with the two letters `first`, `second` (compared as characters: this runs for every
// neighbour of a misfit word).
bool starts_with(std::string_view text, char first, char second) {
  return text.size() >= 2 && text[0] == first && text[1] == second;
}

// Writes into `key` the folded syllable with the commonly confused onsets and finals written one way (tr/ch → ch,
// gi/r/d → d, x/s → s, n/l → l but for ng and nh; finals ng/n → n, c/t → t) and returns its length, at most
// folded.size() (no replacement is longer than what it replaces): `key` needs room for that many characters.
std::size_t write_confusion_key(std::string_view folded, char* key) {
  std::size_t onset = 0;         // letters of the onset replaced
  std::string_view replacement;  // what replaces them
  if (starts_with(folded, 't', 'r')) {
    onset = 2;
    replacement = "ch";
  } else if (starts_with(folded, 'g', 'i')) {
    onset = 2;
    replacement = "d";
  } else if (!folded.empty() && folded[0] == 'r') {
    onset = 1;
    replacement = "d";
  } else if (!folded.empty() && folded[0] == 'x') {
    onset = 1;
    replacement = "s";
  } else if (!folded.empty() && folded[0] == 'n' && !starts_with(folded, 'n', 'g') && !starts_with(folded, 'n', 'h')) {
    onset = 1;
    replacement = "l";
  }
  std::size_t length = 0;
  for (char character : replacement) key[length++] = character;
  for (std::size_t index = onset; index < folded.size(); ++index) key[length++] = folded[index];
  if (length > 2 && key[length - 2] == 'n' && key[length - 1] == 'g') {
    --length;  // ng → n
  } else if (length > 1 && key[length - 1] == 'c') {
    key[length - 1] = 't';
  }
  return length;
}

// write_confusion_key into a string.
std::string confusion_key(std::string_view folded) {
  std::string key(folded.size(), '\0');
  key.resize(write_confusion_key(folded, key.data()));
  return key;
}

// The first and last letters and the length of confusion_key(folded) for a word of four letters or more (the onset
// and the final then cannot overlap), without building the key.
struct KeyOutline {
  char first = 0;
  char last = 0;
  std::size_t size = 0;
  bool operator==(const KeyOutline&) const = default;
};
KeyOutline confusion_key_outline(std::string_view folded) {
  KeyOutline outline{folded.front(), folded.back(), folded.size()};
  if (starts_with(folded, 't', 'r')) {
    outline.first = 'c';
  } else if (starts_with(folded, 'g', 'i')) {
    outline.first = 'd';
    --outline.size;
  } else if (outline.first == 'r') {
    outline.first = 'd';
  } else if (outline.first == 'x') {
    outline.first = 's';
  } else if (outline.first == 'n' && !starts_with(folded, 'n', 'g') && !starts_with(folded, 'n', 'h')) {
    outline.first = 'l';
  }
  if (folded.ends_with("ng")) {
    outline.last = 'n';
    --outline.size;
  } else if (outline.last == 'c') {
    outline.last = 't';
  }
  return outline;
}

// True when `known` is one edit from `typed` or the same but for a common confusion; `typed_key` is
// confusion_key(typed), `known_key` scratch space for typed.size() + 2 characters. A confusion changes a word's
// length by at most two, an edit by one: farther lengths are told apart without building a key, and so are keys
// whose ends or lengths differ.
bool close_spellings(const std::string& typed, const std::string& typed_key, const std::string& known,
                     char* known_key) {
  if (known.size() + 2 < typed.size() || typed.size() + 2 < known.size()) return false;
  if (one_edit_apart(typed, known)) return true;
  if (typed_key.empty() || same_rest(typed, 0, known, 0)) return false;  // the same word
  if (known.size() >= 4 &&
      confusion_key_outline(known) != KeyOutline{typed_key.front(), typed_key.back(), typed_key.size()}) {
    return false;
  }
  return std::string_view(known_key, write_confusion_key(known, known_key)) == typed_key;
}

bool is_number(std::string_view folded) {
  return std::all_of(folded.begin(), folded.end(), [](char character) {
    return (character >= '0' && character <= '9') || character == '.' || character == ',';
  });
}

}  // namespace

void Vocabulary::add(const std::vector<Term>& passage) {
  for (std::size_t index = 0; index < passage.size(); ++index) {
    const Term& term = passage[index];
    ++spellings_[term.folded][term.word];
    ++written_counts_[term.word];
    if (index + 1 < passage.size()) {
      const Term& next = passage[index + 1];
      ++written_pairs_[pair_text(term.word, next.word)];
      ++folded_pairs_[pair_text(term.folded, next.folded)];
      ++followers_[term.folded][next.folded];
      ++predecessors_[next.folded][term.folded];
    }
  }
}

namespace {

// Lowers a count of `counts` by one, forgetting the key at zero.
template <typename Counts, typename Key>
void decrement(Counts& counts, const Key& key) {
  auto found = counts.find(key);
  if (found != counts.end() && --found->second <= 0) counts.erase(found);
}

// Lowers the count of `inner` under `outer`, forgetting either when it is left empty.
template <typename Nested>
void decrement(Nested& counts, const std::string& outer, const std::string& inner) {
  auto found = counts.find(outer);
  if (found == counts.end()) return;
  decrement(found->second, inner);
  if (found->second.empty()) counts.erase(found);
}

}  // namespace

void Vocabulary::remove(const std::vector<Term>& passage) {
  for (std::size_t index = 0; index < passage.size(); ++index) {
    const Term& term = passage[index];
    decrement(spellings_, term.folded, term.word);
    decrement(written_counts_, term.word);
    if (index + 1 < passage.size()) {
      const Term& next = passage[index + 1];
      decrement(written_pairs_, pair_text(term.word, next.word));
      decrement(folded_pairs_, pair_text(term.folded, next.folded));
      decrement(followers_, term.folded, next.folded);
      decrement(predecessors_, next.folded, term.folded);
    }
  }
}

bool Vocabulary::has_word(std::string_view folded) const { return spellings_.contains(folded); }

bool Vocabulary::has_pair(std::string_view first_folded, std::string_view second_folded) const {
  thread_local std::string pair;
  return folded_pairs_.contains(pair_text(first_folded, second_folded, pair));
}

std::vector<Term> Vocabulary::corrected(const std::vector<Term>& terms, const Lexicon& lexicon) const {
  std::vector<Term> result = terms;
  for (std::size_t index = 0; index < terms.size(); ++index) {
    const std::string& typed = terms[index].folded;
    if (typed.size() < 2 || is_number(typed) || lexicon.is_function_word(terms[index])) continue;
    const std::string* before = index > 0 ? &result[index - 1].folded : nullptr;
    const std::string* after = index + 1 < terms.size() ? &terms[index + 1].folded : nullptr;
    if ((before && has_pair(*before, typed)) || (after && has_pair(typed, *after))) continue;
    std::string best;
    int best_count = 0;
    const std::string typed_key = confusion_key(typed);
    std::string known_key(typed.size() + 2, '\0');
    std::string pair;
    auto consider = [&](const std::string& known) {
      if (!close_spellings(typed, typed_key, known, known_key.data()) ||
          lexicon.is_function_word(Term{known, known, known})) {
        return;
      }
      int count = (before ? count_of(folded_pairs_, pair_text(*before, known, pair)) : 0) +
                  (after ? count_of(folded_pairs_, pair_text(known, *after, pair)) : 0);
      if (count > best_count || (count == best_count && count > 0 && known < best)) {
        best = known;
        best_count = count;
      }
    };
    if (before) {
      if (auto found = followers_.find(*before); found != followers_.end()) {
        for (const auto& [known, count] : found->second) consider(known);
      }
    }
    if (after) {
      if (auto found = predecessors_.find(*after); found != predecessors_.end()) {
        for (const auto& [known, count] : found->second) consider(known);
      }
    }
    if (best_count == 0) continue;
    // A word the text uses itself gives way only to a pair far more common than the word ("dịch vụ côn" → "công",
    // but not "ủy ban" → "ý bạn").
    if (auto known = spellings_.find(typed); known != spellings_.end()) {
      int typed_count = 0;
      for (const auto& [word, count] : known->second) typed_count += count;
      if (best_count < std::max(5, 2 * typed_count)) continue;
    }
    const auto& spellings = spellings_.at(best);
    auto most_written = std::max_element(spellings.begin(), spellings.end(),
                                         [](const auto& left, const auto& right) { return left.second < right.second; });
    result[index] = term(most_written->first);
  }
  return result;
}

std::vector<std::string> Vocabulary::restore_marks(const std::vector<Term>& terms) const {
  // A question whose every word has marks, or is unknown, keeps its words: there is nothing to choose.
  auto has_choices = [this](const Term& term) { return term.marked == term.folded && spellings_.contains(term.folded); };
  if (std::none_of(terms.begin(), terms.end(), has_choices)) {
    std::vector<std::string> words;
    words.reserve(terms.size());
    for (const auto& term : terms) words.push_back(term.word);
    return words;
  }
  // The lattice, position after position: each choice points at its spelling (a key of spellings_, or the word as
  // typed), kept in buffers the thread reuses.
  struct Choice {
    const std::string* word = nullptr;
    double unigram = 0;  // log(1 + how often the text writes the word)
    double score = 0;
    std::size_t previous = 0;
  };
  thread_local std::vector<Choice> choices;
  thread_local std::vector<std::size_t> starts;  // per position, its first choice; one more entry at the end
  choices.clear();
  starts.clear();
  for (const auto& term : terms) {
    starts.push_back(choices.size());
    auto found = spellings_.find(term.folded);
    if (term.marked != term.folded || found == spellings_.end()) {
      choices.push_back({&term.word});
    } else {
      for (const auto& [word, count] : found->second) choices.push_back({&word});
    }
  }
  starts.push_back(choices.size());
  // Each choice scores its unigram plus the best of the previous position's choices with their pair, taken in
  // order (the first of equal scores wins). The pair texts share the previous word: built once per previous choice.
  thread_local std::string pair;
  for (std::size_t position = 0; position < terms.size(); ++position) {
    for (std::size_t current = starts[position]; current < starts[position + 1]; ++current) {
      choices[current].unigram = std::log(1.0 + count_of(written_counts_, *choices[current].word));
      if (position == 0) choices[current].score = choices[current].unigram;
    }
    if (position == 0) continue;
    for (std::size_t previous = starts[position - 1]; previous < starts[position]; ++previous) {
      const Choice& before = choices[previous];
      pair.assign(*before.word);
      pair += ' ';
      const std::size_t prefix = pair.size();
      for (std::size_t current = starts[position]; current < starts[position + 1]; ++current) {
        Choice& choice = choices[current];
        pair.resize(prefix);
        pair += *choice.word;
        int pair_count = count_of(written_pairs_, pair);
        // A seen pair outweighs frequency; an unseen one adds log(1) = 0.
        double seen = pair_count > 0 ? 4.0 * std::log(1.0 + pair_count) : 0.0;
        double score = before.score + choice.unigram + seen;
        if (previous == starts[position - 1] || score > choice.score) {
          choice.score = score;
          choice.previous = previous - starts[position - 1];
        }
      }
    }
  }
  std::vector<std::string> words(terms.size());
  if (terms.empty()) return words;
  std::size_t best = 0;
  const std::size_t last = starts[terms.size() - 1];
  for (std::size_t index = 1; last + index < starts[terms.size()]; ++index) {
    if (choices[last + index].score > choices[last + best].score) best = index;
  }
  for (std::size_t position = terms.size(); position-- > 0;) {
    const Choice& choice = choices[starts[position] + best];
    words[position] = *choice.word;
    best = choice.previous;
  }
  return words;
}

}  // namespace dvchub::text
