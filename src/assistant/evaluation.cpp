#include "assistant/evaluation.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "json/json.h"
#include "storage/database.h"

namespace dvchub::assistant {
namespace {

constexpr std::size_t ranked_candidates = 10;

std::size_t rank_of(const std::vector<std::string>& topics, const std::optional<std::string>& expected) {
  if (!expected) return 0;
  for (std::size_t index = 0; index < topics.size() && index < ranked_candidates; ++index) {
    if (topics[index] == *expected) return index + 1;
  }
  return 0;
}

// Plain BM25 over the same knowledge: SQLite FTS5 with its own Unicode tokenizer (diacritics removed, đ kept).
class Fts5Baseline {
 public:
  static Result<Fts5Baseline> create(const std::vector<Article>& articles, const std::vector<Procedure>& procedures) {
    storage::DatabaseOptions options;
    options.pool_size = 1;
    Fts5Baseline baseline;
    baseline.database_ = DVCHUB_TRY(storage::open_database("sqlite://:memory:", options));
    auto connection = DVCHUB_TRY(baseline.database_->acquire());
    DVCHUB_TRY(connection->execute_script(
        "CREATE VIRTUAL TABLE knowledge USING fts5(topic_key UNINDEXED, topic UNINDEXED, content, "
        "tokenize = \"unicode61 remove_diacritics 2\");"));
    auto insert = [&](const std::string& key, const std::string& topic, const std::string& content) -> Result<void> {
      DVCHUB_TRY(connection->execute("INSERT INTO knowledge (topic_key, topic, content) VALUES ($1, $2, $3)",
                                     {key, topic, content}));
      return {};
    };
    for (const auto& article : articles) {
      std::string content = article.title;
      for (const auto& question : article.questions) content += "\n" + question;
      for (const auto& keyword : article.keywords) content += "\n" + keyword;
      content += "\n" + article.body_markdown;
      DVCHUB_TRY(insert(article.topic, article.topic, content));
    }
    for (const auto& procedure : procedures) {
      std::string content = procedure.name + "\n" + procedure.field + "\n" + procedure.level + "\n" +
                            procedure.agency + "\n" + procedure.fee;
      for (const auto& document : procedure.documents) content += "\n" + document;
      DVCHUB_TRY(insert(procedure.topic.empty() ? "procedure:" + procedure.code : procedure.topic, procedure.topic,
                        content));
    }
    return baseline;
  }

  // The topics of the best rows, one per topic, best first, and the best row's −bm25() (0 without a match).
  Result<std::pair<std::vector<std::string>, double>> ask(const std::string& question) const {
    std::string match;
    for (std::size_t start = 0; start < question.size();) {
      auto end = question.find_first_of(" \t\r\n", start);
      if (end == std::string::npos) end = question.size();
      if (end > start) {
        std::string term = question.substr(start, end - start);
        std::string quoted = "\"";
        for (char character : term) quoted += character == '"' ? std::string("\"\"") : std::string(1, character);
        match += (match.empty() ? "" : " OR ") + quoted + "\"";
      }
      start = end + 1;
    }
    std::pair<std::vector<std::string>, double> result{{}, 0.0};
    if (match.empty()) return result;
    auto connection = DVCHUB_TRY(database_->acquire());
    auto rows = DVCHUB_TRY(connection->query(
        "SELECT topic_key, topic, -bm25(knowledge) FROM knowledge WHERE knowledge MATCH $1 "
        "ORDER BY bm25(knowledge) LIMIT 40",
        {match}));
    std::set<std::string> seen;
    for (const auto& row : rows) {
      if (result.first.empty()) result.second = row.real(2);
      if (seen.insert(row.text(0)).second) result.first.push_back(row.text(1));
    }
    return result;
  }

 private:
  std::unique_ptr<storage::Database> database_;
};

void summarise(const std::vector<EvaluationQuestion>& questions, SystemReport& report) {
  std::set<std::string> splits{"all"};
  for (const auto& question : questions) splits.insert(question.split);
  for (const auto& split : splits) {
    auto in_split = [&](const EvaluationQuestion& question) { return split == "all" || question.split == split; };
    report.by_split[split] = metrics_of(questions, report.outcomes, in_split);
    std::set<std::string> styles;
    for (const auto& question : questions) {
      if (in_split(question)) styles.insert(question.style);
    }
    for (const auto& style : styles) {
      report.by_style[split][style] = metrics_of(questions, report.outcomes, [&](const EvaluationQuestion& question) {
        return in_split(question) && question.style == style;
      });
    }
  }
}

// The baseline answers when its best row scores at least `threshold` (a score of 0 means no row matched).
Decision baseline_decision(double best_score, double threshold) {
  return best_score > 0 && best_score >= threshold ? Decision::answer : Decision::fallback;
}

// See tune_thresholds in the header.
double utility(const EvaluationQuestion& question, Decision decision, std::size_t rank) {
  if (!question.topic) {
    switch (decision) {
      case Decision::out_of_scope:
      case Decision::fallback: return 1;
      case Decision::clarify: return -0.5;
      case Decision::answer: return -1;
    }
  }
  bool in_first_three = rank >= 1 && rank <= 3;
  switch (decision) {
    case Decision::answer: return rank == 1 ? 1 : -1;
    case Decision::clarify: return in_first_three ? 0.5 : 0;
    case Decision::fallback: return in_first_three ? 0.25 : 0;  // the suggestions shown hold the answer
    case Decision::out_of_scope: return 0;
  }
  return 0;
}

template <typename DecisionOf>
double objective(const EvaluationReport& report, const SystemReport& system, std::string_view split,
                 DecisionOf decision_of) {
  double in_scope = 0, out_of_scope = 0;
  std::size_t in_scope_count = 0, out_of_scope_count = 0;
  for (std::size_t index = 0; index < report.questions.size(); ++index) {
    const auto& question = report.questions[index];
    if (question.split != split) continue;
    double value = utility(question, decision_of(system.outcomes[index]), system.outcomes[index].rank);
    (question.topic ? in_scope : out_of_scope) += value;
    ++(question.topic ? in_scope_count : out_of_scope_count);
  }
  double in_scope_mean = in_scope_count ? in_scope / static_cast<double>(in_scope_count) : 0;
  double out_of_scope_mean = out_of_scope_count ? out_of_scope / static_cast<double>(out_of_scope_count) : 0;
  return (in_scope_mean + out_of_scope_mean) / 2;
}

std::string percent(double rate) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%5.1f %%", rate * 100);
  return buffer;
}

std::string decimal(double value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%7.3f", value);
  return buffer;
}

std::string padded(const std::string& text, std::size_t width) {
  std::size_t characters = 0;
  for (char character : text) characters += (static_cast<unsigned char>(character) & 0xC0) != 0x80;
  return text + std::string(width > characters ? width - characters : 1, ' ');
}

}  // namespace

Result<std::vector<EvaluationQuestion>> parse_evaluation_questions(std::string_view jsonl) {
  std::vector<EvaluationQuestion> questions;
  std::size_t line_number = 0;
  for (std::string_view rest = jsonl; !rest.empty();) {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto bad_line = [&](const std::string& why) {
      return fail(ErrorCode::invalid_input, "Dòng " + std::to_string(line_number) + " của tập câu hỏi: " + why);
    };
    auto object = json::parse_object(line);
    if (!object) return bad_line(object.error().message);
    auto question = json::read_string(*object, "q");
    auto topic = json::read_string(*object, "topic");
    auto style = json::read_string(*object, "style");
    auto split = json::read_string(*object, "split");
    if (!question.value || question.value->empty()) return bad_line("thiếu câu hỏi \"q\"");
    if (!topic.type_ok) return bad_line("\"topic\" phải là chuỗi hoặc null");
    if (!style.type_ok || !split.type_ok) return bad_line("\"style\" và \"split\" phải là chuỗi");
    questions.push_back({*question.value, topic.value, style.value.value_or(""), split.value.value_or("")});
  }
  return questions;
}

Metrics metrics_of(const std::vector<EvaluationQuestion>& questions, const std::vector<Outcome>& outcomes,
                   const std::function<bool(const EvaluationQuestion&)>& include) {
  Metrics metrics;
  std::size_t clarified = 0;
  for (std::size_t index = 0; index < questions.size() && index < outcomes.size(); ++index) {
    if (!include(questions[index])) continue;
    const Outcome& outcome = outcomes[index];
    if (outcome.decision == Decision::clarify) ++clarified;
    if (!questions[index].topic) {
      ++metrics.out_of_scope;
      if (outcome.decision == Decision::out_of_scope || outcome.decision == Decision::fallback) metrics.declined += 1;
      continue;
    }
    ++metrics.in_scope;
    if (outcome.rank == 1) metrics.top1 += 1;
    if (outcome.rank >= 1 && outcome.rank <= 3) metrics.hit3 += 1;
    if (outcome.rank >= 1) metrics.mrr10 += 1.0 / static_cast<double>(outcome.rank);
    if (outcome.decision == Decision::answer) (outcome.rank == 1 ? metrics.answered_correctly : metrics.wrong_answers) += 1;
    if (outcome.decision == Decision::fallback || outcome.decision == Decision::out_of_scope) metrics.fallback += 1;
  }
  if (metrics.in_scope > 0) {
    double count = static_cast<double>(metrics.in_scope);
    for (double* rate : {&metrics.top1, &metrics.hit3, &metrics.mrr10, &metrics.answered_correctly,
                         &metrics.wrong_answers, &metrics.fallback}) {
      *rate /= count;
    }
  }
  if (metrics.out_of_scope > 0) metrics.declined /= static_cast<double>(metrics.out_of_scope);
  std::size_t total = metrics.in_scope + metrics.out_of_scope;
  metrics.clarification = total > 0 ? static_cast<double>(clarified) / static_cast<double>(total) : 0;
  return metrics;
}

// Tuned with tune_baseline_threshold on the "tune" split (objective 0.632); AssistantQuality tests check it.
double default_baseline_threshold() { return 20.7; }

Result<EvaluationReport> evaluate(const Engine& engine, const std::vector<Article>& articles,
                                  const std::vector<Procedure>& procedures,
                                  const std::vector<EvaluationQuestion>& questions, double baseline_threshold) {
  EvaluationReport report;
  report.questions = questions;
  report.engine.name = "dvchub";
  report.baseline.name = "FTS5 bm25";
  auto baseline = DVCHUB_TRY(Fts5Baseline::create(articles, procedures));
  for (const auto& question : questions) {
    Ranking ranking = engine.ask(question.question);
    if (ranking.failure) return tl::unexpected(*ranking.failure);
    std::vector<std::string> topics;
    for (const auto& candidate : ranking.candidates) topics.push_back(candidate.topic);
    report.engine.outcomes.push_back({ranking.decision, rank_of(topics, question.topic), ranking.signals});

    auto [baseline_topics, best_score] = DVCHUB_TRY(baseline.ask(question.question));
    Outcome outcome;
    outcome.decision = baseline_decision(best_score, baseline_threshold);
    outcome.rank = rank_of(baseline_topics, question.topic);
    outcome.signals.top_score = best_score;
    report.baseline.outcomes.push_back(outcome);
  }
  summarise(report.questions, report.engine);
  summarise(report.questions, report.baseline);
  return report;
}

ThresholdTuning tune_thresholds(const EvaluationReport& report, std::string_view split) {
  ThresholdTuning best;
  bool first = true;
  // Cautious values first, so that a tie keeps the one that declines more: the highest domain and answer gates,
  // the widest clarification margin, the highest out-of-scope override.
  for (int domain = 90; domain >= 0; domain -= 5) {
    for (int answer = 60; answer >= 10; answer -= 2) {
      for (int margin = 12; margin >= 0; --margin) {
        for (int override_score = 100; override_score >= 40; override_score -= 10) {
          Thresholds thresholds{answer / 100.0, margin / 100.0, domain / 100.0, override_score / 100.0};
          double value = objective(report, report.engine, split,
                                   [&](const Outcome& outcome) { return decide(outcome.signals, thresholds); });
          if (first || value > best.objective + 1e-12) {
            best.thresholds = thresholds;
            best.objective = value;
            first = false;
          }
        }
      }
    }
  }
  std::vector<Outcome> redecided = report.engine.outcomes;
  for (auto& outcome : redecided) outcome.decision = decide(outcome.signals, best.thresholds);
  best.metrics = metrics_of(report.questions, redecided,
                            [&](const EvaluationQuestion& question) { return question.split == split; });
  return best;
}

BaselineTuning tune_baseline_threshold(const EvaluationReport& report, std::string_view split) {
  BaselineTuning best;
  bool first = true;
  for (int tenths = 0; tenths <= 300; ++tenths) {
    double threshold = tenths / 10.0;
    double value = objective(report, report.baseline, split,
                             [&](const Outcome& outcome) { return baseline_decision(outcome.signals.top_score, threshold); });
    if (first || value > best.objective + 1e-12) {
      best = {threshold, value, {}};
      first = false;
    }
  }
  std::vector<Outcome> redecided = report.baseline.outcomes;
  for (auto& outcome : redecided) outcome.decision = baseline_decision(outcome.signals.top_score, best.threshold);
  best.metrics = metrics_of(report.questions, redecided,
                            [&](const EvaluationQuestion& question) { return question.split == split; });
  return best;
}

std::string format_report(const EvaluationReport& report) {
  std::string text;
  const SystemReport& engine = report.engine;
  const SystemReport& baseline = report.baseline;
  text += "Đánh giá trợ lý / Assistant evaluation: " + std::to_string(report.questions.size()) +
          " câu hỏi / questions\n";
  struct Row {
    const char* label;
    double Metrics::*rate;
    bool is_rate;
  };
  const Row rows[] = {
      {"Top-1 đúng chủ đề / top-1 accuracy", &Metrics::top1, true},
      {"Có trong 3 đầu / hit@3", &Metrics::hit3, true},
      {"MRR@10", &Metrics::mrr10, false},
      {"Trả lời đúng / answered correctly", &Metrics::answered_correctly, true},
      {"Trả lời sai / answered wrongly", &Metrics::wrong_answers, true},
      {"Không trả lời (trong phạm vi) / fallback rate", &Metrics::fallback, true},
      {"Hỏi lại / clarification rate", &Metrics::clarification, true},
      {"Từ chối đúng (ngoài phạm vi) / out-of-scope declined", &Metrics::declined, true},
  };
  for (const auto& [split, metrics] : engine.by_split) {
    const Metrics& other = baseline.by_split.at(split);
    text += "\nTập / split: " + split + " (" + std::to_string(metrics.in_scope) + " trong phạm vi / in scope, " +
            std::to_string(metrics.out_of_scope) + " ngoài phạm vi / out of scope)\n";
    text += padded("Chỉ số / metric", 56) + padded(engine.name, 12) + baseline.name + "\n";
    for (const auto& row : rows) {
      auto show = [&](double value) { return row.is_rate ? percent(value) : decimal(value); };
      text += padded(row.label, 56) + padded(show(metrics.*row.rate), 12) + show(other.*row.rate) + "\n";
    }
  }
  for (const auto& [split, styles] : engine.by_style) {
    if (split == "all") continue;
    text += "\nTheo kiểu câu hỏi / per style, tập / split " + split + " (dvchub | FTS5)\n";
    text += padded("Kiểu / style", 16) + padded("n", 6) + padded("top-1", 20) + padded("hit@3", 20) +
            padded("fallback", 20) + "declined\n";
    for (const auto& [style, metrics] : styles) {
      const Metrics& other = baseline.by_style.at(split).at(style);
      auto pair = [](const std::string& left, const std::string& right) { return left + " | " + right; };
      bool has_in_scope = metrics.in_scope > 0;
      bool has_out_of_scope = metrics.out_of_scope > 0;
      text += padded(style, 16) + padded(std::to_string(metrics.in_scope) + "+" + std::to_string(metrics.out_of_scope), 6) +
              padded(has_in_scope ? pair(percent(metrics.top1), percent(other.top1)) : "-", 20) +
              padded(has_in_scope ? pair(percent(metrics.hit3), percent(other.hit3)) : "-", 20) +
              padded(has_in_scope ? pair(percent(metrics.fallback), percent(other.fallback)) : "-", 20) +
              (has_out_of_scope ? pair(percent(metrics.declined), percent(other.declined)) : "-") + "\n";
    }
  }
  return text;
}

}  // namespace dvchub::assistant
