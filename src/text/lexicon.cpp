#include "text/lexicon.h"

#include <algorithm>
#include <cassert>

#include "resources/resources.h"

namespace dvchub::text {
namespace {

std::string_view trimmed(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// The folded words of terms[begin, begin + length) joined by ' ', written into `key` (which keeps its capacity).
const std::string& folded_key(std::span<const Term> terms, std::size_t begin, std::size_t length, std::string& key) {
  key.clear();
  for (std::size_t index = begin; index < begin + length; ++index) {
    if (!key.empty()) key += ' ';
    key += terms[index].folded;
  }
  return key;
}

std::string folded_key(std::span<const Term> terms, std::size_t begin, std::size_t length) {
  std::string key;
  folded_key(terms, begin, length, key);
  return key;
}

bool has_marks(const Term& term) { return term.marked != term.folded; }

bool matches(const Term& typed, const Term& written, bool rewrite) {
  if (has_marks(written)) return typed.marked == written.marked || (!rewrite && !has_marks(typed) && typed.folded == written.folded);
  return !has_marks(typed) && typed.folded == written.folded;
}

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    auto found = text.find(separator, start);
    parts.push_back(trimmed(text.substr(start, found == std::string_view::npos ? std::string_view::npos : found - start)));
    if (found == std::string_view::npos) return parts;
    start = found + separator.size();
  }
}

}  // namespace

Result<Lexicon> Lexicon::parse(std::string_view text) {
  Lexicon lexicon;
  enum class Section { none, equivalents, rewrites, function_words, foreign_words } section = Section::none;
  std::size_t line_number = 0;
  for (std::string_view rest = text; !rest.empty();) {
    auto end = rest.find('\n');
    std::string_view line = trimmed(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    auto bad_line = [&](const char* why) {
      return fail(ErrorCode::invalid_input, "Dòng " + std::to_string(line_number) + " của từ điển truy vấn: " + why);
    };
    if (line == "[equivalents]") { section = Section::equivalents; continue; }
    if (line == "[rewrites]") { section = Section::rewrites; continue; }
    if (line == "[function words]") { section = Section::function_words; continue; }
    if (line == "[foreign words]") { section = Section::foreign_words; continue; }
    switch (section) {
      case Section::none:
        return bad_line("dòng nằm ngoài mọi mục [...]");
      case Section::equivalents: {
        std::vector<std::vector<Term>> phrases;
        for (auto part : split(line, "|")) {
          auto phrase = terms(part);
          if (phrase.empty()) return bad_line("cụm từ trống giữa hai dấu |");
          phrases.push_back(std::move(phrase));
        }
        if (phrases.size() < 2) return bad_line("cần ít nhất hai cụm từ tương đương, ngăn bởi |");
        for (std::size_t index = 0; index < phrases.size(); ++index) {
          Entry entry{phrases[index], {}};
          for (std::size_t other = 0; other < phrases.size(); ++other) {
            if (other != index) entry.phrases.push_back(phrases[other]);
          }
          auto& longest = lexicon.longest_equivalent_from_[entry.left.front().folded];
          longest = std::max(longest, entry.left.size());
          lexicon.equivalents_[folded_key(phrases[index], 0, phrases[index].size())].push_back(std::move(entry));
        }
        break;
      }
      case Section::rewrites: {
        auto parts = split(line, "=>");
        if (parts.size() != 2) return bad_line("viết theo dạng: từ viết tắt => từ đầy đủ");
        auto from = terms(parts[0]);
        auto to = terms(parts[1]);
        if (from.empty() || to.empty()) return bad_line("thiếu vế trái hoặc vế phải của =>");
        auto& longest = lexicon.longest_rewrite_from_[from.front().folded];
        longest = std::max(longest, from.size());
        lexicon.rewrites_[folded_key(from, 0, from.size())].push_back(Entry{from, {to}});
        break;
      }
      case Section::function_words:
        for (const auto& word : terms(line)) {
          lexicon.function_words_marked_.insert(word.marked);
          lexicon.function_words_folded_.insert(word.folded);
        }
        break;
      case Section::foreign_words:
        for (const auto& word : terms(line)) lexicon.foreign_words_.insert(word.folded);
        break;
    }
  }
  return lexicon;
}

const Lexicon& Lexicon::standard() {
  static const Lexicon lexicon = [] {
    const auto* resource = resources::find("content/text/lexicon.txt");
    assert(resource && "content/text/lexicon.txt is compiled into the binary");
    auto parsed = parse(resource->content);
    assert(parsed && "content/text/lexicon.txt parses (text/lexicon_test.cpp checks it)");
    return parsed ? std::move(*parsed) : Lexicon{};
  }();
  return lexicon;
}

std::optional<Lexicon::Match> Lexicon::longest_match(std::span<const Term> terms, std::size_t position,
                                                     bool rewrites) const {
  const auto& table = rewrites ? rewrites_ : equivalents_;
  const auto& longest_from = rewrites ? longest_rewrite_from_ : longest_equivalent_from_;
  if (position >= terms.size()) return std::nullopt;
  auto starting = longest_from.find(terms[position].folded);
  if (starting == longest_from.end()) return std::nullopt;
  std::size_t longest = std::min(starting->second, terms.size() - position);
  thread_local std::string key;
  for (std::size_t length = longest; length > 0; --length) {
    auto found = table.find(folded_key(terms, position, length, key));
    if (found == table.end()) continue;
    for (const auto& entry : found->second) {
      bool all = true;
      for (std::size_t index = 0; index < length && all; ++index) {
        all = matches(terms[position + index], entry.left[index], rewrites);
      }
      if (all) return Match{length, rewrites, entry.phrases};
    }
  }
  return std::nullopt;
}

bool Lexicon::is_function_word(const Term& term) const {
  if (term.marked != term.folded) return function_words_marked_.contains(term.marked);
  return function_words_folded_.contains(term.folded);
}

bool Lexicon::is_foreign_word(std::string_view folded) const { return foreign_words_.contains(folded); }

}  // namespace dvchub::text
