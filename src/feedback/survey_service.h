// feedback/survey_service.h — satisfaction surveys after a service (khảo sát mức độ hài lòng): one overall rating and
// the five SIPAS dimensions (access, procedure, officials, result, feedback handling), each 1–5, with an optional
// comment, about a unit, a procedure or a field, reached by a link or QR code. At most one response per dossier.
//
// Satisfied = a rating of 4 or 5 (hài lòng, rất hài lòng); the score is the GOV.UK Performance Platform's
// (mean − 1) / 4 as a percentage, so 5 → 100 % and 1 → 0 % (docs/feedback.md).
//
// Thread-safe: every call borrows its own connection. `database`, `units` and `clock` must outlive it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"
#include "units/units.h"

namespace dvchub::feedback {

inline constexpr std::size_t maximum_survey_comment_characters = 2000;

// The five SIPAS dimensions, in the order of the form, with their wire names.
inline constexpr std::array<const char*, 5> survey_dimensions = {"access", "procedure", "officials", "result",
                                                                 "feedback_handling"};

// The Vietnamese heading of a dimension ("Tiếp cận dịch vụ", …) or of a rating 1–5 ("Rất hài lòng", …).
std::string survey_dimension_label(std::string_view dimension);
std::string survey_rating_label(int rating);

// What a citizen answers. Ratings outside 1–5 are refused; a dimension may be left unanswered.
struct SurveyAnswer {
  std::optional<std::int64_t> overall;
  std::array<std::optional<std::int64_t>, 5> dimensions;  // in survey_dimensions order
  std::string comment;
  std::string unit_code;
  std::string procedure_code;
  std::string field;
  std::string dossier_code;
};

// Counts and shares of one rating question.
struct RatingSummary {
  std::int64_t responses = 0;
  std::array<std::int64_t, 5> by_rating{};  // [0] = rated 1 … [4] = rated 5
  std::int64_t satisfied = 0;               // rated 4 or 5
  std::optional<double> satisfied_share;    // satisfied / responses
  std::optional<double> score;              // (mean − 1) / 4, in 0…1
};

struct FieldSatisfaction {
  std::string field;
  RatingSummary overall;
  bool demanding_target = false;  // land, construction or investment: the plan's 85 % target instead of 90 %
  bool below_target = false;
};

struct SurveyStatistics {
  RatingSummary overall;
  std::array<RatingSummary, 5> dimensions;  // in survey_dimensions order
  std::vector<FieldSatisfaction> by_field;   // fields with responses, most responses first
};

// Adds a message for `field` to `errors` when `rating` is outside 1–5, or absent although `required`.
void check_survey_rating(std::vector<FieldError>& errors, const std::string& field,
                         const std::optional<std::int64_t>& rating, bool required);

// Whether the plan holds `field` to the 85 % target (II.2: đất đai, xây dựng, đầu tư), matched accent- and
// case-insensitively on the field's name.
bool has_demanding_satisfaction_target(std::string_view field);

class SurveyService {
 public:
  SurveyService(storage::Database& database, units::UnitService& units, const Clock& clock)
      : database_(database), units_(units), clock_(clock) {}

  // Validates and stores one response; returns its id. invalid_input with one Vietnamese message per bad field
  // (ratings missing or outside 1–5, unknown unit, texts too long or not UTF-8); conflict when the dossier code
  // already has a response. Nothing is stored on error.
  Result<std::int64_t> respond(const SurveyAnswer& answer, const audit::Actor& actor);

  // Figures for responses received in [from, to] (Vietnam dates, inclusive) about `unit_code` and the units beneath
  // it ("" every response, including those naming no unit). not_found for an unknown unit.
  Result<SurveyStatistics> statistics(const std::string& unit_code, std::chrono::year_month_day from,
                                      std::chrono::year_month_day to) const;

 private:
  storage::Database& database_;
  units::UnitService& units_;
  const Clock& clock_;
};

}  // namespace dvchub::feedback
