#include "http/message.h"

#include <algorithm>
#include <cctype>

namespace dvchub::http {
namespace {

bool equal_ignoring_case(std::string_view left, std::string_view right) {
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(), [](unsigned char a, unsigned char b) {
           return std::tolower(a) == std::tolower(b);
         });
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equal_ignoring_case(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int hex_value(char character) {
  if (character >= '0' && character <= '9') return character - '0';
  if (character >= 'a' && character <= 'f') return character - 'a' + 10;
  if (character >= 'A' && character <= 'F') return character - 'A' + 10;
  return -1;
}

}  // namespace

const char* method_name(Method method) {
  switch (method) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::delete_: return "DELETE";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

void Headers::set(std::string_view name, std::string value) {
  std::erase_if(entries_, [&](const auto& entry) { return equal_ignoring_case(entry.first, name); });
  entries_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [entry_name, entry_value] : entries_) {
    if (equal_ignoring_case(entry_name, name)) return std::string_view(entry_value);
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_parameter(std::string_view name) const {
  auto found = query.lower_bound(std::string(name));
  if (found == query.end() || found->first != name) return std::nullopt;
  return found->second;
}

std::string Request::path_parameter(const std::string& name) const {
  auto found = path_parameters.find(name);
  return found == path_parameters.end() ? std::string() : found->second;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [header_name, header_value] : headers.entries()) {
    if (!equal_ignoring_case(header_name, "Cookie")) continue;
    std::string_view rest = header_value;
    while (!rest.empty()) {
      std::size_t separator = rest.find(';');
      std::string_view pair = trim(rest.substr(0, separator));
      rest = separator == std::string_view::npos ? std::string_view() : rest.substr(separator + 1);
      std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos || trim(pair.substr(0, equals)) != name) continue;
      std::string_view value = trim(pair.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::multimap<std::string, std::string> Request::form() const {
  std::optional<std::string_view> content_type = headers.get("Content-Type");
  if (!content_type || !starts_with_ignoring_case(trim(*content_type), "application/x-www-form-urlencoded")) {
    return {};
  }
  return parse_url_encoded(body);
}

std::optional<std::string> Request::form_value(std::string_view name) const {
  std::multimap<std::string, std::string> values = form();
  auto found = values.lower_bound(std::string(name));
  if (found == values.end() || found->first != name) return std::nullopt;
  return found->second;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

Response Response::html(int status, std::string body) {
  return text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::json(int status, std::string body) {
  return text(status, std::move(body), "application/json");
}

Response Response::redirect(std::string location) {
  Response response;
  response.status = 303;
  response.headers.set("Location", std::move(location));
  return response;
}

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    char character = text[index];
    if (character == '%' && index + 2 < text.size()) {
      int high = hex_value(text[index + 1]);
      int low = hex_value(text[index + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        index += 2;
        continue;
      }
    }
    decoded.push_back(plus_as_space && character == '+' ? ' ' : character);
  }
  return decoded;
}

std::string percent_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (char character : text) {
    auto byte = static_cast<unsigned char>(character);
    bool unreserved = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
                      (character >= '0' && character <= '9') || character == '-' || character == '.' ||
                      character == '_' || character == '~';
    if (unreserved) {
      encoded.push_back(character);
    } else {
      encoded.push_back('%');
      encoded.push_back(digits[byte >> 4]);
      encoded.push_back(digits[byte & 0x0F]);
    }
  }
  return encoded;
}

std::multimap<std::string, std::string> parse_url_encoded(std::string_view text) {
  std::multimap<std::string, std::string> pairs;
  while (!text.empty()) {
    std::size_t separator = text.find('&');
    std::string_view pair = text.substr(0, separator);
    text = separator == std::string_view::npos ? std::string_view() : text.substr(separator + 1);
    if (pair.empty()) continue;
    std::size_t equals = pair.find('=');
    std::string name = percent_decode(pair.substr(0, equals), true);
    if (name.empty()) continue;
    std::string value = equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1), true);
    pairs.emplace(std::move(name), std::move(value));
  }
  return pairs;
}

}  // namespace dvchub::http
