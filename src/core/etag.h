// core/etag.h — strong HTTP validators for content held in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace dvchub {

// A quoted strong ETag from the content's 64-bit FNV-1a hash, e.g. "\"5f3a…\"": enough to tell versions of one
// resource apart (it is not a security hash).
inline std::string content_etag(std::string_view content) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char character : content) {
    hash ^= character;
    hash *= 1099511628211ull;
  }
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return buffer;
}

}  // namespace dvchub
