// assistant/engine.h — the assistant's retrieval engine: finds the knowledge items (articles and procedures) that
// answer a citizen's question, and decides whether to answer, ask which one was meant, admit it does not know, or
// decline a question outside public services. No model weights: Vietnamese normalisation (text/), a Xapian index
// (search/) for candidates, and a re-ranking of those candidates by how well the question matches each item's
// stored question phrasings and title (FAQ-style), keywords and body.
//
// Method, thresholds and measured quality: docs/assistant-quality.md.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assistant/knowledge.h"
#include "core/error.h"

namespace dvchub::assistant {

enum class Decision {
  answer,        // confident: show the first candidate
  clarify,       // two or three candidates of different topics are close: ask which one
  fallback,      // in the domain, but no confident match: say so, show candidates as suggestions
  out_of_scope,  // not about online public services: decline politely
};

// "answer", "clarify", "fallback", "out_of_scope".
const char* decision_name(Decision decision);

enum class ItemKind { article, procedure };

// "article", "procedure".
const char* item_kind_name(ItemKind kind);

struct Candidate {
  ItemKind kind = ItemKind::article;
  std::string topic;    // the article's topic, or the procedure's topic ("" when the catalogue gives none)
  std::string code;     // procedures only (MaTTHC)
  std::string title;
  double score = 0;     // 0..1, comparable across questions
  std::string snippet;  // a short plain-text extract of the item (never text of the question), personal data masked
};

// What a decision rests on; exposed so that thresholds can be tuned offline (assistant/evaluation.h).
struct Signals {
  double top_score = 0;           // the best candidate's score
  double runner_up_score = 0;     // the best score of a candidate of another topic
  double domain_coverage = 0;     // share (0..1) of the question's topical words and adjacent topical pairs (by
                                  // IDF weight) that the best candidate contains, in the best reading
  bool has_topical_words = false; // false for greetings, chit-chat, bare follow-ups ("mất bao lâu")
  bool out_of_scope_words = false;  // the question uses the out-of-scope lexicon (weather, lottery, banks, …) and
                                    // the best candidate does not speak of it
  bool unknown_words = false;       // a topical word that is neither a syllable nor a word of the knowledge base,
                                    // with no close word found for it ("gmail", "wifi")
  bool follow_up = false;         // answered within the previous topic
};

// The decision gates. The defaults are tuned on the "tune" split of content/assistant/eval.jsonl (see
// docs/assistant-quality.md for the figures they produced).
struct Thresholds {
  double answer;          // top_score at or above this answers (or clarifies when the runner-up is close)
  double clarify_margin;  // a runner-up within this of the top score asks which topic was meant
  double domain;          // domain_coverage below this declines as out of scope
  double out_of_scope_override;  // with out-of-scope or unknown words, a top_score below this declines as out of scope
};
Thresholds default_thresholds();

// The decision for these signals: follow-up → answer; no topical words, out-of-scope or unknown words (unless the
// top score reaches out_of_scope_override) or too little domain coverage → out_of_scope; top score below `answer` →
// fallback; runner-up within `clarify_margin` → clarify; else answer.
Decision decide(const Signals& signals, const Thresholds& thresholds);

struct Ranking {
  Decision decision = Decision::fallback;
  std::vector<Candidate> candidates;     // best first, one per topic (follow-ups: the topic's items first)
  std::vector<std::string> suggestions;  // "did you mean" rewrites of the question (marks restored, typos fixed)
  bool contains_sensitive_data = false;  // a 12-digit identity number, or a password/OTP after its cue word
  Signals signals;
  std::optional<Error> failure;          // set when the index failed; the decision is then fallback, no candidates
};

struct EngineOptions {
  Thresholds thresholds = default_thresholds();
  std::size_t candidate_limit = 10;  // candidates returned by ask()
  // Rankings remembered per knowledge snapshot (by previous topic and question; when full, the oldest is forgotten
  // for each new one, and all whenever the knowledge changes), so a question asked again costs a lookup; 0 remembers
  // nothing.
  std::size_t remembered_answers = 4096;
};

// Changes to the knowledge, applied together by Engine::apply.
struct KnowledgeChanges {
  std::vector<Article> articles;            // added, or replacing the article with the same topic
  std::vector<std::string> retired_topics;  // articles removed (unknown topics are ignored)
  std::vector<Procedure> procedures;        // added, or replacing the procedure with the same code
  std::vector<std::string> removed_codes;   // procedures removed (unknown codes are ignored)
};

// Thread-safety: ask() may run on any number of threads at once, also while an upsert/remove runs; each change is
// visible to the questions asked after the call that made it returns. Changes are serialised.
class Engine {
 public:
  // Indexes the articles and procedures. ErrorCode::unavailable when the temporary index cannot be created.
  static Result<std::unique_ptr<Engine>> create(std::vector<Article> articles, std::vector<Procedure> procedures,
                                                EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Ranks the knowledge items for `question` and decides what to do. `previous_topic` is the topic of the last
  // answer in the conversation: a short question with no topic of its own ("còn lệ phí thì sao?") is answered
  // within it. A question asked again, with the same previous topic, while the knowledge is unchanged gets the
  // remembered ranking (EngineOptions::remembered_answers). Never fails; see Ranking::failure.
  Ranking ask(std::string_view question, const std::optional<std::string>& previous_topic = {}) const;

  // Applies every change to the index (committed by chunks of 100 documents) and then publishes one new snapshot:
  // the cost is that of the changed items plus one pass over the knowledge base's word counts, so a batch of 10,000
  // articles costs one publication, not 10,000. ErrorCode::invalid_input (and nothing applied) for an article
  // without topic or a procedure without code.
  Result<void> apply(const KnowledgeChanges& changes);

  // Adds or replaces the article with this topic. ErrorCode::invalid_input for an empty topic.
  Result<void> upsert_article(const Article& article);
  // Removes the article with this topic (nothing happens when there is none).
  Result<void> remove_article(const std::string& topic);
  // Adds or replaces the procedure with this code. ErrorCode::invalid_input for an empty code.
  Result<void> upsert_procedure(const Procedure& procedure);
  // Removes the procedure with this code (nothing happens when there is none).
  Result<void> remove_procedure(const std::string& code);

 private:
  struct State;
  explicit Engine(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace dvchub::assistant
