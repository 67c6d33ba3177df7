#include "config/toml_document.h"

#include <cstdio>

#include <toml++/toml.h>

namespace dvchub::config {

struct TomlDocument::Implementation {
  toml::table table;
};

TomlDocument::TomlDocument(std::unique_ptr<Implementation> implementation)
    : implementation_(std::move(implementation)) {}
TomlDocument::~TomlDocument() = default;
TomlDocument::TomlDocument(TomlDocument&&) noexcept = default;
TomlDocument& TomlDocument::operator=(TomlDocument&&) noexcept = default;

Result<TomlDocument> TomlDocument::parse(const std::string& text) {
  auto implementation = std::make_unique<Implementation>();
  try {
    implementation->table = toml::parse(text);
  } catch (const toml::parse_error& error) {
    return fail(ErrorCode::invalid_input, "TOML sai cú pháp ở dòng " + std::to_string(error.source().begin.line) +
                                              ": " + std::string(error.description()));
  }
  return TomlDocument(std::move(implementation));
}

bool TomlDocument::contains(const std::string& key) const { return implementation_->table.contains(key); }

std::optional<std::string> TomlDocument::string(const std::string& key) const {
  return implementation_->table[key].value<std::string>();
}

std::optional<bool> TomlDocument::boolean(const std::string& key) const {
  return implementation_->table[key].value<bool>();
}

std::optional<std::string> TomlDocument::date(const std::string& key) const {
  if (auto value = implementation_->table[key].value<toml::date>()) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(value->year),
                  static_cast<unsigned>(value->month), static_cast<unsigned>(value->day));
    return std::string(buffer);
  }
  return string(key);
}

std::vector<std::string> TomlDocument::strings(const std::string& key) const {
  std::vector<std::string> values;
  if (const auto* array = implementation_->table[key].as_array()) {
    for (const auto& element : *array) {
      if (auto text = element.value<std::string>()) values.push_back(*text);
    }
  }
  return values;
}

std::vector<std::map<std::string, std::string>> TomlDocument::tables(const std::string& key) const {
  std::vector<std::map<std::string, std::string>> result;
  if (const auto* array = implementation_->table[key].as_array()) {
    for (const auto& element : *array) {
      const auto* table = element.as_table();
      if (!table) continue;
      std::map<std::string, std::string> entries;
      for (const auto& [name, value] : *table) {
        if (auto text = value.value<std::string>()) entries[std::string(name.str())] = *text;
      }
      result.push_back(std::move(entries));
    }
  }
  return result;
}

}  // namespace dvchub::config
