// web/view.h — the data a page template is rendered with: a tree of objects, lists, text and flags. An empty text
// counts as false in a template section, so optional values can be set unconditionally.
// Text is always HTML-escaped by the templates ({{name}}); only web/pages.cpp inserts pre-rendered markup.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace dvchub::web {

class View {
 public:
  using Object = std::map<std::string, View>;
  using List = std::vector<View>;

  View() : value_(Object{}) {}
  View(std::string text) : value_(std::move(text)) {}   // NOLINT: implicit for brevity in page code
  View(const char* text) : value_(std::string(text)) {}  // NOLINT
  View(bool flag) : value_(flag) {}                      // NOLINT
  View(std::int64_t number) : value_(std::to_string(number)) {}  // NOLINT
  View(int number) : value_(std::to_string(number)) {}           // NOLINT
  static View list() {
    View view;
    view.value_ = List{};
    return view;
  }

  // Sets a key of an object view; returns *this for chaining.
  View& set(const std::string& key, View value);
  // Appends to a list view.
  View& push(View item);

  const std::variant<std::string, bool, Object, List>& value() const { return value_; }

 private:
  std::variant<std::string, bool, Object, List> value_;
};

}  // namespace dvchub::web
