// assistant/evaluation.h — measuring the assistant: retrieval quality (top-1, hit@3, MRR@10) and decision quality
// (fallbacks, clarifications, out-of-scope questions declined) of the Engine on a labelled question set, side by
// side with a plain BM25 baseline (SQLite FTS5 over the same articles and procedures), per split and per style;
// and the offline tuning of the decision thresholds. Used by the quality-gate test and by `dvchub assistant eval`.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assistant/engine.h"
#include "assistant/knowledge.h"
#include "core/error.h"

namespace dvchub::assistant {

// One labelled question (a line of content/assistant/eval.jsonl).
struct EvaluationQuestion {
  std::string question;
  std::optional<std::string> topic;  // the topic that answers it; nullopt when it is out of scope
  std::string style;                 // "unmarked", "telex", "abbreviation", …
  std::string split;                 // "tune" or "test"
};

// Parses JSON Lines: one {"q", "topic" (string or null), "style", "split"} object per non-empty line.
// ErrorCode::invalid_input naming the line when a line is not such an object.
Result<std::vector<EvaluationQuestion>> parse_evaluation_questions(std::string_view jsonl);

// What one system did with one question.
struct Outcome {
  Decision decision = Decision::fallback;
  std::size_t rank = 0;  // 1-based rank of the first candidate whose topic is the expected one; 0 when not in the
                         // first 10 (or the question is out of scope)
  Signals signals;       // dvchub: what its decision rested on; the baseline fills top_score only (−bm25)
};

// Rates over a set of questions (0..1). In-scope rates are over in-scope questions, `declined` over out-of-scope
// ones, `clarification` over all.
struct Metrics {
  std::size_t in_scope = 0;
  std::size_t out_of_scope = 0;
  double top1 = 0;                // rank 1
  double hit3 = 0;                // rank 1..3
  double mrr10 = 0;               // mean of 1/rank, 0 past rank 10
  double answered_correctly = 0;  // decision answer with the right first candidate
  double wrong_answers = 0;       // decision answer with a wrong first candidate
  double fallback = 0;            // decision fallback or out_of_scope on an answerable question
  double clarification = 0;       // decision clarify
  double declined = 0;            // out-of-scope question with decision out_of_scope or fallback (nothing answered)
};

struct SystemReport {
  std::string name;
  std::vector<Outcome> outcomes;                  // one per question, same order
  std::map<std::string, Metrics> by_split;        // "tune", "test", and "all"
  std::map<std::string, std::map<std::string, Metrics>> by_style;  // split → style → metrics
};

struct EvaluationReport {
  std::vector<EvaluationQuestion> questions;
  SystemReport engine;    // "dvchub"
  SystemReport baseline;  // "FTS5 bm25"
};

// The baseline's answer gate: the best row's −bm25() score at or above this answers, below it falls back. Tuned
// on the "tune" split with tune_baseline_threshold (docs/assistant-quality.md).
double default_baseline_threshold();

// Asks every question of `questions` to `engine` and to the FTS5 baseline built from `articles` and `procedures`
// (an in-memory SQLite store through storage/, tokenize "unicode61 remove_diacritics 2", raw question terms quoted
// and OR-ed, one candidate per topic as the engine does), and computes the metrics. ErrorCode::internal when the
// baseline store fails.
Result<EvaluationReport> evaluate(const Engine& engine, const std::vector<Article>& articles,
                                  const std::vector<Procedure>& procedures,
                                  const std::vector<EvaluationQuestion>& questions,
                                  double baseline_threshold = default_baseline_threshold());

// The metrics of `outcomes` (one per question, same order) over the questions for which `include` is true.
Metrics metrics_of(const std::vector<EvaluationQuestion>& questions, const std::vector<Outcome>& outcomes,
                   const std::function<bool(const EvaluationQuestion&)>& include);

struct ThresholdTuning {
  Thresholds thresholds;
  double objective = 0;
  Metrics metrics;  // on the split, with these thresholds
};

// Grid search over the engine's thresholds on the outcomes of one split, re-deciding from the recorded signals (no
// question is asked again); ties keep the most cautious point (highest domain and answer gates, then widest margin
// and highest override). The objective is the mean of the in-scope and the out-of-scope utility (both goals weigh
// the same). An answerable question scores +1 for a right answer, −1 for a wrong one, +0.5 for a clarification and
// +0.25 for a fallback whose first three candidates (shown as suggestions) hold the right topic, 0 otherwise; an
// out-of-scope question scores +1 when declined, −1 when answered, −0.5 when clarified.
ThresholdTuning tune_thresholds(const EvaluationReport& report, std::string_view split);

struct BaselineTuning {
  double threshold = 0;
  double objective = 0;
  Metrics metrics;
};

// The same search for the baseline's single answer threshold.
BaselineTuning tune_baseline_threshold(const EvaluationReport& report, std::string_view split);

// The report as plain-text tables with Vietnamese / English labels: per split dvchub beside the baseline, then per
// style for each split.
std::string format_report(const EvaluationReport& report);

}  // namespace dvchub::assistant
