// config/toml_document.h — reading TOML text for other modules (e.g. article front matter), so that toml++ stays
// inside this module.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace dvchub::config {

// A parsed TOML table. Keys are looked up at the top level; dates come back as ISO text "YYYY-MM-DD".
class TomlDocument {
 public:
  // Parses `text`. ErrorCode::invalid_input with the line and toml++'s description when it is not valid TOML.
  static Result<TomlDocument> parse(const std::string& text);
  ~TomlDocument();
  TomlDocument(TomlDocument&&) noexcept;
  TomlDocument& operator=(TomlDocument&&) noexcept;

  bool contains(const std::string& key) const;
  std::optional<std::string> string(const std::string& key) const;
  std::optional<bool> boolean(const std::string& key) const;
  // A TOML date, or a string holding one, as "YYYY-MM-DD".
  std::optional<std::string> date(const std::string& key) const;
  // An array of strings (non-strings are skipped); empty when absent.
  std::vector<std::string> strings(const std::string& key) const;
  // An array of tables ([[key]]), each as its string-valued entries; empty when absent.
  std::vector<std::map<std::string, std::string>> tables(const std::string& key) const;

 private:
  struct Implementation;
  explicit TomlDocument(std::unique_ptr<Implementation> implementation);
  std::unique_ptr<Implementation> implementation_;
};

}  // namespace dvchub::config
