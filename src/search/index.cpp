#include "search/index.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include <xapian.h>

namespace dvchub::search {
namespace {

constexpr std::size_t maximum_term_bytes = 245;  // Xapian's glass backend refuses longer terms
constexpr std::size_t maximum_id_bytes = 200;
constexpr unsigned maximum_passage_weight = 100;
constexpr int maximum_retries = 10;
constexpr std::size_t documents_per_commit = 100;
const std::string pair_prefix = "B";
const std::string marked_prefix = "M";
const std::string marked_pair_prefix = "N";
const std::string id_prefix = "Q";

std::string pair_term(const std::string& prefix, const std::string& first, const std::string& second) {
  return prefix + first + "_" + second;
}

bool usable(const std::string& term) { return !term.empty() && term.size() <= maximum_term_bytes; }

// Runs `work`, turning a Xapian exception into an Error (Xapian throws; dvchub returns).
template <typename Work>
auto guarded(Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const Xapian::Error& error) {
    return fail(ErrorCode::internal, "Chỉ mục tìm kiếm gặp lỗi", error.get_description());
  }
}

// Calls `add(term)` for every term of a passage: words, pairs, and their marked forms when the passage has them.
template <typename Add>
void for_each_term(const Passage& passage, Add&& add) {
  bool with_marks = passage.marked.size() == passage.folded.size();
  for (std::size_t index = 0; index < passage.folded.size(); ++index) {
    add(passage.folded[index]);
    if (index + 1 < passage.folded.size()) add(pair_term(pair_prefix, passage.folded[index], passage.folded[index + 1]));
    if (!with_marks) continue;
    add(marked_prefix + passage.marked[index]);
    if (index + 1 < passage.marked.size()) {
      add(pair_term(marked_pair_prefix, passage.marked[index], passage.marked[index + 1]));
    }
  }
}

bool is_unprefixed(const std::string& term) { return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'); }

}  // namespace

struct Index::State {
  struct Reader {
    Xapian::Database database;
    std::uint64_t generation = 0;
  };

  std::filesystem::path folder;
  std::mutex writer_mutex;
  Xapian::WritableDatabase writer;
  std::atomic<std::uint64_t> generation{0};  // bumped after each commit
  std::mutex readers_mutex;
  std::vector<std::unique_ptr<Reader>> idle_readers;

  ~State() {
    idle_readers.clear();
    writer.close();
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
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

  // Takes the spelling words of the stored document with this id term out of the dictionary.
  void forget_spelling(const std::string& id_term) {
    for (auto posting = writer.postlist_begin(id_term); posting != writer.postlist_end(id_term); ++posting) {
      auto document = writer.get_document(*posting);
      for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
        if (is_unprefixed(*term)) writer.remove_spelling(*term);
      }
    }
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
  // The last document of each id, committed by chunks (Xapian's in-memory batch of changes gets slower per
  // document as it grows: 1,550 articles indexed in 2.9 s of CPU by chunks of 100, 5.4 s in one batch); each
  // chunk's spelling words counted once each (one add_spelling per distinct word with the number of its documents).
  std::map<std::string_view, const Document*> latest;
  for (const auto& document : documents) latest[document.id] = &document;
  std::lock_guard lock(state_->writer_mutex);
  return guarded([&]() -> Result<void> {
    std::map<std::string, Xapian::termcount> spelling_counts;
    std::size_t in_chunk = 0;
    auto commit_chunk = [&] {
      for (const auto& [word, count] : spelling_counts) state_->writer.add_spelling(word, count);
      spelling_counts.clear();
      state_->commit();
      in_chunk = 0;
    };
    for (const auto& [id, document] : latest) {
      if (in_chunk == documents_per_commit) commit_chunk();
      ++in_chunk;
      Xapian::Document indexed;
      indexed.set_data(document->id);
      std::string id_term = id_prefix + document->id;
      indexed.add_boolean_term(id_term);
      std::set<std::string> spelling_words;
      for (const auto& passage : document->passages) {
        for_each_term(passage, [&](const std::string& term) {
          if (!usable(term)) return;
          indexed.add_term(term, passage.weight);
          if (is_unprefixed(term)) spelling_words.insert(term);
        });
      }
      state_->forget_spelling(id_term);
      for (const auto& word : spelling_words) ++spelling_counts[word];
      state_->writer.replace_document(id_term, indexed);
    }
    commit_chunk();
    return {};
  });
}

Result<void> Index::remove(const std::vector<std::string>& ids) {
  std::lock_guard lock(state_->writer_mutex);
  return guarded([&]() -> Result<void> {
    for (const auto& id : ids) {
      std::string id_term = id_prefix + id;
      if (!usable(id_term)) continue;
      state_->forget_spelling(id_term);
      state_->writer.delete_document(id_term);
    }
    state_->commit();
    return {};
  });
}

Result<std::vector<Hit>> Index::search(const Query& query) const {
  // A term the parts share (most words of the question's readings) is searched once, with the sum of its weights:
  // BM25 is linear in a term's scale, so the scores are those of one clause per occurrence, at a fraction of the
  // posting lists opened.
  std::map<std::string, double> term_weights;
  auto add = [&](const std::string& term, double weight) {
    if (weight > 0 && usable(term)) term_weights[term] += weight;
  };
  for (const auto& part : query.parts) {
    const auto& passage = part.passage;
    bool with_marks = passage.marked.size() == passage.folded.size();
    for (std::size_t index = 0; index < passage.folded.size(); ++index) {
      add(passage.folded[index], part.weight * query.word_weight);
      if (index + 1 < passage.folded.size()) {
        add(pair_term(pair_prefix, passage.folded[index], passage.folded[index + 1]), part.weight * query.pair_weight);
      }
      if (!with_marks) continue;
      add(marked_prefix + passage.marked[index], part.weight * query.marked_word_weight);
      if (index + 1 < passage.marked.size()) {
        add(pair_term(marked_pair_prefix, passage.marked[index], passage.marked[index + 1]),
            part.weight * query.marked_pair_weight);
      }
    }
  }
  std::vector<Xapian::Query> clauses;
  clauses.reserve(term_weights.size());
  for (const auto& [term, weight] : term_weights) {
    clauses.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), weight);
  }
  if (clauses.empty() || query.limit == 0) return std::vector<Hit>{};
  Xapian::Query combined(Xapian::Query::OP_OR, clauses.begin(), clauses.end());
  return guarded([&]() -> Result<std::vector<Hit>> {
    return state_->with_reader([&](Xapian::Database& database) {
      Xapian::Enquire enquire(database);
      enquire.set_query(combined);
      auto matches = enquire.get_mset(0, static_cast<Xapian::doccount>(query.limit));
      std::vector<Hit> hits;
      double most = matches.get_max_possible();
      for (auto match = matches.begin(); match != matches.end(); ++match) {
        double weight = match.get_weight();
        hits.push_back({match.get_document().get_data(), weight, most > 0 ? std::min(1.0, weight / most) : 0.0});
      }
      return hits;
    });
  });
}

Result<std::optional<std::string>> Index::spelling_suggestion(std::string_view folded_word) const {
  std::string word(folded_word);
  if (!usable(word) || !is_unprefixed(word)) return std::optional<std::string>{};
  return guarded([&]() -> Result<std::optional<std::string>> {
    return state_->with_reader([&](Xapian::Database& database) -> std::optional<std::string> {
      if (database.term_exists(word)) return std::nullopt;
      unsigned edits = word.size() >= 6 ? 2 : 1;  // two edits turn most short syllables into another one
      std::string suggestion = database.get_spelling_suggestion(word, edits);
      if (suggestion.empty()) return std::nullopt;
      return suggestion;
    });
  });
}

Result<std::size_t> Index::document_count() const {
  return guarded([&]() -> Result<std::size_t> {
    return state_->with_reader([](Xapian::Database& database) -> std::size_t { return database.get_doccount(); });
  });
}

}  // namespace dvchub::search
