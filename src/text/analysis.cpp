#include "text/analysis.h"

namespace dvchub::text {

std::string AnalyzedQuery::text() const {
  std::string joined;
  for (const auto& term : terms) {
    if (!joined.empty()) joined += ' ';
    joined += term.word;
  }
  return joined;
}

Analyzer::Analyzer(SyllableInventory inventory, const Lexicon& lexicon)
    : inventory_(std::move(inventory)), lexicon_(&lexicon) {}

AnalyzedQuery Analyzer::analyze(std::string_view question) const {
  AnalyzedQuery query;
  std::vector<Term> typed;
  query.tokens = tokens(question);
  typed.reserve(query.tokens.size());
  query.terms.reserve(query.tokens.size());
  for (const auto& token : query.tokens) {
    Term keys = term(token);
    bool marked = keys.marked != keys.folded;
    query.has_diacritics = query.has_diacritics || marked;
    if (!marked && !lexicon_->is_foreign_word(keys.folded)) {
      const std::span<const Term> single(&keys, 1);
      bool is_abbreviation = lexicon_->longest_match(single, 0, true) || lexicon_->longest_match(single, 0, false);
      if (!is_abbreviation) {
        if (auto repaired = inventory_.repair_keystrokes(token)) {
          query.corrections.push_back({token, *repaired});
          query.has_diacritics = true;
          keys = term(*repaired);
        }
      }
    }
    typed.push_back(std::move(keys));
  }

  for (std::size_t position = 0; position < typed.size();) {
    auto match = lexicon_->longest_match(typed, position, true);
    if (!match) {
      query.terms.push_back(std::move(typed[position++]));
      continue;
    }
    Correction correction;
    for (std::size_t index = position; index < position + match->length; ++index) {
      correction.typed += (correction.typed.empty() ? "" : " ") + typed[index].word;
    }
    for (const auto& replacement : match->phrases.front()) {
      correction.corrected += (correction.corrected.empty() ? "" : " ") + replacement.word;
      query.terms.push_back(replacement);
    }
    query.corrections.push_back(std::move(correction));
    position += match->length;
  }

  for (std::size_t position = 0; position < query.terms.size();) {
    auto match = lexicon_->longest_match(query.terms, position, false);
    if (!match) {
      ++position;
      continue;
    }
    for (const auto& phrase : match->phrases) query.expansions.push_back({position, match->length, phrase});
    position += match->length;
  }
  return query;
}

}  // namespace dvchub::text
