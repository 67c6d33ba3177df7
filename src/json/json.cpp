#include "json/json.h"

#include <charconv>
#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace dvchub::json {

Result<Object> parse_object(std::string_view text, std::size_t maximum_depth) {
  boost::json::parse_options options;
  options.max_depth = maximum_depth;
  boost::system::error_code error;
  Value parsed = boost::json::parse(text, error, {}, options);
  if (error) {
    return fail(ErrorCode::invalid_input, "Nội dung gửi lên không phải JSON hợp lệ (hoặc không phải UTF-8)",
                error.message());
  }
  if (!parsed.is_object()) return fail(ErrorCode::invalid_input, "Nội dung JSON phải là một đối tượng {…}");
  return std::move(parsed.as_object());
}

std::string serialize(const Value& value) { return boost::json::serialize(value); }

void append_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain_from = 0;  // characters that need no escape are appended a run at a time
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char character = text[index];
    const auto byte = static_cast<unsigned char>(character);
    if (byte >= 0x20 && character != '"' && character != '\\') continue;
    out.append(text.data() + plain_from, index - plain_from);
    plain_from = index + 1;
    if (byte >= 0x20) {
      out += '\\';
      out += character;
    } else {
      out += "\\u00";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    }
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
  out += '"';
}

void append_number(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  char digits[32];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, error == std::errc() ? end : digits);
}

void append_value(std::string& out, const Value& value) {
  switch (value.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += value.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: out += std::to_string(value.get_int64()); break;
    case boost::json::kind::uint64: out += std::to_string(value.get_uint64()); break;
    case boost::json::kind::double_: append_number(out, value.get_double()); break;
    case boost::json::kind::string: append_string(out, value.get_string()); break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_value(out, item);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: append_value(out, value.get_object()); break;
  }
}

void append_value(std::string& out, const Object& object) {
  out += '{';
  bool first = true;
  for (const auto& member : object) {
    if (!first) out += ',';
    first = false;
    append_string(out, member.key());
    out += ':';
    append_value(out, member.value());
  }
  out += '}';
}

StringField read_string(const Object& object, std::string_view key) {
  StringField field;
  auto found = object.find(key);
  if (found == object.end() || found->value().is_null()) return field;
  field.present = true;
  if (!found->value().is_string()) {
    field.type_ok = false;
    return field;
  }
  const auto& text = found->value().as_string();
  field.value = std::string(text.data(), text.size());
  return field;
}

IntegerField read_integer(const Object& object, std::string_view key) {
  IntegerField field;
  auto found = object.find(key);
  if (found == object.end() || found->value().is_null()) return field;
  field.present = true;
  if (found->value().is_int64()) {
    field.value = found->value().as_int64();
  } else if (found->value().is_uint64() && found->value().as_uint64() <= INT64_MAX) {
    field.value = static_cast<std::int64_t>(found->value().as_uint64());
  } else {
    field.type_ok = false;
  }
  return field;
}

Value optional_string(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return Value(*text);
}

Result<Object> parse_request_body(std::string_view text) {
  auto object = parse_object(text);
  if (!object) {
    auto error = object.error();
    error.fields = {{"body", error.message}};
    return tl::unexpected(error);
  }
  return object;
}

}  // namespace dvchub::json
