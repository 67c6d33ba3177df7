#include "web/view.h"

namespace dvchub::web {

View& View::set(const std::string& key, View value) {
  if (!std::holds_alternative<Object>(value_)) value_ = Object{};
  std::get<Object>(value_)[key] = std::move(value);
  return *this;
}

View& View::push(View item) {
  if (!std::holds_alternative<List>(value_)) value_ = List{};
  std::get<List>(value_).push_back(std::move(item));
  return *this;
}

}  // namespace dvchub::web
