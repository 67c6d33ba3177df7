#include "markdown/markdown.h"

#include <cstdlib>
#include <memory>
#include <mutex>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

namespace dvchub::markdown {
namespace {

using NodePointer = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

void register_extensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

// Parses with the table and autolink extensions; returns the document and the extension list for rendering.
NodePointer parse(std::string_view markdown, cmark_llist** extensions) {
  register_extensions();
  cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT);
  for (const char* name : {"table", "autolink", "strikethrough"}) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, extension);
    }
  }
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* document = cmark_parser_finish(parser);
  // The extension list belongs to the parser; copy what render needs before freeing it.
  cmark_llist* copy = nullptr;
  for (cmark_llist* item = cmark_parser_get_syntax_extensions(parser); item; item = item->next) {
    copy = cmark_llist_append(cmark_get_default_mem_allocator(), copy, item->data);
  }
  *extensions = copy;
  cmark_parser_free(parser);
  return NodePointer(document, cmark_node_free);
}

std::string take(char* rendered) {
  std::string text(rendered ? rendered : "");
  std::free(rendered);
  return text;
}

}  // namespace

std::string to_safe_html(std::string_view markdown) {
  cmark_llist* extensions = nullptr;
  auto document = parse(markdown, &extensions);
  // Without CMARK_OPT_UNSAFE, cmark-gfm omits raw HTML and dangerous link schemes.
  std::string html = take(cmark_render_html(document.get(), CMARK_OPT_DEFAULT, extensions));
  cmark_llist_free(cmark_get_default_mem_allocator(), extensions);
  return html;
}

std::string to_plain_text(std::string_view markdown) {
  cmark_llist* extensions = nullptr;
  auto document = parse(markdown, &extensions);
  std::string text = take(cmark_render_plaintext(document.get(), CMARK_OPT_DEFAULT, 0));
  cmark_llist_free(cmark_get_default_mem_allocator(), extensions);
  std::string collapsed;
  bool space = false;
  for (char character : text) {
    if (character == '\n' || character == ' ' || character == '\t' || character == '\r') {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += character;
  }
  return collapsed;
}

}  // namespace dvchub::markdown
