// feedback/feedback_routes.h — the feedback API (/api/v1/feedback…), the citizens' pages (/phan-anh…: the list of
// published answers, the form, tracking and rating) and the staff pages (/quan-tri/phan-anh…: queue and steps).
//
// URL contract: /phan-anh/gui?tieu_de=…&noi_dung=… opens the form with the title and body filled in (the assistant
// links there with the question it could not answer).
#pragma once

#include "feedback/answer_templates.h"
#include "feedback/feedback_service.h"
#include "feedback/survey_service.h"
#include "http/router.h"
#include "units/units.h"

namespace dvchub::feedback {

// Registers every feedback route. The statistics include the satisfaction surveys of `surveys`; the staff item page
// offers `templates` to start an answer from. The services must outlive the router.
void register_feedback_routes(http::Router& router, FeedbackService& feedback, SurveyService& surveys,
                              const AnswerTemplateService& templates, units::UnitService& units);

}  // namespace dvchub::feedback
