#include "assistant/engine.h"

#include <algorithm>
#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/recent_memory.h"
#include "markdown/markdown.h"
#include "privacy/personal_data.h"
#include "resources/resources.h"
#include "search/index.h"
#include "text/analysis.h"
#include "text/vocabulary.h"
#include "text/vietnamese.h"

namespace dvchub::assistant {
namespace {

using text::Term;

// Matching keys (folded words, adjacent pairs, marked words) are compared by a 64-bit hash of their text.
using Key = std::uint64_t;
using KeySet = std::vector<Key>;  // sorted, without duplicates

Key key_of(char kind, const std::string& first, const std::string& second = {}) {
  Key hash = 1469598103934665603ULL;  // FNV-1a
  auto mix = [&](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  mix(static_cast<unsigned char>(kind));
  for (char character : first) mix(static_cast<unsigned char>(character));
  if (!second.empty()) {
    mix('_');
    for (char character : second) mix(static_cast<unsigned char>(character));
  }
  return hash;
}

// A set of keys, each with a number, for look-ups in about one probe (open addressing, at most half full): a
// question's few dozen keys are looked up in a whole item's thousands, 30 items per question, which binary searches
// and merges made a fifth of the cost of an answer. The keys are probed in an array of their own (8 bytes a slot),
// the numbers read only for a key found (none are kept for a table made without them, 4 bytes a slot otherwise).
class KeyTable {
 public:
  static constexpr std::uint32_t absent = 0xFFFFFFFF;

  KeyTable() = default;
  // `keys` distinct; `numbers[i]` (when given, same length) is what find(keys[i]) returns (0 without numbers).
  explicit KeyTable(const KeySet& keys, const std::vector<std::uint32_t>& numbers = {}) {
    std::size_t size = 8;
    while (size < 2 * keys.size()) size *= 2;
    slots_.assign(size, empty_key);
    if (!numbers.empty()) numbers_.assign(size, 0);
    mask_ = size - 1;
    for (std::size_t index = 0; index < keys.size(); ++index) {
      std::uint32_t number = numbers.empty() ? 0 : numbers[index];
      if (keys[index] == empty_key) {
        empty_key_number_ = number;
        continue;
      }
      std::size_t slot = slot_of(keys[index]);
      while (slots_[slot] != empty_key) slot = (slot + 1) & mask_;
      slots_[slot] = keys[index];
      if (!numbers.empty()) numbers_[slot] = number;
    }
  }

  // The number of `key`, or `absent`.
  std::uint32_t find(Key key) const {
    if (key == empty_key) return empty_key_number_;
    if (slots_.empty()) return absent;
    for (std::size_t slot = slot_of(key);; slot = (slot + 1) & mask_) {
      if (slots_[slot] == key) return numbers_.empty() ? 0 : numbers_[slot];
      if (slots_[slot] == empty_key) return absent;
    }
  }

  bool contains(Key key) const { return find(key) != absent; }

 private:
  static constexpr Key empty_key = 0;  // marks a free slot; a key that is 0 is kept aside
  std::size_t slot_of(Key key) const { return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask_; }
  std::vector<Key> slots_;
  std::vector<std::uint32_t> numbers_;  // by slot; empty for a table made without numbers
  std::size_t mask_ = 0;
  std::uint32_t empty_key_number_ = absent;
};

void sort_keys(KeySet& keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

// The weights of the knowledge base's keys, looked up in about one probe (a question looks up a few hundred).
class KeyWeights {
 public:
  KeyWeights() = default;
  // `keys` distinct, `weights[i]` the weight of keys[i].
  KeyWeights(const KeySet& keys, std::vector<double> weights) : weights_(std::move(weights)) {
    std::vector<std::uint32_t> numbers(keys.size());
    for (std::size_t index = 0; index < keys.size(); ++index) numbers[index] = static_cast<std::uint32_t>(index);
    table_ = KeyTable(keys, numbers);
  }

  // The weight of `key`, or nullptr when no item holds it.
  const double* find(Key key) const {
    std::uint32_t number = table_.find(key);
    return number == KeyTable::absent ? nullptr : &weights_[number];
  }
  bool contains(Key key) const { return table_.contains(key); }

 private:
  KeyTable table_;
  std::vector<double> weights_;
};

// How the re-ranking score is made (docs/assistant-quality.md, "Method"). Chosen by a coarse search on the tune
// split and on held-out article phrasings (each third of every article's questions removed in turn); the
// neighbourhood is flat (±1 question on the tune split), so round values were kept.
struct RankingWeights {
  double phrasing = 0.55;      // best cosine between the question and one stored phrasing (title, question, keyword)
  double coverage = 0.25;      // share of the question's weight found anywhere in the item
  double marks = 0.15;         // share of the question's marked words found with the same marks
  double index = 0.30;         // the index's BM25 score relative to the most any document could score
  double function_word = 0.1;  // weight of a function word relative to its IDF
  double variant = 0.85;       // score factor of a reading with an abbreviation expanded or a misspelling fixed
};
constexpr RankingWeights weights{};

// Xapian passage weights: a title or phrasing counts more than body text.
constexpr unsigned title_weight = 4;
constexpr unsigned phrasing_weight = 3;
constexpr unsigned body_weight = 1;
constexpr std::size_t index_candidates = 30;
constexpr std::size_t follow_up_maximum_words = 8;
constexpr std::size_t snippet_characters = 220;

// Words that only say which aspect of a procedure is asked about; a question made of these and function words
// has no topic of its own (a follow-up). Folded.
enum class Aspect { none, fee, time, documents, place };
struct AspectWord {
  std::string_view folded;
  Aspect aspect;
};
constexpr AspectWord aspect_words[] = {
    {"phi", Aspect::fee},         {"le", Aspect::fee},          {"tien", Aspect::fee},      {"mien", Aspect::fee},
    {"lau", Aspect::time},        {"mat", Aspect::time},        {"thoi", Aspect::time},     {"han", Aspect::time},
    {"gian", Aspect::time},       {"ngay", Aspect::time},       {"tuan", Aspect::time},     {"thang", Aspect::time},
    {"xong", Aspect::time},       {"giay", Aspect::documents},  {"to", Aspect::documents},  {"ho", Aspect::documents},
    {"so", Aspect::documents},    {"thanh", Aspect::documents}, {"phan", Aspect::documents},
    {"chuan", Aspect::documents}, {"mau", Aspect::documents},   {"khai", Aspect::documents},
    {"dau", Aspect::place},       {"quan", Aspect::place},      {"noi", Aspect::place},     {"nop", Aspect::place},
    {"truc", Aspect::none},       {"tuyen", Aspect::none},      {"online", Aspect::none},   {"ket", Aspect::none},
    {"qua", Aspect::none},        {"nhan", Aspect::none},       {"thu", Aspect::none},      {"tuc", Aspect::none},
    {"lam", Aspect::none},        {"the", Aspect::none},        {"nao", Aspect::none},      {"o", Aspect::place},
    {"co", Aspect::place},        {"bi", Aspect::documents},    {"gio", Aspect::time},      {"nua", Aspect::none}};

// A word of 1–8 bytes (no zero byte) as one integer, its bytes in order: aspect words are compared as integers.
constexpr std::uint64_t packed_word(std::string_view word) {
  std::uint64_t value = 0;
  for (std::size_t index = 0; index < word.size(); ++index) {
    value |= std::uint64_t{static_cast<unsigned char>(word[index])} << (8 * index);
  }
  return value;
}
// The aspect words packed, sorted, each with its index in aspect_words (found by a binary search).
struct PackedAspectWord {
  std::uint64_t packed = 0;
  std::size_t index = 0;
  constexpr bool operator<(const PackedAspectWord& other) const { return packed < other.packed; }
};
constexpr auto packed_aspect_words = [] {
  std::array<PackedAspectWord, std::size(aspect_words)> packed{};
  for (std::size_t index = 0; index < packed.size(); ++index) {
    packed[index] = {packed_word(aspect_words[index].folded), index};
  }
  std::sort(packed.begin(), packed.end());
  return packed;
}();

Key word_key(const Term& term) { return key_of('w', term.folded); }
Key pair_key(const Term& first, const Term& second) { return key_of('p', first.folded, second.folded); }
Key marked_key(const Term& term) { return key_of('m', term.marked); }

bool has_marks(const Term& term) { return term.marked != term.folded; }

bool is_number(const Term& term) {
  return std::all_of(term.folded.begin(), term.folded.end(),
                     [](char character) { return (character >= '0' && character <= '9') || character == '.' || character == ','; });
}

// Folded words and pairs of a phrase into `folded_keys`, its marked words into `marked_keys` (both left unsorted).
void add_keys(const std::vector<Term>& terms, KeySet& folded_keys, KeySet& marked_keys) {
  for (std::size_t index = 0; index < terms.size(); ++index) {
    folded_keys.push_back(word_key(terms[index]));
    if (index + 1 < terms.size()) folded_keys.push_back(pair_key(terms[index], terms[index + 1]));
    marked_keys.push_back(marked_key(terms[index]));
  }
}

// Writes the terms into `passage`, whose strings keep their capacity (a question's passages are rewritten in
// buffers kept by the thread, not allocated anew).
void write_passage(const std::vector<Term>& terms, unsigned weight, bool with_marks, search::Passage& passage) {
  passage.weight = weight;
  passage.folded.resize(terms.size());
  passage.marked.resize(with_marks ? terms.size() : 0);
  for (std::size_t index = 0; index < terms.size(); ++index) {
    passage.folded[index] = terms[index].folded;
    if (with_marks) passage.marked[index] = terms[index].marked;
  }
}

search::Passage passage_of(const std::vector<Term>& terms, unsigned weight, bool with_marks) {
  search::Passage passage;
  write_passage(terms, weight, with_marks, passage);
  return passage;
}

// The text cut at a space before `limit` characters (not bytes), with "…" when cut.
std::string shortened(const std::string& text, std::size_t limit) {
  std::size_t count = 0;
  std::size_t cut = std::string::npos;
  for (std::size_t offset = 0; offset < text.size(); ++offset) {
    if ((static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) continue;
    if (count == limit) {
      cut = offset;
      break;
    }
    ++count;
  }
  if (cut == std::string::npos) return text;
  std::size_t space = text.rfind(' ', cut);
  if (space == std::string::npos || space < cut / 2) space = cut;
  return text.substr(0, space) + "…";
}

// A paragraph's snippet (its text shortened), or "" for a heading under 40 bytes ("Các bước"), never shown.
std::string paragraph_snippet(const std::string& masked) {
  return masked.size() < 40 ? std::string() : shortened(masked, snippet_characters);
}

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  std::string text = buffer;
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string text;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!text.empty()) text += separator;
    text += part;
  }
  return text;
}

// The terms of a knowledge item's passages, as text::terms makes them from their text.
struct Passages {
  std::vector<std::vector<Term>> phrasings;  // title first, then questions and keywords (articles), name (procedures)
  std::vector<std::vector<Term>> body;       // paragraphs / catalogue fields

  // Calls `use(passage)` for every passage (phrasings, then paragraphs).
  template <typename Use>
  void for_each(Use&& use) const {
    for (const auto& phrasing : phrasings) use(phrasing);
    for (const auto& paragraph : body) use(paragraph);
  }
};

// A key of an item's passages with whether its first occurrence there (phrasings, then paragraphs) is a function word
// or a pair of two.
struct KeyUse {
  Key key = 0;
  bool function_word = false;
};

// Every key of the passages (folded words and pairs, marked words) once, with its use; sorted by key. (Every
// occurrence listed in order, then sorted stably and the first of each key kept: a hash map of the keys was a seventh
// of the start-up.)
std::vector<KeyUse> key_uses_of(const Passages& passages) {
  const auto& lexicon = text::Lexicon::standard();
  std::size_t terms_count = 0;
  passages.for_each([&](const std::vector<Term>& terms) { terms_count += terms.size(); });
  std::vector<KeyUse> key_uses;
  key_uses.reserve(3 * terms_count);
  auto note_terms = [&](const std::vector<Term>& terms) {
    for (std::size_t index = 0; index < terms.size(); ++index) {
      bool function_word = lexicon.is_function_word(terms[index]);
      key_uses.push_back({word_key(terms[index]), function_word});
      key_uses.push_back({marked_key(terms[index]), function_word});
      if (index + 1 < terms.size()) {
        key_uses.push_back({pair_key(terms[index], terms[index + 1]),
                            function_word && lexicon.is_function_word(terms[index + 1])});
      }
    }
  };
  passages.for_each(note_terms);
  auto by_key = [](const KeyUse& left, const KeyUse& right) { return left.key < right.key; };
  std::stable_sort(key_uses.begin(), key_uses.end(), by_key);
  auto same_key = [](const KeyUse& left, const KeyUse& right) { return left.key == right.key; };
  key_uses.erase(std::unique(key_uses.begin(), key_uses.end(), same_key), key_uses.end());
  return key_uses;
}

// One knowledge item, analysed when it is made (and again, from its text, when it is taken out of the counts).
// Immutable; shared by snapshots.
struct Item {
  ItemKind kind = ItemKind::article;
  std::string id;  // "article:<topic>" or "procedure:<code>"
  std::string topic;
  std::string code;
  std::string title;
  std::size_t order = 0;  // insertion order, for stable ties
  // The text of every passage as given to text::terms, one after the other: the phrasings (title first, then
  // questions and keywords for articles, the name for procedures), then the paragraphs (articles: each line of the
  // body as plain text; procedures: the catalogue lines); passage i ends at passage_ends[i]. Their terms are not kept
  // (three strings a word were a third of the engine's memory): the terms are made when the item is, for its index
  // document, its counts and the syllable inventory (NewItem), and made again by passages() when the item is taken
  // back out of the counts; text::terms is a pure function of the text, so they are the terms that were counted in.
  std::string passage_text;
  std::vector<std::uint32_t> passage_ends;
  std::size_t phrasing_count = 0;  // the first passages that are phrasings
  // Snippets, made once. Articles: each paragraph as plain text, personal data masked, shortened ("" for a heading
  // such as "Các bước", under 40 bytes, never shown), and the title's. Procedures: one per aspect asked about.
  std::vector<std::string> paragraph_snippets;
  std::string title_snippet;
  std::array<std::string, 5> aspect_snippets;  // by Aspect
  std::vector<KeySet> phrasing_keys;
  // Every key of every phrasing with the phrasing's index, sorted by key then index: one pass over these scores a
  // question against all phrasings at once.
  struct PhrasingPosting {
    Key key = 0;
    std::uint32_t phrasing = 0;
  };
  std::vector<PhrasingPosting> phrasing_postings;
  // The folded keys of everything, each numbered by its rank among them (one probe tells whether the item holds a
  // key and where to read about it), and per number: the index of its first posting in phrasing_postings
  // (KeyTable::absent when no phrasing holds it), and where its paragraphs start in paragraph_postings (one more
  // entry at the end). paragraph_postings lists, key by key, the paragraphs (of `body`) that hold it, in order.
  KeyTable folded_keys;
  std::vector<std::uint32_t> phrasing_starts;
  std::vector<std::uint32_t> paragraph_starts;
  std::vector<std::uint32_t> paragraph_postings;
  KeyTable marked_keys;  // of everything
  // The keys of folded_keys and marked_keys whose first occurrence in the item (phrasings, then paragraphs) is a
  // function word or a pair of two: what a snapshot asks of the items for the few keys that some use as function
  // words and others not. The uses of every key, which the counts need, are made from the terms (key_uses_of): kept
  // here they were a tenth of the engine's memory.
  KeySet function_word_keys;
  Key topic_hash = 0;  // of topic_key(): a ranking compares its candidates' topics by this first

  std::string_view topic_key() const { return topic.empty() ? id : topic; }

  // True when a passage holds the key (folded or marked).
  bool holds(Key key) const { return folded_keys.contains(key) || marked_keys.contains(key); }

  // Analyses the text of the next passage, a phrasing (all come before the first paragraph) or a paragraph, keeps
  // the text and adds its terms to `passages`; false, and nothing kept, for a text without words unless `keep_empty`.
  bool add_passage(std::string_view text, bool phrasing, Passages& passages, bool keep_empty = false) {
    auto terms = text::terms(text);
    if (terms.empty() && !keep_empty) return false;
    passage_text += text;
    passage_ends.push_back(static_cast<std::uint32_t>(passage_text.size()));
    if (phrasing) {
      ++phrasing_count;
      passages.phrasings.push_back(std::move(terms));
    } else {
      passages.body.push_back(std::move(terms));
    }
    return true;
  }

  // The terms of the passages, analysed again from their text: those that were counted in when the item was made.
  Passages passages() const {
    Passages passages;
    std::size_t begin = 0;
    for (std::size_t index = 0; index < passage_ends.size(); ++index) {
      auto terms = text::terms(std::string_view(passage_text).substr(begin, passage_ends[index] - begin));
      (index < phrasing_count ? passages.phrasings : passages.body).push_back(std::move(terms));
      begin = passage_ends[index];
    }
    return passages;
  }

  search::Document document(const Passages& passages) const {
    search::Document document{id, {}};
    const auto& [phrasings, body] = passages;
    for (std::size_t index = 0; index < phrasings.size(); ++index) {
      document.passages.push_back(passage_of(phrasings[index], index == 0 ? title_weight : phrasing_weight, true));
    }
    for (const auto& paragraph : body) document.passages.push_back(passage_of(paragraph, body_weight, true));
    return document;
  }

  // Makes the item's keys from its passages' terms; returns the uses of every key (key_uses_of).
  std::vector<KeyUse> finish(const Passages& passages) {
    const auto& [phrasings, body] = passages;
    passage_text.shrink_to_fit();  // grown passage by passage
    passage_ends.shrink_to_fit();
    topic_hash = key_of('t', std::string(topic_key()));
    KeySet all_folded;
    KeySet all_marked;
    for (const auto& phrasing : phrasings) {
      phrasing_keys.emplace_back();
      add_keys(phrasing, phrasing_keys.back(), all_marked);
      sort_keys(phrasing_keys.back());
      all_folded.insert(all_folded.end(), phrasing_keys.back().begin(), phrasing_keys.back().end());
    }
    struct ParagraphPosting {
      Key key = 0;
      std::uint32_t paragraph = 0;
    };
    std::vector<ParagraphPosting> by_key;
    for (std::size_t index = 0; index < body.size(); ++index) {
      KeySet keys;
      add_keys(body[index], keys, all_marked);
      sort_keys(keys);
      all_folded.insert(all_folded.end(), keys.begin(), keys.end());
      for (Key key : keys) by_key.push_back({key, static_cast<std::uint32_t>(index)});
    }
    sort_keys(all_folded);
    sort_keys(all_marked);
    marked_keys = KeyTable(all_marked);
    std::vector<std::uint32_t> numbers(all_folded.size());
    for (std::size_t index = 0; index < all_folded.size(); ++index) numbers[index] = static_cast<std::uint32_t>(index);
    folded_keys = KeyTable(all_folded, numbers);
    std::sort(by_key.begin(), by_key.end(), [](const ParagraphPosting& left, const ParagraphPosting& right) {
      return left.key != right.key ? left.key < right.key : left.paragraph < right.paragraph;
    });
    paragraph_starts.assign(all_folded.size() + 1, 0);
    paragraph_postings.reserve(by_key.size());
    std::size_t posting = 0;
    for (std::size_t index = 0; index < all_folded.size(); ++index) {
      paragraph_starts[index] = static_cast<std::uint32_t>(paragraph_postings.size());
      for (; posting < by_key.size() && by_key[posting].key == all_folded[index]; ++posting) {
        paragraph_postings.push_back(by_key[posting].paragraph);
      }
    }
    paragraph_starts[all_folded.size()] = static_cast<std::uint32_t>(paragraph_postings.size());
    std::size_t phrasing_key_count = 0;
    for (const auto& keys : phrasing_keys) phrasing_key_count += keys.size();
    phrasing_postings.reserve(phrasing_key_count);
    for (std::size_t index = 0; index < phrasing_keys.size(); ++index) {
      for (Key key : phrasing_keys[index]) phrasing_postings.push_back({key, static_cast<std::uint32_t>(index)});
    }
    std::sort(phrasing_postings.begin(), phrasing_postings.end(), [](const PhrasingPosting& left, const PhrasingPosting& right) {
      return left.key != right.key ? left.key < right.key : left.phrasing < right.phrasing;
    });
    phrasing_starts.assign(all_folded.size(), KeyTable::absent);
    for (std::size_t index = 0; index < phrasing_postings.size(); ++index) {
      if (index > 0 && phrasing_postings[index - 1].key == phrasing_postings[index].key) continue;
      phrasing_starts[folded_keys.find(phrasing_postings[index].key)] = static_cast<std::uint32_t>(index);
    }
    auto uses = key_uses_of(passages);
    for (const auto& use : uses) {
      if (use.function_word) function_word_keys.push_back(use.key);
    }
    function_word_keys.shrink_to_fit();
    return uses;
  }
};

// A new item with the terms of its passages, which it does not keep: what its index document, its counts and the
// syllable inventory are made from (Engine::State::stage).
struct NewItem {
  std::shared_ptr<const Item> item;
  Passages passages;
  std::vector<KeyUse> key_uses;  // of the passages
};

NewItem article_item(const Article& article, std::size_t order) {
  auto item = std::make_shared<Item>();
  Passages passages;
  item->kind = ItemKind::article;
  item->id = "article:" + article.topic;
  item->topic = article.topic;
  item->title = article.title;
  item->order = order;
  // Phrasings and paragraphs without words are left out.
  item->add_passage(article.title, true, passages);
  for (const auto& question : article.questions) item->add_passage(question, true, passages);
  for (const auto& keyword : article.keywords) item->add_passage(keyword, true, passages);
  std::string_view rest = article.body_markdown;
  while (!rest.empty()) {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    std::string plain = markdown::to_plain_text(line);
    if (!item->add_passage(plain, false, passages)) continue;
    item->paragraph_snippets.push_back(paragraph_snippet(privacy::mask_personal_data(plain)));
  }
  item->title_snippet = privacy::mask_personal_data(shortened(item->title, snippet_characters));
  auto key_uses = item->finish(passages);
  return {std::move(item), std::move(passages), std::move(key_uses)};
}

NewItem procedure_item(const Procedure& procedure, std::size_t order) {
  auto item = std::make_shared<Item>();
  Passages passages;
  item->kind = ItemKind::procedure;
  item->id = "procedure:" + procedure.code;
  item->topic = procedure.topic;
  item->code = procedure.code;
  item->title = procedure.name;
  item->order = order;
  item->add_passage(procedure.name, true, passages, true);  // kept even without words, as the title
  std::string fee_line = procedure.fee.empty() ? (procedure.has_fees ? "Lệ phí: theo quy định." : "Không thu lệ phí.")
                                               : "Lệ phí: " + procedure.fee + ".";
  std::string time_line = procedure.time_limit
                              ? "Thời hạn giải quyết: " + number_text(*procedure.time_limit) + " " + procedure.time_unit + "."
                              : "Thời hạn giải quyết: theo quy định của thủ tục.";
  std::string documents_line = procedure.documents.empty() ? "" : "Hồ sơ gồm: " + joined(procedure.documents, "; ") + ".";
  std::string place_line = procedure.agency.empty() ? "" : "Cơ quan thực hiện: " + procedure.agency + ".";
  std::string online = procedure.online_level == 2   ? "nộp trực tuyến toàn trình"
                       : procedure.online_level == 1 ? "nộp trực tuyến một phần"
                                                     : "nộp trực tiếp";
  std::string summary_line = joined({procedure.field, procedure.level, online}, ", ") + ".";
  for (const std::string& line : {summary_line, place_line, time_line, fee_line, documents_line}) {
    item->add_passage(line, false, passages);  // lines without words are left out
  }
  // The card's lines that answer each aspect asked about, first.
  auto aspect_snippet = [&](const std::vector<std::string>& lines) {
    return privacy::mask_personal_data(shortened(joined(lines, " "), snippet_characters));
  };
  item->aspect_snippets[static_cast<std::size_t>(Aspect::fee)] = aspect_snippet({fee_line, time_line});
  item->aspect_snippets[static_cast<std::size_t>(Aspect::time)] = aspect_snippet({time_line, fee_line});
  item->aspect_snippets[static_cast<std::size_t>(Aspect::documents)] = aspect_snippet({documents_line, time_line});
  item->aspect_snippets[static_cast<std::size_t>(Aspect::place)] = aspect_snippet({place_line, summary_line});
  item->aspect_snippets[static_cast<std::size_t>(Aspect::none)] =
      aspect_snippet({summary_line, place_line, time_line, fee_line});
  auto key_uses = item->finish(passages);
  return {std::move(item), std::move(passages), std::move(key_uses)};
}

// Everything ask() reads, immutable once published (but for the answers it remembers).
struct Snapshot {
  std::map<std::string, std::shared_ptr<const Item>> items;  // by id
  // The same items by id, and their phrasings' norms: open addressing, one probe per candidate of an ask.
  boost::unordered_flat_map<std::string_view, const Item*> items_by_id;
  std::shared_ptr<const text::Analyzer> analyzer;
  KeyWeights key_weights;  // folded and marked keys of the knowledge base
  double unknown_weight = 1;                             // IDF of a key the knowledge base does not have
  boost::unordered_flat_map<const Item*, std::vector<double>> phrasing_norms;
  text::Vocabulary vocabulary;  // words and pairs of the knowledge base
  // Rankings already made on this snapshot, by previous topic and question (the latest
  // EngineOptions::remembered_answers); a change publishes a new snapshot, so nothing here outlives the knowledge it
  // was computed from.
  explicit Snapshot(std::size_t remembered) : answers(remembered) {}
  mutable std::mutex answers_mutex;
  mutable RecentMemory<Ranking> answers;

  double weight_of(Key key) const {
    const double* found = key_weights.find(key);
    return found ? *found : unknown_weight;
  }
};

double key_factor(bool function_word) { return function_word ? weights.function_word : 1.0; }

// What the snapshot's weights are computed from, kept up to date item by item so that a change costs the size of
// the changed items plus one pass over these counts, not a new analysis of the whole knowledge base.
struct KnowledgeCounts {
  struct KeyCount {
    int items = 0;                 // items holding the key
    int function_word_items = 0;   // of which use it first as a function word (or a pair of two)
  };
  std::unordered_map<Key, KeyCount> keys;
  text::Vocabulary vocabulary;

  // Adds (`sign` 1) or takes back (`sign` -1) one item, whose passages are analysed as `passages` with these
  // `key_uses`.
  void count(const std::vector<KeyUse>& key_uses, const Passages& passages, int sign) {
    for (const auto& use : key_uses) {
      auto& counted = keys[use.key];
      counted.items += sign;
      if (use.function_word) counted.function_word_items += sign;
      if (counted.items <= 0) keys.erase(use.key);
    }
    passages.for_each([&](const std::vector<Term>& terms) {
      if (sign > 0) {
        vocabulary.add(terms);
      } else {
        vocabulary.remove(terms);
      }
    });
  }

  // Takes back one item, its passages analysed again from their text (Item::passages): the terms it was counted in
  // with, as text::terms is a pure function of the text.
  void take_out(const Item& item) {
    auto passages = item.passages();
    count(key_uses_of(passages), passages, -1);
  }
};

// The out-of-scope lexicon (content/assistant/out-of-scope.txt: phrases separated by commas, `[class]` lines and
// `#` comments skipped), analysed once, with its phrases listed by their first folded word: a question is matched
// against the phrases that start with one of its words, not against all of them (which was a tenth of an ask).
struct OutOfScopeLexicon {
  std::vector<std::vector<Term>> phrases;
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_first_word;  // folded first word → phrase indices
};

const OutOfScopeLexicon& out_of_scope_lexicon() {
  static const OutOfScopeLexicon lexicon = [] {
    OutOfScopeLexicon analysed;
    const auto* resource = resources::find("content/assistant/out-of-scope.txt");
    std::string_view rest = resource ? std::string_view(resource->content) : std::string_view();
    while (!rest.empty()) {
      auto end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (line.empty() || line.front() == '#' || line.front() == '[') continue;
      while (!line.empty()) {
        auto comma = line.find(',');
        auto terms = text::terms(line.substr(0, comma));
        if (!terms.empty()) {
          analysed.by_first_word[terms.front().folded].push_back(static_cast<std::uint32_t>(analysed.phrases.size()));
          analysed.phrases.push_back(std::move(terms));
        }
        line = comma == std::string_view::npos ? std::string_view() : line.substr(comma + 1);
      }
    }
    return analysed;
  }();
  return lexicon;
}

std::shared_ptr<const Snapshot> build_snapshot(std::map<std::string, std::shared_ptr<const Item>> items,
                                               std::shared_ptr<const text::Analyzer> analyzer,
                                               const KnowledgeCounts& counts, std::size_t remembered) {
  auto snapshot = std::make_shared<Snapshot>(remembered);
  snapshot->items = std::move(items);
  snapshot->items_by_id.reserve(snapshot->items.size());
  for (const auto& [id, item] : snapshot->items) snapshot->items_by_id.emplace(item->id, item.get());
  snapshot->analyzer = std::move(analyzer);
  snapshot->vocabulary = counts.vocabulary;
  double count = static_cast<double>(snapshot->items.size());
  snapshot->unknown_weight = std::log((count + 1) / 0.5);
  // A key is a function word as its first occurrence in the first item (by id) that holds it says; keys that
  // every item holding them uses the same way are settled by the counts, the few others ("co": "có" or "cơ") by
  // looking through the items in order.
  std::unordered_map<Key, bool> unsettled;
  for (const auto& [key, counted] : counts.keys) {
    if (counted.function_word_items > 0 && counted.function_word_items < counted.items) unsettled.emplace(key, false);
  }
  std::size_t left = unsettled.size();
  std::unordered_set<Key> settled;
  for (auto item = snapshot->items.begin(); left > 0 && item != snapshot->items.end(); ++item) {
    const Item& holder = *item->second;
    for (auto& [key, function_word] : unsettled) {
      if (settled.contains(key) || !holder.holds(key)) continue;
      function_word = std::binary_search(holder.function_word_keys.begin(), holder.function_word_keys.end(), key);
      settled.insert(key);
      --left;
    }
  }
  KeySet keys;
  std::vector<double> key_weights;
  keys.reserve(counts.keys.size());
  key_weights.reserve(counts.keys.size());
  for (const auto& [key, counted] : counts.keys) {
    double inverse = std::max(0.0, std::log((count + 1) / (counted.items + 0.5)));
    auto ambiguous = unsettled.find(key);
    bool function_word = ambiguous != unsettled.end() ? ambiguous->second : counted.function_word_items > 0;
    keys.push_back(key);
    key_weights.push_back(inverse * key_factor(function_word));
  }
  snapshot->key_weights = KeyWeights(keys, std::move(key_weights));
  snapshot->phrasing_norms.reserve(snapshot->items.size());
  for (const auto& [id, item] : snapshot->items) {
    auto& norms = snapshot->phrasing_norms[item.get()];
    for (const auto& keys : item->phrasing_keys) {
      double sum = 0;
      for (const auto& key : keys) sum += std::pow(snapshot->weight_of(key), 2);
      norms.push_back(std::sqrt(sum));
    }
  }
  return snapshot;
}

// One reading of the question: its terms as typed and analysed, or with an abbreviation expanded, or with a
// misspelt word corrected.
struct Variant {
  std::vector<Term> terms;
  double factor = 1.0;
  std::vector<char> function_words;  // per term: the lexicon's is_function_word

  void note_function_words(const text::Lexicon& lexicon) {
    function_words.resize(terms.size());
    for (std::size_t index = 0; index < terms.size(); ++index) {
      function_words[index] = lexicon.is_function_word(terms[index]);
    }
  }
};

struct WeightedKey {
  Key key = 0;
  double weight = 0;
};

struct QueryKeys {
  std::vector<WeightedKey> folded;  // words and pairs, sorted by key
  std::vector<WeightedKey> marked;  // marked words that carry marks, sorted by key
  double folded_total = 0;
  double folded_norm = 0;
  double marked_total = 0;
};

// The distinct keys of all readings of a question: the readings share most of their keys, so an item is searched
// for each key once, not once per reading, and every reading is scored in the same pass over them.
struct QuestionKeys {
  // One reading's use of a key: its weight there (and the weight squared, for dot products).
  struct Use {
    std::uint32_t reading = 0;
    double weight = 0;
    double square = 0;
  };
  // The distinct keys of one kind (folded words and pairs, or marked words), sorted; those the knowledge base holds
  // (no item need be searched for the others, most of a question's pairs); and per key, the readings that have it
  // (uses[starts[key]] up to uses[starts[key + 1]], by reading).
  struct Kind {
    KeySet keys;
    std::vector<std::uint32_t> known;
    std::vector<std::uint32_t> starts;
    std::vector<Use> uses;

    template <typename KeysOf>
    void collect(std::span<const QueryKeys> readings, const KeyWeights& known_keys, KeysOf&& keys_of) {
      // Each reading's keys are sorted and distinct: their union is merged in, reading by reading.
      keys.clear();
      thread_local KeySet merged;
      for (const auto& reading : readings) {
        const auto& own = keys_of(reading);
        merged.clear();
        auto next = own.begin();
        for (Key key : keys) {
          for (; next != own.end() && next->key < key; ++next) merged.push_back(next->key);
          if (next != own.end() && next->key == key) ++next;
          merged.push_back(key);
        }
        for (; next != own.end(); ++next) merged.push_back(next->key);
        keys.swap(merged);
      }
      known.clear();
      for (std::size_t slot = 0; slot < keys.size(); ++slot) {
        if (known_keys.contains(keys[slot])) known.push_back(static_cast<std::uint32_t>(slot));
      }
      thread_local std::vector<std::uint32_t> slots;  // of every reading's keys, in order
      slots.clear();
      starts.assign(keys.size() + 1, 0);
      for (const auto& reading : readings) {
        std::uint32_t slot = 0;  // a reading's keys are sorted: their slots only grow
        for (const auto& weighted : keys_of(reading)) {
          while (keys[slot] < weighted.key) ++slot;
          slots.push_back(slot);
          ++starts[slot + 1];
        }
      }
      for (std::size_t slot = 0; slot < keys.size(); ++slot) starts[slot + 1] += starts[slot];
      uses.resize(starts.back());
      thread_local std::vector<std::uint32_t> filled;
      filled.assign(starts.begin(), starts.end() - 1);
      std::size_t next = 0;
      for (std::size_t reading = 0; reading < readings.size(); ++reading) {
        for (const auto& weighted : keys_of(readings[reading])) {
          uses[filled[slots[next++]]++] = {static_cast<std::uint32_t>(reading), weighted.weight,
                                           weighted.weight * weighted.weight};
        }
      }
    }
  };
  Kind folded;
  Kind marked;

  // Collects the keys of these readings; `known_keys` are those of the knowledge base. The buffers are reused from
  // one question to the next.
  void collect(std::span<const QueryKeys> readings, const KeyWeights& known_keys) {
    folded.collect(readings, known_keys, [](const QueryKeys& reading) -> const auto& { return reading.folded; });
    marked.collect(readings, known_keys, [](const QueryKeys& reading) -> const auto& { return reading.marked; });
  }
};

// The weighted keys of one reading, written into `keys` (whose buffers are reused).
void keys_of(const Variant& variant, const Snapshot& snapshot, bool use_marks, QueryKeys& keys) {
  keys.folded.clear();
  keys.marked.clear();
  keys.folded_total = 0;
  keys.folded_norm = 0;
  keys.marked_total = 0;
  // A key the knowledge base lacks weighs as a rare one (or as a rare function word). A key met again keeps its
  // first weight: the keys met so far are in a small open-addressing set (at most half full).
  const auto& terms = variant.terms;
  thread_local std::vector<Key> met;
  std::size_t size = 16;
  while (size < 6 * terms.size() + 2) size *= 2;
  met.assign(size, 0);
  bool met_zero = false;  // the key 0 marks a free slot, so it is noted apart
  auto seen = [&](Key key) {
    if (key == 0) return std::exchange(met_zero, true);
    for (std::size_t slot = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & (size - 1);;
         slot = (slot + 1) & (size - 1)) {
      if (met[slot] == key) return true;
      if (met[slot] == 0) {
        met[slot] = key;
        return false;
      }
    }
  };
  auto add = [&](std::vector<WeightedKey>& into, Key key, bool function_word) {
    if (seen(key)) return;
    const double* known = snapshot.key_weights.find(key);
    double weight = known ? *known : snapshot.unknown_weight * key_factor(function_word);
    into.push_back({key, weight});
  };
  const auto& function_words = variant.function_words;
  for (std::size_t index = 0; index < terms.size(); ++index) {
    bool function_word = function_words[index];
    add(keys.folded, word_key(terms[index]), function_word);
    if (index + 1 < terms.size()) {
      add(keys.folded, pair_key(terms[index], terms[index + 1]), function_word && function_words[index + 1]);
    }
    if (use_marks && has_marks(terms[index])) add(keys.marked, marked_key(terms[index]), function_word);
  }
  auto by_key = [](const WeightedKey& left, const WeightedKey& right) { return left.key < right.key; };
  std::sort(keys.folded.begin(), keys.folded.end(), by_key);
  std::sort(keys.marked.begin(), keys.marked.end(), by_key);
  for (const auto& weighted : keys.folded) {
    keys.folded_total += weighted.weight;
    keys.folded_norm += weighted.weight * weighted.weight;
  }
  keys.folded_norm = std::sqrt(keys.folded_norm);
  for (const auto& weighted : keys.marked) keys.marked_total += weighted.weight;
}

// The re-ranking score (0..1) of one item: the best over the readings of the question of each reading's score times
// its factor; `index_relative` is the item's BM25 score from the index divided by the most any document could score
// for the question. One pass over the question's distinct keys serves every reading: each key is looked up in the
// item once (one probe), and its weight added to the sums of the readings that have it (each reading's sums are
// taken in key order, as a pass over that reading's own keys would).
double item_score(const Item& item, const std::vector<double>& norms, std::span<const QueryKeys> readings,
                  const std::vector<double>& factors, const QuestionKeys& question, double index_relative) {
  const std::size_t count = readings.size();
  const std::size_t phrasings = item.phrasing_keys.size();
  thread_local std::vector<double> dots;      // reading × phrasing: dot product of the reading and the phrasing
  thread_local std::vector<double> covered;   // per reading: weight of its folded keys that the item holds
  thread_local std::vector<double> marked;    // per reading: weight of its marked keys that the item holds
  dots.assign(count * phrasings, 0.0);
  covered.assign(count, 0.0);
  marked.assign(count, 0.0);
  const auto& postings = item.phrasing_postings;
  const auto& folded = question.folded;
  for (std::uint32_t slot : folded.known) {
    const Key key = folded.keys[slot];
    const std::uint32_t number = item.folded_keys.find(key);
    if (number == KeyTable::absent) continue;
    const auto* uses = folded.uses.data() + folded.starts[slot];
    const auto* uses_end = folded.uses.data() + folded.starts[slot + 1];
    for (const auto* use = uses; use != uses_end; ++use) covered[use->reading] += use->weight;
    const std::uint32_t start = item.phrasing_starts[number];
    if (start == KeyTable::absent) continue;
    for (std::size_t posting = start; posting < postings.size() && postings[posting].key == key; ++posting) {
      double* column = &dots[postings[posting].phrasing];
      for (const auto* use = uses; use != uses_end; ++use) column[use->reading * phrasings] += use->square;
    }
  }
  const auto& marked_keys = question.marked;
  for (std::uint32_t slot : marked_keys.known) {
    if (!item.marked_keys.contains(marked_keys.keys[slot])) continue;
    for (std::uint32_t use = marked_keys.starts[slot]; use < marked_keys.starts[slot + 1]; ++use) {
      marked[marked_keys.uses[use].reading] += marked_keys.uses[use].weight;
    }
  }
  double best = 0;
  const double total = weights.phrasing + weights.coverage + weights.marks + weights.index;
  for (std::size_t reading = 0; reading < count; ++reading) {
    const QueryKeys& keys = readings[reading];
    double score = 0;
    if (keys.folded_total > 0) {
      double best_phrasing = 0;
      for (std::size_t index = 0; index < phrasings; ++index) {
        if (norms[index] <= 0) continue;
        best_phrasing = std::max(best_phrasing, dots[reading * phrasings + index] / (keys.folded_norm * norms[index]));
      }
      double coverage = covered[reading] / keys.folded_total;
      double marks = coverage;  // no marks typed: nothing to disagree with
      if (keys.marked_total > 0) marks = marked[reading] / keys.marked_total;
      score = (weights.phrasing * best_phrasing + weights.coverage * coverage + weights.marks * marks +
               weights.index * index_relative) /
              total;
    }
    best = std::max(best, factors[reading] * score);
  }
  return best;
}

// The share of the weight of the topical words (function words and numbers aside) and of the pairs of adjacent
// topical words that `item` contains: a question made of known syllables in unknown compounds ("tiểu đường",
// "bóng đá") is not about the knowledge base.
double topical_coverage(const Variant& variant, const Item& item, const Snapshot& snapshot) {
  const auto& terms = variant.terms;
  double total = 0;
  double found = 0;
  thread_local std::vector<Key> seen;  // a few dozen: searched linearly
  seen.clear();
  auto count = [&](Key key) {
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) return;
    seen.push_back(key);
    double weight = snapshot.weight_of(key);
    total += weight;
    if (item.folded_keys.contains(key)) found += weight;
  };
  thread_local std::vector<char> topical;  // per term: neither a function word nor a number
  topical.clear();
  for (std::size_t index = 0; index < terms.size(); ++index) {
    topical.push_back(!variant.function_words[index] && !is_number(terms[index]));
  }
  for (std::size_t index = 0; index < terms.size(); ++index) {
    if (!topical[index]) continue;
    count(word_key(terms[index]));
    if (index + 1 < terms.size() && topical[index + 1]) count(pair_key(terms[index], terms[index + 1]));
  }
  return total > 0 ? found / total : 0;
}

// True when the question holds the phrase at `start`: by folded forms for a phrase of several words ("xo so" is
// "xổ số"), but a single marked word only with its marks ("chưa" is not "chữa", "vậy" is not "vay").
bool phrase_at(const std::vector<Term>& terms, std::size_t start, const std::vector<Term>& phrase) {
  if (phrase.empty() || start + phrase.size() > terms.size()) return false;
  if (phrase.size() == 1 && has_marks(phrase.front())) return terms[start].marked == phrase.front().marked;
  for (std::size_t index = 0; index < phrase.size(); ++index) {
    if (terms[start + index].folded != phrase[index].folded) return false;
  }
  return true;
}

// The phrases of the out-of-scope lexicon that the question holds, each with where it first does (the index of its
// first word), in the order they are first met.
std::vector<std::pair<const std::vector<Term>*, std::size_t>> out_of_scope_phrases_in(const std::vector<Term>& terms) {
  const auto& lexicon = out_of_scope_lexicon();
  std::vector<std::pair<const std::vector<Term>*, std::size_t>> found;
  for (std::size_t start = 0; start < terms.size(); ++start) {
    auto starting = lexicon.by_first_word.find(terms[start].folded);
    if (starting == lexicon.by_first_word.end()) continue;
    for (std::uint32_t number : starting->second) {
      const auto* phrase = &lexicon.phrases[number];
      if (!phrase_at(terms, start, *phrase)) continue;
      auto same = [phrase](const auto& entry) { return entry.first == phrase; };
      if (std::none_of(found.begin(), found.end(), same)) found.emplace_back(phrase, start);
    }
  }
  return found;
}

// True when the item is about the phrase: its title, stored questions or keywords hold it (words and adjacent pairs
// by folded form). A mention in the body is not enough: articles name banks, SIM cards and Zalo in passing, which
// made "otp ngân hàng không về" look like a question for the article on OTP codes.
bool item_is_about(const Item& item, const std::vector<Term>& phrase) {
  auto in_phrasings = [&item](Key key) {
    const std::uint32_t number = item.folded_keys.find(key);
    return number != KeyTable::absent && item.phrasing_starts[number] != KeyTable::absent;
  };
  if (phrase.size() == 1) return in_phrasings(word_key(phrase.front()));
  for (std::size_t index = 0; index + 1 < phrase.size(); ++index) {
    if (!in_phrasings(pair_key(phrase[index], phrase[index + 1]))) return false;
  }
  return true;
}

const AspectWord* aspect_word(const Term& term) {
  if (term.folded.empty() || term.folded.size() > 8) return nullptr;  // none is longer ("online" is the longest)
  const PackedAspectWord wanted{packed_word(term.folded), 0};
  auto found = std::lower_bound(packed_aspect_words.begin(), packed_aspect_words.end(), wanted);
  return found != packed_aspect_words.end() && found->packed == wanted.packed ? &aspect_words[found->index] : nullptr;
}

// The aspect a question asks about, by the first aspect word that names one.
Aspect aspect_of(const std::vector<Term>& terms) {
  for (const auto& term : terms) {
    if (const auto* word = aspect_word(term); word && word->aspect != Aspect::none) return word->aspect;
  }
  return Aspect::none;
}

// Per position `start` of the question (and one past its end): true when the words from `start` on only say what
// the question is for, how or why: they follow "để", "bằng", "qua" (not "hôm qua") or "vì" (typed with or without
// marks, "vì" only with them), and a topical word that is not an aspect word comes before it ("lý lịch tư pháp để
// xin việc", "lệ phí đóng bằng ví momo", "trợ cấp nhận qua ngân hàng"), so they are context, not the subject ("cần
// giấy tờ gì để mở tài khoản ngân hàng" has no other subject).
std::vector<char> side_clauses(const Variant& typed) {
  using namespace std::string_view_literals;
  const auto& terms = typed.terms;
  std::vector<char> side(terms.size() + 1, false);
  bool subject = false;
  for (std::size_t index = 0; index < terms.size(); ++index) {
    const Term& term = terms[index];
    const std::string& word = term.marked;
    auto after = [&](std::string_view folded) { return terms[index - 1].folded == folded; };
    bool time_word = index > 0 && (after("hom"sv) || after("toi"sv) || after("bua"sv) || after("tuan"sv) ||
                                   after("thang"sv) || after("nam"sv));
    bool opens = subject && (word == "để"sv || word == "de"sv || word == "bằng"sv || word == "bang"sv ||
                             word == "vì"sv || (word == "qua"sv && !time_word));
    side[index + 1] = side[index] || opens;
    if (!typed.function_words[index] && !is_number(term) && !aspect_word(term)) subject = true;
  }
  return side;
}

const std::string& snippet_of(const Item& item, const QueryKeys& keys, Aspect aspect) {
  if (item.kind == ItemKind::procedure) return item.aspect_snippets[static_cast<std::size_t>(aspect)];
  // The weight of the question's keys in each paragraph, each paragraph's sum taken in key order.
  thread_local std::vector<double> paragraph_weights;
  paragraph_weights.assign(item.paragraph_snippets.size(), 0.0);
  for (const auto& wanted : keys.folded) {
    std::uint32_t number = item.folded_keys.find(wanted.key);
    if (number == KeyTable::absent) continue;
    for (std::uint32_t posting = item.paragraph_starts[number]; posting < item.paragraph_starts[number + 1]; ++posting) {
      paragraph_weights[item.paragraph_postings[posting]] += wanted.weight;
    }
  }
  const std::string* best = nullptr;
  double best_weight = 0;
  for (std::size_t index = 0; index < item.paragraph_snippets.size(); ++index) {
    if (item.paragraph_snippets[index].empty()) continue;  // a heading
    double weight = paragraph_weights[index];
    if (!best || weight > best_weight) {
      best = &item.paragraph_snippets[index];
      best_weight = weight;
    }
  }
  return best ? *best : item.title_snippet;
}

}  // namespace

const char* decision_name(Decision decision) {
  switch (decision) {
    case Decision::answer: return "answer";
    case Decision::clarify: return "clarify";
    case Decision::fallback: return "fallback";
    case Decision::out_of_scope: return "out_of_scope";
  }
  return "fallback";
}

const char* item_kind_name(ItemKind kind) { return kind == ItemKind::procedure ? "procedure" : "article"; }

// Tuned with tune_thresholds on the "tune" split (objective 0.870: answered correctly 74.1 %, wrong 0.5 %,
// fallback 18.8 %, clarification 3.5 %, out-of-scope declined 96.6 % of its 233); AssistantQuality tests check it.
Thresholds default_thresholds() { return Thresholds{0.32, 0.08, 0.15, 1.00}; }

Decision decide(const Signals& signals, const Thresholds& thresholds) {
  if (signals.follow_up) return Decision::answer;
  if (!signals.has_topical_words) return Decision::out_of_scope;
  if ((signals.out_of_scope_words || signals.unknown_words) && signals.top_score < thresholds.out_of_scope_override) {
    return Decision::out_of_scope;
  }
  if (signals.domain_coverage < thresholds.domain) return Decision::out_of_scope;
  if (signals.top_score < thresholds.answer) return Decision::fallback;
  if (signals.runner_up_score >= signals.top_score - thresholds.clarify_margin) return Decision::clarify;
  return Decision::answer;
}

struct Engine::State {
  EngineOptions options;
  std::unique_ptr<search::Index> index;
  std::mutex change_mutex;                     // serialises changes
  std::map<std::string, std::shared_ptr<const Item>> items;  // guarded by change_mutex
  KnowledgeCounts counts;                      // guarded by change_mutex; of `items`
  text::SyllableInventory inventory;           // guarded by change_mutex; grows with the knowledge base
  std::size_t next_order = 0;                  // guarded by change_mutex
  mutable std::mutex snapshot_mutex;           // guards `snapshot` (the pointer, not what it points to)
  std::shared_ptr<const Snapshot> snapshot;

  std::shared_ptr<const Snapshot> current() const {
    std::lock_guard lock(snapshot_mutex);
    return snapshot;
  }

  // A batch of changes on its way in: the new items, their index documents, and the words of their passages (for
  // the syllable inventory).
  struct Staged {
    std::vector<std::shared_ptr<const Item>> items;
    std::vector<search::Document> documents;
    std::unordered_set<std::string> words;
  };

  // Makes the new item's index document, counts it in and notes its words, so that its terms can be dropped at once:
  // the terms of 10,050 articles held together until the index had them were a third of the start-up's peak memory
  // (call with change_mutex held; apply() takes the counts back out if the index fails).
  void stage(NewItem added, Staged& staged) {
    staged.documents.push_back(added.item->document(added.passages));
    counts.count(added.key_uses, added.passages, 1);
    added.passages.for_each([&](const std::vector<Term>& terms) {
      for (const auto& term : terms) staged.words.insert(term.word);
    });
    staged.items.push_back(std::move(added.item));
  }

  // Publishes a snapshot of `items` (call with change_mutex held, after the index has the change).
  void publish() {
    auto analyzer = std::make_shared<const text::Analyzer>(inventory);
    auto next = build_snapshot(items, std::move(analyzer), counts, options.remembered_answers);
    std::lock_guard lock(snapshot_mutex);
    snapshot = std::move(next);
  }

  // Applies the staged items (added or replacing others) and the ids removed, with one index commit each and one
  // new snapshot (call with change_mutex held). An item taken out of the counts, replaced or removed, is analysed
  // again from its text (Item::passages). When the index fails, the counts, items and inventory are left as they were.
  Result<void> apply(Staged staged, const std::vector<std::string>& removed) {
    std::vector<std::string> known_removed;
    for (const auto& id : removed) {
      if (items.contains(id)) known_removed.push_back(id);
    }
    auto indexed = [&]() -> Result<void> {
      if (!staged.documents.empty()) DVCHUB_TRY(index->replace(staged.documents));
      if (!known_removed.empty()) DVCHUB_TRY(index->remove(known_removed));
      return {};
    }();
    if (!indexed) {
      for (const auto& item : staged.items) counts.take_out(*item);
      return indexed;
    }
    staged.documents = {};  // freed before the snapshot is built
    for (const auto& id : known_removed) {
      counts.take_out(*items.at(id));
      items.erase(id);
    }
    for (const auto& item : staged.items) {
      if (auto previous = items.find(item->id); previous != items.end()) counts.take_out(*previous->second);
      items[item->id] = item;
    }
    for (const auto& word : staged.words) inventory.add_text(word);
    if (!staged.items.empty() || !known_removed.empty()) publish();
    return {};
  }

  Ranking rank(const Snapshot& snapshot, std::string_view question,
               const std::optional<std::string>& previous_topic) const;
};

Engine::Engine(std::unique_ptr<State> state) : state_(std::move(state)) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::create(std::vector<Article> articles, std::vector<Procedure> procedures,
                                               EngineOptions options) {
  auto state = std::make_unique<State>();
  state->options = options;
  state->index = DVCHUB_TRY(search::Index::create_temporary());
  state->inventory = text::SyllableInventory::common();
  std::unique_ptr<Engine> engine(new Engine(std::move(state)));
  KnowledgeChanges changes;
  changes.articles = std::move(articles);
  changes.procedures = std::move(procedures);
  DVCHUB_TRY(engine->apply(changes));
  if (!engine->state_->snapshot) engine->state_->publish();  // an empty knowledge base
  return engine;
}

Result<void> Engine::apply(const KnowledgeChanges& changes) {
  for (const auto& article : changes.articles) {
    if (article.topic.empty()) return fail(ErrorCode::invalid_input, "Bài viết thiếu khóa chủ đề (topic)");
  }
  for (const auto& procedure : changes.procedures) {
    if (procedure.code.empty()) return fail(ErrorCode::invalid_input, "Thủ tục thiếu mã (MaTTHC)");
  }
  std::lock_guard lock(state_->change_mutex);
  State::Staged staged;
  for (const auto& article : changes.articles) state_->stage(article_item(article, state_->next_order++), staged);
  for (const auto& procedure : changes.procedures) {
    state_->stage(procedure_item(procedure, state_->next_order++), staged);
  }
  std::vector<std::string> removed;
  for (const auto& topic : changes.retired_topics) removed.push_back("article:" + topic);
  for (const auto& code : changes.removed_codes) removed.push_back("procedure:" + code);
  return state_->apply(std::move(staged), removed);
}

Result<void> Engine::upsert_article(const Article& article) {
  KnowledgeChanges changes;
  changes.articles.push_back(article);
  return apply(changes);
}

Result<void> Engine::remove_article(const std::string& topic) {
  KnowledgeChanges changes;
  changes.retired_topics.push_back(topic);
  return apply(changes);
}

Result<void> Engine::upsert_procedure(const Procedure& procedure) {
  KnowledgeChanges changes;
  changes.procedures.push_back(procedure);
  return apply(changes);
}

Result<void> Engine::remove_procedure(const std::string& code) {
  KnowledgeChanges changes;
  changes.removed_codes.push_back(code);
  return apply(changes);
}

Ranking Engine::ask(std::string_view question, const std::optional<std::string>& previous_topic) const {
  auto snapshot = state_->current();
  const std::size_t remembered = state_->options.remembered_answers;
  std::string key;
  if (remembered > 0) {
    key = previous_topic.value_or("");
    key += '\n';
    key += question;
    std::lock_guard lock(snapshot->answers_mutex);
    if (const Ranking* found = snapshot->answers.find(key)) return *found;
  }
  Ranking ranking = state_->rank(*snapshot, question, previous_topic);
  if (remembered > 0 && !ranking.failure) {
    std::optional<Ranking> forgotten;  // the oldest ranking, when full: freed after the lock is let go
    std::lock_guard lock(snapshot->answers_mutex);
    forgotten = snapshot->answers.remember(std::move(key), ranking);
  }
  return ranking;
}

Ranking Engine::State::rank(const Snapshot& snapshot, std::string_view question,
                            const std::optional<std::string>& previous_topic) const {
  Ranking ranking;
  const auto findings = privacy::find_personal_data(question);
  ranking.contains_sensitive_data = findings.identity_number || findings.secret;
  // Personal data never reaches the analysis, so it cannot come back in suggestions.
  const std::string masked = privacy::mask_personal_data(question);
  text::AnalyzedQuery analyzed = snapshot.analyzer->analyze(masked);
  const auto& lexicon = snapshot.analyzer->lexicon();
  const bool use_marks = analyzed.has_diacritics;

  // Readings of the question: as analysed, each abbreviation expanded, all expanded, misspellings corrected.
  std::vector<Variant> variants;
  variants.reserve(analyzed.expansions.size() + 3);  // as typed, each expansion, all of them, corrected
  variants.push_back({std::move(analyzed.terms), 1.0});
  variants.front().note_function_words(lexicon);
  // The question's terms as analysed (variants keeps its place: it never holds more than reserved).
  const std::vector<Term>& typed_terms = variants.front().terms;
  // The typed reading with these expansions in place of what they cover (one that overlaps an earlier one is left
  // out); the typed terms keep their function-word flags.
  auto expanded = [&](const std::vector<const text::Expansion*>& expansions) {
    const Variant& typed = variants.front();
    Variant variant{{}, weights.variant, {}};
    std::size_t size = typed.terms.size();
    for (const auto* expansion : expansions) size += expansion->phrase.size();
    variant.terms.reserve(size);
    variant.function_words.reserve(size);
    auto keep_typed = [&](std::size_t begin, std::size_t end) {
      variant.terms.insert(variant.terms.end(), typed.terms.begin() + begin, typed.terms.begin() + end);
      variant.function_words.insert(variant.function_words.end(), typed.function_words.begin() + begin,
                                    typed.function_words.begin() + end);
    };
    std::size_t position = 0;
    for (const auto* expansion : expansions) {
      if (expansion->begin < position) continue;
      keep_typed(position, expansion->begin);
      for (const auto& term : expansion->phrase) {
        variant.terms.push_back(term);
        variant.function_words.push_back(lexicon.is_function_word(term));
      }
      position = expansion->begin + expansion->length;
    }
    keep_typed(position, typed.terms.size());
    return variant;
  };
  std::vector<const text::Expansion*> first_of_each_span;
  for (const auto& expansion : analyzed.expansions) {
    variants.push_back(expanded({&expansion}));
    if (first_of_each_span.empty() || first_of_each_span.back()->begin != expansion.begin) {
      first_of_each_span.push_back(&expansion);
    }
  }
  if (first_of_each_span.size() > 1) variants.push_back(expanded(first_of_each_span));

  // Misspellings: a word that fits none of its neighbours but a close word does (from the knowledge base's pairs),
  // then words that are not syllables at all, from the index's spelling dictionary.
  std::vector<Term> corrected = snapshot.vocabulary.corrected(typed_terms, lexicon);
  for (auto& term : corrected) {
    if (is_number(term) || lexicon.is_function_word(term) || snapshot.vocabulary.has_word(term.folded) ||
        snapshot.analyzer->inventory().contains_folded(term.folded)) {
      continue;
    }
    auto suggestion = index->spelling_suggestion(term.folded);
    if (suggestion && *suggestion) term = text::term(**suggestion);
  }
  if (corrected != typed_terms) {
    variants.push_back({corrected, weights.variant});
    variants.back().note_function_words(lexicon);
  }
  const Variant& typed = variants.front();

  // Candidates from the index.
  thread_local search::Query query;
  query.parts.resize(variants.size());
  for (std::size_t index = 0; index < variants.size(); ++index) {
    write_passage(variants[index].terms, 1, use_marks, query.parts[index].passage);
    query.parts[index].weight = variants[index].factor;
  }
  query.word_weight = 1.0;
  query.pair_weight = 1.5;
  query.marked_word_weight = use_marks ? 0.5 : 0.0;
  query.marked_pair_weight = use_marks ? 0.5 : 0.0;
  query.limit = index_candidates;
  struct IndexHit {
    const Item* item = nullptr;  // held by the snapshot for the whole ask
    double relative = 0;
  };
  std::vector<IndexHit> hits;
  hits.reserve(index_candidates);
  auto searched = index->search(query, [&](std::string_view id, double, double relative) {
    if (auto found = snapshot.items_by_id.find(id); found != snapshot.items_by_id.end()) {
      hits.push_back({found->second, relative});
    }
  });
  if (!searched) {
    ranking.failure = searched.error();
    ranking.decision = Decision::fallback;
    return ranking;
  }

  // Signals about the question itself, as typed: a word the knowledge base lacks counts against the domain even
  // when a close one was found for it.
  Signals& signals = ranking.signals;
  bool only_aspect_words = true;
  for (std::size_t index = 0; index < typed_terms.size(); ++index) {
    const Term& term = typed_terms[index];
    if (typed.function_words[index] || is_number(term)) continue;
    signals.has_topical_words = true;
    if (!aspect_word(term)) only_aspect_words = false;
  }
  const std::vector<char> in_side_clause = side_clauses(typed);
  std::vector<const std::vector<Term>*> out_of_scope_phrases_asked;
  for (const auto& [phrase, position] : out_of_scope_phrases_in(typed_terms)) {
    if (!in_side_clause[position]) out_of_scope_phrases_asked.push_back(phrase);
  }
  // A topical word of four letters or more that is neither a syllable, nor a word of the knowledge base, nor an
  // abbreviation of the lexicon, and for which no close word was found (brands and other services: "gmail", "wifi",
  // "vietcombank"; shorter ones are mostly abbreviations: "gd", "fb").
  auto expanded_by_lexicon = [&](std::size_t index) {
    return std::any_of(analyzed.expansions.begin(), analyzed.expansions.end(), [&](const text::Expansion& expansion) {
      return index >= expansion.begin && index < expansion.begin + expansion.length;
    });
  };
  for (std::size_t index = 0; index < typed_terms.size() && index < corrected.size(); ++index) {
    const Term& term = typed_terms[index];
    if (typed.function_words[index] || is_number(term) || corrected[index] != term || term.folded.size() < 4 ||
        expanded_by_lexicon(index) ||
        snapshot.vocabulary.has_word(term.folded) || snapshot.analyzer->inventory().contains_folded(term.folded) ||
        in_side_clause[index]) {
      continue;
    }
    signals.unknown_words = true;
  }
  const Aspect aspect = aspect_of(typed_terms);

  // Follow-up: a short question made only of aspect and function words, within a topic we know.
  std::vector<const Item*> topic_items;
  if (previous_topic && !previous_topic->empty() && only_aspect_words &&
      typed_terms.size() <= follow_up_maximum_words) {
    for (const auto& [id, item] : snapshot.items) {
      if (item->topic == *previous_topic) topic_items.push_back(item.get());
    }
    signals.follow_up = !topic_items.empty();
  }

  // Re-rank: the best reading's score per item.
  thread_local std::vector<QueryKeys> keys_buffers;  // never shrunk, so that every reading's buffers are reused
  if (keys_buffers.size() < variants.size()) keys_buffers.resize(variants.size());
  for (std::size_t index = 0; index < variants.size(); ++index) {
    keys_of(variants[index], snapshot, use_marks, keys_buffers[index]);
  }
  const std::span<const QueryKeys> variant_keys(keys_buffers.data(), variants.size());
  thread_local QuestionKeys question_keys;
  question_keys.collect(variant_keys, snapshot.key_weights);
  std::vector<double> factors;
  factors.reserve(variants.size());
  for (const auto& variant : variants) factors.push_back(variant.factor);
  struct Scored {
    const Item* item = nullptr;
    double score = 0;
    double index_score = 0;
  };
  std::vector<Scored> scored;
  auto score_item = [&](const Item* item, double index_score) {
    const auto& norms = snapshot.phrasing_norms.at(item);
    scored.push_back({item, item_score(*item, norms, variant_keys, factors, question_keys, index_score), index_score});
  };
  scored.reserve(hits.size());
  for (const auto& hit : hits) score_item(hit.item, hit.relative);
  std::sort(scored.begin(), scored.end(), [](const Scored& left, const Scored& right) {
    if (left.score != right.score) return left.score > right.score;
    if (left.index_score != right.index_score) return left.index_score > right.index_score;
    return left.item->order < right.item->order;
  });

  // One candidate per topic, best first.
  std::vector<Scored> ranked;
  std::vector<const Item*> topics_seen;  // at most index_candidates: searched linearly
  ranked.reserve(scored.size());
  topics_seen.reserve(scored.size());
  for (auto& entry : scored) {
    const Item& item = *entry.item;
    auto same_topic = [&item](const Item* seen) {
      return seen->topic_hash == item.topic_hash && seen->topic_key() == item.topic_key();
    };
    if (std::any_of(topics_seen.begin(), topics_seen.end(), same_topic)) continue;
    topics_seen.push_back(&item);
    ranked.push_back(entry);  // a copy: a follow-up looks the previous topic's items up in `scored` below
  }
  if (!ranked.empty()) {
    signals.top_score = ranked.front().score;
    for (const auto& variant : variants) {
      signals.domain_coverage =
          std::max(signals.domain_coverage, topical_coverage(variant, *ranked.front().item, snapshot));
    }
  }
  if (ranked.size() > 1) signals.runner_up_score = ranked[1].score;
  // An out-of-scope phrase is evidence unless the best candidate is about it too ("zalo" in a question about scams
  // answered by the article on scams, whose questions name Zalo; but not in "quên mật khẩu zalo").
  for (const auto* phrase : out_of_scope_phrases_asked) {
    if (ranked.empty() || !item_is_about(*ranked.front().item, *phrase)) signals.out_of_scope_words = true;
  }

  if (signals.follow_up) {
    // The previous topic's items first: the procedure card for fees, time, documents and place, else the article.
    bool procedure_first = aspect != Aspect::none;
    std::stable_sort(topic_items.begin(), topic_items.end(), [&](const auto& left, const auto& right) {
      bool left_first = (left->kind == ItemKind::procedure) == procedure_first;
      bool right_first = (right->kind == ItemKind::procedure) == procedure_first;
      if (left_first != right_first) return left_first;
      return left->order < right->order;
    });
    std::vector<Scored> within;
    for (const auto& item : topic_items) {
      auto existing = std::find_if(scored.begin(), scored.end(), [&](const Scored& entry) { return entry.item == item; });
      within.push_back({item, existing == scored.end() ? 0.0 : existing->score, 0});
      if (within.size() == 2) break;
    }
    std::erase_if(ranked, [&](const Scored& entry) { return entry.item->topic == *previous_topic; });
    ranked.insert(ranked.begin(), within.begin(), within.end());
  }

  ranking.decision = decide(signals, options.thresholds);
  const QueryKeys& snippet_keys = variant_keys.front();
  ranking.candidates.reserve(std::min(options.candidate_limit, ranked.size()));
  for (const auto& entry : ranked) {
    if (ranking.candidates.size() == options.candidate_limit) break;
    const Item& item = *entry.item;
    ranking.candidates.push_back({item.kind, item.topic, item.code, item.title, std::clamp(entry.score, 0.0, 1.0),
                                  snippet_of(item, snippet_keys, aspect)});
  }

  // "Did you mean": corrections, and marks restored on a question typed without them (never for a question
  // declined, so nothing is restored then).
  if (ranking.decision == Decision::out_of_scope) return ranking;
  std::string suggestion;
  for (const auto& word : snapshot.vocabulary.restore_marks(corrected)) {
    if (!suggestion.empty()) suggestion += ' ';
    suggestion += word;
  }
  std::string as_typed;
  for (const auto& token : analyzed.tokens) {
    if (!as_typed.empty()) as_typed += ' ';
    as_typed += token;
  }
  if (!suggestion.empty() && suggestion != as_typed) ranking.suggestions.push_back(std::move(suggestion));
  return ranking;
}

}  // namespace dvchub::assistant
