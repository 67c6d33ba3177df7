// web/templates.h — renders the embedded Mustache templates (templates/*.html) with HTML escaping by default.
// The adapter for kainjow::mustache lives in web/templates.cpp only.
#pragma once

#include <string>

#include "core/error.h"
#include "web/view.h"

namespace dvchub::web {

// Renders templates/NAME.html with `view`. Templates are parsed once per thread and cached; thread-safe. A missing template or a syntax error is ErrorCode::internal.
Result<std::string> render_template(const std::string& name, const View& view);

}  // namespace dvchub::web
