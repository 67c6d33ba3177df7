#include "assistant/evaluation.h"

#include <iostream>

#include <gtest/gtest.h>

#include "resources/resources.h"

namespace dvchub::assistant {
namespace {

TEST(EvaluationQuestions, ParsesJsonLinesWithNullTopics) {
  auto questions = parse_evaluation_questions(
      "{\"q\": \"đăng ký tài khoản\", \"topic\": \"account.register\", \"style\": \"marked\", \"split\": \"tune\"}\n"
      "\n"
      "{\"q\": \"xổ số\", \"topic\": null, \"style\": \"marked\", \"split\": \"test\"}\r\n");
  ASSERT_TRUE(questions) << questions.error().message;
  ASSERT_EQ(questions->size(), 2u);
  EXPECT_EQ((*questions)[0].topic, std::optional<std::string>("account.register"));
  EXPECT_EQ((*questions)[1].topic, std::nullopt);
  EXPECT_EQ((*questions)[1].split, "test");
}

TEST(EvaluationQuestions, RejectsALineThatIsNotAQuestionObject) {
  auto broken = parse_evaluation_questions("{\"q\": \"a\", \"topic\": null}\n{\"topic\": 3}\n");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::invalid_input);
  EXPECT_NE(broken.error().message.find("Dòng 2"), std::string::npos);
  EXPECT_FALSE(parse_evaluation_questions("not json\n"));
}

TEST(EvaluationMetrics, CountsRanksDecisionsAndDeclines) {
  std::vector<EvaluationQuestion> questions{{"a", "t1", "s", "x"}, {"b", "t2", "s", "x"}, {"c", "t3", "s", "x"},
                                            {"d", std::nullopt, "s", "x"}, {"e", std::nullopt, "s", "x"}};
  std::vector<Outcome> outcomes{{Decision::answer, 1, {}},       {Decision::clarify, 2, {}},
                                {Decision::fallback, 0, {}},     {Decision::out_of_scope, 0, {}},
                                {Decision::answer, 0, {}}};
  auto metrics = metrics_of(questions, outcomes, [](const EvaluationQuestion&) { return true; });
  EXPECT_EQ(metrics.in_scope, 3u);
  EXPECT_EQ(metrics.out_of_scope, 2u);
  EXPECT_DOUBLE_EQ(metrics.top1, 1.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.hit3, 2.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.mrr10, (1.0 + 0.5) / 3);
  EXPECT_DOUBLE_EQ(metrics.answered_correctly, 1.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.wrong_answers, 0);
  EXPECT_DOUBLE_EQ(metrics.fallback, 1.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.clarification, 1.0 / 5);
  EXPECT_DOUBLE_EQ(metrics.declined, 0.5);
}

// The seed knowledge base and content/assistant/eval.jsonl, evaluated once for the tests below.
const EvaluationReport& seed_report() {
  static const EvaluationReport report = [] {
    auto articles = seed_articles();
    auto procedures = seed_procedures();
    const auto* resource = resources::find("content/assistant/eval.jsonl");
    EXPECT_TRUE(articles && procedures && resource);
    auto questions = parse_evaluation_questions(resource ? resource->content : "");
    EXPECT_TRUE(questions);
    auto engine = Engine::create(*articles, *procedures);
    EXPECT_TRUE(engine);
    auto evaluated = evaluate(**engine, *articles, *procedures, *questions);
    EXPECT_TRUE(evaluated) << (evaluated ? "" : evaluated.error().detail);
    return evaluated ? *evaluated : EvaluationReport{};
  }();
  return report;
}

// The figures of docs/assistant-quality.md: this test prints them. It fails when a change lowers what the engine
// reaches on the held-out "test" split of the seed content. The goals were top-1 ≥ 90 %, hit@3 ≥ 97 %,
// out-of-scope declined ≥ 90 % and top-1 at least 20 points above the FTS5 baseline; all four are reached (90.0 %
// declined, 54 of 60; +20.06 points, 63 of 314 questions): the bounds below are what is reached, rounded down.
TEST(AssistantQuality, TestSplitStaysAtOrAboveWhatWasReached) {
  const auto& report = seed_report();
  std::cout << format_report(report);
  ASSERT_TRUE(report.engine.by_split.contains("test"));
  const Metrics& engine = report.engine.by_split.at("test");
  const Metrics& baseline = report.baseline.by_split.at("test");
  EXPECT_EQ(engine.in_scope, 314u);
  EXPECT_EQ(engine.out_of_scope, 60u);
  EXPECT_GE(engine.top1, 0.904);
  EXPECT_GE(engine.hit3, 0.97);
  EXPECT_GE(engine.mrr10, 0.94);
  EXPECT_GE(engine.answered_correctly, 0.719);
  EXPECT_LE(engine.wrong_answers, 0.011);
  EXPECT_GE(engine.declined, 0.899);
  EXPECT_GE(engine.top1 - baseline.top1, 0.20);
  EXPECT_GE(engine.answered_correctly - baseline.answered_correctly, 0.60);
}

// The committed thresholds are the optimum of the grid search on the "tune" split (and only that split).
TEST(AssistantQuality, CommittedThresholdsAreTheTuneSplitOptimum) {
  const auto& report = seed_report();
  auto tuned = tune_thresholds(report, "tune");
  Thresholds committed = default_thresholds();
  std::cout << "tune split optimum: answer " << tuned.thresholds.answer << ", clarify margin "
            << tuned.thresholds.clarify_margin << ", domain " << tuned.thresholds.domain << ", out-of-scope override "
            << tuned.thresholds.out_of_scope_override << " (objective " << tuned.objective << ")\n";
  EXPECT_DOUBLE_EQ(committed.answer, tuned.thresholds.answer);
  EXPECT_DOUBLE_EQ(committed.clarify_margin, tuned.thresholds.clarify_margin);
  EXPECT_DOUBLE_EQ(committed.domain, tuned.thresholds.domain);
  EXPECT_DOUBLE_EQ(committed.out_of_scope_override, tuned.thresholds.out_of_scope_override);
  auto baseline = tune_baseline_threshold(report, "tune");
  std::cout << "baseline tune split optimum: " << baseline.threshold << " (objective " << baseline.objective << ")\n";
  EXPECT_DOUBLE_EQ(default_baseline_threshold(), baseline.threshold);
}

}  // namespace
}  // namespace dvchub::assistant
