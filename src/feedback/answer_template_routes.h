// feedback/answer_template_routes.h — the staff page of answer templates (/quan-tri/mau-tra-loi): everyone on staff
// reads them, coordinators add, change and retire them.
#pragma once

#include "feedback/answer_templates.h"
#include "http/router.h"

namespace dvchub::feedback {

// Registers the page and its forms. `templates` must outlive the router.
void register_answer_template_routes(http::Router& router, AnswerTemplateService& templates);

}  // namespace dvchub::feedback
