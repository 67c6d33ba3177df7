// search/index.h — a full-text index of documents made of already-analysed words, ranked by BM25, with a spelling
// dictionary (the Xapian adapter: the only file of dvchub that includes xapian.h is search/index.cpp).
//
// What is indexed, per passage of a document (a title, one question phrasing, one paragraph):
//   - each accent-folded word — the spelling dictionary is built from these;
//   - each pair of adjacent folded words ("dang_ky", "tai_khoan"): Vietnamese words are mostly two syllables, and
//     pairs remove most of the ambiguity of folded syllables;
//   - the same words and pairs with their marks, as terms of their own, so a question typed with marks can prefer
//     documents with the same marks ("mã" over "má");
//   - each occurrence counts `Passage::weight` times, which is how fields weigh differently (a title or question
//     phrasing more than a paragraph of body text).
// Terms longer than 245 bytes are skipped. Ranking is BM25 with Xapian's default parameters and formula
// (Xapian::BM25Weight), computed over in-memory posting lists: Xapian's matcher, which this index used before,
// cost about 40 % of an answer (docs/assistant-quality.md); the scores are the same. Xapian keeps the spelling
// dictionary (Xapian::Database::get_spelling_suggestion) in a private on-disk database.
//
// Concurrency: a change (one writer at a time, behind a mutex) builds the posting lists it touches beside the
// current ones and swaps them in under a shared_mutex that searches hold shared, so a search waits at most for the
// swap; the spelling dictionary is read through a pool of read-only handles reopened after each commit. So any
// number of threads may search at once, and a change is visible to every search that starts after the call that
// made it returns.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dvchub::search {

// A run of adjacent words; pairs are formed inside a passage, never across two.
struct Passage {
  std::vector<std::string> folded;  // accent-folded words, in order
  std::vector<std::string> marked;  // the same words with their marks, same length; empty when there are none
  unsigned weight = 1;              // how many times each occurrence counts (1..100)
};

struct Document {
  std::string id;  // the caller's key, unique in the index, 1..200 bytes
  std::vector<Passage> passages;
};

// A query: the passages' words and pairs, OR-ed, each term's BM25 weight scaled by its kind's weight times its
// passage's weight. A kind whose weight is 0 is not searched.
struct Query {
  struct Part {
    Passage passage;
    double weight = 1.0;
  };
  std::vector<Part> parts;
  double word_weight = 1.0;         // folded words
  double pair_weight = 1.0;         // folded adjacent pairs
  double marked_word_weight = 0.0;  // words with marks
  double marked_pair_weight = 0.0;  // pairs with marks
  std::size_t limit = 10;
};

struct Hit {
  std::string id;
  double score = 0;     // BM25, comparable only within one search
  double relative = 0;  // score divided by the most any document could score for this query (0..1)
};

class Index {
 public:
  // An empty index in a new private folder under the system's temporary folder. ErrorCode::unavailable when the
  // folder or the database cannot be created.
  static Result<std::unique_ptr<Index>> create_temporary();
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Adds the documents, replacing any with the same id (the last one wins when an id comes twice), published
  // together. ErrorCode::invalid_input for an empty or too long id or a weight out of range (nothing is written
  // then). Thread-safe; changes are serialised.
  Result<void> replace(const std::vector<Document>& documents);

  // Removes the documents with these ids (unknown ids are ignored), published together. Thread-safe.
  Result<void> remove(const std::vector<std::string>& ids);

  // The best `query.limit` documents, best first (equal scores: the document indexed first). Exact, though it skips
  // work: once the terms left cannot lift an unmet document into the best `query.limit`, it only looks up the
  // documents already met in their posting lists. Thread-safe.
  Result<std::vector<Hit>> search(const Query& query) const;

  // The same search, handing each hit to `visit` (best first) with its id valid only during the call, instead of
  // copying the ids into a vector. `visit` runs while the index's contents are held for reading: it must not change
  // the index. Thread-safe.
  using HitVisitor = std::function<void(std::string_view id, double score, double relative)>;
  Result<void> search(const Query& query, const HitVisitor& visit) const;

  // The indexed folded word closest to `folded_word` (at most two edits; a more frequent word wins), or nullopt
  // when the word is indexed itself or nothing is close. Thread-safe.
  Result<std::optional<std::string>> spelling_suggestion(std::string_view folded_word) const;

  // Number of documents. Thread-safe.
  Result<std::size_t> document_count() const;

 private:
  struct State;
  explicit Index(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace dvchub::search
