// assistant/article_generator.h — synthetic but plausible Vietnamese knowledge-base articles for benchmarks and load
// tests (`dvchub gen articles`). Deterministic: the same options give the same articles on every machine.
//
// Each article is local guidance about one public-service procedure for one commune/ward, one aspect (documents,
// fees, time limit, where to submit, authorisation, …) and sometimes one group of citizens, written with the same
// vocabulary as the real articles (khai sinh, tạm trú, lệ phí, VNeID, Bộ phận Một cửa, …), so that a search over
// the synthetic knowledge base meets long posting lists and many near candidates, as a large real one would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "assistant/knowledge.h"

namespace dvchub::assistant {

struct ArticleGeneratorOptions {
  std::size_t count = 1000;
  std::uint64_t seed = 1;
  std::string topic_prefix = "synthetic.";  // topic = prefix + 5-digit sequence number from 00001
};

// `options.count` articles with topics prefix+00001…, each valid for KnowledgeStore::save_article (title ≤ 300 bytes,
// body ≤ 20,000 bytes, 3–8 phrasings, some of them without marks), marked as sample content.
std::vector<Article> generate_articles(const ArticleGeneratorOptions& options);

}  // namespace dvchub::assistant
