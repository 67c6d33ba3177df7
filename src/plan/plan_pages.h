// plan/plan_pages.h — what the plan module's staff pages share (internal to src/plan): field errors as a view, the
// plan's heading, service errors as an error page, who is the lead office. Thread-safe, pure.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "http/message.h"
#include "plan/plan_changes.h"
#include "plan/plan_service.h"
#include "web/pages.h"

namespace dvchub::plan {

// The field errors as a list of {field, message} for a page's error box.
web::View error_list(const std::vector<FieldError>& errors);
// The field errors of `error`, or its message as one error without a field.
std::vector<FieldError> errors_of(const Error& error);
// Options of a <select>: {value, label, selected} for each key, labelled by `label`.
web::View options(const std::vector<std::string>& keys, std::string (*label)(const std::string&),
                  const std::string& selected);
// {plan_id, number, title} of a plan, the heading of its staff pages.
web::View plan_view(const PlanSummary& plan);
// A service error as an error page with the status its code maps to.
http::Response service_error_page(const Error& error, const http::Request& request);
// The readable difference of an amendment: a list of {label, parts: [{text, same, removed, added}]}, which the
// templates write as text, <del> and <ins>.
web::View changes_view(const std::vector<ChangeLine>& changes);
// Coordinators and admins: the office that follows the plan, opens periods, reviews reports and amendments.
bool is_lead_office(const http::Principal& principal);

}  // namespace dvchub::plan
