// web/pages.h — whole HTML pages: a page template rendered inside templates/layout.html, and error pages.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

#include "http/message.h"
#include "web/view.h"

namespace dvchub::web {

struct PageContext {
  std::string title;            // shown in <title> and as the page heading context
  const http::Principal* principal = nullptr;  // signed-in staff member, or nullptr
  std::string section;          // highlights the navigation entry: "home", "units", "users", "audit", ...
  std::string notice;           // a one-line confirmation shown above the content ("Đã lưu.")
};

// Renders templates/TEMPLATE.html with `view`, wrapped in the layout. The layout adds the navigation, the staff
// menu and sign-out form (with the CSRF token) when `context.principal` is set, and `csrf_token` to the view so
// page forms can embed it. On a template failure the answer is a plain 500 page.
http::Response render_page(int status, const std::string& template_name, View view, const PageContext& context);

// The messages of `errors` as a list view for a page's `{{#errors}}{{message}}{{/errors}}`.
View error_list(const std::vector<FieldError>& errors);

// A page saying what went wrong, in Vietnamese, with a link home.
http::Response error_page(int status, const std::string& message, const http::Principal* principal = nullptr);

// The path of an embedded asset with its version for cache busting: "/assets/site.css?v=5f3a…".
std::string asset_url(const std::string& path);

}  // namespace dvchub::web
