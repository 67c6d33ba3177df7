// plan/labels.h — the plan module's fixed vocabularies (roles, statuses, activity kinds, funding sources …) as
// tables of stored key and Vietnamese label, and the lookups every service of the module makes in them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace dvchub::plan {

// One entry of a vocabulary: the key stored and sent in the API, the label shown to people.
struct Label {
  const char* key;
  const char* label;
};

// The keys of a table, in its order.
template <std::size_t size>
std::vector<std::string> keys_of(const Label (&labels)[size]) {
  std::vector<std::string> keys;
  for (const auto& label : labels) keys.emplace_back(label.key);
  return keys;
}

// The label of `key`; the key itself when the table has no such entry.
template <std::size_t size>
std::string label_of(const Label (&labels)[size], const std::string& key) {
  for (const auto& label : labels) {
    if (key == label.key) return label.label;
  }
  return key;
}

// Whether `values` holds `value`.
inline bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace dvchub::plan
