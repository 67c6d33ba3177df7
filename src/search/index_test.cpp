#include "search/index.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace dvchub::search {
namespace {

Passage passage(std::vector<std::string> folded, std::vector<std::string> marked = {}, unsigned weight = 1) {
  return Passage{std::move(folded), std::move(marked), weight};
}

Query query_of(Passage passage, double marked_weight = 0) {
  Query query;
  query.parts.push_back({std::move(passage), 1.0});
  query.marked_word_weight = marked_weight;
  query.marked_pair_weight = marked_weight;
  return query;
}

std::unique_ptr<Index> new_index() {
  auto index = Index::create_temporary();
  EXPECT_TRUE(index) << (index ? "" : index.error().detail);
  return std::move(*index);
}

std::vector<std::string> ids(const Result<std::vector<Hit>>& hits) {
  std::vector<std::string> result;
  if (hits) {
    for (const auto& hit : *hits) result.push_back(hit.id);
  }
  return result;
}

TEST(SearchIndex, FoldedQueryMatchesMarkedDocuments) {
  auto index = new_index();
  ASSERT_TRUE(index->replace({{"register", {passage({"dang", "ky", "tai", "khoan"}, {"đăng", "ký", "tài", "khoản"})}},
                              {"weather", {passage({"thoi", "tiet"}, {"thời", "tiết"})}}}));
  auto hits = index->search(query_of(passage({"dang", "ky", "tai", "khoan"})));
  ASSERT_TRUE(hits);
  EXPECT_EQ(ids(hits), std::vector<std::string>{"register"});
}

TEST(SearchIndex, MarkedQueryPrefersTheSameMarks) {
  auto index = new_index();
  ASSERT_TRUE(index->replace({{"ghost", {passage({"ma", "so"}, {"ma", "số"})}},
                              {"code", {passage({"ma", "so"}, {"mã", "số"})}},
                              {"cheek", {passage({"ma", "so"}, {"má", "số"})}}}));
  auto code_first = index->search(query_of(passage({"ma", "so"}, {"mã", "số"}), 2.0));
  ASSERT_TRUE(code_first);
  ASSERT_EQ(code_first->size(), 3u);
  EXPECT_EQ(code_first->front().id, "code");
  EXPECT_GT((*code_first)[0].score, (*code_first)[1].score);
  auto cheek_first = index->search(query_of(passage({"ma", "so"}, {"má", "số"}), 2.0));
  ASSERT_TRUE(cheek_first);
  EXPECT_EQ(cheek_first->front().id, "cheek");
  auto unmarked = index->search(query_of(passage({"ma", "so"})));
  ASSERT_TRUE(unmarked);
  ASSERT_EQ(unmarked->size(), 3u);
  EXPECT_DOUBLE_EQ(unmarked->front().score, unmarked->back().score);  // no marks typed: no preference
}

TEST(SearchIndex, AdjacentPairsOutrankScatteredWords) {
  auto index = new_index();
  ASSERT_TRUE(index->replace({{"pair", {passage({"tai", "khoan", "moi"})}},
                              {"scattered", {passage({"khoan", "moi", "tai"})}}}));
  auto hits = index->search(query_of(passage({"tai", "khoan"})));
  EXPECT_EQ(ids(hits), (std::vector<std::string>{"pair", "scattered"}));
}

TEST(SearchIndex, PassageWeightMakesAFieldCountMore) {
  auto index = new_index();
  ASSERT_TRUE(index->replace({{"in-title", {passage({"le", "phi"}, {}, 4), passage({"thanh", "toan"})}},
                              {"in-body", {passage({"thanh", "toan"}, {}, 4), passage({"le", "phi"})}}}));
  EXPECT_EQ(ids(index->search(query_of(passage({"le", "phi"})))), (std::vector<std::string>{"in-title", "in-body"}));
}

TEST(SearchIndex, ReplaceAndRemoveAreVisibleToTheNextSearch) {
  auto index = new_index();
  ASSERT_TRUE(index->replace({{"a", {passage({"ho", "chieu"})}}}));
  EXPECT_EQ(ids(index->search(query_of(passage({"ho", "chieu"})))), std::vector<std::string>{"a"});
  ASSERT_TRUE(index->replace({{"a", {passage({"khai", "sinh"})}}}));
  EXPECT_TRUE(ids(index->search(query_of(passage({"ho", "chieu"})))).empty());
  EXPECT_EQ(ids(index->search(query_of(passage({"khai", "sinh"})))), std::vector<std::string>{"a"});
  ASSERT_TRUE(index->remove({"a", "never-indexed"}));
  EXPECT_TRUE(ids(index->search(query_of(passage({"khai", "sinh"})))).empty());
  EXPECT_EQ(index->document_count().value_or(99), 0u);
}

TEST(SearchIndex, SuggestsIndexedWordsForMisspellings) {
  auto index = new_index();
  ASSERT_TRUE(index->replace({{"a", {passage({"chung", "thuc", "ban", "sao"})}}, {"b", {passage({"vneid"})}}}));
  EXPECT_EQ(index->spelling_suggestion("vnied").value_or(std::nullopt), std::optional<std::string>("vneid"));
  EXPECT_EQ(index->spelling_suggestion("thucc").value_or(std::nullopt), std::optional<std::string>("thuc"));
  EXPECT_EQ(index->spelling_suggestion("thuc").value_or(std::optional<std::string>("x")), std::nullopt);
  ASSERT_TRUE(index->remove({"b"}));
  EXPECT_EQ(index->spelling_suggestion("vnied").value_or(std::nullopt), std::nullopt);  // its words left too
}

TEST(SearchIndex, RejectsBadIdsAndWeightsAndSkipsOverlongTerms) {
  auto index = new_index();
  EXPECT_FALSE(index->replace({{"", {passage({"a"})}}}));
  EXPECT_FALSE(index->replace({{std::string(201, 'x'), {passage({"a"})}}}));
  EXPECT_FALSE(index->replace({{"a", {passage({"a"}, {}, 0)}}}));
  ASSERT_TRUE(index->replace({{"long", {passage({std::string(300, 'a'), "ngan"})}}}));
  EXPECT_EQ(ids(index->search(query_of(passage({"ngan"})))), std::vector<std::string>{"long"});
}

// The scores are Xapian's BM25 (Xapian::BM25Weight, default parameters): the expected values were printed by
// Xapian 1.4.22's Enquire for the same four documents (term → wdf) and the same OR of scaled terms.
TEST(SearchIndex, ScoresAreXapianBm25) {
  auto index = new_index();
  auto document = [](std::string id, std::vector<std::pair<std::string, unsigned>> words) {
    Document result{std::move(id), {}};
    for (auto& [word, wdf] : words) result.passages.push_back(passage({word}, {}, wdf));
    return result;
  };
  ASSERT_TRUE(index->replace({document("1", {{"a", 4}, {"b", 1}, {"c", 3}}),
                              document("2", {{"a", 1}, {"d", 7}, {"e", 1}, {"f", 1}}),
                              document("3", {{"b", 2}, {"c", 1}, {"g", 12}}),
                              document("4", {{"a", 3}, {"c", 3}, {"h", 2}})}));
  Query query;
  query.parts = {{passage({"a"}), 1.5}, {passage({"c"}), 0.7}, {passage({"b"}), 1.0}};
  auto hits = index->search(query);
  ASSERT_TRUE(hits);
  EXPECT_EQ(ids(hits), (std::vector<std::string>{"1", "4", "3", "2"}));
  const double expected[] = {1.1150564160090646, 0.65879144210311058, 0.62365711764939202, 0.29302073345077001};
  for (std::size_t rank = 0; rank < hits->size(); ++rank) EXPECT_NEAR((*hits)[rank].score, expected[rank], 1e-12);
  // Xapian's bound (MSet::get_max_possible) was 1.2599180031883646 with a loose bound on the wdf of "c" (4, where
  // its largest wdf is 3); this index's bound is the exact one.
  double exact_bound = 0.31762180916026944 * 1.5 + 0.8109302162163288 * 2 / (1 * ((8 / 10.25) * 0.5 + 0.5) + 2) +
                       0.3883120288819148 * 0.7 * 3 / (1 * ((8 / 10.25) * 0.5 + 0.5) + 3);
  EXPECT_NEAR(hits->front().relative, expected[0] / exact_bound, 1e-12);
}

// Skipping work never changes the result: the best `limit` documents are the first `limit` of a full ranking.
TEST(SearchIndex, BestDocumentsAreThoseOfAFullRanking) {
  auto index = new_index();
  const std::vector<std::string> words = {"dang", "ky", "ho", "so", "tai", "khoan", "khai", "sinh", "tam", "tru",
                                          "le", "phi", "giay", "to", "nop", "truc", "tuyen", "xa", "phuong", "ket"};
  std::vector<Document> documents;
  std::uint32_t state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u, (state >> 16) % 1000; };
  for (int number = 0; number < 400; ++number) {
    std::vector<std::string> folded;
    std::size_t length = 3 + next() % 12;
    for (std::size_t word = 0; word < length; ++word) folded.push_back(words[next() % (next() % 2 ? 6 : words.size())]);
    documents.push_back({"doc" + std::to_string(number), {passage(folded, {}, 1 + next() % 4)}});
  }
  ASSERT_TRUE(index->replace(documents));
  auto check = [&] {
    for (const auto& question : std::vector<std::vector<std::string>>{
             {"dang", "ky", "khai", "sinh"}, {"le", "phi", "tam", "tru", "o", "xa"}, {"ho", "so"}, {"ket", "phuong", "tuyen"}}) {
      Query full = query_of(passage(question));
      full.limit = 1000;
      auto everything = index->search(full);
      ASSERT_TRUE(everything);
      for (std::size_t limit : {1u, 3u, 10u, 30u}) {
        Query best = query_of(passage(question));
        best.limit = limit;
        auto hits = index->search(best);
        ASSERT_TRUE(hits);
        ASSERT_EQ(hits->size(), std::min(limit, everything->size()));
        for (std::size_t rank = 0; rank < hits->size(); ++rank) {
          EXPECT_EQ((*hits)[rank].id, (*everything)[rank].id) << rank;
          EXPECT_DOUBLE_EQ((*hits)[rank].score, (*everything)[rank].score) << rank;
        }
      }
    }
  };
  check();
  // The common words' lists are dense (kept by document number too): they must stay right when documents leave
  // and others are added after them.
  std::vector<std::string> removed;
  for (int number = 0; number < 400; number += 3) removed.push_back("doc" + std::to_string(number));
  ASSERT_TRUE(index->remove(removed));
  std::vector<Document> added;
  for (int number = 400; number < 460; ++number) {
    added.push_back({"doc" + std::to_string(number), {passage({"dang", "ky", "ho", "so", words[next() % 20]})}});
  }
  ASSERT_TRUE(index->replace(added));
  check();
}

TEST(SearchIndex, ConcurrentSearchesSeeAnUpdateWithoutErrors) {
  auto index = new_index();
  std::vector<Document> documents;
  for (int number = 0; number < 50; ++number) {
    documents.push_back({"doc" + std::to_string(number), {passage({"thu", "tuc", "so", std::to_string(number)})}});
  }
  ASSERT_TRUE(index->replace(documents));
  std::atomic<bool> updated{false};
  std::atomic<bool> finished{false};  // every change has returned: searchers go on until then, however slow
  std::atomic<int> failures{0};
  std::atomic<int> saw_new{0};
  std::vector<std::thread> searchers;
  for (int thread = 0; thread < 4; ++thread) {
    searchers.emplace_back([&] {
      // At least 200 rounds, the last one begun after every change returned (on a loaded machine the changes, each a
      // spelling commit, can outlast 200 rounds).
      for (int round = 0;; ++round) {
        const bool last_round = round >= 200 && finished.load();
        bool after_update = updated.load();
        auto hits = index->search(query_of(passage({"khai", "sinh"})));
        if (!hits) {
          ADD_FAILURE() << hits.error().detail;
          ++failures;
          if (last_round) break;
          continue;
        }
        if (!hits->empty()) ++saw_new;
        if (after_update && hits->empty()) {  // an update that returned must be visible
          ADD_FAILURE() << "update not visible";
          ++failures;
        }
        if (index->search(query_of(passage({"thu", "tuc"}))).value_or(std::vector<Hit>{}).empty()) ++failures;
        if (last_round) break;
      }
    });
  }
  for (int change = 0; change < 5; ++change) {
    auto replaced = index->replace({{"doc" + std::to_string(change), {passage({"thu", "tuc", "khai", "sinh"})}}});
    EXPECT_TRUE(replaced);  // not ASSERT: the searchers wait for `finished`
    if (!replaced) break;
    updated = true;
  }
  finished = true;
  for (auto& searcher : searchers) searcher.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(saw_new.load(), 0);
}

}  // namespace
}  // namespace dvchub::search
