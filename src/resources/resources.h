// resources/resources.h — files compiled into the binary (assets/, templates/, migrations/, content/), looked up by their
// path relative to the repository root. The content is immutable for the life of the process.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dvchub::resources {

struct Resource {
  std::string_view path;
  std::string_view content;
  std::string etag;  // strong validator: a hash of the content, quoted, e.g. "\"5f3a...\""
};

// The resource at `path`, or nullptr. Thread-safe.
const Resource* find(std::string_view path);

// Every resource whose path starts with `prefix`, sorted by path.
std::vector<const Resource*> list(std::string_view prefix);

}  // namespace dvchub::resources
