#include "text/vietnamese.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "text/syllable.h"
#include "text/unicode.h"

namespace dvchub::text {
namespace {

constexpr char32_t small_d_with_stroke = U'\u0111';
constexpr char32_t capital_d_with_stroke = U'\u0110';

// Decomposed text without invisible format characters.
std::u32string decomposed_visible(std::string_view text) {
  std::u32string code_points = unicode::decode(text);
  std::erase_if(code_points, unicode::is_invisible);
  return unicode::decompose(code_points);
}

// The results of a pure function of a word, remembered by each thread: questions and articles repeat the same few
// thousand words, whose normalisation (decomposition, syllable spelling, composition) costs thousands of
// instructions and a look-up tens. Forgotten all at once past `limit` words, so the memory stays bounded.
template <typename Text, typename Value>
class WordMemo {
 public:
  // compute() for `word`, remembered; the reference is valid until the next call.
  template <typename Compute>
  const Value& get(std::basic_string_view<typename Text::value_type> word, Compute&& compute) {
    if (auto found = entries_.find(word); found != entries_.end()) return found->second;
    Value value = compute();
    if (entries_.size() >= limit) entries_.clear();
    return entries_.emplace(Text(word), std::move(value)).first->second;
  }

 private:
  static constexpr std::size_t limit = 8192;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::basic_string_view<typename Text::value_type> word) const {
      return std::hash<std::basic_string_view<typename Text::value_type>>{}(word);
    }
  };
  std::unordered_map<Text, Value, Hash, std::equal_to<>> entries_;
};

// A decomposed run of letters and marks in NFC, its tone moved to the canonical vowel when it spells a syllable
// (valid until the next call).
const std::u32string& canonical_run(std::u32string_view run) {
  thread_local WordMemo<std::u32string, std::u32string> memo;
  return memo.get(run, [run] {
    if (auto syllable = spell(run)) return compose(*syllable);
    return unicode::compose(run);
  });
}

Term term_of(std::string_view token);

bool is_word_character(char32_t code_point) {
  return unicode::is_letter(code_point) || unicode::is_nonspacing_mark(code_point) || unicode::is_digit(code_point);
}

bool is_ascii(char character) { return static_cast<unsigned char>(character) < 0x80; }
bool is_ascii_letter(char character) { return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z'); }
bool is_ascii_digit(char character) { return character >= '0' && character <= '9'; }
char ascii_lowercase(char character) { return character >= 'A' && character <= 'Z' ? static_cast<char>(character - 'A' + 'a') : character; }

// `tokens` of ASCII text, which needs no decoding or normalisation: lower-cased runs of letters and digits (a run of
// letters is its own canonical syllable: it has no marks to place).
std::vector<std::string> ascii_tokens(std::string_view text) {
  std::vector<std::string> result;
  result.reserve(text.size() / 4 + 1);  // words of a few letters and a space: growing the vector moved every token
  std::size_t index = 0;
  while (index < text.size()) {
    if (!is_ascii_letter(text[index]) && !is_ascii_digit(text[index])) {
      ++index;
      continue;
    }
    std::string run;
    for (; index < text.size(); ++index) {
      char character = text[index];
      bool separator_inside_number = (character == '.' || character == ',') && !run.empty() &&
                                     is_ascii_digit(run.back()) && index + 1 < text.size() &&
                                     is_ascii_digit(text[index + 1]);
      if (!is_ascii_letter(character) && !is_ascii_digit(character) && !separator_inside_number) break;
      run.push_back(ascii_lowercase(character));
    }
    result.push_back(std::move(run));
  }
  return result;
}

}  // namespace

std::string normalize(std::string_view text) {
  std::u32string decomposed = decomposed_visible(text);
  std::u32string result;
  result.reserve(decomposed.size());
  std::size_t index = 0;
  while (index < decomposed.size()) {
    if (!unicode::is_letter(decomposed[index])) {
      std::size_t end = index + 1;
      while (end < decomposed.size() && !unicode::is_letter(decomposed[end])) ++end;
      result += unicode::compose(std::u32string_view(decomposed).substr(index, end - index));
      index = end;
      continue;
    }
    std::size_t end = index + 1;
    while (end < decomposed.size() &&
           (unicode::is_letter(decomposed[end]) || unicode::is_nonspacing_mark(decomposed[end]))) {
      ++end;
    }
    result += canonical_run(std::u32string_view(decomposed).substr(index, end - index));
    index = end;
  }
  return unicode::encode(result);
}

std::string fold(std::string_view text) {
  std::u32string folded;
  for (char32_t code_point : decomposed_visible(text)) {
    if (unicode::is_nonspacing_mark(code_point)) continue;
    if (code_point == small_d_with_stroke || code_point == capital_d_with_stroke) code_point = U'd';
    folded.push_back(unicode::lowercase(code_point));
  }
  return unicode::encode(unicode::compose(folded));
}

bool has_marks(std::string_view text) {
  std::u32string decomposed = unicode::decompose(unicode::decode(text));
  return std::any_of(decomposed.begin(), decomposed.end(), [](char32_t code_point) {
    return unicode::is_nonspacing_mark(code_point) || code_point == small_d_with_stroke ||
           code_point == capital_d_with_stroke;
  });
}

std::vector<std::string> tokens(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char character) { return is_ascii(character); })) return ascii_tokens(text);
  std::u32string decomposed = decomposed_visible(text);
  std::vector<std::string> result;
  result.reserve(decomposed.size() / 4 + 1);
  std::size_t index = 0;
  while (index < decomposed.size()) {
    if (!is_word_character(decomposed[index]) || unicode::is_nonspacing_mark(decomposed[index])) {
      ++index;
      continue;
    }
    thread_local std::u32string run;  // keeps its capacity from one token to the next
    run.clear();
    bool has_digit = false;
    for (; index < decomposed.size(); ++index) {
      char32_t code_point = decomposed[index];
      bool separator_inside_number = (code_point == U'.' || code_point == U',') && !run.empty() &&
                                     unicode::is_digit(run.back()) && index + 1 < decomposed.size() &&
                                     unicode::is_digit(decomposed[index + 1]);
      if (!is_word_character(code_point) && !separator_inside_number) break;
      has_digit = has_digit || unicode::is_digit(code_point);
      run.push_back(unicode::lowercase(code_point));
    }
    result.push_back(has_digit ? unicode::encode(unicode::compose(run)) : unicode::encode(canonical_run(run)));
  }
  return result;
}

Term term(std::string_view token) {
  thread_local WordMemo<std::string, Term> memo;
  return memo.get(token, [token] { return term_of(token); });
}

namespace {

Term term_of(std::string_view token) {
  // ASCII (a third of the questions are typed without marks) skips decoding: such a token is its own NFC, spells a
  // syllable when it is all letters, and folds to lower case.
  if (std::all_of(token.begin(), token.end(), [](char character) { return is_ascii(character); })) {
    Term keys{std::string(token), std::string(token), {}};
    if (std::all_of(token.begin(), token.end(), is_ascii_letter)) {
      SpelledSyllable syllable;
      syllable.letters.reserve(token.size());
      for (char character : token) syllable.letters.push_back({static_cast<char32_t>(character), 0});
      unify_i_y(syllable);
      for (std::size_t index = 0; index < token.size(); ++index) {
        keys.marked[index] = static_cast<char>(syllable.letters[index].base);
      }
    }
    keys.folded = keys.marked;
    for (char& character : keys.folded) character = ascii_lowercase(character);
    return keys;
  }
  std::u32string decomposed = unicode::decompose(unicode::decode(token));
  auto syllable = spell(decomposed);
  if (!syllable) {
    std::string marked(token);
    std::string folded = fold(marked);
    return {std::string(token), std::move(marked), std::move(folded)};
  }
  Term keys;
  keys.word = unicode::encode(compose(*syllable));
  unify_i_y(*syllable);
  keys.marked = unicode::encode(compose(*syllable));
  // `fold(marked)` without decomposing it again: a spelled syllable's letters are a–z, A–Z, đ and Đ.
  keys.folded.reserve(syllable->letters.size());
  for (const Letter& letter : syllable->letters) {
    char32_t base = letter.base;
    if (base == small_d_with_stroke || base == capital_d_with_stroke) base = U'd';
    keys.folded.push_back(static_cast<char>(base >= U'A' && base <= U'Z' ? base - U'A' + U'a' : base));
  }
  return keys;
}

}  // namespace

std::vector<Term> terms(std::string_view text) {
  const std::vector<std::string> words = tokens(text);
  std::vector<Term> result;
  result.reserve(words.size());
  for (const auto& token : words) result.push_back(term(token));
  return result;
}

}  // namespace dvchub::text
