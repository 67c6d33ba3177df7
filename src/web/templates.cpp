#include "web/templates.h"

#include <map>
#include <memory>

#include <kainjow/mustache.hpp>

#include "resources/resources.h"

namespace dvchub::web {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

data to_data(const View& view) {
  return std::visit(
      [](const auto& value) -> data {
        using Type = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<Type, std::string>) {
          // An empty text is false in sections ({{#error}}…{{/error}}) and renders as nothing.
          if (value.empty()) return data(data::type::bool_false);
          return data(value);
        } else if constexpr (std::is_same_v<Type, bool>) {
          return value ? data(data::type::bool_true) : data(data::type::bool_false);
        } else if constexpr (std::is_same_v<Type, View::Object>) {
          data object{data::type::object};
          for (const auto& [key, child] : value) object.set(key, to_data(child));
          return object;
        } else {
          data list{data::type::list};
          for (const auto& child : value) list.push_back(to_data(child));
          return list;
        }
      },
      view.value());
}

std::string template_source(const std::string& name) {
  const auto* resource = resources::find("templates/" + name + ".html");
  return resource ? std::string(resource->content) : std::string();
}

}  // namespace

Result<std::string> render_template(const std::string& name, const View& view) {
  // kainjow's render() is not const, so each thread keeps its own parsed copy of each template.
  thread_local std::map<std::string, std::unique_ptr<mustache>> cache;
  auto& compiled = cache[name];
  if (!compiled) {
    std::string source = template_source(name);
    if (source.empty()) return fail(ErrorCode::internal, "Lỗi hiển thị trang", "missing template " + name);
    auto parsed = std::make_unique<mustache>(source);
    if (!parsed->is_valid()) {
      return fail(ErrorCode::internal, "Lỗi hiển thị trang", "template " + name + ": " + parsed->error_message());
    }
    compiled = std::move(parsed);
  }
  std::string rendered = compiled->render(to_data(view));
  if (!compiled->is_valid()) {
    std::string message = compiled->error_message();
    compiled.reset();
    return fail(ErrorCode::internal, "Lỗi hiển thị trang", "template " + name + ": " + message);
  }
  return rendered;
}

}  // namespace dvchub::web
