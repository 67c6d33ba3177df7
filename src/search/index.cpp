#include "search/index.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <memory_resource>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include <boost/unordered/unordered_flat_map.hpp>
#include <xapian.h>

namespace dvchub::search {
namespace {

constexpr std::size_t maximum_term_bytes = 245;  // Xapian's limit, kept so that both halves index the same terms
constexpr std::size_t maximum_id_bytes = 200;
constexpr unsigned maximum_passage_weight = 100;
constexpr int maximum_retries = 10;
constexpr char pair_prefix = 'B';
constexpr char marked_prefix = 'M';
constexpr char marked_pair_prefix = 'N';

// BM25 with Xapian's default parameters (Xapian::BM25Weight: k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen = 0.5),
// so that the scores are those Xapian's matcher gave when it searched these terms.
constexpr double bm25_k1 = 1.0;
constexpr double bm25_b = 0.5;
constexpr double bm25_minimum_normalised_length = 0.5;

// A term is known by a 64-bit FNV-1a hash of its Xapian spelling (prefix, word, "_", second word): no string is
// built or compared per search. With a million distinct terms the chance of one collision is about 3 × 10⁻⁸.
using TermKey = std::uint64_t;

class TermHash {
 public:
  explicit TermHash(char prefix) {
    if (prefix != 0) add(prefix);
  }
  void add(char character) {
    hash_ ^= static_cast<unsigned char>(character);
    hash_ *= 1099511628211ULL;
  }
  void add(const std::string& text) {
    for (char character : text) add(character);
  }
  TermKey value() const { return hash_; }

 private:
  TermKey hash_ = 1469598103934665603ULL;
};

TermKey word_term(char prefix, const std::string& word) {
  TermHash hash(prefix);
  hash.add(word);
  return hash.value();
}

TermKey pair_term(char prefix, const std::string& first, const std::string& second) {
  TermHash hash(prefix);
  hash.add(first);
  hash.add('_');
  hash.add(second);
  return hash.value();
}

// Whether Xapian would take the term (non-empty, at most 245 bytes with its prefix).
bool usable(std::size_t bytes) { return bytes > 0 && bytes <= maximum_term_bytes; }

// Runs `work`, turning a Xapian exception into an Error (Xapian throws; dvchub returns).
template <typename Work>
auto guarded(Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const Xapian::Error& error) {
    return fail(ErrorCode::internal, "Chỉ mục tìm kiếm gặp lỗi", error.get_description());
  }
}

// Calls `add(term, weight)` for every usable term of a passage: words (`weights[0]`), pairs (`weights[1]`), and
// when the passage has marks, marked words (`weights[2]`) and marked pairs (`weights[3]`).
template <typename Add>
void for_each_term(const Passage& passage, const double (&weights)[4], Add&& add) {
  bool with_marks = passage.marked.size() == passage.folded.size();
  const auto& folded = passage.folded;
  const auto& marked = passage.marked;
  for (std::size_t index = 0; index < folded.size(); ++index) {
    bool has_next = index + 1 < folded.size();
    if (usable(folded[index].size())) add(word_term(0, folded[index]), weights[0]);
    if (has_next && usable(folded[index].size() + folded[index + 1].size() + 2)) {
      add(pair_term(pair_prefix, folded[index], folded[index + 1]), weights[1]);
    }
    if (!with_marks) continue;
    if (usable(marked[index].size() + 1)) add(word_term(marked_prefix, marked[index]), weights[2]);
    if (has_next && usable(marked[index].size() + marked[index + 1].size() + 2)) {
      add(pair_term(marked_pair_prefix, marked[index], marked[index + 1]), weights[3]);
    }
  }
}

struct Posting {
  std::uint32_t document = 0;  // the document's number
  std::uint32_t wdf = 0;       // within-document frequency: the passage weights of its occurrences, summed
};

struct PostingList {
  std::vector<Posting> postings;  // by document number
  std::uint32_t wdf_maximum = 0;  // the largest wdf of its postings
  // For a list that holds at least a sixteenth of the documents up to its last one: the wdf by document number (0
  // for a document it does not hold), so that looking a document up is one read instead of a search. Such lists (the
  // common words of a large knowledge base) are those that the end of a search looks documents up in most. Two bytes
  // a document (a list with a larger wdf is not indexed so): at 10,050 articles this held about 4 MB more than lists
  // at a quarter with four bytes a document, and saved 7 % of an ask's instructions (docs/assistant-quality.md,
  // session 7).
  std::vector<std::uint16_t> wdf_by_document;

  // Fills wdf_by_document when the list is dense enough (call once its postings are final and wdf_maximum is set).
  void index_densely() {
    constexpr std::size_t minimum_postings = 64;
    constexpr std::size_t density = 16;
    if (postings.size() < minimum_postings || wdf_maximum > 0xFFFF ||
        postings.size() * density < std::size_t{postings.back().document} + 1) {
      return;
    }
    wdf_by_document.assign(std::size_t{postings.back().document} + 1, 0);
    for (const auto& posting : postings) wdf_by_document[posting.document] = static_cast<std::uint16_t>(posting.wdf);
  }
};

struct StoredDocument {
  std::string id;
  std::uint32_t length = 0;                 // every occurrence's weight, summed (Xapian's document length)
  std::vector<TermKey> terms;               // distinct
  std::vector<std::string> spelling_words;  // its distinct folded words
};

// Everything a search reads. A change builds its new posting lists beside the current ones and swaps them in while
// it holds the lock alone (Index::State::apply), so a search never waits for a change's work.
struct Contents {
  // By term, in an open-addressing table (Boost's flat map): a search looks up a few dozen terms, each one read of
  // the table instead of a bucket and then a node of a std::unordered_map.
  boost::unordered_flat_map<TermKey, std::shared_ptr<const PostingList>> terms;
  std::vector<std::shared_ptr<const StoredDocument>> documents;  // by number; nullptr once removed
  std::unordered_map<std::string, std::uint32_t> numbers;        // by id
  std::vector<double> length_terms;  // by number: k1 × (normalised length × b + 1 − b), BM25's length part
  std::size_t count = 0;
  std::uint64_t total_length = 0;
  std::uint32_t length_minimum = 0;  // of the documents present

  // Recomputes what depends on the average length.
  void settle() {
    length_terms.assign(documents.size(), 0.0);
    length_minimum = 0;
    if (count == 0) return;
    double length_factor = total_length > 0 ? static_cast<double>(count) / static_cast<double>(total_length) : 0;
    bool first = true;
    for (std::size_t number = 0; number < documents.size(); ++number) {
      if (!documents[number]) continue;
      std::uint32_t length = documents[number]->length;
      length_minimum = first ? length : std::min(length_minimum, length);
      first = false;
      double normalised = std::max(length * length_factor, bm25_minimum_normalised_length);
      length_terms[number] = bm25_k1 * (normalised * bm25_b + (1 - bm25_b));
    }
  }
};

// The posting lists that replace those of `contents` after these removals (document numbers per term) and
// additions (postings per term): nullptr for a list left empty.
using ReplacedLists = std::vector<std::pair<TermKey, std::shared_ptr<const PostingList>>>;
ReplacedLists replaced_posting_lists(const Contents& contents,
                                     std::unordered_map<TermKey, std::vector<std::uint32_t>>& removals,
                                     std::unordered_map<TermKey, std::vector<Posting>>& additions) {
  std::set<TermKey> touched;
  for (const auto& [key, numbers] : removals) touched.insert(key);
  for (const auto& [key, postings] : additions) touched.insert(key);
  ReplacedLists replaced;
  for (TermKey key : touched) {
    auto list = std::make_shared<PostingList>();
    std::vector<std::uint32_t> removed;
    if (auto found = removals.find(key); found != removals.end()) {
      removed = std::move(found->second);
      std::sort(removed.begin(), removed.end());
    }
    auto by_document = [](const Posting& left, const Posting& right) { return left.document < right.document; };
    std::vector<Posting> kept;
    if (auto existing = contents.terms.find(key); existing != contents.terms.end()) {
      const auto& postings = existing->second->postings;
      if (removed.empty()) {
        kept = postings;
      } else {
        kept.reserve(postings.size());
        for (const auto& posting : postings) {
          if (!std::binary_search(removed.begin(), removed.end(), posting.document)) kept.push_back(posting);
        }
      }
    }
    if (auto found = additions.find(key); found != additions.end()) {
      auto& added = found->second;
      std::sort(added.begin(), added.end(), by_document);
      list->postings.reserve(kept.size() + added.size());
      std::merge(kept.begin(), kept.end(), added.begin(), added.end(), std::back_inserter(list->postings), by_document);
    } else {
      list->postings = std::move(kept);
    }
    for (const auto& posting : list->postings) list->wdf_maximum = std::max(list->wdf_maximum, posting.wdf);
    list->index_densely();
    replaced.emplace_back(key, list->postings.empty() ? nullptr : std::move(list));
  }
  return replaced;
}

// A change planned without touching what searches read, then applied at once (Index::State::apply).
struct Change {
  std::unordered_map<TermKey, std::vector<std::uint32_t>> removals;  // document numbers leaving each term
  std::unordered_map<TermKey, std::vector<Posting>> additions;       // postings joining each term
  std::vector<std::pair<std::uint32_t, std::shared_ptr<const StoredDocument>>> stored;  // nullptr: removed
  std::map<std::string, int> spelling_changes;  // documents holding each word: added minus removed
  std::size_t document_slots = 0;               // documents.size() after the change
  std::int64_t length_change = 0;
  std::int64_t count_change = 0;

  // Takes out the document with this number (its postings, spelling words, length).
  void take_out(const StoredDocument& document, std::uint32_t number) {
    for (TermKey key : document.terms) removals[key].push_back(number);
    for (const auto& word : document.spelling_words) --spelling_changes[word];
    length_change -= document.length;
    --count_change;
  }
};

// One term of a search, with its BM25 weight and the most it can add to a document's score.
struct SearchTerm {
  const PostingList* list = nullptr;
  double weight = 0;   // Xapian's termweight: log of the IDF ratio × the query's scale × (k1 + 1)
  double maximum = 0;  // upper bound of the term's part of any document's score
};

// The documents with the `limit` highest scores among those met so far, as a min-heap on their scores (the root holds
// the `limit`-th score), with each document's place in it kept so that its entry moves down when its score grows.
// Scores only grow, so the root is always exactly the `limit`-th highest score of all the documents met.
class LeadingDocuments {
 public:
  // `scores` is read for every comparison; `places` (one entry per document number, all 0) is left as found by clear().
  LeadingDocuments(std::size_t limit, const std::vector<double>& scores, std::vector<std::uint32_t>& places)
      : limit_(limit), scores_(scores), places_(places) {
    heap_.clear();
  }

  bool full() const { return heap_.size() == limit_; }
  double lowest() const { return scores_[heap_.front()]; }  // when full()
  bool holds(std::uint32_t document) const { return places_[document] != 0; }
  const std::vector<std::uint32_t>& documents() const { return heap_; }

  // Called after `document`'s score grew. A document held other than the root had at least the root's score before
  // it grew, so any other document still at or below the root's score is not held, and changes nothing; nor does
  // the root itself when its score is still the one kept (what it gained was lost to rounding).
  void raise(std::uint32_t document) {
    if (full_ && scores_[document] <= root_score_) return;
    if (std::uint32_t place = places_[document]; place != 0) {
      sift_down(place - 1);
    } else if (heap_.size() < limit_) {
      heap_.push_back(document);
      places_[document] = static_cast<std::uint32_t>(heap_.size());
      sift_up(heap_.size() - 1);
    } else if (scores_[document] > scores_[heap_.front()]) {
      places_[heap_.front()] = 0;
      heap_.front() = document;
      places_[document] = 1;
      sift_down(0);
    }
    full_ = heap_.size() == limit_;
    root_ = heap_.front();
    root_score_ = scores_[root_];
  }

  // Resets the places of the documents held (call before the scratch is used again).
  void clear() {
    for (std::uint32_t document : heap_) places_[document] = 0;
    heap_.clear();
  }

 private:
  void put(std::size_t index, std::uint32_t document) {
    heap_[index] = document;
    places_[document] = static_cast<std::uint32_t>(index + 1);
  }
  void sift_up(std::size_t index) {
    std::uint32_t document = heap_[index];
    while (index > 0) {
      std::size_t parent = (index - 1) / 2;
      if (scores_[heap_[parent]] <= scores_[document]) break;
      put(index, heap_[parent]);
      index = parent;
    }
    put(index, document);
  }
  void sift_down(std::size_t index) {
    std::uint32_t document = heap_[index];
    for (;;) {
      std::size_t child = 2 * index + 1;
      if (child >= heap_.size()) break;
      if (child + 1 < heap_.size() && scores_[heap_[child + 1]] < scores_[heap_[child]]) ++child;
      if (scores_[heap_[child]] >= scores_[document]) break;
      put(index, heap_[child]);
      index = child;
    }
    put(index, document);
  }

  std::size_t limit_;
  bool full_ = false;        // the heap holds `limit_` documents
  std::uint32_t root_ = 0;   // the document at its root, and its score (kept here: most postings only compare it)
  double root_score_ = 0;
  const std::vector<double>& scores_;
  std::vector<std::uint32_t>& places_;
  thread_local static std::vector<std::uint32_t> heap_;
};
thread_local std::vector<std::uint32_t> LeadingDocuments::heap_;

// True when (left_score, left) ranks before (right_score, right): a higher score first, then the lower number.
bool ranks_before(double left_score, std::uint32_t left, double right_score, std::uint32_t right) {
  return left_score != right_score ? left_score > right_score : left < right;
}

// Exact top `limit` documents by BM25 (ties: the lower document number first), with MaxScore pruning. Terms are
// taken most valuable first, and every document's score is summed in that order, whichever way it is reached (so
// the scores do not depend on where the pruning starts). While a document that none of the terms so far matched
// could still enter the best `limit`, whole posting lists are read (the `limit`-th score is kept by a small heap as
// scores grow). Then only documents already met can: the best `limit` of them so far are completed first (looked
// up in the remaining, long and low-value, posting lists), which gives a lower bound of the final `limit`-th
// score; the others are completed one by one in document order, each dropped as soon as what the terms left could
// add no longer lifts it to that bound, which rises as documents complete.
std::vector<std::pair<std::uint32_t, double>> best_documents(const Contents& contents, std::vector<SearchTerm> terms,
                                                             std::size_t limit) {
  std::sort(terms.begin(), terms.end(),
            [](const SearchTerm& left, const SearchTerm& right) { return left.maximum > right.maximum; });
  std::vector<double> remaining(terms.size() + 1, 0.0);  // sum of the maxima of terms[i..]
  for (std::size_t index = terms.size(); index-- > 0;) remaining[index] = remaining[index + 1] + terms[index].maximum;

  // Scratch kept by each thread from one search to the next (a search at 10,000 documents meets thousands).
  thread_local std::vector<double> scores;  // by document number; 0 for documents not met
  thread_local std::vector<std::uint32_t> places;  // by document number: LeadingDocuments' places
  if (scores.size() < contents.documents.size()) {
    scores.resize(contents.documents.size(), 0.0);
    places.resize(contents.documents.size(), 0);
  }
  thread_local std::vector<std::uint32_t> met;  // documents with a score, in order of first meeting
  thread_local std::vector<std::uint64_t> marks;  // a bit per document number
  thread_local std::vector<std::pair<std::uint32_t, double>> scored;
  thread_local std::vector<const Posting*> cursors;  // per term, for lookups in document order
  met.clear();
  scored.clear();
  LeadingDocuments leading(limit, scores, places);
  auto contribution = [&](const SearchTerm& term, std::uint32_t document, std::uint32_t wdf) {
    return term.weight * wdf / (contents.length_terms[document] + wdf);
  };

  std::size_t next = 0;
  for (; next < terms.size(); ++next) {
    if (next > 0 && leading.full() && leading.lowest() > remaining[next]) break;
    const auto& term = terms[next];
    for (const auto& posting : term.list->postings) {
      double& score = scores[posting.document];
      if (score == 0) met.push_back(posting.document);
      score += contribution(term, posting.document, posting.wdf);
      leading.raise(posting.document);
    }
  }

  if (next == terms.size()) {
    // Every list was read: the best are among the documents at or above the `limit`-th score.
    double lowest = leading.full() ? leading.lowest() : 0.0;
    for (std::uint32_t document : met) {
      if (scores[document] >= lowest) scored.emplace_back(document, scores[document]);
    }
  } else {
    // Looks `document` up in the posting list of terms[index]: one read in a dense list, else a search from that
    // term's cursor on (galloping: documents come in order, so this costs about the log of the gap from the last
    // one); its wdf, or 0 when absent.
    auto wdf_of = [&](std::size_t index, std::uint32_t document) -> std::uint32_t {
      if (const auto& dense = terms[index].list->wdf_by_document; !dense.empty()) {
        return document < dense.size() ? dense[document] : 0;
      }
      const Posting*& position = cursors[index];
      const Posting* end = terms[index].list->postings.data() + terms[index].list->postings.size();
      std::size_t step = 1;
      const Posting* probe = position;
      while (probe < end && probe->document < document) {
        position = probe + 1;
        probe = static_cast<std::size_t>(end - probe) > step ? probe + step : end;
        step *= 2;
      }
      position = std::lower_bound(position, probe, document,
                                  [](const Posting& posting, std::uint32_t wanted) { return posting.document < wanted; });
      return position != end && position->document == document ? position->wdf : 0;
    };
    auto rewind = [&] {
      cursors.resize(terms.size());
      for (std::size_t index = next; index < terms.size(); ++index) cursors[index] = terms[index].list->postings.data();
    };
    // The documents completed so far that rank among the best `limit`, as a heap whose root ranks last.
    auto ranks_after = [](const std::pair<std::uint32_t, double>& left, const std::pair<std::uint32_t, double>& right) {
      return ranks_before(left.second, left.first, right.second, right.first);  // the heap's "less": its root ranks last
    };
    auto complete = [&](std::uint32_t document, double bound) -> std::optional<double> {
      double score = scores[document];
      for (std::size_t index = next; index < terms.size(); ++index) {
        if (score + remaining[index] < bound) return std::nullopt;
        if (std::uint32_t wdf = wdf_of(index, document); wdf != 0) score += contribution(terms[index], document, wdf);
      }
      return score;
    };
    // The best `limit` so far, completed first (in document order, for the cursors).
    std::vector<std::uint32_t> first = leading.documents();
    std::sort(first.begin(), first.end());
    rewind();
    for (std::uint32_t document : first) scored.emplace_back(document, *complete(document, 0.0));
    std::make_heap(scored.begin(), scored.end(), ranks_after);
    double bound = scored.front().second;  // no document scoring below it can rank among the best `limit`
    // The others that could still reach it, in document order (through a bitmap: sorting thousands cost more).
    marks.assign(contents.documents.size() / 64 + 1, 0);
    for (std::uint32_t document : met) {
      if (!leading.holds(document) && scores[document] + remaining[next] >= bound) {
        marks[document / 64] |= std::uint64_t{1} << (document % 64);
      }
    }
    rewind();
    for (std::size_t word = 0; word < marks.size(); ++word) {
      for (std::uint64_t bits = marks[word]; bits != 0; bits &= bits - 1) {
        auto document = static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
        auto score = complete(document, bound);
        if (!score || !ranks_before(*score, document, scored.front().second, scored.front().first)) continue;
        std::pop_heap(scored.begin(), scored.end(), ranks_after);
        scored.back() = {document, *score};
        std::push_heap(scored.begin(), scored.end(), ranks_after);
        bound = scored.front().second;
      }
    }
  }
  leading.clear();
  for (std::uint32_t document : met) scores[document] = 0;
  auto better = [](const auto& left, const auto& right) { return ranks_before(left.second, left.first, right.second, right.first); };
  auto end = scored.end();
  if (scored.size() > limit) {
    end = scored.begin() + static_cast<std::ptrdiff_t>(limit);
    std::partial_sort(scored.begin(), end, scored.end(), better);
  } else {
    std::sort(scored.begin(), scored.end(), better);
  }
  return std::vector<std::pair<std::uint32_t, double>>(scored.begin(), end);
}

}  // namespace

struct Index::State {
  struct Reader {
    Xapian::Database database;
    std::uint64_t generation = 0;
  };

  std::filesystem::path folder;
  std::mutex writer_mutex;
  Xapian::WritableDatabase writer;  // the spelling dictionary only
  std::atomic<std::uint64_t> generation{0};  // bumped after each commit
  std::mutex readers_mutex;
  std::vector<std::unique_ptr<Reader>> idle_readers;
  // Searches hold it shared; a change holds it alone only while it swaps its new posting lists in. The writer
  // (holding writer_mutex) may read `contents` without it: nothing else changes it.
  mutable std::shared_mutex contents_mutex;
  Contents contents;

  ~State() {
    idle_readers.clear();
    writer.close();
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }

  // Applies a planned change to the contents (call with writer_mutex held, after the spelling commit).
  void apply(Change& change) {
    ReplacedLists replaced = replaced_posting_lists(contents, change.removals, change.additions);
    std::unique_lock lock(contents_mutex);
    contents.documents.resize(change.document_slots);
    for (auto& [number, document] : change.stored) {
      if (document) {
        contents.numbers[document->id] = number;
      } else if (contents.documents[number]) {
        contents.numbers.erase(contents.documents[number]->id);
      }
      contents.documents[number] = std::move(document);
    }
    for (auto& [key, list] : replaced) {
      if (list) {
        contents.terms[key] = std::move(list);
      } else {
        contents.terms.erase(key);
      }
    }
    contents.total_length = static_cast<std::uint64_t>(static_cast<std::int64_t>(contents.total_length) + change.length_change);
    contents.count = static_cast<std::size_t>(static_cast<std::int64_t>(contents.count) + change.count_change);
    contents.settle();
  }

  // A reader no older than the last commit; give it back with `give_back`.
  std::unique_ptr<Reader> borrow() {
    std::unique_ptr<Reader> reader;
    {
      std::lock_guard lock(readers_mutex);
      if (!idle_readers.empty()) {
        reader = std::move(idle_readers.back());
        idle_readers.pop_back();
      }
    }
    std::uint64_t current = generation.load(std::memory_order_acquire);
    if (!reader) {
      reader = std::make_unique<Reader>(Reader{Xapian::Database(folder.string()), current});
    } else if (reader->generation != current) {
      reader->database.reopen();
      reader->generation = current;
    }
    return reader;
  }

  void give_back(std::unique_ptr<Reader> reader) {
    std::lock_guard lock(readers_mutex);
    idle_readers.push_back(std::move(reader));
  }

  // Runs `read(database)` on a borrowed reader. When commits overtook the reader (while it was opened, reopened or
  // read), the reader is dropped and the work retried on a fresh one.
  template <typename Read>
  auto with_reader(Read&& read) -> decltype(read(std::declval<Xapian::Database&>())) {
    for (int attempt = 1;; ++attempt) {
      try {
        auto reader = borrow();
        auto result = read(reader->database);
        give_back(std::move(reader));
        return result;
      } catch (const Xapian::DatabaseModifiedError&) {
        if (attempt == maximum_retries) throw;
      }
    }
  }

  void commit() {
    writer.commit();
    generation.fetch_add(1, std::memory_order_release);
  }

  // Writes the spelling dictionary's changes and commits (call with writer_mutex held).
  void write_spelling(const std::map<std::string, int>& spelling_changes) {
    for (const auto& [word, change] : spelling_changes) {
      if (change > 0) writer.add_spelling(word, static_cast<Xapian::termcount>(change));
      if (change < 0) writer.remove_spelling(word, static_cast<Xapian::termcount>(-change));
    }
    commit();
  }
};

Index::Index(std::unique_ptr<State> state) : state_(std::move(state)) {}

Index::~Index() = default;

Result<std::unique_ptr<Index>> Index::create_temporary() {
  std::error_code error;
  auto base = std::filesystem::temp_directory_path(error);
  if (error) return fail(ErrorCode::unavailable, "Không tạo được chỉ mục tìm kiếm", error.message());
  std::string pattern = (base / "dvchub-search-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    return fail(ErrorCode::unavailable, "Không tạo được chỉ mục tìm kiếm", "mkdtemp failed for " + pattern);
  }
  return guarded([&]() -> Result<std::unique_ptr<Index>> {
    auto state = std::make_unique<State>();
    state->folder = pattern;
    state->writer = Xapian::WritableDatabase(pattern, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                                          Xapian::DB_NO_SYNC);
    state->commit();
    return std::unique_ptr<Index>(new Index(std::move(state)));
  });
}

Result<void> Index::replace(const std::vector<Document>& documents) {
  for (const auto& document : documents) {
    if (document.id.empty() || document.id.size() > maximum_id_bytes) {
      return fail(ErrorCode::invalid_input, "Mã tài liệu trong chỉ mục phải dài từ 1 đến 200 byte");
    }
    for (const auto& passage : document.passages) {
      if (passage.weight == 0 || passage.weight > maximum_passage_weight) {
        return fail(ErrorCode::invalid_input, "Trọng số của đoạn văn phải từ 1 đến 100");
      }
    }
  }
  std::map<std::string_view, const Document*> latest;  // the last document of each id, in id order
  for (const auto& document : documents) latest[document.id] = &document;
  std::lock_guard lock(state_->writer_mutex);
  const Contents& current = state_->contents;
  Change change;
  change.document_slots = current.documents.size();
  for (const auto& [id, document] : latest) {
    std::uint32_t number = 0;
    if (auto known = current.numbers.find(document->id); known != current.numbers.end()) {
      number = known->second;
      change.take_out(*current.documents[number], number);
    } else {
      number = static_cast<std::uint32_t>(change.document_slots++);
    }
    auto stored = std::make_shared<StoredDocument>();
    stored->id = document->id;
    std::unordered_map<TermKey, std::uint32_t> frequencies;
    std::set<std::string> spelling_words;
    for (const auto& passage : document->passages) {
      const double weights[4] = {1, 1, 1, 1};
      for_each_term(passage, weights, [&](TermKey key, double) {
        frequencies[key] += passage.weight;
        stored->length += passage.weight;
      });
      for (const auto& word : passage.folded) {
        if (usable(word.size())) spelling_words.insert(word);
      }
    }
    for (const auto& [key, wdf] : frequencies) {
      stored->terms.push_back(key);
      change.additions[key].push_back({number, wdf});
    }
    stored->spelling_words.assign(spelling_words.begin(), spelling_words.end());
    for (const auto& word : stored->spelling_words) ++change.spelling_changes[word];
    change.length_change += stored->length;
    ++change.count_change;
    change.stored.emplace_back(number, std::move(stored));
  }
  DVCHUB_TRY(guarded([&]() -> Result<void> {
    state_->write_spelling(change.spelling_changes);
    return {};
  }));
  state_->apply(change);
  return {};
}

Result<void> Index::remove(const std::vector<std::string>& ids) {
  std::lock_guard lock(state_->writer_mutex);
  const Contents& current = state_->contents;
  Change change;
  change.document_slots = current.documents.size();
  std::set<std::uint32_t> removed;
  for (const auto& id : ids) {
    auto known = current.numbers.find(id);
    if (known == current.numbers.end() || !removed.insert(known->second).second) continue;
    change.take_out(*current.documents[known->second], known->second);
    change.stored.emplace_back(known->second, nullptr);
  }
  DVCHUB_TRY(guarded([&]() -> Result<void> {
    state_->write_spelling(change.spelling_changes);
    return {};
  }));
  state_->apply(change);
  return {};
}

Result<std::vector<Hit>> Index::search(const Query& query) const {
  std::vector<Hit> hits;
  DVCHUB_TRY(search(query, [&hits](std::string_view id, double score, double relative) {
    hits.push_back({std::string(id), score, relative});
  }));
  return hits;
}

Result<void> Index::search(const Query& query, const HitVisitor& visit) const {
  std::shared_lock lock(state_->contents_mutex);
  const Contents* contents = &state_->contents;
  // A term the parts share (most words of the question's readings) is searched once, with the sum of its weights:
  // BM25 is linear in a term's scale. The table's nodes come from a buffer on the stack (a question has a few
  // hundred terms at most; more spill to the heap), not one allocation each.
  std::byte buffer[16384];
  std::pmr::monotonic_buffer_resource arena(buffer, sizeof buffer);
  std::pmr::unordered_map<TermKey, double> term_weights(&arena);
  for (const auto& part : query.parts) {
    const double weights[4] = {part.weight * query.word_weight, part.weight * query.pair_weight,
                               part.weight * query.marked_word_weight, part.weight * query.marked_pair_weight};
    for_each_term(part.passage, weights, [&](TermKey key, double weight) {
      if (weight > 0) term_weights[key] += weight;
    });
  }
  if (term_weights.empty() || query.limit == 0 || contents->count == 0) return {};
  const double collection = static_cast<double>(contents->count);
  const double length_factor =
      contents->total_length > 0 ? collection / static_cast<double>(contents->total_length) : 0;
  std::vector<SearchTerm> terms;
  terms.reserve(term_weights.size());
  double most = 0;  // the most any document could score: every term at its best
  for (const auto& [key, scale] : term_weights) {
    auto found = contents->terms.find(key);
    if (found == contents->terms.end()) continue;
    const PostingList& list = *found->second;
    double frequency = static_cast<double>(list.postings.size());
    double ratio = (collection - frequency + 0.5) / (frequency + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;  // as Xapian: no negative weight for a term in most documents
    double weight = std::log(ratio) * scale * (bm25_k1 + 1);
    double wdf_maximum = list.wdf_maximum;
    double shortest = std::max(std::max(wdf_maximum, static_cast<double>(contents->length_minimum)) * length_factor,
                               bm25_minimum_normalised_length);
    double maximum = weight * wdf_maximum / (bm25_k1 * (shortest * bm25_b + (1 - bm25_b)) + wdf_maximum);
    terms.push_back({&list, weight, maximum});
    most += maximum;
  }
  for (const auto& [number, score] : best_documents(*contents, std::move(terms), query.limit)) {
    visit(contents->documents[number]->id, score, most > 0 ? std::min(1.0, score / most) : 0.0);
  }
  return {};
}

Result<std::optional<std::string>> Index::spelling_suggestion(std::string_view folded_word) const {
  std::string word(folded_word);
  if (!usable(word.size()) || (word[0] >= 'A' && word[0] <= 'Z')) return std::optional<std::string>{};
  {
    std::shared_lock lock(state_->contents_mutex);
    if (state_->contents.terms.contains(word_term(0, word))) return std::optional<std::string>{};
  }
  return guarded([&]() -> Result<std::optional<std::string>> {
    return state_->with_reader([&](Xapian::Database& database) -> std::optional<std::string> {
      unsigned edits = word.size() >= 6 ? 2 : 1;  // two edits turn most short syllables into another one
      std::string suggestion = database.get_spelling_suggestion(word, edits);
      if (suggestion.empty()) return std::nullopt;
      return suggestion;
    });
  });
}

Result<std::size_t> Index::document_count() const {
  std::shared_lock lock(state_->contents_mutex);
  return state_->contents.count;
}

}  // namespace dvchub::search
