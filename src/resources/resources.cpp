#include "resources/resources.h"

#include <map>

#include "core/etag.h"

namespace dvchub::resources {
namespace generated {
struct Entry {
  const char* path;
  const unsigned char* data;
  std::size_t size;
};
extern const Entry entries[];
extern const std::size_t entry_count;
}  // namespace generated

namespace {

const std::map<std::string_view, Resource>& table() {
  static const std::map<std::string_view, Resource> resources = [] {
    std::map<std::string_view, Resource> built;
    for (std::size_t index = 0; index < generated::entry_count; ++index) {
      const auto& entry = generated::entries[index];
      std::string_view content(reinterpret_cast<const char*>(entry.data), entry.size);
      built.emplace(entry.path, Resource{entry.path, content, content_etag(content)});
    }
    return built;
  }();
  return resources;
}

}  // namespace

const Resource* find(std::string_view path) {
  const auto& resources = table();
  auto found = resources.find(path);
  return found == resources.end() ? nullptr : &found->second;
}

std::vector<const Resource*> list(std::string_view prefix) {
  std::vector<const Resource*> matches;
  for (const auto& [path, resource] : table()) {
    if (path.substr(0, prefix.size()) == prefix) matches.push_back(&resource);
  }
  return matches;
}

}  // namespace dvchub::resources
