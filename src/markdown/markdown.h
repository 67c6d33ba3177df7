// markdown/markdown.h — Markdown to HTML (the adapter for cmark-gfm). Safe by construction: raw HTML in the source
// is replaced by a comment and links with dangerous schemes (javascript:, vbscript:, file:, data: other than
// images) are emptied, so article text can never inject markup or scripts.
#pragma once

#include <string>
#include <string_view>

namespace dvchub::markdown {

// Renders CommonMark (plus GitHub tables and autolinks) to safe HTML. Thread-safe.
std::string to_safe_html(std::string_view markdown);

// The text without Markdown syntax, spaces collapsed: for snippets and search.
std::string to_plain_text(std::string_view markdown);

}  // namespace dvchub::markdown
