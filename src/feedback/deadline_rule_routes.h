// feedback/deadline_rule_routes.h — the deadlines per kind and subject: the staff page /quan-tri/thoi-han-phan-anh
// (everyone on staff reads it, administrators set and remove rules) and the public GET /api/v1/feedback/deadlines.
#pragma once

#include "feedback/deadline_rules.h"
#include "http/router.h"

namespace dvchub::feedback {

// Registers the page, its forms and the API. `rules` must outlive the router.
void register_deadline_rule_routes(http::Router& router, DeadlineRuleService& rules);

}  // namespace dvchub::feedback
